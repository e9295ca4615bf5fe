//! What the theme's navigation shows: the site's sections (the header menu,
//! and the side navigation of pages in no track) and the track a page is
//! in (its side navigation). Worked out here, per page, so that templates
//! only loop over the links and test one field for the current one.

use std::sync::LazyLock;

use serde::Serialize;
use tera::Value;

use crate::content::Kind;
use crate::site::{PageId, Site};

use super::views::Derived;

/// The title of the topics index, the one section that is not a kind.
const TOPICS_TITLE: &str = "Topics";

/// A link to one of the site's sections.
#[derive(Debug, Serialize)]
pub struct SectionLink {
    pub title: &'static str,
    /// The key of its name in the theme's strings: `section.interviews`.
    pub key: String,
    #[serde(serialize_with = "super::views::serialize_unescaped")]
    pub url: String,
    /// `"page"` on the section's list itself, `"section"` on a page inside
    /// it, empty elsewhere.
    pub current: &'static str,
}

/// The sections' titles and folders, in menu order.
fn section_folders() -> impl Iterator<Item = (&'static str, &'static str)> {
    Kind::SECTIONS
        .iter()
        .map(|kind| (kind.plural_title(), kind.folder()))
        .chain([(TOPICS_TITLE, "topics")])
}

/// Where a page stands to the sections: which one it is in (by menu
/// position), and `"page"` on its list or `"section"` inside it.
type Standing = Option<(usize, &'static str)>;

fn standing(url: &str) -> Standing {
    let first_segment = url.split('/').next().unwrap_or_default();
    section_folders()
        .map(|(_, folder)| folder)
        .enumerate()
        .find_map(|(index, folder)| {
            if url.strip_prefix(folder) == Some("/") {
                Some((index, "page"))
            } else if first_segment == folder {
                Some((index, "section"))
            } else {
                None
            }
        })
}

/// The sections with the one at `standing` marked.
fn sections_marked(standing: Standing) -> Vec<SectionLink> {
    section_folders()
        .enumerate()
        .map(|(index, (title, folder))| SectionLink {
            title,
            key: format!("section.{folder}"),
            url: format!("{folder}/"),
            current: match standing {
                Some((at, how)) if at == index => how,
                _ => "",
            },
        })
        .collect()
}

/// Every way the sections can be marked, as template values: made once,
/// then shared by the pages (a value's clone shares its contents).
static SECTION_VALUES: LazyLock<Vec<(Standing, Value)>> = LazyLock::new(|| {
    let count = section_folders().count();
    std::iter::once(None)
        .chain((0..count).flat_map(|i| [Some((i, "page")), Some((i, "section"))]))
        .map(|standing| {
            let value = Value::from_serializable(&sections_marked(standing));
            (standing, value)
        })
        .collect()
});

/// The site's sections as seen from the page at `url`, as a template value.
pub fn sections(url: &str) -> Value {
    let standing = standing(url);
    SECTION_VALUES
        .iter()
        .find(|(s, _)| *s == standing)
        .map(|(_, value)| value.clone())
        .unwrap_or_else(|| Value::from_serializable(&sections_marked(standing)))
}

/// The side navigation of a page in a track: the track and its steps.
/// Templates mark the current page by comparing `url` with `current_url`,
/// so one value serves every page of the track.
#[derive(Debug, Serialize)]
pub struct TrackNav<'a> {
    pub title: &'a str,
    #[serde(serialize_with = "super::views::serialize_unescaped")]
    pub url: &'a str,
    pub items: Vec<TrackNavItem<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TrackNavItem<'a> {
    pub title: &'a str,
    #[serde(serialize_with = "super::views::serialize_unescaped")]
    pub url: &'a str,
    pub kind: &'static str,
}

/// The track a page's side navigation shows, as a template value: the page
/// itself when it is a track, else the first track it is a step of; `none`
/// for pages in no track. Made once per track.
pub fn track_nav(site: &Site, derived: &Derived, page: PageId) -> Value {
    let track = if site.pages[page].kind == Kind::Track {
        page
    } else {
        match derived.tracks_of[page].first() {
            Some(&(track, _)) => track,
            None => return Value::none(),
        }
    };
    derived.track_navs[track]
        .get_or_init(|| Value::from_serializable(&track_nav_of(site, track)))
        .clone()
}

fn track_nav_of(site: &Site, track: PageId) -> TrackNav<'_> {
    let items = site
        .resolved(track)
        .items
        .iter()
        .map(|&item| TrackNavItem {
            title: site.pages[item].title(),
            url: &site.pages[item].url,
            kind: site.pages[item].kind.name(),
        })
        .collect();
    TrackNav {
        title: site.pages[track].title(),
        url: &site.pages[track].url,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current_of(url: &str) -> Vec<(&'static str, &'static str)> {
        sections_marked(standing(url))
            .into_iter()
            .filter(|link| !link.current.is_empty())
            .map(|link| (link.title, link.current))
            .collect()
    }

    #[test]
    fn a_section_list_is_the_current_page_and_its_pages_are_in_it() {
        assert_eq!(current_of("interviews/"), [("Interviews", "page")]);
        assert_eq!(current_of("interviews/x/"), [("Interviews", "section")]);
        assert_eq!(current_of("topics/closing/"), [("Topics", "section")]);
        assert_eq!(current_of(""), []);
        assert_eq!(current_of("about/"), []);
    }

    #[test]
    fn sections_link_to_their_lists_in_menu_order() {
        let urls: Vec<String> = sections_marked(None)
            .into_iter()
            .map(|link| link.url)
            .collect();
        assert_eq!(
            urls,
            [
                "interviews/",
                "exercises/",
                "tracks/",
                "speakers/",
                "topics/"
            ]
        );
    }

    #[test]
    fn the_shared_section_values_are_those_made_afresh() {
        for url in [
            "",
            "about/",
            "interviews/",
            "interviews/x/",
            "topics/",
            "topics/a/",
        ] {
            let fresh = Value::from_serializable(&sections_marked(standing(url)));
            assert_eq!(sections(url), fresh, "{url}");
        }
    }
}
