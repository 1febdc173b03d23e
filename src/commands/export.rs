//! `newskg export`: the whole graph in an RDF format, or a picture of its facts in DOT, to
//! standard output or atomically to a file.

use super::{Source, Status};
use crate::error::Result;
use crate::export::{self, RdfOutput};
use crate::output;
use std::path::PathBuf;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rdf(RdfOutput),
    /// A picture of the facts, in Graphviz's DOT ([`export::dot`]).
    Dot,
}

impl Format {
    /// The format a file extension names, in any case.
    pub fn of_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "dot" | "gv" => Some(Format::Dot),
            other => RdfOutput::of_extension(other).map(Format::Rdf),
        }
    }

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Rdf(f) => f.name(),
            Format::Dot => "dot",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub source: Source,
    pub format: Format,
    /// A file to write (atomically) instead of standard output.
    pub output: Option<PathBuf>,
    pub with_ontology: bool,
    /// The article a picture draws (every article when `None`).
    pub article: Option<String>,
}

pub fn run(options: &Options) -> Result<Status> {
    let Options {
        source,
        format,
        output,
        with_ontology,
        article,
    } = options;
    let output = output.as_deref();
    let format = match format {
        Format::Rdf(f) => *f,
        Format::Dot => {
            let graph = source.graph()?;
            let selection = match article {
                Some(id) => export::dot::Selection::Article(id),
                None => export::dot::Selection::All,
            };
            let dot = export::dot::picture(graph.store(), graph.base(), selection)?;
            output::to_output(output, |out| {
                out.write_all(dot.as_bytes())
                    .map_err(|e| crate::error::Error::write("the picture", e))
            })?;
            return Ok(Status::Success);
        }
    };
    // Files are exported as they map, without a store in between.
    if let Source::Files { base, .. } = source
        && let Some((files, pipeline)) = source.files()?
    {
        let plain = source.plain()?;
        output::to_output(output, |out| {
            export::write_files(&files, &plain, base, *with_ontology, format, pipeline, out)
        })?;
        return Ok(Status::Success);
    }
    let graph = source.graph()?;
    let base = graph.base().as_str();
    output::to_output(output, |out| {
        export::write_store(graph.store(), *with_ontology, format, Some(base), out)
    })?;
    Ok(Status::Success)
}
