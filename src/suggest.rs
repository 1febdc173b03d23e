//! "Did you mean …?": the closest known name to an unknown one.

/// The candidate closest to `input`, if one is close enough to be a likely typo: same name in
/// another case, or a small edit distance relative to the length.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = input.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let c_lower = candidate.to_lowercase();
        let distance = if c_lower == lower {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &c_lower)
        };
        // Short names get no fuzzy matches: one edit away from `a` is anything.
        let limit = input.chars().count().max(candidate.chars().count()) / 3;
        let prefix = c_lower.starts_with(&lower) && lower.chars().count() >= 3;
        if (distance <= limit || prefix) && best.is_none_or(|(d, b)| (distance, candidate) < (d, b))
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Words that say nothing of what a term means.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of",
    "on", "or", "the", "their", "to", "with",
];

/// The lowercase words of a name or a text: `alliedWith` → allied, with; `said_by` → said, by.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut last_lower = false;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            last_lower = false;
            continue;
        }
        if c.is_uppercase() && last_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        last_lower = c.is_lowercase();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A word without its common English endings, so that "allied", "allies" and "ally", or
/// "normalization" and "normalize", meet.
fn stem(word: &str) -> String {
    let w = word;
    for (suffix, with) in [
        ("ations", ""),
        ("ation", ""),
        ("ating", ""),
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ate", ""),
        ("ize", "iz"),
        ("ise", "iz"),
        ("ed", ""),
        ("es", ""),
        ("e", ""),
        ("s", ""),
    ] {
        if let Some(root) = w.strip_suffix(suffix)
            && root.chars().count() >= 3
            && !(suffix == "s" && root.ends_with('s'))
        {
            return format!("{root}{with}");
        }
    }
    w.to_string()
}

/// The stems of the words of `text` that carry meaning.
fn stems(text: &str) -> Vec<String> {
    words(text)
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| stem(w))
        .collect()
}

/// The candidates whose name, label or description uses every meaningful word of `input` (an
/// unknown term such as `Normalization` or `alliedWith`): `(name, label, description)`s in,
/// the best names out (at most three: a word of the name or label counts more than one of the
/// description), each with the text that matched.
pub fn by_meaning<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> Vec<(&'a str, &'a str)> {
    let wanted = stems(input);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &'a str, &'a str)> = Vec::new();
    for (name, label, description) in candidates {
        let named: Vec<String> = stems(name).into_iter().chain(stems(label)).collect();
        let described = stems(description);
        let mut score = 0;
        for w in &wanted {
            if named.contains(w) {
                score += 2;
            } else if described.contains(w) {
                score += 1;
            } else {
                score = 0;
                break;
            }
        }
        if score > 0 {
            let why = if wanted.iter().all(|w| named.contains(w)) {
                label
            } else {
                description
            };
            scored.push((score, name, why));
        }
    }
    let Some(best) = scored.iter().map(|(s, _, _)| *s).max() else {
        return Vec::new();
    };
    scored.retain(|(s, _, _)| *s == best);
    scored.sort_by_key(|(_, name, _)| *name);
    scored.truncate(3);
    scored.into_iter().map(|(_, n, why)| (n, why)).collect()
}

/// How many edits apart two names are, case aside.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

/// ` (did you mean `x`?)` or nothing; where the two look alike but differ in a letter from
/// another script (a Cyrillic `і` for a Latin `i`), which letter.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match closest(input, candidates) {
        Some(c) => format!("; did you mean `{c}`?{}", lookalikes(input, c)),
        None => String::new(),
    }
}

/// ` (character 1 is U+0456, not `i`)` for the characters of `input` outside ASCII where
/// `candidate` has another, when they are as long; or nothing.
fn lookalikes(input: &str, candidate: &str) -> String {
    if input.chars().count() != candidate.chars().count() {
        return String::new();
    }
    let differences: Vec<String> = input
        .chars()
        .zip(candidate.chars())
        .enumerate()
        .filter(|(_, (a, b))| a != b && !a.is_ascii())
        .map(|(i, (a, b))| format!("character {} is U+{:04X}, not `{b}`", i + 1, a as u32))
        .collect();
    if differences.is_empty() {
        String::new()
    } else {
        format!(" ({})", differences.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case() {
        let terms = ["State", "Person", "allyOf", "ArmedGroup"];
        assert_eq!(closest("Stat", terms), Some("State"));
        assert_eq!(closest("state", terms), Some("State"));
        assert_eq!(closest("alyOf", terms), Some("allyOf"));
        assert_eq!(closest("Armed", terms), Some("ArmedGroup"));
        assert_eq!(closest("Banana", terms), None);
    }

    #[test]
    fn near_synonyms_are_found_by_what_terms_mean() {
        let terms = [
            (
                "Rapprochement",
                "rapprochement",
                "A détente or normalization of relations between actors.",
            ),
            ("allyOf", "ally of", "The subject is an ally of the object."),
            (
                "hostileTo",
                "hostile to",
                "The subject is hostile to the object.",
            ),
            (
                "Visit",
                "visit",
                "A visit of an actor to a place, or to another actor.",
            ),
        ];
        assert_eq!(
            by_meaning("Normalization", terms),
            [(
                "Rapprochement",
                "A détente or normalization of relations between actors."
            )]
        );
        assert_eq!(by_meaning("alliedWith", terms), [("allyOf", "ally of")]);
        assert_eq!(by_meaning("allies", terms), [("allyOf", "ally of")]);
        assert_eq!(by_meaning("visited", terms), [("Visit", "visit")]);
        assert!(by_meaning("Banana", terms).is_empty());
        // every meaningful word must be there: "hostile" alone is not "hostile takeover"
        assert!(by_meaning("hostileTakeover", terms).is_empty());
        assert!(by_meaning("of_the", terms).is_empty());
    }

    #[test]
    fn words_and_stems() {
        assert_eq!(words("alliedWith"), ["allied", "with"]);
        assert_eq!(words("said_by"), ["said", "by"]);
        assert_eq!(words("NATO member"), ["nato", "member"]);
        assert_eq!(stem("allied"), "ally");
        assert_eq!(stem("allies"), "ally");
        assert_eq!(stem("normalization"), stem("normalize"));
        assert_eq!(stem("cooperation"), stem("cooperate"));
        assert_eq!(stem("process"), "process");
    }

    #[test]
    fn a_letter_from_another_script_is_named() {
        let hint = did_you_mean("\u{456}srael", ["israel"]);
        assert_eq!(
            hint,
            "; did you mean `israel`? (character 1 is U+0456, not `i`)"
        );
    }
}
