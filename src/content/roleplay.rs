//! Role-play exercises: the `roles`, `rubric` and `model_answer` fields,
//! where their Markdown starts in the file, and the checks serde's types
//! cannot express.

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::yaml::Document;

/// One role of a role-play: who plays it and what they are told.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    /// Markdown, rendered like the page's body.
    pub brief: String,
    /// Where the brief's text starts in the file, found after parsing.
    #[serde(skip)]
    pub brief_start: Start,
}

/// Where a Markdown field's text starts in its file: a line, and the
/// columns before the text on it (a block's indentation, or `key: `).
#[derive(Debug, Clone, Copy, Default)]
pub struct Start {
    pub line: usize,
    pub indent: usize,
}

/// The most rubric criteria an exercise may have: each is a check-box on
/// every attempt, stored with it.
pub const MAX_RUBRIC: usize = 20;

/// Sets where each role's brief starts and returns where the model answer
/// starts, so that a broken link in them is reported there. `yaml` is the
/// front matter's text, whose first line is file line `first_line`.
pub fn locate(
    roles: &mut [Role],
    document: &Document,
    yaml: &str,
    first_line: usize,
) -> Option<Start> {
    // Most exercises have neither: nothing to look for.
    let answer = document.key_line("model_answer");
    if roles.is_empty() && answer.is_none() {
        return None;
    }
    let lines: Vec<&str> = yaml.lines().collect();
    let roles_line = document.key_line("roles").unwrap_or(first_line);
    let items: Vec<usize> = (0..roles.len())
        .map(|i| document.item_line("roles", i).unwrap_or(roles_line))
        .collect();
    for (index, role) in roles.iter_mut().enumerate() {
        let item = items[index];
        let end = items
            .get(index + 1)
            .copied()
            .unwrap_or(first_line + lines.len());
        let in_item = Lines {
            lines: &lines,
            first_line,
            from: item,
            to: end,
        };
        role.brief_start = in_item.value_start("brief").unwrap_or(Start {
            line: item,
            indent: 0,
        });
    }
    let answer = answer?;
    let own_line = Lines {
        lines: &lines,
        first_line,
        from: answer,
        to: answer + 1,
    };
    own_line.value_start("model_answer").or(Some(Start {
        line: answer,
        indent: 0,
    }))
}

/// File lines `from..to` of front matter whose first line is `first_line`.
struct Lines<'a> {
    lines: &'a [&'a str],
    first_line: usize,
    from: usize,
    to: usize,
}

impl Lines<'_> {
    /// Where the value of `key` starts: the next line for a block (`key:
    /// |`), at that line's indentation; else after `key: ` on its line.
    fn value_start(&self, key: &str) -> Option<Start> {
        let pattern = format!("{key}:");
        let skip = self.from.checked_sub(self.first_line)?;
        let take = self.to.saturating_sub(self.from);
        let (offset, line) =
            self.lines
                .iter()
                .enumerate()
                .skip(skip)
                .take(take)
                .find(|(_, line)| {
                    line.trim_start()
                        .trim_start_matches("- ")
                        .starts_with(&pattern)
                })?;
        let key_at = line.find(&pattern)?;
        let after = &line[key_at + pattern.len()..];
        let value = after.trim();
        if value.is_empty() || value.starts_with('|') || value.starts_with('>') {
            let next = self.lines.get(offset + 1)?;
            let indent = next.len() - next.trim_start().len();
            return Some(Start {
                line: self.first_line + offset + 1,
                indent,
            });
        }
        let quoted = usize::from(value.starts_with('"') || value.starts_with('\''));
        let indent = key_at + pattern.len() + (after.len() - after.trim_start().len()) + quoted;
        Some(Start {
            line: self.first_line + offset,
            indent,
        })
    }
}

