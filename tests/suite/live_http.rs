//! Talking to `salesbook serve` from tests: the server process, a tiny
//! HTTP/1.1 client that sends the request line exactly as written (so raw
//! paths like `/%2e%2e/` reach the server untouched), a Server-Sent Events
//! reader with timeouts, and comparing what is served with a clean build.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::live_support::{clean_build, first_difference, poll_until, Running, PATIENCE};

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
