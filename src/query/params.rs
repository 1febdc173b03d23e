//! Typed parameters of a query (`# param:` in its header, `--param NAME=VALUE` on the command
//! line): each value is checked against its type and bound as an RDF term, never pasted into
//! the query's text.

use super::library::QueryDoc;
use crate::error::{Error, Result};
use crate::lexical;
use crate::mapping::Base;
use crate::ontology::Ontology;
use crate::suggest;
use oxigraph::model::{Literal, NamedNode, Term};

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// An entity id of the graph.
    Entity,
    Iri,
    String,
    Integer,
    Date,
    /// A fact, as `ARTICLE/FACT` (the article's id, the fact's id in it).
    Fact,
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
    ("fact", ParamType::Fact),
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

    /// How to list the values of this type.
    pub fn listing(self) -> &'static str {
        match self {
            ParamType::Entity => "`newskg query entities` lists the entities",
            ParamType::Fact => {
                "`newskg query facts-by-modality` lists facts, as their article and id"
            }
            _ => "`newskg queries` says what it takes",
        }
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
    /// The graph, to check that `entity` and `fact` values name something in it; `None` binds
    /// them unchecked (a query written out for another store).
    pub graph: Option<&'a dyn Lookup>,
}

/// What parameter checks ask of a graph.
pub trait Lookup {
    /// Whether an entity of this IRI is in the graph.
    fn has(&self, iri: &NamedNode) -> Result<bool>;
    /// Whether a fact of this IRI is in the graph.
    fn has_fact(&self, iri: &NamedNode) -> Result<bool>;
    /// The ids of the entities in the graph (for suggestions).
    fn entity_ids(&self) -> Result<Vec<String>>;
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
        let explicit = given
            .iter()
            .rev()
            .find(|(n, _)| n == &p.name)
            .map(|(_, v)| v.clone());
        let defaulted = explicit.is_none();
        let value = explicit.or_else(|| p.default.clone());
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
            message: if defaulted {
                // a default names something of the seed article: another corpus has no such
                format!(
                    "{} needs --param {}=VALUE here: its default `{value}` is the seed article's and this graph has none ({})",
                    doc.source,
                    p.name,
                    p.kind.listing()
                )
            } else {
                message
            },
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
            let iri = ctx.base.entity(value);
            let chain = |e: Error| crate::error::chain(&e);
            if let Some(graph) = ctx.graph
                && !graph.has(&iri).map_err(chain)?
            {
                let ids = graph.entity_ids().map_err(chain)?;
                let hint = match suggest::closest(value, ids.iter().map(String::as_str)) {
                    Some(id) => format!("; did you mean `{id}`?"),
                    None => "; `newskg query entities` lists them".to_string(),
                };
                return Err(format!("no entity `{value}` in the graph{hint}"));
            }
            Ok(iri.into())
        }
        ParamType::Fact => match value.split_once('/') {
            Some((article, fact))
                if lexical::is_valid_id(article) && lexical::is_valid_id(fact) =>
            {
                let iri = ctx.base.fact(article, fact);
                let found = match ctx.graph {
                    Some(graph) => graph.has_fact(&iri).map_err(|e| crate::error::chain(&e))?,
                    None => true,
                };
                if found {
                    Ok(iri.into())
                } else {
                    Err(format!(
                        "no fact `{fact}` in article `{article}` in the graph; {}",
                        ParamType::Fact.listing()
                    ))
                }
            }
            _ => Err(format!(
                "`{value}` is not a fact: write ARTICLE/FACT, the article's id and the fact's id in it (e.g. `newskg query facts-by-modality` lists them)"
            )),
        },
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
