//! The development server: the last good build served from a temporary
//! folder, and one Server-Sent Events endpoint that tells open pages to
//! reload after a good rebuild or to show the errors of a failed one.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;
use tokio_stream::StreamExt;
use tower_http::services::ServeDir;

use crate::diagnostics::{Diagnostic, SourceLines};

/// Where pages listen for rebuilds.
pub const EVENTS_PATH: &str = "/__salesbook/events";

/// How many ports after the requested one are tried when it is busy.
const PORT_ATTEMPTS: u16 = 10;

/// What every open page is told: the id of the last good build (a page
/// reloads when it changes), the errors of the latest rebuild, if it
/// failed, and its warnings.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LiveState {
    pub build: String,
    pub errors: Vec<ErrorView>,
    pub warnings: Vec<ErrorView>,
}

/// An error or a warning as the overlay shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorView {
    /// `file:line:column`, as far as known.
    pub location: String,
    pub message: String,
    /// The line the problem is on, as it is in the file, and the 1-based
    /// column (in characters) the overlay puts a caret under.
    pub source: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl ErrorView {
    /// The view of `diagnostic`, whose file is relative to `root`, with its
    /// source line from `sources`.
    pub fn from_diagnostic(
        diagnostic: &Diagnostic,
        root: &Path,
        sources: &mut SourceLines,
    ) -> Self {
        let source = diagnostic.line.and_then(|line| {
            sources
                .get(&root.join(&diagnostic.file), line)
                .map(str::to_string)
        });
        ErrorView {
            location: diagnostic.location(),
            message: diagnostic.full_message(),
            line: source.as_ref().and(diagnostic.line),
            column: source.as_ref().and(diagnostic.column),
            source,
        }
    }

    /// A problem that belongs to no line of a file (the output folder).
    pub fn without_source(location: &str, message: String) -> Self {
        ErrorView {
            location: location.to_string(),
            message,
            source: None,
            line: None,
            column: None,
        }
    }
}

