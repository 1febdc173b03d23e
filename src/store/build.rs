//! `newskg build`: a store built incrementally from a tree of facts files. Each article's graph
//! is replaced atomically when its file (or the text it points to) changed, skipped when
//! unchanged (see [`super::records`]), removed with `--prune` when its file is gone. Files go
//! through the same pipeline as every other command's, checks across files included: those the
//! store holds and does not read again take part through what they declared.

use super::records::{self, Recorded};
use crate::error::{self, Diagnostic, Error, Result};
use crate::input::SourceFile;
use crate::mapping::{self, Base};
use crate::model::ValidArticle;
use crate::ontology::{self, Ontology};
use crate::pipeline::{Outcome, Pipeline, Read, Stage};
use crate::validate::corpus::Declarations;
use crate::vocab;
use oxigraph::model::{NamedNode, NamedNodeRef, Quad};
use oxigraph::store::Store;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Changed articles written per atomic transaction.
const BATCH: usize = 256;
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

/// Builds or updates the store in `dir` from the facts files under `paths`, through `pipeline`.
pub fn build(
    dir: &Path,
    paths: &[PathBuf],
    base: Option<&Base>,
    options: BuildOptions,
    pipeline: Pipeline<'_>,
    progress: &dyn Fn(u64, u64),
) -> Result<BuildReport> {
    let (store, base) = super::layout::open(dir, base, true)?;
    let files = crate::input::collect(paths)?;
    let had = records::recorded(&store)?.len();
    let report = build_files(&store, &base, &files, options, pipeline, progress)?;
    #[cfg(feature = "rocksdb")]
    {
        store
            .flush()
            .map_err(Error::store("cannot write the store"))?;
        // The bulk loader adds its data as files that overlap each other: until RocksDB compacts
        // them, every read looks in each. Compacting after a load that at least doubled the
        // store costs, amortized, a constant per triple, and makes queries and exports several
        // times faster.
        if options.compact && report.added > 0 && report.added >= had {
            store
                .optimize()
                .map_err(Error::store("cannot compact the store"))?;
        }
    }
    #[cfg(not(feature = "rocksdb"))]
    let _ = had;
    Ok(report)
}

/// What the first pass makes of a file that passed.
enum Scanned {
    Unchanged,
    /// New to the store: its quads, for the bulk loader.
    New {
        quads: Vec<Quad>,
    },
    /// Changed since the store recorded it: written in the second pass.
    Changed {
        id: String,
    },
}

/// The first pass's stage: unchanged files are skipped, new ones mapped.
struct Scan<'a> {
    before: &'a BTreeMap<String, Recorded>,
    base: &'a Base,
    ontology: &'a Ontology,
}

