//! Links of imported pages: those naming another imported page become
//! `.md` links relative to the file, those naming a copied file become
//! root-absolute paths of `static/`, the rest stay as they were.

use std::collections::HashMap;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Every imported page and copied file, by the names a link may give.
#[derive(Debug, Default)]
pub struct Index {
    /// Source path under the content folder (`a/b.md`) → written path
    /// under `content/` (`a/b.md`, `a/_index.md`).
    pub by_file: HashMap<String, String>,
    /// The URL the source generator served a page at, lower-cased and
    /// without slashes around it (`handbook/sales`) → written path.
    pub by_url: HashMap<String, String>,
    /// A file name without `.md`, lower-cased → written path; `None` when
    /// two pages share it (Obsidian's `[[wikilinks]]` name pages so).
    pub by_name: HashMap<String, Option<String>>,
    /// Source path of a copied file → its URL path (`/images/x.png`).
    pub files: HashMap<String, String>,
    /// The path part of the source site's base URL (`/docs`), stripped
    /// from root-absolute links.
    pub base_path: String,
}

/// What rewriting one page's links did.
#[derive(Debug, Default)]
pub struct Rewritten {
    pub links: usize,
    /// Links to local paths that name nothing imported, left as written.
    pub unresolved: Vec<String>,
}

/// Where a link goes.
enum Target {
    Page(String),
    File(String),
}

