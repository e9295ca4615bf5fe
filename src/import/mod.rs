//! `salesbook import`: an existing Markdown folder (Hugo, Jekyll, MkDocs
//! or plain) turned into a salesbook site. The source is only read; every
//! file written is inside the new site's folder.

pub mod detect;
pub mod frontmatter;
pub mod links;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use detect::{Generator, Source};
use frontmatter::KeyCounts;

/// What an import did, for its report.
#[derive(Debug)]
pub struct Report {
    pub generator: Generator,
    pub pages: usize,
    pub keys: KeyCounts,
    pub links_rewritten: usize,
    /// Local links that name nothing imported, left as written.
    pub links_left: usize,
    pub files_copied: usize,
    /// Shortcodes left in the pages, and pages copied as they were
    /// because their front matter could not be read.
    pub problems: Vec<Diagnostic>,
}

/// Files of a source folder that are its tooling, not its content.
const NOT_CONTENT: &[&str] = &[
    "_config.yml",
    "_config.yaml",
    "mkdocs.yml",
    "mkdocs.yaml",
    "Gemfile",
    "Gemfile.lock",
    "CODEOWNERS",
    "CODENOTIFY",
    "package.json",
    "package-lock.json",
    "LICENSE",
    "NOTICE",
];

/// Folder index file names, the first found giving the section's page.
const INDEX_NAMES: &[&str] = &["_index.md", "index.md", "README.md", "readme.md"];

/// A Markdown file of the source and where it goes.
struct Page {
    /// Path under the source's content folder, `/`-separated.
    source: String,
    /// Path under `content/`.
    written: String,
    text: String,
}

/// Imports `src` into the new folder `site` (which the caller made sure is
/// empty and outside `src`). Errors are I/O failures, in words.
pub fn import(src: &Path, site: &Path) -> Result<Report, String> {
    let source = detect::detect(src);
    let (markdown, others) = walk(&source)?;
    let mut pages = place_pages(&source, markdown)?;
    let mut index = links::Index {
        base_path: base_path(source.base_url.as_deref()),
        ..Default::default()
    };
    let files_copied = copy_files(&others, site, &mut index)?;
    index_pages(&pages, &mut index);
    let linked = linked_fragments(&pages);
    let mut report = Report {
        generator: source.generator,
        pages: pages.len(),
        keys: KeyCounts::default(),
        links_rewritten: 0,
        links_left: 0,
        files_copied,
        problems: Vec::new(),
    };
    let title = source.title.clone().unwrap_or_else(|| folder_title(src));
    if !pages.iter().any(|page| page.written == "_index.md") {
        let text = home_body(&pages);
        pages.push(Page {
            source: String::new(),
            written: "_index.md".into(),
            text,
        });
    }
    for page in &pages {
        let text = convert(page, &source, &index, &linked, &title, &mut report);
        write(&site.join("content").join(&page.written), text.as_bytes())?;
    }
    write(
        &site.join("site.yaml"),
        site_yaml(&title, source.base_url.as_deref()).as_bytes(),
    )?;
    Ok(report)
}

/// A file to copy, and its path under the content folder (or its URL,
/// starting with `/`, for a file of Hugo's `static/`).
type OtherFile = (PathBuf, String);

/// A home page for a source without one: a list of its top-level pages
/// and folders, so that every page can be reached from it.
fn home_body(pages: &[Page]) -> String {
    let mut entries = std::collections::BTreeSet::new();
    for page in pages {
        match page.written.split_once('/') {
            Some((folder, _)) => entries.insert(format!(
                "- [{}](/{}/)\n",
                file_title(folder),
                links::encode(folder)
            )),
            None => entries.insert(format!(
                "- [{}]({})\n",
                file_title(&page.written),
                links::encode(&page.written)
            )),
        };
    }
    entries.into_iter().collect()
}

