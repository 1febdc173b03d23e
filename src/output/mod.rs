//! Where output goes: standard output, or a file written safely; and the one aligned-table
//! printer every command uses ([`table`]).
//!
//! A file named with `-o` is written so that nothing is lost:
//! - a regular file (new or existing) is written to a temporary file beside it, synced, and
//!   renamed over it only once complete: a failed or interrupted write leaves the old file as it
//!   was. An existing file keeps its mode (and, where the process may, its owner); a new one gets
//!   the mode the umask gives.
//! - a symbolic link is written through: its target is replaced, the link stays.
//! - a device, a FIFO or a socket is written to directly (`-o /dev/null`); so is whatever
//!   `/dev/stdout` or `/proc/self/fd/N` names (a file the shell redirected into is appended
//!   to, as the shell opened it, never replaced).
//! - `-` is standard output.
//! - a file this run read as an input (the same file by device and inode, however it is
//!   spelled) is never written over, unless the command's job is to rewrite it (`link --write`).
//!
//! Temporary files are named `.newskg-tmp.PID.…`; they are removed on SIGINT and SIGTERM, and a
//! later write into the same directory removes those whose process is gone.

pub mod table;

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// The prefix of newskg's temporary files.
const TEMP_PREFIX: &str = ".newskg-tmp.";

/// Temporary files being written, removed if the process is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// Runs `write` on standard output (buffered), or on the file `path` names (see the module's
/// documentation); refuses to replace a file this run read.
pub fn to_output<T>(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    write_to(path, false, write)
}

/// Like [`to_output`], for a command whose job is to rewrite the inputs it read (`link
/// --write`, a store's own files).
pub fn rewrite<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    write_to(Some(path), true, write)
}

fn write_to<T>(
    path: Option<&Path>,
    may_replace_input: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    let path = match path {
        Some(p) if p.as_os_str() != "-" => p,
        _ => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            let done = write(&mut lock)?;
            lock.flush().map_err(Error::stdout)?;
            return Ok(done);
        }
    };
    let shown = path.display().to_string();
    // the kernel follows the links (/dev/stdout's /proc links included)
    let existing = match std::fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::write(&shown, e)),
    };
    let refuse_input = |meta: &std::fs::Metadata| -> Result<()> {
        if !may_replace_input && crate::files::was_read(meta) {
            return Err(Error::Usage(format!(
                "-o {shown} is an input of this command; newskg never writes over its inputs: name another file"
            )));
        }
        Ok(())
    };
    match &existing {
        Some(meta) if meta.is_dir() => {
            return Err(Error::write(
                &shown,
                io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"),
            ));
        }
        Some(meta) if !meta.is_file() || is_device_path(path) => {
            // a device, a FIFO or a socket: written to directly, never replaced; so is what
            // /dev/stdout (or /proc/self/fd/N) names, whatever it is: the file a shell
            // redirected into (`> out.ttl`, `>> log`) is added to, not swapped for another
            refuse_input(meta)?;
            let file = OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| Error::write(&shown, e))?;
            let mut buffered = io::BufWriter::new(file);
            let done = write(&mut buffered)?;
            buffered.flush().map_err(|e| Error::write(&shown, e))?;
            return Ok(done);
        }
        Some(meta) => refuse_input(meta)?,
        None => {}
    }
    // the regular file to replace (through any links), or the one a (dangling) link names
    let target = match &existing {
        Some(_) => std::fs::canonicalize(path),
        None => resolve_links(path),
    }
    .map_err(|e| Error::write(&shown, e))?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::write(
            &shown,
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("no directory {}", dir.display()),
            ),
        ));
    }
    remove_leftovers(&dir);
    let (tmp_path, file) =
        temporary(&dir, existing.as_ref()).map_err(|e| Error::write(&shown, e))?;
    let _pending = Pending::new(tmp_path.clone());
    let result = (|| {
        let mut buffered = io::BufWriter::new(&file);
        let done = write(&mut buffered)?;
        buffered.flush().map_err(|e| Error::write(&shown, e))?;
        drop(buffered);
        file.sync_all().map_err(|e| Error::write(&shown, e))?;
        // an input read while writing (a streaming export) is not replaced either
        let now = std::fs::metadata(&target).ok();
        if let Some(meta) = &now {
            refuse_input(meta)?;
        }
        if now.as_ref().is_some_and(|m| m.is_file() && m.nlink() > 1) {
            // a file with other names (hard links): the new content goes into it, once whole
            // in the temporary file, so that every name of it sees the new content
            let mut into = OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&target)
                .map_err(|e| Error::write(&shown, e))?;
            let mut from = File::open(&tmp_path).map_err(|e| Error::write(&shown, e))?;
            io::copy(&mut from, &mut into).map_err(|e| Error::write(&shown, e))?;
            into.sync_all().map_err(|e| Error::write(&shown, e))?;
            let _ = std::fs::remove_file(&tmp_path);
            return Ok(done);
        }
        std::fs::rename(&tmp_path, &target).map_err(|e| Error::write(&shown, e))?;
        // the rename is durable once the directory is synced (best effort: not every
        // filesystem can sync a directory)
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(done)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    result
}

