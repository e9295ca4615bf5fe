//! `site.yaml`: the site's settings.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::strings::StringsProblem;
use crate::yaml;

pub const CONFIG_FILE: &str = "site.yaml";

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "extra",
    "lms",
    "broken_links",
    "brand",
    "strings",
    "review",
];

/// The keys of `brand:`.
const BRAND_KEYS: &[&str] = &["logo", "accent"];

#[derive(Debug, Clone, Deserialize)]
pub struct SiteConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "empty_map")]
    pub extra: serde_json::Value,
    /// `lms: scorm12`: `build` also writes one LMS package per track.
    #[serde(default)]
    pub lms: Option<Lms>,
    /// What a link to a missing page, heading or file is.
    #[serde(default)]
    pub broken_links: BrokenLinks,
    /// `brand: {logo, accent}`, as written; [`SiteConfig::brand`] reads it
    /// once [`load`] has checked it.
    #[serde(default, rename = "brand")]
    pub brand_keys: Option<BTreeMap<String, Option<String>>>,
    /// `strings:`: texts of the theme's table, by key, over the language's.
    #[serde(default, rename = "strings")]
    pub string_overrides: BTreeMap<String, String>,
    /// The table of `language` with `strings:` over it, made by [`load`].
    #[serde(skip)]
    pub strings: crate::strings::Strings,
    /// `review:`: the days after an exercise is done to practise it again
    /// (an exercise's own `review:` wins); `None` is the default schedule.
    #[serde(default)]
    pub review: Option<crate::review::Review>,
    /// The line of `theme:`, for diagnostics about the theme.
    #[serde(skip)]
    pub theme_line: Option<usize>,
}

/// Which LMS package format `build` writes besides the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lms {
    /// One SCORM 1.2 package per track: `OUT/lms/<track-slug>.zip`
    Scorm12,
    /// No packages (overrides `lms:` in site.yaml)
    None,
}

/// `broken_links:` in site.yaml: what a link (or image) in a body to a
/// missing page, heading or file is. `warn` lets a site brought from
/// elsewhere build while its old dead links are fixed over time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    #[default]
    Error,
    Warn,
}

impl BrokenLinks {
    /// The diagnostic for one broken link, of the severity chosen.
    pub fn diagnostic(
        self,
        file: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        match self {
            BrokenLinks::Error => Diagnostic::error(file, line, message),
            BrokenLinks::Warn => Diagnostic::warning(file, line, message),
        }
    }
}

/// Who the build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Audience {
    Learner,
    Facilitator,
}

impl Audience {
    pub fn name(self) -> &'static str {
        match self {
            Audience::Learner => "learner",
            Audience::Facilitator => "facilitator",
        }
    }
}

fn default_language() -> String {
    "en".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

fn empty_map() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

impl SiteConfig {
    /// The configured title; validated as present by [`load`].
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or_default()
    }

    /// `base_url` with exactly one trailing slash, or `None`.
    pub fn base_url(&self) -> Option<String> {
        self.base_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .map(|url| format!("{}/", url.trim_end_matches('/')))
    }
}

/// The site's identity in the built-in theme (`brand:` in site.yaml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Brand<'a> {
    /// A file of `static/`, site-relative (`logo.svg`), shown beside the title.
    pub logo: Option<&'a str>,
    /// `#rgb` or `#rrggbb`, as written.
    pub accent: Option<&'a str>,
}

impl SiteConfig {
    pub fn brand(&self) -> Brand<'_> {
        let value = |key: &str| {
            let keys = self.brand_keys.as_ref()?;
            keys.get(key)?.as_deref().map(str::trim)
        };
        Brand {
            logo: value("logo").map(|logo| logo.trim_start_matches('/')),
            accent: value("accent"),
        }
    }
}

