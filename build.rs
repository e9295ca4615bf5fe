//! Records the commit salesbook is built from, for `--version`, when it is
//! known: from git in a checkout, or from the `.cargo_vcs_info.json` that
//! `cargo package` puts into a published crate.

use std::path::Path;
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let line = match commit() {
        Some(commit) => format!("{version} (commit {commit})"),
        None => version,
    };
    println!("cargo:rustc-env=SALESBOOK_VERSION={line}");
}

/// The first 12 hex digits of the commit, if known.
fn commit() -> Option<String> {
    let vcs_info = Path::new(".cargo_vcs_info.json");
    if vcs_info.exists() {
        println!("cargo:rerun-if-changed=.cargo_vcs_info.json");
        let text = std::fs::read_to_string(vcs_info).ok()?;
        let after_key = text.split("\"sha1\"").nth(1)?;
        return after_key.split('"').nth(1).map(short);
    }
    let sha = git(&["rev-parse", "HEAD"])?;
    // Run again when a commit moves HEAD or the branch it points at.
    let git_dir = git(&["rev-parse", "--git-dir"])?;
    let common_dir = git(&["rev-parse", "--git-common-dir"])?;
    let mut watched = vec![
        format!("{git_dir}/HEAD"),
        format!("{common_dir}/packed-refs"),
    ];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(format!("{common_dir}/{branch}"));
    }
    for path in watched.iter().filter(|p| Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={path}");
    }
    Some(short(&sha))
}

fn short(sha: &str) -> String {
    sha.chars().take(12).collect()
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}
