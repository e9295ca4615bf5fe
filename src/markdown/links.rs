//! Links as written in Markdown: what kind each is, and how a relative one
//! resolves against its page's URL.

use std::borrow::Cow;

/// The relative path from a page URL to the site root, ending in `/`:
/// `./` for the home page, `../../` for `interviews/x/`.
pub fn root_prefix(url: &str) -> String {
    let depth = url.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// A link's path or fragment as a browser and a static host read it:
/// `%XX` sequences decoded once (`%20` is a space, `%41` an `A`), so that
/// links are checked against the file they will reach. A path that does
/// not decode to UTF-8 is kept as written. The LMS packager reads links
/// with it too.
pub fn decode_link(text: &str) -> Cow<'_, str> {
    match percent_encoding::percent_decode_str(text).decode_utf8() {
        Ok(decoded) => decoded,
        Err(_) => Cow::Borrowed(text),
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum LinkKind<'a> {
    /// Has a scheme (`https:`, `mailto:`) or is protocol-relative.
    External,
    /// `#id` on the same page.
    Fragment(&'a str),
    /// `/path`: a static file or page URL; `suffix` is `?query#fragment`.
    RootPath { path: &'a str, suffix: &'a str },
    /// A `.md` file; `from_root` for `@/`.
    Page {
        path: &'a str,
        from_root: bool,
        fragment: Option<&'a str>,
    },
    /// Anything else relative to the page's URL: left as written, checked.
    Relative(&'a str),
}

/// Resolves a relative path against a page URL (`interviews/x/`) to a path
/// from the site root, or `None` if it climbs above the root.
pub(super) fn resolve_relative_url(page_url: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = page_url.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut resolved = parts.join("/");
    if path.ends_with('/') && !resolved.is_empty() {
        resolved.push('/');
    }
    Some(resolved)
}

pub(super) fn classify_link(dest: &str) -> LinkKind<'_> {
    if let Some(fragment) = dest.strip_prefix('#') {
        return LinkKind::Fragment(fragment);
    }
    let has_scheme = dest
        .find(':')
        .is_some_and(|colon| !dest[..colon].contains(['/', '?', '#']));
    if has_scheme || dest.starts_with("//") {
        return LinkKind::External;
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let path = before_fragment.split('?').next().unwrap_or_default();
    if let Some(rest) = path.strip_prefix("@/") {
        return LinkKind::Page {
            path: rest,
            from_root: true,
            fragment,
        };
    }
    if path.ends_with(".md") && !path.starts_with('/') {
        return LinkKind::Page {
            path,
            from_root: false,
            fragment,
        };
    }
    if let Some(rooted) = path.strip_prefix('/') {
        return LinkKind::RootPath {
            path: rooted,
            suffix: &dest[path.len()..],
        };
    }
    LinkKind::Relative(path)
}
