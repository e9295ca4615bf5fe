//! The module graph: which source file refers to which, read from `src/`.
//!
//! Data flows one way (load → validate → render → write), and the imports
//! should too: a loop between files means none of them can be read, tested
//! or changed alone. This test reads every `src/**/*.rs`, strips comments,
//! string literals and `#[cfg(test)]` items, collects its `crate::…`,
//! `super::…`, `self::…` and child-module paths, and checks them against
//! the layer table below; it also keeps every file of `src/` and of
//! `tests/suite/` at most 800 lines long.
//! `cargo test --test suite layers -- --nocapture` prints the map the
//! README's "Development" section reproduces.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The layers, top first: a module may import its own layer and the ones
/// below it. `main` is the binary (`src/main.rs`); `cli` holds argument
/// types only, which `main` and the commands read.
const LAYERS: &[&[&str]] = &[
    // testing: fixtures for unit tests (compiled only for them), built
    // from any layer.
    &["main", "testing"],
    &["commands", "scaffold"],
    &["cli"],
    &["serve", "watch"],
    &["import"],
    &["lms"],
    &["rebuild"],
    &["build", "pipeline"],
    &["render"],
    &["search"],
    &["site"],
    &["theme"],
    &["markdown"],
    &["content"],
    &["config"],
    &["output"],
    &[
        "yaml",
        "diagnostics",
        "fingerprint",
        "paths",
        "text",
        "ascii",
        "suggest",
        "strings",
        "terms",
        "timing",
        "faults",
        "vtt",
        "review",
    ],
];

/// Imports that go up the layer table, as "from → to" modules. The one
/// left: config → content (`is_safe_segment`, the rule for a theme's name
/// and a slug, which content owns).
const MAX_UPWARD: usize = 1;

