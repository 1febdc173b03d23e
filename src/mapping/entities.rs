//! The entities' graph (`<base>entities`): each entity of the corpus described once, however
//! many articles mention it: its class (and the `wdt:P31` view of it), label, aliases, Wikidata
//! ID, what it stands for, notes (see [`Descriptions`]).

use super::{Base, Writer, iri};
use crate::ontology::Ontology;
use crate::validate::descriptions::{Description, Descriptions};
use crate::vocab::{self, nkg, owl, rdfs, skos};
use oxigraph::model::{GraphName, Literal, Quad};

/// The quads of every description, in the entities' graph, in id order.
pub fn quads(descriptions: &Descriptions, base: &Base, ontology: &Ontology) -> Vec<Quad> {
    descriptions
        .iter()
        .flat_map(|d| description_quads(d, base, ontology))
        .collect()
}

/// The quads of one description, in the entities' graph.
pub fn description_quads(d: &Description, base: &Base, ontology: &Ontology) -> Vec<Quad> {
    let node = base.entity(&d.id);
    let qid = d
        .wikidata
        .as_ref()
        .map(|q| iri(&format!("{}{q}", vocab::WD)));
    let mut w = Writer {
        graph: GraphName::NamedNode(base.entities_graph()),
        quads: Vec::new(),
        language: d.language.as_deref(),
        ontology,
        wikidata: qid
            .iter()
            .map(|q| (node.as_str().to_string(), q.clone()))
            .collect(),
    };
    w.typed(&node, &d.class);
    let label = w.text(&d.label);
    w.add(&node, rdfs::LABEL, label);
    for alias in &d.aliases {
        let alias = w.text(alias);
        w.add(&node, skos::ALT_LABEL, alias);
    }
    if let Some(q) = qid {
        w.add(&node, owl::SAME_AS, q);
    }
    if let Some(target) = &d.stands_for {
        w.add(&node, nkg::STANDS_FOR, base.entity(target));
    }
    for note in &d.notes {
        w.add(
            &node,
            skos::EDITORIAL_NOTE,
            Literal::new_simple_literal(note),
        );
    }
    w.quads
}
