//! Faults while `build` and `watch` run (issue 7): files deleted, renamed
//! or made unreadable, a body edit failing half-way, a stale page that
//! cannot be deleted, and an exhausted inotify watch limit. After each, OUT
//! is the old site or the new one and the next build recovers.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::live_support::{
    clean_build, is_rebuild_line, next_wall_clock_second, poll_until, tree_difference, Running,
    Server, PATIENCE,
};
use crate::robustness::heavy;
use crate::robustness_faults::{build_into, hashes, Rng};
use crate::support::{snapshot, Site};

// --- files vanishing during builds and watch -------------------------------

/// Whether this process can read a file it made unreadable (it runs as
/// root, which `chmod 000` does not stop).
fn chmod_does_not_stop_reads() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::read(&probe).is_ok()
}

/// Makes `path` of `site` unreadable: `chmod 000`, or, where that does not
/// stop reads (root), a dangling symbolic link in its place. Returns the
/// diagnostic text expected for it.
fn make_unreadable(site: &Site, path: &str) -> &'static str {
    use std::os::unix::fs::PermissionsExt;
    if chmod_does_not_stop_reads() {
        site.remove(path);
        std::os::unix::fs::symlink("/nonexistent/salesbook-test", site.path(path)).unwrap();
        "symbolic link not followed"
    } else {
        std::fs::set_permissions(site.path(path), std::fs::Permissions::from_mode(0o000)).unwrap();
        "cannot read"
    }
}

fn make_readable(site: &Site, path: &str, text: &str) {
    let full = site.path(path);
    if std::fs::symlink_metadata(&full).is_ok() {
        if full.is_dir() && !full.is_symlink() {
            std::fs::remove_dir_all(&full).unwrap();
        } else {
            std::fs::remove_file(&full).unwrap();
        }
    }
    site.write(path, text);
}

fn exercise(n: usize) -> String {
    format!("---\ntitle: Exercise {n}\n---\nStep {n}.\n")
}

/// Writes `content/exercises/e{n}.md` for each of `numbers`.
fn write_exercises(site: &Site, numbers: impl IntoIterator<Item = usize>) {
    for n in numbers {
        site.write(&format!("content/exercises/e{n}.md"), exercise(n));
    }
}

#[test]
fn an_unreadable_file_is_a_diagnostic_and_the_next_build_recovers() {
    let site = Site::new()
        .file("content/exercises/a.md", &exercise(1))
        .file("content/exercises/b.md", &exercise(2));
    let expected = make_unreadable(&site, "content/exercises/b.md");
    let run = site.build();
    assert!(run.code == 0 || run.code == 1, "{run}");
    run.assert_stderr_contains(&format!("content/exercises/b.md: {expected}"));
    make_readable(&site, "content/exercises/b.md", &exercise(2));
    site.build().assert_success();
    assert!(site.exists("public/exercises/b/index.html"));
    let clean = clean_build(site.root());
    assert_eq!(tree_difference(&site.snapshot("public"), &clean), None);
}

/// `salesbook build -o OUT` paused between reading the content and
/// rendering it, once it says it is paused.
fn paused_build(site: &Site, out: &Path) -> Running {
    let process = Running::spawn(
        site.root(),
        &["build", "-o", out.to_str().unwrap()],
        &[("SALESBOOK_FAULT_PAUSE_AFTER_LOAD_MS", "2000")],
    );
    let paused = process.wait_for_line(PATIENCE, |l| l.starts_with("fault: paused"));
    assert!(paused.is_some(), "{}", process.describe());
    process
}

/// The exit status of a process that ends by itself (once its stderr
/// closes), or `None`.
fn wait_for_exit(process: &mut Running) -> Option<std::process::ExitStatus> {
    let _ = process.wait_for_line(PATIENCE, |_| false);
    process.interrupt()
}

#[test]
fn a_front_matter_changed_during_a_build_is_an_error_and_a_new_body_is_taken() {
    let site = Site::new().file("content/exercises/a.md", &exercise(1));
    let out = site.path("public");
    site.build().assert_success();
    let before = site.snapshot("public");

    // The page was checked and linked with its old front matter: building
    // it with the new one would mix two versions of the site.
    let mut process = paused_build(&site, &out);
    site.write(
        "content/exercises/a.md",
        "---\ntitle: Renamed meanwhile\n---\nStep 1.\n",
    );
    let status = wait_for_exit(&mut process);
    let error = process
        .lines()
        .into_iter()
        .find(|l| l.contains("the front matter changed while the site was being built"));
    assert!(
        error.is_some_and(|l| l.starts_with("error: content/exercises/a.md:1")),
        "{}",
        process.describe()
    );
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(1),
        "{}",
        process.describe()
    );
    assert!(
        site.snapshot("public") == before,
        "a failed build changed OUT"
    );

    // A body saved meanwhile is built as it is now.
    site.write("content/exercises/a.md", exercise(1));
    let mut process = paused_build(&site, &out);
    site.write(
        "content/exercises/a.md",
        exercise(1).replace("Step 1.", "Step 1, saved mid-build."),
    );
    let status = wait_for_exit(&mut process);
    assert!(
        status.is_some_and(|s| s.success()),
        "{}",
        process.describe()
    );
    assert!(site
        .read("public/exercises/a/index.html")
        .contains("Step 1, saved mid-build."));
}

