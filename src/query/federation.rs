//! Federation (`--service`): which queries call a remote SPARQL service, and bind joins that
//! send a SERVICE the values its local side gives, instead of the pattern unbound.

use crate::error::{Error, Result};
use crate::store::KnowledgeGraph;
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use spargebra::Query;
use spargebra::algebra::GraphPattern;

/// The sub-patterns of a pattern (those of a SERVICE excepted, and not those inside
/// expressions), by reference or by mutable reference as `$pattern` is.
macro_rules! sub_patterns {
    ($pattern:expr) => {
        match $pattern {
            GraphPattern::Join { left, right }
            | GraphPattern::LeftJoin { left, right, .. }
            | GraphPattern::Lateral { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right } => vec![left, right],
            GraphPattern::Filter { inner, .. }
            | GraphPattern::Graph { inner, .. }
            | GraphPattern::Extend { inner, .. }
            | GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::Group { inner, .. } => vec![inner],
            GraphPattern::Bgp { .. }
            | GraphPattern::Path { .. }
            | GraphPattern::Values { .. }
            | GraphPattern::Service { .. } => vec![],
        }
    };
}

/// Whether a graph pattern calls a `SERVICE`.
pub fn uses_service(p: &GraphPattern) -> bool {
    matches!(p, GraphPattern::Service { .. })
        || sub_patterns!(p).into_iter().any(|c| uses_service(c))
}

/// The most rows a local pattern may give for them to be sent along with a SERVICE call.
const MAX_SERVICE_BINDINGS: usize = 1000;

/// Turns `local ⋈ SERVICE { inner }` into a bind join: the local side is evaluated first, and
/// the values it gives to the variables it shares with the service are sent inside the SERVICE
/// as a VALUES block. Without it the endpoint would receive the inner pattern unbound (for
/// Wikidata, every statement of a property).
pub fn bind_services(pattern: &mut GraphPattern, kg: &KnowledgeGraph) -> Result<()> {
    let (GraphPattern::Join { left, right } | GraphPattern::LeftJoin { left, right, .. }) = pattern
    else {
        for child in sub_patterns!(pattern) {
            bind_services(child, kg)?;
        }
        return Ok(());
    };
    bind_services(left, kg)?;
    let GraphPattern::Service { inner, .. } = right.as_mut() else {
        return bind_services(right, kg);
    };
    if uses_service(left) {
        return Ok(());
    }
    let mut local_vars = Vec::new();
    left.on_in_scope_variable(|v| local_vars.push(v.clone()));
    let mut shared = Vec::new();
    inner.on_in_scope_variable(|v| {
        if local_vars.contains(v) && !shared.contains(v) {
            shared.push(v.clone());
        }
    });
    if !shared.is_empty()
        && let Some(values) = local_values(left, &shared, kg)?
    {
        inject_values(
            inner,
            GraphPattern::Values {
                variables: shared,
                bindings: values,
            },
        );
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
) -> Result<Option<Vec<Vec<Option<spargebra::term::GroundTerm>>>>> {
    let query = Query::Select {
        dataset: None,
        pattern: GraphPattern::Distinct {
            inner: Box::new(GraphPattern::Project {
                inner: Box::new(local.clone()),
                variables: vars.to_vec(),
            }),
        },
        base_iri: None,
    };
    let evaluating = "cannot evaluate the local side of a SERVICE call";
    let prepared = super::prepare(
        SparqlEvaluator::new().without_default_http_service_handler(),
        query,
    );
    let QueryResults::Solutions(solutions) = prepared
        .on_store(kg.store())
        .execute()
        .map_err(Error::evaluation(evaluating))?
    else {
        return Ok(None);
    };
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(Error::evaluation(evaluating))?;
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
