//! RDF output in every format newskg writes, always in a canonical order so that the same input
//! gives byte-identical output; and writing it to a file atomically.

use crate::canonical::{self, Record, Sorter};
use crate::error::{Error, Result};
use crate::turtle;
use crate::vocab;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
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

/// Which vocabulary prefixes (and whether the base) an output uses, noted while its quads are
/// collected, so that the header can be written before the sorted body.
struct Usage {
    format: RdfOutput,
    terms: turtle::Terms,
    /// For RDF/XML and JSON-LD: every prefix some IRI starts with.
    namespaces: BTreeSet<usize>,
}

impl Usage {
    fn note(&mut self, r: &Record) {
        match self.format {
            RdfOutput::Turtle | RdfOutput::TriG => {
                if self.format == RdfOutput::TriG {
                    self.terms.note(&r.graph);
                }
                self.terms.note(&r.subject);
                if !canonical::is_rdf_type(&r.predicate) {
                    self.terms.note(&r.predicate);
                }
                self.terms.note(&r.object);
            }
            RdfOutput::RdfXml | RdfOutput::JsonLd => {
                for term in [&r.subject, &r.predicate, &r.object] {
                    let Some(iri) = turtle::iri_in(term) else {
                        continue;
                    };
                    for (i, (_, ns)) in vocab::PREFIXES.iter().enumerate() {
                        if iri.starts_with(ns) {
                            self.namespaces.insert(i);
                        }
                    }
                }
            }
            RdfOutput::NTriples | RdfOutput::NQuads => {}
        }
    }
}

/// Writes `quads` (in any order) in `format`, in canonical order, each once, in bounded memory
/// (see [`canonical`]). Formats without named graphs get the union of all graphs.
pub fn write(
    quads: &[Quad],
    format: RdfOutput,
    base: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    write_with_budget(quads, format, base, out, canonical::DEFAULT_BUDGET)
}

fn write_with_budget(
    quads: &[Quad],
    format: RdfOutput,
    base: Option<&str>,
    out: &mut dyn Write,
    budget: usize,
) -> Result<()> {
    let batches = quads
        .chunks(BATCH)
        .map(|c| Ok(c.iter().map(|q| record(q, format)).collect()));
    write_records(batches, format, base, out, budget)
}

/// Records handed from the readers to the sort at a time.
const BATCH: usize = 10_000;

/// The record of `q` in an export to `format`: without its graph when `format` has none.
pub fn record(q: &Quad, format: RdfOutput) -> Record {
    Record {
        graph: match &q.graph_name {
            GraphName::NamedNode(_) | GraphName::BlankNode(_) if format.has_graphs() => {
                q.graph_name.to_string()
            }
            _ => String::new(),
        },
        subject: q.subject.to_string(),
        predicate: q.predicate.to_string(),
        object: q.object.to_string(),
    }
}