/// The script added to every HTML page as it is served, with the id of the
/// build it belongs to in place of `BUILD_ID`. It reconnects by itself
/// (EventSource retries) and reloads only when the server's build id differs
/// from its own, so a page that connects late still catches up and a
/// reconnect never causes a reload storm. Errors show in an overlay built
/// with textContent (never parsed as HTML), inside a shadow root with
/// styles of its own: no theme's colours or fonts reach it. Warnings are
/// listed after the errors; a build with warnings only gets a slim bar
/// that lists them on demand and, once hidden, stays hidden (for this tab)
/// until the warnings change.
pub const LIVE_RELOAD_SNIPPET: &str = r#"<script>
(function () {
  var seen = "BUILD_ID", overlay = null, DISMISSED = "salesbook-dismissed-warnings";
  var STYLE = ":host{all:initial;position:fixed;left:0;right:0;bottom:0;z-index:2147483647;" +
    "color-scheme:light dark;--bg:#ffffff;--text:#16181d;--muted:#4b5260;--code:#f1f3f6;--mark:#b42318;--warn:#8a5300;" +
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
    "@media (prefers-color-scheme:dark){:host{--bg:#17191e;--text:#f2f3f5;--muted:#b8bec9;--code:#23262d;--mark:#ff8f85;--warn:#f5c451}}" +
    "section{max-height:60vh;overflow:auto;background:var(--bg);color:var(--text);border-top:4px solid var(--mark);" +
    "padding:.75rem 1.25rem 1rem;box-shadow:0 -4px 16px rgba(0,0,0,.25)}" +
    "section.quiet{border-top-color:var(--warn);padding:.4rem 1.25rem}" +
    "header{display:flex;gap:1rem;align-items:baseline;justify-content:space-between}" +
    "h2{font-size:1rem;margin:0;color:var(--text);flex:1}" +
    "button{font:inherit;color:var(--text);background:var(--code);border:1px solid var(--muted);border-radius:.3rem;padding:.15rem .6rem;cursor:pointer}" +
    "button:focus-visible,section:focus-visible{outline:3px solid var(--mark);outline-offset:2px}" +
    "ol{list-style:none;margin:0;padding:0}li{margin:.75rem 0 0;padding-left:.75rem;border-left:4px solid var(--mark)}" +
    "li.warning{border-left-color:var(--warn)}" +
    ".where{font-weight:700;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;margin:0;color:var(--text)}" +
    ".label{color:var(--mark);text-transform:uppercase;font-size:.8em;letter-spacing:.04em}" +
    "li.warning .label{color:var(--warn)}" +
    ".what{margin:.15rem 0 0;color:var(--text)}" +
    "pre{margin:.4rem 0 0;padding:.5rem .75rem;background:var(--code);color:var(--text);border-radius:.3rem;" +
    "white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}" +
    ".gutter{color:var(--muted)}.caret{color:var(--mark);font-weight:700}";
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // The source line with its number, and a caret under the column; tabs
  // before the column stay tabs, so the caret lines up with them.
  function snippet(e) {
    var pre = el("pre"), number = String(e.line);
    pre.appendChild(el("span", "gutter", number + " | "));
    pre.appendChild(document.createTextNode(e.source + "\n"));
    if (e.column) {
      var pad = Array.from(e.source).slice(0, e.column - 1).map(function (c) { return c === "\t" ? "\t" : " "; }).join("");
      pre.appendChild(el("span", "gutter", number.replace(/./g, " ") + " | "));
      pre.appendChild(el("span", "caret", pad + "^"));
    }
    return pre;
  }
  function problem(e, kind) {
    var item = el("li", kind), where = el("p", "where");
    where.appendChild(el("span", "label", kind));
    where.appendChild(document.createTextNode(" " + e.location));
    item.appendChild(where);
    item.appendChild(el("p", "what", e.message));
    if (e.source !== null && e.line) item.appendChild(snippet(e));
    return item;
  }
  // sessionStorage may be refused (a sandboxed frame): then a hidden bar
  // comes back with the next build.
  function remembered() { try { return sessionStorage.getItem(DISMISSED); } catch (e) { return null; } }
  function remember(key) { try { sessionStorage.setItem(DISMISSED, key); } catch (e) {} }
  function button(text, onClick) {
    var node = el("button", "", text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }
  function show(state) {
    if (overlay) { overlay.remove(); overlay = null; }
    var errors = state.errors, warnings = state.warnings || [];
    var quiet = !errors.length, key = JSON.stringify(warnings);
    if (quiet && (!warnings.length || remembered() === key)) return;
    overlay = document.createElement("salesbook-errors");
    overlay.id = "salesbook-errors";
    var root = overlay.attachShadow({ mode: "open" });
    root.appendChild(el("style", "", STYLE));
    var section = el("section", quiet ? "quiet" : "");
    section.setAttribute("role", quiet ? "status" : "alert");
    section.setAttribute("aria-labelledby", "title");
    section.tabIndex = 0;
    var count = warnings.length + (warnings.length === 1 ? " warning" : " warnings");
    var header = el("header"), title = el("h2", "", quiet ? "This build has " + count
      : "The last change has errors; this is the last good build");
    title.id = "title";
    var list = el("ol");
    list.id = "problems";
    errors.forEach(function (e) { list.appendChild(problem(e, "error")); });
    warnings.forEach(function (e) { list.appendChild(problem(e, "warning")); });
    header.appendChild(title);
    if (quiet) {
      list.hidden = true;
      var details = button("Details", function () {
        list.hidden = !list.hidden;
        details.setAttribute("aria-expanded", String(!list.hidden));
      });
      details.setAttribute("aria-expanded", "false");
      details.setAttribute("aria-controls", "problems");
      header.appendChild(details);
    }
    header.appendChild(button("Hide", function () {
      if (quiet) remember(key);
      overlay.remove(); overlay = null;
    }));
    section.appendChild(header);
    section.appendChild(list);
    root.appendChild(section);
    document.body.appendChild(overlay);
  }
  var source = new EventSource("/__salesbook/events");
  source.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    if (state.build !== seen) { location.reload(); return; }
    show(state);
  });
})();
</script>
"#;

