//! From what the user named to a parsed query: a canned query's name, a `.rq` file, inline
//! SPARQL or `-` (standard input), parsed with the vocabularies' prefixes predeclared; syntax
//! errors at their place in the query's source, updates refused.

use super::library::{self, QueryDoc};
use super::{data_prefixes, prefixes};
use crate::error::{Diagnostic, Error, Result};
use crate::input::{byte_offset, line_col};
use crate::mapping::Base;
use crate::vocab;
use spargebra::{Query, SparqlParser};
use std::io::Read;
use std::path::Path;

/// Turns the QUERY argument into a query: `-` is standard input, an existing path (or one ending
/// in `.rq`) a file, a bare name a canned query, anything else inline SPARQL.
pub fn resolve(arg: &str) -> Result<QueryDoc> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .take(crate::files::max_file_size())
            .read_to_string(&mut text)
            .map_err(|e| Error::read("standard input", e))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        return QueryDoc::parse("<stdin>", "<stdin>", text);
    }
    let path = Path::new(arg);
    if path.extension().is_some_and(|e| e == "rq") || (path.is_file() && !arg.contains('{')) {
        let bytes = crate::files::read_file(path).map_err(|e| Error::read(arg, e))?;
        let bytes = bytes
            .strip_prefix(crate::input::source::BOM)
            .unwrap_or(&bytes);
        let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
            Error::read(
                arg,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "not valid UTF-8 at byte {}; save the file as UTF-8",
                        e.utf8_error().valid_up_to()
                    ),
                ),
            )
        })?;
        return QueryDoc::parse(arg, arg, &text);
    }
    let is_name = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if is_name {
        return library::find(arg);
    }
    QueryDoc::parse("<query>", "<query>", arg)
}

/// A syntax error of a query, at its place in the query's source.
fn syntax_error(doc: &QueryDoc, error: &dyn std::fmt::Display) -> Error {
    let message = error.to_string();
    // spargebra says "error at LINE:COLUMN: expected …"
    let located = message.strip_prefix("error at ").and_then(|rest| {
        let (place, what) = rest.split_once(": ")?;
        let (line, column) = place.split_once(':')?;
        Some((line.parse().ok()?, column.parse().ok()?, what.to_string()))
    });
    let (mut line, mut column, what) = located.unwrap_or((1, 1, message));
    // spargebra matches a keyword by reading as many characters as it has, then comparing: when
    // only keywords were expected, the reported place is that many characters past the token
    // that failed. Step back to it.
    let expected: Vec<&str> = what
        .strip_prefix("expected one of ")
        .or_else(|| what.strip_prefix("expected "))
        .map(|list| list.split(", ").collect())
        .unwrap_or_default();
    let is_keyword = |k: &&str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
    };
    if !expected.is_empty() && expected.iter().all(is_keyword) {
        let back = expected.iter().map(|k| k.len()).min().unwrap_or(0);
        let offset = byte_offset(&doc.text, line, column);
        let token: usize = doc.text[..offset]
            .char_indices()
            .rev()
            .nth(back.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        (line, column) = line_col(&doc.text, token);
    }
    // Character classes make the "expected" list unreadable: keep the tokens and keywords.
    let items: Vec<&str> = what
        .strip_prefix("expected one of ")
        .or_else(|| what.strip_prefix("expected "))
        .map(|list| {
            list.split(", ")
                .filter(|i| !i.starts_with('[') && !i.starts_with('\'') && !i.starts_with('|'))
                .collect()
        })
        .unwrap_or_default();
    let message = if items.contains(&"Prefix not found") {
        let offset = byte_offset(&doc.text, line, column);
        let before = doc.text[..offset].trim_end();
        let start = before
            .rfind(|c: char| c.is_whitespace() || "{(,;".contains(c))
            .map_or(0, |i| i + 1);
        (line, column) = line_col(&doc.text, start);
        let name = before[start..].split(':').next().unwrap_or_default();
        format!(
            "SPARQL syntax error: undefined prefix `{name}:`; declare it with PREFIX, or use a predeclared one ({})",
            vocab::PREFIXES
                .iter()
                .map(|(p, _)| format!("{p}:"))
                .chain(data_prefixes(&Base::default()).map(|(p, _)| format!("{p}:")))
                .collect::<Vec<_>>()
                .join(" ")
        )
    } else if items.is_empty() {
        format!("SPARQL syntax error: {what}")
    } else {
        format!("SPARQL syntax error: expected {}", items.join(", "))
    };
    Error::SparqlSyntax(Diagnostic {
        file: doc.source.clone(),
        line,
        column,
        message,
    })
}

fn parser(base: &Base) -> SparqlParser {
    let mut parser = SparqlParser::new();
    for (p, ns) in prefixes(base) {
        parser = parser
            .with_prefix(p, ns)
            .expect("the predeclared prefixes are valid IRIs");
    }
    parser
}

/// Parses a query with the default base's prefixes (used to check canned queries).
pub fn parse(doc: &QueryDoc) -> Result<Query> {
    parse_with(doc, &Base::default())
}

/// Parses a query with `base`'s prefixes; a query nested deeper than the limits allow is
/// refused (see [`super::limits`]). Call it on a thread with a large stack
/// ([`super::limits::on_large_stack`]).
pub fn parse_with(doc: &QueryDoc, base: &Base) -> Result<Query> {
    super::limits::check_text(&doc.source, &doc.text)?;
    match parser(base).parse_query(&doc.text) {
        Ok(q) => {
            super::limits::check_depth(&doc.source, super::limits::shape(&q))?;
            Ok(q)
        }
        Err(e) => {
            if parser(base).parse_update(&doc.text).is_ok() {
                Err(Error::UpdateRefused {
                    query: doc.source.clone(),
                })
            } else {
                Err(syntax_error(doc, &e))
            }
        }
    }
}
