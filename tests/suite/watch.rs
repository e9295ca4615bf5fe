//! `salesbook watch`: after any sequence of edits, OUT is byte-identical
//! to what a clean `salesbook build` writes, with the native watcher and
//! with the polling one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::live_support::{
    clean_build, is_rebuild_line, next_wall_clock_second, tree_difference, Running, Signal,
};
use crate::support::{rich_site, snapshot, Site};

/// How the watcher finds changes.
#[derive(Clone, Copy, Debug)]
enum Watcher {
    Native,
    Polling,
}

impl Watcher {
    fn envs(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Watcher::Native => &[],
            Watcher::Polling => &[("SALESBOOK_POLL", "1")],
        }
    }

    /// How long without a rebuild counts as quiet: longer than the polling
    /// interval (300 ms) when polling.
    /// Before an edit: under polling, a new wall-clock second (see
    /// [`next_wall_clock_second`]).
    fn before_edit(self) {
        if let Watcher::Polling = self {
            next_wall_clock_second();
        }
    }

    fn quiet(self) -> Duration {
        match self {
            Watcher::Native => Duration::from_millis(300),
            Watcher::Polling => Duration::from_millis(900),
        }
    }
}

/// `salesbook watch ROOT -o OUT`, once its first build is done.
fn start_watch(site: &Site, out: &Path, watcher: Watcher) -> Running {
    let process = Running::watch(site.root(), out, watcher.envs());
    assert!(
        process.lines().iter().any(|l| l.starts_with("built in ")),
        "{}",
        process.describe()
    );
    process
}

