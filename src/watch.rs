//! Watching a site's sources and turning file events into rebuilds.
//!
//! Editors save in many ways (write in place, write a temporary file and
//! rename it over, keep swap and backup files beside it); the debouncer
//! coalesces each burst into one batch, [`classify`] keeps the paths that
//! matter, and the loop rebuilds once per batch. Events that arrive while a
//! rebuild runs wait in the channel and cause exactly one more rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};

use crate::config::CONFIG_FILE;
use crate::content::load::{is_ignored_name, CONTENT_DIR};
use crate::rebuild::{Failure, Outcome, Rebuilder, Touched};
use crate::site::STATIC_DIR;
use crate::theme::THEMES_DIR;

/// How long the debouncer waits for a burst of events to end. An editor's
/// save (write a temporary file, rename it over) is over in a millisecond
/// or two; a burst cut in two costs one more rebuild of what changed,
/// while every millisecond here is one the author waits after each save.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the polling fallback looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(300);
/// Set to force the polling watcher (file systems without events).
pub const POLL_ENV: &str = "SALESBOOK_POLL";

/// The part of the site a changed path belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Config,
    Content(String),
    Static(String),
    Theme(String),
    /// The output folder was deleted: it is written again at once.
    OutputGone,
}

impl Change {
    /// The changed path relative to the site root, if it is a file's.
    fn path(&self) -> Option<&str> {
        match self {
            Change::Config | Change::OutputGone => None,
            Change::Content(path) | Change::Static(path) | Change::Theme(path) => Some(path),
        }
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Config => write!(f, "{CONFIG_FILE}"),
            Change::OutputGone => write!(f, "the output folder was deleted"),
            Change::Content(path) | Change::Static(path) | Change::Theme(path) => {
                write!(f, "{path}")
            }
        }
    }
}

/// What a changed path means for the site at `root`, or `None` when it
/// does not matter: outside the sources, inside the output folder, or an
/// editor's temporary, swap or backup file.
pub fn classify(root: &Path, out: &Path, path: &Path) -> Option<Change> {
    if path.starts_with(out) {
        return None;
    }
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|part| is_ignored_name(part)) {
        return None;
    }
    let display = parts.join("/");
    match parts.first().map(String::as_str) {
        Some(CONFIG_FILE) if parts.len() == 1 => Some(Change::Config),
        Some(CONTENT_DIR) => Some(Change::Content(display)),
        Some(STATIC_DIR) => Some(Change::Static(display)),
        Some(THEMES_DIR) => Some(Change::Theme(display)),
        _ => None,
    }
}

type AnyDebouncer = Box<dyn WatchPaths + Send>;

/// The part of a debouncer the watcher needs, whatever its back end.
trait WatchPaths {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()>;
    fn unwatch(&mut self, path: &Path) -> notify::Result<()>;
}

impl<W: notify::Watcher> WatchPaths for Debouncer<W, RecommendedCache> {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        Debouncer::watch(self, path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        Debouncer::unwatch(self, path)
    }
}

pub struct SourceWatcher {
    root: PathBuf,
    out: PathBuf,
    debouncer: AnyDebouncer,
    events: Receiver<DebounceEventResult>,
    /// Watched source folders and the identity (inode) of each.
    watched: std::collections::BTreeMap<PathBuf, u64>,
    /// True when the file system gave no events and files are polled.
    pub polling: bool,
    /// Whether OUT was there when last looked at.
    out_present: bool,
}

impl SourceWatcher {
    /// Watches `site.yaml`, `content/`, `static/` and `themes/` of `root`.
    /// Falls back to polling when the system cannot watch (for example the
    /// inotify watch limit is exhausted), saying so in `polling`.
    pub fn start(root: &Path, out: &Path) -> Result<SourceWatcher, String> {
        let force_poll = std::env::var_os(POLL_ENV).is_some();
        if !force_poll {
            let native = if crate::faults::is_set(crate::faults::WATCH_LIMIT) {
                Err("the inotify watch limit is reached (simulated)".to_string())
            } else {
                Self::with_backend::<RecommendedWatcher>(root, out, notify::Config::default())
            };
            match native {
                Ok(watcher) => return Ok(watcher),
                Err(reason) => eprintln!("warning: cannot watch files for changes ({reason}); polling every {} ms instead", POLL_INTERVAL.as_millis()),
            }
        }
        // Comparing contents: modification times may have a one-second
        // resolution, and two saves within a second would look like one.
        let config = notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        let mut watcher = Self::with_backend::<PollWatcher>(root, out, config)?;
        watcher.polling = true;
        Ok(watcher)
    }

