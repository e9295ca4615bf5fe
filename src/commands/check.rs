//! `salesbook check`: every validation of `build`, nothing written.

use super::{check_root, load_and_render, EXIT_CONTENT_ERRORS, EXIT_OK};
use crate::cli::CheckArgs;
use crate::diagnostics::Format;

pub fn run(args: &CheckArgs) -> u8 {
    if let Err(code) = check_root(&args.site) {
        return code;
    }
    match load_and_render(&args.site, None) {
        Some((site, files)) => {
            if args.site.format == Format::Human {
                eprintln!(
                    "ok: {} pages, {} output files, no problems",
                    site.pages.len(),
                    files.len()
                );
            }
            EXIT_OK
        }
        None => EXIT_CONTENT_ERRORS,
    }
}
