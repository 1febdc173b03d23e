//! One module per subcommand. Each takes plain, already-parsed options (no clap types) and
//! writes its output through the writer it is given.

pub mod build;
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
    /// A persistent store to read instead of files.
    pub store: Option<PathBuf>,
}

impl Inputs {
    pub fn base(&self) -> Result<Base> {
        match &self.base {
            Some(b) => Base::new(b),
            None => Ok(Base::default()),
        }
    }

    fn base_option(&self) -> Result<Option<Base>> {
        self.base.as_deref().map(Base::new).transpose()
    }

    /// The knowledge graph: the persistent store when one is given, else the inputs validated
    /// and loaded in memory.
    pub fn graph(&self) -> Result<KnowledgeGraph> {
        match &self.store {
            Some(dir) => {
                self.no_files_with_store()?;
                KnowledgeGraph::open(dir, self.base_option()?.as_ref())
            }
            // the embedded default, precomputed
            None if self.paths.is_empty() && self.base.is_none() => KnowledgeGraph::embedded(),
            None => self.load(),
        }
    }

    /// The facts files of the inputs and their base when `graph` would load files (not for a
    /// store or the embedded default).
    pub fn files(&self) -> Result<Option<(Vec<PathBuf>, Base)>> {
        if self.store.is_some() || self.paths.is_empty() {
            return Ok(None);
        }
        let base = self.base()?;
        Ok(Some((input::files(&self.paths)?, base)))
    }

    /// The articles themselves (for `check`, `link`, `coverage`): with a store, the facts files
    /// it was built from, read again.
    pub fn articles_graph(&self) -> Result<KnowledgeGraph> {
        match &self.store {
            Some(dir) => {
                self.no_files_with_store()?;
                let paths = crate::persistent::source_files(dir)?;
                Inputs {
                    paths,
                    base: self.base.clone(),
                    store: None,
                }
                .load()
            }
            None => self.load(),
        }
    }

    fn no_files_with_store(&self) -> Result<()> {
        if self.paths.is_empty() {
            Ok(())
        } else {
            Err(crate::error::Error::Usage(
                "-i and --store go together only in `newskg build`, which loads files into a store; other commands read either files or a store".into(),
            ))
        }
    }

    fn load(&self) -> Result<KnowledgeGraph> {
        let base = self.base()?;
        let ontology = Ontology::embedded();
        let articles = input::articles(&self.paths, ontology)?;
        KnowledgeGraph::build(articles, base, ontology)
    }
}
