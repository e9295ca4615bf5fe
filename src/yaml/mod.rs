//! YAML documents (front matter and `site.yaml`) parsed into typed structs,
//! with every problem reported at its line in the file.
//!
//! serde stops at the first error, so when a document does not deserialize
//! as a whole, each top-level key's block is deserialized on its own: every
//! bad field gets its own diagnostic, at its own line.

mod messages;
mod simple;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;
use crate::suggest::did_you_mean;

/// Front matter larger than this is refused before parsing: it bounds the
/// time and memory a hostile or corrupted file can cost.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// Flow collections (`[...]`, `{...}`) nested deeper than this are refused
/// before parsing: the YAML parser's time grows with the square of their
/// depth (100,000 `[` took minutes), and no front matter needs more.
pub const MAX_FLOW_DEPTH: usize = 64;

/// More `[` and `{` than this are refused too. The depth above is counted
/// the simple way (quotes and comments as they usually are); this count of
/// every bracket, wherever it is, bounds the parser's time for any input.
pub const MAX_FLOW_BRACKETS: usize = 2048;

/// A top-level `key:` line and the text of its block.
#[derive(Debug, Clone)]
struct TopLevelKey<'a> {
    name: &'a str,
    /// Line in the file.
    line: usize,
    /// Byte range of the key's block in the document text.
    block: std::ops::Range<usize>,
}

/// A document read into a `T`.
pub struct Read<'a, T> {
    /// Every field, or when some were bad, the others (bad ones at their
    /// defaults).
    pub value: T,
    /// The top-level keys whose values were bad (and reported).
    pub bad_keys: Vec<&'a str>,
}

impl<T> Read<'_, T> {
    fn whole(value: T) -> Self {
        Read {
            value,
            bad_keys: Vec::new(),
        }
    }
}

