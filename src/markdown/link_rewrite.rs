//! Link destinations of a body (Markdown links and images, raw HTML's
//! `href` and `src`): resolved, checked and written relative to the page.

use pulldown_cmark::CowStr;

use super::html_repair::{apply_edits, Edit};
use super::links::{classify_link, decode_link, resolve_relative_url, LinkKind};
use super::raw_html::{decode_entities, tags_in, urls_of, HtmlTag};
use super::{FragmentLink, LinkProblem, Renderer};
use crate::text::escape_html;

impl<'e> Renderer<'_, 'e> {
    /// Rewrites a link destination; records problems and fragment links.
    pub(super) fn rewrite_link(
        &mut self,
        dest: &CowStr<'e>,
        offset: usize,
        is_image: bool,
    ) -> CowStr<'e> {
        let (line, column) = self.lines.locate(offset);
        match classify_link(dest) {
            LinkKind::External => dest.clone(),
            LinkKind::Relative(path) => {
                let resolved = resolve_relative_url(self.page.url, &decode_link(path));
                let target = resolved.as_deref().and_then(|path| self.published_at(path));
                if let Some(target) = target {
                    if self.link_to_heading_at_url(target, dest, line, column) {
                        return without_fragment(dest);
                    }
                } else {
                    let what = if is_image { "image" } else { "link" };
                    self.broken_link(
                        line,
                        column,
                        format!("{what} to `{dest}`: nothing is published at that address relative to this page"),
                        "link pages as .md files, and files of static/ with a leading / (e.g. /images/chart.png)",
                    );
                }
                dest.clone()
            }
            LinkKind::Fragment(fragment) => {
                if self.link_to_heading(self.page.reference.to_string(), fragment, line, column) {
                    // Already on the page: a Markdown link becomes its text
                    // alone, raw HTML's goes to the top (as `#top` does).
                    self.link_broken = true;
                    return CowStr::from("#top");
                }
                if self.page.id_prefix.is_empty() {
                    dest.clone()
                } else {
                    CowStr::from(format!("#{}{fragment}", self.page.id_prefix))
                }
            }
            LinkKind::RootPath { path, suffix } => {
                let decoded = decode_link(path);
                if let Some(target) = self.published_at(&decoded) {
                    let suffix = if self.link_to_heading_at_url(target, dest, line, column) {
                        suffix.split('#').next().unwrap_or_default()
                    } else {
                        suffix
                    };
                    CowStr::from(format!("{}{path}{suffix}", self.root))
                } else {
                    let what = if is_image { "image" } else { "link" };
                    self.broken_link(
                        line,
                        column,
                        format!("{what} to `{dest}`: there is no file static/{decoded} and no page at that URL"),
                        "check the spelling, or put the file in static/",
                    );
                    dest.clone()
                }
            }
            LinkKind::Page {
                path,
                from_root,
                fragment,
            } => {
                let Some(reference) = self.resolve_page_path(&decode_link(path), from_root) else {
                    self.broken_link(
                        line,
                        column,
                        format!("link to `{dest}` leaves the content folder"),
                        "link to a page inside content/, e.g. @/exercises/x.md",
                    );
                    return dest.clone();
                };
                match self.resolver.page(&reference) {
                    Ok(url) => {
                        let fragment = fragment.filter(|fragment| {
                            !self.link_to_heading(reference, fragment, line, column)
                        });
                        let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
                        CowStr::from(format!("{}{url}{fragment}", self.root))
                    }
                    Err(LinkProblem::Draft) => {
                        self.broken_link(
                            line,
                            column,
                            format!("link to `{dest}`, which is a draft"),
                            "publish it (remove `draft: true`), remove the link, or build with --drafts",
                        );
                        dest.clone()
                    }
                    Err(LinkProblem::Unreadable) => dest.clone(),
                    Err(LinkProblem::Missing { suggestion }) => {
                        let hint = match suggestion {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "check the file name; links are relative to this file, or start with @/ for the content folder".to_string(),
                        };
                        self.broken_link(
                            line,
                            column,
                            format!("link to `{dest}`: there is no page content/{reference}.md"),
                            &hint,
                        );
                        dest.clone()
                    }
                }
            }
        }
    }

    /// Raw HTML with the URLs of its `href`, `src` and `srcset` resolved,
    /// checked and written as Markdown links are, and its tags that would
    /// make the page invalid or inaccessible repaired (with a warning);
    /// `offset` is where the HTML starts in the body.
    pub(super) fn rewrite_html(&mut self, html: CowStr<'e>, offset: usize) -> CowStr<'e> {
        let tags = tags_in(&html);
        self.rewrite_tags(html, &tags, offset)
    }

    /// [`Self::rewrite_html`] of HTML whose tags are already found.
    pub(super) fn rewrite_tags(
        &mut self,
        html: CowStr<'e>,
        tags: &[HtmlTag],
        offset: usize,
    ) -> CowStr<'e> {
        if tags.is_empty() {
            return html;
        }
        // Block HTML inside a list or quote lacks the source's indent: its
        // problems are then placed at the start of the HTML.
        let exact = self.source.get(offset..offset + html.len()) == Some(&*html);
        let at = |position: usize| if exact { offset + position } else { offset };
        let mut edits = Vec::new();
        for tag in tags {
            self.repair_tag(&html, tag, at(tag.range.start), &mut edits);
        }
        for url in urls_of(&html, tags) {
            let written = &html[url.range.clone()];
            let decoded = decode_entities(written);
            let dest = CowStr::from(decoded.to_string());
            let new = self.rewrite_link(&dest, at(url.range.start), url.is_media);
            if *new != *decoded {
                edits.push(Edit {
                    range: url.range,
                    text: escape_html(&new),
                });
            }
        }
        if edits.is_empty() {
            return html;
        }
        CowStr::from(apply_edits(&html, edits))
    }

    /// `path` (from the root, decoded) as the site has it: a static file
    /// or page URL, or a page URL's `index.html` (as other generators'
    /// links often name it).
    fn published_at<'p>(&self, path: &'p str) -> Option<&'p str> {
        if self.resolver.root_path_exists(path) {
            return Some(path);
        }
        let folder = path
            .strip_suffix("index.html")
            .filter(|folder| folder.is_empty() || folder.ends_with('/'))?;
        self.resolver.root_path_exists(folder).then_some(folder)
    }

    /// Records a link to heading `fragment` of page `target`, decoded as a
    /// browser decodes it, to check once every page is rendered. Returns
    /// whether the heading is known to be missing: the link is then written
    /// without its fragment.
    fn link_to_heading(
        &mut self,
        target: String,
        fragment: &str,
        line: usize,
        column: usize,
    ) -> bool {
        let fragment = decode_link(fragment).into_owned();
        let missing = self.resolver.heading_missing(&target, &fragment);
        self.result.fragment_links.push(FragmentLink {
            target,
            fragment,
            line,
            column,
            in_facilitator_note: self.in_facilitator_note,
        });
        missing
    }

    /// Records the `#heading` of link `dest`, if it has one and names a
    /// page by its URL `path` (from the root, decoded); returns whether
    /// that heading is known to be missing.
    fn link_to_heading_at_url(
        &mut self,
        path: &str,
        dest: &str,
        line: usize,
        column: usize,
    ) -> bool {
        let Some((_, fragment)) = dest.split_once('#') else {
            return false;
        };
        match self.resolver.page_at(path) {
            Some(reference) => self.link_to_heading(reference, fragment, line, column),
            None => false,
        }
    }

    /// The ref a `.md` link names, or `None` if it climbs out of content/.
    fn resolve_page_path(&self, path: &str, from_root: bool) -> Option<String> {
        let mut parts: Vec<&str> = if from_root {
            Vec::new()
        } else {
            let mut base: Vec<&str> = self.page.reference.split('/').collect();
            base.pop();
            base
        };
        for segment in path.trim_end_matches(".md").split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                other => parts.push(other),
            }
        }
        Some(parts.join("/"))
    }

    /// A link to something missing: an error, or a warning when the site
    /// says `broken_links: warn` (then a Markdown link or image is written as
    /// its text alone, raw HTML as it was).
    fn broken_link(&mut self, line: usize, column: usize, message: String, hint: &str) {
        self.link_broken = self.options.broken_links == crate::config::BrokenLinks::Warn;
        self.result.problems.push(
            self.options
                .broken_links
                .diagnostic(self.page.file, Some(line), message)
                .at_column(column)
                .with_hint(hint),
        );
    }
}

/// `dest` without its `#fragment`.
fn without_fragment<'e>(dest: &str) -> CowStr<'e> {
    CowStr::from(dest.split('#').next().unwrap_or_default().to_string())
}
