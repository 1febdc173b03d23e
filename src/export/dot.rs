//! A picture of the knowledge graph in Graphviz's DOT (`newskg export --format dot`, and the
//! SVG `newskg serve` draws from it): the entities the facts name, each once, a relation as an
//! arrow from its subject to each object, an event as a node with an arrow to each participant
//! (labelled with its role) and to its place. What the article does not state as fact is drawn
//! as such: an arrow or event of a reported, hedged, conditional, predicted, planned claim or an
//! opinion is dashed and says its modality; a denied one is dotted and red. Nodes and arrows
//! come in IRI order, so the same graph gives the same bytes.

use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::vocab::{self, dcterms, nkg, rdf, rdfs};
use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term,
};
use oxigraph::store::Store;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The longest label drawn, in characters (an event's name can be a sentence).
const LABEL_CHARS: usize = 40;

/// One fact as drawn.
struct Drawn {
    /// The modality's IRI.
    modality: String,
    /// A relation: its property, subject and objects.
    relation: Option<(NamedNode, NamedNode, Vec<NamedNode>)>,
    /// An event: its class, its name, its participants (entity, role) and its place.
    event: Option<Event>,
}

struct Event {
    class: Option<NamedNode>,
    name: Option<String>,
    participants: Vec<(NamedNode, Option<NamedNode>)>,
    place: Option<NamedNode>,
}

/// Reads what the picture needs from a store.
struct Reader<'a> {
    store: &'a Store,
    ontology: NamedNode,
    entities: NamedNode,
}

impl Reader<'_> {
    fn objects(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: &str,
        graph: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>> {
        self.store
            .quads_for_pattern(
                Some(subject),
                Some(NamedNodeRef::new_unchecked(predicate)),
                None,
                Some(GraphNameRef::NamedNode(graph)),
            )
            .map(|q| q.map(|q| q.object))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(Error::store("cannot read the store"))
    }

    fn named(
        &self,
        s: NamedOrBlankNodeRef<'_>,
        p: &str,
        g: NamedNodeRef<'_>,
    ) -> Result<Vec<NamedNode>> {
        let mut found: Vec<NamedNode> = self
            .objects(s, p, g)?
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n),
                _ => None,
            })
            .collect();
        found.sort();
        Ok(found)
    }

    fn literal(
        &self,
        s: NamedOrBlankNodeRef<'_>,
        p: &str,
        g: NamedNodeRef<'_>,
    ) -> Result<Option<String>> {
        let mut found: Vec<String> = self
            .objects(s, p, g)?
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            })
            .collect();
        found.sort();
        Ok(found.into_iter().next())
    }

    /// The label of a term of the ontology (a property, a class, a role): its `rdfs:label`,
    /// else its local name.
    fn term_label(&self, term: &NamedNode) -> Result<String> {
        let label = self.literal(term.as_ref().into(), rdfs::LABEL, self.ontology.as_ref())?;
        Ok(label.unwrap_or_else(|| local_name(term.as_str()).to_string()))
    }

    fn fact(&self, fact: NamedNodeRef<'_>, graph: NamedNodeRef<'_>) -> Result<Drawn> {
        let f = NamedOrBlankNodeRef::from(fact);
        let modality = self
            .named(f, nkg::MODALITY_PROP, graph)?
            .first()
            .map_or_else(|| nkg::ASSERTED.to_string(), |m| m.as_str().to_string());
        let property = self.named(f, nkg::FACT_PROPERTY, graph)?.into_iter().next();
        let subject = self.named(f, nkg::FACT_SUBJECT, graph)?.into_iter().next();
        let relation = match (property, subject) {
            (Some(p), Some(s)) => Some((p, s, self.named(f, nkg::FACT_OBJECT, graph)?)),
            _ => None,
        };
        let class = self.named(f, nkg::EVENT_CLASS, graph)?.into_iter().next();
        let event = if class.is_some() || relation.is_none() {
            let mut participants = Vec::new();
            for pa in self.named(f, nkg::EVENT_PARTICIPATION, graph)? {
                let pa = NamedOrBlankNodeRef::from(pa.as_ref());
                let role = self.named(pa, nkg::ROLE_PROP, graph)?.into_iter().next();
                for entity in self.named(pa, nkg::INVOLVES, graph)? {
                    participants.push((entity, role.clone()));
                }
            }
            participants.sort();
            Some(Event {
                class,
                name: self.literal(f, nkg::EVENT_LABEL, graph)?,
                participants,
                place: self.named(f, nkg::EVENT_PLACE, graph)?.into_iter().next(),
            })
        } else {
            None
        };
        Ok(Drawn {
            modality,
            relation,
            event,
        })
    }
}

fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// `text` escaped for a DOT string (`"` and `\\`; line breaks as spaces).
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A DOT string, whole: ids and tooltips.
fn quoted(text: &str) -> String {
    format!("\"{}\"", escaped(text))
}

/// A label as drawn, escaped: cut past [`LABEL_CHARS`].
fn short(text: &str) -> String {
    let mut cut: String = text.chars().take(LABEL_CHARS).collect();
    if text.chars().count() > LABEL_CHARS {
        cut.push('…');
    }
    escaped(&cut)
}

/// How an arrow or an event of a claim with `modality` is drawn.
fn style(modality: &str) -> &'static str {
    match modality {
        m if m == nkg::ASSERTED => "",
        m if m == nkg::DENIED => ", style=dotted, color=\"#a3261b\", fontcolor=\"#a3261b\"",
        _ => ", style=dashed",
    }
}

/// How an event of a claim with `modality` is drawn (filled, as every node).
fn node_style(modality: &str) -> &'static str {
    match modality {
        m if m == nkg::ASSERTED => "",
        m if m == nkg::DENIED => ", style=\"filled,dotted\", color=\"#a3261b\"",
        _ => ", style=\"filled,dashed\"",
    }
}

fn fill(modality: &str) -> &'static str {
    match modality {
        m if m == nkg::ASSERTED => "#dff3d8",
        m if m == nkg::DENIED => "#f8d7d3",
        m if m == nkg::OPINION => "#e6defa",
        _ => "#fff1a8",
    }
}

/// A label with the claim's modality, when the article does not state it as fact.
fn with_modality(label: &str, modality: &str) -> String {
    if modality == nkg::ASSERTED {
        label.to_string()
    } else {
        format!("{label} [{}]", local_name(modality))
    }
}

