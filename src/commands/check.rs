//! `newskg check`: validate facts files and say what they hold.

use crate::commands::Inputs;
use crate::error::{Error, Result};
use std::io::Write;

fn count(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "entity") => format!("{n} entities"),
        _ => format!("{n} {noun}s"),
    }
}

/// Validates the inputs; on success writes one summary line per article.
pub fn run(inputs: &Inputs, out: &mut dyn Write) -> Result<()> {
    let graph = inputs.articles_graph()?;
    for (article, triples) in graph.articles_with_triples() {
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
        writeln!(
            out,
            "ok  {}: article `{}`, {}, {}{quotes}, {}",
            article.source,
            article.id,
            count(article.entities.len(), "entity"),
            count(article.facts.len(), "fact"),
            count(triples, "triple"),
        )
        .map_err(|e| Error::Io {
            path: "stdout".into(),
            source: e,
        })?;
    }
    Ok(())
}
