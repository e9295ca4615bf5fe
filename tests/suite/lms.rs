//! LMS packages (`build --lms scorm12`, `lms:` in site.yaml): one SCORM 1.2 ZIP
//! per published track, valid against the SCORM 1.2 schemas, holding every file
//! its pages use and no link out of it, byte-identical from build to build; and
//! the checks `build` and `check` make of the tracks they package.
//!
//! The manifest is validated with `xmllint` (Debian's libxml2-utils) against the
//! schema files the package carries: without xmllint those tests are skipped with
//! a notice, except in CI (env `CI` set), where they fail.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::process::Command;

use crate::support::{links, Site};

/// Two tracks: `habit` (mastery score 60; an interview, two exercises with a quiz) and
/// `solo` (one exercise, no mastery score). Pages link to each other, to a page outside
/// the tracks, to a static image and a PDF, and to the web.
fn lms_site() -> Site {
    Site::new()
        .file("content/about.md", "---\ntitle: About\n---\nAbout the lab.\n")
        .file(
            "content/interviews/talk.md",
            "---\ntitle: The Talk\nsource: https://example.org/episode\n---\n## Why practise\n\n\
             Read [about us](../about.md), [try the opening](../exercises/opening.md#steps) \
             and [the slides](/files/slides.pdf).\n",
        )
        .file(
            "content/exercises/opening.md",
            "---\ntitle: A new opening\nattempts: 2\nrelated: [interviews/talk, exercises/elsewhere]\n\
             quiz:\n  - question: How many tries?\n    choices: ['One', 'Three']\n    answer: 'Three'\n\
             tags: [practice]\n---\n## Steps\n\n![the script](/img/script.png)\n\nBack to [the talk](@/interviews/talk.md#why-practise).\n",
        )
        .file(
            "content/exercises/debrief.md",
            "---\ntitle: Debrief\nattempts: 1\nquiz:\n  - question: Always?\n    choices: ['Yes', 'No']\n    answer: 'Yes'\n---\nAsk.\n",
        )
        .file("content/exercises/elsewhere.md", "---\ntitle: Elsewhere\n---\nNot in a track.\n")
        .file(
            "content/tracks/habit.md",
            "---\ntitle: The habit\nsummary: Interview first, then practise.\nmastery_score: 60\nitems:\n  - interviews/talk\n  - exercises/opening\n  - exercises/debrief\n---\nIn order.\n",
        )
        .file("content/tracks/solo.md", "---\ntitle: Solo\nitems: [exercises/debrief]\n---\nOne.\n")
        .bytes("static/img/script.png", b"\x89PNG not really")
        .bytes("static/files/slides.pdf", b"%PDF-1.4 not really")
        .bytes("static/files/unused.txt", b"not used by any page")
}

/// The entries of a ZIP file, by name.
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut archive = zip::ZipArchive::new(file).expect("a ZIP file");
    let mut entries = BTreeMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        entries.insert(name, bytes);
    }
    entries
}

fn text(entries: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        entries
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in the package"))
            .clone(),
    )
    .unwrap()
}

const SCHEMAS: [&str; 4] = [
    "adlcp_rootv1p2.xsd",
    "ims_xml.xsd",
    "imscp_rootv1p1p2.xsd",
    "imsmd_rootv1p2p1.xsd",
];

/// Whether xmllint runs here; without it the schema tests are skipped (not in CI).
fn xmllint_available() -> bool {
    let found = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is needed in CI: apt-get install libxml2-utils"
        );
        eprintln!(
            "note: skipping SCORM schema validation: no xmllint (apt-get install libxml2-utils)"
        );
    }
    found
}

