//! Running `salesbook serve` and `salesbook watch` from tests: a child
//! process whose stderr is collected line by line and that is stopped with
//! SIGINT (Ctrl-C) when dropped, a tiny HTTP/1.1 client that sends the
//! request line exactly as written (so raw paths like `/%2e%2e/` reach the
//! server untouched), a Server-Sent Events reader with timeouts, and
//! bounded polling.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::Path;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

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

/// `salesbook serve` on a port the system picks.
pub struct Server {
    pub process: Running,
    pub addr: SocketAddr,
}

impl Server {
    /// `salesbook serve ROOT --port 0 --bind 127.0.0.1`.
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &["--port", "0"], &[])
    }

    /// `salesbook serve ROOT --bind 127.0.0.1 ARGS...` with `envs`; waits
    /// at most 10 s for the `serving at` line.
    pub fn start_with(root: &Path, args: &[&str], envs: &[(&str, &str)]) -> Server {
        let root = root.to_str().unwrap();
        let mut all = vec!["serve", root, "--bind", "127.0.0.1"];
        all.extend_from_slice(args);
        let mut process = Running::spawn(Path::new(root), &all, envs);
        let line = process.wait_for_line(PATIENCE, |l| l.starts_with("serving at http://"));
        let Some(line) = line else {
            let status = process.interrupt();
            panic!(
                "no `serving at` line within {PATIENCE:?} (exit {status:?})\n{}",
                process.describe()
            );
        };
        let address = line
            .strip_prefix("serving at http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("cannot read the address in {line:?}"));
        let addr: SocketAddr = address
            .parse()
            .unwrap_or_else(|e| panic!("bad address {address:?} in {line:?}: {e}"));
        Server { process, addr }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `GET path` with `Host: 127.0.0.1:PORT`.
    #[track_caller]
    pub fn get(&self, path: &str) -> Response {
        let host = self.addr.to_string();
        self.get_with_host(path, &host)
    }

    #[track_caller]
    pub fn get_with_host(&self, path: &str, host: &str) -> Response {
        let raw = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        self.send(raw.as_bytes())
            .unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.process.describe()))
    }

    /// Sends raw request bytes and reads the whole response.
    pub fn send(&self, raw: &[u8]) -> std::io::Result<Response> {
        let mut stream = TcpStream::connect_timeout(&self.addr, PATIENCE)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        stream.set_write_timeout(Some(PATIENCE))?;
        stream.write_all(raw)?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes)?;
        Response::parse(&bytes)
    }

    /// The body of `path` once `ready` holds for it, polling for at most
    /// 10 s; panics with what was served last otherwise.
    #[track_caller]
    pub fn wait_for_page(&self, path: &str, mut ready: impl FnMut(&Response) -> bool) -> Response {
        let mut last = None;
        let found = poll_until(PATIENCE, || {
            let response = self.get(path);
            if ready(&response) {
                Some(response)
            } else {
                last = Some(response);
                None
            }
        });
        found.unwrap_or_else(|| {
            let last = last.unwrap();
            panic!(
                "{path} did not become as expected within {PATIENCE:?}; last served: {} {}\n{}",
                last.status,
                last.text(),
                self.process.describe()
            )
        })
    }

    /// Waits until `path` is served with status 200 and contains `text`.
    #[track_caller]
    pub fn wait_for_text(&self, path: &str, text: &str) -> Response {
        self.wait_for_page(path, |r| r.status == 200 && r.text().contains(text))
    }

    /// Waits until `path` answers with status `status`.
    #[track_caller]
    pub fn wait_for_status(&self, path: &str, status: u16) -> Response {
        self.wait_for_page(path, |r| r.status == status)
    }

    /// Opens the live-reload event stream.
    #[track_caller]
    pub fn events(&self) -> Events {
        Events::open(self.addr, &self.addr.to_string()).unwrap_or_else(|e| {
            panic!(
                "cannot open the event stream: {e}\n{}",
                self.process.describe()
            )
        })
    }
}

