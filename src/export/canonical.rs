//! Quads in canonical order, sorted in bounded memory.
//!
//! Every export writes its quads in one order (graph, subject, predicate, object; `rdf:type`
//! first among predicates), so the same graph always gives the same bytes. Each quad is packed
//! into one [`Key`] whose bytes sort in that order; up to a memory budget the keys are sorted in
//! memory, past it each sorted run spills to an anonymous temporary file and the runs are merged:
//! a store of any size exports with about the budget's memory.

use rayon::slice::ParallelSliceMut;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// The default memory budget of a sort, in bytes of keys.
pub const DEFAULT_BUDGET: usize = 256 << 20;

/// One quad as N-Triples terms; `graph` is empty for the default graph (and for the union of all
/// graphs, when the output has no named graphs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub graph: String,
    pub subject: String,
    pub predicate: String,
    pub object: String,
}

/// Whether an N-Triples term is `rdf:type`.
pub fn is_rdf_type(term: &str) -> bool {
    term.strip_prefix('<').and_then(|t| t.strip_suffix('>')) == Some(crate::vocab::rdf::TYPE)
}

/// A graph name, subject or predicate of a [`Key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node<'a> {
    /// The default graph (as a graph name only).
    Default,
    /// An IRI, without its angle brackets.
    Iri(&'a str),
    /// A blank node, as its N-Triples term (`_:id`).
    Blank(&'a str),
}

impl Node<'_> {
    /// The N-Triples term (empty for the default graph).
    pub fn term(self) -> String {
        match self {
            Node::Default => String::new(),
            Node::Iri(iri) => format!("<{iri}>"),
            Node::Blank(b) => b.to_string(),
        }
    }

    fn from_term(term: &str) -> Node<'_> {
        if term.is_empty() {
            Node::Default
        } else if let Some(iri) = term.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            Node::Iri(iri)
        } else {
            Node::Blank(term)
        }
    }

    /// The default graph first, then IRIs by their text (so `<a/b>` comes right after `<a>`),
    /// then blank nodes.
    fn flag(self) -> u8 {
        match self {
            Node::Default => 0,
            Node::Iri(_) => 1,
            Node::Blank(_) => 2,
        }
    }
}

/// One quad packed into a single buffer whose bytes sort in canonical order, so that a comparison
/// is one `memcmp` of one allocation:
/// `[graph flag] graph NUL [subject flag] subject NUL [predicate flag] predicate NUL object`,
/// where the flags order the default graph first, IRIs before blank nodes and `rdf:type` before
/// other predicates, the texts are IRIs without brackets or blank node terms (neither can hold a
/// NUL, which sorts a text before its extensions), and the object is its N-Triples term.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key(Box<str>);

/// The fields of a [`Key`], borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields<'a> {
    pub graph: Node<'a>,
    pub subject: Node<'a>,
    /// The predicate's IRI.
    pub predicate: &'a str,
    /// The object's N-Triples term.
    pub object: &'a str,
}

impl Key {
    /// Packs a quad, using `buf` as scratch space; `object` writes the object's N-Triples term.
    pub fn new(
        buf: &mut String,
        graph: Node<'_>,
        subject: Node<'_>,
        predicate: &str,
        object: impl FnOnce(&mut String),
    ) -> Key {
        buf.clear();
        for node in [graph, subject] {
            buf.push(char::from(node.flag()));
            match node {
                Node::Default => {}
                Node::Iri(t) | Node::Blank(t) => buf.push_str(t),
            }
            buf.push('\0');
        }
        buf.push(char::from(u8::from(predicate != crate::vocab::rdf::TYPE)));
        buf.push_str(predicate);
        buf.push('\0');
        object(buf);
        Key(buf.as_str().into())
    }

    /// The key of a record of N-Triples terms.
    pub fn of(r: &Record) -> Key {
        let predicate = r.predicate.trim_start_matches('<').trim_end_matches('>');
        Key::new(
            &mut String::new(),
            Node::from_term(&r.graph),
            Node::from_term(&r.subject),
            predicate,
            |buf| buf.push_str(&r.object),
        )
    }

