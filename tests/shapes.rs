//! `newskg check -i FILE.nt` validates a graph against the SHACL shapes (ontology/shapes.ttl):
//! the exports hold them, and each mistake of ci/reasoning_check.py's `broken()`, made to the
//! claims example's export, fails them with a message at the first triple about the node at
//! fault. (CI runs the same broken graphs through pySHACL and newskg and requires them to agree.)

mod common;

use common::newskg;
use std::path::Path;

const DATA: &str = "https://w3id.org/newskg/data/";
const NKG: &str = "https://w3id.org/newskg/ontology#";
const OA: &str = "http://www.w3.org/ns/oa#";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const OWL_SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// `newskg export ARGS -f FORMAT -o DIR/NAME`; the path written.
fn export(dir: &Path, args: &[&str], format: &str, name: &str) -> String {
    let path = dir.join(name).display().to_string();
    newskg()
        .arg("export")
        .args(args)
        .args(["-f", format, "-o", &path])
        .assert()
        .success();
    path
}

fn fact(name: &str) -> String {
    format!("{DATA}article/claims/fact/{name}")
}

/// An N-Triples edit: lines to remove (those starting with subject and predicate) and to add.
struct Edit {
    remove: Vec<(String, String)>,
    add: Vec<String>,
}

fn without(s: &str, p: &str) -> Edit {
    Edit {
        remove: vec![(s.to_string(), p.to_string())],
        add: vec![],
    }
}

fn adding(s: &str, p: &str, o: &str) -> Edit {
    Edit {
        remove: vec![],
        add: vec![format!("<{s}> <{p}> {o} .")],
    }
}

fn apply(nt: &str, edit: &Edit) -> String {
    let mut out = String::new();
    for line in nt.lines() {
        if edit
            .remove
            .iter()
            .any(|(s, p)| line.starts_with(&format!("<{s}> <{p}> ")))
        {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    for line in &edit.add {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The 1-based line of the first triple about `subject` in N-Triples.
fn first_line(nt: &str, subject: &str) -> usize {
    nt.lines()
        .position(|l| l.starts_with(&format!("<{subject}> ")))
        .expect("a triple about the subject")
        + 1
}

#[test]
fn the_exports_hold_the_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let seed = export(dir.path(), &[], "ntriples", "seed.nt");
    newskg()
        .args(["check", "-i", &seed])
        .assert()
        .success()
        .stdout(format!("ok  {seed}: 6043 triples hold the shapes\n"));
    let claims = ["-i", "examples/claims/claims.toml"];
    let mut args = vec!["check".to_string()];
    for (format, name) in [
        ("ntriples", "claims.nt"),
        ("nquads", "claims.nq"),
        ("turtle", "claims.ttl"),
        ("trig", "claims.trig"),
    ] {
        args.extend(["-i".to_string(), export(dir.path(), &claims, format, name)]);
    }
    let out = newskg().args(&args).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("ok  ") && l.ends_with(": 1776 triples hold the shapes")),
        "{stdout}"
    );
    // without the ontology's graph, the embedded ontology gives the classes their super-classes
    let bare = export(
        dir.path(),
        &["-i", "examples/claims/claims.toml", "--without-ontology"],
        "ntriples",
        "bare.nt",
    );
    newskg().args(["check", "-i", &bare]).assert().success();
}

#[test]
fn each_broken_claims_graph_fails_the_shapes_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let claims = export(
        dir.path(),
        &["-i", "examples/claims/claims.toml"],
        "ntriples",
        "claims.nt",
    );
    let nt = std::fs::read_to_string(&claims).unwrap();
    let position = format!("{DATA}article/claims/fact/closest-ally/evidence/position");
    let agent = format!("{DATA}article/claims/fact/june-trip/participant/anna-vell/agent");
    let report = format!("{DATA}article/claims/fact/drone-supply/cites/1");
    let osterlich = format!("{DATA}entity/osterlich");
    let iri = |s: &str| format!("<{s}>");
    let nkg = |l: &str| format!("{NKG}{l}");
    // (label, edit, focus node, what the message says after the focus node)
    let cases: Vec<(&str, Edit, String, String)> = vec![
        (
            "a fact without modality",
            without(&fact("closest-ally"), &nkg("modality")),
            fact("closest-ally"),
            "nkg:modality: no value, and at least 1 value needed".into(),
        ),
        (
            "a fact with two quotes",
            adding(&fact("closest-ally"), &nkg("quote"), "\"another\""),
            fact("closest-ally"),
            "nkg:quote: 2 values (".into(),
        ),
        (
            "a reported fact without source",
            without(&fact("drone-supply"), &nkg("accordingTo")),
            fact("drone-supply"),
            ": a reported fact names its source: nkg:accordingTo (an actor) or nkg:attribution (an unnamed source as written)".into(),
        ),
        (
            "a conditional fact without condition",
            without(&fact("would-support"), &nkg("onCondition")),
            fact("would-support"),
            ": a conditional fact names its condition: nkg:condition (as written) or nkg:onCondition (the claim it depends on)".into(),
        ),
        (
            "a fact both relation and event",
            adding(&fact("closest-ally"), &nkg("describes"), &iri(&format!("{DATA}x"))),
            fact("closest-ally"),
            ": it satisfies 2 of the alternatives of its sh:xone, and exactly one may hold: the one on nkg:factSubject, nkg:factProperty, nkg:factObject and the one on nkg:describes, nkg:eventClass, nkg:eventLabel, nkg:eventParticipation, nkg:eventPlace; keep one".into(),
        ),
        (
            "a relation without object",
            without(&fact("closest-ally"), &nkg("factObject")),
            fact("closest-ally"),
            ": it satisfies none of the 2 alternatives of its sh:xone, and exactly one must hold; the closest fails: nkg:factObject: no value".into(),
        ),
        (
            "a participation without role",
            without(&agent, &nkg("role")),
            agent.clone(),
            "nkg:role: no value, and at least 1 value needed".into(),
        ),
        (
            "a link to a non-fact",
            adding(&fact("signing"), &nkg("during"), &iri(&format!("{DATA}entity/freedonia"))),
            fact("signing"),
            format!("nkg:becauseOf|nkg:inOrderTo|nkg:onCondition|nkg:during|nkg:partOf: <{DATA}entity/freedonia> is not of class nkg:Fact (its types: nkg:State)"),
        ),
        (
            "a source that is not an actor",
            adding(&fact("closest-ally"), &nkg("accordingTo"), &iri(&format!("{DATA}entity/drones"))),
            fact("closest-ally"),
            format!("nkg:accordingTo: <{DATA}entity/drones> is not of class nkg:Actor (its types: nkg:Commodity)"),
        ),
        (
            "an end offset before the start",
            Edit {
                remove: vec![(position.clone(), format!("{OA}end"))],
                add: vec![format!("<{position}> <{OA}end> \"1\"^^<{XSD_INTEGER}> .")],
            },
            position.clone(),
            "oa:start: 239 is not at most its oa:end 1".into(),
        ),
        (
            "a time that is not a date",
            adding(&fact("june-trip"), &nkg("time"), "\"June\""),
            fact("june-trip"),
            "nkg:time: \"June\" does not conform to shapes:Time: it satisfies none of: [of datatype xsd:gYear], [of datatype xsd:gYearMonth], [of datatype xsd:date], [of datatype xsd:dateTime]; make one hold".into(),
        ),
        (
            "an entity without label",
            without(&osterlich, RDFS_LABEL),
            osterlich.clone(),
            ": an entity has a name (rdfs:label); only an event a fact describes may have none".into(),
        ),
        (
            "a Wikidata link that is not an item",
            adding(&osterlich, OWL_SAME_AS, "<https://example.org/osterlich>"),
            osterlich.clone(),
            "owl:sameAs: <https://example.org/osterlich> does not match the pattern `^http://www\\.wikidata\\.org/entity/Q[1-9][0-9]*$`".into(),
        ),
        (
            "a report without its source",
            without(&report, &nkg("accordingTo")),
            report.clone(),
            "nkg:accordingTo: no value, and at least 1 value needed".into(),
        ),
    ];
    assert_eq!(cases.len(), 14);
    for (i, (label, edit, focus, says)) in cases.iter().enumerate() {
        let broken = apply(&nt, edit);
        assert_ne!(broken, nt, "{label}: the edit changes nothing");
        let path = dir.path().join(format!("broken-{i}.nt"));
        std::fs::write(&path, &broken).unwrap();
        let path = path.display().to_string();
        let out = newskg().args(["check", "-i", &path]).assert().code(1);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        let at = format!("{path}:{}:1: <{focus}>", first_line(&broken, focus));
        let says = if says.starts_with(':') {
            says.clone()
        } else {
            format!(" {says}")
        };
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("{at}{says}"))),
            "{label}: expected a line starting `{at}{says}`, got:\n{stderr}"
        );
        assert!(
            stderr.ends_with("\nnewskg: 1 problem found; nothing was loaded\n"),
            "{label}: {stderr}"
        );
    }
}

