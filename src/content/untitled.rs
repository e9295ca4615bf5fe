//! Plain pages without front matter, as wikis and handbooks export them:
//! the title is the first `# ` heading (which the body then leaves out),
//! or else the file name made readable.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::frontmatter::{self, Split};
use super::sections::readable_title;
use super::Kind;
use crate::diagnostics::Diagnostic;

/// Whether a page of `kind` may come without front matter: interviews,
/// exercises, tracks and speakers need their typed fields.
pub fn may_lack_front_matter(kind: Kind) -> bool {
    matches!(kind, Kind::Home | Kind::Page | Kind::Section)
}

/// The name a page without a `# ` heading takes its title from: its file's
/// stem, or for a section's `_index.md` its folder's name.
pub fn file_name_for_title(reference: &str, kind: Kind) -> &str {
    let mut parts = reference.rsplit('/');
    let stem = parts.next().unwrap_or_default();
    match kind {
        Kind::Section => parts.next().unwrap_or(stem),
        _ => stem,
    }
}

/// Whether `text` (BOM removed) opens with a front matter fence.
fn opens_front_matter(text: &str) -> bool {
    text.split_inclusive('\n')
        .next()
        .unwrap_or_default()
        .trim_end()
        == "---"
}

/// `text` split at its front matter, or, for a page of a kind that may lack
/// one and does, all body (from line 1) with an empty front matter.
pub fn split_source(text: &str, kind: Kind) -> Result<Split<'_>, Diagnostic> {
    if may_lack_front_matter(kind) && !opens_front_matter(text) {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    frontmatter::split(text)
}

/// Whether `split` (from [`split_source`]) is of a page without front
/// matter: a front matter takes at least its two fence lines.
pub fn lacks_front_matter(split: &Split) -> bool {
    split.body_line == 1
}

/// The title of a page without front matter, and where in `body` the
/// heading it came from is (to leave it out), if it came from one.
pub fn title_of(body: &str, stem: &str) -> (String, Option<Range<usize>>) {
    match first_heading(body) {
        Some((title, range)) => (title, Some(range)),
        None => (readable_title(stem), None),
    }
}

/// `body` without the heading at `range`: only its line ends stay, so the
/// lines after it keep their numbers in diagnostics.
pub fn leave_out(body: &mut String, range: Range<usize>) {
    let line_ends: String = body[range.clone()]
        .chars()
        .filter(|c| matches!(c, '\n' | '\r'))
        .collect();
    body.replace_range(range, &line_ends);
}

/// The text of the first level-1 heading outside any quote or list (its
/// `{#id}` removed), and its bytes in `body`.
fn first_heading(body: &str) -> Option<(String, Range<usize>)> {
    // Without smart punctuation: a title from front matter is not curled.
    let options = Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_TABLES;
    let mut depth = 0usize;
    let mut title: Option<(String, Range<usize>)> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        if let Some((text, heading)) = &mut title {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !words.is_empty() {
                        return Some((words, heading.clone()));
                    }
                    title = None;
                }
                Event::Text(piece) | Event::Code(piece) => text.push_str(&piece),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 && level == HeadingLevel::H1 => {
                title = Some((String::new(), range));
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_the_first_top_level_heading_without_its_id() {
        let body = "Intro line.\n\n> # Quoted\n\n```\n# comment\n```\n\n# Deal `desk` {#desk}\n\nText.\n# Second\n";
        let (title, range) = title_of(body, "x");
        assert_eq!(title, "Deal desk");
        let range = range.unwrap();
        assert!(body[range.clone()].starts_with("# Deal"));
        let mut left = body.to_string();
        leave_out(&mut left, range);
        assert_eq!(left.lines().count(), body.lines().count());
        assert!(!left.contains("Deal"));
        assert!(left.contains("# Second"));
    }

    #[test]
    fn a_setext_heading_counts_and_an_empty_one_does_not() {
        assert_eq!(title_of("#\n\nAbout us\n===\n", "x").0, "About us");
    }

    #[test]
    fn without_a_heading_the_file_name_is_the_title() {
        assert_eq!(title_of("## Only h2\n", "deal-desk").0, "Deal desk");
        assert_eq!(title_of("", "FAQ").0, "FAQ");
        assert_eq!(title_of("", "sales_ops-2026").0, "Sales ops 2026");
        assert_eq!(title_of("", "élan").0, "Élan");
    }

    #[test]
    fn only_plain_pages_and_the_home_page_may_lack_front_matter() {
        assert_eq!(split_source("# T\n", Kind::Page).unwrap().body, "# T\n");
        assert!(split_source("# T\n", Kind::Exercise).is_err());
        let split = split_source("---\ntitle: T\n---\nBody\n", Kind::Page).unwrap();
        assert_eq!((split.yaml, split.body_line), ("title: T\n", 4));
    }
}
