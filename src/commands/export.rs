//! `newskg export`: the whole graph in an RDF format, to standard output or atomically to a file.

use crate::commands::Inputs;
use crate::error::Result;
use crate::export::{self, RdfOutput};
use std::path::Path;

pub fn run(
    inputs: &Inputs,
    format: RdfOutput,
    output: Option<&Path>,
    with_ontology: bool,
) -> Result<()> {
    // Files are exported as they map, without a store in between.
    if let Some((files, base)) = inputs.files()? {
        return export::to_output(output, |out| {
            export::write_files(&files, &base, with_ontology, format, out)
        });
    }
    let graph = inputs.graph()?;
    let base = graph.base().as_str().to_string();
    export::to_output(output, |out| {
        export::write_store(graph.store(), with_ontology, format, Some(&base), out)
    })
}
