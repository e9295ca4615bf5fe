//! Under `broken_links: warn`, the bodies that link to a heading no page
//! has are rendered again, knowing which: such a link then leads to its
//! page without the dead `#fragment` (the reader still lands on the page;
//! the author was warned). Only those bodies are rendered twice.

use std::sync::Arc;

use crate::content::Page;
use crate::markdown::{LinkProblem, PageContext, RenderOptions, Resolver, WaitingHtml};

use super::bodies::{render_source, render_workbook_part, Sources};
use super::caches::Bodies;
use super::id::PageId;
use super::index::Index;
use super::links::MissingHeadings;
use super::model::Resolved;

/// Resolves as the index does, and knows which headings are missing.
struct KnowingMissingHeadings<'a> {
    index: &'a Index<'a>,
    missing: &'a MissingHeadings,
}

impl Resolver for KnowingMissingHeadings<'_> {
    fn page(&self, reference: &str) -> Result<String, LinkProblem> {
        self.index.page(reference)
    }

    fn root_path_exists(&self, path: &str) -> bool {
        self.index.root_path_exists(path)
    }

    fn page_at(&self, path: &str) -> Option<String> {
        self.index.page_at(path)
    }

    fn speaker_url(&self, name: &str) -> Option<String> {
        self.index.speaker_url(name)
    }

    fn closest_speaker(&self, name: &str) -> Option<String> {
        self.index.closest_speaker(name)
    }

    fn heading_missing(&self, reference: &str, fragment: &str) -> bool {
        self.missing.contains(reference, fragment)
    }
}

/// Renders again every page body and workbook part that links to a
/// missing heading. The rendering replaces the first one wherever it is
/// used (its problems are the same); a rebuild's cache keeps the first,
/// so a heading added later is linked again.
pub(super) fn relink_missing_headings(
    bodies: &mut Bodies,
    pages: &[Arc<Page>],
    resolved: &[Resolved],
    sources: &Sources,
    index: &Index,
    options: RenderOptions,
    missing: &MissingHeadings,
) {
    if missing.is_empty() {
        return;
    }
    let resolver = KnowingMissingHeadings { index, missing };
    for id in PageId::all(pages.len()) {
        if !missing.linked_from(&bodies.rendered[id]) {
            continue;
        }
        let page = &pages[id];
        let context = PageContext::own(&page.file, &page.reference, &page.url, page.body_line);
        let mut rendered = render_source(page, sources, &context, &resolver, options);
        // A one-shot build keeps the HTML aside; a rebuild, in the rendering.
        if let Some(waiting) = bodies.waiting_html.get_mut(id.index()) {
            *waiting = WaitingHtml::Plain(std::mem::take(&mut rendered.html));
        }
        bodies.rendered[id] = Arc::new(rendered);
    }
    for (&track, workbook) in &mut bodies.workbooks {
        let items = std::iter::once(track).chain(resolved[track].items.iter().copied());
        for (position, item) in items.enumerate() {
            let part = match position.checked_sub(1) {
                None => &mut workbook.intro,
                Some(at) => match workbook.items.get_mut(at) {
                    Some(part) => part,
                    None => continue,
                },
            };
            if missing.linked_from(part) {
                *part = Arc::new(render_workbook_part(
                    &pages[track],
                    position,
                    &pages[item],
                    sources,
                    &resolver,
                    options,
                ));
            }
        }
    }
}
