//! Checking a parsed facts file against the ontology and the article's text. Every problem is
//! collected (not only the first) with its place; what passes becomes a [`ValidArticle`], whose
//! terms are resolved to IRIs and whose quotes are placed in the text.

use crate::catalog::Catalog;
use crate::error::Diagnostic;
use crate::evidence::{self, QuotePosition};
use crate::facts::{ArticleFile, FactDecl};
use crate::ontology::{Ontology, PropertyKind};
use crate::source::{SourceFile, SpanIndex};
use crate::suggest::did_you_mean;
use crate::vocab::{nkg, xsd};
use oxigraph::model::Literal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// An article whose facts passed every check.
#[derive(Debug, Clone)]
pub struct ValidArticle {
    /// The facts file, as named in messages.
    pub source: String,
    pub id: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub authors: Vec<String>,
    pub url: Option<String>,
    pub published: Option<Literal>,
    pub language: Option<String>,
    pub genre: Option<String>,
    /// The article's text, when the file points to it.
    pub text: Option<String>,
    /// Where that text is, as shown in messages.
    pub text_path: Option<String>,
    pub entities: Vec<ValidEntity>,
    pub facts: Vec<ValidFact>,
    /// Passages marked as stating nothing, with the reason and, when the text is known, their
    /// position.
    pub no_claims: Vec<(String, String, Option<QuotePosition>)>,
}

