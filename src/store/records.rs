//! What a store records of itself, in its bookkeeping graph (`vocab::STORE_GRAPH`, never
//! exported): for each article the facts file it came from and a hash of that file and its text;
//! for the ontology a hash of its source. Builds compare the hashes to skip what is unchanged.

use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::ontology::Ontology;
use crate::pipeline::Read;
use crate::validate::corpus::Declarations;
use crate::vocab::{self, nkg, rdf};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::{Store, Transaction};
use std::collections::BTreeMap;

/// FNV-1a, 64 bits: enough to tell a changed file from an unchanged one.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The hash of some bytes, as the store records it.
pub fn hash_of(bytes: &[u8]) -> String {
    let mut hash = FNV_OFFSET;
    fnv(&mut hash, bytes);
    format!("{hash:016x}")
}

/// The hash of a facts file and of the text it points to (its offsets depend on it).
pub fn hash(read: &Read) -> String {
    let mut hash = FNV_OFFSET;
    fnv(&mut hash, read.source.text.as_bytes());
    if let Some(Ok(text)) = &read.text {
        fnv(&mut hash, &[0]);
        fnv(&mut hash, text.as_bytes());
    }
    format!("{hash:016x}")
}

/// What the store records of one article.
pub struct Recorded {
    pub article: NamedNode,
    pub hash: String,
}

fn store_graph() -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(vocab::STORE_GRAPH)
}

/// The articles of the store, by the facts file each came from.
pub fn recorded(store: &Store) -> Result<BTreeMap<String, Recorded>> {
    let mut files: BTreeMap<NamedNode, (Option<String>, Option<String>)> = BTreeMap::new();
    for quad in store.quads_for_pattern(None, None, None, Some(store_graph().into())) {
        let quad = quad.map_err(Error::store("cannot read the store's records"))?;
        let NamedOrBlankNode::NamedNode(subject) = quad.subject else {
            continue;
        };
        let Term::Literal(value) = quad.object else {
            continue;
        };
        let entry = files.entry(subject).or_default();
        match quad.predicate.as_str() {
            nkg::SOURCE_FILE => entry.0 = Some(value.value().to_string()),
            nkg::SOURCE_HASH => entry.1 = Some(value.value().to_string()),
            _ => {}
        }
    }
    Ok(files
        .into_iter()
        // the ontology's own record is not an article's
        .filter(|(subject, _)| subject.as_str() != vocab::ONTOLOGY_IRI)
        .filter_map(|(article, (file, hash))| {
            Some((
                file?,
                Recorded {
                    article,
                    hash: hash.unwrap_or_default(),
                },
            ))
        })
        .collect())
}

/// The record of `subject` (an article, or the ontology): the file it came from and its hash.
pub fn record(subject: &NamedNode, file: &str, hash: &str) -> [Quad; 2] {
    let graph = GraphName::NamedNode(store_graph().into_owned());
    [(nkg::SOURCE_FILE, file), (nkg::SOURCE_HASH, hash)].map(|(p, value)| {
        Quad::new(
            subject.clone(),
            NamedNode::new_unchecked(p),
            Literal::new_simple_literal(value),
            graph.clone(),
        )
    })
}

/// Whether the store records `hash` for `subject`.
pub fn has_hash(store: &Store, subject: NamedNodeRef<'_>, hash: &str) -> Result<bool> {
    store
        .contains(oxigraph::model::QuadRef::new(
            subject,
            NamedNodeRef::new_unchecked(nkg::SOURCE_HASH),
            oxigraph::model::LiteralRef::new_simple_literal(hash),
            store_graph(),
        ))
        .map_err(Error::store("cannot read the store's records"))
}

/// Removes a graph and what the store records of it, in the transaction `t`.
pub fn forget(t: &mut Transaction<'_>, store: &Store, graph: &NamedNode) -> Result<()> {
    t.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))
        .map_err(Error::store("cannot remove a graph"))?;
    let records: Vec<Quad> = store
        .quads_for_pattern(
            Some(graph.as_ref().into()),
            None,
            None,
            Some(store_graph().into()),
        )
        .collect::<std::result::Result<_, _>>()
        .map_err(Error::store("cannot read the store's records"))?;
    for q in &records {
        t.remove(q);
    }
    Ok(())
}

/// What a stored article declares (its id, its entities' classes), read from its graph: for the
/// checks across files when its file is not read again.
pub fn declarations(
    store: &Store,
    base: &Base,
    ontology: &Ontology,
    recorded: &Recorded,
) -> Result<Declarations> {
    let mut classes: BTreeMap<String, String> = BTreeMap::new();
    let rdf_type = NamedNodeRef::new_unchecked(rdf::TYPE);
    for quad in store.quads_for_pattern(
        None,
        Some(rdf_type),
        None,
        Some(recorded.article.as_ref().into()),
    ) {
        let quad = quad.map_err(Error::store("cannot read an article's graph"))?;
        if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(class)) =
            (quad.subject, quad.object)
            && let Some(id) = base.entity_id(s.as_str())
            && ontology.is_subclass_of(class.as_str(), nkg::ENTITY)
        {
            classes
                .entry(id.to_string())
                .or_insert_with(|| class.as_str().to_string());
        }
    }
    Ok(Declarations {
        article: base
            .article_id(&recorded.article)
            .unwrap_or_default()
            .to_string(),
        entities: classes
            .into_iter()
            .enumerate()
            .map(|(i, (id, class))| (i, id, class))
            .collect(),
    })
}
