//! A table's rows read by its reading: each value cell validated where it is, a value gathered from the cells that give it, and a total checked against its rows.

use super::*;

/// A measure column of a row: its column, the keys its header gives, and what it measures.
type MeasureCols<'r> = Vec<(usize, &'r Vec<Key>, Measure)>;

/// A value's indicator, area and period.
type ValueKey = (String, String, Period);

/// A period and the cell that said it.
type SaidPeriod = (Period, (usize, usize));

/// A row's keys as its key cells (or the table) give them.
struct RowKeys {
    indicator: Option<String>,
    area: Option<String>,
    /// The period, and the cell that said it (`usize::MAX` as the column: the table said it).
    period: Option<(Period, (usize, usize))>,
    /// Every dimension the row must give is given.
    ok: bool,
}

/// What a walk down a table carries from row to row.
struct Walk<'r> {
    rd: &'r Reading,
    /// The column of row labels (a stacked table: "Numerator", "Denominator" under a code).
    label_col: Option<usize>,
    /// Whether a value may be gathered from several cells of its row (value, numerator, denominator).
    fractions: bool,
    header_row: usize,
    pending: Vec<Pending>,
    /// A stacked table's values by key, as they gather.
    index: FxHashMap<(String, String, Period), usize>,
    /// A stacked table's code, written once over its rows.
    carried_indicator: Option<String>,
    /// Key columns written once over the rows that follow (a pivot table's or a printed
    /// report's way), by dimension: a blank cell there carries the key above it down.
    written_once: [bool; 3],
    /// The last key each down column gave, to carry down.
    above: (Option<String>, Option<String>, Option<SaidPeriod>),
    /// Value columns whose every cell holds words: one problem for the column, not one a cell.
    worded: Vec<usize>,
    /// The first row after the last total.
    since_total: usize,
    not_values: Vec<(usize, String)>,
}

impl<'r> Walk<'r> {
    fn new(rd: &'r Reading) -> Walk<'r> {
        Walk {
            rd,
            label_col: rd.cols.iter().position(|c| *c == Col::Label),
            fractions: rd.cols.iter().any(|c| matches!(c, Col::Measure(_, Measure::Numerator | Measure::Denominator))),
            header_row: rd.table.header.last().copied().unwrap_or(rd.table.body.start),
            pending: Vec::new(),
            index: FxHashMap::default(),
            carried_indicator: None,
            written_once: [false; 3],
            above: (None, None, None),
            worded: Vec::new(),
            since_total: rd.table.body.start,
            not_values: Vec::new(),
        }
    }

    /// The pending value a measure cell fills: one of its row (or, stacked, under its code) with
    /// that measure still empty, else a new one.
    fn slot(
        &mut self,
        k: (String, String, Period),
        per_at: (usize, usize),
        measure: Measure,
        row_start: usize,
    ) -> usize {
        let empty = |p: &Pending| match measure {
            Measure::Numerator => p.numerator.is_none(),
            Measure::Denominator => p.denominator.is_none(),
            _ => p.value.is_none(),
        };
        // a value's numerator and denominator are on its row, or (stacked) on the rows under its
        // code: only a stacked table looks beyond the row; one measure per cell: each value is its own
        let found = if self.label_col.is_some() {
            self.index.get(&k).copied()
        } else if self.fractions {
            self.pending[row_start..].iter().position(|p| p.keys == k).map(|i| row_start + i)
        } else {
            None
        };
        match found {
            Some(i) if empty(&self.pending[i]) => i,
            _ => {
                if self.label_col.is_some() {
                    self.index.insert(k.clone(), self.pending.len());
                }
                self.pending.push(Pending::new(k, per_at));
                self.pending.len() - 1
            }
        }
    }
}

impl SheetReader<'_, '_> {
    /// Read a table's every row by its reading; the rows that are not values, each with what it
    /// is (a total, a note or heading), for `--explain`.
    pub(super) fn read_table(&mut self, rd: &Reading, roles: &mut Roles) -> Vec<(usize, String)> {
        let mut w = Walk::new(rd);
        w.written_once = self.written_once(rd);
        let worded = self.worded_columns(rd);
        w.worded = worded.iter().map(|(c, _)| *c).collect();
        for row in rd.table.body.clone() {
            self.read_row(&mut w, row, roles);
        }
        for (c, message) in worded {
            let first =
                rd.table.body.clone().find(|&r| !self.sheet.cell(r, c).is_empty()).unwrap_or(rd.table.body.start);
            let mut loc = self.loc(first, c);
            let last = rd.table.body.clone().rev().find(|&r| !self.sheet.cell(r, c).is_empty()).unwrap_or(first);
            loc.cell = format!("{}:{}", sheet::a1(first, c), sheet::a1(last, c));
            self.problems.push(Problem { loc, message });
        }
        for p in std::mem::take(&mut w.pending) {
            self.finish(p, roles);
        }
        w.not_values
    }

