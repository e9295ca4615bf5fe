//! `salesbook import SRC [-o SITE]`: a new site from an existing Markdown
//! folder, then `check` on it.

use std::path::{Path, PathBuf};

use super::{plural, report, CommandError};
use crate::cli::{CheckArgs, ImportArgs, SiteArgs};
use crate::config::Audience;
use crate::diagnostics::{Diagnostics, Format};
use crate::import::Report;

/// Imports, prints the report, then checks the new site: exit 1 when the
/// check finds errors (the site is written all the same), 2 when SRC or
/// SITE will not do.
pub fn run(args: &ImportArgs) -> Result<(), CommandError> {
    let src = &args.src;
    if !src.is_dir() {
        return Err(CommandError::about(
            src,
            format!("the folder {} does not exist", src.display()),
            "pass the folder that holds the Markdown files to import",
        ));
    }
    let site = match &args.output {
        Some(site) => site.clone(),
        None => default_site(src)?,
    };
    refuse_unfit_site(src, &site)?;
    let done =
        crate::import::import(src, &site).map_err(|message| CommandError::plain(message, None))?;
    print_report(&done, &site, args.format);
    if args.format == Format::Human {
        eprintln!("checking the new site:");
    }
    let check = CheckArgs {
        site: SiteArgs {
            root: site,
            drafts: false,
            audience: Audience::Learner,
            format: args.format,
        },
        lms: None,
    };
    super::check::run(&check)
}

/// `SRC-salesbook` beside SRC.
fn default_site(src: &Path) -> Result<PathBuf, CommandError> {
    let full = src.canonicalize().map_err(|error| {
        CommandError::about(
            src,
            format!("cannot read {}: {error}", src.display()),
            "check the folder's permissions",
        )
    })?;
    let name = full
        .file_name()
        .map_or_else(|| "site".into(), |name| name.to_string_lossy().into_owned());
    let parent = full.parent().unwrap_or(&full);
    Ok(parent.join(format!("{name}-salesbook")))
}

/// SITE must be new or empty (as for `init`) and apart from SRC, so that
/// the import never writes into the folder it reads.
fn refuse_unfit_site(src: &Path, site: &Path) -> Result<(), CommandError> {
    let is_empty = match std::fs::read_dir(site) {
        Ok(mut entries) => entries.next().is_none(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => true,
        Err(error) => {
            return Err(CommandError::plain(
                format!("cannot read {}: {error}", site.display()),
                None,
            ));
        }
    };
    if !is_empty {
        return Err(CommandError::about(
            site,
            format!("{} is not empty", site.display()),
            "choose a new folder with -o; salesbook import never overwrites files",
        ));
    }
    let src_full = src.canonicalize().unwrap_or_else(|_| src.to_path_buf());
    let site_full = absolute(site);
    if site_full.starts_with(&src_full) || src_full.starts_with(&site_full) {
        return Err(CommandError::about(
            site,
            "the new site cannot be inside the folder it imports, nor hold it",
            "choose a folder beside it with -o",
        ));
    }
    Ok(())
}

/// `path` made absolute through its nearest existing ancestor (SITE may
/// not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut existing = path.to_path_buf();
    loop {
        if let Ok(found) = existing.canonicalize() {
            return missing
                .iter()
                .rev()
                .fold(found, |path: PathBuf, part| path.join(part));
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// The import's figures: lines for people, one JSON object for `json`;
/// shortcodes left are warnings at their file and line.
fn print_report(done: &Report, site: &Path, format: Format) {
    if format == Format::Json {
        let summary = serde_json::json!({
            "import": {
                "site": site.display().to_string(),
                "source": done.generator.name(),
                "pages": done.pages,
                "keys_mapped": done.keys.mapped,
                "keys_to_extra": done.keys.to_extra,
                "links_rewritten": done.links_rewritten,
                "links_left": done.links_left,
                "files_copied": done.files_copied,
            }
        });
        println!("{summary}");
    } else {
        eprintln!(
            "imported {} {} from a {} into {}",
            done.pages,
            plural(done.pages, "page", "pages"),
            done.generator.name(),
            site.display()
        );
        let keys: Vec<String> = done
            .keys
            .mapped
            .iter()
            .map(|(map, count)| format!("{map} ({count})"))
            .collect();
        if !keys.is_empty() {
            eprintln!("keys mapped: {}", keys.join(", "));
        }
        let extra: Vec<String> = done
            .keys
            .to_extra
            .iter()
            .map(|(key, count)| format!("{key} ({count})"))
            .collect();
        if !extra.is_empty() {
            eprintln!("keys kept under extra: {}", extra.join(", "));
        }
        eprintln!(
            "links rewritten: {}; local links left as written: {}; files copied: {}",
            done.links_rewritten, done.links_left, done.files_copied
        );
    }
    let mut problems = Diagnostics::new();
    problems.extend(done.problems.iter().cloned());
    if format == Format::Human {
        eprintln!("shortcodes left: {}", problems.warning_count());
    }
    report(&problems, format, site);
}
