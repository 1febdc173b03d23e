//! Bad input, end to end: each class of mistake in a facts file, a query or the command line,
//! run through the real binary. Every case checks the exit status (1), that nothing was written
//! to standard output, and that standard error names the place (`file:line:col:`), says what is
//! wrong and, where one is expected, suggests the fix.
//!
//! The fixtures in `tests/cases/bad/` are `base.toml` (valid; `base_fixture_is_valid` keeps it
//! so) with one or two lines changed; a position below is the one of the changed key or value.
//! The JSON fixtures are `tests/cases/good/minimal.json` with one change.
//!
//! A test runs all of its cases and then fails once, listing every expectation that was not met,
//! so that one wrong case does not hide the others.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fmt::Display;
use std::path::Path;

const BAD: &str = "tests/cases/bad";
use common::GOOD;

/// The valid fixture every bad facts file is derived from.
const BASE: &str = "tests/cases/bad/base.toml";

fn bad(name: &str) -> String {
    format!("{BAD}/{name}")
}

/// `newskg`, run in the crate root so that the relative paths given here are the ones echoed in
/// messages.
fn newskg() -> Command {
    let mut cmd = common::newskg();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// What one run of the binary did.
struct Run {
    args: Vec<String>,
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let output = newskg().args(args).output().expect("newskg runs");
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: output.status.code(),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every expectation of one test that was not met.
#[derive(Default)]
struct Expectations {
    failures: Vec<String>,
}

impl Expectations {
    fn check(&mut self, run: &Run, ok: bool, expected: impl Display) {
        if !ok {
            self.failures.push(format!(
                "$ newskg {}\n  expected: {expected}\n  exit code: {:?}\n  stdout: {} bytes\n  stderr:\n{}",
                shell_words(&run.args),
                run.code,
                run.stdout.len(),
                indent(&run.stderr),
            ));
        }
    }

    /// The run failed with exit code 1 and wrote nothing to standard output.
    fn failed(&mut self, run: &Run) {
        self.check(run, run.code == Some(1), "exit code 1");
        self.check(run, run.stdout.is_empty(), "nothing on standard output");
    }

    /// `args` fails reporting exactly `problems`, each `(line:col, words)` being a line
    /// `file:line:col: …` that contains every word, followed by the summary line.
    fn problems(&mut self, args: &[&str], file: &str, problems: &[(&str, &[&str])]) -> Run {
        let run = run(args);
        self.failed(&run);
        for (place, words) in problems {
            let prefix = format!("{file}:{place}: ");
            let starts = predicate::str::starts_with(prefix.as_str());
            let found = run
                .stderr
                .lines()
                .any(|l| starts.eval(l) && words.iter().all(|w| l.contains(w)));
            self.check(
                &run,
                found,
                format_args!("a line `{prefix}…` containing {words:?}"),
            );
        }
        let diagnostic = predicate::str::is_match(r"^.+:\d+:\d+: ").expect("a valid regex");
        // (warnings, which do not fail a check, are not problems)
        let n = run
            .stderr
            .lines()
            .filter(|l| diagnostic.eval(l) && !l.contains(": warning: "))
            .count();
        let summary = format!(
            "newskg: {} problem{} found; nothing was loaded",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        self.check(
            &run,
            n == problems.len() && run.stderr.lines().last() == Some(summary.as_str()),
            format_args!(
                "exactly {} `file:line:col:` line(s) (not {n}), then `{summary}`",
                problems.len()
            ),
        );
        run
    }

    /// `args` fails with an error (not a problem in a facts file) whose message contains every
    /// word.
    fn error(&mut self, args: &[&str], words: &[&str]) -> Run {
        let run = run(args);
        self.failed(&run);
        self.says(&run, words);
        run
    }

    /// `args` is a usage error: exit code 2, nothing on standard output, a message on standard
    /// error that contains every word.
    fn usage(&mut self, args: &[&str], words: &[&str]) -> Run {
        let run = run(args);
        self.check(&run, run.code == Some(2), "exit code 2");
        self.check(&run, run.stdout.is_empty(), "nothing on standard output");
        self.says(&run, words);
        run
    }

    fn says(&mut self, run: &Run, words: &[&str]) {
        for w in words {
            self.check(
                run,
                predicate::str::contains(*w).eval(&run.stderr),
                format_args!("stderr containing `{w}`"),
            );
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} expectation(s) not met:\n\n{}",
            self.failures.len(),
            self.failures.join("\n\n")
        );
    }
}

/// The arguments as a shell would need them, to copy and paste.
fn shell_words(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./:=".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Facts-file problems of `newskg check -i FILE`.
fn check_file(e: &mut Expectations, file: &str, problems: &[(&str, &[&str])]) {
    e.problems(&["check", "-i", file], file, problems);
}

// --- The premises: the base fixture and the good ones are valid ------------------------------

#[test]
fn base_fixture_is_valid() {
    newskg()
        .args(["check", "-i", BASE])
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::starts_with(format!(
            "ok  {BASE}: article `base`, 3 entities, 3 facts, 3 quotes found in the text"
        )));
}

#[test]
fn good_minimal_passes_check_in_toml_and_json() {
    for ext in ["toml", "json"] {
        let file = format!("{GOOD}/minimal.{ext}");
        newskg()
            .args(["check", "-i", &file])
            .assert()
            .success()
            .stderr("")
            .stdout(predicate::str::starts_with(format!(
                "ok  {file}: article `minimal`, 2 entities, 2 facts, 2 quotes found in the text"
            )));
    }
}

#[test]
fn good_minimal_is_the_same_graph_in_toml_and_json() {
    let export = |file: &str| {
        let out = newskg()
            .args(["export", "-i", file, "-f", "nquads", "--without-ontology"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).expect("N-Quads are UTF-8")
    };
    let toml = export(&format!("{GOOD}/minimal.toml"));
    let json = export(&format!("{GOOD}/minimal.json"));
    assert!(toml.lines().count() > 20, "{toml}");
    assert_eq!(toml, json, "the TOML and JSON fixtures differ as graphs");
}

// --- 1–2: syntax -----------------------------------------------------------------------------

#[test]
fn malformed_toml() {
    let mut e = Expectations::default();
    // line 9 is `label = "Israel` (no closing quote): the string ends with the line
    check_file(
        &mut e,
        &bad("malformed.toml"),
        &[("9:16", &["invalid TOML", "string", "expected `\"`"])],
    );
    // line 28 ends with a stray `,` after the quote, at character 61 (the quote has a `’`, so
    // counting bytes would say 63)
    check_file(
        &mut e,
        &bad("malformed_after_unicode.toml"),
        &[("28:61", &["invalid TOML", "unexpected key or value"])],
    );
    e.finish();
}

#[test]
fn malformed_json() {
    let mut e = Expectations::default();
    // line 4: `"class": "State" "label": …`, the `,` missing before `"label"` (column 40)
    check_file(
        &mut e,
        &bad("malformed.json"),
        &[("4:40", &["invalid JSON: expected `,` or `}`"])],
    );
    e.finish();
}

// --- 3–9: terms, ids, Wikidata ---------------------------------------------------------------

#[test]
fn unknown_class() {
    let mut e = Expectations::default();
    // Only the class is wrong: `israel`, still defined, must not also be reported where it is
    // used (e.g. as the object of `allyOf` on line 27).
    check_file(
        &mut e,
        &bad("unknown_class.toml"),
        &[("8:9", &["unknown class `Stat`; did you mean `State`?"])],
    );
    check_file(
        &mut e,
        &bad("unknown_class.json"),
        &[("4:32", &["unknown class `Stat`; did you mean `State`?"])],
    );
    e.finish();
}

#[test]
fn unknown_property() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("unknown_property.toml"),
        &[(
            "26:12",
            &["unknown property `alyOf`; did you mean `allyOf`?"],
        )],
    );
    e.finish();
}

#[test]
fn domain_range_violation() {
    let mut e = Expectations::default();
    // the gas field as the subject of `allyOf` (domain Actor)
    check_file(
        &mut e,
        &bad("domain_violation.toml"),
        &[(
            "25:11",
            &[
                "subject of `allyOf`",
                "rdfs:domain",
                "Actor",
                "`tamar` is a GasField",
            ],
        )],
    );
    // …and as its object (range Actor)
    check_file(
        &mut e,
        &bad("range_violation.toml"),
        &[(
            "27:10",
            &[
                "object of `allyOf`",
                "rdfs:range",
                "Actor",
                "`tamar` is a GasField",
            ],
        )],
    );
    e.finish();
}

#[test]
fn undefined_entity() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("undefined_entity.toml"),
        &[(
            "27:10",
            &["undefined entity `isreal`; did you mean `israel`?"],
        )],
    );
    e.finish();
}

