//! A query run on a remote store (`newskg query --endpoint URL NAME`): the canned query written
//! out as standalone SPARQL (as `newskg queries --show` prints it), sent with the SPARQL 1.1
//! Protocol, its answer read back and ordered as newskg orders its own. An answer the server
//! marks as incomplete (Virtuoso's `X-SQL-State: S1TAT` after its time limit, its
//! `X-SPARQL-MaxRows` at its row cap) is an error, never rows shown as the answer.

use super::client::Client;
use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::ontology::Ontology;
use crate::query::{self, Answer, Outcome, QueryDoc, order, params, standalone};
use oxhttp::model::Method;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use spargebra::Query;

/// `doc` as the SPARQL text sent to another store: its prefixes declared, its parameters
/// (`params`, or their defaults) written in as terms, not checked against a graph.
pub fn text(doc: &QueryDoc, params: &[(String, String)], base: &Base) -> Result<String> {
    let ctx = params::ParamContext {
        base,
        ontology: Ontology::embedded(),
        graph: None,
    };
    let bindings = params::bind(doc, params, &ctx)?;
    Ok(standalone::standalone(
        &doc.text,
        &query::prefixes(base),
        &bindings,
    ))
}

/// Runs `doc` on the SPARQL endpoint `url` through `client`.
pub fn run(
    client: &Client,
    url: &str,
    doc: &QueryDoc,
    params: &[(String, String)],
    base: &Base,
) -> Result<Answer> {
    // parsed here first: a mistake in the query or its parameters is said in newskg's terms
    query::limits::on_large_stack(|| query::parse::parse_with(doc, base).map(drop))?;
    let text = text(doc, params, base)?;
    let mut parsed = spargebra::SparqlParser::new()
        .parse_query(&text)
        .map_err(|e| Error::Usage(format!("{}: {e}", doc.source)))?;
    let graph = matches!(parsed, Query::Construct { .. } | Query::Describe { .. });
    let accept = if graph {
        "application/n-triples"
    } else {
        "application/sparql-results+json"
    };
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", &text)
        .finish();
    let reply = client.send(
        Method::POST,
        url,
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("accept", accept),
        ],
        body.as_bytes(),
    )?;
    let fail = |what: String| Error::Remote {
        url: url.to_string(),
        what,
        source: None,
    };
    if !reply.is_success() {
        return Err(fail(format!("{} ran {}", doc.source, reply.describe())));
    }
    let server = reply.header("server").unwrap_or("");
    if let Some((_, why)) = doc
        .wrong_on
        .iter()
        .find(|(s, _)| server.starts_with(s.as_str()))
    {
        return Err(fail(format!(
            "{}: this server ({}) is known to answer this query wrongly: it {why}; its rows are not shown (run the query on newskg's own store, or see docs/push.md)",
            doc.source,
            server.trim()
        )));
    }
    if let Some(state) = reply.header("x-sql-state") {
        let message = reply.header("x-sql-message").unwrap_or("");
        let why = if state == "S1TAT" {
            "the server stopped the query at its time limit and sent the rows it had (Virtuoso: raise MaxQueryExecutionTime)"
        } else {
            "the server marked its answer as incomplete"
        };
        return Err(fail(format!(
            "{}: {why}; X-SQL-State: {state} {}; those rows are not the answer, so none are shown",
            doc.source,
            message.chars().take(120).collect::<String>()
        )));
    }
    if let Some(cap) = reply.header("x-sparql-maxrows") {
        return Err(fail(format!(
            "{}: the server cut the answer at its row cap of {cap} (X-SPARQL-MaxRows); that is not the whole answer, so none is shown (Virtuoso: raise ResultSetMaxRows)",
            doc.source
        )));
    }
    let not = |what: &str| fail(format!("the answer to {} is not {what}", doc.source));
    let mut outcome = if graph {
        let mut triples = Vec::new();
        for quad in RdfParser::from_format(RdfFormat::NTriples).for_slice(&reply.body) {
            let quad = quad.map_err(|_| not("N-Triples"))?;
            triples.push(oxigraph::model::Triple::from(quad));
        }
        Outcome::Graph(triples)
    } else {
        let parsed_reply = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(reply.body.as_slice())
            .map_err(|_| not("SPARQL JSON results: is this a SPARQL endpoint?"))?;
        match parsed_reply {
            ReaderQueryResultsParserOutput::Boolean(b) => Outcome::Boolean(b),
            ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(|_| not("valid SPARQL JSON results"))?;
                    rows.push(variables.iter().map(|v| solution.get(v).cloned()).collect());
                }
                Outcome::Solutions { variables, rows }
            }
        }
    };
    // the server sorted as the query says; ties, and terms engines compare differently, are
    // put in newskg's order, so that the rows come as `newskg query` gives them locally
    if let Some(detached) = order::detach(&mut parsed)
        && let Outcome::Solutions { variables, rows } = &mut outcome
        && detached.is_unsliced()
    {
        order::sort(&detached, variables, rows);
    }
    Ok(Answer {
        outcome,
        plan: None,
        total: None,
    })
}
