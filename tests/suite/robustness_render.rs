//! Robustness of rendering (issue 7): template cycles, missing or broken
//! templates, endless recursion, hostile URL values in front matter and
//! pathological Markdown are errors at their file and line, never a crash.

use std::time::{Duration, Instant};

use crate::robustness::{assert_no_panic, bounded_build, quick_check, run_in, single_error, QUICK};
use crate::support::{image_file, Run, Site};

// --- templates ----------------------------------------------------------------

/// A site with an about page and these theme templates.
fn themed(templates: &[(&str, &str)]) -> Site {
    let mut site = Site::new().file("content/about.md", "---\ntitle: About\n---\nHello.\n");
    for (name, text) in templates {
        site = site.file(&format!("themes/default/templates/{name}"), text);
    }
    site
}

/// The build fails with exit 1 and exactly one error starting with
/// `expected`, writes nothing and does not crash.
#[track_caller]
fn assert_template_error(site: &Site, expected: &str) -> Run {
    let started = Instant::now();
    let run = bounded_build(site);
    assert!(started.elapsed() < QUICK);
    run.assert_errors(&[expected]);
    assert_no_panic(&run);
    assert!(!site.exists("public"), "a failed build wrote public/");
    run
}

#[test]
fn an_include_cycle_names_the_template_and_line() {
    let site = themed(&[
        ("a.html", "a\n{% include \"b.html\" %}\n"),
        ("b.html", "b\n\n{% include \"a.html\" %}\n"),
        ("page.html", "{% include \"a.html\" %}\n"),
    ]);
    assert_template_error(
        &site,
        "themes/default/templates/a.html:2: templates include each other in a circle: a.html -> b.html -> a.html",
    );
}

#[test]
fn an_extends_cycle_names_the_template_and_line() {
    let site = themed(&[
        ("a.html", "{% extends \"b.html\" %}\n"),
        ("b.html", "{% extends \"a.html\" %}\n"),
        ("page.html", "{% extends \"a.html\" %}\n"),
    ]);
    let run = bounded_build(&site);
    run.assert_code(1);
    let error = single_error(&run);
    assert!(
        error.starts_with(
            "themes/default/templates/a.html:1: templates extend each other in a circle"
        ) || error.starts_with(
            "themes/default/templates/b.html:1: templates extend each other in a circle"
        ),
        "{run}"
    );
}

#[test]
fn a_template_extending_itself_is_an_error_not_a_stack_overflow() {
    let site = themed(&[("page.html", "{% extends \"page.html\" %}\n")]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html:1: templates extend each other in a circle: page.html",
    );
}

#[test]
fn a_missing_included_template_names_the_template_and_line() {
    let site = themed(&[("page.html", "one\n{% include \"nope.html\" %}\n")]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html:2:12: Unknown template `nope.html`",
    );
}

#[test]
fn a_missing_parent_template_names_the_template_and_line() {
    let site = themed(&[("page.html", "\n{% extends \"nope.html\" %}\n")]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html:2: extends `nope.html`, which does not exist",
    );
}

#[test]
fn an_unknown_filter_in_a_theme_override_names_the_template_and_line() {
    let site = themed(&[(
        "page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}\nok\n{{ page.title | nosuchfilter }}\n{% endblock content %}\n",
    )]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html:4:17: Unknown filter `nosuchfilter`",
    );
}

#[test]
fn an_error_inside_a_theme_override_names_the_template_line_and_page() {
    let site = themed(&[(
        "page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}\nok\n{{ 1 / 0 }}\n{% endblock content %}\n",
    )]);
    let run = assert_template_error(
        &site,
        "themes/default/templates/page.html:4:8: Cannot divide by 0 (while rendering content/about.md)",
    );
    run.assert_stderr_contains("nothing was written");
}

#[test]
fn endless_component_recursion_is_an_error_naming_the_template_and_page() {
    let site = themed(&[(
        "page.html",
        "{% component again(n: integer) %}{{ <again n={n} /> }}{% endcomponent again %}\nx\n{{ <again n={1} /> }}\n",
    )]);
    assert_template_error(
        &site,
        "themes/default/templates/page.html: Maximum render recursion depth for components exceeded. (while rendering content/about.md)",
    );
}

#[test]
fn ten_thousand_nested_template_tags_are_an_error_not_a_stack_overflow() {
    let nested = format!(
        "{}x{}",
        "{% if true %}".repeat(10_000),
        "{% endif %}".repeat(10_000)
    );
    let site = themed(&[("page.html", &nested)]);
    let run = bounded_build(&site);
    let error = single_error(&run);
    assert!(
        error.starts_with("themes/default/templates/page.html:1:"),
        "{run}"
    );
    assert!(error.contains("too deep"), "{run}");
    let expression = format!("{{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000));
    let run = bounded_build(&themed(&[("page.html", &expression)]));
    let error = single_error(&run);
    assert!(
        error.starts_with("themes/default/templates/page.html:1:"),
        "{run}"
    );
}

// --- values in front matter ---------------------------------------------------

#[test]
fn unsafe_url_schemes_are_rejected_in_every_url_field() {
    let schemes = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\\tscript:alert(1)",
        "javascript\\n:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        " data:text/html,x",
        "\\u0001javascript:alert(1)",
        "file:///etc/passwd",
    ];
    for url in schemes {
        let value = format!("\"{url}\"");
        let site = Site::new()
            .file(
                "content/interviews/i.md",
                &format!("---\ntitle: I\nsource: {value}\nmedia: {value}\n---\n"),
            )
            .file(
                "content/speakers/jo.md",
                &format!("---\nname: Jo\nphoto: {value}\nlinks:\n  - label: Site\n    url: {value}\n---\n"),
            );
        let run = quick_check(&site);
        run.assert_errors(&[
            "content/interviews/i.md:3: `source` has an unsafe URL",
            "content/interviews/i.md:4: `media` must be a file of the site or an https:// address",
            "content/speakers/jo.md:3: `photo` has an unsafe URL",
            "content/speakers/jo.md:5: `links.url` has an unsafe URL",
        ]);
    }
}

