//! Reading `content/`: finding the Markdown files, classifying them by
//! folder and parsing each one (in parallel).

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use walkdir::WalkDir;

use super::frontmatter::{self, FrontMatter};
use super::sections::{folder_url, generated_sections, INDEX_NAME};
use super::slug::slugify;
use super::untitled;
use super::{Kind, Page};
use crate::diagnostics::Diagnostic;

pub const CONTENT_DIR: &str = "content";

/// A Markdown file found under `content/`, classified.
#[derive(Debug, Clone)]
struct Source {
    kind: Kind,
    path: PathBuf,
    /// Path relative to `content/` with `/` separators and without `.md`.
    reference: String,
    stamp: Stamp,
}

/// What tells a file changed without reading it: size, modification time
/// and inode (an editor's rename-over gives a new inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            inode,
        }
    }
}

/// Parsed files from the previous load, reused while their stamp holds.
#[derive(Debug, Default)]
pub struct FileCache {
    /// By path, compared as bytes: a `PathBuf` hashes and compares
    /// component by component, which on a large site was most of the time
    /// of loading it again. Paths are normal (see [`normal_path`]), so equal
    /// bytes are equal paths.
    entries: FxHashMap<OsString, CachedFile>,
    /// What the last walk of `content/` found.
    walk: Option<Walk>,
    /// Whether the next load may skip the walk: set when only files the last
    /// walk found, still regular files, were reported changed.
    walk_still_valid: bool,
    /// Whether pages come without their Markdown body (see
    /// [`FileCache::bodies_left_on_disk`]).
    bodies_left_on_disk: bool,
    /// The section pages made for folders without `_index.md`, by ref.
    sections: FxHashMap<String, Arc<Page>>,
}

#[derive(Debug, Clone)]
struct Walk {
    sources: Vec<Source>,
    problems: Vec<Diagnostic>,
}

impl FileCache {
    /// A cache for a one-shot build: pages keep only their front matter,
    /// and [`read_body`] reads each body again when it is rendered. On a
    /// large site the sources are a good part of the memory, and the file
    /// cache reads them back in a fraction of the time rendering takes.
    pub fn bodies_left_on_disk() -> Self {
        FileCache {
            bodies_left_on_disk: true,
            ..FileCache::default()
        }
    }

    /// Drops these files (absolute paths) so the next load reads them again.
    /// When each of them is a page file that is still there, the next load
    /// reuses the last walk of `content/` (on a large site, most of the
    /// time of a rebuild after an edit): no file can have appeared or gone.
    pub fn forget(&mut self, paths: &[PathBuf]) {
        self.walk_still_valid = paths.iter().all(|path| {
            self.entries.contains_key(normal_path(path).as_os_str())
                && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
        });
        for path in paths {
            self.entries.remove(normal_path(path).as_os_str());
        }
    }

    /// The page the last load read from this file (an absolute path).
    pub fn page_of(&self, path: &Path) -> Option<&Arc<Page>> {
        self.entries
            .get(normal_path(path).as_os_str())?
            .page
            .as_ref()
    }

    /// Records that this file (an absolute path the last load read) now
    /// holds `page`, as of `stamp`: the next load reuses it.
    pub fn refresh(&mut self, path: &Path, page: Arc<Page>, stamp: Stamp) {
        let path = normal_path(path);
        if let Some(entry) = self.entries.get_mut(path.as_os_str()) {
            entry.page = Some(page);
            entry.stamp = stamp;
        }
        // Compared as bytes, as the entries are (see `entries`).
        let sources = self.walk.iter_mut().flat_map(|walk| &mut walk.sources);
        for source in sources.filter(|source| source.path.as_os_str() == path.as_os_str()) {
            source.stamp = stamp;
        }
    }

    /// What is in `content/`: the last walk, with fresh stamps for the
    /// forgotten files, when [`FileCache::forget`] said it still holds; else
    /// a new walk. The caller gives it back for the next load.
    fn take_walk(&mut self, content: &Path) -> Walk {
        let reuse = std::mem::take(&mut self.walk_still_valid);
        match self.walk.take() {
            Some(mut walk) if reuse => {
                for source in &mut walk.sources {
                    if !self.entries.contains_key(source.path.as_os_str()) {
                        if let Ok(metadata) = std::fs::metadata(&source.path) {
                            source.stamp = Stamp::of(&metadata);
                        }
                    }
                }
                walk
            }
            _ => {
                let (sources, problems) = find_sources(content);
                Walk { sources, problems }
            }
        }
    }
}