/// What a picture draws.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Every article's facts.
    All,
    /// One article's facts (its id).
    Article(&'a str),
    /// These facts (article id, fact id), as a result lists them.
    Facts(&'a [(String, String)]),
}

/// The most facts a [`Selection::Facts`] names.
pub const MAX_FACTS: usize = 200;

/// The facts of `graph` (an article's), in IRI order.
pub fn facts_of(store: &Store, graph: &NamedNode) -> Result<Vec<NamedNode>> {
    let fact_type = Term::NamedNode(NamedNode::new_unchecked(nkg::FACT));
    let mut facts: Vec<NamedNode> = store
        .quads_for_pattern(
            None,
            Some(NamedNodeRef::new_unchecked(rdf::TYPE)),
            Some(fact_type.as_ref()),
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        )
        .filter_map(|q| match q {
            Ok(q) => match q.subject {
                NamedOrBlankNode::NamedNode(n) => Some(Ok(n)),
                NamedOrBlankNode::BlankNode(_) => None,
            },
            Err(e) => Some(Err(e)),
        })
        .collect::<std::result::Result<_, _>>()
        .map_err(Error::store("cannot read the store"))?;
    facts.sort();
    Ok(facts)
}

/// The article graphs a selection draws, each with the facts drawn of it.
fn selected(
    store: &Store,
    base: &Base,
    selection: Selection<'_>,
) -> Result<Vec<(NamedNode, Vec<NamedNode>)>> {
    let articles_ns = format!("{}article/", base.as_str());
    let read = Error::store("cannot read the store");
    let known = |g: &NamedNode| {
        store
            .contains_named_graph(g)
            .map_err(Error::store("cannot read the store"))
    };
    match selection {
        Selection::Article(id) => {
            let g = base.article(id);
            if id.is_empty() || id.contains('/') || !known(&g)? {
                return Err(Error::Usage(format!(
                    "there is no article `{id}` in the graph: `newskg query articles` lists them"
                )));
            }
            let facts = facts_of(store, &g)?;
            Ok(vec![(g, facts)])
        }
        Selection::All => {
            let mut all: Vec<NamedNode> = store
                .named_graphs()
                .filter_map(|g| match g {
                    Ok(NamedOrBlankNode::NamedNode(n)) if n.as_str().starts_with(&articles_ns) => {
                        Some(Ok(n))
                    }
                    Ok(_) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect::<std::result::Result<_, _>>()
                .map_err(read)?;
            all.sort();
            all.into_iter()
                .map(|g| facts_of(store, &g).map(|f| (g, f)))
                .collect()
        }
        Selection::Facts(facts) => {
            if facts.len() > MAX_FACTS {
                return Err(Error::Usage(format!(
                    "{} facts: a picture draws at most {MAX_FACTS}",
                    facts.len()
                )));
            }
            let mut by_graph: std::collections::BTreeMap<NamedNode, BTreeSet<NamedNode>> =
                std::collections::BTreeMap::new();
            for (article, fact) in facts {
                let g = base.article(article);
                let iri = base.fact(article, fact);
                let fact_type = NamedNodeRef::new_unchecked(nkg::FACT);
                let there = !article.contains('/')
                    && !fact.contains('/')
                    && store
                        .contains(oxigraph::model::QuadRef::new(
                            iri.as_ref(),
                            NamedNodeRef::new_unchecked(rdf::TYPE),
                            fact_type,
                            g.as_ref(),
                        ))
                        .map_err(Error::store("cannot read the store"))?;
                if !there {
                    return Err(Error::Usage(format!(
                        "there is no fact `{article}/{fact}` in the graph"
                    )));
                }
                by_graph.entry(g).or_default().insert(iri);
            }
            Ok(by_graph
                .into_iter()
                .map(|(g, f)| (g, f.into_iter().collect()))
                .collect())
        }
    }
}

/// The picture of `selection` as DOT.
pub fn picture(store: &Store, base: &Base, selection: Selection<'_>) -> Result<String> {
    let reader = Reader {
        store,
        ontology: NamedNode::new_unchecked(vocab::ONTOLOGY_IRI),
        entities: base.entities_graph(),
    };
    let articles_ns = format!("{}article/", base.as_str());
    let graphs = selected(store, base, selection)?;
    let mut entities = BTreeSet::new();
    let mut body = String::new();
    let mut events = String::new();
    for (graph, facts) in &graphs {
        let title = reader.literal(graph.as_ref().into(), dcterms::TITLE, graph.as_ref())?;
        let article_id = &graph.as_str()[articles_ns.len()..];
        for fact in facts {
            let id = fact.as_str().rsplit("/fact/").next().unwrap_or_default();
            let tooltip = quoted(&format!("{article_id}/{id}"));
            let drawn = reader.fact(fact.as_ref(), graph.as_ref())?;
            let m = drawn.modality.as_str();
            if let Some((property, subject, objects)) = &drawn.relation {
                let label = format!(
                    "\"{}\"",
                    short(&with_modality(&reader.term_label(property)?, m))
                );
                entities.insert(subject.clone());
                for o in objects {
                    entities.insert(o.clone());
                    let _ = writeln!(
                        body,
                        "  {} -> {} [label={label}, tooltip={tooltip}{}];",
                        node_id(subject, base),
                        node_id(o, base),
                        style(m)
                    );
                }
            }
            if let Some(event) = &drawn.event {
                let node = quoted(&format!("{article_id}/{id}"));
                let class = match &event.class {
                    Some(c) => reader.term_label(c)?,
                    None => "event".to_string(),
                };
                let class = short(&with_modality(&class, m));
                let label = match event.name.as_deref() {
                    Some(name) => format!("{class}\\n{}", short(name)),
                    None => class,
                };
                let _ = writeln!(
                    events,
                    "  {node} [label=\"{label}\", shape=ellipse, fillcolor=\"{}\", tooltip={}{}];",
                    fill(m),
                    quoted(
                        &title
                            .clone()
                            .map_or(format!("{article_id}/{id}"), |t| format!("{t}: {id}"))
                    ),
                    node_style(m)
                );
                for (entity, role) in &event.participants {
                    entities.insert(entity.clone());
                    let role = match role {
                        Some(r) => reader.term_label(r)?,
                        None => "participant".to_string(),
                    };
                    let _ = writeln!(
                        body,
                        "  {node} -> {} [label={}{}];",
                        node_id(entity, base),
                        quoted(&role),
                        style(m)
                    );
                }
                if let Some(place) = &event.place {
                    entities.insert(place.clone());
                    let _ = writeln!(
                        body,
                        "  {node} -> {} [label=\"place\"{}];",
                        node_id(place, base),
                        style(m)
                    );
                }
            }
        }
    }
    let mut out = String::new();
    // one article: its title (or id); more: how many; some facts: how many, and of what
    let of_one = |g: &NamedNode| -> Result<String> {
        Ok(reader
            .literal(g.as_ref().into(), dcterms::TITLE, g.as_ref())?
            .unwrap_or_else(|| g.as_str()[articles_ns.len()..].to_string()))
    };
    let caption = match (selection, graphs.as_slice()) {
        (Selection::Facts(f), [(g, _)]) => format!(
            "{} of {}",
            if f.len() == 1 {
                "a fact".to_string()
            } else {
                format!("{} facts", f.len())
            },
            of_one(g)?
        ),
        (Selection::Facts(f), all) => format!("{} facts of {} articles", f.len(), all.len()),
        (_, [(g, _)]) => of_one(g)?,
        (_, all) => format!("{} articles", all.len()),
    };
    let _ = writeln!(out, "digraph newskg {{");
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica\", label={}];",
        quoted(&caption)
    );
    let _ = writeln!(
        out,
        "  node [shape=box, style=filled, fillcolor=\"#eef2fa\", fontname=\"Helvetica\", fontsize=10];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    for entity in &entities {
        let e = NamedOrBlankNodeRef::from(entity.as_ref());
        let label = reader
            .literal(e, rdfs::LABEL, reader.entities.as_ref())?
            .unwrap_or_else(|| local_name(entity.as_str()).to_string());
        let class = reader
            .named(e, rdf::TYPE, reader.entities.as_ref())?
            .first()
            .map(|c| reader.term_label(c))
            .transpose()?;
        let tooltip = quoted(&match class {
            Some(c) => format!("{label} ({c})"),
            None => label.clone(),
        });
        let _ = writeln!(
            out,
            "  {} [label=\"{}\", tooltip={tooltip}];",
            node_id(entity, base),
            short(&label)
        );
    }
    out.push_str(&events);
    out.push_str(&body);
    out.push_str("}\n");
    Ok(out)
}

/// A node's id: `ent:ID` for an entity of the base, else the IRI.
fn node_id(iri: &NamedNode, base: &Base) -> String {
    quoted(&match base.entity_id(iri.as_str()) {
        Some(id) => format!("ent:{id}"),
        None => iri.as_str().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_cut() {
        assert_eq!(quoted("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c d\"");
        let long = "x".repeat(LABEL_CHARS + 5);
        assert_eq!(short(&long).chars().count(), LABEL_CHARS + 1);
        assert!(short(&long).ends_with('…'));
        assert_eq!(short("short"), "short");
    }
}
