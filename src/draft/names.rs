//! Finding the entities an article names: its words matched, longest first, against the names
//! of the corpus's registry, of the facts files given, and of the bundled catalog (labels,
//! aliases, demonyms such as "Turkish", capitals read as their state, people by their surname).
//! A name that two entities share names neither: a draft proposes no id it cannot tell apart.

use crate::catalog::{self, Catalog, Match};
use crate::ontology::Ontology;
use crate::vocab::nkg;
use std::collections::HashMap;

/// The longest name tried, in words ("Islamic Revolutionary Guard Corps Quds Force").
const MAX_WORDS: usize = 8;

/// An entity a draft may propose.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    /// The ontology class's IRI.
    pub class: String,
    pub label: String,
    pub wikidata: Option<String>,
    /// Where it comes from: "the registry", a facts file's name, or "the catalog".
    pub from: String,
}

/// How a mention matched its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Label,
    Alias,
    Demonym,
    /// A state's adjective and a title: "Turkish President" for the President of Turkey.
    Title,
    /// A person's last name alone.
    Surname,
}

impl How {
    pub fn name(self) -> &'static str {
        match self {
            How::Label => "label",
            How::Alias => "alias",
            How::Demonym => "demonym",
            How::Title => "title",
            How::Surname => "surname",
        }
    }

    /// Whether the mention's words are a name of the entity (an alias when they differ from
    /// the label), rather than an adjective or a part of its name.
    pub fn is_name(self) -> bool {
        matches!(self, How::Label | How::Alias | How::Title)
    }
}

/// A place where the text names a candidate.
#[derive(Debug, Clone)]
pub struct Found {
    pub candidate: usize,
    /// Code-point offsets.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub how: How,
}

/// The names to look for.
#[derive(Debug)]
pub struct Names<'o> {
    /// What the classes are (a person, a state, a position).
    ontology: &'o Ontology,
    pub candidates: Vec<Candidate>,
    /// normalized name → (candidate, how): the registry's and the files' names
    names: HashMap<String, Vec<(usize, How)>>,
}

impl<'o> Names<'o> {
    pub fn new(ontology: &'o Ontology) -> Self {
        Names {
            ontology,
            candidates: Vec::new(),
            names: HashMap::new(),
        }
    }

    /// Whether `class` (an IRI) is `of` or below it.
    fn is(&self, class: &str, of: &str) -> bool {
        self.ontology.is_subclass_of(class, of)
    }

    /// Whether the candidate is a person.
    pub fn is_person(&self, candidate: usize) -> bool {
        self.is(&self.candidates[candidate].class, nkg::PERSON)
    }

    /// Adds an entity the corpus describes (the registry, or a facts file given), with its
    /// names; an entity of the same id or Wikidata ID is added once.
    /// Returns its index: that of the one added before, if any.
    pub fn add(&mut self, candidate: Candidate, aliases: &[String]) -> usize {
        let known = self.candidates.iter().position(|c| {
            c.id == candidate.id || (c.wikidata.is_some() && c.wikidata == candidate.wikidata)
        });
        if let Some(i) = known {
            return i;
        }
        let i = self.candidates.len();
        let person = self.is(&candidate.class, nkg::PERSON);
        let mut add = |name: &str, how: How| {
            let key = catalog::normalize(name);
            if !key.is_empty() {
                let entry = self.names.entry(key).or_default();
                if !entry.iter().any(|(c, _)| *c == i) {
                    entry.push((i, how));
                }
            }
        };
        add(&candidate.label, How::Label);
        for a in aliases {
            add(a, How::Alias);
        }
        if person
            && let Some(last) = candidate.label.split_whitespace().last()
            && last.chars().count() >= 3
            && last != candidate.label
        {
            add(last, How::Surname);
        }
        self.candidates.push(candidate);
        i
    }

