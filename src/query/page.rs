//! One page of a canned query without the rest of it. A query that grows with the corpus is
//! written as a *core*, the sub-select that comes first in its `WHERE` and gives one solution
//! per row of the answer with every `ORDER BY` key, then the *decoration*: the patterns after
//! it, which add the other columns (labels, titles, lists) to each row. For a page, the core is
//! evaluated alone, its solutions sorted here ([`super::order`]) and counted (the answer's
//! total), and the decoration is evaluated for the page's solutions only: they replace the
//! core as a `VALUES` table, and restrict every sub-select of the decoration that projects one
//! of their variables bound to IRIs. On 14,074 events of 1,000 articles, the decoration of every row is what
//! took the time.
//!
//! The page is checked: it must give one row per solution of the core, with the same keys;
//! else the query is evaluated whole. Only canned queries are paged this way: that their
//! decoration gives one row per solution of the core, on any corpus, is how they are written
//! (docs/query-planning.md) and what tests/queries.rs checks; the total is the core's count.

use super::Outcome;
use super::order::Detached;
use oxigraph::model::{Term, Variable};
use spargebra::Query;
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;

/// The core of a query (detached from its order), when it has one that binds every key.
pub fn core(query: &Query, detached: &Detached) -> Option<Query> {
    // (on a copy, through the one way to the core that `decorate` takes too)
    let mut query = query.clone();
    let Query::Select {
        pattern, base_iri, ..
    } = &mut query
    else {
        return None;
    };
    let base_iri = base_iri.clone();
    let leaf = leaf_mut(outer_where_mut(pattern)?)?;
    let GraphPattern::Project { variables, .. } = unwrap_distinct(leaf) else {
        return None;
    };
    if !detached.keys().all(|k| variables.contains(k)) || !detached.is_unsliced() {
        return None;
    }
    Some(Query::Select {
        dataset: None,
        pattern: std::mem::take(leaf),
        base_iri,
    })
}

/// The query with its core replaced by `rows` (of `variables`), and, when `narrowed`, every
/// sub-select of its decoration that projects one of them restricted to their values; `None` when a row holds a
/// blank node (which a `VALUES` table cannot hold).
pub fn decorate(
    query: &Query,
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    narrowed: bool,
) -> Option<Query> {
    let mut query = query.clone();
    let Query::Select { pattern, .. } = &mut query else {
        return None;
    };
    let bindings: Vec<Vec<Option<GroundTerm>>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|t| match t {
                    None => Ok(None),
                    Some(t) => GroundTerm::try_from(t.clone()).map(Some),
                })
                .collect::<Result<Vec<_>, ()>>()
        })
        .collect::<Result<_, ()>>()
        .ok()?;
    // the variables every row binds to an IRI (a fact, an entity: what few solutions hold; a
    // literal such as a code is shared by thousands): a sub-select that projects one is
    // restricted to its values
    let bound: Vec<(Variable, Vec<Option<GroundTerm>>)> = variables
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            bindings
                .iter()
                .all(|r| matches!(r[*i], Some(GroundTerm::NamedNode(_))))
        })
        .map(|(i, v)| {
            let mut values: Vec<Option<GroundTerm>> =
                bindings.iter().map(|r| r[i].clone()).collect();
            values.sort_by_key(|t| t.as_ref().map(ToString::to_string));
            values.dedup();
            (v.clone(), values)
        })
        .collect();
    let outer = outer_where_mut(pattern)?;
    let leaf = leaf_mut(outer)?;
    *leaf = GraphPattern::Values {
        variables: variables.to_vec(),
        bindings,
    };
    if narrowed {
        for (v, values) in &bound {
            restrict(outer, v, values);
        }
    }
    Some(query)
}

/// Whether the page `rows` (sorted) gives one row per solution of `core` (sorted, the page's
/// slice), by their keys.
pub fn one_row_each(
    detached: &Detached,
    core: (&[Variable], &[Vec<Option<Term>>]),
    page: &Outcome,
) -> bool {
    let Outcome::Solutions { variables, rows } = page else {
        return false;
    };
    if rows.len() != core.1.len() {
        return false;
    }
    let positions = |of: &[Variable]| -> Option<Vec<usize>> {
        detached
            .keys()
            .map(|k| of.iter().position(|v| v == k))
            .collect()
    };
    let (Some(theirs), Some(ours)) = (positions(core.0), positions(variables)) else {
        return false;
    };
    core.1
        .iter()
        .zip(rows)
        .all(|(c, r)| theirs.iter().zip(&ours).all(|(&a, &b)| c[a] == r[b]))
}

