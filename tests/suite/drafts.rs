//! Pages with `draft: true` are left out unless `--drafts`; published pages
//! may not point at them.

use crate::support::Site;

fn site_with_draft() -> Site {
    Site::new()
        .file("content/exercises/done.md", "---\ntitle: Done\n---\n")
        .file(
            "content/exercises/wip.md",
            "---\ntitle: Work in progress\ndraft: true\ntags: [Secret]\n---\n",
        )
}

#[test]
fn drafts_are_left_out_by_default() {
    let site = site_with_draft();
    site.build().assert_success();
    assert!(site.exists("public/exercises/done/index.html"));
    assert!(!site.exists("public/exercises/wip"));
    assert!(!site.exists("public/topics/secret"));
    assert!(!site
        .read("public/exercises/index.html")
        .contains("Work in progress"));
}

#[test]
fn drafts_are_built_with_the_drafts_flag() {
    let site = site_with_draft();
    site.build_with(&["--drafts"]).assert_success();
    assert!(site
        .read("public/exercises/wip/index.html")
        .contains("Work in progress"));
    assert!(site
        .read("public/exercises/index.html")
        .contains("Work in progress"));
}

#[test]
fn a_link_to_a_draft_is_an_error_unless_drafts() {
    let site = site_with_draft().file(
        "content/about.md",
        "---\ntitle: About\n---\nSee [wip](exercises/wip.md).\n",
    );
    site.build()
        .assert_errors(&["content/about.md:4:5: link to `exercises/wip.md`, which is a draft"]);
    site.build_with(&["--drafts"]).assert_success();
    assert!(site
        .read("public/about/index.html")
        .contains("<a href=\"../exercises/wip/\">wip</a>"));
}

#[test]
fn a_ref_to_a_draft_is_an_error_unless_drafts() {
    let site = site_with_draft().file(
        "content/tracks/t.md",
        "---\ntitle: T\nitems:\n  - exercises/done\n  - exercises/wip\n---\n",
    );
    site.check()
        .assert_errors(&["content/tracks/t.md:5: `items` names `exercises/wip`, which is a draft"]);
    site.check_with(&["--drafts"]).assert_success();
}

#[test]
fn a_draft_speaker_is_an_error_unless_drafts() {
    let site = Site::new()
        .file(
            "content/speakers/jo.md",
            "---\nname: Jo\ndraft: true\n---\n",
        )
        .file("content/interviews/i.md", "---\ntitle: I\nhost: jo\n---\n");
    site.check()
        .assert_errors(&["content/interviews/i.md:3: speaker `jo` is a draft"]);
    site.check_with(&["--drafts"]).assert_success();
}

#[test]
fn the_home_page_cannot_be_a_draft() {
    let site = Site::new().file(
        "content/_index.md",
        "---\ntitle: Home\ndraft: true\n---\nWelcome.\n",
    );
    for run in [site.check(), site.build(), site.check_with(&["--drafts"])] {
        run.assert_errors(&[
            "content/_index.md:3: the home page cannot be a draft (remove `draft: true`",
        ]);
    }
    assert!(!site.exists("public"), "a failed build writes nothing");
}
