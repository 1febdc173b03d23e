//! The facts an article states: each a relation (subject, property, object, checked against the
//! property's domain and range) or an event (class, participants and their roles, place), with
//! its evidence (the quote, placed in the text), modality and source, time and qualifiers.

use super::{Checker, evidence, unknown_term};
use crate::input::facts::{FactDecl, OneOrMany};
use crate::lexical::time_literal;
use crate::model::{FactKind, QualifierValue, ValidFact};
use crate::ontology::PropertyKind;
use crate::vocab::{self, nkg};

/// Checks one fact (at `path`, e.g. `facts[3]`); the fact when it has no problem.
pub(super) fn check(
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
        relation(c, path, f)
    } else if event_keys {
        event(c, path, f)
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
            c.unknown(
                &format!("{path}.modality"),
                "modality",
                &f.modality,
                &names,
                true,
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
        Some(OneOrMany::Many(_)) => format!("{path}.said_by[{i}]"),
        _ => format!("{path}.said_by"),
    };
    let source_range = vocab::nkg_local(nkg::ACCORDING_TO)
        .and_then(|l| ontology.property(l))
        .and_then(|p| p.range.clone())
        .unwrap_or_else(|| nkg::ENTITY.to_string());
    for (i, who) in said_by.iter().enumerate() {
        c.entity_of_class(&said_path(i), who, &source_range, "who said it");
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
                    c.entity_of_class(&qpath, value, &range, &format!("the {key}"));
                    qualifiers.push((p.iri.clone(), QualifierValue::Entity(value.clone())));
                } else {
                    qualifiers.push((p.iri.clone(), QualifierValue::Text(value.clone())));
                }
            }
            None => {
                let names = ontology.qualifier_names();
                c.problem_at_key(&qpath, unknown_term("qualifier", key, &names, true));
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

fn relation(c: &mut Checker<'_>, path: &str, f: &FactDecl) -> Option<FactKind> {
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
            c.unknown(
                &format!("{path}.property"),
                "property",
                property,
                &names,
                false,
            );
            return None;
        }
    };
    let domain = prop.domain.clone().unwrap_or_default();
    let range = prop.range.clone().unwrap_or_default();
    c.entity_of_class(
        &format!("{path}.subject"),
        subject,
        &domain,
        &format!("the subject of `{property}` (its rdfs:domain)"),
    );
    let objects = object.as_slice().to_vec();
    if objects.is_empty() {
        c.problem(&format!("{path}.object"), "the object list is empty");
    }
    for (i, o) in objects.iter().enumerate() {
        let opath = match object {
            OneOrMany::Many(_) => format!("{path}.object[{i}]"),
            OneOrMany::One(_) => format!("{path}.object"),
        };
        c.entity_of_class(
            &opath,
            o,
            &range,
            &format!("the object of `{property}` (its rdfs:range)"),
        );
    }
    Some(FactKind::Relation {
        subject: subject.clone(),
        property: prop.iri,
        objects,
    })
}

fn event(c: &mut Checker<'_>, path: &str, f: &FactDecl) -> Option<FactKind> {
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
                c.unknown(&format!("{path}.event"), "event class", name, &names, false);
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
                c.unknown(&format!("{ppath}.role"), "role", &p.role, &names, true);
            }
        }
    }
    if let Some(place) = &f.place {
        c.entity_of_class(&format!("{path}.place"), place, nkg::PLACE, "the place");
    }
    Some(FactKind::Event {
        class,
        about: f.about.clone(),
        label: f.label.clone(),
        participants,
        place: f.place.clone(),
    })
}
