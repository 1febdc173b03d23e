//! Persistent stores (`newskg build --store DIR`, `--store DIR` elsewhere). Without the
//! `rocksdb` feature, `--store` says how to get it; with it (CI builds it), build, rebuild,
//! prune, failures, bad store directories and an interrupted build are tested end to end.

mod common;

use common::newskg;
use predicates::str::contains;

#[cfg(not(feature = "rocksdb"))]
#[test]
fn store_needs_the_rocksdb_feature() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    newskg()
        .args(["build", "-i", "tests/cases/golden/facts.toml", "--store"])
        .arg(&store)
        .assert()
        .code(2)
        .stderr(contains(
            "--store needs newskg built with the `rocksdb` feature",
        ))
        .stderr(contains("libclang"));
    assert!(!store.exists(), "nothing is created");
}

#[test]
fn a_directory_that_is_not_a_store_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    newskg()
        .args(["build", "-i", "tests/cases/golden/facts.toml", "--store"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains(
            "is not a newskg store (it has no newskg-store.json); nothing was changed",
        ));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "nothing was written");
    newskg()
        .args(["query", "offices", "--store"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains("is not a newskg store"));
}

#[test]
fn an_incompatible_store_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let marker =
        r#"{ "format": "newskg-store", "version": 99, "base": "https://w3id.org/newskg/data/" }"#;
    std::fs::write(dir.path().join("newskg-store.json"), marker).unwrap();
    newskg()
        .args(["query", "offices", "--store"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains(
            "is a newskg store of version 99; this newskg reads version 1",
        ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("newskg-store.json")).unwrap(),
        marker
    );
}

#[cfg(feature = "rocksdb")]
mod rocksdb {
    use super::*;
    use std::path::Path;

    fn copy_seed(dir: &Path, name: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::copy("data/seed/facts.toml", dir.join(format!("{name}.toml"))).unwrap();
        std::fs::copy("data/seed/article.txt", dir.join("article.txt")).unwrap();
    }

    fn build(store: &Path, corpus: &Path, extra: &[&str]) -> std::process::Output {
        newskg()
            .args(["build", "--store"])
            .arg(store)
            .arg("-i")
            .arg(corpus)
            .args(extra)
            .output()
            .unwrap()
    }

