//! `newskg schema`: the JSON Schema of the facts format.

use crate::error::{Error, Result};
use crate::facts;
use crate::ontology::Ontology;
use std::io::Write;

pub fn run(out: &mut dyn Write) -> Result<()> {
    let schema = facts::json_schema(Ontology::embedded());
    let text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    writeln!(out, "{text}").map_err(|e| Error::Io {
        path: "stdout".into(),
        source: e,
    })
}
