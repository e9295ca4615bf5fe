//! Blockquotes: GitHub-style callouts, facilitator notes (left out of
//! learner builds) and pull quotes signed by a speaker.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::attribution::{self, quote_time, Attribution};
use super::text::{plain_text, plain_text_of_events};
use super::{Quote, Renderer};
use crate::diagnostics::Diagnostic;
use crate::text::escape_html;

impl<'e> Renderer<'_, 'e> {
    pub(super) fn blockquote(&mut self, kind: Option<BlockQuoteKind>, start: usize, end: usize) {
        if let Some(kind) = kind {
            let (class, title) = callout_names(kind);
            self.callout(class, title, start + 1..end);
        } else if let Some(note) = self.facilitator_marker(start, end) {
            self.facilitator_note(note);
        } else if let Some(attribution) = self.attribution(start, end) {
            self.pull_quote(start, attribution);
        } else {
            let opening = self.take(start);
            self.out.push(opening);
            self.run(start + 1..end);
            let closing = self.take(end);
            self.out.push(closing);
        }
    }

    fn callout(&mut self, class: &str, title: &str, inner: Range<usize>) {
        self.out.push(Event::Html(CowStr::from(format!(
            "<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
        ))));
        self.run(inner);
        self.out.push(Event::Html(CowStr::from("</aside>\n")));
    }

    /// If the blockquote opens with `[!FACILITATOR]`, its content without
    /// the marker. The marker may be split over several text events (`[`,
    /// `!FACILITATOR`, `]`) and may share its paragraph with text.
    fn facilitator_marker(&self, start: usize, end: usize) -> Option<FacilitatorNote> {
        const MARKER: &str = "[!FACILITATOR]";
        let Event::Start(Tag::Paragraph) = self.events.get(start + 1)?.0 else {
            return None;
        };
        let paragraph_end = self.partner[start + 1];
        let mut text = String::new();
        let mut index = start + 2;
        while index < paragraph_end && text.len() < MARKER.len() {
            let Event::Text(piece) = &self.events[index].0 else {
                break;
            };
            text.push_str(piece);
            index += 1;
        }
        if !text.eq_ignore_ascii_case(MARKER) {
            return None;
        }
        if matches!(self.events[index].0, Event::SoftBreak | Event::HardBreak) {
            index += 1;
        }
        Some(FacilitatorNote {
            first_paragraph_rest: (index < paragraph_end).then_some(index..paragraph_end),
            blocks: paragraph_end + 1..end,
        })
    }

    /// Facilitator notes are rendered in every build, so their links are
    /// checked whatever the audience, and thrown away in learner builds with
    /// everything else they made: headings and quotes would otherwise reach
    /// the table of contents, search and "Key quotes" (notes hold answers).
    fn facilitator_note(&mut self, note: FacilitatorNote) {
        let kept = self.out.len();
        let kept_text = self.text.len();
        let kept_headings = self.result.headings.len();
        let kept_quotes = self.result.quotes.len();
        let outer_note = std::mem::replace(&mut self.in_facilitator_note, true);
        self.out.push(Event::Html(CowStr::from(
            "<aside class=\"callout callout-facilitator\" role=\"note\"><p class=\"callout-title\">Facilitator note</p>\n",
        )));
        if let Some(rest) = note.first_paragraph_rest {
            self.out.push(Event::Start(Tag::Paragraph));
            self.run(rest);
            self.out.push(Event::End(TagEnd::Paragraph));
        }
        self.run(note.blocks);
        self.out.push(Event::Html(CowStr::from("</aside>\n")));
        self.in_facilitator_note = outer_note;
        if !self.options.facilitator {
            self.out.truncate(kept);
            self.text.truncate(kept_text);
            let hidden = self.result.headings.iter().skip(kept_headings);
            self.result
                .facilitator_ids
                .extend(hidden.map(|heading| heading.id.to_string()));
            self.result.headings.truncate(kept_headings);
            self.result.heading_spans.truncate(kept_headings);
            self.result.quotes.truncate(kept_quotes);
        }
    }

    /// If the blockquote's last line is `— Name` (or `– Name`, `-- Name`),
    /// where that line starts: the event index of the attribution's first
    /// event, whether it is a paragraph of its own, and the name.
    fn attribution(&self, start: usize, end: usize) -> Option<Attribution> {
        // Find the last child block of the blockquote.
        let mut child = start + 1;
        let mut last_child = None;
        while child < end {
            last_child = Some(child);
            child = match self.events[child].0 {
                Event::Start(_) => self.partner[child] + 1,
                _ => child + 1,
            };
        }
        let paragraph = last_child?;
        let Event::Start(Tag::Paragraph) = self.events[paragraph].0 else {
            return None;
        };
        let paragraph_end = self.partner[paragraph];
        let break_at = (paragraph + 1..paragraph_end)
            .rev()
            .find(|&i| matches!(self.events[i].0, Event::SoftBreak | Event::HardBreak));
        let line_start = break_at.map_or(paragraph + 1, |i| i + 1);
        let line = plain_text(&self.events[line_start..paragraph_end]);
        let line = line.trim();
        let name = ["—", "–", "--", "―"]
            .iter()
            .find_map(|dash| line.strip_prefix(dash))?
            .trim();
        let own_paragraph = break_at.is_none();
        let has_quote = !own_paragraph || paragraph > start + 1;
        if name.is_empty() || !has_quote || !name.chars().next()?.is_alphabetic() {
            return None;
        }
        Some(Attribution {
            paragraph,
            break_at,
            name: name.to_string(),
            offset: self.events[line_start].1.start,
        })
    }

    fn pull_quote(&mut self, start: usize, attribution: Attribution) {
        let Attribution {
            paragraph,
            break_at,
            name,
            offset,
        } = attribution;
        let (name, time) = quote_time(&name);
        let speaker_name = name.split(',').next().unwrap_or(name).trim();
        let speaker_url = self.resolver.speaker_url(speaker_name);
        if speaker_url.is_none() {
            self.unknown_speaker(speaker_name, offset);
        }
        let id = format!(
            "{}sb-quote-{}",
            self.page.id_prefix,
            self.result.quotes.len() + 1
        );
        self.out.push(Event::Html(CowStr::from(format!(
            "<figure class=\"pull-quote\" id=\"{id}\">\n<blockquote>\n"
        ))));
        let quote_start = self.out.len();
        self.run(start + 1..paragraph);
        if let Some(break_at) = break_at {
            self.out.push(Event::Start(Tag::Paragraph));
            self.run(paragraph + 1..break_at);
            self.out.push(Event::End(TagEnd::Paragraph));
        }
        let text = plain_text_of_events(&self.out[quote_start..]);
        let by = escape_html(name);
        let mut caption = match &speaker_url {
            Some(url) => format!("<a href=\"{}{}\">{by}</a>", self.root, url),
            None => by,
        };
        if let Some(time) = time {
            caption.push_str(&self.quote_time_html(time, offset));
        }
        self.out.push(Event::Html(CowStr::from(format!(
            "</blockquote>\n<figcaption>— {caption}</figcaption>\n</figure>\n"
        ))));
        self.result.quotes.push(Quote {
            id,
            text: text.trim().to_string(),
            by: name.to_string(),
            speaker_url,
        });
    }

    /// A quote's time: a seek button, or text and a warning on a page
    /// without a player.
    fn quote_time_html(&mut self, (clock, seconds): (&str, u64), offset: usize) -> String {
        if !self.page.has_media {
            let (line, column) = self.lines.locate(offset);
            let warning = attribution::time_without_media(self.page.file, line, column, clock);
            self.result.problems.push(warning);
        }
        attribution::time_html(clock, seconds, self.page.has_media)
    }

    /// A warning for a pull quote signed with a name no speaker has: it
    /// stays unlinked, which is right for someone who is not a speaker and
    /// wrong for a misspelt one.
    fn unknown_speaker(&mut self, name: &str, offset: usize) {
        let (line, column) = self.lines.locate(offset);
        let hint = match self.resolver.closest_speaker(name) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "give the speaker a page with this `name:` to link the quote to it".to_string(),
        };
        self.result.problems.push(
            Diagnostic::warning(
                self.page.file,
                Some(line),
                format!("pull quote by `{name}`, who is no speaker of this site"),
            )
            .at_column(column)
            .with_hint(hint),
        );
    }
}

/// The content of a `[!FACILITATOR]` blockquote, marker removed.
struct FacilitatorNote {
    /// Text that followed the marker in its paragraph.
    first_paragraph_rest: Option<Range<usize>>,
    /// The blocks after the first paragraph.
    blocks: Range<usize>,
}

fn callout_names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}
