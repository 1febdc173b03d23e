//! What a store records of itself, in its bookkeeping graph (`vocab::STORE_GRAPH`, never
//! exported): for each article the facts file it came from and a hash of that file and its text;
//! for the ontology a hash of its source. Builds compare the hashes to skip what is unchanged.

use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::model::ValidEntity;
use crate::pipeline::Read;
use crate::validate::corpus::Declarations;
use crate::validate::registry::Registry;
use crate::vocab::{self, nkg};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::{Store, Transaction};
use std::collections::{BTreeMap, BTreeSet};

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

/// What an article's records hold, in this version: a change makes the next build map every
/// article again, writing only what differs (2: the article's text, [`record_text`]).
const RECORDS_VERSION: &[u8] = b"records 2\0";

/// The hash of a facts file and of the text it points to (its offsets depend on it), and of
/// what the records of this version hold.
pub fn hash(read: &Read) -> String {
    let mut hash = FNV_OFFSET;
    fnv(&mut hash, RECORDS_VERSION);
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
pub fn recorded(store: &Store, base: &Base) -> Result<BTreeMap<String, Recorded>> {
    let registry = base.entities_graph();
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
        // the ontology's and the registry's own records are not articles'
        // nor a plain RDF file's (see `build::plain`)
        .filter(|(subject, _)| {
            subject.as_str() != vocab::ONTOLOGY_IRI
                && subject != &registry
                && !base.is_plain_graph(subject.as_str())
        })
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

/// The record of an article's text, when its facts file points to one: the text its quotes'
/// offsets count in, so that the article can be shown with each quote in place.
pub fn record_text(article: &NamedNode, text: Option<&str>) -> Option<Quad> {
    Some(Quad::new(
        article.clone(),
        NamedNode::new_unchecked(nkg::SOURCE_TEXT),
        Literal::new_simple_literal(text?),
        GraphName::NamedNode(store_graph().into_owned()),
    ))
}

/// The text recorded for `article` (see [`record_text`]), if any.
pub fn text(store: &Store, article: NamedNodeRef<'_>) -> Result<Option<String>> {
    let found = store
        .quads_for_pattern(
            Some(article.into()),
            Some(NamedNodeRef::new_unchecked(nkg::SOURCE_TEXT)),
            None,
            Some(store_graph().into()),
        )
        .next()
        .transpose()
        .map_err(Error::store("cannot read the store's records"))?;
    Ok(found.and_then(|q| match q.object {
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    }))
}

/// How many of `quads` are records (in the store's own graph), not data.
pub fn count(quads: &[Quad]) -> usize {
    quads.iter().filter(|q| is_record(q)).count()
}

/// Whether `quad` is a record (in the store's own graph), not data.
pub fn is_record(quad: &Quad) -> bool {
    quad.graph_name.as_ref() == GraphNameRef::NamedNode(store_graph())
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

/// What the store holds of `graph`: its quads and what the store records of it.
pub fn held(store: &Store, graph: &NamedNode) -> Result<Vec<Quad>> {
    let read = Error::store("cannot read the store");
    let mut quads: Vec<Quad> = store
        .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
        .collect::<std::result::Result<_, _>>()
        .map_err(read)?;
    let records = store.quads_for_pattern(
        Some(graph.as_ref().into()),
        None,
        None,
        Some(store_graph().into()),
    );
    for quad in records {
        quads.push(quad.map_err(Error::store("cannot read the store's records"))?);
    }
    Ok(quads)
}

/// Removes what the store records of `subject`, in the transaction `t`.
pub fn forget_records(t: &mut Transaction<'_>, store: &Store, subject: &NamedNode) -> Result<()> {
    let graph = subject;
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

/// Records that `article`'s facts file is now `file` (its corpus moved), in the transaction `t`.
pub fn move_to(
    t: &mut Transaction<'_>,
    store: &Store,
    article: &NamedNode,
    file: &str,
) -> Result<()> {
    let predicate = NamedNodeRef::new_unchecked(nkg::SOURCE_FILE);
    let old: Vec<Quad> = store
        .quads_for_pattern(
            Some(article.as_ref().into()),
            Some(predicate),
            None,
            Some(store_graph().into()),
        )
        .collect::<std::result::Result<_, _>>()
        .map_err(Error::store("cannot read the store's records"))?;
    for q in &old {
        t.remove(q);
    }
    t.insert(oxigraph::model::QuadRef::new(
        article.as_ref(),
        predicate,
        oxigraph::model::LiteralRef::new_simple_literal(file),
        store_graph(),
    ));
    Ok(())
}

/// The record of what an article declares of its entities (see [`Declarations`]), when it
/// declares any: so that a later build can describe them again without reading its file.
pub fn record_declarations(article: &NamedNode, declared: &Declarations) -> Option<Quad> {
    if declared.entities.is_empty() {
        return None;
    }
    let json = serde_json::to_string(declared).expect("declarations serialize");
    Some(Quad::new(
        article.clone(),
        NamedNode::new_unchecked(nkg::DECLARATIONS),
        Literal::new_simple_literal(json),
        GraphName::NamedNode(store_graph().into_owned()),
    ))
}

/// What a stored article declares of its entities, as recorded; nothing when it declares none
/// (or its record cannot be read: then it is described again when its file is next built).
pub fn declarations(store: &Store, article: &NamedNode, base: &Base) -> Result<Declarations> {
    let recorded = store
        .quads_for_pattern(
            Some(article.as_ref().into()),
            Some(NamedNodeRef::new_unchecked(nkg::DECLARATIONS)),
            None,
            Some(store_graph().into()),
        )
        .next()
        .transpose()
        .map_err(Error::store("cannot read the store's records"))?;
    let parsed = recorded.and_then(|q| match q.object {
        Term::Literal(l) => serde_json::from_str::<Declarations>(l.value()).ok(),
        _ => None,
    });
    Ok(parsed.unwrap_or_else(|| Declarations {
        article: base.article_id(article).unwrap_or_default().to_string(),
        language: None,
        entities: Vec::new(),
    }))
}

/// What the store records of the registry it was last built with.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RegistryRecord {
    /// Its entities, with their languages.
    pub entities: Vec<(ValidEntity, Option<String>)>,
    /// (merged id, the id kept)
    pub merges: Vec<(String, String)>,
}

impl RegistryRecord {
    pub fn of(registry: &Registry) -> RegistryRecord {
        RegistryRecord {
            entities: registry
                .entities()
                .map(|r| (r.entity.clone(), r.language.clone()))
                .collect(),
            merges: registry
                .merges()
                .map(|(id, (into, _))| (id.clone(), into.clone()))
                .collect(),
        }
    }

    /// The ids whose description or merge differs between `self` and `other`.
    pub fn changed(&self, other: &RegistryRecord) -> BTreeSet<String> {
        let entities = |r: &RegistryRecord| -> BTreeMap<String, (ValidEntity, Option<String>)> {
            r.entities
                .iter()
                .map(|(e, l)| (e.id.clone(), (e.clone(), l.clone())))
                .collect()
        };
        let (a, b) = (entities(self), entities(other));
        let merges =
            |r: &RegistryRecord| -> BTreeMap<String, String> { r.merges.iter().cloned().collect() };
        let (ma, mb) = (merges(self), merges(other));
        let mut ids: BTreeSet<String> = BTreeSet::new();
        for id in a.keys().chain(b.keys()) {
            if a.get(id) != b.get(id) {
                ids.insert(id.clone());
            }
        }
        for id in ma.keys().chain(mb.keys()) {
            if ma.get(id) != mb.get(id) {
                ids.insert(id.clone());
                ids.extend(ma.get(id).cloned());
                ids.extend(mb.get(id).cloned());
            }
        }
        ids
    }
}

/// The record of the registry (its files and what it describes), under the entities' graph.
pub fn record_registry(base: &Base, registry: &Registry) -> Vec<Quad> {
    let subject = base.entities_graph();
    let texts: String = registry
        .texts()
        .iter()
        .map(|(name, text)| format!("{name}\0{text}\0"))
        .collect();
    let json = serde_json::to_string(&RegistryRecord::of(registry)).expect("a record serializes");
    let graph = GraphName::NamedNode(store_graph().into_owned());
    let mut quads: Vec<Quad> = registry
        .texts()
        .iter()
        .map(|(name, _)| {
            Quad::new(
                subject.clone(),
                NamedNode::new_unchecked(nkg::SOURCE_FILE),
                Literal::new_simple_literal(name),
                graph.clone(),
            )
        })
        .collect();
    quads.push(Quad::new(
        subject.clone(),
        NamedNode::new_unchecked(nkg::SOURCE_HASH),
        Literal::new_simple_literal(hash_of(texts.as_bytes())),
        graph.clone(),
    ));
    quads.push(Quad::new(
        subject,
        NamedNode::new_unchecked(nkg::DECLARATIONS),
        Literal::new_simple_literal(json),
        graph,
    ));
    quads
}

/// The registry files the store was last built with.
pub fn registry_files(store: &Store, base: &Base) -> Result<Vec<String>> {
    let subject = base.entities_graph();
    let mut files = Vec::new();
    for quad in store.quads_for_pattern(
        Some(subject.as_ref().into()),
        Some(NamedNodeRef::new_unchecked(nkg::SOURCE_FILE)),
        None,
        Some(store_graph().into()),
    ) {
        if let Term::Literal(l) = quad
            .map_err(Error::store("cannot read the store's records"))?
            .object
        {
            files.push(l.value().to_string());
        }
    }
    files.sort();
    Ok(files)
}

/// The registry the store was last built with (empty when none).
pub fn stored_registry(store: &Store, base: &Base) -> Result<RegistryRecord> {
    let subject = base.entities_graph();
    let recorded = store
        .quads_for_pattern(
            Some(subject.as_ref().into()),
            Some(NamedNodeRef::new_unchecked(nkg::DECLARATIONS)),
            None,
            Some(store_graph().into()),
        )
        .next()
        .transpose()
        .map_err(Error::store("cannot read the store's records"))?;
    Ok(recorded
        .and_then(|q| match q.object {
            Term::Literal(l) => serde_json::from_str(l.value()).ok(),
            _ => None,
        })
        .unwrap_or_default())
}

/// The articles whose graphs mention `entity` (`schema:mentions`).
pub fn mentioning(store: &Store, base: &Base, entity: &str) -> Result<BTreeSet<NamedNode>> {
    let mut articles = BTreeSet::new();
    let node = base.entity(entity);
    for quad in store.quads_for_pattern(
        None,
        Some(NamedNodeRef::new_unchecked(vocab::schema::MENTIONS)),
        Some(node.as_ref().into()),
        None,
    ) {
        let quad = quad.map_err(Error::store("cannot read an article's graph"))?;
        if let NamedOrBlankNode::NamedNode(article) = quad.subject {
            articles.insert(article);
        }
    }
    Ok(articles)
}
