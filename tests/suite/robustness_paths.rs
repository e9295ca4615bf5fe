//! Robustness against hostile paths (issue 7): unsafe slugs, odd file
//! names, URLs colliding by case or Unicode normalisation, symbolic links
//! leaving the site or looping, and named pipes where files are expected.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::robustness::{bounded_build, quick_check, run_in, QUICK};
use crate::support::{Run, Site};

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
