//! Export: every format is written, Turtle and TriG parse with an independent parser (sophia)
//! into graphs isomorphic to the exported N-Triples / N-Quads, output is byte-identical across
//! runs and input orders, and a golden case matches as a graph.

mod common;

use common::newskg;
use sophia_api::source::TripleSource;
use sophia_isomorphism::isomorphic_graphs;
use std::collections::HashSet;
use std::path::Path;

type SophiaGraph = Vec<[sophia_api::term::SimpleTerm<'static>; 3]>;
type SophiaQuads = Vec<(
    [sophia_api::term::SimpleTerm<'static>; 3],
    Option<sophia_api::term::SimpleTerm<'static>>,
)>;

fn export(args: &[&str]) -> Vec<u8> {
    let output = newskg().arg("export").args(args).output().unwrap();
    assert!(
        output.status.success(),
        "export {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn parse_turtle(text: &str) -> SophiaGraph {
    sophia_turtle::parser::turtle::parse_str(text)
        .collect_triples()
        .expect("sophia parses our Turtle")
}

fn parse_ntriples(text: &str) -> SophiaGraph {
    sophia_turtle::parser::nt::parse_str(text)
        .collect_triples()
        .expect("sophia parses our N-Triples")
}

#[test]
fn turtle_is_isomorphic_to_ntriples_with_sophia() {
    for extra in [&[][..], &["--without-ontology"][..]] {
        let ttl = String::from_utf8(export(&[&["-f", "turtle"], extra].concat())).unwrap();
        let nt = String::from_utf8(export(&[&["-f", "ntriples"], extra].concat())).unwrap();
        let from_turtle = parse_turtle(&ttl);
        let from_nt = parse_ntriples(&nt);
        assert!(from_nt.len() > 1000, "the seed graph is substantial");
        assert!(
            isomorphic_graphs(&from_turtle, &from_nt).unwrap(),
            "Turtle and N-Triples exports differ"
        );
    }
}

#[test]
fn trig_keeps_the_named_graphs_of_nquads() {
    let trig = String::from_utf8(export(&["-f", "trig"])).unwrap();
    let nq = String::from_utf8(export(&["-f", "nquads"])).unwrap();
    let from_trig: Vec<[sophia_api::term::SimpleTerm<'static>; 4]> = {
        use sophia_api::source::QuadSource;
        let quads: SophiaQuads = sophia_turtle::parser::trig::parse_str(&trig)
            .collect_quads()
            .unwrap();
        quads
            .into_iter()
            .map(|(spo, g)| {
                let [s, p, o] = spo;
                [s, p, o, g.expect("every quad is in a named graph")]
            })
            .collect()
    };
    let from_nq: Vec<[sophia_api::term::SimpleTerm<'static>; 4]> = {
        use sophia_api::source::QuadSource;
        let quads: SophiaQuads = sophia_turtle::parser::nq::parse_str(&nq)
            .collect_quads()
            .unwrap();
        quads
            .into_iter()
            .map(|(spo, g)| {
                let [s, p, o] = spo;
                [s, p, o, g.unwrap()]
            })
            .collect()
    };
    let a: HashSet<_> = from_trig.into_iter().collect();
    let b: HashSet<_> = from_nq.into_iter().collect();
    assert_eq!(a.len(), b.len());
    assert!(a == b, "TriG and N-Quads exports differ");
}

#[test]
fn every_format_is_written_and_byte_identical_across_runs() {
    for format in ["turtle", "trig", "ntriples", "nquads", "rdfxml", "jsonld"] {
        let first = export(&["-f", format]);
        let second = export(&["-f", format]);
        assert!(!first.is_empty(), "{format} is empty");
        assert!(first == second, "{format} differs between two runs");
    }
}

#[test]
fn turtle_declares_only_used_prefixes_and_puts_types_first() {
    let ttl = String::from_utf8(export(&["--without-ontology"])).unwrap();
    for line in ttl.lines().filter(|l| l.starts_with("@prefix ")) {
        let prefix = line.split_whitespace().nth(1).unwrap();
        let uses = ttl.matches(prefix).count();
        assert!(uses > 1, "{prefix} is declared but never used");
    }
    // no vocabulary used in this graph is left undeclared, and geo: is never used
    assert!(!ttl.contains("@prefix geo:"));
    assert!(ttl.contains("@prefix wd: <http://www.wikidata.org/entity/>"));
    // the first predicate of each subject block is `a` (rdf:type) whenever it has a type
    for block in ttl.split("\n\n").filter(|b| b.contains(" a ")) {
        let first_line = block.lines().find(|l| !l.starts_with('@')).unwrap();
        assert!(
            first_line.contains("> a ") || first_line.contains(" a "),
            "{first_line}"
        );
    }
}

/// Writes `value` as the JSON facts file `name` in `dir`, beside a copy of the seed text.
fn write_json(dir: &Path, name: &str, value: &serde_json::Value) -> std::path::PathBuf {
    std::fs::copy("data/seed/article.txt", dir.join("article.txt")).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

#[test]
fn output_does_not_depend_on_input_order_or_format() {
    let toml_text = std::fs::read_to_string("data/seed/facts.toml").unwrap();
    let value: serde_json::Value = toml::from_str(&toml_text).unwrap();
    let mut reversed = value.clone();
    for key in ["entities", "facts"] {
        reversed[key].as_array_mut().unwrap().reverse();
    }
    let dir = tempfile::tempdir().unwrap();
    let json = write_json(dir.path(), "reversed.json", &reversed);
    let from_toml = export(&["-i", "data/seed/facts.toml"]);
    let from_json = export(&["-i", json.to_str().unwrap()]);
    let embedded = export(&[]);
    assert!(
        from_toml == embedded,
        "the embedded default is data/seed/facts.toml"
    );
    assert!(
        from_json == from_toml,
        "reversed JSON input gives other bytes"
    );
}

#[test]
fn golden_minimal_case_matches_as_a_graph() {
    // TriG: which graph a triple is in matters (an article's, or the entities')
    let dir = Path::new("tests/cases/golden");
    let trig = export(&[
        "-i",
        dir.join("facts.toml").to_str().unwrap(),
        "--without-ontology",
        "--base",
        "https://example.org/news/",
        "-f",
        "trig",
    ]);
    use sophia_api::source::QuadSource;
    let parse = |text: &str| -> SophiaQuads {
        sophia_turtle::parser::trig::parse_str(text)
            .collect_quads()
            .expect("sophia parses TriG")
    };
    let actual = parse(std::str::from_utf8(&trig).unwrap());
    let expected = parse(&std::fs::read_to_string(dir.join("expected.trig")).unwrap());
    assert!(
        sophia_isomorphism::isomorphic_datasets(&actual, &expected).unwrap(),
        "the export of tests/cases/golden/facts.toml is not isomorphic to expected.trig:\n{}",
        String::from_utf8_lossy(&trig)
    );
}

#[test]
fn export_to_a_file_is_complete_and_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.ttl");
    newskg()
        .args(["export", "-o", out.to_str().unwrap()])
        .assert()
        .success()
        .stdout("");
    assert_eq!(std::fs::read(&out).unwrap(), export(&[]));
    // no temporary file is left beside it
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn the_output_file_s_extension_names_the_format() {
    let tmp = tempfile::tempdir().unwrap();
    let nt = tmp.path().join("graph.nt");
    export(&["-o", nt.to_str().unwrap()]);
    let text = std::fs::read_to_string(&nt).unwrap();
    assert_eq!(
        text,
        String::from_utf8(export(&["-f", "ntriples"])).unwrap()
    );
    let nq = tmp.path().join("graph.NQ");
    export(&["-o", nq.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(&nq).unwrap(),
        export(&["-f", "nquads"]),
        "an extension in capitals too"
    );
    // an extension that is no format's: Turtle, the default
    let txt = tmp.path().join("graph.txt");
    export(&["-o", txt.to_str().unwrap()]);
    assert_eq!(std::fs::read(&txt).unwrap(), export(&[]));
    // a format asked that the extension contradicts: an error, and no file
    let clash = tmp.path().join("clash.nt");
    let o = newskg()
        .args(["export", "-f", "turtle", "-o"])
        .arg(&clash)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("the extension says ntriples, --format says turtle"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!clash.exists());
}
