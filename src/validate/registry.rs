//! The registry: the entities of a corpus described once (`registry.toml`), which its articles
//! use without declaring them again, and merges (an id that is another entity: a duplicate
//! merged into the one kept). A registry is checked like the entities of a facts file (unique
//! ids, classes, labels, Wikidata IDs, metonyms), and its merges must end at one of its entities
//! without a cycle.

use super::{Checker, entities};
use crate::catalog::Catalog;
use crate::error::{Diagnostic, Error};
use crate::input::facts::{self, RegistryFile};
use crate::input::{SourceFile, SpanIndex, line_col};
use crate::lexical::language_ok;
use crate::model::ValidEntity;
use crate::ontology::Ontology;
use crate::suggest::did_you_mean;
use std::collections::BTreeMap;

/// A place in a file, as messages show it (`file:line:col`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl Place {
    /// The place of the value at `path` (`entities[2].label`) in `source`.
    pub fn of(source: &SourceFile, spans: &SpanIndex, path: &str) -> Place {
        let (line, column) = line_col(&source.text, spans.offset(path));
        Place {
            file: source.name.clone(),
            line,
            column,
        }
    }
}

/// An entity the registry describes.
#[derive(Debug, Clone)]
pub struct Registered {
    pub entity: ValidEntity,
    /// The registry's language, for the label and aliases.
    pub language: Option<String>,
    /// Where its declaration starts (its `id`).
    pub place: Place,
    /// Where its class, label, Wikidata ID and metonym are, for messages about them.
    pub fields: BTreeMap<&'static str, Place>,
}

/// The registries of a corpus, merged and checked.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    entities: BTreeMap<String, Registered>,
    /// merged id → (the id kept, where the merge is written)
    merges: BTreeMap<String, (String, Place)>,
    /// The registry files' texts, in order (what a store records of them).
    texts: Vec<(String, String)>,
}

