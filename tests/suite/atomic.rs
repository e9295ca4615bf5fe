//! A failed build leaves the previous output untouched; `check` writes
//! nothing; dangerous output folders are refused.

use crate::support::{rich_site, Site};

#[test]
fn failed_build_leaves_the_previous_output_byte_identical() {
    let site = rich_site();
    site.build().assert_success();
    let before = site.snapshot("public");
    site.write(
        "content/exercises/second.md",
        "---\ntitle: Second\nattempts: 0\n---\nChanged.\n",
    );
    site.build()
        .assert_errors(&["content/exercises/second.md:3: `attempts` must be"]);
    assert!(
        site.snapshot("public") == before,
        "public/ changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = rich_site();
    site.check().assert_success();
    assert!(!site.exists("public"));
    let names: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "check wrote into the site folder: {names:?}"
    );
}

/// `build -o OUT` is refused with exit code 2, and the site is intact.
fn assert_refused(site: &Site, out: &str) {
    let before = site.snapshot(".");
    let run = site.build_with(&["-o", out]);
    run.assert_code(2).assert_stderr_contains("refusing to use");
    assert!(site.snapshot(".") == before, "-o {out} changed the site");
    assert!(site.exists("content/exercises/first.md"));
}

#[test]
fn site_root_is_refused_as_output() {
    let site = rich_site();
    assert_refused(&site, site.root().to_str().unwrap());
}

#[test]
fn content_folder_is_refused_as_output() {
    let site = rich_site();
    assert_refused(&site, site.path("content").to_str().unwrap());
}

#[test]
fn folder_inside_themes_is_refused_as_output() {
    let site = rich_site().file("themes/x/templates/page.html", "{{ page.title }}");
    assert_refused(&site, site.path("themes/x").to_str().unwrap());
}

#[test]
fn file_system_root_is_refused_as_output() {
    assert_refused(&rich_site(), "/");
}
