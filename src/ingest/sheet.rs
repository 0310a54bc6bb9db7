//! Reading any spreadsheet (xlsx, xlsm, xls, ods, csv) into plain cells with their addresses,
//! within limits checked before anything large is allocated, and finding a header row below
//! title rows by column aliases.

use std::fmt;
use std::path::Path;

use calamine::{Data, DataType, Reader, open_workbook_auto};
use chrono::NaiveDateTime;

pub use crate::domain::limits::Limits;

/// Why a file could not be read as a spreadsheet at all.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{file}: cannot read: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: not a readable {kind} spreadsheet ({detail}); is the file complete and really {kind}?")]
    Format { file: String, kind: String, detail: String },
    #[error(
        "{file}: unsupported file type (expected .xlsx, .xlsm, .xls, .ods, .csv, or Excel's \"Unicode text\" .txt)"
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
        // a message quoting a cell of a hostile file stays one readable line
        const MOST: usize = 400;
        if self.message.chars().count() > MOST {
            let cut: String = self.message.chars().take(MOST).collect();
            write!(f, "{}: {cut}… ({} characters in all)", self.loc, self.message.chars().count())
        } else {
            write!(f, "{}: {}", self.loc, self.message)
        }
    }
}

/// Every problem found in a file, printed one per line.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct Problems(pub Vec<Problem>);

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
    let meta = std::fs::metadata(path).map_err(|source| SheetError::Io { file: label.into(), source })?;
    if meta.is_dir() {
        return Err(SheetError::Io {
            file: label.into(),
            source: std::io::Error::other("a folder, not a file (its name ends like a spreadsheet's)"),
        });
    }
    if !meta.is_file() {
        // a pipe or a device would block a read for ever
        return Err(SheetError::Io { file: label.into(), source: std::io::Error::other("not a regular file") });
    }
    let limit = |what: String, limit: String, setting| SheetError::Limit { file: label.into(), what, limit, setting };
    if meta.len() > limits.file_mb * 1_000_000 {
        return Err(limit(format!("the file is {}", mb(meta.len())), format!("{} MB", limits.file_mb), "file_mb"));
    }
    if let Some(detail) = disguised(path, &ext) {
        return Err(SheetError::Disguised { file: label.into(), detail });
    }
    let wb = guarded(label, &ext, || match ext.as_str() {
        "csv" | "tsv" | "txt" => read_csv(path, label, limits),
        "xlsx" | "xlsm" => {
            check_zip(path, label, &ext, limits)?;
            read_xlsx(path, label, &ext, limits)
        }
        "ods" => {
            check_zip(path, label, &ext, limits)?;
            check_ods(path, label, limits)?;
            read_calamine(path, label, &ext)
        }
        "xlsb" => {
            check_zip(path, label, &ext, limits)?;
            read_calamine(path, label, &ext)
        }
        _ => {
            check_xls(path, label, limits)?;
            read_calamine(path, label, &ext)
        }
    })?;
    for sheet in &wb.sheets {
        let where_ = |r: usize, c: usize| match &sheet.name {
            Some(n) => format!("{n}!{}", a1(r, c)),
            None => a1(r, c),
        };
        if sheet.rows.len() > limits.rows {
            return Err(limit(
                format!("{} is past the last row allowed", where_(sheet.rows.len() - 1, 0)),
                format!("{} rows", crate::domain::numbers::group_digits(&limits.rows.to_string())),
                "rows",
            ));
        }
        if let Some((r, row)) = sheet.rows.iter().enumerate().find(|(_, row)| row.len() > limits.columns) {
            return Err(limit(
                format!("{} is past the last column allowed", where_(r, row.len() - 1)),
                format!("{} columns", limits.columns),
                "columns",
            ));
        }
    }
    Ok(wb)
}

