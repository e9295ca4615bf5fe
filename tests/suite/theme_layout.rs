//! The built-in theme's layout and identity: the side navigation (the track
//! a page is in, else the site's sections), "On this page", `brand:` (logo
//! and accent colour) and the light/dark switch.

use crate::support::Site;

/// A track of an interview and an exercise, an exercise in no track.
fn site_with_track() -> Site {
    Site::new()
        .file(
            "content/interviews/talk.md",
            "---\ntitle: The talk\n---\n## One\n\n### Two\n\n#### Three\n\n##### Four\n",
        )
        .file(
            "content/exercises/drill.md",
            "---\ntitle: The drill\n---\nGo.\n",
        )
        .file(
            "content/exercises/alone.md",
            "---\ntitle: Alone\n---\nGo.\n",
        )
        .file(
            "content/tracks/path.md",
            "---\ntitle: The path\nitems: [interviews/talk, exercises/drill]\n---\n",
        )
}

/// The side navigation of a page: its label, and each link as (text, how it is marked).
fn side_nav(html: &str) -> (String, Vec<(String, &'static str)>) {
    let start = html
        .find("<nav class=\"side-nav")
        .expect("a side navigation");
    let end = start + html[start..].find("</nav>").expect("the navigation ends");
    let nav = &html[start..end];
    let label_at = nav.find("aria-label=\"").expect("a label") + 12;
    let label = nav[label_at..label_at + nav[label_at..].find('"').unwrap()].to_string();
    let links = nav
        .split("<a ")
        .skip(1)
        .map(|link| {
            let text = &link[link.find('>').unwrap() + 1..link.find("</a>").unwrap()];
            let mark = if link[..link.find('>').unwrap()].contains("aria-current=\"page\"") {
                "current"
            } else if link[..link.find('>').unwrap()].contains("is-active") {
                "active"
            } else {
                ""
            };
            (text.to_string(), mark)
        })
        .collect();
    (label, links)
}

fn owned(links: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    links.iter().map(|(t, m)| (t.to_string(), *m)).collect()
}

#[test]
fn a_page_in_a_track_shows_the_track_with_the_page_marked() {
    let site = site_with_track();
    site.build().assert_success();
    let (label, links) = side_nav(&site.read("public/exercises/drill/index.html"));
    assert_eq!(label, "Track steps");
    assert_eq!(
        links,
        owned(&[("The path", ""), ("The talk", ""), ("The drill", "current")])
    );
    let (_, links) = side_nav(&site.read("public/tracks/path/index.html"));
    assert_eq!(
        links,
        owned(&[("The path", "current"), ("The talk", ""), ("The drill", "")])
    );
}

#[test]
fn lists_and_pages_in_no_track_show_the_sections_with_the_current_one_marked() {
    let site = site_with_track();
    site.build().assert_success();
    let sections = |marks: [&'static str; 5]| {
        ["Interviews", "Exercises", "Tracks", "Speakers", "Topics"]
            .iter()
            .zip(marks)
            .map(|(t, m)| (t.to_string(), m))
            .collect::<Vec<_>>()
    };
    let (label, links) = side_nav(&site.read("public/exercises/alone/index.html"));
    assert_eq!(label, "Sections");
    assert_eq!(links, sections(["", "active", "", "", ""]));
    let (_, links) = side_nav(&site.read("public/exercises/index.html"));
    assert_eq!(links, sections(["", "current", "", "", ""]));
    let (_, links) = side_nav(&site.read("public/topics/index.html"));
    assert_eq!(links, sections(["", "", "", "", "current"]));
}

#[test]
fn the_home_page_has_no_side_navigation() {
    let site = site_with_track();
    site.build().assert_success();
    assert!(!site.read("public/index.html").contains("class=\"side-nav"));
}

#[test]
fn on_this_page_lists_headings_down_to_h4() {
    let site = site_with_track();
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    let start = html
        .find("<nav class=\"toc\"")
        .expect("an \"On this page\" list");
    let toc = &html[start..start + html[start..].find("</nav>").unwrap()];
    let levels: Vec<&str> = toc
        .split("class=\"toc-level-")
        .skip(1)
        .map(|rest| &rest[..1])
        .collect();
    assert_eq!(levels, ["2", "3", "4"], "{toc}");
}

#[test]
fn brand_puts_the_logo_beside_the_title_and_the_accent_in_the_head() {
    let site = site_with_track()
        .file(
            "site.yaml",
            "title: Test Lab\nbrand: {logo: /img/logo.svg, accent: \"#0b5cad\"}\n",
        )
        .file(
            "static/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        );
    site.build().assert_success();
    let html = site.read("public/exercises/drill/index.html");
    assert!(
        html.contains("<img class=\"site-logo\" src=\"../../img/logo.svg\" alt=\"\">Test Lab</a>"),
        "{html}"
    );
    assert!(
        html.contains("<style>@media screen{:root{--accent:light-dark(#0b5cad, "),
        "{html}"
    );
    assert!(site.exists("public/img/logo.svg"));
}

#[test]
fn without_brand_the_theme_keeps_its_own_colours() {
    let site = site_with_track();
    site.build().assert_success();
    let html = site.read("public/index.html");
    assert!(!html.contains("<style>"), "{html}");
    assert!(!html.contains("site-logo"), "{html}");
}

#[test]
fn a_logo_that_is_not_in_static_is_an_error_at_its_line() {
    let site = Site::new().file(
        "site.yaml",
        "title: Test Lab\nbrand:\n  accent: \"#0b5cad\"\n  logo: /logo.svg\n",
    );
    site.build()
        .assert_errors(&["site.yaml:4: `brand.logo` `/logo.svg` is not a file in static/"]);
    let escaping = Site::new().file(
        "site.yaml",
        "title: Test Lab\nbrand: {logo: ../site.yaml}\n",
    );
    escaping
        .build()
        .assert_errors(&["site.yaml:2: `brand.logo` `/../site.yaml` is not a file in static/"]);
}

#[test]
fn the_colour_scheme_is_applied_in_the_head_before_the_stylesheet_paints() {
    let site = Site::new();
    site.build().assert_success();
    let html = site.read("public/index.html");
    let script = html
        .find("localStorage.getItem(\"salesbook:color-scheme\")")
        .expect("the stored choice is read in the head");
    assert!(script < html.find("</head>").unwrap());
    assert!(html.contains("<select id=\"sb-scheme\">"), "{html}");
}

#[test]
fn key_quotes_link_to_the_quotes_in_the_body_instead_of_repeating_them() {
    let site = Site::new().file(
        "content/interviews/talk.md",
        "---\ntitle: The talk\n---\n> Try it three times.\n>\n> — Al Smith\n\nText.\n\n> Judge it after.\n>\n> — Al Smith\n",
    );
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert_eq!(
        html.matches("<figure class=\"pull-quote\"").count(),
        2,
        "{html}"
    );
    assert!(
        html.contains("<figure class=\"pull-quote\" id=\"sb-quote-2\">"),
        "{html}"
    );
    let start = html.find("class=\"key-quotes\"").expect("key quotes");
    let key_quotes = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(
        key_quotes.contains("<a href=\"#sb-quote-1\">“Try it three times.”</a>"),
        "{key_quotes}"
    );
    assert!(
        key_quotes.contains("<a href=\"#sb-quote-2\">"),
        "{key_quotes}"
    );
    assert!(!key_quotes.contains("<blockquote"), "{key_quotes}");
}

#[test]
fn the_home_headline_does_not_repeat_the_site_name_of_the_header() {
    let same = Site::new().file(
        "content/_index.md",
        "---\ntitle: Test Lab\nsummary: Practise what you sell.\n---\nWelcome.\n",
    );
    same.build().assert_success();
    let html = same.read("public/index.html");
    assert!(
        html.contains("<h1 id=\"sb-hero\">Practise what you sell.</h1>"),
        "{html}"
    );
    let own = Site::new().file(
        "content/_index.md",
        "---\ntitle: Start here\nsummary: Practise what you sell.\n---\nWelcome.\n",
    );
    own.build().assert_success();
    let html = own.read("public/index.html");
    assert!(
        html.contains("<h1 id=\"sb-hero\">Start here</h1>"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"lead\">Practise what you sell.</p>"),
        "{html}"
    );
}
