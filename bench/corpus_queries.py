"""Every canned query on a corpus, as whole processes, beside Virtuoso on the same data.

    python3 bench/corpus_queries.py --newskg BIN --store DIR --key s1000 \
        [--nquads FILE --virtuoso] [--runs N] [--timeout S]

For each canned query that runs on the graph alone (not the federated ones), with its
parameters set to the corpus's most-mentioned entities (the most-mentioned state and the second,
person, agreement, the most-cited source; a fact of the most-mentioned state), it times
`newskg query --store DIR NAME` as a whole process: the first page (`--limit 50`, what a
terminal shows) and every row (`-f csv`, what a program reads), the median of --runs runs, and
counts the rows. With --virtuoso it starts Virtuoso 7 on 127.0.0.1 (a throwaway database in
--work), bulk-loads --nquads, and times the same query there: the SPARQL `newskg queries --show`
writes out (full IRIs, parameters as terms), over HTTP, every row. Results are `KEY.q.NAME.*`
lines, tab-separated, on standard output (see bench/report.py).
"""

import argparse
import csv
import io
import re
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

FEDERATED = {"state-heads", "positions-held"}
PAGE = 50


def page_total(table):
    """The row count a table's last line gives: "(rows 1–50 of N; …)" or "(N rows)"."""
    last = table.strip().splitlines()[-1] if table.strip() else ""
    m = re.search(r"of (\d+);", last) or re.search(r"^\((\d+) rows?\)$", last)
    return int(m.group(1)) if m else None


def out(key, value):
    print(f"{key}\t{value}", flush=True)


def say(*words):
    print("corpus_queries:", *words, file=sys.stderr, flush=True)


def newskg(args, timeout):
    return subprocess.run(args, capture_output=True, timeout=timeout, text=True)


def canned(bin_):
    """(name, [param names]) of every canned query, from `newskg queries`."""
    listing = subprocess.run([bin_, "queries"], capture_output=True, text=True, check=True).stdout
    queries, current = [], None
    for line in listing.splitlines():
        if line and not line.startswith(" "):
            current = (line, [])
            queries.append(current)
        elif line.strip().startswith("--param ") and current:
            current[1].append(line.strip().split()[1].split("=")[0])
    return [q for q in queries if q[0] not in FEDERATED]


def select(bin_, store, sparql, timeout):
    r = newskg([bin_, "query", "--store", store, sparql, "-f", "json"], timeout)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout)["results"]["bindings"]


def local(iri, marker):
    return iri.split(marker, 1)[1]


def parameters(bin_, store, timeout):
    """Values for every parameter name: the corpus's most-mentioned entities."""
    def top(cls, n):
        rows = select(bin_, store, f"""
            SELECT ?e (COUNT(?a) AS ?n) WHERE {{
              GRAPH data:entities {{ ?e a nkg:{cls} }} ?a schema:mentions ?e
            }} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT {n}""", timeout)
        return [local(r["e"]["value"], "/entity/") for r in rows]
    states = top("State", 2)
    people = top("Person", 1)
    agreements = top("Agreement", 1) or states
    source = select(bin_, store, """
        SELECT ?s (COUNT(?f) AS ?n) WHERE { ?f nkg:accordingTo ?s } GROUP BY ?s
        ORDER BY DESC(?n) ?s LIMIT 1""", timeout)
    source = [local(r["s"]["value"], "/entity/") for r in source] or states
    fact = select(bin_, store, f"""
        SELECT ?f WHERE {{ ?f nkg:factSubject ent:{states[0]} }} ORDER BY ?f LIMIT 1""", timeout)
    fact = local(fact[0]["f"]["value"], "/article/").replace("/fact/", "/")
    return {
        "entity": states[0], "agreement": agreements[0], "source": source[0],
        "a": states[0], "b": states[1], "actor": states[0], "target": states[1],
        "speaker": people[0] if people else states[0], "fact": fact,
        "class": "MilitaryStrike", "modality": "hedged", "property": "hostileTo",
    }


