//! Every canned query, run by the real binary on the embedded default, with its answer checked.
//! A test here is named after each query (dashes as underscores); `every_canned_query_is_tested`
//! keeps it that way.

mod common;

use common::{ENT, column, newskg, rows};

fn has_row(rows: &[std::collections::BTreeMap<String, String>], pairs: &[(&str, &str)]) -> bool {
    rows.iter().any(|r| {
        pairs
            .iter()
            .all(|(k, v)| r.get(*k).is_some_and(|x| x.contains(v)))
    })
}

#[test]
fn every_canned_query_is_tested() {
    let listing = newskg().arg("queries").output().unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    let source = include_str!("queries.rs");
    let names: Vec<&str> = listing
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
        .collect();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let test = format!("fn {}()", name.replace('-', "_"));
        assert!(
            source.contains(&test),
            "canned query {name} has no test `{test}`"
        );
    }
}

#[test]
fn entities() {
    let r = rows(&["entities"]);
    let seed = std::fs::read_to_string("data/seed/facts.toml").unwrap();
    assert_eq!(
        r.len(),
        seed.matches("[[entities]]").count(),
        "one row per entity"
    );
    assert!(has_row(
        &r,
        &[
            ("label", "Israel"),
            ("class", "state"),
            ("wikidata", "http://www.wikidata.org/entity/Q801")
        ]
    ));
    assert!(has_row(
        &r,
        &[("label", "SOCAR"), ("class", "state-owned company")]
    ));
    // unverified items stay unlinked
    let aliyev = r.iter().find(|r| r["label"] == "Ilham Aliyev").unwrap();
    assert!(!aliyev.contains_key("wikidata"));
}

#[test]
fn unlinked_entities() {
    let r = rows(&["unlinked-entities"]);
    let labels = column(&r, "label");
    for unlinked in ["Ilham Aliyev", "SOCAR", "Steve Witkoff", "Ehsan Movahedian"] {
        assert!(labels.iter().any(|l| l == unlinked), "{unlinked} missing");
    }
    for linked in ["Israel", "Benjamin Netanyahu", "Abraham Accords"] {
        assert!(!labels.iter().any(|l| l == linked), "{linked} is linked");
    }
}

#[test]
fn facts_by_modality() {
    let hedged = rows(&["facts-by-modality"]);
    assert!(has_row(
        &hedged,
        &[
            ("fact", "az-closest-ally-of-israel"),
            ("quote", "may be its closest ally")
        ]
    ));
    assert!(has_row(
        &hedged,
        &[
            ("according_to", "Some experts"),
            ("quote", "Turkish-Israeli military confrontation")
        ]
    ));
    let planned = rows(&["facts-by-modality", "--param", "modality=planned"]);
    assert!(has_row(
        &planned,
        &[
            ("fact", "netanyahu-visit-azerbaijan"),
            ("quote", "is set to travel to Azerbaijan")
        ]
    ));
    let reported = rows(&["facts-by-modality", "-p", "modality=reported"]);
    assert!(has_row(
        &reported,
        &[
            ("fact", "toi-aim-mediation-with-turkey"),
            ("according_to", "The Times of Israel")
        ]
    ));
    let opinion = rows(&["facts-by-modality", "-p", "modality=opinion"]);
    assert!(
        opinion
            .iter()
            .all(|r| r["according_to"].contains("Alex Grinberg")),
        "opinions are the authors'"
    );
}

#[test]
fn agreement_parties() {
    let r = rows(&["agreement-parties"]);
    let mut parties: Vec<String> = r
        .iter()
        .filter(|r| r["status"] == "party")
        .map(|r| r["actor"].clone())
        .collect();
    parties.sort();
    parties.dedup();
    assert_eq!(
        parties,
        [
            "Bahrain",
            "Israel",
            "Morocco",
            "Sudan",
            "United Arab Emirates"
        ]
    );
    assert!(has_row(
        &r,
        &[
            ("actor", "Azerbaijan"),
            ("status", "candidate"),
            ("modality", "hedged")
        ]
    ));
    assert!(has_row(
        &r,
        &[
            ("actor", "Syria"),
            ("status", "candidate"),
            ("modality", "reported"),
            ("condition", "stop its military incursions")
        ]
    ));
}

#[test]
fn mediators() {
    let r = rows(&["mediators"]);
    assert!(has_row(
        &r,
        &[("mediator", "Azerbaijan"), ("between", "Israel")]
    ));
    assert!(has_row(
        &r,
        &[("mediator", "Azerbaijan"), ("between", "Turkey")]
    ));
    assert!(has_row(
        &r,
        &[
            ("mediator", "Israel"),
            ("between", "United States"),
            ("between", "Azerbaijan")
        ]
    ));
    assert!(has_row(
        &r,
        &[
            ("mediator", "Hikmet Hajiyev"),
            ("time", "After the fall of the Assad regime")
        ]
    ));
}

#[test]
fn ties_between() {
    let r = rows(&["ties-between"]);
    assert!(has_row(
        &r,
        &[
            ("subject", "Azerbaijan"),
            ("relation", "exports to"),
            ("object", "Israel"),
            ("commodity", "oil"),
            ("quote", "Baku has increased oil exports to Israel")
        ]
    ));
    assert!(has_row(
        &r,
        &[
            ("relation", "ally of"),
            ("modality", "hedged"),
            ("quote", "closest ally")
        ]
    ));
    // both directions, and the parameters can be swapped
    let swapped = rows(&["ties-between", "-p", "a=azerbaijan", "-p", "b=israel"]);
    assert_eq!(r.len(), swapped.len());
    let us = rows(&[
        "ties-between",
        "-p",
        "a=united-states",
        "-p",
        "b=azerbaijan",
    ]);
    assert!(!us.is_empty());
    assert!(us.iter().all(|r| {
        let pair = [r["subject"].as_str(), r["object"].as_str()];
        pair.contains(&"United States") && pair.contains(&"Azerbaijan")
    }));
}

