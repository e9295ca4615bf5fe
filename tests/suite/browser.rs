//! Runs the headless-Chromium tests of `tests/browser/` (`node --test`)
//! against the binary under test. Needs node, npm and `/usr/bin/chromium`
//! (or `CHROMIUM`): without them the test is skipped with a notice, except
//! in CI (env `CI` set), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::live_support::bin;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Why the browser tests cannot run here, if they cannot.
fn missing_tools() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "no Chromium at {chromium} (set CHROMIUM to another path)"
        ));
    }
    for tool in ["node", "npm"] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!("no `{tool}` on PATH"));
        }
    }
    None
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn install_dependencies(dir: &Path) -> Result<(), String> {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run npm ci: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "npm ci failed in {}\n--- stdout\n{}--- stderr\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[test]
fn headless_chromium_tests_pass() {
    if let Some(reason) = missing_tools() {
        if std::env::var_os("CI").is_some() {
            panic!("the browser tests cannot run in CI: {reason}");
        }
        eprintln!("note: skipping the browser tests (tests/browser/): {reason}");
        return;
    }
    let dir = browser_dir();
    if let Err(reason) = install_dependencies(&dir) {
        panic!("{reason}");
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name.ends_with(".test.cjs") || name.ends_with(".test.js") || name.ends_with(".test.mjs")
        })
        .map(|name| format!("tests/browser/{name}"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.test.cjs in {}", dir.display());
    let output = Command::new("node")
        .arg("--test")
        .args(&files)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SALESBOOK_BIN", bin())
        .env("NO_COLOR", "1")
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "node --test {} failed ({})\n--- failed tests\n{}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        files.join(" "),
        output.status,
        failed_subtests(&stdout)
    );
}

/// The TAP lines of each failed subtest with the diagnostic block under it (error,
/// expected, actual, location), so that a log cut short still says why.
fn failed_subtests(tap: &str) -> String {
    let mut report = Vec::new();
    let mut in_failure = false;
    for line in tap.lines() {
        if line.starts_with("not ok ") {
            in_failure = true;
        } else if in_failure && !line.starts_with("  ") {
            in_failure = false;
        }
        if in_failure {
            report.push(line);
        }
    }
    report.join("\n")
}
