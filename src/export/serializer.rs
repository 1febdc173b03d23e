//! The formats Oxigraph's serializers write (RDF/XML, JSON-LD): sorted keys read back into quads
//! and handed to the serializer, with the prefixes of the namespaces the quads use.

use super::canonical::{Key, Record};
use crate::error::{Cause, Error, Result};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::BTreeSet;
use std::io::Write;
use std::str::FromStr;

/// Writes sorted keys in `format` (named `name` in messages), declaring the prefixes of
/// `namespaces` (indexes in [`vocab::PREFIXES`]).
pub fn write(
    keys: impl Iterator<Item = std::io::Result<Key>>,
    format: RdfFormat,
    name: &str,
    namespaces: &BTreeSet<usize>,
    out: &mut dyn Write,
) -> Result<()> {
    let failed = |source: Cause| Error::Serialization {
        format: name.to_string(),
        source,
    };
    let io = |e: std::io::Error| failed(Box::new(e));
    let mut serializer = RdfSerializer::from_format(format);
    for i in namespaces {
        let (prefix, ns) = vocab::PREFIXES[*i];
        serializer = serializer
            .with_prefix(prefix, ns)
            .map_err(|e| failed(Box::new(e)))?;
    }
    let mut writer = serializer.for_writer(out);
    for key in keys {
        let q = quad_of(&key.map_err(io)?.record()).map_err(|e| failed(e.into()))?;
        writer.serialize_quad(&q).map_err(io)?;
    }
    writer.finish().map_err(io)?;
    Ok(())
}

/// The quad a record holds (its terms were written by oxrdf, so they parse back).
fn quad_of(r: &Record) -> std::result::Result<Quad, String> {
    let subject = match Term::from_str(&r.subject).map_err(|e| e.to_string())? {
        Term::NamedNode(n) => NamedOrBlankNode::from(n),
        Term::BlankNode(b) => NamedOrBlankNode::from(b),
        other => return Err(format!("{other} cannot be a subject")),
    };
    let predicate = NamedNode::from_str(&r.predicate).map_err(|e| e.to_string())?;
    let object = Term::from_str(&r.object).map_err(|e| e.to_string())?;
    let graph = match r.graph.as_str() {
        "" => GraphName::DefaultGraph,
        g => match Term::from_str(g).map_err(|e| e.to_string())? {
            Term::NamedNode(n) => GraphName::from(n),
            Term::BlankNode(b) => GraphName::from(b),
            other => return Err(format!("{other} cannot name a graph")),
        },
    };
    Ok(Quad::new(subject, predicate, object, graph))
}
