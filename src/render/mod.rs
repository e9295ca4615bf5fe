//! Rendering: the loaded site through the theme's templates into the list
//! of files the output folder will hold. Nothing here writes to disk.

mod assets;
mod brand;
pub mod feeds;
mod jobs;
pub mod navigation;
pub mod paths;
pub mod photos;
mod redirects;
pub use photos::Photos;
pub mod structured;
mod translate;
pub mod views;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::root_prefix;
use crate::output::{Contents, OutputError, OutputFile, Sink};
use crate::site::{PageId, Site, STATIC_DIR};
use crate::theme::StaticFile;
pub use jobs::{all_jobs, Job};
use tera::Value;
use views::{full, sort_for_list, ContentUse, Derived, TagView};

/// How many pages the home page lists as recent.
const RECENT_COUNT: usize = 6;

/// Room for a rendered page: most pages of the built-in theme are 16 to
/// 24 KB, so one allocation usually holds the whole page.
const PAGE_CAPACITY: usize = 32 * 1024;

/// The template engine with the theme loaded, and where each template
/// came from, for diagnostics.
pub struct Engine {
    tera: Tera,
    files: HashMap<String, String>,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: Option<String>,
    extra: &'a serde_json::Value,
    practice_key: String,
    brand: BrandView<'a>,
}

/// `site.brand`: the logo (site-relative) and the CSS of the accent colour.
#[derive(Serialize)]
struct BrandView<'a> {
    logo: Option<&'a str>,
    css: Option<String>,
}

/// The key the practice log is stored under, in the browser and in LMS
/// package identifiers: `extra.practice_key`, else the title. The theme
/// prints it as `<html data-salesbook-site>`, where `salesbook.js` and
/// `scorm.js` read it (docs/output.md, "The practice log").
pub fn practice_key(config: &crate::config::SiteConfig) -> String {
    match config.extra.get("practice_key") {
        Some(serde_json::Value::String(key)) => key.clone(),
        Some(value) if !value.is_null() => value.to_string(),
        _ => config.title().to_string(),
    }
}

impl Engine {
    pub fn new(site: &Site) -> Result<Engine, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let templates = site.theme.templates();
        let files: HashMap<String, String> = templates
            .iter()
            .map(|t| (t.name.clone(), t.file.clone()))
            .collect();
        let engine_files = files.clone();
        let fixed_paths = assets::fixed_asset_paths(&templates, &site.theme);
        if !fixed_paths.is_empty() {
            return Err(fixed_paths);
        }
        assets::register(&mut tera, &site.theme);
        translate::register(&mut tera, &site.config.strings);
        let sources = templates.iter().map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(error) = tera.add_raw_templates(sources) {
            let mut problem = template_problem(&error, &engine_files, None);
            if problem.line.is_none() {
                problem.line = tag_line(&error, &templates);
            }
            return Err(vec![problem]);
        }
        let config = &site.config;
        let globals = tera.global_context();
        globals.insert(
            "site",
            &SiteView {
                title: config.title(),
                description: config.description.as_deref(),
                language: &config.language,
                base_url: config.base_url(),
                extra: &config.extra,
                practice_key: practice_key(config),
                brand: BrandView {
                    logo: config.brand().logo,
                    css: config.brand().accent.and_then(brand::accent_css),
                },
            },
        );
        // The `js.` texts for the scripts, made once: every page carries them.
        globals.insert_value(
            "script_strings",
            Value::safe_string(&site.config.strings.script_json(false)),
        );
        globals.insert_value(
            "lms_script_strings",
            Value::safe_string(&site.config.strings.script_json(true)),
        );
        globals.insert("audience", site.options.audience.name());
        globals.insert(
            "generator",
            &format!("salesbook {}", env!("CARGO_PKG_VERSION")),
        );
        Ok(Engine { tera, files })
    }

    /// Where the template `name` comes from, for diagnostics.
    pub fn template_file<'a>(&'a self, name: &'a str) -> &'a str {
        self.files.get(name).map_or(name, String::as_str)
    }

    /// Renders `template` to the bytes of a file. Straight into bytes: a
    /// `String` would check again that Tera's output is UTF-8. `source` is
    /// what is being rendered, for diagnostics.
    pub fn render(
        &self,
        template: &str,
        context: &Context,
        source: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        let rendered = self.tera.render_to(template, context, &mut html);
        rendered.map(|()| html).map_err(|error| {
            let mut problem = template_problem(&error, &self.files, Some(source));
            // An error without a location (such as too deep a recursion of
            // components) at least names the template being rendered.
            if problem.file == crate::theme::THEMES_DIR {
                if let Some(file) = self.files.get(template) {
                    problem.file = file.clone();
                }
            }
            problem
        })
    }
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// Template errors (with the page being rendered).
    Content(Diagnostics),
    /// The sink could not take a file.
    Io(OutputError),
}

