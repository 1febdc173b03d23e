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

/// The canned queries' names, as `newskg queries` lists them.
fn canned_names() -> Vec<String> {
    let listing = newskg().arg("queries").output().unwrap();
    String::from_utf8(listing.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
        .map(str::to_string)
        .collect()
}

/// The canned queries that run on the graph alone (the others federate with `--service`).
fn local_canned_names() -> Vec<String> {
    canned_names()
        .into_iter()
        .filter(|name| !["state-heads", "positions-held"].contains(&name.as_str()))
        .collect()
}

#[test]
fn every_canned_query_is_tested() {
    let source = include_str!("queries.rs");
    let names = canned_names();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let test = format!("fn {}()", name.replace('-', "_"));
        assert!(
            source.contains(&test),
            "canned query {name} has no test `{test}`"
        );
    }
}

/// A corpus: the seed twice (under two article ids) and the small corpus of
/// `examples/corpus` (a registry and two articles), which share the seed's entities. Every
/// canned query answers each row once, and says which article (or how many) each row comes
/// from; the offices held are those of the seed, each from both copies.
#[test]
fn every_canned_query_serves_a_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string("data/seed/facts.toml").unwrap();
    std::fs::copy("data/seed/article.txt", tmp.path().join("article.txt")).unwrap();
    std::fs::write(tmp.path().join("a.toml"), &seed).unwrap();
    let again = seed.replacen(
        "id = \"azerbaijan-abraham-accords\"",
        "id = \"azerbaijan-abraham-accords-again\"",
        1,
    );
    assert_ne!(again, seed);
    std::fs::write(tmp.path().join("b.toml"), again).unwrap();
    for file in [
        "registry.toml",
        "one.toml",
        "one.txt",
        "two.toml",
        "two.txt",
    ] {
        std::fs::copy(format!("examples/corpus/{file}"), tmp.path().join(file)).unwrap();
    }
    let corpus = ["-i".as_ref(), tmp.path().as_os_str()];
    let json = |name: &str, extra: &[&std::ffi::OsStr]| -> serde_json::Value {
        let out = newskg()
            .args(["query", name, "-f", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    for name in &local_canned_names() {
        let answer = json(name, &corpus);
        let vars: Vec<String> = answer["head"]["vars"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let source = ["article", "articles"]
            .into_iter()
            .find(|c| vars.iter().any(|v| v == c))
            .unwrap_or_else(|| panic!("{name} does not say where its rows come from: {vars:?}"));
        let rows = answer["results"]["bindings"].as_array().unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for row in rows {
            assert!(
                row.get(source).is_some(),
                "{name}: a row without `{source}`: {row}"
            );
            assert!(seen.insert(row.to_string()), "{name} repeats a row: {row}");
        }
        // a page is the same rows as the whole answer's slice, whether the query decorates the
        // page only (a core and its decoration) or evaluates everything
        for offset in [0, 5, rows.len().saturating_sub(3), rows.len() + 1] {
            let (o, l) = (offset.to_string(), "7".to_string());
            let page = json(
                name,
                &[
                    &corpus[..],
                    &[
                        "--offset".as_ref(),
                        o.as_ref(),
                        "--limit".as_ref(),
                        l.as_ref(),
                    ],
                ]
                .concat(),
            );
            let page = page["results"]["bindings"].as_array().unwrap();
            let end = (offset + 7).min(rows.len());
            let slice = if offset < rows.len() {
                &rows[offset..end]
            } else {
                &[][..]
            };
            assert_eq!(page, slice, "{name}: rows {offset}..{end}");
        }
        // and the table counts the whole answer
        let out = newskg()
            .args(["query", name, "--limit", "2"])
            .args(corpus)
            .output()
            .unwrap();
        let table = String::from_utf8(out.stdout).unwrap();
        let count = table.lines().last().unwrap_or_default();
        if rows.len() > 2 {
            assert!(
                count.contains(&format!(" of {};", rows.len())),
                "{name}: {count} ({} rows)",
                rows.len()
            );
        }
    }
    // the seed's offices, each from both copies
    let offices = |extra: &[&std::ffi::OsStr]| -> Vec<serde_json::Value> {
        json("offices", extra)["results"]["bindings"]
            .as_array()
            .unwrap()
            .clone()
    };
    let alone = offices(&[]);
    let both = offices(&corpus);
    assert_eq!(both.len(), 2 * alone.len());
    for row in &alone {
        for article in [
            "azerbaijan-abraham-accords",
            "azerbaijan-abraham-accords-again",
        ] {
            let mut copy = row.clone();
            copy["article"]["value"] = article.into();
            assert!(both.contains(&copy), "{copy} missing");
        }
    }
}

/// `queries --show` writes each canned query out as SPARQL that stands on its own (no
/// predeclared prefix, parameters written in): run as a file, it answers as the canned query.
#[test]
fn every_canned_query_shown_standalone_answers_as_itself() {
    let tmp = tempfile::tempdir().unwrap();
    for name in &local_canned_names() {
        let shown = newskg().args(["queries", "--show", name]).output().unwrap();
        assert!(shown.status.success(), "{name}: {shown:?}");
        let text = String::from_utf8(shown.stdout).unwrap();
        spargebra::SparqlParser::new()
            .parse_query(&text)
            .unwrap_or_else(|e| panic!("{name} does not stand on its own: {e}\n{text}"));
        let file = tmp.path().join(format!("{name}.rq"));
        std::fs::write(&file, &text).unwrap();
        let csv = |query: &std::ffi::OsStr| {
            let out = newskg()
                .arg("query")
                .arg(query)
                .args(["-f", "csv"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{name}: {out:?}");
            out.stdout
        };
        assert_eq!(
            String::from_utf8(csv(file.as_os_str())).unwrap(),
            String::from_utf8(csv(name.as_ref())).unwrap(),
            "{name}"
        );
    }
}

/// The embedded default is loaded from precomputed quads (`data/seed/graph.nq`); checking and
/// mapping the seed's facts file gives the same answers, row for row.
#[test]
fn the_precomputed_default_answers_as_the_facts_do() {
    for name in &local_canned_names() {
        let run = |extra: &[&str]| {
            let out = newskg()
                .args(["query", name, "-f", "csv"])
                .args(extra)
                .output()
                .unwrap();
            assert!(out.status.success(), "{name}: {out:?}");
            out.stdout
        };
        assert!(
            run(&[]) == run(&["-i", "data/seed/facts.toml"]),
            "{name}: the embedded default and its facts file answer differently"
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
    // opinions are the authors', but for the one the article gives as Turkey's view
    let opinion = rows(&["facts-by-modality", "-p", "modality=opinion"]);
    for r in &opinion {
        if r["fact"] == "turkey-sees-kurdish-separatist-threat" {
            assert_eq!(r["according_to"], "Turkey");
        } else {
            assert!(r["according_to"].contains("Alex Grinberg"), "{r:?}");
        }
    }
    let conditional = rows(&["facts-by-modality", "-p", "modality=conditional"]);
    assert!(has_row(
        &conditional,
        &[("fact", "conflict-would-isolate-turkey")]
    ));
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
        let r = rows(&[
            "fact-evidence",
            "-p",
            &format!("fact=azerbaijan-abraham-accords/{fact}"),
        ]);
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
    // CSV and TSV have no boolean form: one column, as Jena writes it (RDFLib reads it)
    for (format, expected) in [
        ("csv", "_askResult\r\ntrue\r\n"),
        ("tsv", "?_askResult\ntrue\n"),
        ("json", "{\"head\":{},\"boolean\":true}"),
    ] {
        newskg()
            .args([
                "query",
                "ASK { ent:azerbaijan nkg:allyOf ent:israel }",
                "-f",
                format,
            ])
            .assert()
            .success()
            .stdout(expected);
    }
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

#[test]
fn energy_and_arms() {
    let r = rows(&["energy-and-arms"]);
    assert!(has_row(
        &r,
        &[
            ("tie", "exports to"),
            ("from", "Azerbaijan"),
            ("to", "Israel"),
            ("commodity", "oil"),
            ("quote", "Baku has increased oil exports to Israel")
        ]
    ));
    assert!(has_row(
        &r,
        &[
            ("from", "Israel"),
            ("to", "Azerbaijan"),
            ("commodity", "high-tech weaponry")
        ]
    ));
    let none = rows(&["energy-and-arms", "-p", "a=hungary", "-p", "b=morocco"]);
    assert!(none.is_empty());
}

#[test]
fn hedged_claims() {
    let r = rows(&["hedged-claims"]);
    assert!(has_row(
        &r,
        &[
            ("fact", "az-closest-ally-of-israel"),
            ("according_to", "the authors: ")
        ]
    ));
    assert!(has_row(&r, &[("according_to", "Some experts")]));
    assert!(
        r.iter().all(|r| r.contains_key("according_to")),
        "every hedge has an author"
    );
}

#[test]
fn statements_by() {
    let r = rows(&["statements-by"]);
    assert!(has_row(
        &r,
        &[("quote", "destroy Zionist Israel"), ("time", "Recently")]
    ));
    let trump = rows(&["statements-by", "-p", "speaker=donald-trump"]);
    assert!(has_row(&trump, &[("quote", "support and friendship")]));
}

#[test]
fn alliances() {
    let r = rows(&["alliances"]);
    assert!(has_row(
        &r,
        &[
            ("actor", "Azerbaijan"),
            ("ally", "Israel"),
            ("modality", "hedged"),
            ("quote", "closest ally")
        ]
    ));
    assert!(has_row(&r, &[("actor", "Azerbaijan"), ("ally", "Turkey")]));
}

#[test]
fn visits() {
    let r = rows(&["visits"]);
    assert!(has_row(
        &r,
        &[
            ("visitor", "Benjamin Netanyahu"),
            ("host", "Azerbaijan"),
            ("time", "Early next month"),
            ("modality", "planned")
        ]
    ));
    assert!(has_row(
        &r,
        &[("visitor", "Steve Witkoff"), ("time", "In March")]
    ));
    assert!(has_row(
        &r,
        &[("visitor", "Benjamin Netanyahu"), ("host", "Hungary")]
    ));
}

#[test]
fn planned() {
    let r = rows(&["planned"]);
    assert!(has_row(
        &r,
        &[
            ("fact", "netanyahu-visit-azerbaijan"),
            ("time", "Early next month")
        ]
    ));
}

#[test]
fn timeline() {
    let r = rows(&["timeline"]);
    let times = column(&r, "time");
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "in time order");
    assert!(has_row(
        &r,
        &[("time", "2023-10-07"), ("as_written", "Oct. 7, 2023")]
    ));
    assert!(has_row(
        &r,
        &[
            ("time", "2016"),
            ("quote", "détentes in both 2016 and 2021")
        ]
    ));
}

#[test]
fn opinions() {
    let r = rows(&["opinions"]);
    assert!(has_row(&r, &[("quote", "a win for one is a win for both")]));
    for row in &r {
        if row["fact"] == "turkey-sees-kurdish-separatist-threat" {
            assert_eq!(row["authors"], "Turkey", "an opinion of a named actor");
        } else {
            assert!(
                row["authors"].contains("Alex Grinberg")
                    && row["authors"].contains("Joseph Epstein"),
                "{row:?}"
            );
        }
    }
}

#[test]
fn authors() {
    let r = rows(&["authors"]);
    assert!(has_row(
        &r,
        &[
            ("author", "Alex Grinberg"),
            (
                "affiliation",
                "Jerusalem Institute for Strategy and Security"
            )
        ]
    ));
    assert!(has_row(
        &r,
        &[
            ("author", "Joseph Epstein"),
            ("affiliation", "Endowment for Middle East Truth")
        ]
    ));
    assert!(has_row(
        &r,
        &[
            ("author", "Joseph Epstein"),
            ("affiliation", "Begin Sadat Center")
        ]
    ));
}

#[test]
fn proxies() {
    let r = rows(&["proxies"]);
    assert!(has_row(
        &r,
        &[
            ("patron", "Iran"),
            ("quote", "Iran has formed a proxy militia")
        ]
    ));
}

#[test]
fn supporters() {
    let r = rows(&["supporters"]);
    assert!(has_row(
        &r,
        &[("supporter", "Turkey"), ("supported", "Ahmed al-Sharaa")]
    ));
    assert!(has_row(
        &r,
        &[
            ("supporter", "Israel"),
            ("supported", "Druze"),
            ("modality", "hedged")
        ]
    ));
}

#[test]
fn denied_claims() {
    let r = rows(&["denied-claims"]);
    assert!(has_row(
        &r,
        &[
            ("fact", "neither-side-wants-armed-conflict"),
            ("quote", "neither side is interested")
        ]
    ));
    // a denied relation has no direct triple: the golden case denies that Freedonia exports gas
    let out = newskg()
        .args([
            "query",
            "-i",
            "tests/cases/golden/facts.toml",
            "ASK { ?s nkg:exportsTo ?o }",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "false\n");
}

#[test]
fn relations() {
    let hostile = rows(&["relations"]);
    assert!(has_row(
        &hostile,
        &[("subject", "Iran"), ("object", "Israel")]
    ));
    let allies = rows(&["relations", "-p", "property=allyOf"]);
    assert_eq!(allies.len(), rows(&["alliances"]).len());
    let threats = rows(&["relations", "-p", "property=threatens"]);
    assert!(threats.iter().all(|r| r["relation"] == "threatens"));
}

#[test]
fn names() {
    let r = rows(&["names"]);
    assert!(has_row(&r, &[("name", "Azerbaijan"), ("kind", "label")]));
    assert!(has_row(
        &r,
        &[
            ("name", "Baku"),
            ("kind", "alias"),
            ("wikidata", "http://www.wikidata.org/entity/Q227")
        ]
    ));
}

#[test]
fn events_of_class() {
    let strikes = rows(&["events-of-class"]);
    assert!(has_row(
        &strikes,
        &[
            ("participants", "Israel (agent)"),
            ("quote", "Israel has attacked military targets")
        ]
    ));
    let statements = rows(&["events-of-class", "-p", "class=Statement"]);
    assert!(has_row(&statements, &[("event", "erdogan-eid-call")]));
    let all = rows(&["events-of-class", "-p", "class=Event"]);
    assert!(all.len() > statements.len() + strikes.len());
}

#[test]
fn articles() {
    let r = rows(&["articles"]);
    assert_eq!(r.len(), 1);
    let seed = std::fs::read_to_string("data/seed/facts.toml").unwrap();
    assert_eq!(r[0]["facts"], seed.matches("[[facts]]").count().to_string());
    assert_eq!(r[0]["genre"], "opinion");
    assert_eq!(r[0]["language"], "en");
    assert!(
        !r[0].contains_key("published"),
        "the text gives no publication date"
    );
}

#[test]
fn wikidata_links() {
    let r = rows(&["wikidata-links"]);
    let seed = std::fs::read_to_string("data/seed/facts.toml").unwrap();
    assert_eq!(r.len(), seed.matches("\nwikidata = ").count());
    assert!(has_row(
        &r,
        &[
            ("label", "Benjamin Netanyahu"),
            ("wikidata", "http://www.wikidata.org/entity/Q43723")
        ]
    ));
}

#[test]
fn sources() {
    let r = rows(&["sources"]);
    assert!(has_row(
        &r,
        &[
            ("source", "The Times of Israel"),
            ("claims", "2"),
            ("modalities", "reported")
        ]
    ));
    assert!(has_row(
        &r,
        &[("source", "Alex Grinberg"), ("modalities", "opinion")]
    ));
}

#[test]
fn participation() {
    let r = rows(&["participation"]);
    assert!(has_row(
        &r,
        &[
            ("event", "netanyahu-visit-azerbaijan"),
            ("class", "visit"),
            ("role", "agent")
        ]
    ));
    let az = rows(&["participation", "-p", "entity=azerbaijan"]);
    assert!(has_row(&az, &[("role", "host")]));
    assert!(has_row(&az, &[("role", "mediator")]));
}

#[test]
fn about_a_named_event() {
    let r = rows(&["about-entity", "-p", "entity=fall-of-assad-regime"]);
    assert!(has_row(
        &r,
        &[
            ("states", "regime change"),
            ("quote", "the fall of Syrian dictator")
        ]
    ));
}

/// The SPARQL server CI starts (`ci/sparql-server.sh start`), if any.
fn sparql_server() -> Option<String> {
    let url = std::env::var("NEWSKG_TEST_SPARQL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("skipped the federated part: NEWSKG_TEST_SPARQL is not set");
    }
    url
}

fn federated(name: &str, url: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    rows(&[name, "--service", "--param", &format!("endpoint={url}")])
}

#[test]
fn state_heads() {
    newskg()
        .args(["query", "state-heads"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("add --service"));
    let Some(url) = sparql_server() else { return };
    let r = federated("state-heads", &url);
    assert!(
        has_row(
            &r,
            &[
                ("state", "Turkey"),
                ("head_of_state", "Recep Tayyip Erdoğan")
            ]
        ),
        "{r:?}"
    );
    assert!(
        has_row(&r, &[("state", "Israel"), ("population", "9800000")]),
        "{r:?}"
    );
    // every linked state of the graph, once
    assert_eq!(
        r.len(),
        rows(&["SELECT ?s WHERE { ?s a nkg:State ; owl:sameAs ?q }"]).len()
    );
}

#[test]
fn positions_held() {
    newskg()
        .args(["query", "positions-held"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("add --service"));
    let Some(url) = sparql_server() else { return };
    let r = federated("positions-held", &url);
    assert!(
        has_row(
            &r,
            &[
                ("person", "Benjamin Netanyahu"),
                ("position", "Prime Minister of Israel"),
                ("in_article", "true")
            ]
        ),
        "{r:?}"
    );
}

#[test]
fn about_the_source_of_a_claim() {
    let r = rows(&["about-entity", "-p", "entity=ehsan-movahedian"]);
    assert!(has_row(
        &r,
        &[
            ("states", "the claim is this entity's"),
            ("quote", "preparation for war against Iran")
        ]
    ));
}

#[test]
fn conditional_claims() {
    let r = rows(&["conditional-claims"]);
    // a consequence linked to the claim it depends on, which is itself conditional
    assert!(has_row(
        &r,
        &[
            ("fact", "conflict-would-isolate-turkey"),
            ("condition", "For Turkey, a conflict with Israel"),
            ("condition_modality", "conditional")
        ]
    ));
    // a condition only as written
    assert!(has_row(
        &r,
        &[
            ("fact", "us-would-compound-threat-to-iran"),
            ("condition", "Adding Washington to the mix")
        ]
    ));
    assert!(r.iter().all(|row| row.contains_key("condition")), "{r:?}");
}

#[test]
fn reported_claims() {
    let r = rows(&["reported-claims", "-i", "examples/claims/claims.toml"]);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0]["source"], "Daily Courier");
    assert_eq!(r[0]["citing"], "officials in Freedonia");
    let seed = rows(&["reported-claims"]);
    assert!(has_row(
        &seed,
        &[
            ("fact", "toi-aim-mediation-with-turkey"),
            ("source", "The Times of Israel")
        ]
    ));
}

#[test]
fn event_codes() {
    let r = rows(&["event-codes"]);
    let fighting = r.iter().find(|row| row["root"] == "19").expect("root 19");
    assert_eq!(fighting["quad_class"], "4");
    assert_eq!(fighting["category"], "fighting");
    let events: u32 = fighting["events"].parse().unwrap();
    let asserted: u32 = fighting["asserted"].parse().unwrap();
    assert!(events >= asserted && asserted >= 1, "{fighting:?}");
    // every row's QuadClass is its root's
    for row in &r {
        let root: u32 = row["root"].parse().unwrap();
        let quad = match root {
            1..=5 => "1",
            6..=9 => "2",
            10..=14 => "3",
            _ => "4",
        };
        assert_eq!(row["quad_class"], quad, "{row:?}");
    }
    // every event fact with a coded class is counted once
    let total: u32 = r
        .iter()
        .map(|row| row["events"].parse::<u32>().unwrap())
        .sum();
    let coded = rows(&["SELECT ?f WHERE { ?f nkg:eventClass ?c . ?c nkg:cameoCode ?code }"]);
    assert_eq!(total as usize, coded.len());
}

#[test]
fn actor_events() {
    let r = rows(&["actor-events", "-p", "actor=iran"]);
    assert!(has_row(
        &r,
        &[
            ("event", "iran-exercises-on-az-border"),
            ("cameo", "150"),
            ("quad_class", "4"),
            ("plover", "MOBILIZE"),
            ("role", "agent"),
            ("with", "Azerbaijan (target)")
        ]
    ));
    // the code a fact gives, under its class's
    let claims = rows(&[
        "actor-events",
        "-i",
        "examples/claims/claims.toml",
        "-p",
        "actor=freedonia",
    ]);
    assert!(has_row(
        &claims,
        &[
            ("event", "air-strike"),
            ("cameo", "195"),
            ("plover", "ASSAULT")
        ]
    ));
}
