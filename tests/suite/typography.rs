//! Smart punctuation outside page bodies: titles, summaries and list
//! fields get the curly quotes and dashes bodies get; feeds, JSON-LD and
//! the quiz's answer matching keep working on the author's text.

use crate::support::Site;

const EXERCISE: &str = "---\ntitle: Don't \"guess\" -- ask\nsummary: It's the buyer's call...\n\
    date: 2026-03-02\nobjective: Ask 'why' twice\nreflection: [\"What's next?\"]\n\
    quiz:\n  - question: Who's deciding?\n    choices: [\"The buyer's boss\", \"Nobody\"]\n    \
    answer: \"The buyer's boss\"\n    explain: It's always \"the boss\".\n---\nDon't guess.\n";

#[test]
fn titles_summaries_and_list_fields_get_the_bodys_punctuation() {
    let site = Site::new().file("content/exercises/ask.md", EXERCISE);
    site.build().assert_success();
    let html = site.read("public/exercises/ask/index.html");
    for shown in [
        "<h1>Don’t “guess” – ask</h1>",
        "It’s the buyer’s call…",
        "Ask ‘why’ twice",
        "What’s next?",
        "<legend>Who’s deciding?</legend>",
        "It’s always “the boss”.",
        "<p>Don’t guess.</p>",
    ] {
        assert!(html.contains(shown), "{shown} missing from {html}");
    }
    // Search results show the title as pages do.
    let docs = site.read("public/search/docs.json");
    assert!(docs.contains("Don’t “guess” – ask"), "{docs}");
    // The answer is matched against the choices by value: both change alike.
    assert!(html.contains("data-answer=\"The buyer’s boss\""), "{html}");
    assert!(html.contains("value=\"The buyer’s boss\""), "{html}");
}

#[test]
fn feeds_and_structured_data_keep_the_authors_text() {
    let site = Site::new()
        .file(
            "site.yaml",
            "title: Test Lab\nbase_url: https://lab.example.org/\n",
        )
        .file("content/exercises/ask.md", EXERCISE);
    site.build().assert_success();
    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("Don&#39;t &quot;guess&quot; -- ask"),
        "{feed}"
    );
    let html = site.read("public/exercises/ask/index.html");
    assert!(
        html.contains(r#""name":"Don't \"guess\" -- ask""#),
        "{html}"
    );
}
