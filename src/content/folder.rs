//! The files of a folder copied or read as a whole: the site's `static/`
//! and a theme's `templates/` and `static/`. One walk for all of them, so
//! links, unreadable entries and names that are not UTF-8 are reported the
//! same way wherever they are.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::load::{display_path, is_ignored_name, name_not_utf8, shown_under, walk_problem};
use crate::diagnostics::Diagnostic;

/// A folder to list, as messages name it.
pub struct Folder<'a> {
    pub dir: &'a Path,
    /// `dir` in messages: `static`, `themes/x/templates`.
    pub shown: &'a str,
    /// Leave out files whose names are hidden or editors' temporary files
    /// (`.x.swp`, `x~`). Not for a site's `static/`, whose `.nojekyll`
    /// hosts need.
    pub skip_hidden: bool,
}

/// The regular files under the folder, sorted: (path relative to it with
/// `/` separators, full path). Symbolic links are not followed (a warning
/// names each); unreadable entries and names that are not UTF-8 are errors.
pub fn files_under(folder: &Folder, problems: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    let Folder { dir, shown, .. } = *folder;
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        match entry {
            // The folder itself is followed when it is a link.
            Ok(entry) if entry.path_is_symlink() && entry.depth() > 0 => {
                problems.push(
                    Diagnostic::warning(
                        shown_under(dir, shown, entry.path()),
                        None,
                        "symbolic link not followed",
                    )
                    .with_hint(format!("copy the file into {shown}/ instead")),
                );
            }
            Ok(entry) if entry.file_type().is_file() => {
                if folder.skip_hidden && is_ignored_name(&entry.file_name().to_string_lossy()) {
                    continue;
                }
                let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                if relative.to_str().is_none() {
                    problems.push(name_not_utf8(shown_under(dir, shown, entry.path())));
                    continue;
                }
                files.push((display_path(relative), entry.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(error) => problems.push(walk_problem(&error, dir, shown)),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(skip_hidden: bool) -> (Vec<String>, Vec<Diagnostic>) {
        let root = tempfile::tempdir().expect("a temporary folder");
        let dir = root.path();
        for name in ["b.css", "a/x.js", ".well-known/security.txt", "page.html~"] {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, "x").expect("a file");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("b.css"), dir.join("link.css")).expect("a link");
        let folder = Folder {
            dir,
            shown: "static",
            skip_hidden,
        };
        let mut problems = Vec::new();
        let files = files_under(&folder, &mut problems);
        (
            files.into_iter().map(|(relative, _)| relative).collect(),
            problems,
        )
    }

    #[test]
    fn editor_files_are_kept_unless_asked() {
        let (all, _) = listed(false);
        assert_eq!(
            all,
            [".well-known/security.txt", "a/x.js", "b.css", "page.html~"]
        );
        let (shown, _) = listed(true);
        assert_eq!(shown, [".well-known/security.txt", "a/x.js", "b.css"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_named_not_followed() {
        let (files, problems) = listed(true);
        assert!(!files.contains(&"link.css".to_string()));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].file, "static/link.css");
        assert_eq!(problems[0].message, "symbolic link not followed");
    }
}
