//! The tree of sections over the published pages: each page's section and
//! each section's pages and sub-sections in order, found once per load.

use std::collections::HashSet;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::content::sections::{folder_of, parent_folder, section_ref};
use crate::content::{Kind, Page};

use super::id::PageId;

#[derive(Debug, Default)]
pub struct SectionTree {
    /// For each page (empty when the site has no sections): the section
    /// page of the folder it is in. None at the root of `content/`, in the
    /// kinds' folders, and for sections at the top (the home page is above
    /// them all).
    parent: Vec<Option<PageId>>,
    /// For each section page: its pages and sub-sections, in order.
    children: FxHashMap<PageId, Vec<PageId>>,
}

impl SectionTree {
    pub(super) fn new(pages: &[Arc<Page>]) -> Self {
        if !pages.iter().any(|page| page.kind == Kind::Section) {
            return SectionTree::default();
        }
        let by_ref: FxHashMap<&str, PageId> = PageId::all(pages.len())
            .zip(pages)
            .filter(|(_, page)| page.kind == Kind::Section)
            .map(|(id, page)| (page.reference.as_str(), id))
            .collect();
        let parent: Vec<Option<PageId>> = pages
            .iter()
            .map(|page| {
                let folder = folder_of(page)?;
                let above = match page.kind {
                    Kind::Section => parent_folder(folder)?,
                    _ => folder,
                };
                by_ref.get(section_ref(above).as_str()).copied()
            })
            .collect();
        let mut children: FxHashMap<PageId, Vec<PageId>> = FxHashMap::default();
        for (id, above) in PageId::all(pages.len()).zip(&parent) {
            if let Some(above) = above {
                children.entry(*above).or_default().push(id);
            }
        }
        for list in children.values_mut() {
            sort_siblings(pages, list);
        }
        SectionTree { parent, children }
    }

    /// The section page of the folder a page is in, if it is in one.
    pub fn parent(&self, page: PageId) -> Option<PageId> {
        self.parent.get(page.index()).copied().flatten()
    }

    /// A section's pages and sub-sections, in order (by `weight`, the
    /// unweighted last, then title).
    pub fn children(&self, section: PageId) -> &[PageId] {
        self.children.get(&section).map_or(&[], Vec::as_slice)
    }

    /// The sections a page is in, the outermost first.
    pub fn ancestors(&self, page: PageId) -> Vec<PageId> {
        let mut ancestors = Vec::new();
        let mut current = self.parent(page);
        while let Some(section) = current {
            ancestors.push(section);
            current = self.parent(section);
        }
        ancestors.reverse();
        ancestors
    }
}

/// Siblings in a section: by weight (unweighted last), then title, then ref.
fn sort_siblings(pages: &[Arc<Page>], list: &mut [PageId]) {
    list.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let weight = |p: &Page| p.common.weight.unwrap_or(i64::MAX);
        weight(a)
            .cmp(&weight(b))
            .then_with(|| a.title().cmp(b.title()))
            .then_with(|| a.reference.cmp(&b.reference))
    });
}

/// Published pages and the refs of the drafts left out. A draft section
/// takes everything below it along; a section made for a folder (without
/// `_index.md`) goes when nothing below it is published.
pub(super) fn split_drafts(
    all: Vec<Arc<Page>>,
    keep_drafts: bool,
) -> (Vec<Arc<Page>>, HashSet<String>) {
    if keep_drafts {
        return (all, HashSet::new());
    }
    let draft_folders: Vec<String> = all
        .iter()
        .filter(|page| page.kind == Kind::Section && page.is_draft())
        .filter_map(|page| folder_of(page))
        .map(|folder| format!("{folder}/"))
        .collect();
    let in_draft_folder = |page: &Page| draft_folders.iter().any(|f| page.reference.starts_with(f));
    let (mut drafts, mut published): (Vec<Arc<Page>>, Vec<Arc<Page>>) = all
        .into_iter()
        .partition(|page| page.is_draft() || in_draft_folder(page));
    if published.iter().any(|page| page.generated) {
        let filled = filled_folders(&published);
        let (empty, kept): (Vec<Arc<Page>>, Vec<Arc<Page>>) =
            published.into_iter().partition(|page| {
                page.generated && folder_of(page).is_some_and(|f| !filled.contains(f))
            });
        drafts.extend(empty);
        published = kept;
    }
    let draft_refs = drafts.iter().map(|page| page.reference.clone()).collect();
    (published, draft_refs)
}

/// The folders holding a page from a file, at any depth. (Owned: the
/// pages are split by it.)
fn filled_folders(pages: &[Arc<Page>]) -> FxHashSet<String> {
    let mut filled = FxHashSet::default();
    for page in pages.iter().filter(|page| !page.generated) {
        let mut folder = folder_of(page);
        while let Some(current) = folder {
            if !filled.insert(current.to_string()) {
                break;
            }
            folder = parent_folder(current);
        }
    }
    filled
}
