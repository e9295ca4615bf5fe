//! Markdown bodies to HTML: pulldown-cmark's events, rewritten on the way.
//!
//! - headings get stable ids, unique on the page;
//! - `.md` links (relative, or `@/` from the content root) become relative
//!   links to page URLs, `/` links to static files become relative too, and
//!   every link to something missing is a diagnostic at its file:line;
//! - GitHub callouts become `<aside class="callout ...">`; `[!FACILITATOR]`
//!   callouts are left out of learner builds;
//! - a blockquote ending in a line `— Name` becomes a pull quote.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::content::slug::slugify;
use crate::diagnostics::Diagnostic;
use crate::text::escape_html;

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
}

/// Why a ref did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    Missing { suggestion: Option<String> },
    Draft,
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Keep `[!FACILITATOR]` notes.
    pub facilitator: bool,
}

/// The page a body belongs to.
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
        }
    }
}

/// One heading of a page, as [`Headings`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Heading<'a> {
    pub level: u8,
    pub id: &'a str,
    pub title: &'a str,
}

/// A page's headings in order, their ids and titles in one string: every
/// page keeps its own (for its table of contents, links to them and
/// search), a dozen or more, and two strings each took about 20 MB at
/// 10,000 pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headings {
    /// Each heading's id, then its title.
    text: String,
    /// Each heading's level, and where its id and its title end in `text`.
    marks: Vec<(u8, usize, usize)>,
}

impl Headings {
    pub fn push(&mut self, level: u8, id: &str, title: &str) {
        self.text.push_str(id);
        let id_end = self.text.len();
        self.text.push_str(title);
        self.marks.push((level, id_end, self.text.len()));
    }

    pub fn iter(&self) -> impl Iterator<Item = Heading<'_>> + '_ {
        let starts = std::iter::once(0).chain(self.marks.iter().map(|&(_, _, end)| end));
        self.marks
            .iter()
            .zip(starts)
            .map(|(&(level, id_end, title_end), start)| Heading {
                level,
                id: &self.text[start..id_end],
                title: &self.text[id_end..title_end],
            })
    }

    pub fn len(&self) -> usize {
        self.marks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// Keeps the first `count` headings.
    fn truncate(&mut self, count: usize) {
        self.marks.truncate(count);
        self.text
            .truncate(self.marks.last().map_or(0, |&(_, _, end)| end));
    }

    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.marks.shrink_to_fit();
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
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
    pub terms: crate::search::TermCounts,
    pub problems: Vec<Diagnostic>,
}

/// A page's HTML while it waits for its page template: a one-shot build
/// renders every page's Markdown before any template (the templates show
/// other pages' reading times). The first [`WaitingHtml::PLAIN_BUDGET`]
/// bytes of a build wait as they are; the rest is LZ4-compressed, so that
/// on a large site the waiting HTML does not become a third of its memory
/// (HTML packs to about half its size, at well over a gigabyte a second).
#[derive(Debug)]
pub enum WaitingHtml {
    Plain(String),
    Packed(Box<[u8]>),
}

impl WaitingHtml {
    /// How much HTML a build keeps unpacked: most of a 5,000-page site,
    /// under a fifth of a 50,000-page one. Packing costs time (about 8 %
    /// of a build's instructions when every page is packed), holding costs
    /// memory (each packed page would take about half).
    pub const PLAIN_BUDGET: usize = 32 << 20;

    /// `html` as it is while `held` (bytes of HTML kept so far, shared by
    /// the build's threads) stays within the budget, else packed.
    pub fn hold(html: String, held: &std::sync::atomic::AtomicUsize) -> Self {
        let before = held.fetch_add(html.len(), std::sync::atomic::Ordering::Relaxed);
        if before + html.len() <= Self::PLAIN_BUDGET {
            WaitingHtml::Plain(html)
        } else {
            Self::pack(&html)
        }
    }

    pub fn pack(html: &str) -> Self {
        WaitingHtml::Packed(
            lz4_flex::block::compress_prepend_size(html.as_bytes()).into_boxed_slice(),
        )
    }

    /// The HTML, for the last time.
    pub fn into_html(self) -> String {
        match self {
            WaitingHtml::Plain(html) => html,
            packed @ WaitingHtml::Packed(_) => packed.to_html(),
        }
    }

