//! A pretty, deterministic Turtle and TriG writer: subjects sorted, `rdf:type` first, triples
//! grouped with `;` and `,`, only the prefixes used, and IRIs under the data base written
//! relative to an `@base`.

use super::canonical::{Fields, Key, Node};
use crate::vocab;
use rayon::prelude::*;
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
    /// The base the data's IRIs are written relative to.
    pub fn base(&self) -> Option<&str> {
        self.base.as_deref()
    }

    pub fn new(base: Option<&str>) -> Self {
        Terms {
            base: base.map(str::to_string),
            used_prefixes: BTreeSet::new(),
            used_base: false,
        }
    }

    fn compact<'a>(&self, iri: &'a str) -> Compact<'a> {
        // A simple local part holds no `/` or `#` and every namespace ends with one (a test
        // checks): the only namespace that can fit is the IRI up to its last `/` or `#`.
        if let Some(end) = iri.rfind(['/', '#']) {
            let (ns, local) = iri.split_at(end + 1);
            if let Some((prefix, _)) = vocab::PREFIXES.iter().find(|(_, n)| *n == ns)
                && is_simple_local(local)
            {
                return Compact::Prefixed(prefix, local);
            }
        }
        if let Some(base) = &self.base
            && let Some(rest) = iri.strip_prefix(base.as_str())
            && is_safe_relative(rest)
        {
            return Compact::Relative(rest);
        }
        Compact::Full
    }

    /// Notes the prefixes an N-Triples term will use, before it is written.
    pub fn note(&mut self, term: &str) {
        if let Some(iri) = iri_in(term) {
            self.note_iri(iri);
        }
    }

    /// Notes the prefixes (and the base) a quad's terms will use; `rdf:type` is written `a`.
    pub fn note_fields(&mut self, f: Fields<'_>) {
        for node in [f.graph, f.subject] {
            if let Node::Iri(iri) = node {
                self.note_iri(iri);
            }
        }
        if f.predicate != vocab::rdf::TYPE {
            self.note_iri(f.predicate);
        }
        self.note(f.object);
    }

    /// Notes the prefix (or the base) an IRI will use.
    pub fn note_iri(&mut self, iri: &str) {
        match self.compact(iri) {
            Compact::Prefixed(prefix, _) => {
                self.used_prefixes.insert(prefix);
            }
            Compact::Relative(_) => self.used_base = true,
            Compact::Full => {}
        }
    }

    fn iri(&self, iri: &str, out: &mut String) {
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
    fn term(&self, term: &str, out: &mut String) {
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

    fn node(&self, node: Node<'_>, out: &mut String) {
        match node {
            Node::Default => {}
            Node::Iri(iri) => self.iri(iri, out),
            Node::Blank(b) => out.push_str(b),
        }
    }

    fn predicate(&self, iri: &str, out: &mut String) {
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

/// Keys formatted at a time: cut at a subject's end, formatted in parallel, written in order.
const BATCH: usize = 1 << 16;

/// Writes sorted keys (see [`super::canonical`]) as Turtle, or as TriG when they name graphs:
/// `rdf:type` first, triples grouped with `;` and `,`, a blank line between subjects, each
/// named graph in braces. `terms` must have noted every term first, for the header. Each subject
/// block is formatted on its own (in parallel, a batch at a time) from its keys and the key
/// before it.
pub fn write(
    keys: impl Iterator<Item = io::Result<Key>>,
    terms: Terms,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_in_batches(keys, terms, out, BATCH)
}

fn write_in_batches(
    keys: impl Iterator<Item = io::Result<Key>>,
    terms: Terms,
    out: &mut dyn Write,
    size: usize,
) -> io::Result<()> {
    terms.header(out)?;
    let mut keys = keys.peekable();
    // the last key of the previous batch
    let mut previous: Option<Key> = None;
    let mut batch: Vec<Key> = Vec::with_capacity(size);
    loop {
        batch.clear();
        while let Some(key) = keys.next_if(|k| {
            batch.len() < size || k.as_ref().is_ok_and(|k| same_block(batch.last(), k))
        }) {
            batch.push(key?);
        }
        if let Some(Err(_)) = keys.peek() {
            return Err(keys.next().and_then(Result::err).expect("an error"));
        }
        if batch.is_empty() {
            break;
        }
        // where each subject block starts
        let starts: Vec<usize> = (0..batch.len())
            .filter(|&i| i == 0 || !same_block(Some(&batch[i - 1]), &batch[i]))
            .collect();
        let blocks: Vec<String> = starts
            .par_iter()
            .enumerate()
            .map(|(n, &start)| {
                let end = starts.get(n + 1).copied().unwrap_or(batch.len());
                let before = if start == 0 {
                    previous.as_ref()
                } else {
                    Some(&batch[start - 1])
                };
                block(&batch[start..end], before, &terms)
            })
            .collect();
        for text in &blocks {
            out.write_all(text.as_bytes())?;
        }
        previous = batch.pop();
    }
    if let Some(last) = previous
        && last.fields().graph != Node::Default
    {
        out.write_all(b"}\n")?;
    }
    Ok(())
}

/// Whether `key` continues the subject block of `last` (same graph, same subject).
fn same_block(last: Option<&Key>, key: &Key) -> bool {
    last.is_some_and(|last| {
        let (l, k) = (last.fields(), key.fields());
        l.graph == k.graph && l.subject == k.subject
    })
}

/// One subject block, from its keys (one graph, one subject) and the key written before it:
/// preceded by the end of the previous graph and the start of this one when the graph changes,
/// and by a blank line after another block of the same graph.
fn block(keys: &[Key], before: Option<&Key>, terms: &Terms) -> String {
    let first = keys[0].fields();
    let before = before.map(Key::fields);
    let mut text = String::new();
    let new_graph = before.is_none_or(|b| b.graph != first.graph);
    if new_graph {
        if let Some(b) = before
            && b.graph != Node::Default
        {
            text.push_str("}\n");
        }
        if first.graph != Node::Default {
            if before.is_some() {
                text.push('\n');
            }
            terms.node(first.graph, &mut text);
            text.push_str(" {\n");
        }
    }
    // a block after another in the same graph (the default graph comes first)
    if before.is_some_and(|b| b.graph == first.graph) {
        text.push('\n');
    }
    let indent = if first.graph == Node::Default {
        ""
    } else {
        "    "
    };
    text.push_str(indent);
    terms.node(first.subject, &mut text);
    let mut predicate: Option<&str> = None;
    let mut objects: Vec<String> = Vec::new();
    for key in keys {
        let f = key.fields();
        if predicate != Some(f.predicate) {
            if predicate.is_some() {
                close_predicate(&mut text, &mut objects, indent);
                text.push_str(" ;\n");
                text.push_str(indent);
                text.push_str("    ");
            } else {
                text.push(' ');
            }
            terms.predicate(f.predicate, &mut text);
            text.push(' ');
            predicate = Some(f.predicate);
        }
        let mut object = String::new();
        terms.term(f.object, &mut object);
        objects.push(object);
    }
    close_predicate(&mut text, &mut objects, indent);
    text.push_str(" .\n");
    text
}

/// Writes a predicate's objects: short lists on one line, longer ones a line per object.
fn close_predicate(text: &mut String, objects: &mut Vec<String>, indent: &str) {
    if objects.is_empty() {
        return;
    }
    let width: usize = objects.iter().map(|o| o.chars().count() + 2).sum();
    if objects.len() > 1 && width > 80 {
        let separator = format!(",\n{indent}        ");
        text.push_str(&objects.join(&separator));
    } else {
        text.push_str(&objects.join(", "));
    }
    objects.clear();
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
        let terms = Terms::new(None);
        let mut out = String::new();
        terms.iri(&format!("{}State", vocab::NKG), &mut out);
        terms.iri(&format!("{}a/b", vocab::NKG), &mut out);
        assert_eq!(out, format!("nkg:State<{}a/b>", vocab::NKG));
    }

    #[test]
    fn batches_of_any_size_write_the_same_bytes() {
        use crate::export::canonical::{DEFAULT_BUDGET, Sorter};
        let quads = crate::testing::seed_quads();
        let base = crate::mapping::Base::default();
        for format in [RdfOutput::Turtle, RdfOutput::TriG] {
            let export = |size: usize| {
                let mut terms = Terms::new(Some(base.as_str()));
                let mut sorter = Sorter::new(DEFAULT_BUDGET);
                for q in &quads {
                    let key = export::key(&mut String::new(), q, format);
                    terms.note_fields(key.fields());
                    sorter.push(key).unwrap();
                }
                let mut out = Vec::new();
                write_in_batches(sorter.finish().unwrap(), terms, &mut out, size).unwrap();
                out
            };
            let whole = export(BATCH);
            assert!(whole.len() > 100_000);
            for size in [1, 2, 7, 100] {
                assert!(export(size) == whole, "{format:?} in batches of {size}");
            }
        }
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
