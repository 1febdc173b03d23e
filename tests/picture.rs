//! `newskg export --format dot`: the picture of the facts is well formed (every arrow between
//! declared nodes, each node once), says what the article does not state as fact, is the same
//! bytes from the embedded default and its facts file, and follows -o's extension; its bad
//! input (an unknown article, --article with an RDF format) is an error that writes nothing.

mod common;

use common::{newskg, rows};
use std::collections::BTreeSet;

const SEED: &str = "azerbaijan-abraham-accords";

fn dot(args: &[&str]) -> String {
    let out = newskg()
        .args(["export", "--format", "dot"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The quoted string at the start of `s`, and what follows it.
fn quoted_prefix(s: &str) -> (String, &str) {
    assert!(s.starts_with('"'), "an id is quoted: {s}");
    let mut out = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next().unwrap().1),
            '"' => return (out, &s[i + 2..]),
            c => out.push(c),
        }
    }
    panic!("an unterminated string: {s}");
}

#[test]
fn the_picture_is_well_formed_and_says_what_is_not_fact() {
    let picture = dot(&[]);
    assert!(picture.starts_with("digraph newskg {\n") && picture.ends_with("}\n"));
    let (mut nodes, mut arrows) = (Vec::new(), Vec::new());
    for line in picture.lines().filter(|l| l.starts_with("  \"")) {
        let (from, rest) = quoted_prefix(line.trim_start());
        if let Some(rest) = rest.strip_prefix(" -> ") {
            let (to, attrs) = quoted_prefix(rest);
            arrows.push((from, to, attrs.to_string()));
        } else {
            nodes.push(from);
        }
    }
    let declared: BTreeSet<&String> = nodes.iter().collect();
    assert_eq!(declared.len(), nodes.len(), "a node is declared twice");
    for (from, to, _) in &arrows {
        assert!(
            declared.contains(from) && declared.contains(to),
            "{from} -> {to}: undeclared"
        );
    }
    // one node per event, whatever its modality
    let events = rows(&["SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f nkg:eventClass ?c }"]);
    let ellipses = picture.matches("shape=ellipse").count();
    assert_eq!(ellipses.to_string(), events[0]["n"]);
    // a conditional relation is dashed and says so; a denied one is dotted and red
    let risk = arrows
        .iter()
        .find(|(f, t, a)| {
            f == "ent:israel"
                && t == "ent:kurdish-groups"
                && a.contains("israel-support-kurdish-groups-risk")
        })
        .expect("the risk of Israeli support for Kurdish groups is drawn");
    assert!(
        risk.2.contains("[conditional]") && risk.2.contains("style=dashed"),
        "{risk:?}"
    );
    let denied = arrows
        .iter()
        .find(|(_, _, a)| a.contains("neither-side-wants-armed-conflict\""))
        .expect("a denied relation is drawn");
    assert!(
        denied.2.contains("[denied]") && denied.2.contains("style=dotted"),
        "{denied:?}"
    );
    // an asserted arrow is plain
    assert!(
        arrows
            .iter()
            .any(|(_, _, a)| !a.contains("style=") && a.matches('[').count() == 1),
        "no asserted arrow"
    );
}

#[test]
fn the_picture_is_the_same_bytes_however_the_seed_is_read() {
    let embedded = dot(&[]);
    assert_eq!(embedded, dot(&[]), "two runs differ");
    assert_eq!(embedded, dot(&["-i", "data/seed/facts.toml"]));
    assert_eq!(embedded, dot(&["--article", SEED]), "the only article");
}

#[test]
fn the_extension_names_the_picture_and_bad_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.gv");
    newskg()
        .args(["export", "-o"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), dot(&[]));

    let missing = dir.path().join("nope.dot");
    let out = newskg()
        .args(["export", "--article", "atlantis", "-o"])
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no article `atlantis`") && err.contains("newskg query articles"),
        "{err}"
    );
    assert!(!missing.exists(), "nothing is written for a failed export");

    let out = newskg()
        .args(["export", "--article", SEED, "-f", "turtle"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format dot"));

    let out = newskg()
        .args(["export", "-f", "turtle", "-o"])
        .arg(dir.path().join("x.dot"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the extension says dot"));
}
