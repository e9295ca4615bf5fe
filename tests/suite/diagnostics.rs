//! Bad input: every problem the contract names, reported at its file:line
//! with a message an author understands, and exit code 1.

use crate::support::{run, Site};

/// A site with one exercise `content/exercises/x.md` holding `text`.
fn exercise(text: &str) -> Site {
    Site::new().file("content/exercises/x.md", text)
}

// --- front matter keys -------------------------------------------------

#[test]
fn unknown_key_suggests_the_close_one() {
    exercise("---\ntitel: A\n---\n")
        .check()
        .assert_code(1)
        .assert_stderr_contains(
            "error: content/exercises/x.md:2:1: unknown key `titel` (did you mean `title`?)",
        );
}

#[test]
fn key_of_another_kind_says_where_it_belongs() {
    exercise("---\ntitle: A\nhost: jo\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3:1: unknown key `host` (that key belongs to interviews",
        ]);
}

#[test]
fn keys_of_other_generators_say_what_salesbook_calls_them() {
    exercise(
        "---\ntitle: A\ndescription: d\nlastmod: 2026-01-02\ncategories: [x]\n---\n",
    )
    .check()
    .assert_errors(&[
        "content/exercises/x.md:3:1: unknown key `description` (salesbook calls it `summary`)",
        "content/exercises/x.md:4:1: unknown key `lastmod` (salesbook calls it `updated` (YYYY-MM-DD))",
        "content/exercises/x.md:5:1: unknown key `categories` (salesbook has one list for these: put them in `tags`)",
    ]);
}

#[test]
fn a_key_in_capitals_is_told_to_be_lower_case() {
    exercise("---\nTitle: A\n---\n").check().assert_errors(&[
        "content/exercises/x.md:1: missing `title`",
        "content/exercises/x.md:2:1: unknown key `Title` (keys are lower-case: write `title`)",
    ]);
}

#[test]
fn the_human_format_shows_the_source_line_with_a_caret() {
    exercise("---\ntitle: A\nattempts: \"three\"\n---\n")
        .check()
        .assert_code(1)
        .assert_stderr_contains(
            "`attempts` must be a whole number, not the text \"three\" (write a whole number without quotes)\n  |\n3 | attempts: \"three\"\n  |           ^\n",
        );
}

#[test]
fn a_page_with_broken_front_matter_gives_one_error_not_a_cascade() {
    Site::new()
        .file(
            "content/exercises/three-tries.md",
            "---\ntitle: Three tries\n\nThe closing line is missing.\n",
        )
        .file(
            "content/interviews/talk.md",
            "---\ntitle: Talk\n---\nTry [it](../exercises/three-tries.md) and [this](@/exercises/three-tries.md).\n",
        )
        .file(
            "content/exercises/other.md",
            "---\ntitle: Other\nrelated: [exercises/three-tries]\n---\n",
        )
        .file(
            "content/tracks/path.md",
            "---\ntitle: Path\nitems: [exercises/three-tries, interviews/talk]\n---\n",
        )
        .check()
        .assert_errors(&["content/exercises/three-tries.md:1"]);
}

#[test]
fn missing_title_is_reported_at_the_file() {
    exercise("---\nsummary: s\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:1: missing `title`"]);
}

#[test]
fn a_speaker_photo_that_is_not_in_static_is_an_error() {
    Site::new()
        .file(
            "content/speakers/jo.md",
            "---\nname: Jo\nrole: Host\nphoto: /images/jo.jpg\n---\n",
        )
        .file(
            "content/speakers/al.md",
            "---\nname: Al\nphoto: https://example.org/al.jpg\n---\n",
        )
        .file("static/images/al.jpg", "not used: Al's photo is remote")
        .check()
        .assert_errors(&[
            "content/speakers/jo.md:4: `photo` names `/images/jo.jpg`, but there is no file static/images/jo.jpg (put the photo into static/",
        ]);
}

