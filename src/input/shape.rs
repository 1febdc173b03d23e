//! Every shape problem of a facts file in one run: when the file does not fit the format (a
//! missing key, an unknown key, a value of the wrong kind), each entry (`[article]`, each
//! entity, fact and passage) and each of its keys is checked on its own, so that one broken fact
//! does not hide the problems of the others. Messages name the entry (a fact by its id) and the
//! key, at the key's place, in the format's words (a table, a list, text), never a Rust type's.

use super::facts::{ArticleFile, ArticleMeta, EntityDecl, FactDecl, NoClaim, Shape};
use super::source::{Format, SourceFile};
use super::spans::SpanIndex;
use crate::error::Diagnostic;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The top-level keys of a facts file.
const TOP: [&str; 4] = ["article", "entities", "facts", "no_claims"];

/// TOML's private key for a date or time written without quotes.
const TOML_DATETIME: &str = "$__toml_private_datetime";

/// `source`, which does not fit the format, read entry by entry: every entry that fits, a
/// placeholder for each that does not (so that the other entries' checks still find its id), and
/// the problems. `None` when the file is not valid TOML or JSON at all (its syntax error is
/// reported as it is).
pub(super) fn recover(source: &SourceFile) -> Option<ArticleFile> {
    let value: Value = match source.format {
        Format::Toml => toml::from_str(&source.text).ok()?,
        Format::Json => serde_json::from_str(&source.text).ok()?,
    };
    let Value::Object(top) = value else {
        return None;
    };
    let mut r = Recovery {
        source,
        spans: SpanIndex::new(&source.text, source.format),
        problems: Vec::new(),
        quiet: Vec::new(),
    };
    for key in top.keys().filter(|k| !TOP.contains(&k.as_str())) {
        let hint = crate::suggest::did_you_mean(key, TOP);
        r.problem_at_key(
            key,
            format!(
                "unknown key `{key}` at the top of the file{hint} (a facts file has [article], [[entities]], [[facts]] and [[no_claims]])"
            ),
        );
    }
    let article = match top.get("article") {
        Some(v) => r.entry::<ArticleMeta>("article", "[article]".into(), v),
        None => {
            r.problems.push(source.diagnostic_at(
                0,
                "the file has no [article] table: start it with [article] and the article's `id`",
            ));
            r.quiet.push("article".into());
            r.placeholder::<ArticleMeta>()
        }
    };
    let entities = r.list::<EntityDecl>(&top, "entities", "entity");
    let facts = r.list::<FactDecl>(&top, "facts", "fact");
    let no_claims = r.list::<NoClaim>(&top, "no_claims", "passage");
    let mut file = ArticleFile {
        article: article?,
        entities: entities?,
        facts: facts?,
        no_claims: no_claims?,
        shape: Shape::default(),
    };
    file.shape = Shape {
        problems: r.problems,
        quiet: r.quiet,
    };
    Some(file)
}

struct Recovery<'a> {
    source: &'a SourceFile,
    spans: SpanIndex,
    problems: Vec<Diagnostic>,
    /// Entries that did not fit: checked no further.
    quiet: Vec<String>,
}

