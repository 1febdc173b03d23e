//! The facts format: what a person (TOML) or a pipeline (JSON) writes about one article; and the
//! registry format, the entities of a whole corpus described once.
//!
//! These types only describe the shape of a file; [`crate::validate`] checks them against the
//! ontology and the article's text. `docs/facts-format.md` documents every key.

use super::source::{Format, SourceFile, byte_offset, line_col};
use crate::error::{Diagnostic, Error, Result};
use crate::ontology::Ontology;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// A facts file: one article, the entities it names and the facts it states.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "newskg facts file")]
pub struct ArticleFile {
    pub article: ArticleMeta,
    #[serde(default)]
    pub entities: Vec<EntityDecl>,
    #[serde(default)]
    pub facts: Vec<FactDecl>,
    /// Passages of the text that state nothing (a photo credit, a disclaimer), so that
    /// `newskg coverage` does not list them as uncited.
    #[serde(default)]
    pub no_claims: Vec<NoClaim>,
    /// What did not fit the format, when the file was read entry by entry (see
    /// [`super::shape`]); empty for a file that fits.
    #[serde(skip)]
    pub shape: Shape,
}

/// The shape problems of a facts file read entry by entry, and the entries that did not fit
/// (placeholders, checked no further).
#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub problems: Vec<Diagnostic>,
    /// Paths (`facts[2]`, `article`) of the entries that did not fit.
    pub quiet: Vec<String>,
}

/// A registry: the entities of a corpus, described once, that every article may use without
/// declaring them; and merges, ids that are another entity.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "newskg registry")]
pub struct RegistryFile {
    #[serde(default)]
    pub registry: RegistryMeta,
    #[serde(default)]
    pub entities: Vec<EntityDecl>,
    #[serde(default)]
    pub merges: Vec<Merge>,
}

/// What a registry says of itself.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistryMeta {
    /// BCP 47 language tag of the labels and aliases.
    pub language: Option<String>,
    pub note: Option<String>,
}

/// An id that names the same entity as another: articles may use it, and it resolves to the
/// other (a duplicate merged into the entity kept).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// The id merged away.
    pub id: String,
    /// The id of the entity kept.
    pub into: String,
    pub note: Option<String>,
}

/// A passage that makes no claim, with the curator's reason.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoClaim {
    /// The passage, verbatim.
    pub quote: String,
    /// Why it states nothing, e.g. "photo credit".
    pub reason: String,
}

/// Metadata of the article. Unknown values are left out, never guessed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    /// The article's id (letters, digits, `-`, `_`, `.`).
    pub id: String,
    pub title: Option<String>,
    /// Entity id of the publisher.
    pub publisher: Option<String>,
    /// Entity ids of the authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// Publication date (`YYYY-MM-DD`) or date-time, when known.
    pub published: Option<String>,
    /// BCP 47 language tag of the text.
    pub language: Option<String>,
    /// e.g. `opinion`, `news`, `analysis`.
    pub genre: Option<String>,
    /// Path of the article's plain text, relative to the facts file.
    pub text: Option<String>,
}

/// An entity the article names.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityDecl {
    pub id: String,
    /// An ontology class below nkg:Entity.
    pub class: String,
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Wikidata item ID (`Q801`), only when verified.
    pub wikidata: Option<String>,
    /// Metonymy: the id of the entity this name stands for ("Baku" for Azerbaijan's
    /// government). The label keeps the surface form.
    pub stands_for: Option<String>,
    pub note: Option<String>,
    /// Where the article names the entity, as `newskg draft` found it: checked against the
    /// text, not part of the graph.
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

