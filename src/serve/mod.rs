//! `newskg serve`'s endpoint: a knowledge graph answered over HTTP, read-only. The SPARQL 1.1
//! Protocol at `/sparql` ([`protocol`], formats by [`negotiate`]), the Graph Store Protocol's
//! reads at `/store`, the canned queries at `/queries` and `/queries/NAME` ([`canned`]), and a
//! web page for people at `/` ([`page`]). Every query runs through [`crate::query::run`], as on
//! the command line, within the endpoint's [`Limits`].

pub mod article;
pub mod canned;
pub mod negotiate;
pub mod page;
pub mod protocol;

use crate::error::Error;
use crate::ontology::Ontology;
use crate::query::results::{self, Compactor, Page, ResultFormat};
use crate::query::{self, Outcome, QueryDoc, QueryOptions};
use crate::store::KnowledgeGraph;
use negotiate::Kind;
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode, header};
use oxigraph::model::{GraphNameRef, NamedNode, Triple};
use protocol::{HttpError, Operation};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// What the endpoint allows each request, and how it reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How long a query may run before it is stopped (with a 503).
    pub timeout: Duration,
    /// How many solutions (or triples) an answer may have (`None`: any number); a larger one is
    /// refused, never cut.
    pub max_rows: Option<usize>,
    /// How many queries may run at once; more are refused with a 503 and `Retry-After`.
    pub max_concurrent: usize,
    /// How much memory the process may grow to while a query runs.
    pub max_memory: Option<u64>,
    /// The `Access-Control-Allow-Origin` of every answer (`--cors`), when browsers on other
    /// origins may read them.
    pub cors: Option<String>,
    /// Whether to write a line per request on standard error.
    pub log: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            max_rows: Some(100_000),
            max_concurrent: 4,
            max_memory: crate::query::limits::default_max_memory(),
            cors: None,
            log: true,
        }
    }
}

/// A knowledge graph and the limits it is served within.
pub struct Endpoint {
    graph: KnowledgeGraph,
    limits: Limits,
    /// How many queries are running, and the signal that one ended.
    running: (Mutex<usize>, Condvar),
    compactor: Compactor,
}

/// How long a query waits for a slot before it is refused as busy: a burst is queued, a
/// backlog is not.
const QUEUE_WAIT: Duration = Duration::from_millis(500);

/// A query slot, given back when dropped.
struct Slot<'a>(&'a (Mutex<usize>, Condvar));

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let (count, ended) = self.0;
        *count.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        ended.notify_one();
    }
}

type Answer = Result<Response<Body>, HttpError>;

impl Endpoint {
    pub fn new(graph: KnowledgeGraph, limits: Limits) -> Endpoint {
        let compactor = Compactor::new(query::prefixes(graph.base()));
        Endpoint {
            graph,
            limits,
            running: (Mutex::new(0), Condvar::new()),
            compactor,
        }
    }

    pub fn graph(&self) -> &KnowledgeGraph {
        &self.graph
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Answers a request; never panics on what a client sends (every problem is a status and
    /// a message).
    pub fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        let started = Instant::now();
        let method = request.method().clone();
        let target = request
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
        let mut response = self.route(request).unwrap_or_else(|e| error_response(&e));
        if let Some(origin) = &self.limits.cors
            && let Ok(value) = HeaderValue::from_str(origin)
        {
            response
                .headers_mut()
                .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
            response.headers_mut().insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("X-Total-Count"),
            );
        }
        if method == Method::HEAD {
            *response.body_mut() = Body::empty();
        }
        if self.limits.log {
            log(&method, &target, &response, started.elapsed());
        }
        response
    }

