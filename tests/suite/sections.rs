//! Sections: folders of plain pages under `content/`, at any depth, each
//! with a page listing what it holds (from its `_index.md`, or made for
//! it), breadcrumbs along the tree, and their URLs checked like any page's.

use crate::support::{links, Site};

/// A handbook two levels deep: `handbook/` with an `_index.md`, `sales/`
/// without one, and a page at each level.
fn handbook() -> Site {
    Site::new()
        .file(
            "content/handbook/_index.md",
            "---\ntitle: The Handbook\nsummary: How we work.\n---\nStart with [the desk](sales/deal-desk.md).\n",
        )
        .file(
            "content/handbook/sales/deal-desk.md",
            "---\ntitle: Deal desk\nsummary: Approvals.\nweight: 2\n---\nSee [quotes](quotes.md#limits) and [the handbook](../_index.md).\n",
        )
        .file(
            "content/handbook/sales/quotes.md",
            "---\ntitle: Quotes\nweight: 1\n---\n## Limits\n\nUp to ten.\n",
        )
        .file(
            "content/handbook/sales/zebra.md",
            "---\ntitle: Zebra\n---\nLast: no weight.\n",
        )
        .file(
            "content/handbook/onboarding.md",
            "---\ntitle: Onboarding\n---\nDay one.\n",
        )
}

/// The `<main>` of a page: what the page shows besides the theme's frame.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

/// The text of each card title a section page lists, in order.
fn card_titles(html: &str) -> Vec<String> {
    main_of(html)
        .split("class=\"card-title\"><a href=\"")
        .skip(1)
        .map(|rest| {
            let title = &rest[rest.find('>').expect("a link") + 1..];
            title[..title.find('<').expect("a closing tag")].to_string()
        })
        .collect()
}

#[test]
fn pages_in_folders_keep_the_folder_path_in_their_url() {
    let site = handbook();
    site.build().assert_success();
    for path in [
        "handbook/index.html",
        "handbook/sales/index.html",
        "handbook/sales/deal-desk/index.html",
        "handbook/sales/quotes/index.html",
        "handbook/onboarding/index.html",
    ] {
        assert!(site.exists(&format!("public/{path}")), "no {path}");
    }
    // Links between them resolve relative to the file, fragments included.
    let desk = site.read("public/handbook/sales/deal-desk/index.html");
    let hrefs = links(main_of(&desk));
    assert!(
        hrefs.contains(&"../../../handbook/sales/quotes/#limits".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"../../../handbook/".to_string()),
        "{hrefs:?}"
    );
}

#[test]
fn a_section_page_lists_its_pages_and_sub_sections_by_weight_then_title() {
    let site = handbook();
    site.build().assert_success();
    // From the _index.md: its title, summary and intro.
    let handbook = site.read("public/handbook/index.html");
    assert!(handbook.contains("<h1>The Handbook</h1>"), "{handbook}");
    assert!(handbook.contains("How we work."), "{handbook}");
    assert!(handbook.contains("Start with"), "{handbook}");
    assert_eq!(card_titles(&handbook), ["Onboarding", "Sales"]);
    // Made for the folder: the title is the folder's name, made readable.
    let sales = site.read("public/handbook/sales/index.html");
    assert!(sales.contains("<h1>Sales</h1>"), "{sales}");
    assert_eq!(card_titles(&sales), ["Quotes", "Deal desk", "Zebra"]);
    assert!(
        main_of(&sales).contains("Approvals."),
        "the summary is shown"
    );
}

#[test]
fn a_folder_holding_only_folders_gets_a_page_named_after_it() {
    let site = Site::new().file(
        "content/field-ops/deal_desk/approvals.md",
        "---\ntitle: Approvals\n---\n",
    );
    site.build().assert_success();
    let top = site.read("public/field-ops/index.html");
    assert!(top.contains("<h1>Field ops</h1>"), "{top}");
    assert_eq!(card_titles(&top), ["Deal desk"]);
    let inner = site.read("public/field-ops/deal-desk/index.html");
    assert_eq!(card_titles(&inner), ["Approvals"]);
}

#[test]
fn breadcrumbs_follow_the_tree_and_every_crumb_resolves() {
    let site = handbook();
    site.build().assert_success();
    let page = "handbook/sales/deal-desk/index.html";
    let html = site.read(&format!("public/{page}"));
    let nav = &html[html.find("class=\"breadcrumb\"").expect("breadcrumbs")..];
    let nav = &nav[..nav.find("</nav>").expect("the end of the breadcrumbs")];
    assert!(
        nav.contains(">Home</a>")
            && nav.contains(">The Handbook</a>")
            && nav.contains(">Sales</a>")
            && nav.contains("<li aria-current=\"page\">Deal desk</li>"),
        "{nav}"
    );
    let crumbs = links(nav);
    assert_eq!(
        crumbs,
        [
            "../../../",
            "../../../handbook/",
            "../../../handbook/sales/"
        ]
    );
    // Relative to the page's folder, each crumb is a page of the output.
    let folder = site.path("public/handbook/sales/deal-desk");
    for crumb in crumbs {
        let target = folder.join(&crumb).join("index.html");
        assert!(target.is_file(), "{crumb} leads nowhere");
    }
}

