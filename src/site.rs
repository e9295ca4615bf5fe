//! The whole site, loaded and validated: settings, published pages, their
//! resolved refs and rendered Markdown. Read-only once built.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::{self, SiteConfig};
use crate::content::load::{self, display_path, FileCache};
use crate::content::slug::tag_slug;
use crate::content::{Details, Kind, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::{fingerprint, set_fingerprint};
use crate::markdown::{
    self, FragmentLink, LinkProblem, PageContext, RenderOptions, Rendered, Resolver, WaitingHtml,
};
use crate::suggest::{did_you_mean, did_you_mean_path, typo_limit, NearestInLength};
use crate::theme::Theme;

/// Who the build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Audience {
    Learner,
    Facilitator,
}

impl Audience {
    pub fn name(self) -> &'static str {
        match self {
            Audience::Learner => "learner",
            Audience::Facilitator => "facilitator",
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub drafts: bool,
    pub audience: Audience,
    /// Replaces `base_url` from site.yaml.
    pub base_url: Option<String>,
}

/// Refs of one page, resolved to indices into [`Site::pages`].
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub host: Option<usize>,
    pub guests: Vec<usize>,
    pub related: Vec<usize>,
    pub items: Vec<usize>,
}

/// A topic: a tag and the pages that carry it.
#[derive(Debug, Clone)]
pub struct Topic {
    pub name: String,
    pub slug: String,
    pub pages: Vec<usize>,
}

pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub options: LoadOptions,
    pub theme: Theme,
    /// Published pages, sorted by ref. Shared with the rebuild caches, so an
    /// unchanged page is the same allocation from one build to the next.
    pub pages: Vec<Arc<Page>>,
    /// Parallel to `pages`.
    pub resolved: Vec<Resolved>,
    /// Parallel to `pages`.
    pub rendered: Vec<Arc<Rendered>>,
    /// A one-shot build's page HTML, parallel to `pages`, taken out of
    /// `rendered` (whose `html` is then empty) as soon as each page's
    /// Markdown is rendered and packed beyond a budget; empty otherwise.
    waiting_html: Vec<WaitingHtml>,
    /// Topics by slug.
    pub topics: BTreeMap<String, Topic>,
    /// Files of the site's `static/`, relative, with `/` separators.
    pub static_files: Vec<String>,
    /// Changes whenever site.yaml changes.
    pub config_fingerprint: u64,
    /// For each track (by page index): its own body and each item's body,
    /// rendered for the track's workbook page.
    pub workbooks: HashMap<usize, Workbook>,
    /// Refs of the drafts left out.
    draft_refs: HashSet<String>,
}

/// Bodies rendered for a workbook page (`tracks/<slug>/workbook/`): links
/// relative to it, headings one level down, ids prefixed `sb-wN-` so two
/// items' "Steps" headings stay distinct.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub intro: Arc<Rendered>,
    pub items: Vec<Arc<Rendered>>,
}

impl Workbook {
    /// The body at a position of the page: the track's own (0), or its
    /// items' (from 1).
    fn part(&self, position: usize) -> Option<&Arc<Rendered>> {
        match position.checked_sub(1) {
            None => Some(&self.intro),
            Some(item) => self.items.get(item),
        }
    }

    /// [`Workbook::part`], to replace it.
    fn part_mut(&mut self, position: usize) -> Option<&mut Arc<Rendered>> {
        match position.checked_sub(1) {
            None => Some(&mut self.intro),
            Some(item) => self.items.get_mut(item),
        }
    }
}

/// What a rebuild reuses from the previous load: parsed files whose stamp
/// is unchanged, and rendered Markdown of unchanged pages while nothing it
/// depends on elsewhere (URLs, drafts, static files, speakers) changed.
#[derive(Debug, Default)]
pub struct Caches {
    files: FileCache,
    markdown: MarkdownCache,
    /// A one-shot build keeps nothing for later: each Markdown body is read
    /// from its file when it is rendered, and its HTML set aside for the
    /// templates (packed beyond a budget).
    one_shot: bool,
}

impl Caches {
    fn one_shot() -> Self {
        Caches {
            files: FileCache::bodies_left_on_disk(),
            one_shot: true,
            ..Caches::default()
        }
    }

    /// Drops what was cached of these files (absolute paths).
    pub fn forget(&mut self, paths: &[PathBuf]) {
        self.files.forget(paths);
    }
}

#[derive(Debug, Default)]
struct MarkdownCache {
    /// Fingerprint of everything outside a page that its Markdown uses.
    context: u64,
    entries: HashMap<String, (Arc<Page>, Arc<Rendered>)>,
    /// Workbook renderings by (track ref, position); valid while both the
    /// track and the item are the same pages.
    workbook_entries: HashMap<(String, usize), WorkbookEntry>,
}

#[derive(Debug, Clone)]
struct WorkbookEntry {
    track: Arc<Page>,
    item: Arc<Page>,
    rendered: Arc<Rendered>,
}

/// URLs the build writes itself; a page may not take them.
const RESERVED_URLS: &[&str] = &[
    "interviews/",
    "exercises/",
    "tracks/",
    "speakers/",
    "topics/",
    "assets/",
    "search/",
];

pub const STATIC_DIR: &str = "static";

impl Site {
    /// Loads, validates and renders the Markdown of the site at `root`.
    /// Returns the site only if there were no errors; the diagnostics hold
    /// every problem found, and warnings in either case.
    ///
    /// The pages' Markdown bodies are never all in memory: each is read
    /// again from its file when it is rendered, and its HTML waits for its
    /// page template, packed beyond [`WaitingHtml::PLAIN_BUDGET`] (on a
    /// large site, sources and HTML would be most of the build's memory).
    /// The front matter text stays: later checks, such as the LMS
    /// packages', point at its lines.
    pub fn load(root: &Path, options: LoadOptions) -> (Option<Site>, Diagnostics) {
        Site::load_checked(root, options, &|_| Vec::new())
    }

