//! The one read-and-check pipeline every command uses, `build` included: facts files are read
//! ([`crate::input`]), parsed, checked ([`crate::validate`]) and checked against each other
//! ([`Corpus`]), a chunk of files at a time in parallel, and handed on in file order. What a
//! command makes of each checked article (quads, a summary line, a coverage report) is a
//! [`Stage`], run in parallel too; so memory holds a chunk, not the corpus. The corpus's
//! registries are read first: articles use their entities. What the files declare of their
//! entities is gathered into one description per entity ([`Descriptions`]).

use crate::catalog::Catalog;
use crate::error::{Diagnostic, Error, Result};
use crate::input::facts::{self, ArticleFile};
use crate::input::{self, SourceFile};
use crate::model::ValidArticle;
use crate::ontology::Ontology;
use crate::validate::corpus::{Corpus, Declarations, Duplicate};
use crate::validate::descriptions::Descriptions;
use crate::validate::registry::Registry;
use crate::validate::{self, ArticleText};
use rayon::prelude::*;
use std::path::PathBuf;

/// Files read, checked and mapped at a time (in parallel).
const CHUNK: usize = 64;

/// One facts file read and parsed, with the article text it points to.
pub struct Read {
    pub source: SourceFile,
    pub file: ArticleFile,
    pub text: ArticleText,
}

impl Read {
    /// Parses `source` and reads the text it points to.
    pub fn of(source: SourceFile) -> std::result::Result<Read, Vec<Diagnostic>> {
        let file = match facts::parse(&source) {
            Ok(file) => file,
            Err(Error::Invalid(d)) => return Err(d),
            Err(e) => return Err(vec![source.diagnostic_at(0, crate::error::chain(&e))]),
        };
        let text = file
            .article
            .text
            .as_deref()
            .map(|path| source.article_text(path));
        Ok(Read { source, file, text })
    }
}

/// What a command makes of the files: [`Stage::map`] for each checked article; [`Stage::skip`]
/// for the files it already knows (a store's unchanged articles), which are not checked again.
pub trait Stage: Sync {
    type Output: Send;

    /// `Some` when `read` need not be checked; its declarations still take part in the checks
    /// across files.
    fn skip(&self, _read: &Read) -> Option<Self::Output> {
        None
    }

    /// What the command makes of a checked article.
    fn map(&self, read: &Read, article: ValidArticle) -> Self::Output;
}

/// A [`Stage`] of one function on every checked article.
struct Map<F>(F);

impl<T: Send, F: Fn(ValidArticle) -> T + Sync> Stage for Map<F> {
    type Output = T;

    fn map(&self, _read: &Read, article: ValidArticle) -> T {
        (self.0)(article)
    }
}

/// What became of one file, in file order.
pub enum Outcome<T> {
    /// It could not be read (gone, unreadable): an I/O error.
    Unreadable(Error),
    /// Its problems, or those it has with the files before it.
    Invalid(Vec<Diagnostic>),
    /// Checked (or skipped) and in agreement with the files before it.
    Passed(T),
}

/// Where the articles come from.
#[derive(Debug, Clone, Copy)]
pub enum Sources<'a> {
    Files(&'a [PathBuf]),
    /// The embedded default (the seed article).
    Embedded,
}

/// A file of one chunk after the parallel part: what the stage made of it, and what it declares,
/// to be checked against the files before it in order.
enum Scanned<T> {
    Failed(Outcome<T>),
    Done(SourceFile, Declarations, T),
}

/// The pipeline: the ontology, catalog and registry the checks consult, and what the files read
/// so far declare.
pub struct Pipeline<'a> {
    pub ontology: &'a Ontology,
    pub catalog: &'a Catalog,
    registry: Registry,
    corpus: Corpus,
    descriptions: Descriptions,
    /// Told `(files done, files in all)` after each chunk (a command's progress bar).
    progress: Option<Box<dyn Fn(u64, u64) + Send + Sync + 'a>>,
}

impl<'a> Pipeline<'a> {
    pub fn new(ontology: &'a Ontology, catalog: &'a Catalog) -> Self {
        Pipeline {
            ontology,
            catalog,
            registry: Registry::default(),
            corpus: Corpus::default(),
            descriptions: Descriptions::default(),
            progress: None,
        }
    }

