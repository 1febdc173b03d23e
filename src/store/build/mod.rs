//! `newskg build`: a store built incrementally from a tree of facts files and the corpus's
//! registries. Each article's graph is replaced atomically when its file (or the text it points
//! to, or a registry entry it uses) changed, skipped when unchanged (see [`super::records`]),
//! removed with `--prune` when its file is gone. Files go through the same pipeline as every
//! other command's, checks across files included: those the store holds and does not read again
//! take part through what they declared. The entities' graph is then brought to what the
//! registry and the stored articles declare, whatever an earlier build left.

pub mod plain;
mod write;

use super::entities;
use super::records::{self, Recorded};
use crate::error::{self, Diagnostic, Error, Result};
use crate::input::SourceFile;
use crate::mapping::{self, Base};
use crate::model::ValidArticle;
use crate::ontology::Ontology;
use crate::pipeline::{Outcome, Pipeline, Read, Stage};
use crate::validate::corpus::Declarations;
use crate::validate::descriptions::Descriptions;
use crate::validate::registry::Registry;
use oxigraph::model::{NamedNode, Quad};
use oxigraph::store::Store;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use write::{refresh_ontology, update};

/// Changed articles written per atomic transaction (at most ~35,000 quads: far larger
/// transactions, 256 articles of the bench corpus, twice left the flush after them waiting
/// forever on RocksDB).
const BATCH: usize = 32;
/// Batches between flushes of the store's memory tables during an update: the write-ahead log
/// of what is flushed is deleted, so that an update of every article does not keep all it wrote
/// on disk until the end (rewriting every triple of a 394 MB store peaked at 2.47 GB on disk and
/// 1.78 GB of memory with one flush at the end; at 725 MB and 516 MB, and faster, with this).
#[cfg(feature = "rocksdb")]
const FLUSH_EVERY: usize = 2;
/// Quads handed to Oxigraph's bulk loader at a time, and the memory it may use.
const LOADER_BATCH: usize = 100_000;
const LOADER_MEGABYTES: usize = 256;

/// How a build treats problems and vanished files.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// Remove the articles whose files are gone.
    pub prune: bool,
    /// Load the valid files even when others are invalid (the exit status still says so).
    pub keep_going: bool,
    /// Compact the store after a load that at least doubled it.
    pub compact: bool,
    /// `--input-format`: the syntax of the RDF files named (else their extensions say).
    pub rdf_format: Option<crate::input::rdf::RdfSyntax>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            prune: false,
            keep_going: false,
            compact: true,
            rdf_format: None,
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
    /// Data triples written: all of a new article's, and what changed in an updated one.
    pub triples: usize,
    /// Data triples removed from updated and pruned articles.
    pub removed: usize,
    /// Problems of the files that were not loaded.
    pub failed: Vec<Diagnostic>,
    /// `--prune` was given but files failed, so nothing was pruned.
    pub prune_held: bool,
    /// The store was compacted at the end.
    pub compacted: bool,
    /// What became of the plain RDF files.
    pub plain: plain::PlainReport,
}