#[test]
fn a_wikidata_link_that_is_not_an_item_fails_its_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let claims = export(
        dir.path(),
        &["-i", "examples/claims/claims.toml"],
        "ntriples",
        "claims.nt",
    );
    let nt = std::fs::read_to_string(&claims).unwrap();
    // an entity with no Wikidata link: only the pattern fails
    let subject = format!("{DATA}entity/daily-courier");
    assert!(!nt.contains(&format!("<{subject}> <{OWL_SAME_AS}>")));
    let broken = apply(
        &nt,
        &adding(&subject, OWL_SAME_AS, "<https://example.org/courier>"),
    );
    let path = dir.path().join("pattern.nt");
    std::fs::write(&path, &broken).unwrap();
    let path = path.display().to_string();
    newskg()
        .args(["check", "-i", &path])
        .assert()
        .code(1)
        .stderr(format!(
            "{path}:{}:1: <{subject}> owl:sameAs: <https://example.org/courier> does not match the pattern `^http://www\\.wikidata\\.org/entity/Q[1-9][0-9]*$`\nnewskg: 1 problem found; nothing was loaded\n",
            first_line(&broken, &subject)
        ));
}

#[test]
fn an_rdf_syntax_error_is_reported_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.nt");
    std::fs::write(
        &path,
        "<https://e/a> <https://e/p> \"x\" .\n<https://e/a> <https://e/p> oops .\n",
    )
    .unwrap();
    let path = path.display().to_string();
    let out = newskg().args(["check", "-i", &path]).assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with(&format!("{path}:2:")) && stderr.contains(": invalid RDF: "),
        "{stderr}"
    );
    // facts files are still facts files, and both kinds can be checked at once
    newskg()
        .args(["check", "-i", "examples/visit.toml", "-i", &path])
        .assert()
        .code(1)
        .stdout("");
}
