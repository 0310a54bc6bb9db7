//! Reading each format into cells: xlsx cell by cell within the limits, csv and text decoded
//! and split by their delimiter, xls and ods through calamine.

use std::path::Path;

use calamine::{Data, DataType, Reader, open_workbook_auto};

use super::*;

/// Read a file that has passed its guard ([`super::guard::check`]) with its format's reader;
/// every sheet is then within the row and column limits.
pub(super) fn read(path: &Path, label: &str, ext: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let wb = match ext {
        "csv" | "tsv" | "txt" => read_csv(path, label, limits),
        "xlsx" | "xlsm" => read_xlsx(path, label, ext, limits),
        "xlsb" => read_xlsb(path, label, limits),
        _ => read_calamine(path, label, ext),
    }?;
    // the cells with values across every sheet (the cell-by-cell readers count them as they go)
    let kept: usize =
        wb.sheets.iter().flat_map(|s| &s.rows).map(|r| r.iter().filter(|c| **c != Cell::Empty).count()).sum();
    if kept > limits.cells {
        let group = |n: usize| crate::domain::numbers::group_digits(&n.to_string());
        return Err(SheetError::Limit {
            file: label.into(),
            what: format!("the workbook has {} cells with values across its sheets", group(kept)),
            limit: format!("{} cells", group(limits.cells)),
            setting: "cells",
        });
    }
    let limit = |what: String, limit: String, setting| SheetError::Limit { file: label.into(), what, limit, setting };
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

/// A number without the noise of binary fractions (0.453 × 100 is 45.300000000000004).
pub(super) fn trim_float(v: f64) -> String {
    let s = format!("{v:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// What a whole workbook may cost, shared by its sheets: the cells with values kept, and the
/// cells its rows span (a row is kept from column A to its last value, so a lone cell at XFD
/// spans 16,384). Both bound the sum over every sheet, not one sheet.
#[derive(Debug, Default)]
pub(super) struct Budget {
    cells: usize,
    span: usize,
}

/// The most cells a workbook's rows may span across all its sheets, blank ones included.
pub(super) fn span_limit(limits: &Limits) -> usize {
    limits.cells.saturating_mul(4)
}

/// A sheet's cells placed one by one, each checked against the row, column and cell limits
/// before anything is allocated for it: memory follows the cells present, never a declared
/// dimension or a far cell's address, and the workbook's budget bounds the sum over its sheets.
pub(super) struct CellGrid<'a> {
    label: &'a str,
    sheet: &'a str,
    limits: &'a Limits,
    rows: Vec<Vec<Cell>>,
    budget: &'a mut Budget,
}

impl<'a> CellGrid<'a> {
    pub(super) fn new(label: &'a str, sheet: &'a str, limits: &'a Limits, budget: &'a mut Budget) -> Self {
        CellGrid { label, sheet, limits, rows: Vec::new(), budget }
    }

    /// Place a cell at 0-based (row, column); empty cells are passed over.
    pub(super) fn put(&mut self, r: usize, c: usize, value: Cell) -> Result<(), SheetError> {
        if value == Cell::Empty {
            return Ok(());
        }
        let (name, limits) = (self.sheet, self.limits);
        let limit =
            |what: String, limit: String, setting| SheetError::Limit { file: self.label.into(), what, limit, setting };
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
        self.budget.cells += 1;
        if self.budget.cells > limits.cells {
            return Err(limit(
                format!(
                    "the workbook has more than {} cells with values (passed at sheet {name:?}, cell {})",
                    crate::domain::numbers::group_digits(&limits.cells.to_string()),
                    a1(r, c)
                ),
                format!("{} cells", crate::domain::numbers::group_digits(&limits.cells.to_string())),
                "cells",
            ));
        }
        let have = self.rows.get(r).map_or(0, Vec::len);
        if have <= c {
            self.budget.span += c + 1 - have;
            if self.budget.span > span_limit(limits) {
                let far = self.rows.iter().map(Vec::len).max().unwrap_or(0).max(c + 1);
                return Err(limit(
                    format!(
                        "sheet {name:?} holds cells as far out as column {} (cell {}), so its rows span more than {} cells with the workbook's other sheets; delete the far cells or move the table to the left",
                        a1(0, far - 1).trim_end_matches('1'),
                        a1(r, c),
                        crate::domain::numbers::group_digits(&span_limit(limits).to_string())
                    ),
                    format!("{} cells spanned", crate::domain::numbers::group_digits(&span_limit(limits).to_string())),
                    "cells",
                ));
            }
        }
        if self.rows.len() <= r {
            self.rows.resize(r + 1, Vec::new());
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            row.resize(c + 1, Cell::Empty);
        }
        row[c] = value;
        Ok(())
    }

    pub(super) fn into_rows(self) -> Vec<Vec<Cell>> {
        self.rows
    }
}

/// An xlsx sheet read cell by cell: memory follows the cells present, and a cell beyond the row,
/// column or cell limits stops the read.
pub(super) fn read_xlsx(path: &Path, label: &str, ext: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let format_err = |detail: String| SheetError::Format { file: label.into(), kind: ext.to_string(), detail };
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsxError| format_err(e.to_string()))?;
    let mut sheets = Vec::new();
    let hidden = hidden_sheets(wb.sheets_metadata());
    let (names, passed_over) = worksheets(wb.sheets_metadata());
    let mut budget = Budget::default();
    for name in names {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| format_err(format!("sheet {name:?}: {e}")))?;
        let mut grid = CellGrid::new(label, &name, limits, &mut budget);
        while let Some((cell, style)) =
            reader.next_cell_with_style_id().map_err(|e| format_err(format!("sheet {name:?}: {e}")))?
        {
            let (r, c) = cell.get_position();
            let mut value = convert_ref(cell.get_value());
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
            grid.put(r as usize, c as usize, value)?;
        }
        let rows = grid.into_rows();
        let hidden = hidden.contains(&name);
        sheets.push(Sheet { name: Some(name), rows, hidden });
    }
    Ok(Workbook { label: label.into(), sheets, passed_over })
}

