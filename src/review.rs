//! Spaced review: the days after an exercise's last attempt when the
//! practice log asks the learner to practise it again. `review:` in
//! site.yaml sets them for the site, and an exercise's own `review:`
//! replaces them for that exercise; either may be `false` (no reviews).

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::yaml::Document;

/// The days when neither site.yaml nor the exercise says otherwise.
pub const DEFAULT_DAYS: &[u32] = &[2, 7, 21];

/// More reviews than this is a schedule no learner keeps.
pub const MAX_REVIEWS: usize = 10;

/// The latest day a review may fall on: a year after the last attempt.
pub const MAX_DAY: i64 = 365;

/// `review:` as written: days after the last attempt, or `false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Off,
    /// As written; [`check`] says what is wrong with them.
    Days(Vec<i64>),
}

impl<'de> Deserialize<'de> for Review {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ReviewVisitor)
    }
}

struct ReviewVisitor;

impl<'de> Visitor<'de> for ReviewVisitor {
    type Value = Review;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of days such as `[2, 7, 21]`, or `false`")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Review, E> {
        if value {
            Err(E::invalid_value(de::Unexpected::Bool(true), &self))
        } else {
            Ok(Review::Off)
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Review, A::Error> {
        let mut days = Vec::new();
        while let Some(day) = items.next_element::<i64>()? {
            days.push(day);
        }
        Ok(Review::Days(days))
    }
}

/// The review days of an exercise: its own `review:`, else the site's,
/// else [`DEFAULT_DAYS`]; none when reviews are off. Valid settings only
/// reach rendering, so out-of-range days cannot occur; they are skipped.
pub fn days(exercise: Option<&Review>, site: Option<&Review>) -> Vec<u32> {
    match exercise.or(site) {
        None => DEFAULT_DAYS.to_vec(),
        Some(Review::Off) => Vec::new(),
        Some(Review::Days(days)) => days
            .iter()
            .filter_map(|&day| u32::try_from(day).ok())
            .collect(),
    }
}

/// What is wrong with a `review:` list, each problem at its item's line:
/// days must be whole days from 1 to [`MAX_DAY`], each later than the one
/// before, at most [`MAX_REVIEWS`] of them.
pub fn check(review: &Review, document: &Document, file: &str) -> Vec<Diagnostic> {
    let Review::Days(days) = review else {
        return Vec::new();
    };
    let key_line = document.key_line("review");
    if days.is_empty() {
        return vec![Diagnostic::error(file, key_line, "`review` lists no days")
            .with_hint("list the days after the last attempt, e.g. `review: [2, 7, 21]`, or write `review: false` for no reviews")];
    }
    let mut problems = Vec::new();
    if days.len() > MAX_REVIEWS {
        problems.push(
            Diagnostic::error(
                file,
                key_line,
                format!(
                    "`review` lists {} days; at most {MAX_REVIEWS} reviews are allowed",
                    days.len()
                ),
            )
            .with_hint("keep the reviews that matter most, e.g. `review: [2, 7, 21, 60]`"),
        );
    }
    let mut previous: Option<i64> = None;
    for (index, &day) in days.iter().enumerate() {
        let line = document.item_line("review", index).or(key_line);
        let number = index + 1;
        if !(1..=MAX_DAY).contains(&day) {
            problems.push(
                Diagnostic::error(
                    file,
                    line,
                    format!("`review` day {number} is {day}; a review falls 1 to {MAX_DAY} days after the last attempt"),
                )
                .with_hint("count the days from the last attempt, e.g. `review: [2, 7, 21]`"),
            );
        } else if let Some(before) = previous.filter(|&before| day <= before) {
            problems.push(
                Diagnostic::error(
                    file,
                    line,
                    format!("`review` day {number} ({day}) does not come after day {index} ({before})"),
                )
                .with_hint("list the days from the earliest to the latest, each once, e.g. `review: [2, 7, 21]`"),
            );
        }
        previous = Some(day);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Holder {
        review: Option<Review>,
    }

    fn read(yaml: &str) -> Result<Option<Review>, String> {
        serde_yaml::from_str::<Holder>(yaml)
            .map(|h| h.review)
            .map_err(|e| e.to_string())
    }

    fn problems(yaml: &str) -> Vec<String> {
        let document = Document::new(yaml, 2);
        let review = read(yaml).expect("reads").expect("set");
        check(&review, &document, "f.md")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_list_of_days_or_false() {
        assert_eq!(
            read("review: [2, 7, 21]\n"),
            Ok(Some(Review::Days(vec![2, 7, 21])))
        );
        assert_eq!(read("review: false\n"), Ok(Some(Review::Off)));
        assert_eq!(read("review:\n"), Ok(None));
        assert!(read("review: true\n").is_err());
        assert!(read("review: soon\n").is_err());
    }

    #[test]
    fn the_exercise_wins_over_the_site_and_the_default_is_2_7_21() {
        let site = Review::Days(vec![3, 10]);
        assert_eq!(days(None, None), [2, 7, 21]);
        assert_eq!(days(None, Some(&site)), [3, 10]);
        assert_eq!(days(Some(&Review::Days(vec![1])), Some(&site)), [1]);
        assert!(days(Some(&Review::Off), Some(&site)).is_empty());
        assert!(days(None, Some(&Review::Off)).is_empty());
    }

    #[test]
    fn days_must_be_positive_ascending_and_few() {
        assert!(problems("review: [2, 7, 21]\n").is_empty());
        assert_eq!(
            problems("title: x\nreview:\n  - 2\n  - 0\n  - 7\n  - 7\n"),
            [
                "error: f.md:5: `review` day 2 is 0; a review falls 1 to 365 days after the last attempt (count the days from the last attempt, e.g. `review: [2, 7, 21]`)",
                "error: f.md:7: `review` day 4 (7) does not come after day 3 (7) (list the days from the earliest to the latest, each once, e.g. `review: [2, 7, 21]`)",
            ]
        );
        let found = problems("review: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("at most 10 reviews"), "{found:?}");
        let found = problems("review: []\n");
        assert!(found[0].contains("`review: false`"), "{found:?}");
        let found = problems("review: [400]\n");
        assert!(found[0].contains("1 to 365 days"), "{found:?}");
    }
}