    /// Adds the people of the catalog, so that their surnames are found too ("Erdoğan" for
    /// Recep Tayyip Erdoğan); one the corpus describes already is not added again.
    pub fn add_catalog_people(&mut self, catalog: &Catalog) {
        for e in catalog.entries() {
            if self.is(&e.class, nkg::PERSON) {
                let candidate = Candidate {
                    id: crate::lexical::slugify(&catalog::normalize(&e.label)),
                    class: e.class.clone(),
                    label: e.label.clone(),
                    wikidata: Some(e.qid.clone()),
                    from: "the catalog".into(),
                };
                self.add(candidate, &e.aliases);
            }
        }
    }

    /// The candidate the catalog item `qid` is: one already added with that Wikidata ID, or a
    /// new one under an id made of its label.
    fn catalog_candidate(&mut self, entry: &catalog::Entry) -> usize {
        if let Some(i) = self
            .candidates
            .iter()
            .position(|c| c.wikidata.as_deref() == Some(entry.qid.as_str()))
        {
            return i;
        }
        let mut id = crate::lexical::slugify(&catalog::normalize(&entry.label));
        if self.candidates.iter().any(|c| c.id == id) {
            id = format!("{id}-{}", entry.qid.to_lowercase());
        }
        self.candidates.push(Candidate {
            id,
            class: entry.class.clone(),
            label: entry.label.clone(),
            wikidata: Some(entry.qid.clone()),
            from: "the catalog".into(),
        });
        self.candidates.len() - 1
    }

