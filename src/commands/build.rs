//! `newskg build`: load facts files into a persistent store, incrementally.

use super::{Status, pipeline};
use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::output::table::visible;
use crate::store::build::{self, BuildOptions};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Options {
    /// The store's directory.
    pub store: PathBuf,
    /// Facts files and directories (at least one).
    pub paths: Vec<PathBuf>,
    /// Registries named with `--registry` (others are found among `paths` by their name).
    pub registries: Vec<PathBuf>,
    /// The base of a new store.
    pub base: Option<Base>,
    pub build: BuildOptions,
    /// `--verify`: read the whole store and check it (after building, when files are given).
    pub verify: bool,
}

/// Builds the store, showing progress on a terminal; writes a summary. Files that could not be
/// loaded are listed on standard error and fail the command.
pub fn run(options: &Options, out: &mut dyn Write) -> Result<Status> {
    let status = if options.paths.is_empty() {
        Status::Success
    } else {
        load(options, out)?
    };
    if options.verify {
        let v = crate::store::verify_dir(&options.store)?;
        writeln!(
            out,
            "{}: verified: {} quads, every index read whole ({} lookups; each block's checksum checked) and consistent with the others",
            visible(&options.store.display().to_string()),
            v.quads,
            v.lookups
        )
        .map_err(Error::stdout)?;
    }
    Ok(status)
}

fn load(options: &Options, out: &mut dyn Write) -> Result<Status> {
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles {elapsed}")
            .expect("a valid template"),
    );
    let report = build::build(
        &options.store,
        &options.paths,
        &options.registries,
        options.base.as_ref(),
        options.build,
        pipeline(),
        &|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        },
    );
    bar.finish_and_clear();
    let report = report?;
    for d in &report.failed {
        eprintln!("{}", visible(&d.to_string()));
    }
    let failed = report.failed_files();
    writeln!(
        out,
        "{}: {} added, {} updated, {} unchanged, {} pruned, {failed} failed; {} triples written, {} removed",
        visible(&options.store.display().to_string()),
        report.added,
        report.updated,
        report.unchanged,
        report.pruned,
        report.triples,
        report.removed
    )
    .map_err(Error::stdout)?;
    let plain = report.plain;
    if plain != Default::default() {
        writeln!(
            out,
            "  RDF files, each in its graph: {} added, {} updated, {} unchanged, {} pruned",
            plain.added, plain.updated, plain.unchanged, plain.pruned
        )
        .map_err(Error::stdout)?;
    }
    if report.prune_held {
        writeln!(
            out,
            "nothing was pruned: while a file fails, its article may be one that moved (fix the files, then build with --prune again)"
        )
        .map_err(Error::stdout)?;
    }
    Ok(if failed == 0 {
        Status::Success
    } else {
        Status::Failed(format!(
            "{failed} file(s) could not be loaded (see above); the others were"
        ))
    })
}
