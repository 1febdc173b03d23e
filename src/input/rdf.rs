//! An RDF file given with `-i` (N-Triples, N-Quads, Turtle, TriG, RDF/XML or JSON-LD, told by
//! its extension): its quads, and where each subject is first written, so that a problem about a
//! node can be shown at its place. `check` validates it against the shapes; the other commands
//! load it beside the facts, into a graph of its own (see [`crate::mapping::plain`]).
//!
//! The place of a subject is the line on which oxttl's parser gives the first triple whose
//! subject it is, column 1. The file is fed to the parser a line at a time, and a triple is given
//! as soon as its object is read: in N-Triples and N-Quads, that is the triple's own line; in
//! Turtle and TriG, the line that ends the first triple about the subject (`<s> a nkg:Fact ;`,
//! the subject's own line as newskg writes Turtle). oxttl gives no position of a triple's terms,
//! so the column is always 1. RDF/XML and JSON-LD are parsed whole: subjects are not placed, and a
//! syntax error is placed where the parser says (oxjsonld does, oxrdfxml does not: line 1).

use super::source::line_col;
use crate::error::{Diagnostic, Error, Result};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Quad, Triple};
use std::collections::HashMap;
use std::path::Path;

/// An RDF serialization `check` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RdfSyntax {
    NTriples,
    NQuads,
    Turtle,
    TriG,
    RdfXml,
    JsonLd,
}

/// The names `--input-format` takes, with the syntax each names (the names `--format` gives
/// these syntaxes).
pub const NAMES: [(&str, RdfSyntax); 6] = [
    ("turtle", RdfSyntax::Turtle),
    ("trig", RdfSyntax::TriG),
    ("ntriples", RdfSyntax::NTriples),
    ("nquads", RdfSyntax::NQuads),
    ("rdfxml", RdfSyntax::RdfXml),
    ("jsonld", RdfSyntax::JsonLd),
];

impl std::str::FromStr for RdfSyntax {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        NAMES
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                format!("unknown RDF syntax `{s}`; use one of {}", names.join(", "))
            })
    }
}

/// The extensions of the RDF files newskg reads, as said in messages.
pub const EXTENSIONS: &str = ".nt, .nq, .ttl, .trig, .rdf or .jsonld";

impl RdfSyntax {
    /// The syntax of a file, by its extension (`.nt`, `.nq`, `.ttl`, `.trig`, `.rdf`,
    /// `.jsonld`).
    pub fn from_path(path: &Path) -> Option<RdfSyntax> {
        Self::of(path, None)
    }

    /// The syntax a file named `path` is read in: `asked` (`--input-format`) for any file whose
    /// name is not a facts file's (`.toml`, `.json`), else the one its extension names.
    pub fn of(path: &Path, asked: Option<RdfSyntax>) -> Option<RdfSyntax> {
        let extension = path.extension().and_then(|e| e.to_str());
        if let Some(asked) = asked
            && !matches!(extension, Some("toml" | "json"))
        {
            return Some(asked);
        }
        match extension? {
            "nt" => Some(RdfSyntax::NTriples),
            "nq" => Some(RdfSyntax::NQuads),
            "ttl" => Some(RdfSyntax::Turtle),
            "trig" => Some(RdfSyntax::TriG),
            "rdf" => Some(RdfSyntax::RdfXml),
            "jsonld" => Some(RdfSyntax::JsonLd),
            _ => None,
        }
    }
}

/// An RDF file, parsed.
#[derive(Debug, Clone)]
pub struct RdfFile {
    /// The name used in messages: the path as given.
    pub name: String,
    pub quads: Vec<Quad>,
    /// subject → 1-based line and column of its first triple
    places: HashMap<NamedOrBlankNode, (usize, usize)>,
    /// The first quad in a named graph, and its line (1 where the syntax gives none).
    named: Option<(usize, Quad)>,
}

