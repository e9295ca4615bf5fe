//! `salesbook`: a static site generator for sales-training material.

use std::process::ExitCode;

use clap::Parser;

use salesbook::cli::{Cli, Command};
use salesbook::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build(args) => commands::build::run(&args),
        Command::Check(args) => commands::check::run(&args),
    };
    ExitCode::from(code)
}
