//! Plain RDF given with `-i` beside the facts (a Wikidata extract, a SKOS list, an ontology of
//! one's own): each file's triples in a named graph of their own, `{base}graph/NAME`, NAME being
//! the file's name (percent-encoded where an IRI needs it). A file's graph is replaced whole when
//! the file changes. A dataset's (N-Quads, TriG, JSON-LD) quads must be in its default graph: its
//! graph names would say where the triples go, and newskg keeps one graph per file.

use super::Base;
use crate::error::{Diagnostic, Error, Result};
use crate::input::rdf::RdfFile;
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One RDF file, in its graph.
#[derive(Debug, Clone)]
pub struct PlainGraph {
    /// The file, as given (for messages).
    pub file: String,
    /// The path the file resolves to (what a store records).
    pub path: String,
    pub graph: NamedNode,
    /// The file's triples, in `graph`, in the file's order.
    pub quads: Vec<Quad>,
}

impl Base {
    /// The graph of the plain RDF file named `file_name`.
    pub fn plain_graph(&self, file_name: &str) -> NamedNode {
        self.node(&format!("graph/{}", encode(file_name)))
    }

    /// Whether an IRI is the graph of a plain RDF file under this base.
    pub fn is_plain_graph(&self, iri: &str) -> bool {
        iri.strip_prefix(self.as_str())
            .is_some_and(|rest| rest.starts_with("graph/"))
    }
}

/// A file name as an IRI path segment: unreserved characters kept, every other byte `%XX`.
fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reads the RDF files at `paths` (in `asked`, `--input-format`, else as their extensions
/// say), each into its graph. Every problem of every file is the
/// error: a syntax error at its place, a quad in a named graph, two files of the same name.
pub fn read(
    paths: &[PathBuf],
    base: &Base,
    asked: Option<crate::input::rdf::RdfSyntax>,
) -> Result<Vec<PlainGraph>> {
    let mut problems = Vec::new();
    let mut graphs: Vec<PlainGraph> = Vec::new();
    let mut by_graph: BTreeMap<NamedNode, String> = BTreeMap::new();
    for path in paths {
        let file = match RdfFile::read(path, asked) {
            Ok(file) => file,
            Err(Error::Invalid(d)) => {
                problems.extend(d);
                continue;
            }
            Err(e) => return Err(e),
        };
        match in_graph(path, file, base) {
            Ok(plain) => {
                if let Some(first) = by_graph.get(&plain.graph) {
                    problems.push(Diagnostic {
                        file: plain.file.clone(),
                        line: 1,
                        column: 1,
                        message: format!(
                            "its graph would be <{}>, which {first} fills already: a plain RDF file's graph is named after the file, so two files need two names (rename one)",
                            plain.graph.as_str()
                        ),
                    });
                    continue;
                }
                by_graph.insert(plain.graph.clone(), plain.file.clone());
                graphs.push(plain);
            }
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(graphs)
    } else {
        problems.sort();
        Err(Error::Invalid(problems))
    }
}

/// The file's triples in its graph; a quad in a named graph is the problem.
fn in_graph(
    path: &Path,
    file: RdfFile,
    base: &Base,
) -> std::result::Result<PlainGraph, Diagnostic> {
    if let Some((line, quad)) = file.first_in_named_graph() {
        return Err(Diagnostic {
            file: file.name.clone(),
            line,
            column: 1,
            message: format!(
                "a triple in the named graph {}: a plain RDF file goes into one graph of its own, named after the file, so its triples must be in the default graph (split the file by graph, or write it as Turtle or N-Triples)",
                quad.graph_name
            ),
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.name.clone());
    let graph = base.plain_graph(&name);
    let in_graph = GraphName::NamedNode(graph.clone());
    let quads = file
        .quads
        .into_iter()
        .map(|q| Quad::new(q.subject, q.predicate, q.object, in_graph.clone()))
        .collect();
    let resolved = std::fs::canonicalize(path)
        .map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
    Ok(PlainGraph {
        file: file.name,
        path: resolved,
        graph,
        quads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_becomes_one_path_segment() {
        let base = Base::default();
        assert_eq!(
            base.plain_graph("wikidata extract (2026).ttl").as_str(),
            "https://w3id.org/newskg/data/graph/wikidata%20extract%20%282026%29.ttl"
        );
        assert_eq!(
            base.plain_graph("Erdoğan.nt").as_str(),
            "https://w3id.org/newskg/data/graph/Erdo%C4%9Fan.nt"
        );
        assert!(base.is_plain_graph("https://w3id.org/newskg/data/graph/x.ttl"));
        assert!(!base.is_plain_graph("https://w3id.org/newskg/data/entities"));
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn each_file_goes_into_its_graph() {
        let dir = tempfile::tempdir().unwrap();
        let ttl = write(
            dir.path(),
            "skos.ttl",
            "@prefix s: <http://www.w3.org/2004/02/skos/core#> .\n<http://e/a> s:prefLabel \"A\" .\n",
        );
        let rdf = write(
            dir.path(),
            "x.rdf",
            r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/"><rdf:Description rdf:about="http://e/b"><e:p>B</e:p></rdf:Description></rdf:RDF>"#,
        );
        let jsonld = write(
            dir.path(),
            "y.jsonld",
            r#"{"@id": "http://e/c", "http://e/p": "C"}"#,
        );
        let graphs = read(&[ttl, rdf, jsonld], &Base::default(), None).unwrap();
        assert_eq!(graphs.len(), 3);
        for (g, name) in graphs.iter().zip(["skos.ttl", "x.rdf", "y.jsonld"]) {
            assert_eq!(g.graph, Base::default().plain_graph(name));
            assert_eq!(g.quads.len(), 1);
            assert_eq!(g.quads[0].graph_name, GraphName::NamedNode(g.graph.clone()));
        }
    }

    #[test]
    fn syntax_errors_named_graphs_and_same_names_are_placed() {
        let dir = tempfile::tempdir().unwrap();
        let bad = write(
            dir.path(),
            "bad.ttl",
            "<http://e/a> <http://e/p> \"x\" .\n<http://e/b> <http://e/p> .\n",
        );
        let trig = write(
            dir.path(),
            "g.trig",
            "<http://e/a> <http://e/p> 1 .\n<http://e/g> {\n  <http://e/a> <http://e/p> 2 .\n}\n",
        );
        let xml = write(
            dir.path(),
            "bad.rdf",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description rdf:about=\"http://e/a\">\n</rdf:RDF>\n",
        );
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let first = write(dir.path(), "same.nt", "");
        let again = write(&dir.path().join("sub"), "same.nt", "");
        let Err(Error::Invalid(problems)) =
            read(&[bad, trig, xml, first, again], &Base::default(), None)
        else {
            panic!("the files are refused")
        };
        let said: Vec<(String, usize, usize)> = problems
            .iter()
            .map(|d| {
                let file = Path::new(&d.file);
                let shown = file.strip_prefix(dir.path()).unwrap_or(file);
                (shown.display().to_string(), d.line, d.column)
            })
            .collect();
        assert_eq!(
            said,
            [
                // (oxrdfxml places none of its errors)
                ("bad.rdf".to_string(), 1, 1),
                ("bad.ttl".to_string(), 2, 27),
                ("g.trig".to_string(), 3, 1),
                ("sub/same.nt".to_string(), 1, 1)
            ],
            "{problems:?}"
        );
        assert!(problems[2].message.contains("named graph <http://e/g>"));
        assert!(problems[3].message.contains("same.nt fills already"));
    }
}
