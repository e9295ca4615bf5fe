//! LMS export: besides the site, one SCORM 1.2 package per track,
//! `OUT/lms/<track-slug>.zip` (docs/lms.md describes the packages for
//! authors and LMS administrators).
//!
//! A package holds the track's pages as the site renders them (the track
//! page, its workbook and every item), the static files they use, a launch
//! page (`index.html`, template `lms_launch.html`) that holds the one LMS
//! session for the whole track and shows the pages in a frame, the runtime
//! `assets/scorm.js`, `imsmanifest.xml` and the SCORM 1.2 schema files.
//! Nothing here writes to disk: the packages are output files like pages.

mod archive;
mod links;
mod manifest;
mod tags;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::config::Lms;
use crate::content::frontmatter::{ExerciseFields, QuizQuestion};
use crate::content::{Details, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Collect, Contents, OutputError, OutputFile};
use crate::render::views::Derived;
use crate::render::{practice_key, render_jobs, template_context, Engine, Job, RenderError};
use crate::site::{PageId, Site};

/// The folder of OUT that holds the packages.
pub const PACKAGE_DIR: &str = "lms";
/// The launch page, at the root of each package.
pub const LAUNCH_PAGE: &str = "index.html";
/// The theme template of the launch page.
pub const LAUNCH_TEMPLATE: &str = "lms_launch.html";
/// SCORM 1.2's limit on `cmi.suspend_data` (CMIString4096).
pub const SUSPEND_DATA_LIMIT: usize = 4096;
/// The runtime and styles every packaged page gets (theme assets, by
/// their names under `assets/`).
const RUNTIME: &str = "scorm.js";
const STYLES: &str = "lms.css";

/// Whether packages are wanted: `--lms` wins over `lms:` in site.yaml.
pub fn wanted(site: &Site, choice: Option<Lms>) -> bool {
    choice.or(site.config.lms) == Some(Lms::Scorm12)
}

/// The tracks a build packages: every published track. (With `--drafts`,
/// draft tracks are built as pages but not packaged.)
pub fn packaged_tracks(site: &Site) -> Vec<PageId> {
    site.pages_of_kind(Kind::Track)
        .filter(|&track| !site.pages[track].is_draft())
        .collect()
}

/// What must hold for the tracks to be packaged, beyond what every build
/// checks: every item published, a `mastery_score` only where there are
/// quiz answers to score, and progress that fits SCORM 1.2's suspend data.
/// (A static file where a package goes is found with every output path.)
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for track in packaged_tracks(site) {
        let page = &site.pages[track];
        let Details::Track(fields) = &page.details else {
            continue;
        };
        let items = &site.resolved(track).items;
        for &item in items {
            let target = &site.pages[item];
            if target.is_draft() {
                let line = fields
                    .items
                    .iter()
                    .position(|written| clean_ref(written) == target.reference)
                    .map_or_else(|| page.key_line("items"), |i| page.item_line("items", i));
                problems.push(
                    Diagnostic::error(
                        &page.file,
                        Some(line),
                        format!(
                            "`items` lists `{}`, which is a draft: an LMS package holds published pages only",
                            target.reference
                        ),
                    )
                    .with_hint("publish it, remove it from the track, or build without --drafts"),
                );
            }
        }
        let has_quiz = items.iter().any(
            |&item| matches!(&site.pages[item].details, Details::Exercise(e) if !e.quiz.is_empty()),
        );
        if fields.mastery_score.is_some() && !has_quiz {
            problems.push(
                Diagnostic::error(
                    &page.file,
                    Some(page.key_line("mastery_score")),
                    "`mastery_score` is the quiz score that passes the track, but no exercise of this track has a `quiz`",
                )
                .with_hint("add a quiz to one of its exercises, or remove `mastery_score`: the track is then complete when every attempt is done"),
            );
        }
        let needed = suspend_data_worst_case(site, track);
        if needed > SUSPEND_DATA_LIMIT {
            problems.push(
                Diagnostic::error(
                    &page.file,
                    Some(page.key_line("items")),
                    format!(
                        "this track's progress needs up to {needed} characters of LMS suspend data; SCORM 1.2 keeps {SUSPEND_DATA_LIMIT}"
                    ),
                )
                .with_hint("split the track into shorter tracks, or give its pages shorter file names"),
            );
        }
    }
    problems
}

