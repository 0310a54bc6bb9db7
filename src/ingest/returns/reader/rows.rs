//! A table's rows read by its reading: each value cell validated where it is, a value gathered from the cells that give it, and a total checked against its rows.

use super::*;

impl SheetReader<'_, '_> {
    /// Read a table's every row by its reading; the rows that are not values, each with what it
    /// is (a total, a note or heading), for `--explain`.
    pub(super) fn read_table(&mut self, rd: &Reading, roles: &mut Roles) -> Vec<(usize, String)> {
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
}
