//! The canned queries of `queries/`: their headers (title, description, typed parameters) and
//! turning `--param NAME=VALUE` into RDF terms.
//!
//! A header is the leading comment block of a `.rq` file:
//!
//! ```sparql
//! # title: Parties to an agreement
//! # description: Every actor the article says is party to the agreement, with the evidence.
//! # param: agreement (entity, default: abraham-accords) The agreement's entity id.
//! ```
//!
//! Parameter types: `entity` (an entity id), `iri`, `string`, `integer`, `date`, `modality`,
//! `class` and `property` (ontology local names).

use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::ontology::Ontology;
use crate::suggest;
use crate::validate;
use oxigraph::model::{Literal, NamedNode, Term};

include!(concat!(env!("OUT_DIR"), "/canned_queries.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Entity,
    Iri,
    String,
    Integer,
    Date,
    Modality,
    Class,
    Property,
}

impl ParamType {
    fn parse(s: &str) -> Option<ParamType> {
        Some(match s {
            "entity" => ParamType::Entity,
            "iri" => ParamType::Iri,
            "string" => ParamType::String,
            "integer" => ParamType::Integer,
            "date" => ParamType::Date,
            "modality" => ParamType::Modality,
            "class" => ParamType::Class,
            "property" => ParamType::Property,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ParamType::Entity => "entity",
            ParamType::Iri => "iri",
            ParamType::String => "string",
            ParamType::Integer => "integer",
            ParamType::Date => "date",
            ParamType::Modality => "modality",
            ParamType::Class => "class",
            ParamType::Property => "property",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub kind: ParamType,
    pub default: Option<String>,
    pub description: String,
}

/// A query with its header.
#[derive(Debug, Clone)]
pub struct QueryDoc {
    /// The canned query's name, or the file or `<query>` it came from.
    pub name: String,
    /// Where it came from, for messages (`queries/x.rq`, a path, `<query>`, `<stdin>`).
    pub source: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub params: Vec<Param>,
    pub text: String,
}

impl QueryDoc {
    /// Reads the header of `text`; a malformed `# param:` line is an error.
    pub fn parse(name: &str, source: &str, text: &str) -> Result<QueryDoc> {
        let mut doc = QueryDoc {
            name: name.into(),
            source: source.into(),
            title: None,
            description: None,
            params: Vec::new(),
            text: text.into(),
        };
        for (i, line) in text.lines().enumerate() {
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                if line.trim().is_empty() {
                    continue;
                }
                break;
            };
            let comment = comment.trim();
            if let Some(t) = comment.strip_prefix("title:") {
                doc.title = Some(t.trim().into());
            } else if let Some(d) = comment.strip_prefix("description:") {
                let d = d.trim();
                doc.description = Some(match doc.description.take() {
                    Some(prev) => format!("{prev} {d}"),
                    None => d.into(),
                });
            } else if let Some(p) = comment.strip_prefix("param:") {
                let param = parse_param(p.trim()).ok_or_else(|| {
                    Error::Invalid(vec![crate::error::Diagnostic {
                        file: source.into(),
                        line: i + 1,
                        column: 1,
                        message: "malformed parameter: write `# param: NAME (TYPE[, default: VALUE]) description`, TYPE one of entity, iri, string, integer, date, modality, class, property".into(),
                    }])
                })?;
                doc.params.push(param);
            }
        }
        Ok(doc)
    }
}

fn parse_param(s: &str) -> Option<Param> {
    let (name, rest) = s.split_once(' ')?;
    let rest = rest.trim_start().strip_prefix('(')?;
    let (spec, description) = rest.split_once(')')?;
    let mut parts = spec.split(',').map(str::trim);
    let kind = ParamType::parse(parts.next()?)?;
    let mut default = None;
    for part in parts {
        default = Some(part.strip_prefix("default:")?.trim().to_string());
    }
    let name = name.trim_start_matches(['?', '$']);
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(Param {
        name: name.into(),
        kind,
        default,
        description: description.trim().into(),
    })
}

/// Every canned query, in name order.
pub fn canned() -> Vec<QueryDoc> {
    CANNED
        .iter()
        .map(|(name, text)| {
            QueryDoc::parse(name, &format!("queries/{name}.rq"), text)
                .unwrap_or_else(|e| panic!("canned query {name}: {e}"))
        })
        .collect()
}

/// The canned query called `name`.
pub fn find(name: &str) -> Result<QueryDoc> {
    let all = canned();
    if let Some(doc) = all.iter().find(|d| d.name == name) {
        return Ok(doc.clone());
    }
    Err(Error::UnknownQuery {
        name: name.into(),
        suggestion: suggest::closest(name, all.iter().map(|d| d.name.as_str())).map(str::to_string),
    })
}

/// What resolving a parameter value needs to know.
pub struct ParamContext<'a> {
    pub base: &'a Base,
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
    let o = Ontology::embedded();
    let term_of = |names: Vec<String>, what: &str, iri: Option<String>| match iri {
        Some(iri) => Ok(NamedNode::new_unchecked(iri).into()),
        None => Err(format!(
            "`{value}` is not a {what}{}",
            suggest::did_you_mean(value, names.iter().map(String::as_str))
        )),
    };
    match p.kind {
        ParamType::Entity => {
            if !validate::is_valid_id(value) {
                return Err(format!("`{value}` is not an entity id"));
            }
            let entity_ids = (ctx.entity_ids)().map_err(|e| e.to_string())?;
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
        ParamType::Date => validate::time_literal(value)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header() {
        let doc = QueryDoc::parse(
            "x",
            "queries/x.rq",
            "# title: T\n# description: one\n# description: two\n# param: country (entity, default: israel) A country.\n# param: n (integer) How many.\nSELECT * WHERE {}\n",
        )
        .unwrap();
        assert_eq!(doc.title.as_deref(), Some("T"));
        assert_eq!(doc.description.as_deref(), Some("one two"));
        assert_eq!(
            doc.params[0],
            Param {
                name: "country".into(),
                kind: ParamType::Entity,
                default: Some("israel".into()),
                description: "A country.".into()
            }
        );
        assert_eq!(doc.params[1].kind, ParamType::Integer);
        assert!(QueryDoc::parse("x", "x.rq", "# param: broken\nSELECT * {}").is_err());
    }

    #[test]
    fn every_canned_query_has_a_header_and_parses() {
        let all = canned();
        assert!(all.len() >= 8, "only {} canned queries", all.len());
        for doc in all {
            assert!(doc.title.is_some(), "{} has no title", doc.name);
            assert!(doc.description.is_some(), "{} has no description", doc.name);
            crate::query::parse(&doc).unwrap_or_else(|e| panic!("{}: {e}", doc.name));
        }
    }
}
