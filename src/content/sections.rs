//! Sections: folders of plain pages under `content/` (any folder but the
//! kinds'). Each has a page at the folder's URL, from its `_index.md` or,
//! without one, made here with a title from the folder's name.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::frontmatter::Common;
use super::slug::slugify;
use super::{Details, Kind, Page};

/// The name of a section's own page in its folder (and of the home page).
pub const INDEX_NAME: &str = "_index";

/// The URL of the folders of `folders` (parts of a ref), each part
/// slugified: `["Handbook", "deal desk"]` is `handbook/deal-desk/`. None
/// when a part has no letters or digits to make a URL from.
pub fn folder_url(folders: &[&str]) -> Option<String> {
    let mut url = String::new();
    for folder in folders {
        let slug = slugify(folder);
        if slug.is_empty() {
            return None;
        }
        url.push_str(&slug);
        url.push('/');
    }
    Some(url)
}

/// The folder a page's ref names its section by: `handbook/sales` for
/// `handbook/sales/deal-desk` and for `handbook/sales/_index`. None for
/// pages outside sections (the root's and the kinds').
pub fn folder_of(page: &Page) -> Option<&str> {
    if !matches!(page.kind, Kind::Page | Kind::Section) {
        return None;
    }
    page.reference.rsplit_once('/').map(|(folder, _)| folder)
}

/// The ref of the section page of `folder`.
pub fn section_ref(folder: &str) -> String {
    format!("{folder}/{INDEX_NAME}")
}

/// The folder above `folder`, if it is a section too.
pub fn parent_folder(folder: &str) -> Option<&str> {
    folder.rsplit_once('/').map(|(parent, _)| parent)
}

/// A folder's name made readable, as a section title: `deal-desk` and
/// `deal_desk` are "Deal desk".
pub fn readable_title(folder_name: &str) -> String {
    let words: Vec<&str> = folder_name
        .split(['-', '_', ' '])
        .filter(|word| !word.is_empty())
        .collect();
    let text = words.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => folder_name.to_string(),
    }
}

/// Pages for the sections in `pages` that have no `_index.md`: every folder
/// holding plain pages or sections, at every level, named in messages
/// under `content_dir` (`content/handbook/`). `previous` holds the
/// pages made by the last load, reused as they are (unchanged pages are
/// the same allocation from one load to the next), and is brought up to
/// date.
pub fn generated_sections(
    content_dir: &str,
    pages: &[Arc<Page>],
    previous: &mut FxHashMap<String, Arc<Page>>,
) -> Vec<Arc<Page>> {
    let mut with_page: FxHashSet<&str> = FxHashSet::default();
    let mut needed: Vec<&str> = Vec::new();
    for page in pages {
        let Some(folder) = folder_of(page) else {
            continue;
        };
        if page.kind == Kind::Section {
            with_page.insert(folder);
        }
        let mut folder = Some(folder);
        while let Some(current) = folder {
            needed.push(current);
            folder = parent_folder(current);
        }
    }
    needed.sort_unstable();
    needed.dedup();
    let mut made = FxHashMap::default();
    let mut generated = Vec::new();
    for folder in needed.into_iter().filter(|f| !with_page.contains(f)) {
        let reference = section_ref(folder);
        let page = match previous.remove(&reference) {
            Some(page) => page,
            None => match generated_page(content_dir, folder) {
                Some(page) => Arc::new(page),
                // A folder without letters or digits: its pages say so.
                None => continue,
            },
        };
        generated.push(page.clone());
        made.insert(reference, page);
    }
    *previous = made;
    generated
}

/// The page of a section without `_index.md`.
fn generated_page(content_dir: &str, folder: &str) -> Option<Page> {
    let parts: Vec<&str> = folder.split('/').collect();
    let url = folder_url(&parts)?;
    let name = parts.last().copied().unwrap_or_default();
    Some(Page {
        kind: Kind::Section,
        file: format!("{content_dir}/{folder}/"),
        reference: section_ref(folder),
        slug: slugify(name),
        url,
        common: Common {
            title: Some(readable_title(name)),
            ..Common::default()
        },
        details: Details::Page,
        body: String::new(),
        body_offset: 0,
        head_fingerprint: 0,
        body_line: 1,
        front_matter_ok: true,
        front_matter: String::new(),
        front_matter_line: 1,
        generated: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_become_titles_and_urls() {
        assert_eq!(readable_title("deal-desk"), "Deal desk");
        assert_eq!(readable_title("field_ops"), "Field ops");
        assert_eq!(readable_title("évaluation"), "Évaluation");
        assert_eq!(readable_title("--"), "--");
        assert_eq!(
            folder_url(&["Handbook", "deal desk"]).as_deref(),
            Some("handbook/deal-desk/")
        );
        assert_eq!(folder_url(&["handbook", "__"]), None);
    }

    fn page(kind: Kind, reference: &str) -> Arc<Page> {
        let mut page = generated_page("content", "x").expect("a page");
        page.kind = kind;
        page.reference = reference.to_string();
        page.generated = false;
        Arc::new(page)
    }

    #[test]
    fn every_folder_without_an_index_gets_a_page_once() {
        let pages = [
            page(Kind::Page, "about"),
            page(Kind::Interview, "interviews/2026/x"),
            page(Kind::Section, "handbook/_index"),
            page(Kind::Page, "handbook/sales/deal-desk"),
            page(Kind::Page, "handbook/sales/quotes"),
            page(Kind::Page, "guides/a/b/c"),
        ];
        let mut previous = FxHashMap::default();
        let made = generated_sections("content", &pages, &mut previous);
        let refs: Vec<&str> = made.iter().map(|p| p.reference.as_str()).collect();
        assert_eq!(
            refs,
            [
                "guides/_index",
                "guides/a/_index",
                "guides/a/b/_index",
                "handbook/sales/_index"
            ]
        );
        assert_eq!(made[3].url, "handbook/sales/");
        assert_eq!(made[3].title(), "Sales");
        // The next load reuses them as they are.
        let again = generated_sections("content", &pages, &mut previous);
        assert!(Arc::ptr_eq(&made[0], &again[0]));
        assert_eq!(previous.len(), 4);
    }
}
