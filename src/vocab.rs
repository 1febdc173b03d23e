//! IRIs of the vocabularies newskg writes, and the prefixes it declares for them.
//!
//! The newskg terms the code needs by name are listed in [`nkg`]; a test checks that each one is
//! declared in `ontology/newskg.ttl`, which stays the single source of truth for terms.

/// The ontology's IRI, also the name of the graph that holds it.
pub const ONTOLOGY_IRI: &str = "https://w3id.org/newskg/ontology";
/// The namespace of the ontology's terms.
pub const NKG: &str = "https://w3id.org/newskg/ontology#";
/// The graph of a persistent store that records where each article came from.
pub const STORE_GRAPH: &str = "https://w3id.org/newskg/store";
/// The default base under which newskg mints the IRIs of articles, facts and entities.
pub const DEFAULT_BASE: &str = "https://w3id.org/newskg/data/";

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SCHEMA: &str = "https://schema.org/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const OA: &str = "http://www.w3.org/ns/oa#";
pub const SEM: &str = "http://semanticweb.cs.vu.nl/2009/11/sem/";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const WD: &str = "http://www.wikidata.org/entity/";
pub const WDT: &str = "http://www.wikidata.org/prop/direct/";

/// Prefixes of the vocabularies newskg knows, in the order they are declared in output.
/// Exports declare only those they use.
pub const PREFIXES: &[(&str, &str)] = &[
    ("nkg", NKG),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("owl", OWL),
    ("xsd", XSD),
    ("skos", SKOS),
    ("schema", SCHEMA),
    ("prov", PROV),
    ("oa", OA),
    ("sem", SEM),
    ("dcterms", DCTERMS),
    ("org", ORG),
    ("wd", WD),
    ("wdt", WDT),
];

macro_rules! terms {
    ($ns:expr; $($name:ident = $local:literal),* $(,)?) => {
        $(pub const $name: &str = concat!($ns, $local);)*
        /// Every term of this module, for tests.
        #[allow(dead_code)]
        pub const ALL: &[&str] = &[$($name),*];
    };
}

/// newskg ontology terms the code refers to by name.
pub mod nkg {
    terms! { "https://w3id.org/newskg/ontology#";
        ENTITY = "Entity",
        PERSON = "Person",
        ORGANIZATION = "Organization",
        EVENT = "Event",
        PLACE = "Place",
        STATE = "State",
        POSITION = "Position",
        GOVERNMENT = "Government",
        ARTICLE = "Article",
        FACT = "Fact",
        PARTICIPATION = "Participation",
        MODALITY = "Modality",
        ROLE = "Role",
        QUALIFIER = "qualifier",
        ASSERTED = "asserted",
        CONDITIONAL = "conditional",
        REPORTED = "reported",
        OPINION = "opinion",
        DENIED = "denied",
        STATED_IN = "statedIn",
        FACT_SUBJECT = "factSubject",
        FACT_PROPERTY = "factProperty",
        FACT_OBJECT = "factObject",
        DESCRIBES = "describes",
        MODALITY_PROP = "modality",
        ACCORDING_TO = "accordingTo",
        ATTRIBUTION = "attribution",
        QUOTE = "quote",
        EVIDENCE = "evidence",
        NOTE = "note",
        PARTICIPANT = "participant",
        PARTICIPATION_PROP = "participation",
        INVOLVES = "involves",
        ROLE_PROP = "role",
        PLACE_PROP = "place",
        TIME_TEXT = "timeText",
        TIME = "time",
        STANDS_FOR = "standsFor",
        REPORT = "Report",
        CITES = "cites",
        CLAIM_LINK = "claimLink",
        ON_CONDITION = "onCondition",
        CONDITION = "condition",
        EVENT_CLASS = "eventClass",
        EVENT_LABEL = "eventLabel",
        EVENT_PARTICIPATION = "eventParticipation",
        EVENT_PLACE = "eventPlace",
        SINCE_TEXT = "sinceText",
        SINCE = "since",
        UNTIL_TEXT = "untilText",
        UNTIL = "until",
        ENDED = "ended",
        CAMEO_CODE = "cameoCode",
        CASUALTIES = "casualties",
        CASUALTIES_TEXT = "casualtiesText",
        SOURCE_FILE = "sourceFile",
        SOURCE_HASH = "sourceHash",
        SOURCE_TEXT = "sourceText",
        DECLARATIONS = "declarations",
        CONTENT_HASH = "contentHash",
    }
}

