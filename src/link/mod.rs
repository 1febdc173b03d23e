//! Linking, beside the pipeline: takes checked articles and gives each entity's Wikidata link
//! status, from the bundled catalog (offline, verified IDs) and, when asked, from a SPARQL
//! endpoint ([`remote`]); [`rewrite`] writes accepted links into facts files. Every candidate says why (label, alias, demonym, metonym; class
//! compatible or not) and gets a score; several close candidates are reported as ambiguous,
//! never silently picked.
//!
//! Scoring: the name counts 0.6 when the entity's label is the item's label, 0.5 for an alias,
//! 0.3 for a demonym or a metonym (a capital's name read as its state); a match found through
//! one of the entity's aliases counts 0.1 less. A class compatible with the item's (one below
//! the other in the ontology) adds 0.4. A candidate is *accepted* — `link --write` writes it —
//! at [`ACCEPT`] or more, which takes a label or alias match and a compatible class: a name
//! alone is never enough.

pub mod remote;
pub mod rewrite;

use crate::catalog::{Catalog, Match};
use crate::model::{ValidArticle, ValidEntity};
use crate::ontology::Ontology;
use crate::vocab;
use std::collections::BTreeMap;

/// The score from which a candidate is accepted.
pub const ACCEPT: f64 = 0.9;
/// Candidates within this of the best one make the entity ambiguous.
const AMBIGUITY: f64 = 0.1;

/// A possible Wikidata item for an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub qid: String,
    pub label: String,
    /// The item's class (an ontology local name), or its Wikidata type for online candidates.
    pub class: String,
    pub score: f64,
    pub reasons: Vec<String>,
    pub class_compatible: bool,
    /// `catalog` or the endpoint's URL.
    pub source: String,
}

/// What newskg can say about one entity's link.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// The facts file gives the ID; `catalog` says whether the catalog agrees.
    Linked {
        qid: String,
        catalog: String,
    },
    /// One best candidate (the others, if any, well behind).
    Candidate {
        best: Candidate,
        accepted: bool,
        others: Vec<Candidate>,
    },
    /// Several candidates too close to choose between.
    Ambiguous(Vec<Candidate>),
    Unlinked,
}

impl Status {
    pub fn name(&self) -> &'static str {
        match self {
            Status::Linked { .. } => "linked",
            Status::Candidate { .. } => "candidate",
            Status::Ambiguous(_) => "ambiguous",
            Status::Unlinked => "unlinked",
        }
    }
}

/// The link status of one entity of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityLink {
    pub source: String,
    pub entity: String,
    pub label: String,
    /// Ontology local name.
    pub class: String,
    /// The entity this one is a metonym for, if any.
    pub stands_for: Option<String>,
    pub status: Status,
}

fn local(iri: &str) -> &str {
    vocab::nkg_local(iri).unwrap_or(iri)
}

/// Titles written before a person's name ("President Erdoğan", "Israeli Prime Minister
/// Benjamin Netanyahu"): set aside to match the name.
const TITLES: &[&str] = &[
    "president",
    "prime minister",
    "pm",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "general",
    "king",
    "queen",
    "crown prince",
    "prince",
    "sheikh",
    "emir",
    "sultan",
    "ayatollah",
    "supreme leader",
    "foreign minister",
    "defense minister",
    "defence minister",
    "minister",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "secretary of state",
    "secretary",
    "pope",
];

/// `name` without its title (and the state's adjective before it): ("President", "Erdoğan")
/// for "Turkish President Erdoğan"; `None` when it has none.
fn without_title<'n>(name: &'n str, catalog: &Catalog) -> Option<(String, &'n str)> {
    let words: Vec<(usize, &str)> = name
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - name.as_ptr() as usize, w))
        .collect();
    let mut first = 0;
    if words.len() > 2
        && catalog
            .lookup(words[0].1)
            .iter()
            .any(|(_, how)| *how == Match::Demonym)
    {
        first = 1;
    }
    for title in TITLES {
        let n = title.split(' ').count();
        if words.len() > first + n {
            let written: Vec<&str> = words[first..first + n].iter().map(|(_, w)| *w).collect();
            if crate::catalog::normalize(&written.join(" ")) == *title {
                let rest = &name[words[first + n].0..];
                let shown: Vec<&str> = words[..first + n].iter().map(|(_, w)| *w).collect();
                return Some((shown.join(" "), rest));
            }
        }
    }
    None
}