/// Renders every page, list, topic page, feed and static file of the site
/// into `sink`. Returns how many files it got.
///
/// `html` is empty, or the pages' HTML taken out of `site` (see
/// [`Site::take_waiting_html`]), which is then freed page by page.
pub fn render_site(
    site: &Site,
    html: Vec<crate::markdown::WaitingHtml>,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let engine =
        Engine::new(site).map_err(|problems| RenderError::Content(diagnostics_of(problems)))?;
    let derived = Derived::new(site).with_html(html);
    let timer = crate::timing::phase("templates");
    let jobs = all_jobs(site);
    let mut rendered = 0;
    for stage in 0..=2 {
        let batch: Vec<Job> = jobs
            .iter()
            .copied()
            .filter(|job| render_stage(job) == stage)
            .collect();
        rendered += render_jobs(site, &engine, &derived, &batch, sink)?;
    }
    // The pages' brief views and the templates are not needed again: their
    // memory goes to the search index.
    drop((derived, engine));
    drop(timer);
    let timer = crate::timing::phase("search index");
    let search_index = crate::search::index_files(site);
    drop(timer);
    let photos = if sink.keeps_files() {
        Photos::Make
    } else {
        Photos::Check
    };
    let supporting = supporting_files(site, search_index, photos).map_err(RenderError::Content)?;
    let count = rendered + supporting.len();
    for file in supporting {
        sink.put(file).map_err(RenderError::Io)?;
    }
    Ok(count)
}

/// When a job renders in a build: workbooks show their items' HTML in
/// full, so they come before the pages, whose own jobs free it (see
/// [`Derived::with_html`]); lists, which show no HTML, come last, once it
/// is gone.
fn render_stage(job: &Job) -> u8 {
    match job {
        Job::Workbook(_) => 0,
        Job::Page(_) => 1,
        Job::Section(_) | Job::Topics | Job::Topic(_) | Job::NotFound => 2,
    }
}

fn diagnostics_of(problems: Vec<Diagnostic>) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.extend(problems);
    all
}

/// Renders the given jobs in parallel into `sink`; returns how many.
pub fn render_jobs(
    site: &Site,
    engine: &Engine,
    derived: &Derived,
    jobs: &[Job],
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let results: Vec<Result<(), RenderError>> = jobs
        .par_iter()
        .map(|job| {
            let file = render_job(site, engine, derived, *job)
                .map_err(|problem| RenderError::Content(diagnostics_of(vec![problem])))?;
            sink.put(file).map_err(RenderError::Io)
        })
        .collect();
    let mut problems = Diagnostics::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(RenderError::Content(found)) => problems.extend(found),
            Err(io) => return Err(io),
        }
    }
    if problems.has_errors() {
        Err(RenderError::Content(problems))
    } else {
        Ok(jobs.len())
    }
}

