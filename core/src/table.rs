//! Inline tables: an input's content read as CSV (RFC 4180: commas, `"`-quoted fields with `""`
//! for a quote, CRLF or LF line ends, a header row), so that checks can compare an output with
//! the data it was made from. Parsing is linear in the text and allocates only the cells.

use crate::output::FieldValue;
use std::collections::HashMap;
use std::fmt;

/// A table: a header naming each column, and rows of as many cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Why a text is not a table: the line (1-based) and the rule broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// The line at fault, counting from 1.
    pub line: usize,
    /// What is wrong there.
    pub reason: &'static str,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a CSV table at line {}: {}", self.line, self.reason)
    }
}

impl Table {
    /// Read `text` as CSV with a header row. Column names must be non-empty and distinct; every
    /// row has as many cells as the header; a final line end is optional.
    pub fn parse(text: &str) -> Result<Table, TableError> {
        let mut records = Records { chars: text.chars().peekable(), line: 1 };
        let header = match records.next_record()? {
            Some(h) => h,
            None => return Err(TableError { line: 1, reason: "no header row" }),
        };
        if header.iter().any(|h| h.trim().is_empty()) {
            return Err(TableError { line: 1, reason: "a column has no name" });
        }
        let mut seen = std::collections::HashSet::new();
        if !header.iter().all(|h| seen.insert(h.trim())) {
            return Err(TableError { line: 1, reason: "two columns have the same name" });
        }
        let header: Vec<String> = header.into_iter().map(|h| h.trim().to_owned()).collect();
        let mut rows = Vec::new();
        loop {
            let line = records.line;
            match records.next_record()? {
                None => break,
                Some(row) if row.len() == 1 && row[0].is_empty() => continue,
                Some(row) if row.len() != header.len() => {
                    return Err(TableError { line, reason: "a row has a different number of cells than the header" })
                }
                Some(row) => rows.push(row),
            }
        }
        Ok(Table { header, rows })
    }

    /// The column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The rows, each with one cell per column.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// The index of the column `name`, if the table has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The cells of column `index`, top to bottom.
    pub fn cells(&self, index: usize) -> impl Iterator<Item = &str> {
        self.rows.iter().map(move |r| r[index].as_str())
    }

    /// How often each value occurs in column `index`, by [`cell_key`].
    pub fn counts(&self, index: usize) -> HashMap<String, u32> {
        let mut counts = HashMap::new();
        for cell in self.cells(index) {
            let n: &mut u32 = counts.entry(cell_key(cell)).or_default();
            *n = n.saturating_add(1);
        }
        counts
    }
}

/// How a cell and an output value are compared: a number by its value (`"7.0"`, `" 7"` and `7`
/// are one key), anything else as its trimmed text.
pub fn cell_key(cell: &str) -> String {
    let cell = cell.trim();
    match cell.parse::<f64>() {
        Ok(n) if n.is_finite() => number_key(n),
        _ => cell.to_owned(),
    }
}

/// The key of an output value, comparable with [`cell_key`]; none for a list, a record or a
/// yes/no value, which no cell equals.
pub fn value_key(value: &FieldValue) -> Option<String> {
    match value {
        FieldValue::Number(n) if n.is_finite() => Some(number_key(*n)),
        FieldValue::Text(t) => Some(cell_key(t)),
        _ => None,
    }
}

fn number_key(n: f64) -> String {
    // -0 and 0 are one value.
    format!("{}", if n == 0.0 { 0.0 } else { n })
}

/// The records of a CSV text, one at a time.
struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl Records<'_> {
    fn next_record(&mut self) -> Result<Option<Vec<String>>, TableError> {
        if self.chars.peek().is_none() {
            return Ok(None);
        }
        let mut record = Vec::new();
        let mut cell = String::new();
        loop {
            match self.chars.next() {
                None => {
                    record.push(cell);
                    return Ok(Some(record));
                }
                Some('"') if cell.is_empty() => {
                    self.quoted(&mut cell)?;
                    match self.chars.peek() {
                        None | Some(',') | Some('\n') | Some('\r') => {}
                        Some(_) => return Err(self.error("text after a closing quote")),
                    }
                }
                Some('"') => return Err(self.error("a quote inside an unquoted cell")),
                Some(',') => record.push(std::mem::take(&mut cell)),
                Some('\r') if self.chars.peek() == Some(&'\n') => {}
                Some('\n') => {
                    self.line += 1;
                    record.push(cell);
                    return Ok(Some(record));
                }
                Some(c) => cell.push(c),
            }
        }
    }

    /// A quoted cell's text, after its opening quote, up to and including the closing one.
    fn quoted(&mut self, cell: &mut String) -> Result<(), TableError> {
        let opened = self.line;
        loop {
            match self.chars.next() {
                None => return Err(TableError { line: opened, reason: "a quoted cell is never closed" }),
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    cell.push('"');
                }
                Some('"') => return Ok(()),
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    cell.push(c);
                }
            }
        }
    }

    fn error(&self, reason: &'static str) -> TableError {
        TableError { line: self.line, reason }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_line_ends_and_a_missing_final_newline() {
        let t = Table::parse("id,text\r\n1,\"a, \"\"b\"\"\nc\"\n2,plain").unwrap();
        assert_eq!(t.header(), ["id", "text"]);
        assert_eq!(
            t.rows(),
            [vec!["1".to_owned(), "a, \"b\"\nc".to_owned()], vec!["2".to_owned(), "plain".to_owned()]]
        );
        assert_eq!(t.column("text"), Some(1));
        assert_eq!(t.column("nope"), None);
    }

    #[test]
    fn refuses_what_is_not_a_table() {
        let line = |text: &str| Table::parse(text).unwrap_err().line;
        assert_eq!(line(""), 1);
        assert_eq!(line("a,,b\n1,2,3"), 1, "a column without a name");
        assert_eq!(line("a,a\n1,2"), 1, "duplicate columns");
        assert_eq!(line("a,b\n1,2\n3\n"), 3, "ragged row");
        assert_eq!(line("a,b\n1,\"2\n"), 2, "unclosed quote: the line it opened on");
        assert_eq!(line("a,b\n1,\"2\"x\n"), 2, "text after a closing quote");
        assert_eq!(line("a,b\n1,x\"y\n"), 2, "a quote inside an unquoted cell");
    }

    #[test]
    fn numbers_compare_by_value_and_text_by_trimmed_text() {
        assert_eq!(cell_key(" 7.0"), cell_key("7"));
        assert_eq!(value_key(&FieldValue::Number(7.0)), Some(cell_key("7")));
        assert_eq!(value_key(&FieldValue::Text("R-1 ".into())), Some(cell_key("R-1")));
        assert_eq!(value_key(&FieldValue::Bool(true)), None);
        let t = Table::parse("row\n1\n1.0\n2\n").unwrap();
        let counts = t.counts(0);
        assert_eq!(counts.get(&cell_key("1")), Some(&2));
    }
}
