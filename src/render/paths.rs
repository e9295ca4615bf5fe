//! The output paths a build claims, checked before anything is rendered:
//! two claims on one path, or a file where another claim needs a folder
//! (`static/topics` beside the `topics/` pages, a page with `slug:
//! 404.html` beside `404.html`), would otherwise fail at the file system
//! with an error that names no source line, or lose a file.

use rustc_hash::FxHashMap;

use super::jobs::{all_jobs, Job};
use crate::content::aliases::{alias_file, alias_url};
use crate::content::slug::MAX_SEGMENT_BYTES;
use crate::diagnostics::Diagnostic;
use crate::search::{SEARCH_DIR, SHARDS_DIR};
use crate::site::{PageId, Site, STATIC_DIR};

/// Who claims an output path, in the order blame goes: an alias is
/// removed most easily, then a static file renamed, then a page's slug;
/// the build's own files are never at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Claim<'a> {
    /// A redirect page: the page and the position of the alias.
    Alias(PageId, usize),
    Static(&'a str),
    Page(PageId),
    Built,
}

/// Every collision among the paths the build writes: the site's static
/// files, its pages, the build's own files (lists, topics, workbooks,
/// 404.html, the search index, sitemap and feed) and `more` (the LMS
/// packages, when wanted), each reported at the static file or the page
/// (at its `slug:` line) that causes it. A page URL equal to another's or
/// to one of the build's own is left to the URL check, which reports it.
pub fn output_path_problems(site: &Site, more: &[String]) -> Vec<Diagnostic> {
    let claims = claims(site, more);
    // Who needs each folder: the first claim of each sort (static file,
    // page, the build), so each sort at fault is reported once.
    let mut folders: FxHashMap<&str, Vec<Claim>> = FxHashMap::default();
    for (path, claim) in &claims {
        for (end, _) in path.match_indices('/') {
            let needing = folders.entry(&path[..end]).or_default();
            if !needing.iter().any(|other| same_sort(*other, *claim)) {
                needing.push(*claim);
            }
        }
    }
    let mut problems = Vec::new();
    let mut files: FxHashMap<&str, Claim> = FxHashMap::default();
    for (path, claim) in &claims {
        problems.extend(too_long(site, path, *claim));
        for &folder in folders.get(path.as_str()).into_iter().flatten() {
            problems.extend(file_and_folder(site, path, *claim, folder));
        }
        // The search index's shards are known only once it is made: the
        // folder is the build's.
        let other = match claim {
            Claim::Static(_) if path.starts_with(SHARDS_DIR) => Some(Claim::Built),
            _ => files.get(path.as_str()).copied(),
        };
        match other {
            Some(other) => problems.extend(same_file(site, path, *claim, other)),
            None => {
                files.insert(path, *claim);
            }
        }
    }
    problems
}

/// Both static files, both pages, or both the build's.
fn same_sort(one: Claim, other: Claim) -> bool {
    std::mem::discriminant(&one) == std::mem::discriminant(&other)
}

/// Each claimed path, the site's static files last. The theme's static
/// files are left out: the site's own replace them by design.
fn claims<'a>(site: &'a Site, more: &[String]) -> Vec<(String, Claim<'a>)> {
    let mut claims: Vec<(String, Claim)> = all_jobs(site)
        .iter()
        .map(|job| {
            let claim = match job {
                Job::Page(index) => Claim::Page(*index),
                _ => Claim::Built,
            };
            (job.path(site), claim)
        })
        .collect();
    let mut built = vec![format!("{SEARCH_DIR}/docs.json"), format!("{SHARDS_DIR}*")];
    if site.config.base_url().is_some() {
        built.extend(["sitemap.xml", "feed.xml"].map(str::to_string));
    }
    built.extend(more.iter().cloned());
    claims.extend(built.into_iter().map(|path| (path, Claim::Built)));
    for (id, page) in site.page_ids().map(|id| (id, &site.pages[id])) {
        for (position, alias) in page.common.aliases.iter().enumerate() {
            if let Ok(url) = alias_url(alias) {
                claims.push((alias_file(&url), Claim::Alias(id, position)));
            }
        }
    }
    claims.extend(
        site.static_files()
            .iter()
            .map(|path| (path.clone(), Claim::Static(path))),
    );
    claims
}

