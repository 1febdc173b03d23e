//! Input, the first stage: takes the paths given with `-i` (or nothing, for the embedded
//! default) and gives facts files read as text ([`SourceFile`]), parsed into the facts format
//! ([`facts::ArticleFile`]), with the places of their values ([`SpanIndex`]) for messages.
//! Nothing here knows the ontology's rules: [`crate::validate`] checks what is read.

pub mod facts;
pub mod source;
mod spans;

pub use source::{Format, SourceFile, byte_offset, line_col};
pub use spans::SpanIndex;

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The embedded default's facts file, as it is in the repository.
pub const EMBEDDED_FACTS_PATH: &str = "data/seed/facts.toml";
const EMBEDDED_FACTS: &str = include_str!("../../data/seed/facts.toml");
const EMBEDDED_TEXT: &str = include_str!("../../data/seed/article.txt");

/// The embedded default's facts file.
pub fn embedded() -> SourceFile {
    SourceFile::embedded(
        EMBEDDED_FACTS_PATH,
        EMBEDDED_FACTS,
        Format::Toml,
        "article.txt",
        EMBEDDED_TEXT,
    )
}

/// The facts files named by `paths`: files as given, directories searched (recursively, in name
/// order) for `.toml` and `.json` files.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::read(path.display(), e))?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let io = |e| Error::read(format!("the directory {}", dir.display()), e);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if Format::from_path(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

/// The facts files named by `inputs` (see [`collect`]); none is an error.
pub fn files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let files = collect(inputs)?;
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no facts files (*.toml, *.json) in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(files)
}