def description_copies(bin_, store, timeout):
    """How often the store repeats what an entity is: for each predicate of the entities' graph
    (class, label, aliases, Wikidata ID, ...), its triples about an entity, in that graph and in
    every other graph. Each description triple should be stored once: 0 copies elsewhere."""
    predicates = [r["p"]["value"] for r in select(bin_, store, """
        SELECT DISTINCT ?p WHERE { GRAPH data:entities { ?e ?p ?o } } ORDER BY ?p""", timeout)]
    kept = elsewhere = 0
    for p in predicates:
        rows = select(bin_, store, f"""
            SELECT (SUM(IF(?g = data:entities, 1, 0)) AS ?kept) (SUM(IF(?g != data:entities, 1, 0)) AS ?elsewhere)
            WHERE {{ GRAPH ?g {{ ?e <{p}> ?o }} FILTER(STRSTARTS(STR(?e), STR(ent:))) }}""", timeout)
        kept += int(rows[0].get("kept", {}).get("value", 0))
        elsewhere += int(rows[0].get("elsewhere", {}).get("value", 0))
    return len(predicates), kept, elsewhere


def timed(cmd, runs, timeout):
    """Median wall time (s) of `runs` runs of cmd, and the last run's output; None on failure."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=timeout, text=True)
        except subprocess.TimeoutExpired:
            return None, f"over {timeout} s"
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            return None, result.stderr.strip().splitlines()[-1][:200]
    return statistics.median(times), result.stdout


# --- Virtuoso -------------------------------------------------------------------------------------

class Virtuoso:
    """A throwaway Virtuoso 7 on 127.0.0.1, loaded with one N-Quads file."""

    def __init__(self, work, nquads, http_port=8899, sql_port=1199):
        self.dir = os.path.join(work, "virtuoso")
        self.http, self.sql = http_port, sql_port
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "data"))
        os.symlink(os.path.abspath(nquads), os.path.join(self.dir, "data", "corpus.nq"))
        memory_gib = 4
        with open(os.path.join(self.dir, "virtuoso.ini"), "w") as ini:
            ini.write(f"""[Database]
