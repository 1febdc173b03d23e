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

/// `s` with [`fold`] applied and each run of white space made one space; each folded character
/// with the original characters it stands for.
fn folded(s: &str) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(s.len());
    // (byte offset in `out`, the original characters)
    let mut from: Vec<(usize, String)> = Vec::new();
    let mut last_space = false;
    for c in s.chars() {
        let f = fold(c);
        if f.is_whitespace() {
            if last_space {
                if let Some((_, original)) = from.last_mut() {
                    original.push(c);
                }
                continue;
            }
            from.push((out.len(), c.to_string()));
            out.push(' ');
            last_space = true;
        } else {
            from.push((out.len(), c.to_string()));
            out.push(f);
            last_space = false;
        }
    }
    (out, from)
}

/// How a reader sees `s`, a run of the text's or the quote's characters: the characters with
/// their code points, or what a run of white space is.
fn shown(s: &str) -> String {
    if s.chars().all(char::is_whitespace) {
        let n = s.chars().count();
        return match s {
            " " => String::from("a space"),
            "\u{00A0}" => String::from("a no-break space (U+00A0)"),
            "\t" => String::from("a tab"),
            _ if s.contains('\n') => String::from("a line break"),
            _ if s.chars().all(|c| c == ' ') => format!("{n} spaces"),
            _ => format!("{n} white-space characters"),
        };
    }
    let codes: Vec<String> = s.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
    format!("{s} ({})", codes.join(" "))
}

/// What the quote has where the text at `text`'s first match of the folded quote has other
/// quotation marks, dashes or spaces: `None` when the folded quote is not in the folded text.
fn typographic_differences(text: &str, quote: &str) -> Option<String> {
    let (text_folded, text_from) = folded(text);
    let (quote_folded, quote_from) = folded(quote);
    let at = text_folded.find(&quote_folded)?;
    let first = text_from.partition_point(|(byte, _)| *byte < at);
    // each difference once, in the quote's order, with how many times it occurs
    let mut differences: Vec<(String, String, usize)> = Vec::new();
    for (k, (_, wrote)) in quote_from.iter().enumerate() {
        let has = text_from
            .get(first + k)
            .map(|(_, c)| c.as_str())
            .unwrap_or_default();
        if has == wrote {
            continue;
        }
        match differences
            .iter_mut()
            .find(|(w, h, _)| w == wrote && h == has)
        {
            Some((_, _, n)) => *n += 1,
            None => differences.push((wrote.clone(), has.to_string(), 1)),
        }
    }
    let start: usize = text_from[..first]
        .iter()
        .map(|(_, c)| c.chars().count())
        .sum();
    let listed: Vec<String> = differences
        .iter()
        .map(|(wrote, has, n)| {
            let times = if *n > 1 {
                format!(" ({n} times)")
            } else {
                String::new()
            };
            format!("{} where the quote has {}{times}", shown(has), shown(wrote))
        })
        .collect();
    Some(format!(
        "; it differs only in quotation marks, dashes or spaces: at offset {start} of the text the article has {}; copy the quote from the text",
        listed.join(", and ")
    ))
}

fn hint(text: &str, quote: &str) -> String {
    if let Some(differences) = typographic_differences(text, quote) {
        return differences;
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
        assert!(
            err.contains(
                "at offset 0 of the text the article has ’ (U+2019) where the quote has ' (U+0027)"
            ),
            "{err}"
        );
        let err = locate(TEXT, "government energy firm")
            .unwrap_err()
            .to_string();
        assert!(err.contains("first 18 characters"), "{err}");
    }

    #[test]
    fn the_hint_says_what_the_text_has_at_that_place() {
        // straight quotes in the text, curly ones in the quote: the hint says so, not "’ and —"
        let text = "He said \"no\" - twice.\nThen  he left.";
        let err = locate(text, "said “no” — twice. Then he")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the article has \" (U+0022) where the quote has “ (U+201C)"),
            "{err}"
        );
        assert!(
            err.contains("\" (U+0022) where the quote has ” (U+201D)"),
            "{err}"
        );
        assert!(
            err.contains("a line break where the quote has a space"),
            "{err}"
        );
        assert!(err.contains("at offset 3 of the text"), "{err}");
        assert!(
            err.contains("- (U+002D) where the quote has — (U+2014)"),
            "{err}"
        );
        assert!(!err.contains("’"), "{err}");
        // a run of spaces, and the same difference twice
        let text = "one  two  three – four – five";
        let err = locate(text, "one two three - four - five")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("2 spaces where the quote has a space (2 times)"),
            "{err}"
        );
        assert!(
            err.contains("– (U+2013) where the quote has - (U+002D) (2 times)"),
            "{err}"
        );
    }
}
