//! `newskg coverage`: the sentences of each article that no fact cites.

use super::{Source, Status};
use crate::coverage::{Coverage, Status as Cited};
use crate::error::{Error, Result};
use crate::model::ValidArticle;
use std::io::Write;

#[derive(Debug, Clone)]
pub struct Options {
    pub source: Source,
    /// Also list the cited sentences.
    pub all: bool,
    /// Fail when a sentence is uncited.
    pub strict: bool,
}

/// Writes the coverage of every article. The articles are read a chunk of files at a time (no
/// store is loaded); the report is written once every file has checked.
pub fn run(options: &Options, out: &mut dyn Write) -> Result<Status> {
    let mut report = String::new();
    let mut uncited = 0;
    options.source.each_article(
        |article| of(&article, options.all),
        |(text, n)| {
            report.push_str(&text);
            uncited += n;
            Ok(())
        },
    )?;
    out.write_all(report.as_bytes()).map_err(Error::stdout)?;
    Ok(if options.strict && uncited > 0 {
        Status::Failed(format!(
            "{uncited} uncited sentence(s) or part(s) of sentences (--strict)"
        ))
    } else {
        Status::Success
    })
}

/// The coverage report of one article and its number of uncited sentences.
fn of(article: &ValidArticle, all: bool) -> (String, usize) {
    use std::fmt::Write;
    // (writing to a String cannot fail)
    let mut out = String::new();
    let Some(coverage) = Coverage::of(article) else {
        let _ = writeln!(
            out,
            "{}: article `{}` has no text (`text` in [article]); its coverage is unknown",
            article.source, article.id
        );
        return (out, 0);
    };
    let claim_bearing = coverage.cited() + coverage.uncited();
    let _ = writeln!(
        out,
        "{}: article `{}`: {} of {claim_bearing} claim-bearing sentences cited ({:.1}%), {} uncited, {} marked as stating no claim; {} uncited part(s) of cited sentences",
        article.source,
        article.id,
        coverage.cited(),
        coverage.share(),
        coverage.uncited(),
        coverage.no_claim(),
        coverage.parts.len(),
    );
    let text_path = article.text_path.as_deref().unwrap_or("text");
    let mut parts = coverage.parts.iter().peekable();
    for (s, status) in &coverage.sentences {
        let label = match status {
            Cited::Uncited => Some("uncited".to_string()),
            Cited::NoClaim(reason) => Some(format!("no claim ({reason})")),
            Cited::Cited(ids) if all => Some(format!("cited by {}", ids.join(", "))),
            Cited::Cited(_) => None,
        };
        if let Some(label) = label {
            let _ = writeln!(
                out,
                "{text_path}:{}:{}: {label}: {}",
                s.line, s.column, s.text
            );
        }
        while let Some(p) = parts.next_if(|p| p.start < s.end) {
            let _ = writeln!(
                out,
                "{text_path}:{}:{}: uncited part of a cited sentence: {}",
                p.line, p.column, p.text
            );
        }
    }
    // sentences are the article's own text: no control character reaches the terminal
    (crate::output::table::visible(&out), coverage.to_do())
}
