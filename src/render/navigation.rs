//! What the theme's navigation shows: the site's sections (the header menu,
//! and the side navigation of pages in no track) and the track a page is
//! in (its side navigation). Worked out here, per page, so that templates
//! only loop over the links and test one field for the current one.

use serde::Serialize;

use crate::content::Kind;
use crate::site::{PageId, Site};

use super::views::Derived;

/// The title of the topics index, the one section that is not a kind.
const TOPICS_TITLE: &str = "Topics";

/// A link to one of the site's sections.
#[derive(Debug, Serialize)]
pub struct SectionLink {
    pub title: &'static str,
    pub url: String,
    /// `"page"` on the section's list itself, `"section"` on a page inside
    /// it, empty elsewhere.
    pub current: &'static str,
}

/// The site's sections as seen from the page at `url`.
pub fn sections(url: &str) -> Vec<SectionLink> {
    let first_segment = url.split('/').next().unwrap_or_default();
    Kind::SECTIONS
        .iter()
        .map(|kind| (kind.plural_title(), kind.folder()))
        .chain([(TOPICS_TITLE, "topics")])
        .map(|(title, folder)| SectionLink {
            title,
            url: format!("{folder}/"),
            current: if url.strip_prefix(folder) == Some("/") {
                "page"
            } else if first_segment == folder {
                "section"
            } else {
                ""
            },
        })
        .collect()
}

/// The side navigation of a page in a track: the track and its steps.
#[derive(Debug, Serialize)]
pub struct TrackNav<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// Whether the page is the track itself.
    pub current: bool,
    pub items: Vec<TrackNavItem<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TrackNavItem<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'static str,
    pub current: bool,
}

/// The track a page's side navigation shows: the page itself when it is a
/// track, else the first track it is a step of; `None` for pages in no track.
pub fn track_nav<'a>(site: &'a Site, derived: &Derived, page: PageId) -> Option<TrackNav<'a>> {
    let track = if site.pages[page].kind == Kind::Track {
        page
    } else {
        derived.tracks_of[page].first()?.0
    };
    let items = site
        .resolved(track)
        .items
        .iter()
        .map(|&item| TrackNavItem {
            title: site.pages[item].title(),
            url: &site.pages[item].url,
            kind: site.pages[item].kind.name(),
            current: item == page,
        })
        .collect();
    Some(TrackNav {
        title: site.pages[track].title(),
        url: &site.pages[track].url,
        current: track == page,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current_of(url: &str) -> Vec<(&'static str, &'static str)> {
        sections(url)
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
        let urls: Vec<String> = sections("").into_iter().map(|link| link.url).collect();
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
}
