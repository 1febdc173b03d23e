#!/usr/bin/env python3
"""The reference numbers for bench/run.sh: pyoxigraph (Oxigraph's Python binding) on the same data
newskg exported.

    python3 bench/pyoxigraph_bench.py nquads FILE.nq OUTDIR
        bulk-loads the N-Quads file into an in-memory Store, then dumps the whole dataset to
        N-Quads and to TriG (the Turtle family's format that keeps the named graphs);
    python3 bench/pyoxigraph_bench.py ntriples FILE.nt OUTDIR
        bulk-loads the N-Triples file (the union of newskg's graphs) into the default graph of an
        in-memory Store, then dumps the default graph to Turtle;
    python3 bench/pyoxigraph_bench.py nquads-rocksdb FILE.nq OUTDIR
        bulk-loads the N-Quads file into a new persistent (RocksDB) Store in OUTDIR/store, like
        `newskg build --store`, then compacts it (`optimize`, what newskg's build does last unless
        --no-compact) and reports its size on disk.

Prints `key<TAB>value` lines: phase times in seconds (measured inside the process, so without the
interpreter's start-up), the number of quads in the store, and the peak RSS in KiB right after
the bulk load (ru_maxrss). The run script also wraps the whole process in /usr/bin/time -v.
"""

import os
import resource
import sys
import time

import pyoxigraph
from pyoxigraph import DefaultGraph, RdfFormat, Store


def peak_rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("nquads", "ntriples", "nquads-rocksdb"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, path, outdir = sys.argv[1:]
    os.makedirs(outdir, exist_ok=True)
    print(f"pyoxigraph_version\t{pyoxigraph.__version__}")
    if mode == "nquads-rocksdb":
        return rocksdb(path, os.path.join(outdir, "store"))
    store = Store()  # no path: in memory, like newskg's embedded store
    fmt = RdfFormat.N_QUADS if mode == "nquads" else RdfFormat.N_TRIPLES
    t0 = time.perf_counter()
    store.bulk_load(path=path, format=fmt)
    t1 = time.perf_counter()
    print(f"load_s\t{t1 - t0:.3f}")
    print(f"load_peak_rss_kib\t{peak_rss_kib()}")
    print(f"quads\t{len(store)}")
    if mode == "nquads":
        t0 = time.perf_counter()
        store.dump(os.path.join(outdir, "pyoxigraph.nq"), RdfFormat.N_QUADS)
        t1 = time.perf_counter()
        print(f"dump_nquads_s\t{t1 - t0:.3f}")
        t0 = time.perf_counter()
        store.dump(os.path.join(outdir, "pyoxigraph.trig"), RdfFormat.TRIG)
        t1 = time.perf_counter()
        print(f"dump_trig_s\t{t1 - t0:.3f}")
    else:
        t0 = time.perf_counter()
        store.dump(
            os.path.join(outdir, "pyoxigraph.ttl"),
            RdfFormat.TURTLE,
            from_graph=DefaultGraph(),
        )
        t1 = time.perf_counter()
        print(f"dump_turtle_s\t{t1 - t0:.3f}")
    print(f"peak_rss_kib\t{peak_rss_kib()}")
    return 0


def disk_bytes(path):
    return sum(
        os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files
    )


def rocksdb(path, store_dir):
    if os.path.exists(store_dir):
        print(f"{store_dir} exists: give a new directory", file=sys.stderr)
        return 2
    store = Store(store_dir)
    t0 = time.perf_counter()
    store.bulk_load(path=path, format=RdfFormat.N_QUADS)
    t1 = time.perf_counter()
    print(f"load_s\t{t1 - t0:.3f}")
    print(f"load_peak_rss_kib\t{peak_rss_kib()}")
    print(f"load_disk_bytes\t{disk_bytes(store_dir)}")
    t0 = time.perf_counter()
    store.optimize()
    t1 = time.perf_counter()
    print(f"optimize_s\t{t1 - t0:.3f}")
    print(f"quads\t{len(store)}")
    print(f"disk_bytes\t{disk_bytes(store_dir)}")
    print(f"peak_rss_kib\t{peak_rss_kib()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
