use super::*;
use serde::Deserialize;

/// Fields of every type front matter uses.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
struct Fields {
    title: Option<String>,
    tags: Vec<String>,
    draft: bool,
    count: Option<u32>,
    weight: Option<i64>,
    level: Option<Level>,
    quiz: Vec<Question>,
    nested: Option<Nested>,
    extra: Option<serde_json::Value>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    question: String,
    choices: Vec<String>,
    #[serde(default)]
    answer: Option<String>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
struct Nested {
    name: Option<String>,
    items: Vec<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    Low,
    High,
}

/// Whether the simple reader answered; panics if it answered
/// differently from the full parser.
fn agrees(text: &str) -> bool {
    crate::yaml::simple_reader_agrees::<Fields>(text).unwrap_or_else(|problem| panic!("{problem}"))
}

#[test]
fn the_usual_front_matter_is_read_as_the_full_parser_reads_it() {
    let usual = [
            "title: \"Interview 0: Timeline\"\ntags: [storytelling, pricing]\ncount: 20\n",
            "title: Plain title, with a comma\nweight: 3\ndraft: true\nlevel: high\n",
            "tags:\n  - one\n  - two words\n# a comment\n\ntitle: 'single: quoted'\n",
            "tags:\n- at the key's indentation\n- 12\n- null\n- ~\n- true\ntitle: x\n",
            "quiz:\n  - question: Which comes first?\n    choices: [Listen, Talk]\n    answer: Listen\n  - question: Q2\n    choices:\n      - \"A, quoted\"\n      - B\n",
            "nested:\n  name: n\n  items: [a, 'b', \"c\"]\ntitle: ~\nweight:\n",
            "title: C# and C++ — é, ü, 漢字\ntags: []\ncount: 0\n",
            "source: https://example.com/a?b=c#d\ntitle: 2020-01-01\n",
            "",
            "# only a comment\n",
        ];
    for text in usual {
        assert!(agrees(text), "not read by the simple reader:\n{text}");
    }
}

#[test]
fn anything_else_is_left_to_the_full_parser() {
    let unusual = [
        "title: a: b\n",              // a mapping in a plain scalar
        "title: a #comment\n",        // a comment after a value
        "title: \"esc\\n\"\n",        // an escape
        "title: 'it''s'\n",           // a quote doubled
        "title: long\n  continued\n", // a value over two lines
        "title: |\n  block\n",        // a block scalar
        "title: &a x\nsummary: *a\n", // an anchor and an alias
        "title: !tag x\n",            // a tag
        "tags: [a, [b]]\n",           // nested flow
        "tags: {a: b}\n",             // a flow mapping
        "tags: [a,]\n",               // a trailing comma
        "tags: [a, b] # c\n",         // a comment after a list
        "title:\tx\n",                // a tab
        "title: x\r\n",               // a carriage return
        "title: \u{85}x\n",           // a YAML line break
        "count: 007\n",               // a leading zero
        "weight: -3\n",               // a sign
        "count: 0x1F\n",              // hex
        "draft: yes\n",               // not a YAML 1.2 boolean
        "extra:\n  key: value\n",     // type guessing
        "tags:\n  -\n  - a\n",        // an empty item
        "  title: indented\n",        // an indented document
        "\"title\": quoted key\n",    // a quoted key
        "quiz:\n  - question: Q\n    choices: [A]\n    extra: x\n", // unknown field
        "tags: ~\n",                  // null as a list
        "---\ntitle: x\n",            // a document marker
    ];
    for text in unusual {
        assert!(
            from_str::<Fields>(text).is_none(),
            "the simple reader should have refused:\n{text}"
        );
    }
}

/// Random documents built from the pieces front matter is made of and
/// many that it is not: wherever the simple reader answers, the full
/// parser gives the same fields.
#[test]
fn random_documents_are_read_as_the_full_parser_reads_them_or_refused() {
    const KEYS: &[&str] = &[
        "title", "tags", "draft", "count", "weight", "level", "quiz", "nested", "extra", "other",
        "Title", "_x", "a-b",
    ];
    const SCALARS: &[&str] = &[
        "plain text",
        "Null",
        "null",
        "NULL",
        "~",
        "",
        "true",
        "True",
        "False",
        "FALSE",
        "TRUE",
        "yes",
        "12",
        "0",
        "007",
        "-3",
        "+4",
        "0x1F",
        "0o7",
        "1_000",
        "3.5",
        "99999999999",
        "a: b",
        "a:b",
        "C#",
        "a #b",
        "a#b",
        "'single'",
        "'it''s'",
        "'a: b'",
        "\"double\"",
        "\"esc\\n\"",
        "\"a, b\"",
        "\"\"",
        "''",
        "[a, b]",
        "[]",
        "[ ]",
        "[a,]",
        "[\"x\", 'y', z]",
        "[a: b]",
        "[a:b]",
        "[[a]]",
        "{a: b}",
        "|",
        ">",
        "&x a",
        "*x",
        "!t a",
        "@x",
        "`x`",
        "%x",
        "é ü",
        "x\u{85}y",
        "x\u{2028}y",
        "x\u{7f}",
        "x\ty",
        "http://x.y/z",
        "a - b",
        "- a",
        "-a",
        "?a",
        "? a",
        ":a",
        "a:",
        "\"unclosed",
        "'unclosed",
        "\"a\" b",
        "low",
        "high",
        "Low",
        "x\u{feff}",
        "[low, 12, ~]",
        "[ a , b ]",
        "[a, , b]",
    ];
    // Values that fit some field, drawn half the time, so that many
    // documents are read and compared.
    const FITTING: &[&str] = &[
        "plain text",
        "12",
        "0",
        "true",
        "low",
        "'single'",
        "\"double\"",
        "[a, b]",
        "[]",
        "null",
        "~",
        "é ü",
        "C#",
        "http://x.y/z",
        "[\"x\", 'y', z]",
    ];
    const NOISE: &[&str] = &[
        "",
        "   ",
        "# comment",
        "  # indented comment",
        "---",
        "...",
        "  continuation",
        "\tkey: x",
        "- stray",
        "key:x",
        "  - stray item",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut answered = 0;
    let mut valid = 0;
    let total = 50_000;
    for _ in 0..total {
        let mut text = String::new();
        for _ in 0..1 + next(5) {
            let key = KEYS[next(KEYS.len())];
            let scalar = |n: usize| match n % 2 {
                0 => FITTING[n / 2 % FITTING.len()],
                _ => SCALARS[n / 2 % SCALARS.len()],
            };
            let indent = ["", " ", "  ", "    "][next(4)];
            match next(8) {
                0 | 1 => text.push_str(&format!("{key}: {}\n", scalar(next(1 << 16)))),
                2 => {
                    text.push_str(&format!("{key}:\n"));
                    for _ in 0..next(4) {
                        text.push_str(&format!("{indent}- {}\n", scalar(next(1 << 16))));
                    }
                }
                3 => {
                    text.push_str(&format!("{key}:\n"));
                    for _ in 0..1 + next(3) {
                        let sub = ["question", "choices", "answer", "name", "items", "x"][next(6)];
                        text.push_str(&format!("{indent}- {sub}: {}\n", scalar(next(1 << 16))));
                        if next(2) == 0 {
                            let sub = ["choices", "answer", "items"][next(3)];
                            text.push_str(&format!("{indent}  {sub}: {}\n", scalar(next(1 << 16))));
                        }
                    }
                }
                4 => {
                    text.push_str(&format!("{key}:\n"));
                    let sub = ["name", "items", "question"][next(3)];
                    text.push_str(&format!("{indent}{sub}: {}\n", scalar(next(1 << 16))));
                }
                5 => text.push_str(&format!("{}\n", NOISE[next(NOISE.len())])),
                _ => text.push_str(&format!("{key}: {}\n", FITTING[next(FITTING.len())])),
            }
        }
        if agrees(&text) {
            answered += 1;
        }
        if serde_yaml::from_str::<Fields>(&text).is_ok() {
            valid += 1;
        }
    }
    // Enough documents were read for the comparison to mean something:
    // at least half of those the full parser accepts (the others hold
    // the pieces above that are left to it).
    assert!(
        answered > 1000 && answered * 2 > valid,
        "only {answered} of {total} read ({valid} valid)"
    );
}
