#!/usr/bin/env python3
"""newskg push and `newskg query --endpoint` against a real Virtuoso (Debian's, on 127.0.0.1).

    python3 ci/push_check.py NEWSKG_BIN GEN_CORPUS_BIN

Starts its own empty Virtuoso (ci/sparql-server.sh with NEWSKG_SPARQL_EMPTY=1, on port
NEWSKG_PUSH_PORT, 8990 by default; stopped at the end), generates a corpus, then: pushes it by
the Graph Store Protocol (Digest authentication), pushes again (nothing sent), changes one
article (one graph sent), removes one (reported, then deleted with --prune), compares each
remote graph with the local export, runs every canned query on Virtuoso and on the local corpus
(the same rows, but for the queries whose header says Virtuoso answers them wrongly: those must
be refused), checks that partial answers (time limit, row cap) and bad connections are errors,
and pushes the seed by SPARQL Update. Prints PASS/FAIL lines; exits 1 if any check failed.
"""
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

BIN, GEN = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = int(os.environ.get("NEWSKG_PUSH_PORT", "8990"))
ENDPOINT = f"http://127.0.0.1:{PORT}/sparql"
GRAPH_STORE = f"http://127.0.0.1:{PORT}/sparql-graph-crud-auth"
UPDATE = f"http://127.0.0.1:{PORT}/sparql-auth"
BASE = "https://w3id.org/newskg/data/"
ARTICLES = 60
# canned queries that call Wikidata (SERVICE): Virtuoso refuses SERVICE to its SPARQL user
FEDERATED = {"positions-held", "state-heads"}

passed = failed = 0


def check(label, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {label}")
    else:
        failed += 1
        print(f"FAIL {label}")
        if detail:
            print("  " + detail.strip().replace("\n", "\n  ")[:2000])


def server(action, **env):
    e = dict(os.environ, NEWSKG_SPARQL_PORT=str(PORT), NEWSKG_SPARQL_SHIM="0",
             NEWSKG_SPARQL_EMPTY="1", NEWSKG_SPARQL_MAX_SECONDS="5", **env)
    return subprocess.run(["bash", os.path.join(ROOT, "ci/sparql-server.sh"), action],
                          env=e, capture_output=True, text=True)


def newskg(*args, env=None):
    e = dict(os.environ)
    e.pop("NEWSKG_ENDPOINT_USER", None)
    e.pop("NEWSKG_ENDPOINT_PASSWORD", None)
    e.update(env or {})
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=e, timeout=600)


def remote_select(query):
    """Rows of a SELECT on Virtuoso, as lists of strings (TSV, header dropped)."""
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(ENDPOINT, data=data, headers={"Accept": "text/tab-separated-values"})
    with urllib.request.urlopen(req, timeout=60) as r:
        lines = r.read().decode().splitlines()[1:]
    return [[v.strip('"').strip("<>") for v in line.split("\t")] for line in lines if line]


REPORT = re.compile(r"(\d+) graphs?: (\d+) (?:sent|to send) .*?, (\d+) unchanged, (\d+) (?:deleted|to delete), (\d+) failed")


def pushed(result):
    """(graphs, sent, unchanged, deleted, failed) of a push's report, or None."""
    m = REPORT.search(result.stdout)
    return tuple(int(x) for x in m.groups()) if m else None


def local_graph_counts(corpus):
    """Triples per named graph of the corpus as newskg exports it (N-Quads)."""
    r = newskg("export", "-i", corpus, "-f", "nquads")
    counts = {}
    for line in r.stdout.splitlines():
        g = line.rsplit(" ", 2)[-2]
        counts[g.strip("<>")] = counts.get(g.strip("<>"), 0) + 1
    return counts


def remote_graph_counts():
    rows = remote_select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {}
    for g, n in rows:
        g = g.strip("<>")
        if g.startswith(BASE) or g.startswith("https://w3id.org/newskg/ontology"):
            counts[g] = int(n)
    return counts