#[test]
fn duplicate_entity_id() {
    let mut e = Expectations::default();
    // the third entity (line 19) reuses `israel`, first defined on line 7
    check_file(
        &mut e,
        &bad("duplicate_entity.toml"),
        &[(
            "19:6",
            &["duplicate entity id `israel` (first defined on line 7)"],
        )],
    );
    e.finish();
}

#[test]
fn duplicate_fact_id() {
    let mut e = Expectations::default();
    // the second fact (line 33) reuses `az-ally`, first defined on line 24
    check_file(
        &mut e,
        &bad("duplicate_fact.toml"),
        &[(
            "33:6",
            &["duplicate fact id `az-ally` (first defined on line 24)"],
        )],
    );
    e.finish();
}

#[test]
fn malformed_wikidata_id() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("wikidata_lowercase.toml"),
        &[("10:12", &["malformed Wikidata ID `q801`", "write `Q801`"])],
    );
    check_file(
        &mut e,
        &bad("wikidata_url.toml"),
        &[(
            "10:12",
            &[
                "malformed Wikidata ID `https://www.wikidata.org/wiki/Q801`",
                "write `Q801`",
            ],
        )],
    );
    e.finish();
}

// --- 10: the base IRI ------------------------------------------------------------------------

#[test]
fn invalid_base_iri() {
    let mut e = Expectations::default();
    e.usage(
        &["check", "-i", BASE, "--base", "not-an-iri"],
        &["invalid base IRI `not-an-iri`", "not an absolute IRI"],
    );
    e.usage(
        &["check", "-i", BASE, "--base", "https://example.org/x"],
        &[
            "invalid base IRI `https://example.org/x`",
            "must end with `/`",
            "try `https://example.org/x/`",
        ],
    );
    e.finish();
}

