//! What a request to the SPARQL endpoint asks, as the SPARQL 1.1 Protocol says a client asks it
//! (<https://www.w3.org/TR/sparql11-protocol/#query-operation>): a query by GET (`?query=`), by
//! POST of a form (`query=`) or by POST of the query itself (`application/sparql-query`); an
//! update (refused: the endpoint is read-only); or nothing, which asks for the service
//! description. Each protocol error is an [`HttpError`] with its status code.

use oxhttp::model::{Body, Method, Request, StatusCode, header};
use std::io::Read;

/// The longest request body read (a query or a form): 1 MiB.
pub const MAX_BODY: u64 = 1024 * 1024;

/// A request that cannot be answered as asked: its status code and what to tell the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub status: StatusCode,
    pub message: String,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
}

impl HttpError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            message: message.into(),
            allow: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> HttpError {
        HttpError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn method_not_allowed(method: &Method, allow: &'static str) -> HttpError {
        HttpError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            message: format!("{method} is not allowed here; use {allow}"),
            allow: Some(allow),
        }
    }
}

/// What a request to the endpoint asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// A query (its text), and the `format` parameter when given.
    Query {
        text: String,
        format: Option<String>,
    },
    /// The service description (a GET with no query).
    Description { format: Option<String> },
}

/// The message of a refused update.
pub const READ_ONLY: &str = "this endpoint is read-only: SPARQL updates are refused (newskg builds its graph from checked facts files: change a file and run `newskg build`)";

