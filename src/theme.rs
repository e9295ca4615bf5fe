//! Themes: the built-in one, embedded in the binary from `themes/default/`,
//! and a site's `themes/<name>/`, whose files replace built-in ones of the
//! same name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::content::folder::{files_under, Folder};
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
    /// A stylesheet rewritten to name the other assets it uses by their
    /// hashed names.
    Rewritten(Vec<u8>),
}

/// Static files by output path.
type StaticFiles = BTreeMap<String, StaticFile>;

/// The theme's folder of assets, whose files are written under names
/// with a content hash (see [`hashed_name`]).
pub const ASSETS_DIR: &str = "assets/";

#[derive(Debug, Clone)]
pub struct Theme {
    /// Site templates overriding built-in ones, by name.
    overrides: BTreeMap<String, TemplateSource>,
    /// Theme static files by output path (built-in, then overridden); an
    /// asset by its hashed name.
    static_files: BTreeMap<String, StaticFile>,
    /// Each asset's output path by its name under `assets/`:
    /// `salesbook.css` -> `assets/salesbook.3f9a1c0d.css`.
    assets: BTreeMap<String, String>,
    /// Symbolic links in the theme folder, which are not followed.
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// Reads the site's theme folder (if any) over the built-in theme.
    /// `line` is where site.yaml names the theme, for the diagnostic when
    /// its folder is missing. A file of `site_static` (the site's
    /// `static/`) at an asset's path replaces the asset.
    pub fn load(
        root: &Path,
        name: &str,
        line: Option<usize>,
        site_static: &Path,
    ) -> Result<Theme, Vec<Diagnostic>> {
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
            let (static_files, assets) =
                hash_assets(static_files, site_static).map_err(|p| vec![p])?;
            return Ok(Theme {
                overrides,
                static_files,
                assets,
                warnings: Vec::new(),
            });
        }
        let mut problems = Vec::new();
        let shown = format!("{THEMES_DIR}/{name}/templates");
        let templates = Folder {
            dir: &folder.join("templates"),
            shown: &shown,
            skip_hidden: true,
        };
        for (relative, path) in files_under(&templates, &mut problems) {
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
        let theme_static = Folder {
            dir: &folder.join("static"),
            shown: &shown,
            skip_hidden: true,
        };
        for (relative, path) in files_under(&theme_static, &mut problems) {
            static_files.insert(relative, StaticFile::OnDisk(path));
        }
        let (warnings, errors): (Vec<_>, Vec<_>) = problems
            .into_iter()
            .partition(|p| p.severity == crate::diagnostics::Severity::Warning);
        let mut problems = errors;
        if !problems.is_empty() {
            return Err(problems);
        }
        match hash_assets(static_files, site_static) {
            Ok((static_files, assets)) => Ok(Theme {
                overrides,
                static_files,
                assets,
                warnings,
            }),
            Err(problem) => {
                problems.push(problem);
                Err(problems)
            }
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
        crate::fingerprint::fingerprint(&(self.templates_fingerprint(), self.statics_fingerprint()))
    }

    /// Changes whenever a template of the site's theme does.
    fn templates_fingerprint(&self) -> u64 {
        let templates: Vec<(&String, &String)> = self
            .overrides
            .iter()
            .map(|(name, t)| (name, &t.text))
            .collect();
        crate::fingerprint::fingerprint(&templates)
    }

    /// Changes whenever a static file of the site's theme does.
    pub fn statics_fingerprint(&self) -> u64 {
        let statics: Vec<(&String, Option<crate::content::load::Stamp>)> = self
            .static_files
            .iter()
            .map(|(path, file)| match file {
                // The hashed name in `path` changes with the bytes.
                StaticFile::BuiltIn(_) | StaticFile::Rewritten(_) => (path, None),
                StaticFile::OnDisk(source) => (
                    path,
                    std::fs::metadata(source)
                        .ok()
                        .map(|m| crate::content::load::Stamp::of(&m)),
                ),
            })
            .collect();
        crate::fingerprint::fingerprint(&statics)
    }

    /// The templates whose output may differ from what they gave with the
    /// templates of `before`: the changed, added and removed ones, and every
    /// template that names one of those in a tag (`extends`, `include`,
    /// `import`), directly or through others. `None` when any template may:
    /// a changed template defines components, which every template can call.
    pub fn templates_affected_since(&self, before: &Theme) -> Option<BTreeSet<String>> {
        let names: BTreeSet<&String> = self
            .overrides
            .keys()
            .chain(before.overrides.keys())
            .collect();
        let mut affected = BTreeSet::new();
        for name in names {
            let (old, new) = (before.overrides.get(name), self.overrides.get(name));
            if old.map(|t| &t.text) == new.map(|t| &t.text) {
                continue;
            }
            if old
                .into_iter()
                .chain(new)
                .any(|t| defines_components(&t.text))
            {
                return None;
            }
            affected.insert(name.clone());
        }
        if affected.is_empty() {
            return Some(affected);
        }
        let templates = self.templates();
        let named: Vec<(&str, BTreeSet<&str>)> = templates
            .iter()
            .map(|t| (t.name.as_str(), names_in_tags(&t.text)))
            .collect();
        // To a fixed point: a template that names an affected one is
        // affected (the theme has a few dozen templates).
        loop {
            let newly: Vec<String> = named
                .iter()
                .filter(|(name, _)| !affected.contains(*name))
                .filter(|(_, names)| names.iter().any(|n| affected.contains(*n)))
                .map(|(name, _)| name.to_string())
                .collect();
            if newly.is_empty() {
                return Some(affected);
            }
            affected.extend(newly);
        }
    }

    /// The theme's static files, by output path.
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &StaticFile)> {
        self.static_files
            .iter()
            .map(|(path, file)| (path.as_str(), file))
    }

