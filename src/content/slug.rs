//! Slugs: the URL segment of a page or topic.

/// The longest file or folder name most file systems allow, in bytes.
pub const MAX_SEGMENT_BYTES: usize = 255;

/// Lower-cases `text` and turns every run of characters that are not letters
/// or digits into one `-`: `"Cold Calling 101!"` becomes `cold-calling-101`.
/// The result only ever holds letters, digits and single inner dashes, so it
/// is always safe as a path segment (it may be empty).
pub fn slugify(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        return slugify_ascii(text);
    }
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    // Composed form first, so `é` typed as `e` + accent is one letter.
    for c in text.nfc() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            // Some lower-case forms add a combining mark (`İ` is `i` + U+0307),
            // which is no letter: keep only letters and digits.
            slug.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else if c != '\'' && c != '’' {
            // Apostrophes vanish ("what's" -> "whats"); everything else splits.
            pending_dash = true;
        }
    }
    // Dropping characters between combining marks can leave them out of
    // canonical order: compose again, so equal slugs are equal bytes (found
    // by fuzzing).
    slug.nfc().collect()
}

/// The slug of a tag, its topic's URL segment: [`slugify`], with `+`, `#`
/// and `&` spelt out first (`C++` is `c-plus-plus`, `C#` `c-sharp`, `Q&A`
/// `q-and-a`), so tags that differ by them get topics of their own rather
/// than one merged `topics/c/`.
pub fn tag_slug(tag: &str) -> String {
    if !tag.contains(['+', '#', '&']) {
        return slugify(tag);
    }
    let spelt = tag
        .replace('+', " plus ")
        .replace('#', " sharp ")
        .replace('&', " and ");
    slugify(&spelt)
}

/// [`slugify`] of ASCII text, byte by byte: most headings and topics are
/// ASCII, and every heading of every page is slugified.
fn slugify_ascii(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(char::from(byte.to_ascii_lowercase()));
        } else if byte != b'\'' {
            pending_dash = true;
        }
    }
    slug
}

/// Whether `segment` can be used as one folder name in the output: letters,
/// digits, `-`, `_` and `.`, not empty and not only dots. This excludes `/`,
/// `\`, `:`, NUL, control characters and whitespace, so a segment can never
/// leave its parent folder.
pub fn is_safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.chars().all(|c| c == '.')
        && segment
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_collapses_punctuation_and_spaces() {
        assert_eq!(slugify("Cold Calling 101!"), "cold-calling-101");
        assert_eq!(slugify("  What's next?  "), "whats-next");
        assert_eq!(slugify("Ünïcode Straße"), "ünïcode-straße");
        assert_eq!(slugify("---"), "");
        assert_eq!(slugify("cafe\u{301}"), "café");
        assert_eq!(slugify("İstanbul"), "istanbul");
        // U+0652 sorts before U+0670 once the apostrophe between them is gone.
        let slug = slugify("a\u{670}'\u{652}");
        assert_eq!(slug, "a\u{652}\u{670}");
        assert_eq!(slugify(&slug), slug);
    }

    #[test]
    fn ascii_text_slugifies_as_unicode_text_does() {
        // The same rules on both paths: the ASCII words of a text with one
        // non-ASCII letter at the end give the same slug plus that letter.
        for text in [
            "Cold Calling 101!",
            "  What's next?  ",
            "---",
            "a--b__c'd",
            "MIXED case, 3 Tries",
            "",
        ] {
            let ascii = slugify(text);
            let unicode = slugify(&format!("{text} é"));
            let expected = if ascii.is_empty() {
                "é".to_string()
            } else {
                format!("{ascii}-é")
            };
            assert_eq!(unicode, expected, "{text:?}");
        }
    }

    #[test]
    fn tags_that_differ_by_symbols_get_their_own_slugs() {
        assert_eq!(tag_slug("C++"), "c-plus-plus");
        assert_eq!(tag_slug("C#"), "c-sharp");
        assert_eq!(tag_slug("C"), "c");
        assert_eq!(tag_slug("Q&A"), "q-and-a");
        assert_eq!(tag_slug("Cold Calling"), slugify("Cold Calling"));
    }

    #[test]
    fn safe_segments_exclude_path_tricks() {
        for bad in [
            "", ".", "..", "a/b", "a\\b", "C:", "a\0b", "a\nb", "a b", "/abs",
        ] {
            assert!(!is_safe_segment(bad), "{bad:?} should be unsafe");
        }
        for good in ["three-tries", "v1.2", "a_b", "ünï"] {
            assert!(is_safe_segment(good), "{good:?} should be safe");
        }
    }
}
