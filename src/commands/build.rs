//! `salesbook build`: load, validate, render, then swap the new site into
//! the output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::progress::Progress;
use super::{check_root, counted_warnings, load_and_render, make_packages, CommandError};
use crate::cli::BuildArgs;
use crate::diagnostics::{stderr_wants_color, Format};
use crate::output::Staging;

pub fn run(args: &BuildArgs) -> Result<(), CommandError> {
    let started = Instant::now();
    let out = checked_output_folder(&args.site, args.output.as_deref(), args.force)?;
    if let Some(url) = &args.base_url {
        if let Some(reason) = crate::config::base_url_problem(url) {
            return Err(CommandError::about(
                Path::new("--base-url"),
                format!("--base-url `{url}` {reason}"),
                "for example --base-url https://example.com/lab/",
            ));
        }
    }
    // Files stream into a folder beside OUT as they are rendered; it only
    // replaces OUT once everything succeeded.
    // The swap works on the resolved path: a path ending in `..` cannot be
    // renamed, and `x/../..` must mean where the check above says it does.
    let waiting = || {
        if args.site.format == Format::Human {
            eprintln!("waiting for another build into {} to finish", out.display());
        }
    };
    let staging = Staging::create(&absolute(&out), waiting).map_err(|error| {
        CommandError::about(
            &out,
            error.to_string(),
            "check that the output folder's parent is writable",
        )
    })?;
    let base_url = args.base_url.clone();
    let format = args.site.format;
    let progress = Progress::start(format);
    let unchanged = Some(out.as_path());
    let (site, files) = load_and_render(
        &args.site, base_url, args.lms, &staging, unchanged, &progress,
    )?;
    // LMS packages (`--lms scorm12`, `lms:` in site.yaml) go in before the swap.
    let packages = make_packages(&site, args.lms, &staging, format, unchanged, &progress)?;
    progress.phase(format!("writing into {}", out.display()));
    let timer = crate::timing::phase("swap");
    let in_place = staging.updates_in_place();
    let committed = staging.commit();
    drop(timer);
    if let Err(error) = committed {
        let hint = if in_place {
            "the output folder is a mount point, updated file by file: it may mix old and new files until the next good build"
        } else {
            "the previous output was left as it was"
        };
        return Err(CommandError::about(&out, error.to_string(), hint));
    }
    let warnings = progress.warnings();
    drop(progress);
    if format == Format::Human {
        let warned = match warnings {
            0 => String::new(),
            _ => format!(", {}", counted_warnings(warnings, stderr_wants_color())),
        };
        eprintln!(
            "built {} pages ({} files) into {} in {} ms{warned}",
            site.pages.len(),
            files + packages,
            out.display(),
            started.elapsed().as_millis()
        );
    }
    Ok(())
}

/// The site folder and the output folder a command was given, checked:
/// the site must exist, and OUT (default `ROOT/public`) must be a folder of
/// its own (see [`check_output_folder`]) that is new, empty or written by
/// salesbook, unless `force`.
pub(crate) fn checked_output_folder(
    site: &crate::cli::SiteArgs,
    output: Option<&Path>,
    force: bool,
) -> Result<PathBuf, CommandError> {
    check_root(site)?;
    let out = output.map_or_else(|| site.root.join("public"), Path::to_path_buf);
    let refusal = match check_output_folder(&site.root, &out) {
        Err(reason) => Some((
            reason,
            "everything in the output folder is replaced; choose a folder of its own, e.g. -o public",
        )),
        Ok(()) if !force => check_output_is_ours(&out).err().map(|reason| {
            (
                reason,
                "choose a new or empty folder, or pass --force to replace everything in it",
            )
        }),
        Ok(()) => None,
    };
    if let Some((reason, hint)) = refusal {
        let message = format!(
            "refusing to use {} as the output folder: {reason}",
            out.display()
        );
        return Err(CommandError::about(&out, message, hint));
    }
    Ok(out)
}

/// Why a folder cannot be the output folder.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    FileSystemRoot,
    HomeFolder,
    HoldsHomeFolder,
    HoldsSite,
    /// Inside one of the site's sources (`content`, `themes/x`, ...).
    InsideSource(String),
    HoldsSource(String),
    NotAFolder,
    /// Not empty and without salesbook's marker file.
    NotOurs,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::FileSystemRoot => f.write_str("it is the file-system root"),
            Refusal::HomeFolder => f.write_str("it is your home folder"),
            Refusal::HoldsHomeFolder => f.write_str("it holds your home folder"),
            Refusal::HoldsSite => f.write_str("it holds the site itself"),
            Refusal::InsideSource(source) => write!(f, "it is inside the site's {source}"),
            Refusal::HoldsSource(source) => write!(f, "it holds the site's {source}"),
            Refusal::NotAFolder => f.write_str("it is a file, not a folder"),
            Refusal::NotOurs => write!(
                f,
                "it holds files salesbook did not write (it has no {} file)",
                crate::output::MARKER
            ),
        }
    }
}

