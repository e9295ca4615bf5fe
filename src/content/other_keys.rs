//! Front matter keys of other generators: the hint an unknown key gets,
//! and the key `salesbook import` renames it to.

/// Front matter keys of Hugo, Jekyll and Zola that salesbook spells
/// otherwise or does not have, with what to write instead: a page brought
/// from another generator gets the fix, not only "unknown key".
const OTHER_GENERATORS_KEYS: &[(&str, Option<&str>, &str)] = &[
    (
        "description",
        Some("summary"),
        "salesbook calls it `summary`",
    ),
    (
        "lastmod",
        Some("updated"),
        "salesbook calls it `updated` (YYYY-MM-DD)",
    ),
    (
        "modified",
        Some("updated"),
        "salesbook calls it `updated` (YYYY-MM-DD)",
    ),
    (
        "last_modified_at",
        Some("updated"),
        "salesbook calls it `updated` (YYYY-MM-DD)",
    ),
    (
        "publishDate",
        Some("date"),
        "salesbook calls it `date` (YYYY-MM-DD)",
    ),
    (
        "categories",
        Some("tags"),
        "salesbook has one list for these: put them in `tags`",
    ),
    (
        "keywords",
        Some("tags"),
        "salesbook has one list for these: put them in `tags`",
    ),
    ("nav_order", Some("weight"), "salesbook calls it `weight`"),
    (
        "taxonomies",
        None,
        "salesbook has one list for these: put them in `tags`",
    ),
    (
        "url",
        None,
        "a page's URL is its file's path; `slug:` sets its last part",
    ),
    (
        "permalink",
        None,
        "a page's URL is its file's path; `slug:` sets its last part",
    ),
    (
        "layout",
        None,
        "the template comes from the page's folder; override it in themes/<name>/templates/",
    ),
    (
        "template",
        None,
        "the template comes from the page's folder; override it in themes/<name>/templates/",
    ),
    (
        "author",
        None,
        "make the author a speaker, or keep the name under `extra:` for your templates",
    ),
    (
        "redirect_from",
        Some("aliases"),
        "salesbook calls it `aliases` (a list of old URLs)",
    ),
];

/// The salesbook key a front matter key of another generator is renamed
/// to, when it has one (for `salesbook import`).
pub fn salesbook_key(other: &str) -> Option<&'static str> {
    OTHER_GENERATORS_KEYS
        .iter()
        .find(|(key, _, _)| *key == other)
        .and_then(|(_, becomes, _)| *becomes)
}

/// Each key of another generator with what to write instead.
pub fn hints() -> impl Iterator<Item = (&'static str, &'static str)> {
    OTHER_GENERATORS_KEYS
        .iter()
        .map(|(key, _, hint)| (*key, *hint))
}
