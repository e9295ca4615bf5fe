//! `salesbook import`: real handbooks (Hugo, and a folder without front
//! matter) and small Hugo, Jekyll and MkDocs sites become salesbook sites;
//! the source is never changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{run, snapshot, Run, Site};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Imports `src` into a new folder; checks that `src` is unchanged.
fn import(src: &Path, args: &[&str]) -> (Site, Run) {
    let out = Site::empty();
    let before = snapshot(src);
    let site = out.path("site");
    let mut all = vec![
        "import",
        src.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
    ];
    all.extend(args);
    let result = run(&all);
    assert_eq!(snapshot(src), before, "the import changed its source");
    (out, result)
}

/// Every page's front matter is YAML with a text `title`.
fn assert_front_matter_reads(out: &Site) {
    for (path, bytes) in out.snapshot("site/content") {
        let text = String::from_utf8(bytes).unwrap();
        let yaml = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .map(|(yaml, _)| yaml)
            .unwrap_or_else(|| panic!("{path} has no front matter:\n{text}"));
        let fields: serde_yaml::Mapping = serde_yaml::from_str(yaml).unwrap();
        assert!(fields["title"].is_string(), "{path}: {yaml}");
    }
}

/// Whether the link `target` of a page in `folder` (under the source's
/// content folder `root`) names nothing there: it was broken before.
fn broken_in_source(root: &Path, folder: &Path, target: &str) -> bool {
    let path = target.split('#').next().unwrap();
    let base = match path.strip_prefix('/') {
        Some(absolute) => root.join(absolute),
        None => root.join(folder).join(path),
    };
    let named = base.to_string_lossy().trim_end_matches('/').to_string();
    [
        named.clone(),
        format!("{named}.md"),
        format!("{named}/index.md"),
        format!("{named}/_index.md"),
    ]
    .iter()
    .all(|candidate| !Path::new(candidate).is_file())
}

/// Heading links that break: both were broken in the source. (Links to
/// ids GitHub gives, `--` where `&` was, resolve: salesbook makes the same.)
const HEADINGS_BROKEN: &[&str] = &["#updating-information-in-salesforce", "#interest"];

/// The kinds of fault the warnings of a real handbook's import name.
const LINK: &str = "link or image to nothing";
const HEADING_LINK: &str = "link to a missing heading";
const SKIPPED_LEVEL: &str = "heading skips a level";
const IFRAME_TITLE: &str = "<iframe> without title";
const IMG_ALT: &str = "<img> without alt";
const YES_NO_VALUE: &str = "yes/no attribute with a value";
const STRAY_P: &str = "stray </p>";
const LONE_LI: &str = "<li> outside a list";

/// Whether a line of the imported page holds the fault a warning names.
type Holds = fn(&str) -> bool;

/// A warning's kind, and what the line it points at must hold for the
/// fault to be the source's own (the import keeps the text as it was).
fn kind_of(message: &str) -> (&'static str, Holds) {
    let kinds: [(&str, &str, Holds); 9] = [
        ("link to `", LINK, |_| true),
        ("image to `", LINK, |_| true),
        ("no heading `", HEADING_LINK, |_| true),
        ("the h", SKIPPED_LEVEL, |line| line.starts_with("###")),
        ("an `<iframe>` has no `title`", IFRAME_TITLE, |line| {
            line.contains("<iframe") && !line.contains("title=")
        }),
        ("an `<img>` has no `alt`", IMG_ALT, |line| {
            line.contains("<img") && !line.contains("alt=")
        }),
        ("`allowfullscreen=\"true\"`", YES_NO_VALUE, |line| {
            line.contains("allowfullscreen=\"true\"")
        }),
        ("a stray `</p>`", STRAY_P, |line| line.contains("</p>")),
        ("an `<li>` outside a list", LONE_LI, |line| {
            line.contains("<li>") && !line.contains("<ul")
        }),
    ];
    kinds
        .into_iter()
        .find(|(start, ..)| message.starts_with(start))
        .map(|(_, kind, holds)| (kind, holds))
        .unwrap_or_else(|| panic!("a warning of an unexpected kind: {message}"))
}

