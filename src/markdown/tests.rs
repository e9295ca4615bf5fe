use rustc_hash::FxHashSet;

use super::links::resolve_relative_url;
use super::*;

#[test]
fn packed_html_unpacks_to_the_same_text() {
    for html in [
        "",
        "<p>Café — “three tries”</p>\n",
        &"<li>Ask, listen.</li>".repeat(500),
    ] {
        assert_eq!(WaitingHtml::pack(html).to_html(), html);
        assert_eq!(WaitingHtml::pack(html).into_html(), html);
    }
}

#[test]
fn html_waits_as_it_is_within_the_budget_and_packed_beyond() {
    let held = std::sync::atomic::AtomicUsize::new(0);
    let page = "<p>Ask, listen, ask again.</p>\n".repeat(1000);
    let pages = WaitingHtml::PLAIN_BUDGET / page.len() + 3;
    let waiting: Vec<WaitingHtml> = (0..pages)
        .map(|_| WaitingHtml::hold(page.clone(), &held))
        .collect();
    let plain = waiting
        .iter()
        .filter(|html| matches!(html, WaitingHtml::Plain(_)))
        .count();
    assert_eq!(plain, WaitingHtml::PLAIN_BUDGET / page.len());
    assert!(matches!(waiting.last(), Some(WaitingHtml::Packed(_))));
    for html in waiting {
        assert_eq!(html.into_html(), page);
    }
}

struct FakeSite;

impl Resolver for FakeSite {
    fn page(&self, reference: &str) -> Result<String, LinkProblem> {
        match reference {
            "exercises/three-tries" => Ok("exercises/three-tries/".to_string()),
            "interviews/talk" => Ok("interviews/talk/".to_string()),
            "exercises/secret" => Err(LinkProblem::Draft),
            _ => Err(LinkProblem::Missing { suggestion: None }),
        }
    }
    fn root_path_exists(&self, path: &str) -> bool {
        ["img/logo.png", "files/my slides.pdf", "A.pdf"].contains(&path)
            || self.page_at(path).is_some()
    }
    fn page_at(&self, path: &str) -> Option<String> {
        let reference = path.trim_end_matches('/');
        self.page(reference).ok().map(|_| reference.to_string())
    }
    fn speaker_url(&self, name: &str) -> Option<String> {
        (name == "Leigh Ashton").then(|| "speakers/leigh-ashton/".to_string())
    }
}

fn render_body(body: &str, facilitator: bool) -> Rendered {
    let page = PageContext::own(
        "content/interviews/talk.md",
        "interviews/talk",
        "interviews/talk/",
        5,
    );
    render(
        body,
        &page,
        &FakeSite,
        RenderOptions {
            facilitator,
            broken_links: Default::default(),
        },
    )
}

#[test]
fn words_are_counted_as_split_whitespace_counts_them() {
    for text in [
        "",
        "   ",
        "one",
        " two  words ",
        "tab\tand\nnew\r\nlines\x0bvt\x0cff",
        "caf\u{e9} na\u{ef}ve\u{a0}nbsp\u{2003}em\u{3000}ideographic",
        "\u{85}next-line\u{2028}sep \u{1f600} emoji",
    ] {
        assert_eq!(
            count_words(text),
            text.split_whitespace().count(),
            "{text:?}"
        );
    }
}

#[test]
fn words_are_counted_as_split_whitespace_counts_them_in_random_text() {
    // Runs of ASCII longer and shorter than eight bytes, ASCII white
    // space of every kind, and characters of two to four bytes, white
    // space among them.
    const PIECES: [&str; 16] = [
        "a",
        "word",
        "longer words",
        ".",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\x0b",
        "\x0c",
        "\u{a0}",
        "\u{2003}",
        "caf\u{e9}",
        "\u{4e2d}",
        "\u{1f642}",
    ];
    for text in crate::testing::random_texts(&PIECES, 5000, 40, 0x2545_F491_4F6C_DD1D) {
        assert_eq!(
            count_words(&text),
            text.split_whitespace().count(),
            "{text:?}"
        );
    }
}

#[test]
fn slugs_that_take_the_theme_prefix_are_told_without_a_copy() {
    for slug in [
        "", "s", "sb", "sb-", "sb-x", "sbx", "xsb-", "section", "sb-1",
    ] {
        assert_eq!(
            takes_theme_prefix(slug),
            format!("{slug}-").starts_with(THEME_ID_PREFIX),
            "{slug}"
        );
    }
}

