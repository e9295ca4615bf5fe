//! Front matter values are escaped in HTML; Markdown bodies are trusted.

use crate::support::Site;

/// A value that breaks out of text and attributes if not escaped.
const HOSTILE: &str = r#"'<script>alert(1)</script> "Q" & Co'"#;

fn hostile_site() -> Site {
    let v = HOSTILE;
    Site::new()
        .file(
            "content/interviews/talk.md",
            &format!(
                "---\ntitle: {v}\nsummary: {v}\nlearn: [{v}]\ntakeaways: [{v}]\ntags: [{v}]\nhost: jo\n---\n\
                 Body with <b class=\"raw\">trusted HTML</b>.\n\n<script>trusted()</script>\n"
            ),
        )
        .file(
            "content/exercises/drill.md",
            &format!(
                "---\ntitle: {v}\nobjective: {v}\nreflection: [{v}]\nquiz:\n  - question: {v}\n    choices: [{v}, plain]\n    answer: {v}\n    explain: {v}\n---\n"
            ),
        )
        .file("content/speakers/jo.md", &format!("---\nname: {v}\nrole: {v}\ncompany: {v}\n---\n"))
}

#[test]
fn front_matter_values_are_escaped_everywhere() {
    let site = hostile_site();
    site.build().assert_success();
    for (path, bytes) in site.snapshot("public") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert"),
            "public/{path} holds an unescaped front matter value"
        );
        assert!(
            !text.contains(r#""Q""#),
            "public/{path} holds an unescaped quote"
        );
    }
    for page in ["interviews/talk", "exercises/drill", "speakers/jo"] {
        let html = site.read(&format!("public/{page}/index.html"));
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;"),
            "{page} lacks the escaped value:\n{html}"
        );
        // Shown with smart punctuation, which curls the quotes.
        assert!(
            html.contains("“Q” &amp; Co"),
            "{page} lacks the curled quotes and escaped ampersand"
        );
    }
}

#[test]
fn each_interview_field_is_shown_escaped() {
    let site = hostile_site();
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    let escaped = "&lt;script&gt;alert(1)&lt;";
    // title (twice: <title> and <h1>), summary (lead and meta), learn, takeaways, tag, host name.
    assert!(html.matches(escaped).count() >= 7, "{html}");
}

#[test]
fn markdown_body_html_is_kept() {
    let site = hostile_site();
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(html.contains("<b class=\"raw\">trusted HTML</b>"), "{html}");
    assert!(html.contains("<script>trusted()</script>"), "{html}");
}

#[test]
fn site_yaml_values_are_escaped() {
    let site = Site::new().file(
        "site.yaml",
        &format!("title: {HOSTILE}\ndescription: {HOSTILE}\n"),
    );
    site.build().assert_success();
    let html = site.read("public/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;"), "{html}");
}