#[test]
fn script_tags_and_quotes_in_url_fields_are_escaped() {
    let hostile =
        r#"https://example.com/a?b="><script>alert(1)</script>&c='x'"#.replace('\'', "''");
    let path = r#"/img/x.png"onerror="alert(1)"#;
    let site = Site::new()
        .file(
            "content/interviews/i.md",
            &format!("---\ntitle: I\nhost: jo\nsource: '{hostile}'\nmedia: '{hostile}'\n---\n"),
        )
        .file(
            "content/speakers/jo.md",
            &format!(
                "---\nname: Jo\nphoto: '{path}'\nlinks:\n  - label: '<script>alert(2)</script>'\n    url: '{hostile}'\n---\n"
            ),
        )
        // The photo must exist, under its hostile name.
        .bytes(
            &format!("static{path}"),
            &image_file(4, 4, image::ImageFormat::Png),
        );
    bounded_build(&site).assert_success();
    let mut checked = 0;
    for (file, bytes) in site.snapshot("public") {
        if !file.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        assert!(
            !html.contains("<script>alert"),
            "{file} holds an unescaped <script>"
        );
        assert!(
            !html.contains("\"onerror="),
            "{file} lets a value out of its attribute"
        );
        assert!(
            !html.contains("b=\"><"),
            "{file} lets a value out of its attribute"
        );
        checked += 1;
    }
    assert!(checked > 5);
    let interview = site.read("public/interviews/i/index.html");
    assert!(
        interview.contains("&lt;script&gt;alert(1)&lt;"),
        "{interview}"
    );
    let speaker = site.read("public/speakers/jo/index.html");
    assert!(speaker.contains("&lt;script&gt;alert(2)&lt;"), "{speaker}");
}

// --- Markdown -------------------------------------------------------------------

#[test]
fn a_markdown_renderer_panic_is_caught_and_the_other_pages_still_report() {
    let site = Site::new()
        .file("content/exercises/a.md", "---\ntitle: A\n---\nFine text.\n")
        .file(
            "content/exercises/b.md",
            "---\ntitle: B\n---\nSee [gone](gone.md).\n",
        )
        .file(
            "content/exercises/c.md",
            "---\ntitle: C\nattempts: 0\n---\n",
        );
    for command in ["check", "build"] {
        let run = run_in(
            site.root(),
            &[command, site.root().to_str().unwrap()],
            &[("SALESBOOK_FAULT_PANIC_IN", "exercises/a")],
        );
        run.assert_errors(&[
            "content/exercises/a.md:4: the Markdown renderer failed on this page",
            "content/exercises/b.md:4:5: link to `gone.md`",
            "content/exercises/c.md:3: `attempts` must be from 1 to 10",
        ]);
        assert!(!run.stderr.contains("aborting"), "{run}");
    }
    assert!(!site.exists("public"));
}

#[test]
fn a_hundred_thousand_nested_blockquotes_are_an_error_not_a_stack_overflow() {
    let site = Site::new().file(
        "content/exercises/deep.md",
        &format!("---\ntitle: Deep\n---\n{} x\n", ">".repeat(100_000)),
    );
    let started = Instant::now();
    let run = bounded_build(&site);
    assert!(started.elapsed() < Duration::from_secs(60));
    run.assert_errors(&[
        "content/exercises/deep.md:4:33: blockquotes are nested more than 32 deep",
    ]);
}

/// Found by fuzzing: a second heading `SB` got the id `sb-1`, inside the
/// theme's `sb-` namespace.
#[test]
fn numbered_heading_ids_never_take_the_themes_prefix() {
    let site = Site::new().file(
        "content/exercises/x.md",
        "---\ntitle: X\n---\n## SB\n\n## SB\n\n## sb-search\n",
    );
    bounded_build(&site).assert_success();
    let html = site.read("public/exercises/x/index.html");
    for id in ["section-sb", "section-sb-1", "section-sb-search"] {
        assert!(
            html.contains(&format!("<h2 id=\"{id}\">")),
            "no heading id {id}:\n{html}"
        );
    }
    assert!(!html.contains("<h2 id=\"sb-"), "{html}");
}

#[test]
fn deeply_nested_lists_and_emphasis_build() {
    let lists: String = (0..2_000)
        .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
        .collect();
    let site = Site::new().file(
        "content/exercises/deep.md",
        &format!(
            "---\ntitle: Deep\n---\n{lists}\n{}x{}\n\n{}x{}\n",
            "*".repeat(20_000),
            "*".repeat(20_000),
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    let started = Instant::now();
    bounded_build(&site).assert_success();
    assert!(started.elapsed() < Duration::from_secs(60));
}
