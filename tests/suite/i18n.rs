//! The theme's words in the site's language: `language:` picks a built-in
//! table, `strings:` overrides keys, and mistakes in either (or in a
//! template's `t(key=...)`) are errors at their line.

use crate::support::{rich_site, Site};

/// English labels of the built-in theme: none may be left on a page of a
/// site in another language. Page titles and bodies of the fixture are
/// English, so only whole labels as the theme writes them are looked for.
const ENGLISH_LABELS: &[&str] = &[
    ">Skip to content<",
    ">Browse topics<",
    "aria-label=\"Search\"",
    ">Auto<",
    "Built with",
    ">Check answer<",
    ">Show answer<",
    ">Practice log<",
    ">Export progress<",
    ">Import progress<",
    ">Reset progress<",
    ">Published<",
    ">Reading time<",
    ">Recording<",
    ">Key takeaways<",
    "What you’ll learn",
    ">Previous<",
    ">Next<",
    ">Track complete<",
    ">On this page<",
    ">Recently added<",
    ">Follow a track<",
    ">Printable workbook<",
    ">Attempts<",
    ">Difficulty<",
    "Step 1",
    ">3 steps<",
    "attempts done",
    ">Exercises<",
    ">Tracks<",
    ">Topics<",
    "Page not found",
    "This page has moved",
    " min<",
    "March 2026",
];

fn german_site() -> Site {
    rich_site()
        .file("site.yaml", "title: Lab\nlanguage: de\n")
        .file(
            "content/interviews/other.md",
            "---\ntitle: Other\nslug: second-talk\ndate: 2026-01-05\nhost: jo\naliases: [/old/]\n---\nBack.\n",
        )
}

/// The HTML pages of `public/` with their text.
fn pages(site: &Site) -> Vec<(String, String)> {
    site.all_files("public")
        .into_iter()
        .filter(|path| path.ends_with(".html"))
        .map(|path| {
            let text = site.read(&format!("public/{path}"));
            (path, text)
        })
        .collect()
}

#[test]
fn a_german_site_shows_no_english_label_anywhere() {
    let site = german_site();
    site.build().assert_success();
    let pages = pages(&site);
    assert!(pages.len() > 10, "{} pages", pages.len());
    for (path, html) in &pages {
        assert!(
            html.contains("<html lang=\"de\""),
            "{path} is not marked German"
        );
        for label in ENGLISH_LABELS {
            assert!(!html.contains(label), "{path} still says {label:?}");
        }
    }
}

#[test]
fn a_german_site_reads_german_with_german_dates_and_plurals() {
    let site = german_site();
    site.build().assert_success();
    let exercise = site.read("public/exercises/first/index.html");
    for text in [
        ">Antwort prüfen<",
        ">Übungsprotokoll<",
        "0 von 2 Durchgängen erledigt",
        "3. März 2026",
        ">Einsteiger<",
        "Datum:",
    ] {
        assert!(exercise.contains(text), "the exercise lacks {text:?}");
    }
    let track = site.read("public/tracks/habit/index.html");
    assert!(track.contains("0 von 3 Schritten erledigt"), "{track}");
    assert!(track.contains("Mit Schritt 1 beginnen: The Talk"));
    let list = site.read("public/tracks/index.html");
    assert!(list.contains("<h1>Lernpfade</h1>") && list.contains("1 Eintrag"));
    let moved = site.read("public/old/index.html");
    assert!(moved.contains("Diese Seite ist umgezogen:"), "{moved}");
    // The scripts' texts, inline, and only theirs.
    let strings = exercise
        .split("<script type=\"application/json\" id=\"sb-strings\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the scripts' strings");
    let json: serde_json::Value = serde_json::from_str(strings).expect("JSON");
    assert_eq!(json["quiz.choose"], "Wählen Sie zuerst eine Antwort.");
    assert!(json.get("quiz.check").is_none() && json.get("lms.overview").is_none());
}

