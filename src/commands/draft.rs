//! `newskg draft ARTICLE.txt`: the facts file a curator completes, drafted from the raw text
//! (see [`crate::draft`]).

use super::{Status, pipeline};
use crate::catalog::Catalog;
use crate::draft::{self, names::Candidate, names::Names};
use crate::error::{Diagnostic, Error, Result};
use crate::input::{self, SourceFile, facts, line_col};
use crate::ontology::Ontology;
use crate::output;
use std::path::{Path, PathBuf};

/// How a draft is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftFormat {
    Toml,
    Json,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// The article's text.
    pub article: PathBuf,
    /// Registries whose entities the draft proposes by their ids.
    pub registries: Vec<PathBuf>,
    /// Facts files (or directories) whose entities it proposes too.
    pub inputs: Vec<PathBuf>,
    /// Where to write the draft (standard output when `None`).
    pub output: Option<PathBuf>,
    /// TOML unless given, or unless `output` ends in `.json`.
    pub format: Option<DraftFormat>,
}

pub fn run(options: &Options) -> Result<Status> {
    let name = options.article.display().to_string();
    let text = read_text(&options.article, &name)?;
    let (ontology, catalog) = (Ontology::embedded(), Catalog::embedded());
    let names = corpus_names(options, ontology)?;
    let stem = options
        .article
        .file_stem()
        .map(|s| crate::lexical::slugify(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "article".into());
    let text_path = text_path(&options.article, options.output.as_deref());
    let d = draft::draft(&text, &name, &stem, &text_path, names, catalog);
    let format =
        options
            .format
            .unwrap_or(match options.output.as_ref().and_then(|o| o.extension()) {
                Some(e) if e == "json" => DraftFormat::Json,
                _ => DraftFormat::Toml,
            });
    let rendered = match format {
        DraftFormat::Toml => draft::to_toml(&d),
        DraftFormat::Json => draft::to_json(&d),
    };
    output::to_output(options.output.as_deref(), |out| {
        out.write_all(rendered.as_bytes()).map_err(Error::stdout)
    })?;
    if let Some(o) = &options.output {
        eprintln!(
            "{}: {} entities and {} fact stubs drafted from {name}; complete them, then `newskg check -i {}`",
            o.display(),
            d.entities.len(),
            d.facts.len(),
            o.display()
        );
    }
    Ok(Status::Success)
}

/// The article's text: a regular file of at most [`draft::MAX_TEXT`] bytes of UTF-8 text.
fn read_text(path: &Path, name: &str) -> Result<String> {
    let bytes = crate::files::read_file(path).map_err(|e| Error::read(name, e))?;
    let at = |line: usize, column: usize, message: String| {
        Error::Invalid(vec![Diagnostic {
            file: name.to_string(),
            line,
            column,
            message,
        }])
    };
    if bytes.len() > draft::MAX_TEXT {
        return Err(at(
            1,
            1,
            format!(
                "the text is {} bytes; a draft is made of at most {} (4 MiB: a news article is a few tens of kilobytes)",
                bytes.len(),
                draft::MAX_TEXT
            ),
        ));
    }
    let text = crate::input::source::utf8(name, bytes)?;
    if let Some(nul) = text.find('\0') {
        let (line, column) = line_col(&text, nul);
        return Err(at(
            line,
            column,
            "not a text: it holds a NUL character (a binary file?)".into(),
        ));
    }
    if text.trim().is_empty() {
        return Err(at(
            1,
            1,
            "the text is empty: there is nothing to draft".into(),
        ));
    }
    Ok(text)
}

/// The names of the corpus: the registries' entities and those the facts files declare. A
/// registry or a facts file with problems is an error (its problems listed).
fn corpus_names<'o>(options: &Options, ontology: &'o Ontology) -> Result<Names<'o>> {
    let collected = if options.inputs.is_empty() {
        input::Collected::default()
    } else {
        input::collect(&options.inputs, None)?
    };
    let mut registries = options.registries.clone();
    registries.extend(collected.registries);
    let pipeline = pipeline().with_registries(&registries)?;
    let mut names = Names::new(ontology);
    for r in pipeline.registry().entities() {
        let e = &r.entity;
        names.add(
            Candidate {
                id: e.id.clone(),
                class: e.class.clone(),
                label: e.label.clone(),
                wikidata: e.wikidata.clone(),
                from: "the registry".into(),
            },
            &e.aliases,
        );
    }
    for path in &collected.facts {
        let source = SourceFile::read(path)?;
        let file = facts::parse(&source)?;
        if !file.shape.problems.is_empty() {
            return Err(Error::Invalid(file.shape.problems));
        }
        for e in &file.entities {
            // (an entity of a class the ontology does not have is the file's problem: `check`
            // says so; the draft does not propose it)
            let Some(class) = ontology.class(&e.class) else {
                continue;
            };
            names.add(
                Candidate {
                    id: e.id.clone(),
                    class: class.to_string(),
                    label: e.label.clone(),
                    wikidata: e.wikidata.clone(),
                    from: source.name.clone(),
                },
                &e.aliases,
            );
        }
    }
    Ok(names)
}

/// The article's path as the facts file will name it: relative to the file's directory when
/// the article lies under it, else absolute (then `check` needs `--text-root`).
fn text_path(article: &Path, output: Option<&Path>) -> String {
    let dir = match output {
        Some(o) => o
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
        None => PathBuf::from("."),
    };
    let (Ok(article_abs), Ok(dir_abs)) = (article.canonicalize(), dir.canonicalize()) else {
        return article.display().to_string();
    };
    match article_abs.strip_prefix(&dir_abs) {
        Ok(relative) => relative.display().to_string(),
        Err(_) => {
            eprintln!(
                "newskg: note: {} is not under {}: the draft names it by its absolute path, and `newskg check` reads it with --text-root",
                article.display(),
                dir.display()
            );
            article_abs.display().to_string()
        }
    }
}
