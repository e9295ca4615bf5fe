//! Role-play exercises: `roles`, `rubric` and `model_answer` rendered on the
//! exercise page (briefs and the model answer through the body's Markdown
//! pipeline), the facilitator edition, the LMS runtime's data, and every
//! mistake in them reported at its file:line.

use crate::support::Site;

/// A role-play with three roles, two criteria and a model answer, beside
/// the debrief exercise its observer's brief links to.
const ROLE_PLAY: &str = "---
title: Practise in threes
attempts: 2
roles:
  - name: Seller
    brief: |
      Open with a **question**.
  - name: Buyer's boss
    brief: Give short answers.
  - name: Observer
    brief: |
      Tick the rubric, then ask the [four questions](debrief.md#the-four-questions).
rubric:
  - Asked an open question
  - Asked for a next step
model_answer: |
  The seller asks first, then **summarises**.
---
## How to run it

Play three rounds.
";

fn role_play_site(exercise: &str) -> Site {
    Site::new()
        .file("content/exercises/threes.md", exercise)
        .file(
            "content/exercises/debrief.md",
            "---\ntitle: Debrief\n---\n## The four questions\n\nAsk them.\n",
        )
}

/// A site with one exercise `content/exercises/x.md` holding `text`.
fn exercise(text: &str) -> Site {
    Site::new().file("content/exercises/x.md", text)
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[test]
fn roles_show_as_cards_with_their_briefs_rendered_and_links_made_relative() {
    let site = role_play_site(ROLE_PLAY);
    site.build().assert_success();
    let html = site.read("public/exercises/threes/index.html");
    assert!(html.contains("<section class=\"roles\" aria-labelledby=\"sb-roles\">"));
    assert_eq!(count(&html, "<li class=\"role-card\""), 3);
    for name in ["Seller", "Buyer’s boss", "Observer"] {
        assert!(
            html.contains(&format!("<h3 class=\"role-name\">{name}</h3>")),
            "{name}"
        );
    }
    assert!(html.contains("<p>Open with a <strong>question</strong>.</p>"));
    assert!(html.contains("<p>Give short answers.</p>"));
    assert!(
        html.contains("href=\"../../exercises/debrief/#the-four-questions\""),
        "a brief's link is relative, like the body's"
    );
    // The roles come after the body, before the practice log.
    let body = html.find("id=\"how-to-run-it\"").unwrap();
    let roles = html.find("id=\"sb-roles\"").unwrap();
    let log = html.find("aria-label=\"Practice log\"").unwrap();
    assert!(body < roles && roles < log);
}

#[test]
fn every_attempt_has_the_rubric_as_check_boxes() {
    let site = role_play_site(ROLE_PLAY);
    site.build().assert_success();
    let html = site.read("public/exercises/threes/index.html");
    assert_eq!(
        count(&html, "<fieldset class=\"attempt-rubric\" data-rubric>"),
        2
    );
    for attempt in 1..=2 {
        assert!(html.contains(&format!(
            "<legend>Attempt {attempt}: what did you (or your observer) see?</legend>"
        )));
        for (index, criterion) in ["Asked an open question", "Asked for a next step"]
            .iter()
            .enumerate()
        {
            let id = format!("sb-attempt-{attempt}-rubric-{}", index + 1);
            assert!(
                html.contains(&format!(
                    "<input type=\"checkbox\" id=\"{id}\" name=\"attempt-{attempt}-rubric-{}\" data-criterion=\"{index}\">",
                    index + 1
                )),
                "{id}"
            );
            assert!(html.contains(&format!("<label for=\"{id}\">{criterion}</label>")));
        }
    }
}

#[test]
fn the_model_answer_waits_behind_try_it_first_for_learners() {
    let site = role_play_site(ROLE_PLAY);
    site.build().assert_success();
    let html = site.read("public/exercises/threes/index.html");
    let start = html.find("<section class=\"model-answer\"").unwrap();
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(section.contains("data-model-answer=\"exercises/threes\""));
    assert!(section.contains("<details class=\"model-answer-details\" data-model-answer-body>"));
    assert!(section.contains("<summary>Try it first, then show the model answer</summary>"));
    assert!(section.contains("The seller asks first, then <strong>summarises</strong>."));
    assert!(section.contains("data-model-answer-locked hidden>"));
    assert!(
        html.find("aria-label=\"Practice log\"").unwrap() < start,
        "below the practice log"
    );
}

#[test]
fn the_facilitator_edition_shows_the_model_answer_openly() {
    let site = role_play_site(ROLE_PLAY);
    site.build_with(&["--audience", "facilitator"])
        .assert_success();
    let html = site.read("public/exercises/threes/index.html");
    let start = html
        .find("<section class=\"model-answer is-open\"")
        .unwrap();
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(section.contains("The seller asks first, then <strong>summarises</strong>."));
    assert!(!section.contains("<details"), "{section}");
    assert!(
        !html.contains("data-model-answer"),
        "nothing for the script to hide"
    );
}

#[test]
fn facilitator_notes_in_a_model_answer_are_for_the_facilitator_edition() {
    let text = ROLE_PLAY.replace(
        "  The seller asks first, then **summarises**.\n",
        "  The seller asks first.\n\n  > [!FACILITATOR]\n  > Point at the summary.\n",
    );
    let site = role_play_site(&text);
    site.build().assert_success();
    let html = site.read("public/exercises/threes/index.html");
    assert!(!html.contains("Point at the summary."));
    site.build_with(&["--audience", "facilitator", "--force"])
        .assert_success();
    let html = site.read("public/exercises/threes/index.html");
    assert!(html.contains("Point at the summary."));
}

#[test]
fn an_exercise_without_a_role_play_has_none_of_its_parts() {
    let site = exercise("---\ntitle: Solo\n---\nDo it.\n");
    site.build().assert_success();
    let html = site.read("public/exercises/x/index.html");
    for part in ["class=\"roles\"", "attempt-rubric", "model-answer"] {
        assert!(!html.contains(part), "{part}");
    }
}

#[test]
fn the_lms_runtime_knows_each_exercise_s_rubric_and_its_longest_ticks() {
    let track = "---\ntitle: Habit\nitems: [exercises/threes]\n---\n";
    let with = role_play_site(ROLE_PLAY).file("content/tracks/habit.md", track);
    with.build_with(&["--lms", "scorm12"]).assert_success();
    let without = role_play_site(&ROLE_PLAY.replace(
        "rubric:\n  - Asked an open question\n  - Asked for a next step\n",
        "",
    ))
    .file("content/tracks/habit.md", track);
    without.build_with(&["--lms", "scorm12"]).assert_success();
    let data = |site: &Site| -> serde_json::Value {
        let launch = std::fs::read(site.path("public/lms/habit.zip")).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(launch)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("index.html").unwrap(), &mut text)
            .unwrap();
        let start = text.find("id=\"sb-lms-data\">").unwrap() + "id=\"sb-lms-data\">".len();
        serde_json::from_str(&text[start..start + text[start..].find("</script>").unwrap()])
            .unwrap()
    };
    let (with, without) = (data(&with), data(&without));
    assert_eq!(with["steps"][0]["rubric"], 2);
    assert!(without["steps"][0].get("rubric").is_none());
    // Two attempts, every criterion ticked: `,"b":{"exercises/threes":"vv"}`.
    let extra = ",\"b\":{\"exercises/threes\":\"vv\"}".len() as u64;
    assert_eq!(
        with["suspend_data_worst_case"].as_u64().unwrap(),
        without["suspend_data_worst_case"].as_u64().unwrap() + extra
    );
}

// --- mistakes ----------------------------------------------------------

#[test]
fn an_unknown_key_in_a_role_suggests_the_close_one() {
    exercise("---\ntitle: A\nroles:\n  - name: Seller\n    breif: Sell.\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:5:5: `roles` item 1 has an unknown key `breif` (did you mean `brief`?)",
        ]);
}

