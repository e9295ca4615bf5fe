//! Lookup tables over the published pages, used to resolve refs and links.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::content::{Details, Kind, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{LinkProblem, Resolver};
use crate::suggest::{did_you_mean, did_you_mean_path};
use crate::theme::Theme;

use super::id::PageId;
use super::model::Resolved;

/// Lookup tables over the published pages, used to resolve refs and links.
pub(super) struct Index<'a> {
    pub(super) by_ref: FxHashMap<&'a str, PageId>,
    pub(super) drafts: &'a HashSet<String>,
    pub(super) speakers_by_slug: FxHashMap<&'a str, PageId>,
    pub(super) speakers_by_name: FxHashMap<String, PageId>,
    /// Static files and page URLs, without leading `/`; for a page's URL
    /// (with and without its last `/`), the page's index in `pages`.
    pub(super) root_paths: FxHashMap<Cow<'a, str>, Option<PageId>>,
    pub(super) pages: &'a [Arc<Page>],
    /// Refs of files that are there but could not be read as pages (their
    /// own errors say why): refs and links to them add no error.
    pub(super) unreadable: Option<&'a HashSet<String>>,
}

impl<'a> Index<'a> {
    pub(super) fn new(
        pages: &'a [Arc<Page>],
        drafts: &'a HashSet<String>,
        static_files: &'a [String],
        theme: Option<&Theme>,
    ) -> Self {
        // Borrowed where it can be: a large site has tens of thousands.
        let mut root_paths: FxHashMap<Cow<'a, str>, Option<PageId>> = static_files
            .iter()
            .map(|path| (Cow::Borrowed(path.as_str()), None))
            .collect();
        if let Some(theme) = theme {
            root_paths.extend(
                theme
                    .static_files()
                    .map(|(path, _)| (Cow::Owned(path.to_string()), None)),
            );
        }
        for (id, page) in PageId::all(pages.len()).zip(pages) {
            root_paths.insert(Cow::Borrowed(&page.url), Some(id));
            root_paths.insert(Cow::Borrowed(page.url.trim_end_matches('/')), Some(id));
        }
        // Old URLs lead to their page (through its redirect page); a
        // collision with anything else is reported with the output paths.
        for (id, page) in PageId::all(pages.len()).zip(pages) {
            for url in page.alias_urls() {
                let bare = url.trim_end_matches('/').to_string();
                root_paths.entry(Cow::Owned(bare)).or_insert(Some(id));
                root_paths.entry(Cow::Owned(url)).or_insert(Some(id));
            }
        }
        // Generated listings; a page of content/ at the same URL (the home
        // page) keeps its index.
        for kind in Kind::SECTIONS {
            let folder = kind.folder();
            root_paths
                .entry(Cow::Owned(format!("{folder}/")))
                .or_insert(None);
            root_paths.entry(Cow::Borrowed(folder)).or_insert(None);
        }
        for path in ["topics/", "topics", ""] {
            root_paths.entry(Cow::Borrowed(path)).or_insert(None);
        }
        let speakers = PageId::all(pages.len())
            .zip(pages)
            .filter(|(_, p)| p.kind == Kind::Speaker);
        Index {
            by_ref: PageId::all(pages.len())
                .zip(pages)
                .map(|(i, p)| (p.reference.as_str(), i))
                .collect(),
            drafts,
            speakers_by_slug: speakers
                .clone()
                .map(|(i, p)| (p.slug.as_str(), i))
                .collect(),
            speakers_by_name: speakers
                .map(|(i, p)| (p.title().trim().to_lowercase(), i))
                .collect(),
            root_paths,
            pages,
            unreadable: None,
        }
    }

    /// The index, knowing which files could not be read as pages.
    pub(super) fn with_unreadable(self, refs: &'a HashSet<String>) -> Self {
        Index {
            unreadable: Some(refs),
            ..self
        }
    }

    fn is_unreadable(&self, reference: &str) -> bool {
        self.unreadable.is_some_and(|refs| refs.contains(reference))
    }

    pub(super) fn lookup(&self, reference: &str) -> Result<PageId, LinkProblem> {
        if let Some(&index) = self.by_ref.get(reference) {
            return Ok(index);
        }
        if self.drafts.contains(reference) {
            return Err(LinkProblem::Draft);
        }
        if self.is_unreadable(reference) {
            return Err(LinkProblem::Unreadable);
        }
        let suggestion =
            did_you_mean_path(reference, self.by_ref.keys().copied()).map(str::to_string);
        Err(LinkProblem::Missing { suggestion })
    }
}

