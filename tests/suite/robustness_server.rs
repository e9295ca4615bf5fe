//! The dev server under load (issue 7): 200 keep-alive clients for 30
//! seconds while files change get no error response, the server does not
//! crash and its memory stays flat; 50 live-reload clients reconnect after
//! a restart on the same port without a reload storm. All traffic goes to
//! 127.0.0.1 and every loop is bounded in time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::live_support::{parse_state, poll_until, Events, Server, PATIENCE};
use crate::robustness::heavy;
use crate::robustness_faults::{generated_site, Rng};

/// The pid of the `salesbook serve ROOT` process, found in /proc.
fn serve_pid(root: &Path) -> u32 {
    let root = root.to_str().unwrap();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        if args.len() > 2 && args[1] == b"serve" && args[2] == root.as_bytes() {
            return pid;
        }
    }
    panic!("no serve process for {root}");
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("serve ({pid}) is gone: {e}"));
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// Reads one HTTP/1.1 response from a keep-alive connection: the status,
/// and whether the server will close the connection after it.
fn read_response(reader: &mut BufReader<TcpStream>) -> std::io::Result<(u16, bool)> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut length, mut chunked, mut close) = (None, false, false);
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            return Err(std::io::Error::other(
                "the connection closed inside the headers",
            ));
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        let (name, value) = (name.to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
        }
    } else if let Some(length) = length {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
    } else {
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest)?;
        close = true;
    }
    Ok((status, close))
}

/// What the load test's clients saw.
#[derive(Default)]
struct Tally {
    requests: AtomicUsize,
    reconnects: AtomicUsize,
    failures: Mutex<Vec<String>>,
}

