//! What a rebuild reuses from the previous load.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::load::FileCache;
use crate::content::{Kind, Page};
use crate::fingerprint::set_fingerprint;
use crate::markdown::{RenderOptions, Rendered, WaitingHtml};

use super::bodies::{render_markdown, render_sources, render_workbook_part, Sources};
use super::id::PageId;
use super::index::Index;
use super::model::{Resolved, Workbook};

/// What a rebuild reuses from the previous load: parsed files whose stamp
/// is unchanged, and rendered Markdown of unchanged pages while nothing it
/// depends on elsewhere (URLs, drafts, static files, speakers) changed.
#[derive(Debug, Default)]
pub struct Caches {
    pub(super) files: FileCache,
    pub(super) markdown: MarkdownCache,
    /// A one-shot build keeps nothing for later: each Markdown body is read
    /// from its file when it is rendered, and its HTML set aside for the
    /// templates (packed beyond a budget).
    pub(super) one_shot: bool,
}

impl Caches {
    pub(super) fn one_shot() -> Self {
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

/// The Markdown phase's result: each page's rendering, a one-shot build's
/// HTML set aside (empty for a rebuild), and the workbooks' bodies.
pub(super) struct Bodies {
    pub(super) rendered: Vec<Arc<Rendered>>,
    pub(super) waiting_html: Vec<WaitingHtml>,
    pub(super) workbooks: HashMap<PageId, Workbook>,
}

impl Caches {
    /// Renders every page's Markdown and each workbook's bodies. A
    /// one-shot build reads each source from its file and sets its HTML
    /// aside; a rebuild reuses what it cached of unchanged pages.
    pub(super) fn render_bodies(
        &mut self,
        root: &Path,
        pages: &[Arc<Page>],
        resolved: &[Resolved],
        index: &Index,
        options: RenderOptions,
    ) -> Bodies {
        if !self.one_shot {
            self.markdown.check_context(index, options);
        }
        let sources = self.sources(root);
        let workbooks = render_workbooks(
            pages,
            resolved,
            index,
            options,
            &sources,
            &mut self.markdown,
        );
        let (rendered, waiting_html) = if self.one_shot {
            render_sources(pages, &sources, index, options)
        } else {
            let rendered = render_all_markdown(pages, index, options, &mut self.markdown);
            (rendered, Vec::new())
        };
        Bodies {
            rendered,
            waiting_html,
            workbooks,
        }
    }
}

impl Caches {
    /// Where the bodies are: a one-shot build reads them from their files.
    pub(super) fn sources(&self, root: &Path) -> Sources {
        if self.one_shot {
            Sources::OnDisk(root.to_path_buf())
        } else {
            Sources::InPages
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct MarkdownCache {
    /// Fingerprint of everything outside a page that its Markdown uses.
    pub(super) context: u64,
    pub(super) entries: HashMap<String, (Arc<Page>, Arc<Rendered>)>,
    /// Workbook renderings by (track ref, position); valid while both the
    /// track and the item are the same pages.
    pub(super) workbook_entries: HashMap<(String, usize), WorkbookEntry>,
}

impl MarkdownCache {
    /// Forgets every rendering, the pages' and the workbooks' alike, when
    /// something outside the pages that their Markdown uses changed (see
    /// [`markdown_context`]). Checked before either is rendered: a workbook
    /// shows the same links and quotes as its pages.
    pub(super) fn check_context(&mut self, index: &Index, options: RenderOptions) {
        let context = markdown_context(index, options);
        if self.context != context {
            self.entries.clear();
            self.workbook_entries.clear();
            self.context = context;
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct WorkbookEntry {
    pub(super) track: Arc<Page>,
    pub(super) item: Arc<Page>,
    pub(super) rendered: Arc<Rendered>,
}

/// Renders the Markdown of every page, reusing the cached result of pages
/// that did not change (after [`MarkdownCache::check_context`]).
fn render_all_markdown(
    pages: &[Arc<Page>],
    index: &Index,
    options: RenderOptions,
    cache: &mut MarkdownCache,
) -> Vec<Arc<Rendered>> {
    let rendered: Vec<(Arc<Rendered>, bool)> = pages
        .par_iter()
        .map(|page| {
            let cached = cache
                .entries
                .get(&page.reference)
                .filter(|(old, _)| Arc::ptr_eq(old, page));
            match cached {
                Some((_, rendered)) => (rendered.clone(), false),
                None => (Arc::new(render_markdown(page, index, options)), true),
            }
        })
        .collect();
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
) -> HashMap<PageId, Workbook> {
    let tracks: Vec<PageId> = PageId::all(pages.len())
        .filter(|&id| pages[id].kind == Kind::Track)
        .collect();
    let jobs: Vec<(PageId, usize, PageId)> = tracks
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
    let mut workbooks: HashMap<PageId, Workbook> = HashMap::new();
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

/// Everything outside a page that its rendered Markdown depends on: which
/// refs exist at which URL, which are drafts, which static paths exist,
/// speakers' names, the audience and what a broken link is.
fn markdown_context(index: &Index, options: RenderOptions) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    options.facilitator.hash(&mut hasher);
    options.broken_links.hash(&mut hasher);
    for page in index.pages {
        (&page.reference, &page.url).hash(&mut hasher);
    }
    set_fingerprint(index.drafts.iter()).hash(&mut hasher);
    set_fingerprint(index.root_paths.keys()).hash(&mut hasher);
    set_fingerprint(index.speakers_by_name.iter()).hash(&mut hasher);
    // A link to an unreadable file is quiet; once the file is gone it is
    // an error, so the set is part of what a body's rendering depends on.
    set_fingerprint(index.unreadable.into_iter().flatten()).hash(&mut hasher);
    hasher.finish()
}
