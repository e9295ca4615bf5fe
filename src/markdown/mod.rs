//! Markdown bodies to HTML: pulldown-cmark's events, rewritten on the way.
//!
//! - headings get stable ids, unique on the page;
//! - `.md` links (relative, or `@/` from the content root) become relative
//!   links to page URLs, `/` links to static files become relative too, and
//!   every link to something missing is a diagnostic at its file:line;
//! - GitHub callouts become `<aside class="callout ...">`; `[!FACILITATOR]`
//!   callouts are left out of learner builds;
//! - a blockquote ending in a line `— Name` becomes a pull quote.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::content::slug::slugify;
use crate::diagnostics::Diagnostic;
use crate::text::escape_html;

mod headings;
mod links;
mod text;
mod waiting;

use headings::{shifted, takes_theme_prefix, HeadingIds};
pub use headings::{Heading, Headings, RESERVED_IDS, THEME_ID_PREFIX};
use links::{classify_link, resolve_relative_url, LinkKind};
pub use links::{decode_link, root_prefix};
use text::{count_words, plain_text, plain_text_of_events, text_break, LineIndex};
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
    pub terms: crate::terms::TermCounts,
    /// The visible body as text, for search excerpts: each block ends with
    /// a line break, so a heading does not run into the text after it.
    pub text: String,
    /// Where each heading of `headings` sits in `text` (start and end).
    pub heading_spans: Vec<(u32, u32)>,
    pub problems: Vec<Diagnostic>,
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
                // No space after: smart punctuation makes "Don’t" three
                // events, which are one word.
                if let Event::Text(text) | Event::Code(text) = &event {
                    self.text.push_str(text);
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
            event => {
                self.text.extend(text_break(&event));
                self.out.push(event);
            }
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
        let text_start = self.text.len() as u32;
        self.run(start + 1..end);
        self.result
            .heading_spans
            .push((text_start, self.text.len() as u32));
        self.text.push('\n');
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
        let speaker_name = name.split(',').next().unwrap_or(&name).trim();
        let speaker_url = self.resolver.speaker_url(speaker_name);
        if speaker_url.is_none() {
            self.unknown_speaker(speaker_name, offset);
        }
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
                    Err(LinkProblem::Unreadable) => dest.clone(),
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
    /// Where the attribution line starts in the source.
    offset: usize,
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

#[cfg(test)]
mod tests;