#[derive(Debug, Clone)]
struct CachedFile {
    stamp: Stamp,
    reference: String,
    page: Option<Arc<Page>>,
    problems: Vec<Diagnostic>,
}

/// Every page found, and every problem. A page whose front matter has
/// errors is still returned (with default fields and `front_matter_ok`
/// false), so its body's links are checked and refs to it do not cascade
/// into more errors.
pub struct Loaded {
    pub pages: Vec<Arc<Page>>,
    pub problems: Vec<Diagnostic>,
    /// Refs of the files that are there but could not be read as pages:
    /// each has its own errors among `problems`.
    pub unreadable: HashSet<String>,
}

/// Reads and parses all of `ROOT/content/`. Pages come back sorted by ref.
/// Files whose stamp is the same as in `cache` are not read again.
pub fn load(root: &Path, cache: &mut FileCache) -> Loaded {
    let content = normal_path(&root.join(CONTENT_DIR));
    if !content.is_dir() {
        return Loaded {
            pages: Vec::new(),
            problems: vec![Diagnostic::error(CONTENT_DIR, None, "there is no content/ folder")
                .with_hint("create content/_index.md with a `title`, or run salesbook in the site's folder")],
            unreadable: HashSet::new(),
        };
    }
    let walk = cache.take_walk(&content);
    let mut problems = walk.problems.clone();
    // Only files not read before, or whose stamp changed, are read (in
    // parallel); the cache is updated in place, so that after an edit a
    // large site costs one file and a look-up per page.
    let stale: Vec<&Source> = walk
        .sources
        .iter()
        .filter(|source| {
            !cache
                .entries
                .get(source.path.as_os_str())
                .is_some_and(|cached| {
                    cached.stamp == source.stamp && cached.reference == source.reference
                })
        })
        .collect();
    let keep_bodies = !cache.bodies_left_on_disk;
    let fresh: Vec<CachedFile> = stale
        .par_iter()
        .map(|source| {
            let (page, problems) = read_page(source, keep_bodies);
            CachedFile {
                stamp: source.stamp,
                reference: source.reference.clone(),
                page: page.map(Arc::new),
                problems,
            }
        })
        .collect();
    for (source, entry) in stale.iter().zip(fresh) {
        cache
            .entries
            .insert(source.path.clone().into_os_string(), entry);
    }
    // Every file found has its entry now; more entries means some are of
    // files that are gone.
    if cache.entries.len() != walk.sources.len() {
        let current: HashSet<&OsStr> = walk.sources.iter().map(|s| s.path.as_os_str()).collect();
        cache
            .entries
            .retain(|path, _| current.contains(path.as_os_str()));
    }
    let mut pages = Vec::with_capacity(walk.sources.len());
    let mut unreadable = HashSet::new();
    for source in &walk.sources {
        if let Some(entry) = cache.entries.get(source.path.as_os_str()) {
            match &entry.page {
                Some(page) => pages.push(page.clone()),
                None => {
                    unreadable.insert(entry.reference.clone());
                }
            }
            problems.extend(entry.problems.iter().cloned());
        }
    }
    cache.walk = Some(walk);
    let generated = generated_sections(CONTENT_DIR, &pages, &mut cache.sections);
    pages.extend(generated);
    pages.sort_by(|a, b| a.reference.cmp(&b.reference));
    Loaded {
        pages,
        problems,
        unreadable,
    }
}

/// `path` without `.` components, repeated or trailing separators: the
/// same path, spelled one way. The walk of a normal folder finds normal
/// paths.
fn normal_path(path: &Path) -> PathBuf {
    path.components().collect()
}

fn find_sources(content: &Path) -> (Vec<Source>, Vec<Diagnostic>) {
    // Listing the folders is one thread's work; what each file then needs
    // (its stamp, its kind, its path in messages) is done in parallel, in
    // the order of the walk.
    let entries: Vec<walkdir::Result<walkdir::DirEntry>> = WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !is_ignored_name(&entry.file_name().to_string_lossy())
        })
        .collect();
    let found: Vec<Option<Result<Source, Diagnostic>>> = entries
        .into_par_iter()
        .map(|entry| source_of(content, entry))
        .collect();
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for result in found.into_iter().flatten() {
        match result {
            Ok(source) => sources.push(source),
            Err(problem) => problems.push(problem),
        }
    }
    (sources, problems)
}

