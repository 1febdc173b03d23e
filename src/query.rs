//! Running SPARQL on the knowledge graph: resolving what the user named (a canned query, a `.rq`
//! file, inline SPARQL or `-`), parsing it with the vocabularies' prefixes predeclared, binding
//! parameters as RDF terms (never by editing the query text), and evaluating it read-only over
//! the union of all graphs.

use crate::error::{Diagnostic, Error, Result};
use crate::mapping::Base;
use crate::queries::{self, QueryDoc};
use crate::store::KnowledgeGraph;
use crate::vocab;
use oxigraph::model::{Term, Triple, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use spargebra::algebra::GraphPattern;
use spargebra::{Query, SparqlParser};
use std::io::Read;
use std::path::Path;

/// How a query may reach beyond the local graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOptions {
    /// Whether SPARQL `SERVICE` calls (federation over HTTP) are allowed.
    pub service: bool,
    /// Timeout of each `SERVICE` call.
    pub timeout: std::time::Duration,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            service: false,
            timeout: std::time::Duration::from_secs(30),
        }
    }
}

/// Whether a graph pattern calls a `SERVICE`.
fn uses_service(p: &GraphPattern) -> bool {
    match p {
        GraphPattern::Service { .. } => true,
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => false,
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => uses_service(left) || uses_service(right),
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. } => uses_service(inner),
    }
}

/// The most rows a local pattern may give for them to be sent along with a SERVICE call.
const MAX_SERVICE_BINDINGS: usize = 1000;

/// Turns `local ⋈ SERVICE { inner }` into a bind join: the local side is evaluated first, and
/// the values it gives to the variables it shares with the service are sent inside the SERVICE
/// as a VALUES block. Without it the endpoint would receive the inner pattern unbound (for
/// Wikidata, every statement of a property).
fn bind_services(
    pattern: &mut GraphPattern,
    kg: &KnowledgeGraph,
    bindings: &[(String, Term)],
) -> Result<()> {
    match pattern {
        GraphPattern::Join { left, right } | GraphPattern::LeftJoin { left, right, .. } => {
            bind_services(left, kg, bindings)?;
            if !uses_service(left)
                && let GraphPattern::Service { inner, .. } = right.as_mut()
            {
                let mut local_vars = Vec::new();
                left.on_in_scope_variable(|v| local_vars.push(v.clone()));
                let mut shared = Vec::new();
                inner.on_in_scope_variable(|v| {
                    if local_vars.contains(v) && !shared.contains(v) {
                        shared.push(v.clone());
                    }
                });
                if !shared.is_empty()
                    && let Some(values) = local_values(left, &shared, kg, bindings)?
                {
                    inject_values(
                        inner,
                        GraphPattern::Values {
                            variables: shared,
                            bindings: values,
                        },
                    );
                }
            } else {
                bind_services(right, kg, bindings)?;
            }
        }
        GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            bind_services(left, kg, bindings)?;
            bind_services(right, kg, bindings)?;
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. } => bind_services(inner, kg, bindings)?,
        GraphPattern::Bgp { .. }
        | GraphPattern::Path { .. }
        | GraphPattern::Values { .. }
        | GraphPattern::Service { .. } => {}
    }
    Ok(())
}

/// Puts `values` first in `pattern`: in place of the empty group an OPTIONAL chain starts with
/// (so the endpoint gets `VALUES … OPTIONAL { … }`, which every endpoint reads), or joined before
/// it.
fn inject_values(pattern: &mut GraphPattern, values: GraphPattern) {
    match pattern {
        GraphPattern::LeftJoin { left, .. } => inject_values(left, values),
        GraphPattern::Bgp { patterns } if patterns.is_empty() => *pattern = values,
        other => {
            let original = std::mem::replace(
                other,
                GraphPattern::Bgp {
                    patterns: Vec::new(),
                },
            );
            *other = GraphPattern::Join {
                left: Box::new(values),
                right: Box::new(original),
            };
        }
    }
}

/// The distinct values of `vars` in the local pattern, or `None` when there are too many.
fn local_values(
    local: &GraphPattern,
    vars: &[Variable],
    kg: &KnowledgeGraph,
    bindings: &[(String, Term)],
) -> Result<Option<Vec<Vec<Option<spargebra::term::GroundTerm>>>>> {
    let mut in_scope = Vec::new();
    local.on_in_scope_variable(|v| in_scope.push(v.clone()));
    let params: Vec<&(String, Term)> = bindings
        .iter()
        .filter(|(n, _)| in_scope.iter().any(|v| v.as_str() == n))
        .collect();
    let mut projected = vars.to_vec();
    projected.extend(
        params
            .iter()
            .map(|(n, _)| Variable::new_unchecked(n.clone())),
    );
    let query = Query::Select {
        dataset: None,
        pattern: GraphPattern::Distinct {
            inner: Box::new(GraphPattern::Project {
                inner: Box::new(local.clone()),
                variables: projected,
            }),
        },
        base_iri: None,
    };
    let mut prepared = SparqlEvaluator::new()
        .without_default_http_service_handler()
        .for_query(query);
    prepared.dataset_mut().set_default_graph_as_union();
    for (name, term) in params {
        prepared =
            prepared.substitute_variable(Variable::new_unchecked(name.clone()), term.clone());
    }
    let QueryResults::Solutions(solutions) = prepared
        .on_store(kg.store())
        .execute()
        .map_err(|e| Error::Evaluation(e.to_string()))?
    else {
        return Ok(None);
    };
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(|e| Error::Evaluation(e.to_string()))?;
        let row: Vec<Option<spargebra::term::GroundTerm>> = vars
            .iter()
            .map(|v| match solution.get(v) {
                Some(Term::NamedNode(n)) => Some(spargebra::term::GroundTerm::NamedNode(n.clone())),
                Some(Term::Literal(l)) => Some(spargebra::term::GroundTerm::Literal(l.clone())),
                _ => None,
            })
            .collect();
        if !rows.contains(&row) {
            rows.push(row);
        }
        if rows.len() > MAX_SERVICE_BINDINGS {
            return Ok(None);
        }
    }
    Ok(Some(rows))
}

