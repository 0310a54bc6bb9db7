//! Reading any spreadsheet (xlsx, xlsm, xlsb, xls, ods, csv) into plain cells with their addresses,
//! within limits checked before anything large is allocated, and finding a header row below
//! title rows by column aliases.

use std::fmt;
use std::path::Path;

use chrono::NaiveDateTime;

pub use crate::domain::limits::Limits;
pub use crate::domain::problems::{Loc, Problem, Problems};
pub use crate::domain::text::norm;

mod formats;
mod guard;

pub use formats::{decode_text, is_error_text, read_csv_text};
pub use guard::in_guarded_read;
use guard::*;

/// Why a file could not be read as a spreadsheet at all.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{file}: cannot read: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: not a readable {kind} spreadsheet ({detail}); is the file complete and really {kind}?")]
    Format { file: String, kind: String, detail: String },
    #[error(
        "{file}: unsupported file type (expected .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, or Excel's \"Unicode text\" .txt)"
    )]
    Unsupported { file: String },
    #[error("{file}: cannot be read: {detail}")]
    Disguised { file: String, detail: String },
    #[error(
        "{file}: refused: {what} (the limit is {limit}; raise `{setting}` under [limits] in partnership.toml if the file is genuine)"
    )]
    Limit { file: String, what: String, limit: String, setting: &'static str },
}

/// One cell's content, reduced to what `laa` cares about.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    Date(NaiveDateTime),
    /// An error cell such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// Why a cell is not a number.
#[derive(Debug, Clone, PartialEq)]
pub enum NotANumber {
    ErrorCell(String),
    Text(String),
    /// Text that holds two numbers, a range or a choice ("40-45", "12 or 13").
    TwoNumbers(String),
}

impl fmt::Display for NotANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotANumber::ErrorCell(e) => {
                write!(f, "{e:?} is an error cell, not a number; fix the formula in the return")
            }
            NotANumber::Text(t) => write!(f, "{t:?} is not a number"),
            NotANumber::TwoNumbers(t) => {
                write!(f, "{t:?} holds two numbers, not one value: give the one figure for the period")
            }
        }
    }
}

impl Cell {
    /// The cell as a number, read as a person would: typed numbers, and text such as `45%`,
    /// `1,234`, `£2,500`, `12.5 per 1000`, `(3.2)`. Blank, `n/a`, `-`, `..`, `no data` → `None`.
    pub fn number(&self) -> Result<Option<f64>, NotANumber> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Number(n) if n.is_finite() => Ok(Some(*n)),
            Cell::Number(n) => Err(NotANumber::Text(n.to_string())),
            Cell::Error(e) => Err(NotANumber::ErrorCell(e.clone())),
            Cell::Bool(b) => Err(NotANumber::Text(b.to_string())),
            Cell::Date(d) => Err(NotANumber::Text(d.format("%Y-%m-%d").to_string())),
            Cell::Text(t) => parse_number_text(t),
        }
    }
}

/// A rate's unit written after its number ("12.5 per 1000"): part of the one number, never a second.
pub(crate) const PER_UNITS: [&str; 7] =
    ["per 100,000", "per 100000", "per 10,000", "per 10000", "per 1,000", "per 1000", "per 1k"];

fn parse_number_text(raw: &str) -> Result<Option<f64>, NotANumber> {
    let t = raw.trim().replace('\u{a0}', " ");
    let lower = t.to_lowercase();
    const NO_DATA: [&str; 14] =
        ["", "n/a", "na", "n.a.", "-", "–", "—", "..", "...", "no data", "not available", "nd", "tbc", "not due"];
    if NO_DATA.contains(&lower.as_str()) {
        return Ok(None);
    }
    if is_error_text(&t) {
        return Err(NotANumber::ErrorCell(t));
    }
    let bad = || NotANumber::Text(raw.trim().to_string());
    // strip a unit after the number: "12.5 per 1000", "45 %", "3.2 days", "1,234 homes"
    let mut s = lower.as_str();
    for suffix in PER_UNITS {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x.trim_end();
        }
    }
    let s = s.trim_end_matches('%').trim();
    let (neg, s) = match s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(inner) => (true, inner.trim()),
        None => (false, s),
    };
    let s = s.trim_start_matches('£').trim_start_matches('$').trim();
    // a number is digits with optional thousands commas, one point and a sign
    let mut num = String::new();
    let mut seen_digit = false;
    for (i, c) in s.char_indices() {
        match c {
            '0'..='9' => {
                seen_digit = true;
                num.push(c);
            }
            '.' => num.push(c),
            ',' if seen_digit && s[i + 1..].chars().take(3).filter(char::is_ascii_digit).count() == 3 => {}
            '-' | '+' if i == 0 => num.push(c),
            ' ' | '\u{202f}' if seen_digit && s[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => {}
            _ => {
                // a trailing unit word is allowed ("3.2 days"), anything else is not a number
                let tail = s[i..].trim();
                if seen_digit && c == ' ' && tail.chars().all(|c| c.is_alphabetic() || c == ' ') && tail.len() <= 12 {
                    break;
                }
                return Err(bad());
            }
        }
    }
    let v: f64 = num.parse().map_err(|_| bad())?;
    if !v.is_finite() {
        return Err(bad());
    }
    Ok(Some(if neg { -v } else { v }))
}

