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

/// Parses and validates every source (in parallel); all problems of all files are reported
/// together, in the order of the sources.
pub fn load(sources: Vec<Result<SourceFile>>, ontology: &Ontology) -> Result<Vec<ValidArticle>> {
    // per source: valid (with its article), invalid, or an error that stops everything
    type Checked = std::result::Result<(SourceFile, ValidArticle), Vec<Diagnostic>>;
    let checked: Vec<Result<Checked>> = sources
        .into_par_iter()
        .map(|source| {
            let source = source?;
            let file = facts::parse(&source)?;
            Ok(validate::validate(&source, file, ontology).map(|article| (source, article)))
        })
        .collect();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut articles = Vec::new();
    for checked in checked {
        match checked {
            Ok(Ok(valid)) => articles.push(valid),
            Ok(Err(d)) | Err(Error::Invalid(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    // Across files: one article per id; a shared entity has one class.
    let mut article_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut classes: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (source, article) in &articles {
        // built on the first problem only
        let spans = std::cell::OnceCell::new();
        let spans = || spans.get_or_init(|| SpanIndex::new(&source.text, source.format));
        if let Some(first) = article_ids.insert(article.id.clone(), source.name.clone()) {
            problems.push(source.diagnostic_at(
                spans().offset("article.id"),
                format!("article id `{}` is already used by {first}", article.id),
            ));
        }
        for (i, e) in article.entities.iter().enumerate() {
            match classes.get(&e.id) {
                Some((class, file)) if class != &e.class => {
                    problems.push(source.diagnostic_at(
                        spans().offset(&format!("entities[{i}].class")),
                        format!(
                            "entity `{}` is a {} here but a {} in {file}; an entity id names one entity across articles",
                            e.id,
                            crate::vocab::nkg_local(&e.class).unwrap_or(&e.class),
                            crate::vocab::nkg_local(class).unwrap_or(class),
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    classes.insert(e.id.clone(), (e.class.clone(), source.name.clone()));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(articles.into_iter().map(|(_, a)| a).collect())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The articles of the given inputs, or of the embedded default when there are none.
pub fn articles(inputs: &[PathBuf], ontology: &Ontology) -> Result<Vec<ValidArticle>> {
    if inputs.is_empty() {
        return load(vec![Ok(embedded())], ontology);
    }
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
    load(
        files.par_iter().map(|f| SourceFile::read(f)).collect(),
        ontology,
    )
}
