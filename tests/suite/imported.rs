//! Content brought from other generators and wikis: heading ids as GitHub
//! makes them, `broken_links: warn`, root-absolute links and aliases,
//! pages without front matter, raw HTML links and shortcodes.

use crate::support::Site;

/// A page with a link to a missing page, one to a missing heading, one to
/// a missing static file and a missing image, under either setting.
fn site_with_dead_links(setting: &str) -> Site {
    Site::new()
        .file("site.yaml", &format!("title: Test Lab\n{setting}"))
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n## Steps\n\n\
             [gone](gone.md) [missing heading](about.md#stpes)\n\
             [file](/files/old.pdf) ![chart](/img/chart.png) [fine](#steps)\n",
        )
}

#[test]
fn broken_links_are_errors_by_default_and_warnings_with_warn() {
    site_with_dead_links("").check().assert_errors(&[
        "content/about.md:6:1: link to `gone.md`: there is no page content/gone.md",
        "content/about.md:6:17: no heading `#stpes` in content/about.md",
        "content/about.md:7:1: link to `/files/old.pdf`",
        "content/about.md:7:24: image to `/img/chart.png`",
    ]);
    let site = site_with_dead_links("broken_links: warn\n");
    let run = site.build();
    run.assert_success()
        .assert_stderr_contains("warning: content/about.md:6:1: link to `gone.md`")
        .assert_stderr_contains("warning: content/about.md:6:17: no heading `#stpes`")
        .assert_stderr_contains("warning: content/about.md:7:1: link to `/files/old.pdf`")
        .assert_stderr_contains("warning: content/about.md:7:24: image to `/img/chart.png`");
    // A dead link or image is written as its words, so readers never land
    // on a missing page; a link to a missing heading still leads to its
    // page, without the dead fragment.
    let html = site.read("public/about/index.html");
    let body = &html[html.find("<p>").expect("a paragraph")..];
    let body = &body[..body.find("</p>").expect("its end")];
    assert_eq!(
        body,
        "<p>gone <a href=\"../about/\">missing heading</a>\nfile chart <a href=\"#steps\">fine</a>"
    );
    let github = site.check_with(&["--format", "github"]);
    github.assert_code(0);
    assert!(
        github
            .stdout
            .lines()
            .chain(github.stderr.lines())
            .any(|line| line.starts_with("::warning file=content/about.md,line=6,col=1::")),
        "{github}"
    );
}

#[test]
fn refs_in_front_matter_stay_errors_with_broken_links_warn() {
    Site::new()
        .file("site.yaml", "title: Test Lab\nbroken_links: warn\n")
        .file(
            "content/exercises/x.md",
            "---\ntitle: X\nrelated: [interviews/gone]\n---\n",
        )
        .check()
        .assert_errors(&["content/exercises/x.md:3: `related` names `interviews/gone`"]);
}

#[test]
fn a_wrong_broken_links_value_is_an_error_with_a_suggestion() {
    Site::new()
        .file("site.yaml", "title: Test Lab\nbroken_links: warning\n")
        .check()
        .assert_errors(&[
            "site.yaml:2:15: `broken_links` must be one of `error` or `warn`, not `warning`",
        ])
        .assert_stderr_contains("did you mean `warn`?");
}

#[test]
fn a_plain_page_without_front_matter_takes_its_title_from_its_first_heading() {
    let site = Site::new()
        .file(
            "content/deal-desk.md",
            "Owned by sales operations.\n\n# Deal Desk {#desk}\n\n## How to ask\n\nAsk early.\n",
        )
        .file("content/faq-and-tips.md", "Ask us anything.\n")
        .file("content/_index.md", "# Sales handbook\n\nWelcome.\n");
    site.build().assert_success();
    let page = site.read("public/deal-desk/index.html");
    assert!(
        page.contains("<title>Deal Desk — Test Lab</title>"),
        "{page}"
    );
    assert_eq!(
        page.matches("Deal Desk").count(),
        2,
        "title and h1 only: {page}"
    );
    assert!(
        page.contains("<h2 id=\"how-to-ask\">How to ask</h2>"),
        "{page}"
    );
    assert!(page.contains("Owned by sales operations."), "{page}");
    let faq = site.read("public/faq-and-tips/index.html");
    assert!(faq.contains("<h1>Faq and tips</h1>"), "{faq}");
    let home = site.read("public/index.html");
    assert!(home.contains("Sales handbook"), "{home}");
    assert_eq!(
        home.matches("<h1").count(),
        1,
        "the heading is not repeated: {home}"
    );
}

#[test]
fn errors_in_a_page_without_front_matter_keep_their_lines() {
    Site::new()
        .file(
            "content/deal-desk.md",
            "# Deal Desk\nSee [the old form](form.md).\n\n\
             Title\n=====\n\n[gone](gone.md)\n",
        )
        .check()
        .assert_errors(&[
            "content/deal-desk.md:2:5: link to `form.md`",
            "content/deal-desk.md:7:1: link to `gone.md`",
        ]);
}

#[test]
fn typed_pages_still_need_front_matter() {
    Site::new()
        .file("content/exercises/x.md", "# Three tries\n\nTry it.\n")
        .check()
        .assert_errors(&["content/exercises/x.md:1: the file does not start with front matter"]);
}

#[test]
fn root_absolute_links_name_page_urls_and_static_files_and_are_written_relative() {
    let site = Site::new()
        .file(
            "content/deal-desk.md",
            "---\ntitle: Deal desk\n---\n## How to ask\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n\
             [a](/deal-desk/) [b](/deal-desk#how-to-ask) [c](/deal-desk/index.html)\n\
             ![d](/images/a.png) [e](/) [f](/index.html)\n",
        )
        .bytes("static/images/a.png", b"png");
    site.build().assert_success();
    let links = crate::support::links(&site.read("public/about/index.html"));
    for link in [
        "../deal-desk/",
        "../deal-desk#how-to-ask",
        "../deal-desk/index.html",
        "../images/a.png",
        "../",
        "../index.html",
    ] {
        assert!(links.contains(&link.to_string()), "{link} in {links:?}");
    }
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\n[a](/deal-desk/index.html#how) [b](/handbook/deal-desk/)\n",
    );
    site.check().assert_errors(&[
        "content/about.md:4:1: no heading `#how` in content/deal-desk.md",
        "content/about.md:4:32: link to `/handbook/deal-desk/`: there is no file static/handbook/deal-desk/ and no page at that URL",
    ]);
}

#[test]
fn aliases_write_redirect_pages_at_old_urls() {
    let site = Site::new()
        .file("site.yaml", "title: Test Lab\nbase_url: https://example.com/lab/\n")
        .file(
            "content/deal-desk.md",
            "---\ntitle: Deal & desk\naliases: [/handbook/sales/deal-desk, /old-desk.html]\n---\nText.\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n[old](/handbook/sales/deal-desk/)\n",
        );
    site.build().assert_success();
    let redirect = site.read("public/handbook/sales/deal-desk/index.html");
    for part in [
        "<meta http-equiv=\"refresh\" content=\"0; url=../../../deal-desk/\">",
        "<link rel=\"canonical\" href=\"https://example.com/lab/deal-desk/\">",
        "<meta name=\"robots\" content=\"noindex\">",
        "<a href=\"../../../deal-desk/\">Deal &amp; desk</a>",
    ] {
        assert!(redirect.contains(part), "{part} in {redirect}");
    }
    let file = site.read("public/old-desk.html");
    assert!(file.contains("url=./deal-desk/"), "{file}");
    let about = site.read("public/about/index.html");
    assert!(
        about.contains("href=\"../handbook/sales/deal-desk/\""),
        "{about}"
    );
}

#[test]
fn an_alias_taking_a_page_a_file_or_another_alias_is_an_error_naming_both() {
    Site::new()
        .file("content/about.md", "---\ntitle: About\n---\n")
        .file(
            "content/a.md",
            "---\ntitle: A\naliases:\n  - /about/\n  - /old/\n---\n",
        )
        .file("content/d.md", "---\ntitle: D\naliases: [../up]\n---\n")
        .file("content/b.md", "---\ntitle: B\naliases: [/old]\n---\n")
        .file("content/c.md", "---\ntitle: C\naliases: [/kit.html]\n---\n")
        .bytes("static/kit.html", b"<p>kit</p>")
        .check()
        .assert_errors(&[
            "content/a.md:4: this would write `about/index.html`, which content/about.md writes too",
            "content/a.md:5: this would write `old/index.html`, which the alias `/old` of content/b.md:3 writes too",
            "content/c.md:3: this would write `kit.html`, which static/kit.html writes too",
            "content/d.md:3: the alias `../up` leaves the site's folder",
        ]);
}

/// Files of `static/` the raw HTML tests name.
fn with_media(site: Site) -> Site {
    [
        "images/a.png",
        "images/b.png",
        "media/demo.html",
        "media/a.mp4",
    ]
    .into_iter()
    .fold(site, |site, path| {
        site.bytes(&format!("static/{path}"), b"x")
    })
}

#[test]
fn links_in_raw_html_are_resolved_checked_and_written_relative() {
    let site = with_media(Site::new())
        .file("content/deal-desk.md", "---\ntitle: Desk\n---\n## How to ask\n")
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n## Steps\n\n\
             See <a href=\"deal-desk.md#how-to-ask\">desk</a> <img src=\"/images/a.png\" alt=\"a\">.\n\n\
             <iframe src=\"/media/demo.html\" width=\"560\" title=\"Demo\"></iframe>\n\n\
             <p><a HREF='/deal-desk/'>x</a> <a href=https://example.com/x>ext</a> <a href=\"#steps\">s</a>\n\
             <img srcset=\"/images/a.png 1x, /images/b.png 2x\" alt=\"b\"> <a href=\"/deal-desk/?a=1&amp;b=2\">q</a></p>\n\n\
             <video><source src=\"/media/a.mp4\"></video>\n",
        );
    site.build().assert_success();
    let html = site.read("public/about/index.html");
    for part in [
        "<a href=\"../deal-desk/#how-to-ask\">desk</a>",
        "<img src=\"../images/a.png\" alt=\"a\">",
        "<iframe src=\"../media/demo.html\" width=\"560\" title=\"Demo\">",
        "<a HREF='../deal-desk/'>x</a>",
        "<a href=https://example.com/x>ext</a>",
        "<a href=\"#steps\">s</a>",
        "srcset=\"../images/a.png 1x, ../images/b.png 2x\"",
        "<a href=\"../deal-desk/?a=1&amp;b=2\">q</a>",
        "<source src=\"../media/a.mp4\">",
    ] {
        assert!(html.contains(part), "{part} in {html}");
    }
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nSee <a href=\"gone.md\">x</a> and <a href=\"deal-desk.md#nope\">y</a>.\n\n\
         <p><img src=\"/nope.png\"></p>\n",
    );
    site.check().assert_errors(&[
        "content/about.md:4:14: link to `gone.md`: there is no page content/gone.md",
        "content/about.md:4:42: no heading `#nope` in content/deal-desk.md",
        "content/about.md:6:14: image to `/nope.png`",
    ]);
}