// --- usage errors: what the command line asks cannot be done as given (exit status 2) ----------

#[test]
fn usage_errors_exit_with_status_2() {
    let mut e = Expectations::default();
    let empty = tempfile::tempdir().unwrap();
    let empty_s = empty.path().display().to_string();
    e.usage(
        &["query", "offices", "-i", BASE, "--store", &empty_s],
        &["-i and --store go together only in `newskg build`"],
    );
    e.usage(
        &["link", "--write"],
        &["--write changes facts files: name them with -i"],
    );
    e.usage(
        &["link", "--online", "--endpoint", "ftp://example.org/sparql"],
        &["invalid endpoint URL `ftp://example.org/sparql`", "http://"],
    );
    e.usage(
        &[
            "query",
            "-f",
            "turtle",
            "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
        ],
        &[
            "a SELECT query gives solutions, not RDF",
            "use --format table, csv, tsv, json or xml",
        ],
    );
    e.usage(
        &["check", "-i", &empty_s],
        &["no facts files (*.toml, *.json) in"],
    );
    // clap's own
    e.usage(&["export", "-f", "n3"], &["invalid value 'n3'", "turtle"]);
    e.usage(&["query"], &["<QUERY>"]);
    e.finish();
}

// --- 11–12: evidence and dates ---------------------------------------------------------------

#[test]
fn quote_not_in_article() {
    let mut e = Expectations::default();
    // "best friend" instead of "closest ally": the text matches up to "Israel’s "
    check_file(
        &mut e,
        &bad("quote_not_in_text.toml"),
        &[(
            "28:9",
            &[
                "the quote is not in the article's text",
                "matches its first 23 characters",
            ],
        )],
    );
    // `Israel's` with a straight apostrophe where the text has `Israel’s`
    check_file(
        &mut e,
        &bad("quote_straight_apostrophe.toml"),
        &[(
            "28:9",
            &[
                "the quote is not in the article's text",
                "quotation marks",
                // computed from the text at that place, not a fixed "’ and —"
                "at offset 0 of the text the article has ’ (U+2019) where the quote has ' (U+0027)",
            ],
        )],
    );
    e.finish();
}

#[test]
fn invalid_date() {
    let mut e = Expectations::default();
    // time = { text = "x", value = "2023-13-45" }
    check_file(
        &mut e,
        &bad("invalid_time.toml"),
        &[(
            "38:30",
            &["invalid time value `2023-13-45`", "there is no month 13"],
        )],
    );
    // published = "2025-02-30": it is the publication date that is wrong, and a publication
    // date is a full date (YYYY-MM-DD) or a date-time, never a year or a year-month
    check_file(
        &mut e,
        &bad("invalid_published.toml"),
        &[(
            "4:13",
            &[
                "invalid publication date `2025-02-30`",
                "February 2025 has 28 days",
            ],
        )],
    );
    e.finish();
}

/// Near-synonyms of ontology terms are found by the terms' labels and comments; when nothing
/// is close, the known terms are listed; an alias used as an id finds its entity.
#[test]
fn suggestions_by_meaning_and_by_alias() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("near_synonyms.toml"),
        &[
            ("20:9", &["unknown class `Fruit`", "(known: ", "State"]),
            (
                "26:12",
                &["unknown property `alliedWith`; did you mean `allyOf` (“ally of”)?"],
            ),
            (
                "34:9",
                &[
                    "unknown event class `Normalization`; did you mean `Rapprochement` (“A détente or normalization of relations between actors.”)",
                ],
            ),
        ],
    );
    check_file(
        &mut e,
        &bad("alias_as_id.toml"),
        &[(
            "36:67",
            &[
                "undefined entity `baku`; did you mean `azerbaijan`, whose label or alias is \"Baku\"?",
            ],
        )],
    );
    e.finish();
}

/// A file that does not fit the format is read entry by entry: every shape problem is
/// reported, naming the fact and the key, and the other facts are still checked.
#[test]
fn every_problem_in_one_run() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("several_broken.toml"),
        &[
            (
                "10:1",
                &["entity `israel`: `wikidata` must be text in quotes, not a number (`801`)"],
            ),
            (
                "31:1",
                &["fact `az-ally`: unknown key `saidby`; did you mean `said_by`?"],
            ),
            (
                "33:1",
                &["fact `visit` has no `modality`, which every fact needs"],
            ),
            (
                "38:1",
                &[
                    "fact `visit`: `time` must be a table with `text` (and `value`), not text (`\"next month\"`)",
                ],
            ),
            // a fact that fits is checked in full
            ("42:11", &["`tamar` is a GasField"]),
        ],
    );
    e.finish();
}

