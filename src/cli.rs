//! The command line, parsed once into typed arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{Audience, Lms};
use crate::diagnostics::Format;

#[derive(Debug, Parser)]
#[command(
    name = "salesbook",
    // The version, and the commit it was built from when known (build.rs).
    version = env!("SALESBOOK_VERSION"),
    about = "Builds a sales-training site from Markdown interview notes and practice exercises"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into OUT (default ROOT/public)
    Build(BuildArgs),
    /// Run every validation of `build` and write nothing
    Check(CheckArgs),
    /// Build, serve on localhost, rebuild on every change and reload the browser
    Serve(ServeArgs),
    /// Build, then rebuild OUT on every change (no server)
    Watch(WatchArgs),
    /// Write a new interview, exercise, track or speaker with its front matter
    New(NewArgs),
    /// Create a new site in DIR, ready to serve
    Init(InitArgs),
    /// Turn a Hugo, Jekyll, MkDocs or plain Markdown folder into a new site
    Import(ImportArgs),
}

/// What both `build` and `check` read.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder, holding site.yaml and content/
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Who the build is for: facilitator builds keep [!FACILITATOR] notes
    #[arg(long, value_enum, default_value_t = Audience::Learner)]
    pub audience: Audience,
    /// How problems are printed
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The output folder, replaced as a whole at the end of a good build
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace OUT even if it holds files salesbook did not write
    #[arg(long)]
    pub force: bool,
    /// Absolute URL of the published site, for sitemap.xml, feed.xml and canonical links
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Also write one LMS package per track into OUT/lms/ (overrides `lms:` in site.yaml)
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub lms: Option<Lms>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also check the tracks an LMS build would package (overrides `lms:` in site.yaml)
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub lms: Option<Lms>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The output folder, kept up to date after every change
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace OUT even if it holds files salesbook did not write
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port to listen on; the next free one is used when it is busy
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; anything but loopback exposes your drafts to the network
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create
    #[arg(value_enum)]
    pub kind: NewKind,
    /// The title (the speaker's name for a speaker); the file name is made from it
    pub title: String,
    /// The site folder
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Interview,
    Exercise,
    Track,
    Speaker,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the new site; must not exist or be empty
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The folder to import; it is only read
    pub src: PathBuf,
    /// The new site's folder; must not exist or be empty (default: SRC-salesbook beside SRC)
    #[arg(short, long, value_name = "SITE")]
    pub output: Option<PathBuf>,
    /// How the check of the new site prints its problems
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}
