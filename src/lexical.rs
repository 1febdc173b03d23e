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

/// "a State", "an Actor", "a fact", "an entity".
pub fn with_article(word: &str) -> String {
    let vowel = word.starts_with(|c: char| "AEIOUaeiou".contains(c));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// Whether an XML Schema datatype (its local name) is xsd:decimal or one of the types derived from
/// it (xsd:integer, xsd:int, xsd:nonNegativeInteger, …).
pub fn is_xsd_decimal(local: &str) -> bool {
    matches!(
        local,
        "integer"
            | "decimal"
            | "int"
            | "long"
            | "short"
            | "byte"
            | "nonNegativeInteger"
            | "positiveInteger"
            | "nonPositiveInteger"
            | "negativeInteger"
            | "unsignedLong"
            | "unsignedInt"
            | "unsignedShort"
            | "unsignedByte"
    )
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
    let bad = || match impossible_date(value) {
        Some(why) => format!("invalid time value `{value}`: {why}"),
        None => format!(
            "invalid time value `{value}`: expected YYYY, YYYY-MM, YYYY-MM-DD or an xsd:dateTime (YYYY-MM-DDThh:mm:ss with an optional zone)"
        ),
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

/// What a time as written fixes of a date: the years, months and days it names (each `None`
/// when it names none). English month names and their abbreviations are known; a day is a number
/// from 1 to 31 right before or after a month's name ("7 March", "Oct. 7").
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WrittenDate {
    pub years: Option<Vec<u32>>,
    pub months: Option<Vec<u32>>,
    pub days: Option<Vec<u32>>,
}

/// Why a value written in the right shape (`YYYY-MM`, `YYYY-MM-DD`, an xsd:dateTime) names no
/// date or time: "there is no month 13", "February 2023 has 28 days", "there is no hour 25".
/// `None` when it is not of that shape, or is a date.
pub fn impossible_date(value: &str) -> Option<String> {
    let (date, time) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok())?
    };
    let mut parts = date.split('-');
    let year = number(parts.next()?, 4)?;
    let month = number(parts.next()?, 2)?;
    let day = parts.next().map(|d| number(d, 2));
    if parts.next().is_some() || matches!(day, Some(None)) {
        return None;
    }
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month} (months are 01 to 12)"));
    }
    if let Some(Some(day)) = day {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let name = MONTHS[month as usize - 1];
        let name = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
        if day == 0 {
            return Some(String::from("there is no day 00 (days start at 01)"));
        }
        if day > days {
            return Some(format!("{name} {year} has {days} days"));
        }
    }
    let mut clock = time?.get(..8)?.split(':');
    let (h, m, s) = (
        number(clock.next()?, 2)?,
        number(clock.next()?, 2)?,
        number(clock.next()?, 2)?,
    );
    if h > 24 || (h == 24 && (m, s) != (0, 0)) {
        return Some(format!("there is no hour {h} (hours are 00 to 23)"));
    }
    if m > 59 {
        return Some(format!("there is no minute {m} (minutes are 00 to 59)"));
    }
    if s > 60 {
        return Some(format!("there is no second {s} (seconds are 00 to 59)"));
    }
    None
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == w
                || (word.ends_with('.') && m.starts_with(&w))
                || (w == "sept" && *m == "september")
        })
        .or_else(|| {
            // three-letter abbreviations without a dot (Jan, Feb, …), but not "may" twice
            (w.len() == 3 && w != "may")
                .then(|| MONTHS.iter().position(|m| m.starts_with(&w)))
                .flatten()
        })
        .map(|i| i as u32 + 1)
}

pub fn written_date(text: &str) -> WrittenDate {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '–' || c == '-' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(['.', ')', ';', ':']);
        let w = w
            .strip_suffix("st")
            .or_else(|| w.strip_suffix("nd"))
            .or_else(|| w.strip_suffix("rd"))
            .or_else(|| w.strip_suffix("th"))
            .unwrap_or(w);
        (!w.is_empty() && w.chars().all(|c| c.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    let mut years = Vec::new();
    let mut months = Vec::new();
    let mut days = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let bare = w
            .trim_start_matches('(')
            .trim_end_matches(['.', ')', ';', ':', '’', '\'']);
        let bare = bare
            .strip_suffix("s")
            .filter(|b| b.len() == 4)
            .unwrap_or(bare);
        if bare.len() == 4
            && let Some(y) = number(bare)
            && (1000..3000).contains(&y)
        {
            years.push(y);
        }
        if let Some(m) = month_of(w) {
            // "May" is a month only next to a day or a year
            let near = |j: Option<usize>| j.and_then(|j| words.get(j)).and_then(|w| number(w));
            let (before, after) = (near(i.checked_sub(1)), near(Some(i + 1)));
            if w.to_lowercase().trim_end_matches('.') == "may"
                && before.is_none()
                && after.is_none()
            {
                continue;
            }
            months.push(m);
            for d in [before, after].into_iter().flatten() {
                if (1..=31).contains(&d) {
                    days.push(d);
                }
            }
        }
    }
    let some = |v: Vec<u32>| (!v.is_empty()).then_some(v);
    WrittenDate {
        years: some(years),
        months: some(months),
        days: some(days),
    }
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
    fn impossible_dates_are_named_as_such() {
        let why = |v: &str| time_literal(v).unwrap_err();
        assert!(
            why("2023-02-30").ends_with("February 2023 has 28 days"),
            "{}",
            why("2023-02-30")
        );
        assert!(why("2024-02-30").ends_with("February 2024 has 29 days"));
        assert!(why("1900-02-29").ends_with("February 1900 has 28 days"));
        assert!(time_literal("2000-02-29").is_ok());
        assert!(why("2023-04-31").ends_with("April 2023 has 30 days"));
        assert!(why("2023-13").contains("there is no month 13"));
        assert!(why("2023-00-10").contains("there is no month 0"));
        assert!(why("2023-05-00").contains("there is no day 00"));
        assert!(why("2023-05-01T25:00:00").contains("there is no hour 25"));
        assert!(why("2023-05-01T10:61:00Z").contains("there is no minute 61"));
        // the wrong shape still says which shapes are right
        assert!(why("2023/05/01").contains("expected YYYY, YYYY-MM, YYYY-MM-DD"));
        assert!(why("23-5-1").contains("expected YYYY"));
        assert_eq!(impossible_date("2023-05-01"), None);
        assert_eq!(impossible_date("2023-05-01T10:00:00Z"), None);
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

    #[test]
    fn what_a_written_time_fixes() {
        let d = written_date("Oct. 7, 2023");
        assert_eq!(d.years, Some(vec![2023]));
        assert_eq!(d.months, Some(vec![10]));
        assert_eq!(d.days, Some(vec![7]));
        let d = written_date("on 3 March 2025");
        assert_eq!(
            (d.years, d.months, d.days),
            (Some(vec![2025]), Some(vec![3]), Some(vec![3]))
        );
        assert_eq!(
            written_date("in both 2016 and 2021").years,
            Some(vec![2016, 2021])
        );
        assert_eq!(written_date("Early next month"), WrittenDate::default());
        assert_eq!(written_date("the 1990s").years, Some(vec![1990]));
        // "may" is a month only beside a number
        assert_eq!(written_date("it may happen").months, None);
        assert_eq!(written_date("May 2024").months, Some(vec![5]));
        assert_eq!(written_date("in Sept. 2019").months, Some(vec![9]));
        assert_eq!(written_date("12,000 troops").years, None);
    }
}
