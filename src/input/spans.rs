//! Where each value of a parsed facts file stands: a path in the model (`facts[3].property`)
//! mapped back to its byte offset in the file, for messages at `line:col`.

use super::source::Format;
use std::collections::HashMap;

/// Byte offsets of the values in a parsed document, by path (`facts[2].object[1]`).
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    offsets: HashMap<String, usize>,
    /// Where the key of a table entry starts, by the entry's path.
    keys: HashMap<String, usize>,
}

impl SpanIndex {
    /// Indexes a document that has already been parsed successfully.
    pub fn new(text: &str, format: Format) -> SpanIndex {
        let mut index = SpanIndex::default();
        match format {
            Format::Toml => {
                if let Ok(table) = toml::de::DeTable::parse(text) {
                    index.toml_table("", table.get_ref());
                }
            }
            Format::Json => {
                let mut scanner = JsonScanner {
                    bytes: text.as_bytes(),
                    pos: 0,
                    index: &mut index,
                };
                scanner.value(String::new());
            }
        }
        index
    }

    /// The offset of the value at `path`, or of its closest enclosing value.
    pub fn offset(&self, path: &str) -> usize {
        let mut path = path;
        loop {
            if let Some(&offset) = self.offsets.get(path) {
                return offset;
            }
            match path.rfind(['.', '[']) {
                Some(i) => path = &path[..i],
                None => return self.offsets.get("").copied().unwrap_or(0),
            }
        }
    }

    /// Whether the document has a value at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.offsets.contains_key(path)
    }

    /// The offset of the key of the entry at `path` (or of its value when it has no key).
    pub fn key_offset(&self, path: &str) -> usize {
        self.keys
            .get(path)
            .copied()
            .unwrap_or_else(|| self.offset(path))
    }

    fn toml_table(&mut self, path: &str, table: &toml::de::DeTable<'_>) {
        for (key, value) in table.iter() {
            let child = join(path, key.get_ref());
            self.keys.entry(child.clone()).or_insert(key.span().start);
            self.toml_value(child, value);
        }
    }

    fn toml_value(&mut self, path: String, value: &toml::Spanned<toml::de::DeValue<'_>>) {
        self.offsets
            .entry(path.clone())
            .or_insert(value.span().start);
        match value.get_ref() {
            toml::de::DeValue::Table(t) => self.toml_table(&path, t),
            toml::de::DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    self.toml_value(format!("{path}[{i}]"), item);
                }
            }
            _ => {}
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Walks a well-formed JSON document and records where each value starts.
struct JsonScanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    index: &'a mut SpanIndex,
}

impl JsonScanner<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn value(&mut self, path: String) {
        self.skip_ws();
        self.index.offsets.entry(path.clone()).or_insert(self.pos);
        match self.bytes.get(self.pos) {
            Some(b'{') => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b'"') => {
                            let key_start = self.pos;
                            let key = self.string();
                            self.index
                                .keys
                                .entry(join(&path, &key))
                                .or_insert(key_start);
                            self.skip_ws();
                            self.pos += 1; // ':'
                            self.value(join(&path, &key));
                            self.skip_ws();
                            if self.bytes.get(self.pos) == Some(&b',') {
                                self.pos += 1;
                            }
                        }
                        Some(b'}') => {
                            self.pos += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut i = 0;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b']') => {
                            self.pos += 1;
                            return;
                        }
                        None => return,
                        _ => {
                            self.value(format!("{path}[{i}]"));
                            i += 1;
                            self.skip_ws();
                            if self.bytes.get(self.pos) == Some(&b',') {
                                self.pos += 1;
                            }
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
            }
            None => {}
        }
    }

    /// Reads a string starting at the opening quote; returns its decoded value.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = &self.bytes[start..self.pos.min(self.bytes.len())];
        serde_json::from_slice(raw).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::line_col;

    #[test]
    fn toml_paths() {
        let text = "[article]\nid = \"a\"\n\n[[facts]]\nid = \"f\"\nobject = [\"x\", \"y\"]\n";
        let index = SpanIndex::new(text, Format::Toml);
        assert_eq!(line_col(text, index.offset("article.id")), (2, 6));
        assert_eq!(line_col(text, index.offset("facts[0].object[1]")), (6, 16));
        // a missing key falls back to its table
        assert_eq!(line_col(text, index.offset("facts[0].quote")).0, 4);
    }

    #[test]
    fn json_paths() {
        let text = "{\n  \"article\": {\"id\": \"a\"},\n  \"facts\": [\n    {\"id\": \"f\", \"object\": [\"x\", \"y\"]}\n  ]\n}\n";
        let index = SpanIndex::new(text, Format::Json);
        assert_eq!(line_col(text, index.offset("article.id")), (2, 21));
        assert_eq!(line_col(text, index.offset("facts[0].object[1]")), (4, 33));
        assert_eq!(line_col(text, index.offset("facts[0].quote")), (4, 5));
    }
}