/// Binds `bind:port`, or the next free port when it is busy. Returns the
/// listener and whether another port was taken.
pub async fn bind(bind: IpAddr, port: u16) -> Result<(TcpListener, bool), String> {
    let mut last_error = None;
    for offset in 0..=PORT_ATTEMPTS {
        let Some(candidate) = port.checked_add(offset) else {
            break;
        };
        match TcpListener::bind(SocketAddr::new(bind, candidate)).await {
            Ok(listener) => return Ok((listener, offset > 0)),
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => last_error = Some(error),
            Err(error) => return Err(format!("cannot listen on {bind}:{candidate}: {error}")),
        }
    }
    Err(format!(
        "ports {port} to {} on {bind} are all busy ({})",
        port.saturating_add(PORT_ATTEMPTS),
        last_error.map(|e| e.to_string()).unwrap_or_default()
    ))
}

#[derive(Clone)]
struct AppState {
    live: watch::Receiver<LiveState>,
    bind: IpAddr,
    site_dir: PathBuf,
}

/// Serves `site_dir` on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    site_dir: PathBuf,
    live: watch::Receiver<LiveState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let bind = listener.local_addr()?.ip();
    let state = AppState {
        live,
        bind,
        site_dir: site_dir.clone(),
    };
    let not_found = axum::routing::any(not_found).with_state(state.clone());
    let files = ServeDir::new(&site_dir).not_found_service(not_found);
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), live_reload))
        .layer(middleware::from_fn_with_state(state.clone(), check_path))
        .layer(middleware::from_fn_with_state(state.clone(), check_host))
        .with_state(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn events(State(state): State<AppState>) -> impl IntoResponse {
    let stream = WatchStream::new(state.live.clone()).map(|live| {
        let data = serde_json::to_string(&live).unwrap_or_else(|_| "{}".to_string());
        Ok::<Event, std::convert::Infallible>(
            Event::default()
                .event("state")
                .retry(std::time::Duration::from_millis(1000))
                .data(data),
        )
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The site's own 404 page, with status 404.
async fn not_found(State(state): State<AppState>) -> Response {
    let page = tokio::fs::read(state.site_dir.join("404.html"))
        .await
        .unwrap_or_else(|_| b"Not found".to_vec());
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Serves every page fresh, with the live-reload script of the current
/// build: the browser may not reuse a cached copy (a rebuild can write a
/// page twice within the same second, which `Last-Modified` cannot tell
/// apart), and conditional and range requests are answered in full. HEAD
/// is answered as GET without the body, so both give the same length.
async fn live_reload(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    for name in [
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_RANGE,
        header::RANGE,
    ] {
        request.headers_mut().remove(name);
    }
    let is_head = request.method() == Method::HEAD;
    if is_head {
        *request.method_mut() = Method::GET;
    }
    let build = state.live.borrow().build.clone();
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    parts.headers.remove(header::ETAG);
    parts.headers.remove(header::LAST_MODIFIED);
    let is_html = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        let body = if is_head { Body::empty() } else { body };
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read the page\n").into_response();
    };
    let html = with_live_reload(&bytes, &build);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(html.len()));
    let body = if is_head {
        Body::empty()
    } else {
        Body::from(html)
    };
    Response::from_parts(parts, body)
}

/// `html` with the live-reload script for `build` before the last
/// `</body>`, or at the end. The page's bytes are not decoded: a static
/// page in another encoding (Latin-1, Shift JIS) is served as it is, and
/// the script, plain ASCII, reads the same in any of them.
pub fn with_live_reload(html: &[u8], build: &str) -> Vec<u8> {
    let snippet = LIVE_RELOAD_SNIPPET.replace("BUILD_ID", build);
    let at = memchr::memmem::rfind(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Answers 404 for any request path that could name something outside the
/// site, before the file service sees it. ServeDir has its own checks; this
/// one is ours, strict and fuzzed (see [`site_relative_path`]).
async fn check_path(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == EVENTS_PATH || site_relative_path(path).is_some() {
        next.run(request).await
    } else {
        not_found(State(state)).await
    }
}

/// The file a request path names, relative to the site folder, or `None`
/// when the path is not plainly inside it: after percent-decoding (twice,
/// so `%252e` counts as `.`), every segment must be a normal name — no
/// `..`, no `.`, no empty segment but the last, no backslash, NUL, colon
/// or other control character.
pub fn site_relative_path(path: &str) -> Option<std::path::PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let twice = percent_encoding::percent_decode_str(&decoded)
        .decode_utf8()
        .ok()?;
    let rest = twice.strip_prefix('/')?;
    let mut relative = std::path::PathBuf::new();
    let segments: Vec<&str> = rest.split('/').collect();
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        if segment.is_empty() && last {
            continue;
        }
        let plain = !segment.is_empty()
            && *segment != "."
            && *segment != ".."
            && !segment
                .chars()
                .any(|c| c.is_control() || matches!(c, '\\' | ':'));
        if !plain {
            return None;
        }
        relative.push(segment);
    }
    Some(relative)
}

/// Refuses requests whose `Host` is not this server's address or
/// `localhost`: a web page elsewhere cannot reach the server by pointing a
/// DNS name of its own at 127.0.0.1 (DNS rebinding).
async fn check_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if host_is_allowed(host, state.bind) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "salesbook serve only answers requests for localhost or its own address\n",
        )
            .into_response()
    }
}