/// The worksheets of a workbook, and a note for each sheet that holds no cells (a chart, a
/// dialog or a macro sheet), which is passed over: it never refuses the file.
pub(super) fn worksheets(meta: &[calamine::Sheet]) -> (Vec<String>, Vec<(String, String)>) {
    let mut names = Vec::new();
    let mut passed = Vec::new();
    for s in meta {
        let kind = match s.typ {
            calamine::SheetType::WorkSheet => {
                names.push(s.name.clone());
                continue;
            }
            calamine::SheetType::ChartSheet => "a chart sheet",
            calamine::SheetType::DialogSheet => "a dialog sheet",
            calamine::SheetType::MacroSheet => "a macro sheet",
            calamine::SheetType::Vba => "a macro module",
        };
        passed.push((s.name.clone(), kind.to_string()));
    }
    (names, passed)
}

/// An xlsb (Excel binary) sheet read cell by cell, as an xlsx sheet is: calamine's own range
/// reader would allocate the rectangle up to the farthest cell (one cell at XFD1048576 asked
/// for 50 GB), so the cells reader is used and every cell checked against the limits.
pub(super) fn read_xlsb(path: &Path, label: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let format_err = |detail: String| SheetError::Format { file: label.into(), kind: "xlsb".into(), detail };
    let mut wb: calamine::Xlsb<_> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsbError| format_err(e.to_string()))?;
    let mut sheets = Vec::new();
    let meta: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    let hidden = hidden_sheets(&meta);
    let (names, passed_over) = worksheets(&meta);
    let mut budget = Budget::default();
    for name in names {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| format_err(format!("sheet {name:?}: {e}")))?;
        let mut grid = CellGrid::new(label, &name, limits, &mut budget);
        while let Some(cell) = reader.next_cell().map_err(|e| format_err(format!("sheet {name:?}: {e}")))? {
            let (r, c) = cell.get_position();
            grid.put(r as usize, c as usize, convert(&Data::from(cell.get_value().clone())))?;
        }
        let rows = grid.into_rows();
        let hidden = hidden.contains(&name);
        sheets.push(Sheet { name: Some(name), rows, hidden });
    }
    Ok(Workbook { label: label.into(), sheets, passed_over })
}

/// The names of the sheets a workbook hides.
pub(super) fn hidden_sheets(meta: &[calamine::Sheet]) -> Vec<String> {
    meta.iter().filter(|s| s.visible != calamine::SheetVisible::Visible).map(|s| s.name.clone()).collect()
}

