//! What each output depends on, declared in one place: after an edit,
//! these functions decide what a rebuild renders again. Output that none
//! of them names is never redone, so a new dependency between pages (a
//! page showing another's data) belongs here, and in the edit table of
//! `tests/suite/rebuild_edits.rs`, which compares every kind of edit with
//! a clean build.
//!
//! | output | rendered again when |
//! |---|---|
//! | everything | the first build, or the site's shape changed: [`jobs_since`], [`shape_fingerprint`] |
//! | the template engine | theme templates or settings: [`engine_source`] |
//! | a page | it changed, or a page it shows changed its brief view (related pages, its tracks' steps, the sections above it, its section's pages, a section's own): [`job_inputs`] |
//! | a section list, a topic | one of its pages changed its brief view: [`job_inputs`] |
//! | a track's workbook | the track or an item changed: [`jobs_for_changes`] |
//! | any job | a template it reaches changed: [`jobs_of_templates`], from `Theme::templates_affected_since` |
//! | the search index | a page or its rendering changed: `search::SearchIndex::update` |
//! | any output file | its bytes differ from the last build's: `write::write_changed` |
//!
//! A page "changed" when its parsed file or its rendered Markdown is not
//! the one the last build had ([`changed_pages`]). What decides that are
//! two caches, each reused while what it was made from is the same: the
//! parsed files (`content::load::FileCache`, by file stamp) and the
//! rendered Markdown (`site::Caches`, by page and by `markdown_context`:
//! URLs, drafts, static paths, speakers' names, audience).

use std::collections::{BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::content::Kind;
use crate::fingerprint::fingerprint;
use crate::render::views::{brief_value, Derived};
use crate::render::{self, all_jobs, Job};
use crate::site::{PageId, Site};

/// Pages whose output depends on the given pages, when the site's shape
/// (settings, URLs and the links between pages) is unchanged:
/// the pages themselves, and every page, list or topic page that shows one
/// of them. See [`shape_fingerprint`] for when this does not apply.
pub(super) fn affected_jobs<'a>(
    site: &'a Site,
    derived: &Derived,
    changed: &HashSet<PageId>,
) -> Vec<Job<'a>> {
    all_jobs(site)
        .into_iter()
        .filter(|job| {
            job_inputs(site, derived, *job)
                .iter()
                .any(|page| changed.contains(page))
        })
        .collect()
}

/// The pages whose data a job shows. Jobs whose output only depends on the
/// site's shape (the topics index, 404) have none.
pub(super) fn job_inputs(site: &Site, derived: &Derived, job: Job) -> Vec<PageId> {
    match job {
        Job::Page(index) => {
            let resolved = &site.resolved(index);
            let mut inputs = vec![index];
            inputs.extend(resolved.host);
            inputs.extend(&resolved.guests);
            inputs.extend(&resolved.related);
            inputs.extend(&resolved.items);
            inputs.extend(&derived.exercises_of[index]);
            inputs.extend(&derived.interviews_of[index]);
            // The side navigation lists every step of the page's track.
            for &(track, _) in &derived.tracks_of[index] {
                inputs.push(track);
                inputs.extend(&site.resolved(track).items);
            }
            for quote in &site.rendered(index).quotes {
                inputs.extend(
                    quote
                        .speaker_url
                        .as_deref()
                        .and_then(|url| derived.by_url.get(url)),
                );
            }
            // Breadcrumbs show the sections above, a side navigation the
            // section's pages, a section's page its own.
            let sections = site.sections();
            inputs.extend(sections.ancestors(index));
            if let Some(section) = sections.parent(index) {
                inputs.extend(sections.children(section));
            }
            inputs.extend(sections.children(index));
            if site.pages[index].kind == Kind::Home {
                inputs.extend(site.pages_of_kind(Kind::Track));
                inputs.extend(site.pages_of_kind(Kind::Interview));
                inputs.extend(site.pages_of_kind(Kind::Exercise));
            }
            inputs
        }
        Job::Section(kind) => site.pages_of_kind(kind).collect(),
        Job::Topic(slug) => site.topics()[slug].pages.clone(),
        Job::Workbook(track) => {
            let mut inputs = vec![track];
            for &item in &site.resolved(track).items {
                inputs.extend(job_inputs(site, derived, Job::Page(item)));
            }
            inputs
        }
        Job::Topics | Job::NotFound => Vec::new(),
    }
}

