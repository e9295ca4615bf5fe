//! What templates see: borrowed, serializable views of the site's pages.
//! This file is the theme contract; docs/themes.md (Template context) describes it.

use std::borrow::Cow;
use std::sync::Mutex;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use tera::Value;

use super::quiz::{quiz_view, QuizView};
use crate::content::frontmatter::{Difficulty, InterviewFields, SpeakerLink};
use crate::content::media::Media;
use crate::content::slug::tag_slug;
use crate::content::{Details, Kind, Page};
use crate::markdown::{Heading, WaitingHtml};
use crate::site::{PageId, Site};
use crate::text::smart_punctuation;

use super::photos::{local_photo, photo_url};
use crate::vtt::{clock, Cue};

/// Words a learner reads per minute, for `reading_minutes`.
const WORDS_PER_MINUTE: usize = 200;

#[derive(Debug, Serialize)]
pub struct TagView {
    pub name: String,
    pub slug: String,
    pub url: String,
}

impl TagView {
    pub fn new(name: &str) -> Self {
        let slug = tag_slug(name);
        TagView {
            name: name.trim().to_string(),
            url: format!("topics/{slug}/"),
            slug,
        }
    }
}

/// Text with nothing HTML escaping would change (no `&`, `<`, `>`, `"`
/// or `'`), such as most URLs, as a template value marked safe: Tera then
/// prints it as it is instead of running the escaper over it on every
/// page. Text with any of those characters stays a plain string, escaped
/// as before, so the output is the same either way.
pub fn unescaped(text: &str) -> Value {
    if text
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        Value::from(text)
    } else {
        Value::safe_string(text)
    }
}

/// For `#[serde(serialize_with)]`: a string field as [`unescaped`] makes it.
pub fn serialize_unescaped<T: AsRef<str>, S: Serializer>(
    text: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    unescaped(text.as_ref()).serialize(serializer)
}

/// A string field of a view, serialized as [`unescaped`] makes it.
#[derive(Debug, Clone, Copy)]
pub struct Unescaped<'a>(pub &'a str);

impl Serialize for Unescaped<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        unescaped(self.0).serialize(serializer)
    }
}

/// Fields written into an enclosing struct's view: what
/// `#[serde(flatten)]` does, without turning the struct into a map (whose
/// every key Tera would allocate anew for every page's view).
trait Fields {
    fn count(&self) -> usize;
    fn write<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error>;
}

/// A view struct whose fields templates see by name (`field as "key"`
/// for another key), with the fields of `..nested` views written beside
/// them: its [`Fields`] and `Serialize` are derived from the one list, so
/// the count always matches what is written.
macro_rules! view_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident<$lt:lifetime> {
            $(..$before:ident: $before_type:ty,)?
            $($field:ident $(as $key:literal)?: $type:ty,)+
            $(..$after:ident: $after_type:ty,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name<$lt> {
            $(pub $before: $before_type,)?
            $(pub $field: $type,)*
            $(pub $after: $after_type,)?
        }

        impl Fields for $name<'_> {
            fn count(&self) -> usize {
                0 $(+ self.$before.count())? $(+ one!($field))* $(+ self.$after.count())?
            }

            fn write<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
                $(self.$before.write(out)?;)?
                $(out.serialize_field(key!($field $($key)?), &self.$field)?;)*
                $(self.$after.write(out)?;)?
                Ok(())
            }
        }

        impl Serialize for $name<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut out = serializer.serialize_struct(stringify!($name), self.count())?;
                self.write(&mut out)?;
                out.end()
            }
        }
    };
}

/// An enum of views whose variant's fields are written into an enclosing
/// view by name, counted from the same list.
macro_rules! view_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident<$lt:lifetime> {
            $($variant:ident { $($field:ident: $type:ty),* $(,)? },)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub enum $name<$lt> {
            $($variant { $($field: $type),* },)*
        }

        impl Fields for $name<'_> {
            fn count(&self) -> usize {
                match self {
                    $($name::$variant { .. } => 0 $(+ one!($field))*,)*
                }
            }

            fn write<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
                match self {
                    $($name::$variant { $($field),* } => {
                        $(out.serialize_field(stringify!($field), $field)?;)*
                        Ok(())
                    })*
                }
            }
        }
    };
}

