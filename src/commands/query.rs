//! `newskg query`: run a canned query, a `.rq` file, inline SPARQL or standard input.

use crate::commands::Inputs;
use crate::error::Result;
use crate::query::{self, QueryOptions};
use crate::results::{self, Compactor, ResultFormat};
use std::io::Write;

pub fn run(
    inputs: &Inputs,
    query_arg: &str,
    format: Option<ResultFormat>,
    params: &[(String, String)],
    options: QueryOptions,
    out: &mut dyn Write,
) -> Result<()> {
    // Resolve and parse the query before loading anything: a typo fails fast.
    let doc = query::resolve(query_arg)?;
    let graph = inputs.graph()?;
    let outcome = query::run(&graph, &doc, params, options)?;
    let compactor = Compactor::new(query::prefixes(graph.base()));
    results::write(&outcome, format, &compactor, graph.base().as_str(), out)
}
