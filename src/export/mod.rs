//! Export, the last stage: takes quads (of a store, of facts files as they map, of a CONSTRUCT
//! query) and writes them in an RDF format, always in one canonical order ([`canonical`]), so
//! that the same input gives byte-identical output.
//!
//! The formats are listed once, in [`FORMATS`]: adding one is an entry there (its names, whether
//! it keeps named graphs, which writer writes it) and, for a new kind of writer, that writer.
//! [`turtle`] writes Turtle and TriG, [`lines`] N-Triples and N-Quads, [`serializer`] the formats
//! Oxigraph serializes (RDF/XML, JSON-LD).

pub mod canonical;
pub mod dot;
mod jsonld;
mod lines;
mod serializer;
pub mod svg;
pub mod turtle;

use crate::error::{Error, Result};
use crate::mapping::{self, Base};
use crate::pipeline::{Pipeline, Sources};
use crate::vocab;
use canonical::{Fields, Key, Node, Sorter};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
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

/// Which writer writes a format.
#[derive(Debug, Clone, Copy)]
enum Writer {
    /// newskg's pretty Turtle / TriG ([`turtle`]).
    Pretty,
    /// One line per quad ([`lines`]).
    Lines,
    /// Oxigraph's serializer for this format ([`serializer`]).
    Oxigraph(fn() -> RdfFormat),
    /// newskg's compacted JSON-LD ([`jsonld`]).
    JsonLd,
}

/// A format: its name for `--format`, other names accepted, whether it keeps named graphs (the
/// others get the union of all graphs), and its writer.
#[derive(Debug, Clone, Copy)]
pub struct FormatSpec {
    pub format: RdfOutput,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// The file extensions that name it (`-o graph.nt`), lower case.
    pub extensions: &'static [&'static str],
    /// Its media type (`newskg serve` negotiates by it), then others that name it.
    pub media_types: &'static [&'static str],
    pub graphs: bool,
    writer: Writer,
}

/// Every RDF format newskg writes, in the order help shows them.
pub const FORMATS: &[FormatSpec] = &[
    FormatSpec {
        format: RdfOutput::Turtle,
        name: "turtle",
        aliases: &["ttl"],
        extensions: &["ttl"],
        media_types: &["text/turtle", "application/x-turtle"],
        graphs: false,
        writer: Writer::Pretty,
    },
    FormatSpec {
        format: RdfOutput::TriG,
        name: "trig",
        aliases: &[],
        extensions: &["trig"],
        media_types: &["application/trig"],
        graphs: true,
        writer: Writer::Pretty,
    },
    FormatSpec {
        format: RdfOutput::NTriples,
        name: "ntriples",
        aliases: &["nt"],
        extensions: &["nt"],
        media_types: &["application/n-triples", "text/plain"],
        graphs: false,
        writer: Writer::Lines,
    },
    FormatSpec {
        format: RdfOutput::NQuads,
        name: "nquads",
        aliases: &["nq"],
        extensions: &["nq"],
        media_types: &["application/n-quads"],
        graphs: true,
        writer: Writer::Lines,
    },
    FormatSpec {
        format: RdfOutput::RdfXml,
        name: "rdfxml",
        aliases: &["xml"],
        extensions: &["rdf", "owl"],
        media_types: &["application/rdf+xml"],
        graphs: false,
        writer: Writer::Oxigraph(|| RdfFormat::RdfXml),
    },
    FormatSpec {
        format: RdfOutput::JsonLd,
        name: "jsonld",
        aliases: &["json-ld"],
        extensions: &["jsonld"],
        media_types: &["application/ld+json"],
        graphs: true,
        writer: Writer::JsonLd,
    },
];

