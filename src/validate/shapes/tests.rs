use super::*;

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix e: <http://e/> .
";

fn shapes(turtle: &str) -> Result<Shapes, String> {
    Shapes::parse(&format!("{PREFIXES}{turtle}"))
}

/// The violations of `data` (Turtle, with the prefixes above) under `shapes`.
fn check(shapes_ttl: &str, data: &str) -> Vec<String> {
    let shapes = shapes(shapes_ttl).unwrap();
    let data = format!("{PREFIXES}{data}");
    let triples: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(data.as_bytes())
        .map(|q| Triple::from(q.unwrap()))
        .collect();
    shapes
        .validate(triples, Ontology::embedded())
        .into_iter()
        .map(|v| match v.path {
            Some(p) => format!("{} {p}: {}", compact(&v.focus), v.message),
            None => format!("{}: {}", compact(&v.focus), v.message),
        })
        .collect()
}

#[test]
fn the_embedded_shapes_are_read_whole() {
    let s = Shapes::embedded();
    let classes: Vec<String> = s
        .targets
        .iter()
        .map(|(_, c)| compact(&c.clone().into()))
        .collect();
    assert_eq!(
        classes,
        [
            "nkg:Article",
            "nkg:Fact",
            "nkg:Fact",
            "nkg:Fact",
            "nkg:Report",
            "nkg:Participation",
            "nkg:Event",
            "nkg:Entity",
            "nkg:Entity",
            "oa:SpecificResource",
            "oa:TextQuoteSelector",
            "oa:TextPositionSelector"
        ]
    );
}

#[test]
fn the_seed_holds_the_shapes() {
    let triples = crate::testing::seed_quads().into_iter().map(Triple::from);
    let violations = Shapes::embedded().validate(triples, Ontology::embedded());
    assert_eq!(violations, []);
}

#[test]
fn an_unsupported_shacl_term_is_an_error() {
    for (turtle, term) in [
        (
            "e:S a sh:NodeShape ; sh:targetClass e:C ; sh:closed true .",
            "sh:closed",
        ),
        (
            "e:S sh:targetClass e:C ; sh:property [ sh:path [ sh:inversePath e:p ] ] .",
            "sh:inversePath",
        ),
        (
            "e:S sh:targetClass e:C ; sh:property [ sh:path e:p ; sh:nodeKind sh:BlankNode ] .",
            "sh:BlankNode",
        ),
        ("e:S sh:targetNode e:x .", "sh:targetNode"),
    ] {
        let e = shapes(turtle).unwrap_err();
        assert!(
            e.starts_with(&format!("unsupported SHACL term {term} ")),
            "{turtle}: {e}"
        );
    }
    // a sequence path uses no SHACL term, and is refused all the same
    let e = shapes("e:S sh:targetClass e:C ; sh:property [ sh:path ( e:p e:q ) ] .").unwrap_err();
    assert!(e.starts_with("unsupported path"), "{e}");
    let e = shapes("e:S sh:targetClass e:C ; sh:minCount 1 .").unwrap_err();
    assert!(e.contains("no sh:path"), "{e}");
    let e = shapes("e:S sh:targetClass e:C ; sh:node e:S .").unwrap_err();
    assert!(e.contains("refers to itself"), "{e}");
}

