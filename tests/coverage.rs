//! `newskg coverage`: every claim-bearing sentence of the seed article is cited, and no part of
//! one is left uncited; an article with an uncited sentence, or an uncited clause of a cited one,
//! lists it with its place in its text.

mod common;

use common::newskg;

#[test]
fn the_seed_article_has_no_uncited_claim() {
    let out = newskg().args(["coverage", "--strict"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("claim-bearing sentences cited (100.0%), 0 uncited"),
        "{text}"
    );
    assert!(
        text.contains(
            "data/seed/article.txt:5:1: no claim (photo credit): Aziz Karimov/Getty Images"
        )
    );
    assert!(!text.contains(": uncited:"));
    assert!(
        text.contains("; 0 uncited part(s) of cited sentences"),
        "{text}"
    );
    assert!(!text.contains("uncited part of"));
}

#[test]
fn uncited_sentences_are_listed_with_their_place() {
    let out = newskg()
        .args([
            "coverage",
            "--strict",
            "-i",
            "tests/cases/golden/facts.toml",
        ])
        .output()
        .unwrap();
    // every sentence of the golden article is cited
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Baku hosted talks. Nobody cites this sentence.\nOr this one.\n",
    )
    .unwrap();
    let facts = dir.path().join("a.toml");
    std::fs::write(
        &facts,
        r#"[article]
id = "a"
text = "a.txt"

[[entities]]
id = "azerbaijan"
class = "State"
label = "Azerbaijan"

[[facts]]
id = "talks"
event = "Talks"
participants = [{ entity = "azerbaijan", role = "host" }]
quote = "Baku hosted talks"
modality = "asserted"
"#,
    )
    .unwrap();
    let out = newskg()
        .args(["coverage", "-i", facts.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "without --strict, coverage is a report"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let txt = dir.path().join("a.txt").display().to_string();
    assert!(
        text.contains("1 of 3 claim-bearing sentences cited (33.3%), 2 uncited"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{txt}:1:20: uncited: Nobody cites this sentence.")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{txt}:2:1: uncited: Or this one.")),
        "{text}"
    );
    newskg()
        .args(["coverage", "--strict", "-i", facts.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("2 uncited sentence(s)"));
}

#[test]
fn uncited_clauses_of_cited_sentences_are_listed_with_their_place() {
    // one sentence, three claims, one fact: the two clauses no quote covers are listed; a
    // clause of function words, the fact's time and its source as written are not
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Last week, officials said Baku hosted talks, Ankara recalled its ambassador and Tehran closed the border.
",
    )
    .unwrap();
    let facts = dir.path().join("a.toml");
    let toml = r#"[article]
id = "a"
text = "a.txt"

[[entities]]
id = "azerbaijan"
class = "State"
label = "Azerbaijan"

[[facts]]
id = "talks"
event = "Talks"
participants = [{ entity = "azerbaijan", role = "host" }]
quote = "Baku hosted talks"
modality = "reported"
attribution = "officials"
time = { text = "Last week" }
"#;
    std::fs::write(&facts, toml).unwrap();
    let out = newskg()
        .args(["coverage", "-i", facts.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let txt = dir.path().join("a.txt").display().to_string();
    assert!(
        text.contains("1 of 1 claim-bearing sentences cited (100.0%), 0 uncited, 0 marked as stating no claim; 1 uncited part(s)"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{txt}:1:46: uncited part of a cited sentence: Ankara recalled its ambassador and Tehran closed the border"
        )),
        "{text}"
    );
    assert!(
        !text.contains("said"),
        "the source's frame is covered: {text}"
    );
    newskg()
        .args(["coverage", "--strict", "-i", facts.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "1 uncited sentence(s) or part(s) of sentences",
        ));
    // a quote that covers the rest leaves nothing to do
    let more = format!(
        "{toml}
[[facts]]
id = \"rest\"
event = \"Talks\"
participants = [{{ entity = \"azerbaijan\", role = \"host\" }}]
quote = \"Ankara recalled its ambassador and Tehran closed the border\"
modality = \"asserted\"
"
    );
    std::fs::write(&facts, more).unwrap();
    newskg()
        .args(["coverage", "--strict", "-i", facts.to_str().unwrap()])
        .assert()
        .success();
}
