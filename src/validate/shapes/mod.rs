//! The graph against the SHACL shapes ([`ontology/shapes.ttl`](../../../ontology/shapes.ttl),
//! compiled in): takes RDF triples (a file's graphs, as one) and gives every violation of the
//! shapes, each with its focus node and path. pySHACL validates the same exports against the same
//! file in CI (`ci/reasoning_check.py`), and the two must agree.
//!
//! The shapes are read from their graph ([`read`]), not written here: the checker understands
//! the part of SHACL Core the file uses (`sh:targetClass`, `sh:property` with `sh:path` a
//! predicate or an `sh:alternativePath`, `sh:minCount`, `sh:maxCount`, `sh:class`,
//! `sh:datatype`, `sh:nodeKind sh:IRI`, `sh:pattern`, `sh:minInclusive`, `sh:lessThanOrEquals`,
//! `sh:hasValue`, `sh:node`, `sh:or`, `sh:xone`, `sh:not`, and `sh:message` for what a shape's
//! violations say), and any other SHACL term is an error.
//! The data are checked with the ontology's graph beside them, so that targets and `sh:class`
//! follow `rdfs:subClassOf` (a graph exported `--without-ontology` is checked as if with it).

mod eval;
mod read;

use crate::ontology::Ontology;
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNode, Term, Triple};
use std::sync::OnceLock;

/// The shapes' Turtle source, as compiled into the binary.
pub const SOURCE: &str = include_str!("../../../ontology/shapes.ttl");
/// Its path in the repository, for messages.
pub const PATH: &str = "ontology/shapes.ttl";

/// SHACL shapes, read from their graph.
#[derive(Debug, Default)]
pub struct Shapes {
    shapes: Vec<Shape>,
    /// each targeted shape and the class whose instances it targets, in the file's order
    targets: Vec<(ShapeId, NamedNode)>,
}

/// A shape's index in [`Shapes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShapeId(usize);

/// A node shape, or a property shape (with a path).
#[derive(Debug)]
struct Shape {
    /// the shape's node in the shapes graph (an IRI, or a blank node)
    node: Term,
    path: Option<Path>,
    constraints: Vec<Constraint>,
    /// `sh:message`: what its violations say, in place of the generic words.
    message: Option<String>,
}

#[derive(Debug, Clone)]
enum Path {
    Predicate(NamedNode),
    Alternative(Vec<NamedNode>),
}

#[derive(Debug)]
enum Constraint {
    MinCount(usize),
    MaxCount(usize),
    Class(NamedNode),
    Datatype(NamedNode),
    NodeKindIri,
    Pattern(regex::Regex),
    MinInclusive(Literal),
    LessThanOrEquals(NamedNode),
    HasValue(Term),
    Node(ShapeId),
    Property(ShapeId),
    Or(Vec<ShapeId>),
    Xone(Vec<ShapeId>),
    Not(ShapeId),
}

impl Constraint {
    /// The SHACL term of the constraint, for messages.
    fn term(&self) -> &'static str {
        match self {
            Constraint::MinCount(_) => "sh:minCount",
            Constraint::MaxCount(_) => "sh:maxCount",
            Constraint::Class(_) => "sh:class",
            Constraint::Datatype(_) => "sh:datatype",
            Constraint::NodeKindIri => "sh:nodeKind",
            Constraint::Pattern(_) => "sh:pattern",
            Constraint::MinInclusive(_) => "sh:minInclusive",
            Constraint::LessThanOrEquals(_) => "sh:lessThanOrEquals",
            Constraint::HasValue(_) => "sh:hasValue",
            Constraint::Node(_) => "sh:node",
            Constraint::Property(_) => "sh:property",
            Constraint::Or(_) => "sh:or",
            Constraint::Xone(_) => "sh:xone",
            Constraint::Not(_) => "sh:not",
        }
    }
}

/// One violation of the shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The node that violates a shape (a node the shapes target, or a value of one).
    pub focus: Term,
    /// The path of the property shape violated, as SPARQL writes it (`nkg:modality`,
    /// `nkg:becauseOf|nkg:partOf`); `None` for a constraint on the node itself.
    pub path: Option<String>,
    /// What is wrong, and how to put it right when that is plain.
    pub message: String,
}

impl Shapes {
    /// The shapes compiled into the binary.
    pub fn embedded() -> &'static Shapes {
        static SHAPES: OnceLock<Shapes> = OnceLock::new();
        SHAPES.get_or_init(|| {
            Shapes::parse(SOURCE).unwrap_or_else(|e| panic!("{PATH} is invalid: {e}"))
        })
    }

    /// Reads shapes from Turtle. A SHACL term the checker does not understand is an error.
    pub fn parse(turtle: &str) -> Result<Shapes, String> {
        let mut triples = Vec::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            triples.push(Triple::from(quad.map_err(|e| e.to_string())?));
        }
        read::shapes(triples)
    }

    /// Every violation of the shapes by `data` (with the `ontology`'s triples beside them), in
    /// the order of the shapes, then of the focus nodes' IRIs.
    pub fn validate(
        &self,
        data: impl IntoIterator<Item = Triple>,
        ontology: &Ontology,
    ) -> Vec<Violation> {
        let mut graph = oxigraph::model::Graph::new();
        for t in data {
            graph.insert(&t);
        }
        for q in ontology.quads() {
            graph.insert(&Triple::from(q));
        }
        eval::Data::new(&graph).violations(self)
    }
}

/// A term as messages show it: a vocabulary IRI with its prefix (`nkg:Fact`), another IRI in
/// full (`<https://…>`), a literal as Turtle writes it (`"June"`, `5`, `"x"@en`,
/// `"2020"^^xsd:gYear`).
pub fn compact(term: &Term) -> String {
    let prefixed = |iri: &str| {
        vocab::PREFIXES
            .iter()
            .chain(&[
                ("sh", read::SH),
                ("shapes", "https://w3id.org/newskg/shapes#"),
            ])
            .find_map(|(p, ns)| {
                iri.strip_prefix(ns)
                    .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    .map(|l| format!("{p}:{l}"))
            })
    };
    match term {
        Term::NamedNode(n) => prefixed(n.as_str()).unwrap_or_else(|| n.to_string()),
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => {
            let quoted = Literal::new_simple_literal(l.value()).to_string();
            if let Some(lang) = l.language() {
                return format!("{quoted}@{lang}");
            }
            match l.datatype().as_str() {
                vocab::xsd::STRING => quoted,
                INTEGER if l.value().bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                    l.value().to_string()
                }
                dt => format!(
                    "{quoted}^^{}",
                    prefixed(dt).unwrap_or_else(|| format!("<{dt}>"))
                ),
            }
        }
    }
}

const INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

#[cfg(test)]
mod tests;
