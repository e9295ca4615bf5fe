//! Puts a rendered page of the site into a package: finds every file it
//! uses and rewrites its links so that none leaves the package.
//!
//! The pages keep the site's layout (`exercises/x/index.html`,
//! `assets/salesbook.css`), so relative links between packaged pages and to
//! static files stay as they are, except that a link to a folder gets an
//! explicit `index.html` (an LMS's content server need not serve folder
//! indexes). A link to a page of the site that is not in the package
//! becomes plain text (`<span data-lms-unlinked>` with the link's text); a
//! link to the web opens a new window, so the package's frame never
//! navigates away. `<link>`s that only point somewhere (canonical,
//! alternate) are dropped when their target is not in the package.

use std::collections::BTreeSet;

use super::tags::{find_close, parse_tag, tag_name, Attribute, Tag};
use crate::markdown::decode_link;

/// What the rewriter asks about the package it writes for.
pub trait Package {
    /// A page of the package, by its path (`exercises/x/index.html`).
    fn is_page(&self, path: &str) -> bool;
    /// A static file the package can include (`assets/salesbook.css`).
    fn is_file(&self, path: &str) -> bool;
}

/// A page ready for the package.
#[derive(Debug, Default)]
pub struct Rewritten {
    pub html: String,
    /// Static files the page uses (paths from the package root).
    pub uses: BTreeSet<String>,
    /// References to files that neither the package nor the site has.
    pub missing: BTreeSet<String>,
}

/// Where a URL in a page points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// The same page (`#id`, `?q`, empty).
    Same,
    /// Another origin, or a scheme such as `mailto:`.
    External,
    /// A page of the package; the URL to write for it.
    Page(String),
    /// A static file of the package (its path).
    File(String),
    /// Anywhere else: the site's other pages, generated files, a path
    /// from the host's root.
    Outside(String),
}

/// Elements whose content is text, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp"];

/// `rel` values of `<link>` that load something the page needs.
const RESOURCE_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
];

/// Attributes that only make sense on a link; dropped when a link becomes text.
const LINK_ONLY: &[&str] = &[
    "href",
    "target",
    "rel",
    "download",
    "hreflang",
    "ping",
    "referrerpolicy",
    "type",
];

/// What a page gets besides its rewritten links.
#[derive(Debug, Clone, Copy, Default)]
pub struct Additions<'a> {
    /// Inserted right after `<head>`, before the page's own scripts.
    pub head_start: &'a str,
    /// Inserted before `</head>`, after the page's own styles.
    pub head_end: &'a str,
    /// An attribute (name, value) for `<html>`.
    pub html_attribute: Option<(&'a str, &'a str)>,
}

