//! Mapping, the third stage: takes a checked article ([`ValidArticle`]) and gives its RDF quads,
//! with deterministic IRIs under a [`Base`], in one named graph per article: what the article
//! states, and which entities it mentions (`schema:mentions`). Each fact yields a fact node with
//! what it claims (a relation's terms, an event's class, participants and place), its modality,
//! sources, time, links to other claims, quote, offsets and derivation; and, only when the article
//! states it as fact (asserted, and still holding), the plain triple(s) a user queries simply
//! (see docs/claims.md). What an entity *is* (its class,
//! label, aliases, Wikidata ID) is described once for the whole corpus, in the entities' own
//! graph ([`entities`]).

pub mod entities;
pub mod plain;

use crate::error::{Error, Result};
use crate::model::{FactKind, QualifierValue, ValidArticle, ValidFact};
use crate::ontology::Ontology;
use crate::vocab::{self, dcterms, nkg, oa, prov, rdf, rdfs, schema};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use std::collections::BTreeMap;

/// The base under which article, fact and entity IRIs are minted. Ids are checked to be IRI-safe
/// before they get here, and every minted IRI is checked again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base(String);

impl Base {
    /// Checks that `iri` is an absolute IRI without fragment, ending with `/`.
    pub fn new(iri: &str) -> Result<Base> {
        let invalid = |reason: &str| Error::InvalidBase {
            iri: iri.to_string(),
            reason: reason.to_string(),
        };
        let parsed = iri_string::types::IriStr::new(iri).map_err(|e| {
            invalid(&format!(
                "not an absolute IRI ({e}); e.g. https://example.org/news/"
            ))
        })?;
        if parsed.fragment().is_some() || parsed.query().is_some() {
            return Err(invalid("it must not have a query or a fragment"));
        }
        if !iri.ends_with('/') {
            return Err(invalid(&format!("it must end with `/`: try `{iri}/`")));
        }
        Ok(Base(iri.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn node(&self, path: &str) -> NamedNode {
        let iri = format!("{}{path}", self.0);
        NamedNode::new(&iri).unwrap_or_else(|e| panic!("minted IRI {iri} is invalid: {e}"))
    }

    pub fn entity(&self, id: &str) -> NamedNode {
        self.node(&format!("entity/{id}"))
    }

    pub fn article(&self, id: &str) -> NamedNode {
        self.node(&format!("article/{id}"))
    }

    /// The id of an entity IRI minted under this base.
    pub fn entity_id<'a>(&self, iri: &'a str) -> Option<&'a str> {
        iri.strip_prefix(self.0.as_str())?.strip_prefix("entity/")
    }

    /// The id of an article IRI minted under this base.
    pub fn article_id<'a>(&self, iri: &'a NamedNode) -> Option<&'a str> {
        iri.as_str()
            .strip_prefix(self.0.as_str())?
            .strip_prefix("article/")
    }

    pub fn fact(&self, article: &str, fact: &str) -> NamedNode {
        self.node(&format!("article/{article}/fact/{fact}"))
    }

    pub fn event(&self, article: &str, fact: &str) -> NamedNode {
        self.node(&format!("article/{article}/event/{fact}"))
    }

    /// The named graph of the corpus's entity descriptions.
    pub fn entities_graph(&self) -> NamedNode {
        self.node("entities")
    }
}

impl Default for Base {
    fn default() -> Self {
        Base(vocab::DEFAULT_BASE.to_string())
    }
}

fn iri(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

/// Quads of one named graph being written.
struct Writer<'a> {
    graph: GraphName,
    quads: Vec<Quad>,
    language: Option<&'a str>,
    ontology: &'a Ontology,
    /// entity IRI → its Wikidata item, for the entities linked in this article
    wikidata: BTreeMap<String, NamedNode>,
}

