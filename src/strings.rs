//! The words of the built-in theme: one table per language
//! (`themes/default/strings/<language>.yaml`, embedded), picked by
//! `language:` in site.yaml, with `strings:` there over it. Templates read
//! it through the function `t`, scripts through the `js.` keys the page
//! carries, and Rust through [`Strings::text`] (section titles, dates).

use std::collections::BTreeMap;

/// The built-in tables, by language code. English comes first: it is the
/// default, and the one every other table must match key for key.
const TABLES: &[(&str, &str)] = &[
    ("en", include_str!("../themes/default/strings/en.yaml")),
    ("de", include_str!("../themes/default/strings/de.yaml")),
    ("fr", include_str!("../themes/default/strings/fr.yaml")),
    ("es", include_str!("../themes/default/strings/es.yaml")),
];

/// The keys the page hands to its scripts start with this.
pub const SCRIPT_PREFIX: &str = "js.";

/// The script keys (after `js.`) only the LMS launch page carries.
const LMS_PREFIX: &str = "lms.";

/// The plural forms a key may have: `KEY.one` and `KEY.other`.
const PLURAL_FORMS: [&str; 2] = ["one", "other"];

/// The built-in languages' codes.
pub fn languages() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(code, _)| *code)
}

/// The table of the site's language with its overrides.
#[derive(Debug, Clone)]
pub struct Strings {
    /// As site.yaml writes it (`de-AT`), for `<html lang>`.
    language: String,
    /// The built-in table it uses (`de`), which also picks the plural rule.
    base: &'static str,
    table: BTreeMap<String, String>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings::built_in("en").unwrap_or_else(|| Strings {
            language: "en".to_string(),
            base: "en",
            table: BTreeMap::new(),
        })
    }
}

/// Why `language:` or `strings:` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringsProblem {
    /// No built-in table for the language or its base (`pt`, `pt-BR`).
    UnknownLanguage {
        language: String,
        suggestion: Option<&'static str>,
    },
    /// `strings:` names a key the table has not.
    UnknownKey {
        key: String,
        suggestion: Option<String>,
    },
}

impl Strings {
    /// The built-in table of `language` (`de`, or a regional tag of it such
    /// as `de-AT`, which gets the `de` table).
    pub fn built_in(language: &str) -> Option<Strings> {
        let base = base_language(language);
        let (code, text) = TABLES
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(base))?;
        Some(Strings {
            language: language.to_string(),
            base: code,
            table: parse_table(text),
        })
    }

    /// The table of `language` with `overrides` over it.
    pub fn new(
        language: &str,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Strings, Vec<StringsProblem>> {
        let Some(mut strings) = Strings::built_in(language) else {
            let base = base_language(language).to_ascii_lowercase();
            return Err(vec![StringsProblem::UnknownLanguage {
                language: language.to_string(),
                suggestion: crate::suggest::did_you_mean(&base, languages()),
            }]);
        };
        let mut problems = Vec::new();
        for (key, text) in overrides {
            match strings.table.get_mut(key) {
                Some(slot) => *slot = text.clone(),
                None => problems.push(StringsProblem::UnknownKey {
                    key: key.clone(),
                    suggestion: strings.suggest_key(key),
                }),
            }
        }
        if problems.is_empty() {
            Ok(strings)
        } else {
            Err(problems)
        }
    }

    /// The language as site.yaml writes it, for `<html lang>`.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Every key and its text, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.table.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The text of `key` as the table has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.table.get(key).map(String::as_str)
    }

    /// The text of a key salesbook itself uses: the tests check that every
    /// table has each, so the key itself shows only if one were missing.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).unwrap_or(key)
    }

    /// The text of `key` for `count` things: the key itself, else its form
    /// `KEY.one` or `KEY.other` by the language's plural rule.
    pub fn counted(&self, key: &str, count: i64) -> Option<&str> {
        if let Some(text) = self.get(key) {
            return Some(text);
        }
        let form = if self.is_singular(count) {
            "one"
        } else {
            "other"
        };
        self.get(&format!("{key}.{form}"))
    }

    /// Whether `count` takes the singular: 1 in English, German and
    /// Spanish; 0 and 1 in French.
    pub fn is_singular(&self, count: i64) -> bool {
        match self.base {
            "fr" => count == 0 || count == 1,
            _ => count == 1,
        }
    }

    /// Whether `key` names a text, directly or by its plural forms.
    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
            || PLURAL_FORMS
                .iter()
                .all(|form| self.table.contains_key(&format!("{key}.{form}")))
    }

    /// The key closest to `key`, counting plural keys by their stem.
    pub fn suggest_key(&self, key: &str) -> Option<String> {
        let stems = self.table.keys().map(|k| plural_stem(k).unwrap_or(k));
        let plain = self.table.keys().map(String::as_str);
        crate::suggest::did_you_mean(key, plain.chain(stems)).map(str::to_string)
    }

    /// `{name}` in `text` replaced by each argument's value.
    pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
        let mut filled = text.to_string();
        for (name, value) in args {
            filled = filled.replace(&format!("{{{name}}}"), value);
        }
        filled
    }

    /// `2026-12-08` in words: `8 December 2026`, `8. Dezember 2026`.
    pub fn date(&self, date: &str) -> String {
        let months = MONTH_KEYS.map(|key| self.text(key));
        crate::text::display_date(date, self.text("date.format"), months)
    }

    /// `count` with the language's digit grouping, as browsers' `Intl`
    /// writes it: `1,234` in English, `1.234` in German, `1 234` (a narrow
    /// space) in French; Spanish groups from five digits on (`1234`, `12.345`).
    pub fn number(&self, count: i64) -> String {
        let digits = count.unsigned_abs().to_string();
        let (separator, shortest_grouped) = match self.base {
            "de" => (".", 4),
            "es" => (".", 5),
            "fr" => ("\u{202f}", 4),
            _ => (",", 4),
        };
        if digits.len() < shortest_grouped {
            return count.to_string();
        }
        group(&digits, separator, count < 0)
    }

    /// The `js.` keys, as the JSON object a page carries for its scripts
    /// (safe inside `<script>`: `<` is written as `\u003c`). Those under
    /// `js.lms.` only with `for_lms_launch`: the launch page of an LMS
    /// package is the one that shows them.
    pub fn script_json(&self, for_lms_launch: bool) -> String {
        let scripts: BTreeMap<&str, &str> = self
            .entries()
            .filter_map(|(key, text)| Some((key.strip_prefix(SCRIPT_PREFIX)?, text)))
            .filter(|(key, _)| for_lms_launch || !key.starts_with(LMS_PREFIX))
            .collect();
        serde_json::to_string(&scripts)
            .unwrap_or_else(|_| "{}".to_string())
            .replace('<', "\\u003c")
    }
}

