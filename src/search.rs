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
//!   characters, so the index a page pays for stays small on a large site.
//!
//! Building is linear in the text: each page's words are counted once, when
//! its Markdown is rendered (and cached with it), then merged per shard.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use std::sync::Arc;

use crate::ascii::{alnum_run, eight_at};
use crate::content::{Details, Kind, Page};
use crate::markdown::Rendered;
use crate::render::{Contents, OutputFile};
use crate::site::{PageId, Site};

/// The pages a term finds, as (doc, score).
type Postings = Vec<(u32, u32)>;

/// Words of a text and how often each occurs, in no particular order,
/// stored compactly (one string, words separated by spaces): every page
/// keeps one, so on a large site the layout decides much of the memory
/// used.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TermCounts {
    words: Box<str>,
    counts: Box<[u16]>,
}

impl TermCounts {
    pub fn iter(&self) -> impl Iterator<Item = (&str, u16)> {
        self.words
            .split(' ')
            .filter(|w| !w.is_empty())
            .zip(self.counts.iter().copied())
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

pub const SEARCH_DIR: &str = "search";
pub const FORMAT_VERSION: u32 = 1;

const LONGEST_STOP_WORD: usize = 5;

/// Words too common to help find a page. The browser drops the same words
/// (search.js).
const STOP_WORDS: [&str; 56] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or",
    "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "too", "us", "was", "we", "were", "what", "when", "which", "who", "will", "with",
    "you", "your",
];

/// The longest word [`word_key`] holds.
const KEY_BYTES: usize = 8;

/// A word of at most [`KEY_BYTES`] bytes as one integer, its first byte
/// the most significant: no word holds a zero byte, so two words have the
/// same key only if they are the same, and keys sort as their words do.
const fn word_key(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut at = 0;
    while at < word.len() && at < KEY_BYTES {
        key |= (word[at] as u64) << (56 - 8 * at);
        at += 1;
    }
    key
}

/// The word a [`word_key`] holds.
fn key_word(key: u64) -> ([u8; KEY_BYTES], usize) {
    (
        key.to_be_bytes(),
        KEY_BYTES - key.trailing_zeros() as usize / 8,
    )
}

/// Multiplying a stop word's key by this and keeping the top eight bits
/// gives each stop word a slot of its own in [`STOP_WORD_SLOTS`]: a perfect
/// hash, so that checking a word is one multiplication and one comparison.
/// Any odd number that spreads the keys without a collision does; this one
/// was found by trying random ones, and building the table checks it.
const STOP_WORD_HASH: u64 = 0x301b_a988_0a3e_fb81;

const fn stop_word_slot(key: u64) -> usize {
    (key.wrapping_mul(STOP_WORD_HASH) >> 56) as usize
}

/// Each stop word's [`word_key`] at its [`stop_word_slot`]; 0 (no word's
/// key) elsewhere. Checking a word is then integer work, with no string
/// comparison, which matters on the hot path of indexing.
static STOP_WORD_SLOTS: [u64; 256] = {
    let mut slots = [0u64; 256];
    let mut at = 0;
    while at < STOP_WORDS.len() {
        let key = word_key(STOP_WORDS[at].as_bytes());
        assert!(
            slots[stop_word_slot(key)] == 0,
            "two stop words share a slot"
        );
        slots[stop_word_slot(key)] = key;
        at += 1;
    }
    slots
};

/// Whether `word` is too common to help find a page.
fn is_stop_word(word: &str) -> bool {
    is_stop_key(word_key(word.as_bytes()), word.len())
}

/// [`is_stop_word`] of a word given as its key and its length in bytes.
fn is_stop_key(key: u64, length: usize) -> bool {
    length <= LONGEST_STOP_WORD && STOP_WORD_SLOTS[stop_word_slot(key)] == key
}

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

/// Lower-cased words of letters and digits; apostrophes vanish inside a
/// word ("don't" is "dont"). The browser splits text the same way. The
/// build uses the faster [`for_each_word`]; this is its definition, for
/// the tests.
#[cfg(test)]
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    raw_words(text).filter_map(|word| normalize(word).map(|w| w.into_owned()))
}

#[cfg(test)]
fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|word| !word.is_empty())
}

