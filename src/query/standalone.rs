//! A query as SPARQL that stands on its own, for another engine: the prefixes it uses declared,
//! its parameters written in as terms, and otherwise its own text (its shapes are what the
//! engine plans; a query printed back from the algebra is harder to read and to some engines
//! means something else).

use oxigraph::model::Term;
use std::fmt::Write;

/// `text` with a `PREFIX` line for each of `prefixes` it uses, and every `?name` (or `$name`) of
/// `bindings` replaced by its term: outside strings, IRIs and comments, as a SPARQL lexer reads
/// them. The `#` comment lines before the query (its header) are left out.
pub fn standalone(
    text: &str,
    prefixes: &[(String, String)],
    bindings: &[(String, Term)],
) -> String {
    let body = strip_header(text);
    let body = replace_variables(body, bindings);
    let mut out = String::new();
    for (prefix, namespace) in prefixes {
        if uses_prefix(&body, prefix) {
            let _ = writeln!(out, "PREFIX {prefix}: <{namespace}>");
        }
    }
    out.push_str(&body);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The query after its header of comment lines and blank lines.
fn strip_header(text: &str) -> &str {
    let mut rest = text;
    while let Some(line) = rest.split_inclusive('\n').next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            rest = &rest[line.len()..];
        } else {
            break;
        }
    }
    rest
}

/// Whether `prefix:` starts a prefixed name somewhere in `body` (a false positive only declares a
/// prefix that is not used).
fn uses_prefix(body: &str, prefix: &str) -> bool {
    let needle = format!("{prefix}:");
    body.match_indices(&needle).any(|(i, _)| {
        body[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
    })
}

fn replace_variables(body: &str, bindings: &[(String, Term)]) -> String {
    let mut out = String::with_capacity(body.len());
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '#' => {
                // a comment, to the end of the line
                while i < chars.len() && chars[i] != '\n' {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            '<' if looks_like_iri(&chars[i..]) => {
                while i < chars.len() {
                    out.push(chars[i]);
                    i += 1;
                    if chars[i - 1] == '>' {
                        break;
                    }
                }
            }
            '"' | '\'' => {
                let long = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
                let quote_len = if long { 3 } else { 1 };
                out.extend(&chars[i..i + quote_len]);
                i += quote_len;
                while i < chars.len() {
                    if chars[i] == '\\' {
                        out.extend(&chars[i..(i + 2).min(chars.len())]);
                        i += 2;
                        continue;
                    }
                    if chars[i] == c && (!long || chars[i..].starts_with(&[c, c, c])) {
                        out.extend(&chars[i..i + quote_len]);
                        i += quote_len;
                        break;
                    }
                    out.push(chars[i]);
                    i += 1;
                }
            }
            '?' | '$' => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                match bindings.iter().find(|(n, _)| *n == name) {
                    Some((_, term)) if end > start => {
                        let _ = write!(out, "{term}");
                    }
                    _ => out.extend(&chars[i..end]),
                }
                i = end.max(i + 1);
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Whether a `<` starts an IRI (not the less-than operator): no space or `<` before its `>`.
fn looks_like_iri(chars: &[char]) -> bool {
    for &c in &chars[1..] {
        match c {
            '>' => return true,
            c if c.is_whitespace() || c == '<' || c == '"' || c == '{' || c == '}' => {
                return false;
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn iri(s: &str) -> Term {
        NamedNode::new(s).unwrap().into()
    }

    #[test]
    fn parameters_are_written_in_outside_strings_iris_and_comments() {
        let text = "# title: x\n# param: e (entity)\n\nSELECT ?a WHERE {\n  ?a nkg:p ?e . # ?e here\n  FILTER(?a != \"?e\" && ?n < 3 && STR(?a) > '''it's ?e''')\n  ?a <http://x/?e> $e ; nkg:q ?entity .\n}\n";
        let bindings = vec![
            ("e".to_string(), iri("http://example.org/israel")),
            ("n".to_string(), Literal::from(2).into()),
        ];
        let prefixes = vec![
            (
                "nkg".to_string(),
                "https://w3id.org/newskg/ontology#".to_string(),
            ),
            (
                "rdfs".to_string(),
                "http://www.w3.org/2000/01/rdf-schema#".to_string(),
            ),
        ];
        assert_eq!(
            standalone(text, &prefixes, &bindings),
            "PREFIX nkg: <https://w3id.org/newskg/ontology#>\nSELECT ?a WHERE {\n  ?a nkg:p <http://example.org/israel> . # ?e here\n  FILTER(?a != \"?e\" && \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> < 3 && STR(?a) > '''it's ?e''')\n  ?a <http://x/?e> <http://example.org/israel> ; nkg:q ?entity .\n}\n"
        );
    }

    #[test]
    fn a_prefix_is_declared_only_when_a_name_uses_it() {
        assert!(uses_prefix("?a rdfs:label ?l", "rdfs"));
        assert!(!uses_prefix("?a xrdfs:label ?l", "rdfs"));
        assert!(uses_prefix("(rdfs:label)", "rdfs"));
    }
}
