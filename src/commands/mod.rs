//! One module per subcommand, and what they share: loading and rendering a
//! site while reporting every problem.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
mod progress;
pub mod serve;
pub mod watch;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::SiteArgs;
use crate::diagnostics::{
    format_diagnostic, snippet, stderr_wants_color, visible, Diagnostics, Format, Severity,
    SourceLines,
};
use crate::output::{OutputError, Sink};
use crate::render::paths::output_path_problems;
use crate::render::{render_site, RenderError};
use crate::site::{LoadOptions, Site};
use progress::Progress;

/// Exit codes of the contract.
const EXIT_OK: u8 = 0;
const EXIT_CONTENT_ERRORS: u8 = 1;
const EXIT_USAGE_OR_IO: u8 = 2;

/// Why a command did not do what it was asked. [`finish`] prints it and
/// picks the exit code.
#[derive(Debug)]
pub enum CommandError {
    /// The site has errors (exit 1); they were printed with the other
    /// diagnostics. `unchanged` is the output folder the build left as it
    /// was, for the closing line.
    Content { unchanged: Option<PathBuf> },
    /// A usage or I/O problem (exit 2): about `file` (a path, or a flag
    /// such as `--base-url`) when there is one, with how to fix it.
    UsageOrIo {
        file: Option<PathBuf>,
        message: String,
        hint: Option<&'static str>,
    },
}

impl CommandError {
    /// A usage or I/O problem about `file`.
    pub(crate) fn about(file: &Path, message: impl Into<String>, hint: &'static str) -> Self {
        CommandError::UsageOrIo {
            file: Some(file.to_path_buf()),
            message: message.into(),
            hint: Some(hint),
        }
    }

    /// A usage or I/O problem about no file in particular.
    pub(crate) fn plain(message: impl Into<String>, hint: Option<&'static str>) -> Self {
        CommandError::UsageOrIo {
            file: None,
            message: message.into(),
            hint,
        }
    }

    /// Writing the site failed. `unchanged` is the output folder that was
    /// left as it was (none for `check`, which writes nothing).
    fn output(error: &OutputError, unchanged: Option<&Path>) -> Self {
        match unchanged {
            Some(out) => CommandError::about(
                out,
                error.to_string(),
                "the previous output was left as it was",
            ),
            None => CommandError::plain(error.to_string(), None),
        }
    }
}

/// The one place a command's result becomes an exit code: prints the
/// failure in `format` (content errors were printed as they were found).
pub fn finish(result: Result<(), CommandError>, format: Format) -> u8 {
    match result {
        Ok(()) => EXIT_OK,
        Err(CommandError::Content { unchanged }) => {
            if let (Format::Human, Some(out)) = (format, unchanged) {
                eprintln!("nothing was written; {} is unchanged", out.display());
            }
            EXIT_CONTENT_ERRORS
        }
        Err(CommandError::UsageOrIo {
            file,
            message,
            hint,
        }) => {
            report_failure(file.as_deref(), &message, hint, format);
            EXIT_USAGE_OR_IO
        }
    }
}

pub(crate) fn load_options(args: &SiteArgs, base_url: Option<String>) -> LoadOptions {
    LoadOptions {
        drafts: args.drafts,
        audience: args.audience,
        base_url,
    }
}

/// Loads, validates and renders the site into `sink`, showing `progress`;
/// prints every diagnostic. Returns the site and the number of files it
/// made.
/// `unchanged` is the output folder a failure leaves as it was (none for
/// `check`).
///
/// The returned site keeps its pages' HTML only if LMS packages (`lms`,
/// or `lms:` in site.yaml) will be made of it.
pub(crate) fn load_and_render(
    args: &SiteArgs,
    base_url: Option<String>,
    lms: Option<crate::config::Lms>,
    sink: &dyn Sink,
    unchanged: Option<&Path>,
    progress: &Progress,
) -> Result<(Site, usize), CommandError> {
    let content_errors = || CommandError::Content {
        unchanged: unchanged.map(Path::to_path_buf),
    };
    let options = load_options(args, base_url);
    // Checks of the loaded site that need what comes above it, run with
    // all the others so that every problem is listed at once.
    let output_checks = |site: &Site| {
        if crate::lms::wanted(site, lms) {
            let mut problems = crate::lms::check(site);
            let packages = crate::lms::package_paths(site);
            problems.extend(output_path_problems(site, &packages));
            problems
        } else {
            output_path_problems(site, &[])
        }
    };
    let (site, mut problems) = Site::load_checked(&args.root, options, &output_checks);
    let result = match site {
        Some(mut site) => {
            let html = if crate::lms::wanted(&site, lms) {
                site.restore_html();
                Vec::new()
            } else {
                site.take_waiting_html()
            };
            let pages = site.pages.len();
            progress.phase(format!(
                "rendering {pages} {}",
                plural(pages, "page", "pages")
            ));
            match render_site(&site, html, &progress.counting(sink)) {
                Ok(count) => Ok((site, count)),
                Err(RenderError::Content(found)) => {
                    problems.extend(found);
                    Err(content_errors())
                }
                Err(RenderError::Io(error)) => Err(CommandError::output(&error, unchanged)),
            }
        }
        None => Err(content_errors()),
    };
    progress.reporting(|| report(&problems, args.format, &args.root));
    result
}

