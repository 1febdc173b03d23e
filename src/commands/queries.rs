//! `newskg queries`: list the canned queries with their parameters.

use super::Status;
use crate::error::{Error, Result};
use crate::query::library;
use std::io::Write;

pub fn run(out: &mut dyn Write) -> Result<Status> {
    let mut text = String::new();
    for doc in library::canned() {
        text.push_str(&format!("{}\n", doc.name));
        if let Some(t) = &doc.title {
            text.push_str(&format!("    {t}\n"));
        }
        if let Some(d) = &doc.description {
            text.push_str(&format!("    {d}\n"));
        }
        for p in &doc.params {
            let default = p
                .default
                .as_ref()
                .map(|d| format!(", default {d}"))
                .unwrap_or_default();
            text.push_str(&format!(
                "    --param {}=<{}{default}>  {}\n",
                p.name,
                p.kind.name(),
                p.description
            ));
        }
        text.push('\n');
    }
    out.write_all(text.as_bytes()).map_err(Error::stdout)?;
    Ok(Status::Success)
}