/// The catalog's people whose last name is `surname` (folded).
fn by_surname<'c>(
    surname: &str,
    catalog: &'c Catalog,
    ontology: &Ontology,
) -> Vec<&'c crate::catalog::Entry> {
    let key = crate::catalog::normalize(surname);
    catalog
        .entries()
        .iter()
        .filter(|e| ontology.is_subclass_of(&e.class, vocab::nkg::PERSON))
        .filter(|e| {
            std::iter::once(&e.label)
                .chain(&e.aliases)
                .filter_map(|n| n.split_whitespace().last())
                .any(|last| crate::catalog::normalize(last) == key)
        })
        .collect()
}

/// Scores the catalog items the entity's names can mean.
pub fn catalog_candidates(
    entity: &ValidEntity,
    catalog: &Catalog,
    ontology: &Ontology,
) -> Vec<Candidate> {
    let mut best: BTreeMap<String, Candidate> = BTreeMap::new();
    let names = std::iter::once((entity.label.as_str(), 0.0))
        .chain(entity.aliases.iter().map(|a| (a.as_str(), 0.1)));
    for (name, discount) in names {
        for (item, how) in catalog.lookup(name) {
            let name_score: f64 = match how {
                Match::Label => 0.6,
                Match::Alias => 0.5,
                Match::Demonym | Match::Metonym => 0.3,
            } - discount;
            // A capital's name written for a government stands for that government's state.
            let for_government = how == Match::Metonym
                && ontology.is_subclass_of(&entity.class, vocab::nkg::GOVERNMENT);
            let class_ok = ontology.compatible(&entity.class, &item.class) || for_government;
            let score = name_score + if class_ok { 0.4 } else { 0.0 };
            let mut reasons = vec![match how {
                Match::Metonym => format!("metonym: “{name}” is the capital of {}", item.label),
                how => format!("{} “{name}”", how.name()),
            }];
            if for_government {
                reasons.push(format!(
                    "the government stands for {}: link the state's entity and write `stands_for`",
                    item.label
                ));
            }
            reasons.push(if class_ok {
                format!("class {} compatible", local(&item.class))
            } else {
                format!(
                    "class incompatible: the item is a {}, the entity a {}",
                    local(&item.class),
                    local(&entity.class)
                )
            });
            let candidate = Candidate {
                qid: item.qid.clone(),
                label: item.label.clone(),
                class: local(&item.class).to_string(),
                score: (score * 100.0).round() / 100.0,
                reasons,
                class_compatible: class_ok,
                source: "catalog".into(),
            };
            match best.get(&item.qid) {
                Some(c) if c.score >= candidate.score => {}
                _ => {
                    best.insert(item.qid.clone(), candidate);
                }
            }
        }
    }
    // a person's name after its title, then a surname alone ("Erdoğan"): a candidate to
    // check, never accepted by itself
    if ontology.is_subclass_of(&entity.class, vocab::nkg::PERSON) {
        let names = std::iter::once((entity.label.as_str(), 0.0))
            .chain(entity.aliases.iter().map(|a| (a.as_str(), 0.1)));
        for (name, discount) in names {
            let (title, bare) = match without_title(name, catalog) {
                Some((title, rest)) => (Some(title), rest),
                None => (None, name),
            };
            let mut found = Vec::new();
            if let Some(title) = &title {
                for (item, how) in catalog.lookup(bare) {
                    if matches!(how, Match::Label | Match::Alias) {
                        let score: f64 = if how == Match::Label { 0.6 } else { 0.5 };
                        found.push((
                            item,
                            score - discount,
                            format!("{} “{bare}”, the title “{title}” set aside", how.name()),
                        ));
                    }
                }
            }
            if found.is_empty() && bare.split_whitespace().count() == 1 {
                let people = by_surname(bare, catalog, ontology);
                for item in &people {
                    let alone = if people.len() == 1 {
                        "the catalog's only person of that name"
                    } else {
                        "one of the catalog's people of that name"
                    };
                    found.push((
                        item,
                        0.45_f64 - discount,
                        format!(
                            "surname “{bare}” of {} ({alone}): check that the article means this person",
                            item.label
                        ),
                    ));
                }
            }
            for (item, name_score, reason) in found {
                if !ontology.compatible(&entity.class, &item.class) {
                    continue;
                }
                let candidate = Candidate {
                    qid: item.qid.clone(),
                    label: item.label.clone(),
                    class: local(&item.class).to_string(),
                    score: ((name_score + 0.4) * 100.0).round() / 100.0,
                    reasons: vec![reason, format!("class {} compatible", local(&item.class))],
                    class_compatible: true,
                    source: "catalog".into(),
                };
                match best.get(&item.qid) {
                    Some(c) if c.score >= candidate.score => {}
                    _ => {
                        best.insert(item.qid.clone(), candidate);
                    }
                }
            }
        }
    }
    let mut candidates: Vec<Candidate> = best.into_values().collect();
    sort(&mut candidates);
    candidates
}