/// Prints diagnostics: the human format to stderr, machine formats to
/// stdout so they can be piped.
/// The human format draws each problem's source line (files relative to
/// `root`) with a caret under the fault. Returns how many warnings it
/// printed.
pub(crate) fn report(problems: &Diagnostics, format: Format, root: &Path) -> usize {
    let color = format == Format::Human && stderr_wants_color();
    let mut sources = SourceLines::default();
    // Write errors (a closed pipe) are ignored: the exit code still tells.
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    for problem in problems.sorted() {
        let line = format_diagnostic(&problem, format, color);
        let _ = if format == Format::Human {
            writeln!(stderr, "{line}")
        } else {
            writeln!(stdout, "{line}")
        };
        if format == Format::Human {
            let source = problem
                .line
                .and_then(|line| Some((line, sources.get(&root.join(&problem.file), line)?)));
            if let Some((line, text)) = source {
                let _ = writeln!(stderr, "{}", snippet(text, line, problem.column, color));
            }
        }
    }
    drop((stdout, stderr));
    let sorted = problems.sorted();
    let warnings = sorted
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    if format == Format::Human && problems.has_errors() {
        let errors = problems.error_count();
        let files = sorted
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.file.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let warned = match warnings {
            0 => String::new(),
            _ => format!(", {}", counted_warnings(warnings, color)),
        };
        eprintln!(
            "{errors} {} in {files} {}{warned}",
            plural(errors, "error", "errors"),
            plural(files, "file", "files")
        );
    }
    warnings
}

/// "2 warnings", in yellow when `color`.
pub(crate) fn counted_warnings(count: usize, color: bool) -> String {
    let text = format!("{count} {}", plural(count, "warning", "warnings"));
    if color {
        format!("\x1b[33m{text}\x1b[0m")
    } else {
        text
    }
}

