//! Rebuilding a site again and again (for `watch` and `serve`), doing only
//! the work a change calls for, with output always byte-identical to what
//! a clean `build` writes.
//!
//! Each rebuild loads the site again (unchanged files are reused from the
//! caches, so this costs a directory walk), validates all of it, then:
//! - if the site's shape changed (settings, which pages exist, their URLs
//!   or the links between them), renders every page;
//! - otherwise renders only the pages that changed and the pages showing
//!   them (lists, topic pages, tracks, speakers, related pages), and the
//!   pages whose templates reach a changed template (every page when a
//!   changed template defines components);
//!
//! and writes only the files whose bytes differ from the last build. An
//! edit of page bodies alone skips the load (`Rebuilder::rebuild_bodies`).

mod depends;
mod write;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use crate::diagnostics::Diagnostics;
use crate::fingerprint::fingerprint;
use crate::output::{self, OutputError};
use crate::render::views::{brief_value, Derived};
use crate::render::{self, all_jobs, render_jobs, supporting_files, Engine, Photos};
use crate::search::{is_shard_path, SHARDS_DIR};
use crate::site::{Caches, LoadOptions, PageId, Site};

use depends::{engine_source, jobs_for_changes, jobs_since, shape_fingerprint};
use write::{contents_fingerprint, remove_stale, write_changed};

/// Why a rebuild wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors; the previous output stays.
    Content(Diagnostics),
    /// Writing failed.
    Io(OutputError),
}

impl From<OutputError> for Failure {
    fn from(error: OutputError) -> Self {
        Failure::Io(error)
    }
}

/// What a batch of changes touched besides the files it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touched {
    /// Only files under `content/`.
    ContentOnly,
    /// Static or theme files, which are copied into OUT.
    Copies,
    /// Anything else, such as site.yaml.
    Other,
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
    /// What the load of the site warned about.
    warnings: Diagnostics,
}

pub struct Rebuilder {
    root: PathBuf,
    out: PathBuf,
    options: LoadOptions,
    caches: Caches,
    last: Option<LastBuild>,
    /// The search index, updated page by page.
    search: crate::search::SearchIndex,
    /// The template engine of the last rebuild and a fingerprint of what it
    /// was made from.
    engine: Option<(u64, Engine)>,
    /// Counts rebuilds whose batch touched static or theme files: copied
    /// files are then written again whatever their stamps say.
    copy_generation: u64,
    /// Whether the last rebuild failed.
    last_failed: bool,
}

impl Rebuilder {
    pub fn new(root: &Path, out: &Path, options: LoadOptions) -> Self {
        Rebuilder {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options,
            caches: Caches::default(),
            last: None,
            search: Default::default(),
            engine: None,
            copy_generation: 0,
            last_failed: false,
        }
    }

