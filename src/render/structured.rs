//! Structured data (schema.org JSON-LD) for pages, so search engines and
//! learning platforms know a track is a course and an exercise has a quiz.
//! It holds no URLs: the contract keeps `base_url` to the sitemap, the feed
//! and canonical links, and the canonical link already names the page.
//!
//! Each object is a struct serialized straight to text, its fields in the
//! order of their names (as a sorted map would write them), absent ones
//! left out.

use serde::Serialize;

use super::views::Derived;
use crate::content::frontmatter::{Difficulty, QuizAnswer, QuizQuestion};
use crate::content::{Details, Kind};
use crate::site::{PageId, Site};

/// The JSON-LD of a page, ready to sit inside `<script type="application/ld+json">`,
/// or `None` for kinds without a schema.org type here.
pub fn json_ld(site: &Site, derived: &Derived, index: PageId) -> Option<String> {
    let description = describe(site, derived, index)?;
    // Only strings and structs of them: serializing cannot fail.
    let text = serde_json::to_string(&description).ok()?;
    // `</script>` or `<!--` inside a string would end the script element.
    Some(if text.contains('<') {
        text.replace('<', "\\u003c")
    } else {
        text
    })
}

/// A page as schema.org sees it: the fields of every kind, `None` where a
/// kind has no such field.
#[derive(Serialize)]
struct Description<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contributor: Vec<Named<'a>>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "educationalLevel", skip_serializing_if = "Option::is_none")]
    educational_level: Option<Level<'a>>,
    #[serde(rename = "hasPart", skip_serializing_if = "Option::is_none")]
    has_part: Option<Parts<'a>>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "jobTitle", skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(
        rename = "learningResourceType",
        skip_serializing_if = "Option::is_none"
    )]
    learning_resource_type: Option<&'static str>,
    name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    teaches: Option<Teaches<'a>>,
    #[serde(rename = "timeRequired", skip_serializing_if = "Option::is_none")]
    time_required: Option<String>,
    #[serde(rename = "worksFor", skip_serializing_if = "Option::is_none")]
    works_for: Option<Named<'a>>,
}

/// `{"@type": …, "name": …}`: a person, an organization, a track's part.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Level<'a> {
    Difficulty(Difficulty),
    Named(&'a str),
}

#[derive(Serialize)]
#[serde(untagged)]
enum Parts<'a> {
    /// An exercise's self-check.
    Quiz {
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "hasPart")]
        questions: Vec<Question<'a>>,
    },
    /// A track's items.
    Items(Vec<Named<'a>>),
}

#[derive(Serialize)]
struct Question<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "acceptedAnswer")]
    accepted_answer: Accepted<'a>,
    #[serde(rename = "eduQuestionType")]
    question_type: &'static str,
    name: &'a str,
    #[serde(rename = "suggestedAnswer")]
    suggested_answers: Vec<Answer<'a>>,
}

/// One right answer as an object (as before lists were allowed), several
/// as a list: schema.org allows both.
#[derive(Serialize)]
#[serde(untagged)]
enum Accepted<'a> {
    One(Answer<'a>),
    Many(Vec<Answer<'a>>),
}

#[derive(Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Teaches<'a> {
    /// An exercise's objective.
    One(&'a str),
    /// An interview's "what you'll learn".
    Many(&'a [String]),
}

fn describe<'a>(site: &'a Site, _derived: &Derived, index: PageId) -> Option<Description<'a>> {
    let page = &site.pages[index];
    let mut description = Description {
        context: "https://schema.org",
        kind: "LearningResource",
        contributor: Vec::new(),
        date_modified: page.common.updated.as_deref(),
        date_published: page.date(),
        description: page.common.summary.as_deref(),
        educational_level: None,
        has_part: None,
        in_language: &site.config.language,
        job_title: None,
        keywords: (!page.common.tags.is_empty() && page.kind != Kind::Speaker)
            .then(|| page.common.tags.join(", ")),
        learning_resource_type: None,
        name: page.title(),
        same_as: Vec::new(),
        teaches: None,
        time_required: None,
        works_for: None,
    };
    let minutes = |m: &Option<u32>| m.map(|m| format!("PT{m}M"));
    match &page.details {
        Details::Exercise(fields) => {
            description.learning_resource_type = Some("exercise");
            description.educational_level = fields.difficulty.map(Level::Difficulty);
            description.teaches = fields.objective.as_deref().map(Teaches::One);
            description.time_required = minutes(&fields.duration_minutes);
            if !fields.quiz.is_empty() {
                description.has_part = Some(Parts::Quiz {
                    kind: "Quiz",
                    questions: fields.quiz.iter().map(question).collect(),
                });
            }
        }
        Details::Interview(fields) => {
            description.learning_resource_type = Some("interview notes");
            description.time_required = minutes(&fields.duration_minutes);
            let resolved = &site.resolved(index);
            description.contributor = resolved
                .host
                .iter()
                .chain(&resolved.guests)
                .map(|&speaker| Named {
                    kind: "Person",
                    name: site.pages[speaker].title(),
                })
                .collect();
            if !fields.learn.is_empty() {
                description.teaches = Some(Teaches::Many(&fields.learn));
            }
        }
        Details::Track(fields) => {
            description.kind = "Course";
            description.educational_level = fields.level.as_deref().map(Level::Named);
            let items = site.resolved(index).items.iter().map(|&item| Named {
                kind: "LearningResource",
                name: site.pages[item].title(),
            });
            description.has_part = Some(Parts::Items(items.collect()));
        }
        Details::Speaker(fields) => {
            description.kind = "Person";
            description.job_title = fields.role.as_deref();
            description.works_for = fields.company.as_deref().map(|name| Named {
                kind: "Organization",
                name,
            });
            description.same_as = fields.links.iter().map(|l| l.url.as_str()).collect();
        }
        Details::Home | Details::Page => return None,
    }
    Some(description)
}

fn question(question: &QuizQuestion) -> Question<'_> {
    let right = question.answer.right_choices();
    let (accepted_answer, question_type) = match &question.answer {
        QuizAnswer::One(choice) => (Accepted::One(answer(choice)), "Multiple choice"),
        QuizAnswer::Many(_) => (
            Accepted::Many(right.iter().map(|choice| answer(choice)).collect()),
            "Checkbox",
        ),
    };
    Question {
        kind: "Question",
        accepted_answer,
        question_type,
        name: &question.question,
        suggested_answers: question
            .choices
            .iter()
            .filter(|choice| !right.contains(choice))
            .map(|choice| answer(choice))
            .collect(),
    }
}

fn answer(text: &str) -> Answer<'_> {
    Answer {
        kind: "Answer",
        text,
    }
}
