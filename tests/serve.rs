//! `newskg serve` end to end: the real binary on a loopback port, asked over real HTTP. The
//! SPARQL 1.1 Protocol (GET, POST form, POST direct, the service description, content
//! negotiation, each protocol error with its status), the Graph Store Protocol's reads, the
//! canned queries (the same bytes as `newskg query`), the limits (time, size, concurrency,
//! CORS), and the command's own bad input (a port in use, a public address).

mod common;

use common::newskg;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running `newskg serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let port = free_port();
        let bind = format!("127.0.0.1:{port}");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newskg"))
            .arg("serve")
            .args(["--bind", &bind, "--quiet"])
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .expect("newskg serve starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        assert!(line.contains("serving"), "newskg serve said: {line}");
        // keep reading, so that the server never blocks on a full pipe
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Server { child, port }
    }

    fn get(&self, target: &str, headers: &[(&str, &str)]) -> Response {
        self.request("GET", target, headers, b"")
    }

    fn post(&self, target: &str, content_type: &str, body: &str) -> Response {
        self.request(
            "POST",
            target,
            &[("Content-Type", content_type)],
            body.as_bytes(),
        )
    }

    fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").expect("a response");
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

const COUNT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?f a nkg:Fact }";

#[test]
fn the_protocol_s_three_ways_give_one_answer() {
    let server = Server::start(&[]);
    let get = server.get(&format!("/sparql?query={}", encode(COUNT)), &[]);
    assert_eq!(get.status, 200, "{get:?}");
    assert_eq!(
        get.header("content-type"),
        Some("application/sparql-results+json")
    );
    let form = server.post(
        "/sparql",
        "application/x-www-form-urlencoded",
        &format!("query={}", encode(COUNT)),
    );
    let direct = server.post("/sparql", "application/sparql-query", COUNT);
    assert_eq!(get.body, form.body);
    assert_eq!(get.body, direct.body);
    // the count is the command line's
    let cli = newskg()
        .args(["query", COUNT, "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(get.body, String::from_utf8(cli.stdout).unwrap());
}

#[test]
fn formats_are_negotiated() {
    let server = Server::start(&[]);
    let target = format!("/sparql?query={}", encode(COUNT));
    for (accept, content_type) in [
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        ("text/csv", "text/csv; charset=utf-8"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
        ),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        (
            "text/*;q=0.5, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml",
        ),
    ] {
        let r = server.get(&target, &[("Accept", accept)]);
        assert_eq!(r.status, 200, "{accept}: {r:?}");
        assert_eq!(r.header("content-type"), Some(content_type), "{accept}");
    }
    let csv = server.get(
        &format!("{target}&format=csv"),
        &[("Accept", "application/json")],
    );
    assert!(csv.body.starts_with("n\r\n"), "{csv:?}");
    let construct = "CONSTRUCT { ?a a nkg:Article } WHERE { ?a a nkg:Article }";
    let target = format!("/sparql?query={}", encode(construct));
    let turtle = server.get(&target, &[]);
    assert_eq!(
        turtle.header("content-type"),
        Some("text/turtle; charset=utf-8")
    );
    let nt = server.get(&target, &[("Accept", "application/n-triples")]);
    assert_eq!(nt.header("content-type"), Some("application/n-triples"));
    assert_eq!(
        nt.body.trim(),
        "<https://w3id.org/newskg/data/article/azerbaijan-abraham-accords> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/newskg/ontology#Article> ."
    );
    let refused = server.get(&target, &[("Accept", "text/csv")]);
    assert_eq!(refused.status, 406, "{refused:?}");
    assert!(
        refused.body.contains("turtle (text/turtle)"),
        "{}",
        refused.body
    );
    let ask = server.get(
        &format!("/sparql?query={}", encode("ASK { ?s ?p ?o }")),
        &[("Accept", "text/csv")],
    );
    assert_eq!(ask.body, "_askResult\r\ntrue\r\n");
}

#[test]
fn the_service_description_and_the_protocol_s_errors() {
    let server = Server::start(&[]);
    let sd = server.get("/sparql", &[("Accept", "application/n-triples")]);
    assert_eq!(sd.status, 200);
    assert!(sd.body.contains(&format!(
        "<http://127.0.0.1:{}/sparql> <http://www.w3.org/ns/sparql-service-description#supportedLanguage> <http://www.w3.org/ns/sparql-service-description#SPARQL11Query>",
        server.port
    )), "{}", sd.body);
    assert!(sd.body.contains("#UnionDefaultGraph>"));

    let syntax = server.get(
        &format!("/sparql?query={}", encode("SELECT ?x WHERE {")),
        &[],
    );
    assert_eq!(syntax.status, 400);
    assert!(syntax.body.contains("<query>:1:"), "{}", syntax.body);
    let update = server.post("/sparql", "application/sparql-update", "CLEAR ALL");
    assert_eq!(update.status, 403);
    assert!(update.body.contains("read-only"));
    let form_update = server.post(
        "/sparql",
        "application/x-www-form-urlencoded",
        "update=CLEAR+ALL",
    );
    assert_eq!(form_update.status, 403);
    // an update sent as a query is refused too
    let as_query = server.post("/sparql", "application/sparql-query", "CLEAR ALL");
    assert_eq!(as_query.status, 403, "{as_query:?}");
    assert_eq!(server.post("/sparql", "text/plain", COUNT).status, 415);
    let delete = server.request("DELETE", "/sparql", &[], b"");
    assert_eq!(delete.status, 405);
    assert_eq!(delete.header("allow"), Some("GET, POST"));
    let twice = server.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D", &[]);
    assert_eq!(twice.status, 400);
    let service = server.get(
        &format!(
            "/sparql?query={}",
            encode("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        ),
        &[],
    );
    assert_eq!(service.status, 403, "{service:?}");
    assert_eq!(server.get("/nothing", &[]).status, 404);
    let garbage = server.request("GET", "/sparql?query=%FF%FE", &[], b"");
    assert_eq!(garbage.status, 400, "{garbage:?}");
}

#[test]
fn graph_store_reads() {
    let server = Server::start(&[]);
    let article = "https://w3id.org/newskg/data/article/azerbaijan-abraham-accords";
    let r = server.get(
        &format!("/store?graph={}", encode(article)),
        &[("Accept", "application/n-triples")],
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert!(r.body.lines().count() > 100);
    let all = server.get("/store?default", &[("Accept", "application/n-triples")]);
    // the default graph is the union, each triple once, as `export -f ntriples` writes it
    let export = newskg()
        .args(["export", "-f", "ntriples"])
        .output()
        .unwrap();
    assert_eq!(all.body, String::from_utf8(export.stdout).unwrap());
    let missing = server.get(
        &format!("/store?graph={}", encode("http://example.org/g")),
        &[],
    );
    assert_eq!(missing.status, 404);
    assert_eq!(server.get("/store", &[]).status, 400);
    let put = server.request(
        "PUT",
        &format!("/store?graph={}", encode(article)),
        &[],
        b"",
    );
    assert_eq!(put.status, 405);
    assert_eq!(put.header("allow"), Some("GET, HEAD"));
}

#[test]
fn canned_queries_answer_as_on_the_command_line() {
    let server = Server::start(&[]);
    let list = server.get("/queries", &[]);
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"about-entity") && names.contains(&"ties-between"));
    for (name, params) in [
        ("articles", vec![]),
        ("about-entity", vec![("entity", "israel")]),
        ("ties-between", vec![("a", "israel"), ("b", "turkey")]),
        ("events-of-class", vec![("class", "Visit")]),
        ("facts-by-modality", vec![("modality", "hedged")]),
    ] {
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let r = server.get(
            &format!("/queries/{name}?{}", query.join("&")),
            &[("Accept", "text/csv")],
        );
        assert_eq!(r.status, 200, "{name}: {r:?}");
        let mut cli = newskg();
        cli.args(["query", name, "-f", "csv"]);
        for (k, v) in &params {
            cli.args(["--param", &format!("{k}={v}")]);
        }
        let cli = cli.output().unwrap();
        assert_eq!(r.body, String::from_utf8(cli.stdout).unwrap(), "{name}");
        let rows = r.body.lines().count() - 1;
        assert_eq!(r.header("x-total-count"), Some(rows.to_string().as_str()));
    }
    // a page, and the whole answer's size
    let page = server.get(
        "/queries/about-entity?entity=israel&limit=2&offset=1",
        &[("Accept", "text/csv")],
    );
    let cli = newskg()
        .args([
            "query",
            "about-entity",
            "-p",
            "entity=israel",
            "-f",
            "csv",
            "--limit",
            "2",
            "--offset",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(page.body, String::from_utf8(cli.stdout).unwrap());
    assert_eq!(page.body.lines().count(), 3);
    let total: usize = page.header("x-total-count").unwrap().parse().unwrap();
    assert!(total > 3);

    let unknown = server.get("/queries/ties-betwen", &[]);
    assert_eq!(unknown.status, 404);
    assert!(
        unknown.body.contains("did you mean `ties-between`"),
        "{}",
        unknown.body
    );
    let bad = server.get("/queries/about-entity?entity=nowhere", &[]);
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("no entity `nowhere`"), "{}", bad.body);
    let extra = server.get("/queries/articles?who=me", &[]);
    assert_eq!(extra.status, 400);
    assert_eq!(server.get("/queries/articles?limit=x", &[]).status, 400);
}

#[test]
fn answers_over_the_cap_are_refused_never_cut() {
    let server = Server::start(&["--max-rows", "5"]);
    let q = "SELECT ?f WHERE { ?f a nkg:Fact }";
    let r = server.get(&format!("/sparql?query={}", encode(q)), &[]);
    assert_eq!(r.status, 500, "{r:?}");
    assert!(
        r.body.contains("more than this endpoint gives at once (5"),
        "{}",
        r.body
    );
    let small = server.get(
        &format!("/sparql?query={}", encode(&format!("{q} LIMIT 5"))),
        &[],
    );
    assert_eq!(small.status, 200);
    assert_eq!(
        server
            .get("/queries/about-entity?entity=israel", &[])
            .status,
        500
    );
    assert_eq!(
        server
            .get("/queries/about-entity?entity=israel&limit=5", &[])
            .status,
        200
    );
    assert_eq!(server.get("/store?default", &[]).status, 500);
}

#[test]
fn a_query_past_the_timeout_is_stopped_and_the_server_keeps_serving() {
    let server = std::sync::Arc::new(Server::start(&["--timeout", "3", "--max-concurrent", "1"]));
    let endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?g . ?h ?i ?j }";
    let slow = {
        let server = server.clone();
        std::thread::spawn(move || server.get(&format!("/sparql?query={}", encode(endless)), &[]))
    };
    // while it runs, the one slot is taken
    std::thread::sleep(Duration::from_millis(700));
    let busy = server.get(&format!("/sparql?query={}", encode(COUNT)), &[]);
    assert_eq!(busy.status, 503, "{busy:?}");
    assert_eq!(busy.header("retry-after"), Some("1"));
    let started = Instant::now();
    let stopped = slow.join().unwrap();
    assert_eq!(stopped.status, 503, "{stopped:?}");
    assert!(
        stopped.body.contains("time limit of 3 s"),
        "{}",
        stopped.body
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    let after = server.get(&format!("/sparql?query={}", encode(COUNT)), &[]);
    assert_eq!(after.status, 200);
}

#[test]
fn cors_when_asked() {
    let plain = Server::start(&[]);
    let r = plain.get("/queries", &[("Origin", "http://example.org")]);
    assert_eq!(r.header("access-control-allow-origin"), None);
    let cors = Server::start(&["--cors", "*"]);
    let r = cors.get(
        &format!("/sparql?query={}", encode(COUNT)),
        &[("Origin", "http://example.org")],
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let preflight = cors.request(
        "OPTIONS",
        "/sparql",
        &[("Origin", "http://example.org")],
        b"",
    );
    assert_eq!(preflight.status, 204);
    // a page may POST a query itself (application/sparql-query is not a form's type)
    assert!(
        preflight
            .header("access-control-allow-headers")
            .unwrap()
            .contains("Content-Type")
    );
}

#[test]
fn the_page_is_served_with_the_prefixes() {
    let server = Server::start(&[]);
    let page = server.get("/", &[]);
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.body
            .contains("\"ent\":\"https://w3id.org/newskg/data/entity/\"")
    );
    // nothing is fetched from elsewhere
    assert!(
        !page.body.contains("src=\"http"),
        "the page loads nothing from outside"
    );
}

#[test]
fn bad_command_lines() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = taken.local_addr().unwrap().to_string();
    let out = newskg().args(["serve", "--bind", &bind]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {bind}")),
        "{stderr}"
    );
    assert!(stderr.contains("choose another port"), "{stderr}");
    let public = newskg()
        .args(["serve", "--bind", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(public.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&public.stderr).contains("--public"));
    let zero = newskg().args(["serve", "--timeout", "0"]).output().unwrap();
    assert_eq!(zero.status.code(), Some(2));
}

#[test]
fn an_article_with_each_quote_in_place_and_its_picture() {
    let server = Server::start(&[]);
    let seed = "azerbaijan-abraham-accords";
    let r = server.get(&format!("/articles/{seed}"), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let article: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let text = std::fs::read_to_string("data/seed/article.txt").unwrap();
    assert_eq!(article["text"].as_str(), Some(text.as_str()));
    let chars: Vec<char> = text.chars().collect();
    let facts = article["facts"].as_array().unwrap();
    let seed_facts = std::fs::read_to_string("data/seed/facts.toml")
        .unwrap()
        .matches("[[facts]]")
        .count();
    assert_eq!(facts.len(), seed_facts);
    let mut placed = 0;
    for f in facts {
        if let (Some(start), Some(end)) = (f["start"].as_u64(), f["end"].as_u64()) {
            let at: String = chars[start as usize..end as usize].iter().collect();
            assert_eq!(Some(at.as_str()), f["quote"].as_str(), "{f}");
            placed += 1;
        }
    }
    assert_eq!(
        placed,
        facts.len(),
        "the seed's text is known: every quote has its place"
    );
    let visit = facts
        .iter()
        .find(|f| f["fact"] == "netanyahu-visit-azerbaijan")
        .unwrap();
    assert_eq!(visit["modality"], "planned");

    let missing = server.get("/articles/atlantis", &[]);
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("/queries/articles"),
        "{}",
        missing.body
    );
    assert_eq!(server.get("/articles/a/b", &[]).status, 404);

    let svg = server.get(&format!("/picture.svg?article={seed}"), &[]);
    assert_eq!(svg.status, 200, "{}", svg.body);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert!(svg.body.contains("<svg") && svg.body.contains("Azerbaijan"));
    let dot = server.get(&format!("/picture.dot?article={seed}"), &[]);
    let exported = newskg()
        .args(["export", "--format", "dot", "--article", seed])
        .output()
        .unwrap();
    assert_eq!(dot.body.as_bytes(), exported.stdout.as_slice());
    // a result's facts: only those
    let two = server.get(
        &format!("/picture.dot?fact={seed}/netanyahu-visit-azerbaijan&fact={seed}/neither-side-wants-armed-conflict"),
        &[],
    );
    assert_eq!(two.status, 200, "{}", two.body);
    assert!(
        two.body
            .contains("label=\"2 facts of azerbaijan-abraham-accords\""),
        "{}",
        two.body
    );
    assert_eq!(
        two.body.matches("shape=ellipse").count(),
        1,
        "one event, one relation"
    );
    assert!(two.body.contains("\"ent:turkey\" -> \"ent:israel\""));
    assert!(!two.body.contains("kurdish"));
    for bad in [
        format!("/picture.svg?fact={seed}/atlantis"),
        "/picture.svg?article=atlantis".to_string(),
    ] {
        let r = server.get(&bad, &[]);
        assert_eq!(r.status, 404, "{bad}: {}", r.body);
    }
    for bad in [
        "/picture.svg",
        "/picture.svg?fact=no-slash",
        "/picture.svg?article=a&fact=a/b",
    ] {
        assert_eq!(server.get(bad, &[]).status, 400, "{bad}");
    }

    // the texts are the store's own records, not data: not in the default graph
    let all = server.get("/store?default", &[("Accept", "application/n-triples")]);
    assert_eq!(all.status, 200);
    assert!(!all.body.contains("ontology#sourceText> \""));
}
