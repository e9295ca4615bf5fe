//! Markdown bodies to HTML: pulldown-cmark's events, rewritten on the way.
//!
//! - headings get stable ids, unique on the page;
//! - `.md` links (relative, or `@/` from the content root) become relative
//!   links to page URLs, `/` links to static files become relative too, and
//!   every link to something missing is a diagnostic at its file:line;
//!   raw HTML's `href`, `src` and `srcset` likewise;
//! - raw HTML that would make the page invalid or inaccessible, and
//!   headings that skip a level, are repaired with a warning;
//! - other generators' shortcodes are left as written, with a warning;
//! - GitHub callouts become `<aside class="callout ...">`; `[!FACILITATOR]`
//!   callouts are left out of learner builds;
//! - a blockquote ending in a line `— Name` becomes a pull quote.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostics::Diagnostic;

mod attribution;
mod github_slug;
mod headings;
mod html_repair;
mod link_rewrite;
mod links;
mod quotes;
mod raw_html;
mod shortcodes;
mod text;
mod waiting;

use github_slug::github_slug;
use headings::{shifted, takes_theme_prefix, HeadingIds};
pub use headings::{Heading, Headings, RESERVED_IDS, THEME_ID_PREFIX};
pub use links::{decode_link, root_prefix};
use raw_html::InlineTags;
use shortcodes::{find_shortcodes, shown, Shortcode};
use text::{count_words, heading_id_text, plain_text, text_break, LineIndex};
pub use waiting::WaitingHtml;

/// What the renderer needs to know about the rest of the site.
pub trait Resolver {
    /// The URL of the page with this ref, if it exists and is published.
    fn page(&self, reference: &str) -> Result<String, LinkProblem>;
    /// Whether `path` (without a leading `/`) is a static file or page URL.
    fn root_path_exists(&self, path: &str) -> bool;
    /// The ref of the page whose URL is `path` (without a leading `/`).
    fn page_at(&self, path: &str) -> Option<String>;
    /// The URL of the speaker page whose `name` is `name`.
    fn speaker_url(&self, name: &str) -> Option<String>;
    /// The name of the speaker whose name is closest to `name`, if one is
    /// close enough to be what was meant.
    fn closest_speaker(&self, _name: &str) -> Option<String> {
        None
    }
    /// Whether a link to heading `fragment` of page `reference` was found
    /// to name no heading (known only once every page is rendered): under
    /// `broken_links: warn` such a link is written without its fragment.
    fn heading_missing(&self, _reference: &str, _fragment: &str) -> bool {
        false
    }
}

/// Why a ref did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    Missing {
        suggestion: Option<String>,
    },
    Draft,
    /// The file is there but has errors of its own, reported at it: a link
    /// to it is not one more error.
    Unreadable,
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Keep `[!FACILITATOR]` notes.
    pub facilitator: bool,
    /// Whether links to missing pages, headings and files are errors.
    pub broken_links: crate::config::BrokenLinks,
}

/// The page a body belongs to.
#[derive(Clone, Copy)]
pub struct PageContext<'a> {
    /// Path shown in diagnostics.
    pub file: &'a str,
    /// The page's ref, to resolve relative `.md` links.
    pub reference: &'a str,
    /// The page's URL, to make links relative.
    pub url: &'a str,
    /// File line of the body's first line.
    pub body_line: usize,
    /// Put before every heading id (and same-page `#` link), when the body
    /// is shown inside another page, such as a track's workbook.
    pub id_prefix: &'a str,
    /// Levels added to every heading (at most h6), for the same reason.
    pub heading_offset: u8,
    /// Whether the page plays a recording that a quote's time can seek.
    pub has_media: bool,
}

