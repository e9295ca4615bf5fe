//! Role-play exercises: the `roles`, `rubric` and `model_answer` fields,
//! where their Markdown starts in the file, and the checks serde's types
//! cannot express.

use serde::Deserialize;

use super::frontmatter::ExerciseFields;
use crate::diagnostics::Diagnostic;
use crate::yaml::Document;

/// One role of a role-play: who plays it and what they are told.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    /// Markdown, rendered like the page's body.
    pub brief: String,
    /// File line where the brief's text starts, found after parsing.
    #[serde(skip)]
    pub brief_line: usize,
}

/// The most rubric criteria an exercise may have: each is a check-box on
/// every attempt, stored with it.
pub const MAX_RUBRIC: usize = 20;

/// The role-play fields of an exercise, as [`super::frontmatter::ExerciseFields`]
/// holds them.
pub struct RolePlay<'a> {
    pub roles: &'a [Role],
    pub rubric: &'a [String],
    pub model_answer: Option<&'a str>,
}

/// Sets each role's `brief_line` and the model answer's first line: where
/// their Markdown starts, so a broken link in it is reported
/// there. `yaml` is the front matter's text, whose first line is file line
/// `first_line`.
pub fn locate(fields: &mut ExerciseFields, document: &Document, yaml: &str, first_line: usize) {
    let roles = &mut fields.roles;
    let lines: Vec<&str> = yaml.lines().collect();
    let roles_line = document.key_line("roles").unwrap_or(first_line);
    let items: Vec<usize> = (0..roles.len())
        .map(|i| document.item_line("roles", i).unwrap_or(roles_line))
        .collect();
    for (index, role) in roles.iter_mut().enumerate() {
        let item = items[index];
        let end = items
            .get(index + 1)
            .copied()
            .unwrap_or(first_line + lines.len());
        let in_item = Lines {
            lines: &lines,
            first_line,
            from: item,
            to: end,
        };
        role.brief_line = in_item.value_start("brief").unwrap_or(item);
    }
    if let Some(answer) = document.key_line("model_answer") {
        let own_line = Lines {
            lines: &lines,
            first_line,
            from: answer,
            to: answer + 1,
        };
        fields.model_answer_line = own_line.value_start("model_answer").unwrap_or(answer);
    }
}

/// File lines `from..to` of front matter whose first line is `first_line`.
struct Lines<'a> {
    lines: &'a [&'a str],
    first_line: usize,
    from: usize,
    to: usize,
}

impl Lines<'_> {
    /// The file line where the value of `key` starts: the next line for a
    /// block (`key: |`), else the key's own line.
    fn value_start(&self, key: &str) -> Option<usize> {
        let pattern = format!("{key}:");
        let skip = self.from.checked_sub(self.first_line)?;
        let take = self.to.saturating_sub(self.from);
        let (offset, line) =
            self.lines
                .iter()
                .enumerate()
                .skip(skip)
                .take(take)
                .find(|(_, line)| {
                    line.trim_start()
                        .trim_start_matches("- ")
                        .starts_with(&pattern)
                })?;
        let after = line.split_once(':').map_or("", |(_, v)| v).trim();
        let block = after.is_empty() || after.starts_with('|') || after.starts_with('>');
        Some(self.first_line + offset + usize::from(block))
    }
}

impl ExerciseFields {
    pub fn role_play(&self) -> RolePlay<'_> {
        RolePlay {
            roles: &self.roles,
            rubric: &self.rubric,
            model_answer: self.model_answer.as_deref(),
        }
    }
}

/// Empty or repeated role names, empty briefs and criteria, and too many
/// criteria.
pub fn check(fields: &RolePlay, document: &Document, file: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (index, role) in fields.roles.iter().enumerate() {
        let line = document
            .item_line("roles", index)
            .or(document.key_line("roles"));
        let number = index + 1;
        let name = role.name.trim();
        if name.is_empty() {
            problems.push(
                Diagnostic::error(file, line, format!("role {number} has no `name`"))
                    .with_hint("name who plays it, e.g. `name: Buyer`"),
            );
        } else if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            problems.push(
                Diagnostic::error(file, line, format!("the role {name:?} is listed twice"))
                    .with_hint("give each role its own name, e.g. `Buyer` and `Buyer's boss`"),
            );
        }
        if role.brief.trim().is_empty() {
            problems.push(
                Diagnostic::error(file, line, format!("role {number} has an empty `brief`"))
                    .with_hint("tell the player who they are and what they want, in a few lines"),
            );
        }
        names.push(name);
    }
    problems.extend(check_rubric(fields.rubric, document, file));
    if fields.model_answer.is_some_and(|a| a.trim().is_empty()) {
        problems.push(
            Diagnostic::error(
                file,
                document.key_line("model_answer"),
                "`model_answer` is empty",
            )
            .with_hint("write what a good attempt sounds like, or remove `model_answer:`"),
        );
    }
    problems
}

fn check_rubric(rubric: &[String], document: &Document, file: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if rubric.len() > MAX_RUBRIC {
        problems.push(
            Diagnostic::error(
                file,
                document.key_line("rubric"),
                format!(
                    "`rubric` has {} criteria; at most {MAX_RUBRIC} fit on an attempt",
                    rubric.len()
                ),
            )
            .with_hint("keep the few criteria an observer can tick in a minute"),
        );
    }
    for (index, criterion) in rubric.iter().enumerate() {
        let line = document
            .item_line("rubric", index)
            .or(document.key_line("rubric"));
        if criterion.trim().is_empty() {
            problems.push(
                Diagnostic::error(
                    file,
                    line,
                    format!("rubric criterion {} is empty", index + 1),
                )
                .with_hint("write what an observer looks for, e.g. `Asked an open question`"),
            );
        } else if rubric[..index].iter().any(|c| c.trim() == criterion.trim()) {
            problems.push(Diagnostic::error(
                file,
                line,
                format!("the rubric lists {:?} twice", criterion.trim()),
            ));
        }
    }
    problems
}
