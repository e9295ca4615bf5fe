//! A fluent fixture site and the result of running the `salesbook` binary on it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_salesbook");

/// A site in a temporary folder: `site.yaml` with `title: Test Lab` and a
/// `content/_index.md`, plus whatever the test adds.
pub struct Site {
    dir: TempDir,
}

impl Site {
    pub fn new() -> Site {
        Site::empty()
            .file("site.yaml", "title: Test Lab\n")
            .file("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
    }

    /// A temporary folder with nothing in it.
    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    /// Writes (or replaces) a file, creating its folders.
    pub fn file(self, path: &str, text: &str) -> Site {
        self.bytes(path, text.as_bytes())
    }

    pub fn bytes(self, path: &str, bytes: &[u8]) -> Site {
        self.write(path, bytes);
        self
    }

    /// Writes a file on a site that is already in use.
    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let full = self.path(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path(path)).unwrap();
    }

    /// Renames a file or folder of a site that is already in use.
    pub fn rename(&self, from: &str, to: &str) {
        let to = self.path(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(self.path(from), to).unwrap();
    }

    /// Removes a folder and everything in it.
    pub fn remove_dir(&self, path: &str) {
        std::fs::remove_dir_all(self.path(path)).unwrap();
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// `salesbook build ROOT`
    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// `salesbook build ROOT ARGS...`
    pub fn build_with(&self, args: &[&str]) -> Run {
        self.command("build", args)
    }

    /// `salesbook check ROOT`
    pub fn check(&self) -> Run {
        self.check_with(&[])
    }

    pub fn check_with(&self, args: &[&str]) -> Run {
        self.command("check", args)
    }

    /// Runs in the site folder, so nothing a bad build might write lands
    /// anywhere else.
    fn command(&self, command: &str, args: &[&str]) -> Run {
        let mut all = vec![command, self.root().to_str().unwrap()];
        all.extend_from_slice(args);
        execute(Command::new(BIN).args(all).current_dir(self.root()))
    }

    /// Every file under `dir` (relative to the site root), as paths
    /// relative to `dir` with `/` separators, sorted.
    pub fn all_files(&self, dir: &str) -> Vec<String> {
        self.snapshot(dir).into_keys().collect()
    }

    /// Every file under `dir` with its bytes.
    pub fn snapshot(&self, dir: &str) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.path(dir))
    }
}

/// Runs the binary with exactly these arguments.
pub fn run(args: &[&str]) -> Run {
    execute(Command::new(BIN).args(args))
}

