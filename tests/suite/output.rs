//! The output folder: pretty URLs, relative links, determinism, stale
//! files, static files, `-o`, and what `base_url` adds.

use std::collections::BTreeMap;

use crate::support::{ids, links, rich_site, snapshot, Site, RICH_SITE_EXTERNAL};

#[test]
fn every_page_list_and_topic_is_written_at_its_pretty_url() {
    let site = rich_site();
    site.build().assert_success();
    let files = site.all_files("public");
    for expected in [
        "index.html",
        "404.html",
        "about/index.html",
        "interviews/index.html",
        "interviews/talk/index.html",
        "interviews/second-talk/index.html",
        "exercises/index.html",
        "exercises/first/index.html",
        "exercises/second/index.html",
        "tracks/index.html",
        "tracks/habit/index.html",
        "speakers/index.html",
        "speakers/jo/index.html",
        "speakers/al-smith/index.html",
        "topics/index.html",
        "topics/mindset/index.html",
        "topics/practice/index.html",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "no public/{expected} in {files:#?}"
        );
    }
}

#[test]
fn a_page_in_a_subfolder_keeps_its_slug_url() {
    let site = Site::new().file(
        "content/interviews/2026/spring/x.md",
        "---\ntitle: X\n---\nBody\n",
    );
    site.build().assert_success();
    assert!(site
        .read("public/interviews/x/index.html")
        .contains("<h1>X</h1>"));
    assert!(!site.exists("public/interviews/2026"));
}

#[test]
fn slug_in_front_matter_replaces_the_file_name() {
    let site = Site::new().file(
        "content/exercises/long-file-name.md",
        "---\ntitle: X\nslug: short\n---\n",
    );
    site.build().assert_success();
    assert!(site.exists("public/exercises/short/index.html"));
    assert!(!site.exists("public/exercises/long-file-name"));
}

#[test]
fn the_page_title_and_body_are_in_the_page() {
    let site = Site::new().file(
        "content/exercises/a.md",
        "---\ntitle: Cold open\n---\nSay *hello* first.\n",
    );
    site.build().assert_success();
    let html = site.read("public/exercises/a/index.html");
    assert!(html.contains("<h1>Cold open</h1>"), "{html}");
    assert!(html.contains("Say <em>hello</em> first."), "{html}");
    assert!(site
        .read("public/exercises/index.html")
        .contains("Cold open"));
}

