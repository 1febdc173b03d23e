//! A pretty, deterministic Turtle and TriG writer: subjects sorted, `rdf:type` first, triples
//! grouped with `;` and `,`, only the prefixes used, and IRIs under the data base written
//! relative to an `@base`.

use crate::canonical::{Key, Node};
use crate::vocab;
use std::collections::BTreeSet;
use std::io::{self, Write};

/// Writes terms compactly and remembers which prefixes (and whether the base) it used.
pub struct Terms {
    base: Option<String>,
    used_prefixes: BTreeSet<&'static str>,
    used_base: bool,
}

/// Whether `local` can be written as the local part of a prefixed name without escapes.
fn is_simple_local(local: &str) -> bool {
    !local.is_empty()
        && local.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !local.ends_with('.')
}

/// Whether `rest` resolves against a base ending in `/` to exactly base + rest.
fn is_safe_relative(rest: &str) -> bool {
    !rest.starts_with('/')
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/'))
        && rest.split('/').all(|seg| seg != "." && seg != "..")
        && !rest.split('/').next().is_some_and(|s| s.contains(':'))
}

/// How an IRI is written: as a prefixed name, relative to the base, or in full.
enum Compact<'a> {
    Prefixed(&'static str, &'a str),
    Relative(&'a str),
    Full,
}

/// The IRI of an N-Triples IRI term or literal datatype, if any.
pub fn iri_in(term: &str) -> Option<&str> {
    if let Some(iri) = term.strip_prefix('<') {
        return iri.strip_suffix('>');
    }
    if term.starts_with('"') {
        let close = term.rfind('"')?;
        return term[close + 1..].strip_prefix("^^<")?.strip_suffix('>');
    }
    None
}

impl Terms {
    pub fn new(base: Option<&str>) -> Self {
        Terms {
            base: base.map(str::to_string),
            used_prefixes: BTreeSet::new(),
            used_base: false,
        }
    }

    fn compact<'a>(&mut self, iri: &'a str) -> Compact<'a> {
        // A simple local part holds no `/` or `#` and every namespace ends with one (a test
        // checks): the only namespace that can fit is the IRI up to its last `/` or `#`.
        if let Some(end) = iri.rfind(['/', '#']) {
            let (ns, local) = iri.split_at(end + 1);
            if let Some((prefix, _)) = vocab::PREFIXES.iter().find(|(_, n)| *n == ns)
                && is_simple_local(local)
            {
                self.used_prefixes.insert(prefix);
                return Compact::Prefixed(prefix, local);
            }
        }
        if let Some(base) = &self.base
            && let Some(rest) = iri.strip_prefix(base.as_str())
            && is_safe_relative(rest)
        {
            self.used_base = true;
            return Compact::Relative(rest);
        }
        Compact::Full
    }

    /// Notes the prefixes an N-Triples term will use, before it is written.
    pub fn note(&mut self, term: &str) {
        if let Some(iri) = iri_in(term) {
            self.compact(iri);
        }
    }

    /// Notes the prefix (or the base) an IRI will use.
    pub fn note_iri(&mut self, iri: &str) {
        self.compact(iri);
    }

    fn iri(&mut self, iri: &str, out: &mut String) {
        match self.compact(iri) {
            Compact::Prefixed(prefix, local) => {
                out.push_str(prefix);
                out.push(':');
                out.push_str(local);
            }
            Compact::Relative(rest) => {
                out.push('<');
                out.push_str(rest);
                out.push('>');
            }
            Compact::Full => {
                out.push('<');
                out.push_str(iri);
                out.push('>');
            }
        }
    }

    /// Writes an N-Triples term as Turtle: IRIs compacted, literals as they are (N-Triples
    /// escapes are Turtle's) with their datatype compacted and `xsd:string` left implicit.
    fn term(&mut self, term: &str, out: &mut String) {
        if let Some(iri) = term.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            return self.iri(iri, out);
        }
        if term.starts_with('"')
            && let Some(close) = term.rfind('"')
            && let Some(datatype) = term[close + 1..]
                .strip_prefix("^^<")
                .and_then(|t| t.strip_suffix('>'))
        {
            out.push_str(&term[..=close]);
            out.push_str("^^");
            return self.iri(datatype, out);
        }
        out.push_str(term);
    }

    fn node(&mut self, node: Node<'_>, out: &mut String) {
        match node {
            Node::Default => {}
            Node::Iri(iri) => self.iri(iri, out),
            Node::Blank(b) => out.push_str(b),
        }
    }

    fn predicate(&mut self, iri: &str, out: &mut String) {
        if iri == vocab::rdf::TYPE {
            out.push('a');
        } else {
            self.iri(iri, out);
        }
    }

    fn header(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.used_base
            && let Some(base) = &self.base
        {
            writeln!(out, "@base <{base}> .")?;
        }
        for (prefix, ns) in vocab::PREFIXES {
            if self.used_prefixes.contains(prefix) {
                writeln!(out, "@prefix {prefix}: <{ns}> .")?;
            }
        }
        writeln!(out)
    }
}