    /// Every name of `text` this knows, longest first, none overlapping another, in text order.
    pub fn find(&mut self, text: &str, catalog: &Catalog) -> Vec<Found> {
        let chars: Vec<char> = text.chars().collect();
        let words = words(&chars);
        // a name starts with the first word of a known name (or "Mt." of "Mount"): the other
        // words of a text are passed at once, so that a draft takes time in proportion to it
        let mut starts: std::collections::HashSet<String> = catalog
            .names()
            .chain(self.names.keys().map(String::as_str))
            .filter_map(|n| n.split(' ').next())
            .map(str::to_string)
            .collect();
        starts.extend(
            ABBREVIATIONS
                .iter()
                .map(|(short, _)| catalog::normalize(short)),
        );
        let mut found = Vec::new();
        let mut i = 0;
        'words: while i < words.len() {
            let word: String = chars[words[i].0..words[i].1].iter().collect();
            let key = catalog::normalize(&word);
            if !starts.contains(key.split(' ').next().unwrap_or_default()) {
                i += 1;
                continue;
            }
            // a name's article is not its name: "the United States" is named by "United States"
            let first: String = chars[words[i].0..words[i].1].iter().collect();
            if first.eq_ignore_ascii_case("the") {
                i += 1;
                continue;
            }
            for n in (1..=MAX_WORDS.min(words.len() - i)).rev() {
                let (start, end) = (words[i].0, words[i + n - 1].1);
                // a name is written with a capital, or as the corpus writes it
                let written: String = chars[start..end].iter().collect();
                if let Some((candidate, how)) = self.lookup(&written, catalog) {
                    if inside_a_longer_name(&chars, &words, i) {
                        // "The Times of Israel", "Bank of Israel": not Israel
                        i += n;
                        continue 'words;
                    }
                    found.push(Found {
                        candidate,
                        start,
                        end,
                        text: written,
                        how,
                    });
                    i += n;
                    continue 'words;
                }
            }
            // "President Donald Trump": the title names the position the person holds
            if let Some((candidate, n)) = self.title_of_holder(&chars, &words, i, catalog) {
                let (start, end) = (words[i].0, words[i + n - 1].1);
                found.push(Found {
                    candidate,
                    start,
                    end,
                    text: chars[start..end].iter().collect(),
                    how: How::Title,
                });
                i += n;
                continue;
            }
            i += 1;
        }
        found
    }

    /// The position a title at word `i` names when a person the catalog says holds it follows
    /// ("President Donald Trump", "Prime Minister Benjamin Netanyahu"): the candidate, and the
    /// title's length in words. Only a position whose label is the title, then "of", is read so.
    fn title_of_holder(
        &mut self,
        chars: &[char],
        words: &[(usize, usize)],
        i: usize,
        catalog: &Catalog,
    ) -> Option<(usize, usize)> {
        let word = |k: usize| -> String { chars[words[k].0..words[k].1].iter().collect() };
        for t in 1..=3.min(words.len().saturating_sub(i + 1)) {
            if !(i..i + t).all(|k| word(k).starts_with(|c: char| c.is_uppercase())) {
                return None;
            }
            let title: String = chars[words[i].0..words[i + t - 1].1].iter().collect();
            let prefix = format!("{} of ", catalog::normalize(&title));
            // the person: the longest name that follows, and only what is between is a space
            let after = i + t;
            if !chars[words[after - 1].1..words[after].0]
                .iter()
                .all(|c| *c == ' ')
            {
                return None;
            }
            let person = (1..=MAX_WORDS.min(words.len() - after))
                .rev()
                .find_map(|n| {
                    let written: String = chars[words[after].0..words[after + n - 1].1]
                        .iter()
                        .collect();
                    let names = self.names.get(&catalog::normalize(&written))?;
                    match names.as_slice() {
                        [(c, _)] if self.is_person(*c) => Some(*c),
                        _ => None,
                    }
                });
            let Some(person) = person else {
                continue;
            };
            let holder = self.candidates[person]
                .wikidata
                .as_deref()
                .and_then(|q| catalog.get(q))?;
            let held: Vec<&catalog::Entry> = holder
                .holds
                .iter()
                .filter_map(|q| catalog.get(q))
                .filter(|p| catalog::normalize(&p.label).starts_with(&prefix))
                .collect();
            if let [position] = held.as_slice() {
                return Some((self.catalog_candidate(position), t));
            }
        }
        None
    }

    /// The one candidate `written` names, if exactly one.
    fn lookup(&mut self, written: &str, catalog: &Catalog) -> Option<(usize, How)> {
        let capital = written.starts_with(|c: char| c.is_uppercase());
        let key = catalog::normalize(written);
        if let Some(hits) = self.names.get(&key) {
            // the corpus's names, as written there: a lower-case alias ("the Jewish state")
            // matches in lower case; a capitalized one only with its capital
            let hits: Vec<(usize, How)> = hits
                .iter()
                .copied()
                .filter(|(c, _)| capital || !self.starts_upper(*c, &key))
                .collect();
            return match hits.as_slice() {
                [one] => Some(*one),
                _ => None,
            };
        }
        // a catalog name: written with a capital, or of three words or more ("the fall of the
        // Assad regime")
        if !capital && key.split(' ').count() < 3 {
            return None;
        }
        let expanded = expand(written);
        let hits = catalog.lookup(&expanded);
        // a capital names its city; the catalog's reading of it as its state (metonymy) is
        // the curator's to make
        let mut hits: Vec<_> = hits.iter().filter(|(_, m)| *m != Match::Metonym).collect();
        // one item by two of its names ("Yaoundé", "Yaounde") is one item, by the better name
        hits.sort_by(|a, b| (&a.0.qid, a.1).cmp(&(&b.0.qid, b.1)));
        hits.dedup_by(|a, b| a.0.qid == b.0.qid);
        match hits.as_slice() {
            // an acronym ("WHO", "US") only as an acronym, not the word ("Who", "Us")
            [(entry, _)] if !same_acronym(entry, &catalog::normalize(&expanded), written) => None,
            [(entry, how)] => {
                let how = match how {
                    Match::Label => How::Label,
                    Match::Demonym => How::Demonym,
                    _ => How::Alias,
                };
                Some((self.catalog_candidate(entry), how))
            }
            [] if capital => self
                .title(written, catalog)
                .map(|entry| (self.catalog_candidate(entry), How::Title)),
            _ => None,
        }
    }

    /// The position "Turkish President" names: a state's demonym, then a title that the
    /// catalog knows as "President of Turkey" (the state by its label or an alias).
    fn title<'c>(&self, written: &str, catalog: &'c Catalog) -> Option<&'c catalog::Entry> {
        // "Syria’s new president": the state's name, its possessive, a word such as "new", the
        // title; else "Turkish President": the state's adjective, the title
        let possessive = written
            .split_once("’s ")
            .or_else(|| written.split_once("'s "))
            .map(|(state, rest)| {
                let rest = ["new ", "former ", "current ", "acting ", "interim "]
                    .iter()
                    .find_map(|w| rest.strip_prefix(w))
                    .unwrap_or(rest);
                (state, rest, Match::Label)
            });
        let (state, title, how) = match possessive {
            Some(p) => p,
            None => {
                let (adjective, title) = written.split_once(' ')?;
                (adjective, title, Match::Demonym)
            }
        };
        let title = title.trim();
        if title.is_empty() || title.split(' ').count() > 3 {
            return None;
        }
        let states: Vec<&catalog::Entry> = catalog
            .lookup(state)
            .into_iter()
            .filter(|(e, m)| {
                (*m == how || how == Match::Label && *m == Match::Alias)
                    && self.is(&e.class, nkg::STATE)
            })
            .map(|(e, _)| e)
            .collect();
        let [state] = states.as_slice() else {
            return None;
        };
        let mut found: Vec<&catalog::Entry> = Vec::new();
        for name in std::iter::once(&state.label).chain(&state.aliases) {
            for form in [
                format!("{title} of {name}"),
                format!("{title} of the {name}"),
            ] {
                for (e, m) in catalog.lookup(&form) {
                    if m != Match::Metonym
                        && self.is(&e.class, nkg::POSITION)
                        && !found.iter().any(|f| f.qid == e.qid)
                    {
                        found.push(e);
                    }
                }
            }
        }
        match found.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Whether the candidate's names that normalize to `key` start with a capital.
    fn starts_upper(&self, candidate: usize, key: &str) -> bool {
        let c = &self.candidates[candidate];
        catalog::normalize(&c.label) != key || c.label.starts_with(|ch: char| ch.is_uppercase())
    }
}