    fn stdout(o: &std::process::Output) -> String {
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    #[test]
    fn build_rebuild_update_and_prune() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        copy_seed(&corpus, "seed");
        std::fs::copy("tests/cases/golden/facts.toml", corpus.join("golden.toml")).unwrap();
        std::fs::copy(
            "tests/cases/golden/article.txt",
            corpus.join("golden-article.txt"),
        )
        .unwrap();
        // golden.toml points to article.txt: give it its own text
        let golden = std::fs::read_to_string(corpus.join("golden.toml"))
            .unwrap()
            .replace("text = \"article.txt\"", "text = \"golden-article.txt\"");
        std::fs::write(corpus.join("golden.toml"), &golden).unwrap();

        let first = build(&store, &corpus, &[]);
        assert!(
            first.status.success(),
            "{}",
            String::from_utf8_lossy(&first.stderr)
        );
        assert!(stdout(&first).contains("2 added, 0 updated, 0 unchanged, 0 pruned, 0 failed"));

        // the store answers like the files do
        let from_store = newskg()
            .args(["export", "--store"])
            .arg(&store)
            .output()
            .unwrap();
        let from_files = newskg()
            .args(["export", "-i"])
            .arg(&corpus)
            .output()
            .unwrap();
        assert!(from_store.status.success());
        let strip = |o: &std::process::Output| stdout(o);
        let store_ttl = strip(&from_store);
        assert!(store_ttl.contains("<entity/freedonia>"));
        assert!(store_ttl.contains("<entity/azerbaijan>"));
        assert!(store_ttl.len() > strip(&from_files).len() / 2);
        newskg()
            .args(["query", "offices", "--store"])
            .arg(&store)
            .assert()
            .success()
            .stdout(contains("Prime Minister of Israel"));

        // the store keeps each article's text among its records (for serve's article view)
        let text = newskg()
            .args(["query", "--store"])
            .arg(&store)
            .arg("SELECT ?t WHERE { GRAPH <https://w3id.org/newskg/store> { art:golden nkg:sourceText ?t } }")
            .args(["--format", "tsv"])
            .output()
            .unwrap();
        let expected = std::fs::read_to_string(corpus.join("golden-article.txt")).unwrap();
        assert!(
            stdout(&text).contains(expected.lines().next().unwrap()),
            "{}",
            stdout(&text)
        );

        // check, coverage and link read the files the store was built from
        for command in [&["check"][..], &["coverage"], &["link"]] {
            let with_store = newskg()
                .args(command)
                .arg("--store")
                .arg(&store)
                .output()
                .unwrap();
            let with_files = newskg()
                .args(command)
                .arg("-i")
                .arg(&corpus)
                .output()
                .unwrap();
            assert!(with_files.status.success() || command == ["coverage"]);
            assert!(!with_files.stdout.is_empty());
            assert_eq!(
                (stdout(&with_store), with_store.status.code()),
                (stdout(&with_files), with_files.status.code()),
                "{command:?}"
            );
        }

        // unchanged: skipped
        let again = build(&store, &corpus, &[]);
        assert!(
            stdout(&again).contains("0 added, 0 updated, 2 unchanged"),
            "{}",
            stdout(&again)
        );

        // changed: replaced atomically, old facts gone
        std::fs::write(
            corpus.join("golden.toml"),
            golden.replace("label = \"Anna Vell\"", "label = \"Anna Vell-Smith\""),
        )
        .unwrap();
        let updated = build(&store, &corpus, &[]);
        assert!(
            stdout(&updated).contains("0 added, 1 updated, 1 unchanged"),
            "{}",
            stdout(&updated)
        );
        let out = newskg()
            .args(["query", "--store"])
            .arg(&store)
            .arg("SELECT ?l WHERE { ent:anna-vell rdfs:label ?l }")
            .args(["--format", "csv"])
            .output()
            .unwrap();
        assert_eq!(stdout(&out).replace('\r', ""), "l\nAnna Vell-Smith\n");

        // a vanished file: kept without --prune, removed with it
        std::fs::remove_file(corpus.join("golden.toml")).unwrap();
        let kept = build(&store, &corpus, &[]);
        assert!(stdout(&kept).contains("0 pruned"));
        let pruned = build(&store, &corpus, &["--prune"]);
        assert!(stdout(&pruned).contains("1 pruned"), "{}", stdout(&pruned));
        newskg()
            .args(["query", "--store"])
            .arg(&store)
            .arg("ASK { ent:anna-vell ?p ?o }")
            .assert()
            .stdout("false\n");
    }

    #[test]
    fn one_broken_file_and_keep_going() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        copy_seed(&corpus, "seed");
        std::fs::write(corpus.join("broken.toml"), "[article]\nid = \"broken\"\n[[entities]]\nid = \"x\"\nclass = \"Stat\"\nlabel = \"X\"\n").unwrap();
        // without --keep-going: nothing is loaded
        let out = build(&store, &corpus, &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("broken.toml:5:9: unknown class `Stat`")
        );
        newskg()
            .args(["query", "--store"])
            .arg(&store)
            .arg("ASK { ?s a nkg:Article }")
            .assert()
            .stdout("false\n");
        // with it: the valid file is loaded, the broken one listed, the exit status is 1
        let out = build(&store, &corpus, &["--keep-going"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout(&out).contains("1 added"), "{}", stdout(&out));
        assert!(String::from_utf8_lossy(&out.stderr).contains("broken.toml:5:9"));
        newskg()
            .args(["query", "agreement-parties", "--store"])
            .arg(&store)
            .assert()
            .success()
            .stdout(contains("Bahrain"));
    }

