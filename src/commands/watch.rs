//! `salesbook watch`: build, then keep OUT up to date on every change.

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::build::{absolute, checked_output_folder};
use super::{load_options, report_rebuild, stop_on_signals, CommandError};
use crate::cli::WatchArgs;
use crate::rebuild::Rebuilder;
use crate::watch::rebuild_loop;

pub fn run(args: &WatchArgs) -> Result<(), CommandError> {
    let out = checked_output_folder(&args.site, args.output.as_deref(), args.force)?;
    let root = &args.site.root;
    // As `build` does: an OUT that is a symbolic link is resolved, so the
    // folder it points to is what gets swapped, not the link.
    let out = absolute(&out);
    let root = std::path::absolute(root).unwrap_or(root.clone());
    let mut rebuilder = Rebuilder::new(&root, &out, load_options(&args.site, None));
    let stop = Arc::new(AtomicBool::new(false));
    stop_on_signals(stop.clone());
    let mut watcher = super::start_watching(&root, &out)?;
    let first = rebuilder.rebuild();
    report_rebuild(&BTreeSet::new(), &first, args.site.format, &root);
    eprintln!(
        "watching {} for changes; press Ctrl-C to stop",
        root.display()
    );
    rebuild_loop(&mut rebuilder, &mut watcher, &stop, |changes, result| {
        report_rebuild(changes, result, args.site.format, &root);
    });
    eprintln!("stopped");
    Ok(())
}