impl Resolver for Index<'_> {
    fn page(&self, reference: &str) -> Result<String, LinkProblem> {
        self.lookup(reference)
            .map(|index| self.pages[index].url.clone())
    }

    fn root_path_exists(&self, path: &str) -> bool {
        self.root_paths.contains_key(path)
    }

    fn page_at(&self, path: &str) -> Option<String> {
        let index = (*self.root_paths.get(path)?)?;
        Some(self.pages[index].reference.clone())
    }

    fn speaker_url(&self, name: &str) -> Option<String> {
        self.speakers_by_name
            .get(&name.trim().to_lowercase())
            .map(|&index| self.pages[index].url.clone())
    }

    fn closest_speaker(&self, name: &str) -> Option<String> {
        let wanted = name.trim().to_lowercase();
        let close = did_you_mean(&wanted, self.speakers_by_name.keys().map(String::as_str))?;
        let speaker = self.speakers_by_name[close];
        Some(self.pages[speaker].title().to_string())
    }
}

pub(super) fn resolve_refs(page: &Page, index: &Index, problems: &mut Diagnostics) -> Resolved {
    let mut resolved = Resolved::default();
    match &page.details {
        Details::Interview(fields) => {
            if let Some(host) = &fields.host {
                resolved.host =
                    resolve_speaker(page, index, host, &|| page.key_line("host"), problems);
            }
            for (position, guest) in fields.guests.iter().enumerate() {
                let line = || page.item_line("guests", position);
                resolved
                    .guests
                    .extend(resolve_speaker(page, index, guest, &line, problems));
            }
        }
        Details::Exercise(fields) => {
            for (position, reference) in fields.related.iter().enumerate() {
                let line = || page.item_line("related", position);
                resolved.related.extend(resolve_ref(
                    page, index, reference, "related", &line, problems,
                ));
            }
        }
        Details::Track(fields) => {
            let mut seen = HashSet::new();
            for (position, reference) in fields.items.iter().enumerate() {
                let line = || page.item_line("items", position);
                let Some(item) = resolve_ref(page, index, reference, "items", &line, problems)
                else {
                    continue;
                };
                let target = &index.pages[item];
                if matches!(target.kind, Kind::Track | Kind::Home | Kind::Section) {
                    problems.push(
                        Diagnostic::error(
                            &page.file,
                            Some(line()),
                            format!(
                                "`items` lists `{reference}`, which is a {}",
                                target.kind.name()
                            ),
                        )
                        .with_hint("a track lists interviews, exercises and pages"),
                    );
                } else if !seen.insert(item) {
                    problems.push(
                        Diagnostic::error(
                            &page.file,
                            Some(line()),
                            format!("`items` lists `{reference}` twice"),
                        )
                        .with_hint("each page appears once in a track"),
                    );
                } else {
                    resolved.items.push(item);
                }
            }
        }
        Details::Speaker(fields) => {
            if let Some(photo) = &fields.photo {
                problems.extend(missing_photo(page, index, photo));
            }
        }
        _ => {}
    }
    resolved
}

/// The error for a speaker's `photo` that names a file of the site which
/// is not there (a broken image on the page otherwise, where the same
/// path in Markdown is an error).
fn missing_photo(page: &Page, index: &Index, photo: &str) -> Option<Diagnostic> {
    // An address with a scheme (`https:`, or one `check_url` refuses) or
    // of another host is not a file of this site.
    let has_scheme = photo
        .split_once(':')
        .is_some_and(|(head, _)| !head.contains('/'));
    if has_scheme || photo.starts_with("//") {
        return None;
    }
    let path = crate::markdown::decode_link(photo.trim_start_matches('/')).into_owned();
    if index.root_path_exists(&path) {
        return None;
    }
    Some(
        Diagnostic::error(
            &page.file,
            Some(page.key_line("photo")),
            format!("`photo` names `{photo}`, but there is no file static/{path}"),
        )
        .with_hint("put the photo into static/ (for example static/images/jo.jpg and `photo: /images/jo.jpg`)"),
    )
}

