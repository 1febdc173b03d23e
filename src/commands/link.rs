//! `newskg link`: the Wikidata link status of every entity, from the catalog (and a SPARQL
//! endpoint with `--online`); `--write` adds the accepted links to the facts files.

use super::{Source, Status as Done, describe_duplicate, pipeline};
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::input::SourceFile;
use crate::link::remote::Endpoint;
use crate::link::{self, Candidate, EntityLink, Status, rewrite};
use crate::ontology::Ontology;
use crate::output::{self, table::Table};
use crate::validate::corpus::Duplicate;
use std::io::Write;
use std::path::Path;

/// How `link` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFormat {
    Table,
    Json,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub source: Source,
    pub format: LinkFormat,
    /// Add the accepted links to the facts files.
    pub write: bool,
    /// Also look names up on this endpoint.
    pub online: Option<Endpoint>,
}

fn io(e: std::io::Error) -> Error {
    Error::stdout(e)
}

/// Runs `link`: the link status of every entity, then, with `write`, the accepted links added
/// to the facts files.
pub fn run(options: &Options, out: &mut dyn Write) -> Result<Done> {
    if options.write && !matches!(options.source, Source::Files { .. }) {
        return Err(Error::Usage(
            "--write changes facts files: name them with -i (the embedded default and a store's files cannot be written)".into(),
        ));
    }
    let mut articles = Vec::new();
    let pipeline = options.source.stream(
        |a| a,
        |a| {
            articles.push(a);
            Ok(())
        },
    )?;
    let ontology = Ontology::embedded();
    let catalog = Catalog::embedded();
    let mut links = link::link(&articles, catalog, ontology);
    if let Some(endpoint) = &options.online {
        for (l, article_entity) in links
            .iter_mut()
            .zip(articles.iter().flat_map(|a| a.entities.iter()))
        {
            let settled = matches!(&l.status, Status::Linked { .. })
                || matches!(&l.status, Status::Candidate { accepted: true, .. })
                || l.stands_for.is_some();
            if settled {
                continue;
            }
            let mut candidates = match std::mem::replace(&mut l.status, Status::Unlinked) {
                Status::Candidate { best, others, .. } => {
                    std::iter::once(best).chain(others).collect()
                }
                Status::Ambiguous(c) => c,
                _ => Vec::new(),
            };
            candidates.extend(endpoint.candidates(article_entity, ontology)?);
            l.status = link::decide(candidates);
        }
    }
    match options.format {
        LinkFormat::Table => {
            table(&links, out)?;
            merges(&pipeline.duplicates(), out)?;
        }
        LinkFormat::Json => {
            let json: Vec<serde_json::Value> = links.iter().map(to_json).collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).expect("JSON serializes")
            )
            .map_err(io)?;
        }
    }
    if options.write {
        write_links(&links, out)?;
    }
    Ok(Done::Success)
}

