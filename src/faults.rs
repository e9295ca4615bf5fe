//! Fault injection for the test suite: environment variables that make
//! rare failures happen on demand, so the recovery paths they exercise are
//! proven by tests rather than assumed.
//!
//! Only builds with the `fault-injection` feature read them: the test
//! suite enables it (Cargo.toml's dev-dependency on salesbook itself), so a
//! release binary has no-op hooks and reads no variable.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Makes the Markdown renderer panic on the page with this ref.
pub const PANIC_IN_MARKDOWN: &str = "SALESBOOK_FAULT_PANIC_IN";
/// Makes the native file watcher fail as if the inotify limit were reached.
pub const WATCH_LIMIT: &str = "SALESBOOK_FAULT_WATCH_LIMIT";
/// Makes writing an output file fail, as on a full disk, after this many.
pub const DISK_FULL_AFTER: &str = "SALESBOOK_FAULT_DISK_FULL_AFTER";

/// Makes writing an output file fail, as on a full disk, while the file
/// this names exists: a test of `watch` or `serve` fills and frees the
/// disk between two edits.
pub const DISK_FULL_WHILE: &str = "SALESBOOK_FAULT_DISK_FULL_WHILE";

/// Makes a one-shot build wait this many milliseconds after it read the
/// content and before it renders it, so a test can change files between.
pub const PAUSE_AFTER_LOAD_MS: &str = "SALESBOOK_FAULT_PAUSE_AFTER_LOAD_MS";

/// Shows a build's progress on a terminal after this many milliseconds
/// instead of the usual delay, so a test sees it without a slow build.
pub const PROGRESS_AFTER_MS: &str = "SALESBOOK_FAULT_PROGRESS_AFTER_MS";

pub fn is_set(name: &str) -> bool {
    cfg!(feature = "fault-injection") && std::env::var_os(name).is_some()
}

/// Panics if this page is the one [`PANIC_IN_MARKDOWN`] names.
pub fn maybe_panic_in_markdown(reference: &str) {
    if !cfg!(feature = "fault-injection") {
        return;
    }
    if std::env::var(PANIC_IN_MARKDOWN).is_ok_and(|target| target == reference) {
        panic!("fault injected by {PANIC_IN_MARKDOWN} in {reference}");
    }
}

/// An error like a full disk's, once [`DISK_FULL_AFTER`] files were
/// written, or while the file [`DISK_FULL_WHILE`] names exists. Called for
/// every file a build writes: the variables are read once.
pub fn maybe_disk_full() -> std::io::Result<()> {
    if !cfg!(feature = "fault-injection") {
        return Ok(());
    }
    static WRITTEN: AtomicUsize = AtomicUsize::new(0);
    static SET: OnceLock<(Option<PathBuf>, Option<usize>)> = OnceLock::new();
    let (flag, limit) = SET.get_or_init(|| {
        (
            std::env::var_os(DISK_FULL_WHILE).map(PathBuf::from),
            std::env::var(DISK_FULL_AFTER)
                .ok()
                .and_then(|v| v.parse::<usize>().ok()),
        )
    });
    let full = |by: &str| {
        Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            format!("No space left on device (injected by {by})"),
        ))
    };
    if flag.as_deref().is_some_and(Path::exists) {
        return full(DISK_FULL_WHILE);
    }
    match limit {
        Some(limit) if WRITTEN.fetch_add(1, Ordering::SeqCst) >= *limit => full(DISK_FULL_AFTER),
        _ => Ok(()),
    }
}

/// Waits as long as [`PAUSE_AFTER_LOAD_MS`] says, saying so on stderr.
pub fn maybe_pause_after_load() {
    if !cfg!(feature = "fault-injection") {
        return;
    }
    let Some(ms) = std::env::var(PAUSE_AFTER_LOAD_MS)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    eprintln!("fault: paused {ms} ms after loading the content ({PAUSE_AFTER_LOAD_MS})");
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

/// How long a build waits before it shows its progress: `usual`, or what
/// [`PROGRESS_AFTER_MS`] says.
pub fn progress_delay(usual: std::time::Duration) -> std::time::Duration {
    if !cfg!(feature = "fault-injection") {
        return usual;
    }
    std::env::var(PROGRESS_AFTER_MS)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(usual, std::time::Duration::from_millis)
}
