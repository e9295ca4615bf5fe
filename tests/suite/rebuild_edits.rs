//! Incremental rebuilds, in process: every kind of edit, applied one after
//! another to the rich site and rebuilt with only the changed files named,
//! ends byte-identical to a clean `build` of the same files. No watcher
//! and no timing: what `watch` and `serve` add on top is in `watch.rs`.
//!
//! A new dependency between pages belongs in `src/rebuild/depends.rs`, and
//! the edit that exercises it in [`edits`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use salesbook::config::Audience;
use salesbook::rebuild::{Rebuilder, Touched};
use salesbook::site::LoadOptions;
use salesbook::watch::{classify, Change};

use crate::live_support::{clean_build, tree_difference};
use crate::support::{rich_site, snapshot, Site};

type Edit = (&'static str, fn(&Site));

/// Replaces `from` with `to` in a file of the site, which must hold it.
fn replace(site: &Site, path: &str, from: &str, to: &str) {
    let text = site.read(path);
    assert!(text.contains(from), "{path} lacks {from:?}");
    site.write(path, text.replacen(from, to, 1));
}

/// One edit of each kind that decides what a rebuild redoes, in an order
/// where the site builds after each.
fn edits() -> Vec<Edit> {
    vec![
        ("body only", |s| {
            replace(s, "content/exercises/first.md", "1. Try.", "1. Try again.")
        }),
        ("title", |s| {
            replace(
                s,
                "content/exercises/second.md",
                "title: Second",
                "title: Second Round",
            )
        }),
        ("summary", |s| {
            replace(
                s,
                "content/interviews/2026/talk.md",
                "summary: Why practice matters",
                "summary: Why it matters",
            )
        }),
        ("tags", |s| {
            replace(
                s,
                "content/exercises/first.md",
                "tags: [Practice]",
                "tags: [Practice, Warm-up]",
            )
        }),
        ("date", |s| {
            replace(
                s,
                "content/interviews/other.md",
                "date: 2026-01-05",
                "date: 2026-04-05",
            )
        }),
        ("draft set", |s| {
            replace(
                s,
                "content/interviews/other.md",
                "host: jo\n",
                "host: jo\ndraft: true\n",
            )
        }),
        ("draft cleared", |s| {
            replace(s, "content/interviews/other.md", "draft: true\n", "")
        }),
        ("slug", |s| {
            replace(
                s,
                "content/interviews/other.md",
                "slug: second-talk",
                "slug: talk-two",
            )
        }),
        ("weight", |s| {
            replace(
                s,
                "content/exercises/second.md",
                "difficulty: advanced",
                "difficulty: advanced\nweight: 3",
            )
        }),
        ("host changed", |s| {
            replace(
                s,
                "content/interviews/other.md",
                "host: jo",
                "host: al-smith",
            )
        }),
        ("heading added", |s| {
            replace(
                s,
                "content/exercises/first.md",
                "## Steps",
                "## Warm up\n\nStretch.\n\n## Steps",
            )
        }),
        ("heading renamed", |s| {
            replace(
                s,
                "content/exercises/first.md",
                "## Warm up",
                "## Loosen up",
            )
        }),
        ("heading removed", |s| {
            replace(
                s,
                "content/exercises/first.md",
                "## Loosen up\n\nStretch.\n\n",
                "",
            )
        }),
        ("link added", |s| {
            replace(
                s,
                "content/exercises/second.md",
                "Again.",
                "Again, after [the talk](@/interviews/2026/talk.md#why-practise).",
            )
        }),
        ("link removed", |s| {
            replace(
                s,
                "content/exercises/second.md",
                ", after [the talk](@/interviews/2026/talk.md#why-practise).",
                ".",
            )
        }),
        ("speaker's name", |s| {
            replace(
                s,
                "content/speakers/al-smith.md",
                "name: Al Smith",
                "name: Alan Smith",
            )
        }),
        ("speaker's name back, as a quote names it", |s| {
            replace(
                s,
                "content/speakers/al-smith.md",
                "name: Alan Smith",
                "name: Al Smith",
            )
        }),
        ("track's items reordered", |s| {
            replace(
                s,
                "content/tracks/habit.md",
                "  - exercises/first\n  - exercises/second\n",
                "  - exercises/second\n  - exercises/first\n",
            )
        }),
        ("track's item removed", |s| {
            replace(s, "content/tracks/habit.md", "  - exercises/second\n", "")
        }),
        ("alias added", |s| {
            replace(
                s,
                "content/exercises/second.md",
                "title: Second Round\n",
                "title: Second Round\naliases: [/old/second/]\n",
            )
        }),
        ("alias removed", |s| {
            replace(
                s,
                "content/exercises/second.md",
                "aliases: [/old/second/]\n",
                "",
            )
        }),
        ("page without front matter added", |s| {
            s.write(
                "content/guide.md",
                "# Field guide\n\nAsk [first](exercises/first.md).\n",
            )
        }),
        ("its title heading edited", |s| {
            replace(
                s,
                "content/guide.md",
                "# Field guide",
                "# Field guide, revised",
            )
        }),
        ("its body edited", |s| {
            replace(s, "content/guide.md", "Ask [first]", "Ask [the first]")
        }),
        ("static file added", |s| {
            s.write("static/files/handout.txt", "Print this.\n")
        }),
        ("static file removed", |s| {
            s.remove("static/files/handout.txt")
        }),
        ("template added", |s| {
            s.write(
                "themes/default/templates/exercise.html",
                "{% extends \"__salesbook/base.html\" %}\n{% block content %}<p>{{ page.title }}</p>{{ page.content | safe }}{% endblock content %}\n",
            )
        }),
        ("template edited", |s| {
            replace(
                s,
                "themes/default/templates/exercise.html",
                "<p>{{ page.title }}</p>",
                "<h1>{{ page.title }}</h1>",
            )
        }),
        ("partial added", |s| {
            s.write(
                "themes/default/templates/partials/person.html",
                "<p class=\"person\">{{ person_label }}: {{ person.name }}</p>\n",
            )
        }),
        ("partial edited", |s| {
            replace(
                s,
                "themes/default/templates/partials/person.html",
                "<p class=\"person\">",
                "<p class=\"who\">",
            )
        }),
        ("template and partial removed", |s| {
            s.remove("themes/default/templates/exercise.html");
            s.remove("themes/default/templates/partials/person.html");
        }),
        ("site.yaml", |s| {
            s.write(
                "site.yaml",
                "title: Renamed Lab\ndescription: Practice, renamed.\n",
            )
        }),
        ("file added", |s| {
            s.write(
                "content/exercises/third.md",
                "---\ntitle: Third\ndifficulty: intermediate\ntags: [Practice]\n---\nThree.\n",
            )
        }),
        ("file renamed", |s| {
            s.rename(
                "content/exercises/third.md",
                "content/exercises/third-round.md",
            )
        }),
        ("file deleted", |s| {
            s.remove("content/exercises/third-round.md")
        }),
        ("page moved between folders", |s| {
            s.rename(
                "content/exercises/second.md",
                "content/exercises/drills/second.md",
            )
        }),
        ("home page body", |s| {
            replace(s, "content/_index.md", "Start with", "Begin with")
        }),
        ("home page title", |s| {
            replace(s, "content/_index.md", "title: Home", "title: Welcome")
        }),
        ("home page summary", |s| {
            replace(
                s,
                "content/_index.md",
                "summary: Practice lab",
                "summary: The lab",
            )
        }),
        ("page added in a new folder", |s| {
            s.write(
                "content/handbook/sales/deal-desk.md",
                "---\ntitle: Deal desk\nweight: 2\n---\nApprovals.\n",
            )
        }),
        ("second page in the section", |s| {
            s.write(
                "content/handbook/sales/quotes.md",
                "---\ntitle: Quotes\n---\nBack to [the desk](deal-desk.md).\n",
            )
        }),
        ("section's _index.md added", |s| {
            s.write(
                "content/handbook/_index.md",
                "---\ntitle: Handbook\n---\nHow we sell.\n",
            )
        }),
        ("section's _index.md title", |s| {
            replace(
                s,
                "content/handbook/_index.md",
                "title: Handbook",
                "title: The Handbook",
            )
        }),
        ("title of a page in a section", |s| {
            replace(
                s,
                "content/handbook/sales/quotes.md",
                "title: Quotes",
                "title: Quoting",
            )
        }),
        ("weight of a page in a section", |s| {
            replace(
                s,
                "content/handbook/sales/quotes.md",
                "title: Quoting",
                "title: Quoting\nweight: 1",
            )
        }),
        ("page moved between sections", |s| {
            s.rename(
                "content/handbook/sales/quotes.md",
                "content/handbook/quotes.md",
            );
            replace(
                s,
                "content/handbook/quotes.md",
                "deal-desk.md",
                "sales/deal-desk.md",
            );
        }),
        ("last page of a section deleted", |s| {
            replace(
                s,
                "content/handbook/quotes.md",
                "Back to [the desk](sales/deal-desk.md).",
                "Alone.",
            );
            s.remove("content/handbook/sales/deal-desk.md")
        }),
        ("section's _index.md removed", |s| {
            s.remove("content/handbook/_index.md")
        }),
        ("section's folder renamed", |s| {
            s.rename("content/handbook", "content/manual")
        }),
        ("transcript added", |s| {
            s.write(
                "static/media/talk.vtt",
                "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Gil Guest>First words.\n",
            );
            replace(
                s,
                "content/interviews/2026/talk.md",
                "summary: Why it matters",
                "summary: Why it matters\ntranscript: /media/talk.vtt",
            )
        }),
        ("transcript file edited", |s| {
            replace(s, "static/media/talk.vtt", "First words.", "Other words.")
        }),
    ]
}

/// The site's source files and their bytes, to tell which an edit touched.
fn sources(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    snapshot(site.root())
}

/// What a watcher would report for these files: their paths, and what
/// else the batch touched.
fn changes(root: &Path, out: &Path, files: &BTreeSet<String>) -> (Vec<PathBuf>, Touched) {
    let paths: Vec<PathBuf> = files.iter().map(|f| root.join(f)).collect();
    let kinds: Vec<Change> = paths
        .iter()
        .filter_map(|path| classify(root, out, path))
        .collect();
    let touched = if kinds
        .iter()
        .any(|c| matches!(c, Change::Static(_) | Change::Theme(_)))
    {
        Touched::Copies
    } else if kinds.iter().all(|c| matches!(c, Change::Content(_))) {
        Touched::ContentOnly
    } else {
        Touched::Other
    };
    (paths, touched)
}

#[test]
fn every_kind_of_edit_rebuilds_to_the_same_bytes_as_a_clean_build() {
    let site = rich_site();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let options = LoadOptions {
        drafts: false,
        audience: Audience::Learner,
        base_url: None,
    };
    let mut rebuilder = Rebuilder::new(site.root(), &out, options);
    assert!(rebuilder.rebuild().is_ok(), "the first build failed");
    for (name, edit) in edits() {
        let before = sources(&site);
        edit(&site);
        let after = sources(&site);
        let touched_files: BTreeSet<String> = before
            .keys()
            .chain(after.keys())
            .filter(|file| before.get(*file) != after.get(*file))
            .cloned()
            .collect();
        assert!(
            !touched_files.is_empty(),
            "{name}: the edit changed nothing"
        );
        let (paths, touched) = changes(site.root(), &out, &touched_files);
        if let Err(failure) = rebuilder.rebuild_after(&paths, touched) {
            panic!("{name}: the rebuild failed: {failure:?}");
        }
        if let Some(report) = tree_difference(&snapshot(&out), &clean_build(site.root())) {
            panic!("after the edit \"{name}\", the rebuild differs from a clean build:\n{report}");
        }
    }
}