    /// [`Site::load`], with checks of a caller's own (the LMS packages')
    /// that run even when others found errors, so every problem is listed
    /// in one run.
    pub fn load_checked(
        root: &Path,
        options: LoadOptions,
        more_checks: &dyn Fn(&Site) -> Vec<Diagnostic>,
    ) -> (Option<Site>, Diagnostics) {
        Site::load_with_checks(root, options, &mut Caches::one_shot(), more_checks)
    }

    /// [`Site::load`], reusing and then refreshing `caches`.
    pub fn load_with(
        root: &Path,
        options: LoadOptions,
        caches: &mut Caches,
    ) -> (Option<Site>, Diagnostics) {
        Site::load_with_checks(root, options, caches, &|_| Vec::new())
    }

    fn load_with_checks(
        root: &Path,
        options: LoadOptions,
        caches: &mut Caches,
        more_checks: &dyn Fn(&Site) -> Vec<Diagnostic>,
    ) -> (Option<Site>, Diagnostics) {
        let timer = crate::timing::phase("config and theme");
        let mut problems = Diagnostics::new();
        // Only a regular file is read here: a named pipe would wait forever
        // (`config::load` reports it).
        let config_path = root.join(config::CONFIG_FILE);
        let config_bytes = std::fs::metadata(&config_path)
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::read(&config_path).ok())
            .flatten();
        let config_fingerprint = fingerprint(&config_bytes.unwrap_or_default());
        let config = match config::load(root) {
            Ok(config) => Some(config),
            Err(config_problems) => {
                problems.extend(config_problems);
                None
            }
        };
        let theme_name = config.as_ref().map_or("default", |c| c.theme.as_str());
        let theme_line = config.as_ref().and_then(|c| c.theme_line);
        let theme = match Theme::load(root, theme_name, theme_line) {
            Ok(theme) => {
                problems.extend(theme.warnings.iter().cloned());
                Some(theme)
            }
            Err(theme_problems) => {
                problems.extend(theme_problems);
                None
            }
        };
        drop(timer);
        let timer = crate::timing::phase("load content");
        let loaded = load::load(root, &mut caches.files);
        drop(timer);
        if caches.one_shot {
            crate::faults::maybe_pause_after_load();
        }
        problems.extend(loaded.problems);
        let content = root.join(load::CONTENT_DIR);
        if content.is_dir() && !content.join("_index.md").is_file() {
            problems.push(
                Diagnostic::error("content/_index.md", None, "the home page is missing")
                    .with_hint("create content/_index.md with a `title:` and an introduction"),
            );
        }
        let timer = crate::timing::phase("static, urls, index");
        let static_files = list_static_files(root, &mut problems);

        let (pages, draft_refs) = split_drafts(loaded.pages, options.drafts);
        let sources = if caches.one_shot {
            Sources::OnDisk(root.to_path_buf())
        } else {
            Sources::InPages
        };
        problems.extend(check_urls(&pages));
        let index = Index::new(&pages, &draft_refs, &static_files, theme.as_ref());
        drop(timer);
        let timer = crate::timing::phase("resolve refs");
        let resolved: Vec<Resolved> = pages
            .iter()
            .map(|page| resolve_refs(page, &index, &mut problems))
            .collect();

        let render_options = render_options(options.audience);
        drop(timer);
        let timer = crate::timing::phase("markdown");
        let workbooks = render_workbooks(
            &pages,
            &resolved,
            &index,
            render_options,
            &sources,
            &mut caches.markdown,
        );
        let (rendered, waiting_html) = if caches.one_shot {
            render_sources(&pages, &sources, &index, render_options)
        } else {
            let rendered =
                render_all_markdown(&pages, &index, render_options, &mut caches.markdown);
            (rendered, Vec::new())
        };
        drop(timer);
        let timer = crate::timing::phase("check links");
        for output in &rendered {
            problems.extend(output.problems.iter().cloned());
        }
        problems.extend(check_fragments(&pages, &rendered, &index));

