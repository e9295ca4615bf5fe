//! The tags of raw HTML and the URLs in them (`href`, `src` and
//! `srcset`), found by a small scanner: quoted and unquoted values, names
//! in any case, comments and the insides of `<script>` and `<style>`
//! skipped. The renderer checks and rewrites the URLs as it does Markdown
//! links, and repairs the tags that would make a page invalid.

use std::borrow::Cow;
use std::ops::Range;

/// One URL in a piece of raw HTML.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct UrlInHtml {
    /// Its bytes as written (entities not decoded).
    pub range: Range<usize>,
    /// Named by `src` or `srcset`: an image or media, not a link.
    pub is_media: bool,
}

/// One tag of a piece of raw HTML, opening (`<img src=x>`) or closing
/// (`</p>`), as byte ranges of the HTML.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct HtmlTag {
    /// From its `<` to its `>` (or the end of the HTML).
    pub range: Range<usize>,
    pub name: Range<usize>,
    pub closing: bool,
    pub attributes: Vec<Attribute>,
}

/// One attribute of a tag: its name, and its value if it has one (inside
/// the quotes, when quoted).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Attribute {
    pub name: Range<usize>,
    pub value: Option<Range<usize>>,
    /// From its name to the end of its value (and closing quote).
    pub whole: Range<usize>,
}

impl HtmlTag {
    /// Whether the tag is named `name` (in any case).
    pub fn is(&self, html: &str, name: &str) -> bool {
        html[self.name.clone()].eq_ignore_ascii_case(name)
    }

    /// The attribute named `name` (in any case), if the tag has it.
    pub fn attribute(&self, html: &str, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|attribute| html[attribute.name.clone()].eq_ignore_ascii_case(name))
    }

    /// Where an attribute can be added: before the `>` or `/>` that ends
    /// the tag.
    pub fn end_of_attributes(&self, html: &str) -> usize {
        let text = &html[self.range.clone()];
        let inner = text.strip_suffix('>').unwrap_or(text);
        let inner = inner.strip_suffix('/').unwrap_or(inner);
        self.range.start + inner.trim_end().len()
    }
}

/// The inline HTML tags of the paragraph or table cell being rendered,
/// to find the ones that close or belong to nothing.
#[derive(Debug, Default)]
pub(super) struct InlineTags {
    /// `<p>`s opened by inline HTML and not closed.
    pub open_paragraphs: usize,
    /// `<ul>`s and `<ol>`s opened by inline HTML and not closed.
    pub open_lists: usize,
    pub in_table_cell: bool,
    /// A `<ul>` was opened for the cell's `<li>`s: closed at its end.
    pub wrapped_list: bool,
}

/// Every tag of `html`, in order: comments, the insides of `<script>`
/// and `<style>`, and a `<` that starts no tag skipped.
pub(super) fn tags_in(html: &str) -> Vec<HtmlTag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        if html[start..].starts_with("<!--") {
            at = find_from(html, start + 4, "-->").map_or(html.len(), |end| end + 3);
            continue;
        }
        let closing = bytes.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            at = name_start;
            continue;
        }
        let name_end = skip(bytes, name_start, |b| {
            b.is_ascii_alphanumeric() || b == b'-'
        });
        let mut attributes = Vec::new();
        at = read_attributes(html, name_end, &mut attributes);
        let tag = HtmlTag {
            range: start..at,
            name: name_start..name_end,
            closing,
            attributes,
        };
        if !closing {
            for raw_text in ["script", "style"] {
                if tag.is(html, raw_text) {
                    let closing = format!("</{raw_text}");
                    at = find_ignoring_case(html, at, &closing).unwrap_or(html.len());
                }
            }
        }
        tags.push(tag);
    }
    tags
}

/// Every URL of an `href`, `src` or `srcset` attribute in `html`, in order.
#[cfg(test)]
pub(super) fn urls_in(html: &str) -> Vec<UrlInHtml> {
    urls_of(html, &tags_in(html))
}

/// Every URL of an `href`, `src` or `srcset` attribute of `tags`, in order.
pub(super) fn urls_of(html: &str, tags: &[HtmlTag]) -> Vec<UrlInHtml> {
    let mut urls = Vec::new();
    for tag in tags.iter().filter(|tag| !tag.closing) {
        for attribute in &tag.attributes {
            let Some(value) = attribute.value.clone().filter(|value| !value.is_empty()) else {
                continue;
            };
            let name = &html[attribute.name.clone()];
            if name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src") {
                urls.push(UrlInHtml {
                    range: value,
                    is_media: name.eq_ignore_ascii_case("src"),
                });
            } else if name.eq_ignore_ascii_case("srcset") {
                srcset_urls(html, value, &mut urls);
            }
        }
    }
    urls
}

/// Reads the attributes of a tag from `at` (after its name) to its `>`;
/// returns where the tag ends.
fn read_attributes(html: &str, mut at: usize, attributes: &mut Vec<Attribute>) -> usize {
    let bytes = html.as_bytes();
    loop {
        at = skip(bytes, at, |b| b.is_ascii_whitespace() || b == b'/');
        match bytes.get(at) {
            None => return html.len(),
            Some(b'>') => return at + 1,
            Some(_) => {}
        }
        let name_start = at;
        let name_end = skip(bytes, at, |b| {
            !(b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/'))
        })
        .max(at + 1)
        .min(html.len());
        let name = name_start..name_end;
        at = skip(bytes, name_end, |b| b.is_ascii_whitespace());
        if bytes.get(at) != Some(&b'=') {
            attributes.push(Attribute {
                whole: name.clone(),
                name,
                value: None,
            });
            continue;
        }
        at = skip(bytes, at + 1, |b| b.is_ascii_whitespace());
        let value = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end =
                    memchr::memchr(quote, &bytes[at + 1..]).map_or(html.len(), |i| at + 1 + i);
                let value = at + 1..end;
                at = (end + 1).min(html.len());
                value
            }
            _ => {
                let end = skip(bytes, at, |b| !(b.is_ascii_whitespace() || b == b'>'));
                let value = at..end;
                at = end;
                value
            }
        };
        attributes.push(Attribute {
            name,
            value: Some(value),
            whole: name_start..at,
        });
    }
}

