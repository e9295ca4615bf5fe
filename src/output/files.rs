//! What a build produces: output files, their contents, and the sinks
//! they are handed to as each is rendered.

use std::path::PathBuf;
use std::sync::Mutex;

use super::error::OutputError;

/// The bytes of one output file, or where to copy them from.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    BuiltIn(&'static [u8]),
    Copy(PathBuf),
}

/// One file of the output, at a path relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative path with `/` separators; built only from checked slugs.
    pub path: String,
    pub contents: Contents,
}

/// Where rendered files go, as soon as each is ready: the build streams
/// them to disk instead of holding the whole site in memory.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), OutputError>;

    /// Whether the files are kept: `check` throws them away, so what only
    /// makes output (resized photos) need not be made. Every sink says so
    /// itself: a default would let a new throw-away sink make photos.
    fn keeps_files(&self) -> bool;
}

/// Keeps files in memory (for rebuilds, which compare before writing).
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }

    fn keeps_files(&self) -> bool {
        true
    }
}

impl Collect {
    /// The files, sorted by path (rendering order is not deterministic).
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}