/// Whether a path is one of the kernel's names for an open file or a device (`/dev/stdout`,
/// `/dev/fd/1`, `/proc/self/fd/1`).
fn is_device_path(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc")
}

/// The file a path finally names, through symbolic links (a dangling link names the file it
/// would create).
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// A new temporary file in `dir`: with the mode (and owner) of the file it replaces, or with
/// the mode the umask gives a new file.
fn temporary(dir: &Path, replaces: Option<&std::fs::Metadata>) -> io::Result<(PathBuf, File)> {
    install_handler();
    let pid = std::process::id();
    for attempt in 0u32..100 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = dir.join(format!("{TEMP_PREFIX}{pid}.{nanos:08x}{attempt:02}"));
        let mode = replaces.map_or(0o666, |m| m.mode() & 0o7777);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&path)
        {
            Ok(file) => {
                if let Some(meta) = replaces {
                    // the umask does not apply to the file being replaced: keep its mode
                    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
                    if meta.uid() != file.metadata()?.uid() || meta.gid() != file.metadata()?.gid()
                    {
                        // only a privileged process may; otherwise the file becomes the user's
                        let _ =
                            std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
                    }
                }
                return Ok((path, file));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("cannot create a temporary file"))
}

/// Whether a file name is one of newskg's temporary files.
pub fn is_temporary(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with(TEMP_PREFIX))
}

/// Removes the temporary files in `dir` left by newskg processes that are gone (killed).
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    if !Path::new("/proc/self").exists() {
        return; // no way to tell a live process from a gone one
    }
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A temporary file registered for removal on SIGINT/SIGTERM while it exists.
struct Pending(PathBuf);

impl Pending {
    fn new(path: PathBuf) -> Pending {
        if let Ok(mut p) = PENDING.lock() {
            p.push(path.clone());
        }
        Pending(path)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Ok(mut p) = PENDING.lock() {
            p.retain(|q| q != &self.0);
        }
    }
}

/// On SIGINT or SIGTERM: remove the temporary files being written, then exit as a process
/// killed by that signal would (status 130).
fn install_handler() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if let Ok(p) = PENDING.lock() {
                for path in p.iter() {
                    let _ = std::fs::remove_file(path);
                }
            }
            std::process::exit(130);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(path: &Path, text: &str) -> Result<()> {
        to_output(Some(path), |w| {
            w.write_all(text.as_bytes())
                .map_err(|e| Error::write("x", e))
        })
    }

    #[test]
    fn a_link_is_written_through_and_a_mode_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.ttl");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.ttl");
        std::os::unix::fs::symlink("target.ttl", &link).unwrap();
        export(&link, "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let mode = std::fs::metadata(&target).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // nothing left behind
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_failed_write_leaves_the_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.ttl");
        std::fs::write(&target, "old").unwrap();
        let e = to_output(Some(&target), |w| {
            w.write_all(b"partial").unwrap();
            Err::<(), _>(Error::Usage("stop".into()))
        });
        assert!(e.is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_device_is_written_to_not_replaced() {
        export(Path::new("/dev/null"), "gone").unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file());
    }

    #[test]
    fn leftovers_of_a_gone_process_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // no process has this pid (above the kernel's pid_max)
        let stale = dir.path().join(format!("{TEMP_PREFIX}4294967295.0"));
        std::fs::write(&stale, "x").unwrap();
        export(&dir.path().join("a.nt"), "").unwrap();
        assert!(!stale.exists());
    }
}
