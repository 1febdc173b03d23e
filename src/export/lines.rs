//! N-Triples and N-Quads: one line per sorted key, formatted a batch at a time in parallel and
//! written in order.

use super::canonical::{Key, Node};
use rayon::prelude::*;
use std::io::{self, Write};

/// Keys formatted at a time, and per parallel task.
const BATCH: usize = 1 << 16;
const TASK: usize = 1 << 12;

/// Writes sorted keys, one line each (with its graph when the keys name one).
pub fn write(keys: impl Iterator<Item = io::Result<Key>>, out: &mut dyn Write) -> io::Result<()> {
    let mut keys = keys.peekable();
    while keys.peek().is_some() {
        let batch: Vec<Key> = keys.by_ref().take(BATCH).collect::<io::Result<_>>()?;
        let lines: Vec<Vec<u8>> = batch
            .par_chunks(TASK)
            .map(|keys| {
                let mut lines = Vec::new();
                for key in keys {
                    line(&mut lines, key);
                }
                lines
            })
            .collect();
        for chunk in &lines {
            out.write_all(chunk)?;
        }
    }
    Ok(())
}

/// The N-Triples or N-Quads line of a key.
fn line(out: &mut Vec<u8>, key: &Key) {
    let f = key.fields();
    node_term(out, f.subject);
    out.extend_from_slice(b" <");
    out.extend_from_slice(f.predicate.as_bytes());
    out.extend_from_slice(b"> ");
    out.extend_from_slice(f.object.as_bytes());
    if f.graph != Node::Default {
        out.push(b' ');
        node_term(out, f.graph);
    }
    out.extend_from_slice(b" .\n");
}

/// The N-Triples term of a node.
fn node_term(out: &mut Vec<u8>, node: Node<'_>) {
    match node {
        Node::Default => {}
        Node::Iri(iri) => {
            out.push(b'<');
            out.extend_from_slice(iri.as_bytes());
            out.push(b'>');
        }
        Node::Blank(b) => out.extend_from_slice(b.as_bytes()),
    }
}