fn sort(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.qid.cmp(&b.qid))
    });
}

/// The status of an entity given its candidates, best first.
pub fn decide(mut candidates: Vec<Candidate>) -> Status {
    sort(&mut candidates);
    // An item of an incompatible class is never a rival of one whose class fits.
    if candidates.iter().any(|c| c.class_compatible) {
        candidates.sort_by_key(|c| !c.class_compatible);
    }
    let Some(first) = candidates.first() else {
        return Status::Unlinked;
    };
    let (top, fits) = (first.score, first.class_compatible);
    let close = candidates
        .iter()
        .filter(|c| c.class_compatible == fits && c.score >= top - AMBIGUITY)
        .count();
    if close > 1 {
        candidates.truncate(close);
        return Status::Ambiguous(candidates);
    }
    let best = candidates.remove(0);
    Status::Candidate {
        accepted: best.score >= ACCEPT && best.source == "catalog",
        best,
        others: candidates,
    }
}

/// What the catalog says of an ID a facts file gives.
pub fn catalog_verdict(entity: &ValidEntity, qid: &str, catalog: &Catalog) -> String {
    match catalog.get(qid) {
        Some(item) => format!("the catalog agrees ({})", item.label),
        None => {
            let other = catalog
                .lookup(&entity.label)
                .into_iter()
                .find(|(_, how)| *how == Match::Label);
            match other {
                Some((item, _)) => format!(
                    "not in the catalog, which knows “{}” as {} ({})",
                    entity.label, item.qid, item.label
                ),
                None => "not in the catalog".into(),
            }
        }
    }
}