impl Registry {
    /// Whether there is nothing in it.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty() && self.merges.is_empty()
    }

    /// The entity `id` names: itself, or the one it is merged into.
    pub fn resolve<'a>(&'a self, id: &'a str) -> &'a str {
        // merges are checked to end at an entity, without a cycle
        let mut id = id;
        for _ in 0..=self.merges.len() {
            match self.merges.get(id) {
                Some((into, _)) => id = into,
                None => break,
            }
        }
        id
    }

    /// The entity described under `id` (after merges).
    pub fn get(&self, id: &str) -> Option<&Registered> {
        self.entities.get(self.resolve(id))
    }

    /// The merge of `id`, when it is merged into another.
    pub fn merge(&self, id: &str) -> Option<&(String, Place)> {
        self.merges.get(id)
    }

    pub fn entities(&self) -> impl Iterator<Item = &Registered> {
        self.entities.values()
    }

    pub fn merges(&self) -> impl Iterator<Item = (&String, &(String, Place))> {
        self.merges.iter()
    }

    /// Every id the registry knows (entities and merged ids), for suggestions.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entities
            .keys()
            .chain(self.merges.keys())
            .map(String::as_str)
    }

    /// The registry files, as (name, text), in the order they were read.
    pub fn texts(&self) -> &[(String, String)] {
        &self.texts
    }

    /// Reads and checks registry files (in order: an entity may stand for one of an earlier
    /// file); every problem of every file is reported.
    pub fn load(
        sources: Vec<SourceFile>,
        ontology: &Ontology,
        catalog: &Catalog,
    ) -> Result<Registry, Vec<Diagnostic>> {
        let mut registry = Registry::default();
        let mut problems = Vec::new();
        for source in &sources {
            match facts::parse_registry(source) {
                Ok(file) => registry.add(source, &file, ontology, catalog, &mut problems),
                Err(Error::Invalid(d)) => problems.extend(d),
                Err(e) => problems.push(source.diagnostic_at(0, crate::error::chain(&e))),
            }
        }
        registry.check_merges(&mut problems);
        if problems.is_empty() {
            registry.texts = sources.into_iter().map(|s| (s.name, s.text)).collect();
            Ok(registry)
        } else {
            problems.sort();
            problems.dedup();
            Err(problems)
        }
    }

    fn add(
        &mut self,
        source: &SourceFile,
        file: &RegistryFile,
        ontology: &Ontology,
        catalog: &Catalog,
        problems: &mut Vec<Diagnostic>,
    ) {
        let empty = Registry::default();
        let mut c = Checker::new(source, ontology, catalog, &empty);
        // the entities of earlier registry files may be stood for
        for (id, r) in &self.entities {
            c.entities.insert(id.clone(), Some(r.entity.class.clone()));
        }
        let language = file.registry.language.clone();
        if let Some(lang) = &language
            && !language_ok(lang)
        {
            c.problem(
                "registry.language",
                format!("invalid language tag `{lang}`: use a BCP 47 tag such as `en` or `fr-CA`"),
            );
        }
        let checked = entities::check(&mut c, &file.entities);
        let spans = c.spans().clone();
        let earlier: std::collections::BTreeSet<String> = self.entities.keys().cloned().collect();
        for (i, e) in file.entities.iter().enumerate() {
            let place = Place::of(source, &spans, &format!("entities[{i}].id"));
            if let Some(first) = self.entities.get(&e.id).filter(|_| earlier.contains(&e.id)) {
                c.problem(
                    &format!("entities[{i}].id"),
                    format!(
                        "entity `{}` is already in the registry at {}; a registry describes each entity once",
                        e.id, first.place
                    ),
                );
                continue;
            }
            // (a second of one file is reported as a duplicate already)
            let Some(entity) = checked.iter().find(|v| v.id == e.id) else {
                continue;
            };
            if self.entities.contains_key(&e.id) {
                continue;
            }
            let fields = ["class", "label", "wikidata", "stands_for"]
                .into_iter()
                .map(|k| (k, Place::of(source, &spans, &format!("entities[{i}].{k}"))))
                .collect();
            self.entities.insert(
                e.id.clone(),
                Registered {
                    entity: entity.clone(),
                    language: language.clone(),
                    place,
                    fields,
                },
            );
        }
        for (i, m) in file.merges.iter().enumerate() {
            let path = format!("merges[{i}]");
            c.check_id(&format!("{path}.id"), "entity", &m.id);
            c.check_id(&format!("{path}.into"), "entity", &m.into);
            let place = Place::of(source, &spans, &format!("{path}.id"));
            if let Some(r) = self.entities.get(&m.id) {
                c.problem(
                    &format!("{path}.id"),
                    format!(
                        "`{}` is an entity of the registry ({}): a merged id is not described; drop its entry or the merge",
                        m.id, r.place
                    ),
                );
            } else if let Some((_, first)) = self.merges.get(&m.id) {
                c.problem(
                    &format!("{path}.id"),
                    format!("`{}` is already merged at {first}", m.id),
                );
            } else {
                self.merges.insert(m.id.clone(), (m.into.clone(), place));
            }
        }
        problems.append(&mut c.problems);
    }

    /// Every merge ends at an entity of the registry, without a cycle.
    fn check_merges(&self, problems: &mut Vec<Diagnostic>) {
        for (id, (into, place)) in &self.merges {
            let mut chain = vec![id.as_str()];
            let mut next = into.as_str();
            loop {
                if chain.contains(&next) {
                    chain.push(next);
                    problems.push(at(
                        place,
                        format!("a cycle of merges: {}", chain.join(" → ")),
                    ));
                    break;
                }
                chain.push(next);
                match self.merges.get(next) {
                    Some((further, _)) => next = further,
                    None if self.entities.contains_key(next) => break,
                    None => {
                        let hint = did_you_mean(next, self.entities.keys().map(String::as_str));
                        problems.push(at(
                            place,
                            format!(
                                "`{id}` is merged into `{next}`, which the registry does not describe{hint}"
                            ),
                        ));
                        break;
                    }
                }
            }
        }
    }
}

fn at(place: &Place, message: String) -> Diagnostic {
    Diagnostic {
        file: place.file.clone(),
        line: place.line,
        column: place.column,
        message,
    }
}
