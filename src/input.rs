//! Where articles come from: the files and directories given with `-i`, or the embedded default
//! (the seed article and its facts, compiled into the binary).

use crate::error::{Diagnostic, Error, Result};
use crate::facts;
use crate::ontology::Ontology;
use crate::source::{Format, SourceFile, SpanIndex};
use crate::validate::{self, ValidArticle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The embedded default's facts file, as it is in the repository.
pub const EMBEDDED_FACTS_PATH: &str = "data/seed/facts.toml";
const EMBEDDED_FACTS: &str = include_str!("../data/seed/facts.toml");
const EMBEDDED_TEXT: &str = include_str!("../data/seed/article.txt");

/// The embedded default's facts file.
pub fn embedded() -> SourceFile {
    SourceFile::embedded(
        EMBEDDED_FACTS_PATH,
        EMBEDDED_FACTS,
        Format::Toml,
        "article.txt",
        EMBEDDED_TEXT,
    )
}

/// The facts files named by `paths`: files as given, directories searched (recursively, in name
/// order) for `.toml` and `.json` files.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if Format::from_path(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

/// Checks across the articles of a corpus: one article per id; an entity id names one entity,
/// of one class, in every article.
#[derive(Default)]
struct Corpus {
    article_ids: BTreeMap<String, String>,
    classes: BTreeMap<String, (String, String)>,
}

impl Corpus {
    fn check(
        &mut self,
        source: &SourceFile,
        article: &ValidArticle,
        problems: &mut Vec<Diagnostic>,
    ) {
        // built on the first problem only
        let spans = std::cell::OnceCell::new();
        let spans = || spans.get_or_init(|| SpanIndex::new(&source.text, source.format));
        if let Some(first) = self
            .article_ids
            .insert(article.id.clone(), source.name.clone())
        {
            problems.push(source.diagnostic_at(
                spans().offset("article.id"),
                format!("article id `{}` is already used by {first}", article.id),
            ));
        }
        for (i, e) in article.entities.iter().enumerate() {
            match self.classes.get(&e.id) {
                Some((class, file)) if class != &e.class => {
                    problems.push(source.diagnostic_at(
                        spans().offset(&format!("entities[{i}].class")),
                        format!(
                            "entity `{}` has class {} here but {} in {file}; an entity id names one entity, of one class, across articles",
                            e.id,
                            crate::vocab::nkg_local(&e.class).unwrap_or(&e.class),
                            crate::vocab::nkg_local(class).unwrap_or(class),
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    self.classes
                        .insert(e.id.clone(), (e.class.clone(), source.name.clone()));
                }
            }
        }
    }

    /// Takes one checked source, in order: a valid article is checked against the others and
    /// returned; problems are added to `problems`; an error that stops everything is returned.
    fn take(
        &mut self,
        checked: Checked,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<Option<ValidArticle>> {
        match checked {
            Ok(Ok((source, article))) => {
                self.check(&source, &article, problems);
                Ok(Some(article))
            }
            Ok(Err(d)) | Err(Error::Invalid(d)) => {
                problems.extend(d);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// A source parsed and validated: its article, or its problems; or an error that stops
/// everything (an unreadable file).
type Checked = Result<std::result::Result<(SourceFile, ValidArticle), Vec<Diagnostic>>>;

fn check(source: Result<SourceFile>, ontology: &Ontology) -> Checked {
    let source = source?;
    let file = facts::parse(&source)?;
    Ok(validate::validate(&source, file, ontology).map(|article| (source, article)))
}

/// Parses and validates every source (in parallel); all problems of all files are reported
/// together, in the order of the sources.
pub fn load(sources: Vec<Result<SourceFile>>, ontology: &Ontology) -> Result<Vec<ValidArticle>> {
    let checked: Vec<Checked> = sources
        .into_par_iter()
        .map(|source| check(source, ontology))
        .collect();
    let mut corpus = Corpus::default();
    let mut problems = Vec::new();
    let mut articles = Vec::new();
    for checked in checked {
        articles.extend(corpus.take(checked, &mut problems)?);
    }
    if problems.is_empty() {
        Ok(articles)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Files read, parsed, validated and mapped at a time (in parallel) by [`stream`].
const CHUNK: usize = 64;

/// Reads, parses and validates `files` a chunk at a time, in parallel, mapping each valid
/// article with `map` (in parallel too); `each` gets the mappings in file order while no file
/// had a problem. The articles are not kept: memory holds a chunk. The problems, as [`load`]
/// reports them, are the error once every file is read.
pub fn stream<T: Send>(
    files: &[PathBuf],
    ontology: &Ontology,
    map: impl Fn(&ValidArticle) -> T + Sync,
    mut each: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let mut corpus = Corpus::default();
    let mut problems = Vec::new();
    for chunk in files.chunks(CHUNK) {
        let checked: Vec<(Checked, Option<T>)> = chunk
            .par_iter()
            .map(|path| {
                let checked = check(SourceFile::read(path), ontology);
                let mapped = match &checked {
                    Ok(Ok((_, article))) => Some(map(article)),
                    _ => None,
                };
                (checked, mapped)
            })
            .collect();
        for (checked, mapped) in checked {
            let valid = corpus.take(checked, &mut problems)?.is_some();
            if let Some(mapped) = mapped
                && valid
                && problems.is_empty()
            {
                each(mapped)?;
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The facts files named by `inputs` (see [`collect`]); none is an error.
pub fn files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let files = collect(inputs)?;
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no facts files (*.toml, *.json) in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(files)
}

/// The articles of the given inputs, or of the embedded default when there are none.
pub fn articles(inputs: &[PathBuf], ontology: &Ontology) -> Result<Vec<ValidArticle>> {
    if inputs.is_empty() {
        return load(vec![Ok(embedded())], ontology);
    }
    load_files(&files(inputs)?, ontology)
}

/// The articles of `files`, read in parallel and loaded (see [`load`]).
pub fn load_files(files: &[PathBuf], ontology: &Ontology) -> Result<Vec<ValidArticle>> {
    load(
        files.par_iter().map(|f| SourceFile::read(f)).collect(),
        ontology,
    )
}