/// Rewrites the page at `path` (from the package root), with `additions`.
pub fn rewrite_page(
    path: &str,
    html: &str,
    package: &dyn Package,
    additions: Additions,
) -> Rewritten {
    let Additions {
        head_start,
        head_end: head,
        html_attribute,
    } = additions;
    let base = folder_of(path);
    let mut result = Rewritten::default();
    let mut out = String::with_capacity(html.len() + head_start.len() + head.len() + 256);
    let mut copied = 0;
    let mut position = 0;
    let mut started = head_start.is_empty();
    let mut injected = head.is_empty();
    // For each open <a>: whether it became a <span>.
    let mut anchors: Vec<bool> = Vec::new();
    let bytes = html.as_bytes();
    while let Some(offset) = html[position..].find('<') {
        let start = position + offset;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            position = comment
                .find("-->")
                .map_or(html.len(), |end| start + 4 + end + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            position = rest.find('>').map_or(html.len(), |end| start + end + 1);
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let name = tag_name(after);
            let end = rest.find('>').map_or(html.len(), |end| start + end + 1);
            if name == "head" && !injected {
                out.push_str(&html[copied..start]);
                if !started {
                    out.push_str(head_start);
                    started = true;
                }
                out.push_str(head);
                copied = start;
                injected = true;
            } else if name == "a" && anchors.pop() == Some(true) {
                out.push_str(&html[copied..start]);
                out.push_str("</span>");
                copied = end;
            }
            position = end.max(start + 2);
            continue;
        }
        if !bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
            position = start + 1;
            continue;
        }
        let tag = parse_tag(html, start);
        if tag.name == "body" && !injected {
            out.push_str(&html[copied..start]);
            if !started {
                out.push_str(head_start);
                started = true;
            }
            out.push_str(head);
            copied = start;
            injected = true;
        }
        let action = handle_tag(&tag, &base, package, &mut result, html_attribute);
        if tag.name == "a" {
            anchors.pop();
            anchors.push(matches!(action, Action::Unlink(_)));
        }
        match action {
            Action::Keep => {}
            Action::Replace(text) | Action::Unlink(text) => {
                out.push_str(&html[copied..tag.start]);
                out.push_str(&text);
                copied = tag.end;
            }
            Action::Remove => {
                out.push_str(&html[copied..tag.start]);
                copied = tag.end;
            }
        }
        if tag.name == "head" && !started {
            out.push_str(&html[copied..tag.end]);
            out.push_str(head_start);
            copied = tag.end;
            started = true;
        }
        position = tag.end;
        if RAW_TEXT.contains(&tag.name.as_str()) && !tag.self_closing {
            let close = find_close(html, tag.end, &tag.name);
            if tag.name == "style" {
                for url in css_urls(&html[tag.end..close]) {
                    use_file(&url, &base, package, &mut result);
                }
            }
            position = close;
        }
    }
    out.push_str(&html[copied..]);
    if !injected {
        out.insert_str(0, head);
    }
    if !started {
        out.insert_str(0, head_start);
    }
    result.html = out;
    result
}

/// The static files a stylesheet at `path` uses (`url()`, `@import`).
pub fn stylesheet_uses(path: &str, css: &str, package: &dyn Package) -> Rewritten {
    let base = folder_of(path);
    let mut result = Rewritten::default();
    for url in css_urls(css) {
        use_file(&url, &base, package, &mut result);
    }
    result
}

enum Action {
    Keep,
    Replace(String),
    /// An `<a>` turned into a `<span>`.
    Unlink(String),
    Remove,
}

