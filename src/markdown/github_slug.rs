//! Heading ids as GitHub makes them (the rule of the github-slugger
//! package), so that `#fragment` links written for a page previewed on
//! GitHub keep working here.
//!
//! The text is lower-cased; every character that is not a letter, a mark,
//! a decimal digit, a connector (`_`), a space or a `-` is removed; each
//! space becomes `-`. Nothing else: repeated `-` stay, as on GitHub.

/// The id GitHub gives a heading whose text is `text`, before numbering.
pub fn github_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        // Lower-casing first, as GitHub does: `İ` becomes `i` and a
        // combining dot, which is kept as a mark.
        if c.is_ascii() {
            push_ascii(&mut slug, c.to_ascii_lowercase());
        } else {
            for lower in c.to_lowercase() {
                if is_kept(lower) {
                    slug.push(lower);
                }
            }
        }
    }
    slug
}

fn push_ascii(slug: &mut String, c: char) {
    match c {
        ' ' => slug.push('-'),
        'a'..='z' | '0'..='9' | '-' | '_' => slug.push(c),
        _ => {}
    }
}

/// Whether a non-ASCII character stays in an id: letters (and whatever
/// else Unicode calls alphabetic, such as circled letters), marks, decimal
/// digits and connector punctuation. Symbols, other punctuation, other
/// numbers (`²`, `½`), spaces other than ` ` and format characters go.
fn is_kept(c: char) -> bool {
    c.is_alphabetic()
        || unicode_normalization::char::is_combining_mark(c)
        || is_decimal_digit(c)
        || CONNECTORS.contains(&c)
}

/// Unicode's connector punctuation (general category Pc) beyond `_`.
const CONNECTORS: &[char] = &[
    '\u{203F}', '\u{2040}', '\u{2054}', '\u{FE33}', '\u{FE34}', '\u{FE4D}', '\u{FE4E}', '\u{FE4F}',
    '\u{FF3F}',
];

/// Whether `c` is a decimal digit of some script (general category Nd):
/// the standard library's `is_numeric` also takes `²` and `½`, which
/// GitHub removes.
fn is_decimal_digit(c: char) -> bool {
    let c = u32::from(c);
    let after = DECIMAL_DIGITS.partition_point(|&(first, _)| first <= c);
    after > 0 && c <= DECIMAL_DIGITS[after - 1].1
}

