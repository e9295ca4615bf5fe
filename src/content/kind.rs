//! The kinds of page a site is made of, and the folders they live in.
//! (Their front matter fields are in [`super::frontmatter`].)

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `content/_index.md`
    Home,
    /// Any other `.md` at the root of `content/` or in a section (a folder
    /// other than the kinds').
    Page,
    /// A section's page: its folder's `_index.md`, or made for a folder
    /// without one (see [`super::sections`]).
    Section,
    Interview,
    Exercise,
    Track,
    Speaker,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Home,
        Kind::Page,
        Kind::Section,
        Kind::Interview,
        Kind::Exercise,
        Kind::Track,
        Kind::Speaker,
    ];

    /// The kinds that have their own folder and list page. (Not to be
    /// confused with [`Kind::Section`], a folder of plain pages.)
    pub const SECTIONS: [Kind; 4] = [Kind::Interview, Kind::Exercise, Kind::Track, Kind::Speaker];

    /// The kind whose folder is `name`, for files below `content/<name>/`.
    pub fn from_folder(name: &str) -> Option<Kind> {
        Kind::SECTIONS
            .into_iter()
            .find(|kind| kind.folder() == name)
    }

    /// The folder under `content/` (and the URL prefix); empty for root pages.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Home | Kind::Page | Kind::Section => "",
            Kind::Interview => "interviews",
            Kind::Exercise => "exercises",
            Kind::Track => "tracks",
            Kind::Speaker => "speakers",
        }
    }

    /// The name templates see as `page.kind`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Page => "page",
            Kind::Section => "section",
            Kind::Interview => "interview",
            Kind::Exercise => "exercise",
            Kind::Track => "track",
            Kind::Speaker => "speaker",
        }
    }

    /// The heading of the kind's list page.
    pub fn plural_title(self) -> &'static str {
        match self {
            Kind::Home | Kind::Page | Kind::Section => "Pages",
            Kind::Interview => "Interviews",
            Kind::Exercise => "Exercises",
            Kind::Track => "Tracks",
            Kind::Speaker => "Speakers",
        }
    }

    /// The template that renders a page of this kind.
    pub fn template(self) -> &'static str {
        match self {
            Kind::Home => "home.html",
            Kind::Page => "page.html",
            Kind::Section => "section.html",
            Kind::Interview => "interview.html",
            Kind::Exercise => "exercise.html",
            Kind::Track => "track.html",
            Kind::Speaker => "speaker.html",
        }
    }
}
