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
    if let Some(key) = rest.strip_prefix("duplicate field ") {
        return Worded {
            message: format!("{field} has the key {key} twice"),
            hint: Some("each key may appear only once; remove one of them".to_string()),
        };
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

/// A syntax error of the YAML parser in an author's words, at the real
/// fault: the opening quote of an unclosed text rather than the end of the
/// document where the parser noticed it.
#[derive(Debug, PartialEq, Eq)]
pub struct Fault {
    /// 1-based line and column (in characters) in the parsed text.
    pub line: usize,
    pub column: usize,
    pub worded: Worded,
}

/// The parser's error as it prints it: `PROBLEM at line L column C,
/// CONTEXT at line L column C` (either position may be missing, or be
/// `at position N`, a byte offset, at the very start of the text).
struct ParserError<'a> {
    problem: &'a str,
    /// Where the problem was noticed, when the message says.
    problem_at: Option<(usize, usize)>,
    context: &'a str,
    /// Where the context began (an opening quote or bracket, a key).
    context_at: Option<(usize, usize)>,
}

fn parse_parser_error<'a>(raw: &'a str, text: &str) -> ParserError<'a> {
    let (head, context) = match raw.split_once(", while ") {
        Some((head, context)) => (head, context),
        None => (raw, ""),
    };
    let (problem, problem_at) = split_position(head);
    let (context, context_at) = split_position(context);
    let line_column = |position: &str| {
        if let Some(offset) = position.strip_prefix("position ") {
            return Some(line_and_column(text, offset.parse().ok()?));
        }
        let (line, column) = position.strip_prefix("line ")?.split_once(" column ")?;
        Some((line.parse().ok()?, column.parse().ok()?))
    };
    ParserError {
        problem,
        problem_at: problem_at.and_then(line_column),
        context,
        context_at: context_at.and_then(line_column),
    }
}

/// `text at POSITION` split into the text and the position.
fn split_position(text: &str) -> (&str, Option<&str>) {
    match text.rfind(" at ") {
        Some(at)
            if text[at + 4..].starts_with("line ") || text[at + 4..].starts_with("position ") =>
        {
            (&text[..at], Some(&text[at + 4..]))
        }
        _ => (text, None),
    }
}