type Step = (&'static str, fn(&Site));

/// Edits of every kind, in order; the site builds after each of them
/// except where a step says it breaks it.
fn steps() -> Vec<Step> {
    vec![
        ("body edit", |site| {
            site.write(
                "content/exercises/first.md",
                site.read("content/exercises/first.md")
                    .replace("1. Try.", "1. Try harder."),
            )
        }),
        ("body edit adding minutes of reading", |site| {
            let longer = site.read("content/interviews/2026/talk.md")
                + "\nPractice notes. "
                + &"Rehearse the opening again. ".repeat(150);
            site.write("content/interviews/2026/talk.md", longer)
        }),
        ("title edit", |site| {
            site.write(
                "content/exercises/second.md",
                "---\ntitle: Second Round\ndifficulty: advanced\ntags: [Stretch]\n---\nAgain.\n",
            )
        }),
        ("new page", |site| {
            site.write(
                "content/exercises/third.md",
                "---\ntitle: Third\ndifficulty: intermediate\ntags: [Practice, Closing]\n---\n## Do it\n\nThree.\n",
            )
        }),
        ("deleted page", |site| {
            site.remove("content/interviews/other.md")
        }),
        ("tag change", |site| {
            site.write(
                "content/exercises/second.md",
                "---\ntitle: Second Round\ndifficulty: advanced\ntags: [Practice, Closing]\n---\nAgain.\n",
            )
        }),
        ("template override added", |site| {
            site.write(
                "themes/default/templates/exercise.html",
                "{% extends \"__salesbook/base.html\" %}\n{% block content %}<p>OVERRIDDEN {{ page.title }}</p>{{ page.content | safe }}{% endblock content %}\n",
            )
        }),
        ("partial override added", |site| {
            site.write(
                "themes/default/templates/partials/person.html",
                "<p class=\"person\">{{ person_label }}: {{ person.name }}</p>\n",
            )
        }),
        ("base override added", |site| {
            site.write(
                "themes/default/templates/base.html",
                "{% extends \"__salesbook/base.html\" %}\n{% block title %}Lab: {{ super() }}{% endblock title %}\n",
            )
        }),
        ("static file added", |site| {
            site.write("static/files/handout.txt", "Print this.\n")
        }),
        ("site.yaml change", |site| {
            site.write(
                "site.yaml",
                "title: Renamed Lab\ndescription: Practice, renamed.\nbase_url: https://example.com/lab/\n",
            )
        }),
        ("atomic rename-over save", |site| {
            let text = site
                .read("content/interviews/2026/talk.md")
                .replace("Practise it three times.", "Practise it four times.");
            site.write("content/interviews/2026/.talk.md.tmp", &text);
            site.rename(
                "content/interviews/2026/.talk.md.tmp",
                "content/interviews/2026/talk.md",
            );
        }),
        ("new speaker shown on an interview", |site| {
            site.write(
                "content/speakers/kim.md",
                "---\nname: Kim Guest\nrole: Buyer\n---\nKim buys.\n",
            );
            let text = site
                .read("content/interviews/2026/talk.md")
                .replace("guests: [al-smith]", "guests: [al-smith, kim]");
            site.write("content/interviews/2026/talk.md", &text);
        }),
        ("renamed page and its ref", |site| {
            site.rename(
                "content/exercises/second.md",
                "content/exercises/2026/second-round.md",
            );
            site.write(
                "content/tracks/habit.md",
                "---\ntitle: Habit\nlevel: beginner\nitems:\n  - interviews/2026/talk\n  - exercises/first\n  - exercises/2026/second-round\n---\nIn order.\n",
            );
        }),
        ("track body edit", |site| {
            site.write(
                "content/tracks/habit.md",
                site.read("content/tracks/habit.md")
                    .replace("In order.", "In this order, one a day."),
            )
        }),
        ("static file edited", |site| {
            site.write("static/files/handout.txt", "Print this, edited.\n")
        }),
        ("template override removed", |site| {
            site.remove("themes/default/templates/exercise.html")
        }),
        ("partial and base overrides removed", |site| {
            site.remove("themes/default/templates/partials/person.html");
            site.remove("themes/default/templates/base.html");
        }),
        ("static file deleted", |site| {
            site.remove("static/files/handout.txt")
        }),
        ("heading added to a linked page", |site| {
            site.write(
                "content/exercises/first.md",
                site.read("content/exercises/first.md")
                    .replace("## Steps", "## Warm up\n\nStretch.\n\n## Steps"),
            )
        }),
    ]
}

/// Runs the steps one at a time, waiting for each rebuild, checking OUT
/// against a clean build after each, with a broken edit and its fix in
/// the middle.
fn edits_one_at_a_time_match_a_clean_build(watcher: Watcher, out: PathBuf) {
    let site = rich_site();
    let process = start_watch(&site, &out, watcher);
    assert_same_as_clean_build(&site, &out, &process, "the first build");
    for (index, (name, step)) in steps().into_iter().enumerate() {
        watcher.before_edit();
        let before = process.rebuilds();
        step(&site);
        process.wait_for_rebuild_after(before);
        process.wait_until_quiet(watcher.quiet());
        assert_same_as_clean_build(&site, &out, &process, &format!("step {index}: {name}"));

        if name == "tag change" {
            // A broken edit leaves OUT as it was, and so does a good edit
            // while the site is still broken; the fix brings it back.
            let first_broken = "error: content/exercises/first.md:3";
            assert_broken_edit(&site, &out, &process, watcher, first_broken, |site| {
                site.write(
                    "content/exercises/first.md",
                    "---\ntitle: First\nnot_a_field: 1\n---\nBroken.\n",
                )
            });
            assert_broken_edit(&site, &out, &process, watcher, first_broken, |site| {
                let talk = site.read("content/interviews/2026/talk.md");
                site.write(
                    "content/interviews/2026/talk.md",
                    talk + "\nOne more line.\n",
                )
            });
            watcher.before_edit();
            let before = process.rebuilds();
            let fixed = rich_site_first_exercise();
            site.write("content/exercises/first.md", &fixed);
            process.wait_for_rebuild_after(before);
            process.wait_until_quiet(watcher.quiet());
            assert_same_as_clean_build(&site, &out, &process, "the fix of a broken edit");

            // Body edits that break other pages or the page itself.
            let talk = site.read("content/interviews/2026/talk.md");
            let heading_gone = "error: content/about.md:6:";
            assert_broken_edit(&site, &out, &process, watcher, heading_gone, |site| {
                site.write(
                    "content/interviews/2026/talk.md",
                    talk.replace("## Why practise", "## Why rehearse"),
                )
            });
            let missing_page = "error: content/interviews/2026/talk.md:";
            assert_broken_edit(&site, &out, &process, watcher, missing_page, |site| {
                site.write(
                    "content/interviews/2026/talk.md",
                    talk.clone() + "\nSee [the lost page](@/exercises/lost.md).\n",
                )
            });
            watcher.before_edit();
            let before = process.rebuilds();
            site.write("content/interviews/2026/talk.md", &talk);
            process.wait_for_rebuild_after(before);
            process.wait_until_quiet(watcher.quiet());
            assert_same_as_clean_build(&site, &out, &process, "the fix of broken body edits");
        }
    }
    stop(process);
}

/// Makes an edit after which the site does not build: the rebuild reports
/// an error line starting with `error` and leaves OUT as it was.
#[track_caller]
fn assert_broken_edit(
    site: &Site,
    out: &Path,
    process: &Running,
    watcher: Watcher,
    error: &str,
    edit: impl FnOnce(&Site),
) {
    let good = snapshot(out);
    let reported = || {
        process
            .lines()
            .iter()
            .filter(|l| l.starts_with(error))
            .count()
    };
    let reported_before = reported();
    watcher.before_edit();
    let before = process.rebuilds();
    edit(site);
    process.wait_for_rebuild_after(before);
    process.wait_until_quiet(watcher.quiet());
    assert!(
        reported() > reported_before,
        "no new `{error}` line\n{}",
        process.describe()
    );
    if let Some(report) = tree_difference(&snapshot(out), &good) {
        panic!(
            "a failed rebuild changed OUT:\n{report}\n{}",
            process.describe()
        );
    }
}

/// The rich site's first exercise after the "body edit" step.
fn rich_site_first_exercise() -> String {
    let site = rich_site();
    site.read("content/exercises/first.md")
        .replace("1. Try.", "1. Try harder.")
}

/// Runs every step at once, as fast as possible, then checks OUT.
fn edits_all_at_once_match_a_clean_build(watcher: Watcher, out: PathBuf) {
    let site = rich_site();
    let process = start_watch(&site, &out, watcher);
    let before = process.rebuilds();
    for (_, step) in steps() {
        step(&site);
    }
    process.wait_for_rebuild_after(before);
    process.wait_until_quiet(watcher.quiet());
    assert_same_as_clean_build(&site, &out, &process, "all steps at once");
    stop(process);
}

#[track_caller]
fn assert_same_as_clean_build(site: &Site, out: &Path, process: &Running, when: &str) {
    let clean = clean_build(site.root());
    if let Some(report) = tree_difference(&snapshot(out), &clean) {
        panic!(
            "after {when}, the watch output differs from a clean build:\n{report}\n{}",
            process.describe()
        );
    }
}

#[track_caller]
fn stop(mut process: Running) {
    let status = process.interrupt();
    let status =
        status.unwrap_or_else(|| panic!("watch did not stop on SIGINT\n{}", process.describe()));
    assert!(status.success(), "exit {status:?}\n{}", process.describe());
    assert!(
        process.lines().iter().any(|l| l == "stopped"),
        "{}",
        process.describe()
    );
}

#[test]
fn watch_edits_one_at_a_time_match_a_clean_build() {
    let site_independent_out = tempfile::tempdir().unwrap();
    edits_one_at_a_time_match_a_clean_build(
        Watcher::Native,
        site_independent_out.path().join("out"),
    );
}

#[test]
fn watch_edits_one_at_a_time_match_a_clean_build_when_polling() {
    let out = tempfile::tempdir().unwrap();
    edits_one_at_a_time_match_a_clean_build(Watcher::Polling, out.path().join("out"));
}

#[test]
fn watch_edits_all_at_once_match_a_clean_build() {
    let out = tempfile::tempdir().unwrap();
    edits_all_at_once_match_a_clean_build(Watcher::Native, out.path().join("out"));
}

#[test]
fn watch_edits_all_at_once_match_a_clean_build_when_polling() {
    let out = tempfile::tempdir().unwrap();
    edits_all_at_once_match_a_clean_build(Watcher::Polling, out.path().join("out"));
}

#[test]
fn watch_into_the_sites_own_public_folder_ignores_its_own_writes() {
    let site = rich_site();
    let out = site.path("public");
    let process = start_watch(&site, &out, Watcher::Native);
    process.wait_until_quiet(Duration::from_millis(500));
    assert_eq!(
        process.rebuilds(),
        0,
        "writing public/ made watch rebuild\n{}",
        process.describe()
    );
    let before = process.rebuilds();
    site.write(
        "content/exercises/second.md",
        "---\ntitle: Second\ndifficulty: advanced\ntags: [Stretch]\n---\nAgain, edited.\n",
    );
    process.wait_for_rebuild_after(before);
    process.wait_until_quiet(Duration::from_millis(500));
    // One save can reach the watcher in two bursts, and so rebuild twice;
    // a rebuild for anything but the saved file would be one for watch's
    // own writes.
    let rebuilds: Vec<String> = process
        .lines()
        .into_iter()
        .filter(|line| is_rebuild_line(line))
        .skip(before)
        .collect();
    assert!(
        rebuilds
            .iter()
            .all(|line| line.contains(" after content/exercises/second.md: ")),
        "a rebuild not caused by the edit\n{}",
        process.describe()
    );
    let clean = clean_build(site.root());
    if let Some(report) = tree_difference(&snapshot(&out), &clean) {
        panic!(
            "public/ differs from a clean build:\n{report}\n{}",
            process.describe()
        );
    }
    stop(process);
}

/// How many pages each rebuild reported after line `from` rendered.
fn rendered_since(process: &Running, from: usize) -> Vec<usize> {
    process.lines()[from..]
        .iter()
        .filter(|l| l.starts_with("rebuilt in "))
        .filter_map(|l| {
            l.split(": ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .collect()
}

/// Whether the rebuilds of one edit rendered `expected` pages. A loaded
/// machine may see the folders, the new file and its contents in more than
/// one burst, and rebuild for each: then every rebuild renders the same
/// pages or none, never others.
fn rendered_exactly(per_rebuild: &[usize], expected: usize) -> bool {
    per_rebuild.contains(&expected) && per_rebuild.iter().all(|&n| n == 0 || n == expected)
}

#[test]
fn a_template_edit_renders_only_the_pages_that_show_that_template() {
    let site = rich_site();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let process = start_watch(&site, &out, Watcher::Native);
    let all: usize = process
        .lines()
        .iter()
        .find_map(|l| {
            l.strip_prefix("built in ")?
                .split(": ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .expect("the first build says how many pages it rendered");
    let edit = |path: &str, text: &str| {
        let (before, from) = (process.rebuilds(), process.lines().len());
        site.write(path, text);
        process.wait_for_rebuild_after(before);
        process.wait_until_quiet(Watcher::Native.quiet());
        assert_same_as_clean_build(&site, &out, &process, &format!("an edit of {path}"));
        rendered_since(&process, from)
    };
    // The rich site has two exercises and two interviews; the person card
    // is only on interview pages; every page but the 404 page (a template
    // of its own) extends the base template.
    let exercise = "{% extends \"__salesbook/exercise.html\" %}\n\
        {% block content %}<p>Try it.</p>{{ super() }}{% endblock content %}\n";
    let rendered = edit("themes/default/templates/exercise.html", exercise);
    assert!(
        rendered_exactly(&rendered, 2),
        "{rendered:?}\n{}",
        process.describe()
    );
    let person = "<p class=\"person\">{{ person.name }}</p>\n";
    let rendered = edit("themes/default/templates/partials/person.html", person);
    assert!(
        rendered_exactly(&rendered, 2),
        "{rendered:?}\n{}",
        process.describe()
    );
    let base = "{% extends \"__salesbook/base.html\" %}\n\
        {% block title %}Lab: {{ super() }}{% endblock title %}\n";
    let rendered = edit("themes/default/templates/base.html", base);
    assert!(
        rendered_exactly(&rendered, all - 1),
        "{rendered:?}\n{}",
        process.describe()
    );
    stop(process);
}

/// Makes one change and waits for its rebuilds: none may fail, and OUT
/// must then be a clean build.
#[track_caller]
fn change_cleanly(site: &Site, out: &Path, process: &Running, what: &str, change: impl FnOnce()) {
    let (before, from) = (process.rebuilds(), process.lines().len());
    change();
    process.wait_for_rebuild_after(before);
    process.wait_until_quiet(Watcher::Native.quiet());
    let failed = process.lines()[from..]
        .iter()
        .any(|line| line.starts_with("error"));
    assert!(
        !failed,
        "a rebuild failed after {what}\n{}",
        process.describe()
    );
    assert_same_as_clean_build(site, out, process, what);
}

#[test]
fn a_static_file_and_a_folder_trading_places_rebuild_without_errors() {
    let site = Site::new()
        .file("static/handout", "One sheet.\n")
        .file("content/notes.md", "---\ntitle: Notes\n---\nNotes.\n");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let process = start_watch(&site, &out, Watcher::Native);
    change_cleanly(&site, &out, &process, "a file became a folder", || {
        site.remove("static/handout");
        site.write("static/handout/page-1.txt", "Page one.\n");
    });
    change_cleanly(&site, &out, &process, "the folder became a file", || {
        site.remove_dir("static/handout");
        site.write("static/handout", "One sheet again.\n");
    });
    // The page's folder `notes/` is where the static file goes.
    change_cleanly(&site, &out, &process, "a page gave way to a file", || {
        site.remove("content/notes.md");
        site.write("static/notes", "Plain notes.\n");
    });
    stop(process);
}

#[test]
fn an_output_folder_deleted_while_watching_is_written_again_at_once() {
    let site = rich_site();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let process = start_watch(&site, &out, Watcher::Native);
    change_cleanly(&site, &out, &process, "OUT deleted", || {
        std::fs::remove_dir_all(&out).unwrap()
    });
    std::fs::remove_dir_all(&out).unwrap();
    change_cleanly(&site, &out, &process, "OUT deleted and a body edit", || {
        site.write(
            "content/exercises/second.md",
            "---\ntitle: Second\ndifficulty: advanced\ntags: [Stretch]\n---\nAgain, edited.\n",
        )
    });
    stop(process);
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symbolic_link_gets_the_site_in_the_folder_it_names() {
    let site = rich_site();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real");
    std::fs::create_dir(&target).unwrap();
    let link = dir.path().join("public");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let process = start_watch(&site, &link, Watcher::Native);
    assert_same_as_clean_build(&site, &target, &process, "the first build");
    change_cleanly(&site, &target, &process, "a body edit", || {
        site.write(
            "content/exercises/second.md",
            "---\ntitle: Second\ndifficulty: advanced\ntags: [Stretch]\n---\nAgain, edited.\n",
        )
    });
    let still_a_link = std::fs::symlink_metadata(&link).unwrap().file_type();
    assert!(still_a_link.is_symlink(), "{}", process.describe());
    stop(process);
}

#[test]
fn a_full_disk_while_watching_leaves_no_page_cut_short_and_the_next_change_recovers() {
    let site = rich_site();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let disk_full = dir.path().join("disk-is-full");
    let process = Running::watch(
        site.root(),
        &out,
        &[(
            "SALESBOOK_FAULT_DISK_FULL_WHILE",
            disk_full.to_str().unwrap(),
        )],
    );
    let good = snapshot(&out);
    std::fs::write(&disk_full, "").unwrap();
    let before = process.rebuilds();
    // A new title: the page and the lists showing it are written again.
    site.write(
        "content/exercises/second.md",
        "---\ntitle: Second Round\ndifficulty: advanced\ntags: [Stretch]\n---\nAgain.\n",
    );
    process.wait_for_rebuild_after(before);
    process.wait_until_quiet(Watcher::Native.quiet());
    assert!(
        process
            .lines()
            .iter()
            .any(|l| l.starts_with("error") && l.contains("No space left on device")),
        "{}",
        process.describe()
    );
    if let Some(report) = tree_difference(&snapshot(&out), &good) {
        panic!(
            "a write that failed changed OUT:\n{report}\n{}",
            process.describe()
        );
    }
    std::fs::remove_file(&disk_full).unwrap();
    change_cleanly(&site, &out, &process, "an edit with room again", || {
        site.write(
            "content/exercises/second.md",
            "---\ntitle: Second Round\ndifficulty: advanced\ntags: [Stretch]\n---\nAgain, with room.\n",
        )
    });
    stop(process);
}

#[test]
fn sigterm_and_sighup_stop_watch_cleanly() {
    let site = rich_site();
    let dir = tempfile::tempdir().unwrap();
    for signal in [Signal::Terminate, Signal::Hangup] {
        let mut process = start_watch(&site, &dir.path().join("public"), Watcher::Native);
        let status = process.stop_with(signal);
        assert!(
            status.is_some_and(|s| s.success()),
            "{signal:?}: exit {status:?}\n{}",
            process.describe()
        );
        assert!(
            process.lines().iter().any(|l| l == "stopped"),
            "{}",
            process.describe()
        );
    }
}
