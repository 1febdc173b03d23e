//! Coverage: which sentences of an article's text no fact cites, and which parts of the cited
//! ones no quote covers — a curator's to-do list.
//!
//! Sentences are the text's lines, split after `.`, `!` or `?` (and a closing quote) when
//! a space and an upper-case letter or an opening quote follow, except after an abbreviation:
//! a title or month (`Mr.`, `Mt.`, `Oct.`, …) or initials (`U.S.`). A sentence is *cited* when a
//! fact's quote overlaps it, *no claim* when a `no_claims` entry of the facts file overlaps it,
//! and *uncited* otherwise. The share cited counts cited sentences among those that are not
//! marked as making no claim.
//!
//! A cited sentence may still hold a claim no fact states: its **uncited parts**. The rule: the
//! characters of the sentence that no quote, no `no_claims` passage, and no time or attribution
//! of a fact citing it covers, are cut into clauses at `,` `;` `:` `—` `–` `(` `)` and quotation
//! marks; a clause with at least [`CONTENT_WORDS`] content words (words of three letters or more
//! that are not function words: "the", "which", "has", …) is an uncited part.

use crate::model::{QualifierValue, ValidArticle};

/// How many content words make a clause that no quote covers an uncited part.
pub const CONTENT_WORDS: usize = 3;

/// Function words: they make no claim of their own.
const FUNCTION_WORDS: &[&str] = &[
    "about", "above", "after", "again", "against", "all", "also", "although", "among", "and",
    "another", "any", "are", "around", "because", "been", "before", "being", "both", "but", "can",
    "could", "did", "does", "done", "down", "during", "each", "either", "even", "ever", "every",
    "for", "from", "had", "has", "have", "having", "her", "hers", "him", "his", "how", "however",
    "into", "its", "itself", "just", "least", "less", "many", "may", "might", "more", "most",
    "much", "must", "neither", "nor", "not", "now", "off", "once", "one", "only", "onto", "other",
    "others", "our", "ours", "out", "over", "own", "per", "rather", "same", "shall", "she",
    "should", "since", "some", "such", "than", "that", "the", "their", "theirs", "them", "then",
    "there", "these", "they", "this", "those", "though", "through", "thus", "too", "under",
    "until", "upon", "very", "was", "were", "what", "when", "where", "whether", "which", "while",
    "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you",
    "your",
];

/// Words that end with a dot without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Mt", "Gen", "Col", "Lt", "Sgt", "Capt", "Gov", "Sen",
    "Rep", "Pres", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "No", "vs", "etc", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr",
];

/// A sentence of the text, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Offsets in Unicode code points, as quotes' offsets are.
    pub start: usize,
    pub end: usize,
    /// 1-based line and column in the text file.
    pub line: usize,
    pub column: usize,
    pub text: String,
}

fn is_abbreviation(word: &str) -> bool {
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let initials = !word.is_empty()
        && word
            .split('.')
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().count() == 1)
        && word.contains('.');
    initials || ABBREVIATIONS.contains(&word.trim_end_matches('.'))
}

/// Splits `text` into sentences.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut offset = 0; // code points before the current line
    for (line_index, line) in text.split('\n').enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        let mut i = 0;
        let push = |from: usize, to: usize, out: &mut Vec<Sentence>| {
            let lead = chars[from..to]
                .iter()
                .take_while(|c| c.is_whitespace())
                .count();
            let trail = chars[from..to]
                .iter()
                .rev()
                .take_while(|c| c.is_whitespace())
                .count();
            let (from, to) = (from + lead, to.saturating_sub(trail).max(from + lead));
            if from < to {
                out.push(Sentence {
                    start: offset + from,
                    end: offset + to,
                    line: line_index + 1,
                    column: from + 1,
                    text: chars[from..to].iter().collect(),
                });
            }
        };
        while i < chars.len() {
            if matches!(chars[i], '.' | '!' | '?') {
                let mut end = i + 1;
                while end < chars.len() && matches!(chars[end], '”' | '"' | '’' | '\'' | ')') {
                    end += 1;
                }
                let next = chars[end..].iter().position(|c| !c.is_whitespace());
                let breaks = match next {
                    Some(n) if n > 0 => {
                        let c = chars[end + n];
                        c.is_uppercase() || matches!(c, '“' | '"' | '‘')
                    }
                    _ => false,
                };
                let word: String = chars[start..=i]
                    .iter()
                    .rev()
                    .take_while(|c| !c.is_whitespace())
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if breaks && !(chars[i] == '.' && is_abbreviation(&word)) {
                    push(start, end, &mut out);
                    start = end;
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        push(start, chars.len(), &mut out);
        offset += chars.len() + 1;
    }
    out
}

/// What the facts file says of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The ids of the facts whose quotes overlap it.
    Cited(Vec<String>),
    /// The reason given in `no_claims`.
    NoClaim(String),
    Uncited,
}