/// One client: keep-alive GETs of varied pages until `deadline`.
fn client(
    addr: SocketAddr,
    paths: Arc<Vec<(String, bool)>>,
    seed: u64,
    deadline: Instant,
    tally: Arc<Tally>,
) {
    let mut rng = Rng::new(seed);
    let mut connection: Option<BufReader<TcpStream>> = None;
    while Instant::now() < deadline {
        let reader = match connection.as_mut() {
            Some(reader) => reader,
            None => match TcpStream::connect_timeout(&addr, PATIENCE) {
                Ok(stream) => {
                    stream.set_read_timeout(Some(PATIENCE)).unwrap();
                    connection.insert(BufReader::new(stream))
                }
                Err(error) => {
                    tally
                        .failures
                        .lock()
                        .unwrap()
                        .push(format!("connect: {error}"));
                    return;
                }
            },
        };
        let (path, may_be_missing) = &paths[rng.below(paths.len() as u64) as usize];
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\n\r\n");
        if let Err(error) = reader.get_mut().write_all(request.as_bytes()) {
            // The server may close an idle keep-alive connection: reconnect.
            tally.reconnects.fetch_add(1, Ordering::Relaxed);
            connection = None;
            if tally.reconnects.load(Ordering::Relaxed) > 10_000 {
                tally
                    .failures
                    .lock()
                    .unwrap()
                    .push(format!("write: {error}"));
                return;
            }
            continue;
        }
        match read_response(reader) {
            Ok((status, close)) => {
                tally.requests.fetch_add(1, Ordering::Relaxed);
                let expected = status == 200 || status == 304 || (status == 404 && *may_be_missing);
                if !expected {
                    tally
                        .failures
                        .lock()
                        .unwrap()
                        .push(format!("GET {path}: status {status}"));
                }
                if close {
                    connection = None;
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => {
                tally.reconnects.fetch_add(1, Ordering::Relaxed);
                connection = None;
            }
            Err(error) => {
                tally
                    .failures
                    .lock()
                    .unwrap()
                    .push(format!("GET {path}: {error}"));
                connection = None;
            }
        }
    }
}

#[test]
fn two_hundred_clients_for_thirty_seconds_while_files_change_get_no_errors() {
    let _heavy = heavy();
    const CLIENTS: u64 = 200;
    const LOAD: Duration = Duration::from_secs(30);
    let site = generated_site(100);
    let server = Server::start(site.root());
    let pid = serve_pid(site.root());
    let css = crate::support::asset_in(&server.get("/").text(), "salesbook.css");
    let mut paths: Vec<(String, bool)> = vec![
        ("/".into(), false),
        ("/index.html".into(), false),
        ("/exercises/".into(), false),
        ("/tracks/t/".into(), false),
        ("/topics/".into(), false),
        (format!("/{css}"), false),
        ("/search/docs.json".into(), false),
        ("/sitemap-or-nothing.xml".into(), true),
        ("/no-such-page/".into(), true),
    ];
    for n in 0..50 {
        paths.push((format!("/interviews/i{n}/"), false));
        paths.push((format!("/exercises/e{n}/"), false));
    }
    for k in 0..5 {
        // Pages that come and go while the clients run.
        paths.push((format!("/exercises/churn{k}/"), true));
    }
    let paths = Arc::new(paths);
    for (path, may_be_missing) in paths.iter() {
        let status = server.get(path).status;
        assert!(status == 200 || *may_be_missing, "warm-up {path}: {status}");
    }
    let rss_start = rss_kib(pid);
    let started = Instant::now();
    let deadline = started + LOAD;
    let tally = Arc::new(Tally::default());
    let clients: Vec<_> = (0..CLIENTS)
        .map(|seed| {
            let (paths, tally) = (paths.clone(), tally.clone());
            let addr = server.addr;
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || client(addr, paths, seed + 1, deadline, tally))
                .unwrap()
        })
        .collect();
    // Meanwhile an author edits, adds and deletes pages.
    let mut edits = 0;
    let mut samples: Vec<(u64, u64)> = Vec::new();
    let mut rng = Rng::new(5);
    while Instant::now() + Duration::from_millis(500) < deadline {
        let n = rng.below(50);
        match edits % 3 {
            0 => site.write(
                &format!("content/exercises/e{n}.md"),
                format!("---\ntitle: Exercise {n}\n---\nEdited {edits} times.\n"),
            ),
            1 => site.write(
                &format!("content/exercises/churn{}.md", edits % 5),
                format!("---\ntitle: Churn {edits}\n---\nComes and goes.\n"),
            ),
            _ => {
                let path = format!("content/exercises/churn{}.md", (edits + 2) % 5);
                if site.exists(&path) {
                    site.remove(&path);
                }
            }
        }
        edits += 1;
        std::thread::sleep(Duration::from_millis(300));
        samples.push((started.elapsed().as_secs(), rss_kib(pid)));
    }
    for client in clients {
        client.join().expect("a client thread panicked");
    }
    let elapsed = started.elapsed();
    assert!(elapsed < LOAD + PATIENCE, "the load ran {elapsed:?}");
    let failures = tally.failures.lock().unwrap();
    let requests = tally.requests.load(Ordering::Relaxed);
    assert!(
        failures.is_empty(),
        "{} failed of {requests} requests, e.g.:\n{}\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        server.process.describe()
    );
    assert!(requests > 1_000, "only {requests} requests in {LOAD:?}");
    assert!(
        server.process.rebuilds() >= 10,
        "{}",
        server.process.describe()
    );
    // Still up, still answering; memory flat once the load is over.
    assert_eq!(server.get("/").status, 200);
    let rss_end = rss_kib(pid);
    let curve: Vec<(u64, u64)> = samples
        .iter()
        .step_by(5)
        .map(|(t, k)| (*t, k / 1024))
        .collect();
    eprintln!("VmRSS (s, MiB) under load: {curve:?}");
    eprintln!(
        "{requests} requests, {} reconnects, {edits} edits, {} rebuilds; VmRSS {} -> {} MiB",
        tally.reconnects.load(Ordering::Relaxed),
        server.process.rebuilds(),
        rss_start / 1024,
        rss_end / 1024
    );
    // 200 open connections cost memory at once; from then on it must stay
    // flat: no growth with the number of requests or rebuilds.
    let warm = samples
        .iter()
        .find(|(seconds, _)| *seconds >= 5)
        .map(|(_, kib)| *kib)
        .expect("no memory sample after 5 s");
    let peak = samples
        .iter()
        .map(|(_, kib)| *kib)
        .max()
        .unwrap()
        .max(rss_end);
    assert!(
        peak < warm + 50 * 1024,
        "serve's memory grew under steady load from {} MiB (at 5 s) to {} MiB",
        warm / 1024,
        peak / 1024
    );
    assert!(
        peak < rss_start + 200 * 1024,
        "serve used {} MiB under load, {} MiB idle",
        peak / 1024,
        rss_start / 1024
    );
}

/// Counters of one simulated browser tab (an `EventSource` that reloads
/// the page when the build id changes).
#[derive(Default)]
struct Tab {
    attempts: AtomicUsize,
    states: AtomicUsize,
    reloads: AtomicUsize,
}

/// Behaves like the live-reload script: connect, remember the first build
/// id, reload (reconnect at once) when it changes, and after a drop wait
/// the `retry` time the server sent (1000 ms) before reconnecting.
fn tab(addr: SocketAddr, tab: Arc<Tab>, stop: Arc<AtomicBool>) {
    let retry = Duration::from_millis(1000);
    let mut seen: Option<String> = None;
    while !stop.load(Ordering::SeqCst) {
        tab.attempts.fetch_add(1, Ordering::SeqCst);
        let Ok(mut events) = Events::open(addr, &addr.to_string()) else {
            std::thread::sleep(retry);
            continue;
        };
        let mut taken = 0;
        let mut reloaded = false;
        loop {
            let closed = events.closed(Duration::from_millis(100));
            for message in &events.seen[taken..] {
                if message.event.as_deref() != Some("state") {
                    continue;
                }
                tab.states.fetch_add(1, Ordering::SeqCst);
                let state = parse_state(&message.data);
                match &seen {
                    Some(build) if *build != state.build => {
                        tab.reloads.fetch_add(1, Ordering::SeqCst);
                        seen = Some(state.build);
                        reloaded = true;
                    }
                    Some(_) => {}
                    None => seen = Some(state.build),
                }
            }
            taken = events.seen.len();
            if reloaded || stop.load(Ordering::SeqCst) {
                break;
            }
            if closed {
                std::thread::sleep(retry);
                break;
            }
        }
    }
}

#[test]
fn fifty_live_reload_clients_reconnect_after_a_restart_without_a_storm() {
    let _heavy = heavy();
    const TABS: usize = 50;
    let site = crate::support::rich_site();
    let mut server = Server::start(site.root());
    let addr = server.addr;
    let stop = Arc::new(AtomicBool::new(false));
    let tabs: Vec<Arc<Tab>> = (0..TABS).map(|_| Arc::new(Tab::default())).collect();
    let threads: Vec<_> = tabs
        .iter()
        .map(|t| {
            let (t, stop) = (t.clone(), stop.clone());
            std::thread::spawn(move || tab(addr, t, stop))
        })
        .collect();
    let all_have = |count: usize| {
        poll_until(PATIENCE, || {
            tabs.iter()
                .all(|t| t.states.load(Ordering::SeqCst) >= count)
                .then_some(())
        })
        .is_some()
    };
    assert!(all_have(1), "not every tab got its first state");
    // Restart on the same port.
    server.process.interrupt();
    let before: Vec<(usize, usize)> = tabs
        .iter()
        .map(|t| {
            (
                t.attempts.load(Ordering::SeqCst),
                t.states.load(Ordering::SeqCst),
            )
        })
        .collect();
    let port = addr.port().to_string();
    let restarted = Server::start_with(site.root(), &["--port", &port], &[]);
    assert_eq!(
        restarted.addr, addr,
        "the restarted server moved to another port"
    );
    // Every tab reconnects and hears the state again ...
    let reconnected = poll_until(PATIENCE, || {
        tabs.iter()
            .zip(&before)
            .all(|(t, (_, states))| t.states.load(Ordering::SeqCst) > *states)
            .then_some(())
    });
    assert!(
        reconnected.is_some(),
        "not every tab reconnected\n{}",
        restarted.process.describe()
    );
    // ... and then all is quiet: no repeated reloads, no reconnect loop
    // (a tab whose build id changed reloads once, at once).
    std::thread::sleep(Duration::from_millis(1500));
    let settled: Vec<(usize, usize)> = tabs
        .iter()
        .map(|t| {
            (
                t.attempts.load(Ordering::SeqCst),
                t.states.load(Ordering::SeqCst),
            )
        })
        .collect();
    std::thread::sleep(Duration::from_secs(3));
    stop.store(true, Ordering::SeqCst);
    for (index, (t, ((attempts_before, _), (attempts_settled, states_settled)))) in
        tabs.iter().zip(before.iter().zip(&settled)).enumerate()
    {
        let reloads = t.reloads.load(Ordering::SeqCst);
        assert!(reloads <= 1, "tab {index} reloaded {reloads} times");
        assert_eq!(
            t.states.load(Ordering::SeqCst),
            *states_settled,
            "tab {index} kept getting state messages after reconnecting"
        );
        assert_eq!(
            t.attempts.load(Ordering::SeqCst),
            *attempts_settled,
            "tab {index} kept reconnecting"
        );
        let attempts = attempts_settled - attempts_before;
        assert!(
            attempts <= 8,
            "tab {index} needed {attempts} connections to get back"
        );
    }
    for thread in threads {
        thread.join().unwrap();
    }
    drop(restarted);
}

#[test]
fn serve_listens_on_loopback_by_default_and_warns_for_any_other_address() {
    use crate::live_support::Running;
    let site = crate::support::rich_site();
    let root = site.root().to_str().unwrap();
    let process = Running::spawn(site.root(), &["serve", root, "--port", "0"], &[]);
    let line = process.wait_for_line(PATIENCE, |l| l.starts_with("serving at http://"));
    let line = line.unwrap_or_else(|| panic!("no `serving at` line\n{}", process.describe()));
    assert!(line.starts_with("serving at http://127.0.0.1:"), "{line}");
    assert!(
        !process.stderr().contains("warning: listening"),
        "{}",
        process.describe()
    );
    drop(process);
    // An address that is not loopback gets the warning before anything is
    // bound. (192.0.2.1 is reserved for documentation: nothing listens or
    // is reached there, the bind just fails.)
    let run = crate::robustness::run_limited(
        site.root(),
        &["serve", root, "--port", "0", "--bind", "192.0.2.1"],
        &[],
        PATIENCE,
    );
    run.assert_code(2).assert_stderr_contains(
        "warning: listening on 192.0.2.1: other machines on the network can read this site, drafts included",
    );
    run.assert_stderr_contains("cannot listen on 192.0.2.1");
}