#[test]
fn files_deleted_renamed_and_replaced_during_builds_give_diagnostics_and_the_next_build_recovers() {
    let _heavy = heavy();
    let site = Site::new();
    write_exercises(&site, 0..300);
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    build_into(&site, &out, &[]).assert_success();
    let stop = Arc::new(AtomicBool::new(false));
    let mutator = {
        let stop = stop.clone();
        let root = site.root().to_path_buf();
        std::thread::spawn(move || {
            let mut rng = Rng::new(99);
            let mut changes = 0;
            while !stop.load(Ordering::SeqCst) {
                let n = rng.below(300);
                let path = root.join(format!("content/exercises/e{n}.md"));
                let moved = root.join(format!("content/exercises/moved-{n}.md"));
                match rng.below(4) {
                    0 => {
                        let _ = std::fs::remove_file(&path);
                    }
                    1 => {
                        let _ = std::fs::rename(&path, &moved);
                    }
                    2 => {
                        // A folder where the file was.
                        let _ = std::fs::remove_file(&path);
                        let _ = std::fs::create_dir(&path);
                    }
                    _ => {
                        let _ = std::fs::remove_dir(&path);
                        let _ = std::fs::remove_file(&moved);
                        let _ = std::fs::write(&path, exercise(n as usize));
                    }
                }
                changes += 1;
                std::thread::sleep(Duration::from_micros(300));
            }
            changes
        })
    };
    let mut failed = 0;
    for _ in 0..6 {
        let before = hashes(&out);
        let run = build_into(&site, &out, &[]);
        assert!(!run.stderr.contains("panicked"), "{run}");
        match run.code {
            0 => {}
            1 => {
                failed += 1;
                assert!(
                    run.errors()
                        .iter()
                        .any(|e| e.starts_with("content/exercises/")),
                    "a failed build without a diagnostic naming a file\n{run}"
                );
                assert!(hashes(&out) == before, "a failed build changed OUT");
            }
            _ => panic!("unexpected exit code\n{run}"),
        }
    }
    stop.store(true, Ordering::SeqCst);
    let changes = mutator.join().unwrap();
    assert!(changes > 100, "only {changes} changes during the builds");
    // Put everything back: the next build recovers completely.
    for n in 0..300 {
        let path = site.path(&format!("content/exercises/e{n}.md"));
        if path.is_dir() {
            std::fs::remove_dir(&path).unwrap();
        }
        let _ = std::fs::remove_file(site.path(&format!("content/exercises/moved-{n}.md")));
        site.write(&format!("content/exercises/e{n}.md"), exercise(n));
    }
    build_into(&site, &out, &[]).assert_success();
    assert_eq!(
        tree_difference(&snapshot(&out), &clean_build(site.root())),
        None
    );
    eprintln!("{failed} of 6 builds saw a vanishing file and failed cleanly");
}

/// Waits until OUT is a clean build of the site, or fails showing why not.
#[track_caller]
fn wait_until_out_is_clean(site: &Site, out: &Path, process: &Running) {
    let mut last = String::new();
    let done = poll_until(PATIENCE, || {
        let clean = clean_build(site.root());
        match tree_difference(&snapshot(out), &clean) {
            None => Some(()),
            Some(report) => {
                last = report;
                None
            }
        }
    });
    assert!(
        done.is_some(),
        "OUT never matched a clean build:\n{last}\n{}",
        process.describe()
    );
}

