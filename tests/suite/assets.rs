//! Cache busting: theme assets are written under names with a hash of
//! their bytes (`assets/salesbook.3f9a1c0d.css`), every page names them
//! so, and a template still naming an asset's fixed path is an error.

use std::collections::BTreeSet;
use std::path::Path;

use crate::live_support::{clean_build, tree_difference, Running};
use crate::support::{asset_path, links, rich_site, snapshot};

const BUILT_IN_ASSETS: [&str; 7] = [
    "favicon.svg",
    "lms.css",
    "salesbook.css",
    "salesbook.js",
    "scorm.js",
    "search.css",
    "search.js",
];

/// The files under `out/assets/`.
fn asset_files(out: &Path) -> BTreeSet<String> {
    std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// What the `<link href>` and `<script src>` of `html` name.
fn linked_files(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        if tag.starts_with("link ") || tag.starts_with("script ") {
            found.extend(links(&format!(" {tag}")));
        }
    }
    found
}

#[test]
fn theme_assets_have_hashed_names_and_every_page_links_them() {
    let site = rich_site().file("static/assets/own.css", "/* the site's own */\n");
    site.build().assert_success();
    let out = site.path("public");
    let mut expected: BTreeSet<String> = BUILT_IN_ASSETS
        .iter()
        .map(|name| {
            asset_path(&out, name)
                .trim_start_matches("assets/")
                .to_string()
        })
        .collect();
    // A file of the site's own static/ keeps its name.
    expected.insert("own.css".to_string());
    assert_eq!(asset_files(&out), expected);

    let pages: Vec<String> = snapshot(&out)
        .into_keys()
        .filter(|path| path.ends_with(".html"))
        .collect();
    assert!(pages.len() > 10, "{pages:?}");
    for page in &pages {
        let html = site.read(&format!("public/{page}"));
        let folder = Path::new(page).parent().unwrap();
        let linked = linked_files(&html);
        let css = asset_path(&out, "salesbook.css");
        // 404.html carries its own styles (hosts serve it at any path).
        assert!(
            page == "404.html" || linked.iter().any(|link| link.ends_with(&css)),
            "{page} does not link {css}: {linked:?}"
        );
        for link in linked.iter().filter(|link| !link.contains("://")) {
            let target = out.join(folder).join(link);
            assert!(target.is_file(), "{page} links {link}, which is not there");
        }
    }
}

#[test]
fn names_are_the_same_in_every_build_and_an_override_gets_its_own() {
    let site = rich_site();
    let elsewhere = tempfile::tempdir().unwrap();
    let other_out = elsewhere.path().join("out");
    site.build().assert_success();
    site.build_with(&["-o", other_out.to_str().unwrap()])
        .assert_success();
    let built_in = asset_path(&site.path("public"), "salesbook.css");
    assert_eq!(asset_files(&site.path("public")), asset_files(&other_out));

    site.write(
        "themes/default/static/assets/salesbook.css",
        "body { color: teal; }\n",
    );
    site.build().assert_success();
    let out = site.path("public");
    let overridden = asset_path(&out, "salesbook.css");
    assert_ne!(overridden, built_in);
    assert_eq!(
        site.read(&format!("public/{overridden}")),
        "body { color: teal; }\n"
    );
    assert!(!out.join(&built_in).exists(), "the built-in one is gone");
    let html = site.read("public/exercises/first/index.html");
    assert!(html.contains(&format!("../../{overridden}")), "{html}");
    // The other assets keep their names.
    assert_eq!(
        asset_path(&out, "salesbook.js"),
        asset_path(&other_out, "salesbook.js")
    );
}

/// A theme's stylesheet that uses a font and an image of its assets names
/// them by their hashed names, and gets its hash from those bytes.
#[test]
fn a_theme_stylesheet_names_the_assets_it_uses_by_their_hashed_names() {
    let site = rich_site()
        .file(
            "themes/default/static/assets/salesbook.css",
            "@font-face{font-family:Brand;src:url(\"fonts/brand.woff2\") format(\"woff2\")}\n\
             header{background:url(../assets/stripe.svg)}\n",
        )
        .file("themes/default/static/assets/fonts/brand.woff2", "font v1")
        .file("themes/default/static/assets/stripe.svg", "<svg/>");
    site.build().assert_success();
    let out = site.path("public");
    let css_path = asset_path(&out, "salesbook.css");
    let css = site.read(&format!("public/{css_path}"));
    let font = std::fs::read_dir(out.join("assets/fonts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    assert_eq!(font.len(), 1, "{font:?}");
    assert!(
        font[0].starts_with("brand.") && font[0] != "brand.woff2",
        "{font:?}"
    );
    let stripe = asset_path(&out, "stripe.svg");
    assert_eq!(
        css,
        format!(
            "@font-face{{font-family:Brand;src:url(\"fonts/{}\") format(\"woff2\")}}\n\
             header{{background:url(../{stripe})}}\n",
            font[0]
        )
    );
    // A new font is a new stylesheet too.
    site.write("themes/default/static/assets/fonts/brand.woff2", "font v2");
    site.build().assert_success();
    assert_ne!(asset_path(&out, "salesbook.css"), css_path);
}

/// A template written for the fixed names (before they had hashes) would
/// silently lose the theme's styles: it is an error at the name.
#[test]
fn a_template_naming_an_asset_by_its_fixed_path_is_an_error_at_that_place() {
    let site = rich_site().file(
        "themes/default/templates/base.html",
        "<!DOCTYPE html>\n<html>\n<head>\n  <link rel=\"stylesheet\" href=\"{{ root }}assets/salesbook.css\">\n\
         </head>\n<body>{% block content %}{% endblock content %}</body>\n</html>\n",
    );
    site.build().assert_errors(&[
        "themes/default/templates/base.html:4:42: `assets/salesbook.css` is not written",
    ]);
    site.build()
        .assert_stderr_contains("write {{ asset(path=\"salesbook.css\") }} in its place");
}

#[test]
fn asking_for_an_asset_the_theme_has_not_is_an_error_at_the_template_line() {
    let site = rich_site().file(
        "themes/default/templates/page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}\n\
         <link href=\"{{ root }}{{ asset(path=\"missing.css\") }}\">\n{% endblock content %}\n",
    );
    let run = site.build();
    run.assert_code(1);
    run.assert_stderr_contains("themes/default/templates/page.html:3");
    run.assert_stderr_contains("the theme has no asset `missing.css`; it has `favicon.svg`");
}

/// `watch` gives an edited asset its new name on every page and deletes
/// the old file: OUT is what a clean build writes.
#[test]
fn watch_renames_an_edited_asset_everywhere() {
    let site = rich_site();
    let out = site.path("public");
    let process = Running::watch(site.root(), &out, &[]);
    let old_name = asset_path(&out, "search.js");
    let before = process.rebuilds();
    site.write("themes/default/static/assets/search.js", "/* none */\n");
    process.wait_for_rebuild_after(before);
    let new_name = asset_path(&out, "search.js");
    assert_ne!(new_name, old_name);
    let html = site.read("public/index.html");
    assert!(html.contains(&new_name), "{html}");
    assert_eq!(
        tree_difference(&snapshot(&out), &clean_build(site.root())),
        None,
        "{}",
        process.describe()
    );
}
