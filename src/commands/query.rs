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
}

/// The time limit of a canned query unless `--timeout` says otherwise: a canned query that runs
/// longer has met a corpus it was not written for, and says so rather than hang.
pub const CANNED_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub fn run(options: &Options, out: &mut dyn Write) -> Result<Status> {
    // Resolve and parse the query before loading anything: a typo fails fast.
    let doc = query::resolve(&options.query)?;
    let graph = options.source.graph()?;
    let mut query_options = options.query_options;
    query_options.budget.timeout = match options.timeout {
        Some(0) => None,
        Some(s) => Some(std::time::Duration::from_secs(s)),
        None if doc.is_canned() => Some(CANNED_TIMEOUT),
        None => None,
    };
    let width = terminal_width();
    let table = matches!(options.format, None | Some(ResultFormat::Table));
    let limit = match options.limit {
        Some(0) => None,
        Some(n) => Some(n),
        None if table && width.is_some() => Some(Page::TERMINAL),
        None => None,
    };
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
