//! The library of canned queries (`queries/*.rq`, compiled into the binary) and the header
//! every query may have: its leading comment block gives a title, a description and typed
//! parameters (see [`super::params`]).
//!
//! ```sparql
//! # title: Parties to an agreement
//! # description: Every actor the article says is party to the agreement, with the evidence.
//! # param: agreement (entity, default: abraham-accords) The agreement's entity id.
//! ```

use super::params::{Param, ParamType};
use crate::error::{Diagnostic, Error, Result};
use crate::suggest;

include!(concat!(env!("OUT_DIR"), "/canned_queries.rs"));

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
    /// `# wrong-on: SERVER reason`: servers (by the start of their `Server` header) measured to
    /// answer this query wrongly, and how; `newskg query --endpoint` refuses to show their rows.
    pub wrong_on: Vec<(String, String)>,
    pub text: String,
}

impl QueryDoc {
    /// Whether this is one of the canned queries (not a file, inline SPARQL or standard input).
    pub fn is_canned(&self) -> bool {
        self.source == format!("queries/{}.rq", self.name)
            && CANNED.iter().any(|(n, _)| *n == self.name)
    }

    /// Reads the header of `text`; a malformed `# param:` line is an error.
    pub fn parse(name: &str, source: &str, text: &str) -> Result<QueryDoc> {
        let mut doc = QueryDoc {
            name: name.into(),
            source: source.into(),
            title: None,
            description: None,
            params: Vec::new(),
            wrong_on: Vec::new(),
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
            } else if let Some(w) = comment.strip_prefix("wrong-on:") {
                let (server, reason) = w.trim().split_once(' ').unwrap_or((w.trim(), ""));
                doc.wrong_on.push((server.into(), reason.trim().into()));
            } else if let Some(p) = comment.strip_prefix("param:") {
                let param = parse_param(p.trim()).ok_or_else(|| {
                    Error::Invalid(vec![Diagnostic {
                        file: source.into(),
                        line: i + 1,
                        column: 1,
                        message: format!(
                            "malformed parameter: write `# param: NAME (TYPE[, default: VALUE]) description`, TYPE one of {}",
                            ParamType::names().collect::<Vec<_>>().join(", ")
                        ),
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
            super::super::parse::parse(&doc).unwrap_or_else(|e| panic!("{}: {e}", doc.name));
        }
    }
}
