//! Where output goes: standard output, or a file written atomically; and the one aligned-table
//! printer every command uses ([`table`]).

pub mod table;

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Runs `write` on standard output (buffered), or on `path` atomically: the file appears only
/// once complete, and an existing file is untouched when writing fails.
pub fn to_output<T>(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            let done = write(&mut lock)?;
            lock.flush().map_err(Error::stdout)?;
            Ok(done)
        }
        Some(path) => {
            let shown = path.display();
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            if !dir.is_dir() {
                return Err(Error::write(
                    &shown,
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("no directory {}", dir.display()),
                    ),
                ));
            }
            let mut tmp = tempfile::Builder::new()
                .prefix(".newskg-")
                .tempfile_in(dir)
                .map_err(|e| Error::write(&shown, e))?;
            let done = {
                let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
                let done = write(&mut buffered)?;
                buffered.flush().map_err(|e| Error::write(&shown, e))?;
                done
            };
            tmp.persist(path)
                .map_err(|e| Error::write(&shown, e.error))?;
            Ok(done)
        }
    }
}
