//! Problems found in a site, collected rather than returned one at a time, so
//! an author sees every mistake of a build at once.

use std::fmt;
use std::io::IsTerminal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, located in a file relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    pub message: String,
    /// How to fix it, shown in parentheses after the message.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(
        file: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, message)
        }
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `path:line:col`, leaving out what is unknown.
    pub fn location(&self) -> String {
        let mut location = self.file.clone();
        if let Some(line) = self.line {
            location.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                location.push_str(&format!(":{column}"));
            }
        }
        location
    }

    /// The message with its hint, as one sentence.
    pub fn full_message(&self) -> String {
        match &self.hint {
            Some(hint) => format!("{} ({})", self.message, hint),
            None => self.message.clone(),
        }
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (
            &self.file,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.severity.label(),
            visible(&self.location()),
            visible(&self.full_message())
        )
    }
}

/// `text` with control characters (and the bidirectional overrides) spelt
/// out as `\x1B` or `\u{202E}`: a file name or YAML value quoted in a
/// message could otherwise move the cursor, erase the line or recolour the
/// terminal, and print a fake "ok".
pub fn visible(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control() => shown.push_str(&format!("\\x{:02X}", u32::from(c))),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                shown.push_str(&format!("\\u{{{:04X}}}", u32::from(c)))
            }
            c => shown.push(c),
        }
    }
    shown
}

/// The source line a diagnostic points at, drawn as rustc draws it: the
/// line with its number and, when the column is known, a caret under it.
/// Tabs become four spaces (in the caret's line too, so it lines up);
/// other control characters are spelt out as in messages.
pub fn snippet(source: &str, line: usize, column: Option<usize>, color: bool) -> String {
    let (gutter, caret, reset) = if color {
        ("\x1b[1;34m", "\x1b[1;31m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let shown = |c: char| match c {
        '\t' => "    ".to_string(),
        c => visible(c.encode_utf8(&mut [0; 4])),
    };
    let number = line.to_string();
    let blank = " ".repeat(number.len());
    let pieces: Vec<String> = source.chars().map(shown).collect();
    let at = column.map(|column| column.saturating_sub(1).min(pieces.len()));
    let (first, last) = window(pieces.len(), at);
    let mut text = String::new();
    if first > 0 {
        text.push('…');
    }
    text.extend(pieces[first..last].iter().map(String::as_str));
    if last < pieces.len() {
        text.push('…');
    }
    let mut drawn = format!("{gutter}{blank} |{reset}\n{gutter}{number} |{reset} {text}");
    if let Some(at) = at {
        let before: usize = usize::from(first > 0)
            + pieces[first..at.max(first)]
                .iter()
                .map(|piece| piece.chars().count())
                .sum::<usize>();
        let pad = " ".repeat(before);
        drawn.push_str(&format!("\n{gutter}{blank} |{reset} {pad}{caret}^{reset}"));
    }
    drawn
}

/// The characters of a line to show, `first..last`: all of a line of
/// ordinary length; of a longer one (minified HTML, a generated value) a
/// piece around the fault, so the snippet stays a few lines on screen.
fn window(len: usize, at: Option<usize>) -> (usize, usize) {
    const WIDTH: usize = 100;
    const BEFORE: usize = 60;
    if len <= WIDTH {
        return (0, len);
    }
    let first = at.unwrap_or(0).saturating_sub(BEFORE).min(len - WIDTH);
    (first, first + WIDTH)
}

/// The lines of the files diagnostics point at, each file read once.
#[derive(Debug, Default)]
pub struct SourceLines {
    files: std::collections::HashMap<std::path::PathBuf, Option<Vec<String>>>,
}

impl SourceLines {
    /// Line `line` (1-based) of the file at `path`, without its line end;
    /// `None` when the file cannot be read now or is not text.
    pub fn get(&mut self, path: &std::path::Path, line: usize) -> Option<&str> {
        let lines = self.files.entry(path.to_path_buf()).or_insert_with(|| {
            let text = std::fs::read_to_string(path).ok()?;
            Some(
                text.lines()
                    .map(|l| l.trim_end_matches('\r').to_string())
                    .collect(),
            )
        });
        lines
            .as_ref()?
            .get(line.checked_sub(1)?)
            .map(String::as_str)
    }
}

/// [`visible`], keeping line breaks: a GitHub annotation shows them as
/// such (encoded as `%0A`), not as a terminal would.
fn visible_lines(text: &str) -> String {
    text.split('\n').map(visible).collect::<Vec<_>>().join("\n")
}

/// Every problem found so far.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, line and column, duplicates removed, so the report is
    /// stable from run to run whatever order parallel work finished in.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items.dedup();
        items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `error: file:line:col: message (hint)`
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands, shown as annotations.
    Github,
}

