//! `salesbook`: a static site generator for sales-training material.

use std::process::ExitCode;

use clap::Parser;

use salesbook::cli::{Cli, Command};
use salesbook::diagnostics::Format;

/// mimalloc instead of the system allocator: a build allocates many small
/// strings on several threads, where it is faster. Its version 2 (the
/// `v2` feature): on a 10,000-page build, version 3 peaked at 300 MB
/// against 220 MB, for no less time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use salesbook::commands;

fn main() -> ExitCode {
    small_pages_only();
    let cli = Cli::parse();
    // `new` and `init` have no --format: their failures are for people.
    let (result, format) = match cli.command {
        Command::Build(args) => (commands::build::run(&args), args.site.format),
        Command::Check(args) => (commands::check::run(&args), args.site.format),
        Command::Serve(args) => (commands::serve::run(&args), args.site.format),
        Command::Watch(args) => (commands::watch::run(&args), args.site.format),
        Command::New(args) => (commands::new::run(&args), Format::Human),
        Command::Init(args) => (commands::init::run(&args), Format::Human),
        Command::Import(args) => (commands::import::run(&args), args.format),
    };
    ExitCode::from(commands::finish(result, format))
}

/// Turns transparent huge pages off for this process. mimalloc asks for
/// them, and the kernel then zeroes 2 MB for the first touch of each
/// region, whether the build uses all of it or not. Without them, on the
/// benchmark machine, a 10,000-page build took 1.30 s instead of 1.35 s
/// (medians of 18 alternating builds each), with a third less system time
/// and a peak 8 MB lower; user time did not change (BENCHMARKS.md).
#[cfg(target_os = "linux")]
fn small_pages_only() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and only sets a
    // flag of this process; if the kernel refuses, nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn small_pages_only() {}
