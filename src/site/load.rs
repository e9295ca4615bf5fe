//! Loading a site: config, theme, content and static files, then refs,
//! URLs, Markdown and links checked, every problem collected.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::{self, SiteConfig};
use crate::content::folder::{files_under, Folder};
use crate::content::load;
use crate::content::slug::tag_slug;
use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::fingerprint;
use crate::theme::Theme;

use super::bodies::render_options;
use super::caches::{Bodies, Caches};
use super::id::PageId;
use super::index::{resolve_refs, Index};
use super::links::check_fragments;
use super::media::load_transcripts;
use super::model::{LoadOptions, Resolved, Site, Topic, STATIC_DIR};
use super::sections::{split_drafts, SectionTree};

impl Site {
    /// Loads, validates and renders the Markdown of the site at `root`.
    /// Returns the site only if there were no errors; the diagnostics hold
    /// every problem found, and warnings in either case.
    ///
    /// The pages' Markdown bodies are never all in memory: each is read
    /// again from its file when it is rendered, and its HTML waits for its
    /// page template, packed beyond [`WaitingHtml::PLAIN_BUDGET`] (on a
    /// large site, sources and HTML would be most of the build's memory).
    /// The front matter text stays: later checks, such as the LMS
    /// packages', point at its lines.
    pub fn load(root: &Path, options: LoadOptions) -> (Option<Site>, Diagnostics) {
        Site::load_checked(root, options, &|_| Vec::new())
    }

    /// [`Site::load`], with checks of a caller's own (the LMS packages')
    /// that run even when others found errors, so every problem is listed
    /// in one run.
    pub fn load_checked(
        root: &Path,
        options: LoadOptions,
        more_checks: &dyn Fn(&Site) -> Vec<Diagnostic>,
    ) -> (Option<Site>, Diagnostics) {
        Site::load_with_checks(root, options, &mut Caches::one_shot(), more_checks)
    }

    /// [`Site::load`], reusing and then refreshing `caches`.
    pub fn load_with(
        root: &Path,
        options: LoadOptions,
        caches: &mut Caches,
    ) -> (Option<Site>, Diagnostics) {
        Site::load_with_checks(root, options, caches, &|_| Vec::new())
    }

    pub(super) fn load_with_checks(
        root: &Path,
        options: LoadOptions,
        caches: &mut Caches,
        more_checks: &dyn Fn(&Site) -> Vec<Diagnostic>,
    ) -> (Option<Site>, Diagnostics) {
        let timer = crate::timing::phase("config and theme");
        let mut problems = Diagnostics::new();
        let (config, theme, config_fingerprint) = load_settings(root, &mut problems);
        drop(timer);
        let timer = crate::timing::phase("load content");
        let loaded = load::load(root, &mut caches.files);
        drop(timer);
        if caches.one_shot {
            crate::faults::maybe_pause_after_load();
        }
        problems.extend(loaded.problems);
        check_home_page(root, &mut problems);
        let timer = crate::timing::phase("static, urls, index");
        let static_files = list_static_files(root, &mut problems);

        let (pages, draft_refs) = split_drafts(loaded.pages, options.drafts);
        problems.extend(check_urls(&pages));
        let index = Index::new(&pages, &draft_refs, &static_files, theme.as_ref())
            .with_unreadable(&loaded.unreadable);
        drop(timer);
        let timer = crate::timing::phase("resolve refs");
        let resolved: Vec<Resolved> = pages
            .iter()
            .map(|page| resolve_refs(page, &index, &mut problems))
            .collect();
        let transcripts = load_transcripts(root, &pages, &index, &mut problems);

        let broken_links = config.as_ref().map(|c| c.broken_links).unwrap_or_default();
        let render_options = render_options(options.audience, broken_links);
        drop(timer);
        let timer = crate::timing::phase("markdown");
        let Bodies {
            rendered,
            waiting_html,
            workbooks,
        } = caches.render_bodies(root, &pages, &resolved, &index, render_options);
        drop(timer);
        let timer = crate::timing::phase("check links");
        for output in &rendered {
            problems.extend(output.problems.iter().cloned());
        }
        problems.extend(check_fragments(&pages, &rendered, &index, broken_links));

        let (Some(mut config), Some(theme)) = (config, theme) else {
            return (None, problems);
        };
        if let Some(base_url) = &options.base_url {
            config.base_url = Some(base_url.clone());
        }
        drop(timer);
        let timer = crate::timing::phase("topics");
        let topics = collect_topics(&pages);
        let sections = SectionTree::new(&pages);
        drop(timer);
        let site = Site {
            root: root.to_path_buf(),
            config,
            options,
            theme,
            pages,
            resolved,
            rendered,
            waiting_html,
            topics,
            static_files,
            config_fingerprint,
            workbooks,
            draft_refs,
            sections,
            transcripts,
        };
        problems.extend(more_checks(&site));
        if problems.has_errors() {
            return (None, problems);
        }
        (Some(site), problems)
    }
}

/// site.yaml and the theme it names (each `None` when it has errors), and
/// a fingerprint of site.yaml's bytes.
fn load_settings(
    root: &Path,
    problems: &mut Diagnostics,
) -> (Option<SiteConfig>, Option<Theme>, u64) {
    // Only a regular file is read here: a named pipe would wait forever
    // (`config::load` reports it).
    let config_path = root.join(config::CONFIG_FILE);
    let config_bytes = std::fs::metadata(&config_path)
        .is_ok_and(|m| m.is_file())
        .then(|| std::fs::read(&config_path).ok())
        .flatten();
    let config_fingerprint = fingerprint(&config_bytes.unwrap_or_default());
    let config = match config::load(root) {
        Ok(config) => Some(config),
        Err(config_problems) => {
            problems.extend(config_problems);
            None
        }
    };
    let theme_name = config.as_ref().map_or("default", |c| c.theme.as_str());
    let theme_line = config.as_ref().and_then(|c| c.theme_line);
    let theme = match Theme::load(root, theme_name, theme_line, &root.join(STATIC_DIR)) {
        Ok(theme) => {
            problems.extend(theme.warnings.iter().cloned());
            Some(theme)
        }
        Err(theme_problems) => {
            problems.extend(theme_problems);
            None
        }
    };
    (config, theme, config_fingerprint)
}

