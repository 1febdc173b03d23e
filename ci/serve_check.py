"""Real SPARQL clients against `newskg serve` (its URL the first argument): SPARQLWrapper (JSON,
XML, CSV results; a CONSTRUCT as RDF), RDFLib's SPARQLStore (a read-only graph over the
endpoint), and the answers compared with `newskg query` on the same graph (NEWSKG_BIN).
Prints PASS/FAIL lines; exits 1 if any check failed."""

import csv
import io
import json
import os
import subprocess
import sys

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, XML, TURTLE, SPARQLWrapper

URL = sys.argv[1].rstrip("/")
BIN = os.environ.get("NEWSKG_BIN", "target/debug/newskg")
NKG = "https://w3id.org/newskg/ontology#"
failed = 0


def check(label, ok, detail=""):
    global failed
    print(("PASS " if ok else "FAIL ") + label + ("" if ok else f": {detail}"))
    if not ok:
        failed += 1


def cli(*args):
    return subprocess.run([BIN, *args], check=True, capture_output=True).stdout.decode()


QUERY = f"SELECT ?f ?m WHERE {{ ?f a <{NKG}Fact> ; <{NKG}modality> ?m }} ORDER BY ?f"
expected = json.loads(cli("query", QUERY, "-f", "json"))["results"]["bindings"]
pairs = [(b["f"]["value"], b["m"]["value"]) for b in expected]

sparql = SPARQLWrapper(URL + "/sparql")
sparql.setQuery(QUERY)
for fmt in (JSON, XML):
    sparql.setReturnFormat(fmt)
    result = sparql.query().convert()
    if fmt == JSON:
        got = [(b["f"]["value"], b["m"]["value"]) for b in result["results"]["bindings"]]
    else:
        got = []
        for r in result.getElementsByTagName("result"):
            values = {b.getAttribute("name"): b.getElementsByTagName("uri")[0].firstChild.data
                      for b in r.getElementsByTagName("binding")}
            got.append((values["f"], values["m"]))
    check(f"SPARQLWrapper {fmt}: {len(got)} rows as newskg query gives", got == pairs,
          f"{len(got)} rows, {len(pairs)} expected")
sparql.setReturnFormat(CSV)
rows = list(csv.reader(io.StringIO(sparql.query().convert().decode())))
check("SPARQLWrapper csv", [tuple(r) for r in rows[1:]] == pairs, f"{len(rows)} lines")
sparql.setMethod("POST")
sparql.setReturnFormat(JSON)
got = [(b["f"]["value"], b["m"]["value"]) for b in sparql.query().convert()["results"]["bindings"]]
check("SPARQLWrapper POST", got == pairs)

construct = SPARQLWrapper(URL + "/sparql")
construct.setQuery(f"CONSTRUCT {{ ?a a <{NKG}Article> }} WHERE {{ ?a a <{NKG}Article> }}")
construct.setReturnFormat(TURTLE)
g = rdflib.Graph().parse(data=construct.query().convert(), format="turtle")
check("SPARQLWrapper CONSTRUCT as Turtle", len(g) == 1, f"{len(g)} triples")

store = SPARQLStore(URL + "/sparql", returnFormat="xml")
graph = rdflib.Graph(store=store)
got = [(str(r.f), str(r.m)) for r in graph.query(QUERY)]
check("RDFLib SPARQLStore query", got == pairs, f"{len(got)} rows")
n = len(list(graph.triples((None, rdflib.RDF.type, rdflib.URIRef(NKG + "Article")))))
check("RDFLib SPARQLStore triples()", n == 1, f"{n}")
ask = graph.query("ASK { ?s ?p ?o }")
check("RDFLib SPARQLStore ASK", bool(ask.askAnswer))
try:
    graph.update("CLEAR ALL")
    check("an update is refused", False, "accepted")
except Exception as e:  # SPARQLStore is read-only, or the endpoint refuses
    check("an update is refused", True)

import urllib.request
with urllib.request.urlopen(URL + "/queries/ties-between?a=israel&b=turkey&format=csv") as r:
    body = r.read().decode()
expected = cli("query", "ties-between", "-p", "a=israel", "-p", "b=turkey", "-f", "csv")
check("a canned query over HTTP, as newskg query gives it", body == expected)

# The page in headless Chromium: loaded, about-entity run for Israel from the URL, the table
# checked against newskg query's first page, a screenshot kept (NEWSKG_ARTIFACTS).
import html
import shutil

chromium = shutil.which("chromium")
if not chromium:
    check("the page in Chromium", False, "chromium is not installed")
else:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--window-size=1400,900", "--virtual-time-budget=10000"]
    page = URL + "/#entity=israel"
    import tempfile
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([chromium, *flags, f"--user-data-dir={profile}", "--dump-dom", page],
                             capture_output=True, timeout=120).stdout.decode()
    rows = json.loads(cli("query", "about-entity", "-p", "entity=israel", "-f", "json",
                          "--limit", "50"))["results"]["bindings"]
    quotes = [b["quote"]["value"] for b in rows if "quote" in b]
    shown = html.unescape(dom)
    check("the page in Chromium: about-entity's table, with every quote of its first page",
          "<table>" in dom and quotes and all(q in shown for q in quotes),
          f"{len(quotes)} quotes, {sum(q in shown for q in quotes)} shown; DOM {len(dom)} bytes")
    check("the page in Chromium: the rows counted", f"rows 1–{len(rows)} of" in shown or
          f"rows 1\u2013{len(rows)} of" in shown, shown[shown.find('id="status"'):][:120])
    artifacts = os.environ.get("NEWSKG_ARTIFACTS", "target/ci-artifacts")
    os.makedirs(artifacts, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, *flags, f"--user-data-dir={profile}",
                        f"--screenshot={artifacts}/serve-page.png", page],
                       capture_output=True, timeout=120)
    check("the page in Chromium: a screenshot", os.path.getsize(f"{artifacts}/serve-page.png") > 10000)

    # The article view: the seed's text with every quote highlighted in place, the fact asked
    # for marked as the current one (its quote, whole, in the marks of class "current").
    import re
    fact = "netanyahu-visit-azerbaijan"
    article_page = URL + "/#article=azerbaijan-abraham-accords&fact=" + fact
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([chromium, *flags, f"--user-data-dir={profile}", "--dump-dom",
                              article_page], capture_output=True, timeout=120).stdout.decode()
    evidence = json.loads(cli("query", "fact-evidence", "-p",
                              f"fact=azerbaijan-abraham-accords/{fact}", "-f", "json"))
    quote = evidence["results"]["bindings"][0]["quote"]["value"]
    marks = re.findall(r"<mark([^>]*)>(.*?)</mark>", dom, re.S)
    current = "".join(html.unescape(text) for attrs, text in marks if 'class="current"' in attrs)
    check("the page in Chromium: the article's text with its quotes highlighted",
          len(marks) > 50 and "Netanyahu" in html.unescape(dom), f"{len(marks)} marks")
    check("the page in Chromium: the fact's quote highlighted in place", current == quote,
          f"current marks {current!r}, quote {quote!r}")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, *flags, f"--user-data-dir={profile}",
                        f"--screenshot={artifacts}/serve-article.png", article_page],
                       capture_output=True, timeout=120)
    check("the page in Chromium: the article's screenshot",
          os.path.getsize(f"{artifacts}/serve-article.png") > 10000)

sys.exit(1 if failed else 0)
