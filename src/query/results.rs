//! Printing query results: an aligned table for people, the standard SPARQL result formats
//! (CSV, TSV, JSON, XML) for programs, RDF for CONSTRUCT and DESCRIBE. The formats are listed
//! once: [`RESULT_FORMATS`] here, and the RDF formats in [`crate::export::FORMATS`].

use super::Outcome;
use crate::error::{Error, Result};
use crate::export::{self, RdfOutput};
use crate::output::table::Table;
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

/// The formats of solutions and booleans, by name; the RDF formats (for graphs) follow them.
pub const RESULT_FORMATS: &[(&str, ResultFormat)] = &[
    ("table", ResultFormat::Table),
    ("csv", ResultFormat::Results(QueryResultsFormat::Csv)),
    ("tsv", ResultFormat::Results(QueryResultsFormat::Tsv)),
    ("json", ResultFormat::Results(QueryResultsFormat::Json)),
    ("xml", ResultFormat::Results(QueryResultsFormat::Xml)),
];

impl ResultFormat {
    /// The names of the formats for solutions and booleans.
    pub fn result_names() -> impl Iterator<Item = &'static str> {
        RESULT_FORMATS.iter().map(|(n, _)| *n)
    }

    /// Every name `--format` takes: the result formats, then the RDF formats.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::result_names().chain(RdfOutput::names())
    }
}

impl FromStr for ResultFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        if let Some((_, f)) = RESULT_FORMATS.iter().find(|(n, _)| *n == s) {
            return Ok(*f);
        }
        s.parse().map(ResultFormat::Rdf).map_err(|_| {
            format!(
                "unknown format `{s}`; use one of {}",
                ResultFormat::names().collect::<Vec<_>>().join(", ")
            )
        })
    }
}

/// `a, b or c`.
fn or_list(names: impl Iterator<Item = &'static str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
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
    Error::stdout(e)
}

/// Which rows of a query's solutions to write: `limit` rows (all when `None`) from `offset`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: Option<usize>,
    /// When the rows given are this page only (the query was evaluated for it): how many rows
    /// the whole answer has.
    pub total: Option<usize>,
}

impl Page {
    /// Rows a terminal shows at a time when no `--limit` is given.
    pub const TERMINAL: usize = 50;

    fn of<'r, T>(&self, rows: &'r [T]) -> &'r [T] {
        if self.total.is_some() {
            return rows;
        }
        let start = self.offset.min(rows.len());
        let end = match self.limit {
            Some(n) => start.saturating_add(n).min(rows.len()),
            None => rows.len(),
        };
        &rows[start..end]
    }
}

/// How a table says how many rows there are, and how to see the others.
fn count_line(page: Page, shown: usize, total: usize) -> String {
    let rows = |n: usize| format!("{n} row{}", if n == 1 { "" } else { "s" });
    if shown == total {
        return format!("({})", rows(total));
    }
    if shown == 0 {
        return format!(
            "(no rows from {}: there are {}; a smaller --offset)",
            page.offset + 1,
            rows(total)
        );
    }
    let (first, last) = (page.offset + 1, page.offset + shown);
    let next = if last < total {
        format!("--offset {last} for the next ones, ")
    } else {
        String::new()
    };
    format!("(rows {first}–{last} of {total}; {next}--limit 0 for all)")
}

/// An aligned table of solutions (see [`Table`]), then how many rows there are; `width` is the
/// terminal's, when there is one.
pub fn write_table(
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    page: Page,
    compactor: &Compactor,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut table = Table::new(&variables.iter().map(Variable::as_str).collect::<Vec<_>>());
    let shown = page.of(rows);
    for row in shown {
        table.row(
            row.iter()
                .map(|t| t.as_ref().map(|t| compactor.term(t)).unwrap_or_default()),
        );
    }
    table.write(out, width).map_err(io)?;
    let total = page.total.unwrap_or(rows.len());
    writeln!(out, "{}", count_line(page, shown.len(), total)).map_err(io)
}