/// `body` of the page at `source` (path under the source's content folder)
/// written to `written` (path under `content/`), its links rewritten.
pub fn rewrite(
    body: &str,
    source: &str,
    written: &str,
    index: &Index,
    done: &mut Rewritten,
) -> String {
    let body = rewrite_template_links(body, source, written, index, done);
    let body = rewrite_wikilinks(&body, written, index, done);
    let mut edits = Vec::new();
    let parser = Parser::new_ext(&body, Options::all());
    let mut destinations = Vec::new();
    let definitions: Vec<_> = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| (def.dest.to_string(), def.span.clone()))
        .collect();
    for (event, range) in parser.into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            destinations.push((dest_url.to_string(), range));
        }
    }
    destinations.extend(definitions);
    for (url, range) in destinations {
        let Some(new) = new_destination(&url, source, written, index, done) else {
            continue;
        };
        let slice = &body[range.clone()];
        let after = slice.rfind("](").map_or(0, |at| at + 2);
        if let Some(at) = slice[after..].find(url.as_str()) {
            let start = range.start + after + at;
            edits.push((start..start + url.len(), new));
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    edits.dedup_by_key(|(range, _)| range.start);
    let mut out = body.into_owned();
    for (range, new) in edits {
        out.replace_range(range, &new);
        done.links += 1;
    }
    out
}

/// The new destination of a link, or none to keep it.
fn new_destination(
    url: &str,
    source: &str,
    written: &str,
    index: &Index,
    done: &mut Rewritten,
) -> Option<String> {
    let is_local = !url.is_empty()
        && !url.starts_with('#')
        && !url.starts_with("//")
        && !url.starts_with("@/")
        && !has_scheme(url);
    if !is_local {
        return None;
    }
    let (path, fragment) = url.split_once('#').map_or((url, ""), |(p, f)| (p, f));
    let path = path.split('?').next().unwrap_or(path);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    match resolve(&decoded, source, index) {
        Some(target) => Some(link_to(target, fragment, written)).filter(|link| link != url),
        None => {
            done.unresolved.push(url.to_string());
            None
        }
    }
}

/// The link written for `target` from the page written at `written`.
fn link_to(target: Target, fragment: &str, written: &str) -> String {
    match target {
        Target::Page(page) if fragment.is_empty() => encode(&relative(written, &page)),
        Target::Page(page) => format!("{}#{fragment}", encode(&relative(written, &page))),
        Target::File(at) => encode(&at),
    }
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// The page or file a local link names, read as a path from the source
/// file, then as a URL.
fn resolve(path: &str, source: &str, index: &Index) -> Option<Target> {
    let folder = source.rsplit_once('/').map_or("", |(folder, _)| folder);
    if let Some(absolute) = path.strip_prefix('/') {
        let absolute = absolute
            .strip_prefix(index.base_path.trim_matches('/'))
            .filter(|_| !index.base_path.trim_matches('/').is_empty())
            .unwrap_or(absolute);
        let absolute = absolute.trim_start_matches('/');
        return page_at(absolute, index)
            .or_else(|| file_at(absolute, index))
            .or_else(|| page_by_url(absolute, index));
    }
    let joined = normalise(&format!("{folder}/{path}"))?;
    if let Some(found) = page_at(&joined, index).or_else(|| file_at(&joined, index)) {
        return Some(found);
    }
    // Hugo and Jekyll read relative links from the page's URL, one folder
    // deeper than its file for a page that is not a folder's index.
    let stem = source.strip_suffix(".md").unwrap_or(source);
    let page_url = match stem.rsplit_once('/').map_or(stem, |(_, name)| name) {
        "index" | "_index" | "README" => folder,
        _ => stem,
    };
    let from_url = normalise(&format!("{page_url}/{path}"))?;
    page_by_url(&joined, index)
        .or_else(|| page_by_url(&from_url, index))
        // Hugo's `ref` also names a page from the content folder.
        .or_else(|| page_at(&normalise(path)?, index))
}

fn page_at(path: &str, index: &Index) -> Option<Target> {
    let path = path.trim_end_matches('/');
    let candidates = [
        path.to_string(),
        format!("{path}.md"),
        format!("{path}/index.md"),
        format!("{path}/_index.md"),
        format!("{path}/README.md"),
    ];
    candidates
        .iter()
        .find_map(|candidate| index.by_file.get(candidate.trim_start_matches('/')))
        .map(|target| Target::Page(target.clone()))
}

fn file_at(path: &str, index: &Index) -> Option<Target> {
    // Files of Hugo's `static/` are known by their URL.
    index
        .files
        .get(path)
        .or_else(|| index.files.get(&format!("/{path}")))
        .map(|at| Target::File(at.clone()))
}

fn page_by_url(path: &str, index: &Index) -> Option<Target> {
    let key = path.trim_matches('/').to_lowercase();
    let key = key
        .strip_suffix(".html")
        .or_else(|| key.strip_suffix("/index.html"))
        .unwrap_or(&key);
    let key = key.strip_suffix("/index").unwrap_or(key);
    index
        .by_url
        .get(key)
        .map(|target| Target::Page(target.clone()))
}

/// `a/./b/../c` → `a/c`; none when it climbs above the root.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let trailing = if path.ends_with('/') { "/" } else { "" };
    Some(parts.join("/") + trailing)
}

/// The path from the file `from` to the file `to` (both under `content/`).
fn relative(from: &str, to: &str) -> String {
    let from_parts: Vec<&str> = from.split('/').collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let from_dirs = &from_parts[..from_parts.len() - 1];
    let shared = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts = vec![".."; from_dirs.len() - shared];
    parts.extend(&to_parts[shared..]);
    parts.join("/")
}

/// Spaces and parentheses written as `%XX` so the link stays one link.
pub(super) fn encode(path: &str) -> String {
    path.replace('%', "%25")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// Hugo's `{{< ref "x" >}}` / `relref`, Jekyll's `{% link x.md %}` and
/// `{{ site.baseurl }}`: what they name, as a plain path the link pass
/// then resolves.
fn rewrite_template_links<'a>(
    body: &'a str,
    source: &str,
    written: &str,
    index: &Index,
    done: &mut Rewritten,
) -> std::borrow::Cow<'a, str> {
    if !body.contains("{{") && !body.contains("{%") {
        return body.into();
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        match template_link(tail) {
            Some((path, length)) => {
                // A page found now is linked at once; the link pass reports
                // a path that names nothing.
                let (named, fragment) = path.split_once('#').unwrap_or((&path, ""));
                match resolve(named, source, index).filter(|_| !named.is_empty()) {
                    Some(target) => {
                        out.push_str(&link_to(target, fragment, written));
                        done.links += 1;
                    }
                    None => out.push_str(&path),
                }
                rest = &tail[length..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The path a template link at the start of `text` names, and its length.
fn template_link(text: &str) -> Option<(String, usize)> {
    for (open, close) in [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}"), ("{{", "}}")] {
        let Some(inner) = text.strip_prefix(open) else {
            continue;
        };
        let end = inner.find(close)?;
        let words: Vec<&str> = inner[..end].split_whitespace().collect();
        let length = open.len() + end + close.len();
        let unquote = |word: &str| word.trim_matches(['"', '\'']).to_string();
        return match (open, words.as_slice()) {
            ("{{<" | "{{%", [name, target, ..]) if *name == "ref" || *name == "relref" => {
                Some((unquote(target), length))
            }
            ("{%", ["link", target, ..]) => Some((
                format!("/{}", unquote(target).trim_start_matches('/')),
                length,
            )),
            ("{{", ["site.baseurl"]) => Some((String::new(), length)),
            _ => None,
        };
    }
    None
}

/// Obsidian's `[[Page]]`, `[[Page|text]]` and `[[Page#Heading]]` as
/// Markdown links when one page has that name.
fn rewrite_wikilinks<'a>(
    body: &'a str,
    written: &str,
    index: &Index,
    done: &mut Rewritten,
) -> std::borrow::Cow<'a, str> {
    if !body.contains("[[") {
        return body.into();
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find("]]").filter(|end| !tail[..*end].contains('\n')) else {
            out.push_str("[[");
            rest = &tail[2..];
            continue;
        };
        let inner = &tail[2..end];
        let (name, text) = inner.split_once('|').unwrap_or((inner, inner));
        let (name, heading) = name.split_once('#').unwrap_or((name, ""));
        let target = index
            .by_name
            .get(&name.trim().to_lowercase())
            .and_then(Option::as_ref);
        match target {
            Some(target) => {
                let mut link = encode(&relative(written, target));
                if !heading.is_empty() {
                    let id = heading.trim().to_lowercase().replace(' ', "-");
                    link = format!("{link}#{id}");
                }
                out.push_str(&format!("[{}]({link})", text.trim()));
                done.links += 1;
            }
            None => out.push_str(&tail[..end + 2]),
        }
        rest = &tail[end + 2..];
    }
    out.push_str(rest);
    out.into()
}

/// Hugo shortcodes and Liquid tags left in `body`: (line in the body,
/// the construct as `{{< name >}}`), outside fenced code.
pub fn shortcodes(body: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut in_code = false;
    for (number, line) in body.lines().enumerate() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        for (open, close) in [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}")] {
            let mut rest = line;
            while let Some(at) = rest.find(open) {
                let after = &rest[at + open.len()..];
                // `{%` also starts `{%%`-free Hugo `{{%`: skip those here.
                if open == "{%" && rest[..at].ends_with('{') {
                    rest = after;
                    continue;
                }
                let name = after
                    .trim_start_matches(['/', '-', ' '])
                    .split(|c: char| c.is_whitespace() || c == '>' || c == '%')
                    .next()
                    .unwrap_or_default();
                found.push((number + 1, format!("{open} {name} {close}")));
                rest = after;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let mut index = Index::default();
        for (file, url, written) in [
            ("handbook/_index.md", "handbook", "handbook/_index.md"),
            (
                "handbook/deal-desk.md",
                "handbook/deal-desk",
                "handbook/deal-desk.md",
            ),
            (
                "handbook/team/index.md",
                "handbook/team",
                "handbook/team/_index.md",
            ),
        ] {
            index.by_file.insert(file.into(), written.into());
            index.by_url.insert(url.into(), written.into());
        }
        index
            .files
            .insert("handbook/chart.png".into(), "/handbook/chart.png".into());
        index
            .by_name
            .insert("deal-desk".into(), Some("handbook/deal-desk.md".into()));
        index
    }

    fn rewritten(body: &str) -> (String, Rewritten) {
        let mut done = Rewritten::default();
        let out = rewrite(
            body,
            "handbook/team/index.md",
            "handbook/team/_index.md",
            &index(),
            &mut done,
        );
        (out, done)
    }

    #[test]
    fn links_of_every_form_become_md_links_with_their_fragments() {
        let (out, done) = rewritten(
            "[a](/handbook/deal-desk/#quotes) [b](../deal-desk.md) [c]({{< ref \"handbook/deal-desk.md\" >}})\n\
             [d]({% link handbook/deal-desk.md %}) [e]({{ site.baseurl }}/handbook/) [f][r] [[deal-desk|g]]\n\n\
             [r]: /handbook/team/\n",
        );
        assert_eq!(
            out,
            "[a](../deal-desk.md#quotes) [b](../deal-desk.md) [c](../deal-desk.md)\n\
             [d](../deal-desk.md) [e](../_index.md) [f][r] [g](../deal-desk.md)\n\n\
             [r]: _index.md\n"
        );
        assert_eq!(done.links, 6);
    }

    #[test]
    fn files_become_static_paths_and_unknown_links_stay() {
        let (out, done) = rewritten(
            "![x](../chart.png) [y](/nowhere/) [z](https://example.com/a) `[c](/handbook/)`\n",
        );
        assert_eq!(
            out,
            "![x](/handbook/chart.png) [y](/nowhere/) [z](https://example.com/a) `[c](/handbook/)`\n"
        );
        assert_eq!(done.unresolved, vec!["/nowhere/".to_string()]);
    }

    #[test]
    fn shortcodes_are_found_at_their_lines_outside_code() {
        let found =
            shortcodes("a {{< youtube id >}}\n```\n{{% note %}}\n```\n{% include x.html %}\n");
        assert_eq!(
            found,
            vec![
                (1, "{{< youtube >}}".to_string()),
                (5, "{% include %}".to_string())
            ]
        );
    }

    #[test]
    fn a_path_from_one_file_to_another() {
        assert_eq!(relative("a/b/c.md", "a/d.md"), "../d.md");
        assert_eq!(relative("x.md", "a/d.md"), "a/d.md");
        assert_eq!(relative("a/_index.md", "a/b.md"), "b.md");
    }
}