#[test]
fn headings_get_unique_ids() {
    let rendered = render_body(
        "## Why it works\n\n## Why it works\n\n## Custom {#mine}\n",
        false,
    );
    let ids: Vec<_> = rendered.headings.iter().map(|h| h.id).collect();
    assert_eq!(ids, ["why-it-works", "why-it-works-1", "mine"]);
    assert!(rendered.html.contains("<h2 id=\"why-it-works-1\">"));
}

#[test]
fn heading_ids_are_githubs_made_from_the_text_as_typed() {
    let rendered = render_body(
        "## Ask -- then *listen*\n\n\
         ## Don't pitch \"features\"...\n\n\
         ## The `C++` [guide](https://example.com) ![logo](/img/logo.png)\n\n\
         ## Q&amp;A: 50% off? \u{1f600}\n\n\
         ## Ask -- then *listen*\n\n\
         ## Café\n",
        false,
    );
    let ids: Vec<_> = rendered.headings.iter().map(|h| h.id).collect();
    assert_eq!(
        ids,
        [
            "ask----then-listen",
            "dont-pitch-features",
            "the-c-guide-",
            "qa-50-off-",
            "ask----then-listen-1",
            "café",
        ]
    );
    // The title keeps its typography.
    assert_eq!(
        rendered.headings.iter().next().unwrap().title,
        "Ask – then listen"
    );
}

#[test]
fn an_explicit_id_wins_over_an_earlier_generated_one() {
    let rendered = render_body("## Pricing\n\n## Our prices {#pricing}\n", false);
    let ids: Vec<_> = rendered.headings.iter().map(|h| h.id).collect();
    assert_eq!(ids, ["pricing-1", "pricing"]);
    assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
    let twice = render_body("## A {#x}\n\n## B {#x}\n", false);
    assert_eq!(twice.problems.len(), 1);
    assert!(twice.problems[0]
        .message
        .contains("two headings have the id `x`"));
}

/// The ids given for `ids` (`Ok` an explicit `{#id}`, `Err` a base to
/// number) as the renderer gave them before it remembered numbers: the
/// first free `base-1`, `base-2`, ….
fn ids_numbered_from_one(ids: &[Result<&str, &str>]) -> Vec<String> {
    let mut taken: FxHashSet<String> = RESERVED_IDS.iter().map(|id| id.to_string()).collect();
    let mut given = Vec::new();
    for id in ids {
        match id {
            Ok(explicit) => {
                taken.insert(explicit.to_string());
                given.push(explicit.to_string());
            }
            Err(base) => {
                let mut candidate = base.to_string();
                let mut number = 1;
                while taken.contains(&candidate) {
                    candidate = format!("{base}-{number}");
                    number += 1;
                }
                taken.insert(candidate.clone());
                given.push(candidate);
            }
        }
    }
    given
}

#[test]
fn numbered_ids_are_the_first_free_number_whatever_authors_wrote() {
    // `Ok` is an explicit `{#id}`, `Err` a base to number.
    let ids = [
        Err("x"),
        Ok("x-2"),
        Err("x"),
        Err("x"),
        Ok("x-4-1"),
        Err("x-1"),
        Err("x-4"),
        Err("x-4"),
        Err("x"),
        Err("main"),
        Ok("y-1"),
        Err("y"),
        Err("y"),
        Err("y"),
    ];
    let mut heading_ids = HeadingIds::new();
    let given: Vec<String> = ids
        .iter()
        .map(|id| match id {
            Ok(explicit) => {
                heading_ids.take(explicit);
                explicit.to_string()
            }
            Err(base) => heading_ids.numbered(base.to_string()),
        })
        .collect();
    assert_eq!(given, ids_numbered_from_one(&ids));
}

#[test]
fn many_equal_headings_try_each_number_once() {
    // Numbered from 1 for each, 40,000 equal headings tried 800 million
    // ids; now each takes two lookups: its base, then its number.
    let probes = |count: usize| {
        let mut ids = HeadingIds::new();
        let before = ids.probes;
        for _ in 0..count {
            ids.numbered("why-it-works".to_string());
        }
        ids.probes - before
    };
    assert_eq!(probes(1000), 2 * 1000 - 1);
    assert_eq!(probes(2000), 2 * 2000 - 1);
}