impl RdfFile {
    /// Reads and parses the RDF file at `path`; its syntax is told by its extension.
    pub fn read(path: &Path, asked: Option<RdfSyntax>) -> Result<RdfFile> {
        let name = path.display().to_string();
        let syntax = RdfSyntax::of(path, asked).ok_or_else(|| {
            Error::Invalid(vec![Diagnostic {
                file: name.clone(),
                line: 1,
                column: 1,
                message: format!(
                    "not an RDF file newskg reads: the name must end in {EXTENSIONS}, or --input-format must name its syntax"
                ),
            }])
        })?;
        let bytes = crate::files::read_file(path).map_err(|source| Error::read(&name, source))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
            let (line, column) = line_col(prefix, valid);
            Error::Invalid(vec![Diagnostic {
                file: name.clone(),
                line,
                column,
                message: "not valid UTF-8; RDF files are UTF-8".into(),
            }])
        })?;
        RdfFile::parse(&name, &text, syntax)
    }

    /// Parses `text`, in `syntax`, named `name` in messages. A syntax error is reported at its
    /// place.
    pub fn parse(name: &str, text: &str, syntax: RdfSyntax) -> Result<RdfFile> {
        let mut file = RdfFile {
            name: name.to_string(),
            quads: Vec::new(),
            places: HashMap::new(),
            named: None,
        };
        let mut parser = match Parser::new(syntax) {
            Some(parser) => parser,
            None if syntax == RdfSyntax::RdfXml => {
                return file.parse_whole(text, RdfFormat::RdfXml);
            }
            None => {
                let profile = oxigraph::io::JsonLdProfileSet::empty();
                return file.parse_whole(text, RdfFormat::JsonLd { profile });
            }
        };
        let add = |quad: std::result::Result<Quad, oxttl::TurtleSyntaxError>,
                   line: usize,
                   file: &mut RdfFile| {
            let quad = quad.map_err(|e| {
                let offset = usize::try_from(e.location().start.offset).unwrap_or(usize::MAX);
                let (line, column) = line_col(text, offset);
                Error::Invalid(vec![Diagnostic {
                    file: name.to_string(),
                    line,
                    column,
                    message: format!("invalid RDF: {}", e.message()),
                }])
            })?;
            file.places.entry(quad.subject.clone()).or_insert((line, 1));
            if file.named.is_none() && !quad.graph_name.is_default_graph() {
                file.named = Some((line, quad.clone()));
            }
            file.quads.push(quad);
            Ok::<(), Error>(())
        };
        let mut line = 0;
        for chunk in text.split_inclusive('\n') {
            line += 1;
            parser.extend(chunk.as_bytes());
            while let Some(quad) = parser.next() {
                add(quad, line, &mut file)?;
            }
        }
        parser.end();
        while let Some(quad) = parser.next() {
            add(quad, line.max(1), &mut file)?;
        }
        Ok(file)
    }

    /// Parses `text` whole, in a syntax oxttl does not read (RDF/XML, JSON-LD): a syntax error
    /// is placed, the subjects are not. JSON-LD contexts are never fetched.
    fn parse_whole(mut self, text: &str, format: RdfFormat) -> Result<RdfFile> {
        for quad in RdfParser::from_format(format).for_slice(text.as_bytes()) {
            let quad = quad.map_err(|e| {
                let (line, column) = e.location().map_or((1, 1), |at| {
                    let one_based = |n: u64| usize::try_from(n).map_or(usize::MAX, |n| n + 1);
                    (one_based(at.start.line), one_based(at.start.column))
                });
                let message = e.to_string();
                Error::Invalid(vec![Diagnostic {
                    file: self.name.clone(),
                    line,
                    column,
                    message: format!("invalid RDF: {message}"),
                }])
            })?;
            if self.named.is_none() && !quad.graph_name.is_default_graph() {
                self.named = Some((1, quad.clone()));
            }
            self.quads.push(quad);
        }
        Ok(self)
    }

    /// The first quad the file puts in a named graph, and its line.
    pub fn first_in_named_graph(&self) -> Option<(usize, &Quad)> {
        self.named.as_ref().map(|(line, quad)| (*line, quad))
    }

    /// The 1-based line and column of the first triple about `subject`, if the file has one.
    pub fn place(&self, subject: &NamedOrBlankNode) -> Option<(usize, usize)> {
        self.places.get(subject).copied()
    }

    /// The union of the file's graphs.
    pub fn triples(&self) -> impl Iterator<Item = Triple> + '_ {
        self.quads.iter().map(|q| Triple::from(q.clone()))
    }
}

