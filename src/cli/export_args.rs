//! The arguments of `newskg export`: an RDF format, or the picture (`dot`).

use super::{InputArgs, rdf_format_values};
use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use newskg::Error;
use newskg::commands::export::{Format, Options};
use newskg::export::RdfOutput;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Output format: an RDF format, or `dot`, a picture of the facts in Graphviz's DOT
    /// [default: the one the -o file's extension names (.ttl, .trig, .nt, .nq, .rdf, .jsonld,
    /// .dot, .gv), else turtle].
    #[arg(short = 'f', long, value_name = "FORMAT", value_parser = format())]
    format: Option<Format>,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave out the ontology's graph.
    #[arg(long)]
    without_ontology: bool,
    /// With --format dot: draw this article only (its id), not every article.
    #[arg(long, value_name = "ID")]
    article: Option<String>,
}

impl ExportArgs {
    pub fn into_options(self) -> Result<Options, Error> {
        let format = chosen(self.format, self.output.as_deref())?;
        if self.article.is_some() && format != Format::Dot {
            return Err(Error::Usage(
                "--article draws one article: it goes with --format dot (an RDF export holds every article)".into(),
            ));
        }
        Ok(Options {
            source: self.inputs.into_source()?,
            format,
            output: self.output,
            with_ontology: !self.without_ontology,
            article: self.article,
        })
    }
}

fn format() -> impl TypedValueParser<Value = Format> {
    let values = rdf_format_values(&[])
        .into_iter()
        .chain([PossibleValue::new("dot")
            .alias("gv")
            .help("a picture of the facts, in Graphviz's DOT")]);
    PossibleValuesParser::new(values).try_map(|s| match s.as_str() {
        "dot" | "gv" => Ok(Format::Dot),
        other => other.parse::<RdfOutput>().map(Format::Rdf),
    })
}

/// The format of an export: `--format`, else the one `-o`'s extension names, else Turtle; an
/// error when the two disagree.
fn chosen(asked: Option<Format>, output: Option<&Path>) -> Result<Format, Error> {
    let by_extension = output
        .and_then(|o| o.extension())
        .and_then(|e| Format::of_extension(&e.to_string_lossy()));
    match (asked, by_extension) {
        (Some(a), Some(e)) if a != e => Err(Error::Usage(format!(
            "-o {}: the extension says {}, --format says {}: name the file after its format, or drop --format",
            output.map(|o| o.display().to_string()).unwrap_or_default(),
            e.name(),
            a.name()
        ))),
        (Some(a), _) => Ok(a),
        (None, Some(e)) => Ok(e),
        (None, None) => Ok(Format::Rdf(RdfOutput::Turtle)),
    }
}
