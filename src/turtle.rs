//! A pretty, deterministic Turtle and TriG writer: subjects sorted, `rdf:type` first, triples
//! grouped with `;` and `,`, only the prefixes used, and IRIs under the data base written
//! relative to an `@base`.

use crate::vocab::{self, rdf};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::BTreeSet;
use std::io::{self, Write};

/// Writes terms compactly and remembers which prefixes (and whether the base) it used.
struct Terms<'a> {
    base: Option<&'a str>,
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

impl Terms<'_> {
    fn iri(&mut self, iri: &str) -> String {
        for (prefix, ns) in vocab::PREFIXES {
            if let Some(local) = iri.strip_prefix(ns)
                && is_simple_local(local)
            {
                self.used_prefixes.insert(prefix);
                return format!("{prefix}:{local}");
            }
        }
        if let Some(base) = self.base
            && let Some(rest) = iri.strip_prefix(base)
            && is_safe_relative(rest)
        {
            self.used_base = true;
            return format!("<{rest}>");
        }
        NamedNode::new_unchecked(iri).to_string()
    }

    fn subject(&mut self, s: &NamedOrBlankNode) -> String {
        match s {
            NamedOrBlankNode::NamedNode(n) => self.iri(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => b.to_string(),
        }
    }

    fn predicate(&mut self, p: &NamedNode) -> String {
        if p.as_str() == rdf::TYPE {
            "a".into()
        } else {
            self.iri(p.as_str())
        }
    }

    fn object(&mut self, o: &Term) -> String {
        match o {
            Term::NamedNode(n) => self.iri(n.as_str()),
            Term::BlankNode(b) => b.to_string(),
            Term::Literal(l) => self.literal(l),
            #[allow(unreachable_patterns)]
            other => other.to_string(),
        }
    }

    fn literal(&mut self, l: &Literal) -> String {
        let mut out = String::with_capacity(l.value().len() + 2);
        out.push('"');
        for c in l.value().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        if let Some(lang) = l.language() {
            out.push('@');
            out.push_str(lang);
        } else if l.datatype().as_str() != vocab::xsd::STRING {
            out.push_str("^^");
            out.push_str(&self.iri(l.datatype().as_str()));
        }
        out
    }
}

/// Subjects sort by their IRI (so `<a/b>` comes right after `<a>`), blank nodes last.
fn subject_key(s: &NamedOrBlankNode) -> (bool, String) {
    match s {
        NamedOrBlankNode::NamedNode(n) => (false, n.as_str().to_string()),
        NamedOrBlankNode::BlankNode(b) => (true, b.as_str().to_string()),
    }
}

fn predicate_rank(p: &NamedNode) -> (bool, String) {
    (p.as_str() != rdf::TYPE, p.as_str().to_string())
}

/// Renders the subject blocks of `triples` (indented by `indent`) into `body`.
fn blocks(triples: &[&Triple], terms: &mut Terms<'_>, indent: &str, body: &mut String) {
    let mut sorted: Vec<&Triple> = triples.to_vec();
    sorted.sort_by_cached_key(|t| {
        (
            subject_key(&t.subject),
            predicate_rank(&t.predicate),
            t.object.to_string(),
        )
    });
    sorted.dedup();
    let mut i = 0;
    while i < sorted.len() {
        let subject = &sorted[i].subject;
        body.push_str(indent);
        body.push_str(&terms.subject(subject));
        let mut first_predicate = true;
        while i < sorted.len() && &sorted[i].subject == subject {
            let predicate = &sorted[i].predicate;
            if first_predicate {
                body.push(' ');
            } else {
                body.push_str(" ;\n");
                body.push_str(indent);
                body.push_str("    ");
            }
            first_predicate = false;
            body.push_str(&terms.predicate(predicate));
            body.push(' ');
            let mut objects = Vec::new();
            while i < sorted.len()
                && &sorted[i].subject == subject
                && &sorted[i].predicate == predicate
            {
                objects.push(terms.object(&sorted[i].object));
                i += 1;
            }
            // Short lists stay on one line; longer ones get a line per object.
            let width: usize = objects.iter().map(|o| o.chars().count() + 2).sum();
            if objects.len() > 1 && width > 80 {
                let separator = format!(",\n{indent}        ");
                body.push_str(&objects.join(&separator));
            } else {
                body.push_str(&objects.join(", "));
            }
        }
        body.push_str(" .\n\n");
    }
}

fn header(terms: &Terms<'_>, out: &mut dyn Write) -> io::Result<()> {
    if terms.used_base
        && let Some(base) = terms.base
    {
        writeln!(out, "@base <{base}> .")?;
    }
    for (prefix, ns) in vocab::PREFIXES {
        if terms.used_prefixes.contains(prefix) {
            writeln!(out, "@prefix {prefix}: <{ns}> .")?;
        }
    }
    writeln!(out)
}

/// Writes `triples` as Turtle. `base` (ending in `/`) is used for relative IRIs.
pub fn write_turtle(triples: &[Triple], base: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    let mut terms = Terms {
        base,
        used_prefixes: BTreeSet::new(),
        used_base: false,
    };
    let mut body = String::new();
    let refs: Vec<&Triple> = triples.iter().collect();
    blocks(&refs, &mut terms, "", &mut body);
    header(&terms, out)?;
    out.write_all(body.trim_end().as_bytes())?;
    writeln!(out)
}

/// Writes `quads` as TriG: default-graph triples first, then each named graph in IRI order.
pub fn write_trig(quads: &[Quad], base: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    let mut terms = Terms {
        base,
        used_prefixes: BTreeSet::new(),
        used_base: false,
    };
    let mut graphs: std::collections::BTreeMap<String, (GraphName, Vec<Triple>)> =
        std::collections::BTreeMap::new();
    for q in quads {
        let key = match &q.graph_name {
            GraphName::DefaultGraph => String::new(),
            g => g.to_string(),
        };
        graphs
            .entry(key)
            .or_insert_with(|| (q.graph_name.clone(), Vec::new()))
            .1
            .push(Triple::new(
                q.subject.clone(),
                q.predicate.clone(),
                q.object.clone(),
            ));
    }
    let mut body = String::new();
    for (graph, triples) in graphs.values() {
        let refs: Vec<&Triple> = triples.iter().collect();
        match graph {
            GraphName::DefaultGraph => blocks(&refs, &mut terms, "", &mut body),
            GraphName::NamedNode(n) => {
                body.push_str(&terms.iri(n.as_str()));
                body.push_str(" {\n");
                let mut inner = String::new();
                blocks(&refs, &mut terms, "    ", &mut inner);
                body.push_str(inner.trim_end());
                body.push_str("\n}\n\n");
            }
            GraphName::BlankNode(b) => {
                body.push_str(&format!("{b} {{\n"));
                let mut inner = String::new();
                blocks(&refs, &mut terms, "    ", &mut inner);
                body.push_str(inner.trim_end());
                body.push_str("\n}\n\n");
            }
        }
    }
    header(&terms, out)?;
    out.write_all(body.trim_end().as_bytes())?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

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
        let mut out = Vec::new();
        write_turtle(&triples, Some(base), &mut out).unwrap();
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