    /// The output path of the asset `name` (its path under `assets/`).
    pub fn asset(&self, name: &str) -> Option<&str> {
        self.assets.get(name).map(String::as_str)
    }

    /// Every asset's name under `assets/` and output path, by name.
    pub fn assets(&self) -> &BTreeMap<String, String> {
        &self.assets
    }
}

/// The static files with every asset renamed to carry its content hash,
/// and the assets' output paths by name. A CDN or browser that keeps an
/// asset for long can then never pair an old script with new pages. A
/// file of the site's `static/` at an asset's path replaces the asset.
/// Stylesheets come last: the names of what they use go into their bytes.
fn hash_assets(
    static_files: StaticFiles,
    site_static: &Path,
) -> Result<(StaticFiles, BTreeMap<String, String>), Diagnostic> {
    let mut renamed = BTreeMap::new();
    let mut hashed_paths = BTreeMap::new();
    let mut stylesheets = Vec::new();
    for (path, file) in static_files {
        if !path.starts_with(ASSETS_DIR) {
            renamed.insert(path, file);
            continue;
        }
        // Not through a symbolic link: the site's static files are not.
        let site_file = site_static.join(&path);
        let file = if std::fs::symlink_metadata(&site_file).is_ok_and(|m| m.is_file()) {
            StaticFile::OnDisk(site_file)
        } else {
            file
        };
        if path.ends_with(".css") {
            stylesheets.push((path, file));
            continue;
        }
        let hashed = hashed_name(&path, crc32fast::hash(&asset_bytes(&file)?));
        hashed_paths.insert(path, hashed.clone());
        renamed.insert(hashed, file);
    }
    // What stylesheets may name: not each other, whose order would matter.
    let files = hashed_paths.clone();
    for (path, file) in stylesheets {
        let bytes = asset_bytes(&file)?;
        let rewritten = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|css| css_with_hashed_urls(css, &path, &files));
        let file = match rewritten {
            Some(css) => StaticFile::Rewritten(css.into_bytes()),
            None => file,
        };
        let hashed = hashed_name(&path, crc32fast::hash(&asset_bytes(&file)?));
        hashed_paths.insert(path, hashed.clone());
        renamed.insert(hashed, file);
    }
    let assets = hashed_paths
        .into_iter()
        .map(|(path, hashed)| (path[ASSETS_DIR.len()..].to_string(), hashed))
        .collect();
    Ok((renamed, assets))
}

/// The bytes of an asset.
fn asset_bytes(file: &StaticFile) -> Result<std::borrow::Cow<'_, [u8]>, Diagnostic> {
    match file {
        StaticFile::BuiltIn(bytes) => Ok((*bytes).into()),
        StaticFile::Rewritten(bytes) => Ok(bytes.as_slice().into()),
        StaticFile::OnDisk(source) => std::fs::read(source).map(Into::into).map_err(|error| {
            Diagnostic::error(
                display_path(source),
                None,
                format!("cannot read theme asset: {error}"),
            )
        }),
    }
}

