//! Editing a site while `salesbook serve` runs, the ways editors save:
//! the new text is served within seconds, open pages hear a new build id,
//! broken edits keep the last good site and report errors, and nothing is
//! ever left stale.

use std::time::Duration;

use crate::live_support::{
    next_wall_clock_second, poll_until, Events, LiveState, Server, PATIENCE,
};
use crate::support::{rich_site, Site};

const ABOUT: &str = "content/about.md";

fn about(body: &str) -> String {
    format!(
        "---\ntitle: About\n---\n# About us\n\nSee [the first steps](exercises/first.md#steps).\n\n{body}\n"
    )
}

/// The rich site with a known about page, served, with an open event
/// stream and its first state.
fn serving(site: &Site) -> (Server, Events, LiveState) {
    site.write(ABOUT, about("Original text."));
    let server = Server::start(site.root());
    server.wait_for_text("/about/", "Original text.");
    let mut events = server.events();
    let first = events.initial();
    assert!(first.errors.is_empty(), "{first:?}");
    (server, events, first)
}

/// Waits for a state with a build id other than `before` and no errors.
#[track_caller]
fn wait_for_new_build(events: &mut Events, before: &LiveState) -> LiveState {
    events.wait_for("with a new build id and no errors", |s| {
        s.build != before.build && s.errors.is_empty()
    })
}

