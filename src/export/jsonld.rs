//! JSON-LD, compacted with a `@context`: the prefixes of the vocabularies the quads use (the
//! same as Turtle's), and the base as `@base` so that the data's IRIs are written relative to it
//! (`article/ID`, `entity/ID`), as in Turtle. Written from the sorted keys, a node object per
//! subject (one per line), the named graphs as graph objects: the same quads give the same bytes.
//! Property names and types are compact IRIs (`nkg:modality`, `"@type": "nkg:Fact"`), never
//! relative ones (those would resolve against the vocabulary, not the base).

use super::canonical::Key;
use crate::error::{Cause, Error, Result};
use crate::vocab;
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::io::Write;

/// How IRIs are written: the prefixes declared, and the base.
struct Context {
    prefixes: Vec<(&'static str, &'static str)>,
    base: Option<String>,
}

impl Context {
    /// `iri` as a compact IRI, when a declared prefix covers it.
    fn compact(&self, iri: &str) -> Option<String> {
        self.prefixes
            .iter()
            .filter(|(_, ns)| iri.starts_with(ns))
            .max_by_key(|(_, ns)| ns.len())
            .map(|(p, ns)| (p, &iri[ns.len()..]))
            // `p://…` would read as an absolute IRI, and an empty local name as the prefix
            .filter(|(_, local)| !local.is_empty() && !local.starts_with("//"))
            .map(|(p, local)| format!("{p}:{local}"))
    }

    /// A property's or a type's name: compact, else the whole IRI.
    fn vocab(&self, iri: &str) -> String {
        self.compact(iri).unwrap_or_else(|| iri.to_string())
    }

    /// A node's `@id`: relative to the base, else compact, else the whole IRI.
    fn id(&self, iri: &str) -> String {
        if let Some(base) = &self.base
            && let Some(rest) = iri.strip_prefix(base.as_str())
            // a relative reference that reads as a compact IRI, a blank node or a network path
            // would not resolve against the base
            && !rest.is_empty()
            && !rest.contains(':')
            && !rest.starts_with('/')
            && !rest.starts_with('?')
            && !rest.starts_with('#')
        {
            return rest.to_string();
        }
        self.vocab(iri)
    }

    fn node(&self, node: &NamedOrBlankNode) -> String {
        match node {
            NamedOrBlankNode::NamedNode(n) => self.id(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => b.to_string(),
        }
    }

    fn value(&self, term: &Term) -> Value {
        match term {
            Term::NamedNode(n) => json!({ "@id": self.id(n.as_str()) }),
            Term::BlankNode(b) => json!({ "@id": b.to_string() }),
            Term::Literal(l) => {
                if let Some(language) = l.language() {
                    json!({ "@value": l.value(), "@language": language })
                } else if l.datatype().as_str() == vocab::xsd::STRING {
                    Value::String(l.value().to_string())
                } else {
                    json!({ "@value": l.value(), "@type": self.vocab(l.datatype().as_str()) })
                }
            }
        }
    }
}

/// The node object of a subject's quads (sorted: its types first, then by property).
fn node_object(context: &Context, quads: &[Quad]) -> Value {
    let mut object = Map::new();
    object.insert("@id".into(), Value::String(context.node(&quads[0].subject)));
    let mut types = Vec::new();
    let mut properties: Vec<(String, Vec<Value>)> = Vec::new();
    for q in quads {
        if q.predicate.as_str() == vocab::rdf::TYPE
            && let Term::NamedNode(t) = &q.object
        {
            types.push(Value::String(context.vocab(t.as_str())));
            continue;
        }
        let name = context.vocab(q.predicate.as_str());
        let value = context.value(&q.object);
        match properties.last_mut() {
            Some((last, values)) if *last == name => values.push(value),
            _ => properties.push((name, vec![value])),
        }
    }
    let one_or_all = |mut values: Vec<Value>| {
        if values.len() == 1 {
            values.remove(0)
        } else {
            Value::Array(values)
        }
    };
    if !types.is_empty() {
        object.insert("@type".into(), one_or_all(types));
    }
    for (name, values) in properties {
        object.insert(name, one_or_all(values));
    }
    Value::Object(object)
}

/// The body being written: which graph object is open, and whether a node was written in it
/// and at the top level (for the commas).
struct Body<'a> {
    context: &'a Context,
    out: &'a mut dyn Write,
    graph: Option<GraphName>,
    wrote_top: bool,
    wrote_in_graph: bool,
}

