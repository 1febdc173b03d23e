//! The store, the fourth stage: takes mapped quads and gives a knowledge graph to query and
//! export: the ontology in its own named graph and every article in its own, in an in-memory
//! Oxigraph store (built from files, or the embedded default's precomputed quads) or in a
//! persistent one on disk ([`layout`]), built incrementally by [`build`] and keeping its
//! bookkeeping in [`records`].

pub mod build;
mod entities;
pub mod layout;
pub mod records;
pub mod verify;

use crate::error::{Error, Result};
use crate::mapping::{self, Base};
use crate::pipeline::{Pipeline, Sources};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Quad};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};

/// The embedded default's quads, as N-Quads in the order [`KnowledgeGraph::load`] loads them, so
/// that both give the same store and the same answers.
pub const EMBEDDED_NQUADS_PATH: &str = "data/seed/graph.nq";
const EMBEDDED_NQUADS: &str = include_str!("../../data/seed/graph.nq");

/// An article's quads as a knowledge graph in memory holds them: its graph, and the record of
/// its text (see [`records::record_text`]; never exported) for `serve` to show quotes in place.
pub fn loaded_quads(
    article: &crate::model::ValidArticle,
    base: &Base,
    ontology: &crate::ontology::Ontology,
) -> Vec<Quad> {
    let mut quads = mapping::article_quads(article, base, ontology);
    quads.extend(records::record_text(
        &base.article(&article.id),
        article.text.as_deref(),
    ));
    quads
}

/// A knowledge graph to query and export, and the base its IRIs are minted under.
pub struct KnowledgeGraph {
    store: Store,
    base: Base,
}

impl KnowledgeGraph {
    /// Loads the articles of `sources`, through `pipeline`, into an in-memory store after the
    /// ontology, article by article in order (a chunk of files is read, checked and mapped, in
    /// parallel, while the previous one is loaded), then the entities' graph. Nothing is kept of
    /// the articles but their quads.
    pub fn load(sources: Sources<'_>, base: Base, mut pipeline: Pipeline<'_>) -> Result<Self> {
        let store = Store::new().map_err(Error::store("cannot create a store in memory"))?;
        let ontology = pipeline.ontology;
        let loading = Error::store("cannot load the articles into the store");
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Quad>>(256);
            let base = &base;
            let mapped = scope.spawn(move || {
                // The loader hangs up only when it failed, and its error is the one reported:
                // this one only stops the reading.
                let stopped = |_| Error::StoreLayout("the store stopped loading".into());
                pipeline.stream(
                    sources,
                    |article| loaded_quads(&article, base, ontology),
                    |quads| sender.send(quads).map_err(stopped),
                )?;
                // the entities, described once, after the articles that declare them
                sender
                    .send(mapping::entities::quads(
                        pipeline.descriptions(),
                        base,
                        ontology,
                    ))
                    .map_err(stopped)
            });
            let loaded = store.extend(ontology.quads().chain(receiver.into_iter().flatten()));
            let mapped = mapped.join().expect("the mapping thread does not panic");
            loaded.map_err(loading)?;
            mapped
        })?;
        Ok(KnowledgeGraph { store, base })
    }

    /// The embedded default (the seed article) with the base `Base::default()`, from its
    /// precomputed quads: loading them takes a fraction of checking and mapping the seed's facts
    /// on every run. A test keeps them equal to what the facts give.
    pub fn embedded() -> Result<Self> {
        let store = Store::new().map_err(Error::store("cannot create a store in memory"))?;
        store
            // lenient: the file is ours and tested, so its IRIs are not validated again
            .load_from_slice(
                oxigraph::io::RdfParser::from_format(RdfFormat::NQuads).lenient(),
                EMBEDDED_NQUADS,
            )
            .map_err(Error::store(format!("cannot load {EMBEDDED_NQUADS_PATH}")))?;
        Ok(KnowledgeGraph {
            store,
            base: Base::default(),
        })
    }

    /// The knowledge graph of a persistent store (`newskg build --store DIR`), read-only.
    pub fn open(dir: &Path, base: Option<&Base>) -> Result<Self> {
        let (store, base) = layout::open(dir, base, false)?;
        Ok(KnowledgeGraph { store, base })
    }

    /// Adds plain RDF files, each in its graph.
    pub fn add_plain(&self, plain: &[crate::mapping::plain::PlainGraph]) -> Result<()> {
        self.store
            .extend(plain.iter().flat_map(|p| p.quads.iter().cloned()))
            .map_err(Error::store("cannot load the RDF files into the store"))
    }

    /// The ids of the entities in the graph (those the entities' graph describes).
    pub fn entity_ids(&self) -> Result<Vec<String>> {
        let rdf_type = NamedNodeRef::new_unchecked(crate::vocab::rdf::TYPE);
        let graph = self.base.entities_graph();
        let mut ids = std::collections::BTreeSet::new();
        for quad in
            self.store
                .quads_for_pattern(None, Some(rdf_type), None, Some(graph.as_ref().into()))
        {
            let quad = quad.map_err(Error::store("cannot read the store"))?;
            if let NamedOrBlankNode::NamedNode(n) = &quad.subject
                && let Some(id) = self.base.entity_id(n.as_str())
            {
                ids.insert(id.to_string());
            }
        }
        Ok(ids.into_iter().collect())
    }

    /// Whether anything in the graph is said of this IRI.
    pub fn has_subject(&self, iri: &oxigraph::model::NamedNode) -> Result<bool> {
        let found = self
            .store
            .quads_for_pattern(Some(iri.as_ref().into()), None, None, None)
            .next()
            .transpose()
            .map_err(Error::store("cannot read the store"))?;
        Ok(found.is_some())
    }

    /// Whether the graph has a fact of this IRI.
    pub fn has_fact(&self, fact: &oxigraph::model::NamedNode) -> Result<bool> {
        let found = self
            .store
            .quads_for_pattern(
                Some(fact.as_ref().into()),
                Some(NamedNodeRef::new_unchecked(crate::vocab::rdf::TYPE)),
                Some(NamedNodeRef::new_unchecked(crate::vocab::nkg::FACT).into()),
                None,
            )
            .next()
            .transpose()
            .map_err(Error::store("cannot read the store"))?;
        Ok(found.is_some())
    }

    /// The text of an article of the graph (the one its quotes' offsets count in), when its
    /// facts file pointed to one.
    pub fn article_text(&self, article: &oxigraph::model::NamedNode) -> Result<Option<String>> {
        records::text(&self.store, article.as_ref())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn base(&self) -> &Base {
        &self.base
    }
}

