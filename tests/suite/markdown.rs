//! Markdown bodies: heading ids, link rewriting, callouts, facilitator
//! notes, pull quotes and the CommonMark extensions.

use crate::support::{ids, Site};

/// Builds a site with one page `content/about.md` holding `body` (plus
/// `extra` files), and returns the page's HTML.
fn render(body: &str, extra: &[(&str, &str)], args: &[&str]) -> String {
    let mut site = Site::new().file(
        "content/about.md",
        &format!("---\ntitle: About\n---\n{body}"),
    );
    for (path, text) in extra {
        site = site.file(path, text);
    }
    site.build_with(args).assert_success();
    site.read("public/about/index.html")
}

#[test]
fn headings_get_slug_ids_explicit_ids_and_unique_suffixes() {
    let html = render(
        "## Cold Calling 101!\n\n## Cold Calling 101!\n\n### Mine {#my-id}\n",
        &[],
        &[],
    );
    assert!(
        html.contains("<h2 id=\"cold-calling-101\">Cold Calling 101!</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"cold-calling-101-1\">Cold Calling 101!</h2>"),
        "{html}"
    );
    assert!(html.contains("<h3 id=\"my-id\">Mine</h3>"), "{html}");
}

#[test]
fn heading_ids_do_not_collide_with_the_themes_ids() {
    // The theme has <main id="main">; a heading "Main" must not repeat it.
    let html = render("## Main\n\nText.\n", &[], &[]);
    let all = ids(&html);
    let mains = all.iter().filter(|id| *id == "main").count();
    assert_eq!(mains, 1, "id \"main\" appears {mains} times: {all:?}");
}

#[test]
fn md_links_become_relative_page_urls_with_fragments() {
    let html = render(
        "[a](exercises/a.md#steps) [b](@/interviews/2026/talk.md) [c](./exercises/a.md)\n",
        &[
            ("content/exercises/a.md", "---\ntitle: A\n---\n## Steps\n"),
            ("content/interviews/2026/talk.md", "---\ntitle: T\n---\n"),
        ],
        &[],
    );
    assert!(
        html.contains("<a href=\"../exercises/a/#steps\">a</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../interviews/talk/\">b</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"../exercises/a/\">c</a>"), "{html}");
}

#[test]
fn md_links_are_relative_to_the_linking_file() {
    let site = Site::new()
        .file(
            "content/interviews/2026/talk.md",
            "---\ntitle: T\n---\n[up](../../exercises/a.md) [side](../other.md)\n",
        )
        .file("content/interviews/other.md", "---\ntitle: O\n---\n")
        .file("content/exercises/a.md", "---\ntitle: A\n---\n");
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(
        html.contains("<a href=\"../../exercises/a/\">up</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../../interviews/other/\">side</a>"),
        "{html}"
    );
}

#[test]
fn root_links_to_static_files_and_pages_become_relative() {
    let html = render(
        "![logo](/img/logo.png) [list](/exercises/)\n",
        &[("static/img/logo.png", "png")],
        &[],
    );
    assert!(
        html.contains("<img src=\"../img/logo.png\" alt=\"logo\" />"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../exercises/\">list</a>"),
        "{html}"
    );
}

// --- link decoding: the check reads a link as the browser does -----------

#[test]
fn percent_encoded_links_find_the_files_they_name() {
    // `%20` is how CommonMark writes a space in a link: the file exists.
    let html = render(
        "[pdf](/files/my%20slides.pdf) [near](../files/my%20slides.pdf) \
         [page](my%20notes.md) [up](/exercises/x/%23raw.txt)\n",
        &[
            ("static/files/my slides.pdf", "pdf"),
            ("static/exercises/x/#raw.txt", "text"),
            ("content/my notes.md", "---\ntitle: Notes\n---\n"),
        ],
        &[],
    );
    // Written as the author wrote them: browsers and hosts decode them.
    assert!(
        html.contains("<a href=\"../files/my%20slides.pdf\">pdf</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../files/my%20slides.pdf\">near</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../exercises/x/%23raw.txt\">up</a>"),
        "{html}"
    );
}

#[test]
fn an_encoded_link_is_checked_against_the_file_a_browser_asks_for() {
    // A browser asks `/%41.pdf` for `A.pdf`: a file named `%41.pdf` is not
    // what it reaches (that one is linked as `/%2541.pdf`).
    let site = Site::new()
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n[a](/%41.pdf) [b](/%2541.pdf)\n",
        )
        .file("static/%41.pdf", "pdf");
    site.check().assert_errors(&[
        "content/about.md:4:1: link to `/%41.pdf`: there is no file static/A.pdf and no page at that URL",
    ]);
}

