#!/usr/bin/env python3
"""Smoke checks of the local Wikidata-shaped SPARQL endpoint (see ci/sparql-server.sh).

Usage: check_endpoint.py ENDPOINT_URL EXPECTED_TRIPLES

Exercises the three SPARQL 1.1 Protocol query forms (GET ?query=, POST form, POST
application/sparql-query; the last is skipped when NEWSKG_SPARQL_SHIM=0), the fixture's content (tests/wikidata/wikidata.ttl) and the
endpoint's guard rails. Prints PASS/FAIL lines and `N passed, M failed` to stderr; exits 1
if any check failed. Standard library only; talks to the given URL only.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

GRAPH = "http://www.wikidata.org/"
WD = "http://www.wikidata.org/entity/"
JSON = "application/sparql-results+json"
PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
"""


def request(url, query, how="get", param="query", accept=JSON):
    """Send one SPARQL request; return (status, content_type, body_text)."""
    headers = {"Accept": accept}
    if how == "get":
        req = urllib.request.Request(url + "?" + urllib.parse.urlencode({param: query}), headers=headers)
    elif how == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = urllib.parse.urlencode({param: query}).encode("ascii")
        req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    elif how == "direct":
        headers["Content-Type"] = "application/sparql-query"
        req = urllib.request.Request(url, data=query.encode("utf-8"), headers=headers, method="POST")
    else:
        raise ValueError(how)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode("utf-8", "replace")


def select(url, query, how="get"):
    status, ctype, body = request(url, query, how)
    if status != 200 or not ctype.startswith(JSON):
        raise AssertionError("HTTP %s %s: %s" % (status, ctype, body[:300]))
    doc = json.loads(body)
    if "boolean" in doc:
        return doc["boolean"]
    return [{k: v["value"] for k, v in row.items()} for row in doc["results"]["bindings"]]


