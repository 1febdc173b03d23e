//! `newskg query`: run a canned query, a `.rq` file, inline SPARQL or standard input.

use super::{Source, Status};
use crate::error::Result;
use crate::ontology::Ontology;
use crate::output::table::terminal_width;
use crate::query::results::{self, Compactor, Page, ResultFormat};
use crate::query::{self, QueryOptions};
use std::io::Write;

#[derive(Debug, Clone)]
pub struct Options {
    pub source: Source,
    /// The query as named: NAME, PATH.rq, inline SPARQL or `-`.
    pub query: String,
    pub format: Option<ResultFormat>,
    /// `--param NAME=VALUE`, in order.
    pub params: Vec<(String, String)>,
    /// `--offset`: the solutions to skip.
    pub offset: usize,
    /// `--limit`: how many solutions to write (`Some(0)` for all); `None` for the default: a
    /// page on a terminal's table, all otherwise.
    pub limit: Option<usize>,
    pub query_options: QueryOptions,
    /// `--timeout`: the time limit of the evaluation (`Some(0)`: none); `None` for the default,
    /// [`CANNED_TIMEOUT`] for a canned query and none for the user's own.
    pub timeout: Option<u64>,
    /// `--endpoint`: run the query on this remote SPARQL endpoint instead (`source` then gives
    /// the base only).
    pub endpoint: Option<Remote>,
}

/// A remote SPARQL endpoint to query, and how.
#[derive(Debug, Clone)]
pub struct Remote {
    pub url: String,
    pub credentials: Option<crate::remote::Credentials>,
}

/// The time limit of a canned query unless `--timeout` says otherwise: a canned query that runs
/// longer has met a corpus it was not written for, and says so rather than hang.
pub const CANNED_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub fn run(options: &Options, out: &mut dyn Write) -> Result<Status> {
    // Resolve and parse the query before loading anything: a typo fails fast.
    let doc = query::resolve(&options.query)?;
    if let Some(remote) = &options.endpoint {
        return run_remote(options, remote, &doc, out);
    }
    let graph = options.source.graph()?;
    let mut query_options = options.query_options;
    query_options.budget.timeout = match options.timeout {
        Some(0) => None,
        Some(s) => Some(std::time::Duration::from_secs(s)),
        None if doc.is_canned() => Some(CANNED_TIMEOUT),
        None => None,
    };
    let width = terminal_width();
    let limit = limit(options, width);
    query_options.page = limit.map(|limit| (options.offset, limit));
    let answer = query::run(
        &graph,
        Ontology::embedded(),
        &doc,
        &options.params,
        query_options,
    )?;
    let compactor = Compactor::new(query::prefixes(graph.base()));
    let page = Page {
        offset: options.offset,
        limit,
        total: answer.total,
    };
    if let Some(plan) = &answer.plan {
        eprintln!("{plan}");
    }
    results::write(
        &answer.outcome,
        options.format,
        page,
        &compactor,
        graph.base().as_str(),
        width,
        out,
    )?;
    Ok(Status::Success)
}

/// The rows to write: `--limit`, or a page on a terminal's table, or all.
fn limit(options: &Options, width: Option<usize>) -> Option<usize> {
    let table = matches!(options.format, None | Some(ResultFormat::Table));
    match options.limit {
        Some(0) => None,
        Some(n) => Some(n),
        None if table && width.is_some() => Some(Page::TERMINAL),
        None => None,
    }
}

/// The query run on a remote endpoint (see [`crate::remote::query`]), its results written as
/// a local query's are.
fn run_remote(
    options: &Options,
    remote: &Remote,
    doc: &query::QueryDoc,
    out: &mut dyn Write,
) -> Result<Status> {
    let base = options.source.base().unwrap_or_default();
    let timeout = match options.timeout {
        Some(0) => std::time::Duration::from_secs(24 * 3600),
        Some(s) => std::time::Duration::from_secs(s),
        None => CANNED_TIMEOUT,
    };
    let client = crate::remote::Client::new(
        remote.credentials.clone(),
        timeout,
        crate::remote::client::DEFAULT_RETRIES,
    );
    let answer = crate::remote::query::run(&client, &remote.url, doc, &options.params, &base)?;
    let width = terminal_width();
    let page = Page {
        offset: options.offset,
        limit: limit(options, width),
        total: None,
    };
    let compactor = Compactor::new(query::prefixes(&base));
    results::write(
        &answer.outcome,
        options.format,
        page,
        &compactor,
        base.as_str(),
        width,
        out,
    )?;
    Ok(Status::Success)
}