/// The subject block being written: its text up to the current predicate, and that predicate's
/// objects.
struct Block {
    text: String,
    objects: Vec<String>,
}

impl Block {
    fn close_predicate(&mut self, indent: &str) {
        if self.objects.is_empty() {
            return;
        }
        // Short lists stay on one line; longer ones get a line per object.
        let width: usize = self.objects.iter().map(|o| o.chars().count() + 2).sum();
        if self.objects.len() > 1 && width > 80 {
            let separator = format!(",\n{indent}        ");
            self.text.push_str(&self.objects.join(&separator));
        } else {
            self.text.push_str(&self.objects.join(", "));
        }
        self.objects.clear();
    }
}

/// Writes sorted keys (see [`crate::canonical`]) as Turtle, or as TriG when they name graphs:
/// `rdf:type` first, triples grouped with `;` and `,`, a blank line between subjects, each
/// named graph in braces. `terms` must have noted every term first, for the header.
pub fn write(
    keys: impl Iterator<Item = io::Result<Key>>,
    mut terms: Terms,
    out: &mut dyn Write,
) -> io::Result<()> {
    terms.header(out)?;
    let mut previous: Option<Key> = None;
    let mut block: Option<Block> = None;
    // Whether something was written at the top level, and in the current graph.
    let (mut top_written, mut inner_written) = (false, false);
    for key in keys {
        let key = key?;
        let f = key.fields();
        let last = previous.as_ref().map(Key::fields);
        let new_graph = last.is_none_or(|l| l.graph != f.graph);
        if new_graph {
            if let Some(l) = last {
                finish_graph(l.graph, &mut block, out)?;
            }
            if f.graph != Node::Default {
                if top_written || inner_written {
                    out.write_all(b"\n")?;
                }
                let mut name = String::new();
                terms.node(f.graph, &mut name);
                writeln!(out, "{name} {{")?;
                top_written = true;
                inner_written = false;
            }
        }
        let indent = indent_in(f.graph);
        let written = if f.graph == Node::Default {
            &mut top_written
        } else {
            &mut inner_written
        };
        let same_subject = !new_graph && last.is_some_and(|l| l.subject == f.subject);
        if !same_subject {
            finish_block(&mut block, indent, out)?;
            let mut text = String::new();
            if *written {
                text.push('\n');
            }
            *written = true;
            text.push_str(indent);
            terms.node(f.subject, &mut text);
            block = Some(Block {
                text,
                objects: Vec::new(),
            });
        }
        let b = block.as_mut().expect("a block is open");
        let same_predicate = same_subject && last.is_some_and(|l| l.predicate == f.predicate);
        if !same_predicate {
            if same_subject {
                b.close_predicate(indent);
                b.text.push_str(" ;\n");
                b.text.push_str(indent);
                b.text.push_str("    ");
            } else {
                b.text.push(' ');
            }
            terms.predicate(f.predicate, &mut b.text);
            b.text.push(' ');
        }
        let mut object = String::new();
        terms.term(f.object, &mut object);
        b.objects.push(object);
        previous = Some(key);
    }
    match previous {
        Some(last) => finish_graph(last.fields().graph, &mut block, out),
        None => Ok(()),
    }
}

