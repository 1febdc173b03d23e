//! Typed parameters of a query (`# param:` in its header, `--param NAME=VALUE` on the command
//! line): each value is checked against its type and bound as an RDF term, never pasted into
//! the query's text.

use super::library::QueryDoc;
use crate::error::{Error, Result};
use crate::lexical;
use crate::mapping::Base;
use crate::ontology::Ontology;
use crate::suggest;
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use spargebra::Query;
use spargebra::algebra::GraphPattern;

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// An entity id of the graph.
    Entity,
    Iri,
    String,
    Integer,
    Date,
    /// The local name of an ontology modality, class or property.
    Modality,
    Class,
    Property,
}

/// Every parameter type, by the name a header uses.
const TYPES: &[(&str, ParamType)] = &[
    ("entity", ParamType::Entity),
    ("iri", ParamType::Iri),
    ("string", ParamType::String),
    ("integer", ParamType::Integer),
    ("date", ParamType::Date),
    ("modality", ParamType::Modality),
    ("class", ParamType::Class),
    ("property", ParamType::Property),
];

impl ParamType {
    pub fn parse(s: &str) -> Option<ParamType> {
        TYPES.iter().find(|(n, _)| *n == s).map(|(_, t)| *t)
    }

    pub fn name(self) -> &'static str {
        TYPES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("", |(n, _)| n)
    }

    /// The names a header may use, for messages.
    pub fn names() -> impl Iterator<Item = &'static str> {
        TYPES.iter().map(|(n, _)| *n)
    }
}

/// A declared parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub kind: ParamType,
    pub default: Option<String>,
    pub description: String,
}

/// What resolving a parameter value needs to know.
pub struct ParamContext<'a> {
    pub base: &'a Base,
    /// For `modality`, `class` and `property` values.
    pub ontology: &'a Ontology,
    /// The entity ids in the graph, for checking `entity` values: looked up only when one is
    /// given, so that queries without one do not pay for it.
    pub entity_ids: &'a dyn Fn() -> Result<Vec<String>>,
}

/// Binds `--param` values (and defaults) to the query's declared parameters.
pub fn bind(
    doc: &QueryDoc,
    given: &[(String, String)],
    ctx: &ParamContext<'_>,
) -> Result<Vec<(String, Term)>> {
    for (name, _) in given {
        if !doc.params.iter().any(|p| &p.name == name) {
            let message = if doc.params.is_empty() {
                format!("{} takes no parameters", doc.source)
            } else {
                let names: Vec<&str> = doc.params.iter().map(|p| p.name.as_str()).collect();
                format!(
                    "{} has no parameter `{name}`{} (its parameters: {})",
                    doc.source,
                    suggest::did_you_mean(name, names.iter().copied()),
                    names.join(", ")
                )
            };
            return Err(Error::Parameter {
                name: name.clone(),
                message,
            });
        }
    }
    let mut bound = Vec::new();
    for p in &doc.params {
        let value = given
            .iter()
            .rev()
            .find(|(n, _)| n == &p.name)
            .map(|(_, v)| v.clone())
            .or_else(|| p.default.clone());
        let Some(value) = value else {
            return Err(Error::Parameter {
                name: p.name.clone(),
                message: format!(
                    "{} needs this parameter: --param {}=VALUE ({}: {})",
                    doc.source,
                    p.name,
                    p.kind.name(),
                    p.description
                ),
            });
        };
        let term = to_term(p, &value, ctx).map_err(|message| Error::Parameter {
            name: p.name.clone(),
            message,
        })?;
        bound.push((p.name.clone(), term));
    }
    Ok(bound)
}

fn to_term(p: &Param, value: &str, ctx: &ParamContext<'_>) -> std::result::Result<Term, String> {
    let o = ctx.ontology;
    let term_of = |names: Vec<String>, what: &str, iri: Option<String>| match iri {
        Some(iri) => Ok(NamedNode::new_unchecked(iri).into()),
        None => Err(format!(
            "`{value}` is not a {what}{}",
            suggest::did_you_mean(value, names.iter().map(String::as_str))
        )),
    };
    match p.kind {
        ParamType::Entity => {
            if !lexical::is_valid_id(value) {
                return Err(format!("`{value}` is not an entity id"));
            }
            let entity_ids = (ctx.entity_ids)().map_err(|e| crate::error::chain(&e))?;
            if !entity_ids.iter().any(|e| e == value) {
                let hint = match suggest::closest(value, entity_ids.iter().map(String::as_str)) {
                    Some(id) => format!("; did you mean `{id}`?"),
                    None => "; `newskg query entities` lists them".to_string(),
                };
                return Err(format!("no entity `{value}` in the graph{hint}"));
            }
            Ok(ctx.base.entity(value).into())
        }
        ParamType::Iri => NamedNode::new(value)
            .map(Into::into)
            .map_err(|e| format!("`{value}` is not an absolute IRI: {e}")),
        ParamType::String => Ok(Literal::new_simple_literal(value).into()),
        ParamType::Integer => value
            .parse::<i64>()
            .map(|i| Literal::from(i).into())
            .map_err(|_| format!("`{value}` is not an integer")),
        ParamType::Date => lexical::time_literal(value)
            .map(Into::into)
            .map_err(|e| e.replace("time value", "date")),
        ParamType::Modality => term_of(
            o.modality_names(),
            "modality",
            o.modality(value).map(str::to_string),
        ),
        ParamType::Class => term_of(
            o.entity_class_names(),
            "class",
            o.class(value).map(str::to_string),
        ),
        ParamType::Property => term_of(
            o.relation_names(),
            "property",
            o.property(value).map(|p| p.iri.clone()),
        ),
    }
}

/// Adds `vars` to the SELECT projection (so that they can be bound), returning which ones were
/// added: those are bound parameters the user did not ask to see.
pub fn project_parameters(query: &mut Query, vars: &[Variable]) -> Vec<Variable> {
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
