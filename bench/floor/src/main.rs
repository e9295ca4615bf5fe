//! The floor of the salesbook benchmark: the least any generator must do.
//!
//!     salesbook-floor SITE OUT
//!
//! For every `.md` under `SITE/content/`, in parallel (rayon): read it, split
//! the front matter, parse the YAML into a `serde_yaml::Value`, render the
//! Markdown body with pulldown-cmark (the same options salesbook uses) and
//! write `OUT/<path without .md>/index.html`. No templates, no lists, no
//! links between pages. Prints `floor: N pages into OUT in X ms`.

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;
use std::{env, fs, process};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Front matter between a first line `---` and the next line `---`.
fn split(text: &str) -> (&str, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return ("", text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return (&rest[..offset], &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    ("", text)
}

fn page(content: &Path, out: &Path, file: &Path) -> Result<(), String> {
    let text = fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let (yaml, body) = split(&text);
    let meta: serde_yaml::Value =
        serde_yaml::from_str(yaml).map_err(|e| format!("{}: {e}", file.display()))?;
    let title = meta
        .get("title")
        .or_else(|| meta.get("name"))
        .and_then(|v| v.as_str())
        .unwrap_or("");
    let mut html_out = String::with_capacity(body.len() * 3 / 2 + 256);
    html_out.push_str("<!doctype html>\n<title>");
    for c in title.chars() {
        match c {
            '&' => html_out.push_str("&amp;"),
            '<' => html_out.push_str("&lt;"),
            '>' => html_out.push_str("&gt;"),
            '"' => html_out.push_str("&quot;"),
            _ => html_out.push(c),
        }
    }
    html_out.push_str("</title>\n");
    html::push_html(&mut html_out, Parser::new_ext(body, options()));
    let rel = file.strip_prefix(content).unwrap().with_extension("");
    let dir = out.join(rel);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    fs::write(dir.join("index.html"), html_out).map_err(|e| format!("{}: {e}", dir.display()))
}

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: salesbook-floor SITE OUT");
        process::exit(2);
    }
    let start = Instant::now();
    let content = Path::new(&args[1]).join("content");
    let out = PathBuf::from(&args[2]);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let errors: Vec<String> = files
        .par_iter()
        .filter_map(|f| page(&content, &out, f).err())
        .collect();
    for e in &errors {
        eprintln!("error: {e}");
    }
    println!(
        "floor: {} pages into {} in {} ms",
        files.len() - errors.len(),
        out.display(),
        start.elapsed().as_millis()
    );
    if !errors.is_empty() {
        process::exit(1);
    }
}