def canned():
    """(name, [param names], wrong on Virtuoso?) of every canned query."""
    out, current = [], None
    for line in newskg("queries").stdout.splitlines():
        if line and not line.startswith(" "):
            current = [line, []]
            out.append(current)
        elif line.strip().startswith("--param ") and current:
            current[1].append(line.strip().split()[1].split("=")[0])
    result = []
    for name, params in out:
        shown = newskg("queries", "--show", name).stdout
        result.append((name, params, "known to be answered wrongly by Virtuoso/07" in shown))
    return result


def parameters(corpus):
    """A value for every parameter: the corpus's most-mentioned entities, one of its facts."""
    def select(q):
        r = newskg("query", "-i", corpus, q, "-f", "tsv", "--limit", "0")
        return [l.split("\t") for l in r.stdout.splitlines()[1:] if l]

    def top(cls, n):
        rows = select(f"""SELECT ?e (COUNT(?a) AS ?n) WHERE {{
            GRAPH data:entities {{ ?e a nkg:{cls} }} ?a schema:mentions ?e
          }} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT {n}""")
        return [r[0].strip("<>").split("/entity/", 1)[1] for r in rows]
    states, people = top("State", 2), top("Person", 1)
    agreements = top("Agreement", 1) or states
    source = select("""SELECT ?s (COUNT(?f) AS ?n) WHERE { ?f nkg:accordingTo ?s } GROUP BY ?s
                       ORDER BY DESC(?n) ?s LIMIT 1""")
    source = [r[0].strip("<>").split("/entity/", 1)[1] for r in source] or states
    fact = select(f"SELECT ?f WHERE {{ ?f nkg:factSubject ent:{states[0]} }} ORDER BY ?f LIMIT 1")
    fact = fact[0][0].strip("<>").split("/article/", 1)[1].replace("/fact/", "/")
    return {"entity": states[0], "agreement": agreements[0], "source": source[0],
            "a": states[0], "b": states[1], "actor": states[0], "target": states[1],
            "speaker": people[0] if people else states[0], "fact": fact,
            "class": "MilitaryStrike", "modality": "hedged", "property": "hostileTo"}


def main():
    started = server("start")
    if started.returncode != 0:
        print(started.stderr)
        check("an empty Virtuoso for push starts", False)
        return
    work = tempfile.mkdtemp()
    try:
        run(work)
        server("stop")
        started = server("start")
        check("Virtuoso restarts empty for the README's examples", started.returncode == 0, started.stderr)
        if started.returncode == 0:
            readme(work)
    finally:
        server("stop")
        shutil.rmtree(work, ignore_errors=True)


