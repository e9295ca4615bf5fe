//! `sitemap.xml` and the Atom `feed.xml`: the only outputs with absolute
//! URLs, written only when `base_url` is set.

use crate::content::Kind;
use crate::site::Site;
use crate::text::{escape_html, feed_timestamp};

/// How many entries the feed holds.
const FEED_ENTRIES: usize = 50;

pub fn sitemap(site: &Site, base_url: &str) -> String {
    let mut urls: Vec<(String, Option<&str>)> = site
        .pages
        .iter()
        .map(|page| {
            (
                page.url.clone(),
                page.common.updated.as_deref().or(page.date()),
            )
        })
        .collect();
    urls.extend(
        Kind::SECTIONS
            .iter()
            .map(|kind| (format!("{}/", kind.folder()), None)),
    );
    urls.push(("topics/".to_string(), None));
    urls.extend(
        site.topics()
            .keys()
            .map(|slug| (format!("topics/{slug}/"), None)),
    );
    urls.sort();

    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape_html(&format!("{base_url}{url}"))
        ));
        if let Some(date) = lastmod {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Interviews and exercises, newest first. The feed's own `updated` is its
/// newest entry's date, so a rebuild of unchanged content is byte-identical.
pub fn atom(site: &Site, base_url: &str) -> String {
    let mut entries: Vec<usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| matches!(page.kind, Kind::Interview | Kind::Exercise))
        .map(|(index, _)| index)
        .collect();
    entries.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        b.date()
            .cmp(&a.date())
            .then_with(|| a.reference.cmp(&b.reference))
    });
    entries.truncate(FEED_ENTRIES);
    let newest = entries.first().and_then(|&i| site.pages[i].date());

    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!(
        "  <title>{}</title>\n",
        escape_html(site.config.title())
    ));
    if let Some(description) = &site.config.description {
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape_html(description)
        ));
    }
    xml.push_str(&format!("  <id>{}</id>\n", escape_html(base_url)));
    xml.push_str(&format!("  <link href=\"{}\"/>\n", escape_html(base_url)));
    xml.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        escape_html(&format!("{base_url}feed.xml"))
    ));
    xml.push_str(&format!(
        "  <updated>{}</updated>\n",
        feed_timestamp(newest)
    ));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape_html(site.config.title())
    ));
    for index in entries {
        let page = &site.pages[index];
        let url = escape_html(&format!("{base_url}{}", page.url));
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <title>{}</title>\n",
            escape_html(page.title())
        ));
        xml.push_str(&format!("    <id>{url}</id>\n    <link href=\"{url}\"/>\n"));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            feed_timestamp(page.common.updated.as_deref().or(page.date()))
        ));
        if let Some(summary) = &page.common.summary {
            xml.push_str(&format!(
                "    <summary>{}</summary>\n",
                escape_html(summary)
            ));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
