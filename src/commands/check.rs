//! `newskg check`: validate facts files and say what they hold.

use super::{Source, Status, count, warn_duplicates};
use crate::error::{Error, Result};
use crate::mapping;
use crate::model::ValidArticle;
use crate::ontology::Ontology;
use std::io::Write;

/// Validates the articles of `source`; on success writes one summary line per article. The
/// articles are checked and mapped a chunk of files at a time: no store is loaded, and memory
/// holds a chunk (and the summaries).
pub fn run(source: &Source, out: &mut dyn Write) -> Result<Status> {
    let ontology = Ontology::embedded();
    // (the number of triples does not depend on the base)
    let base = match source {
        Source::Embedded { base } | Source::Files { base, .. } => base.clone(),
        Source::Store { base, .. } => base.clone().unwrap_or_default(),
    };
    let mut lines = String::new();
    let pipeline = source.stream(
        |article| {
            let triples = mapping::article_quads(&article, &base, ontology).len();
            summary(&article, triples)
        },
        |line| {
            lines.push_str(&line);
            Ok(())
        },
    )?;
    out.write_all(lines.as_bytes()).map_err(Error::stdout)?;
    warn_duplicates(&pipeline.duplicates());
    Ok(Status::Success)
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
        count(article.mentions.len(), "entity"),
        count(article.facts.len(), "fact"),
        count(triples, "triple"),
    )
}
