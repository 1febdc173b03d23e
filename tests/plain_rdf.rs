//! Plain RDF beside the facts: `-i FILE.ttl` (and .nt, .nq, .trig, .rdf, .jsonld) loads the
//! file into a graph of its own, for `query`, `export` and `serve` alike; a broken file is an
//! error at its place and nothing is loaded. (`build --store` with RDF files: tests/store.rs.)

mod common;

use common::newskg;
use predicates::str::contains;
use std::path::{Path, PathBuf};

const SKOS: &str = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
<http://example.org/topics/energy> a skos:Concept ;\n    skos:prefLabel \"Energy\"@en .\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stdout(args: &[&std::ffi::OsStr]) -> String {
    let out = newskg().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn each_rdf_file_is_queried_in_its_own_graph_beside_the_facts() {
    let dir = tempfile::tempdir().unwrap();
    let ttl = write(dir.path(), "topics.ttl", SKOS);
    let rdf = write(
        dir.path(),
        "more.rdf",
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="http://example.org/topics/arms"><skos:prefLabel xml:lang="en">Arms</skos:prefLabel></skos:Concept>
</rdf:RDF>
"#,
    );
    let jsonld = write(
        dir.path(),
        "people.jsonld",
        r#"{"@id": "https://w3id.org/newskg/data/entity/benjamin-netanyahu", "http://www.w3.org/2004/02/skos/core#note": "from elsewhere"}"#,
    );
    let query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(data:graph))) } GROUP BY ?g ORDER BY ?g";
    let got = stdout(&[
        "query".as_ref(),
        "-i".as_ref(),
        "data/seed/facts.toml".as_ref(),
        "-i".as_ref(),
        ttl.as_os_str(),
        "-i".as_ref(),
        rdf.as_os_str(),
        "-i".as_ref(),
        jsonld.as_os_str(),
        query.as_ref(),
        "-f".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(
        got.replace("\r\n", "\n"),
        "g,n\n\
         https://w3id.org/newskg/data/graph/more.rdf,2\n\
         https://w3id.org/newskg/data/graph/people.jsonld,1\n\
         https://w3id.org/newskg/data/graph/topics.ttl,2\n"
    );
    // the facts are there as ever, and the union default graph joins both
    let joined = stdout(&[
        "query".as_ref(),
        "-i".as_ref(),
        "data/seed/facts.toml".as_ref(),
        "-i".as_ref(),
        jsonld.as_os_str(),
        "SELECT ?label ?note WHERE { ?e rdfs:label ?label ; skos:note ?note }".as_ref(),
        "-f".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(
        joined.replace("\r\n", "\n"),
        "label,note\nBenjamin Netanyahu,from elsewhere\n"
    );
}

#[test]
fn an_export_holds_the_rdf_files_graphs_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let ttl = write(dir.path(), "topics.ttl", SKOS);
    let export = || {
        stdout(&[
            "export".as_ref(),
            "-f".as_ref(),
            "nquads".as_ref(),
            "-i".as_ref(),
            "data/seed/facts.toml".as_ref(),
            "-i".as_ref(),
            ttl.as_os_str(),
        ])
    };
    let first = export();
    assert_eq!(first, export());
    let lines: Vec<&str> = first
        .lines()
        .filter(|l| l.ends_with("<https://w3id.org/newskg/data/graph/topics.ttl> ."))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    // and the seed's own graphs, as without the file
    let without = stdout(&[
        "export".as_ref(),
        "-f".as_ref(),
        "nquads".as_ref(),
        "-i".as_ref(),
        "data/seed/facts.toml".as_ref(),
    ]);
    let rest: Vec<&str> = first
        .lines()
        .filter(|l| !l.ends_with("<https://w3id.org/newskg/data/graph/topics.ttl> ."))
        .collect();
    assert_eq!(rest, without.lines().collect::<Vec<_>>());
}

#[test]
fn a_syntax_error_is_placed_and_nothing_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.ttl",
        "@prefix e: <http://e/> .\ne:a e:p \"x\" .\ne:b e:p .\n",
    );
    newskg()
        .args(["query", "-i", "data/seed/facts.toml", "-i"])
        .arg(&bad)
        .arg("ASK {}")
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(format!("{}:3:9: invalid RDF", bad.display())));
}

#[test]
fn a_named_graph_in_a_dataset_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let trig = write(
        dir.path(),
        "g.trig",
        "<http://e/a> <http://e/p> 1 .\n<http://e/g> {\n  <http://e/a> <http://e/p> 2 .\n}\n",
    );
    newskg()
        .args(["export", "-i", "data/seed/facts.toml", "-i"])
        .arg(&trig)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(format!(
            "{}:3:1: a triple in the named graph <http://e/g>",
            trig.display()
        )));
}

#[test]
fn two_rdf_files_of_one_name_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("b")).unwrap();
    let a = write(dir.path(), "topics.ttl", SKOS);
    let b = write(&dir.path().join("b"), "topics.ttl", SKOS);
    newskg()
        .args(["query", "-i"])
        .arg(&a)
        .arg("-i")
        .arg(&b)
        .arg("ASK {}")
        .assert()
        .code(1)
        .stderr(contains(
            "its graph would be <https://w3id.org/newskg/data/graph/topics.ttl>",
        ))
        .stderr(contains("rename one"));
}

#[test]
fn input_format_names_the_syntax_whatever_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let txt = write(dir.path(), "topics.txt", SKOS);
    let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/newskg/data/graph/topics.txt> { ?s ?p ?o } }";
    let out = stdout(&[
        "query".as_ref(),
        "-i".as_ref(),
        txt.as_os_str(),
        "-i".as_ref(),
        "data/seed/facts.toml".as_ref(),
        "--input-format".as_ref(),
        "turtle".as_ref(),
        count.as_ref(),
        "-f".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(out.replace('\r', ""), "n\n2\n");
    // check reads it against the shapes in that syntax too
    newskg()
        .args(["check", "--input-format", "turtle", "-i"])
        .arg(&txt)
        .assert()
        .success();
    // the syntax named is the one read: Turtle read as N-Triples fails at its place
    newskg()
        .args(["query", "--input-format", "ntriples", "-i"])
        .arg(&txt)
        .arg(count)
        .assert()
        .failure()
        .stderr(contains(format!("{}:1:", txt.display())));
    // and with nothing to read it for
    newskg()
        .args(["query", "--input-format", "turtle", "names"])
        .assert()
        .failure()
        .stderr(contains(
            "--input-format names the syntax of RDF files given with -i",
        ));
    newskg()
        .args(["query", "--input-format", "n3", "-i"])
        .arg(&txt)
        .arg("names")
        .assert()
        .failure()
        .stderr(contains("turtle"));
}
