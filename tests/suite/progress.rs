//! What `build` and `check` print while and after they run: a summary with
//! the warnings counted; on a terminal, colour and a progress line that is
//! cleared before the summary; in CI, a pipe or with NO_COLOR, none of it.
//!
//! The terminal is a real pseudo-terminal (util-linux's `script`), and the
//! progress line is forced by a test hook rather than a slow build.

use std::process::{Command, Stdio};

use crate::support::{Site, BIN};

/// Shows the progress at once instead of after the usual delay.
const PROGRESS_AFTER_MS: &str = "SALESBOOK_FAULT_PROGRESS_AFTER_MS";

/// A site whose one interview quotes two people who are no speakers: two
/// warnings, no errors.
fn site_with_two_warnings() -> Site {
    Site::new().file(
        "content/interviews/i.md",
        "---\ntitle: I\n---\n> Practise it.\n>\n> — Pat Unknown\n\n> Listen first.\n>\n> — Sam Nobody\n",
    )
}

/// Runs `salesbook ARGS` with stderr on a pipe, as in CI or `2> log`, with
/// no NO_COLOR or CI to hide anything: output that is not a terminal is
/// plain by itself. Returns stderr.
fn piped(args: &[&str]) -> String {
    let output = Command::new(BIN)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env(PROGRESS_AFTER_MS, "0")
        .stdin(Stdio::null())
        .output()
        .expect("run salesbook");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stderr).expect("stderr is UTF-8")
}

/// Runs `salesbook ARGS` on a pseudo-terminal with `env` set, and returns
/// all it wrote there (stdout and stderr together).
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let quoted: Vec<String> = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(|arg| format!("'{arg}'"))
        .collect();
    let mut command = Command::new("script");
    command
        .args(["--quiet", "--flush", "--return", "--command"])
        .arg(quoted.join(" "))
        .arg("/dev/null")
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env("TERM", "xterm")
        .env(PROGRESS_AFTER_MS, "0")
        .stdin(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command
        .output()
        .expect("run util-linux `script` (the tests need it for a terminal)");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout).expect("terminal output is UTF-8")
}

fn root(site: &Site) -> &str {
    site.root().to_str().expect("temporary folder is UTF-8")
}

#[test]
fn piped_output_is_plain_with_the_warnings_counted() {
    let site = site_with_two_warnings();
    let built = piped(&["build", root(&site)]);
    assert!(!built.contains('\x1b'), "escape characters in {built:?}");
    assert!(!built.contains('\r'), "line redraws in {built:?}");
    assert!(!built.contains("loading"), "progress in {built:?}");
    let summary = built.lines().last().expect("a summary line");
    assert!(
        summary.starts_with("built 2 pages (") && summary.ends_with(" ms, 2 warnings"),
        "{built}"
    );
    let checked = piped(&["check", root(&site)]);
    assert!(
        !checked.contains('\x1b'),
        "escape characters in {checked:?}"
    );
    let summary = checked.lines().last().expect("a summary line");
    assert!(
        summary.starts_with("checked 2 pages (") && summary.ends_with("): no errors, 2 warnings"),
        "{checked}"
    );
}

#[test]
fn a_site_without_warnings_says_so_on_check_and_nothing_on_build() {
    let site = Site::new();
    let built = piped(&["build", root(&site)]);
    assert!(built.lines().last().unwrap().ends_with(" ms"), "{built}");
    let checked = piped(&["check", root(&site)]);
    assert!(
        checked.ends_with("): no errors, no warnings\n"),
        "{checked}"
    );
}

#[test]
fn a_terminal_gets_colour_and_a_progress_line_cleared_before_the_summary() {
    let site = site_with_two_warnings();
    let shown = on_terminal(&["build", root(&site)], &[]);
    assert!(
        shown.contains("\x1b[1;33mwarning\x1b[0m: \x1b[1mcontent/interviews/i.md:6:3\x1b[0m"),
        "no yellow warning with a bold location in {shown:?}"
    );
    let progress = shown
        .find("loading and checking the content")
        .unwrap_or_else(|| panic!("no progress line in {shown:?}"));
    let summary = shown
        .find("built 2 pages (")
        .unwrap_or_else(|| panic!("no summary in {shown:?}"));
    // The last thing before the summary erases the progress line.
    assert!(progress < summary, "{shown:?}");
    assert!(
        shown[..summary].ends_with("\r\x1b[2K"),
        "the progress line is not cleared before the summary: {shown:?}"
    );
    assert!(
        shown[summary..].contains(" ms, \x1b[33m2 warnings\x1b[0m"),
        "{shown:?}"
    );
}

#[test]
fn ci_on_a_terminal_gets_no_progress_and_no_colour() {
    let site = site_with_two_warnings();
    let shown = on_terminal(&["build", root(&site)], &[("CI", "true")]);
    assert!(!shown.contains('\x1b'), "escape characters in {shown:?}");
    assert!(!shown.contains("loading"), "progress in {shown:?}");
    assert!(shown.contains(" ms, 2 warnings"), "{shown:?}");
    let dumb = on_terminal(&["check", root(&site)], &[("TERM", "dumb")]);
    assert!(!dumb.contains('\x1b'), "escape characters in {dumb:?}");
    assert!(dumb.contains("no errors, 2 warnings"), "{dumb:?}");
}

#[test]
fn no_color_on_a_terminal_keeps_the_progress_without_colour() {
    let site = site_with_two_warnings();
    let shown = on_terminal(&["build", root(&site)], &[("NO_COLOR", "1")]);
    assert!(
        !shown.contains("m\x1b[") && !shown.contains("\x1b[0m") && !shown.contains("\x1b[1"),
        "colour in {shown:?}"
    );
    assert!(
        shown.contains("warning: content/interviews/i.md:6:3"),
        "{shown:?}"
    );
    assert!(
        shown.contains("loading and checking the content"),
        "{shown:?}"
    );
    assert!(shown.contains(" ms, 2 warnings"), "{shown:?}");
}
