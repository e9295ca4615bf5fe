//! Robustness against hostile or broken input (issue 7): every bad input
//! gets a clear error at its file:line (or is handled), never a panic, a
//! hang or a write outside OUT. Bad inputs already proven elsewhere (tabs,
//! wrong types, duplicate keys, unclosed front matter, BOM and CRLF,
//! invalid UTF-8, `../` slugs, case-only slug collisions, `-o` at the site,
//! `content/`, `themes/` or `/`) are in `diagnostics.rs` and `atomic.rs`;
//! this file holds the shared helpers and front matter; paths and links
//! are in `robustness_paths.rs`, the output folder guard in
//! `robustness_output.rs`, templates, URL values and Markdown in
//! `robustness_render.rs`; faults (kill -9, disk full) are in
//! `robustness_faults.rs`, vanishing files and the watch limit in
//! `robustness_watch_faults.rs`, the dev server under load in
//! `robustness_server.rs`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{Run, Site, BIN};

/// How long a check of one hostile file may take (debug build, loaded CI
/// machine): the point is "seconds, not minutes".
pub const QUICK: Duration = Duration::from_secs(10);

/// Held by the tests that load the machine (thousands of pages, 50 MB, 200
/// clients), so they run one at a time and their time bounds stay fair.
pub fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HEAVY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs the binary in `dir` with extra environment variables.
pub fn run_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    run_limited(dir, args, envs, Duration::from_secs(600))
}

/// Like [`run_in`], but a run longer than `limit` is killed and fails the
/// test: a hang is a bug, and must not hang the test suite.
#[track_caller]
pub fn run_limited(dir: &Path, args: &[&str], envs: &[(&str, &str)], limit: Duration) -> Run {
    use std::process::Stdio;
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in envs {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("run salesbook");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut text);
        text
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "salesbook {} did not finish within {limit:?}: a hang",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    Run {
        code: status.code().unwrap_or_else(|| {
            panic!("salesbook was killed by a signal ({status:?}): a crash\n{stderr}")
        }),
        stdout,
        stderr,
    }
}

/// `salesbook check` of `site`, which must finish within [`QUICK`].
#[track_caller]
pub fn quick_check(site: &Site) -> Run {
    let started = Instant::now();
    let root = site.root().to_str().unwrap();
    let run = run_limited(site.root(), &["check", root], &[], QUICK);
    assert!(
        started.elapsed() < QUICK,
        "check took {:?} (bound {QUICK:?})\n{run}",
        started.elapsed()
    );
    run
}

/// `salesbook build ROOT`, which must finish within two minutes.
#[track_caller]
pub fn bounded_build(site: &Site) -> Run {
    let root = site.root().to_str().unwrap();
    run_limited(site.root(), &["build", root], &[], Duration::from_secs(120))
}

/// The one error line of `run` (exit 1, one error), without `error: `.
#[track_caller]
pub fn single_error(run: &Run) -> String {
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "expected one error\n{run}");
    errors[0].to_string()
}

/// A panic message or a Rust backtrace in stderr means the binary crashed
/// somewhere, even if it exited with a proper code.
#[track_caller]
pub fn assert_no_panic(run: &Run) {
    for sign in [
        "panicked at",
        "RUST_BACKTRACE",
        "stack overflow",
        "aborting",
    ] {
        assert!(!run.stderr.contains(sign), "stderr shows a crash\n{run}");
    }
}

// --- front matter: bounded time and memory ---------------------------------