#[test]
fn shortcodes_of_other_generators_are_left_verbatim_with_a_warning() {
    let site = Site::new().file(
        "content/about.md",
        "---\ntitle: About\n---\n\
         Watch {{< youtube id=\"abc\" title='Cold \"calls\"' >}} now. It's \"great\".\n\n\
         {{% note %}}\nText\n{{% /note %}}\n\n\
         {% include card.html %}\n\n\
         `{{< code >}}` and {{ first_name }}\n\n    {{< indented >}}\n\n```\n{{< fenced >}}\n```\n",
    );
    let run = site.build();
    run.assert_success()
        .assert_stderr_contains(
            "warning: content/about.md:4:7: a Hugo shortcode `{{< youtube id=\"abc\" title='Cold \"calls\"' >}}` is left as text; salesbook has no shortcodes",
        )
        .assert_stderr_contains("warning: content/about.md:6:1: a Hugo shortcode `{{% note %}}`")
        .assert_stderr_contains("warning: content/about.md:8:1: a Hugo shortcode `{{% /note %}}`")
        .assert_stderr_contains("warning: content/about.md:10:1: a Liquid tag (Jekyll) `{% include card.html %}`");
    assert_eq!(run.stderr.matches("warning:").count(), 4, "{run}");
    let html = site.read("public/about/index.html");
    assert!(
        html.contains("{{&lt; youtube id=\"abc\" title='Cold \"calls\"' &gt;}} now. It’s “great”."),
        "{html}"
    );
}