/// Formats one diagnostic in the chosen format (without a trailing newline).
pub fn format_diagnostic(diagnostic: &Diagnostic, format: Format, color: bool) -> String {
    match format {
        Format::Human if color => {
            let code = match diagnostic.severity {
                Severity::Error => "31",
                Severity::Warning => "33",
            };
            format!(
                "\x1b[1;{code}m{}\x1b[0m: \x1b[1m{}\x1b[0m: {}",
                diagnostic.severity.label(),
                visible(&diagnostic.location()),
                visible(&diagnostic.full_message())
            )
        }
        Format::Human => diagnostic.to_string(),
        Format::Json => serde_json::json!({
            "severity": diagnostic.severity.label(),
            "file": diagnostic.file,
            "line": diagnostic.line,
            "column": diagnostic.column,
            "message": diagnostic.message,
            "hint": diagnostic.hint,
        })
        .to_string(),
        Format::Github => {
            let mut properties = format!(
                "file={}",
                escape_github_property(&visible(&diagnostic.file))
            );
            if let Some(line) = diagnostic.line {
                properties.push_str(&format!(",line={line}"));
            }
            if let Some(column) = diagnostic.column {
                properties.push_str(&format!(",col={column}"));
            }
            format!(
                "::{} {}::{}",
                diagnostic.severity.label(),
                properties,
                escape_github_data(&visible_lines(&diagnostic.full_message()))
            )
        }
    }
}

/// Whether someone watches stderr: a terminal that can redraw a line, not
/// a CI log (`CI` set) nor a `TERM=dumb` one.
pub fn stderr_is_interactive() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
}

/// Whether stderr should get ANSI colours: interactive, no NO_COLOR.
pub fn stderr_wants_color() -> bool {
    stderr_is_interactive() && std::env::var_os("NO_COLOR").is_none()
}

// GitHub's workflow-command escaping: data escapes %, CR and LF; properties
// also escape `:` and `,`.
fn escape_github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(text: &str) -> String {
    escape_github_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_draws_the_line_and_a_caret_under_the_column() {
        assert_eq!(
            snippet("attempts: \"three\"", 12, Some(11), false),
            "   |\n12 | attempts: \"three\"\n   |           ^"
        );
        assert_eq!(snippet("x", 7, None, false), "  |\n7 | x");
    }

    #[test]
    fn a_snippet_keeps_the_caret_under_the_fault_after_tabs_and_controls() {
        assert_eq!(
            snippet("\tkey: a\u{1b}b", 3, Some(8), false),
            "  |\n3 |     key: a\\x1Bb\n  |           ^"
        );
    }

    #[test]
    fn a_snippet_of_a_very_long_line_shows_the_part_around_the_fault() {
        let line = format!("{}X{}", "a".repeat(5_000), "b".repeat(5_000));
        let drawn = snippet(&line, 4, Some(5_001), false);
        let lines: Vec<&str> = drawn.lines().collect();
        assert!(lines[1].chars().count() < 110, "{}", lines[1]);
        assert!(lines[1].starts_with("4 | …a") && lines[1].ends_with("b…"));
        let column_of = |text: &str, c: char| text.chars().position(|x| x == c);
        assert_eq!(column_of(lines[2], '^'), column_of(lines[1], 'X'));
    }

    fn sample() -> Diagnostic {
        Diagnostic::error("content/exercises/x.md", Some(4), "unknown field `titel`")
            .at_column(1)
            .with_hint("did you mean `title`?")
    }

    #[test]
    fn human_format_names_file_line_and_column() {
        assert_eq!(
            format_diagnostic(&sample(), Format::Human, false),
            "error: content/exercises/x.md:4:1: unknown field `titel` (did you mean `title`?)"
        );
    }

    #[test]
    fn github_format_escapes_properties_and_data() {
        let d = Diagnostic::error("a,b.md", Some(2), "50% done\nnext");
        assert_eq!(
            format_diagnostic(&d, Format::Github, false),
            "::error file=a%2Cb.md,line=2::50%25 done%0Anext"
        );
    }

    #[test]
    fn control_characters_are_spelt_out_for_terminals_and_github() {
        let d = Diagnostic::error("a\u{1b}.md", Some(2), "`\u{1b}[2K\rok\u{9b}` \u{202E}x");
        assert_eq!(
            format_diagnostic(&d, Format::Human, false),
            "error: a\\x1B.md:2: `\\x1B[2K\\x0Dok\\x9B` \\u{202E}x"
        );
        assert_eq!(
            format_diagnostic(&d, Format::Human, true),
            "\x1b[1;31merror\x1b[0m: \x1b[1ma\\x1B.md:2\x1b[0m: `\\x1B[2K\\x0Dok\\x9B` \\u{202E}x"
        );
        assert_eq!(
            format_diagnostic(&d, Format::Github, false),
            "::error file=a\\x1B.md,line=2::`\\x1B[2K\\x0Dok\\x9B` \\u{202E}x"
        );
    }

    #[test]
    fn json_format_is_one_object() {
        let text = format_diagnostic(&sample(), Format::Json, false);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["file"], "content/exercises/x.md");
        assert_eq!(value["line"], 4);
        assert_eq!(value["column"], 1);
        assert_eq!(value["severity"], "error");
    }

    #[test]
    fn sorted_orders_by_file_then_line() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::error("b.md", Some(1), "x"));
        all.push(Diagnostic::error("a.md", Some(9), "y"));
        all.push(Diagnostic::error("a.md", Some(2), "z"));
        let order: Vec<_> = all.sorted().iter().map(|d| d.location()).collect();
        assert_eq!(order, ["a.md:2", "a.md:9", "b.md:1"]);
    }
}