def label_lookup(label):
    return PREFIXES + (
        'SELECT ?item ?type WHERE {{ {{ ?item rdfs:label "{0}"@en }} UNION '
        '{{ ?item skos:altLabel "{0}"@en }} ?item wdt:P31 ?type }}'
    ).format(label)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check_endpoint.py ENDPOINT_URL EXPECTED_TRIPLES")
    url, expected = sys.argv[1], int(sys.argv[2])
    results = []

    def check(name, fn):
        try:
            fn()
            results.append(True)
            sys.stderr.write("PASS %s\n" % name)
        except Exception as err:  # report every failure, keep going
            results.append(False)
            sys.stderr.write("FAIL %s: %s\n" % (name, err))

    def expect(actual, wanted):
        if actual != wanted:
            raise AssertionError("got %r, want %r" % (actual, wanted))

    baku = {(WD + "Q9248", WD + "Q5119"), (WD + "Q9248", WD + "Q515")}

    def lookup(how):
        rows = select(url, label_lookup("Baku"), how)
        expect(sorted((r["item"], r["type"]) for r in rows), sorted(baku))

    def triple_count():
        q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }" % GRAPH
        expect(int(select(url, q)[0]["n"]), expected)

    def default_graph_sees_data():
        expect(select(url, PREFIXES + 'ASK { wd:Q9248 rdfs:label "Baku"@en }'), True)
        n_default = select(url, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?s wdt:P31 ?o }")[0]["n"]
        n_graph = select(url, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s wdt:P31 ?o } }" % GRAPH)[0]["n"]
        expect(n_default, n_graph)

    def values():
        q = PREFIXES + ('SELECT ?item ?label WHERE { VALUES ?item { wd:Q801 wd:Q227 wd:Q43 } '
                        '?item rdfs:label ?label FILTER(LANG(?label) = "en") }')
        expect(sorted(r["label"] for r in select(url, q)), ["Azerbaijan", "Israel", "Turkey"])

    def ambiguous(label, items):
        def run():
            found = {r["item"] for r in select(url, label_lookup(label))}
            expect(sorted(found), sorted(WD + q for q in items))
        return run

    def type_filter():
        q = PREFIXES + ("SELECT DISTINCT ?item WHERE { ?item wdt:P31/wdt:P279* wd:Q6256 }")
        expect(len(select(url, q)), 14)
        # Label match as an alternative path (rdfs:label|skos:altLabel): Virtuoso 7.2.5 returns
        # NO rows when the same match is a UNION joined with a path that needs >= 1 P279 step
        # (see union_then_path_quirk below); FILTER EXISTS or a sub-SELECT also avoid the bug.
        q = PREFIXES + ('SELECT DISTINCT ?item WHERE { ?item rdfs:label|skos:altLabel "Washington"@en . '
                        '?item wdt:P31/wdt:P279* wd:Q515 }')
        expect([r["item"] for r in select(url, q)], [WD + "Q61"])
        q = PREFIXES + ('SELECT DISTINCT ?item WHERE { { ?item rdfs:label "Washington"@en } UNION '
                        '{ ?item skos:altLabel "Washington"@en } FILTER EXISTS { ?item wdt:P31/wdt:P279* wd:Q515 } }')
        expect([r["item"] for r in select(url, q)], [WD + "Q61"])

    def union_then_path_quirk():
        q = PREFIXES + ('SELECT DISTINCT ?item WHERE { { ?item rdfs:label "Washington"@en } UNION '
                        '{ ?item skos:altLabel "Washington"@en } ?item wdt:P31/wdt:P279* wd:Q515 }')
        rows = select(url, q)
        if rows == []:
            sys.stderr.write("NOTE known Virtuoso 7.2.5 bug still present: { label } UNION { altLabel } "
                             "joined with wdt:P31/wdt:P279* wd:Q515 gives no rows (correct answer: Q61)\n")
        else:
            expect([r["item"] for r in rows], [WD + "Q61"])

    # Entity-linking candidate lookup. On Virtuoso 7.2.5 the natural shape
    #   VALUES ?name {..} { label+BIND } UNION { altLabel+BIND } ?item wdt:P31/wdt:P279* C
    # returns no rows for most inputs (a single-row VALUES, or a class reached via P279), and
    # VALUES-pair or alternative-path shapes drop rows. The shape below (each UNION branch
    # carries its own VALUES, label pattern, type path and BIND) matched rdflib on 24 cases.
    def candidates_query(names, cls, shape="branches"):
        values = " ".join('"%s"@en' % n for n in names)
        if shape == "branches":
            body = ('{{ VALUES ?name {{ {v} }} ?item rdfs:label ?name . ?item wdt:P31/wdt:P279* wd:{c} . '
                    'BIND("label" AS ?how) }} UNION {{ VALUES ?name {{ {v} }} ?item skos:altLabel ?name . '
                    '?item wdt:P31/wdt:P279* wd:{c} . BIND("alias" AS ?how) }}')
        else:
            body = ('VALUES ?name {{ {v} }} {{ ?item rdfs:label ?name . BIND("label" AS ?how) }} UNION '
                    '{{ ?item skos:altLabel ?name . BIND("alias" AS ?how) }} ?item wdt:P31/wdt:P279* wd:{c} .')
        return PREFIXES + "SELECT DISTINCT ?item ?name ?how WHERE { %s }" % body.format(v=values, c=cls)

    candidate_cases = [
        (["Washington"], "Q515", {("Q61", "Washington", "alias")}),
        (["Turkey", "Türkiye"], "Q6256", {("Q43", "Turkey", "label"), ("Q43", "Türkiye", "alias")}),
        (["President"], "Q4164871", {("Q11696", "President", "alias"), ("Q1922067", "President", "alias")}),
        (["Knesset"], "Q43229", {("Q133396", "Knesset", "label")}),
    ]

    def got_candidates(names, cls, shape):
        return {(r["item"][len(WD):], r["name"], r["how"]) for r in select(url, candidates_query(names, cls, shape))}

    def candidates_branches():
        for names, cls, want in candidate_cases:
            expect(got_candidates(names, cls, "branches"), want)

    def candidates_values_union_quirk():
        wrong = [names[0] for names, cls, want in candidate_cases if got_candidates(names, cls, "values-union") != want]
        if wrong:
            sys.stderr.write("NOTE known Virtuoso 7.2.5 bug still present: VALUES + UNION{BIND} + wdt:P31/wdt:P279* "
                             "gives wrong rows for %s\n" % ", ".join(wrong))

    def predefined_prefixes():
        expect(select(url, "ASK { wd:Q43 wdt:P463 wd:Q7184 ; rdfs:label ?l ; schema:description ?d }"), True)

    def syntax_error():
        status, _, _ = request(url, "SELECT ?x WHERE { ?x ?y }")
        expect(status, 400)

    def read_only():
        status, _, _ = request(url, "INSERT DATA { GRAPH <%s> { <urn:x> <urn:y> <urn:z> } }" % GRAPH,
                               how="form", param="update")
        if 200 <= status < 300:
            raise AssertionError("an update was accepted (HTTP %s)" % status)
        triple_count()

    def no_federation():
        status, _, _ = request(url, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
        if 200 <= status < 300:
            raise AssertionError("SERVICE was executed (HTTP %s)" % status)

    check("GET ?query= (Baku lookup)", lambda: lookup("get"))
    check("POST application/x-www-form-urlencoded (Baku lookup)", lambda: lookup("form"))
    if os.environ.get("NEWSKG_SPARQL_SHIM") == "0":
        # raw Virtuoso 7.2.5 never answers this form (and spins a thread on it): do not send it
        sys.stderr.write("SKIP POST application/sparql-query: NEWSKG_SPARQL_SHIM=0 (raw Virtuoso hangs on it)\n")
    else:
        check("POST application/sparql-query (Baku lookup)", lambda: lookup("direct"))
    check("triple count in <%s> is %d" % (GRAPH, expected), triple_count)
    check("query without FROM sees the data", default_graph_sees_data)
    check("VALUES", values)
    check('ambiguous "Washington" (city vs state)', ambiguous("Washington", ["Q61", "Q30"]))
    check('ambiguous "Syrian Arab Republic" (same type)', ambiguous("Syrian Arab Republic", ["Q858", "Q131404661"]))
    check('ambiguous "President" (same type)', ambiguous("President", ["Q11696", "Q1922067"]))
    check("wdt:P31/wdt:P279* type filter", type_filter)
    check("UNION joined with wdt:P279* (known Virtuoso quirk, informational)", union_then_path_quirk)
    check("candidate lookup, one UNION branch per label property", candidates_branches)
    check("VALUES + UNION + wdt:P279* (known Virtuoso quirk, informational)", candidates_values_union_quirk)
    check("wd:/wdt:/rdfs:/schema: usable without PREFIX", predefined_prefixes)
    check("syntax error gives HTTP 400", syntax_error)
    check("updates are refused", read_only)
    check("SERVICE (federation) is refused", no_federation)

    passed = sum(results)
    failed = len(results) - passed
    sys.stderr.write("%d passed, %d failed\n" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