    /// A copy of the HTML.
    pub fn to_html(&self) -> String {
        let packed = match self {
            WaitingHtml::Plain(html) => return html.clone(),
            WaitingHtml::Packed(packed) => packed,
        };
        // Only `pack` makes these bytes, from a `str`: failing here is a bug
        // in this file, not something a page can cause.
        let bytes = lz4_flex::block::decompress_size_prepended(packed)
            .expect("WaitingHtml holds what WaitingHtml::pack compressed");
        debug_assert!(std::str::from_utf8(&bytes).is_ok());
        // SAFETY: `pack` compressed the bytes of a `str`, and LZ4 gives back
        // exactly the bytes it was given, so they are UTF-8. Checking them
        // again would read every page's HTML once more (0.5 % of a build).
        unsafe { String::from_utf8_unchecked(bytes) }
    }
}

/// Ids the theme puts on every page; headings never take them. The theme's
/// other ids all start with [`THEME_ID_PREFIX`].
pub const RESERVED_IDS: &[&str] = &["main", "top"];
pub const THEME_ID_PREFIX: &str = "sb-";

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
    let mut renderer = Renderer {
        page,
        resolver,
        options,
        partner: match_ends(&events),
        events: &mut events,
        lines: LineIndex::new(body, page.body_line),
        root: root_prefix(page.url),
        ids: HeadingIds::new(),
        out: Vec::with_capacity(count),
        text: String::with_capacity(body.len()),
        result: Rendered::default(),
        depth: 0,
        too_deep: false,
        in_facilitator_note: false,
    };
    renderer.run(0..count);
    let Renderer {
        out,
        mut result,
        text,
        ..
    } = renderer;
    result.word_count = count_words(&text);
    result.terms = crate::search::count_terms(&text);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // Kept until the page's template runs, for every page at once: only
    // the bytes it uses.
    html.shrink_to_fit();
    result.html = html;
    result.headings.shrink_to_fit();
    result
}

/// How many words separated by white space `text` has: the same as
/// `split_whitespace().count()`, eight bytes at a time where they are
/// ASCII, character by character elsewhere.
fn count_words(text: &str) -> usize {
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

/// Whether `slug`, or the numbered ids made from it (`slug-1`), start with
/// [`THEME_ID_PREFIX`].
fn takes_theme_prefix(slug: &str) -> bool {
    slug.starts_with(THEME_ID_PREFIX) || Some(slug) == THEME_ID_PREFIX.strip_suffix('-')
}

/// `level` moved down by `offset` levels, at most to h6.
fn shifted(level: HeadingLevel, offset: u8) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + usize::from(offset)).min(6))
        .unwrap_or(HeadingLevel::H6)
}

/// The relative path from a page URL to the site root, ending in `/`:
/// `./` for the home page, `../../` for `interviews/x/`.
pub fn root_prefix(url: &str) -> String {
    let depth = url.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// A link's path or fragment as a browser and a static host read it:
/// `%XX` sequences decoded once (`%20` is a space, `%41` an `A`), so that
/// links are checked against the file they will reach. A path that does
/// not decode to UTF-8 is kept as written. The LMS packager reads links
/// with it too.
pub fn decode_link(text: &str) -> Cow<'_, str> {
    match percent_encoding::percent_decode_str(text).decode_utf8() {
        Ok(decoded) => decoded,
        Err(_) => Cow::Borrowed(text),
    }
}

/// For every `Start` event, the index of its `End`.
fn match_ends(events: &[(Event, Range<usize>)]) -> Vec<usize> {
    let mut partner = vec![0; events.len()];
    let mut open = Vec::new();
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => open.push(index),
            Event::End(_) => {
                if let Some(start) = open.pop() {
                    partner[start] = index;
                    partner[index] = start;
                }
            }
            _ => {}
        }
    }
    partner
}