impl BuildReport {
    /// The number of files that were not loaded.
    pub fn failed_files(&self) -> usize {
        self.failed
            .iter()
            .map(|d| d.file.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// Builds or updates the store in `dir` from the facts files under `paths` and the registries
/// among them or in `registries`, through `pipeline`. The registries are checked before the
/// store is opened: a broken one leaves it untouched.
pub fn build(
    dir: &Path,
    paths: &[PathBuf],
    registries: &[PathBuf],
    base: Option<&Base>,
    options: BuildOptions,
    pipeline: Pipeline<'_>,
    progress: &dyn Fn(u64, u64),
) -> Result<BuildReport> {
    let mut collected = crate::input::collect(paths, options.rdf_format)?;
    collected.registries.extend(registries.iter().cloned());
    let pipeline = pipeline.with_registries(&collected.registries)?;
    let (store, base) = super::layout::open(dir, base, true)?;
    // read whole before anything is written: a broken one leaves the store untouched
    let rdf = mapping::plain::read(&collected.rdf, &base, options.rdf_format)?;
    let had = records::recorded(&store, &base)?.len();
    let mut report = build_files(&store, &base, &collected.facts, options, pipeline, progress)?;
    // (with --keep-going, the RDF files are written though facts files failed; nothing is
    // pruned while one did)
    let (done, written, removed) = plain::sync(
        &store,
        &base,
        &rdf,
        options.prune && report.failed.is_empty(),
    )?;
    report.plain = done;
    report.triples += written;
    report.removed += removed;
    #[cfg(feature = "rocksdb")]
    {
        store
            .flush()
            .map_err(Error::store("cannot write the store"))?;
        // The bulk loader adds its data as files that overlap each other: until RocksDB compacts
        // them, every read looks in each. Compacting after a load that at least doubled the
        // store costs, amortized, a constant per triple, and makes queries and exports several
        // times faster. Updates leave the old versions behind until a compaction: the store is
        // compacted once it has grown past GROWTH times its size after the last one. A
        // compaction that was interrupted is done by the next build.
        let doubled = report.added > 0 && report.added >= had;
        let changed = report.added + report.updated + report.pruned > 0
            || report.plain.added + report.plain.updated + report.plain.pruned > 0;
        if options.compact && super::layout::compaction_due(dir, doubled, changed) {
            super::layout::compacting(dir, || {
                store
                    .optimize()
                    .map_err(Error::store("cannot compact the store"))
            })?;
            report.compacted = true;
        }
        if changed {
            // RocksDB deletes the write-ahead log of what it has flushed when the store is
            // opened again: at once, rather than leave hundreds of megabytes until the next build
            drop(store);
            let (again, _) = super::layout::open(dir, Some(&base), true)?;
            again
                .flush()
                .map_err(Error::store("cannot write the store"))?;
        }
    }
    #[cfg(not(feature = "rocksdb"))]
    let _ = had;
    Ok(report)
}

/// What the first pass makes of a file that passed.
enum Scanned {
    /// Unchanged; `moved` when its file now has another path (a moved or re-spelled corpus):
    /// the article and the path to record.
    Unchanged {
        declared: Declarations,
        moved: Option<(NamedNode, String)>,
    },
    /// New to the store: its quads, for the bulk loader.
    New {
        quads: Vec<Quad>,
        declared: Declarations,
    },
    /// Changed since the store recorded it (or a registry entry it uses did): written in the
    /// second pass.
    Changed {
        id: String,
        /// The stored article it replaces.
        old: NamedNode,
    },
}

/// The first pass's stage: unchanged files are skipped, new ones mapped.
struct Scan<'a> {
    before: &'a BTreeMap<String, Recorded>,
    /// The stored article of each article id.
    by_id: BTreeMap<String, &'a str>,
    /// The canonical path of each file listed, by the name it is shown under.
    canonical: &'a BTreeMap<String, String>,
    /// Stored articles whose recorded path is not canonical (an earlier newskg's).
    respelled: &'a BTreeSet<NamedNode>,
    /// Files to check again though they are unchanged: a registry entry they use changed.
    forced: &'a BTreeSet<String>,
    base: &'a Base,
    ontology: &'a Ontology,
    registry: &'a Registry,
}

impl Scan<'_> {
    /// The file's canonical path: what the store records.
    fn path_of(&self, read: &Read) -> String {
        let name = &read.source.name;
        self.canonical
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.clone())
    }

    /// The stored article a file stands for: the one recorded under its path, or else the one
    /// with its article id whose recorded file is gone (the corpus moved), with that record.
    fn stored(&self, read: &Read) -> Option<(&str, &Recorded)> {
        let path = self.path_of(read);
        if let Some((file, recorded)) = self.before.get_key_value(&path) {
            return Some((file.as_str(), recorded));
        }
        let file = *self.by_id.get(read.file.article.id.as_str())?;
        let listed = self.canonical.values().any(|c| c == file);
        (!listed && !Path::new(file).exists()).then(|| (file, &self.before[file]))
    }
}