/// oxttl's streaming parser for one syntax.
enum Parser {
    NTriples(oxttl::ntriples::LowLevelNTriplesParser),
    NQuads(oxttl::nquads::LowLevelNQuadsParser),
    Turtle(oxttl::turtle::LowLevelTurtleParser),
    TriG(oxttl::trig::LowLevelTriGParser),
}

impl Parser {
    /// oxttl's parser of the syntax; `None` for those it does not read.
    fn new(syntax: RdfSyntax) -> Option<Parser> {
        Some(match syntax {
            RdfSyntax::NTriples => Parser::NTriples(oxttl::NTriplesParser::new().low_level()),
            RdfSyntax::NQuads => Parser::NQuads(oxttl::NQuadsParser::new().low_level()),
            RdfSyntax::Turtle => Parser::Turtle(oxttl::TurtleParser::new().low_level()),
            RdfSyntax::TriG => Parser::TriG(oxttl::TriGParser::new().low_level()),
            RdfSyntax::RdfXml | RdfSyntax::JsonLd => return None,
        })
    }

    fn extend(&mut self, bytes: &[u8]) {
        match self {
            Parser::NTriples(p) => p.extend_from_slice(bytes),
            Parser::NQuads(p) => p.extend_from_slice(bytes),
            Parser::Turtle(p) => p.extend_from_slice(bytes),
            Parser::TriG(p) => p.extend_from_slice(bytes),
        }
    }

    fn end(&mut self) {
        match self {
            Parser::NTriples(p) => p.end(),
            Parser::NQuads(p) => p.end(),
            Parser::Turtle(p) => p.end(),
            Parser::TriG(p) => p.end(),
        }
    }

    /// The next quad the data given so far holds (a triple is in the default graph).
    fn next(&mut self) -> Option<std::result::Result<Quad, oxttl::TurtleSyntaxError>> {
        let in_default = |t: Triple| t.in_graph(oxigraph::model::GraphName::DefaultGraph);
        match self {
            Parser::NTriples(p) => p.parse_next().map(|r| r.map(in_default)),
            Parser::NQuads(p) => p.parse_next(),
            Parser::Turtle(p) => p.parse_next().map(|r| r.map(in_default)),
            Parser::TriG(p) => p.parse_next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    fn node(iri: &str) -> NamedOrBlankNode {
        NamedNode::new_unchecked(iri).into()
    }

    #[test]
    fn a_subject_is_placed_at_its_first_triple() {
        let nt = "<http://e/a> <http://e/p> \"x\" .\n\n<http://e/b> <http://e/p> <http://e/a> .\n<http://e/a> <http://e/q> \"y\" .\n";
        let file = RdfFile::parse("t.nt", nt, RdfSyntax::NTriples).unwrap();
        assert_eq!(file.quads.len(), 3);
        assert_eq!(file.place(&node("http://e/a")), Some((1, 1)));
        assert_eq!(file.place(&node("http://e/b")), Some((3, 1)));
        assert_eq!(file.place(&node("http://e/c")), None);
    }

    #[test]
    fn turtle_subjects_are_placed_at_the_line_that_ends_their_first_triple() {
        let ttl = "@prefix e: <http://e/> .\n\ne:a a e:C ;\n    e:p \"x\",\n        \"\"\"two\nlines\"\"\" .\n\ne:b\n    e:p e:a .\n";
        let file = RdfFile::parse("t.ttl", ttl, RdfSyntax::Turtle).unwrap();
        assert_eq!(file.quads.len(), 4);
        assert_eq!(file.place(&node("http://e/a")), Some((3, 1)));
        assert_eq!(file.place(&node("http://e/b")), Some((9, 1)));
    }

    #[test]
    fn a_syntax_error_is_reported_at_its_place() {
        let nt = "<http://e/a> <http://e/p> \"x\" .\n<http://e/a> <http://e/p> oops .\n";
        let Err(Error::Invalid(d)) = RdfFile::parse("t.nt", nt, RdfSyntax::NTriples) else {
            panic!("a syntax error");
        };
        assert_eq!((d[0].file.as_str(), d[0].line), ("t.nt", 2));
        assert!(
            d[0].message.starts_with("invalid RDF: "),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn syntaxes_are_told_by_extension() {
        assert_eq!(
            RdfSyntax::from_path(Path::new("a/b.trig")),
            Some(RdfSyntax::TriG)
        );
        assert_eq!(RdfSyntax::from_path(Path::new("a.toml")), None);
    }
}