/// Whether `colour` is a CSS hex colour, `#rgb` or `#rrggbb`.
pub fn is_hex_colour(colour: &str) -> bool {
    colour
        .strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// What is wrong with `brand:`: unknown keys, an accent that is not a hex
/// colour, a logo that is not a file of `static_dir`.
fn brand_problems(
    config: &SiteConfig,
    document: &yaml::Document,
    static_dir: Option<&Path>,
) -> Vec<Diagnostic> {
    let Some(keys) = &config.brand_keys else {
        return Vec::new();
    };
    let line_of = |key: &str| document.nested_key_line("brand", key);
    let mut problems = Vec::new();
    for key in keys.keys().filter(|k| !BRAND_KEYS.contains(&k.as_str())) {
        let hint = match crate::suggest::did_you_mean(key, BRAND_KEYS.iter().copied()) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("`brand` takes {}", BRAND_KEYS.join(" and ")),
        };
        problems.push(
            Diagnostic::error(
                CONFIG_FILE,
                line_of(key),
                format!("unknown key `brand.{key}`"),
            )
            .with_hint(hint),
        );
    }
    if keys.get("accent").is_some_and(Option::is_none) {
        problems.push(
            Diagnostic::error(CONFIG_FILE, line_of("accent"), "`brand.accent` is empty").with_hint(
                "put the colour in quotes, as `#` starts a comment in YAML: `accent: \"#0b5cad\"`",
            ),
        );
    }
    let brand = config.brand();
    if let Some(accent) = brand.accent.filter(|a| !is_hex_colour(a)) {
        problems.push(
            Diagnostic::error(
                CONFIG_FILE,
                line_of("accent"),
                format!("`brand.accent` `{accent}` is not a colour the theme can use"),
            )
            .with_hint("write it as #rgb or #rrggbb, in quotes: `accent: \"#0b5cad\"`"),
        );
    }
    if let (Some(logo), Some(static_dir)) = (brand.logo, static_dir) {
        let safe = logo.split('/').all(crate::content::slug::is_safe_segment);
        if !safe || !static_dir.join(logo).is_file() {
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line_of("logo"),
                    format!("`brand.logo` `/{logo}` is not a file in static/"),
                )
                .with_hint("put the logo in static/ and name it from there, e.g. `logo: /logo.svg` for static/logo.svg"),
            );
        }
    }
    problems
}

/// A problem of `language:` or `strings:` at its line.
fn strings_problem(problem: StringsProblem, document: &yaml::Document) -> Diagnostic {
    match problem {
        StringsProblem::UnknownLanguage {
            language,
            suggestion,
        } => {
            let built_in: Vec<String> = crate::strings::languages()
                .map(|code| format!("`{code}`"))
                .collect();
            let message = format!(
                "`language` `{language}` has no built-in translation; the built-in ones are {}",
                built_in.join(", ")
            );
            let hint = match suggestion {
                Some(code) => format!("did you mean `{code}`?"),
                None => "pick one of them (a regional tag such as `de-AT` uses `de`), and change any text under `strings:`".to_string(),
            };
            Diagnostic::error(CONFIG_FILE, document.key_line("language"), message).with_hint(hint)
        }
        StringsProblem::UnknownKey { key, suggestion } => {
            let hint = match suggestion {
                Some(known) => format!("did you mean `{known}`?"),
                None => "docs/themes.md lists where the keys are: themes/default/strings/en.yaml"
                    .to_string(),
            };
            Diagnostic::error(
                CONFIG_FILE,
                document.nested_key_line("strings", &key),
                format!("unknown key `strings.{key}`: the theme has no text of that name"),
            )
            .with_hint(hint)
        }
    }
}

/// What is wrong with a `base_url` (from site.yaml or `--base-url`), if
/// anything. Page paths are appended to it in the sitemap and the feed, so
/// a query or fragment would swallow them, and a space breaks the URL.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        Some("is not an absolute http(s) URL")
    } else if url.contains(['?', '#']) {
        Some("has a query (`?`) or a fragment (`#`)")
    } else if url.contains(|c: char| c.is_whitespace() || c.is_control()) {
        Some("contains a space (write it as %20)")
    } else {
        None
    }
}