/// A "billion laughs": nine levels of aliases, each nine times the one
/// before (9^9 = 387 million strings if expanded).
fn billion_laughs(indent: &str) -> String {
    let mut yaml = format!("{indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        yaml.push_str(&format!("{indent}{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    yaml
}

#[test]
fn a_yaml_alias_bomb_in_front_matter_is_refused_quickly_at_its_file_line() {
    let site = Site::new().file(
        "content/exercises/bomb.md",
        &format!(
            "---\ntitle: Bomb\nextra:\n{}---\nBody.\n",
            billion_laughs("  ")
        ),
    );
    let run = quick_check(&site);
    let error = single_error(&run);
    assert!(
        // At the key whose value holds the aliases.
        error.starts_with("content/exercises/bomb.md:3: repetition limit exceeded (YAML aliases"),
        "{run}"
    );
    assert_no_panic(&run);
}

#[test]
fn a_yaml_alias_bomb_in_site_yaml_is_refused_quickly() {
    let site = Site::new().file(
        "site.yaml",
        &format!("title: Lab\nextra:\n{}", billion_laughs("  ")),
    );
    let run = quick_check(&site);
    let error = single_error(&run);
    assert!(error.starts_with("site.yaml:"), "{run}");
    assert!(error.contains("repetition limit exceeded"), "{run}");
}

#[test]
fn ten_thousand_deep_flow_nesting_is_refused_quickly() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let site = Site::new().file(
        "content/exercises/deep.md",
        &format!("---\ntitle: Deep\nextra: {deep}\n---\n"),
    );
    let run = quick_check(&site);
    assert_eq!(
        single_error(&run),
        "content/exercises/deep.md:3: values are nested more than 64 levels deep \
         (front matter needs at most a few levels of `[...]` and `{...}`; write long lists one `- item` per line)"
    );
}

#[test]
fn ten_thousand_deep_mapping_nesting_is_refused_quickly() {
    let deep = format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000));
    let site = Site::new().file(
        "content/exercises/deep.md",
        &format!("---\ntitle: Deep\nextra: {deep}\n---\n"),
    );
    let run = quick_check(&site);
    assert!(
        single_error(&run)
            .starts_with("content/exercises/deep.md:3: values are nested more than 64 levels deep"),
        "{run}"
    );
}

#[test]
fn ten_thousand_deep_block_nesting_is_refused_quickly() {
    // `- - - ... x`: 10,000 block sequences, one inside the other.
    let site = Site::new().file(
        "content/exercises/deep.md",
        &format!(
            "---\ntitle: Deep\nextra:\n  {}x\n---\n",
            "- ".repeat(10_000)
        ),
    );
    let run = quick_check(&site);
    let error = single_error(&run);
    assert!(
        error.starts_with("content/exercises/deep.md:")
            && error.contains("the values are nested too deeply"),
        "{run}"
    );
}

/// The parser's time grew with the square of the flow depth: 100,000 `[`
/// (200 KB, under the size cap) took minutes before depth was capped.
#[test]
fn a_hundred_thousand_deep_nesting_under_the_size_cap_is_refused_quickly() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let site = Site::new()
        .file(
            "content/exercises/deep.md",
            &format!("---\ntitle: Deep\ntags: {deep}\n---\n"),
        )
        .file(
            "content/exercises/hidden.md",
            &format!(
                "---\ntitle: Hidden\nextra: [{}x]\n---\n",
                "'[[[[[[[[[[[[[[[[[[[', ".repeat(200)
            ),
        );
    let run = quick_check(&site);
    run.assert_errors(&[
        "content/exercises/deep.md:3: values are nested more than 64 levels deep",
        "content/exercises/hidden.md:3: front matter has more than 2048 `[` and `{`",
    ]);
}

#[test]
fn front_matter_over_the_size_cap_is_refused_before_parsing() {
    let long =
        "  line: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n".repeat(5_000);
    let site = Site::new().file(
        "content/exercises/huge.md",
        &format!("---\ntitle: Huge\nextra:\n{long}---\n"),
    );
    let run = quick_check(&site);
    let error = single_error(&run);
    assert!(
        error.starts_with("content/exercises/huge.md:2: front matter is ")
            && error.contains(
                "KiB, more than the 256 KiB allowed (move long text into the Markdown body)"
            ),
        "{run}"
    );
}

/// Peak memory (KiB) and exit code of a child process, from wait4(2).
#[cfg(target_os = "linux")]
fn wait_with_peak_memory(child: std::process::Child) -> (i32, i64) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, the pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    std::mem::forget(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        panic!("killed by signal {}: a crash", libc::WTERMSIG(status));
    };
    (code, usage.ru_maxrss)
}