impl Writer<'_> {
    fn add(&mut self, s: &NamedNode, p: &str, o: impl Into<Term>) {
        self.quads
            .push(Quad::new(s.clone(), iri(p), o, self.graph.clone()));
    }

    /// The linked Wikidata item of an entity, or the entity itself.
    fn wd(&self, node: &NamedNode) -> NamedNode {
        self.wikidata
            .get(node.as_str())
            .cloned()
            .unwrap_or_else(|| node.clone())
    }

    /// A direct triple, and its Wikidata view when the property has a Wikidata equivalent
    /// (`wdt:P463` for `nkg:memberOf`, …), with linked items in place of entities; so that
    /// Wikidata-shaped queries run on the graph.
    fn direct(&mut self, s: &NamedNode, p: &str, o: &NamedNode) {
        self.add(s, p, o.clone());
        if let Some(wdt) = self.ontology.wikidata_property(p) {
            let (s, o) = (self.wd(s), self.wd(o));
            self.add(&s, wdt, o);
        }
    }

    /// A type, and its Wikidata view (`wdt:P31` of the class's Wikidata equivalent).
    fn typed(&mut self, node: &NamedNode, class: &str) {
        self.add(node, rdf::TYPE, iri(class));
        if let Some(wd_class) = self.ontology.wikidata_class(class) {
            let wd_class = iri(wd_class);
            let node = self.wd(node);
            self.add(&node, vocab::wdt::INSTANCE_OF, wd_class);
        }
    }

    /// Text in the article's language.
    fn text(&self, value: &str) -> Literal {
        match self.language {
            Some(lang) => {
                Literal::new_language_tagged_literal_unchecked(value, lang.to_ascii_lowercase())
            }
            None => Literal::new_simple_literal(value),
        }
    }
}

/// The quads of one article, in its own named graph.
pub fn article_quads(article: &ValidArticle, base: &Base, ontology: &Ontology) -> Vec<Quad> {
    let art = base.article(&article.id);
    let mut w = Writer {
        graph: GraphName::NamedNode(art.clone()),
        quads: Vec::new(),
        language: article.language.as_deref(),
        ontology,
        wikidata: article
            .qids
            .iter()
            .map(|(id, q)| {
                (
                    base.entity(id).as_str().to_string(),
                    iri(&format!("{}{q}", vocab::WD)),
                )
            })
            .collect(),
    };
    w.add(&art, rdf::TYPE, iri(nkg::ARTICLE));
    w.add(
        &art,
        rdfs::LABEL,
        Literal::new_simple_literal(article.title.as_deref().unwrap_or(&article.id)),
    );
    if let Some(title) = &article.title {
        let t = w.text(title);
        w.add(&art, dcterms::TITLE, t);
    }
    for author in &article.authors {
        w.add(&art, schema::AUTHOR, base.entity(author));
    }
    if let Some(p) = &article.publisher {
        w.add(&art, schema::PUBLISHER, base.entity(p));
    }
    if let Some(url) = &article.url {
        w.add(&art, schema::URL, iri(url));
    }
    if let Some(date) = &article.published {
        w.add(&art, schema::DATE_PUBLISHED, date.clone());
    }
    if let Some(lang) = &article.language {
        w.add(&art, schema::IN_LANGUAGE, Literal::new_simple_literal(lang));
    }
    if let Some(genre) = &article.genre {
        w.add(&art, schema::GENRE, Literal::new_simple_literal(genre));
    }

    for id in &article.mentions {
        w.add(&art, schema::MENTIONS, base.entity(id));
    }

    for f in &article.facts {
        fact_quads(&mut w, article, f, base, &art);
    }
    w.quads
}