/// `css` (the asset at `css_path`) with each relative `url(...)` that
/// names another asset naming its hashed file instead; None when it names
/// none. `hashed` maps output paths to hashed ones.
fn css_with_hashed_urls(
    css: &str,
    css_path: &str,
    hashed: &BTreeMap<String, String>,
) -> Option<String> {
    let folder = css_path.rsplit_once('/').map_or("", |(folder, _)| folder);
    // ASCII lower-casing keeps every byte offset.
    let lower = css.to_ascii_lowercase();
    let mut result = String::with_capacity(css.len());
    let mut copied = 0;
    for (at, _) in lower.match_indices("url(") {
        let Some((start, end)) = url_bounds(css, at + "url(".len()) else {
            continue;
        };
        let reference = &css[start..end];
        let path_end = reference.find(['?', '#']).unwrap_or(reference.len());
        let Some(target) = resolve(folder, &reference[..path_end]) else {
            continue;
        };
        let Some(hashed_path) = hashed.get(&target) else {
            continue;
        };
        // Only the file name changes: keep the reference's own folders.
        let name_start = reference[..path_end]
            .rfind('/')
            .map_or(0, |slash| slash + 1);
        let hashed_name = hashed_path.rsplit('/').next().unwrap_or(hashed_path);
        result.push_str(&css[copied..start + name_start]);
        result.push_str(hashed_name);
        copied = start + path_end;
    }
    if copied == 0 {
        return None;
    }
    result.push_str(&css[copied..]);
    Some(result)
}

/// Where the reference inside `url(` starting at `from` begins and ends,
/// without quotes and spaces.
fn url_bounds(css: &str, from: usize) -> Option<(usize, usize)> {
    let rest = &css[from..];
    let start = from + (rest.len() - rest.trim_start().len());
    let quote = css[start..]
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\''));
    match quote {
        Some(quote) => {
            let end = css[start + 1..].find(quote)?;
            Some((start + 1, start + 1 + end))
        }
        None => {
            let end = css[start..].find(')')?;
            Some((start, start + css[start..start + end].trim_end().len()))
        }
    }
}

