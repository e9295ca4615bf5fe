//! Rendering the pages' Markdown bodies, from memory or from their files.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::load;
use crate::content::media::Media;
use crate::content::{Details, Page};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, PageContext, RenderOptions, Rendered, Resolver, WaitingHtml};

use super::index::Index;
use crate::config::{Audience, BrokenLinks};

/// Where the pages' Markdown bodies are when they are rendered.
pub(super) enum Sources {
    /// In the pages (kept for the next rebuild).
    InPages,
    /// In their files under this root: a one-shot build reads each body
    /// again as it renders it, so the sources are never all in memory.
    OnDisk(PathBuf),
}

impl Sources {
    pub(super) fn of<'a>(&self, page: &'a Page) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
        match self {
            Sources::InPages => Ok(std::borrow::Cow::Borrowed(&page.body)),
            Sources::OnDisk(root) => load::read_body(root, page).map(std::borrow::Cow::Owned),
        }
    }
}

/// Renders every page's Markdown, reading each source as it goes and
/// setting each page's HTML aside (packed beyond a budget) as soon as it
/// exists.
pub(super) fn render_sources(
    pages: &[Arc<Page>],
    sources: &Sources,
    index: &Index,
    options: RenderOptions,
) -> (Vec<Arc<Rendered>>, Vec<WaitingHtml>) {
    let held = std::sync::atomic::AtomicUsize::new(0);
    pages
        .par_iter()
        .map(|page| {
            let context = PageContext::own(&page.file, &page.reference, &page.url, page.body_line);
            let mut rendered = render_source(page, sources, &context, index, options);
            let html = WaitingHtml::hold(std::mem::take(&mut rendered.html), &held);
            (Arc::new(rendered), html)
        })
        .unzip()
}

/// Renders one page's body in a context, or says why it could not be read.
pub(super) fn render_source(
    page: &Page,
    sources: &Sources,
    context: &PageContext,
    index: &dyn Resolver,
    options: RenderOptions,
) -> Rendered {
    match sources.of(page) {
        Ok(body) => render_markdown_in(page, &body, context, index, options),
        Err(problem) => Rendered {
            problems: vec![problem],
            ..Rendered::default()
        },
    }
}

/// One body on a track's workbook page: the track's own (position 0) or
/// an item's (positions from 1).
pub(super) fn render_workbook_part(
    track: &Page,
    position: usize,
    item: &Page,
    sources: &Sources,
    index: &dyn Resolver,
    options: RenderOptions,
) -> Rendered {
    let url = format!("{}workbook/", track.url);
    let prefix = format!("sb-w{position}-");
    let context = PageContext {
        id_prefix: &prefix,
        heading_offset: 1,
        ..PageContext::own(&item.file, &item.reference, &url, item.body_line)
    };
    render_source(item, sources, &context, index, options)
}

/// How Markdown renders for this audience, and what its broken links are.
pub(super) fn render_options(audience: Audience, broken_links: BrokenLinks) -> RenderOptions {
    RenderOptions {
        facilitator: audience == Audience::Facilitator,
        broken_links,
    }
}

/// Renders the page's body for its own URL.
pub(super) fn render_markdown(page: &Page, index: &Index, options: RenderOptions) -> Rendered {
    render_markdown_of(page, &page.body, index, options)
}

/// Renders `body`, the page's source, for the page's own URL.
pub(super) fn render_markdown_of(
    page: &Page,
    body: &str,
    index: &Index,
    options: RenderOptions,
) -> Rendered {
    let context = PageContext::own(&page.file, &page.reference, &page.url, page.body_line);
    render_markdown_in(page, body, &context, index, options)
}

/// Renders one body in a context; a panic inside the Markdown parser
/// becomes a diagnostic for this page instead of ending the build.
pub(super) fn render_markdown_in(
    page: &Page,
    body: &str,
    context: &PageContext,
    index: &dyn Resolver,
    options: RenderOptions,
) -> Rendered {
    let context = PageContext {
        has_media: plays_media(page),
        ..*context
    };
    catch_unwind(AssertUnwindSafe(|| {
        let mut rendered = markdown::render(body, &context, index, options);
        super::fields::render_fields(page, &context, index, options, &mut rendered);
        rendered
    }))
    .unwrap_or_else(|_| Rendered {
        problems: vec![Diagnostic::error(
            &page.file,
            Some(page.body_line),
            "the Markdown renderer failed on this page",
        )
        .with_hint("simplify the page's Markdown to find the construct that fails, and report it")],
        ..Rendered::default()
    })
}

/// Whether the page is an interview with a recording of the site's own,
/// which a quote's time can seek.
fn plays_media(page: &Page) -> bool {
    let Details::Interview(fields) = &page.details else {
        return false;
    };
    matches!(
        fields.media.as_deref().map(Media::read),
        Some(Ok(Media::Local { .. }))
    )
}