/// Byte offsets in the body to file lines and columns. Columns count
/// characters, as an editor does, not bytes.
struct LineIndex<'b> {
    body: &'b str,
    starts: Vec<usize>,
    first_line: usize,
    /// The last offset located and its column: offsets mostly come in
    /// order, so a long line's characters are counted once, not once per
    /// link on it.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'b> LineIndex<'b> {
    fn new(body: &'b str, first_line: usize) -> Self {
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

    fn locate(&self, offset: usize) -> (usize, usize) {
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
    /// Whether the current event is inside a facilitator note.
    in_facilitator_note: bool,
}

/// Ids taken on a page (a few dozen short strings: hashed with Fx).
#[derive(Default)]
struct HeadingIds {
    taken: FxHashSet<String>,
    /// For each base that needed a number, the next number to try: every
    /// number below it is taken, and ids are never given back, so a page of
    /// many equal headings tries each number once (not 1, 2, … each time).
    next_number: FxHashMap<String, usize>,
    /// Ids looked up, for the tests that bound the work.
    #[cfg(test)]
    probes: usize,
}

impl HeadingIds {
    /// The ids the theme puts on every page, taken.
    fn new() -> Self {
        let mut ids = HeadingIds::default();
        for id in RESERVED_IDS {
            ids.take(id);
        }
        ids
    }

    /// Takes `id`; false if it was taken already.
    fn take(&mut self, id: &str) -> bool {
        #[cfg(test)]
        {
            self.probes += 1;
        }
        self.taken.insert(id.to_string())
    }

    /// Takes `base` or, if it is taken, the first free `base-1`, `base-2`, ….
    fn numbered(&mut self, base: String) -> String {
        if self.take(&base) {
            return base;
        }
        let mut number = self.next_number.get(&base).copied().unwrap_or(1);
        let mut candidate = format!("{base}-{number}");
        while !self.take(&candidate) {
            number += 1;
            candidate = format!("{base}-{number}");
        }
        self.next_number.insert(base, number + 1);
        candidate
    }
}

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

    /// Takes the event at `index` out of `events`, to emit it.
    fn take(&mut self, index: usize) -> Event<'e> {
        std::mem::replace(&mut self.events[index].0, Event::SoftBreak)
    }

    /// Emits one event that is not a heading or a blockquote to look into.
    fn emit(&mut self, index: usize) {
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
                let dest_url = match link_type {
                    LinkType::Autolink | LinkType::Email => dest_url,
                    _ => self.rewrite_link(&dest_url, offset, false),
                };
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite_link(&dest_url, offset, true);
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            event @ (Event::Text(_) | Event::Code(_)) => {
                if let Event::Text(text) | Event::Code(text) = &event {
                    self.text.push_str(text);
                    self.text.push(' ');
                }
                self.out.push(event);
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
            event => self.out.push(event),
        }
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
            Some(explicit)
                if explicit.starts_with(THEME_ID_PREFIX)
                    || RESERVED_IDS.contains(&explicit.as_ref()) =>
            {
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
            Some(explicit) => {
                if !self.ids.take(&explicit) {
                    let (line, column) = self.lines.locate(offset);
                    self.problem(
                        line,
                        column,
                        format!("two headings have the id `{explicit}`"),
                        "give each `{#id}` a different name",
                    );
                }
                explicit.to_string()
            }
            None => self.unique_id(&title),
        };
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
        self.run(start + 1..end);
        self.out.push(Event::End(TagEnd::Heading(level)));
    }

    fn unique_id(&mut self, title: &str) -> String {
        let base = match slugify(title) {
            slug if slug.is_empty() => "section".to_string(),
            // `sb` too: its numbered duplicates (`sb-1`) would take the
            // theme's prefix (found by fuzzing).
            slug if takes_theme_prefix(&slug) => format!("section-{slug}"),
            slug => slug,
        };
        self.ids.numbered(base)
    }

    fn blockquote(&mut self, kind: Option<BlockQuoteKind>, start: usize, end: usize) {
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
        })
    }

    fn pull_quote(&mut self, start: usize, attribution: Attribution) {
        let Attribution {
            paragraph,
            break_at,
            name,
        } = attribution;
        let speaker_name = name.split(',').next().unwrap_or(&name).trim();
        let speaker_url = self.resolver.speaker_url(speaker_name);
        self.out.push(Event::Html(CowStr::from(
            "<figure class=\"pull-quote\">\n<blockquote>\n",
        )));
        let quote_start = self.out.len();
        self.run(start + 1..paragraph);
        if let Some(break_at) = break_at {
            self.out.push(Event::Start(Tag::Paragraph));
            self.run(paragraph + 1..break_at);
            self.out.push(Event::End(TagEnd::Paragraph));
        }
        let text = plain_text_of_events(&self.out[quote_start..]);
        let by = escape_html(&name);
        let caption = match &speaker_url {
            Some(url) => format!("<a href=\"{}{}\">{by}</a>", self.root, url),
            None => by,
        };
        self.out.push(Event::Html(CowStr::from(format!(
            "</blockquote>\n<figcaption>— {caption}</figcaption>\n</figure>\n"
        ))));
        self.result.quotes.push(Quote {
            text: text.trim().to_string(),
            by: name,
            speaker_url,
        });
    }

    /// Rewrites a link destination; records problems and fragment links.
    fn rewrite_link(&mut self, dest: &CowStr<'e>, offset: usize, is_image: bool) -> CowStr<'e> {
        let (line, column) = self.lines.locate(offset);
        match classify_link(dest) {
            LinkKind::External => dest.clone(),
            LinkKind::Relative(path) => {
                let target = resolve_relative_url(self.page.url, &decode_link(path))
                    .filter(|target| self.resolver.root_path_exists(target));
                if let Some(target) = target {
                    self.link_to_heading_at_url(&target, dest, line, column);
                } else {
                    let what = if is_image { "image" } else { "link" };
                    self.problem(
                        line,
                        column,
                        format!("{what} to `{dest}`: nothing is published at that address relative to this page"),
                        "link pages as .md files, and files of static/ with a leading / (e.g. /images/chart.png)",
                    );
                }
                dest.clone()
            }
            LinkKind::Fragment(fragment) => {
                self.link_to_heading(self.page.reference.to_string(), fragment, line, column);
                if self.page.id_prefix.is_empty() {
                    dest.clone()
                } else {
                    CowStr::from(format!("#{}{fragment}", self.page.id_prefix))
                }
            }
            LinkKind::RootPath { path, suffix } => {
                let decoded = decode_link(path);
                if self.resolver.root_path_exists(&decoded) {
                    self.link_to_heading_at_url(&decoded, dest, line, column);
                    CowStr::from(format!("{}{path}{suffix}", self.root))
                } else {
                    let what = if is_image { "image" } else { "link" };
                    self.problem(
                        line,
                        column,
                        format!("{what} to `{dest}`: there is no file static/{decoded} and no page at that URL"),
                        "check the spelling, or put the file in static/",
                    );
                    dest.clone()
                }
            }
            LinkKind::Page {
                path,
                from_root,
                fragment,
            } => {
                let Some(reference) = self.resolve_page_path(&decode_link(path), from_root) else {
                    self.problem(
                        line,
                        column,
                        format!("link to `{dest}` leaves the content folder"),
                        "link to a page inside content/, e.g. @/exercises/x.md",
                    );
                    return dest.clone();
                };
                match self.resolver.page(&reference) {
                    Ok(url) => {
                        if let Some(fragment) = fragment {
                            self.link_to_heading(reference, fragment, line, column);
                        }
                        let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
                        CowStr::from(format!("{}{url}{fragment}", self.root))
                    }
                    Err(LinkProblem::Draft) => {
                        self.problem(
                            line,
                            column,
                            format!("link to `{dest}`, which is a draft"),
                            "publish it (remove `draft: true`), remove the link, or build with --drafts",
                        );
                        dest.clone()
                    }
                    Err(LinkProblem::Missing { suggestion }) => {
                        let hint = match suggestion {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "check the file name; links are relative to this file, or start with @/ for the content folder".to_string(),
                        };
                        self.problem(
                            line,
                            column,
                            format!("link to `{dest}`: there is no page content/{reference}.md"),
                            &hint,
                        );
                        dest.clone()
                    }
                }
            }
        }
    }

    /// Records a link to heading `fragment` of page `target`, decoded as a
    /// browser decodes it, to check once every page is rendered.
    fn link_to_heading(&mut self, target: String, fragment: &str, line: usize, column: usize) {
        self.result.fragment_links.push(FragmentLink {
            target,
            fragment: decode_link(fragment).into_owned(),
            line,
            column,
            in_facilitator_note: self.in_facilitator_note,
        });
    }

    /// Records the `#heading` of link `dest`, if it has one and names a
    /// page by its URL `path` (from the root, decoded).
    fn link_to_heading_at_url(&mut self, path: &str, dest: &str, line: usize, column: usize) {
        let Some((_, fragment)) = dest.split_once('#') else {
            return;
        };
        if let Some(reference) = self.resolver.page_at(path) {
            self.link_to_heading(reference, fragment, line, column);
        }
    }

    /// The ref a `.md` link names, or `None` if it climbs out of content/.
    fn resolve_page_path(&self, path: &str, from_root: bool) -> Option<String> {
        let mut parts: Vec<&str> = if from_root {
            Vec::new()
        } else {
            let mut base: Vec<&str> = self.page.reference.split('/').collect();
            base.pop();
            base
        };
        for segment in path.trim_end_matches(".md").split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                other => parts.push(other),
            }
        }
        Some(parts.join("/"))
    }

    fn problem(&mut self, line: usize, column: usize, message: String, hint: &str) {
        self.result.problems.push(
            Diagnostic::error(self.page.file, Some(line), message)
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

struct Attribution {
    /// Index of the paragraph holding the attribution line.
    paragraph: usize,
    /// The line break before the attribution, if it shares the paragraph.
    break_at: Option<usize>,
    name: String,
}

#[derive(Debug, PartialEq, Eq)]
enum LinkKind<'a> {
    /// Has a scheme (`https:`, `mailto:`) or is protocol-relative.
    External,
    /// `#id` on the same page.
    Fragment(&'a str),
    /// `/path`: a static file or page URL; `suffix` is `?query#fragment`.
    RootPath { path: &'a str, suffix: &'a str },
    /// A `.md` file; `from_root` for `@/`.
    Page {
        path: &'a str,
        from_root: bool,
        fragment: Option<&'a str>,
    },
    /// Anything else relative to the page's URL: left as written, checked.
    Relative(&'a str),
}

/// Resolves a relative path against a page URL (`interviews/x/`) to a path
/// from the site root, or `None` if it climbs above the root.
fn resolve_relative_url(page_url: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = page_url.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut resolved = parts.join("/");
    if path.ends_with('/') && !resolved.is_empty() {
        resolved.push('/');
    }
    Some(resolved)
}

fn classify_link(dest: &str) -> LinkKind<'_> {
    if let Some(fragment) = dest.strip_prefix('#') {
        return LinkKind::Fragment(fragment);
    }
    let has_scheme = dest
        .find(':')
        .is_some_and(|colon| !dest[..colon].contains(['/', '?', '#']));
    if has_scheme || dest.starts_with("//") {
        return LinkKind::External;
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let path = before_fragment.split('?').next().unwrap_or_default();
    if let Some(rest) = path.strip_prefix("@/") {
        return LinkKind::Page {
            path: rest,
            from_root: true,
            fragment,
        };
    }
    if path.ends_with(".md") && !path.starts_with('/') {
        return LinkKind::Page {
            path,
            from_root: false,
            fragment,
        };
    }
    if let Some(rooted) = path.strip_prefix('/') {
        return LinkKind::RootPath {
            path: rooted,
            suffix: &dest[path.len()..],
        };
    }
    LinkKind::Relative(path)
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

fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        push_plain(&mut text, event);
    }
    text
}

fn plain_text_of_events(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        push_plain(&mut text, event);
    }
    text
}

fn push_plain(text: &mut String, event: &Event) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        Event::End(TagEnd::Paragraph) => text.push(' '),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_html_unpacks_to_the_same_text() {
        for html in [
            "",
            "<p>Café — “three tries”</p>\n",
            &"<li>Ask, listen.</li>".repeat(500),
        ] {
            assert_eq!(WaitingHtml::pack(html).to_html(), html);
            assert_eq!(WaitingHtml::pack(html).into_html(), html);
        }
    }

    #[test]
    fn html_waits_as_it_is_within_the_budget_and_packed_beyond() {
        let held = std::sync::atomic::AtomicUsize::new(0);
        let page = "<p>Ask, listen, ask again.</p>\n".repeat(1000);
        let pages = WaitingHtml::PLAIN_BUDGET / page.len() + 3;
        let waiting: Vec<WaitingHtml> = (0..pages)
            .map(|_| WaitingHtml::hold(page.clone(), &held))
            .collect();
        let plain = waiting
            .iter()
            .filter(|html| matches!(html, WaitingHtml::Plain(_)))
            .count();
        assert_eq!(plain, WaitingHtml::PLAIN_BUDGET / page.len());
        assert!(matches!(waiting.last(), Some(WaitingHtml::Packed(_))));
        for html in waiting {
            assert_eq!(html.into_html(), page);
        }
    }

    struct FakeSite;

    impl Resolver for FakeSite {
        fn page(&self, reference: &str) -> Result<String, LinkProblem> {
            match reference {
                "exercises/three-tries" => Ok("exercises/three-tries/".to_string()),
                "interviews/talk" => Ok("interviews/talk/".to_string()),
                "exercises/secret" => Err(LinkProblem::Draft),
                _ => Err(LinkProblem::Missing { suggestion: None }),
            }
        }
        fn root_path_exists(&self, path: &str) -> bool {
            ["img/logo.png", "files/my slides.pdf", "A.pdf"].contains(&path)
                || self.page_at(path).is_some()
        }
        fn page_at(&self, path: &str) -> Option<String> {
            let reference = path.trim_end_matches('/');
            self.page(reference).ok().map(|_| reference.to_string())
        }
        fn speaker_url(&self, name: &str) -> Option<String> {
            (name == "Leigh Ashton").then(|| "speakers/leigh-ashton/".to_string())
        }
    }

    fn render_body(body: &str, facilitator: bool) -> Rendered {
        let page = PageContext::own(
            "content/interviews/talk.md",
            "interviews/talk",
            "interviews/talk/",
            5,
        );
        render(body, &page, &FakeSite, RenderOptions { facilitator })
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tand\nnew\r\nlines\x0bvt\x0cff",
            "caf\u{e9} na\u{ef}ve\u{a0}nbsp\u{2003}em\u{3000}ideographic",
            "\u{85}next-line\u{2028}sep \u{1f600} emoji",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them_in_random_text() {
        // Runs of ASCII longer and shorter than eight bytes, ASCII white
        // space of every kind, and characters of two to four bytes, white
        // space among them.
        const PIECES: [&str; 16] = [
            "a",
            "word",
            "longer words",
            ".",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\x0b",
            "\x0c",
            "\u{a0}",
            "\u{2003}",
            "caf\u{e9}",
            "\u{4e2d}",
            "\u{1f642}",
        ];
        for text in crate::testing::random_texts(&PIECES, 5000, 40, 0x2545_F491_4F6C_DD1D) {
            assert_eq!(
                count_words(&text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn slugs_that_take_the_theme_prefix_are_told_without_a_copy() {
        for slug in [
            "", "s", "sb", "sb-", "sb-x", "sbx", "xsb-", "section", "sb-1",
        ] {
            assert_eq!(
                takes_theme_prefix(slug),
                format!("{slug}-").starts_with(THEME_ID_PREFIX),
                "{slug}"
            );
        }
    }

    #[test]
    fn headings_get_unique_ids() {
        let rendered = render_body(
            "## Why it works\n\n## Why it works\n\n## Custom {#mine}\n",
            false,
        );
        let ids: Vec<_> = rendered.headings.iter().map(|h| h.id).collect();
        assert_eq!(ids, ["why-it-works", "why-it-works-1", "mine"]);
        assert!(rendered.html.contains("<h2 id=\"why-it-works-1\">"));
    }

    /// The ids given for `ids` (`Ok` an explicit `{#id}`, `Err` a base to
    /// number) as the renderer gave them before it remembered numbers: the
    /// first free `base-1`, `base-2`, ….
    fn ids_numbered_from_one(ids: &[Result<&str, &str>]) -> Vec<String> {
        let mut taken: FxHashSet<String> = RESERVED_IDS.iter().map(|id| id.to_string()).collect();
        let mut given = Vec::new();
        for id in ids {
            match id {
                Ok(explicit) => {
                    taken.insert(explicit.to_string());
                    given.push(explicit.to_string());
                }
                Err(base) => {
                    let mut candidate = base.to_string();
                    let mut number = 1;
                    while taken.contains(&candidate) {
                        candidate = format!("{base}-{number}");
                        number += 1;
                    }
                    taken.insert(candidate.clone());
                    given.push(candidate);
                }
            }
        }
        given
    }

    #[test]
    fn numbered_ids_are_the_first_free_number_whatever_authors_wrote() {
        // `Ok` is an explicit `{#id}`, `Err` a base to number.
        let ids = [
            Err("x"),
            Ok("x-2"),
            Err("x"),
            Err("x"),
            Ok("x-4-1"),
            Err("x-1"),
            Err("x-4"),
            Err("x-4"),
            Err("x"),
            Err("main"),
            Ok("y-1"),
            Err("y"),
            Err("y"),
            Err("y"),
        ];
        let mut heading_ids = HeadingIds::new();
        let given: Vec<String> = ids
            .iter()
            .map(|id| match id {
                Ok(explicit) => {
                    heading_ids.take(explicit);
                    explicit.to_string()
                }
                Err(base) => heading_ids.numbered(base.to_string()),
            })
            .collect();
        assert_eq!(given, ids_numbered_from_one(&ids));
    }

    #[test]
    fn many_equal_headings_try_each_number_once() {
        // Numbered from 1 for each, 40,000 equal headings tried 800 million
        // ids; now each takes two lookups: its base, then its number.
        let probes = |count: usize| {
            let mut ids = HeadingIds::new();
            let before = ids.probes;
            for _ in 0..count {
                ids.numbered("why-it-works".to_string());
            }
            ids.probes - before
        };
        assert_eq!(probes(1000), 2 * 1000 - 1);
        assert_eq!(probes(2000), 2 * 2000 - 1);
    }

    #[test]
    fn facilitator_notes_headings_and_quotes_stay_out_of_learner_builds() {
        let body = "## Open\n\n> [!FACILITATOR]\n> ## Answers\n>\n> > Close it.\n> >\n> > — Leigh Ashton\n\n## Shut\n";
        let learner = render_body(body, false);
        let ids: Vec<_> = learner.headings.iter().map(|h| h.id).collect();
        assert_eq!(ids, ["open", "shut"]);
        assert!(learner.quotes.is_empty());
        assert_eq!(learner.facilitator_ids, ["answers"]);
        let facilitator = render_body(body, true);
        let ids: Vec<_> = facilitator.headings.iter().map(|h| h.id).collect();
        assert_eq!(ids, ["open", "answers", "shut"]);
        assert_eq!(facilitator.quotes[0].text, "Close it.");
        assert!(facilitator.facilitator_ids.is_empty());
    }

    #[test]
    fn headings_never_take_the_themes_ids() {
        let rendered = render_body("## Main\n\n## SB notes\n\n## X {#sb-x}\n", false);
        let ids: Vec<_> = rendered.headings.iter().map(|h| h.id).collect();
        assert_eq!(ids[..2], ["main-1", "section-sb-notes"]);
        assert!(rendered.problems[0]
            .message
            .contains("reserved for the theme"));
    }

    #[test]
    fn md_links_become_relative_page_urls() {
        let rendered = render_body(
            "See [this](../exercises/three-tries.md#how) and [that](@/exercises/three-tries.md).\n",
            false,
        );
        assert!(
            rendered
                .html
                .contains("href=\"../../exercises/three-tries/#how\""),
            "{}",
            rendered.html
        );
        assert!(rendered
            .html
            .contains("href=\"../../exercises/three-tries/\""));
        assert_eq!(rendered.fragment_links[0].target, "exercises/three-tries");
        assert_eq!(rendered.fragment_links[0].fragment, "how");
        assert!(rendered.problems.is_empty());
    }

    #[test]
    fn missing_page_is_reported_at_file_line_and_column() {
        let rendered = render_body("First line.\n\nA [broken](nope.md) link.\n", false);
        assert_eq!(rendered.problems.len(), 1);
        let problem = rendered.problems[0].to_string();
        assert!(
            problem.starts_with("error: content/interviews/talk.md:7:3: link to `nope.md`: there is no page content/interviews/nope.md"),
            "{problem}"
        );
    }

    #[test]
    fn links_to_drafts_and_outside_content_are_errors() {
        let rendered = render_body(
            "[a](../exercises/secret.md) [b](../../../etc/passwd.md)\n",
            false,
        );
        assert_eq!(rendered.problems.len(), 2);
        assert!(rendered.problems[0].message.contains("draft"));
        assert!(rendered.problems[1]
            .message
            .contains("leaves the content folder"));
    }

    #[test]
    fn root_links_name_static_files() {
        let rendered = render_body("![logo](/img/logo.png) [x](/missing.pdf)\n", false);
        assert!(rendered.html.contains("src=\"../../img/logo.png\""));
        assert_eq!(rendered.problems.len(), 1);
        assert!(rendered.problems[0].message.contains("static/missing.pdf"));
    }

    #[test]
    fn external_links_are_untouched() {
        let rendered = render_body(
            "[a](https://example.com/x.md) [b](mailto:a@b.c) [c](../../img/logo.png)\n",
            false,
        );
        assert!(rendered.html.contains("href=\"https://example.com/x.md\""));
        assert!(rendered.html.contains("href=\"../../img/logo.png\""));
        assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
    }

    #[test]
    fn relative_links_to_nothing_are_errors() {
        let rendered = render_body("![chart](chart.png)\n", false);
        assert_eq!(rendered.problems.len(), 1);
        assert!(rendered.problems[0]
            .message
            .contains("nothing is published"));
    }

    #[test]
    fn relative_urls_resolve_against_the_page() {
        assert_eq!(
            resolve_relative_url("interviews/x/", "../../img/a.png").as_deref(),
            Some("img/a.png")
        );
        assert_eq!(
            resolve_relative_url("interviews/x/", "../y/").as_deref(),
            Some("interviews/y/")
        );
        assert_eq!(resolve_relative_url("", "../a"), None);
    }

    #[test]
    fn task_list_checkboxes_have_accessible_names() {
        let rendered = render_body("- [x] rest\n- [ ] read\n", false);
        assert!(
            rendered
                .html
                .contains("<input type=\"checkbox\" disabled checked aria-label=\"done\"> rest"),
            "{}",
            rendered.html
        );
        assert!(rendered
            .html
            .contains("<input type=\"checkbox\" disabled aria-label=\"not done\"> read"));
    }

    #[test]
    fn callouts_become_asides() {
        let rendered = render_body("> [!TIP]\n> Try it three times.\n", false);
        assert!(rendered.html.contains("<aside class=\"callout callout-tip\" role=\"note\"><p class=\"callout-title\">Tip</p>"), "{}", rendered.html);
        assert!(rendered.html.contains("Try it three times."));
    }

    #[test]
    fn facilitator_notes_only_in_facilitator_builds() {
        let body = "Before.\n\n> [!FACILITATOR]\n> Ask the group first.\n\nAfter.\n";
        let learner = render_body(body, false);
        assert!(!learner.html.contains("Ask the group"), "{}", learner.html);
        assert!(!learner.html.contains("FACILITATOR"));
        assert!(learner.html.contains("After."));
        let facilitator = render_body(body, true);
        assert!(
            facilitator.html.contains("callout-facilitator"),
            "{}",
            facilitator.html
        );
        assert!(facilitator.html.contains("Ask the group first."));
        assert!(!facilitator.html.contains("[!FACILITATOR]"));
    }

    #[test]
    fn links_inside_hidden_facilitator_notes_are_still_checked() {
        let learner = render_body("> [!FACILITATOR]\n>\n> See [x](gone.md).\n", false);
        assert_eq!(learner.problems.len(), 1);
    }

    #[test]
    fn attributed_blockquote_becomes_pull_quote() {
        let rendered = render_body("> Practise it three times.\n>\n> — Leigh Ashton\n", false);
        assert!(
            rendered.html.contains("<figure class=\"pull-quote\">"),
            "{}",
            rendered.html
        );
        assert!(rendered.html.contains("<figcaption>— <a href=\"../../speakers/leigh-ashton/\">Leigh Ashton</a></figcaption>"), "{}", rendered.html);
        assert_eq!(rendered.quotes[0].text, "Practise it three times.");
        assert_eq!(rendered.quotes[0].by, "Leigh Ashton");
    }

    #[test]
    fn attribution_on_the_last_line_of_the_same_paragraph() {
        let rendered = render_body("> Give it a go.\n> -- Someone Else\n", false);
        assert!(
            rendered
                .html
                .contains("<figcaption>— Someone Else</figcaption>"),
            "{}",
            rendered.html
        );
        assert!(rendered.html.contains("<p>Give it a go.</p>"));
        assert_eq!(rendered.quotes[0].speaker_url, None);
    }

    #[test]
    fn plain_blockquote_stays_a_blockquote() {
        let rendered = render_body("> Just a quote.\n", false);
        assert!(rendered.html.contains("<blockquote>"));
        assert!(rendered.quotes.is_empty());
    }

    #[test]
    fn embedded_bodies_get_prefixed_ids_shifted_headings_and_their_own_root() {
        let page = PageContext {
            id_prefix: "sb-w2-",
            heading_offset: 1,
            ..PageContext::own(
                "content/interviews/talk.md",
                "interviews/talk",
                "tracks/t/workbook/",
                5,
            )
        };
        let body = "## Steps\n\nSee [below](#steps) and [this](../exercises/three-tries.md).\n";
        let rendered = render(body, &page, &FakeSite, RenderOptions { facilitator: false });
        assert!(
            rendered.html.contains("<h3 id=\"sb-w2-steps\">Steps</h3>"),
            "{}",
            rendered.html
        );
        assert!(rendered.html.contains("href=\"#sb-w2-steps\""));
        assert!(rendered
            .html
            .contains("href=\"../../../exercises/three-tries/\""));
    }

    #[test]
    fn links_are_decoded_once_as_a_browser_decodes_them() {
        for (written, read) in [
            ("my%20file.pdf", "my file.pdf"),
            ("%41.pdf", "A.pdf"),
            ("%2541.pdf", "%41.pdf"),
            ("caf%C3%A9", "café"),
            ("100%.pdf", "100%.pdf"),
            ("%zz", "%zz"),
            ("%FF.pdf", "%FF.pdf"),
        ] {
            assert_eq!(decode_link(written), read, "{written}");
        }
    }

    #[test]
    fn encoded_root_links_are_checked_decoded_and_written_as_they_are() {
        let rendered = render_body(
            "[a](/files/my%20slides.pdf) [b](/%41.pdf) [c](/%2541.pdf) [d](/exercises/three-tries/#st%65ps)\n",
            false,
        );
        assert!(rendered
            .html
            .contains("href=\"../../files/my%20slides.pdf\""));
        assert!(rendered.html.contains("href=\"../../%41.pdf\""));
        assert_eq!(rendered.problems.len(), 1, "{:?}", rendered.problems);
        assert!(rendered.problems[0].message.contains("static/%41.pdf"));
        let link = &rendered.fragment_links[0];
        assert_eq!(
            (link.target.as_str(), link.fragment.as_str()),
            ("exercises/three-tries", "steps")
        );
    }

    #[test]
    fn relative_links_to_a_page_s_heading_are_checked_too() {
        let rendered = render_body(
            "[a](../../exercises/three-tries/#how) [b](#top) [c](?q#here) [d](../../img/logo.png#x)\n",
            false,
        );
        let links: Vec<_> = rendered
            .fragment_links
            .iter()
            .map(|link| (link.target.as_str(), link.fragment.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("exercises/three-tries", "how"),
                ("interviews/talk", "top"),
                ("interviews/talk", "here")
            ]
        );
    }

    #[test]
    fn root_prefix_climbs_to_the_root() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("about/"), "../");
        assert_eq!(root_prefix("interviews/x/"), "../../");
    }
}