/// `run` has no errors, and every warning is a fault of the source
/// (`root`, its content folder): a link that named nothing there (the
/// imported site says `broken_links: warn`), or raw HTML or a heading the
/// source has at that line. Returns how many warnings of each kind.
fn assert_only_faults_of_the_source(
    run: &Run,
    root: &Path,
    out: &Site,
) -> BTreeMap<&'static str, usize> {
    assert_eq!(run.errors(), Vec::<&str>::new(), "{run}");
    let mut kinds = BTreeMap::new();
    for warning in run.warnings() {
        let mut parts = warning.splitn(4, ':');
        let (file, line) = (parts.next().unwrap(), parts.next().unwrap());
        let message = parts.nth(1).unwrap().trim_start();
        let (kind, holds) = kind_of(message);
        *kinds.entry(kind).or_insert(0) += 1;
        let target = message.split('`').nth(1).unwrap();
        let fine = match kind {
            LINK => {
                let folder = Path::new(file.strip_prefix("content/").unwrap())
                    .parent()
                    .unwrap();
                broken_in_source(root, folder, target)
            }
            HEADING_LINK => HEADINGS_BROKEN.contains(&target),
            _ => {
                let text = out.read(&format!("site/{file}"));
                let number: usize = line.parse().unwrap();
                holds(text.lines().nth(number - 1).unwrap())
            }
        };
        assert!(fine, "a problem the source did not have: {warning}\n{run}");
    }
    kinds
}

#[test]
fn a_handbook_without_front_matter_imports_with_only_its_broken_links_left() {
    let src = fixture("sourcegraph");
    let (out, result) = import(&src, &[]);
    result
        .assert_code(0)
        .assert_stderr_contains("imported 46 pages from a folder of Markdown")
        .assert_stderr_contains(
            "links rewritten: 23; local links left as written: 71; files copied: 1",
        )
        .assert_stderr_contains("no errors, 93 warnings");
    assert_eq!(
        assert_only_faults_of_the_source(&result, &src, &out),
        BTreeMap::from([
            (LINK, 70),
            (HEADING_LINK, 2),
            (SKIPPED_LEVEL, 11),
            (IMG_ALT, 1),
            (STRAY_P, 3),
            (LONE_LI, 6),
        ])
    );
    assert_front_matter_reads(&out);
    let section = out.read("site/content/departments/sales/sdrteam/_index.md");
    assert!(
        section.starts_with("---\ntitle: SDR Team\n---\n"),
        "{section}"
    );
    // The first heading is the title; one a link names stays in the body.
    let linked = out.read("site/content/departments/sales/tools/salesforce.md");
    assert!(linked.contains("title: How we use Salesforce"), "{linked}");
    assert!(linked.contains("\n# How we use Salesforce\n"), "{linked}");
    let sales = out.read("site/content/departments/sales/_index.md");
    assert!(
        sales.contains("- [SDR Team](sdrteam/_index.md)\n"),
        "{sales}"
    );
    assert!(out.exists("site/static/departments/sales/sdrteam/Recommended Reads"));
    // The source has no home page: the one made lists its top folder.
    let home = out.read("site/content/_index.md");
    assert_eq!(
        home,
        "---\ntitle: Sourcegraph\n---\n- [Departments](/departments/)\n"
    );
    assert!(!out.exists("site/static/departments/sales/CODENOTIFY"));
    assert!(!out.exists("site/static/NOTICE"));
    // A build succeeds with the same warnings, and nothing else.
    let build = run(&["build", out.path("site").to_str().unwrap()]);
    build.assert_success();
    assert_eq!(build.warnings(), result.warnings());
    // Its two links to missing headings lead to their page (the other page
    // without the dead fragment, the same page as text alone).
    let page = out.read("site/public/departments/sales/tools/salesforce/index.html");
    for dead in ["#interest", "#updating-information-in-salesforce"] {
        assert!(!page.contains(dead), "{dead} in {page}");
    }
    assert!(page.contains("<a href=\"../../../../departments/sales/tools/\">interest</a>"));
    assert!(page.contains("<li>Updating information in Salesforce</li>"));
}

#[test]
fn a_hugo_handbook_imports_with_only_its_broken_links_left() {
    let src = fixture("gitlab");
    let (out, result) = import(&src, &[]);
    result
        .assert_code(0)
        .assert_stderr_contains("imported 15 pages from a Hugo site")
        .assert_stderr_contains("keys mapped: description → summary (13)")
        .assert_stderr_contains(
            "links rewritten: 20; local links left as written: 35; files copied: 1",
        )
        .assert_stderr_contains("no errors, 38 warnings");
    assert_eq!(
        assert_only_faults_of_the_source(&result, &src.join("content"), &out),
        BTreeMap::from([
            (LINK, 34),
            (SKIPPED_LEVEL, 2),
            (IFRAME_TITLE, 1),
            (YES_NO_VALUE, 1),
        ])
    );
    assert_front_matter_reads(&out);
    assert!(out
        .read("site/site.yaml")
        .starts_with("title: The GitLab Handbook\n# Links that were already dead"));
    let metrics = out.read("site/content/handbook/sales/command-of-the-message/metrics.md");
    assert!(
        metrics.contains("[customer value drivers](_index.md#customer-value-drivers)"),
        "{metrics}"
    );
    let comms = out.read("site/content/handbook/sales/field-communications/_index.md");
    assert!(comms.contains(
        "![Field Comms Tiers](/handbook/sales/field-communications/field-comms-tiers-2023.png)"
    ));
    assert!(
        out.exists("site/static/handbook/sales/field-communications/field-comms-tiers-2023.png")
    );
    let build = run(&["build", out.path("site").to_str().unwrap()]);
    build.assert_success();
    assert_eq!(build.warnings(), result.warnings());
}

