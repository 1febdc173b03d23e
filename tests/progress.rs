//! Commands that read a corpus show how far they are on a terminal (a pseudo-terminal from
//! util-linux's `script`), like `build` does, and say nothing of it when standard error is piped.

mod common;

use common::{corpus_of_minimal_copies, newskg};

#[test]
fn reading_a_corpus_shows_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    corpus_of_minimal_copies(dir.path(), 80);
    let corpus = dir.path().display().to_string();
    let binary = assert_cmd::cargo::cargo_bin("newskg");
    for command in ["check", "coverage", "export -f ntriples", "query articles"] {
        let line = format!("{} {command} -i {corpus} > /dev/null", binary.display());
        let tty = std::process::Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .output()
            .expect("util-linux's script runs");
        let shown = String::from_utf8_lossy(&tty.stdout);
        assert!(
            shown.contains("/80 articles read"),
            "{command}: no progress on a terminal: {shown}"
        );
        let piped = newskg()
            .args(command.split(' '))
            .args(["-i", &corpus])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&piped.stderr);
        assert!(
            !stderr.contains("articles read"),
            "{command}: progress when piped: {stderr}"
        );
    }
}
