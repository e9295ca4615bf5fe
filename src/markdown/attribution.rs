//! A pull quote's attribution line: who said it and, optionally, when in
//! the interview's recording (`— Leigh Ashton, 12:34`).

use crate::diagnostics::Diagnostic;

/// Where a blockquote's attribution line is, and the name it gives.
pub(super) struct Attribution {
    /// Index of the paragraph holding the attribution line.
    pub(super) paragraph: usize,
    /// The line break before the attribution, if it shares the paragraph.
    pub(super) break_at: Option<usize>,
    pub(super) name: String,
    /// Where the attribution line starts in the source.
    pub(super) offset: usize,
}

/// An attribution without its trailing time (`Leigh Ashton, 12:34`), and
/// the time as written and in seconds.
pub(super) fn quote_time(attribution: &str) -> (&str, Option<(&str, u64)>) {
    let Some((name, clock)) = attribution.rsplit_once(',') else {
        return (attribution, None);
    };
    let clock = clock.trim();
    let parts: Vec<&str> = clock.split(':').collect();
    let numbers: Option<Vec<u64>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())?
        })
        .collect();
    let seconds = match numbers.as_deref() {
        Some(&[m, s]) if s < 60 && parts[1].len() == 2 => Some(m * 60 + s),
        Some(&[h, m, s]) if m < 60 && s < 60 && parts[1].len() == 2 && parts[2].len() == 2 => {
            Some((h * 60 + m) * 60 + s)
        }
        _ => None,
    };
    match seconds {
        Some(seconds) => (name.trim_end(), Some((clock, seconds))),
        None => (attribution, None),
    }
}

/// A quote's time after its name: on a page with a player, marked for
/// salesbook.js to make it a button that seeks there.
pub(super) fn time_html(clock: &str, seconds: u64, has_media: bool) -> String {
    if has_media {
        format!(", <span class=\"quote-time\" data-seek=\"{seconds}\">{clock}</span>")
    } else {
        format!(", {clock}")
    }
}

/// The warning for a quote's time on a page with nothing to play.
pub(super) fn time_without_media(
    file: &str,
    line: usize,
    column: usize,
    clock: &str,
) -> Diagnostic {
    Diagnostic::warning(
        file,
        Some(line),
        format!("the quote's time {clock} has no recording to play on this page"),
    )
    .at_column(column)
    .with_hint("give the interview a `media:` file, or remove the time")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_after_the_last_comma_is_taken_off_the_name() {
        assert_eq!(
            quote_time("Leigh Ashton, 12:34"),
            ("Leigh Ashton", Some(("12:34", 754)))
        );
        assert_eq!(
            quote_time("Leigh Ashton,1:02:03"),
            ("Leigh Ashton", Some(("1:02:03", 3723)))
        );
        assert_eq!(quote_time("Leigh Ashton"), ("Leigh Ashton", None));
        for not_a_time in [
            "Leigh, trainer",
            "Leigh, 12:3",
            "Leigh, 12:60",
            "Leigh, 123:45",
            "Leigh, :12",
        ] {
            assert_eq!(quote_time(not_a_time), (not_a_time, None));
        }
    }
}
