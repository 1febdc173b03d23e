//! Validating a graph against shapes read by [`super::read`]: the focus nodes of each targeted
//! shape (the instances of its class, through `rdfs:subClassOf*`), the values of each property
//! shape's path, and each constraint on them, as SHACL Core defines it.

use super::{Constraint, Path, Shape, ShapeId, Shapes, Violation, compact};
use crate::vocab::{rdf, rdfs};
use oxigraph::model::{Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term};
use oxsdatatypes::{Boolean, Date, DateTime, Decimal, Double, Float, GYear, GYearMonth, Integer};
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
const LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// The data graph, with each class's super-classes.
pub(super) struct Data<'g> {
    graph: &'g Graph,
    /// class → itself and every class above it (rdfs:subClassOf*)
    ancestors: HashMap<Term, HashSet<Term>>,
}

fn as_subject(term: &Term) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        Term::NamedNode(n) => Some(n.as_ref().into()),
        Term::BlankNode(b) => Some(b.as_ref().into()),
        Term::Literal(_) => None,
    }
}

/// "1 value", "2 values".
fn n_values(n: usize) -> String {
    if n == 1 {
        String::from("1 value")
    } else {
        format!("{n} values")
    }
}

/// How SPARQL writes a path.
fn label(path: &Path) -> String {
    match path {
        Path::Predicate(p) => compact(&p.clone().into()),
        Path::Alternative(ps) => ps
            .iter()
            .map(|p| compact(&p.clone().into()))
            .collect::<Vec<_>>()
            .join("|"),
    }
}