/// Reads every index of the store in `dir` whole (RocksDB checks each block's checksum as it is
/// read) and checks that they agree (see [`verify`]): the number of quads and lookups, or the
/// damage found.
pub fn verify_dir(dir: &Path) -> Result<verify::Verified> {
    let (store, _) = layout::open(dir, None, false)?;
    verify::verify(&store)
}

/// The facts files and the registries the store in `dir` was built from.
pub fn source_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let (store, base) = layout::open(dir, None, false)?;
    let facts = records::recorded(&store, &base)?
        .into_keys()
        .map(PathBuf::from)
        .collect();
    let registries = records::registry_files(&store, &base)?
        .into_iter()
        .map(PathBuf::from)
        .collect();
    Ok((facts, registries))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// `data/seed/graph.nq` is what the seed's facts give; `NEWSKG_BLESS=1 cargo test --lib
    /// embedded` rewrites it after a change to the seed, the ontology or the mapping.
    #[test]
    fn embedded_quads_are_what_the_seed_facts_give() {
        let quads = testing::seed_quads();
        let nquads: String = quads.iter().map(|q| format!("{q} .\n")).collect();
        if nquads != EMBEDDED_NQUADS {
            if std::env::var_os("NEWSKG_BLESS").is_some() {
                let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(EMBEDDED_NQUADS_PATH);
                std::fs::write(path, &nquads).unwrap();
            } else {
                panic!(
                    "{EMBEDDED_NQUADS_PATH} is out of date with the seed's facts: rewrite it with `NEWSKG_BLESS=1 cargo test --lib embedded`"
                );
            }
        }
        let built = testing::seed_graph();
        let embedded = KnowledgeGraph::embedded().unwrap();
        let all =
            |g: &KnowledgeGraph| -> Vec<Quad> { g.store().iter().map(|q| q.unwrap()).collect() };
        assert_eq!(
            all(&embedded),
            all(&built),
            "not the same store, in the same order"
        );
    }
}
