//! The knowledge graph: the ontology in its own graph and every article in its own, loaded into
//! an in-memory Oxigraph store.

use crate::error::{Error, Result};
use crate::mapping::{self, Base};
use crate::ontology::Ontology;
use crate::validate::ValidArticle;
use oxigraph::io::RdfFormat;
use oxigraph::model::Quad;
use oxigraph::store::Store;
use rayon::prelude::*;

/// The quads of the ontology and `articles`, in the order [`KnowledgeGraph::build`] loads them
/// (which decides the order of equal solutions of a query).
#[cfg(test)]
fn quads(articles: &[ValidArticle], base: &Base, ontology: &Ontology) -> Vec<Quad> {
    let mut quads: Vec<Quad> = ontology.quads().collect();
    for article in articles {
        quads.extend(mapping::article_quads(article, base, ontology));
    }
    quads
}

/// The embedded default's quads, as N-Quads in the order `KnowledgeGraph::build` loads them, so
/// that both give the same store and the same answers.
pub const EMBEDDED_NQUADS_PATH: &str = "data/seed/graph.nq";
const EMBEDDED_NQUADS: &str = include_str!("../data/seed/graph.nq");

pub struct KnowledgeGraph {
    store: Store,
    base: Base,
    articles: Vec<ValidArticle>,
}

/// Articles mapped at a time (in parallel) while the previous ones are loaded.
const MAP_CHUNK: usize = 64;

impl KnowledgeGraph {
    /// Maps the articles to quads and loads them after the ontology's, article by article: the
    /// articles are mapped a chunk at a time in parallel while the previous chunk is loaded.
    pub fn build(articles: Vec<ValidArticle>, base: Base, ontology: &Ontology) -> Result<Self> {
        let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Vec<Quad>>>(2);
            let (articles, base) = (&articles, &base);
            scope.spawn(move || {
                for chunk in articles.chunks(MAP_CHUNK) {
                    let mapped = chunk
                        .par_iter()
                        .map(|a| mapping::article_quads(a, base, ontology))
                        .collect();
                    if sender.send(mapped).is_err() {
                        return;
                    }
                }
            });
            let mapped = receiver.into_iter().flatten().flatten();
            store.extend(ontology.quads().chain(mapped))
        })
        .map_err(|e| Error::Store(e.to_string()))?;
        Ok(KnowledgeGraph {
            store,
            base,
            articles,
        })
    }

    /// The embedded default (the seed article) with the base `Base::default()`, from its
    /// precomputed quads: loading them takes a fraction of checking and mapping the seed's facts
    /// on every run. A test keeps them equal to what the facts give.
    pub fn embedded() -> Result<Self> {
        let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
        store
            // lenient: the file is ours and tested, so its IRIs are not validated again
            .load_from_slice(
                oxigraph::io::RdfParser::from_format(RdfFormat::NQuads).lenient(),
                EMBEDDED_NQUADS,
            )
            .map_err(|e| Error::Store(format!("{EMBEDDED_NQUADS_PATH}: {e}")))?;
        Ok(KnowledgeGraph {
            store,
            base: Base::default(),
            articles: Vec::new(),
        })
    }

    /// The knowledge graph of a persistent store (`newskg build --store DIR`).
    pub fn open(dir: &std::path::Path, base: Option<&Base>) -> Result<Self> {
        let (store, base) = crate::persistent::open(dir, base, false)?;
        Ok(KnowledgeGraph {
            store,
            base,
            articles: Vec::new(),
        })
    }

    /// The ids of the entities in the graph.
    pub fn entity_ids(&self) -> Result<Vec<String>> {
        if !self.articles.is_empty() {
            return Ok(self
                .articles
                .iter()
                .flat_map(|a| a.entities.iter().map(|e| e.id.clone()))
                .collect());
        }
        let prefix = format!("{}entity/", self.base.as_str());
        let rdf_type = oxigraph::model::NamedNodeRef::new_unchecked(crate::vocab::rdf::TYPE);
        let mut ids = std::collections::BTreeSet::new();
        for quad in self
            .store
            .quads_for_pattern(None, Some(rdf_type), None, None)
        {
            let quad = quad.map_err(|e| Error::Store(e.to_string()))?;
            if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = &quad.subject
                && let Some(id) = n.as_str().strip_prefix(&prefix)
            {
                ids.insert(id.to_string());
            }
        }
        Ok(ids.into_iter().collect())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn base(&self) -> &Base {
        &self.base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `data/seed/graph.nq` is what the seed's facts give; `NEWSKG_BLESS=1 cargo test --lib
    /// embedded` rewrites it after a change to the seed, the ontology or the mapping.
    #[test]
    fn embedded_quads_are_what_the_seed_facts_give() {
        let ontology = Ontology::embedded();
        let articles = crate::input::load(vec![Ok(crate::input::embedded())], ontology).unwrap();
        let quads = quads(&articles, &Base::default(), ontology);
        let nquads: String = quads.iter().map(|q| format!("{q} .\n")).collect();
        if nquads != EMBEDDED_NQUADS {
            if std::env::var_os("NEWSKG_BLESS").is_some() {
                let path =
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(EMBEDDED_NQUADS_PATH);
                std::fs::write(path, &nquads).unwrap();
            } else {
                panic!(
                    "{EMBEDDED_NQUADS_PATH} is out of date with the seed's facts: rewrite it with `NEWSKG_BLESS=1 cargo test --lib embedded`"
                );
            }
        }
        let built = KnowledgeGraph::build(articles, Base::default(), ontology).unwrap();
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