/// 1 for each field, to count them.
macro_rules! one {
    ($field:ident) => {
        1
    };
}

/// The key templates see a field by: its name, or the one given.
macro_rules! key {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $key:literal) => {
        $key
    };
}

view_struct! {
    /// A page as shown in lists and cards: its own fields, no related pages.
    /// Templates see `reference` as `ref`, and the kind's fields beside the others.
    pub struct Brief<'a> {
        kind: &'static str,
        reference as "ref": &'a str,
        slug: &'a str,
        url: Unescaped<'a>,
        title: Cow<'a, str>,
        summary: Option<Cow<'a, str>>,
        date: Option<&'a str>,
        updated: Option<&'a str>,
        date_display: Option<String>,
        updated_display: Option<String>,
        tags: Vec<TagView>,
        draft: bool,
        weight: Option<i64>,
        extra: &'a serde_json::Value,
        reading_minutes: usize,
        ..fields: KindFields<'a>,
    }
}

view_enum! {
    /// The scalar fields of each kind, written into [`Brief`].
    pub enum KindFields<'a> {
        Interview {
            duration_minutes: Option<u32>,
            source: Option<&'a str>,
            media: Option<&'a str>,
        },
        Exercise {
            objective: Option<Cow<'a, str>>,
            difficulty: Option<Difficulty>,
            duration_minutes: Option<u32>,
            attempts: u32,
            quiz_questions: usize,
        },
        Track {
            level: Option<&'a str>,
            item_count: usize,
        },
        Speaker {
            name: Cow<'a, str>,
            role: Option<Cow<'a, str>>,
            company: Option<Cow<'a, str>>,
            photo: Option<String>,
            photo_2x: Option<String>,
        },
        Plain {},
    }
}

static EMPTY_MAP: std::sync::LazyLock<serde_json::Value> =
    std::sync::LazyLock::new(|| serde_json::Value::Object(Default::default()));

pub fn brief<'a>(site: &'a Site, index: PageId) -> Brief<'a> {
    let page = &site.pages[index];
    let strings = &site.config.strings;
    let words = site.rendered(index).word_count;
    Brief {
        kind: page.kind.name(),
        reference: &page.reference,
        slug: &page.slug,
        url: Unescaped(&page.url),
        title: smart_punctuation(page.title()),
        summary: page.common.summary.as_deref().map(smart_punctuation),
        date: page.common.date.as_deref(),
        updated: page.common.updated.as_deref(),
        date_display: page.common.date.as_deref().map(|d| strings.date(d)),
        updated_display: page.common.updated.as_deref().map(|d| strings.date(d)),
        tags: page.common.tags.iter().map(|t| TagView::new(t)).collect(),
        draft: page.common.draft,
        weight: page.common.weight,
        extra: page.common.extra.as_ref().unwrap_or(&EMPTY_MAP),
        reading_minutes: words.div_ceil(WORDS_PER_MINUTE).max(1),
        fields: kind_fields(site, index),
    }
}