/// What a file really is when its first bytes say it is not what its extension claims: a
/// sentence saying so and what to do, or `None` when the bytes may match the name.
fn disguised(path: &Path, ext: &str) -> Option<String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
    if head.is_empty() {
        return Some("the file is empty".into());
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]).trim_start().to_ascii_lowercase();
    let zip = head.starts_with(b"PK\x03\x04");
    let ole = head.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    match ext {
        "xlsx" | "xlsm" if ole && contains(&utf16("EncryptionInfo")) => Some(
            "it is encrypted with a password; save a copy without one (File > Info > Protect Workbook) and import that"
                .into(),
        ),
        "xlsx" | "xlsm" if ole => Some("it is an Excel 97-2003 workbook named as .xlsx; rename it .xls".into()),
        "xlsx" | "xlsm" if zip && contains(b"application/vnd.oasis.opendocument.spreadsheet") => {
            Some("it is an OpenDocument spreadsheet named as .xlsx; rename it .ods".into())
        }
        "ods" if zip && contains(b"[Content_Types].xml") => {
            Some("it is an Excel workbook named as .ods; rename it .xlsx".into())
        }
        "xls" if zip => Some("it is an .xlsx (or .ods) workbook named as .xls; rename it".into()),
        "csv" | "tsv" | "txt" if zip => Some("it is a workbook (.xlsx or .ods) named as .csv; rename it".into()),
        "csv" | "tsv" | "txt" if ole => Some("it is an Excel 97-2003 workbook named as .csv; rename it .xls".into()),
        "csv" | "tsv" | "txt" if !head.starts_with(b"\xff\xfe") && !head.starts_with(b"\xfe\xff") && head.iter().filter(|b| (**b < 0x20 && !b"\r\n\t".contains(b)) || **b == 0x7f).count() * 20 > head.len() => {
            Some("it is binary data, not csv text".into())
        }
        _ if text.starts_with("%pdf") => Some("it is a PDF, not a spreadsheet; ask for the spreadsheet itself".into()),
        "xlsx" | "xlsm" | "xls" | "ods" if text.starts_with("<html") || text.starts_with("<!doctype html") || text.starts_with("<table") => Some(
            "it is a web page (HTML) saved under a spreadsheet's name, as some systems' \"export to Excel\" does; open it in Excel or LibreOffice and save it as .xlsx".into(),
        ),
        "xlsx" | "xlsm" | "ods" if !zip && !ole && head.iter().take(512).all(|b| b.is_ascii() && (*b >= 0x20 || b"\r\n\t".contains(b))) => {
            Some(format!("it is plain text (csv?) named as .{ext}; rename it .csv"))
        }
        _ => None,
    }
}

thread_local! {
    /// Set while a third-party reader runs on this thread: a panic there is the file's fault,
    /// answered as an error, and the panic hook stays quiet.
    static IN_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a panic on this thread happens inside a guarded read (see [`guarded`]).
pub fn in_guarded_read() -> bool {
    IN_READER.with(std::cell::Cell::get)
}

/// Run a reader of untrusted bytes, turning a panic inside it (a parser's overflow on a
/// hostile file) into an error naming the file.
fn guarded<T>(label: &str, ext: &str, f: impl FnOnce() -> Result<T, SheetError>) -> Result<T, SheetError> {
    let was = IN_READER.with(|g| g.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_READER.with(|g| g.set(was));
    r.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no detail".into());
        Err(SheetError::Format {
            file: label.into(),
            kind: ext.to_string(),
            detail: format!("the {ext} reader failed on it: {why}"),
        })
    })
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// A workbook's zip directory, checked before any entry is decompressed: the number of entries,
/// each entry's and the total decompressed size, and the compression ratio of large entries.
fn check_zip(path: &Path, label: &str, ext: &str, limits: &Limits) -> Result<(), SheetError> {
    let file = std::fs::File::open(path).map_err(|source| SheetError::Io { file: label.into(), source })?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| SheetError::Format {
        file: label.into(),
        kind: ext.to_string(),
        detail: format!("not a zip package: {e}"),
    })?;
    let limit = |what: String, limit: String, setting| SheetError::Limit { file: label.into(), what, limit, setting };
    if zip.len() > limits.zip_entries {
        return Err(limit(
            format!("the workbook has {} parts", zip.len()),
            format!("{} parts", limits.zip_entries),
            "zip_entries",
        ));
    }
    let cap = limits.uncompressed_mb * 1_000_000;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        // the central directory only: nothing is decompressed here
        let entry = zip.by_index_raw(i).map_err(|e| SheetError::Format {
            file: label.into(),
            kind: ext.to_string(),
            detail: format!("a damaged zip entry: {e}"),
        })?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        let name = entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("part {}", i + 1));
        total = total.saturating_add(size);
        if size > cap || total > cap {
            return Err(limit(
                format!("the workbook would decompress to more than {} ({name} alone is {})", mb(cap), mb(size)),
                format!("{} MB", limits.uncompressed_mb),
                "uncompressed_mb",
            ));
        }
        if size > 1_000_000 && size / packed > limits.compression_ratio {
            return Err(limit(
                format!("{name} is compressed {}:1, as a zip bomb is", size / packed),
                format!("{}:1", limits.compression_ratio),
                "compression_ratio",
            ));
        }
    }
    Ok(())
}

