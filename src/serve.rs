//! The development server: the last good build served from a temporary
//! folder, and one Server-Sent Events endpoint that tells open pages to
//! reload after a good rebuild or to show the errors of a failed one.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

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

use crate::diagnostics::Diagnostic;

/// Where pages listen for rebuilds.
pub const EVENTS_PATH: &str = "/__salesbook/events";

/// How many ports after the requested one are tried when it is busy.
const PORT_ATTEMPTS: u16 = 10;

/// What every open page is told: the id of the last good build (a page
/// reloads when it changes) and the errors of the latest rebuild, if it
/// failed.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LiveState {
    pub build: String,
    pub errors: Vec<ErrorView>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorView {
    pub location: String,
    pub message: String,
}

impl ErrorView {
    pub fn from_diagnostic(diagnostic: &Diagnostic) -> Self {
        ErrorView {
            location: diagnostic.location(),
            message: diagnostic.full_message(),
        }
    }
}

/// The script added to every HTML page as it is served, with the id of the
/// build it belongs to in place of `BUILD_ID`. It reconnects by itself
/// (EventSource retries) and reloads only when the server's build id differs
/// from its own, so a page that connects late still catches up and a
/// reconnect never causes a reload storm. Errors show in an overlay built
/// with textContent (never parsed as HTML).
pub const LIVE_RELOAD_SNIPPET: &str = r#"<script>
(function () {
  var seen = "BUILD_ID", overlay = null;
  function show(errors) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (!errors.length) return;
    overlay = document.createElement("div");
    overlay.id = "salesbook-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#1d1d1f;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #e5484d";
    var title = document.createElement("strong");
    title.textContent = "salesbook: the last change has errors; showing the last good build";
    overlay.appendChild(title);
    errors.forEach(function (e) {
      var line = document.createElement("pre");
      line.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap";
      line.textContent = e.location + ": " + e.message;
      overlay.appendChild(line);
    });
    document.body.appendChild(overlay);
  }
  var source = new EventSource("/__salesbook/events");
  source.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    if (state.build !== seen) { location.reload(); return; }
    show(state.errors);
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
