//! Bringing OUT up to date with a rebuild: only the files whose bytes
//! differ from what the last build wrote are written, and only the files
//! the site no longer has are removed.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use crate::fingerprint::fingerprint;
use crate::output;

/// Writes the files whose contents differ from what `recorded` says OUT
/// holds, and records them. An error leaves OUT in an unknown state: the
/// caller forgets the last build, so the next rebuild writes everything.
pub(super) fn write_changed(
    out: &Path,
    files: &[output::OutputFile],
    recorded: &mut BTreeMap<String, u64>,
    generation: u64,
) -> Result<Vec<String>, output::OutputError> {
    let changed: Vec<(&output::OutputFile, u64)> = files
        .iter()
        .map(|f| (f, contents_fingerprint(f, generation)))
        .filter(|(f, print)| recorded.get(&f.path) != Some(print))
        .collect();
    let batch: Vec<&output::OutputFile> = changed.iter().map(|(f, _)| *f).collect();
    output::update_in_place(out, &batch, &[])?;
    for (file, print) in &changed {
        recorded.insert(file.path.clone(), *print);
    }
    Ok(batch.iter().map(|f| f.path.clone()).collect())
}

pub(super) fn contents_fingerprint(file: &output::OutputFile, copy_generation: u64) -> u64 {
    match &file.contents {
        output::Contents::Bytes(bytes) => fingerprint(bytes.as_slice()),
        output::Contents::BuiltIn(bytes) => fingerprint(*bytes),
        output::Contents::Copy(source) => {
            let stamp = std::fs::metadata(source)
                .ok()
                .map(|m| crate::content::load::Stamp::of(&m));
            fingerprint(&(source, stamp, copy_generation))
        }
    }
}

/// Removes from OUT, and from `recorded`, the recorded files whose path
/// starts with `under`, for which `may_go` holds and which `current` (the
/// paths the site has now) does not hold: pages gone, search shards whose
/// last word went.
pub(super) fn remove_stale(
    out: &Path,
    recorded: &mut BTreeMap<String, u64>,
    under: &str,
    may_go: impl Fn(&str) -> bool,
    current: &HashSet<String>,
) -> Result<Vec<String>, output::OutputError> {
    let stale: Vec<String> = recorded
        .range(under.to_string()..)
        .map(|(path, _)| path)
        .take_while(|path| path.starts_with(under))
        .filter(|path| may_go(path) && !current.contains(*path))
        .cloned()
        .collect();
    let taken_over = taken_over(&stale, current);
    let to_delete: Vec<String> = stale
        .iter()
        .filter(|path| !taken_over.contains(path.as_str()))
        .cloned()
        .collect();
    output::update_in_place(out, &[], &to_delete)?;
    for path in &stale {
        recorded.remove(path);
    }
    Ok(stale)
}

/// The stale paths that the current site uses as a folder, or that lie
/// under one of its files: writing the current files already replaced them
/// (see [`output::update_in_place`]), so they are not there to delete.
pub(super) fn taken_over<'a>(stale: &'a [String], current: &HashSet<String>) -> HashSet<&'a str> {
    if stale.is_empty() {
        return HashSet::new();
    }
    let current_folders: HashSet<&str> = current.iter().flat_map(|p| folders_of(p)).collect();
    stale
        .iter()
        .map(String::as_str)
        .filter(|path| {
            current_folders.contains(path) || folders_of(path).any(|f| current.contains(f))
        })
        .collect()
}

/// The folders a relative output path lies in, outermost first.
pub(super) fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(at, _)| &path[..at])
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn stale_paths_replaced_by_new_files_or_folders_are_taken_over() {
        let current: HashSet<String> = ["handout/page-1.txt", "notes", "index.html"]
            .into_iter()
            .map(String::from)
            .collect();
        let stale: Vec<String> = ["handout", "notes/index.html", "gone/index.html"]
            .into_iter()
            .map(String::from)
            .collect();
        let taken: BTreeSet<&str> = taken_over(&stale, &current).into_iter().collect();
        assert_eq!(taken, BTreeSet::from(["handout", "notes/index.html"]));
    }
}
