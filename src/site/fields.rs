//! Front matter fields written in Markdown (an exercise's role briefs and
//! model answer), rendered through the same pipeline as the body: links
//! checked at their file line and made relative, facilitator notes kept
//! or left out alike.

use crate::content::{Details, Page};
use crate::markdown::{self, PageContext, RenderOptions, Rendered, Resolver};

/// Renders the page's Markdown fields into `rendered.field_html` (role
/// briefs in order, then the model answer), with their problems and links
/// to headings added to the body's.
pub(super) fn render_fields(
    page: &Page,
    context: &PageContext,
    resolver: &dyn Resolver,
    options: RenderOptions,
    rendered: &mut Rendered,
) {
    let Details::Exercise(fields) = &page.details else {
        return;
    };
    // Briefs sit under a role's h3, the model answer under an h2.
    let briefs = fields.roles.iter().enumerate().map(|(index, role)| {
        let prefix = format!("{}role{}-", context.id_prefix, index + 1);
        (role.brief.as_str(), role.brief_start, prefix, 3)
    });
    let answer = fields.model_answer.as_deref().map(|text| {
        let prefix = format!("{}answer-", context.id_prefix);
        (text, fields.model_answer_start, prefix, 2)
    });
    for (text, start, prefix, depth) in briefs.chain(answer) {
        let field_context = PageContext {
            body_line: start.line,
            id_prefix: &prefix,
            heading_offset: context.heading_offset.saturating_add(depth),
            ..*context
        };
        let mut part = markdown::render(text, &field_context, resolver, options);
        // Columns count from the field's text: move them past its indentation.
        for problem in &mut part.problems {
            problem.column = problem.column.map(|c| c + start.indent);
        }
        for link in &mut part.fragment_links {
            link.column += start.indent;
        }
        rendered.problems.extend(part.problems);
        rendered.fragment_links.extend(part.fragment_links);
        rendered.facilitator_ids.extend(part.facilitator_ids);
        rendered.field_html.push(part.html);
    }
}
