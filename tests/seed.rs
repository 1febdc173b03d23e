//! The embedded default: the seed article's facts, every quote verbatim in the article.

mod common;

use common::newskg;

#[test]
fn every_quote_is_verbatim_and_unique_in_the_article() {
    let text = std::fs::read_to_string("data/seed/article.txt").unwrap();
    let facts: toml::Table =
        toml::from_str(&std::fs::read_to_string("data/seed/facts.toml").unwrap()).unwrap();
    let facts = facts["facts"].as_array().unwrap();
    assert!(facts.len() >= 50, "a substantial set of facts");
    for f in facts {
        let quote = f["quote"].as_str().unwrap();
        assert_eq!(
            text.matches(quote).count(),
            1,
            "quote of {}: {quote}",
            f["id"]
        );
    }
}

#[test]
fn the_project_copy_of_the_article_is_the_seed() {
    if let Ok(shared) = std::fs::read_to_string("../shared/seed/article.txt") {
        assert_eq!(
            shared,
            std::fs::read_to_string("data/seed/article.txt").unwrap()
        );
    }
}

#[test]
fn check_passes_on_the_embedded_default() {
    newskg()
        .arg("check")
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "data/seed/facts.toml: article `azerbaijan-abraham-accords`",
        ));
}

#[test]
fn schema_lists_the_ontology_terms() {
    let out = newskg().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let classes = schema
        .pointer("/$defs/EntityDecl/properties/class/enum")
        .unwrap()
        .as_array()
        .unwrap();
    assert!(classes.iter().any(|c| c == "State"));
    assert!(
        !classes.iter().any(|c| c == "Fact"),
        "Fact is not an entity class"
    );
    let modalities = schema
        .pointer("/$defs/FactDecl/properties/modality/enum")
        .unwrap();
    assert!(modalities.as_array().unwrap().iter().any(|m| m == "hedged"));
}
