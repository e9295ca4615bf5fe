//! `salesbook new KIND "Title"`: a new page with its front matter skeleton.

use super::CommandError;
use crate::cli::{NewArgs, NewKind};
use crate::content::slug::slugify;
use crate::scaffold::skeleton;
use crate::text::today;

pub fn run(args: &NewArgs) -> Result<(), CommandError> {
    let slug = slugify(&args.title);
    if slug.is_empty() {
        return Err(CommandError::plain(
            format!(
                "the title {:?} has no letters or digits to make a file name from",
                args.title
            ),
            None,
        ));
    }
    if !args.root.join("content").is_dir() {
        return Err(CommandError::plain(
            format!("{} has no content/ folder", args.root.display()),
            Some("run salesbook new inside a site, pass --root, or create one with salesbook init"),
        ));
    }
    let folder = args.root.join("content").join(args.kind.folder());
    let path = folder.join(format!("{slug}.md"));
    if path.exists() {
        return Err(CommandError::plain(
            format!("{} already exists", path.display()),
            Some("choose another title, or edit that file"),
        ));
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
    written.map_err(|error| {
        CommandError::plain(format!("cannot write {}: {error}", path.display()), None)
    })?;
    println!("{}", path.strip_prefix(".").unwrap_or(&path).display());
    Ok(())
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