/// The Markdown files and the other files of the source's content, as
/// paths under it, sorted.
fn walk(source: &Source) -> Result<(Vec<String>, Vec<OtherFile>), String> {
    let mut markdown = Vec::new();
    let mut others = Vec::new();
    let jekyll = source.generator == Generator::Jekyll;
    let walker = walkdir::WalkDir::new(&source.content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            let skipped = name.starts_with('.')
                || name == "node_modules"
                || (jekyll && entry.depth() == 1 && name.starts_with('_') && name != "_posts");
            entry.depth() == 0 || !skipped
        });
    for entry in walker {
        let entry = entry.map_err(|error| format!("cannot read the source folder: {error}"))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&source.content) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let name = entry.file_name().to_string_lossy();
        if NOT_CONTENT.contains(&name.as_ref()) {
            continue;
        }
        if relative.ends_with(".md") || relative.ends_with(".markdown") {
            markdown.push(relative);
        } else {
            others.push((entry.path().to_path_buf(), relative));
        }
    }
    for folder in source.static_dirs.iter().filter(|folder| folder.is_dir()) {
        for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
            let entry = entry.map_err(|error| format!("cannot read the source folder: {error}"))?;
            if entry.file_type().is_file() {
                let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
                let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
                others.push((entry.path().to_path_buf(), url));
            }
        }
    }
    Ok((markdown, others))
}

/// Where each Markdown file goes: a folder's index becomes its
/// `_index.md`, Jekyll's `_posts/` becomes `posts/`, `.markdown` `.md`.
fn place_pages(source: &Source, markdown: Vec<String>) -> Result<Vec<Page>, String> {
    let mut indexes: BTreeMap<String, String> = BTreeMap::new();
    for path in &markdown {
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let rank = |name: &str| INDEX_NAMES.iter().position(|index| *index == name);
        if let Some(new) = rank(name) {
            let better = indexes
                .get(folder)
                .and_then(|old| rank(old.rsplit('/').next().unwrap_or(old)))
                .is_none_or(|old| new < old);
            if better {
                indexes.insert(folder.to_string(), path.clone());
            }
        }
    }
    let mut pages = Vec::new();
    for path in markdown {
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", &path));
        let written = if indexes.get(folder) == Some(&path) {
            join(folder, "_index.md")
        } else {
            let stem = name
                .strip_suffix(".markdown")
                .or_else(|| name.strip_suffix(".md"))
                .unwrap_or(name);
            match folder.strip_prefix("_posts") {
                Some(rest) if is_post(source, &path) => join(
                    &format!("posts{rest}"),
                    &format!("{}.md", post_name(stem).1),
                ),
                _ => join(folder, &format!("{stem}.md")),
            }
        };
        let full = source.content.join(&path);
        let text = std::fs::read(&full)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|error| format!("cannot read {}: {error}", full.display()))?;
        pages.push(Page {
            source: path,
            written,
            text,
        });
    }
    Ok(pages)
}

/// Whether the page at `path` is a Jekyll post (in `_posts/`).
fn is_post(source: &Source, path: &str) -> bool {
    source.generator == Generator::Jekyll && path.starts_with("_posts/")
}

/// A Jekyll post's file name: its date and the rest.
fn post_name(stem: &str) -> (Option<&str>, &str) {
    match (stem.get(..10), stem.get(11..)) {
        (Some(date), Some(rest)) if crate::text::is_valid_date(date) => (Some(date), rest),
        _ => (None, stem),
    }
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

/// Copies the non-Markdown files into `static/`, each at the URL the
/// source served it at, and indexes them for links.
fn copy_files(
    others: &[OtherFile],
    site: &Path,
    index: &mut links::Index,
) -> Result<usize, String> {
    let mut copied = 0;
    for (from, key) in others {
        let url = if key.starts_with('/') {
            key.clone()
        } else {
            format!("/{key}")
        };
        let to = site.join("static").join(url.trim_start_matches('/'));
        if to.exists() {
            continue;
        }
        let bytes = std::fs::read(from)
            .map_err(|error| format!("cannot read {}: {error}", from.display()))?;
        write(&to, &bytes)?;
        index.files.insert(key.clone(), url);
        copied += 1;
    }
    Ok(copied)
}

/// Indexes the pages by source path, by the URL the source served them at
/// (and their `slug`, `url` and `aliases`), and by file name.
fn index_pages(pages: &[Page], index: &mut links::Index) {
    for page in pages {
        index
            .by_file
            .insert(page.source.clone(), page.written.clone());
        let served = served_url(&page.source);
        let mut urls = vec![served.clone()];
        if let Ok(read) = frontmatter::read(&page.text) {
            let text = |key: &str| {
                read.fields
                    .get(key)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            if let Some(slug) = text("slug") {
                let folder = served.rsplit_once('/').map_or("", |(folder, _)| folder);
                urls.push(join(folder, &slug));
            }
            urls.extend(text("url"));
            urls.extend(text("permalink"));
            for key in ["aliases", "redirect_from"] {
                if let Some(serde_yaml::Value::Sequence(items)) = read.fields.get(key) {
                    urls.extend(items.iter().filter_map(|v| v.as_str()).map(str::to_string));
                }
            }
        }
        for url in urls {
            let key = url.trim_matches('/').to_lowercase();
            index
                .by_url
                .entry(key)
                .or_insert_with(|| page.written.clone());
        }
        if let Some(stem) = page
            .source
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".md"))
        {
            index
                .by_name
                .entry(stem.to_lowercase())
                .and_modify(|shared| *shared = None)
                .or_insert_with(|| Some(page.written.clone()));
        }
    }
}