/// Two claims on the file `path`.
fn same_file(site: &Site, path: &str, one: Claim, other: Claim) -> Option<Diagnostic> {
    let (at_fault, by) = (one.min(other), one.max(other));
    // Two pages with one URL, or a page with a URL the build writes, were
    // reported by the URL check already.
    if matches!(at_fault, Claim::Page(_)) {
        return None;
    }
    let path = path.trim_end_matches('*');
    let message = format!(
        "this would write `{path}`, which {} writes too",
        name(site, by)
    );
    located(site, at_fault, message)
}

/// `file` claims `path` as a file, `folder` needs it as a folder.
fn file_and_folder(site: &Site, path: &str, file: Claim, folder: Claim) -> Option<Diagnostic> {
    // Between two pages, the one whose URL runs through the other's
    // `index.html` has the odd slug.
    let blame_file = match (file, folder) {
        (Claim::Page(_), Claim::Page(_)) => false,
        _ => file <= folder,
    };
    let message = if blame_file {
        format!(
            "this would make `{path}` a file, but {} needs `{path}/` as a folder",
            name(site, folder)
        )
    } else {
        format!(
            "this needs `{path}/` as a folder, but {} writes the file `{path}`",
            name(site, file)
        )
    };
    located(site, if blame_file { file } else { folder }, message)
}

/// How a message names a claim that is not at fault.
fn name(site: &Site, claim: Claim) -> String {
    match claim {
        Claim::Built => "the build".to_string(),
        Claim::Page(index) => site.pages[index].file.clone(),
        Claim::Static(file) => format!("{STATIC_DIR}/{file}"),
        Claim::Alias(index, position) => {
            let page = &site.pages[index];
            format!(
                "the alias `{}` of {}:{}",
                page.common.aliases[position],
                page.file,
                page.item_line("aliases", position)
            )
        }
    }
}

/// The error at the claim to blame: a static file, or a page's `slug:`
/// line. The build's own files are never at fault.
fn located(site: &Site, at_fault: Claim, message: String) -> Option<Diagnostic> {
    match at_fault {
        Claim::Static(file) => Some(
            Diagnostic::error(format!("{STATIC_DIR}/{file}"), None, message)
                .with_hint("rename or move the static file"),
        ),
        Claim::Page(index) => {
            let page = &site.pages[index];
            Some(
                Diagnostic::error(&page.file, page.url_line(), message)
                    .with_hint("rename the file or set another `slug:`"),
            )
        }
        Claim::Alias(index, position) => Some(alias_problem(site, index, position, message)),
        Claim::Built => None,
    }
}

/// The error at an alias's line.
fn alias_problem(site: &Site, index: PageId, position: usize, message: String) -> Diagnostic {
    let page = &site.pages[index];
    Diagnostic::error(
        &page.file,
        Some(page.item_line("aliases", position)),
        message,
    )
    .with_hint("remove the alias, or change it to a URL nothing else has")
}

/// A path with a part longer than a file name may be.
fn too_long(site: &Site, path: &str, claim: Claim) -> Option<Diagnostic> {
    path.split('/')
        .find(|part| part.len() > MAX_SEGMENT_BYTES)?;
    let message = format!(
        "this page's URL has a part longer than {MAX_SEGMENT_BYTES} bytes, more than a file name may be"
    );
    match claim {
        Claim::Page(index) => {
            let page = &site.pages[index];
            Some(
                Diagnostic::error(&page.file, page.url_line(), message)
                    .with_hint("set a shorter `slug:`"),
            )
        }
        Claim::Alias(index, position) => Some(alias_problem(site, index, position, message)),
        // Static files have names the file system took; tags are checked
        // where they are written.
        Claim::Static(_) | Claim::Built => None,
    }
}
