//! `newskg coverage`: the sentences of each article that no fact cites.

use crate::commands::Inputs;
use crate::coverage::{Coverage, Status};
use crate::error::{Error, Result};
use std::io::Write;

/// Writes the coverage of every article; returns the number of uncited sentences.
pub fn run(inputs: &Inputs, all: bool, out: &mut dyn Write) -> Result<usize> {
    let io = |e| Error::Io {
        path: "stdout".into(),
        source: e,
    };
    let graph = inputs.articles_graph()?;
    let mut uncited = 0;
    for article in graph.articles() {
        let Some(coverage) = Coverage::of(article) else {
            writeln!(
                out,
                "{}: article `{}` has no text (`text` in [article]); its coverage is unknown",
                article.source, article.id
            )
            .map_err(io)?;
            continue;
        };
        let claim_bearing = coverage.cited() + coverage.uncited();
        writeln!(
            out,
            "{}: article `{}`: {} of {claim_bearing} claim-bearing sentences cited ({:.1}%), {} uncited, {} marked as stating no claim",
            article.source,
            article.id,
            coverage.cited(),
            coverage.share(),
            coverage.uncited(),
            coverage.no_claim(),
        )
        .map_err(io)?;
        let text_path = article.text_path.as_deref().unwrap_or("text");
        for (s, status) in &coverage.sentences {
            let label = match status {
                Status::Uncited => "uncited".to_string(),
                Status::NoClaim(reason) => format!("no claim ({reason})"),
                Status::Cited(ids) if all => format!("cited by {}", ids.join(", ")),
                Status::Cited(_) => continue,
            };
            writeln!(
                out,
                "{text_path}:{}:{}: {label}: {}",
                s.line, s.column, s.text
            )
            .map_err(io)?;
        }
        uncited += coverage.uncited();
    }
    Ok(uncited)
}
