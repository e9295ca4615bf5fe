//! `salesbook init DIR`: a new site that builds and serves at once.

use super::CommandError;
use crate::cli::InitArgs;
use crate::scaffold::new_site;
use crate::text::today;

pub fn run(args: &InitArgs) -> Result<(), CommandError> {
    let dir = &args.dir;
    let is_empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => true,
        Err(error) => {
            let message = format!("cannot read {}: {error}", dir.display());
            return Err(CommandError::plain(message, None));
        }
    };
    if !is_empty {
        return Err(CommandError::plain(
            format!("{} is not empty", dir.display()),
            Some("choose a new folder; salesbook init never overwrites files"),
        ));
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
        written.map_err(|error| {
            CommandError::plain(format!("cannot write {}: {error}", full.display()), None)
        })?;
    }
    println!("created a new site in {}", dir.display());
    println!("next: salesbook serve {}", dir.display());
    Ok(())
}
