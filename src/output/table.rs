//! The aligned table every command prints for people (query results, link statuses): a header,
//! a rule, one line per row; columns two spaces apart, as wide as their widest cell in display
//! width (a CJK character counts two, a combining mark none). On a terminal too narrow for it,
//! long cells wrap at spaces within narrower columns; piped, lines are never wrapped.

use std::io::{self, IsTerminal, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns are never made narrower than this (or than their header) to fit a terminal.
const MIN_WIDTH: usize = 8;

/// The width of the terminal standard output is, when it is one.
pub fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}

/// A table of text cells.
#[derive(Debug, Clone)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The most characters of a cell a table shows; the rest is cut, with a marker that says how
/// much (machine formats write every cell whole).
pub const MAX_CELL: usize = 2000;

/// A cell as shown: on one line (line breaks and tabs as spaces), other control characters
/// escaped (`\u{1B}`: a terminal never receives an escape sequence from data), and cut after
/// [`MAX_CELL`] characters.
fn clean(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len().min(4 * MAX_CELL));
    for (n, c) in cell.chars().enumerate() {
        if n == MAX_CELL {
            let rest = cell.chars().count() - MAX_CELL;
            out.push_str(&format!(
                " … [{rest} more characters; -f csv or -f json writes them all]"
            ));
            break;
        }
        match c {
            '\n' | '\t' | '\r' => out.push(' '),
            c => push_visible(&mut out, c),
        }
    }
    out
}

