//! The bundled Wikidata catalog (`data/catalog.tsv`): sovereign states with their ISO codes,
//! aliases and demonyms, capitals (usable as metonyms for their state), intergovernmental
//! organizations, and the seed article's people, organizations, places and events. Every ID in
//! it was verified against stored public sources (its `evidence` column says which); what could
//! not be verified is not in it.

use crate::lexical::is_wikidata_id;
use crate::ontology::Ontology;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The catalog's TSV source, as compiled into the binary.
pub const SOURCE: &str = include_str!("../data/catalog.tsv");
pub const PATH: &str = "data/catalog.tsv";
const HEADER: &str =
    "qid\tclass\tlabel\taliases\tdemonyms\tiso2\tiso3\tcapital_of\tholds\tevidence";

/// One item of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub qid: String,
    /// Ontology class IRI.
    pub class: String,
    pub label: String,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    pub iso2: Option<String>,
    pub iso3: Option<String>,
    /// For a capital: the QID of its state.
    pub capital_of: Option<String>,
    /// For a person: the QIDs of positions they hold or held (Wikidata P39), so that a title
    /// before their name ("President Donald Trump") can be read as the position.
    pub holds: Vec<String>,
    pub evidence: String,
}

/// How a name matched a catalog item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    Label,
    Alias,
    Demonym,
    /// The name of a state's capital, read as the state (its government).
    Metonym,
}

impl Match {
    pub fn name(self) -> &'static str {
        match self {
            Match::Label => "label",
            Match::Alias => "alias",
            Match::Demonym => "demonym",
            Match::Metonym => "metonym",
        }
    }
}

#[derive(Debug)]
pub struct Catalog {
    entries: Vec<Entry>,
    by_qid: BTreeMap<String, usize>,
    /// normalized name → (entry, how)
    names: BTreeMap<String, Vec<(usize, Match)>>,
}

