//! Federation: SERVICE calls are refused without `--service`; with it, an unreachable endpoint
//! is a clear error. Tests against a real SPARQL server run when NEWSKG_TEST_SPARQL names one
//! (CI starts Virtuoso with ci/sparql-server.sh).

mod common;

use common::newskg;
use predicates::str::contains;

#[test]
fn service_is_refused_without_the_flag() {
    newskg()
        .args([
            "query",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("calls a remote SPARQL service (SERVICE)"))
        .stderr(contains("add --service"));
}

#[test]
fn service_nested_in_optional_is_refused_too() {
    newskg()
        .args([
            "query",
            "SELECT * WHERE { ?s a nkg:State OPTIONAL { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } } }",
        ])
        .assert()
        .code(1)
        .stderr(contains("add --service"));
}

#[test]
fn unreachable_endpoint_is_a_clear_error() {
    // Nothing listens on this port of the loopback interface.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    newskg()
        .args([
            "query",
            "--service",
            "--service-timeout",
            "5",
            &format!(
                "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
            ),
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("the SERVICE call failed"));
}
