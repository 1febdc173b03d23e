//! An article as the page shows it: `GET /articles/ID` gives its title, its text (as its facts
//! file pointed to it) and where each fact's quote is in that text, as JSON, so that every
//! quote can be shown highlighted in place.

use super::protocol::{self, HttpError};
use super::{Answer, ok};
use crate::export::dot::Selection;
use crate::store::KnowledgeGraph;
use crate::vocab::{self, dcterms, nkg, oa};
use oxhttp::model::StatusCode;
use oxhttp::model::{Body, Request};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use serde_json::{Value, json};

/// One fact of the article: its id, its modality and where its quote is (offsets in Unicode
/// code points, as the evidence's text position selector gives them; none when the text was
/// not known).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Placed {
    start: Option<u64>,
    end: Option<u64>,
    fact: String,
    modality: Option<String>,
    quote: Option<String>,
}

/// `/picture.svg` and `/picture.dot` (`kind`): the picture ([`crate::export::dot`]) of an
/// article (`?article=ID`) or of some facts (`?fact=ARTICLE/FACT`, repeated: a result's).
pub fn picture(graph: &KnowledgeGraph, request: &Request<Body>, kind: &str) -> Answer {
    let pairs = protocol::pairs(request.uri().query().unwrap_or(""));
    let article = protocol::single(&pairs, "article")?;
    let facts: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k == "fact")
        .map(|(_, v)| {
            v.split_once('/')
                .map(|(a, f)| (a.to_string(), f.to_string()))
                .ok_or_else(|| {
                    HttpError::bad_request(format!("fact=`{v}`: name a fact as ARTICLE/FACT"))
                })
        })
        .collect::<Result<_, _>>()?;
    let selection = match (article, facts.is_empty()) {
        (Some(id), true) => Selection::Article(id),
        (None, false) => Selection::Facts(&facts),
        _ => {
            return Err(HttpError::bad_request(
                "name an article (?article=ID) or some facts (?fact=ARTICLE/FACT, repeated), not both",
            ));
        }
    };
    let dot = crate::export::dot::picture(graph.store(), graph.base(), selection).map_err(|e| {
        let status = match e {
            crate::error::Error::Usage(_) => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        HttpError::new(status, crate::error::chain(&e))
    })?;
    if kind == "dot" {
        return Ok(ok(dot.into_bytes(), "text/vnd.graphviz; charset=utf-8"));
    }
    let svg = crate::export::svg::svg(&dot)
        .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    Ok(ok(svg.into_bytes(), "image/svg+xml"))
}

/// The article's IRI, or a 404 when the graph has no such article.
fn known(graph: &KnowledgeGraph, id: &str) -> Result<NamedNode, HttpError> {
    let article = NamedNode::new(graph.base().article(id).as_str())
        .ok()
        .filter(|_| !id.is_empty() && !id.contains('/'))
        .ok_or_else(|| not_found(id))?;
    let known = graph
        .store()
        .contains_named_graph(&article)
        .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    if known {
        Ok(article)
    } else {
        Err(not_found(id))
    }
}

/// `/articles/ID`: the article `id` of `graph` with its quotes, as JSON; a 404 when the graph
/// has no such article.
pub fn answer(graph: &KnowledgeGraph, id: &str) -> Answer {
    let failed = |e: crate::error::Error| {
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, crate::error::chain(&e))
    };
    let article = known(graph, id)?;
    let store = graph.store();
    let read = |e: oxigraph::store::StorageError| {
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    };
    let in_graph = Some(article.as_ref().into());
    // the objects of `subject`'s `predicate` in the article's graph
    let objects = |subject: &NamedOrBlankNode, predicate: &str| -> Result<Vec<Term>, HttpError> {
        store
            .quads_for_pattern(
                Some(subject.as_ref()),
                Some(NamedNodeRef::new_unchecked(predicate)),
                None,
                in_graph,
            )
            .map(|q| q.map(|q| q.object).map_err(read))
            .collect()
    };
    let first_number = |subject: &NamedOrBlankNode, predicate: &str| {
        objects(subject, predicate).map(|terms| {
            terms.iter().find_map(|t| match t {
                Term::Literal(l) => l.value().parse::<u64>().ok(),
                _ => None,
            })
        })
    };
    let text_of = |terms: Vec<Term>| {
        terms.into_iter().find_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        })
    };
    let mut placed = Vec::new();
    let facts = crate::export::dot::facts_of(store, &article)
        .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, crate::error::chain(&e)))?;
    for iri in facts {
        let fact = NamedOrBlankNode::NamedNode(iri.clone());
        let Some(fact_id) = iri
            .as_str()
            .rsplit_once("/fact/")
            .map(|(_, f)| f.to_string())
        else {
            continue;
        };
        let modality = objects(&fact, nkg::MODALITY_PROP)?
            .into_iter()
            .find_map(|t| match t {
                Term::NamedNode(m) => m.as_str().strip_prefix(vocab::NKG).map(str::to_string),
                _ => None,
            });
        let (mut start, mut end) = (None, None);
        for evidence in objects(&fact, nkg::EVIDENCE)? {
            let Ok(evidence) = NamedOrBlankNode::try_from(evidence) else {
                continue;
            };
            for selector in objects(&evidence, oa::HAS_SELECTOR)? {
                let Ok(selector) = NamedOrBlankNode::try_from(selector) else {
                    continue;
                };
                start = start.or(first_number(&selector, oa::START)?);
                end = end.or(first_number(&selector, oa::END)?);
            }
        }
        placed.push(Placed {
            start,
            end,
            fact: fact_id,
            modality,
            quote: text_of(objects(&fact, nkg::QUOTE)?),
        });
    }
    // in the order of the text; facts without a place last, by id
    placed.sort_by(|a, b| {
        (a.start.is_none(), a.start, a.end, &a.fact).cmp(&(
            b.start.is_none(),
            b.start,
            b.end,
            &b.fact,
        ))
    });
    let subject = NamedOrBlankNode::NamedNode(article.clone());
    let title = text_of(objects(&subject, dcterms::TITLE)?);
    let text = graph.article_text(&article).map_err(failed)?;
    let body = json!({
        "article": id,
        "title": title,
        "text": text,
        "facts": placed.iter().map(|p| json!({
            "fact": p.fact,
            "modality": p.modality,
            "start": p.start,
            "end": p.end,
            "quote": p.quote,
        })).collect::<Vec<Value>>(),
    });
    Ok(ok(
        body.to_string().into_bytes(),
        "application/json; charset=utf-8",
    ))
}

fn not_found(id: &str) -> HttpError {
    HttpError::new(
        StatusCode::NOT_FOUND,
        format!(
            "there is no article `{id}` here: /queries/articles lists the articles (their ids are in the `article` column)"
        ),
    )
}
