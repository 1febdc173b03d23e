//! Plain RDF files in a store: each file's graph replaced when the file changed (only the triples
//! that differ are written), skipped when unchanged, removed with `--prune` when the build does
//! not name the file any more. The store records each file's path and a hash of its triples.

use super::write::update;
use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::mapping::plain::PlainGraph;
use crate::store::records;
use crate::vocab::{self, nkg};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};

/// What a build did with the plain RDF files.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PlainReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub pruned: usize,
}

/// The hash of a file's triples, as the store records it.
fn hash(plain: &PlainGraph) -> String {
    let mut text = String::new();
    for quad in &plain.quads {
        text.push_str(&quad.to_string());
        text.push('\n');
    }
    records::hash_of(text.as_bytes())
}

/// The plain RDF graphs the store holds, with the file and hash it records of each.
pub fn stored(store: &Store, base: &Base) -> Result<BTreeMap<NamedNode, (String, String)>> {
    let mut graphs: BTreeMap<NamedNode, (String, String)> = BTreeMap::new();
    let graph = NamedNodeRef::new_unchecked(vocab::STORE_GRAPH);
    for quad in store.quads_for_pattern(None, None, None, Some(graph.into())) {
        let quad = quad.map_err(Error::store("cannot read the store's records"))?;
        let (NamedOrBlankNode::NamedNode(subject), Term::Literal(value)) =
            (quad.subject, quad.object)
        else {
            continue;
        };
        if !base.is_plain_graph(subject.as_str()) {
            continue;
        }
        let entry = graphs.entry(subject).or_default();
        match quad.predicate.as_str() {
            nkg::SOURCE_FILE => entry.0 = value.value().to_string(),
            nkg::SOURCE_HASH => entry.1 = value.value().to_string(),
            _ => {}
        }
    }
    Ok(graphs)
}

/// Brings the store's plain RDF graphs to `plain`, each file in one atomic transaction; with
/// `prune`, the graphs of files not in `plain` are removed. Returns what it did, and the data
/// triples written and removed.
pub fn sync(
    store: &Store,
    base: &Base,
    plain: &[PlainGraph],
    prune: bool,
) -> Result<(PlainReport, usize, usize)> {
    let before = stored(store, base)?;
    let mut report = PlainReport::default();
    let (mut written, mut removed) = (0, 0);
    for file in plain {
        let hash = hash(file);
        match before.get(&file.graph) {
            Some((path, h)) if h == &hash && path == &file.path => {
                report.unchanged += 1;
                continue;
            }
            Some(_) => report.updated += 1,
            None => report.added += 1,
        }
        let mut quads = file.quads.clone();
        quads.extend(records::record(&file.graph, &file.path, &hash));
        let (w, r) = update(store, &[(BTreeSet::from([file.graph.clone()]), quads)])?;
        written += w;
        removed += r;
    }
    if prune {
        let named: BTreeSet<&NamedNode> = plain.iter().map(|p| &p.graph).collect();
        let gone: Vec<(BTreeSet<NamedNode>, Vec<Quad>)> = before
            .keys()
            .filter(|g| !named.contains(g))
            .map(|g| (BTreeSet::from([g.clone()]), Vec::new()))
            .collect();
        report.pruned = gone.len();
        removed += update(store, &gone)?.1;
    }
    Ok((report, written, removed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::GraphName;
    use std::path::PathBuf;

    fn file(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn in_graph(store: &Store, graph: &NamedNode) -> usize {
        store
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
            .count()
    }

    #[test]
    fn a_file_is_added_kept_updated_by_its_difference_and_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let base = Base::default();
        let store = Store::new().unwrap();
        let a = file(
            dir.path(),
            "a.nt",
            "<http://e/a> <http://e/p> \"1\" .\n<http://e/a> <http://e/p> \"2\" .\n",
        );
        let b = file(dir.path(), "b.ttl", "<http://e/b> <http://e/p> \"1\" .\n");
        let read = |paths: &[PathBuf]| crate::mapping::plain::read(paths, &base, None).unwrap();
        let graph_a = base.plain_graph("a.nt");

        let (report, written, _) =
            sync(&store, &base, &read(&[a.clone(), b.clone()]), false).unwrap();
        assert_eq!((report.added, written), (2, 3));
        assert_eq!(in_graph(&store, &graph_a), 2);
        // plain RDF files are not articles
        assert!(records::recorded(&store, &base).unwrap().is_empty());

        let (report, written, removed) =
            sync(&store, &base, &read(&[a.clone(), b.clone()]), false).unwrap();
        assert_eq!((report.unchanged, written, removed), (2, 0, 0));

        std::fs::write(
            &a,
            "<http://e/a> <http://e/p> \"1\" .\n<http://e/a> <http://e/p> \"3\" .\n",
        )
        .unwrap();
        let (report, written, removed) =
            sync(&store, &base, &read(std::slice::from_ref(&a)), false).unwrap();
        assert_eq!(
            (report.updated, report.unchanged, written, removed),
            (1, 0, 1, 1)
        );
        // not named, not pruned: kept
        assert_eq!(in_graph(&store, &base.plain_graph("b.ttl")), 1);

        let (report, _, removed) =
            sync(&store, &base, &read(std::slice::from_ref(&a)), true).unwrap();
        assert_eq!((report.pruned, removed), (1, 1));
        assert_eq!(in_graph(&store, &base.plain_graph("b.ttl")), 0);
        assert_eq!(stored(&store, &base).unwrap().len(), 1);
        let held: Vec<Quad> = store
            .quads_for_pattern(None, None, None, Some(graph_a.as_ref().into()))
            .map(|q| q.unwrap())
            .collect();
        assert!(
            held.iter()
                .all(|q| q.graph_name == GraphName::NamedNode(graph_a.clone()))
        );
        assert_eq!(held.len(), 2);
    }
}
