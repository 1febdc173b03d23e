//! Quads in canonical order, sorted in bounded memory.
//!
//! Every export writes its quads in one order (graph, subject, predicate, object; `rdf:type`
//! first among predicates), so the same graph always gives the same bytes. The quads are held as
//! their N-Triples terms; up to a memory budget they are sorted in memory, past it each sorted run
//! spills to an anonymous temporary file and the runs are merged: a store of any size exports
//! with about the budget's memory.

use rayon::slice::ParallelSliceMut;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};

/// The default memory budget of a sort, in bytes of records.
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

/// IRIs sort by their text (so `<a/b>` comes right after `<a>`), blank nodes after them.
fn node_key(term: &str) -> (bool, &str) {
    match term.strip_prefix('<') {
        Some(iri) => (false, iri.strip_suffix('>').unwrap_or(iri)),
        None => (true, term),
    }
}

fn predicate_key(term: &str) -> (bool, (bool, &str)) {
    (!is_rdf_type(term), node_key(term))
}

impl Ord for Record {
    fn cmp(&self, other: &Self) -> Ordering {
        // the default graph first
        (!self.graph.is_empty(), node_key(&self.graph))
            .cmp(&(!other.graph.is_empty(), node_key(&other.graph)))
            .then_with(|| node_key(&self.subject).cmp(&node_key(&other.subject)))
            .then_with(|| predicate_key(&self.predicate).cmp(&predicate_key(&other.predicate)))
            .then_with(|| self.object.cmp(&other.object))
    }
}

impl PartialOrd for Record {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Record {
    fn size(&self) -> usize {
        self.graph.len() + self.subject.len() + self.predicate.len() + self.object.len() + 128
    }

    /// One line of a spilled run: N-Triples terms never hold a raw tab or newline.
    fn write_line(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            self.graph, self.subject, self.predicate, self.object
        )
    }

    fn read_line(line: &str) -> io::Result<Record> {
        let mut fields = line.splitn(4, '\t');
        let mut next = || {
            fields
                .next()
                .map(str::to_string)
                .ok_or_else(|| io::Error::other("a spilled sort run has a truncated line"))
        };
        Ok(Record {
            graph: next()?,
            subject: next()?,
            predicate: next()?,
            object: next()?,
        })
    }
}

/// Sorts records, removing duplicates, in about `budget` bytes of memory.
pub struct Sorter {
    records: Vec<Record>,
    bytes: usize,
    budget: usize,
    runs: Vec<std::fs::File>,
}

impl Sorter {
    pub fn new(budget: usize) -> Self {
        Sorter {
            records: Vec::new(),
            bytes: 0,
            budget,
            runs: Vec::new(),
        }
    }

    pub fn push(&mut self, record: Record) -> io::Result<()> {
        self.bytes += record.size();
        self.records.push(record);
        if self.bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn sort_in_memory(&mut self) {
        self.records.par_sort_unstable();
        self.records.dedup();
    }

    fn spill(&mut self) -> io::Result<()> {
        self.sort_in_memory();
        let mut file = tempfile::tempfile()?;
        {
            let mut out = BufWriter::with_capacity(1 << 20, &mut file);
            for r in self.records.drain(..) {
                r.write_line(&mut out)?;
            }
            out.flush()?;
        }
        file.rewind()?;
        self.runs.push(file);
        self.bytes = 0;
        Ok(())
    }

    /// The records in order, each once.
    pub fn finish(mut self) -> io::Result<Sorted> {
        if self.runs.is_empty() {
            self.sort_in_memory();
            return Ok(Sorted(Inner::Memory(self.records.into_iter())));
        }
        if !self.records.is_empty() {
            self.spill()?;
        }
        let mut runs: Vec<io::Lines<BufReader<std::fs::File>>> = self
            .runs
            .into_iter()
            .map(|f| BufReader::with_capacity(1 << 16, f).lines())
            .collect();
        let mut heap = BinaryHeap::new();
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(line) = run.next() {
                heap.push(Head(Record::read_line(&line?)?, i));
            }
        }
        Ok(Sorted(Inner::Merge {
            runs,
            heap,
            last: None,
        }))
    }
}

/// A run's smallest unmerged record; the heap pops the smallest first.
struct Head(Record, usize);

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head {}
impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.cmp(&self.0).then_with(|| other.1.cmp(&self.1))
    }
}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Sorted records: from memory, or merged from spilled runs.
pub struct Sorted(Inner);

enum Inner {
    Memory(std::vec::IntoIter<Record>),
    Merge {
        runs: Vec<io::Lines<BufReader<std::fs::File>>>,
        heap: BinaryHeap<Head>,
        last: Option<Record>,
    },
}

impl Iterator for Sorted {
    type Item = io::Result<Record>;

    fn next(&mut self) -> Option<io::Result<Record>> {
        match &mut self.0 {
            Inner::Memory(records) => records.next().map(Ok),
            Inner::Merge { runs, heap, last } => loop {
                let Head(record, run) = heap.pop()?;
                if let Some(line) = runs[run].next() {
                    match line.and_then(|l| Record::read_line(&l)) {
                        Ok(next) => heap.push(Head(next, run)),
                        Err(e) => return Some(Err(e)),
                    }
                }
                // Runs are each without duplicates, but two runs may share a record.
                if last.as_ref() == Some(&record) {
                    continue;
                }
                *last = Some(record.clone());
                return Some(Ok(record));
            },
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
            sorter.push(rec.clone()).unwrap();
        }
        sorter.finish().unwrap().collect::<io::Result<_>>().unwrap()
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
