//! Parameters written into a query as terms: each `?name` of a bound parameter becomes the RDF
//! term, in the algebra (never in the text), wherever it stands, subqueries included. The
//! planner then sees constants (and picks the joins that start from them), and the query stands
//! on its own: it can be printed and run by another engine.

use oxigraph::model::Term;
use spargebra::Query;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{GroundTerm, NamedNodePattern, TermPattern, TriplePattern, Variable};

/// Replaces every parameter variable of `query` with its term. A parameter is no longer a
/// variable of the query's results.
pub fn substitute(query: &mut Query, bindings: &[(String, Term)]) {
    if bindings.is_empty() {
        return;
    }
    let s = Substitution(bindings);
    match query {
        Query::Select { pattern, .. }
        | Query::Ask { pattern, .. }
        | Query::Describe { pattern, .. } => s.pattern(pattern),
        Query::Construct {
            template, pattern, ..
        } => {
            template.iter_mut().for_each(|t| s.triple(t));
            s.pattern(pattern);
        }
    }
}

struct Substitution<'a>(&'a [(String, Term)]);

impl Substitution<'_> {
    fn term(&self, v: &Variable) -> Option<&Term> {
        self.0
            .iter()
            .find(|(name, _)| name == v.as_str())
            .map(|(_, t)| t)
    }

    fn term_pattern(&self, p: &mut TermPattern) {
        if let TermPattern::Variable(v) = p
            && let Some(t) = self.term(v)
        {
            *p = match t.clone() {
                Term::NamedNode(n) => TermPattern::NamedNode(n),
                Term::BlankNode(b) => TermPattern::BlankNode(b),
                Term::Literal(l) => TermPattern::Literal(l),
                #[allow(unreachable_patterns)]
                _ => return,
            };
        }
    }

    fn named_node_pattern(&self, p: &mut NamedNodePattern) {
        if let NamedNodePattern::Variable(v) = p
            && let Some(Term::NamedNode(n)) = self.term(v)
        {
            *p = NamedNodePattern::NamedNode(n.clone());
        }
    }

    fn triple(&self, t: &mut TriplePattern) {
        self.term_pattern(&mut t.subject);
        self.named_node_pattern(&mut t.predicate);
        self.term_pattern(&mut t.object);
    }

    fn is_parameter(&self, v: &Variable) -> bool {
        self.term(v).is_some()
    }

    fn pattern(&self, p: &mut GraphPattern) {
        match p {
            GraphPattern::Bgp { patterns } => patterns.iter_mut().for_each(|t| self.triple(t)),
            GraphPattern::Path {
                subject, object, ..
            } => {
                self.term_pattern(subject);
                self.term_pattern(object);
            }
            GraphPattern::Join { left, right }
            | GraphPattern::Lateral { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right } => {
                self.pattern(left);
                self.pattern(right);
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left);
                self.pattern(right);
                expression.iter_mut().for_each(|e| self.expression(e));
            }
            GraphPattern::Filter { expr, inner } => {
                self.expression(expr);
                self.pattern(inner);
            }
            GraphPattern::Graph { name, inner } => {
                self.named_node_pattern(name);
                self.pattern(inner);
            }
            GraphPattern::Extend {
                inner, expression, ..
            } => {
                self.pattern(inner);
                self.expression(expression);
            }
            GraphPattern::Values {
                variables,
                bindings,
            } => self.values(variables, bindings),
            GraphPattern::OrderBy { inner, expression } => {
                self.pattern(inner);
                for e in expression {
                    match e {
                        OrderExpression::Asc(e) | OrderExpression::Desc(e) => self.expression(e),
                    }
                }
            }
            GraphPattern::Project { inner, variables } => {
                self.pattern(inner);
                variables.retain(|v| !self.is_parameter(v));
            }
            GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner),
            GraphPattern::Group {
                inner,
                variables,
                aggregates,
            } => {
                self.pattern(inner);
                variables.retain(|v| !self.is_parameter(v));
                for (_, a) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = a {
                        self.expression(expr);
                    }
                }
            }
            GraphPattern::Service { name, inner, .. } => {
                self.named_node_pattern(name);
                self.pattern(inner);
            }
        }
    }

    /// A parameter among the variables of a VALUES block: the rows that disagree with its term
    /// go, and its column.
    fn values(&self, variables: &mut Vec<Variable>, rows: &mut Vec<Vec<Option<GroundTerm>>>) {
        while let Some(i) = variables.iter().position(|v| self.is_parameter(v)) {
            let term = self.term(&variables[i]).cloned();
            rows.retain(|row| match (&row[i], &term) {
                (None, _) => true,
                (Some(GroundTerm::NamedNode(a)), Some(Term::NamedNode(b))) => a == b,
                (Some(GroundTerm::Literal(a)), Some(Term::Literal(b))) => a == b,
                _ => false,
            });
            for row in rows.iter_mut() {
                row.remove(i);
            }
            variables.remove(i);
        }
    }

    fn expression(&self, e: &mut Expression) {
        match e {
            Expression::Variable(v) => {
                if let Some(t) = self.term(v) {
                    *e = match t.clone() {
                        Term::NamedNode(n) => Expression::NamedNode(n),
                        Term::Literal(l) => Expression::Literal(l),
                        _ => return,
                    };
                }
            }
            Expression::Bound(v) => {
                if self.is_parameter(v) {
                    *e = Expression::Literal(true.into());
                }
            }
            Expression::NamedNode(_) | Expression::Literal(_) => {}
            Expression::Or(a, b)
            | Expression::And(a, b)
            | Expression::Equal(a, b)
            | Expression::SameTerm(a, b)
            | Expression::Greater(a, b)
            | Expression::GreaterOrEqual(a, b)
            | Expression::Less(a, b)
            | Expression::LessOrEqual(a, b)
            | Expression::Add(a, b)
            | Expression::Subtract(a, b)
            | Expression::Multiply(a, b)
            | Expression::Divide(a, b) => {
                self.expression(a);
                self.expression(b);
            }
            Expression::In(a, list) => {
                self.expression(a);
                list.iter_mut().for_each(|e| self.expression(e));
            }
            Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
                self.expression(a)
            }
            Expression::Exists(p) => self.pattern(p),
            Expression::If(a, b, c) => {
                self.expression(a);
                self.expression(b);
                self.expression(c);
            }
            Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
                list.iter_mut().for_each(|e| self.expression(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn substituted(text: &str, bindings: &[(&str, Term)]) -> String {
        let mut query = spargebra::SparqlParser::new().parse_query(text).unwrap();
        let bindings: Vec<(String, Term)> = bindings
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect();
        substitute(&mut query, &bindings);
        query.to_string()
    }

    #[test]
    fn parameters_become_terms_everywhere() {
        let x: Term = NamedNode::new_unchecked("http://e/x").into();
        let text = substituted(
            "SELECT ?s WHERE { { SELECT ?s ?p WHERE { ?s ?p ?o } } ?s <http://e/q> ?p FILTER(?p != ?o || BOUND(?p)) VALUES ?p { <http://e/x> <http://e/y> } }",
            &[("p", x.clone())],
        );
        assert!(!text.contains("?p"), "{text}");
        assert!(text.contains("<http://e/x>"), "{text}");
        assert!(!text.contains("<http://e/y>"), "{text}");
        let text = substituted(
            "SELECT ?s WHERE { ?s <http://e/name> ?n } ORDER BY ?n",
            &[("n", Literal::new_simple_literal("A").into())],
        );
        assert!(text.contains("\"A\""), "{text}");
    }
}