    pub fn fields(&self) -> Fields<'_> {
        // Keys are made by `Key::new` (or read back from a run after a check): three flagged
        // texts, each ended by a NUL, then the object.
        let mut rest: &str = &self.0;
        let mut field = || -> Node<'_> {
            let flag = rest.as_bytes()[0];
            let end = rest[1..].find('\0').map_or(rest.len(), |i| i + 1);
            let text = &rest[1..end];
            rest = rest.get(end + 1..).unwrap_or_default();
            match flag {
                0 if text.is_empty() => Node::Default,
                0 | 1 => Node::Iri(text),
                _ => Node::Blank(text),
            }
        };
        let graph = field();
        let subject = field();
        let predicate = match field() {
            Node::Iri(p) | Node::Blank(p) => p,
            Node::Default => "",
        };
        Fields {
            graph,
            subject,
            predicate,
            object: rest,
        }
    }

    /// The record of N-Triples terms.
    pub fn record(&self) -> Record {
        let f = self.fields();
        Record {
            graph: f.graph.term(),
            subject: f.subject.term(),
            predicate: format!("<{}>", f.predicate),
            object: f.object.to_string(),
        }
    }

    fn size(&self) -> usize {
        // the bytes, the box, and the allocator's overhead
        self.0.len() + 32
    }

    /// A spilled run holds each key as its length (4 bytes, little-endian) and its bytes.
    fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        let len = u32::try_from(self.0.len()).map_err(io::Error::other)?;
        out.write_all(&len.to_le_bytes())?;
        out.write_all(self.0.as_bytes())
    }

    fn read_from(input: &mut impl Read) -> io::Result<Option<Key>> {
        let mut len = [0u8; 4];
        match input.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
        input.read_exact(&mut bytes)?;
        match String::from_utf8(bytes) {
            Ok(text) if text.matches('\0').count() >= 3 => Ok(Some(Key(text.into()))),
            _ => Err(io::Error::other("a spilled sort run is corrupt")),
        }
    }
}

/// Sorts keys, removing duplicates, in about `budget` bytes of memory.
pub struct Sorter {
    keys: Vec<Key>,
    bytes: usize,
    budget: usize,
    runs: Vec<std::fs::File>,
}

impl Sorter {
    pub fn new(budget: usize) -> Self {
        Sorter {
            keys: Vec::new(),
            bytes: 0,
            budget,
            runs: Vec::new(),
        }
    }

    pub fn push(&mut self, key: Key) -> io::Result<()> {
        self.bytes += key.size();
        self.keys.push(key);
        if self.bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn sort_in_memory(&mut self) {
        self.keys.par_sort_unstable();
        self.keys.dedup();
    }

    fn spill(&mut self) -> io::Result<()> {
        self.sort_in_memory();
        let mut file = tempfile::tempfile()?;
        {
            let mut out = BufWriter::with_capacity(1 << 20, &mut file);
            for key in self.keys.drain(..) {
                key.write_to(&mut out)?;
            }
            out.flush()?;
        }
        file.rewind()?;
        self.runs.push(file);
        self.bytes = 0;
        Ok(())
    }

    /// The keys in order, each once.
    pub fn finish(mut self) -> io::Result<Sorted> {
        if self.runs.is_empty() {
            self.sort_in_memory();
            return Ok(Sorted(Inner::Memory(self.keys.into_iter())));
        }
        if !self.keys.is_empty() {
            self.spill()?;
        }
        let mut runs: Vec<BufReader<std::fs::File>> = self
            .runs
            .into_iter()
            .map(|f| BufReader::with_capacity(1 << 16, f))
            .collect();
        let mut heap = BinaryHeap::new();
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(key) = Key::read_from(run)? {
                heap.push(Reverse((key, i)));
            }
        }
        Ok(Sorted(Inner::Merge { runs, heap }))
    }
}

