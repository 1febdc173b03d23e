//! Lexical checks on the values a facts file (or a parameter) gives: ids, Wikidata IDs and time
//! values. They look at one string and know nothing of the ontology.

use crate::vocab::xsd;
use oxigraph::model::{Literal, NamedNode};
use std::str::FromStr;

/// Whether `id` can be used as an id: it becomes part of an IRI, so only letters, digits, `-`,
/// `_` and `.`, starting and ending with a letter or digit.
pub fn is_valid_id(id: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    !id.is_empty()
        && id.chars().all(ok_char)
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// The id closest to `id` that [`is_valid_id`] accepts (lower case, other characters as `-`),
/// for suggestions; empty when nothing is left.
pub fn slugify(id: &str) -> String {
    let mut out = String::new();
    for c in id.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Whether `id` is a Wikidata item ID.
pub fn is_wikidata_id(id: &str) -> bool {
    id.strip_prefix('Q').is_some_and(|n| {
        !n.is_empty() && !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit())
    })
}

/// Whether `lang` is a language tag (BCP 47, as RDF takes it).
pub fn language_ok(lang: &str) -> bool {
    Literal::new_language_tagged_literal("x", lang).is_ok()
}

/// An xsd literal for a time value as written in a facts file: `YYYY` (xsd:gYear), `YYYY-MM`
/// (xsd:gYearMonth), `YYYY-MM-DD` (xsd:date) or an xsd:dateTime.
pub fn time_literal(value: &str) -> Result<Literal, String> {
    let bad = || {
        format!(
            "invalid time value `{value}`: expected YYYY, YYYY-MM, YYYY-MM-DD or an xsd:dateTime (YYYY-MM-DDThh:mm:ss with an optional zone)"
        )
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = value.split('-').collect();
    let datatype = if value.contains('T') {
        oxsdatatypes::DateTime::from_str(value).map_err(|_| bad())?;
        xsd::DATE_TIME
    } else {
        match parts.as_slice() {
            [y] if digits(y) && y.len() == 4 => {
                oxsdatatypes::GYear::from_str(value).map_err(|_| bad())?;
                xsd::G_YEAR
            }
            [y, m] if digits(y) && y.len() == 4 && digits(m) => {
                oxsdatatypes::GYearMonth::from_str(value).map_err(|_| bad())?;
                xsd::G_YEAR_MONTH
            }
            [y, m, d] if digits(y) && y.len() == 4 && digits(m) && digits(d) => {
                oxsdatatypes::Date::from_str(value).map_err(|_| bad())?;
                xsd::DATE
            }
            _ => return Err(bad()),
        }
    };
    Ok(Literal::new_typed_literal(
        value,
        NamedNode::new_unchecked(datatype),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("benjamin-netanyahu"));
        assert!(is_valid_id("f1.2_b"));
        assert!(!is_valid_id("has space"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("x/y"));
        assert_eq!(slugify("Has Space!"), "has-space");
    }

    #[test]
    fn wikidata_ids() {
        assert!(is_wikidata_id("Q801"));
        assert!(!is_wikidata_id("Q0801"));
        assert!(!is_wikidata_id("q801"));
        assert!(!is_wikidata_id("P31"));
        assert!(!is_wikidata_id("Q"));
    }

    #[test]
    fn times() {
        let datatype = |v: &str| time_literal(v).unwrap().datatype().as_str().to_string();
        assert_eq!(datatype("2020"), xsd::G_YEAR);
        assert_eq!(datatype("2023-10"), xsd::G_YEAR_MONTH);
        assert_eq!(datatype("2023-10-07"), xsd::DATE);
        assert!(time_literal("2023-10-07T06:30:00Z").is_ok());
        assert!(time_literal("2023-13-01").is_err());
        assert!(time_literal("2023-02-30").is_err());
        assert!(time_literal("Oct. 7").is_err());
    }
}