/// A word as the index stores it, or `None` for stop words and single
/// characters. Borrows when the word is already lower case ASCII.
fn normalize(word: &str) -> Option<Cow<'_, str>> {
    let plain = word.bytes().all(|b| !b.is_ascii_uppercase() && b != b'\'')
        && (word.is_ascii() || !word.chars().any(|c| c.is_uppercase() || c == '’'));
    let word: Cow<str> = if plain {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(
            word.chars()
                .filter(|c| *c != '\'' && *c != '’')
                .flat_map(char::to_lowercase)
                .collect(),
        )
    };
    // Two characters at least; a non-ASCII character takes 2 or more bytes.
    let long_enough =
        word.len() >= 4 || (word.len() >= 2 && (word.is_ascii() || word.chars().count() >= 2));
    let stop = is_stop_word(&word);
    (long_enough && !stop).then_some(word)
}

pub fn count_terms(text: &str) -> TermCounts {
    KEY_COUNTS.with_borrow_mut(|short| {
        // Empty already, unless a count on this thread was cut short by a
        // panic (which a build reports as a problem of that page): its
        // words must not count for this text.
        short.clear();
        count_terms_with(text, short)
    })
}

thread_local! {
    /// Each thread's table for [`count_terms`], kept between pages: a
    /// page's count leaves it empty again.
    static KEY_COUNTS: std::cell::RefCell<KeyCounts> =
        std::cell::RefCell::new(KeyCounts::with_slots(KeyCounts::FIRST_SLOTS));
}

fn count_terms_with(text: &str, short: &mut KeyCounts) -> TermCounts {
    // Most words fit in a `word_key`: they are counted under an integer,
    // with no string to hash or compare. Longer ones are counted by their
    // text, borrowed from `text` where it is written as indexed.
    let mut long: FxHashMap<Cow<str>, u16> = FxHashMap::default();
    scan_words(text, |word, in_text| match word {
        Word::Short(key) => short.add(key),
        Word::Long(word) => {
            if let Some(count) = long.get_mut(word) {
                *count = count.saturating_add(1);
            } else {
                long.insert(key_of(word, in_text), 1);
            }
        }
    });
    // In no particular order: the index adds each page's words to a map.
    let short = short.take();
    let length =
        short.len() * (KEY_BYTES + 1) + long.keys().map(|word| word.len() + 1).sum::<usize>();
    // Bytes, checked for UTF-8 once at the end rather than word by word.
    let mut words: Vec<u8> = Vec::with_capacity(length);
    let mut counts = Vec::with_capacity(short.len() + long.len());
    for (key, count) in short {
        let (bytes, length) = key_word(key);
        words.extend_from_slice(&bytes[..length]);
        words.push(b' ');
        counts.push(count);
    }
    for (word, count) in long {
        words.extend_from_slice(word.as_bytes());
        words.push(b' ');
        counts.push(count);
    }
    // Each key holds a whole word of `text`, so this is always UTF-8.
    let words = String::from_utf8(words)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    TermCounts {
        words: words.into_boxed_str(),
        counts: counts.into_boxed_slice(),
    }
}

/// How often each [`word_key`] occurs in a text: the hot half of
/// [`count_terms`]. A table of (key, count) with linear probing, which does
/// less per word than a general hash map; a key is never 0 (a word has a
/// byte, and no byte of a word is 0), so 0 marks a free slot. The slots a
/// text used are listed, so that emptying the table for the next text
/// costs what the text used, not the table's size.
struct KeyCounts {
    slots: Vec<(u64, u16)>,
    used: Vec<usize>,
    /// 64 minus log2 of the number of slots: the top bits of a key's hash
    /// choose its first slot.
    shift: u32,
}

impl KeyCounts {
    /// Room for a long page's words (a page of 900 words has about 400
    /// different ones) before the table doubles.
    const FIRST_SLOTS: usize = 2048;

    fn with_slots(size: usize) -> Self {
        KeyCounts {
            slots: vec![(0, 0); size],
            used: Vec::with_capacity(size / 2),
            shift: 64 - size.trailing_zeros(),
        }
    }

    fn add(&mut self, key: u64) {
        if self.used.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let at = self.slot_of(key);
        let slot = &mut self.slots[at];
        if slot.0 == key {
            slot.1 = slot.1.saturating_add(1);
        } else {
            *slot = (key, 1);
            self.used.push(at);
        }
    }

    /// The slot that holds `key`, or the free one where it goes.
    fn slot_of(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        // Fibonacci hashing: the multiplication carries every bit of the
        // key into the top bits.
        let mut at = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        while self.slots[at].0 != key && self.slots[at].0 != 0 {
            at = (at + 1) & mask;
        }
        at
    }

