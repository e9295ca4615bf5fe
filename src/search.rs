//! The search index: built with every site, read by `assets/search.js` in
//! the browser, with no server and no other origin.
//!
//! Layout under `search/`:
//! - `docs.json`: `{"version":1,"docs":[[url, kind, title, summary], ...],
//!   "shards":["6f62", ...]}` — one row per page, loaded when the search
//!   box is first used;
//! - `t/<hex>.json`: the terms starting with the two characters whose UTF-8
//!   bytes are `<hex>`, each with its postings `[doc, score, doc, score, ...]`
//!   best first. A query loads only the shards of its words' first two
//!   characters, so the index a page pays for stays small on a large site;
//! - `t/doc-<n>.json`: the visible text of the page in row `n`, for the
//!   excerpts under results: `[[heading, text], ...]`, the text before the
//!   first heading under `""`, each block of a section on a line of its
//!   own. A query loads the texts of the results it shows, and no page.
//!
//! Building is linear in the text: each page's words are counted once, when
//! its Markdown is rendered (and cached with it), then merged per shard.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use std::sync::Arc;

use crate::ascii::json_plain_run;
use crate::content::{Details, Kind, Page};
use crate::markdown::Rendered;
use crate::output::{Contents, OutputFile};
use crate::site::{PageId, Site};
use crate::terms::{for_each_word, key_of};
use crate::text::smart_punctuation;
use crate::vtt::Cue;

/// The pages a term finds, as (doc, score).
type Postings = Vec<(u32, u32)>;
pub const SEARCH_DIR: &str = "search";
pub const FORMAT_VERSION: u32 = 2;

/// How much a word counts where it appears.
const TITLE: u32 = 10;
const TAG: u32 = 6;
const HEADING: u32 = 4;
const SUMMARY: u32 = 3;
const QUOTE: u32 = 3;
const LIST_ITEM: u32 = 2;
const BODY: u32 = 1;
/// Repeating a word in the body stops counting after this many times.
const BODY_REPEAT_CAP: u16 = 5;
/// Summaries in `docs.json` are cut to this many characters.
const SUMMARY_CHARS: usize = 140;

/// The shard a term belongs to: the hex of its first two characters.
pub fn shard_of(term: &str) -> String {
    let prefix: String = term.chars().take(2).collect();
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Pages that search finds: everything but the home page.
fn searchable(site: &Site) -> Vec<PageId> {
    site.page_ids()
        .filter(|&id| site.pages[id].kind != Kind::Home)
        .collect()
}

/// Scores of one page's words, as a map (for the index kept between
/// rebuilds, which compares a page's old and new scores).
fn page_scores<'a>(
    page: &'a Page,
    rendered: &'a Rendered,
    transcript: &'a [Cue],
) -> FxHashMap<Cow<'a, str>, u32> {
    let mut scores =
        FxHashMap::with_capacity_and_hasher(rendered.terms.len() + 32, Default::default());
    for_each_score(page, rendered, transcript, |term, score| {
        scores.insert(term, score);
    });
    scores
}

