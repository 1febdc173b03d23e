//! The checked article: what a facts file says once it has passed every check, with its terms
//! resolved to IRIs and its quotes placed in the text. Every stage after checking (mapping,
//! coverage, linking) reads this model, never the raw file.

use oxigraph::model::Literal;
use std::collections::BTreeMap;

/// An article whose facts passed every check.
#[derive(Debug, Clone)]
pub struct ValidArticle {
    /// The facts file, as named in messages.
    pub source: String,
    pub id: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub authors: Vec<String>,
    pub url: Option<String>,
    pub published: Option<Literal>,
    pub language: Option<String>,
    pub genre: Option<String>,
    /// The article's text, when the file points to it.
    pub text: Option<String>,
    /// Where that text is, as shown in messages.
    pub text_path: Option<String>,
    pub entities: Vec<ValidEntity>,
    pub facts: Vec<ValidFact>,
    /// Passages marked as stating nothing, with the reason and, when the text is known, their
    /// position.
    pub no_claims: Vec<NoClaimPassage>,
    /// Every entity the article declares or uses, by id, in id order.
    pub mentions: Vec<String>,
    /// The Wikidata IDs of the entities it mentions that have one (declared here or in the
    /// registry).
    pub qids: BTreeMap<String, String>,
    /// The classes (IRIs) of the entities it mentions (declared here or in the registry).
    pub classes: BTreeMap<String, String>,
    /// What `check` warns about: legal, but likely a mistake (`file:line:col: warning: …`).
    pub warnings: Vec<crate::error::Diagnostic>,
}

/// A passage of the text that states nothing, and why.
#[derive(Debug, Clone)]
pub struct NoClaimPassage {
    pub quote: String,
    pub reason: String,
    pub position: Option<QuotePosition>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ValidEntity {
    pub id: String,
    /// Class IRI.
    pub class: String,
    pub label: String,
    pub aliases: Vec<String>,
    pub wikidata: Option<String>,
    /// The entity this one is a metonym for.
    pub stands_for: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidFact {
    pub id: String,
    pub kind: FactKind,
    pub quote: String,
    /// Where the quote stands, when the text is known.
    pub position: Option<QuotePosition>,
    /// Modality IRI.
    pub modality: String,
    pub said_by: Vec<String>,
    pub attribution: Option<String>,
    /// The chain of sources the source cites, in order (entity ids).
    pub citing: Vec<String>,
    pub time_text: Option<String>,
    pub time_value: Option<Literal>,
    /// When it began and ended: (as written, normalized where the text fixes it).
    pub since: Option<(String, Option<Literal>)>,
    pub until: Option<(String, Option<Literal>)>,
    /// It held once and no longer does.
    pub ended: bool,
    /// (claim link property IRI, id of a fact of the same article)
    pub links: Vec<(String, String)>,
    /// An event's CAMEO code, as given (else its class's).
    pub cameo: Option<String>,
    /// An event's casualties: (as written, their number where the text gives one).
    pub casualties: Option<(String, Option<u64>)>,
    /// (qualifier property IRI, value)
    pub qualifiers: Vec<(String, QualifierValue)>,
    pub note: Option<String>,
}

impl ValidFact {
    /// Whether the fact yields plain triples: only what the article states as fact and as
    /// still holding (asserted, and not ended). Every other claim lives only in its fact node.
    pub fn is_plain(&self) -> bool {
        self.modality == crate::vocab::nkg::ASSERTED && !self.ended && self.until.is_none()
    }
}

#[derive(Debug, Clone)]
pub enum FactKind {
    Relation {
        subject: String,
        /// Property IRI.
        property: String,
        objects: Vec<String>,
    },
    Event {
        /// Event class IRI (absent when the fact describes a named event entity).
        class: Option<String>,
        about: Option<String>,
        label: Option<String>,
        /// (entity id, role IRI)
        participants: Vec<(String, String)>,
        place: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub enum QualifierValue {
    Entity(String),
    Text(String),
}

/// Where a quote stands in the text, in Unicode code points, with the context around it (Web
/// Annotation TextPositionSelector and TextQuoteSelector).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotePosition {
    pub start: usize,
    pub end: usize,
    pub prefix: String,
    pub suffix: String,
}
