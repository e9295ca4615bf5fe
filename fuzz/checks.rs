//! The invariants the fuzz targets check, one function per target.
//!
//! Shared by `fuzz/fuzz_targets/*.rs` (run by `cargo fuzz`) and by the
//! normal test suite (`tests/suite/fuzz_replay.rs`), which runs every seed
//! of `fuzz/corpus/<target>/` through the same function, so the corpus and
//! every crash found so far are checked by CI without cargo-fuzz.
//! Each function panics when an invariant breaks.

#![allow(dead_code)]

use std::net::IpAddr;
use std::path::{Component, Path};

use salesbook::content::frontmatter::{self, Details};
use salesbook::content::slug::{is_safe_segment, slugify};
use salesbook::content::Kind;
use salesbook::diagnostics::Diagnostic;
use salesbook::markdown::{self, LinkProblem, PageContext, RenderOptions, Resolver};
use salesbook::output::safe_relative_path;
use salesbook::serve::{host_is_allowed, site_relative_path};
use unicode_normalization::UnicodeNormalization;

/// A fuzz target: what it does with one input.
pub type Check = fn(&[u8]);

/// The targets, by the name of their folder under `fuzz/corpus/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("front_matter", front_matter),
    ("markdown", markdown),
    ("slug_paths", slug_paths),
    ("request_path", request_path),
];

const FILE: &str = "content/x.md";

/// Lines of `text` as YAML and editors count them: `\r\n`, `\n` and a
/// lone `\r` each end a line (the fuzzer found front matter with lone `\r`
/// line breaks, which the YAML parser counts).
fn line_count(text: &str) -> usize {
    let breaks =
        text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    breaks + 1
}

/// A diagnostic points into the file it is about, at a line the file has.
fn assert_located(problem: &Diagnostic, lines: usize) {
    assert_eq!(problem.file, FILE, "{problem:?}");
    if let Some(line) = problem.line {
        assert!(
            (1..=lines + 1).contains(&line),
            "line {line} outside a file of {lines} lines: {problem:?}"
        );
    }
    assert!(!problem.message.is_empty(), "{problem:?}");
}

/// Whether a browser would run or embed something for this URL: its scheme
/// as a browser reads it (leading spaces and controls dropped, tabs and
/// newlines removed anywhere, case ignored).
fn is_dangerous_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// `frontmatter::split` + `frontmatter::parse` for each kind: never panics;
/// every problem is at a line of the file; accepted front matter has a safe
/// slug, safe URLs and the required fields.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = line_count(text);
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(problem) => {
            assert_eq!(problem.line, Some(1), "{problem:?}");
            return;
        }
    };
    assert_eq!(split.yaml_line, 2);
    assert!(split.body_line >= 3 && split.body_line <= lines + 1);
    // The simple reader of usual front matter reads nothing otherwise than
    // the full YAML parser does.
    if let Err(difference) = frontmatter::simple_reader_agrees(split.yaml) {
        panic!("{difference}");
    }
    for kind in Kind::ALL {
        match frontmatter::parse(kind, split.yaml, split.yaml_line, FILE) {
            Err(problems) => {
                assert!(!problems.is_empty(), "an error without a diagnostic");
                for problem in &problems {
                    assert_located(problem, lines);
                }
            }
            Ok(front) => {
                if let Some(slug) = &front.common.slug {
                    // As it is used: composed (NFC).
                    let composed: String = slug.nfc().collect();
                    assert!(is_safe_segment(&composed), "accepted slug {slug:?}");
                }
                if kind != Kind::Speaker {
                    assert!(front.common.title.is_some_and(|t| !t.trim().is_empty()));
                }
                let urls: Vec<&str> = match &front.details {
                    Details::Interview(f) => f
                        .source
                        .iter()
                        .chain(&f.media)
                        .map(|s| s.as_str())
                        .collect(),
                    Details::Speaker(f) => f
                        .photo
                        .iter()
                        .map(|s| s.as_str())
                        .chain(f.links.iter().map(|l| l.url.as_str()))
                        .collect(),
                    _ => Vec::new(),
                };
                for url in urls {
                    assert!(!is_dangerous_url(url), "accepted unsafe URL {url:?}");
                }
            }
        }
    }
}

/// A site of three pages for link rewriting: `exercises/a`, a draft
/// `exercises/draft`, and the speaker `Al Smith`; static `img/x.png`.
struct Fixture;

impl Resolver for Fixture {
    fn page(&self, reference: &str) -> Result<String, LinkProblem> {
        match reference {
            "exercises/a" => Ok("exercises/a/".to_string()),
            "" | "_index" => Ok(String::new()),
            "exercises/draft" => Err(LinkProblem::Draft),
            _ => Err(LinkProblem::Missing { suggestion: None }),
        }
    }

    fn root_path_exists(&self, path: &str) -> bool {
        matches!(path, "img/x.png" | "exercises/" | "exercises/a/")
    }