/// Everything besides rendered pages: sitemap and feed (when `base_url` is
/// set), redirect pages at old URLs and static files. Cheap, so always made whole.
///
/// `search_index` holds the files of the search index, which the caller
/// makes: in one pass for a build, kept up to date between rebuilds.
pub fn supporting_files(
    site: &Site,
    search_index: Vec<OutputFile>,
    photos: Photos,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files = search_index;
    if let Some(base_url) = site.config.base_url() {
        files.push(OutputFile {
            path: "sitemap.xml".to_string(),
            contents: Contents::Bytes(feeds::sitemap(site, &base_url).into_bytes()),
        });
        files.push(OutputFile {
            path: "feed.xml".to_string(),
            contents: Contents::Bytes(feeds::atom(site, &base_url).into_bytes()),
        });
    }
    // `check` and `build` found these with the load already; a rebuild of
    // `watch` or `serve` finds them here, before static files are copied.
    let collisions = paths::output_path_problems(site, &[]);
    if !collisions.is_empty() {
        return Err(diagnostics_of(collisions));
    }
    files.extend(redirects::redirect_pages(site));
    files.extend(
        static_sources(site)
            .into_iter()
            .map(|(path, contents)| OutputFile { path, contents }),
    );
    let timer = crate::timing::phase("photos");
    files.extend(photos::photo_files(site, photos).map_err(diagnostics_of)?);
    drop(timer);
    Ok(files)
}

fn render_job(
    site: &Site,
    engine: &Engine,
    derived: &Derived,
    job: Job,
) -> Result<OutputFile, Diagnostic> {
    let url = job.url(site);
    let canonical = match job {
        Job::NotFound => None,
        _ => site.config.base_url().map(|base| format!("{base}{url}")),
    };
    let json_ld = match job {
        Job::Page(index) => structured::json_ld(site, derived, index),
        _ => None,
    };
    let mut context = template_context(&url, canonical, json_ld);
    let track_nav = match job {
        Job::Page(index) => navigation::track_nav(site, derived, index),
        _ => Value::none(),
    };
    context.insert_value("track_nav", track_nav);
    let source = match job {
        Job::Page(index) => {
            let page = &site.pages[index];
            context.insert("page", &full(site, derived, index, ContentUse::Last));
            if page.kind == Kind::Home {
                context.insert(
                    "tracks",
                    &sorted_briefs(site, derived, site.pages_of_kind(Kind::Track).collect()),
                );
                context.insert("recent", &recent(site, derived));
            }
            page.file.clone()
        }
        Job::Section(kind) => {
            context.insert(
                "section",
                &SectionView {
                    kind: kind.name(),
                    title: site.config.strings.text(section_key(kind)),
                    url: &url,
                    pages: sorted_briefs(site, derived, site.pages_of_kind(kind).collect()),
                },
            );
            format!("the {} list", kind.name())
        }
        Job::Topics => {
            let topics: Vec<TopicSummary> = site
                .topics()
                .values()
                .map(|topic| TopicSummary {
                    tag: TagView::new(&topic.name),
                    count: topic.pages.len(),
                })
                .collect();
            context.insert("topics", &topics);
            "the topics index".to_string()
        }
        Job::Topic(slug) => {
            let topic = &site.topics()[slug];
            let tag = TagView::new(&topic.name);
            context.insert(
                "topic",
                &TopicView {
                    tag,
                    pages: sorted_briefs(site, derived, topic.pages.clone()),
                },
            );
            format!("the topic page of `{}`", topic.name)
        }
        Job::Workbook(track) => {
            context.insert("page", &full(site, derived, track, ContentUse::Shared));
            let workbook = site.workbook(track);
            context.insert("intro", &workbook.map_or("", |w| w.intro.html.as_str()));
            let items: Vec<WorkbookItem> = site
                .resolved(track)
                .items
                .iter()
                .enumerate()
                .map(|(position, &item)| WorkbookItem {
                    page: full(site, derived, item, ContentUse::Shared),
                    workbook_content: workbook
                        .and_then(|w| w.items.get(position))
                        .map_or("", |r| r.html.as_str()),
                })
                .collect();
            context.insert("items", &items);
            format!("the workbook of {}", site.pages[track].file)
        }
        Job::NotFound => "the 404 page".to_string(),
    };
    let html = engine.render(job.template(site), &context, &source)?;
    Ok(OutputFile {
        path: job.path(site),
        contents: Contents::Bytes(html),
    })
}

