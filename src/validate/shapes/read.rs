//! Reading SHACL shapes from their graph: every shape the graph declares (a node with
//! `sh:targetClass`, or typed `sh:NodeShape` or `sh:PropertyShape`) and every shape they point
//! to, with their constraints, in the order the file writes them. Only the part of SHACL Core
//! that `ontology/shapes.ttl` uses is understood; any other SHACL term is an error, so that a
//! shape is never silently ignored.

use super::{Constraint, Path, Shape, ShapeId, Shapes, compact};
use crate::vocab::rdf;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::HashMap;

/// The SHACL namespace.
pub(super) const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";

/// The SHACL predicates understood.
const PREDICATES: &[&str] = &[
    "targetClass",
    "property",
    "path",
    "alternativePath",
    "minCount",
    "maxCount",
    "class",
    "datatype",
    "nodeKind",
    "pattern",
    "minInclusive",
    "lessThanOrEquals",
    "hasValue",
    "node",
    "or",
    "xone",
    "not",
    "message",
];

/// The SHACL terms understood as objects.
const OBJECTS: &[&str] = &["NodeShape", "PropertyShape", "IRI"];

/// The shapes graph, indexed by subject, in the order of the file.
struct ShapesGraph {
    triples: Vec<Triple>,
    by_subject: HashMap<NamedOrBlankNode, Vec<usize>>,
}

impl ShapesGraph {
    fn about(&self, node: &NamedOrBlankNode) -> impl Iterator<Item = &Triple> {
        self.by_subject
            .get(node)
            .into_iter()
            .flatten()
            .map(|&i| &self.triples[i])
    }

    /// The one value of `predicate` on `node`.
    fn value(&self, node: &NamedOrBlankNode, predicate: &str) -> Result<Option<&Term>, String> {
        let mut values = self
            .about(node)
            .filter(|t| t.predicate.as_str() == predicate)
            .map(|t| &t.object);
        let first = values.next();
        if values.next().is_some() {
            return Err(format!(
                "{} has two values of {}",
                compact(&node.clone().into()),
                compact_iri(predicate)
            ));
        }
        Ok(first)
    }

    /// The members of the RDF list `head`.
    fn list(&self, head: &Term) -> Result<Vec<Term>, String> {
        let mut members = Vec::new();
        let mut node = head.clone();
        loop {
            let cell = match &node {
                Term::NamedNode(n) if n.as_str() == RDF_NIL => return Ok(members),
                Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
                Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
                Term::Literal(_) => return Err(format!("{} is not a list", compact(head))),
            };
            let (Some(first), Some(rest)) =
                (self.value(&cell, RDF_FIRST)?, self.value(&cell, RDF_REST)?)
            else {
                return Err(format!("{} is not a well-formed list", compact(head)));
            };
            members.push(first.clone());
            if members.len() > self.triples.len() {
                return Err(format!("{} is a circular list", compact(head)));
            }
            node = rest.clone();
        }
    }
}

fn compact_iri(iri: &str) -> String {
    compact(&NamedNode::new_unchecked(iri).into())
}

/// Reads the shapes of a graph.
pub(super) fn shapes(triples: Vec<Triple>) -> Result<Shapes, String> {
    for t in &triples {
        if let Some(local) = t.predicate.as_str().strip_prefix(SH)
            && !PREDICATES.contains(&local)
        {
            return Err(format!(
                "unsupported SHACL term sh:{local} (on {}); newskg's checker understands only sh:{}",
                compact(&t.subject.clone().into()),
                PREDICATES.join(", sh:")
            ));
        }
        if let Term::NamedNode(o) = &t.object
            && let Some(local) = o.as_str().strip_prefix(SH)
            && !OBJECTS.contains(&local)
        {
            return Err(format!(
                "unsupported SHACL term sh:{local} (the value of {} on {}); newskg's checker understands only sh:{}",
                compact_iri(t.predicate.as_str()),
                compact(&t.subject.clone().into()),
                OBJECTS.join(", sh:")
            ));
        }
    }
    let mut by_subject: HashMap<NamedOrBlankNode, Vec<usize>> = HashMap::new();
    for (i, t) in triples.iter().enumerate() {
        by_subject.entry(t.subject.clone()).or_default().push(i);
    }
    let graph = ShapesGraph {
        triples,
        by_subject,
    };
    let mut reader = Reader {
        graph: &graph,
        shapes: Shapes::default(),
        ids: HashMap::new(),
        reading: Vec::new(),
    };
    let declared = |t: &Triple| {
        t.predicate.as_str() == format!("{SH}targetClass")
            || (t.predicate.as_str() == rdf::TYPE
                && matches!(&t.object, Term::NamedNode(o)
                    if o.as_str().strip_prefix(SH).is_some_and(|l| l.ends_with("Shape"))))
    };
    let roots: Vec<NamedOrBlankNode> = graph
        .triples
        .iter()
        .filter(|t| declared(t))
        .map(|t| t.subject.clone())
        .collect();
    for root in roots {
        let id = reader.shape(&root.clone().into())?;
        for t in graph.about(&root) {
            if t.predicate.as_str() == format!("{SH}targetClass") {
                let Term::NamedNode(class) = &t.object else {
                    return Err(format!(
                        "the sh:targetClass of {} is not a class IRI",
                        compact(&root.clone().into())
                    ));
                };
                if !reader.shapes.targets.contains(&(id, class.clone())) {
                    reader.shapes.targets.push((id, class.clone()));
                }
            }
        }
    }
    Ok(reader.shapes)
}