#[test]
fn a_root_or_relative_link_to_a_page_s_missing_heading_is_reported() {
    let site = Site::new()
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n[a](/exercises/a/#steps) [b](/exercises/a#nope) [c](/exercises/a/#st%65ps)\n\n\
             [d](../exercises/a/#gone) [e](../exercises/a/#steps)\n",
        )
        .file("content/exercises/a.md", "---\ntitle: A\n---\n## Steps\n");
    site.check().assert_errors(&[
        "content/about.md:4:26: no heading `#nope` in content/exercises/a.md (its headings are: steps)",
        "content/about.md:6:1: no heading `#gone` in content/exercises/a.md",
    ]);
}

#[test]
fn github_callouts_become_asides() {
    let html = render(
        "> [!TIP]\n> Try it three times.\n\n> [!WARNING]\n> Careful.\n",
        &[],
        &[],
    );
    assert!(
        html.contains("<aside class=\"callout callout-tip\""),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"callout callout-warning\""),
        "{html}"
    );
    assert!(html.contains("Try it three times."), "{html}");
    assert!(!html.contains("[!TIP]"), "{html}");
}

const FACILITATOR: &str = "Before.\n\n> [!FACILITATOR]\n> Ask the group first.\n\nAfter.\n";

#[test]
fn facilitator_notes_are_left_out_of_learner_builds() {
    let html = render(FACILITATOR, &[], &[]);
    assert!(!html.contains("Ask the group first"), "{html}");
    assert!(!html.contains("FACILITATOR"), "{html}");
    assert!(html.contains("After."), "{html}");
}

#[test]
fn facilitator_notes_are_shown_in_facilitator_builds() {
    let html = render(FACILITATOR, &[], &["--audience", "facilitator"]);
    assert!(html.contains("callout-facilitator"), "{html}");
    assert!(html.contains("Ask the group first."), "{html}");
    assert!(!html.contains("[!FACILITATOR]"), "{html}");
}

#[test]
fn attributed_quote_links_to_the_speaker_page() {
    let html = render(
        "> Practise it three times.\n>\n> — Al Smith\n",
        &[("content/speakers/al.md", "---\nname: Al Smith\n---\n")],
        &[],
    );
    assert!(
        html.contains("<figure class=\"pull-quote\" id=\"sb-quote-1\">"),
        "{html}"
    );
    assert!(html.contains("<p>Practise it three times.</p>"), "{html}");
    assert!(
        html.contains("<figcaption>— <a href=\"../speakers/al/\">Al Smith</a></figcaption>"),
        "{html}"
    );
}

#[test]
fn attributed_quote_without_a_speaker_page_is_plain() {
    let html = render("> Give it a go.\n> -- Someone Else\n", &[], &[]);
    assert!(
        html.contains("<figure class=\"pull-quote\" id=\"sb-quote-1\">"),
        "{html}"
    );
    assert!(
        html.contains("<figcaption>— Someone Else</figcaption>"),
        "{html}"
    );
}

#[test]
fn a_plain_blockquote_stays_a_blockquote() {
    let html = render("> Just a thought.\n", &[], &[]);
    assert!(
        html.contains("<blockquote>\n<p>Just a thought.</p>\n</blockquote>"),
        "{html}"
    );
    assert!(!html.contains("pull-quote"), "{html}");
}

#[test]
fn tables_footnotes_task_lists_and_strikethrough_render() {
    let html = render(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^n].\n\n[^n]: The note.\n\n- [x] done\n- [ ] todo\n\n~~gone~~\n",
        &[],
        &[],
    );
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<td>1</td>"), "{html}");
    assert!(html.contains("class=\"footnote-reference\""), "{html}");
    assert!(html.contains("The note."), "{html}");
    assert!(
        html.contains("type=\"checkbox\" disabled checked aria-label=\"done\""),
        "{html}"
    );
    assert!(html.contains("<del>gone</del>"), "{html}");
}

#[test]
fn smart_punctuation_applies() {
    let html = render("\"Quoted\" -- and it's done...\n", &[], &[]);
    assert!(html.contains("“Quoted” – and it’s done…"), "{html}");
}