    fn route(&self, request: &mut Request<Body>) -> Answer {
        let path = request.uri().path().to_string();
        if request.method() == Method::OPTIONS {
            return Ok(preflight(self.limits.cors.is_some()));
        }
        match path.as_str() {
            "/" | "/index.html" => {
                only_get(request, "GET, HEAD")?;
                Ok(page::response(self.graph.base()))
            }
            "/sparql" => self.sparql(request),
            "/store" => self.graph_store(request),
            "/queries" => {
                only_get(request, "GET, HEAD")?;
                canned::list(request)
            }
            "/picture.svg" | "/picture.dot" => {
                only_get(request, "GET, HEAD")?;
                article::picture(&self.graph, request, &path["/picture.".len()..])
            }
            p if p.starts_with("/articles/") => {
                only_get(request, "GET, HEAD")?;
                article::answer(&self.graph, &p["/articles/".len()..])
            }
            p if p.starts_with("/queries/") => {
                only_get(request, "GET, HEAD")?;
                canned::run(self, &p["/queries/".len()..], request)
            }
            _ => Err(HttpError::new(
                StatusCode::NOT_FOUND,
                format!(
                    "nothing at {path}: the SPARQL endpoint is /sparql, the graphs /store, the canned queries /queries, an article with its quotes /articles/ID, a picture /picture.svg?article=ID, the page /"
                ),
            )),
        }
    }

    /// The SPARQL 1.1 Protocol's query operation, or the service description.
    fn sparql(&self, request: &mut Request<Body>) -> Answer {
        match protocol::operation(request)? {
            Operation::Description { format } => {
                let format = choose(request, Kind::Graph, format.as_deref())?;
                let triples = page::service_description(request, self.graph.base());
                self.respond(&Outcome::Graph(triples), format, Page::default())
            }
            Operation::Query { text, format } => {
                let doc = QueryDoc::parse("<query>", "<query>", &text).map_err(client_error)?;
                let kind = kind_of(&doc, self.graph.base())?;
                let format = choose(request, kind, format.as_deref())?;
                let answer = self.evaluate(&doc, &[], None)?;
                self.refuse_large(&answer.outcome, None)?;
                self.respond(&answer.outcome, format, Page::default())
            }
        }
    }

