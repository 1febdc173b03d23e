//! `newskg build`: load facts files into a persistent store, incrementally.

use crate::commands::Inputs;
use crate::error::{Error, Result};
use crate::mapping::Base;
use crate::persistent::{self, BuildOptions};
use std::io::Write;
use std::path::Path;

/// Builds the store; writes a summary. Returns the number of files that could not be loaded.
pub fn run(
    inputs: &Inputs,
    dir: &Path,
    options: BuildOptions,
    out: &mut dyn Write,
) -> Result<usize> {
    let base = inputs.base.as_deref().map(Base::new).transpose()?;
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles {elapsed}")
            .expect("a valid template"),
    );
    let paths = if inputs.paths.is_empty() {
        return Err(Error::Usage(
            "name the facts files or directories to load with -i".into(),
        ));
    } else {
        &inputs.paths
    };
    let report = persistent::build(dir, paths, base.as_ref(), options, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let report = report?;
    let io = |e| Error::Io {
        path: "stdout".into(),
        source: e,
    };
    for d in &report.failed {
        eprintln!("{d}");
    }
    writeln!(
        out,
        "{}: {} added, {} updated, {} unchanged, {} pruned, {} failed; {} triples written",
        dir.display(),
        report.added,
        report.updated,
        report.unchanged,
        report.pruned,
        report
            .failed
            .iter()
            .map(|d| d.file.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        report.triples
    )
    .map_err(io)?;
    Ok(report
        .failed
        .iter()
        .map(|d| d.file.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len())
}