pub struct Document<'a> {
    text: &'a str,
    /// The file line of the document's first line.
    first_line: usize,
    keys: Vec<TopLevelKey<'a>>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str, first_line: usize) -> Self {
        let keys = scan_top_level_keys(text, first_line);
        Document {
            text,
            first_line,
            keys,
        }
    }

    /// The file line of a top-level key, if the document has it.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.keys.iter().find(|k| k.name == key).map(|k| k.line)
    }

    /// The file line of `key:` inside the mapping under a top-level key,
    /// block (`brand:` then `  logo: x`) or flow (`brand: {logo: x}`); the
    /// top-level key's line when it is not found.
    pub fn nested_key_line(&self, parent: &str, key: &str) -> Option<usize> {
        let found = self.keys.iter().find(|k| k.name == parent)?;
        let block = &self.text[found.block.clone()];
        let names_key = |text: &str| {
            text.match_indices(key).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + key.len()..].trim_start();
                before.is_none_or(|c| c == '{' || c == ',' || c.is_whitespace())
                    && after.starts_with(':')
            })
        };
        let first_value = block
            .lines()
            .next()
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v);
        let offset = if first_value.is_some_and(names_key) {
            Some(0)
        } else {
            block.lines().skip(1).position(names_key).map(|i| i + 1)
        };
        Some(found.line + offset.unwrap_or(0))
    }

    /// The file line of the `index`-th list item (`- `) under a top-level
    /// key, for problems inside lists such as one quiz question.
    pub fn item_line(&self, key: &str, index: usize) -> Option<usize> {
        let found = self.keys.iter().find(|k| k.name == key)?;
        let block = &self.text[found.block.clone()];
        let item_indent = block
            .lines()
            .skip(1)
            .find(|line| line.trim_start().starts_with("- "))
            .map(|line| line.len() - line.trim_start().len())?;
        block
            .lines()
            .enumerate()
            .skip(1)
            .filter(|(_, line)| {
                line.len() - line.trim_start().len() == item_indent
                    && line.trim_start().starts_with('-')
            })
            .nth(index)
            .map(|(offset, _)| found.line + offset)
            .or(Some(found.line))
    }

    /// Reports every top-level key that is not in `allowed`. `elsewhere`
    /// pairs keys valid for other kinds of page with a hint about them.
    pub fn check_keys(
        &self,
        file: &str,
        allowed: &[&str],
        elsewhere: &[(&str, &str)],
    ) -> Vec<Diagnostic> {
        let mut problems = self.long_form_keys(file);
        for key in &self.keys {
            if allowed.contains(&key.name) {
                continue;
            }
            let mut problem =
                Diagnostic::error(file, Some(key.line), format!("unknown key `{}`", key.name))
                    .at_column(1);
            if let Some((_, hint)) = elsewhere.iter().find(|(k, _)| *k == key.name) {
                problem = problem.with_hint(*hint);
            } else if let Some(lower) = allowed.iter().find(|k| k.eq_ignore_ascii_case(key.name)) {
                problem = problem.with_hint(format!("keys are lower-case: write `{lower}`"));
            } else if let Some(suggestion) = did_you_mean(key.name, allowed.iter().copied()) {
                problem = problem.with_hint(format!("did you mean `{suggestion}`?"));
            } else {
                problem = problem.with_hint(format!("allowed keys: {}", allowed.join(", ")));
            }
            problems.push(problem);
        }
        problems
    }

    /// Deserializes the whole document. When some fields are bad, pushes one
    /// diagnostic per bad field and returns the document read without them,
    /// so that the checks of the other fields still run: an author sees
    /// every problem of the file at once. `None` when the document as a
    /// whole cannot be read.
    pub fn deserialize<T: DeserializeOwned>(
        &self,
        file: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Read<'a, T>> {
        if self.text.len() > MAX_DOCUMENT_BYTES {
            problems.push(
                Diagnostic::error(
                    file,
                    Some(self.first_line),
                    format!(
                        "front matter is {} KiB, more than the {} KiB allowed",
                        self.text.len() / 1024,
                        MAX_DOCUMENT_BYTES / 1024
                    ),
                )
                .with_hint("move long text into the Markdown body"),
            );
            return None;
        }
        if let Some((line, message)) = too_deeply_nested(self.text) {
            problems.push(
                Diagnostic::error(file, Some(self.first_line + line), message).with_hint(
                    "front matter needs at most a few levels of `[...]` and `{...}`; write long lists one `- item` per line",
                ),
            );
            return None;
        }
        let duplicates = self.duplicate_keys(file);
        if !duplicates.is_empty() {
            // The rest is still checked, with each key's first value.
            problems.extend(duplicates);
            return self.read_each_field::<T>(file, problems);
        }
        if let Some(value) = simple::from_str::<T>(self.text) {
            return Some(Read::whole(value));
        }
        match serde_yaml::from_str::<T>(as_full_document(self.text)) {
            Ok(value) => Some(Read::whole(value)),
            Err(error) => {
                let before = problems.len();
                let read = self.read_each_field::<T>(file, problems);
                if problems.len() == before {
                    // No single field failed on its own: the document as a
                    // whole is wrong (not a mapping, a duplicate key, ...).
                    let text = as_full_document(self.text);
                    problems.push(self.diagnostic_for(file, &error, text, self.first_line));
                    return None;
                }
                read
            }
        }
    }

    /// Keys in YAML's long form (`? title` then `: value`): valid YAML, but
    /// salesbook finds a key's line by its `key:`, so they are refused.
    fn long_form_keys(&self, file: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for (index, line) in self.text.lines().enumerate() {
            let Some(key) = line.strip_prefix('?') else {
                continue;
            };
            if !key.is_empty() && !key.starts_with([' ', '\t']) {
                continue;
            }
            let key = key.trim();
            let shown = if key.is_empty() { "key" } else { key };
            problems.push(
                Diagnostic::error(
                    file,
                    Some(self.first_line + index),
                    format!("`? {key}` is a long-form key, which salesbook does not read"),
                )
                .at_column(1)
                .with_hint(format!(
                    "write the key and its value on one line: `{shown}: ...`"
                )),
            );
        }
        problems
    }

    /// A key given twice, reported at its second line.
    fn duplicate_keys(&self, file: &str) -> Vec<Diagnostic> {
        let mut first_lines: rustc_hash::FxHashMap<&str, usize> = Default::default();
        let mut problems = Vec::new();
        for key in &self.keys {
            match first_lines.get(key.name) {
                Some(first) => problems.push(
                    Diagnostic::error(
                        file,
                        Some(key.line),
                        format!("duplicate key `{}` (first given at line {first})", key.name),
                    )
                    .at_column(1)
                    .with_hint("each key may appear only once; remove one of them"),
                ),
                None => {
                    first_lines.insert(key.name, key.line);
                }
            }
        }
        problems
    }

    /// Reads each top-level key's block on its own, reporting the bad ones,
    /// and then the good ones together.
    fn read_each_field<T: DeserializeOwned>(
        &self,
        file: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Read<'a, T>> {
        if self.keys.is_empty() {
            return None;
        }
        let mut good = String::new();
        let mut bad_keys = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        for key in &self.keys {
            if !seen.insert(key.name) {
                continue;
            }
            let block = &self.text[key.block.clone()];
            match serde_yaml::from_str::<T>(block) {
                Ok(_) => good.push_str(block),
                Err(error) => {
                    problems.push(self.diagnostic_for(file, &error, block, key.line));
                    bad_keys.push(key.name);
                }
            }
        }
        // A document that is not YAML as a whole, though no key's block
        // fails alone (text before the first key, say), is reported as a
        // whole by the caller.
        if bad_keys.is_empty() && seen.len() == self.keys.len() {
            return None;
        }
        let value = serde_yaml::from_str::<T>(as_full_document(&good)).ok()?;
        Some(Read { value, bad_keys })
    }

    /// The diagnostic for `error`, which the parser found in `text`, whose
    /// first line is `first_line` of the file.
    fn diagnostic_for(
        &self,
        file: &str,
        error: &serde_yaml::Error,
        text: &str,
        first_line: usize,
    ) -> Diagnostic {
        if let Some(location) = error.location() {
            let raw = error.to_string();
            let (line, column) = (location.line(), location.column());
            if let Some(fault) = messages::syntax_fault(&raw, line, column, text) {
                let line = first_line + fault.line.saturating_sub(1);
                let diagnostic = Diagnostic::error(file, Some(line), fault.worded.message)
                    .at_column(fault.column.max(1));
                return match fault.worded.hint {
                    Some(hint) => diagnostic.with_hint(hint),
                    None => diagnostic,
                };
            }
        }
        let whole = if file.ends_with(".md") {
            "the front matter".to_string()
        } else {
            format!("`{file}`")
        };
        let worded = messages::in_author_words(&strip_positions(&error.to_string()), &whole);
        let hint = worded.hint.as_deref().or(hint_for(&worded.message));
        let Some(location) = error.location() else {
            let diagnostic = Diagnostic::error(file, Some(first_line), worded.message);
            return match hint {
                Some(hint) => diagnostic.with_hint(hint),
                None => diagnostic,
            };
        };
        let line = first_line + location.line().saturating_sub(1);
        let mut diagnostic =
            Diagnostic::error(file, Some(line), worded.message).at_column(location.column().max(1));
        let line_text = self
            .text
            .lines()
            .nth(line.saturating_sub(self.first_line))
            .unwrap_or_default();
        if line_text.contains('\t') {
            diagnostic = diagnostic.with_hint("YAML does not allow tabs here; indent with spaces");
        } else if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        diagnostic
    }
}