/// The link status of every entity of the articles, from the catalog.
pub fn link(articles: &[ValidArticle], catalog: &Catalog, ontology: &Ontology) -> Vec<EntityLink> {
    let mut out = Vec::new();
    for article in articles {
        for e in &article.entities {
            let status = match (&e.wikidata, &e.stands_for) {
                (Some(qid), _) => Status::Linked {
                    qid: qid.clone(),
                    catalog: catalog_verdict(e, qid, catalog),
                },
                // A metonym is not linked itself: what it stands for is.
                (None, Some(_)) => Status::Unlinked,
                (None, None) => decide(catalog_candidates(e, catalog, ontology)),
            };
            out.push(EntityLink {
                source: article.source.clone(),
                entity: e.id.clone(),
                label: e.label.clone(),
                class: local(&e.class).to_string(),
                stands_for: e.stands_for.clone(),
                status,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(label: &str, class: &str, aliases: &[&str]) -> ValidEntity {
        ValidEntity {
            id: "e".into(),
            class: Ontology::embedded().class(class).unwrap().into(),
            label: label.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            wikidata: None,
            stands_for: None,
            note: None,
        }
    }

    fn status(label: &str, class: &str, aliases: &[&str]) -> Status {
        let e = entity(label, class, aliases);
        decide(catalog_candidates(
            &e,
            Catalog::embedded(),
            Ontology::embedded(),
        ))
    }

    #[test]
    fn a_label_and_a_compatible_class_are_accepted() {
        match status("Azerbaijan", "State", &["Baku"]) {
            Status::Candidate { best, accepted, .. } => {
                assert_eq!(best.qid, "Q227");
                assert_eq!(best.score, 1.0);
                assert!(accepted);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_capital_written_for_its_state_is_a_metonym_not_the_city() {
        match status("Baku", "State", &[]) {
            Status::Candidate {
                best,
                accepted,
                others,
            } => {
                assert_eq!(best.qid, "Q227", "the state, not the city");
                assert!(best.reasons[0].starts_with("metonym"));
                assert!(!accepted, "a metonym is a candidate, not an accepted link");
                assert!(
                    others
                        .iter()
                        .any(|c| c.qid == "Q9248" && !c.class_compatible)
                );
            }
            other => panic!("{other:?}"),
        }
        // the same name as a city is the city
        match status("Baku", "City", &[]) {
            Status::Candidate { best, .. } => assert_eq!(best.qid, "Q9248"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_name_alone_is_not_enough() {
        // the right name with an incompatible class: a candidate, not accepted
        match status("Israel", "Person", &[]) {
            Status::Candidate { best, accepted, .. } => {
                assert!(!best.class_compatible);
                assert!(!accepted);
                assert!(best.score < ACCEPT);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(status("Ruritania", "State", &[]), Status::Unlinked);
    }

    #[test]
    fn a_capital_written_for_a_government_points_to_its_state() {
        match status("Ankara", "Government", &[]) {
            Status::Candidate { best, accepted, .. } => {
                assert_eq!(best.qid, "Q43", "Turkey, not the city");
                assert!(!accepted);
                assert!(best.reasons.iter().any(|r| r.contains("stands_for")));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn people_by_folded_names_titles_and_surnames() {
        // diacritics folded: another spelling of Erdoğan's name is his label
        for name in ["Recep Tayyip Erdoǧan", "RECEP TAYYIP ERDOGAN"] {
            match status(name, "Person", &[]) {
                Status::Candidate { best, accepted, .. } => {
                    assert_eq!(best.qid, "Q39259", "{name}");
                    assert!(accepted, "{name}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        // a title set aside: the full name is enough
        match status("Turkish President Recep Tayyip Erdogan", "Person", &[]) {
            Status::Candidate { best, accepted, .. } => {
                assert_eq!(best.qid, "Q39259");
                assert!(accepted);
                assert!(best.reasons[0].contains("the title “Turkish President” set aside"));
            }
            other => panic!("{other:?}"),
        }
        // a surname alone, or after a title: a candidate, never accepted by itself
        for name in ["Erdoğan", "President Erdoğan", "Erdoǧan"] {
            match status(name, "Person", &[]) {
                Status::Candidate { best, accepted, .. } => {
                    assert_eq!(best.qid, "Q39259", "{name}");
                    assert!(!accepted, "{name}");
                    assert!(best.reasons[0].starts_with("surname"), "{name}");
                    assert!(best.score < ACCEPT);
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        // a surname is no State's name, and another person's full name is not a surname
        assert_eq!(status("Erdoğan", "State", &[]), Status::Unlinked);
        assert_eq!(status("Leila Netanyahu", "Person", &[]), Status::Unlinked);
    }

    #[test]
    fn close_candidates_are_ambiguous() {
        // "Congolese" is the demonym of both Congos
        match status("Congolese", "State", &[]) {
            Status::Ambiguous(c) => {
                let qids: Vec<&str> = c.iter().map(|c| c.qid.as_str()).collect();
                assert!(qids.contains(&"Q971") && qids.contains(&"Q974"), "{qids:?}");
            }
            other => panic!("{other:?}"),
        }
        // "Washington" for a place: the city (an alias) well before the state (a metonym)
        match status("Washington", "Place", &[]) {
            Status::Candidate { best, others, .. } => {
                assert_eq!(best.qid, "Q61");
                assert!(others.iter().any(|c| c.qid == "Q30"));
            }
            other => panic!("{other:?}"),
        }
    }
}
