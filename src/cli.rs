//! The command line (clap) and its translation into the library's plain options: nothing below
//! this module sees clap types. Arguments are parsed in two steps: clap checks their syntax and
//! values (a base IRI, a format name), then [`Cli::into_command`] checks what clap cannot (`-i`
//! with `--store`, an endpoint URL) and builds the options. A mistake in either is a usage
//! error: exit status 2.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use newskg::commands::{self, Command as Run, Source};
use newskg::export::FORMATS;
use newskg::input::rdf::RdfSyntax;
use newskg::link::remote::{self, Endpoint};
use newskg::query::QueryOptions;
use newskg::query::results::ResultFormat;
use newskg::store::build::BuildOptions;
use newskg::{Base, Error};
use std::path::PathBuf;
use std::time::Duration;

mod export_args;
mod push_args;
use export_args::ExportArgs;
use push_args::{CredentialArgs, PushArgs, endpoint_url};

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
    command: Command,
    /// The largest input file read, in bytes (facts files, registries, article texts, .rq and
    /// RDF files); a larger one is refused.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = newskg::files::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Read article texts anywhere under DIR, not only under their facts file's directory.
    #[arg(long, global = true, value_name = "DIR")]
    text_root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// A facts file (.toml or .json) or a directory of them; repeatable. Default: the embedded
    /// seed article.
    #[arg(short = 'i', long = "input", value_name = "PATH")]
    input: Vec<PathBuf>,
    /// Base IRI under which article, fact and entity IRIs are minted (must end with `/`).
    /// Default: https://w3id.org/newskg/data/ (a store keeps the base it was built with).
    #[arg(long, value_name = "IRI", value_parser = parse_base)]
    base: Option<Base>,
    /// A registry: the corpus's entities described once, which its facts files use without
    /// declaring them; repeatable. Files named `registry.toml` (or `*.registry.toml`, or .json)
    /// under -i are registries too.
    #[arg(long, value_name = "FILE")]
    registry: Vec<PathBuf>,
    /// Read a persistent store built by `newskg build` instead of files (needs the `rocksdb`
    /// feature).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// The RDF syntax of the files named with -i that are not facts files (.toml, .json),
    /// whatever their extension; without it, the extension says (.ttl, .nt, .nq, .trig, .rdf,
    /// .jsonld).
    #[arg(long, value_name = "FORMAT", value_parser = input_format())]
    input_format: Option<RdfSyntax>,
}

fn input_format() -> impl TypedValueParser<Value = RdfSyntax> {
    let names = newskg::input::rdf::NAMES.map(|(n, _)| n);
    PossibleValuesParser::new(names).try_map(|s| s.parse::<RdfSyntax>())
}