/// Subject blocks in a named graph are indented.
fn indent_in(graph: Node<'_>) -> &'static str {
    if graph == Node::Default { "" } else { "    " }
}

fn finish_block(block: &mut Option<Block>, indent: &str, out: &mut dyn Write) -> io::Result<()> {
    if let Some(mut b) = block.take() {
        b.close_predicate(indent);
        b.text.push_str(" .\n");
        out.write_all(b.text.as_bytes())?;
    }
    Ok(())
}

/// Ends the open subject block of `graph`, and its braces when it is a named graph.
fn finish_graph(graph: Node<'_>, block: &mut Option<Block>, out: &mut dyn Write) -> io::Result<()> {
    finish_block(block, indent_in(graph), out)?;
    if graph != Node::Default {
        out.write_all(b"}\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{self, RdfOutput};
    use crate::vocab::rdf;
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Triple};

    fn n(s: &str) -> NamedNode {
        NamedNode::new_unchecked(s)
    }

    #[test]
    fn groups_sorts_and_declares_only_used_prefixes() {
        let base = "https://example.org/d/";
        let israel = n("https://example.org/d/entity/israel");
        let triples = vec![
            Triple::new(
                israel.clone(),
                n(vocab::rdfs::LABEL),
                Literal::new_language_tagged_literal_unchecked("Israel", "en"),
            ),
            Triple::new(
                israel.clone(),
                n(rdf::TYPE),
                n(&format!("{}State", vocab::NKG)),
            ),
            Triple::new(
                israel.clone(),
                n(vocab::skos::ALT_LABEL),
                Literal::new_simple_literal("the \"Jewish\" state\n"),
            ),
            Triple::new(
                israel.clone(),
                n(vocab::skos::ALT_LABEL),
                Literal::new_simple_literal("Jerusalem"),
            ),
        ];
        let quads: Vec<Quad> = triples
            .into_iter()
            .map(|t| t.in_graph(GraphName::DefaultGraph))
            .collect();
        let mut out = Vec::new();
        export::write(&quads, RdfOutput::Turtle, Some(base), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "@base <https://example.org/d/> .\n\
             @prefix nkg: <https://w3id.org/newskg/ontology#> .\n\
             @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
             @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
             \n\
             <entity/israel> a nkg:State ;\n    \
             rdfs:label \"Israel\"@en ;\n    \
             skos:altLabel \"Jerusalem\", \"the \\\"Jewish\\\" state\\n\" .\n"
        );
    }

    #[test]
    fn every_namespace_ends_where_a_local_name_cannot() {
        for (prefix, ns) in vocab::PREFIXES {
            assert!(ns.ends_with(['/', '#']), "{prefix}: {ns}");
        }
        let mut terms = Terms::new(None);
        let mut out = String::new();
        terms.iri(&format!("{}State", vocab::NKG), &mut out);
        terms.iri(&format!("{}a/b", vocab::NKG), &mut out);
        assert_eq!(out, format!("nkg:State<{}a/b>", vocab::NKG));
    }

    #[test]
    fn local_names_and_relative_iris() {
        assert!(is_simple_local("Q801"));
        assert!(is_simple_local("allyOf"));
        assert!(!is_simple_local("a/b"));
        assert!(!is_simple_local("end."));
        assert!(is_safe_relative("article/x/fact/y"));
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("a:b/c"));
        assert!(!is_safe_relative("a?b"));
    }
}