/// The YAML parser's syntax error `raw` (as it prints it, positions
/// included), noticed at `line`:`column` of `text`, in an author's words
/// and moved to where the fault is. `None` for errors that are not about
/// the syntax (a wrong value, a missing key).
pub fn syntax_fault(raw: &str, line: usize, column: usize, text: &str) -> Option<Fault> {
    // serde's messages about values (after a field path or not) are for
    // in_author_words; a user's value quoted in them must not be mistaken
    // for the parser's words.
    let about_values = [
        "invalid type",
        "invalid value",
        "unknown variant",
        "unknown field",
        "missing field",
        "duplicate field",
    ];
    if split_path(raw).0.is_some() || about_values.iter().any(|start| raw.starts_with(start)) {
        return None;
    }
    let error = parse_parser_error(raw, text);
    let (problem, context) = (error.problem, error.context);
    let (line, column) = error.problem_at.unwrap_or((line, column));
    let source = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    let at = source.chars().nth(column.saturating_sub(1));
    let opening = error.context_at.map(|(l, c)| {
        let opened = text.lines().nth(l.saturating_sub(1)).unwrap_or_default();
        (l, c, opened, opened.chars().nth(c.saturating_sub(1)))
    });
    let fault = |line, column, message: String, hint: &str| Fault {
        line,
        column,
        worded: Worded {
            message,
            hint: Some(hint.to_string()),
        },
    };
    let here = |message: &str, hint: &str| fault(line, column, message.to_string(), hint);
    if problem.contains("tab character") || (problem.contains("cannot start") && at == Some('\t')) {
        let tab = source
            .chars()
            .position(|c| c == '\t')
            .map_or(column, |i| i + 1);
        return Some(fault(
            line,
            tab,
            "a tab where YAML allows only spaces".to_string(),
            "indent with spaces: YAML does not allow tabs for indentation",
        ));
    }
    if problem == "found unexpected end of stream" && context.contains("quoted") {
        // The parser leaves out a context at the very start of the text.
        let (line, column) = error.context_at.unwrap_or((1, 1));
        let quote = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.chars().nth(column - 1));
        if let Some(quote) = quote {
            return Some(fault(
                line,
                column,
                format!("the text opened with `{quote}` here is never closed"),
                &format!("end the text with another `{quote}` on the same line"),
            ));
        }
    }
    if let Some(close) = problem
        .strip_prefix("did not find expected ',' or '")
        .and_then(|rest| rest.chars().next())
    {
        let open = if close == ']' { '[' } else { '{' };
        let (line, column) = match opening {
            Some((line, column, _, Some(found))) if found == open => (line, column),
            _ => (line, column),
        };
        return Some(fault(
            line,
            column,
            format!("the `{open}` here is never closed"),
            &format!("close it with `{close}` on the same line, with `, ` between the items; quote text that starts with `{open}`"),
        ));
    }
    let special = if problem.contains("cannot start any token") || problem == "unknown anchor" {
        at.map(|c| (line, column, c))
    } else if context.contains("anchor") || context.contains("alias") || context.contains("tag") {
        opening.and_then(|(l, c, _, found)| Some((l, c, found?)))
    } else {
        None
    };
    if let Some((line, column, c)) = special {
        let source = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
        let shown = match c {
            '`' => "a backtick".to_string(),
            c => format!("`{c}`"),
        };
        return Some(fault(
            line,
            column,
            format!("a value cannot start with {shown} unless it is in quotes"),
            &format!(
                "put the text in quotes: {}",
                in_backticks(&quoted_from(source, column))
            ),
        ));
    }
    if problem.contains("mapping values are not allowed") {
        return Some(colon_in_value(source, line, column));
    }
    if problem.contains("did not find expected key") {
        let (message, hint) = match at {
            Some(close @ (']' | '}')) => (
                format!("a `{close}` with no `{}` before it", if close == ']' { '[' } else { '{' }),
                "remove it, or put the whole value in quotes",
            ),
            Some('-') => (
                "this list item is not indented like the items above it".to_string(),
                "indent every `- item` of a list by the same number of spaces",
            ),
            _ if source.chars().take(column.saturating_sub(1)).collect::<String>().trim_end().ends_with(['"', '\'']) => (
                "text after the closing quote".to_string(),
                "put all of the value inside the quotes",
            ),
            _ => (
                "this line is not indented like the lines above it".to_string(),
                "start each key at the beginning of the line, and indent what belongs to a key by the same spaces",
            ),
        };
        return Some(fault(line, column, message, hint));
    }
    if problem.contains("expected '-' indicator") {
        return Some(here(
            "this line does not go on with the list above it",
            "indent every `- item` of a list by the same spaces, and start the next key at the beginning of the line",
        ));
    }
    if problem.contains("block sequence entries are not allowed") {
        return Some(here(
            "a `- item` cannot follow a key on its line",
            "put each `- item` on a line of its own, indented under the key, or quote text that starts with `- `",
        ));
    }
    if problem.contains("could not find expected ':'") {
        let (line, column, key) = match opening {
            Some((line, column, opened, _)) => (line, column, opened.trim()),
            None => (line, column, source.trim()),
        };
        return Some(fault(
            line,
            column,
            format!("`{key}` has no `:` after it"),
            "write `key: value`; text that goes on over several lines must be indented under its key",
        ));
    }
    if context.contains("block scalar") {
        let (line, column) = opening.map_or((line, column), |(l, c, _, _)| (l, c));
        return Some(fault(
            line,
            column,
            "nothing may follow `|` or `>` on its line".to_string(),
            "start the text on the next line, indented under the key, or put the value in quotes",
        ));
    }
    if problem.contains("unknown escape character")
        || problem.contains("hexadecimal")
        || problem.contains("Unicode character escape")
    {
        return Some(here(
            "a `\\` between double quotes starts an escape that YAML does not know",
            "write `\\\\` for a backslash, or use single quotes, which take `\\` as it is",
        ));
    }
    if problem.contains("control characters") || problem.contains("UTF-8") {
        return Some(here(
            "an invisible control character in the text",
            "delete it and type the text again; it may have come with text pasted from another program",
        ));
    }
    if problem.contains("did not find expected node content") {
        return Some(here(
            "a value is missing here",
            "write the value, or remove the extra `,`",
        ));
    }
    if problem.contains("recursion limit") {
        return Some(here(
            "the values are nested too deeply",
            "front matter needs at most a few levels",
        ));
    }
    let from_parser = ["found ", "did not find", "could not find", "invalid "];
    if !context.is_empty() || from_parser.iter().any(|start| problem.starts_with(start)) {
        return Some(here(
            "YAML cannot read the text here",
            "indent with spaces only, and put text in quotes when it contains `: ` or ` #` or starts with a sign such as `[`, `{`, `&`, `*`, `!`, `@`",
        ));
    }
    None
}

