//! Running `salesbook serve` and `salesbook watch` from tests: a child
//! process whose stderr is collected line by line and that is stopped with
//! SIGINT (Ctrl-C) when dropped, bounded polling, and clean builds to
//! compare a live site with. The HTTP client and the Server-Sent Events
//! reader are in `live_http.rs`, re-exported here.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

pub use crate::live_http::{parse_state, Events, LiveState, Server};
use crate::support::BIN;

/// How long anything the tests wait for may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(10);
/// How often a condition is looked at again.
pub const POLL: Duration = Duration::from_millis(50);

/// A private copy of the binary under test, made on first use and shared
/// by this test run. Long-running `serve` and `watch` processes are compared
/// with clean builds made seconds later; when a concurrent `cargo build`
/// replaces `target/debug/salesbook` in between, the two would come from
/// different binaries. Copies unused for 20 minutes are removed (a copy in
/// use is touched when a test run picks it).
pub fn bin() -> &'static Path {
    static COPY: OnceLock<PathBuf> = OnceLock::new();
    COPY.get_or_init(|| {
        let copy = || -> std::io::Result<PathBuf> {
            let metadata = std::fs::metadata(BIN)?;
            let modified = metadata
                .modified()?
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos();
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("salesbook-under-test");
            std::fs::create_dir_all(&dir)?;
            let name = format!("salesbook-{modified:x}-{:x}", metadata.len());
            let target = dir.join(&name);
            if target.exists() {
                // Read-only: a binary being run cannot be opened for writing.
                let _ =
                    std::fs::File::open(&target).and_then(|f| f.set_modified(SystemTime::now()));
            } else {
                let partial = dir.join(format!(".{name}.{}", std::process::id()));
                std::fs::copy(BIN, &partial)?;
                std::fs::rename(&partial, &target)?;
            }
            for entry in std::fs::read_dir(&dir)?.flatten() {
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|m| m.elapsed().ok())
                    .is_some_and(|age| age > Duration::from_secs(20 * 60));
                if old && entry.path() != target {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
            Ok(target)
        };
        copy().unwrap_or_else(|_| PathBuf::from(BIN))
    })
}

/// Waits (at most a second) until the wall clock is in a new second.
///
/// notify's polling watcher compares modification times in whole seconds,
/// so a file changed twice within one second looks unchanged the second
/// time (`live::the_polling_watcher_sees_two_saves_within_one_second`
/// checks exactly that). Tests about other things call this before each
/// edit made under polling, so they check what they are about whatever
/// the state of that bug.
pub fn next_wall_clock_second() {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let left = Duration::from_secs(1) - Duration::from_nanos(u64::from(now.subsec_nanos()));
    std::thread::sleep(left + Duration::from_millis(20));
}