fn kind_fields(site: &Site, index: PageId) -> KindFields<'_> {
    match &site.pages[index].details {
        Details::Interview(fields) => KindFields::Interview {
            duration_minutes: fields.duration_minutes,
            source: fields.source.as_deref(),
            media: fields.media.as_deref(),
        },
        Details::Exercise(fields) => KindFields::Exercise {
            objective: fields.objective.as_deref().map(smart_punctuation),
            difficulty: fields.difficulty,
            duration_minutes: fields.duration_minutes,
            attempts: fields.attempts(),
            quiz_questions: fields.quiz.len(),
        },
        Details::Track(_) => KindFields::Track {
            level: match &site.pages[index].details {
                Details::Track(fields) => fields.level.as_deref(),
                _ => None,
            },
            item_count: site.resolved(index).items.len(),
        },
        Details::Speaker(fields) => {
            let page = &site.pages[index];
            // A photo of the site is shown resized (see render/photos.rs).
            let (photo, photo_2x) = match local_photo(site, page) {
                Some(local) => (
                    Some(photo_url(page, &local, 1)),
                    Some(photo_url(page, &local, 2)),
                ),
                None => (fields.photo.as_deref().map(site_relative), None),
            };
            KindFields::Speaker {
                name: smart_punctuation(fields.name.as_deref().unwrap_or_default()),
                role: fields.role.as_deref().map(smart_punctuation),
                company: fields.company.as_deref().map(smart_punctuation),
                photo,
                photo_2x,
            }
        }
        Details::Home | Details::Page => KindFields::Plain {},
    }
}

/// `/img/x.jpg` becomes `img/x.jpg` (templates prefix `root`); full URLs
/// stay as they are.
fn site_relative(url: &str) -> String {
    url.strip_prefix('/').unwrap_or(url).to_string()
}

view_struct! {
    /// A page with everything a page template shows: the brief's fields, the
    /// body, and the kind's relations beside them.
    pub struct Full<'a> {
        ..brief: Brief<'a>,
        content: Cow<'a, str>,
        toc: Vec<Heading<'a>>,
        tracks: Vec<TrackPosition>,
        breadcrumbs: Vec<SectionLink<'a>>,
        section: Option<SectionNav<'a>>,
        children: Vec<Value>,
        ..relations: Relations<'a>,
    }
}

/// A link to a section's page, for breadcrumbs.
#[derive(Debug, Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

/// The section a page is in, for a side navigation: its link and its
/// pages and sub-sections in order, the page itself marked `current`.
#[derive(Debug, Serialize)]
pub struct SectionNav<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub entries: Vec<NavEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct NavEntry<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub current: bool,
    /// A sub-section rather than a page.
    pub section: bool,
}

/// Where a page sits in a track, for previous/next links.
#[derive(Debug, Serialize)]
pub struct TrackPosition {
    pub track: Value,
    pub position: usize,
    pub total: usize,
    pub prev: Option<Value>,
    pub next: Option<Value>,
}

#[derive(Debug, Serialize)]
pub struct QuoteView<'a> {
    /// The id of the quote's figure in the body, to link to.
    pub id: &'a str,
    pub text: &'a str,
    pub by: &'a str,
    pub speaker: Option<Value>,
}

/// How an interview's `media` is shown: a native player for a file of the
/// site, a link that loads nothing until followed for another site's.
#[derive(Debug, Serialize)]
pub struct PlayerView<'a> {
    /// `audio`, `video` or `remote`.
    pub kind: &'static str,
    /// Site-relative for a file of the site (templates prefix `root`).
    pub src: String,
    pub mime: &'static str,
    /// The other site's host name, for "Listen on ...".
    pub host: &'a str,
    /// "Watch on youtube.com", "Listen on podcasts.example.com": the link
    /// to another site's player.
    pub label: String,
    /// The transcript's site-relative path, as captions of a video.
    pub captions: Option<String>,
}

/// One transcript cue; `seconds` seeks the player.
#[derive(Debug, Serialize)]
pub struct CueView<'a> {
    pub seconds: f64,
    pub clock: String,
    pub speaker: Option<&'a str>,
    pub text: &'a str,
}