/// Calls `found` once with each word of a page and its score: the body's
/// words (borrowed from the cached Markdown result) and the fields' own
/// words (borrowed from the page where they are written as indexed). Only
/// the fields' few words go through a map of their own; the body's many
/// words, each counted once already, are scored as they come.
fn for_each_score<'a>(
    page: &'a Page,
    rendered: &'a Rendered,
    transcript: &'a [Cue],
    mut found: impl FnMut(Cow<'a, str>, u32),
) {
    // Room for the fields of a long page without growing.
    let mut field_words: FxHashMap<Cow<str>, u32> =
        FxHashMap::with_capacity_and_hasher(128, Default::default());
    let mut add = |text: &'a str, weight: u32| {
        for_each_word(text, |word, in_text| {
            if let Some(score) = field_words.get_mut(word) {
                *score += weight;
            } else {
                field_words.insert(key_of(word, in_text), weight);
            }
        });
    };
    add(page.title(), TITLE);
    for tag in &page.common.tags {
        add(tag, TAG);
    }
    add(page.common.summary.as_deref().unwrap_or_default(), SUMMARY);
    for heading in rendered.headings.iter() {
        add(heading.title, HEADING);
    }
    for quote in &rendered.quotes {
        add(&quote.text, QUOTE);
        add(&quote.by, QUOTE);
    }
    match &page.details {
        Details::Interview(fields) => {
            for item in fields.learn.iter().chain(&fields.takeaways) {
                add(item, LIST_ITEM);
            }
            // What is said in the recording counts as the body does.
            for cue in transcript {
                add(&cue.text, BODY);
            }
        }
        Details::Exercise(fields) => {
            add(fields.objective.as_deref().unwrap_or_default(), SUMMARY);
            for prompt in &fields.reflection {
                add(prompt, LIST_ITEM);
            }
            for question in &fields.quiz {
                add(&question.question, LIST_ITEM);
            }
        }
        Details::Speaker(fields) => {
            add(fields.role.as_deref().unwrap_or_default(), SUMMARY);
            add(fields.company.as_deref().unwrap_or_default(), SUMMARY);
        }
        Details::Track(fields) => add(fields.level.as_deref().unwrap_or_default(), BODY),
        Details::Home | Details::Page => {}
    }
    for (term, count) in rendered.terms.iter() {
        let body = BODY * u32::from(count.min(BODY_REPEAT_CAP));
        found(
            Cow::Borrowed(term),
            body + field_words.remove(term).unwrap_or(0),
        );
    }
    for (term, score) in field_words {
        found(term, score);
    }
}

/// The files of the search index, made in one pass (for `build`: nothing
/// is kept afterwards).
pub fn index_files(site: &Site) -> Vec<OutputFile> {
    let docs = searchable(site);
    // The pages are split into one run per thread; each run scores its
    // pages into postings of its own (a page's score map lives only while
    // it is merged). The runs' lists of a term are not joined: the shard
    // file sorts a term's postings anyway, and joining would copy them all.
    let chunk = docs.len().div_ceil(rayon::current_num_threads()).max(1);
    let runs: Vec<FxHashMap<Cow<str>, Postings>> = docs
        .par_chunks(chunk)
        .enumerate()
        .map(|(number, pages)| {
            let mut postings: FxHashMap<Cow<str>, Postings> = FxHashMap::default();
            for (offset, &index) in pages.iter().enumerate() {
                let doc = (number * chunk + offset) as u32;
                let transcript = site.transcript(index).map_or(&[][..], |cues| &cues[..]);
                for_each_score(
                    &site.pages[index],
                    site.rendered(index),
                    transcript,
                    |term, score| {
                        postings.entry(term).or_default().push((doc, score));
                    },
                );
            }
            postings
        })
        .collect();
    // Each shard's postings are moved into it and dropped as soon as its
    // file is made: the postings and the files are not all in memory at once.
    type Terms<'a> = BTreeMap<Cow<'a, str>, Vec<Postings>>;
    let mut shards: BTreeMap<String, Terms> = BTreeMap::new();
    for (term, list) in runs.into_iter().flatten() {
        let shard = shards.entry(shard_of(&term)).or_default();
        shard.entry(term).or_default().push(list);
    }
    let manifest = manifest_file(site, &docs, shards.keys());
    let texts: Vec<OutputFile> = docs
        .par_iter()
        .enumerate()
        .map(|(doc, &index)| {
            let transcript = site.transcript(index).map_or(&[][..], |cues| &cues[..]);
            text_file(doc, site.rendered(index), transcript)
        })
        .collect();
    let mut files: Vec<OutputFile> = shards
        .into_par_iter()
        .map(|(shard, terms)| {
            let mut borrowed: Vec<(&str, Vec<&Postings>)> = terms
                .iter()
                .map(|(term, lists)| (term.as_ref(), lists.iter().collect()))
                .collect();
            shard_file(&shard, &mut borrowed)
        })
        .collect();
    files.push(manifest);
    files.extend(texts);
    files
}

/// A page as it was scored: its front matter, body and transcript.
type Doc = (Arc<Page>, Arc<Rendered>, Option<Arc<[Cue]>>);