#[derive(Debug, Clone)]
pub struct ValidEntity {
    pub id: String,
    /// Class IRI.
    pub class: String,
    pub label: String,
    pub aliases: Vec<String>,
    pub wikidata: Option<String>,
    /// The entity this one is a metonym for.
    pub stands_for: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidFact {
    pub id: String,
    pub kind: FactKind,
    pub quote: String,
    /// Where the quote stands, when the text is known.
    pub position: Option<QuotePosition>,
    /// Modality IRI.
    pub modality: String,
    pub said_by: Vec<String>,
    pub attribution: Option<String>,
    pub time_text: Option<String>,
    pub time_value: Option<Literal>,
    /// (qualifier property IRI, value)
    pub qualifiers: Vec<(String, QualifierValue)>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub enum FactKind {
    Relation {
        subject: String,
        /// Property IRI.
        property: String,
        objects: Vec<String>,
    },
    Event {
        /// Event class IRI (absent when the fact describes a named event entity).
        class: Option<String>,
        about: Option<String>,
        label: Option<String>,
        /// (entity id, role IRI)
        participants: Vec<(String, String)>,
        place: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub enum QualifierValue {
    Entity(String),
    Text(String),
}

/// Whether `id` can be used as an id: it becomes part of an IRI, so only letters, digits, `-`,
/// `_` and `.`, starting and ending with a letter or digit.
pub fn is_valid_id(id: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    !id.is_empty()
        && id.chars().all(ok_char)
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// "a State", "an Actor".
fn with_article(word: &str) -> String {
    let vowel = word.starts_with(|c: char| "AEIOUaeiou".contains(c));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

fn slugify(id: &str) -> String {
    let mut out = String::new();
    for c in id.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Whether `id` is a Wikidata item ID.
pub fn is_wikidata_id(id: &str) -> bool {
    id.strip_prefix('Q').is_some_and(|n| {
        !n.is_empty() && !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit())
    })
}

/// An xsd literal for a time value as written in a facts file.
pub fn time_literal(value: &str) -> Result<Literal, String> {
    let bad = || {
        format!(
            "invalid time value `{value}`: expected YYYY, YYYY-MM, YYYY-MM-DD or an xsd:dateTime (YYYY-MM-DDThh:mm:ss with an optional zone)"
        )
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = value.split('-').collect();
    let datatype = if value.contains('T') {
        oxsdatatypes::DateTime::from_str(value).map_err(|_| bad())?;
        xsd::DATE_TIME
    } else {
        match parts.as_slice() {
            [y] if digits(y) && y.len() == 4 => {
                oxsdatatypes::GYear::from_str(value).map_err(|_| bad())?;
                xsd::G_YEAR
            }
            [y, m] if digits(y) && y.len() == 4 && digits(m) => {
                oxsdatatypes::GYearMonth::from_str(value).map_err(|_| bad())?;
                xsd::G_YEAR_MONTH
            }
            [y, m, d] if digits(y) && y.len() == 4 && digits(m) && digits(d) => {
                oxsdatatypes::Date::from_str(value).map_err(|_| bad())?;
                xsd::DATE
            }
            _ => return Err(bad()),
        }
    };
    Ok(Literal::new_typed_literal(
        value,
        oxigraph::model::NamedNode::new_unchecked(datatype),
    ))
}

struct Checker<'a> {
    source: &'a SourceFile,
    /// Where each value of the file is: built on the first problem (most files have none).
    spans: std::cell::OnceCell<SpanIndex>,
    ontology: &'a Ontology,
    problems: Vec<Diagnostic>,
    /// entity id → class IRI (`None` when the class is unknown: already reported)
    entities: BTreeMap<String, Option<String>>,
}

impl Checker<'_> {
    fn spans(&self) -> &SpanIndex {
        self.spans
            .get_or_init(|| SpanIndex::new(&self.source.text, self.source.format))
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        let offset = self.spans().offset(path);
        self.problems
            .push(self.source.diagnostic_at(offset, message));
    }

    fn check_id(&mut self, path: &str, what: &str, id: &str) {
        if !is_valid_id(id) {
            let suggestion = slugify(id);
            let hint = if suggestion.is_empty() {
                String::new()
            } else {
                format!("; try `{suggestion}`")
            };
            self.problem(
                path,
                format!("invalid {what} id `{id}`: use letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit{hint}"),
            );
        }
    }

    /// Checks `id` (the `i`th of `list`) and records it; a duplicate is reported with the line of
    /// the first. Returns whether the id is new.
    fn unique_id(
        &mut self,
        seen: &mut BTreeMap<String, usize>,
        list: &str,
        what: &str,
        i: usize,
        id: &str,
    ) -> bool {
        let path = format!("{list}[{i}].id");
        self.check_id(&path, what, id);
        if let Some(&first) = seen.get(id) {
            let first = self.spans().offset(&format!("{list}[{first}].id"));
            let (line, _) = crate::source::line_col(&self.source.text, first);
            self.problem(
                &path,
                format!("duplicate {what} id `{id}` (first defined on line {line})"),
            );
            return false;
        }
        seen.insert(id.to_string(), i);
        true
    }

    /// The class of a defined entity, or a problem naming the closest id.
    fn entity(&mut self, path: &str, id: &str) -> Option<String> {
        if let Some(class) = self.entities.get(id) {
            // An entity whose class is unknown is defined; its uses are not checked further.
            return class.clone();
        }
        let hint = did_you_mean(id, self.entities.keys().map(String::as_str));
        self.problem(path, format!("undefined entity `{id}`{hint}"));
        None
    }

    fn class_name(&self, iri: &str) -> String {
        crate::vocab::nkg_local(iri).unwrap_or(iri).to_string()
    }

    /// Checks that entity `id` (of class `class`) is below `expected`.
    fn expect_class(&mut self, path: &str, id: &str, class: &str, expected: &str, why: &str) {
        if !self.ontology.is_subclass_of(class, expected) {
            let message = format!(
                "{why} must be {} (or below it), but `{id}` is {}",
                with_article(&self.class_name(expected)),
                with_article(&self.class_name(class))
            );
            self.problem(path, message);
        }
    }
}

/// Checks a parsed facts file. `text` is the article's text when the file points to one (read by
/// the caller); `text_error` says why it could not be read.
pub fn validate(
    source: &SourceFile,
    file: ArticleFile,
    ontology: &Ontology,
) -> Result<ValidArticle, Vec<Diagnostic>> {
    let mut c = Checker {
        source,
        spans: std::cell::OnceCell::new(),
        ontology,
        problems: Vec::new(),
        entities: BTreeMap::new(),
    };
    let meta = &file.article;
    c.check_id("article.id", "article", &meta.id);

    // The article's text, when given.
    let text = match &meta.text {
        Some(path) => match source.article_text(path) {
            Ok(text) => Some(text),
            Err(e) => {
                c.problem("article.text", e);
                None
            }
        },
        None => None,
    };

    // Entities first: facts refer to them.
    let mut entities = Vec::new();
    let mut first_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, e) in file.entities.iter().enumerate() {
        let path = format!("entities[{i}]");
        if !c.unique_id(&mut first_seen, "entities", "entity", i, &e.id) {
            continue;
        }
        let class = match ontology.class(&e.class) {
            Some(iri) if ontology.is_subclass_of(iri, nkg::ENTITY) => Some(iri.to_string()),
            Some(_) => {
                c.problem(
                    &format!("{path}.class"),
                    format!(
                        "`{}` is not an entity class (it is not below Entity)",
                        e.class
                    ),
                );
                None
            }
            None => {
                let names = ontology.entity_class_names();
                let hint = did_you_mean(&e.class, names.iter().map(String::as_str));
                c.problem(
                    &format!("{path}.class"),
                    format!("unknown class `{}`{hint}", e.class),
                );
                None
            }
        };
        if e.label.trim().is_empty() {
            c.problem(&format!("{path}.label"), "the label is empty");
        }
        if let Some(q) = &e.wikidata {
            check_wikidata(&mut c, &format!("{path}.wikidata"), q);
            if let Some(class) = &class
                && let Some(item) =
                    crate::link::class_conflict(class, q, Catalog::embedded(), ontology)
            {
                c.problem(
                    &format!("{path}.wikidata"),
                    format!(
                        "{q} is {} ({}) in the catalog ({}), not {}: check the ID",
                        item.label,
                        with_article(crate::vocab::nkg_local(&item.class).unwrap_or(&item.class)),
                        crate::catalog::PATH,
                        with_article(&e.class),
                    ),
                );
            }
        }
        if let Some(class) = class {
            c.entities.insert(e.id.clone(), Some(class.clone()));
            entities.push(crate::validate::ValidEntity {
                id: e.id.clone(),
                class,
                label: e.label.clone(),
                aliases: e.aliases.clone(),
                wikidata: e.wikidata.clone(),
                stands_for: e.stands_for.clone(),
                note: e.note.clone(),
            });
        } else {
            // Known id, unknown class: keep the id defined so its uses are not reported too.
            c.entities.insert(e.id.clone(), None);
        }
    }

    // Metonyms point to another entity, which carries the Wikidata link.
    for (i, e) in file.entities.iter().enumerate() {
        if let Some(target) = &e.stands_for {
            let path = format!("entities[{i}].stands_for");
            if target == &e.id {
                c.problem(&path, format!("`{}` cannot stand for itself", e.id));
            } else {
                c.entity(&path, target);
            }
            if e.wikidata.is_some() {
                c.problem(
                    &format!("entities[{i}].wikidata"),
                    format!(
                        "`{}` stands for `{target}`: put the Wikidata ID on `{target}`, not on the name that stands for it",
                        e.id
                    ),
                );
            }
        }
    }

    // Article metadata.
    if let Some(p) = &meta.publisher {
        c.entity("article.publisher", p);
    }
    for (i, a) in meta.authors.iter().enumerate() {
        c.entity(&format!("article.authors[{i}]"), a);
    }
    if let Some(url) = &meta.url
        && let Err(e) = iri_string::types::IriStr::new(url)
    {
        c.problem("article.url", format!("invalid URL `{url}`: {e}"));
    }
    let published = meta.published.as_deref().and_then(|p| {
        let literal = if p.contains('T') || p.len() == 10 {
            time_literal(p).ok()
        } else {
            None
        }
        .ok_or_else(|| {
            format!(
                "invalid publication date `{p}`: expected YYYY-MM-DD or an xsd:dateTime (YYYY-MM-DDThh:mm:ss with an optional zone)"
            )
        });
        literal.map_err(|e| c.problem("article.published", e)).ok()
    });
    if let Some(lang) = &meta.language
        && Literal::new_language_tagged_literal("x", lang).is_err()
    {
        c.problem(
            "article.language",
            format!("invalid language tag `{lang}`: use a BCP 47 tag such as `en` or `fr-CA`"),
        );
    }

    // Facts.
    let mut facts = Vec::new();
    let mut fact_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, f) in file.facts.iter().enumerate() {
        let path = format!("facts[{i}]");
        c.unique_id(&mut fact_seen, "facts", "fact", i, &f.id);
        if let Some(fact) = check_fact(&mut c, &path, f, text.as_deref()) {
            facts.push(fact);
        }
    }

    let mut no_claims = Vec::new();
    for (i, n) in file.no_claims.iter().enumerate() {
        let position = match text.as_deref().map(|t| evidence::locate(t, &n.quote)) {
            Some(Ok(p)) => Some(p),
            Some(Err(e)) => {
                c.problem(&format!("no_claims[{i}].quote"), e.to_string());
                None
            }
            None => None,
        };
        if n.reason.trim().is_empty() {
            c.problem(
                &format!("no_claims[{i}].reason"),
                "say why this passage states nothing",
            );
        }
        no_claims.push((n.quote.clone(), n.reason.clone(), position));
    }

    if c.problems.is_empty() {
        Ok(ValidArticle {
            source: source.name.clone(),
            id: meta.id.clone(),
            title: meta.title.clone(),
            publisher: meta.publisher.clone(),
            authors: meta.authors.clone(),
            url: meta.url.clone(),
            published,
            language: meta.language.clone(),
            genre: meta.genre.clone(),
            text,
            text_path: meta.text.as_deref().map(|t| source.text_display_path(t)),
            entities,
            facts,
            no_claims,
        })
    } else {
        c.problems.sort();
        Err(c.problems)
    }
}

fn check_wikidata(c: &mut Checker<'_>, path: &str, q: &str) {
    if is_wikidata_id(q) {
        return;
    }
    let tail = q.rsplit(['/', ':']).next().unwrap_or(q);
    let candidate = tail.to_ascii_uppercase();
    let hint = if is_wikidata_id(&candidate) {
        format!("; write `{candidate}`")
    } else {
        String::new()
    };
    c.problem(
        path,
        format!(
            "malformed Wikidata ID `{q}`: an item ID is `Q` followed by digits, e.g. `Q801`{hint}"
        ),
    );
}

fn check_fact(
    c: &mut Checker<'_>,
    path: &str,
    f: &FactDecl,
    text: Option<&str>,
) -> Option<ValidFact> {
    let ontology = c.ontology;
    let before = c.problems.len();
    let relation_keys = f.subject.is_some() || f.property.is_some() || f.object.is_some();
    let event_keys = f.event.is_some()
        || f.about.is_some()
        || !f.participants.is_empty()
        || f.place.is_some()
        || f.label.is_some();

    let kind = if relation_keys && event_keys {
        // Point at the key that does not belong: a relation key in what has an event class,
        // an event key in what has a property.
        let relation = [
            ("subject", f.subject.is_some()),
            ("object", f.object.is_some()),
            ("property", f.property.is_some()),
        ];
        let event = [
            ("event", f.event.is_some()),
            ("about", f.about.is_some()),
            ("participants", !f.participants.is_empty()),
            ("place", f.place.is_some()),
            ("label", f.label.is_some()),
        ];
        let stray: &[(&str, bool)] = if f.property.is_none() {
            &relation
        } else {
            &event
        };
        let key = stray
            .iter()
            .find(|(_, present)| *present)
            .map_or("", |(key, _)| key);
        c.problem(
            &format!("{path}.{key}"),
            format!("fact `{}` mixes a relation (subject, property, object) with an event (event, about, participants, place, label): `{key}` does not belong; split it in two", f.id),
        );
        None
    } else if relation_keys {
        check_relation(c, path, f)
    } else if event_keys {
        check_event(c, path, f)
    } else {
        c.problem(
            path,
            format!("fact `{}` states nothing: give a relation (subject, property, object) or an event (event, participants)", f.id),
        );
        None
    };

    // Evidence.
    let mut position = None;
    if let Some(text) = text {
        match evidence::locate(text, &f.quote) {
            Ok(p) => position = Some(p),
            Err(e) => c.problem(&format!("{path}.quote"), e.to_string()),
        }
    } else if f.quote.trim().is_empty() {
        c.problem(
            &format!("{path}.quote"),
            evidence::QuoteError::Empty.to_string(),
        );
    }

    // Modality and attribution.
    let modality = match ontology.modality(&f.modality) {
        Some(iri) => iri.to_string(),
        None => {
            let names = ontology.modality_names();
            let hint = did_you_mean(&f.modality, names.iter().map(String::as_str));
            c.problem(
                &format!("{path}.modality"),
                format!(
                    "unknown modality `{}`{hint} (known: {})",
                    f.modality,
                    names.join(", ")
                ),
            );
            String::new()
        }
    };
    let said_by: Vec<String> = f
        .said_by
        .as_ref()
        .map(|s| s.as_slice().to_vec())
        .unwrap_or_default();
    let said_path = |i: usize| match &f.said_by {
        Some(crate::facts::OneOrMany::Many(_)) => format!("{path}.said_by[{i}]"),
        _ => format!("{path}.said_by"),
    };
    let source_range = crate::vocab::nkg_local(nkg::ACCORDING_TO)
        .and_then(|l| ontology.property(l))
        .and_then(|p| p.range.clone())
        .unwrap_or_else(|| nkg::ENTITY.to_string());
    for (i, who) in said_by.iter().enumerate() {
        if let Some(class) = c.entity(&said_path(i), who) {
            c.expect_class(&said_path(i), who, &class, &source_range, "who said it");
        }
    }
    if modality == nkg::REPORTED && said_by.is_empty() && f.attribution.is_none() {
        c.problem(
            &format!("{path}.modality"),
            "a reported fact needs its source: `said_by` (entity ids) or `attribution` (an unnamed source as written)",
        );
    }

    // Time.
    let time_value = f
        .time
        .as_ref()
        .and_then(|t| t.value.as_deref())
        .and_then(|v| {
            time_literal(v)
                .map_err(|e| c.problem(&format!("{path}.time.value"), e))
                .ok()
        });
    if let Some(t) = &f.time
        && t.text.trim().is_empty()
    {
        c.problem(
            &format!("{path}.time.text"),
            "the time's text is empty: write the time as the article does",
        );
    }

    // Qualifiers.
    let mut qualifiers = Vec::new();
    for (key, value) in &f.qualifiers {
        let qpath = format!("{path}.qualifiers.{key}");
        match ontology.property(key).filter(|p| ontology.is_qualifier(p)) {
            Some(p) => {
                let range = p.range.clone().unwrap_or_default();
                if p.kind == PropertyKind::Object && ontology.is_subclass_of(&range, nkg::ENTITY) {
                    if let Some(class) = c.entity(&qpath, value) {
                        c.expect_class(&qpath, value, &class, &range, &format!("the {key}"));
                    }
                    qualifiers.push((p.iri.clone(), QualifierValue::Entity(value.clone())));
                } else {
                    qualifiers.push((p.iri.clone(), QualifierValue::Text(value.clone())));
                }
            }
            None => {
                let names = ontology.qualifier_names();
                let hint = did_you_mean(key, names.iter().map(String::as_str));
                let offset = c.spans().key_offset(&qpath);
                let problem = c.source.diagnostic_at(
                    offset,
                    format!(
                        "unknown qualifier `{key}`{hint} (known: {})",
                        names.join(", ")
                    ),
                );
                c.problems.push(problem);
            }
        }
    }

    if c.problems.len() > before {
        return None;
    }
    Some(ValidFact {
        id: f.id.clone(),
        kind: kind?,
        quote: f.quote.clone(),
        position,
        modality,
        said_by,
        attribution: f.attribution.clone(),
        time_text: f.time.as_ref().map(|t| t.text.clone()),
        time_value,
        qualifiers,
        note: f.note.clone(),
    })
}

fn check_relation(c: &mut Checker<'_>, path: &str, f: &FactDecl) -> Option<FactKind> {
    let ontology = c.ontology;
    let (Some(subject), Some(property), Some(object)) = (&f.subject, &f.property, &f.object) else {
        let missing: Vec<&str> = [
            ("subject", f.subject.is_none()),
            ("property", f.property.is_none()),
            ("object", f.object.is_none()),
        ]
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| k)
        .collect();
        c.problem(
            path,
            format!(
                "relation fact `{}` is missing `{}`",
                f.id,
                missing.join("`, `")
            ),
        );
        return None;
    };
    let prop = match ontology.property(property) {
        Some(p) if ontology.is_relation(p) => p.clone(),
        Some(_) => {
            c.problem(
                &format!("{path}.property"),
                format!("`{property}` is not a relation between entities; `newskg schema` lists the properties a fact can state"),
            );
            return None;
        }
        None => {
            let names = ontology.relation_names();
            let hint = did_you_mean(property, names.iter().map(String::as_str));
            c.problem(
                &format!("{path}.property"),
                format!("unknown property `{property}`{hint}"),
            );
            return None;
        }
    };
    let domain = prop.domain.clone().unwrap_or_default();
    let range = prop.range.clone().unwrap_or_default();
    if let Some(class) = c.entity(&format!("{path}.subject"), subject) {
        c.expect_class(
            &format!("{path}.subject"),
            subject,
            &class,
            &domain,
            &format!("the subject of `{property}` (its rdfs:domain)"),
        );
    }
    let objects = object.as_slice().to_vec();
    if objects.is_empty() {
        c.problem(&format!("{path}.object"), "the object list is empty");
    }
    for (i, o) in objects.iter().enumerate() {
        let opath = match object {
            crate::facts::OneOrMany::Many(_) => format!("{path}.object[{i}]"),
            crate::facts::OneOrMany::One(_) => format!("{path}.object"),
        };
        if let Some(class) = c.entity(&opath, o) {
            c.expect_class(
                &opath,
                o,
                &class,
                &range,
                &format!("the object of `{property}` (its rdfs:range)"),
            );
        }
    }
    Some(FactKind::Relation {
        subject: subject.clone(),
        property: prop.iri,
        objects,
    })
}

fn check_event(c: &mut Checker<'_>, path: &str, f: &FactDecl) -> Option<FactKind> {
    let ontology = c.ontology;
    let class = match &f.event {
        Some(name) => match ontology.class(name) {
            Some(iri) if ontology.is_subclass_of(iri, nkg::EVENT) => Some(iri.to_string()),
            Some(_) => {
                c.problem(
                    &format!("{path}.event"),
                    format!("`{name}` is not an event class (it is not below Event)"),
                );
                None
            }
            None => {
                let names = ontology.event_class_names();
                let hint = did_you_mean(name, names.iter().map(String::as_str));
                c.problem(
                    &format!("{path}.event"),
                    format!("unknown event class `{name}`{hint}"),
                );
                None
            }
        },
        None if f.about.is_none() => {
            c.problem(
                path,
                format!(
                    "event fact `{}` needs `event` (its class) or `about` (a named event entity)",
                    f.id
                ),
            );
            None
        }
        None => None,
    };
    if let Some(about) = &f.about
        && let Some(class) = c.entity(&format!("{path}.about"), about)
    {
        c.expect_class(
            &format!("{path}.about"),
            about,
            &class,
            nkg::EVENT,
            "`about`",
        );
        if f.label.is_some() {
            c.problem(
                &format!("{path}.label"),
                format!("`{about}` is a named entity with its own label; drop `label` here (or drop `about` to describe a new event)"),
            );
        }
    }
    let mut participants = Vec::new();
    for (i, p) in f.participants.iter().enumerate() {
        let ppath = format!("{path}.participants[{i}]");
        c.entity(&format!("{ppath}.entity"), &p.entity);
        match ontology.role(&p.role) {
            Some(role) => participants.push((p.entity.clone(), role.to_string())),
            None => {
                let names = ontology.role_names();
                let hint = did_you_mean(&p.role, names.iter().map(String::as_str));
                c.problem(
                    &format!("{ppath}.role"),
                    format!(
                        "unknown role `{}`{hint} (known: {})",
                        p.role,
                        names.join(", ")
                    ),
                );
            }
        }
    }
    if let Some(place) = &f.place
        && let Some(class) = c.entity(&format!("{path}.place"), place)
    {
        c.expect_class(
            &format!("{path}.place"),
            place,
            &class,
            nkg::PLACE,
            "the place",
        );
    }
    Some(FactKind::Event {
        class,
        about: f.about.clone(),
        label: f.label.clone(),
        participants,
        place: f.place.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("benjamin-netanyahu"));
        assert!(is_valid_id("f1.2_b"));
        assert!(!is_valid_id("has space"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("x/y"));
        assert_eq!(slugify("Has Space!"), "has-space");
    }

    #[test]
    fn wikidata_ids() {
        assert!(is_wikidata_id("Q801"));
        assert!(!is_wikidata_id("Q0801"));
        assert!(!is_wikidata_id("q801"));
        assert!(!is_wikidata_id("P31"));
        assert!(!is_wikidata_id("Q"));
    }

    #[test]
    fn times() {
        assert!(
            time_literal("2020")
                .unwrap()
                .to_string()
                .ends_with("#gYear>")
        );
        assert!(
            time_literal("2023-10")
                .unwrap()
                .to_string()
                .ends_with("#gYearMonth>")
        );
        assert!(
            time_literal("2023-10-07")
                .unwrap()
                .to_string()
                .ends_with("#date>")
        );
        assert!(time_literal("2023-10-07T06:30:00Z").is_ok());
        assert!(time_literal("2023-13-01").is_err());
        assert!(time_literal("2023-02-30").is_err());
        assert!(time_literal("Oct. 7").is_err());
    }
}
