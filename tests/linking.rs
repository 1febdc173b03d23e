//! `newskg link`: each status, table and JSON output, `--write` on TOML and JSON, the seed
//! article linked from the catalog alone, and the bad inputs (class conflicts, unreachable,
//! slow and non-SPARQL endpoints). Online lookups against a real SPARQL server run when
//! NEWSKG_TEST_SPARQL names one (`ci/sparql-server.sh start` prints it; CI always sets it).

mod common;

use common::newskg;
use predicates::str::contains;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;

fn link_json(args: &[&str]) -> Vec<serde_json::Value> {
    let out = newskg()
        .arg("link")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn by_entity(links: &[serde_json::Value]) -> BTreeMap<String, serde_json::Value> {
    links
        .iter()
        .map(|l| (l["entity"].as_str().unwrap().to_string(), l.clone()))
        .collect()
}

#[test]
fn every_status_with_its_reasons() {
    let links = by_entity(&link_json(&["-i", "tests/cases/link/statuses.toml"]));
    assert_eq!(links["israel"]["status"], "linked");
    assert_eq!(links["israel"]["wikidata"], "Q801");
    assert!(
        links["israel"]["catalog"]
            .as_str()
            .unwrap()
            .contains("agrees")
    );

    let az = &links["azerbaijan"];
    assert_eq!(az["status"], "candidate");
    assert_eq!(az["candidates"][0]["wikidata"], "Q227");
    assert_eq!(az["candidates"][0]["accepted"], true);
    assert_eq!(az["candidates"][0]["score"], 1.0);

    let turkey = &links["turkey"];
    assert_eq!(turkey["candidates"][0]["wikidata"], "Q43");
    assert!(
        turkey["candidates"][0]["reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("alias")
    );

    // "Baku" meaning the state: the state by metonymy, never silently accepted, the city listed
    // as an incompatible candidate
    let baku = &links["baku-state"];
    assert_eq!(baku["status"], "candidate");
    assert_eq!(baku["candidates"][0]["wikidata"], "Q227");
    assert_eq!(baku["candidates"][0]["accepted"], false);
    assert!(
        baku["candidates"][0]["reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("metonym")
    );
    assert_eq!(baku["candidates"][1]["wikidata"], "Q9248");
    assert_eq!(baku["candidates"][1]["class_compatible"], false);

    // a metonym written with stands_for is not linked itself
    assert_eq!(links["baku-government"]["status"], "unlinked");
    assert_eq!(links["baku-government"]["stands_for"], "azerbaijan");

    let congolese = &links["congolese"];
    assert_eq!(congolese["status"], "ambiguous");
    let qids: Vec<&str> = congolese["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["wikidata"].as_str().unwrap())
        .collect();
    assert_eq!(qids, ["Q971", "Q974"]);

    assert_eq!(links["ruritania"]["status"], "unlinked");
}

#[test]
fn table_output() {
    newskg()
        .args(["link", "-i", "tests/cases/link/statuses.toml"])
        .assert()
        .success()
        .stdout(contains(
            "congolese        State       ambiguous  Q971 Q974",
        ))
        .stdout(contains(
            "(8 entities: 1 linked, 3 candidate, 1 ambiguous, 3 unlinked)",
        ));
}

#[test]
fn metonyms_are_in_the_graph() {
    let out = newskg()
        .args([
            "query",
            "-i",
            "tests/cases/link/statuses.toml",
            "SELECT ?wd WHERE { ent:baku-government nkg:standsFor ?state . ?state owl:sameAs ?wd }",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    // azerbaijan is not linked in this file: standsFor is there, the link comes with --write
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("wd"));
    newskg()
        .args([
            "query",
            "-i",
            "tests/cases/link/statuses.toml",
            "ASK { ent:baku-government nkg:standsFor ent:azerbaijan }",
        ])
        .assert()
        .stdout("true\n");
}

#[test]
fn write_adds_accepted_links_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["statuses.toml", "statuses.json"] {
        std::fs::copy(format!("tests/cases/link/{name}"), dir.path().join(name)).unwrap();
    }
    let toml_path = dir.path().join("statuses.toml");
    let json_path = dir.path().join("statuses.json");
    newskg()
        .args(["link", "--write", "-i"])
        .arg(&toml_path)
        .arg("-i")
        .arg(&json_path)
        .assert()
        .success()
        .stdout(contains("wrote 2 link(s) to"));
    let before = std::fs::read_to_string("tests/cases/link/statuses.toml").unwrap();
    let after = std::fs::read_to_string(&toml_path).unwrap();
    // only two lines added (Azerbaijan and Türkiye); comments and order kept
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(added, ["wikidata = \"Q227\"", "wikidata = \"Q43\""]);
    assert!(after.starts_with("# One entity per link status"));
    let json = std::fs::read_to_string(&json_path).unwrap();
    assert!(json.contains("    {\n      \"wikidata\": \"Q227\",\n      \"id\": \"azerbaijan\","));
    assert!(json.contains("{ \"wikidata\": \"Q133396\", \"id\": \"knesset\""));
    // the rewritten files are valid, and now linked
    let links = by_entity(&link_json(&["-i", toml_path.to_str().unwrap()]));
    assert_eq!(links["azerbaijan"]["status"], "linked");
    assert_eq!(
        links["baku-state"]["status"], "candidate",
        "a metonym is not written"
    );
}

#[test]
fn the_seed_article_links_from_the_catalog_alone() {
    let seed = std::fs::read_to_string("data/seed/facts.toml").unwrap();
    let expected: BTreeMap<String, String> = by_entity(&link_json(&[]))
        .into_iter()
        .filter(|(_, l)| l["status"] == "linked")
        .map(|(id, l)| (id, l["wikidata"].as_str().unwrap().to_string()))
        .collect();
    assert!(expected.len() >= 25);
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("data/seed/article.txt", dir.path().join("article.txt")).unwrap();
    let stripped: String = seed
        .lines()
        .filter(|l| !l.starts_with("wikidata = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = dir.path().join("facts.toml");
    std::fs::write(&path, stripped).unwrap();
    newskg()
        .args(["link", "--write", "-i"])
        .arg(&path)
        .assert()
        .success();
    let relinked: BTreeMap<String, String> = by_entity(&link_json(&["-i", path.to_str().unwrap()]))
        .into_iter()
        .filter(|(_, l)| l["status"] == "linked")
        .map(|(id, l)| (id, l["wikidata"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        relinked, expected,
        "every verified link of the seed comes back from the catalog"
    );
}

#[test]
fn an_id_of_another_class_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("conflict.toml");
    let text = "[article]\nid = \"c\"\n\n[[entities]]\nid = \"netanyahu\"\nclass = \"Person\"\nlabel = \"Benjamin Netanyahu\"\nwikidata = \"Q9248\"\n\n[[entities]]\nid = \"azerbaijan\"\nclass = \"State\"\nlabel = \"Azerbaijan\"\n";
    std::fs::write(&path, text).unwrap();
    newskg()
        .args(["link", "--write", "-i"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(format!(
            "{}:8:12: Q9248 is Baku (a City) in the catalog (data/catalog.tsv), not a Person: check the ID",
            path.display()
        )));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn write_needs_files() {
    newskg()
        .args(["link", "--write"])
        .assert()
        .code(2)
        .stderr(contains("--write changes facts files: name them with -i"));
}

/// A local server that answers every request with `response` (or never, when `None`).
fn fake_server(response: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sparql", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0; 4096];
            let _ = stream.read(&mut buf);
            match response {
                Some(r) => {
                    let _ = stream.write_all(r.as_bytes());
                }
                None => held.push(stream), // keep the connection open, say nothing
            }
        }
    });
    url
}

#[test]
fn unreachable_endpoint() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sparql", listener.local_addr().unwrap());
    drop(listener);
    newskg()
        .args([
            "link",
            "--online",
            "--endpoint",
            &url,
            "-i",
            "tests/cases/link/statuses.toml",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(format!(
            "SPARQL endpoint {url}: cannot reach the endpoint"
        )));
}

#[test]
fn endpoint_that_is_not_sparql() {
    let url = fake_server(Some(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\nConnection: close\r\n\r\n<html>hi</html>",
    ));
    newskg()
        .args([
            "link",
            "--online",
            "--endpoint",
            &url,
            "-i",
            "tests/cases/link/statuses.toml",
        ])
        .assert()
        .code(1)
        .stderr(contains("is this a SPARQL endpoint?"));
}

#[test]
fn endpoint_error_status() {
    let url = fake_server(Some(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nboom today",
    ));
    newskg()
        .args([
            "link",
            "--online",
            "--endpoint",
            &url,
            "-i",
            "tests/cases/link/statuses.toml",
        ])
        .assert()
        .code(1)
        .stderr(contains(
            "answered HTTP 500 Internal Server Error: boom today",
        ));
}

#[test]
fn slow_endpoint_times_out() {
    let url = fake_server(None);
    newskg()
        .args([
            "link",
            "--online",
            "--timeout",
            "1",
            "--endpoint",
            &url,
            "-i",
            "tests/cases/link/statuses.toml",
        ])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(contains("no answer within 1 s"));
}

#[test]
fn no_network_without_the_flag() {
    // An endpoint that would fail loudly is never called without --online.
    newskg()
        .args([
            "link",
            "--endpoint",
            "http://127.0.0.1:1/sparql",
            "-i",
            "tests/cases/link/statuses.toml",
        ])
        .assert()
        .success();
}

/// The real SPARQL server started by CI, if any.
fn server() -> Option<String> {
    match std::env::var("NEWSKG_TEST_SPARQL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "skipped: NEWSKG_TEST_SPARQL is not set (start a server with `ci/sparql-server.sh start`)"
            );
            None
        }
    }
}

#[test]
fn online_candidates_from_a_real_server() {
    let Some(url) = server() else { return };
    let links = by_entity(&link_json(&[
        "--online",
        "--endpoint",
        &url,
        "-i",
        "tests/cases/link/statuses.toml",
    ]));
    // Ruritania is in no catalog nor server: still unlinked
    assert_eq!(links["ruritania"]["status"], "unlinked");
    // "Baku" for a state: the server's label lookup is filtered by type, so the city is not a
    // state candidate; the catalog's metonym stays the best
    assert_eq!(links["baku-state"]["candidates"][0]["wikidata"], "Q227");
    // "President" is in no catalog; the server has two offices of that name: ambiguous
    let president = &links["president"];
    assert_eq!(president["status"], "ambiguous", "{president}");
    let qids: Vec<&str> = president["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["wikidata"].as_str().unwrap())
        .collect();
    assert_eq!(qids, ["Q11696", "Q1922067"]);
    for c in president["candidates"].as_array().unwrap() {
        assert_eq!(c["source"], url.as_str());
        assert_eq!(c["accepted"], false, "online candidates are never written");
        assert!(
            c["reasons"][0]
                .as_str()
                .unwrap()
                .starts_with("online alias")
        );
    }
}

#[test]
fn federated_query_against_a_real_server() {
    let Some(url) = server() else { return };
    let out = newskg()
        .args([
            "query",
            "--service",
            "state-heads",
            "--param",
            &format!("endpoint={url}"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json["results"]["bindings"].as_array().unwrap();
    assert!(
        rows.iter().any(|r| r["state"]["value"] == "Turkey"
            && r["head_of_state"]["value"] == "Recep Tayyip Erdoğan"),
        "{json}"
    );
}
