//! Spaced review: `review:` in site.yaml and in an exercise's front matter,
//! checked at its line with the fix in an author's words, and the days the
//! exercise page hands to the practice log.

use crate::support::Site;

fn exercise(review: &str) -> String {
    format!("---\ntitle: Three tries\nattempts: 2\n{review}---\nTry it.\n")
}

#[test]
fn the_days_reach_the_page_the_exercise_winning_over_the_site() {
    let site = Site::new()
        .file("site.yaml", "title: Test Lab\nreview: [3, 10]\n")
        .file(
            "content/exercises/own.md",
            &exercise("review: [1, 4, 30]\n"),
        )
        .file("content/exercises/site.md", &exercise(""))
        .file("content/exercises/off.md", &exercise("review: false\n"));
    site.build().assert_success();
    let own = site.read("public/exercises/own/index.html");
    assert!(
        own.contains("<div class=\"review\" data-review=\"1 4 30\" hidden>"),
        "{own}"
    );
    assert!(
        own.contains("<label for=\"sb-review-3-done\">Review 3 done</label>"),
        "{own}"
    );
    assert!(!own.contains("sb-review-4-done"), "{own}");
    let from_site = site.read("public/exercises/site/index.html");
    assert!(from_site.contains("data-review=\"3 10\""), "{from_site}");
    let off = site.read("public/exercises/off/index.html");
    assert!(!off.contains("data-review"), "{off}");
}

#[test]
fn without_a_setting_reviews_fall_on_days_2_7_and_21() {
    let site = Site::new().file("content/exercises/x.md", &exercise(""));
    site.build().assert_success();
    let html = site.read("public/exercises/x/index.html");
    assert!(html.contains("data-review=\"2 7 21\""), "{html}");
    // The home page has the place for "Due for practice", hidden until the script fills it.
    let home = site.read("public/index.html");
    assert!(
        home.contains(
            "<section class=\"home-section due\" aria-labelledby=\"sb-due\" data-due hidden>"
        ),
        "{home}"
    );
}

#[test]
fn bad_exercise_days_are_errors_at_their_lines() {
    let site = Site::new()
        .file(
            "content/exercises/a.md",
            &exercise("review:\n  - 2\n  - 0\n  - 7\n  - 7\n"),
        )
        .file("content/exercises/b.md", &exercise("review: soon\n"))
        .file("content/exercises/c.md", &exercise("review: [2, seven]\n"))
        .file("content/exercises/d.md", &exercise("review: []\n"))
        .file("content/exercises/e.md", &exercise("review: true\n"))
        .file(
            "content/exercises/f.md",
            &exercise("review: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n"),
        )
        .file("content/exercises/g.md", &exercise("reviews: [2]\n"));
    let run = site.check();
    run.assert_errors(&[
        "content/exercises/a.md:6: `review` day 2 is 0; a review falls 1 to 365 days after the last attempt (count the days",
        "content/exercises/a.md:8: `review` day 4 (7) does not come after day 3 (7) (list the days from the earliest to the latest",
        "content/exercises/b.md:4:9: `review` must be a list of days such as `[2, 7, 21]`, or `false`, not the text \"soon\"",
        "content/exercises/c.md:4:13: `review` item 2 must be a whole number, not the text \"seven\" (write a whole number without quotes)",
        "content/exercises/d.md:4: `review` lists no days (list the days after the last attempt, e.g. `review: [2, 7, 21]`, or write `review: false` for no reviews)",
        "content/exercises/e.md:4:9: `review` must be a list of days such as `[2, 7, 21]`, or `false`, not true",
        "content/exercises/f.md:4: `review` lists 11 days; at most 10 reviews are allowed",
        "content/exercises/g.md:4:1: unknown key `reviews` (did you mean `review`?)",
    ]);
}

#[test]
fn review_belongs_to_exercises_and_site_yaml() {
    let site = Site::new().file(
        "content/interviews/talk.md",
        "---\ntitle: Talk\nreview: [2]\n---\nText.\n",
    );
    site.check().assert_errors(&[
        "content/interviews/talk.md:3:1: unknown key `review` (that key belongs to exercises (content/exercises/))",
    ]);
}

#[test]
fn bad_site_days_are_errors_in_site_yaml() {
    let site = Site::new().file("site.yaml", "title: Test Lab\nreview: [21, 7]\n");
    site.check()
        .assert_errors(&["site.yaml:2: `review` day 2 (7) does not come after day 1 (21)"]);
    let site = Site::new().file("site.yaml", "title: Test Lab\nreveiw: false\n");
    site.check()
        .assert_errors(&["site.yaml:2:1: unknown key `reveiw` (did you mean `review`?)"]);
}