/// One HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> std::io::Result<Response> {
        Response::parse_with(bytes, true)
    }

    /// Only the status line and headers (the body, if any, is not decoded).
    fn parse_head(bytes: &[u8]) -> std::io::Result<Response> {
        Response::parse_with(bytes, false)
    }

    fn parse_with(bytes: &[u8], decode_body: bool) -> std::io::Result<Response> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        let end = find(bytes, b"\r\n\r\n").ok_or_else(|| {
            bad(&format!(
                "no end of headers in {:?}",
                String::from_utf8_lossy(bytes)
            ))
        })?;
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(&format!("bad status line {status_line:?}")))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        let mut body = bytes[end + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        if chunked && decode_body {
            body = dechunk(&body).ok_or_else(|| bad("bad chunked body"))?;
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or_default()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut bytes: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = find(bytes, b"\r\n")?;
        let size_text = std::str::from_utf8(&bytes[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        bytes = &bytes[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(bytes.get(..size)?);
        bytes = bytes.get(size + 2..)?;
    }
}

/// What one `state` event says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveState {
    pub build: String,
    /// (location, message) of each error.
    pub errors: Vec<(String, String)>,
}

/// One Server-Sent Events message.
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub event: Option<String>,
    pub retry: Option<String>,
    pub data: String,
}

/// A connection to `/__salesbook/events`, read by a thread; messages
/// arrive on a channel so tests can wait for them with a timeout.
pub struct Events {
    messages: Receiver<Message>,
    stream: TcpStream,
    pub headers: Response,
    /// Every message taken so far.
    pub seen: Vec<Message>,
}

impl Events {
    pub fn open(addr: SocketAddr, host: &str) -> std::io::Result<Events> {
        let mut stream = TcpStream::connect_timeout(&addr, PATIENCE)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        write!(
            stream,
            "GET /__salesbook/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
        )?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut head = Vec::new();
        loop {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!(
                        "the event stream closed during the headers: {:?}",
                        String::from_utf8_lossy(&head)
                    ),
                ));
            }
            head.extend_from_slice(&line);
            if line == b"\r\n" {
                break;
            }
        }
        let headers = Response::parse_head(&head)?;
        if headers.status != 200 {
            return Err(std::io::Error::other(format!(
                "the event stream answered {}",
                headers.status
            )));
        }
        let chunked = headers
            .header("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
        // The reader thread blocks on reads; it ends when the server or
        // `Drop` closes the connection.
        reader.get_ref().set_read_timeout(None)?;
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut parser = SseParser::default();
            let mut reader = reader;
            let mut feed = |bytes: &[u8]| -> bool {
                for message in parser.push(bytes) {
                    if sender.send(message).is_err() {
                        return false;
                    }
                }
                true
            };
            if chunked {
                loop {
                    let mut size_line = String::new();
                    if reader.read_line(&mut size_line).unwrap_or(0) == 0 {
                        return;
                    }
                    let Ok(size) =
                        usize::from_str_radix(size_line.trim().split(';').next().unwrap_or(""), 16)
                    else {
                        return;
                    };
                    if size == 0 {
                        return;
                    }
                    let mut chunk = vec![0; size + 2];
                    if reader.read_exact(&mut chunk).is_err() || !feed(&chunk[..size]) {
                        return;
                    }
                }
            } else {
                let mut buffer = [0u8; 4096];
                loop {
                    match reader.read(&mut buffer) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => {
                            if !feed(&buffer[..n]) {
                                return;
                            }
                        }
                    }
                }
            }
        });
        Ok(Events {
            messages,
            stream,
            headers,
            seen: Vec::new(),
        })
    }

    /// The next message, waiting at most `limit`.
    pub fn next_message(&mut self, limit: Duration) -> Option<Message> {
        match self.messages.recv_timeout(limit) {
            Ok(message) => {
                self.seen.push(message.clone());
                Some(message)
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    /// The next `state` message, waiting at most `limit`.
    pub fn next_state(&mut self, limit: Duration) -> Option<LiveState> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.next_message(left)?;
            if message.event.as_deref() == Some("state") {
                return Some(parse_state(&message.data));
            }
        }
    }

    /// The first state on connect.
    #[track_caller]
    pub fn initial(&mut self) -> LiveState {
        self.next_state(PATIENCE)
            .expect("no state message on connect within 10 s")
    }

    /// Waits (10 s at most) for a state for which `wanted` holds; panics
    /// listing the states seen otherwise.
    #[track_caller]
    pub fn wait_for(
        &mut self,
        what: &str,
        mut wanted: impl FnMut(&LiveState) -> bool,
    ) -> LiveState {
        let deadline = Instant::now() + PATIENCE;
        let mut states = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_state(left) {
                Some(state) if wanted(&state) => return state,
                Some(state) => states.push(state),
                None => {
                    panic!("no event stream message {what} within {PATIENCE:?}; got {states:#?}")
                }
            }
        }
    }

    /// Whether the connection was closed by the server.
    pub fn closed(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) => self.seen.push(message),
                Err(RecvTimeoutError::Disconnected) => return true,
                Err(RecvTimeoutError::Timeout) => return false,
            }
        }
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

