//! The canned queries over HTTP: `/queries` lists them (JSON: name, title, description, and
//! each parameter with its type and default), `/queries/NAME?PARAM=VALUE…` runs one, its
//! parameters bound as terms exactly as `--param` binds them, `limit=` and `offset=` asking for
//! a page (the whole answer's size in `X-Total-Count`), the format negotiated as for `/sparql`.

use super::protocol::{self, HttpError};
use super::{Answer, Endpoint, choose, client_error, ok};
use crate::query::library;
use crate::query::results::Page;
use oxhttp::model::{Body, Request};

/// The parameter names a canned query's URL keeps for itself.
const RESERVED: [&str; 3] = ["limit", "offset", "format"];

/// The list of canned queries, as JSON.
pub fn list(_request: &Request<Body>) -> Answer {
    let queries: Vec<serde_json::Value> = library::canned()
        .iter()
        .map(|doc| {
            let params: Vec<serde_json::Value> = doc
                .params
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name,
                        "type": p.kind.name(),
                        "default": p.default,
                        "description": p.description,
                        "values": p.kind.listing(),
                    })
                })
                .collect();
            serde_json::json!({
                "name": doc.name,
                "title": doc.title,
                "description": doc.description,
                "url": format!("/queries/{}", doc.name),
                "params": params,
            })
        })
        .collect();
    let body = serde_json::to_vec_pretty(&queries).expect("JSON of strings");
    Ok(ok(body, "application/json"))
}

/// Runs the canned query `name` with the request's parameters.
pub fn run(endpoint: &Endpoint, name: &str, request: &Request<Body>) -> Answer {
    let doc = library::find(name).map_err(client_error)?;
    let pairs = protocol::pairs(request.uri().query().unwrap_or(""));
    let number = |key: &str| -> Result<Option<usize>, HttpError> {
        protocol::single(&pairs, key)?
            .map(|v| {
                v.parse::<usize>().map_err(|_| {
                    HttpError::bad_request(format!("{key}=`{v}` is not a number of rows"))
                })
            })
            .transpose()
    };
    let offset = number("offset")?.unwrap_or(0);
    let limit = number("limit")?.filter(|&n| n > 0);
    let format = protocol::single(&pairs, "format")?.map(str::to_string);
    let params: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !RESERVED.contains(&k.as_str()))
        .cloned()
        .collect();
    for (key, _) in &params {
        if !doc.params.iter().any(|p| &p.name == key) {
            let declared: Vec<&str> = doc.params.iter().map(|p| p.name.as_str()).collect();
            return Err(HttpError::bad_request(format!(
                "`{name}` has no parameter `{key}`; it takes {}",
                if declared.is_empty() {
                    "none (and limit=, offset=, format=)".to_string()
                } else {
                    format!("{} (and limit=, offset=, format=)", declared.join(", "))
                }
            )));
        }
    }
    let kind = super::kind_of(&doc, endpoint.graph().base())?;
    let format = choose(request, kind, format.as_deref())?;
    let answer = endpoint.evaluate(&doc, &params, limit.map(|l| (offset, l)))?;
    let solutions = match &answer.outcome {
        crate::query::Outcome::Solutions { rows, .. } => rows.len(),
        _ => 0,
    };
    let total = answer.total.unwrap_or(solutions);
    // the rows the answer will hold
    let given = match (answer.total, limit) {
        (Some(_), _) => solutions,
        (None, Some(l)) => l.min(solutions.saturating_sub(offset)),
        (None, None) => solutions.saturating_sub(offset),
    };
    let is_solutions = matches!(answer.outcome, crate::query::Outcome::Solutions { .. });
    endpoint.refuse_large(&answer.outcome, is_solutions.then_some(given))?;
    let page = Page {
        offset,
        limit,
        total: answer.total,
    };
    let mut response = endpoint.respond(&answer.outcome, format, page)?;
    response
        .headers_mut()
        .insert("X-Total-Count", oxhttp::model::HeaderValue::from(total));
    Ok(response)
}
