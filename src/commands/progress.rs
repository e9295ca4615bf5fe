//! What a long `build` or `check` shows while it runs: on a terminal, one
//! spinner line naming the phase (with the files made so far while pages
//! render), cleared before anything else is printed. Nothing in a CI log,
//! a pipe or a file: there the summary line says it all, and a line per
//! phase would only repeat on every run what the summary already gives.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diagnostics::Format;
use crate::output::{OutputError, OutputFile, Sink};

/// A build that ends within this never shows progress: the summary comes
/// before anyone looks for it, and a line that flashes by only distracts.
/// Time rather than a page count, since what an author feels is the wait,
/// whatever the machine and the site.
const SHOW_AFTER: Duration = Duration::from_millis(500);

/// How often the spinner and the count are redrawn: the only drawing there
/// is, so rendering threads never wait for the terminal.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// The progress of one build, hidden until it has run [`SHOW_AFTER`].
pub(crate) struct Progress {
    bar: ProgressBar,
    /// Files put into the sink so far, counted by [`Progress::counting`].
    files: Arc<AtomicUsize>,
    /// Warnings printed so far, for the summary.
    warnings: AtomicUsize,
    /// Dropped when the build ends, which stops the wait for [`SHOW_AFTER`].
    ended: Option<mpsc::Sender<()>>,
    waiting: Option<JoinHandle<()>>,
}

impl Progress {
    /// Progress for a build whose diagnostics go out in `format`; it only
    /// ever shows when that is for people, on a terminal someone watches.
    pub(crate) fn start(format: Format) -> Self {
        let files = Arc::new(AtomicUsize::new(0));
        // Styled only when shown: most builds never are.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
            .with_message("loading and checking the content");
        let mut progress = Progress {
            bar,
            files,
            warnings: AtomicUsize::new(0),
            ended: None,
            waiting: None,
        };
        let wanted = format == Format::Human && crate::diagnostics::stderr_is_interactive();
        if wanted {
            let delay = crate::faults::progress_delay(SHOW_AFTER);
            if delay.is_zero() {
                show(&progress.bar, &progress.files);
            } else {
                let (ended, end) = mpsc::channel::<()>();
                let bar = progress.bar.clone();
                let files = Arc::clone(&progress.files);
                progress.ended = Some(ended);
                progress.waiting = Some(std::thread::spawn(move || {
                    if end.recv_timeout(delay) == Err(mpsc::RecvTimeoutError::Timeout) {
                        show(&bar, &files);
                    }
                }));
            }
        }
        progress
    }

    /// The build moved on to `phase` ("rendering 120 pages").
    pub(crate) fn phase(&self, phase: impl Into<Cow<'static, str>>) {
        self.bar.set_message(phase);
    }

    /// Runs `report`, which prints diagnostics and returns how many of
    /// them were warnings, with the progress line out of the way; counts
    /// the warnings for the summary.
    pub(crate) fn reporting(&self, report: impl FnOnce() -> usize) {
        let warnings = self.bar.suspend(report);
        self.warnings.fetch_add(warnings, Ordering::Relaxed);
    }

    /// Warnings printed so far.
    pub(crate) fn warnings(&self) -> usize {
        self.warnings.load(Ordering::Relaxed)
    }

    /// `sink`, counting the files put into it for the progress line: one
    /// relaxed atomic add per file, no lock and no drawing.
    pub(crate) fn counting<'a>(&'a self, sink: &'a dyn Sink) -> Counting<'a> {
        Counting {
            sink,
            files: &self.files,
        }
    }
}

impl Drop for Progress {
    /// Clears the line, once the wait for [`SHOW_AFTER`] is over, so that
    /// it cannot show up again after the summary.
    fn drop(&mut self) {
        drop(self.ended.take());
        if let Some(waiting) = self.waiting.take() {
            let _ = waiting.join();
        }
        self.bar.finish_and_clear();
    }
}

/// Draws `bar` on stderr from now on: the phase, and the count of `files`
/// made so far once there are some.
fn show(bar: &ProgressBar, files: &Arc<AtomicUsize>) {
    let files = Arc::clone(files);
    let style = ProgressStyle::with_template("{spinner} {msg}{files}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .with_key(
            "files",
            move |_: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                let count = files.load(Ordering::Relaxed);
                if count > 0 {
                    let _ = write!(out, ": {count} files");
                }
            },
        );
    bar.set_style(style);
    bar.set_draw_target(ProgressDrawTarget::stderr());
    // Drawn once now, for the phase under way: once the steady tick runs,
    // `tick()` does nothing and the first frame waits for its thread.
    bar.tick();
    bar.enable_steady_tick(REDRAW_EVERY);
}

/// A sink that counts what goes through it (see [`Progress::counting`]).
pub(crate) struct Counting<'a> {
    sink: &'a dyn Sink,
    files: &'a AtomicUsize,
}

impl Sink for Counting<'_> {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.sink.put(file)
    }

    fn keeps_files(&self) -> bool {
        self.sink.keeps_files()
    }
}