/// What is legal but likely a mistake passes with a warning at its place, and fails with
/// `--deny-warnings`.
#[test]
fn warnings_and_deny_warnings() {
    let file = bad("warnings.toml");
    let warned: [(&str, &[&str]); 3] = [
        ("10:1", &["warning: `aliases` is an empty list"]),
        (
            "20:6",
            &[
                "warning: entity `tamar` is declared but unused: no fact, author or publisher names it",
            ],
        ),
        (
            "31:1",
            &[
                "warning: fact `az-ally` is asserted",
                "modality = \"reported\"",
            ],
        ),
    ];
    let passed = run(&["check", "-i", &file]);
    assert_eq!(passed.code, Some(0), "{}", passed.stderr);
    assert!(String::from_utf8_lossy(&passed.stdout).starts_with(&format!("ok  {file}: ")));
    assert_eq!(passed.stderr.lines().count(), 3, "{}", passed.stderr);
    for (place, words) in &warned {
        let prefix = format!("{file}:{place}: ");
        assert!(
            passed
                .stderr
                .lines()
                .any(|l| l.starts_with(&prefix) && words.iter().all(|w| l.contains(w))),
            "{prefix} {words:?} in\n{}",
            passed.stderr
        );
    }
    // denied: the same places, as problems
    let denied: Vec<(&str, Vec<&str>)> = warned
        .iter()
        .map(|(place, words)| {
            let words = words
                .iter()
                .map(|w| w.trim_start_matches("warning: "))
                .collect();
            (*place, words)
        })
        .collect();
    let denied: Vec<(&str, &[&str])> = denied.iter().map(|(p, w)| (*p, &w[..])).collect();
    let mut e = Expectations::default();
    let run = e.problems(&["check", "--deny-warnings", "-i", &file], &file, &denied);
    e.check(
        &run,
        run.stderr
            .contains("(a warning, denied by --deny-warnings)"),
        "says the warning was denied",
    );
    e.finish();
}

// --- 13–14: unreadable files -----------------------------------------------------------------

#[test]
fn non_utf8_file() {
    let mut e = Expectations::default();
    let dir = tempfile::tempdir().unwrap();

    // Latin-1 `é` (0xe9) on line 3, after a `’`: character 14 of the line
    let toml = dir.path().join("latin1.toml");
    std::fs::write(
        &toml,
        b"[article]\nid = \"x\"\ntitle = \"\xe2\x80\x99Caf\xe9 society\"\n",
    )
    .unwrap();
    let toml = toml.display().to_string();
    check_file(
        &mut e,
        &toml,
        &[("3:14", &["not valid UTF-8 (byte 0xe9)", "UTF-8"])],
    );

    let json = dir.path().join("latin1.json");
    std::fs::write(
        &json,
        b"{\"article\": {\"id\": \"x\",\n \"title\": \"Caf\xe9\"}}\n",
    )
    .unwrap();
    let json = json.display().to_string();
    check_file(&mut e, &json, &[("2:15", &["not valid UTF-8 (byte 0xe9)"])]);

    // The article text (line 2, column 2 of a.txt) named by `text` on line 3 of the facts file.
    let facts = dir.path().join("with-text.toml");
    std::fs::write(&facts, "[article]\nid = \"x\"\ntext = \"a.txt\"\n").unwrap();
    std::fs::write(dir.path().join("a.txt"), b"Hello\nW\xffrld\n").unwrap();
    let facts = facts.display().to_string();
    check_file(
        &mut e,
        &facts,
        &[("3:8", &["a.txt:2:2: not valid UTF-8 (byte 0xff)"])],
    );
    e.finish();
}

#[test]
fn empty_file() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("empty.toml"),
        &[("1:1", &["the file is empty"])],
    );
    check_file(
        &mut e,
        &bad("empty.json"),
        &[("1:1", &["the file is empty"])],
    );
    e.finish();
}

// --- 15–18: queries --------------------------------------------------------------------------

#[test]
fn sparql_syntax_error() {
    let mut e = Expectations::default();
    // Unterminated group: the error is at the end, column 27.
    e.error(
        &["query", "-i", BASE, "SELECT ?s WHERE { ?s ?p ?o"],
        &["<query>:1:27: SPARQL syntax error"],
    );
    // `LIMT` (column 30) is not a keyword.
    e.error(
        &["query", "-i", BASE, "SELECT ?s WHERE { ?s ?p ?o } LIMT 3"],
        &["<query>:1:30: SPARQL syntax error"],
    );
    // In a file: `FILTER(?s = )` on line 3, the `)` at column 32 where an expression is due.
    let file = bad("syntax_error.rq");
    e.error(
        &["query", "-i", BASE, &file],
        &[&format!("{file}:3:32: SPARQL syntax error")],
    );
    e.finish();
}

#[test]
fn update_refused() {
    let mut e = Expectations::default();
    e.error(
        &["query", "-i", BASE, "INSERT DATA { <a:b> <a:c> <a:d> }"],
        &["<query>: this is a SPARQL update", "read-only"],
    );
    e.finish();
}

#[test]
fn unknown_canned_query() {
    let mut e = Expectations::default();
    e.error(
        &["query", "entitys"],
        &[
            "unknown canned query `entitys` (did you mean `entities`?)",
            "`newskg queries` lists them",
        ],
    );
    e.finish();
}