impl RdfOutput {
    fn spec(self) -> &'static FormatSpec {
        FORMATS
            .iter()
            .find(|s| s.format == self)
            .expect("every format is in FORMATS")
    }

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The names accepted by `--format`, in the order shown in help.
    pub fn names() -> impl Iterator<Item = &'static str> {
        FORMATS.iter().map(|s| s.name)
    }

    /// The format a file extension names (see [`FormatSpec::extensions`]), in any case.
    pub fn of_extension(extension: &str) -> Option<RdfOutput> {
        let extension = extension.to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|f| f.extensions.contains(&extension.as_str()))
            .map(|f| f.format)
    }

    /// The format's media type.
    pub fn media_type(self) -> &'static str {
        self.spec().media_types[0]
    }

    /// The format a media type names (without its parameters, in any case).
    pub fn of_media_type(media_type: &str) -> Option<RdfOutput> {
        FORMATS
            .iter()
            .find(|f| {
                f.media_types
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(media_type))
            })
            .map(|f| f.format)
    }

    /// Whether the format keeps named graphs.
    pub fn has_graphs(self) -> bool {
        self.spec().graphs
    }
}

impl FromStr for RdfOutput {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        FORMATS
            .iter()
            .find(|f| f.name == s || f.aliases.contains(&s))
            .map(|f| f.format)
            .ok_or_else(|| {
                format!(
                    "unknown RDF format `{s}`; use one of {}",
                    RdfOutput::names().collect::<Vec<_>>().join(", ")
                )
            })
    }
}

/// Which vocabulary prefixes (and whether the base) an output uses, noted while its quads are
/// collected, so that the header can be written before the sorted body.
struct Usage {
    spec: &'static FormatSpec,
    terms: turtle::Terms,
    /// For Oxigraph's serializers: every prefix some IRI starts with.
    namespaces: BTreeSet<usize>,
}

impl Usage {
    fn note(&mut self, f: Fields<'_>) {
        match self.spec.writer {
            Writer::Pretty => self.terms.note_fields(f),
            Writer::Oxigraph(_) | Writer::JsonLd => {
                let subject = match f.subject {
                    Node::Iri(iri) => Some(iri),
                    _ => None,
                };
                let iris = [subject, Some(f.predicate), turtle::iri_in(f.object)];
                for iri in iris.into_iter().flatten() {
                    for (i, (_, ns)) in vocab::PREFIXES.iter().enumerate() {
                        if iri.starts_with(ns) {
                            self.namespaces.insert(i);
                        }
                    }
                }
            }
            Writer::Lines => {}
        }
    }
}

/// Keys handed from the readers to the sort at a time.
const BATCH: usize = 10_000;

/// The sort key of `q` in an export to `format` (without its graph when `format` has none), made
/// in `buf`.
pub fn key(buf: &mut String, q: &Quad, format: RdfOutput) -> Key {
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

/// The keys of `quads` in `format`, a batch at a time.
fn keys_of(quads: &[Quad], format: RdfOutput) -> impl Iterator<Item = Vec<Key>> + '_ {
    quads.chunks(BATCH).map(move |c| {
        let mut buf = String::new();
        c.iter().map(|q| key(&mut buf, q, format)).collect()
    })
}

/// Writes `quads` (in any order) in `format`, in canonical order, each once, in bounded memory
/// (see [`canonical`]). Formats without named graphs get the union of all graphs.
pub fn write(
    quads: &[Quad],
    format: RdfOutput,
    base: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut collector = Collector::new(format, base, canonical::DEFAULT_BUDGET);
    for keys in keys_of(quads, format) {
        collector.add(keys)?;
    }
    collector.write(out)
}

