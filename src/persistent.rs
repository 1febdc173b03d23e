//! A persistent store on disk (`newskg build --store DIR`): Oxigraph's RocksDB backend behind the
//! `rocksdb` feature, built incrementally from a tree of facts files. Each article's graph is
//! replaced atomically when its file (or the text it points to) changed, skipped when unchanged
//! (a hash is recorded in the store), removed with `--prune` when its file is gone.
//!
//! A store directory holds `newskg-store.json` (what it is, its version and base IRI) and the
//! RocksDB database in `oxigraph/`. A directory without that file is not touched.

use crate::error::{Diagnostic, Error, Result};
use crate::facts;
use crate::input;
use crate::mapping::{self, Base};
use crate::ontology::{self, Ontology};
use crate::source::SourceFile;
use crate::validate::{self, ValidArticle};
use crate::vocab::{self, nkg};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::store::Store;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The file that marks a directory as a newskg store.
pub const MARKER: &str = "newskg-store.json";
/// The layout version this newskg reads and writes.
pub const VERSION: u64 = 1;
/// Articles written per atomic batch.
const BATCH: usize = 256;

/// How a build treats problems and vanished files.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Remove the articles whose files are gone.
    pub prune: bool,
    /// Load the valid files even when others are invalid (the exit status still says so).
    pub keep_going: bool,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub pruned: usize,
    pub triples: usize,
    /// Problems of the files that were not loaded.
    pub failed: Vec<Diagnostic>,
}

fn storage(e: impl std::fmt::Display) -> Error {
    Error::Store(e.to_string())
}

/// The store in `dir`; with `create` (for writing), a new one in a missing or empty directory;
/// without, read-only (several readers, and a build, may run at once).
pub fn open(dir: &Path, base: Option<&Base>, create: bool) -> Result<(Store, Base)> {
    let marker = dir.join(MARKER);
    let shown = dir.display();
    let exists = dir.exists();
    let empty = !exists
        || std::fs::read_dir(dir)
            .map_err(|source| Error::Io {
                path: shown.to_string(),
                source,
            })?
            .next()
            .is_none();
    let base = if marker.exists() {
        let text = std::fs::read_to_string(&marker).map_err(|source| Error::Io {
            path: marker.display().to_string(),
            source,
        })?;
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
            Error::Store(format!(
                "{}: not a newskg store marker; nothing was changed",
                marker.display()
            ))
        })?;
        if json["format"] != "newskg-store" {
            return Err(Error::Store(format!(
                "{shown} is not a newskg store; nothing was changed"
            )));
        }
        let version = json["version"].as_u64().unwrap_or(0);
        if version != VERSION {
            return Err(Error::Store(format!(
                "{shown} is a newskg store of version {version}; this newskg reads version {VERSION}: build a new store with `newskg build --store NEW_DIR`; nothing was changed"
            )));
        }
        let stored = Base::new(json["base"].as_str().unwrap_or_default())?;
        if let Some(b) = base
            && b != &stored
        {
            return Err(Error::Usage(format!(
                "{shown} was built with the base {}, not {}: leave out --base or build a new store",
                stored.as_str(),
                b.as_str()
            )));
        }
        stored
    } else if create && empty {
        base.cloned().unwrap_or_default()
    } else if !exists {
        return Err(Error::Store(format!(
            "no store in {shown}: build one with `newskg build --store {shown} -i FACTS…`"
        )));
    } else {
        return Err(Error::Store(format!(
            "{shown} is not a newskg store (it has no {MARKER}); nothing was changed"
        )));
    };
    if create {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: shown.to_string(),
            source,
        })?;
    }
    let store = open_database(&dir.join("oxigraph"), create)?;
    if !marker.exists() {
        let json = serde_json::json!({ "format": "newskg-store", "version": VERSION, "base": base.as_str() });
        crate::export::to_output(Some(&marker), |w| {
            writeln!(w, "{}", serde_json::to_string_pretty(&json).expect("JSON")).map_err(
                |source| Error::Io {
                    path: marker.display().to_string(),
                    source,
                },
            )
        })?;
    }
    Ok((store, base))
}

#[cfg(feature = "rocksdb")]
fn open_database(path: &Path, write: bool) -> Result<Store> {
    let opened = if write {
        Store::open(path)
    } else {
        Store::open_read_only(path)
    };
    opened.map_err(|e| {
        let message = e.to_string();
        if message.to_lowercase().contains("lock") {
            Error::Store(format!(
                "{} is locked by another process (is a build running?): {message}",
                path.parent().unwrap_or(path).display()
            ))
        } else {
            storage(message)
        }
    })
}