pub fn host_is_allowed(host: &str, bind: IpAddr) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(ip) => ip == bind || bind.is_unspecified(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_are_allowed() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for host in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "LOCALHOST",
            "127.0.0.1",
        ] {
            assert!(host_is_allowed(host, loopback), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for host in [
            "evil.example:1111",
            "",
            "192.168.1.5:1111",
            "localhost.evil.example",
        ] {
            assert!(!host_is_allowed(host, loopback), "{host}");
        }
    }

    #[test]
    fn the_script_goes_before_the_body_end_with_the_build_id() {
        let html = with_live_reload(b"<html><body><p>x</p></body></html>", "abc123");
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("var seen = \"abc123\""));
        assert!(html.ends_with("</script>\n</body></html>"));
        assert!(html.starts_with("<html><body><p>x</p><script>"));
    }

    #[test]
    fn request_paths_stay_inside_the_site() {
        assert_eq!(site_relative_path("/").unwrap(), std::path::PathBuf::new());
        assert_eq!(
            site_relative_path("/exercises/x/").unwrap(),
            std::path::PathBuf::from("exercises/x")
        );
        assert_eq!(
            site_relative_path("/caf%C3%A9/").unwrap(),
            std::path::PathBuf::from("café")
        );
        for bad in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/..%2fsite.yaml",
            "/..%5csite.yaml",
            "/%252e%252e/site.yaml",
            "//etc/passwd",
            "/a//b",
            "/%00",
            "/./x",
            "/C:/x",
            "relative",
        ] {
            assert_eq!(site_relative_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_lan_bind_accepts_its_own_address() {
        let lan: IpAddr = "10.1.2.3".parse().unwrap();
        assert!(host_is_allowed("10.1.2.3:1111", lan));
        assert!(!host_is_allowed("10.9.9.9:1111", lan));
        assert!(host_is_allowed("10.9.9.9:1111", "0.0.0.0".parse().unwrap()));
    }
}