/// The keys of the month names, January first.
const MONTH_KEYS: [&str; 12] = [
    "date.month.1",
    "date.month.2",
    "date.month.3",
    "date.month.4",
    "date.month.5",
    "date.month.6",
    "date.month.7",
    "date.month.8",
    "date.month.9",
    "date.month.10",
    "date.month.11",
    "date.month.12",
];

/// `digits` in groups of three from the right.
fn group(digits: &str, separator: &str, negative: bool) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if negative {
        grouped.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push_str(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// `de` of `de-AT` or `de_AT`.
fn base_language(language: &str) -> &str {
    language.split(['-', '_']).next().unwrap_or(language).trim()
}

/// `card.steps` of `card.steps.one`.
fn plural_stem(key: &str) -> Option<&str> {
    let (stem, form) = key.rsplit_once('.')?;
    PLURAL_FORMS.contains(&form).then_some(stem)
}

/// A built-in table's keys and texts. The tables are tested to parse, so a
/// broken one could only come from a change the tests reject.
fn parse_table(text: &str) -> BTreeMap<String, String> {
    serde_yaml::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(code: &str) -> BTreeMap<String, String> {
        let text = TABLES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, text)| *text)
            .expect("a built-in table");
        serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{code}.yaml: {e}"))
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_table_has_exactly_the_keys_of_english() {
        let english = table("en");
        assert!(english.len() > 100, "{} keys", english.len());
        for code in languages().skip(1) {
            let other = table(code);
            let missing: Vec<&String> =
                english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<&String> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code}.yaml lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{code}.yaml has keys English has not: {extra:?}"
            );
        }
    }

    #[test]
    fn every_translation_keeps_the_placeholders_of_english() {
        let english = table("en");
        for code in languages().skip(1) {
            let other = table(code);
            for (key, text) in &english {
                let theirs = other.get(key).map(String::as_str).unwrap_or_default();
                let mut expected = placeholders(text);
                // A singular may say the number in words ("once", "einmal").
                if key.ends_with(".one") && !theirs.contains("{count}") {
                    expected.retain(|name| *name != "count");
                }
                assert_eq!(placeholders(theirs), expected, "{code}.yaml `{key}`");
                assert!(!theirs.trim().is_empty(), "{code}.yaml `{key}` is empty");
            }
        }
    }

    #[test]
    fn plural_keys_come_in_pairs() {
        let english = table("en");
        for key in english.keys() {
            if let Some(stem) = plural_stem(key) {
                for form in PLURAL_FORMS {
                    assert!(
                        english.contains_key(&format!("{stem}.{form}")),
                        "{stem}.{form}"
                    );
                }
            }
        }
    }

    #[test]
    fn french_takes_the_singular_for_zero_and_the_others_do_not() {
        let forms = |code: &str| -> Vec<bool> {
            let strings = Strings::built_in(code).expect("a table");
            [0, 1, 2].iter().map(|&n| strings.is_singular(n)).collect()
        };
        assert_eq!(forms("en"), [false, true, false]);
        assert_eq!(forms("de"), [false, true, false]);
        assert_eq!(forms("es"), [false, true, false]);
        assert_eq!(forms("fr"), [true, true, false]);
        let fr = Strings::built_in("fr").expect("fr");
        let en = Strings::built_in("en").expect("en");
        assert_eq!(fr.counted("card.steps", 0), fr.get("card.steps.one"));
        assert_eq!(en.counted("card.steps", 0), en.get("card.steps.other"));
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        let date = |code: &str, text: &str| Strings::built_in(code).expect("a table").date(text);
        assert_eq!(date("en", "2026-12-08"), "8 December 2026");
        assert_eq!(date("de", "2026-12-08"), "8. Dezember 2026");
        assert_eq!(date("fr", "2026-12-08"), "8 décembre 2026");
        assert_eq!(date("es", "2026-12-08"), "8 de diciembre de 2026");
        assert_eq!(date("de-AT", "2026-03-02"), "2. März 2026");
        assert_eq!(date("en", "2026-13-01"), "2026-13-01");
    }

    #[test]
    fn numbers_are_grouped_as_each_language_groups_them() {
        let number = |code: &str, n: i64| Strings::built_in(code).expect("a table").number(n);
        assert_eq!(number("en", 1234567), "1,234,567");
        assert_eq!(number("de", 1234), "1.234");
        assert_eq!(number("es", 1234), "1234");
        assert_eq!(number("es", 12345), "12.345");
        assert_eq!(number("fr", 12345), "12\u{202f}345");
        assert_eq!(number("en", 999), "999");
        assert_eq!(number("en", -1000), "-1,000");
    }

    #[test]
    fn a_regional_tag_gets_its_base_table_and_keeps_its_name() {
        let strings = Strings::new("de-AT", &BTreeMap::new()).expect("de-AT");
        assert_eq!(strings.language(), "de-AT");
        assert_eq!(
            strings.get("quiz.check"),
            Strings::built_in("de").unwrap().get("quiz.check")
        );
    }

    #[test]
    fn an_unknown_language_or_key_is_refused_with_a_suggestion() {
        assert_eq!(
            Strings::new("dee", &BTreeMap::new()).unwrap_err(),
            [StringsProblem::UnknownLanguage {
                language: "dee".to_string(),
                suggestion: Some("de"),
            }]
        );
        let overrides = BTreeMap::from([("quiz.chek".to_string(), "Prüfen".to_string())]);
        assert_eq!(
            Strings::new("en", &overrides).unwrap_err(),
            [StringsProblem::UnknownKey {
                key: "quiz.chek".to_string(),
                suggestion: Some("quiz.check".to_string()),
            }]
        );
        let overrides = BTreeMap::from([("quiz.check".to_string(), "Try it".to_string())]);
        let strings = Strings::new("en", &overrides).expect("a known key");
        assert_eq!(strings.get("quiz.check"), Some("Try it"));
    }

    #[test]
    fn scripts_get_the_js_keys_only_safe_inside_a_script_element() {
        let overrides = BTreeMap::from([("js.quiz.right".to_string(), "</script><b>".to_string())]);
        let strings = Strings::new("en", &overrides).expect("strings");
        let json = strings.script_json(false);
        assert!(
            json.contains("\"quiz.right\":\"\\u003c/script>\\u003cb>\""),
            "{json}"
        );
        assert!(!json.contains("quiz.check"), "{json}");
        assert!(!json.contains("lms.overview"), "{json}");
        assert!(strings.script_json(true).contains("\"lms.overview\""));
    }
}