    /// Tells `progress` how many of the files are done after each chunk.
    pub fn with_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'a) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Reads and checks the corpus's registries (see [`Registry`]); their problems are the
    /// error.
    pub fn with_registries(mut self, files: &[PathBuf]) -> Result<Self> {
        if files.is_empty() {
            return Ok(self);
        }
        let sources = files
            .iter()
            .map(|f| SourceFile::read(f))
            .collect::<Result<Vec<_>>>()?;
        self.registry =
            Registry::load(sources, self.ontology, self.catalog).map_err(Error::Invalid)?;
        self.descriptions = Descriptions::default();
        self.descriptions.add_registry(&self.registry);
        Ok(self)
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The checks across files, to record what is known from elsewhere (a store's articles).
    pub fn corpus_mut(&mut self) -> &mut Corpus {
        &mut self.corpus
    }

    /// The descriptions of the entities of the registry and of the files that passed so far.
    pub fn descriptions(&self) -> &Descriptions {
        &self.descriptions
    }

    /// The ids of the files read so far (and of the registry) that are probably one entity.
    pub fn duplicates(&self) -> Vec<Duplicate> {
        self.corpus.duplicates(&self.registry, self.ontology)
    }

    /// Parses and checks one file on its own (no checks across files).
    pub fn check(&self, source: SourceFile) -> std::result::Result<ValidArticle, Vec<Diagnostic>> {
        self.check_read(&Read::of(source)?)
    }

    /// Checks one file read and parsed, on its own (no checks across files).
    pub fn check_read(&self, read: &Read) -> std::result::Result<ValidArticle, Vec<Diagnostic>> {
        validate::validate(
            &read.source,
            &read.file,
            &read.text,
            self.ontology,
            self.catalog,
            &self.registry,
        )
    }

    /// Runs every file of `files` through the pipeline; `each` gets each one's outcome, in
    /// order.
    pub fn run<S: Stage>(
        &mut self,
        files: &[PathBuf],
        stage: &S,
        mut each: impl FnMut(&PathBuf, Outcome<S::Output>) -> Result<()>,
    ) -> Result<()> {
        self.run_sources(files, |path| SourceFile::read(path), stage, &mut each)
    }

    fn run_sources<I: Sync, S: Stage>(
        &mut self,
        items: &[I],
        read: impl Fn(&I) -> Result<SourceFile> + Sync,
        stage: &S,
        each: &mut impl FnMut(&I, Outcome<S::Output>) -> Result<()>,
    ) -> Result<()> {
        let total = items.len() as u64;
        let mut done = 0;
        for chunk in items.chunks(CHUNK) {
            let scanned: Vec<Scanned<S::Output>> = chunk
                .par_iter()
                .map(|item| self.scan(read(item), stage))
                .collect();
            for (item, scanned) in chunk.iter().zip(scanned) {
                let outcome = match scanned {
                    Scanned::Failed(outcome) => outcome,
                    Scanned::Done(source, declared, output) => {
                        let problems = self.corpus.admit(&source, &declared);
                        if problems.is_empty() {
                            self.descriptions.add_declarations(&declared);
                            Outcome::Passed(output)
                        } else {
                            Outcome::Invalid(problems)
                        }
                    }
                };
                each(item, outcome)?;
            }
            done += chunk.len() as u64;
            if let Some(progress) = &self.progress {
                progress(done, total);
            }
        }
        Ok(())
    }

    /// The parallel part of one file: read, parse, check (or skip), map.
    fn scan<S: Stage>(&self, source: Result<SourceFile>, stage: &S) -> Scanned<S::Output> {
        let source = match source {
            Ok(source) => source,
            Err(Error::Invalid(d)) => return Scanned::Failed(Outcome::Invalid(d)),
            Err(e) => return Scanned::Failed(Outcome::Unreadable(e)),
        };
        let read = match Read::of(source) {
            Ok(read) => read,
            Err(d) => return Scanned::Failed(Outcome::Invalid(d)),
        };
        if let Some(output) = stage.skip(&read) {
            let declared = Declarations::of_file(&read.file, self.ontology, &self.registry);
            return Scanned::Done(read.source, declared, output);
        }
        match self.check_read(&read) {
            Ok(article) => {
                let declared = Declarations::of_article(&article);
                let output = stage.map(&read, article);
                Scanned::Done(read.source, declared, output)
            }
            Err(d) => Scanned::Failed(Outcome::Invalid(d)),
        }
    }

    /// Reads and checks every article of `sources`, mapping each with `map` (in parallel);
    /// `each` gets the mappings in order while no file had a problem. An unreadable file stops
    /// everything; the problems of every file are the error once all are read.
    pub fn stream<T: Send>(
        &mut self,
        sources: Sources<'_>,
        map: impl Fn(ValidArticle) -> T + Sync,
        mut each: impl FnMut(T) -> Result<()>,
    ) -> Result<()> {
        let mut problems = Vec::new();
        let mut take = |outcome: Outcome<T>| match outcome {
            Outcome::Unreadable(e) => Err(e),
            Outcome::Invalid(d) => {
                problems.extend(d);
                Ok(())
            }
            Outcome::Passed(t) if problems.is_empty() => each(t),
            Outcome::Passed(_) => Ok(()),
        };
        let stage = Map(map);
        match sources {
            Sources::Files(files) => self.run(files, &stage, |_, o| take(o))?,
            Sources::Embedded => {
                self.run_sources(&[()], |_| Ok(input::embedded()), &stage, &mut |_, o| {
                    take(o)
                })?
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(problems))
        }
    }

    /// Every checked article of `sources` (see [`Pipeline::stream`]).
    pub fn load(&mut self, sources: Sources<'_>) -> Result<Vec<ValidArticle>> {
        let mut articles = Vec::new();
        self.stream(
            sources,
            |a| a,
            |a| {
                articles.push(a);
                Ok(())
            },
        )?;
        Ok(articles)
    }
}
