//! Skeleton files for `salesbook new` and `salesbook init`.

use crate::cli::NewKind;

/// A YAML double-quoted string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The front matter skeleton and starter body of a new page. `items` are
/// refs a new track starts with.
pub fn skeleton(kind: NewKind, title: &str, date: &str, items: &[String]) -> String {
    let title = quoted(title);
    match kind {
        NewKind::Interview => format!(
            "---
title: {title}
date: {date}
# summary: One sentence shown in lists and search.
# tags: [practice]
# host: speaker-slug            (a file in content/speakers/)
# guests: [speaker-slug]
learn:
  - What the reader will learn
takeaways:
  - The one thing to remember
# duration_minutes: 30
# source: https://example.com/original-recording
# media: /media/recording.mp3  (a file in static/, or an https:// address)
# transcript: /media/recording.vtt  (a WebVTT file in static/)
# draft: true
---

## The first topic

Notes in your own words. A quote is a blockquote whose last line names the
speaker:

> A short quote from the conversation.
>
> — Speaker Name
"
        ),
        NewKind::Exercise => format!(
            "---
title: {title}
date: {date}
# summary: One sentence shown in lists and search.
# tags: [practice]
objective: What the learner can do after practising this
difficulty: beginner            # beginner, intermediate or advanced
duration_minutes: 15
attempts: 3                     # tries before judging it, 1 to 10
# review: [2, 7, 21]            # days after the last attempt to practise again, or false
# related: [interviews/some-interview]
reflection:
  - What happened?
  - What will you tweak next time?
# quiz:
#   - question: Which comes first?
#     choices: [Listen, Pitch]
#     answer: Listen
#     explain: Listening first shows what matters to the buyer.
#   - question: Which show you listened?
#     choices: [A summary, A follow-up question, A discount]
#     answer: [A summary, A follow-up question]   # several right answers
# draft: true
---

## How to run it

1. The first step.
2. The second step.
"
        ),
        NewKind::Track => {
            let items = if items.is_empty() {
                "items:\n  - exercises/some-exercise   # refs, in order\n".to_string()
            } else {
                let list: String = items.iter().map(|item| format!("  - {item}\n")).collect();
                format!("items:                          # refs, in order\n{list}")
            };
            format!(
                "---
title: {title}
date: {date}
# summary: One sentence shown in lists and search.
level: beginner
{items}# draft: true
---

What this path is for, and how long it takes.
"
            )
        }
        NewKind::Speaker => format!(
            "---
name: {title}
# role: Sales trainer
# company: Company name
# photo: /images/photo.jpg       (a file in static/)
# links:
#   - label: Website
#     url: https://example.com
---

A short biography.
"
        ),
    }
}

impl NewKind {
    pub fn folder(self) -> &'static str {
        match self {
            NewKind::Interview => "interviews",
            NewKind::Exercise => "exercises",
            NewKind::Track => "tracks",
            NewKind::Speaker => "speakers",
        }
    }
}

/// The files of a new site: (path, contents).
pub fn new_site(title: &str, date: &str) -> Vec<(String, String)> {
    let interview = skeleton(NewKind::Interview, "A first interview", date, &[])
        .replace(
            "# host: speaker-slug            (a file in content/speakers/)",
            "host: first-speaker",
        )
        .replace("— Speaker Name", "— First Speaker");
    let exercise = skeleton(NewKind::Exercise, "A first exercise", date, &[]).replace(
        "# related: [interviews/some-interview]",
        "related: [interviews/first-interview]",
    );
    let track = skeleton(
        NewKind::Track,
        "Getting started",
        date,
        &[
            "interviews/first-interview".to_string(),
            "exercises/first-exercise".to_string(),
        ],
    );
    vec![
        ("site.yaml".to_string(), format!("title: {}\ndescription: Practise what puts bread on your table.\nlanguage: en\n", quoted(title))),
        (
            "content/_index.md".to_string(),
            format!("---\ntitle: {}\n---\n\nWelcome. Start with the [Getting started](tracks/getting-started.md) track.\n", quoted(title)),
        ),
        ("content/interviews/first-interview.md".to_string(), interview),
        ("content/exercises/first-exercise.md".to_string(), exercise),
        ("content/tracks/getting-started.md".to_string(), track),
        ("content/speakers/first-speaker.md".to_string(), skeleton(NewKind::Speaker, "First Speaker", date, &[])),
        // What a build makes is not source: the output and the resized photos.
        (".gitignore".to_string(), "/public/\n/.salesbook-cache/\n".to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_quoted_for_yaml() {
        let text = skeleton(NewKind::Exercise, "Say \"no\": politely", "2026-01-01", &[]);
        assert!(text.contains("title: \"Say \\\"no\\\": politely\""));
    }
}