impl<'a> PageContext<'a> {
    /// The context of a page shown at its own URL.
    pub fn own(file: &'a str, reference: &'a str, url: &'a str, body_line: usize) -> Self {
        PageContext {
            file,
            reference,
            url,
            body_line,
            id_prefix: "",
            heading_offset: 0,
            has_media: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The id of its `<figure>` on the page, for links to it.
    pub id: String,
    pub text: String,
    pub by: String,
    pub speaker_url: Option<String>,
}

/// A link to a heading of some page, checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentLink {
    pub target: String,
    pub fragment: String,
    pub line: usize,
    pub column: usize,
    /// Made inside a facilitator note: it may name the note's headings.
    pub in_facilitator_note: bool,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Headings,
    /// Ids of headings inside facilitator notes that this (learner) build
    /// leaves out: only to tell a link to one why it is broken.
    pub facilitator_ids: Vec<String>,
    pub quotes: Vec<Quote>,
    pub fragment_links: Vec<FragmentLink>,
    pub word_count: usize,
    /// Words of the visible body and how often each occurs, for search.
    pub terms: crate::terms::TermCounts,
    /// The visible body as text, for search excerpts: each block ends with
    /// a line break, so a heading does not run into the text after it.
    pub text: String,
    /// Where each heading of `headings` sits in `text` (start and end).
    pub heading_spans: Vec<(u32, u32)>,
    pub problems: Vec<Diagnostic>,
    /// HTML of front matter fields written in Markdown (an exercise's role
    /// briefs, then its model answer), rendered like the body beside it.
    pub field_html: Vec<String>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders one page's Markdown body.
pub fn render(
    body: &str,
    page: &PageContext,
    resolver: &dyn Resolver,
    options: RenderOptions,
) -> Rendered {
    crate::faults::maybe_panic_in_markdown(page.reference);
    // The parser gives no length hint: sized for about one event per
    // eight bytes of a typical page, the list seldom grows.
    let mut events: Vec<(Event, Range<usize>)> = Vec::with_capacity(body.len() / 8);
    events.extend(Parser::new_ext(body, self::options()).into_offset_iter());
    let count = events.len();
    let (partner, explicit_ids) = match_ends(&events);
    let mut renderer = Renderer {
        page,
        resolver,
        options,
        partner,
        events: &mut events,
        lines: LineIndex::new(body, page.body_line),
        source: body,
        root: root_prefix(page.url),
        ids: HeadingIds::new(),
        out: Vec::with_capacity(count),
        text: String::with_capacity(body.len()),
        result: Rendered::default(),
        depth: 0,
        too_deep: false,
        shortcodes: find_shortcodes(body),
        in_code_block: false,
        in_facilitator_note: false,
        link_broken: false,
        unlinked_ends: Vec::new(),
        inline_tags: InlineTags::default(),
        outline: Vec::new(),
        skipped_level_warned: false,
    };
    renderer.take_explicit_ids(&explicit_ids);
    renderer.run(0..count);
    let Renderer {
        out,
        mut result,
        text,
        ..
    } = renderer;
    result.word_count = count_words(&text);
    result.terms = crate::terms::count_terms(&text);
    result.text = text;
    result.text.shrink_to_fit();
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // Kept until the page's template runs, for every page at once: only
    // the bytes it uses.
    html.shrink_to_fit();
    result.html = html;
    result.headings.shrink_to_fit();
    result
}

/// For every `Start` event, the index of its `End`; and the indices of
/// the headings with an explicit `{#id}` (found in the same pass).
fn match_ends(events: &[(Event, Range<usize>)]) -> (Vec<usize>, Vec<usize>) {
    let mut partner = vec![0; events.len()];
    let mut open = Vec::new();
    let mut explicit_ids = Vec::new();
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(tag) => {
                if let Tag::Heading { id: Some(_), .. } = tag {
                    explicit_ids.push(index);
                }
                open.push(index);
            }
            Event::End(_) => {
                if let Some(start) = open.pop() {
                    partner[start] = index;
                    partner[index] = start;
                }
            }
            _ => {}
        }
    }
    (partner, explicit_ids)
}