impl Stage for Scan<'_> {
    type Output = Scanned;

    fn skip(&self, read: &Read) -> Option<Scanned> {
        let recorded = self.before.get(&read.source.name)?;
        (recorded.hash == records::hash(read)).then_some(Scanned::Unchanged)
    }

    fn map(&self, read: &Read, article: ValidArticle) -> Scanned {
        if self.before.contains_key(&read.source.name) {
            return Scanned::Changed { id: article.id };
        }
        let mut quads = mapping::article_quads(&article, self.base, self.ontology);
        let iri = self.base.article(&article.id);
        quads.extend(records::record(
            &iri,
            &read.source.name,
            &records::hash(read),
        ));
        Scanned::New { quads }
    }
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
/// then. A file that vanished after it was listed counts as gone.
pub fn build_files(
    store: &Store,
    base: &Base,
    files: &[PathBuf],
    options: BuildOptions,
    mut pipeline: Pipeline<'_>,
    progress: &dyn Fn(u64, u64),
) -> Result<BuildReport> {
    let ontology = pipeline.ontology;
    let before = records::recorded(store)?;
    // What the store holds takes part in the checks across files: the article ids of every
    // article it has (a changed file's old id stays claimed until the file is written), and the
    // entities of those it keeps without reading their files.
    let listed: BTreeSet<String> = files.iter().map(|f| f.display().to_string()).collect();
    for (file, recorded) in &before {
        let declared = if listed.contains(file) {
            Declarations {
                article: base
                    .article_id(&recorded.article)
                    .unwrap_or_default()
                    .to_string(),
                entities: Vec::new(),
            }
        } else if options.prune {
            continue;
        } else {
            records::declarations(store, base, ontology, recorded)?
        };
        pipeline.corpus_mut().known(file, &declared);
    }

    let mut report = BuildReport::default();
    let mut present: BTreeSet<String> = BTreeSet::new();
    let mut changed: Vec<(PathBuf, String)> = Vec::new();
    let mut loader = store
        .bulk_loader()
        .with_max_memory_size_in_megabytes(LOADER_MEGABYTES);
    let mut pending: Vec<Quad> = Vec::new();
    let mut total = files.len() as u64;
    let mut done = 0;
    let stage = Scan {
        before: &before,
        base,
        ontology,
    };
    pipeline.run(files, &stage, |path, outcome| {
        let name = path.display().to_string();
        done += 1;
        match outcome {
            // listed, then gone before it could be read
            Outcome::Unreadable(_) if !path.exists() => {}
            Outcome::Unreadable(e) => report.failed.push(unreadable(&name, &e)),
            Outcome::Invalid(d) => report.failed.extend(d),
            Outcome::Passed(Scanned::Unchanged) => report.unchanged += 1,
            Outcome::Passed(Scanned::Changed { id }) => changed.push((path.clone(), id)),
            Outcome::Passed(Scanned::New { quads }) => {
                report.added += 1;
                report.triples += quads.len() - 2;
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

    // Changed articles, in atomic batches: each is either as before or as now.
    total += changed.len() as u64;
    for batch in changed.chunks(BATCH) {
        // read and checked again: the file may have changed since the first pass
        let checked: Vec<Rechecked> = batch
            .par_iter()
            .map(|(path, _)| recheck(path, &pipeline))
            .collect();
        let mut quads: Vec<Quad> = Vec::new();
        let mut clear: BTreeSet<NamedNode> = BTreeSet::new();
        for ((path, id), checked) in batch.iter().zip(checked) {
            let name = path.display().to_string();
            let (article, hash) = match checked {
                // vanished since the first pass
                None => {
                    present.remove(&name);
                    continue;
                }
                Some(Ok((a, _))) if &a.id != id => {
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
                Some(Ok(checked)) => checked,
                // it changed during the build, and is now invalid
                Some(Err(d)) => {
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
            quads.extend(records::record(&iri, &name, &hash));
        }
        replace(store, &clear, &quads)?;
        done += batch.len() as u64;
        progress(done, total);
    }

    // Articles whose files are gone.
    if options.prune {
        let gone: BTreeSet<NamedNode> = before
            .iter()
            .filter(|(file, _)| !present.contains(file.as_str()))
            .map(|(_, r)| r.article.clone())
            .collect();
        replace(store, &gone, &[])?;
        report.pruned = gone.len();
    }
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

/// In one atomic transaction: forgets the graphs `clear` (and their records), then adds
/// `quads`.
fn replace(store: &Store, clear: &BTreeSet<NamedNode>, quads: &[Quad]) -> Result<()> {
    let mut t = store
        .start_transaction()
        .map_err(Error::store("cannot start a transaction"))?;
    for graph in clear {
        records::forget(&mut t, store, graph)?;
    }
    t.extend(quads.iter());
    t.commit()
        .map_err(Error::store("cannot commit a transaction"))
}

/// The ontology's graph, refreshed when it changed.
fn refresh_ontology(store: &Store, ontology: &Ontology) -> Result<()> {
    let graph = NamedNodeRef::new_unchecked(vocab::ONTOLOGY_IRI);
    let hash = records::hash_of(ontology.source().as_bytes());
    if records::has_hash(store, graph, &hash)? {
        return Ok(());
    }
    let mut quads: Vec<Quad> = ontology.quads().collect();
    quads.extend(records::record(&graph.into_owned(), ontology::PATH, &hash));
    replace(store, &BTreeSet::from([graph.into_owned()]), &quads)
}

#[cfg(test)]
mod tests {
    //! The build on an in-memory store (the CLI tests in tests/store.rs use RocksDB): files that
    //! vanish or change while a build runs.
    use super::*;
    use crate::testing::pipeline;
    use oxigraph::model::Term;

    const MINIMAL: &str = include_str!("../../tests/cases/good/minimal.toml");
    const TEXT: &str = include_str!("../../tests/cases/good/article.txt");

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

    /// Builds `files` into `store` under the default base.
    fn build(store: &Store, files: &[PathBuf], options: BuildOptions) -> Result<BuildReport> {
        build_with(store, files, options, &|_, _| {})
    }

    fn build_with(
        store: &Store,
        files: &[PathBuf],
        options: BuildOptions,
        progress: &dyn Fn(u64, u64),
    ) -> Result<BuildReport> {
        build_files(
            store,
            &Base::default(),
            files,
            options,
            pipeline(),
            progress,
        )
    }

    const PRUNE: BuildOptions = BuildOptions {
        prune: true,
        keep_going: false,
        compact: true,
    };

    fn articles(store: &Store) -> Vec<String> {
        records::recorded(store)
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
        build(&store, &files, BuildOptions::default()).unwrap();
        assert_eq!(articles(&store), ["a0", "a1", "a2"]);

        // listed, then removed before the build reads it
        std::fs::remove_file(&files[1]).unwrap();
        let report = build(&store, &files, BuildOptions::default())
            .expect("a vanished file is not an error");
        assert!(report.failed.is_empty());
        assert_eq!((report.unchanged, report.pruned), (2, 0));
        assert_eq!(articles(&store), ["a0", "a1", "a2"], "kept without --prune");
        let report = build(&store, &files, PRUNE).unwrap();
        assert_eq!(report.pruned, 1);
        assert_eq!(articles(&store), ["a0", "a2"]);
    }

    #[test]
    fn a_file_that_changes_during_the_build_is_loaded_as_it_is_then_or_reported() {
        let dir = tempfile::tempdir().unwrap();
        let files = corpus(dir.path(), 2);
        let store = Store::new().unwrap();
        build(&store, &files, BuildOptions::default()).unwrap();
        let old = "an official";
        assert!(has_quote(&store, old));

        // a0 changed: the first pass sees one version, the second (which writes it) another
        let edit = |from: &str, to: &str| {
            let text = std::fs::read_to_string(&files[0]).unwrap();
            std::fs::write(&files[0], text.replace(from, to)).unwrap();
        };
        edit(old, "a diplomat");
        let after_first_pass = || edit("a diplomat", "a minister");
        let report = build_with(&store, &files, BuildOptions::default(), &|done, _| {
            if done == 2 {
                after_first_pass();
            }
        })
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
        let report = build_with(&store, &files, BuildOptions::default(), &|done, _| {
            if done == 2 {
                break_it();
            }
        })
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
        build(&store, &files[..100], BuildOptions::default()).unwrap();
        let before: Vec<Quad> = store.iter().map(|q| q.unwrap()).collect();
        // the last of 200 files is broken: the 100 new valid ones are not loaded either
        let broken = MINIMAL.replace("modality = \"reported\"", "modality = \"rumoured\"");
        std::fs::write(&files[199], broken.replace("\"minimal\"", "\"a199\"")).unwrap();
        let err = build(&store, &files, BuildOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err}");
        assert_eq!(store.iter().map(|q| q.unwrap()).collect::<Vec<_>>(), before);
        // with keep_going, the valid ones are
        let keep_going = BuildOptions {
            keep_going: true,
            ..Default::default()
        };
        let report = build(&store, &files, keep_going).unwrap();
        assert_eq!((report.added, report.unchanged), (99, 100));
        assert_eq!(report.failed[0].file, files[199].display().to_string());
        files.pop();
        assert_eq!(articles(&store).len(), 199);
    }

    /// `israel` as an organization (without Israel's Wikidata ID, which would be a problem of
    /// the file itself), in article `id`.
    fn clash(id: &str) -> String {
        MINIMAL
            .replace("id = \"minimal\"", &format!("id = \"{id}\""))
            .replacen("class = \"State\"", "class = \"Organization\"", 1)
            .replacen("wikidata = \"Q801\"\n", "", 1)
    }

    #[test]
    fn a_clash_across_files_fails_the_build_with_the_messages_check_gives() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = corpus(dir.path(), 70);
        let last = dir.path().join("b.toml");
        std::fs::write(&last, clash("a0")).unwrap();
        files.push(last.clone());
        let store = Store::new().unwrap();
        let Err(Error::Invalid(built)) = build(&store, &files, BuildOptions::default()) else {
            panic!("the build should fail");
        };
        let Err(Error::Invalid(checked)) =
            pipeline().stream(crate::pipeline::Sources::Files(&files), |_| (), |_| Ok(()))
        else {
            panic!("check should fail");
        };
        assert_eq!(built, checked);
        let messages: Vec<String> = built.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("article id `a0` is already used by"));
        assert!(messages[1].contains("entity `israel` has class Organization here but State in"));
        assert!(store.is_empty().unwrap(), "nothing was loaded");
    }

    #[test]
    fn a_clash_with_an_article_the_store_keeps_is_found_without_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let files = corpus(dir.path(), 2);
        let store = Store::new().unwrap();
        build(&store, &files, BuildOptions::default()).unwrap();
        // a later build of another file only: the stored articles still take part
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("article.txt"), TEXT).unwrap();
        let b = other.path().join("b.toml");
        std::fs::write(&b, clash("b")).unwrap();
        let err = build(&store, std::slice::from_ref(&b), BuildOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!(
                "entity `israel` has class Organization here but State in {}",
                files[0].display()
            )),
            "{err}"
        );
        // with --prune the stored articles go, and so does the clash
        let report = build(&store, std::slice::from_ref(&b), PRUNE).unwrap();
        assert_eq!((report.added, report.pruned), (1, 2));
        assert_eq!(articles(&store), ["b"]);
    }
}
