//! `salesbook init DIR`: a new site that builds and serves at once.

use super::{EXIT_OK, EXIT_USAGE_OR_IO};
use crate::cli::InitArgs;
use crate::scaffold::{new_site, today};

pub fn run(args: &InitArgs) -> u8 {
    let dir = &args.dir;
    let is_empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => true,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", dir.display());
            return EXIT_USAGE_OR_IO;
        }
    };
    if !is_empty {
        eprintln!(
            "error: {} is not empty (choose a new folder; salesbook init never overwrites files)",
            dir.display()
        );
        return EXIT_USAGE_OR_IO;
    }
    let title = dir
        .file_name()
        .map(|name| name.to_string_lossy().replace(['-', '_'], " "))
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "Sales Practice Lab".to_string());
    for (path, contents) in new_site(&title, &today()) {
        let full = dir.join(&path);
        let written = full
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&full, contents));
        if let Err(error) = written {
            eprintln!("error: cannot write {}: {error}", full.display());
            return EXIT_USAGE_OR_IO;
        }
    }
    println!("created a new site in {}", dir.display());
    println!("next: salesbook serve {}", dir.display());
    EXIT_OK
}
