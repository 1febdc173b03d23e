//! `newskg check`: validate facts files and say what they hold.

use crate::commands::Inputs;
use crate::error::{Error, Result};
use crate::mapping;
use std::io::Write;

/// Validates the inputs; on success writes one summary line per article.
pub fn run(inputs: &Inputs, out: &mut dyn Write) -> Result<()> {
    let graph = inputs.graph()?;
    for article in graph.articles() {
        let triples = mapping::article_quads(article, graph.base()).len();
        let located = article
            .facts
            .iter()
            .filter(|f| f.position.is_some())
            .count();
        let quotes = if article.text.is_some() {
            format!(", {located} quotes found in the text")
        } else {
            String::from(", no article text to check quotes against")
        };
        writeln!(
            out,
            "ok  {}: article `{}`, {} entities, {} facts{quotes}, {triples} triples",
            article.source,
            article.id,
            article.entities.len(),
            article.facts.len(),
        )
        .map_err(|e| Error::Io {
            path: "stdout".into(),
            source: e,
        })?;
    }
    Ok(())
}