struct Renderer<'a, 'e> {
    page: &'a PageContext<'a>,
    resolver: &'a dyn Resolver,
    options: RenderOptions,
    /// The parsed events. Each is moved to `out` when it is emitted (and a
    /// `SoftBreak` left in its place): the renderer reads an event only
    /// before it emits it, and moving costs less than cloning.
    events: &'a mut [(Event<'e>, Range<usize>)],
    partner: Vec<usize>,
    lines: LineIndex<'e>,
    /// The body, for what the events do not keep (smart punctuation as typed).
    source: &'e str,
    root: String,
    ids: HeadingIds,
    out: Vec<Event<'e>>,
    /// The visible text, for word counts and search.
    text: String,
    result: Rendered,
    /// Blockquotes being rendered around the current event.
    depth: usize,
    /// Whether blockquotes nested too deeply were reported.
    too_deep: bool,
    /// Other generators' shortcodes in the body, left as written.
    shortcodes: Vec<Shortcode>,
    /// Whether the current event is inside a code block.
    in_code_block: bool,
    /// Whether the current event is inside a facilitator note.
    in_facilitator_note: bool,
    /// Whether the link being rewritten names nothing (set by `broken_link`).
    link_broken: bool,
    /// The end events of links and images written as their text alone.
    unlinked_ends: Vec<usize>,
    /// The inline HTML tags of the block being rendered.
    inline_tags: InlineTags,
    /// The headings above the current one, each as (level written, level
    /// shown); under them all, the page's title (an h1).
    outline: Vec<(u8, u8)>,
    /// Whether a heading that skips a level was reported on this page.
    skipped_level_warned: bool,
}

/// What a table is wrapped in (see [`Renderer::emit`]).
const TABLE_BOX_START: &str =
    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n";

/// Blockquotes nested deeper than this are an error (and are written as
/// they are, without looking for callouts and quotes): each level is a
/// recursive call, and 100,000 `>` would overflow the stack.
const MAX_QUOTE_DEPTH: usize = 32;