/// The output folder is deleted and replaced as a whole, so it must not be
/// a folder holding anything else of value: the site root, its sources
/// (where they really are, when they are symbolic links), an ancestor of
/// the site or of its sources, the file-system root, the home folder or an
/// ancestor of it. Nor can it be a file.
pub(crate) fn check_output_folder(root: &Path, out: &Path) -> Result<(), Refusal> {
    let root = absolute(root);
    let out = absolute(out);
    if out.parent().is_none() {
        return Err(Refusal::FileSystemRoot);
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        let home = absolute(&home);
        if out == home {
            return Err(Refusal::HomeFolder);
        }
        if home.starts_with(&out) {
            return Err(Refusal::HoldsHomeFolder);
        }
    }
    if root.starts_with(&out) {
        return Err(Refusal::HoldsSite);
    }
    for (source, path) in site_sources(&root) {
        let real = absolute(&path);
        if out.starts_with(&path) || out.starts_with(&real) {
            return Err(Refusal::InsideSource(source));
        }
        if real.starts_with(&out) {
            return Err(Refusal::HoldsSource(source));
        }
    }
    if std::fs::metadata(&out).is_ok_and(|meta| !meta.is_dir()) {
        return Err(Refusal::NotAFolder);
    }
    Ok(())
}

/// What a build reads: `content/`, `themes/` and each theme in it,
/// `static/` and `site.yaml`, by name and path. Any may be a symbolic link
/// that the build reads through.
fn site_sources(root: &Path) -> Vec<(String, PathBuf)> {
    let mut sources: Vec<(String, PathBuf)> = ["content", "themes", "static", "site.yaml"]
        .iter()
        .map(|name| (name.to_string(), root.join(name)))
        .collect();
    if let Ok(themes) = std::fs::read_dir(root.join("themes")) {
        for theme in themes.flatten() {
            let name = format!("themes/{}", theme.file_name().to_string_lossy());
            sources.push((name, theme.path()));
        }
    }
    sources
}

/// An existing, non-empty OUT must hold a site salesbook wrote: anything
/// else in it would be lost.
fn check_output_is_ours(out: &Path) -> Result<(), Refusal> {
    let Ok(mut entries) = std::fs::read_dir(out) else {
        return Ok(());
    };
    if entries.next().is_none() || crate::output::is_salesbook_output(out) {
        return Ok(());
    }
    Err(Refusal::NotOurs)
}

/// An absolute, normalised path, whether or not it exists yet, as the
/// system will resolve it once the missing folders are created: `.` is
/// dropped, existing parts are canonicalised (resolving symbolic links)
/// before a `..` goes up from them, and `..` after a missing folder goes
/// back to where that folder will be. `HOME/new/../..` is HOME's parent.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut result = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                result = canonical_prefix(&result);
                result.pop();
            }
            other => result.push(other),
        }
    }
    canonical_prefix(&result)
}

/// `path` (without `.` or `..`) with its longest existing ancestor
/// canonicalised and the rest appended.
fn canonical_prefix(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut result = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        result.push(name);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_output_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("content")).unwrap();
        assert_eq!(check_output_folder(root, root), Err(Refusal::HoldsSite));
        assert_eq!(
            check_output_folder(root, &root.join("content")),
            Err(Refusal::InsideSource("content".to_string()))
        );
        assert!(check_output_folder(root, &root.join("content")).is_err());
        assert!(check_output_folder(root, &root.join("themes/x")).is_err());
        assert!(check_output_folder(root, &root.join("content/../")).is_err());
        assert!(check_output_folder(root, Path::new("/")).is_err());
        assert!(check_output_folder(root, &root.join("..")).is_err());
        assert!(check_output_folder(root, &root.join("new/../..")).is_err());
        assert!(check_output_folder(root, &root.join("public/./new/../../content")).is_err());
        assert!(check_output_folder(root, &root.join("new/..")).is_err());
        assert!(check_output_folder(root, &root.join("public")).is_ok());
        assert!(check_output_folder(root, &root.join("content-out")).is_ok());
    }
}
