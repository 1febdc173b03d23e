//! Adding keys to a facts file without disturbing the rest of its text: comments, order and
//! formatting stay as they are (TOML through toml_edit; JSON by inserting text at the place the
//! entity's `id` key stands).

use crate::input::{Format, SpanIndex};

/// Adds `wikidata = "Q…"` to each entity of `links` (entity id, QID) that has none.
pub fn add_wikidata(
    text: &str,
    format: Format,
    links: &[(String, String)],
) -> Result<String, String> {
    match format {
        Format::Toml => toml_add(text, links),
        Format::Json => json_add(text, links),
    }
}

/// `text` (a rewrite of the file whose bytes are `original`) with the original's byte order mark
/// and line endings: a file written with CRLF stays CRLF.
pub fn same_layout(original: &[u8], text: &str) -> String {
    let bom = original.starts_with(crate::input::source::BOM);
    let lines = original.iter().filter(|&&b| b == b'\n').count();
    let crlf = original.windows(2).filter(|w| w == b"\r\n").count();
    let mut out = String::with_capacity(text.len() + 3);
    if bom {
        out.push('\u{feff}');
    }
    if lines > 0 && crlf == lines {
        let mut previous = '\0';
        for c in text.chars() {
            if c == '\n' && previous != '\r' {
                out.push('\r');
            }
            out.push(c);
            previous = c;
        }
    } else {
        out.push_str(text);
    }
    out
}

fn toml_add(text: &str, links: &[(String, String)]) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    let Some(entities) = doc.get_mut("entities") else {
        return Ok(text.to_string());
    };
    let qid_of = |id: Option<&str>| {
        links
            .iter()
            .find(|(e, _)| Some(e.as_str()) == id)
            .map(|(_, q)| q.clone())
    };
    if let Some(tables) = entities.as_array_of_tables_mut() {
        for table in tables.iter_mut() {
            if let Some(q) = qid_of(table.get("id").and_then(|v| v.as_str()))
                && !table.contains_key("wikidata")
            {
                table.insert("wikidata", toml_edit::value(q));
            }
        }
    } else if let Some(array) = entities.as_array_mut() {
        for value in array.iter_mut() {
            if let Some(table) = value.as_inline_table_mut()
                && let Some(q) = qid_of(table.get("id").and_then(|v| v.as_str()))
                && !table.contains_key("wikidata")
            {
                table.insert("wikidata", q.into());
            }
        }
    }
    Ok(doc.to_string())
}

fn json_add(text: &str, links: &[(String, String)]) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let spans = SpanIndex::new(text, Format::Json);
    let mut inserts: Vec<(usize, String)> = Vec::new();
    for (i, entity) in value["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let id = entity["id"].as_str();
        let Some((_, q)) = links.iter().find(|(e, _)| Some(e.as_str()) == id) else {
            continue;
        };
        if entity.get("wikidata").is_some() {
            continue;
        }
        // Before the entity's "id" key, in the same layout as it.
        let at = spans.key_offset(&format!("entities[{i}].id"));
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let indent = &text[line_start..at];
        let insert = if indent.trim().is_empty() {
            format!("\"wikidata\": \"{q}\",\n{indent}")
        } else {
            format!("\"wikidata\": \"{q}\", ")
        };
        inserts.push((at, insert));
    }
    let mut out = text.to_string();
    inserts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    for (at, insert) in inserts {
        out.insert_str(at, &insert);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_a_bom_are_kept() {
        let original = "\u{feff}a = 1\r\nb = 2\r\n";
        assert_eq!(
            same_layout(original.as_bytes(), "a = 1\nb = 2\nc = 3\n"),
            "\u{feff}a = 1\r\nb = 2\r\nc = 3\r\n"
        );
        assert_eq!(same_layout(b"a\nb\n", "a\nb\r\nc\n"), "a\nb\r\nc\n");
    }

    #[test]
    fn toml_keeps_comments_and_order() {
        let text = "# the article\n[article]\nid = \"a\"\n\n[[entities]] # first\nid = \"israel\"\nclass = \"State\" # a state\nlabel = \"Israel\"\n\n# next one\n[[entities]]\nid = \"x\"\nclass = \"State\"\nlabel = \"X\"\n";
        let out = add_wikidata(text, Format::Toml, &[("israel".into(), "Q801".into())]).unwrap();
        assert_eq!(
            out,
            "# the article\n[article]\nid = \"a\"\n\n[[entities]] # first\nid = \"israel\"\nclass = \"State\" # a state\nlabel = \"Israel\"\nwikidata = \"Q801\"\n\n# next one\n[[entities]]\nid = \"x\"\nclass = \"State\"\nlabel = \"X\"\n"
        );
    }

    #[test]
    fn json_keeps_layout() {
        let text = "{\n  \"article\": {\"id\": \"a\"},\n  \"entities\": [\n    {\n      \"id\": \"israel\",\n      \"class\": \"State\"\n    },\n    {\"id\": \"x\", \"class\": \"State\"}\n  ]\n}\n";
        let out = add_wikidata(
            text,
            Format::Json,
            &[("israel".into(), "Q801".into()), ("x".into(), "Q1".into())],
        )
        .unwrap();
        assert_eq!(
            out,
            "{\n  \"article\": {\"id\": \"a\"},\n  \"entities\": [\n    {\n      \"wikidata\": \"Q801\",\n      \"id\": \"israel\",\n      \"class\": \"State\"\n    },\n    {\"wikidata\": \"Q1\", \"id\": \"x\", \"class\": \"State\"}\n  ]\n}\n"
        );
        let _: serde_json::Value = serde_json::from_str(&out).unwrap();
    }
}