#[test]
fn a_hugo_site_with_toml_front_matter_and_shortcodes() {
    let src = Site::empty()
        .file("hugo.toml", "title = \"Hugo Lab\"\nbaseURL = \"https://example.org/docs/\"\n")
        .file("content/_index.md", "+++\ntitle = \"Welcome\"\n+++\nSee [pricing]({{< relref \"guide/pricing\" >}}).\n")
        .file(
            "content/guide/_index.md",
            "---\ntitle: Guide\nweight: 2\nslug: the-guide\n---\n",
        )
        .file(
            "content/guide/pricing.md",
            "+++\ntitle = \"Pricing talk\"\ndate = 2023-01-02T08:00:00Z\nkeywords = [\"price\"]\n\
             [params]\nicon = \"tag\"\n+++\n\nRead [discovery]({{< ref \"discovery.md#first\" >}}) and \
             [again](/docs/guide/discovery/).\n\n![chart](/images/chart.png)\n\n{{< youtube abc >}}\n",
        )
        .file("content/guide/discovery.md", "---\ntitle: Discovery\n---\n## First\n")
        .file("static/images/chart.png", "png");
    let (out, result) = import(src.root(), &[]);
    result
        .assert_success()
        .assert_stderr_contains("imported 4 pages from a Hugo site")
        .assert_stderr_contains("links rewritten: 3;")
        .assert_stderr_contains("shortcodes left: 1")
        .assert_stderr_contains(
            "warning: content/guide/pricing.md:15: shortcode `{{< youtube >}}` left as text",
        );
    assert_eq!(
        out.read("site/content/guide/pricing.md"),
        "---\ntitle: Pricing talk\ndate: 2023-01-02\ntags:\n- price\nextra:\n  params:\n    icon: tag\n---\n\
         \nRead [discovery](discovery.md#first) and [again](discovery.md).\n\n![chart](/images/chart.png)\n\n\
         {{< youtube abc >}}\n"
    );
    assert!(out
        .read("site/content/_index.md")
        .contains("[pricing](guide/pricing.md)"));
    // A section's URL is its folder's: its slug is kept under extra.
    assert_eq!(
        out.read("site/content/guide/_index.md"),
        "---\ntitle: Guide\nweight: 2\nextra:\n  slug: the-guide\n---\n"
    );
    assert!(out.read("site/site.yaml").starts_with("title: Hugo Lab\n"));
    assert_eq!(out.read("site/static/images/chart.png"), "png");
}

#[test]
fn a_jekyll_site_keeps_its_pages_posts_and_assets() {
    let src = Site::empty()
        .file("_config.yml", "title: Jekyll Lab\nbaseurl: /blog\n")
        .file("_layouts/default.html", "<html>{{ content }}</html>")
        .file("Gemfile", "source 'https://rubygems.org'\n")
        .file(
            "_posts/2024-05-01-first-call.md",
            "---\nlayout: post\ntitle: First call\ndate: 2024-05-01 10:00:00 +0100\ncategories: [calls]\n---\nHello.\n",
        )
        .file(
            "about.md",
            "---\npermalink: /about/\n---\n# About us\n\nRead [the post]({% link _posts/2024-05-01-first-call.md %}).\n\
             ![logo]({{ site.baseurl }}/assets/logo.png)\n\n{% include note.html %}\n",
        )
        .file("_posts/2024-06-02-second-call.markdown", "---\ntitle: Second\n---\nHi.\n")
        .file("assets/logo.png", "png");
    let (out, result) = import(src.root(), &[]);
    result
        .assert_code(0)
        .assert_stderr_contains("imported 3 pages from a Jekyll site")
        .assert_stderr_contains("keys mapped: categories → tags (1)")
        .assert_stderr_contains("keys kept under extra: layout (1), permalink (1)")
        .assert_stderr_contains(
            "warning: content/about.md:9: shortcode `{% include %}` left as text",
        );
    assert_eq!(
        out.read("site/content/posts/first-call.md"),
        "---\ntitle: First call\ndate: 2024-05-01\ntags:\n- calls\nextra:\n  layout: post\n---\nHello.\n"
    );
    assert_eq!(
        out.read("site/content/about.md"),
        "---\ntitle: About us\nextra:\n  permalink: /about/\n---\nRead [the post](posts/first-call.md).\n\
         ![logo](/assets/logo.png)\n\n{% include note.html %}\n"
    );
    // A post without a date takes its file name's.
    assert_eq!(
        out.read("site/content/posts/second-call.md"),
        "---\ntitle: Second\ndate: 2024-06-02\n---\nHi.\n"
    );
    assert_eq!(out.all_files("site/static"), vec!["assets/logo.png"]);
    assert!(out
        .read("site/content/_index.md")
        .contains("title: Jekyll Lab"));
}

