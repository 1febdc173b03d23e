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
    fn a_letter_from_another_script_is_named() {
        let hint = did_you_mean("\u{456}srael", ["israel"]);
        assert_eq!(
            hint,
            "; did you mean `israel`? (character 1 is U+0456, not `i`)"
        );
    }
}
