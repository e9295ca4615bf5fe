//! Themes: the built-in one, embedded in the binary from `themes/default/`,
//! and a site's `themes/<name>/`, whose files replace built-in ones of the
//! same name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::content::load::display_path;
use crate::diagnostics::Diagnostic;

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Built-in templates stay reachable under this prefix, so a site template
/// can `{% extends "__salesbook/base.html" %}` and replace one block.
pub const BUILT_IN_PREFIX: &str = "__salesbook/";

/// Where diagnostics say a built-in template comes from.
const BUILT_IN_LABEL: &str = "<built-in theme>";

pub const THEMES_DIR: &str = "themes";

/// A template's source and the file it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    pub text: String,
    /// Shown in diagnostics: `themes/x/templates/page.html`.
    pub file: String,
}

#[derive(Debug, Clone)]
pub enum StaticFile {
    BuiltIn(&'static [u8]),
    OnDisk(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Theme {
    /// Site templates overriding built-in ones, by name.
    overrides: BTreeMap<String, TemplateSource>,
    /// Theme static files by output path (built-in, then overridden).
    static_files: BTreeMap<String, StaticFile>,
    /// Symbolic links in the theme folder, which are not followed.
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// Reads the site's theme folder (if any) over the built-in theme.
    /// `line` is where site.yaml names the theme, for the diagnostic when
    /// its folder is missing.
    pub fn load(root: &Path, name: &str, line: Option<usize>) -> Result<Theme, Vec<Diagnostic>> {
        let mut static_files = BTreeMap::new();
        if let Some(dir) = BUILT_IN.get_dir("static") {
            collect_built_in_static(dir, &mut static_files);
        }
        let folder = root.join(THEMES_DIR).join(name);
        let mut overrides = BTreeMap::new();
        if !folder.is_dir() {
            if name != "default" {
                return Err(vec![Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    line,
                    format!("theme `{name}` not found: there is no folder themes/{name}/"),
                )
                .with_hint(
                    "create the folder, or set `theme: default` for the built-in theme",
                )]);
            }
            return Ok(Theme {
                overrides,
                static_files,
                warnings: Vec::new(),
            });
        }
        let mut problems = Vec::new();
        let shown = format!("{THEMES_DIR}/{name}/templates");
        for (relative, path) in files_under(&folder.join("templates"), &shown, &mut problems) {
            let file = format!("{THEMES_DIR}/{name}/templates/{relative}");
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    overrides.insert(
                        relative.clone(),
                        TemplateSource {
                            name: relative,
                            text,
                            file,
                        },
                    );
                }
                Err(error) => problems.push(Diagnostic::error(
                    file,
                    None,
                    format!("cannot read template: {error}"),
                )),
            }
        }
        let shown = format!("{THEMES_DIR}/{name}/static");
        for (relative, path) in files_under(&folder.join("static"), &shown, &mut problems) {
            static_files.insert(relative, StaticFile::OnDisk(path));
        }
        let (warnings, errors): (Vec<_>, Vec<_>) = problems
            .into_iter()
            .partition(|p| p.severity == crate::diagnostics::Severity::Warning);
        let problems = errors;
        if problems.is_empty() {
            Ok(Theme {
                overrides,
                static_files,
                warnings,
            })
        } else {
            Err(problems)
        }
    }

    /// Every template to register: built-ins under their name and under
    /// [`BUILT_IN_PREFIX`], then the site's overrides under their name.
    pub fn templates(&self) -> Vec<TemplateSource> {
        let mut all = Vec::new();
        for (name, text) in built_in_templates() {
            let file = format!("{BUILT_IN_LABEL}/templates/{name}");
            all.push(TemplateSource {
                name: format!("{BUILT_IN_PREFIX}{name}"),
                text: text.to_string(),
                file: file.clone(),
            });
            if !self.overrides.contains_key(&name) {
                all.push(TemplateSource {
                    name,
                    text: text.to_string(),
                    file,
                });
            }
        }
        all.extend(self.overrides.values().cloned());
        all
    }

    /// Changes whenever a template or static file of the site's theme does.
    pub fn fingerprint(&self) -> u64 {
        let templates: Vec<(&String, &String)> = self
            .overrides
            .iter()
            .map(|(name, t)| (name, &t.text))
            .collect();
        let statics: Vec<(&String, Option<crate::content::load::Stamp>)> = self
            .static_files
            .iter()
            .map(|(path, file)| match file {
                StaticFile::BuiltIn(_) => (path, None),
                StaticFile::OnDisk(source) => (
                    path,
                    std::fs::metadata(source)
                        .ok()
                        .map(|m| crate::content::load::Stamp::of(&m)),
                ),
            })
            .collect();
        crate::site::fingerprint(&(templates, statics))
    }

    /// The theme's static files, by output path.
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &StaticFile)> {
        self.static_files
            .iter()
            .map(|(path, file)| (path.as_str(), file))
    }
}

fn built_in_templates() -> Vec<(String, &'static str)> {
    let mut templates = Vec::new();
    if let Some(dir) = BUILT_IN.get_dir("templates") {
        collect_built_in_templates(dir, &mut templates);
    }
    templates
}

fn collect_built_in_templates(dir: &'static Dir<'static>, into: &mut Vec<(String, &'static str)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            let name = file.path().strip_prefix("templates").unwrap_or(file.path());
            into.push((display_path(name), text));
        }
    }
    for sub in dir.dirs() {
        collect_built_in_templates(sub, into);
    }
}

fn collect_built_in_static(dir: &'static Dir<'static>, into: &mut BTreeMap<String, StaticFile>) {
    for file in dir.files() {
        let name = file.path().strip_prefix("static").unwrap_or(file.path());
        into.insert(display_path(name), StaticFile::BuiltIn(file.contents()));
    }
    for sub in dir.dirs() {
        collect_built_in_static(sub, into);
    }
}

/// Regular files under `dir` (relative path, full path), sorted. Symbolic
/// links are not followed (a warning names each, under `shown`).
fn files_under(dir: &Path, shown: &str, problems: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        match entry {
            Ok(entry) if entry.path_is_symlink() => {
                let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                problems.push(
                    Diagnostic::warning(
                        format!("{shown}/{}", display_path(relative)),
                        None,
                        "symbolic link not followed",
                    )
                    .with_hint("copy the file into the theme folder instead"),
                );
            }
            Ok(entry) if entry.file_type().is_file() => {
                let name = entry.file_name().to_string_lossy();
                if crate::content::load::is_ignored_name(&name) {
                    continue;
                }
                let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                files.push((display_path(relative), entry.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(error) => problems.push(Diagnostic::error(
                display_path(dir),
                None,
                format!("cannot read: {error}"),
            )),
        }
    }
    files
}