/// Writes, in `format`, the quads of the facts `files` (with the entities' graph they and the
/// pipeline's registry describe, the ontology's, `with_ontology`, and the `plain` RDF files'
/// graphs) as they map, without
/// loading them into a store: the same bytes as [`write_store`] gives for a
/// store holding them (see [`write`]). The files go through `pipeline` a chunk at a time;
/// memory holds a chunk and the sort's budget. A file with a problem fails the export before
/// anything is written.
pub fn write_files(
    files: &[PathBuf],
    plain: &[crate::mapping::plain::PlainGraph],
    base: &Base,
    with_ontology: bool,
    format: RdfOutput,
    mut pipeline: Pipeline<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    let ontology = pipeline.ontology;
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
    pipeline.stream(
        Sources::Files(files),
        |article| {
            let mut buf = String::new();
            mapping::article_quads(&article, base, ontology)
                .iter()
                .map(|q| key(&mut buf, q, format))
                .collect::<Vec<_>>()
        },
        |keys| collector.add(keys),
    )?;
    let mut buf = String::new();
    let entities = mapping::entities::quads(pipeline.descriptions(), base, ontology);
    collector.add(entities.iter().map(|q| key(&mut buf, q, format)).collect())?;
    for graph in plain {
        for keys in keys_of(&graph.quads, format) {
            collector.add(keys)?;
        }
    }
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
    let mut graphs: Vec<GraphName> = vec![GraphName::DefaultGraph];
    for g in store.named_graphs() {
        let g = GraphName::from(g.map_err(Error::store("cannot list the store's graphs"))?);
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
                                let _ = sender.send(Err(Error::store("cannot read the store")(e)));
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
        let mut collector = Collector::new(format, base, canonical::DEFAULT_BUDGET);
        for batch in receiver {
            collector.add(batch?)?;
        }
        collector.write(out)
    })
}

/// An I/O error of an export: of the sort's temporary files, or of the output.
fn io(e: std::io::Error) -> Error {
    Error::write("the export", e)
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
                spec: format.spec(),
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

    /// Writes the sorted keys with the format's writer.
    fn write(self, out: &mut dyn Write) -> Result<()> {
        let Collector { usage, sorter } = self;
        let keys = sorter.finish().map_err(io)?;
        match usage.spec.writer {
            Writer::Pretty => turtle::write(keys, usage.terms, out).map_err(io),
            Writer::Lines => lines::write(keys, out).map_err(io),
            Writer::JsonLd => jsonld::write(keys, &usage.namespaces, usage.terms.base(), out),
            Writer::Oxigraph(format) => {
                serializer::write(keys, format(), usage.spec.name, &usage.namespaces, out)
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn every_format_has_its_names_once() {
        let mut seen = BTreeSet::new();
        for spec in FORMATS {
            for name in std::iter::once(&spec.name).chain(spec.aliases) {
                assert!(seen.insert(*name), "{name} names two formats");
                assert_eq!(name.parse::<RdfOutput>(), Ok(spec.format));
            }
            assert_eq!(spec.format.spec().name, spec.name, "one entry per format");
        }
        assert!(
            "n3".parse::<RdfOutput>()
                .unwrap_err()
                .contains("turtle, trig")
        );
    }

    #[test]
    fn files_export_as_the_store_holding_them_does() {
        let seed = testing::seed_path();
        let base = Base::default();
        let graph = testing::seed_graph();
        for format in RdfOutput::names().map(|n| n.parse::<RdfOutput>().unwrap()) {
            for with_ontology in [false, true] {
                let (mut direct, mut stored) = (Vec::new(), Vec::new());
                write_files(
                    std::slice::from_ref(&seed),
                    &[],
                    &base,
                    with_ontology,
                    format,
                    testing::pipeline(),
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
                assert!(direct.len() > 10_000, "{format:?}");
                assert!(
                    direct == stored,
                    "{format:?}, ontology {with_ontology}: not the same"
                );
            }
        }
    }

    #[test]
    fn a_sort_spilled_to_disk_writes_the_same_bytes() {
        let quads = testing::seed_quads();
        let base = Base::default();
        for format in RdfOutput::names().map(|n| n.parse::<RdfOutput>().unwrap()) {
            let export = |budget| {
                let mut collector = Collector::new(format, Some(base.as_str()), budget);
                for keys in keys_of(&quads, format) {
                    collector.add(keys).unwrap();
                }
                let mut out = Vec::new();
                collector.write(&mut out).unwrap();
                out
            };
            let in_memory = export(canonical::DEFAULT_BUDGET);
            // about 200 records per run: dozens of runs to merge
            let spilled = export(64 << 10);
            assert!(in_memory.len() > 100_000, "{format:?}");
            assert!(
                in_memory == spilled,
                "{format:?}: the spilled export differs"
            );
        }
    }
}
