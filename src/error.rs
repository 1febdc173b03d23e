//! Errors of the library: input problems carry their place (`file:line:col`), the others say
//! what failed and, where obvious, how to fix it.

use std::fmt;

/// One problem in an input, at a place a person can go to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file as the user named it (or the embedded file's path, or `<query>` for inline SPARQL).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Every error newskg's library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Problems found in input files; each one names its place.
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
    #[error("invalid base IRI `{iri}`: {reason}")]
    InvalidBase { iri: String, reason: String },
    #[error("{0}")]
    SparqlSyntax(Diagnostic),
    #[error(
        "{query}: this is a SPARQL update; `newskg query` is read-only and runs only SELECT, ASK, CONSTRUCT and DESCRIBE"
    )]
    UpdateRefused { query: String },
    #[error(
        "{query}: this query calls a remote SPARQL service (SERVICE); newskg goes on the network only when asked: add --service"
    )]
    ServiceRefused { query: String },
    #[error("unknown canned query `{name}`{}; `newskg queries` lists them", did_you_mean(.suggestion))]
    UnknownQuery {
        name: String,
        suggestion: Option<String>,
    },
    #[error("--param {name}: {message}")]
    Parameter { name: String, message: String },
    #[error("query evaluation failed: {0}")]
    Evaluation(String),
    #[error("SPARQL endpoint {0}")]
    Remote(String),
    #[error("store error: {0}")]
    Store(String),
    #[error("cannot write {format}: {message}")]
    Serialization { format: String, message: String },
    #[error("{0}")]
    Usage(String),
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.to_string());
    }
    out
}

fn did_you_mean(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