/// A part of a cited sentence that no quote covers and that holds content words: a clause of a
/// claim no fact states, probably.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncitedPart {
    /// Offsets in Unicode code points.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub text: String,
}

/// The coverage of one article.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub sentences: Vec<(Sentence, Status)>,
    /// The uncited parts of the cited sentences, in text order.
    pub parts: Vec<UncitedPart>,
}

/// Where `needle` occurs in `haystack`, letter case aside: code-point offsets.
fn find_ignoring_case(haystack: &str, needle: &str) -> Vec<usize> {
    let h: Vec<char> = haystack.chars().collect();
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || n.len() > h.len() {
        return Vec::new();
    }
    let same = |a: &char, b: &char| a == b || a.to_lowercase().eq(b.to_lowercase());
    (0..=h.len() - n.len())
        .filter(|&i| h[i..i + n.len()].iter().zip(&n).all(|(a, b)| same(a, b)))
        .collect()
}

/// How many content words `text` has (see [`CONTENT_WORDS`]).
pub fn content_words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'' && c != '-')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .filter(|w| !FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
        .count()
}

/// The uncited parts of a cited sentence: `covered` marks, per code point of the sentence,
/// what quotes (and the times and sources of the facts citing it) cover.
fn uncited_parts(s: &Sentence, covered: &[bool]) -> Vec<UncitedPart> {
    let chars: Vec<char> = s.text.chars().collect();
    let mut parts = Vec::new();
    let mut from = None;
    let boundary = |c: char| {
        matches!(
            c,
            ',' | ';' | ':' | '—' | '–' | '(' | ')' | '“' | '”' | '"' | '.' | '!' | '?'
        )
    };
    for i in 0..=chars.len() {
        let open = i < chars.len() && !covered[i] && !boundary(chars[i]);
        match (open, from) {
            (true, None) => from = Some(i),
            (false, Some(f)) => {
                let text: String = chars[f..i].iter().collect();
                let lead = text.chars().take_while(|c| c.is_whitespace()).count();
                let trimmed = text.trim();
                if content_words(trimmed) >= CONTENT_WORDS {
                    parts.push(UncitedPart {
                        start: s.start + f + lead,
                        end: s.start + f + lead + trimmed.chars().count(),
                        line: s.line,
                        column: s.column + f + lead,
                        text: trimmed.to_string(),
                    });
                }
                from = None;
            }
            _ => {}
        }
    }
    parts
}