    fn page_at(&self, path: &str) -> Option<String> {
        (path == "exercises/a/").then(|| "exercises/a".to_string())
    }

    fn speaker_url(&self, name: &str) -> Option<String> {
        (name == "Al Smith").then(|| "speakers/al/".to_string())
    }
}

/// `markdown::render` of one page with link rewriting: never panics; every
/// problem is at a line of the body; without errors, heading ids are
/// unique and never the theme's.
pub fn markdown(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    // The first byte picks the audience, so both paths are fuzzed.
    let facilitator = data.first().is_some_and(|b| b & 1 == 1);
    let body_line = 4;
    let context = PageContext::own(FILE, "exercises/x", "exercises/x/", body_line);
    let options = RenderOptions {
        facilitator,
        broken_links: Default::default(),
    };
    let rendered = markdown::render(body, &context, &Fixture, options);
    let lines = body_line + line_count(body);
    for problem in &rendered.problems {
        assert_located(problem, lines);
        if let Some(line) = problem.line {
            assert!(line >= body_line, "{problem:?} is before the body");
        }
    }
    // Without an error, heading ids are unique and leave the theme's alone
    // (an explicit `{#main}` or `{#sb-x}` is an error at its line).
    let failed = rendered
        .problems
        .iter()
        .any(|p| p.severity == salesbook::diagnostics::Severity::Error);
    if !failed {
        let mut seen = std::collections::HashSet::new();
        for heading in rendered.headings.iter() {
            let id = heading.id;
            assert!(seen.insert(id), "duplicate id {id:?}");
            assert!(!markdown::RESERVED_IDS.contains(&id), "reserved id {id:?}");
            assert!(
                !id.starts_with(markdown::THEME_ID_PREFIX),
                "theme id {id:?}"
            );
        }
    }
    for link in &rendered.fragment_links {
        assert!(link.line >= body_line && link.line <= lines + 1, "{link:?}");
    }
}

/// A path made only of normal components stays inside any base it is
/// joined to.
fn assert_stays_inside(relative: &Path) {
    assert!(
        relative
            .components()
            .all(|c| matches!(c, Component::Normal(_))),
        "{relative:?} has a component that is not a plain name"
    );
    let base = Path::new("/base/out");
    let joined = base.join(relative);
    assert!(joined.starts_with(base), "{joined:?} left {base:?}");
    let depth = joined.components().count();
    assert_eq!(
        depth,
        base.components().count() + relative.components().count()
    );
}

/// `slugify`, `is_safe_segment` and `safe_relative_path`: a slug is always
/// empty or a safe segment, and slugifying is stable; a safe segment or
/// safe relative path joined to a base never leaves it.
pub fn slug_paths(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let slug = slugify(&text);
    assert!(
        slug.is_empty() || is_safe_segment(&slug),
        "slugify({text:?}) = {slug:?} is not a safe segment"
    );
    assert_eq!(slugify(&slug), slug, "slugify is not stable on {text:?}");
    for candidate in [text.as_ref(), slug.as_str()] {
        if is_safe_segment(candidate) {
            assert!(!candidate.contains(['/', '\\', '\0', ':']), "{candidate:?}");
            assert!(!candidate.chars().any(char::is_control), "{candidate:?}");
            let segment = Path::new(candidate);
            assert_eq!(segment.components().count(), 1, "{candidate:?}");
            assert_stays_inside(segment);
        }
    }
    if let Some(relative) = safe_relative_path(&text) {
        assert!(!text.contains(['\\', '\0']), "{text:?}");
        assert_stays_inside(&relative);
    }
}

/// `site_relative_path` and `host_is_allowed`: an accepted request path is
/// only plain names; a DNS name other than `localhost` is never an allowed
/// host; neither ever panics.
pub fn request_path(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(relative) = site_relative_path(&text) {
        assert_stays_inside(&relative);
        for component in relative.components() {
            let name = component.as_os_str().to_string_lossy();
            assert!(
                !name.contains(['\\', ':', '\0']) && !name.chars().any(char::is_control),
                "{text:?} gave the segment {name:?}"
            );
        }
    }
    let binds: [IpAddr; 3] = [
        "127.0.0.1".parse().unwrap(),
        "0.0.0.0".parse().unwrap(),
        "::1".parse().unwrap(),
    ];
    // A DNS name (letters, digits, dots and dashes, an optional port) is
    // what a rebinding attack sends: only `localhost` may pass.
    let lower = text.to_ascii_lowercase();
    let name = match lower.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => lower.as_str(),
    };
    let dns_name = !name.is_empty()
        && name != "localhost"
        && name.parse::<IpAddr>().is_err()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    for bind in binds {
        let allowed = host_is_allowed(&text, bind);
        assert!(!(dns_name && allowed), "host {text:?} allowed for {bind}");
    }
}
