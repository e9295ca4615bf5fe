//! Quiz questions with several right answers (`answer` as a list): their
//! checks at the question's line, their check-boxes, the no-JS reveal, the
//! JSON-LD and the LMS data; and what a track page needs for its quiz score
//! and certificate.

use std::io::Read;

use crate::support::Site;

fn exercise(text: &str) -> Site {
    Site::new().file("content/exercises/x.md", text)
}

/// An exercise with one single-answer and one multi-answer question, in a track.
fn quiz_site() -> Site {
    Site::new()
        .file(
            "content/exercises/x.md",
            "---\ntitle: Notes\nattempts: 2\nquiz:\n  - question: One?\n    choices: [a, b]\n    answer: b\n\
             \x20 - question: Which belong in notes?\n    choices: [What happened, Your verdict, One tweak & why]\n\
             \x20   answer:\n      - What happened\n      - One tweak & why\n    explain: Save the verdict.\n---\nBody.\n",
        )
        .file("content/exercises/plain.md", "---\ntitle: No quiz\n---\nBody.\n")
        .file(
            "content/tracks/t.md",
            "---\ntitle: The track\nitems: [exercises/x, exercises/plain]\n---\nIn order.\n",
        )
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in\n{html}"))
        + start.len();
    let j = html[i..].find(end).expect("unterminated");
    &html[i..i + j]
}

// --- validation ----------------------------------------------------------

#[test]
fn every_answer_of_a_list_must_be_a_choice_with_a_close_one_suggested() {
    exercise("---\ntitle: A\nquiz:\n  - question: Q?\n    choices: [Listen, Ask, Pitch]\n    answer: [Ask, Lisen]\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:4: quiz question 1: the answer \"Lisen\" is not one of its choices (did you mean \"Listen\"?",
        ]);
}

#[test]
fn an_empty_answer_list_is_reported_at_its_question() {
    exercise("---\ntitle: A\nquiz:\n  - question: One?\n    choices: [a, b]\n    answer: a\n  - question: Two?\n    choices: [a, b]\n    answer: []\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:7: quiz question 2: the list of answers is empty (list at least one right choice"]);
}

#[test]
fn an_answer_named_twice_is_reported() {
    exercise("---\ntitle: A\nquiz:\n  - question: Q?\n    choices: [a, b, c]\n    answer:\n      - a\n      - c\n      - a\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4: quiz question 1 lists the answer \"a\" twice"]);
}

#[test]
fn an_answer_written_as_key_value_lines_is_explained_in_words() {
    let run = exercise("---\ntitle: A\nquiz:\n  - question: Q?\n    choices: [a, b]\n    answer:\n      a: yes\n---\n").check();
    run.assert_code(1);
    run.assert_stderr_contains(
        "`answer` in `quiz` item 1 must be one of the choices or a list of them, not `key: value` lines",
    );
}

#[test]
fn numbers_and_words_without_quotes_match_their_choices() {
    exercise("---\ntitle: A\nquiz:\n  - question: Q?\n    choices: [1, 2, 3]\n    answer: [1, 3]\n  - question: R?\n    choices: [true, false]\n    answer: true\n---\n")
        .check()
        .assert_success();
}

// --- rendering -----------------------------------------------------------