#[test]
fn a_regional_tag_uses_its_base_language_and_names_itself() {
    let site = rich_site().file("site.yaml", "title: Lab\nlanguage: de-AT\n");
    site.build().assert_success();
    let html = site.read("public/exercises/first/index.html");
    assert!(html.contains("<html lang=\"de-AT\"") && html.contains(">Antwort prüfen<"));
}

#[test]
fn strings_override_any_key_of_the_language() {
    let site = rich_site().file(
        "site.yaml",
        "title: Lab\nlanguage: fr\nstrings:\n  quiz.check: Valider\n  card.steps.other: \"{count} modules\"\n  js.quiz.choose: Une réponse d’abord.\n",
    );
    site.build().assert_success();
    let exercise = site.read("public/exercises/first/index.html");
    assert!(exercise.contains(">Valider<") && !exercise.contains(">Vérifier<"));
    assert!(exercise.contains("Une réponse d’abord."));
    assert!(exercise.contains(">Journal d’entraînement<"));
    let home = site.read("public/index.html");
    assert!(home.contains(">3 modules<"), "{home}");
}

#[test]
fn an_unknown_language_is_an_error_at_its_line_naming_the_built_in_ones() {
    let site = rich_site().file("site.yaml", "title: Lab\nlanguage: dee\n");
    let run = site.build();
    run.assert_errors(&["site.yaml:2: `language` `dee` has no built-in translation; the built-in ones are `en`, `de`, `fr`, `es`"]);
    run.assert_stderr_contains("did you mean `de`?");
    let site = rich_site().file("site.yaml", "title: Lab\nlanguage: pt-BR\n");
    site.build()
        .assert_errors(&["site.yaml:2: `language` `pt-BR` has no built-in translation"]);
}

#[test]
fn an_unknown_strings_key_is_an_error_at_its_line_with_a_suggestion() {
    let site = rich_site().file(
        "site.yaml",
        "title: Lab\nstrings:\n  quiz.check: Go\n  quiz.chek: Go\n",
    );
    let run = site.check();
    run.assert_errors(&["site.yaml:4: unknown key `strings.quiz.chek`"]);
    run.assert_stderr_contains("did you mean `quiz.check`?");
}

#[test]
fn an_unknown_key_in_a_template_is_an_error_at_its_line() {
    let site = rich_site().file(
        "themes/default/templates/page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}\n\
         <p>{{ t(key=\"quiz.chek\") }}</p>\n{% endblock content %}\n",
    );
    let run = site.build();
    run.assert_code(1);
    run.assert_stderr_contains("themes/default/templates/page.html:3");
    run.assert_stderr_contains("unknown text key `quiz.chek` (did you mean `quiz.check`?)");
}

/// Keys templates and scripts build from data (`"kind." ~ kind`): their
/// texts count as used.
const BUILT_KEY_PREFIXES: &[&str] = &[
    "kind.",
    "difficulty.",
    "list.intro_",
    "section.",
    "date.",
    "js.kind.",
    "js.lms.status.",
];

#[test]
fn every_text_of_the_table_is_used_by_a_template_a_script_or_salesbook() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = String::new();
    for dir in [
        "themes/default/templates",
        "themes/default/static/assets",
        "src",
    ] {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = entry.expect("a readable folder");
            if entry.file_type().is_file() {
                sources.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
    }
    let table =
        std::fs::read_to_string(root.join("themes/default/strings/en.yaml")).expect("en.yaml");
    let unused: Vec<&str> = table
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once(": ").map(|(key, _)| key))
        .filter(|key| {
            !BUILT_KEY_PREFIXES
                .iter()
                .any(|prefix| key.starts_with(prefix))
        })
        .filter(|key| {
            let stem = key
                .strip_suffix(".one")
                .or(key.strip_suffix(".other"))
                .unwrap_or(key);
            let name = stem.strip_prefix("js.").unwrap_or(stem);
            !sources.contains(&format!("\"{name}\""))
        })
        .collect();
    assert!(unused.is_empty(), "texts nothing shows: {unused:?}");
}
