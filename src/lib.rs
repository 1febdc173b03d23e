//! newskg turns the facts that news articles about geopolitics state into an RDF knowledge graph
//! with the evidence of every fact: facts files (TOML or JSON) are checked against a small
//! geopolitics ontology, mapped to RDF, loaded into an embedded Oxigraph store, queried with
//! SPARQL and exported in the usual RDF formats.
//!
//! The pipeline, one module per stage:
//! [`source`] (files, positions) → [`facts`] (the format) → [`validate`] (against [`ontology`]
//! and the text, with [`evidence`]) → [`mapping`] (to quads) → [`store`] → [`query`] /
//! [`export`]; [`coverage`] tells which sentences of an article no fact cites.

pub mod canonical;
pub mod catalog;
pub mod commands;
pub mod coverage;
pub mod error;
pub mod evidence;
pub mod export;
pub mod facts;
pub mod input;
pub mod link;
pub mod mapping;
pub mod ontology;
pub mod persistent;
pub mod queries;
pub mod query;
pub mod remote;
pub mod results;
pub mod rewrite;
pub mod source;
pub mod store;
pub mod suggest;
pub mod turtle;
pub mod validate;
pub mod vocab;

pub use error::{Diagnostic, Error, Result};