/// Everything that changes which pages exist, where they are and how they
/// link to each other, plus settings. While it stays the same,
/// [`affected_jobs`] knows exactly what a changed page touches.
pub(super) fn shape_fingerprint(site: &Site) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    site.config_fingerprint().hash(&mut hasher);
    // Templates are not part of it: a rebuild finds the pages a changed
    // template shows (`Theme::templates_affected_since`).
    site.theme.statics_fingerprint().hash(&mut hasher);
    site.options.audience.name().hash(&mut hasher);
    site.options.drafts.hash(&mut hasher);
    site.options.base_url.hash(&mut hasher);
    for id in site.page_ids() {
        let (page, resolved) = (&site.pages[id], site.resolved(id));
        (
            &page.reference,
            &page.url,
            page.kind,
            &page.common.tags,
            page.common.draft,
        )
            .hash(&mut hasher);
        (
            resolved.host,
            &resolved.guests,
            &resolved.related,
            &resolved.items,
        )
            .hash(&mut hasher);
    }
    site.static_files().hash(&mut hasher);
    hasher.finish()
}

/// A fingerprint of what the template engine is made from.
pub(super) fn engine_source(site: &Site) -> u64 {
    fingerprint(&(
        site.theme.fingerprint(),
        site.config_fingerprint(),
        site.options.audience.name(),
        &site.options.base_url,
    ))
}

/// The jobs a rebuild of `site` calls for after the last build (its site
/// and shape; none before the first): the changed pages' and the changed
/// templates' while the shape is the same, else every job.
pub(super) fn jobs_since<'a>(
    last: Option<(&Site, u64)>,
    site: &'a Site,
    shape: u64,
    derived: &Derived,
) -> Vec<Job<'a>> {
    let same_shape = last.filter(|&(_, last_shape)| last_shape == shape);
    let Some((last, _)) = same_shape else {
        return all_jobs(site);
    };
    let Some(templates) = site.theme.templates_affected_since(&last.theme) else {
        return all_jobs(site);
    };
    let changed = changed_pages(last, site);
    // The same shape: the same pages, in the same order.
    let mut jobs = jobs_for_changes(site, derived, &changed, |index| {
        last.pages.get(index.index()).is_some_and(|old| {
            old.reference == site.pages[index].reference
                && brief_value(last, index) == derived.brief(index)
        })
    });
    jobs.extend(jobs_of_templates(site, &templates, &jobs));
    jobs
}

/// The jobs a set of changed pages calls for. A page whose brief view (what
/// lists and related pages show of it) is unchanged, such as after an edit
/// of its body, needs only its own page and the workbooks showing it in
/// full; otherwise every job that shows the page is redone.
pub(super) fn jobs_for_changes<'a>(
    site: &'a Site,
    derived: &Derived,
    changed: &HashSet<PageId>,
    brief_unchanged: impl Fn(PageId) -> bool,
) -> Vec<render::Job<'a>> {
    let (content_only, brief_changed): (HashSet<PageId>, HashSet<PageId>) =
        changed.iter().partition(|&&index| brief_unchanged(index));
    // Usually an edit of a body: no list shows anything new.
    let mut jobs: HashSet<render::Job> = if brief_changed.is_empty() {
        HashSet::new()
    } else {
        affected_jobs(site, derived, &brief_changed)
            .into_iter()
            .collect()
    };
    for &index in &content_only {
        jobs.insert(render::Job::Page(index));
        // A track's workbook shows its body too.
        let own_workbook = (site.pages[index].kind == Kind::Track).then_some(index);
        let workbooks = derived.tracks_of[index].iter().map(|&(track, _)| track);
        for track in workbooks.chain(own_workbook) {
            jobs.insert(render::Job::Workbook(track));
        }
    }
    jobs.into_iter().collect()
}

/// The jobs, other than `already`, that render one of `templates`.
pub(super) fn jobs_of_templates<'a>(
    site: &'a Site,
    templates: &BTreeSet<String>,
    already: &[render::Job<'a>],
) -> Vec<render::Job<'a>> {
    if templates.is_empty() {
        return Vec::new();
    }
    let already: HashSet<&render::Job> = already.iter().collect();
    all_jobs(site)
        .into_iter()
        .filter(|job| templates.contains(job.template(site)) && !already.contains(job))
        .collect()
}

