//! Theme assets in templates. Each is written under a name with its
//! content hash (see `theme::hashed_name`), which templates get from the
//! function `asset`: `{{ root }}{{ asset(path="salesbook.css") }}`.

use std::collections::{BTreeMap, BTreeSet};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::diagnostics::Diagnostic;
use crate::theme::{TemplateSource, Theme, ASSETS_DIR};

/// Registers `asset(path=NAME)`: the output path of the theme asset NAME
/// (its path under `assets/`), relative to the site root.
pub(super) fn register(tera: &mut Tera, theme: &Theme) {
    // Made into template values once: each page calls this several times.
    let assets: BTreeMap<String, Value> = theme
        .assets()
        .iter()
        .map(|(name, path)| (name.clone(), super::views::unescaped(path)))
        .collect();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let name = kwargs.must_get::<&str>("path")?;
            assets.get(name).cloned().ok_or_else(|| {
                tera::Error::message(format!(
                    "the theme has no asset `{name}`; it has {}",
                    known(&assets)
                ))
            })
        },
    );
}

fn known(assets: &BTreeMap<String, Value>) -> String {
    let names: Vec<String> = assets.keys().map(|name| format!("`{name}`")).collect();
    names.join(", ")
}

/// An error at each place a template names an asset by its fixed path
/// (`assets/salesbook.css`, as templates did before assets had hashes):
/// nothing is written there any more, so the page would silently lose its
/// styles or scripts.
pub(super) fn fixed_asset_paths(templates: &[TemplateSource], theme: &Theme) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Built-in templates come twice (under their name and the prefix).
    let mut seen = BTreeSet::new();
    for template in templates.iter().filter(|t| seen.insert(&t.file)) {
        for (index, line) in template.text.lines().enumerate() {
            if !line.contains(ASSETS_DIR) {
                continue;
            }
            for name in theme.assets().keys() {
                if let Some(at) = fixed_path_in(line, name) {
                    let column = line[..at].chars().count() + 1;
                    problems.push(
                        Diagnostic::error(
                            &template.file,
                            Some(index + 1),
                            format!(
                                "`{ASSETS_DIR}{name}` is not written: theme assets carry a content hash in their names"
                            ),
                        )
                        .at_column(column)
                        .with_hint(format!(
                            "write {{{{ asset(path=\"{name}\") }}}} in its place, after {{{{ root }}}} as before"
                        )),
                    );
                }
            }
        }
    }
    problems
}

/// Where `line` names `assets/NAME` as a whole path (not a longer name).
fn fixed_path_in(line: &str, name: &str) -> Option<usize> {
    let path = format!("{ASSETS_DIR}{name}");
    let part_of_name = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_');
    line.match_indices(&path).map(|(at, _)| at).find(|&at| {
        let before = line[..at].chars().next_back();
        let after = line[at + path.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
            && !after.is_some_and(part_of_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_whole_fixed_path_is_found() {
        assert_eq!(
            fixed_path_in(
                "<link href=\"{{ root }}assets/salesbook.css\">",
                "salesbook.css"
            ),
            Some(22)
        );
        for other in [
            "assets/salesbook.css.map",
            "assets/salesbook.3f9a1c0d.css",
            "myassets/salesbook.css",
            "assets/salesbook.cssx",
        ] {
            assert_eq!(fixed_path_in(other, "salesbook.css"), None, "{other}");
        }
    }
}
