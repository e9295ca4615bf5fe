//! Front matter: splitting it from the body and parsing it into the typed
//! fields of each kind of page.

use serde::Deserialize;

use super::kind::Kind;
use super::quiz::check_answer;
pub use super::quiz::QuizAnswer;
use super::roleplay::Role;
use super::slug::{is_safe_segment, MAX_SEGMENT_BYTES};
use crate::diagnostics::Diagnostic;
use crate::review::Review;
use crate::text::is_valid_date;
use crate::yaml::Document;

/// A file split at its front matter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Splits `text` (BOM already removed) into front matter and body. The
/// front matter sits between a first line `---` and the next line `---`
/// (or `...`); CRLF line ends are accepted.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err(
            Diagnostic::error("", Some(1), "the file does not start with front matter")
                .with_hint("put a line `---` first, then `title: ...`, then a closing `---`"),
        );
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error("", Some(1), "the front matter is never closed")
            .with_hint("add a line `---` after the last front matter field"),
    )
}

// Each struct below declares a kind's front matter fields once: the keys a
// page may have, the did-you-mean candidates and the keys said to belong to
// another kind all derive from them (see `keys_of`). A new field also goes
// into `AllFields` and its `into_front_matter`, which a test checks.

/// Fields every kind of page has.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Common {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub extra: Option<serde_json::Value>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InterviewFields {
    pub host: Option<String>,
    pub guests: Vec<String>,
    pub learn: Vec<String>,
    pub takeaways: Vec<String>,
    pub duration_minutes: Option<u32>,
    pub source: Option<String>,
    pub media: Option<String>,
    pub transcript: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizQuestion {
    pub question: String,
    pub choices: Vec<String>,
    pub answer: QuizAnswer,
    #[serde(default)]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ExerciseFields {
    pub objective: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub duration_minutes: Option<u32>,
    pub attempts: Option<u32>,
    pub related: Vec<String>,
    pub reflection: Vec<String>,
    pub quiz: Vec<QuizQuestion>,
    pub roles: Vec<Role>,
    pub rubric: Vec<String>,
    pub model_answer: Option<String>,
    /// Where `model_answer`'s Markdown starts in the file.
    #[serde(skip)]
    pub model_answer_start: super::roleplay::Start,
    pub review: Option<Review>,
}

pub const DEFAULT_ATTEMPTS: u32 = 3;
pub const MAX_ATTEMPTS: u32 = 10;