/// A place where the text names an entity: the name as written and its code-point offsets.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// A fact: a relation (`subject`, `property`, `object`) or an event (`event`, `participants`, …),
/// always with its verbatim quote and its modality.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactDecl {
    pub id: String,
    /// Relation: entity id of the subject.
    pub subject: Option<String>,
    /// Relation: an ontology object property.
    pub property: Option<String>,
    /// Relation: entity id(s) of the object(s).
    pub object: Option<OneOrMany>,
    /// Event: an ontology class below nkg:Event.
    pub event: Option<String>,
    /// Event: id of the named event entity this fact describes.
    pub about: Option<String>,
    /// Event: a short name.
    pub label: Option<String>,
    /// Event: who takes part, in which role.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Event: entity id of the place.
    pub place: Option<String>,
    /// The article's words behind the fact, verbatim.
    pub quote: String,
    /// An individual of nkg:Modality (`asserted`, `reported`, `hedged`, `conditional`,
    /// `predicted`, `planned`, `opinion`, `denied`).
    pub modality: String,
    /// Entity id(s) of who said or wrote it (of a `reported` fact; of an `opinion` that is not
    /// the authors').
    pub said_by: Option<OneOrMany>,
    /// An unnamed source, as written.
    pub attribution: Option<String>,
    /// The chain of sources behind the source, in order: entity id(s) of whom `said_by` (or the
    /// `attribution`) cites, then of whom that one cites, …
    pub citing: Option<OneOrMany>,
    pub time: Option<Time>,
    /// When the relation or state of affairs began, as written (and normalized where the text
    /// fixes it).
    pub since: Option<Time>,
    /// When it ended, as written (and normalized where the text fixes it).
    pub until: Option<Time>,
    /// The article says it held once and no longer does ("once-close allies").
    pub ended: Option<bool>,
    /// Event: the CAMEO code a source or a pipeline gives the event (`1312`); it must fall
    /// under the code of the event's class.
    pub cameo: Option<String>,
    /// Event: the people killed or wounded, as written, with their number where the text gives
    /// one.
    pub casualties: Option<Casualties>,
    /// Sub-properties of nkg:claimLink (`becauseOf`, `inOrderTo`, `onCondition`, `during`,
    /// `partOf`), each with the id(s) of facts of the same file.
    #[serde(default)]
    pub links: BTreeMap<String, OneOrMany>,
    /// Sub-properties of nkg:qualifier, e.g. `commodity`, with an entity id or text.
    #[serde(default)]
    pub qualifiers: BTreeMap<String, String>,
    /// A curator's remark.
    pub note: Option<String>,
    /// A stub `newskg draft` wrote: its quote and proposed modality are to be reviewed and its
    /// claim stated; `check` lists it as a to-do until the curator removes `draft = true`.
    pub draft: Option<bool>,
}

/// One participant of an event.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub entity: String,
    /// An individual of nkg:Role.
    pub role: String,
}

/// A time as written, with its xsd value only where the text fixes one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Time {
    pub text: String,
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an xsd:dateTime.
    pub value: Option<String>,
}

/// Casualties as written (`"killing at least 12 soldiers"`), with their number only where the
/// text gives one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    pub text: String,
    /// A whole number (checked, so that a word is reported at its place).
    #[schemars(with = "Option<u64>")]
    pub count: Option<serde_json::Value>,
}

/// One string or a list of them.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// Where the `i`th value stands, given where the key's value does: `facts[0].object[1]` in
    /// a list, `facts[0].object` for a single value.
    pub fn item_path(&self, path: &str, i: usize) -> String {
        match self {
            OneOrMany::One(_) => path.to_string(),
            OneOrMany::Many(_) => format!("{path}[{i}]"),
        }
    }

    pub fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

/// Parses a facts file; a syntax or shape error is reported at its place.
/// Every entry of a file that does not fit the format is reported (see [`super::shape`]): the
/// file is then returned with its shape problems, for the checks of the entries that fit.
pub fn parse(source: &SourceFile) -> Result<ArticleFile> {
    parse_as(source, "facts file").or_else(|e| {
        super::shape::recover(source)
            .filter(|file| !file.shape.problems.is_empty())
            .ok_or(e)
    })
}

/// Parses a registry; a syntax or shape error is reported at its place.
pub fn parse_registry(source: &SourceFile) -> Result<RegistryFile> {
    parse_as(source, "registry")
}