/// An entry of the walk of `content/` as a page's source, a problem, or
/// nothing (a folder).
fn source_of(
    content: &Path,
    entry: walkdir::Result<walkdir::DirEntry>,
) -> Option<Result<Source, Diagnostic>> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => return Some(Err(walk_problem(&error, content, CONTENT_DIR))),
    };
    let relative = entry.path().strip_prefix(content).unwrap_or(entry.path());
    let file = shown_under(content, CONTENT_DIR, entry.path());
    // The walk follows `content/` itself when it is a link; only links
    // inside it are not followed.
    if entry.path_is_symlink() && entry.depth() > 0 {
        return Some(Err(Diagnostic::warning(
            file,
            None,
            "symbolic link not followed",
        )
        .with_hint("copy the file or folder into content/ instead")));
    }
    if !entry.file_type().is_file() {
        return None;
    }
    if relative.to_str().is_none() {
        return Some(Err(name_not_utf8(file)));
    }
    if entry.path().extension().and_then(|e| e.to_str()) != Some("md") {
        return Some(Err(Diagnostic::warning(
            file,
            None,
            "not a Markdown file; ignored",
        )
        .with_hint(
            "put images and downloads in static/ and link them as /name",
        )));
    }
    let stamp = match entry.metadata() {
        Ok(metadata) => Stamp::of(&metadata),
        Err(error) => {
            return Some(Err(Diagnostic::error(
                file,
                None,
                format!("cannot read: {error}"),
            )));
        }
    };
    Some(match classify(relative) {
        Ok(source) => Ok(Source {
            path: entry.path().to_path_buf(),
            stamp,
            ..source
        }),
        Err(problem) => Err(Diagnostic { file, ..problem }),
    })
}

/// Hidden files and the temporary files editors leave beside the real ones.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Decides the kind of a Markdown file from its path under `content/`.
fn classify(relative: &Path) -> Result<Source, Diagnostic> {
    let parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let reference = parts.join("/");
    let is_index = parts.last().is_some_and(|name| name == INDEX_NAME);
    let kind = match parts.as_slice() {
        [name] if name == INDEX_NAME => Kind::Home,
        [_] => Kind::Page,
        [folder, ..] => match Kind::from_folder(folder) {
            Some(_) if is_index => {
                return Err(Diagnostic::error(
                    "",
                    None,
                    format!("an `{INDEX_NAME}.md` in content/{folder}/ is not used"),
                )
                .with_hint("give this file another name, or move its text to content/_index.md"));
            }
            Some(kind) => kind,
            // Any other folder is a section of plain pages.
            None if is_index => Kind::Section,
            None => Kind::Page,
        },
        [] => return Err(Diagnostic::error("", None, "empty file name")),
    };
    Ok(Source {
        kind,
        path: PathBuf::new(),
        reference,
        stamp: Stamp::default(),
    })
}

