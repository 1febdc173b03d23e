//! A deterministic, seedable generator of synthetic news articles and their facts files, for
//! benchmarks (see `bench/run.sh` and BENCHMARKS.md).
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --articles 1000 --seed 42 --out /tmp/corpus
//! ```
//!
//! It writes `--articles N` articles into `--out DIR`, at most 1000 per sub-directory:
//! `DIR/0000/a000000.toml` (the facts file) and `DIR/0000/a000000.txt` (the article's text).
//! Every article has 10–40 entities and 20–60 facts, one fact per sentence, each fact's `quote` a
//! verbatim substring of the text that occurs there exactly once (every sentence starts with its
//! own number, `(17) `, and the quote includes it).
//!
//! Entities come from a shared pool of 5,000 (states, cities, regions, people, positions,
//! international organizations, companies, armed groups, think tanks, media, agreements,
//! commodities), the same id, class and label in every article, drawn per class with a Zipf law
//! (s = 1.1): a few states and people appear in most articles, most entities in few. Relations
//! and events use the ontology's terms with their domains and ranges respected; modalities are
//! mixed (asserted, reported with `said_by` or an `attribution` and now and then a source it
//! cites, hedged, planned, predicted, conditional with its condition, opinion, a few denied); about a third of the facts carry a time, some with a normalized value. No Wikidata
//! IDs: a generator must not invent them.
//!
//! The same `--seed` gives byte-identical files; article `k` depends only on the seed and `k`, so
//! a corpus of 200 articles is the first 200 articles of a corpus of 20,000 with the same seed.
//! Only the standard library is used.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// ------------------------------------------------------------------------------------------
// Pseudo-random numbers: SplitMix64.
// ------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in [lo, hi].
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ------------------------------------------------------------------------------------------
// The entity pool.
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    State,
    City,
    Region,
    Person,
    Journalist,
    Position,
    IntlOrg,
    Company,
    ArmedGroup,
    ThinkTank,
    Media,
    Agreement,
    Commodity,
}

/// (kind, how many, id prefix, ontology class)
const POOL: &[(Kind, usize, &str, &str)] = &[
    (Kind::State, 200, "state", "State"),
    (Kind::City, 600, "city", "City"),
    (Kind::Region, 150, "region", "Region"),
    (Kind::Person, 2600, "person", "Person"),
    (Kind::Journalist, 260, "journalist", "Person"),
    (Kind::Position, 600, "position", "Position"),
    (Kind::IntlOrg, 60, "intlorg", "InternationalOrganization"),
    (Kind::Company, 150, "company", "Company"),
    (Kind::ArmedGroup, 100, "armedgroup", "ArmedGroup"),
    (Kind::ThinkTank, 50, "thinktank", "ThinkTank"),
    (Kind::Media, 40, "media", "MediaOrganization"),
    (Kind::Agreement, 100, "agreement", "Agreement"),
    (Kind::Commodity, 90, "commodity", "Commodity"),
];

fn pool_size(kind: Kind) -> usize {
    POOL.iter().find(|p| p.0 == kind).map(|p| p.1).unwrap()
}

const ZIPF_S: f64 = 1.1;

const STATE_A: &[&str] = &[
    "Azer", "Bor", "Cal", "Dor", "Esta", "Fen", "Gal", "Hes", "Ister", "Jor", "Kal", "Lor", "Mar",
    "Nor", "Ost", "Pel", "Quar", "Ros", "Sal", "Tor",
];
const STATE_B: &[&str] = &[
    "land", "via", "onia", "istan", "ania", "mark", "ria", "esh", "ora", "ovia",
];
const CITY_A: &[&str] = &[
    "Vel", "Kar", "Mir", "Sol", "Tav", "Bel", "Nov", "Dar", "Lum", "Zer", "Hal", "Pra", "Ost",
    "Gra", "Ril", "Tem", "Var", "Ash", "Yen", "Cor", "Fal", "Bri", "Olm", "Sev", "Tur", "Ebr",
    "Kel", "Nim", "Pol", "Ud",
];
const CITY_B: &[&str] = &[
    "grad", "opol", "abad", "stad", "ville", "burg", "haven", "port", "mont", "field", "ford",
    "dale", "wick", "ton", "sk", "ar", "ino", "esti", "ova", "heim",
];
const REGION_A: &[&str] = &[
    "Northern", "Southern", "Eastern", "Western", "Upper", "Lower", "Central", "Outer", "Inner",
    "Greater", "Coastal", "Highland", "Lowland", "Frontier", "Desert",
];
const REGION_B: &[&str] = &[
    "Valley", "Plateau", "Basin", "Steppe", "Marches", "Delta", "Gulf", "Corridor", "Strip",
    "Hills",
];
const FIRST: &[&str] = &[
    "Amir", "Lena", "Tomas", "Sara", "Rustam", "Ines", "Pavel", "Nadia", "Omar", "Greta", "Yusuf",
    "Mila", "Karim", "Elif", "Dario", "Hana", "Viktor", "Leila", "Jonas", "Aylin", "Marek", "Zara",
    "Felix", "Noor", "Ivan", "Selin", "Bruno", "Yara", "Emil", "Rana", "Oskar", "Dina", "Kemal",
    "Alma", "Teodor", "Samira", "Luca", "Irina", "Farid", "Vera", "Hugo", "Maya", "Reza", "Olga",
    "Nikos", "Sofia", "Anton", "Layla", "Mateo", "Ece", "Stefan", "Amira", "Adrian", "Katya",
    "Idris", "Nora", "Milan", "Esra", "Goran", "Tara",
];
const LAST: &[&str] = &[
    "Aliyev",
    "Brandt",
    "Castell",
    "Demir",
    "Ekström",
    "Farouk",
    "Gallo",
    "Haddad",
    "Ivanov",
    "Jansen",
    "Kovač",
    "Larsen",
    "Moreau",
    "Nazari",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rahimi",
    "Sorensen",
    "Tanaka",
    "Usman",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zeller",
    "Abbasi",
    "Berger",
    "Costa",
    "Dragan",
    "Eriksen",
    "Fischer",
    "Grant",
    "Horvat",
    "Iqbal",
    "Jovanović",
    "Kaya",
    "Lindqvist",
    "Mansour",
    "Novak",
    "Orlov",
    "Popescu",
    "Rossi",
    "Salimov",
    "Toth",
    "Ungar",
    "Volkov",
    "Wagner",
    "Yusupov",
    "Zoric",
];
const TITLES: &[&str] = &["President", "Prime Minister", "Foreign Minister"];
const INTL_A: &[&str] = &[
    "Caspian",
    "Northern",
    "Continental",
    "Maritime",
    "Eurasian",
    "Southern",
    "Atlantic",
    "Mountain",
    "Desert",
    "Riverine",
];
const INTL_B: &[&str] = &[
    "Cooperation Council",
    "Defence Pact",
    "Economic Union",
    "Security Forum",
    "Trade Community",
    "Development Bank",
];
const COMPANY_A: &[&str] = &[
    "Velmar", "Orion", "Kestrel", "Atlas", "Borealis", "Cobalt", "Delta", "Ember", "Falcon",
    "Granite", "Helix", "Iris", "Juniper", "Krona", "Lumen",
];
const COMPANY_B: &[&str] = &[
    "Energy",
    "Petroleum",
    "Shipping",
    "Defence Systems",
    "Gas",
    "Mining",
    "Aerospace",
    "Telecom",
    "Grain",
    "Holdings",
];
const ARMED_A: &[&str] = &[
    "Northern",
    "People's",
    "Free",
    "Revolutionary",
    "Southern",
    "Popular",
    "United",
    "Mountain",
    "Patriotic",
    "Eastern",
];
const ARMED_B: &[&str] = &[
    "Liberation Front",
    "Brigades",
    "Defence Units",
    "Resistance",
    "Militia",
    "Guard",
    "Army",
    "Movement",
    "Legion",
    "Battalions",
];
const THINK_A: &[&str] = &[
    "Strategic",
    "Security",
    "Energy",
    "Regional",
    "Policy",
    "Peace",
    "Defence",
    "Economic",
    "Caspian",
    "Global",
];
const THINK_B: &[&str] = &["Studies", "Research", "Analysis", "Affairs", "Dialogue"];
const MEDIA_A: &[&str] = &[
    "Daily", "Morning", "Evening", "Weekly", "Capital", "Global", "Frontier", "Coastal",
];
const MEDIA_B: &[&str] = &["Courier", "Herald", "Observer", "Dispatch", "Gazette"];
const AGREEMENT_A: &[&str] = &[
    "Caspian",
    "Velgrad",
    "Harbor",
    "Summit",
    "Northern",
    "Meridian",
    "Lakeside",
    "Highland",
    "Coastal",
    "Twin Rivers",
];
const AGREEMENT_B: &[&str] = &[
    "Accords",
    "Treaty",
    "Pact",
    "Declaration",
    "Protocol",
    "Charter",
    "Compact",
    "Agreement",
    "Framework",
    "Convention",
];
const COMMODITY_A: &[&str] = &[
    "crude oil",
    "natural gas",
    "wheat",
    "drones",
    "artillery shells",
    "fertilizer",
    "copper",
    "electricity",
    "rice",
    "air-defence systems",
    "uranium",
    "steel",
    "cotton",
    "coal",
    "missiles",
];
const COMMODITY_B: &[&str] = &[
    "",
    " (grade A)",
    " (grade B)",
    " (grade C)",
    " (grade D)",
    " (grade E)",
];