impl InputArgs {
    /// Where the articles come from: files, a store or the embedded default.
    pub(crate) fn into_source(self) -> Result<Source, Error> {
        if self.input_format.is_some() && self.input.is_empty() {
            return Err(Error::Usage(
                "--input-format names the syntax of RDF files given with -i".into(),
            ));
        }
        if !self.registry.is_empty() && (self.input.is_empty() || self.store.is_some()) {
            return Err(Error::Usage(
                "--registry goes with -i: it describes the entities of the facts files named (a store keeps the registries it was built with)".into(),
            ));
        }
        match (self.input.is_empty(), self.store) {
            (false, Some(_)) => Err(Error::Usage(
                "-i and --store go together only in `newskg build`, which loads files into a store; other commands read either files or a store".into(),
            )),
            (_, Some(dir)) => Ok(Source::Store {
                dir,
                base: self.base,
            }),
            (true, None) => Ok(Source::Embedded {
                base: self.base.unwrap_or_default(),
            }),
            (false, None) => Ok(Source::Files {
                paths: self.input,
                registries: self.registry,
                base: self.base.unwrap_or_default(),
                rdf_format: self.input_format,
            }),
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load facts files into a persistent store, incrementally: changed articles are replaced
    /// atomically, unchanged ones skipped (needs the `rocksdb` feature).
    Build {
        /// The store's directory (created when missing or empty).
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
        /// A facts file or a directory of them; repeatable.
        #[arg(
            short = 'i',
            long = "input",
            value_name = "PATH",
            required_unless_present = "verify"
        )]
        input: Vec<PathBuf>,
        /// A registry of the corpus's entities; repeatable (files named `registry.toml` under
        /// -i are registries too).
        #[arg(long, value_name = "FILE")]
        registry: Vec<PathBuf>,
        /// Base IRI for a new store (an existing store keeps its own).
        #[arg(long, value_name = "IRI", value_parser = parse_base)]
        base: Option<Base>,
        /// The RDF syntax of the files named with -i that are not facts files, whatever their
        /// extension (as for the other commands).
        #[arg(long, value_name = "FORMAT", value_parser = input_format())]
        input_format: Option<RdfSyntax>,
        /// Remove the articles whose files are gone.
        #[arg(long)]
        prune: bool,
        /// Load the valid files even when some are invalid (the exit status is still 1).
        #[arg(long)]
        keep_going: bool,
        /// Do not compact the store after a load that doubled it, or an update that grew it
        /// past 1.3 times its size after the last compaction (faster now, slower queries and
        /// exports until a later build compacts it).
        #[arg(long)]
        no_compact: bool,
        /// Read the whole store and check it: every index, every block's checksum (after the
        /// build when -i is given; alone without).
        #[arg(long)]
        verify: bool,
    },
    /// Validate facts files, or RDF files (.nt, .nq, .ttl, .trig) against the SHACL shapes:
    /// every problem as file:line:col: message.
    Check {
        #[command(flatten)]
        inputs: InputArgs,
        /// Fail on warnings too (what is legal but likely a mistake: a source named on an
        /// asserted fact, an empty list, an entity no fact uses and no quote names).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Run SPARQL: a canned query's name, a .rq file, inline SPARQL, or - for standard input.
    Query {
        #[command(flatten)]
        inputs: InputArgs,
        /// The query: NAME (see `newskg queries`), PATH.rq, 'SELECT …', or -.
        query: String,
        /// Output format (default: table for SELECT and ASK, turtle for CONSTRUCT and DESCRIBE).
        #[arg(short = 'f', long, value_name = "FORMAT", value_parser = result_format())]
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
        /// Write at most N solutions (0 for all). Default: a page of 50 in a table on a
        /// terminal, all otherwise.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Skip the first N solutions (the next page: --offset 50).
        #[arg(long, value_name = "N", default_value_t = 0)]
        offset: usize,
        /// Also write Oxigraph's plan of the query on standard error, as JSON, with how many
        /// solutions each step gave and how long it took: to see why a query is slow.
        #[arg(long)]
        explain: bool,
        /// Stop the query after SECONDS (0 for no limit). Default: 60 s for a canned query, no
        /// limit for your own.
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<u64>,
        /// Stop the query when newskg's memory grows past MIB mebibytes (0 for no limit).
        /// Default: half of the machine's memory.
        #[arg(long, value_name = "MIB")]
        max_memory: Option<u64>,
        /// Run the query on this remote SPARQL endpoint (a store `newskg push` filled), written
        /// out as `newskg queries --show` prints it; an answer the server marks as cut short
        /// (time limit, row cap) is an error. With --timeout for the wait (default 60 s).
        #[arg(long, value_name = "URL", conflicts_with_all = ["explain", "service", "max_memory"])]
        endpoint: Option<String>,
        #[command(flatten)]
        credentials: CredentialArgs,
    },
    /// Draft a facts file from an article's raw text: its title and byline, the entities it
    /// names (with where), and one fact stub per claim-bearing sentence, for a curator to
    /// complete (`newskg check` lists what is left).
    Draft {
        /// The article's text (UTF-8, at most 4 MiB).
        article: PathBuf,
        /// A registry whose entities the draft proposes by their ids; repeatable.
        #[arg(long, value_name = "FILE")]
        registry: Vec<PathBuf>,
        /// A facts file (or a directory of them) whose entities the draft proposes by their ids;
        /// repeatable.
        #[arg(short = 'i', long = "input", value_name = "PATH")]
        input: Vec<PathBuf>,
        /// Write to FILE (atomically) instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// toml or json (default: json when FILE ends in .json, else toml).
        #[arg(short = 'f', long, value_name = "FORMAT", value_parser = ["toml", "json"])]
        format: Option<String>,
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
        /// Output format.
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
        #[arg(long, value_name = "URL", default_value = remote::WIKIDATA)]
        endpoint: String,
        /// Timeout of each request to the endpoint, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 10)]
        timeout: u64,
    },
    /// List the canned queries with their title, description and parameters; or write one out
    /// as standalone SPARQL for another store (--show).
    Queries {
        /// Write out this query (a canned query's name or a .rq file) as standalone SPARQL:
        /// full IRIs, its parameters written in as terms.
        #[arg(long, value_name = "NAME")]
        show: Option<String>,
        /// A parameter of the query shown; repeatable.
        #[arg(short = 'p', long = "param", value_name = "NAME=VALUE", value_parser = parse_param, requires = "show")]
        params: Vec<(String, String)>,
        /// The base IRI of the data the query is for.
        #[arg(long, value_name = "IRI", value_parser = parse_base, requires = "show")]
        base: Option<Base>,
    },
    /// Write the knowledge graph in an RDF format, or a picture of its facts (--format dot).
    Export(ExportArgs),
    /// Serve the knowledge graph over HTTP, read-only: a SPARQL 1.1 Protocol endpoint at
    /// /sparql, the Graph Store Protocol's reads at /store, the canned queries at /queries,
    /// and a web page at /. Runs until stopped (Ctrl-C).
    Serve {
        #[command(flatten)]
        inputs: InputArgs,
        /// The address and port to listen on.
        #[arg(long, value_name = "ADDRESS:PORT", default_value = commands::serve::DEFAULT_BIND)]
        bind: std::net::SocketAddr,
        /// Allow a --bind address other than the loopback's (the endpoint is then reachable by
        /// others: keep the limits).
        #[arg(long)]
        public: bool,
        /// Stop a query after SECONDS (answered with 503).
        #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Refuse (with 500, never cut) an answer of more than N solutions or triples (0 for no
        /// limit).
        #[arg(long, value_name = "N", default_value_t = 100_000)]
        max_rows: usize,
        /// Run at most N queries at once; more are answered 503 with Retry-After.
        #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..))]
        max_concurrent: u64,
        /// Stop a query when newskg's memory grows past MIB mebibytes (0 for no limit).
        /// Default: half of the machine's memory.
        #[arg(long, value_name = "MIB")]
        max_memory: Option<u64>,
        /// Let pages from ORIGIN (or * for any) read the answers: CORS headers, preflight.
        #[arg(long, value_name = "ORIGIN")]
        cors: Option<String>,
        /// Do not write a line per request on standard error.
        #[arg(long)]
        quiet: bool,
    },
    /// Put the corpus into a remote store (Virtuoso, Fuseki, GraphDB, Oxigraph server): each
    /// named graph (each article's, the entities', the ontology's) replaced whole, by the Graph
    /// Store Protocol (--graph-store) or SPARQL Update; graphs the store holds already (a hash
    /// in its push manifest) are skipped.
    Push(PushArgs),
    /// Print the JSON Schema of the facts format.
    Schema,
}

impl Cli {
    /// The command to run, with its options checked.
    pub fn into_command(self) -> Result<Run, Error> {
        newskg::files::set_max_file_size(self.max_file_size);
        if let Some(root) = &self.text_root {
            newskg::files::set_text_root(root)
                .map_err(|e| Error::Usage(format!("--text-root {}: {e}", root.display())))?;
        }
        Ok(match self.command {
            Command::Build {
                store,
                input,
                registry,
                base,
                input_format,
                prune,
                keep_going,
                no_compact,
                verify,
            } => Run::Build(commands::build::Options {
                store,
                paths: input,
                registries: registry,
                base,
                build: BuildOptions {
                    prune,
                    keep_going,
                    compact: !no_compact,
                    rdf_format: input_format,
                },
                verify,
            }),
            Command::Check {
                mut inputs,
                deny_warnings,
            } => {
                // RDF files are checked against the shapes; the rest are facts files
                let (graphs, facts): (Vec<PathBuf>, Vec<PathBuf>) =
                    std::mem::take(&mut inputs.input)
                        .into_iter()
                        .partition(|p| RdfSyntax::of(p, inputs.input_format).is_some());
                inputs.input = facts;
                let inputs_format = inputs.input_format;
                let only_graphs = !graphs.is_empty() && inputs.input.is_empty();
                if only_graphs && (!inputs.registry.is_empty() || inputs.store.is_some()) {
                    return Err(Error::Usage(
                        "--registry and --store go with facts files; an RDF file given to -i is checked against the shapes alone".into(),
                    ));
                }
                Run::Check(commands::check::Options {
                    source: if only_graphs {
                        None
                    } else {
                        Some(inputs.into_source()?)
                    },
                    graphs,
                    graphs_format: inputs_format,
                    deny_warnings,
                })
            }
            Command::Query {
                inputs,
                query,
                format,
                params,
                service,
                service_timeout,
                limit,
                offset,
                explain,
                timeout,
                max_memory,
                endpoint,
                credentials,
            } => Run::Query(commands::query::Options {
                endpoint: match endpoint {
                    Some(url) => {
                        if !inputs.input.is_empty() || inputs.store.is_some() {
                            return Err(Error::Usage(
                                "--endpoint queries the remote store: it goes without -i and --store".into(),
                            ));
                        }
                        Some(commands::query::Remote {
                            url: endpoint_url("--endpoint", &url)?,
                            credentials: credentials.load()?,
                        })
                    }
                    None => None,
                },
                source: inputs.into_source()?,
                query,
                format,
                params,
                offset,
                limit,
                query_options: QueryOptions {
                    service,
                    timeout: Duration::from_secs(service_timeout),
                    explain,
                    budget: newskg::query::limits::Budget {
                        timeout: None,
                        max_memory: memory_limit(max_memory),
                    },
                    // the command asks for the page it writes
                    page: None,
                },
                timeout,
            }),
            Command::Draft {
                article,
                registry,
                input,
                output,
                format,
            } => Run::Draft(commands::draft::Options {
                article,
                registries: registry,
                inputs: input,
                output,
                format: format.map(|f| {
                    if f == "json" {
                        commands::draft::DraftFormat::Json
                    } else {
                        commands::draft::DraftFormat::Toml
                    }
                }),
            }),
            Command::Coverage {
                inputs,
                all,
                strict,
            } => Run::Coverage(commands::coverage::Options {
                source: inputs.into_source()?,
                all,
                strict,
            }),
            Command::Link {
                inputs,
                format,
                write,
                online,
                endpoint,
                timeout,
            } => Run::Link(commands::link::Options {
                source: inputs.into_source()?,
                format: if format == "json" {
                    commands::link::LinkFormat::Json
                } else {
                    commands::link::LinkFormat::Table
                },
                write,
                online: if online {
                    Some(Endpoint::new(&endpoint, Duration::from_secs(timeout))?)
                } else {
                    None
                },
            }),
            Command::Queries { show, params, base } => Run::Queries(commands::queries::Options {
                show,
                params,
                base: base.unwrap_or_default(),
            }),
            Command::Export(args) => Run::Export(args.into_options()?),
            Command::Serve {
                inputs,
                bind,
                public,
                timeout,
                max_rows,
                max_concurrent,
                max_memory,
                cors,
                quiet,
            } => Run::Serve(commands::serve::Options {
                source: inputs.into_source()?,
                bind,
                public,
                limits: newskg::serve::Limits {
                    timeout: Duration::from_secs(timeout),
                    max_rows: (max_rows > 0).then_some(max_rows),
                    max_concurrent: usize::try_from(max_concurrent).unwrap_or(usize::MAX),
                    max_memory: memory_limit(max_memory),
                    cors,
                    log: !quiet,
                },
            }),
            Command::Push(args) => Run::Push(args.into_options()?),
            Command::Schema => Run::Schema,
        })
    }
}

/// `--max-memory MIB` in bytes: `None` for 0 (no limit), half the machine's when not given.
fn memory_limit(mib: Option<u64>) -> Option<u64> {
    match mib {
        Some(0) => None,
        Some(mib) => Some(mib.saturating_mul(1024 * 1024)),
        None => newskg::query::limits::default_max_memory(),
    }
}

fn parse_base(s: &str) -> Result<Base, String> {
    Base::new(s).map_err(|e| e.to_string())
}

/// The RDF formats' names (and other names, but those in `taken`), from the library's list.
/// The format of `export`: the one asked, the one the output file's extension names, or
/// Turtle; an extension that names another format than the one asked is an error.
fn rdf_format_values(taken: &[&str]) -> Vec<PossibleValue> {
    FORMATS
        .iter()
        .map(|f| {
            let aliases = f.aliases.iter().filter(|a| !taken.contains(a)).copied();
            PossibleValue::new(f.name).aliases(aliases)
        })
        .collect()
}

fn result_format() -> impl TypedValueParser<Value = ResultFormat> {
    let names: Vec<&str> = ResultFormat::result_names().collect();
    let values = names
        .iter()
        .map(|n| PossibleValue::new(*n))
        .chain(rdf_format_values(&names));
    PossibleValuesParser::new(values).try_map(|s| s.parse::<ResultFormat>())
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
