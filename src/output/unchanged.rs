//! Keeping the modification times of what a build did not change.
//!
//! Every build writes every file anew, so without this each one would get a
//! new modification time and sync tools (`rsync`, `aws s3 sync`), which
//! compare size and time, would upload the whole site on every deploy. A
//! written file whose bytes equal the previous OUT's file at its path gets
//! that file's time; a folder whose entries have the same names likewise.
//! The new file is always a file of its own (never a link to the old one),
//! so nothing done to one OUT can reach into the other.

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::files::Contents;

/// The modification time of `previous` when it is a file holding exactly
/// `contents`; None when it differs, is missing or cannot be read (then the
/// new file simply keeps the time it was written at).
pub(super) fn unchanged_since(previous: &Path, contents: &Contents) -> Option<SystemTime> {
    let old = fs::metadata(previous).ok().filter(fs::Metadata::is_file)?;
    // Lengths first: most changed files differ in length, and that costs
    // no read.
    let same = match contents {
        Contents::Bytes(bytes) => old.len() == bytes.len() as u64 && holds(previous, bytes),
        Contents::BuiltIn(bytes) => old.len() == bytes.len() as u64 && holds(previous, bytes),
        Contents::Copy(source) => {
            fs::metadata(source).is_ok_and(|new| new.len() == old.len())
                && same_bytes(source, previous)
        }
    };
    same.then(|| old.modified().ok()).flatten()
}

/// Sets `file`'s modification time to `time`, when there is one. A
/// failure loses only the saving in uploads, not anything of the site: it
/// is ignored.
pub(super) fn keep_time(file: &fs::File, time: Option<SystemTime>) {
    if let Some(time) = time {
        let _ = file.set_modified(time);
    }
}

/// [`keep_time`] for the file or folder at `path` (its owner may set its
/// times without opening it for writing).
pub(super) fn keep_time_at(path: &Path, time: Option<SystemTime>) {
    if let (Some(_), Ok(file)) = (time, fs::File::open(path)) {
        keep_time(&file, time);
    }
}

/// Whether the file at `path` holds exactly `bytes` (its length is known
/// to be theirs).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut buffer = vec![0; CHUNK.min(bytes.len())];
    for expected in bytes.chunks(CHUNK) {
        let read = &mut buffer[..expected.len()];
        if file.read_exact(read).is_err() || read != expected {
            return false;
        }
    }
    true
}

/// Compared a piece at a time: a static file may be a video of gigabytes.
const CHUNK: usize = 64 * 1024;

/// Whether two files of the same length hold the same bytes.
fn same_bytes(a: &Path, b: &Path) -> bool {
    let (Ok(mut a), Ok(mut b)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut left, mut right) = (vec![0; CHUNK], vec![0; CHUNK]);
    loop {
        let Ok(count) = a.read(&mut left) else {
            return false;
        };
        if count == 0 {
            return b.read(&mut right[..1]).is_ok_and(|more| more == 0);
        }
        if b.read_exact(&mut right[..count]).is_err() || left[..count] != right[..count] {
            return false;
        }
    }
}

/// The folders under `new` (relative to it, `""` for `new` itself) whose
/// entries have the same names as the same folder under `old`, with that
/// folder's modification time. Children come before their parents, so the
/// times can be set in this order once every file is in place. Names
/// beginning with `own_prefix` (salesbook's staging folder and lock) are
/// not part of the site.
pub(super) fn unchanged_folders(
    new: &Path,
    old: &Path,
    own_prefix: &str,
) -> Vec<(PathBuf, SystemTime)> {
    let mut found = Vec::new();
    let folders = Folders {
        new,
        old,
        own_prefix,
    };
    folders.collect_unchanged(PathBuf::new(), &mut found);
    found
}

/// The two trees [`unchanged_folders`] compares.
struct Folders<'a> {
    new: &'a Path,
    old: &'a Path,
    own_prefix: &'a str,
}

impl Folders<'_> {
    fn collect_unchanged(&self, relative: PathBuf, found: &mut Vec<(PathBuf, SystemTime)>) {
        let Some(new_entries) = self.entries(&self.new.join(&relative)) else {
            return;
        };
        for (name, is_folder) in &new_entries {
            if *is_folder {
                self.collect_unchanged(relative.join(name), found);
            }
        }
        let old_folder = self.old.join(&relative);
        let same_names = self.entries(&old_folder).is_some_and(|old_entries| {
            old_entries.len() == new_entries.len()
                && old_entries
                    .iter()
                    .zip(&new_entries)
                    .all(|(o, n)| o.0 == n.0)
        });
        if same_names {
            if let Ok(time) = fs::metadata(&old_folder).and_then(|meta| meta.modified()) {
                found.push((relative, time));
            }
        }
    }

    /// The entries of `folder` by name, sorted, each with whether it is a
    /// folder, without salesbook's own; None when it cannot be read.
    fn entries(&self, folder: &Path) -> Option<Vec<(OsString, bool)>> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(folder).ok()? {
            let entry = entry.ok()?;
            let name = entry.file_name();
            if !name
                .as_encoded_bytes()
                .starts_with(self.own_prefix.as_bytes())
            {
                entries.push((name, entry.file_type().is_ok_and(|t| t.is_dir())));
            }
        }
        entries.sort();
        Some(entries)
    }
}

/// Gives each of `folders` (relative to `root`) its time.
pub(super) fn set_folder_times(root: &Path, folders: &[(PathBuf, SystemTime)]) {
    for (relative, time) in folders {
        keep_time_at(&root.join(relative), Some(*time));
    }
}
