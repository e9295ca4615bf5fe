//! salesbook's library: load → validate → render → write.
//!
//! `content` reads the Markdown files, `site` resolves and validates them,
//! `markdown` renders bodies, `render` applies the theme's templates,
//! `output` writes the result atomically, and `commands` ties them together
//! for the command line.

pub mod ascii;
pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod faults;
pub mod fingerprint;
pub mod import;
pub mod lms;
pub mod markdown;
pub mod output;
pub mod rebuild;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod strings;
pub mod suggest;
pub(crate) mod terms;
#[cfg(test)]
mod testing;
pub mod text;
pub mod theme;
pub mod timing;
pub mod vtt;
pub mod watch;
pub mod yaml;
