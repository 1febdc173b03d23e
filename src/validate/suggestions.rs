//! Suggestions for what is unknown: a term by its spelling or by what the ontology says it
//! means; an entity id by the labels and aliases of the entities.

use super::Checker;
use crate::catalog;
use crate::ontology::Ontology;
use crate::suggest::{self, did_you_mean};

/// "unknown {what} `{name}`", with the closest known term: by spelling, or else by what the
/// terms mean (their labels and comments: `Normalization` finds `Rapprochement`); with `list`,
/// or when nothing is close, all of them named.
pub(super) fn unknown_term(
    ontology: &Ontology,
    what: &str,
    name: &str,
    known: &[String],
    list: bool,
) -> String {
    let spelled = suggest::closest(name, known.iter().map(String::as_str));
    // a typo (two edits at most) is a typo; further off, what the terms mean comes first
    let typo = spelled.is_some_and(|s| suggest::distance(name, s) <= 2);
    let meant = if typo {
        Vec::new()
    } else {
        let described = known.iter().map(|local| {
            let iri = ontology.term_iri(local).unwrap_or_default();
            let label = ontology.label(iri).unwrap_or_default();
            let comment = ontology.comment(iri).unwrap_or_default();
            (local.as_str(), label, comment)
        });
        suggest::by_meaning(name, described)
    };
    let hint = if meant.is_empty() {
        did_you_mean(name, known.iter().map(String::as_str))
    } else {
        let mut options: Vec<String> = meant
            .iter()
            .map(|(term, why)| format!("`{term}` (“{why}”)"))
            .collect();
        options.extend(
            spelled
                .filter(|s| !meant.iter().any(|(t, _)| t == s))
                .map(|s| format!("`{s}`")),
        );
        format!("; did you mean {}?", options.join(" or "))
    };
    let listed = if list || hint.is_empty() {
        format!(" (known: {})", known.join(", "))
    } else {
        String::new()
    };
    format!("unknown {what} `{name}`{hint}{listed}")
}

impl Checker<'_> {
    /// `; did you mean `id`, whose alias is "Baku"?` when `used` (an undefined entity id) is,
    /// once case, diacritics and punctuation are folded, the label or an alias of declared or
    /// registered entities; nothing otherwise.
    pub(super) fn named(&self, used: &str) -> String {
        // (an id writes `_` where a name has a space; `-` and `.` fold as in names)
        let wanted = catalog::normalize(&used.replace('_', " "));
        let registered = self.registry.entities().flat_map(|r| {
            let e = &r.entity;
            std::iter::once((&e.label, &e.id)).chain(e.aliases.iter().map(move |a| (a, &e.id)))
        });
        let mut found: Vec<(&str, &str)> = self
            .names
            .iter()
            .map(|(n, id)| (n, id))
            .chain(registered)
            .filter(|(name, _)| catalog::normalize(name) == wanted)
            .map(|(name, id)| (id.as_str(), name.as_str()))
            .collect();
        found.sort();
        found.dedup_by_key(|(id, _)| *id);
        match found.as_slice() {
            [] => String::new(),
            [(id, name)] => format!("; did you mean `{id}`, whose label or alias is \"{name}\"?"),
            several => format!(
                "; \"{used}\" names several entities: {}",
                several
                    .iter()
                    .map(|(id, name)| format!("`{id}` (\"{name}\")"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}
