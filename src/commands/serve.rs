//! `salesbook serve`: build into a temporary folder, serve it on localhost,
//! rebuild on every change and tell open pages to reload.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::watch;

use super::{check_root, load_options, report_rebuild, CommandError};
use crate::cli::ServeArgs;
use crate::diagnostics::{Diagnostics, Severity, SourceLines};
use crate::rebuild::{Failure, Outcome, Rebuilder};
use crate::serve::{self, ErrorView, LiveState};
use crate::watch::rebuild_loop;

/// How long open connections may take to finish once asked to stop.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// Threads reading files for the server at most.
const SERVER_FILE_THREADS: usize = 16;

pub fn run(args: &ServeArgs) -> Result<(), CommandError> {
    check_root(&args.site)?;
    let format = args.site.format;
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can read this site, drafts included",
            args.bind
        );
    }
    // Files are read on tokio's blocking threads; its default of up to 512
    // of them lets a burst of clients grow the server's memory for no
    // gain on a local machine.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(SERVER_FILE_THREADS)
        .build();
    let runtime = runtime.map_err(|error| CommandError::UsageOrIo {
        file: Some(args.site.root.clone()),
        message: format!("cannot start the server: {error}"),
        hint: None,
    })?;
    // Caught before the temporary folder exists: a SIGTERM or SIGHUP
    // (even during the first build) then stops the server cleanly and the
    // folder is removed, where it would otherwise kill the process.
    let stop_requested = {
        let _context = runtime.enter();
        super::stop_requested()
    };
    let folder = tempfile::Builder::new()
        .prefix("salesbook-serve-")
        .tempdir()
        .map_err(|error| {
            CommandError::about(
                &args.site.root,
                format!("cannot create a temporary folder: {error}"),
                "check TMPDIR",
            )
        })?;
    let out = folder.path().join("site");
    let root = std::path::absolute(&args.site.root).unwrap_or(args.site.root.clone());
    let mut rebuilder = Rebuilder::new(&root, &out, load_options(&args.site, None));
    let mut watcher = super::start_watching(&root, &out)?;

    let first = rebuilder.rebuild();
    report_rebuild(&BTreeSet::new(), &first, format, &root);
    if first.is_err() {
        write_placeholder(&out);
    }
    let (live_sender, live) = watch::channel(live_state(&first, &LiveState::default(), &root));

    runtime.block_on(async move {
        let (listener, moved) = serve::bind(args.bind, args.port).await.map_err(|reason| {
            CommandError::about(&root, reason, "free the port or pass another with --port")
        })?;
        let address = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        if moved {
            eprintln!("port {} is busy; using the next free one", args.port);
        }
        eprintln!("serving at http://{address}/ ; press Ctrl-C to stop");

        let stop = Arc::new(AtomicBool::new(false));
        let loop_stop = stop.clone();
        let rebuild_root = root.clone();
        let rebuilds = tokio::task::spawn_blocking(move || {
            rebuild_loop(
                &mut rebuilder,
                &mut watcher,
                &loop_stop,
                |changes, result| {
                    report_rebuild(changes, result, format, &rebuild_root);
                    let next = live_state(result, &live_sender.borrow(), &rebuild_root);
                    // Pages hear only real news: an unchanged state is not sent.
                    live_sender.send_if_modified(|state| {
                        let changed = *state != next;
                        *state = next;
                        changed
                    });
                },
            );
            // Dropping the sender ends every open event stream, so the
            // server's graceful shutdown does not wait on them.
            drop(live_sender);
        });
        let interrupted = Arc::new(tokio::sync::Notify::new());
        let notify = interrupted.clone();
        let shutdown = async move {
            stop_requested.await;
            stop.store(true, Ordering::SeqCst);
            notify.notify_one();
        };
        // Graceful shutdown waits for open connections; one that never sends
        // a request would hold it forever, so it gets a moment, not more.
        let grace = async move {
            interrupted.notified().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        let served = tokio::select! {
            served = serve::run(listener, out, live, shutdown) => served,
            () = grace => Ok(()),
        };
        let _ = rebuilds.await;
        served.map_err(|error| CommandError::plain(format!("the server failed: {error}"), None))?;
        eprintln!("stopped");
        Ok(())
    })
}

/// What pages hear after a rebuild: a new build id and its warnings after
/// a good one, the previous id with the errors and warnings after a failed
/// one.
fn live_state(
    result: &Result<Outcome, Failure>,
    previous: &LiveState,
    root: &std::path::Path,
) -> LiveState {
    match result {
        Ok(outcome) => LiveState {
            build: format!("{:016x}", outcome.build_id),
            errors: Vec::new(),
            warnings: views(&outcome.warnings, Severity::Warning, root),
        },
        Err(Failure::Content(problems)) => LiveState {
            build: previous.build.clone(),
            errors: views(problems, Severity::Error, root),
            warnings: views(problems, Severity::Warning, root),
        },
        Err(Failure::Io(error)) => LiveState {
            build: previous.build.clone(),
            errors: vec![ErrorView::without_source("output", error.to_string())],
            warnings: Vec::new(),
        },
    }
}

/// The overlay's view of each of `problems` of this `severity`.
fn views(problems: &Diagnostics, severity: Severity, root: &std::path::Path) -> Vec<ErrorView> {
    let mut sources = SourceLines::default();
    problems
        .sorted()
        .iter()
        .filter(|problem| problem.severity == severity)
        .map(|problem| ErrorView::from_diagnostic(problem, root, &mut sources))
        .collect()
}

/// When the very first build fails there is no site to serve: a page that
/// shows the errors, and reloads into the site once they are fixed.
fn write_placeholder(out: &std::path::Path) {
    // The server adds the live-reload script, as to every page.
    let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>salesbook: errors</title></head>\n<body><h1>The site has errors</h1><p>Fix them and this page reloads by itself.</p>\n</body></html>\n";
    let _ = std::fs::create_dir_all(out);
    let _ = std::fs::write(out.join("index.html"), page);
    let _ = std::fs::write(out.join("404.html"), page);
}
