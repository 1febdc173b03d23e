//! The embedded ontology (`ontology/newskg.ttl`) and the questions the validator asks it: is this
//! a class, a property, a modality, a role; what are a property's domain and range; is one class
//! below another.

use crate::vocab::{self, nkg, owl, rdf, rdfs};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad, Term, Triple};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The ontology's Turtle source, as compiled into the binary.
pub const SOURCE: &str = include_str!("../ontology/newskg.ttl");
/// Its path in the repository, for messages.
pub const PATH: &str = "ontology/newskg.ttl";

/// What kind of property a term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyKind {
    Object,
    Datatype,
    /// An owl:AnnotationProperty: it describes terms (a class's CAMEO code), with no domain.
    Annotation,
    Other,
}

#[derive(Debug, Clone)]
pub struct Property {
    pub iri: String,
    pub kind: PropertyKind,
    pub domain: Option<String>,
    pub range: Option<String>,
    pub supers: BTreeSet<String>,
}

/// The ontology, indexed by the local names facts files use.
#[derive(Debug)]
pub struct Ontology {
    /// The Turtle it was read from.
    source: String,
    triples: Vec<Triple>,
    /// local name → IRI
    classes: BTreeMap<String, String>,
    properties: BTreeMap<String, Property>,
    modalities: BTreeMap<String, String>,
    roles: BTreeMap<String, String>,
    /// class IRI → itself and every class above it
    ancestors: BTreeMap<String, BTreeSet<String>>,
    /// class IRI → the classes directly above it
    parents: BTreeMap<String, BTreeSet<String>>,
    labels: BTreeMap<String, String>,
    /// term IRI → its rdfs:comment
    comments: BTreeMap<String, String>,
    /// ontology class or property IRI → its Wikidata equivalent (wd:Q… or wdt:P…)
    wikidata: BTreeMap<String, String>,
    /// event class IRI → its CAMEO code (nkg:cameoCode)
    cameo: BTreeMap<String, String>,
}