    /// Runs `doc` with `params` (`(offset, limit)` of `page` asked for) within the limits.
    fn evaluate(
        &self,
        doc: &QueryDoc,
        params: &[(String, String)],
        page: Option<(usize, usize)>,
    ) -> Result<query::Answer, HttpError> {
        let _slot = self.slot()?;
        let options = QueryOptions {
            budget: query::limits::Budget {
                timeout: Some(self.limits.timeout),
                max_memory: self.limits.max_memory,
            },
            page,
            ..QueryOptions::default()
        };
        query::run(&self.graph, Ontology::embedded(), doc, params, options).map_err(|e| match e {
            Error::Limit(m) => HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                m.replace("raise it with --", "the endpoint's `newskg serve --"),
            ),
            other => client_error(other),
        })
    }

    /// A query slot, or a 503 when [`Limits::max_concurrent`] queries are still running after
    /// [`QUEUE_WAIT`].
    fn slot(&self) -> Result<Slot<'_>, HttpError> {
        let (count, ended) = &self.running;
        let count = count.lock().unwrap_or_else(|e| e.into_inner());
        let max = self.limits.max_concurrent;
        let (mut count, _) = ended
            .wait_timeout_while(count, QUEUE_WAIT, |n| *n >= max)
            .unwrap_or_else(|e| e.into_inner());
        if *count < max {
            *count += 1;
            return Ok(Slot(&self.running));
        }
        Err(HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "busy: {max} queries are running, the most this endpoint runs at once (`newskg serve --max-concurrent`); try again",
            ),
        ))
    }

    /// A 500 when an answer of `rows` (given, or counted in `outcome`) is over the cap: a
    /// client must never take the first rows of an answer for all of it.
    fn refuse_large(&self, outcome: &Outcome, rows: Option<usize>) -> Result<(), HttpError> {
        let n = rows.unwrap_or(match outcome {
            Outcome::Solutions { rows, .. } => rows.len(),
            Outcome::Graph(triples) => triples.len(),
            Outcome::Boolean(_) => 0,
        });
        match self.limits.max_rows {
            Some(max) if n > max => Err(HttpError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "the answer has {n} rows, more than this endpoint gives at once ({max}, `newskg serve --max-rows`): ask for fewer (LIMIT and OFFSET, or limit= and offset= for a canned query)"
                ),
            )),
            _ => Ok(()),
        }
    }

    /// An answer in `format`.
    fn respond(&self, outcome: &Outcome, format: ResultFormat, page: Page) -> Answer {
        let mut body = Vec::new();
        results::write(
            outcome,
            Some(format),
            page,
            &self.compactor,
            self.graph.base().as_str(),
            None,
            &mut body,
        )
        .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let mut response = ok(body, &negotiate::content_type(format));
        if let Some(total) = page.total {
            response
                .headers_mut()
                .insert("X-Total-Count", HeaderValue::from(total));
        }
        Ok(response)
    }

    /// The Graph Store Protocol's reads: `?graph=IRI` (a named graph) or `?default` (the
    /// default graph: the union of all graphs, as queries see it).
    fn graph_store(&self, request: &mut Request<Body>) -> Answer {
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return Err(HttpError {
                message: format!(
                    "{}: {}",
                    request.method(),
                    protocol::READ_ONLY.replace("SPARQL updates are", "changes to graphs are")
                ),
                ..HttpError::method_not_allowed(request.method(), "GET, HEAD")
            });
        }
        let pairs = protocol::pairs(request.uri().query().unwrap_or(""));
        let graph = protocol::single(&pairs, "graph")?;
        let default = pairs.iter().any(|(k, _)| k == "default");
        let format = protocol::single(&pairs, "format")?.map(str::to_string);
        let format = choose(request, Kind::Graph, format.as_deref())?;
        let store = self.graph.store();
        let fail = |e: oxigraph::store::StorageError| {
            HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
        };
        let triples: Vec<Triple> = match (graph, default) {
            (Some(iri), false) => {
                let name = NamedNode::new(iri).map_err(|e| {
                    HttpError::bad_request(format!("graph=`{iri}` is not an IRI: {e}"))
                })?;
                if !store.contains_named_graph(&name).map_err(fail)? {
                    return Err(HttpError::new(
                        StatusCode::NOT_FOUND,
                        format!("there is no graph <{iri}>"),
                    ));
                }
                self.bounded(store.quads_for_pattern(
                    None,
                    None,
                    None,
                    Some(GraphNameRef::from(&name)),
                ))?
            }
            // the store's own records (file names, hashes, texts) are not data
            (None, true) => self.bounded(store.iter().filter(|q| {
                q.as_ref()
                    .map_or(true, |q| !crate::store::records::is_record(q))
            }))?,
            _ => {
                return Err(HttpError::bad_request(
                    "name one graph: ?graph=IRI (an article's graph, the entities', the ontology's) or ?default (the union of all graphs)",
                ));
            }
        };
        self.respond(&Outcome::Graph(triples), format, Page::default())
    }

    /// The triples of `quads`, refused past [`Limits::max_rows`] before the rest is read.
    fn bounded(
        &self,
        quads: impl Iterator<Item = Result<oxigraph::model::Quad, oxigraph::store::StorageError>>,
    ) -> Result<Vec<Triple>, HttpError> {
        let _slot = self.slot()?;
        let mut triples = Vec::new();
        for quad in quads {
            let quad =
                quad.map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            triples.push(Triple::from(quad));
            if self.limits.max_rows.is_some_and(|max| triples.len() > max) {
                return Err(HttpError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!(
                        "the graph has more than {} triples, more than this endpoint gives at once (`newskg serve --max-rows`): use `newskg export`, or a CONSTRUCT with LIMIT",
                        self.limits.max_rows.unwrap_or_default()
                    ),
                ));
            }
        }
        Ok(triples)
    }
}

/// What kind of answer a query gives (parsed on a large stack, as it will run).
fn kind_of(doc: &QueryDoc, base: &crate::mapping::Base) -> Result<Kind, HttpError> {
    let parsed =
        query::limits::on_large_stack(|| query::parse::parse_with(doc, base).map(|q| is_graph(&q)));
    match parsed.map_err(client_error)? {
        true => Ok(Kind::Graph),
        false => Ok(Kind::Results),
    }
}

