//! `newskg check`: validate facts files and say what they hold.

use crate::commands::Inputs;
use crate::error::{Error, Result};
use crate::mapping;
use crate::ontology::Ontology;
use crate::validate::ValidArticle;
use std::io::Write;

fn count(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "entity") => format!("{n} entities"),
        _ => format!("{n} {noun}s"),
    }
}

/// Validates the inputs; on success writes one summary line per article. The articles are
/// checked and mapped a chunk of files at a time: no store is loaded, and memory holds a chunk
/// (and the summaries).
pub fn run(inputs: &Inputs, out: &mut dyn Write) -> Result<()> {
    let ontology = Ontology::embedded();
    let base = inputs.base()?;
    let mut lines = String::new();
    inputs.each_article(
        |article| {
            summary(
                article,
                mapping::article_quads(article, &base, ontology).len(),
            )
        },
        |line| {
            lines.push_str(&line);
            Ok(())
        },
    )?;
    out.write_all(lines.as_bytes()).map_err(|e| Error::Io {
        path: "stdout".into(),
        source: e,
    })
}

/// The line `check` writes for an article that gave `triples` triples.
fn summary(article: &ValidArticle, triples: usize) -> String {
    let located = article
        .facts
        .iter()
        .filter(|f| f.position.is_some())
        .count();
    let quotes = if article.text.is_some() {
        format!(", {} found in the text", count(located, "quote"))
    } else {
        String::from(", no article text to check quotes against")
    };
    format!(
        "ok  {}: article `{}`, {}, {}{quotes}, {}\n",
        article.source,
        article.id,
        count(article.entities.len(), "entity"),
        count(article.facts.len(), "fact"),
        count(triples, "triple"),
    )
}