fn execute(command: &mut Command) -> Run {
    let output = command
        .env("NO_COLOR", "1")
        .output()
        .expect("run salesbook");
    Run {
        code: output
            .status
            .code()
            .expect("salesbook was killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Where the build in `out` wrote the theme asset `name` (`salesbook.css`),
/// relative to `out`: `assets/salesbook.<8 hex digits>.css`.
#[track_caller]
pub fn asset_path(out: &Path, name: &str) -> String {
    let (stem, extension) = name.rsplit_once('.').unwrap();
    let found: Vec<String> = std::fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|file| {
            let hash = file
                .strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{extension}")));
            hash.is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "{name} as a hashed name: {found:?}");
    format!("assets/{}", found[0])
}

/// The hashed path of the theme asset `name` that `html` names:
/// `assets/salesbook.<8 hex digits>.css` for `salesbook.css`.
#[track_caller]
pub fn asset_in(html: &str, name: &str) -> String {
    let (stem, extension) = name.rsplit_once('.').unwrap();
    let start = format!("assets/{stem}.");
    html.match_indices(&start)
        .map(|(at, _)| &html[at..])
        .find_map(|rest| {
            let hash = rest.get(start.len()..start.len() + 8)?;
            let after = &rest[start.len() + 8..];
            (hash.bytes().all(|b| b.is_ascii_hexdigit())
                && after.starts_with(&format!(".{extension}")))
            .then(|| format!("{start}{hash}.{extension}"))
        })
        .unwrap_or_else(|| panic!("no hashed {name} in:\n{html}"))
}

/// Every file under `dir` with its bytes, by relative path with `/` separators.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
        {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_success(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success\n{self}");
        assert!(!self.stderr.contains("error:"), "unexpected errors\n{self}");
        self
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "unexpected exit code\n{self}");
        self
    }

    /// The `error: ` lines of stderr, without the `error: ` prefix.
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter_map(|line| line.strip_prefix("error: "))
            .collect()
    }

    /// The `warning: ` lines of stderr, without the `warning: ` prefix.
    pub fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter_map(|line| line.strip_prefix("warning: "))
            .collect()
    }

    /// Exit code 1, and exactly these errors in this order: each error line
    /// (after `error: `) starts with the expected text, which usually is
    /// `file:line[:col]: start of the message`. Also checks the summary.
    #[track_caller]
    pub fn assert_errors(&self, expected: &[&str]) -> &Run {
        self.assert_code(1);
        let errors = self.errors();
        assert_eq!(
            errors.len(),
            expected.len(),
            "expected {} errors: {expected:#?}\n{self}",
            expected.len()
        );
        for (error, want) in errors.iter().zip(expected) {
            assert!(
                error.starts_with(want),
                "expected an error starting with\n  {want}\ngot\n  {error}\n{self}"
            );
        }
        let files: std::collections::BTreeSet<&str> = errors
            .iter()
            .map(|e| e.split(':').next().unwrap())
            .collect();
        let summary = format!(
            "{} {} in {} {}",
            errors.len(),
            if errors.len() == 1 { "error" } else { "errors" },
            files.len(),
            if files.len() == 1 { "file" } else { "files" }
        );
        // The warnings, if any, are counted after the errors.
        let with_warnings = format!("{summary}, ");
        assert!(
            self.stderr
                .lines()
                .any(|line| line == summary || line.starts_with(&with_warnings)),
            "no summary line `{summary}`\n{self}"
        );
        self
    }

    #[track_caller]
    pub fn assert_stderr_contains(&self, text: &str) -> &Run {
        assert!(self.stderr.contains(text), "stderr lacks {text:?}\n{self}");
        self
    }

    #[track_caller]
    pub fn assert_stderr_lacks(&self, text: &str) -> &Run {
        assert!(
            !self.stderr.contains(text),
            "stderr should not contain {text:?}\n{self}"
        );
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- exit code {}\n--- stdout\n{}--- stderr\n{}---",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The values of every `href="…"` and `src="…"` attribute in `html`,
/// with `&amp;` decoded.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\"", "\nhref=\"", "\nsrc=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let end = rest.find('"').expect("unterminated attribute");
            found.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

/// The values of every `id="…"` attribute in `html`.
pub fn ids(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(" id=\"") {
        rest = &rest[start + 5..];
        let end = rest.find('"').expect("unterminated attribute");
        found.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    found
}

/// A site using every kind of page and most fields: interviews (one in a
/// subfolder, one with a `slug:`), exercises with a quiz, a track, speakers
/// with a photo and links, a plain page, a static image, tags.
pub fn rich_site() -> Site {
    Site::new()
        .file(
            "content/_index.md",
            "---\ntitle: Home\nsummary: Practice lab\n---\nStart with [the talk](@/interviews/2026/talk.md).\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n# About us\n\nSee [the first steps](exercises/first.md#steps), \
             [a quote](interviews/2026/talk.md#why-practise), [the log](/exercises/) and \
             [our partner](https://partner.example.org/page).\n\n![logo](/img/logo.png)\n",
        )
        .file(
            "content/interviews/2026/talk.md",
            "---\ntitle: The Talk\nsummary: Why practice matters\ndate: 2026-03-02\ntags: [Mindset, Practice]\n\
             host: jo\nguests: [al-smith]\nlearn: [Why practice matters]\ntakeaways: [Practise three times]\n\
             duration_minutes: 20\nsource: https://source.example.org/episode\nmedia: https://media.example.org/a.mp3\n---\n\
             ## Why practise\n\n> Practise it three times.\n>\n> — Al Smith\n\nThen [do the exercise](../../exercises/first.md).\n",
        )
        .file(
            "content/interviews/other.md",
            "---\ntitle: Other\nslug: second-talk\ndate: 2026-01-05\nhost: jo\n---\nBack to [the talk](2026/talk.md#why-practise).\n",
        )
        .file(
            "content/exercises/first.md",
            "---\ntitle: First\ndate: 2026-03-03\ndifficulty: beginner\nattempts: 2\ntags: [Practice]\n\
             related: [interviews/2026/talk]\nreflection: [What happened?]\nquiz:\n  - question: How many tries?\n    \
             choices: ['1', '3']\n    answer: '3'\n    explain: Three.\n---\n## Steps\n\n1. Try.\n2. [Reflect](#steps).\n\nA note[^1].\n\n[^1]: Footnote.\n",
        )
        .file("content/exercises/second.md", "---\ntitle: Second\ndifficulty: advanced\ntags: [Stretch]\n---\nAgain.\n")
        .file(
            "content/tracks/habit.md",
            "---\ntitle: Habit\nlevel: beginner\nitems:\n  - interviews/2026/talk\n  - exercises/first\n  - exercises/second\n---\nIn order.\n",
        )
        .file(
            "content/speakers/jo.md",
            "---\nname: Jo Host\nrole: Host\nphoto: /img/logo.png\nlinks:\n  - label: Site\n    url: https://jo.example.org/\n---\nJo hosts.\n",
        )
        .file("content/speakers/al-smith.md", "---\nname: Al Smith\ncompany: Acme\n---\n")
        .bytes("static/img/logo.png", &image_file(48, 32, image::ImageFormat::Png))
}

/// A real image file of one colour, `width` by `height` pixels.
pub fn image_file(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_pixel(width, height, image::Rgb([40, 90, 160]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut bytes, format)
        .expect("encode an image");
    bytes.into_inner()
}

/// External URLs the rich site's content writes itself.
pub const RICH_SITE_EXTERNAL: &[&str] = &[
    "https://partner.example.org/page",
    "https://source.example.org/episode",
    "https://media.example.org/a.mp3",
    "https://jo.example.org/",
];