/// One worksheet: its cells from A1, so that `rows[r][c]` is the cell at row r+1, column c+1.
/// Rows are ragged (a row holds cells up to its last value, an empty row none): read cells with
/// [`Sheet::cell`].
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name; `None` for a csv file.
    pub name: Option<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Hidden in the workbook (workings, lookups): a return's reader passes it over.
    pub hidden: bool,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Cell::Empty)
    }

    pub fn loc(&self, file: &str, row: usize, col: usize) -> Loc {
        Loc { file: file.into(), sheet: self.name.as_deref().map(std::sync::Arc::from), cell: a1(row, col) }
    }

    pub fn is_blank(&self) -> bool {
        self.rows.iter().all(|r| r.iter().all(Cell::is_empty))
    }
}

/// A whole workbook, with the label used for it in messages.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub label: String,
    pub sheets: Vec<Sheet>,
    /// Sheets that hold no cells (charts, dialogs, macros), each with what it is: passed over.
    pub passed_over: Vec<(String, String)>,
}

/// The A1 address of a 0-based row and column: (13, 3) → `D14`.
pub fn a1(row: usize, col: usize) -> String {
    use std::fmt::Write as _;
    // the column's letters, last first (a column index has at most a few)
    let mut letters = [0u8; 16];
    let (mut n, mut c) = (0, col + 1);
    while c > 0 && n < letters.len() {
        letters[n] = b'A' + ((c - 1) % 26) as u8;
        c = (c - 1) / 26;
        n += 1;
    }
    let mut out = String::with_capacity(n + 8);
    out.extend(letters[..n].iter().rev().map(|&b| b as char));
    // writing to a String cannot fail
    let _ = write!(out, "{}", row + 1);
    out
}

/// Read a spreadsheet or csv file within the default limits; `label` is how messages name it
/// (e.g. `returns/safer.xlsx`).
pub fn read_workbook(path: &Path, label: &str) -> Result<Workbook, SheetError> {
    read_workbook_with(path, label, &Limits::default())
}

/// Read a spreadsheet or csv file within `limits`: the file's size and a workbook's zip
/// directory are checked before anything is decompressed, xlsx cells are read one by one (a
/// sheet's declared dimension never decides an allocation), and csv rows are counted as read.
pub fn read_workbook_with(path: &Path, label: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if !matches!(ext.as_str(), "csv" | "tsv" | "txt" | "xlsx" | "xlsm" | "xlsb" | "xls" | "ods") {
        return Err(SheetError::Unsupported { file: label.to_string() });
    }
    // each file through its guard once, then its reader (a reader's panic is an error too)
    guarded(label, &ext, || {
        guard::check(path, label, &ext, limits)?;
        formats::read(path, label, &ext, limits)
    })
}

