//! Rebuilding a site again and again (for `watch` and `serve`), doing only
//! the work a change calls for, with output always byte-identical to what
//! a clean `build` writes.
//!
//! Each rebuild loads the site again (unchanged files are reused from the
//! caches, so this costs a directory walk), validates all of it, then:
//! - if the site's shape changed (templates, settings, which pages exist,
//!   their URLs or the links between them), renders every page;
//! - otherwise renders only the pages that changed and the pages showing
//!   them (lists, topic pages, tracks, speakers, related pages);
//!
//! and writes only the files whose bytes differ from the last build.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::output::{self, OutputError};
use crate::render::views::Derived;
use crate::render::{
    self, affected_jobs, all_jobs, render_jobs, shape_fingerprint, supporting_files, Engine,
};
use crate::site::{fingerprint, Caches, LoadOptions, Site};

/// Why a rebuild wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors; the previous output stays.
    Content(Diagnostics),
    /// Writing failed.
    Io(OutputError),
}

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub pages: usize,
    /// How many pages went through the templates.
    pub rendered: usize,
    /// Output files written (new or changed), relative to OUT.
    pub written: Vec<String>,
    /// Output files deleted.
    pub removed: Vec<String>,
    pub elapsed: Duration,
    /// Warnings of the build.
    pub warnings: Diagnostics,
    /// A fingerprint of the whole output: equal ids, equal sites.
    pub build_id: u64,
}

struct LastBuild {
    site: Site,
    shape: u64,
    /// Every output file and a fingerprint of its contents.
    files: BTreeMap<String, u64>,
}

pub struct Rebuilder {
    root: PathBuf,
    out: PathBuf,
    options: LoadOptions,
    caches: Caches,
    last: Option<LastBuild>,
    /// Counts rebuilds whose batch touched static or theme files: copied
    /// files are then written again whatever their stamps say.
    copy_generation: u64,
}

impl Rebuilder {
    pub fn new(root: &Path, out: &Path, options: LoadOptions) -> Self {
        Rebuilder {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options,
            caches: Caches::default(),
            last: None,
            copy_generation: 0,
        }
    }

    /// Rebuilds after the watcher reported `changed` files (absolute paths):
    /// they are read again even if their size and modification time look
    /// unchanged (coarse file-system clocks, tools that keep mtimes).
    pub fn rebuild_after(
        &mut self,
        changed: &[PathBuf],
        copies_changed: bool,
    ) -> Result<Outcome, Failure> {
        self.caches.forget(changed);
        if copies_changed {
            self.copy_generation += 1;
        }
        self.rebuild()
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Loads the site and brings OUT up to date with it.
    pub fn rebuild(&mut self) -> Result<Outcome, Failure> {
        let started = Instant::now();
        let (site, problems) = Site::load_with(&self.root, self.options.clone(), &mut self.caches);
        let Some(site) = site else {
            return Err(Failure::Content(problems));
        };
        let shape = shape_fingerprint(&site);
        let engine = Engine::new(&site).map_err(|errors| {
            let mut all = Diagnostics::new();
            all.extend(errors);
            Failure::Content(all)
        })?;
        let derived = Derived::new(&site);
        let jobs = match &self.last {
            Some(last) if last.shape == shape => {
                let changed = changed_pages(&last.site, &site);
                affected_jobs(&site, &derived, &changed)
            }
            _ => all_jobs(&site),
        };
        let collected = render::Collect::default();
        let rendered = render_jobs(&site, &engine, &derived, &jobs, &collected).map_err(
            |error| match error {
                render::RenderError::Content(problems) => Failure::Content(problems),
                render::RenderError::Io(error) => Failure::Io(error),
            },
        )?;
        let mut files = collected.into_files();
        files.extend(supporting_files(&site).map_err(Failure::Content)?);

        let all_paths: HashSet<String> = all_jobs(&site)
            .iter()
            .map(|job| job.path(&site))
            .chain(files.iter().map(|f| f.path.clone()))
            .collect();
        let (written, removed, recorded) = match self.last.take() {
            None => {
                output::write_site(&self.out, &files).map_err(Failure::Io)?;
                let recorded = files
                    .iter()
                    .map(|f| {
                        (
                            f.path.clone(),
                            contents_fingerprint(f, self.copy_generation),
                        )
                    })
                    .collect();
                (
                    files.iter().map(|f| f.path.clone()).collect(),
                    Vec::new(),
                    recorded,
                )
            }
            Some(last) => {
                let mut recorded = last.files.clone();
                let generation = self.copy_generation;
                let changed: Vec<&render::OutputFile> = files
                    .iter()
                    .filter(|f| recorded.get(&f.path) != Some(&contents_fingerprint(f, generation)))
                    .collect();
                let stale: Vec<String> = recorded
                    .keys()
                    .filter(|p| !all_paths.contains(*p))
                    .cloned()
                    .collect();
                let result = output::update_in_place(&self.out, &changed, &stale);
                if let Err(error) = result {
                    // Unknown state on disk: the next rebuild writes it all again.
                    return Err(Failure::Io(error));
                }
                for file in &changed {
                    recorded.insert(file.path.clone(), contents_fingerprint(file, generation));
                }
                for path in &stale {
                    recorded.remove(path);
                }
                (
                    changed.iter().map(|f| f.path.clone()).collect(),
                    stale,
                    recorded,
                )
            }
        };
        let outcome = Outcome {
            pages: site.pages.len(),
            rendered,
            written,
            removed,
            elapsed: started.elapsed(),
            warnings: problems,
            build_id: fingerprint(&recorded),
        };
        self.last = Some(LastBuild {
            site,
            shape,
            files: recorded,
        });
        Ok(outcome)
    }
}

/// Pages that are new, or whose file or rendered Markdown changed since
/// the last build (compared by identity: unchanged pages are shared).
fn changed_pages(last: &Site, site: &Site) -> HashSet<usize> {
    let before: HashMap<&str, (&Arc<crate::content::Page>, &Arc<crate::markdown::Rendered>)> = last
        .pages
        .iter()
        .zip(&last.rendered)
        .map(|(page, rendered)| (page.reference.as_str(), (page, rendered)))
        .collect();
    site.pages
        .iter()
        .zip(&site.rendered)
        .enumerate()
        .filter(
            |(_, (page, rendered))| match before.get(page.reference.as_str()) {
                Some((old_page, old_rendered)) => {
                    !Arc::ptr_eq(old_page, page) || !Arc::ptr_eq(old_rendered, rendered)
                }
                None => true,
            },
        )
        .map(|(index, _)| index)
        .collect()
}

fn contents_fingerprint(file: &render::OutputFile, copy_generation: u64) -> u64 {
    match &file.contents {
        render::Contents::Bytes(bytes) => fingerprint(bytes.as_slice()),
        render::Contents::BuiltIn(bytes) => fingerprint(*bytes),
        render::Contents::Copy(source) => {
            let stamp = std::fs::metadata(source)
                .ok()
                .map(|m| crate::content::load::Stamp::of(&m));
            fingerprint(&(source, stamp, copy_generation))
        }
    }
}