/// The `name=value` pairs of a URL's query string or a form, decoded (`+` is a space).
pub fn pairs(encoded: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The one value of `name` among `pairs`; given twice, a 400.
pub fn single<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, HttpError> {
    let mut values = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
    let first = values.next();
    if values.next().is_some() {
        return Err(HttpError::bad_request(format!(
            "`{name}` is given more than once; give it once"
        )));
    }
    Ok(first.map(String::as_str))
}

/// The media type of the request's `Content-Type`, lower case, without parameters.
fn content_type(request: &Request<Body>) -> Option<String> {
    let value = request.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

/// A request's body as UTF-8, at most [`MAX_BODY`] bytes.
pub fn body_text(request: &mut Request<Body>) -> Result<String, HttpError> {
    let mut bytes = Vec::new();
    request
        .body_mut()
        .take(MAX_BODY + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| HttpError::bad_request(format!("cannot read the request's body: {e}")))?;
    if bytes.len() as u64 > MAX_BODY {
        return Err(HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request's body is over {} MiB",
                MAX_BODY / (1024 * 1024)
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        HttpError::bad_request(format!(
            "the request's body is not UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Reads what a request to the SPARQL endpoint asks.
pub fn operation(request: &mut Request<Body>) -> Result<Operation, HttpError> {
    let url_pairs = pairs(request.uri().query().unwrap_or(""));
    let (query, mut params) = match *request.method() {
        Method::GET | Method::HEAD => {
            if single(&url_pairs, "update")?.is_some() {
                return Err(HttpError::new(StatusCode::FORBIDDEN, READ_ONLY));
            }
            (single(&url_pairs, "query")?.map(str::to_string), url_pairs)
        }
        Method::POST => match content_type(request).as_deref() {
            Some("application/x-www-form-urlencoded") => {
                let form = pairs(&body_text(request)?);
                if single(&form, "update")?.is_some() {
                    return Err(HttpError::new(StatusCode::FORBIDDEN, READ_ONLY));
                }
                let query = single(&form, "query")?.map(str::to_string);
                if query.is_none() {
                    return Err(HttpError::bad_request(
                        "the form has no `query`: POST query=… (URL-encoded)",
                    ));
                }
                let mut params = form;
                params.extend(url_pairs);
                (query, params)
            }
            Some("application/sparql-query") => (Some(body_text(request)?), url_pairs),
            Some("application/sparql-update") => {
                return Err(HttpError::new(StatusCode::FORBIDDEN, READ_ONLY));
            }
            Some(other) => {
                return Err(HttpError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!(
                        "a POST of `{other}` is not a SPARQL request: send application/sparql-query, or a form (application/x-www-form-urlencoded) with query=…"
                    ),
                ));
            }
            None => {
                return Err(HttpError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "a POST needs a Content-Type: application/sparql-query, or application/x-www-form-urlencoded with query=…",
                ));
            }
        },
        ref other => return Err(HttpError::method_not_allowed(other, "GET, POST")),
    };
    for name in ["default-graph-uri", "named-graph-uri"] {
        if params.iter().any(|(k, _)| k == name) {
            return Err(HttpError::bad_request(format!(
                "`{name}` is not supported: queries run over the union of all graphs (the default graph); name a graph in the query with GRAPH <…> {{ … }}"
            )));
        }
    }
    let format = single(&params, "format")?.map(str::to_string);
    params.retain(|(k, _)| k != "query" && k != "format");
    match query {
        Some(text) if text.trim().is_empty() => Err(HttpError::bad_request("the query is empty")),
        Some(text) => Ok(Operation::Query { text, format }),
        None => Ok(Operation::Description { format }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, uri: &str, content_type: Option<&str>, body: &str) -> Request<Body> {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            b = b.header(header::CONTENT_TYPE, ct);
        }
        b.body(Body::from(body.to_string())).unwrap()
    }

    fn query(text: &str) -> Operation {
        Operation::Query {
            text: text.into(),
            format: None,
        }
    }

    #[test]
    fn the_three_ways_to_send_a_query() {
        let q = "SELECT * WHERE { ?s ?p ?o } LIMIT 1";
        let get = format!(
            "http://localhost/sparql?query={}",
            form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        assert_eq!(
            operation(&mut request(Method::GET, &get, None, "")),
            Ok(query(q))
        );
        let form = format!(
            "query={}",
            form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        assert_eq!(
            operation(&mut request(
                Method::POST,
                "http://localhost/sparql",
                Some("application/x-www-form-urlencoded; charset=UTF-8"),
                &form
            )),
            Ok(query(q))
        );
        assert_eq!(
            operation(&mut request(
                Method::POST,
                "http://localhost/sparql?format=csv",
                Some("application/sparql-query"),
                q
            )),
            Ok(Operation::Query {
                text: q.into(),
                format: Some("csv".into())
            })
        );
        assert_eq!(
            operation(&mut request(
                Method::GET,
                "http://localhost/sparql",
                None,
                ""
            )),
            Ok(Operation::Description { format: None })
        );
    }

    #[test]
    fn protocol_errors_have_their_status() {
        let status = |r: &mut Request<Body>| operation(r).unwrap_err().status;
        assert_eq!(
            status(&mut request(
                Method::GET,
                "http://l/sparql?query=a&query=b",
                None,
                ""
            )),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(&mut request(
                Method::POST,
                "http://l/sparql",
                Some("application/sparql-update"),
                "CLEAR ALL"
            )),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status(&mut request(
                Method::POST,
                "http://l/sparql",
                Some("application/x-www-form-urlencoded"),
                "update=CLEAR+ALL"
            )),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status(&mut request(
                Method::POST,
                "http://l/sparql",
                Some("text/plain"),
                "x"
            )),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            status(&mut request(Method::DELETE, "http://l/sparql", None, "")),
            StatusCode::METHOD_NOT_ALLOWED
        );
        assert_eq!(
            status(&mut request(
                Method::GET,
                "http://l/sparql?query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fa",
                None,
                ""
            )),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(&mut request(
                Method::GET,
                "http://l/sparql?query=+",
                None,
                ""
            )),
            StatusCode::BAD_REQUEST
        );
        let big = "x".repeat(MAX_BODY as usize + 1);
        assert_eq!(
            status(&mut request(
                Method::POST,
                "http://l/sparql",
                Some("application/sparql-query"),
                &big
            )),
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }
}
