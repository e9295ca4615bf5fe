//! `salesbook --version`: the version, and the commit when built from a checkout.

use std::process::Command;

use crate::support::BIN;

#[test]
fn version_names_the_package_version_and_the_commit_it_was_built_from() {
    let output = Command::new(BIN).arg("--version").output().unwrap();
    assert!(output.status.success());
    let line = String::from_utf8(output.stdout).unwrap();
    let expected = format!("salesbook {}", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&expected), "{line}");
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    match head {
        Ok(head) if head.status.success() => {
            let sha = String::from_utf8(head.stdout).unwrap();
            assert_eq!(line.trim(), format!("{expected} (commit {})", &sha[..12]));
        }
        // Built outside a git checkout (from a crate package): no commit to name.
        _ => assert_eq!(line.trim(), expected),
    }
}