/// The ranges of Unicode's decimal digits (Unicode 14), first and last.
const DECIMAL_DIGITS: &[(u32, u32)] = &[
    (0x30, 0x39),
    (0x660, 0x669),
    (0x6F0, 0x6F9),
    (0x7C0, 0x7C9),
    (0x966, 0x96F),
    (0x9E6, 0x9EF),
    (0xA66, 0xA6F),
    (0xAE6, 0xAEF),
    (0xB66, 0xB6F),
    (0xBE6, 0xBEF),
    (0xC66, 0xC6F),
    (0xCE6, 0xCEF),
    (0xD66, 0xD6F),
    (0xDE6, 0xDEF),
    (0xE50, 0xE59),
    (0xED0, 0xED9),
    (0xF20, 0xF29),
    (0x1040, 0x1049),
    (0x1090, 0x1099),
    (0x17E0, 0x17E9),
    (0x1810, 0x1819),
    (0x1946, 0x194F),
    (0x19D0, 0x19D9),
    (0x1A80, 0x1A89),
    (0x1A90, 0x1A99),
    (0x1B50, 0x1B59),
    (0x1BB0, 0x1BB9),
    (0x1C40, 0x1C49),
    (0x1C50, 0x1C59),
    (0xA620, 0xA629),
    (0xA8D0, 0xA8D9),
    (0xA900, 0xA909),
    (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9),
    (0xAA50, 0xAA59),
    (0xABF0, 0xABF9),
    (0xFF10, 0xFF19),
    (0x104A0, 0x104A9),
    (0x10D30, 0x10D39),
    (0x11066, 0x1106F),
    (0x110F0, 0x110F9),
    (0x11136, 0x1113F),
    (0x111D0, 0x111D9),
    (0x112F0, 0x112F9),
    (0x11450, 0x11459),
    (0x114D0, 0x114D9),
    (0x11650, 0x11659),
    (0x116C0, 0x116C9),
    (0x11730, 0x11739),
    (0x118E0, 0x118E9),
    (0x11950, 0x11959),
    (0x11C50, 0x11C59),
    (0x11D50, 0x11D59),
    (0x11DA0, 0x11DA9),
    (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9),
    (0x16B50, 0x16B59),
    (0x1D7CE, 0x1D7FF),
    (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9),
    (0x1E950, 0x1E959),
    (0x1FBF0, 0x1FBF9),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from github-slugger's own fixtures (before numbering).
    #[test]
    fn ids_are_the_ones_github_makes() {
        let cases = [
            ("alpha", "alpha"),
            ("bravoCharlieDelta", "bravocharliedelta"),
            ("__proto__", "__proto__"),
            ("echo 1", "echo-1"),
            ("heading with a - dash", "heading-with-a---dash"),
            (
                "heading with an _ underscore",
                "heading-with-an-_-underscore",
            ),
            ("heading with a period.txt", "heading-with-a-periodtxt"),
            (
                "exchange.bind_headers(exchange, routing [, bindCallback])",
                "exchangebind_headersexchange-routing--bindcallback",
            ),
            (" a ", "-a-"),
            ("-a-", "-a-"),
            (
                "apostrophe’s should be trimmed",
                "apostrophes-should-be-trimmed",
            ),
            ("I ♥ unicode", "i--unicode"),
            ("en–dash", "endash"),
            ("em—dash", "emdash"),
            ("😄 unicode emoji", "-unicode-emoji"),
            ("😄-😄 unicode emoji", "--unicode-emoji"),
            ("😄_😄 unicode emoji", "_-unicode-emoji"),
            ("😄 - an emoji", "---an-emoji"),
            (":smile: - a gemoji", "smile---a-gemoji"),
            ("Привет", "привет"),
            ("Профили пользователей", "профили-пользователей"),
            ("Привет non-latin 你好", "привет-non-latin-你好"),
            (":ok_hand: Single", "ok_hand-single"),
            ("a_ ‿ ⁀ ⁔ ︳ ︴ ﹍ ﹎ ﹏ ＿b", "a_-‿-⁀-⁔-︳-︴-﹍-﹎-﹏-＿b"),
            ("a$ ¢ £ € ₹b", "a----b"),
            ("a- ֊ ‐ – — －b", "a------b"),
            ("a0 1 ١ ٢ ० ๑ ０b", "a0-1-١-٢-०-๑-０b"),
            ("a² ½ ①b", "a--b"),
            ("aⅠ Ⅱ 〇b", "aⅰ-ⅱ-〇b"),
            ("à ̄ ́b", "à-̄-́b"),
            ("a» ’ ” ›b", "a---b"),
            ("a\u{a0} \u{2003} \u{3000}b", "a--b"),
            ("a\u{ad}\u{200b}\u{feff}b", "ab"),
            ("aǅ ᾈb", "aǆ-ᾀb"),
            ("aÀ Ø Ж İb", "aà-ø-ж-i̇b"),
            ("aⒼ 🄸b", "aⓖ-🄸b"),
        ];
        for (text, id) in cases {
            assert_eq!(github_slug(text), id, "{text:?}");
        }
    }

    #[test]
    fn what_salesbook_authors_write_gets_githubs_id() {
        let cases = [
            ("C++ for sellers", "c-for-sellers"),
            ("Q&A: pricing", "qa-pricing"),
            ("Step 1: Ask -- then listen", "step-1-ask----then-listen"),
            ("Café naïve", "café-naïve"),
            ("Don't pitch", "dont-pitch"),
            ("What's next?", "whats-next"),
            ("100% of calls", "100-of-calls"),
            ("商談の準備", "商談の準備"),
        ];
        for (text, id) in cases {
            assert_eq!(github_slug(text), id, "{text:?}");
        }
    }
}
