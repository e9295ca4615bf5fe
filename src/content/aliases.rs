//! `aliases`: old URLs of a page (after a move, or from another
//! generator), each of which gets a redirect page to the page.

use super::slug::is_safe_segment;
use crate::diagnostics::Diagnostic;
use crate::yaml::Document;

/// The URL an alias names, from the site root, as the output writes it:
/// `old/path/` for `/old/path` or `/old/path/`, `old/page.html` for a
/// file name ending in `.html` or `.htm`. An error says what is wrong.
pub fn alias_url(alias: &str) -> Result<String, &'static str> {
    let path = alias.trim().trim_start_matches('/');
    if alias.contains("://") || alias.trim().starts_with("//") {
        return Err("is an address of another site");
    }
    if path.contains(['?', '#']) {
        return Err("has a query (`?`) or a fragment (`#`)");
    }
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if segments.iter().any(|s| matches!(*s, "." | "..")) {
        return Err("leaves the site's folder (`.` or `..`)");
    }
    if path.trim_end_matches('/').is_empty() {
        return Err("is the home page's URL");
    }
    if !segments.iter().all(|segment| is_safe_segment(segment)) {
        return Err("may hold only letters, digits, `-`, `_`, `.` and `/`");
    }
    let last = segments.last().copied().unwrap_or_default();
    if !path.ends_with('/') && (last.ends_with(".html") || last.ends_with(".htm")) {
        Ok(path.to_string())
    } else {
        Ok(format!("{}/", path.trim_end_matches('/')))
    }
}

/// The output file an alias URL (see [`alias_url`]) is written to.
pub fn alias_file(url: &str) -> String {
    if url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// Errors for the aliases of one page's front matter, at their lines.
pub fn check(aliases: &[String], document: &Document, file: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (index, alias) in aliases.iter().enumerate() {
        if let Err(reason) = alias_url(alias) {
            let line = document
                .item_line("aliases", index)
                .or(document.key_line("aliases"));
            problems.push(
                Diagnostic::error(file, line, format!("the alias `{alias}` {reason}"))
                    .with_hint("write an old URL of this site, e.g. `aliases: [/old/path/]`"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_name_folders_or_html_files_of_the_site() {
        assert_eq!(alias_url("/handbook/old").unwrap(), "handbook/old/");
        assert_eq!(alias_url("handbook/old/").unwrap(), "handbook/old/");
        assert_eq!(alias_url("/old/page.html").unwrap(), "old/page.html");
        assert_eq!(alias_file("handbook/old/"), "handbook/old/index.html");
        assert_eq!(alias_file("old/page.html"), "old/page.html");
        for bad in [
            "../x",
            "/a/../../x",
            "/",
            "",
            "https://e.com/x",
            "/a b/",
            "/x?y=1",
            "/a\\b",
        ] {
            assert!(alias_url(bad).is_err(), "{bad}");
        }
    }
}
