"""Reasoning and shape checks of newskg exports (run by ci/interop.sh).

usage: python3 ci/reasoning_check.py SHAPES.ttl [--broken CLAIMS.nt] EXPORT.nt...

Each EXPORT is an N-Triples export with the ontology (`newskg export -f ntriples`). For each:

- SHACL: pySHACL validates it against SHAPES (ontology/shapes.ttl), and `newskg check -i EXPORT`
  (the binary NEWSKG_BIN, default target/debug/newskg, which checks the shapes compiled into it)
  must agree: both find that it conforms, or both that it does not.
- Ranges: every literal of an ontology datatype property whose rdfs:range is a datatype has that
  datatype (rdfs:Literal allows any).
- OWL RL: owlrl computes the OWL 2 RL closure of the export (ontology included). No entity may
  gain nkg:Event, and no event, fact, participation or article may gain an entity class (a class
  below nkg:Entity that is not an event class), that it did not have from its own types (and
  those of the nodes it is owl:sameAs) and their super-classes; and the closure must not be
  inconsistent (nothing typed owl:Nothing).

With --broken, CLAIMS.nt (the export of tests/cases/claims/claims.toml) is broken in one way at a
time, a graph per class of mistake the shapes describe, and each broken graph must fail them: so
that the shapes can fail; and newskg must find that each one fails them too (each broken graph
is written as N-Triples to a temporary file for it).

Prints PASS/FAIL lines; exits 1 if any check failed.
"""

import os
import subprocess
import sys
import tempfile

import owlrl
import pyshacl
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

NKG = Namespace("https://w3id.org/newskg/ontology#")
NEWSKG = os.environ.get("NEWSKG_BIN", "target/debug/newskg")
failed = 0


def report(ok, label, details=()):
    global failed
    print(("PASS " if ok else "FAIL ") + label)
    for d in list(details)[:12]:
        print("    " + str(d))
    if not ok:
        failed += 1


def ancestors(graph, classes):
    seen, stack = set(), list(classes)
    while stack:
        c = stack.pop()
        if c in seen:
            continue
        seen.add(c)
        stack.extend(graph.objects(c, RDFS.subClassOf))
    return seen


def newskg_check(path):
    """Whether `newskg check -i PATH` finds that the graph holds the shapes, and what it said."""
    run = subprocess.run([NEWSKG, "check", "-i", path], capture_output=True, text=True)
    return run.returncode == 0, (run.stdout + run.stderr).splitlines()


def agree(conforms, path, label):
    """newskg and pySHACL must agree on whether the graph at PATH conforms."""
    ours, said = newskg_check(path)
    verdict = "conforms" if conforms else "does not conform"
    report(ours == conforms, f"{label}: newskg check agrees with pySHACL (it {verdict})",
           [] if ours == conforms else said)


def check(shapes, path):
    g = Graph()
    g.parse(path, format="nt")
    name = path.rsplit("/", 1)[-1]

    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes, inference="none")
    report(conforms, f"{name}: SHACL shapes hold ({len(g)} triples)",
           [l for l in text.splitlines() if l.strip().startswith(("Focus", "Result", "Message", "Value"))])
    agree(conforms, path, name)

    bad = []
    for p in set(g.subjects(RDF.type, OWL.DatatypeProperty)):
        for r in g.objects(p, RDFS.range):
            if r == RDFS.Literal or not (str(r).startswith(str(XSD)) or r == RDF.langString):
                continue
            for s, o in g.subject_objects(p):
                if isinstance(o, Literal):
                    dt = o.datatype or (RDF.langString if o.language else XSD.string)
                    if dt != r:
                        bad.append(f"{s} {p} {o!r}: range {r}")
    report(not bad, f"{name}: literals match their property's range", bad)

    entity_classes = {c for c in g.subjects(RDF.type, OWL.Class)
                      if NKG.Entity in ancestors(g, [c]) and NKG.Event not in ancestors(g, [c])
                      and c != NKG.Entity}
    kept = {c for c in g.subjects(RDF.type, OWL.Class)}
    before = {}
    for s, c in g.subject_objects(RDF.type):
        before.setdefault(s, set()).add(c)
    same = {}
    for a, b in g.subject_objects(OWL.sameAs):
        same.setdefault(a, set()).add(b)
        same.setdefault(b, set()).add(a)

    def had(x):
        types = set(before.get(x, ()))
        for y in same.get(x, ()):
            types |= before.get(y, set())
        return ancestors(g, types)

    closed = Graph()
    for t in g:
        closed.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    after = {}
    for s, c in closed.subject_objects(RDF.type):
        if isinstance(s, URIRef):
            after.setdefault(s, set()).add(c)

    gained_event, gained_entity = [], []
    for x, types in after.items():
        old = had(x)
        new = types - old
        is_entity = bool(old & entity_classes)
        is_other = bool(old & {NKG.Event, NKG.Fact, NKG.Participation, NKG.Article, NKG.Report})
        if is_entity and NKG.Event in new:
            gained_event.append(f"{x} gains nkg:Event (had {sorted(str(c) for c in old if c in kept)})")
        if (is_other or NKG.Event in types) and new & entity_classes:
            gained_entity.append(f"{x} gains {sorted(str(c) for c in new & entity_classes)}")
    report(not gained_event, f"{name}: OWL RL makes no entity an event", gained_event)
    report(not gained_entity, f"{name}: OWL RL gives no event, fact or article an entity class",
           gained_entity)
    nothing = list(closed.subjects(RDF.type, OWL.Nothing))
    report(not nothing, f"{name}: the OWL RL closure is consistent", nothing)


