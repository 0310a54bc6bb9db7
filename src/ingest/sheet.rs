//! Reading any spreadsheet (xlsx, xlsm, xls, ods, csv) into plain cells with their addresses,
//! and finding a header row below title rows by column aliases.

use std::fmt;
use std::path::Path;

use calamine::{Data, DataType, Reader, open_workbook_auto};
use chrono::NaiveDateTime;

/// Why a file could not be read as a spreadsheet at all.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{file}: cannot read: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: not a readable {kind} spreadsheet ({detail}); is the file complete and really {kind}?")]
    Format { file: String, kind: String, detail: String },
    #[error("{file}: unsupported file type (expected .xlsx, .xlsm, .xls, .ods or .csv)")]
    Unsupported { file: String },
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
}

impl fmt::Display for NotANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotANumber::ErrorCell(e) => {
                write!(f, "{e:?} is an error cell, not a number; fix the formula in the return")
            }
            NotANumber::Text(t) => write!(f, "{t:?} is not a number"),
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
    for suffix in ["per 100,000", "per 100000", "per 10,000", "per 10000", "per 1,000", "per 1000", "per 1k"] {
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

/// Where a cell is: file, sheet (none for csv) and A1 address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Loc {
    pub file: String,
    pub sheet: Option<String>,
    pub cell: String,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(s) => write!(f, "{}: {}!{}", self.file, s, self.cell),
            None => write!(f, "{}: {}", self.file, self.cell),
        }
    }
}

/// A problem with one cell (or row) of an input file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    pub loc: Loc,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc, self.message)
    }
}

/// Every problem found in a file, printed one per line.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct Problems(pub Vec<Problem>);

/// One worksheet: its cells from A1 (empty rows and columns before the used range are kept, so
/// that `rows[r][c]` is the cell at row r+1, column c+1).
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name; `None` for a csv file.
    pub name: Option<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Cell::Empty)
    }

    pub fn loc(&self, file: &str, row: usize, col: usize) -> Loc {
        Loc { file: file.to_string(), sheet: self.name.clone(), cell: a1(row, col) }
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
}

/// The A1 address of a 0-based row and column: (13, 3) → `D14`.
pub fn a1(row: usize, col: usize) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Read a spreadsheet or csv file; `label` is how messages name it (e.g. `returns/safer.xlsx`).
pub fn read_workbook(path: &Path, label: &str) -> Result<Workbook, SheetError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match ext.as_str() {
        "csv" => read_csv(path, label),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_calamine(path, label, &ext),
        _ => Err(SheetError::Unsupported { file: label.to_string() }),
    }
}

fn read_csv(path: &Path, label: &str) -> Result<Workbook, SheetError> {
    let bytes = std::fs::read(path).map_err(|source| SheetError::Io { file: label.into(), source })?;
    // Excel writes csv as UTF-8 with a BOM, or in Windows-1252: accept both
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    };
    read_csv_text(&text, label)
}

/// Read csv text already in memory (delimiter sniffed, blank lines kept as rows).
pub fn read_csv_text(text: &str, label: &str) -> Result<Workbook, SheetError> {
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = sniff_delimiter(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    // the csv reader skips blank lines, but a spreadsheet shows them as rows: place each record
    // on its own line's row (less the line breaks inside earlier quoted cells)
    let mut breaks_in_cells = 0;
    for record in reader.records() {
        let record =
            record.map_err(|e| SheetError::Format { file: label.into(), kind: "csv".into(), detail: e.to_string() })?;
        // the record's position is where the reader started, before any blank lines it skipped
        let start = record.position().map_or(0, |p| p.byte() as usize).min(text.len());
        let skipped = text[start..].bytes().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let lines_before = text.as_bytes()[..start + skipped].iter().filter(|&&b| b == b'\n').count();
        let row = lines_before.saturating_sub(breaks_in_cells).max(rows.len());
        rows.resize(row, Vec::new());
        rows.push(record.iter().map(csv_cell).collect());
        breaks_in_cells += record.iter().map(|f| f.matches('\n').count()).sum::<usize>();
    }
    Ok(Workbook { label: label.into(), sheets: vec![Sheet { name: None, rows }] })
}

fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().take(20).collect::<Vec<_>>().join("\n");
    let count = |c: char| first.matches(c).count();
    if count(';') > count(',') && count(';') > count('\t') {
        b';'
    } else if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

fn csv_cell(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        Cell::Empty
    } else if t.starts_with('#') && is_error_text(t) {
        Cell::Error(t.to_string())
    } else {
        Cell::Text(t.to_string())
    }
}

/// Does this text look like a spreadsheet error value (`#DIV/0!`, `#N/A`, `#VALUE!`)?
pub fn is_error_text(t: &str) -> bool {
    const ERRORS: [&str; 9] =
        ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!"];
    ERRORS.iter().any(|e| t.eq_ignore_ascii_case(e))
}

fn read_calamine(path: &Path, label: &str, ext: &str) -> Result<Workbook, SheetError> {
    let format_err = |detail: String| SheetError::Format { file: label.into(), kind: ext.to_string(), detail };
    if let Err(source) = std::fs::metadata(path) {
        return Err(SheetError::Io { file: label.into(), source });
    }
    let mut wb = open_workbook_auto(path).map_err(|e| format_err(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| format_err(format!("sheet {name:?}: {e}")))?;
        let mut rows = Vec::new();
        if let Some((r0, c0)) = range.start() {
            rows.resize(r0 as usize, Vec::new());
            for row in range.rows() {
                let mut cells = vec![Cell::Empty; c0 as usize];
                cells.extend(row.iter().map(convert));
                rows.push(cells);
            }
        }
        sheets.push(Sheet { name: Some(name), rows });
    }
    Ok(Workbook { label: label.into(), sheets })
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) if is_error_text(s.trim()) => Cell::Error(s.trim().to_string()),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::Error(e) => Cell::Error(error_text(e)),
        Data::DateTime(_) | Data::DateTimeIso(_) => match d.as_datetime() {
            Some(dt) => Cell::Date(dt),
            None => Cell::Text(d.to_string()),
        },
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

fn error_text(e: &calamine::CellErrorType) -> String {
    use calamine::CellErrorType::*;
    match e {
        Div0 => "#DIV/0!",
        NA => "#N/A",
        Name => "#NAME?",
        Null => "#NULL!",
        Num => "#NUM!",
        Ref => "#REF!",
        Value => "#VALUE!",
        GettingData => "#GETTING_DATA",
    }
    .to_string()
}

/// Normalise a header or name for matching: lower case, letters and digits only, `&` as "and".
pub fn norm(s: &str) -> String {
    s.to_lowercase().replace('&', "and").chars().filter(|c| c.is_alphanumeric()).collect()
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