pub fn parse_state(data: &str) -> LiveState {
    let value: serde_json::Value = serde_json::from_str(data)
        .unwrap_or_else(|e| panic!("state data is not JSON ({e}): {data}"));
    let build = value["build"]
        .as_str()
        .unwrap_or_else(|| panic!("no build id in {data}"))
        .to_string();
    let errors = value["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors list in {data}"))
        .iter()
        .map(|e| {
            (
                e["location"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    LiveState { build, errors }
}

/// Splits an event stream into messages (fields per the SSE spec: lines
/// `name: value`, comments start with `:`, a blank line ends a message).
#[derive(Default)]
struct SseParser {
    pending: Vec<u8>,
    current: Message,
    has_fields: bool,
}

impl SseParser {
    fn push(&mut self, bytes: &[u8]) -> Vec<Message> {
        self.pending.extend_from_slice(bytes);
        let mut done = Vec::new();
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let raw: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&raw);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if self.has_fields {
                    done.push(std::mem::take(&mut self.current));
                    self.has_fields = false;
                }
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value).to_string();
            self.has_fields = true;
            match name {
                "event" => self.current.event = Some(value),
                "retry" => self.current.retry = Some(value),
                "data" => {
                    if !self.current.data.is_empty() {
                        self.current.data.push('\n');
                    }
                    self.current.data.push_str(&value);
                }
                _ => {}
            }
        }
        done
    }
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

fn first_difference(got: &[u8], want: &[u8]) -> String {
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

impl Server {
    /// Why the served site is not `clean` (a clean build's files) with the
    /// live-reload script added before `</body>` of every HTML page, or
    /// `None` when it is exactly that.
    pub fn difference_from(&self, clean: &BTreeMap<String, Vec<u8>>) -> Option<String> {
        let mut report = String::new();
        for (path, want) in clean {
            let url = format!("/{path}");
            let raw = format!(
                "GET {url} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            );
            let response = match self.send(raw.as_bytes()) {
                Ok(response) => response,
                Err(error) => {
                    report.push_str(&format!("{url}: {error}\n"));
                    continue;
                }
            };
            if response.status != 200 {
                report.push_str(&format!("{url}: status {}\n", response.status));
                continue;
            }
            let got = &response.body;
            let same = if path.ends_with(".html") {
                let at = String::from_utf8_lossy(want)
                    .rfind("</body>")
                    .unwrap_or(want.len());
                got.len() > want.len()
                    && got.starts_with(&want[..at])
                    && got.ends_with(&want[at..])
                    && String::from_utf8_lossy(&got[at..got.len() - (want.len() - at)])
                        .contains("/__salesbook/events")
            } else {
                got == want
            };
            if !same {
                report.push_str(&format!("{url}: served bytes differ from a clean build\n"));
                report.push_str(&first_difference(got, want));
            }
        }
        (!report.is_empty()).then_some(report)
    }

    /// Waits until the served site is a clean build of `root` plus the
    /// live-reload script; panics with the differences otherwise.
    #[track_caller]
    pub fn wait_until_serving_clean_build_of(&self, root: &Path) {
        let mut last = String::new();
        let done = poll_until(PATIENCE, || {
            let clean = clean_build(root);
            match self.difference_from(&clean) {
                None => Some(()),
                Some(report) => {
                    last = report;
                    None
                }
            }
        });
        assert!(
            done.is_some(),
            "the served site never matched a clean build within {PATIENCE:?}:\n{last}\n{}",
            self.process.describe()
        );
    }
}