/// Validates `manifest` with xmllint against the package's own schema files (one
/// wrapper schema imports the three namespaces a SCORM 1.2 manifest uses).
/// Returns xmllint's verdict and messages.
fn validate(entries: &BTreeMap<String, Vec<u8>>, manifest: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    for name in SCHEMAS {
        std::fs::write(dir.path().join(name), &entries[name]).unwrap();
    }
    std::fs::write(
        dir.path().join("scorm12.xsd"),
        r#"<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:salesbook:test:scorm12">
  <xsd:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2" schemaLocation="imscp_rootv1p1p2.xsd"/>
  <xsd:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2" schemaLocation="adlcp_rootv1p2.xsd"/>
  <xsd:import namespace="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1" schemaLocation="imsmd_rootv1p2p1.xsd"/>
</xsd:schema>
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("imsmanifest.xml"), manifest).unwrap();
    let output = Command::new("xmllint")
        .args(["--noout", "--schema", "scorm12.xsd", "imsmanifest.xml"])
        .current_dir(dir.path())
        .output()
        .expect("run xmllint");
    let messages = String::from_utf8_lossy(&output.stderr).into_owned();
    (
        output.status.success() && messages.contains("imsmanifest.xml validates"),
        messages,
    )
}

/// The values of attribute `name` on every element `element` of `xml`.
fn attribute_values(xml: &str, element: &str, name: &str) -> Vec<String> {
    let open = format!("<{element} ");
    xml.split(&open)
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>').unwrap()];
            let key = format!("{name}=\"");
            let start = tag.find(&key)? + key.len();
            Some(tag[start..start + tag[start..].find('"').unwrap()].to_string())
        })
        .collect()
}

#[test]
fn packages_are_written_for_each_published_track_when_asked() {
    let site = lms_site().file(
        "content/tracks/later.md",
        "---\ntitle: Later\ndraft: true\nitems: [exercises/elsewhere]\n---\n",
    );
    site.build().assert_success();
    assert!(!site.exists("public/lms"), "no packages unless asked");

    let run = site.build_with(&["--lms", "scorm12"]);
    run.assert_success();
    assert_eq!(site.all_files("public/lms"), ["habit.zip", "solo.zip"]);
    assert!(
        site.exists("public/tracks/habit/index.html"),
        "the site is built as well"
    );

    // A draft track is built as a page with --drafts, but not packaged.
    site.build_with(&["--lms", "scorm12", "--drafts"])
        .assert_success();
    assert!(site.exists("public/tracks/later/index.html"));
    assert_eq!(site.all_files("public/lms"), ["habit.zip", "solo.zip"]);

    // `lms:` in site.yaml asks for them too; `--lms none` overrides it.
    site.write("site.yaml", "title: Test Lab\nlms: scorm12\n");
    site.build().assert_success();
    assert_eq!(site.all_files("public/lms"), ["habit.zip", "solo.zip"]);
    site.build_with(&["--lms", "none"]).assert_success();
    assert!(!site.exists("public/lms"));

    site.write("site.yaml", "title: Test Lab\nlms: scorm2004\n");
    let run = site.build();
    run.assert_code(1);
    assert!(run.errors()[0].starts_with("site.yaml:2"), "{run}");
    assert!(run.stderr.contains("scorm12"), "{run}");
}

