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
        if format == RdfFormat::RdfXml {
            xml_safe(&q).map_err(|e| failed(e.into()))?;
        }
        writer.serialize_quad(&q).map_err(io)?;
    }
    writer.finish().map_err(io)?;
    Ok(())
}

/// Whether XML 1.0 can carry `c` at all (even as a character reference): not U+0000, the C0
/// controls but tab, line feed and carriage return, nor U+FFFE and U+FFFF.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Refuses a quad RDF/XML cannot write as well-formed XML, saying which character and where.
fn xml_safe(q: &Quad) -> std::result::Result<(), String> {
    let text = match &q.object {
        Term::Literal(l) => l.value(),
        Term::NamedNode(n) => n.as_str(),
        _ => "",
    };
    for (what, value) in [
        ("subject", q.subject.to_string()),
        ("object", text.to_string()),
    ] {
        if let Some(c) = value.chars().find(|&c| !xml_char(c)) {
            return Err(format!(
                "RDF/XML is XML 1.0, which cannot hold the character U+{:04X} (in the {what} of the triple {} {} …); export to Turtle, N-Triples or JSON-LD, or remove the character from the facts file",
                c as u32, q.subject, q.predicate
            ));
        }
    }
    Ok(())
}

/// The quad a record holds (its terms were written by oxrdf, so they parse back).
pub(super) fn quad_of(r: &Record) -> std::result::Result<Quad, String> {
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
