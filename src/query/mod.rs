//! Query, beside export at the end of the pipeline: takes a knowledge graph and a query and gives
//! its results. What the user named is resolved and parsed ([`parse`]), canned queries come from
//! the [`library`], parameters are bound as RDF terms ([`params`]), SERVICE calls go out only
//! when asked ([`federation`]), and the results are written for people or programs
//! ([`results`]). Queries are read-only and run over the union of all graphs.

pub mod federation;
pub mod library;
pub mod params;
pub mod parse;
pub mod results;

pub use library::QueryDoc;
pub use parse::resolve;

use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::ontology::Ontology;
use crate::store::KnowledgeGraph;
use crate::vocab;
use oxigraph::model::{Term, Triple, Variable};
use oxigraph::sparql::{PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator};
use spargebra::Query;

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

fn pattern_mut(query: &mut Query) -> &mut spargebra::algebra::GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// A query prepared for evaluation over the union of all graphs, with `bindings` substituted.
fn prepare(
    evaluator: SparqlEvaluator,
    query: Query,
    bindings: impl IntoIterator<Item = (String, Term)>,
) -> PreparedSparqlQuery {
    let mut prepared = evaluator.for_query(query);
    prepared.dataset_mut().set_default_graph_as_union();
    for (name, term) in bindings {
        prepared = prepared.substitute_variable(Variable::new_unchecked(name), term);
    }
    prepared
}

/// Runs `doc` on the graph with `params` (`--param NAME=VALUE`, checked against `ontology`
/// where their type is an ontology term).
pub fn run(
    kg: &KnowledgeGraph,
    ontology: &Ontology,
    doc: &QueryDoc,
    params: &[(String, String)],
    options: QueryOptions,
) -> Result<Outcome> {
    let mut query = parse::parse_with(doc, kg.base())?;
    if !options.service && federation::uses_service(pattern_mut(&mut query)) {
        return Err(Error::ServiceRefused {
            query: doc.source.clone(),
        });
    }
    if doc.params.is_empty() && !params.is_empty() && doc.source == "<query>" {
        return Err(Error::Parameter {
            name: params[0].0.clone(),
            message: "inline queries have no declared parameters; put the query in a .rq file with a `# param:` header, or use a canned query".into(),
        });
    }
    let ctx = params::ParamContext {
        base: kg.base(),
        ontology,
        entity_ids: &|| kg.entity_ids(),
    };
    let bindings = params::bind(doc, params, &ctx)?;
    let vars: Vec<Variable> = bindings
        .iter()
        .map(|(n, _)| Variable::new_unchecked(n.clone()))
        .collect();
    let hidden = params::project_parameters(&mut query, &vars);
    if options.service {
        federation::bind_services(pattern_mut(&mut query), kg, &bindings)?;
    }

    let evaluator = if options.service {
        SparqlEvaluator::new().with_http_timeout(options.timeout)
    } else {
        // No network unless asked: even a SERVICE the check above missed cannot go out.
        SparqlEvaluator::new().without_default_http_service_handler()
    };
    let evaluation = |e: QueryEvaluationError| match e {
        QueryEvaluationError::Service(inner) => Error::Evaluation {
            what: "the SERVICE call failed".into(),
            source: inner,
        },
        other => Error::evaluation(format!("cannot evaluate {}", doc.source))(other),
    };
    match prepare(evaluator, query, bindings)
        .on_store(kg.store())
        .execute()
        .map_err(evaluation)?
    {
        QueryResults::Solutions(solutions) => {
            let all: Vec<Variable> = solutions.variables().to_vec();
            let keep: Vec<usize> = (0..all.len())
                .filter(|&i| !hidden.contains(&all[i]))
                .collect();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(evaluation)?;
                rows.push(keep.iter().map(|&i| solution.get(i).cloned()).collect());
            }
            Ok(Outcome::Solutions {
                variables: keep.iter().map(|&i| all[i].clone()).collect(),
                rows,
            })
        }
        QueryResults::Boolean(b) => Ok(Outcome::Boolean(b)),
        QueryResults::Graph(triples) => {
            let triples = triples.collect::<Result<Vec<_>, _>>().map_err(evaluation)?;
            Ok(Outcome::Graph(triples))
        }
    }
}
