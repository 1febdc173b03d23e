//! The claim model, end to end (docs/claims.md): only what an article asserts (and still holds)
//! yields plain triples; every other claim says what it claims on its fact node; links between
//! claims, chains of sources and a relation's time span are checked and written; every event
//! class carries its CAMEO code, QuadClass and PLOVER category.

mod common;

use common::rows;
use std::path::Path;

const CLAIMS: &str = "examples/claims/claims.toml";
/// The seed's facts, mapped by this build (the embedded default is precomputed quads).
const SEED: &str = "data/seed/facts.toml";

/// Plain triples (outside fact nodes and the entities' graph) that no asserted, still-holding
/// fact of the same article states: each row is one such triple. The wdt: view of a triple is
/// backed by the fact whose property has that Wikidata equivalent, between the linked items.
const UNBACKED_PLAIN_TRIPLES: &str = r#"
SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  ?g a nkg:Article .
  FILTER(?s != ?g && !STRSTARTS(STR(?s), CONCAT(STR(?g), "/fact/")))
  FILTER NOT EXISTS {
    GRAPH ?g {
      ?f nkg:modality nkg:asserted .
      FILTER NOT EXISTS { ?f nkg:ended true }
      FILTER NOT EXISTS { ?f nkg:untilText ?until }
    }
    {
      GRAPH ?g { ?f nkg:describes ?event }
      OPTIONAL { GRAPH data:entities { ?event owl:sameAs ?we } }
      FILTER(?s = ?event || ?s = ?we)
    } UNION {
      GRAPH ?g { ?f nkg:factSubject ?subject ; nkg:factProperty ?property ; nkg:factObject ?object }
      OPTIONAL { ?property owl:equivalentProperty ?wp . FILTER(STRSTARTS(STR(?wp), STR(wdt:))) }
      OPTIONAL { GRAPH data:entities { ?subject owl:sameAs ?ws } }
      OPTIONAL { GRAPH data:entities { ?object owl:sameAs ?wo } }
      FILTER((?s = ?subject && ?p = ?property && ?o = ?object)
             || (?p = ?wp && ?s = COALESCE(?ws, ?subject) && ?o = COALESCE(?wo, ?object)))
    }
  }
}
"#;