    /// One row of a table: a note, a total, or values (each measure cell read where it is, and
    /// the row's notes kept with its last value).
    fn read_row(&mut self, w: &mut Walk, row: usize, roles: &mut Roles) {
        let rd = w.rd;
        let measure_cols: MeasureCols = rd
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
                w.not_values.push((row, "a note or a heading (no values)".into()));
            }
            return;
        }
        if self.total_row(w, row, &measure_cols, roles) {
            return;
        }
        let row_label = w.label_col.and_then(|c| self.lex.measure_label(self.sheet.cell(row, c)));
        let keys = self.row_keys(w, row);
        let mut touched: Option<usize> = None;
        let mut target: Option<(usize, usize)> = None;
        let row_start = w.pending.len();
        for (c, col_keys, m) in measure_cols {
            if w.worded.contains(&c) {
                // said once for the column (read_table)
                continue;
            }
            let Some((value, flag)) = self.cell_number(row, c, col_keys, &keys) else { continue };
            if m == Measure::Target {
                target = Some((row, c));
                roles.set(row, c, "a copied target, checked against the agreement".into());
                continue;
            }
            if !keys.ok {
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
            let Some((k, per_at)) = self.value_keys(w, c, col_keys, &keys) else { continue };
            let i = w.slot(k, per_at, measure, row_start);
            let p = &mut w.pending[i];
            match measure {
                Measure::Numerator => p.numerator = Some((value, row, c)),
                Measure::Denominator => p.denominator = Some((value, row, c)),
                _ => p.value = Some((value, row, c)),
            }
            p.flag = p.flag.or(flag);
            touched = Some(i);
        }
        if let Some(i) = touched {
            self.keep_notes(w, row, i, target);
        }
        if w.label_col.is_none() {
            // nothing below adds to this row's values: store them now (the list stays short)
            for p in w.pending.drain(..) {
                self.finish(p, roles);
            }
        }
    }

    /// Whether a row is a total (labelled so in a key column, or unlabelled with each number the
    /// sum of the column's numbers above): noted, its numbers given their role, and not stored.
    fn total_row(&self, w: &mut Walk, row: usize, measure_cols: &MeasureCols, roles: &mut Roles) -> bool {
        let rd = w.rd;
        let labelled =
            rd.cols.iter().enumerate().any(|(c, col)| {
                matches!(col, Col::Key(_) | Col::Label) && cells::is_total_label(self.sheet.cell(row, c))
            });
        if !labelled && !self.adds_up(rd, row, measure_cols, w.since_total) {
            return false;
        }
        let what = if labelled { "a total (labelled)" } else { "a total (the sum of the rows above)" };
        w.not_values.push((row, what.into()));
        for (c, _, _) in measure_cols {
            roles.set(row, *c, "a total row (not stored)".into());
        }
        w.since_total = row + 1;
        true
    }