/// Writes a query's outcome in `format` (the table when none is given for solutions and
/// booleans, Turtle for graphs), the solutions of `page` only; `width` is the terminal's, for
/// tables.
pub fn write(
    outcome: &Outcome,
    format: Option<ResultFormat>,
    page: Page,
    compactor: &Compactor,
    base: &str,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<()> {
    let not_rdf = |gives: &str| {
        Error::Usage(format!(
            "{gives}: use --format {}",
            or_list(ResultFormat::result_names())
        ))
    };
    match outcome {
        Outcome::Solutions { variables, rows } => match format.unwrap_or(ResultFormat::Table) {
            ResultFormat::Table => write_table(variables, rows, page, compactor, width, out),
            ResultFormat::Results(f) => {
                let mut s = QueryResultsSerializer::from_format(f)
                    .serialize_solutions_to_writer(out, variables.clone())
                    .map_err(io)?;
                for row in page.of(rows) {
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
            ResultFormat::Rdf(_) => Err(not_rdf("a SELECT query gives solutions, not RDF")),
        },
        Outcome::Boolean(b) => match format.unwrap_or(ResultFormat::Table) {
            ResultFormat::Table => writeln!(out, "{b}").map_err(io),
            // CSV and TSV have no form for a boolean (the W3C note defines them for
            // solutions): one column, `_askResult`, as Jena writes it, which RDFLib and
            // pandas read
            ResultFormat::Results(QueryResultsFormat::Csv) => {
                write!(out, "_askResult\r\n{b}\r\n").map_err(io)
            }
            ResultFormat::Results(QueryResultsFormat::Tsv) => {
                write!(out, "?_askResult\n{b}\n").map_err(io)
            }
            ResultFormat::Results(f) => {
                QueryResultsSerializer::from_format(f)
                    .serialize_boolean_to_writer(out, *b)
                    .map_err(io)?;
                Ok(())
            }
            ResultFormat::Rdf(_) => Err(not_rdf("an ASK query gives true or false")),
        },
        Outcome::Graph(triples) => {
            let rdf = match format {
                None | Some(ResultFormat::Table) => RdfOutput::Turtle,
                Some(ResultFormat::Rdf(f)) => f,
                Some(ResultFormat::Results(_)) => {
                    return Err(Error::Usage(format!(
                        "a CONSTRUCT or DESCRIBE query gives RDF: use --format {}",
                        or_list(RdfOutput::names())
                    )));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_name_parses_to_one_format() {
        let names: Vec<&str> = ResultFormat::names().collect();
        assert_eq!(names[..5], ["table", "csv", "tsv", "json", "xml"]);
        for name in &names {
            name.parse::<ResultFormat>().unwrap();
        }
        let unique: std::collections::BTreeSet<&&str> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert_eq!(or_list(["a", "b", "c"].into_iter()), "a, b or c");
    }

    #[test]
    fn pages_and_what_they_say() {
        let rows: Vec<u32> = (0..120).collect();
        let first = Page {
            offset: 0,
            limit: Some(50),
            ..Page::default()
        };
        assert_eq!(first.of(&rows).len(), 50);
        assert_eq!(
            count_line(first, 50, 120),
            "(rows 1–50 of 120; --offset 50 for the next ones, --limit 0 for all)"
        );
        let last = Page {
            offset: 100,
            limit: Some(50),
            ..Page::default()
        };
        assert_eq!(last.of(&rows), &rows[100..]);
        assert_eq!(
            count_line(last, 20, 120),
            "(rows 101–120 of 120; --limit 0 for all)"
        );
        let past = Page {
            offset: 500,
            limit: None,
            ..Page::default()
        };
        assert!(past.of(&rows).is_empty());
        assert_eq!(count_line(Page::default(), 120, 120), "(120 rows)");
        // rows that are the page already, of an answer the query counted
        let given = Page {
            total: Some(9000),
            ..first
        };
        assert_eq!(given.of(&rows[..50]).len(), 50);
    }
}