pub(super) fn read_csv(path: &Path, label: &str, limits: &Limits) -> Result<Workbook, SheetError> {
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
    // UTF-16 saved without its byte-order mark, known by its zero bytes
    match text_without_bom_is_utf16(bytes) {
        Some(true) => return encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0.into_owned(),
        Some(false) => return encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0.into_owned(),
        None => {}
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

pub(super) fn read_csv_limited(text: &str, label: &str, limits: &Limits) -> Result<Workbook, SheetError> {
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = sniff_delimiter(text);
    if let Err((line, detail)) = check_quotes(text, delimiter) {
        return Err(SheetError::Format {
            file: label.into(),
            kind: "csv".into(),
            detail: format!("line {line}: {detail}"),
        });
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    // the csv reader skips blank lines, but a spreadsheet shows them as rows: place each record
    // on its own line's row (less the line breaks inside earlier quoted cells); lines are counted
    // once, as the reader moves on
    let mut breaks_in_cells = 0;
    let (mut counted_to, mut lines) = (0usize, 0usize);
    // the cells kept, blank ones included (every field of every record)
    let mut spanned = 0usize;
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
        spanned += record.len();
        if spanned > span_limit(limits) {
            return Err(SheetError::Limit {
                file: label.into(),
                what: format!(
                    "its rows hold more than {} cells (passed at row {}, which has {} columns)",
                    crate::domain::numbers::group_digits(&span_limit(limits).to_string()),
                    row + 1,
                    record.len()
                ),
                limit: format!("{} cells", crate::domain::numbers::group_digits(&span_limit(limits).to_string())),
                setting: "cells",
            });
        }
        rows.resize(row, Vec::new());
        rows.push(record.iter().map(csv_cell).collect());
        breaks_in_cells += record.iter().map(|f| f.matches('\n').count()).sum::<usize>();
    }
    Ok(Workbook {
        label: label.into(),
        sheets: vec![Sheet { name: None, rows, hidden: false }],
        passed_over: Vec::new(),
    })
}

/// The quoting of delimited text, checked before it is split: a quoted field may span lines,
/// but a quote that is never closed (the csv reader would take every later row into one field)
/// or a closing quote followed by more text in the same field is an error naming the line.
pub(super) fn check_quotes(text: &str, delimiter: u8) -> Result<(), (usize, String)> {
    let b = text.as_bytes();
    let (mut i, mut line) = (0usize, 1usize);
    let mut field_start = true;
    while i < b.len() {
        let c = b[i];
        if field_start && c == b'"' {
            let opened = line;
            i += 1;
            loop {
                match b.get(i) {
                    None => {
                        return Err((
                            opened,
                            "a quote opened here is never closed, so every later row would be read into one field; close the quote (or double a quote inside the text: \"\")".into(),
                        ));
                    }
                    Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        match b.get(i) {
                            None | Some(b'\n') | Some(b'\r') => break,
                            Some(&d) if d == delimiter => break,
                            Some(_) => {
                                return Err((
                                    line,
                                    "a quoted field goes on after its closing quote; double a quote inside quoted text (\"\")".into(),
                                ));
                            }
                        }
                    }
                    Some(b'\n') => {
                        line += 1;
                        i += 1;
                    }
                    Some(_) => i += 1,
                }
            }
            field_start = false;
            continue;
        }
        if c == delimiter {
            field_start = true;
        } else if c == b'\n' {
            line += 1;
            field_start = true;
        } else if c != b'\r' {
            field_start = false;
        }
        i += 1;
    }
    Ok(())
}

pub(super) fn sniff_delimiter(text: &str) -> u8 {
    // separators are counted outside quoted fields only: a commentary full of semicolons does
    // not make a comma-separated file look semicolon-separated
    let mut first = String::new();
    let (mut quoted, mut lines) = (false, 0);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                lines += 1;
                if lines == 20 {
                    break;
                }
                first.push(c);
            }
            _ if !quoted => first.push(c),
            _ => {}
        }
    }
    let count = |c: char| first.matches(c).count();
    if count(';') > count(',') && count(';') > count('\t') {
        b';'
    } else if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

pub(super) fn csv_cell(s: &str) -> Cell {
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

pub(super) fn read_calamine(path: &Path, label: &str, ext: &str) -> Result<Workbook, SheetError> {
    let format_err = |detail: String| SheetError::Format { file: label.into(), kind: ext.to_string(), detail };
    if let Err(source) = std::fs::metadata(path) {
        return Err(SheetError::Io { file: label.into(), source });
    }
    let mut wb = open_workbook_auto(path).map_err(|e| format_err(e.to_string()))?;
    let mut sheets = Vec::new();
    let hidden = hidden_sheets(wb.sheets_metadata());
    let (names, passed_over) = worksheets(wb.sheets_metadata());
    for name in names {
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
    Ok(Workbook { label: label.into(), sheets, passed_over })
}

/// [`convert`] of a cell as the cells reader gives it: a number or a text without the copies
/// to calamine's owned value and back (a return's every title and code is text).
fn convert_ref(d: &calamine::DataRef) -> Cell {
    use calamine::DataRef;
    let text =
        |s: &str| if is_error_text(s.trim()) { Cell::Error(s.trim().to_string()) } else { Cell::Text(s.to_string()) };
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        other => convert(&Data::from(other.clone())),
    }
}

pub(super) fn convert(d: &Data) -> Cell {
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

pub(super) fn error_text(e: &calamine::CellErrorType) -> String {
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
