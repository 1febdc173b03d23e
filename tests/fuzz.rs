//! Fuzzing that stays: five targets, each a mutation fuzzer over real inputs, run for a bounded
//! time on the stable toolchain (no cargo-fuzz needed). Every input must give an answer or a
//! clear error: a panic fails the test, and the input that caused it is written to
//! `target/fuzz-failures/` to become a regression case in `tests/cases/fuzz/`.
//!
//! - `facts_reader`: the seed's facts file (TOML and JSON) mutated, read, checked and mapped.
//! - `sparql_front_end`: the canned queries mutated, with mutated parameters, resolved, bound,
//!   rewritten and run on the embedded default (with a time limit), and written as standalone
//!   SPARQL.
//! - `turtle_writer`: random quads with hostile literals and IRIs written as Turtle and TriG,
//!   read back by an independent parser (sophia's), and compared as graphs.
//! - `draft_of_text`: the seed's article text mutated, drafted (`newskg draft`), and the draft
//!   checked against that text: it must be a facts file whose only problems are its to-dos.
//! - regression: every file of `tests/cases/fuzz/` read and checked.
//!
//! `cargo test --test fuzz` runs each target for NEWSKG_FUZZ_SECONDS seconds (default 3); CI
//! runs 60 s per target (`.ci/run`, step 5b); a longer run is the same with a larger number
//! (`--release` for more cases), and NEWSKG_FUZZ_SEED to start from another seed.

use newskg::commands::pipeline;
use newskg::export::{self, RdfOutput};
use newskg::input::{Format, SourceFile};
use newskg::query::{self, QueryOptions, library, limits};
use newskg::store::KnowledgeGraph;
use newskg::{Base, mapping};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

const SEED_FACTS: &str = include_str!("../data/seed/facts.toml");
const SEED_TEXT: &str = include_str!("../data/seed/article.txt");

/// xorshift64*: deterministic from its seed, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Tokens that mean something to the formats and the checks, spliced in by the mutator.
const DICTIONARY: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    ":",
    "\n",
    "\\",
    "\\u0000",
    "\\u001b",
    "\u{0}",
    "\u{1b}[2J",
    "\u{feff}",
    "\u{202e}",
    "é",
    "日本",
    "\u{10FFFF}",
    "modality = ",
    "\"asserted\"",
    "\"reported\"",
    "\"hedged\"",
    "\"conditional\"",
    "\"denied\"",
    "said_by",
    "according_to",
    "citing",
    "quote = ",
    "start = ",
    "end = ",
    "time = ",
    "\"2023-02-30\"",
    "\"9999-99-99\"",
    "-1",
    "18446744073709551616",
    "1e999",
    "nan",
    "true",
    "[]",
    "{}",
    "id = ",
    "\"\"",
    "\"../../etc/passwd\"",
    "\"/dev/zero\"",
    "links",
    "becauseOf",
    "partOf",
    "subject = ",
    "object = ",
    "property = ",
    "class = ",
    "participants",
    "wikidata = ",
    "\"Q0\"",
    "\"Q99999999999999999999\"",
    "stands_for",
    "aliases",
    "until",
    "since",
    "ended",
    "\"x\"",
    "#",
    "\r\n",
    "\t",
    "null",
    "0",
    "99999999999",
];