/// The URL a generator serves a Markdown file at, without slashes
/// around it: its path without `.md`, a folder's index at the folder.
fn served_url(source: &str) -> String {
    let stem = source
        .strip_suffix(".markdown")
        .or_else(|| source.strip_suffix(".md"))
        .unwrap_or(source);
    let (folder, name) = stem.rsplit_once('/').unwrap_or(("", stem));
    if ["index", "_index", "README", "readme"].contains(&name) {
        folder.to_string()
    } else {
        stem.to_string()
    }
}

/// One page's new text: salesbook front matter and rewritten links.
fn convert(
    page: &Page,
    source: &Source,
    index: &links::Index,
    linked: &HashSet<String>,
    site_title: &str,
    report: &mut Report,
) -> String {
    let file = format!("content/{}", page.written);
    let read = match frontmatter::read(&page.text) {
        Ok(read) => read,
        Err(reason) => {
            report.problems.push(
                Diagnostic::error(
                    &file,
                    Some(1),
                    format!("the front matter could not be read: {reason}"),
                )
                .with_hint("the page was copied as it was; fix its front matter by hand"),
            );
            return page.text.clone();
        }
    };
    let mut fields = read.fields;
    if let Some(position) = source.nav.iter().position(|(path, _)| *path == page.source) {
        let weight = serde_yaml::Value::String("weight".into());
        if !fields.contains_key(&weight) && !fields.contains_key("nav_order") {
            fields.insert(
                weight,
                serde_yaml::Value::Number((position as i64 + 1).into()),
            );
        }
        if let (Some(title), false) = (&source.nav[position].1, fields.contains_key("title")) {
            fields.insert("title".into(), title.clone().into());
        }
    }
    let name = page.source.rsplit('/').next().unwrap_or_default();
    if let (true, Some(date)) = (is_post(source, &page.source), post_name(name).0) {
        // The post's file name dates it when its front matter does not.
        if !fields.contains_key("date") {
            fields.insert("date".into(), date.into());
        }
    }
    if page.written.ends_with("_index.md") {
        keep_slug_in_extra(&mut fields);
    }
    let mut body = read.body.to_string();
    let title = if page.written == "_index.md" && page.source.is_empty() {
        site_title.to_string()
    } else if fields.contains_key("title") {
        String::new()
    } else {
        match first_heading(&body) {
            Some((heading, rest)) => {
                // A heading some link names stays, so the link still works.
                if !linked.contains(&heading_id(&heading)) {
                    body = rest;
                }
                heading
            }
            None => file_title(&page.source),
        }
    };
    let mapped = frontmatter::map_fields(fields, &title, &mut report.keys);
    let mut done = links::Rewritten::default();
    // The home page made here links as it should already.
    let body = if page.source.is_empty() {
        body
    } else {
        links::rewrite(&body, &page.source, &page.written, index, &mut done)
    };
    report.links_rewritten += done.links;
    report.links_left += done.unresolved.len();
    let text = frontmatter::write(&mapped, &body);
    let body_start = text.len() - body.len();
    let first_body_line = text[..body_start].lines().count();
    for (line, construct) in links::shortcodes(&body) {
        report.problems.push(
            Diagnostic::warning(
                &file,
                Some(first_body_line + line),
                format!("shortcode `{construct}` left as text"),
            )
            .with_hint("salesbook has no shortcodes: write it as Markdown or HTML"),
        );
    }
    text
}

