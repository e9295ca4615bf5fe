//! A quiz question's right answer: one choice (radio buttons), or a list of
//! choices (check-boxes, "Select all that apply"), and the checks an author
//! gets at the question's line when it does not fit its choices.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::suggest::did_you_mean;

/// `answer: Listen` or `answer: [Listen, Ask]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizAnswer {
    One(String),
    Many(Vec<String>),
}

impl QuizAnswer {
    /// Every right choice, in the order the author wrote them.
    pub fn right_choices(&self) -> &[String] {
        match self {
            QuizAnswer::One(choice) => std::slice::from_ref(choice),
            QuizAnswer::Many(choices) => choices,
        }
    }

    /// Whether the learner picks several choices (check-boxes).
    pub fn is_multiple(&self) -> bool {
        matches!(self, QuizAnswer::Many(_))
    }

    /// Whether `choice` is one of the right ones.
    pub fn includes(&self, choice: &str) -> bool {
        self.right_choices().iter().any(|right| right == choice)
    }
}

impl<'de> Deserialize<'de> for QuizAnswer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnswerVisitor)
    }
}

/// Reads one choice or a list of them; a plain number or `true` is a
/// choice written without quotes, as it is in `choices`.
struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = QuizAnswer;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        // Shown to authors as "`answer` in `quiz` item 1 must be ...".
        formatter.write_str("one of the choices or a list of them")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<QuizAnswer, E> {
        Ok(QuizAnswer::One(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<QuizAnswer, E> {
        Ok(QuizAnswer::One(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<QuizAnswer, E> {
        Ok(QuizAnswer::One(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<QuizAnswer, E> {
        Ok(QuizAnswer::One(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<QuizAnswer, E> {
        Ok(QuizAnswer::One(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<QuizAnswer, E> {
        Ok(QuizAnswer::One(value.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<QuizAnswer, A::Error> {
        let mut choices = Vec::new();
        while let Some(choice) = seq.next_element::<String>()? {
            choices.push(choice);
        }
        Ok(QuizAnswer::Many(choices))
    }
}

/// What is wrong with question `number`'s answer against its choices: not
/// a choice, an empty list, or a choice named twice.
pub fn check_answer(
    answer: &QuizAnswer,
    choices: &[String],
    number: usize,
    file: &str,
    line: Option<usize>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let right = answer.right_choices();
    if answer.is_multiple() && right.is_empty() {
        problems.push(
            Diagnostic::error(
                file,
                line,
                format!("quiz question {number}: the list of answers is empty"),
            )
            .with_hint("list at least one right choice, e.g. `answer: [Listen, Ask]`"),
        );
    }
    for wrong in right.iter().filter(|a| !choices.contains(a)) {
        let hint = match did_you_mean(wrong, choices.iter().map(String::as_str)) {
            Some(close) => format!("did you mean {close:?}? copy the right choice exactly"),
            None => "copy the right choice into `answer` exactly".to_string(),
        };
        problems.push(
            Diagnostic::error(
                file,
                line,
                format!("quiz question {number}: the answer {wrong:?} is not one of its choices"),
            )
            .with_hint(hint),
        );
    }
    let mut seen = HashSet::new();
    if let Some(twice) = right.iter().find(|a| !seen.insert(a.as_str())) {
        problems.push(
            Diagnostic::error(
                file,
                line,
                format!("quiz question {number} lists the answer {twice:?} twice"),
            )
            .with_hint("name each right choice once"),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter::simple_reader_agrees;

    #[test]
    fn both_readers_read_one_answer_or_a_list_alike() {
        for yaml in [
            "quiz:\n  - question: Q\n    choices: [a, b]\n    answer: a\n",
            "quiz:\n  - question: Q\n    choices: [a, b, c]\n    answer: [a, c]\n",
            "quiz:\n  - question: Q\n    choices: [a, b]\n    answer:\n      - a\n      - b\n",
            "quiz:\n  - question: Q\n    choices: ['yes', 'no']\n    answer: ['no']\n",
            "quiz:\n  - question: Q\n    choices: ['12', x]\n    answer: '12'\n",
        ] {
            assert_eq!(simple_reader_agrees(yaml), Ok(true), "{yaml}");
        }
        // A plain number or boolean as the answer is left to the full parser.
        for yaml in [
            "quiz:\n  - question: Q\n    choices: [1, 2]\n    answer: 2\n",
            "quiz:\n  - question: Q\n    choices: [true, false]\n    answer: true\n",
        ] {
            assert_eq!(simple_reader_agrees(yaml), Ok(false), "{yaml}");
        }
    }

    #[test]
    fn a_list_checks_every_answer_against_the_choices() {
        let choices = ["Listen".to_string(), "Ask".to_string(), "Pitch".to_string()];
        let many = |list: &[&str]| QuizAnswer::Many(list.iter().map(|s| s.to_string()).collect());
        assert!(check_answer(&many(&["Listen", "Ask"]), &choices, 1, "f.md", Some(3)).is_empty());
        let found = check_answer(
            &many(&["Listen", "Lisen", "Listen"]),
            &choices,
            2,
            "f.md",
            Some(3),
        );
        let messages: Vec<String> = found.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            messages,
            [
                "quiz question 2: the answer \"Lisen\" is not one of its choices",
                "quiz question 2 lists the answer \"Listen\" twice",
            ]
        );
        assert_eq!(
            found[0].hint.as_deref(),
            Some("did you mean \"Listen\"? copy the right choice exactly")
        );
        assert_eq!(check_answer(&many(&[]), &choices, 1, "f.md", None).len(), 1);
        assert!(!QuizAnswer::One("Ask".into()).is_multiple());
    }
}