fn parse_as<T: DeserializeOwned>(source: &SourceFile, kind: &str) -> Result<T> {
    match source.format {
        Format::Toml => toml::from_str(&source.text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            Error::Invalid(vec![source.diagnostic_at(
                offset,
                format!("invalid TOML: {}", e.message().trim_end()),
            )])
        }),
        Format::Json => serde_json::from_str(&source.text).map_err(|e| {
            let message = e.to_string();
            // serde_json appends " at line L column C"; we show the place in front instead.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            let (mut line, mut column) = if e.line() == 0 {
                line_col(&source.text, 0)
            } else {
                // serde_json counts columns in bytes; messages count characters
                let line_start: usize = source
                    .text
                    .split_inclusive('\n')
                    .take(e.line() - 1)
                    .map(str::len)
                    .sum();
                line_col(&source.text, line_start + e.column().saturating_sub(1))
            };
            // serde_json reports an unknown key after reading it: point at its start instead.
            if let Some(key) = message
                .strip_prefix("unknown field `")
                .and_then(|m| m.split_once('`'))
                .map(|(k, _)| k)
            {
                // serde_json's column is the key's closing quote: include it.
                let end = source.text[byte_offset(&source.text, line, column)..]
                    .char_indices()
                    .nth(1)
                    .map_or(source.text.len(), |(i, _)| {
                        byte_offset(&source.text, line, column) + i
                    });
                if let Some(start) = source.text[..end].rfind(&format!("\"{key}\"")) {
                    (line, column) = line_col(&source.text, start);
                }
            }
            let what = if e.is_data() {
                format!("invalid {kind}")
            } else {
                "invalid JSON".to_string()
            };
            Error::Invalid(vec![Diagnostic {
                file: source.name.clone(),
                line,
                column,
                message: format!("{what}: {message}"),
            }])
        }),
    }
}

/// The JSON Schema of the facts format, with the ontology's terms as allowed values.
pub fn json_schema(ontology: &Ontology) -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(ArticleFile)).expect("a JSON Schema is JSON");
    let enums = [
        ("EntityDecl", "class", ontology.entity_class_names()),
        ("FactDecl", "property", ontology.relation_names()),
        ("FactDecl", "event", ontology.event_class_names()),
        ("FactDecl", "modality", ontology.modality_names()),
        ("Participant", "role", ontology.role_names()),
    ];
    for (def, field, names) in enums {
        if let Some(property) = schema.pointer_mut(&format!("/$defs/{def}/properties/{field}")) {
            let values: Vec<serde_json::Value> = names.into_iter().map(Into::into).collect();
            let object = property
                .as_object_mut()
                .expect("a property schema is an object");
            if object.get("type").and_then(|t| t.as_array()).is_some() {
                // Option<String>: allow null beside the terms
                let mut with_null = values.clone();
                with_null.push(serde_json::Value::Null);
                object.insert("enum".into(), with_null.into());
            } else {
                object.insert("enum".into(), values.into());
            }
        }
    }
    if let Some(qualifiers) = schema.pointer_mut("/$defs/FactDecl/properties/qualifiers") {
        let names: serde_json::Map<String, serde_json::Value> = ontology
            .qualifier_names()
            .into_iter()
            .map(|n| (n, serde_json::json!({ "type": "string" })))
            .collect();
        let object = qualifiers.as_object_mut().expect("an object schema");
        object.insert("properties".into(), names.into());
        object.insert("additionalProperties".into(), false.into());
    }
    if let Some(links) = schema.pointer_mut("/$defs/FactDecl/properties/links") {
        let names: serde_json::Map<String, serde_json::Value> = ontology
            .claim_link_names()
            .into_iter()
            .map(|n| (n, serde_json::json!({ "$ref": "#/$defs/OneOrMany" })))
            .collect();
        let object = links.as_object_mut().expect("an object schema");
        object.insert("properties".into(), names.into());
        object.insert("additionalProperties".into(), false.into());
    }
    schema
}
