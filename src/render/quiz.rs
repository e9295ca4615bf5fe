//! A quiz question as templates see it: its choices, its right answer or
//! answers (check-boxes when there are several) and their positions.

use std::borrow::Cow;

use serde::Serialize;

use crate::content::frontmatter::{QuizAnswer, QuizQuestion};
use crate::text::smart_punctuation;

#[derive(Debug, Serialize)]
pub struct QuizView<'a> {
    pub number: usize,
    pub question: Cow<'a, str>,
    /// Choices and answer get the same punctuation, so they still match.
    pub choices: Vec<Cow<'a, str>>,
    /// The right choice; several are joined with ", " (the workbook's answers).
    pub answer: Cow<'a, str>,
    /// Several right choices: check-boxes, "Select all that apply".
    pub multiple: bool,
    pub answers: Vec<Cow<'a, str>>,
    /// The positions of the right choices from 0, space-separated ("0 2"),
    /// which the script compares with the boxes ticked.
    pub right_positions: String,
    pub explain: Option<Cow<'a, str>>,
}

pub fn quiz_view(index: usize, question: &QuizQuestion) -> QuizView<'_> {
    QuizView {
        number: index + 1,
        question: smart_punctuation(&question.question),
        choices: question
            .choices
            .iter()
            .map(|choice| smart_punctuation(choice))
            .collect(),
        answer: match &question.answer {
            QuizAnswer::One(choice) => smart_punctuation(choice),
            QuizAnswer::Many(choices) => {
                Cow::Owned(smart_punctuation(&choices.join(", ")).into_owned())
            }
        },
        multiple: question.answer.is_multiple(),
        answers: question
            .answer
            .right_choices()
            .iter()
            .map(|choice| smart_punctuation(choice))
            .collect(),
        right_positions: right_positions(question),
        explain: question.explain.as_deref().map(smart_punctuation),
    }
}

/// Empty for a single answer: the script compares the choice's text then.
fn right_positions(question: &QuizQuestion) -> String {
    if !question.answer.is_multiple() {
        return String::new();
    }
    let positions: Vec<String> = question
        .choices
        .iter()
        .enumerate()
        .filter(|(_, choice)| question.answer.includes(choice))
        .map(|(position, _)| position.to_string())
        .collect();
    positions.join(" ")
}
