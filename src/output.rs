//! The one place that writes the output folder.
//!
//! A build is written into a staging folder beside OUT and swapped in at the
//! end, so OUT is always either the previous site or the new one, never a
//! mix, and a failed or killed build leaves it untouched. On Linux the swap
//! is one atomic `renameat2(RENAME_EXCHANGE)`.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::render::{Contents, OutputFile};

/// An I/O failure with the path and what was being done.
#[derive(Debug)]
pub struct OutputError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot {} {}: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for OutputError {}

fn context<T>(result: io::Result<T>, action: &'static str, path: &Path) -> Result<T, OutputError> {
    result.map_err(|source| OutputError {
        action,
        path: path.to_path_buf(),
        source,
    })
}

/// A new site being written beside OUT. Files go in as they are rendered;
/// [`Staging::commit`] swaps the folder in as OUT; dropping it uncommitted
/// deletes it and leaves OUT as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
}

impl Staging {
    pub fn create(out: &Path) -> Result<Staging, OutputError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let parent = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        context(fs::create_dir_all(&parent), "create", &parent)?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.salesbook-new-{}", std::process::id()));
        context(fs::create_dir(&dir), "create", &dir)?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            parent,
            name,
            committed: false,
        })
    }

    /// Swaps the staged site in as OUT.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.committed = true;
        let result = swap_into_place(&self.dir, &self.out, &self.parent, &self.name);
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        write_file(&self.dir, &file)
    }
}

/// Writes `files` as the new content of `out`, atomically.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::create(out)?;
    write_files(&staging.dir, files.iter())?;
    staging.commit()
}

/// Staging and old folders left by a build that was killed.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.salesbook-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes changed files into `out` and deletes stale ones, in place. Used
/// between rebuilds of `watch` and `serve`, after a first full
/// [`write_site`]; folders left empty by deletions are removed.
///
/// Every file is first written beside its final name, then each is renamed
/// over it: a reader (the dev server) gets the old file or the new one,
/// never part of one, and a write that fails (a full disk) leaves every old
/// file as it was.
pub fn update_in_place(
    out: &Path,
    files: &[&OutputFile],
    stale: &[String],
) -> Result<(), OutputError> {
    let mut folders = BTreeSet::new();
    for file in files {
        if let Some(folder) = checked_path(file)?.parent() {
            folders.insert(folder.to_path_buf());
        }
    }
    for folder in &folders {
        make_folder_in_place(out, folder)?;
    }
    let written: Vec<Result<PathBuf, OutputError>> = files
        .par_iter()
        .map(|file| write_beside(&out.join(&file.path), file))
        .collect();
    let (besides, failures): (Vec<_>, Vec<_>) = written.into_iter().partition(Result::is_ok);
    let besides: Vec<PathBuf> = besides.into_iter().flatten().collect();
    if let Some(Err(error)) = failures.into_iter().next() {
        remove_all(&besides);
        return Err(error);
    }
    for (index, (file, beside)) in files.iter().zip(&besides).enumerate() {
        if let Err(error) = rename_over(beside, &out.join(&file.path)) {
            remove_all(&besides[index..]);
            return Err(error);
        }
    }
    for path in stale {
        let Some(relative) = safe_relative_path(path) else {
            continue;
        };
        let full = out.join(&relative);
        match fs::remove_file(&full) {
            Ok(()) => remove_empty_parents(out, &relative),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return context(Err(error), "delete", &full),
        }
    }
    Ok(())
}

/// Makes `relative` a folder under `out`. A file in the way (a static file
/// that became a folder of files) is an old output file: the new site has
/// files under that name, so it cannot also have a file there.
fn make_folder_in_place(out: &Path, relative: &Path) -> Result<(), OutputError> {
    let mut path = out.to_path_buf();
    for part in relative.components() {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => context(fs::remove_file(&path), "replace", &path)?,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return context(Err(error), "inspect", &path),
        }
        match fs::create_dir(&path) {
            Err(error) if error.kind() != io::ErrorKind::AlreadyExists => {
                return context(Err(error), "create", &path)
            }
            _ => {}
        }
    }
    Ok(())
}

/// Writes `file` beside `path` (its final place) and returns where.
fn write_beside(path: &Path, file: &OutputFile) -> Result<PathBuf, OutputError> {
    let beside = beside_name(path);
    match write_to(&beside, file) {
        Ok(()) => Ok(beside),
        Err(mut error) => {
            let _ = fs::remove_file(&beside);
            // Named by the file the author knows, not the one beside it.
            if error.path == beside {
                error.path = path.to_path_buf();
            }
            Err(error)
        }
    }
}

/// Renames `beside` over `path`. A folder in the way (the reverse of the
/// case above) is an old output folder and goes.
fn rename_over(beside: &Path, path: &Path) -> Result<(), OutputError> {
    if fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir()) {
        context(fs::remove_dir_all(path), "replace", path)?;
    }
    context(fs::rename(beside, path), "write", path)
}

fn remove_all(files: &[PathBuf]) {
    for file in files {
        let _ = fs::remove_file(file);
    }
}

/// A hidden name in the same folder as `path`, unique to this process: a
/// rename within one folder is atomic. Numbered rather than made from the
/// file's name, which may already be as long as a name can be.
fn beside_name(path: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    path.with_file_name(format!(".salesbook-part-{}-{number}", std::process::id()))
}

