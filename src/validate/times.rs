//! Times as written: a time (`time`, `since`, `until`) must be in the article's text, and its
//! normalized value must agree with what the text fixes; a relation must not end before it
//! begins.

use super::Checker;
use crate::lexical;

/// A time as written must be in the article's text, and a normalized value must agree with what
/// the text fixes of it: its year, its month, its day.
pub(super) fn time_in_text(
    c: &mut Checker<'_>,
    path: &str,
    text: &str,
    written: &str,
    value: Option<&oxigraph::model::Literal>,
) {
    if written.trim().is_empty() {
        return;
    }
    if !text.contains(written) {
        c.problem(
            &format!("{path}.text"),
            format!("the time `{written}` is not in the article's text (looked for it verbatim in the whole text): write it as the article does"),
        );
        return;
    }
    let Some(value) = value else { return };
    let fixed = lexical::written_date(written);
    let v = value.value();
    let v = v.split('T').next().unwrap_or(v);
    let parts: Vec<&str> = v.trim_start_matches('-').split('-').collect();
    let field = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    let mut wrong = Vec::new();
    if let (Some(y), Some(years)) = (field(0), fixed.years.as_ref())
        && !years.contains(&y)
    {
        wrong.push(format!("its year {y} is not the text's ({})", join(years)));
    }
    if let (Some(m), Some(months)) = (field(1), fixed.months.as_ref())
        && !months.contains(&m)
    {
        wrong.push(format!(
            "its month {m} is not the text's ({})",
            join(months)
        ));
    }
    if let (Some(d), Some(days)) = (field(2), fixed.days.as_ref())
        && !days.contains(&d)
    {
        wrong.push(format!("its day {d} is not the text's ({})", join(days)));
    }
    if !wrong.is_empty() {
        c.problem(
            &format!("{path}.value"),
            format!(
                "the time value `{}` contradicts its text `{written}`: {}",
                value.value(),
                wrong.join("; ")
            ),
        );
    }
}

fn join(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Whether a time `until` (an xsd date, year-month, year or date-time, as written) is before
/// `since`: compared on what both fix (`2016` is not before `2016-05`).
pub(super) fn ends_before(until: &str, since: &str) -> bool {
    let key = |v: &str| -> Vec<i64> {
        let date = v.split('T').next().unwrap_or(v);
        let (sign, date) = match date.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, date),
        };
        let mut parts: Vec<i64> = date
            .split('-')
            .map_while(|p| p.parse::<i64>().ok())
            .collect();
        if let Some(year) = parts.first_mut() {
            *year *= sign;
        }
        parts
    };
    let (u, s) = (key(until), key(since));
    let common = u.len().min(s.len());
    u[..common] < s[..common]
}

#[cfg(test)]
mod tests {
    use super::ends_before;

    #[test]
    fn an_end_is_before_a_start_only_on_what_both_fix() {
        assert!(ends_before("2015", "2016"));
        assert!(ends_before("2016-04", "2016-05-01"));
        assert!(!ends_before("2016", "2016-05"));
        assert!(!ends_before("2017-01-01", "2016"));
        assert!(!ends_before("2016-05-01T10:00:00Z", "2016-05-01"));
        assert!(ends_before("-0044", "0010"));
    }
}
