//! The table model: where a sheet's tables are, and for each the reading that explains most of
//! its numbers. A table has three dimensions (indicator, area, period), each *down* (a column
//! holds it), *across* (header rows hold it) or *fixed* (said once: a title, the sheet's or
//! file's name, `--period`, `--area`, or the whole partnership by default). Dimensions are
//! recognised by what the cells hold; header words only confirm them.

use std::ops::Range;

use super::cells::{Dim, HeaderCell, Key, Lexicon, Measure, Note, is_numeric};
use crate::domain::periods::{self, Period};
use crate::ingest::sheet::{self, Cell, Sheet};

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

/// The column facts of a table's body (sampled).
#[derive(Debug, Clone, Default)]
struct ColFacts {
    nonempty: usize,
    numbers: usize,
    keys: [usize; 3],
    /// Keys given by code (not title) for the indicator dimension.
    codes: usize,
    labels: usize,
}

/// What each column's body cells hold (on the sampled rows).
fn body_facts(sheet: &Sheet, lex: &Lexicon, body_rows: &[usize], width: usize) -> Vec<ColFacts> {
    let mut facts = vec![ColFacts::default(); width];
    for &r in body_rows {
        for (c, f) in facts.iter_mut().enumerate() {
            let cell = sheet.cell(r, c);
            if cell.is_empty() {
                continue;
            }
            f.nonempty += 1;
            if is_numeric(cell) {
                f.numbers += 1;
                continue;
            }
            if lex.measure_label(cell).is_some() {
                f.labels += 1;
                continue;
            }
            if let Some(k) = lex.body_key(cell) {
                f.keys[k.dim() as usize] += 1;
                if let (Key::Indicator { .. }, Cell::Text(t)) = (&k, cell)
                    && lex.indicator_by_title(t).is_none()
                {
                    f.codes += 1;
                }
            }
        }
    }
    facts
}