#[test]
fn query_parameters() {
    let mut e = Expectations::default();
    let dir = tempfile::tempdir().unwrap();

    // Missing: declared without a default, not given.
    let needs = dir.path().join("needs.rq");
    std::fs::write(
        &needs,
        "# title: Allies of one entity\n# param: x (entity) The entity id.\nSELECT ?o WHERE { ?x nkg:allyOf ?o }\n",
    )
    .unwrap();
    let needs = needs.display().to_string();
    e.error(
        &["query", "-i", BASE, &needs],
        &[
            "--param x",
            &format!("{needs} needs this parameter"),
            "--param x=VALUE",
            "entity",
        ],
    );

    // Ill-typed: an entity id that is not in the graph. With a close id, that id is suggested…
    e.error(
        &["query", "ties-between", "--param", "a=isreal"],
        &[
            "--param a",
            "no entity `isreal` in the graph",
            "did you mean `israel`?",
        ],
    );
    // …and with none, the message still says how to find the ids.
    let r = e.error(
        &["query", "ties-between", "--param", "a=nonexistent-entity"],
        &["--param a", "no entity `nonexistent-entity` in the graph"],
    );
    let hint = predicate::str::contains("did you mean")
        .or(predicate::str::contains("newskg query entities"));
    e.check(
        &r,
        hint.eval(&r.stderr),
        "a suggestion: the closest id, or `newskg query entities` to list the ids",
    );

    // Ill-typed: not an integer.
    let int = dir.path().join("long-quotes.rq");
    std::fs::write(
        &int,
        "# title: Long quotes\n# param: n (integer) The minimum length.\nSELECT ?q WHERE { ?f nkg:quote ?q FILTER(STRLEN(?q) > ?n) }\n",
    )
    .unwrap();
    let int = int.display().to_string();
    e.error(
        &["query", "-i", BASE, &int, "--param", "n=abc"],
        &["--param n", "`abc` is not an integer"],
    );

    // Unknown name.
    e.error(
        &["query", "about-entity", "--param", "entitty=israel"],
        &[
            "--param entitty",
            "has no parameter `entitty`",
            "did you mean `entity`?",
        ],
    );
    e.finish();
}

// --- 19: no half-written output --------------------------------------------------------------

#[test]
fn export_of_invalid_input_writes_nothing() {
    let mut e = Expectations::default();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.ttl");
    let out_s = out.display().to_string();
    let input = bad("unknown_property.toml");
    let files_in = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };

    // To standard output: nothing.
    e.problems(
        &["export", "-i", &input],
        &input,
        &[("26:12", &["unknown property `alyOf`"])],
    );

    // To a file that does not exist: it is not created (nor any temporary file left behind).
    let r = e.problems(
        &["export", "-i", &input, "-o", &out_s],
        &input,
        &[("26:12", &["unknown property `alyOf`"])],
    );
    e.check(
        &r,
        files_in(dir.path()).is_empty(),
        format_args!("an empty directory, not {:?}", files_in(dir.path())),
    );
    let r = e.usage(
        &["export", "-i", BASE, "--base", "not-an-iri", "-o", &out_s],
        &["invalid base IRI"],
    );
    e.check(
        &r,
        files_in(dir.path()).is_empty(),
        format_args!("an empty directory, not {:?}", files_in(dir.path())),
    );

    // To a file that exists: it is left byte for byte as it was.
    let before = b"# an earlier export\n<a:b> <a:c> <a:d> .\n".to_vec();
    std::fs::write(&out, &before).unwrap();
    let r = e.problems(
        &["export", "-i", &input, "-o", &out_s],
        &input,
        &[("26:12", &["unknown property `alyOf`"])],
    );
    e.check(
        &r,
        std::fs::read(&out).unwrap() == before,
        "the existing output file unchanged",
    );
    e.check(
        &r,
        files_in(dir.path()) == ["graph.ttl"],
        format_args!("only graph.ttl, not {:?}", files_in(dir.path())),
    );
    e.finish();
}

// --- 20: facts: modality, source, roles, shape, qualifiers -----------------------------------

#[test]
fn invalid_fact() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("unknown_modality.toml"),
        &[(
            "37:12",
            &["unknown modality `planed`; did you mean `planned`?"],
        )],
    );
    // `modality = "reported"` (line 29) with neither said_by nor attribution
    check_file(
        &mut e,
        &bad("reported_without_source.toml"),
        &[(
            "29:12",
            &[
                "a reported fact needs its source",
                "`said_by`",
                "`attribution`",
            ],
        )],
    );
    // role = "hots" in the participants on line 35
    check_file(
        &mut e,
        &bad("unknown_role.toml"),
        &[("35:88", &["unknown role `hots`; did you mean `host`?"])],
    );
    // the `visit` event also has `object = "israel"` (line 38): that key is pointed at
    check_file(
        &mut e,
        &bad("mixed_relation_event.toml"),
        &[(
            "38:10",
            &[
                "fact `visit` mixes a relation",
                "with an event",
                "split it in two",
            ],
        )],
    );
    // qualifiers = { comodity = "gas" }: the key is what is unknown (column 16), not the value
    check_file(
        &mut e,
        &bad("unknown_qualifier.toml"),
        &[(
            "31:16",
            &["unknown qualifier `comodity`; did you mean `commodity`?"],
        )],
    );
    e.finish();
}

// --- Beyond the list: a key the format does not have -----------------------------------------

#[test]
fn unknown_key() {
    let mut e = Expectations::default();
    // `subjekt = …` on line 25
    check_file(
        &mut e,
        &bad("unknown_key.toml"),
        &[(
            "25:1",
            &["fact `az-ally`: unknown key `subjekt`; did you mean `subject`?"],
        )],
    );
    // `"subjekt": "x"` on line 8: the key starts at column 49
    check_file(
        &mut e,
        &bad("unknown_key.json"),
        &[(
            "8:49",
            &["fact `az-ally`: unknown key `subjekt`; did you mean `subject`?"],
        )],
    );
    e.finish();
}

