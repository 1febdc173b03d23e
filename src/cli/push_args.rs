//! The arguments of `newskg push` and the credentials and endpoint URLs it shares with
//! `newskg query --endpoint`.

use super::InputArgs;
use clap::Args;
use newskg::Error;
use newskg::commands;
use newskg::link::remote::Endpoint;
use newskg::remote::Credentials;
use newskg::remote::client::DEFAULT_RETRIES;
use newskg::remote::push::{PushOptions, Target};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct PushArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// The store's SPARQL query endpoint (it reads the push manifest), e.g.
    /// http://127.0.0.1:8890/sparql for Virtuoso.
    #[arg(long, value_name = "URL")]
    endpoint: String,
    /// Send each graph by the SPARQL 1.1 Graph Store HTTP Protocol at this URL (PUT, DELETE),
    /// e.g. http://127.0.0.1:8890/sparql-graph-crud-auth. Without it, SPARQL Update is used.
    #[arg(long, value_name = "URL")]
    graph_store: Option<String>,
    /// The store's SPARQL Update endpoint, when it is not --endpoint (without --graph-store).
    #[arg(long, value_name = "URL", conflicts_with = "graph_store")]
    update: Option<String>,
    #[command(flatten)]
    credentials: CredentialArgs,
    /// Delete the graphs the store's manifest names and the corpus no longer holds.
    #[arg(long)]
    prune: bool,
    /// Send every graph, even those the manifest says the store holds already.
    #[arg(long)]
    force: bool,
    /// Say what would be sent and deleted, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Requests at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    jobs: u64,
    /// Seconds each request may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// Times a request the server answers 429 or 503 is tried again (with back-off).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RETRIES)]
    retries: u32,
}

impl PushArgs {
    pub fn into_options(self) -> Result<commands::push::Options, Error> {
        Ok(commands::push::Options {
            source: self.inputs.into_source()?,
            target: Target {
                query: endpoint_url("--endpoint", &self.endpoint)?,
                graph_store: self
                    .graph_store
                    .map(|url| endpoint_url("--graph-store", &url))
                    .transpose()?,
                update: self
                    .update
                    .map(|url| endpoint_url("--update", &url))
                    .transpose()?,
            },
            credentials: self.credentials.load()?,
            push: PushOptions {
                force: self.force,
                prune: self.prune,
                dry_run: self.dry_run,
                jobs: self.jobs as usize,
            },
            timeout: Duration::from_secs(self.timeout),
            retries: self.retries,
        })
    }
}

/// Where a remote store's credentials come from: never the command line (other users see it).
#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// Read the store's credentials from FILE (first line `user:password`; mode 600). Default:
    /// the environment's NEWSKG_ENDPOINT_USER and NEWSKG_ENDPOINT_PASSWORD, if set.
    #[arg(long, value_name = "FILE")]
    credentials: Option<PathBuf>,
}

impl CredentialArgs {
    pub fn load(self) -> Result<Option<Credentials>, Error> {
        match self.credentials {
            Some(path) => Credentials::from_file(&path).map(Some),
            None => Credentials::from_env(),
        }
    }
}

/// A remote endpoint's URL, checked; an error names the flag that gave it.
pub fn endpoint_url(flag: &str, url: &str) -> Result<String, Error> {
    Endpoint::new(url, Duration::from_secs(1))
        .map(|endpoint| endpoint.url)
        .map_err(|e| match e {
            Error::Usage(message) => Error::Usage(format!("{flag}: {message}")),
            other => other,
        })
}