#[test]
fn counts_classes_and_datatypes() {
    let s = "e:S sh:targetClass e:C ;
        sh:property [ sh:path e:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
        sh:property [ sh:path e:knows ; sh:class e:C ] ;
        sh:property [ sh:path e:when ; sh:datatype xsd:gYear ] .";
    let data = "e:D rdfs:subClassOf e:C .
        e:a a e:C ; e:name \"A\" ; e:knows e:b .
        e:b a e:D ; e:name \"B\", \"Bee\" ; e:knows e:z, \"lit\" ; e:when \"2020\"^^xsd:gYear .
        e:c a e:D ; e:name 5 ; e:when \"20x0\"^^xsd:gYear, \"2020\" .
        e:z a e:Other .";
    assert_eq!(
        check(s, data),
        [
            "<http://e/b> <http://e/name>: 2 values (\"B\", \"Bee\"), and at most 1 allowed: keep one",
            "<http://e/b> <http://e/knows>: \"lit\" is a literal, not a node of class <http://e/C>",
            "<http://e/b> <http://e/knows>: <http://e/z> is not of class <http://e/C> (its types: <http://e/Other>)",
            "<http://e/c> <http://e/name>: 5 is of datatype xsd:integer, not xsd:string",
            "<http://e/c> <http://e/when>: \"2020\" is of datatype xsd:string, not xsd:gYear",
            "<http://e/c> <http://e/when>: \"20x0\"^^xsd:gYear is not a valid xsd:gYear",
        ]
    );
    assert_eq!(
        check(s, "e:x a e:C ."),
        ["<http://e/x> <http://e/name>: no value, and at least 1 value needed"]
    );
}

#[test]
fn alternative_paths_patterns_and_comparisons() {
    let s = "e:S sh:targetClass e:C ;
        sh:property [ sh:path [ sh:alternativePath ( e:p e:q ) ] ; sh:nodeKind sh:IRI ;
                      sh:pattern \"^http://e/ok\" ] ;
        sh:property [ sh:path e:start ; sh:minInclusive 0 ; sh:lessThanOrEquals e:end ] .";
    let data = "e:a a e:C ; e:p e:ok1 ; e:q e:bad, \"okay\" ; e:start 5 ; e:end 3 .
        e:b a e:C ; e:start -1 ; e:end 3 .";
    assert_eq!(
        check(s, data),
        [
            "<http://e/a> <http://e/p>|<http://e/q>: \"okay\" is not an IRI",
            "<http://e/a> <http://e/p>|<http://e/q>: \"okay\" does not match the pattern `^http://e/ok`",
            "<http://e/a> <http://e/p>|<http://e/q>: <http://e/bad> does not match the pattern `^http://e/ok`",
            "<http://e/a> <http://e/start>: 5 is not at most its <http://e/end> 3",
            "<http://e/b> <http://e/start>: -1 is less than 0",
        ]
    );
}

#[test]
fn logical_constraints_and_node_shapes() {
    let s = "e:Text sh:or ( [ sh:datatype xsd:string ] [ sh:datatype rdf:langString ] ) .
        e:S sh:targetClass e:C ;
        sh:property [ sh:path e:label ; sh:node e:Text ] ;
        sh:xone ( [ sh:property [ sh:path e:p ; sh:minCount 1 ] ]
                  [ sh:property [ sh:path e:q ; sh:minCount 1 ] ] ) ;
        sh:or ( [ sh:not [ sh:property [ sh:path e:kind ; sh:hasValue e:special ] ] ]
                [ sh:property [ sh:path e:why ; sh:minCount 1 ] ] ) .";
    let s = format!("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n{s}");
    let data = "e:ok a e:C ; e:label \"x\"@en ; e:p 1 ; e:kind e:special ; e:why \"w\" .
        e:both a e:C ; e:label 3 ; e:p 1 ; e:q 2 .
        e:none a e:C ; e:kind e:special .";
    assert_eq!(
        check(&s, data),
        [
            "<http://e/both> <http://e/label>: 3 does not conform to <http://e/Text>: it satisfies none of: [of datatype xsd:string], [of datatype rdf:langString]; make one hold",
            "<http://e/both>: it satisfies 2 of the alternatives of its sh:xone, and exactly one may hold: the one on <http://e/p> and the one on <http://e/q>; keep one",
            "<http://e/none>: it satisfies none of the 2 alternatives of its sh:xone, and exactly one must hold; the closest fails: <http://e/p>: no value, and at least 1 value needed",
            "<http://e/none>: it satisfies none of: [not [<http://e/kind> with the value <http://e/special>]], [<http://e/why> with at least 1 value]; make one hold",
        ]
    );
}

#[test]
fn terms_are_shown_compactly() {
    let lit = |l: Literal| compact(&l.into());
    assert_eq!(
        lit(Literal::new_simple_literal("a \"b\"")),
        "\"a \\\"b\\\"\""
    );
    assert_eq!(
        lit(Literal::new_language_tagged_literal_unchecked("x", "en")),
        "\"x\"@en"
    );
    assert_eq!(
        compact(&NamedNode::new_unchecked(vocab::nkg::FACT).into()),
        "nkg:Fact"
    );
    assert_eq!(
        compact(&NamedNode::new_unchecked("https://w3id.org/newskg/data/entity/x").into()),
        "<https://w3id.org/newskg/data/entity/x>"
    );
}
