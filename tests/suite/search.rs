//! The search index: what it holds and what it must not.

use crate::support::Site;

/// Every term of the index with the URLs of the pages it finds.
fn index_of(site: &Site) -> Vec<(String, Vec<String>)> {
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/search/docs.json")).unwrap();
    assert_eq!(manifest["version"], 2);
    let docs = manifest["docs"].as_array().unwrap();
    let mut terms = Vec::new();
    for shard in manifest["shards"].as_array().unwrap() {
        let text = site.read(&format!("public/search/t/{}.json", shard.as_str().unwrap()));
        let shard: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).unwrap();
        for (term, postings) in shard {
            let postings = postings.as_array().unwrap();
            let urls = postings
                .chunks(2)
                .map(|pair| {
                    docs[pair[0].as_u64().unwrap() as usize][0]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            terms.push((term, urls));
        }
    }
    terms
}

fn pages_for(index: &[(String, Vec<String>)], term: &str) -> Vec<String> {
    index
        .iter()
        .find(|(t, _)| t == term)
        .map(|(_, urls)| urls.clone())
        .unwrap_or_default()
}

fn fixture() -> Site {
    Site::new()
        .file("content/speakers/leigh.md", "---\nname: Leigh Ashton\n---\nTrainer.\n")
        .file(
            "content/interviews/talk.md",
            "---\ntitle: Essential tasks\nsummary: Why tasks slip.\nguests: [leigh]\ntags: [Mindset]\n---\n\
             ## Learn from experience\n\nSome zucchinibody words.\n\n\
             > How often do you practice the thing that puts bread on your table?\n>\n> — Leigh Ashton\n\n\
             > [!FACILITATOR]\n> Ask about quokkasecret in the group.\n",
        )
        .file("content/exercises/hidden.md", "---\ntitle: Hidden draft\ndraft: true\n---\nThe narwhaldraft word.\n")
}

#[test]
fn index_holds_titles_summaries_tags_headings_body_and_quotes() {
    let site = fixture();
    site.build().assert_success();
    let index = index_of(&site);
    for term in [
        "essential",
        "slip",
        "mindset",
        "experience",
        "zucchinibody",
        "bread",
        "table",
        "leigh",
    ] {
        assert!(
            pages_for(&index, term).contains(&"interviews/talk/".to_string()),
            "{term} should find the interview"
        );
    }
    // A quote's words rank the interview it is from first.
    assert_eq!(pages_for(&index, "bread")[0], "interviews/talk/");
}

#[test]
fn facilitator_notes_and_drafts_stay_out_of_learner_builds() {
    let site = fixture();
    site.build().assert_success();
    let index = index_of(&site);
    assert!(pages_for(&index, "quokkasecret").is_empty());
    assert!(pages_for(&index, "narwhaldraft").is_empty());
    assert!(!site
        .read("public/search/docs.json")
        .contains("Hidden draft"));
    let texts = page_texts(&site);
    assert!(texts.contains("zucchinibody"), "{texts}");
    assert!(!texts.contains("quokkasecret"), "{texts}");
}

/// The texts the index holds for excerpts, one page's after the other.
fn page_texts(site: &Site) -> String {
    site.snapshot("public/search/t")
        .into_iter()
        .filter(|(name, _)| name.starts_with("doc-"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect()
}

#[test]
fn excerpt_texts_keep_headings_and_blocks_apart() {
    let site = fixture();
    site.build().assert_success();
    let texts = page_texts(&site);
    assert!(
        texts.contains(r#"["Learn from experience","Some zucchinibody words.\nHow often"#),
        "{texts}"
    );
    // Smart punctuation is one word with its letters, not three.
    let site = Site::new().file("content/about.md", "---\ntitle: About\n---\nDon't stop.\n");
    site.build().assert_success();
    assert!(page_texts(&site).contains(r#"[["","Don’t stop."]]"#));
    assert!(index_of(&site).iter().any(|(term, _)| term == "dont"));
}

#[test]
fn facilitator_and_draft_builds_index_what_they_show() {
    let site = fixture();
    site.build_with(&["--audience", "facilitator", "--drafts"])
        .assert_success();
    let index = index_of(&site);
    assert_eq!(pages_for(&index, "quokkasecret"), ["interviews/talk/"]);
    assert_eq!(pages_for(&index, "narwhaldraft"), ["exercises/hidden/"]);
}

#[test]
fn home_page_is_not_a_result_and_urls_are_relative() {
    let site = fixture();
    site.build().assert_success();
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/search/docs.json")).unwrap();
    for row in manifest["docs"].as_array().unwrap() {
        let url = row[0].as_str().unwrap();
        assert!(
            !url.is_empty() && !url.starts_with('/') && !url.contains("://"),
            "{url}"
        );
    }
}

#[test]
fn every_page_has_the_search_box_with_a_fallback_link() {
    let site = fixture();
    site.build().assert_success();
    let html = site.read("public/interviews/talk/index.html");
    assert!(
        html.contains(r#"<input type="search" id="sb-search" aria-label="Search""#),
        "{html}"
    );
    assert!(html.contains(r#"<a class="site-search-fallback" href="../../topics/">"#));
    let script = crate::support::asset_path(&site.path("public"), "search.js");
    assert!(html.contains(&format!(r#"<script src="../../{script}" defer>"#)));
}