    fn grow(&mut self) {
        let counts = self.take();
        *self = Self::with_slots(self.slots.len() * 2);
        for (key, count) in counts {
            let at = self.slot_of(key);
            self.slots[at] = (key, count);
            self.used.push(at);
        }
    }

    fn clear(&mut self) {
        for at in self.used.drain(..) {
            self.slots[at] = (0, 0);
        }
    }

    /// The keys and their counts, leaving the table empty.
    fn take(&mut self) -> Vec<(u64, u16)> {
        let slots = &mut self.slots;
        self.used
            .drain(..)
            .map(|at| std::mem::take(&mut slots[at]))
            .collect()
    }
}

/// One index word, as [`scan_words`] hands it over.
enum Word<'w> {
    /// A word of at most [`KEY_BYTES`] bytes, as its [`word_key`]: most
    /// words, counted with no string to build, hash or compare.
    Short(u64),
    /// A longer word.
    Long(&'w str),
}

impl<'w> Word<'w> {
    fn of(word: &'w str) -> Self {
        if word.len() <= KEY_BYTES {
            Word::Short(word_key(word.as_bytes()))
        } else {
            Word::Long(word)
        }
    }
}

/// Calls `found` with every index word of `text`, as `tokens` (the plain
/// definition, which the tests hold this loop to) would give it, without
/// allocating per word: the hot loop of indexing a page. ASCII words are
/// lower-cased byte by byte into a [`word_key`] (and into one buffer once
/// longer than a key); words with other letters go through [`normalize`].
/// The second argument is the same word as a slice of `text`, when it is
/// one (already lower case, no apostrophe), so a caller can keep it
/// without a copy.
fn scan_words<'t>(text: &'t str, mut found: impl FnMut(Word<'_>, Option<&'t str>)) {
    const CURLY_APOSTROPHE: &[u8] = "’".as_bytes();
    let bytes = text.as_bytes();
    let mut word = WordState::default();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii_alphanumeric() {
            let run = alnum_run(&bytes[at..]);
            let ends_word = match bytes.get(at + run) {
                Some(&next) => next < 0x80 && next != b'\'',
                None => true,
            };
            if word.start.is_none() && run <= KEY_BYTES && ends_word {
                // Most words: one run of letters and digits between plain
                // separators, short enough for a key. They need none of
                // the bookkeeping of words built from several pieces.
                let (key, changed) = run_key(bytes, at, run);
                if run >= 2 && !is_stop_key(key, run) {
                    let in_text = if changed {
                        None
                    } else {
                        text.get(at..at + run)
                    };
                    found(Word::Short(key), in_text);
                }
                // The byte after the word is a plain separator (or the
                // end): nothing to do there, so the scan goes past it.
                at += run + 1;
                continue;
            }
            word.start.get_or_insert(at);
            word.push_run(text, at, run);
            at += run;
        } else if byte == b'\'' {
            word.start.get_or_insert(at);
            word.changed = true;
            at += 1;
        } else if byte < 0x80 {
            if word.start.is_some() {
                word.finish(text, at, &mut found);
            }
            at += 1;
        } else if bytes[at..].starts_with(CURLY_APOSTROPHE) {
            word.start.get_or_insert(at);
            word.changed = true;
            at += CURLY_APOSTROPHE.len();
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            if c.is_alphanumeric() {
                word.start.get_or_insert(at);
                word.needs_unicode = true;
            } else {
                word.finish(text, at, &mut found);
            }
            at += c.len_utf8();
        }
    }
    word.finish(text, bytes.len(), &mut found);
}

/// [`scan_words`] with every word as text.
fn for_each_word<'t>(text: &'t str, mut found: impl FnMut(&str, Option<&'t str>)) {
    scan_words(text, |word, in_text| match word {
        Word::Short(key) => {
            let (bytes, length) = key_word(key);
            // The bytes of a whole word of `text`: always UTF-8.
            found(
                std::str::from_utf8(&bytes[..length]).unwrap_or_default(),
                in_text,
            );
        }
        Word::Long(word) => found(word, in_text),
    });
}

/// A word from [`for_each_word`] as a map key: borrowed from the text where
/// it is written there as indexed, else copied.
fn key_of<'t>(word: &str, in_text: Option<&'t str>) -> Cow<'t, str> {
    match in_text {
        Some(slice) => Cow::Borrowed(slice),
        None => Cow::Owned(word.to_string()),
    }
}