/// Whether the name at word `i` ends a longer proper name the catalog does not know: it follows
/// "of" after a capitalized word that does not start its sentence ("The Times of Israel", "the
/// Bank of Israel", "the Gulf of Oman"; not "Citizens of Iran" at a sentence's start).
fn inside_a_longer_name(chars: &[char], words: &[(usize, usize)], i: usize) -> bool {
    if i < 2 {
        return false;
    }
    let word = |k: usize| -> String { chars[words[k].0..words[k].1].iter().collect() };
    if word(i - 1) != "of" || !word(i - 2).starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    // what comes before the capitalized word: a sentence's end (or nothing) makes it an
    // ordinary first word
    let before = chars[..words[i - 2].0]
        .iter()
        .rev()
        .find(|c| !c.is_whitespace() && !matches!(c, '“' | '"' | '‘' | '('));
    !matches!(before, None | Some('.' | '!' | '?' | '\n'))
}

/// The abbreviations a name may start with, and what they stand for: "Mt. Hermon", and the
/// months of a date that names an event ("the Oct. 7 war").
const ABBREVIATIONS: [(&str, &str); 10] = [
    ("Mt. ", "Mount "),
    ("Jan. ", "January "),
    ("Feb. ", "February "),
    ("Aug. ", "August "),
    ("Sept. ", "September "),
    ("Sep. ", "September "),
    ("Oct. ", "October "),
    ("Nov. ", "November "),
    ("Dec. ", "December "),
    ("Apr. ", "April "),
];

/// `written` with its first word spelled out as names are in the catalog ("Mt. Hermon" →
/// "Mount Hermon"; "Oct. 7 war" → "October 7 war", a month only before a day).
fn expand(written: &str) -> String {
    for (short, long) in ABBREVIATIONS {
        if let Some(rest) = written.strip_prefix(short)
            && (short == "Mt. " || rest.starts_with(|c: char| c.is_ascii_digit()))
        {
            return format!("{long}{rest}");
        }
    }
    written.to_string()
}