/// One mutation of `text`: bytes flipped, inserted, deleted or duplicated, or a dictionary
/// token spliced in; the result is kept valid UTF-8 (the reader's first check is tested
/// elsewhere).
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => {
                let token = rng.pick(DICTIONARY).as_bytes().to_vec();
                bytes.splice(at..at, token);
            }
            2 if !bytes.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            3 if !bytes.is_empty() => {
                let end = (at + 1 + rng.below(256)).min(bytes.len());
                let copy = bytes[at.min(end)..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            4 => {
                let token = rng.pick(DICTIONARY);
                let line_start = bytes[..at.min(bytes.len())]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                bytes.splice(line_start..line_start, format!("{token}\n").into_bytes());
            }
            _ => {
                let n = rng.below(8);
                bytes.splice(at..at, (0..n).map(|_| rng.next() as u8));
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn seconds() -> Duration {
    let s = std::env::var("NEWSKG_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(3.0);
    Duration::from_secs_f64(s)
}

fn seed() -> u64 {
    std::env::var("NEWSKG_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6e65_7773_6b67)
}

/// Runs `case` on inputs from `make` until the time is up; a panic writes its input to
/// `target/fuzz-failures/TARGET-N` and fails. Returns the number of cases run.
fn fuzz(target: &str, mut make: impl FnMut(&mut Rng) -> String, case: impl Fn(&str)) -> usize {
    // one target at a time: the panic hook is the process's
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let mut rng = Rng::new(seed() ^ target.len() as u64);
    let until = Instant::now() + seconds();
    let mut n = 0;
    // quiet: the panics are reported below, with their input
    type Hook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send>;
    struct Restore(Option<Hook>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(hook) = self.0.take() {
                std::panic::set_hook(hook);
            }
        }
    }
    let restore = Restore(Some(std::panic::take_hook()));
    std::panic::set_hook(Box::new(|_| {}));
    let mut failure = None;
    while Instant::now() < until || n < 20 {
        let input = make(&mut rng);
        if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| case(&input))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failure = Some((input, message));
            break;
        }
        n += 1;
    }
    drop(restore);
    if let Some((input, message)) = failure {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{target}-{n}"));
        std::fs::write(&path, &input).unwrap();
        panic!(
            "{target}: case {n} panicked ({message}); its input is in {}",
            path.display()
        );
    }
    eprintln!("{target}: {n} cases in {:?}", seconds());
    n
}

/// Reads, checks and maps one facts file whose article text is the seed's.
fn check_and_map(text: &str, format: Format) {
    let name = match format {
        Format::Toml => "fuzz/facts.toml",
        Format::Json => "fuzz/facts.json",
    };
    let source = SourceFile::embedded(name, text, format, "article.txt", SEED_TEXT);
    let pipeline = pipeline();
    if let Ok(article) = pipeline.check(source) {
        let quads = mapping::article_quads(&article, &Base::default(), pipeline.ontology);
        assert!(!quads.is_empty());
        let mut out = Vec::new();
        export::write(&quads, RdfOutput::Turtle, None, &mut out).expect("a valid article exports");
    }
}

fn seed_json() -> String {
    let value: toml::Value = toml::from_str(SEED_FACTS).unwrap();
    serde_json::to_string_pretty(&value).unwrap()
}

#[test]
fn facts_reader() {
    let json = seed_json();
    let n = fuzz(
        "facts-toml",
        |rng| mutate(rng, SEED_FACTS),
        |t| check_and_map(t, Format::Toml),
    );
    let m = fuzz(
        "facts-json",
        |rng| mutate(rng, &json),
        |t| check_and_map(t, Format::Json),
    );
    assert!(n + m >= 40);
}

/// Drafts `text` and checks the draft against it: a facts file whose only problems are the
/// stubs' to-dos (its entities, ids, mentions and passages all hold).
fn draft_and_check(text: &str) {
    if text.contains('\0') || text.trim().is_empty() {
        return; // refused by `newskg draft` before any drafting
    }
    let (catalog, ontology) = (
        newskg::catalog::Catalog::embedded(),
        newskg::ontology::Ontology::embedded(),
    );
    let names = newskg::draft::names::Names::new(ontology);
    let d = newskg::draft::draft(text, "fuzz.txt", "fuzz", "article.txt", names, catalog);
    let toml = newskg::draft::to_toml(&d);
    let article: &'static str = Box::leak(text.to_string().into_boxed_str());
    let source = SourceFile::embedded(
        "fuzz/draft.toml",
        &toml,
        Format::Toml,
        "article.txt",
        article,
    );
    if let Err(problems) = pipeline().check(source) {
        for p in &problems {
            assert!(p.message.starts_with("to do: "), "{p}\n--- draft:\n{toml}");
        }
    }
}

#[test]
fn draft_of_text() {
    let n = fuzz("draft", |rng| mutate(rng, SEED_TEXT), draft_and_check);
    assert!(n >= 20);
}

#[test]
fn sparql_front_end() {
    let kg = KnowledgeGraph::embedded().unwrap();
    let canned = library::canned();
    let values = [
        "israel",
        "state-00001",
        "",
        "<http://x>",
        "\"",
        "hedged",
        "hostileTo",
        "a000/f001",
        "x y",
        "\u{0}",
        "😀",
        "MilitaryStrike",
        "-1",
        "ent:israel",
        "?x",
        "} UNION {",
    ];
    fuzz(
        "sparql",
        |rng| {
            let doc = rng.pick(&canned);
            let mut out = format!("{}\u{1}", doc.name);
            let text = if rng.below(3) == 0 {
                doc.text.clone()
            } else {
                mutate(rng, &doc.text)
            };
            out.push_str(&text);
            for p in &doc.params {
                if rng.below(2) == 0 {
                    let value = if rng.below(2) == 0 {
                        rng.pick(&values).to_string()
                    } else {
                        let base = *rng.pick(&values);
                        mutate(rng, base)
                    };
                    out.push_str(&format!("\u{1}{}={value}", p.name));
                }
            }
            out
        },
        |input| {
            let mut parts = input.split('\u{1}');
            let name = parts.next().unwrap_or_default();
            let text = parts.next().unwrap_or_default();
            let params: Vec<(String, String)> = parts
                .filter_map(|p| p.split_once('='))
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            let Ok(doc) = query::QueryDoc::parse(name, &format!("queries/{name}.rq"), text) else {
                return;
            };
            let options = QueryOptions {
                budget: limits::Budget {
                    timeout: Some(Duration::from_secs(2)),
                    max_memory: None,
                },
                ..QueryOptions::default()
            };
            let _ = query::run(&kg, pipeline().ontology, &doc, &params, options);
            let bindings: Vec<(String, oxigraph::model::Term)> = Vec::new();
            let _ =
                query::standalone::standalone(&doc.text, &query::prefixes(kg.base()), &bindings);
        },
    );
}

/// A random string of the kinds that break writers: quotes, backslashes, control characters,
/// line breaks, surrogate-range neighbours, non-characters, long runs.
fn hostile_string(rng: &mut Rng) -> String {
    const PARTS: &[&str] = &[
        "\"",
        "'",
        "\"\"\"",
        "'''",
        "\\",
        "\n",
        "\r",
        "\t",
        "\u{0}",
        "\u{7}",
        "\u{1b}",
        "\u{7f}",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "\u{fffd}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{10ffff}",
        "é",
        "日本",
        "#",
        "<",
        ">",
        "{",
        "}",
        "@",
        ".",
        ";",
        ",",
        " ",
        "a",
        "b",
        "x y",
        "%20",
        "^^",
        "_:b",
        "\u{d7ff}",
        "\u{e000}",
    ];
    (0..rng.below(12)).map(|_| *rng.pick(PARTS)).collect()
}

/// An IRI that is valid but unusual: characters a writer must escape or keep as they are.
fn hostile_iri(rng: &mut Rng) -> NamedNode {
    const PARTS: &[&str] = &[
        "a", "b", "é", "日本", "%41", "~", "-", "_", ".", "!", "$", "&", "(", ")", "*", "+", ",",
        ";", "=", ":", "@", "/", "?", "#", "'",
    ];
    let tail: String = (0..rng.below(8)).map(|_| *rng.pick(PARTS)).collect();
    let base = rng.pick(&[
        "https://w3id.org/newskg/data/entity/",
        "https://w3id.org/newskg/ontology#",
        "http://www.wikidata.org/entity/",
        "http://example.org/",
    ]);
    NamedNode::new(format!("{base}{tail}"))
        .unwrap_or_else(|_| NamedNode::new_unchecked(format!("{base}x")))
}

#[test]
fn turtle_writer() {
    use sophia_api::source::TripleSource;
    use sophia_api::term::SimpleTerm;
    fuzz(
        "turtle",
        |rng| {
            // quads as N-Quads lines: the input is then a file that can be kept
            let mut lines = String::new();
            for _ in 0..1 + rng.below(6) {
                let s = hostile_iri(rng);
                let p = hostile_iri(rng);
                let o: oxigraph::model::Term = match rng.below(4) {
                    0 => hostile_iri(rng).into(),
                    1 => Literal::new_simple_literal(hostile_string(rng)).into(),
                    2 => Literal::new_language_tagged_literal(
                        hostile_string(rng),
                        *rng.pick(&["en", "he", "az-Latn", "zh-Hant-TW"]),
                    )
                    .unwrap()
                    .into(),
                    _ => Literal::new_typed_literal(hostile_string(rng), hostile_iri(rng)).into(),
                };
                lines.push_str(&format!(
                    "{} .\n",
                    Quad::new(s, p, o, GraphName::DefaultGraph)
                ));
            }
            lines
        },
        |nquads| {
            let quads: Vec<Quad> = oxttl::NQuadsParser::new()
                .for_reader(nquads.as_bytes())
                .collect::<Result<_, _>>()
                .expect("the generator writes valid N-Quads");
            let mut turtle = Vec::new();
            export::write(&quads, RdfOutput::Turtle, None, &mut turtle).expect("export");
            let text = String::from_utf8(turtle).expect("UTF-8");
            let mut ours: Vec<[SimpleTerm<'static>; 3]> = Vec::new();
            sophia_turtle::parser::turtle::parse_str(&text)
                .for_each_triple(|t| {
                    use sophia_api::triple::Triple;
                    ours.push(t.to_spo().map(sophia_api::term::Term::into_term));
                })
                .unwrap_or_else(|e| panic!("sophia cannot read our Turtle: {e}\n{text}"));
            let mut expected: Vec<[SimpleTerm<'static>; 3]> = Vec::new();
            sophia_turtle::parser::nt::parse_str(nquads)
                .for_each_triple(|t| {
                    use sophia_api::triple::Triple;
                    expected.push(t.to_spo().map(sophia_api::term::Term::into_term));
                })
                .unwrap_or_else(|e| panic!("sophia cannot read the N-Triples: {e}"));
            ours.sort_by_key(|t| format!("{t:?}"));
            ours.dedup();
            expected.sort_by_key(|t| format!("{t:?}"));
            expected.dedup();
            assert_eq!(ours, expected, "the Turtle is another graph:\n{text}");
        },
    );
}

#[test]
fn regression_cases_give_answers_not_panics() {
    let dir = std::path::Path::new("tests/cases/fuzz");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => check_and_map(&text, Format::Toml),
            Some("json") => check_and_map(&text, Format::Json),
            _ => {}
        }
    }
}