/// Whether the simple reader reads `text` into a `T` (`Ok(false)` when it
/// leaves the text to the full parser), and a description of the
/// difference when it reads it otherwise than the full parser does: the
/// invariant that the tests and the front matter fuzz target check.
pub fn simple_reader_agrees<T: DeserializeOwned + std::fmt::Debug>(
    text: &str,
) -> Result<bool, String> {
    let Some(simple) = simple::from_str::<T>(text) else {
        return Ok(false);
    };
    match serde_yaml::from_str::<T>(as_full_document(text)) {
        Ok(full) if format!("{full:?}") == format!("{simple:?}") => Ok(true),
        Ok(full) => Err(format!(
            "read as {simple:?} but the full parser reads {full:?}:\n{text}"
        )),
        Err(error) => Err(format!(
            "read as {simple:?} but the full parser refuses it ({error}):\n{text}"
        )),
    }
}

/// The 0-based line and the reason when flow collections nest deeper than
/// [`MAX_FLOW_DEPTH`] or there are more than [`MAX_FLOW_BRACKETS`] of them.
/// For the depth, brackets inside quoted scalars and comments do not count
/// (a quote opens a scalar at the start of a value, as in YAML).
fn too_deeply_nested(text: &str) -> Option<(usize, String)> {
    // The depth only grows at a bracket: with no more brackets than the
    // depth allowed (most front matter has a few), neither limit can be
    // passed, and the lines need not be read one by one.
    if memchr::memchr2_iter(b'[', b'{', text.as_bytes()).count() <= MAX_FLOW_DEPTH {
        return None;
    }
    let mut depth = 0usize;
    let mut brackets = 0usize;
    for (index, line) in text.lines().enumerate() {
        // Bytes, not characters: both brackets are ASCII.
        let opened = line.bytes().filter(|&b| b == b'[' || b == b'{').count();
        if opened == 0 {
            continue;
        }
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for c in line.chars() {
            match quote {
                Some(open) => {
                    if c == open {
                        quote = None;
                    }
                }
                None => match c {
                    '#' if previous.is_whitespace() => break,
                    '"' | '\'' if previous.is_whitespace() || "[{,:".contains(previous) => {
                        quote = Some(c)
                    }
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some((
                                index,
                                format!("values are nested more than {MAX_FLOW_DEPTH} levels deep"),
                            ));
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            previous = c;
        }
        brackets += opened;
        if brackets > MAX_FLOW_BRACKETS {
            return Some((
                index,
                format!("front matter has more than {MAX_FLOW_BRACKETS} `[` and `{{`"),
            ));
        }
    }
    None
}

/// `text` as the full parser is given it: a document of only blank lines
/// and comments is an empty mapping (all defaults), not an error.
fn as_full_document(text: &str) -> &str {
    if is_blank_yaml(text) {
        "{}"
    } else {
        text
    }
}

fn is_blank_yaml(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#'))
}

/// Finds `key:` lines at column 0. A key's block runs until the next one, so
/// it can be parsed alone: nested lines are indented, and comments or blank
/// lines between keys do no harm.
fn scan_top_level_keys(text: &str, first_line: usize) -> Vec<TopLevelKey<'_>> {
    let mut keys: Vec<TopLevelKey> = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if let Some(name) = top_level_key(line) {
            if let Some(previous) = keys.last_mut() {
                previous.block.end = offset;
            }
            keys.push(TopLevelKey {
                name,
                line: first_line + index,
                block: offset..text.len(),
            });
        }
        offset += line.len();
    }
    keys
}

fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '{' | '[' | '}' | ']' | '.') {
        return None;
    }
    let line = line.trim_end();
    let (key, rest) = if first == '"' || first == '\'' {
        let close = line[1..].find(first)? + 1;
        (&line[1..close], &line[close + 1..])
    } else {
        let colon = line
            .find(": ")
            .or_else(|| line.strip_suffix(':').map(|l| l.len()))?;
        (&line[..colon], &line[colon..])
    };
    let rest = rest.trim_start();
    let key = key.trim();
    // `: value` alone is the value of a long-form key (`? key`).
    if !rest.starts_with(':') || key.is_empty() {
        return None;
    }
    Some(key)
}

/// Removes every " at line L column C" that serde_yaml appends (positions
/// inside the YAML block, which would contradict the file line reported
/// beside the message).
fn strip_positions(message: &str) -> String {
    let mut result = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at line ") {
        result.push_str(&rest[..at]);
        let after = &rest[at + " at line ".len()..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let after = &after[digits..];
        rest = match after.strip_prefix(" column ") {
            Some(column) => {
                &column[column
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(column.len())..]
            }
            None => after,
        };
    }
    result.push_str(rest);
    result
}

fn hint_for(message: &str) -> Option<&'static str> {
    if message.contains("repetition limit") {
        Some("YAML aliases (*name) expand to too much data here; write the values out")
    } else if message.contains("duplicate") {
        Some("each key may appear only once; remove one of them")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Default)]
    #[serde(default)]
    struct Sample {
        title: Option<String>,
        attempts: Option<u8>,
        tags: Vec<String>,
    }

    fn problems_of(text: &str) -> Vec<String> {
        let document = Document::new(text, 2);
        let mut problems = document.check_keys("x.md", &["title", "attempts", "tags"], &[]);
        let _ = document.deserialize::<Sample>("x.md", &mut problems);
        problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn every_bad_field_is_reported_at_its_file_line() {
        let problems = problems_of("title: [a]\nattempts: three\ntags: x\n");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("error: x.md:2:"), "{problems:?}");
        assert!(problems[1].starts_with("error: x.md:3:"), "{problems:?}");
        assert!(problems[2].starts_with("error: x.md:4:"), "{problems:?}");
    }

    #[test]
    fn a_number_too_large_for_yaml_hides_no_other_field() {
        let problems = problems_of("title: [a]\nattempts: 99999999999999999999999\ntags: x\n");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[1].starts_with("error: x.md:3:11: `attempts` must be a smaller"),
            "{problems:?}"
        );
    }

    #[test]
    fn syntax_error_carries_the_file_line() {
        let problems = problems_of("title: ok\ntags: [a, b\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("error: x.md:"), "{problems:?}");
    }

    #[test]
    fn tab_indentation_gets_a_hint() {
        let problems = problems_of("tags:\n\t- a\n");
        assert!(problems[0].contains("tabs"), "{problems:?}");
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second() {
        let problems = problems_of("title: a\ntags: []\ntitle: b\n");
        assert_eq!(problems, ["error: x.md:4:1: duplicate key `title` (first given at line 2) (each key may appear only once; remove one of them)"]);
        // The other fields are still checked.
        let problems = problems_of("title: a\ntitle: b\ntags: x\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[1].starts_with("error: x.md:4:7: `tags` must be a list"),
            "{problems:?}"
        );
    }

    #[test]
    fn positions_inside_the_block_are_removed_from_messages() {
        assert_eq!(
            strip_positions(
                "did not find expected ',' at line 3 column 8, while parsing at line 3 column 7"
            ),
            "did not find expected ',', while parsing"
        );
    }

    #[test]
    fn unknown_key_gets_a_suggestion() {
        let problems = problems_of("titel: a\n");
        assert_eq!(
            problems[0],
            "error: x.md:2:1: unknown key `titel` (did you mean `title`?)"
        );
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!(
            "title: a\ntags: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let started = std::time::Instant::now();
        let problems = problems_of(&deep);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("error: x.md:3: values are nested more than 64 levels deep"),
            "{problems:?}"
        );
        let quoted = format!(
            "a: '{}'\nb: \"{}\" # {}\n",
            "[".repeat(99),
            "{".repeat(99),
            "[".repeat(99)
        );
        assert_eq!(too_deeply_nested(&quoted), None);
        let at_the_limit = format!("a: {}x{}\n", "[".repeat(64), "]".repeat(64));
        assert_eq!(too_deeply_nested(&at_the_limit), None);
        let nested = format!("a: {}x{}\n", "[".repeat(65), "]".repeat(65));
        assert_eq!(too_deeply_nested(&nested).map(|(line, _)| line), Some(0));
        // Brackets hidden from the depth count (here behind a quote the
        // parser might read otherwise) still count towards the total.
        let hidden = "a: '[[[[[[[[[[[\n".repeat(200);
        assert!(too_deeply_nested(&hidden)
            .unwrap()
            .1
            .contains("more than 2048"));
    }

    #[test]
    fn empty_document_is_all_defaults() {
        assert!(problems_of("").is_empty());
        assert!(problems_of("# only a comment\n").is_empty());
    }

    #[test]
    fn item_line_finds_the_nth_list_item() {
        let document = Document::new(
            "title: a\nquiz:\n  - question: q1\n    answer: a\n  - question: q2\n",
            2,
        );
        assert_eq!(document.item_line("quiz", 0), Some(4));
        assert_eq!(document.item_line("quiz", 1), Some(6));
    }

    #[test]
    fn scanner_finds_quoted_and_bare_keys() {
        let keys = scan_top_level_keys("a: 1\n\"b c\": 2\n  d: 3\n# e: 4\nf:\n  - x\n", 1);
        let names: Vec<_> = keys.iter().map(|k| k.name).collect();
        assert_eq!(names, ["a", "b c", "f"]);
    }
}
