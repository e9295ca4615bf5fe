//! A failed build leaves the previous output untouched; `check` writes
//! nothing; dangerous output folders, and folders salesbook did not write,
//! are refused; builds into one OUT take turns; a mount point as OUT is
//! updated in place.

use crate::support::{rich_site, Site};

#[test]
fn failed_build_leaves_the_previous_output_byte_identical() {
    let site = rich_site();
    site.build().assert_success();
    let before = site.snapshot("public");
    site.write(
        "content/exercises/second.md",
        "---\ntitle: Second\nattempts: 0\n---\nChanged.\n",
    );
    site.build()
        .assert_errors(&["content/exercises/second.md:3: `attempts` must be"]);
    assert!(
        site.snapshot("public") == before,
        "public/ changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The photo cache is kept on purpose; staging folders are not.
        .filter(|name| name.starts_with('.') && name != ".salesbook-cache")
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = rich_site();
    site.check().assert_success();
    assert!(!site.exists("public"));
    let names: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "check wrote into the site folder: {names:?}"
    );
}

/// `build -o OUT` is refused with exit code 2, and the site is intact.
fn assert_refused(site: &Site, out: &str) {
    let before = site.snapshot(".");
    let run = site.build_with(&["-o", out]);
    run.assert_code(2).assert_stderr_contains("refusing to use");
    assert!(site.snapshot(".") == before, "-o {out} changed the site");
    assert!(site.exists("content/exercises/first.md"));
}

#[test]
fn site_root_is_refused_as_output() {
    let site = rich_site();
    assert_refused(&site, site.root().to_str().unwrap());
}

#[test]
fn content_folder_is_refused_as_output() {
    let site = rich_site();
    assert_refused(&site, site.path("content").to_str().unwrap());
}

#[test]
fn folder_inside_themes_is_refused_as_output() {
    let site = rich_site().file("themes/x/templates/page.html", "{{ page.title }}");
    assert_refused(&site, site.path("themes/x").to_str().unwrap());
}

#[test]
fn file_system_root_is_refused_as_output() {
    assert_refused(&rich_site(), "/");
}

#[test]
fn a_folder_salesbook_did_not_write_is_refused_as_output_unless_forced() {
    let site = rich_site()
        .file("notes/todo.txt", "precious")
        .file(".git/HEAD", "ref: refs/heads/main\n");
    for out in ["notes", ".git"] {
        let before = site.snapshot(out);
        site.build_with(&["-o", out])
            .assert_code(2)
            .assert_stderr_contains(&format!(
                "refusing to use {out} as the output folder: it holds files salesbook did not write"
            ))
            .assert_stderr_contains("--force");
        assert!(site.snapshot(out) == before, "-o {out} changed it");
    }
    // With --force it is replaced, and from then on it is salesbook's own.
    site.build_with(&["-o", "notes", "--force"])
        .assert_success();
    assert!(!site.exists("notes/todo.txt"));
    site.build_with(&["-o", "notes"]).assert_success();
    assert!(site.exists("notes/index.html"));
}

#[test]
fn every_output_folder_holds_the_marker_and_is_accepted_again() {
    let site = rich_site().file("empty/.keep", "");
    site.remove("empty/.keep");
    site.build_with(&["-o", "empty"]).assert_success();
    assert!(site.read("empty/.salesbook").contains("salesbook"));
    site.build_with(&["-o", "empty"]).assert_success();
    site.build().assert_success();
    assert!(site.exists("public/.salesbook"));
}

#[test]
fn output_written_before_the_marker_existed_is_accepted() {
    let site = rich_site();
    site.build().assert_success();
    // What an earlier salesbook left: its output without the marker.
    site.remove("public/.salesbook");
    site.build().assert_success();
    assert!(site.exists("public/.salesbook"));
    // A 404 page alone is not salesbook's signature.
    let lookalike = rich_site().file("public/404.html", "<h1>Not found</h1>");
    lookalike
        .build()
        .assert_code(2)
        .assert_stderr_contains("refusing to use");
    assert_eq!(lookalike.read("public/404.html"), "<h1>Not found</h1>");
}

#[test]
fn a_file_is_refused_as_output_before_anything_is_built() {
    let site = rich_site().file("out.txt", "precious");
    for force in [&[][..], &["--force"][..]] {
        let mut args = vec!["-o", "out.txt"];
        args.extend_from_slice(force);
        site.build_with(&args)
            .assert_code(2)
            .assert_stderr_contains("refusing to use out.txt as the output folder: it is a file");
    }
    assert_eq!(site.read("out.txt"), "precious");
}