/// Where the packages go in the output folder: for the check of every
/// output path ([`crate::render::paths`]), which finds a static file there.
pub fn package_paths(site: &Site) -> Vec<String> {
    packaged_tracks(site)
        .into_iter()
        .map(|track| format!("{PACKAGE_DIR}/{}.zip", site.pages[track].slug))
        .collect()
}

/// A ref as written in `items`, the way refs are resolved.
fn clean_ref(written: &str) -> &str {
    written
        .trim()
        .trim_start_matches("@/")
        .trim_end_matches(".md")
}

/// The longest `cmi.suspend_data` the runtime can write for a track
/// without notes (which it shortens to fit): every attempt and review done
/// with a date, every quiz question answered, every rubric criterion ticked,
/// every other step opened. This is
/// the same JSON `assets/scorm.js` writes (`encodeProgress`), its
/// characters outside ASCII escaped as `\uXXXX`.
pub fn suspend_data_worst_case(site: &Site, track: PageId) -> usize {
    let mut attempts = Map::new();
    let mut quiz = Map::new();
    let mut read = Map::new();
    let mut rubric = Map::new();
    let mut reviews = Map::new();
    for &item in &site.resolved(track).items {
        let page = &site.pages[item];
        let review_days = review_count(site, &page.details);
        if review_days > 0 {
            reviews.insert(page.reference.clone(), "000".repeat(review_days).into());
        }
        match &page.details {
            Details::Exercise(fields) => {
                let count = fields.attempts() as usize;
                attempts.insert(page.reference.clone(), "000".repeat(count).into());
                if !fields.quiz.is_empty() {
                    quiz.insert(page.reference.clone(), longest_quiz_code(fields).into());
                }
                // Every criterion of every attempt ticked: five to a character.
                let width = fields.rubric.len().div_ceil(5);
                if width > 0 {
                    rubric.insert(page.reference.clone(), "v".repeat(width * count).into());
                }
            }
            _ => {
                read.insert(page.reference.clone(), "000".into());
            }
        }
    }
    let mut record = Map::new();
    record.insert("v".to_string(), json!(2));
    for (key, map) in [
        ("a", attempts),
        ("q", quiz),
        ("r", read),
        ("b", rubric),
        ("w", reviews),
    ] {
        if !map.is_empty() {
            record.insert(key.to_string(), Value::Object(map));
        }
    }
    ascii_json_length(&Value::Object(record).to_string())
}

/// The longest `q` code of an exercise: one character per question, and
/// for a question with several right answers every box ticked, in
/// brackets (`(013)`). A choice from the 37th on is not kept.
fn longest_quiz_code(fields: &ExerciseFields) -> String {
    fields
        .quiz
        .iter()
        .map(|question| match question.answer.is_multiple() {
            true => format!("({})", "0".repeat(question.choices.len().min(36))),
            false => "0".to_string(),
        })
        .collect()
}

/// The length of JSON text once every character from U+007F up is written
/// as `\uXXXX` (per UTF-16 unit), as the runtime does.
fn ascii_json_length(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if (c as u32) < 0x7f {
                1
            } else {
                6 * c.len_utf16()
            }
        })
        .sum()
}

/// Every package of the site, and warnings. Errors stop everything.
pub fn packages(site: &Site) -> Result<(Vec<OutputFile>, Diagnostics), RenderError> {
    let mut problems = Diagnostics::new();
    problems.extend(check(site));
    if problems.has_errors() {
        return Err(RenderError::Content(problems));
    }
    let tracks = packaged_tracks(site);
    if tracks.is_empty() {
        problems.push(
            Diagnostic::warning(
                crate::config::CONFIG_FILE,
                None,
                "LMS packages are wanted, but the site has no published track to package",
            )
            .with_hint("a package is made of a track: add one in content/tracks/"),
        );
        return Ok((Vec::new(), problems));
    }
    let engine = Engine::new(site).map_err(|found| {
        let mut problems = Diagnostics::new();
        problems.extend(found);
        RenderError::Content(problems)
    })?;
    let pages = render_pages(site, &engine, &tracks)?;
    let statics = static_files(site);
    let made: Vec<Result<(OutputFile, Vec<Diagnostic>), RenderError>> = tracks
        .par_iter()
        .map(|&track| package(site, track, &pages, &statics, &engine))
        .collect();
    let mut files = Vec::new();
    for result in made {
        let (file, warnings) = result?;
        files.push(file);
        problems.extend(warnings);
    }
    Ok((files, problems))
}

