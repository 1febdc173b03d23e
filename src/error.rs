//! Errors of the library. A problem in an input carries its place (`file:line:col`); every other
//! error says what was being done and keeps its cause as its [`source`](std::error::Error::source),
//! so that the chain can be shown whole ([`chain`]) and nothing is said twice.

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

/// The cause of an error from another library (Oxigraph's storage, loader, parsers, HTTP).
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Every error newskg's library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file (or standard output) failed; `what` says which and how.
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// Problems found in input files; each one names its place.
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
    /// A `--base` that cannot be one (a usage error).
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
    /// Evaluating a query failed (`what` says which step).
    #[error("{what}")]
    Evaluation {
        what: String,
        #[source]
        source: Cause,
    },
    /// A remote SPARQL endpoint could not be used.
    #[error("SPARQL endpoint {url}: {what}")]
    Remote {
        url: String,
        what: String,
        #[source]
        source: Option<Cause>,
    },
    /// The store failed while doing `what`.
    #[error("{what}")]
    Store {
        what: String,
        #[source]
        source: Cause,
    },
    /// A store directory that newskg cannot use as it is (not a store, another version, none).
    #[error("{0}")]
    StoreLayout(String),
    #[error("cannot write {format}")]
    Serialization {
        format: String,
        #[source]
        source: Cause,
    },
    /// A query stopped at one of its limits (time, memory): which, and how to raise it.
    #[error("{0}")]
    Limit(String),
    /// A command line that cannot be carried out as given.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An I/O error while reading `path`.
    pub fn read(path: impl fmt::Display, source: std::io::Error) -> Error {
        Error::Io {
            what: format!("cannot read {path}"),
            source,
        }
    }

    /// An I/O error while writing `path`.
    pub fn write(path: impl fmt::Display, source: std::io::Error) -> Error {
        Error::Io {
            what: format!("cannot write {path}"),
            source,
        }
    }

    /// An I/O error while writing to standard output.
    pub fn stdout(source: std::io::Error) -> Error {
        Error::write("to standard output", source)
    }

    /// A store error while doing `what`, for `map_err`.
    pub fn store<E>(what: impl Into<String>) -> impl FnOnce(E) -> Error
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        caused(what.into(), |what, source| Error::Store { what, source })
    }

    /// A query evaluation error while doing `what`, for `map_err`.
    pub fn evaluation<E>(what: impl Into<String>) -> impl FnOnce(E) -> Error
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        caused(what.into(), |what, source| Error::Evaluation {
            what,
            source,
        })
    }

    /// Whether this is a usage error: the command line cannot be carried out as given (exit
    /// status 2), rather than an input, a query or a store that is wrong (1).
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Usage(_) | Error::InvalidBase { .. })
    }
}

/// An error of some kind (`make`) while doing `what`, caused by the error it is given.
fn caused<E>(what: String, make: fn(String, Cause) -> Error) -> impl FnOnce(E) -> Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    move |e| make(what, Box::new(e))
}

/// An error and its causes, each once: `what failed: why: why that`.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let message = c.to_string();
        // some causes repeat their own cause in their message: say each thing once
        if !text.ends_with(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        cause = c.source();
    }
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_says_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let e = Error::read("x.toml", io);
        assert_eq!(e.to_string(), "cannot read x.toml");
        assert_eq!(chain(&e), "cannot read x.toml: No such file");
        assert!(Error::Usage("u".into()).is_usage());
        assert!(!Error::StoreLayout("s".into()).is_usage());
    }
}
