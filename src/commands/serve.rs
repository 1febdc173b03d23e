//! `newskg serve`: the knowledge graph (the embedded default, files or a store) as a read-only
//! SPARQL endpoint with a web page (see [`crate::serve`]), until the process is stopped.

use super::{Source, Status};
use crate::error::{Error, Result};
use crate::serve::{Endpoint, Limits};
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Options {
    pub source: Source,
    /// The address to listen on.
    pub bind: SocketAddr,
    /// Whether an address other than the loopback's may be bound (`--public`).
    pub public: bool,
    pub limits: Limits,
}

/// Where the server listens unless told otherwise: the loopback (Oxigraph's port).
pub const DEFAULT_BIND: &str = "127.0.0.1:7878";

/// Loads the graph, binds, says where it listens on standard error, then serves; returns only
/// when the server cannot start (an address in use, a graph that cannot be read).
pub fn run(options: &Options) -> Result<Status> {
    if !options.bind.ip().is_loopback() && !options.public {
        return Err(Error::Usage(format!(
            "--bind {}: not a loopback address; anyone who can reach this machine could query it. Add --public if that is meant (and see the limits in `newskg serve --help`)",
            options.bind
        )));
    }
    let graph = options.source.graph()?;
    let endpoint = Arc::new(Endpoint::new(graph, options.limits.clone()));
    let handler = Arc::clone(&endpoint);
    let server = oxhttp::Server::new(move |request| handler.handle(request))
        .bind(options.bind)
        .with_global_timeout(options.limits.timeout + std::time::Duration::from_secs(30))
        // connections beyond the queries that may run: those waiting on the page, the list…
        .with_max_concurrent_connections(options.limits.max_concurrent.saturating_mul(16).max(64))
        .with_server_name(concat!("newskg/", env!("CARGO_PKG_VERSION")))
        .expect("a valid server name");
    let listening = server.spawn().map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                " (another server listens there; choose another port with --bind ADDRESS:PORT)"
            }
            std::io::ErrorKind::AddrNotAvailable => " (no interface of this machine has it)",
            std::io::ErrorKind::PermissionDenied => " (ports below 1024 need privileges)",
            _ => "",
        };
        Error::Io {
            what: format!("cannot listen on {}{hint}", options.bind),
            source: e,
        }
    })?;
    eprintln!(
        "newskg: serving {} at http://{}/ (SPARQL endpoint: /sparql; Ctrl-C stops)",
        describe(&options.source),
        options.bind
    );
    listening.join().map_err(|e| Error::Io {
        what: "the server stopped".into(),
        source: e,
    })?;
    Ok(Status::Success)
}

fn describe(source: &Source) -> String {
    match source {
        Source::Embedded { .. } => "the embedded seed article".into(),
        Source::Files { paths, .. } => {
            let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            shown.join(", ")
        }
        Source::Store { dir, .. } => format!("the store {}", dir.display()),
    }
}
