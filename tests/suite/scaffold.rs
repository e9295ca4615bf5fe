//! `salesbook new` writes a page skeleton; `salesbook init` a whole site
//! that builds and serves at once.

use std::process::Command;

use crate::live_support::Server;
use crate::support::{run, Site, BIN};

/// Today's date as `YYYY-MM-DD`, in UTC and in local time (a test run
/// may straddle midnight, and either is a fair reading of "today").
fn todays() -> Vec<String> {
    let mut dates = Vec::new();
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for offset in [-60, 0, 60] {
        dates.push(civil((seconds + offset).div_euclid(86_400)));
    }
    if let Ok(output) = Command::new("date").arg("+%F").output() {
        dates.push(String::from_utf8_lossy(&output.stdout).trim().to_string());
    }
    dates
}

/// Days since 1970-01-01 to `YYYY-MM-DD`.
fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn new_page(site: &Site, kind: &str, title: &str) -> crate::support::Run {
    run(&["new", kind, title, "--root", site.root().to_str().unwrap()])
}

#[track_caller]
fn assert_dated_today(text: &str) {
    let dates = todays();
    assert!(
        dates
            .iter()
            .any(|d| text.contains(&format!("\ndate: {d}\n"))),
        "no `date: <today>` ({dates:?}) in\n{text}"
    );
}

#[test]
fn new_writes_each_kind_where_it_belongs_and_the_site_builds() {
    let site = Site::new();
    for (kind, title, path) in [
        ("speaker", "Dana Closer", "content/speakers/dana-closer.md"),
        (
            "interview",
            "Cold Calls That Work",
            "content/interviews/cold-calls-that-work.md",
        ),
        (
            "exercise",
            "The 30-Second Opener",
            "content/exercises/the-30-second-opener.md",
        ),
        ("track", "First Week", "content/tracks/first-week.md"),
    ] {
        let result = new_page(&site, kind, title);
        result.assert_success();
        assert!(site.exists(path), "{kind}: {path} not written\n{result}");
        let printed = result.stdout.trim();
        assert!(
            printed.ends_with(path),
            "{kind}: printed {printed:?}, expected the path {path}"
        );
        let text = site.read(path);
        assert!(
            text.starts_with("---\n"),
            "{kind}: no front matter:\n{text}"
        );
        if kind == "speaker" {
            assert!(text.contains(&format!("name: \"{title}\"")), "{text}");
        } else {
            assert!(text.contains(&format!("title: \"{title}\"")), "{text}");
            assert_dated_today(&text);
        }
        assert!(
            text.lines().any(|l| l.starts_with("# ")),
            "{kind}: optional fields are offered as comments:\n{text}"
        );
    }
    site.build().assert_success();
    assert!(site.exists("public/exercises/the-30-second-opener/index.html"));
    assert!(site.exists("public/tracks/first-week/index.html"));
    assert!(site.exists("public/speakers/dana-closer/index.html"));
    assert!(site.exists("public/interviews/cold-calls-that-work/index.html"));
}

#[test]
fn new_in_the_site_folder_prints_the_relative_path() {
    let site = Site::new();
    let output = Command::new(BIN)
        .args(["new", "exercise", "Objection Drill"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "content/exercises/objection-drill.md"
    );
    assert!(site.exists("content/exercises/objection-drill.md"));
}

#[test]
fn new_refuses_to_overwrite() {
    let site = Site::new().file(
        "content/exercises/role-play.md",
        "---\ntitle: Mine\n---\nMy own words.\n",
    );
    let before = site.read("content/exercises/role-play.md");
    let result = new_page(&site, "exercise", "Role Play");
    result
        .assert_code(2)
        .assert_stderr_contains("already exists");
    assert_eq!(site.read("content/exercises/role-play.md"), before);

    // Also a file it wrote itself.
    new_page(&site, "interview", "Big Deal").assert_success();
    site.write("content/interviews/big-deal.md", "edited by the author");
    new_page(&site, "interview", "Big Deal").assert_code(2);
    assert_eq!(
        site.read("content/interviews/big-deal.md"),
        "edited by the author"
    );
}

#[test]
fn new_outside_a_site_is_a_usage_error() {
    let empty = Site::empty();
    new_page(&empty, "exercise", "Lost").assert_code(2);
    assert!(!empty.exists("content"));
    let site = Site::new();
    new_page(&site, "exercise", "!!!").assert_code(2);
}

#[test]
fn init_writes_a_site_that_builds_checks_and_serves() {
    let parent = Site::empty();
    let dir = parent.path("my-lab");
    let result = run(&["init", dir.to_str().unwrap()]);
    result.assert_success();
    for path in [
        "site.yaml",
        "content/_index.md",
        "content/interviews",
        "content/exercises",
        "content/tracks",
        "content/speakers",
    ] {
        assert!(dir.join(path).exists(), "init wrote no {path}\n{result}");
    }
    for kind in ["interviews", "exercises", "tracks", "speakers"] {
        let count = std::fs::read_dir(dir.join("content").join(kind))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "md")
            })
            .count();
        assert!(count >= 1, "init wrote no {kind}");
    }
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    for made_by_builds in ["/public/", "/.salesbook-cache/"] {
        assert!(ignored.lines().any(|l| l == made_by_builds), "{ignored}");
    }
    let build = run(&["build", dir.to_str().unwrap()]);
    build.assert_success();
    assert!(dir.join("public/index.html").exists());
    run(&["check", dir.to_str().unwrap()]).assert_success();
    assert!(
        build.stderr.lines().all(|l| !l.starts_with("warning:")),
        "a new site builds without warnings\n{build}"
    );

    std::fs::remove_dir_all(dir.join("public")).unwrap();
    let server = Server::start(&dir);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("/__salesbook/events"));
    let mut events = server.events();
    assert!(events.initial().errors.is_empty());
}

#[test]
fn init_accepts_an_empty_folder() {
    let parent = Site::empty();
    std::fs::create_dir(parent.path("empty")).unwrap();
    run(&["init", parent.path("empty").to_str().unwrap()]).assert_success();
    run(&["build", parent.path("empty").to_str().unwrap()]).assert_success();
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = Site::empty().file("notes.txt", "keep me\n");
    let result = run(&["init", site.root().to_str().unwrap()]);
    result.assert_code(2).assert_stderr_contains("not empty");
    assert_eq!(site.all_files("."), vec!["notes.txt".to_string()]);
    assert_eq!(site.read("notes.txt"), "keep me\n");

    // A hidden file counts too.
    let hidden = Site::empty().file(".git/HEAD", "ref: refs/heads/main\n");
    run(&["init", hidden.root().to_str().unwrap()]).assert_code(2);
    assert!(!hidden.exists("site.yaml"));
}
