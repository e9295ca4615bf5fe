//! Deterministic ZIP files: entries sorted by name, every timestamp
//! 1980-01-01 00:00 (the earliest a ZIP can say), permissions 0644, no
//! extra fields, Deflate at a fixed level. The same files give the same
//! bytes, so CI can diff packages.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A ZIP of `files` (path → bytes).
pub fn zip(files: &BTreeMap<String, Vec<u8>>) -> std::io::Result<Vec<u8>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (path, bytes) in files {
        writer
            .start_file(path.as_str(), options)
            .map_err(std::io::Error::other)?;
        writer.write_all(bytes)?;
    }
    let cursor = writer.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_files_same_bytes() {
        let mut files = BTreeMap::new();
        files.insert("b.txt".to_string(), b"two".to_vec());
        files.insert("a/c.txt".to_string(), b"one one one one".to_vec());
        let first = zip(&files).unwrap();
        assert_eq!(first, zip(&files).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(first)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(names, ["a/c.txt", "b.txt"]);
    }
}
