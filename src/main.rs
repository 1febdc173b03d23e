//! The `newskg` binary: parse the command line ([`cli`]), run the command, and report how it
//! went, in one place: the exit status is 0 on success, 1 when an input, a query or a store is
//! wrong, 2 on a usage error (clap's own, and those the library finds).

mod cli;

use clap::Parser;
use newskg::Error;
use newskg::commands::{self, Status};
use newskg::output::table::visible;
use std::process::ExitCode;

/// glibc's allocator is a fifth of a query's time on a store (RocksDB makes an iterator, and
/// Oxigraph decodes terms, for every lookup); mimalloc's is several times less. It replaces
/// `malloc` too (the `override` feature), for RocksDB's C++ and because memory allocated on one
/// side of the FFI is freed on the other (a locked store's error message crashed otherwise).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.into_command().and_then(commands::run) {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::Failed(why)) => {
            eprintln!("newskg: {}", visible(&why));
            ExitCode::from(1)
        }
        Err(e) => report(&e),
    }
}

/// Writes an error on standard error and gives the exit status it means. Problems in inputs are
/// listed one per line, each starting with its `file:line:col:` (for editors), then counted;
/// other errors are shown with their causes.
fn report(e: &Error) -> ExitCode {
    if is_broken_pipe(e) {
        // the reader stopped reading (`| head`): not a failure
        return ExitCode::SUCCESS;
    }
    match e {
        Error::Invalid(problems) => {
            for p in problems {
                eprintln!("{}", visible(&p.to_string()));
            }
            let n = problems.len();
            eprintln!(
                "newskg: {n} problem{} found; nothing was loaded",
                if n == 1 { "" } else { "s" }
            );
        }
        Error::SparqlSyntax(d) => eprintln!("{}", visible(&d.to_string())),
        e => eprintln!("newskg: error: {}", visible(&newskg::error::chain(e))),
    }
    ExitCode::from(if e.is_usage() { 2 } else { 1 })
}

fn is_broken_pipe(e: &Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        cause = c.source();
    }
    false
}
