//! A remote store that speaks the W3C protocols (Virtuoso, Fuseki, GraphDB, Oxigraph server):
//! where a corpus goes when it outgrows one machine. [`push`] puts a knowledge graph's named
//! graphs into it (Graph Store HTTP Protocol, or SPARQL Update), skipping what it holds already;
//! [`query`] runs the canned queries there. Both go through one [`client`]: authenticated as the
//! server asks ([`auth`]; credentials from the environment or a file, never the command line),
//! retried while the server is busy, failing with what the server said.

pub mod auth;
pub mod client;
pub mod push;
pub mod query;

pub use auth::Credentials;
pub use client::Client;
