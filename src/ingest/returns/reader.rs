//! One sheet of a return read into observations: its tables found, each table's best reading
//! chosen (and refused when two explain it equally), every value cell validated where it is,
//! and every number on the sheet accounted for.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::cells::{Dim, Key, Lexicon, Measure, Note, ValueCell, is_numeric, value_cell};
use super::table::{self, Around, Col, Place, Reading, Table, col_letter, key_text};
use super::*;
use crate::domain::numbers::format_number;

pub(super) struct SheetReader<'a, 'b> {
    pub(super) wb: &'a Workbook,
    pub(super) sheet: &'a Sheet,
    pub(super) ctx: &'a Context<'b>,
    pub(super) lex: &'a Lexicon<'a>,
    pub(super) problems: &'a mut Vec<Problem>,
    pub(super) out: &'a mut Vec<Observation>,
    /// Things worth saying that do not stop the import (a copied target that disagrees).
    pub(super) warnings: &'a mut Vec<Problem>,
    /// Cells that say there is no value, and why.
    pub(super) missing: &'a mut Vec<Missing>,
    /// Every number on the sheet that is not stored as a value, numerator or denominator.
    pub(super) accounted: &'a mut Vec<Accounted>,
    /// How many numbers were stored (as values, numerators or denominators).
    pub(super) stored: &'a mut usize,
    /// The file's label and the sheet's name, as every source cell of the sheet shares them.
    pub(super) file: std::sync::Arc<str>,
    pub(super) sheet_name: Option<std::sync::Arc<str>>,
}

/// A value being gathered from the cells that give it (a stacked table gives a value's
/// numerator, denominator and result on three rows).
#[derive(Debug)]
struct Pending {
    keys: (String, String, Period),
    /// Where the period was said (for a period outside the agreement).
    period_at: (usize, usize),
    value: Option<(f64, usize, usize)>,
    numerator: Option<(f64, usize, usize)>,
    denominator: Option<(f64, usize, usize)>,
    flag: Option<&'static str>,
    commentary: Option<String>,
    action: Option<String>,
    self_rating: Option<String>,
    quality: Option<String>,
    /// A copied target beside it (the cell), checked once the value is stored.
    target: Option<(usize, usize)>,
}

/// What became of each number of a sheet: the stored ones marked in a flat array shaped like the
/// sheet's rows (a flag per cell present: no map grows with the values), the rest (copied
/// targets, totals, numbers not read) by cell with what they are.
pub(super) struct Roles {
    offsets: Vec<usize>,
    stored: Vec<bool>,
    other: FxHashMap<(usize, usize), Cow<'static, str>>,
}

impl Roles {
    fn new(sheet: &Sheet) -> Roles {
        let mut offsets = Vec::with_capacity(sheet.rows.len() + 1);
        let mut n = 0;
        for row in &sheet.rows {
            offsets.push(n);
            n += row.len();
        }
        offsets.push(n);
        Roles { offsets, stored: vec![false; n], other: FxHashMap::default() }
    }

    fn index(&self, r: usize, c: usize) -> Option<usize> {
        let (start, end) = (*self.offsets.get(r)?, *self.offsets.get(r + 1)?);
        (start + c < end).then_some(start + c)
    }

    fn store(&mut self, r: usize, c: usize) {
        if let Some(i) = self.index(r, c) {
            self.stored[i] = true;
        }
    }

    fn is_stored(&self, r: usize, c: usize) -> bool {
        self.index(r, c).is_some_and(|i| self.stored[i])
    }

    fn set(&mut self, r: usize, c: usize, role: Cow<'static, str>) {
        self.other.insert((r, c), role);
    }

    fn set_if_absent(&mut self, r: usize, c: usize, role: impl FnOnce() -> Cow<'static, str>) {
        self.other.entry((r, c)).or_insert_with(role);
    }

    fn get(&self, r: usize, c: usize) -> Option<&Cow<'static, str>> {
        self.other.get(&(r, c))
    }
}

impl Pending {
    fn new(keys: (String, String, Period), period_at: (usize, usize)) -> Pending {
        Pending {
            keys,
            period_at,
            value: None,
            numerator: None,
            denominator: None,
            flag: None,
            commentary: None,
            action: None,
            self_rating: None,
            quality: None,
            target: None,
        }
    }
}

impl SheetReader<'_, '_> {
    fn loc(&self, row: usize, col: usize) -> Loc {
        // the file's and sheet's names shared by every cell's source, not copied for each
        Loc { file: self.file.clone(), sheet: self.sheet_name.clone(), cell: sheet::a1(row, col) }
    }

    fn problem(&mut self, row: usize, col: usize, message: String) {
        let loc = self.loc(row, col);
        self.problems.push(Problem { loc, message });
    }

