//! The one place that writes the output folder.
//!
//! A build is written into a staging folder beside OUT and swapped in at the
//! end, so OUT is always either the previous site or the new one, never a
//! mix, and a failed or killed build leaves it untouched. On Linux the swap
//! is one atomic `renameat2(RENAME_EXCHANGE)`.
//!
//! An OUT that is a mount point cannot be renamed: the site is staged inside
//! it and moved in file by file (see [`update_mount_point`]).
//!
//! One build at a time writes an OUT: each holds a lock on a file beside it
//! (inside it for a mount point) from its start to its swap, and only the
//! holder cleans up what killed builds left.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

mod error;
mod files;
mod unchanged;
pub use error::OutputError;
pub use files::{Collect, Contents, OutputFile, Sink};

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

/// Where a build of OUT stages its site and takes its lock.
enum Place {
    /// Beside OUT, in `parent`, under names made of OUT's `name`; the
    /// staging folder is swapped in by a rename.
    Beside { parent: PathBuf, name: String },
    /// Inside OUT, a mount point, which cannot be renamed.
    MountPoint,
}

impl Place {
    fn of(out: &Path) -> Place {
        if is_mount_point(out) {
            return Place::MountPoint;
        }
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let parent = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Place::Beside { parent, name }
    }

    /// The folder staging and lock files go in, and the start of their names.
    fn folder_and_prefix(&self, out: &Path) -> (PathBuf, String) {
        match self {
            Place::Beside { parent, name } => (parent.clone(), format!(".{name}.salesbook-")),
            Place::MountPoint => (out.to_path_buf(), INSIDE_PREFIX.to_string()),
        }
    }
}

/// How staging folders and the lock inside a mount point begin.
const INSIDE_PREFIX: &str = ".salesbook-";
const LOCK: &str = "lock";

/// A new site being staged for OUT. Files go in as they are rendered;
/// [`Staging::commit`] puts the site in place as OUT; dropping it
/// uncommitted deletes it and leaves OUT as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// OUT as the build found it, if there was one: files and folders the
    /// build leaves as they were keep their times from it.
    previous: Option<PathBuf>,
    place: Place,
    committed: bool,
    /// Held until the staging folder is gone: dropped after it.
    _lock: OutLock,
}

impl Staging {
    /// Takes OUT's lock (calling `on_wait` first if another build holds
    /// it, then waiting for it), clears what killed builds left and creates
    /// the staging folder with the [`MARKER`] in it.
    pub fn create(out: &Path, on_wait: impl FnOnce()) -> Result<Staging, OutputError> {
        let place = Place::of(out);
        let (folder, prefix) = place.folder_and_prefix(out);
        context(fs::create_dir_all(&folder), "create", &folder)?;
        let lock = OutLock::of(&place, out, on_wait)?;
        remove_leftovers(&folder, &prefix);
        let dir = folder.join(format!("{prefix}new-{}", std::process::id()));
        context(fs::create_dir(&dir), "create", &dir)?;
        let staging = Staging {
            dir,
            out: out.to_path_buf(),
            previous: out.is_dir().then(|| out.to_path_buf()),
            place,
            committed: false,
            _lock: lock,
        };
        staging.write_marker()?;
        Ok(staging)
    }

    /// Writes the [`MARKER`], with the previous one's time: its text
    /// changes only with salesbook's.
    fn write_marker(&self) -> Result<(), OutputError> {
        let marker = self.dir.join(MARKER);
        context(fs::write(&marker, MARKER_TEXT), "write", &marker)?;
        let text = Contents::BuiltIn(MARKER_TEXT.as_bytes());
        let previous = self.previous.as_ref().map(|out| out.join(MARKER));
        let time = previous.and_then(|previous| unchanged::unchanged_since(&previous, &text));
        unchanged::keep_time_at(&marker, time);
        Ok(())
    }

    /// Whether [`Staging::commit`] updates OUT file by file (a mount
    /// point) rather than swapping it whole.
    pub fn updates_in_place(&self) -> bool {
        matches!(self.place, Place::MountPoint)
    }

