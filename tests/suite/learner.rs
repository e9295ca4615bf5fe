//! The learner's side of the built-in theme, as markup: the practice log's
//! accessible names and attempt count, the quiz, track progress hooks, the
//! printable workbook, facilitator builds, and schema.org JSON-LD.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{ids, links, rich_site, Site};

/// The text between `start` and the next `end` after it, for every occurrence.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(start) {
        rest = &rest[i + start.len()..];
        let j = rest.find(end).expect("unterminated element");
        found.push(&rest[..j]);
        rest = &rest[j..];
    }
    found
}

/// The one element that starts with `start` (an opening tag or part of it),
/// up to its closing `</tag>` (no nesting of the same tag inside).
fn element<'a>(html: &'a str, start: &str, tag: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in\n{html}"));
    let close = format!("</{tag}>");
    let j = html[i..].find(&close).expect("unclosed element") + close.len();
    &html[i..i + j]
}

/// The `<label for=ID>` text of the control `id`.
fn label_of<'a>(html: &'a str, id: &str) -> &'a str {
    let start = format!("<label for=\"{id}\">");
    between(html, &start, "</label>")
        .first()
        .copied()
        .unwrap_or_else(|| panic!("no label for #{id}"))
}

/// The parsed `<script type="application/ld+json">` of a page, if any.
fn json_ld(html: &str) -> Option<Value> {
    let scripts = between(html, "<script type=\"application/ld+json\">", "</script>");
    assert!(scripts.len() <= 1, "more than one JSON-LD script");
    scripts.first().map(|text| {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("invalid JSON-LD ({e}): {text}"))
    })
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[test]
fn the_practice_log_has_the_contract_s_accessible_names_and_front_matter_attempts() {
    let site = rich_site();
    site.build().assert_success();
    // `first` says `attempts: 2`; `second` says nothing, so 3.
    for (page, ref_, attempts) in [
        ("first", "exercises/first", 2),
        ("second", "exercises/second", 3),
    ] {
        let html = site.read(&format!("public/exercises/{page}/index.html"));
        let log = element(&html, "<section aria-label=\"Practice log\"", "section");
        assert_eq!(count(&html, "aria-label=\"Practice log\""), 1);
        assert!(log.contains(&format!("data-ref=\"{ref_}\"")), "{log}");
        assert!(
            log.contains(&format!("data-attempts=\"{attempts}\"")),
            "{log}"
        );
        // Attempts only: the spaced reviews have their own check-boxes.
        assert_eq!(
            count(log, "type=\"checkbox\" id=\"sb-attempt-"),
            attempts,
            "{log}"
        );
        assert_eq!(count(log, "<textarea id=\"sb-attempt-"), attempts, "{log}");
        for n in 1..=attempts {
            assert!(log.contains(&format!(
                "<input type=\"checkbox\" id=\"sb-attempt-{n}-done\""
            )));
            assert_eq!(
                label_of(log, &format!("sb-attempt-{n}-done")),
                format!("Attempt {n} done")
            );
            assert!(log.contains(&format!("<textarea id=\"sb-attempt-{n}-notes\"")));
            assert_eq!(
                label_of(log, &format!("sb-attempt-{n}-notes")),
                format!("Attempt {n} notes")
            );
        }
        assert!(!log.contains(&format!("sb-attempt-{}-done", attempts + 1)));
        for name in ["Export progress", "Import progress", "Reset progress"] {
            assert_eq!(
                count(log, &format!(">{name}</button>")),
                1,
                "one {name} button in\n{log}"
            );
        }
        // The buttons need JavaScript, so they stay hidden without it; the
        // progress bar is labelled.
        assert!(log.contains("<div class=\"practice-log-tools\" data-practice-tools hidden>"));
        assert_eq!(label_of(log, "sb-practice-progress"), "Your progress");
        assert!(log.contains(&format!(
            "<progress id=\"sb-practice-progress\" max=\"{attempts}\" value=\"0\">"
        )));
        assert!(log.contains("role=\"alert\""), "a place for import errors");
        assert!(log.contains("role=\"status\""), "a place for confirmations");
    }
}