    fn around(&self) -> Around<'_> {
        let file = std::path::Path::new(&self.wb.label).file_name().and_then(|f| f.to_str()).unwrap_or(&self.wb.label);
        Around {
            sheet_name: self.sheet.name.as_deref(),
            file_name: file,
            period: self.ctx.period,
            area: self.ctx.area.as_deref(),
        }
    }

    /// Read the sheet's tables into `out`; `Err` when the sheet holds no table at all.
    pub(super) fn read(&mut self) -> Result<Vec<SheetExplanation>, Problem> {
        let sheet_problem = |r: &Self, row, col, message: String| Problem { loc: r.loc(row, col), message };
        if self.sheet.is_blank() {
            return Err(sheet_problem(self, 0, 0, "sheet is empty: no header row and no values".into()));
        }
        let tables = table::find_tables(self.sheet, self.lex);
        if tables.is_empty() {
            // a header with nothing below it is a return with no values (said for the whole file)
            return match self.no_table() {
                Ok(row) => Ok(vec![SheetExplanation {
                    sheet: self.sheet_label(),
                    layout: format!("a header (row {}) but no values below it", row + 1),
                    header_row: Some(row + 1),
                    ..SheetExplanation::default()
                }]),
                Err(p) => Err(p),
            };
        }
        let mut explained = Vec::new();
        // when no table can be read, the refusal of the largest is the sheet's
        let mut refusal: Option<(usize, Problem)> = None;
        let mut read_any = false;
        let mut roles = Roles::new(self.sheet);
        // the reading of each table read, for the accounting of its numbers
        let mut read: Vec<Reading> = Vec::new();
        let n_tables = tables.len();
        for (i, t) in tables.iter().enumerate() {
            let around = self.around();
            let chosen = table::readings(self.sheet, self.lex, &around, t).and_then(|rs| self.choose(t, rs));
            match chosen {
                Ok((best, runner_up)) => {
                    read_any = true;
                    if self.sheet.name.is_none() {
                        self.check_csv_widths(&best.table);
                    }
                    let mut e = self.explain(&best, runner_up.as_ref());
                    if n_tables > 1 {
                        e.layout = format!(
                            "table {} of {n_tables} (rows {}–{}): {}",
                            i + 1,
                            t.body.start + 1,
                            t.body.end,
                            e.layout
                        );
                    }
                    for r in best.table.title_rows.clone() {
                        if self.sheet.rows.get(r).is_some_and(|cells| cells.iter().any(|c| !c.is_empty())) {
                            e.rows.push((r + 1, "a title, prose or instructions above the table".into()));
                        }
                    }
                    let rows = self.read_table(&best, &mut roles);
                    e.rows.extend(rows.into_iter().map(|(r, what)| (r + 1, what)));
                    if i + 1 == n_tables {
                        // below the last table: notes and footnotes
                        for r in best.table.body.end..self.sheet.rows.len() {
                            if self.sheet.rows[r].iter().any(|c| !c.is_empty()) {
                                e.rows.push((r + 1, "a note below the table".into()));
                            }
                        }
                    }
                    explained.push(e);
                    read.push(best);
                }
                Err((row, col, message)) => {
                    let p = sheet_problem(self, row, col, message);
                    if n_tables > 1 {
                        explained.push(SheetExplanation {
                            sheet: self.sheet_label(),
                            layout: format!("table {} of {n_tables} not read: {}", i + 1, p.message),
                            ..SheetExplanation::default()
                        });
                        for r in t.body.clone() {
                            for c in 0..self.sheet.rows.get(r).map_or(0, Vec::len) {
                                roles.set_if_absent(r, c, || format!("not read: {}", p.message).into());
                            }
                        }
                    }
                    let size = t.body.len();
                    if refusal.as_ref().is_none_or(|(n, _)| size > *n) {
                        refusal = Some((size, p));
                    }
                }
            }
        }
        if !read_any {
            return Err(refusal.expect("a table failed").1);
        }
        self.account(&tables, &read, &roles, &mut explained);
        Ok(explained)
    }

    fn sheet_label(&self) -> String {
        self.sheet.name.clone().unwrap_or_else(|| "(csv)".into())
    }

    /// A sheet with no row of values: the row of its header, when it has one (a return with no
    /// values, said later for the whole file); no header either is not a return.
    fn no_table(&self) -> Result<usize, Problem> {
        let header = self.sheet.rows.iter().take(50).position(|r| {
            r.iter().any(|c| self.lex.header(c).names == Some(Dim::Indicator))
                && r.iter().filter(|c| !c.is_empty()).count() >= 2
        });
        let title = sheet::title_text(self.sheet, self.sheet.rows.len());
        let shown: String = title.chars().take(60).collect();
        match header {
            Some(row) => Ok(row),
            None => Err(Problem {
                loc: self.loc(0, 0),
                message: format!(
                    "no header row found (only {shown:?}); expected an indicator column (\"NI\", \"NI ref\", \"Indicator\") with either a column per quarter (\"Q2 2008/09\", \"Jul-Sep 08\") or \"Period\" and \"Value\" columns"
                ),
            }),
        }
    }

    /// The best reading, and the runner-up; two that explain the table equally but read it
    /// differently are a refusal naming both.
    fn choose(&self, t: &Table, rs: Vec<Reading>) -> Result<(Reading, Option<Reading>), table::Refusal> {
        let mut it = rs.into_iter();
        let best = it.next().expect("readings() gives at least one");
        let runner_up = it.find(|r| r.fingerprint != best.fingerprint || r.place != best.place);
        // two readings of the same header that place the numbers differently: a guess either way
        if let Some(r) = &runner_up
            && r.score == best.score
            && r.table.header == best.table.header
            && r.fingerprint != best.fingerprint
        {
            let top = t.header.first().copied().unwrap_or(t.body.start);
            return Err((
                top,
                0,
                format!(
                    "two readings explain this table equally, so laa will not guess: ({}) or ({}); label the value column, or give the period, area or indicator once above the table",
                    best.describe(),
                    r.describe()
                ),
            ));
        }
        Ok((best, runner_up))
    }

    /// A csv row with more fields than its header (beyond empty ones) is an error naming the
    /// field: a separator inside an unquoted commentary shifts every later field of the row.
    fn check_csv_widths(&mut self, t: &Table) {
        let Some(&h) = t.header.last() else { return };
        let header = self.sheet.rows.get(h).map(Vec::as_slice).unwrap_or_default();
        let width = header.iter().rposition(|c| !c.is_empty()).map_or(0, |c| c + 1);
        let mut found = Vec::new();
        for r in t.body.clone() {
            let cells = &self.sheet.rows[r];
            if let Some(c) = cells.iter().rposition(|c| !c.is_empty()).filter(|&c| c >= width) {
                found.push((r, c));
            }
        }
        for (r, c) in found {
            let n = self.sheet.rows[r].iter().rposition(|c| !c.is_empty()).map_or(0, |c| c + 1);
            self.problem(
                r,
                c,
                format!(
                    "row {} has {n} fields but the header has {width}: is there an unquoted separator in an earlier field?",
                    r + 1
                ),
            );
        }
    }

    /// Each header cell's role in the reading chosen.
    fn explain(&self, rd: &Reading, runner_up: Option<&Reading>) -> SheetExplanation {
        let role = |c: usize| column_role(rd, c);
        let header_row = rd.table.header.last().copied();
        let cells: Vec<(usize, String)> = match header_row {
            Some(h) => self
                .sheet
                .rows
                .get(h)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter(|(c, cell)| !cell.is_empty() || *rd.col(*c) != Col::Empty)
                .map(|(c, cell)| (c, cell.text()))
                .collect(),
            None => (0..rd.cols.len()).filter(|c| *rd.col(*c) != Col::Empty).map(|c| (c, String::new())).collect(),
        };
        let columns = cells.into_iter().map(|(c, text)| (col_letter(c), text, role(c))).collect();
        let period_from = match rd.place(Dim::Period) {
            Place::Fixed(_, from) => Some(from.clone()),
            _ => None,
        };
        SheetExplanation {
            sheet: self.sheet_label(),
            layout: rd.layout_name(),
            header_row: header_row.map(|h| h + 1),
            columns,
            period_from,
            reading: rd.describe(),
            runner_up: Some(match runner_up {
                Some(r) => {
                    let header = match r.table.header.as_slice() {
                        [] => "no header row".to_string(),
                        [h] => format!("header row {}", h + 1),
                        [a, .., b] => format!("header rows {}–{}", a + 1, b + 1),
                    };
                    let why = if r.score < rd.score {
                        format!("it places {} of the numbers, the reading chosen {}", r.score, rd.score)
                    } else {
                        format!("both place {} numbers; the reading chosen uses more of the header", rd.score)
                    };
                    format!("{} ({header}): {why}", r.describe())
                }
                None => "none: no other reading places these numbers".into(),
            }),
            ignored: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Read a table's every row by its reading; the rows that are not values, each with what it
    /// is (a total, a note or heading), for `--explain`.
    fn read_table(&mut self, rd: &Reading, roles: &mut Roles) -> Vec<(usize, String)> {
        let mut not_values: Vec<(usize, String)> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut index: FxHashMap<(String, String, Period), usize> = FxHashMap::default();
        let key_col = |d: Dim| match rd.place(d) {
            Place::Down(c) => Some(*c),
            _ => None,
        };
        let label_col = rd.cols.iter().position(|c| *c == Col::Label);
        // whether a value may be gathered from several cells of its row (value, numerator, denominator)
        let fractions = rd.cols.iter().any(|c| matches!(c, Col::Measure(_, Measure::Numerator | Measure::Denominator)));
        let header_row = rd.table.header.last().copied().unwrap_or(rd.table.body.start);
        let mut carried_indicator: Option<String> = None;
        let mut since_total = rd.table.body.start;
        for row in rd.table.body.clone() {
            let measure_cols: Vec<(usize, &Vec<Key>, Measure)> = rd
                .cols
                .iter()
                .enumerate()
                .filter_map(|(c, col)| match col {
                    Col::Measure(keys, m) => Some((c, keys, *m)),
                    _ => None,
                })
                .filter(|(c, _, _)| !self.sheet.cell(row, *c).is_empty())
                .collect();
            if measure_cols.is_empty() {
                if self.sheet.rows.get(row).is_some_and(|r| r.iter().any(|c| !c.is_empty())) {
                    not_values.push((row, "a note or a heading (no values)".into()));
                }
                continue;
            }
            // a total row: labelled so in a key column
            let total = rd.cols.iter().enumerate().any(|(c, col)| {
                matches!(col, Col::Key(_) | Col::Label) && cells::is_total_label(self.sheet.cell(row, c))
            });
            // or unlabelled: its key cells blank, each number the sum of the column's numbers above
            let labelled = total;
            let total = total || self.adds_up(rd, row, &measure_cols, since_total);
            if total {
                not_values.push((
                    row,
                    if labelled { "a total (labelled)" } else { "a total (the sum of the rows above)" }.into(),
                ));
                for (c, _, _) in &measure_cols {
                    roles.set(row, *c, "a total row (not stored)".into());
                }
                since_total = row + 1;
                continue;
            }
            let row_label = label_col.and_then(|c| self.lex.measure_label(self.sheet.cell(row, c)));
            // the row's keys; `None` for a dimension when its cell is wrong (the problem is
            // recorded, and the row's values are still checked)
            let mut ok = true;
            let indicator = match (rd.place(Dim::Indicator), key_col(Dim::Indicator)) {
                (_, Some(c)) => {
                    let raw = self.sheet.cell(row, c);
                    if raw.is_empty() && label_col.is_some() && carried_indicator.is_some() {
                        carried_indicator.clone()
                    } else {
                        let k = self.row_indicator(row, c);
                        carried_indicator = k.clone();
                        k
                    }
                }
                (Place::Fixed(Key::Indicator { code, .. }, _), _) => Some(code.clone()),
                _ => None,
            };
            ok &= indicator.is_some() || rd.place(Dim::Indicator) == &Place::Across;
            let area = match (rd.place(Dim::Area), key_col(Dim::Area)) {
                (_, Some(c)) => self.row_area(row, c),
                (Place::Fixed(Key::Area(a), _), _) => Some(a.clone()),
                _ => None,
            };
            ok &= area.is_some() || rd.place(Dim::Area) == &Place::Across;
            let period = match (rd.place(Dim::Period), key_col(Dim::Period)) {
                (_, Some(c)) => self.cell_period(row, c).map(|p| (p, (row, c))),
                (Place::Fixed(Key::Period(p), _), _) => Some((*p, (row, usize::MAX))),
                _ => None,
            };
            ok &= period.is_some() || rd.place(Dim::Period) == &Place::Across;
            let mut touched: Option<usize> = None;
            let mut target: Option<(usize, usize)> = None;
            let row_start = pending.len();
            for (c, keys, m) in measure_cols {
                let cell = self.sheet.cell(row, c);
                let v = value_cell(cell);
                let (value, flag) = match v {
                    ValueCell::Blank => continue,
                    ValueCell::Bad(e) => {
                        self.problem(row, c, e.to_string());
                        continue;
                    }
                    ValueCell::Missing(reason) => {
                        let key = |d: Dim, row_key: Option<String>| {
                            keys.iter().find(|k| k.dim() == d).map(key_text).or(row_key).unwrap_or_default()
                        };
                        self.missing.push(Missing {
                            indicator: key(Dim::Indicator, indicator.clone()),
                            area: key(Dim::Area, area.clone()),
                            period: key(Dim::Period, period.map(|p| p.0.to_string())),
                            reason: reason.to_string(),
                            text: cell.text(),
                            loc: self.loc(row, c),
                        });
                        continue;
                    }
                    ValueCell::Number(v, flag) => (v, flag),
                };
                if m == Measure::Target {
                    target = Some((row, c));
                    roles.set(row, c, "a copied target, checked against the agreement".into());
                    continue;
                }
                if !ok {
                    continue;
                }
                let measure = match (m, row_label) {
                    (Measure::Value, Some(l)) => l,
                    (m, _) => m,
                };
                if measure == Measure::Target {
                    target = Some((row, c));
                    roles.set(row, c, "a copied target, checked against the agreement".into());
                    continue;
                }
                let col_key = |d: Dim| keys.iter().find(|k| k.dim() == d);
                let ind = match col_key(Dim::Indicator) {
                    Some(Key::Indicator { code, known }) => {
                        if !known {
                            self.problem(
                                header_row,
                                c,
                                format!("unknown indicator {code}: not in the catalogue nor a local indicator of the agreement"),
                            );
                            continue;
                        }
                        code.clone()
                    }
                    _ => indicator.clone().unwrap_or_default(),
                };
                let ar = match col_key(Dim::Area) {
                    Some(Key::Area(a)) => a.clone(),
                    _ => area.clone().unwrap_or_default(),
                };
                let (per, per_at) = match col_key(Dim::Period) {
                    Some(Key::Period(p)) => (*p, (header_row, c)),
                    _ => match period {
                        Some((p, (r, pc))) => (p, (r, if pc == usize::MAX { c } else { pc })),
                        None => continue,
                    },
                };
                let k = (ind, ar, per);
                let slot = |p: &Pending| match measure {
                    Measure::Numerator => p.numerator.is_some(),
                    Measure::Denominator => p.denominator.is_some(),
                    _ => p.value.is_some(),
                };
                // a value's numerator and denominator are on its row, or (stacked) on the rows
                // under its code: only a stacked table looks beyond the row
                let found = if label_col.is_some() {
                    index.get(&k).copied()
                } else if fractions {
                    pending[row_start..].iter().position(|p| p.keys == k).map(|i| row_start + i)
                } else {
                    // one measure per cell: each value is its own
                    None
                };
                let i = match found {
                    Some(i) if !slot(&pending[i]) => i,
                    _ => {
                        if label_col.is_some() {
                            index.insert(k.clone(), pending.len());
                        }
                        pending.push(Pending::new(k, per_at));
                        pending.len() - 1
                    }
                };
                let p = &mut pending[i];
                match measure {
                    Measure::Numerator => p.numerator = Some((value, row, c)),
                    Measure::Denominator => p.denominator = Some((value, row, c)),
                    _ => p.value = Some((value, row, c)),
                }
                p.flag = p.flag.or(flag);
                touched = Some(i);
            }
            // text kept with a value speaks of the row's last value (the latest quarter of a wide row)
            if let Some(i) = touched {
                let text = |n: Note| {
                    rd.cols
                        .iter()
                        .position(|c| *c == Col::Note(n))
                        .map(|c| self.sheet.cell(row, c).text())
                        .filter(|t| !t.is_empty())
                };
                let (commentary, action, quality) = (text(Note::Commentary), text(Note::Action), text(Note::Quality));
                let self_rating = rd
                    .cols
                    .iter()
                    .position(|c| *c == Col::Note(Note::SelfRating))
                    .and_then(|c| self.self_rating(row, c));
                let p = &mut pending[i];
                p.commentary = p.commentary.take().or(commentary);
                p.action = p.action.take().or(action);
                p.quality = p.quality.take().or(quality);
                p.self_rating = p.self_rating.take().or(self_rating);
                p.target = p.target.or(target);
            }
            if label_col.is_none() {
                // nothing below adds to this row's values: store them now (the list stays short)
                for p in pending.drain(..) {
                    self.finish(p, roles);
                }
            }
        }
        for p in pending {
            self.finish(p, roles);
        }
        not_values
    }

    /// Whether a row with blank key cells is a total: each of its numbers the sum of the numbers
    /// above it in its column (since the table's start or the last total), to the rounding of
    /// one decimal place.
    fn adds_up(&self, rd: &Reading, row: usize, measure_cols: &[(usize, &Vec<Key>, Measure)], from: usize) -> bool {
        let keys_blank = rd
            .cols
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, Col::Key(_)))
            .all(|(c, _)| self.sheet.cell(row, c).is_empty());
        if !keys_blank || from >= row {
            return false;
        }
        let mut checked = 0;
        for (c, _, _) in measure_cols {
            let ValueCell::Number(v, _) = value_cell(self.sheet.cell(row, *c)) else { continue };
            let sum: f64 = (from..row)
                .filter_map(|r| match value_cell(self.sheet.cell(r, *c)) {
                    ValueCell::Number(x, _) => Some(x),
                    _ => None,
                })
                .sum();
            if (v - sum).abs() > 0.051_f64.max(1e-9 * sum.abs()) {
                return false;
            }
            checked += 1;
        }
        checked > 0
    }

    /// A gathered value checked and stored: its fraction, its period, its copied target.
    fn finish(&mut self, p: Pending, roles: &mut Roles) {
        let (indicator, area, period) = p.keys;
        let mut ok = true;
        for (key, v) in [("numerator", p.numerator), ("denominator", p.denominator)] {
            let Some((v, row, col)) = v else { continue };
            if v < 0.0 {
                self.problem(
                    row,
                    col,
                    format!("the {key} is {}, below zero, which a count cannot be", format_number(v)),
                );
                ok = false;
            } else if key == "denominator" && v > 0.0 && v < 1.0 {
                let message = format!(
                    "the denominator is {}, less than one: a denominator counts people, households or cases; check the cell",
                    format_number(v)
                );
                self.warnings.push(Problem { loc: self.loc(row, col), message });
            }
        }
        if !ok {
            return;
        }
        let (value, loc) = match (p.value, p.numerator, p.denominator) {
            (Some((v, r, c)), ..) => (v, self.loc(r, c)),
            (None, Some((n, nr, nc)), Some((d, dr, dc))) => {
                if d == 0.0 {
                    self.problem(dr, dc, "the denominator is 0, so no value can be derived".into());
                    return;
                }
                let scale = self.ctx.catalogue.get(&indicator).map_or(1.0, |i| i.unit_scale());
                let v = n / d * scale;
                if !v.is_finite() {
                    self.problem(
                        nr,
                        nc,
                        format!(
                            "the numerator ÷ the denominator ({v}) is too large to be a value: check {} and {}",
                            sheet::a1(nr, nc),
                            sheet::a1(dr, dc)
                        ),
                    );
                    return;
                }
                // the value is numerator ÷ denominator: name both cells
                let mut loc = self.loc(nr, nc);
                loc.cell = format!("{}/{}", sheet::a1(nr, nc), sheet::a1(dr, dc));
                (v, loc)
            }
            (None, one, other) => {
                // a numerator without its denominator (or the reverse) makes no value
                for (r, c) in [one, other].into_iter().flatten().map(|(_, r, c)| (r, c)) {
                    roles.set(r, c, "a numerator or denominator without its pair or a value (not stored)".into());
                }
                return;
            }
        };
        let (pr, pc) = p.period_at;
        let Some(period) = self.check_period(&indicator, period, pr, pc) else { return };
        for (_, r, c) in [p.value, p.numerator, p.denominator].into_iter().flatten() {
            roles.store(r, c);
            *self.stored += 1;
        }
        let quality = p.quality.or_else(|| p.flag.map(str::to_string));
        self.out.push(Observation {
            indicator,
            area,
            period,
            value,
            numerator: p.numerator.map(|n| n.0),
            denominator: p.denominator.map(|d| d.0),
            commentary: p.commentary,
            action: p.action,
            self_rating: p.self_rating,
            quality,
            loc,
        });
        if let Some((r, c)) = p.target {
            self.check_copied_target(r, c, self.out.len() - 1);
        }
    }

    /// Every number on the sheet given a role: stored, checked, a total, a key, or ignored
    /// with its reason (numbers a table holds but no reading explains are warned of).
    fn account(&mut self, tables: &[Table], read: &[Reading], roles: &Roles, explained: &mut [SheetExplanation]) {
        let mut unread: Vec<(usize, usize, String)> = Vec::new();
        for (r, cells) in self.sheet.rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                if !is_numeric(cell) {
                    continue;
                }
                if roles.is_stored(r, c) {
                    continue;
                }
                if let Some(role) = roles.get(r, c) {
                    let loc = self.loc(r, c);
                    self.accounted.push(Accounted { loc, role: role.to_string() });
                    if role.starts_with("a numerator or denominator") || role.starts_with("not read") {
                        unread.push((r, c, role.to_string()));
                    }
                    continue;
                }
                let t = tables.iter().position(|t| {
                    let top = t.header.first().copied().unwrap_or(t.body.start);
                    r >= top && r < t.body.end
                });
                let role = match t.map(|i| &tables[i]) {
                    None => "outside any table: a title or a note".to_string(),
                    Some(t) if t.header.contains(&r) => "a header".into(),
                    // the reading's column for numbers it did not store
                    Some(t) => match read.iter().find(|rd| rd.table.body == t.body) {
                        None => "in a table that was not read".into(),
                        Some(rd) => match rd.col(c) {
                            Col::Unread(why) => {
                                unread.push((r, c, why.clone()));
                                format!("ignored: {why}")
                            }
                            Col::Key(_) => format!("a key ({})", column_role(rd, c)),
                            Col::Measure(..) => {
                                // a number in a value column whose row has no keys (a row the reading skips)
                                let why = "its row names no indicator, area or period";
                                unread.push((r, c, why.into()));
                                format!("ignored: {why}")
                            }
                            _ => format!("in a text column ({})", column_role(rd, c)),
                        },
                    },
                };
                let loc = self.loc(r, c);
                self.accounted.push(Accounted { loc, role });
            }
        }
        // one warning per reason, naming the cells
        let mut by_reason: Vec<(String, Vec<String>)> = Vec::new();
        for (r, c, why) in unread {
            let cell = sheet::a1(r, c);
            match by_reason.iter_mut().find(|(w, _)| *w == why) {
                Some((_, cells)) => cells.push(cell),
                None => by_reason.push((why, vec![cell])),
            }
        }
        for (why, cells) in by_reason {
            let first = cells[0].clone();
            let shown: Vec<&str> = cells.iter().take(5).map(String::as_str).collect();
            let more = if cells.len() > 5 { format!(" and {} more", cells.len() - 5) } else { String::new() };
            let loc = Loc { cell: first, ..self.loc(0, 0) };
            self.warnings.push(Problem {
                loc,
                message: format!(
                    "{} number{} not read ({}{more}): {why}; see laa import --explain",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" },
                    shown.join(", ")
                ),
            });
            if let Some(e) = explained.first_mut() {
                e.ignored.extend(cells.iter().map(|c| (c.clone(), why.clone())));
            }
        }
    }

    /// A target the partner copied beside the value: a warning naming the cell when it is not
    /// the agreement's for that year (the header's year, else the value's).
    fn check_copied_target(&mut self, row: usize, col: usize, obs: usize) {
        let Some(agreement) = self.ctx.agreement else { return };
        let Ok(Some(copied)) = self.sheet.cell(row, col).number() else { return };
        let o = &self.out[obs];
        let header_year = (0..row).rev().take(60).find_map(|r| periods::find_year(&self.sheet.cell(r, col).text()));
        let year = header_year.unwrap_or(o.period.year());
        let Some(agreed) = agreement.get(&o.indicator).and_then(|t| t.target_for(year)) else { return };
        if (copied - agreed).abs() > 1e-9 * agreed.abs().max(1.0) {
            let message = format!(
                "{} target {copied} copied here is not the agreement's {} target ({agreed}); laa rates against the agreement's",
                o.indicator,
                Period::Year { year }
            );
            self.warnings.push(Problem { loc: self.loc(row, col), message });
        }
    }

    /// The partner's own rating in a row: R/A/G, Red/Amber/Green and the like; anything else is
    /// a problem naming the cell.
    fn self_rating(&mut self, row: usize, col: usize) -> Option<String> {
        let text = self.sheet.cell(row, col).text();
        if text.is_empty() {
            return None;
        }
        match crate::domain::rag::Rag::parse(&text) {
            Some(r) if r != crate::domain::rag::Rag::Grey => Some(r.name().to_string()),
            _ => {
                self.problem(
                    row,
                    col,
                    format!("{text:?} is not a rating (expected R, A or G, or Red, Amber or Green)"),
                );
                None
            }
        }
    }

    /// The indicator a row's key cell names, by code or by its catalogue title; a problem
    /// naming the cell when it names none.
    fn row_indicator(&mut self, row: usize, icol: usize) -> Option<String> {
        let raw = self.sheet.cell(row, icol).text();
        if raw.is_empty() {
            self.problem(row, icol, "values without an indicator: the indicator cell is blank".into());
            return None;
        }
        let code = normalise_code(&raw);
        if let Some(code) = code.as_ref().filter(|c| self.ctx.catalogue.get(c).is_some()) {
            return Some(code.clone());
        }
        if let Some(code) = self.lex.code_and_title(&raw) {
            return Some(code);
        }
        if let Some(code) = self.lex.indicator_by_title(&raw) {
            return Some(code);
        }
        let titled = self.lex.title_matches(&raw);
        let message = if titled.len() > 1 {
            format!("{raw:?} is the title of {}: write the code", titled.join(" and "))
        } else if let Some(code) = code {
            format!("unknown indicator {code}: not in the catalogue nor a local indicator of the agreement")
        } else {
            let near = crate::domain::catalogue::code_suggestions(&raw, self.ctx.catalogue);
            let hint = if near.is_empty() {
                "expected e.g. \"NI 154\" or \"L01\"".to_string()
            } else {
                format!("a code is read whole; did you mean {}?", near.join(" or "))
            };
            format!("{raw:?} is not an indicator code ({hint})")
        };
        self.problem(row, icol, message);
        None
    }

    /// The area a row's key cell names (blank: the partnership as a whole).
    fn row_area(&mut self, row: usize, acol: usize) -> Option<String> {
        let text = self.sheet.cell(row, acol).text();
        match self.ctx.ws.find_area(&text) {
            Some(a) => Some(a.code.clone()),
            None if self.ctx.comparators => {
                let t = text.trim();
                if crate::domain::authorities::is_authority_code(t) {
                    return Some(t.to_ascii_uppercase());
                }
                if t.is_empty() {
                    // a blank code beside a name ("", "England"): the one authority the row's
                    // other text names
                    let mut named = self.sheet.rows.get(row).into_iter().flatten().filter_map(|c| match c {
                        Cell::Text(x) => self.ctx.ws.find_area(x),
                        _ => None,
                    });
                    if let (Some(a), None) = (named.next(), named.next()) {
                        return Some(a.code.clone());
                    }
                }
                let clash = self.ctx.ws.area_clash(t);
                let message = if t.is_empty() {
                    "no authority named: give its ONS code or name".to_string()
                } else if clash.len() > 1 {
                    let named: Vec<String> = clash.iter().map(|a| format!("{} ({})", a.name, a.code)).collect();
                    format!("{t:?} names {}: give its ONS code", named.join(" and "))
                } else {
                    format!(
                        "unknown authority {t:?}: give its ONS code (e.g. \"E10000018\"), an older ONS code or its name"
                    )
                };
                self.problem(row, acol, message);
                None
            }
            None if text.is_empty() => Some(self.ctx.ws.county().code.clone()),
            None => {
                let clash = self.ctx.ws.area_clash(&text);
                if clash.len() > 1 {
                    let named: Vec<&str> = clash.iter().map(|a| a.name.as_str()).collect();
                    self.problem(
                        row,
                        acol,
                        format!("{text:?} names two areas ({}): use its code", named.join(" and ")),
                    );
                    return None;
                }
                let known: Vec<_> = self.ctx.ws.settings.areas.iter().map(|a| a.name.as_str()).collect();
                self.problem(
                    row,
                    acol,
                    format!("unknown area {text:?} (areas of this partnership: {})", known.join(", ")),
                );
                None
            }
        }
    }

    fn cell_period(&mut self, row: usize, col: usize) -> Option<Period> {
        let cell = self.sheet.cell(row, col);
        let parsed = match cell {
            Cell::Date(d) => Ok(Period::from_date(d.date())),
            other => {
                let text = other.text();
                match text.parse::<Period>() {
                    Ok(p) => Ok(p),
                    Err(e) => match cells::period_text(&text) {
                        Some(Key::Period(p)) => Ok(p),
                        _ => Err(e.to_string()),
                    },
                }
            }
        };
        parsed.map_err(|e| self.problem(row, col, e)).ok()
    }

    /// Education indicators report academic years; every period must be inside the agreement.
    fn check_period(&mut self, indicator: &str, period: Period, row: usize, col: usize) -> Option<Period> {
        // only a year's result may be an academic year's: quarters need no catalogue lookup
        let period = match period {
            Period::Year { year }
                if self.ctx.catalogue.get(indicator).is_some_and(|i| i.frequency == Frequency::Academic) =>
            {
                Period::Academic { year }
            }
            p => p,
        };
        if self.ctx.ws.period_in_window(&period) {
            return Some(period);
        }
        // comparator tables reach further back: a trend against others needs the years before
        let a = &self.ctx.ws.settings.agreement;
        if self.ctx.comparators && (a.first_year.year() - 4..=a.last_year.year()).contains(&period.year()) {
            return Some(period);
        }
        self.problem(
            row,
            col,
            format!(
                "period {period} is outside the agreement (returns may report {} to {})",
                Period::Year { year: a.first_year.year() - 1 },
                a.last_year
            ),
        );
        None
    }
}

