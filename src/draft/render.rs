//! A draft written as a facts file: TOML for people (with a header saying what to do), or JSON
//! for pipelines. The same draft gives the same bytes.

use super::Draft;
use serde_json::json;

/// A class as a facts file names it: its local name.
fn class(iri: &str) -> &str {
    crate::vocab::nkg_local(iri).unwrap_or(iri)
}

/// A TOML string (basic, escaped).
fn s(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| s(i)).collect();
    format!("[{}]", items.join(", "))
}

/// The draft as a TOML facts file.
pub fn to_toml(d: &Draft) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Drafted by `newskg draft` from {}: {} entities and {} fact stubs, all proposals.\n",
        d.source,
        d.entities.len(),
        d.facts.len()
    ));
    out.push_str(
        "# Keep the entities the facts need (the `mentions` say where the text names them) and\n\
         # check each class and Wikidata ID. State each stub's claim (a relation: subject,\n\
         # property, object; or an event: event, participants), trim its quote to the claim's\n\
         # words, review its modality, then remove its `draft = true`; split a sentence with\n\
         # several claims into several facts. `newskg check` lists what is left to do.\n\n",
    );
    out.push_str("[article]\n");
    out.push_str(&format!("id = {}\n", s(&d.id)));
    if let Some(title) = &d.title {
        out.push_str(&format!("title = {}\n", s(title)));
    }
    if !d.authors.is_empty() {
        out.push_str(&format!("authors = {}\n", list(&d.authors)));
    }
    out.push_str(&format!("text = {}\n", s(&d.text_path)));
    for e in &d.entities {
        let c = &e.candidate;
        out.push_str("\n[[entities]]\n");
        out.push_str(&format!("id = {}\n", s(&c.id)));
        out.push_str(&format!("class = {}\n", s(class(&c.class))));
        out.push_str(&format!("label = {}\n", s(&c.label)));
        if !e.aliases.is_empty() {
            out.push_str(&format!("aliases = {}\n", list(&e.aliases)));
        }
        if let Some(q) = &c.wikidata {
            out.push_str(&format!("wikidata = {}\n", s(q)));
        }
        out.push_str(&format!("note = {}\n", s(&e.note)));
        out.push_str("mentions = [\n");
        for m in &e.mentions {
            out.push_str(&format!(
                "  {{ text = {}, start = {}, end = {} }},\n",
                s(&m.text),
                m.start,
                m.end
            ));
        }
        out.push_str("]\n");
    }
    for f in &d.facts {
        out.push_str("\n[[facts]]\n");
        out.push_str(&format!("id = {}\n", s(&f.id)));
        out.push_str("draft = true\n");
        out.push_str(&format!("quote = {}\n", s(&f.quote)));
        out.push_str(&format!("modality = {}\n", s(f.modality)));
        out.push_str(&format!("note = {}\n", s(&f.note)));
    }
    for (quote, reason) in &d.no_claims {
        out.push_str("\n[[no_claims]]\n");
        out.push_str(&format!("quote = {}\n", s(quote)));
        out.push_str(&format!("reason = {}\n", s(reason)));
    }
    out
}

/// The draft as a JSON facts file (pretty, keys in a fixed order).
pub fn to_json(d: &Draft) -> String {
    let mut article = serde_json::Map::new();
    article.insert("id".into(), json!(d.id));
    if let Some(title) = &d.title {
        article.insert("title".into(), json!(title));
    }
    if !d.authors.is_empty() {
        article.insert("authors".into(), json!(d.authors));
    }
    article.insert("text".into(), json!(d.text_path));
    let entities: Vec<serde_json::Value> = d
        .entities
        .iter()
        .map(|e| {
            let c = &e.candidate;
            let mut o = serde_json::Map::new();
            o.insert("id".into(), json!(c.id));
            o.insert("class".into(), json!(class(&c.class)));
            o.insert("label".into(), json!(c.label));
            if !e.aliases.is_empty() {
                o.insert("aliases".into(), json!(e.aliases));
            }
            if let Some(q) = &c.wikidata {
                o.insert("wikidata".into(), json!(q));
            }
            o.insert("note".into(), json!(e.note));
            let mentions: Vec<serde_json::Value> = e
                .mentions
                .iter()
                .map(|m| json!({ "text": m.text, "start": m.start, "end": m.end }))
                .collect();
            o.insert("mentions".into(), json!(mentions));
            serde_json::Value::Object(o)
        })
        .collect();
    let facts: Vec<serde_json::Value> = d
        .facts
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "draft": true,
                "quote": f.quote,
                "modality": f.modality,
                "note": f.note,
            })
        })
        .collect();
    let no_claims: Vec<serde_json::Value> = d
        .no_claims
        .iter()
        .map(|(quote, reason)| json!({ "quote": quote, "reason": reason }))
        .collect();
    let mut file = json!({ "article": article, "entities": entities, "facts": facts });
    if !no_claims.is_empty() {
        file["no_claims"] = json!(no_claims);
    }
    let mut text = serde_json::to_string_pretty(&file).expect("JSON");
    text.push('\n');
    text
}
