//! newskg turns the facts that news articles about geopolitics state into an RDF knowledge graph
//! with the evidence of every fact: facts files (TOML or JSON) are checked against a small
//! geopolitics ontology, mapped to RDF, loaded into an embedded Oxigraph store, queried with
//! SPARQL and exported in the usual RDF formats.
//!
//! # The pipeline
//!
//! Each stage is a module that takes what the one before gives:
//!
//! | stage | takes | gives |
//! |---|---|---|
//! | [`input`] | paths, or the embedded default | facts files read and parsed ([`input::facts`]) |
//! | [`validate`] | a parsed file and its text | a [`ValidArticle`] ([`model`]), or every problem at its place |
//! | [`pipeline`] | files | each one read, checked, checked against the others, in order, a chunk at a time |
//! | [`mapping`] | a checked article | its quads, under a [`Base`] |
//! | [`store`] | quads | a [`KnowledgeGraph`]: in memory, or a persistent store built incrementally |
//! | [`query`], [`export`] | a graph | SPARQL results; RDF in every format, in canonical order |
//!
//! Beside them: [`link`] (Wikidata links of checked articles, from the [`catalog`] and, when
//! asked, a SPARQL endpoint) and [`coverage`] (the sentences no fact cites). Every stage consults
//! the [`ontology`] (and the catalog) it is given; [`vocab`] names the terms the code uses.
//! [`serve`] answers the SPARQL protocol over a graph; [`remote`] pushes one into another store
//! and queries it there. [`commands`] runs the stages for each subcommand. Under every stage: [`files`] reads input
//! files safely (regular files only, a size limit, article texts confined to their corpus) and
//! [`output`] writes output safely (standard output or a file replaced atomically, never an
//! input, devices and links kept), with the table printer.
//!
//! Nothing in a stage imports from a stage after it.

pub mod catalog;
pub mod commands;
pub mod coverage;
pub mod draft;
pub mod error;
pub mod export;
pub mod files;
pub mod input;
mod lexical;
pub mod link;
pub mod mapping;
pub mod model;
pub mod ontology;
pub mod output;
pub mod pipeline;
pub mod query;
pub mod remote;
pub mod serve;
pub mod store;
mod suggest;
pub mod validate;
pub mod vocab;

pub use catalog::Catalog;
pub use error::{Diagnostic, Error, Result};
pub use export::RdfOutput;
pub use mapping::Base;
pub use model::ValidArticle;
pub use ontology::Ontology;
pub use pipeline::{Pipeline, Sources};
pub use store::KnowledgeGraph;

#[cfg(test)]
pub(crate) mod testing {
    //! What the unit tests of several stages share: the seed article through the pipeline.

    use crate::pipeline::{Pipeline, Sources};
    use crate::{Base, Catalog, KnowledgeGraph, Ontology};
    use oxigraph::model::Quad;

    /// A fresh pipeline with the embedded ontology and catalog.
    pub fn pipeline() -> Pipeline<'static> {
        Pipeline::new(Ontology::embedded(), Catalog::embedded())
    }

    /// The seed's facts file, as a path in the repository.
    pub fn seed_path() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::input::EMBEDDED_FACTS_PATH)
    }

    /// The ontology's quads, the seed's, then its entities', in the order a knowledge graph
    /// loads them.
    pub fn seed_quads() -> Vec<Quad> {
        let ontology = Ontology::embedded();
        let base = Base::default();
        let mut quads: Vec<Quad> = ontology.quads().collect();
        let mut pipeline = pipeline();
        pipeline
            .stream(
                Sources::Embedded,
                |article| crate::store::loaded_quads(&article, &base, ontology),
                |q| {
                    quads.extend(q);
                    Ok(())
                },
            )
            .unwrap();
        quads.extend(crate::mapping::entities::quads(
            pipeline.descriptions(),
            &base,
            ontology,
        ));
        quads
    }

    /// The seed's knowledge graph, built from its facts file.
    pub fn seed_graph() -> KnowledgeGraph {
        KnowledgeGraph::load(Sources::Embedded, Base::default(), pipeline()).unwrap()
    }
}
