//! Sync tools (`rsync`, `aws s3 sync`) compare size and modification time:
//! a file whose bytes a build did not change keeps its time, through the
//! swap, through a mount point updated in place, and through `watch`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::live_support::Running;
use crate::support::{rich_site, snapshot, Site};

/// A time no build writes at: every file and folder of OUT is set to it
/// before the build under test, so no clock's resolution matters.
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

/// Sets every file and folder under `dir` (and `dir`) to [`long_ago`].
fn age(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let path = entry.unwrap().into_path();
        let file = std::fs::File::open(&path).unwrap();
        file.set_modified(long_ago()).unwrap();
    }
}

/// The files and folders under `dir` (relative; `""` for `dir`) whose time
/// is not [`long_ago`].
fn with_new_times(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.metadata().unwrap().modified().unwrap() != long_ago())
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).unwrap();
            relative.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// The files whose bytes differ between two snapshots of the same paths.
fn changed(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the edit was meant to keep the same files"
    );
    before
        .iter()
        .filter(|(path, bytes)| after[*path] != **bytes)
        .map(|(path, _)| path.clone())
        .collect()
}

fn site() -> Site {
    rich_site().file("static/handouts/notes.txt", "Bring a pen.\n")
}

/// Builds `site` into `out` with `build`, ages OUT, edits one page's body
/// and builds again: exactly the files whose bytes changed (that page and
/// what shows its body) get new times; every other file, the static files
/// and the folders other than `also_new` keep theirs.
#[track_caller]
fn assert_only_changed_files_get_new_times(
    site: &Site,
    out: &Path,
    also_new: &[&str],
    build: impl Fn(),
) {
    build();
    age(out);
    let before = snapshot(out);
    site.write(
        "content/exercises/second.md",
        "---\ntitle: Second\ndifficulty: advanced\ntags: [Stretch]\n---\nAgain, again.\n",
    );
    build();
    let changed = changed(&before, &snapshot(out));
    assert!(
        changed.contains("exercises/second/index.html"),
        "the edited page did not change: {changed:?}"
    );
    let mut expected = changed;
    expected.extend(also_new.iter().map(|path| path.to_string()));
    assert_eq!(with_new_times(out), expected);
}

#[test]
fn a_build_keeps_the_times_of_files_it_did_not_change() {
    let site = site();
    let out = site.path("public");
    assert_only_changed_files_get_new_times(&site, &out, &[], || {
        site.build().assert_success();
    });
}

/// A file with the same bytes under a new name is new to sync tools: it,
/// and the folder it appears in, get new times.
#[test]
fn a_new_file_and_its_folder_get_new_times() {
    let site = site();
    site.build().assert_success();
    let out = site.path("public");
    age(&out);
    site.write("static/handouts/copy.txt", "Bring a pen.\n");
    site.build().assert_success();
    let expected: BTreeSet<String> = ["handouts", "handouts/copy.txt"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(with_new_times(&out), expected);
}

/// A mount point as OUT is updated file by file inside it (see atomic.rs).
#[test]
fn a_build_into_a_mount_point_keeps_the_times_of_files_it_did_not_change() {
    let site = site();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("volume");
    std::fs::create_dir(&out).unwrap();
    let Some(_tmpfs) = crate::robustness_faults::Tmpfs::mount(&out, 64 * 1024) else {
        if std::env::var_os("CI").is_some() {
            panic!("cannot mount a tmpfs in CI (the test needs root)");
        }
        eprintln!("note: skipping the mount point test: cannot mount a tmpfs here (not root?)");
        return;
    };
    // OUT itself: the build's lock file inside it is deleted after the
    // update, which is a change of the folder.
    assert_only_changed_files_get_new_times(&site, &out, &[""], || {
        site.build_with(&["-o", out.to_str().unwrap()])
            .assert_success();
    });
}

/// `watch` writes again every static file when any of them changes (it
/// cannot tell which ones a tool touched): those whose bytes are the same
/// keep their times.
#[test]
fn watch_keeps_the_times_of_static_files_it_writes_again() {
    let site = site();
    let out = site.path("public");
    let process = Running::watch(site.root(), &out, &[]);
    age(&out);
    let before = process.rebuilds();
    site.write("static/handouts/notes.txt", "Bring two pens.\n");
    process.wait_for_rebuild_after(before);
    let expected: BTreeSet<String> = ["handouts", "handouts/notes.txt"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(with_new_times(&out), expected, "{}", process.describe());
}