        let (Some(mut config), Some(theme)) = (config, theme) else {
            return (None, problems);
        };
        if let Some(base_url) = &options.base_url {
            config.base_url = Some(base_url.clone());
        }
        drop(timer);
        let timer = crate::timing::phase("topics");
        let topics = collect_topics(&pages);
        drop(timer);
        let site = Site {
            root: root.to_path_buf(),
            config,
            options,
            theme,
            pages,
            resolved,
            rendered,
            waiting_html,
            topics,
            static_files,
            config_fingerprint,
            workbooks,
            draft_refs,
        };
        problems.extend(more_checks(&site));
        if problems.has_errors() {
            return (None, problems);
        }
        (Some(site), problems)
    }

    /// A one-shot build's page HTML, for the templates to take and free
    /// page by page (empty for a site loaded for rebuilds, whose HTML stays
    /// in `rendered`).
    pub fn take_waiting_html(&mut self) -> Vec<WaitingHtml> {
        std::mem::take(&mut self.waiting_html)
    }

    /// Puts a one-shot build's waiting HTML back into `rendered`, for what
    /// reads it there (the LMS packages).
    pub fn restore_html(&mut self) {
        for (rendered, html) in self.rendered.iter_mut().zip(self.waiting_html.drain(..)) {
            if let Some(rendered) = Arc::get_mut(rendered) {
                rendered.html = html.into_html();
            }
        }
    }

    pub fn home(&self) -> Option<usize> {
        self.pages.iter().position(|page| page.kind == Kind::Home)
    }

    pub fn pages_of_kind(&self, kind: Kind) -> impl Iterator<Item = usize> + '_ {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, page)| page.kind == kind)
            .map(|(index, _)| index)
    }

    /// New bodies of pages whose files (absolute paths) changed, rendered,
    /// when a body is all that changed: the most common edit while writing,
    /// which then needs no load of the whole site. None when the change
    /// needs a full load: a file that is not a published page of this site,
    /// a front matter that changed, headings that other pages' links may
    /// point at, or any problem (or warning) to report, before or after.
    pub fn read_new_bodies(&self, changed: &[PathBuf], caches: &Caches) -> Option<BodyUpdate> {
        if changed.is_empty() {
            return None;
        }
        let mut update = BodyUpdate::default();
        let mut new_pages: Vec<(usize, Arc<Page>)> = Vec::new();
        for path in changed {
            let cached = caches.files.page_of(path)?;
            let index = self
                .pages
                .binary_search_by(|page| page.reference.cmp(&cached.reference))
                .ok()
                .filter(|&index| Arc::ptr_eq(&self.pages[index], cached))?;
            if new_pages.iter().any(|(done, _)| *done == index) {
                continue;
            }
            let (page, stamp) = load::reread_body(path, cached)?;
            new_pages.push((index, Arc::new(page)));
            update.files.push((path.clone(), stamp));
        }
        let index = Index::new(
            &self.pages,
            &self.draft_refs,
            &self.static_files,
            Some(&self.theme),
        );
        let options = render_options(self.options.audience);
        let mut linked = LinkedHeadings::new(&self.rendered);
        for (page_index, page) in new_pages {
            let old = &self.rendered[page_index];
            let rendered = render_markdown(&page, &index, options);
            let same_ids = old
                .headings
                .iter()
                .map(|h| h.id)
                .eq(rendered.headings.iter().map(|h| h.id))
                && old.facilitator_ids == rendered.facilitator_ids;
            if !rendered.problems.is_empty() || !old.problems.is_empty() || !same_ids {
                return None;
            }
            // With every changed page's headings the same, the old ones
            // tell whether a link to a heading finds it.
            let broken = rendered
                .fragment_links
                .iter()
                .any(|link| missing_fragment(&page, link, &mut linked, &index).is_some());
            if broken {
                return None;
            }
            update.pages.push((page_index, page, Arc::new(rendered)));
        }
        update.workbook_parts = self.new_workbook_parts(&update, &index, options);
        Some(update)
    }

    /// The workbook renderings that show the update's pages.
    fn new_workbook_parts(
        &self,
        update: &BodyUpdate,
        index: &Index,
        options: RenderOptions,
    ) -> Vec<(usize, usize, usize, Arc<Rendered>)> {
        let new_page = |page_index: usize| {
            update
                .pages
                .iter()
                .find(|(changed, ..)| *changed == page_index)
                .map_or(&self.pages[page_index], |(_, page, _)| page)
        };
        let mut parts = Vec::new();
        for &track in self.workbooks.keys() {
            let items = std::iter::once(track).chain(self.resolved[track].items.iter().copied());
            for (position, item) in items.enumerate() {
                if update.pages.iter().any(|(changed, ..)| *changed == item) {
                    let rendered = render_workbook_part(
                        new_page(track),
                        position,
                        new_page(item),
                        &Sources::InPages,
                        index,
                        options,
                    );
                    parts.push((track, position, item, Arc::new(rendered)));
                }
            }
        }
        parts
    }

    /// Puts the update's pages and renderings in, and leaves in `update`
    /// what they replaced: swapping again undoes it.
    pub fn swap_bodies(&mut self, update: &mut BodyUpdate) {
        for (index, page, rendered) in &mut update.pages {
            std::mem::swap(&mut self.pages[*index], page);
            std::mem::swap(&mut self.rendered[*index], rendered);
        }
        for (track, position, _, rendered) in &mut update.workbook_parts {
            let slot = self
                .workbooks
                .get_mut(track)
                .and_then(|workbook| workbook.part_mut(*position));
            if let Some(slot) = slot {
                std::mem::swap(slot, rendered);
            }
        }
    }

    /// Records in `caches`, after [`Site::swap_bodies`], that the site now
    /// holds the update's pages: the next load reuses them.
    pub fn remember_bodies(&self, update: &BodyUpdate, caches: &mut Caches) {
        for ((index, ..), (path, stamp)) in update.pages.iter().zip(&update.files) {
            let (page, rendered) = (&self.pages[*index], &self.rendered[*index]);
            caches.files.refresh(path, page.clone(), *stamp);
            caches
                .markdown
                .entries
                .insert(page.reference.clone(), (page.clone(), rendered.clone()));
        }
        // The swap left the replaced renderings in `update`; the site holds
        // the new ones.
        for &(track, position, item, _) in &update.workbook_parts {
            let rendered = self
                .workbooks
                .get(&track)
                .and_then(|workbook| workbook.part(position));
            if let Some(rendered) = rendered {
                caches.markdown.workbook_entries.insert(
                    (self.pages[track].reference.clone(), position),
                    WorkbookEntry {
                        track: self.pages[track].clone(),
                        item: self.pages[item].clone(),
                        rendered: rendered.clone(),
                    },
                );
            }
        }
    }
}

