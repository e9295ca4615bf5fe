//! The command line, parsed once into typed arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::diagnostics::Format;
use crate::site::Audience;

#[derive(Debug, Parser)]
#[command(
    name = "salesbook",
    version,
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
    /// Absolute URL of the published site, for sitemap.xml, feed.xml and canonical links
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}