// --- Across the files of a corpus: one article per id, one class per entity id ---------------

#[test]
fn a_clash_across_files_is_reported_whatever_the_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // more files than are read at a time, so that the clash below is in a later chunk
    common::corpus_of_minimal_copies(dir, 150);
    let dir_s = dir.display().to_string();

    // the premise: the copies check, one line each, in file order
    let ok = run(&["check", "-i", &dir_s]);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    assert_eq!(stdout.lines().count(), 150, "{stdout}");
    for (i, line) in stdout.lines().enumerate() {
        let file = dir.join(format!("a{i:03}.toml"));
        assert!(
            line.starts_with(&format!(
                "ok  {}: article `minimal-{i:03}`, 2 entities, 2 facts, 2 quotes found in the text, ",
                file.display()
            )),
            "{line}"
        );
    }

    // the last file reuses the first one's article id and makes `israel` an organization
    let last = dir.join("a150.toml");
    std::fs::write(&last, common::clashing_copy("minimal-000")).unwrap();
    let last_s = last.display().to_string();
    let first = dir.join("a000.toml").display().to_string();
    let mut e = Expectations::default();
    for command in [
        &["check", "-i", &dir_s][..],
        &["coverage", "-i", &dir_s],
        &["link", "-i", &dir_s],
        &["export", "-i", &dir_s],
        &["query", "offices", "-i", &dir_s],
    ] {
        e.problems(
            command,
            &last_s,
            &[
                (
                    "2:6",
                    &[&format!(
                        "article id `minimal-000` is already used by {first}"
                    )],
                ),
                (
                    "7:1",
                    &["entity `israel` has no Wikidata ID here but `Q801` at"],
                ),
                (
                    "9:9",
                    &[
                        "entity `israel` has class Organization here but State in",
                        "an entity id names one entity, of one class, across articles",
                    ],
                ),
            ],
        );
    }
    e.finish();
}

// --- A corpus's entities: the registry, and declarations that must agree across files -------

/// The corpus of `examples/corpus` (a registry and two articles) in a temporary directory,
/// with `edit` applied to each file's text (by name).
fn corpus_copy(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for file in [
        "registry.toml",
        "one.toml",
        "one.txt",
        "two.toml",
        "two.txt",
    ] {
        let text = std::fs::read_to_string(format!("examples/corpus/{file}")).unwrap();
        std::fs::write(tmp.path().join(file), edit(file, text)).unwrap();
    }
    tmp
}