fn format_rows(rows: &[std::collections::BTreeMap<String, String>]) -> String {
    rows.iter()
        .map(|r| format!("{r:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn only_asserted_facts_yield_plain_triples_in_the_seed() {
    let unbacked = rows(&["-i", SEED, UNBACKED_PLAIN_TRIPLES]);
    assert!(
        unbacked.is_empty(),
        "plain triples that no asserted fact states:\n{}",
        format_rows(&unbacked)
    );
    // and the check can fail: the seed has claims that are not asserted, each with its relation
    // or event on its fact node only
    let not_asserted = rows(&[
        "-i",
        SEED,
        "SELECT ?f WHERE { ?f a nkg:Fact ; nkg:modality ?m . FILTER(?m != nkg:asserted) }",
    ]);
    assert!(not_asserted.len() > 20, "{}", not_asserted.len());
}

#[test]
fn only_asserted_facts_yield_plain_triples_in_the_claims_example() {
    let unbacked = rows(&["-i", CLAIMS, UNBACKED_PLAIN_TRIPLES]);
    assert!(unbacked.is_empty(), "{}", format_rows(&unbacked));
    // the asserted, holding relation is a plain triple; the ended ones and the hedged one are not
    let plain = |s: &str, p: &str, o: &str| {
        !rows(&[
            "-i",
            CLAIMS,
            &format!("SELECT * WHERE {{ ent:{s} nkg:{p} ent:{o} }}"),
        ])
        .is_empty()
    };
    assert!(plain("ruritania", "hasRelationsWith", "freedonia"));
    assert!(!plain("freedonia", "allyOf", "osterlich"), "ended");
    assert!(
        !plain("freedonia", "hasRelationsWith", "osterlich"),
        "until"
    );
    assert!(!plain("freedonia", "allyOf", "ruritania"), "hedged");
    assert!(!plain("ruritania", "supports", "freedonia"), "conditional");
}

#[test]
fn a_claim_without_plain_triples_says_what_it_claims_on_its_fact_node() {
    // every event fact names its class, whatever its modality; the denied ones included
    let events = rows(&[
        "SELECT ?f ?m ?class WHERE { ?f nkg:describes ?e ; nkg:modality ?m . OPTIONAL { ?f nkg:eventClass ?class } }",
    ]);
    let denied: Vec<_> = events
        .iter()
        .filter(|r| r["m"].ends_with("#denied"))
        .collect();
    assert!(!denied.is_empty());
    for r in &events {
        assert!(r.contains_key("class"), "event fact without class: {r:?}");
    }
    // the denied event of the claims example: class and participants on the fact node, nothing
    // on the event
    let fact = rows(&[
        "-i",
        CLAIMS,
        "SELECT ?class ?who ?role WHERE { <https://w3id.org/newskg/data/article/claims/fact/no-weapons> nkg:eventClass ?class ; nkg:eventParticipation [ nkg:involves ?who ; nkg:role ?role ] }",
    ]);
    assert_eq!(fact.len(), 2, "{}", format_rows(&fact));
    assert!(fact.iter().all(|r| r["class"].ends_with("#ArmsTransfer")));
    let event = rows(&[
        "-i",
        CLAIMS,
        "SELECT * WHERE { <https://w3id.org/newskg/data/article/claims/event/no-weapons> ?p ?o }",
    ]);
    assert!(event.is_empty(), "{}", format_rows(&event));
}

#[test]
fn sources_links_and_time_spans_are_written() {
    let chain = rows(&[
        "-i",
        CLAIMS,
        "SELECT ?first ?cited WHERE { ?f nkg:accordingTo/rdfs:label ?first ; nkg:cites/nkg:accordingTo/rdfs:label ?cited }",
    ]);
    assert_eq!(chain.len(), 1, "{}", format_rows(&chain));
    assert_eq!(chain[0]["first"], "Daily Courier");
    assert_eq!(chain[0]["cited"], "officials in Freedonia");

    let links = rows(&[
        "-i",
        CLAIMS,
        "SELECT ?a ?link ?b WHERE { ?link rdfs:subPropertyOf nkg:claimLink . ?x ?link ?y . BIND(STRAFTER(STR(?x), \"/fact/\") AS ?a) BIND(STRAFTER(STR(?y), \"/fact/\") AS ?b) } ORDER BY ?a",
    ]);
    let links: Vec<(String, String, String)> = links
        .iter()
        .map(|r| {
            (
                r["a"].clone(),
                r["link"].rsplit('#').next().unwrap().to_string(),
                r["b"].clone(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("signing".into(), "during".into(), "vell-visit".into()),
            (
                "would-support".into(),
                "onCondition".into(),
                "if-attacked".into()
            ),
        ]
    );

    let spans = rows(&[
        "-i",
        CLAIMS,
        "SELECT ?fact ?since ?until ?ended WHERE { ?f nkg:quote ?q . OPTIONAL { ?f nkg:since ?since } OPTIONAL { ?f nkg:until ?until } OPTIONAL { ?f nkg:ended ?ended } FILTER(BOUND(?since) || BOUND(?until) || BOUND(?ended)) BIND(STRAFTER(STR(?f), \"/fact/\") AS ?fact) } ORDER BY ?fact",
    ]);
    let got: Vec<String> = spans
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["fact"],
                r.get("since").map_or("-", String::as_str),
                r.get("until").map_or("-", String::as_str),
                r.get("ended").map_or("-", String::as_str)
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "once-allies - - true",
            "relations-broken - 2017 -",
            "relations-since-1998 1998 - -"
        ]
    );
}

#[test]
fn the_claims_example_matches_its_golden_graph() {
    let dir = Path::new("tests/cases/claims");
    let output = common::newskg()
        .args([
            "export",
            "-i",
            CLAIMS,
            "--without-ontology",
            "--base",
            "https://example.org/news/",
            "-f",
            "trig",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    use sophia_api::source::QuadSource;
    type Quads = Vec<(
        [sophia_api::term::SimpleTerm<'static>; 3],
        Option<sophia_api::term::SimpleTerm<'static>>,
    )>;
    let parse = |text: &str| -> Quads {
        sophia_turtle::parser::trig::parse_str(text)
            .collect_quads()
            .expect("sophia parses TriG")
    };
    let actual = parse(std::str::from_utf8(&output.stdout).unwrap());
    let expected = parse(&std::fs::read_to_string(dir.join("expected.trig")).unwrap());
    assert!(
        sophia_isomorphism::isomorphic_datasets(&actual, &expected).unwrap(),
        "the export of {CLAIMS} is not isomorphic to tests/cases/claims/expected.trig:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn every_event_class_carries_its_cameo_code_quad_class_and_plover_category() {
    // a class without a code says why (nkg:cameoNote); the same for PLOVER, which drops CAMEO's
    // roots 01 and 02
    let missing = rows(&[
        "SELECT ?c WHERE { ?c rdfs:subClassOf+ nkg:Event . FILTER NOT EXISTS { ?c nkg:cameoCode ?code } FILTER NOT EXISTS { ?c nkg:cameoNote ?why } }",
    ]);
    assert!(missing.is_empty(), "{}", format_rows(&missing));
    let classes = rows(&[
        "SELECT ?c ?code ?quad ?plover ?note WHERE { ?c rdfs:subClassOf+ nkg:Event ; nkg:cameoCode ?code ; nkg:cameoLabel ?label . OPTIONAL { ?c nkg:quadClass ?quad } OPTIONAL { ?c nkg:ploverCategory ?plover } OPTIONAL { ?c nkg:ploverNote ?note } }",
    ]);
    assert!(classes.len() >= 70, "{}", classes.len());
    for r in &classes {
        let code = &r["code"];
        let root: u32 = code[..2].parse().unwrap();
        assert!((1..=20).contains(&root), "{r:?}");
        let quad = match root {
            1..=5 => "1",
            6..=9 => "2",
            10..=14 => "3",
            _ => "4",
        };
        assert_eq!(r.get("quad").map(String::as_str), Some(quad), "{r:?}");
        if root <= 2 {
            assert!(r.contains_key("note") && !r.contains_key("plover"), "{r:?}");
        } else {
            assert!(r.contains_key("plover"), "{r:?}");
        }
    }
    // CAMEO's 20 roots, each a direct sub-class of nkg:Event
    let roots = rows(&[
        "SELECT DISTINCT ?root WHERE { ?c rdfs:subClassOf nkg:Event ; nkg:cameoCode ?code . BIND(SUBSTR(?code, 1, 2) AS ?root) }",
    ]);
    assert_eq!(roots.len(), 20, "{}", format_rows(&roots));
}

/// The claims example with `old` replaced by `new`, checked: exit status 1, nothing on standard
/// output, and a message at the place of `at` (its first occurrence in the edited file; where
/// `at` has a `|`, the place is there, else at its first character) that says each of `says`.
fn bad_claims(old: &str, new: &str, at: &str, says: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(CLAIMS).unwrap();
    assert_eq!(text.matches(old).count(), 1, "`{old}` is once in {CLAIMS}");
    let edited = text.replace(old, new);
    std::fs::write(dir.path().join("claims.toml"), &edited).unwrap();
    std::fs::copy(
        "examples/claims/article.txt",
        dir.path().join("article.txt"),
    )
    .unwrap();
    let (before, after) = at.split_once('|').unwrap_or(("", at));
    let offset = edited
        .find(&format!("{before}{after}"))
        .unwrap_or_else(|| panic!("`{at}` in the edit"))
        + before.len();
    let line = edited[..offset].matches('\n').count() + 1;
    let column = edited[..offset]
        .rsplit('\n')
        .next()
        .unwrap()
        .chars()
        .count()
        + 1;
    let output = common::newskg()
        .current_dir(dir.path())
        .args(["check", "-i", "claims.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty());
    let place = format!("claims.toml:{line}:{column}: ");
    let message = stderr
        .lines()
        .find(|l| l.starts_with(&place))
        .unwrap_or_else(|| panic!("no problem at {place} in:\n{stderr}"));
    for s in says {
        assert!(message.contains(s), "`{s}` not in: {message}");
    }
}

#[test]
fn a_link_to_a_fact_the_file_does_not_state() {
    bad_claims(
        r#"links = { during = "vell-visit" }"#,
        r#"links = { during = "vell-vist" }"#,
        r#""vell-vist""#,
        &[
            "`during` names fact `vell-vist`",
            "does not state",
            "did you mean `vell-visit`?",
        ],
    );
}

#[test]
fn a_link_to_itself() {
    bad_claims(
        r#"links = { during = "vell-visit" }"#,
        r#"links = { during = "signing" }"#,
        r#""signing" }"#,
        &["links to itself"],
    );
}

#[test]
fn links_that_go_round() {
    bad_claims(
        r#"place = "freedonia"
quote = "a visit by"#,
        r#"place = "freedonia"
links = { during = "signing" }
quote = "a visit by"#,
        r#"links = { |during = "vell-visit" }"#,
        &["`during` links go round", "signing → vell-visit → signing"],
    );
}

#[test]
fn an_unknown_kind_of_link() {
    bad_claims(
        r#"links = { during = "vell-visit" }"#,
        r#"links = { duringg = "vell-visit" }"#,
        "duringg",
        &[
            "unknown claim link `duringg`",
            "did you mean `during`?",
            "becauseOf",
        ],
    );
}

#[test]
fn a_conditional_without_its_condition() {
    bad_claims(
        r#"modality = "conditional"
links = { onCondition = "if-attacked" }"#,
        r#"modality = "conditional""#,
        r#""conditional""#,
        &["a conditional fact needs its condition", "onCondition"],
    );
}

#[test]
fn an_end_before_its_start() {
    bad_claims(
        r#"until = { text = "in 2017", value = "2017" }"#,
        r#"since = { text = "in 2017", value = "2017" }
until = { text = "in 2017", value = "2016" }"#,
        r#""2016""#,
        &["ends (`2016`) before it begins (`2017`)"],
    );
}

#[test]
fn a_cited_source_without_a_source() {
    bad_claims(
        r#"said_by = "daily-courier"
citing"#,
        "citing",
        r#"citing = |"freedonian-officials""#,
        &["`citing` names whom the source cites", "`said_by`"],
    );
}

#[test]
fn a_time_span_on_an_event() {
    bad_claims(
        r#"time = { text = "in June" }"#,
        r#"time = { text = "in June" }
since = { text = "in June" }"#,
        r#"since = |{ text = "in June" }"#,
        &["`since` is for a relation"],
    );
}

#[test]
fn a_cameo_code_that_does_not_fit_the_class() {
    bad_claims(
        r#"cameo = "195""#,
        r#"cameo = "042""#,
        r#""042""#,
        &[
            "CAMEO code `042` does not fit the event class `AirStrike` (CAMEO 195)",
            "starts with `195`",
        ],
    );
    bad_claims(
        r#"cameo = "195""#,
        r#"cameo = "2x5""#,
        r#""2x5""#,
        &["`2x5` is not a CAMEO event code"],
    );
}

#[test]
fn casualties_that_are_not_a_number() {
    bad_claims(
        "count = 12",
        r#"count = "twelve""#,
        r#""twelve""#,
        &["`count` must be a whole number", "\"twelve\""],
    );
}

#[test]
fn a_time_not_in_the_article() {
    bad_claims(
        r#"time = { text = "On 9 March 2025", value = "2025-03-09" }"#,
        r#"time = { text = "On March 9, 2025", value = "2025-03-09" }"#,
        r#""On March 9, 2025""#,
        &["the time `On March 9, 2025` is not in the article's text"],
    );
}

#[test]
fn a_time_value_that_contradicts_its_text() {
    bad_claims(
        r#"time = { text = "On 9 March 2025", value = "2025-03-09" }"#,
        r#"time = { text = "On 9 March 2025", value = "2024-04-09" }"#,
        r#""2024-04-09""#,
        &[
            "the time value `2024-04-09` contradicts its text `On 9 March 2025`",
            "its year 2024 is not the text's (2025)",
            "its month 4 is not the text's (3)",
        ],
    );
    bad_claims(
        r#"since = { text = "since 1998", value = "1998" }"#,
        r#"since = { text = "since 1998", value = "1999" }"#,
        r#""1999""#,
        &["its year 1999 is not the text's (1998)"],
    );
}
