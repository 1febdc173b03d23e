//! Reading input files safely: only regular files (a FIFO, a device or a directory is refused
//! before it is opened, so nothing blocks or grows without end), at most [`max_file_size`] bytes,
//! article texts only inside the facts file's directory tree (or the `--text-root`), and a record
//! of every file read (by device and inode) so that no output of the same run replaces one
//! ([`was_read`]).

use std::collections::HashSet;
use std::fs::Metadata;
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// The default size limit of one input file: 256 MiB (a facts file or an article is a few
/// hundred kilobytes; the limit only stops a runaway read).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

static MAX_FILE_SIZE: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_SIZE);
static TEXT_ROOT: OnceLock<PathBuf> = OnceLock::new();
/// The files read: device, inode and change time (an inode freed by a deleted file and reused
/// by a new one is another file).
static READ: Mutex<Option<HashSet<Identity>>> = Mutex::new(None);

type Identity = (u64, u64, i64, i64);

fn identity(meta: &Metadata) -> Identity {
    (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec())
}

/// The largest input file newskg reads, in bytes (`--max-file-size`).
pub fn max_file_size() -> u64 {
    MAX_FILE_SIZE.load(Ordering::Relaxed)
}

/// Sets the largest input file newskg reads (for the whole process).
pub fn set_max_file_size(bytes: u64) {
    MAX_FILE_SIZE.store(bytes, Ordering::Relaxed);
}

/// Lets article texts be read from anywhere under `root` (`--text-root`) instead of only under
/// their facts file's directory; set once, for the whole process.
pub fn set_text_root(root: &Path) -> io::Result<()> {
    let canonical = root.canonicalize()?;
    let _ = TEXT_ROOT.set(canonical);
    Ok(())
}

/// The root given with `--text-root`, canonical.
pub fn text_root() -> Option<&'static Path> {
    TEXT_ROOT.get().map(PathBuf::as_path)
}

/// Whether the file `meta` describes was read as an input by this process.
pub fn was_read(meta: &Metadata) -> bool {
    READ.lock()
        .map(|set| set.as_ref().is_some_and(|s| s.contains(&identity(meta))))
        .unwrap_or(false)
}

fn note_read(meta: &Metadata) {
    if let Ok(mut set) = READ.lock() {
        set.get_or_insert_with(HashSet::new).insert(identity(meta));
    }
}

/// What kind of file `meta` describes, for messages ("a directory", "a FIFO", …).
pub fn kind(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Reads a regular file whole, refusing anything else and anything over [`max_file_size`].
/// The error says why without showing any of the file's content.
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}; newskg reads only regular files", kind(&meta)),
        ));
    }
    // O_NONBLOCK: a file swapped for a FIFO between the check and the open does not block
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}; newskg reads only regular files", kind(&meta)),
        ));
    }
    let limit = max_file_size();
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    note_read(&meta);
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn too_large(size: u64, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{size} bytes is over the limit of {limit} bytes for one input file (raise it with --max-file-size)"
        ),
    )
}

/// The article text `relative` (as a facts file in `dir` names it), if it lies inside `dir`'s
/// tree (or the `--text-root`): the path, resolved through symbolic links.
pub fn confined_text(dir: &Path, relative: &str) -> Result<PathBuf, String> {
    let joined = dir.join(relative);
    let root_dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let root = match text_root() {
        Some(r) => r.to_path_buf(),
        None => root_dir
            .canonicalize()
            .map_err(|e| format!("cannot read the directory {}: {e}", root_dir.display()))?,
    };
    let resolved = joined
        .canonicalize()
        .map_err(|e| format!("cannot read the article text {}: {e}", joined.display()))?;
    if !resolved.starts_with(&root) {
        let under = match text_root() {
            Some(r) => format!("the text root {}", r.display()),
            None => format!("the facts file's directory ({})", root_dir.display()),
        };
        return Err(format!(
            "the article text `{relative}` is outside {under}; newskg reads article texts only under it (move the text there, or name a directory above both with --text-root)"
        ));
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read_and_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "text").unwrap();
        assert_eq!(read_file(&file).unwrap(), b"text");
        assert!(was_read(&std::fs::metadata(&file).unwrap()));
        let e = read_file(dir.path()).unwrap_err();
        assert!(e.to_string().contains("a directory"), "{e}");
        let e = read_file(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
    }

    #[test]
    fn texts_stay_inside_their_directory() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("corpus");
        std::fs::create_dir(&inner).unwrap();
        std::fs::write(inner.join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "y").unwrap();
        assert!(confined_text(&inner, "a.txt").is_ok());
        let e = confined_text(&inner, "../secret.txt").unwrap_err();
        assert!(e.contains("outside"), "{e}");
        let e = confined_text(&inner, "/etc/passwd").unwrap_err();
        assert!(e.contains("outside"), "{e}");
    }
}
