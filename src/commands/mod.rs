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
use crate::validate::ValidArticle;
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

    /// The facts files the articles come from (for `check`, `link`, `coverage`): those of `-i`,
    /// or, with a store, the files it was built from (read again); `None` for the embedded
    /// default.
    fn article_files(&self) -> Result<Option<Vec<PathBuf>>> {
        match &self.store {
            Some(dir) => {
                self.no_files_with_store()?;
                Ok(Some(crate::persistent::source_files(dir)?))
            }
            None if self.paths.is_empty() => Ok(None),
            None => Ok(Some(input::files(&self.paths)?)),
        }
    }

    /// Reads and checks the articles a chunk of files at a time (see [`input::stream`]), without
    /// loading a store or keeping the articles: `map` runs on each valid article (in parallel)
    /// and `each` gets what it returned, in file order, while no file had a problem. The
    /// problems of every file are the error once all are read.
    pub fn each_article<T: Send>(
        &self,
        map: impl Fn(&ValidArticle) -> T + Sync,
        mut each: impl FnMut(T) -> Result<()>,
    ) -> Result<()> {
        let ontology = Ontology::embedded();
        match self.article_files()? {
            Some(files) => input::stream(&files, ontology, map, each),
            None => input::articles(&[], ontology)?
                .iter()
                .try_for_each(|article| each(map(article))),
        }
    }

    /// The articles, all of them (for `link`, which decides across articles); no store is
    /// loaded.
    pub fn articles(&self) -> Result<Vec<ValidArticle>> {
        let ontology = Ontology::embedded();
        match self.article_files()? {
            Some(files) => input::load_files(&files, ontology),
            None => input::articles(&[], ontology),
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