#[test]
fn the_corpus_fixture_is_valid_and_uses_its_registry() {
    let tmp = corpus_copy(|_, t| t);
    let run = run(&["check", "-i", &tmp.path().display().to_string()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.is_empty(), "no warning: {}", run.stderr);
}

#[test]
fn registry_and_corpus_problems() {
    let mut e = Expectations::default();
    // an article uses an id that nothing declares: the closest, from the registry, suggested
    let tmp = corpus_copy(|f, t| {
        if f == "one.toml" {
            t.replacen("object = \"israel\"", "object = \"isreal\"", 1)
        } else {
            t
        }
    });
    let dir = tmp.path().display().to_string();
    let one = format!("{dir}/one.toml");
    e.problems(
        &["check", "-i", &dir],
        &one,
        &[(
            "13:10",
            &[
                "undefined entity `isreal`; did you mean `israel`?",
                "or in the registry",
            ],
        )],
    );

    // a registry that describes one id twice
    let tmp = corpus_copy(|f, t| {
        if f == "registry.toml" {
            format!("{t}\n[[entities]]\nid = \"egypt\"\nclass = \"State\"\nlabel = \"Egypt\"\n")
        } else {
            t
        }
    });
    let dir = tmp.path().display().to_string();
    let registry = format!("{dir}/registry.toml");
    e.problems(
        &["check", "-i", &dir],
        &registry,
        &[(
            "30:6",
            &["duplicate entity id `egypt` (first defined on line 19)"],
        )],
    );

    // a file that declares a registry entity otherwise: both places named
    let tmp = corpus_copy(|f, t| {
        if f == "two.toml" {
            t.replacen(
                "label = \"Azerbaijan\"",
                "label = \"Republic of Azerbaijan\"",
                1,
            )
        } else {
            t
        }
    });
    let dir = tmp.path().display().to_string();
    e.problems(
        &["check", "-i", &dir],
        &format!("{dir}/two.toml"),
        &[(
            "13:9",
            &[&format!(
                "entity `azerbaijan` has the label “Republic of Azerbaijan” here but “Azerbaijan” at {dir}/registry.toml:15:9"
            )],
        )],
    );

    // a merged id declared, and merges that go round or nowhere
    let tmp = corpus_copy(|f, t| match f {
        "registry.toml" => format!(
            "{t}\n[[merges]]\nid = \"a\"\ninto = \"b\"\n\n[[merges]]\nid = \"b\"\ninto = \"a\"\n\n[[merges]]\nid = \"c\"\ninto = \"nowhere\"\n"
        ),
        "two.toml" => t.replacen("id = \"tamar\"", "id = \"state-of-israel\"", 1),
        _ => t,
    });
    let dir = tmp.path().display().to_string();
    let registry = format!("{dir}/registry.toml");
    e.problems(
        &["check", "-i", &dir],
        &registry,
        &[
            ("30:6", &["a cycle of merges: a → b → a"]),
            ("34:6", &["a cycle of merges: b → a → b"]),
            (
                "38:6",
                &["`c` is merged into `nowhere`, which the registry does not describe"],
            ),
        ],
    );
    e.finish();
}

#[test]
fn declarations_that_disagree_across_files_name_both_places() {
    // no registry: two files declare `egypt`, with two Wikidata IDs
    let tmp = corpus_copy(|f, t| {
        match f {
        "registry.toml" => String::from("# empty\n"),
        "one.toml" => t.replacen(
            "[[facts]]",
            "[[entities]]\nid = \"israel\"\nclass = \"State\"\nlabel = \"Israel\"\nwikidata = \"Q801\"\n\n[[entities]]\nid = \"azerbaijan\"\nclass = \"State\"\nlabel = \"Azerbaijan\"\nwikidata = \"Q227\"\n\n[[entities]]\nid = \"egypt\"\nclass = \"State\"\nlabel = \"Egypt\"\nwikidata = \"Q79\"\n\n[[facts]]",
            1,
        ),
        "two.toml" => t
            .replacen(
                "[[facts]]",
                "[[entities]]\nid = \"israel\"\nclass = \"State\"\nlabel = \"Israel\"\nwikidata = \"Q801\"\n\n[[entities]]\nid = \"egypt\"\nclass = \"State\"\nlabel = \"Egypt\"\nwikidata = \"Q80\"\n\n[[facts]]",
                1,
            )
            .replacen("subject = \"state-of-israel\"", "subject = \"israel\"", 1),
        _ => t,
    }
    });
    let dir = tmp.path().display().to_string();
    let mut e = Expectations::default();
    let run = e.problems(
        &["check", "-i", &dir],
        &format!("{dir}/two.toml"),
        &[(
            "32:12",
            &[&format!(
                "entity `egypt` has the Wikidata ID `Q80` here but `Q79` at {dir}/one.toml:25:12"
            )],
        )],
    );
    e.finish();
    assert!(run.stderr.contains("described the same way in every file"));
}

/// A person named by the surname alone, beside the corpus's one person of that surname named
/// in full: a probable duplicate; two people of one surname make none.
#[test]
fn a_surname_alone_is_a_probable_duplicate_of_the_one_person_so_named() {
    let person = |id: &str, label: &str| {
        format!("\n[[entities]]\nid = \"{id}\"\nclass = \"Person\"\nlabel = \"{label}\"\n")
    };
    let tmp = corpus_copy(|f, t| match f {
        "registry.toml" => format!(
            "{t}{}",
            person("recep-tayyip-erdogan", "Recep Tayyip Erdoğan")
        ),
        "two.toml" => t.replacen(
            "[[facts]]",
            &format!("{}\n[[facts]]", person("erdogan", "Erdogan")),
            1,
        ),
        _ => t,
    });
    let dir = tmp.path().display().to_string();
    let checked = run(&["check", "-i", &dir]);
    assert_eq!(checked.code, Some(0), "{}", checked.stderr);
    assert!(
        checked.stderr.contains(
            "“Erdogan” is the surname of “Recep Tayyip Erdoğan”, the only person of that surname"
        ),
        "{}",
        checked.stderr
    );
    // `link` proposes the merge into the registry's person
    let linked = run(&["link", "-i", &dir]);
    assert_eq!(linked.code, Some(0), "{}", linked.stderr);
    assert!(
        String::from_utf8_lossy(&linked.stdout)
            .contains("[[merges]]\nid = \"erdogan\"\ninto = \"recep-tayyip-erdogan\"\n"),
        "{}",
        String::from_utf8_lossy(&linked.stdout)
    );
    // a second Erdoğan in full: the surname names neither
    let tmp = corpus_copy(|f, t| match f {
        "registry.toml" => format!(
            "{t}{}{}",
            person("recep-tayyip-erdogan", "Recep Tayyip Erdoğan"),
            person("emine-erdogan", "Emine Erdoğan")
        ),
        "two.toml" => t.replacen(
            "[[facts]]",
            &format!("{}\n[[facts]]", person("erdogan", "Erdogan")),
            1,
        ),
        _ => t,
    });
    let checked = run(&["check", "-i", &tmp.path().display().to_string()]);
    assert_eq!(checked.code, Some(0), "{}", checked.stderr);
    assert!(!checked.stderr.contains("surname"), "{}", checked.stderr);
}

#[test]
fn probable_duplicates_are_a_warning_with_both_places() {
    // `erdogan` and `recep-tayyip-erdogan`: one Wikidata ID, labels that fold to one
    let tmp = corpus_copy(|f, t| {
        match f {
        "registry.toml" => format!(
            "{t}\n[[entities]]\nid = \"recep-tayyip-erdogan\"\nclass = \"Person\"\nlabel = \"Recep Tayyip Erdoğan\"\nwikidata = \"Q39723\"\n"
        ),
        "two.toml" => t.replacen(
            "[[facts]]",
            "[[entities]]\nid = \"erdogan\"\nclass = \"Person\"\nlabel = \"Recep Tayyip Erdogan\"\nwikidata = \"Q39723\"\n\n[[facts]]",
            1,
        ),
        _ => t,
    }
    });
    let dir = tmp.path().display().to_string();
    let checked = run(&["check", "-i", &dir]);
    assert_eq!(
        checked.code,
        Some(0),
        "a warning, not an error: {}",
        checked.stderr
    );
    assert_eq!(
        checked
            .stdout
            .split(|b| *b == b'\n')
            .filter(|l| l.starts_with(b"ok  "))
            .count(),
        2
    );
    let stderr = &checked.stderr;
    assert!(
        stderr.contains("newskg: warning: 1 group of ids that may be one entity"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("`erdogan` ({dir}/two.toml:23:6, 1 file)")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "`recep-tayyip-erdogan` ({dir}/registry.toml:30:6, the registry)"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("the same Wikidata ID, Q39723"), "{stderr}");
    // `link` proposes the merge, into the registry's id
    let link = run(&["link", "-i", &dir]);
    assert_eq!(link.code, Some(0), "{}", link.stderr);
    let stdout = String::from_utf8_lossy(&link.stdout);
    assert!(
        stdout.contains("[[merges]]\nid = \"erdogan\"\ninto = \"recep-tayyip-erdogan\"\n"),
        "{stdout}"
    );
    // and once merged, the corpus checks with no warning, the merged id naming the kept one
    let registry = tmp.path().join("registry.toml");
    let mut text = std::fs::read_to_string(&registry).unwrap();
    text.push_str("\n[[merges]]\nid = \"erdogan\"\ninto = \"recep-tayyip-erdogan\"\n");
    std::fs::write(&registry, text).unwrap();
    let two = tmp.path().join("two.toml");
    let text = std::fs::read_to_string(&two).unwrap();
    let declaration = "[[entities]]\nid = \"erdogan\"\nclass = \"Person\"\nlabel = \"Recep Tayyip Erdogan\"\nwikidata = \"Q39723\"\n\n";
    assert!(text.contains(declaration));
    std::fs::write(&two, text.replace(declaration, "")).unwrap();
    let merged = run(&["check", "-i", &dir]);
    assert_eq!(merged.code, Some(0), "{}", merged.stderr);
    assert!(merged.stderr.is_empty(), "{}", merged.stderr);
}

// --- Accepted silently before: each now a problem at its place --------------------------------

#[test]
fn an_empty_attribution() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("empty_attribution.toml"),
        &[("30:15", &["`attribution` is empty"])],
    );
    e.finish();
}