impl ExerciseFields {
    pub fn attempts(&self) -> u32 {
        self.attempts.unwrap_or(DEFAULT_ATTEMPTS)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TrackFields {
    pub items: Vec<String>,
    pub level: Option<String>,
    /// The quiz score (0–100) that passes the track in an LMS package.
    pub mastery_score: Option<i64>,
}

/// The highest `mastery_score`: a percentage.
pub const MAX_MASTERY_SCORE: i64 = 100;

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerLink {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SpeakerFields {
    pub name: Option<String>,
    pub role: Option<String>,
    pub company: Option<String>,
    pub photo: Option<String>,
    pub links: Vec<SpeakerLink>,
}

/// The fields of one kind of page.
#[derive(Debug, Clone)]
pub enum Details {
    Home,
    Page,
    Interview(InterviewFields),
    Exercise(ExerciseFields),
    Track(TrackFields),
    Speaker(SpeakerFields),
}

/// Every field of every kind, parsed in one pass and then split by kind.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AllFields {
    title: Option<String>,
    summary: Option<String>,
    date: Option<String>,
    updated: Option<String>,
    tags: Vec<String>,
    draft: bool,
    slug: Option<String>,
    weight: Option<i64>,
    extra: Option<serde_json::Value>,
    aliases: Vec<String>,
    host: Option<String>,
    guests: Vec<String>,
    learn: Vec<String>,
    takeaways: Vec<String>,
    duration_minutes: Option<u32>,
    source: Option<String>,
    media: Option<String>,
    transcript: Option<String>,
    objective: Option<String>,
    difficulty: Option<Difficulty>,
    attempts: Option<u32>,
    related: Vec<String>,
    reflection: Vec<String>,
    quiz: Vec<QuizQuestion>,
    roles: Vec<Role>,
    rubric: Vec<String>,
    model_answer: Option<String>,
    review: Option<Review>,
    items: Vec<String>,
    level: Option<String>,
    mastery_score: Option<i64>,
    name: Option<String>,
    role: Option<String>,
    company: Option<String>,
    photo: Option<String>,
    links: Vec<SpeakerLink>,
}

impl AllFields {
    fn into_front_matter(self, kind: Kind) -> FrontMatter {
        let common = Common {
            title: self.title,
            summary: self.summary,
            date: self.date,
            updated: self.updated,
            tags: self.tags,
            draft: self.draft,
            slug: self.slug,
            weight: self.weight,
            extra: self.extra,
            aliases: self.aliases,
        };
        let details = match kind {
            Kind::Home => Details::Home,
            Kind::Page | Kind::Section => Details::Page,
            Kind::Interview => Details::Interview(InterviewFields {
                host: self.host,
                guests: self.guests,
                learn: self.learn,
                takeaways: self.takeaways,
                duration_minutes: self.duration_minutes,
                source: self.source,
                media: self.media,
                transcript: self.transcript,
            }),
            Kind::Exercise => Details::Exercise(ExerciseFields {
                objective: self.objective,
                difficulty: self.difficulty,
                duration_minutes: self.duration_minutes,
                attempts: self.attempts,
                related: self.related,
                reflection: self.reflection,
                quiz: self.quiz,
                roles: self.roles,
                rubric: self.rubric,
                model_answer: self.model_answer,
                model_answer_start: Default::default(),
                review: self.review,
            }),
            Kind::Track => Details::Track(TrackFields {
                items: self.items,
                level: self.level,
                mastery_score: self.mastery_score,
            }),
            Kind::Speaker => Details::Speaker(SpeakerFields {
                name: self.name,
                role: self.role,
                company: self.company,
                photo: self.photo,
                links: self.links,
            }),
        };
        FrontMatter { common, details }
    }
}

/// Parsed and checked front matter: everything that can be said about one
/// file without looking at the others.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub common: Common,
    pub details: Details,
}

impl FrontMatter {
    /// Default fields for a page whose front matter did not parse.
    pub fn empty(kind: Kind) -> Self {
        let details = match kind {
            Kind::Home => Details::Home,
            Kind::Page | Kind::Section => Details::Page,
            Kind::Interview => Details::Interview(InterviewFields::default()),
            Kind::Exercise => Details::Exercise(ExerciseFields::default()),
            Kind::Track => Details::Track(TrackFields::default()),
            Kind::Speaker => Details::Speaker(SpeakerFields::default()),
        };
        FrontMatter {
            common: Common::default(),
            details,
        }
    }
}

/// Parses front matter for a page of `kind`. `file` is the path shown in
/// diagnostics. All problems are returned, not just the first.
pub fn parse(
    kind: Kind,
    yaml: &str,
    yaml_line: usize,
    file: &str,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let document = Document::new(yaml, yaml_line);
    let allowed: Vec<&str> = keys_of::<Common>()
        .iter()
        .chain(own_keys(kind))
        .copied()
        .collect();
    let elsewhere = keys_of_other_kinds(kind);
    let mut problems = document.check_keys(file, &allowed, &elsewhere);

    // One parse into every field of every kind; keys of other kinds were
    // reported above, so only the kind's own fields can be set.
    let Some(read) = document.deserialize::<AllFields>(file, &mut problems) else {
        return Err(problems);
    };
    let mut front = read.value.into_front_matter(kind);
    if let Details::Exercise(fields) = &mut front.details {
        let answer = super::roleplay::locate(&mut fields.roles, &document, yaml, yaml_line);
        fields.model_answer_start = answer.unwrap_or_default();
    }
    problems.extend(check(&front, kind, &document, file, &read.bad_keys));
    if problems.is_empty() {
        Ok(front)
    } else {
        Err(problems)
    }
}

/// [`crate::yaml::simple_reader_agrees`] for front matter: whether the
/// simple reader reads `yaml`, and how it differs from the full parser if
/// it does (for the fuzz checks).
pub fn simple_reader_agrees(yaml: &str) -> Result<bool, String> {
    crate::yaml::simple_reader_agrees::<AllFields>(yaml)
}

/// Keys an unknown key may be meant as: those of other kinds of page, with
/// who owns them, then those of other generators, with salesbook's word.
fn keys_of_other_kinds(kind: Kind) -> Vec<(&'static str, &'static str)> {
    let mut elsewhere = Vec::new();
    let mine = own_keys(kind);
    for other in Kind::ALL {
        if other == kind {
            continue;
        }
        for key in own_keys(other) {
            if !mine.contains(key) && !elsewhere.iter().any(|(k, _)| k == key) {
                elsewhere.push((*key, key_owner_hint(other)));
            }
        }
    }
    elsewhere.extend(super::other_keys::hints());
    elsewhere
}

/// Front matter keys `kind` has beyond the common ones.
pub fn own_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Home | Kind::Page | Kind::Section => &[],
        Kind::Interview => keys_of::<InterviewFields>(),
        Kind::Exercise => keys_of::<ExerciseFields>(),
        Kind::Track => keys_of::<TrackFields>(),
        Kind::Speaker => keys_of::<SpeakerFields>(),
    }
}