#[test]
fn a_pull_quote_by_no_speaker_is_a_warning_naming_the_closest() {
    let run = Site::new()
        .file("content/speakers/leigh.md", "---\nname: Leigh Ashton\n---\n")
        .file(
            "content/interviews/i.md",
            "---\ntitle: I\n---\n> Practise it three times.\n>\n> — Leigh Ashtin\n\n> Listen first.\n>\n> — Pat Unknown, 12:34\n",
        )
        .check();
    run.assert_code(0);
    run.assert_stderr_contains(
        "warning: content/interviews/i.md:6:3: pull quote by `Leigh Ashtin`, who is no speaker of this site (did you mean `Leigh Ashton`?)",
    );
    run.assert_stderr_contains(
        "warning: content/interviews/i.md:10:3: pull quote by `Pat Unknown`, who is no speaker of this site (give the speaker a page",
    );
}

#[test]
fn speaker_needs_a_name() {
    Site::new()
        .file("content/speakers/jo.md", "---\nrole: Host\n---\n")
        .check()
        .assert_errors(&["content/speakers/jo.md:1: missing `name`"]);
}

#[test]
fn track_needs_items() {
    Site::new()
        .file("content/tracks/t.md", "---\ntitle: T\n---\n")
        .check()
        .assert_errors(&["content/tracks/t.md:1: a track needs `items`"]);
}

#[test]
fn track_with_an_empty_item_list_is_reported_at_items() {
    Site::new()
        .file("content/tracks/t.md", "---\ntitle: T\nitems: []\n---\n")
        .check()
        .assert_errors(&["content/tracks/t.md:3: a track needs `items`"]);
}

// --- values ---------------------------------------------------------------

#[test]
fn wrong_types_are_reported_at_each_field() {
    exercise("---\ntitle: [a]\nattempts: \"three\"\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:2:8: `title` must be text, not a list (write plain text;",
            "content/exercises/x.md:3:11: `attempts` must be a whole number, not the text \"three\" (write a whole number without quotes)",
        ]);
}

#[test]
fn every_problem_of_a_file_is_reported_together() {
    exercise("---\ntitle: A\ndifficulty: easy\nattempts: 12\ndate: 2020-13-01\nweight: x\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3:13: `difficulty` must be one of `beginner`, `intermediate`, `advanced`, not `easy`",
            "content/exercises/x.md:4: `attempts` must be from 1 to 10, not 12",
            "content/exercises/x.md:5: `date` is not a date: `2020-13-01`",
            "content/exercises/x.md:6:9: `weight` must be a whole number, not the text \"x\"",
        ]);
}

#[test]
fn a_bad_title_is_not_also_reported_missing() {
    exercise("---\ntitle: [a]\ndate: May\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:2:8: `title` must be text, not a list",
            "content/exercises/x.md:3: `date` is not a date: `May`",
        ]);
}

#[test]
fn messages_name_no_rust_types() {
    exercise("---\ntitle: A\nattempts: -5\nweight: 1.5\ndraft: yes\nquiz:\n  - question: Q?\n    choices: [a, b]\n    answr: a\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3:11: `attempts` must be a whole number, 0 or more, not -5 (write a whole number without quotes)",
            "content/exercises/x.md:4:9: `weight` must be a whole number, not 1.5 (write a whole number without quotes)",
            "content/exercises/x.md:5:8: `draft` must be true or false, not the text \"yes\" (write true or false, without quotes)",
            "content/exercises/x.md:9:5: `quiz` item 1 has an unknown key `answr` (did you mean `answer`?)",
        ]);
    exercise("---\njust a sentence\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:2:1: the front matter must be `key: value` lines, not the text \"just a sentence\" (write one `key: value` per line"]);
    Site::new()
        .file("site.yaml", "title: Lab\nlanguage: [en]\n")
        .check()
        .assert_errors(&["site.yaml:2:11: `language` must be text, not a list"]);
}

#[test]
fn a_long_form_key_is_named_with_its_line() {
    exercise("---\n? title\n: A\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:2:1: `? title` is a long-form key, which salesbook does not read (write the key and its value on one line: `title: ...`)"]);
}

