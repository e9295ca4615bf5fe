//! The one place that writes the output folder.
//!
//! A build is written into a staging folder beside OUT and swapped in at the
//! end, so OUT is always either the previous site or the new one, never a
//! mix, and a failed or killed build leaves it untouched. On Linux the swap
//! is one atomic `renameat2(RENAME_EXCHANGE)`.
//!
//! One build at a time writes an OUT: each holds a lock on a file beside it
//! from its start to its swap, and only the holder cleans up what killed
//! builds left.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
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

/// The file every OUT salesbook writes holds, so a later build can tell
/// its own output from a folder of something else.
pub const MARKER: &str = ".salesbook";

const MARKER_TEXT: &str = "This folder is written by salesbook: every build replaces all of it.\n";

/// Whether `out` holds a site salesbook wrote: it has the [`MARKER`], or,
/// written before the marker existed, a `404.html` beside the search index
/// `search/docs.json` that salesbook itself (not the theme) writes.
pub fn is_salesbook_output(out: &Path) -> bool {
    if out.join(MARKER).is_file() {
        return true;
    }
    let mut start = [0u8; 9];
    let index_start = fs::File::open(out.join("search/docs.json"))
        .and_then(|mut index| io::Read::read_exact(&mut index, &mut start));
    out.join("404.html").is_file() && index_start.is_ok() && &start == b"{\"docs\":["
}

const LOCK: &str = "lock";

/// A new site being written beside OUT. Files go in as they are rendered;
/// [`Staging::commit`] swaps the folder in as OUT; dropping it uncommitted
/// deletes it and leaves OUT as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
    /// Held until the staging folder is gone: dropped after it.
    _lock: OutLock,
}

impl Staging {
    /// Takes OUT's lock (calling `on_wait` first if another build holds
    /// it, then waiting for it), clears what killed builds left and creates
    /// the staging folder with the [`MARKER`] in it.
    pub fn create(out: &Path, on_wait: impl FnOnce()) -> Result<Staging, OutputError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let parent = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let prefix = format!(".{name}.salesbook-");
        context(fs::create_dir_all(&parent), "create", &parent)?;
        let lock = OutLock::acquire(&parent.join(format!("{prefix}{LOCK}")), on_wait)?;
        remove_leftovers(&parent, &prefix);
        let dir = parent.join(format!("{prefix}new-{}", std::process::id()));
        context(fs::create_dir(&dir), "create", &dir)?;
        let staging = Staging {
            dir,
            out: out.to_path_buf(),
            parent,
            name,
            committed: false,
            _lock: lock,
        };
        let marker = staging.dir.join(MARKER);
        context(fs::write(&marker, MARKER_TEXT), "write", &marker)?;
        Ok(staging)
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
    let staging = Staging::create(out, || {})?;
    write_files(&staging.dir, files.iter())?;
    staging.commit()
}

/// Staging and old folders (`PREFIXnew-PID`, `PREFIXold-PID`) left by
/// builds that were killed. Called only by the holder of OUT's lock: every
/// other build that used them is gone.
fn remove_leftovers(folder: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(kind) = name
            .to_string_lossy()
            .strip_prefix(prefix)
            .map(str::to_owned)
        else {
            continue;
        };
        if kind.starts_with("new-") || kind.starts_with("old-") {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// An advisory lock on OUT: a locked file that exists only while a build
/// holds it (the holder deletes it before letting go).
struct OutLock {
    file: fs::File,
    path: PathBuf,
}

impl OutLock {
    fn acquire(path: &Path, on_wait: impl FnOnce()) -> Result<OutLock, OutputError> {
        let mut on_wait = Some(on_wait);
        loop {
            let file = context(
                fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(path),
                "create the lock file",
                path,
            )?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if let Some(on_wait) = on_wait.take() {
                        on_wait();
                    }
                    context(file.lock(), "lock", path)?;
                }
                // A file system without locks (some network shares): build
                // unlocked, as every build did before there were locks.
                Err(fs::TryLockError::Error(_)) => {}
            }
            // The holder before may have deleted the file we locked: the
            // lock counts only while the file is still the one at `path`.
            if same_file(&file, path) {
                return Ok(OutLock {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
    }
}

impl Drop for OutLock {
    fn drop(&mut self) {
        // Deleted while still locked, so no one can lock it after us and
        // believe they hold OUT. Closing the file then unlocks it.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(locked), Ok(current)) => locked.dev() == current.dev() && locked.ino() == current.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.exists()
}

/// Writes changed files into `out` and deletes stale ones, in place. Used
/// between rebuilds of `watch` and `serve`, after a first full
/// [`write_site`]; folders left empty by deletions are removed.
pub fn update_in_place(
    out: &Path,
    files: &[&OutputFile],
    stale: &[String],
) -> Result<(), OutputError> {
    write_files(out, files.iter().copied())?;
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
    let path = base.join(&file.path);
    context(crate::faults::maybe_disk_full(), "write", &path)?;
    match &file.contents {
        Contents::Bytes(bytes) => context(fs::write(&path, bytes), "write", &path),
        Contents::BuiltIn(bytes) => context(fs::write(&path, bytes), "write", &path),
        Contents::Copy(source) => context(fs::copy(source, &path).map(|_| ()), "copy", source),
    }
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
    fn a_second_staging_of_one_out_waits_and_leaves_the_first_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let killed = dir.path().join(".public.salesbook-new-4000000");
        fs::create_dir(&killed).unwrap();
        let first = Staging::create(&out, || panic!("nothing to wait for")).unwrap();
        assert!(!killed.exists(), "a killed build's staging folder was kept");
        write_file(&first.dir, &page("index.html", "first")).unwrap();
        let (waiting, waited) = std::sync::mpsc::channel();
        let second_out = out.clone();
        let second = std::thread::spawn(move || {
            let staging = Staging::create(&second_out, move || waiting.send(()).unwrap())?;
            write_file(&staging.dir, &page("index.html", "second"))?;
            staging.commit()
        });
        waited.recv().unwrap();
        assert!(first.dir.join("index.html").is_file());
        first.commit().unwrap();
        second.join().unwrap().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "second"
        );
        let beside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(beside, vec![std::ffi::OsString::from("public")]);
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