#[test]
fn the_manifest_describes_the_track_as_one_sco_and_lists_every_file() {
    let site = lms_site();
    site.build_with(&["--lms", "scorm12"]).assert_success();
    let entries = unzip(&site.path("public/lms/habit.zip"));
    let manifest = text(&entries, "imsmanifest.xml");

    assert!(
        manifest.contains("<schema>ADL SCORM</schema>"),
        "{manifest}"
    );
    assert!(
        manifest.contains("<schemaversion>1.2</schemaversion>"),
        "{manifest}"
    );
    assert_eq!(manifest.matches("<organization ").count(), 1, "{manifest}");
    assert_eq!(
        attribute_values(&manifest, "organizations", "default"),
        ["ORG-1"]
    );
    assert_eq!(
        attribute_values(&manifest, "organization", "identifier"),
        ["ORG-1"]
    );
    // One item, the track, launching the one SCO, with the track's mastery score.
    assert_eq!(
        attribute_values(&manifest, "item", "identifierref"),
        ["SCO-1"]
    );
    assert!(manifest.contains("<title>The habit</title>"), "{manifest}");
    assert!(
        manifest.contains("<adlcp:masteryscore>60</adlcp:masteryscore>"),
        "{manifest}"
    );
    assert_eq!(
        attribute_values(&manifest, "resource", "identifier"),
        ["SCO-1"]
    );
    assert_eq!(
        attribute_values(&manifest, "resource", "adlcp:scormtype"),
        ["sco"]
    );
    assert_eq!(
        attribute_values(&manifest, "resource", "href"),
        ["index.html"]
    );

    // The resource lists every file of the package but the manifest and the schemas.
    let listed: BTreeSet<String> = attribute_values(&manifest, "file", "href")
        .into_iter()
        .collect();
    let mut content: BTreeSet<String> = entries.keys().cloned().collect();
    content.remove("imsmanifest.xml");
    for schema in SCHEMAS {
        assert!(content.remove(schema), "the package carries {schema}");
    }
    assert_eq!(listed, content);
    for page in [
        "index.html",
        "tracks/habit/index.html",
        "tracks/habit/workbook/index.html",
        "interviews/talk/index.html",
        "exercises/opening/index.html",
        "exercises/debrief/index.html",
        "scorm.js",
        "lms.css",
        "salesbook.js",
        "salesbook.css",
        "img/script.png",
        "files/slides.pdf",
    ] {
        // Theme assets under the hashed names the site's build wrote.
        let page = match page.ends_with(".js") || page.ends_with(".css") {
            true => crate::support::asset_path(&site.path("public"), page),
            false => page.to_string(),
        };
        assert!(
            listed.contains(&page),
            "{page} is not in the package: {listed:?}"
        );
    }
    for outside in [
        "exercises/elsewhere/index.html",
        "about/index.html",
        "files/unused.txt",
        "search/docs.json",
    ] {
        assert!(
            !entries.contains_key(outside),
            "{outside} should not be in the package"
        );
    }

    // The other track: no mastery score, only its own exercise.
    let solo = unzip(&site.path("public/lms/solo.zip"));
    let manifest = text(&solo, "imsmanifest.xml");
    assert!(!manifest.contains("masteryscore"), "{manifest}");
    assert!(solo.contains_key("exercises/debrief/index.html"));
    assert!(!solo.contains_key("exercises/opening/index.html"));
}

#[test]
fn the_manifest_is_valid_against_the_scorm_1_2_schemas() {
    if !xmllint_available() {
        return;
    }
    let site = lms_site()
        .file("site.yaml", "title: Test & <Lab> \"quoted\"\nlanguage: es-MX\n")
        .file(
            "content/tracks/odd.md",
            "---\ntitle: Ünïcode & <angle> \"track\"\nslug: odd.one_2\nitems: [exercises/debrief]\n---\n",
        )
        .bytes("static/files/a file & more.pdf", b"%PDF")
        .file(
            "content/exercises/debrief.md",
            "---\ntitle: Debrief\nattempts: 1\n---\n[file](</files/a file & more.pdf>)\n",
        );
    site.build_with(&["--lms", "scorm12"]).assert_success();
    for track in ["habit", "solo", "odd.one_2"] {
        let entries = unzip(&site.path(&format!("public/lms/{track}.zip")));
        let manifest = text(&entries, "imsmanifest.xml");
        let (valid, messages) = validate(&entries, &manifest);
        assert!(
            valid,
            "the manifest of {track} is not valid:\n{messages}\n{manifest}"
        );
    }
    let odd = text(
        &unzip(&site.path("public/lms/odd.one_2.zip")),
        "imsmanifest.xml",
    );
    assert!(
        odd.contains("href=\"files/a%20file%20&amp;%20more.pdf\""),
        "{odd}"
    );
}

#[test]
fn the_schema_check_rejects_broken_manifests() {
    if !xmllint_available() {
        return;
    }
    let site = lms_site();
    site.build_with(&["--lms", "scorm12"]).assert_success();
    let entries = unzip(&site.path("public/lms/habit.zip"));
    let manifest = text(&entries, "imsmanifest.xml");
    assert!(validate(&entries, &manifest).0);
    let broken = [
        (
            "an unknown SCORM type",
            "adlcp:scormtype=\"sco\"",
            "adlcp:scormtype=\"lesson\"",
        ),
        (
            "an isvisible that is not a boolean",
            "isvisible=\"true\"",
            "isvisible=\"yes\"",
        ),
        (
            "an item without identifier",
            "<item identifier=\"ITEM-1\"",
            "<item",
        ),
        ("a resource without type", " type=\"webcontent\"", ""),
        ("a misspelt element", "<organizations ", "<organisations "),
        (
            "an element the ADL namespace lacks",
            "<adlcp:masteryscore>60</adlcp:masteryscore>",
            "<adlcp:passmark>60</adlcp:passmark>",
        ),
        (
            "a file without href",
            "<file href=\"index.html\"/>",
            "<file/>",
        ),
        (
            "an identifier that is not an XML name",
            "<organization identifier=\"ORG-1\"",
            "<organization identifier=\"1 ORG\"",
        ),
    ];
    for (what, from, to) in broken {
        assert!(
            manifest.contains(from),
            "{what}: no {from:?} in\n{manifest}"
        );
        let (valid, messages) = validate(&entries, &manifest.replacen(from, to, 1));
        assert!(!valid, "a manifest with {what} passed:\n{messages}");
    }
}

