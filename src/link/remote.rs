//! A remote SPARQL endpoint (Wikidata's query service by default), reached through the SPARQL
//! 1.1 Protocol only when the user asks (`link --online`): label and alias lookups filtered by
//! type, with a timeout and clear errors when the endpoint is unreachable, slow or not SPARQL.

use crate::error::{Error, Result};
use crate::link::Candidate;
use crate::model::ValidEntity;
use crate::ontology::Ontology;
use crate::vocab;
use oxhttp::model::{Body, Method, Request};
use oxigraph::model::{Literal, Term};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

/// The public Wikidata query service.
pub const WIKIDATA: &str = "https://query.wikidata.org/sparql";

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: String,
    pub timeout: Duration,
}

impl Endpoint {
    pub fn new(url: &str, timeout: Duration) -> Result<Endpoint> {
        oxigraph::model::NamedNode::new(url)
            .map_err(|e| Error::Usage(format!("invalid endpoint URL `{url}`: {e}")))?;
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(Error::Usage(format!(
                "invalid endpoint URL `{url}`: use http:// or https://"
            )));
        }
        Ok(Endpoint {
            url: url.into(),
            timeout,
        })
    }

    fn fail(&self, what: impl Into<String>) -> Error {
        Error::Remote {
            url: self.url.clone(),
            what: what.into(),
            source: None,
        }
    }

    /// An error of the exchange with the endpoint, for `map_err`.
    fn failed<E>(&self, what: &str) -> impl FnOnce(E) -> Error + use<'_, E>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let what = what.to_string();
        move |e| Error::Remote {
            url: self.url.clone(),
            what,
            source: Some(Box::new(e)),
        }
    }

    /// Runs a SELECT query; returns each solution as variable → term.
    pub fn select(&self, query: &str) -> Result<Vec<BTreeMap<String, Term>>> {
        let body = format!("query={}", form_encode(query));
        let request = Request::builder()
            .method(Method::POST)
            .uri(&self.url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/sparql-results+json")
            .body(Body::from(body))
            .map_err(self.failed("cannot make the request"))?;
        let client = oxhttp::Client::new()
            .with_global_timeout(self.timeout)
            .with_redirection_limit(3)
            .with_user_agent(concat!("newskg/", env!("CARGO_PKG_VERSION")))
            .map_err(self.failed("cannot set up the HTTP client"))?;
        let response = client.request(request).map_err(|e| {
            if e.kind() == std::io::ErrorKind::TimedOut
                || e.kind() == std::io::ErrorKind::WouldBlock
            {
                self.fail(format!(
                    "no answer within {} s (--timeout to wait longer)",
                    self.timeout.as_secs()
                ))
            } else {
                self.failed("cannot reach the endpoint")(e)
            }
        })?;
        let status = response.status();
        let mut text = String::new();
        response
            .into_body()
            .read_to_string(&mut text)
            .map_err(self.failed("cannot read the answer"))?;
        if !status.is_success() {
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(self.fail(format!(
                "the endpoint answered HTTP {status}: {}",
                first.chars().take(200).collect::<String>()
            )));
        }
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(text.as_bytes())
            .map_err(|_| {
                self.fail("the answer is not SPARQL JSON results: is this a SPARQL endpoint?")
            })?;
        let ReaderQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(self.fail("the answer is a boolean, not solutions"));
        };
        let mut rows = Vec::new();
        for solution in solutions {
            let solution =
                solution.map_err(self.failed("the answer is not valid SPARQL JSON results"))?;
            rows.push(
                solution
                    .iter()
                    .map(|(v, t)| (v.as_str().to_string(), t.clone()))
                    .collect(),
            );
        }
        Ok(rows)
    }

    /// Items whose English label or alias is one of the entity's names, of the entity's type
    /// (`wdt:P31/wdt:P279*` of its class's Wikidata equivalent).
    pub fn candidates(&self, entity: &ValidEntity, ontology: &Ontology) -> Result<Vec<Candidate>> {
        let Some(class) = ontology.wikidata_class(&entity.class) else {
            return Ok(Vec::new());
        };
        let names: Vec<String> = std::iter::once(&entity.label)
            .chain(&entity.aliases)
            .map(|n| Literal::new_language_tagged_literal_unchecked(n, "en").to_string())
            .collect();
        // One branch per label property, each with its own VALUES: Virtuoso 7.2 answers nothing
        // to the shorter `VALUES … { label } UNION { altLabel }` form in some cases.
        let names = names.join(" ");
        let branch = |property: &str, how: &str| {
            format!(
                "{{ VALUES ?name {{ {names} }} ?item {property} ?name . ?item wdt:P31/wdt:P279* <{class}> . BIND(\"{how}\" AS ?how) }}"
            )
        };
        let query = format!(
            "PREFIX wdt: <{wdt}>\nPREFIX rdfs: <{rdfs}>\nPREFIX skos: <{skos}>\n\
             SELECT DISTINCT ?item ?name ?how ?label WHERE {{\n  {label}\n  UNION\n  {alias}\n  \
             OPTIONAL {{ ?item rdfs:label ?label . FILTER(LANG(?label) = \"en\") }}\n}}\nLIMIT 50",
            wdt = vocab::WDT,
            rdfs = vocab::RDFS,
            skos = vocab::SKOS,
            label = branch("rdfs:label", "label"),
            alias = branch("skos:altLabel", "alias"),
        );
        let mut best: BTreeMap<String, Candidate> = BTreeMap::new();
        for row in self.select(&query)? {
            let Some(Term::NamedNode(item)) = row.get("item") else {
                continue;
            };
            let Some(qid) = item.as_str().strip_prefix(vocab::WD) else {
                continue;
            };
            let name = match row.get("name") {
                Some(Term::Literal(l)) => l.value().to_string(),
                _ => continue,
            };
            let how = match row.get("how") {
                Some(Term::Literal(l)) => l.value().to_string(),
                _ => "label".into(),
            };
            let discount = if name == entity.label { 0.0 } else { 0.1 };
            let score: f64 = if how == "label" { 0.6 } else { 0.5 } - discount + 0.4;
            let label = match row.get("label") {
                Some(Term::Literal(l)) => l.value().to_string(),
                _ => name.clone(),
            };
            let candidate = Candidate {
                qid: qid.to_string(),
                label,
                class: class.strip_prefix(vocab::WD).unwrap_or(class).to_string(),
                score: (score * 100.0).round() / 100.0,
                reasons: vec![
                    format!("online {how} “{name}”"),
                    format!(
                        "type {} (wdt:P31/wdt:P279*)",
                        class.strip_prefix(vocab::WD).unwrap_or(class)
                    ),
                ],
                class_compatible: true,
                source: self.url.clone(),
            };
            match best.get(qid) {
                Some(c) if c.score >= candidate.score => {}
                _ => {
                    best.insert(qid.to_string(), candidate);
                }
            }
        }
        Ok(best.into_values().collect())
    }
}

/// application/x-www-form-urlencoded encoding of a value.
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding() {
        assert_eq!(form_encode("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn urls_are_checked() {
        assert!(Endpoint::new("not a url", Duration::from_secs(1)).is_err());
        assert!(Endpoint::new("ftp://example.org/sparql", Duration::from_secs(1)).is_err());
        assert!(Endpoint::new(WIKIDATA, Duration::from_secs(1)).is_ok());
    }
}