/// Pages with new bodies and what shows them (see [`Site::read_new_bodies`]).
#[derive(Debug, Default)]
pub struct BodyUpdate {
    /// Page index, page, its rendered body.
    pages: Vec<(usize, Arc<Page>, Arc<Rendered>)>,
    /// Each page's file and its stamp when read, parallel to `pages`.
    files: Vec<(PathBuf, load::Stamp)>,
    /// Track index, position on its workbook page (0 for the track's own
    /// body), index of the page shown there, rendered body.
    workbook_parts: Vec<(usize, usize, usize, Arc<Rendered>)>,
}

impl BodyUpdate {
    /// Indexes of the pages with new bodies.
    pub fn pages(&self) -> impl Iterator<Item = usize> + '_ {
        self.pages.iter().map(|(index, ..)| *index)
    }
}

fn split_drafts(all: Vec<Arc<Page>>, keep_drafts: bool) -> (Vec<Arc<Page>>, HashSet<String>) {
    if keep_drafts {
        return (all, HashSet::new());
    }
    let (drafts, published): (Vec<Arc<Page>>, Vec<Arc<Page>>) =
        all.into_iter().partition(|page| page.is_draft());
    (
        published,
        drafts.iter().map(|page| page.reference.clone()).collect(),
    )
}

/// Two pages may not share a URL, even one that differs only by case (some
/// hosts and file systems are case-insensitive), and none may take a URL
/// the build writes itself.
fn check_urls(pages: &[Arc<Page>]) -> Vec<Diagnostic> {
    let mut by_url: FxHashMap<Cow<str>, Vec<&Page>> = FxHashMap::default();
    for page in pages {
        by_url.entry(lower_case(&page.url)).or_default().push(page);
    }
    // Only the few URLs in trouble are sorted, for a stable report.
    let mut by_url: Vec<(Cow<str>, Vec<&Page>)> = by_url
        .into_iter()
        .filter(|(url, owners)| owners.len() > 1 || RESERVED_URLS.contains(&url.as_ref()))
        .collect();
    by_url.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut problems = Vec::new();
    for (url, owners) in &by_url {
        if RESERVED_URLS.contains(&url.as_ref()) {
            for page in owners {
                problems.push(
                    Diagnostic::error(
                        &page.file,
                        Some(page.key_line("slug")),
                        format!("the URL /{url} is used by the site's own list page"),
                    )
                    .with_hint("rename the file or set another `slug:`"),
                );
            }
        }
        if owners.len() < 2 {
            continue;
        }
        let files: Vec<&str> = owners.iter().map(|p| p.file.as_str()).collect();
        for page in owners {
            problems.push(
                Diagnostic::error(
                    &page.file,
                    Some(page.key_line("slug")),
                    format!(
                        "{} pages have the URL /{url}: {}",
                        owners.len(),
                        files.join(", ")
                    ),
                )
                .with_hint("give each a different file name or `slug:`"),
            );
        }
    }
    problems
}

/// `text` in lower case, borrowed when it is already.
fn lower_case(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Lookup tables over the published pages, used to resolve refs and links.
struct Index<'a> {
    by_ref: FxHashMap<&'a str, usize>,
    drafts: &'a HashSet<String>,
    speakers_by_slug: FxHashMap<&'a str, usize>,
    speakers_by_name: FxHashMap<String, usize>,
    /// Static files and page URLs, without leading `/`; for a page's URL
    /// (with and without its last `/`), the page's index in `pages`.
    root_paths: FxHashMap<Cow<'a, str>, Option<usize>>,
    pages: &'a [Arc<Page>],
}

impl<'a> Index<'a> {
    fn new(
        pages: &'a [Arc<Page>],
        drafts: &'a HashSet<String>,
        static_files: &'a [String],
        theme: Option<&Theme>,
    ) -> Self {
        // Borrowed where it can be: a large site has tens of thousands.
        let mut root_paths: FxHashMap<Cow<'a, str>, Option<usize>> = static_files
            .iter()
            .map(|path| (Cow::Borrowed(path.as_str()), None))
            .collect();
        if let Some(theme) = theme {
            root_paths.extend(
                theme
                    .static_files()
                    .map(|(path, _)| (Cow::Owned(path.to_string()), None)),
            );
        }
        for (index, page) in pages.iter().enumerate() {
            root_paths.insert(Cow::Borrowed(&page.url), Some(index));
            root_paths.insert(Cow::Borrowed(page.url.trim_end_matches('/')), Some(index));
        }
        // Generated listings; a page of content/ at the same URL (the home
        // page) keeps its index.
        for kind in Kind::SECTIONS {
            let folder = kind.folder();
            root_paths
                .entry(Cow::Owned(format!("{folder}/")))
                .or_insert(None);
            root_paths.entry(Cow::Borrowed(folder)).or_insert(None);
        }
        for path in ["topics/", "topics", ""] {
            root_paths.entry(Cow::Borrowed(path)).or_insert(None);
        }
        let speakers = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == Kind::Speaker);
        Index {
            by_ref: pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.reference.as_str(), i))
                .collect(),
            drafts,
            speakers_by_slug: speakers
                .clone()
                .map(|(i, p)| (p.slug.as_str(), i))
                .collect(),
            speakers_by_name: speakers
                .map(|(i, p)| (p.title().trim().to_lowercase(), i))
                .collect(),
            root_paths,
            pages,
        }
    }

    fn lookup(&self, reference: &str) -> Result<usize, LinkProblem> {
        if let Some(&index) = self.by_ref.get(reference) {
            return Ok(index);
        }
        if self.drafts.contains(reference) {
            return Err(LinkProblem::Draft);
        }
        let suggestion =
            did_you_mean_path(reference, self.by_ref.keys().copied()).map(str::to_string);
        Err(LinkProblem::Missing { suggestion })
    }
}