/// Every href/src of every HTML file is relative and points at a file of
/// the output (a folder link at its index.html); `#fragment`s point at an
/// id of the target page. Only the content's own external links are
/// absolute.
fn check_links(public: &std::path::Path, external_allowed: &[&str]) {
    let files = snapshot(public);
    let html_of = |path: &str| String::from_utf8_lossy(&files[path]).into_owned();
    let mut problems = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        // The canonical link is absolute on purpose (when base_url is set).
        let body: String = html
            .lines()
            .filter(|l| !l.contains("rel=\"canonical\""))
            .collect::<Vec<_>>()
            .join("\n");
        for link in links(&body) {
            let bad = |why: &str| format!("{path}: {link:?} {why}");
            if link.starts_with("http://") || link.starts_with("https://") {
                if !external_allowed.contains(&link.as_str()) {
                    problems.push(bad("is absolute"));
                }
                continue;
            }
            if link.starts_with("mailto:") || link.starts_with("data:") {
                continue;
            }
            if link.starts_with('/') || link.contains("//") || link.contains(':') {
                problems.push(bad("is not a relative link"));
                continue;
            }
            let (target, fragment) = match link.split_once('#') {
                Some((target, fragment)) => (target, Some(fragment)),
                None => (link.as_str(), None),
            };
            let target = target.split('?').next().unwrap();
            let resolved = if target.is_empty() {
                Some(path.clone())
            } else {
                resolve(path, target, &files)
            };
            let Some(resolved) = resolved else {
                problems.push(bad("points at no file of the output"));
                continue;
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                if !ids(&html_of(&resolved)).iter().any(|id| id == fragment) {
                    problems.push(bad(&format!("names no id of {resolved}")));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

/// `target` seen from the output file `from`, as an output file path.
fn resolve(from: &str, target: &str, files: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    let candidates = if target.ends_with('/') || target == "." || target == ".." {
        vec![format!("{joined}/index.html")
            .trim_start_matches('/')
            .to_string()]
    } else {
        vec![joined.clone(), format!("{joined}/index.html")]
    };
    candidates.into_iter().find(|c| files.contains_key(c))
}

#[test]
fn every_internal_link_is_relative_and_resolves() {
    let site = rich_site();
    site.build().assert_success();
    check_links(&site.path("public"), RICH_SITE_EXTERNAL);
}

#[test]
fn internal_links_stay_relative_with_a_base_url() {
    let site = rich_site();
    site.build_with(&["--base-url", "https://example.com/lab/"])
        .assert_success();
    let files = snapshot(&site.path("public"));
    // Canonical links are the one place the base URL may appear in HTML,
    // besides the 404 page's home links (a host serves it at any depth).
    for (path, bytes) in &files {
        if path.ends_with(".html") && path != "404.html" {
            let html = String::from_utf8_lossy(bytes);
            let kept: String = html
                .lines()
                .filter(|l| !l.contains("rel=\"canonical\""))
                .collect();
            assert!(
                !kept.contains("example.com"),
                "{path} links to the base URL outside its canonical link"
            );
        }
    }
    // Above: only the 404 page may link to the base URL itself.
    let allowed = [RICH_SITE_EXTERNAL, &["https://example.com/lab/"]].concat();
    check_links(&site.path("public"), &allowed);
}

#[test]
fn pages_differ_only_by_their_canonical_link_with_a_base_url() {
    let site = rich_site();
    site.build_with(&["-o", site.path("plain").to_str().unwrap()])
        .assert_success();
    site.build_with(&[
        "-o",
        site.path("based").to_str().unwrap(),
        "--base-url",
        "https://example.com/lab/",
    ])
    .assert_success();
    let strip = |bytes: &Vec<u8>| -> String {
        String::from_utf8_lossy(bytes)
            .lines()
            .filter(|l| !l.contains("rel=\"canonical\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let plain = site.snapshot("plain");
    let based = site.snapshot("based");
    for (path, bytes) in &plain {
        // The 404 page's home links are the base URL when there is one.
        if path.ends_with(".html") && path != "404.html" {
            assert_eq!(
                strip(bytes),
                strip(&based[path]),
                "{path} differs beyond its canonical link"
            );
        }
    }
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let site = rich_site();
    site.build_with(&["-o", site.path("one").to_str().unwrap()])
        .assert_success();
    site.build_with(&["-o", site.path("two").to_str().unwrap()])
        .assert_success();
    let (one, two) = (site.snapshot("one"), site.snapshot("two"));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(bytes == &two[path], "{path} differs between two builds");
    }
}

#[test]
fn files_of_a_deleted_page_disappear_on_rebuild() {
    let site = rich_site();
    site.build().assert_success();
    assert!(site.exists("public/exercises/second/index.html"));
    assert!(site.exists("public/topics/stretch/index.html"));
    site.write(
        "content/tracks/habit.md",
        "---\ntitle: Habit\nitems: [exercises/first]\n---\n",
    );
    site.remove("content/exercises/second.md");
    site.build().assert_success();
    assert!(!site.exists("public/exercises/second"));
    assert!(
        !site.exists("public/topics/stretch"),
        "the topic of the deleted page is still there"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The photo cache is kept on purpose; staging folders are not.
        .filter(|name| name.starts_with('.') && name != ".salesbook-cache")
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn static_files_are_copied_and_theme_assets_are_present() {
    let site = rich_site();
    site.build().assert_success();
    assert_eq!(
        std::fs::read(site.path("public/img/logo.png")).unwrap(),
        std::fs::read(site.path("static/img/logo.png")).unwrap()
    );
    for name in ["salesbook.css", "salesbook.js"] {
        let asset = crate::support::asset_path(&site.path("public"), name);
        assert!(
            !site.read(&format!("public/{asset}")).is_empty(),
            "{asset} is empty"
        );
    }
}

#[test]
fn o_writes_to_another_folder() {
    let site = rich_site();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("deep/site-out");
    site.build_with(&["-o", out.to_str().unwrap()])
        .assert_success();
    assert!(out.join("index.html").is_file());
    assert!(out.join("exercises/first/index.html").is_file());
    assert!(
        !site.exists("public"),
        "the default output folder was written too"
    );
}

#[test]
fn no_sitemap_feed_or_canonical_without_base_url() {
    let site = rich_site();
    site.build().assert_success();
    assert!(!site.exists("public/sitemap.xml"));
    assert!(!site.exists("public/feed.xml"));
    assert!(!site
        .read("public/about/index.html")
        .contains("rel=\"canonical\""));
}

fn assert_absolute_outputs(site: &Site, base: &str) {
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>{base}exercises/first/</loc>")),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(&format!("<loc>{base}interviews/talk/</loc>")),
        "{sitemap}"
    );
    assert!(!sitemap.contains("<loc>exercises"), "{sitemap}");
    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
        "{feed}"
    );
    assert!(
        feed.contains(&format!("<link href=\"{base}interviews/talk/\"/>")),
        "{feed}"
    );
    let page = site.read("public/exercises/first/index.html");
    assert!(
        page.contains(&format!(
            "<link rel=\"canonical\" href=\"{base}exercises/first/\">"
        )),
        "{page}"
    );
    let home = site.read("public/index.html");
    assert!(
        home.contains(&format!("<link rel=\"canonical\" href=\"{base}\">")),
        "{home}"
    );
}

#[test]
fn base_url_in_site_yaml_adds_sitemap_feed_and_canonical_links() {
    let site = rich_site().file(
        "site.yaml",
        "title: Test Lab\nbase_url: https://example.com/lab\n",
    );
    site.build().assert_success();
    assert_absolute_outputs(&site, "https://example.com/lab/");
}

#[test]
fn base_url_flag_adds_sitemap_feed_and_canonical_links() {
    let site = rich_site();
    site.build_with(&["--base-url", "https://example.com/lab/"])
        .assert_success();
    assert_absolute_outputs(&site, "https://example.com/lab/");
}

#[test]
fn base_url_flag_must_be_absolute() {
    let site = rich_site();
    site.build_with(&["--base-url", "example.com/lab"])
        .assert_code(2)
        .assert_stderr_contains("is not an absolute http(s) URL");
    assert!(!site.exists("public"));
}

#[test]
fn ids_are_unique_on_every_page() {
    let site = rich_site();
    site.build().assert_success();
    for (path, bytes) in site.snapshot("public") {
        if path.ends_with(".html") {
            let mut seen = std::collections::HashSet::new();
            for id in ids(&String::from_utf8_lossy(&bytes)) {
                assert!(seen.insert(id.clone()), "{path}: id {id:?} appears twice");
            }
        }
    }
}

#[test]
fn the_link_checker_itself_catches_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::write(
        dir.path().join("a/index.html"),
        "<a href=\"../\">ok</a> <a href=\"#x\" id=\"x\">ok</a>",
    )
    .unwrap();
    std::fs::write(dir.path().join("index.html"), "<a href=\"a/\">ok</a> <a href=\"/a/\">abs</a> <a href=\"b/\">gone</a> <a href=\"a/#nope\">frag</a>").unwrap();
    let result = std::panic::catch_unwind(|| check_links(dir.path(), &[]));
    let message = *result
        .expect_err("broken links went unnoticed")
        .downcast::<String>()
        .unwrap();
    assert!(
        message.contains("\"/a/\" is not a relative link"),
        "{message}"
    );
    assert!(message.contains("\"b/\" points at no file"), "{message}");
    assert!(message.contains("\"a/#nope\" names no id"), "{message}");
    assert!(!message.contains("\"../\""), "{message}");
}

/// The main menu's links as (label, how the link is marked): `current` for
/// the section's own list page, `active` for a page inside the section.
fn menu_marks(html: &str) -> Vec<(String, &'static str)> {
    let start = html.find("<nav class=\"site-nav\"").expect("a main menu");
    let end = start + html[start..].find("</nav>").expect("the menu ends");
    html[start..end]
        .split("<li>")
        .skip(1)
        .map(|item| {
            let link = &item[..item.find("</a>").expect("a link")];
            let label = link[link.rfind('>').expect("a link") + 1..].to_string();
            let mark = if item.contains("aria-current=\"page\"") {
                "current"
            } else if item.contains("class=\"is-active\"") {
                "active"
            } else {
                ""
            };
            (label, mark)
        })
        .collect()
}

#[test]
fn the_menu_marks_the_list_page_and_the_pages_of_its_section() {
    let site = rich_site();
    site.build().assert_success();
    let marked = |path: &str| -> Vec<(String, &'static str)> {
        menu_marks(&site.read(path))
            .into_iter()
            .filter(|(_, mark)| !mark.is_empty())
            .collect()
    };
    let one = |label: &str, mark: &'static str| vec![(label.to_string(), mark)];
    assert_eq!(
        menu_marks(&site.read("public/index.html"))
            .iter()
            .map(|(label, _)| label.as_str())
            .collect::<Vec<_>>(),
        ["Interviews", "Exercises", "Tracks", "Speakers", "Topics"]
    );
    assert_eq!(marked("public/index.html"), vec![]);
    assert_eq!(marked("public/about/index.html"), vec![]);
    assert_eq!(
        marked("public/interviews/index.html"),
        one("Interviews", "current")
    );
    assert_eq!(
        marked("public/interviews/talk/index.html"),
        one("Interviews", "active")
    );
    assert_eq!(
        marked("public/exercises/first/index.html"),
        one("Exercises", "active")
    );
    assert_eq!(
        marked("public/tracks/habit/index.html"),
        one("Tracks", "active")
    );
    assert_eq!(
        marked("public/tracks/habit/workbook/index.html"),
        one("Tracks", "active")
    );
    assert_eq!(
        marked("public/speakers/jo/index.html"),
        one("Speakers", "active")
    );
    assert_eq!(marked("public/topics/index.html"), one("Topics", "current"));
    assert_eq!(
        marked("public/topics/practice/index.html"),
        one("Topics", "active")
    );
}