/// Said of a key `kind` owns when it shows up on another kind.
fn key_owner_hint(kind: Kind) -> &'static str {
    match kind {
        Kind::Home | Kind::Page | Kind::Section => "",
        Kind::Interview => "that key belongs to interviews (content/interviews/)",
        Kind::Exercise => "that key belongs to exercises (content/exercises/)",
        Kind::Track => "that key belongs to tracks (content/tracks/)",
        Kind::Speaker => "that key belongs to speakers (content/speakers/)",
    }
}

/// The keys of a struct of fields, as its derived `Deserialize` names them
/// (in declaration order): serde hands them to `deserialize_struct`, which
/// [`KeysOf`] keeps and then stops.
fn keys_of<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    let mut keys: &'static [&'static str] = &[];
    let _ = T::deserialize(KeysOf(&mut keys));
    keys
}

/// A deserializer that reads nothing: it only learns a struct's keys.
struct KeysOf<'a>(&'a mut &'static [&'static str]);

/// How [`KeysOf`] stops every deserialization.
#[derive(Debug)]
struct KeysOnly;

impl std::fmt::Display for KeysOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("only the keys were asked for")
    }
}

impl std::error::Error for KeysOnly {}

impl serde::de::Error for KeysOnly {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        KeysOnly
    }
}

