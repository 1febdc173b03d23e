//! What `newskg draft` leaves to the curator: its fact stubs (`draft = true`), each a to-do
//! until the curator states the claim and removes the mark; and the entities' `mentions`,
//! which must name what the text has at their offsets.

use super::Checker;
use crate::input::facts::{EntityDecl, FactDecl};

/// The to-do line of a draft's fact stub: what is left to do, in order.
pub(super) fn to_do(f: &FactDecl) -> String {
    let stated = f.subject.is_some()
        || f.property.is_some()
        || f.object.is_some()
        || f.event.is_some()
        || f.about.is_some()
        || !f.participants.is_empty();
    let claim = if stated {
        ""
    } else {
        "state its claim (a relation or an event), "
    };
    format!(
        "to do: fact `{}` (“{}”) is a draft: {claim}trim the quote to the claim's words, review the modality, then remove `draft = true`",
        f.id,
        short(&f.quote)
    )
}

/// The first words of a quote, for a to-do line.
fn short(quote: &str) -> String {
    let words: Vec<&str> = quote.split_whitespace().collect();
    if words.len() <= 8 {
        words.join(" ")
    } else {
        format!("{} …", words[..8].join(" "))
    }
}

/// Each entity's `mentions` must be what the text has at their offsets (code points).
pub(super) fn mentions(c: &mut Checker<'_>, declared: &[EntityDecl], text: &str) {
    if declared.iter().all(|e| e.mentions.is_empty()) {
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    for (i, e) in declared.iter().enumerate() {
        for (j, m) in e.mentions.iter().enumerate() {
            let path = format!("entities[{i}].mentions[{j}]");
            let found: Option<String> = (m.start <= m.end && m.end <= chars.len())
                .then(|| chars[m.start..m.end].iter().collect());
            match found {
                Some(found) if found == m.text => {}
                Some(found) => c.problem(
                    &path,
                    format!(
                        "the mention “{}” of `{}` is not at {}–{}: the text has “{found}” there",
                        m.text, e.id, m.start, m.end
                    ),
                ),
                None => c.problem(
                    &path,
                    format!(
                        "the mention “{}” of `{}` at {}–{} lies outside the text ({} characters)",
                        m.text,
                        e.id,
                        m.start,
                        m.end,
                        chars.len()
                    ),
                ),
            }
        }
    }
}
