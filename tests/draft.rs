//! `newskg draft`, end to end: the seed article and generated texts (every entity the catalog
//! knows by a name the text writes is found, at its offsets); a draft checks as a to-do list and
//! passes once completed; bad texts are refused with their place.

mod common;

use common::newskg;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Drafts `text` (written to DIR/NAME) into DIR/draft.toml; returns the parsed draft.
fn draft_of(dir: &Path, name: &str, text: &str, extra: &[&str]) -> toml::Table {
    let article = dir.join(name);
    std::fs::write(&article, text).unwrap();
    let out = dir.join("draft.toml");
    let o = newskg()
        .arg("draft")
        .arg(&article)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    toml::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
}

/// (wikidata, start, end, text) of every mention of the draft.
fn mentions(draft: &toml::Table) -> BTreeSet<(String, i64, i64, String)> {
    let mut out = BTreeSet::new();
    for e in draft["entities"].as_array().unwrap() {
        let q = e.get("wikidata").and_then(|q| q.as_str()).unwrap_or("");
        for m in e["mentions"].as_array().unwrap() {
            out.insert((
                q.to_string(),
                m["start"].as_integer().unwrap(),
                m["end"].as_integer().unwrap(),
                m["text"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

/// `check` on a draft: it fails with one to-do per stub and nothing else (the draft is a well
/// formed facts file whose entities, Wikidata IDs and mentions all hold).
fn checks_as_a_to_do_list(file: &Path, stubs: usize) {
    let o = newskg().args(["check", "-i"]).arg(file).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), stubs + 1, "{stderr}");
    assert!(
        lines[..stubs]
            .iter()
            .all(|l| l.contains(": to do: fact `s")),
        "{stderr}"
    );
}

/// A row of the catalog: (qid, class, label, aliases, demonyms).
type Row = (String, String, String, Vec<String>, Vec<String>);

/// The catalog's rows.
fn catalog() -> Vec<Row> {
    let text = std::fs::read_to_string("data/catalog.tsv").unwrap();
    let list = |s: &str| -> Vec<String> {
        s.split('|')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (
                c[0].into(),
                c[1].into(),
                c[2].into(),
                list(c[3]),
                list(c[4]),
            )
        })
        .collect()
}

#[test]
fn the_seed_article_every_entity_the_catalog_knows_by_a_name_it_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("data/seed/article.txt").unwrap();
    let draft = draft_of(tmp.path(), "article.txt", &text, &[]);
    let found = mentions(&draft);
    let qids: BTreeSet<&str> = found.iter().map(|m| m.0.as_str()).collect();
    // every mention is at its offsets (code points)
    let chars: Vec<char> = text.chars().collect();
    for (q, start, end, written) in &found {
        let at: String = chars[*start as usize..*end as usize].iter().collect();
        assert_eq!(&at, written, "{q}");
    }
    let catalog: BTreeMap<String, _> = catalog().into_iter().map(|r| (r.0.clone(), r)).collect();
    let seed: toml::Table =
        toml::from_str(&std::fs::read_to_string("data/seed/facts.toml").unwrap()).unwrap();
    let mut expected = 0;
    for e in seed["entities"].as_array().unwrap() {
        let Some(q) = e.get("wikidata").and_then(|q| q.as_str()) else {
            continue;
        };
        if !catalog.contains_key(q) {
            continue;
        }
        expected += 1;
        assert!(
            qids.contains(q),
            "{} ({q}) is in the catalog and the text, not in the draft",
            e["id"]
        );
    }
    // every one: the war by "the Oct. 7 war", the office by "President Donald Trump"
    assert!(expected >= 31, "{expected}");
    // the draft is a facts file: `check` lists its stubs as to-dos, nothing else
    let stubs = draft["facts"].as_array().unwrap().len();
    assert!(stubs > 40, "{stubs}");
    checks_as_a_to_do_list(&tmp.path().join("draft.toml"), stubs);
    // the same text gives the same bytes, and the JSON draft checks the same
    let again = newskg()
        .arg("draft")
        .arg(tmp.path().join("article.txt"))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(again.stdout).unwrap(),
        std::fs::read_to_string(tmp.path().join("draft.toml")).unwrap()
    );
    let json = tmp.path().join("draft.json");
    newskg()
        .arg("draft")
        .arg(tmp.path().join("article.txt"))
        .arg("-o")
        .arg(&json)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&json)
            .unwrap()
            .contains("\"draft\": true")
    );
    checks_as_a_to_do_list(&json, stubs);
}