fn build(
    sheet: &Sheet,
    lex: &Lexicon,
    around: &Around,
    table: Table,
    body_rows: &[usize],
    facts: &[ColFacts],
) -> Result<Vec<Reading>, Refusal> {
    let width = facts.len();
    // header cells, the top row's keys carried right over the blanks a merged cell leaves
    let mut heads: Vec<Vec<HeaderCell>> = Vec::new();
    for (i, &r) in table.header.iter().enumerate() {
        let mut row: Vec<HeaderCell> = (0..width).map(|c| lex.header(sheet.cell(r, c))).collect();
        if i == 0 && table.header.len() == 2 {
            let mut carry: Option<Key> = None;
            for (c, h) in row.iter_mut().enumerate() {
                if sheet.cell(r, c).is_empty() {
                    if let Some(k) = &carry {
                        h.key = Some(k.clone());
                    }
                } else {
                    carry = h.key.clone();
                }
            }
        }
        heads.push(row);
    }
    let head = |c: usize| -> HeaderCell {
        // the lowest header row that says something wins; keys from both rows are merged later
        let mut out = HeaderCell::default();
        for row in &heads {
            let h = &row[c];
            out.names = out.names.or(h.names);
            out.note = h.note.or(out.note);
            out.total |= h.total;
            out.measure = h.measure.or(out.measure);
        }
        out
    };
    let header_keys = |c: usize| -> Vec<Key> { heads.iter().filter_map(|row| row[c].key.clone()).collect() };
    let any_codes = facts.iter().any(|f| f.codes > 0);
    let mut cols = vec![Col::Empty; width];
    for c in 0..width {
        let f = &facts[c];
        let h = head(c);
        let keys = header_keys(c);
        let text_cells = f.nonempty - f.numbers;
        let majority = |n: usize| n > 0 && n * 2 >= text_cells && f.numbers <= n;
        cols[c] = if let Some(d) = h.names {
            if d == Dim::Indicator && any_codes && f.codes == 0 && f.keys[0] > 0 {
                // "Indicator" above titles, with the codes in another column
                Col::Text
            } else {
                Col::Key(d)
            }
        } else if h.total {
            Col::Total
        } else if let Some(n) = h.note {
            Col::Note(n)
        } else if keys.is_empty() && h.measure.is_none() && f.labels >= 2 && f.labels * 2 >= text_cells {
            Col::Label
        } else if keys.is_empty() && h.measure.is_none() && text_cells > 0 {
            match Dim::ALL.iter().copied().max_by_key(|d| f.keys[*d as usize]) {
                Some(Dim::Indicator) if majority(f.keys[0]) && (f.codes > 0 || !any_codes) => Col::Key(Dim::Indicator),
                Some(d) if d != Dim::Indicator && majority(f.keys[d as usize]) => Col::Key(d),
                _ if f.numbers > 0 => Col::Unread("its heading does not say what its numbers are".into()),
                _ => Col::Text,
            }
        } else if !keys.is_empty() || h.measure.is_some() {
            Col::Measure(keys, h.measure.unwrap_or(Measure::Value))
        } else if f.numbers > 0 {
            Col::Unread("its heading does not say what its numbers are".into())
        } else if f.nonempty > 0 {
            Col::Text
        } else {
            Col::Empty
        };
    }
    // one column per dimension down: a second (an area's code beside its name) is text
    for d in Dim::ALL {
        let mut seen = false;
        for c in cols.iter_mut() {
            if *c == Col::Key(d) {
                if seen {
                    *c = Col::Text;
                }
                seen = true;
            }
        }
    }
    // a measure column whose header names a down dimension's key is not that (an area's
    // name in a header above a column of values is the area across; down wins when both)
    let down = |cols: &[Col], d: Dim| cols.iter().position(|c| *c == Col::Key(d));
    // value columns the header does not name: when no column is a measure, each column of
    // numbers is a candidate for the value, and each is a reading
    let unlabelled: Vec<usize> =
        cols.iter().enumerate().filter(|(_, c)| matches!(c, Col::Unread(_))).map(|(i, _)| i).collect();
    let has_measure = cols.iter().any(|c| matches!(c, Col::Measure(_, m) if *m != Measure::Target));
    let mut variants: Vec<(Vec<Col>, Option<String>)> = Vec::new();
    if has_measure || unlabelled.is_empty() {
        variants.push((cols.clone(), None));
    } else {
        // a value column chosen from the first few (a headerless table of many columns of numbers
        // places one at most either way)
        for &u in unlabelled.iter().take(4) {
            let mut v = cols.clone();
            v[u] = Col::Measure(Vec::new(), Measure::Value);
            for &o in unlabelled.iter().filter(|&&o| o != u) {
                v[o] = Col::Unread(format!("the value was taken from column {}", col_letter(u)));
            }
            let why = if unlabelled.len() == 1 {
                format!("the value from column {}, the only column of numbers", col_letter(u))
            } else {
                format!("the value from column {}", col_letter(u))
            };
            variants.push((v, Some(why)));
        }
    }
    let mut out = Vec::new();
    let mut err = None;
    for (mut cols, chosen_value) in variants {
        // a dimension both down and across: the header's keys of it are not read
        for d in Dim::ALL {
            if down(&cols, d).is_some() {
                for c in cols.iter_mut() {
                    if let Col::Measure(keys, m) = c
                        && *m != Measure::Target
                        && keys.iter().any(|k| k.dim() == d)
                    {
                        let said: Vec<String> = keys.iter().filter(|k| k.dim() == d).map(key_text).collect();
                        *c = Col::Unread(format!(
                            "its heading names the {} {} but the rows say the {} too",
                            d.name(),
                            said.join(", "),
                            d.name()
                        ));
                    }
                }
            }
        }
        match place(sheet, lex, around, &table, &mut cols) {
            Ok(place) => {
                let mut r =
                    Reading { table: table.clone(), cols, place, score: 0, fingerprint: Vec::new(), chosen_value };
                score(sheet, &mut r, body_rows);
                out.push(r);
            }
            Err(e) => err = err.or(Some(e)),
        }
    }
    if out.is_empty() {
        return Err(err.unwrap_or((table.body.start, 0, "no values could be placed".into())));
    }
    Ok(out)
}

