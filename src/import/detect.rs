//! What kind of Markdown folder an import reads, where its pages and
//! static files are, and the title and base URL its configuration gives.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

/// The generators `salesbook import` recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Generator {
    Hugo,
    Jekyll,
    MkDocs,
    /// A folder of Markdown files (Notion, Confluence, Obsidian, a wiki).
    Plain,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Hugo => "Hugo site",
            Generator::Jekyll => "Jekyll site",
            Generator::MkDocs => "MkDocs site",
            Generator::Plain => "folder of Markdown",
        }
    }
}

/// A source folder, read but never written.
#[derive(Debug)]
pub struct Source {
    pub generator: Generator,
    /// The folder whose Markdown files become `content/`.
    pub content: PathBuf,
    /// Folders copied whole into `static/` (Hugo's `static/`).
    pub static_dirs: Vec<PathBuf>,
    pub title: Option<String>,
    pub base_url: Option<String>,
    /// MkDocs `nav:`: each page's path under `content` with its title, in
    /// order.
    pub nav: Vec<(String, Option<String>)>,
}

const HUGO_CONFIGS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "config.toml",
    "config.yaml",
    "config.yml",
];

/// Reads what `src` is. Anything not recognised is a plain folder.
pub fn detect(src: &Path) -> Source {
    let plain = Source {
        generator: Generator::Plain,
        content: src.to_path_buf(),
        static_dirs: Vec::new(),
        title: None,
        base_url: None,
        nav: Vec::new(),
    };
    if let Some(config) = hugo_config(src) {
        let settings = read_config(&config);
        return Source {
            generator: Generator::Hugo,
            content: src.join("content"),
            static_dirs: vec![src.join("static")],
            title: text_of(&settings, "title"),
            base_url: text_of(&settings, "baseURL").or_else(|| text_of(&settings, "baseurl")),
            nav: Vec::new(),
        };
    }
    for name in ["_config.yml", "_config.yaml"] {
        if src.join(name).is_file() {
            let settings = read_config(&src.join(name));
            let base = text_of(&settings, "url").unwrap_or_default()
                + &text_of(&settings, "baseurl").unwrap_or_default();
            return Source {
                generator: Generator::Jekyll,
                title: text_of(&settings, "title"),
                base_url: (!base.is_empty()).then_some(base),
                ..plain
            };
        }
    }
    for name in ["mkdocs.yml", "mkdocs.yaml"] {
        if src.join(name).is_file() {
            let settings = read_config(&src.join(name));
            let docs = text_of(&settings, "docs_dir").unwrap_or_else(|| "docs".to_string());
            let mut nav = Vec::new();
            if let Some(Value::Sequence(items)) = settings.get("nav") {
                read_nav(items, &mut nav);
            }
            return Source {
                generator: Generator::MkDocs,
                content: src.join(docs),
                title: text_of(&settings, "site_name"),
                base_url: text_of(&settings, "site_url"),
                nav,
                ..plain
            };
        }
    }
    plain
}

/// A Hugo site has `content/` beside its configuration file or folder.
fn hugo_config(src: &Path) -> Option<PathBuf> {
    if !src.join("content").is_dir() {
        return None;
    }
    let folder = src.join("config").join("_default");
    let candidates = HUGO_CONFIGS
        .iter()
        .map(|name| src.join(name))
        .chain(HUGO_CONFIGS.iter().map(|name| folder.join(name)));
    candidates
        .into_iter()
        .find(|path| path.is_file())
        .or_else(|| folder.is_dir().then_some(folder))
}

/// A configuration file's top level as YAML, whether it is YAML or TOML;
/// empty when it cannot be read (the import goes on without its title).
fn read_config(path: &Path) -> Value {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Value::Null;
    };
    if path.extension().is_some_and(|ext| ext == "toml") {
        return text.parse::<toml::Table>().map_or(Value::Null, |table| {
            super::frontmatter::toml_to_yaml(toml::Value::Table(table))
        });
    }
    // MkDocs files may hold `!!python/name:` tags the YAML reader refuses;
    // the keys read here are plain lines, so such lines are dropped first.
    let plain: String = text
        .lines()
        .filter(|line| !line.contains("!!python"))
        .map(|line| format!("{line}\n"))
        .collect();
    serde_yaml::from_str(&plain).unwrap_or(Value::Null)
}

fn text_of(settings: &Value, key: &str) -> Option<String> {
    match settings.get(key)? {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        _ => None,
    }
}

/// MkDocs `nav:` entries: `page.md`, `Title: page.md` or
/// `Section: [entries]`, in order.
fn read_nav(items: &[Value], nav: &mut Vec<(String, Option<String>)>) {
    for item in items {
        match item {
            Value::String(path) => nav.push((path.clone(), None)),
            Value::Mapping(entries) => {
                for (title, value) in entries {
                    match value {
                        Value::String(path) => {
                            nav.push((path.clone(), title.as_str().map(str::to_string)));
                        }
                        Value::Sequence(inner) => read_nav(inner, nav),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mkdocs_nav_keeps_order_and_titles_of_nested_entries() {
        let nav: Value = serde_yaml::from_str(
            "- index.md\n- Guide:\n  - Start: guide/start.md\n  - guide/more.md\n",
        )
        .unwrap();
        let mut found = Vec::new();
        read_nav(nav.as_sequence().unwrap(), &mut found);
        assert_eq!(
            found,
            vec![
                ("index.md".to_string(), None),
                ("guide/start.md".to_string(), Some("Start".to_string())),
                ("guide/more.md".to_string(), None),
            ]
        );
    }
}