#[test]
fn the_attempts_count_follows_the_front_matter_from_one_to_ten() {
    let site = Site::new()
        .file(
            "content/exercises/one.md",
            "---\ntitle: One\nattempts: 1\n---\n",
        )
        .file(
            "content/exercises/ten.md",
            "---\ntitle: Ten\nattempts: 10\n---\n",
        );
    site.build().assert_success();
    let one = site.read("public/exercises/one/index.html");
    assert_eq!(count(&one, "type=\"checkbox\" id=\"sb-attempt-"), 1);
    assert!(one.contains("Try it 1 time before you judge it."));
    let ten = site.read("public/exercises/ten/index.html");
    assert_eq!(count(&ten, "type=\"checkbox\" id=\"sb-attempt-"), 10);
    assert_eq!(label_of(&ten, "sb-attempt-10-notes"), "Attempt 10 notes");
    assert!(ten.contains("Try it 10 times before you judge it."));
}

#[test]
fn pages_carry_the_site_key_that_scopes_the_practice_log() {
    let site = Site::new()
        .file("site.yaml", "title: Tom & Jerry's \"Lab\"\n")
        .file("content/exercises/x.md", "---\ntitle: X\n---\n");
    site.build().assert_success();
    let html = site.read("public/exercises/x/index.html");
    assert!(
        html.contains("data-salesbook-site=\"Tom &amp; Jerry&#x27;s &quot;Lab&quot;\"")
            || html.contains("data-salesbook-site=\"Tom &amp; Jerry&#39;s &quot;Lab&quot;\""),
        "{}",
        &html[..400]
    );
    assert!(html.contains("data-root=\"../../\""));
    assert!(site.read("public/index.html").contains("data-root=\"./\""));

    // `extra.practice_key` pins the key, so renaming the site keeps the logs.
    let pinned = Site::new()
        .file(
            "site.yaml",
            "title: New Name\nextra:\n  practice_key: lab-2026\n",
        )
        .file("content/exercises/x.md", "---\ntitle: X\n---\n");
    pinned.build().assert_success();
    assert!(pinned
        .read("public/exercises/x/index.html")
        .contains("data-salesbook-site=\"lab-2026\""));
}

#[test]
fn each_quiz_question_is_a_fieldset_with_its_legend_radios_and_check_button() {
    let site = Site::new().file(
        "content/exercises/q.md",
        "---\ntitle: Q\nquiz:\n  - question: Pick <b>one</b>\n    choices: [Red, Green & Blue, Yellow]\n    answer: Green & Blue\n    explain: Because.\n  - question: Second?\n    choices: ['Yes', 'No']\n    answer: 'No'\n---\n",
    );
    site.build().assert_success();
    let html = site.read("public/exercises/q/index.html");
    let fieldsets = between(&html, "<fieldset", "</fieldset>");
    assert_eq!(fieldsets.len(), 2);
    let first = fieldsets[0];
    assert!(
        first.contains("data-answer=\"Green &amp; Blue\""),
        "{first}"
    );
    let legend = between(first, "<legend>", "</legend>")[0];
    assert!(
        legend.starts_with("Pick &lt;b&gt;one"),
        "escaped question: {legend}"
    );
    assert_eq!(count(first, "type=\"radio\""), 3);
    assert_eq!(count(first, "name=\"quiz-1\""), 3);
    for (i, choice) in ["Red", "Green &amp; Blue", "Yellow"].iter().enumerate() {
        let id = format!("sb-quiz-1-choice-{}", i + 1);
        assert_eq!(label_of(first, &id), *choice);
    }
    assert_eq!(count(first, ">Check answer</button>"), 1);
    assert!(first.contains("role=\"status\""), "feedback is announced");
    assert!(
        first.contains("<details class=\"quiz-answer\">"),
        "no-JS reveal"
    );
    assert!(first.contains("<p><strong>Answer:</strong> Green &amp; Blue</p>"));
    assert!(first.contains("<p>Because.</p>"));
    assert_eq!(count(fieldsets[1], "type=\"radio\""), 2);
    assert!(!fieldsets[1].contains("Because."));
}