/// The variables every template gets besides the site-wide ones the
/// engine holds (`site`, `audience`, `generator`: see [`Engine::new`]):
/// where the output is (`root`, `current_url`, `current_section`), the
/// site's `sections` as seen from there, its `canonical` URL and its
/// `json_ld`. Templates add their own to it.
pub fn template_context(url: &str, canonical: Option<String>, json_ld: Option<String>) -> Context {
    let mut context = Context::new();
    context.insert_value("root", views::unescaped(&root_prefix(url)));
    context.insert("current_url", url);
    context.insert("current_section", current_section(url));
    context.insert_value("sections", navigation::sections(url));
    context.insert("canonical", &canonical);
    context.insert("json_ld", &json_ld);
    context
}

/// An item of a workbook: the page, and its body rendered for the workbook.
#[derive(Serialize)]
struct WorkbookItem<'a> {
    #[serde(flatten)]
    page: views::Full<'a>,
    workbook_content: &'a str,
}

#[derive(Serialize)]
struct SectionView<'a> {
    kind: &'static str,
    title: &'a str,
    url: &'a str,
    pages: Vec<Value>,
}

#[derive(Serialize)]
struct TopicSummary {
    #[serde(flatten)]
    tag: TagView,
    count: usize,
}

#[derive(Serialize)]
struct TopicView {
    #[serde(flatten)]
    tag: TagView,
    pages: Vec<Value>,
}

fn sorted_briefs(site: &Site, derived: &Derived, mut pages: Vec<PageId>) -> Vec<Value> {
    sort_for_list(site, &mut pages);
    derived.briefs_of(&pages)
}

/// The key of a section's name in the theme's strings.
fn section_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Interview => "section.interviews",
        Kind::Exercise => "section.exercises",
        Kind::Track => "section.tracks",
        Kind::Speaker => "section.speakers",
        _ => "section.topics",
    }
}

/// The first segment of a page's URL (`interviews` for `interviews/` and
/// `interviews/x/`, empty for the home page), for templates that mark the
/// section a page is in themselves.
fn current_section(url: &str) -> &str {
    url.split('/').next().unwrap_or_default()
}

/// The newest interviews and exercises, for the home page.
fn recent(site: &Site, derived: &Derived) -> Vec<Value> {
    let mut pages: Vec<PageId> = site
        .pages_of_kind(Kind::Interview)
        .chain(site.pages_of_kind(Kind::Exercise))
        .collect();
    pages.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        b.date()
            .cmp(&a.date())
            .then_with(|| a.reference.cmp(&b.reference))
    });
    pages.truncate(RECENT_COUNT);
    derived.briefs_of(&pages)
}

/// Theme static files first, then the site's `static/` over them. A static
/// file may not take the path of a generated page.
/// Tera reports some errors (an unknown filter, template or component) as a
/// text: `error: MESSAGE`, then ` --> NAME:LINE:COLUMN` and the source.
fn located_report(report: &str) -> Option<(String, usize, usize, String)> {
    let mut lines = report.lines();
    let message = lines
        .next()?
        .trim()
        .trim_start_matches("error: ")
        .to_string();
    let location = lines.next()?.trim().strip_prefix("--> ")?;
    let mut parts = location.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), line, column, message))
}

/// The line of the `{% include %}` or `{% extends %}` tag behind a circle of
/// templates or a missing parent, which Tera reports without one.
fn tag_line(error: &tera::Error, templates: &[crate::theme::TemplateSource]) -> Option<usize> {
    let (name, tag, target) = match error.kind() {
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            let next = include_chain.iter().skip_while(|t| *t != tpl).nth(1);
            (tpl, "include", next.cloned().unwrap_or_default())
        }
        tera::ErrorKind::CircularExtend { tpl, .. } => (tpl, "extends", String::new()),
        tera::ErrorKind::MissingParent { current, parent } => (current, "extends", parent.clone()),
        _ => return None,
    };
    let text = &templates.iter().find(|t| &t.name == name)?.text;
    text.lines()
        .position(|line| line.contains(tag) && line.contains(target.as_str()))
        .map(|index| index + 1)
}

