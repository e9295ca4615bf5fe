//! Output paths two things claim: a static file, a page, a topic or a file
//! the build writes itself. Each claim is decided before anything is
//! written: distinct URLs where the rule allows, else an error at the
//! file and line that causes it, from `check` as from `build`.

use crate::support::Site;

#[test]
fn tags_that_differ_by_plus_or_sharp_get_topics_of_their_own() {
    let site = Site::new()
        .file(
            "content/exercises/a.md",
            "---\ntitle: A\ntags: [C++]\n---\n",
        )
        .file("content/exercises/b.md", "---\ntitle: B\ntags: [C#]\n---\n")
        .file("content/exercises/c.md", "---\ntitle: C\ntags: [C]\n---\n");
    site.build().assert_success();
    for (topic, page) in [("c-plus-plus", "A"), ("c-sharp", "B"), ("c", "C")] {
        let html = site.read(&format!("public/topics/{topic}/index.html"));
        let titles = ["A", "B", "C"].map(|t| html.contains(&format!(">{t}</a>")));
        let only = ["A", "B", "C"].map(|t| t == page);
        assert_eq!(
            titles, only,
            "topics/{topic}/ lists the wrong pages:\n{html}"
        );
    }
    let page = site.read("public/exercises/a/index.html");
    assert!(page.contains("topics/c-plus-plus/"), "{page}");
}

#[test]
fn a_base_url_with_a_query_fragment_or_space_is_refused() {
    let site = Site::new().file("site.yaml", "title: Lab\nbase_url: https://e.com/lab?v=2\n");
    site.check().assert_errors(&[
        "site.yaml:2: `base_url` `https://e.com/lab?v=2` has a query (`?`) or a fragment (`#`)",
    ]);
    let site = Site::new();
    for url in ["https://e.com/lab#x", "https://e.com/my lab/"] {
        site.build_with(&["--base-url", url])
            .assert_code(2)
            .assert_stderr_contains(&format!("--base-url `{url}` "));
    }
    assert!(!site.exists("public"));
}
