//! The facts an article states: each a relation (subject, property, object, checked against the
//! property's domain and range) or an event (class, participants and their roles, place), with
//! its evidence (the quote, placed in the text), modality and source, time and qualifiers.

use super::{Checker, evidence, times, unknown_term};
use crate::input::facts::FactDecl;
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
        || f.label.is_some()
        || f.cameo.is_some()
        || f.casualties.is_some();

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
            ("cameo", f.cameo.is_some()),
            ("casualties", f.casualties.is_some()),
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
        Some(s) => s.item_path(&format!("{path}.said_by"), i),
        None => format!("{path}.said_by"),
    };
    let source_range = vocab::nkg_local(nkg::ACCORDING_TO)
        .and_then(|l| ontology.property(l))
        .and_then(|p| p.range.clone())
        .unwrap_or_else(|| nkg::ENTITY.to_string());
    for (i, who) in said_by.iter().enumerate() {
        c.entity_of_class(&said_path(i), who, &source_range, "who said it");
    }
    if f.attribution
        .as_deref()
        .is_some_and(|a| a.trim().is_empty())
    {
        c.problem(
            &format!("{path}.attribution"),
            "`attribution` is empty: write the source as the article names it (\"Israeli media\"), or name it with `said_by`",
        );
    }
    if modality == nkg::REPORTED && said_by.is_empty() && f.attribution.is_none() {
        c.problem(
            &format!("{path}.modality"),
            "a reported fact needs its source: `said_by` (entity ids) or `attribution` (an unnamed source as written)",
        );
    }
    let citing: Vec<String> = f
        .citing
        .as_ref()
        .map(|s| s.as_slice().to_vec())
        .unwrap_or_default();
    for (i, who) in citing.iter().enumerate() {
        let cpath = match &f.citing {
            Some(s) => s.item_path(&format!("{path}.citing"), i),
            None => format!("{path}.citing"),
        };
        c.entity_of_class(&cpath, who, &source_range, "a cited source");
    }
    if !citing.is_empty() && said_by.is_empty() && f.attribution.is_none() {
        c.problem(
            &format!("{path}.citing"),
            "`citing` names whom the source cites, but the fact names no source: add `said_by` (or `attribution`) for who reported it",
        );
    }

    // Links to other claims of the article (their targets are checked with the whole file).
    let mut links = Vec::new();
    for (key, targets) in &f.links {
        let lpath = format!("{path}.links.{key}");
        match ontology.property(key).filter(|p| ontology.is_claim_link(p)) {
            Some(p) => {
                for t in targets.as_slice() {
                    links.push((p.iri.clone(), t.clone()));
                }
            }
            None => {
                let names = ontology.claim_link_names();
                c.problem_at_key(
                    &lpath,
                    unknown_term(ontology, "claim link", key, &names, true),
                );
            }
        }
    }
    if modality == nkg::CONDITIONAL
        && !f
            .qualifiers
            .contains_key(vocab::nkg_local(nkg::CONDITION).unwrap_or_default())
        && !links.iter().any(|(p, _)| p == nkg::ON_CONDITION)
    {
        c.problem(
            &format!("{path}.modality"),
            "a conditional fact needs its condition: `qualifiers = { condition = \"…\" }` (in the article's words) or `links = { onCondition = \"fact-id\" }` (the claim it depends on)",
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
    if let (Some(text), Some(t)) = (text, &f.time) {
        times::time_in_text(
            c,
            &format!("{path}.time"),
            text,
            &t.text,
            time_value.as_ref(),
        );
    }
    let is_relation = matches!(kind, Some(FactKind::Relation { .. }));
    let mut span = |key: &str, t: &Option<crate::input::facts::Time>| {
        let t = t.as_ref()?;
        if !is_relation && kind.is_some() {
            c.problem(
                &format!("{path}.{key}"),
                format!("`{key}` is for a relation (when it held); an event's time is `time`"),
            );
        }
        if t.text.trim().is_empty() {
            c.problem(
                &format!("{path}.{key}.text"),
                format!("the `{key}` text is empty: write it as the article does"),
            );
        }
        let value = t.value.as_deref().and_then(|v| {
            time_literal(v)
                .map_err(|e| c.problem(&format!("{path}.{key}.value"), e))
                .ok()
        });
        Some((t.text.clone(), value))
    };
    let since = span("since", &f.since);
    let until = span("until", &f.until);
    if let Some(text) = text {
        for (key, span) in [("since", &since), ("until", &until)] {
            if let Some((written, value)) = span {
                times::time_in_text(c, &format!("{path}.{key}"), text, written, value.as_ref());
            }
        }
    }
    if let (Some((_, Some(s))), Some((_, Some(u)))) = (&since, &until)
        && times::ends_before(u.value(), s.value())
    {
        c.problem(
            &format!("{path}.until.value"),
            format!(
                "the relation ends (`{}`) before it begins (`{}`): check both against the article",
                u.value(),
                s.value()
            ),
        );
    }
    let (cameo, casualties) = event_codes(c, path, f, kind.as_ref());
    let ended = f.ended.unwrap_or(false);
    if ended && !is_relation && kind.is_some() {
        c.problem(
            &format!("{path}.ended"),
            "`ended` is for a relation that held once and no longer does",
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
                c.problem_at_key(
                    &qpath,
                    unknown_term(ontology, "qualifier", key, &names, true),
                );
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
        citing,
        time_text: f.time.as_ref().map(|t| t.text.clone()),
        time_value,
        since,
        until,
        ended,
        links,
        cameo,
        casualties,
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
        let opath = object.item_path(&format!("{path}.object"), i);
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

/// An event's CAMEO code (checked against its class's) and its casualties (their number a whole
/// number).
fn event_codes(
    c: &mut Checker<'_>,
    path: &str,
    f: &FactDecl,
    kind: Option<&FactKind>,
) -> (Option<String>, Option<(String, Option<u64>)>) {
    let class = match kind {
        Some(FactKind::Event { class, about, .. }) => class.clone().or_else(|| {
            let id = about.as_ref()?;
            match c.entities.get(id) {
                Some(class) => class.clone(),
                None => c.registry.get(id).map(|r| r.entity.class.clone()),
            }
        }),
        _ => None,
    };
    let mut cameo = None;
    if let Some(code) = &f.cameo {
        let cpath = format!("{path}.cameo");
        let root: Option<u32> = code.get(..2).and_then(|r| r.parse().ok());
        let class_code = class.as_deref().and_then(|k| c.ontology.cameo_code(k));
        if !(3..=4).contains(&code.len())
            || !code.bytes().all(|b| b.is_ascii_digit())
            || !root.is_some_and(|r| (1..=20).contains(&r))
        {
            c.problem(
                &cpath,
                format!("`{code}` is not a CAMEO event code: three or four digits, the first two a root from 01 to 20 (`042`, `1312`)"),
            );
        } else if let Some(class) = class.as_deref() {
            let name = super::local(class).to_string();
            match class_code {
                None => c.problem(
                    &cpath,
                    format!("the event class `{name}` has no CAMEO code to check `{code}` against (see its nkg:cameoNote)"),
                ),
                Some(own) => {
                    // a class coded `x0` (a root's or a second level's "not specified below")
                    // takes the codes below it; any other, its own code and those below it
                    let prefix = if own.len() == 3 && own.ends_with('0') {
                        &own[..2]
                    } else {
                        own
                    };
                    if code.starts_with(prefix) {
                        cameo = Some(code.clone());
                    } else {
                        c.problem(
                            &cpath,
                            format!("CAMEO code `{code}` does not fit the event class `{name}` (CAMEO {own}): use a code that starts with `{prefix}`, or the class that `{code}` codes"),
                        );
                    }
                }
            }
        }
    }
    let mut casualties = None;
    if let Some(k) = &f.casualties {
        if k.text.trim().is_empty() {
            c.problem(
                &format!("{path}.casualties.text"),
                "the casualties' text is empty: write them as the article does",
            );
        }
        let count = match &k.count {
            None => None,
            Some(v) => match v.as_u64() {
                Some(n) => Some(n),
                None => {
                    c.problem(
                        &format!("{path}.casualties.count"),
                        format!("casualties' `count` must be a whole number of people, as the text gives it (`count = 12`), not `{v}`; leave it out when the text gives none"),
                    );
                    None
                }
            },
        };
        casualties = Some((k.text.clone(), count));
    }
    (cameo, casualties)
}