/// `reference` (relative, from a stylesheet in `folder`) as a path from
/// the site root; None for an absolute or external one, or one that
/// leaves the site.
fn resolve(folder: &str, reference: &str) -> Option<String> {
    if reference.is_empty() || reference.starts_with(['/', '#']) || reference.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// `path` with `digest` in hex before its extension:
/// `assets/salesbook.css` -> `assets/salesbook.3f9a1c0d.css`; a name
/// without an extension ends with it.
fn hashed_name(path: &str, digest: u32) -> String {
    let file_start = path.rfind('/').map_or(0, |slash| slash + 1);
    match path[file_start..].rfind('.').filter(|&dot| dot > 0) {
        Some(dot) => {
            let (stem, extension) = path.split_at(file_start + dot);
            format!("{stem}.{digest:08x}{extension}")
        }
        None => format!("{path}.{digest:08x}"),
    }
}

/// Whether a template defines a component (`{% component Name(...) %}`).
fn defines_components(text: &str) -> bool {
    tags(text).any(|tag| {
        tag.trim_start_matches('-')
            .trim_start()
            .starts_with("component")
    })
}

/// The quoted strings inside the `{% ... %}` tags of a template: the names
/// it extends, includes and imports, among others. Text outside tags is
/// not read, so an apostrophe in the page's prose cannot open a string.
fn names_in_tags(text: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    for tag in tags(text) {
        let mut rest = tag;
        while let Some(open) = rest.find(['"', '\'']) {
            let quote = &rest[open..open + 1];
            let after = &rest[open + 1..];
            let Some(close) = after.find(quote) else {
                break;
            };
            names.insert(&after[..close]);
            rest = &after[close + 1..];
        }
    }
    names
}

/// The insides of a template's `{% ... %}` tags.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    text.split("{%")
        .skip(1)
        .filter_map(|rest| rest.split_once("%}").map(|(inside, _)| inside))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The theme of a site whose `themes/default/templates/` holds `files`.
    fn theme_with(files: &[(&str, &str)]) -> Theme {
        let root = tempfile::tempdir().expect("a temporary folder");
        for (name, text) in files {
            let path = root.path().join("themes/default/templates").join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, text).expect("a written template");
        }
        Theme::load(root.path(), "default", None, &root.path().join("static")).expect("a theme")
    }

    fn affected(before: &[(&str, &str)], after: &[(&str, &str)]) -> Option<Vec<String>> {
        theme_with(after)
            .templates_affected_since(&theme_with(before))
            .map(|names| names.into_iter().collect())
    }

    #[test]
    fn a_stylesheet_names_the_assets_it_uses_by_their_hashed_names() {
        let hashed: BTreeMap<String, String> = [
            ("assets/fonts/a.woff2", "assets/fonts/a.0000000a.woff2"),
            ("assets/logo.svg", "assets/logo.0000000b.svg"),
        ]
        .into_iter()
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect();
        let css = "@font-face{src:URL( \"fonts/a.woff2?#iefix\" ) format('woff2')}\n\
                   .a{background:url(./logo.svg)} .b{background:url('../assets/logo.svg')}\n\
                   .c{background:url(data:image/png;base64,xx)} .d{background:url(/logo.svg)} .e{background:url(other.png)}";
        assert_eq!(
            css_with_hashed_urls(css, "assets/site.css", &hashed).as_deref(),
            Some(
                "@font-face{src:URL( \"fonts/a.0000000a.woff2?#iefix\" ) format('woff2')}\n\
                 .a{background:url(./logo.0000000b.svg)} .b{background:url('../assets/logo.0000000b.svg')}\n\
                 .c{background:url(data:image/png;base64,xx)} .d{background:url(/logo.svg)} .e{background:url(other.png)}"
            )
        );
        assert_eq!(
            css_with_hashed_urls(".e{x:url(other.png)}", "assets/site.css", &hashed),
            None
        );
    }

    #[test]
    fn hashed_names_keep_the_extension_last() {
        assert_eq!(
            hashed_name("assets/salesbook.css", 0x3f9a_1c0d),
            "assets/salesbook.3f9a1c0d.css"
        );
        assert_eq!(
            hashed_name("assets/v1.2/font.min.woff2", 0xab),
            "assets/v1.2/font.min.000000ab.woff2"
        );
        assert_eq!(hashed_name("assets/LICENSE", 1), "assets/LICENSE.00000001");
    }

    #[test]
    fn names_are_read_from_tags_only() {
        let text = "It's {% extends \"base.html\" %} what's {% include 'partials/card.html' %}\
            {{ \"x.html\" }} {%- import \"lib.html\" as lib -%}";
        let names: Vec<&str> = names_in_tags(text).into_iter().collect();
        assert_eq!(names, ["base.html", "lib.html", "partials/card.html"]);
    }

    #[test]
    fn an_unchanged_theme_affects_nothing() {
        let files = [("exercise.html", "{% extends \"base.html\" %}")];
        assert_eq!(affected(&files, &files), Some(vec![]));
    }

    #[test]
    fn a_page_template_affects_itself_only() {
        let after = [(
            "exercise.html",
            "{% extends \"__salesbook/exercise.html\" %}",
        )];
        assert_eq!(
            affected(&[], &after),
            Some(vec!["exercise.html".to_string()])
        );
        // Removed again: the built-in one comes back.
        assert_eq!(
            affected(&after, &[]),
            Some(vec!["exercise.html".to_string()])
        );
    }

    #[test]
    fn a_partial_affects_every_template_that_includes_it_through_any_chain() {
        let after = [("partials/person.html", "<p>{{ person.name }}</p>")];
        let names = affected(&[], &after).expect("no components");
        // interview.html includes it, and the built-in copy under the
        // prefix does too; exercise.html does not.
        for name in [
            "partials/person.html",
            "interview.html",
            "__salesbook/interview.html",
        ] {
            assert!(names.contains(&name.to_string()), "{name} in {names:?}");
        }
        assert!(!names.contains(&"exercise.html".to_string()), "{names:?}");
    }

    #[test]
    fn the_base_template_affects_every_page_template() {
        let after = [("base.html", "{% block content %}{% endblock content %}")];
        let names = affected(&[], &after).expect("no components");
        for name in [
            "home.html",
            "interview.html",
            "exercise.html",
            "list.html",
            "topic.html",
            "topics.html",
            "track.html",
            "speaker.html",
            "page.html",
            "workbook.html",
        ] {
            assert!(names.contains(&name.to_string()), "{name} in {names:?}");
        }
    }

    #[test]
    fn a_changed_component_definition_affects_everything() {
        let component = "{% component Badge(label) %}<b>{{ label }}</b>{% endcomponent Badge %}";
        assert_eq!(affected(&[], &[("parts.html", component)]), None);
        assert_eq!(affected(&[("parts.html", component)], &[]), None);
    }
}