#[test]
fn control_characters_in_values_do_not_reach_the_terminal() {
    exercise("---\ntitle: A\ndate: \"\\e[2K\\rok\"\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3: `date` is not a date: `\\x1B[2K\\x0Dok` (write it as",
        ])
        .assert_stderr_lacks("\u{1b}[2K");
}

#[test]
fn attempts_zero_is_out_of_range() {
    exercise("---\ntitle: A\nattempts: 0\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:3: `attempts` must be from 1 to 10, not 0"]);
}

#[test]
fn attempts_eleven_is_out_of_range() {
    exercise("---\ntitle: A\nattempts: 11\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:3: `attempts` must be from 1 to 10, not 11"]);
}

#[test]
fn unknown_difficulty_lists_the_valid_ones() {
    exercise("---\ntitle: A\ndifficulty: expert\n---\n").check().assert_errors(&[
        "content/exercises/x.md:3:13: `difficulty` must be one of `beginner`, `intermediate`, `advanced`, not `expert`",
    ]);
}

#[test]
fn quiz_answer_must_be_a_choice_reported_at_its_question() {
    exercise(
        "---\ntitle: A\nquiz:\n  - question: One?\n    choices: [a, b]\n    answer: a\n  - question: Two?\n    choices: [a, b]\n    answer: c\n---\n",
    )
    .check()
    .assert_errors(&["content/exercises/x.md:7: quiz question 2: the answer \"c\" is not one of its choices"]);
}

#[test]
fn impossible_date_is_reported() {
    exercise("---\ntitle: A\ndate: 2026-02-30\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3: `date` is not a date: `2026-02-30` (write it as YYYY-MM-DD",
        ]);
}

#[test]
fn date_in_words_is_reported() {
    exercise("---\ntitle: A\nsummary: s\nupdated: March 3\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4: `updated` is not a date: `March 3`"]);
}

#[test]
fn unsafe_slug_is_refused() {
    exercise("---\ntitle: A\nslug: ../x\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:3: `slug` cannot be used in a URL: \"../x\""]);
}

#[test]
fn javascript_url_in_source_is_refused() {
    Site::new()
        .file(
            "content/interviews/i.md",
            "---\ntitle: I\nsummary: s\nsource: javascript:alert(1)\n---\n",
        )
        .check()
        .assert_errors(&[
            "content/interviews/i.md:4: `source` has an unsafe URL: \"javascript:alert(1)\"",
        ]);
}

// --- file structure -------------------------------------------------------

#[test]
fn unclosed_front_matter_is_reported() {
    exercise("---\ntitle: A\nBody\n")
        .check()
        .assert_errors(&["content/exercises/x.md:1: the front matter is never closed"]);
}

#[test]
fn file_without_front_matter_is_reported() {
    exercise("title: A\nBody\n")
        .check()
        .assert_errors(&["content/exercises/x.md:1: the file does not start with front matter"]);
}

#[test]
fn yaml_syntax_error_is_at_its_line_in_the_file() {
    exercise("---\ntitle: A\nsummary: s\nobjective: a: b\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4:13: the text holds a `: `, which YAML reads as the start of another key (put the whole value in quotes: `objective: \"a: b\"`)"]);
}

#[test]
fn yaml_error_message_quotes_no_line_of_the_front_matter_block() {
    // The error is on file line 4 (line 3 of the YAML block): the message
    // must not contradict the location with a block-relative "at line 3".
    let run = exercise("---\ntitle: A\ntags: [a, b\nsummary: s\n---\n").check();
    run.assert_code(1)
        .assert_stderr_contains("error: content/exercises/x.md:");
    let error = run.errors().join("\n");
    assert!(
        !error.contains(" at line "),
        "the message quotes a line inside the front matter block:\n{run}"
    );
}

#[test]
fn tab_indentation_gets_a_hint() {
    exercise("---\ntitle: A\ntags:\n\t- a\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4:1: a tab where YAML allows only spaces (indent with spaces: YAML does not allow tabs for indentation)"]);
}

