//! Changes to a loaded site, all here: a one-shot build's HTML handed
//! over, and an edit of page bodies alone, applied without loading the
//! site again.

use std::path::PathBuf;
use std::sync::Arc;

use crate::content::load;
use crate::content::Page;
use crate::markdown::{RenderOptions, Rendered, WaitingHtml};

use super::bodies::{render_markdown, render_options, render_workbook_part, Sources};
use super::caches::{Caches, WorkbookEntry};
use super::id::PageId;
use super::index::Index;
use super::links::{missing_fragment, LinkedHeadings};
use super::model::Site;

/// The only methods that change a loaded site: handing a one-shot build's
/// HTML over, and swapping page bodies in and out for a rebuild.
impl Site {
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
        let mut new_pages: Vec<(PageId, Arc<Page>)> = Vec::new();
        for path in changed {
            let cached = caches.files.page_of(path)?;
            let index = self
                .pages
                .binary_search_by(|page| page.reference.cmp(&cached.reference))
                .ok()
                .map(PageId::at)
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
        let options = render_options(self.options.audience, self.config.broken_links);
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
            let broken = rendered.fragment_links.iter().any(|link| {
                missing_fragment(&page, link, &mut linked, &index, options.broken_links).is_some()
            });
            if broken {
                return None;
            }
            update.pages.push((page_index, page, Arc::new(rendered)));
        }
        update.workbook_parts = self.new_workbook_parts(&update, &index, options);
        Some(update)
    }

    /// The workbook renderings that show the update's pages.
    pub(super) fn new_workbook_parts(
        &self,
        update: &BodyUpdate,
        index: &Index,
        options: RenderOptions,
    ) -> Vec<(PageId, usize, PageId, Arc<Rendered>)> {
        let new_page = |page_index: PageId| {
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
    /// Page id, page, its rendered body.
    pub(super) pages: Vec<(PageId, Arc<Page>, Arc<Rendered>)>,
    /// Each page's file and its stamp when read, parallel to `pages`.
    pub(super) files: Vec<(PathBuf, load::Stamp)>,
    /// Track, position on its workbook page (0 for the track's own body),
    /// the page shown there, rendered body.
    pub(super) workbook_parts: Vec<(PageId, usize, PageId, Arc<Rendered>)>,
}

impl BodyUpdate {
    /// The pages with new bodies.
    pub fn pages(&self) -> impl Iterator<Item = PageId> + '_ {
        self.pages.iter().map(|(index, ..)| *index)
    }
}
