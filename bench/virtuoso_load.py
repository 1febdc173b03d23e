"""The load test of bench/serve_load.sh against Virtuoso 7 on the same data (not part of CI).

    python3 bench/virtuoso_load.py NEWSKG_BIN STORE NQUADS [SECONDS] [CLIENTS...]

Starts a throwaway Virtuoso (Debian's virtuoso-opensource, 127.0.0.1; the loader of
bench/corpus_queries.py) with HTTP threads for the largest client count, bulk-loads NQUADS (the
store's `newskg export -f nquads`), and runs wrk (2 threads, keep-alive) for SECONDS per
workload and client count, as serve_load.sh does for `newskg serve --store STORE`:

- about-entity-page: `newskg queries --show about-entity` for the most-mentioned state, with
  `LIMIT 50` (Virtuoso reads the first 50 rows; newskg also counts the whole answer for its
  X-Total-Count);
- article-facts: the same SPARQL GET as serve_load.sh, one article's facts with their modality;
- ask: `ASK {}`, the HTTP layer alone (Virtuoso's GET /sparql without a query is an HTML page,
  not a service description).

Prints a Markdown table: requests/s, p50, p99, errors (non-2xx and socket errors), and the
server's peak memory (VmHWM of virtuoso-t).
"""

import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_queries import Virtuoso  # noqa: E402

NKG = "https://w3id.org/newskg/ontology#"


def newskg(bin_, *args):
    return subprocess.run([bin_, *args], capture_output=True, text=True, check=True).stdout


def first_cell(csv):
    return csv.splitlines()[1].strip().split(",")[0]


def wrk(url, clients, seconds):
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--latency",
         "-H", "Accept: application/sparql-results+json", url],
        capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+(\S+)", out).group(1)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(g) for g in sock.groups()) if sock else 0)
    return rps, p50, p99, errors


def peak(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return f"{int(line.split()[1]) // 1024} MiB"
    return "?"


def main():
    bin_, store, nquads = sys.argv[1:4]
    seconds = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    clients = [int(c) for c in sys.argv[5:]] or [4, 16]
    state = first_cell(newskg(
        bin_, "query", "--store", store, "-f", "csv",
        "SELECT ?e (COUNT(?a) AS ?n) WHERE { GRAPH data:entities { ?e a nkg:State } "
        "?a schema:mentions ?e } GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1")).split("/entity/")[-1]
    article = first_cell(newskg(
        bin_, "query", "--store", store, "-f", "csv",
        "SELECT ?a WHERE { ?a a nkg:Article } ORDER BY ?a LIMIT 1"))
    about = newskg(bin_, "queries", "--show", "about-entity", "-p", f"entity={state}").rstrip()
    assert re.search(r"ORDER BY[^{}]*$", about), "the standalone query ends with its ORDER BY"
    workloads = {
        "about-entity-page": about + "\nLIMIT 50",
        "article-facts": f"PREFIX nkg: <{NKG}>\nSELECT ?f ?modality ?quote WHERE {{ ?f "
                         f"nkg:statedIn <{article}> ; nkg:modality ?modality ; nkg:quote ?quote }}"
                         " ORDER BY ?f",
        "ask": "ASK {}",
    }
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR", "/tmp")) as work:
        v = Virtuoso(work, nquads, http_port=8897, sql_port=1197)
        v.stop()
        ini = os.path.join(v.dir, "virtuoso.ini")
        text = open(ini).read()
        threads = max(clients)
        text = text.replace("ServerThreads = 4", f"ServerThreads = {threads}")
        text = re.sub(r"MaxClientConnections = 4", f"MaxClientConnections = {threads}", text)
        open(ini, "w").write(text)
        v.restart()
        took = v.load()
        print(f"store: {store}; Virtuoso loaded {nquads} in {took:.1f} s; state: {state}; "
              f"article: {article}; {seconds} s per run; {os.cpu_count()} cores; "
              f"{threads} HTTP threads")
        print("| workload | clients | requests/s | p50 | p99 | errors | peak memory |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        try:
            for n in clients:
                for name, sparql in workloads.items():
                    url = f"http://127.0.0.1:{v.http}/sparql?" + urllib.parse.urlencode(
                        {"query": sparql})
                    # warm, and fail here if it is refused or cut
                    request = urllib.request.Request(
                        url, headers={"Accept": "application/sparql-results+json"})
                    with urllib.request.urlopen(request, timeout=600) as r:
                        assert r.headers.get("X-SQL-State") != "S1TAT", f"{name}: partial rows"
                        r.read()
                    rps, p50, p99, errors = wrk(url, n, seconds)
                    print(f"| {name} | {n} | {rps} | {p50} | {p99} | {errors} | "
                          f"{peak(v.proc.pid)} |", flush=True)
        finally:
            v.stop()


if __name__ == "__main__":
    main()
