//! Printing query results: an aligned table for people, the standard SPARQL result formats
//! (CSV, TSV, JSON, XML) for programs, RDF for CONSTRUCT and DESCRIBE.

use crate::error::{Error, Result};
use crate::export::{self, RdfOutput};
use crate::query::Outcome;
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::Write;
use std::str::FromStr;

/// How `newskg query` prints results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    Table,
    Results(QueryResultsFormat),
    Rdf(RdfOutput),
}

impl ResultFormat {
    pub const NAMES: &[&str] = &[
        "table", "csv", "tsv", "json", "xml", "turtle", "trig", "ntriples", "nquads", "rdfxml",
        "jsonld",
    ];
}

impl FromStr for ResultFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "table" => ResultFormat::Table,
            "csv" => ResultFormat::Results(QueryResultsFormat::Csv),
            "tsv" => ResultFormat::Results(QueryResultsFormat::Tsv),
            "json" => ResultFormat::Results(QueryResultsFormat::Json),
            "xml" => ResultFormat::Results(QueryResultsFormat::Xml),
            other => ResultFormat::Rdf(other.parse().map_err(|_| {
                format!(
                    "unknown format `{other}`; use one of {}",
                    ResultFormat::NAMES.join(", ")
                )
            })?),
        })
    }
}

/// Shortens IRIs with the query prefixes, for tables.
pub struct Compactor {
    prefixes: Vec<(String, String)>,
}

impl Compactor {
    pub fn new(prefixes: Vec<(String, String)>) -> Self {
        let mut prefixes = prefixes;
        // longest namespace first, so that the most specific prefix wins
        prefixes.sort_by_key(|(_, ns)| std::cmp::Reverse(ns.len()));
        Compactor { prefixes }
    }

    pub fn term(&self, term: &Term) -> String {
        match term {
            Term::NamedNode(n) => self.iri(n.as_str()),
            Term::BlankNode(b) => b.to_string(),
            Term::Literal(l) => l.value().to_string(),
            #[allow(unreachable_patterns)]
            other => other.to_string(),
        }
    }

    fn iri(&self, iri: &str) -> String {
        for (p, ns) in &self.prefixes {
            if let Some(local) = iri.strip_prefix(ns.as_str())
                && !local.is_empty()
                && !local.contains(['/', '#'])
            {
                return format!("{p}:{local}");
            }
        }
        format!("<{iri}>")
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "stdout".into(),
        source: e,
    }
}

/// An aligned table: a header, a rule, one line per row, then the row count.
pub fn write_table(
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    compactor: &Compactor,
    out: &mut dyn Write,
) -> Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| t.as_ref().map(|t| compactor.term(t)).unwrap_or_default())
                .map(|s| s.replace(['\n', '\t'], " "))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = variables
        .iter()
        .map(|v| v.as_str().chars().count())
        .collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |values: &[String]| {
        let mut s = String::new();
        for (i, (v, w)) in values.iter().zip(&widths).enumerate() {
            if i + 1 == values.len() {
                s.push_str(v);
            } else {
                s.push_str(&format!("{v:<w$}  "));
            }
        }
        s.trim_end().to_string()
    };
    let header: Vec<String> = variables.iter().map(|v| v.as_str().to_string()).collect();
    writeln!(out, "{}", line(&header)).map_err(io)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    writeln!(out, "{}", line(&rule)).map_err(io)?;
    for row in &cells {
        writeln!(out, "{}", line(row)).map_err(io)?;
    }
    let n = rows.len();
    writeln!(out, "({n} row{})", if n == 1 { "" } else { "s" }).map_err(io)
}

/// Writes a query's outcome in `format` (the table when none is given for solutions and
/// booleans, Turtle for graphs).
pub fn write(
    outcome: &Outcome,
    format: Option<ResultFormat>,
    compactor: &Compactor,
    base: &str,
    out: &mut dyn Write,
) -> Result<()> {
    match outcome {
        Outcome::Solutions { variables, rows } => match format.unwrap_or(ResultFormat::Table) {
            ResultFormat::Table => write_table(variables, rows, compactor, out),
            ResultFormat::Results(f) => {
                let mut s = QueryResultsSerializer::from_format(f)
                    .serialize_solutions_to_writer(out, variables.clone())
                    .map_err(io)?;
                for row in rows {
                    s.serialize(
                        variables
                            .iter()
                            .zip(row)
                            .filter_map(|(v, t)| Some((v, t.as_ref()?))),
                    )
                    .map_err(io)?;
                }
                s.finish().map_err(io)?;
                Ok(())
            }
            ResultFormat::Rdf(_) => Err(Error::Usage(
                "a SELECT query gives solutions, not RDF: use --format table, csv, tsv, json or xml"
                    .into(),
            )),
        },
        Outcome::Boolean(b) => match format.unwrap_or(ResultFormat::Table) {
            ResultFormat::Table => writeln!(out, "{b}").map_err(io),
            ResultFormat::Results(f) => {
                QueryResultsSerializer::from_format(f)
                    .serialize_boolean_to_writer(out, *b)
                    .map_err(io)?;
                Ok(())
            }
            ResultFormat::Rdf(_) => Err(Error::Usage(
                "an ASK query gives true or false: use --format table, csv, tsv, json or xml".into(),
            )),
        },
        Outcome::Graph(triples) => {
            let rdf = match format {
                None | Some(ResultFormat::Table) => RdfOutput::Turtle,
                Some(ResultFormat::Rdf(f)) => f,
                Some(ResultFormat::Results(_)) => {
                    return Err(Error::Usage(
                        "a CONSTRUCT or DESCRIBE query gives RDF: use --format turtle, trig, ntriples, nquads, rdfxml or jsonld".into(),
                    ));
                }
            };
            let quads: Vec<_> = triples
                .iter()
                .map(|t| t.clone().in_graph(oxigraph::model::GraphName::DefaultGraph))
                .collect();
            export::write(&quads, rdf, Some(base), out)
        }
    }
}