view_enum! {
    /// The lists and related pages of each kind, written into [`Full`].
    pub enum Relations<'a> {
        Interview {
            host: Option<Value>,
            guests: Vec<Value>,
            learn: Vec<Cow<'a, str>>,
            takeaways: Vec<Cow<'a, str>>,
            quotes: Vec<QuoteView<'a>>,
            exercises: Vec<Value>,
            player: Option<PlayerView<'a>>,
            transcript: Vec<CueView<'a>>,
        },
        Exercise {
            related: Vec<Value>,
            reflection: Vec<Cow<'a, str>>,
            quiz: Vec<QuizView<'a>>,
            attempt_numbers: Vec<u32>,
            roles: Vec<super::roleplay::RoleView<'a>>,
            rubric: Vec<Cow<'a, str>>,
            model_answer: Option<&'a str>,
            review_days: Vec<u32>,
        },
        Track {
            items: Vec<Value>,
        },
        Speaker {
            links: &'a [SpeakerLink],
            interviews: Vec<Value>,
        },
        Plain {},
    }
}

/// What rendering derives once per build: reverse relations, and every
/// page's brief view as a template value, made the first time a page shows
/// it (a rebuild renders few pages) and then shared, not copied, by the
/// many lists and related-page fields that show it.
pub struct Derived<'a> {
    site: &'a Site,
    briefs: Vec<std::sync::OnceLock<Value>>,
    /// For each page: (track, position in it).
    pub tracks_of: Vec<Vec<(PageId, usize)>>,
    /// For each interview: exercises whose `related` names it.
    pub exercises_of: Vec<Vec<PageId>>,
    /// For each speaker: interviews they host or guest on, in page order
    /// (a speaker's page sorts them newest first; a rebuild renders few
    /// speaker pages, so the sort is not paid for every speaker each time).
    pub interviews_of: Vec<Vec<PageId>>,
    /// Page by URL, to find the speaker a quote links to.
    pub by_url: rustc_hash::FxHashMap<&'a str, PageId>,
    /// For each track: its side navigation (see [`super::navigation::track_nav`]).
    pub track_navs: Vec<std::sync::OnceLock<Value>>,
    /// The pages' HTML when a one-shot build handed it over (see
    /// [`Derived::with_html`]); empty when it stays in `site.rendered`.
    html: Vec<Mutex<Option<WaitingHtml>>>,
}

/// Whether a page's HTML is used for the last time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentUse {
    /// By the page's own output file, rendered once.
    Last,
    /// By another page (a workbook shows its items in full).
    Shared,
}

impl<'a> Derived<'a> {
    pub fn new(site: &'a Site) -> Self {
        let count = site.pages.len();
        let mut links = Derived {
            site,
            briefs: (0..count).map(|_| std::sync::OnceLock::new()).collect(),
            tracks_of: vec![Vec::new(); count],
            exercises_of: vec![Vec::new(); count],
            interviews_of: vec![Vec::new(); count],
            by_url: site
                .page_ids()
                .map(|id| (site.pages[id].url.as_str(), id))
                .collect(),
            track_navs: (0..count).map(|_| std::sync::OnceLock::new()).collect(),
            html: Vec::new(),
        };
        for (index, resolved) in site.page_ids().map(|id| (id, site.resolved(id))) {
            for (position, &item) in resolved.items.iter().enumerate() {
                links.tracks_of[item].push((index, position));
            }
            for &target in &resolved.related {
                if site.pages[target].kind == Kind::Interview {
                    links.exercises_of[target].push(index);
                }
            }
            for &speaker in resolved.host.iter().chain(&resolved.guests) {
                if !links.interviews_of[speaker].contains(&index) {
                    links.interviews_of[speaker].push(index);
                }
            }
        }
        links
    }

    /// Takes over the pages' HTML (parallel to `site.pages`), so that each
    /// page's is freed as soon as its own page is rendered: a one-shot
    /// build then never holds every page's HTML and every page's output.
    /// Jobs that show other pages in full must run before the pages'.
    pub fn with_html(mut self, html: Vec<WaitingHtml>) -> Self {
        self.html = html.into_iter().map(|h| Mutex::new(Some(h))).collect();
        self
    }

