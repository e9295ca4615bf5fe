//! serde's and the YAML parser's messages in an author's words: serde names
//! Rust types (`expected u32`, `struct AllFields`) that mean nothing to
//! someone writing front matter.

use crate::suggest::did_you_mean;

/// A message for an author, with a hint when one helps.
#[derive(Debug, PartialEq, Eq)]
pub struct Worded {
    pub message: String,
    pub hint: Option<String>,
}

/// `message` (serde's, positions already removed) in an author's words;
/// `whole` names the document, for a problem with all of it. Messages it
/// does not know, such as the parser's syntax errors, are kept (a leading
/// field path set in backticks).
pub fn in_author_words(message: &str, whole: &str) -> Worded {
    let (path, rest) = split_path(message);
    let field = match path {
        Some(path) => field_in_words(path),
        None => whole.to_string(),
    };
    if let Some(rest) = rest
        .strip_prefix("invalid type: ")
        .or_else(|| rest.strip_prefix("invalid value: "))
    {
        if let Some((found, expected)) = rest.rsplit_once(", expected ") {
            return wrong_value(&field, found, expected);
        }
    }
    if let Some(rest) = rest.strip_prefix("unknown variant ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let choices = expected.trim_start_matches("one of ");
            // serde lists choices as "`a`, `b`, `c`" or "`a` or `b`".
            let names = choices
                .split(", ")
                .flat_map(|choice| choice.split(" or "))
                .map(|choice| choice.trim_matches('`'));
            let hint = did_you_mean(found.trim_matches('`'), names)
                .map(|close| format!("did you mean `{close}`?"));
            return Worded {
                message: format!("{field} must be one of {choices}, not {found}"),
                hint,
            };
        }
    }
    if let Some(rest) = rest.strip_prefix("unknown field ") {
        return unknown_key(&field, rest);
    }
    if let Some(missing) = rest.strip_prefix("missing field ") {
        return Worded {
            message: format!("{field} is missing {missing}"),
            hint: None,
        };
    }
    Worded {
        message: match path {
            Some(_) => format!("{field}: {rest}"),
            None => rest.to_string(),
        },
        hint: None,
    }
}

/// A leading field path (`quiz[0].answer: `), if the message has one.
fn split_path(message: &str) -> (Option<&str>, &str) {
    match message.split_once(": ") {
        Some((path, rest))
            if !path.is_empty()
                && !path.contains(' ')
                && !["invalid", "unknown", "missing"].contains(&path) =>
        {
            (Some(path), rest)
        }
        _ => (None, message),
    }
}

/// serde's path to a field, as an author would name it: `quiz[0].answer`
/// is "`answer` in `quiz` item 1".
fn field_in_words(path: &str) -> String {
    let (list, rest) = match path.split_once('[') {
        Some(split) => split,
        None => return format!("`{path}`"),
    };
    let Some((index, inner)) = rest.split_once(']') else {
        return format!("`{path}`");
    };
    let Ok(index) = index.parse::<usize>() else {
        return format!("`{path}`");
    };
    let item = format!("`{list}` item {}", index + 1);
    match inner.strip_prefix('.') {
        Some(key) if !key.is_empty() => format!("`{key}` in {item}"),
        _ if inner.is_empty() => item,
        _ => format!("`{path}`"),
    }
}

fn wrong_value(field: &str, found: &str, expected: &str) -> Worded {
    let found = found_in_words(found);
    let (wanted, hint) = expected_in_words(expected, &found);
    Worded {
        message: format!("{field} must be {wanted}, not {found}"),
        hint: hint.map(str::to_string),
    }
}

const KEY_VALUE_LINES: &str = "`key: value` lines";
const TOO_LARGE: &str = ", which is too large";

/// What serde found (`integer `5``, `string "x"`, `sequence`), as an
/// author would say it.
fn found_in_words(found: &str) -> String {
    let number = ["integer ", "floating point "]
        .iter()
        .find_map(|prefix| found.strip_prefix(prefix));
    if let Some(number) = number {
        // A number too large for any integer type comes as `N` as u128.
        let (digits, too_large) = match number.split_once(" as ") {
            Some((digits, _)) => (digits, true),
            None => (number, false),
        };
        let digits = digits.trim_matches('`');
        return if too_large {
            format!("{digits}{TOO_LARGE}")
        } else {
            digits.to_string()
        };
    }
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    if let Some(value) = found.strip_prefix("boolean ") {
        return value.trim_matches('`').to_string();
    }
    match found {
        "sequence" => "a list".to_string(),
        "map" => KEY_VALUE_LINES.to_string(),
        "unit value" | "null" => "empty".to_string(),
        other => other.to_string(),
    }
}

