//! `newskg build --verify`: read every index of a store whole and check that they agree.
//!
//! Oxigraph keeps each quad in nine indexes (orders of subject, predicate, object and graph, for
//! the default graph and the named ones) and long strings in a tenth. RocksDB checks a block's
//! checksum when it reads it, so reading every index whole finds a damaged file. Oxigraph's own
//! `Store::validate` does not stop at a read error (it counts the errors as it iterates, and
//! never ends), so the reads are made here, through the public API, each stopping at the first
//! error: a scan of all quads (both graph-first indexes, and every long string as the terms are
//! decoded), then for each predicate, subject and object, and for each graph with each of its
//! predicates and objects, the quads that lookup gives (the other indexes). Every count must be
//! the number of quads.

use crate::error::{Error, Result};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::{BTreeSet, HashSet};

/// What a verification read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub quads: usize,
    /// Lookups made (each a read of one index's range).
    pub lookups: usize,
}

fn damaged(what: &str) -> impl Fn(oxigraph::store::StorageError) -> Error + '_ {
    move |e| {
        Error::store(format!(
            "the store is damaged: reading {what} failed (restore it from a backup, or build it again into a new directory)"
        ))(e)
    }
}

fn count(
    store: &Store,
    what: &str,
    s: Option<&NamedOrBlankNode>,
    p: Option<&NamedNode>,
    o: Option<&Term>,
    g: Option<&GraphName>,
) -> Result<usize> {
    let mut n = 0;
    for q in store.quads_for_pattern(
        s.map(NamedOrBlankNode::as_ref),
        p.map(NamedNode::as_ref),
        o.map(Term::as_ref),
        g.map(GraphName::as_ref),
    ) {
        let q = q.map_err(damaged(what))?;
        // (a lookup of a term finds the terms stored as the same one: count each as itself)
        if s.is_none_or(|s| s == &q.subject)
            && p.is_none_or(|p| p == &q.predicate)
            && o.is_none_or(|o| o == &q.object)
            && g.is_none_or(|g| g == &q.graph_name)
        {
            n += 1;
        }
    }
    Ok(n)
}

/// Reads every index of `store` whole; an error names what could not be read, or which index
/// disagrees with the others.
pub fn verify(store: &Store) -> Result<Verified> {
    let mut v = Verified::default();
    let mut predicates: BTreeSet<NamedNode> = BTreeSet::new();
    let mut subjects: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut objects: HashSet<Term> = HashSet::new();
    let mut graphs: HashSet<GraphName> = HashSet::new();
    for q in store.iter() {
        let q: Quad = q.map_err(damaged("the quads"))?;
        v.quads += 1;
        predicates.insert(q.predicate);
        subjects.insert(q.subject);
        objects.insert(q.object);
        graphs.insert(q.graph_name);
    }
    let disagree = |index: &str, n: usize, quads: usize| {
        Error::StoreLayout(format!(
            "the store is damaged: its {index} index holds {n} quads, its main one {quads} (restore it from a backup, or build it again into a new directory)"
        ))
    };
    let mut sum = |label: &str, counts: &mut dyn Iterator<Item = Result<usize>>| -> Result<()> {
        let mut n = 0;
        for c in counts {
            n += c?;
            v.lookups += 1;
        }
        if n != v.quads {
            return Err(disagree(label, n, v.quads));
        }
        Ok(())
    };
    let by = "the quads of a predicate";
    sum(
        "predicate",
        &mut predicates
            .iter()
            .map(|p| count(store, by, None, Some(p), None, None)),
    )?;
    let by = "the quads of a subject";
    sum(
        "subject",
        &mut subjects
            .iter()
            .map(|s| count(store, by, Some(s), None, None, None)),
    )?;
    drop(subjects);
    let by = "the quads of an object";
    sum(
        "object",
        &mut objects
            .iter()
            .map(|o| count(store, by, None, None, Some(o), None)),
    )?;
    drop(objects);
    // within each graph: by predicate, and by object
    let (mut by_predicate, mut by_object) = (0, 0);
    for g in &graphs {
        let mut ps: BTreeSet<NamedNode> = BTreeSet::new();
        let mut os: HashSet<Term> = HashSet::new();
        for q in store.quads_for_pattern(None, None, None, Some(g.as_ref())) {
            let q = q.map_err(damaged("the quads of a graph"))?;
            ps.insert(q.predicate);
            os.insert(q.object);
        }
        for p in &ps {
            by_predicate += count(
                store,
                "a graph's quads of a predicate",
                None,
                Some(p),
                None,
                Some(g),
            )?;
        }
        for o in &os {
            by_object += count(
                store,
                "a graph's quads of an object",
                None,
                None,
                Some(o),
                Some(g),
            )?;
        }
        v.lookups += 1 + ps.len() + os.len();
    }
    if by_predicate != v.quads {
        return Err(disagree("graph-predicate", by_predicate, v.quads));
    }
    if by_object != v.quads {
        return Err(disagree("graph-object", by_object, v.quads));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_agrees_on_a_sound_store() {
        let kg = crate::store::KnowledgeGraph::embedded().unwrap();
        let v = verify(kg.store()).unwrap();
        assert_eq!(v.quads, kg.store().len().unwrap());
        assert!(v.lookups > v.quads / 10);
    }
}