    /// The HTML of a page's body.
    fn content(&self, index: PageId, used: ContentUse) -> Cow<'a, str> {
        let Some(cell) = self.html.get(index.index()) else {
            return Cow::Borrowed(&self.site.rendered(index).html);
        };
        let mut waiting = cell.lock().unwrap_or_else(|e| e.into_inner());
        let html = match used {
            ContentUse::Last => waiting.take().map(WaitingHtml::into_html),
            ContentUse::Shared => waiting.as_ref().map(WaitingHtml::to_html),
        };
        Cow::Owned(html.unwrap_or_default())
    }
}

pub fn full<'a>(
    site: &'a Site,
    derived: &Derived<'a>,
    index: PageId,
    content: ContentUse,
) -> Full<'a> {
    let rendered = &site.rendered(index);
    let briefs = |indices: &[PageId]| derived.briefs_of(indices);
    let resolved = &site.resolved(index);
    let relations = match &site.pages[index].details {
        Details::Interview(fields) => Relations::Interview {
            host: resolved.host.map(|i| derived.brief(i)),
            guests: briefs(&resolved.guests),
            learn: smart_list(&fields.learn),
            takeaways: smart_list(&fields.takeaways),
            quotes: rendered
                .quotes
                .iter()
                .map(|quote| QuoteView {
                    id: &quote.id,
                    text: &quote.text,
                    by: &quote.by,
                    speaker: quote
                        .speaker_url
                        .as_deref()
                        .and_then(|url| derived.by_url.get(url))
                        .map(|&i| derived.brief(i)),
                })
                .collect(),
            exercises: briefs(&derived.exercises_of[index]),
            player: fields
                .media
                .as_deref()
                .and_then(|media| player_view(media, fields)),
            transcript: site
                .transcript(index)
                .map_or(&[][..], |cues| &cues[..])
                .iter()
                .map(cue_view)
                .collect(),
        },
        Details::Exercise(fields) => Relations::Exercise {
            related: briefs(&resolved.related),
            reflection: smart_list(&fields.reflection),
            quiz: fields
                .quiz
                .iter()
                .enumerate()
                .map(|(i, q)| quiz_view(i, q))
                .collect(),
            attempt_numbers: (1..=fields.attempts()).collect(),
            roles: super::roleplay::roles(fields, rendered),
            rubric: smart_list(&fields.rubric),
            model_answer: super::roleplay::model_answer(fields, rendered),
            review_days: crate::review::days(fields.review.as_ref(), site.config.review.as_ref()),
        },
        Details::Track(_) => Relations::Track {
            items: briefs(&resolved.items),
        },
        Details::Speaker(fields) => {
            let mut interviews = derived.interviews_of[index].clone();
            sort_newest_first(site, &mut interviews);
            Relations::Speaker {
                links: &fields.links,
                interviews: briefs(&interviews),
            }
        }
        Details::Home | Details::Page => Relations::Plain {},
    };
    let tracks = derived.tracks_of[index]
        .iter()
        .map(|&(track, position)| {
            let items = &site.resolved(track).items;
            TrackPosition {
                track: derived.brief(track),
                position: position + 1,
                total: items.len(),
                prev: position.checked_sub(1).map(|p| derived.brief(items[p])),
                next: items.get(position + 1).map(|&n| derived.brief(n)),
            }
        })
        .collect();
    let sections = site.sections();
    let link = |section: PageId| SectionLink {
        title: site.pages[section].title(),
        url: &site.pages[section].url,
    };
    Full {
        brief: brief(site, index),
        content: derived.content(index, content),
        toc: rendered
            .headings
            .iter()
            .filter(|h| (2..=4).contains(&h.level))
            .chain(site.transcript(index).map(|_| Heading {
                level: 2,
                id: TRANSCRIPT_ID,
                title: "Transcript",
            }))
            .collect(),
        tracks,
        breadcrumbs: sections.ancestors(index).into_iter().map(link).collect(),
        section: sections
            .parent(index)
            .map(|section| section_nav(site, section, index)),
        children: derived.briefs_of(sections.children(index)),
        relations,
    }
}