    fn with_backend<W: notify::Watcher + Send + 'static>(
        root: &Path,
        out: &Path,
        config: notify::Config,
    ) -> Result<SourceWatcher, String>
    where
        Debouncer<W, RecommendedCache>: WatchPaths,
    {
        let (sender, events) = channel();
        let debouncer = new_debouncer_opt::<_, W, RecommendedCache>(
            DEBOUNCE,
            None,
            sender,
            RecommendedCache::new(),
            config,
        )
        .map_err(|error| error.to_string())?;
        let mut watcher = SourceWatcher {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            debouncer: Box::new(debouncer),
            events,
            watched: std::collections::BTreeMap::new(),
            polling: false,
            out_present: false,
        };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|error| error.to_string())?;
        watcher.watch_source_folders()?;
        Ok(watcher)
    }

    /// Source folders are watched recursively as soon as they exist, and
    /// again when one was deleted or moved away and another took its place
    /// (a `git checkout`, `rm -rf content && mv new content`): the old
    /// watch went with the old folder.
    fn watch_source_folders(&mut self) -> Result<(), String> {
        for name in [CONTENT_DIR, STATIC_DIR, THEMES_DIR] {
            let folder = self.root.join(name);
            let identity = folder_identity(&folder);
            let known = self.watched.get(&folder).copied();
            if known.is_some() && known != identity {
                let _ = self.debouncer.unwatch(&folder);
                self.watched.remove(&folder);
            }
            if let Some(identity) = identity.filter(|_| !self.watched.contains_key(&folder)) {
                self.debouncer
                    .watch(&folder, RecursiveMode::Recursive)
                    .map_err(|error| format!("{}: {error}", folder.display()))?;
                self.watched.insert(folder, identity);
            }
        }
        Ok(())
    }

    /// Waits for the next batch of relevant changes, gathering every batch
    /// already queued. Returns `None` when `stop` is set.
    pub fn next_changes(&mut self, stop: &AtomicBool) -> Option<BTreeSet<Change>> {
        let mut changes = BTreeSet::new();
        // As the last rebuild left it.
        self.out_present = self.out.is_dir();
        loop {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            let timeout = if changes.is_empty() {
                Duration::from_millis(100)
            } else {
                Duration::ZERO
            };
            match self.events.recv_timeout(timeout) {
                Ok(batch) => self.absorb(batch, &mut changes),
                Err(RecvTimeoutError::Timeout) if changes.is_empty() => {
                    if self.output_was_deleted() {
                        changes.insert(Change::OutputGone);
                    }
                }
                Err(RecvTimeoutError::Timeout) => return Some(changes),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Whether OUT went since it was last seen. OUT is not watched (it may
    /// be anywhere, and its own writes are no news): it is looked at
    /// whenever no events come, one `stat` every 100 ms.
    fn output_was_deleted(&mut self) -> bool {
        let present = self.out.is_dir();
        let deleted = self.out_present && !present;
        self.out_present = present;
        deleted
    }

    fn absorb(&mut self, batch: DebounceEventResult, changes: &mut BTreeSet<Change>) {
        match batch {
            Ok(events) => {
                // Reading a file is an event too (the rebuild's own reads
                // among them); only writes, creations, removals and renames
                // change the site.
                for event in events.iter().filter(|e| changes_files(&e.kind)) {
                    for path in &event.paths {
                        if let Some(change) = classify(&self.root, &self.out, path) {
                            changes.insert(change);
                        }
                        // A source folder itself created, deleted or moved:
                        // its watch is set up again (a new folder may even
                        // have the old one's inode).
                        let replaced = matches!(
                            event.kind,
                            notify::EventKind::Create(_)
                                | notify::EventKind::Remove(_)
                                | notify::EventKind::Modify(notify::event::ModifyKind::Name(_))
                        );
                        if replaced && self.watched.remove(path).is_some() {
                            let _ = self.debouncer.unwatch(path);
                        }
                    }
                }
                if let Err(reason) = self.watch_source_folders() {
                    eprintln!("warning: cannot watch {reason}");
                }
            }
            Err(errors) => {
                for error in errors {
                    eprintln!("warning: file watcher: {error}");
                }
                // Something was missed: rebuild to be safe (stamps tell what changed).
                changes.insert(Change::Config);
            }
        }
    }
}

/// The inode of `folder` if it is a folder.
fn folder_identity(folder: &Path) -> Option<u64> {
    let metadata = std::fs::metadata(folder).ok()?;
    if !metadata.is_dir() {
        return None;
    }
    #[cfg(unix)]
    return Some(std::os::unix::fs::MetadataExt::ino(&metadata));
    #[cfg(not(unix))]
    return Some(0);
}

fn changes_files(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Rebuilds after every batch of changes until `stop` is set (the first
/// build is the caller's). `report` hears about every rebuild, good or failed.
pub fn rebuild_loop(
    rebuilder: &mut Rebuilder,
    watcher: &mut SourceWatcher,
    stop: &AtomicBool,
    mut report: impl FnMut(&BTreeSet<Change>, &Result<Outcome, Failure>),
) {
    while let Some(changes) = watcher.next_changes(stop) {
        let paths: Vec<PathBuf> = changes
            .iter()
            .filter_map(|change| change.path())
            .map(|p| watcher.root.join(p))
            .collect();
        let touched = if changes
            .iter()
            .any(|c| matches!(c, Change::Static(_) | Change::Theme(_)))
        {
            Touched::Copies
        } else if changes.iter().all(|c| matches!(c, Change::Content(_))) {
            Touched::ContentOnly
        } else {
            Touched::Other
        };
        let result = rebuilder.rebuild_after(&paths, touched);
        report(&changes, &result);
    }
}

/// A one-line summary of what changed, for the terminal.
pub fn describe(changes: &BTreeSet<Change>) -> String {
    const SHOWN: usize = 3;
    let names: Vec<String> = changes.iter().take(SHOWN).map(|c| c.to_string()).collect();
    let more = changes.len().saturating_sub(SHOWN);
    if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str) -> Option<Change> {
        classify(
            Path::new("/site"),
            Path::new("/site/public"),
            Path::new(path),
        )
    }

    #[test]
    fn sources_are_classified() {
        assert_eq!(change("/site/site.yaml"), Some(Change::Config));
        assert_eq!(
            change("/site/content/exercises/a.md"),
            Some(Change::Content("content/exercises/a.md".into()))
        );
        assert_eq!(
            change("/site/static/img/x.png"),
            Some(Change::Static("static/img/x.png".into()))
        );
        assert_eq!(
            change("/site/themes/default/templates/base.html"),
            Some(Change::Theme("themes/default/templates/base.html".into()))
        );
        assert_eq!(
            change("/site/content"),
            Some(Change::Content("content".into()))
        );
    }

    #[test]
    fn output_and_other_files_are_ignored() {
        assert_eq!(change("/site/public/index.html"), None);
        assert_eq!(change("/site/README.md"), None);
        assert_eq!(change("/site/target/debug/x"), None);
        assert_eq!(change("/elsewhere/content/a.md"), None);
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for path in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.#a.md",
            "/site/content/#a.md#",
            "/site/content/4913",
            "/site/content/.git/x",
        ] {
            assert_eq!(change(path), None, "{path}");
        }
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Create(CreateKind::File)));
        assert!(changes_files(&EventKind::Modify(ModifyKind::Any)));
    }

    #[test]
    fn describe_shortens_long_lists() {
        let changes: BTreeSet<Change> = (0..5)
            .map(|i| Change::Content(format!("content/{i}.md")))
            .collect();
        assert_eq!(
            describe(&changes),
            "content/0.md, content/1.md, content/2.md and 2 more"
        );
    }
}