#[test]
fn the_module_graph_has_no_loops_and_goes_down_the_layers() {
    let graph = Graph::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    println!("{}", graph.map());

    let loops = graph.loops();
    for files in &loops {
        println!("loop: {}", files.join(" → "));
    }
    let upward = graph.upward_imports();
    for (from, to) in &upward {
        println!("upward: {from} → {to}");
    }
    // No loop at all: a folder module's files import their siblings or the
    // child that defines what they need, never the `mod.rs` declaring them.
    assert!(
        loops.is_empty(),
        "{} import loops between source files:\n{}",
        loops.len(),
        loops
            .iter()
            .map(|l| l.join(" → "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        upward.len() <= MAX_UPWARD,
        "{} upward imports, at most {MAX_UPWARD} expected: {upward:?}",
        upward.len()
    );
}

/// Files allowed over [`MAX_LINES`]: none.
const LONG_FILES: &[&str] = &[];

/// A file longer than this is split by what it owns.
const MAX_LINES: usize = 800;

/// Every file of `src/` and of this test suite (`tests/suite/*.rs`) is at
/// most [`MAX_LINES`] long.
#[test]
fn no_source_file_is_over_800_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = BTreeMap::new();
    let src = root.join("src");
    collect_sources(&src, &src, &mut sources);
    let mut long: Vec<String> = sources
        .iter()
        .filter(|(module, text)| {
            text.lines().count() > MAX_LINES && !LONG_FILES.contains(&module.as_str())
        })
        .map(|(module, text)| format!("{module}: {} lines", text.lines().count()))
        .collect();

    let suite = root.join("tests").join("suite");
    let mut files: Vec<_> = fs::read_dir(&suite)
        .expect("read tests/suite")
        .map(|e| e.expect("read a tests/suite entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for path in files {
        let lines = fs::read_to_string(&path)
            .expect("read a test file")
            .lines()
            .count();
        if lines > MAX_LINES {
            let name = path.file_name().unwrap().to_string_lossy();
            long.push(format!("tests/suite/{name}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split each by what it is about):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_reader_strips_comments_strings_and_tests() {
    let text = "use crate::a; // crate::b\n/* crate::c /* crate::d */ */\n\
                let s = \"crate::e\"; let r = r#\"crate::f\"#; let c = '\"';\n\
                fn f<'a>(x: &'a str) { crate::g::h(x) }\n\
                #[cfg(test)]\nmod tests { use crate::i; }\n";
    let paths = referenced_paths(&strip(text), &[]);
    assert_eq!(paths, vec![vec!["crate", "a"], vec!["crate", "g", "h"]]);
}

#[test]
fn the_reader_expands_grouped_imports() {
    let text = "use crate::render::{views::Derived, self, Sink}; use super::{a, b::c};";
    let paths = referenced_paths(&strip(text), &[]);
    assert_eq!(
        paths,
        vec![
            vec!["crate", "render", "views", "Derived"],
            vec!["crate", "render"],
            vec!["crate", "render", "Sink"],
            vec!["super", "a"],
            vec!["super", "b", "c"],
        ]
    );
}

/// Source files by module path ("render::views") and what each refers to.
struct Graph {
    /// Module path → the modules (as paths of existing files) it refers to.
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn read(src: &Path) -> Graph {
        let mut sources = BTreeMap::new();
        collect_sources(src, src, &mut sources);
        let modules: BTreeSet<String> = sources.keys().cloned().collect();
        let mut edges = BTreeMap::new();
        // Unit tests in a file of their own (`mod tests;`) may reach anywhere.
        let code = sources
            .iter()
            .filter(|(module, _)| !module.ends_with("::tests"));
        for (module, text) in code {
            let stripped = strip(text);
            let children = child_modules(&stripped);
            let mut targets = BTreeSet::new();
            for path in referenced_paths(&stripped, &children) {
                if let Some(target) = resolve(module, &path, &modules) {
                    if target != *module && target != "lib" {
                        targets.insert(target);
                    }
                }
            }
            edges.insert(module.clone(), targets);
        }
        Graph { edges }
    }

    /// One line per top-level module, in layer order: what it imports
    /// (its files together, children folded into their module).
    fn map(&self) -> String {
        let mut imports: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (module, targets) in &self.edges {
            let from = top_level(module);
            let entry = imports.entry(from).or_default();
            entry.extend(
                targets
                    .iter()
                    .map(|t| top_level(t))
                    .filter(|to| *to != from),
            );
        }
        let mut modules: Vec<&str> = imports.keys().copied().filter(|m| *m != "lib").collect();
        modules.sort_by_key(|m| (layer(m), *m));
        let mut lines = vec!["module → what it imports (top to bottom of LAYERS):".to_string()];
        for module in modules {
            let targets: Vec<&str> = imports[module].iter().copied().collect();
            lines.push(format!("  {module:<12} → {}", targets.join(", ")));
        }
        lines.join("\n")
    }

    /// The strongly connected components with more than one file (Tarjan).
    fn loops(&self) -> Vec<Vec<String>> {
        let names: Vec<&String> = self.edges.keys().collect();
        let index_of: BTreeMap<&String, usize> =
            names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let successors: Vec<Vec<usize>> = names
            .iter()
            .map(|n| {
                self.edges[*n]
                    .iter()
                    .filter_map(|t| index_of.get(t).copied())
                    .collect()
            })
            .collect();
        let mut tarjan = Tarjan::new(names.len());
        for node in 0..names.len() {
            if tarjan.index[node].is_none() {
                tarjan.visit(node, &successors);
            }
        }
        tarjan
            .components
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| {
                let mut files: Vec<String> = c.into_iter().map(|i| names[i].clone()).collect();
                files.sort();
                files
            })
            .collect()
    }

    /// Imports from a module to one in a higher layer, as top-level names.
    fn upward_imports(&self) -> BTreeSet<(String, String)> {
        let mut upward = BTreeSet::new();
        for (module, targets) in &self.edges {
            for target in targets {
                let (from, to) = (top_level(module), top_level(target));
                if layer(from) > layer(to) {
                    upward.insert((from.to_string(), to.to_string()));
                }
            }
        }
        upward
    }
}

struct Tarjan {
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    components: Vec<Vec<usize>>,
}

impl Tarjan {
    fn new(nodes: usize) -> Tarjan {
        Tarjan {
            index: vec![None; nodes],
            low: vec![0; nodes],
            on_stack: vec![false; nodes],
            stack: Vec::new(),
            next: 0,
            components: Vec::new(),
        }
    }

    fn visit(&mut self, node: usize, successors: &[Vec<usize>]) {
        self.index[node] = Some(self.next);
        self.low[node] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        for &next in &successors[node] {
            match self.index[next] {
                None => {
                    self.visit(next, successors);
                    self.low[node] = self.low[node].min(self.low[next]);
                }
                Some(index) if self.on_stack[next] => self.low[node] = self.low[node].min(index),
                Some(_) => {}
            }
        }
        if Some(self.low[node]) == self.index[node] {
            let mut component = Vec::new();
            while let Some(member) = self.stack.pop() {
                self.on_stack[member] = false;
                component.push(member);
                if member == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

fn top_level(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// A module's place in `LAYERS`; a module missing from the table fails the
/// test, so a new one has to be given a place.
fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|names| names.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` has no place in LAYERS"))
}

/// Reads `src/` into module path → text: `render/views.rs` is
/// `render::views`, `render/mod.rs` is `render`, `lib.rs` is `lib`.
fn collect_sources(root: &Path, dir: &Path, sources: &mut BTreeMap<String, String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("read a source folder")
        .map(|e| e.expect("read a source folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_sources(root, &path, sources);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("a path under src");
            let mut parts: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.len() > 1 && parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            let text = fs::read_to_string(&path).expect("read a source file");
            sources.insert(parts.join("::"), text);
        }
    }
}

/// The module a path refers to: the longest prefix that is a source file.
/// `crate::` (and the binary's `salesbook::`) start at the root, `super::`
/// and `self::` at the file's own module, a child's name below it.
fn resolve(module: &str, path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    let own: Vec<&str> = if module == "lib" || module == "main" {
        Vec::new()
    } else {
        module.split("::").collect()
    };
    let mut base: Vec<&str> = match path[0].as_str() {
        "crate" | "salesbook" => Vec::new(),
        "self" => own.clone(),
        "super" => own[..own.len().saturating_sub(1)].to_vec(),
        _ => {
            let mut child = own.clone();
            child.push(&path[0]);
            child
        }
    };
    let mut rest = &path[1..];
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    let mut full = base;
    full.extend(rest.iter().map(String::as_str));
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|candidate| modules.contains(candidate))
}

/// The names of `mod x;` declarations: paths starting with `x::` refer to
/// that child file.
fn child_modules(text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    let mut children = Vec::new();
    for window in tokens.windows(3) {
        if window[0] == "mod" && window[2] == ";" {
            children.push(window[1].clone());
        }
    }
    children
}

/// Every path that starts with `crate`, `salesbook`, `super`, `self` or a
/// child module's name, with `{…}` groups expanded.
fn referenced_paths(text: &str, children: &[String]) -> Vec<Vec<String>> {
    let tokens = tokenize(text);
    let mut paths = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i].as_str();
        let starts = matches!(token, "crate" | "salesbook" | "super" | "self")
            || children.iter().any(|c| c == token);
        let after_separator = i > 0 && tokens[i - 1] == "::";
        if starts && !after_separator && tokens.get(i + 1).is_some_and(|t| t == "::") {
            i = expand(&tokens, i, vec![], &mut paths);
        } else {
            i += 1;
        }
    }
    paths
}

/// Reads the path starting at `tokens[i]` below `prefix`, pushing each full
/// path; returns the index after it.
fn expand(
    tokens: &[String],
    mut i: usize,
    mut prefix: Vec<String>,
    paths: &mut Vec<Vec<String>>,
) -> usize {
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                while tokens.get(i).is_some_and(|t| t != "}") {
                    i = expand(tokens, i, prefix.clone(), paths);
                    if tokens.get(i).is_some_and(|t| t == ",") {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some("self") if !prefix.is_empty() => {
                paths.push(prefix);
                return i + 1;
            }
            Some(name) if is_identifier(name) || name == "*" => {
                prefix.push(name.to_string());
                i += 1;
                if tokens.get(i).is_some_and(|t| t == "::") {
                    i += 1;
                } else {
                    if tokens.get(i).is_some_and(|t| t == "as") {
                        i += 2;
                    }
                    paths.push(prefix);
                    return i;
                }
            }
            _ => {
                if !prefix.is_empty() {
                    paths.push(prefix);
                }
                return i;
            }
        }
    }
}

fn is_identifier(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::`, and single punctuation characters.
fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".to_string());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    tokens
}

/// The text without comments, string and character literals, and items
/// under `#[cfg(test)]` (tests may reach anywhere in the crate).
fn strip(text: &str) -> String {
    without_test_items(&without_comments_and_literals(text))
}

fn without_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if let Some(end) = raw_string_end(&chars, i) {
            out.push_str("\"\"");
            i = end;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Where a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at `i` ends.
fn raw_string_end(chars: &[char], i: usize) -> Option<usize> {
    let previous_is_identifier = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if previous_is_identifier || chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    j += hashes;
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"'
            && chars[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(j)
}

/// Removes `#[cfg(test)]` items: a `mod x { … }` block or an item up to
/// its `;` or its braces.
fn without_test_items(text: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let item = &rest[at + MARK.len()..];
        let end = item
            .char_indices()
            .find_map(|(i, c)| match c {
                ';' => Some(i + 1),
                '{' => Some(matching_brace(item, i)),
                _ => None,
            })
            .unwrap_or(item.len());
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The byte index after the brace that closes the one at `open`.
fn matching_brace(text: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}