#[cfg(not(feature = "rocksdb"))]
fn open_database(_path: &Path, _write: bool) -> Result<Store> {
    Err(Error::Usage(
        "--store needs newskg built with the `rocksdb` feature: `cargo install --path . --features rocksdb` (it needs libclang, e.g. Debian's libclang-dev, and a long first build)"
            .into(),
    ))
}

/// FNV-1a, 64 bits: enough to tell a changed file from an unchanged one.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

/// What the store records of one article.
struct Recorded {
    article: NamedNode,
    hash: String,
}

fn recorded(store: &Store) -> Result<BTreeMap<String, Recorded>> {
    let graph = NamedNodeRef::new_unchecked(vocab::STORE_GRAPH);
    let mut files: BTreeMap<NamedNode, (Option<String>, Option<String>)> = BTreeMap::new();
    for quad in store.quads_for_pattern(None, None, None, Some(graph.into())) {
        let quad = quad.map_err(storage)?;
        let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = quad.subject else {
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

fn metadata(article: &NamedNode, file: &str, hash: &str) -> [Quad; 2] {
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(vocab::STORE_GRAPH));
    [
        Quad::new(
            article.clone(),
            NamedNode::new_unchecked(nkg::SOURCE_FILE),
            Literal::new_simple_literal(file),
            graph.clone(),
        ),
        Quad::new(
            article.clone(),
            NamedNode::new_unchecked(nkg::SOURCE_HASH),
            Literal::new_simple_literal(hash),
            graph,
        ),
    ]
}

/// One input file, read and hashed.
struct Input {
    name: String,
    source: std::result::Result<SourceFile, Vec<Diagnostic>>,
    hash: String,
}

fn read(path: &Path) -> Input {
    let name = path.display().to_string();
    let source = match SourceFile::read(path) {
        Ok(s) => s,
        Err(Error::Invalid(d)) => {
            return Input {
                name,
                source: Err(d),
                hash: String::new(),
            };
        }
        Err(e) => {
            return Input {
                source: Err(vec![Diagnostic {
                    file: name.clone(),
                    line: 1,
                    column: 1,
                    message: e.to_string(),
                }]),
                name,
                hash: String::new(),
            };
        }
    };
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    fnv(&mut hash, source.text.as_bytes());
    // The text the file points to counts too: its offsets depend on it.
    if let Ok(parsed) = facts::parse(&source)
        && let Some(text) = parsed.article.text.as_deref()
        && let Ok(text) = source.article_text(text)
    {
        fnv(&mut hash, &[0]);
        fnv(&mut hash, text.as_bytes());
    }
    Input {
        name,
        source: Ok(source),
        hash: format!("{hash:016x}"),
    }
}

fn check(
    source: &SourceFile,
    ontology: &Ontology,
) -> std::result::Result<ValidArticle, Vec<Diagnostic>> {
    let file = match facts::parse(source) {
        Ok(f) => f,
        Err(Error::Invalid(d)) => return Err(d),
        Err(e) => {
            return Err(vec![source.diagnostic_at(0, e.to_string())]);
        }
    };
    validate::validate(source, file, ontology)
}

/// Removes an article's graph and what the store records of it, in the transaction `t`.
fn forget(
    t: &mut oxigraph::store::Transaction<'_>,
    store: &Store,
    article: &NamedNode,
) -> Result<()> {
    t.clear_graph(GraphNameRef::NamedNode(article.as_ref()))
        .map_err(storage)?;
    let meta: Vec<Quad> = store
        .quads_for_pattern(
            Some(article.as_ref().into()),
            None,
            None,
            Some(NamedNodeRef::new_unchecked(vocab::STORE_GRAPH).into()),
        )
        .collect::<std::result::Result<_, _>>()
        .map_err(storage)?;
    for q in &meta {
        t.remove(q);
    }
    Ok(())
}

/// The facts files the store in `dir` was built from.
pub fn source_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let (store, _) = open(dir, None, false)?;
    Ok(recorded(&store)?.into_keys().map(PathBuf::from).collect())
}

/// Builds or updates the store in `dir` from the facts files under `paths`.
pub fn build(
    dir: &Path,
    paths: &[PathBuf],
    base: Option<&Base>,
    options: BuildOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<BuildReport> {
    let (store, base) = open(dir, base, true)?;
    let ontology = Ontology::embedded();
    let files = input::collect(paths)?;
    let before = recorded(&store)?;
    let mut report = BuildReport::default();

    // Read, hash, and check the changed files in parallel.
    let inputs: Vec<Input> = files.par_iter().map(|p| read(p)).collect();
    let changed: Vec<&Input> = inputs
        .iter()
        .filter(|i| {
            before
                .get(&i.name)
                .is_none_or(|r| r.hash != i.hash || i.source.is_err())
        })
        .collect();
    report.unchanged = inputs.len() - changed.len();
    let checked: Vec<(&Input, std::result::Result<ValidArticle, Vec<Diagnostic>>)> = changed
        .par_iter()
        .map(|i| {
            let result = match &i.source {
                Ok(source) => check(source, ontology),
                Err(d) => Err(d.clone()),
            };
            (*i, result)
        })
        .collect();

    // One article per id: across the new files and the files already in the store.
    let mut owners: BTreeMap<String, String> = before
        .iter()
        .map(|(file, r)| (r.article.as_str().to_string(), file.clone()))
        .collect();
    let mut valid = Vec::new();
    for (input, result) in checked {
        match result {
            Ok(article) => {
                let iri = base.article(&article.id).as_str().to_string();
                match owners.get(&iri) {
                    Some(owner) if owner != &input.name => {
                        report.failed.push(Diagnostic {
                            file: input.name.clone(),
                            line: 1,
                            column: 1,
                            message: format!(
                                "article id `{}` is already used by {owner}",
                                article.id
                            ),
                        });
                    }
                    _ => {
                        owners.insert(iri, input.name.clone());
                        valid.push((input, article));
                    }
                }
            }
            Err(d) => report.failed.extend(d),
        }
    }
    if !report.failed.is_empty() && !options.keep_going {
        report.failed.sort();
        return Err(Error::Invalid(std::mem::take(&mut report.failed)));
    }

    // The ontology's graph, refreshed when it changed.
    let ontology_graph = NamedNodeRef::new_unchecked(vocab::ONTOLOGY_IRI);
    let mut ontology_hash = 0xcbf2_9ce4_8422_2325_u64;
    fnv(&mut ontology_hash, ontology::SOURCE.as_bytes());
    let ontology_hash = format!("{ontology_hash:016x}");
    let ontology_node = NamedNode::new_unchecked(vocab::ONTOLOGY_IRI);
    let ontology_recorded = store
        .contains(oxigraph::model::QuadRef::new(
            ontology_graph,
            NamedNodeRef::new_unchecked(nkg::SOURCE_HASH),
            oxigraph::model::LiteralRef::new_simple_literal(&ontology_hash),
            NamedNodeRef::new_unchecked(vocab::STORE_GRAPH),
        ))
        .map_err(storage)?;
    if !ontology_recorded {
        let mut t = store.start_transaction().map_err(storage)?;
        t.clear_graph(GraphNameRef::NamedNode(ontology_graph))
            .map_err(storage)?;
        for q in store.quads_for_pattern(
            Some(ontology_graph.into()),
            None,
            None,
            Some(NamedNodeRef::new_unchecked(vocab::STORE_GRAPH).into()),
        ) {
            t.remove(&q.map_err(storage)?);
        }
        t.extend(ontology.quads().collect::<Vec<_>>().iter());
        for q in metadata(&ontology_node, ontology::PATH, &ontology_hash) {
            t.insert(&q);
        }
        t.commit().map_err(storage)?;
    }

    // Write in atomic batches: each article is either as before or as now.
    let total = (valid.len() + usize::from(options.prune)) as u64;
    let mut done = 0;
    for batch in valid.chunks(BATCH) {
        let mut quads: Vec<Quad> = Vec::new();
        let mut clear: BTreeSet<NamedNode> = BTreeSet::new();
        for (input, article) in batch {
            let iri = base.article(&article.id);
            if let Some(old) = before.get(&input.name) {
                clear.insert(old.article.clone());
                report.updated += 1;
            } else {
                report.added += 1;
            }
            clear.insert(iri.clone());
            let article_quads = mapping::article_quads(article, &base, ontology);
            report.triples += article_quads.len();
            quads.extend(article_quads);
            quads.extend(metadata(&iri, &input.name, &input.hash));
        }
        let mut t = store.start_transaction().map_err(storage)?;
        for graph in &clear {
            forget(&mut t, &store, graph)?;
        }
        t.extend(quads.iter());
        t.commit().map_err(storage)?;
        done += batch.len() as u64;
        progress(done, total);
    }

    // Articles whose files are gone.
    if options.prune {
        let present: BTreeSet<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
        let gone: Vec<&Recorded> = before
            .iter()
            .filter(|(file, _)| !present.contains(file.as_str()))
            .map(|(_, r)| r)
            .collect();
        let mut t = store.start_transaction().map_err(storage)?;
        for r in &gone {
            forget(&mut t, &store, &r.article)?;
        }
        t.commit().map_err(storage)?;
        report.pruned = gone.len();
        progress(total, total);
    }
    #[cfg(feature = "rocksdb")]
    store.flush().map_err(storage)?;
    report.failed.sort();
    Ok(report)
}