/// Every `href`/`src` of every page of a package: a fragment, a web or mail link that
/// opens outside the package's frame, or a relative path to a file of the package.
fn check_links_stay_inside(entries: &BTreeMap<String, Vec<u8>>) {
    for (name, bytes) in entries {
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let folder = name.rfind('/').map_or("", |i| &name[..=i]);
        for link in links(&html) {
            if link.starts_with('#') || link.starts_with("mailto:") || link.starts_with("tel:") {
                continue;
            }
            if link.starts_with("https://") || link.starts_with("http://") {
                let tag = format!(
                    "href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\"",
                    link.replace('&', "&amp;")
                );
                assert!(
                    html.contains(&tag),
                    "{name}: the web link {link} does not open a new window"
                );
                continue;
            }
            assert!(
                !link.starts_with('/') && !link.contains("://"),
                "{name}: {link} leaves the package"
            );
            let path = link.split(['?', '#']).next().unwrap();
            let path = path.replace("%20", " ");
            let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
            for part in path.split('/') {
                match part {
                    "." | "" => {}
                    ".." => {
                        assert!(
                            parts.pop().is_some(),
                            "{name}: {link} climbs out of the package"
                        );
                    }
                    part => parts.push(part),
                }
            }
            let target = parts.join("/");
            assert!(
                entries.contains_key(&target),
                "{name}: {link} points to {target}, which is not in the package"
            );
        }
    }
}

#[test]
fn every_file_the_pages_use_is_in_the_package_and_no_link_leaves_it() {
    let site = lms_site().file(
        "site.yaml",
        "title: Test Lab\nbase_url: https://example.com/lab/\n",
    );
    site.build_with(&["--lms", "scorm12"]).assert_success();
    for track in ["habit", "solo"] {
        check_links_stay_inside(&unzip(&site.path(&format!("public/lms/{track}.zip"))));
    }
    let entries = unzip(&site.path("public/lms/habit.zip"));
    let talk = text(&entries, "interviews/talk/index.html");
    // A page of the site that is not in the package: its link is plain text.
    assert!(
        talk.contains("Read <span data-lms-unlinked>about us</span>"),
        "{talk}"
    );
    // Pages of the package: folder links get an explicit index.html.
    assert!(
        talk.contains("href=\"../../exercises/opening/index.html#steps\""),
        "{talk}"
    );
    assert!(talk.contains("href=\"../../files/slides.pdf\""), "{talk}");
    assert!(
        talk.contains("<a href=\"https://example.org/episode\" target=\"_blank\" rel=\"noopener noreferrer\">"),
        "{talk}"
    );
    // No canonical link to the public site, and the runtime is on every page.
    assert!(!talk.contains("rel=\"canonical\""), "{talk}");
    assert!(talk.contains("<html lang=\"en\""), "{talk}");
    assert!(talk.contains("data-lms=\"scorm12\""), "{talk}");
    let (styles, runtime) = (
        crate::support::asset_path(&site.path("public"), "lms.css"),
        crate::support::asset_path(&site.path("public"), "scorm.js"),
    );
    assert!(
        talk.contains(&format!(
            "<link rel=\"stylesheet\" href=\"../../{styles}\">"
        )),
        "{talk}"
    );
    assert!(
        talk.contains(&format!("<script src=\"../../{runtime}\"></script>")),
        "{talk}"
    );
    let opening = text(&entries, "exercises/opening/index.html");
    assert!(
        opening.contains("<img src=\"../../img/script.png\""),
        "{opening}"
    );
    // A related page of another track: its card's title is text.
    assert!(
        opening.contains("<h3 class=\"card-title\"><span data-lms-unlinked>Elsewhere</span></h3>"),
        "{opening}"
    );
    // The site's own pages are unchanged.
    let site_talk = site.read("public/interviews/talk/index.html");
    assert!(site_talk.contains("href=\"../../about/\""), "{site_talk}");
    assert!(!site_talk.contains("scorm.js"));
}