#[test]
fn track_pages_carry_what_the_progress_script_needs() {
    let site = rich_site();
    site.build().assert_success();
    let html = site.read("public/tracks/habit/index.html");
    let items = between(&html, "<li class=\"track-item ", "</li>");
    assert_eq!(items.len(), 3);
    assert!(items[0].contains("data-ref=\"interviews/2026/talk\" data-kind=\"interview\""));
    assert!(items[1]
        .contains("data-ref=\"exercises/first\" data-kind=\"exercise\" data-attempts=\"2\""));
    assert!(items[2]
        .contains("data-ref=\"exercises/second\" data-kind=\"exercise\" data-attempts=\"3\""));
    for item in &items {
        assert!(item.contains("data-progress hidden"), "{item}");
    }
    assert_eq!(label_of(&html, "sb-track-progress"), "Track progress");
    assert!(html.contains("<progress id=\"sb-track-progress\" max=\"3\" value=\"0\">"));
    assert!(html.contains("href=\"../../tracks/habit/workbook/\">Printable workbook</a>"));
    // The interview of the track records that it was opened, keyed by ref.
    assert!(site
        .read("public/interviews/talk/index.html")
        .contains("data-seen-ref=\"interviews/2026/talk\""));
    // Home: "continue where you left off" waits, hidden, for the script.
    let home = site.read("public/index.html");
    assert!(home.contains("aria-labelledby=\"sb-continue\" data-continue hidden>"));
    // Exercise cards can show their progress.
    assert!(home.contains("data-ref=\"exercises/first\" data-attempts=\"2\""));
}

#[test]
fn the_workbook_holds_every_exercise_with_prompts_and_attempt_boxes() {
    let site = rich_site();
    site.build().assert_success();
    let html = site.read("public/tracks/habit/workbook/index.html");
    let items = between(&html, "<section class=\"workbook-item ", "\n  </section>");
    assert_eq!(items.len(), 3, "one section per track item");
    assert!(items[0].contains("The Talk") && items[0].contains("workbook-interview"));
    assert!(items[1].contains("First") && items[1].contains("worksheet"));
    assert_eq!(count(items[1], "<li class=\"attempt\">"), 2, "attempts: 2");
    assert_eq!(count(items[2], "<li class=\"attempt\">"), 3, "default 3");
    assert!(
        items[1].contains("<p>What happened?</p><div class=\"write-space"),
        "reflection with writing space"
    );
    assert!(
        items[1].contains("How many tries?"),
        "the quiz, without answers inline"
    );
    assert!(html.contains("id=\"sb-answers\""));
    assert!(html.contains("<strong>3</strong> — Three."));

    // Item bodies were rendered for pages one folder up: ids stay unique and
    // every relative link still lands on a file of the output.
    let all_ids = ids(&html);
    let unique: BTreeSet<&String> = all_ids.iter().collect();
    assert_eq!(unique.len(), all_ids.len(), "duplicate ids: {all_ids:?}");
    let dir = "tracks/habit/workbook/";
    for link in links(&html) {
        if link.starts_with("http") {
            continue;
        }
        if let Some(fragment) = link.strip_prefix('#') {
            assert!(
                all_ids.iter().any(|id| id == fragment) || fragment == "main",
                "#{fragment} has no target"
            );
            continue;
        }
        let path = link.split('#').next().unwrap();
        let mut parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
        for part in path.split('/') {
            match part {
                ".." => {
                    assert!(parts.pop().is_some(), "{link} climbs above the site root");
                }
                "." | "" => {}
                other => parts.push(other),
            }
        }
        let mut target = format!("public/{}", parts.join("/"));
        if path.ends_with('/') || path.is_empty() {
            target = format!("{}/index.html", target.trim_end_matches('/'));
        }
        assert!(
            site.exists(&target),
            "{link} from {dir} -> {target} is missing"
        );
    }
}

#[test]
fn facilitator_builds_mark_notes_and_put_a_banner_on_every_page() {
    let content = "---\ntitle: F\n---\nBefore.\n\n> [!FACILITATOR]\n> Split the room in pairs.\n";
    let learner = Site::new().file("content/exercises/f.md", content);
    learner.build().assert_success();
    let html = learner.read("public/exercises/f/index.html");
    assert!(!html.contains("Split the room"));
    assert!(!html.contains("edition-banner"));

    let guide = Site::new().file("content/exercises/f.md", content);
    guide
        .build_with(&["--audience", "facilitator"])
        .assert_success();
    let html = guide.read("public/exercises/f/index.html");
    assert!(html.contains("<aside class=\"callout callout-facilitator\""));
    assert!(html.contains("Split the room in pairs."));
    for page in [
        "index.html",
        "exercises/index.html",
        "exercises/f/index.html",
        "topics/index.html",
        "404.html",
    ] {
        let html = guide.read(&format!("public/{page}"));
        assert!(html.contains("Facilitator edition"), "no banner on {page}");
    }
    assert!(guide
        .read("public/index.html")
        .contains("<body class=\"kind-home is-facilitator\">"));
}