/// The search index kept between the rebuilds of `watch` and `serve`: a
/// changed page is scored again and only the shards holding its old or new
/// words are written again.
#[derive(Default)]
pub struct SearchIndex {
    /// The pages indexed, by doc id, as they were scored.
    docs: Vec<Doc>,
    postings: FxHashMap<String, Postings>,
    /// Each shard's file contents.
    shards: BTreeMap<String, Vec<u8>>,
    manifest: Option<OutputFile>,
    /// Each doc's text file, by doc id.
    texts: Vec<OutputFile>,
}

impl SearchIndex {
    /// Brings the index up to date with `site` and returns all its files.
    pub fn update(&mut self, site: &Site) -> Vec<OutputFile> {
        let docs = searchable(site);
        let current: Vec<Doc> = docs
            .iter()
            .map(|&i| {
                (
                    site.pages[i].clone(),
                    site.rendered(i).clone(),
                    site.transcript(i).cloned(),
                )
            })
            .collect();
        let same_pages = self.docs.len() == current.len()
            && self
                .docs
                .iter()
                .zip(&current)
                .all(|(old, new)| old.0.reference == new.0.reference);
        let changed: Vec<usize> = if same_pages {
            (0..current.len())
                .filter(|&doc| {
                    let (old, new) = (&self.docs[doc], &current[doc]);
                    !Arc::ptr_eq(&old.0, &new.0) || !Arc::ptr_eq(&old.1, &new.1) || old.2 != new.2
                })
                .collect()
        } else {
            self.postings.clear();
            self.shards.clear();
            self.manifest = None;
            (0..current.len()).collect()
        };
        // Only terms whose score changed move: appending a sentence to a
        // page touches the shards of its new words, not of all its words.
        let mut affected: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let mut rows_changed = !same_pages;
        self.texts.truncate(current.len());
        for &doc in &changed {
            let (page, rendered, transcript) = &current[doc];
            let text = text_file(doc, rendered, transcript.as_deref().unwrap_or_default());
            match self.texts.get_mut(doc) {
                Some(old) => *old = text,
                None => self.texts.push(text),
            }
            let scores = page_scores(page, rendered, transcript.as_deref().unwrap_or_default());
            let old_scores = if same_pages {
                let (old_page, old_rendered, old_transcript) = &self.docs[doc];
                rows_changed |= manifest_row(old_page) != manifest_row(page);
                page_scores(
                    old_page,
                    old_rendered,
                    old_transcript.as_deref().unwrap_or_default(),
                )
            } else {
                Default::default()
            };
            for (term, score) in &old_scores {
                if scores.get(term) != Some(score) {
                    affected.insert(shard_of(term));
                    if let Some(list) = self.postings.get_mut(term.as_ref()) {
                        list.retain(|(d, _)| *d != doc as u32);
                    }
                }
            }
            for (term, score) in scores {
                if old_scores.get(&term) != Some(&score) {
                    affected.insert(shard_of(&term));
                    self.postings
                        .entry(term.into_owned())
                        .or_default()
                        .push((doc as u32, score));
                }
            }
        }
        self.postings.retain(|_, list| !list.is_empty());
        if !affected.is_empty() {
            let mut by_shard: BTreeMap<String, Vec<(&str, Vec<&Postings>)>> = BTreeMap::new();
            for (term, list) in &self.postings {
                let shard = shard_of(term);
                if affected.contains(&shard) {
                    by_shard.entry(shard).or_default().push((term, vec![list]));
                }
            }
            for shard in &affected {
                match by_shard.get_mut(shard) {
                    Some(terms) => {
                        let file = shard_file(shard, terms);
                        if let Contents::Bytes(bytes) = file.contents {
                            rows_changed |= self.shards.insert(shard.clone(), bytes).is_none();
                        }
                    }
                    None => {
                        rows_changed |= self.shards.remove(shard).is_some();
                    }
                }
            }
        }
        // docs.json lists the pages' rows and the shards.
        if rows_changed || self.manifest.is_none() {
            self.manifest = Some(manifest_file(site, &docs, self.shards.keys()));
        }
        self.docs = current;
        let mut files: Vec<OutputFile> = self
            .shards
            .iter()
            .map(|(shard, bytes)| OutputFile {
                path: shard_path(shard),
                contents: Contents::Bytes(bytes.clone()),
            })
            .collect();
        files.extend(self.manifest.clone());
        files.extend(self.texts.iter().cloned());
        files
    }
}

