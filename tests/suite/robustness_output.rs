//! Robustness of the output folder guard (issue 7): `-o` at the home
//! folder, its ancestors, the site's own files and folders, or the folders
//! behind linked sources is refused, and nothing there changes.

use std::path::Path;
use std::time::Instant;

use crate::robustness::{run_in, QUICK};
use crate::support::{snapshot, Site};

// --- the output folder --------------------------------------------------------

/// `build -o OUT` (and `watch -o OUT`) exit 2 with "refusing to use", and
/// nothing under `guard` changed.
#[track_caller]
fn assert_output_refused(site: &Site, out: &Path, guard: &Path, envs: &[(&str, &str)]) {
    let before = snapshot(guard);
    for command in ["build", "watch"] {
        let started = Instant::now();
        let run = run_in(
            site.root(),
            &[
                command,
                site.root().to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            envs,
        );
        assert!(
            started.elapsed() < QUICK,
            "{command} -o {} did not stop",
            out.display()
        );
        run.assert_code(2).assert_stderr_contains("refusing to use");
        assert!(
            snapshot(guard) == before,
            "{command} -o {} changed {}",
            out.display(),
            guard.display()
        );
    }
}

#[test]
fn the_home_folder_is_refused_as_output() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".profile"), "precious").unwrap();
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\n");
    let home_str = home.path().to_str().unwrap().to_string();
    assert_output_refused(&site, home.path(), home.path(), &[("HOME", &home_str)]);
    // Spelt with `.` and `..` through folders that do not exist yet, it is
    // still the home folder. (`HOME/sub/../../<home>` used to pass the check:
    // the build then created `sub`, swapped the site in and deleted HOME.)
    let dotted = home.path().join(".").join("sub").join("..");
    assert_output_refused(&site, &dotted, home.path(), &[("HOME", &home_str)]);
    let round_trip = home
        .path()
        .join("sub/../..")
        .join(home.path().file_name().unwrap());
    assert_output_refused(&site, &round_trip, home.path(), &[("HOME", &home_str)]);
    assert!(
        !home.path().join("sub").exists(),
        "a refused build created a folder"
    );
}

#[test]
fn an_ancestor_of_the_home_folder_is_refused_as_output() {
    let parent = tempfile::tempdir().unwrap();
    let home = parent.path().join("home/jo");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".profile"), "precious").unwrap();
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\n");
    let home_str = home.to_str().unwrap().to_string();
    for out in [
        parent.path().join("home"),
        parent.path().to_path_buf(),
        home.join("../.."),
    ] {
        assert_output_refused(&site, &out, parent.path(), &[("HOME", &home_str)]);
    }
}

/// A site whose `content/`, `static/` and theme are symbolic links to
/// folders in `real/` beside it.
#[cfg(unix)]
fn site_with_linked_sources() -> (tempfile::TempDir, std::path::PathBuf) {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (root, real) = (dir.path().join("site"), dir.path().join("real"));
    for (path, text) in [
        ("site/site.yaml", "title: Linked\n"),
        (
            "real/content/_index.md",
            "---\ntitle: Home\n---\nWelcome.\n",
        ),
        ("real/content/about.md", "---\ntitle: About\n---\nUs.\n"),
        ("real/static/logo.txt", "logo"),
        ("real/theme/static/extra.txt", "extra"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir(root.join("themes")).unwrap();
    symlink(real.join("content"), root.join("content")).unwrap();
    symlink("../real/static", root.join("static")).unwrap();
    symlink(real.join("theme"), root.join("themes/default")).unwrap();
    (dir, root)
}

#[cfg(unix)]
#[test]
fn linked_content_static_and_theme_folders_are_read_through_without_a_false_warning() {
    let (_dir, root) = site_with_linked_sources();
    let run = run_in(&root, &["build", "."], &[]);
    run.assert_success()
        .assert_stderr_lacks("symbolic link not followed");
    for file in ["about/index.html", "logo.txt", "extra.txt"] {
        assert!(root.join("public").join(file).is_file(), "no public/{file}");
    }
}

#[cfg(unix)]
#[test]
fn the_folders_behind_linked_sources_are_refused_as_output() {
    let (dir, root) = site_with_linked_sources();
    let copy = SiteAt(root.clone());
    let real = dir.path().join("real");
    for out in [
        root.join("content"),
        root.join("static/img"),
        root.join("themes/default"),
        real.join("content"),
        real.join("static/../content"),
        real.join("theme/static"),
        real.clone(),
    ] {
        copy.assert_refused(&out, &real);
    }
}

#[test]
fn the_static_folder_site_yaml_and_the_sites_parent_are_refused_as_output() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    std::fs::create_dir(&root).unwrap();
    let site = Site::new()
        .file("static/img/x.png", "png")
        .file("content/about.md", "---\ntitle: About\n---\n");
    // Work on a copy inside `parent`, so its parent can be guarded too.
    for (path, bytes) in site.snapshot(".") {
        let target = root.join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    let copy = SiteAt(root.clone());
    for out in [
        root.join("static"),
        root.join("static/img"),
        root.join("site.yaml"),
        root.join("content/exercises"),
        parent.path().to_path_buf(),
        root.join(".."),
        root.join("public/../.."),
    ] {
        copy.assert_refused(&out, parent.path());
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_to_the_site_root_is_refused_as_output() {
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\n");
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("looks-harmless");
    std::os::unix::fs::symlink(site.root(), &link).unwrap();
    assert_output_refused(&site, &link, site.root(), &[]);
    let into_content = links.path().join("into-content");
    std::os::unix::fs::symlink(site.path("content"), &into_content).unwrap();
    assert_output_refused(&site, &into_content.join("sub"), site.root(), &[]);
}

/// A site folder that is not a temporary [`Site`].
struct SiteAt(std::path::PathBuf);

impl SiteAt {
    #[track_caller]
    fn assert_refused(&self, out: &Path, guard: &Path) {
        let before = snapshot(guard);
        let run = run_in(
            &self.0,
            &[
                "build",
                self.0.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            &[],
        );
        run.assert_code(2).assert_stderr_contains("refusing to use");
        assert!(
            snapshot(guard) == before,
            "-o {} changed {}",
            out.display(),
            guard.display()
        );
    }
}