pub mod rdf {
    pub const TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    pub const PROPERTY: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property";
}

pub mod rdfs {
    pub const LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
    pub const COMMENT: &str = "http://www.w3.org/2000/01/rdf-schema#comment";
    pub const SUB_CLASS_OF: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
    pub const SUB_PROPERTY_OF: &str = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf";
    pub const DOMAIN: &str = "http://www.w3.org/2000/01/rdf-schema#domain";
    pub const RANGE: &str = "http://www.w3.org/2000/01/rdf-schema#range";
}

pub mod owl {
    pub const CLASS: &str = "http://www.w3.org/2002/07/owl#Class";
    pub const OBJECT_PROPERTY: &str = "http://www.w3.org/2002/07/owl#ObjectProperty";
    pub const DATATYPE_PROPERTY: &str = "http://www.w3.org/2002/07/owl#DatatypeProperty";
    pub const ANNOTATION_PROPERTY: &str = "http://www.w3.org/2002/07/owl#AnnotationProperty";
    pub const SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
    pub const THING: &str = "http://www.w3.org/2002/07/owl#Thing";
    pub const EQUIVALENT_CLASS: &str = "http://www.w3.org/2002/07/owl#equivalentClass";
    pub const EQUIVALENT_PROPERTY: &str = "http://www.w3.org/2002/07/owl#equivalentProperty";
}

pub mod skos {
    pub const ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
    pub const EDITORIAL_NOTE: &str = "http://www.w3.org/2004/02/skos/core#editorialNote";
}

pub mod schema {
    pub const AUTHOR: &str = "https://schema.org/author";
    pub const MENTIONS: &str = "https://schema.org/mentions";
    pub const PUBLISHER: &str = "https://schema.org/publisher";
    pub const URL: &str = "https://schema.org/url";
    pub const DATE_PUBLISHED: &str = "https://schema.org/datePublished";
    pub const GENRE: &str = "https://schema.org/genre";
    pub const IN_LANGUAGE: &str = "https://schema.org/inLanguage";
}

pub mod dcterms {
    pub const TITLE: &str = "http://purl.org/dc/terms/title";
}

pub mod oa {
    pub const SPECIFIC_RESOURCE: &str = "http://www.w3.org/ns/oa#SpecificResource";
    pub const HAS_SOURCE: &str = "http://www.w3.org/ns/oa#hasSource";
    pub const HAS_SELECTOR: &str = "http://www.w3.org/ns/oa#hasSelector";
    pub const TEXT_QUOTE_SELECTOR: &str = "http://www.w3.org/ns/oa#TextQuoteSelector";
    pub const TEXT_POSITION_SELECTOR: &str = "http://www.w3.org/ns/oa#TextPositionSelector";
    pub const EXACT: &str = "http://www.w3.org/ns/oa#exact";
    pub const PREFIX: &str = "http://www.w3.org/ns/oa#prefix";
    pub const SUFFIX: &str = "http://www.w3.org/ns/oa#suffix";
    pub const START: &str = "http://www.w3.org/ns/oa#start";
    pub const END: &str = "http://www.w3.org/ns/oa#end";
}

pub mod xsd {
    pub const STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
    pub const G_YEAR: &str = "http://www.w3.org/2001/XMLSchema#gYear";
    pub const G_YEAR_MONTH: &str = "http://www.w3.org/2001/XMLSchema#gYearMonth";
    pub const DATE: &str = "http://www.w3.org/2001/XMLSchema#date";
    pub const DATE_TIME: &str = "http://www.w3.org/2001/XMLSchema#dateTime";
}

/// The local name of `iri` in the newskg namespace, if it is one of its terms.
pub fn nkg_local(iri: &str) -> Option<&str> {
    iri.strip_prefix(NKG)
}

pub mod wdt {
    pub const INSTANCE_OF: &str = "http://www.wikidata.org/prop/direct/P31";
}

pub mod prov {
    pub const WAS_DERIVED_FROM: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";
}
