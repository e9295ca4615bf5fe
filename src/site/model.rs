//! The loaded site as data: its pages, their resolved refs, topics and
//! workbooks, and the options it was loaded with.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{Audience, SiteConfig};
use crate::content::{Kind, Page};
use crate::markdown::{Rendered, WaitingHtml};
use crate::theme::Theme;

use super::id::PageId;
use super::sections::SectionTree;

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
    pub host: Option<PageId>,
    pub guests: Vec<PageId>,
    pub related: Vec<PageId>,
    pub items: Vec<PageId>,
}

/// A topic: a tag and the pages that carry it.
#[derive(Debug, Clone)]
pub struct Topic {
    pub name: String,
    pub slug: String,
    pub pages: Vec<PageId>,
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
    pub(super) resolved: Vec<Resolved>,
    /// Parallel to `pages`.
    pub(super) rendered: Vec<Arc<Rendered>>,
    /// A one-shot build's page HTML, parallel to `pages`, taken out of
    /// `rendered` (whose `html` is then empty) as soon as each page's
    /// Markdown is rendered and packed beyond a budget; empty otherwise.
    pub(super) waiting_html: Vec<WaitingHtml>,
    /// Topics by slug.
    pub(super) topics: BTreeMap<String, Topic>,
    /// Files of the site's `static/`, relative, with `/` separators.
    pub(super) static_files: Vec<String>,
    /// Changes whenever site.yaml changes.
    pub(super) config_fingerprint: u64,
    /// For each track (by page index): its own body and each item's body,
    /// rendered for the track's workbook page.
    pub(super) workbooks: HashMap<PageId, Workbook>,
    /// Refs of the drafts left out.
    pub(super) draft_refs: HashSet<String>,
    /// Which section each page is in, and what each section holds.
    pub(super) sections: SectionTree,
    /// Each interview's transcript cues, read once per load.
    pub(super) transcripts: Transcripts,
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
    pub(super) fn part(&self, position: usize) -> Option<&Arc<Rendered>> {
        match position.checked_sub(1) {
            None => Some(&self.intro),
            Some(item) => self.items.get(item),
        }
    }

    /// [`Workbook::part`], to replace it.
    pub(super) fn part_mut(&mut self, position: usize) -> Option<&mut Arc<Rendered>> {
        match position.checked_sub(1) {
            None => Some(&mut self.intro),
            Some(item) => self.items.get_mut(item),
        }
    }
}

pub const STATIC_DIR: &str = "static";

/// The cues of each interview that has a `transcript`.
pub(super) type Transcripts = HashMap<PageId, Arc<[crate::vtt::Cue]>>;

impl Site {
    /// A page's refs, resolved.
    pub fn resolved(&self, id: PageId) -> &Resolved {
        &self.resolved[id]
    }

    /// A page's rendered Markdown.
    pub fn rendered(&self, id: PageId) -> &Arc<Rendered> {
        &self.rendered[id]
    }

    /// Topics by slug.
    pub fn topics(&self) -> &BTreeMap<String, Topic> {
        &self.topics
    }

    /// Files of the site's `static/`, relative, with `/` separators.
    pub fn static_files(&self) -> &[String] {
        &self.static_files
    }

    /// Changes whenever site.yaml changes.
    pub fn config_fingerprint(&self) -> u64 {
        self.config_fingerprint
    }

    /// Which section each page is in, and what each section holds.
    pub fn sections(&self) -> &SectionTree {
        &self.sections
    }

    /// An interview's transcript cues, if it has a `transcript`.
    pub fn transcript(&self, id: PageId) -> Option<&Arc<[crate::vtt::Cue]>> {
        self.transcripts.get(&id)
    }

    /// The bodies a track's workbook page shows.
    pub fn workbook(&self, track: PageId) -> Option<&Workbook> {
        self.workbooks.get(&track)
    }

    /// Every published page, in order.
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> + Clone {
        PageId::all(self.pages.len())
    }

    pub fn home(&self) -> Option<PageId> {
        self.pages_of_kind(Kind::Home).next()
    }

    pub fn pages_of_kind(&self, kind: Kind) -> impl Iterator<Item = PageId> + '_ {
        self.page_ids()
            .filter(move |&id| self.pages[id].kind == kind)
    }
}