/// Place each dimension: down, across, or fixed by what the sheet says around the table.
fn place(
    sheet: &Sheet,
    lex: &Lexicon,
    around: &Around,
    table: &Table,
    cols: &mut [Col],
) -> Result<[Place; 3], Refusal> {
    let header_row = table.header.last().copied().unwrap_or(table.body.start);
    let mut out: Vec<Place> = Vec::new();
    for d in Dim::ALL {
        if let Some(c) = cols.iter().position(|c| *c == Col::Key(d)) {
            out.push(Place::Down(c));
            continue;
        }
        let across = cols
            .iter()
            .any(|c| matches!(c, Col::Measure(keys, m) if *m != Measure::Target && keys.iter().any(|k| k.dim() == d)));
        if across {
            out.push(Place::Across);
            continue;
        }
        let value_col = cols.iter().position(|c| matches!(c, Col::Measure(_, m) if *m != Measure::Target)).unwrap_or(0);
        out.push(match d {
            Dim::Period => {
                let (p, from) = stated_period(sheet, around, table, header_row, value_col)?;
                Place::Fixed(Key::Period(p), from)
            }
            Dim::Indicator => match stated_indicator(sheet, lex, around, table) {
                Some((k, from)) => Place::Fixed(k, from),
                None => return Err(no_header(sheet, table)),
            },
            Dim::Area => match stated_area(sheet, lex, around, table) {
                Some((k, from)) => Place::Fixed(k, from),
                None if lex.ctx.comparators => {
                    return Err((
                        table.header.first().copied().unwrap_or(table.body.start),
                        0,
                        "a comparator table must name its authorities (a column of ONS codes or names, or one named above the table)".into(),
                    ));
                }
                None => Place::Fixed(
                    Key::Area(lex.ctx.ws.county().code.clone()),
                    "no area given, so the partnership as a whole".into(),
                ),
            },
        });
    }
    // quarters across without their year take it from above, the titles, the names or --period
    if out[2] == Place::Across {
        for (c, col) in cols.iter_mut().enumerate() {
            let Col::Measure(keys, _) = col else { continue };
            let quarter = keys.iter().find_map(|k| if let Key::Quarter(q) = k { Some(*q) } else { None });
            let Some(q) = quarter else { continue };
            let year = keys.iter().find_map(|k| match k {
                Key::Period(Period::Year { year }) => Some(*year),
                _ => None,
            });
            let year = year
                .or_else(|| header_row.checked_sub(1).and_then(|above| year_left_of(sheet, above, c)))
                .or_else(|| periods::find_year(&sheet::title_text(sheet, header_row)))
                .or_else(|| around.sheet_name.and_then(periods::find_year))
                .or_else(|| periods::find_year(around.file_name))
                .or_else(|| around.period.map(|p| p.year()));
            match year {
                Some(y) => {
                    keys.retain(|k| k.dim() != Dim::Period);
                    keys.push(Key::Period(Period::quarter(y, q)));
                }
                None => {
                    let text = sheet.cell(header_row, c).text();
                    return Err((
                        header_row,
                        c,
                        format!(
                            "column {text:?} names a quarter but no financial year: write the year in the header (\"Q{q} 2008/09\") or in a title row above it, or give it with --period \"2009/10 Q{q}\""
                        ),
                    ));
                }
            }
        }
    }
    // two periods in one column's header (a year above a full quarter): the lowest wins
    for col in cols.iter_mut() {
        if let Col::Measure(keys, _) = col {
            let periods: Vec<usize> =
                keys.iter().enumerate().filter(|(_, k)| k.dim() == Dim::Period).map(|(i, _)| i).collect();
            if periods.len() > 1 {
                let keep = keys[*periods.last().expect("two")].clone();
                keys.retain(|k| k.dim() != Dim::Period);
                keys.push(keep);
            }
        }
    }
    Ok([out.remove(0), out.remove(0), out.remove(0)])
}

fn no_header(sheet: &Sheet, table: &Table) -> Refusal {
    let top = table.header.first().copied().unwrap_or(table.body.start);
    let title = sheet::title_text(sheet, top.max(1));
    let shown: String = title.chars().take(60).collect();
    (
        table.header.first().copied().unwrap_or(0),
        0,
        format!(
            "no header row found (only {shown:?}); expected an indicator column (\"NI\", \"NI ref\", \"Indicator\") with either a column per quarter (\"Q2 2008/09\", \"Jul-Sep 08\") or \"Period\" and \"Value\" columns"
        ),
    )
}

/// The nearest financial year named at or to the left of `col` in `row` (a year header merged
/// across its quarters sits in its first column).
fn year_left_of(sheet: &Sheet, row: usize, col: usize) -> Option<i32> {
    let cells = sheet.rows.get(row)?;
    cells.iter().take(col + 1).rev().find_map(|c| match c {
        Cell::Number(n) if n.fract() == 0.0 && (1990.0..=2100.0).contains(n) => Some(*n as i32),
        _ => match c.text().parse::<Period>() {
            Ok(Period::Year { year }) => Some(year),
            _ => periods::find_year(&c.text()),
        },
    })
}

