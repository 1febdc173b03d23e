//! What the endpoint says about itself: the web page at `/` (one HTML file with its script and
//! style, compiled into the binary: nothing is fetched from elsewhere) and the SPARQL service
//! description (<https://www.w3.org/TR/sparql11-service-description/>) a GET of `/sparql`
//! without a query gives.

use crate::export::FORMATS;
use crate::mapping::Base;
use oxhttp::model::{Body, Request, Response, header};
use oxigraph::model::{BlankNode, NamedNode, Triple};

const PAGE: &str = include_str!("index.html");

/// The page, with the prefixes its tables shorten IRIs with written in.
pub fn response(base: &Base) -> Response<Body> {
    let prefixes: serde_json::Map<String, serde_json::Value> = crate::query::prefixes(base)
        .into_iter()
        .map(|(p, ns)| (p, serde_json::Value::String(ns)))
        .collect();
    let json = serde_json::Value::Object(prefixes).to_string();
    // inside a <script>: `</` would end it
    let html = PAGE.replace("/*PREFIXES*/{}", &json.replace("</", "<\\/"));
    super::ok(html.into_bytes(), "text/html; charset=utf-8")
}

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS_NS: &str = "http://www.w3.org/ns/formats/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The W3C format IRIs (<https://www.w3.org/ns/formats/>) of the answers the endpoint gives.
fn format_iris() -> Vec<String> {
    let rdf = FORMATS.iter().map(|f| match f.format {
        crate::export::RdfOutput::Turtle => "Turtle",
        crate::export::RdfOutput::TriG => "TriG",
        crate::export::RdfOutput::NTriples => "N-Triples",
        crate::export::RdfOutput::NQuads => "N-Quads",
        crate::export::RdfOutput::RdfXml => "RDF_XML",
        crate::export::RdfOutput::JsonLd => "JSON-LD",
    });
    [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
    ]
    .into_iter()
    .chain(rdf)
    .map(|f| format!("{FORMATS_NS}{f}"))
    .collect()
}

/// The service description: the endpoint (its IRI from the request's `Host`), SPARQL 1.1
/// Query, the union default graph, the result formats.
pub fn service_description(request: &Request<Body>, base: &Base) -> Vec<Triple> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let sd = |local: &str| NamedNode::new_unchecked(format!("{SD}{local}"));
    let a = NamedNode::new_unchecked(RDF_TYPE);
    let service = NamedNode::new(format!("http://{host}/sparql"))
        .unwrap_or_else(|_| NamedNode::new_unchecked("http://localhost/sparql"));
    let dataset = BlankNode::new_unchecked("dataset");
    let default_graph = BlankNode::new_unchecked("default");
    let mut triples = vec![
        Triple::new(service.clone(), a.clone(), sd("Service")),
        Triple::new(service.clone(), sd("endpoint"), service.clone()),
        Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        Triple::new(service.clone(), sd("feature"), sd("UnionDefaultGraph")),
        Triple::new(service.clone(), sd("defaultDataset"), dataset.clone()),
        Triple::new(dataset.clone(), a.clone(), sd("Dataset")),
        Triple::new(dataset.clone(), sd("defaultGraph"), default_graph.clone()),
        Triple::new(default_graph, a, sd("Graph")),
        Triple::new(
            dataset,
            NamedNode::new_unchecked("http://rdfs.org/ns/void#uriSpace"),
            oxigraph::model::Literal::new_simple_literal(base.as_str()),
        ),
    ];
    for iri in format_iris() {
        triples.push(Triple::new(
            service.clone(),
            sd("resultFormat"),
            NamedNode::new_unchecked(iri),
        ));
    }
    triples
}