#[test]
fn a_stands_for_cycle() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("stands_for_cycle.toml"),
        &[
            (
                "22:14",
                &["goes round in a circle (baku → jerusalem → baku)"],
            ),
            (
                "28:14",
                &["goes round in a circle (jerusalem → baku → jerusalem)"],
            ),
        ],
    );
    e.finish();
}

#[test]
fn an_empty_alias() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("empty_alias.toml"),
        &[("10:32", &["an alias is empty"])],
    );
    e.finish();
}

#[test]
fn a_state_as_an_author() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("state_author.toml"),
        &[(
            "5:12",
            &["`israel` is a State, not a person or an organization"],
        )],
    );
    e.finish();
}

#[test]
fn a_no_claims_passage_a_fact_quotes() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("no_claims_cited.toml"),
        &[(
            "41:9",
            &["marked as stating no claim, but fact `visit` quotes it"],
        )],
    );
    e.finish();
}

#[test]
fn an_id_with_a_letter_from_another_script() {
    let mut e = Expectations::default();
    check_file(
        &mut e,
        &bad("lookalike_id.toml"),
        &[(
            "27:10",
            &["did you mean `israel`? (character 1 is U+0456, not `i`)"],
        )],
    );
    e.finish();
}

#[test]
fn json_columns_count_characters_and_a_bom_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("col.json");
    std::fs::write(&file, "{\"article\": {\"id\": \"é€x\", \"language\": 5}}").unwrap();
    let o = newskg().args(["check", "-i"]).arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    // the key `language`: character 27, byte 31
    assert!(stderr.contains("col.json:1:27: "), "{stderr}");
    // a byte order mark before JSON, and before a query
    std::fs::copy(
        format!("{GOOD}/article.txt"),
        dir.path().join("article.txt"),
    )
    .unwrap();
    let json = std::fs::read(format!("{GOOD}/minimal.json")).unwrap();
    let bom = dir.path().join("bom.json");
    std::fs::write(&bom, [b"\xef\xbb\xbf".as_slice(), &json].concat()).unwrap();
    newskg().args(["check", "-i"]).arg(&bom).assert().success();
    let rq = dir.path().join("q.rq");
    std::fs::write(&rq, "\u{feff}ASK { ?s ?p ?o }").unwrap();
    newskg().arg("query").arg(&rq).assert().success();
}

#[test]
fn the_same_file_twice_is_read_once() {
    let r = run(&["check", "-i", BASE, "-i", "tests/cases/bad/./base.toml"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        String::from_utf8_lossy(&r.stdout).matches("ok  ").count(),
        1
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["query", "-i", BASE, "--store", "s", "offices"][..],
        &["link", "--write"],
        &["export", "-i", BASE, "-o", BASE],
    ] {
        let r = run(args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
    }
}