#[test]
fn a_list_answer_gets_check_boxes_select_all_and_every_answer_in_the_reveal() {
    let site = quiz_site();
    site.build().assert_success();
    let html = site.read("public/exercises/x/index.html");
    let single = between(
        &html,
        "<fieldset class=\"quiz-question\" id=\"sb-quiz-1\"",
        "</fieldset>",
    );
    assert_eq!(single.matches("type=\"radio\"").count(), 2, "{single}");
    assert!(!single.contains("data-right"), "{single}");
    assert!(!single.contains("Select all that apply"), "{single}");
    let multi = between(
        &html,
        "<fieldset class=\"quiz-question quiz-multiple\" id=\"sb-quiz-2\"",
        "</fieldset>",
    );
    assert!(multi.contains("data-right=\"0 2\""), "{multi}");
    assert_eq!(multi.matches("type=\"checkbox\"").count(), 3, "{multi}");
    assert_eq!(multi.matches("type=\"radio\"").count(), 0, "{multi}");
    assert!(
        between(multi, "<legend>", "</legend>").contains("Select all that apply."),
        "{multi}"
    );
    let reveal = between(multi, "<details class=\"quiz-answer\">", "</details>");
    assert!(reveal.contains("<strong>Answers:</strong>"), "{reveal}");
    assert!(reveal.contains("<li>What happened</li>"), "{reveal}");
    assert!(reveal.contains("<li>One tweak &amp; why</li>"), "{reveal}");
    assert!(!reveal.contains("Your verdict"), "{reveal}");
    assert!(reveal.contains("<p>Save the verdict.</p>"), "{reveal}");
}

#[test]
fn json_ld_lists_every_accepted_answer_of_a_checkbox_question() {
    let site = quiz_site();
    site.build().assert_success();
    let html = site.read("public/exercises/x/index.html");
    let json = between(&html, "<script type=\"application/ld+json\">", "</script>");
    let data: serde_json::Value = serde_json::from_str(json).expect("valid JSON-LD");
    let questions = &data["hasPart"]["hasPart"];
    assert_eq!(questions[0]["acceptedAnswer"]["text"], "b");
    assert_eq!(questions[0]["eduQuestionType"], "Multiple choice");
    assert_eq!(questions[1]["eduQuestionType"], "Checkbox");
    let accepted: Vec<&str> = questions[1]["acceptedAnswer"]
        .as_array()
        .expect("a list of answers")
        .iter()
        .map(|a| a["text"].as_str().unwrap())
        .collect();
    assert_eq!(accepted, ["What happened", "One tweak & why"]);
    assert_eq!(questions[1]["suggestedAnswer"][0]["text"], "Your verdict");
}

#[test]
fn a_track_page_counts_each_exercises_questions_and_holds_a_hidden_certificate() {
    let site = quiz_site();
    site.build().assert_success();
    let html = site.read("public/tracks/t/index.html");
    assert!(
        html.contains("data-ref=\"exercises/x\" data-kind=\"exercise\" data-attempts=\"2\" data-questions=\"2\">"),
        "{html}"
    );
    assert!(
        html.contains("data-ref=\"exercises/plain\" data-kind=\"exercise\" data-attempts=\"3\">"),
        "an exercise without a quiz has no count: {html}"
    );
    assert!(html.contains("<p class=\"track-quiz-score\" data-track-quiz-score hidden></p>"));
    let certificate = between(&html, "<section class=\"certificate-offer\"", "</section>");
    assert!(
        certificate.contains("data-certificate hidden"),
        "{certificate}"
    );
    assert!(
        certificate.contains("<p class=\"certificate-track\">The track</p>"),
        "{certificate}"
    );
    assert!(certificate.contains("Self-reported."), "{certificate}");
    assert!(
        certificate.contains("<label for=\"sb-certificate-name\">Your name</label>"),
        "{certificate}"
    );
}

#[test]
fn the_lms_package_knows_the_positions_of_every_right_answer() {
    let site = quiz_site();
    site.build_with(&["--lms", "scorm12"]).assert_success();
    let file = std::fs::File::open(site.path("public/lms/t.zip")).expect("the track's package");
    let mut archive = zip::ZipArchive::new(file).expect("a ZIP file");
    let mut launch = String::new();
    archive
        .by_name("index.html")
        .expect("a launch page")
        .read_to_string(&mut launch)
        .unwrap();
    let data: serde_json::Value =
        serde_json::from_str(between(&launch, "id=\"sb-lms-data\">", "</script>")).unwrap();
    assert_eq!(data["steps"][0]["quiz"], serde_json::json!([1, [0, 2]]));
}
