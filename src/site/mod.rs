//! The whole site, loaded and validated: settings, published pages, their
//! resolved refs and rendered Markdown. Read-only once built, but for the
//! changes in `update`: HTML handed over, bodies swapped by a rebuild.
//!
//! - `model`: the [`Site`] itself and what it holds;
//! - `load`: loading and validation, from files to a [`Site`];
//! - `index`: the lookup tables that resolve refs and links;
//! - `links`: links to headings, checked against their pages;
//! - `relink`: bodies rendered again without links to missing headings;
//! - `media`: interviews' media files and transcripts;
//! - `sections`: the tree of sections, and drafts left out with theirs;
//! - `bodies`: rendering the pages' Markdown;
//! - `fields`: front matter fields written in Markdown;
//! - `caches`: what a rebuild reuses from the previous load;
//! - `update`: every method that changes a loaded site.

mod bodies;
mod caches;
mod fields;
mod id;
mod index;
mod links;
mod load;
mod media;
mod model;
mod relink;
mod sections;
mod update;

pub use caches::Caches;
pub use id::PageId;
pub use model::{LoadOptions, Resolved, Site, Topic, Workbook, STATIC_DIR};
pub use sections::SectionTree;
pub use update::BodyUpdate;