#[test]
fn refs_name_pages_in_sections_by_their_path() {
    let site = handbook().file(
        "content/tracks/start.md",
        "---\ntitle: Start\nitems: [handbook/sales/deal-desk, handbook/onboarding]\n---\n",
    );
    site.build().assert_success();
    let track = site.read("public/tracks/start/index.html");
    assert!(track.contains("../../handbook/sales/deal-desk/"), "{track}");

    let site = handbook().file(
        "content/tracks/start.md",
        "---\ntitle: Start\nitems: [handbook/deal-desk]\n---\n",
    );
    site.check()
        .assert_errors(&["content/tracks/start.md:3: `items` names `handbook/deal-desk`"]);

    // A section's page lists other pages: it is no step of a track.
    let site = handbook().file(
        "content/tracks/start.md",
        "---\ntitle: Start\nitems: [handbook/_index]\n---\n",
    );
    site.check().assert_errors(&[
        "content/tracks/start.md:3: `items` lists `handbook/_index`, which is a section",
    ]);
}

#[test]
fn a_page_beside_a_folder_of_the_same_name_is_an_error_naming_both() {
    let site = handbook().file("content/handbook.md", "---\ntitle: Handbook\n---\n");
    site.check().assert_errors(&[
        "content/handbook.md:1: 2 pages have the URL /handbook/: content/handbook.md, content/handbook/_index.md",
        "content/handbook/_index.md:1: 2 pages have the URL /handbook/: content/handbook.md, content/handbook/_index.md",
    ]);
    // Beside a folder without _index.md, the error is at the page alone.
    let site = handbook().file("content/handbook/sales.md", "---\ntitle: Sales\n---\n");
    let run = site.check();
    run.assert_errors(&[
        "content/handbook/sales.md:1: 2 pages have the URL /handbook/sales/: content/handbook/sales.md, content/handbook/sales/",
    ]);
    run.assert_stderr_contains("move this file to content/handbook/sales/_index.md");
    // Two folders whose names differ in case: the error is at the one
    // with an _index.md, or at each folder (with no line) when neither has.
    let site = handbook().file("content/Handbook/more.md", "---\ntitle: More\n---\n");
    site.check().assert_errors(&[
        "content/handbook/_index.md:1: 2 pages have the URL /handbook/: content/Handbook/, content/handbook/_index.md (rename the folder)",
    ]);
    let site = Site::new()
        .file("content/Sales/a.md", "---\ntitle: A\n---\n")
        .file("content/sales/b.md", "---\ntitle: B\n---\n");
    site.check().assert_errors(&[
        "content/Sales/: 2 pages have the URL /sales/: content/Sales/, content/sales/ (rename the folder)",
        "content/sales/: 2 pages have the URL /sales/",
    ]);
}

#[test]
fn a_folder_with_the_name_of_a_page_the_build_writes_is_an_error() {
    Site::new()
        .file("content/topics/x.md", "---\ntitle: X\n---\n")
        .check()
        .assert_errors(&[
            "content/topics/: the URL /topics/ is used by the site's own list page (rename the folder)",
        ]);
}

#[test]
fn a_static_file_where_a_section_page_goes_is_an_error() {
    let site = handbook().file("static/handbook/sales/index.html", "<p>old</p>");
    site.check().assert_errors(&[
        "static/handbook/sales/index.html: this would write `handbook/sales/index.html`, which content/handbook/sales/ writes too",
    ]);
}

#[test]
fn a_section_url_comes_from_its_folder_not_a_slug() {
    let site = handbook().file(
        "content/handbook/_index.md",
        "---\ntitle: The Handbook\nslug: guide\n---\n",
    );
    site.check()
        .assert_errors(&["content/handbook/_index.md:3: a section's URL is its folder's name"]);
    let site = Site::new().file("content/interviews/_index.md", "---\ntitle: All\n---\n");
    site.check().assert_errors(&[
        "content/interviews/_index.md: an `_index.md` in content/interviews/ is not used",
    ]);
}