#[test]
fn a_percent_encoded_link_reaches_the_same_file_in_the_site_and_the_package() {
    // The site's check and the packager decode `%20` alike: the build
    // passes and the package carries the file the link names.
    let site = lms_site()
        .file(
            "content/exercises/debrief.md",
            "---\ntitle: Debrief\nattempts: 1\n---\nRead [the notes](/files/debrief%20notes.pdf).\n",
        )
        .bytes("static/files/debrief notes.pdf", b"%PDF-1.4 not really");
    site.build_with(&["--lms", "scorm12"]).assert_success();
    let entries = unzip(&site.path("public/lms/solo.zip"));
    assert!(
        entries.contains_key("files/debrief notes.pdf"),
        "{:?}",
        entries.keys()
    );
    let page = text(&entries, "exercises/debrief/index.html");
    assert!(
        page.contains("href=\"../../files/debrief%20notes.pdf\""),
        "{page}"
    );
}

#[test]
fn the_launch_page_lists_the_steps_in_order_with_the_runtime_s_data() {
    let site = lms_site();
    site.build_with(&["--lms", "scorm12"]).assert_success();
    let entries = unzip(&site.path("public/lms/habit.zip"));
    let launch = text(&entries, "index.html");
    assert!(launch.contains("data-lms-launch"), "{launch}");
    let runtime = crate::support::asset_path(&site.path("public"), "scorm.js");
    assert!(
        launch.contains(&format!("<script src=\"{runtime}\"></script>")),
        "{launch}"
    );
    let order: Vec<usize> = [
        "interviews/talk/index.html",
        "exercises/opening/index.html",
        "exercises/debrief/index.html",
    ]
    .iter()
    .map(|path| {
        launch
            .find(&format!("<a href=\"{path}\" target=\"sb-lms-frame\""))
            .unwrap_or_else(|| panic!("no link to {path}\n{launch}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "steps out of order: {order:?}"
    );
    let start = launch.find("id=\"sb-lms-data\">").unwrap() + "id=\"sb-lms-data\">".len();
    let data: serde_json::Value =
        serde_json::from_str(&launch[start..start + launch[start..].find("</script>").unwrap()])
            .unwrap();
    assert_eq!(data["mastery_score"], 60);
    assert_eq!(data["overview"], "tracks/habit/index.html");
    assert_eq!(data["suspend_data_limit"], 4096);
    let steps: Vec<(&str, &str)> = data["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["ref"].as_str().unwrap(), s["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("interviews/talk", "interview"),
            ("exercises/opening", "exercise"),
            ("exercises/debrief", "exercise")
        ]
    );
    assert_eq!(data["steps"][1]["attempts"], 2);
    assert_eq!(data["steps"][1]["quiz"], serde_json::json!([1]));
}

#[test]
fn packages_are_byte_identical_from_build_to_build() {
    let site = lms_site();
    site.build_with(&["--lms", "scorm12"]).assert_success();
    let first = site.snapshot("public/lms");
    // Newer modification times on every source change nothing.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for file in [
        "content/tracks/habit.md",
        "content/exercises/opening.md",
        "static/img/script.png",
    ] {
        let bytes = std::fs::read(site.path(file)).unwrap();
        site.write(file, bytes);
    }
    site.build_with(&["--lms", "scorm12"]).assert_success();
    assert_eq!(first, site.snapshot("public/lms"));

    // Entries sorted by name, every one dated 1980-01-01 00:00, mode 0644.
    let file = std::fs::File::open(site.path("public/lms/habit.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut names = Vec::new();
    for index in 0..archive.len() {
        let entry = archive.by_index(index).unwrap();
        let stamp = entry.last_modified().expect("a timestamp");
        assert_eq!(
            (
                stamp.year(),
                stamp.month(),
                stamp.day(),
                stamp.hour(),
                stamp.minute(),
                stamp.second()
            ),
            (1980, 1, 1, 0, 0, 0)
        );
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
        names.push(entry.name().unwrap().to_string());
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn mastery_score_is_a_percentage_checked_at_its_line() {
    let track = |score: &str| {
        format!("---\ntitle: The habit\nmastery_score: {score}\nitems: [exercises/opening]\n---\n")
    };
    let site = lms_site().file("content/tracks/habit.md", &track("101"));
    site.check().assert_errors(&[
        "content/tracks/habit.md:3: `mastery_score` must be from 0 to 100, not 101",
    ]);
    site.write("content/tracks/habit.md", track("-5"));
    site.check().assert_errors(&[
        "content/tracks/habit.md:3: `mastery_score` must be from 0 to 100, not -5",
    ]);
    site.write("content/tracks/habit.md", track("high"));
    site.check().assert_errors(&["content/tracks/habit.md:3"]);
    for ok in ["0", "100", "75"] {
        site.write("content/tracks/habit.md", track(ok));
        site.check_with(&["--lms", "scorm12"]).assert_success();
    }
    // Only tracks have it.
    site.write(
        "content/exercises/debrief.md",
        "---\ntitle: Debrief\nmastery_score: 50\n---\n",
    );
    let run = site.check();
    run.assert_code(1);
    assert!(
        run.errors()[0]
            .starts_with("content/exercises/debrief.md:3:1: unknown key `mastery_score`"),
        "{run}"
    );
}

#[test]
fn check_validates_the_tracks_it_would_package() {
    // A mastery score with no quiz to score.
    let site = lms_site().file(
        "content/tracks/solo.md",
        "---\ntitle: Solo\nitems:\n  - exercises/elsewhere\nmastery_score: 80\n---\n",
    );
    site.check().assert_success();
    site.check_with(&["--lms", "scorm12"])
        .assert_errors(&["content/tracks/solo.md:5: `mastery_score` is the quiz score that passes the track, but no exercise of this track has a `quiz`"]);
    site.build_with(&["--lms", "scorm12"])
        .assert_errors(&["content/tracks/solo.md:5: `mastery_score`"])
        .assert_stderr_contains("nothing was written");
    assert!(!site.exists("public"), "a failed build writes nothing");
    site.write("site.yaml", "title: Test Lab\nlms: scorm12\n");
    site.check()
        .assert_errors(&["content/tracks/solo.md:5: `mastery_score`"]);
    site.check_with(&["--lms", "none"]).assert_success();

    // Every item published: with --drafts a draft item would end up in the package.
    let site = lms_site().file(
        "content/exercises/debrief.md",
        "---\ntitle: Debrief\ndraft: true\n---\nAsk.\n",
    );
    site.check_with(&["--drafts"]).assert_success();
    site.check_with(&["--drafts", "--lms", "scorm12"]).assert_errors(&[
        "content/tracks/habit.md:8: `items` lists `exercises/debrief`, which is a draft: an LMS package holds published pages only",
        "content/tracks/solo.md:3: `items` lists `exercises/debrief`, which is a draft",
    ]);
    // Without --drafts the ref to a draft is an error of every build already.
    let run = site.check_with(&["--lms", "scorm12"]);
    run.assert_code(1);
    assert!(run.errors().iter().all(|e| e.contains("draft")), "{run}");

    let run = lms_site().check_with(&["--lms", "scorm12", "--format", "json"]);
    run.assert_success();
}

#[test]
fn lms_problems_are_listed_with_every_other_problem() {
    let site = lms_site()
        .file(
            "content/tracks/solo.md",
            "---\ntitle: Solo\nitems:\n  - exercises/elsewhere\nmastery_score: 80\n---\n",
        )
        .file("content/page.md", "---\ntitle: P\ndate: May\n---\n");
    site.check_with(&["--lms", "scorm12"]).assert_errors(&[
        "content/page.md:3: `date` is not a date: `May`",
        "content/tracks/solo.md:5: `mastery_score` is the quiz score that passes the track",
    ]);
}

#[test]
fn a_track_whose_progress_cannot_fit_scorm_suspend_data_is_an_error() {
    let mut site = lms_site();
    let mut items = String::new();
    for n in 0..60 {
        let name = format!("exercises/a-rather-long-exercise-name-to-fill-the-budget-{n:02}");
        site = site.file(
            &format!("content/{name}.md"),
            &format!("---\ntitle: Exercise {n}\nattempts: 10\n---\nGo.\n"),
        );
        items.push_str(&format!("  - {name}\n"));
    }
    let site = site.file(
        "content/tracks/big.md",
        &format!("---\ntitle: Big\nitems:\n{items}---\n"),
    );
    let run = site.check_with(&["--lms", "scorm12"]);
    run.assert_errors(&["content/tracks/big.md:3: this track's progress needs up to"]);
    assert!(run.stderr.contains("SCORM 1.2 keeps 4096"), "{run}");
    site.check().assert_success();
}

#[test]
fn a_static_file_in_the_place_of_a_package_is_an_error() {
    let site = lms_site().bytes("static/lms/habit.zip", b"PK");
    site.build_with(&["--lms", "scorm12"]).assert_errors(&[
        "static/lms/habit.zip: this would write `lms/habit.zip`, which the build writes too",
    ]);
}

#[test]
fn a_site_without_tracks_gets_a_warning_and_no_packages() {
    let site = Site::new();
    let run = site.build_with(&["--lms", "scorm12"]);
    run.assert_success();
    assert!(
        run.stderr.contains("no published track to package"),
        "{run}"
    );
    assert!(!site.exists("public/lms"));
}

#[test]
fn the_launch_page_gets_the_variables_every_template_gets() {
    let site = lms_site()
        .file("site.yaml", "title: Test Lab\ntheme: mine\nbase_url: https://example.com/lab/\n")
        .file(
            "themes/mine/templates/lms_launch.html",
            "[{{ root }}|{{ current_url }}|{{ current_section }}|{{ canonical }}|{{ json_ld }}|{{ audience }}|{{ site.title }}|{{ generator }}]\n",
        );
    site.build_with(&["--lms", "scorm12"]).assert_success();
    let package = unzip(&site.path("public/lms/solo.zip"));
    let launch = String::from_utf8_lossy(&package["index.html"]).into_owned();
    let generator = format!("salesbook {}", env!("CARGO_PKG_VERSION"));
    assert!(
        launch.starts_with(&format!("[./|||||learner|Test Lab|{generator}]")),
        "{launch}"
    );
}

#[test]
fn a_track_of_pages_in_sections_packages_them_at_their_paths() {
    let site = Site::new()
        .file("content/handbook/_index.md", "---\ntitle: Handbook\n---\n")
        .file(
            "content/handbook/sales/deal-desk.md",
            "---\ntitle: Deal desk\n---\nSee [quotes](quotes.md) and [the handbook](../_index.md).\n",
        )
        .file("content/handbook/sales/quotes.md", "---\ntitle: Quotes\n---\n")
        .file(
            "content/tracks/start.md",
            "---\ntitle: Start\nitems: [handbook/sales/deal-desk, handbook/sales/quotes]\n---\n",
        );
    site.build_with(&["--lms", "scorm12"]).assert_success();
    let entries = unzip(&site.path("public/lms/start.zip"));
    let manifest = text(&entries, "imsmanifest.xml");
    for page in [
        "handbook/sales/deal-desk/index.html",
        "handbook/sales/quotes/index.html",
    ] {
        assert!(entries.contains_key(page), "{page} is not packaged");
        assert!(
            manifest.contains(&format!("<file href=\"{page}\"/>")),
            "{manifest}"
        );
    }
    // Section pages are not in the package: links and crumbs to them are
    // text, the others stay inside.
    assert!(!entries.contains_key("handbook/index.html"));
    let desk = text(&entries, "handbook/sales/deal-desk/index.html");
    assert!(
        desk.contains("href=\"../../../handbook/sales/quotes/index.html\""),
        "{desk}"
    );
    assert!(
        desk.contains("<span data-lms-unlinked>Handbook</span>"),
        "{desk}"
    );
    check_links_stay_inside(&entries);
}