/// Empty or repeated role names, empty briefs and criteria, and too many
/// criteria.
pub fn check(
    roles: &[Role],
    rubric: &[String],
    model_answer: Option<&str>,
    document: &Document,
    file: &str,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (index, role) in roles.iter().enumerate() {
        let line = document
            .item_line("roles", index)
            .or(document.key_line("roles"));
        let number = index + 1;
        let name = role.name.trim();
        if name.is_empty() {
            problems.push(
                Diagnostic::error(file, line, format!("role {number} has no `name`"))
                    .with_hint("name who plays it, e.g. `name: Buyer`"),
            );
        } else if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            problems.push(
                Diagnostic::error(file, line, format!("the role {name:?} is listed twice"))
                    .with_hint("give each role its own name, e.g. `Buyer` and `Buyer's boss`"),
            );
        }
        if role.brief.trim().is_empty() {
            problems.push(
                Diagnostic::error(file, line, format!("role {number} has an empty `brief`"))
                    .with_hint("tell the player who they are and what they want, in a few lines"),
            );
        }
        names.push(name);
    }
    problems.extend(check_rubric(rubric, document, file));
    if model_answer.is_some_and(|a| a.trim().is_empty()) {
        problems.push(
            Diagnostic::error(
                file,
                document.key_line("model_answer"),
                "`model_answer` is empty",
            )
            .with_hint("write what a good attempt sounds like, or remove `model_answer:`"),
        );
    }
    problems
}

fn check_rubric(rubric: &[String], document: &Document, file: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if rubric.len() > MAX_RUBRIC {
        problems.push(
            Diagnostic::error(
                file,
                document.key_line("rubric"),
                format!(
                    "`rubric` has {} criteria; at most {MAX_RUBRIC} fit on an attempt",
                    rubric.len()
                ),
            )
            .with_hint("keep the few criteria an observer can tick in a minute"),
        );
    }
    for (index, criterion) in rubric.iter().enumerate() {
        let line = document
            .item_line("rubric", index)
            .or(document.key_line("rubric"));
        if criterion.trim().is_empty() {
            problems.push(
                Diagnostic::error(
                    file,
                    line,
                    format!("rubric criterion {} is empty", index + 1),
                )
                .with_hint("write what an observer looks for, e.g. `Asked an open question`"),
            );
        } else if rubric[..index].iter().any(|c| c.trim() == criterion.trim()) {
            problems.push(Diagnostic::error(
                file,
                line,
                format!("the rubric lists {:?} twice", criterion.trim()),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, indent) of each brief, and of the model answer.
    type Starts = (Vec<(usize, usize)>, Option<(usize, usize)>);

    fn starts(yaml: &str) -> Starts {
        let document = Document::new(yaml, 2);
        let mut roles: Vec<Role> = serde_yaml_roles(yaml);
        let answer = locate(&mut roles, &document, yaml, 2);
        let briefs = roles
            .iter()
            .map(|r| (r.brief_start.line, r.brief_start.indent))
            .collect();
        (briefs, answer.map(|a| (a.line, a.indent)))
    }

    /// The roles of `yaml`, parsed as the front matter parser does.
    fn serde_yaml_roles(yaml: &str) -> Vec<Role> {
        #[derive(Deserialize)]
        struct Only {
            #[serde(default)]
            roles: Vec<Role>,
        }
        let document = Document::new(yaml, 2);
        let mut problems = Vec::new();
        let read = document.deserialize::<Only>("f.md", &mut problems).unwrap();
        read.value.roles
    }

    #[test]
    fn a_block_starts_on_the_next_line_at_its_indentation() {
        let yaml = "roles:\n  - name: A\n    brief: |\n      Hello.\nmodel_answer: |\n  Answer.\n";
        assert_eq!(starts(yaml), (vec![(5, 6)], Some((7, 2))));
    }

    #[test]
    fn an_inline_value_starts_after_its_key() {
        let yaml = "roles:\n  - brief: \"Hi\"\n    name: A\n  - name: B\n    brief: Yo\nmodel_answer: Fine.\n";
        assert_eq!(starts(yaml), (vec![(3, 12), (6, 11)], Some((7, 14))));
    }

    #[test]
    fn nothing_is_looked_for_without_roles_or_a_model_answer() {
        assert_eq!(starts("title: x\n"), (vec![], None));
    }
}