#[test]
fn drafts_leave_their_section_lists_and_a_draft_section_takes_its_pages() {
    let site = handbook()
        .file(
            "content/handbook/sales/zebra.md",
            "---\ntitle: Zebra\ndraft: true\n---\n",
        )
        .file(
            "content/secret/plan.md",
            "---\ntitle: Plan\ndraft: true\n---\n",
        )
        .file(
            "content/legal/_index.md",
            "---\ntitle: Legal\ndraft: true\n---\n",
        )
        .file("content/legal/terms.md", "---\ntitle: Terms\n---\n");
    site.build().assert_success();
    let sales = site.read("public/handbook/sales/index.html");
    assert_eq!(card_titles(&sales), ["Quotes", "Deal desk"]);
    // A folder of drafts only has no page; a draft section hides its own.
    for gone in [
        "secret/index.html",
        "legal/index.html",
        "legal/terms/index.html",
    ] {
        assert!(
            !site.exists(&format!("public/{gone}")),
            "{gone} was written"
        );
    }
    site.build_with(&["--drafts"]).assert_success();
    for there in ["secret/index.html", "legal/terms/index.html"] {
        assert!(
            site.exists(&format!("public/{there}")),
            "{there} is missing"
        );
    }
}

#[test]
fn search_and_the_sitemap_hold_section_pages_and_the_pages_in_them() {
    let site = handbook().file("site.yaml", "title: Lab\nbase_url: https://e.com/\n");
    site.build().assert_success();
    let sitemap = site.read("public/sitemap.xml");
    let docs = site.read("public/search/docs.json");
    for url in ["handbook/", "handbook/sales/", "handbook/sales/deal-desk/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://e.com/{url}</loc>")),
            "{url} not in the sitemap"
        );
        assert!(
            docs.contains(&format!("\"{url}\"")),
            "{url} not in the search index: {docs}"
        );
    }
}

#[test]
fn a_page_in_a_section_sees_its_section_s_entries_for_a_side_navigation() {
    let template = "{% extends \"__salesbook/page.html\" %}{% block content %}\
        {% if page.section %}<nav data-section=\"{{ page.section.url }}\">{{ page.section.title }}:\
        {% for entry in page.section.entries %} {{ entry.title }}|{{ entry.url }}|{{ entry.current }}|{{ entry.section }}{% endfor %}\
        </nav>{% endif %}{% endblock content %}";
    let site = handbook()
        .file(
            "content/handbook/sales/deep/inner.md",
            "---\ntitle: Inner\n---\n",
        )
        .file("themes/default/templates/page.html", template);
    site.build().assert_success();
    let desk = site.read("public/handbook/sales/deal-desk/index.html");
    assert!(
        desk.contains(
            "<nav data-section=\"handbook/sales/\">Sales: \
             Quotes|handbook/sales/quotes/|false|false \
             Deal desk|handbook/sales/deal-desk/|true|false \
             Deep|handbook/sales/deep/|false|true \
             Zebra|handbook/sales/zebra/|false|false</nav>"
        ),
        "{desk}"
    );
    // A page at the top of content/ is in no section.
    let site = site.file("content/about.md", "---\ntitle: About\n---\n");
    site.build().assert_success();
    assert!(!site
        .read("public/about/index.html")
        .contains("data-section"));
}

#[test]
fn a_tagged_section_page_is_on_its_topic_page() {
    let site = handbook().file(
        "content/handbook/_index.md",
        "---\ntitle: The Handbook\ntags: [Process]\n---\n",
    );
    site.build().assert_success();
    let topic = site.read("public/topics/process/index.html");
    assert!(
        topic.contains("../../handbook/\">The Handbook</a>"),
        "{topic}"
    );
}

#[test]
fn pages_and_section_indexes_in_folders_may_come_without_front_matter() {
    let site = Site::new()
        .file(
            "content/wiki/_index.md",
            "Pages kept as the wiki exported them.\n",
        )
        .file(
            "content/wiki/team/_index.md",
            "# Our team {#team}\n\nWho we are.\n",
        )
        .file(
            "content/wiki/team/deal-desk.md",
            "# Deal desk\n\nApprovals go here.\n",
        )
        .file("content/wiki/team/pricing_faq.md", "No heading here.\n");
    site.build().assert_success();
    let title = |path: &str| {
        let html = site.read(&format!("public/{path}"));
        let start = html.find("<title>").expect("a <title>") + "<title>".len();
        html[start..html.find("</title>").expect("a </title>")].to_string()
    };
    assert!(title("wiki/index.html").starts_with("Wiki"));
    assert!(title("wiki/team/index.html").starts_with("Our team"));
    assert!(title("wiki/team/deal-desk/index.html").starts_with("Deal desk"));
    assert!(title("wiki/team/pricing-faq/index.html").starts_with("Pricing faq"));
    // The heading that gave the title is not repeated in the body.
    assert_eq!(
        main_of(&site.read("public/wiki/team/deal-desk/index.html"))
            .matches("Deal desk</h1>")
            .count(),
        1
    );
}
