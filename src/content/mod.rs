//! The content model: pages read from `content/`, with their typed front
//! matter. Nothing here knows about templates or where output goes.

pub mod aliases;
pub mod folder;
pub mod frontmatter;
pub mod kind;
pub mod load;
pub mod media;
pub mod other_keys;
pub mod sections;
pub mod slug;
pub mod untitled;

pub use frontmatter::{Common, Details};
pub use kind::Kind;

/// One Markdown file of `content/`, parsed.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: Kind,
    /// Path relative to the site root, e.g. `content/exercises/three-tries.md`.
    pub file: String,
    /// Path under `content/` without `.md`, e.g. `exercises/three-tries`.
    /// Refs in front matter and the practice log's storage key use it.
    pub reference: String,
    pub slug: String,
    /// URL relative to the site root: `exercises/three-tries/`, `""` for home.
    pub url: String,
    pub common: Common,
    pub details: Details,
    /// Empty when the build reads it again as it renders (see
    /// [`crate::content::load::FileCache::bodies_left_on_disk`]).
    pub body: String,
    /// Where the body starts in the file's bytes, and a fingerprint of the
    /// bytes before it, to read the body again and know the front matter
    /// did not change meanwhile.
    pub(crate) body_offset: usize,
    pub(crate) head_fingerprint: u64,
    /// File line of the body's first line.
    pub body_line: usize,
    /// False when the front matter had errors and the fields are defaults.
    pub front_matter_ok: bool,
    /// The front matter text and its first line, kept to point later
    /// diagnostics (unresolved refs) at the right line.
    pub(crate) front_matter: String,
    pub(crate) front_matter_line: usize,
    /// A section's page made for a folder without `_index.md`: no file,
    /// no body.
    pub generated: bool,
}

impl Page {
    /// The page's title; for speakers, their name.
    pub fn title(&self) -> &str {
        match &self.details {
            Details::Speaker(speaker) => speaker.name.as_deref().unwrap_or_default(),
            _ => self.common.title.as_deref().unwrap_or_default(),
        }
    }

    pub fn is_draft(&self) -> bool {
        self.common.draft
    }

    /// File line of a front matter key, or the first line.
    pub fn key_line(&self, key: &str) -> usize {
        self.document().key_line(key).unwrap_or(1)
    }

    /// The line a page's URL comes from, for errors about it: its `slug:`,
    /// else the first; none for a section made for a folder.
    pub fn url_line(&self) -> Option<usize> {
        (!self.generated).then(|| self.key_line("slug"))
    }

    /// File line of the `index`-th item of a list-valued key.
    pub fn item_line(&self, key: &str, index: usize) -> usize {
        self.document()
            .item_line(key, index)
            .unwrap_or_else(|| self.key_line(key))
    }

    fn document(&self) -> crate::yaml::Document<'_> {
        crate::yaml::Document::new(&self.front_matter, self.front_matter_line)
    }

    /// The URLs of the page's valid `aliases` (see
    /// [`aliases::alias_url`]), in order.
    pub fn alias_urls(&self) -> impl Iterator<Item = String> + '_ {
        self.common
            .aliases
            .iter()
            .filter_map(|alias| aliases::alias_url(alias).ok())
    }

    pub fn date(&self) -> Option<&str> {
        self.common.date.as_deref()
    }
}