/// Writes the exported quads of `store` in `format`, reading the store's graphs on several
/// threads (see [`write`]).
pub fn write_store(
    store: &oxigraph::store::Store,
    with_ontology: bool,
    format: RdfOutput,
    base: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let storage = |e: oxigraph::store::StorageError| Error::Store(e.to_string());
    let mut graphs: Vec<GraphName> = vec![GraphName::DefaultGraph];
    for g in store.named_graphs() {
        let g = GraphName::from(g.map_err(storage)?);
        if exported_graph(&g, with_ontology) {
            graphs.push(g);
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<Record>>>(4 * threads);
        for t in 0..threads {
            let sender = sender.clone();
            let graphs = &graphs;
            scope.spawn(move || {
                for g in graphs.iter().skip(t).step_by(threads) {
                    let mut batch = Vec::new();
                    for q in store.quads_for_pattern(None, None, None, Some(g.as_ref())) {
                        match q {
                            Ok(q) => batch.push(record(&q, format)),
                            Err(e) => {
                                let _ = sender.send(Err(storage(e)));
                                return;
                            }
                        }
                        if batch.len() >= BATCH
                            && sender.send(Ok(std::mem::take(&mut batch))).is_err()
                        {
                            return;
                        }
                    }
                    if !batch.is_empty() && sender.send(Ok(batch)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        write_records(
            receiver.into_iter(),
            format,
            base,
            out,
            canonical::DEFAULT_BUDGET,
        )
    })
}

fn write_records(
    batches: impl Iterator<Item = Result<Vec<Record>>>,
    format: RdfOutput,
    base: Option<&str>,
    out: &mut dyn Write,
    budget: usize,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Io {
        path: "output".into(),
        source: e,
    };
    let mut usage = Usage {
        format,
        terms: turtle::Terms::new(base),
        namespaces: BTreeSet::new(),
    };
    let mut sorter = Sorter::new(budget);
    for batch in batches {
        for record in batch? {
            usage.note(&record);
            sorter.push(record).map_err(io)?;
        }
    }
    let records = sorter.finish().map_err(io)?;
    match format {
        RdfOutput::Turtle | RdfOutput::TriG => turtle::write(records, usage.terms, out).map_err(io),
        RdfOutput::NTriples | RdfOutput::NQuads => {
            for r in records {
                let r = r.map_err(io)?;
                if r.graph.is_empty() {
                    writeln!(out, "{} {} {} .", r.subject, r.predicate, r.object)
                } else {
                    writeln!(
                        out,
                        "{} {} {} {} .",
                        r.subject, r.predicate, r.object, r.graph
                    )
                }
                .map_err(io)?;
            }
            Ok(())
        }
        RdfOutput::RdfXml | RdfOutput::JsonLd => {
            let serialization = |message: String| Error::Serialization {
                format: format!("{format:?}"),
                message,
            };
            let rdf_format = if format == RdfOutput::RdfXml {
                RdfFormat::RdfXml
            } else {
                RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                }
            };
            let mut serializer = RdfSerializer::from_format(rdf_format);
            for i in &usage.namespaces {
                let (prefix, ns) = vocab::PREFIXES[*i];
                serializer = serializer
                    .with_prefix(prefix, ns)
                    .map_err(|e| serialization(e.to_string()))?;
            }
            let mut writer = serializer.for_writer(out);
            for r in records {
                let q = quad_of(&r.map_err(io)?).map_err(serialization)?;
                writer.serialize_quad(&q).map_err(io)?;
            }
            writer.finish().map_err(io)?;
            Ok(())
        }
    }
}

/// The quad a record holds (its terms were written by oxrdf, so they parse back).
fn quad_of(r: &Record) -> std::result::Result<Quad, String> {
    let subject = match Term::from_str(&r.subject).map_err(|e| e.to_string())? {
        Term::NamedNode(n) => NamedOrBlankNode::from(n),
        Term::BlankNode(b) => NamedOrBlankNode::from(b),
        other => return Err(format!("{other} cannot be a subject")),
    };
    let predicate = NamedNode::from_str(&r.predicate).map_err(|e| e.to_string())?;
    let object = Term::from_str(&r.object).map_err(|e| e.to_string())?;
    let graph = match r.graph.as_str() {
        "" => GraphName::DefaultGraph,
        g => match Term::from_str(g).map_err(|e| e.to_string())? {
            Term::NamedNode(n) => GraphName::from(n),
            Term::BlankNode(b) => GraphName::from(b),
            other => return Err(format!("{other} cannot name a graph")),
        },
    };
    Ok(Quad::new(subject, predicate, object, graph))
}

/// Whether a graph belongs in an export: the store's own bookkeeping never does, the ontology's
/// graph only `with_ontology`.
fn exported_graph(graph: &GraphName, with_ontology: bool) -> bool {
    match graph {
        GraphName::NamedNode(g) => {
            g.as_str() != vocab::STORE_GRAPH && (with_ontology || g.as_str() != vocab::ONTOLOGY_IRI)
        }
        _ => true,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input;
    use crate::mapping::Base;
    use crate::ontology::Ontology;
    use crate::store::KnowledgeGraph;

    #[test]
    fn a_sort_spilled_to_disk_writes_the_same_bytes() {
        let ontology = Ontology::embedded();
        let articles = input::load(vec![Ok(input::embedded())], ontology).unwrap();
        let graph = KnowledgeGraph::build(articles, Base::default(), ontology).unwrap();
        let quads: Vec<Quad> = graph.store().iter().map(|q| q.unwrap()).collect();
        let base = Some(graph.base().as_str());
        for name in RdfOutput::NAMES {
            let format: RdfOutput = name.parse().unwrap();
            let export = |budget| {
                let mut out = Vec::new();
                write_with_budget(&quads, format, base, &mut out, budget).unwrap();
                out
            };
            let in_memory = export(canonical::DEFAULT_BUDGET);
            // about 200 records per run: dozens of runs to merge
            let spilled = export(64 << 10);
            assert!(in_memory.len() > 100_000, "{name}");
            assert!(in_memory == spilled, "{name}: the spilled export differs");
        }
    }
}