/// Renders every page the packages hold (each once), by output path.
fn render_pages(
    site: &Site,
    engine: &Engine,
    tracks: &[PageId],
) -> Result<HashMap<String, String>, RenderError> {
    let derived = Derived::new(site);
    let mut jobs = Vec::new();
    let mut seen = HashSet::new();
    for &track in tracks {
        let wanted = [Job::Page(track), Job::Workbook(track)].into_iter().chain(
            site.resolved(track)
                .items
                .iter()
                .map(|&item| Job::Page(item)),
        );
        for job in wanted {
            if seen.insert(job) {
                jobs.push(job);
            }
        }
    }
    let collect = Collect::default();
    render_jobs(site, engine, &derived, &jobs, &collect)?;
    Ok(collect
        .into_files()
        .into_iter()
        .filter_map(|file| match file.contents {
            Contents::Bytes(bytes) => Some((file.path, String::from_utf8(bytes).ok()?)),
            _ => None,
        })
        .collect())
}

/// The output path of a theme asset every package uses. The built-in
/// theme has each, and a theme can only replace it, so the fixed path is
/// never used but keeps a missing one a missing-file warning.
fn theme_asset(site: &Site, name: &str) -> String {
    site.theme.asset(name).map_or_else(
        || format!("{}{name}", crate::theme::ASSETS_DIR),
        str::to_string,
    )
}

/// The theme's static files, then the site's `static/` over them, by path.
fn static_files(site: &Site) -> BTreeMap<String, Contents> {
    crate::render::static_sources(site)
}

fn read_static(path: &str, contents: &Contents) -> Result<Vec<u8>, RenderError> {
    match contents {
        Contents::Bytes(bytes) => Ok(bytes.clone()),
        Contents::BuiltIn(bytes) => Ok(bytes.to_vec()),
        Contents::Copy(source) => std::fs::read(source).map_err(|source_error| {
            RenderError::Io(OutputError {
                action: "read",
                path: if source.as_os_str().is_empty() {
                    PathBuf::from(path)
                } else {
                    source.clone()
                },
                source: source_error,
            })
        }),
    }
}

/// The pages and files of one package, as the link rewriter sees them.
struct PackageView<'a> {
    pages: &'a BTreeSet<String>,
    statics: &'a BTreeMap<String, Contents>,
}

impl links::Package for PackageView<'_> {
    fn is_page(&self, path: &str) -> bool {
        self.pages.contains(path) || path == LAUNCH_PAGE
    }

    fn is_file(&self, path: &str) -> bool {
        self.statics.contains_key(path)
    }
}