/// The id of an interview's transcript section, listed in "On this page".
const TRANSCRIPT_ID: &str = "sb-transcript";

fn player_view<'a>(media: &'a str, fields: &'a InterviewFields) -> Option<PlayerView<'a>> {
    let view = match Media::read(media).ok()? {
        Media::Local { path, video, mime } => PlayerView {
            kind: if video { "video" } else { "audio" },
            src: path.to_string(),
            mime,
            host: "",
            label: String::new(),
            captions: fields
                .transcript
                .as_deref()
                .filter(|_| video)
                .map(site_relative),
        },
        Media::Remote { url, host } => PlayerView {
            kind: "remote",
            src: url.to_string(),
            mime: "",
            host,
            label: format!(
                "{} on {host}",
                if is_video_host(host) {
                    "Watch"
                } else {
                    "Listen"
                }
            ),
            captions: None,
        },
    };
    Some(view)
}

/// Sites whose links are videos; any other host is taken for audio (a
/// podcast host).
fn is_video_host(host: &str) -> bool {
    [
        "youtube.com",
        "youtu.be",
        "vimeo.com",
        "loom.com",
        "wistia.com",
    ]
    .iter()
    .any(|video| host == *video || host.ends_with(&format!(".{video}")))
}

fn cue_view(cue: &Cue) -> CueView<'_> {
    CueView {
        seconds: cue.start_ms as f64 / 1000.0,
        clock: clock(cue.start_ms),
        speaker: cue.speaker.as_deref(),
        text: &cue.text,
    }
}

/// The section `section` as a page in it (`current`) shows it.
fn section_nav(site: &Site, section: PageId, current: PageId) -> SectionNav<'_> {
    let entries = site
        .sections()
        .children(section)
        .iter()
        .map(|&entry| {
            let page = &site.pages[entry];
            NavEntry {
                title: page.title(),
                url: &page.url,
                current: entry == current,
                section: page.kind == Kind::Section,
            }
        })
        .collect();
    let page = &site.pages[section];
    SectionNav {
        title: page.title(),
        url: &page.url,
        entries,
    }
}

/// The brief view of one page as a template value, made afresh (see
/// [`Derived::brief`] for the shared one).
pub fn brief_value(site: &Site, index: PageId) -> Value {
    Value::from_serializable(&brief(site, index))
}

impl Derived<'_> {
    /// The brief views of some pages, in order.
    pub fn briefs_of(&self, indices: &[PageId]) -> Vec<Value> {
        indices.iter().map(|&i| self.brief(i)).collect()
    }

    /// The brief view of one page.
    pub fn brief(&self, index: PageId) -> Value {
        self.briefs[index]
            .get_or_init(|| brief_value(self.site, index))
            .clone()
    }
}

/// A front matter list as shown in a page: with smart punctuation.
fn smart_list(items: &[String]) -> Vec<Cow<'_, str>> {
    items.iter().map(|item| smart_punctuation(item)).collect()
}

/// Lists order pages by weight (unweighted last), then newest first, then
/// title, then ref, so the order never depends on the file system.
pub fn sort_for_list(site: &Site, pages: &mut [PageId]) {
    pages.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        let weight = |p: &Page| p.common.weight.unwrap_or(i64::MAX);
        weight(a)
            .cmp(&weight(b))
            .then_with(|| b.date().cmp(&a.date()))
            .then_with(|| a.title().cmp(b.title()))
            .then_with(|| a.reference.cmp(&b.reference))
    });
}

fn sort_newest_first(site: &Site, pages: &mut [PageId]) {
    pages.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        b.date()
            .cmp(&a.date())
            .then_with(|| a.title().cmp(b.title()))
            .then_with(|| a.reference.cmp(&b.reference))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_views_link_to_topic_pages() {
        let tag = TagView::new("Objection Handling");
        assert_eq!(tag.slug, "objection-handling");
        assert_eq!(tag.url, "topics/objection-handling/");
    }
}
