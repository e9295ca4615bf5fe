//! What an exercise's template sees of its role-play: the roles with their
//! briefs and the model answer as HTML (rendered with the body, see
//! `site::fields`).

use std::borrow::Cow;

use serde::Serialize;

use crate::content::frontmatter::ExerciseFields;
use crate::markdown::Rendered;
use crate::text::smart_punctuation;

/// One role card: who plays it and the brief's HTML.
#[derive(Debug, Serialize)]
pub struct RoleView<'a> {
    pub number: usize,
    pub name: Cow<'a, str>,
    pub brief: &'a str,
}

/// The roles, with the briefs rendered into `rendered.field_html`.
pub fn roles<'a>(fields: &'a ExerciseFields, rendered: &'a Rendered) -> Vec<RoleView<'a>> {
    fields
        .roles
        .iter()
        .enumerate()
        .map(|(index, role)| RoleView {
            number: index + 1,
            name: smart_punctuation(role.name.trim()),
            brief: rendered.field_html.get(index).map_or("", String::as_str),
        })
        .collect()
}

/// The model answer's HTML, which follows the briefs in `field_html`.
pub fn model_answer<'a>(fields: &'a ExerciseFields, rendered: &'a Rendered) -> Option<&'a str> {
    fields.model_answer.as_ref()?;
    rendered
        .field_html
        .get(fields.roles.len())
        .map(String::as_str)
}