/// Pages that are new, or whose file or rendered Markdown changed since
/// the last build (compared by identity: unchanged pages are shared).
pub(super) fn changed_pages(last: &Site, site: &Site) -> HashSet<PageId> {
    let before: FxHashMap<&str, PageId> = last
        .page_ids()
        .map(|id| (last.pages[id].reference.as_str(), id))
        .collect();
    site.page_ids()
        .filter(|&id| match before.get(site.pages[id].reference.as_str()) {
            Some(&old) => {
                !Arc::ptr_eq(&last.pages[old], &site.pages[id])
                    || !Arc::ptr_eq(last.rendered(old), site.rendered(id))
                    // A transcript is a file of static/: it changes alone.
                    || last.transcript(old) != site.transcript(id)
            }
            None => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{loaded_site, LINKED_SITE};

    fn at(site: &Site, reference: &str) -> PageId {
        if reference == "home" {
            return site.home().expect("a home page");
        }
        site.pages
            .iter()
            .position(|page| page.reference == reference)
            .map(PageId::at)
            .unwrap_or_else(|| panic!("no page {reference}"))
    }

    fn sorted(mut pages: Vec<PageId>) -> Vec<PageId> {
        pages.sort_unstable();
        pages.dedup();
        pages
    }

    #[test]
    fn a_page_depends_on_every_page_it_shows() {
        let (_dir, site) = loaded_site(LINKED_SITE);
        let derived = Derived::new(&site);
        let inputs =
            |reference| sorted(job_inputs(&site, &derived, Job::Page(at(&site, reference))));
        let pages = |refs: &[&str]| sorted(refs.iter().map(|r| at(&site, r)).collect());
        // Its host and guest, the exercise that names it, its track and
        // every step of the track (its side navigation lists them).
        assert_eq!(
            inputs("interviews/talk"),
            pages(&[
                "interviews/talk",
                "speakers/jo",
                "speakers/al",
                "exercises/first",
                "exercises/second",
                "tracks/habit",
            ])
        );
        // The interviews a speaker hosts or is quoted in.
        assert_eq!(
            inputs("speakers/al"),
            pages(&["speakers/al", "interviews/talk"])
        );
        // The home page lists tracks, interviews and exercises.
        assert_eq!(
            inputs("home"),
            pages(&[
                "home",
                "tracks/habit",
                "interviews/talk",
                "exercises/first",
                "exercises/second",
            ])
        );
    }

    #[test]
    fn lists_depend_on_their_pages_and_the_topics_index_on_none() {
        let (_dir, site) = loaded_site(LINKED_SITE);
        let derived = Derived::new(&site);
        let exercises = job_inputs(&site, &derived, Job::Section(Kind::Exercise));
        assert_eq!(
            sorted(exercises),
            sorted(vec![
                at(&site, "exercises/first"),
                at(&site, "exercises/second")
            ])
        );
        let topic = job_inputs(&site, &derived, Job::Topic("practice"));
        assert_eq!(
            sorted(topic),
            sorted(vec![
                at(&site, "interviews/talk"),
                at(&site, "exercises/first")
            ])
        );
        assert!(job_inputs(&site, &derived, Job::Topics).is_empty());
        assert!(job_inputs(&site, &derived, Job::NotFound).is_empty());
    }

    #[test]
    fn a_workbook_depends_on_its_track_and_what_its_items_show() {
        let (_dir, site) = loaded_site(LINKED_SITE);
        let derived = Derived::new(&site);
        let track = at(&site, "tracks/habit");
        let inputs = job_inputs(&site, &derived, Job::Workbook(track));
        for reference in [
            "tracks/habit",
            "interviews/talk",
            "exercises/second",
            "speakers/jo",
        ] {
            assert!(inputs.contains(&at(&site, reference)), "{reference}");
        }
    }

    #[test]
    fn the_shape_changes_with_tags_and_refs_but_not_with_a_body() {
        let shape = |files: &[(&str, &str)]| shape_fingerprint(&loaded_site(files).1);
        let with = |path: &str, text: &str| {
            let mut files = LINKED_SITE.to_vec();
            files.retain(|(p, _)| *p != path);
            files.push((path, text));
            shape(&files)
        };
        let original = shape(LINKED_SITE);
        let second = "content/exercises/second.md";
        let body = with(
            second,
            "---\ntitle: Second\ndifficulty: advanced\n---\nOnce more.\n",
        );
        let tags = with(
            second,
            "---\ntitle: Second\ndifficulty: advanced\ntags: [New]\n---\nAgain.\n",
        );
        assert_eq!(body, original);
        assert_ne!(tags, original);
    }
}
