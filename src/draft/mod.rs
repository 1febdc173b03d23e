//! `newskg draft`: from an article's raw text, the facts file a curator completes. What the text
//! shows and nothing more: its title line and byline when it has them; every entity it names
//! that the registry, the facts files given or the bundled catalog knows ([`names`]), with the
//! places it names them and a Wikidata ID only where the catalog or the corpus gives one; and
//! one fact stub per claim-bearing sentence, with its verbatim quote, the entities it names and
//! the modality its words suggest ([`cues`]), marked `draft = true` for review. A draft states no
//! claim: `newskg check` lists every stub as a to-do until the curator has stated it.

pub mod cues;
pub mod names;
mod render;

use crate::catalog::Catalog;
use crate::coverage;
use names::{Candidate, Found, How, Names};
use std::collections::BTreeSet;

pub use render::{to_json, to_toml};

/// The largest text a draft is made of, in bytes: a news article is a few tens of kilobytes.
pub const MAX_TEXT: usize = 4 * 1024 * 1024;

/// A drafted facts file.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Where the text was read from, for the header comment.
    pub source: String,
    pub id: String,
    pub title: Option<String>,
    /// Entity ids of the byline's authors.
    pub authors: Vec<String>,
    /// The `text` key: the article's path as the facts file will name it.
    pub text_path: String,
    pub entities: Vec<DraftEntity>,
    pub facts: Vec<Stub>,
    /// The title and byline lines, which state no claim: (quote, reason).
    pub no_claims: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct DraftEntity {
    pub candidate: Candidate,
    pub aliases: Vec<String>,
    pub mentions: Vec<Found>,
    pub note: String,
}

/// A fact stub: one claim-bearing sentence.
#[derive(Debug, Clone)]
pub struct Stub {
    pub id: String,
    pub quote: String,
    pub modality: &'static str,
    pub note: String,
}

/// Drafts the facts file of `text` (read from `source`; the facts file names it `text_path`),
/// finding the names of `names` and of `catalog`.
pub fn draft(
    text: &str,
    source: &str,
    id: &str,
    text_path: &str,
    mut names: Names<'_>,
    catalog: &Catalog,
) -> Draft {
    names.add_catalog_people(catalog);
    let sentences = coverage::sentences(text);
    let head = header(&sentences);
    let mut found = names.find(text, catalog);
    // the byline's names are people, whom no catalog may know
    let mut authors = Vec::new();
    if let Some(byline) = &head.byline {
        for (name, start, end) in byline_names(byline) {
            // a person the text names there already (a registry's journalist), or a new one;
            // whatever else the words name ("By Iran") gives way to the person
            let known = found
                .iter()
                .find(|f| f.start == start && f.end == end)
                .map(|f| f.candidate)
                .filter(|&c| names.is_person(c));
            let candidate = match known {
                Some(c) => c,
                None => {
                    let c = names.add(
                        Candidate {
                            id: crate::lexical::slugify(&crate::catalog::normalize(&name)),
                            class: crate::vocab::nkg::PERSON.into(),
                            label: name.clone(),
                            wikidata: None,
                            from: "the byline".into(),
                        },
                        &[],
                    );
                    if !names.is_person(c) {
                        continue; // its id is another entity's: the curator names the author
                    }
                    found.retain(|f| f.end <= start || f.start >= end);
                    found.push(Found {
                        candidate: c,
                        start,
                        end,
                        text: name,
                        how: How::Label,
                    });
                    c
                }
            };
            let id = names.candidates[candidate].id.clone();
            if !authors.contains(&id) {
                authors.push(id);
            }
        }
        found.sort_by_key(|f| f.start);
    }
    let entities = entities(&names, &found);
    let facts = stubs(&sentences, &head, &found, &names);
    // the title and the byline state no claim (a passage is quoted: it must be unique)
    let mut no_claims = Vec::new();
    for (line, reason) in [(&head.title, "the title"), (&head.byline, "the byline")] {
        if let Some(line) = line
            && text.matches(line.text.as_str()).count() == 1
        {
            no_claims.push((line.text.clone(), reason.to_string()));
        }
    }
    Draft {
        source: source.to_string(),
        id: id.to_string(),
        title: head.title.as_ref().map(|s| s.text.clone()),
        authors,
        text_path: text_path.to_string(),
        entities,
        facts,
        no_claims,
    }
}

/// The title line and the byline, when the text opens with them.
#[derive(Debug, Default)]
struct Header {
    title: Option<coverage::Sentence>,
    byline: Option<coverage::Sentence>,
}

/// A first line without a sentence's final stop, short and followed by more, is a title; a line
/// among the first three that starts with "By " is a byline.
fn header(sentences: &[coverage::Sentence]) -> Header {
    let mut head = Header::default();
    let Some(first) = sentences.first() else {
        return head;
    };
    let words = first.text.split_whitespace().count();
    let stops = first
        .text
        .trim_end_matches(['"', '”', '’', ')'])
        .ends_with(['.', '!', '?', ':', ';', ',']);
    let alone = sentences.get(1).is_some_and(|s| s.line > first.line);
    if first.line == 1 && !stops && words <= 20 && alone && !first.text.starts_with("By ") {
        head.title = Some(first.clone());
    }
    head.byline = sentences
        .iter()
        .take(3)
        .find(|s| {
            s.text.starts_with("By ")
                && s.text.split_whitespace().count() <= 12
                && sentences.iter().filter(|o| o.line == s.line).count() == 1
        })
        .cloned();
    head
}

