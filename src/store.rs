//! The knowledge graph: the ontology in its own graph and every article in its own, loaded into
//! an in-memory Oxigraph store.

use crate::error::{Error, Result};
use crate::mapping::{self, Base};
use crate::ontology::Ontology;
use crate::validate::ValidArticle;
use oxigraph::model::Quad;
use oxigraph::store::Store;

pub struct KnowledgeGraph {
    store: Store,
    base: Base,
    articles: Vec<ValidArticle>,
}

impl KnowledgeGraph {
    /// Maps the articles to quads and loads them with the ontology.
    pub fn build(articles: Vec<ValidArticle>, base: Base, ontology: &Ontology) -> Result<Self> {
        let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
        let mut quads: Vec<Quad> = ontology.quads().collect();
        for article in &articles {
            quads.extend(mapping::article_quads(article, &base, ontology));
        }
        store
            .extend(quads)
            .map_err(|e| Error::Store(e.to_string()))?;
        Ok(KnowledgeGraph {
            store,
            base,
            articles,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn base(&self) -> &Base {
        &self.base
    }

    pub fn articles(&self) -> &[ValidArticle] {
        &self.articles
    }

    /// Every quad, in a canonical order (graph, subject, predicate, object).
    pub fn sorted_quads(&self) -> Result<Vec<Quad>> {
        let mut quads = self
            .store
            .iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::Store(e.to_string()))?;
        quads.sort_by_cached_key(|q| {
            (
                q.graph_name.to_string(),
                q.subject.to_string(),
                q.predicate.to_string(),
                q.object.to_string(),
            )
        });
        Ok(quads)
    }
}