fn fact_quads(
    w: &mut Writer<'_>,
    article: &ValidArticle,
    f: &ValidFact,
    base: &Base,
    art: &NamedNode,
) {
    let node = base.fact(&article.id, &f.id);
    w.add(&node, rdf::TYPE, iri(nkg::FACT));
    w.add(&node, nkg::STATED_IN, art.clone());
    w.add(&node, prov::WAS_DERIVED_FROM, art.clone());
    w.add(&node, nkg::MODALITY_PROP, iri(&f.modality));
    // Plain triples only for what the article states as fact (see `ValidFact::is_plain`).
    let direct = f.is_plain();
    for who in &f.said_by {
        w.add(&node, nkg::ACCORDING_TO, base.entity(who));
    }
    if f.modality == nkg::OPINION && f.said_by.is_empty() {
        for author in &article.authors {
            w.add(&node, nkg::ACCORDING_TO, base.entity(author));
        }
    }
    // The chain of sources: whom the source cites, whom that one cites, …
    let mut cited_by = node.clone();
    for (i, who) in f.citing.iter().enumerate() {
        let report = iri(&format!("{}/cites/{}", node.as_str(), i + 1));
        w.add(&cited_by, nkg::CITES, report.clone());
        w.add(&report, rdf::TYPE, iri(nkg::REPORT));
        w.add(&report, nkg::ACCORDING_TO, base.entity(who));
        cited_by = report;
    }
    for (property, target) in &f.links {
        w.add(&node, property, base.fact(&article.id, target));
    }
    for (text_property, value_property, span) in [
        (nkg::SINCE_TEXT, nkg::SINCE, &f.since),
        (nkg::UNTIL_TEXT, nkg::UNTIL, &f.until),
    ] {
        if let Some((text, value)) = span {
            let text = w.text(text);
            w.add(&node, text_property, text);
            if let Some(v) = value {
                w.add(&node, value_property, v.clone());
            }
        }
    }
    if f.ended {
        w.add(&node, nkg::ENDED, Literal::from(true));
    }
    if let Some(a) = &f.attribution {
        let a = w.text(a);
        w.add(&node, nkg::ATTRIBUTION, a);
    }
    let time = |w: &mut Writer<'_>, subject: &NamedNode| {
        if let Some(t) = &f.time_text {
            let t = w.text(t);
            w.add(subject, nkg::TIME_TEXT, t);
        }
        if let Some(v) = &f.time_value {
            w.add(subject, nkg::TIME, v.clone());
        }
    };
    time(w, &node);
    for (property, value) in &f.qualifiers {
        match value {
            QualifierValue::Entity(id) => w.add(&node, property, base.entity(id)),
            QualifierValue::Text(t) => {
                let t = w.text(t);
                w.add(&node, property, t)
            }
        }
    }
    if let Some(note) = &f.note {
        w.add(&node, nkg::NOTE, Literal::new_simple_literal(note));
    }

    // Evidence: the quote, as a Web Annotation specific resource of the article.
    let quote = w.text(&f.quote);
    w.add(&node, nkg::QUOTE, quote.clone());
    let evidence = iri(&format!("{}/evidence", node.as_str()));
    w.add(&node, nkg::EVIDENCE, evidence.clone());
    w.add(&evidence, rdf::TYPE, iri(oa::SPECIFIC_RESOURCE));
    w.add(&evidence, oa::HAS_SOURCE, art.clone());
    let quote_selector = iri(&format!("{}/quote", evidence.as_str()));
    w.add(&evidence, oa::HAS_SELECTOR, quote_selector.clone());
    w.add(&quote_selector, rdf::TYPE, iri(oa::TEXT_QUOTE_SELECTOR));
    w.add(&quote_selector, oa::EXACT, quote);
    if let Some(p) = &f.position {
        let prefix = w.text(&p.prefix);
        let suffix = w.text(&p.suffix);
        w.add(&quote_selector, oa::PREFIX, prefix);
        w.add(&quote_selector, oa::SUFFIX, suffix);
        let position = iri(&format!("{}/position", evidence.as_str()));
        w.add(&evidence, oa::HAS_SELECTOR, position.clone());
        w.add(&position, rdf::TYPE, iri(oa::TEXT_POSITION_SELECTOR));
        // xsd:integer: Oxigraph stores integer subtypes such as xsd:nonNegativeInteger as
        // xsd:integer, so this is what any export would say anyway.
        let n = |v: usize| Literal::from(i64::try_from(v).unwrap_or(i64::MAX));
        w.add(&position, oa::START, n(p.start));
        w.add(&position, oa::END, n(p.end));
    }

    match &f.kind {
        FactKind::Relation {
            subject,
            property,
            objects,
        } => {
            let s = base.entity(subject);
            w.add(&node, nkg::FACT_SUBJECT, s.clone());
            w.add(&node, nkg::FACT_PROPERTY, iri(property));
            for o in objects {
                let o = base.entity(o);
                w.add(&node, nkg::FACT_OBJECT, o.clone());
                if direct {
                    w.direct(&s, property, &o);
                }
            }
        }
        FactKind::Event {
            class,
            about,
            label,
            participants,
            place,
        } => {
            let event = match about {
                Some(id) => base.entity(id),
                None => base.event(&article.id, &f.id),
            };
            w.add(&node, nkg::DESCRIBES, event.clone());
            // What the fact claims of the event, whatever its modality: on the fact node.
            let claimed_class = class
                .as_ref()
                .or_else(|| about.as_ref().and_then(|id| article.classes.get(id)));
            if let Some(c) = claimed_class {
                w.add(&node, nkg::EVENT_CLASS, iri(c));
            }
            // its CAMEO code: the one the fact gives, else its class's
            if let Some(code) = f
                .cameo
                .as_deref()
                .or_else(|| claimed_class.and_then(|c| w.ontology.cameo_code(c)))
            {
                w.add(&node, nkg::CAMEO_CODE, Literal::new_simple_literal(code));
            }
            if let Some((text, count)) = &f.casualties {
                let text = w.text(text);
                w.add(&node, nkg::CASUALTIES_TEXT, text);
                if let Some(n) = count {
                    w.add(
                        &node,
                        nkg::CASUALTIES,
                        Literal::from(i64::try_from(*n).unwrap_or(i64::MAX)),
                    );
                }
            }
            if let Some(label) = label {
                let label = w.text(label);
                w.add(&node, nkg::EVENT_LABEL, label);
            }
            let mut participations = Vec::new();
            for (entity, role) in participants {
                let e = base.entity(entity);
                let role_name = vocab::nkg_local(role).unwrap_or("role");
                let participation = iri(&format!(
                    "{}/participant/{entity}/{role_name}",
                    node.as_str()
                ));
                w.add(&node, nkg::EVENT_PARTICIPATION, participation.clone());
                w.add(&participation, rdf::TYPE, iri(nkg::PARTICIPATION));
                w.add(&participation, nkg::INVOLVES, e.clone());
                w.add(&participation, nkg::ROLE_PROP, iri(role));
                participations.push((e, participation));
            }
            if let Some(place) = place {
                w.add(&node, nkg::EVENT_PLACE, base.entity(place));
            }
            if !direct {
                return;
            }
            // Stated as fact: the plain triples on the event itself. A named event's class is
            // the entities' graph's: said here only when the fact gives it another (a more
            // specific one).
            if let Some(class) = class
                && about
                    .as_ref()
                    .is_none_or(|id| article.classes.get(id) != Some(class))
            {
                w.typed(&event, class);
            }
            if let Some(label) = label {
                let label = w.text(label);
                w.add(&event, rdfs::LABEL, label);
            }
            for (e, participation) in participations {
                w.direct(&event, nkg::PARTICIPANT, &e);
                w.add(&event, nkg::PARTICIPATION_PROP, participation);
            }
            if let Some(place) = place {
                w.direct(&event, nkg::PLACE_PROP, &base.entity(place));
            }
            time(w, &event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_must_be_an_absolute_iri_ending_with_a_slash() {
        assert!(Base::new("https://example.org/news/").is_ok());
        let e = Base::new("https://example.org/news")
            .unwrap_err()
            .to_string();
        assert!(e.contains("try `https://example.org/news/`"), "{e}");
        assert!(Base::new("not an iri").is_err());
        assert!(Base::new("relative/path/").is_err());
        assert!(Base::new("https://example.org/a#b/").is_err());
    }

    #[test]
    fn minted_iris() {
        let base = Base::new("https://example.org/n/").unwrap();
        assert_eq!(
            base.entity("israel").as_str(),
            "https://example.org/n/entity/israel"
        );
        assert_eq!(
            base.fact("a1", "f1").as_str(),
            "https://example.org/n/article/a1/fact/f1"
        );
    }
}