#[cfg(target_os = "linux")]
#[test]
fn a_fifty_megabyte_body_builds_in_bounded_time_and_memory() {
    let _heavy = heavy();
    let site = Site::new();
    let paragraph =
        "Call the buyer, listen, ask one more question and write down what you heard. ".repeat(10);
    let mut body = String::with_capacity(51 << 20);
    let mut section = 0;
    while body.len() < 50 << 20 {
        section += 1;
        body.push_str(&format!("## Part {section}\n\n"));
        for _ in 0..20 {
            body.push_str(&paragraph);
            body.push_str("\n\n");
        }
    }
    site.write(
        "content/exercises/big.md",
        format!("---\ntitle: Big\n---\n{body}The end of the big page.\n"),
    );
    drop(body);
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let child = Command::new(BIN)
        .args(["build", site.root().to_str().unwrap(), "-o"])
        .arg(out.path().join("public"))
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (code, peak_kib) = wait_with_peak_memory(child);
    let took = started.elapsed();
    assert_eq!(code, 0, "the 50 MB page did not build");
    assert!(took < Duration::from_secs(150), "building took {took:?}");
    assert!(
        peak_kib < 2 * 1024 * 1024,
        "building a 50 MB page took {} MiB of memory",
        peak_kib / 1024
    );
    let html = std::fs::read_to_string(out.path().join("public/exercises/big/index.html")).unwrap();
    assert!(html.contains("The end of the big page."));
    assert!(html.contains(&format!("id=\"part-{section}\"")));
}

// --- front matter: odd files ------------------------------------------------

#[test]
fn an_empty_file_is_reported_at_line_one() {
    let run = quick_check(&Site::new().file("content/exercises/empty.md", ""));
    run.assert_errors(&["content/exercises/empty.md:1: the file does not start with front matter"]);
}

#[test]
fn an_empty_front_matter_reports_the_missing_title() {
    let run = quick_check(&Site::new().file("content/exercises/bare.md", "---\n---\nBody.\n"));
    run.assert_errors(&["content/exercises/bare.md:1: missing `title`"]);
}

#[test]
fn a_bom_with_lf_line_ends_and_a_bom_in_site_yaml_are_accepted() {
    let site = Site::new()
        .bytes("site.yaml", b"\xef\xbb\xbftitle: Bom Lab\r\n")
        .bytes(
            "content/exercises/x.md",
            b"\xef\xbb\xbf---\ntitle: Bom\n---\n## Head\n\nSee [here](#head).\n",
        );
    bounded_build(&site).assert_success();
    let html = site.read("public/exercises/x/index.html");
    assert!(
        html.contains("<h1>Bom</h1>") && html.contains("Bom Lab"),
        "{html}"
    );
}

#[test]
fn invalid_utf8_inside_the_front_matter_is_at_its_line() {
    let run =
        quick_check(&Site::new().bytes("content/exercises/x.md", b"---\ntitle: Caf\xe9\n---\n"));
    run.assert_errors(&[
        "content/exercises/x.md:2: the file is not valid UTF-8 (save it with UTF-8 encoding)",
    ]);
}

#[test]
fn a_utf16_file_is_reported_as_not_utf8() {
    let mut bytes = vec![0xff, 0xfe];
    for unit in "---\ntitle: A\n---\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let run = quick_check(&Site::new().bytes("content/exercises/x.md", &bytes));
    run.assert_errors(&["content/exercises/x.md:1: the file is not valid UTF-8"]);
}

#[test]
fn a_nul_character_in_front_matter_is_an_error_at_its_file() {
    let run = quick_check(&Site::new().bytes("content/exercises/x.md", b"---\ntitle: A\0B\n---\n"));
    let error = single_error(&run);
    assert!(error.starts_with("content/exercises/x.md:"), "{run}");
    assert_no_panic(&run);
}

#[test]
fn non_markdown_files_in_content_are_ignored_with_a_warning() {
    let site = Site::new()
        .file("content/exercises/x.md", "---\ntitle: X\n---\n")
        .bytes("content/exercises/photo.png", b"\x89PNG")
        .file("content/notes.txt", "notes")
        .file("content/interviews/data.json", "{}")
        .file("content/exercises/.x.md.swp", "swap")
        .file("content/exercises/x.md~", "backup");
    let run = bounded_build(&site);
    run.assert_success();
    for file in [
        "content/exercises/photo.png",
        "content/interviews/data.json",
        "content/notes.txt",
    ] {
        run.assert_stderr_contains(&format!(
            "warning: {file}: not a Markdown file; ignored (put images and downloads in static/"
        ));
    }
    assert_eq!(run.stderr.matches("warning:").count(), 3, "{run}");
    let files = site.all_files("public");
    assert!(
        !files
            .iter()
            .any(|f| f.contains("photo") || f.contains("notes") || f.contains("data.json")),
        "a non-Markdown content file was published: {files:?}"
    );
}
