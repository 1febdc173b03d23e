//! `newskg schema`: the JSON Schema of the facts format.

use super::Status;
use crate::error::{Error, Result};
use crate::input::facts;
use crate::ontology::Ontology;
use std::io::Write;

pub fn run(out: &mut dyn Write) -> Result<Status> {
    let schema = facts::json_schema(Ontology::embedded());
    let text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    writeln!(out, "{text}").map_err(Error::stdout)?;
    Ok(Status::Success)
}
