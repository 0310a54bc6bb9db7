//! The table model: where a sheet's tables are, and for each the reading that explains most of
//! its numbers. A table has three dimensions (indicator, area, period), each *down* (a column
//! holds it), *across* (header rows hold it) or *fixed* (said once: a title, the sheet's or
//! file's name, `--period`, `--area`, or the whole partnership by default). Dimensions are
//! recognised by what the cells hold; header words only confirm them.

use std::ops::Range;

use super::cells::{Dim, HeaderCell, Key, Lexicon, Measure, Note, is_numeric};
use crate::domain::periods::{self, Period};
use crate::sheet::{self, Cell, Sheet};
mod stated;
use stated::*;
mod build;
use build::*;

/// How many body rows a reading is judged on; the chosen one then reads every row.
const SAMPLE_ROWS: usize = 120;

/// Where a table lies on its sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Rows above the header: titles, prose, instructions (searched for fixed dimensions).
    pub title_rows: Range<usize>,
    /// Earlier tables' title rows, nearest first: what they state holds here too unless this
    /// table's own titles say otherwise ("Area: Blaby" above the first of two quarters).
    pub above: Vec<usize>,
    /// The header rows (none, one or two), top first.
    pub header: Vec<usize>,
    /// From the row below the header to the table's last row with values.
    pub body: Range<usize>,
}

/// Where one dimension lies in a reading.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Down(usize),
    Across,
    /// The key, and where it was said ("cell A1", "the sheet name \"Q3\"").
    Fixed(Key, String),
}

/// What one column of a table holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Col {
    Empty,
    Key(Dim),
    /// Row labels of a stacked table ("Numerator", "Denominator", "Result").
    Label,
    Note(Note),
    /// Numbers for the keys its header gives (period, indicator or area), as `measure`.
    Measure(Vec<Key>, Measure),
    Total,
    /// Numbers that no dimension explains, with the reason.
    Unread(String),
    /// Text nobody asked for (an indicator's title beside its code, a second area column).
    Text,
    /// Words where values could stand ("Q2 2009/10 Trend": Improving, Worsening): the partner's
    /// words beside the figures, never values and never a refusal; the first few, to say so.
    Words(String),
}

/// One way of reading a table.
#[derive(Debug, Clone)]
pub struct Reading {
    pub table: Table,
    pub cols: Vec<Col>,
    /// Indicator, area, period (in [`Dim::ALL`] order).
    pub place: [Place; 3],
    /// How many of the table's numbers the reading explains (on the sampled rows).
    pub score: usize,
    /// Cells placed, for telling readings with the same outcome from rivals.
    pub fingerprint: Vec<(usize, usize, Measure)>,
    /// Why this reading took a value column when the header did not say ("the only column of numbers").
    pub chosen_value: Option<String>,
}

/// Why a table cannot be read: the cell, and the message.
pub type Refusal = (usize, usize, String);

impl Reading {
    pub fn place(&self, d: Dim) -> &Place {
        &self.place[d as usize]
    }

    pub fn col(&self, c: usize) -> &Col {
        self.cols.get(c).unwrap_or(&Col::Empty)
    }

    /// A person's description: "indicator down column A; area fixed (…); period across row 4".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = Dim::ALL
            .iter()
            .map(|&d| match self.place(d) {
                Place::Down(c) => format!("{} down column {}", d.name(), col_letter(*c)),
                Place::Across => {
                    let n = self
                        .cols
                        .iter()
                        .filter(|c| matches!(c, Col::Measure(keys, m) if *m != Measure::Target && keys.iter().any(|k| k.dim() == d)))
                        .count();
                    let rows: Vec<String> = self.table.header.iter().map(|r| (r + 1).to_string()).collect();
                    format!("{} across row {} ({n} columns)", d.name(), rows.join("–"))
                }
                Place::Fixed(k, from) => format!("{} fixed: {} ({from})", d.name(), key_text(k)),
            })
            .collect();
        let mut s = parts.join("; ");
        if let Some(v) = &self.chosen_value {
            s += &format!("; {v}");
        }
        s
    }

    /// The old names of the common shapes, for `--explain`'s first line.
    pub fn layout_name(&self) -> String {
        let measures = self.cols.iter().filter(|c| matches!(c, Col::Measure(_, m) if *m != Measure::Target)).count();
        match (self.place(Dim::Indicator), self.place(Dim::Area), self.place(Dim::Period)) {
            (Place::Down(_), _, Place::Across) => format!("wide: a column per period ({measures})"),
            (_, _, Place::Down(_)) => "long: a row per value".into(),
            (Place::Down(_), _, Place::Fixed(Key::Period(p), _)) if measures == 1 => format!("one quarter ({p})"),
            (Place::Across, _, _) => format!("a column per indicator ({measures})"),
            (_, Place::Across, _) => format!("a column per area ({measures})"),
            _ => format!("{measures} value columns"),
        }
    }
}

