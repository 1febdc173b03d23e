//! The checks across the files of a corpus: one article per id, and an entity id that names one
//! entity in every file, described the same way (class, label, Wikidata ID, what it stands for;
//! aliases and notes may differ and add up). Files are admitted in order; a clash is reported in
//! the later file, at its place, naming the earlier one's place. Once all are admitted, ids that
//! are probably one entity (a shared Wikidata ID, labels that match once folded) are listed.

use super::registry::{Place, Registry};
use crate::catalog::normalize;
use crate::error::Diagnostic;
use crate::input::facts::ArticleFile;
use crate::input::{SourceFile, SpanIndex};
use crate::model::{ValidArticle, ValidEntity};
use crate::ontology::Ontology;
use crate::vocab;
use std::collections::{BTreeMap, BTreeSet};

/// What a file declares that other files must agree with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Declarations {
    pub article: String,
    /// The article's language, for the labels of its entities.
    pub language: Option<String>,
    /// (index in the file's `entities`, the entity)
    pub entities: Vec<(usize, ValidEntity)>,
}

impl Declarations {
    /// The declarations of a checked article.
    pub fn of_article(article: &ValidArticle) -> Declarations {
        Declarations {
            article: article.id.clone(),
            language: article.language.clone(),
            entities: article.entities.iter().cloned().enumerate().collect(),
        }
    }

    /// The declarations of a parsed file that is not checked again (one a store already holds,
    /// unchanged); classes the ontology does not know are left out.
    pub fn of_file(file: &ArticleFile, ontology: &Ontology, registry: &Registry) -> Declarations {
        let entities = file
            .entities
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let entity = ValidEntity {
                    id: registry.resolve(&e.id).to_string(),
                    class: ontology.class(&e.class)?.to_string(),
                    label: e.label.clone(),
                    aliases: e.aliases.clone(),
                    wikidata: e.wikidata.clone(),
                    stands_for: e
                        .stands_for
                        .as_deref()
                        .map(|s| registry.resolve(s).to_string()),
                    note: e.note.clone(),
                };
                Some((i, entity))
            })
            .collect();
        Declarations {
            article: file.article.id.clone(),
            language: file.article.language.clone(),
            entities,
        }
    }
}

/// "entity `x` has the label “A” here but “B” at FILE:L:C".
pub fn disagreement(
    id: &str,
    key: &str,
    here: Option<&str>,
    there: Option<&str>,
    place: &dyn std::fmt::Display,
) -> String {
    let what = match key {
        "class" => "class",
        "label" => "the label",
        "wikidata" => "the Wikidata ID",
        _ => "`stands_for`",
    };
    let value = |v: &str| match key {
        "label" => format!("“{v}”"),
        "class" => v.to_string(),
        _ => format!("`{v}`"),
    };
    let (here, there) = match (here, there) {
        (Some(h), Some(t)) => (format!("{what} {}", value(h)), value(t)),
        (Some(h), None) => (format!("{what} {}", value(h)), "none".to_string()),
        (None, Some(t)) => (
            format!("no {}", &what[what.find(' ').map_or(0, |i| i + 1)..]),
            value(t),
        ),
        (None, None) => (format!("no {what}"), "none".to_string()),
    };
    format!(
        "entity `{id}` has {here} here but {there} at {place}; an entity id names one entity, described the same way in every file (or once, in the registry)"
    )
}

/// The first declaration of an entity, which the later ones must agree with.
#[derive(Debug, Clone)]
struct First {
    entity: ValidEntity,
    /// The file, and the index of the declaration in its `entities`.
    file: String,
    index: usize,
    /// How many files declare it.
    files: usize,
}

/// What the files admitted so far declare.
#[derive(Debug, Default)]
pub struct Corpus {
    /// article id → the file that has it
    article_ids: BTreeMap<String, String>,
    /// entity id → its first declaration
    entities: BTreeMap<String, First>,
}

/// Ids that are probably one entity, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duplicate {
    pub reason: String,
    pub ids: Vec<DuplicateId>,
}