    /// Rebuilds after the watcher reported `changed` files (absolute paths):
    /// they are read again even if their size and modification time look
    /// unchanged (coarse file-system clocks, tools that keep mtimes).
    pub fn rebuild_after(
        &mut self,
        changed: &[PathBuf],
        touched: Touched,
    ) -> Result<Outcome, Failure> {
        // OUT deleted while watching: nothing recorded holds any more, so
        // everything is written again.
        if !self.out.is_dir() {
            self.last = None;
        }
        if touched == Touched::ContentOnly {
            if let Some(outcome) = self.rebuild_bodies(changed) {
                return outcome;
            }
        }
        self.caches.forget(changed);
        if touched == Touched::Copies {
            self.copy_generation += 1;
        }
        self.rebuild()
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Loads the site and brings OUT up to date with it.
    pub fn rebuild(&mut self) -> Result<Outcome, Failure> {
        let outcome = self.load_and_rebuild();
        self.last_failed = outcome.is_err();
        outcome
    }

    fn load_and_rebuild(&mut self) -> Result<Outcome, Failure> {
        let started = Instant::now();
        let timer = crate::timing::phase("rebuild: load");
        let (site, problems) = Site::load_with(&self.root, self.options.clone(), &mut self.caches);
        drop(timer);
        let Some(site) = site else {
            return Err(Failure::Content(problems));
        };
        let timer = crate::timing::phase("rebuild: shape");
        let shape = shape_fingerprint(&site);
        drop(timer);
        let timer = crate::timing::phase("rebuild: engine");
        // The templates are parsed again only when they or the settings
        // they see changed.
        let engine_source = engine_source(&site);
        let engine = match self.engine.take() {
            Some((source, engine)) if source == engine_source => engine,
            _ => Engine::new(&site).map_err(|errors| {
                let mut all = Diagnostics::new();
                all.extend(errors);
                Failure::Content(all)
            })?,
        };
        drop(timer);
        let timer = crate::timing::phase("rebuild: jobs");
        let derived = Derived::new(&site);
        let since = self.last.as_ref().map(|last| (&last.site, last.shape));
        let jobs = jobs_since(since, &site, shape, &derived);
        drop(timer);
        let timer = crate::timing::phase("rebuild: templates");
        let collected = output::Collect::default();
        let rendered =
            render_jobs(&site, &engine, &derived, &jobs, &collected).map_err(render_failure)?;
        let pages = collected.into_files();
        drop(timer);
        let generation = self.copy_generation;
        let (written, removed, recorded) = match self.last.take() {
            None => {
                let timer = crate::timing::phase("rebuild: search index");
                let search_index = self.search.update(&site);
                drop(timer);
                let mut files = pages;
                files.extend(
                    supporting_files(&site, search_index, Photos::Make)
                        .map_err(Failure::Content)?,
                );
                let timer = crate::timing::phase("rebuild: write");
                output::write_site(&self.out, &files).map_err(Failure::Io)?;
                drop(timer);
                let recorded = files
                    .iter()
                    .map(|f| (f.path.clone(), contents_fingerprint(f, generation)))
                    .collect();
                (
                    files.iter().map(|f| f.path.clone()).collect(),
                    Vec::new(),
                    recorded,
                )
            }
            Some(last) => {
                let mut recorded = last.files;
                let (written, supporting) = self.write_changes(&site, &pages, &mut recorded)?;
                let current: HashSet<String> = all_jobs(&site)
                    .iter()
                    .map(|job| job.path(&site))
                    .chain(supporting.into_iter().map(|f| f.path))
                    .collect();
                let removed = remove_stale(&self.out, &mut recorded, "", |_| true, &current)?;
                (written, removed, recorded)
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
        drop(derived);
        self.engine = Some((engine_source, engine));
        self.last = Some(LastBuild {
            site,
            shape,
            files: recorded,
            warnings: outcome.warnings.clone(),
        });
        Ok(outcome)
    }

    /// Rebuilds after an edit of page bodies only, without loading the
    /// site again (see [`Site::read_new_bodies`]); None when the change
    /// needs a full rebuild. Nothing outside the changed pages can have
    /// changed: the front matter, and so the URLs, refs, topics and the
    /// site's shape, are what the last build had.
    fn rebuild_bodies(&mut self, changed: &[PathBuf]) -> Option<Result<Outcome, Failure>> {
        let started = Instant::now();
        // After a failed rebuild, files other than these may differ from
        // the last build's.
        if self.last_failed || self.engine.is_none() {
            return None;
        }
        let timer = crate::timing::phase("rebuild: bodies");
        let mut update = self
            .last
            .as_ref()?
            .site
            .read_new_bodies(changed, &self.caches)?;
        drop(timer);
        let (mut last, (source, engine)) = (self.last.take()?, self.engine.take()?);
        let briefs_before: FxHashMap<PageId, _> = update
            .pages()
            .map(|index| (index, brief_value(&last.site, index)))
            .collect();
        last.site.swap_bodies(&mut update);
        let result = self.write_bodies(&last.site, &engine, &briefs_before, &mut last.files);
        match &result {
            Ok(_) => last.site.remember_bodies(&update, &mut self.caches),
            // The site goes back to what OUT shows; the next rebuild loads
            // the files again.
            Err(_) => {
                last.site.swap_bodies(&mut update);
                self.caches.forget(changed);
            }
        }
        let outcome = result.map(|(rendered, written, removed)| Outcome {
            pages: last.site.pages.len(),
            rendered,
            written,
            removed,
            elapsed: started.elapsed(),
            warnings: last.warnings.clone(),
            build_id: fingerprint(&last.files),
        });
        self.engine = Some((source, engine));
        // As after a full rebuild, a write that failed leaves OUT in an
        // unknown state: the next rebuild writes everything.
        if !matches!(outcome, Err(Failure::Io(_))) {
            self.last = Some(last);
        }
        self.last_failed = outcome.is_err();
        Some(outcome)
    }

    /// Renders and writes what shows the pages whose bodies changed (the
    /// keys of `briefs_before`, with their brief views before the change).
    fn write_bodies(
        &mut self,
        site: &Site,
        engine: &Engine,
        briefs_before: &FxHashMap<PageId, tera::Value>,
        recorded: &mut BTreeMap<String, u64>,
    ) -> Result<(usize, Vec<String>, Vec<String>), Failure> {
        let timer = crate::timing::phase("rebuild: jobs");
        let derived = Derived::new(site);
        let changed: HashSet<PageId> = briefs_before.keys().copied().collect();
        let jobs = jobs_for_changes(site, &derived, &changed, |index| {
            briefs_before.get(&index) == Some(&derived.brief(index))
        });
        drop(timer);
        let timer = crate::timing::phase("rebuild: templates");
        let collected = output::Collect::default();
        let rendered =
            render_jobs(site, engine, &derived, &jobs, &collected).map_err(render_failure)?;
        drop(timer);
        let (written, supporting) = self.write_changes(site, &collected.into_files(), recorded)?;
        // The same pages and static files as before: only search shards
        // can have gone.
        let current: HashSet<String> = supporting.into_iter().map(|f| f.path).collect();
        let removed = remove_stale(&self.out, recorded, SHARDS_DIR, is_shard_path, &current)?;
        Ok((rendered, written, removed))
    }

    /// Writes the pages that changed, then the search index and the other
    /// supporting files that changed; returns what was written and the
    /// supporting files. Pages go first, so the page being edited is served
    /// as soon as it is ready.
    fn write_changes(
        &mut self,
        site: &Site,
        pages: &[output::OutputFile],
        recorded: &mut BTreeMap<String, u64>,
    ) -> Result<(Vec<String>, Vec<output::OutputFile>), Failure> {
        let generation = self.copy_generation;
        let mut written = write_changed(&self.out, pages, recorded, generation)?;
        let timer = crate::timing::phase("rebuild: search index");
        let search_index = self.search.update(site);
        drop(timer);
        let supporting =
            supporting_files(site, search_index, Photos::Make).map_err(Failure::Content)?;
        written.extend(write_changed(&self.out, &supporting, recorded, generation)?);
        Ok((written, supporting))
    }
}

fn render_failure(error: render::RenderError) -> Failure {
    match error {
        render::RenderError::Content(problems) => Failure::Content(problems),
        render::RenderError::Io(error) => Failure::Io(error),
    }
}