#[test]
fn facilitator_notes_headings_and_quotes_stay_out_of_learner_builds() {
    let body = "## Open\n\n> [!FACILITATOR]\n> ## Answers\n>\n> > Close it.\n> >\n> > — Leigh Ashton\n\n## Shut\n";
    let learner = render_body(body, false);
    let ids: Vec<_> = learner.headings.iter().map(|h| h.id).collect();
    assert_eq!(ids, ["open", "shut"]);
    assert!(learner.quotes.is_empty());
    assert_eq!(learner.facilitator_ids, ["answers"]);
    let facilitator = render_body(body, true);
    let ids: Vec<_> = facilitator.headings.iter().map(|h| h.id).collect();
    assert_eq!(ids, ["open", "answers", "shut"]);
    assert_eq!(facilitator.quotes[0].text, "Close it.");
    assert!(facilitator.facilitator_ids.is_empty());
}

#[test]
fn headings_never_take_the_themes_ids() {
    let rendered = render_body("## Main\n\n## SB notes\n\n## X {#sb-x}\n", false);
    let ids: Vec<_> = rendered.headings.iter().map(|h| h.id).collect();
    assert_eq!(ids[..2], ["main-1", "section-sb-notes"]);
    assert!(rendered.problems[0]
        .message
        .contains("reserved for the theme"));
}

#[test]
fn md_links_become_relative_page_urls() {
    let rendered = render_body(
        "See [this](../exercises/three-tries.md#how) and [that](@/exercises/three-tries.md).\n",
        false,
    );
    assert!(
        rendered
            .html
            .contains("href=\"../../exercises/three-tries/#how\""),
        "{}",
        rendered.html
    );
    assert!(rendered
        .html
        .contains("href=\"../../exercises/three-tries/\""));
    assert_eq!(rendered.fragment_links[0].target, "exercises/three-tries");
    assert_eq!(rendered.fragment_links[0].fragment, "how");
    assert!(rendered.problems.is_empty());
}

#[test]
fn missing_page_is_reported_at_file_line_and_column() {
    let rendered = render_body("First line.\n\nA [broken](nope.md) link.\n", false);
    assert_eq!(rendered.problems.len(), 1);
    let problem = rendered.problems[0].to_string();
    assert!(
            problem.starts_with("error: content/interviews/talk.md:7:3: link to `nope.md`: there is no page content/interviews/nope.md"),
            "{problem}"
        );
}

#[test]
fn links_to_drafts_and_outside_content_are_errors() {
    let rendered = render_body(
        "[a](../exercises/secret.md) [b](../../../etc/passwd.md)\n",
        false,
    );
    assert_eq!(rendered.problems.len(), 2);
    assert!(rendered.problems[0].message.contains("draft"));
    assert!(rendered.problems[1]
        .message
        .contains("leaves the content folder"));
}

#[test]
fn root_links_name_static_files() {
    let rendered = render_body("![logo](/img/logo.png) [x](/missing.pdf)\n", false);
    assert!(rendered.html.contains("src=\"../../img/logo.png\""));
    assert_eq!(rendered.problems.len(), 1);
    assert!(rendered.problems[0].message.contains("static/missing.pdf"));
}

#[test]
fn external_links_are_untouched() {
    let rendered = render_body(
        "[a](https://example.com/x.md) [b](mailto:a@b.c) [c](../../img/logo.png)\n",
        false,
    );
    assert!(rendered.html.contains("href=\"https://example.com/x.md\""));
    assert!(rendered.html.contains("href=\"../../img/logo.png\""));
    assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
}

#[test]
fn relative_links_to_nothing_are_errors() {
    let rendered = render_body("![chart](chart.png)\n", false);
    assert_eq!(rendered.problems.len(), 1);
    assert!(rendered.problems[0]
        .message
        .contains("nothing is published"));
}

#[test]
fn relative_urls_resolve_against_the_page() {
    assert_eq!(
        resolve_relative_url("interviews/x/", "../../img/a.png").as_deref(),
        Some("img/a.png")
    );
    assert_eq!(
        resolve_relative_url("interviews/x/", "../y/").as_deref(),
        Some("interviews/y/")
    );
    assert_eq!(resolve_relative_url("", "../a"), None);
}

#[test]
fn task_list_checkboxes_have_accessible_names() {
    let rendered = render_body("- [x] rest\n- [ ] read\n", false);
    assert!(
        rendered
            .html
            .contains("<input type=\"checkbox\" disabled checked aria-label=\"done\"> rest"),
        "{}",
        rendered.html
    );
    assert!(rendered
        .html
        .contains("<input type=\"checkbox\" disabled aria-label=\"not done\"> read"));
}