fn handle_tag(
    tag: &Tag,
    base: &str,
    package: &dyn Package,
    result: &mut Rewritten,
    html_attribute: Option<(&str, &str)>,
) -> Action {
    if let Some(style) = tag.get("style") {
        for url in css_urls(style) {
            use_file(&url, base, package, result);
        }
    }
    match tag.name.as_str() {
        "html" => match html_attribute {
            Some((name, value)) if tag.get(name).is_none() => {
                let mut attributes = clone_attributes(tag);
                attributes.push(Attribute {
                    name: name.to_string(),
                    value: Some(value.to_string()),
                });
                Action::Replace(tag.write("html", &attributes))
            }
            _ => Action::Keep,
        },
        "a" | "area" => {
            let Some(href) = tag.get("href") else {
                return Action::Keep;
            };
            match classify(base, href, package) {
                Target::Same => Action::Keep,
                Target::Page(url) if url == href => Action::Keep,
                Target::Page(url) => Action::Replace(with_attribute(tag, "href", &url)),
                Target::File(path) => {
                    result.uses.insert(path);
                    Action::Keep
                }
                Target::External => {
                    if !is_web(href) || tag.get("target").is_some() {
                        return Action::Keep;
                    }
                    let mut attributes = clone_attributes(tag);
                    attributes.push(Attribute {
                        name: "target".to_string(),
                        value: Some("_blank".to_string()),
                    });
                    if tag.get("rel").is_none() {
                        attributes.push(Attribute {
                            name: "rel".to_string(),
                            value: Some("noopener noreferrer".to_string()),
                        });
                    }
                    Action::Replace(tag.write(&tag.name, &attributes))
                }
                Target::Outside(_) if tag.name == "area" => Action::Remove,
                Target::Outside(_) => {
                    let mut attributes: Vec<Attribute> = tag
                        .attributes
                        .iter()
                        .filter(|a| !LINK_ONLY.contains(&a.name.as_str()))
                        .map(|a| Attribute {
                            name: a.name.clone(),
                            value: a.value.clone(),
                        })
                        .collect();
                    attributes.push(Attribute {
                        name: "data-lms-unlinked".to_string(),
                        value: None,
                    });
                    Action::Unlink(tag.write("span", &attributes))
                }
            }
        }
        "link" => {
            let Some(href) = tag.get("href") else {
                return Action::Keep;
            };
            let rel = tag.get("rel").unwrap_or_default().to_ascii_lowercase();
            let resource = rel
                .split_ascii_whitespace()
                .any(|r| RESOURCE_RELS.contains(&r));
            match classify(base, href, package) {
                Target::Same => Action::Keep,
                Target::File(path) => {
                    result.uses.insert(path);
                    Action::Keep
                }
                Target::Page(url) if url == href => Action::Keep,
                Target::Page(url) => Action::Replace(with_attribute(tag, "href", &url)),
                Target::External if resource => Action::Keep,
                Target::Outside(path) if resource => {
                    result.missing.insert(path);
                    Action::Keep
                }
                Target::External | Target::Outside(_) => Action::Remove,
            }
        }
        _ => {
            let mut replaced: Option<Vec<Attribute>> = None;
            for (index, attribute) in tag.attributes.iter().enumerate() {
                let Some(value) = &attribute.value else {
                    continue;
                };
                let urls: Vec<String> = match (tag.name.as_str(), attribute.name.as_str()) {
                    (_, "src") | ("video", "poster") | ("object", "data") => {
                        vec![value.trim().to_string()]
                    }
                    (_, "srcset") => srcset_urls(value),
                    _ => continue,
                };
                for url in urls {
                    match classify(base, &url, package) {
                        Target::File(path) => {
                            result.uses.insert(path);
                        }
                        Target::Page(page) if page != url && attribute.name == "src" => {
                            let attributes = replaced.get_or_insert_with(|| clone_attributes(tag));
                            attributes[index].value = Some(page);
                        }
                        Target::Outside(path) => {
                            result.missing.insert(path);
                        }
                        _ => {}
                    }
                }
            }
            match replaced {
                Some(attributes) => Action::Replace(tag.write(&tag.name, &attributes)),
                None => Action::Keep,
            }
        }
    }
}

fn clone_attributes(tag: &Tag) -> Vec<Attribute> {
    tag.attributes
        .iter()
        .map(|a| Attribute {
            name: a.name.clone(),
            value: a.value.clone(),
        })
        .collect()
}

fn with_attribute(tag: &Tag, name: &str, value: &str) -> String {
    let mut attributes = clone_attributes(tag);
    for attribute in &mut attributes {
        if attribute.name == name {
            attribute.value = Some(value.to_string());
        }
    }
    tag.write(&tag.name, &attributes)
}

/// Records a file a stylesheet or `style` attribute uses; URLs that point
/// elsewhere are not the package's business (the site has the same).
fn use_file(url: &str, base: &str, package: &dyn Package, result: &mut Rewritten) {
    match classify(base, url, package) {
        Target::File(path) => {
            result.uses.insert(path);
        }
        Target::Outside(path) => {
            result.missing.insert(path);
        }
        _ => {}
    }
}

/// Where `url`, written in a file in folder `base`, points.
fn classify(base: &str, url: &str, package: &dyn Package) -> Target {
    let url = url.trim();
    if url.is_empty() || url.starts_with('#') || url.starts_with('?') {
        return Target::Same;
    }
    if url.starts_with("//") || has_scheme(url) {
        return Target::External;
    }
    if url.starts_with('/') {
        return Target::Outside(url.to_string());
    }
    let split = url.find(['?', '#']).unwrap_or(url.len());
    let (path_part, suffix) = url.split_at(split);
    // Decoded as the site's link check decodes it, so both find the same file.
    let decoded = decode_link(path_part);
    let Some(resolved) = resolve(base, &decoded) else {
        return Target::Outside(url.to_string());
    };
    if resolved.is_empty() || resolved.ends_with('/') {
        let index = format!("{resolved}index.html");
        return if package.is_page(&index) {
            Target::Page(format!("{path_part}index.html{suffix}"))
        } else {
            Target::Outside(index)
        };
    }
    if package.is_page(&resolved) {
        return Target::Page(url.to_string());
    }
    let index = format!("{resolved}/index.html");
    if package.is_page(&index) {
        return Target::Page(format!("{path_part}/index.html{suffix}"));
    }
    if package.is_file(&resolved) {
        return Target::File(resolved);
    }
    Target::Outside(resolved)
}

fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && !scheme.contains('/')
}

fn is_web(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// The folder part of a path, with its trailing `/` (`""` at the root).
pub fn folder_of(path: &str) -> String {
    match path.rfind('/') {
        Some(slash) => path[..=slash].to_string(),
        None => String::new(),
    }
}

/// `relative` resolved against `base` (a folder ending in `/` or empty);
/// `None` when it climbs above the root. Keeps a trailing `/`.
pub fn resolve(base: &str, relative: &str) -> Option<String> {
    let mut segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let parts: Vec<&str> = relative.split('/').collect();
    let last = parts.len() - 1;
    let mut folder = false;
    for (index, part) in parts.iter().enumerate() {
        match *part {
            "" | "." => folder = index == last,
            ".." => {
                segments.pop()?;
                folder = index == last;
            }
            segment => {
                segments.push(segment);
                folder = false;
            }
        }
    }
    let mut path = segments.join("/");
    if folder && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

/// The URLs of a `srcset` value.
fn srcset_urls(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_ascii_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The URLs of `url(...)` and `@import "..."` in CSS.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let lower = css.to_ascii_lowercase();
    let mut rest = 0;
    while let Some(found) = lower[rest..].find("url(") {
        let start = rest + found + 4;
        let Some(length) = css[start..].find(')') else {
            break;
        };
        let inner = css[start..start + length]
            .trim()
            .trim_matches(|c| c == '"' || c == '\'');
        if !inner.is_empty() && !inner.starts_with("data:") {
            urls.push(inner.to_string());
        }
        rest = start + length;
    }
    let mut rest = 0;
    while let Some(found) = lower[rest..].find("@import") {
        let start = rest + found + 7;
        let tail = css[start..].trim_start();
        if let Some(quote) = tail.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if let Some(end) = tail[1..].find(quote) {
                urls.push(tail[1..1 + end].to_string());
            }
        }
        rest = start;
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture;

    impl Package for Fixture {
        fn is_page(&self, path: &str) -> bool {
            matches!(
                path,
                "tracks/t/index.html" | "exercises/x/index.html" | "interviews/y/index.html"
            )
        }
        fn is_file(&self, path: &str) -> bool {
            matches!(
                path,
                "assets/salesbook.css" | "img/a b.png" | "assets/font.woff2" | "docs/x.pdf"
            )
        }
    }

    /// Rewrites a page at exercises/x/; a fragment without `<head>` or
    /// `<body>` gets `head` at its start.
    fn rewrite(html: &str) -> Rewritten {
        let (head_start, head_end) = if html.contains("<head>") {
            ("<!--start-->", "<!--head-->")
        } else {
            ("", "")
        };
        rewrite_page(
            "exercises/x/index.html",
            html,
            &Fixture,
            Additions {
                head_start,
                head_end,
                html_attribute: Some(("data-lms", "scorm12")),
            },
        )
    }

    #[test]
    fn folder_links_to_packaged_pages_get_index_html() {
        let page = rewrite(
            r#"<a href="../../tracks/t/">T</a> <a href="../../interviews/y/#why" class="c">Y</a> <a href="./">me</a>"#,
        );
        assert_eq!(
            page.html,
            r#"<a href="../../tracks/t/index.html">T</a> <a href="../../interviews/y/index.html#why" class="c">Y</a> <a href="./index.html">me</a>"#
        );
    }

    #[test]
    fn links_outside_the_package_become_text() {
        let page = rewrite(
            r#"<a class="tag" href="../../topics/x/" aria-current="page">x</a> and <A HREF='../../'>home</A> <a href="/abs">abs</a>"#,
        );
        assert_eq!(
            page.html,
            r#"<span class="tag" aria-current="page" data-lms-unlinked>x</span> and <span data-lms-unlinked>home</span> <span data-lms-unlinked>abs</span>"#
        );
    }

    #[test]
    fn web_links_open_a_new_window_and_fragments_stay() {
        let page = rewrite(
            r##"<a href="https://example.com/a?b=1&amp;c=2">w</a><a href="#top">t</a><a href="mailto:a@b.c">m</a>"##,
        );
        assert_eq!(
            page.html,
            r##"<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">w</a><a href="#top">t</a><a href="mailto:a@b.c">m</a>"##
        );
    }

    #[test]
    fn resources_are_collected_and_head_and_html_attribute_injected() {
        let html = "<!DOCTYPE html><html lang=\"en\"><head><link rel=\"stylesheet\" href=\"../../assets/salesbook.css\">\
            <link rel=\"canonical\" href=\"https://example.com/x/\"><link rel=\"alternate\" href=\"../../feed.xml\">\
            <style>body{background:url('../../assets/font.woff2')}</style></head>\
            <body><img src=\"../../img/a%20b.png\" srcset=\"../../img/a%20b.png 2x\"><img src=\"../../missing.png\">\
            <script>var s = \"<a href='../../x/'>\";</script><!-- <a href=\"../../\"> --></body></html>";
        let page = rewrite(html);
        assert_eq!(
            page.uses.iter().map(String::as_str).collect::<Vec<_>>(),
            ["assets/font.woff2", "assets/salesbook.css", "img/a b.png"]
        );
        assert_eq!(
            page.missing.iter().map(String::as_str).collect::<Vec<_>>(),
            ["missing.png"]
        );
        assert!(page.html.starts_with(
            "<!DOCTYPE html><html lang=\"en\" data-lms=\"scorm12\"><head><!--start--><link"
        ));
        assert!(!page.html.contains("canonical"));
        assert!(!page.html.contains("feed.xml"));
        assert!(page.html.contains("</style><!--head--></head>"));
        assert!(page
            .html
            .contains("<script>var s = \"<a href='../../x/'>\";</script>"));
        assert!(page.html.contains("<!-- <a href=\"../../\"> -->"));
    }

    #[test]
    fn downloads_of_static_files_are_included() {
        let page = rewrite(r#"<a href="../../docs/x.pdf" download>PDF</a>"#);
        assert!(page.uses.contains("docs/x.pdf"));
        assert!(page
            .html
            .starts_with(r#"<a href="../../docs/x.pdf" download>"#));
    }

    #[test]
    fn broken_markup_does_not_break_the_rewriter() {
        let pieces = [
            "<", ">", "<a", " href=", "\"", "'", "é", "😀", "</a>", "<!--", "-->", "<script>",
            "</script", "<style>", "url(", ")", "&", "&#x", ";", "<head>", "</head>", "/", "%",
            "%e", "../", "#", "?", " ", "=", "<html", "<body",
        ];
        // Every sequence of up to three pieces, then longer deterministic mixes.
        let mut inputs = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    inputs.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut seed: u64 = 7;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            inputs.push(text);
        }
        for input in inputs {
            // No panic, whatever the input.
            rewrite(&input);
            stylesheet_uses("a/b.css", &input, &Fixture);
        }
    }

    #[test]
    fn paths_resolve_and_stay_inside() {
        assert_eq!(resolve("a/b/", "../c/").as_deref(), Some("a/c/"));
        assert_eq!(resolve("a/b/", "./").as_deref(), Some("a/b/"));
        assert_eq!(resolve("a/", "../../x"), None);
        assert_eq!(resolve("", "x/./y.css").as_deref(), Some("x/y.css"));
        assert_eq!(resolve("a/", "..").as_deref(), Some(""));
    }

    #[test]
    fn css_urls_are_found() {
        assert_eq!(
            css_urls("@import \"a.css\"; x{background:URL( \"b.png\" )} y{src:url(c.woff2) format('woff2')} z{background:url(data:image/png;base64,xx)}"),
            ["b.png", "c.woff2", "a.css"]
        );
    }
}