    /// Puts the staged site in place as OUT.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.committed = true;
        let unchanged_folders = match &self.previous {
            Some(previous) => unchanged::unchanged_folders(&self.dir, previous, INSIDE_PREFIX),
            None => Vec::new(),
        };
        let result = match &self.place {
            Place::Beside { parent, name } => {
                unchanged::set_folder_times(&self.dir, &unchanged_folders);
                swap_into_place(&self.dir, &self.out, parent, name)
            }
            // Moving files in changes the times of OUT's own folders.
            Place::MountPoint => update_mount_point(&self.dir, &self.out)
                .inspect(|()| unchanged::set_folder_times(&self.out, &unchanged_folders)),
        };
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

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        write_file(&self.dir, &file, self.previous.as_deref())
    }

    fn keeps_files(&self) -> bool {
        true
    }
}

/// Writes `files` as the new content of `out`, atomically.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::create(out, || {})?;
    write_files(&staging.dir, files.iter(), staging.previous.as_deref())?;
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
    /// OUT's lock, staged where `place` says.
    fn of(place: &Place, out: &Path, on_wait: impl FnOnce()) -> Result<OutLock, OutputError> {
        let (folder, prefix) = place.folder_and_prefix(out);
        OutLock::acquire(&folder.join(format!("{prefix}{LOCK}")), on_wait)
    }

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

/// Whether `path` is a folder another file system is mounted on (a
/// container volume, a tmpfs): such a folder cannot be renamed.
#[cfg(unix)]
fn is_mount_point(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    let parent = path.parent().and_then(|p| fs::metadata(p).ok());
    meta.is_dir() && (parent.is_some_and(|p| p.dev() != meta.dev()) || is_mount_root(path))
}

#[cfg(not(unix))]
fn is_mount_point(_path: &Path) -> bool {
    false
}

/// A bind mount from the same file system keeps the device number: only
/// `statx` tells (Linux 5.8 and later).
#[cfg(target_os = "linux")]
fn is_mount_root(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    let mut found = std::mem::MaybeUninit::<libc::statx>::zeroed();
    // SAFETY: a valid NUL-terminated path and a buffer of the right type.
    let result = unsafe {
        libc::statx(
            libc::AT_FDCWD,
            c_path.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
            0,
            found.as_mut_ptr(),
        )
    };
    if result != 0 {
        return false;
    }
    // SAFETY: statx succeeded and filled the buffer.
    let found = unsafe { found.assume_init() };
    let flag = libc::STATX_ATTR_MOUNT_ROOT as u64;
    found.stx_attributes_mask & flag != 0 && found.stx_attributes & flag != 0
}

#[cfg(all(unix, not(target_os = "linux")))]
fn is_mount_root(_path: &Path) -> bool {
    false
}

/// Puts the site staged in `staging` (a folder inside `out`) in place in
/// `out`, a mount point that cannot be swapped. Each file is renamed over
/// the old one, so a reader never sees a cut-off file, but during the move
/// sees new files beside old ones; a path that changes between file and
/// folder is missing for a moment; stale files are deleted last.
fn update_mount_point(staging: &Path, out: &Path) -> Result<(), OutputError> {
    let new_paths = paths_under(staging)?;
    move_entries(staging, out)?;
    context(fs::remove_dir_all(staging), "delete", staging)?;
    remove_stale(out, out, &new_paths)
}