struct Reader<'g> {
    graph: &'g ShapesGraph,
    shapes: Shapes,
    ids: HashMap<Term, ShapeId>,
    /// the shapes being read, to refuse a shape that refers to itself
    reading: Vec<Term>,
}

impl Reader<'_> {
    /// The shape at `node`, read once.
    fn shape(&mut self, node: &Term) -> Result<ShapeId, String> {
        if let Some(&id) = self.ids.get(node) {
            return Ok(id);
        }
        if self.reading.contains(node) {
            return Err(format!(
                "the shape {} refers to itself; recursive shapes are not supported",
                compact(node)
            ));
        }
        let subject = match node {
            Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
            Term::Literal(_) => return Err(format!("{} is a literal, not a shape", compact(node))),
        };
        self.reading.push(node.clone());
        let mut shape = Shape {
            node: node.clone(),
            path: None,
            constraints: Vec::new(),
            message: None,
        };
        let graph = self.graph;
        for t in graph.about(&subject) {
            let Some(local) = t.predicate.as_str().strip_prefix(SH) else {
                // rdf:type, comments, labels: nothing to check
                continue;
            };
            let o = &t.object;
            let iri = || match o {
                Term::NamedNode(n) => Ok(n.clone()),
                _ => Err(format!(
                    "the sh:{local} of {} must be an IRI",
                    compact(node)
                )),
            };
            let count = || match o {
                Term::Literal(l) => l
                    .value()
                    .parse::<usize>()
                    .map_err(|_| format!("the sh:{local} of {} is not a count", compact(node))),
                _ => Err(format!(
                    "the sh:{local} of {} is not a count",
                    compact(node)
                )),
            };
            let constraint = match local {
                "targetClass" => continue,
                "message" => {
                    let Term::Literal(l) = o else {
                        return Err(format!("the sh:message of {} must be text", compact(node)));
                    };
                    shape.message = Some(l.value().to_string());
                    continue;
                }
                "path" => {
                    shape.path = Some(self.path(o)?);
                    continue;
                }
                "alternativePath" => {
                    return Err(format!(
                        "sh:alternativePath on {}: it belongs in the node an sh:path points to",
                        compact(node)
                    ));
                }
                "minCount" => Constraint::MinCount(count()?),
                "maxCount" => Constraint::MaxCount(count()?),
                "class" => Constraint::Class(iri()?),
                "datatype" => Constraint::Datatype(iri()?),
                "nodeKind" => Constraint::NodeKindIri,
                "pattern" => {
                    let Term::Literal(l) = o else {
                        return Err(format!(
                            "the sh:pattern of {} is not a string",
                            compact(node)
                        ));
                    };
                    let re = regex::Regex::new(l.value()).map_err(|e| {
                        format!(
                            "the sh:pattern of {} is not a valid regex: {e}",
                            compact(node)
                        )
                    })?;
                    Constraint::Pattern(re)
                }
                "minInclusive" => match o {
                    Term::Literal(l) => Constraint::MinInclusive(l.clone()),
                    _ => {
                        return Err(format!(
                            "the sh:minInclusive of {} is not a literal",
                            compact(node)
                        ));
                    }
                },
                "lessThanOrEquals" => Constraint::LessThanOrEquals(iri()?),
                "hasValue" => Constraint::HasValue(o.clone()),
                "node" => Constraint::Node(self.shape(o)?),
                "property" => Constraint::Property(self.shape(o)?),
                "not" => Constraint::Not(self.shape(o)?),
                "or" | "xone" => {
                    let mut members = Vec::new();
                    for m in graph.list(o)? {
                        members.push(self.shape(&m)?);
                    }
                    if local == "or" {
                        Constraint::Or(members)
                    } else {
                        Constraint::Xone(members)
                    }
                }
                _ => unreachable!("checked against PREDICATES"),
            };
            shape.constraints.push(constraint);
        }
        if shape.path.is_none()
            && let Some(c) = shape.constraints.iter().find(|c| {
                matches!(
                    c,
                    Constraint::MinCount(_)
                        | Constraint::MaxCount(_)
                        | Constraint::LessThanOrEquals(_)
                )
            })
        {
            return Err(format!(
                "{} has {} but no sh:path; it belongs in a property shape",
                compact(node),
                c.term()
            ));
        }
        self.reading.pop();
        let id = ShapeId(self.shapes.shapes.len());
        self.shapes.shapes.push(shape);
        self.ids.insert(node.clone(), id);
        Ok(id)
    }

    /// A path: a predicate, or an `sh:alternativePath` of predicates.
    fn path(&self, node: &Term) -> Result<Path, String> {
        match node {
            Term::NamedNode(p) => Ok(Path::Predicate(p.clone())),
            Term::BlankNode(b) => {
                let subject = NamedOrBlankNode::from(b.clone());
                let triples: Vec<&Triple> = self.graph.about(&subject).collect();
                let alternative = format!("{SH}alternativePath");
                match triples.as_slice() {
                    [t] if t.predicate.as_str() == alternative => {
                        let mut predicates = Vec::new();
                        for m in self.graph.list(&t.object)? {
                            let Term::NamedNode(p) = m else {
                                return Err(format!(
                                    "an sh:alternativePath holds {}: only predicates are supported",
                                    compact(&m)
                                ));
                            };
                            predicates.push(p);
                        }
                        Ok(Path::Alternative(predicates))
                    }
                    _ => Err(format!(
                        "unsupported path {}: newskg's checker understands a predicate or an sh:alternativePath of predicates",
                        compact(node)
                    )),
                }
            }
            Term::Literal(_) => Err(format!("a path cannot be the literal {}", compact(node))),
        }
    }
}