fn read_page(source: &Source, keep_body: bool) -> (Option<Page>, Vec<Diagnostic>) {
    let file = format!("{CONTENT_DIR}/{}.md", source.reference);
    let mut owned = match read_text(&source.path, &file) {
        Ok(text) => text,
        Err(problem) => return (None, vec![problem]),
    };
    let text = owned.strip_prefix('\u{feff}').unwrap_or(&owned);
    let split = match untitled::split_source(text, source.kind) {
        Ok(split) => split,
        Err(problem) => return (None, vec![Diagnostic { file, ..problem }]),
    };
    let (folders, stem): (Vec<&str>, &str) = match source.reference.rsplit_once('/') {
        Some((folders, stem)) => (folders.split('/').collect(), stem),
        None => (Vec::new(), source.reference.as_str()),
    };
    let mut title_heading = None;
    let (front, mut problems) = if untitled::lacks_front_matter(&split) {
        let mut front = FrontMatter::empty(source.kind);
        let name = untitled::file_name_for_title(&source.reference, source.kind);
        let (title, heading) = untitled::title_of(split.body, name);
        front.common.title = Some(title);
        title_heading = heading;
        (front, Vec::new())
    } else {
        match frontmatter::parse(source.kind, split.yaml, split.yaml_line, &file) {
            Ok(front) => (front, Vec::new()),
            Err(problems) => (FrontMatter::empty(source.kind), problems),
        }
    };
    let front_matter_ok = problems.is_empty();
    let FrontMatter { common, details } = front;

    let slug = match (&common.slug, source.kind) {
        // A section's URL is its folder's (a `slug:` is an error).
        (_, Kind::Section) => slugify(folders.last().copied().unwrap_or_default()),
        (Some(slug), _) => {
            unicode_normalization::UnicodeNormalization::nfc(slug.as_str()).collect()
        }
        (None, Kind::Home) => String::new(),
        (None, _) => slugify(stem),
    };
    // The folders of a section's page or of a page in one are in its URL.
    let folder_url = match source.kind {
        Kind::Page | Kind::Section => folder_url(&folders),
        _ => Some(String::new()),
    };
    let Some(folder_url) = folder_url else {
        problems.push(
            Diagnostic::error(
                &file,
                Some(1),
                "a folder name has no letters or digits to make a URL from",
            )
            .with_hint("rename the folder"),
        );
        return (None, problems);
    };
    if slug.is_empty() && source.kind != Kind::Home {
        problems.push(
            Diagnostic::error(
                &file,
                Some(1),
                "the file name has no letters or digits to make a URL from",
            )
            .with_hint("rename the file, or set `slug:` in the front matter"),
        );
        return (None, problems);
    }
    let url = match source.kind {
        Kind::Home => String::new(),
        Kind::Section => folder_url,
        Kind::Page => format!("{folder_url}{slug}/"),
        kind => format!("{}/{slug}/", kind.folder()),
    };
    let front_matter = split.yaml.to_string();
    let (body_line, front_matter_line) = (split.body_line, split.yaml_line);
    // The body is the end of the file: it keeps the file's buffer instead
    // of a copy (a large site's sources are a good part of its memory).
    let body_offset = owned.len() - split.body.len();
    let head_fingerprint = crate::fingerprint::fingerprint(&owned[..body_offset]);
    if keep_body {
        owned.drain(..body_offset);
        if let Some(heading) = title_heading {
            untitled::leave_out(&mut owned, heading);
        }
    } else {
        owned = String::new();
    }
    let page = Page {
        kind: source.kind,
        file,
        reference: source.reference.clone(),
        slug,
        url,
        common,
        details,
        body: owned,
        body_offset,
        head_fingerprint,
        body_line,
        front_matter_ok,
        front_matter,
        front_matter_line,
        generated: false,
    };
    (Some(page), problems)
}

/// The Markdown body of a page loaded without it, read again from its file
/// under `root`. The file may have been saved since it was loaded: a new
/// body is taken as it is, a new front matter is an error (the page was
/// validated and linked with the old one).
pub fn read_body(root: &Path, page: &Page) -> Result<String, Diagnostic> {
    if page.generated {
        return Ok(String::new());
    }
    let text = read_text(&root.join(&page.file), &page.file)?;
    body_if_same_front_matter(text, page).ok_or_else(|| {
        Diagnostic::error(
            &page.file,
            Some(1),
            "the front matter changed while the site was being built",
        )
        .with_hint("build again")
    })
}

/// `page` with the body its file (at `path`) holds now, and the file's
/// stamp, when only the body changed: the file is still a regular file and
/// its front matter is byte for byte the one the page was loaded with.
/// None otherwise, and the caller loads the site again.
pub fn reread_body(path: &Path, page: &Page) -> Option<(Page, Stamp)> {
    // The stamp first: if the file changes after it, the next load sees a
    // newer stamp and reads the file again.
    let metadata = std::fs::symlink_metadata(path).ok()?;
    if !metadata.file_type().is_file() {
        return None;
    }
    let text = read_text(path, &page.file).ok()?;
    let page = Page {
        body: body_if_same_front_matter(text, page)?,
        ..page.clone()
    };
    Some((page, Stamp::of(&metadata)))
}

/// The body of `text`, the page's file as it is now, when its front matter
/// is byte for byte the one the page was loaded with. The text is split as
/// a load splits it: the same head bytes followed by other text may no
/// longer close the front matter.
fn body_if_same_front_matter(mut text: String, page: &Page) -> Option<String> {
    let (body_offset, title_heading) = {
        let without_bom = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let split = untitled::split_source(without_bom, page.kind).ok()?;
        let body_offset = text.len() - split.body.len();
        let same = body_offset == page.body_offset
            && split.yaml == page.front_matter
            && crate::fingerprint::fingerprint(&text[..body_offset]) == page.head_fingerprint;
        // Without front matter the title is in the body: it must not have
        // changed either.
        let title_heading = if untitled::lacks_front_matter(&split) {
            let name = untitled::file_name_for_title(&page.reference, page.kind);
            let (title, heading) = untitled::title_of(split.body, name);
            (title == page.title()).then_some(heading)?
        } else {
            None
        };
        (same.then_some(body_offset)?, title_heading)
    };
    text.drain(..body_offset);
    if let Some(heading) = title_heading {
        untitled::leave_out(&mut text, heading);
    }
    Some(text)
}

