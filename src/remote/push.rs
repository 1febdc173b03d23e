//! `newskg push`: a knowledge graph's named graphs (each article's, the entities', the
//! ontology's) put into a remote store, each graph replaced whole: with the Graph Store HTTP
//! Protocol (`PUT ?graph=`) when a graph store is named, else with SPARQL Update (`DROP SILENT
//! GRAPH`, `INSERT DATA`).
//!
//! The remote store keeps what was pushed in a manifest graph of its own (`{base}pushed`): for
//! each graph, a SHA-256 of its content as sent (its N-Triples, sorted). A graph whose hash the
//! manifest holds already is not sent again; one the manifest names and the corpus no longer
//! holds is deleted with `--prune`. The manifest is written after each batch of graphs, with
//! only what the store confirmed: a push cut short, or that failed for some graphs, leaves a
//! manifest that the next push trusts.

use super::client::{Client, Reply, with_parameter};
use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::store::KnowledgeGraph;
use crate::vocab::{self, nkg};
use oxhttp::model::Method;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term};
use sha2::Digest as _;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where the graphs go.
#[derive(Debug, Clone)]
pub struct Target {
    /// The SPARQL query endpoint (the manifest is read there when no graph store is named).
    pub query: String,
    /// The Graph Store Protocol endpoint (`…/store`, `…/data`, `…/sparql-graph-crud-auth`).
    pub graph_store: Option<String>,
    /// The SPARQL Update endpoint, used when no graph store is named (default: `query`).
    pub update: Option<String>,
}

impl Target {
    fn update_url(&self) -> &str {
        self.update.as_deref().unwrap_or(&self.query)
    }

