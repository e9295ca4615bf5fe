//! Robustness against hostile or broken input (issue 7): every bad input
//! gets a clear error at its file:line (or is handled), never a panic, a
//! hang or a write outside OUT. Bad inputs already proven elsewhere (tabs,
//! wrong types, duplicate keys, unclosed front matter, BOM and CRLF,
//! invalid UTF-8, `../` slugs, case-only slug collisions, `-o` at the site,
//! `content/`, `themes/` or `/`) are in `diagnostics.rs` and `atomic.rs`;
//! faults (kill -9, disk full, vanishing files, the watch limit) are in
//! `robustness_faults.rs`, the dev server under load in
//! `robustness_server.rs`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{snapshot, Run, Site, BIN};

/// How long a check of one hostile file may take (debug build, loaded CI
/// machine): the point is "seconds, not minutes".
const QUICK: Duration = Duration::from_secs(10);

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
fn quick_check(site: &Site) -> Run {
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
fn bounded_build(site: &Site) -> Run {
    let root = site.root().to_str().unwrap();
    run_limited(site.root(), &["build", root], &[], Duration::from_secs(120))
}

/// The one error line of `run` (exit 1, one error), without `error: `.
#[track_caller]
fn single_error(run: &Run) -> String {
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "expected one error\n{run}");
    errors[0].to_string()
}