impl Coverage {
    /// The coverage of an article, or `None` when its text is unknown.
    pub fn of(article: &ValidArticle) -> Option<Coverage> {
        let text = article.text.as_deref()?;
        let overlaps = |s: &Sentence, start: usize, end: usize| start < s.end && s.start < end;
        let sentences: Vec<(Sentence, Status)> = sentences(text)
            .into_iter()
            .map(|s| {
                let cited: Vec<String> = article
                    .facts
                    .iter()
                    .filter(|f| {
                        f.position
                            .as_ref()
                            .is_some_and(|p| overlaps(&s, p.start, p.end))
                    })
                    .map(|f| f.id.clone())
                    .collect();
                let status = if !cited.is_empty() {
                    Status::Cited(cited)
                } else if let Some(passage) = article.no_claims.iter().find(|n| {
                    n.position
                        .as_ref()
                        .is_some_and(|p| overlaps(&s, p.start, p.end))
                }) {
                    Status::NoClaim(passage.reason.clone())
                } else {
                    Status::Uncited
                };
                (s, status)
            })
            .collect();
        // What covers each cited sentence: quotes, no-claim passages, and the times and
        // unnamed sources (as written) of the facts citing it.
        let mut parts = Vec::new();
        for (s, status) in &sentences {
            let Status::Cited(ids) = status else { continue };
            let len = s.end - s.start;
            let mut covered = vec![false; len];
            let mut cover = |start: usize, end: usize| {
                for c in covered
                    .iter_mut()
                    .take(end.min(s.end).saturating_sub(s.start))
                    .skip(start.saturating_sub(s.start))
                {
                    *c = true;
                }
            };
            for f in &article.facts {
                if let Some(p) = &f.position {
                    cover(p.start, p.end);
                }
            }
            for n in &article.no_claims {
                if let Some(p) = &n.position {
                    cover(p.start, p.end);
                }
            }
            let entities = &article.entities;
            let names = move |id: &'_ String| {
                let id = id.clone();
                entities
                    .iter()
                    .filter(move |e| e.id == id)
                    .flat_map(|e| std::iter::once(&e.label).chain(&e.aliases))
                    .map(String::as_str)
            };
            for f in article.facts.iter().filter(|f| ids.contains(&f.id)) {
                let written = [
                    f.time_text.as_deref(),
                    f.attribution.as_deref(),
                    f.since.as_ref().map(|(t, _)| t.as_str()),
                    f.until.as_ref().map(|(t, _)| t.as_str()),
                ]
                .into_iter()
                .flatten()
                .chain(f.qualifiers.iter().filter_map(|(_, v)| match v {
                    QualifierValue::Text(t) => Some(t.as_str()),
                    QualifierValue::Entity(_) => None,
                }))
                .chain(f.said_by.iter().chain(&f.citing).flat_map(names));
                for w in written {
                    for start in find_ignoring_case(&s.text, w) {
                        cover(s.start + start, s.start + start + w.chars().count());
                    }
                }
            }
            parts.extend(uncited_parts(s, &covered));
        }
        Some(Coverage { sentences, parts })
    }

    pub fn count(&self, pick: fn(&Status) -> bool) -> usize {
        self.sentences.iter().filter(|(_, s)| pick(s)).count()
    }

    pub fn cited(&self) -> usize {
        self.count(|s| matches!(s, Status::Cited(_)))
    }

    pub fn no_claim(&self) -> usize {
        self.count(|s| matches!(s, Status::NoClaim(_)))
    }

    pub fn uncited(&self) -> usize {
        self.count(|s| matches!(s, Status::Uncited))
    }

    /// Uncited sentences and uncited parts of cited ones: what is left to curate.
    pub fn to_do(&self) -> usize {
        self.uncited() + self.parts.len()
    }

    /// Cited sentences among those that may state something, in percent.
    pub fn share(&self) -> f64 {
        let claim_bearing = self.cited() + self.uncited();
        if claim_bearing == 0 {
            100.0
        } else {
            100.0 * self.cited() as f64 / claim_bearing as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<String> {
        sentences(t).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn splits_after_sentences_not_abbreviations() {
        assert_eq!(
            texts(
                "In March, U.S. Special Envoy Steve Witkoff flew to Baku. He met Mr. Aliyev on Oct. 7, 2023. Done!"
            ),
            [
                "In March, U.S. Special Envoy Steve Witkoff flew to Baku.",
                "He met Mr. Aliyev on Oct. 7, 2023.",
                "Done!"
            ]
        );
        assert_eq!(
            texts("He said “it is over.” Then he left.\n\nAziz Karimov/Getty Images"),
            [
                "He said “it is over.”",
                "Then he left.",
                "Aziz Karimov/Getty Images"
            ]
        );
    }

    #[test]
    fn places_are_code_points_and_lines() {
        let s = sentences("Ab’c. De.\nFg.");
        assert_eq!((s[1].start, s[1].end, s[1].line, s[1].column), (6, 9, 1, 7));
        assert_eq!((s[2].start, s[2].line, s[2].column), (10, 2, 1));
    }

    #[test]
    fn content_words_leave_out_function_words_and_short_ones() {
        assert_eq!(content_words("and the of it"), 0);
        assert_eq!(content_words("Ankara recalled its ambassador"), 3);
        assert_eq!(content_words("such as"), 0);
        assert_eq!(
            find_ignoring_case("The addition, the ADDITION", "the addition"),
            [0, 14]
        );
    }
}
