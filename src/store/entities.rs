//! A store's entities' graph, kept to what is declared: after the articles of a build are
//! written, it is made to hold the descriptions of the registry's entities and of those the
//! articles then in the store declare, whatever an earlier build (even one killed half-way)
//! left; and the articles that use a registry entry that changed are found, to be checked and
//! mapped again.

use super::records::{self, Recorded};
use crate::error::{Error, Result};
use crate::mapping::{self, Base};
use crate::ontology::Ontology;
use crate::validate::descriptions::Descriptions;
use crate::validate::registry::Registry;
use oxigraph::model::{NamedNode, Quad};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The facts files (of `before`, the store's articles) that use an entry of the registry that
/// differs from the one the store was last built with.
pub fn forced(
    store: &Store,
    base: &Base,
    before: &BTreeMap<String, Recorded>,
    registry: &Registry,
) -> Result<BTreeSet<String>> {
    let file_of: BTreeMap<&NamedNode, &String> =
        before.iter().map(|(file, r)| (&r.article, file)).collect();
    let now = records::RegistryRecord::of(registry);
    let mut forced = BTreeSet::new();
    for id in records::stored_registry(store, base)?.changed(&now) {
        for article in records::mentioning(store, base, &id)? {
            forced.extend(file_of.get(&article).map(|f| (*f).clone()));
        }
    }
    Ok(forced)
}

/// Brings the entities' graph to what `registry` and the store's articles declare:
/// `descriptions` holds what the articles of the files in `described` (those this build read and
/// wrote or kept) declare; the other articles of `before` (unlisted, gone but kept, failed), but
/// the `gone`, declare what they recorded.
#[allow(clippy::too_many_arguments)]
pub fn update(
    store: &Store,
    base: &Base,
    before: &BTreeMap<String, Recorded>,
    gone: &BTreeSet<NamedNode>,
    mut descriptions: Descriptions,
    described: &BTreeSet<String>,
    registry: &Registry,
    ontology: &Ontology,
) -> Result<()> {
    descriptions.add_registry(registry);
    for (file, recorded) in before {
        if !described.contains(file) && !gone.contains(&recorded.article) {
            descriptions.add_declarations(&records::declarations(store, &recorded.article, base)?);
        }
    }
    write(store, base, &descriptions, registry, ontology)
}

/// Makes the entities' graph hold exactly `descriptions`, and records `registry`, in one
/// transaction: only what differs is written.
fn write(
    store: &Store,
    base: &Base,
    descriptions: &Descriptions,
    registry: &Registry,
    ontology: &Ontology,
) -> Result<()> {
    let graph = base.entities_graph();
    let wanted: HashSet<Quad> = mapping::entities::quads(descriptions, base, ontology)
        .into_iter()
        .collect();
    let mut there: HashSet<Quad> = HashSet::new();
    for q in store.quads_for_pattern(None, None, None, Some(graph.as_ref().into())) {
        there.insert(q.map_err(Error::store("cannot read the entities' graph"))?);
    }
    let mut t = store
        .start_transaction()
        .map_err(Error::store("cannot start a transaction"))?;
    for q in there.difference(&wanted) {
        t.remove(q);
    }
    for q in wanted.difference(&there) {
        t.insert(q);
    }
    records::forget_records(&mut t, store, &graph)?;
    t.extend(records::record_registry(base, registry).iter());
    t.commit()
        .map_err(Error::store("cannot commit the entities' graph"))
}