/// What a column holds in a reading, as `--explain` and the accounting of numbers say it.
fn column_role(rd: &Reading, c: usize) -> String {
    let fixed_period = match rd.place(Dim::Period) {
        Place::Fixed(Key::Period(p), _) => Some(*p),
        _ => None,
    };
    match rd.col(c) {
        Col::Empty => "empty".into(),
        Col::Key(Dim::Indicator) => "the indicator code".into(),
        Col::Key(Dim::Area) => "the area".into(),
        Col::Key(Dim::Period) => "the period".into(),
        Col::Label => "row labels (numerator, denominator, value)".into(),
        Col::Note(Note::Commentary) => "commentary, kept with the value".into(),
        Col::Note(Note::Action) => "remedial action, kept with the value".into(),
        Col::Note(Note::SelfRating) => "the partner's own rating, kept with the value".into(),
        Col::Note(Note::Quality) => "data quality, kept with the value".into(),
        Col::Note(Note::Title) | Col::Text => "the indicator's title or other text (not used)".into(),
        Col::Measure(_, Measure::Target) => "a copied target, checked against the agreement".into(),
        Col::Measure(keys, m) => {
            let mut said: Vec<String> = keys.iter().map(key_text).collect();
            if keys.iter().all(|k| k.dim() != Dim::Period)
                && let Some(p) = fixed_period
                && *m == Measure::Value
            {
                said.insert(0, p.to_string());
            }
            match (m, said.is_empty()) {
                (Measure::Value, true) => "the value".into(),
                (Measure::Value, false) => format!("values for {}", said.join(", ")),
                (m, true) => format!("the {}", m.name()),
                (m, false) => format!("the {} for {}", m.name(), said.join(", ")),
            }
        }
        Col::Total => "totals (checked, not stored)".into(),
        Col::Unread(why) => format!("ignored: {why}"),
    }
}
