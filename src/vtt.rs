//! WebVTT transcripts: the cues of a `.vtt` file (times, speaker, text),
//! read for an interview's captions and its transcript section.
//!
//! What an interview needs of the format, no more: the `WEBVTT` header,
//! cues with an optional id, `hh:mm:ss.mmm` or `mm:ss.mmm` times and
//! settings after them, multi-line text, `<v Speaker>` voice tags (other
//! tags are dropped), NOTE, STYLE and REGION blocks (skipped), a BOM and
//! CRLF line ends.

use crate::diagnostics::Diagnostic;

/// One cue: when it is said, by whom, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// Milliseconds from the start of the recording.
    pub start_ms: u64,
    pub end_ms: u64,
    /// The name of the cue's first `<v Name>` voice tag.
    pub speaker: Option<String>,
    /// The text without tags, its lines joined by spaces.
    pub text: String,
}

/// Reads the cues of `text`, a WebVTT file shown in diagnostics as `file`;
/// the first thing wrong is an error at its line and column.
pub fn parse(text: &str, file: &str) -> Result<Vec<Cue>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    let header = lines.first().copied().unwrap_or_default();
    let signature = header.strip_prefix("WEBVTT");
    if !signature.is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return Err(Diagnostic::error(
            file,
            Some(1),
            "a WebVTT file starts with the line `WEBVTT`",
        )
        .at_column(1)
        .with_hint("put `WEBVTT` on the first line, a blank line, then the cues"));
    }
    let mut cues = Vec::new();
    // Blocks are separated by blank lines; the header is the first.
    let mut at = skip_block(&lines, 0);
    while at < lines.len() {
        if lines[at].trim().is_empty() {
            at += 1;
            continue;
        }
        let end = skip_block(&lines, at);
        let block = &lines[at..end];
        if !is_skipped_block(block[0]) {
            cues.push(cue(block, at + 1, file)?);
        }
        at = end;
    }
    Ok(cues)
}

/// The index of the blank line (or end) after the block starting at `at`.
fn skip_block(lines: &[&str], at: usize) -> usize {
    (at..lines.len())
        .find(|&i| lines[i].trim().is_empty())
        .unwrap_or(lines.len())
}