impl Resolver for Index<'_> {
    fn page(&self, reference: &str) -> Result<String, LinkProblem> {
        self.lookup(reference)
            .map(|index| self.pages[index].url.clone())
    }

    fn root_path_exists(&self, path: &str) -> bool {
        self.root_paths.contains_key(path)
    }

    fn page_at(&self, path: &str) -> Option<String> {
        let index = (*self.root_paths.get(path)?)?;
        Some(self.pages[index].reference.clone())
    }

    fn speaker_url(&self, name: &str) -> Option<String> {
        self.speakers_by_name
            .get(&name.trim().to_lowercase())
            .map(|&index| self.pages[index].url.clone())
    }
}

fn resolve_refs(page: &Page, index: &Index, problems: &mut Diagnostics) -> Resolved {
    let mut resolved = Resolved::default();
    match &page.details {
        Details::Interview(fields) => {
            if let Some(host) = &fields.host {
                resolved.host =
                    resolve_speaker(page, index, host, &|| page.key_line("host"), problems);
            }
            for (position, guest) in fields.guests.iter().enumerate() {
                let line = || page.item_line("guests", position);
                resolved
                    .guests
                    .extend(resolve_speaker(page, index, guest, &line, problems));
            }
        }
        Details::Exercise(fields) => {
            for (position, reference) in fields.related.iter().enumerate() {
                let line = || page.item_line("related", position);
                resolved.related.extend(resolve_ref(
                    page, index, reference, "related", &line, problems,
                ));
            }
        }
        Details::Track(fields) => {
            let mut seen = HashSet::new();
            for (position, reference) in fields.items.iter().enumerate() {
                let line = || page.item_line("items", position);
                let Some(item) = resolve_ref(page, index, reference, "items", &line, problems)
                else {
                    continue;
                };
                let target = &index.pages[item];
                if matches!(target.kind, Kind::Track | Kind::Home) {
                    problems.push(
                        Diagnostic::error(
                            &page.file,
                            Some(line()),
                            format!(
                                "`items` lists `{reference}`, which is a {}",
                                target.kind.name()
                            ),
                        )
                        .with_hint("a track lists interviews, exercises and pages"),
                    );
                } else if !seen.insert(item) {
                    problems.push(
                        Diagnostic::error(
                            &page.file,
                            Some(line()),
                            format!("`items` lists `{reference}` twice"),
                        )
                        .with_hint("each page appears once in a track"),
                    );
                } else {
                    resolved.items.push(item);
                }
            }
        }
        _ => {}
    }
    resolved
}

fn resolve_ref(
    page: &Page,
    index: &Index,
    reference: &str,
    key: &str,
    line: &dyn Fn() -> usize,
    problems: &mut Diagnostics,
) -> Option<usize> {
    let cleaned = reference
        .trim()
        .trim_start_matches("@/")
        .trim_end_matches(".md");
    match index.lookup(cleaned) {
        Ok(found) => Some(found),
        Err(LinkProblem::Draft) => {
            problems.push(
                Diagnostic::error(
                    &page.file,
                    Some(line()),
                    format!("`{key}` names `{reference}`, which is a draft"),
                )
                .with_hint("publish it, remove it from the list, or build with --drafts"),
            );
            None
        }
        Err(LinkProblem::Missing { suggestion }) => {
            let hint = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "a ref is the file's path under content/ without .md, e.g. exercises/three-tries".to_string(),
            };
            problems.push(
                Diagnostic::error(
                    &page.file,
                    Some(line()),
                    format!("`{key}` names `{reference}`, but there is no content/{cleaned}.md"),
                )
                .with_hint(hint),
            );
            None
        }
    }
}

fn resolve_speaker(
    page: &Page,
    index: &Index,
    slug: &str,
    line: &dyn Fn() -> usize,
    problems: &mut Diagnostics,
) -> Option<usize> {
    if let Some(&found) = index.speakers_by_slug.get(slug) {
        return Some(found);
    }
    let is_draft = index
        .drafts
        .iter()
        .any(|r| r.starts_with("speakers/") && r.rsplit('/').next() == Some(slug));
    let problem = if is_draft {
        Diagnostic::error(
            &page.file,
            Some(line()),
            format!("speaker `{slug}` is a draft"),
        )
        .with_hint("publish the speaker page or build with --drafts")
    } else {
        let hint = match did_you_mean(slug, index.speakers_by_slug.keys().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("create content/speakers/{slug}.md with a `name:`"),
        };
        Diagnostic::error(&page.file, Some(line()), format!("no speaker `{slug}`")).with_hint(hint)
    };
    problems.push(problem);
    None
}

/// Renders the Markdown of every page, reusing the cached result of pages
/// that did not change when nothing else they depend on changed either.
fn render_all_markdown(
    pages: &[Arc<Page>],
    index: &Index,
    options: RenderOptions,
    cache: &mut MarkdownCache,
) -> Vec<Arc<Rendered>> {
    let context = markdown_context(index, options);
    let reusable = cache.context == context;
    let rendered: Vec<(Arc<Rendered>, bool)> = pages
        .par_iter()
        .map(|page| {
            let cached = cache
                .entries
                .get(&page.reference)
                .filter(|(old, _)| reusable && Arc::ptr_eq(old, page));
            match cached {
                Some((_, rendered)) => (rendered.clone(), false),
                None => (Arc::new(render_markdown(page, index, options)), true),
            }
        })
        .collect();
    if !reusable {
        cache.workbook_entries.clear();
    }
    cache.context = context;
    // The cache is updated in place: after an edit, one entry changes.
    for (page, (rendered, fresh)) in pages.iter().zip(&rendered) {
        if *fresh {
            let entry = (page.clone(), rendered.clone());
            cache.entries.insert(page.reference.clone(), entry);
        }
    }
    // Every page has its entry now; more entries means some are of pages
    // that are gone.
    if cache.entries.len() != pages.len() {
        let current: HashSet<&str> = pages.iter().map(|p| p.reference.as_str()).collect();
        cache
            .entries
            .retain(|reference, _| current.contains(reference.as_str()));
    }
    rendered.into_iter().map(|(rendered, _)| rendered).collect()
}