/// One of the ids of a [`Duplicate`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DuplicateId {
    pub id: String,
    /// Where it is first declared (`file:line:col`).
    pub place: String,
    /// How many files declare it.
    pub files: usize,
    /// Whether the registry describes it.
    pub registry: bool,
    /// Whether it has a Wikidata ID.
    pub linked: bool,
}

impl Duplicate {
    /// The id to keep should they be one entity: the registry's, else one with a Wikidata ID,
    /// else the one the most files declare, else the shortest.
    pub fn kept(&self) -> &str {
        self.ids
            .iter()
            .max_by_key(|d| (d.registry, d.linked, d.files, usize::MAX - d.id.len()))
            .map_or("", |d| d.id.as_str())
    }
}

impl Corpus {
    /// Records the declarations of `file` without checking them: an article known from elsewhere
    /// (a store's, whose file is not read again).
    pub fn known(&mut self, file: &str, declared: &Declarations) {
        self.article_ids
            .entry(declared.article.clone())
            .or_insert_with(|| file.to_string());
        for (index, entity) in &declared.entities {
            self.entities
                .entry(entity.id.clone())
                .and_modify(|f| f.files += 1)
                .or_insert_with(|| First {
                    entity: entity.clone(),
                    file: file.to_string(),
                    index: *index,
                    files: 1,
                });
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
        for (index, entity) in &declared.entities {
            let Some(first) = self.entities.get_mut(&entity.id) else {
                self.entities.insert(
                    entity.id.clone(),
                    First {
                        entity: entity.clone(),
                        file: source.name.clone(),
                        index: *index,
                        files: 1,
                    },
                );
                continue;
            };
            if first.file != source.name {
                first.files += 1;
            }
            let there = &first.entity;
            let checks = [
                (
                    "class",
                    Some(local(&entity.class)),
                    Some(local(&there.class)),
                ),
                (
                    "label",
                    Some(entity.label.as_str()),
                    Some(there.label.as_str()),
                ),
                (
                    "wikidata",
                    entity.wikidata.as_deref(),
                    there.wikidata.as_deref(),
                ),
                (
                    "stands_for",
                    entity.stands_for.as_deref(),
                    there.stands_for.as_deref(),
                ),
            ];
            for (key, here, there) in checks {
                if here == there {
                    continue;
                }
                let place = place_in(&first.file, &format!("entities[{}].{key}", first.index));
                let message = if key == "class" {
                    // (the words `check` has always used for a class)
                    format!(
                        "entity `{}` has class {} here but {} in {place}; an entity id names one entity, of one class, across articles",
                        entity.id,
                        here.unwrap_or_default(),
                        there.unwrap_or_default()
                    )
                } else {
                    disagreement(&entity.id, key, here, there, &place)
                };
                problems.push(
                    source.diagnostic_at(
                        spans().offset(&format!("entities[{index}].{key}")),
                        message,
                    ),
                );
            }
        }
        problems.sort();
        problems
    }

    /// The ids that are probably one entity: ids (of the files admitted, and of the registry)
    /// that share a Wikidata ID, or whose labels match once case, diacritics and punctuation are
    /// folded while their classes are compatible; merged ids are one entity already.
    pub fn duplicates(&self, registry: &Registry, ontology: &Ontology) -> Vec<Duplicate> {
        // id → (entity, where it is first declared, files); places of files are found again
        // only for the ids listed
        let mut all: BTreeMap<&str, (&ValidEntity, Where<'_>, usize)> = BTreeMap::new();
        for r in registry.entities() {
            all.insert(&r.entity.id, (&r.entity, Where::Known(&r.place), 0));
        }
        for (id, f) in &self.entities {
            all.entry(id).and_modify(|e| e.2 += f.files).or_insert((
                &f.entity,
                Where::File(&f.file, f.index),
                f.files,
            ));
        }
        let mut by_qid: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut by_label: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (id, (e, _, _)) in &all {
            if let Some(q) = &e.wikidata {
                by_qid.entry(q).or_default().push(id);
            }
            by_label.entry(normalize(&e.label)).or_default().push(id);
        }
        let mut found: BTreeSet<Duplicate> = BTreeSet::new();
        let listed = |ids: &[&str]| -> Vec<DuplicateId> {
            ids.iter()
                .map(|id| {
                    let (entity, place, files) = &all[id];
                    DuplicateId {
                        id: id.to_string(),
                        place: place.to_string(),
                        files: *files,
                        registry: registry.get(id).is_some_and(|r| r.entity.id == *id),
                        linked: entity.wikidata.is_some(),
                    }
                })
                .collect()
        };
        for (qid, ids) in &by_qid {
            if ids.len() > 1 {
                found.insert(Duplicate {
                    reason: format!("the same Wikidata ID, {qid}"),
                    ids: listed(ids),
                });
            }
        }
        for ids in by_label.values() {
            // only ids of compatible classes; those of one Wikidata ID are listed already
            let compatible: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| {
                    ids.iter().any(|other| {
                        other != id
                            && ontology.compatible(&all[id].0.class, &all[other].0.class)
                            && (all[id].0.wikidata.is_none()
                                || all[id].0.wikidata != all[other].0.wikidata)
                    })
                })
                .collect();
            if compatible.len() > 1 {
                let labels: BTreeSet<&str> = compatible
                    .iter()
                    .map(|id| all[id].0.label.as_str())
                    .collect();
                let labels: Vec<String> = labels.iter().map(|l| format!("“{l}”")).collect();
                found.insert(Duplicate {
                    reason: format!("labels that match: {}", labels.join(", ")),
                    ids: listed(&compatible),
                });
            }
        }
        // a person named by the surname alone, beside the one person of that surname named in
        // full ("Erdoğan" and "Recep Tayyip Erdoğan"); a surname that several share names none
        let person = |e: &ValidEntity| ontology.is_subclass_of(&e.class, vocab::nkg::PERSON);
        for (id, (e, _, _)) in &all {
            let surname = normalize(&e.label);
            if !person(e) || surname.contains(' ') || surname.chars().count() < 3 {
                continue;
            }
            let full: Vec<&str> = all
                .iter()
                .filter(|(other, (o, _, _))| {
                    *other != id
                        && person(o)
                        && normalize(&o.label).contains(' ')
                        && normalize(&o.label).rsplit(' ').next() == Some(surname.as_str())
                })
                .map(|(other, _)| *other)
                .collect();
            if let [other] = full.as_slice() {
                if e.wikidata.is_some() && e.wikidata == all[other].0.wikidata {
                    continue; // listed already, by their Wikidata ID
                }
                found.insert(Duplicate {
                    reason: format!(
                        "“{}” is the surname of “{}”, the only person of that surname",
                        e.label, all[other].0.label
                    ),
                    ids: listed(&[id, other]),
                });
            }
        }
        found.into_iter().collect()
    }
}

fn local(iri: &str) -> &str {
    vocab::nkg_local(iri).unwrap_or(iri)
}

/// Where an entity is first declared: a place known (in the registry), or its declaration in a
/// file that is no longer in memory, shown as `file:line:col` once the file is read again.
enum Where<'a> {
    Known(&'a Place),
    File(&'a str, usize),
}

impl std::fmt::Display for Where<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Where::Known(place) => write!(f, "{place}"),
            Where::File(file, index) => {
                write!(f, "{}", place_in(file, &format!("entities[{index}].id")))
            }
        }
    }
}

/// The place (`file:line:col`) of the value at `path` in the facts file `file`, read again; just
/// the file when it cannot be read or parsed any more.
fn place_in(file: &str, path: &str) -> String {
    match SourceFile::read(std::path::Path::new(file)) {
        Ok(source) => {
            let spans = SpanIndex::new(&source.text, source.format);
            Place::of(&source, &spans, path).to_string()
        }
        Err(_) => file.to_string(),
    }
}
