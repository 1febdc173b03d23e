#!/usr/bin/env python3
"""Parse newskg's exports with RDFLib and check that each is the same graph as graph.nt
(triple formats) or the same dataset as graph.nq, named graph by named graph (quad formats).

Usage: rdflib_check.py DIR    DIR holds graph.{nt,nq,ttl,rdf,trig,jsonld}
Prints a PASS/FAIL line per check and a last line `rdflib: P passed, F failed`; exits 1 on a failure.
"""

import sys
from pathlib import Path

import rdflib
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

rdflib.NORMALIZE_LITERALS = False  # keep lexical forms as written: "01"^^xsd:int is not "1"
DIR = Path(sys.argv[1])


def graph(name, fmt):
    return Graph().parse(DIR / name, format=fmt)


def dataset(name, fmt):
    """The non-empty graphs of a dataset file, by name."""
    ds = Dataset().parse(DIR / name, format=fmt)
    return {g.identifier: g for g in ds.graphs() if len(g)}


def union(graphs):
    u = Graph()
    for g in graphs.values():
        u += g
    return u


def graph_diff(got, want):
    """None when the graphs are isomorphic, else what differs (no blank nodes in our data)."""
    if len(want) and isomorphic(got, want):
        return None
    extra, missing = sorted(set(got) - set(want)), sorted(set(want) - set(got))
    return (f"{len(got)} vs {len(want)} triples; {len(extra)} extra, e.g. {nt_lines(extra)}; "
            f"{len(missing)} missing, e.g. {nt_lines(missing)}")


def nt_lines(triples):
    return " | ".join(" ".join(term.n3() for term in t) for t in triples[:3])


def dataset_diff(got, want):
    if got.keys() != want.keys():
        return f"graph names {sorted(got)} vs {sorted(want)}"
    diffs = {name: graph_diff(got[name], want[name]) for name in want}
    return "; ".join(f"<{n}>: {d}" for n, d in diffs.items() if d) or None


nt = graph("graph.nt", "nt")
nq = dataset("graph.nq", "nquads")
print(f"rdflib {rdflib.__version__}: graph.nt has {len(nt)} triples, graph.nq {len(nq)} graphs")
CHECKS = {
    "ntriples == nquads union": lambda: graph_diff(nt, union(nq)),
    "turtle == ntriples": lambda: graph_diff(graph("graph.ttl", "turtle"), nt),
    "rdfxml == ntriples": lambda: graph_diff(graph("graph.rdf", "xml"), nt),
    "trig == nquads": lambda: dataset_diff(dataset("graph.trig", "trig"), nq),
    "jsonld == nquads": lambda: dataset_diff(dataset("graph.jsonld", "json-ld"), nq),
}
failed = 0
for label, check in CHECKS.items():
    try:
        problem = check()
    except Exception as e:  # a file that does not parse fails its check
        problem = f"{type(e).__name__}: {e}"
    failed += problem is not None
    print(f"PASS rdflib: {label}" if problem is None else f"FAIL rdflib: {label}: {problem}")
print(f"rdflib: {len(CHECKS) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