DATA = Namespace("https://w3id.org/newskg/data/")
OA = Namespace("http://www.w3.org/ns/oa#")


def fact(name):
    return DATA[f"article/claims/fact/{name}"]


def broken(shapes, path):
    """Each mistake, applied to the claims export, must make it fail the shapes."""
    base = Graph()
    base.parse(path, format="nt")

    def without(*triples):
        def edit(g):
            for t in triples:
                g.remove(t)
        return edit

    def adding(*triples):
        def edit(g):
            for t in triples:
                g.add(t)
        return edit

    position = DATA["article/claims/fact/closest-ally/evidence/position"]
    cases = {
        "a fact without modality": without((fact("closest-ally"), NKG.modality, None)),
        "a fact with two quotes": adding((fact("closest-ally"), NKG.quote, Literal("another"))),
        "a reported fact without source": without((fact("drone-supply"), NKG.accordingTo, None)),
        "a conditional fact without condition": without((fact("would-support"), NKG.onCondition, None)),
        "a fact both relation and event": adding((fact("closest-ally"), NKG.describes, DATA["x"])),
        "a relation without object": without((fact("closest-ally"), NKG.factObject, None)),
        "a participation without role": without(
            (DATA["article/claims/fact/june-trip/participant/anna-vell/agent"], NKG.role, None)),
        "a link to a non-fact": adding((fact("signing"), NKG.during, DATA["entity/freedonia"])),
        "a source that is not an actor": adding((fact("closest-ally"), NKG.accordingTo, DATA["entity/drones"])),
        "an end offset before the start": adding(
            (position, OA.end, Literal(1)),),
        "a time that is not a date": adding((fact("june-trip"), NKG.time, Literal("June"))),
        "an entity without label": without((DATA["entity/osterlich"], RDFS.label, None)),
        "a Wikidata link that is not an item": adding(
            (DATA["entity/osterlich"], OWL.sameAs, URIRef("https://example.org/osterlich"))),
        "a report without its source": without((DATA["article/claims/fact/drone-supply/cites/1"], NKG.accordingTo, None)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, edit) in enumerate(cases.items()):
            g = Graph()
            for t in base:
                g.add(t)
            if label == "an end offset before the start":
                g.remove((position, OA.end, None))
            edit(g)
            conforms, _, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none")
            report(not conforms, f"broken claims graph fails the shapes: {label}")
            broken_path = os.path.join(tmp, f"broken-{i}.nt")
            g.serialize(destination=broken_path, format="nt", encoding="utf-8")
            agree(conforms, broken_path, f"broken claims graph ({label})")


def main():
    shapes = Graph()
    shapes.parse(sys.argv[1], format="turtle")
    args = sys.argv[2:]
    if args[:1] == ["--broken"]:
        broken(shapes, args[1])
        args = args[2:]
    for path in args:
        check(shapes, path)
    print(f"owlrl {owlrl.__version__ if hasattr(owlrl, '__version__') else ''}, "
          f"pyshacl {pyshacl.__version__}: {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
