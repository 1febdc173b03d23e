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

    pub fn articles(&self) -> &[ValidArticle] {
        &self.articles
    }
}