/// Polls `probe` every 50 ms until it returns `Some`, for at most `limit`.
pub fn poll_until<T>(limit: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// Lines a child process wrote to stderr, shared with the thread reading them.
#[derive(Default)]
struct Log {
    lines: Mutex<(Vec<String>, bool)>,
    changed: Condvar,
}

/// A running `salesbook` process.
pub struct Running {
    child: Option<Child>,
    log: Arc<Log>,
    what: String,
}

impl Running {
    /// Starts `salesbook ARGS` in `dir` with `NO_COLOR=1` and `envs`.
    pub fn spawn(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Running {
        let mut command = Command::new(bin());
        command
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env_remove("SALESBOOK_POLL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in envs {
            command.env(key, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin().display()));
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Log::default());
        let writer = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut lines = writer.lines.lock().unwrap();
                lines.0.push(line);
                writer.changed.notify_all();
            }
            writer.lines.lock().unwrap().1 = true;
            writer.changed.notify_all();
        });
        Running {
            child: Some(child),
            log,
            what: format!("salesbook {}", args.join(" ")),
        }
    }

    /// `salesbook watch ROOT -o OUT` with `envs`, once its first build is
    /// done (it says `watching ...`).
    #[track_caller]
    pub fn watch(root: &Path, out: &Path, envs: &[(&str, &str)]) -> Running {
        let args = ["watch", path_text(root), "-o", path_text(out)];
        let process = Running::spawn(root, &args, envs);
        let ready = process.wait_for_line(PATIENCE, |l| l.starts_with("watching "));
        assert!(
            ready.is_some(),
            "watch did not start\n{}",
            process.describe()
        );
        process
    }

    /// The process id, while it runs.
    pub fn id(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Everything the process wrote to stderr so far.
    pub fn stderr(&self) -> String {
        let lines = self.log.lines.lock().unwrap();
        lines.0.iter().map(|l| format!("{l}\n")).collect()
    }

    pub fn lines(&self) -> Vec<String> {
        self.log.lines.lock().unwrap().0.clone()
    }

    /// Waits (at most `limit`) for a stderr line for which `matches` holds
    /// and returns it; `None` on timeout or when stderr closed.
    pub fn wait_for_line(
        &self,
        limit: Duration,
        mut matches: impl FnMut(&str) -> bool,
    ) -> Option<String> {
        let deadline = Instant::now() + limit;
        let mut lines = self.log.lines.lock().unwrap();
        let mut looked = 0;
        loop {
            if let Some(line) = lines.0[looked..].iter().find(|l| matches(l)) {
                return Some(line.clone());
            }
            looked = lines.0.len();
            let now = Instant::now();
            if lines.1 || now >= deadline {
                return None;
            }
            lines = self
                .log
                .changed
                .wait_timeout(lines, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// How many rebuilds (good or failed) the process reported.
    pub fn rebuilds(&self) -> usize {
        self.lines().iter().filter(|l| is_rebuild_line(l)).count()
    }

    /// Waits until the process reported more than `before` rebuilds.
    #[track_caller]
    pub fn wait_for_rebuild_after(&self, before: usize) {
        let seen = poll_until(PATIENCE, || (self.rebuilds() > before).then_some(()));
        assert!(
            seen.is_some(),
            "no rebuild within {PATIENCE:?} (saw {before} before)\n{}",
            self.stderr()
        );
    }

    /// Waits until no rebuild was reported for `quiet` (bounded by
    /// [`PATIENCE`]).
    #[track_caller]
    pub fn wait_until_quiet(&self, quiet: Duration) {
        let deadline = Instant::now() + PATIENCE;
        let mut count = self.rebuilds();
        let mut since = Instant::now();
        loop {
            std::thread::sleep(POLL);
            let now = self.rebuilds();
            if now != count {
                count = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the process kept rebuilding for {PATIENCE:?}\n{}",
                self.stderr()
            );
        }
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits, bounded, for the exit.
    /// Returns the exit status, or `None` when it had to be killed.
    pub fn interrupt(&mut self) -> Option<ExitStatus> {
        self.stop_with(Signal::Interrupt)
    }

    /// Sends `signal` and waits, bounded, for the exit. Returns the exit
    /// status, or `None` when it had to be killed.
    pub fn stop_with(&mut self, signal: Signal) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        send_signal(child.id(), signal);
        let status = poll_until(PATIENCE, || child.try_wait().ok().flatten());
        if status.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        // Let the reader thread take the last lines.
        let _ = poll_until(Duration::from_secs(2), || {
            self.log.lines.lock().unwrap().1.then_some(())
        });
        status
    }

    pub fn describe(&self) -> String {
        format!("{}\n--- stderr\n{}---", self.what, self.stderr())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.interrupt();
    }
}

/// A line `serve` and `watch` print after each rebuild, good or failed.
pub fn is_rebuild_line(line: &str) -> bool {
    line.starts_with("rebuilt in ")
        || (line.starts_with("after ") && line.ends_with("keeping the last good build"))
        || (line.starts_with("error: ") && line.ends_with("(the next change rebuilds everything)"))
}

/// Signals that ask a process to stop.
#[derive(Debug, Clone, Copy)]
pub enum Signal {
    /// SIGINT, what Ctrl-C sends.
    Interrupt,
    /// SIGTERM, what `kill` and service managers send.
    Terminate,
    /// SIGHUP, what closing the terminal sends.
    Hangup,
}

#[cfg(target_os = "linux")]
fn send_signal(pid: u32, signal: Signal) {
    let number = match signal {
        Signal::Interrupt => libc::SIGINT,
        Signal::Terminate => libc::SIGTERM,
        Signal::Hangup => libc::SIGHUP,
    };
    // SAFETY: kill(2) with a pid of our own child and a valid signal.
    unsafe {
        libc::kill(pid as libc::pid_t, number);
    }
}

#[cfg(not(target_os = "linux"))]
fn send_signal(pid: u32, signal: Signal) {
    let name = match signal {
        Signal::Interrupt => "-INT",
        Signal::Terminate => "-TERM",
        Signal::Hangup => "-HUP",
    };
    let _ = Command::new("kill").args([name, &pid.to_string()]).status();
}

/// Every file of a clean `salesbook build ROOT -o OUT` into a new
/// temporary folder.
#[track_caller]
pub fn clean_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let clean = out.path().join("clean");
    let output = Command::new(bin())
        .args([
            "build",
            root.to_str().unwrap(),
            "-o",
            clean.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("run salesbook build");
    assert!(
        output.status.success(),
        "the clean build failed\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    crate::support::snapshot(&clean)
}

/// Why two file trees differ, or `None` when they are byte-identical.
pub fn tree_difference(
    got: &BTreeMap<String, Vec<u8>>,
    want: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let mut report = String::new();
    for name in want.keys().filter(|k| !got.contains_key(*k)) {
        report.push_str(&format!("missing: {name}\n"));
    }
    for name in got.keys().filter(|k| !want.contains_key(*k)) {
        report.push_str(&format!("extra (stale): {name}\n"));
    }
    let mut shown = 0;
    for (name, bytes) in got {
        if let Some(expected) = want.get(name) {
            if bytes != expected {
                report.push_str(&format!("differs: {name}\n"));
                if shown < 2 {
                    shown += 1;
                    report.push_str(&first_difference(bytes, expected));
                }
            }
        }
    }
    (!report.is_empty()).then_some(report)
}

pub fn first_difference(got: &[u8], want: &[u8]) -> String {
    let got = String::from_utf8_lossy(got);
    let want = String::from_utf8_lossy(want);
    let got_lines: Vec<&str> = got.lines().collect();
    let want_lines: Vec<&str> = want.lines().collect();
    let at = got_lines
        .iter()
        .zip(&want_lines)
        .position(|(a, b)| a != b)
        .unwrap_or(got_lines.len().min(want_lines.len()));
    let around = |lines: &[&str]| {
        let start = at.saturating_sub(2);
        let end = (at + 6).min(lines.len());
        lines[start..end]
            .iter()
            .enumerate()
            .map(|(i, l)| format!("    {:>4}| {l}\n", start + i + 1))
            .collect::<String>()
    };
    format!(
        "  first difference at line {}\n  got:\n{}  want (clean build):\n{}",
        at + 1,
        around(&got_lines),
        around(&want_lines)
    )
}

/// A test folder's path as an argument (test folders are UTF-8).
fn path_text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 test folder")
}