    /// How graphs are sent, for the report.
    pub fn protocol(&self) -> String {
        match &self.graph_store {
            Some(url) => format!("Graph Store Protocol at {url}"),
            None => format!("SPARQL Update at {}", self.update_url()),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct PushOptions {
    /// Send every graph, whatever the manifest says.
    pub force: bool,
    /// Delete the graphs the manifest names and the corpus does not hold.
    pub prune: bool,
    /// Say what would be sent and deleted; send nothing.
    pub dry_run: bool,
    /// Requests in flight at once.
    pub jobs: usize,
}

/// Graphs sent between two writes of the manifest.
const BATCH: usize = 500;

/// What a push did.
#[derive(Debug, Default)]
pub struct PushReport {
    /// The corpus's graphs.
    pub graphs: usize,
    pub sent: usize,
    pub unchanged: usize,
    pub deleted: usize,
    /// Graphs the manifest names, the corpus does not hold, and were not deleted (no --prune).
    pub stale: Vec<NamedNode>,
    /// Graphs that could not be sent or deleted, with why.
    pub failed: Vec<(NamedNode, String)>,
    /// Bytes of N-Triples sent.
    pub bytes: usize,
    pub protocol: String,
}

/// The manifest graph of the corpus under `base`.
pub fn manifest_graph(base: &Base) -> NamedNode {
    NamedNode::new_unchecked(format!("{}pushed", base.as_str()))
}

/// The content of one named graph as it is sent, and its hash.
struct Payload {
    ntriples: String,
    hash: String,
}

/// The graph's triples as N-Triples, one per line, sorted, each once.
fn payload(kg: &KnowledgeGraph, graph: &NamedNode) -> Result<Payload> {
    let mut lines = Vec::new();
    for quad in kg.store().quads_for_pattern(
        None,
        None,
        None,
        Some(GraphNameRef::NamedNode(graph.as_ref())),
    ) {
        let quad = quad.map_err(Error::store("cannot read the store"))?;
        lines.push(format!(
            "{} {} {} .\n",
            quad.subject, quad.predicate, quad.object
        ));
    }
    lines.sort_unstable();
    lines.dedup();
    let ntriples = lines.concat();
    let hash = hex(&sha2::Sha256::digest(ntriples.as_bytes()));
    Ok(Payload { ntriples, hash })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The named graphs of the knowledge graph that are pushed: all but the store's own records.
fn local_graphs(kg: &KnowledgeGraph) -> Result<Vec<NamedNode>> {
    let mut graphs = Vec::new();
    for g in kg.store().named_graphs() {
        if let NamedOrBlankNode::NamedNode(g) = g.map_err(Error::store("cannot list the graphs"))?
            && g.as_str() != vocab::STORE_GRAPH
        {
            graphs.push(g);
        }
    }
    graphs.sort();
    Ok(graphs)
}

/// Pushes the graphs of `kg` to `target`; `progress(done, total)` as graphs are handled.
pub fn push(
    kg: &KnowledgeGraph,
    client: &Client,
    target: &Target,
    options: PushOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<PushReport> {
    let manifest_iri = manifest_graph(kg.base());
    let remote = read_manifest(client, target, &manifest_iri)?;
    let graphs = local_graphs(kg)?;
    let local: BTreeSet<&NamedNode> = graphs.iter().collect();
    let mut report = PushReport {
        graphs: graphs.len(),
        protocol: target.protocol(),
        ..PushReport::default()
    };
    // what the manifest will say: what the remote store holds, as far as newskg knows
    let manifest = Mutex::new(remote.clone());
    let gone: Vec<NamedNode> = remote
        .keys()
        .filter(|g| !local.contains(g))
        .cloned()
        .collect();
    let total = graphs.len() + if options.prune { gone.len() } else { 0 };
    let done = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    let sent = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    for batch in graphs.chunks(BATCH) {
        let next = AtomicUsize::new(0);
        let work = || -> Result<()> {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(graph) = batch.get(i) else {
                    return Ok(());
                };
                let payload = payload(kg, graph)?;
                if options.force || remote.get(graph) != Some(&payload.hash) {
                    if !options.dry_run {
                        match put(client, target, graph, &payload.ntriples) {
                            Ok(()) => {
                                manifest
                                    .lock()
                                    .expect("not poisoned")
                                    .insert(graph.clone(), payload.hash);
                            }
                            Err(why) => {
                                // its state on the remote side is unknown now
                                manifest.lock().expect("not poisoned").remove(graph);
                                failed
                                    .lock()
                                    .expect("not poisoned")
                                    .push((graph.clone(), why));
                                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                                continue;
                            }
                        }
                    }
                    sent.fetch_add(1, Ordering::Relaxed);
                    bytes.fetch_add(payload.ntriples.len(), Ordering::Relaxed);
                }
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            }
        };
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..options.jobs.max(1))
                .map(|_| scope.spawn(work))
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("a push worker does not panic"))
                .collect::<Result<Vec<()>>>()
        })?;
        if !options.dry_run {
            write_manifest(
                client,
                target,
                &manifest_iri,
                &manifest.lock().expect("not poisoned"),
            )?;
        }
    }
    if options.prune {
        for graph in &gone {
            if !options.dry_run {
                match delete(client, target, graph) {
                    Ok(()) => {
                        manifest.lock().expect("not poisoned").remove(graph);
                    }
                    Err(why) => {
                        failed
                            .lock()
                            .expect("not poisoned")
                            .push((graph.clone(), why));
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                        continue;
                    }
                }
            }
            report.deleted += 1;
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
        }
        if !options.dry_run && !gone.is_empty() {
            write_manifest(
                client,
                target,
                &manifest_iri,
                &manifest.lock().expect("not poisoned"),
            )?;
        }
    } else {
        report.stale = gone;
    }
    report.failed = failed.into_inner().expect("not poisoned");
    report.failed.sort();
    report.sent = sent.into_inner();
    report.bytes = bytes.into_inner();
    report.unchanged = report.graphs
        - report.sent
        - report
            .failed
            .iter()
            .filter(|(g, _)| local.contains(g))
            .count();
    Ok(report)
}

/// An error of a request to the remote store, as the report lists it.
fn refused(reply: &Reply) -> String {
    reply.describe()
}

/// Replaces `graph` on the remote side with `ntriples`; `Err(why)` when the store refused.
fn put(
    client: &Client,
    target: &Target,
    graph: &NamedNode,
    ntriples: &str,
) -> std::result::Result<(), String> {
    let reply = match &target.graph_store {
        Some(store) => client.send(
            Method::PUT,
            &with_parameter(store, "graph", graph.as_str()),
            &[("content-type", "application/n-triples")],
            ntriples.as_bytes(),
        ),
        None => update(client, target, &replace_graph(graph, ntriples)),
    };
    match reply {
        Ok(r) if r.is_success() => Ok(()),
        Ok(r) => Err(refused(&r)),
        Err(e) => Err(crate::error::chain(&e)),
    }
}

/// Triples in one `INSERT DATA` of an update: Virtuoso 7.2 compiles each into SQL and refuses
/// one of more than 10,000 lines of it (SP031), which ~1,000 triples exceed.
const INSERT_CHUNK: usize = 250;

