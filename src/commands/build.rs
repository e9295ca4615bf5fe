//! `salesbook build`: load, validate, render, then swap the new site into
//! the output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{
    check_root, load_and_render, report_failure, Failure, EXIT_CONTENT_ERRORS, EXIT_OK,
    EXIT_USAGE_OR_IO,
};
use crate::cli::BuildArgs;
use crate::diagnostics::Format;
use crate::output::Staging;

pub fn run(args: &BuildArgs) -> u8 {
    let started = Instant::now();
    let out = match checked_output_folder(&args.site, args.output.as_deref()) {
        Ok(out) => out,
        Err(code) => return code,
    };
    if let Some(url) = &args.base_url {
        if let Some(reason) = crate::config::base_url_problem(url) {
            report_failure(
                &format!("--base-url `{url}` {reason}"),
                "for example --base-url https://example.com/lab/",
                Path::new("--base-url"),
                args.site.format,
            );
            return EXIT_USAGE_OR_IO;
        }
    }
    // Files stream into a folder beside OUT as they are rendered; it only
    // replaces OUT once everything succeeded.
    // The swap works on the resolved path: a path ending in `..` cannot be
    // renamed, and `x/../..` must mean where the check above says it does.
    let staging = match Staging::create(&absolute(&out)) {
        Ok(staging) => staging,
        Err(error) => {
            report_failure(
                &error.to_string(),
                "check that the output folder's parent is writable",
                &out,
                args.site.format,
            );
            return EXIT_USAGE_OR_IO;
        }
    };
    let (site, files) = match load_and_render(&args.site, args.base_url.clone(), args.lms, &staging)
    {
        Ok(built) => built,
        Err(Failure::Content) => {
            if args.site.format == Format::Human {
                eprintln!("nothing was written; {} is unchanged", out.display());
            }
            return EXIT_CONTENT_ERRORS;
        }
        Err(Failure::Io(error)) => {
            report_failure(
                &error.to_string(),
                "the previous output was left as it was",
                &out,
                args.site.format,
            );
            return EXIT_USAGE_OR_IO;
        }
    };
    // LMS packages (`--lms scorm12`, `lms:` in site.yaml) go in before the swap.
    let files = match crate::lms::run(&site, args.lms, &staging, args.site.format, Some(&out)) {
        Ok(packages) => files + packages,
        Err(code) => return code,
    };
    let timer = crate::timing::phase("swap");
    let committed = staging.commit();
    drop(timer);
    if let Err(error) = committed {
        report_failure(
            &error.to_string(),
            "the previous output was left as it was",
            &out,
            args.site.format,
        );
        return EXIT_USAGE_OR_IO;
    }
    if args.site.format == Format::Human {
        eprintln!(
            "built {} pages ({} files) into {} in {} ms",
            site.pages.len(),
            files,
            out.display(),
            started.elapsed().as_millis()
        );
    }
    EXIT_OK
}

/// The site folder and the output folder a command was given, checked:
/// the site must exist, and OUT (default `ROOT/public`) must be a folder of
/// its own (see [`check_output_folder`]). The error is the exit code,
/// after the problem was printed.
pub(crate) fn checked_output_folder(
    site: &crate::cli::SiteArgs,
    output: Option<&Path>,
) -> Result<PathBuf, u8> {
    check_root(site)?;
    let out = output.map_or_else(|| site.root.join("public"), Path::to_path_buf);
    if let Err(reason) = check_output_folder(&site.root, &out) {
        report_failure(
            &format!("refusing to use {} as the output folder: {reason}", out.display()),
            "everything in the output folder is replaced; choose a folder of its own, e.g. -o public",
            &out,
            site.format,
        );
        return Err(EXIT_USAGE_OR_IO);
    }
    Ok(out)
}

/// The output folder is deleted and replaced as a whole, so it must not be
/// a folder holding anything else of value: the site root, its sources, an
/// ancestor of the site, the file-system root or the home folder.
pub(crate) fn check_output_folder(root: &Path, out: &Path) -> Result<(), String> {
    let root = absolute(root);
    let out = absolute(out);
    if out.parent().is_none() {
        return Err("it is the file-system root".to_string());
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if out == absolute(&home) {
            return Err("it is your home folder".to_string());
        }
    }
    if root.starts_with(&out) {
        return Err("it holds the site itself".to_string());
    }
    for source in ["content", "themes", "static", "site.yaml"] {
        if out.starts_with(root.join(source)) {
            return Err(format!("it is inside the site's {source}"));
        }
    }
    Ok(())
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
        assert!(check_output_folder(root, root).is_err());
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
