//! Front matter of another generator (YAML `---` or TOML `+++`) mapped to
//! salesbook's keys, written back as YAML.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use crate::content::other_keys::salesbook_key;
use crate::text::is_valid_date;

/// A source file split into its front matter (read) and its body.
pub struct Read<'a> {
    pub fields: Mapping,
    pub body: &'a str,
}

/// Splits and reads `text`'s front matter; a file without any has none.
/// Front matter that cannot be read is an error with the reader's words.
pub fn read(text: &str) -> Result<Read<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (fence, is_toml) in [("---", false), ("+++", true)] {
        let Some((inside, body)) = fenced(text, fence) else {
            continue;
        };
        let value = if is_toml {
            let table = inside.parse::<toml::Table>().map_err(|e| e.to_string())?;
            toml_to_yaml(toml::Value::Table(table))
        } else if inside.trim().is_empty() {
            Value::Null
        } else {
            serde_yaml::from_str(inside).map_err(|e| e.to_string())?
        };
        let fields = match value {
            Value::Mapping(fields) => fields,
            Value::Null => Mapping::new(),
            _ => return Err("the front matter is not a list of `key: value` lines".into()),
        };
        return Ok(Read { fields, body });
    }
    Ok(Read {
        fields: Mapping::new(),
        body: text,
    })
}

