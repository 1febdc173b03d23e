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
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// Remove the articles whose files are gone.
    pub prune: bool,
    /// Load the valid files even when others are invalid (the exit status still says so).
    pub keep_going: bool,
    /// Compact the store after a load that at least doubled it.
    pub compact: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            prune: false,
            keep_going: false,
            compact: true,
        }
    }
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
    /// The parse the hash needed (to find the text), kept for checking.
    parsed: Option<facts::ArticleFile>,
}

/// Reads and hashes `path`; `None` when it is gone (listed, then removed).
fn read(path: &Path) -> Option<Input> {
    let name = path.display().to_string();
    let failed = |source| {
        path.exists().then(|| Input {
            name: name.clone(),
            source: Err(source),
            hash: String::new(),
            parsed: None,
        })
    };
    let source = match SourceFile::read(path) {
        Ok(s) => s,
        Err(Error::Invalid(d)) => return failed(d),
        Err(e) => {
            return failed(vec![Diagnostic {
                file: name.clone(),
                line: 1,
                column: 1,
                message: e.to_string(),
            }]);
        }
    };
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    fnv(&mut hash, source.text.as_bytes());
    let parsed = facts::parse(&source).ok();
    // The text the file points to counts too: its offsets depend on it.
    if let Some(text) = parsed.as_ref().and_then(|p| p.article.text.as_deref())
        && let Ok(text) = source.article_text(text)
    {
        fnv(&mut hash, &[0]);
        fnv(&mut hash, text.as_bytes());
    }
    Some(Input {
        name,
        source: Ok(source),
        hash: format!("{hash:016x}"),
        parsed,
    })
}

