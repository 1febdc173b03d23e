//! Command-line arguments (clap). Nothing below this module sees clap types.

use clap::{Args, Parser, Subcommand};
use newskg::export::RdfOutput;
use newskg::results::ResultFormat;
use std::path::PathBuf;

/// Turn news articles about geopolitics into an RDF knowledge graph you can query.
///
/// Without -i, every command works on the embedded default: the seed article and its facts.
#[derive(Debug, Parser)]
#[command(name = "newskg", version, about, long_about = None)]
#[command(
    after_help = "Exit status: 0 on success, 1 when the input or the query is invalid, 2 on a usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// A facts file (.toml or .json) or a directory of them; repeatable. Default: the embedded
    /// seed article.
    #[arg(short = 'i', long = "input", value_name = "PATH")]
    pub input: Vec<PathBuf>,
    /// Base IRI under which article, fact and entity IRIs are minted (must end with `/`).
    /// Default: https://w3id.org/newskg/data/ (a store keeps the base it was built with).
    #[arg(long, value_name = "IRI")]
    pub base: Option<String>,
    /// Read a persistent store built by `newskg build` instead of files (needs the `rocksdb`
    /// feature).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

impl InputArgs {
    pub fn into_inputs(self) -> newskg::commands::Inputs {
        newskg::commands::Inputs {
            paths: self.input,
            base: self.base,
            store: self.store,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load facts files into a persistent store, incrementally: changed articles are replaced
    /// atomically, unchanged ones skipped (needs the `rocksdb` feature).
    Build {
        /// The store's directory (created when missing or empty).
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
        /// A facts file or a directory of them; repeatable.
        #[arg(short = 'i', long = "input", value_name = "PATH", required = true)]
        input: Vec<PathBuf>,
        /// Base IRI for a new store (an existing store keeps its own).
        #[arg(long, value_name = "IRI")]
        base: Option<String>,
        /// Remove the articles whose files are gone.
        #[arg(long)]
        prune: bool,
        /// Load the valid files even when some are invalid (the exit status is still 1).
        #[arg(long)]
        keep_going: bool,
        /// Do not compact the store after a load that doubled it (faster now, slower queries
        /// and exports until a later build compacts it).
        #[arg(long)]
        no_compact: bool,
    },
    /// Validate facts files: every problem as file:line:col: message.
    Check {
        #[command(flatten)]
        inputs: InputArgs,
    },
    /// Run SPARQL: a canned query's name, a .rq file, inline SPARQL, or - for standard input.
    Query {
        #[command(flatten)]
        inputs: InputArgs,
        /// The query: NAME (see `newskg queries`), PATH.rq, 'SELECT …', or -.
        query: String,
        /// Output format: table (default for SELECT/ASK), csv, tsv, json, xml; turtle (default
        /// for CONSTRUCT/DESCRIBE), trig, ntriples, nquads, rdfxml, jsonld.
        #[arg(short = 'f', long, value_name = "FORMAT", value_parser = parse_result_format)]
        format: Option<ResultFormat>,
        /// A parameter of the query, bound as an RDF term; repeatable.
        #[arg(short = 'p', long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
        params: Vec<(String, String)>,
        /// Allow SPARQL SERVICE calls to remote endpoints (federation). Off by default: without
        /// it newskg never goes on the network.
        #[arg(long)]
        service: bool,
        /// Timeout of each SERVICE call, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 30)]
        service_timeout: u64,
    },
    /// List the sentences of each article that no fact cites, and the share cited.
    Coverage {
        #[command(flatten)]
        inputs: InputArgs,
        /// Also list the cited sentences, with the facts that cite them.
        #[arg(long)]
        all: bool,
        /// Exit with status 1 when a sentence is uncited.
        #[arg(long)]
        strict: bool,
    },
    /// Link entities to Wikidata: each one's status (linked, candidate, ambiguous, unlinked) from
    /// the bundled catalog, with scores and reasons.
    Link {
        #[command(flatten)]
        inputs: InputArgs,
        /// table (default) or json.
        #[arg(short = 'f', long, value_name = "FORMAT", default_value = "table", value_parser = ["table", "json"])]
        format: String,
        /// Add the accepted links (unambiguous, score ≥ 0.9, from the catalog) to the facts
        /// files, leaving the rest of their text as it is.
        #[arg(long)]
        write: bool,
        /// Also look names up on a SPARQL endpoint (label/alias filtered by type). Off by
        /// default: without it newskg never goes on the network.
        #[arg(long)]
        online: bool,
        /// The endpoint for --online.
        #[arg(long, value_name = "URL", default_value = newskg::remote::WIKIDATA)]
        endpoint: String,
        /// Timeout of each request to the endpoint, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 10)]
        timeout: u64,
    },
    /// List the canned queries with their title, description and parameters.
    Queries,
    /// Write the knowledge graph in an RDF format.
    Export {
        #[command(flatten)]
        inputs: InputArgs,
        /// turtle, trig, ntriples, nquads, rdfxml or jsonld.
        #[arg(short = 'f', long, value_name = "FORMAT", default_value = "turtle", value_parser = parse_rdf_format)]
        format: RdfOutput,
        /// Write to FILE (atomically) instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Leave out the ontology's graph.
        #[arg(long)]
        without_ontology: bool,
    },
    /// Print the JSON Schema of the facts format.
    Schema,
}

fn parse_result_format(s: &str) -> Result<ResultFormat, String> {
    s.parse()
}

fn parse_rdf_format(s: &str) -> Result<RdfOutput, String> {
    s.parse()
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}
