//! The pages of output a site has, each a job for the templates: one per
//! page, the section lists, topics, workbooks and the 404 page.

use crate::content::Kind;
use crate::site::{PageId, Site};

/// One page of output to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job<'a> {
    Page(PageId),
    Section(Kind),
    Topics,
    Topic(&'a str),
    /// A track's printable workbook: the track and all its items in full.
    Workbook(PageId),
    NotFound,
}

impl Job<'_> {
    /// The output file this job writes.
    pub fn path(&self, site: &Site) -> String {
        match self {
            Job::NotFound => "404.html".to_string(),
            _ => format!("{}index.html", self.url(site)),
        }
    }

    /// The template this job renders.
    pub fn template(&self, site: &Site) -> &'static str {
        match self {
            Job::Page(index) => site.pages[*index].kind.template(),
            Job::Section(_) => "list.html",
            Job::Topics => "topics.html",
            Job::Topic(_) => "topic.html",
            Job::Workbook(_) => "workbook.html",
            Job::NotFound => "404.html",
        }
    }

    /// The URL of the page, relative to the site root.
    pub(super) fn url(&self, site: &Site) -> String {
        match self {
            Job::Page(index) => site.pages[*index].url.clone(),
            Job::Section(kind) => format!("{}/", kind.folder()),
            Job::Topics => "topics/".to_string(),
            Job::Topic(slug) => format!("topics/{slug}/"),
            Job::Workbook(track) => format!("{}workbook/", site.pages[*track].url),
            Job::NotFound => String::new(),
        }
    }
}

/// Every page of output the site has.
pub fn all_jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job> = site.page_ids().map(Job::Page).collect();
    jobs.extend(Kind::SECTIONS.map(Job::Section));
    jobs.push(Job::Topics);
    jobs.extend(site.topics().keys().map(|slug| Job::Topic(slug)));
    jobs.extend(site.pages_of_kind(Kind::Track).map(Job::Workbook));
    jobs.push(Job::NotFound);
    jobs
}
