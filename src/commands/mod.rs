//! The commands, one module each, over the stages. Each takes plain, validated options (the
//! binary builds them from its command line; nothing here sees clap) and writes what it prints
//! through the writer it is given. [`run`] runs one on standard output; it is where the
//! embedded ontology and catalog are chosen.

pub mod build;
pub mod check;
pub mod coverage;
pub mod draft;
pub mod export;
pub mod link;
pub mod push;
pub mod queries;
pub mod query;
pub mod schema;
pub mod serve;

use crate::catalog::Catalog;
use crate::error::Result;
use crate::input::rdf::RdfSyntax;
use crate::mapping::Base;
use crate::mapping::plain::PlainGraph;
use crate::model::ValidArticle;
use crate::ontology::Ontology;
use crate::output;
use crate::pipeline::{Pipeline, Sources};
use crate::store::{self, KnowledgeGraph};
use crate::validate::corpus::Duplicate;
use std::path::PathBuf;

/// Where a command's articles come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The embedded default (the seed article), its IRIs under `base`.
    Embedded { base: Base },
    /// Facts files, and directories searched for them (and for registries); `registries` are
    /// the ones named with `--registry`.
    Files {
        paths: Vec<PathBuf>,
        registries: Vec<PathBuf>,
        base: Base,
        /// `--input-format`: the syntax of the RDF files named (else their extensions say).
        rdf_format: Option<RdfSyntax>,
    },
    /// A persistent store built by `newskg build`; `base`, when given, must be the store's.
    Store { dir: PathBuf, base: Option<Base> },
}

impl Default for Source {
    fn default() -> Self {
        Source::Embedded {
            base: Base::default(),
        }
    }
}

/// The pipeline with the ontology and catalog compiled into the binary.
/// A progress bar of the articles read, on standard error when it is a terminal (silent
/// otherwise), cleared once every file is read or when it is dropped.
fn progress_bar() -> impl Fn(u64, u64) + Send + Sync {
    struct Bar(indicatif::ProgressBar);
    impl Drop for Bar {
        fn drop(&mut self) {
            self.0.finish_and_clear();
        }
    }
    let bar = Bar(indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles read {elapsed}")
            .expect("a valid template"),
    ));
    move |done, total| {
        bar.0.set_length(total);
        bar.0.set_position(done);
        if done >= total {
            bar.0.finish_and_clear();
        }
    }
}

pub fn pipeline() -> Pipeline<'static> {
    Pipeline::new(Ontology::embedded(), Catalog::embedded())
}

impl Source {
    /// The base IRI the command line gave (`None` for a store's own, unless given).
    pub fn base(&self) -> Option<Base> {
        match self {
            Source::Embedded { base } | Source::Files { base, .. } => Some(base.clone()),
            Source::Store { base, .. } => base.clone(),
        }
    }

    /// The knowledge graph: the persistent store, the embedded default, or the files checked
    /// and loaded in memory.
    pub fn graph(&self) -> Result<KnowledgeGraph> {
        match self {
            Source::Store { dir, base } => KnowledgeGraph::open(dir, base.as_ref()),
            // precomputed
            Source::Embedded { base } if base == &Base::default() => KnowledgeGraph::embedded(),
            Source::Embedded { base } => {
                KnowledgeGraph::load(Sources::Embedded, base.clone(), pipeline())
            }
            Source::Files { base, .. } => {
                // the RDF files first: they are read whole before the facts are loaded
                let plain = self.plain()?;
                let (files, pipeline) = self.files()?.unwrap_or_else(|| (Vec::new(), pipeline()));
                let graph = KnowledgeGraph::load(Sources::Files(&files), base.clone(), pipeline)?;
                graph.add_plain(&plain)?;
                Ok(graph)
            }
        }
    }