/// An xls workbook's DIMENSIONS records, checked before calamine reads the file: it reserves
/// room for the declared rows × columns up front (a damaged or hostile record asked it for a
/// terabyte, which aborts the process rather than failing).
fn check_xls(path: &Path, label: &str, limits: &Limits) -> Result<(), SheetError> {
    use std::io::Read;
    let mut doc = match cfb::open(path) {
        Ok(d) => d,
        // a compound file whose structure does not hold together: calamine's lenient reader
        // would go on and trust its records
        Err(e) if starts_as_ole(path) => {
            return Err(SheetError::Format {
                file: label.into(),
                kind: "xls".into(),
                detail: format!(
                    "its compound-file structure is damaged ({e}); open it in Excel or LibreOffice and save it again"
                ),
            });
        }
        // not a compound file at all: calamine says so in its own words
        Err(_) => return Ok(()),
    };
    let Some(name) = ["/Workbook", "/Book"].into_iter().find(|n| doc.is_stream(n)) else { return Ok(()) };
    let mut data = Vec::new();
    let Ok(mut stream) = doc.open_stream(name) else { return Ok(()) };
    if stream.read_to_end(&mut data).is_err() {
        return Ok(());
    }
    let u16_at = |d: &[u8], i: usize| u16::from_le_bytes([d[i], d[i + 1]]) as u64;
    let u32_at = |d: &[u8], i: usize| u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]) as u64;
    let fail = |what: String| {
        Err(SheetError::Limit {
            file: label.into(),
            what,
            limit: format!("{} cells", crate::domain::numbers::group_digits(&(limits.cells * 4).to_string())),
            setting: "cells",
        })
    };
    // the cells' extent in the current sheet: calamine allocates the whole rectangle
    let mut extent: Option<(u64, u64, u64, u64)> = None;
    let mut i = 0;
    while i + 4 <= data.len() {
        let (typ, len) = (u16_at(&data, i), u16_at(&data, i + 2) as usize);
        let rec = &data[i + 4..(i + 4 + len).min(data.len())];
        i += 4 + len;
        match typ {
            // BOF: a new sheet (or substream) starts
            0x0809 => extent = None,
            // Number, Label, BoolErr, RK, LabelSst, RString, Formula, MulRk: row and column first
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x00D6 | 0x0006 | 0x00BD if rec.len() >= 4 => {
                let (row, col) = (u16_at(rec, 0), u16_at(rec, 2));
                let last = if typ == 0x00BD && rec.len() >= 6 { u16_at(rec, rec.len() - 2).max(col) } else { col };
                let (r0, r1, c0, c1) = extent.unwrap_or((row, row, col, col));
                let e = (r0.min(row), r1.max(row), c0.min(col), c1.max(last));
                let cells = (e.1 - e.0 + 1).saturating_mul(e.3 - e.2 + 1);
                if e.1 - e.0 + 1 > limits.rows as u64 || cells > limits.cells as u64 * 4 {
                    return fail(format!(
                        "a sheet's cells span {} rows × {} columns (a cell at {})",
                        e.1 - e.0 + 1,
                        e.3 - e.2 + 1,
                        a1(row as usize, last as usize)
                    ));
                }
                extent = Some(e);
            }
            // Dimensions: first row, row after the last, first column, column after the last
            0x0200 => {
                let (rf, rl, cf, cl) = match rec.len() {
                    10 => (u16_at(rec, 0), u16_at(rec, 2), u16_at(rec, 4), u16_at(rec, 6)),
                    14 | 16 => (u32_at(rec, 0), u32_at(rec, 4), u16_at(rec, 8), u16_at(rec, 10)),
                    _ => continue,
                };
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                if rl == 0 || cl == 0 {
                    continue;
                }
                if rf >= rl {
                    return fail(format!("a sheet's dimensions record is damaged (rows {rf} to {rl})"));
                }
                let cells = (rl - rf).saturating_mul(cl - cf);
                if rl - rf > limits.rows as u64 || cl - cf > limits.columns as u64 || cells > limits.cells as u64 * 4 {
                    return fail(format!("a sheet declares {} rows × {} columns", rl - rf, cl - cf));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// An ods workbook's content scanned (streamed, bounded memory) before calamine reads it: it
/// allocates the rectangle up to the last cell with a value, and repeated empty rows and
/// columns ("number-rows-repeated") can push that cell a billion cells away in a 1 KB file.
fn check_ods(path: &Path, label: &str, limits: &Limits) -> Result<(), SheetError> {
    use quick_xml::events::{BytesStart, Event};
    let Ok(file) = std::fs::File::open(path) else { return Ok(()) };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else { return Ok(()) };
    let Ok(content) = zip.by_name("content.xml") else { return Ok(()) };
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let attr = |e: &BytesStart, name: &str| -> Option<String> {
        e.attributes().flatten().find(|a| a.key.0 == name).map(|a| a.value.to_string())
    };
    let repeat = |e: &BytesStart, name: &str| attr(e, name).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1);
    let (mut table, mut row, mut col, mut rows_here) = (String::new(), 0u64, 0u64, 1u64);
    let mut extent = (0u64, 0u64, false);
    let mut buf = Vec::new();
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            // calamine reports a damaged xml in its own words
            Err(_) => return Ok(()),
        };
        let (e, open) = match &event {
            Event::Start(e) => (e.clone(), true),
            Event::Empty(e) => (e.clone(), false),
            Event::End(e) if e.name().0 == "table:table-row" => {
                row = row.saturating_add(rows_here);
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().0 {
            "table:table" => {
                (table, row, col, extent) = (attr(&e, "table:name").unwrap_or_default(), 0, 0, (0, 0, false));
            }
            "table:table-row" => {
                rows_here = repeat(&e, "table:number-rows-repeated");
                col = 0;
                if !open {
                    row = row.saturating_add(rows_here);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = repeat(&e, "table:number-columns-repeated");
                if attr(&e, "office:value-type").is_some() || open {
                    let last_row = row.saturating_add(rows_here - 1);
                    let last_col = col.saturating_add(n - 1);
                    extent = (extent.0.max(last_row), extent.1.max(last_col), true);
                    let cells = (extent.0 + 1).saturating_mul(extent.1 + 1);
                    if extent.0 >= limits.rows as u64
                        || extent.1 >= limits.columns as u64
                        || cells > limits.cells as u64 * 4
                    {
                        return Err(SheetError::Limit {
                            file: label.into(),
                            what: format!(
                                "sheet {table:?} has a value at {} (its repeated empty rows and columns span {} rows × {} columns)",
                                a1(last_row.min(usize::MAX as u64) as usize, last_col.min(usize::MAX as u64) as usize),
                                extent.0 + 1,
                                extent.1 + 1
                            ),
                            limit: format!(
                                "{} rows, {} columns and {} cells",
                                limits.rows,
                                limits.columns,
                                limits.cells * 4
                            ),
                            setting: if extent.0 >= limits.rows as u64 {
                                "rows"
                            } else if extent.1 >= limits.columns as u64 {
                                "columns"
                            } else {
                                "cells"
                            },
                        });
                    }
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// A number without the noise of binary fractions (0.453 × 100 is 45.300000000000004).
fn trim_float(v: f64) -> String {
    let s = format!("{v:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Whether a file starts as an OLE compound file does.
fn starts_as_ole(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok()
        && head == *b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
}

/// An xlsx sheet read cell by cell: memory follows the cells present, and a cell beyond the row,
/// column or cell limits stops the read.
fn read_xlsx(path: &Path, label: &str, ext: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let format_err = |detail: String| SheetError::Format { file: label.into(), kind: ext.to_string(), detail };
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsxError| format_err(e.to_string()))?;
    let limit = |what: String, limit: String, setting| SheetError::Limit { file: label.into(), what, limit, setting };
    let mut sheets = Vec::new();
    let hidden = hidden_sheets(wb.sheets_metadata());
    for name in wb.sheet_names() {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| format_err(format!("sheet {name:?}: {e}")))?;
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut count = 0usize;
        while let Some((cell, style)) =
            reader.next_cell_with_style_id().map_err(|e| format_err(format!("sheet {name:?}: {e}")))?
        {
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            let mut value = convert(&Data::from(cell.get_value().clone()));
            // a cell formatted as a percentage shows 0.453 as 45.3%: read it as a person does
            if let Cell::Number(v) = value
                && reader
                    .styles()
                    .get(style)
                    .and_then(|s| s.number_format.as_ref())
                    .is_some_and(|f| f.format_code.contains('%') || matches!(f.format_id, Some(9 | 10)))
            {
                value = Cell::Text(format!("{}%", trim_float(v * 100.0)));
            }
            if value == Cell::Empty {
                continue;
            }
            if r >= limits.rows {
                return Err(limit(
                    format!("cell {name}!{} is past the last row allowed", a1(r, c)),
                    format!("{} rows", crate::domain::numbers::group_digits(&limits.rows.to_string())),
                    "rows",
                ));
            }
            if c >= limits.columns {
                return Err(limit(
                    format!("cell {name}!{} is past the last column allowed", a1(r, c)),
                    format!("{} columns", limits.columns),
                    "columns",
                ));
            }
            count += 1;
            if count > limits.cells {
                return Err(limit(
                    format!("sheet {name:?} has more than {} cells with values", limits.cells),
                    format!("{} cells", limits.cells),
                    "cells",
                ));
            }
            if rows.len() <= r {
                rows.resize(r + 1, Vec::new());
            }
            let row = &mut rows[r];
            if row.len() <= c {
                row.resize(c + 1, Cell::Empty);
            }
            row[c] = value;
        }
        let hidden = hidden.contains(&name);
        sheets.push(Sheet { name: Some(name), rows, hidden });
    }
    Ok(Workbook { label: label.into(), sheets })
}

/// The names of the sheets a workbook hides.
fn hidden_sheets(meta: &[calamine::Sheet]) -> Vec<String> {
    meta.iter().filter(|s| s.visible != calamine::SheetVisible::Visible).map(|s| s.name.clone()).collect()
}

fn read_csv(path: &Path, label: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let bytes = std::fs::read(path).map_err(|source| SheetError::Io { file: label.into(), source })?;
    read_csv_limited(&decode_text(&bytes), label, limits)
}

/// Delimited text as Excel and other tools save it: UTF-8 (with or without a byte-order mark),
/// UTF-16 with its mark (Excel's "Unicode text"), or else Windows-1252 (Excel's "CSV" on a
/// Windows PC in Britain: £, €, curly quotes and en dashes are bytes 0x80–0x9F and 0xA3).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_with_bom_removal(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Read csv text already in memory (delimiter sniffed, blank lines kept as rows).
pub fn read_csv_text(text: &str, label: &str) -> Result<Workbook, SheetError> {
    read_csv_limited(text, label, &Limits::default())
}

fn read_csv_limited(text: &str, label: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = sniff_delimiter(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    // the csv reader skips blank lines, but a spreadsheet shows them as rows: place each record
    // on its own line's row (less the line breaks inside earlier quoted cells); lines are counted
    // once, as the reader moves on
    let mut breaks_in_cells = 0;
    let (mut counted_to, mut lines) = (0usize, 0usize);
    for record in reader.records() {
        let record =
            record.map_err(|e| SheetError::Format { file: label.into(), kind: "csv".into(), detail: e.to_string() })?;
        // the record's position is where the reader started, before any blank lines it skipped
        let start = record.position().map_or(0, |p| p.byte() as usize).min(text.len());
        let skipped = text[start..].bytes().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let upto = (start + skipped).max(counted_to);
        lines += text.as_bytes()[counted_to..upto].iter().filter(|&&b| b == b'\n').count();
        counted_to = upto;
        let row = lines.saturating_sub(breaks_in_cells).max(rows.len());
        if row >= limits.rows {
            return Err(SheetError::Limit {
                file: label.into(),
                what: format!("row {} is past the last row allowed", row + 1),
                limit: format!("{} rows", crate::domain::numbers::group_digits(&limits.rows.to_string())),
                setting: "rows",
            });
        }
        if record.len() > limits.columns {
            return Err(SheetError::Limit {
                file: label.into(),
                what: format!("row {} has {} columns", row + 1, record.len()),
                limit: format!("{} columns", limits.columns),
                setting: "columns",
            });
        }
        rows.resize(row, Vec::new());
        rows.push(record.iter().map(csv_cell).collect());
        breaks_in_cells += record.iter().map(|f| f.matches('\n').count()).sum::<usize>();
    }
    Ok(Workbook { label: label.into(), sheets: vec![Sheet { name: None, rows, hidden: false }] })
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
    let hidden = hidden_sheets(wb.sheets_metadata());
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
        let hidden = hidden.contains(&name);
        sheets.push(Sheet { name: Some(name), rows, hidden });
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