#[test]
fn an_in_place_edit_is_served_and_announced_once() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    site.write(ABOUT, about("Edited in place."));
    let page = server.wait_for_text("/about/", "Edited in place.");
    assert!(!page.text().contains("Original text."));
    assert!(
        page.text().contains("/__salesbook/events"),
        "the script is still there"
    );
    let next = events.next_state(PATIENCE).expect("a state after the edit");
    assert!(
        next.build != first.build && next.errors.is_empty(),
        "the first message after an edit is the new build: {next:?}"
    );
    // No reload storm: one edit, one message.
    let extra = events.next_state(Duration::from_secs(1));
    assert!(
        extra.is_none(),
        "a second message after one edit: {extra:?}"
    );
    let line = server.process.wait_for_line(PATIENCE, |l| {
        l.starts_with("rebuilt in ") && l.contains(ABOUT)
    });
    assert!(
        line.is_some(),
        "the terminal names the changed file\n{}",
        server.process.describe()
    );
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn an_atomic_rename_over_save_is_served() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    // vim with backupcopy=no, VS Code, most "safe save" editors.
    site.write("content/.about.md.tmp", about("Saved atomically."));
    site.rename("content/.about.md.tmp", ABOUT);
    server.wait_for_text("/about/", "Saved atomically.");
    let second = wait_for_new_build(&mut events, &first);
    // And again: the watch must survive the original file being replaced.
    site.write("content/.about.md.tmp", about("Saved atomically twice."));
    site.rename("content/.about.md.tmp", ABOUT);
    server.wait_for_text("/about/", "Saved atomically twice.");
    wait_for_new_build(&mut events, &second);
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn a_vim_style_save_with_backup_and_probe_files_is_served() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    // vim (backupcopy=auto): probe that the folder is writable with a
    // file named 4913, move the original to a backup, write the new file,
    // delete the backup; a swap file exists the whole time.
    site.write("content/.about.md.swp", "swap");
    site.write("content/4913", "");
    site.remove("content/4913");
    site.rename(ABOUT, "content/about.md~");
    site.write(ABOUT, about("Saved by vim."));
    site.remove("content/about.md~");
    server.wait_for_text("/about/", "Saved by vim.");
    wait_for_new_build(&mut events, &first);
    site.remove("content/.about.md.swp");
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn a_jetbrains_safe_write_is_served() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    // IntelliJ "safe write": write a temporary file, move the original
    // aside, move the temporary file in, delete the original.
    site.write("content/about.md___jb_tmp___", about("Saved by an IDE."));
    site.rename(ABOUT, "content/about.md___jb_old___");
    site.rename("content/about.md___jb_tmp___", ABOUT);
    site.remove("content/about.md___jb_old___");
    server.wait_for_text("/about/", "Saved by an IDE.");
    wait_for_new_build(&mut events, &first);
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn an_emacs_style_save_with_lock_and_autosave_files_is_served() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    #[cfg(unix)]
    std::os::unix::fs::symlink("user@host.1234:1", site.path("content/.#about.md")).unwrap();
    site.write("content/#about.md#", "autosave, not Markdown at all: ---\n");
    site.rename(ABOUT, "content/about.md~");
    site.write(ABOUT, about("Saved by emacs."));
    server.wait_for_text("/about/", "Saved by emacs.");
    wait_for_new_build(&mut events, &first);
    assert!(
        events
            .next_state(Duration::from_millis(500))
            .is_none_or(|s| s.errors.is_empty()),
        "editor leftovers made errors"
    );
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn new_pages_and_new_folders_are_served() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    site.write(
        "content/exercises/third.md",
        "---\ntitle: Third Drill\ntags: [Practice]\n---\nBrand new.\n",
    );
    server.wait_for_text("/exercises/third/", "Brand new.");
    server.wait_for_text("/exercises/", "Third Drill");
    server.wait_for_text("/topics/practice/", "Third Drill");
    let second = wait_for_new_build(&mut events, &first);

    // A new folder with a file written into it at once (before any watch
    // could be added on the folder itself).
    site.write(
        "content/interviews/2027/spring/deep-dive.md",
        "---\ntitle: Deep Dive\n---\nFrom a new folder.\n",
    );
    server.wait_for_text("/interviews/deep-dive/", "From a new folder.");
    let third = wait_for_new_build(&mut events, &second);

    // A file added later in that new folder: it must be watched by now.
    site.write(
        "content/interviews/2027/spring/follow-up.md",
        "---\ntitle: Follow Up\n---\nLater in the new folder.\n",
    );
    server.wait_for_text("/interviews/follow-up/", "Later in the new folder.");
    wait_for_new_build(&mut events, &third);

    // static/ did not exist at the start of a plain site: see `static_and_theme_folders_created_while_serving_are_watched`.
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn static_and_theme_folders_created_while_serving_are_watched() {
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\nPlain.\n");
    let server = Server::start(site.root());
    let mut events = server.events();
    let first = events.initial();
    site.write("static/files/handout.txt", "handout v1\n");
    server.wait_for_text("/files/handout.txt", "handout v1");
    let second = wait_for_new_build(&mut events, &first);
    site.write("static/files/handout.txt", "handout v2 (edited)\n");
    server.wait_for_text("/files/handout.txt", "handout v2");
    let third = wait_for_new_build(&mut events, &second);
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}THEMED {{ page.title }}{% endblock content %}\n",
    );
    server.wait_for_text("/about/", "THEMED About");
    let fourth = wait_for_new_build(&mut events, &third);
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}RETHEMED {{ page.title }}{% endblock content %}\n",
    );
    server.wait_for_text("/about/", "RETHEMED About");
    wait_for_new_build(&mut events, &fourth);
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn a_deleted_page_is_gone() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    assert_eq!(server.get("/interviews/second-talk/").status, 200);
    site.remove("content/interviews/other.md");
    server.wait_for_status("/interviews/second-talk/", 404);
    let list = server.wait_for_page("/interviews/", |r| !r.text().contains("second-talk"));
    assert_eq!(list.status, 200);
    wait_for_new_build(&mut events, &first);
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn a_deleted_folder_is_gone() {
    let site = rich_site()
        .file(
            "content/exercises/drills/a.md",
            "---\ntitle: Drill A\n---\nA.\n",
        )
        .file(
            "content/exercises/drills/b.md",
            "---\ntitle: Drill B\n---\nB.\n",
        );
    let (server, mut events, first) = serving(&site);
    assert_eq!(server.get("/exercises/a/").status, 200);
    site.remove_dir("content/exercises/drills");
    server.wait_for_status("/exercises/a/", 404);
    server.wait_for_status("/exercises/b/", 404);
    wait_for_new_build(&mut events, &first);
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn a_renamed_page_moves() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    site.rename(
        "content/exercises/second.md",
        "content/exercises/second-round.md",
    );
    // The track refers to exercises/second: the rename breaks it, and the
    // old page stays until the track is fixed too.
    let broken = events.wait_for("with errors", |s| !s.errors.is_empty());
    assert_eq!(broken.build, first.build);
    assert!(
        broken
            .errors
            .iter()
            .any(|(location, _)| location.starts_with("content/tracks/habit.md")),
        "{broken:?}"
    );
    assert_eq!(
        server.get("/exercises/second/").status,
        200,
        "the last good build stays"
    );
    site.write(
        "content/tracks/habit.md",
        "---\ntitle: Habit\nlevel: beginner\nitems:\n  - interviews/2026/talk\n  - exercises/first\n  - exercises/second-round\n---\nIn order.\n",
    );
    server.wait_for_text("/exercises/second-round/", "Again.");
    server.wait_for_status("/exercises/second/", 404);
    let fixed = events.wait_for("without errors", |s| s.errors.is_empty());
    assert_ne!(fixed.build, first.build);

    // A page nothing refers to moves in one step.
    site.rename("content/about.md", "content/about-us.md");
    server.wait_for_status("/about/", 404);
    server.wait_for_status("/about-us/", 200);
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn editor_swap_and_backup_files_alone_do_not_rebuild() {
    let site = rich_site();
    let (server, mut events, _first) = serving(&site);
    let rebuilds = server.process.rebuilds();
    site.write("content/.about.md.swp", "vim swap");
    site.write("content/.about.md.swx", "vim swap");
    site.write("content/about.md~", "backup");
    site.write("content/4913", "");
    site.write("content/#about.md#", "emacs autosave");
    site.write("content/exercises/.first.md.tmp", "half a save");
    site.write("static/.DS_Store", "finder");
    site.write("content/.git/index", "git");
    site.remove("content/4913");
    let news = events.next_state(Duration::from_millis(1200));
    assert!(news.is_none(), "swap files made news: {news:?}");
    assert_eq!(
        server.process.rebuilds(),
        rebuilds,
        "swap files caused a rebuild\n{}",
        server.process.describe()
    );
    // The watcher is still alive.
    site.write(ABOUT, about("After the swap files."));
    server.wait_for_text("/about/", "After the swap files.");
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_and_reports_the_error_until_fixed() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    // Line 3 has a key no page has.
    site.write(
        ABOUT,
        "---\ntitle: About\nbogus_key: 1\n---\nBroken text.\n",
    );
    let broken = events.wait_for("with errors", |s| !s.errors.is_empty());
    assert_eq!(
        broken.build, first.build,
        "a failed build keeps the build id"
    );
    assert!(
        broken.errors.iter().any(
            |(location, message)| location.starts_with("content/about.md:3")
                && message.contains("bogus_key")
        ),
        "the error names content/about.md:3 and the key: {broken:?}"
    );
    let page = server.get("/about/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("Original text."),
        "the last good page is served"
    );
    assert!(!page.text().contains("Broken text."));
    let terminal = server.process.wait_for_line(PATIENCE, |l| {
        l.starts_with("after ") && l.ends_with("the site has errors; keeping the last good build")
    });
    assert!(terminal.is_some(), "{}", server.process.describe());
    assert!(
        server
            .process
            .lines()
            .iter()
            .any(|l| l.starts_with("error: content/about.md:3")),
        "the terminal prints the diagnostic\n{}",
        server.process.describe()
    );

    // Still broken, differently: front matter that never ends.
    site.write(ABOUT, "---\ntitle: About\nBroken again.\n");
    let still = events.wait_for("with other errors", |s| {
        !s.errors.is_empty() && *s != broken
    });
    assert_eq!(still.build, first.build);
    assert!(
        still
            .errors
            .iter()
            .any(|(location, _)| location.starts_with("content/about.md")),
        "{still:?}"
    );

    site.write(ABOUT, about("Fixed text."));
    let fixed = events.wait_for("without errors", |s| s.errors.is_empty());
    assert_ne!(fixed.build, first.build);
    server.wait_for_text("/about/", "Fixed text.");

    // Breaking and restoring the exact previous text: the errors clear even
    // though the build id is the same as before the break.
    site.write(
        ABOUT,
        "---\ntitle: About\nbogus_key: 1\n---\nBroken text.\n",
    );
    let broken = events.wait_for("with errors", |s| !s.errors.is_empty());
    assert_eq!(broken.build, fixed.build);
    site.write(ABOUT, about("Fixed text."));
    let restored = events.wait_for("without errors", |s| s.errors.is_empty());
    assert_eq!(restored.build, fixed.build, "the same site has the same id");
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn a_burst_of_fifty_writes_ends_consistent_and_coalesced() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    let rebuilds = server.process.rebuilds();
    let started = std::time::Instant::now();
    for i in 0..50 {
        let path = format!("content/exercises/burst/drill-{i:02}.md");
        site.write(
            &path,
            format!(
                "---\ntitle: Drill {i}\ntags: [Burst]\n---\nDrill number {i}, first version.\n"
            ),
        );
    }
    // Edit some of them again, delete others: a `git checkout` in a hurry.
    for i in (0..50).step_by(5) {
        site.write(
            &format!("content/exercises/burst/drill-{i:02}.md"),
            format!(
                "---\ntitle: Drill {i}\ntags: [Burst]\n---\nDrill number {i}, second version.\n"
            ),
        );
    }
    for i in (3..50).step_by(10) {
        site.remove(&format!("content/exercises/burst/drill-{i:02}.md"));
    }
    let writing = started.elapsed();
    server.wait_for_text("/exercises/drill-45/", "second version");
    server.wait_for_status("/exercises/drill-43/", 404);
    server.wait_until_serving_clean_build_of(site.root());
    wait_for_new_build(&mut events, &first);
    server.process.wait_until_quiet(Duration::from_millis(500));
    let during = server.process.rebuilds() - rebuilds;
    // A burst written in well under the debounce time is one batch; on a
    // loaded machine the writes themselves may take long enough to split.
    if writing < Duration::from_millis(100) {
        assert!(
            during <= 3,
            "a burst of writes (written in {writing:?}) was not coalesced: {during} rebuilds\n{}",
            server.process.describe()
        );
    } else {
        eprintln!(
            "note: the burst took {writing:?} to write; {during} rebuilds; not checking coalescing"
        );
    }
    // Still consistent once quiet.
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn a_change_during_a_rebuild_is_never_lost() {
    // Many quick edits of one page, each a separate save: whatever the
    // timing, the last text wins.
    let site = rich_site();
    let (server, _events, _first) = serving(&site);
    for round in 0..30 {
        site.write(ABOUT, about(&format!("Round {round} of quick saves.")));
        std::thread::sleep(Duration::from_millis(7 * (round % 5)));
    }
    server.wait_for_text("/about/", "Round 29 of quick saves.");
    server.process.wait_until_quiet(Duration::from_millis(500));
    let page = server.get("/about/");
    assert!(
        page.text().contains("Round 29 of quick saves."),
        "{}",
        page.text()
    );
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn a_save_keeping_size_and_modification_time_is_still_seen() {
    // Two saves within one tick of the file system clock (a formatter on
    // save, a `cp -p` of another version) leave the size and the
    // modification time as they were: the content still changed.
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    let path = site.path(ABOUT);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let before = std::fs::read(&path).unwrap();
    let after = about("Changed text.!");
    assert_eq!(before.len(), after.len(), "the test needs equal sizes");
    {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.write_all(after.as_bytes()).unwrap();
        file.set_modified(modified).unwrap();
    }
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    let page = poll_until(Duration::from_secs(5), || {
        let page = server.get("/about/");
        page.text().contains("Changed text.!").then_some(page)
    });
    assert!(
        page.is_some(),
        "a content change with the same size and mtime was never served\n{}",
        server.process.describe()
    );
    wait_for_new_build(&mut events, &first);
}

#[test]
fn site_yaml_and_template_changes_reload_every_page() {
    let site = rich_site();
    let (server, mut events, first) = serving(&site);
    site.write("site.yaml", "title: Renamed Lab\n");
    server.wait_for_text("/", "Renamed Lab");
    server.wait_for_text("/exercises/first/", "Renamed Lab");
    let second = wait_for_new_build(&mut events, &first);
    site.write(
        "themes/default/templates/exercise.html",
        "{% extends \"__salesbook/base.html\" %}\n{% block content %}EXERCISE {{ page.title }}{% endblock content %}\n",
    );
    server.wait_for_text("/exercises/second/", "EXERCISE Second");
    wait_for_new_build(&mut events, &second);
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn the_polling_watcher_serves_edits_too() {
    let site = rich_site().file(ABOUT, &about("Original text."));
    let server = Server::start_with(site.root(), &["--port", "0"], &[("SALESBOOK_POLL", "1")]);
    let mut events = server.events();
    let first = events.initial();
    next_wall_clock_second();
    site.write(ABOUT, about("Seen by polling."));
    server.wait_for_text("/about/", "Seen by polling.");
    let second = wait_for_new_build(&mut events, &first);
    next_wall_clock_second();
    site.write("content/.about.md.tmp", about("Renamed over, polled."));
    site.rename("content/.about.md.tmp", ABOUT);
    server.wait_for_text("/about/", "Renamed over, polled.");
    wait_for_new_build(&mut events, &second);
    next_wall_clock_second();
    site.remove("content/interviews/other.md");
    server.wait_for_status("/interviews/second-talk/", 404);
    server.wait_until_serving_clean_build_of(site.root());
}

#[test]
fn the_polling_watcher_sees_two_saves_within_one_second() {
    // Saving twice within a second (a quick typo fix, format on save) is
    // ordinary; a watcher comparing modification times in whole seconds
    // misses the second save.
    let site = rich_site().file(ABOUT, &about("Original text."));
    let server = Server::start_with(site.root(), &["--port", "0"], &[("SALESBOOK_POLL", "1")]);
    let mut events = server.events();
    let mut state = events.initial();
    for attempt in 0..3 {
        // Start early in a second so both saves fall in it.
        poll_until(Duration::from_secs(2), || {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap();
            (now.subsec_millis() < 100).then_some(())
        });
        let second_of = |path: &std::path::Path| {
            std::fs::metadata(path)
                .unwrap()
                .modified()
                .unwrap()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
        };
        site.write(ABOUT, about(&format!("First save {attempt}.")));
        let first_second = second_of(&site.path(ABOUT));
        server.wait_for_text("/about/", &format!("First save {attempt}."));
        state = wait_for_new_build(&mut events, &state);
        site.write(
            ABOUT,
            about(&format!("Second save {attempt}, a typo fixed.")),
        );
        if second_of(&site.path(ABOUT)) != first_second {
            // Too slow to show the problem this time; try again.
            server.wait_for_text("/about/", &format!("Second save {attempt}"));
            state = wait_for_new_build(&mut events, &state);
            continue;
        }
        let seen = poll_until(Duration::from_secs(5), || {
            server
                .get("/about/")
                .text()
                .contains(&format!("Second save {attempt}"))
                .then_some(())
        });
        assert!(
            seen.is_some(),
            "the second of two saves within one second was never served (polling watcher)\n{}",
            server.process.describe()
        );
        return;
    }
    eprintln!("note: could not make two saves within one second; nothing was checked");
}

#[test]
fn a_reload_right_after_a_rebuild_never_gets_a_stale_not_modified() {
    // A browser reloads with `If-Modified-Since: <Last-Modified of the page
    // it has>`. HTTP dates have whole seconds: when the page it has and the
    // rebuilt one were written in the same second, answering 304 Not
    // Modified leaves the old page on screen.
    let site = rich_site();
    let (server, mut events, mut state) = serving(&site);
    for attempt in 0..3 {
        poll_until(Duration::from_secs(2), || {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap();
            (now.subsec_millis() < 100).then_some(())
        });
        let started = std::time::SystemTime::now();
        site.write(ABOUT, about(&format!("Version A{attempt}.")));
        let page = server.wait_for_text("/about/", &format!("Version A{attempt}."));
        state = wait_for_new_build(&mut events, &state);
        site.write(ABOUT, about(&format!("Version B{attempt}.")));
        state = wait_for_new_build(&mut events, &state);
        let same_second = started.elapsed().unwrap() < Duration::from_millis(900);
        let mut request = format!(
            "GET /about/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            server.addr
        );
        if let Some(modified) = page.header("last-modified") {
            request.push_str(&format!("If-Modified-Since: {modified}\r\n"));
        }
        if let Some(tag) = page.header("etag") {
            request.push_str(&format!("If-None-Match: {tag}\r\n"));
        }
        request.push_str("\r\n");
        let reload = server.send(request.as_bytes()).unwrap();
        assert!(
            reload.status != 304,
            "a reload after a rebuild got 304 Not Modified: the browser keeps showing the old page \
             (Last-Modified {:?}, {:?} after the first write)\n{}",
            page.header("last-modified"),
            started.elapsed().unwrap(),
            server.process.describe()
        );
        assert!(
            reload.text().contains(&format!("Version B{attempt}.")),
            "{}",
            reload.text()
        );
        if same_second {
            return;
        }
    }
}

/// A long about page whose body starts and ends with markers of `version`.
fn long_about(version: usize) -> String {
    let paragraph = "Practise the opening, then the questions, then the close. ".repeat(20);
    let middle = format!("{paragraph}\n\n").repeat(150);
    about(&format!(
        "VERSION-{version}-START\n\n{middle}VERSION-{version}-END"
    ))
}

#[test]
fn a_page_saved_again_and_again_is_never_served_cut_short() {
    const SAVES: usize = 40;
    const MAX_REQUESTS: usize = 3000;
    let site = rich_site();
    site.write(ABOUT, long_about(0));
    let server = Server::start(site.root());
    server.wait_for_text("/about/", "VERSION-0-END");
    let saving = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let saver = {
        let (root, saving) = (site.root().to_path_buf(), saving.clone());
        std::thread::spawn(move || {
            // Each save is whole (written beside, renamed over, as many
            // editors save): a page cut short can only be the server's.
            for version in 1..=SAVES {
                let beside = root.join("content/.about.md.saving");
                std::fs::write(&beside, long_about(version)).unwrap();
                std::fs::rename(&beside, root.join(ABOUT)).unwrap();
                std::thread::sleep(Duration::from_millis(25));
            }
            saving.store(false, std::sync::atomic::Ordering::SeqCst);
        })
    };
    let mut requests = 0;
    while saving.load(std::sync::atomic::Ordering::SeqCst) && requests < MAX_REQUESTS {
        requests += 1;
        let response = server.get("/about/");
        let text = response.text();
        let version = text
            .split("VERSION-")
            .nth(1)
            .and_then(|rest| rest.split('-').next())
            .unwrap_or("none");
        let whole = response.status == 200
            && text.trim_end().ends_with("</html>")
            && text.contains(&format!("VERSION-{version}-END"));
        assert!(
            whole,
            "request {requests} got a page cut short (status {}, {} bytes, version {version}):\n…{}\n{}",
            response.status,
            text.len(),
            &text[text.len().saturating_sub(200)..],
            server.process.describe()
        );
    }
    saver.join().unwrap();
    eprintln!("{requests} requests while the page was saved {SAVES} times");
    server.wait_for_text("/about/", &format!("VERSION-{SAVES}-END"));
}