pub fn col_letter(c: usize) -> String {
    sheet::a1(0, c).trim_end_matches(char::is_numeric).to_string()
}

pub fn key_text(k: &Key) -> String {
    match k {
        Key::Indicator { code, .. } => code.clone(),
        Key::Area(a) => a.clone(),
        Key::Period(p) => p.to_string(),
        Key::Quarter(q) => format!("Q{q}"),
    }
}

/// What the sheet says around its tables: the names a fixed dimension may come from.
pub struct Around<'a> {
    pub sheet_name: Option<&'a str>,
    /// The file's name without its folder.
    pub file_name: &'a str,
    pub period: Option<Period>,
    pub area: Option<&'a str>,
}

/// Row facts used to find tables.
#[derive(Debug, Clone, Copy, Default)]
struct RowClass {
    nonempty: usize,
    /// Cells a person reads as numbers (typed or text), years in a header aside.
    numbers: usize,
    /// Markers for no value ("n/a", "[x]").
    markers: usize,
    header_like: bool,
}

/// Find the tables of a sheet: each starts at a header (one or two rows that name columns or
/// hold keys) or, without one, at its first row of values, and runs to its last row of values
/// before the next header.
pub fn find_tables(sheet: &Sheet, lex: &Lexicon) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    // the run of header-like rows since the last row of values
    let mut run: Vec<usize> = Vec::new();
    let mut since = 0; // the first row after the previous table's last row of values
    for (r, cells) in sheet.rows.iter().enumerate() {
        let c = classify_row(cells, lex);
        if c.header_like {
            if run.last().is_some_and(|&l| l + 1 != r) {
                // a gap between header-like rows: only the lower run can be this table's header
                run.clear();
            }
            run.push(r);
            continue;
        }
        if c.numbers + c.markers == 0 {
            continue;
        }
        let new = tables.is_empty() || !run.is_empty();
        if new && run.is_empty() && !has_key(cells, lex) {
            // numbers with nothing to say what they are, and no header above ("Form version 3"):
            // a note, which the next table's title rows hold
            continue;
        }
        if new {
            let header: Vec<usize> = run.iter().rev().take(2).rev().copied().collect();
            let top = header.first().copied().unwrap_or(r);
            let start = header.last().map_or(r, |h| h + 1);
            // what earlier tables' titles said holds for this one unless its own titles say otherwise
            let above: Vec<usize> = tables.iter().flat_map(|t| t.title_rows.clone()).rev().collect();
            tables.push(Table { title_rows: since..top, above, header, body: start..r + 1 });
        }
        run.clear();
        if let Some(t) = tables.last_mut() {
            t.body.end = r + 1;
        }
        since = r + 1;
    }
    tables
}

/// Whether a row of values names an indicator, an area or a period anywhere (asked only where a
/// headerless table may start).
fn has_key(cells: &[Cell], lex: &Lexicon) -> bool {
    cells
        .iter()
        .filter(|cell| matches!(cell, Cell::Text(_) | Cell::Date(_)) && !cell.is_empty() && !is_numeric(cell))
        .any(|cell| lex.body_key(cell).is_some())
}