/// The SPARQL update that replaces `graph` with `ntriples` (one request: the store applies it
/// whole or not at all, where it has transactions).
fn replace_graph(graph: &NamedNode, ntriples: &str) -> String {
    let lines: Vec<&str> = ntriples.lines().collect();
    let mut update = format!("DROP SILENT GRAPH {graph}");
    for chunk in lines.chunks(INSERT_CHUNK) {
        update.push_str(&format!(" ;\nINSERT DATA {{ GRAPH {graph} {{\n"));
        for line in chunk {
            update.push_str(line);
            update.push('\n');
        }
        update.push_str("} }");
    }
    update.push('\n');
    update
}

/// Deletes `graph` on the remote side (one already gone is deleted).
fn delete(client: &Client, target: &Target, graph: &NamedNode) -> std::result::Result<(), String> {
    let reply = match &target.graph_store {
        Some(store) => client.send(
            Method::DELETE,
            &with_parameter(store, "graph", graph.as_str()),
            &[],
            b"",
        ),
        None => update(client, target, &format!("DROP SILENT GRAPH {graph}")),
    };
    match reply {
        Ok(r) if r.is_success() || r.status == 404 => Ok(()),
        Ok(r) => Err(refused(&r)),
        Err(e) => Err(crate::error::chain(&e)),
    }
}