/// Folds a name for matching: Unicode compatibility decomposition (NFKD) with the combining
/// marks dropped (every diacritic: "Erdoğan", "Erdoǧan" and "Erdogan" meet), the letters NFKD
/// leaves whole folded too ("ı", "ł", "ø", "ß"), lower case, apostrophes and dots dropped
/// ("U.S." and "US", "Nukuʻalofa" and "Nukualofa"), hyphens, dashes and commas read as spaces
/// ("Al-Assad" and "al Assad"), white space collapsed and a leading "the" dropped ("the
/// Türkiye").
pub fn normalize(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut folded = String::with_capacity(name.len());
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
        for c in c.to_lowercase() {
            match c {
                'ı' => folded.push('i'),
                'ł' => folded.push('l'),
                'ø' => folded.push('o'),
                'đ' | 'ð' => folded.push('d'),
                'ħ' => folded.push('h'),
                'ß' => folded.push_str("ss"),
                'æ' => folded.push_str("ae"),
                'œ' => folded.push_str("oe"),
                'þ' => folded.push_str("th"),
                '\'' | '’' | '‘' | '`' | 'ʻ' | 'ʼ' | '.' => {}
                '-' | '‐' | '‑' | '–' | '—' | ',' => folded.push(' '),
                c => folded.push(c),
            }
        }
    }
    let words: Vec<&str> = folded.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") if words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(SOURCE, Ontology::embedded())
                .unwrap_or_else(|e| panic!("{PATH} is invalid: {}", e.join("; ")))
        })
    }

    /// Reads a catalog and checks its shape: the header, ten columns, ID syntax, no duplicate
    /// IDs, no two items of a class with one label, every class an ontology class, every
    /// capital's state in the catalog, every position a person holds a position of the catalog.
    pub fn parse(text: &str, ontology: &Ontology) -> Result<Catalog, Vec<String>> {
        let mut problems = Vec::new();
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            problems.push(format!("{PATH}:1: the header must be `{HEADER}`"));
        }
        let mut catalog = Catalog {
            entries: Vec::new(),
            by_qid: BTreeMap::new(),
            names: BTreeMap::new(),
        };
        let mut labels: BTreeSet<(String, String)> = BTreeSet::new();
        for (i, line) in lines.enumerate() {
            let n = i + 2;
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 10 {
                problems.push(format!("{PATH}:{n}: {} columns instead of 10", cols.len()));
                continue;
            }
            let list = |s: &str| -> Vec<String> {
                s.split('|')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
            let Some(class) = ontology.class(cols[1]) else {
                problems.push(format!("{PATH}:{n}: unknown class `{}`", cols[1]));
                continue;
            };
            let entry = Entry {
                qid: cols[0].into(),
                class: class.into(),
                label: cols[2].into(),
                aliases: list(cols[3]),
                demonyms: list(cols[4]),
                iso2: opt(cols[5]),
                iso3: opt(cols[6]),
                capital_of: opt(cols[7]),
                holds: list(cols[8]),
                evidence: cols[9].into(),
            };
            if !is_wikidata_id(&entry.qid) {
                problems.push(format!("{PATH}:{n}: malformed Wikidata ID `{}`", entry.qid));
            }
            if entry.label.is_empty() || entry.evidence.is_empty() {
                problems.push(format!("{PATH}:{n}: empty label or evidence"));
            }
            if !labels.insert((entry.class.clone(), normalize(&entry.label))) {
                problems.push(format!(
                    "{PATH}:{n}: a second {} labelled `{}`",
                    cols[1], entry.label
                ));
            }
            if catalog
                .by_qid
                .insert(entry.qid.clone(), catalog.entries.len())
                .is_some()
            {
                problems.push(format!("{PATH}:{n}: duplicate ID {}", entry.qid));
            }
            catalog.entries.push(entry);
        }
        for (i, e) in catalog.entries.iter().enumerate() {
            if let Some(state) = &e.capital_of
                && !catalog.by_qid.contains_key(state)
            {
                problems.push(format!(
                    "{PATH}: {} is the capital of {state}, which is not in the catalog",
                    e.qid
                ));
            }
            for q in &e.holds {
                let position = catalog.by_qid.get(q).map(|&p| &catalog.entries[p]);
                if !ontology.is_subclass_of(&e.class, crate::vocab::nkg::PERSON)
                    || !position.is_some_and(|p| {
                        ontology.is_subclass_of(&p.class, crate::vocab::nkg::POSITION)
                    })
                {
                    problems.push(format!(
                        "{PATH}: {} holds {q}: only a person holds a position, and {q} must be a Position of the catalog",
                        e.qid
                    ));
                }
            }
            let mut add = |name: &str, how: Match| {
                catalog
                    .names
                    .entry(normalize(name))
                    .or_default()
                    .push((i, how));
            };
            add(&e.label, Match::Label);
            for a in &e.aliases {
                add(a, Match::Alias);
            }
            for d in &e.demonyms {
                add(d, Match::Demonym);
            }
        }
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(problems)
        }
    }

    /// Every name the catalog knows, folded (see [`normalize`]).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, qid: &str) -> Option<&Entry> {
        self.by_qid.get(qid).map(|&i| &self.entries[i])
    }

    /// The item `qid` when the catalog knows it as an item of a class incompatible with `class`
    /// (neither below the other): a sign of a wrong ID.
    pub fn class_conflict(&self, class: &str, qid: &str, ontology: &Ontology) -> Option<&Entry> {
        self.get(qid)
            .filter(|item| !ontology.compatible(class, &item.class))
    }

    /// The items a name can mean, and how: by label, alias or demonym, and, for a capital's
    /// name, its state by metonymy.
    pub fn lookup(&self, name: &str) -> Vec<(&Entry, Match)> {
        let mut out = Vec::new();
        for &(i, how) in self.names.get(&normalize(name)).into_iter().flatten() {
            let entry = &self.entries[i];
            out.push((entry, how));
            if let Some(state) = entry.capital_of.as_deref().and_then(|q| self.get(q))
                && matches!(how, Match::Label | Match::Alias)
            {
                out.push((state, Match::Metonym));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalog_has_a_valid_shape() {
        let catalog = Catalog::parse(SOURCE, Ontology::embedded()).unwrap_or_else(|e| {
            panic!("{}", e.join("\n"));
        });
        let states = catalog
            .entries()
            .iter()
            .filter(|e| e.class.ends_with("#State"))
            .count();
        assert!(states >= 193, "every sovereign state: {states}");
        for e in catalog.entries() {
            if let Some(iso2) = &e.iso2 {
                assert!(
                    iso2.len() == 2 && iso2.chars().all(|c| c.is_ascii_uppercase()),
                    "{}",
                    e.qid
                );
            }
            if let Some(iso3) = &e.iso3 {
                assert!(
                    iso3.len() == 3 && iso3.chars().all(|c| c.is_ascii_uppercase()),
                    "{}",
                    e.qid
                );
            }
        }
    }

    #[test]
    fn shape_errors_are_reported() {
        let o = Ontology::embedded();
        let bad = format!(
            "{HEADER}\nQ1\tState\tA\t\t\t\t\t\t\tsrc\nQ1\tState\tB\t\t\t\t\t\t\tsrc\nq2\tNope\tC\t\t\t\t\t\t\tsrc\nQ3\tState\tA\t\t\t\t\t\t\tsrc\nQ4\tPerson\tD\t\t\t\t\t\tQ3\tsrc\nQ5\tState\tE\t\t\t\t\t\tsrc\n"
        );
        let problems = Catalog::parse(&bad, o).unwrap_err().join("\n");
        assert!(problems.contains("duplicate ID Q1"), "{problems}");
        assert!(problems.contains("unknown class `Nope`"), "{problems}");
        assert!(
            problems.contains("a second State labelled `A`"),
            "{problems}"
        );
        assert!(
            problems.contains("Q4 holds Q3: only a person holds a position"),
            "{problems}"
        );
        assert!(
            problems.contains(":7: 9 columns instead of 10"),
            "{problems}"
        );
    }

    #[test]
    fn names_demonyms_and_metonyms() {
        let c = Catalog::embedded();
        let qids = |name: &str| -> Vec<(String, Match)> {
            c.lookup(name)
                .into_iter()
                .map(|(e, m)| (e.qid.clone(), m))
                .collect()
        };
        assert!(qids("Türkiye").contains(&("Q43".into(), Match::Alias)));
        assert!(qids("turkiye").contains(&("Q43".into(), Match::Alias)));
        assert!(qids("Israeli").contains(&("Q801".into(), Match::Demonym)));
        let baku = qids("Baku");
        assert!(baku.contains(&("Q9248".into(), Match::Label)));
        assert!(baku.contains(&("Q227".into(), Match::Metonym)));
        assert!(qids("Washington").contains(&("Q30".into(), Match::Metonym)));
        assert_eq!(normalize("The  Times"), "times");
    }

    #[test]
    fn names_fold_diacritics_case_and_punctuation() {
        for name in ["Erdoğan", "Erdoǧan", "ERDOGAN", "erdogan"] {
            assert_eq!(normalize(name), "erdogan", "{name}");
        }
        assert_eq!(normalize("U.S."), normalize("US"));
        assert_eq!(normalize("Al-Assad"), normalize("al Assad"));
        assert_eq!(normalize("Israel–Hamas war"), normalize("Israel-Hamas War"));
        assert_eq!(normalize("Nukuʻalofa"), "nukualofa");
        assert_eq!(normalize("Łódź"), "lodz");
        assert_eq!(normalize("Straße"), "strasse");
        // compatibility forms: a full-width letter, a ligature
        assert_eq!(normalize("ﬁnland"), "finland");
        assert_eq!(normalize("Ｉｒａｎ"), "iran");
        // still apart: names that differ in letters
        assert_ne!(normalize("Iran"), normalize("Iraq"));
    }
}
