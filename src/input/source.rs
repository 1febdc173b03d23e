//! One input file: reading it (UTF-8, not empty), telling TOML from JSON, reading the article
//! text it points to, and turning a byte offset into `line:col`.

use crate::error::{Diagnostic, Error, Result};
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
        let bytes = crate::files::read_file(path).map_err(|source| Error::read(&name, source))?;
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
                let path = crate::files::confined_text(dir, relative)?;
                let shown = dir.join(relative);
                let bytes = crate::files::read_file(&path).map_err(|e| {
                    format!("cannot read the article text {}: {e}", shown.display())
                })?;
                decode(&shown.display().to_string(), bytes).map_err(|e| e.to_string())
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

/// UTF-8's byte order mark.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// UTF-8 text of a non-empty file, or a diagnostic at the first bad byte.
fn decode(name: &str, bytes: Vec<u8>) -> Result<String> {
    let text = utf8(name, bytes)?;
    if text.trim().is_empty() {
        return Err(Error::Invalid(vec![Diagnostic {
            file: name.into(),
            line: 1,
            column: 1,
            message: "the file is empty; a facts file needs at least an `article` with an `id`"
                .into(),
        }]));
    }
    Ok(text)
}

/// The UTF-8 text of a file's bytes (a byte order mark dropped), or a diagnostic at the first
/// byte that is not UTF-8.
pub fn utf8(name: &str, mut bytes: Vec<u8>) -> Result<String> {
    // a byte order mark is not part of the text (editors on Windows write one)
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_col(prefix, valid);
        Error::Invalid(vec![Diagnostic {
            file: name.into(),
            line,
            column,
            message: format!(
                "not valid UTF-8 (byte 0x{:02x}); save the file as UTF-8",
                bytes[valid]
            ),
        }])
    })
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
}