impl Recovery<'_> {
    fn problem(&mut self, path: &str, message: String) {
        let offset = self.spans.offset(path);
        self.problems
            .push(self.source.diagnostic_at(offset, message));
    }

    fn problem_at_key(&mut self, path: &str, message: String) {
        let offset = self.spans.key_offset(path);
        self.problems
            .push(self.source.diagnostic_at(offset, message));
    }

    /// The entries of the list `key` of the file, each checked on its own.
    fn list<T: DeserializeOwned>(
        &mut self,
        top: &Map<String, Value>,
        key: &str,
        what: &str,
    ) -> Option<Vec<T>> {
        let items = match top.get(key) {
            None => return Some(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.problem_at_key(
                    key,
                    format!(
                        "`{key}` must be a list of tables ([[{key}]] in TOML, an array of objects in JSON), not {}",
                        found(other)
                    ),
                );
                return Some(Vec::new());
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let name = match item.get("id").and_then(Value::as_str) {
                Some(id) => format!("{what} `{id}`"),
                None => format!("{what} #{}", i + 1),
            };
            out.push(self.entry::<T>(&format!("{key}[{i}]"), name, item)?);
        }
        Some(out)
    }

    /// One entry (`[article]`, an entity, a fact, a passage) at `path`, named `name` in
    /// messages: as it is when it fits; else each of its problems reported, and a placeholder.
    fn entry<T: DeserializeOwned>(&mut self, path: &str, name: String, value: &Value) -> Option<T> {
        if let Ok(t) = T::deserialize(value) {
            return Some(t);
        }
        self.quiet.push(path.to_string());
        let Value::Object(fields) = value else {
            self.problem(
                path,
                format!(
                    "{name} must be a table (keys and values), not {}",
                    found(value)
                ),
            );
            return self.placeholder();
        };
        let required = required::<T>();
        for key in &required {
            if !fields.contains_key(key) {
                self.problem(
                    path,
                    format!("{name} has no `{key}`, which every {} needs", kind(&name)),
                );
            }
        }
        // each key on its own, beside placeholders for the keys it needs
        let mut fitting = placeholders(&required);
        for (key, v) in fields {
            let mut probe = placeholders(&required);
            probe.insert(key.clone(), v.clone());
            match T::deserialize(&Value::Object(probe)) {
                Ok(_) => {
                    fitting.insert(key.clone(), v.clone());
                }
                Err(e) => {
                    let message = explain(&name, key, v, &e.to_string());
                    self.problem_at_key(&format!("{path}.{key}"), message);
                }
            }
        }
        T::deserialize(&Value::Object(fitting))
            .ok()
            .or_else(|| self.placeholder())
    }

    /// An entry of type `T` with its required keys empty.
    fn placeholder<T: DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(&Value::Object(placeholders(&required::<T>()))).ok()
    }
}

/// The keys an entry of type `T` cannot do without (each a text in this format), found by
/// asking serde.
fn required<T: DeserializeOwned>() -> Vec<String> {
    let mut keys = Vec::new();
    let mut probe = Map::new();
    for _ in 0..16 {
        match T::deserialize(&Value::Object(probe.clone())) {
            Err(e) => match backticked(&e.to_string(), "missing field `") {
                Some(key) => {
                    probe.insert(key.clone(), Value::String(String::new()));
                    keys.push(key);
                }
                None => break,
            },
            Ok(_) => break,
        }
    }
    keys
}

fn placeholders(keys: &[String]) -> Map<String, Value> {
    keys.iter()
        .map(|k| (k.clone(), Value::String(String::new())))
        .collect()
}

/// The name between backticks after `prefix` in `message`.
fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split_once(prefix)?.1;
    Some(rest.split_once('`')?.0.to_string())
}

/// "fact", "entity", "passage" or "[article]" from an entry's name.
fn kind(name: &str) -> &str {
    name.split_once(' ').map_or(name, |(k, _)| k)
}