#[test]
fn duplicate_key_is_reported_at_the_second_one() {
    exercise("---\ntitle: A\nsummary: s\ntitle: B\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4"])
        .assert_stderr_contains("duplicate");
}

#[test]
fn a_duplicate_key_hides_no_other_problem() {
    exercise("---\ntitle: A\nattempts: 12\ntitle: B\ndate: May\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3: `attempts` must be from 1 to 10, not 12",
            "content/exercises/x.md:4:1: duplicate key `title` (first given at line 2)",
            "content/exercises/x.md:5: `date` is not a date: `May`",
        ]);
}

#[test]
fn invalid_utf8_is_reported_at_its_line() {
    Site::new()
        .bytes(
            "content/exercises/x.md",
            b"---\ntitle: A\n---\nline four\n\xff\xfe bad\n",
        )
        .check()
        .assert_errors(&["content/exercises/x.md:5: the file is not valid UTF-8"]);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = Site::new().bytes(
        "content/exercises/x.md",
        b"\xef\xbb\xbf---\r\ntitle: Crlf\r\ndate: 2026-01-01\r\n---\r\n## Head\r\n\r\nSee [here](#head).\r\n",
    );
    site.build().assert_success();
    let html = site.read("public/exercises/x/index.html");
    assert!(html.contains("<h1>Crlf</h1>"), "{html}");
    assert!(html.contains("<h2 id=\"head\">Head</h2>"), "{html}");
}

#[test]
fn crlf_files_report_the_right_line() {
    exercise("---\r\ntitle: A\r\nattempts: 0\r\n---\r\nx\r\n\r\n[g](gone.md)\r\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:3: `attempts` must be",
            "content/exercises/x.md:7:1: link to `gone.md`",
        ]);
}

#[test]
fn page_in_a_folder_without_letters_or_digits_is_reported() {
    Site::new()
        .file("content/guides/__/x.md", "---\ntitle: X\n---\n")
        .check()
        .assert_errors(&["content/guides/__/x.md:1: a folder name has no letters or digits"]);
}

// --- refs -----------------------------------------------------------------

#[test]
fn unresolved_related_ref_is_at_its_item_line() {
    exercise("---\ntitle: A\nrelated:\n  - exercises/y\n  - interviews/missing\n---\n")
        .file("content/exercises/y.md", "---\ntitle: Y\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:5: `related` names `interviews/missing`, but there is no content/interviews/missing.md"]);
}

#[test]
fn unresolved_track_item_is_at_its_line() {
    Site::new()
        .file("content/exercises/y.md", "---\ntitle: Y\n---\n")
        .file("content/tracks/t.md", "---\ntitle: T\nitems:\n  - exercises/y\n  - exercises/gone\n---\n")
        .check()
        .assert_errors(&["content/tracks/t.md:5: `items` names `exercises/gone`, but there is no content/exercises/gone.md"]);
}

#[test]
fn unresolved_host_and_guest_are_at_their_lines() {
    Site::new()
        .file("content/speakers/jo.md", "---\nname: Jo\n---\n")
        .file(
            "content/interviews/i.md",
            "---\ntitle: I\nhost: nobody\nguests:\n  - jo\n  - ghost\n---\n",
        )
        .check()
        .assert_errors(&[
            "content/interviews/i.md:3: no speaker `nobody`",
            "content/interviews/i.md:6: no speaker `ghost`",
        ]);
}

#[test]
fn misspelt_ref_gets_a_suggestion() {
    exercise("---\ntitle: A\nrelated: [exercises/thre-tries]\n---\n")
        .file("content/exercises/three-tries.md", "---\ntitle: T\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:3: `related` names `exercises/thre-tries`, but there is no content/exercises/thre-tries.md (did you mean `exercises/three-tries`?)"]);
}

#[test]
fn unrelated_ref_gets_no_far_fetched_suggestion() {
    // Only the folder is shared: `exercises/x` (the page itself) is no typo of `exercises/nope`.
    exercise("---\ntitle: A\nrelated: [exercises/nope]\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:3: `related` names `exercises/nope`"])
        .assert_stderr_lacks("did you mean");
}

