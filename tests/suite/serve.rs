//! `salesbook serve` as an HTTP server: what it serves, what it refuses,
//! its event stream, its port and its shutdown. Editing while it runs is
//! in `live.rs`.

use std::time::Duration;

use crate::live_support::{clean_build, Events, Server, Signal, PATIENCE};
use crate::support::{asset_in, rich_site, Site};

/// Text that only exists outside the served folder.
const SITE_YAML_SECRET: &str = "site-yaml-secret-91b2";
const SECRET_TXT: &str = "secret-txt-7f3a9c";
const PASSWD: &str = "root:x:0:0";

/// The rich site plus a few static file types, a base URL (sitemap and
/// feed), a secret in a site.yaml comment and a `secret.txt` beside
/// `site.yaml` (neither may ever be served).
fn served_site() -> Site {
    rich_site()
        .file(
            "site.yaml",
            &format!("title: Test Lab\nbase_url: https://example.com/lab/\n# {SITE_YAML_SECRET}\n"),
        )
        .file("secret.txt", &format!("{SECRET_TXT}\n"))
        .file("static/files/notes.txt", "plain notes\n")
        .file(
            "static/img/icon.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        )
        .file("static/data/list.json", "{\"a\": 1}\n")
}

#[test]
fn pages_and_files_are_served_with_their_content_types() {
    let site = served_site();
    let server = Server::start(site.root());
    let home = server.get("/").text();
    let (css, js) = (
        asset_in(&home, "salesbook.css"),
        asset_in(&home, "salesbook.js"),
    );
    for (path, expected) in [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/exercises/first/", "text/html"),
        ("/exercises/first/index.html", "text/html"),
        (&*format!("/{css}"), "text/css"),
        ("/img/logo.png", "image/png"),
        ("/img/icon.svg", "image/svg+xml"),
        ("/files/notes.txt", "text/plain"),
        ("/data/list.json", "application/json"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert!(
            response.content_type().starts_with(expected),
            "{path}: content type {:?}, expected {expected}",
            response.content_type()
        );
    }
    let script = server.get(&format!("/{js}"));
    assert_eq!(script.status, 200);
    assert!(
        ["text/javascript", "application/javascript"]
            .iter()
            .any(|t| script.content_type().starts_with(t)),
        "salesbook.js served as {:?}",
        script.content_type()
    );
    for path in ["/sitemap.xml", "/feed.xml"] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert!(
            response.content_type().contains("xml"),
            "{path} served as {:?}",
            response.content_type()
        );
    }
}

#[test]
fn every_html_page_gets_the_live_reload_script_before_the_end_of_body() {
    let site = served_site();
    let server = Server::start(site.root());
    for path in [
        "/",
        "/about/",
        "/exercises/first/",
        "/tracks/habit/",
        "/topics/practice/",
    ] {
        let html = server.get(path).text();
        let script = html
            .rfind("new EventSource(\"/__salesbook/events\")")
            .unwrap_or_else(|| panic!("{path} has no live-reload script:\n{html}"));
        let body_end = html.rfind("</body>").expect("no </body>");
        assert!(script < body_end, "{path}: the script is after </body>");
        assert_eq!(
            html.matches("/__salesbook/events").count(),
            1,
            "{path}: the script is added once"
        );
    }
    let css = server
        .get(&format!(
            "/{}",
            asset_in(&server.get("/").text(), "salesbook.css")
        ))
        .text();
    assert!(!css.contains("__salesbook"), "only HTML gets the script");
}

#[test]
fn the_served_site_is_the_clean_build_plus_the_script() {
    let site = served_site();
    let server = Server::start(site.root());
    let clean = clean_build(site.root());
    if let Some(report) = server.difference_from(&clean) {
        panic!("the served site differs from a clean build:\n{report}");
    }
}

#[test]
fn a_miss_gets_the_site_404_page_with_status_404() {
    let site = served_site();
    let server = Server::start(site.root());
    let clean = clean_build(site.root());
    let page_404 = String::from_utf8(clean["404.html"].clone()).unwrap();
    let head = &page_404[..page_404.rfind("</body>").unwrap()];
    for path in [
        "/no-such-page/",
        "/exercises/missing/",
        "/missing.css",
        "/exercises/first/nothing.html",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(
            response.content_type().starts_with("text/html"),
            "{path}: {:?}",
            response.content_type()
        );
        let body = response.text();
        assert!(
            body.starts_with(head),
            "{path} is not the site's 404 page:\n{body}"
        );
        assert!(
            body.contains("/__salesbook/events"),
            "{path}: the 404 page reloads too"
        );
    }
}

#[test]
fn a_folder_url_without_a_slash_redirects_to_the_folder() {
    let site = served_site();
    let server = Server::start(site.root());
    for (path, target) in [
        ("/exercises", "/exercises/"),
        ("/exercises/first", "/exercises/first/"),
        ("/topics/practice", "/topics/practice/"),
    ] {
        let response = server.get(path);
        assert!(
            (300..400).contains(&response.status),
            "{path}: status {}",
            response.status
        );
        assert_eq!(response.header("location"), Some(target), "{path}");
        assert_eq!(server.get(target).status, 200, "{target}");
    }
}

#[test]
fn paths_outside_the_served_folder_are_refused() {
    let site = served_site();
    let server = Server::start(site.root());
    // The served folder is a fresh temporary folder, next to the site's
    // own temporary folder: `../../<site folder>/secret.txt` is where a
    // traversal would find the secret.
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let paths = [
        "/../".to_string(),
        "/../../".to_string(),
        "/../site.yaml".to_string(),
        format!("/../../{name}/secret.txt"),
        format!("/assets/../../../{name}/secret.txt"),
        "/%2e%2e/site.yaml".to_string(),
        format!("/%2e%2e/%2e%2e/{name}/secret.txt"),
        format!("/%2E%2E/%2E%2E/{name}/site.yaml"),
        format!("/.%2e/.%2e/{name}/secret.txt"),
        "/..%2fsite.yaml".to_string(),
        format!("/..%2f..%2f{name}%2fsecret.txt"),
        format!("/..%2F..%2F{name}%2Fsite.yaml"),
        "/..%5csite.yaml".to_string(),
        format!("/..%5c..%5c{name}%5csecret.txt"),
        format!("/..\\..\\{name}\\secret.txt"),
        "/%252e%252e/".to_string(),
        format!("/%252e%252e/%252e%252e/{name}/secret.txt"),
        format!("/%c0%ae%c0%ae/%c0%ae%c0%ae/{name}/secret.txt"),
        format!("/....//....//{name}/secret.txt"),
        "//etc/passwd".to_string(),
        "/%2fetc%2fpasswd".to_string(),
        "/%2Fetc%2Fpasswd".to_string(),
        "/etc/passwd".to_string(),
        "/%00".to_string(),
        "/index.html%00".to_string(),
        "/index.html%00.txt".to_string(),
        format!("http://{}/../../{name}/secret.txt", server.addr),
    ];
    let mut failures = Vec::new();
    for path in &paths {
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        );
        let response = match server.send(raw.as_bytes()) {
            Ok(response) => response,
            // A server may also just close the connection on garbage.
            Err(_) => continue,
        };
        let body = response.text();
        if !(400..500).contains(&response.status) {
            failures.push(format!("{path}: status {}", response.status));
        }
        for secret in [SITE_YAML_SECRET, SECRET_TXT, PASSWD, "title: Test Lab"] {
            if body.contains(secret) {
                failures.push(format!("{path}: the response contains {secret:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "requests outside the site were not refused:\n{}",
        failures.join("\n")
    );
    assert_eq!(server.get("/").status, 200, "the server still works");
}

#[test]
fn a_foreign_host_header_is_refused() {
    let site = served_site();
    let server = Server::start(site.root());
    let port = server.port();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("192.168.1.5:{port}"),
    ] {
        let response = server.get_with_host("/", &host);
        assert_eq!(response.status, 403, "Host: {host}");
        assert!(
            !response.text().contains("<html"),
            "Host: {host} got the page"
        );
        let events = server.get_with_host("/__salesbook/events", &host);
        assert_eq!(events.status, 403, "events with Host: {host}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        assert_eq!(server.get_with_host("/", &host).status, 200, "Host: {host}");
    }
    let no_host = server
        .send(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        .expect("an answer without Host");
    assert!(
        (400..500).contains(&no_host.status),
        "a request without Host got {}",
        no_host.status
    );
}

#[test]
fn a_busy_port_moves_to_the_next_free_one_and_says_so() {
    let site = served_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().port();
    let busy_text = busy.to_string();
    let server = Server::start_with(site.root(), &["--port", &busy_text], &[]);
    assert!(
        server.port() > busy && server.port() <= busy.saturating_add(10),
        "busy port {busy}, served on {}",
        server.port()
    );
    let said = server.process.wait_for_line(Duration::ZERO, |l| {
        l == format!("port {busy} is busy; using the next free one")
    });
    assert!(
        said.is_some(),
        "no notice about the busy port\n{}",
        server.process.describe()
    );
    assert_eq!(server.get("/").status, 200);
    drop(taken);
}

#[test]
fn serve_never_writes_the_sites_public_folder() {
    let site = served_site().file("public/marker.txt", "mine\n");
    let before = site.snapshot("public");
    let plain = served_site();
    let server = Server::start(site.root());
    let other = Server::start(plain.root());
    for (site, server) in [(&site, &server), (&plain, &other)] {
        server.get("/");
        site.write(
            "content/about.md",
            "---\ntitle: About\n---\n# About us\n\nEdited while serving.\n",
        );
        server.wait_for_text("/about/", "Edited while serving.");
    }
    drop((server, other));
    assert!(site.snapshot("public") == before, "serve changed public/");
    assert!(!plain.exists("public"), "serve created public/");
}

#[test]
fn the_event_stream_speaks_server_sent_events() {
    let site = served_site();
    let server = Server::start(site.root());
    let mut events = server.events();
    assert!(
        events
            .headers
            .content_type()
            .starts_with("text/event-stream"),
        "content type {:?}",
        events.headers.content_type()
    );
    let first = events.next_message(PATIENCE).expect("a message on connect");
    assert_eq!(first.event.as_deref(), Some("state"));
    assert_eq!(first.retry.as_deref(), Some("1000"));
    let state = crate::live_support::parse_state(&first.data);
    assert_eq!(state.build.len(), 16, "build id {:?}", state.build);
    assert!(
        state.build.chars().all(|c| c.is_ascii_hexdigit()),
        "build id {:?}",
        state.build
    );
    assert!(state.errors.is_empty(), "{state:?}");

    let mut second = server.events();
    assert_eq!(second.initial(), state, "every client hears the same state");
    assert!(
        events.next_state(Duration::from_secs(1)).is_none(),
        "no message without a change"
    );
}

#[test]
fn ctrl_c_stops_the_server_cleanly_even_with_open_event_streams() {
    let site = served_site();
    let mut server = Server::start(site.root());
    let mut events = server.events();
    events.initial();
    let _idle = std::net::TcpStream::connect(server.addr).unwrap();
    let started = std::time::Instant::now();
    let status = server.process.interrupt();
    let status = status.unwrap_or_else(|| {
        panic!(
            "serve did not stop within {PATIENCE:?} of SIGINT\n{}",
            server.process.describe()
        )
    });
    assert!(
        status.success(),
        "exit {status:?}\n{}",
        server.process.describe()
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopping took {:?}",
        started.elapsed()
    );
    assert!(
        server.process.lines().iter().any(|l| l == "stopped"),
        "{}",
        server.process.describe()
    );
    assert!(
        events.closed(Duration::from_secs(2)),
        "the event stream stays open"
    );
}

#[test]
fn the_temporary_build_folder_is_removed_on_ctrl_c() {
    let site = served_site();
    let tmp = tempfile::tempdir().unwrap();
    let tmp_path = tmp.path().to_str().unwrap().to_string();
    let mut server = Server::start_with(site.root(), &["--port", "0"], &[("TMPDIR", &tmp_path)]);
    assert_eq!(server.get("/").status, 200);
    assert!(
        std::fs::read_dir(tmp.path()).unwrap().next().is_some(),
        "serve builds into TMPDIR"
    );
    server.process.interrupt();
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "serve left {left:?} in TMPDIR");
}

#[test]
fn a_site_whose_first_build_fails_is_served_once_fixed() {
    let site = Site::new().file(
        "content/about.md",
        "---\ntitle: About\nbogus: 1\n---\nFirst.\n",
    );
    let server = Server::start(site.root());
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("/__salesbook/events"),
        "the placeholder page reloads by itself:\n{}",
        page.text()
    );
    let mut events: Events = server.events();
    let state = events.initial();
    assert!(
        state
            .errors
            .iter()
            .any(|(location, _)| location.starts_with("content/about.md:3")),
        "{state:?}"
    );
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nFixed at last.\n",
    );
    let fixed = events.wait_for("without errors", |s| s.errors.is_empty());
    assert_ne!(fixed.build, state.build, "the first good build is news");
    server.wait_for_text("/about/", "Fixed at last.");
    server.wait_until_serving_clean_build_of(site.root());
}

/// salesbook turns transparent huge pages off for itself (see `main.rs`:
/// zeroing 2 MB at each first touch cost builds time), and the kernel
/// reports it in the process's status.
#[cfg(target_os = "linux")]
#[test]
fn salesbook_runs_without_transparent_huge_pages() {
    let site = rich_site();
    let server = Server::start(site.root());
    let pid = server.process.id().expect("serve is running");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("THP_enabled:"))
        .unwrap_or_else(|| panic!("no THP_enabled line in /proc/{pid}/status:\n{status}"));
    assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
}

#[test]
fn head_answers_the_same_length_and_type_as_get() {
    let site = served_site().bytes("static/legacy.html", LATIN_1_PAGE);
    let server = Server::start(site.root());
    let css = format!("/{}", asset_in(&server.get("/").text(), "salesbook.css"));
    for path in [
        "/",
        "/exercises/first/",
        "/legacy.html",
        &css,
        "/img/logo.png",
        "/no-such-page/",
    ] {
        let get = server.get(path);
        let raw = format!(
            "HEAD {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        );
        let head = server.send(raw.as_bytes()).unwrap();
        assert_eq!(head.status, get.status, "{path}");
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string().as_str()),
            "{path}: HEAD's Content-Length is not the length GET sends"
        );
        assert_eq!(head.content_type(), get.content_type(), "{path}");
        assert!(head.body.is_empty(), "{path}: HEAD sent a body");
    }
}

