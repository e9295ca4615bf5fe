//! Typed page ids, so that a page's place in [`Site::pages`](super::Site)
//! is not mistaken for a count, a position in a track or a line.

use std::ops::{Index, IndexMut};

/// A published page: its position in the site's pages, sorted by ref, and
/// in every list parallel to them (resolved refs, rendered Markdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(usize);

impl PageId {
    /// The id of the page at this position.
    pub fn at(position: usize) -> PageId {
        PageId(position)
    }

    /// The ids of `count` pages, in order.
    pub fn all(count: usize) -> impl Iterator<Item = PageId> + Clone {
        (0..count).map(PageId)
    }

    /// The page's position in the lists parallel to the pages.
    pub fn index(self) -> usize {
        self.0
    }
}

impl<T> Index<PageId> for [T] {
    type Output = T;

    fn index(&self, id: PageId) -> &T {
        &self[id.0]
    }
}

impl<T> Index<PageId> for Vec<T> {
    type Output = T;

    fn index(&self, id: PageId) -> &T {
        &self[id.0]
    }
}

impl<T> IndexMut<PageId> for Vec<T> {
    fn index_mut(&mut self, id: PageId) -> &mut T {
        &mut self[id.0]
    }
}