fn is_graph(query: &spargebra::Query) -> bool {
    matches!(
        query,
        spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. }
    )
}

/// The format of an answer of `kind` for this request.
fn choose(
    request: &Request<Body>,
    kind: Kind,
    format: Option<&str>,
) -> Result<ResultFormat, HttpError> {
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    negotiate::choose(kind, accept, format).map_err(|refusal| {
        let status = match refusal {
            negotiate::Refusal::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            negotiate::Refusal::UnknownFormat(_) => StatusCode::BAD_REQUEST,
        };
        HttpError::new(status, refusal.message(kind))
    })
}

/// A library error about what the client sent, as its HTTP status: a 400 for a query or a
/// parameter that is wrong, a 404 for an unknown canned query, a 403 for what is refused.
fn client_error(e: Error) -> HttpError {
    let status = match &e {
        Error::UnknownQuery { .. } => StatusCode::NOT_FOUND,
        Error::UpdateRefused { .. } | Error::ServiceRefused { .. } => StatusCode::FORBIDDEN,
        Error::Store { .. } | Error::Io { .. } | Error::Serialization { .. } => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let message = match &e {
        Error::UpdateRefused { .. } => protocol::READ_ONLY.to_string(),
        Error::ServiceRefused { .. } => {
            "this query calls a remote SPARQL service (SERVICE); this endpoint does not go on the network".to_string()
        }
        // the client names parameters as `name=value`, not `--param`
        Error::Parameter { name, message } => format!("parameter `{name}`: {message}"),
        other => crate::error::chain(other),
    }
    // what lists the values here
    .replace("`newskg queries` lists", "/queries lists")
    .replace("`newskg query entities` lists", "/queries/entities lists");
    HttpError::new(status, message)
}

/// Refuses every method but GET (and HEAD).
fn only_get(request: &Request<Body>, allow: &'static str) -> Result<(), HttpError> {
    match *request.method() {
        Method::GET | Method::HEAD => Ok(()),
        ref other => Err(HttpError::method_not_allowed(other, allow)),
    }
}

/// A 200 with `body` of `content_type`.
pub(crate) fn ok(body: Vec<u8>, content_type: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    if let Ok(v) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response
}

/// The answer to a CORS preflight (`OPTIONS`): the methods and headers a page may use.
fn preflight(cors: bool) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    headers.insert(
        header::ALLOW,
        HeaderValue::from_static("GET, HEAD, POST, OPTIONS"),
    );
    if cors {
        // (no Access-Control-Allow-Methods: oxhttp 0.3 drops that header from responses; the
        // endpoint's methods, GET, HEAD and POST, are the ones Fetch allows without it)
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Accept, Content-Type"),
        );
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from(86400));
    }
    response
}

/// An error's response: its status, and its message as plain text.
fn error_response(e: &HttpError) -> Response<Body> {
    let mut response = ok(
        format!("{}\n", e.message).into_bytes(),
        "text/plain; charset=utf-8",
    );
    *response.status_mut() = e.status;
    if let Some(allow) = e.allow {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
    }
    if e.status == StatusCode::SERVICE_UNAVAILABLE && e.message.starts_with("busy") {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(1));
    }
    response
}

/// One line on standard error: when, what was asked, the status, the size and the time.
fn log(method: &Method, target: &str, response: &Response<Body>, elapsed: Duration) {
    let shown: String = target.chars().take(200).collect();
    let more = if shown.len() < target.len() {
        "…"
    } else {
        ""
    };
    let size = response
        .body()
        .len()
        .map_or_else(|| "-".to_string(), |n| n.to_string());
    eprintln!(
        "{} {method} {}{more} {} {size} {:.1} ms",
        oxsdatatypes::DateTime::now(),
        crate::output::table::visible(&shown),
        response.status().as_u16(),
        elapsed.as_secs_f64() * 1000.0
    );
}
