//! Links to headings, checked against the headings of their pages.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::BrokenLinks;
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::markdown::{FragmentLink, Rendered};
use crate::suggest::{typo_limit, NearestInLength};

use super::id::PageId;
use super::index::Index;

pub(super) fn check_fragments(
    pages: &[Arc<Page>],
    rendered: &[Arc<Rendered>],
    index: &Index,
    broken_links: BrokenLinks,
) -> (Vec<Diagnostic>, MissingHeadings) {
    let mut linked = LinkedHeadings::new(rendered);
    let mut problems = Vec::new();
    let mut missing = MissingHeadings::default();
    for (page, output) in pages.iter().zip(rendered) {
        for link in &output.fragment_links {
            if let Some(problem) = missing_fragment(page, link, &mut linked, index, broken_links) {
                problems.push(problem);
                missing
                    .links
                    .insert(MissingHeadings::key(&link.target, &link.fragment));
            }
        }
    }
    (problems, missing)
}

/// The headings that links name in vain, as `ref#fragment`: under
/// `broken_links: warn` the pages with such links are rendered again,
/// their links written without the fragment.
#[derive(Debug, Default)]
pub(super) struct MissingHeadings {
    links: rustc_hash::FxHashSet<String>,
}

impl MissingHeadings {
    fn key(reference: &str, fragment: &str) -> String {
        format!("{reference}#{fragment}")
    }

    pub(super) fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    pub(super) fn contains(&self, reference: &str, fragment: &str) -> bool {
        self.links.contains(&Self::key(reference, fragment))
    }

    /// Whether `rendered` holds a link to one of these headings.
    pub(super) fn linked_from(&self, rendered: &Rendered) -> bool {
        rendered
            .fragment_links
            .iter()
            .any(|link| self.contains(&link.target, &link.fragment))
    }
}

/// Where a page has a heading id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeadingPlace {
    Shown,
    /// Inside a facilitator note, which this learner build leaves out.
    FacilitatorNote,
}

/// The headings of the pages that links name, gathered once per page: many
/// links to a page of many headings then cost a lookup each, not a scan.
pub(super) struct LinkedHeadings<'a> {
    rendered: &'a [Arc<Rendered>],
    /// The ids of each page with more than [`Self::SCANNED`] of them.
    places: FxHashMap<PageId, FxHashMap<&'a str, HeadingPlace>>,
    /// Each page's shown ids, to suggest one for a link that missed.
    suggestions: FxHashMap<PageId, NearestInLength<'a>>,
    /// Ids scanned, gathered or looked up, for the tests that bound the work.
    #[cfg(test)]
    looked_at: usize,
}

impl<'a> LinkedHeadings<'a> {
    /// Pages with this many ids or fewer are scanned: cheaper than a set.
    const SCANNED: usize = 16;

    pub(super) fn new(rendered: &'a [Arc<Rendered>]) -> Self {
        LinkedHeadings {
            rendered,
            places: FxHashMap::default(),
            suggestions: FxHashMap::default(),
            #[cfg(test)]
            looked_at: 0,
        }
    }

    pub(super) fn place(&mut self, page: PageId, id: &str) -> Option<HeadingPlace> {
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

    pub(super) fn count_looked_at(&mut self, _ids: usize) {
        #[cfg(test)]
        {
            self.looked_at += _ids;
        }
    }

    /// What to tell the author of a link to `id`, a heading `page` lacks.
    pub(super) fn hint(&mut self, page: PageId, id: &str, file: &str) -> String {
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
pub(super) fn missing_fragment(
    page: &Page,
    link: &FragmentLink,
    linked: &mut LinkedHeadings,
    index: &Index,
    broken_links: BrokenLinks,
) -> Option<Diagnostic> {
    let target = index.lookup(&link.target).ok()?;
    if link.fragment.is_empty() || link.fragment == "top" {
        return None;
    }
    let target_file = &index.pages[target].file;
    match linked.place(target, &link.fragment) {
        Some(HeadingPlace::Shown) => None,
        Some(HeadingPlace::FacilitatorNote) => {
            facilitator_only_heading(page, link, target_file, broken_links)
        }
        None => Some(
            broken_links
                .diagnostic(
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
pub(super) fn facilitator_only_heading(
    page: &Page,
    link: &FragmentLink,
    target_file: &str,
    broken_links: BrokenLinks,
) -> Option<Diagnostic> {
    if link.in_facilitator_note {
        return None;
    }
    let message = format!(
        "the heading `#{}` of {target_file} is only in a facilitator note, which learner builds leave out",
        link.fragment
    );
    Some(
        broken_links
            .diagnostic(&page.file, Some(link.line), message)
            .at_column(link.column)
            .with_hint("move the heading out of the note, or remove the link"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn links_to_missing_headings_cost_work_in_proportion_to_their_number() {
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
                assert_eq!(linked.place(PageId::at(0), &id), None);
                let hint = linked.hint(PageId::at(0), &id, "content/x.md");
                assert!(hint.len() < 100, "{hint}");
            }
            linked.looked_at + linked.suggestions[&PageId::at(0)].compared
        };
        let (once, twice) = (work(1000), work(2000));
        assert_eq!(twice, 2 * once);
        assert!(once <= 20 * 1000, "{once}");
    }

    #[test]
    pub(super) fn links_to_headings_find_them_on_small_and_large_pages() {
        for count in [3, 40] {
            let mut page = Rendered::default();
            for n in 0..count {
                page.headings.push(2, &format!("step-{n}"), "Step");
            }
            page.facilitator_ids.push("answers".to_string());
            let rendered = [Arc::new(page)];
            let mut linked = LinkedHeadings::new(&rendered);
            assert_eq!(
                linked.place(PageId::at(0), "step-2"),
                Some(HeadingPlace::Shown)
            );
            assert_eq!(
                linked.place(PageId::at(0), "answers"),
                Some(HeadingPlace::FacilitatorNote)
            );
            assert_eq!(linked.place(PageId::at(0), "step-99"), None);
            assert_eq!(
                linked.hint(PageId::at(0), "stpe-2", "content/x.md"),
                "did you mean `#step-2`?"
            );
        }
    }

    #[test]
    pub(super) fn a_hint_names_three_headings_at_most_and_none_for_a_long_id() {
        let mut page = Rendered::default();
        for n in 0..40 {
            page.headings.push(2, &format!("step-{n}"), "Step");
        }
        let rendered = [Arc::new(page)];
        let mut linked = LinkedHeadings::new(&rendered);
        assert_eq!(
            linked.hint(PageId::at(0), "closing", "content/x.md"),
            "its 40 headings include: step-10, step-11, step-12"
        );
        assert_eq!(
            linked.hint(PageId::at(0), &"x".repeat(81), "content/x.md"),
            "look up the heading's id in content/x.md"
        );
    }
}