    #[test]
    fn an_interrupted_build_leaves_every_article_old_or_new() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        // many small articles
        std::fs::create_dir_all(&corpus).unwrap();
        for i in 0..3000 {
            std::fs::write(
                corpus.join(format!("a{i:05}.toml")),
                format!("[article]\nid = \"a{i}\"\n\n[[entities]]\nid = \"state-{i}\"\nclass = \"State\"\nlabel = \"State {i}\"\n\n[[facts]]\nid = \"f\"\nsubject = \"state-{i}\"\nproperty = \"allyOf\"\nobject = \"state-{}\"\nquote = \"State {i} is an ally\"\nmodality = \"asserted\"\n\n[[entities]]\nid = \"state-{}\"\nclass = \"State\"\nlabel = \"State {}\"\n", i + 1, i + 1, i + 1),
            )
            .unwrap();
        }
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newskg"))
            .args(["build", "--store"])
            .arg(&store)
            .arg("-i")
            .arg(&corpus)
            .spawn()
            .unwrap();
        // kill it once the store exists and writing has begun
        let started = std::time::Instant::now();
        while !store.join("newskg-store.json").exists()
            && started.elapsed() < std::time::Duration::from_secs(60)
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        let _ = child.kill();
        let _ = child.wait();
        // every article in the store is complete: its graph has its fact and its metadata
        let out = newskg()
            .args(["query", "--store"])
            .arg(&store)
            .arg("SELECT (COUNT(?a) AS ?n) WHERE { ?a a nkg:Article . FILTER NOT EXISTS { GRAPH ?a { ?f a nkg:Fact } } }")
            .args(["--format", "csv"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "the store opens after a kill: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            stdout(&out).replace('\r', ""),
            "n\n0\n",
            "no article is half-written"
        );
        // and the next build completes it
        let done = build(&store, &corpus, &[]);
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        let out = newskg()
            .args(["query", "--store"])
            .arg(&store)
            .arg("SELECT (COUNT(?a) AS ?n) WHERE { ?a a nkg:Article }")
            .args(["--format", "csv"])
            .output()
            .unwrap();
        assert_eq!(stdout(&out).replace('\r', ""), "n\n3000\n");
    }

