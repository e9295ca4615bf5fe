//! Raw HTML copied from elsewhere that would make a page invalid or
//! inaccessible: each fault is a warning at its file:line, and repaired so
//! that the page stays valid while the author fixes the source.
//!
//! - an `<img>` without `alt` gets its file name's words as `alt`;
//! - an `<iframe>` without `title` is titled after the host it shows;
//! - a yes/no attribute with a value (`allowfullscreen="true"`) is written
//!   alone (a browser reads any value, even "false", as yes);
//! - a `</p>` that closes no `<p>` of its paragraph is left out;
//! - an `<li>` outside a list is put in a `<ul>` in a table cell, and
//!   shown as text elsewhere;
//! - a heading that skips a level (`###` under the title) is written one
//!   level below the heading it belongs under, and its sub-headings move
//!   up with it.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::raw_html::{tags_in, HtmlTag, InlineTags};
use super::Renderer;
use crate::diagnostics::Diagnostic;
use crate::text::escape_html;

/// A change to a piece of raw HTML: `range` replaced by `text`.
pub(super) struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// `html` with `edits` made; an edit that overlaps one before it is left
/// out (the first one wins).
pub(super) fn apply_edits(html: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut edited = String::with_capacity(html.len() + 32);
    let mut copied = 0;
    for edit in edits {
        if edit.range.start < copied {
            continue;
        }
        edited.push_str(&html[copied..edit.range.start]);
        edited.push_str(&edit.text);
        copied = edit.range.end;
    }
    edited.push_str(&html[copied..]);
    edited
}

/// Attributes that are on by being there: any value is a fault.
const YES_NO_ATTRIBUTES: &[&str] = &[
    "allowfullscreen",
    "async",
    "autofocus",
    "autoplay",
    "checked",
    "controls",
    "default",
    "defer",
    "disabled",
    "hidden",
    "loop",
    "multiple",
    "muted",
    "novalidate",
    "open",
    "playsinline",
    "readonly",
    "required",
    "reversed",
    "selected",
];