/// The text between a first line `fence` and the next such line, and what
/// follows it.
fn fenced<'a>(text: &'a str, fence: &str) -> Option<(&'a str, &'a str)> {
    let mut lines = text.split_inclusive('\n');
    if lines.next()?.trim_end() != fence {
        return None;
    }
    let start = text.find('\n')? + 1;
    let mut offset = start;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == fence || (fence == "---" && trimmed == "...") {
            return Some((&text[start..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// A TOML value as YAML; dates and times become their text.
pub fn toml_to_yaml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => Value::Number(number.into()),
        toml::Value::Float(number) => Value::Number(number.into()),
        toml::Value::Boolean(flag) => Value::Bool(flag),
        toml::Value::Datetime(when) => Value::String(when.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(table) => Value::Mapping(
            table
                .into_iter()
                .map(|(key, value)| (Value::String(key), toml_to_yaml(value)))
                .collect(),
        ),
    }
}

/// What mapping one page's front matter did, added up over the import.
#[derive(Debug, Default)]
pub struct KeyCounts {
    /// "description → summary" and the like, with how often.
    pub mapped: BTreeMap<String, usize>,
    /// Keys moved under `extra:`, with how often.
    pub to_extra: BTreeMap<String, usize>,
}

/// salesbook front matter from another generator's `fields`. `title` is
/// used when the fields have none.
pub fn map_fields(fields: Mapping, title: &str, counts: &mut KeyCounts) -> Mapping {
    let mut out = Fields::default();
    let mut extra = Mapping::new();
    for (key, value) in fields {
        let Some(name) = key.as_str().map(str::to_string) else {
            continue;
        };
        let target = match name.as_str() {
            "title" | "summary" | "date" | "updated" | "tags" | "weight" | "draft" | "slug" => {
                Some(name.as_str())
            }
            "published" => Some("draft"),
            "aliases" | "redirect_from" => Some("aliases"),
            "extra" => {
                if let Value::Mapping(inner) = value {
                    extra.extend(inner);
                }
                continue;
            }
            other => salesbook_key(other),
        };
        let placed = target.is_some_and(|target| out.place(target, &name, value.clone()));
        match (placed, target) {
            (true, Some(target)) if target != name => {
                *counts
                    .mapped
                    .entry(format!("{name} → {target}"))
                    .or_default() += 1;
            }
            (true, _) => {}
            (false, _) => {
                *counts.to_extra.entry(name.clone()).or_default() += 1;
                extra.insert(Value::String(name), value);
            }
        }
    }
    out.into_mapping(title, extra)
}

/// The salesbook fields of one page, as they are found.
#[derive(Default)]
struct Fields {
    title: Option<String>,
    summary: Option<String>,
    date: Option<String>,
    updated: Option<String>,
    tags: Vec<String>,
    weight: Option<i64>,
    draft: bool,
    slug: Option<String>,
    aliases: Vec<String>,
}

impl Fields {
    /// Puts `value` (of the source key `from`) into `target`; false when it
    /// does not fit there (it then goes under `extra:`).
    fn place(&mut self, target: &str, from: &str, value: Value) -> bool {
        match target {
            "title" => fill(&mut self.title, scalar_text(&value)),
            "summary" => fill(&mut self.summary, scalar_text(&value)),
            "date" => fill(&mut self.date, scalar_text(&value).and_then(day)),
            "updated" => fill(&mut self.updated, scalar_text(&value).and_then(day)),
            "slug" => fill(
                &mut self.slug,
                scalar_text(&value).filter(|slug| crate::content::slug::is_safe_segment(slug)),
            ),
            "weight" => fill(&mut self.weight, whole_number(&value)),
            "tags" => list_of_text(&value).is_some_and(|items| {
                for item in items {
                    if !self.tags.contains(&item) {
                        self.tags.push(item);
                    }
                }
                true
            }),
            "aliases" => list_of_text(&value).is_some_and(|items| {
                self.aliases.extend(items);
                true
            }),
            "draft" => match value {
                // `published: false` is a draft; `draft: true` too.
                Value::Bool(flag) => {
                    self.draft |= if from == "published" { !flag } else { flag };
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn into_mapping(self, title: &str, extra: Mapping) -> Mapping {
        let mut out = Mapping::new();
        let mut put = |key: &str, value: Value| {
            out.insert(Value::String(key.to_string()), value);
        };
        put(
            "title",
            Value::String(self.title.unwrap_or_else(|| title.to_string())),
        );
        if let Some(summary) = self.summary {
            put("summary", Value::String(summary));
        }
        if let Some(date) = self.date {
            put("date", Value::String(date));
        }
        if let Some(updated) = self.updated {
            put("updated", Value::String(updated));
        }
        if !self.tags.is_empty() {
            put("tags", text_list(self.tags));
        }
        if let Some(weight) = self.weight {
            put("weight", Value::Number(weight.into()));
        }
        if self.draft {
            put("draft", Value::Bool(true));
        }
        if let Some(slug) = self.slug {
            put("slug", Value::String(slug));
        }
        if !self.aliases.is_empty() {
            put("aliases", text_list(self.aliases));
        }
        if !extra.is_empty() {
            put("extra", Value::Mapping(extra));
        }
        out
    }
}

/// Fills an empty field; a second key for a full one does not fit.
fn fill<T>(field: &mut Option<T>, value: Option<T>) -> bool {
    match (field.is_none(), value) {
        (true, Some(value)) => {
            *field = Some(value);
            true
        }
        _ => false,
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_string()).filter(|text| !text.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// `2024-03-05`, also from a full timestamp (`2024-03-05T10:00:00Z`,
/// `2024-03-05 10:00:00 +0100`).
fn day(text: String) -> Option<String> {
    let day = text.get(..10)?;
    let rest = &text[10..];
    let is_timestamp = rest.is_empty() || rest.starts_with(['T', 't', ' ']);
    (is_timestamp && is_valid_date(day)).then(|| day.to_string())
}

fn whole_number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A list of words, or one text with commas between them.
fn list_of_text(value: &Value) -> Option<Vec<String>> {
    let items: Vec<String> = match value {
        Value::Sequence(items) => items.iter().filter_map(scalar_text).collect(),
        Value::String(text) => text
            .split(',')
            .map(|item| item.trim().to_string())
            .filter(|item| !item.is_empty())
            .collect(),
        _ => return None,
    };
    Some(items)
}

fn text_list(items: Vec<String>) -> Value {
    Value::Sequence(items.into_iter().map(Value::String).collect())
}

/// The page written: YAML front matter, then the body.
pub fn write(fields: &Mapping, body: &str) -> String {
    // A mapping of strings, numbers and lists always serialises.
    let yaml = serde_yaml::to_string(fields).unwrap_or_default();
    format!("---\n{yaml}---\n{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(source: &str) -> (String, KeyCounts) {
        let read = read(source).unwrap();
        let mut counts = KeyCounts::default();
        let fields = map_fields(read.fields, "From the file", &mut counts);
        (write(&fields, read.body), counts)
    }

    #[test]
    fn keys_of_other_generators_become_salesbook_keys_and_the_rest_extra() {
        let (page, counts) = mapped(
            "---\ntitle: \"Deal: desk\"\ndescription: Quotes\nlastmod: 2024-03-05T10:00:00Z\n\
             categories: [ops]\ntags: [sales, ops]\nnav_order: 2\npublished: false\n\
             redirect_from: [/old/]\nlayout: wide\n---\nBody\n",
        );
        let expected = "---\ntitle: 'Deal: desk'\nsummary: Quotes\nupdated: 2024-03-05\n\
                        tags:\n- ops\n- sales\nweight: 2\ndraft: true\naliases:\n- /old/\n\
                        extra:\n  layout: wide\n---\nBody\n";
        assert_eq!(page, expected);
        assert_eq!(counts.mapped["description → summary"], 1);
        assert_eq!(counts.mapped["nav_order → weight"], 1);
        assert_eq!(counts.to_extra["layout"], 1);
    }

    #[test]
    fn toml_front_matter_is_read_and_its_dates_become_days() {
        let (page, _) = mapped(
            "+++\ntitle = \"Pricing\"\ndate = 2023-01-02T08:00:00Z\nkeywords = [\"price\"]\n\
             [params]\nicon = \"tag\"\n+++\nBody\n",
        );
        assert_eq!(
            page,
            "---\ntitle: Pricing\ndate: 2023-01-02\ntags:\n- price\nextra:\n  params:\n    icon: tag\n---\nBody\n"
        );
    }

    #[test]
    fn a_file_without_front_matter_takes_the_given_title() {
        let (page, _) = mapped("Just text\n");
        assert_eq!(page, "---\ntitle: From the file\n---\nJust text\n");
    }

    #[test]
    fn a_value_that_does_not_fit_its_key_is_kept_under_extra() {
        let (page, counts) = mapped("---\ntitle: T\ndate: last spring\nweight: heavy\n---\n");
        assert!(
            page.contains("extra:\n  date: last spring\n  weight: heavy\n"),
            "{page}"
        );
        assert_eq!(counts.to_extra.len(), 2);
    }
}
