//! `newskg query`: run a canned query, a `.rq` file, inline SPARQL or standard input.

use super::{Source, Status};
use crate::error::Result;
use crate::ontology::Ontology;
use crate::output::table::terminal_width;
use crate::query::results::{self, Compactor, ResultFormat};
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
    pub query_options: QueryOptions,
}

pub fn run(options: &Options, out: &mut dyn Write) -> Result<Status> {
    // Resolve and parse the query before loading anything: a typo fails fast.
    let doc = query::resolve(&options.query)?;
    let graph = options.source.graph()?;
    let outcome = query::run(
        &graph,
        Ontology::embedded(),
        &doc,
        &options.params,
        options.query_options,
    )?;
    let compactor = Compactor::new(query::prefixes(graph.base()));
    results::write(
        &outcome,
        options.format,
        &compactor,
        graph.base().as_str(),
        terminal_width(),
        out,
    )?;
    Ok(Status::Success)
}