/// A site with content has a home page.
fn check_home_page(root: &Path, problems: &mut Diagnostics) {
    let content = root.join(load::CONTENT_DIR);
    if content.is_dir() && !content.join("_index.md").is_file() {
        problems.push(
            Diagnostic::error("content/_index.md", None, "the home page is missing")
                .with_hint("create content/_index.md with a `title:` and an introduction"),
        );
    }
}

/// URLs the build writes itself; a page may not take them.
pub(super) const RESERVED_URLS: &[&str] = &[
    "interviews/",
    "exercises/",
    "tracks/",
    "speakers/",
    "topics/",
    "assets/",
    "search/",
];

/// Two pages may not share a URL, even one that differs only by case (some
/// hosts and file systems are case-insensitive), and none may take a URL
/// the build writes itself.
pub(super) fn check_urls(pages: &[Arc<Page>]) -> Vec<Diagnostic> {
    let mut by_url: FxHashMap<Cow<str>, Vec<&Page>> = FxHashMap::default();
    for page in pages {
        by_url.entry(lower_case(&page.url)).or_default().push(page);
    }
    // Only the few URLs in trouble are sorted, for a stable report.
    let mut by_url: Vec<(Cow<str>, Vec<&Page>)> = by_url
        .into_iter()
        .filter(|(url, owners)| owners.len() > 1 || RESERVED_URLS.contains(&url.as_ref()))
        .collect();
    by_url.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut problems = Vec::new();
    for (url, owners) in &by_url {
        if RESERVED_URLS.contains(&url.as_ref()) {
            for page in owners {
                problems.push(
                    Diagnostic::error(
                        &page.file,
                        page.url_line(),
                        format!("the URL /{url} is used by the site's own list page"),
                    )
                    .with_hint(rename_hint(page)),
                );
            }
        }
        if owners.len() < 2 {
            continue;
        }
        let files: Vec<&str> = owners.iter().map(|p| p.file.as_str()).collect();
        let section = owners.iter().find(|page| page.kind == Kind::Section);
        // A section made for a folder has no file to point at: the other
        // owners' errors name it (two folders differing in case have none).
        let with_files = owners.iter().filter(|page| !page.generated).count();
        for page in owners
            .iter()
            .filter(|page| with_files == 0 || !page.generated)
        {
            let hint =
                match section {
                    _ if page.kind == Kind::Section => "rename the folder".to_string(),
                    Some(section) => {
                        format!(
                    "a folder's own page is its _index.md: {} {}/{}.md, or rename this file",
                    if section.generated { "move this file to" } else { "move its text into" },
                    load::CONTENT_DIR,
                    section.reference
                )
                    }
                    _ => "give each a different file name or `slug:`".to_string(),
                };
            problems.push(
                Diagnostic::error(
                    &page.file,
                    page.url_line(),
                    format!(
                        "{} pages have the URL /{url}: {}",
                        owners.len(),
                        files.join(", ")
                    ),
                )
                .with_hint(hint),
            );
        }
    }
    problems
}

/// How to give a page another URL: a section's is its folder's.
fn rename_hint(page: &Page) -> &'static str {
    match page.kind {
        Kind::Section => "rename the folder",
        _ => "rename the file or set another `slug:`",
    }
}

/// `text` in lower case, borrowed when it is already.
pub(super) fn lower_case(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

pub(super) fn collect_topics(pages: &[Arc<Page>]) -> BTreeMap<String, Topic> {
    let mut topics: Vec<Topic> = Vec::new();
    // Many pages share few tags: each tag is looked up once per page, its
    // slug made and its topic found only the first time it is seen.
    let mut topic_of_tag: FxHashMap<&str, usize> = FxHashMap::default();
    let mut topic_of_slug: FxHashMap<String, usize> = FxHashMap::default();
    let mut seen: Vec<usize> = Vec::new();
    for (id, page) in PageId::all(pages.len()).zip(pages) {
        seen.clear();
        for tag in &page.common.tags {
            let topic = *topic_of_tag.entry(tag.as_str()).or_insert_with(|| {
                let slug = tag_slug(tag);
                *topic_of_slug.entry(slug.clone()).or_insert_with(|| {
                    topics.push(Topic {
                        name: tag.trim().to_string(),
                        slug,
                        pages: Vec::new(),
                    });
                    topics.len() - 1
                })
            });
            if !seen.contains(&topic) {
                seen.push(topic);
                topics[topic].pages.push(id);
            }
        }
    }
    topics
        .into_iter()
        .map(|topic| (topic.slug.clone(), topic))
        .collect()
}

pub(super) fn list_static_files(root: &Path, problems: &mut Diagnostics) -> Vec<String> {
    let dir = root.join(STATIC_DIR);
    let static_dir = Folder {
        dir: &dir,
        shown: STATIC_DIR,
        skip_hidden: false,
    };
    let mut found = Vec::new();
    let files = files_under(&static_dir, &mut found);
    problems.extend(found);
    files.into_iter().map(|(relative, _)| relative).collect()
}
