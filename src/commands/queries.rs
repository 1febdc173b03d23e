//! `newskg queries`: list the canned queries with their parameters.

use crate::error::{Error, Result};
use crate::queries;
use std::io::Write;

pub fn run(out: &mut dyn Write) -> Result<()> {
    let io = |e| Error::Io {
        path: "stdout".into(),
        source: e,
    };
    for doc in queries::canned() {
        writeln!(out, "{}", doc.name).map_err(io)?;
        if let Some(t) = &doc.title {
            writeln!(out, "    {t}").map_err(io)?;
        }
        if let Some(d) = &doc.description {
            writeln!(out, "    {d}").map_err(io)?;
        }
        for p in &doc.params {
            let default = p
                .default
                .as_ref()
                .map(|d| format!(", default {d}"))
                .unwrap_or_default();
            writeln!(
                out,
                "    --param {}=<{}{default}>  {}",
                p.name,
                p.kind.name(),
                p.description
            )
            .map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    Ok(())
}