fn read_text(path: &Path, file: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|error| Diagnostic::error(file, None, format!("cannot read: {error}")))?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::error(file, Some(line), "the file is not valid UTF-8")
            .with_hint("save it with UTF-8 encoding")
    })
}

/// A path for diagnostics: relative, with `/` separators on every platform.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| match c {
            // The root is the empty name before the first `/`, not a `/`
            // of its own (which would make `//tmp/x`).
            Component::RootDir => "".into(),
            _ => shown_name(c.as_os_str()),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A file name as text: bytes that are not UTF-8 written `\xE9`, so two
/// such names stay two names in messages (and in the error count).
#[cfg(unix)]
fn shown_name(name: &OsStr) -> std::borrow::Cow<'_, str> {
    use std::os::unix::ffi::OsStrExt;
    if let Some(text) = name.to_str() {
        return text.into();
    }
    let mut shown = String::new();
    for chunk in name.as_bytes().utf8_chunks() {
        shown.push_str(chunk.valid());
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02X}"));
        }
    }
    shown.into()
}

#[cfg(not(unix))]
fn shown_name(name: &OsStr) -> std::borrow::Cow<'_, str> {
    name.to_string_lossy()
}

/// `path`, found under `dir`, as messages name it: `shown/…` (`shown`
/// for `dir` itself; the whole path if it is not under `dir`).
pub fn shown_under(dir: &Path, shown: &str, path: &Path) -> String {
    match path.strip_prefix(dir) {
        Ok(relative) if relative.as_os_str().is_empty() => shown.to_string(),
        Ok(relative) => format!("{shown}/{}", display_path(relative)),
        Err(_) => display_path(path),
    }
}

/// The problem of a file whose name (or a folder's above it) is not UTF-8:
/// URLs, refs and messages are made from names. `file` is the name shown
/// (see [`display_path`]).
pub fn name_not_utf8(file: String) -> Diagnostic {
    Diagnostic::error(file, None, "the file name is not valid UTF-8")
        .with_hint("rename the file or its folder so that its name is UTF-8")
}

