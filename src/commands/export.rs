//! `newskg export`: the whole graph in an RDF format, to standard output or atomically to a file.

use super::{Source, Status};
use crate::error::Result;
use crate::export::{self, RdfOutput};
use crate::output;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Options {
    pub source: Source,
    pub format: RdfOutput,
    /// A file to write (atomically) instead of standard output.
    pub output: Option<PathBuf>,
    pub with_ontology: bool,
}

pub fn run(options: &Options) -> Result<Status> {
    let Options {
        source,
        format,
        output,
        with_ontology,
    } = options;
    let output = output.as_deref();
    // Files are exported as they map, without a store in between.
    if let Source::Files { base, .. } = source
        && let Some((files, pipeline)) = source.files()?
    {
        let plain = source.plain()?;
        output::to_output(output, |out| {
            export::write_files(&files, &plain, base, *with_ontology, *format, pipeline, out)
        })?;
        return Ok(Status::Success);
    }
    let graph = source.graph()?;
    let base = graph.base().as_str();
    output::to_output(output, |out| {
        export::write_store(graph.store(), *with_ontology, *format, Some(base), out)
    })?;
    Ok(Status::Success)
}