/// An interview whose facilitator note holds a heading, a pull quote and a
/// secret word, in a track that an LMS package carries.
fn site_with_an_answer_key() -> Site {
    Site::new()
        .file("content/speakers/leigh.md", "---\nname: Leigh Ashton\n---\nTrainer.\n")
        .file(
            "content/interviews/talk.md",
            "---\ntitle: The talk\nsummary: Why tasks slip.\nguests: [leigh]\n---\n\
             ## Opening\n\nAsk first.\n\n## Practice\n\nTry.\n\n\
             > [!FACILITATOR]\n>\n> ## Quokka answers\n>\n> The zanzibarsecret answer is three.\n>\n\
             > > Narwhals close every deal.\n> >\n> > — Leigh Ashton\n\n\
             ## Closing\n\nListen.\n",
        )
        .file(
            "content/tracks/habit.md",
            "---\ntitle: The habit\nitems: [interviews/talk]\n---\nIn order.\n",
        )
}

/// The files of `public/`, the entries of its LMS packages among them.
fn every_output_file(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for (name, bytes) in site.snapshot("public") {
        if name.ends_with(".zip") {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            for at in 0..archive.len() {
                let mut entry = archive.by_index(at).unwrap();
                let mut inside = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut inside).unwrap();
                files.push((format!("{name}:{}", entry.name().unwrap()), inside));
            }
        }
        files.push((name, bytes));
    }
    files
}

#[test]
fn nothing_inside_a_facilitator_note_reaches_any_file_of_a_learner_build() {
    let site = site_with_an_answer_key();
    site.build_with(&["--lms", "scorm12", "--base-url", "https://example.org/"])
        .assert_success();
    let files = every_output_file(&site);
    assert!(files
        .iter()
        .any(|(name, _)| name.starts_with("lms/habit.zip:")));
    assert!(files.iter().any(|(name, _)| name.starts_with("search/t/")));
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for secret in ["zanzibarsecret", "quokka", "narwhal"] {
            assert!(!text.contains(secret), "{secret} in {name}");
        }
    }
    // The page's own headings are still listed.
    let html = site.read("public/interviews/talk/index.html");
    assert!(html.contains("href=\"#closing\""), "{html}");
}

#[test]
fn a_facilitator_build_lists_the_note_s_heading_and_quote() {
    let site = site_with_an_answer_key();
    site.build_with(&["--audience", "facilitator"])
        .assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(html.contains("href=\"#quokka-answers\""), "{html}");
    assert_eq!(count(&html, "Narwhals close every deal."), 2, "{html}");
    let search = site.snapshot("public/search/t");
    assert!(search
        .values()
        .any(|bytes| String::from_utf8_lossy(bytes).contains("\"zanzibarsecret\"")));
}

#[test]
fn a_link_to_a_heading_only_in_a_facilitator_note_is_an_error_in_a_learner_build() {
    let site = site_with_an_answer_key()
        .file(
            "content/exercises/x.md",
            "---\ntitle: X\n---\nSee [the key](@/interviews/talk.md#quokka-answers).\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n> [!FACILITATOR]\n> ## Key\n>\n> Jump to [it](#key).\n\n[key](#key)\n",
        );
    site.check().assert_errors(&[
        "content/about.md:9:1: the heading `#key` of content/about.md is only in a facilitator note, which learner builds leave out (move the heading out of the note, or remove the link)",
        "content/exercises/x.md:4:5: the heading `#quokka-answers` of content/interviews/talk.md is only in a facilitator note, which learner builds leave out",
    ]);
    site.check_with(&["--audience", "facilitator"])
        .assert_success();
}

