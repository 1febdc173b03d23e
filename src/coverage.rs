//! Coverage: which sentences of an article's text no fact cites — a curator's to-do list.
//!
//! Sentences are the text's lines, split after `.`, `!` or `?` (and a closing quote) when
//! a space and an upper-case letter or an opening quote follow, except after an abbreviation:
//! a title or month (`Mr.`, `Mt.`, `Oct.`, …) or initials (`U.S.`). A sentence is *cited* when a
//! fact's quote overlaps it, *no claim* when a `no_claims` entry of the facts file overlaps it,
//! and *uncited* otherwise. The share cited counts cited sentences among those that are not
//! marked as making no claim.

use crate::model::ValidArticle;

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

/// The coverage of one article.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub sentences: Vec<(Sentence, Status)>,
}

impl Coverage {
    /// The coverage of an article, or `None` when its text is unknown.
    pub fn of(article: &ValidArticle) -> Option<Coverage> {
        let text = article.text.as_deref()?;
        let overlaps = |s: &Sentence, start: usize, end: usize| start < s.end && s.start < end;
        let sentences = sentences(text)
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
        Some(Coverage { sentences })
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
}