/// One entity of the shared pool.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Entity {
    kind: Kind,
    index: usize,
}

impl Entity {
    fn new(kind: Kind, index: usize) -> Entity {
        Entity { kind, index }
    }

    fn spec(&self) -> &'static (Kind, usize, &'static str, &'static str) {
        POOL.iter().find(|p| p.0 == self.kind).unwrap()
    }

    fn id(&self) -> String {
        format!("{}-{:05}", self.spec().2, self.index + 1)
    }

    fn class(&self) -> &'static str {
        self.spec().3
    }

    fn label(&self) -> String {
        let i = self.index;
        let two = |a: &[&str], b: &[&str], sep: &str| {
            // A bijection of 0..a×b onto the pairs, that varies both parts from one index to the
            // next (so that the first entities do not all share a suffix).
            let (r, q) = (i % a.len(), i / a.len());
            format!("{}{sep}{}", a[r], b[(q + 7 * r) % b.len()])
        };
        match self.kind {
            Kind::State => two(STATE_A, STATE_B, ""),
            Kind::City => two(CITY_A, CITY_B, ""),
            Kind::Region => two(REGION_A, REGION_B, " "),
            Kind::Person => two(FIRST, LAST, " "),
            Kind::Journalist => {
                // The other end of the name lists, so that journalists' names differ from the
                // first people's.
                let j = FIRST.len() * LAST.len() - 1 - i;
                let (r, q) = (j % FIRST.len(), j / FIRST.len());
                format!("{} {}", FIRST[r], LAST[(q + 7 * r) % LAST.len()])
            }
            Kind::Position => format!(
                "{} of {}",
                TITLES[(i / pool_size(Kind::State)) % TITLES.len()],
                self.position_state().label()
            ),
            Kind::IntlOrg => two(INTL_A, INTL_B, " "),
            Kind::Company => two(COMPANY_A, COMPANY_B, " "),
            Kind::ArmedGroup => two(ARMED_A, ARMED_B, " "),
            Kind::ThinkTank => format!(
                "Institute for {} {}",
                THINK_A[i % THINK_A.len()],
                THINK_B[(i / THINK_A.len()) % THINK_B.len()]
            ),
            Kind::Media => two(MEDIA_A, MEDIA_B, " "),
            Kind::Agreement => two(AGREEMENT_A, AGREEMENT_B, " "),
            Kind::Commodity => two(COMMODITY_A, COMMODITY_B, ""),
        }
    }

    /// The state a position belongs to.
    fn position_state(&self) -> Entity {
        Entity::new(Kind::State, self.index % pool_size(Kind::State))
    }

    /// The state a city lies in.
    fn city_state(&self) -> Entity {
        Entity::new(Kind::State, (self.index * 7) % pool_size(Kind::State))
    }

    /// The position a person holds in every article, if any: the first people hold one each.
    fn held_position(&self) -> Option<Entity> {
        (self.kind == Kind::Person && self.index < pool_size(Kind::Position))
            .then(|| Entity::new(Kind::Position, self.index))
    }

    fn is_actor(&self) -> bool {
        matches!(
            self.kind,
            Kind::State
                | Kind::Person
                | Kind::Journalist
                | Kind::IntlOrg
                | Kind::Company
                | Kind::ArmedGroup
                | Kind::ThinkTank
                | Kind::Media
        )
    }
}

