//! `salesbook check`: every validation of `build`, nothing written.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{check_root, load_and_render, make_packages, CommandError};
use crate::cli::CheckArgs;
use crate::diagnostics::Format;
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
    let (site, files) = load_and_render(&args.site, None, args.lms, &Discard::default(), None)?;
    let packages = make_packages(&site, args.lms, &Discard::default(), args.site.format, None)?;
    if args.site.format == Format::Human {
        eprintln!(
            "ok: {} pages, {} output files, no problems",
            site.pages.len(),
            files + packages
        );
    }
    Ok(())
}