impl Stage for Scan<'_> {
    type Output = Scanned;

    fn skip(&self, read: &Read) -> Option<Scanned> {
        let (file, recorded) = self.stored(read)?;
        (recorded.hash == records::hash(read) && !self.forced.contains(file)).then(|| {
            Scanned::Unchanged {
                declared: Declarations::of_file(&read.file, self.ontology, self.registry),
                moved: (file != self.path_of(read) || self.respelled.contains(&recorded.article))
                    .then(|| (recorded.article.clone(), file.to_string())),
            }
        })
    }

    fn map(&self, read: &Read, article: ValidArticle) -> Scanned {
        if let Some((_, recorded)) = self.stored(read) {
            return Scanned::Changed {
                id: article.id,
                old: recorded.article.clone(),
            };
        }
        let declared = Declarations::of_article(&article);
        let quads = article_quads(
            &article,
            &declared,
            &self.path_of(read),
            &records::hash(read),
            self,
        );
        Scanned::New { quads, declared }
    }
}

/// An article's quads and its records (file, hash, declarations), as the store keeps them.
fn article_quads(
    article: &ValidArticle,
    declared: &Declarations,
    file: &str,
    hash: &str,
    scan: &Scan<'_>,
) -> Vec<Quad> {
    let mut quads = mapping::article_quads(article, scan.base, scan.ontology);
    let iri = scan.base.article(&article.id);
    quads.extend(records::record(&iri, file, hash));
    quads.extend(records::record_text(&iri, article.text.as_deref()));
    quads.extend(records::record_declarations(&iri, declared));
    quads
}