/// Zipf samplers, one per kind: the cumulative weights 1/(rank+1)^s.
struct Zipf {
    cdf: Vec<(Kind, Vec<f64>)>,
}

impl Zipf {
    fn new() -> Zipf {
        let cdf = POOL
            .iter()
            .map(|&(kind, n, _, _)| {
                let mut acc = 0.0;
                let mut v = Vec::with_capacity(n);
                for k in 0..n {
                    acc += 1.0 / ((k + 1) as f64).powf(ZIPF_S);
                    v.push(acc);
                }
                (kind, v)
            })
            .collect();
        Zipf { cdf }
    }

    fn draw(&self, kind: Kind, rng: &mut Rng) -> Entity {
        let cdf = &self.cdf.iter().find(|c| c.0 == kind).unwrap().1;
        let u = rng.unit() * cdf[cdf.len() - 1];
        let i = cdf.partition_point(|&c| c <= u).min(cdf.len() - 1);
        Entity::new(kind, i)
    }
}

// ------------------------------------------------------------------------------------------
// One article.
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Modality {
    Asserted,
    Reported,
    Hedged,
    Planned,
    Predicted,
    Conditional,
    Opinion,
    Denied,
}

impl Modality {
    fn name(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Reported => "reported",
            Modality::Hedged => "hedged",
            Modality::Planned => "planned",
            Modality::Predicted => "predicted",
            Modality::Conditional => "conditional",
            Modality::Opinion => "opinion",
            Modality::Denied => "denied",
        }
    }

    fn draw(rng: &mut Rng) -> Modality {
        let u = rng.unit();
        match u {
            u if u < 0.46 => Modality::Asserted,
            u if u < 0.66 => Modality::Reported,
            u if u < 0.77 => Modality::Hedged,
            u if u < 0.85 => Modality::Planned,
            u if u < 0.89 => Modality::Predicted,
            u if u < 0.92 => Modality::Conditional,
            u if u < 0.98 => Modality::Opinion,
            _ => Modality::Denied,
        }
    }
}

/// A verb phrase in the four forms a sentence may need: as fact, as possibility, as plan, denied.
struct Verb {
    now: &'static str,
    may: &'static str,
    will: &'static str,
    not: &'static str,
}

const fn verb(now: &'static str, may: &'static str, will: &'static str, not: &'static str) -> Verb {
    Verb {
        now,
        may,
        will,
        not,
    }
}

impl Verb {
    fn form(&self, m: Modality) -> &'static str {
        match m {
            Modality::Asserted | Modality::Reported | Modality::Opinion => self.now,
            Modality::Hedged => self.may,
            Modality::Planned | Modality::Predicted | Modality::Conditional => self.will,
            Modality::Denied => self.not,
        }
    }
}

const ALLY: Verb = verb(
    "is an ally of",
    "may be an ally of",
    "will become an ally of",
    "is not an ally of",
);
const RELATIONS: Verb = verb(
    "has established relations with",
    "may establish relations with",
    "will establish relations with",
    "has no relations with",
);
const TENSIONS: Verb = verb(
    "has tense relations with",
    "may face tensions with",
    "will face tensions with",
    "has no tensions with",
);
const THREATENS: Verb = verb(
    "has threatened",
    "may threaten",
    "will threaten",
    "has not threatened",
);
const HOSTILE: Verb = verb(
    "is hostile to",
    "may be hostile to",
    "will turn hostile to",
    "is not hostile to",
);
const SUPPORTS: Verb = verb(
    "supports",
    "may support",
    "will support",
    "does not support",
);
const MEMBER: Verb = verb(
    "is a member of",
    "may be a member of",
    "will join",
    "is not a member of",
);
const PARTY: Verb = verb(
    "is a party to",
    "may sign",
    "will sign",
    "is not a party to",
);
const CANDIDATE: Verb = verb(
    "is a candidate to join",
    "could be a candidate to join",
    "will apply to join",
    "is no candidate to join",
);
const HOLDS: Verb = verb(
    "serves as",
    "may become",
    "will become",
    "no longer serves as",
);
const POSITION_IN: Verb = verb(
    "is an office of",
    "may become an office of",
    "will become an office of",
    "is no longer an office of",
);
const LOCATED: Verb = verb(
    "lies in",
    "may lie in",
    "will become part of",
    "does not lie in",
);
const PROXY: Verb = verb(
    "acts as a proxy of",
    "may act as a proxy of",
    "will act as a proxy of",
    "does not act as a proxy of",
);
const AFFILIATED: Verb = verb(
    "works for",
    "may work for",
    "will join",
    "does not work for",
);
const STAKE: Verb = verb(
    "holds a stake in",
    "may buy a stake in",
    "will buy a stake in",
    "holds no stake in",
);
const INFLUENCE: Verb = verb(
    "holds influence in",
    "may gain influence in",
    "will gain influence in",
    "holds no influence in",
);
const MEDIATES: Verb = verb(
    "mediates between",
    "may mediate between",
    "will mediate between",
    "does not mediate between",
);
const EXPORTS: Verb = verb("exports", "may export", "will export", "does not export");
const VISIT: Verb = verb("visited", "may visit", "is set to visit", "did not visit");
const TALKS: Verb = verb(
    "held talks with",
    "may hold talks with",
    "will hold talks with",
    "did not hold talks with",
);
const STRIKE: Verb = verb(
    "launched strikes against",
    "may strike",
    "will strike",
    "did not strike",
);
const ARMS: Verb = verb(
    "supplied weapons to",
    "may supply weapons to",
    "will supply weapons to",
    "did not supply weapons to",
);
const MEDIATION: Verb = verb(
    "brokered a ceasefire between",
    "may broker a ceasefire between",
    "will broker a ceasefire between",
    "did not broker a ceasefire between",
);
const EXERCISE: Verb = verb(
    "held military exercises",
    "may hold military exercises",
    "will hold military exercises",
    "did not hold military exercises",
);
const STATEMENT: Verb = verb(
    "issued a statement on",
    "may issue a statement on",
    "will issue a statement on",
    "issued no statement on",
);