/// Comments and styling, which a transcript does not show.
fn is_skipped_block(first: &str) -> bool {
    ["NOTE", "STYLE", "REGION"].iter().any(|word| {
        first
            .strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// One cue block; `line` is the file line of its first line.
fn cue(block: &[&str], line: usize, file: &str) -> Result<Cue, Diagnostic> {
    // An optional id line comes before the times.
    let (timing_at, timing) = match block.iter().position(|l| l.contains("-->")) {
        Some(0) => (0, block[0]),
        Some(1) => (1, block[1]),
        _ => {
            return Err(Diagnostic::error(
                file,
                Some(line + usize::from(block.len() > 1)),
                "this cue has no times",
            )
            .at_column(1)
            .with_hint(
                "start each cue with a line such as `00:01.000 --> 00:04.000`, after a blank line",
            ));
        }
    };
    let line = line + timing_at;
    let (start, end) = times(timing, line, file)?;
    let mut speaker = None;
    let mut words = Vec::new();
    for text in &block[timing_at + 1..] {
        let (plain, voice) = strip_tags(text);
        speaker = speaker.or(voice);
        if !plain.trim().is_empty() {
            words.push(plain.trim().to_string());
        }
    }
    Ok(Cue {
        start_ms: start,
        end_ms: end,
        speaker,
        text: words.join(" "),
    })
}

/// The start and end of a timing line `start --> end [settings]`.
fn times(timing: &str, line: usize, file: &str) -> Result<(u64, u64), Diagnostic> {
    let arrow = timing.find("-->").unwrap_or_default();
    let left = &timing[..arrow];
    let start_column = left.len() - left.trim_start().len() + 1;
    let start = timestamp(left.trim(), line, start_column, file)?;
    let right = &timing[arrow + 3..];
    let end_column = arrow + 3 + right.len() - right.trim_start().len() + 1;
    let end_text = right.split_whitespace().next().unwrap_or_default();
    let end = timestamp(end_text, line, end_column, file)?;
    if end <= start {
        return Err(Diagnostic::error(
            file,
            Some(line),
            format!("this cue ends at {end_text}, not after it starts"),
        )
        .at_column(end_column)
        .with_hint("give each cue an end time later than its start"));
    }
    Ok((start, end))
}

/// Milliseconds of `hh:mm:ss.mmm` or `mm:ss.mmm`.
fn timestamp(text: &str, line: usize, column: usize, file: &str) -> Result<u64, Diagnostic> {
    let wrong = || {
        let shown = if text.is_empty() { "nothing" } else { text };
        Diagnostic::error(
            file,
            Some(line),
            format!("a cue time must look like 01:02.500 or 1:02:03.500, not {shown}"),
        )
        .at_column(column)
        .with_hint("write minutes:seconds.milliseconds, with hours first past an hour")
    };
    let (clock, millis) = text.split_once('.').ok_or_else(wrong)?;
    let parts: Vec<&str> = clock.split(':').collect();
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    let hours_ok = parts.len() == 2 || parts.len() == 3;
    let all_digits = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let minutes_seconds = &parts[parts.len().saturating_sub(2)..];
    if !hours_ok
        || !all_digits
        || !digits(millis, 3)
        || !minutes_seconds.iter().all(|p| digits(p, 2))
    {
        return Err(wrong());
    }
    let number = |s: &str| s.parse::<u64>().map_err(|_| wrong());
    let (minutes, seconds) = (number(minutes_seconds[0])?, number(minutes_seconds[1])?);
    if minutes > 59 || seconds > 59 {
        return Err(wrong());
    }
    let hours = if parts.len() == 3 {
        number(parts[0])?
    } else {
        0
    };
    Ok(((hours * 60 + minutes) * 60 + seconds) * 1000 + number(millis)?)
}

/// A cue text line without its tags (entities decoded), and the name of
/// its first voice tag.
fn strip_tags(text: &str) -> (String, Option<String>) {
    let mut plain = String::new();
    let mut voice = None;
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        plain.push_str(&rest[..open]);
        let tag_end = rest[open..].find('>').map_or(rest.len(), |end| open + end);
        let tag = &rest[open + 1..tag_end];
        // `<v Name>` or `<v.class Name>`: the name follows the first space.
        let is_voice = tag.starts_with('v') && (tag[1..].starts_with([' ', '\t', '.']));
        if is_voice && voice.is_none() {
            let name = tag.split_once([' ', '\t']).map_or("", |(_, n)| n.trim());
            voice = (!name.is_empty()).then(|| decode(name));
        }
        rest = &rest[(tag_end + 1).min(rest.len())..];
    }
    plain.push_str(rest);
    (decode(&plain), voice)
}

/// The character references WebVTT text uses most.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lrm;", "\u{200e}")
        .replace("&rlm;", "\u{200f}")
        .replace("&amp;", "&")
}

/// `m:ss` or `h:mm:ss` for a time in milliseconds, as a transcript shows it.
pub fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(text, "static/t.vtt").unwrap_err().to_string()
    }

    #[test]
    fn reads_cues_with_ids_settings_voices_and_several_lines() {
        let text = "\u{feff}WEBVTT - interview\r\nKind: captions\r\n\r\nNOTE a comment\r\nover two lines\r\n\r\n\
                    intro\r\n00:01.000 --> 00:04.500 align:start line:0\r\n<v Leigh Ashton>Try it\r\n<i>three</i> times &amp; reflect.</v>\r\n\r\n\
                    01:02:03.004 --> 01:02:05.000\r\n<v.loud Sam Lee>Then tweak it.\r\n";
        let cues = parse(text, "t.vtt").unwrap();
        assert_eq!(
            cues,
            [
                Cue {
                    start_ms: 1000,
                    end_ms: 4500,
                    speaker: Some("Leigh Ashton".into()),
                    text: "Try it three times & reflect.".into(),
                },
                Cue {
                    start_ms: 3_723_004,
                    end_ms: 3_725_000,
                    speaker: Some("Sam Lee".into()),
                    text: "Then tweak it.".into(),
                },
            ]
        );
    }

    #[test]
    fn a_file_without_cues_is_empty_and_a_cue_without_voice_has_no_speaker() {
        assert_eq!(parse("WEBVTT\n", "t.vtt").unwrap(), []);
        let cues = parse("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n", "t.vtt").unwrap();
        assert_eq!(cues[0].speaker, None);
        assert_eq!(cues[0].text, "Hello");
    }

    #[test]
    fn the_header_is_required() {
        assert_eq!(
            error("00:01.000 --> 00:02.000\nHi\n"),
            "error: static/t.vtt:1:1: a WebVTT file starts with the line `WEBVTT` (put `WEBVTT` on the first line, a blank line, then the cues)"
        );
        assert!(error("WEBVTTX\n").contains(":1:1:"));
    }

    #[test]
    fn bad_times_are_errors_at_their_line_and_column() {
        let found = error("WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:03.000 --> 0:04\nB\n");
        assert!(
            found.starts_with("error: static/t.vtt:6:15: a cue time must look like 01:02.500 or 1:02:03.500, not 0:04"),
            "{found}"
        );
        let found = error("WEBVTT\n\n00:61.000 --> 01:02.000\nA\n");
        assert!(found.starts_with("error: static/t.vtt:3:1:"), "{found}");
        let found = error("WEBVTT\n\n00:05.000 --> 00:02.000\nA\n");
        assert!(
            found.starts_with(
                "error: static/t.vtt:3:15: this cue ends at 00:02.000, not after it starts"
            ),
            "{found}"
        );
    }

    #[test]
    fn a_cue_without_times_is_an_error_at_the_line_that_should_have_them() {
        let found = error("WEBVTT\n\nintro\nHello there\n");
        assert!(
            found.starts_with("error: static/t.vtt:4:1: this cue has no times"),
            "{found}"
        );
    }

    #[test]
    fn clock_shows_minutes_and_hours() {
        assert_eq!(clock(754_000), "12:34");
        assert_eq!(clock(5_000), "0:05");
        assert_eq!(clock(3_723_004), "1:02:03");
    }
}
