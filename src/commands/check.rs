//! `newskg check`: validate facts files and say what they hold; validate RDF files (an export,
//! or a graph from elsewhere) against the SHACL shapes.

use super::{Source, Status, count, warn_duplicates};
use crate::error::{Diagnostic, Error, Result};
use crate::input::rdf::RdfFile;
use crate::mapping;
use crate::model::ValidArticle;
use crate::ontology::Ontology;
use crate::validate::shapes::{self, Shapes};
use oxigraph::model::{NamedOrBlankNode, Term};
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

/// What `check` checks.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The facts files (or the embedded default, or a store's files); `None` when only RDF
    /// files are named.
    pub source: Option<Source>,
    /// RDF files (`.nt`, `.nq`, `.ttl`, `.trig`) to validate against the shapes.
    pub graphs: Vec<PathBuf>,
    /// `--input-format`: the syntax of `graphs` (else their extensions say).
    pub graphs_format: Option<crate::input::rdf::RdfSyntax>,
    /// `--deny-warnings`: what is legal but likely a mistake fails the check.
    pub deny_warnings: bool,
}

/// Validates the articles of the source and the RDF files; when all hold, writes one summary
/// line per article and per RDF file. Every problem of every input is reported, each at its
/// place.
pub fn run(options: &Options, out: &mut dyn Write) -> Result<Status> {
    let mut lines = String::new();
    let mut problems = Vec::new();
    let mut gather = |result: Result<String>| match result {
        Ok(line) => {
            lines.push_str(&line);
            Ok(())
        }
        Err(Error::Invalid(found)) => {
            problems.extend(found);
            Ok(())
        }
        Err(e) => Err(e),
    };
    let mut warnings = Vec::new();
    if let Some(source) = &options.source {
        gather(articles(source, &mut warnings))?;
    }
    for path in &options.graphs {
        gather(RdfFile::read(path, options.graphs_format).and_then(|file| graph(&file)))?;
    }
    if options.deny_warnings {
        problems.extend(warnings.into_iter().map(|mut w| {
            w.message = format!(
                "{} (a warning, denied by --deny-warnings)",
                w.message.trim_start_matches("warning: ")
            );
            w
        }));
    } else {
        for w in &warnings {
            eprintln!("{}", crate::output::table::visible(&w.to_string()));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // (file names are the user's, and may hold control characters)
    out.write_all(crate::output::table::visible(&lines).as_bytes())
        .map_err(Error::stdout)?;
    Ok(Status::Success)
}

/// Validates an RDF file's graphs, taken as one, against the shapes: the summary line, or each
/// violation at the first triple about its focus node (see [`RdfFile::place`]).
pub fn graph(file: &RdfFile) -> Result<String> {
    let triples: HashSet<_> = file.triples().collect();
    let n = triples.len();
    let violations = Shapes::embedded().validate(triples, Ontology::embedded());
    if violations.is_empty() {
        return Ok(format!(
            "ok  {}: {} the shapes\n",
            file.name,
            if n == 1 {
                String::from("1 triple holds")
            } else {
                format!("{n} triples hold")
            }
        ));
    }
    let mut problems: Vec<Diagnostic> = violations
        .into_iter()
        .map(|v| {
            let subject = match &v.focus {
                Term::NamedNode(n) => Some(NamedOrBlankNode::from(n.clone())),
                Term::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
                Term::Literal(_) => None,
            };
            let (line, column) = subject.and_then(|s| file.place(&s)).unwrap_or((1, 1));
            let path = v.path.map(|p| format!(" {p}")).unwrap_or_default();
            Diagnostic {
                file: file.name.clone(),
                line,
                column,
                message: format!("{}{path}: {}", shapes::compact(&v.focus), v.message),
            }
        })
        .collect();
    // in the file's order; at one place, in the shapes' order
    problems.sort_by_key(|d| (d.line, d.column));
    Err(Error::Invalid(problems))
}

/// Validates the articles of `source`: one summary line per article. The articles are checked
/// and mapped a chunk of files at a time: no store is loaded, and memory holds a chunk (and the
/// summaries).
fn articles(source: &Source, warnings: &mut Vec<Diagnostic>) -> Result<String> {
    let ontology = Ontology::embedded();
    // (the number of triples does not depend on the base)
    let base = match source {
        Source::Embedded { base } | Source::Files { base, .. } => base.clone(),
        Source::Store { base, .. } => base.clone().unwrap_or_default(),
    };
    let mut lines = String::new();
    let pipeline = source.stream(
        |article| {
            let triples = mapping::article_quads(&article, &base, ontology).len();
            (summary(&article, triples), article.warnings)
        },
        |(line, found)| {
            lines.push_str(&line);
            warnings.extend(found);
            Ok(())
        },
    )?;
    warn_duplicates(&pipeline.duplicates());
    Ok(lines)
}

/// The line `check` writes for an article that gave `triples` triples.
fn summary(article: &ValidArticle, triples: usize) -> String {
    let located = article
        .facts
        .iter()
        .filter(|f| f.position.is_some())
        .count();
    let quotes = if article.text.is_some() {
        format!(", {} found in the text", count(located, "quote"))
    } else {
        String::from(", no article text to check quotes against")
    };
    format!(
        "ok  {}: article `{}`, {}, {}{quotes}, {}\n",
        article.source,
        article.id,
        count(article.mentions.len(), "entity"),
        count(article.facts.len(), "fact"),
        count(triples, "triple"),
    )
}