#[test]
fn a_role_without_a_brief_says_so() {
    exercise("---\ntitle: A\nroles:\n  - name: Seller\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4:5: `roles` item 1 is missing `brief`"]);
}

#[test]
fn empty_and_repeated_names_and_empty_briefs_are_reported_at_their_role() {
    exercise(
        "---\ntitle: A\nroles:\n  - name: Seller\n    brief: x\n  - name: \"\"\n    brief: x\n  - name: seller\n    brief: \"  \"\n---\n",
    )
    .check()
    .assert_errors(&[
        "content/exercises/x.md:6: role 2 has no `name` (name who plays it, e.g. `name: Buyer`)",
        "content/exercises/x.md:8: role 3 has an empty `brief`",
        "content/exercises/x.md:8: the role \"seller\" is listed twice (give each role its own name",
    ]);
}

#[test]
fn wrong_types_are_said_in_an_author_s_words() {
    exercise("---\ntitle: A\nroles: Seller\nrubric: Asked\nmodel_answer: [a]\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3:8: `roles` must be a list, not the text \"Seller\"",
            "content/exercises/x.md:4:9: `rubric` must be a list, not the text \"Asked\"",
            "content/exercises/x.md:5:15: `model_answer` must be text, not a list",
        ]);
    exercise("---\ntitle: A\nroles:\n  - Seller\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4:5: `roles` item 1 must be `key: value` lines, not the text \"Seller\""]);
}

#[test]
fn empty_repeated_and_too_many_criteria_are_reported() {
    exercise("---\ntitle: A\nrubric:\n  - Asked\n  - \"\"\n  - Asked\nmodel_answer: \" \"\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:5: rubric criterion 2 is empty",
            "content/exercises/x.md:6: the rubric lists \"Asked\" twice",
            "content/exercises/x.md:7: `model_answer` is empty (write what a good attempt sounds like, or remove `model_answer:`)",
        ]);
    let many: String = (1..=21).map(|n| format!("  - Criterion {n}\n")).collect();
    exercise(&format!("---\ntitle: A\nrubric:\n{many}---\n"))
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3: `rubric` has 21 criteria; at most 20 fit on an attempt",
        ]);
}

#[test]
fn broken_links_in_briefs_and_the_model_answer_are_reported_where_they_are_written() {
    let text = ROLE_PLAY
        .replace(
            "[four questions](debrief.md#the-four-questions)",
            "[four questions](debrief.md#the-five-questions)",
        )
        .replace(
            "  The seller asks first",
            "  See [that](nowhere.md). The seller asks first",
        );
    role_play_site(&text).check().assert_errors(&[
        "content/exercises/threes.md:12:37: no heading `#the-five-questions` in content/exercises/debrief.md (did you mean `#the-four-questions`?)",
        "content/exercises/threes.md:17:7: link to `nowhere.md`: there is no page content/exercises/nowhere.md",
    ]);
}
