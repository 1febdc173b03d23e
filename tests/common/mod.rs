//! Helpers shared by the end-to-end tests: the real binary, and query results as plain rows.
#![allow(dead_code)]

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

/// The `newskg` binary built by cargo.
pub fn newskg() -> Command {
    Command::cargo_bin("newskg").expect("the newskg binary is built")
}

/// Runs `newskg query ARGS --format json` on the embedded default and returns each solution as
/// a map from variable to the term's value (IRIs and literals as their plain text).
pub fn rows(args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let output = newskg()
        .arg("query")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("newskg runs");
    assert!(
        output.status.success(),
        "newskg query {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON results");
    json["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| {
            b.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].as_str().unwrap().to_string()))
                .collect()
        })
        .collect()
}

/// The values of one column.
pub fn column(rows: &[BTreeMap<String, String>], name: &str) -> Vec<String> {
    rows.iter().filter_map(|r| r.get(name).cloned()).collect()
}

/// The default base under which entity IRIs are minted.
pub const ENT: &str = "https://w3id.org/newskg/data/entity/";

/// The good fixtures' directory.
pub const GOOD: &str = "tests/cases/good";

/// A corpus of `n` copies of the minimal article (ids `minimal-000`, …, files `a000.toml`, …)
/// sharing one text, in `dir`.
pub fn corpus_of_minimal_copies(dir: &Path, n: usize) {
    let minimal = std::fs::read_to_string(format!("{GOOD}/minimal.toml")).unwrap();
    std::fs::copy(format!("{GOOD}/article.txt"), dir.join("article.txt")).unwrap();
    for i in 0..n {
        let copy = minimal.replace("id = \"minimal\"", &format!("id = \"minimal-{i:03}\""));
        std::fs::write(dir.join(format!("a{i:03}.toml")), copy).unwrap();
    }
}

/// A copy of the minimal article with the id `id` that makes `israel` an organization (one
/// without Israel's Wikidata ID, which would be a problem of the file itself): it clashes with
/// every file that has `israel` as a state.
pub fn clashing_copy(id: &str) -> String {
    std::fs::read_to_string(format!("{GOOD}/minimal.toml"))
        .unwrap()
        .replace("id = \"minimal\"", &format!("id = \"{id}\""))
        .replacen("class = \"State\"", "class = \"Organization\"", 1)
        .replacen("wikidata = \"Q801\"\n", "", 1)
}