/// What serde expected, as an author would say it, and how to write it.
fn expected_in_words(expected: &str, found: &str) -> (String, Option<&'static str>) {
    const WHOLE_NUMBER: &str = "write a whole number without quotes";
    let unsigned = ["u8", "u16", "u32", "u64", "usize"];
    let signed = ["i8", "i16", "i32", "i64", "isize"];
    let is_integer = found.ends_with(TOO_LARGE)
        || (!found.is_empty()
            && found
                .trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit()));
    if unsigned.contains(&expected) || signed.contains(&expected) {
        let wanted = if !is_integer {
            "a whole number"
        } else if found.starts_with('-') && unsigned.contains(&expected) {
            "a whole number, 0 or more"
        } else {
            "a smaller whole number"
        };
        return (wanted.to_string(), Some(WHOLE_NUMBER));
    }
    if found.ends_with(TOO_LARGE) {
        return ("a smaller number".to_string(), None);
    }
    let (wanted, hint) = match expected {
        "a string" | "a borrowed string" | "a character" => (
            "text",
            Some("write plain text; quote it if it contains `:` or starts with `[`, `{` or `*`"),
        ),
        "a boolean" => ("true or false", Some("write true or false, without quotes")),
        "a sequence" => (
            "a list",
            Some("write a list, e.g. `[one, two]` or one `- item` per line"),
        ),
        "f32" | "f64" => ("a number", Some("write a number without quotes")),
        map if map.starts_with("struct ") || map == "a map" => (
            KEY_VALUE_LINES,
            Some("write one `key: value` per line, e.g. `title: Three tries`"),
        ),
        other => (other, None),
    };
    (wanted.to_string(), hint)
}

/// serde's ``unknown field `x`, expected one of `a`, `b` `` for a mapping
/// inside a value (a quiz question, a speaker link).
fn unknown_key(field: &str, rest: &str) -> Worded {
    let (key, allowed) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let names: Vec<&str> = allowed
        .trim_start_matches("one of ")
        .split(['`', ',', ' '])
        .filter(|name| !name.is_empty() && *name != "or")
        .collect();
    let hint = match did_you_mean(key.trim_matches('`'), names.iter().copied()) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => format!("allowed keys: {}", names.join(", ")),
    };
    Worded {
        message: format!("{field} has an unknown key {key}"),
        hint: Some(hint),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worded(message: &str) -> (String, Option<String>) {
        let worded = in_author_words(message, "the front matter");
        (worded.message, worded.hint)
    }

    #[test]
    fn wrong_types_name_what_was_wanted_without_rust_types() {
        assert_eq!(
            worded("attempts: invalid type: integer `-5`, expected u32").0,
            "`attempts` must be a whole number, 0 or more, not -5"
        );
        assert_eq!(
            worded("attempts: invalid value: integer `99999999999`, expected u32").0,
            "`attempts` must be a smaller whole number, not 99999999999"
        );
        assert_eq!(
            worded("attempts: invalid type: string \"three\", expected u32"),
            (
                "`attempts` must be a whole number, not the text \"three\"".to_string(),
                Some("write a whole number without quotes".to_string())
            )
        );
        assert_eq!(
            worded("weight: invalid type: floating point `1.5`, expected i64").0,
            "`weight` must be a whole number, not 1.5"
        );
        assert_eq!(
            worded("weight: invalid type: integer `99999999999999999999999` as u128, expected any YAML value").0,
            "`weight` must be a smaller number, not 99999999999999999999999, which is too large"
        );
        assert_eq!(
            worded("title: invalid type: sequence, expected a string").0,
            "`title` must be text, not a list"
        );
        assert_eq!(
            worded("draft: invalid type: string \"yes\", expected a boolean").0,
            "`draft` must be true or false, not the text \"yes\""
        );
    }

    #[test]
    fn a_document_that_is_not_a_mapping_says_so() {
        assert_eq!(
            worded("invalid type: string \"hello\", expected struct AllFields").0,
            "the front matter must be `key: value` lines, not the text \"hello\""
        );
    }

    #[test]
    fn choices_and_keys_inside_values() {
        assert_eq!(
            worded("difficulty: unknown variant `easy`, expected one of `beginner`, `intermediate`, `advanced`").0,
            "`difficulty` must be one of `beginner`, `intermediate`, `advanced`, not `easy`"
        );
        assert_eq!(
            worded("quiz[0]: unknown field `answr`, expected one of `question`, `choices`, `answer`, `explain`"),
            (
                "`quiz` item 1 has an unknown key `answr`".to_string(),
                Some("did you mean `answer`?".to_string())
            )
        );
        assert_eq!(
            worded("quiz[1]: missing field `answer`").0,
            "`quiz` item 2 is missing `answer`"
        );
    }

    #[test]
    fn fields_inside_lists_are_named_by_item() {
        assert_eq!(
            worded("quiz[0].choices: invalid type: string \"a\", expected a sequence").0,
            "`choices` in `quiz` item 1 must be a list, not the text \"a\""
        );
        assert_eq!(field_in_words("tags[2]"), "`tags` item 3");
        assert_eq!(field_in_words("title"), "`title`");
    }

    #[test]
    fn syntax_errors_are_kept() {
        assert_eq!(
            worded("did not find expected key, while parsing a block mapping").0,
            "did not find expected key, while parsing a block mapping"
        );
    }
}