#[test]
fn callouts_become_asides() {
    let rendered = render_body("> [!TIP]\n> Try it three times.\n", false);
    assert!(
        rendered.html.contains(
            "<aside class=\"callout callout-tip\" role=\"note\"><p class=\"callout-title\">Tip</p>"
        ),
        "{}",
        rendered.html
    );
    assert!(rendered.html.contains("Try it three times."));
}

#[test]
fn facilitator_notes_only_in_facilitator_builds() {
    let body = "Before.\n\n> [!FACILITATOR]\n> Ask the group first.\n\nAfter.\n";
    let learner = render_body(body, false);
    assert!(!learner.html.contains("Ask the group"), "{}", learner.html);
    assert!(!learner.html.contains("FACILITATOR"));
    assert!(learner.html.contains("After."));
    let facilitator = render_body(body, true);
    assert!(
        facilitator.html.contains("callout-facilitator"),
        "{}",
        facilitator.html
    );
    assert!(facilitator.html.contains("Ask the group first."));
    assert!(!facilitator.html.contains("[!FACILITATOR]"));
}

#[test]
fn links_inside_hidden_facilitator_notes_are_still_checked() {
    let learner = render_body("> [!FACILITATOR]\n>\n> See [x](gone.md).\n", false);
    assert_eq!(learner.problems.len(), 1);
}

#[test]
fn attributed_blockquote_becomes_pull_quote() {
    let rendered = render_body("> Practise it three times.\n>\n> — Leigh Ashton\n", false);
    assert!(
        rendered
            .html
            .contains("<figure class=\"pull-quote\" id=\"sb-quote-1\">"),
        "{}",
        rendered.html
    );
    assert!(
        rendered.html.contains(
            "<figcaption>— <a href=\"../../speakers/leigh-ashton/\">Leigh Ashton</a></figcaption>"
        ),
        "{}",
        rendered.html
    );
    assert_eq!(rendered.quotes[0].text, "Practise it three times.");
    assert_eq!(rendered.quotes[0].by, "Leigh Ashton");
}

#[test]
fn attribution_on_the_last_line_of_the_same_paragraph() {
    let rendered = render_body("> Give it a go.\n> -- Someone Else\n", false);
    assert!(
        rendered
            .html
            .contains("<figcaption>— Someone Else</figcaption>"),
        "{}",
        rendered.html
    );
    assert!(rendered.html.contains("<p>Give it a go.</p>"));
    assert_eq!(rendered.quotes[0].speaker_url, None);
}

#[test]
fn plain_blockquote_stays_a_blockquote() {
    let rendered = render_body("> Just a quote.\n", false);
    assert!(rendered.html.contains("<blockquote>"));
    assert!(rendered.quotes.is_empty());
}

#[test]
fn embedded_bodies_get_prefixed_ids_shifted_headings_and_their_own_root() {
    let page = PageContext {
        id_prefix: "sb-w2-",
        heading_offset: 1,
        ..PageContext::own(
            "content/interviews/talk.md",
            "interviews/talk",
            "tracks/t/workbook/",
            5,
        )
    };
    let body = "## Steps\n\nSee [below](#steps) and [this](../exercises/three-tries.md).\n";
    let rendered = render(
        body,
        &page,
        &FakeSite,
        RenderOptions {
            facilitator: false,
            broken_links: Default::default(),
        },
    );
    assert!(
        rendered.html.contains("<h3 id=\"sb-w2-steps\">Steps</h3>"),
        "{}",
        rendered.html
    );
    assert!(rendered.html.contains("href=\"#sb-w2-steps\""));
    assert!(rendered
        .html
        .contains("href=\"../../../exercises/three-tries/\""));
}

#[test]
fn links_are_decoded_once_as_a_browser_decodes_them() {
    for (written, read) in [
        ("my%20file.pdf", "my file.pdf"),
        ("%41.pdf", "A.pdf"),
        ("%2541.pdf", "%41.pdf"),
        ("caf%C3%A9", "café"),
        ("100%.pdf", "100%.pdf"),
        ("%zz", "%zz"),
        ("%FF.pdf", "%FF.pdf"),
    ] {
        assert_eq!(decode_link(written), read, "{written}");
    }
}