    /// Value columns of a table whose cells (three or more) are all words, under a heading that
    /// says values: said once for the column, in terms of its cells, with what would make it
    /// readable.
    fn worded_columns(&self, rd: &Reading) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (c, col) in rd.cols.iter().enumerate() {
            if !matches!(col, Col::Measure(..)) {
                continue;
            }
            let filled = || rd.table.body.clone().map(|r| self.sheet.cell(r, c)).filter(|cell| !cell.is_empty());
            // the common case, a column of figures, is settled at its first number without a copy
            let words = |cell: &Cell| match cell {
                Cell::Number(_) => false,
                Cell::Text(t) => cells::is_words(t.trim()),
                other => cells::is_words(&other.text()),
            };
            if !filled().all(words) {
                continue;
            }
            let cells: Vec<String> = filled().map(|cell| cell.text()).collect();
            if cells.len() < 3 {
                continue;
            }
            let mut seen: Vec<String> = Vec::new();
            for t in &cells {
                cells::keep_sample(&mut seen, t);
            }
            let more = if cells.len() > seen.len() { ", …" } else { "" };
            let heading = rd.table.header.last().map(|&h| self.sheet.cell(h, c).text()).unwrap_or_default();
            out.push((
                c,
                format!(
                    "these cells hold words ({}{more}) where values were expected, under the heading {heading:?}, and no cell of the column holds a number: write the figures there, or head the column with what it holds (\"Status\", \"Trend\", \"Comments\")",
                    seen.join(", ")
                ),
            ));
        }
        out
    }

    /// Which down key columns are written once over the rows that follow: among the rows with
    /// values, the column is blank below a filled cell in at least half as many rows as it is
    /// filled (one blank in a column otherwise filled in every row is still an error).
    fn written_once(&self, rd: &Reading) -> [bool; 3] {
        let mut out = [false; 3];
        for d in Dim::ALL {
            let Place::Down(c) = *rd.place(d) else { continue };
            // the common case, a key in every row, needs no look at the values
            if rd.table.body.clone().all(|row| !self.sheet.cell(row, c).is_empty()) {
                continue;
            }
            let (mut filled, mut blank_below) = (0usize, 0usize);
            for row in rd.table.body.clone() {
                let values =
                    rd.cols.iter().enumerate().any(|(mc, col)| {
                        matches!(col, Col::Measure(..)) && cells::is_numeric(self.sheet.cell(row, mc))
                    });
                if !values {
                    continue;
                }
                if !self.sheet.cell(row, c).is_empty() {
                    filled += 1;
                } else if filled > 0 {
                    blank_below += 1;
                }
            }
            out[d as usize] = blank_below > 0 && blank_below * 2 >= filled;
        }
        out
    }

    /// A row's keys, from its key cells or the table; `None` for a dimension when its cell is
    /// wrong (the problem is recorded, and the row's values are still checked). A blank cell of
    /// a column written once takes the key above it.
    fn row_keys(&mut self, w: &mut Walk, row: usize) -> RowKeys {
        let rd = w.rd;
        let key_col = |d: Dim| match rd.place(d) {
            Place::Down(c) => Some(*c),
            _ => None,
        };
        let blank_once = |w: &Walk, d: Dim, c: usize| w.written_once[d as usize] && self.sheet.cell(row, c).is_empty();
        let indicator = match (rd.place(Dim::Indicator), key_col(Dim::Indicator)) {
            (_, Some(c)) => {
                let raw = self.sheet.cell(row, c);
                if raw.is_empty() && w.label_col.is_some() && w.carried_indicator.is_some() {
                    w.carried_indicator.clone()
                } else if blank_once(w, Dim::Indicator, c) && w.above.0.is_some() {
                    w.above.0.clone()
                } else {
                    let k = self.row_indicator(row, c);
                    w.carried_indicator = k.clone();
                    w.above.0 = k.clone();
                    k
                }
            }
            (Place::Fixed(Key::Indicator { code, .. }, _), _) => Some(code.clone()),
            _ => None,
        };
        let area = match (rd.place(Dim::Area), key_col(Dim::Area)) {
            (_, Some(c)) if blank_once(w, Dim::Area, c) && w.above.1.is_some() => w.above.1.clone(),
            (_, Some(c)) => {
                let k = self.row_area(row, c);
                w.above.1 = k.clone();
                k
            }
            (Place::Fixed(Key::Area(a), _), _) => Some(a.clone()),
            _ => None,
        };
        let period = match (rd.place(Dim::Period), key_col(Dim::Period)) {
            (_, Some(c)) if blank_once(w, Dim::Period, c) && w.above.2.is_some() => w.above.2,
            (_, Some(c)) => {
                let k = self.cell_period(row, c).map(|p| (p, (row, c)));
                w.above.2 = k;
                k
            }
            (Place::Fixed(Key::Period(p), _), _) => Some((*p, (row, usize::MAX))),
            _ => None,
        };
        let ok = (indicator.is_some() || rd.place(Dim::Indicator) == &Place::Across)
            && (area.is_some() || rd.place(Dim::Area) == &Place::Across)
            && (period.is_some() || rd.place(Dim::Period) == &Place::Across);
        RowKeys { indicator, area, period, ok }
    }

    /// A measure cell's number and flag; a blank cell, a bad one (a problem recorded) or one that
    /// says there is no value (listed with its keys) gives none.
    fn cell_number(
        &mut self,
        row: usize,
        c: usize,
        col_keys: &[Key],
        keys: &RowKeys,
    ) -> Option<(f64, Option<&'static str>)> {
        let cell = self.sheet.cell(row, c);
        match value_cell(cell) {
            ValueCell::Blank => None,
            ValueCell::Bad(e) => {
                self.problem(row, c, e.to_string());
                None
            }
            ValueCell::Missing(reason) => {
                let key = |d: Dim, row_key: Option<String>| {
                    col_keys.iter().find(|k| k.dim() == d).map(key_text).or(row_key).unwrap_or_default()
                };
                self.missing.push(Missing {
                    indicator: key(Dim::Indicator, keys.indicator.clone()),
                    area: key(Dim::Area, keys.area.clone()),
                    period: key(Dim::Period, keys.period.map(|p| p.0.to_string())),
                    reason: reason.to_string(),
                    text: cell.text(),
                    loc: self.loc(row, c),
                });
                None
            }
            ValueCell::Number(v, flag) => Some((v, flag)),
        }
    }

    /// The keys of the value in column `c`: the column's own (a header) before the row's, and
    /// where its period was said; none when the column names an unknown indicator (a problem
    /// recorded) or no period is known.
    fn value_keys(
        &mut self,
        w: &Walk,
        c: usize,
        col_keys: &[Key],
        keys: &RowKeys,
    ) -> Option<(ValueKey, (usize, usize))> {
        let col_key = |d: Dim| col_keys.iter().find(|k| k.dim() == d);
        let ind = match col_key(Dim::Indicator) {
            Some(Key::Indicator { code, known }) => {
                if !known {
                    self.problem(
                        w.header_row,
                        c,
                        format!(
                            "unknown indicator {code}: not in the catalogue nor a local indicator of the agreement"
                        ),
                    );
                    return None;
                }
                code.clone()
            }
            _ => keys.indicator.clone().unwrap_or_default(),
        };
        let ar = match col_key(Dim::Area) {
            Some(Key::Area(a)) => a.clone(),
            _ => keys.area.clone().unwrap_or_default(),
        };
        let (per, per_at) = match col_key(Dim::Period) {
            Some(Key::Period(p)) => (*p, (w.header_row, c)),
            _ => {
                let (p, (r, pc)) = keys.period?;
                (p, (r, if pc == usize::MAX { c } else { pc }))
            }
        };
        Some(((ind, ar, per), per_at))
    }

    /// Text kept with a value speaks of the row's last value (the latest quarter of a wide row):
    /// its commentary, action, quality flag, the partner's own rating and a copied target.
    fn keep_notes(&mut self, w: &mut Walk, row: usize, i: usize, target: Option<(usize, usize)>) {
        let rd = w.rd;
        let cell = |n: Note| rd.cols.iter().position(|c| *c == Col::Note(n)).map(|c| self.sheet.cell(row, c));
        let text = |n: Note| cell(n).map(|c| c.text()).filter(|t| !t.is_empty());
        let (commentary, quality) = (text(Note::Commentary), text(Note::Quality));
        // a date however the cell holds it (a date cell, "31/03/2010" in a CSV) reads the same
        // way; other words ("end of Q4") as written
        let due = cell(Note::Due).and_then(|c| match super::super::completed::date_of(c) {
            Some(d) => Some(d.format("%-d %B %Y").to_string()),
            None => Some(c.text()).filter(|t| !t.is_empty()),
        });
        let action = text(Note::Action).map(|a| cells::with_owner_and_date(a, text(Note::Owner), due));
        let self_rating =
            rd.cols.iter().position(|c| *c == Col::Note(Note::SelfRating)).and_then(|c| self.self_rating(row, c));
        let p = &mut w.pending[i];
        p.commentary = p.commentary.take().or(commentary);
        p.action = p.action.take().or(action);
        p.quality = p.quality.take().or(quality);
        p.self_rating = p.self_rating.take().or(self_rating);
        p.target = p.target.or(target);
    }

    /// Whether a row with blank key cells is a total: each of its numbers the sum of the numbers
    /// above it in its column (since the table's start or the last total), to the rounding of
    /// one decimal place.
    pub(super) fn adds_up(
        &self,
        rd: &Reading,
        row: usize,
        measure_cols: &[(usize, &Vec<Key>, Measure)],
        from: usize,
    ) -> bool {
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
    pub(super) fn finish(&mut self, p: Pending, roles: &mut Roles) {
        if !self.counts_ok(&p) {
            return;
        }
        let (indicator, area, period) = p.keys;
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

    /// Whether a value's numerator and denominator can be counts (a problem for one below zero;
    /// a warning for a denominator between 0 and 1).
    fn counts_ok(&mut self, p: &Pending) -> bool {
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
        ok
    }
}