/// Pushes `c`, or its escape when it is a control character (C0, DEL, C1) or a bidirectional
/// override that could make a terminal show other text than the data holds.
pub fn push_visible(out: &mut String, c: char) {
    if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
        out.push_str(&format!("\\u{{{:X}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// `text` safe to print on a terminal: control characters escaped as in table cells, line
/// breaks and tabs kept.
pub fn visible(text: &str) -> String {
    if !text.chars().any(|c| {
        c.is_control() && !matches!(c, '\n' | '\t') || ('\u{202A}'..='\u{2069}').contains(&c)
    }) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c => push_visible(&mut out, c),
        }
    }
    out
}

impl Table {
    pub fn new<S: AsRef<str>>(header: &[S]) -> Table {
        Table {
            header: header.iter().map(|h| clean(h.as_ref())).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are empty, extra ones dropped.
    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        let mut row: Vec<String> = cells.into_iter().map(|c| clean(&c)).collect();
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
    }

    /// Writes the table; with `width` (a terminal's), long cells wrap so that lines fit in it
    /// where they can.
    pub fn write(&self, out: &mut dyn Write, width: Option<usize>) -> io::Result<()> {
        let widths = self.widths(width);
        self.line(out, &self.header, &widths)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        self.line(out, &rule, &widths)?;
        for row in &self.rows {
            self.line(out, row, &widths)?;
        }
        Ok(())
    }

    /// The width of each column: its widest cell, shrunk (but not below its header or
    /// [`MIN_WIDTH`]) as evenly as it takes to fit `limit`.
    fn widths(&self, limit: Option<usize>) -> Vec<usize> {
        let natural: Vec<usize> = (0..self.header.len())
            .map(|i| {
                std::iter::once(&self.header[i])
                    .chain(self.rows.iter().map(|r| &r[i]))
                    .map(|c| c.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let Some(limit) = limit else {
            return natural;
        };
        let gaps = 2 * natural.len().saturating_sub(1);
        let total = |cap: usize| -> usize {
            natural
                .iter()
                .zip(&self.header)
                .map(|(&n, h)| n.min(cap.max(h.width()).max(MIN_WIDTH)))
                .sum::<usize>()
                + gaps
        };
        if total(usize::MAX) <= limit {
            return natural;
        }
        // the widest cap under which the table fits (or the narrowest there is)
        let (mut lo, mut hi) = (0, natural.iter().copied().max().unwrap_or(0));
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if total(mid) <= limit {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        natural
            .iter()
            .zip(&self.header)
            .map(|(&n, h)| n.min(lo.max(h.width()).max(MIN_WIDTH)))
            .collect()
    }

    /// Writes one row: each cell wrapped to its column, the row as many lines as its tallest
    /// cell, no spaces at the ends of lines.
    fn line(&self, out: &mut dyn Write, cells: &[String], widths: &[usize]) -> io::Result<()> {
        let wrapped: Vec<Vec<String>> =
            cells.iter().zip(widths).map(|(c, &w)| wrap(c, w)).collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        for n in 0..height {
            let mut text = String::new();
            for (i, (lines, &w)) in wrapped.iter().zip(widths).enumerate() {
                let part = lines.get(n).map_or("", String::as_str);
                text.push_str(part);
                if i + 1 < widths.len() {
                    text.extend(std::iter::repeat_n(' ', w.saturating_sub(part.width()) + 2));
                }
            }
            writeln!(out, "{}", text.trim_end())?;
        }
        Ok(())
    }
}

/// `text` in lines of at most `width` columns, broken at spaces (a word longer than a line is
/// broken where it must); one line when it fits.
fn wrap(text: &str, width: usize) -> Vec<String> {
    if text.width() <= width || width == 0 {
        return vec![text.to_string()];
    }
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let current = lines.last_mut().expect("a line");
        let needed = word.width() + usize::from(!current.is_empty());
        if current.width() + needed <= width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            continue;
        }
        if !current.is_empty() {
            lines.push(String::new());
        }
        for c in word.chars() {
            let current = lines.last_mut().expect("a line");
            if current.width() + c.width().unwrap_or(0) > width && !current.is_empty() {
                lines.push(String::new());
            }
            lines.last_mut().expect("a line").push(c);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(table: &Table, width: Option<usize>) -> String {
        let mut out = Vec::new();
        table.write(&mut out, width).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut t = Table::new(&["a"]);
        t.row(["red \u{1b}[31m text\u{7}".to_string()]);
        let text = render(&t, None);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
        assert!(text.contains("red \\u{1B}[31m text\\u{7}"), "{text}");
        assert_eq!(visible("a\tb\n\u{1b}"), "a\tb\n\\u{1B}");
    }

    #[test]
    fn aligns_by_display_width_and_trims_line_ends() {
        let mut t = Table::new(&["name", "note"]);
        t.row(["Türkiye".to_string(), "x".to_string()]);
        t.row(["日本".to_string(), String::new()]);
        t.row(["a\nb".to_string(), "last".to_string()]);
        assert_eq!(
            render(&t, None),
            "name     note\n-------  ----\nTürkiye  x\n日本\na b      last\n"
        );
    }

    #[test]
    fn long_cells_wrap_on_a_narrow_terminal_and_never_when_piped() {
        let mut t = Table::new(&["id", "quote"]);
        let quote =
            "Azerbaijan has not only established relations with Israel but may be its closest ally";
        t.row(["f1".to_string(), quote.to_string()]);
        let piped = render(&t, None);
        assert_eq!(piped.lines().count(), 3);
        let wrapped = render(&t, Some(40));
        assert!(wrapped.lines().count() > 3, "{wrapped}");
        for line in wrapped.lines() {
            assert!(line.width() <= 40, "{line:?}");
        }
        // the words are all there, in order
        let words: Vec<&str> = wrapped
            .lines()
            .skip(2)
            .flat_map(|l| l.split_whitespace())
            .filter(|w| *w != "f1")
            .collect();
        assert_eq!(words.join(" "), quote);
    }

    #[test]
    fn a_huge_cell_is_cut_with_a_marker() {
        let mut t = Table::new(&["a", "b"]);
        t.row(["x".repeat(70_000), "y".to_string()]);
        let text = render(&t, None);
        let line = text.lines().nth(2).unwrap();
        assert!(line.ends_with("  y"));
        assert!(line.contains("[68000 more characters"), "{}", &line[1990..]);
        assert!(wrap(&"x".repeat(25), 10).iter().all(|l| l.width() <= 10));
    }
}
