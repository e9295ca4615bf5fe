//! Faults (issue 7): `kill -9` in the middle of builds, files deleted,
//! renamed or made unreadable while `build` and `watch` run, an exhausted
//! inotify watch limit, and a full disk. After each, OUT is the old site or
//! the new one, byte for byte, and the next build recovers.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::live_support::{
    clean_build, is_rebuild_line, next_wall_clock_second, poll_until, tree_difference, Running,
    Server, PATIENCE,
};
use crate::robustness::{heavy, run_in};
use crate::support::{snapshot, Run, Site, BIN};

/// A small deterministic random number generator (xorshift64*), so every
/// run kills at the same moments.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "call",
    "prospect",
    "buyer",
    "question",
    "listen",
    "practise",
    "tweak",
    "attempt",
    "routine",
    "habit",
    "pipeline",
    "deal",
    "value",
    "outcome",
    "trust",
    "rapport",
    "objection",
    "price",
];

fn words(rng: &mut Rng, count: usize) -> String {
    (0..count)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A generated site of `pages` interviews and exercises (half each), ten
/// speakers and a track; `revision` 0 or 1 gives two versions that differ
/// in some page texts and in 20 pages that only version 1 has.
pub fn generated_site(pages: usize) -> Site {
    let site = Site::new();
    let mut rng = Rng::new(7);
    for s in 0..10 {
        site.write(
            &format!("content/speakers/s{s}.md"),
            format!("---\nname: Speaker {s}\nrole: Coach\n---\nSpeaker {s} coaches.\n"),
        );
    }
    let half = pages / 2;
    for n in 0..half {
        site.write(
            &format!("content/interviews/i{n}.md"),
            format!(
                "---\ntitle: Interview {n}\ndate: 2026-01-{:02}\ntags: [topic-{}]\nhost: s{}\nlearn: [{}]\n---\n\
                 ## Why\n\n{}\n\nTry [the exercise](../exercises/e{n}.md).\n\n> {}\n>\n> — Speaker {}\n",
                n % 28 + 1,
                n % 20,
                n % 10,
                words(&mut rng, 4),
                words(&mut rng, 60),
                words(&mut rng, 12),
                n % 10
            ),
        );
        site.write(
            &format!("content/exercises/e{n}.md"),
            format!(
                "---\ntitle: Exercise {n}\ndifficulty: beginner\nattempts: 3\ntags: [topic-{}]\nrelated: [interviews/i{n}]\n---\n\
                 ## Steps\n\n1. {}\n2. {}\n",
                n % 20,
                words(&mut rng, 30),
                words(&mut rng, 30)
            ),
        );
    }
    site.write(
        "content/tracks/t.md",
        format!(
            "---\ntitle: Track\nitems: [{}]\n---\nIn order.\n",
            (0..10)
                .map(|n| format!("exercises/e{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    site
}

/// Switches a [`generated_site`] to `revision` (0 or 1).
pub fn set_revision(site: &Site, revision: u32) {
    for k in 0..20 {
        let path = format!("content/exercises/extra{k}.md");
        if revision == 1 {
            site.write(
                &path,
                format!("---\ntitle: Extra {k}\n---\nOnly in revision one.\n"),
            );
        } else if site.exists(&path) {
            site.remove(&path);
        }
    }
    let note = if revision == 1 {
        "Revised text."
    } else {
        "First text."
    };
    site.write(
        "content/_index.md",
        format!("---\ntitle: Home\n---\nWelcome. {note}\n"),
    );
    site.write(
        "content/exercises/e1.md",
        format!("---\ntitle: Exercise 1 ({note})\n---\n{note}\n"),
    );
}

/// Every file under `dir` with a hash of its bytes (fast to compare).
pub fn hashes(dir: &Path) -> BTreeMap<String, u64> {
    snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            (path, hasher.finish())
        })
        .collect()
}

/// Names in `dir` other than `keep`.
fn strays(dir: &Path, keep: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != keep)
        .collect()
}

#[track_caller]
fn build_into(site: &Site, out: &Path, envs: &[(&str, &str)]) -> Run {
    run_in(
        site.root(),
        &[
            "build",
            site.root().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        envs,
    )
}

// --- kill -9 ------------------------------------------------------------------

#[test]
fn fifty_kill_9s_during_builds_leave_the_old_or_the_new_site_byte_for_byte() {
    let _heavy = heavy();
    let site = generated_site(2_000);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    // Snapshots of both versions from clean builds.
    let mut versions = Vec::new();
    let mut build_time = Duration::ZERO;
    for revision in [1, 0] {
        set_revision(&site, revision);
        let started = Instant::now();
        build_into(&site, &out, &[]).assert_success();
        build_time = build_time.max(started.elapsed());
        versions.push(hashes(&out));
    }
    versions.reverse();
    assert!(versions[0].len() > 2_000, "{} files", versions[0].len());
    assert_ne!(versions[0], versions[1]);
    let mut current = 0;
    let mut rng = Rng::new(2026);
    let mut outcomes = [0usize; 2];
    // Kill delays are drawn from 0 to a bit more than a whole build; the
    // bound follows each build that finishes, up or down, because builds
    // in this loop run warm and the machine's load changes as they go.
    // Builds here can take much longer than the clean ones measured above
    // (each clears what the killed one before it left, and on a loaded
    // machine everything is slower), so while kills keep interrupting
    // builds the bound grows by half every four of them: otherwise no
    // kill might land after a swap, as happened under load with a quarter
    // every eight.
    let mut limit = build_time * 7 / 5;
    let (mut interrupted, mut in_a_row) = (0, 0);
    for kill in 0..50 {
        let target = 1 - current;
        set_revision(&site, target as u32);
        let delay = Duration::from_millis(rng.below(limit.as_millis() as u64));
        let spawned = Instant::now();
        let mut child = Command::new(BIN)
            .args([
                "build",
                site.root().to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let finished = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if spawned.elapsed() >= delay {
                break None;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let status = match finished {
            Some(status) => {
                limit = spawned.elapsed() * 7 / 5;
                in_a_row = 0;
                status
            }
            None => {
                let _ = child.kill();
                interrupted += 1;
                in_a_row += 1;
                if in_a_row >= 4 {
                    limit = limit * 3 / 2;
                    in_a_row = 0;
                }
                child.wait().unwrap()
            }
        };
        let now = hashes(&out);
        let which = versions.iter().position(|v| *v == now).unwrap_or_else(|| {
            panic!(
                "kill {kill} after {delay:?} ({status:?}) left OUT neither the old nor the new site:\n{}",
                tree_difference_of_hashes(&now, &versions[current])
            )
        });
        assert!(
            which == current || which == target,
            "kill {kill}: OUT went back to an older site"
        );
        outcomes[usize::from(which == target)] += 1;
        current = which;
    }
    // Most kills hit a running build, and both outcomes happened: kills
    // landed before the swap and after it.
    assert!(
        interrupted >= 25,
        "only {interrupted} kills interrupted a build"
    );
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "outcomes {outcomes:?}");
    eprintln!(
        "{interrupted} of 50 kills interrupted a build; old site kept {} times, new site {} times",
        outcomes[0], outcomes[1]
    );
    // The next build recovers and clears what the killed ones left.
    set_revision(&site, 1);
    build_into(&site, &out, &[]).assert_success();
    assert_eq!(hashes(&out), versions[1]);
    assert_eq!(strays(parent.path(), "public"), Vec::<String>::new());
}

fn tree_difference_of_hashes(got: &BTreeMap<String, u64>, want: &BTreeMap<String, u64>) -> String {
    let to_bytes = |tree: &BTreeMap<String, u64>| -> BTreeMap<String, Vec<u8>> {
        tree.iter()
            .map(|(k, v)| (k.clone(), v.to_le_bytes().to_vec()))
            .collect()
    };
    tree_difference(&to_bytes(got), &to_bytes(want)).unwrap_or_default()
}

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

/// `salesbook watch ROOT -o OUT` with `envs`, once its first build is done.
fn start_watch(site: &Site, out: &Path, envs: &[(&str, &str)]) -> Running {
    let process = Running::spawn(
        site.root(),
        &[
            "watch",
            site.root().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        envs,
    );
    assert!(
        process
            .wait_for_line(PATIENCE, |l| l.starts_with("watching "))
            .is_some(),
        "watch did not start\n{}",
        process.describe()
    );
    process
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
    let process = start_watch(&site, &out, &[]);
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
    let process = start_watch(
        &site,
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
    let process = start_watch(&site, &out, &[]);
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
    let process = start_watch(&site, &out, &[("SALESBOOK_FAULT_WATCH_LIMIT", "1")]);
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

// --- a full disk ------------------------------------------------------------------

/// Checks after a build that ran out of space: exit 2, a clear message,
/// OUT exactly as before, nothing left beside it.
#[track_caller]
fn assert_disk_full_handled(run: &Run, out: &Path, before: &BTreeMap<String, Vec<u8>>) {
    run.assert_code(2);
    assert!(
        run.stderr.contains("No space left on device") || run.stderr.contains("os error 28"),
        "{run}"
    );
    run.assert_stderr_contains("(the previous output was left as it was)");
    assert!(!run.stderr.contains("panicked"), "{run}");
    assert!(snapshot(out) == *before, "OUT changed after a failed write");
    assert_eq!(
        strays(out.parent().unwrap(), "public"),
        Vec::<String>::new(),
        "staging left behind"
    );
}

#[test]
fn an_injected_disk_full_error_keeps_the_previous_output_and_leaves_nothing_behind() {
    let site = crate::support::rich_site();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_into(&site, &out, &[]).assert_success();
    let before = snapshot(&out);
    site.write("content/about.md", "---\ntitle: About\n---\nChanged.\n");
    for after in ["0", "3", "12"] {
        let run = build_into(&site, &out, &[("SALESBOOK_FAULT_DISK_FULL_AFTER", after)]);
        assert_disk_full_handled(&run, &out, &before);
    }
    build_into(&site, &out, &[]).assert_success();
    assert_eq!(
        tree_difference(&snapshot(&out), &clean_build(site.root())),
        None
    );
}

/// A tmpfs of `kib` KiB mounted on `dir` for the life of the value.
pub struct Tmpfs(PathBuf);

impl Tmpfs {
    pub fn mount(dir: &Path, kib: u64) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

#[test]
fn a_full_disk_keeps_the_previous_output_and_leaves_nothing_behind() {
    let site = crate::support::rich_site();
    // How much one build takes on a tmpfs (whole 4 KiB pages per file).
    let measure = tempfile::tempdir().unwrap();
    build_into(&site, &measure.path().join("public"), &[]).assert_success();
    let one_build: u64 = snapshot(&measure.path().join("public"))
        .values()
        .map(|bytes| (bytes.len() as u64).div_ceil(4096) * 4)
        .sum();
    let dir = tempfile::tempdir().unwrap();
    let mount_point = dir.path().join("disk");
    std::fs::create_dir(&mount_point).unwrap();
    // Room for one build and a half: the first fits, the second (written
    // beside the first) runs out of space.
    let Some(_tmpfs) = Tmpfs::mount(&mount_point, one_build * 3 / 2) else {
        eprintln!("cannot mount a tmpfs here (not root, or no permission): the injected fault test covers a full disk");
        return;
    };
    let out = mount_point.join("public");
    build_into(&site, &out, &[]).assert_success();
    let before = snapshot(&out);
    site.write("content/about.md", "---\ntitle: About\n---\nChanged.\n");
    let run = build_into(&site, &out, &[]);
    assert_disk_full_handled(&run, &out, &before);
    // Once there is room again, the next build recovers.
    std::fs::remove_dir_all(&out).unwrap();
    build_into(&site, &out, &[]).assert_success();
    assert_eq!(
        tree_difference(&snapshot(&out), &clean_build(site.root())),
        None
    );
}

#[test]
fn check_reports_an_io_error_in_the_chosen_format() {
    // A theme file the LMS package holds disappears after the theme was
    // read: packaging fails to read it, an I/O error (exit 2).
    let site = Site::new()
        .file("site.yaml", "title: Test Lab\ntheme: mine\n")
        .file(
            "content/exercises/a.md",
            "---\ntitle: A\n---\n![the script](/img/script.png)\n",
        )
        .file(
            "content/tracks/t.md",
            "---\ntitle: T\nitems: [exercises/a]\n---\n",
        )
        .bytes("themes/mine/static/img/script.png", b"\x89PNG not really");
    let mut child = Command::new(BIN)
        .args(["check", ".", "--lms", "scorm12", "--format", "json"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .env("SALESBOOK_FAULT_PAUSE_AFTER_LOAD_MS", "1000")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while std::io::BufRead::read_line(&mut stderr, &mut line).unwrap() > 0
        && !line.starts_with("fault: paused")
    {
        line.clear();
    }
    assert!(line.starts_with("fault: paused"), "{line}");
    site.remove("themes/mine/static/img/script.png");
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let error: serde_json::Value = stdout
        .lines()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no JSON object in {stdout:?}"));
    assert_eq!(error["severity"], "error", "{stdout}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("cannot read "), "{stdout}");
}