#[test]
fn watch_survives_files_deleted_renamed_replaced_and_made_unreadable() {
    let site = Site::new();
    write_exercises(&site, 1..=6);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let process = Running::watch(site.root(), &out, &[]);
    let step = |what: &str, change: &dyn Fn()| {
        let before = process.rebuilds();
        change();
        process.wait_for_rebuild_after(before);
        eprintln!("watch survived: {what}");
    };
    step("a deleted page", &|| site.remove("content/exercises/e1.md"));
    step("a renamed page", &|| {
        site.rename("content/exercises/e2.md", "content/exercises/e2b.md")
    });
    let expected = std::cell::Cell::new("");
    step("an unreadable page", &|| {
        expected.set(make_unreadable(&site, "content/exercises/e3.md"))
    });
    let said = process.wait_for_line(PATIENCE, |l| {
        l.contains("content/exercises/e3.md") && l.contains(expected.get())
    });
    assert!(
        said.is_some(),
        "no diagnostic for the unreadable file\n{}",
        process.describe()
    );
    step("a folder where a page was", &|| {
        site.remove("content/exercises/e4.md");
        std::fs::create_dir(site.path("content/exercises/e4.md")).unwrap();
    });
    step("the whole content folder renamed away", &|| {
        std::fs::rename(site.path("content"), site.path("content-gone")).unwrap();
    });
    step("the content folder back", &|| {
        std::fs::rename(site.path("content-gone"), site.path("content")).unwrap();
    });
    step("site.yaml deleted", &|| site.remove("site.yaml"));
    step("site.yaml back", &|| {
        site.write("site.yaml", "title: Test Lab\n")
    });
    // Everything put right: OUT catches up with a clean build.
    step("everything restored", &|| {
        make_readable(&site, "content/exercises/e3.md", &exercise(3));
        make_readable(&site, "content/exercises/e4.md", &exercise(4));
        site.write("content/exercises/e1.md", exercise(1));
    });
    // `rm -rf content` and the same files written again at once (a new
    // folder in its place): still watched.
    step("content/ deleted and written anew", &|| {
        let files = site.snapshot("content");
        site.remove_dir("content");
        for (path, bytes) in &files {
            site.write(&format!("content/{path}"), bytes);
        }
    });
    step("an edit in the new content/", &|| {
        site.write("content/exercises/e6.md", exercise(66))
    });
    process.wait_until_quiet(Duration::from_millis(400));
    wait_until_out_is_clean(&site, &out, &process);
    assert!(
        !process
            .lines()
            .iter()
            .any(|l| l == "stopped" || l.contains("panicked")),
        "{}",
        process.describe()
    );
}

// --- failures on the body-edit path of `watch` -------------------------------

/// An override of the exercise template that fails on a page whose body
/// says DETONATE: a body edit, with the front matter unchanged, can then
/// make a template fail.
const DETONATING_EXERCISE: &str = "{% extends \"__salesbook/exercise.html\" %}\n\
    {% block content %}{% if \"DETONATE\" in page.content %}\
    {{ throw(message=\"the page asked to fail\") }}{% endif %}\
    {{ super() }}{% endblock content %}\n";

#[test]
fn a_body_edit_that_fails_after_the_new_bodies_are_in_keeps_out_and_the_next_edit_recovers() {
    let site = Site::new().file(
        "themes/default/templates/exercise.html",
        DETONATING_EXERCISE,
    );
    write_exercises(&site, 1..=3);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let disk_full = dir.path().join("disk-is-full");
    let flag = disk_full.to_str().unwrap();
    let process = Running::watch(
        site.root(),
        &out,
        &[
            ("SALESBOOK_TIMINGS", "1"),
            ("SALESBOOK_FAULT_DISK_FULL_WHILE", flag),
        ],
    );
    wait_until_out_is_clean(&site, &out, &process);
    // Edits the first page's body; says whether the first rebuild after
    // it read only the changed file (the body-edit path) rather than
    // loading the site.
    let edit_body = |body: &str| {
        let (before, from) = (process.rebuilds(), process.lines().len());
        site.write(
            "content/exercises/e1.md",
            format!("---\ntitle: Exercise 1\n---\n{body}\n"),
        );
        process.wait_for_rebuild_after(before);
        process.wait_until_quiet(Duration::from_millis(300));
        !process.lines()[from..]
            .iter()
            .take_while(|l| !is_rebuild_line(l))
            .any(|l| l.starts_with("timing: rebuild: load"))
    };
    let assert_failed_and_kept = |said: &str, good: &BTreeMap<String, Vec<u8>>| {
        assert!(
            process
                .lines()
                .iter()
                .any(|l| l.starts_with("error") && l.contains(said)),
            "no error saying `{said}`\n{}",
            process.describe()
        );
        if let Some(report) = tree_difference(&snapshot(&out), good) {
            panic!(
                "a failed rebuild changed OUT:\n{report}\n{}",
                process.describe()
            );
        }
    };

    assert!(
        edit_body("Step one, done slowly."),
        "a body edit loaded the whole site\n{}",
        process.describe()
    );
    wait_until_out_is_clean(&site, &out, &process);

    // A template that fails once the new body is in: OUT stays, the site
    // in memory goes back, and the fix (a full rebuild, as after every
    // failure) gives a clean build.
    let good = snapshot(&out);
    assert!(edit_body("Step one. DETONATE"), "{}", process.describe());
    assert_failed_and_kept("the page asked to fail", &good);
    assert!(
        !edit_body("Step one, fixed."),
        "after a failure the next rebuild loads the site"
    );
    wait_until_out_is_clean(&site, &out, &process);

    // A full disk while the edited page is written: nothing is half
    // written, and once there is room again the next edit writes
    // everything.
    assert!(
        edit_body("Step one, on a good disk."),
        "{}",
        process.describe()
    );
    wait_until_out_is_clean(&site, &out, &process);
    let good = snapshot(&out);
    std::fs::write(&disk_full, "").unwrap();
    assert!(
        edit_body("Step one, on a full disk."),
        "{}",
        process.describe()
    );
    assert_failed_and_kept("No space left on device", &good);
    std::fs::remove_file(&disk_full).unwrap();
    assert!(
        !edit_body("Step one, with room again."),
        "after a failed write the next rebuild loads the site"
    );
    wait_until_out_is_clean(&site, &out, &process);
    assert!(
        edit_body("Step one, once more."),
        "the body-edit path is back\n{}",
        process.describe()
    );
    wait_until_out_is_clean(&site, &out, &process);
}

