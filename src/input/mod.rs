//! Input, the first stage: takes the paths given with `-i` (or nothing, for the embedded
//! default) and gives facts files read as text ([`SourceFile`]), parsed into the facts format
//! ([`facts::ArticleFile`]), with the places of their values ([`SpanIndex`]) for messages; and
//! the RDF files `check` validates against the shapes ([`rdf::RdfFile`]), with the place of each
//! subject.
//! Nothing here knows the ontology's rules: [`crate::validate`] checks what is read.

pub mod facts;
pub mod rdf;
mod shape;
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

/// What `-i` names: facts files, the registries among them, and plain RDF files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collected {
    pub facts: Vec<PathBuf>,
    pub registries: Vec<PathBuf>,
    /// RDF files named (by their extension, see [`rdf::RdfSyntax`]); directories are searched
    /// for facts files only.
    pub rdf: Vec<PathBuf>,
}

/// Whether a file is a registry by its name: `registry.toml`, `registry.json`, or a name ending
/// in `.registry.toml` or `.registry.json`.
pub fn is_registry(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    ["registry.toml", "registry.json"]
        .iter()
        .any(|r| name == *r || name.ends_with(&format!(".{r}")))
}

/// The facts files, registries and RDF files named by `paths`: files as given, directories
/// searched (recursively, in name order) for `.toml` and `.json` files; registries are told by
/// their name ([`is_registry`]), RDF files by their extension.
pub fn collect(paths: &[PathBuf], asked: Option<rdf::RdfSyntax>) -> Result<Collected> {
    let mut files = Vec::new();
    // each file and directory once, by device and inode: a file named twice, or reached again
    // through a symbolic link (a cycle included), is not read again
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::read(path.display(), e))?;
        if !seen.insert(identity(&meta)) {
            continue;
        }
        if meta.is_dir() {
            walk(path, &mut files, &mut seen)?;
        } else {
            files.push(path.clone());
        }
    }
    let (rdf, files): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| rdf::RdfSyntax::of(f, asked).is_some());
    let (registries, facts) = files.into_iter().partition(|f| is_registry(f));
    Ok(Collected {
        facts,
        registries,
        rdf,
    })
}

/// The RDF files among `paths` (only files named: directories are searched for facts files
/// only), each once: what [`collect`] gives as `rdf`, without walking the directories.
pub fn named_rdf(paths: &[PathBuf], asked: Option<rdf::RdfSyntax>) -> Result<Vec<PathBuf>> {
    let mut seen = std::collections::HashSet::new();
    let mut rdf = Vec::new();
    for path in paths {
        if rdf::RdfSyntax::of(path, asked).is_none() {
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::read(path.display(), e))?;
        if !meta.is_dir() && seen.insert(identity(&meta)) {
            rdf.push(path.clone());
        }
    }
    Ok(rdf)
}

fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<(u64, u64)>,
) -> Result<()> {
    let io = |e| Error::read(format!("the directory {}", dir.display()), e);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        let Ok(meta) = std::fs::metadata(&path) else {
            // a dangling link named like a facts file: reading it says what is wrong
            if Format::from_path(&path).is_some() {
                out.push(path);
            }
            continue;
        };
        if meta.is_dir() {
            if seen.insert(identity(&meta)) {
                walk(&path, out, seen)?;
            }
        } else if meta.is_file()
            && Format::from_path(&path).is_some()
            && seen.insert(identity(&meta))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The facts files (and registries) named by `inputs` (see [`collect`]) and the registries
/// named with `--registry`; neither a facts file nor an RDF file is an error.
pub fn files(
    inputs: &[PathBuf],
    registries: &[PathBuf],
    asked: Option<rdf::RdfSyntax>,
) -> Result<Collected> {
    let mut collected = collect(inputs, asked)?;
    if collected.facts.is_empty() && collected.rdf.is_empty() {
        return Err(Error::Usage(format!(
            "no facts files (*.toml, *.json) in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    for r in registries {
        if !collected.registries.contains(r) {
            collected.registries.push(r.clone());
        }
    }
    Ok(collected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries_are_told_by_their_name() {
        assert!(is_registry(Path::new("corpus/registry.toml")));
        assert!(is_registry(Path::new("people.registry.json")));
        assert!(!is_registry(Path::new("my-registry.toml")));
        assert!(!is_registry(Path::new("a.toml")));
    }
}