#[test]
fn an_mkdocs_site_takes_order_and_titles_from_its_nav() {
    let src = Site::empty()
        .file(
            "mkdocs.yml",
            "site_name: Docs Lab\nnav:\n  - Home: index.md\n  - Guide:\n    - Last step: guide/zz.md\n    - First step: guide/aa.md\n",
        )
        .file("docs/index.md", "# Docs\n\nStart with [a](guide/aa.md). ![x](img/x.png)\n")
        .file("docs/guide/aa.md", "Plain text.\n")
        .file("docs/guide/zz.md", "More text.\n")
        .file("docs/img/x.png", "png");
    let (out, result) = import(src.root(), &[]);
    result
        .assert_success()
        .assert_stderr_contains("imported 3 pages from a MkDocs site");
    assert_eq!(
        out.read("site/content/guide/zz.md"),
        "---\ntitle: Last step\nweight: 2\n---\nMore text.\n"
    );
    assert_eq!(
        out.read("site/content/guide/aa.md"),
        "---\ntitle: First step\nweight: 3\n---\nPlain text.\n"
    );
    let home = out.read("site/content/_index.md");
    assert!(
        home.contains("Start with [a](guide/aa.md). ![x](/img/x.png)"),
        "{home}"
    );
    assert!(out.read("site/site.yaml").starts_with("title: Docs Lab\n"));
}

#[test]
fn an_obsidian_folder_gets_its_wikilinks_as_links() {
    let src = Site::empty()
        .file(
            "Deal Desk.md",
            "Quotes go to [[Pricing|the pricing page]].\n",
        )
        .file(
            "notes/Pricing.md",
            "# Pricing\n\n## Discounts\n\nSee [[Deal Desk]].\n",
        );
    let (out, result) = import(src.root(), &[]);
    result.assert_success();
    assert!(out
        .read("site/content/Deal Desk.md")
        .contains("Quotes go to [the pricing page](notes/Pricing.md)."));
    assert!(out
        .read("site/content/notes/Pricing.md")
        .contains("See [Deal Desk](../Deal%20Desk.md)."));
    let home = out.read("site/content/_index.md");
    assert!(
        home.ends_with("---\n- [Deal Desk](Deal%20Desk.md)\n- [Notes](/notes/)\n"),
        "{home}"
    );
}

#[test]
fn the_new_site_must_be_a_new_folder_outside_the_source() {
    let src = Site::empty().file("a.md", "# A\n");
    let before = snapshot(src.root());
    let inside = src.path("out");
    run(&[
        "import",
        src.root().to_str().unwrap(),
        "-o",
        inside.to_str().unwrap(),
    ])
    .assert_code(2)
    .assert_stderr_contains("cannot be inside the folder it imports");
    let taken = Site::empty().file("keep.txt", "mine");
    run(&[
        "import",
        src.root().to_str().unwrap(),
        "-o",
        taken.root().to_str().unwrap(),
    ])
    .assert_code(2)
    .assert_stderr_contains("is not empty");
    assert_eq!(taken.read("keep.txt"), "mine");
    assert_eq!(snapshot(src.root()), before);
}

#[test]
fn without_a_site_folder_the_import_goes_beside_the_source() {
    let parent = Site::empty().file("handbook/a.md", "# A\n");
    run(&["import", parent.path("handbook").to_str().unwrap()]).assert_success();
    assert!(parent
        .read("handbook-salesbook/content/a.md")
        .starts_with("---\ntitle: A\n"));
}

#[test]
fn the_report_is_one_json_object_in_json_format() {
    let src = Site::empty().file("a.md", "---\ndescription: x\n---\n# A\n");
    let (_, result) = import(src.root(), &["--format", "json"]);
    result.assert_code(0);
    let first = result.stdout.lines().next().unwrap();
    let report: serde_json::Value = serde_json::from_str(first).unwrap();
    assert_eq!(report["import"]["pages"], 1);
    assert_eq!(report["import"]["keys_mapped"]["description → summary"], 1);
}
