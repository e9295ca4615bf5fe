//! Helpers for the unit tests.

/// `count` texts, each of fewer than `most` pieces drawn from `pieces` by a
/// xorshift generator started at `seed`: random enough to reach the odd
/// corners of a byte loop, and the same texts on every run.
pub fn random_texts<'a>(
    pieces: &'a [&'a str],
    count: usize,
    most: usize,
    seed: u64,
) -> impl Iterator<Item = String> + 'a {
    let mut state = seed;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    (0..count).map(move |_| {
        let length = next(most);
        (0..length).map(|_| pieces[next(pieces.len())]).collect()
    })
}

/// A site loaded from these files (path, text) for rebuilds, and the
/// temporary folder that holds them; panics on any error.
pub fn loaded_site(files: &[(&str, &str)]) -> (tempfile::TempDir, crate::site::Site) {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a file has a folder"))
            .expect("create the file's folder");
        std::fs::write(full, text).expect("write the file");
    }
    let options = crate::site::LoadOptions {
        drafts: false,
        audience: crate::config::Audience::Learner,
        base_url: None,
    };
    let mut caches = crate::site::Caches::default();
    let (site, problems) = crate::site::Site::load_with(dir.path(), options, &mut caches);
    let site = site.unwrap_or_else(|| panic!("the site has errors: {problems:?}"));
    (dir, site)
}

/// A small site with a page of every kind, linked every way a page can
/// show another: a track's items, an interview's host and guest, an
/// exercise's related interview, a quote of a speaker, shared tags.
pub const LINKED_SITE: &[(&str, &str)] = &[
    ("site.yaml", "title: Test Lab\n"),
    ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
    (
        "content/interviews/talk.md",
        "---\ntitle: The Talk\ntags: [Practice]\nhost: jo\nguests: [al]\n---\n\
         ## Why\n\n> Practise.\n>\n> — Al Smith\n",
    ),
    (
        "content/exercises/first.md",
        "---\ntitle: First\ndifficulty: beginner\ntags: [Practice]\nrelated: [interviews/talk]\n---\nTry.\n",
    ),
    (
        "content/exercises/second.md",
        "---\ntitle: Second\ndifficulty: advanced\n---\nAgain.\n",
    ),
    (
        "content/tracks/habit.md",
        "---\ntitle: Habit\nlevel: beginner\nitems: [interviews/talk, exercises/first, exercises/second]\n---\nIn order.\n",
    ),
    ("content/speakers/jo.md", "---\nname: Jo Host\n---\nJo hosts.\n"),
    ("content/speakers/al.md", "---\nname: Al Smith\n---\n"),
    ("content/drafty.md", "---\ntitle: Drafty\ndraft: true\n---\nSoon.\n"),
    ("static/img/logo.png", "PNG"),
];
