//! Content negotiation: which format an answer is written in, from the request's `Accept`
//! header (RFC 9110 §12.5.1: media ranges with `q` weights) or a `format` parameter that names
//! one as `--format` does. The formats and their media types are listed once, in
//! [`RESULT_FORMATS`](crate::query::results::RESULT_FORMATS) and
//! [`FORMATS`](crate::export::FORMATS).

use crate::query::results::ResultFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// What an answer is: solutions and booleans have the SPARQL result formats, graphs the RDF
/// formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Results,
    Graph,
}

/// The formats of a kind, the default first.
pub fn offers(kind: Kind) -> Vec<ResultFormat> {
    match kind {
        Kind::Results => [
            QueryResultsFormat::Json,
            QueryResultsFormat::Xml,
            QueryResultsFormat::Csv,
            QueryResultsFormat::Tsv,
        ]
        .into_iter()
        .map(ResultFormat::Results)
        .collect(),
        Kind::Graph => crate::export::FORMATS
            .iter()
            .map(|f| ResultFormat::Rdf(f.format))
            .collect(),
    }
}

/// The media types a format answers to, its own first.
pub fn media_types(format: ResultFormat) -> Vec<&'static str> {
    match format {
        ResultFormat::Results(QueryResultsFormat::Json) => {
            vec![QueryResultsFormat::Json.media_type(), "application/json"]
        }
        ResultFormat::Results(QueryResultsFormat::Xml) => {
            vec![QueryResultsFormat::Xml.media_type(), "application/xml"]
        }
        // sparesults gives the CSV and TSV types with their charset
        ResultFormat::Results(f) => vec![f.media_type().split(';').next().unwrap_or_default()],
        ResultFormat::Rdf(f) => crate::export::FORMATS
            .iter()
            .find(|s| s.format == f)
            .map(|s| s.media_types.to_vec())
            .unwrap_or_default(),
        ResultFormat::Table => vec!["text/plain"],
    }
}

/// The `Content-Type` of an answer in `format`: its media type, with the charset for text.
pub fn content_type(format: ResultFormat) -> String {
    let media = media_types(format)[0];
    if media.starts_with("text/") {
        format!("{media}; charset=utf-8")
    } else {
        media.to_string()
    }
}

/// Why no format could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The `format` parameter names no format of this kind.
    UnknownFormat(String),
    /// Nothing the `Accept` header allows is offered (406).
    NotAcceptable,
}

impl Refusal {
    /// What to tell the client, naming the formats it can have.
    pub fn message(&self, kind: Kind) -> String {
        let offered: Vec<String> = offers(kind)
            .into_iter()
            .map(|f| format!("{} ({})", name(f), media_types(f)[0]))
            .collect();
        match self {
            Refusal::UnknownFormat(f) => format!(
                "format `{f}` is not one this answer can have; use one of {}",
                offered.join(", ")
            ),
            Refusal::NotAcceptable => format!(
                "nothing the Accept header allows can be given; this answer can be {}",
                offered.join(", ")
            ),
        }
    }
}

/// The name `--format` gives a format.
pub fn name(format: ResultFormat) -> &'static str {
    match format {
        ResultFormat::Rdf(f) => f.name(),
        other => crate::query::results::RESULT_FORMATS
            .iter()
            .find(|(_, f)| *f == other)
            .map_or("table", |(n, _)| *n),
    }
}

/// The format of an answer of `kind`: the one `format` names when given, else the best the
/// `Accept` header allows (the default when there is no header).
pub fn choose(
    kind: Kind,
    accept: Option<&str>,
    format: Option<&str>,
) -> Result<ResultFormat, Refusal> {
    let offers = offers(kind);
    if let Some(f) = format {
        let named = f
            .parse::<ResultFormat>()
            .ok()
            .or_else(|| {
                // a media type given as the format (`format=text/csv`), as some clients do
                offers
                    .iter()
                    .copied()
                    .find(|o| media_types(*o).iter().any(|m| m.eq_ignore_ascii_case(f)))
            })
            .filter(|f| offers.contains(f));
        return named.ok_or_else(|| Refusal::UnknownFormat(f.to_string()));
    }
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok(offers[0]);
    };
    let ranges = parse_accept(accept);
    // the highest weight; between equal weights, the more specific range, then the offer's
    // own order (the default first)
    let mut best: Option<(u16, u8, usize)> = None;
    let mut chosen = None;
    for (i, offer) in offers.iter().enumerate() {
        // a format is weighed by the most specific range that names one of its media types: a
        // `q=0` on its own type excludes it whatever a wildcard allows its other names
        let Some((q, specificity)) = media_types(*offer)
            .into_iter()
            .filter_map(|media| weight(&ranges, media))
            .max_by_key(|&(q, specificity)| (specificity, q))
        else {
            continue;
        };
        if q == 0 {
            continue;
        }
        let score = (q, specificity, usize::MAX - i);
        if best.is_none_or(|b| score > b) {
            best = Some(score);
            chosen = Some(*offer);
        }
    }
    chosen.ok_or(Refusal::NotAcceptable)
}

/// One media range of an `Accept` header: type, subtype (`*` for any) and weight in
/// thousandths.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Range {
    kind: String,
    subtype: String,
    q: u16,
}