/// A column to look for in a header row.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// A header row found in a sheet, and the column of each field it has.
#[derive(Debug, Clone)]
pub struct Header {
    pub row: usize,
    pub columns: Vec<(&'static str, usize)>,
}

impl Header {
    pub fn col(&self, key: &str) -> Option<usize> {
        self.columns.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
    }
}

/// Match one row against the fields: exact alias matches first, then a header that starts with
/// an alias ("Indicator ref (NI)"). `None` when a required field is missing.
pub fn match_header(cells: &[Cell], fields: &[Field]) -> Option<Vec<(&'static str, usize)>> {
    let normed: Vec<String> = cells.iter().map(|c| norm(&c.text())).collect();
    let mut taken = vec![false; normed.len()];
    let mut found: Vec<(&'static str, usize)> = Vec::new();
    for pass in 0..2 {
        for f in fields {
            if found.iter().any(|(k, _)| *k == f.key) {
                continue;
            }
            // aliases in order of preference: with "Indicator" (a title) and "Ref" (a code) both
            // present, the field listing "ref" first takes that column whatever the column order
            let hit = f.aliases.iter().find_map(|a| {
                let a = norm(a);
                normed.iter().enumerate().position(|(i, h)| {
                    !taken[i] && !h.is_empty() && if pass == 0 { *h == a } else { a.len() >= 4 && h.starts_with(&a) }
                })
            });
            if let Some(i) = hit {
                taken[i] = true;
                found.push((f.key, i));
            }
        }
    }
    let required = fields.iter().all(|f| !f.required || found.iter().any(|(k, _)| *k == f.key));
    required.then_some(found)
}

/// Find the first row (within the first 50) that carries every required field.
pub fn find_header(sheet: &Sheet, fields: &[Field]) -> Option<Header> {
    sheet
        .rows
        .iter()
        .take(50)
        .enumerate()
        // a title row ("Title row", "Indicator report") can match one alias; a header matches two
        .find_map(|(row, cells)| {
            match_header(cells, fields)
                .filter(|found| found.len() >= 2.min(fields.len()))
                .map(|columns| Header { row, columns })
        })
}

/// The first non-empty cell's text in the rows above `row` (the sheet's title rows).
pub fn title_text(sheet: &Sheet, row: usize) -> String {
    sheet.rows[..row.min(sheet.rows.len())]
        .iter()
        .flat_map(|r| r.iter())
        .filter(|c| !c.is_empty())
        .map(Cell::text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses() {
        let slow = |row: usize, col: usize| {
            let mut letters = String::new();
            let mut c = col + 1;
            while c > 0 {
                letters.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
                c = (c - 1) / 26;
            }
            format!("{letters}{}", row + 1)
        };
        assert_eq!((a1(0, 0).as_str(), a1(4, 3).as_str()), ("A1", "D5"));
        assert_eq!(
            (a1(1_048_575, 16_383).as_str(), a1(9, 25).as_str(), a1(9, 26).as_str()),
            ("XFD1048576", "Z10", "AA10")
        );
        for (r, c) in [(0, 701), (0, 702), (123_456, 18_277), (7, 18_278), (99, 1_000_000)] {
            assert_eq!(a1(r, c), slow(r, c));
        }
    }

    #[test]
    fn numbers_as_people_type_them() {
        let t = |s: &str| Cell::Text(s.into()).number();
        assert_eq!(t("45%"), Ok(Some(45.0)));
        assert_eq!(t("1,234"), Ok(Some(1234.0)));
        assert_eq!(t("1,234,567.5"), Ok(Some(1234567.5)));
        assert_eq!(t("12.5 per 1000"), Ok(Some(12.5)));
        assert_eq!(t("12.5 per 1,000"), Ok(Some(12.5)));
        assert_eq!(t("£2,500"), Ok(Some(2500.0)));
        assert_eq!(t(" -3.5 "), Ok(Some(-3.5)));
        assert_eq!(t("(3.5)"), Ok(Some(-3.5)));
        assert_eq!(t("3.2 days"), Ok(Some(3.2)));
        assert_eq!(t("1 234"), Ok(Some(1234.0)));
        for none in ["", "n/a", "N/A", "-", "..", "no data"] {
            assert_eq!(t(none), Ok(None), "{none}");
        }
        for bad in ["about 40", "40-45", "1,23", "forty", "12.5.1", "1e400", "nan", "inf"] {
            assert!(t(bad).is_err(), "{bad}");
        }
        assert_eq!(t("#DIV/0!"), Err(NotANumber::ErrorCell("#DIV/0!".into())));
        assert_eq!(Cell::Number(0.45).number(), Ok(Some(0.45)));
        assert!(Cell::Number(f64::NAN).number().is_err());
    }

    #[test]
    fn addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(13, 3), "D14");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn headers_below_titles_by_alias() {
        let t = |s: &str| Cell::Text(s.into());
        let sheet = Sheet {
            name: Some("Q2".into()),
            hidden: false,
            rows: vec![
                vec![t("Safer Leicestershire Partnership")],
                vec![],
                vec![t("NI ref"), t("Indicator title"), t("Q2 actual"), t("Comments")],
            ],
        };
        let fields = [
            Field { key: "indicator", aliases: &["NI", "NI ref", "Indicator"], required: true },
            Field { key: "commentary", aliases: &["Commentary", "Comments"], required: false },
        ];
        let h = find_header(&sheet, &fields).unwrap();
        assert_eq!(h.row, 2);
        assert_eq!(h.col("indicator"), Some(0));
        assert_eq!(h.col("commentary"), Some(3));
        assert_eq!(title_text(&sheet, h.row), "Safer Leicestershire Partnership");
    }

    #[test]
    fn csv_with_semicolons_and_bom() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.csv");
        std::fs::write(&p, "\u{feff}NI;Value\nNI 154;#DIV/0!\n\n\"two\nlines\";x\nL01;5\n").unwrap();
        let wb = read_workbook(&p, "r.csv").unwrap();
        assert_eq!(wb.sheets[0].cell(0, 0), &Cell::Text("NI".into()));
        assert_eq!(wb.sheets[0].cell(1, 1), &Cell::Error("#DIV/0!".into()));
        // the blank line is row 3; the quoted line break stays inside row 4
        assert_eq!(wb.sheets[0].cell(3, 1), &Cell::Text("x".into()));
        assert_eq!(wb.sheets[0].cell(4, 0), &Cell::Text("L01".into()));
    }
}