/// `bytes[at..at + run]` (1 to [`KEY_BYTES`] ASCII letters and digits),
/// lower-cased, as a [`word_key`], and whether lower-casing changed it.
/// All eight bytes at once, the bytes after the run masked off: letters
/// have bit 0x40 and digits do not, so setting 0x20 where 0x40 is set
/// lower-cases letters and keeps digits (and the zero padding) as they are.
fn run_key(bytes: &[u8], at: usize, run: usize) -> (u64, bool) {
    let raw = match eight_at(bytes, at) {
        // The first byte highest, as in a key.
        Some(eight) => eight.swap_bytes() & (u64::MAX << (8 * (KEY_BYTES - run))),
        None => {
            let mut chunk = [0u8; KEY_BYTES];
            chunk[..run].copy_from_slice(&bytes[at..at + run]);
            u64::from_be_bytes(chunk)
        }
    };
    let lowered = raw | ((raw & 0x4040_4040_4040_4040) >> 1);
    (lowered, lowered != raw)
}

/// The word [`scan_words`] is in the middle of.
#[derive(Default)]
struct WordState {
    start: Option<usize>,
    /// The word so far, lower-cased, without apostrophes (ASCII words):
    /// as a [`word_key`] while it fits one, then in `lowered` too.
    key: u64,
    length: usize,
    lowered: String,
    /// Whether a letter other than ASCII was met: [`normalize`] decides.
    needs_unicode: bool,
    /// Whether the lower-cased word differs from the word's text.
    changed: bool,
}

