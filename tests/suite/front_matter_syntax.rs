//! Front matter that is not YAML: each mistake an author makes is told in
//! the author's words (none of the YAML parser's), at the line and column
//! of the real fault (the opening quote, the tab, the stray bracket), with
//! how to fix it.

use crate::support::Site;

/// Each case: the exercise's file name, its front matter, and the start of
/// the one error it must give (`file:line:col: message`).
const CASES: &[(&str, &str, &str)] = &[
    (
        "tab-indent",
        "title: A\ntags:\n\t- a\n",
        "4:1: a tab where YAML allows only spaces (indent with spaces",
    ),
    (
        "tab-before-key",
        "title: A\nsummary: s\n\tdifficulty: beginner\n",
        "4:1: a tab where YAML allows only spaces",
    ),
    (
        "unclosed-double-quote",
        "title: \"Cold call\nsummary: s\n",
        "2:8: the text opened with `\"` here is never closed (end the text with another `\"`",
    ),
    (
        "unclosed-single-quote",
        "title: 'Cold call\nsummary: s\n",
        "2:8: the text opened with `'` here is never closed",
    ),
    (
        "unclosed-quoted-key",
        "\"title: Cold call\n",
        "2:1: the text opened with `\"` here is never closed",
    ),
    (
        "colon-in-value",
        "title: Cold call: the opener\nsummary: s\n",
        "2:17: the text holds a `: `, which YAML reads as the start of another key (put the whole value in quotes: `title: \"Cold call: the opener\"`)",
    ),
    (
        "item-indent",
        "title: A\ntags:\n  - a\n - b\n",
        "5:2: this list item is not indented like the items above it",
    ),
    (
        "key-indent",
        "title: A\n  summary: s\n",
        "3:3: `summary:` is indented, so YAML reads it as part of the value above",
    ),
    (
        "stray-bracket",
        "title: A\ntags: [a, b]]\n",
        "3:13: a `]` with no `[` before it",
    ),
    (
        "unclosed-bracket",
        "title: A\ntags: [a, b\nsummary: s\n",
        "3:7: the `[` here is never closed (close it with `]`",
    ),
    (
        "at-sign",
        "title: @home office\n",
        "2:8: a value cannot start with `@` unless it is in quotes (put the text in quotes: `title: \"@home office\"`)",
    ),
    (
        "backtick",
        "title: `code` review\n",
        "2:8: a value cannot start with a backtick unless it is in quotes",
    ),
    (
        "star",
        "title: *starred*\n",
        "2:8: a value cannot start with `*` unless it is in quotes",
    ),
    (
        "after-quote",
        "title: \"Cold\" call\nsummary: s\n",
        "2:15: text after the closing quote (put all of the value inside the quotes)",
    ),
    (
        "no-colon",
        "title: A\nsummary\n",
        "3:1: `summary` has no `:` after it",
    ),
    (
        "text-after-bar",
        "title: A\nsummary: |x\n",
        "3:10: nothing may follow `|` or `>` on its line",
    ),
    (
        "bad-escape",
        "title: \"C:\\qtools\"\n",
        "2:11: a `\\` between double quotes starts an escape that YAML does not know",
    ),
    (
        "duplicate-key",
        "title: A\ntitle: B\n",
        "3:1: duplicate key `title` (first given at line 2)",
    ),
];

/// Words of the parser and of Rust that mean nothing to an author.
const JARGON: &[&str] = &[
    "scalar",
    "mapping",
    "sequence",
    "token",
    "variant",
    "invalid type",
    "expected u",
    "while scanning",
    "while parsing",
    "stream",
    "anchor",
    "struct",
    "octet",
];

#[test]
fn broken_front_matter_is_told_in_an_authors_words_at_the_fault() {
    let mut site = Site::new();
    let mut expected = Vec::new();
    for (name, front_matter, error) in CASES {
        let file = format!("content/exercises/{name}.md");
        site = site.file(&file, &format!("---\n{front_matter}---\nText.\n"));
        expected.push(format!("{file}:{error}"));
    }
    expected.sort();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    let run = site.check();
    run.assert_errors(&expected);
    for error in run.errors() {
        let lower = error.to_lowercase();
        for word in JARGON {
            assert!(!lower.contains(word), "`{word}` in: {error}");
        }
    }
}
