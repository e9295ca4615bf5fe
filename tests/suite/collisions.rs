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

/// The site of the tests below: one exercise, tagged, and a track.
fn site() -> Site {
    Site::new()
        .file("content/exercises/a.md", "---\ntitle: A\ntags: [x]\n---\n")
        .file(
            "content/tracks/t.md",
            "---\ntitle: T\nitems: [exercises/a]\n---\n",
        )
}

#[test]
fn static_files_where_the_build_writes_are_errors_at_the_static_file() {
    let site = site()
        .file("static/topics", "a file where a folder goes")
        .file("static/index.html", "<p>a home page of its own</p>")
        .file("static/404.html/note.txt", "a folder where a file goes")
        .file("static/search/docs.json", "{}")
        .file("static/search/t/6f62.json", "{}");
    let expected = [
        "static/404.html/note.txt: this needs `404.html/` as a folder, but the build writes the file `404.html` (rename or move the static file)",
        "static/index.html: this would write `index.html`, which content/_index.md writes too",
        "static/search/docs.json: this would write `search/docs.json`, which the build writes too",
        "static/search/t/6f62.json: this would write `search/t/6f62.json`, which the build writes too",
        "static/topics: this would make `topics` a file, but the build needs `topics/` as a folder (rename or move the static file)",
    ];
    site.check().assert_errors(&expected);
    site.build().assert_errors(&expected);
    assert!(!site.exists("public"), "a failed build writes nothing");
}

#[test]
fn slugs_that_take_a_generated_file_s_name_are_errors_at_the_slug() {
    let long = "d".repeat(256);
    let site = Site::new()
        .file("site.yaml", "title: Lab\nbase_url: https://e.com/\n")
        .file("content/a.md", "---\ntitle: A\nslug: 404.html\n---\n")
        .file("content/b.md", "---\ntitle: B\nslug: index.html\n---\n")
        .file("content/c.md", "---\ntitle: C\nslug: sitemap.xml\n---\n")
        .file(
            "content/d.md",
            &format!("---\ntitle: D\nslug: {long}\n---\n"),
        )
        .file(
            "content/exercises/e.md",
            "---\ntitle: E\nslug: index.html\n---\n",
        )
        .file(
            "content/exercises/f.md",
            &format!("---\ntitle: F\ntags: [{long}]\n---\n"),
        );
    let expected = [
        "content/a.md:3: this needs `404.html/` as a folder, but the build writes the file `404.html`",
        "content/b.md:3: this needs `index.html/` as a folder, but content/_index.md writes the file `index.html`",
        "content/c.md:3: this needs `sitemap.xml/` as a folder, but the build writes the file `sitemap.xml`",
        "content/d.md:3: this page's URL has a part longer than 255 bytes, more than a file name may be",
        "content/exercises/e.md:3: this needs `exercises/index.html/` as a folder, but the build writes the file `exercises/index.html`",
        "content/exercises/f.md:3: this tag's topic URL would be longer than 255 bytes",
    ];
    site.check().assert_errors(&expected);
    site.build().assert_errors(&expected);
}

#[test]
fn a_static_lms_file_is_an_error_when_packages_are_wanted() {
    let site = site().file("static/lms", "notes");
    site.check().assert_success();
    let expected =
        ["static/lms: this would make `lms` a file, but the build needs `lms/` as a folder"];
    site.check_with(&["--lms", "scorm12"])
        .assert_errors(&expected);
    site.build_with(&["--lms", "scorm12"])
        .assert_errors(&expected);
}
