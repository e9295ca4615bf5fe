//! Why writing the output failed.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// An I/O failure with the path and what was being done.
#[derive(Debug)]
pub struct OutputError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot {} {}: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for OutputError {}