/// The problem of an entry that a walk of `dir` (`shown` in messages)
/// could not read: the file under `shown`, and the system's reason without
/// the absolute path that walkdir's own message adds.
pub fn walk_problem(error: &walkdir::Error, dir: &Path, shown: &str) -> Diagnostic {
    let file = error
        .path()
        .map_or_else(|| shown.to_string(), |path| shown_under(dir, shown, path));
    let reason = match error.io_error() {
        Some(io) => io.to_string(),
        None => error.to_string(),
    };
    Diagnostic::error(file, None, format!("cannot read: {reason}")).with_hint(
        "check that it can be read; if it was moved or deleted while the site was read, build again",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_by_folder() {
        assert_eq!(classify(Path::new("_index.md")).unwrap().kind, Kind::Home);
        assert_eq!(classify(Path::new("about.md")).unwrap().kind, Kind::Page);
        let nested = classify(Path::new("interviews/2026/x.md")).unwrap();
        assert_eq!(nested.kind, Kind::Interview);
        assert_eq!(nested.reference, "interviews/2026/x");
        let section = classify(Path::new("guides/sales/_index.md")).unwrap();
        assert_eq!(section.kind, Kind::Section);
        assert_eq!(section.reference, "guides/sales/_index");
        assert_eq!(classify(Path::new("guides/x.md")).unwrap().kind, Kind::Page);
        assert!(classify(Path::new("tracks/_index.md")).is_err());
        assert!(classify(Path::new("tracks/2026/_index.md")).is_err());
    }

    #[test]
    fn walk_is_reused_only_while_reported_files_are_known_pages() {
        let root = tempfile::tempdir().unwrap();
        let content = root.path().join(CONTENT_DIR);
        std::fs::create_dir_all(content.join("exercises")).unwrap();
        let write = |name: &str, title: &str| {
            let path = content.join(name);
            std::fs::write(&path, format!("---\ntitle: {title}\n---\nBody.\n")).unwrap();
            path
        };
        write("_index.md", "Home");
        let first = write("exercises/first.md", "First");
        let mut cache = FileCache::default();
        let titles = |cache: &mut FileCache| -> Vec<String> {
            let loaded = load(root.path(), cache);
            loaded.pages.iter().map(|p| p.title().to_string()).collect()
        };
        assert_eq!(titles(&mut cache), ["Home", "First"]);

        // An edit of a known page: the last walk still holds, the page is
        // read again. (A file nobody reported is not looked for.)
        write("exercises/first.md", "First, edited");
        let second = write("exercises/second.md", "Second");
        cache.forget(std::slice::from_ref(&first));
        assert_eq!(titles(&mut cache), ["Home", "First, edited"]);

        // A reported file the last walk did not find: content/ is walked.
        cache.forget(std::slice::from_ref(&second));
        assert_eq!(titles(&mut cache), ["Home", "First, edited", "Second"]);

        // A reported file that is gone: walked again.
        std::fs::remove_file(&second).unwrap();
        cache.forget(std::slice::from_ref(&second));
        assert_eq!(titles(&mut cache), ["Home", "First, edited"]);

        // A load nobody asked for (no report) always walks.
        write("exercises/second.md", "Second again");
        assert_eq!(
            titles(&mut cache),
            ["Home", "First, edited", "Second again"]
        );
    }

    #[test]
    fn a_body_left_on_disk_is_read_again_unless_its_front_matter_changed() {
        let root = tempfile::tempdir().unwrap();
        let content = root.path().join(CONTENT_DIR);
        std::fs::create_dir_all(&content).unwrap();
        let home = content.join("_index.md");
        std::fs::write(&home, "\u{feff}---\ntitle: Home\n---\nFirst body.\n").unwrap();
        let loaded = load(root.path(), &mut FileCache::bodies_left_on_disk());
        let page = &loaded.pages[0];
        assert_eq!(page.body, "");
        assert_eq!(read_body(root.path(), page).unwrap(), "First body.\n");

        // Saved during the build: a new body is taken as it is...
        std::fs::write(
            &home,
            "\u{feff}---\ntitle: Home\n---\nSecond body, longer.\n",
        )
        .unwrap();
        assert_eq!(
            read_body(root.path(), page).unwrap(),
            "Second body, longer.\n"
        );

        // ...a new front matter, or a file cut short, is an error at the file.
        for changed in ["---\ntitle: Home, renamed\n---\nBody.\n", "---\n"] {
            std::fs::write(&home, changed).unwrap();
            let problem = read_body(root.path(), page).unwrap_err();
            assert_eq!(problem.file, "content/_index.md");
            assert!(problem
                .message
                .contains("changed while the site was being built"));
        }
        std::fs::remove_file(&home).unwrap();
        let problem = read_body(root.path(), page).unwrap_err();
        assert!(
            problem.message.starts_with("cannot read"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn a_file_gone_during_the_walk_is_named_under_content_with_the_reason_alone() {
        let root = tempfile::tempdir().unwrap();
        let content = root.path().join(CONTENT_DIR);
        // Walking a path that is not there gives the error a file removed
        // between listing its folder and reading its entry gives.
        let gone = content.join("exercises").join("gone.md");
        let entry = WalkDir::new(&gone).into_iter().next().unwrap();
        assert!(entry.is_err());
        let problem = source_of(&content, entry).unwrap().unwrap_err();
        assert_eq!(problem.file, "content/exercises/gone.md");
        // The system's reason, without walkdir's repeat of the full path.
        let reason = std::fs::metadata(&gone).unwrap_err();
        assert_eq!(problem.message, format!("cannot read: {reason}"));
        assert!(problem.hint.unwrap().contains("build again"));
    }

    #[test]
    fn paths_under_a_walked_folder_are_shown_under_its_name() {
        let dir = Path::new("/site/themes/brand/templates");
        let shown = "themes/brand/templates";
        assert_eq!(shown_under(dir, shown, dir), shown);
        assert_eq!(
            shown_under(dir, shown, &dir.join("partials").join("card.html")),
            "themes/brand/templates/partials/card.html"
        );
        assert_eq!(
            shown_under(dir, shown, Path::new("/elsewhere/x")),
            "/elsewhere/x"
        );
    }

    #[test]
    fn absolute_paths_are_shown_with_one_leading_slash() {
        assert_eq!(display_path(Path::new("/tmp/site/x.md")), "/tmp/site/x.md");
        assert_eq!(display_path(Path::new("content/x.md")), "content/x.md");
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".x.md.swp", "x.md~", "#x.md#", ".#x.md", "4913", ".git"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("x.md"));
    }
}
