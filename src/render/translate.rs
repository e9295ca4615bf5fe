//! The theme's words in templates: `{{ t(key="quiz.check") }}`, with
//! placeholders as named arguments (`t(key="workbook.step_of", n=2,
//! total=5)`) and `count` picking a plural form (`t(key="card.steps",
//! count=3)`). The table is `site.yaml`'s language with its `strings:`
//! over it (see `crate::strings`).

use rustc_hash::FxHashMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::strings::Strings;

/// Registers `t(key=KEY, ...)`.
pub(super) fn register(tera: &mut Tera, strings: &Strings) {
    // Each text made into a template value once: a page calls `t` dozens
    // of times, and a value's clone shares its text.
    let values: FxHashMap<String, Value> = strings
        .entries()
        .map(|(key, text)| (key.to_string(), super::views::unescaped(text)))
        .collect();
    let strings = Arc::new(strings.clone());
    tera.register_function("t", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let key = kwargs.must_get::<&str>("key")?;
        let count = kwargs.get::<i64>("count")?;
        let only_key = kwargs.iter().count() == 1;
        if only_key {
            if let Some(value) = values.get(key) {
                return Ok(value.clone());
            }
        }
        let text = match count {
            Some(count) => strings.counted(key, count),
            None => strings.get(key),
        };
        let Some(text) = text else {
            return Err(tera::Error::message(unknown_key(&strings, key, count)));
        };
        let args: Vec<(String, String)> = kwargs
            .iter()
            .filter_map(|(name, value)| {
                let name = name.as_str()?;
                (name != "key").then(|| (name.to_string(), argument_text(&strings, value)))
            })
            .collect();
        let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        Ok(super::views::unescaped(&Strings::fill(text, &args)))
    });
}

/// A placeholder's value as text: a whole number in the language's digit
/// grouping, anything else as Tera prints it.
fn argument_text(strings: &Strings, value: &Value) -> String {
    match value.as_i64() {
        Some(number) => strings.number(number),
        None => value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string),
    }
}

/// The error for a key the table has not (or a plural key without `count`).
fn unknown_key(strings: &Strings, key: &str, count: Option<i64>) -> String {
    if count.is_none() && strings.has(key) {
        return format!("the text `{key}` has a singular and a plural: give `count=` to pick one");
    }
    let hint = match strings.suggest_key(key) {
        Some(known) => format!(" (did you mean `{known}`?)"),
        None => " (the keys are in themes/default/strings/en.yaml)".to_string(),
    };
    format!("unknown text key `{key}`{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn render(language: &str, template: &str) -> Result<String, String> {
        let strings = Strings::new(language, &BTreeMap::new()).expect("a language");
        let mut tera = Tera::new();
        register(&mut tera, &strings);
        tera.add_raw_template("t.html", template)
            .map_err(|e| e.to_string())?;
        tera.render("t.html", &tera::Context::new()).map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            message
        })
    }

    #[test]
    fn texts_placeholders_and_plurals_come_from_the_table() {
        assert_eq!(
            render("de", "{{ t(key=\"quiz.check\") }}").unwrap(),
            "Antwort prüfen"
        );
        assert_eq!(
            render("en", "{{ t(key=\"workbook.step_of\", n=2, total=5) }}").unwrap(),
            "Step 2 of 5"
        );
        let steps = "{{ t(key=\"card.steps\", count=0) }}|{{ t(key=\"card.steps\", count=1) }}|{{ t(key=\"card.steps\", count=1200) }}";
        assert_eq!(render("en", steps).unwrap(), "0 steps|1 step|1,200 steps");
        assert_eq!(
            render("fr", steps).unwrap(),
            "0 étape|1 étape|1\u{202f}200 étapes"
        );
    }

    #[test]
    fn placeholder_values_are_escaped_once() {
        let template =
            "{% set title = \"Q&A <live>\" %}{{ t(key=\"track_nav.back\", title=title) }}";
        assert_eq!(
            render("en", template).unwrap(),
            "Back to Q&amp;A &lt;live&gt;"
        );
    }

    #[test]
    fn an_unknown_key_names_it_and_the_closest_one() {
        let error = render("en", "{{ t(key=\"quiz.chek\") }}").unwrap_err();
        assert!(
            error.contains("unknown text key `quiz.chek` (did you mean `quiz.check`?)"),
            "{error}"
        );
        let error = render("en", "{{ t(key=\"card.steps\") }}").unwrap_err();
        assert!(error.contains("give `count=`"), "{error}");
    }
}