#[test]
fn a_missing_heading_on_a_long_page_suggests_three_ids_at_most() {
    let headings: String = (1..=110).map(|n| format!("## Step {n}\n\n")).collect();
    Site::new()
        .file("content/long.md", &format!("---\ntitle: Long\n---\n{headings}"))
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n[a](long.md#stpe-12) [b](long.md#closing-words)\n",
        )
        .check()
        .assert_errors(&[
            "content/about.md:4:1: no heading `#stpe-12` in content/long.md (did you mean `#step-12`?)",
            "content/about.md:4:22: no heading `#closing-words` in content/long.md (its 110 headings include: ",
        ])
        .assert_stderr_lacks("step-100, step-101, step-102, step-103");
}

/// The warnings of `run` as `file:line:col: start of message`, one each.
#[track_caller]
fn assert_warnings(run: &crate::support::Run, expected: &[&str]) {
    let warnings = run.warnings();
    assert_eq!(warnings.len(), expected.len(), "{run}");
    for (warning, start) in warnings.iter().zip(expected) {
        assert!(warning.starts_with(start), "{warning}\nis not\n{start}");
    }
}

#[test]
fn links_to_missing_headings_lead_to_their_page_under_warn() {
    let site = Site::new()
        .file("site.yaml", "title: Test Lab\nbroken_links: warn\n")
        .file("content/guide.md", "---\ntitle: Guide\n---\n## Steps\n")
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n\
             [a](guide.md#nope) [b](/guide/#gone) [c](../guide/#away) [d](guide.md#steps)\n\n\
             [here](#nowhere) <a href=\"#lost\">top</a> <a href=\"guide.md#none\">g</a>\n",
        );
    let run = site.build();
    run.assert_success();
    assert_warnings(
        &run,
        &[
            "content/about.md:4:1: no heading `#nope` in content/guide.md",
            "content/about.md:4:20: no heading `#gone` in content/guide.md",
            "content/about.md:4:38: no heading `#away` in content/guide.md",
            "content/about.md:6:1: no heading `#nowhere` in content/about.md",
            "content/about.md:6:27: no heading `#lost` in content/about.md",
            "content/about.md:6:51: no heading `#none` in content/guide.md",
        ],
    );
    let html = site.read("public/about/index.html");
    for part in [
        "<a href=\"../guide/\">a</a> <a href=\"../guide/\">b</a> <a href=\"../guide/\">c</a> \
         <a href=\"../guide/#steps\">d</a>",
        // On its own page a Markdown link is its text; raw HTML goes to the top.
        "<p>here <a href=\"#top\">top</a> <a href=\"../guide/\">g</a></p>",
    ] {
        assert!(html.contains(part), "{part} in {html}");
    }
    // Under the default setting they stay errors, their links as written.
    site.write("site.yaml", "title: Test Lab\n");
    assert_eq!(site.check().errors().len(), 6);
}

#[test]
fn raw_html_faults_are_warned_of_at_their_line_and_repaired() {
    let site = Site::new()
        .file(
            "content/about.md",
            "---\ntitle: About\n---\nIntro.\n\n\
             <img src=\"/images/Deal-desk_flow.png\">\n\n\
             <iframe src=\"https://www.youtube.com/embed/x\" allowfullscreen=\"true\"></iframe>\n\n\
             Text </p> more.\n\n\
             | Kind | Ads |\n| --- | --- |\n| Brand | <li>Single<li>Video |\n| Listed | <ul><li>One</ul> |\n\n\
             A <li>lonely item.\n\n\
             <img src=\"/images/b.png\" alt=\"\"> <iframe title=\"Demo\" src=\"/images/b.png\" allowfullscreen></iframe>\n",
        )
        .bytes("static/images/Deal-desk_flow.png", b"png")
        .bytes("static/images/b.png", b"png");
    let run = site.check();
    run.assert_success();
    assert_warnings(
        &run,
        &[
            "content/about.md:6:1: an `<img>` has no `alt` text; it is given its file name's words, \"Deal desk flow\"",
            "content/about.md:8:1: `allowfullscreen=\"true\"`: `allowfullscreen` is on by being there",
            "content/about.md:8:1: an `<iframe>` has no `title`, which screen readers announce; it is given \"Embedded content from www.youtube.com\"",
            "content/about.md:10:6: a stray `</p>`",
            "content/about.md:14:11: an `<li>` outside a list: the table cell's items are put in a list",
            "content/about.md:17:3: an `<li>` outside a list is shown as text",
        ],
    );
    site.build().assert_success();
    let html = site.read("public/about/index.html");
    for part in [
        "<img src=\"../images/Deal-desk_flow.png\" alt=\"Deal desk flow\">",
        "<iframe src=\"https://www.youtube.com/embed/x\" allowfullscreen \
         title=\"Embedded content from www.youtube.com\"></iframe>",
        "<p>Text  more.</p>",
        "<td><ul><li>Single<li>Video</ul></td>",
        "<td><ul><li>One</ul></td>",
        "<p>A &lt;li&gt;lonely item.</p>",
        "<img src=\"../images/b.png\" alt=\"\"> <iframe title=\"Demo\" src=\"../images/b.png\" allowfullscreen></iframe>",
    ] {
        assert!(html.contains(part), "{part} in {html}");
    }
}

#[test]
fn headings_that_skip_a_level_move_up_with_their_sub_headings() {
    let site = Site::new().file(
        "content/guide.md",
        "---\ntitle: Guide\n---\n### Charter\n\n#### Scope\n\n### Goals\n\n## Next\n\n#### Deep\n\n# Part two\n\n## Fine\n",
    );
    let run = site.build();
    run.assert_success();
    // One warning: the first skip tells the author what to change.
    assert_warnings(
        &run,
        &["content/guide.md:4:1: the h3 heading \"Charter\" comes under an h1, skipping a level; it is written as an h2"],
    );
    let html = site.read("public/guide/index.html");
    let levels: Vec<&str> = [
        "charter", "scope", "goals", "next", "deep", "part-two", "fine",
    ]
    .iter()
    .map(|id| {
        let at = html.find(&format!(" id=\"{id}\"")).expect(id);
        &html[at - 3..at]
    })
    .collect();
    assert_eq!(levels, ["<h2", "<h3", "<h2", "<h2", "<h3", "<h1", "<h2"]);
}