/// The one quarter a table is for: from the title rows above its header (nearest first), the
/// sheet's name, the file's name and `--period`; two that disagree, or none at all, are an
/// error naming where it looked.
fn stated_period(
    sheet: &Sheet,
    around: &Around,
    table: &Table,
    header_row: usize,
    value_col: usize,
) -> Result<(Period, String), Refusal> {
    let mut found: Vec<(String, Period)> = Vec::new();
    'rows: for r in table.title_rows.clone().rev().chain(table.above.iter().copied()) {
        for (c, cell) in sheet.rows.get(r).into_iter().flatten().enumerate() {
            let p = match cell {
                Cell::Date(d) => Some(Period::from_date(d.date())),
                _ => periods::find_quarter(&cell.text()),
            };
            if let Some(p) = p {
                found.push((format!("cell {}", sheet::a1(r, c)), p));
                break 'rows;
            }
        }
    }
    if let Some(p) = around.sheet_name.and_then(periods::find_quarter) {
        found.push((format!("the sheet name {:?}", around.sheet_name.unwrap_or("")), p));
    }
    if let Some(p) = periods::find_quarter(around.file_name) {
        found.push((format!("the file name {:?}", around.file_name), p));
    }
    if let Some(p) = around.period {
        found.push(("--period".into(), p));
    }
    let header_cell = sheet::a1(header_row, value_col);
    match found.as_slice() {
        [] => Err((
            header_row,
            value_col,
            format!(
                "the value column {:?} is for one quarter, but the return does not say which: no quarter in the title rows above {header_cell}, the sheet name or the file name; say it with --period \"2009/10 Q3\"",
                sheet.cell(header_row, value_col).text()
            ),
        )),
        [(_, p), rest @ ..] => match rest.iter().find(|(_, q)| q != p) {
            Some((other, q)) => Err((
                header_row,
                value_col,
                format!("the return says two quarters: {} ({p}) and {other} ({q})", found[0].0),
            )),
            None => Ok((*p, found.iter().map(|f| f.0.clone()).collect::<Vec<_>>().join(", "))),
        },
    }
}

/// The first key a title cell says, nearest the table first (its own title rows, then earlier
/// tables'), read whole or after a colon ("Area: Blaby"), with the cell it is in.
fn said_in_titles(sheet: &Sheet, table: &Table, key: impl Fn(&str) -> Option<Key>) -> Option<(Key, String)> {
    for r in table.title_rows.clone().rev().chain(table.above.iter().copied()) {
        for (c, cell) in sheet.rows.get(r).into_iter().flatten().enumerate() {
            let text = cell.text();
            let after_colon = text.rsplit(':').next().unwrap_or("").trim();
            if let Some(k) = key(&text).or_else(|| key(after_colon)) {
                return Some((k, format!("cell {}", sheet::a1(r, c))));
            }
        }
    }
    None
}

/// An indicator a whole table is for: a title cell ("NI 154 Net additional homes", "Indicator:
/// NI 154"), or the sheet's name.
fn stated_indicator(sheet: &Sheet, lex: &Lexicon, around: &Around, table: &Table) -> Option<(Key, String)> {
    let in_titles = said_in_titles(sheet, table, |t| match lex.indicator(t) {
        Some(k @ Key::Indicator { known: true, .. }) => Some(k),
        _ => None,
    });
    if in_titles.is_some() {
        return in_titles;
    }
    let name = around.sheet_name?;
    match lex.indicator(name) {
        Some(k @ Key::Indicator { known: true, .. }) => Some((k, format!("the sheet name {name:?}"))),
        _ => None,
    }
}

/// An area a whole table is for: `--area`, a title cell ("Blaby", "Area: Blaby"), the sheet's
/// name, or a word of the file's name.
fn stated_area(sheet: &Sheet, lex: &Lexicon, around: &Around, table: &Table) -> Option<(Key, String)> {
    if let Some(a) = around.area.and_then(|a| lex.area(a)) {
        return Some((a, "--area".into()));
    }
    if let Some(found) = said_in_titles(sheet, table, |t| lex.area(t)) {
        return Some(found);
    }
    if let Some(k) = around.sheet_name.and_then(|n| lex.area(n)) {
        return Some((k, format!("the sheet name {:?}", around.sheet_name.unwrap_or(""))));
    }
    let stem = around.file_name.rsplit_once('.').map_or(around.file_name, |(s, _)| s);
    for word in stem.split(['-', '_', ' ', '.']) {
        if word.len() >= 4
            && let Some(k) = lex.area(word)
        {
            return Some((k, format!("the file name {:?}", around.file_name)));
        }
    }
    None
}

/// How many numbers a reading explains, on the sampled rows: each number in a column it reads.
fn score(sheet: &Sheet, r: &mut Reading, rows: &[usize]) {
    let mut fp = Vec::new();
    for &row in rows {
        for (c, col) in r.cols.iter().enumerate() {
            if let Col::Measure(_, m) = col
                && is_numeric(sheet.cell(row, c))
            {
                fp.push((row, c, *m));
            }
        }
    }
    r.score = fp.len();
    r.fingerprint = fp;
}
