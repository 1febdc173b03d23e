//! Finding a fact's quote in the article's text: its character offsets and the context around
//! it (Web Annotation TextPositionSelector and TextQuoteSelector), or why it is not there.

use crate::model::QuotePosition;

/// Characters of context kept before and after a quote.
const CONTEXT: usize = 32;

/// Why a quote could not be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteError {
    Empty,
    NotFound { hint: String },
    Ambiguous { count: usize },
}

impl std::fmt::Display for QuoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QuoteError::Empty => write!(
                f,
                "the quote is empty; copy the article's words behind the fact"
            ),
            QuoteError::NotFound { hint } => {
                write!(f, "the quote is not in the article's text{hint}")
            }
            QuoteError::Ambiguous { count } => write!(
                f,
                "the quote occurs {count} times in the article's text; extend it until it is unique"
            ),
        }
    }
}

/// Locates `quote` in `text`: it must occur exactly once.
pub fn locate(text: &str, quote: &str) -> Result<QuotePosition, QuoteError> {
    if quote.trim().is_empty() {
        return Err(QuoteError::Empty);
    }
    let mut matches = text.match_indices(quote);
    let Some((byte_start, _)) = matches.next() else {
        return Err(QuoteError::NotFound {
            hint: hint(text, quote),
        });
    };
    let count = 1 + text.match_indices(quote).skip(1).count();
    if count > 1 {
        return Err(QuoteError::Ambiguous { count });
    }
    let byte_end = byte_start + quote.len();
    let start = text[..byte_start].chars().count();
    let end = start + quote.chars().count();
    let before: Vec<char> = text[..byte_start].chars().collect();
    let prefix: String = before[before.len().saturating_sub(CONTEXT)..]
        .iter()
        .collect();
    let suffix: String = text[byte_end..].chars().take(CONTEXT).collect();
    Ok(QuotePosition {
        start,
        end,
        prefix,
        suffix,
    })
}

/// Typographic variants people type differently from how articles print them.
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
        '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{00A0}' => ' ',
        _ => c,
    }
}

fn folded(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars().map(fold) {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

fn hint(text: &str, quote: &str) -> String {
    if folded(text).contains(&folded(quote)) {
        return "; it differs only in quotation marks, dashes or spaces: copy it from the text (the article uses ’ and —)".into();
    }
    // The longest prefix of the quote that the text has, to show where it diverges.
    let chars: Vec<char> = quote.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let prefix: String = chars[..mid].iter().collect();
        if text.contains(&prefix) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo >= 8 {
        let tail: String = chars[lo.saturating_sub(20)..lo].iter().collect();
        format!("; the text matches its first {lo} characters, up to “…{tail}”")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Azerbaijan’s government energy company, SOCAR, bought a stake. SOCAR won.";

    #[test]
    fn offsets_are_code_points() {
        let p = locate(TEXT, "government energy company").unwrap();
        assert_eq!(p.start, 13);
        assert_eq!(p.end, 13 + 25);
        assert_eq!(p.prefix, "Azerbaijan’s ");
        assert!(p.suffix.starts_with(", SOCAR"));
    }

    #[test]
    fn ambiguous_and_missing() {
        assert_eq!(
            locate(TEXT, "SOCAR"),
            Err(QuoteError::Ambiguous { count: 2 })
        );
        assert!(matches!(locate(TEXT, ""), Err(QuoteError::Empty)));
        let err = locate(TEXT, "Azerbaijan's government")
            .unwrap_err()
            .to_string();
        assert!(err.contains("quotation marks"), "{err}");
        let err = locate(TEXT, "government energy firm")
            .unwrap_err()
            .to_string();
        assert!(err.contains("first 18 characters"), "{err}");
    }
}