impl Body<'_> {
    fn write(&mut self, text: std::fmt::Arguments<'_>) -> Result<()> {
        self.out.write_fmt(text).map_err(|e| Error::Serialization {
            format: "jsonld".to_string(),
            source: Box::new(e),
        })
    }

    /// Writes the node object of one subject's quads (all in one graph).
    fn node(&mut self, quads: &[Quad]) -> Result<()> {
        let graph = &quads[0].graph_name;
        if self.graph.as_ref() != Some(graph) {
            self.close_graph()?;
            let id = match graph {
                GraphName::NamedNode(g) => Some(self.context.id(g.as_str())),
                GraphName::BlankNode(b) => Some(b.to_string()),
                GraphName::DefaultGraph => None,
            };
            if let Some(id) = id {
                let comma = if self.wrote_top { "," } else { "" };
                self.write(format_args!(
                    "{comma}\n    {{\"@id\": {}, \"@graph\": [",
                    Value::String(id)
                ))?;
                self.wrote_top = true;
                self.wrote_in_graph = false;
            }
            self.graph = Some(graph.clone());
        }
        let object = node_object(self.context, quads);
        if *graph == GraphName::DefaultGraph {
            let comma = if self.wrote_top { "," } else { "" };
            self.wrote_top = true;
            self.write(format_args!("{comma}\n    {object}"))
        } else {
            let comma = if self.wrote_in_graph { "," } else { "" };
            self.wrote_in_graph = true;
            self.write(format_args!("{comma}\n      {object}"))
        }
    }

    fn close_graph(&mut self) -> Result<()> {
        match self.graph.take() {
            Some(GraphName::NamedNode(_) | GraphName::BlankNode(_)) => {
                self.write(format_args!("\n    ]}}"))
            }
            _ => Ok(()),
        }
    }
}

/// Writes the quads of sorted `keys` as compacted JSON-LD, declaring
/// the prefixes of `namespaces` (indexes in [`vocab::PREFIXES`]) and `base`.
pub fn write(
    keys: impl Iterator<Item = std::io::Result<Key>>,
    namespaces: &BTreeSet<usize>,
    base: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let failed = |source: Cause| Error::Serialization {
        format: "jsonld".to_string(),
        source,
    };
    let context = Context {
        prefixes: namespaces.iter().map(|i| vocab::PREFIXES[*i]).collect(),
        base: base.map(str::to_string),
    };
    let mut header = Map::new();
    if let Some(base) = base {
        header.insert("@base".into(), Value::String(base.to_string()));
    }
    for (p, ns) in &context.prefixes {
        header.insert((*p).to_string(), Value::String((*ns).to_string()));
    }
    let mut body = Body {
        context: &context,
        out,
        graph: None,
        wrote_top: false,
        wrote_in_graph: false,
    };
    body.write(format_args!(
        "{{\n  \"@context\": {},\n  \"@graph\": [",
        Value::Object(header)
    ))?;
    let mut node: Vec<Quad> = Vec::new();
    for key in keys {
        let key = key.map_err(|e| failed(Box::new(e)))?;
        let q = super::serializer::quad_of(&key.record()).map_err(|e| failed(e.into()))?;
        if let Some(last) = node.first()
            && (last.subject != q.subject || last.graph_name != q.graph_name)
        {
            body.node(&node)?;
            node.clear();
        }
        node.push(q);
    }
    if !node.is_empty() {
        body.node(&node)?;
    }
    body.close_graph()?;
    body.write(format_args!("\n  ]\n}}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compacted JSON-LD of the seed reads back (with Oxigraph's JSON-LD parser) as the
    /// quads its N-Quads export holds.
    #[test]
    fn the_seed_reads_back_as_its_nquads() {
        use oxigraph::io::{RdfFormat, RdfParser};
        let graph = crate::testing::seed_graph();
        let base = graph.base().as_str().to_string();
        let export = |format| {
            let mut out = Vec::new();
            super::super::write_store(graph.store(), true, format, Some(&base), &mut out).unwrap();
            out
        };
        let jsonld = export(super::super::RdfOutput::JsonLd);
        let text = String::from_utf8(jsonld.clone()).unwrap();
        assert!(
            text.starts_with("{\n  \"@context\": {\"@base\":"),
            "{}",
            &text[..200]
        );
        assert!(text.contains("\"@type\":\"nkg:Fact\""));
        let parse = |bytes: &[u8], format| -> BTreeSet<String> {
            RdfParser::from_format(format)
                .for_slice(bytes)
                .map(|q| q.unwrap().to_string())
                .collect()
        };
        let read = parse(
            &jsonld,
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        );
        let nquads = parse(&export(super::super::RdfOutput::NQuads), RdfFormat::NQuads);
        assert!(nquads.len() > 6000);
        assert_eq!(read.len(), nquads.len());
        assert!(read == nquads, "not the same quads");
    }

    #[test]
    fn iris_are_compacted_or_made_relative_only_where_they_read_back() {
        let context = Context {
            prefixes: vec![
                ("nkg", vocab::NKG),
                ("xsd", "http://www.w3.org/2001/XMLSchema#"),
            ],
            base: Some("https://w3id.org/newskg/data/".into()),
        };
        assert_eq!(context.vocab(&format!("{}Fact", vocab::NKG)), "nkg:Fact");
        assert_eq!(context.vocab(vocab::NKG), vocab::NKG, "no empty local name");
        assert_eq!(
            context.id("https://w3id.org/newskg/data/entity/x"),
            "entity/x"
        );
        // a relative reference with a colon would read as a compact IRI
        assert_eq!(
            context.id("https://w3id.org/newskg/data/a:b"),
            "https://w3id.org/newskg/data/a:b"
        );
        assert_eq!(context.id("http://example.org/x"), "http://example.org/x");
    }
}
