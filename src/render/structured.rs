//! Structured data (schema.org JSON-LD) for pages, so search engines and
//! learning platforms know a track is a course and an exercise has a quiz.
//! It holds no URLs: the contract keeps `base_url` to the sitemap, the feed
//! and canonical links, and the canonical link already names the page.

use serde_json::{json, Map, Value};

use super::views::Derived;
use crate::content::{Details, Kind};
use crate::site::Site;

/// The JSON-LD of a page, ready to sit inside `<script type="application/ld+json">`,
/// or `None` for kinds without a schema.org type here.
pub fn json_ld(site: &Site, derived: &Derived, index: usize) -> Option<String> {
    let value = describe(site, derived, index)?;
    // `</script>` or `<!--` inside a string would end the script element.
    Some(value.to_string().replace('<', "\\u003c"))
}

fn describe(site: &Site, _derived: &Derived, index: usize) -> Option<Value> {
    let page = &site.pages[index];
    let mut object = Map::new();
    object.insert("@context".into(), json!("https://schema.org"));
    let summary = page.common.summary.as_deref();
    match &page.details {
        Details::Exercise(fields) => {
            object.insert("@type".into(), json!("LearningResource"));
            object.insert("learningResourceType".into(), json!("exercise"));
            insert_opt(
                &mut object,
                "educationalLevel",
                fields.difficulty.map(|d| json!(d)),
            );
            insert_opt(
                &mut object,
                "teaches",
                fields.objective.as_deref().map(|o| json!(o)),
            );
            insert_opt(
                &mut object,
                "timeRequired",
                fields.duration_minutes.map(|m| json!(format!("PT{m}M"))),
            );
            if !fields.quiz.is_empty() {
                let questions: Vec<Value> = fields
                    .quiz
                    .iter()
                    .map(|q| {
                        json!({
                            "@type": "Question",
                            "name": q.question,
                            "eduQuestionType": "Multiple choice",
                            "acceptedAnswer": {"@type": "Answer", "text": q.answer},
                            "suggestedAnswer": q.choices.iter().filter(|c| **c != q.answer)
                                .map(|c| json!({"@type": "Answer", "text": c})).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                object.insert(
                    "hasPart".into(),
                    json!({"@type": "Quiz", "hasPart": questions}),
                );
            }
        }
        Details::Interview(fields) => {
            object.insert("@type".into(), json!("LearningResource"));
            object.insert("learningResourceType".into(), json!("interview notes"));
            insert_opt(
                &mut object,
                "timeRequired",
                fields.duration_minutes.map(|m| json!(format!("PT{m}M"))),
            );
            let resolved = &site.resolved[index];
            let people: Vec<Value> = resolved
                .host
                .iter()
                .chain(&resolved.guests)
                .map(|&speaker| json!({"@type": "Person", "name": site.pages[speaker].title()}))
                .collect();
            if !people.is_empty() {
                object.insert("contributor".into(), json!(people));
            }
            if !fields.learn.is_empty() {
                object.insert("teaches".into(), json!(fields.learn));
            }
        }
        Details::Track(fields) => {
            object.insert("@type".into(), json!("Course"));
            insert_opt(
                &mut object,
                "educationalLevel",
                fields.level.as_deref().map(|l| json!(l)),
            );
            let parts: Vec<Value> = site.resolved[index]
                .items
                .iter()
                .map(|&item| json!({"@type": "LearningResource", "name": site.pages[item].title()}))
                .collect();
            object.insert("hasPart".into(), json!(parts));
        }
        Details::Speaker(fields) => {
            object.insert("@type".into(), json!("Person"));
            insert_opt(
                &mut object,
                "jobTitle",
                fields.role.as_deref().map(|r| json!(r)),
            );
            insert_opt(
                &mut object,
                "worksFor",
                fields
                    .company
                    .as_deref()
                    .map(|c| json!({"@type": "Organization", "name": c})),
            );
            let links: Vec<&str> = fields.links.iter().map(|l| l.url.as_str()).collect();
            if !links.is_empty() {
                object.insert("sameAs".into(), json!(links));
            }
        }
        Details::Home | Details::Page => return None,
    }
    object.insert("name".into(), json!(page.title()));
    insert_opt(&mut object, "description", summary.map(|s| json!(s)));
    insert_opt(&mut object, "inLanguage", Some(json!(site.config.language)));
    insert_opt(&mut object, "datePublished", page.date().map(|d| json!(d)));
    insert_opt(
        &mut object,
        "dateModified",
        page.common.updated.as_deref().map(|d| json!(d)),
    );
    if !page.common.tags.is_empty() && page.kind != Kind::Speaker {
        object.insert("keywords".into(), json!(page.common.tags.join(", ")));
    }
    Some(Value::Object(object))
}

fn insert_opt(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_string(), value);
    }
}
