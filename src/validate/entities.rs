//! The entities an article declares: unique ids, classes below nkg:Entity, labels, Wikidata IDs
//! (well-formed, and not of another class in the catalog), and metonyms (`stands_for`).

use super::{Checker, local, with_article};
use crate::catalog;
use crate::input::facts::EntityDecl;
use crate::model::ValidEntity;
use crate::validate::corpus::disagreement;
use crate::vocab::nkg;
use std::collections::BTreeMap;

/// Checks the declared entities, records their ids (and classes) in the checker, and returns
/// those that passed.
pub(super) fn check(c: &mut Checker<'_>, declared: &[EntityDecl]) -> Vec<ValidEntity> {
    let ontology = c.ontology;
    let mut entities = Vec::new();
    let mut first_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, e) in declared.iter().enumerate() {
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
                c.unknown(&format!("{path}.class"), "class", &e.class, &names, false);
                None
            }
        };
        if e.label.trim().is_empty() {
            c.problem(&format!("{path}.label"), "the label is empty");
        }
        for (a, alias) in e.aliases.iter().enumerate() {
            if alias.trim().is_empty() {
                c.problem(
                    &format!("{path}.aliases[{a}]"),
                    "an alias is empty: remove it",
                );
            }
        }
        if let Some(q) = &e.wikidata {
            wikidata(c, &format!("{path}.wikidata"), q);
            if let Some(class) = &class
                && let Some(item) = c.catalog.class_conflict(class, q, ontology)
            {
                c.problem(
                    &format!("{path}.wikidata"),
                    format!(
                        "{q} is {} ({}) in the catalog ({}), not {}: check the ID",
                        item.label,
                        with_article(local(&item.class)),
                        catalog::PATH,
                        with_article(&e.class),
                    ),
                );
            }
        }
        agree_with_registry(c, &path, e, class.as_deref());
        // A known id of an unknown class stays defined, so that its uses are not reported too.
        c.entities.insert(e.id.clone(), class.clone());
        c.names.push((e.label.clone(), e.id.clone()));
        c.names
            .extend(e.aliases.iter().map(|a| (a.clone(), e.id.clone())));
        if let Some(class) = class {
            entities.push(ValidEntity {
                id: e.id.clone(),
                class,
                label: e.label.clone(),
                aliases: e.aliases.clone(),
                wikidata: e.wikidata.clone(),
                stands_for: e.stands_for.clone(),
                note: e.note.clone(),
            });
        }
    }

    // Metonyms point to another entity, which carries the Wikidata link.
    for (i, e) in declared.iter().enumerate() {
        if let Some(target) = &e.stands_for {
            let path = format!("entities[{i}].stands_for");
            if target == &e.id {
                c.problem(&path, format!("`{}` cannot stand for itself", e.id));
            } else {
                c.entity(&path, target);
                if let Some(cycle) = stands_for_cycle(declared, &e.id) {
                    c.problem(
                        &path,
                        format!(
                            "`stands_for` goes round in a circle ({}): one of them must be the entity itself, without `stands_for`",
                            cycle.join(" → ")
                        ),
                    );
                }
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
    entities
}

/// The ids `stands_for` leads through from `start` back to it, when it does.
fn stands_for_cycle(declared: &[EntityDecl], start: &str) -> Option<Vec<String>> {
    let target_of = |id: &str| {
        declared
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.stands_for.clone())
    };
    let mut path = vec![start.to_string()];
    let mut current = target_of(start)?;
    while path.len() <= declared.len() {
        if current == start {
            path.push(current);
            return Some(path);
        }
        if path.contains(&current) {
            return None; // a circle that does not pass through `start`: reported from its own
        }
        path.push(current.clone());
        current = target_of(&current)?;
    }
    None
}

/// A Wikidata ID must be an item ID; a URL or a lower-case one gets the ID to write instead.
fn wikidata(c: &mut Checker<'_>, path: &str, q: &str) {
    if crate::lexical::is_wikidata_id(q) {
        return;
    }
    let tail = q.rsplit(['/', ':']).next().unwrap_or(q);
    let candidate = tail.to_ascii_uppercase();
    let hint = if crate::lexical::is_wikidata_id(&candidate) {
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

/// An entity the registry describes may be declared in a file too, but then as the registry
/// describes it; a merged id is not declared at all.
fn agree_with_registry(c: &mut Checker<'_>, path: &str, e: &EntityDecl, class: Option<&str>) {
    if let Some((into, place)) = c.registry.merge(&e.id) {
        let message = format!(
            "`{}` is merged into `{into}` in the registry ({place}): use `{into}`, or drop this declaration",
            e.id
        );
        c.problem(&format!("{path}.id"), message);
        return;
    }
    let Some(r) = c.registry.get(&e.id) else {
        return;
    };
    let (registered, place) = (r.entity.clone(), r.fields.clone());
    let checks = [
        (
            "class",
            class.map(|c| local(c).to_string()),
            Some(local(&registered.class).to_string()),
        ),
        (
            "label",
            Some(e.label.clone()),
            Some(registered.label.clone()),
        ),
        ("wikidata", e.wikidata.clone(), registered.wikidata.clone()),
        (
            "stands_for",
            e.stands_for.clone(),
            registered.stands_for.clone(),
        ),
    ];
    for (key, here, there) in checks {
        // an unknown class is reported already
        if key == "class" && here.is_none() {
            continue;
        }
        if here != there {
            let message = disagreement(&e.id, key, here.as_deref(), there.as_deref(), &place[key]);
            c.problem(&format!("{path}.{key}"), message);
        }
    }
}