enum FactBody {
    Relation {
        subject: Entity,
        property: &'static str,
        objects: Vec<Entity>,
        commodity: Option<Entity>,
    },
    Event {
        class: &'static str,
        label: String,
        participants: Vec<(Entity, &'static str)>,
        place: Option<Entity>,
    },
}

struct Fact {
    body: FactBody,
    modality: Modality,
    said_by: Option<Entity>,
    attribution: Option<&'static str>,
    /// Whom `said_by` cites.
    citing: Option<Entity>,
    /// A conditional fact's condition, as written.
    condition: Option<&'static str>,
    time: Option<(String, Option<String>)>,
    quote: String,
}

/// The conditions a conditional fact opens with (its `condition` qualifier, verbatim).
const CONDITIONS: &[&str] = &[
    "If the talks collapse",
    "If sanctions are lifted",
    "If the ceasefire holds",
    "Should the government fall",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const VAGUE_TIMES: &[&str] = &[
    "Last week",
    "Recently",
    "Earlier this year",
    "In the past",
    "Early next month",
    "Since the war started",
];
const ATTRIBUTIONS: &[&str] = &[
    "Officials",
    "Some experts",
    "Diplomats",
    "Local media",
    "Analysts",
];

struct Article {
    id: String,
    title: String,
    published: String,
    publisher: Entity,
    authors: Vec<Entity>,
    entities: Vec<Entity>,
    facts: Vec<Fact>,
}

/// The entities of an article, by kind, in the order they were chosen.
struct Cast {
    all: Vec<Entity>,
    set: BTreeSet<Entity>,
    cap: usize,
}

impl Cast {
    fn add(&mut self, e: Entity) -> bool {
        if self.set.contains(&e) {
            return true;
        }
        if self.all.len() >= self.cap {
            return false;
        }
        self.set.insert(e.clone());
        self.all.push(e);
        true
    }

    fn has(&self, e: &Entity) -> bool {
        self.set.contains(e)
    }

    fn of(&self, kinds: &[Kind]) -> Vec<Entity> {
        self.all
            .iter()
            .filter(|e| kinds.contains(&e.kind))
            .cloned()
            .collect()
    }

    fn actors(&self) -> Vec<Entity> {
        self.all.iter().filter(|e| e.is_actor()).cloned().collect()
    }
}

/// Kinds an article's cast is drawn from, with weights.
const CAST_WEIGHTS: &[(Kind, f64)] = &[
    (Kind::State, 0.30),
    (Kind::Person, 0.25),
    (Kind::City, 0.11),
    (Kind::Region, 0.03),
    (Kind::Position, 0.03),
    (Kind::IntlOrg, 0.06),
    (Kind::Company, 0.05),
    (Kind::ArmedGroup, 0.04),
    (Kind::ThinkTank, 0.02),
    (Kind::Agreement, 0.05),
    (Kind::Commodity, 0.06),
];

fn draw_kind(rng: &mut Rng) -> Kind {
    let total: f64 = CAST_WEIGHTS.iter().map(|w| w.1).sum();
    let mut u = rng.unit() * total;
    for &(k, w) in CAST_WEIGHTS {
        if u < w {
            return k;
        }
        u -= w;
    }
    CAST_WEIGHTS[0].0
}

fn generate_article(seed: u64, k: usize, zipf: &Zipf) -> Article {
    let mut rng = Rng::new(seed ^ (k as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    // Warm up, so that nearby seeds diverge at once.
    for _ in 0..4 {
        rng.next_u64();
    }
    let n_entities = rng.range(10, 40);
    let n_facts = rng.range(20, 60);

    let mut cast = Cast {
        all: Vec::new(),
        set: BTreeSet::new(),
        cap: n_entities,
    };
    let publisher = zipf.draw(Kind::Media, &mut rng);
    cast.add(publisher.clone());
    let mut authors = Vec::new();
    for _ in 0..rng.range(1, 2) {
        let a = Entity::new(Kind::Journalist, rng.below(pool_size(Kind::Journalist)));
        if !authors.contains(&a) {
            cast.add(a.clone());
            authors.push(a);
        }
    }
    // At least two states, then any kinds; some entities bring those they belong with.
    let mut attempts = 0;
    while cast.all.len() < n_entities && attempts < 1000 {
        attempts += 1;
        let kind = if cast.of(&[Kind::State]).len() < 2 {
            Kind::State
        } else {
            draw_kind(&mut rng)
        };
        let e = zipf.draw(kind, &mut rng);
        if cast.has(&e) {
            continue;
        }
        match kind {
            Kind::Position => {
                // A position comes with its state.
                if cast.all.len() + 2 > n_entities && !cast.has(&e.position_state()) {
                    continue;
                }
                cast.add(e.position_state());
                cast.add(e);
            }
            Kind::Person => {
                cast.add(e.clone());
                if let Some(pos) = e.held_position()
                    && rng.chance(0.7)
                    && (cast.has(&pos.position_state()) || cast.all.len() + 2 <= n_entities)
                {
                    cast.add(pos.position_state());
                    cast.add(pos);
                }
            }
            Kind::City => {
                cast.add(e.clone());
                if rng.chance(0.5) {
                    cast.add(e.city_state());
                }
            }
            _ => {
                cast.add(e);
            }
        }
    }

    let id = format!("a{k:06}");
    let mut facts: Vec<Fact> = Vec::new();
    let mut mentioned: BTreeSet<Entity> = BTreeSet::new();
    mentioned.insert(publisher.clone());
    for a in &authors {
        mentioned.insert(a.clone());
    }
    // First every entity in some fact, then facts at random until there are enough.
    let order = cast.all.clone();
    for e in &order {
        if mentioned.contains(e) {
            continue;
        }
        if let Some(body) = fact_about(Some(e), &cast, &mentioned, &mut rng) {
            note_mentions(&body, &mut mentioned);
            facts.push(finish_fact(body, facts.len() + 1, &cast, &mut rng));
        }
    }
    let mut tries = 0;
    while facts.len() < n_facts && tries < 10_000 {
        tries += 1;
        if let Some(body) = fact_about(None, &cast, &mentioned, &mut rng) {
            note_mentions(&body, &mut mentioned);
            facts.push(finish_fact(body, facts.len() + 1, &cast, &mut rng));
        }
    }

    let states = cast.of(&[Kind::State]);
    let title = format!(
        "{} and {}: dispatch {}",
        states[0].label(),
        states[1].label(),
        k + 1
    );
    let published = format!(
        "{}-{:02}-{:02}",
        2015 + rng.below(10),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    Article {
        id,
        title,
        published,
        publisher,
        authors,
        entities: cast.all,
        facts,
    }
}

fn note_mentions(body: &FactBody, mentioned: &mut BTreeSet<Entity>) {
    match body {
        FactBody::Relation {
            subject,
            objects,
            commodity,
            ..
        } => {
            mentioned.insert(subject.clone());
            mentioned.extend(objects.iter().cloned());
            if let Some(c) = commodity {
                mentioned.insert(c.clone());
            }
        }
        FactBody::Event {
            participants,
            place,
            ..
        } => {
            mentioned.extend(participants.iter().map(|p| p.0.clone()));
            if let Some(p) = place {
                mentioned.insert(p.clone());
            }
        }
    }
}

/// Another entity of `pool` than `not`, preferring those not yet mentioned.
fn other(
    pool: &[Entity],
    not: &[&Entity],
    mentioned: &BTreeSet<Entity>,
    rng: &mut Rng,
) -> Option<Entity> {
    let candidates: Vec<&Entity> = pool.iter().filter(|e| !not.contains(e)).collect();
    if candidates.is_empty() {
        return None;
    }
    let fresh: Vec<&Entity> = candidates
        .iter()
        .filter(|e| !mentioned.contains(**e))
        .copied()
        .collect();
    if !fresh.is_empty() && rng.chance(0.6) {
        return Some((*rng.pick(&fresh)).clone());
    }
    Some((*rng.pick(&candidates)).clone())
}

fn relation(subject: Entity, property: &'static str, objects: Vec<Entity>) -> FactBody {
    FactBody::Relation {
        subject,
        property,
        objects,
        commodity: None,
    }
}

/// A fact in which `focus` takes part (or any fact when `focus` is None); None when the cast has
/// no partner for it.
fn fact_about(
    focus: Option<&Entity>,
    cast: &Cast,
    mentioned: &BTreeSet<Entity>,
    rng: &mut Rng,
) -> Option<FactBody> {
    let states = cast.of(&[Kind::State]);
    let actors = cast.actors();
    let cities_or_states = cast.of(&[Kind::State, Kind::City]);
    let orgs = cast.of(&[
        Kind::IntlOrg,
        Kind::Company,
        Kind::ThinkTank,
        Kind::ArmedGroup,
    ]);
    let commodities = cast.of(&[Kind::Commodity]);
    let focus = match focus {
        Some(f) => f.clone(),
        None => {
            // A random fact: mostly about states and people.
            let pool = cast.of(&[
                Kind::State,
                Kind::State,
                Kind::Person,
                Kind::ArmedGroup,
                Kind::IntlOrg,
                Kind::Company,
                Kind::Agreement,
                Kind::Commodity,
                Kind::City,
                Kind::Position,
            ]);
            rng.pick(&pool).clone()
        }
    };
    let m = mentioned;
    let place_for = |rng: &mut Rng, host: &Entity| -> Option<Entity> {
        if !rng.chance(0.6) {
            return None;
        }
        // A city of the host state in the cast, else the host state itself.
        let cities: Vec<Entity> = cast
            .of(&[Kind::City])
            .into_iter()
            .filter(|c| host.kind == Kind::State && c.city_state() == *host)
            .collect();
        if !cities.is_empty() {
            Some(rng.pick(&cities).clone())
        } else if host.kind == Kind::State {
            Some(host.clone())
        } else {
            Some(rng.pick(&cities_or_states).clone())
        }
    };
    let event = |class: &'static str, label: String, participants, place| FactBody::Event {
        class,
        label,
        participants,
        place,
    };
    let l = |e: &Entity| e.label();
    match focus.kind {
        Kind::State => {
            let choice = rng.below(12);
            match choice {
                0..=1 => {
                    let o = other(&states, &[&focus], m, rng)?;
                    Some(relation(focus, "allyOf", vec![o]))
                }
                2 => {
                    let o = other(&states, &[&focus], m, rng)?;
                    let p =
                        *rng.pick(&["hasRelationsWith", "tensionsWith", "threatens", "hostileTo"]);
                    Some(relation(focus, p, vec![o]))
                }
                3 => {
                    let o = other(&cast.of(&[Kind::IntlOrg]), &[], m, rng)
                        .or_else(|| other(&states, &[&focus], m, rng))?;
                    if o.kind == Kind::IntlOrg {
                        Some(relation(focus, "memberOf", vec![o]))
                    } else {
                        Some(relation(focus, "supports", vec![o]))
                    }
                }
                4 => {
                    let o = other(&cast.of(&[Kind::Agreement]), &[], m, rng)
                        .or_else(|| other(&states, &[&focus], m, rng))?;
                    if o.kind == Kind::Agreement {
                        let p = if rng.chance(0.7) {
                            "partyTo"
                        } else {
                            "candidateFor"
                        };
                        Some(relation(focus, p, vec![o]))
                    } else {
                        Some(relation(focus, "allyOf", vec![o]))
                    }
                }
                5 => {
                    let o = other(&states, &[&focus], m, rng)?;
                    let c = other(&commodities, &[], m, rng);
                    Some(FactBody::Relation {
                        subject: focus,
                        property: "exportsTo",
                        objects: vec![o],
                        commodity: c,
                    })
                }
                6 => {
                    let a = other(&states, &[&focus], m, rng)?;
                    let b = other(&states, &[&focus, &a], m, rng)?;
                    if rng.chance(0.5) {
                        Some(relation(focus, "mediatesBetween", vec![a, b]))
                    } else {
                        let label = format!("Ceasefire between {} and {}", l(&a), l(&b));
                        Some(event(
                            "Mediation",
                            label,
                            vec![(focus, "mediator"), (a, "party"), (b, "party")],
                            None,
                        ))
                    }
                }
                7 => {
                    // A visit: the focus hosts someone, or visits another state.
                    let guest = other(&cast.of(&[Kind::Person, Kind::State]), &[&focus], m, rng)?;
                    let place = place_for(rng, &focus);
                    let label = format!("Visit of {} to {}", l(&guest), l(&focus));
                    Some(event(
                        "Visit",
                        label,
                        vec![(guest, "agent"), (focus, "host")],
                        place,
                    ))
                }
                8 => {
                    let o = other(&states, &[&focus], m, rng)?;
                    let place = if rng.chance(0.5) {
                        place_for(rng, &focus)
                    } else {
                        None
                    };
                    let label = format!("Talks between {} and {}", l(&focus), l(&o));
                    Some(event(
                        "Talks",
                        label,
                        vec![(focus, "party"), (o, "party")],
                        place,
                    ))
                }
                9 => {
                    let o = other(
                        &cast.of(&[Kind::State, Kind::ArmedGroup]),
                        &[&focus],
                        m,
                        rng,
                    )?;
                    let place = if o.kind == Kind::State {
                        place_for(rng, &o)
                    } else {
                        None
                    };
                    let label = format!("Strikes by {} against {}", l(&focus), l(&o));
                    Some(event(
                        "MilitaryStrike",
                        label,
                        vec![(focus, "agent"), (o, "target")],
                        place,
                    ))
                }
                10 => {
                    let o = other(&actors, &[&focus], m, rng)?;
                    let label = format!("Weapons from {} for {}", l(&focus), l(&o));
                    Some(event(
                        "ArmsTransfer",
                        label,
                        vec![(focus, "supplier"), (o, "recipient")],
                        None,
                    ))
                }
                _ => {
                    let place = other(&cast.of(&[Kind::Region, Kind::City]), &[], m, rng)
                        .or_else(|| Some(focus.clone()));
                    let label = format!("Military exercises of {}", l(&focus));
                    Some(event(
                        "MilitaryExercise",
                        label,
                        vec![(focus, "agent")],
                        place,
                    ))
                }
            }
        }
        Kind::Person | Kind::Journalist => {
            if let Some(pos) = focus.held_position()
                && cast.has(&pos)
                && (!m.contains(&pos) || rng.chance(0.1))
            {
                return Some(relation(focus, "holdsPosition", vec![pos]));
            }
            match rng.below(5) {
                0 | 1 => {
                    let host = other(&states, &[], m, rng)?;
                    let place = place_for(rng, &host);
                    let label = format!("Visit of {} to {}", l(&focus), l(&host));
                    Some(event(
                        "Visit",
                        label,
                        vec![(focus, "agent"), (host, "host")],
                        place,
                    ))
                }
                2 => {
                    let about = other(&actors, &[&focus], m, rng)?;
                    let label = format!("Statement of {} on {}", l(&focus), l(&about));
                    Some(event(
                        "Statement",
                        label,
                        vec![(focus, "agent"), (about, "subject")],
                        None,
                    ))
                }
                3 if !orgs.is_empty() => {
                    let o = other(&orgs, &[], m, rng)?;
                    Some(relation(focus, "affiliatedWith", vec![o]))
                }
                _ => {
                    let o = other(&actors, &[&focus], m, rng)?;
                    let p = *rng.pick(&["supports", "hostileTo"]);
                    Some(relation(focus, p, vec![o]))
                }
            }
        }
        Kind::Position => {
            let holder = cast
                .of(&[Kind::Person])
                .into_iter()
                .find(|p| p.held_position().as_ref() == Some(&focus));
            match holder {
                Some(h) if rng.chance(0.7) => Some(relation(h, "holdsPosition", vec![focus])),
                _ if cast.has(&focus.position_state()) => {
                    let s = focus.position_state();
                    Some(relation(focus, "positionIn", vec![s]))
                }
                _ => None,
            }
        }
        Kind::City => {
            let state = focus.city_state();
            if cast.has(&state) && rng.chance(0.5) {
                return Some(relation(focus, "locatedIn", vec![state]));
            }
            let guest = other(&cast.of(&[Kind::Person, Kind::State]), &[], m, rng)?;
            let host = if cast.has(&state) {
                state
            } else {
                other(&states, &[&guest], m, rng)?
            };
            let label = format!("Talks in {}", l(&focus));
            Some(event(
                "Talks",
                label,
                vec![(guest, "party"), (host, "host")],
                Some(focus),
            ))
        }
        Kind::Region => {
            let actor = other(&cast.of(&[Kind::State, Kind::ArmedGroup]), &[], m, rng)?;
            if rng.chance(0.5) {
                Some(relation(actor, "influenceIn", vec![focus]))
            } else {
                let label = format!("Military exercises in {}", l(&focus));
                Some(event(
                    "MilitaryExercise",
                    label,
                    vec![(actor, "agent")],
                    Some(focus),
                ))
            }
        }
        Kind::IntlOrg => {
            let s = other(&states, &[], m, rng)?;
            Some(relation(s, "memberOf", vec![focus]))
        }
        Kind::Company => {
            let s = other(&states, &[], m, rng)?;
            if rng.chance(0.5) {
                Some(relation(s, "holdsStakeIn", vec![focus]))
            } else {
                let c = other(&commodities, &[], m, rng);
                Some(FactBody::Relation {
                    subject: focus,
                    property: "exportsTo",
                    objects: vec![s],
                    commodity: c,
                })
            }
        }
        Kind::ArmedGroup => {
            let s = other(&states, &[], m, rng)?;
            if rng.chance(0.5) {
                Some(relation(focus, "proxyOf", vec![s]))
            } else {
                let place = place_for(rng, &s);
                let label = format!("Attack by {} on {}", l(&focus), l(&s));
                Some(event(
                    "MilitaryStrike",
                    label,
                    vec![(focus, "agent"), (s, "target")],
                    place,
                ))
            }
        }
        Kind::ThinkTank => {
            let p = other(&cast.of(&[Kind::Person]), &[], m, rng);
            match p {
                Some(p) => Some(relation(p, "affiliatedWith", vec![focus])),
                None => {
                    let s = other(&states, &[], m, rng)?;
                    Some(relation(focus, "hostileTo", vec![s]))
                }
            }
        }
        Kind::Agreement => {
            let s = other(&states, &[], m, rng)?;
            let p = if rng.chance(0.7) {
                "partyTo"
            } else {
                "candidateFor"
            };
            Some(relation(s, p, vec![focus]))
        }
        Kind::Commodity => {
            let a = other(&states, &[], m, rng)?;
            let b = other(&states, &[&a], m, rng)?;
            Some(FactBody::Relation {
                subject: a,
                property: "exportsTo",
                objects: vec![b],
                commodity: Some(focus),
            })
        }
        Kind::Media => None,
    }
}

/// Gives a fact its modality, source, time and sentence.
fn finish_fact(body: FactBody, n: usize, cast: &Cast, rng: &mut Rng) -> Fact {
    let mut modality = Modality::draw(rng);
    // Denied relations and events are kept as fact nodes only; keep them rare and simple.
    let speakers = cast.of(&[Kind::Person, Kind::State, Kind::IntlOrg, Kind::ThinkTank]);
    let (mut said_by, mut attribution, mut citing) = (None, None, None);
    if modality == Modality::Reported {
        if !speakers.is_empty() && rng.chance(0.8) {
            let who = rng.pick(&speakers).clone();
            // a source that cites another, now and then
            if speakers.len() > 1 && rng.chance(0.2) {
                let other = rng.pick(&speakers).clone();
                if other.id() != who.id() {
                    citing = Some(other);
                }
            }
            said_by = Some(who);
        } else {
            attribution = Some(*rng.pick(ATTRIBUTIONS));
        }
    }
    if modality == Modality::Predicted {
        attribution = Some("Analysts");
    }
    // (a conditional relation keeps its qualifiers to the condition alone)
    if modality == Modality::Conditional
        && matches!(
            &body,
            FactBody::Relation {
                commodity: Some(_),
                ..
            }
        )
    {
        modality = Modality::Hedged;
    }
    let condition = (modality == Modality::Conditional).then(|| *rng.pick(CONDITIONS));
    let time = if rng.chance(0.33) {
        Some(match rng.below(4) {
            0 => {
                let y = 2010 + rng.below(15);
                (format!("In {y}"), Some(format!("{y}")))
            }
            1 => {
                let y = 2010 + rng.below(15);
                let mo = rng.below(12);
                (
                    format!("In {} {y}", MONTHS[mo]),
                    Some(format!("{y}-{:02}", mo + 1)),
                )
            }
            2 => {
                let y = 2010 + rng.below(15);
                let mo = rng.below(12);
                let d = 1 + rng.below(28);
                (
                    format!("On {d} {} {y}", MONTHS[mo]),
                    Some(format!("{y}-{:02}-{d:02}", mo + 1)),
                )
            }
            _ => ((*rng.pick(VAGUE_TIMES)).to_string(), None),
        })
    } else {
        None
    };
    if modality == Modality::Denied && time.is_some() {
        modality = Modality::Asserted;
    }

    // Structural relations are stated plainly.
    if let FactBody::Relation { property, .. } = &body
        && matches!(*property, "positionIn" | "locatedIn")
    {
        modality = Modality::Asserted;
        said_by = None;
        attribution = None;
        citing = None;
    }
    let condition = condition.filter(|_| modality == Modality::Conditional);
    let has_prefix = matches!(
        modality,
        Modality::Reported | Modality::Opinion | Modality::Predicted | Modality::Conditional
    );
    // The time opens the clause, lower-cased after "According to X, " or "In our view, ".
    let time = time.map(|(t, v)| {
        if has_prefix {
            let mut c = t.chars();
            let first = c.next().map(|f| f.to_ascii_lowercase()).unwrap_or(' ');
            (std::iter::once(first).chain(c).collect::<String>(), v)
        } else {
            (t, v)
        }
    });
    let l = |e: &Entity| e.label();
    let clause = match &body {
        FactBody::Relation {
            subject,
            property,
            objects,
            commodity,
        } => {
            let v = match *property {
                "allyOf" => &ALLY,
                "hasRelationsWith" => &RELATIONS,
                "tensionsWith" => &TENSIONS,
                "threatens" => &THREATENS,
                "hostileTo" => &HOSTILE,
                "supports" => &SUPPORTS,
                "memberOf" => &MEMBER,
                "partyTo" => &PARTY,
                "candidateFor" => &CANDIDATE,
                "holdsPosition" => &HOLDS,
                "positionIn" => &POSITION_IN,
                "locatedIn" => &LOCATED,
                "proxyOf" => &PROXY,
                "affiliatedWith" => &AFFILIATED,
                "holdsStakeIn" => &STAKE,
                "influenceIn" => &INFLUENCE,
                "mediatesBetween" => &MEDIATES,
                "exportsTo" => &EXPORTS,
                other => panic!("no verb for {other}"),
            };
            let objs = objects.iter().map(l).collect::<Vec<_>>().join(" and ");
            match (*property, commodity) {
                ("exportsTo", Some(c)) => {
                    format!("{} {} {} to {objs}", l(subject), v.form(modality), l(c))
                }
                ("exportsTo", None) => {
                    format!("{} {} goods to {objs}", l(subject), v.form(modality))
                }
                _ => format!("{} {} {objs}", l(subject), v.form(modality)),
            }
        }
        FactBody::Event {
            class,
            participants,
            place,
            ..
        } => {
            let v = match *class {
                "Visit" => &VISIT,
                "Talks" => &TALKS,
                "MilitaryStrike" => &STRIKE,
                "ArmsTransfer" => &ARMS,
                "Mediation" => &MEDIATION,
                "MilitaryExercise" => &EXERCISE,
                "Statement" => &STATEMENT,
                other => panic!("no verb for {other}"),
            };
            let first = l(&participants[0].0);
            let rest = participants[1..]
                .iter()
                .map(|p| l(&p.0))
                .collect::<Vec<_>>()
                .join(" and ");
            let mut s = if rest.is_empty() {
                format!("{first} {}", v.form(modality))
            } else {
                format!("{first} {} {rest}", v.form(modality))
            };
            if let Some(p) = place {
                let host = participants
                    .iter()
                    .find(|x| x.1 == "host" || x.1 == "target");
                if host.map(|h| &h.0) != Some(p) || *class == "MilitaryExercise" {
                    let _ = write!(s, " in {}", l(p));
                }
            }
            s
        }
    };
    let clause = match &time {
        Some((t, _)) => format!("{t}, {clause}"),
        None => clause,
    };
    let clause = match modality {
        Modality::Reported => match (&said_by, attribution) {
            (Some(who), _) => {
                if let Some(cited) = &citing {
                    format!("According to {}, citing {}, {clause}", l(who), l(cited))
                } else if rng.chance(0.5) {
                    format!("{} said that {clause}", l(who))
                } else {
                    format!("According to {}, {clause}", l(who))
                }
            }
            (None, Some(a)) => format!("{a} said that {clause}"),
            (None, None) => unreachable!(),
        },
        Modality::Opinion => format!("In our view, {clause}"),
        Modality::Predicted => format!("Analysts expect that {clause}"),
        Modality::Conditional => format!("{}, {clause}", condition.unwrap_or("If so")),
        _ => clause,
    };
    let sentence = format!("({n}) {clause}");
    Fact {
        body,
        modality,
        said_by,
        attribution,
        citing,
        condition,
        time,
        quote: sentence,
    }
}

// ------------------------------------------------------------------------------------------
// Writing.
// ------------------------------------------------------------------------------------------

fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn article_text(a: &Article, rng: &mut Rng) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{}", a.title);
    let _ = writeln!(
        text,
        "By {}",
        a.authors
            .iter()
            .map(|x| x.label())
            .collect::<Vec<_>>()
            .join(" and ")
    );
    text.push('\n');
    let mut in_paragraph = 0;
    let mut paragraph_len = rng.range(2, 5);
    for f in &a.facts {
        if in_paragraph > 0 {
            text.push(' ');
        }
        text.push_str(&f.quote);
        text.push('.');
        in_paragraph += 1;
        if in_paragraph == paragraph_len {
            text.push_str("\n\n");
            in_paragraph = 0;
            paragraph_len = rng.range(2, 5);
        }
    }
    if in_paragraph > 0 {
        text.push('\n');
    }
    text
}

fn facts_toml(a: &Article, seed: u64) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Synthetic article generated by examples/gen_corpus.rs (seed {seed}); not real news."
    );
    let _ = writeln!(t, "[article]");
    let _ = writeln!(t, "id = {}", toml_str(&a.id));
    let _ = writeln!(t, "title = {}", toml_str(&a.title));
    let _ = writeln!(t, "publisher = {}", toml_str(&a.publisher.id()));
    let _ = writeln!(
        t,
        "authors = [{}]",
        a.authors
            .iter()
            .map(|x| toml_str(&x.id()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(t, "published = {}", toml_str(&a.published));
    let _ = writeln!(t, "language = \"en\"");
    let _ = writeln!(t, "genre = \"news\"");
    let _ = writeln!(t, "text = {}", toml_str(&format!("{}.txt", a.id)));
    for e in &a.entities {
        let _ = writeln!(t, "\n[[entities]]");
        let _ = writeln!(t, "id = {}", toml_str(&e.id()));
        let _ = writeln!(t, "class = {}", toml_str(e.class()));
        let _ = writeln!(t, "label = {}", toml_str(&e.label()));
    }
    for (i, f) in a.facts.iter().enumerate() {
        let _ = writeln!(t, "\n[[facts]]");
        let _ = writeln!(t, "id = \"f{:03}\"", i + 1);
        match &f.body {
            FactBody::Relation {
                subject,
                property,
                objects,
                commodity,
            } => {
                let _ = writeln!(t, "subject = {}", toml_str(&subject.id()));
                let _ = writeln!(t, "property = {}", toml_str(property));
                if objects.len() == 1 {
                    let _ = writeln!(t, "object = {}", toml_str(&objects[0].id()));
                } else {
                    let _ = writeln!(
                        t,
                        "object = [{}]",
                        objects
                            .iter()
                            .map(|o| toml_str(&o.id()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                if let Some(c) = commodity {
                    let _ = writeln!(t, "qualifiers = {{ commodity = {} }}", toml_str(&c.id()));
                }
            }
            FactBody::Event {
                class,
                label,
                participants,
                place,
            } => {
                let _ = writeln!(t, "event = {}", toml_str(class));
                let _ = writeln!(t, "label = {}", toml_str(label));
                let _ = writeln!(
                    t,
                    "participants = [{}]",
                    participants
                        .iter()
                        .map(|(e, r)| format!(
                            "{{ entity = {}, role = {} }}",
                            toml_str(&e.id()),
                            toml_str(r)
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                if let Some(p) = place {
                    let _ = writeln!(t, "place = {}", toml_str(&p.id()));
                }
            }
        }
        let _ = writeln!(t, "quote = {}", toml_str(&f.quote));
        let _ = writeln!(t, "modality = {}", toml_str(f.modality.name()));
        if let Some(s) = &f.said_by {
            let _ = writeln!(t, "said_by = {}", toml_str(&s.id()));
        }
        if let Some(a) = f.attribution {
            let _ = writeln!(t, "attribution = {}", toml_str(a));
        }
        if let Some(c) = &f.citing {
            let _ = writeln!(t, "citing = {}", toml_str(&c.id()));
        }
        if let Some(c) = f.condition {
            let _ = writeln!(t, "qualifiers = {{ condition = {} }}", toml_str(c));
        }
        match &f.time {
            Some((text, Some(value))) => {
                let _ = writeln!(
                    t,
                    "time = {{ text = {}, value = {} }}",
                    toml_str(text),
                    toml_str(value)
                );
            }
            Some((text, None)) => {
                let _ = writeln!(t, "time = {{ text = {} }}", toml_str(text));
            }
            None => {}
        }
    }
    t
}

fn write_file(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    f.write_all(contents.as_bytes())?;
    f.flush()
}

// ------------------------------------------------------------------------------------------
// Command line.
// ------------------------------------------------------------------------------------------

const USAGE: &str = "usage: gen_corpus --articles N --seed S --out DIR

Writes N synthetic articles (DIR/0000/a000000.toml + .txt, at most 1000 per sub-directory).
The same seed gives byte-identical files.";

struct Args {
    articles: usize,
    seed: u64,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut articles = None;
    let mut seed = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--articles" | "-n" => {
                let v = value("--articles")?;
                articles = Some(
                    v.parse::<usize>()
                        .map_err(|e| format!("--articles `{v}`: {e}"))?,
                );
            }
            "--seed" | "-s" => {
                let v = value("--seed")?;
                seed = Some(v.parse::<u64>().map_err(|e| format!("--seed `{v}`: {e}"))?);
            }
            "--out" | "-o" => out = Some(PathBuf::from(value("--out")?)),
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        articles: articles.ok_or("--articles N is required")?,
        seed: seed.unwrap_or(42),
        out: out.ok_or("--out DIR is required")?,
    })
}

fn run(args: &Args) -> Result<(usize, usize, usize), String> {
    let zipf = Zipf::new();
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(&args.out).map_err(|e| io(&args.out, e))?;
    let (mut n_entities, mut n_facts) = (0, 0);
    for k in 0..args.articles {
        let dir = args.out.join(format!("{:04}", k / 1000));
        if k % 1000 == 0 {
            std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        let article = generate_article(args.seed, k, &zipf);
        let mut text_rng = Rng::new(args.seed ^ 0x5EED ^ (k as u64).rotate_left(17));
        let text = article_text(&article, &mut text_rng);
        let toml = facts_toml(&article, args.seed);
        let toml_path = dir.join(format!("{}.toml", article.id));
        let text_path = dir.join(format!("{}.txt", article.id));
        write_file(&toml_path, &toml).map_err(|e| io(&toml_path, e))?;
        write_file(&text_path, &text).map_err(|e| io(&text_path, e))?;
        n_entities += article.entities.len();
        n_facts += article.facts.len();
    }
    Ok((args.articles, n_entities, n_facts))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok((articles, entities, facts)) => {
            eprintln!(
                "gen_corpus: wrote {articles} articles ({entities} entity declarations, {facts} facts) to {}",
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
