//! `newskg push`: put a corpus (files, a store or the embedded default) into a remote store
//! (see [`crate::remote::push`]), with progress on a terminal and a report of what went in.

use super::{Source, Status, count};
use crate::error::{Error, Result};
use crate::output::table::visible;
use crate::remote::push::{self, PushOptions, Target};
use crate::remote::{Client, Credentials};
use std::io::Write;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Options {
    pub source: Source,
    pub target: Target,
    pub credentials: Option<Credentials>,
    pub push: PushOptions,
    /// Of each request.
    pub timeout: Duration,
    /// Of a request the server answered 429 or 503.
    pub retries: u32,
}

/// Graphs that failed listed at the most; the count says how many there are.
const FAILED_SHOWN: usize = 20;

pub fn run(options: &Options, out: &mut dyn Write) -> Result<Status> {
    let graph = options.source.graph()?;
    let client = Client::new(
        options.credentials.clone(),
        options.timeout,
        options.retries,
    );
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} graphs {elapsed}")
            .expect("a valid template"),
    );
    let started = std::time::Instant::now();
    let report = push::push(
        &graph,
        &client,
        &options.target,
        options.push,
        &|done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        },
    );
    bar.finish_and_clear();
    let report = report?;
    let base = graph.base();
    let name = |g: &oxigraph::model::NamedNode| match base.article_id(g) {
        Some(id) => format!("article {id}"),
        None => format!("graph <{}>", g.as_str()),
    };
    for (g, why) in report.failed.iter().take(FAILED_SHOWN) {
        eprintln!("newskg: {} not pushed: {}", name(g), visible(why));
    }
    if report.failed.len() > FAILED_SHOWN {
        eprintln!(
            "newskg: … and {} more not pushed",
            report.failed.len() - FAILED_SHOWN
        );
    }
    let (sent, deleted) = if options.push.dry_run {
        ("to send", "to delete")
    } else {
        ("sent", "deleted")
    };
    writeln!(
        out,
        "{}: {}: {} {sent} ({:.1} MB of N-Triples), {} unchanged, {} {deleted}, {} failed, in {:.1} s",
        options.target.query,
        count(report.graphs, "graph"),
        report.sent,
        report.bytes as f64 / 1e6,
        report.unchanged,
        report.deleted,
        report.failed.len(),
        started.elapsed().as_secs_f64()
    )
    .map_err(Error::stdout)?;
    writeln!(out, "  by the {}", report.protocol).map_err(Error::stdout)?;
    if !report.stale.is_empty() {
        writeln!(
            out,
            "  {} pushed before {} not in this corpus any more (push --prune deletes {}): {}{}",
            count(report.stale.len(), "graph"),
            if report.stale.len() == 1 { "is" } else { "are" },
            if report.stale.len() == 1 {
                "it"
            } else {
                "them"
            },
            report
                .stale
                .iter()
                .take(5)
                .map(name)
                .collect::<Vec<_>>()
                .join(", "),
            if report.stale.len() > 5 { ", …" } else { "" }
        )
        .map_err(Error::stdout)?;
    }
    Ok(if report.failed.is_empty() {
        Status::Success
    } else {
        Status::Failed(format!(
            "{} could not be pushed (see above); the remote store holds the others, and the next push sends only what is missing",
            count(report.failed.len(), "graph")
        ))
    })
}
