//! Redirect pages at a page's old URLs (its `aliases`), so bookmarks and
//! links from elsewhere survive a move.

use crate::content::aliases::alias_file;
use crate::markdown::root_prefix;
use crate::output::{Contents, OutputFile};
use crate::site::Site;
use crate::strings::Strings;
use crate::text::escape_html;

/// One redirect page per alias of every page.
pub fn redirect_pages(site: &Site) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for id in site.page_ids() {
        let page = &site.pages[id];
        for url in page.alias_urls() {
            // Relative, like every link of the site: from the alias's
            // folder up to the root, then down to the page.
            let folder = &url[..url.rfind('/').map_or(0, |slash| slash + 1)];
            let target = format!("{}{}", root_prefix(folder), page.url);
            let canonical = match site.config.base_url() {
                Some(base) => format!("{base}{}", page.url),
                None => target.clone(),
            };
            let html = redirect_html(
                &site.config.strings,
                page.title(),
                &escape_html(&target),
                &escape_html(&canonical),
            );
            files.push(OutputFile {
                path: alias_file(&url),
                contents: Contents::Bytes(html.into_bytes()),
            });
        }
    }
    files
}

/// A page that sends the browser on at once, tells search engines where
/// the page is now, and shows a plain link for anything that does not
/// follow the refresh.
fn redirect_html(strings: &Strings, title: &str, target: &str, canonical: &str) -> String {
    let title = escape_html(title);
    let language = escape_html(strings.language());
    let moved = escape_html(strings.text("redirect.moved"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n</head>\n<body>\n\
         <p>{moved} <a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n"
    )
}