fn query_pattern(query: &Query) -> &GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// What a query returned, collected.
#[derive(Debug, Clone)]
pub enum Outcome {
    Solutions {
        variables: Vec<Variable>,
        rows: Vec<Vec<Option<Term>>>,
    },
    Boolean(bool),
    Graph(Vec<Triple>),
}

/// The prefixes every query may use without declaring them: the vocabularies, plus `ent:` and
/// `art:` for the entities and articles under the base.
pub fn prefixes(base: &Base) -> Vec<(String, String)> {
    let mut p: Vec<(String, String)> = vocab::PREFIXES
        .iter()
        .map(|(p, ns)| (p.to_string(), ns.to_string()))
        .collect();
    p.push(("ent".into(), format!("{}entity/", base.as_str())));
    p.push(("art".into(), format!("{}article/", base.as_str())));
    p
}

/// Turns the QUERY argument into a query: `-` is standard input, an existing path (or one ending
/// in `.rq`) a file, a bare name a canned query, anything else inline SPARQL.
pub fn resolve(arg: &str) -> Result<QueryDoc> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| Error::Io {
                path: "<stdin>".into(),
                source,
            })?;
        return QueryDoc::parse("<stdin>", "<stdin>", &text);
    }
    let path = Path::new(arg);
    if path.extension().is_some_and(|e| e == "rq") || (path.is_file() && !arg.contains('{')) {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: arg.into(),
            source,
        })?;
        return QueryDoc::parse(arg, arg, &text);
    }
    let is_name = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if is_name {
        return queries::find(arg);
    }
    QueryDoc::parse("<query>", "<query>", arg)
}

/// A syntax error of a query, at its place in the query's source.
fn syntax_error(doc: &QueryDoc, error: &dyn std::fmt::Display) -> Error {
    let message = error.to_string();
    // spargebra says "error at LINE:COLUMN: expected …"
    let located = message.strip_prefix("error at ").and_then(|rest| {
        let (place, what) = rest.split_once(": ")?;
        let (line, column) = place.split_once(':')?;
        Some((line.parse().ok()?, column.parse().ok()?, what.to_string()))
    });
    let (mut line, mut column, what) = located.unwrap_or((1, 1, message));
    // spargebra matches a keyword by reading as many characters as it has, then comparing: when
    // only keywords were expected, the reported place is that many characters past the token
    // that failed. Step back to it.
    let expected: Vec<&str> = what
        .strip_prefix("expected one of ")
        .or_else(|| what.strip_prefix("expected "))
        .map(|list| list.split(", ").collect())
        .unwrap_or_default();
    let is_keyword = |k: &&str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
    };
    if !expected.is_empty() && expected.iter().all(is_keyword) {
        let back = expected.iter().map(|k| k.len()).min().unwrap_or(0);
        let offset = crate::source::byte_offset(&doc.text, line, column);
        let token: usize = doc.text[..offset]
            .char_indices()
            .rev()
            .nth(back.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        (line, column) = crate::source::line_col(&doc.text, token);
    }
    // Character classes make the "expected" list unreadable: keep the tokens and keywords.
    let items: Vec<&str> = what
        .strip_prefix("expected one of ")
        .or_else(|| what.strip_prefix("expected "))
        .map(|list| {
            list.split(", ")
                .filter(|i| !i.starts_with('[') && !i.starts_with('\'') && !i.starts_with('|'))
                .collect()
        })
        .unwrap_or_default();
    let message = if items.contains(&"Prefix not found") {
        let offset = crate::source::byte_offset(&doc.text, line, column);
        let before = doc.text[..offset].trim_end();
        let start = before
            .rfind(|c: char| c.is_whitespace() || "{(,;".contains(c))
            .map_or(0, |i| i + 1);
        (line, column) = crate::source::line_col(&doc.text, start);
        let name = before[start..].split(':').next().unwrap_or_default();
        format!(
            "SPARQL syntax error: undefined prefix `{name}:`; declare it with PREFIX, or use a predeclared one ({})",
            vocab::PREFIXES
                .iter()
                .map(|(p, _)| format!("{p}:"))
                .chain(["ent:".into(), "art:".into()])
                .collect::<Vec<_>>()
                .join(" ")
        )
    } else if items.is_empty() {
        format!("SPARQL syntax error: {what}")
    } else {
        format!("SPARQL syntax error: expected {}", items.join(", "))
    };
    Error::SparqlSyntax(Diagnostic {
        file: doc.source.clone(),
        line,
        column,
        message,
    })
}