/// A panic message or a Rust backtrace in stderr means the binary crashed
/// somewhere, even if it exited with a proper code.
#[track_caller]
fn assert_no_panic(run: &Run) {
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
            && error.contains("recursion limit exceeded (the values are nested too deeply"),
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

// --- paths ------------------------------------------------------------------

#[test]
fn unsafe_slugs_are_rejected_at_their_line() {
    for (yaml, shown) in [
        (r#""/abs""#, r#""/abs""#),
        (r#""/etc/passwd""#, r#""/etc/passwd""#),
        (r#""a\\b""#, r#""a\\b""#),
        (r#""..\\..\\x""#, r#""..\\..\\x""#),
        (r#""C:""#, r#""C:""#),
        (r#""C:\\x""#, r#""C:\\x""#),
        (r#""a\0b""#, r#""a\0b""#),
        (r#""a\x01b""#, r#""a\u{1}b""#),
        (r#""a\nb""#, r#""a\nb""#),
        (r#""a b""#, r#""a b""#),
        (r#"".""#, r#"".""#),
        (r#""..""#, r#""..""#),
        (r#""....""#, r#""....""#),
        (r#""a/../../b""#, r#""a/../../b""#),
        (r#""%2e%2e""#, r#""%2e%2e""#),
    ] {
        let site = Site::new().file(
            "content/exercises/x.md",
            &format!("---\ntitle: A\nslug: {yaml}\n---\n"),
        );
        let run = quick_check(&site);
        run.assert_errors(&[&format!(
            "content/exercises/x.md:3: `slug` cannot be used in a URL: {shown}"
        )]);
    }
}

/// Files of a folder, recursively, as relative paths (for stray checks).
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn odd_file_names_become_safe_urls_and_nothing_is_written_outside_out() {
    let site = Site::new();
    for name in [
        "a\\b",
        "C:x",
        "tab\there",
        "new\nline",
        "\u{1}ctl",
        "x..",
        "..x",
        "Spaced Out",
        "ünï",
    ] {
        site.write(
            &format!("content/exercises/{name}.md"),
            "---\ntitle: T\n---\nBody.\n",
        );
    }
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    let tmp = tempfile::tempdir().unwrap();
    let tmp_path = tmp.path().to_str().unwrap();
    let before = listing(site.root());
    let run = run_in(
        site.root(),
        &[
            "build",
            site.root().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        &[("TMPDIR", tmp_path)],
    );
    run.assert_success();
    let mut made: Vec<String> = std::fs::read_dir(out.join("exercises"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.html")
        .collect();
    made.sort();
    assert_eq!(
        made,
        [
            "a-b",
            "c-x",
            "ctl",
            "new-line",
            "spaced-out",
            "tab-here",
            "x",
            "ünï"
        ],
        "{run}"
    );
    // `..x` is a hidden file (ignored); nothing else anywhere.
    assert_eq!(
        listing(parent.path())
            .iter()
            .filter(|f| !f.starts_with("public"))
            .count(),
        0
    );
    assert!(
        listing(tmp.path()).is_empty(),
        "strays in TMPDIR: {:?}",
        listing(tmp.path())
    );
    assert_eq!(
        listing(site.root()),
        before,
        "the build wrote into the site folder"
    );
}

#[test]
fn a_file_name_without_letters_or_digits_is_rejected() {
    let run = quick_check(
        &Site::new()
            .file("content/exercises/-.md", "---\ntitle: A\n---\n")
            .file("content/exercises/—.md", "---\ntitle: B\n---\n"),
    );
    run.assert_errors(&[
        "content/exercises/-.md:1: the file name has no letters or digits to make a URL from",
        "content/exercises/—.md:1: the file name has no letters or digits to make a URL from",
    ]);
}

/// Every error line names all of `files` (in any order) and the URL.
#[track_caller]
fn assert_collision(run: &Run, url: &str, files: &[&str]) {
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), files.len(), "one error per source\n{run}");
    for error in &errors {
        assert!(
            error.contains(&format!("{} pages have the URL {url}", files.len())),
            "{run}"
        );
        for file in files {
            assert!(error.contains(file), "{error} does not name {file}\n{run}");
        }
    }
}

#[test]
fn file_names_differing_only_by_case_collide_naming_every_source() {
    let run = quick_check(
        &Site::new()
            .file("content/exercises/Cold-Call.md", "---\ntitle: A\n---\n")
            .file("content/exercises/sub/cold-call.md", "---\ntitle: B\n---\n")
            .file("content/exercises/COLD-CALL.md", "---\ntitle: C\n---\n"),
    );
    assert_collision(
        &run,
        "/exercises/cold-call/",
        &[
            "content/exercises/COLD-CALL.md",
            "content/exercises/Cold-Call.md",
            "content/exercises/sub/cold-call.md",
        ],
    );
}

#[test]
fn urls_differing_only_by_unicode_normalisation_collide_naming_every_source() {
    let composed = "caf\u{e9}";
    let decomposed = "cafe\u{301}";
    let site = Site::new()
        .file(
            &format!("content/exercises/{composed}.md"),
            "---\ntitle: A\n---\n",
        )
        .file(
            &format!("content/exercises/sub/{decomposed}.md"),
            "---\ntitle: B\n---\n",
        )
        .file(
            "content/exercises/one.md",
            "---\ntitle: C\nslug: \"CAFE\\u0301\"\n---\n",
        )
        .file(
            "content/exercises/two.md",
            "---\ntitle: D\nslug: Caf\u{e9}\n---\n",
        );
    let run = quick_check(&site);
    assert_collision(
        &run,
        "/exercises/caf\u{e9}/",
        &[
            &format!("content/exercises/{composed}.md"),
            &format!("content/exercises/sub/{decomposed}.md"),
            "content/exercises/one.md",
            "content/exercises/two.md",
        ],
    );
}

// --- symbolic links ---------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlinks_leaving_the_site_are_not_followed_with_a_warning() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = "secret-outside-the-site-4d1f";
    std::fs::write(
        outside.path().join("x.md"),
        format!("---\ntitle: {secret}\n---\n{secret}\n"),
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.txt"), secret).unwrap();
    let site = Site::new()
        .file("content/exercises/real.md", "---\ntitle: Real\n---\n")
        .file("themes/default/static/keep.txt", "keep");
    for (link, target) in [
        ("content/exercises/link.md", outside.path().join("x.md")),
        ("content/outside", outside.path().to_path_buf()),
        (
            "content/exercises/dangling.md",
            outside.path().join("missing.md"),
        ),
        ("static/secret.txt", outside.path().join("secret.txt")),
        ("static/etc", "/etc".into()),
        (
            "themes/default/templates/page.html",
            outside.path().join("x.md"),
        ),
        ("themes/default/static/passwd", "/etc/passwd".into()),
    ] {
        std::fs::create_dir_all(site.path(link).parent().unwrap()).unwrap();
        symlink(target, site.path(link)).unwrap();
    }
    let run = bounded_build(&site);
    run.assert_success();
    for link in [
        "content/exercises/dangling.md",
        "content/exercises/link.md",
        "content/outside",
        "static/etc",
        "static/secret.txt",
        "themes/default/static/passwd",
        "themes/default/templates/page.html",
    ] {
        run.assert_stderr_contains(&format!("warning: {link}: symbolic link not followed"));
    }
    for (path, bytes) in site.snapshot("public") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(secret) && !text.contains("root:x:0:0"),
            "public/{path} holds a file from outside the site"
        );
    }
    assert!(site.exists("public/keep.txt") && site.exists("public/exercises/real/index.html"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed_and_do_not_hang() {
    use std::os::unix::fs::symlink;
    let site = Site::new().file("content/exercises/real.md", "---\ntitle: Real\n---\n");
    for (link, target) in [
        ("content/exercises/loop", ".."),
        ("content/self", "."),
        ("content/a/b", "../a"),
        ("content/ping", "pong"),
        ("content/pong", "ping"),
        ("static/loop", "."),
        ("themes/default/templates/loop", "../.."),
    ] {
        std::fs::create_dir_all(site.path(link).parent().unwrap()).unwrap();
        symlink(target, site.path(link)).unwrap();
    }
    let started = Instant::now();
    let run = bounded_build(&site);
    assert!(started.elapsed() < QUICK, "{:?}", started.elapsed());
    run.assert_success();
    assert_eq!(
        run.stderr.matches("symbolic link not followed").count(),
        7,
        "{run}"
    );
}

// --- the output folder --------------------------------------------------------

/// `build -o OUT` (and `watch -o OUT`) exit 2 with "refusing to use", and
/// nothing under `guard` changed.
#[track_caller]
fn assert_output_refused(site: &Site, out: &Path, guard: &Path, envs: &[(&str, &str)]) {
    let before = snapshot(guard);
    for command in ["build", "watch"] {
        let started = Instant::now();
        let run = run_in(
            site.root(),
            &[
                command,
                site.root().to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            envs,
        );
        assert!(
            started.elapsed() < QUICK,
            "{command} -o {} did not stop",
            out.display()
        );
        run.assert_code(2).assert_stderr_contains("refusing to use");
        assert!(
            snapshot(guard) == before,
            "{command} -o {} changed {}",
            out.display(),
            guard.display()
        );
    }
}

#[test]
fn the_home_folder_is_refused_as_output() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".profile"), "precious").unwrap();
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\n");
    let home_str = home.path().to_str().unwrap().to_string();
    assert_output_refused(&site, home.path(), home.path(), &[("HOME", &home_str)]);
    // Spelt with `.` and `..` through folders that do not exist yet, it is
    // still the home folder. (`HOME/sub/../../<home>` used to pass the check:
    // the build then created `sub`, swapped the site in and deleted HOME.)
    let dotted = home.path().join(".").join("sub").join("..");
    assert_output_refused(&site, &dotted, home.path(), &[("HOME", &home_str)]);
    let round_trip = home
        .path()
        .join("sub/../..")
        .join(home.path().file_name().unwrap());
    assert_output_refused(&site, &round_trip, home.path(), &[("HOME", &home_str)]);
    assert!(
        !home.path().join("sub").exists(),
        "a refused build created a folder"
    );
}

#[test]
fn an_ancestor_of_the_home_folder_is_refused_as_output() {
    let parent = tempfile::tempdir().unwrap();
    let home = parent.path().join("home/jo");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".profile"), "precious").unwrap();
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\n");
    let home_str = home.to_str().unwrap().to_string();
    for out in [
        parent.path().join("home"),
        parent.path().to_path_buf(),
        home.join("../.."),
    ] {
        assert_output_refused(&site, &out, parent.path(), &[("HOME", &home_str)]);
    }
}

/// A site whose `content/`, `static/` and theme are symbolic links to
/// folders in `real/` beside it.
#[cfg(unix)]
fn site_with_linked_sources() -> (tempfile::TempDir, std::path::PathBuf) {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (root, real) = (dir.path().join("site"), dir.path().join("real"));
    for (path, text) in [
        ("site/site.yaml", "title: Linked\n"),
        (
            "real/content/_index.md",
            "---\ntitle: Home\n---\nWelcome.\n",
        ),
        ("real/content/about.md", "---\ntitle: About\n---\nUs.\n"),
        ("real/static/logo.txt", "logo"),
        ("real/theme/static/extra.txt", "extra"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir(root.join("themes")).unwrap();
    symlink(real.join("content"), root.join("content")).unwrap();
    symlink("../real/static", root.join("static")).unwrap();
    symlink(real.join("theme"), root.join("themes/default")).unwrap();
    (dir, root)
}

#[cfg(unix)]
#[test]
fn linked_content_static_and_theme_folders_are_read_through_without_a_false_warning() {
    let (_dir, root) = site_with_linked_sources();
    let run = run_in(&root, &["build", "."], &[]);
    run.assert_success()
        .assert_stderr_lacks("symbolic link not followed");
    for file in ["about/index.html", "logo.txt", "extra.txt"] {
        assert!(root.join("public").join(file).is_file(), "no public/{file}");
    }
}

#[cfg(unix)]
#[test]
fn the_folders_behind_linked_sources_are_refused_as_output() {
    let (dir, root) = site_with_linked_sources();
    let copy = SiteAt(root.clone());
    let real = dir.path().join("real");
    for out in [
        root.join("content"),
        root.join("static/img"),
        root.join("themes/default"),
        real.join("content"),
        real.join("static/../content"),
        real.join("theme/static"),
        real.clone(),
    ] {
        copy.assert_refused(&out, &real);
    }
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_site_yaml_or_content_is_an_error_not_a_hang() {
    let site = Site::new().file("content/exercises/x.md", "---\ntitle: X\n---\n");
    for fifo in ["content/exercises/pipe.md", "static/pipe.txt"] {
        std::fs::create_dir_all(site.path(fifo).parent().unwrap()).unwrap();
        let made = Command::new("mkfifo")
            .arg(site.path(fifo))
            .status()
            .unwrap();
        assert!(made.success());
    }
    bounded_build(&site).assert_success();
    site.remove("site.yaml");
    assert!(Command::new("mkfifo")
        .arg(site.path("site.yaml"))
        .status()
        .unwrap()
        .success());
    let run = quick_check(&site);
    run.assert_errors(&["site.yaml: site.yaml is not a regular file"]);
}

#[test]
fn the_static_folder_site_yaml_and_the_sites_parent_are_refused_as_output() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    std::fs::create_dir(&root).unwrap();
    let site = Site::new()
        .file("static/img/x.png", "png")
        .file("content/about.md", "---\ntitle: About\n---\n");
    // Work on a copy inside `parent`, so its parent can be guarded too.
    for (path, bytes) in site.snapshot(".") {
        let target = root.join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    let copy = SiteAt(root.clone());
    for out in [
        root.join("static"),
        root.join("static/img"),
        root.join("site.yaml"),
        root.join("content/exercises"),
        parent.path().to_path_buf(),
        root.join(".."),
        root.join("public/../.."),
    ] {
        copy.assert_refused(&out, parent.path());
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_to_the_site_root_is_refused_as_output() {
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\n");
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("looks-harmless");
    std::os::unix::fs::symlink(site.root(), &link).unwrap();
    assert_output_refused(&site, &link, site.root(), &[]);
    let into_content = links.path().join("into-content");
    std::os::unix::fs::symlink(site.path("content"), &into_content).unwrap();
    assert_output_refused(&site, &into_content.join("sub"), site.root(), &[]);
}

/// A site folder that is not a temporary [`Site`].
struct SiteAt(std::path::PathBuf);

impl SiteAt {
    #[track_caller]
    fn assert_refused(&self, out: &Path, guard: &Path) {
        let before = snapshot(guard);
        let run = run_in(
            &self.0,
            &[
                "build",
                self.0.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            &[],
        );
        run.assert_code(2).assert_stderr_contains("refusing to use");
        assert!(
            snapshot(guard) == before,
            "-o {} changed {}",
            out.display(),
            guard.display()
        );
    }
}

// --- templates ----------------------------------------------------------------

/// A site with an about page and these theme templates.
fn themed(templates: &[(&str, &str)]) -> Site {
    let mut site = Site::new().file("content/about.md", "---\ntitle: About\n---\nHello.\n");
    for (name, text) in templates {
        site = site.file(&format!("themes/default/templates/{name}"), text);
    }
    site
}

/// The build fails with exit 1 and exactly one error starting with
/// `expected`, writes nothing and does not crash.
#[track_caller]
fn assert_template_error(site: &Site, expected: &str) -> Run {
    let started = Instant::now();
    let run = bounded_build(site);
    assert!(started.elapsed() < QUICK);
    run.assert_errors(&[expected]);
    assert_no_panic(&run);
    assert!(!site.exists("public"), "a failed build wrote public/");
    run
}

#[test]
fn an_include_cycle_names_the_template_and_line() {
    let site = themed(&[
        ("a.html", "a\n{% include \"b.html\" %}\n"),
        ("b.html", "b\n\n{% include \"a.html\" %}\n"),
        ("page.html", "{% include \"a.html\" %}\n"),
    ]);
    assert_template_error(
        &site,
        "themes/default/templates/a.html:2: templates include each other in a circle: a.html -> b.html -> a.html",
    );
}

#[test]
fn an_extends_cycle_names_the_template_and_line() {
    let site = themed(&[
        ("a.html", "{% extends \"b.html\" %}\n"),
        ("b.html", "{% extends \"a.html\" %}\n"),
        ("page.html", "{% extends \"a.html\" %}\n"),
    ]);
    let run = bounded_build(&site);
    run.assert_code(1);
    let error = single_error(&run);
    assert!(
        error.starts_with(
            "themes/default/templates/a.html:1: templates extend each other in a circle"
        ) || error.starts_with(
            "themes/default/templates/b.html:1: templates extend each other in a circle"
        ),
        "{run}"
    );
}

#[test]
fn a_template_extending_itself_is_an_error_not_a_stack_overflow() {
    let site = themed(&[("page.html", "{% extends \"page.html\" %}\n")]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html:1: templates extend each other in a circle: page.html",
    );
}

#[test]
fn a_missing_included_template_names_the_template_and_line() {
    let site = themed(&[("page.html", "one\n{% include \"nope.html\" %}\n")]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html:2:12: Unknown template `nope.html`",
    );
}

#[test]
fn a_missing_parent_template_names_the_template_and_line() {
    let site = themed(&[("page.html", "\n{% extends \"nope.html\" %}\n")]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html:2: extends `nope.html`, which does not exist",
    );
}

#[test]
fn an_unknown_filter_in_a_theme_override_names_the_template_and_line() {
    let site = themed(&[(
        "page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}\nok\n{{ page.title | nosuchfilter }}\n{% endblock content %}\n",
    )]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html:4:17: Unknown filter `nosuchfilter`",
    );
}

#[test]
fn an_error_inside_a_theme_override_names_the_template_line_and_page() {
    let site = themed(&[(
        "page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}\nok\n{{ 1 / 0 }}\n{% endblock content %}\n",
    )]);
    let run = assert_template_error(
        &site,
        "themes/default/templates/page.html:4:8: Cannot divide by 0 (while rendering content/about.md)",
    );
    run.assert_stderr_contains("nothing was written");
}

#[test]
fn endless_component_recursion_is_an_error_naming_the_template_and_page() {
    let site = themed(&[(
        "page.html",
        "{% component again(n: integer) %}{{ <again n={n} /> }}{% endcomponent again %}\nx\n{{ <again n={1} /> }}\n",
    )]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html: Maximum render recursion depth for components exceeded. (while rendering content/about.md)",
    );
}

#[test]
fn ten_thousand_nested_template_tags_are_an_error_not_a_stack_overflow() {
    let nested = format!(
        "{}x{}",
        "{% if true %}".repeat(10_000),
        "{% endif %}".repeat(10_000)
    );
    let site = themed(&[("page.html", &nested)]);
    let run = bounded_build(&site);
    let error = single_error(&run);
    assert!(
        error.starts_with("themes/default/templates/page.html:1:"),
        "{run}"
    );
    assert!(error.contains("too deep"), "{run}");
    let expression = format!("{{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000));
    let run = bounded_build(&themed(&[("page.html", &expression)]));
    let error = single_error(&run);
    assert!(
        error.starts_with("themes/default/templates/page.html:1:"),
        "{run}"
    );
}

// --- values in front matter ---------------------------------------------------

#[test]
fn unsafe_url_schemes_are_rejected_in_every_url_field() {
    let schemes = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\\tscript:alert(1)",
        "javascript\\n:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        " data:text/html,x",
        "\\u0001javascript:alert(1)",
        "file:///etc/passwd",
    ];
    for url in schemes {
        let value = format!("\"{url}\"");
        let site = Site::new()
            .file(
                "content/interviews/i.md",
                &format!("---\ntitle: I\nsource: {value}\nmedia: {value}\n---\n"),
            )
            .file(
                "content/speakers/jo.md",
                &format!("---\nname: Jo\nphoto: {value}\nlinks:\n  - label: Site\n    url: {value}\n---\n"),
            );
        let run = quick_check(&site);
        run.assert_errors(&[
            "content/interviews/i.md:3: `source` has an unsafe URL",
            "content/interviews/i.md:4: `media` has an unsafe URL",
            "content/speakers/jo.md:3: `photo` has an unsafe URL",
            "content/speakers/jo.md:5: `links.url` has an unsafe URL",
        ]);
    }
}

#[test]
fn script_tags_and_quotes_in_url_fields_are_escaped() {
    let hostile =
        r#"https://example.com/a?b="><script>alert(1)</script>&c='x'"#.replace('\'', "''");
    let path = r#"/img/x.png"onerror="alert(1)"#;
    let site = Site::new()
        .file(
            "content/interviews/i.md",
            &format!("---\ntitle: I\nhost: jo\nsource: '{hostile}'\nmedia: '{hostile}'\n---\n"),
        )
        .file(
            "content/speakers/jo.md",
            &format!(
                "---\nname: Jo\nphoto: '{path}'\nlinks:\n  - label: '<script>alert(2)</script>'\n    url: '{hostile}'\n---\n"
            ),
        );
    bounded_build(&site).assert_success();
    let mut checked = 0;
    for (file, bytes) in site.snapshot("public") {
        if !file.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        assert!(
            !html.contains("<script>alert"),
            "{file} holds an unescaped <script>"
        );
        assert!(
            !html.contains("\"onerror="),
            "{file} lets a value out of its attribute"
        );
        assert!(
            !html.contains("b=\"><"),
            "{file} lets a value out of its attribute"
        );
        checked += 1;
    }
    assert!(checked > 5);
    let interview = site.read("public/interviews/i/index.html");
    assert!(
        interview.contains("&lt;script&gt;alert(1)&lt;"),
        "{interview}"
    );
    let speaker = site.read("public/speakers/jo/index.html");
    assert!(speaker.contains("&lt;script&gt;alert(2)&lt;"), "{speaker}");
}

// --- Markdown -------------------------------------------------------------------

#[test]
fn a_markdown_renderer_panic_is_caught_and_the_other_pages_still_report() {
    let site = Site::new()
        .file("content/exercises/a.md", "---\ntitle: A\n---\nFine text.\n")
        .file(
            "content/exercises/b.md",
            "---\ntitle: B\n---\nSee [gone](gone.md).\n",
        )
        .file(
            "content/exercises/c.md",
            "---\ntitle: C\nattempts: 0\n---\n",
        );
    for command in ["check", "build"] {
        let run = run_in(
            site.root(),
            &[command, site.root().to_str().unwrap()],
            &[("SALESBOOK_FAULT_PANIC_IN", "exercises/a")],
        );
        run.assert_errors(&[
            "content/exercises/a.md:4: the Markdown renderer failed on this page",
            "content/exercises/b.md:4:5: link to `gone.md`",
            "content/exercises/c.md:3: `attempts` must be from 1 to 10",
        ]);
        assert!(!run.stderr.contains("aborting"), "{run}");
    }
    assert!(!site.exists("public"));
}

#[test]
fn a_hundred_thousand_nested_blockquotes_are_an_error_not_a_stack_overflow() {
    let site = Site::new().file(
        "content/exercises/deep.md",
        &format!("---\ntitle: Deep\n---\n{} x\n", ">".repeat(100_000)),
    );
    let started = Instant::now();
    let run = bounded_build(&site);
    assert!(started.elapsed() < Duration::from_secs(60));
    run.assert_errors(&[
        "content/exercises/deep.md:4:33: blockquotes are nested more than 32 deep",
    ]);
}

/// Found by fuzzing: a second heading `SB` got the id `sb-1`, inside the
/// theme's `sb-` namespace.
#[test]
fn numbered_heading_ids_never_take_the_themes_prefix() {
    let site = Site::new().file(
        "content/exercises/x.md",
        "---\ntitle: X\n---\n## SB\n\n## SB\n\n## sb-search\n",
    );
    bounded_build(&site).assert_success();
    let html = site.read("public/exercises/x/index.html");
    for id in ["section-sb", "section-sb-1", "section-sb-search"] {
        assert!(
            html.contains(&format!("<h2 id=\"{id}\">")),
            "no heading id {id}:\n{html}"
        );
    }
    assert!(!html.contains("<h2 id=\"sb-"), "{html}");
}

#[test]
fn deeply_nested_lists_and_emphasis_build() {
    let lists: String = (0..2_000)
        .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
        .collect();
    let site = Site::new().file(
        "content/exercises/deep.md",
        &format!(
            "---\ntitle: Deep\n---\n{lists}\n{}x{}\n\n{}x{}\n",
            "*".repeat(20_000),
            "*".repeat(20_000),
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    let started = Instant::now();
    bounded_build(&site).assert_success();
    assert!(started.elapsed() < Duration::from_secs(60));
}