pub(super) fn resolve_ref(
    page: &Page,
    index: &Index,
    reference: &str,
    key: &str,
    line: &dyn Fn() -> usize,
    problems: &mut Diagnostics,
) -> Option<PageId> {
    let cleaned = reference
        .trim()
        .trim_start_matches("@/")
        .trim_end_matches(".md");
    match index.lookup(cleaned) {
        Ok(found) => Some(found),
        Err(LinkProblem::Unreadable) => None,
        Err(LinkProblem::Draft) => {
            problems.push(
                Diagnostic::error(
                    &page.file,
                    Some(line()),
                    format!("`{key}` names `{reference}`, which is a draft"),
                )
                .with_hint("publish it, remove it from the list, or build with --drafts"),
            );
            None
        }
        Err(LinkProblem::Missing { suggestion }) => {
            let hint = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "a ref is the file's path under content/ without .md, e.g. exercises/three-tries".to_string(),
            };
            problems.push(
                Diagnostic::error(
                    &page.file,
                    Some(line()),
                    format!("`{key}` names `{reference}`, but there is no content/{cleaned}.md"),
                )
                .with_hint(hint),
            );
            None
        }
    }
}

pub(super) fn resolve_speaker(
    page: &Page,
    index: &Index,
    slug: &str,
    line: &dyn Fn() -> usize,
    problems: &mut Diagnostics,
) -> Option<PageId> {
    if let Some(&found) = index.speakers_by_slug.get(slug) {
        return Some(found);
    }
    let is_speaker = |r: &&String| r.starts_with("speakers/") && r.rsplit('/').next() == Some(slug);
    if index
        .unreadable
        .is_some_and(|refs| refs.iter().any(|r| is_speaker(&r)))
    {
        return None;
    }
    let is_draft = index.drafts.iter().any(|r| is_speaker(&r));
    let problem = if is_draft {
        Diagnostic::error(
            &page.file,
            Some(line()),
            format!("speaker `{slug}` is a draft"),
        )
        .with_hint("publish the speaker page or build with --drafts")
    } else {
        let hint = match did_you_mean(slug, index.speakers_by_slug.keys().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("create content/speakers/{slug}.md with a `name:`"),
        };
        Diagnostic::error(&page.file, Some(line()), format!("no speaker `{slug}`")).with_hint(hint)
    };
    problems.push(problem);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Site;
    use crate::testing::{loaded_site, LINKED_SITE};

    /// The page index of a ref on a loaded site.
    fn at(site: &Site, reference: &str) -> PageId {
        site.pages
            .iter()
            .position(|page| page.reference == reference)
            .map(PageId::at)
            .unwrap_or_else(|| panic!("no page {reference}"))
    }

    #[test]
    fn refs_resolve_to_the_pages_they_name_in_order() {
        let (_dir, site) = loaded_site(LINKED_SITE);
        let track = &site.resolved[at(&site, "tracks/habit")];
        let items = ["interviews/talk", "exercises/first", "exercises/second"];
        let expected: Vec<PageId> = items.iter().map(|r| at(&site, r)).collect();
        assert_eq!(track.items, expected);
        let talk = &site.resolved[at(&site, "interviews/talk")];
        assert_eq!(talk.host, Some(at(&site, "speakers/jo")));
        assert_eq!(talk.guests, vec![at(&site, "speakers/al")]);
        let first = &site.resolved[at(&site, "exercises/first")];
        assert_eq!(first.related, vec![at(&site, "interviews/talk")]);
    }

    #[test]
    fn the_index_finds_pages_static_files_listings_and_speakers() {
        let (_dir, site) = loaded_site(LINKED_SITE);
        let index = Index::new(
            &site.pages,
            &site.draft_refs,
            &site.static_files,
            Some(&site.theme),
        );
        assert_eq!(index.page("exercises/first"), Ok("exercises/first/".into()));
        assert_eq!(
            index.page_at("exercises/first"),
            Some("exercises/first".into())
        );
        assert_eq!(
            index.page_at("exercises/first/"),
            Some("exercises/first".into())
        );
        assert_eq!(index.page_at("exercises/"), None);
        assert!(index.root_path_exists("exercises/"));
        assert!(index.root_path_exists("img/logo.png"));
        assert!(!index.root_path_exists("img/missing.png"));
        assert_eq!(index.speaker_url(" al smith "), Some("speakers/al/".into()));
        assert_eq!(index.speaker_url("Nobody"), None);
    }

    #[test]
    fn a_draft_and_a_typo_are_told_apart() {
        let (_dir, site) = loaded_site(LINKED_SITE);
        let index = Index::new(&site.pages, &site.draft_refs, &site.static_files, None);
        assert_eq!(index.lookup("drafty"), Err(LinkProblem::Draft));
        assert_eq!(
            index.lookup("exercises/frist"),
            Err(LinkProblem::Missing {
                suggestion: Some("exercises/first".into())
            })
        );
    }
}
