//! One module per subcommand, and what they share: loading and rendering a
//! site while reporting every problem.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;
pub mod watch;

use std::io::Write;
use std::path::Path;

use crate::cli::SiteArgs;
use crate::diagnostics::{format_diagnostic, stderr_wants_color, Diagnostics, Format};
use crate::output::Sink;
use crate::render::paths::output_path_problems;
use crate::render::{render_site, RenderError};
use crate::site::{LoadOptions, Site};

/// Exit codes of the contract.
pub const EXIT_OK: u8 = 0;
pub const EXIT_CONTENT_ERRORS: u8 = 1;
pub const EXIT_USAGE_OR_IO: u8 = 2;

pub fn load_options(args: &SiteArgs, base_url: Option<String>) -> LoadOptions {
    LoadOptions {
        drafts: args.drafts,
        audience: args.audience,
        base_url,
    }
}

/// Why `load_and_render` produced no site.
pub enum Failure {
    /// The content has errors; they were printed.
    Content,
    /// Writing failed.
    Io(crate::output::OutputError),
}

/// Loads, validates and renders the site into `sink`; prints every
/// diagnostic. Returns the site and the number of files it made.
///
/// The returned site keeps its pages' HTML only if LMS packages (`lms`,
/// or `lms:` in site.yaml) will be made of it.
pub fn load_and_render(
    args: &SiteArgs,
    base_url: Option<String>,
    lms: Option<crate::config::Lms>,
    sink: &dyn Sink,
) -> Result<(Site, usize), Failure> {
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
            match render_site(&site, html, sink) {
                Ok(count) => Ok((site, count)),
                Err(RenderError::Content(found)) => {
                    problems.extend(found);
                    Err(Failure::Content)
                }
                Err(RenderError::Io(error)) => Err(Failure::Io(error)),
            }
        }
        None => Err(Failure::Content),
    };
    report(&problems, args.format);
    result
}

/// Prints diagnostics: the human format to stderr, machine formats to
/// stdout so they can be piped.
pub fn report(problems: &Diagnostics, format: Format) {
    let color = format == Format::Human && stderr_wants_color();
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
    }
    drop((stdout, stderr));
    if format == Format::Human && problems.has_errors() {
        let errors = problems.error_count();
        let files = problems
            .sorted()
            .iter()
            .filter(|p| p.severity == crate::diagnostics::Severity::Error)
            .map(|p| p.file.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        eprintln!(
            "{errors} {} in {files} {}",
            plural(errors, "error", "errors"),
            plural(files, "file", "files")
        );
    }
}

/// Sets `stop` when the process is asked to stop (see [`stop_requested`]),
/// so loops can end cleanly between rebuilds instead of being killed in
/// the middle of one. Returns once the signals are caught.
pub fn stop_on_signals(stop: std::sync::Arc<std::sync::atomic::AtomicBool>) {
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
pub fn stop_requested() -> impl std::future::Future<Output = ()> {
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
pub fn stop_requested() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Prints the outcome of one rebuild of `watch` or `serve`.
pub fn report_rebuild(
    changes: &std::collections::BTreeSet<crate::watch::Change>,
    result: &Result<crate::rebuild::Outcome, crate::rebuild::Failure>,
    format: Format,
) {
    let what = if changes.is_empty() {
        "the first build".to_string()
    } else {
        crate::watch::describe(changes)
    };
    match result {
        Ok(outcome) => {
            report(&outcome.warnings, format);
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
            report(problems, format);
            eprintln!("after {what}: the site has errors; keeping the last good build");
        }
        Err(crate::rebuild::Failure::Io(error)) => {
            eprintln!("error: {error} (the next change rebuilds everything)");
        }
    }
}

pub fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// Prints a usage or I/O failure (exit code 2) in the chosen format.
pub fn report_failure(message: &str, hint: &str, file: &Path, format: Format) {
    let problem = crate::diagnostics::Diagnostic::error(file.display().to_string(), None, message)
        .with_hint(hint);
    let color = format == Format::Human && stderr_wants_color();
    let line = format_diagnostic(&problem, format, color);
    if format == Format::Human {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

/// The site folder must exist: a wrong path is a usage error (exit 2), not
/// a content error.
pub fn check_root(args: &SiteArgs) -> Result<(), u8> {
    if args.root.is_dir() {
        return Ok(());
    }
    report_failure(
        &format!("the site folder {} does not exist", args.root.display()),
        "pass the folder that holds site.yaml and content/, or run salesbook inside it",
        &args.root,
        args.format,
    );
    Err(EXIT_USAGE_OR_IO)
}