/// A section's URL is its folder's: a `slug` of a folder's index goes
/// under `extra:`, where it does no harm.
fn keep_slug_in_extra(fields: &mut serde_yaml::Mapping) {
    let Some(slug) = fields.remove("slug") else {
        return;
    };
    let extra = fields
        .entry("extra".into())
        .or_insert_with(|| serde_yaml::Value::Mapping(Default::default()));
    if let serde_yaml::Value::Mapping(extra) = extra {
        extra.insert("slug".into(), slug);
    }
}

/// The text of a first `# ` heading that opens the body, and the body
/// without it (the title is not repeated).
fn first_heading(body: &str) -> Option<(String, String)> {
    let trimmed = body.trim_start_matches(['\n', '\r', ' ']);
    let line = trimmed.lines().next()?;
    let heading = line.strip_prefix("# ")?.trim().trim_end_matches('#').trim();
    if heading.is_empty() {
        return None;
    }
    let rest = &trimmed[line.len()..];
    Some((
        heading.to_string(),
        rest.trim_start_matches(['\r', '\n']).to_string(),
    ))
}

/// Every `#fragment` the pages' links name, lower-cased.
fn linked_fragments(pages: &[Page]) -> HashSet<String> {
    let mut found = HashSet::new();
    for page in pages {
        for (at, _) in page.text.match_indices("#") {
            let id: String = page.text[at + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if !id.is_empty() {
                found.insert(id.to_lowercase());
            }
        }
    }
    found
}

/// The id GitHub gives a heading: lower-case, punctuation dropped, spaces
/// as dashes.
fn heading_id(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// A title made from a file name as for a section without `_index.md`:
/// dashes and underscores as spaces, a capital first letter.
fn file_title(source: &str) -> String {
    let served = served_url(source);
    let name = served
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty())
        .unwrap_or("Home");
    let spaced = name.replace(['-', '_'], " ");
    let mut letters = spaced.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}

fn folder_title(src: &Path) -> String {
    let name = src
        .canonicalize()
        .ok()
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_default();
    file_title(&name)
}

/// The path of the base URL (`https://x.org/docs/` → `/docs`).
fn base_path(base_url: Option<&str>) -> String {
    let Some(url) = base_url else {
        return String::new();
    };
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") {
        without_scheme
            .find('/')
            .map_or("", |at| &without_scheme[at..])
    } else {
        without_scheme
    };
    path.trim_end_matches('/').to_string()
}

fn site_yaml(title: &str, base_url: Option<&str>) -> String {
    let mut fields = serde_yaml::Mapping::new();
    fields.insert("title".into(), title.into());
    let mut text = serde_yaml::to_string(&fields).unwrap_or_default();
    text.push_str(
        "# Links that were already dead in the source are warnings, so the site\n# builds while you mend them; set this to error once they are fixed.\nbroken_links: warn\n",
    );
    if let Some(url) = base_url {
        text.push_str(&format!(
            "# The imported site was at {url}; set base_url to where this one will be.\n# base_url: https://example.com/\n"
        ));
    }
    text
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, bytes))
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_heading_becomes_the_title_and_leaves_the_body() {
        let (title, rest) = first_heading("\n# Sales team\n\nText\n").unwrap();
        assert_eq!((title.as_str(), rest.as_str()), ("Sales team", "Text\n"));
        assert!(first_heading("Text\n# Later\n").is_none());
    }

    #[test]
    fn titles_from_file_names_and_urls_of_folder_indexes() {
        assert_eq!(file_title("sales/deal_desk.md"), "Deal desk");
        assert_eq!(file_title("sales/smb/index.md"), "Smb");
        assert_eq!(served_url("a/b/README.md"), "a/b");
        assert_eq!(base_path(Some("https://x.org/docs/")), "/docs");
    }
}
