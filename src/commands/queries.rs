//! `newskg queries`: list the canned queries with their parameters; or write one out as
//! standalone SPARQL, its parameters written in as terms, to run in another engine.

use super::Status;
use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::ontology::Ontology;
use crate::query::{self, library, params, standalone};
use std::io::Write;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The query to write out (a canned query's name or a `.rq` file), instead of the list.
    pub show: Option<String>,
    /// `--param NAME=VALUE` for `show`.
    pub params: Vec<(String, String)>,
    /// The base of the data the query is for.
    pub base: Base,
}

pub fn run(options: &Options, out: &mut dyn Write) -> Result<Status> {
    match &options.show {
        Some(name) => show(name, options, out),
        None => list(out),
    }
}

/// The query `name` as SPARQL that stands on its own: its text, with the prefixes it uses
/// declared and its parameters (given, or their defaults) written in as terms. Entity and fact
/// values are not checked against a graph.
fn show(name: &str, options: &Options, out: &mut dyn Write) -> Result<Status> {
    let doc = query::resolve(name)?;
    // parsed (and the parameters bound) to report what is wrong in the query's terms
    query::limits::on_large_stack(|| query::parse::parse_with(&doc, &options.base).map(drop))?;
    let ctx = params::ParamContext {
        base: &options.base,
        ontology: Ontology::embedded(),
        graph: None,
    };
    let bindings = params::bind(&doc, &options.params, &ctx)?;
    let mut text = String::new();
    if let Some(t) = &doc.title {
        text.push_str(&format!("# {t}\n"));
    }
    text.push_str(&format!("# from {} by newskg", doc.source));
    for (name, term) in &bindings {
        text.push_str(&format!("; {name} = {term}"));
    }
    text.push_str("\n# (over the union of all graphs: the default graph of most stores)\n");
    for (server, why) in &doc.wrong_on {
        text.push_str(&format!(
            "# known to be answered wrongly by {server}: it {why}\n"
        ));
    }
    text.push_str(&standalone::standalone(
        &doc.text,
        &query::prefixes(&options.base),
        &bindings,
    ));
    out.write_all(text.as_bytes()).map_err(Error::stdout)?;
    Ok(Status::Success)
}

fn list(out: &mut dyn Write) -> Result<Status> {
    let mut text = String::new();
    for doc in library::canned() {
        text.push_str(&format!("{}\n", doc.name));
        if let Some(t) = &doc.title {
            text.push_str(&format!("    {t}\n"));
        }
        if let Some(d) = &doc.description {
            text.push_str(&format!("    {d}\n"));
        }
        for p in &doc.params {
            let default = p
                .default
                .as_ref()
                .map(|d| format!(", default {d}"))
                .unwrap_or_default();
            text.push_str(&format!(
                "    --param {}=<{}{default}>  {}\n",
                p.name,
                p.kind.name(),
                p.description
            ));
        }
        text.push('\n');
    }
    out.write_all(text.as_bytes()).map_err(Error::stdout)?;
    Ok(Status::Success)
}