/// A small deterministic random generator (the tests need no crate for it).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn generated_texts_each_name_found_at_its_offsets() {
    let rows = catalog();
    // names that name one item only (lower case), so that a text cannot be read two ways
    let mut owners: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (q, _, label, aliases, demonyms) in &rows {
        for n in std::iter::once(label).chain(aliases).chain(demonyms) {
            owners.entry(n.to_lowercase()).or_default().insert(q);
        }
    }
    let unique = |n: &str| owners.get(&n.to_lowercase()).is_some_and(|o| o.len() == 1);
    let states: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.1 == "State" && unique(&r.2) && !r.2.contains(" and "))
        .map(|r| (r.0.as_str(), r.2.as_str()))
        .collect();
    let demonyms: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.1 == "State")
        .flat_map(|r| r.4.iter().map(move |d| (r.0.as_str(), d.as_str())))
        .filter(|(_, d)| unique(d))
        .collect();
    let cities: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.1 == "City" && unique(&r.2) && !r.2.contains(" and "))
        .map(|r| (r.0.as_str(), r.2.as_str()))
        .collect();
    let mut rng = Lcg(42);
    let tmp = tempfile::tempdir().unwrap();
    for n in 0..12 {
        let mut text = String::new();
        let mut expected: Vec<(String, usize, usize)> = Vec::new();
        let mut put = |text: &mut String, (q, name): (&str, &str)| {
            let start = text.chars().count();
            text.push_str(name);
            expected.push((q.to_string(), start, start + name.chars().count()));
        };
        for _ in 0..6 {
            match rng.below(3) {
                0 => {
                    put(&mut text, states[rng.below(states.len())]);
                    text.push_str(" and ");
                    put(&mut text, states[rng.below(states.len())]);
                    text.push_str(" signed an agreement in ");
                    put(&mut text, cities[rng.below(cities.len())]);
                    text.push_str(" last week.");
                }
                1 => {
                    text.push_str("Officials said ");
                    put(&mut text, demonyms[rng.below(demonyms.len())]);
                    text.push_str(" troops may leave by March.");
                }
                _ => {
                    text.push_str("The talks in ");
                    put(&mut text, cities[rng.below(cities.len())]);
                    text.push_str(" will resume, according to ");
                    put(&mut text, states[rng.below(states.len())]);
                    text.push_str("’s foreign ministry.");
                }
            }
            text.push(if rng.below(2) == 0 { ' ' } else { '\n' });
        }
        let dir = tmp.path().join(format!("t{n}"));
        std::fs::create_dir(&dir).unwrap();
        let draft = draft_of(&dir, "text.txt", &text, &[]);
        let found: BTreeSet<(String, usize, usize)> = mentions(&draft)
            .into_iter()
            .map(|(q, s, e, _)| (q, s as usize, e as usize))
            .collect();
        for e in &expected {
            assert!(found.contains(e), "{e:?} not found in:\n{text}\n{found:?}");
        }
        assert_eq!(found.len(), expected.len(), "{text}\n{found:?}");
        let stubs = draft["facts"].as_array().unwrap().len();
        assert_eq!(stubs, 6, "{text}");
        checks_as_a_to_do_list(&dir.join("draft.toml"), stubs);
    }
}

/// A draft completed by its curator passes `check`: the corpus's ids from a registry, the
/// title and byline, a stub made a fact.
#[test]
fn a_completed_draft_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let registry = tmp.path().join("registry.toml");
    std::fs::write(
        &registry,
        "[registry]\nlanguage = \"en\"\n\n[[entities]]\nid = \"tr\"\nclass = \"State\"\nlabel = \"Turkey\"\nwikidata = \"Q43\"\n",
    )
    .unwrap();
    let text = "Ankara and Athens agree to talk\nBy Jane Roe and John Doe\nTurkey and Greece will resume talks, officials said.\n";
    let draft = draft_of(
        tmp.path(),
        "talks.txt",
        text,
        &["--registry", &registry.display().to_string()],
    );
    let article = draft["article"].as_table().unwrap();
    assert_eq!(
        article["title"].as_str(),
        Some("Ankara and Athens agree to talk")
    );
    assert_eq!(
        article["authors"].as_array().unwrap(),
        &vec![toml::Value::from("jane-roe"), toml::Value::from("john-doe")]
    );
    let ids: Vec<&str> = draft["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"tr") && ids.contains(&"greece"), "{ids:?}");
    let file = tmp.path().join("draft.toml");
    let drafted = std::fs::read_to_string(&file).unwrap();
    // the curator states the claim and takes the mark away
    let stub = "id = \"s3\"\ndraft = true\n";
    assert!(drafted.contains(stub), "{drafted}");
    let done = drafted
        .replace(
            stub,
            "id = \"s3\"\nevent = \"Talks\"\nparticipants = [{ entity = \"tr\", role = \"party\" }, { entity = \"greece\", role = \"party\" }]\nattribution = \"officials\"\n",
        );
    std::fs::write(&file, done).unwrap();
    let o = newskg()
        .args(["check", "--registry"])
        .arg(&registry)
        .arg("-i")
        .arg(&file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn bad_texts_are_refused_with_their_place() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "empty.txt",
            b"  \n".to_vec(),
            "empty.txt:1:1: the text is empty",
        ),
        (
            "binary.txt",
            b"ab\ncd\0ef".to_vec(),
            "binary.txt:2:3: not a text: it holds a NUL character",
        ),
        (
            "latin1.txt",
            b"Caf\xe9 au lait".to_vec(),
            "latin1.txt:1:4: not valid UTF-8 (byte 0xe9)",
        ),
        (
            "huge.txt",
            vec![b'a'; 4 * 1024 * 1024 + 1],
            "a draft is made of at most 4194304",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let o = newskg().arg("draft").arg(&path).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(o.stdout.is_empty(), "{name}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(message), "{name}: {stderr}");
    }
    // a registry with problems is refused, with its place
    let article = tmp.path().join("a.txt");
    std::fs::write(&article, "Turkey and Greece met.\n").unwrap();
    let registry = tmp.path().join("registry.toml");
    std::fs::write(
        &registry,
        "[[entities]]\nid = \"tr\"\nclass = \"Stat\"\nlabel = \"Turkey\"\n",
    )
    .unwrap();
    let o = newskg()
        .arg("draft")
        .arg(&article)
        .arg("--registry")
        .arg(&registry)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("registry.toml:3:9: unknown class `Stat`"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // the draft never replaces its article
    let o = newskg()
        .arg("draft")
        .arg(&article)
        .arg("-o")
        .arg(&article)
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&article).unwrap(),
        "Turkey and Greece met.\n"
    );
}