fn classify_row(cells: &[Cell], lex: &Lexicon) -> RowClass {
    let mut c = RowClass::default();
    let mut keys: Vec<Key> = Vec::new();
    let mut words = 0;
    let mut years = 0;
    // the cheap pass first: a row with a number that is not a year, or a "no value" marker, is
    // a row of values whatever its text says
    for cell in cells {
        if cell.is_empty() {
            continue;
        }
        c.nonempty += 1;
        match cell {
            Cell::Number(n) if n.fract() == 0.0 && (1990.0..=2100.0).contains(n) => {
                // a year: in a header it names a period; in a body it is a value
                c.numbers += 1;
                years += 1;
            }
            _ if is_numeric(cell) => c.numbers += 1,
            // an error cell (#DIV/0!) stands where a value should: the row is data (and the error
            // is reported at the cell)
            Cell::Error(_) => c.markers += 1,
            Cell::Text(t) if super::cells::missing_marker(t).is_some() => c.markers += 1,
            _ => {}
        }
    }
    if c.numbers > years || c.markers > 0 {
        return c;
    }
    for cell in cells {
        if cell.is_empty() {
            continue;
        }
        if let Cell::Number(n) = cell {
            keys.push(Key::Period(Period::Year { year: *n as i32 }));
            continue;
        }
        let h = lex.header(cell);
        // a header names its column in a few words; a sentence is commentary, whatever it says
        let short = cell.text().split_whitespace().count() <= 5;
        if short && (h.names.is_some() || h.note.is_some() || h.total || (h.measure.is_some() && h.key.is_none())) {
            words += 1;
        }
        if let Some(k) = h.key
            && !keys.contains(&k)
        {
            keys.push(k);
        }
    }
    // a header row holds no numbers but years, and names columns or holds two keys of one kind
    let same_kind = Dim::ALL.iter().map(|&d| keys.iter().filter(|k| k.dim() == d).count()).max().unwrap_or(0);
    // years alone make a header only when nothing else in the row is a key (a row of values
    // that happen to look like years beside an indicator's code is data)
    let other_keys = keys.iter().any(|k| k.dim() != Dim::Period);
    // a row with a "no value" marker ("n/a") is a row of values; one typed year beside a date is
    // a value that looks like a year ("2009-01-01 | 1998"), not a header
    c.header_like = c.nonempty >= 2
        && c.markers == 0
        && c.numbers == years
        && (words > 0 || (same_kind >= 2 && (years == 0 || (years >= 2 && !other_keys))));
    if c.header_like {
        c.numbers = 0;
        c.markers = 0;
    }
    c
}

/// Every plausible reading of a table, best first; `Err` when none can place the table's
/// values (the reason names a cell).
pub fn readings(sheet: &Sheet, lex: &Lexicon, around: &Around, table: &Table) -> Result<Vec<Reading>, Refusal> {
    // the header as found, its lower row alone, and no header at all (the rows above as titles):
    // the last is the runner-up that shows what the header explains
    let mut depths: Vec<usize> = vec![table.header.len()];
    if table.header.len() == 2 {
        depths.push(1);
    }
    if !table.header.is_empty() {
        depths.push(0);
    }
    // what the body's cells hold, once for every reading (the body is the same for each)
    let body_rows: Vec<usize> = table.body.clone().take(SAMPLE_ROWS).collect();
    let width = table
        .header
        .iter()
        .copied()
        .chain(body_rows.iter().copied())
        .map(|r| sheet.rows.get(r).map_or(0, |c| c.len()))
        .max()
        .unwrap_or(0);
    let facts = body_facts(sheet, lex, &body_rows, width);
    let numbers: usize = facts.iter().map(|f| f.numbers).sum();
    let mut out: Vec<Reading> = Vec::new();
    let mut first_err: Option<Refusal> = None;
    for d in depths {
        // a reading with a header that places every number cannot be beaten by one without:
        // the headerless reading is then only worth building as the runner-up `--explain` shows
        if d == 0 && !lex.thorough && out.iter().any(|r| r.score == numbers) {
            continue;
        }
        let header: Vec<usize> = table.header[table.header.len() - d..].to_vec();
        let top = header.first().copied().unwrap_or(table.header.last().map_or(table.body.start, |h| h + 1));
        let t = Table {
            title_rows: table.title_rows.start..top,
            above: table.above.clone(),
            header,
            body: table.body.clone(),
        };
        match build(sheet, lex, around, t, &body_rows, &facts) {
            Ok(rs) => out.extend(rs),
            Err(e) => first_err = first_err.or(Some(e)),
        }
    }
    if out.is_empty() {
        return Err(first_err.unwrap_or((table.body.start, 0, "no values could be placed".into())));
    }
    // the most numbers explained first; between equals, the reading that uses more header rows
    out.sort_by_key(|r| std::cmp::Reverse((r.score, r.table.header.len())));
    Ok(out)
}