/// What serde says of the value `v` of `key` of the entry `name`, in the format's words.
fn explain(name: &str, key: &str, v: &Value, serde: &str) -> String {
    if let Some(expected) = serde.strip_prefix("unknown field `").and_then(|m| {
        let (k, rest) = m.split_once('`')?;
        (k == key).then_some(rest)
    }) {
        let known = known_keys(expected);
        let hint = crate::suggest::did_you_mean(key, known.iter().map(String::as_str));
        let listed = if hint.is_empty() {
            format!(
                " (the keys of {}: {})",
                crate::lexical::with_article(kind(name)),
                known.join(", ")
            )
        } else {
            String::new()
        };
        return format!("{name}: unknown key `{key}`{hint}{listed}");
    }
    if let Value::Object(o) = v
        && let Some(Value::String(date)) = o.get(TOML_DATETIME)
    {
        return format!(
            "{name}: `{key}` is a TOML date; write it as text, in quotes: `{key} = \"{date}\"`"
        );
    }
    if let Some(inner) = backticked(serde, "missing field `") {
        return format!("{name}: `{key}` has no `{inner}`");
    }
    if let Some(inner) = serde.strip_prefix("unknown field `") {
        let (k, expected) = inner.split_once('`').unwrap_or((inner, ""));
        let known = known_keys(expected);
        let hint = crate::suggest::did_you_mean(k, known.iter().map(String::as_str));
        return format!("{name}: `{key}` has an unknown key `{k}`{hint}");
    }
    if serde.starts_with("data did not match any variant of untagged enum OneOrMany") {
        return format!(
            "{name}: `{key}` must be an id in quotes or a list of them, not {}",
            found(v)
        );
    }
    if let Some(rest) = serde
        .strip_prefix("invalid type: ")
        .or_else(|| serde.strip_prefix("invalid value: "))
        && let Some((_, expected)) = rest.rsplit_once(", expected ")
    {
        return format!(
            "{name}: `{key}` must be {}, not {}",
            expected_words(expected),
            found(v)
        );
    }
    format!("{name}: `{key}`: {}", expected_words(serde))
}

/// The keys serde lists after "expected one of": `` `a`, `b` `` or `` `a` or `b` ``.
fn known_keys(expected: &str) -> Vec<String> {
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// How a value looks to the person who wrote it.
fn found(v: &Value) -> String {
    match v {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("a number (`{n}`)"),
        Value::String(s) if s.chars().count() > 40 => "text".into(),
        Value::String(s) => format!("text (`\"{s}\"`)"),
        Value::Array(_) => "a list".into(),
        Value::Object(o) if o.contains_key(TOML_DATETIME) => "a TOML date (not in quotes)".into(),
        Value::Object(_) => "a table".into(),
    }
}

/// serde's "expected …" in the format's words: no Rust type names.
fn expected_words(expected: &str) -> String {
    let words = [
        ("a string", "text in quotes"),
        ("a sequence", "a list"),
        ("a boolean", "`true` or `false`"),
        ("a map", "a table"),
        ("struct Time", "a table with `text` (and `value`)"),
        ("struct Participant", "a table with `entity` and `role`"),
        ("struct Casualties", "a table with `text` (and `count`)"),
        ("struct ArticleMeta", "a table"),
        ("struct EntityDecl", "a table"),
        ("struct FactDecl", "a table"),
        ("struct NoClaim", "a table"),
    ];
    let mut out = expected.to_string();
    for (rust, ours) in words {
        out = out.replace(rust, ours);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(toml: &str) -> Vec<String> {
        let source = SourceFile {
            name: "f.toml".into(),
            text: toml.into(),
            format: Format::Toml,
            texts: crate::input::source::TextSource::Directory(Default::default()),
        };
        let file = recover(&source).expect("valid TOML");
        file.shape.problems.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn no_rust_type_names() {
        let p = problems(
            "[article]\nid = \"a\"\n[[facts]]\nid = \"f\"\nquote = \"q\"\nmodality = \"asserted\"\ntime = \"2023\"\n",
        );
        assert_eq!(
            p,
            [
                "f.toml:7:1: fact `f`: `time` must be a table with `text` (and `value`), not text (`\"2023\"`)"
            ]
        );
    }

    #[test]
    fn a_toml_date_without_quotes() {
        let p = problems("[article]\nid = \"a\"\npublished = 2023-05-01\n");
        assert_eq!(
            p,
            [
                "f.toml:3:1: [article]: `published` is a TOML date; write it as text, in quotes: `published = \"2023-05-01\"`"
            ]
        );
    }

    #[test]
    fn the_keys_a_type_needs() {
        assert_eq!(required::<FactDecl>(), ["id", "quote", "modality"]);
        assert_eq!(required::<ArticleMeta>(), ["id"]);
    }
}
