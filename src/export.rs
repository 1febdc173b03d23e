//! RDF output in every format newskg writes, always in a canonical order so that the same input
//! gives byte-identical output; and writing it to a file atomically.

use crate::canonical::{self, Fields, Key, Node, Record, Sorter};
use crate::error::{Error, Result};
use crate::input;
use crate::mapping::{self, Base};
use crate::ontology::Ontology;
use crate::turtle;
use crate::vocab;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use rayon::prelude::*;
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
    fn note(&mut self, f: Fields<'_>) {
        fn node_iri(n: Node<'_>) -> Option<&str> {
            match n {
                Node::Iri(iri) => Some(iri),
                _ => None,
            }
        }
        match self.format {
            RdfOutput::Turtle | RdfOutput::TriG => {
                for node in [f.graph, f.subject] {
                    if let Some(iri) = node_iri(node) {
                        self.terms.note_iri(iri);
                    }
                }
                if f.predicate != vocab::rdf::TYPE {
                    self.terms.note_iri(f.predicate);
                }
                self.terms.note(f.object);
            }
            RdfOutput::RdfXml | RdfOutput::JsonLd => {
                let iris = [
                    node_iri(f.subject),
                    Some(f.predicate),
                    turtle::iri_in(f.object),
                ];
                for iri in iris.into_iter().flatten() {
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
    let batches = quads.chunks(BATCH).map(|c| {
        let mut buf = String::new();
        Ok(c.iter().map(|q| key(&mut buf, q, format)).collect())
    });
    write_records(batches, format, base, out, budget)
}

/// Keys handed from the readers to the sort at a time.
const BATCH: usize = 10_000;

/// The sort key of `q` in an export to `format` (without its graph when `format` has none), made
/// in `buf`.
pub(crate) fn key(buf: &mut String, q: &Quad, format: RdfOutput) -> Key {
    let blank;
    let graph = match &q.graph_name {
        GraphName::NamedNode(g) if format.has_graphs() => Node::Iri(g.as_str()),
        GraphName::BlankNode(b) if format.has_graphs() => {
            blank = b.to_string();
            Node::Blank(&blank)
        }
        _ => Node::Default,
    };
    let blank;
    let subject = match &q.subject {
        NamedOrBlankNode::NamedNode(s) => Node::Iri(s.as_str()),
        NamedOrBlankNode::BlankNode(b) => {
            blank = b.to_string();
            Node::Blank(&blank)
        }
    };
    Key::new(buf, graph, subject, q.predicate.as_str(), |buf| {
        match &q.object {
            Term::NamedNode(o) => {
                buf.push('<');
                buf.push_str(o.as_str());
                buf.push('>');
            }
            other => {
                // literals need N-Triples escapes: oxrdf writes them
                let _ = std::fmt::Write::write_fmt(buf, format_args!("{other}"));
            }
        }
    })
}

/// Writes, in `format`, the quads of the facts `files` (and of the ontology, `with_ontology`)
/// as they map, without loading them into a store: the same bytes as [`write_store`] gives for a
/// store holding them (see [`write`]). The files are read, checked and mapped a chunk at a time,
/// in parallel (see [`input::stream`]); memory holds a chunk and the sort's budget. A file with
/// a problem fails the export before anything is written.
pub fn write_files(
    files: &[std::path::PathBuf],
    base: &Base,
    with_ontology: bool,
    format: RdfOutput,
    out: &mut dyn Write,
) -> Result<()> {
    let ontology = Ontology::embedded();
    let mut collector = Collector::new(format, Some(base.as_str()), canonical::DEFAULT_BUDGET);
    if with_ontology {
        let mut buf = String::new();
        collector.add(
            ontology
                .quads()
                .map(|q| key(&mut buf, &q, format))
                .collect(),
        )?;
    }
    input::stream(
        files,
        ontology,
        |article| {
            let mut buf = String::new();
            mapping::article_quads(article, base, ontology)
                .iter()
                .map(|q| key(&mut buf, q, format))
                .collect::<Vec<_>>()
        },
        |keys| collector.add(keys),
    )?;
    collector.write(out)
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
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<Key>>>(4 * threads);
        for t in 0..threads {
            let sender = sender.clone();
            let graphs = &graphs;
            scope.spawn(move || {
                let mut buf = String::new();
                for g in graphs.iter().skip(t).step_by(threads) {
                    let mut batch = Vec::new();
                    for q in store.quads_for_pattern(None, None, None, Some(g.as_ref())) {
                        match q {
                            Ok(q) => batch.push(key(&mut buf, &q, format)),
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
    batches: impl Iterator<Item = Result<Vec<Key>>>,
    format: RdfOutput,
    base: Option<&str>,
    out: &mut dyn Write,
    budget: usize,
) -> Result<()> {
    let mut collector = Collector::new(format, base, budget);
    for batch in batches {
        collector.add(batch?)?;
    }
    collector.write(out)
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "output".into(),
        source: e,
    }
}

/// The keys of an export, sorted as they are added, with the prefixes they use.
struct Collector {
    usage: Usage,
    sorter: Sorter,
}

impl Collector {
    fn new(format: RdfOutput, base: Option<&str>, budget: usize) -> Self {
        Collector {
            usage: Usage {
                format,
                terms: turtle::Terms::new(base),
                namespaces: BTreeSet::new(),
            },
            sorter: Sorter::new(budget),
        }
    }

    fn add(&mut self, keys: Vec<Key>) -> Result<()> {
        for key in keys {
            self.usage.note(key.fields());
            self.sorter.push(key).map_err(io)?;
        }
        Ok(())
    }

    fn write(self, out: &mut dyn Write) -> Result<()> {
        let Collector { usage, sorter } = self;
        write_sorted(sorter, usage, out)
    }
}

fn write_sorted(sorter: Sorter, usage: Usage, out: &mut dyn Write) -> Result<()> {
    let format = usage.format;
    let records = sorter.finish().map_err(io)?;
    match format {
        RdfOutput::Turtle | RdfOutput::TriG => turtle::write(records, usage.terms, out).map_err(io),
        RdfOutput::NTriples | RdfOutput::NQuads => {
            // formatted a batch at a time, in parallel, and written in order
            let mut records = records.peekable();
            while records.peek().is_some() {
                let batch: Vec<Key> = records
                    .by_ref()
                    .take(1 << 16)
                    .collect::<std::io::Result<_>>()
                    .map_err(io)?;
                let lines: Vec<Vec<u8>> = batch
                    .par_chunks(1 << 12)
                    .map(|keys| {
                        let mut lines = Vec::new();
                        for key in keys {
                            line(&mut lines, key);
                        }
                        lines
                    })
                    .collect();
                for chunk in &lines {
                    out.write_all(chunk).map_err(io)?;
                }
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
            for key in records {
                let q = quad_of(&key.map_err(io)?.record()).map_err(serialization)?;
                writer.serialize_quad(&q).map_err(io)?;
            }
            writer.finish().map_err(io)?;
            Ok(())
        }
    }
}

/// The N-Triples or N-Quads line of a key.
fn line(out: &mut Vec<u8>, key: &Key) {
    let f = key.fields();
    node_term(out, f.subject);
    out.extend_from_slice(b" <");
    out.extend_from_slice(f.predicate.as_bytes());
    out.extend_from_slice(b"> ");
    out.extend_from_slice(f.object.as_bytes());
    if f.graph != Node::Default {
        out.push(b' ');
        node_term(out, f.graph);
    }
    out.extend_from_slice(b" .\n");
}

/// The N-Triples term of a node.
fn node_term(out: &mut Vec<u8>, node: Node<'_>) {
    match node {
        Node::Default => {}
        Node::Iri(iri) => {
            out.push(b'<');
            out.extend_from_slice(iri.as_bytes());
            out.push(b'>');
        }
        Node::Blank(b) => out.extend_from_slice(b.as_bytes()),
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
    use crate::mapping::Base;
    use crate::ontology::Ontology;
    use crate::store::KnowledgeGraph;

    #[test]
    fn files_export_as_the_store_holding_them_does() {
        let ontology = Ontology::embedded();
        let seed =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(input::EMBEDDED_FACTS_PATH);
        let source = crate::source::SourceFile::read(&seed);
        let articles = input::load(vec![source], ontology).unwrap();
        let base = Base::default();
        let graph = KnowledgeGraph::build(articles, base.clone(), ontology).unwrap();
        for name in RdfOutput::NAMES {
            let format: RdfOutput = name.parse().unwrap();
            for with_ontology in [false, true] {
                let (mut direct, mut stored) = (Vec::new(), Vec::new());
                write_files(
                    std::slice::from_ref(&seed),
                    &base,
                    with_ontology,
                    format,
                    &mut direct,
                )
                .unwrap();
                write_store(
                    graph.store(),
                    with_ontology,
                    format,
                    Some(base.as_str()),
                    &mut stored,
                )
                .unwrap();
                assert!(direct.len() > 10_000, "{name}");
                assert!(
                    direct == stored,
                    "{name}, ontology {with_ontology}: not the same"
                );
            }
        }
    }

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