impl WordState {
    /// Hands the word that ends at `end` to `found`, if there is one and
    /// it is indexed, and starts the next.
    fn finish<'t>(
        &mut self,
        text: &'t str,
        end: usize,
        found: &mut impl FnMut(Word<'_>, Option<&'t str>),
    ) {
        if let Some(from) = self.start.take() {
            if self.needs_unicode {
                match normalize(&text[from..end]) {
                    Some(Cow::Borrowed(slice)) => found(Word::of(slice), Some(slice)),
                    Some(Cow::Owned(owned)) => found(Word::of(&owned), None),
                    None => {}
                }
            } else if self.length >= 2 {
                // `get`, which cannot panic, so that the slice is not made
                // at all where `found` does not use it.
                let in_text = if self.changed {
                    None
                } else {
                    text.get(from..end)
                };
                if self.length > KEY_BYTES {
                    found(Word::Long(&self.lowered), in_text);
                } else if !is_stop_key(self.key, self.length) {
                    found(Word::Short(self.key), in_text);
                }
            }
            self.key = 0;
            self.length = 0;
            self.lowered.clear();
            self.needs_unicode = false;
            self.changed = false;
        }
    }

    /// Adds `text[at..at + run]`, ASCII letters and digits, to the word.
    fn push_run(&mut self, text: &str, at: usize, run: usize) {
        let bytes = text.as_bytes();
        if self.length + run <= KEY_BYTES {
            let (lowered, changed) = run_key(bytes, at, run);
            self.changed |= changed;
            self.key |= lowered >> (8 * self.length);
            self.length += run;
        } else {
            if self.length <= KEY_BYTES {
                // Too long for a key: the word so far moves to `lowered`.
                let key = self.key.to_be_bytes();
                self.lowered
                    .extend(key[..self.length].iter().map(|&b| char::from(b)));
            }
            let added = &text[at..at + run];
            self.changed |= added.bytes().any(|b| b.is_ascii_uppercase());
            let from = self.lowered.len();
            self.lowered.push_str(added);
            self.lowered[from..].make_ascii_lowercase();
            self.length += run;
        }
    }
}

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
fn page_scores<'a>(page: &'a Page, rendered: &'a Rendered) -> FxHashMap<Cow<'a, str>, u32> {
    let mut scores =
        FxHashMap::with_capacity_and_hasher(rendered.terms.len() + 32, Default::default());
    for_each_score(page, rendered, |term, score| {
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
                for_each_score(&site.pages[index], site.rendered(index), |term, score| {
                    postings.entry(term).or_default().push((doc, score));
                });
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
    files
}

/// The search index kept between the rebuilds of `watch` and `serve`: a
/// changed page is scored again and only the shards holding its old or new
/// words are written again.
#[derive(Default)]
pub struct SearchIndex {
    /// The pages indexed, by doc id, as they were scored.
    docs: Vec<(Arc<Page>, Arc<Rendered>)>,
    postings: FxHashMap<String, Postings>,
    /// Each shard's file contents.
    shards: BTreeMap<String, Vec<u8>>,
    manifest: Option<OutputFile>,
}

impl SearchIndex {
    /// Brings the index up to date with `site` and returns all its files.
    pub fn update(&mut self, site: &Site) -> Vec<OutputFile> {
        let docs = searchable(site);
        let current: Vec<(Arc<Page>, Arc<Rendered>)> = docs
            .iter()
            .map(|&i| (site.pages[i].clone(), site.rendered(i).clone()))
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
                    !Arc::ptr_eq(&old.0, &new.0) || !Arc::ptr_eq(&old.1, &new.1)
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
        for &doc in &changed {
            let (page, rendered) = &current[doc];
            let scores = page_scores(page, rendered);
            let old_scores = if same_pages {
                let (old_page, old_rendered) = &self.docs[doc];
                rows_changed |= manifest_row(old_page) != manifest_row(page);
                page_scores(old_page, old_rendered)
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
/// summary.
fn manifest_row(page: &Page) -> [&str; 4] {
    let summary = page.common.summary.as_deref().unwrap_or_default();
    let summary = match summary.char_indices().nth(SUMMARY_CHARS) {
        Some((end, _)) => &summary[..end],
        None => summary,
    };
    [&page.url, page.kind.name(), page.title(), summary]
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
    fn tokens_are_lower_case_words_without_stop_words() {
        let words: Vec<String> =
            tokens("Don't give up: try it THREE times, the café way!").collect();
        assert_eq!(
            words,
            ["dont", "give", "up", "try", "three", "times", "café", "way"]
        );
    }

    #[test]
    fn stop_words_are_short_and_common() {
        for word in ["the", "and", "there", "your", "a"] {
            assert!(
                is_stop_word(word) && word.len() <= LONGEST_STOP_WORD,
                "{word}"
            );
        }
        for word in ["three", "call", "tweak"] {
            assert!(!is_stop_word(word), "{word}");
        }
        for word in STOP_WORDS {
            assert!(is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn the_fast_word_loop_agrees_with_tokens() {
        let text =
            "Don’t give up: Try it THREE times, the café way! It's a 2-step plan — O'Neil's ÉTÉ.";
        let mut fast = Vec::new();
        let mut slices = Vec::new();
        for_each_word(text, |word, in_text| {
            fast.push(word.to_string());
            slices.extend(in_text.map(|slice| (word.to_string(), slice)));
        });
        let slow: Vec<String> = tokens(text).collect();
        assert_eq!(fast, slow);
        // A word is handed over as a slice of the text only when it is
        // written exactly so there.
        for (word, slice) in &slices {
            assert_eq!(word, slice);
        }
        let verbatim: Vec<&str> = slices.iter().map(|(word, _)| word.as_str()).collect();
        assert_eq!(
            verbatim,
            ["give", "up", "times", "café", "way", "step", "plan"]
        );
    }

    #[test]
    fn counts_agree_with_counting_the_tokens() {
        let text = "Ask, ask again: the négociation closes when the négociateur \
            listens. Listening beats pitching; PITCHING is talking. Ask whether \
            stakeholders' questions matter — they do, to stakeholders.";
        let mut expected: BTreeMap<String, u16> = BTreeMap::new();
        for token in tokens(text) {
            *expected.entry(token).or_default() += 1;
        }
        let got: BTreeMap<String, u16> = count_terms(text)
            .iter()
            .map(|(w, c)| (w.to_string(), c))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn key_counts_survive_the_table_doubling_and_empty_it_for_the_next_text() {
        let mut counts = KeyCounts::with_slots(64);
        for round in 0..2u64 {
            let mut expected: BTreeMap<u64, u16> = BTreeMap::new();
            for n in 1..=20_000u64 {
                // Keys as words make them: high bytes set, low bytes zero.
                let key = (n % 7_000 + 1 + round) << 40;
                counts.add(key);
                *expected.entry(key).or_default() += 1;
            }
            assert_eq!(counts.slots.len(), 16_384);
            let expected: Vec<(u64, u16)> = expected.into_iter().collect();
            let mut counted = counts.take();
            counted.sort_unstable();
            assert_eq!(counted, expected);
            assert!(counts.slots.iter().all(|&slot| slot == (0, 0)));
            assert!(counts.used.is_empty());
        }
        // What a count cut short leaves behind, `clear` removes.
        counts.add(7 << 40);
        counts.clear();
        assert!(counts.slots.iter().all(|&slot| slot == (0, 0)));
        assert!(counts.take().is_empty());
    }

    #[test]
    fn the_fast_word_loop_agrees_with_tokens_on_random_text() {
        // Runs of every kind the loop treats apart: ASCII letters of both
        // cases and digits (runs shorter and longer than a key, across
        // apostrophes), other letters, marks, punctuation and spaces.
        const PIECES: [&str; 24] = [
            "a",
            "B",
            "z",
            "Q",
            "7",
            "0",
            "abcdefgh",
            "ABCDEFGHI",
            "Mixed",
            "'",
            "’",
            " ",
            "  ",
            ".",
            "-",
            "—",
            "é",
            "É",
            "ß",
            "İ",
            "e\u{301}",
            "中",
            "🙂",
            "\n",
        ];
        for text in crate::testing::random_texts(&PIECES, 3000, 30, 0x9E37_79B9_7F4A_7C15) {
            let mut fast = Vec::new();
            for_each_word(&text, |word, in_text| {
                if let Some(slice) = in_text {
                    assert_eq!(word, slice, "{text:?}");
                }
                fast.push(word.to_string());
            });
            let slow: Vec<String> = tokens(&text).collect();
            assert_eq!(fast, slow, "{text:?}");
            let mut expected: BTreeMap<String, u16> = BTreeMap::new();
            for token in slow {
                *expected.entry(token).or_default() += 1;
            }
            let counts = count_terms(&text);
            assert_eq!(counts.len(), expected.len(), "{text:?}");
            let got: BTreeMap<String, u16> =
                counts.iter().map(|(w, c)| (w.to_string(), c)).collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }

    #[test]
    fn word_keys_hold_words_of_up_to_eight_bytes_in_order() {
        let words = ["ab", "abc", "abd", "b", "café", "zzzzzzzz"];
        for pair in words.windows(2) {
            assert!(
                word_key(pair[0].as_bytes()) < word_key(pair[1].as_bytes()),
                "{pair:?}"
            );
        }
        for word in words {
            let (bytes, length) = key_word(word_key(word.as_bytes()));
            assert_eq!(&bytes[..length], word.as_bytes());
        }
    }

    #[test]
    fn stop_word_keys_find_exactly_the_stop_words() {
        for word in STOP_WORDS {
            assert!(is_stop_word(word), "{word}");
        }
        for word in ["", "th", "thee", "then ", "them1", "ab", "theirs", "anda"] {
            assert!(!is_stop_word(word), "{word:?}");
        }
    }

    #[test]
    fn the_stop_word_table_finds_no_other_word() {
        // Every word of one to four letters, and of five beginning with a
        // letter that begins a five-letter stop word.
        fn words(length: usize, first: &[u8], check: &mut dyn FnMut(&str)) {
            let mut word = vec![b'a'; length];
            for &letter in first {
                word[0] = letter;
                word[1..].fill(b'a');
                loop {
                    check(std::str::from_utf8(&word).unwrap_or_default());
                    // The next word, as an odometer turns.
                    let Some(at) = (1..length).rev().find(|&at| word[at] < b'z') else {
                        break;
                    };
                    word[at] += 1;
                    word[at + 1..].fill(b'a');
                }
            }
        }
        let mut checked = 0;
        let mut check = |word: &str| {
            assert_eq!(is_stop_word(word), STOP_WORDS.contains(&word), "{word}");
            checked += 1;
        };
        let letters: Vec<u8> = (b'a'..=b'z').collect();
        for length in 1..=4 {
            words(length, &letters, &mut check);
        }
        words(5, b"tw", &mut check);
        assert_eq!(
            checked,
            26 + 26usize.pow(2) + 26usize.pow(3) + 26usize.pow(4) + 2 * 26usize.pow(4)
        );
    }

    #[test]
    fn counts_hold_each_term_once_short_and_long_alike() {
        let counts = count_terms("practise tweak practise negotiation practise negotiation");
        let mut pairs: Vec<(&str, u16)> = counts.iter().collect();
        pairs.sort_unstable();
        assert_eq!(pairs, [("negotiation", 2), ("practise", 3), ("tweak", 1)]);
    }

    #[test]
    fn shard_paths_are_told_from_other_files() {
        assert!(is_shard_path(&shard_path("6f62")));
        assert!(shard_path("6f62").starts_with(&format!("{SEARCH_DIR}/")));
        assert!(!is_shard_path("search/t/notes/index.html"));
        assert!(!is_shard_path("search/docs.json"));
    }

    #[test]
    fn shards_are_named_by_the_first_two_characters() {
        assert_eq!(shard_of("objection"), "6f62");
        assert_eq!(shard_of("éa"), "c3a961");
    }
}