/// The theme's static files, then the site's `static/` over them, by
/// output path. A site file at a theme asset's path replaced the asset
/// (see `theme::hash_assets`) and goes under its hashed name only.
pub fn static_sources(site: &Site) -> BTreeMap<String, Contents> {
    let mut statics = BTreeMap::new();
    for (path, file) in site.theme.static_files() {
        let contents = match file {
            StaticFile::BuiltIn(bytes) => Contents::BuiltIn(bytes),
            StaticFile::OnDisk(path) => Contents::Copy(path.clone()),
            StaticFile::Rewritten(bytes) => Contents::Bytes(bytes.clone()),
        };
        statics.insert(path.to_string(), contents);
    }
    let static_dir = site.root.join(STATIC_DIR);
    for path in site.static_files() {
        let replaces_asset = path
            .strip_prefix(crate::theme::ASSETS_DIR)
            .is_some_and(|name| site.theme.asset(name).is_some());
        if !replaces_asset {
            statics.insert(path.clone(), Contents::Copy(static_dir.join(path)));
        }
    }
    statics
}

/// A template error as a diagnostic naming the template file and line, and
/// the page that was being rendered.
fn template_problem(
    error: &tera::Error,
    files: &HashMap<String, String>,
    rendering: Option<&str>,
) -> Diagnostic {
    let during = rendering
        .map(|source| format!(" (while rendering {source})"))
        .unwrap_or_default();
    let file_of = |name: &str| files.get(name).cloned().unwrap_or_else(|| name.to_string());
    let problem = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error(
                file_of(report.filename()),
                Some(span.start_line.max(1)),
                format!("{}{during}", report.message()),
            )
            .at_column(span.start_col + 1)
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::error(
            file_of(tpl),
            None,
            format!(
                "templates extend each other in a circle: {}",
                inheritance_chain.join(" -> ")
            ),
        ),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            file_of(tpl),
            None,
            format!(
                "templates include each other in a circle: {}",
                include_chain.join(" -> ")
            ),
        ),
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            file_of(current),
            None,
            format!("extends `{parent}`, which does not exist"),
        ),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            crate::theme::THEMES_DIR,
            None,
            format!("template `{name}` not found{during}"),
        ),
        _ => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            match located_report(&message) {
                Some((name, line, column, text)) => {
                    Diagnostic::error(file_of(&name), Some(line), format!("{text}{during}"))
                        .at_column(column)
                }
                None => {
                    Diagnostic::error(crate::theme::THEMES_DIR, None, format!("{message}{during}"))
                }
            }
        }
    };
    problem.with_hint("fix the template; built-in templates can be copied into themes/<theme>/templates/ and edited")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> crate::config::SiteConfig {
        serde_yaml::from_str(yaml).expect("a site.yaml")
    }

    #[test]
    fn the_practice_key_is_extra_practice_key_else_the_title() {
        assert_eq!(practice_key(&config("title: Lab\n")), "Lab");
        let pinned = config("title: Lab\nextra:\n  practice_key: lab-2026\n");
        assert_eq!(practice_key(&pinned), "lab-2026");
        let number = config("title: Lab\nextra:\n  practice_key: 42\n");
        assert_eq!(practice_key(&number), "42");
        let empty = config("title: Lab\nextra:\n  practice_key:\n");
        assert_eq!(practice_key(&empty), "Lab");
    }

    #[test]
    fn every_template_knows_where_its_output_is() {
        let mut tera = Tera::new();
        let template =
            "{{ root }}|{{ current_url }}|{{ current_section }}|{{ canonical }}|{{ json_ld }}";
        tera.add_raw_template("t", template).expect("a template");
        let canonical = Some("https://e.com/interviews/x/".to_string());
        let context = template_context("interviews/x/", canonical, None);
        assert_eq!(
            tera.render("t", &context).expect("rendered"),
            "../../|interviews/x/|interviews|https://e.com/interviews/x/|"
        );
    }
}