/// The article of a file read, or its problems.
fn check(
    input: &mut Input,
    ontology: &Ontology,
) -> std::result::Result<ValidArticle, Vec<Diagnostic>> {
    let source = match &input.source {
        Ok(source) => source,
        Err(d) => return Err(d.clone()),
    };
    let file = match input.parsed.take() {
        Some(file) => file,
        None => match facts::parse(source) {
            Ok(f) => f,
            Err(Error::Invalid(d)) => return Err(d),
            Err(e) => return Err(vec![source.diagnostic_at(0, e.to_string())]),
        },
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
    let files = input::collect(paths)?;
    let had = recorded(&store)?.len();
    let report = build_files(&store, &base, &files, options, progress)?;
    #[cfg(feature = "rocksdb")]
    {
        store.flush().map_err(storage)?;
        // The bulk loader adds its data as files that overlap each other: until RocksDB compacts
        // them, every read looks in each. Compacting after a load that at least doubled the
        // store costs, amortized, a constant per triple, and makes queries and exports several
        // times faster.
        if options.compact && report.added > 0 && report.added >= had {
            store.optimize().map_err(storage)?;
        }
    }
    #[cfg(not(feature = "rocksdb"))]
    let _ = had;
    Ok(report)
}

/// What the first pass found of one file.
enum Scanned {
    /// Listed, then gone before it could be read.
    Vanished,
    Unchanged,
    Failed(Vec<Diagnostic>),
    /// Valid, and new to the store: its quads, for the bulk loader.
    New {
        id: String,
        quads: Vec<Quad>,
    },
    /// Valid, and changed since the store recorded it: written in the second pass.
    Changed {
        id: String,
    },
}

fn scan(
    path: &Path,
    before: &BTreeMap<String, Recorded>,
    base: &Base,
    ontology: &Ontology,
) -> Scanned {
    let Some(mut input) = read(path) else {
        return Scanned::Vanished;
    };
    let recorded = before.get(&input.name);
    if input.source.is_ok() && recorded.is_some_and(|r| r.hash == input.hash) {
        return Scanned::Unchanged;
    }
    let article = match check(&mut input, ontology) {
        Ok(article) => article,
        Err(d) => return Scanned::Failed(d),
    };
    let id = article.id.clone();
    if recorded.is_some() {
        return Scanned::Changed { id };
    }
    let mut quads = mapping::article_quads(&article, base, ontology);
    quads.extend(metadata(&base.article(&id), &input.name, &input.hash));
    Scanned::New { id, quads }
}

/// Files read, checked and mapped at a time (in parallel): bounds the memory a build takes.
const CHUNK: usize = 64;
/// Quads handed to Oxigraph's bulk loader at a time, and the memory it may use.
const LOADER_BATCH: usize = 100_000;
const LOADER_MEGABYTES: usize = 256;

/// Builds or updates `store` from `files`.
///
/// A first pass reads, hashes and checks every file, a chunk at a time in parallel; new articles
/// go straight to Oxigraph's bulk loader, which sorts them into files on disk and adds them to the
/// store in one atomic step at the end, and only when no file failed (or with `keep_going`): a
/// build that fails or is killed leaves the store as it was. Changed articles are written in a
/// second pass, in transactions that replace each article's graph atomically; their files are
/// read and checked again, so one that changed in between is loaded as it is then. A file that
/// vanished after it was listed counts as gone.
pub fn build_files(
    store: &Store,
    base: &Base,
    files: &[PathBuf],
    options: BuildOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<BuildReport> {
    let ontology = Ontology::embedded();
    let before = recorded(store)?;
    let mut report = BuildReport::default();
    // One article per id: across the new files and the files already in the store.
    let mut owners: BTreeMap<String, String> = before
        .iter()
        .map(|(file, r)| (r.article.as_str().to_string(), file.clone()))
        .collect();
    let mut claim = |report: &mut BuildReport, id: &str, name: &str| -> bool {
        let iri = base.article(id).as_str().to_string();
        match owners.get(&iri) {
            Some(owner) if owner != name => {
                report.failed.push(Diagnostic {
                    file: name.to_string(),
                    line: 1,
                    column: 1,
                    message: format!("article id `{id}` is already used by {owner}"),
                });
                false
            }
            _ => {
                owners.insert(iri, name.to_string());
                true
            }
        }
    };
    let mut present: BTreeSet<String> = BTreeSet::new();
    let mut changed: Vec<(PathBuf, String)> = Vec::new();
    let mut loader = store
        .bulk_loader()
        .with_max_memory_size_in_megabytes(LOADER_MEGABYTES);
    let mut pending: Vec<Quad> = Vec::new();
    let mut total = files.len() as u64;
    let mut done = 0;
    for chunk in files.chunks(CHUNK) {
        let scanned: Vec<Scanned> = chunk
            .par_iter()
            .map(|path| scan(path, &before, base, ontology))
            .collect();
        for (path, scanned) in chunk.iter().zip(scanned) {
            let name = path.display().to_string();
            if !matches!(scanned, Scanned::Vanished) {
                present.insert(name.clone());
            }
            match scanned {
                Scanned::Vanished => {}
                Scanned::Unchanged => report.unchanged += 1,
                Scanned::Failed(d) => report.failed.extend(d),
                Scanned::Changed { id } => {
                    if claim(&mut report, &id, &name) {
                        changed.push((path.clone(), id));
                    }
                }
                Scanned::New { id, quads } => {
                    if !claim(&mut report, &id, &name) {
                        continue;
                    }
                    report.added += 1;
                    report.triples += quads.len() - 2;
                    // Once a file failed, nothing is loaded unless with --keep-going.
                    if report.failed.is_empty() || options.keep_going {
                        pending.extend(quads);
                        if pending.len() >= LOADER_BATCH {
                            loader
                                .load_quads(std::mem::take(&mut pending))
                                .map_err(storage)?;
                        }
                    }
                }
            }
        }
        done += chunk.len() as u64;
        progress(done, total);
    }
    if !report.failed.is_empty() && !options.keep_going {
        report.failed.sort();
        // dropping the loader removes its files: the store is as it was
        return Err(Error::Invalid(std::mem::take(&mut report.failed)));
    }
    loader.load_quads(pending).map_err(storage)?;
    loader.commit().map_err(storage)?;
    // (after the commit: the in-memory store's bulk loader holds its write lock)
    refresh_ontology(store, ontology)?;

    // Changed articles, in atomic batches: each is either as before or as now.
    total += changed.len() as u64;
    for batch in changed.chunks(BATCH) {
        // read and checked again: the file may have changed since the first pass
        type Checked = (Input, std::result::Result<ValidArticle, Vec<Diagnostic>>);
        let checked: Vec<Option<Checked>> = batch
            .par_iter()
            .map(|(path, _)| {
                let mut input = read(path)?;
                let result = check(&mut input, ontology);
                Some((input, result))
            })
            .collect();
        let mut quads: Vec<Quad> = Vec::new();
        let mut clear: BTreeSet<NamedNode> = BTreeSet::new();
        for ((path, id), checked) in batch.iter().zip(checked) {
            let name = path.display().to_string();
            let Some((input, result)) = checked else {
                // vanished since the first pass
                present.remove(&name);
                continue;
            };
            let article = match result {
                Ok(a) if &a.id == id => a,
                Ok(a) => {
                    report.failed.push(Diagnostic {
                        file: name,
                        line: 1,
                        column: 1,
                        message: format!(
                            "the file changed during the build (its article id is now `{}`): not loaded; build again",
                            a.id
                        ),
                    });
                    continue;
                }
                // it changed during the build, and is now invalid
                Err(d) => {
                    report.failed.extend(d);
                    continue;
                }
            };
            let iri = base.article(&article.id);
            clear.insert(before[&name].article.clone());
            clear.insert(iri.clone());
            report.updated += 1;
            let article_quads = mapping::article_quads(&article, base, ontology);
            report.triples += article_quads.len();
            quads.extend(article_quads);
            quads.extend(metadata(&iri, &input.name, &input.hash));
        }
        let mut t = store.start_transaction().map_err(storage)?;
        for graph in &clear {
            forget(&mut t, store, graph)?;
        }
        t.extend(quads.iter());
        t.commit().map_err(storage)?;
        done += batch.len() as u64;
        progress(done, total);
    }

    // Articles whose files are gone.
    if options.prune {
        let gone: Vec<&Recorded> = before
            .iter()
            .filter(|(file, _)| !present.contains(file.as_str()))
            .map(|(_, r)| r)
            .collect();
        let mut t = store.start_transaction().map_err(storage)?;
        for r in &gone {
            forget(&mut t, store, &r.article)?;
        }
        t.commit().map_err(storage)?;
        report.pruned = gone.len();
    }
    report.failed.sort();
    Ok(report)
}

/// The ontology's graph, refreshed when it changed.
fn refresh_ontology(store: &Store, ontology: &Ontology) -> Result<()> {
    let ontology_graph = NamedNodeRef::new_unchecked(vocab::ONTOLOGY_IRI);
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    fnv(&mut hash, ontology::SOURCE.as_bytes());
    let hash = format!("{hash:016x}");
    let recorded = store
        .contains(oxigraph::model::QuadRef::new(
            ontology_graph,
            NamedNodeRef::new_unchecked(nkg::SOURCE_HASH),
            oxigraph::model::LiteralRef::new_simple_literal(&hash),
            NamedNodeRef::new_unchecked(vocab::STORE_GRAPH),
        ))
        .map_err(storage)?;
    if recorded {
        return Ok(());
    }
    let mut t = store.start_transaction().map_err(storage)?;
    forget(&mut t, store, &ontology_graph.into_owned())?;
    t.extend(ontology.quads().collect::<Vec<_>>().iter());
    for q in metadata(&ontology_graph.into_owned(), ontology::PATH, &hash) {
        t.insert(&q);
    }
    t.commit().map_err(storage)
}

#[cfg(test)]
mod tests {
    //! The build on an in-memory store (the CLI tests in tests/store.rs use RocksDB): files that
    //! vanish or change while a build runs.
    use super::*;

    const MINIMAL: &str = include_str!("../tests/cases/good/minimal.toml");
    const TEXT: &str = include_str!("../tests/cases/good/article.txt");

    /// `n` articles `a0`… in `dir`, sharing one text.
    fn corpus(dir: &Path, n: usize) -> Vec<PathBuf> {
        std::fs::write(dir.join("article.txt"), TEXT).unwrap();
        (0..n)
            .map(|i| {
                let path = dir.join(format!("a{i}.toml"));
                let facts = MINIMAL.replace("id = \"minimal\"", &format!("id = \"a{i}\""));
                std::fs::write(&path, facts).unwrap();
                path
            })
            .collect()
    }

    fn articles(store: &Store) -> Vec<String> {
        recorded(store)
            .unwrap()
            .into_values()
            .map(|r| r.article.as_str().rsplit('/').next().unwrap().to_string())
            .collect()
    }

    /// Whether article `a0`'s graph has a literal `value`.
    fn has_quote(store: &Store, value: &str) -> bool {
        let graph = Base::default().article("a0");
        store
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
            .any(|q| matches!(&q.unwrap().object, Term::Literal(l) if l.value() == value))
    }

    #[test]
    fn a_file_that_vanished_after_it_was_listed_counts_as_gone() {
        let dir = tempfile::tempdir().unwrap();
        let files = corpus(dir.path(), 3);
        let store = Store::new().unwrap();
        let base = Base::default();
        build_files(&store, &base, &files, BuildOptions::default(), &|_, _| {}).unwrap();
        assert_eq!(articles(&store), ["a0", "a1", "a2"]);

        // listed, then removed before the build reads it
        std::fs::remove_file(&files[1]).unwrap();
        let report = build_files(&store, &base, &files, BuildOptions::default(), &|_, _| {})
            .expect("a vanished file is not an error");
        assert!(report.failed.is_empty());
        assert_eq!((report.unchanged, report.pruned), (2, 0));
        assert_eq!(articles(&store), ["a0", "a1", "a2"], "kept without --prune");
        let prune = BuildOptions {
            prune: true,
            ..Default::default()
        };
        let report = build_files(&store, &base, &files, prune, &|_, _| {}).unwrap();
        assert_eq!(report.pruned, 1);
        assert_eq!(articles(&store), ["a0", "a2"]);
    }

    #[test]
    fn a_file_that_changes_during_the_build_is_loaded_as_it_is_then_or_reported() {
        let dir = tempfile::tempdir().unwrap();
        let files = corpus(dir.path(), 2);
        let store = Store::new().unwrap();
        let base = Base::default();
        build_files(&store, &base, &files, BuildOptions::default(), &|_, _| {}).unwrap();
        let old = "an official";
        assert!(has_quote(&store, old));

        // a0 changed: the first pass sees one version, the second (which writes it) another
        let edit = |from: &str, to: &str| {
            let text = std::fs::read_to_string(&files[0]).unwrap();
            std::fs::write(&files[0], text.replace(from, to)).unwrap();
        };
        edit(old, "a diplomat");
        let after_first_pass = || edit("a diplomat", "a minister");
        let report = build_files(
            &store,
            &base,
            &files,
            BuildOptions::default(),
            &|done, _| {
                if done == 2 {
                    after_first_pass();
                }
            },
        )
        .unwrap();
        assert_eq!((report.updated, report.unchanged), (1, 1));
        assert!(has_quote(&store, "a minister") && !has_quote(&store, "a diplomat"));
        assert!(!has_quote(&store, old));

        // changed again, and broken by the time it is written: reported, the article kept as it was
        edit("a minister", "a spokesman");
        let break_it = || {
            let text = std::fs::read_to_string(&files[0]).unwrap();
            std::fs::write(
                &files[0],
                text.replace("modality = \"reported\"", "modality = \"rumoured\""),
            )
            .unwrap();
        };
        let report = build_files(
            &store,
            &base,
            &files,
            BuildOptions::default(),
            &|done, _| {
                if done == 2 {
                    break_it();
                }
            },
        )
        .unwrap();
        assert_eq!(report.updated, 0);
        assert_eq!(report.failed.len(), 1, "{:?}", report.failed);
        assert!(
            report.failed[0].message.contains("rumoured"),
            "{}",
            report.failed[0]
        );
        assert!(has_quote(&store, "a minister"), "the article is as before");
    }

    #[test]
    fn a_failed_build_leaves_the_store_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = corpus(dir.path(), 200);
        let store = Store::new().unwrap();
        let base = Base::default();
        build_files(
            &store,
            &base,
            &files[..100],
            BuildOptions::default(),
            &|_, _| {},
        )
        .unwrap();
        let before: Vec<Quad> = store.iter().map(|q| q.unwrap()).collect();
        // the last of 200 files is broken: the 100 new valid ones are not loaded either
        let broken = MINIMAL.replace("modality = \"reported\"", "modality = \"rumoured\"");
        std::fs::write(&files[199], broken.replace("\"minimal\"", "\"a199\"")).unwrap();
        let err =
            build_files(&store, &base, &files, BuildOptions::default(), &|_, _| {}).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err}");
        assert_eq!(store.iter().map(|q| q.unwrap()).collect::<Vec<_>>(), before);
        // with keep_going, the valid ones are
        let keep_going = BuildOptions {
            keep_going: true,
            ..Default::default()
        };
        let report = build_files(&store, &base, &files, keep_going, &|_, _| {}).unwrap();
        assert_eq!((report.added, report.unchanged), (99, 100));
        assert_eq!(report.failed[0].file, files[199].display().to_string());
        files.pop();
        assert_eq!(articles(&store).len(), 199);
    }
}
