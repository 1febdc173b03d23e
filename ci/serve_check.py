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

sys.exit(1 if failed else 0)