/// Where the pages' Markdown bodies are when they are rendered.
enum Sources {
    /// In the pages (kept for the next rebuild).
    InPages,
    /// In their files under this root: a one-shot build reads each body
    /// again as it renders it, so the sources are never all in memory.
    OnDisk(PathBuf),
}

impl Sources {
    fn of<'a>(&self, page: &'a Page) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
        match self {
            Sources::InPages => Ok(std::borrow::Cow::Borrowed(&page.body)),
            Sources::OnDisk(root) => load::read_body(root, page).map(std::borrow::Cow::Owned),
        }
    }
}

/// Renders every page's Markdown, reading each source as it goes and
/// setting each page's HTML aside (packed beyond a budget) as soon as it
/// exists.
fn render_sources(
    pages: &[Arc<Page>],
    sources: &Sources,
    index: &Index,
    options: RenderOptions,
) -> (Vec<Arc<Rendered>>, Vec<WaitingHtml>) {
    let held = std::sync::atomic::AtomicUsize::new(0);
    pages
        .par_iter()
        .map(|page| {
            let context = PageContext::own(&page.file, &page.reference, &page.url, page.body_line);
            let mut rendered = render_source(page, sources, &context, index, options);
            let html = WaitingHtml::hold(std::mem::take(&mut rendered.html), &held);
            (Arc::new(rendered), html)
        })
        .unzip()
}

/// Renders one page's body in a context, or says why it could not be read.
fn render_source(
    page: &Page,
    sources: &Sources,
    context: &PageContext,
    index: &Index,
    options: RenderOptions,
) -> Rendered {
    match sources.of(page) {
        Ok(body) => render_markdown_in(page, &body, context, index, options),
        Err(problem) => Rendered {
            problems: vec![problem],
            ..Rendered::default()
        },
    }
}

/// Renders each track's body and its items' bodies for the workbook page.
/// Problems are not reported again: the same bodies were checked at their
/// own URLs.
fn render_workbooks(
    pages: &[Arc<Page>],
    resolved: &[Resolved],
    index: &Index,
    options: RenderOptions,
    sources: &Sources,
    cache: &mut MarkdownCache,
) -> HashMap<usize, Workbook> {
    let tracks: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].kind == Kind::Track)
        .collect();
    let jobs: Vec<(usize, usize, usize)> = tracks
        .iter()
        .flat_map(|&track| {
            std::iter::once((track, 0, track)).chain(
                resolved[track]
                    .items
                    .iter()
                    .enumerate()
                    .map(move |(position, &item)| (track, position + 1, item)),
            )
        })
        .collect();
    let previous = std::mem::take(&mut cache.workbook_entries);
    let rendered: Vec<Arc<Rendered>> = jobs
        .par_iter()
        .map(|&(track, position, item)| {
            let key = (pages[track].reference.clone(), position);
            let cached = previous.get(&key).filter(|entry| {
                Arc::ptr_eq(&entry.track, &pages[track]) && Arc::ptr_eq(&entry.item, &pages[item])
            });
            if let Some(entry) = cached {
                return entry.rendered.clone();
            }
            Arc::new(render_workbook_part(
                &pages[track],
                position,
                &pages[item],
                sources,
                index,
                options,
            ))
        })
        .collect();
    let mut workbooks: HashMap<usize, Workbook> = HashMap::new();
    for (&(track, position, item), rendered) in jobs.iter().zip(rendered) {
        cache.workbook_entries.insert(
            (pages[track].reference.clone(), position),
            WorkbookEntry {
                track: pages[track].clone(),
                item: pages[item].clone(),
                rendered: rendered.clone(),
            },
        );
        if position == 0 {
            workbooks.insert(
                track,
                Workbook {
                    intro: rendered,
                    items: Vec::new(),
                },
            );
        } else if let Some(workbook) = workbooks.get_mut(&track) {
            workbook.items.push(rendered);
        }
    }
    workbooks
}

/// One body on a track's workbook page: the track's own (position 0) or
/// an item's (positions from 1).
fn render_workbook_part(
    track: &Page,
    position: usize,
    item: &Page,
    sources: &Sources,
    index: &Index,
    options: RenderOptions,
) -> Rendered {
    let url = format!("{}workbook/", track.url);
    let prefix = format!("sb-w{position}-");
    let context = PageContext {
        id_prefix: &prefix,
        heading_offset: 1,
        ..PageContext::own(&item.file, &item.reference, &url, item.body_line)
    };
    render_source(item, sources, &context, index, options)
}

/// Everything outside a page that its rendered Markdown depends on: which
/// refs exist at which URL, which are drafts, which static paths exist,
/// speakers' names, and the audience.
fn markdown_context(index: &Index, options: RenderOptions) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    options.facilitator.hash(&mut hasher);
    for page in index.pages {
        (&page.reference, &page.url).hash(&mut hasher);
    }
    set_fingerprint(index.drafts.iter()).hash(&mut hasher);
    set_fingerprint(index.root_paths.keys()).hash(&mut hasher);
    set_fingerprint(index.speakers_by_name.iter()).hash(&mut hasher);
    hasher.finish()
}