impl<'e> Renderer<'_, 'e> {
    /// Called before each event is emitted: a block's start forgets the
    /// inline tags of the last one; a table cell's end closes the list
    /// opened for its `<li>`s.
    #[inline]
    pub(super) fn at_block_edge(&mut self, index: usize) {
        match self.events[index].0 {
            Event::Start(Tag::Paragraph) => self.inline_tags = InlineTags::default(),
            Event::Start(Tag::TableCell) => {
                self.inline_tags = InlineTags {
                    in_table_cell: true,
                    ..InlineTags::default()
                }
            }
            Event::End(TagEnd::TableCell) if self.inline_tags.wrapped_list => {
                self.inline_tags.wrapped_list = false;
                self.out.push(Event::InlineHtml(CowStr::from("</ul>")));
            }
            _ => {}
        }
    }

    /// Emits one piece of inline HTML: a stray `</p>` is left out, an
    /// `<li>` outside a list put in one (in a table cell) or shown as
    /// text; the rest has its URLs and tags rewritten.
    pub(super) fn inline_html(&mut self, html: CowStr<'e>, offset: usize) {
        let tags = tags_in(&html);
        if let [tag] = tags.as_slice() {
            let name = html[tag.name.clone()].to_ascii_lowercase();
            let state = &mut self.inline_tags;
            match (tag.closing, name.as_str()) {
                (false, "p") => state.open_paragraphs += 1,
                (true, "p") if state.open_paragraphs == 0 => {
                    self.warning(
                        offset,
                        "a stray `</p>`: Markdown closes its paragraphs itself, so it closes nothing and is left out".to_string(),
                        "remove it; a blank line starts a new paragraph",
                    );
                    return;
                }
                (true, "p") => state.open_paragraphs -= 1,
                (false, "ul" | "ol") => state.open_lists += 1,
                (true, "ul" | "ol") => state.open_lists = state.open_lists.saturating_sub(1),
                (false, "li") if state.open_lists == 0 => {
                    if !state.in_table_cell {
                        self.warning(
                            offset,
                            "an `<li>` outside a list is shown as text".to_string(),
                            "write the list in Markdown (`- item`, with a blank line before it), or put the items in `<ul>…</ul>`",
                        );
                        self.out.push(Event::Text(html));
                        return;
                    }
                    if !state.wrapped_list {
                        state.wrapped_list = true;
                        self.warning(
                            offset,
                            "an `<li>` outside a list: the table cell's items are put in a list"
                                .to_string(),
                            "write them as `<ul><li>…</li></ul>`",
                        );
                        self.out.push(Event::InlineHtml(CowStr::from("<ul>")));
                    }
                }
                _ => {}
            }
        }
        let html = self.rewrite_tags(html, &tags, offset);
        self.out.push(Event::InlineHtml(html));
    }

    /// Records the repairs of one tag of `html` (its faults warned of at
    /// `offset` in the body).
    pub(super) fn repair_tag(
        &mut self,
        html: &str,
        tag: &HtmlTag,
        offset: usize,
        edits: &mut Vec<Edit>,
    ) {
        if tag.closing {
            return;
        }
        if tag.is(html, "img") && tag.attribute(html, "alt").is_none() {
            let alt = tag
                .attribute(html, "src")
                .and_then(|src| src.value.clone())
                .map(|src| words_of_file_name(&html[src]))
                .unwrap_or_default();
            self.warning(
                offset,
                format!(
                    "an `<img>` has no `alt` text; it is given its file name's words, \"{alt}\""
                ),
                "describe the image in `alt=\"…\"`, or write `alt=\"\"` if it is only decoration",
            );
            edits.push(added(tag, html, &format!(" alt=\"{}\"", escape_html(&alt))));
        }
        if tag.is(html, "iframe") && tag.attribute(html, "title").is_none() {
            let host = tag
                .attribute(html, "src")
                .and_then(|src| src.value.clone())
                .and_then(|src| host_of(&html[src]).map(str::to_string));
            let title = match host {
                Some(host) => format!("Embedded content from {host}"),
                None => "Embedded content".to_string(),
            };
            self.warning(
                offset,
                format!("an `<iframe>` has no `title`, which screen readers announce; it is given \"{title}\""),
                "say what it shows, e.g. `title=\"Product demo video\"`",
            );
            edits.push(added(
                tag,
                html,
                &format!(" title=\"{}\"", escape_html(&title)),
            ));
        }
        for attribute in &tag.attributes {
            let name = &html[attribute.name.clone()];
            let Some(value) = attribute.value.clone() else {
                continue;
            };
            let value = &html[value];
            let yes_no = YES_NO_ATTRIBUTES
                .iter()
                .any(|known| name.eq_ignore_ascii_case(known));
            if yes_no && !value.is_empty() && !value.eq_ignore_ascii_case(name) {
                let written = &html[attribute.whole.clone()];
                self.warning(
                    offset,
                    format!("`{written}`: `{name}` is on by being there (even with \"false\"), so it takes no value; it is written alone"),
                    &format!("write `{name}` alone, or leave it out to turn it off"),
                );
                edits.push(Edit {
                    range: attribute.whole.clone(),
                    text: name.to_string(),
                });
            }
        }
    }

    /// A Markdown heading's level, at most one below the heading it
    /// belongs under (the page's title is an h1): headings that skip a
    /// level move up, their siblings and children with them. The first
    /// skip of a page is a warning.
    pub(super) fn heading_level(
        &mut self,
        level: HeadingLevel,
        title: &str,
        offset: usize,
    ) -> HeadingLevel {
        let written = level as u8;
        let outline = &mut self.outline;
        while outline.last().is_some_and(|&(above, _)| above >= written) {
            outline.pop();
        }
        let (_, parent) = outline.last().copied().unwrap_or((1, 1));
        let shown = written.min(parent + 1);
        outline.push((written, shown));
        if shown < written && !std::mem::replace(&mut self.skipped_level_warned, true) {
            self.warning(
                offset,
                format!(
                    "the h{written} heading \"{title}\" comes under an h{parent}, skipping a level; it is written as an h{shown}, and the page's later headings move up with it"
                ),
                &format!("use `{}`, one `#` more than the heading it belongs under; the page's title counts as `#`", "#".repeat(usize::from(shown))),
            );
        }
        HeadingLevel::try_from(usize::from(shown)).unwrap_or(level)
    }

    fn warning(&mut self, offset: usize, message: String, hint: &str) {
        let (line, column) = self.lines.locate(offset);
        self.result.problems.push(
            Diagnostic::warning(self.page.file, Some(line), message)
                .at_column(column)
                .with_hint(hint),
        );
    }
}

/// The edit that adds `attribute` (with its leading space) to `tag`.
fn added(tag: &HtmlTag, html: &str, attribute: &str) -> Edit {
    let at = tag.end_of_attributes(html);
    Edit {
        range: at..at,
        text: attribute.to_string(),
    }
}

/// `images/Deal-desk_flow.v2.png` → "Deal desk flow v2": the words of a
/// URL's file name, without its extension.
fn words_of_file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let stem = super::links::decode_link(stem);
    stem.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The host of an absolute or protocol-relative URL.
fn host_of(url: &str) -> Option<&str> {
    let after_scheme = match url.split_once("://") {
        Some((_, rest)) => rest,
        None => url.strip_prefix("//")?,
    };
    let host = after_scheme.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_words_and_urls_hosts() {
        assert_eq!(
            words_of_file_name("https://x.org/a/Slack-ask-security_a%20question.png?w=2"),
            "Slack ask security a question"
        );
        assert_eq!(words_of_file_name("/"), "");
        assert_eq!(
            host_of("https://www.youtube.com/embed/x"),
            Some("www.youtube.com")
        );
        assert_eq!(host_of("//player.vimeo.com"), Some("player.vimeo.com"));
        assert_eq!(host_of("/media/demo.html"), None);
    }

    #[test]
    fn overlapping_edits_keep_the_first() {
        let edits = vec![
            Edit {
                range: 4..5,
                text: "Y".into(),
            },
            Edit {
                range: 0..1,
                text: "X".into(),
            },
            Edit {
                range: 4..6,
                text: "Z".into(),
            },
            Edit {
                range: 6..6,
                text: "!".into(),
            },
        ];
        assert_eq!(apply_edits("abcdefg", edits), "XbcdYf!g");
    }
}
