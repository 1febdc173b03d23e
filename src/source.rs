//! Input files: reading them (UTF-8, not empty), telling TOML from JSON, and turning a place in
//! the parsed model (a path such as `facts[3].property`) back into `line:col` in the file.

use crate::error::{Diagnostic, Error, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The serialization of a facts file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The format of a file, by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Where the text an article file points to comes from.
#[derive(Debug, Clone)]
pub enum TextSource {
    /// Read from disk, relative to the facts file's directory.
    Directory(PathBuf),
    /// Compiled into the binary: the text of the only `text` path such a file may name.
    Embedded { path: String, text: &'static str },
}

/// One facts file, read and checked to be non-empty UTF-8.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name used in messages: the path as given, or the embedded file's path.
    pub name: String,
    pub text: String,
    pub format: Format,
    pub texts: TextSource,
}

impl SourceFile {
    /// Reads `path`, which must be a `.toml` or `.json` file.
    pub fn read(path: &Path) -> Result<SourceFile> {
        let name = path.display().to_string();
        let format = Format::from_path(path).ok_or_else(|| {
            Error::Invalid(vec![Diagnostic {
                file: name.clone(),
                line: 1,
                column: 1,
                message: "not a facts file: the name must end in .toml or .json".into(),
            }])
        })?;
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: name.clone(),
            source,
        })?;
        let text = decode(&name, bytes)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(SourceFile {
            name,
            text,
            format,
            texts: TextSource::Directory(dir),
        })
    }

    /// A facts file compiled into the binary.
    pub fn embedded(
        name: &str,
        text: &str,
        format: Format,
        text_path: &str,
        article: &'static str,
    ) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            format,
            texts: TextSource::Embedded {
                path: text_path.into(),
                text: article,
            },
        }
    }

    /// The text of the article at `relative` (as written in the facts file).
    pub fn article_text(&self, relative: &str) -> std::result::Result<String, String> {
        match &self.texts {
            TextSource::Directory(dir) => {
                let path = dir.join(relative);
                let bytes = std::fs::read(&path)
                    .map_err(|e| format!("cannot read the article text {}: {e}", path.display()))?;
                decode(&path.display().to_string(), bytes).map_err(|e| e.to_string())
            }
            TextSource::Embedded { path, text } if path == relative => Ok((*text).to_string()),
            TextSource::Embedded { .. } => Err(format!(
                "the embedded dataset has no text file `{relative}`"
            )),
        }
    }

    /// The path of the article text `relative` as shown in messages.
    pub fn text_display_path(&self, relative: &str) -> String {
        match &self.texts {
            TextSource::Directory(dir) => dir.join(relative).display().to_string(),
            TextSource::Embedded { .. } => match self.name.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{relative}"),
                None => relative.to_string(),
            },
        }
    }

    /// A diagnostic at a byte offset of this file.
    pub fn diagnostic_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_col(&self.text, offset);
        Diagnostic {
            file: self.name.clone(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// UTF-8 text of a non-empty file, or a diagnostic at the first bad byte.
fn decode(name: &str, bytes: Vec<u8>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(text) if text.trim().is_empty() => Err(Error::Invalid(vec![Diagnostic {
            file: name.into(),
            line: 1,
            column: 1,
            message: "the file is empty; a facts file needs at least an `article` with an `id`"
                .into(),
        }])),
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let (line, column) = line_col(prefix, valid);
            Err(Error::Invalid(vec![Diagnostic {
                file: name.into(),
                line,
                column,
                message: format!(
                    "not valid UTF-8 (byte 0x{:02x}); save the file as UTF-8",
                    bytes[valid]
                ),
            }]))
        }
    }
}

/// The byte offset of a 1-based line and column (in characters).
pub fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offsets of the values in a parsed document, by path (`facts[2].object[1]`).
#[derive(Debug, Default)]
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

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nç’x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'x' comes after two multi-byte characters
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 3));
    }

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