/// The folder of the shard files, with its trailing `/`.
pub const SHARDS_DIR: &str = "search/t/";

fn shard_path(shard: &str) -> String {
    format!("{SHARDS_DIR}{shard}.json")
}

/// Whether an output path under [`SHARDS_DIR`] is a shard's file (a page
/// there would be an `index.html`).
pub fn is_shard_path(path: &str) -> bool {
    path.starts_with(SHARDS_DIR) && path.ends_with(".json")
}

/// One shard's file: its terms in order, each with its postings (given in
/// one or more lists) best first.
fn shard_file(shard: &str, terms: &mut [(&str, Vec<&Postings>)]) -> OutputFile {
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // About the final size: most postings are `doc,score,` in at most 12
    // bytes. A string grown by doubling would take up to twice that.
    let postings: usize = terms
        .iter()
        .map(|(term, lists)| term.len() + 6 + lists.iter().map(|l| l.len()).sum::<usize>() * 12)
        .sum();
    let mut json = String::with_capacity(postings + 2);
    let mut number = itoa::Buffer::new();
    json.push('{');
    for (position, (term, lists)) in terms.iter().enumerate() {
        let mut sorted: Vec<&(u32, u32)> = lists.iter().flat_map(|list| list.iter()).collect();
        sorted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if position > 0 {
            json.push(',');
        }
        json.push_str(&serde_json::to_string(term).unwrap_or_default());
        json.push_str(":[");
        for (i, (doc, score)) in sorted.into_iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            // Written in place: a large site has about a million postings.
            json.push_str(number.format(*doc));
            json.push(',');
            json.push_str(number.format(*score));
        }
        json.push(']');
    }
    json.push('}');
    OutputFile {
        path: shard_path(shard),
        contents: Contents::Bytes(json.into_bytes()),
    }
}

/// The text file of the page in row `doc`: its sections, each
/// `[heading, text]`, blocks on lines of their own. White space is left
/// as the page has it: the excerpts are shown as HTML, which collapses it.
fn text_file(doc: usize, rendered: &Rendered, transcript: &[Cue]) -> OutputFile {
    let text = rendered.text.as_str();
    let spans = &rendered.heading_spans;
    let part = |start: u32, end: u32| text.get(start as usize..end as usize).unwrap_or_default();
    let end_of_text = text.len() as u32;
    let before_first = part(0, spans.first().map_or(end_of_text, |s| s.0));
    let sections = std::iter::once(("", before_first)).chain(spans.iter().enumerate().map(
        |(position, &(start, end))| {
            let next = spans.get(position + 1).map_or(end_of_text, |s| s.0);
            (part(start, end), part(end, next))
        },
    ));
    let mut json = Vec::with_capacity(text.len() + 64);
    json.push(b'[');
    for (heading, body) in sections {
        let (heading, body) = (heading.trim(), body.trim());
        if heading.is_empty() && body.is_empty() {
            continue;
        }
        if json.len() > 1 {
            json.push(b',');
        }
        json.push(b'[');
        push_json_text(&mut json, heading);
        json.push(b',');
        push_json_text(&mut json, body);
        json.push(b']');
    }
    // A transcript is one more section, so excerpts can show what was said.
    if !transcript.is_empty() {
        let said: Vec<&str> = transcript.iter().map(|cue| cue.text.as_str()).collect();
        json.extend_from_slice(if json.len() > 1 { b",[" } else { b"[" });
        push_json_text(&mut json, "Transcript");
        json.push(b',');
        push_json_text(&mut json, &said.join(" "));
        json.push(b']');
    }
    json.push(b']');
    OutputFile {
        path: format!("{SHARDS_DIR}doc-{doc}.json"),
        contents: Contents::Bytes(json),
    }
}

/// `text` as a JSON string, written straight into `json`: a large site has
/// megabytes of text, most of it in runs that need no escaping, copied
/// whole. `<` is written as \u003c, as in `docs.json`.
fn push_json_text(json: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    json.push(b'"');
    let mut at = 0;
    while at < bytes.len() {
        let run = json_plain_run(&bytes[at..]);
        json.extend_from_slice(&bytes[at..at + run]);
        at += run;
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        match byte {
            b'"' => json.extend_from_slice(b"\\\""),
            b'\\' => json.extend_from_slice(b"\\\\"),
            b'\n' => json.extend_from_slice(b"\\n"),
            b'\t' => json.extend_from_slice(b"\\t"),
            b'\r' => json.extend_from_slice(b"\\r"),
            other => json.extend_from_slice(format!("\\u{other:04x}").as_bytes()),
        }
        at += 1;
    }
    json.push(b'"');
}