/// The canonical path of a file, as the store records it (the path as given when it cannot be
/// resolved: a file gone since it was listed).
fn canonical_name(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// A file that could not be read, as a problem of that file.
fn unreadable(name: &str, e: &Error) -> Diagnostic {
    Diagnostic {
        file: name.to_string(),
        line: 1,
        column: 1,
        message: error::chain(e),
    }
}

/// Builds or updates `store` from `files`.
///
/// A first pass runs every file through the pipeline, a chunk at a time in parallel; new
/// articles go straight to Oxigraph's bulk loader, which sorts them into files on disk and adds
/// them to the store in one atomic step at the end, and only when no file failed (or with
/// `keep_going`): a build that fails or is killed leaves the store as it was. Changed articles
/// are written in a second pass, in transactions that replace each article's graph atomically;
/// their files are read and checked again, so one that changed in between is loaded as it is
/// then. A file that vanished after it was listed counts as gone. Last, the entities' graph is
/// made what the registry and the articles then in the store declare, in one transaction.
pub fn build_files(
    store: &Store,
    base: &Base,
    files: &[PathBuf],
    options: BuildOptions,
    mut pipeline: Pipeline<'_>,
    progress: &dyn Fn(u64, u64),
) -> Result<BuildReport> {
    let ontology = pipeline.ontology;
    // (a store built by an earlier newskg may record paths as they were typed: resolved here,
    // and recorded anew as they are met)
    let mut respelled: BTreeSet<NamedNode> = BTreeSet::new();
    let before: BTreeMap<String, Recorded> = records::recorded(store, base)?
        .into_iter()
        .map(|(file, r)| {
            let path = Path::new(&file);
            if path.is_relative()
                && let Ok(c) = std::fs::canonicalize(path)
            {
                respelled.insert(r.article.clone());
                return (c.display().to_string(), r);
            }
            (file, r)
        })
        .collect();
    // Files are known by their canonical path (whatever the spelling, wherever the command runs),
    // and a stored article whose file is gone is found again by its article id.
    let canonical: BTreeMap<String, String> = files
        .iter()
        .map(|f| (f.display().to_string(), canonical_name(f)))
        .collect();
    let shown: BTreeMap<&str, &str> = canonical
        .iter()
        .map(|(name, path)| (path.as_str(), name.as_str()))
        .collect();
    // Articles that use a registry entry that changed are checked and mapped again.
    let forced = entities::forced(store, base, &before, pipeline.registry())?;
    // What the store holds takes part in the checks across files: the article ids of every
    // article it has (a changed file's old id stays claimed until the file is written), and the
    // entities of those it keeps without reading their files.
    for (file, recorded) in &before {
        if let Some(name) = shown.get(file.as_str()) {
            let declared = Declarations {
                article: base
                    .article_id(&recorded.article)
                    .unwrap_or_default()
                    .to_string(),
                language: None,
                entities: Vec::new(),
            };
            pipeline.corpus_mut().known(name, &declared);
        } else if options.prune || !Path::new(file).exists() {
            // pruned, or gone: a listed file may take its place (a moved corpus)
            continue;
        } else {
            let declared = records::declarations(store, &recorded.article, base)?;
            pipeline.corpus_mut().known(file, &declared);
        }
    }

    let mut report = BuildReport::default();
    let mut present: BTreeSet<String> = BTreeSet::new();
    let mut changed: Vec<(PathBuf, String, NamedNode)> = Vec::new();
    // what the articles the store will hold declare, and the files this build knows it of
    let mut descriptions = Descriptions::default();
    let mut described: BTreeSet<String> = BTreeSet::new();
    let mut loader = store
        .bulk_loader()
        .with_max_memory_size_in_megabytes(LOADER_MEGABYTES);
    let mut pending: Vec<Quad> = Vec::new();
    let mut total = files.len() as u64;
    let mut done = 0;
    let registry = pipeline.registry().clone();
    let stage = Scan {
        before: &before,
        by_id: before
            .iter()
            .filter_map(|(file, r)| Some((base.article_id(&r.article)?.to_string(), file.as_str())))
            .collect(),
        canonical: &canonical,
        respelled: &respelled,
        forced: &forced,
        base,
        ontology,
        registry: &registry,
    };
    let mut moved: Vec<(NamedNode, String)> = Vec::new();
    pipeline.run(files, &stage, |path, outcome| {
        let shown_name = path.display().to_string();
        let name = canonical
            .get(&shown_name)
            .cloned()
            .unwrap_or_else(|| shown_name.clone());
        done += 1;
        match outcome {
            // listed, then gone before it could be read
            Outcome::Unreadable(_) if !path.exists() => {}
            Outcome::Unreadable(e) => report.failed.push(unreadable(&shown_name, &e)),
            Outcome::Invalid(d) => report.failed.extend(d),
            Outcome::Passed(Scanned::Unchanged { declared, moved: m }) => {
                report.unchanged += 1;
                descriptions.add_declarations(&declared);
                described.insert(name.clone());
                if let Some((article, old_file)) = m {
                    // its old record is what this build describes now
                    described.insert(old_file);
                    moved.push((article, name.clone()));
                }
            }
            Outcome::Passed(Scanned::Changed { id, old }) => changed.push((path.clone(), id, old)),
            Outcome::Passed(Scanned::New { quads, declared }) => {
                report.added += 1;
                report.triples += quads.len() - records::count(&quads);
                descriptions.add_declarations(&declared);
                described.insert(name.clone());
                // Once a file failed, nothing is loaded unless with --keep-going.
                if report.failed.is_empty() || options.keep_going {
                    pending.extend(quads);
                    if pending.len() >= LOADER_BATCH {
                        loader
                            .load_quads(std::mem::take(&mut pending))
                            .map_err(Error::store("cannot load the new articles"))?;
                    }
                }
            }
        }
        if path.exists() {
            present.insert(name);
        }
        progress(done, total);
        Ok(())
    })?;
    if !report.failed.is_empty() && !options.keep_going {
        report.failed.sort();
        // dropping the loader removes its files: the store is as it was
        return Err(Error::Invalid(std::mem::take(&mut report.failed)));
    }
    let load = Error::store("cannot load the new articles");
    loader.load_quads(pending).map_err(load)?;
    loader
        .commit()
        .map_err(Error::store("cannot commit the new articles"))?;
    // (after the commit: the in-memory store's bulk loader holds its write lock)
    refresh_ontology(store, ontology)?;
    // Articles whose files moved: only their records change.
    if !moved.is_empty() {
        let mut t = store
            .start_transaction()
            .map_err(Error::store("cannot start a transaction"))?;
        for (article, file) in &moved {
            records::move_to(&mut t, store, article, file)?;
        }
        t.commit()
            .map_err(Error::store("cannot commit a transaction"))?;
    }
    let moved: BTreeSet<NamedNode> = moved.into_iter().map(|(a, _)| a).collect();

    // Changed articles, in atomic batches: each is either as before or as now.
    total += changed.len() as u64;
    let mut replaced: BTreeSet<NamedNode> = BTreeSet::new();
    let file_of: BTreeMap<&NamedNode, &str> = before
        .iter()
        .map(|(file, r)| (&r.article, file.as_str()))
        .collect();
    for (n, batch) in changed.chunks(BATCH).enumerate() {
        #[cfg(feature = "rocksdb")]
        if n > 0 && n % FLUSH_EVERY == 0 {
            store
                .flush()
                .map_err(Error::store("cannot write the store"))?;
        }
        #[cfg(not(feature = "rocksdb"))]
        let _ = n;
        // read and checked again: the file may have changed since the first pass
        let checked: Vec<Rechecked> = batch
            .par_iter()
            .map(|(path, _, _)| recheck(path, &pipeline))
            .collect();
        let mut articles: Vec<(BTreeSet<NamedNode>, Vec<Quad>)> = Vec::new();
        for ((path, id, old), checked) in batch.iter().zip(checked) {
            let shown_name = path.display().to_string();
            let name = canonical
                .get(&shown_name)
                .cloned()
                .unwrap_or_else(|| shown_name.clone());
            let (article, hash) = match checked {
                // vanished since the first pass
                None => {
                    present.remove(&name);
                    continue;
                }
                Some(Ok((a, _))) if &a.id != id => {
                    report.failed.push(Diagnostic {
                        file: shown_name,
                        line: 1,
                        column: 1,
                        message: format!(
                            "the file changed during the build (its article id is now `{}`): not loaded; build again",
                            a.id
                        ),
                    });
                    continue;
                }
                Some(Ok(checked)) => checked,
                // it changed during the build, and is now invalid
                Some(Err(d)) => {
                    report.failed.extend(d);
                    continue;
                }
            };
            let clear = BTreeSet::from([old.clone(), base.article(&article.id)]);
            replaced.insert(old.clone());
            if let Some(old_file) = file_of.get(old) {
                described.insert((*old_file).to_string());
            }
            report.updated += 1;
            let declared = Declarations::of_article(&article);
            let article_quads = article_quads(&article, &declared, &name, &hash, &stage);
            articles.push((clear, article_quads));
            descriptions.add_declarations(&declared);
            described.insert(name);
        }
        let (written, removed) = update(store, &articles)?;
        report.triples += written;
        report.removed += removed;
        done += batch.len() as u64;
        progress(done, total);
    }

    // Articles whose files are gone (not those a listed file took over by its id: a moved
    // file). While a file fails, nothing is pruned: it may be the one an article moved to.
    let mut gone: BTreeSet<NamedNode> = BTreeSet::new();
    if options.prune && report.failed.is_empty() {
        gone = before
            .iter()
            .filter(|(file, r)| {
                !present.contains(file.as_str())
                    && !moved.contains(&r.article)
                    && !replaced.contains(&r.article)
            })
            .map(|(_, r)| r.article.clone())
            .collect();
        let articles: Vec<_> = gone
            .iter()
            .map(|g| (BTreeSet::from([g.clone()]), Vec::new()))
            .collect();
        report.removed += update(store, &articles)?.1;
        report.pruned = gone.len();
    } else if options.prune {
        report.prune_held = true;
    }

    entities::update(
        store,
        base,
        &before,
        &gone,
        descriptions,
        &described,
        &registry,
        ontology,
    )?;
    report.failed.sort();
    Ok(report)
}

/// A changed file read and checked again: its article and hash, or its problems; `None` when it
/// is gone.
type Rechecked = Option<std::result::Result<(ValidArticle, String), Vec<Diagnostic>>>;

fn recheck(path: &Path, pipeline: &Pipeline<'_>) -> Rechecked {
    let name = path.display().to_string();
    let source = match SourceFile::read(path) {
        Ok(source) => source,
        Err(_) if !path.exists() => return None,
        Err(Error::Invalid(d)) => return Some(Err(d)),
        Err(e) => return Some(Err(vec![unreadable(&name, &e)])),
    };
    let read = match Read::of(source) {
        Ok(read) => read,
        Err(d) => return Some(Err(d)),
    };
    let hash = records::hash(&read);
    Some(pipeline.check_read(&read).map(|a| (a, hash)))
}

#[cfg(test)]
mod tests;
