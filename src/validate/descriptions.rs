//! What the corpus says each entity is: one description gathering the declarations of the
//! registry and of every file that declares the entity. They agree on the class, label,
//! Wikidata ID and metonym (the checks across files see to it); aliases and notes add up; the
//! label's language is that of the first declaration, the registry's before any article's,
//! then by article id.

use super::corpus::Declarations;
use super::registry::Registry;
use crate::model::ValidEntity;
use std::collections::{BTreeMap, BTreeSet};

/// Where a declaration comes from; the smallest gives the label's language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Registry,
    /// An article, by id.
    Article(String),
}

/// What the corpus says an entity is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    pub id: String,
    /// Class IRI.
    pub class: String,
    pub label: String,
    pub aliases: BTreeSet<String>,
    pub wikidata: Option<String>,
    pub stands_for: Option<String>,
    pub notes: BTreeSet<String>,
    /// The language of the label and aliases.
    pub language: Option<String>,
    origin: Origin,
}

/// The descriptions of a corpus's entities, by id.
#[derive(Debug, Clone, Default)]
pub struct Descriptions {
    by_id: BTreeMap<String, Description>,
}

impl Descriptions {
    /// Adds a declaration of `entity`, in `language`, from `origin`.
    pub fn add(&mut self, entity: &ValidEntity, language: Option<&str>, origin: Origin) {
        let d = self
            .by_id
            .entry(entity.id.clone())
            .or_insert_with(|| Description {
                id: entity.id.clone(),
                class: entity.class.clone(),
                label: entity.label.clone(),
                aliases: BTreeSet::new(),
                wikidata: entity.wikidata.clone(),
                stands_for: entity.stands_for.clone(),
                notes: BTreeSet::new(),
                language: language.map(str::to_string),
                origin: origin.clone(),
            });
        if origin < d.origin {
            d.language = language.map(str::to_string);
            d.origin = origin;
        }
        d.aliases.extend(entity.aliases.iter().cloned());
        d.notes.extend(entity.note.iter().cloned());
    }

    /// Adds the registry's entities.
    pub fn add_registry(&mut self, registry: &Registry) {
        for r in registry.entities() {
            self.add(&r.entity, r.language.as_deref(), Origin::Registry);
        }
    }

    /// Adds what an article declares.
    pub fn add_declarations(&mut self, declared: &Declarations) {
        for (_, entity) in &declared.entities {
            self.add(
                entity,
                declared.language.as_deref(),
                Origin::Article(declared.article.clone()),
            );
        }
    }

    pub fn get(&self, id: &str) -> Option<&Description> {
        self.by_id.get(id)
    }

    /// Every description, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Description> {
        self.by_id.values()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}