#[test]
fn hostile_acts() {
    let r = rows(&["hostile-acts"]);
    assert!(has_row(
        &r,
        &[
            ("act", "military exercise"),
            ("quote", "large-scale military exercises")
        ]
    ));
    assert!(has_row(
        &r,
        &[("act", "through a proxy"), ("quote", "proxy militia")]
    ));
    let none = rows(&[
        "hostile-acts",
        "-p",
        "actor=azerbaijan",
        "-p",
        "target=israel",
    ]);
    assert!(none.is_empty(), "{none:?}");
}

#[test]
fn claims_by_source() {
    let r = rows(&["claims-by-source"]);
    let mut facts = column(&r, "fact");
    facts.sort();
    assert_eq!(
        facts,
        [
            "toi-aim-expand-accords-to-azerbaijan",
            "toi-aim-mediation-with-turkey"
        ]
    );
    let aliyev = rows(&["claims-by-source", "-p", "source=ilham-aliyev"]);
    assert!(has_row(&aliyev, &[("quote", "iceberg")]));
}

#[test]
fn offices() {
    let r = rows(&["offices"]);
    for (person, office, of) in [
        ("Benjamin Netanyahu", "Prime Minister of Israel", "Israel"),
        ("Ilham Aliyev", "President of Azerbaijan", "Azerbaijan"),
        ("Recep Tayyip Erdogan", "President of Turkey", "Turkey"),
        (
            "Donald Trump",
            "President of the United States",
            "United States",
        ),
        ("Ahmed al-Sharaa", "President of Syria", "Syria"),
    ] {
        assert!(
            has_row(&r, &[("person", person), ("office", office), ("of", of)]),
            "{person} {office}"
        );
    }
}

#[test]
fn about_entity() {
    let r = rows(&["about-entity", "--param", "entity=socar"]);
    assert!(has_row(&r, &[("states", "SOCAR holds a stake in Tamar")]));
    assert!(has_row(
        &r,
        &[("states", "investment"), ("quote", "bought a large stake")]
    ));
    let default = rows(&["about-entity"]);
    assert!(default.len() > 20, "Azerbaijan is the article's subject");
}

#[test]
fn fact_evidence() {
    let text = std::fs::read_to_string("data/seed/article.txt").unwrap();
    let chars: Vec<char> = text.chars().collect();
    for fact in [
        "netanyahu-visit-azerbaijan",
        "az-closest-ally-of-israel",
        "erdogan-eid-call",
    ] {
        let r = rows(&["fact-evidence", "-p", &format!("fact={fact}")]);
        assert_eq!(r.len(), 1, "{fact}");
        let start: usize = r[0]["start"].parse().unwrap();
        let end: usize = r[0]["end"].parse().unwrap();
        let at_offsets: String = chars[start..end].iter().collect();
        assert_eq!(at_offsets, r[0]["quote"], "offsets of {fact}");
        assert!(text.contains(&format!(
            "{}{}{}",
            r[0]["prefix"], r[0]["quote"], r[0]["suffix"]
        )));
    }
}

#[test]
fn events() {
    let r = rows(&["events"]);
    assert!(has_row(
        &r,
        &[
            ("event", "netanyahu-visit-azerbaijan"),
            ("class", "visit"),
            ("time", "Early next month"),
            ("modality", "planned"),
            ("participants", "Benjamin Netanyahu (agent)")
        ]
    ));
    assert!(has_row(
        &r,
        &[
            ("class", "talks"),
            ("participants", "Azerbaijan (host)"),
            ("place", "Azerbaijan")
        ]
    ));
}

#[test]
fn inline_sparql_sees_every_graph_and_predeclared_prefixes() {
    let r = rows(&["SELECT ?q WHERE { ent:israel owl:sameAs ?q }"]);
    assert_eq!(column(&r, "q"), ["http://www.wikidata.org/entity/Q801"]);
    let r = rows(&["SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }"]);
    assert!(
        r[0]["n"].parse::<u32>().unwrap() > 30,
        "the ontology graph is loaded"
    );
    assert!(ENT.ends_with("/entity/"));
}

#[test]
fn table_output_is_aligned() {
    let out = newskg().args(["query", "offices"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rule = lines.next().unwrap();
    assert!(header.starts_with("person "));
    assert!(rule.starts_with("-----"));
    assert_eq!(header.find("office"), rule.find("  -").map(|i| i + 2));
    assert!(text.trim_end().ends_with("rows)"));
}

#[test]
fn ask_and_construct() {
    newskg()
        .args(["query", "ASK { ent:azerbaijan nkg:allyOf ent:israel }"])
        .assert()
        .success()
        .stdout("true\n");
    let out = newskg()
        .args([
            "query",
            "CONSTRUCT { ?s nkg:allyOf ?o } WHERE { ?s nkg:allyOf ?o }",
            "--format",
            "ntriples",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!(
        "<{ENT}azerbaijan> <https://w3id.org/newskg/ontology#allyOf> <{ENT}israel> ."
    )));
}
