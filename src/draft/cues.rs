//! The modality a sentence's words suggest: "said" and "according to" a report, "may" and
//! "possibly" a hedge, "set to" and "plans to" a plan, "will" and "expected to" a prediction,
//! "would" and "if" a condition, "denied" a denial. A proposal for the curator, who reads the
//! sentence: the strongest cue wins, in that order reversed (a denial over a report, a report
//! over what it reports).

/// (cue, modality), strongest first; a cue is matched as whole words, in any case.
const CUES: &[(&str, &str)] = &[
    ("denied", "denied"),
    ("denies", "denied"),
    ("rejected reports", "denied"),
    ("would", "conditional"),
    ("if", "conditional"),
    ("unless", "conditional"),
    ("according to", "reported"),
    ("said", "reported"),
    ("says", "reported"),
    ("told", "reported"),
    ("reported", "reported"),
    ("reportedly", "reported"),
    ("announced", "reported"),
    ("claimed", "reported"),
    ("set to", "planned"),
    ("plans to", "planned"),
    ("plan to", "planned"),
    ("intends to", "planned"),
    ("aims to", "planned"),
    ("will", "predicted"),
    ("expected to", "predicted"),
    ("likely to", "predicted"),
    ("may", "hedged"),
    ("might", "hedged"),
    ("could", "hedged"),
    ("possibly", "hedged"),
    ("perhaps", "hedged"),
    ("appears", "hedged"),
    ("seems", "hedged"),
    ("suggest", "hedged"),
    ("suggests", "hedged"),
    ("we believe", "opinion"),
    ("in our view", "opinion"),
    ("should", "opinion"),
    ("must", "opinion"),
];

/// The modality proposed for `sentence`, and the cue it comes from (`None`: no cue, asserted).
pub fn modality(sentence: &str) -> (&'static str, Option<&'static str>) {
    let words: Vec<String> = sentence
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for (cue, modality) in CUES {
        let cue_words: Vec<&str> = cue.split(' ').collect();
        if words
            .windows(cue_words.len())
            .any(|w| w == cue_words.as_slice())
        {
            return (modality, Some(cue));
        }
    }
    ("asserted", None)
}

#[cfg(test)]
mod tests {
    use super::modality;

    #[test]
    fn cues_propose_a_modality() {
        assert_eq!(
            modality("Netanyahu is set to travel to Azerbaijan."),
            ("planned", Some("set to"))
        );
        assert_eq!(
            modality("Azerbaijan may be its closest ally."),
            ("hedged", Some("may"))
        );
        assert_eq!(
            modality("The Times of Israel reported that Netanyahu will focus on two issues."),
            ("reported", Some("reported"))
        );
        assert_eq!(
            modality("A conflict would isolate Turkey."),
            ("conditional", Some("would"))
        );
        assert_eq!(
            modality("Ankara denied the report."),
            ("denied", Some("denied"))
        );
        assert_eq!(modality("Israel exports gas to Egypt."), ("asserted", None));
        // whole words only: "Mayor" is no "may", "willing" no "will"
        assert_eq!(modality("The Mayor was willing."), ("asserted", None));
    }
}