/// `docs.json`: one row per page and the list of shards, written straight
/// into one string (a JSON value per row would be several times its size
/// on a large site).
fn manifest_file<'a>(
    site: &Site,
    docs: &[PageId],
    shards: impl Iterator<Item = &'a String>,
) -> OutputFile {
    let mut json = String::with_capacity(docs.len() * 200);
    json.push_str("{\"docs\":[");
    for (position, &index) in docs.iter().enumerate() {
        if position > 0 {
            json.push(',');
        }
        json.push('[');
        let row = manifest_row(&site.pages[index]);
        for (field, text) in row.iter().enumerate() {
            if field > 0 {
                json.push(',');
            }
            push_json_string(&mut json, text);
        }
        json.push(']');
    }
    json.push_str("],\"shards\":[");
    for (position, shard) in shards.enumerate() {
        if position > 0 {
            json.push(',');
        }
        push_json_string(&mut json, shard);
    }
    json.push_str(&format!("],\"version\":{FORMAT_VERSION}}}"));
    OutputFile {
        path: format!("{SEARCH_DIR}/docs.json"),
        contents: Contents::Bytes(json.into_bytes()),
    }
}

/// A page's row in `docs.json`: URL, kind, title and the start of its
/// summary, title and summary with the smart punctuation pages show them
/// with (the shards hold the words as typed).
fn manifest_row(page: &Page) -> [Cow<'_, str>; 4] {
    let summary = page.common.summary.as_deref().unwrap_or_default();
    let summary = match summary.char_indices().nth(SUMMARY_CHARS) {
        Some((end, _)) => &summary[..end],
        None => summary,
    };
    [
        Cow::Borrowed(&page.url),
        Cow::Borrowed(page.kind.name()),
        smart_punctuation(page.title()),
        smart_punctuation(summary),
    ]
}

/// `text` as a JSON string, with `<` as \u003c: the same JSON, and no
/// markup even for tools that sniff a JSON file as HTML.
fn push_json_string(json: &mut String, text: &str) {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    if quoted.contains('<') {
        json.push_str(&quoted.replace('<', "\\u003c"));
    } else {
        json.push_str(&quoted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_paths_are_told_from_other_files() {
        assert!(is_shard_path(&shard_path("6f62")));
        assert!(shard_path("6f62").starts_with(&format!("{SEARCH_DIR}/")));
        assert!(!is_shard_path("search/t/notes/index.html"));
        assert!(!is_shard_path("search/docs.json"));
    }

    #[test]
    fn page_texts_keep_headings_apart_from_their_sections() {
        let rendered = Rendered {
            text: "Intro  text\nWhy\nFirst block \n Second \"<b>\"\n".into(),
            heading_spans: vec![(12, 15)],
            ..Default::default()
        };
        let file = text_file(3, &rendered, &[]);
        assert_eq!(file.path, "search/t/doc-3.json");
        assert!(is_shard_path(&file.path));
        let Contents::Bytes(bytes) = file.contents else {
            panic!("text files are made in memory");
        };
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"[["","Intro  text"],["Why","First block \n Second \"\u003cb>\""]]"#
        );
    }

    #[test]
    fn page_texts_are_json_strings_as_serde_json_writes_them() {
        for text in [
            "plain",
            "a \"quote\" \\ and\nlines\ttab\r",
            "ctl \u{1}\u{1f}",
            "café <b>",
        ] {
            let mut json = Vec::new();
            push_json_text(&mut json, text);
            let mut expected = String::new();
            push_json_string(&mut expected, text);
            assert_eq!(String::from_utf8(json).unwrap(), expected);
        }
    }

    #[test]
    fn shards_are_named_by_the_first_two_characters() {
        assert_eq!(shard_of("objection"), "6f62");
        assert_eq!(shard_of("éa"), "c3a961");
    }
}