/// One track's package.
fn package(
    site: &Site,
    track: PageId,
    pages: &HashMap<String, String>,
    statics: &BTreeMap<String, Contents>,
    engine: &Engine,
) -> Result<(OutputFile, Vec<Diagnostic>), RenderError> {
    let page = &site.pages[track];
    let overview = Job::Page(track).path(site);
    let workbook = Job::Workbook(track).path(site);
    let items = &site.resolved(track).items;
    let mut page_paths: BTreeSet<String> = BTreeSet::new();
    page_paths.insert(overview.clone());
    page_paths.insert(workbook.clone());
    page_paths.extend(items.iter().map(|&item| Job::Page(item).path(site)));
    let view = PackageView {
        pages: &page_paths,
        statics,
    };

    let (runtime, styles) = (theme_asset(site, RUNTIME), theme_asset(site, STYLES));
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();

    let html = launch_page(site, engine, track, &overview, &workbook).map_err(|problem| {
        let mut problems = Diagnostics::new();
        problems.push(problem);
        RenderError::Content(problems)
    })?;
    let rewritten = links::rewrite_page(LAUNCH_PAGE, &html, &view, links::Additions::default());
    used.extend(rewritten.uses);
    if !rewritten.missing.is_empty() {
        missing
            .entry(engine.template_file(LAUNCH_TEMPLATE).to_string())
            .or_default()
            .extend(rewritten.missing);
    }
    files.insert(LAUNCH_PAGE.to_string(), rewritten.html.into_bytes());

    let sources: HashMap<String, &str> = std::iter::once(track)
        .chain(items.iter().copied())
        .map(|index| (Job::Page(index).path(site), site.pages[index].file.as_str()))
        .chain(std::iter::once((workbook.clone(), page.file.as_str())))
        .collect();
    for path in &page_paths {
        let Some(html) = pages.get(path) else {
            continue;
        };
        let root = "../".repeat(path.matches('/').count());
        // The runtime first (it hands salesbook.js the LMS's store), the
        // styles last (they override the theme's).
        let script = format!("\n<script src=\"{root}{runtime}\"></script>");
        let styles = format!("<link rel=\"stylesheet\" href=\"{root}{styles}\">\n");
        let additions = links::Additions {
            head_start: &script,
            head_end: &styles,
            html_attribute: Some(("data-lms", "scorm12")),
        };
        let rewritten = links::rewrite_page(path, html, &view, additions);
        used.extend(rewritten.uses);
        if !rewritten.missing.is_empty() {
            let source = sources.get(path).copied().unwrap_or(path.as_str());
            missing
                .entry(source.to_string())
                .or_default()
                .extend(rewritten.missing);
        }
        files.insert(path.clone(), rewritten.html.into_bytes());
    }

    // Static files, and what their stylesheets use in turn.
    let mut queue: Vec<String> = used.into_iter().collect();
    while let Some(path) = queue.pop() {
        if files.contains_key(&path) {
            continue;
        }
        let Some(contents) = statics.get(&path) else {
            continue;
        };
        let bytes = read_static(&path, contents)?;
        if path.ends_with(".css") {
            let css = String::from_utf8_lossy(&bytes);
            let found = links::stylesheet_uses(&path, &css, &view);
            queue.extend(found.uses.into_iter().filter(|u| !files.contains_key(u)));
        }
        files.insert(path, bytes);
    }

    let Details::Track(fields) = &page.details else {
        unreachable!("packages are made of tracks");
    };
    let content_files: Vec<String> = files.keys().cloned().collect();
    let identifier = manifest::identifier(&[&practice_key(&site.config), &page.slug]);
    let xml = manifest::Manifest {
        identifier: &identifier,
        title: page.title(),
        description: page.common.summary.as_deref(),
        language: &site.config.language,
        mastery_score: fields.mastery_score,
        launch: LAUNCH_PAGE,
        files: &content_files,
    }
    .to_xml();
    files.insert(manifest::MANIFEST.to_string(), xml.into_bytes());
    for (name, bytes) in manifest::SCHEMAS {
        files.insert(name.to_string(), bytes.to_vec());
    }

    let path = format!("{PACKAGE_DIR}/{}.zip", page.slug);
    let zip = archive::zip(&files).map_err(|source| {
        RenderError::Io(OutputError {
            action: "compress",
            path: PathBuf::from(&path),
            source,
        })
    })?;
    let warnings = missing
        .into_iter()
        .map(|(file, paths)| {
            let list: Vec<String> = paths.into_iter().collect();
            Diagnostic::warning(
                file,
                None,
                format!(
                    "the LMS package {path} lacks {}, which this page uses: neither the site's static/ nor the theme has it",
                    list.join(", ")
                ),
            )
            .with_hint("add the file to static/, or link it with a full https:// URL")
        })
        .collect();
    Ok((
        OutputFile {
            path,
            contents: Contents::Bytes(zip),
        },
        warnings,
    ))
}

#[derive(Serialize)]
struct StepView<'a> {
    number: usize,
    #[serde(rename = "ref")]
    reference: &'a str,
    kind: &'static str,
    title: &'a str,
    summary: Option<&'a str>,
    /// The page's path in the package.
    path: String,
    /// Exercises: how many attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
    /// Exercises: the index of each quiz question's answer among its
    /// choices; a list of them for a question with several right answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    quiz: Vec<RightChoices>,
    /// Role-play exercises: how many rubric criteria each attempt has.
    #[serde(skip_serializing_if = "is_zero")]
    rubric: usize,
    /// Exercises: how many spaced reviews (see [`crate::review`]).
    #[serde(skip_serializing_if = "is_zero")]
    reviews: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

