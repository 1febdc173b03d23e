//! The checks across the files of a corpus: one article per id, and an entity id that names one
//! entity, of one class, in every file. Files are admitted in order; a clash is reported in the
//! later file, at its place, naming the earlier one.

use crate::error::Diagnostic;
use crate::input::SourceFile;
use crate::input::SpanIndex;
use crate::input::facts::ArticleFile;
use crate::model::ValidArticle;
use crate::ontology::Ontology;
use crate::vocab;
use std::collections::BTreeMap;

/// What a file declares that other files must agree with.
#[derive(Debug, Clone)]
pub struct Declarations {
    pub article: String,
    /// (index in the file's `entities`, entity id, class IRI)
    pub entities: Vec<(usize, String, String)>,
}

impl Declarations {
    /// The declarations of a checked article.
    pub fn of_article(article: &ValidArticle) -> Declarations {
        Declarations {
            article: article.id.clone(),
            entities: article
                .entities
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e.id.clone(), e.class.clone()))
                .collect(),
        }
    }

    /// The declarations of a parsed file that is not checked again (one a store already holds,
    /// unchanged); classes the ontology does not know are left out.
    pub fn of_file(file: &ArticleFile, ontology: &Ontology) -> Declarations {
        Declarations {
            article: file.article.id.clone(),
            entities: file
                .entities
                .iter()
                .enumerate()
                .filter_map(|(i, e)| Some((i, e.id.clone(), ontology.class(&e.class)?.to_string())))
                .collect(),
        }
    }
}

/// What the files admitted so far declare.
#[derive(Debug, Default)]
pub struct Corpus {
    /// article id → the file that has it
    article_ids: BTreeMap<String, String>,
    /// entity id → (class IRI, the first file that declares it)
    classes: BTreeMap<String, (String, String)>,
}

impl Corpus {
    /// Records the declarations of `file` without checking them: an article known from elsewhere
    /// (a store's, whose file is not read again).
    pub fn known(&mut self, file: &str, declared: &Declarations) {
        self.article_ids
            .entry(declared.article.clone())
            .or_insert_with(|| file.to_string());
        for (_, id, class) in &declared.entities {
            self.classes
                .entry(id.clone())
                .or_insert_with(|| (class.clone(), file.to_string()));
        }
    }

    /// Checks the declarations of `source` against those admitted before, then records them;
    /// returns the problems, at their places in `source`.
    pub fn admit(&mut self, source: &SourceFile, declared: &Declarations) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        // built on the first problem only
        let spans = std::cell::OnceCell::new();
        let spans = || spans.get_or_init(|| SpanIndex::new(&source.text, source.format));
        match self.article_ids.get(&declared.article) {
            Some(first) if first != &source.name => problems.push(source.diagnostic_at(
                spans().offset("article.id"),
                format!(
                    "article id `{}` is already used by {first}",
                    declared.article
                ),
            )),
            Some(_) => {}
            None => {
                self.article_ids
                    .insert(declared.article.clone(), source.name.clone());
            }
        }
        for (i, id, class) in &declared.entities {
            match self.classes.get(id) {
                Some((first_class, file)) if first_class != class => {
                    problems.push(source.diagnostic_at(
                        spans().offset(&format!("entities[{i}].class")),
                        format!(
                            "entity `{id}` has class {} here but {} in {file}; an entity id names one entity, of one class, across articles",
                            vocab::nkg_local(class).unwrap_or(class),
                            vocab::nkg_local(first_class).unwrap_or(first_class),
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    self.classes
                        .insert(id.clone(), (class.clone(), source.name.clone()));
                }
            }
        }
        problems
    }
}