/// The `WHERE` of a SELECT's pattern: under its projection (and DISTINCT or REDUCED).
fn outer_where_mut(pattern: &mut GraphPattern) -> Option<&mut GraphPattern> {
    let pattern = match pattern {
        GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } => &mut **inner,
        other => other,
    };
    match pattern {
        GraphPattern::Project { inner, .. } => Some(inner),
        _ => None,
    }
}

fn unwrap_distinct(pattern: &GraphPattern) -> &GraphPattern {
    match pattern {
        GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } => inner,
        other => other,
    }
}

/// The sub-select a `WHERE` starts with, reached through what the patterns after it add: the
/// left side of joins and optionals, and binds.
fn leaf_mut(pattern: &mut GraphPattern) -> Option<&mut GraphPattern> {
    match pattern {
        GraphPattern::Extend { inner, .. } => leaf_mut(inner),
        GraphPattern::LeftJoin { left, .. } => leaf_mut(left),
        GraphPattern::Join { left, right } => match &**left {
            GraphPattern::Bgp { patterns } if patterns.is_empty() => leaf_mut(right),
            _ => leaf_mut(left),
        },
        GraphPattern::Distinct { inner } if matches!(**inner, GraphPattern::Project { .. }) => {
            Some(pattern)
        }
        GraphPattern::Project { .. } => Some(pattern),
        _ => None,
    }
}

/// Restricts every sub-select under `pattern` that projects `v` (and, inside it, every one
/// that projects it again) to `values`: the rows of the page are the only ones it can join.
fn restrict(pattern: &mut GraphPattern, v: &Variable, values: &[Option<GroundTerm>]) {
    match pattern {
        GraphPattern::Project { inner, variables } if variables.contains(v) => {
            narrow(inner, v, values);
        }
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right }
        | GraphPattern::LeftJoin { left, right, .. } => {
            restrict(left, v, values);
            restrict(right, v, values);
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => restrict(inner, v, values),
        // a sub-select that does not project `v` has its own `v`; a group that is not a
        // sub-select's is under one; a service's variables are its own; the other patterns hold
        // no sub-select
        _ => {}
    }
}

/// Joins `values` of `v` to the patterns inside a sub-select that bind it, below what keeps the
/// same solutions for each value of `v` (its order, DISTINCT, binds, filters, a group by it,
/// sub-selects that project it): the planner then starts from them. Never below a slice (a
/// `LIMIT` would keep other rows), and only where `v` is bound in every solution (a solution
/// without it would join every value).
fn narrow(pattern: &mut GraphPattern, v: &Variable, values: &[Option<GroundTerm>]) {
    match pattern {
        GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Filter { inner, .. } => narrow(inner, v, values),
        GraphPattern::Extend {
            inner, variable, ..
        } if variable != v => narrow(inner, v, values),
        GraphPattern::Group {
            inner, variables, ..
        }
        | GraphPattern::Project { inner, variables }
            if variables.contains(v) =>
        {
            narrow(inner, v, values)
        }
        GraphPattern::Slice { .. } | GraphPattern::Group { .. } | GraphPattern::Project { .. } => {}
        // into each branch, and into an optional's required side: the planner does not
        // take a table into them
        GraphPattern::Union { left, right } => {
            narrow(left, v, values);
            narrow(right, v, values);
        }
        GraphPattern::LeftJoin { left, right, .. } if binds(left, v) => {
            narrow(left, v, values);
            restrict(right, v, values);
        }
        other => {
            restrict(other, v, values);
            if binds(other, v) {
                let old = std::mem::take(other);
                *other = GraphPattern::Join {
                    left: Box::new(GraphPattern::Values {
                        variables: vec![v.clone()],
                        bindings: values.iter().map(|t| vec![t.clone()]).collect(),
                    }),
                    right: Box::new(old),
                };
            }
        }
    }
}