def run(work):
    corpus = os.path.join(work, "corpus")
    subprocess.run([GEN, "--articles", str(ARTICLES), "--seed", "5", "--out", corpus],
                   check=True, capture_output=True)
    creds = os.path.join(work, "credentials")
    with open(creds, "w") as f:
        f.write("dba:dba\n")
    os.chmod(creds, 0o600)
    push = ["push", "-i", corpus, "--endpoint", ENDPOINT, "--graph-store", GRAPH_STORE,
            "--credentials", creds]
    graphs = ARTICLES + 2  # the articles, the entities, the ontology

    r = newskg(*push)
    check("push: every graph sent (Graph Store Protocol, Digest authentication)",
          r.returncode == 0 and pushed(r) == (graphs, graphs, 0, 0, 0), r.stdout + r.stderr)
    r = newskg(*push)
    check("push again: nothing sent", r.returncode == 0 and pushed(r) == (graphs, 0, graphs, 0, 0),
          r.stdout + r.stderr)

    first = sorted(os.path.join(corpus, "0000", f) for f in os.listdir(os.path.join(corpus, "0000"))
                   if f.endswith(".toml"))
    text = open(first[0]).read()
    open(first[0], "w").write(text.replace('title = "', 'title = "Updated: ', 1))
    r = newskg(*push)
    check("push after one article changed: that article only",
          r.returncode == 0 and pushed(r) == (graphs, 1, graphs - 1, 0, 0), r.stdout + r.stderr)

    gone = first[1]
    os.remove(gone)
    os.remove(gone[:-5] + ".txt")
    r = newskg(*push)
    check("push after one article removed: reported, not deleted without --prune",
          r.returncode == 0 and "not in this corpus any more" in r.stdout
          and pushed(r)[3] == 0, r.stdout + r.stderr)
    r = newskg(*push, "--prune", "--dry-run")
    check("push --prune --dry-run: says what it would delete",
          r.returncode == 0 and pushed(r)[3] == 1 and "to delete" in r.stdout, r.stdout + r.stderr)
    r = newskg(*push, "--prune")
    report = pushed(r)
    check("push --prune: the removed article deleted",
          r.returncode == 0 and report is not None and report[0] == graphs - 1 and report[3] == 1,
          r.stdout + r.stderr)
    r = newskg(*push, "--prune")
    check("push --prune again: nothing sent or deleted",
          r.returncode == 0 and pushed(r) == (graphs - 1, 0, graphs - 1, 0, 0), r.stdout + r.stderr)

    local, remote = local_graph_counts(corpus), remote_graph_counts()
    manifest = remote.pop(BASE + "pushed", None)
    check("the remote store holds each graph of the corpus, with as many triples, and no other",
          local == remote, f"only local: {sorted(set(local) - set(remote))[:5]}; only remote: "
          f"{sorted(set(remote) - set(local))[:5]}; differing: "
          f"{[(g, local[g], remote[g]) for g in local if g in remote and local[g] != remote[g]][:5]}")
    check("the push manifest names every graph once", manifest == len(local), f"{manifest} vs {len(local)}")

    values = parameters(corpus)
    same, refused, differing = 0, 0, []
    for name, params, wrong in canned():
        if name in FEDERATED:
            continue
        given = [x for p in params for x in ("-p", f"{p}={values[p]}")]
        here = newskg("query", "-i", corpus, name, *given, "-f", "csv", "--limit", "0")
        there = newskg("query", "--endpoint", ENDPOINT, name, *given, "-f", "csv", "--limit", "0")
        if wrong:
            if there.returncode == 1 and "known to answer this query wrongly" in there.stderr:
                refused += 1
            else:
                differing.append(f"{name}: should be refused: {there.returncode} {there.stderr[:300]}")
            continue
        if here.returncode != 0:
            differing.append(f"{name}: local failed: {here.stderr[:300]}")
        elif there.returncode != 0:
            differing.append(f"{name}: remote failed: {there.stderr[:300]}")
        elif sorted(here.stdout.splitlines()) != sorted(there.stdout.splitlines()):
            a, b = set(here.stdout.splitlines()), set(there.stdout.splitlines())
            differing.append(f"{name}: {len(a - b)} rows only local, e.g. {sorted(a - b)[:2]}; "
                             f"{len(b - a)} only on Virtuoso, e.g. {sorted(b - a)[:2]}")
        else:
            same += 1
    print(f"  {same} canned queries gave the same rows on Virtuoso; {refused} refused as known wrong there")
    check("query --endpoint: every canned query gives the local rows on Virtuoso (or is refused where Virtuoso is known wrong)",
          not differing and same > 20, "\n".join(differing))
    r = newskg("query", "--endpoint", ENDPOINT, "timeline", "-f", "csv", "--limit", "3")
    here = newskg("query", "-i", corpus, "timeline", "-f", "csv", "--limit", "3")
    check("query --endpoint --limit: the first rows in newskg's order",
          r.returncode == 0 and len(r.stdout.splitlines()) == 4 and r.stdout == here.stdout,
          r.stdout + "\nlocal:\n" + here.stdout + r.stderr)

    # (Virtuoso's own `timeout` parameter, in ms, makes it an "anytime" query: past it, the rows
    # so far with HTTP 200; past MaxQueryExecutionTime it fails instead)
    r = newskg("query", "--endpoint", ENDPOINT + "?timeout=1000", "--timeout", "120",
               "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d FILTER(STR(?b) < STR(?d)) }")
    check("a query past Virtuoso's time limit (partial rows, X-SQL-State: S1TAT) is an error",
          r.returncode == 1 and "S1TAT" in r.stderr and not r.stdout, r.stdout[:300] + r.stderr)
    r = newskg("query", "--endpoint", ENDPOINT, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "-f", "csv")
    check("an answer past Virtuoso's row cap (X-SPARQL-MaxRows) is an error",
          r.returncode == 1 and "row cap" in r.stderr and not r.stdout, r.stdout[:300] + r.stderr)

    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    r = newskg("push", "-i", corpus, "--endpoint", f"http://127.0.0.1:{free}/sparql",
               "--graph-store", f"http://127.0.0.1:{free}/store")
    check("push to a port where nothing listens: a clear error",
          r.returncode == 1 and "connection refused" in r.stderr, r.stderr)
    r = newskg("push", "-i", corpus, "--endpoint", ENDPOINT, "--graph-store", GRAPH_STORE)
    check("push without credentials where the store asks: says how to give them",
          r.returncode == 1 and "NEWSKG_ENDPOINT_USER" in r.stderr, r.stderr)
    r = newskg("push", "-i", corpus, "--endpoint", ENDPOINT, "--graph-store", GRAPH_STORE,
               env={"NEWSKG_ENDPOINT_USER": "dba", "NEWSKG_ENDPOINT_PASSWORD": "wrong"})
    check("push with a wrong password: refused, named",
          r.returncode == 1 and "refused the credentials of user `dba`" in r.stderr, r.stderr)
    os.chmod(creds, 0o644)
    r = newskg(*push)
    check("a credentials file others can read is refused", r.returncode == 2 and "chmod 600" in r.stderr,
          r.stderr)
    os.chmod(creds, 0o600)
    r = newskg("push", "-i", corpus, "--endpoint", ENDPOINT, "--graph-store", GRAPH_STORE,
               "--credentials", creds, "--update", UPDATE)
    check("--graph-store and --update together: a usage error", r.returncode == 2, r.stderr)

    seed = ["push", "--base", "https://example.org/seed/", "--endpoint", ENDPOINT, "--update",
            UPDATE]
    env = {"NEWSKG_ENDPOINT_USER": "dba", "NEWSKG_ENDPOINT_PASSWORD": "dba"}
    r = newskg(*seed, env=env)
    check("push by SPARQL Update (credentials from the environment): the seed's 3 graphs",
          r.returncode == 0 and pushed(r) == (3, 3, 0, 0, 0) and "SPARQL Update" in r.stdout,
          r.stdout + r.stderr)
    r = newskg(*seed, env=env)
    check("push by SPARQL Update again: nothing sent",
          r.returncode == 0 and pushed(r) == (3, 0, 3, 0, 0), r.stdout + r.stderr)
    rows = remote_select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/seed/entities> { ?s ?p ?o } }")
    check("the seed's entities are in their graph", int(rows[0][0]) > 100, str(rows))
    local = local_graph_counts(corpus)
    check("the corpus pushed before is untouched by another base's push",
          remote_graph_counts() == dict(local, **{BASE + "pushed": len(local)}))


