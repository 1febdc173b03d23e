//! Writing changed articles: only the triples that differ from what the store holds.
use crate::error::{Error, Result};
use crate::ontology::{self, Ontology};
use crate::store::records;
use crate::vocab;
use oxigraph::model::{NamedNode, NamedNodeRef, Quad};
use oxigraph::store::Store;
use std::collections::{BTreeSet, HashSet};

/// In one atomic transaction: makes each article's graphs (or the ontology's) and what the store
/// records of them hold exactly its new quads. Only what differs from what the store holds is written: an edit
/// of one fact rewrites that fact's quads, not the article's, so that an update costs in time
/// and in the store's growth what it changes, not the size of the articles it touches.
/// Returns how many data triples (not records) it wrote and removed.
pub(super) fn update(
    store: &Store,
    articles: &[(BTreeSet<NamedNode>, Vec<Quad>)],
) -> Result<(usize, usize)> {
    let mut t = store
        .start_transaction()
        .map_err(Error::store("cannot start a transaction"))?;
    let (mut written, mut removed) = (0, 0);
    for (graphs, quads) in articles {
        let mut held: HashSet<Quad> = HashSet::new();
        for graph in graphs {
            held.extend(records::held(store, graph)?);
        }
        let new: HashSet<&Quad> = quads.iter().collect();
        for quad in held.iter().filter(|q| !new.contains(q)) {
            t.remove(quad);
            removed += usize::from(!records::is_record(quad));
        }
        for quad in quads.iter().filter(|q| !held.contains(*q)) {
            t.insert(quad);
            written += usize::from(!records::is_record(quad));
        }
    }
    t.commit()
        .map_err(Error::store("cannot commit a transaction"))?;
    Ok((written, removed))
}

/// The ontology's graph, refreshed when it changed.
pub(super) fn refresh_ontology(store: &Store, ontology: &Ontology) -> Result<()> {
    let graph = NamedNodeRef::new_unchecked(vocab::ONTOLOGY_IRI);
    let hash = records::hash_of(ontology.source().as_bytes());
    if records::has_hash(store, graph, &hash)? {
        return Ok(());
    }
    let mut quads: Vec<Quad> = ontology.quads().collect();
    quads.extend(records::record(&graph.into_owned(), ontology::PATH, &hash));
    update(store, &[(BTreeSet::from([graph.into_owned()]), quads)])?;
    Ok(())
}