/// Sends a SPARQL update (form-encoded, as every store takes it).
fn update(client: &Client, target: &Target, update: &str) -> Result<Reply> {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("update", update)
        .finish();
    client.send(
        Method::POST,
        target.update_url(),
        &[("content-type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    )
}

/// Graphs of the manifest read per query: under the row caps stores set (Virtuoso's
/// ResultSetMaxRows, 10,000 in ci/sparql-server.sh).
const MANIFEST_PAGE: usize = 5_000;

/// The manifest the remote store holds: each graph pushed, with its hash. None yet is empty.
pub fn read_manifest(
    client: &Client,
    target: &Target,
    manifest: &NamedNode,
) -> Result<BTreeMap<NamedNode, String>> {
    read_manifest_paged(client, target, manifest, MANIFEST_PAGE)
}

/// [`read_manifest`]: by CONSTRUCT queries on the endpoint of `page` graphs each, in the order
/// of the graphs' names, each after the last name the one before gave (never an OFFSET:
/// Virtuoso 7 refuses to sort past its ResultSetMaxRows, SR353, so OFFSET 10,000 fails), until
/// one gives fewer. Never by a graph store's GET of the manifest graph: Virtuoso 7 cuts that at
/// its ResultSetMaxRows without saying so (measured: 10,000 of a 20,002-graph manifest, no
/// header), and a push that believed it would send half a corpus again.
fn read_manifest_paged(
    client: &Client,
    target: &Target,
    manifest: &NamedNode,
    page: usize,
) -> Result<BTreeMap<NamedNode, String>> {
    let mut hashes = BTreeMap::new();
    let mut after: Option<String> = None;
    loop {
        // an IRI holds no `"` nor `\`: it is a string literal as it is
        let filter = after
            .as_ref()
            .map(|last| format!(" FILTER(STR(?g) > \"{last}\")"))
            .unwrap_or_default();
        let query = format!(
            "CONSTRUCT {{ ?g <{hash}> ?h }} WHERE {{ GRAPH {manifest} {{ ?g <{hash}> ?h }}{filter} }} ORDER BY STR(?g) ?h LIMIT {page}",
            hash = nkg::CONTENT_HASH
        );
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("query", &query)
            .finish();
        let reply = client.send(
            Method::POST,
            &target.query,
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("accept", "application/n-triples"),
            ],
            body.as_bytes(),
        )?;
        let before = hashes.len();
        let read = manifest_page(&reply, &target.query, manifest, &mut hashes)?;
        if read < page || hashes.len() == before {
            return Ok(hashes);
        }
        after = hashes.keys().next_back().map(|g| g.as_str().to_string());
    }
}

/// Adds the hashes of one answer to `hashes`; how many triples it held (none for a 404: no
/// manifest yet).
fn manifest_page(
    reply: &crate::remote::client::Reply,
    url: &str,
    manifest: &NamedNode,
    hashes: &mut BTreeMap<NamedNode, String>,
) -> Result<usize> {
    let fail = |what: String| Error::Remote {
        url: url.to_string(),
        what,
        source: None,
    };
    if reply.status == 404 {
        return Ok(0);
    }
    if !reply.is_success() {
        return Err(fail(format!(
            "cannot read the push manifest {manifest}: {}",
            reply.describe()
        )));
    }
    if reply.header("x-sparql-maxrows").is_some() || reply.header("x-sql-state").is_some() {
        return Err(fail(format!(
            "the push manifest {manifest} came back cut short (the server's row cap or time limit): newskg reads it {MANIFEST_PAGE} graphs at a time, so the server's cap must be above that"
        )));
    }
    let mut read = 0;
    for quad in RdfParser::from_format(RdfFormat::NTriples).for_slice(&reply.body) {
        let quad = quad.map_err(|e| {
            fail(format!(
                "the push manifest {manifest} is not N-Triples: {e}"
            ))
        })?;
        read += 1;
        if quad.predicate.as_str() == nkg::CONTENT_HASH
            && let (NamedOrBlankNode::NamedNode(g), Term::Literal(h)) = (quad.subject, quad.object)
        {
            hashes.insert(g, h.value().to_string());
        }
    }
    Ok(read)
}

/// Replaces the manifest on the remote side.
fn write_manifest(
    client: &Client,
    target: &Target,
    manifest: &NamedNode,
    hashes: &BTreeMap<NamedNode, String>,
) -> Result<()> {
    let mut ntriples = String::new();
    for (graph, hash) in hashes {
        ntriples.push_str(&format!(
            "{graph} <{}> {} .\n",
            nkg::CONTENT_HASH,
            oxigraph::model::Literal::new_simple_literal(hash)
        ));
    }
    put(client, target, manifest, &ntriples).map_err(|why| Error::Remote {
        url: target.graph_store.clone().unwrap_or_else(|| target.update_url().to_string()),
        what: format!(
            "the graphs sent are in, but the push manifest {manifest} could not be written ({why}); the next push sends them again"
        ),
        source: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::client::tests::server;
    use std::time::Duration;

    fn page(lines: &[&str]) -> String {
        let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    #[test]
    fn a_manifest_is_read_a_page_at_a_time_until_a_short_page() {
        // with a graph store too: its GET of the manifest graph is never trusted (Virtuoso cuts
        // it at its row cap without saying so)
        for graph_store in [None, Some("http://127.0.0.1:9/never-asked".to_string())] {
            read_in_pages(graph_store);
        }
    }

    fn read_in_pages(graph_store: Option<String>) {
        let hash = nkg::CONTENT_HASH;
        let line = |g: &str, h: &str| format!("<http://x/{g}> <{hash}> \"{h}\" .");
        let replies: Vec<&'static str> = vec![
            page(&[&line("a", "1"), &line("b", "2")]).leak(),
            page(&[&line("c", "3"), &line("d", "4")]).leak(),
            page(&[&line("e", "5")]).leak(),
        ];
        let (url, handle) = server(replies);
        let target = Target {
            query: url,
            graph_store,
            update: None,
        };
        let client = Client::new(None, Duration::from_secs(10), 0);
        let manifest = NamedNode::new_unchecked("http://x/pushed");
        let hashes = read_manifest_paged(&client, &target, &manifest, 2).unwrap();
        assert_eq!(
            hashes.values().cloned().collect::<Vec<_>>(),
            ["1", "2", "3", "4", "5"]
        );
        let seen = handle.join().unwrap();
        assert_eq!(seen.len(), 3);
        assert!(seen[0].contains("LIMIT+2") && !seen[0].contains("FILTER"));
        for (request, after) in seen[1..].iter().zip(["b", "d"]) {
            let filter = format!("FILTER%28STR%28%3Fg%29+%3E+%22http%3A%2F%2Fx%2F{after}%22%29");
            assert!(
                request.contains(&filter) && request.contains("LIMIT+2"),
                "{request}"
            );
            assert!(!request.contains("OFFSET"), "{request}");
        }
    }

    #[test]
    fn a_page_the_server_cut_short_is_an_error() {
        let cut = "HTTP/1.1 200 OK\r\nX-SPARQL-MaxRows: 2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let (url, handle) = server(vec![cut]);
        let target = Target {
            query: url,
            graph_store: None,
            update: None,
        };
        let client = Client::new(None, Duration::from_secs(10), 0);
        let e = read_manifest(
            &client,
            &target,
            &NamedNode::new_unchecked("http://x/pushed"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("came back cut short"), "{e}");
        handle.join().unwrap();
    }
}