    /// A store, compacted or not, exports the same bytes as the in-memory graph of its files.
    #[test]
    fn a_store_exports_what_its_files_give_compacted_or_not() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        copy_seed(&corpus, "seed");
        let export = |args: &[&std::ffi::OsStr]| {
            let out = newskg()
                .args(["export", "-f", "nquads"])
                .args(args)
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            out.stdout
        };
        let in_memory = export(&["-i".as_ref(), corpus.as_os_str()]);
        for (name, extra) in [("compacted", &[][..]), ("loose", &["--no-compact"][..])] {
            let store = tmp.path().join(name);
            assert!(build(&store, &corpus, extra).status.success());
            let from_store = export(&["--store".as_ref(), store.as_os_str()]);
            assert!(
                from_store == in_memory,
                "{name}: the store exports other bytes"
            );
        }
    }

    /// One pipeline for every command: a clash across files fails `build` with the messages
    /// `check` gives, and nothing is loaded; with `--keep-going` the other files are.
    #[test]
    fn a_clash_across_files_fails_the_build_as_it_fails_check() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        std::fs::create_dir_all(&corpus).unwrap();
        // more files than are read at a time: the clash is in a later chunk
        common::corpus_of_minimal_copies(&corpus, 150);
        std::fs::write(
            corpus.join("a150.toml"),
            common::clashing_copy("minimal-000"),
        )
        .unwrap();
        let check = newskg()
            .arg("check")
            .arg("-i")
            .arg(&corpus)
            .output()
            .unwrap();
        let built = build(&store, &corpus, &[]);
        assert_eq!(check.status.code(), Some(1));
        assert_eq!(built.status.code(), Some(1));
        let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(
            stderr(&check).contains("entity `israel` has class Organization here but State in"),
            "{}",
            stderr(&check)
        );
        assert_eq!(
            stderr(&built),
            stderr(&check),
            "the same problems, in the same words"
        );
        newskg()
            .args(["query", "--store"])
            .arg(&store)
            .arg("ASK { ?s a nkg:Article }")
            .assert()
            .stdout("false\n");

        let kept = build(&store, &corpus, &["--keep-going"]);
        assert_eq!(kept.status.code(), Some(1));
        assert!(stdout(&kept).contains("150 added"), "{}", stdout(&kept));
        assert!(stderr(&kept).contains("a150.toml:9:9: entity `israel` has class Organization"));

        // a later build of the clashing file alone still meets the stored articles
        let alone = tmp.path().join("alone");
        std::fs::create_dir_all(&alone).unwrap();
        std::fs::copy(corpus.join("article.txt"), alone.join("article.txt")).unwrap();
        std::fs::write(alone.join("b.toml"), common::clashing_copy("b")).unwrap();
        let again = build(&store, &alone, &[]);
        assert_eq!(again.status.code(), Some(1));
        assert!(
            stderr(&again).contains("entity `israel` has class Organization here but State in"),
            "{}",
            stderr(&again)
        );
    }

    /// A corpus in a store: each entity's description once, whatever the number of articles
    /// that declare it; and every canned query answers as on the files, row for row, in order.
    #[test]
    fn a_corpus_in_a_store_describes_entities_once_and_answers_as_its_files() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        copy_seed(&corpus, "seed");
        let seed = std::fs::read_to_string(corpus.join("seed.toml")).unwrap();
        std::fs::write(
            corpus.join("again.toml"),
            seed.replacen(
                "id = \"azerbaijan-abraham-accords\"",
                "id = \"azerbaijan-abraham-accords-again\"",
                1,
            ),
        )
        .unwrap();
        for f in [
            "registry.toml",
            "one.toml",
            "one.txt",
            "two.toml",
            "two.txt",
        ] {
            std::fs::copy(format!("examples/corpus/{f}"), corpus.join(f)).unwrap();
        }
        let built = build(&store, &corpus, &[]);
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
        let csv = |args: &[&std::ffi::OsStr]| {
            let out = newskg()
                .arg("query")
                .args(args)
                .args(["-f", "csv"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            stdout(&out).replace('\r', "")
        };
        let once = csv(&[
            "--store".as_ref(),
            store.as_os_str(),
            "SELECT ?e ?p ?o (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e ?p ?o } FILTER(STRSTARTS(STR(?e), STR(ent:)) && ?p IN (rdfs:label, rdf:type, owl:sameAs, skos:altLabel)) } GROUP BY ?e ?p ?o HAVING (COUNT(*) > 1)".as_ref(),
        ]);
        assert_eq!(once, "e,p,o,n\n", "descriptions repeated:\n{once}");
        for name in [
            "entities",
            "offices",
            "about-entity",
            "timeline",
            "hedged-claims",
            "mediators",
        ] {
            assert_eq!(
                csv(&["--store".as_ref(), store.as_os_str(), name.as_ref()]),
                csv(&["-i".as_ref(), corpus.as_os_str(), name.as_ref()]),
                "{name}"
            );
        }
    }

    #[test]
    fn a_locked_store_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        copy_seed(&corpus, "seed");
        assert!(build(&store, &corpus, &[]).status.success());
        // hold the store open for writing in this process: a second writer is refused,
        // readers are not
        let _held = oxigraph::store::Store::open(store.join("oxigraph")).unwrap();
        let out = build(&store, &corpus, &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("is locked by another process"));
        newskg()
            .args(["query", "offices", "--store"])
            .arg(&store)
            .assert()
            .success();
    }

    /// A corpus of `n` copies of the seed under their own article ids, in `dir`.
    fn seed_corpus(dir: &Path, n: usize) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::copy("data/seed/article.txt", dir.join("article.txt")).unwrap();
        let text = std::fs::read_to_string("data/seed/facts.toml").unwrap();
        for i in 0..n {
            let copy = text.replace(
                "id = \"azerbaijan-abraham-accords\"",
                &format!("id = \"copy-{i:03}\""),
            );
            std::fs::write(dir.join(format!("a{i:03}.toml")), copy).unwrap();
        }
    }

    #[test]
    fn a_respelled_or_moved_corpus_is_the_same_corpus() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        seed_corpus(&corpus, 3);
        // built as `corpus`, from its parent
        let first = newskg()
            .current_dir(tmp.path())
            .args(["build", "--store", "store", "-i", "corpus"])
            .output()
            .unwrap();
        assert!(
            first.status.success(),
            "{}",
            String::from_utf8_lossy(&first.stderr)
        );
        // `./corpus`, with --prune --keep-going: nothing changes
        let respelled = newskg()
            .current_dir(tmp.path())
            .args([
                "build",
                "--store",
                "store",
                "-i",
                "./corpus",
                "--prune",
                "--keep-going",
            ])
            .output()
            .unwrap();
        assert!(
            stdout(&respelled).contains("0 added, 0 updated, 3 unchanged, 0 pruned, 0 failed"),
            "{}{}",
            stdout(&respelled),
            String::from_utf8_lossy(&respelled.stderr)
        );
        // an absolute path, from elsewhere
        let absolute = build(&store, &corpus, &["--prune"]);
        assert!(stdout(&absolute).contains("0 added, 0 updated, 3 unchanged, 0 pruned"));
        // coverage reads the store's files from any directory
        let elsewhere = tempfile::tempdir().unwrap();
        newskg()
            .current_dir(elsewhere.path())
            .args(["coverage", "--store"])
            .arg(&store)
            .assert()
            .success();
        // moved: 0 changes, and the store now knows the new place
        let moved = tmp.path().join("moved");
        std::fs::rename(&corpus, &moved).unwrap();
        let after = build(&store, &moved, &["--prune"]);
        assert!(
            stdout(&after).contains("0 added, 0 updated, 3 unchanged, 0 pruned, 0 failed"),
            "{}{}",
            stdout(&after),
            String::from_utf8_lossy(&after.stderr)
        );
        newskg()
            .args(["coverage", "--store"])
            .arg(&store)
            .assert()
            .success()
            .stdout(contains("moved"));
        // a moved and changed file replaces its article
        let changed = std::fs::read_to_string(moved.join("a000.toml"))
            .unwrap()
            .replace("language = \"en\"", "language = \"en-GB\"");
        let again = tmp.path().join("again");
        std::fs::rename(&moved, &again).unwrap();
        std::fs::write(again.join("a000.toml"), changed).unwrap();
        let after = build(&store, &again, &["--prune"]);
        assert!(
            stdout(&after).contains("0 added, 1 updated, 2 unchanged, 0 pruned, 0 failed"),
            "{}",
            stdout(&after)
        );
    }

    #[test]
    fn prune_holds_while_a_file_fails() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        seed_corpus(&corpus, 2);
        assert!(build(&store, &corpus, &[]).status.success());
        // a file moves and breaks on the way: it may be the article that moved
        let moved = tmp.path().join("moved");
        std::fs::create_dir(&moved).unwrap();
        std::fs::copy(corpus.join("article.txt"), moved.join("article.txt")).unwrap();
        std::fs::write(moved.join("a000.toml"), "[article\nid = \"copy-000\"\n").unwrap();
        std::fs::remove_file(corpus.join("a000.toml")).unwrap();
        let o = newskg()
            .args(["build", "--prune", "--keep-going", "--store"])
            .arg(&store)
            .arg("-i")
            .arg(&corpus)
            .arg("-i")
            .arg(&moved)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        assert!(stdout(&o).contains("0 pruned, 1 failed"), "{}", stdout(&o));
        assert!(stdout(&o).contains("nothing was pruned"), "{}", stdout(&o));
        let count = newskg()
            .args(["query", "-f", "csv", "--store"])
            .arg(&store)
            .arg("SELECT (COUNT(*) AS ?n) WHERE { ?a a nkg:Article }")
            .output()
            .unwrap();
        assert!(stdout(&count).ends_with("2\n") || stdout(&count).ends_with("2\r\n"));
    }

    #[test]
    fn a_first_build_killed_early_leaves_a_store_the_next_build_fills() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        seed_corpus(&corpus, 20);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newskg"))
            .args(["build", "--store"])
            .arg(&store)
            .arg("-i")
            .arg(&corpus)
            .spawn()
            .unwrap();
        // killed as soon as the store directory exists
        let started = std::time::Instant::now();
        while !store.exists() && started.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let _ = child.kill();
        let _ = child.wait();
        let next = build(&store, &corpus, &[]);
        assert!(
            next.status.success(),
            "{}",
            String::from_utf8_lossy(&next.stderr)
        );
        assert!(stdout(&next).contains("0 failed"), "{}", stdout(&next));
        let count = newskg()
            .args(["query", "-f", "csv", "--store"])
            .arg(&store)
            .arg("SELECT (COUNT(*) AS ?n) WHERE { ?a a nkg:Article }")
            .output()
            .unwrap();
        assert!(
            stdout(&count).trim_end().ends_with("20"),
            "{}",
            stdout(&count)
        );
    }

    #[test]
    fn updating_every_article_keeps_the_store_small() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        seed_corpus(&corpus, 60);
        assert!(build(&store, &corpus, &[]).status.success());
        let size = |dir: &Path| -> u64 {
            fn walk(p: &Path) -> u64 {
                let m = std::fs::symlink_metadata(p).unwrap();
                if m.is_dir() {
                    std::fs::read_dir(p)
                        .unwrap()
                        .map(|e| walk(&e.unwrap().path()))
                        .sum()
                } else {
                    m.len()
                }
            }
            walk(&dir.join("oxigraph"))
        };
        let fresh = size(&store);
        for round in 0..3 {
            for i in 0..60 {
                let file = corpus.join(format!("a{i:03}.toml"));
                let text = std::fs::read_to_string(&file).unwrap().replace(
                    &format!("genre = \"opinion\"{}", "\n# edit".repeat(round)),
                    &format!("genre = \"opinion\"{}", "\n# edit".repeat(round + 1)),
                );
                std::fs::write(&file, text).unwrap();
            }
            let o = build(&store, &corpus, &[]);
            assert!(stdout(&o).contains("0 added, 60 updated"), "{}", stdout(&o));
            let now = size(&store);
            assert!(
                (now as f64) < 1.5 * fresh as f64,
                "round {round}: {now} bytes after updating every article, {fresh} fresh"
            );
        }
    }

    #[test]
    fn a_compaction_cut_off_is_finished_by_the_next_build() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        seed_corpus(&corpus, 60);
        let mark = store.join("compacting");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newskg"))
            .args(["build", "--store"])
            .arg(&store)
            .arg("-i")
            .arg(&corpus)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // killed while it compacts (a first build that loaded the store compacts it)
        let started = std::time::Instant::now();
        let mut exited = None;
        while !mark.exists() && exited.is_none() && started.elapsed().as_secs() < 120 {
            exited = child.try_wait().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let _ = child.kill();
        let _ = child.wait();
        if !mark.exists() {
            // it ended before the kill: leave what a kill during its compaction leaves
            std::fs::write(&mark, "a compaction started; the next build finishes it\n").unwrap();
        }
        let next = build(&store, &corpus, &[]);
        assert!(
            next.status.success(),
            "{}",
            String::from_utf8_lossy(&next.stderr)
        );
        assert!(
            stdout(&next).contains("0 added, 0 updated, 60 unchanged"),
            "{}",
            stdout(&next)
        );
        assert!(!mark.exists(), "the next build finished the compaction");
        let after = std::fs::read_to_string(store.join("compaction.json")).unwrap();
        assert!(after.contains("\"size\""), "{after}");
        // and the one after has nothing to do
        let again = build(&store, &corpus, &[]);
        assert!(
            stdout(&again).contains("60 unchanged"),
            "{}",
            stdout(&again)
        );
        newskg()
            .args(["build", "--verify", "--store"])
            .arg(&store)
            .assert()
            .success()
            .stdout(contains("verified: "));
    }

    #[test]
    fn verify_finds_a_damaged_store() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        seed_corpus(&corpus, 5);
        assert!(build(&store, &corpus, &[]).status.success());
        newskg()
            .args(["build", "--verify", "--store"])
            .arg(&store)
            .assert()
            .success()
            .stdout(contains("verified: "));
        // 4 KiB of other bytes inside the largest table file
        let mut tables: Vec<_> = std::fs::read_dir(store.join("oxigraph"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sst"))
            .collect();
        tables.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).unwrap().len()));
        let table = &tables[0];
        let mut bytes = std::fs::read(table).unwrap();
        assert!(bytes.len() > 8192, "{} bytes", bytes.len());
        let at = bytes.len() / 3;
        for (i, b) in bytes[at..at + 4096].iter_mut().enumerate() {
            *b = b.wrapping_add(1 + (i % 251) as u8);
        }
        std::fs::write(table, bytes).unwrap();
        let o = newskg()
            .args(["build", "--verify", "--store"])
            .arg(&store)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains("is damaged") || e.contains("orrupt"), "{e}");
    }

    /// Plain RDF files in a store: added, skipped when unchanged, updated, left alone by a broken
    /// one (the store as it was), pruned when no longer named; the store exports what the files
    /// give.
    #[test]
    fn rdf_files_beside_the_facts_are_built_incrementally() {
        let tmp = tempfile::tempdir().unwrap();
        let (store, corpus) = (tmp.path().join("store"), tmp.path().join("corpus"));
        copy_seed(&corpus, "seed");
        let ttl = tmp.path().join("topics.ttl");
        let topic = |label: &str| {
            format!(
                "<http://example.org/topics/energy> <http://www.w3.org/2004/02/skos/core#prefLabel> \"{label}\"@en .\n"
            )
        };
        std::fs::write(&ttl, topic("Energy")).unwrap();
        let with_ttl = |extra: &[&str]| {
            let mut args = vec!["-i", ttl.to_str().unwrap()];
            args.extend_from_slice(extra);
            build(&store, &corpus, &args)
        };
        let first = with_ttl(&[]);
        assert!(
            first.status.success(),
            "{}",
            String::from_utf8_lossy(&first.stderr)
        );
        assert!(stdout(&first).contains("1 added, 0 updated, 0 unchanged, 0 pruned, 0 failed"));
        assert!(
            stdout(&first).contains(
                "RDF files, each in its graph: 1 added, 0 updated, 0 unchanged, 0 pruned"
            ),
            "{}",
            stdout(&first)
        );
        let export = |args: &[&std::ffi::OsStr]| {
            let out = newskg()
                .args(["export", "-f", "nquads"])
                .args(args)
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            out.stdout
        };
        let from_files = export(&[
            "-i".as_ref(),
            corpus.as_os_str(),
            "-i".as_ref(),
            ttl.as_os_str(),
        ]);
        assert!(export(&["--store".as_ref(), store.as_os_str()]) == from_files);

        let again = with_ttl(&[]);
        assert!(
            stdout(&again).contains(
                "RDF files, each in its graph: 0 added, 0 updated, 1 unchanged, 0 pruned"
            )
        );
        std::fs::write(&ttl, topic("Energy policy")).unwrap();
        let changed = with_ttl(&[]);
        assert!(
            stdout(&changed).contains("1 triples written, 1 removed")
                && stdout(&changed).contains("0 added, 1 updated, 0 unchanged"),
            "{}",
            stdout(&changed)
        );
        let label = |s: &Path| {
            let out = newskg()
                .args(["query", "--store"])
                .arg(s)
                .args(["SELECT ?l WHERE { GRAPH <https://w3id.org/newskg/data/graph/topics.ttl> { ?t skos:prefLabel ?l } }", "-f", "tsv"])
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        assert_eq!(label(&store), "?l\n\"Energy policy\"@en\n");

        // a broken RDF file: an error at its place, and the store as it was
        let before = export(&["--store".as_ref(), store.as_os_str()]);
        std::fs::write(&ttl, "<http://e/a> <http://e/p> .\n").unwrap();
        let broken = with_ttl(&[]);
        assert_eq!(broken.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&broken.stderr).contains("topics.ttl:1:27: invalid RDF"));
        assert!(export(&["--store".as_ref(), store.as_os_str()]) == before);

        // not named: kept; not named with --prune: removed
        let kept = build(&store, &corpus, &[]);
        assert!(kept.status.success());
        assert_eq!(label(&store), "?l\n\"Energy policy\"@en\n");
        let pruned = build(&store, &corpus, &["--prune"]);
        assert!(
            stdout(&pruned).contains(
                "RDF files, each in its graph: 0 added, 0 updated, 0 unchanged, 1 pruned"
            ),
            "{}",
            stdout(&pruned)
        );
        assert_eq!(label(&store), "?l\n");
        assert!(
            export(&["--store".as_ref(), store.as_os_str()])
                == export(&["-i".as_ref(), corpus.as_os_str()])
        );
    }
}
