//! `site.yaml`: the site's settings.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
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
];

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
    parse(&text)
}

fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
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
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let config = parse("title: Lab\n").unwrap();
        assert_eq!(config.title(), "Lab");
        assert_eq!(config.language, "en");
        assert_eq!(config.theme, "default");
        assert_eq!(config.base_url(), None);
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let config = parse("title: Lab\nbase_url: https://example.com/lab\n").unwrap();
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
            let problems = parse(&format!("title: Lab\nbase_url: \"{url}\"\n")).unwrap_err();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].line, Some(2));
            assert!(problems[0].message.contains(reason), "{problems:?}");
        }
    }

    #[test]
    fn unknown_key_is_reported_at_its_line_with_suggestion() {
        let problems = parse("title: Lab\ndescripton: x\n").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "error: site.yaml:2:1: unknown key `descripton` (did you mean `description`?)"
        );
    }

    #[test]
    fn missing_title_is_an_error() {
        let problems = parse("language: en\n").unwrap_err();
        assert!(problems[0].message.contains("no `title`"));
    }

    #[test]
    fn broken_links_is_error_or_warn_with_a_suggestion() {
        assert_eq!(
            parse("title: Lab\n").unwrap().broken_links,
            BrokenLinks::Error
        );
        let config = parse("title: Lab\nbroken_links: warn\n").unwrap();
        assert_eq!(config.broken_links, BrokenLinks::Warn);
        let problems = parse("title: Lab\nbroken_links: warning\n").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "error: site.yaml:2:15: `broken_links` must be one of `error` or `warn`, not `warning` (did you mean `warn`?)"
        );
    }

    #[test]
    fn theme_cannot_escape_themes_folder() {
        let problems = parse("title: Lab\ntheme: ../x\n").unwrap_err();
        assert_eq!(problems[0].line, Some(2));
    }
}