DatabaseFile = {self.dir}/virtuoso.db
ErrorLogFile = {self.dir}/virtuoso.log
LockFile = {self.dir}/virtuoso.lck
TransactionFile = {self.dir}/virtuoso.trx
xa_persistent_file = {self.dir}/virtuoso.pxa
FileExtend = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {self.dir}/virtuoso-temp.db
TransactionFile = {self.dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{self.sql}
DisableUnixSocket = 1
MaxClientConnections = 4
CheckpointInterval = 0
NumberOfBuffers = {memory_gib * 85000}
MaxDirtyBuffers = {memory_gib * 65000}
MaxQueryMem = 2G
DirsAllowed = ., {self.dir}/data
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{self.http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 600
""")
        self.start()

    def start(self):
        """Starts the server on the database in its directory (loaded or not)."""
        self.proc = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", os.path.join(self.dir, "virtuoso.ini")],
            cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait_for(self.sql)
        self.wait_for(self.http)

    def crashed(self):
        """The server's exit code when it has stopped, else None."""
        return self.proc.poll()

    def wait_for(self, port, seconds=120):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"Virtuoso did not listen on {port}")

    def isql(self, *statements):
        script = "\n".join(statements) + "\n"
        r = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql}", "dba", "dba"],
                           input=script, capture_output=True, text=True)
        if "*** Error" in r.stdout + r.stderr:
            raise RuntimeError((r.stdout + r.stderr)[-500:])
        return r.stdout

    def load(self):
        """Bulk-loads the N-Quads (the time returned), then restarts the server on its database:
        right after the load, Virtuoso 7.2.5 answered about-entity on 20,000 articles with 85,936
        of its 126,580 rows, the same query 126,580 after a restart."""
        start = time.perf_counter()
        self.isql(f"ld_dir('{self.dir}/data', '*.nq', 'http://newskg.invalid/default');",
                  "rdf_loader_run();", "checkpoint;")
        took = time.perf_counter() - start
        self.stop()
        self.restart()
        return took

    def restart(self):
        """Starts the server again on its database, after a shutdown or a crash."""
        lock = os.path.join(self.dir, "virtuoso.lck")
        if os.path.exists(lock):
            os.remove(lock)
        self.start()

    def query(self, sparql, timeout):
        """Wall time (s) of one query over HTTP, and the rows; None and why on failure."""
        body = urllib.parse.urlencode({"query": sparql}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http}/sparql", data=body,
            headers={"Accept": "application/sparql-results+json",
                     "Content-Type": "application/x-www-form-urlencoded"})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                partial = response.headers.get("X-SQL-State") == "S1TAT"
                data = json.loads(response.read())
        except Exception as e:  # noqa: BLE001 - any failure is reported, not fatal
            return None, str(e)[:200]
        if partial:
            return None, "partial rows (the time limit cut the answer: X-SQL-State S1TAT)"
        return time.perf_counter() - start, len(data["results"]["bindings"])

    def stop(self):
        try:
            self.isql("shutdown;")
        except Exception:  # noqa: BLE001
            pass
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def on_virtuoso(virtuoso, bin_, name, given, q, runs, timeout):
    """Times canned query `name` on Virtuoso (the SPARQL `queries --show` writes); a server that
    stopped during it is started again, on its loaded database, for the next query."""
    shown = subprocess.run([bin_, "queries", "--show", name] + given, capture_output=True, text=True)
    sparql = "\n".join(l for l in shown.stdout.splitlines() if not l.startswith("#"))
    times, rows, why = [], None, None
    for _ in range(runs):
        t, rows_or_why = virtuoso.query(sparql, timeout)
        if t is None:
            why = rows_or_why
            break
        times.append(t)
        rows = rows_or_why
    if why:
        code = virtuoso.crashed()
        if code is not None:
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            why = f"Virtuoso stopped during the query ({how}; {why})"
            say(f"{name}: Virtuoso stopped; starting it again on its database")
            virtuoso.restart()
        out(f"{q}.virtuoso_status", f"failed: {why}"[:300])
        say(f"{name}: on Virtuoso failed: {why}")
        return
    median_ms = statistics.median(times) * 1000
    out(f"{q}.virtuoso_ms", f"{median_ms:.1f}")
    out(f"{q}.virtuoso_rows", rows)
    say(f"{name}: Virtuoso {median_ms:.0f} ms")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--newskg", required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--nquads")
    p.add_argument("--virtuoso", action="store_true")
    p.add_argument("--work", default="/tmp/newskg-bench")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()
    k, bin_, store = args.key, args.newskg, args.store

    values = parameters(bin_, store, args.timeout)
    out(f"{k}.q.params", ", ".join(f"{n}={v}" for n, v in sorted(values.items())))
    try:
        predicates, kept, elsewhere = description_copies(bin_, store, args.timeout)
        out(f"{k}.q.descriptions", f"{kept:,} entity description triples ({predicates} predicates) in data:entities, "
            f"{elsewhere:,} copies of them in other graphs")
    except Exception as e:  # noqa: BLE001 - reported, not fatal
        out(f"{k}.q.descriptions", f"not measured: {e}"[:300])
    virtuoso = None
    if args.virtuoso and args.nquads and shutil.which("virtuoso-t"):
        say("loading the N-Quads into Virtuoso")
        try:
            virtuoso = Virtuoso(args.work, args.nquads)
            out(f"{k}.virtuoso.load_s", f"{virtuoso.load():.1f}")
            version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "virtuoso-opensource"],
                                     capture_output=True, text=True).stdout.strip()
            out(f"{k}.virtuoso.version", f"Virtuoso {version or '7'}")
        except Exception as e:  # noqa: BLE001
            out(f"{k}.virtuoso.status", f"failed: {e}"[:300])
            virtuoso = None
    try:
        for name, params in canned(bin_):
            given = []
            for param in params:
                given += ["-p", f"{param}={values[param]}"]
            base = [bin_, "query", "--store", store, name] + given
            page, page_out = timed(base + ["--limit", str(PAGE)], args.runs, args.timeout)
            full, full_out = timed(base + ["-f", "csv"], max(1, args.runs // 2 + 1), args.timeout)
            q = f"{k}.q.{name}"
            if page is None:
                out(f"{q}.status", f"failed: {page_out}")
            else:
                out(f"{q}.page_ms", f"{page * 1000:.1f}")
            if full is not None:
                out(f"{q}.all_ms", f"{full * 1000:.1f}")
                rows = max(0, len(list(csv.reader(io.StringIO(full_out)))) - 1)
                out(f"{q}.rows", rows)
                # the count the page gives (the core's, for a paged query) is the answer's
                said = page_total(page_out) if page is not None else None
                if said is not None and said != rows:
                    out(f"{q}.page_total", said)
                    say(f"{name}: the first page says {said} rows, the answer has {rows}")
            say(f"{name}: first page {page and round(page * 1000)} ms, all rows "
                f"{full and round(full * 1000)} ms")
            if virtuoso:
                on_virtuoso(virtuoso, bin_, name, given, q, args.runs, args.timeout)
    finally:
        if virtuoso:
            virtuoso.stop()


if __name__ == "__main__":
    main()