fn parse_accept(accept: &str) -> Vec<Range> {
    accept
        .split(',')
        .filter_map(|part| {
            let mut fields = part.split(';');
            let media = fields.next()?.trim().to_ascii_lowercase();
            let (kind, subtype) = media.split_once('/')?;
            let mut q = 1000;
            for param in fields {
                if let Some((k, v)) = param.split_once('=')
                    && k.trim().eq_ignore_ascii_case("q")
                {
                    q = parse_q(v.trim()).unwrap_or(0);
                }
            }
            Some(Range {
                kind: kind.trim().into(),
                subtype: subtype.trim().into(),
                q,
            })
        })
        .collect()
}

/// A `q` value (`0`, `0.5`, `1.000`) in thousandths; `None` when it is not one.
fn parse_q(v: &str) -> Option<u16> {
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    let frac: u16 = format!("{frac:0<3}").parse().ok()?;
    let q = whole * 1000 + frac;
    (q <= 1000).then_some(q)
}

/// The weight the most specific range matching `media` gives it, and how specific that range
/// is (2: exact, 1: `type/*`, 0: `*/*`); `None` when no range matches.
fn weight(ranges: &[Range], media: &str) -> Option<(u16, u8)> {
    let (kind, subtype) = media.split_once('/')?;
    ranges
        .iter()
        .filter_map(|r| {
            let specificity = match (r.kind.as_str(), r.subtype.as_str()) {
                (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(subtype) => 2,
                (k, "*") if k.eq_ignore_ascii_case(kind) => 1,
                ("*", "*") => 0,
                _ => return None,
            };
            Some((specificity, r.q))
        })
        .max_by_key(|(s, _)| *s)
        .map(|(s, q)| (q, s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::RdfOutput;

    fn results(f: QueryResultsFormat) -> ResultFormat {
        ResultFormat::Results(f)
    }

    #[test]
    fn no_header_gives_the_default() {
        assert_eq!(
            choose(Kind::Results, None, None),
            Ok(results(QueryResultsFormat::Json))
        );
        assert_eq!(
            choose(Kind::Graph, Some(""), None),
            Ok(ResultFormat::Rdf(RdfOutput::Turtle))
        );
    }

    #[test]
    fn weights_and_specificity_decide() {
        // SPARQLWrapper's JSON, RDFLib's SPARQLStore's XML, a browser's
        assert_eq!(
            choose(
                Kind::Results,
                Some("application/sparql-results+json,application/json,text/javascript"),
                None
            ),
            Ok(results(QueryResultsFormat::Json))
        );
        assert_eq!(
            choose(
                Kind::Results,
                Some("application/sparql-results+xml, application/xml;q=0.9"),
                None
            ),
            Ok(results(QueryResultsFormat::Xml))
        );
        assert_eq!(
            choose(
                Kind::Results,
                Some("text/csv;q=0.5, application/sparql-results+xml;q=0.9"),
                None
            ),
            Ok(results(QueryResultsFormat::Xml))
        );
        assert_eq!(
            choose(Kind::Results, Some("text/*;q=0.8, */*;q=0.1"), None),
            Ok(results(QueryResultsFormat::Csv))
        );
        // an exact range beats a wildcard that allows it with another weight
        assert_eq!(
            choose(
                Kind::Results,
                Some("*/*;q=0.9, application/sparql-results+json;q=0"),
                None
            ),
            Ok(results(QueryResultsFormat::Xml))
        );
        assert_eq!(
            choose(Kind::Graph, Some("application/n-triples"), None),
            Ok(ResultFormat::Rdf(RdfOutput::NTriples))
        );
        assert_eq!(
            choose(Kind::Graph, Some("APPLICATION/LD+JSON; q=1.0"), None),
            Ok(ResultFormat::Rdf(RdfOutput::JsonLd))
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(
            choose(Kind::Results, Some("image/png"), None),
            Err(Refusal::NotAcceptable)
        );
        assert_eq!(
            choose(Kind::Graph, Some("text/turtle;q=0"), None),
            Err(Refusal::NotAcceptable)
        );
        assert_eq!(
            choose(Kind::Results, None, Some("turtle")),
            Err(Refusal::UnknownFormat("turtle".into()))
        );
        let m = Refusal::NotAcceptable.message(Kind::Results);
        assert!(m.contains("json (application/sparql-results+json)"), "{m}");
    }

    #[test]
    fn the_format_parameter_wins() {
        assert_eq!(
            choose(Kind::Results, Some("application/json"), Some("csv")),
            Ok(results(QueryResultsFormat::Csv))
        );
        assert_eq!(
            choose(Kind::Results, None, Some("text/tab-separated-values")),
            Ok(results(QueryResultsFormat::Tsv))
        );
        assert_eq!(
            choose(Kind::Graph, None, Some("nt")),
            Ok(ResultFormat::Rdf(RdfOutput::NTriples))
        );
    }

    #[test]
    fn q_values() {
        assert_eq!(parse_q("0.5"), Some(500));
        assert_eq!(parse_q("1"), Some(1000));
        assert_eq!(parse_q("1.000"), Some(1000));
        assert_eq!(parse_q("1.5"), None);
        assert_eq!(parse_q("0.1234"), None);
        assert_eq!(parse_q("x"), None);
        assert_eq!(
            content_type(results(QueryResultsFormat::Csv)),
            "text/csv; charset=utf-8"
        );
    }
}