/// A static page in Latin-1: `é` is the single byte 0xE9.
const LATIN_1_PAGE: &[u8] =
    b"<!DOCTYPE html>\n<html><head><meta charset=\"iso-8859-1\"></head>\n<body><p>Caf\xe9 cr\xe8me</p></body></html>\n";

#[test]
fn a_static_page_that_is_not_utf8_is_served_byte_for_byte_with_the_script() {
    let site = served_site().bytes("static/legacy.html", LATIN_1_PAGE);
    let server = Server::start(site.root());
    let served = server.get("/legacy.html");
    assert_eq!(served.status, 200);
    let at = LATIN_1_PAGE.len() - "</body></html>\n".len();
    let body = &served.body;
    assert!(
        body.starts_with(&LATIN_1_PAGE[..at]) && body.ends_with(&LATIN_1_PAGE[at..]),
        "the page was changed around the script:\n{:?}",
        String::from_utf8_lossy(body)
    );
    let script = &body[at..body.len() - (LATIN_1_PAGE.len() - at)];
    assert!(
        String::from_utf8_lossy(script).contains("/__salesbook/events"),
        "no live-reload script in {:?}",
        String::from_utf8_lossy(body)
    );
}

#[test]
fn sigterm_and_sighup_stop_the_server_cleanly_and_remove_the_temporary_build_folder() {
    let site = served_site();
    for signal in [Signal::Terminate, Signal::Hangup] {
        let tmp = tempfile::tempdir().unwrap();
        let tmp_path = tmp.path().to_str().unwrap().to_string();
        let mut server =
            Server::start_with(site.root(), &["--port", "0"], &[("TMPDIR", &tmp_path)]);
        assert_eq!(server.get("/").status, 200);
        let status = server.process.stop_with(signal);
        assert!(
            status.is_some_and(|s| s.success()),
            "{signal:?}: exit {status:?}\n{}",
            server.process.describe()
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "{signal:?}: serve left {left:?} in TMPDIR");
    }
}
