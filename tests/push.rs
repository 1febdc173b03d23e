//! `newskg push` and `newskg query --endpoint` on the real binary: what is refused before any
//! request goes out, and a store that cannot be reached. (ci/push_check.py runs them against a
//! real Virtuoso: push, push again, change, prune, the canned queries there.)

use assert_cmd::Command;
use predicates::str::contains;

fn newskg() -> Command {
    let mut c = Command::cargo_bin("newskg").unwrap();
    c.env_remove("NEWSKG_ENDPOINT_USER")
        .env_remove("NEWSKG_ENDPOINT_PASSWORD");
    c
}

/// A port on 127.0.0.1 where nothing listens.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn an_endpoint_that_is_not_a_url_is_a_usage_error() {
    newskg()
        .args(["push", "--endpoint", "not a url"])
        .assert()
        .code(2)
        .stderr(contains("--endpoint: invalid endpoint URL"));
    newskg()
        .args([
            "push",
            "--endpoint",
            "http://127.0.0.1:1/sparql",
            "--graph-store",
            "ftp://x/",
        ])
        .assert()
        .code(2)
        .stderr(contains("--graph-store"));
}

#[test]
fn a_credentials_file_others_can_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials");
    std::fs::write(&path, "dba:dba\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    newskg()
        .args([
            "push",
            "--endpoint",
            "http://127.0.0.1:1/sparql",
            "--credentials",
        ])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("chmod 600"));
}

#[test]
fn a_password_alone_in_the_environment_is_refused() {
    newskg()
        .args(["push", "--endpoint", "http://127.0.0.1:1/sparql"])
        .env("NEWSKG_ENDPOINT_USER", "dba")
        .assert()
        .code(2)
        .stderr(contains("NEWSKG_ENDPOINT_PASSWORD is not"));
}

#[test]
fn query_endpoint_goes_without_local_input() {
    newskg()
        .args([
            "query",
            "--endpoint",
            "http://127.0.0.1:1/sparql",
            "--store",
            "x",
            "articles",
        ])
        .assert()
        .code(2)
        .stderr(contains("goes without -i and --store"));
}

#[test]
fn a_store_where_nothing_listens_is_a_clear_error() {
    let port = free_port();
    let endpoint = format!("http://127.0.0.1:{port}/sparql");
    newskg()
        .args(["query", "--endpoint", &endpoint, "articles"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("connection refused"));
    newskg()
        .args(["push", "--endpoint", &endpoint, "--graph-store"])
        .arg(format!("http://127.0.0.1:{port}/store"))
        .assert()
        .code(1)
        .stderr(contains("connection refused"));
}

#[test]
fn queries_show_says_where_a_store_is_known_wrong() {
    newskg()
        .args(["queries", "--show", "visits"])
        .assert()
        .success()
        .stdout(contains("# known to be answered wrongly by Virtuoso/07."));
}