/// Whether `written` is written as the entry's name it matched (`key`, normalized) when that
/// name is an acronym (all capitals); true for any other name.
fn same_acronym(entry: &catalog::Entry, key: &str, written: &str) -> bool {
    let matching: Vec<&String> = std::iter::once(&entry.label)
        .chain(&entry.aliases)
        .chain(&entry.demonyms)
        .filter(|n| catalog::normalize(n) == key)
        .collect();
    let acronym = |n: &str| {
        n.chars().any(char::is_alphabetic)
            && n.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    };
    matching.iter().any(|n| n.as_str() == written) || matching.iter().any(|n| !acronym(n))
}

/// The words of a text: (start, end) code-point offsets of each run of letters and digits, with
/// the hyphens inside it ("Al-Qaeda") and the dots of initials ("U.S.").
fn words(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        // letters since the last dot: initials have one
        let mut segment = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_alphanumeric() {
                segment += 1;
                i += 1;
            } else if (c == '-' && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()))
                || (c == '.' && segment == 1 && chars[i - 1].is_uppercase())
            {
                segment = 0;
                i += 1;
            } else {
                break;
            }
        }
        out.push((start, i));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        words(&chars)
            .into_iter()
            .map(|(s, e)| chars[s..e].iter().collect())
            .collect()
    }

    #[test]
    fn words_keep_initials_and_hyphens() {
        assert_eq!(
            spans("The U.S. and Al-Qaeda — Israel’s ally. Mr. Aliyev."),
            [
                "The", "U.S.", "and", "Al-Qaeda", "Israel", "s", "ally", "Mr", "Aliyev"
            ]
        );
    }

    #[test]
    fn names_are_found_longest_first_and_never_when_ambiguous() {
        let (catalog, ontology) = (Catalog::embedded(), Ontology::embedded());
        let mut names = Names::new(ontology);
        let text = "The United States and Turkish officials met in Baku; Turkish President Erdoğan spoke. Who knows? Syria’s new president did, The Times of Israel reported. Citizens of Iran cheered.";
        let found = names.find(text, catalog);
        let got: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|f| {
                let c = &names.candidates[f.candidate];
                (f.text.as_str(), c.id.as_str(), f.how.name())
            })
            .collect();
        assert!(
            got.contains(&("United States", "united-states-of-america", "alias")),
            "{got:?}"
        );
        assert!(got.contains(&("Turkish", "turkey", "demonym")), "{got:?}");
        // a capital is its city: reading it as its state is the curator's call
        assert!(got.contains(&("Baku", "baku", "label")), "{got:?}");
        assert!(
            got.contains(&("Turkish President", "president-of-turkey", "title")),
            "{got:?}"
        );
        // "States" alone is not a second name: the longest match took it
        assert_eq!(got.iter().filter(|g| g.0.contains("States")).count(), 1);
        assert!(
            got.contains(&("Syria’s new president", "president-of-syria", "title")),
            "{got:?}"
        );
        // Israel in a newspaper's name is not Israel; Iran after a sentence's first word is Iran
        assert!(!got.iter().any(|g| g.0 == "Israel"), "{got:?}");
        assert!(got.contains(&("Iran", "iran", "label")), "{got:?}");
        // "Who" is not the WHO
        assert!(!got.iter().any(|g| g.0 == "Who"), "{got:?}");
        // the corpus's own names, and a surname
        let mut names = Names::new(ontology);
        names.add(
            Candidate {
                id: "erdogan".into(),
                class: nkg::PERSON.into(),
                label: "Recep Tayyip Erdoğan".into(),
                wikidata: None,
                from: "the registry".into(),
            },
            &[],
        );
        let found = names.find(text, catalog);
        assert!(
            found.iter().any(|f| f.text == "Erdoğan"
                && f.how == How::Surname
                && names.candidates[f.candidate].id == "erdogan"),
            "{found:?}"
        );
    }
}
