//! `salesbook check`: every validation of `build`, nothing written.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::progress::Progress;
use super::{check_root, counted_warnings, load_and_render, make_packages, CommandError};
use crate::cli::CheckArgs;
use crate::diagnostics::{stderr_wants_color, Format};
use crate::output::{OutputError, OutputFile, Sink};

/// Renders everything and keeps nothing.
#[derive(Default)]
struct Discard(AtomicUsize);

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), OutputError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn keeps_files(&self) -> bool {
        false
    }
}

pub fn run(args: &CheckArgs) -> Result<(), CommandError> {
    check_root(&args.site)?;
    let format = args.site.format;
    let progress = Progress::start(format);
    let discard = Discard::default();
    let (site, files) = load_and_render(&args.site, None, args.lms, &discard, None, &progress)?;
    let packages = make_packages(&site, args.lms, &discard, format, None, &progress)?;
    let warnings = progress.warnings();
    drop(progress);
    if format == Format::Human {
        let warned = match warnings {
            0 => "no warnings".to_string(),
            _ => counted_warnings(warnings, stderr_wants_color()),
        };
        eprintln!(
            "checked {} pages ({} files): no errors, {warned}",
            site.pages.len(),
            files + packages
        );
    }
    Ok(())
}
