//! A site's `themes/<name>/` overrides single templates and assets of the
//! built-in theme.

use crate::support::{asset_path, Site};

fn with_about() -> Site {
    Site::new().file("content/about.md", "---\ntitle: About\n---\nHello.\n")
}

#[test]
fn a_site_template_replaces_the_built_in_one() {
    let site = with_about().file(
        "themes/default/templates/page.html",
        "OVERRIDE {{ page.title }} at {{ root }}\n",
    );
    site.build().assert_success();
    assert_eq!(
        site.read("public/about/index.html"),
        "OVERRIDE About at ../\n"
    );
    assert!(
        site.read("public/index.html")
            .starts_with("<!DOCTYPE html>"),
        "other templates are the built-in ones"
    );
}

#[test]
fn an_override_can_extend_the_built_in_template() {
    let site = with_about().file(
        "themes/default/templates/page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}CUSTOM {{ page.title }}{% endblock content %}\n",
    );
    site.build().assert_success();
    let html = site.read("public/about/index.html");
    assert!(html.contains("CUSTOM About"), "{html}");
    let css = asset_path(&site.path("public"), "salesbook.css");
    assert!(
        html.contains(&format!("<link rel=\"stylesheet\" href=\"../{css}\">")),
        "the base template is kept:\n{html}"
    );
    assert!(
        !html.contains("Hello."),
        "the replaced block is gone:\n{html}"
    );
}

#[test]
fn a_named_theme_is_used() {
    let site = with_about()
        .file("site.yaml", "title: Test Lab\ntheme: brand\n")
        .file(
            "themes/brand/templates/page.html",
            "BRAND {{ page.title }}\n",
        );
    site.build().assert_success();
    assert_eq!(site.read("public/about/index.html"), "BRAND About\n");
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let site = with_about().file(
        "themes/default/templates/page.html",
        "line one\nline two\n{% if %}\n",
    );
    site.build()
        .assert_errors(&["themes/default/templates/page.html:3:"]);
    assert!(!site.exists("public"));
}

#[test]
fn a_template_rendering_error_names_the_template_line_and_page() {
    let site = with_about().file(
        "themes/default/templates/page.html",
        "one\n{{ page.nothing.deeper }}\n",
    );
    site.build()
        .assert_errors(&["themes/default/templates/page.html:2:"])
        .assert_stderr_contains("(while rendering content/about.md)");
}

#[test]
fn a_missing_theme_is_an_error_at_its_line() {
    with_about()
        .file("site.yaml", "title: Test Lab\ntheme: fancy\n")
        .check()
        .assert_errors(&["site.yaml:2: theme `fancy` not found"]);
}

#[test]
fn a_theme_asset_overrides_the_built_in_one() {
    let site = with_about().file(
        "themes/default/static/assets/salesbook.css",
        "/* theme */\n",
    );
    site.build().assert_success();
    let css = asset_path(&site.path("public"), "salesbook.css");
    assert_eq!(site.read(&format!("public/{css}")), "/* theme */\n");
}

#[test]
fn a_site_static_file_overrides_a_theme_asset() {
    let site = with_about()
        .file(
            "themes/default/static/assets/salesbook.css",
            "/* theme */\n",
        )
        .file("static/assets/salesbook.css", "/* site */\n");
    site.build().assert_success();
    let out = site.path("public");
    let css = asset_path(&out, "salesbook.css");
    assert_eq!(site.read(&format!("public/{css}")), "/* site */\n");
    assert!(
        !site.exists("public/assets/salesbook.css"),
        "it replaces the asset, under the asset's hashed name only"
    );
    let js = asset_path(&out, "salesbook.js");
    assert!(
        !site.read(&format!("public/{js}")).is_empty(),
        "other built-in assets are still there"
    );
}

#[test]
fn a_template_gets_the_section_of_the_page_it_renders() {
    let site = with_about()
        .file("content/interviews/talk.md", "---\ntitle: Talk\n---\nHi.\n")
        .file(
            "themes/default/templates/page.html",
            "[{{ current_section }}] {{ current_url }}\n",
        )
        .file(
            "themes/default/templates/interview.html",
            "[{{ current_section }}] {{ current_url }}\n",
        )
        .file(
            "themes/default/templates/list.html",
            "[{{ current_section }}] {{ current_url }}\n",
        );
    site.build().assert_success();
    assert_eq!(site.read("public/about/index.html"), "[about] about/\n");
    assert_eq!(
        site.read("public/interviews/talk/index.html"),
        "[interviews] interviews/talk/\n"
    );
    assert_eq!(
        site.read("public/interviews/index.html"),
        "[interviews] interviews/\n"
    );
}
