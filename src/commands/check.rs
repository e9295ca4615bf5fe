//! `salesbook check`: every validation of `build`, nothing written.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{check_root, load_and_render, Failure, EXIT_CONTENT_ERRORS, EXIT_OK, EXIT_USAGE_OR_IO};
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
}

pub fn run(args: &CheckArgs) -> u8 {
    if let Err(code) = check_root(&args.site) {
        return code;
    }
    match load_and_render(&args.site, None, args.lms, &Discard::default()) {
        Ok((site, files)) => {
            let discard = Discard::default();
            let files = match crate::lms::run(&site, args.lms, &discard, args.site.format, None) {
                Ok(packages) => files + packages,
                Err(code) => return code,
            };
            if args.site.format == Format::Human {
                eprintln!(
                    "ok: {} pages, {files} output files, no problems",
                    site.pages.len()
                );
            }
            EXIT_OK
        }
        Err(Failure::Content) => EXIT_CONTENT_ERRORS,
        Err(Failure::Io(error)) => {
            eprintln!("error: {error}");
            EXIT_USAGE_OR_IO
        }
    }
}