/// Whether every solution of `pattern` binds `v`.
fn binds(pattern: &GraphPattern, v: &Variable) -> bool {
    use spargebra::term::{NamedNodePattern, TermPattern};
    let term = |t: &TermPattern| matches!(t, TermPattern::Variable(x) if x == v);
    match pattern {
        GraphPattern::Bgp { patterns } => patterns.iter().any(|t| {
            term(&t.subject)
                || term(&t.object)
                || matches!(&t.predicate, NamedNodePattern::Variable(x) if x == v)
        }),
        GraphPattern::Path {
            subject, object, ..
        } => term(subject) || term(object),
        GraphPattern::Join { left, right } => binds(left, v) || binds(right, v),
        GraphPattern::Union { left, right } => binds(left, v) && binds(right, v),
        GraphPattern::LeftJoin { left, .. } | GraphPattern::Minus { left, .. } => binds(left, v),
        GraphPattern::Extend {
            inner, variable, ..
        } => variable == v || binds(inner, v),
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Slice { inner, .. } => binds(inner, v),
        GraphPattern::Project { inner, variables } => variables.contains(v) && binds(inner, v),
        GraphPattern::Group {
            inner, variables, ..
        } => variables.contains(v) && binds(inner, v),
        GraphPattern::Graph { inner, .. } => binds(inner, v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::KnowledgeGraph;

    /// The canned queries written as a core and its decoration have a core this finds.
    #[test]
    fn the_canned_queries_that_grow_with_the_corpus_have_a_core() {
        let kg = KnowledgeGraph::embedded().unwrap();
        let mut with_core = Vec::new();
        for doc in super::super::library::canned() {
            let mut query = super::super::parse::parse_with(&doc, kg.base()).unwrap();
            if let Some(d) = super::super::order::detach(&mut query)
                && core(&query, &d).is_some()
            {
                with_core.push(doc.name.clone());
            }
        }
        for name in [
            "events",
            "timeline",
            "hedged-claims",
            "participation",
            "actor-events",
        ] {
            assert!(with_core.iter().any(|n| n == name), "{name}: {with_core:?}");
        }
    }

    /// Every canned query with a core gives its pages by decorating them only (not by the
    /// whole evaluation it falls back to), the same rows as the whole answer's slice, and the
    /// whole answer's count.
    #[test]
    fn pages_of_the_seed_are_decorated_alone_and_are_slices_of_the_whole() {
        use super::super::{QueryOptions, run};
        let kg = KnowledgeGraph::embedded().unwrap();
        let ontology = crate::ontology::Ontology::embedded();
        let mut paged = 0;
        for doc in super::super::library::canned() {
            let mut query = super::super::parse::parse_with(&doc, kg.base()).unwrap();
            let Some(d) = super::super::order::detach(&mut query) else {
                continue;
            };
            if core(&query, &d).is_none() {
                continue;
            }
            let whole = run(&kg, ontology, &doc, &[], QueryOptions::default()).unwrap();
            let Outcome::Solutions { rows: all, .. } = whole.outcome else {
                panic!("{}", doc.name)
            };
            for (offset, limit) in [(0, 5), (3, 4), (all.len(), 5)] {
                let options = QueryOptions {
                    page: Some((offset, limit)),
                    ..QueryOptions::default()
                };
                let answer = run(&kg, ontology, &doc, &[], options).unwrap();
                assert_eq!(answer.total, Some(all.len()), "{}: not paged", doc.name);
                let Outcome::Solutions { rows, .. } = answer.outcome else {
                    panic!("{}", doc.name)
                };
                let end = (offset + limit).min(all.len());
                assert_eq!(rows, all[offset.min(end)..end], "{} {offset}", doc.name);
            }
            paged += 1;
        }
        assert!(paged >= 10, "{paged}");
    }

    /// A sub-select is narrowed to the page's values inside, below its order and group, and
    /// never below a slice.
    #[test]
    fn narrowing_goes_below_order_and_group_not_below_a_slice() {
        let q = |s: &str| spargebra::SparqlParser::new().parse_query(s).unwrap();
        let f = Variable::new_unchecked("f");
        let value = || {
            vec![Some(GroundTerm::NamedNode(
                oxigraph::model::NamedNode::new_unchecked("http://x/f1"),
            ))]
        };
        let mut grouped = q(
            "SELECT ?f (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?f ?x WHERE { ?f <http://p> ?x } ORDER BY ?x } } GROUP BY ?f",
        );
        let Query::Select { pattern, .. } = &mut grouped else {
            unreachable!()
        };
        restrict(pattern, &f, &value());
        let text = grouped.to_string();
        assert!(
            text.contains("ORDER BY ASC(?x)") && text.matches("VALUES").count() == 1,
            "{text}"
        );
        assert!(
            text.find("VALUES").unwrap() > text.find("SELECT DISTINCT").unwrap(),
            "{text}"
        );
        let mut sliced = q("SELECT ?f WHERE { { SELECT ?f WHERE { ?f <http://p> ?x } LIMIT 3 } }");
        let Query::Select { pattern, .. } = &mut sliced else {
            unreachable!()
        };
        restrict(pattern, &f, &value());
        assert!(!sliced.to_string().contains("VALUES"), "{sliced}");
        // a variable only an OPTIONAL binds is not narrowed
        let mut optional = q(
            "SELECT ?f WHERE { { SELECT ?f WHERE { ?s <http://p> ?x OPTIONAL { ?s <http://q> ?f } } } }",
        );
        let Query::Select { pattern, .. } = &mut optional else {
            unreachable!()
        };
        restrict(pattern, &f, &value());
        assert!(!optional.to_string().contains("VALUES"), "{optional}");
    }
}