/// How Markdown renders for this audience.
fn render_options(audience: Audience) -> RenderOptions {
    RenderOptions {
        facilitator: audience == Audience::Facilitator,
    }
}

/// Renders the page's body for its own URL.
fn render_markdown(page: &Page, index: &Index, options: RenderOptions) -> Rendered {
    render_markdown_of(page, &page.body, index, options)
}

/// Renders `body`, the page's source, for the page's own URL.
fn render_markdown_of(page: &Page, body: &str, index: &Index, options: RenderOptions) -> Rendered {
    let context = PageContext::own(&page.file, &page.reference, &page.url, page.body_line);
    render_markdown_in(page, body, &context, index, options)
}

/// Renders one body in a context; a panic inside the Markdown parser
/// becomes a diagnostic for this page instead of ending the build.
fn render_markdown_in(
    page: &Page,
    body: &str,
    context: &PageContext,
    index: &Index,
    options: RenderOptions,
) -> Rendered {
    catch_unwind(AssertUnwindSafe(|| {
        markdown::render(body, context, index, options)
    }))
    .unwrap_or_else(|_| Rendered {
        problems: vec![Diagnostic::error(
            &page.file,
            Some(page.body_line),
            "the Markdown renderer failed on this page",
        )
        .with_hint("simplify the page's Markdown to find the construct that fails, and report it")],
        ..Rendered::default()
    })
}

fn check_fragments(
    pages: &[Arc<Page>],
    rendered: &[Arc<Rendered>],
    index: &Index,
) -> Vec<Diagnostic> {
    let mut linked = LinkedHeadings::new(rendered);
    let mut problems = Vec::new();
    for (page, output) in pages.iter().zip(rendered) {
        for link in &output.fragment_links {
            problems.extend(missing_fragment(page, link, &mut linked, index));
        }
    }
    problems
}

/// Where a page has a heading id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeadingPlace {
    Shown,
    /// Inside a facilitator note, which this learner build leaves out.
    FacilitatorNote,
}

/// The headings of the pages that links name, gathered once per page: many
/// links to a page of many headings then cost a lookup each, not a scan.
struct LinkedHeadings<'a> {
    rendered: &'a [Arc<Rendered>],
    /// The ids of each page with more than [`Self::SCANNED`] of them.
    places: FxHashMap<usize, FxHashMap<&'a str, HeadingPlace>>,
    /// Each page's shown ids, to suggest one for a link that missed.
    suggestions: FxHashMap<usize, NearestInLength<'a>>,
    /// Ids scanned, gathered or looked up, for the tests that bound the work.
    #[cfg(test)]
    looked_at: usize,
}

impl<'a> LinkedHeadings<'a> {
    /// Pages with this many ids or fewer are scanned: cheaper than a set.
    const SCANNED: usize = 16;

    fn new(rendered: &'a [Arc<Rendered>]) -> Self {
        LinkedHeadings {
            rendered,
            places: FxHashMap::default(),
            suggestions: FxHashMap::default(),
            #[cfg(test)]
            looked_at: 0,
        }
    }

    fn place(&mut self, page: usize, id: &str) -> Option<HeadingPlace> {
        let rendered: &'a Rendered = &self.rendered[page];
        let count = rendered.headings.len() + rendered.facilitator_ids.len();
        let shown = rendered
            .headings
            .iter()
            .map(|h| (h.id, HeadingPlace::Shown));
        let hidden = rendered
            .facilitator_ids
            .iter()
            .map(|id| (id.as_str(), HeadingPlace::FacilitatorNote));
        let mut all = shown.chain(hidden);
        if count <= Self::SCANNED {
            self.count_looked_at(count);
            return all.find(|&(known, _)| known == id).map(|(_, place)| place);
        }
        if !self.places.contains_key(&page) {
            self.count_looked_at(count);
            // The first of two equal ids is the one a browser finds.
            let mut places = FxHashMap::default();
            for (known, place) in all {
                places.entry(known).or_insert(place);
            }
            self.places.insert(page, places);
        }
        self.count_looked_at(1);
        self.places.get(&page)?.get(id).copied()
    }

    fn count_looked_at(&mut self, _ids: usize) {
        #[cfg(test)]
        {
            self.looked_at += _ids;
        }
    }

    /// What to tell the author of a link to `id`, a heading `page` lacks.
    fn hint(&mut self, page: usize, id: &str, file: &str) -> String {
        let headings = &self.rendered[page].headings;
        if headings.is_empty() {
            return format!("{file} has no headings");
        }
        let closest = self
            .suggestions
            .entry(page)
            .or_insert_with(|| NearestInLength::new(headings.iter().map(|h| h.id)))
            .closest(id, 3);
        match closest.first() {
            Some(&(distance, nearest)) if distance <= typo_limit(id) => {
                format!("did you mean `#{nearest}`?")
            }
            _ if headings.len() <= 3 => {
                let mut all: Vec<&str> = headings.iter().map(|h| h.id).collect();
                all.sort_unstable();
                format!("its headings are: {}", all.join(", "))
            }
            None => format!("look up the heading's id in {file}"),
            Some(_) => {
                let names: Vec<&str> = closest.iter().map(|&(_, name)| name).collect();
                format!(
                    "its {} headings include: {}",
                    headings.len(),
                    names.join(", ")
                )
            }
        }
    }
}