#[test]
fn encoded_root_links_are_checked_decoded_and_written_as_they_are() {
    let rendered = render_body(
            "[a](/files/my%20slides.pdf) [b](/%41.pdf) [c](/%2541.pdf) [d](/exercises/three-tries/#st%65ps)\n",
            false,
        );
    assert!(rendered
        .html
        .contains("href=\"../../files/my%20slides.pdf\""));
    assert!(rendered.html.contains("href=\"../../%41.pdf\""));
    assert_eq!(rendered.problems.len(), 1, "{:?}", rendered.problems);
    assert!(rendered.problems[0].message.contains("static/%41.pdf"));
    let link = &rendered.fragment_links[0];
    assert_eq!(
        (link.target.as_str(), link.fragment.as_str()),
        ("exercises/three-tries", "steps")
    );
}

#[test]
fn relative_links_to_a_page_s_heading_are_checked_too() {
    let rendered = render_body(
        "[a](../../exercises/three-tries/#how) [b](#top) [c](?q#here) [d](../../img/logo.png#x)\n",
        false,
    );
    let links: Vec<_> = rendered
        .fragment_links
        .iter()
        .map(|link| (link.target.as_str(), link.fragment.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("exercises/three-tries", "how"),
            ("interviews/talk", "top"),
            ("interviews/talk", "here")
        ]
    );
}

#[test]
fn root_prefix_climbs_to_the_root() {
    assert_eq!(root_prefix(""), "./");
    assert_eq!(root_prefix("about/"), "../");
    assert_eq!(root_prefix("interviews/x/"), "../../");
}

#[test]
fn links_in_a_tag_over_several_lines_of_block_html_are_rewritten() {
    let rendered = render_body(
        "<figure>\n<img\n  alt=\"logo\"\n  src=\"/img/logo.png\">\n</figure>\n",
        false,
    );
    assert!(
        rendered.html.contains("src=\"../../img/logo.png\""),
        "{}",
        rendered.html
    );
}

#[test]
fn a_table_scrolls_in_a_box_the_keyboard_can_reach() {
    let rendered = render_body("| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter.\n", false);
    let html = &rendered.html;
    let open =
        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n<table>";
    assert!(html.contains(open), "{html}");
    assert!(html.contains("</table>\n</div>\n<p>After.</p>"), "{html}");
}

#[test]
fn each_pull_quote_has_an_id_to_link_to() {
    let rendered = render_body(
        "> One.\n>\n> — A Person\n\n> Two.\n>\n> — B Person\n",
        false,
    );
    let ids: Vec<&str> = rendered.quotes.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["sb-quote-1", "sb-quote-2"]);
    assert!(rendered
        .html
        .contains("<figure class=\"pull-quote\" id=\"sb-quote-2\">"));
}

fn render_with_media(body: &str, has_media: bool) -> Rendered {
    let page = PageContext {
        has_media,
        ..PageContext::own(
            "content/interviews/talk.md",
            "interviews/talk",
            "interviews/talk/",
            5,
        )
    };
    let options = RenderOptions {
        facilitator: false,
        broken_links: Default::default(),
    };
    render(body, &page, &FakeSite, options)
}

#[test]
fn a_quote_time_seeks_the_recording_and_is_not_part_of_the_name() {
    let body = "> Practise it three times.\n>\n> — Leigh Ashton, 12:34\n";
    let rendered = render_with_media(body, true);
    assert!(
        rendered.html.contains(
            "<a href=\"../../speakers/leigh-ashton/\">Leigh Ashton</a>, <span class=\"quote-time\" data-seek=\"754\">12:34</span></figcaption>"
        ),
        "{}",
        rendered.html
    );
    assert_eq!(rendered.quotes[0].by, "Leigh Ashton");
    assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
    let hours = render_with_media("> Later.\n>\n> — Leigh Ashton, 1:02:03\n", true);
    assert!(
        hours.html.contains("data-seek=\"3723\">1:02:03<"),
        "{}",
        hours.html
    );
    // A comma that is not followed by a time stays part of the attribution.
    let role = render_with_media("> Hi.\n>\n> — Leigh Ashton, trainer\n", true);
    assert_eq!(role.quotes[0].by, "Leigh Ashton, trainer");
}

#[test]
fn a_quote_time_without_a_recording_is_plain_text_and_a_warning() {
    let body = "Intro.\n\n> Practise it three times.\n>\n> — Leigh Ashton, 12:34\n";
    let rendered = render_with_media(body, false);
    assert!(
        rendered
            .html
            .contains("Leigh Ashton</a>, 12:34</figcaption>"),
        "{}",
        rendered.html
    );
    let problems: Vec<String> = rendered.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        ["warning: content/interviews/talk.md:9:3: the quote's time 12:34 has no recording to play on this page (give the interview a `media:` file, or remove the time)"]
    );
}