impl<'de> serde::Deserializer<'de> for KeysOf<'_> {
    type Error = KeysOnly;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, KeysOnly> {
        Err(KeysOnly)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, KeysOnly> {
        *self.0 = fields;
        Err(KeysOnly)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// Checks of values that serde's types cannot express. Keys in `bad_keys`
/// had values of the wrong type, already reported: they are not missing.
fn check(
    front: &FrontMatter,
    kind: Kind,
    document: &Document,
    file: &str,
    bad_keys: &[&str],
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at = |key: &str| document.key_line(key).or(Some(1));
    let common = &front.common;
    let missing = |key: &str, value: Option<&str>| {
        !bad_keys.contains(&key) && value.is_none_or(|v| v.trim().is_empty())
    };

    let needs_title = kind != Kind::Speaker;
    if needs_title && missing("title", common.title.as_deref()) {
        problems.push(
            Diagnostic::error(file, Some(1), "missing `title`")
                .with_hint("add a line `title: ...` to the front matter"),
        );
    }
    // The pages below a section take their URLs from the folder's name.
    if kind == Kind::Section && common.slug.is_some() {
        problems.push(
            Diagnostic::error(file, at("slug"), "a section's URL is its folder's name")
                .with_hint("remove `slug:`, or rename the folder"),
        );
    }
    // Every page links home: a draft home page would leave no index.html.
    if kind == Kind::Home && common.draft {
        problems.push(
            Diagnostic::error(file, at("draft"), "the home page cannot be a draft")
                .with_hint("remove `draft: true`: every page links to the home page"),
        );
    }
    for key in ["date", "updated"] {
        let value = if key == "date" {
            &common.date
        } else {
            &common.updated
        };
        if let Some(value) = value {
            if !is_valid_date(value) {
                problems.push(
                    Diagnostic::error(file, at(key), format!("`{key}` is not a date: `{value}`"))
                        .with_hint("write it as YYYY-MM-DD, e.g. 2026-03-02"),
                );
            }
        }
    }
    if let Some(slug) = &common.slug {
        // Checked as it is used: composed (NFC), so `e` + U+0301 is `é`.
        let composed: String =
            unicode_normalization::UnicodeNormalization::nfc(slug.as_str()).collect();
        if !is_safe_segment(&composed) {
            problems.push(
                Diagnostic::error(
                    file,
                    at("slug"),
                    format!("`slug` cannot be used in a URL: {slug:?}"),
                )
                .with_hint("use letters, digits and dashes only, e.g. `slug: three-tries`"),
            );
        }
    }
    problems.extend(super::aliases::check(&common.aliases, document, file));
    for (index, tag) in common.tags.iter().enumerate() {
        let line = document.item_line("tags", index).or(at("tags"));
        let slug = super::slug::tag_slug(tag);
        if slug.is_empty() {
            problems.push(
                Diagnostic::error(file, line, format!("tag {tag:?} has no letters or digits"))
                    .with_hint("use words such as `objection-handling`"),
            );
        } else if slug.len() > MAX_SEGMENT_BYTES {
            problems.push(
                Diagnostic::error(
                    file,
                    line,
                    format!("this tag's topic URL would be longer than {MAX_SEGMENT_BYTES} bytes, more than a file name may be"),
                )
                .with_hint("use a shorter tag"),
            );
        }
    }

    match &front.details {
        Details::Interview(fields) => {
            if let Some(url) = &fields.source {
                problems.extend(check_url(url, file, at("source"), "source"));
            }
            problems.extend(super::media::check(
                fields.media.as_deref(),
                fields.transcript.as_deref(),
                file,
                &at,
            ));
        }
        Details::Exercise(fields) => problems.extend(check_exercise(fields, document, file)),
        Details::Track(fields) => {
            if fields.items.is_empty() && !bad_keys.contains(&"items") {
                problems.push(
                    Diagnostic::error(file, at("items"), "a track needs `items`").with_hint(
                        "list the pages in order, e.g. `items: [interviews/x, exercises/y]`",
                    ),
                );
            }
            let in_range = |s: &i64| (0..=MAX_MASTERY_SCORE).contains(s);
            if let Some(score) = fields.mastery_score.filter(|s| !in_range(s)) {
                problems.push(
                    Diagnostic::error(
                        file,
                        at("mastery_score"),
                        format!("`mastery_score` must be from 0 to {MAX_MASTERY_SCORE}, not {score}"),
                    )
                    .with_hint("it is the quiz score in percent that passes the track, e.g. `mastery_score: 80`"),
                );
            }
        }
        Details::Speaker(fields) => {
            if missing("name", fields.name.as_deref()) {
                problems.push(
                    Diagnostic::error(file, Some(1), "missing `name`")
                        .with_hint("add a line `name: Full Name` to the front matter"),
                );
            }
            if let Some(photo) = &fields.photo {
                problems.extend(check_url(photo, file, at("photo"), "photo"));
            }
            for (index, link) in fields.links.iter().enumerate() {
                let line = document.item_line("links", index).or(at("links"));
                problems.extend(check_url(&link.url, file, line, "links.url"));
            }
        }
        Details::Home | Details::Page => {}
    }
    problems
}

fn check_exercise(fields: &ExerciseFields, document: &Document, file: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if let Some(attempts) = fields.attempts {
        if !(1..=MAX_ATTEMPTS).contains(&attempts) {
            problems.push(
                Diagnostic::error(
                    file,
                    document.key_line("attempts"),
                    format!("`attempts` must be from 1 to {MAX_ATTEMPTS}, not {attempts}"),
                )
                .with_hint("the default is 3: try a technique three times before judging it"),
            );
        }
    }
    let answer = fields.model_answer.as_deref();
    let role_play = super::roleplay::check(&fields.roles, &fields.rubric, answer, document, file);
    problems.extend(role_play);
    for (index, question) in fields.quiz.iter().enumerate() {
        let line = document
            .item_line("quiz", index)
            .or(document.key_line("quiz"));
        let number = index + 1;
        if question.question.trim().is_empty() {
            problems.push(Diagnostic::error(
                file,
                line,
                format!("quiz question {number} has no text"),
            ));
        }
        if question.choices.len() < 2 {
            problems.push(
                Diagnostic::error(
                    file,
                    line,
                    format!("quiz question {number} needs at least two `choices`"),
                )
                .with_hint("list the possible answers, e.g. `choices: [Yes, No]`"),
            );
        }
        problems.extend(check_answer(
            &question.answer,
            &question.choices,
            number,
            file,
            line,
        ));
        let mut seen = std::collections::HashSet::new();
        if let Some(duplicate) = question.choices.iter().find(|c| !seen.insert(c.as_str())) {
            problems.push(Diagnostic::error(
                file,
                line,
                format!("quiz question {number} lists the choice {duplicate:?} twice"),
            ));
        }
    }
    if let Some(review) = &fields.review {
        problems.extend(crate::review::check(review, document, file));
    }
    problems
}

/// Rejects URL schemes that run code or embed content when clicked.
fn check_url(url: &str, file: &str, line: Option<usize>, key: &str) -> Option<Diagnostic> {
    let scheme_end = url.find(':')?;
    // Browsers skip leading spaces: ` data:...` is a `data:` URL.
    let scheme = url[..scheme_end].trim_start();
    let looks_like_scheme = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let lower = scheme.trim().to_ascii_lowercase();
    let safe = ["http", "https", "mailto", "tel"].contains(&lower.as_str());
    let control = url.chars().any(char::is_control);
    if (looks_like_scheme && !safe) || control || lower.contains("script") {
        Some(
            Diagnostic::error(file, line, format!("`{key}` has an unsafe URL: {url:?}"))
                .with_hint("use an http(s) address or a path such as /images/photo.jpg"),
        )
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_yaml_and_body_lines() {
        let split = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(split.yaml, "title: a\n");
        assert_eq!(split.yaml_line, 2);
        assert_eq!(split.body, "body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn split_accepts_crlf() {
        let split = split("---\r\ntitle: a\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(split.yaml, "title: a\r\n");
        assert_eq!(split.body, "body\r\n");
    }

    #[test]
    fn split_reports_missing_and_unclosed_fences() {
        assert!(split("title: a\n")
            .unwrap_err()
            .message
            .contains("does not start"));
        assert!(split("---\ntitle: a\n")
            .unwrap_err()
            .message
            .contains("never closed"));
        assert!(split("").is_err());
    }

    fn problems(kind: Kind, yaml: &str) -> Vec<String> {
        match parse(kind, yaml, 2, "f.md") {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn exercise_fields_are_typed_and_checked() {
        assert!(problems(
            Kind::Exercise,
            "title: x\nattempts: 3\ndifficulty: beginner\n"
        )
        .is_empty());
        let found = problems(Kind::Exercise, "title: x\nattempts: 11\n");
        assert!(
            found[0].starts_with("error: f.md:3: `attempts` must be from 1 to 10"),
            "{found:?}"
        );
        let found = problems(Kind::Exercise, "title: x\ndifficulty: hard\n");
        assert!(found[0].contains("must be one of"), "{found:?}");
        assert!(found[0].contains("not `hard`"), "{found:?}");
    }

    #[test]
    fn quiz_answer_must_be_a_choice() {
        let yaml = "title: x\nquiz:\n  - question: Q?\n    choices: [a, b]\n    answer: c\n";
        let found = problems(Kind::Exercise, yaml);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("error: f.md:4: quiz question 1: the answer \"c\""),
            "{found:?}"
        );
    }

    #[test]
    fn keys_are_the_fields_of_each_kind_in_order() {
        let common = keys_of::<Common>();
        assert_eq!(common[..3], ["title", "summary", "date"]);
        assert_eq!(own_keys(Kind::Track), ["items", "level", "mastery_score"]);
        assert!(own_keys(Kind::Page).is_empty());
    }

    #[test]
    fn every_field_of_every_kind_is_read_in_the_one_pass() {
        let mut declared: Vec<&str> = keys_of::<Common>().to_vec();
        for kind in Kind::ALL {
            for key in own_keys(kind) {
                if !declared.contains(key) {
                    declared.push(key);
                }
            }
        }
        declared.sort_unstable();
        let mut read = keys_of::<AllFields>().to_vec();
        read.sort_unstable();
        assert_eq!(declared, read, "AllFields must hold every kind's fields");
    }

    #[test]
    fn key_of_another_kind_says_where_it_belongs() {
        let found = problems(Kind::Interview, "title: x\nobjective: y\n");
        assert!(found[0].contains("unknown key `objective`"), "{found:?}");
        assert!(found[0].contains("exercise"), "{found:?}");
    }

    #[test]
    fn required_fields_per_kind() {
        assert!(problems(Kind::Interview, "summary: x\n")[0].contains("missing `title`"));
        assert!(problems(Kind::Speaker, "role: x\n")[0].contains("missing `name`"));
        assert!(problems(Kind::Track, "title: x\n")[0].contains("needs `items`"));
    }

    #[test]
    fn unsafe_urls_and_slugs_are_rejected() {
        let found = problems(Kind::Interview, "title: x\nsource: javascript:alert(1)\n");
        assert!(found[0].contains("unsafe URL"), "{found:?}");
        let found = problems(Kind::Interview, "title: x\nslug: ../../etc\n");
        assert!(found[0].contains("cannot be used in a URL"), "{found:?}");
        let found = problems(Kind::Interview, "title: x\nmedia: \" data:text/html,x\"\n");
        assert!(found[0].contains("must be a file of the site"), "{found:?}");
        assert!(problems(Kind::Interview, "title: x\nsource: https://e.com/a:b\n").is_empty());
    }
}