/// The error for a link to a heading that is not on its target page (or,
/// in a learner build, only inside one of its facilitator notes).
fn missing_fragment(
    page: &Page,
    link: &FragmentLink,
    linked: &mut LinkedHeadings,
    index: &Index,
) -> Option<Diagnostic> {
    let target = index.lookup(&link.target).ok()?;
    if link.fragment.is_empty() || link.fragment == "top" {
        return None;
    }
    let target_file = &index.pages[target].file;
    match linked.place(target, &link.fragment) {
        Some(HeadingPlace::Shown) => None,
        Some(HeadingPlace::FacilitatorNote) => facilitator_only_heading(page, link, target_file),
        None => Some(
            Diagnostic::error(
                &page.file,
                Some(link.line),
                format!("no heading `#{}` in {target_file}", link.fragment),
            )
            .at_column(link.column)
            .with_hint(linked.hint(target, &link.fragment, target_file)),
        ),
    }
}

/// The error for a link to a heading that a learner build leaves out with
/// the facilitator note that holds it, unless the link is in a note too.
fn facilitator_only_heading(
    page: &Page,
    link: &FragmentLink,
    target_file: &str,
) -> Option<Diagnostic> {
    if link.in_facilitator_note {
        return None;
    }
    let message = format!(
        "the heading `#{}` of {target_file} is only in a facilitator note, which learner builds leave out",
        link.fragment
    );
    Some(
        Diagnostic::error(&page.file, Some(link.line), message)
            .at_column(link.column)
            .with_hint("move the heading out of the note, or remove the link"),
    )
}

fn collect_topics(pages: &[Arc<Page>]) -> BTreeMap<String, Topic> {
    let mut topics: Vec<Topic> = Vec::new();
    // Many pages share few tags: each tag is looked up once per page, its
    // slug made and its topic found only the first time it is seen.
    let mut topic_of_tag: FxHashMap<&str, usize> = FxHashMap::default();
    let mut topic_of_slug: FxHashMap<String, usize> = FxHashMap::default();
    let mut seen: Vec<usize> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        seen.clear();
        for tag in &page.common.tags {
            let topic = *topic_of_tag.entry(tag.as_str()).or_insert_with(|| {
                let slug = tag_slug(tag);
                *topic_of_slug.entry(slug.clone()).or_insert_with(|| {
                    topics.push(Topic {
                        name: tag.trim().to_string(),
                        slug,
                        pages: Vec::new(),
                    });
                    topics.len() - 1
                })
            });
            if !seen.contains(&topic) {
                seen.push(topic);
                topics[topic].pages.push(index);
            }
        }
    }
    topics
        .into_iter()
        .map(|topic| (topic.slug.clone(), topic))
        .collect()
}

fn list_static_files(root: &Path, problems: &mut Diagnostics) -> Vec<String> {
    let dir = root.join(STATIC_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        match entry {
            // The folder itself is followed when it is a link.
            Ok(entry) if entry.path_is_symlink() && entry.depth() > 0 => {
                problems.push(
                    Diagnostic::warning(
                        load::shown_under(&dir, STATIC_DIR, entry.path()),
                        None,
                        "symbolic link not followed",
                    )
                    .with_hint("copy the file into static/ instead"),
                );
            }
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                if relative.to_str().is_none() {
                    let shown = load::shown_under(&dir, STATIC_DIR, entry.path());
                    problems.push(load::name_not_utf8(shown));
                    continue;
                }
                files.push(display_path(relative));
            }
            Ok(_) => {}
            Err(error) => problems.push(load::walk_problem(&error, &dir, STATIC_DIR)),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_missing_headings_cost_work_in_proportion_to_their_number() {
        // A page of `count` headings and `count` links to ids it lacks:
        // each link scanned every heading and ranked them all, 400 million
        // comparisons for 10,000 links to a page of 40,000 headings.
        let work = |count: usize| {
            let mut page = Rendered::default();
            for n in 0..count {
                page.headings.push(2, &format!("step-{n}"), "Step");
            }
            let rendered = [Arc::new(page)];
            let mut linked = LinkedHeadings::new(&rendered);
            for n in 0..count {
                let id = format!("stpe-{n}");
                assert_eq!(linked.place(0, &id), None);
                let hint = linked.hint(0, &id, "content/x.md");
                assert!(hint.len() < 100, "{hint}");
            }
            linked.looked_at + linked.suggestions[&0].compared
        };
        let (once, twice) = (work(1000), work(2000));
        assert_eq!(twice, 2 * once);
        assert!(once <= 20 * 1000, "{once}");
    }

    #[test]
    fn links_to_headings_find_them_on_small_and_large_pages() {
        for count in [3, 40] {
            let mut page = Rendered::default();
            for n in 0..count {
                page.headings.push(2, &format!("step-{n}"), "Step");
            }
            page.facilitator_ids.push("answers".to_string());
            let rendered = [Arc::new(page)];
            let mut linked = LinkedHeadings::new(&rendered);
            assert_eq!(linked.place(0, "step-2"), Some(HeadingPlace::Shown));
            assert_eq!(
                linked.place(0, "answers"),
                Some(HeadingPlace::FacilitatorNote)
            );
            assert_eq!(linked.place(0, "step-99"), None);
            assert_eq!(
                linked.hint(0, "stpe-2", "content/x.md"),
                "did you mean `#step-2`?"
            );
        }
    }

    #[test]
    fn a_hint_names_three_headings_at_most_and_none_for_a_long_id() {
        let mut page = Rendered::default();
        for n in 0..40 {
            page.headings.push(2, &format!("step-{n}"), "Step");
        }
        let rendered = [Arc::new(page)];
        let mut linked = LinkedHeadings::new(&rendered);
        assert_eq!(
            linked.hint(0, "closing", "content/x.md"),
            "its 40 headings include: step-10, step-11, step-12"
        );
        assert_eq!(
            linked.hint(0, &"x".repeat(81), "content/x.md"),
            "look up the heading's id in content/x.md"
        );
    }
}