/// Sorted keys: from memory, or merged from spilled runs (the heap holds each run's smallest
/// unmerged key).
pub struct Sorted(Inner);

enum Inner {
    Memory(std::vec::IntoIter<Key>),
    Merge {
        runs: Vec<BufReader<std::fs::File>>,
        heap: BinaryHeap<Reverse<(Key, usize)>>,
    },
}

impl Iterator for Sorted {
    type Item = io::Result<Key>;

    fn next(&mut self) -> Option<io::Result<Key>> {
        match &mut self.0 {
            Inner::Memory(keys) => keys.next().map(Ok),
            Inner::Merge { runs, heap } => {
                let Reverse((key, run)) = heap.pop()?;
                let mut advance = |heap: &mut BinaryHeap<_>, run: usize| -> io::Result<()> {
                    if let Some(next) = Key::read_from(&mut runs[run])? {
                        heap.push(Reverse((next, run)));
                    }
                    Ok(())
                };
                if let Err(e) = advance(heap, run) {
                    return Some(Err(e));
                }
                // Runs are each without duplicates, but other runs may hold the same key: it is
                // at their head now.
                while let Some(Reverse((top, _))) = heap.peek()
                    && *top == key
                {
                    let Some(Reverse((_, other))) = heap.pop() else {
                        break;
                    };
                    if let Err(e) = advance(heap, other) {
                        return Some(Err(e));
                    }
                }
                Some(Ok(key))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RDF_TYPE: &str = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";

    fn r(g: &str, s: &str, p: &str, o: &str) -> Record {
        Record {
            graph: g.into(),
            subject: s.into(),
            predicate: p.into(),
            object: o.into(),
        }
    }

    fn sorted(budget: usize, records: &[Record]) -> Vec<Record> {
        let mut sorter = Sorter::new(budget);
        for rec in records {
            sorter.push(Key::of(rec)).unwrap();
        }
        sorter
            .finish()
            .unwrap()
            .map(|k| k.unwrap().record())
            .collect()
    }

    #[test]
    fn orders_graphs_subjects_type_first_and_removes_duplicates() {
        let records = vec![
            r("<g2>", "<a>", "<p>", "\"x\""),
            r("", "_:b", "<p>", "<o>"),
            r("<g1>", "<a/b>", "<p>", "<o>"),
            r("<g1>", "<a>", "<z>", "<o>"),
            r("<g1>", "<a>", RDF_TYPE, "<T>"),
            r("<g1>", "<a>", "<z>", "<o>"),
            r("", "<c>", "<p>", "<o>"),
        ];
        let expected = vec![
            r("", "<c>", "<p>", "<o>"),
            r("", "_:b", "<p>", "<o>"),
            r("<g1>", "<a>", RDF_TYPE, "<T>"),
            r("<g1>", "<a>", "<z>", "<o>"),
            r("<g1>", "<a/b>", "<p>", "<o>"),
            r("<g2>", "<a>", "<p>", "\"x\""),
        ];
        assert_eq!(sorted(DEFAULT_BUDGET, &records), expected);
    }

    #[test]
    fn spilled_runs_merge_to_the_in_memory_order() {
        // 2,000 records with duplicates, in a scrambled order; a tiny budget spills every few.
        let records: Vec<Record> = (0..2000u32)
            .map(|i| {
                let k = (i * 7919) % 1000;
                r(
                    &format!("<g{}>", k % 7),
                    &format!("<s{}>", k % 13),
                    if k % 5 == 0 { RDF_TYPE } else { "<p>" },
                    &format!("\"{k}\\t\\n\""),
                )
            })
            .collect();
        let in_memory = sorted(DEFAULT_BUDGET, &records);
        let spilled = sorted(4096, &records);
        assert_eq!(in_memory.len(), 1000);
        assert_eq!(spilled, in_memory);
    }
}
