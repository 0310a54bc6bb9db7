//! One sheet of a return read into observations: its tables found, each table's best reading
//! chosen (and refused when two explain it equally), every value cell validated where it is,
//! and every number on the sheet accounted for.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::cells::{Dim, Key, Lexicon, Measure, Note, ValueCell, is_numeric, value_cell};
use super::table::{self, Around, Col, Place, Reading, Table, col_letter, key_text};
use super::*;
use crate::domain::numbers::format_number;

mod keys;
mod rows;

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
                    explained.push(self.read_chosen(t, &best, runner_up.as_ref(), (i, n_tables), &mut roles));
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

    /// Read table `t`, the `i`th of `n_tables`, by its chosen reading, and explain it: the reading, the rows
    /// that are not values, and the notes below the last table.
    fn read_chosen(
        &mut self,
        t: &Table,
        best: &Reading,
        runner_up: Option<&Reading>,
        (i, n_tables): (usize, usize),
        roles: &mut Roles,
    ) -> SheetExplanation {
        if self.sheet.name.is_none() {
            self.check_csv_widths(&best.table);
        }
        let mut e = self.explain(best, runner_up);
        if n_tables > 1 {
            e.layout =
                format!("table {} of {n_tables} (rows {}–{}): {}", i + 1, t.body.start + 1, t.body.end, e.layout);
        }
        for r in best.table.title_rows.clone() {
            if self.sheet.rows.get(r).is_some_and(|cells| cells.iter().any(|c| !c.is_empty())) {
                e.rows.push((r + 1, "a title, prose or instructions above the table".into()));
            }
        }
        let rows = self.read_table(best, roles);
        e.rows.extend(rows.into_iter().map(|(r, what)| (r + 1, what)));
        if i + 1 == n_tables {
            // below the last table: notes and footnotes
            for r in best.table.body.end..self.sheet.rows.len() {
                if self.sheet.rows[r].iter().any(|c| !c.is_empty()) {
                    e.rows.push((r + 1, "a note below the table".into()));
                }
            }
        }
        e
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
        let shown = crate::domain::text::shorten(&title, 60);
        match header {
            Some(row) => Ok(row),
            None => Err(Problem { loc: self.loc(0, 0), message: self.no_table_message(&shown) }),
        }
    }

    /// Why a sheet holds no table, in terms of its cells: none holds a figure, or those that do
    /// have no indicator beside or above them.
    fn no_table_message(&self, shown: &str) -> String {
        let mut figures = self
            .sheet
            .rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| row.iter().enumerate().filter(|(_, c)| is_numeric(c)).map(move |(c, _)| (r, c)));
        match (figures.next(), figures.count()) {
            (None, _) => format!(
                "no cell of this sheet holds a figure, and no row names indicators (its cells hold only {shown:?}): if it is the return, give each figure beside its indicator's code (NI 154)"
            ),
            (Some((r, c)), more) => format!(
                "{} {} figure{} (from {}), but no cell names an indicator beside or above {}: give each figure beside its indicator's code (NI 154), under a header that says what each column holds",
                more + 1,
                if more == 0 { "cell holds a" } else { "cells hold" },
                if more == 0 { "" } else { "s" },
                sheet::a1(r, c),
                if more == 0 { "it" } else { "them" },
            ),
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
        Col::Note(Note::Owner) => "the remedial action's owner, kept with the action".into(),
        Col::Note(Note::Due) => "the date the remedial action is due, kept with the action".into(),
        Col::Note(Note::SelfRating) => "the partner's own rating, kept with the value".into(),
        Col::Note(Note::Quality) => "data quality, kept with the value".into(),
        Col::Note(Note::Title) | Col::Text => "the indicator's title or other text (not used)".into(),
        Col::Words(said) => {
            format!("words, not values ({said}): the partner's own words beside the figures, not stored")
        }
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
