//! RDF output in every format newskg writes, always in a canonical order so that the same input
//! gives byte-identical output; and writing it to a file atomically.

use crate::error::{Error, Result};
use crate::turtle;
use crate::vocab;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

/// The RDF serializations `export` (and CONSTRUCT/DESCRIBE queries) can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RdfOutput {
    Turtle,
    TriG,
    NTriples,
    NQuads,
    RdfXml,
    JsonLd,
}

impl RdfOutput {
    /// The names accepted by `--format`, in the order shown in help.
    pub const NAMES: &[&str] = &["turtle", "trig", "ntriples", "nquads", "rdfxml", "jsonld"];

    /// Whether the format keeps named graphs.
    pub fn has_graphs(self) -> bool {
        matches!(
            self,
            RdfOutput::TriG | RdfOutput::NQuads | RdfOutput::JsonLd
        )
    }
}

impl FromStr for RdfOutput {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "turtle" | "ttl" => RdfOutput::Turtle,
            "trig" => RdfOutput::TriG,
            "ntriples" | "nt" => RdfOutput::NTriples,
            "nquads" | "nq" => RdfOutput::NQuads,
            "rdfxml" | "xml" => RdfOutput::RdfXml,
            "jsonld" | "json-ld" => RdfOutput::JsonLd,
            _ => {
                return Err(format!(
                    "unknown RDF format `{s}`; use one of {}",
                    RdfOutput::NAMES.join(", ")
                ));
            }
        })
    }
}

fn sort_key(q: &Quad) -> (String, String, String, String) {
    (
        q.graph_name.to_string(),
        q.subject.to_string(),
        q.predicate.to_string(),
        q.object.to_string(),
    )
}

/// The triples of all graphs, merged, without duplicates, in canonical order.
pub fn union_triples(quads: &[Quad]) -> Vec<Triple> {
    let mut triples: Vec<Triple> = quads
        .iter()
        .map(|q| Triple::new(q.subject.clone(), q.predicate.clone(), q.object.clone()))
        .collect();
    triples.sort_by_cached_key(|t| {
        (
            t.subject.to_string(),
            t.predicate.to_string(),
            t.object.to_string(),
        )
    });
    triples.dedup();
    triples
}

/// The vocabulary prefixes used by some term of `quads`.
fn used_prefixes(quads: &[Quad]) -> Vec<(&'static str, &'static str)> {
    let mut used = BTreeSet::new();
    let mut check = |iri: &str| {
        for (i, (_, ns)) in vocab::PREFIXES.iter().enumerate() {
            if iri.starts_with(ns) {
                used.insert(i);
            }
        }
    };
    for q in quads {
        if let NamedOrBlankNode::NamedNode(n) = &q.subject {
            check(n.as_str());
        }
        check(q.predicate.as_str());
        match &q.object {
            Term::NamedNode(n) => check(n.as_str()),
            Term::Literal(l) => check(l.datatype().as_str()),
            _ => {}
        }
    }
    used.into_iter().map(|i| vocab::PREFIXES[i]).collect()
}

/// Writes `quads` in `format`. Formats without named graphs get the union of all graphs.
pub fn write(
    quads: &[Quad],
    format: RdfOutput,
    base: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Io {
        path: "output".into(),
        source: e,
    };
    let mut quads = quads.to_vec();
    quads.sort_by_cached_key(sort_key);
    quads.dedup();
    match format {
        RdfOutput::Turtle => turtle::write_turtle(&union_triples(&quads), base, out).map_err(io),
        RdfOutput::TriG => turtle::write_trig(&quads, base, out).map_err(io),
        RdfOutput::NTriples => {
            for t in union_triples(&quads) {
                writeln!(out, "{t} .").map_err(io)?;
            }
            Ok(())
        }
        RdfOutput::NQuads => {
            let mut lines: Vec<String> = quads.iter().map(|q| format!("{q} .")).collect();
            lines.sort();
            for line in lines {
                writeln!(out, "{line}").map_err(io)?;
            }
            Ok(())
        }
        RdfOutput::RdfXml | RdfOutput::JsonLd => {
            let rdf_format = if format == RdfOutput::RdfXml {
                RdfFormat::RdfXml
            } else {
                RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                }
            };
            let mut serializer = RdfSerializer::from_format(rdf_format);
            for (prefix, ns) in used_prefixes(&quads) {
                serializer =
                    serializer
                        .with_prefix(prefix, ns)
                        .map_err(|e| Error::Serialization {
                            format: format!("{format:?}"),
                            message: e.to_string(),
                        })?;
            }
            let mut writer = serializer.for_writer(out);
            if format == RdfOutput::RdfXml {
                for t in union_triples(&quads) {
                    writer.serialize_triple(&t).map_err(io)?;
                }
            } else {
                for q in &quads {
                    writer.serialize_quad(q).map_err(io)?;
                }
            }
            writer.finish().map_err(io)?;
            Ok(())
        }
    }
}

/// Quads of the named graphs of `quads`, leaving out the ontology's graph.
pub fn without_ontology(quads: Vec<Quad>) -> Vec<Quad> {
    quads
        .into_iter()
        .filter(|q| !matches!(&q.graph_name, GraphName::NamedNode(n) if n.as_str() == vocab::ONTOLOGY_IRI))
        .collect()
}

/// Runs `write` on standard output, or on `path` atomically: the file appears only once complete,
/// and an existing file is untouched when writing fails.
pub fn to_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let io = |p: &Path, source| Error::Io {
        path: p.display().to_string(),
        source,
    };
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            write(&mut lock)?;
            lock.flush().map_err(|e| io(Path::new("stdout"), e))
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            if !dir.is_dir() {
                return Err(io(
                    path,
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("no directory {}", dir.display()),
                    ),
                ));
            }
            let mut tmp = tempfile::Builder::new()
                .prefix(".newskg-")
                .tempfile_in(dir)
                .map_err(|e| io(path, e))?;
            {
                let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
                write(&mut buffered)?;
                buffered.flush().map_err(|e| io(path, e))?;
            }
            tmp.persist(path).map_err(|e| io(path, e.error))?;
            Ok(())
        }
    }
}
