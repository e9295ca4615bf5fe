//! `salesbook new KIND "Title"`: a new page with its front matter skeleton.

use super::{EXIT_OK, EXIT_USAGE_OR_IO};
use crate::cli::{NewArgs, NewKind};
use crate::content::slug::slugify;
use crate::scaffold::{skeleton, today};

pub fn run(args: &NewArgs) -> u8 {
    let slug = slugify(&args.title);
    if slug.is_empty() {
        eprintln!(
            "error: the title {:?} has no letters or digits to make a file name from",
            args.title
        );
        return EXIT_USAGE_OR_IO;
    }
    if !args.root.join("content").is_dir() {
        eprintln!(
            "error: {} has no content/ folder (run salesbook new inside a site, pass --root, or create one with salesbook init)",
            args.root.display()
        );
        return EXIT_USAGE_OR_IO;
    }
    let folder = args.root.join("content").join(args.kind.folder());
    let path = folder.join(format!("{slug}.md"));
    if path.exists() {
        eprintln!(
            "error: {} already exists (choose another title, or edit that file)",
            path.display()
        );
        return EXIT_USAGE_OR_IO;
    }
    let items = if args.kind == NewKind::Track {
        existing_exercises(&args.root)
    } else {
        Vec::new()
    };
    let text = skeleton(args.kind, args.title.trim(), &today(), &items);
    let written = std::fs::create_dir_all(&folder).and_then(|()| {
        // create_new: never overwrite, even if the file appeared meanwhile.
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        file.write_all(text.as_bytes())
    });
    match written {
        Ok(()) => {
            println!("{}", path.strip_prefix(".").unwrap_or(&path).display());
            EXIT_OK
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", path.display());
            EXIT_USAGE_OR_IO
        }
    }
}

/// Refs of up to three exercises, so a new track builds at once.
fn existing_exercises(root: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join("content/exercises")) else {
        return Vec::new();
    };
    let mut refs: Vec<String> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".md")
                .map(|stem| format!("exercises/{stem}"))
        })
        .collect();
    refs.sort();
    refs.truncate(3);
    refs
}