#[test]
fn json_ld_describes_exercises_tracks_interviews_and_speakers() {
    let site = rich_site();
    site.build().assert_success();
    let page = |path: &str| json_ld(&site.read(&format!("public/{path}")));

    let exercise = page("exercises/first/index.html").expect("exercise JSON-LD");
    assert_eq!(exercise["@context"], "https://schema.org");
    assert_eq!(exercise["@type"], "LearningResource");
    assert_eq!(exercise["name"], "First");
    assert_eq!(exercise["hasPart"]["@type"], "Quiz");
    let questions = exercise["hasPart"]["hasPart"]
        .as_array()
        .expect("questions");
    assert_eq!(questions.len(), 1);
    assert_eq!(questions[0]["@type"], "Question");
    assert_eq!(questions[0]["name"], "How many tries?");
    assert_eq!(questions[0]["acceptedAnswer"]["text"], "3");

    let plain = page("exercises/second/index.html").expect("exercise JSON-LD");
    assert_eq!(plain["@type"], "LearningResource");
    assert!(plain.get("hasPart").is_none(), "no quiz, no Quiz");

    let track = page("tracks/habit/index.html").expect("track JSON-LD");
    assert_eq!(track["@type"], "Course");
    assert_eq!(track["name"], "Habit");
    assert_eq!(track["hasPart"].as_array().map(Vec::len), Some(3));

    let interview = page("interviews/talk/index.html").expect("interview JSON-LD");
    assert_eq!(interview["@type"], "LearningResource");

    let speaker = page("speakers/jo/index.html").expect("speaker JSON-LD");
    assert_eq!(speaker["@type"], "Person");
    assert_eq!(speaker["name"], "Jo Host");
    assert_eq!(
        page("speakers/al-smith/index.html").unwrap()["@type"],
        "Person"
    );

    assert!(page("index.html").is_none(), "the home page has none");
    assert!(page("about/index.html").is_none());
    assert!(page("exercises/index.html").is_none());
}

#[test]
fn json_ld_cannot_end_its_script_element() {
    let site = Site::new().file(
        "content/exercises/x.md",
        "---\ntitle: \"A </script><script>alert(1)</script> title\"\nsummary: \"<!-- not a comment\"\n---\n",
    );
    site.build().assert_success();
    let html = site.read("public/exercises/x/index.html");
    let value = json_ld(&html).expect("JSON-LD");
    assert_eq!(value["name"], "A </script><script>alert(1)</script> title");
    assert_eq!(value["description"], "<!-- not a comment");
    assert_eq!(count(&html, "<script>alert(1)"), 0);
}

#[test]
fn interview_pages_lead_with_what_you_will_learn() {
    let site = rich_site();
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    let learn = html.find("id=\"sb-learn\"").expect("what you'll learn");
    let body = html.find("<div class=\"prose\">").expect("body");
    assert!(learn < body, "learn comes before the body");
    assert!(html.contains("<span class=\"meta-label\">Reading time</span> 1 min"));
    assert!(html.contains("<p class=\"person-label\">Host</p>"));
    assert!(html.contains("<a href=\"../../speakers/jo/\">Jo Host</a>"));
    assert!(html.contains("<a href=\"../../speakers/al-smith/\">Al Smith</a>"));
    // The pull quote in the body links its speaker; "Key quotes" links to it.
    assert!(html
        .contains("<figcaption>— <a href=\"../../speakers/al-smith/\">Al Smith</a></figcaption>"));
    let quotes = element(&html, "<section class=\"key-quotes\"", "section");
    assert!(quotes.contains("<a href=\"#sb-quote-1\">"), "{quotes}");
    assert!(
        quotes.contains("<span class=\"key-quote-by\">Al Smith</span>"),
        "{quotes}"
    );
    assert!(html.contains("id=\"sb-takeaways\""));
    let practice = element(
        &html,
        "<section class=\"related\" aria-labelledby=\"sb-practice\"",
        "section",
    );
    assert!(
        practice.contains("href=\"../../exercises/first/\""),
        "{practice}"
    );
}

#[test]
fn a_theme_s_workbook_sees_each_item_s_own_html_though_pages_free_theirs() {
    // A build hands each page's HTML to its own page and frees it there;
    // the workbook, which may show its items' own HTML, must still get it.
    let site = rich_site().file(
        "themes/default/templates/workbook.html",
        "{% for item in items %}<<{{ item.content | safe }}>>{% endfor %}",
    );
    site.build().assert_success();
    let html = site.read("public/tracks/habit/workbook/index.html");
    let items = between(&html, "<<", ">>");
    assert_eq!(items.len(), 3, "{html}");
    for (item, page) in items.iter().zip([
        "public/interviews/talk/index.html",
        "public/exercises/first/index.html",
        "public/exercises/second/index.html",
    ]) {
        assert!(item.contains("<p>"), "an item's HTML is empty: {html}");
        assert!(site.read(page).contains(item), "{page} shows other HTML");
    }
}