impl Ontology {
    /// The ontology compiled into the binary.
    pub fn embedded() -> &'static Ontology {
        static ONTOLOGY: OnceLock<Ontology> = OnceLock::new();
        ONTOLOGY.get_or_init(|| {
            Ontology::parse(SOURCE).unwrap_or_else(|e| panic!("{PATH} is invalid: {e}"))
        })
    }

    /// Reads an ontology from Turtle.
    pub fn parse(turtle: &str) -> Result<Ontology, String> {
        let mut triples = Vec::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            triples.push(Triple::from(quad.map_err(|e| e.to_string())?));
        }
        let mut types: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut values: BTreeMap<(String, &str), Vec<String>> = BTreeMap::new();
        let mut labels = BTreeMap::new();
        let mut comments = BTreeMap::new();
        let mut cameo = BTreeMap::new();
        for t in &triples {
            let subject = t.subject.to_string();
            let Some(subject) = subject
                .strip_prefix('<')
                .and_then(|s| s.strip_suffix('>'))
                .map(str::to_string)
            else {
                continue;
            };
            let object = match &t.object {
                Term::NamedNode(n) => n.as_str().to_string(),
                Term::Literal(l) => l.value().to_string(),
                _ => continue,
            };
            match t.predicate.as_str() {
                rdf::TYPE => {
                    types.entry(subject).or_default().insert(object);
                }
                rdfs::LABEL => {
                    labels.insert(subject, object);
                }
                rdfs::COMMENT => {
                    comments.insert(subject, object);
                }
                nkg::CAMEO_CODE => {
                    cameo.insert(subject, object);
                }
                p @ (rdfs::SUB_CLASS_OF
                | rdfs::SUB_PROPERTY_OF
                | rdfs::DOMAIN
                | rdfs::RANGE
                | owl::EQUIVALENT_CLASS
                | owl::EQUIVALENT_PROPERTY) => {
                    values.entry((subject, p)).or_default().push(object);
                }
                _ => {}
            }
        }
        let first = |s: &str, p: &'static str| {
            values
                .get(&(s.to_string(), p))
                .and_then(|v| v.first().cloned())
        };
        let all = |s: &str, p: &'static str| -> BTreeSet<String> {
            values
                .get(&(s.to_string(), p))
                .map(|v| v.iter().cloned().collect())
                .unwrap_or_default()
        };
        let mut ontology = Ontology {
            source: turtle.to_string(),
            triples: Vec::new(),
            classes: BTreeMap::new(),
            properties: BTreeMap::new(),
            modalities: BTreeMap::new(),
            roles: BTreeMap::new(),
            ancestors: BTreeMap::new(),
            parents: BTreeMap::new(),
            labels,
            comments,
            wikidata: BTreeMap::new(),
            cameo,
        };
        for ((subject, p), objects) in &values {
            if matches!(*p, owl::EQUIVALENT_CLASS | owl::EQUIVALENT_PROPERTY)
                && let Some(wd) = objects
                    .iter()
                    .find(|o| o.starts_with(vocab::WD) || o.starts_with(vocab::WDT))
            {
                ontology.wikidata.insert(subject.clone(), wd.clone());
            }
        }
        for (iri, kinds) in &types {
            let Some(local) = vocab::nkg_local(iri) else {
                continue;
            };
            let local = local.to_string();
            if kinds.contains(owl::CLASS) {
                ontology.classes.insert(local.clone(), iri.clone());
            }
            let kind = if kinds.contains(owl::OBJECT_PROPERTY) {
                Some(PropertyKind::Object)
            } else if kinds.contains(owl::DATATYPE_PROPERTY) {
                Some(PropertyKind::Datatype)
            } else if kinds.contains(owl::ANNOTATION_PROPERTY) {
                Some(PropertyKind::Annotation)
            } else if kinds.contains(rdf::PROPERTY) {
                Some(PropertyKind::Other)
            } else {
                None
            };
            if let Some(kind) = kind {
                ontology.properties.insert(
                    local.clone(),
                    Property {
                        iri: iri.clone(),
                        kind,
                        domain: first(iri, rdfs::DOMAIN),
                        range: first(iri, rdfs::RANGE),
                        supers: all(iri, rdfs::SUB_PROPERTY_OF),
                    },
                );
            }
            if kinds.contains(nkg::MODALITY) {
                ontology.modalities.insert(local.clone(), iri.clone());
            }
            if kinds.contains(nkg::ROLE) {
                ontology.roles.insert(local, iri.clone());
            }
        }
        for iri in ontology.classes.values() {
            ontology
                .parents
                .insert(iri.clone(), all(iri, rdfs::SUB_CLASS_OF));
            let mut seen = BTreeSet::new();
            let mut stack = vec![iri.clone()];
            while let Some(c) = stack.pop() {
                if seen.insert(c.clone()) {
                    stack.extend(all(&c, rdfs::SUB_CLASS_OF));
                }
            }
            ontology.ancestors.insert(iri.clone(), seen);
        }
        ontology.triples = triples;
        Ok(ontology)
    }

    /// The Turtle the ontology was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The IRI of the class with this local name.
    pub fn class(&self, local: &str) -> Option<&str> {
        self.classes.get(local).map(String::as_str)
    }

    pub fn property(&self, local: &str) -> Option<&Property> {
        self.properties.get(local)
    }

    pub fn modality(&self, local: &str) -> Option<&str> {
        self.modalities.get(local).map(String::as_str)
    }

    pub fn role(&self, local: &str) -> Option<&str> {
        self.roles.get(local).map(String::as_str)
    }

    /// The rdfs:label of a term.
    pub fn label(&self, iri: &str) -> Option<&str> {
        self.labels.get(iri).map(String::as_str)
    }

    /// The IRI of the term of any kind (class, property, modality, role) with this local name.
    pub fn term_iri(&self, local: &str) -> Option<&str> {
        self.class(local)
            .or_else(|| self.property(local).map(|p| p.iri.as_str()))
            .or_else(|| self.modality(local))
            .or_else(|| self.role(local))
    }

    /// The rdfs:comment of a term: what it means.
    pub fn comment(&self, iri: &str) -> Option<&str> {
        self.comments.get(iri).map(String::as_str)
    }

    /// The CAMEO code of an event class (`nkg:cameoCode`), if it has one.
    pub fn cameo_code(&self, class: &str) -> Option<&str> {
        self.cameo.get(class).map(String::as_str)
    }

    /// The Wikidata property equivalent to an ontology property (`wdt:P…`), if any.
    pub fn wikidata_property(&self, property: &str) -> Option<&str> {
        self.wikidata
            .get(property)
            .map(String::as_str)
            .filter(|w| w.starts_with(vocab::WDT))
    }

    /// The Wikidata class (`wd:Q…`) of an ontology class: its own equivalent, or that of the
    /// closest class above it that has one.
    pub fn wikidata_class(&self, class: &str) -> Option<&str> {
        let mut frontier = vec![class.to_string()];
        let mut seen = BTreeSet::new();
        while !frontier.is_empty() {
            if let Some(wd) = frontier
                .iter()
                .find_map(|c| self.wikidata.get(c).filter(|w| w.starts_with(vocab::WD)))
            {
                return Some(wd);
            }
            let next: Vec<String> = frontier
                .iter()
                .filter(|c| seen.insert((*c).clone()))
                .flat_map(|c| self.parents.get(c).into_iter().flatten().cloned())
                .collect();
            frontier = next;
        }
        None
    }

    /// Whether `class` is `of` or below it. Everything is below owl:Thing and rdfs:Resource.
    pub fn is_subclass_of(&self, class: &str, of: &str) -> bool {
        of == owl::THING
            || of == "http://www.w3.org/2000/01/rdf-schema#Resource"
            || class == of
            || self.ancestors.get(class).is_some_and(|a| a.contains(of))
    }

    /// Whether two classes are compatible: one is below the other.
    pub fn compatible(&self, a: &str, b: &str) -> bool {
        self.is_subclass_of(a, b) || self.is_subclass_of(b, a)
    }

    /// Whether a property is a sub-property of another (directly or not).
    pub fn is_subproperty_of(&self, property: &Property, of: &str) -> bool {
        let mut stack: Vec<&str> = property.supers.iter().map(String::as_str).collect();
        let mut seen = BTreeSet::new();
        while let Some(p) = stack.pop() {
            if p == of {
                return true;
            }
            if seen.insert(p)
                && let Some(parent) = vocab::nkg_local(p).and_then(|l| self.properties.get(l))
            {
                stack.extend(parent.supers.iter().map(String::as_str));
            }
        }
        false
    }

    fn class_names_below(&self, root: &str) -> Vec<String> {
        self.classes
            .iter()
            .filter(|(_, iri)| self.is_subclass_of(iri, root))
            .map(|(local, _)| local.clone())
            .collect()
    }

    /// Classes an entity may have: those below nkg:Entity.
    pub fn entity_class_names(&self) -> Vec<String> {
        self.class_names_below(nkg::ENTITY)
    }

    /// Classes an event fact may have: those below nkg:Event.
    pub fn event_class_names(&self) -> Vec<String> {
        self.class_names_below(nkg::EVENT)
    }

    /// Whether a property can be a fact's `property`: an object property between entities.
    pub fn is_relation(&self, property: &Property) -> bool {
        property.kind == PropertyKind::Object
            && property
                .domain
                .as_deref()
                .is_some_and(|d| self.is_subclass_of(d, nkg::ENTITY))
            && property
                .range
                .as_deref()
                .is_some_and(|r| self.is_subclass_of(r, nkg::ENTITY))
    }

    /// Properties usable as a fact's `property`.
    pub fn relation_names(&self) -> Vec<String> {
        self.properties
            .iter()
            .filter(|(_, p)| self.is_relation(p))
            .map(|(l, _)| l.clone())
            .collect()
    }

    /// Whether a property can be used in a fact's `qualifiers`.
    pub fn is_qualifier(&self, property: &Property) -> bool {
        self.is_subproperty_of(property, nkg::QUALIFIER)
    }

    pub fn qualifier_names(&self) -> Vec<String> {
        self.properties
            .iter()
            .filter(|(_, p)| self.is_qualifier(p))
            .map(|(l, _)| l.clone())
            .collect()
    }

    /// Whether a property can be used in a fact's `links` (a sub-property of nkg:claimLink).
    pub fn is_claim_link(&self, property: &Property) -> bool {
        property.iri != nkg::CLAIM_LINK && self.is_subproperty_of(property, nkg::CLAIM_LINK)
    }

    pub fn claim_link_names(&self) -> Vec<String> {
        self.properties
            .iter()
            .filter(|(_, p)| self.is_claim_link(p))
            .map(|(l, _)| l.clone())
            .collect()
    }

    pub fn modality_names(&self) -> Vec<String> {
        self.modalities.keys().cloned().collect()
    }

    pub fn role_names(&self) -> Vec<String> {
        self.roles.keys().cloned().collect()
    }

    /// Every term's local name, of any kind (for suggestions and tests).
    pub fn term_names(&self) -> impl Iterator<Item = &str> {
        self.classes
            .keys()
            .chain(self.properties.keys())
            .chain(self.modalities.keys())
            .chain(self.roles.keys())
            .map(String::as_str)
    }

    /// The ontology as quads in its own named graph.
    pub fn quads(&self) -> impl Iterator<Item = Quad> + '_ {
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::ONTOLOGY_IRI));
        self.triples
            .iter()
            .map(move |t| t.clone().in_graph(graph.clone()))
    }

    pub fn triple_count(&self) -> usize {
        self.triples.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_term_is_declared() {
        let o = Ontology::embedded();
        for iri in nkg::ALL {
            let local = vocab::nkg_local(iri).unwrap();
            assert!(
                o.term_names().any(|t| t == local),
                "{iri} is used by the code but not declared in {PATH}"
            );
        }
    }

    #[test]
    fn every_term_has_label_and_comment_and_properties_domain_and_range() {
        let o = Ontology::embedded();
        let has = |s: &str, p: &str| {
            o.triples
                .iter()
                .any(|t| t.subject.to_string() == format!("<{s}>") && t.predicate.as_str() == p)
        };
        let iris: Vec<String> = o
            .classes
            .values()
            .chain(o.modalities.values())
            .chain(o.roles.values())
            .cloned()
            .chain(o.properties.values().map(|p| p.iri.clone()))
            .collect();
        for iri in &iris {
            assert!(has(iri, rdfs::LABEL), "{iri} has no rdfs:label");
            assert!(has(iri, rdfs::COMMENT), "{iri} has no rdfs:comment");
        }
        for p in o.properties.values() {
            if p.kind == PropertyKind::Annotation {
                // no domain: a reasoner would give it to what it annotates (a fact node too)
                assert!(p.domain.is_none(), "{} has an rdfs:domain", p.iri);
                continue;
            }
            assert!(p.domain.is_some(), "{} has no rdfs:domain", p.iri);
            assert!(p.range.is_some(), "{} has no rdfs:range", p.iri);
        }
    }

    #[test]
    fn no_local_name_is_two_terms() {
        let o = Ontology::embedded();
        let mut seen = BTreeSet::new();
        for name in o.term_names() {
            assert!(seen.insert(name), "{name} is declared as two kinds of term");
        }
    }

    /// The canned queries name a fact's modality by its IRI's local name (one lookup less per
    /// row): the name a user reads must be the label.
    #[test]
    fn modalities_are_labelled_with_their_local_names() {
        let o = Ontology::embedded();
        for name in o.modality_names() {
            let iri = o.modality(&name).unwrap();
            assert_eq!(o.label(iri), Some(name.as_str()), "{iri}");
        }
    }

    #[test]
    fn hierarchy_and_term_kinds() {
        let o = Ontology::embedded();
        let state = o.class("State").unwrap();
        assert!(o.is_subclass_of(state, nkg::ENTITY));
        assert!(o.is_subclass_of(state, nkg::PLACE));
        assert!(!o.is_subclass_of(o.class("Person").unwrap(), nkg::PLACE));
        assert!(o.relation_names().contains(&"allyOf".to_string()));
        assert!(!o.relation_names().contains(&"modality".to_string()));
        assert_eq!(o.qualifier_names(), ["commodity", "condition", "purpose"]);
        assert!(o.event_class_names().contains(&"Visit".to_string()));
        assert!(o.modality_names().contains(&"reported".to_string()));
    }

    #[test]
    fn wikidata_alignments() {
        let o = Ontology::embedded();
        let wd = |q: &str| format!("{}{q}", vocab::WD);
        assert_eq!(
            o.wikidata_class(o.class("State").unwrap()),
            Some(wd("Q3624078").as_str())
        );
        // no equivalent of its own: the closest class above that has one
        assert_eq!(
            o.wikidata_class(o.class("StateOwnedCompany").unwrap()),
            Some(wd("Q783794").as_str())
        );
        assert_eq!(
            o.wikidata_property(&o.property("memberOf").unwrap().iri),
            Some(format!("{}P463", vocab::WDT).as_str())
        );
        assert_eq!(
            o.wikidata_property(&o.property("allyOf").unwrap().iri),
            None
        );
    }

    #[test]
    fn no_geo_prefix() {
        assert!(!SOURCE.contains("@prefix geo:"));
    }
}