    /// The plain RDF files named with `-i`, each in its graph (see [`crate::mapping::plain`]);
    /// none for a store (it holds those it was built with) or the embedded default.
    pub fn plain(&self) -> Result<Vec<PlainGraph>> {
        match self {
            Source::Files {
                paths,
                base,
                rdf_format,
                ..
            } => {
                let rdf = crate::input::named_rdf(paths, *rdf_format)?;
                crate::mapping::plain::read(&rdf, base, *rdf_format)
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The facts files of the articles and a pipeline with their registries (for `check`,
    /// `link`, `coverage`, exports): those named, or, with a store, the files (and registries)
    /// it was built from (read again); `None` for the embedded default.
    pub fn files(&self) -> Result<Option<(Vec<PathBuf>, Pipeline<'static>)>> {
        let (facts, registries) = match self {
            Source::Store { dir, .. } => store::source_files(dir)?,
            Source::Embedded { .. } => return Ok(None),
            Source::Files {
                paths,
                registries,
                rdf_format,
                ..
            } => {
                let collected = crate::input::files(paths, registries, *rdf_format)?;
                (collected.facts, collected.registries)
            }
        };
        let pipeline = pipeline().with_registries(&registries)?;
        Ok(Some((facts, pipeline.with_progress(progress_bar()))))
    }

    /// Reads and checks the articles a chunk of files at a time, without loading a store or
    /// keeping the articles (see [`Pipeline::stream`]).
    pub fn each_article<T: Send>(
        &self,
        map: impl Fn(ValidArticle) -> T + Sync,
        each: impl FnMut(T) -> Result<()>,
    ) -> Result<()> {
        self.stream(map, each).map(|_| ())
    }

    /// Like [`Source::each_article`], and gives the pipeline once every file is read (what the
    /// corpus declares, its probable duplicates).
    pub fn stream<T: Send>(
        &self,
        map: impl Fn(ValidArticle) -> T + Sync,
        each: impl FnMut(T) -> Result<()>,
    ) -> Result<Pipeline<'static>> {
        let (mut pipeline, files) = match self.files()? {
            Some((files, pipeline)) => (pipeline, Some(files)),
            None => (pipeline(), None),
        };
        match &files {
            Some(files) => pipeline.stream(Sources::Files(files), map, each)?,
            None => pipeline.stream(Sources::Embedded, map, each)?,
        }
        Ok(pipeline)
    }

    /// The articles, all of them (for `link`, which decides across articles); no store is
    /// loaded.
    pub fn articles(&self) -> Result<Vec<ValidArticle>> {
        let mut articles = Vec::new();
        self.each_article(
            |a| a,
            |a| {
                articles.push(a);
                Ok(())
            },
        )?;
        Ok(articles)
    }
}

/// How a command that ran to its end went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Success,
    /// It did its work but must say so and exit with status 1 (files that could not be loaded,
    /// `--strict` and uncited sentences): why.
    Failed(String),
}

/// Every command, with its options.
#[derive(Debug)]
pub enum Command {
    Build(build::Options),
    Check(check::Options),
    Query(query::Options),
    Coverage(coverage::Options),
    Draft(draft::Options),
    Link(link::Options),
    Queries(queries::Options),
    Export(export::Options),
    Push(push::Options),
    Serve(serve::Options),
    Schema,
}

/// Runs a command; what it prints goes to standard output (or, for `export -o`, to its file).
pub fn run(command: Command) -> Result<Status> {
    let stdout = |write: &dyn Fn(&mut dyn std::io::Write) -> Result<Status>| {
        output::to_output(None, |out| write(out))
    };
    match command {
        Command::Build(options) => stdout(&|out| build::run(&options, out)),
        Command::Check(options) => stdout(&|out| check::run(&options, out)),
        Command::Query(options) => stdout(&|out| query::run(&options, out)),
        Command::Coverage(options) => stdout(&|out| coverage::run(&options, out)),
        Command::Link(options) => stdout(&|out| link::run(&options, out)),
        Command::Queries(options) => stdout(&|out| queries::run(&options, out)),
        Command::Export(options) => export::run(&options),
        Command::Draft(options) => draft::run(&options),
        Command::Push(options) => stdout(&|out| push::run(&options, out)),
        Command::Serve(options) => serve::run(&options),
        Command::Schema => stdout(&|out| schema::run(out)),
    }
}

/// `n noun`, with the plural where `n` is not 1.
pub(crate) fn count(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "entity") => format!("{n} entities"),
        _ => format!("{n} {noun}s"),
    }
}

/// Groups of probable duplicates shown at the most; `newskg link` lists them all.
const DUPLICATES_SHOWN: usize = 10;

/// Says on standard error which ids are probably one entity (a warning: the command still
/// succeeds), grouped, and how to merge them.
pub(crate) fn warn_duplicates(duplicates: &[Duplicate]) {
    if duplicates.is_empty() {
        return;
    }
    let n = duplicates.len();
    eprintln!(
        "newskg: warning: {n} group{} of ids that may be one entity; if so, merge them in the registry ([[merges]] id = \"…\" into = \"…\"; `newskg link` proposes each merge):",
        if n == 1 { "" } else { "s" }
    );
    for d in duplicates.iter().take(DUPLICATES_SHOWN) {
        eprintln!("  {}", describe_duplicate(d));
    }
    if duplicates.len() > DUPLICATES_SHOWN {
        eprintln!(
            "  … and {} more (`newskg link` lists them all)",
            duplicates.len() - DUPLICATES_SHOWN
        );
    }
}

/// "`a` (file:line:col, 3 files) and `b` (…): the same Wikidata ID, Q1".
pub(crate) fn describe_duplicate(d: &Duplicate) -> String {
    let ids: Vec<String> = d
        .ids
        .iter()
        .map(|i| match (i.registry, i.files) {
            (true, 0) => format!("`{}` ({}, the registry)", i.id, i.place),
            (true, n) => format!(
                "`{}` ({}, the registry and {})",
                i.id,
                i.place,
                count(n, "file")
            ),
            (false, n) => format!("`{}` ({}, {})", i.id, i.place, count(n, "file")),
        })
        .collect();
    format!("{}: {}", ids.join(" and "), d.reason)
}