/// The URL of each candidate of a `srcset` (`a.png 1x, b.png 2x`).
fn srcset_urls(html: &str, value: Range<usize>, urls: &mut Vec<UrlInHtml>) {
    let bytes = html.as_bytes();
    let mut at = value.start;
    while at < value.end {
        let start = skip(bytes, at, |b| b.is_ascii_whitespace() || b == b',').min(value.end);
        let end = skip(bytes, start, |b| !b.is_ascii_whitespace()).min(value.end);
        // A URL may hold commas; the one that ends it does not belong to it.
        let url_end = if html[start..end].ends_with(',') {
            end - 1
        } else {
            end
        };
        if start < url_end {
            urls.push(UrlInHtml {
                range: start..url_end,
                is_media: true,
            });
        }
        // After a URL ending in its comma comes the next candidate; after
        // one without, a descriptor (`2x`) up to the next comma.
        at = if url_end < end {
            end
        } else {
            find_from(html, end, ",").map_or(value.end, |comma| comma + 1)
        };
    }
}

/// A URL as written in HTML, with the entities a URL may hold decoded
/// (`&amp;`, `&quot;`, `&#39;`, `&lt;`, `&gt;` and numeric ones).
pub(super) fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest.find(';').map(|semi| (&rest[1..semi], semi));
        match entity.and_then(|(name, semi)| Some((entity_char(name)?, semi))) {
            Some((c, semi)) => {
                decoded.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    Cow::Owned(decoded)
}

fn entity_char(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "lt" => Some('<'),
        "gt" => Some('>'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The first index from `at` whose byte is not `keep`.
fn skip(bytes: &[u8], at: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut at = at;
    while at < bytes.len() && keep(bytes[at]) {
        at += 1;
    }
    at
}

fn find_from(text: &str, at: usize, needle: &str) -> Option<usize> {
    text.get(at..)?.find(needle).map(|i| at + i)
}

fn find_ignoring_case(text: &str, at: usize, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (at..bytes.len().saturating_sub(needle.len() - 1))
        .find(|&i| bytes[i..i + needle.len()].eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(html: &str) -> Vec<(&str, bool)> {
        urls_in(html)
            .into_iter()
            .map(|url| (&html[url.range], url.is_media))
            .collect()
    }

    #[test]
    fn urls_are_found_quoted_unquoted_and_in_any_case() {
        assert_eq!(
            found(r#"<a title="x > y" HREF="a.md#x">a</a> <img alt='it' src='/i.png'/>"#),
            [("a.md#x", false), ("/i.png", true)]
        );
        assert_eq!(
            found("<iframe src=/v.html width=100></iframe><source\n  src = \"/a.mp3\">"),
            [("/v.html", true), ("/a.mp3", true)]
        );
        assert_eq!(
            found(r#"<img srcset="/a.png 1x, /b,c.png 2x,/d.png" data-src="/no.png" hrefx="/no">"#),
            [("/a.png", true), ("/b,c.png", true), ("/d.png", true)]
        );
        assert_eq!(
            found(r#"<img srcset="/a.png, /b.png">"#),
            [("/a.png", true), ("/b.png", true)]
        );
    }

    #[test]
    fn comments_scripts_styles_and_text_hold_no_urls() {
        assert_eq!(
            found("<!-- <a href=\"/x\"> --><script>if (a<b) x.href=\"/y\"</SCRIPT><style>a[href=\"/z\"]{}</style>a < b href=\"/t\""),
            []
        );
        assert_eq!(found("<a href=\"/open"), [("/open", false)]);
        assert_eq!(found("<a href="), []);
        assert_eq!(found("<"), []);
    }

    #[test]
    fn tags_have_names_attributes_and_their_ends() {
        let html = "<IMG src=x.png hidden alt = 'a b'/></p><p>";
        let tags = tags_in(html);
        let shown: Vec<(&str, bool)> = tags
            .iter()
            .map(|tag| (&html[tag.name.clone()], tag.closing))
            .collect();
        assert_eq!(shown, [("IMG", false), ("p", true), ("p", false)]);
        let img = &tags[0];
        assert!(img.is(html, "img"));
        let wholes: Vec<&str> = img
            .attributes
            .iter()
            .map(|attribute| &html[attribute.whole.clone()])
            .collect();
        assert_eq!(wholes, ["src=x.png", "hidden", "alt = 'a b'"]);
        let alt = img.attribute(html, "ALT").and_then(|a| a.value.clone());
        assert_eq!(alt.map(|value| &html[value]), Some("a b"));
        assert_eq!(
            &html[..img.end_of_attributes(html)],
            "<IMG src=x.png hidden alt = 'a b'"
        );
        assert_eq!(tags[1].range, 35..39);
    }

    #[test]
    fn entities_in_urls_are_decoded() {
        assert_eq!(decode_entities("a.md?x=1&amp;y=2"), "a.md?x=1&y=2");
        assert_eq!(decode_entities("&#47;x&#x2F;y&unknown;&"), "/x/y&unknown;&");
        assert_eq!(decode_entities("plain"), "plain");
    }
}
