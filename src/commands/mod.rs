//! One module per subcommand. Each takes plain, already-parsed options (no clap types) and
//! writes its output through the writer it is given.

pub mod check;
pub mod coverage;
pub mod export;
pub mod link;
pub mod queries;
pub mod query;
pub mod schema;

use crate::error::Result;
use crate::input;
use crate::mapping::Base;
use crate::ontology::Ontology;
use crate::store::KnowledgeGraph;
use std::path::PathBuf;

/// Options every command that reads articles shares.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Facts files or directories; empty means the embedded default.
    pub paths: Vec<PathBuf>,
    /// The base IRI for minted IRIs.
    pub base: Option<String>,
}

impl Inputs {
    pub fn base(&self) -> Result<Base> {
        match &self.base {
            Some(b) => Base::new(b),
            None => Ok(Base::default()),
        }
    }

    /// Validates the inputs and loads them into a knowledge graph.
    pub fn graph(&self) -> Result<KnowledgeGraph> {
        let base = self.base()?;
        let ontology = Ontology::embedded();
        let articles = input::articles(&self.paths, ontology)?;
        KnowledgeGraph::build(articles, base, ontology)
    }
}