fn table(links: &[EntityLink], out: &mut dyn Write) -> Result<()> {
    let mut rows: Vec<[String; 7]> = Vec::new();
    for l in links {
        let (qid, score, reasons) = match &l.status {
            Status::Linked { qid, catalog } => (qid.clone(), String::new(), catalog.clone()),
            Status::Candidate {
                best,
                accepted,
                others,
            } => {
                let mut reasons = best.reasons.join(", ");
                if *accepted {
                    reasons.push_str("; accepted");
                }
                if !others.is_empty() {
                    let o: Vec<String> = others
                        .iter()
                        .map(|c| format!("{} {:.2}", c.qid, c.score))
                        .collect();
                    reasons.push_str(&format!("; also {}", o.join(", ")));
                }
                (best.qid.clone(), format!("{:.2}", best.score), reasons)
            }
            Status::Ambiguous(c) => (
                c.iter()
                    .map(|c| c.qid.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                c.iter()
                    .map(|c| format!("{:.2}", c.score))
                    .collect::<Vec<_>>()
                    .join(" "),
                c.iter()
                    .map(|c| format!("{} ({}): {}", c.qid, c.label, c.reasons.join(", ")))
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
            Status::Unlinked => (
                String::new(),
                String::new(),
                match &l.stands_for {
                    Some(target) => format!("stands for `{target}`, which carries the link"),
                    None => "no catalog item has this name".into(),
                },
            ),
        };
        rows.push([
            l.source.clone(),
            l.entity.clone(),
            l.class.clone(),
            l.status.name().to_string(),
            qid,
            score,
            reasons,
        ]);
    }
    let mut table = Table::new(&[
        "file", "entity", "class", "status", "wikidata", "score", "why",
    ]);
    for row in rows {
        table.row(row);
    }
    table
        .write(out, output::table::terminal_width())
        .map_err(io)?;
    let count = |name: &str| links.iter().filter(|l| l.status.name() == name).count();
    writeln!(
        out,
        "({} entities: {} linked, {} candidate, {} ambiguous, {} unlinked)",
        links.len(),
        count("linked"),
        count("candidate"),
        count("ambiguous"),
        count("unlinked")
    )
    .map_err(io)
}

/// The probable duplicates, each with the merge to write in the registry should they be one
/// entity (into the id [`Duplicate::kept`] picks).
fn merges(duplicates: &[Duplicate], out: &mut dyn Write) -> Result<()> {
    if duplicates.is_empty() {
        return Ok(());
    }
    let mut text = String::from(
        "\nProbable duplicates: if they are one entity, add the merge to the registry.\n",
    );
    for d in duplicates {
        let kept = d.kept();
        text.push_str(&format!("\n# {}\n", describe_duplicate(d)));
        for other in d.ids.iter().filter(|i| i.id != kept) {
            text.push_str(&format!(
                "[[merges]]\nid = \"{}\"\ninto = \"{kept}\"\n",
                other.id
            ));
        }
    }
    out.write_all(text.as_bytes()).map_err(io)
}

fn candidate_json(c: &Candidate, accepted: bool) -> serde_json::Value {
    serde_json::json!({
        "wikidata": c.qid,
        "label": c.label,
        "class": c.class,
        "score": c.score,
        "reasons": c.reasons,
        "class_compatible": c.class_compatible,
        "source": c.source,
        "accepted": accepted,
    })
}

fn to_json(l: &EntityLink) -> serde_json::Value {
    let mut v = serde_json::json!({
        "file": l.source,
        "entity": l.entity,
        "label": l.label,
        "class": l.class,
        "status": l.status.name(),
    });
    match &l.status {
        Status::Linked { qid, catalog } => {
            v["wikidata"] = qid.clone().into();
            v["catalog"] = catalog.clone().into();
        }
        Status::Candidate {
            best,
            accepted,
            others,
        } => {
            let mut all = vec![candidate_json(best, *accepted)];
            all.extend(others.iter().map(|c| candidate_json(c, false)));
            v["candidates"] = all.into();
        }
        Status::Ambiguous(c) => {
            v["candidates"] = c.iter().map(|c| candidate_json(c, false)).collect();
        }
        Status::Unlinked => {
            if let Some(t) = &l.stands_for {
                v["stands_for"] = t.clone().into();
            }
        }
    }
    v
}

/// Adds the accepted links to their facts files; each file is re-validated before it is
/// replaced (atomically).
fn write_links(links: &[EntityLink], out: &mut dyn Write) -> Result<usize> {
    let mut by_file: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for l in links {
        if let Status::Candidate {
            best,
            accepted: true,
            ..
        } = &l.status
        {
            match by_file.iter_mut().find(|(f, _)| f == &l.source) {
                Some((_, v)) => v.push((l.entity.clone(), best.qid.clone())),
                None => {
                    by_file.push((l.source.clone(), vec![(l.entity.clone(), best.qid.clone())]))
                }
            }
        }
    }
    let mut written = 0;
    for (file, file_links) in by_file {
        let path = Path::new(&file);
        let source = SourceFile::read(path)?;
        let text =
            rewrite::add_wikidata(&source.text, source.format, &file_links).map_err(|e| {
                Error::Invalid(vec![
                    source.diagnostic_at(0, format!("cannot add the links: {e}")),
                ])
            })?;
        // The new text must still be a valid facts file before it replaces the old one.
        let mut check = source.clone();
        check.text = text.clone();
        pipeline().check(check).map_err(Error::Invalid)?;
        let bytes = crate::files::read_file(path).map_err(|e| Error::read(&file, e))?;
        let text = rewrite::same_layout(&bytes, &text);
        output::rewrite(path, |w| {
            w.write_all(text.as_bytes())
                .map_err(|e| Error::write(&file, e))
        })?;
        writeln!(out, "wrote {} link(s) to {file}", file_links.len()).map_err(io)?;
        written += file_links.len();
    }
    Ok(written)
}
