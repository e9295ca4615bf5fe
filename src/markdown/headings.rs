//! Headings: the ids they get (stable, unique on the page, never the
//! theme's) and the compact list every page keeps.

use pulldown_cmark::HeadingLevel;
use rustc_hash::{FxHashMap, FxHashSet};

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
    pub(super) fn truncate(&mut self, count: usize) {
        self.marks.truncate(count);
        self.text
            .truncate(self.marks.last().map_or(0, |&(_, _, end)| end));
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.marks.shrink_to_fit();
    }
}

/// Ids the theme puts on every page; headings never take them. The theme's
/// other ids all start with [`THEME_ID_PREFIX`].
pub const RESERVED_IDS: &[&str] = &["main", "top"];
pub const THEME_ID_PREFIX: &str = "sb-";

/// Whether `slug`, or the numbered ids made from it (`slug-1`), start with
/// [`THEME_ID_PREFIX`].
pub(super) fn takes_theme_prefix(slug: &str) -> bool {
    slug.starts_with(THEME_ID_PREFIX) || Some(slug) == THEME_ID_PREFIX.strip_suffix('-')
}

/// `level` moved down by `offset` levels, at most to h6.
pub(super) fn shifted(level: HeadingLevel, offset: u8) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + usize::from(offset)).min(6))
        .unwrap_or(HeadingLevel::H6)
}

/// Ids taken on a page (a few dozen short strings: hashed with Fx).
#[derive(Default)]
pub(super) struct HeadingIds {
    taken: FxHashSet<String>,
    /// For each base that needed a number, the next number to try: every
    /// number below it is taken, and ids are never given back, so a page of
    /// many equal headings tries each number once (not 1, 2, … each time).
    next_number: FxHashMap<String, usize>,
    /// Ids looked up, for the tests that bound the work.
    #[cfg(test)]
    pub(super) probes: usize,
}

impl HeadingIds {
    /// The ids the theme puts on every page, taken.
    pub(super) fn new() -> Self {
        let mut ids = HeadingIds::default();
        for id in RESERVED_IDS {
            ids.take(id);
        }
        ids
    }

    /// Takes `id`; false if it was taken already.
    pub(super) fn take(&mut self, id: &str) -> bool {
        #[cfg(test)]
        {
            self.probes += 1;
        }
        self.taken.insert(id.to_string())
    }

    /// Takes `base` or, if it is taken, the first free `base-1`, `base-2`, ….
    pub(super) fn numbered(&mut self, base: String) -> String {
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
