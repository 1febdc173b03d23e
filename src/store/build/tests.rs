//! The build on an in-memory store (the CLI tests in tests/store.rs use RocksDB): files that
//! vanish or change while a build runs.
use super::*;
use crate::testing::pipeline;
use crate::vocab;
use oxigraph::model::{NamedNodeRef, Term};

const MINIMAL: &str = include_str!("../../../tests/cases/good/minimal.toml");
const TEXT: &str = include_str!("../../../tests/cases/good/article.txt");

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
    rdf_format: None,
};

fn articles(store: &Store) -> Vec<String> {
    records::recorded(store, &Base::default())
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
    let report =
        build(&store, &files, BuildOptions::default()).expect("a vanished file is not an error");
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
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("article id `a0` is already used by"));
    assert!(messages[1].contains("entity `israel` has no Wikidata ID here but `Q801` at"));
    assert!(messages[2].contains("entity `israel` has class Organization here but State in"));
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

/// The labels of `id` in the whole store.
fn labels(store: &Store, id: &str) -> Vec<String> {
    let node = Base::default().entity(id);
    let mut labels: Vec<String> = store
        .quads_for_pattern(
            Some(node.as_ref().into()),
            Some(NamedNodeRef::new_unchecked(vocab::rdfs::LABEL)),
            None,
            None,
        )
        .map(|q| match q.unwrap().object {
            Term::Literal(l) => l.value().to_string(),
            other => other.to_string(),
        })
        .collect();
    labels.sort();
    labels
}

#[test]
fn an_entity_many_articles_declare_is_described_once_and_goes_with_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path(), 5);
    let store = Store::new().unwrap();
    build(&store, &files, BuildOptions::default()).unwrap();
    assert_eq!(
        labels(&store, "israel"),
        ["Israel"],
        "once, not once per article"
    );
    // the entities nothing declares any more go
    for f in &files {
        std::fs::remove_file(f).unwrap();
    }
    let report = build(&store, &files, PRUNE).unwrap();
    assert_eq!(report.pruned, 5);
    assert!(labels(&store, "israel").is_empty());
    assert!(labels(&store, "azerbaijan").is_empty());
}

#[test]
fn a_registry_that_changes_rebuilds_the_articles_that_use_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("article.txt"), TEXT).unwrap();
    let registry = dir.path().join("registry.toml");
    let write_registry = |label: &str| {
        std::fs::write(
            &registry,
            format!(
                "[registry]\nlanguage = \"en\"\n\n[[entities]]\nid = \"israel\"\nclass = \"State\"\nlabel = \"{label}\"\nwikidata = \"Q801\"\n\n[[entities]]\nid = \"egypt\"\nclass = \"State\"\nlabel = \"Egypt\"\n"
            ),
        )
        .unwrap();
    };
    write_registry("Israel");
    // two articles use the registry's Israel without declaring it; one does not use it
    let without_israel = |id: &str| {
        MINIMAL
            .replace("id = \"minimal\"", &format!("id = \"{id}\""))
            .replacen(
                "[[entities]]\nid = \"israel\"\nclass = \"State\"\nlabel = \"Israel\"\nwikidata = \"Q801\"\n\n",
                "",
                1,
            )
    };
    let mut files = Vec::new();
    for id in ["u1", "u2"] {
        let path = dir.path().join(format!("{id}.toml"));
        std::fs::write(&path, without_israel(id)).unwrap();
        files.push(path);
    }
    let other = dir.path().join("other.toml");
    std::fs::write(
        &other,
        "[article]\nid = \"other\"\n\n[[entities]]\nid = \"cyprus\"\nclass = \"State\"\nlabel = \"Cyprus\"\n\n[[facts]]\nid = \"f\"\nsubject = \"cyprus\"\nproperty = \"allyOf\"\nobject = \"egypt\"\nquote = \"Cyprus is an ally of Egypt\"\nmodality = \"asserted\"\n",
    )
    .unwrap();
    files.push(other);
    let store = Store::new().unwrap();
    let with_registry = || {
        pipeline()
            .with_registries(std::slice::from_ref(&registry))
            .unwrap()
    };
    let report = build_files(
        &store,
        &Base::default(),
        &files,
        BuildOptions::default(),
        with_registry(),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(report.added, 3);
    assert_eq!(labels(&store, "israel"), ["Israel"]);
    assert_eq!(
        labels(&store, "egypt"),
        ["Egypt"],
        "the registry's, used or not"
    );

    // the registry renames Israel: the two articles that use it are checked and written again,
    // the other is not; the old label is gone
    write_registry("State of Israel");
    let report = build_files(
        &store,
        &Base::default(),
        &files,
        BuildOptions::default(),
        with_registry(),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!((report.updated, report.unchanged), (2, 1), "{report:?}");
    assert_eq!(labels(&store, "israel"), ["State of Israel"]);
    // and again, with nothing changed: nothing is written
    let report = build_files(
        &store,
        &Base::default(),
        &files,
        BuildOptions::default(),
        with_registry(),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!((report.updated, report.unchanged), (0, 3));
}

/// Every quad of `store`, sorted, as N-Quads lines.
fn dump(store: &Store) -> Vec<String> {
    let mut quads: Vec<String> = store.iter().map(|q| q.unwrap().to_string()).collect();
    quads.sort();
    quads
}

#[test]
fn an_update_writes_what_changed_and_leaves_what_a_fresh_build_gives() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path(), 3);
    let store = Store::new().unwrap();
    let first = build(&store, &files, PRUNE).unwrap();
    assert_eq!((first.added, first.removed), (3, 0));
    // one fact's modality edited, in one article
    let facts = std::fs::read_to_string(&files[1]).unwrap();
    let edited = facts.replacen("modality = \"planned\"", "modality = \"predicted\"", 1);
    assert_ne!(facts, edited);
    std::fs::write(&files[1], edited).unwrap();
    let report = build(&store, &files, PRUNE).unwrap();
    assert_eq!((report.updated, report.unchanged), (1, 2));
    // only the fact's changed triples, not the article's
    assert!(report.triples > 0 && report.triples < first.triples / 3 / 4);
    assert!(report.removed > 0 && report.removed < first.triples / 3 / 4);
    let fresh = Store::new().unwrap();
    build(&fresh, &files, PRUNE).unwrap();
    assert_eq!(dump(&store), dump(&fresh));
    // an article whose id changed: its every triple is rewritten, none of the old id stays
    let renamed = std::fs::read_to_string(&files[2])
        .unwrap()
        .replace("id = \"a2\"", "id = \"b2\"");
    std::fs::write(&files[2], renamed).unwrap();
    let report = build(&store, &files, PRUNE).unwrap();
    assert_eq!(report.updated, 1);
    let fresh = Store::new().unwrap();
    build(&fresh, &files, PRUNE).unwrap();
    assert_eq!(dump(&store), dump(&fresh));
    assert!(!dump(&store).iter().any(|q| q.contains("/article/a2")));
}
