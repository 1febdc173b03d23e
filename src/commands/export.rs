//! `newskg export`: the whole graph in an RDF format, to standard output or atomically to a file.

use crate::commands::Inputs;
use crate::error::{Error, Result};
use crate::export::{self, RdfOutput};
use std::path::Path;

pub fn run(
    inputs: &Inputs,
    format: RdfOutput,
    output: Option<&Path>,
    with_ontology: bool,
) -> Result<()> {
    let graph = inputs.graph()?;
    let base = graph.base().as_str().to_string();
    export::to_output(output, |out| {
        let quads = graph
            .store()
            .iter()
            .map(|q| q.map_err(|e| Error::Store(e.to_string())))
            .filter(|q| !matches!(q, Ok(q) if !export::exported(q, with_ontology)));
        export::write_quads(quads, format, Some(&base), out)
    })
}