impl<'g> Data<'g> {
    pub(super) fn new(graph: &'g Graph) -> Data<'g> {
        let sub_class_of = NamedNodeRef::new_unchecked(rdfs::SUB_CLASS_OF);
        let mut parents: HashMap<Term, Vec<Term>> = HashMap::new();
        for t in graph.triples_for_predicate(sub_class_of) {
            parents
                .entry(t.subject.into_owned().into())
                .or_default()
                .push(t.object.into_owned());
        }
        let mut classes: HashSet<Term> = parents.keys().cloned().collect();
        classes.extend(
            graph
                .triples_for_predicate(NamedNodeRef::new_unchecked(rdf::TYPE))
                .map(|t| t.object.into_owned()),
        );
        let mut ancestors = HashMap::new();
        for class in classes {
            let mut seen = HashSet::new();
            let mut stack = vec![class.clone()];
            while let Some(c) = stack.pop() {
                if let Some(ps) = parents.get(&c) {
                    stack.extend(ps.iter().filter(|p| !seen.contains(*p)).cloned());
                }
                seen.insert(c);
            }
            ancestors.insert(class, seen);
        }
        Data { graph, ancestors }
    }

    /// The types of a node (its rdf:type values).
    fn types(&self, node: &Term) -> Vec<Term> {
        let Some(s) = as_subject(node) else {
            return Vec::new();
        };
        self.graph
            .objects_for_subject_predicate(s, NamedNodeRef::new_unchecked(rdf::TYPE))
            .map(|t| t.into_owned())
            .collect()
    }

    /// Whether `node` is a SHACL instance of `class`: one of its types is `class` or below it.
    fn is_instance(&self, node: &Term, class: &NamedNode) -> bool {
        let class = Term::from(class.clone());
        self.types(node)
            .iter()
            .any(|t| self.ancestors.get(t).is_some_and(|a| a.contains(&class)))
    }

    /// The values of `path` on `focus`, each once, in a stable order.
    fn values(&self, focus: &Term, path: &Path) -> Vec<Term> {
        let Some(s) = as_subject(focus) else {
            return Vec::new();
        };
        let predicates: Vec<&NamedNode> = match path {
            Path::Predicate(p) => vec![p],
            Path::Alternative(ps) => ps.iter().collect(),
        };
        let mut found: Vec<Term> = Vec::new();
        for p in predicates {
            for o in self.graph.objects_for_subject_predicate(s, p) {
                let o = o.into_owned();
                if !found.contains(&o) {
                    found.push(o);
                }
            }
        }
        found.sort_by_key(|t| t.to_string());
        found
    }

    /// Every violation of every targeted shape.
    pub(super) fn violations(&self, shapes: &Shapes) -> Vec<Violation> {
        let mut out = Vec::new();
        for (id, class) in &shapes.targets {
            let class_term = Term::from(class.clone());
            let mut foci: BTreeSet<String> = BTreeSet::new();
            let mut nodes = Vec::new();
            for t in self
                .graph
                .triples_for_predicate(NamedNodeRef::new_unchecked(rdf::TYPE))
            {
                let object = t.object.into_owned();
                if self
                    .ancestors
                    .get(&object)
                    .is_some_and(|a| a.contains(&class_term))
                {
                    let subject: Term = t.subject.into_owned().into();
                    if foci.insert(subject.to_string()) {
                        nodes.push(subject);
                    }
                }
            }
            nodes.sort_by_key(|n| n.to_string());
            for focus in &nodes {
                self.check(shapes, *id, focus, &mut out);
            }
        }
        out
    }

    fn conforms(&self, shapes: &Shapes, id: ShapeId, node: &Term) -> bool {
        let mut found = Vec::new();
        self.check(shapes, id, node, &mut found);
        found.is_empty()
    }

    /// The violations of one shape by one focus node.
    fn check(&self, shapes: &Shapes, id: ShapeId, focus: &Term, out: &mut Vec<Violation>) {
        let shape: &Shape = &shapes.shapes[id.0];
        let (values, path) = match &shape.path {
            Some(p) => (self.values(focus, p), Some(label(p))),
            None => (vec![focus.clone()], None),
        };
        let itself = shape.path.is_none();
        let say = |message: String, out: &mut Vec<Violation>| {
            out.push(Violation {
                focus: focus.clone(),
                path: path.clone(),
                message: shape.message.clone().unwrap_or(message),
            })
        };
        for c in &shape.constraints {
            match c {
                Constraint::MinCount(n) if values.len() < *n => {
                    let message = if values.is_empty() {
                        format!("no value, and at least {} needed", n_values(*n))
                    } else {
                        format!("{}, and at least {} needed", n_values(values.len()), *n)
                    };
                    say(message, out);
                }
                Constraint::MaxCount(n) if values.len() > *n => {
                    let listed: Vec<String> = values.iter().map(compact).collect();
                    say(
                        format!(
                            "{} ({}), and at most {} allowed: keep {}",
                            n_values(values.len()),
                            listed.join(", "),
                            *n,
                            if *n == 1 { "one" } else { "fewer" }
                        ),
                        out,
                    );
                }
                Constraint::MinCount(_) | Constraint::MaxCount(_) => {}
                Constraint::HasValue(v) => {
                    if !values.contains(v) {
                        let message = if itself {
                            format!("it is not {}", compact(v))
                        } else {
                            format!("none of its values is {}", compact(v))
                        };
                        say(message, out);
                    }
                }
                Constraint::LessThanOrEquals(p) => {
                    let others = self.values(focus, &Path::Predicate(p.clone()));
                    for v in &values {
                        for o in &others {
                            if !matches!(compare(v, o), Some(Ordering::Less | Ordering::Equal)) {
                                say(
                                    format!(
                                        "{} is not at most its {} {}",
                                        compact(v),
                                        compact(&p.clone().into()),
                                        compact(o)
                                    ),
                                    out,
                                );
                            }
                        }
                    }
                }
                Constraint::Property(p) => {
                    for v in &values {
                        self.check(shapes, *p, v, out);
                    }
                }
                _ => {
                    for v in &values {
                        if let Some(message) = self.value_problem(shapes, c, v, itself) {
                            say(message, out);
                        }
                    }
                }
            }
        }
    }

    /// What is wrong with one value node under a constraint that looks at each value alone.
    fn value_problem(
        &self,
        shapes: &Shapes,
        c: &Constraint,
        v: &Term,
        itself: bool,
    ) -> Option<String> {
        let who = if itself {
            String::from("it")
        } else {
            compact(v)
        };
        match c {
            Constraint::Class(class) => {
                if self.is_instance(v, class) {
                    return None;
                }
                let class = compact(&class.clone().into());
                let types: Vec<String> = self.types(v).iter().map(compact).collect();
                Some(match (v, types.as_slice()) {
                    (Term::Literal(_), _) => {
                        format!("{who} is a literal, not a node of class {class}")
                    }
                    (_, []) => format!("{who} is not of class {class} (it has no rdf:type)"),
                    (_, types) => format!(
                        "{who} is not of class {class} (its types: {})",
                        types.join(", ")
                    ),
                })
            }
            Constraint::Datatype(datatype) => {
                let name = compact(&datatype.clone().into());
                match v {
                    Term::Literal(l) if l.datatype() == datatype.as_ref() => {
                        (!well_formed(l)).then(|| format!("{who} is not a valid {name}"))
                    }
                    Term::Literal(l) => Some(format!(
                        "{who} is of datatype {}, not {name}",
                        compact(&l.datatype().into_owned().into())
                    )),
                    _ => Some(format!("{who} is not a literal (of datatype {name})")),
                }
            }
            Constraint::NodeKindIri => {
                (!matches!(v, Term::NamedNode(_))).then(|| format!("{who} is not an IRI"))
            }
            Constraint::Pattern(re) => {
                let text = match v {
                    Term::NamedNode(n) => Some(n.as_str()),
                    Term::Literal(l) => Some(l.value()),
                    Term::BlankNode(_) => None,
                };
                (!text.is_some_and(|t| re.is_match(t)))
                    .then(|| format!("{who} does not match the pattern `{}`", re.as_str()))
            }
            Constraint::MinInclusive(min) => {
                let min = Term::from(min.clone());
                match compare(v, &min) {
                    Some(Ordering::Greater | Ordering::Equal) => None,
                    Some(Ordering::Less) => Some(format!("{who} is less than {}", compact(&min))),
                    None => Some(format!("{who} cannot be compared with {}", compact(&min))),
                }
            }
            Constraint::Node(s) => {
                let mut found = Vec::new();
                self.check(shapes, *s, v, &mut found);
                (!found.is_empty()).then(|| {
                    format!(
                        "{} does not conform to {}: {}",
                        compact(v),
                        describe(shapes, *s),
                        reasons(&found)
                    )
                })
            }
            Constraint::Or(members) => {
                if members.iter().any(|m| self.conforms(shapes, *m, v)) {
                    return None;
                }
                Some(format!(
                    "{who} satisfies none of: {}; make one hold",
                    bracketed(shapes, members).join(", ")
                ))
            }
            Constraint::Xone(members) => {
                let holding: Vec<ShapeId> = members
                    .iter()
                    .copied()
                    .filter(|m| self.conforms(shapes, *m, v))
                    .collect();
                match holding.len() {
                    1 => None,
                    0 => {
                        // the alternative that fails the least, and why
                        let closest = members
                            .iter()
                            .map(|m| {
                                let mut found = Vec::new();
                                self.check(shapes, *m, v, &mut found);
                                found
                            })
                            .min_by_key(Vec::len)
                            .unwrap_or_default();
                        Some(format!(
                            "{who} satisfies none of the {} alternatives of its sh:xone, and exactly one must hold; the closest fails: {}",
                            members.len(),
                            reasons(&closest)
                        ))
                    }
                    n => {
                        let held: Vec<String> = holding.iter().map(|m| short(shapes, *m)).collect();
                        Some(format!(
                            "{who} satisfies {n} of the alternatives of its sh:xone, and exactly one may hold: {}; keep one",
                            held.join(" and ")
                        ))
                    }
                }
            }
            Constraint::Not(s) => self
                .conforms(shapes, *s, v)
                .then(|| format!("{who} must not be {}", describe(shapes, *s))),
            Constraint::MinCount(_)
            | Constraint::MaxCount(_)
            | Constraint::HasValue(_)
            | Constraint::LessThanOrEquals(_)
            | Constraint::Property(_) => None,
        }
    }
}

/// Violations found inside another shape, as one clause.
fn reasons(found: &[Violation]) -> String {
    found
        .iter()
        .map(|v| match &v.path {
            Some(p) => format!("{p}: {}", v.message),
            None => v.message.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn bracketed(shapes: &Shapes, members: &[ShapeId]) -> Vec<String> {
    members
        .iter()
        .map(|m| format!("[{}]", describe(shapes, *m)))
        .collect()
}

/// A shape in fewer words: its name, or the paths it constrains (`the one on nkg:p, nkg:q`).
fn short(shapes: &Shapes, id: ShapeId) -> String {
    let shape = &shapes.shapes[id.0];
    let mut paths: Vec<String> = shape.path.iter().map(label).collect();
    for c in &shape.constraints {
        if let Constraint::Property(p) = c
            && let Some(path) = &shapes.shapes[p.0].path
        {
            paths.push(label(path));
        }
    }
    match (&shape.node, paths.is_empty()) {
        (Term::NamedNode(_), _) | (_, true) => format!("[{}]", describe(shapes, id)),
        _ => format!("the one on {}", paths.join(", ")),
    }
}

/// A shape in a few words: its name, or what it requires.
fn describe(shapes: &Shapes, id: ShapeId) -> String {
    let shape = &shapes.shapes[id.0];
    if let Term::NamedNode(_) = shape.node {
        return compact(&shape.node);
    }
    let parts: Vec<String> = shape
        .constraints
        .iter()
        .map(|c| match c {
            Constraint::MinCount(n) => format!("with at least {}", n_values(*n)),
            Constraint::MaxCount(n) => format!("with at most {}", n_values(*n)),
            Constraint::Class(class) => format!("of class {}", compact(&class.clone().into())),
            Constraint::Datatype(d) => format!("of datatype {}", compact(&d.clone().into())),
            Constraint::NodeKindIri => String::from("an IRI"),
            Constraint::Pattern(re) => format!("matching `{}`", re.as_str()),
            Constraint::MinInclusive(min) => format!("at least {}", compact(&min.clone().into())),
            Constraint::LessThanOrEquals(p) => {
                format!("at most its {}", compact(&p.clone().into()))
            }
            Constraint::HasValue(v) => format!("with the value {}", compact(v)),
            Constraint::Node(s) => format!("a {}", describe(shapes, *s)),
            Constraint::Property(p) => describe(shapes, *p),
            Constraint::Or(ms) => format!("one of {}", bracketed(shapes, ms).join(", ")),
            Constraint::Xone(ms) => format!("exactly one of {}", bracketed(shapes, ms).join(", ")),
            Constraint::Not(s) => format!("not [{}]", describe(shapes, *s)),
        })
        .collect();
    match &shape.path {
        Some(p) => format!("{} {}", label(p), parts.join(", ")),
        None => parts.join("; "),
    }
}

/// Whether a literal's lexical form is valid for its datatype (for the XSD datatypes that
/// oxsdatatypes knows; any other datatype's literals are taken as valid).
fn well_formed(l: &Literal) -> bool {
    let v = l.value();
    match l.datatype().as_str().strip_prefix(XSD) {
        Some("integer") => Integer::from_str(v).is_ok(),
        Some("decimal") => Decimal::from_str(v).is_ok(),
        Some("double") => Double::from_str(v).is_ok(),
        Some("float") => Float::from_str(v).is_ok(),
        Some("boolean") => Boolean::from_str(v).is_ok(),
        Some("date") => Date::from_str(v).is_ok(),
        Some("dateTime") => DateTime::from_str(v).is_ok(),
        Some("gYear") => GYear::from_str(v).is_ok(),
        Some("gYearMonth") => GYearMonth::from_str(v).is_ok(),
        _ => true,
    }
}

/// The order of two literals as SPARQL's `<` compares them: numbers, strings of one language,
/// dates and times of one datatype; `None` when they cannot be compared.
fn compare(a: &Term, b: &Term) -> Option<Ordering> {
    let (Term::Literal(a), Term::Literal(b)) = (a, b) else {
        return None;
    };
    let kind = |l: &Literal| l.datatype().as_str().strip_prefix(XSD).map(str::to_string);
    let decimal = |k: &str| crate::lexical::is_xsd_decimal(k);
    let (ka, kb) = (kind(a).unwrap_or_default(), kind(b).unwrap_or_default());
    if decimal(&ka) && decimal(&kb) {
        return Decimal::from_str(a.value())
            .ok()?
            .partial_cmp(&Decimal::from_str(b.value()).ok()?);
    }
    let floating = |k: &str| decimal(k) || k == "double" || k == "float";
    if floating(&ka) && floating(&kb) {
        return Double::from_str(a.value())
            .ok()?
            .partial_cmp(&Double::from_str(b.value()).ok()?);
    }
    if a.datatype() != b.datatype() || a.language() != b.language() {
        return None;
    }
    match ka.as_str() {
        "string" => Some(a.value().cmp(b.value())),
        "date" => Date::from_str(a.value())
            .ok()?
            .partial_cmp(&Date::from_str(b.value()).ok()?),
        "dateTime" => DateTime::from_str(a.value())
            .ok()?
            .partial_cmp(&DateTime::from_str(b.value()).ok()?),
        "gYear" => GYear::from_str(a.value())
            .ok()?
            .partial_cmp(&GYear::from_str(b.value()).ok()?),
        "gYearMonth" => GYearMonth::from_str(a.value())
            .ok()?
            .partial_cmp(&GYearMonth::from_str(b.value()).ok()?),
        _ if a.datatype().as_str() == LANG_STRING => Some(a.value().cmp(b.value())),
        _ => None,
    }
}