/// Every file and folder under `dir`, relative to it.
fn paths_under(dir: &Path) -> Result<BTreeSet<PathBuf>, OutputError> {
    let mut paths = BTreeSet::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in context(fs::read_dir(&folder), "read", &folder)? {
            let entry = context(entry, "read", &folder)?;
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                folders.push(path.clone());
            }
            paths.insert(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(paths)
}

/// Moves everything in `from` into `to`, replacing what is there, folders
/// merged into folders.
fn move_entries(from: &Path, to: &Path) -> Result<(), OutputError> {
    for entry in context(fs::read_dir(from), "read", from)? {
        let entry = context(entry, "read", from)?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        match fs::symlink_metadata(&target) {
            Ok(old) if old.is_dir() && is_dir => {
                move_entries(&source, &target)?;
                continue;
            }
            Ok(old) if old.is_dir() => context(fs::remove_dir_all(&target), "replace", &target)?,
            // `rename` replaces a file by a file, not by a folder.
            Ok(_) if is_dir => context(fs::remove_file(&target), "replace", &target)?,
            _ => {}
        }
        context(
            fs::rename(&source, &target),
            "move the new site to",
            &target,
        )?;
    }
    Ok(())
}

/// Deletes what is under `folder` (inside `out`) but not in `keep`, except
/// the lock of the build doing it.
fn remove_stale(out: &Path, folder: &Path, keep: &BTreeSet<PathBuf>) -> Result<(), OutputError> {
    for entry in context(fs::read_dir(folder), "read", folder)? {
        let entry = context(entry, "read", folder)?;
        let path = entry.path();
        let relative = path.strip_prefix(out).unwrap_or(&path);
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if keep.contains(relative) {
            if is_dir {
                remove_stale(out, &path, keep)?;
            }
        } else if relative != Path::new(&format!("{INSIDE_PREFIX}{LOCK}")) {
            let removed = if is_dir {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            context(removed, "delete", &path)?;
        }
    }
    Ok(())
}

/// Writes changed files into `out` and deletes stale ones, in place. Used
/// between rebuilds of `watch` and `serve`, after a first full
/// [`write_site`]; folders left empty by deletions are removed. A file
/// already there with the same bytes is left as it is.
///
/// Every file is first written beside its final name, then each is renamed
/// over it: a reader (the dev server) gets the old file or the new one,
/// never part of one, and a write that fails (a full disk) leaves every old
/// file as it was.
///
/// It holds OUT's lock meanwhile, as a build does: a `build` into the same
/// folder waits for the update, and the update for the build's swap.
pub fn update_in_place(
    out: &Path,
    files: &[&OutputFile],
    stale: &[String],
) -> Result<(), OutputError> {
    update_in_place_after(out, files, stale, || {})
}

/// [`update_in_place`], calling `on_wait` first if a build holds OUT.
fn update_in_place_after(
    out: &Path,
    files: &[&OutputFile],
    stale: &[String],
    on_wait: impl FnOnce(),
) -> Result<(), OutputError> {
    let _lock = OutLock::of(&Place::of(out), out, on_wait)?;
    let files: Vec<&OutputFile> = files
        .iter()
        .copied()
        .filter(|file| !holds_already(out, file))
        .collect();
    let mut folders = BTreeSet::new();
    for file in &files {
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

/// Whether OUT's file at `file`'s path already holds its bytes. `watch`
/// writes every static file again when one changes (it cannot tell which
/// ones a tool merely touched): those left alone keep their times.
fn holds_already(out: &Path, file: &OutputFile) -> bool {
    safe_relative_path(&file.path)
        .is_some_and(|path| unchanged::unchanged_since(&out.join(path), &file.contents).is_some())
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
    match write_to(&beside, file, None) {
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
/// A file equal to the one at its path under `previous` gets that one's
/// time.
fn write_files<'a>(
    base: &Path,
    files: impl Iterator<Item = &'a OutputFile>,
    previous: Option<&Path>,
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
        .try_for_each(|file| write_contents(base, file, previous))
}

/// Writes one file under `base`, creating its folder if needed.
fn write_file(base: &Path, file: &OutputFile, previous: Option<&Path>) -> Result<(), OutputError> {
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
    write_contents(base, file, previous)
}

/// Writes `file` under `base`; `previous` is the OUT it replaces, if any.
fn write_contents(
    base: &Path,
    file: &OutputFile,
    previous: Option<&Path>,
) -> Result<(), OutputError> {
    let previous = previous.map(|out| out.join(&file.path));
    write_to(&base.join(&file.path), file, previous.as_deref())
}

/// Writes `file` at `path`. If `previous` (the file it replaces) holds the
/// same bytes, the new file gets its modification time.
fn write_to(path: &Path, file: &OutputFile, previous: Option<&Path>) -> Result<(), OutputError> {
    let time = previous.and_then(|previous| unchanged::unchanged_since(previous, &file.contents));
    match &file.contents {
        Contents::Bytes(bytes) => context(write_bytes(path, bytes, time), "write", path),
        Contents::BuiltIn(bytes) => context(write_bytes(path, bytes, time), "write", path),
        Contents::Copy(source) => {
            context(crate::faults::maybe_disk_full(), "write", path)?;
            context(fs::copy(source, path).map(|_| ()), "copy", source)?;
            unchanged::keep_time_at(path, time);
            Ok(())
        }
    }
}

/// `fs::write`, then the modification time `time` if there is one, except
/// that an injected full disk, like a real one, stops the write part-way
/// and leaves what was written.
fn write_bytes(path: &Path, bytes: &[u8], time: Option<SystemTime>) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    if let Err(full) = crate::faults::maybe_disk_full() {
        let _ = file.write_all(&bytes[..bytes.len() / 2]);
        return Err(full);
    }
    file.write_all(bytes)?;
    unchanged::keep_time(&file, time);
    Ok(())
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
mod tests;
