//! A store on disk: a directory holding `newskg-store.json` (what it is, its layout version and
//! base IRI) and the RocksDB database (Oxigraph's, behind the `rocksdb` feature) in `oxigraph/`.
//! A directory without that file is never touched.

use crate::error::{Error, Result};
use crate::mapping::Base;
use oxigraph::store::Store;
use std::path::Path;

/// The file that marks a directory as a newskg store.
pub const MARKER: &str = "newskg-store.json";
/// The directory of the RocksDB database inside a store.
pub const DATABASE: &str = "oxigraph";
/// A file whose presence says a compaction was started and has not ended.
pub const COMPACTING: &str = "compacting";
/// The file that records the database's size after its last compaction.
pub const COMPACTED: &str = "compaction.json";
/// A store is compacted once an update has grown it past this many times its size after the
/// last compaction (updates leave old versions behind until then).
pub const GROWTH: f64 = 1.3;
/// The layout version this newskg reads and writes.
pub const VERSION: u64 = 1;

/// The store in `dir`; with `create` (for writing), a new one in a missing or empty directory;
/// without, read-only (several readers, and a build, may run at once). A directory that is not
/// a store, a store of another version or of another base is refused before anything is written.
pub fn open(dir: &Path, base: Option<&Base>, create: bool) -> Result<(Store, Base)> {
    let marker = dir.join(MARKER);
    let shown = dir.display();
    let exists = dir.exists();
    // (a temporary file of newskg's own, left by a build killed as it wrote the marker, does not
    // make a directory someone else's)
    let empty = !exists
        || std::fs::read_dir(dir)
            .map_err(|e| Error::read(&shown, e))?
            .flatten()
            .all(|e| crate::output::is_temporary(&e.file_name()));
    let base = if marker.exists() {
        stored_base(dir, &marker, base)?
    } else if create && empty {
        base.cloned().unwrap_or_default()
    } else if !exists {
        return Err(Error::StoreLayout(format!(
            "no store in {shown}: build one with `newskg build --store {shown} -i FACTS…`"
        )));
    } else {
        return Err(Error::StoreLayout(format!(
            "{shown} is not a newskg store (it has no {MARKER}); nothing was changed"
        )));
    };
    // before anything is created
    available()?;
    if create {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(&shown, e))?;
    }
    // The marker first: a first build killed at any point leaves a store (empty, or with what
    // it committed), which the next build opens and fills.
    if !marker.exists() {
        let json = serde_json::json!({ "format": "newskg-store", "version": VERSION, "base": base.as_str() });
        crate::output::to_output(Some(&marker), |w| {
            writeln!(w, "{}", serde_json::to_string_pretty(&json).expect("JSON"))
                .map_err(|e| Error::write(marker.display(), e))
        })?;
    }
    let store = open_database(&dir.join(DATABASE), create)?;
    Ok((store, base))
}

/// The size of the store's data on disk, in bytes: its table files (`*.sst`; the write-ahead
/// log is transient and goes when the store is next opened).
pub fn database_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir.join(DATABASE))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "sst"))
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Whether the store in `dir` is to be compacted after a build: one that at least `doubled`
/// it, one that `changed` it and left it past [`GROWTH`] times its size after the last
/// compaction, or any build after an interrupted compaction.
pub fn compaction_due(dir: &Path, doubled: bool, changed: bool) -> bool {
    if doubled || dir.join(COMPACTING).exists() {
        return true;
    }
    if !changed {
        return false;
    }
    let last = std::fs::read_to_string(dir.join(COMPACTED))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["size"].as_u64());
    match last {
        Some(last) => database_size(dir) as f64 > GROWTH * last as f64,
        // never compacted by this newskg: measure from now on
        None => {
            record_compacted(dir);
            false
        }
    }
}

/// Runs `compact` with the [`COMPACTING`] mark set (so that a kill in between is seen by the
/// next build), then records the size it left.
pub fn compacting(dir: &Path, compact: impl FnOnce() -> Result<()>) -> Result<()> {
    let mark = dir.join(COMPACTING);
    crate::output::to_output(Some(&mark), |w| {
        writeln!(w, "a compaction started; the next build finishes it")
            .map_err(|e| Error::write(mark.display(), e))
    })?;
    compact()?;
    record_compacted(dir);
    std::fs::remove_file(&mark).map_err(|e| Error::write(mark.display(), e))
}

fn record_compacted(dir: &Path) {
    let path = dir.join(COMPACTED);
    let json = serde_json::json!({ "size": database_size(dir) });
    // (best effort: without it the next update measures from its own size)
    let _ = crate::output::to_output(Some(&path), |w| {
        writeln!(w, "{json}").map_err(|e| Error::write(path.display(), e))
    });
}

/// The base a store's marker records, after checking what the marker says it is.
fn stored_base(dir: &Path, marker: &Path, base: Option<&Base>) -> Result<Base> {
    let shown = dir.display();
    let text = std::fs::read_to_string(marker).map_err(|e| Error::read(marker.display(), e))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
        Error::StoreLayout(format!(
            "{}: not a newskg store marker; nothing was changed",
            marker.display()
        ))
    })?;
    if json["format"] != "newskg-store" {
        return Err(Error::StoreLayout(format!(
            "{shown} is not a newskg store; nothing was changed"
        )));
    }
    let version = json["version"].as_u64().unwrap_or(0);
    if version != VERSION {
        return Err(Error::StoreLayout(format!(
            "{shown} is a newskg store of version {version}; this newskg reads version {VERSION}: build a new store with `newskg build --store NEW_DIR`; nothing was changed"
        )));
    }
    let stored = Base::new(json["base"].as_str().unwrap_or_default())?;
    if let Some(b) = base
        && b != &stored
    {
        return Err(Error::Usage(format!(
            "{shown} was built with the base {}, not {}: leave out --base or build a new store",
            stored.as_str(),
            b.as_str()
        )));
    }
    Ok(stored)
}

/// Whether this newskg can open stores on disk (the `rocksdb` feature).
fn available() -> Result<()> {
    if cfg!(feature = "rocksdb") {
        Ok(())
    } else {
        Err(needs_rocksdb())
    }
}

fn needs_rocksdb() -> Error {
    Error::Usage(
        "--store needs newskg built with the `rocksdb` feature: `cargo install --path . --features rocksdb` (it needs libclang, e.g. Debian's libclang-dev, and a long first build)"
            .into(),
    )
}

#[cfg(feature = "rocksdb")]
fn open_database(path: &Path, write: bool) -> Result<Store> {
    let opened = if write {
        Store::open(path)
    } else {
        Store::open_read_only(path)
    };
    let dir = path.parent().unwrap_or(path).display();
    opened.map_err(|e| {
        if e.to_string().to_lowercase().contains("lock") {
            Error::store(format!(
                "{dir} is locked by another process (is a build running?)"
            ))(e)
        } else {
            Error::store(format!("cannot open the store in {dir}"))(e)
        }
    })
}

#[cfg(not(feature = "rocksdb"))]
fn open_database(_path: &Path, _write: bool) -> Result<Store> {
    Err(needs_rocksdb())
}