def readme_examples():
    """The `$ newskg …` commands of the README's push section and the output it shows for each."""
    text = open(os.path.join(ROOT, "README.md")).read()
    section = text.split("### `newskg push`", 1)[1].split("\n### ", 1)[0]
    examples, current, in_block, continued = [], None, False, False
    for line in section.splitlines():
        if line.startswith("```"):
            in_block = line == "```text"
            continue
        if not in_block:
            continue
        if continued:
            current[0] += " " + line.strip().rstrip("\\").strip()
            continued = line.endswith("\\")
        elif line.startswith("$ newskg "):
            current = [line[2:].rstrip("\\").strip(), ""]
            examples.append(current)
            continued = line.endswith("\\")
        elif current is not None:
            current[1] += line + "\n"
    return examples


def readme(work):
    """The README's push examples, run against an empty Virtuoso: their output as shown (but for
    the seconds a push took)."""
    creds = os.path.join(work, "credentials")
    examples = readme_examples()
    check("the README shows push and query --endpoint examples", len(examples) >= 3, str(examples))
    seconds = re.compile(r"in \d+\.\d s")
    for command, shown in examples:
        words = [creds if w == "~/.newskg-credentials" else w for w in shlex.split(command)]
        r = newskg(*words[1:])
        got = seconds.sub("in … s", (r.stdout + r.stderr).replace("\r\n", "\n"))
        check(f"README: `{command[:70]}…` prints what the README shows",
              got == seconds.sub("in … s", shown), f"README:\n{shown}\ngot:\n{got}")


main()
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