/// Starts `salesbook build ROOT -o OUT` without waiting for it.
fn start_build(site: &Site, out: &std::path::Path) -> std::process::Child {
    std::process::Command::new(crate::support::BIN)
        .args(["build", site.root().to_str().unwrap(), "-o"])
        .arg(out)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until `build` has written more than the marker into its staging
/// folder beside `out` (it is writing pages), or has finished.
fn wait_until_writing(build: &mut std::process::Child, out: &std::path::Path) -> bool {
    let staging = out.with_file_name(format!(".public.salesbook-new-{}", build.id()));
    loop {
        if std::fs::read_dir(&staging).is_ok_and(|entries| entries.count() > 3) {
            return true;
        }
        if build.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Two builds into one OUT at once (CI runners, save hooks, `watch` beside
/// `build`): the second waits for the first instead of deleting its
/// staging folder, so OUT is a whole site after each of them.
#[test]
fn two_builds_into_one_output_at_once_each_leave_a_whole_site() {
    use crate::robustness_faults::{generated_site, hashes};
    let _heavy = crate::robustness::heavy();
    let site = generated_site(400);
    let clean = tempfile::tempdir().unwrap();
    let clean_out = clean.path().join("public");
    site.build_with(&["-o", clean_out.to_str().unwrap()])
        .assert_success();
    let whole = hashes(&clean_out);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    for round in 0..3 {
        let mut first = start_build(&site, &out);
        assert!(
            wait_until_writing(&mut first, &out),
            "round {round}: the first build ended before it was seen writing"
        );
        let second = start_build(&site, &out);
        let first = first.wait_with_output().unwrap();
        let first_stderr = String::from_utf8_lossy(&first.stderr);
        assert!(first.status.success(), "round {round}: {first_stderr}");
        assert!(
            hashes(&out) == whole,
            "round {round}: the first build left a partial site"
        );
        let second = second.wait_with_output().unwrap();
        let second_stderr = String::from_utf8_lossy(&second.stderr);
        assert!(second.status.success(), "round {round}: {second_stderr}");
        assert!(
            second_stderr.contains(&format!(
                "waiting for another build into {} to finish",
                out.display()
            )),
            "round {round}: {second_stderr}"
        );
        assert!(hashes(&out) == whole, "round {round}: the second build");
        let beside: Vec<_> = std::fs::read_dir(parent.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(beside, ["public"], "round {round}: left beside OUT");
    }
}

/// A site whose second build deletes a page and turns a static file into
/// a folder and back: what an in-place update must get right.
fn mount_point_site() -> Site {
    rich_site()
        .file("static/downloads", "a file")
        .file("static/media/clip.txt", "in a folder")
        .file(
            "content/exercises/gone.md",
            "---\ntitle: Gone\n---\nSoon deleted.\n",
        )
}

/// An OUT that is a mount point (a container volume, a tmpfs) cannot be
/// renamed: it is updated in place, and ends equal to a clean build.
#[test]
fn an_output_folder_that_is_a_mount_point_is_updated_in_place() {
    let site = mount_point_site();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("volume");
    std::fs::create_dir(&out).unwrap();
    let Some(_tmpfs) = crate::robustness_faults::Tmpfs::mount(&out, 64 * 1024) else {
        if std::env::var_os("CI").is_some() {
            panic!("cannot mount a tmpfs in CI (the test needs root)");
        }
        eprintln!("note: skipping the mount point test: cannot mount a tmpfs here (not root?)");
        return;
    };
    assert_mount_point_is_updated_in_place(&site, dir.path(), &out);
}

/// A bind mount of a folder from the same file system keeps its device
/// number: the mount point is found all the same.
#[test]
fn an_output_folder_that_is_a_bind_mount_is_updated_in_place() {
    let site = mount_point_site();
    let dir = tempfile::tempdir().unwrap();
    let (source, out) = (dir.path().join("source"), dir.path().join("volume"));
    std::fs::create_dir(&source).unwrap();
    std::fs::create_dir(&out).unwrap();
    let Some(_bind) = BindMount::mount(&source, &out) else {
        if std::env::var_os("CI").is_some() {
            panic!("cannot bind-mount in CI (the test needs root)");
        }
        eprintln!("note: skipping the bind mount test: cannot mount here (not root?)");
        return;
    };
    assert_mount_point_is_updated_in_place(&site, dir.path(), &out);
}

/// `source` mounted on `target` (`mount --bind`) for the life of the value.
struct BindMount(std::path::PathBuf);

impl BindMount {
    fn mount(source: &std::path::Path, target: &std::path::Path) -> Option<BindMount> {
        let mounted = std::process::Command::new("mount")
            .arg("--bind")
            .args([source, target])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then(|| BindMount(target.to_path_buf()))
    }
}

impl Drop for BindMount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// Builds `site` (with `static/downloads` a file, `static/media/` a folder
/// and `content/exercises/gone.md`) into `out`, a mount point in `parent`,
/// twice with changes between; after each OUT equals a clean build.
#[track_caller]
fn assert_mount_point_is_updated_in_place(
    site: &Site,
    parent: &std::path::Path,
    out: &std::path::Path,
) {
    use crate::live_support::{clean_build, tree_difference};
    let build = || site.build_with(&["-o", out.to_str().unwrap()]);
    build().assert_success();
    assert_eq!(
        tree_difference(&crate::support::snapshot(out), &clean_build(site.root())),
        None
    );
    // A page deleted, a file that becomes a folder, a folder that becomes
    // a file: the second build replaces, adds and deletes inside the mount.
    site.remove("content/exercises/gone.md");
    site.remove("static/downloads");
    site.write("static/downloads/guide.txt", "a folder now");
    site.remove_dir("static/media");
    site.write("static/media", "a file now");
    site.write("content/about.md", "---\ntitle: About\n---\nChanged.\n");
    build().assert_success();
    assert_eq!(
        tree_difference(&crate::support::snapshot(out), &clean_build(site.root())),
        None
    );
    let mut beside: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != "source")
        .collect();
    beside.sort();
    assert_eq!(beside, ["volume"], "left beside the mount point");
}