/// The README's walk-through: its committed draft is what `newskg draft` writes, and the
/// completed file checks.
#[test]
fn the_walk_through_draft_is_current() {
    let o = newskg()
        .args(["draft", "gas-deal.txt"])
        .current_dir("examples/loop")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        std::fs::read_to_string("examples/loop/gas-deal.draft.toml").unwrap(),
        "regenerate it: cd examples/loop && newskg draft gas-deal.txt -o gas-deal.draft.toml"
    );
    checks_as_a_to_do_list(Path::new("examples/loop/gas-deal.draft.toml"), 4);
    newskg()
        .args([
            "check",
            "--deny-warnings",
            "-i",
            "examples/loop/gas-deal.toml",
        ])
        .assert()
        .success();
}

/// Found by fuzzing: a byline whose name is a state's ("By Ｉｒａｎ") makes no state an author,
/// and a title the text repeats is not proposed as a passage (a quoted passage must be unique).
#[test]
fn a_byline_names_people_and_a_repeated_title_is_no_passage() {
    let tmp = tempfile::tempdir().unwrap();
    let text =
        "Gas talks\nBy Ｉｒａｎ\nIran and Turkey held gas talks, officials said.\nGas talks\n";
    let draft = draft_of(tmp.path(), "a.txt", text, &[]);
    let article = draft["article"].as_table().unwrap();
    assert_eq!(article["title"].as_str(), Some("Gas talks"));
    // its id would be the state's: no author is proposed, the curator names one
    assert!(article.get("authors").is_none(), "{article:?}");
    assert!(draft.get("no_claims").is_none_or(|n| {
        !n.as_array()
            .unwrap()
            .iter()
            .any(|p| p["quote"].as_str() == Some("Gas talks"))
    }));
    let stubs = draft["facts"].as_array().unwrap().len();
    checks_as_a_to_do_list(&tmp.path().join("draft.toml"), stubs);
}

#[test]
fn a_title_before_its_holder_names_the_position_and_a_dated_war_its_war() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "Talks\n\nPresident Donald Trump met Prime Minister Benjamin Netanyahu after the Oct. 7 war. President Aliyev and Minister Benjamin Netanyahu spoke on Oct. 9.\n";
    let draft = draft_of(tmp.path(), "a.txt", text, &[]);
    let got: BTreeSet<(String, String)> = mentions(&draft)
        .into_iter()
        .map(|(q, _, _, t)| (q, t))
        .collect();
    let has = |q: &str, t: &str| got.contains(&(q.to_string(), t.to_string()));
    assert!(has("Q11696", "President"), "{got:?}");
    assert!(has("Q22686", "Donald Trump"), "{got:?}");
    assert!(has("Q208487", "Prime Minister"), "{got:?}");
    assert!(has("Q43723", "Benjamin Netanyahu"), "{got:?}");
    assert!(has("Q122962941", "Oct. 7 war"), "{got:?}");
    // a title whose holder the catalog does not know, or a position the holder does not hold
    // by that title, names no position; a date alone names no event
    assert_eq!(
        got.iter().filter(|(q, _)| q == "Q11696").count(),
        1,
        "{got:?}"
    );
    assert!(
        !got.iter()
            .any(|(_, t)| t == "Minister" || t.contains("Oct. 9")),
        "{got:?}"
    );
    let stubs = draft["facts"].as_array().unwrap().len();
    checks_as_a_to_do_list(&tmp.path().join("draft.toml"), stubs);
}
