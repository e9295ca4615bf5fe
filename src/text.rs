//! Text helpers shared across layers: how dates are read and written, how
//! text is escaped for HTML and XML, and how plain text gets the curly
//! quotes and dashes page bodies get. Each rule lives here once.

use std::borrow::Cow;

// Dates: front matter holds `YYYY-MM-DD`; pages show it in words, feeds as
// an Atom timestamp, new pages get today's.

/// `YYYY-MM-DD` naming a real calendar day.
pub fn is_valid_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts[..] else {
        return false;
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (
        year.parse::<u32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// `2026-03-02` in words, as `pattern` places `{day}`, `{month}` (its
/// name in `months`, January first) and `{year}`: `2 March 2026` for
/// `{day} {month} {year}`. Any other text is left as it is.
pub fn display_date(date: &str, pattern: &str, months: [&str; 12]) -> String {
    let mut parts = date.split('-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return date.to_string();
    };
    match (month.parse::<usize>(), day.parse::<u32>()) {
        (Ok(month @ 1..=12), Ok(day)) => pattern
            .replace("{day}", &day.to_string())
            .replace("{month}", months[month - 1])
            .replace("{year}", year),
        _ => date.to_string(),
    }
}

/// A front matter date as an Atom timestamp (midnight UTC); a page
/// without a date is dated at the epoch, so feeds stay reproducible.
pub fn feed_timestamp(date: Option<&str>) -> String {
    format!("{}T00:00:00Z", date.unwrap_or("1970-01-01"))
}

/// Today's date as `YYYY-MM-DD` (UTC), from the system clock.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// Escaping.

/// Text for HTML, in an element or a quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Text for XML 1.0 (the LMS manifest): as HTML, with `&apos;`, and the
/// control characters XML does not allow replaced by spaces.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

// Smart punctuation.

/// Plain text (a title, a summary, a list item) with the punctuation
/// pulldown-cmark gives page bodies: curly quotes and apostrophes, `--` and
/// `---` as en and em dashes, `...` as an ellipsis. So "Don't" in a title
/// matches "Don’t" in the body. Borrowed when nothing changes; runs of
/// text between the characters that change are copied whole.
pub fn smart_punctuation(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let changes_at = |at: usize| match bytes[at] {
        b'\'' | b'"' => true,
        b'-' => bytes.get(at + 1) == Some(&b'-'),
        b'.' => bytes.get(at + 1..at + 3) == Some(b".."),
        _ => false,
    };
    let Some(first) = (0..bytes.len()).find(|&at| changes_at(at)) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    // Where the last single quote that may open sits in `out`, and whether
    // a double quote is open: pulldown-cmark pairs quotes this way.
    let mut single_open: Option<usize> = None;
    let mut double_open = false;
    let (mut at, mut copied) = (first, 0);
    while at < bytes.len() {
        if !changes_at(at) {
            at += 1;
            continue;
        }
        out.push_str(&text[copied..at]);
        let taken = match bytes[at] {
            b'.' => {
                out.push('…');
                3
            }
            b'-' => {
                let count = bytes[at..].iter().take_while(|&&b| b == b'-').count();
                push_dashes(&mut out, count);
                count
            }
            quote => {
                let before = text[..at].chars().next_back();
                let after = text[at + 1..].chars().next();
                let can_open = quote_can_open(char::from(quote), before, after);
                let can_close = quote_can_close(before, after);
                if quote == b'\'' {
                    if let (Some(open), true) = (single_open, can_close) {
                        out.replace_range(open..open + '’'.len_utf8(), "‘");
                        single_open = None;
                    } else if can_open {
                        single_open = Some(out.len());
                    }
                    out.push('’');
                } else if can_close && double_open {
                    double_open = false;
                    out.push('”');
                } else {
                    double_open |= can_open;
                    out.push('“');
                }
                1
            }
        };
        at += taken;
        copied = at;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// A run of two or more hyphens: two are an en dash, three an em dash, and
/// longer runs split into em and en dashes as CommonMark's smart
/// punctuation does.
fn push_dashes(out: &mut String, count: usize) {
    let (ems, ens) = match count {
        2 => (0, 1),
        3 => (1, 0),
        _ => match count % 6 {
            0 | 3 => (count / 3, 0),
            2 | 4 => (0, count / 2),
            1 => (count / 3 - 1, 2),
            _ => (count / 3, 1),
        },
    };
    out.extend(std::iter::repeat_n('—', ems).chain(std::iter::repeat_n('–', ens)));
}

/// CommonMark's left-flanking rule for a one-character quote.
fn quote_can_open(quote: char, before: Option<char>, after: Option<char>) -> bool {
    if after.is_none_or(char::is_whitespace) {
        return false;
    }
    match before {
        None => true,
        Some(b) if b.is_whitespace() => true,
        Some(b) => is_punctuation(b) && !(quote == '\'' && matches!(b, ']' | ')')),
    }
}

/// CommonMark's right-flanking rule for a one-character quote.
fn quote_can_close(before: Option<char>, after: Option<char>) -> bool {
    match (before, after) {
        (None, _) => false,
        (Some(b), _) if b.is_whitespace() => false,
        (_, None) => true,
        (_, Some(a)) => a.is_whitespace() || is_punctuation(a),
    }
}

/// Unicode punctuation and symbols, as CommonMark counts them for flanking.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || !(c.is_ascii() || c.is_alphanumeric() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_days() {
        assert!(is_valid_date("2024-02-29"));
        assert!(!is_valid_date("2023-02-29"));
        assert!(!is_valid_date("2026-13-01"));
        assert!(!is_valid_date("26-1-1"));
    }

    #[test]
    fn dates_display_in_words() {
        let months = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let english = |date| display_date(date, "{day} {month} {year}", months);
        assert_eq!(english("2026-03-02"), "2 March 2026");
        assert_eq!(english("2026-12-31"), "31 December 2026");
        assert_eq!(english("2026-00-31"), "2026-00-31");
        assert_eq!(
            display_date("2026-12-08", "{day} de {month} de {year}", months),
            "8 de December de 2026"
        );
    }

    #[test]
    fn feeds_date_pages_at_midnight_utc() {
        assert_eq!(feed_timestamp(Some("2026-03-02")), "2026-03-02T00:00:00Z");
        assert_eq!(feed_timestamp(None), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_785), (2026, 11, 28));
    }

    #[test]
    fn html_and_xml_escape_the_same_characters_but_apostrophes() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("'a'\u{1}"), "&apos;a&apos; ");
    }

    /// What pulldown-cmark makes of the same text in a page body.
    fn as_body(text: &str) -> String {
        let options = pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION;
        pulldown_cmark::Parser::new_ext(text, options)
            .filter_map(|event| match event {
                pulldown_cmark::Event::Text(text) => Some(text.into_string()),
                pulldown_cmark::Event::SoftBreak => Some("\n".into()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn plain_text_gets_the_punctuation_bodies_get() {
        assert_eq!(
            smart_punctuation("Don't say \"maybe\" -- ask..."),
            "Don’t say “maybe” – ask…"
        );
        assert_eq!(
            smart_punctuation("'Tis the 'right' time --- or the '90s"),
            "’Tis the ‘right’ time — or the ’90s"
        );
        for text in [
            "Don't",
            "\"Don't,\" she said.",
            "It's the customer's \"why\"",
            "'single' and \"double\" and 'unclosed",
            "(\"in brackets\") [a]'s",
            "a--b---c----d-----e------f-------g",
            "wait.... for it...",
            "\"a \"b\" c\"",
            "rock 'n' roll",
            "\"Ça va?\" — «oui» 'non'",
            "x\"y\" 'z'w",
            "one-off, two - three",
            "'",
            "\"\"",
            "''twice'' ..",
            "end-- x...y...z",
        ] {
            assert_eq!(smart_punctuation(text), as_body(text), "for {text:?}");
        }
    }

    #[test]
    fn text_without_candidates_is_borrowed() {
        assert!(matches!(
            smart_punctuation("Plain - title."),
            Cow::Borrowed(_)
        ));
    }
}