/// Sets `stop` when the process is asked to stop (see [`stop_requested`]),
/// so loops can end cleanly between rebuilds instead of being killed in
/// the middle of one. Returns once the signals are caught.
pub(crate) fn stop_on_signals(stop: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    let (ready, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let Ok(runtime) = runtime else {
            let _ = ready.send(());
            return;
        };
        runtime.block_on(async {
            let requested = stop_requested();
            let _ = ready.send(());
            requested.await;
        });
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    let _ = listening.recv();
}

/// Resolves when the process is asked to stop: Ctrl-C (SIGINT), SIGTERM
/// (`kill`, a service manager) or SIGHUP (the terminal closed). Each is
/// caught from this call on; call it inside a tokio runtime.
#[cfg(unix)]
pub(crate) fn stop_requested() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, Signal, SignalKind};
    async fn received(signal: Option<Signal>) {
        match signal {
            Some(mut signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    }
    let interrupt = signal(SignalKind::interrupt()).ok();
    let terminate = signal(SignalKind::terminate()).ok();
    let hangup = signal(SignalKind::hangup()).ok();
    async move {
        tokio::select! {
            () = received(interrupt) => {}
            () = received(terminate) => {}
            () = received(hangup) => {}
        }
    }
}

#[cfg(not(unix))]
pub(crate) fn stop_requested() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Starts watching the site at `root` (whose output is `out`) for
/// `watch` and `serve`.
pub(crate) fn start_watching(
    root: &Path,
    out: &Path,
) -> Result<crate::watch::SourceWatcher, CommandError> {
    crate::watch::SourceWatcher::start(root, out).map_err(|reason| {
        CommandError::about(
            root,
            format!("cannot watch the site: {reason}"),
            "check the folder's permissions",
        )
    })
}

/// Prints the outcome of one rebuild of `watch` or `serve`.
pub(crate) fn report_rebuild(
    changes: &std::collections::BTreeSet<crate::watch::Change>,
    result: &Result<crate::rebuild::Outcome, crate::rebuild::Failure>,
    format: Format,
    root: &Path,
) {
    let what = if changes.is_empty() {
        "the first build".to_string()
    } else {
        crate::watch::describe(changes)
    };
    match result {
        Ok(outcome) => {
            report(&outcome.warnings, format, root);
            eprintln!(
                "{} in {} ms after {what}: {} {} rendered, {} {} written, {} removed",
                if changes.is_empty() {
                    "built"
                } else {
                    "rebuilt"
                },
                outcome.elapsed.as_millis(),
                outcome.rendered,
                plural(outcome.rendered, "page", "pages"),
                outcome.written.len(),
                plural(outcome.written.len(), "file", "files"),
                outcome.removed.len()
            );
        }
        Err(crate::rebuild::Failure::Content(problems)) => {
            report(problems, format, root);
            eprintln!("after {what}: the site has errors; keeping the last good build");
        }
        Err(crate::rebuild::Failure::Io(error)) => {
            let hint = Some("the next change rebuilds everything");
            report_failure(None, &error.to_string(), hint, format);
        }
    }
}

pub(crate) fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// Prints a usage or I/O failure (exit code 2) in the chosen format.
fn report_failure(file: Option<&Path>, message: &str, hint: Option<&str>, format: Format) {
    let color = format == Format::Human && stderr_wants_color();
    let line = failure_line(file, message, hint, format, color);
    if format == Format::Human {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

/// A usage or I/O failure as one diagnostic line; one about no file is,
/// for people, a plain `error: message (hint)`.
fn failure_line(
    file: Option<&Path>,
    message: &str,
    hint: Option<&str>,
    format: Format,
    color: bool,
) -> String {
    let file = file.map_or_else(String::new, |file| file.display().to_string());
    let mut problem = crate::diagnostics::Diagnostic::error(file, None, message);
    problem.hint = hint.map(str::to_string);
    if format == Format::Human && problem.file.is_empty() {
        format!("error: {}", visible(&problem.full_message()))
    } else {
        format_diagnostic(&problem, format, color)
    }
}

/// The site folder must exist: a wrong path is a usage error (exit 2), not
/// a content error.
pub(crate) fn check_root(args: &SiteArgs) -> Result<(), CommandError> {
    if args.root.is_dir() {
        return Ok(());
    }
    Err(CommandError::about(
        &args.root,
        format!("the site folder {} does not exist", args.root.display()),
        "pass the folder that holds site.yaml and content/, or run salesbook inside it",
    ))
}

/// Makes the LMS packages when they are wanted (see [`crate::lms::wanted`])
/// and puts them into `sink`, printing their warnings. Returns how many
/// files it made. `unchanged` is the output folder a failure leaves as it
/// was.
pub(crate) fn make_packages(
    site: &Site,
    choice: Option<crate::config::Lms>,
    sink: &dyn Sink,
    format: Format,
    unchanged: Option<&Path>,
    progress: &Progress,
) -> Result<usize, CommandError> {
    if !crate::lms::wanted(site, choice) {
        return Ok(0);
    }
    progress.phase("making the LMS packages");
    let timer = crate::timing::phase("lms packages");
    let made = crate::lms::packages(site);
    drop(timer);
    // Unlike the site's own files, a package that cannot be written is
    // reported against the output folder even for `check`.
    let failed_io = |error: &OutputError| {
        let folder = unchanged.unwrap_or(Path::new(crate::lms::PACKAGE_DIR));
        CommandError::about(
            folder,
            error.to_string(),
            "the previous output was left as it was",
        )
    };
    match made {
        Ok((files, warnings)) => {
            progress.reporting(|| report(&warnings, format, &site.root));
            let count = files.len();
            for file in files {
                sink.put(file).map_err(|error| failed_io(&error))?;
            }
            Ok(count)
        }
        Err(RenderError::Content(problems)) => {
            progress.reporting(|| report(&problems, format, &site.root));
            Err(CommandError::Content {
                unchanged: unchanged.map(Path::to_path_buf),
            })
        }
        Err(RenderError::Io(error)) => Err(failed_io(&error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_its_exit_code() {
        assert_eq!(finish(Ok(()), Format::Json), EXIT_OK);
        let content = CommandError::Content { unchanged: None };
        assert_eq!(finish(Err(content), Format::Json), EXIT_CONTENT_ERRORS);
        let usage = CommandError::plain("no", None);
        assert_eq!(finish(Err(usage), Format::Json), EXIT_USAGE_OR_IO);
    }

    #[test]
    fn a_failure_about_no_file_is_a_plain_line_or_one_json_object() {
        let hint = Some("try again");
        assert_eq!(
            failure_line(None, "cannot read x", hint, Format::Human, false),
            "error: cannot read x (try again)"
        );
        let json = failure_line(None, "cannot read x", hint, Format::Json, false);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["severity"], "error");
        assert_eq!(value["message"], "cannot read x");
        assert_eq!(value["hint"], "try again");
    }

    #[test]
    fn a_failure_about_a_file_names_it() {
        let file = Some(Path::new("public"));
        assert_eq!(
            failure_line(file, "cannot write", None, Format::Human, false),
            "error: public: cannot write"
        );
        assert_eq!(
            failure_line(file, "cannot write", None, Format::Github, false),
            "::error file=public::cannot write"
        );
    }
}