fn parser(base: &Base) -> SparqlParser {
    let mut parser = SparqlParser::new();
    for (p, ns) in prefixes(base) {
        parser = parser
            .with_prefix(p, ns)
            .expect("the predeclared prefixes are valid IRIs");
    }
    parser
}

/// Parses a query with the default base's prefixes (used to check canned queries).
pub fn parse(doc: &QueryDoc) -> Result<Query> {
    parse_with(doc, &Base::default())
}

fn parse_with(doc: &QueryDoc, base: &Base) -> Result<Query> {
    match parser(base).parse_query(&doc.text) {
        Ok(q) => Ok(q),
        Err(e) => {
            if parser(base).parse_update(&doc.text).is_ok() {
                Err(Error::UpdateRefused {
                    query: doc.source.clone(),
                })
            } else {
                Err(syntax_error(doc, &e))
            }
        }
    }
}

/// Adds `vars` to the SELECT projection (so that they can be bound), returning which ones were
/// added: those are bound parameters the user did not ask to see.
fn project_parameters(query: &mut Query, vars: &[Variable]) -> Vec<Variable> {
    let Query::Select { pattern, .. } = query else {
        return Vec::new();
    };
    let mut node = pattern;
    loop {
        match node {
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::OrderBy { inner, .. } => node = inner,
            GraphPattern::Project { variables, .. } => {
                let mut added = Vec::new();
                for v in vars {
                    if !variables.contains(v) {
                        variables.push(v.clone());
                        added.push(v.clone());
                    }
                }
                return added;
            }
            _ => return Vec::new(),
        }
    }
}

/// Runs `doc` on the graph with `params` (`--param NAME=VALUE`).
pub fn run(
    kg: &KnowledgeGraph,
    doc: &QueryDoc,
    params: &[(String, String)],
    options: QueryOptions,
) -> Result<Outcome> {
    let mut query = parse_with(doc, kg.base())?;
    if !options.service && uses_service(query_pattern(&query)) {
        return Err(Error::ServiceRefused {
            query: doc.source.clone(),
        });
    }
    let bindings = if doc.params.is_empty() && !params.is_empty() && doc.source == "<query>" {
        return Err(Error::Parameter {
            name: params[0].0.clone(),
            message: "inline queries have no declared parameters; put the query in a .rq file with a `# param:` header, or use a canned query".into(),
        });
    } else {
        let ctx = queries::ParamContext {
            base: kg.base(),
            entity_ids: &|| kg.entity_ids(),
        };
        queries::bind(doc, params, &ctx)?
    };
    let vars: Vec<Variable> = bindings
        .iter()
        .map(|(n, _)| Variable::new_unchecked(n.clone()))
        .collect();
    let hidden = project_parameters(&mut query, &vars);
    if options.service {
        let pattern = match &mut query {
            Query::Select { pattern, .. }
            | Query::Construct { pattern, .. }
            | Query::Describe { pattern, .. }
            | Query::Ask { pattern, .. } => pattern,
        };
        bind_services(pattern, kg, &bindings)?;
    }

    let evaluator = if options.service {
        SparqlEvaluator::new().with_http_timeout(options.timeout)
    } else {
        // No network unless asked: even a SERVICE the check above missed cannot go out.
        SparqlEvaluator::new().without_default_http_service_handler()
    };
    let mut prepared = evaluator.for_query(query);
    prepared.dataset_mut().set_default_graph_as_union();
    for (name, term) in bindings {
        prepared = prepared.substitute_variable(Variable::new_unchecked(name), term);
    }
    let evaluation = |e: &oxigraph::sparql::QueryEvaluationError| match e {
        oxigraph::sparql::QueryEvaluationError::Service(inner) => {
            Error::Evaluation(format!("the SERVICE call failed: {inner}"))
        }
        other => Error::Evaluation(other.to_string()),
    };
    match prepared
        .on_store(kg.store())
        .execute()
        .map_err(|e| evaluation(&e))?
    {
        QueryResults::Solutions(solutions) => {
            let all: Vec<Variable> = solutions.variables().to_vec();
            let keep: Vec<usize> = (0..all.len())
                .filter(|&i| !hidden.contains(&all[i]))
                .collect();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(|e| evaluation(&e))?;
                rows.push(keep.iter().map(|&i| solution.get(i).cloned()).collect());
            }
            Ok(Outcome::Solutions {
                variables: keep.iter().map(|&i| all[i].clone()).collect(),
                rows,
            })
        }
        QueryResults::Boolean(b) => Ok(Outcome::Boolean(b)),
        QueryResults::Graph(triples) => {
            let triples = triples
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| evaluation(&e))?;
            Ok(Outcome::Graph(triples))
        }
    }
}
