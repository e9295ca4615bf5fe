//! Shortcodes of other generators in a body: Hugo's `{{< … >}}` and
//! `{{% … %}}`, Liquid's `{% … %}` (Jekyll). salesbook has none: each is
//! left as text exactly as written (no curled quotes) with a warning.
//! `{{ … }}` is not one of them: it is also how mail-merge fields, common
//! in sales templates, are written.

use std::ops::Range;

/// One shortcode found in a body.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Shortcode {
    /// Its bytes in the body, delimiters included.
    pub range: Range<usize>,
    /// Whose construct it is, for the warning.
    pub generator: &'static str,
    /// Whether its warning was given.
    pub warned: bool,
}

/// Openers, their closers and whose they are; a longer opener first.
const DELIMITERS: [(&str, &str, &str); 3] = [
    ("{{<", ">}}", "a Hugo shortcode"),
    ("{{%", "%}}", "a Hugo shortcode"),
    ("{%", "%}", "a Liquid tag (Jekyll)"),
];

/// A shortcode longer than this is taken for something else (a stray
/// `{%` in prose): the search for its closer stops there.
const LONGEST: usize = 2000;

/// The shortcodes of `body`, in order. One ends at its first closer, on
/// the same paragraph (no blank line inside).
pub(super) fn find_shortcodes(body: &str) -> Vec<Shortcode> {
    let mut found = Vec::new();
    let mut next_free = 0;
    for start in memchr::memchr_iter(b'{', body.as_bytes()) {
        if start < next_free {
            continue;
        }
        let rest = &body[start..];
        let Some(&(opener, closer, generator)) = DELIMITERS
            .iter()
            .find(|(opener, _, _)| rest.starts_with(opener))
        else {
            continue;
        };
        let window = &rest[..floor_char_boundary(rest, LONGEST)];
        let Some(close) = window[opener.len()..].find(closer) else {
            continue;
        };
        let end = start + opener.len() + close + closer.len();
        if body[start..end].contains("\n\n") || body[start..end].contains("\n\r\n") {
            continue;
        }
        found.push(Shortcode {
            range: start..end,
            generator,
            warned: false,
        });
        next_free = end;
    }
    found
}

/// The shortcode as a message shows it: white space runs made one space,
/// at most 60 characters.
pub(super) fn shown(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let one_line = words.join(" ");
    match one_line.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// The largest index at most `at` that is a character boundary of `text`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(body: &str) -> Vec<&str> {
        find_shortcodes(body)
            .into_iter()
            .map(|shortcode| &body[shortcode.range])
            .collect()
    }

    #[test]
    fn hugo_and_liquid_shortcodes_are_found_to_their_closers() {
        let body = "See {{< youtube id=\"x\" >}} and {{% note %}}Hi{{% /note %}}.\n\
                    {% include card.html title=\"A\" %} and {{ first_name }}.\n";
        assert_eq!(
            ranges(body),
            [
                "{{< youtube id=\"x\" >}}",
                "{{% note %}}",
                "{{% /note %}}",
                "{% include card.html title=\"A\" %}",
            ]
        );
        let found = find_shortcodes(body);
        assert_eq!(found[0].generator, "a Hugo shortcode");
        assert_eq!(found[3].generator, "a Liquid tag (Jekyll)");
    }

    #[test]
    fn an_unclosed_or_paragraph_spanning_opener_is_no_shortcode() {
        assert!(ranges("50{% of calls\n\nend %}").is_empty());
        assert!(ranges("{{< never closed").is_empty());
        let far = format!("{{% {} %}}", "x".repeat(LONGEST));
        assert!(ranges(&far).is_empty());
        assert_eq!(ranges("{{< a\n  b >}}"), ["{{< a\n  b >}}"]);
    }

    #[test]
    fn a_long_shortcode_is_shown_cut() {
        assert_eq!(shown("{{< youtube\n   id=x >}}"), "{{< youtube id=x >}}");
        assert!(shown(&format!("{{% {} %}}", "é".repeat(100))).ends_with('…'));
    }
}