fn remove_empty_parents(out: &Path, relative: &Path) {
    let mut folder = relative.parent();
    while let Some(current) = folder.filter(|f| !f.as_os_str().is_empty()) {
        if fs::remove_dir(out.join(current)).is_err() {
            break;
        }
        folder = current.parent();
    }
}

/// Writes files under `base`, creating their folders; files in parallel.
fn write_files<'a>(
    base: &Path,
    files: impl Iterator<Item = &'a OutputFile>,
) -> Result<(), OutputError> {
    let files: Vec<&OutputFile> = files.collect();
    let mut folders = BTreeSet::new();
    for file in &files {
        let relative = checked_path(file)?;
        if let Some(folder) = relative.parent() {
            folders.insert(folder.to_path_buf());
        }
    }
    for folder in &folders {
        let path = base.join(folder);
        context(fs::create_dir_all(&path), "create", &path)?;
    }
    files
        .par_iter()
        .try_for_each(|file| write_contents(base, file))
}

/// Writes one file under `base`, creating its folder if needed.
fn write_file(base: &Path, file: &OutputFile) -> Result<(), OutputError> {
    let relative = checked_path(file)?;
    if let Some(folder) = relative.parent().filter(|f| !f.as_os_str().is_empty()) {
        let path = base.join(folder);
        // Most pages have a folder of their own whose parent exists: one
        // `mkdir`, where asking first would cost a `stat` as well.
        match fs::create_dir(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => context(fs::create_dir_all(&path), "create", &path)?,
        }
    }
    write_contents(base, file)
}

fn write_contents(base: &Path, file: &OutputFile) -> Result<(), OutputError> {
    write_to(&base.join(&file.path), file)
}

fn write_to(path: &Path, file: &OutputFile) -> Result<(), OutputError> {
    match &file.contents {
        Contents::Bytes(bytes) => context(write_bytes(path, bytes), "write", path),
        Contents::BuiltIn(bytes) => context(write_bytes(path, bytes), "write", path),
        Contents::Copy(source) => {
            context(crate::faults::maybe_disk_full(), "write", path)?;
            context(fs::copy(source, path).map(|_| ()), "copy", source)
        }
    }
}

/// `fs::write`, except that an injected full disk, like a real one, stops
/// the write part-way and leaves what was written.
fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    if let Err(full) = crate::faults::maybe_disk_full() {
        let _ = file.write_all(&bytes[..bytes.len() / 2]);
        return Err(full);
    }
    file.write_all(bytes)
}

fn checked_path(file: &OutputFile) -> Result<PathBuf, OutputError> {
    safe_relative_path(&file.path).ok_or_else(|| OutputError {
        action: "write outside the output folder",
        path: PathBuf::from(&file.path),
        source: io::Error::new(io::ErrorKind::InvalidInput, "unsafe output path"),
    })
}

/// `path` as a relative path of normal components only, or `None`.
pub fn safe_relative_path(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains('\\') || path.contains('\0') {
        return None;
    }
    let relative = Path::new(path);
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| relative.to_path_buf())
}

fn swap_into_place(
    staging: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
) -> Result<(), OutputError> {
    match fs::symlink_metadata(out) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return context(fs::rename(staging, out), "move the new site to", out);
        }
        Err(error) => return context(Err(error), "inspect", out),
        Ok(meta) if !meta.is_dir() => {
            let _ = fs::remove_dir_all(staging);
            return context(
                Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "it exists and is not a folder",
                )),
                "replace",
                out,
            );
        }
        Ok(_) => {}
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous site.
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = parent.join(format!(".{name}.salesbook-old-{}", std::process::id()));
    context(fs::rename(out, &old), "move aside", out)?;
    if let Err(error) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return context(Err(error), "move the new site to", out);
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Atomically exchanges two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the call.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in ["", "../x", "/etc/x", "a/../../x", "a\\b", "C:/x", "a\0b"] {
            let result = safe_relative_path(bad);
            assert!(result.is_none() || bad == "C:/x", "{bad:?} -> {result:?}");
        }
        assert!(safe_relative_path("interviews/x/index.html").is_some());
    }

    #[test]
    fn write_replaces_the_previous_site_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[page("index.html", "one"), page("old/index.html", "stale")],
        )
        .unwrap();
        write_site(&out, &[page("index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("old").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn an_update_that_fails_leaves_every_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("a.html", "old a"), page("b/c.html", "old c")]).unwrap();
        let new_a = page("a.html", "new a");
        let new_c = page("b/c.html", "new c");
        let missing = OutputFile {
            path: "d.css".to_string(),
            contents: Contents::Copy(dir.path().join("does-not-exist")),
        };
        assert!(update_in_place(&out, &[&new_a, &missing, &new_c], &[]).is_err());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old a");
        assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "old c");
        let mut left: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["a.html", "c.html"]);
    }

    #[test]
    fn a_file_whose_name_is_as_long_as_a_name_can_be_is_updated() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let name = format!("{}.html", "a".repeat(250));
        write_site(&out, &[page(&name, "old")]).unwrap();
        update_in_place(&out, &[&page(&name, "new")], &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join(&name)).unwrap(), "new");
    }

    #[test]
    fn failed_write_leaves_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "good")]).unwrap();
        let missing = OutputFile {
            path: "x.css".to_string(),
            contents: Contents::Copy(dir.path().join("does-not-exist")),
        };
        assert!(write_site(&out, &[page("index.html", "bad"), missing]).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
    }
}
