//! The visible text of a body: its words and where a byte of it sits.

use std::ops::Range;

use pulldown_cmark::{Event, TagEnd};

/// How many words separated by white space `text` has: the same as
/// `split_whitespace().count()`, eight bytes at a time where they are
/// ASCII, character by character elsewhere.
pub(super) fn count_words(text: &str) -> usize {
    use crate::ascii::{eight_at, whitespace_bytes, HIGH_BITS};
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(eight) = eight_at(bytes, at).filter(|eight| eight & HIGH_BITS == 0) {
            // A word starts at each byte that is no white space after one
            // that is (or after the start of the text): shifted up a byte,
            // each byte's flag lands on the byte after it.
            let space = whitespace_bytes(eight);
            let space_before = (space << 8) | if in_word { 0 } else { 0x80 };
            count += (!space & space_before & HIGH_BITS).count_ones() as usize;
            in_word = space >> 63 == 0;
            at += 8;
            continue;
        }
        let (space, width) = if bytes[at].is_ascii() {
            // `char::is_whitespace` also counts the vertical tab (0x0B).
            (bytes[at].is_ascii_whitespace() || bytes[at] == 0x0B, 1)
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        count += usize::from(!space && !in_word);
        in_word = !space;
        at += width;
    }
    count
}

/// Byte offsets in the body to file lines and columns. Columns count
/// characters, as an editor does, not bytes.
pub(super) struct LineIndex<'b> {
    body: &'b str,
    starts: Vec<usize>,
    first_line: usize,
    /// The last offset located and its column: offsets mostly come in
    /// order, so a long line's characters are counted once, not once per
    /// link on it.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'b> LineIndex<'b> {
    pub(super) fn new(body: &'b str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            body,
            starts,
            first_line,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    pub(super) fn locate(&self, offset: usize) -> (usize, usize) {
        let index = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[index];
        let (last_offset, last_column) = self.last.get();
        let (from, column) = if (start..=offset).contains(&last_offset) {
            (last_offset, last_column)
        } else {
            (start, 1)
        };
        let column = column
            + self
                .body
                .get(from..offset)
                .map_or(offset - from, |text| text.chars().count());
        self.last.set((offset, column));
        (self.first_line + index, column)
    }
}

pub(super) fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        push_plain(&mut text, event);
    }
    text
}

/// The text GitHub makes a heading's id from: its text content as written,
/// so smart punctuation (`--` shown as `–`) counts as typed, image alt text
/// and line breaks not at all.
pub(super) fn heading_id_text(events: &[(Event, Range<usize>)], source: &str) -> String {
    let mut text = String::new();
    let mut in_image = 0usize;
    for (event, range) in events {
        match event {
            Event::Start(pulldown_cmark::Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) if in_image == 0 => {
                let typed = source.get(range.clone()).unwrap_or_default();
                let curled = !typed.is_empty()
                    && typed != t.as_ref()
                    && typed
                        .bytes()
                        .all(|b| matches!(b, b'\'' | b'"' | b'-' | b'.'));
                text.push_str(if curled { typed } else { t });
            }
            Event::Code(t) if in_image == 0 => text.push_str(t),
            _ => {}
        }
    }
    text
}

pub(super) fn plain_text_of_events(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        push_plain(&mut text, event);
    }
    text
}

/// What the visible text gets for an event between words: a space for a
/// line break inside a block, a line break where a block (paragraph, list
/// item, cell, code block, quote, footnote) ends, so blocks stay apart.
pub(super) fn text_break(event: &Event) -> Option<char> {
    match event {
        Event::SoftBreak | Event::HardBreak => Some(' '),
        Event::End(
            TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition,
        ) => Some('\n'),
        _ => None,
    }
}

pub(super) fn push_plain(text: &mut String, event: &Event) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        Event::End(TagEnd::Paragraph) => text.push(' '),
        _ => {}
    }
}