/// The names of a byline ("By Alex Grinberg and Joseph Epstein"), with their code-point offsets.
fn byline_names(byline: &coverage::Sentence) -> Vec<(String, usize, usize)> {
    let text = byline.text.strip_prefix("By ").unwrap_or(&byline.text);
    let mut out = Vec::new();
    let mut offset = byline.start + 3;
    for part in text
        .split_inclusive([',', '&'])
        .flat_map(|p| p.split_inclusive(" and "))
    {
        let name = part
            .trim_end_matches(" and ")
            .trim_end_matches([',', '&'])
            .trim();
        let lead = part.chars().take_while(|c| c.is_whitespace()).count();
        let looks_like_a_name = !name.is_empty()
            && name.split_whitespace().count() <= 4
            && name
                .split_whitespace()
                .all(|w| w.starts_with(|c: char| c.is_uppercase()));
        if looks_like_a_name {
            let start = offset + lead;
            out.push((name.to_string(), start, start + name.chars().count()));
        }
        offset += part.chars().count();
    }
    out
}

/// The entities found, in the order of their first mention.
fn entities(names: &Names<'_>, found: &[Found]) -> Vec<DraftEntity> {
    // each candidate's mentions, candidates in the order of their first mention
    let mut order: Vec<usize> = Vec::new();
    let mut by_candidate: std::collections::HashMap<usize, Vec<Found>> =
        std::collections::HashMap::new();
    for f in found {
        let mentions = by_candidate.entry(f.candidate).or_default();
        if mentions.is_empty() {
            order.push(f.candidate);
        }
        mentions.push(f.clone());
    }
    order
        .into_iter()
        .map(|i| {
            let candidate = names.candidates[i].clone();
            let mentions = by_candidate.remove(&i).unwrap_or_default();
            let label = crate::catalog::normalize(&candidate.label);
            let mut aliases: Vec<String> = Vec::new();
            for m in &mentions {
                if m.how.is_name()
                    && crate::catalog::normalize(&m.text) != label
                    && !aliases.contains(&m.text)
                {
                    aliases.push(m.text.clone());
                }
            }
            let mut ways: Vec<String> = Vec::new();
            for m in &mentions {
                let way = format!("“{}” ({})", m.text, m.how.name());
                if !ways.contains(&way) {
                    ways.push(way);
                }
            }
            let note = format!(
                "draft: from {}, named {} {}: {}",
                candidate.from,
                mentions.len(),
                if mentions.len() == 1 { "time" } else { "times" },
                ways.join(", ")
            );
            DraftEntity {
                candidate,
                aliases,
                mentions,
                note,
            }
        })
        .collect()
}

/// One stub per claim-bearing sentence: a sentence that names an entity or has words of its
/// own (not the title or the byline).
fn stubs(
    sentences: &[coverage::Sentence],
    head: &Header,
    found: &[Found],
    names: &Names<'_>,
) -> Vec<Stub> {
    let skip: BTreeSet<usize> = [&head.title, &head.byline]
        .into_iter()
        .flatten()
        .map(|s| s.start)
        .collect();
    // a sentence written twice cannot be quoted whole (quotes are unique in the text)
    let mut written: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for s in sentences {
        *written.entry(s.text.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    for (n, s) in sentences.iter().enumerate() {
        if skip.contains(&s.start) {
            continue;
        }
        let mut named: Vec<&str> = Vec::new();
        // (found is in text order: the sentence's mentions are a run of it)
        let first = found.partition_point(|f| f.start < s.start);
        for f in found[first..]
            .iter()
            .take_while(|f| f.start < s.end)
            .filter(|f| f.end <= s.end)
        {
            let id = names.candidates[f.candidate].id.as_str();
            if !named.contains(&id) {
                named.push(id);
            }
        }
        if named.is_empty() && coverage::content_words(&s.text) < coverage::CONTENT_WORDS {
            continue;
        }
        let (modality, cue) = cues::modality(&s.text);
        let mut note = String::from("draft: ");
        if named.is_empty() {
            note.push_str("names no known entity");
        } else {
            note.push_str(&format!("names {}", named.join(", ")));
        }
        match cue {
            Some(cue) => note.push_str(&format!("; modality `{modality}` proposed from “{cue}”")),
            None => note.push_str(&format!("; no modality cue: `{modality}` proposed")),
        }
        if written[s.text.as_str()] > 1 {
            note.push_str("; the sentence occurs more than once: extend or trim the quote");
        }
        out.push(Stub {
            id: format!("s{}", n + 1),
            quote: s.text.clone(),
            modality,
            note,
        });
    }
    out
}