// --- links in bodies --------------------------------------------------------

#[test]
fn link_to_a_missing_page_is_at_its_line_and_column() {
    exercise("---\ntitle: A\n---\nIntro.\n\nSee [the y](y.md) and [gone](gone.md) here.\n")
        .file("content/exercises/y.md", "---\ntitle: Y\n---\n")
        .check()
        .assert_errors(&["content/exercises/x.md:6:23: link to `gone.md`: there is no page content/exercises/gone.md"]);
}

#[test]
fn columns_count_characters_after_non_ascii_text() {
    exercise("---\ntitle: A\n---\nÉtude café 営業 [gone](gone.md) and [lost](lost.md).\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:4:15: link to `gone.md`",
            "content/exercises/x.md:4:35: link to `lost.md`",
        ]);
}

#[test]
fn link_to_a_missing_heading_is_reported() {
    exercise("---\ntitle: A\n---\n## Here\n\n[h](y.md#nope) [s](#here) [t](#missing)\n")
        .file("content/exercises/y.md", "---\ntitle: Y\n---\n## Real\n")
        .check()
        .assert_errors(&[
            "content/exercises/x.md:6:1: no heading `#nope` in content/exercises/y.md (its headings are: real)",
            "content/exercises/x.md:6:27: no heading `#missing` in content/exercises/x.md",
        ]);
}

#[test]
fn a_missing_heading_s_hint_names_three_of_many_headings() {
    // It listed all of them, for every link: 10,000 such links to a page
    // of 4,000 headings printed 10,000 lines of 40,000 characters.
    let headings: String = (1..=40).map(|n| format!("## Step {n}\n\n")).collect();
    exercise(&format!("---\ntitle: A\n---\n{headings}[x](#closing-words)\n"))
        .check()
        .assert_errors(&["content/exercises/x.md:84:1: no heading `#closing-words` in content/exercises/x.md (its 40 headings include: step-16, step-17, step-18)"]);
}

#[test]
fn link_to_a_missing_static_file_is_reported() {
    exercise("---\ntitle: A\n---\n![logo](/img/none.png)\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4:1: image to `/img/none.png`: there is no file static/img/none.png"]);
}

#[test]
fn relative_link_to_a_missing_file_is_reported() {
    // `missing.png` next to the page does not exist: the built site would
    // have a broken image.
    exercise("---\ntitle: A\n---\nText.\n\n![chart](missing.png)\n")
        .check()
        .assert_errors(&["content/exercises/x.md:6:1:"]);
}

#[test]
fn link_out_of_the_content_folder_is_reported() {
    exercise("---\ntitle: A\n---\n[x](../../../etc/passwd.md)\n")
        .check()
        .assert_errors(&["content/exercises/x.md:4:1: link to `../../../etc/passwd.md` leaves the content folder"]);
}

// --- URLs -------------------------------------------------------------------

#[test]
fn two_files_with_one_url_name_both_files() {
    Site::new()
        .file("content/exercises/a.md", "---\ntitle: A\n---\n")
        .file("content/exercises/sub/a.md", "---\ntitle: A2\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/a.md:1: 2 pages have the URL /exercises/a/: content/exercises/a.md, content/exercises/sub/a.md",
            "content/exercises/sub/a.md:1: 2 pages have the URL /exercises/a/: content/exercises/a.md, content/exercises/sub/a.md",
        ]);
}

#[test]
fn urls_differing_only_by_case_collide() {
    Site::new()
        .file("content/exercises/a.md", "---\ntitle: A\n---\n")
        .file("content/exercises/b.md", "---\ntitle: B\nslug: A\n---\n")
        .check()
        .assert_errors(&[
            "content/exercises/a.md:1: 2 pages have the URL",
            "content/exercises/b.md:3: 2 pages have the URL",
        ]);
}

// --- site.yaml ----------------------------------------------------------------

