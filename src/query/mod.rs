//! Query, beside export at the end of the pipeline: takes a knowledge graph and a query and gives
//! its results. What the user named is resolved and parsed ([`parse`]), canned queries come from
//! the [`library`], parameters are bound as RDF terms ([`params`]), SERVICE calls go out only
//! when asked ([`federation`]), and the results are written for people or programs
//! ([`results`]). Queries are read-only and run over the union of all graphs.

pub mod federation;
pub mod library;
pub mod limits;
pub mod order;
pub mod page;
pub mod params;
pub mod parse;
pub mod results;
pub mod standalone;
pub mod substitute;

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
    /// Whether to give Oxigraph's plan of the query, with what each step yielded.
    pub explain: bool,
    /// How long and how much memory the evaluation may take.
    pub budget: limits::Budget,
    /// The rows asked for, `(offset, limit)`, when not all are: a canned query written as a
    /// core and its decoration then decorates these rows only (see [`page`]).
    pub page: Option<(usize, usize)>,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            service: false,
            timeout: std::time::Duration::from_secs(30),
            explain: false,
            budget: limits::Budget::default(),
            page: None,
        }
    }
}

/// A query's results, and its plan when asked (see [`QueryOptions::explain`]).
#[derive(Debug, Clone)]
pub struct Answer {
    pub outcome: Outcome,
    /// Oxigraph's plan, as JSON, with what each step yielded.
    pub plan: Option<String>,
    /// When the solutions are the page [`QueryOptions::page`] asked for only: how many rows the
    /// whole answer has.
    pub total: Option<usize>,
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

/// The prefixes a query may use about the data under `base`: `ent:` for entities, `art:` for
/// articles, `data:` for the base itself (`data:entities` is the entities' graph).
pub fn data_prefixes(base: &Base) -> [(String, String); 3] {
    [
        ("ent".into(), format!("{}entity/", base.as_str())),
        ("art".into(), format!("{}article/", base.as_str())),
        ("data".into(), base.as_str().to_string()),
    ]
}

/// The prefixes every query may use without declaring them: the vocabularies', and
/// [`data_prefixes`].
pub fn prefixes(base: &Base) -> Vec<(String, String)> {
    let mut p: Vec<(String, String)> = vocab::PREFIXES
        .iter()
        .map(|(p, ns)| (p.to_string(), ns.to_string()))
        .collect();
    p.extend(data_prefixes(base));
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

impl params::Lookup for KnowledgeGraph {
    fn has(&self, iri: &oxigraph::model::NamedNode) -> Result<bool> {
        self.has_subject(iri)
    }

    fn has_fact(&self, iri: &oxigraph::model::NamedNode) -> Result<bool> {
        KnowledgeGraph::has_fact(self, iri)
    }

    fn entity_ids(&self) -> Result<Vec<String>> {
        KnowledgeGraph::entity_ids(self)
    }
}

/// A query prepared for evaluation over the union of all graphs.
fn prepare(evaluator: SparqlEvaluator, query: Query) -> PreparedSparqlQuery {
    let mut prepared = evaluator.for_query(query);
    prepared.dataset_mut().set_default_graph_as_union();
    prepared
}

/// Runs `doc` on the graph with `params` (`--param NAME=VALUE`, checked against `ontology`
/// where their type is an ontology term), within the limits of `options` (on a thread with a
/// large stack: see [`limits`]).
pub fn run(
    kg: &KnowledgeGraph,
    ontology: &Ontology,
    doc: &QueryDoc,
    params: &[(String, String)],
    options: QueryOptions,
) -> Result<Answer> {
    limits::on_large_stack(|| run_here(kg, ontology, doc, params, options))
}

fn run_here(
    kg: &KnowledgeGraph,
    ontology: &Ontology,
    doc: &QueryDoc,
    params: &[(String, String)],
    options: QueryOptions,
) -> Result<Answer> {
    let mut query = parse::parse_with(doc, kg.base())?;
    // anywhere: in a pattern, or in an EXISTS of a FILTER, a BIND, a HAVING, an ORDER BY
    if !options.service && limits::shape(&query).service {
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
        graph: Some(kg),
    };
    let bindings = params::bind(doc, params, &ctx)?;
    // written into the query as terms: the planner starts from them
    substitute::substitute(&mut query, &bindings);
    if options.service {
        federation::bind_services(pattern_mut(&mut query), kg)?;
    }

    let evaluator = if options.service {
        SparqlEvaluator::new().with_http_timeout(options.timeout)
    } else {
        // No network unless asked: even a SERVICE the check above missed cannot go out.
        SparqlEvaluator::new().without_default_http_service_handler()
    };
    let watchdog = limits::Watchdog::start(options.budget);
    let evaluator = evaluator.with_cancellation_token(watchdog.token());
    let evaluation = |e: QueryEvaluationError| match e {
        QueryEvaluationError::Cancelled if watchdog.exceeded(&doc.source).is_some() => {
            watchdog.exceeded(&doc.source).expect("a limit")
        }
        QueryEvaluationError::Service(inner) => Error::Evaluation {
            what: "the SERVICE call failed".into(),
            source: inner,
        },
        other => Error::evaluation(format!("cannot evaluate {}", doc.source))(other),
    };
    let evaluate = |query: Query| -> Result<Outcome> {
        let bound = prepare(evaluator.clone(), query).on_store(kg.store());
        collect(bound.execute().map_err(evaluation)?, &evaluation)
    };
    if !options.explain {
        // the final ORDER BY is done here, on terms read once (see [`order`])
        let detached = order::detach(&mut query);
        // every row of a canned query with a core, too: its decoration, joined to a table
        // of the core's solutions, is planned as a loop over them
        let asked = options.page.unwrap_or((0, usize::MAX));
        if let Some(d) = &detached
            && doc.is_canned()
            && let Some((outcome, total)) = paged(&query, d, asked, &evaluate)?
        {
            return Ok(Answer {
                outcome,
                plan: None,
                total: options.page.map(|_| total),
            });
        }
        let mut outcome = evaluate(query)?;
        if let Some(d) = &detached {
            order::apply(d, &mut outcome);
        }
        return Ok(Answer {
            outcome,
            plan: None,
            total: None,
        });
    }
    let bound = prepare(evaluator, query).on_store(kg.store());
    let (results, explanation) = bound.compute_statistics().explain();
    // the statistics are complete once the results are read
    let outcome = collect(results.map_err(evaluation)?, &evaluation);
    let mut plan = Vec::new();
    explanation
        .write_in_json(&mut plan)
        .map_err(Error::stdout)?;
    Ok(Answer {
        outcome: outcome?,
        plan: Some(String::from_utf8_lossy(&plan).into_owned()),
        total: None,
    })
}

/// The page `(offset, limit)` of a query written as a core and its decoration (see [`page`]):
/// the core's solutions sorted and counted, the page's decorated; the page's rows and how many
/// the whole answer has, or `None` when the query has no such core, or its decoration does not
/// give one row per solution of the core.
fn paged(
    query: &Query,
    detached: &order::Detached,
    (offset, limit): (usize, usize),
    evaluate: &dyn Fn(Query) -> Result<Outcome>,
) -> Result<Option<(Outcome, usize)>> {
    let Some(core) = page::core(query, detached) else {
        return Ok(None);
    };
    let Outcome::Solutions {
        variables,
        mut rows,
    } = evaluate(core)?
    else {
        return Ok(None);
    };
    order::sort(detached, &variables, &mut rows);
    let total = rows.len();
    let start = offset.min(total);
    let rows = &rows[start..start.saturating_add(limit).min(total)];
    // the page's values narrow the decoration's sub-selects when they are a small part of
    // the answer; for most of it, evaluating those whole is faster
    let narrowed = rows.len().saturating_mul(4) <= total;
    let Some(decorated) = page::decorate(query, &variables, rows, narrowed) else {
        return Ok(None);
    };
    let mut outcome = evaluate(decorated)?;
    order::apply(detached, &mut outcome);
    if !page::one_row_each(detached, (&variables, rows), &outcome) {
        return Ok(None);
    }
    Ok(Some((outcome, total)))
}

/// Reads all the results of a query.
fn collect(
    results: QueryResults<'_>,
    evaluation: &dyn Fn(QueryEvaluationError) -> Error,
) -> Result<Outcome> {
    match results {
        QueryResults::Solutions(solutions) => {
            let variables: Vec<Variable> = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(evaluation)?;
                rows.push(
                    (0..variables.len())
                        .map(|i| solution.get(i).cloned())
                        .collect(),
                );
            }
            Ok(Outcome::Solutions { variables, rows })
        }
        QueryResults::Boolean(b) => Ok(Outcome::Boolean(b)),
        QueryResults::Graph(triples) => {
            let triples = triples.collect::<Result<Vec<_>, _>>().map_err(evaluation)?;
            Ok(Outcome::Graph(triples))
        }
    }
}
