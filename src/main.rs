//! The `newskg` binary: parse arguments, run the command, report errors.

mod cli;

use clap::Parser;
use cli::{Cli, Command};
use newskg::commands;
use newskg::export;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            match e.downcast_ref::<newskg::Error>() {
                Some(newskg::Error::Invalid(problems)) => {
                    for p in problems {
                        eprintln!("{p}");
                    }
                    let n = problems.len();
                    eprintln!(
                        "newskg: {n} problem{} found; nothing was loaded",
                        if n == 1 { "" } else { "s" }
                    );
                }
                // A positioned error starts its line with `file:line:col:`, for editors.
                Some(newskg::Error::SparqlSyntax(d)) => eprintln!("{d}"),
                _ => eprintln!("newskg: error: {e:#}"),
            }
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build {
            store,
            input,
            base,
            prune,
            keep_going,
            no_compact,
        } => {
            let inputs = commands::Inputs {
                paths: input,
                base,
                store: None,
            };
            let options = newskg::persistent::BuildOptions {
                prune,
                keep_going,
                compact: !no_compact,
            };
            let mut failed = 0;
            export::to_output(None, |out| {
                failed = commands::build::run(&inputs, &store, options, out)?;
                Ok(())
            })?;
            if failed > 0 {
                anyhow::bail!("{failed} file(s) could not be loaded (see above); the others were");
            }
        }
        Command::Check { inputs } => {
            let inputs = inputs.into_inputs();
            export::to_output(None, |out| commands::check::run(&inputs, out))?
        }
        Command::Query {
            inputs,
            query,
            format,
            params,
            service,
            service_timeout,
        } => {
            let inputs = inputs.into_inputs();
            let options = newskg::query::QueryOptions {
                service,
                timeout: std::time::Duration::from_secs(service_timeout),
            };
            export::to_output(None, |out| {
                commands::query::run(&inputs, &query, format, &params, options, out)
            })?
        }
        Command::Coverage {
            inputs,
            all,
            strict,
        } => {
            let inputs = inputs.into_inputs();
            let mut uncited = 0;
            export::to_output(None, |out| {
                uncited = commands::coverage::run(&inputs, all, out)?;
                Ok(())
            })?;
            if strict && uncited > 0 {
                anyhow::bail!("{uncited} uncited sentence(s) (--strict)");
            }
        }
        Command::Link {
            inputs,
            format,
            write,
            online,
            endpoint,
            timeout,
        } => {
            let inputs = inputs.into_inputs();
            let online = if online {
                Some(newskg::remote::Endpoint::new(
                    &endpoint,
                    std::time::Duration::from_secs(timeout),
                )?)
            } else {
                None
            };
            let options = commands::link::LinkOptions {
                format: if format == "json" {
                    commands::link::LinkFormat::Json
                } else {
                    commands::link::LinkFormat::Table
                },
                write,
                online,
            };
            export::to_output(None, |out| {
                commands::link::run(&inputs, &options, out).map(|_| ())
            })?
        }
        Command::Queries => export::to_output(None, commands::queries::run)?,
        Command::Export {
            inputs,
            format,
            output,
            without_ontology,
        } => commands::export::run(
            &inputs.into_inputs(),
            format,
            output.as_deref(),
            !without_ontology,
        )?,
        Command::Schema => export::to_output(None, commands::schema::run)?,
    }
    Ok(())
}