impl<'e> Renderer<'_, 'e> {
    /// Emits the events in `range`, transformed.
    fn run(&mut self, range: Range<usize>) {
        let mut index = range.start;
        while index < range.end {
            match self.events[index].0 {
                Event::Start(Tag::Heading { .. }) => {
                    let end = self.partner[index];
                    self.heading(index, end);
                    index = end;
                }
                Event::Start(Tag::HtmlBlock) => {
                    let end = self.partner[index];
                    self.html_block(index, end);
                    index = end;
                }
                Event::Start(Tag::BlockQuote(kind)) if self.depth < MAX_QUOTE_DEPTH => {
                    let end = self.partner[index];
                    self.depth += 1;
                    self.blockquote(kind, index, end);
                    self.depth -= 1;
                    index = end;
                }
                _ => self.emit(index),
            }
            index += 1;
        }
    }

    /// Takes every `{#id}` of the page before any id is made from a
    /// heading's text: an explicit id wins over a generated one, wherever
    /// the two headings are. Two equal `{#id}`s are an error.
    fn take_explicit_ids(&mut self, headings: &[usize]) {
        let mut repeated = Vec::new();
        for &index in headings {
            let (event, range) = &self.events[index];
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                if !is_theme_id(id) && !self.ids.take(id) {
                    repeated.push((id.to_string(), range.start));
                }
            }
        }
        for (id, offset) in repeated {
            let (line, column) = self.lines.locate(offset);
            self.problem(
                line,
                column,
                format!("two headings have the id `{id}`"),
                "give each `{#id}` a different name",
            );
        }
    }

    /// Takes the event at `index` out of `events`, to emit it.
    /// Whether the link or image starting at `index`, just rewritten, is
    /// written as its text alone: under `broken_links: warn` a reader gets
    /// the words, not a link to a missing page or a broken image.
    fn unlinked(&mut self, index: usize) -> bool {
        let broken = std::mem::take(&mut self.link_broken);
        if broken {
            self.unlinked_ends.push(self.partner[index]);
        }
        broken
    }

    fn take(&mut self, index: usize) -> Event<'e> {
        std::mem::replace(&mut self.events[index].0, Event::SoftBreak)
    }

    /// Emits one event that is not a heading or a blockquote to look into.
    fn emit(&mut self, index: usize) {
        self.at_block_edge(index);
        let offset = self.events[index].1.start;
        match self.take(index) {
            event @ Event::Start(Tag::BlockQuote(_)) => {
                if !self.too_deep {
                    self.too_deep = true;
                    let (line, column) = self.lines.locate(offset);
                    self.problem(
                        line,
                        column,
                        format!("blockquotes are nested more than {MAX_QUOTE_DEPTH} deep"),
                        "use fewer `>` levels",
                    );
                }
                self.out.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_broken = false;
                let dest_url = match link_type {
                    LinkType::Autolink | LinkType::Email => dest_url,
                    _ => self.rewrite_link(&dest_url, offset, false),
                };
                if !self.unlinked(index) {
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_broken = false;
                let dest_url = self.rewrite_link(&dest_url, offset, true);
                if !self.unlinked(index) {
                    self.out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image)
                if self.unlinked_ends.last() == Some(&index) =>
            {
                self.unlinked_ends.pop();
            }
            Event::Text(text) => {
                // No space after: smart punctuation makes "Don’t" three
                // events, which are one word.
                let text = self.verbatim_shortcode(index).unwrap_or(text);
                self.text.push_str(&text);
                self.out.push(Event::Text(text));
            }
            event @ Event::Code(_) => {
                if let Event::Code(text) = &event {
                    self.text.push_str(text);
                }
                self.out.push(event);
            }
            Event::InlineHtml(html) => match self.verbatim_shortcode(index) {
                // `{{<youtube x>}}` holds what looks like a tag.
                Some(text) => self.out.push(Event::Text(text)),
                None => self.inline_html(html, offset),
            },
            Event::Html(html) => {
                let html = self.rewrite_html(html, offset);
                self.out.push(Event::Html(html));
            }
            event @ (Event::Start(Tag::CodeBlock(_)) | Event::End(TagEnd::CodeBlock)) => {
                self.in_code_block = matches!(event, Event::Start(_));
                self.out.push(event);
            }
            // A table scrolls sideways in its own box on narrow screens; the
            // box takes the keyboard focus, so it can be scrolled without a mouse.
            event @ Event::Start(Tag::Table(_)) => {
                self.out.push(Event::Html(CowStr::from(TABLE_BOX_START)));
                self.out.push(event);
            }
            event @ Event::End(TagEnd::Table) => {
                self.out.push(event);
                self.out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::TaskListMarker(checked) => {
                // pulldown-cmark's checkbox has no accessible name.
                let (state, label) = if checked {
                    (" checked", "done")
                } else {
                    ("", "not done")
                };
                self.out.push(Event::InlineHtml(CowStr::from(format!(
                    "<input type=\"checkbox\" disabled{state} aria-label=\"{label}\"> "
                ))));
            }
            event => {
                self.text.extend(text_break(&event));
                self.out.push(event);
            }
        }
    }

    /// For a text event inside another generator's shortcode, the text as
    /// written (smart punctuation would curl its quotes); warns once for
    /// each shortcode the event meets. Code blocks are left alone.
    ///
    /// Called for every text event: the check that there is nothing to do
    /// (most pages have no shortcodes) is inlined, the search is not.
    #[inline]
    fn verbatim_shortcode(&mut self, index: usize) -> Option<CowStr<'e>> {
        if self.shortcodes.is_empty() || self.in_code_block {
            return None;
        }
        self.shortcode_text(index)
    }

    #[inline(never)]
    fn shortcode_text(&mut self, index: usize) -> Option<CowStr<'e>> {
        let range = self.events[index].1.clone();
        let first = self
            .shortcodes
            .partition_point(|shortcode| shortcode.range.end <= range.start);
        let mut verbatim = None;
        for at in first..self.shortcodes.len() {
            let span = self.shortcodes[at].range.clone();
            if span.start >= range.end {
                break;
            }
            if !std::mem::replace(&mut self.shortcodes[at].warned, true) {
                let (line, column) = self.lines.locate(span.start);
                let message = format!(
                    "{} `{}` is left as text; salesbook has no shortcodes",
                    self.shortcodes[at].generator,
                    shown(&self.source[span.clone()])
                );
                self.result.problems.push(
                    Diagnostic::warning(self.page.file, Some(line), message)
                        .at_column(column)
                        .with_hint("write it as Markdown or HTML (a link, an image, an <iframe>), or put it in `code` to show it as it is"),
                );
            }
            if span.start <= range.start && range.end <= span.end {
                verbatim = Some(CowStr::Borrowed(&self.source[range.clone()]));
            }
        }
        verbatim
    }

    /// A block of raw HTML, its lines (one event each) read as one text:
    /// a tag may span lines, with its `src` on a line of its own.
    fn html_block(&mut self, start: usize, end: usize) {
        let opening = self.take(start);
        self.out.push(opening);
        let inner = start + 1..end;
        if self.events[inner.clone()]
            .iter()
            .all(|(event, _)| matches!(event, Event::Html(_)))
        {
            let offset = self
                .events
                .get(start + 1)
                .map_or(0, |(_, range)| range.start);
            let mut html = String::new();
            for index in inner {
                if let Event::Html(line) = self.take(index) {
                    html.push_str(&line);
                }
            }
            let html = self.rewrite_html(CowStr::from(html), offset);
            self.out.push(Event::Html(html));
        } else {
            self.run(inner);
        }
        let closing = self.take(end);
        self.out.push(closing);
    }

    fn heading(&mut self, start: usize, end: usize) {
        let offset = self.events[start].1.start;
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = self.take(start)
        else {
            return;
        };
        let title = plain_text(&self.events[start + 1..end]);
        let id = match id {
            Some(explicit) if is_theme_id(&explicit) => {
                let (line, column) = self.lines.locate(offset);
                self.problem(
                    line,
                    column,
                    format!("the heading id `{explicit}` is reserved for the theme"),
                    &format!(
                        "choose an id that is not {} and does not start with `{THEME_ID_PREFIX}`",
                        RESERVED_IDS.join(" or ")
                    ),
                );
                explicit.to_string()
            }
            // Taken by `take_explicit_ids`.
            Some(explicit) => explicit.to_string(),
            None => self.unique_id(&heading_id_text(&self.events[start + 1..end], self.source)),
        };
        let level = self.heading_level(level, &title, offset);
        let level = shifted(level, self.page.heading_offset);
        let id = if self.page.id_prefix.is_empty() {
            id
        } else {
            format!("{}{id}", self.page.id_prefix)
        };
        self.result.headings.push(level as u8, &id, &title);
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes,
            attrs,
        }));
        let text_start = self.text.len() as u32;
        self.run(start + 1..end);
        self.result
            .heading_spans
            .push((text_start, self.text.len() as u32));
        self.text.push('\n');
        self.out.push(Event::End(TagEnd::Heading(level)));
    }

    fn unique_id(&mut self, text: &str) -> String {
        let base = match github_slug(text) {
            slug if slug.is_empty() => "section".to_string(),
            // `sb` too: its numbered duplicates (`sb-1`) would take the
            // theme's prefix (found by fuzzing).
            slug if takes_theme_prefix(&slug) => format!("section-{slug}"),
            slug => slug,
        };
        self.ids.numbered(base)
    }

    fn problem(&mut self, line: usize, column: usize, message: String, hint: &str) {
        self.result.problems.push(
            Diagnostic::error(self.page.file, Some(line), message)
                .at_column(column)
                .with_hint(hint),
        );
    }
}

/// Whether an explicit `{#id}` is one of the theme's (an error).
fn is_theme_id(id: &str) -> bool {
    id.starts_with(THEME_ID_PREFIX) || RESERVED_IDS.contains(&id)
}

#[cfg(test)]
mod tests;