/// Reads and validates `ROOT/site.yaml`.
pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    // Reading a named pipe or a device would wait forever.
    if std::fs::metadata(&path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(vec![Diagnostic::error(
            CONFIG_FILE,
            None,
            "site.yaml is not a regular file",
        )
        .with_hint("replace it with a plain text file")]);
    }
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            vec![
                Diagnostic::error(CONFIG_FILE, Some(1), "site.yaml is not valid UTF-8")
                    .with_hint("save it as UTF-8"),
            ]
        })?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![Diagnostic::error(
                CONFIG_FILE,
                None,
                format!("no site.yaml in {}", root.display()),
            )
            .with_hint("run salesbook in a site folder, or create site.yaml with at least `title: My site`")]);
        }
        Err(error) => {
            return Err(vec![Diagnostic::error(
                CONFIG_FILE,
                None,
                format!("cannot read site.yaml: {error}"),
            )])
        }
    };
    // `static/`, as the site calls it (crate::site::STATIC_DIR, above this module).
    parse(&text, Some(&root.join("static")))
}

/// Reads site.yaml's text; with `static_dir`, also checks that the files it
/// names are there.
fn parse(text: &str, static_dir: Option<&Path>) -> Result<SiteConfig, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let document = yaml::Document::new(text, 1);
    let mut problems = document.check_keys(CONFIG_FILE, KEYS, &[]);
    let Some(read) = document.deserialize::<SiteConfig>(CONFIG_FILE, &mut problems) else {
        return Err(problems);
    };
    let mut config = read.value;
    config.theme_line = document.key_line("theme");
    let bad_title = read.bad_keys.contains(&"title");
    if !bad_title && config.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        problems.push(
            Diagnostic::error(CONFIG_FILE, Some(1), "site.yaml has no `title`")
                .with_hint("add a line `title: Your site name`"),
        );
    }
    if let Some(url) = config.base_url() {
        if let Some(reason) = base_url_problem(&url) {
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    document.key_line("base_url"),
                    format!("`base_url` `{}` {reason}", url.trim_end_matches('/')),
                )
                .with_hint("for example `base_url: https://example.com/lab/`"),
            );
        }
    }
    if !crate::content::slug::is_safe_segment(&config.theme) {
        problems.push(
            Diagnostic::error(
                CONFIG_FILE,
                document.key_line("theme"),
                format!(
                    "`theme` must be a folder name under themes/, not `{}`",
                    config.theme
                ),
            )
            .with_hint("use letters, digits and dashes, e.g. `theme: default`"),
        );
    }
    problems.extend(brand_problems(&config, &document, static_dir));
    match crate::strings::Strings::new(config.language.trim(), &config.string_overrides) {
        Ok(strings) => config.strings = strings,
        Err(found) => problems.extend(found.into_iter().map(|p| strings_problem(p, &document))),
    }
    if let Some(review) = &config.review {
        problems.extend(crate::review::check(review, &document, CONFIG_FILE));
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        parse(text, None)
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = parse_text("title: Lab\n").unwrap();
        assert_eq!(config.title(), "Lab");
        assert_eq!(config.language, "en");
        assert_eq!(config.theme, "default");
        assert_eq!(config.base_url(), None);
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let config = parse_text("title: Lab\nbase_url: https://example.com/lab\n").unwrap();
        assert_eq!(config.base_url().unwrap(), "https://example.com/lab/");
    }

    #[test]
    fn base_url_with_a_query_fragment_or_space_is_an_error_at_its_line() {
        for (url, reason) in [
            (
                "https://e.com/lab?x=1",
                "has a query (`?`) or a fragment (`#`)",
            ),
            (
                "https://e.com/lab#top",
                "has a query (`?`) or a fragment (`#`)",
            ),
            ("https://e.com/my lab", "contains a space"),
            ("e.com/lab", "is not an absolute http(s) URL"),
        ] {
            let problems = parse_text(&format!("title: Lab\nbase_url: \"{url}\"\n")).unwrap_err();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].line, Some(2));
            assert!(problems[0].message.contains(reason), "{problems:?}");
        }
    }

    #[test]
    fn unknown_key_is_reported_at_its_line_with_suggestion() {
        let problems = parse_text("title: Lab\ndescripton: x\n").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "error: site.yaml:2:1: unknown key `descripton` (did you mean `description`?)"
        );
    }

    #[test]
    fn missing_title_is_an_error() {
        let problems = parse_text("language: en\n").unwrap_err();
        assert!(problems[0].message.contains("no `title`"));
    }

    #[test]
    fn broken_links_is_error_or_warn_with_a_suggestion() {
        assert_eq!(
            parse_text("title: Lab\n").unwrap().broken_links,
            BrokenLinks::Error
        );
        let config = parse_text("title: Lab\nbroken_links: warn\n").unwrap();
        assert_eq!(config.broken_links, BrokenLinks::Warn);
        let problems = parse_text("title: Lab\nbroken_links: warning\n").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "error: site.yaml:2:15: `broken_links` must be one of `error` or `warn`, not `warning` (did you mean `warn`?)"
        );
    }

    #[test]
    fn theme_cannot_escape_themes_folder() {
        let problems = parse_text("title: Lab\ntheme: ../x\n").unwrap_err();
        assert_eq!(problems[0].line, Some(2));
    }

    #[test]
    fn brand_reads_block_and_flow_mappings() {
        let flow =
            parse_text("title: Lab\nbrand: {logo: /img/logo.svg, accent: \"#0b5cad\"}\n").unwrap();
        let block =
            parse_text("title: Lab\nbrand:\n  logo: img/logo.svg\n  accent: '#0b5cad'\n").unwrap();
        for config in [flow, block] {
            let brand = config.brand();
            assert_eq!(brand.logo, Some("img/logo.svg"));
            assert_eq!(brand.accent, Some("#0b5cad"));
        }
        assert_eq!(
            parse_text("title: Lab\n").unwrap().brand(),
            Brand::default()
        );
    }

    #[test]
    fn brand_problems_are_reported_at_the_line_of_their_key() {
        let problems =
            parse_text("title: Lab\nbrand:\n  logo: /x.svg\n  acent: '#fff'\n  accent: blue\n")
                .unwrap_err();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "error: site.yaml:4: unknown key `brand.acent` (did you mean `accent`?)",
                "error: site.yaml:5: `brand.accent` `blue` is not a colour the theme can use (write it as #rgb or #rrggbb, in quotes: `accent: \"#0b5cad\"`)",
            ]
        );
    }

    #[test]
    fn an_unquoted_accent_is_a_comment_and_reported_as_empty() {
        let problems = parse_text("title: Lab\nbrand: {accent: #0b5cad}\n");
        // `{accent: #0b5cad}` leaves the mapping unclosed: YAML itself refuses it.
        assert!(problems.is_err());
        let problems = parse_text("title: Lab\nbrand:\n  accent: #0b5cad\n").unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(3));
        assert!(problems[0].message.contains("is empty"), "{problems:?}");
    }

    #[test]
    fn review_is_a_list_of_days_or_false_checked_at_its_line() {
        assert_eq!(parse_text("title: Lab\n").unwrap().review, None);
        let off = parse_text("title: Lab\nreview: false\n").unwrap();
        assert_eq!(off.review, Some(crate::review::Review::Off));
        let problems = parse_text("title: Lab\nreview: [7, 2]\n").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "error: site.yaml:2: `review` day 2 (2) does not come after day 1 (7) (list the days from the earliest to the latest, each once, e.g. `review: [2, 7, 21]`)"
        );
        let problems = parse_text("title: Lab\nreview: weekly\n").unwrap_err();
        assert_eq!(problems[0].line, Some(2), "{problems:?}");
        assert!(
            problems[0].message.contains("a list of days"),
            "{problems:?}"
        );
    }

    #[test]
    fn hex_colours_are_three_or_six_hex_digits() {
        for good in ["#fff", "#0B5CAD"] {
            assert!(is_hex_colour(good), "{good}");
        }
        for bad in ["fff", "#ffff", "#0b5cag", "blue", "#"] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }
}