#[test]
fn missing_site_yaml_is_a_content_error() {
    Site::empty()
        .file("content/_index.md", "---\ntitle: Home\n---\n")
        .check()
        .assert_errors(&["site.yaml: no site.yaml in "]);
}

#[test]
fn site_yaml_unknown_key_suggests_the_close_one() {
    Site::new()
        .file("site.yaml", "title: Lab\ndescripton: d\n")
        .check()
        .assert_errors(&["site.yaml:2:1: unknown key `descripton` (did you mean `description`?)"]);
}

#[test]
fn site_yaml_needs_a_title() {
    Site::new()
        .file("site.yaml", "description: d\n")
        .check()
        .assert_errors(&["site.yaml:1: site.yaml has no `title`"]);
}

#[test]
fn missing_root_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-site");
    run(&["build", missing.to_str().unwrap()]).assert_code(2);
    assert!(!missing.exists(), "build created the missing root");
}

// --- all at once, and machine formats ---------------------------------------

fn broken_site() -> Site {
    Site::new()
        .file("site.yaml", "title: Lab\ncolour: red\n")
        .file(
            "content/about.md",
            "---\ntitle: About\n---\nOne.\n\nSee [it](gone.md).\n",
        )
        .file(
            "content/exercises/a.md",
            "---\ntitel: A\nsummary: s\nattempts: 0\n---\n",
        )
        .file(
            "content/interviews/i.md",
            "---\ntitle: I\nhost: nobody\n---\n",
        )
}

#[test]
fn every_problem_of_every_file_is_reported_sorted_in_one_run() {
    broken_site().build().assert_errors(&[
        "content/about.md:6:5: link to `gone.md`",
        "content/exercises/a.md:1: missing `title`",
        "content/exercises/a.md:2:1: unknown key `titel`",
        "content/exercises/a.md:4: `attempts` must be from 1 to 10",
        "content/interviews/i.md:3: no speaker `nobody`",
        "site.yaml:2:1: unknown key `colour`",
    ]);
}

#[test]
fn github_format_prints_workflow_commands_to_stdout() {
    let run = broken_site().check_with(&["--format", "github"]);
    run.assert_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{run}");
    assert_eq!(lines[0], "::error file=content/about.md,line=6,col=5::link to `gone.md`: there is no page content/gone.md (check the file name; links are relative to this file, or start with @/ for the content folder)");
    assert!(
        lines[1].starts_with("::error file=content/exercises/a.md,line=1::missing `title`"),
        "{run}"
    );
    assert!(
        lines.iter().all(|l| l.starts_with("::error file=")),
        "{run}"
    );
}

#[test]
fn json_format_prints_one_object_per_line_to_stdout() {
    let run = broken_site().check_with(&["--format", "json"]);
    run.assert_code(1);
    let objects: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}")))
        .collect();
    assert_eq!(objects.len(), 6, "{run}");
    let first = &objects[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "content/about.md");
    assert_eq!(first["line"], 6);
    assert_eq!(first["column"], 5);
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .starts_with("link to `gone.md`"),
        "{first}"
    );
    assert_eq!(objects[5]["file"], "site.yaml");
    assert!(
        !run.stderr.contains("error:"),
        "machine formats keep stderr free of diagnostics\n{run}"
    );
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_each_one_error() {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::new();
    for name in [
        &b"content/exercises/caf\xe9.md"[..],
        b"content/exercises/caf\xe8.md",
        b"static/caf\xe9.txt",
    ] {
        let path = site.root().join(std::ffi::OsStr::from_bytes(name));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "---\ntitle: A\n---\n").unwrap();
    }
    let expected = [
        "content/exercises/caf\\xE8.md: the file name is not valid UTF-8 (rename the file or its folder so that its name is UTF-8)",
        "content/exercises/caf\\xE9.md: the file name is not valid UTF-8",
        "static/caf\\xE9.txt: the file name is not valid UTF-8",
    ];
    site.check().assert_errors(&expected);
    site.build().assert_errors(&expected);
}