#[derive(Serialize)]
#[serde(untagged)]
enum RightChoices {
    One(usize),
    Many(Vec<usize>),
}

impl RightChoices {
    fn of(question: &QuizQuestion) -> Self {
        let positions = question
            .choices
            .iter()
            .enumerate()
            .filter(|(_, choice)| question.answer.includes(choice))
            .map(|(position, _)| position);
        match question.answer.is_multiple() {
            true => RightChoices::Many(positions.collect()),
            false => RightChoices::One(positions.min().unwrap_or(0)),
        }
    }
}

/// How many spaced reviews a page has: an exercise's review days.
fn review_count(site: &Site, details: &Details) -> usize {
    match details {
        Details::Exercise(fields) => {
            crate::review::days(fields.review.as_ref(), site.config.review.as_ref()).len()
        }
        _ => 0,
    }
}

/// What the runtime reads from the launch page (`#sb-lms-data`).
#[derive(Serialize)]
struct RuntimeData<'a> {
    version: u32,
    #[serde(rename = "ref")]
    reference: &'a str,
    title: &'a str,
    mastery_score: Option<i64>,
    overview: &'a str,
    workbook: &'a str,
    suspend_data_limit: usize,
    suspend_data_worst_case: usize,
    steps: &'a [StepView<'a>],
}

/// The launch page of `track`'s package, rendered with the theme's
/// `lms_launch.html` (which a site can override) and the variables every
/// template gets, as at the root of the site.
fn launch_page(
    site: &Site,
    engine: &Engine,
    track: PageId,
    overview: &str,
    workbook: &str,
) -> Result<String, Diagnostic> {
    let page = &site.pages[track];
    let Details::Track(fields) = &page.details else {
        unreachable!("packages are made of tracks");
    };
    let steps = steps(site, track);
    let data = RuntimeData {
        version: 1,
        reference: &page.reference,
        title: page.title(),
        mastery_score: fields.mastery_score,
        overview,
        workbook,
        suspend_data_limit: SUSPEND_DATA_LIMIT,
        suspend_data_worst_case: suspend_data_worst_case(site, track),
        steps: &steps,
    };
    // Safe inside <script type="application/json">.
    let data = serde_json::to_string(&data)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let mut context = template_context("", None, None);
    context.insert(
        "track",
        &json!({
            "ref": page.reference,
            "slug": page.slug,
            "title": page.title(),
            "summary": page.common.summary,
            "level": fields.level,
            "mastery_score": fields.mastery_score,
        }),
    );
    context.insert("steps", &steps);
    context.insert("overview", overview);
    context.insert("workbook", workbook);
    context.insert("lms_data", &data);
    let html = engine.render(LAUNCH_TEMPLATE, &context, "the LMS launch page")?;
    // Tera writes UTF-8: nothing is lost.
    Ok(String::from_utf8_lossy(&html).into_owned())
}

/// The steps of `track`, for its launch page and the runtime.
fn steps(site: &Site, track: PageId) -> Vec<StepView<'_>> {
    site.resolved(track)
        .items
        .iter()
        .enumerate()
        .map(|(position, &item)| {
            let item_page = &site.pages[item];
            let (attempts, quiz) = match &item_page.details {
                Details::Exercise(exercise) => (
                    Some(exercise.attempts()),
                    exercise.quiz.iter().map(RightChoices::of).collect(),
                ),
                _ => (None, Vec::new()),
            };
            let reviews = review_count(site, &item_page.details);
            StepView {
                number: position + 1,
                reference: &item_page.reference,
                kind: item_page.kind.name(),
                title: item_page.title(),
                summary: item_page.common.summary.as_deref(),
                path: Job::Page(item).path(site),
                attempts,
                quiz,
                rubric: match &item_page.details {
                    Details::Exercise(exercise) => exercise.rubric.len(),
                    _ => 0,
                },
                reviews,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_length_counts_escapes() {
        assert_eq!(ascii_json_length("{\"a\":\"é\"}"), 8 + 6);
        assert_eq!(ascii_json_length("😀"), 12);
    }
}