// --- a stale page that cannot be deleted -------------------------------------

#[test]
fn a_stale_page_that_cannot_be_deleted_fails_the_rebuild_by_name_and_the_next_change_recovers() {
    let site = Site::new();
    write_exercises(&site, 1..=3);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let process = Running::watch(site.root(), &out, &[]);
    wait_until_out_is_clean(&site, &out, &process);

    // Where the third page's file was, a folder with something in it:
    // deleting the file fails (as it does for root too, unlike a missing
    // permission), the way a file held by another program can.
    let page = out.join("exercises/e3/index.html");
    std::fs::remove_file(&page).unwrap();
    std::fs::create_dir(&page).unwrap();
    std::fs::write(page.join("held"), "x").unwrap();
    let before = process.rebuilds();
    site.remove("content/exercises/e3.md");
    process.wait_for_rebuild_after(before);
    let said = format!("cannot delete {}", page.display());
    assert!(
        process
            .lines()
            .iter()
            .any(|l| l.starts_with("error: ") && l.contains(&said)),
        "no error saying `{said}`\n{}",
        process.describe()
    );
    // The other pages are still there.
    assert!(out.join("exercises/e1/index.html").is_file());
    assert!(out.join("exercises/e2/index.html").is_file());

    // The next change rebuilds everything, and OUT is a clean build again
    // (the folder in the way goes with the old OUT).
    let before = process.rebuilds();
    site.write("content/exercises/e1.md", exercise(11));
    process.wait_for_rebuild_after(before);
    wait_until_out_is_clean(&site, &out, &process);
}

// --- the inotify watch limit ------------------------------------------------

const WATCH_LIMIT_NOTICE: &str = "warning: cannot watch files for changes (the inotify watch limit is reached (simulated)); polling every 300 ms instead";

#[test]
fn watch_with_the_watch_limit_exhausted_says_so_polls_and_picks_up_edits() {
    let site = Site::new().file("content/exercises/a.md", &exercise(1));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let process = Running::watch(site.root(), &out, &[("SALESBOOK_FAULT_WATCH_LIMIT", "1")]);
    assert!(
        process.lines().iter().any(|l| l == WATCH_LIMIT_NOTICE),
        "{}",
        process.describe()
    );
    for n in 2..4 {
        next_wall_clock_second();
        let before = process.rebuilds();
        site.write("content/exercises/a.md", exercise(n));
        process.wait_for_rebuild_after(before);
        wait_until_out_is_clean(&site, &out, &process);
    }
    next_wall_clock_second();
    let before = process.rebuilds();
    site.write("content/exercises/new.md", exercise(9));
    process.wait_for_rebuild_after(before);
    wait_until_out_is_clean(&site, &out, &process);
}

#[test]
fn serve_with_the_watch_limit_exhausted_says_so_polls_and_reloads() {
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\nFirst.\n");
    let server = Server::start_with(
        site.root(),
        &["--port", "0"],
        &[("SALESBOOK_FAULT_WATCH_LIMIT", "1")],
    );
    assert!(
        server
            .process
            .lines()
            .iter()
            .any(|l| l == WATCH_LIMIT_NOTICE),
        "{}",
        server.process.describe()
    );
    let mut events = server.events();
    let first = events.initial();
    next_wall_clock_second();
    site.write("content/about.md", "---\ntitle: About\n---\nSecond.\n");
    let next = events.wait_for("with a new build", |s| s.build != first.build);
    assert!(next.errors.is_empty());
    server.wait_for_text("/about/", "Second.");
}