/// A `: ` that YAML took for the start of a key, at `column` of `source`:
/// text that holds one (`title: Cold call: the opener`), or a key indented
/// under a line that already has its value.
fn colon_in_value(source: &str, line: usize, column: usize) -> Fault {
    let before: String = source.chars().take(column.saturating_sub(1)).collect();
    let key = before.trim();
    let indent = source.len() - source.trim_start().len();
    if indent > 0 && !key.is_empty() && !key.contains([' ', ':']) {
        return Fault {
            line,
            column: indent + 1,
            worded: Worded {
                message: format!(
                    "`{key}:` is indented, so YAML reads it as part of the value above"
                ),
                hint: Some(
                    "start it at the same place as the keys around it, or quote the value above"
                        .to_string(),
                ),
            },
        };
    }
    let value_start = before.find(": ").map_or(0, |at| at + 2);
    Fault {
        line,
        column,
        worded: Worded {
            message: "the text holds a `: `, which YAML reads as the start of another key"
                .to_string(),
            hint: Some(format!(
                "put the whole value in quotes: {}",
                in_backticks(&quoted_from(
                    source,
                    before[..value_start].chars().count() + 1
                ))
            )),
        },
    }
}

/// `source` with everything from `column` on put in double quotes (single
/// quotes when it holds a double quote), as an author would fix it.
fn quoted_from(source: &str, column: usize) -> String {
    let split = source
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(source.len(), |(at, _)| at);
    let (before, value) = source.split_at(split);
    let before = before.trim_start();
    let value = value.trim_end();
    if value.contains('"') {
        format!("{before}'{}'", value.replace('\'', "''"))
    } else {
        format!("{before}\"{value}\"")
    }
}

/// `code` set in backticks, unless it holds one itself.
fn in_backticks(code: &str) -> String {
    if code.contains('`') {
        code.to_string()
    } else {
        format!("`{code}`")
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
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

    fn fault_of(text: &str) -> (usize, usize, String) {
        let error = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        let location = error.location().unwrap();
        let fault = syntax_fault(&error.to_string(), location.line(), location.column(), text)
            .unwrap_or_else(|| panic!("not a syntax fault: {error}"));
        (fault.line, fault.column, fault.worded.message)
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(
            fault_of("title: A\nsummary: \"Open\nmore: x\n").0,
            2,
            "the quote's line, not the end"
        );
        // The parser gives no position for a context at the very start.
        assert_eq!(
            fault_of("\"title: A\n"),
            (
                1,
                1,
                "the text opened with `\"` here is never closed".to_string()
            )
        );
    }

    #[test]
    fn a_fault_given_as_a_byte_offset_gets_its_line_and_column() {
        let (line, column, message) = fault_of("title: A\nsummary: \u{e9}\u{1}\n");
        assert_eq!((line, column), (2, 11));
        assert!(message.contains("control character"), "{message}");
    }

    #[test]
    fn messages_about_values_are_not_syntax_faults() {
        let text = "attempts: three\n";
        let raw = "attempts: invalid type: string \"did not find expected key\", expected u32 at line 1 column 11";
        assert_eq!(syntax_fault(raw, 1, 11, text), None);
        assert_eq!(syntax_fault("missing field `title`", 1, 1, text), None);
    }

    #[test]
    fn syntax_errors_are_kept() {
        assert_eq!(
            worded("did not find expected key, while parsing a block mapping").0,
            "did not find expected key, while parsing a block mapping"
        );
    }
}
