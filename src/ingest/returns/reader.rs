//! One sheet of a return read into observations: its layout (long, wide or one quarter), the
//! quarter of a single-quarter form, and every cell validated where it is.

use super::fields::*;
use super::*;
use crate::domain::numbers::format_number;

pub(super) enum Layout {
    Long(Header),
    /// The header, and each period column.
    Wide(Header, Vec<(usize, Period)>),
}

pub(super) struct SheetReader<'a, 'b> {
    pub(super) wb: &'a Workbook,
    pub(super) sheet: &'a Sheet,
    pub(super) ctx: &'a Context<'b>,
    pub(super) problems: &'a mut Vec<Problem>,
    pub(super) out: &'a mut Vec<Observation>,
    /// Things worth saying that do not stop the import (a copied target that disagrees).
    pub(super) warnings: &'a mut Vec<Problem>,
    /// Where a single-quarter form's quarter was found.
    pub(super) period_from: Option<String>,
}

impl SheetReader<'_, '_> {
    fn loc(&self, row: usize, col: usize) -> Loc {
        self.sheet.loc(&self.wb.label, row, col)
    }

    fn problem(&mut self, row: usize, col: usize, message: String) {
        let loc = self.loc(row, col);
        self.problems.push(Problem { loc, message });
    }

    /// Read the sheet's values into `out`; `Err` when the sheet has no header row at all.
    pub(super) fn read(&mut self) -> Result<SheetExplanation, Problem> {
        let sheet_problem = |r: &Self, row, col, message: String| Problem { loc: r.loc(row, col), message };
        if self.sheet.is_blank() {
            return Err(sheet_problem(self, 0, 0, "sheet is empty: no header row and no values".into()));
        }
        let layout = match self.find_layout() {
            Ok(l) => l,
            Err((row, col, message)) => return Err(sheet_problem(self, row, col, message)),
        };
        let explained = self.explain(&layout);
        if self.sheet.name.is_none() {
            self.check_csv_widths(&layout);
        }
        match layout {
            Layout::Long(h) => self.read_long(&h),
            Layout::Wide(h, periods) => self.read_wide(&h, &periods),
        }
        Ok(explained)
    }

    /// A csv row with more fields than its header (beyond empty ones) is an error naming the
    /// field: a separator inside an unquoted commentary shifts every later field of the row.
    fn check_csv_widths(&mut self, layout: &Layout) {
        let h = match layout {
            Layout::Long(h) | Layout::Wide(h, _) => h,
        };
        let header = self.sheet.rows.get(h.row).map(Vec::as_slice).unwrap_or_default();
        let width = header.iter().rposition(|c| !c.is_empty()).map_or(0, |c| c + 1);
        let mut found = Vec::new();
        for (r, cells) in self.sheet.rows.iter().enumerate().skip(h.row + 1) {
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

    /// Each header cell's role in the layout found.
    fn explain(&self, layout: &Layout) -> SheetExplanation {
        let (header, periods, kind) = match layout {
            Layout::Long(h) => (h, &[][..], "long: a row per value".to_string()),
            Layout::Wide(h, p) if self.period_from.is_some() => (h, &p[..], format!("one quarter ({})", p[0].1)),
            Layout::Wide(h, p) => (h, &p[..], format!("wide: a column per period ({})", p.len())),
        };
        let role = |key: &str| match key {
            "indicator" => "the indicator code".to_string(),
            "area" => "the area".into(),
            "period" => "the period".into(),
            "value" => "the value".into(),
            "numerator" => "the numerator".into(),
            "denominator" => "the denominator".into(),
            "commentary" => "commentary, kept with the value".into(),
            "action" => "remedial action, kept with the value".into(),
            "title" => "the indicator's title (not used)".into(),
            "self_rating" => "the partner's own rating, kept with the value".into(),
            "quality" => "data quality, kept with the value".into(),
            "target" => "a copied target, checked against the agreement".into(),
            other => other.to_string(),
        };
        let cells = self.sheet.rows.get(header.row).map(Vec::as_slice).unwrap_or_default();
        let columns = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(c, cell)| {
                let what = if let Some((key, _)) = header.columns.iter().find(|(_, hc)| *hc == c) {
                    role(key)
                } else if let Some((_, p)) = periods.iter().find(|(pc, _)| *pc == c) {
                    format!("values for {p}")
                } else {
                    "ignored".into()
                };
                (sheet::a1(header.row, c).trim_end_matches(char::is_numeric).to_string(), cell.text(), what)
            })
            .collect();
        SheetExplanation {
            sheet: self.sheet.name.clone().unwrap_or_else(|| "(csv)".into()),
            layout: kind,
            header_row: Some(header.row + 1),
            columns,
            period_from: self.period_from.clone(),
        }
    }

    fn find_layout(&mut self) -> Result<Layout, (usize, usize, String)> {
        let mut needs_year: Option<(usize, usize, String)> = None;
        for (row, cells) in self.sheet.rows.iter().enumerate().take(50) {
            if let Some(columns) = sheet::match_header(cells, LONG) {
                return Ok(Layout::Long(Header { row, columns }));
            }
            let Some(columns) = sheet::match_header(cells, WIDE) else {
                continue;
            };
            let mut header = Header { row, columns };
            // a two-row header: years above (often merged across their quarters), quarters below
            if let Some(periods) = self.quarters_below(&header) {
                header.row += 1;
                return Ok(Layout::Wide(header, periods));
            }
            let mut periods = Vec::new();
            for (col, cell) in cells.iter().enumerate() {
                if header.columns.iter().any(|(_, c)| *c == col) {
                    continue;
                }
                match self.header_period(row, col, cell) {
                    Ok(Some(p)) => periods.push((col, p)),
                    Ok(None) => {}
                    Err(msg) => needs_year = needs_year.or(Some((row, col, msg))),
                }
            }
            if !periods.is_empty() {
                return Ok(Layout::Wide(header, periods));
            }
            // a return for one quarter: a value column ("Actual", "Outturn") and the quarter said
            // once, above the table, in the sheet's name, the file's name or by --period
            if let Some(col) = cells.iter().enumerate().position(|(c, cell)| {
                !header.columns.iter().any(|(_, hc)| *hc == c)
                    && SINGLE_VALUE.contains(&sheet::norm(&cell.text()).as_str())
            }) {
                let (period, from) = self.stated_period(row, col)?;
                self.period_from = Some(from);
                return Ok(Layout::Wide(header, vec![(col, period)]));
            }
        }
        if let Some(e) = needs_year {
            return Err(e);
        }
        let title = sheet::title_text(self.sheet, self.sheet.rows.len());
        let shown: String = title.chars().take(60).collect();
        Err((
            0,
            0,
            format!(
                "no header row found (only {shown:?}); expected an indicator column (\"NI\", \"NI ref\", \"Indicator\") with either a column per quarter (\"Q2 2008/09\", \"Jul-Sep 08\") or \"Period\" and \"Value\" columns"
            ),
        ))
    }

    /// The nearest financial year named at or to the left of `col` in `row` (a year header merged
    /// across its quarters sits in its first column).
    fn year_left_of(&self, row: usize, col: usize) -> Option<i32> {
        let cells = self.sheet.rows.get(row)?;
        cells.iter().take(col + 1).rev().find_map(|c| match c.text().parse::<Period>() {
            Ok(Period::Year { year }) => Some(year),
            _ => periods::find_year(&c.text()),
        })
    }

    /// When the row under a header holds quarters ("Q1", "Jul-Sep") under year headers, the
    /// period columns from both rows.
    fn quarters_below(&self, header: &Header) -> Option<Vec<(usize, Period)>> {
        let below = self.sheet.rows.get(header.row + 1)?;
        let quarters: Vec<(usize, u8)> = below
            .iter()
            .enumerate()
            .filter(|(c, _)| !header.columns.iter().any(|(_, hc)| hc == c))
            .filter_map(|(c, cell)| match periods::parse_partial(&cell.text()) {
                Some(PartialPeriod::QuarterOnly(q)) => Some((c, q)),
                _ => None,
            })
            .collect();
        if quarters.len() < 2 {
            return None;
        }
        quarters
            .into_iter()
            .map(|(c, q)| self.year_left_of(header.row, c).map(|y| (c, Period::quarter(y, q))))
            .collect()
    }

    /// The period a wide layout's column header names; a quarter without its year takes the year
    /// from a year header above it, then the title rows, then the sheet name, then the file name.
    /// The one quarter a single-quarter return is for: from the title rows above its header, the
    /// sheet's name or the file's name (nearest first), and `--period`; two that disagree, or
    /// none at all, are an error naming where it looked.
    fn stated_period(&self, header_row: usize, value_col: usize) -> Result<(Period, String), (usize, usize, String)> {
        let mut found: Vec<(String, Period)> = Vec::new();
        'rows: for r in (0..header_row).rev() {
            for (c, cell) in self.sheet.rows[r].iter().enumerate() {
                if let Some(p) = periods::find_quarter(&cell.text()) {
                    found.push((format!("cell {}", sheet::a1(r, c)), p));
                    break 'rows;
                }
            }
        }
        if let Some(p) = self.sheet.name.as_deref().and_then(periods::find_quarter) {
            found.push((format!("the sheet name {:?}", self.sheet.name.as_deref().unwrap_or("")), p));
        }
        let file = std::path::Path::new(&self.wb.label).file_name().and_then(|f| f.to_str()).unwrap_or(&self.wb.label);
        if let Some(p) = periods::find_quarter(file) {
            found.push((format!("the file name {file:?}"), p));
        }
        if let Some(p) = self.ctx.period {
            found.push(("--period".into(), p));
        }
        let header_cell = sheet::a1(header_row, value_col);
        match found.as_slice() {
            [] => Err((
                header_row,
                value_col,
                format!(
                    "the value column {:?} is for one quarter, but the return does not say which: no quarter in the title rows above {header_cell}, the sheet name or the file name; say it with --period \"2009/10 Q3\"",
                    self.sheet.cell(header_row, value_col).text()
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

    fn header_period(&self, row: usize, col: usize, cell: &Cell) -> Result<Option<Period>, String> {
        if let Cell::Date(d) = cell {
            return Ok(Some(Period::from_date(d.date())));
        }
        let text = cell.text();
        match periods::parse_partial(&text) {
            // "Q3 actual (Oct-Dec 09)": a value column that names its quarter in full
            None if VALUE_WORDS.iter().any(|w| sheet::norm(&text).contains(w)) => Ok(periods::find_quarter(&text)),
            None => Ok(None),
            Some(PartialPeriod::Full(p)) => Ok(Some(p)),
            Some(PartialPeriod::QuarterOnly(q)) => {
                let year = row
                    .checked_sub(1)
                    .and_then(|above| self.year_left_of(above, col))
                    .or_else(|| periods::find_year(&sheet::title_text(self.sheet, row)))
                    .or_else(|| self.sheet.name.as_deref().and_then(periods::find_year))
                    .or_else(|| periods::find_year(&self.wb.label))
                    .or_else(|| self.ctx.period.map(|p| p.year()));
                match year {
                    Some(y) => Ok(Some(Period::quarter(y, q))),
                    None => Err(format!(
                        "column {text:?} names a quarter but no financial year: write the year in the header (\"Q{q} 2008/09\") or in a title row above it, or give it with --period \"2009/10 Q{q}\""
                    )),
                }
            }
        }
    }

    fn read_wide(&mut self, h: &Header, periods: &[(usize, Period)]) {
        for row in h.row + 1..self.sheet.rows.len() {
            let Some(keys) = self.row_keys(h, row, periods.iter().map(|(c, _)| *c)) else {
                continue;
            };
            let mut last = None;
            for &(col, period) in periods {
                let cell = self.sheet.cell(row, col).clone();
                match cell.number() {
                    Ok(Some(value)) => {
                        let Some((indicator, area)) = &keys else {
                            continue;
                        };
                        if let Some(period) = self.check_period(indicator, period, row, col) {
                            last = Some(self.out.len());
                            let loc = self.loc(row, col);
                            self.out.push(Observation {
                                indicator: indicator.clone(),
                                area: area.clone(),
                                period,
                                value,
                                numerator: None,
                                denominator: None,
                                commentary: None,
                                action: None,
                                self_rating: None,
                                quality: None,
                                loc,
                            });
                        }
                    }
                    Ok(None) => {}
                    Err(e) => self.problem(row, col, e.to_string()),
                }
            }
            // commentary and action in a wide return speak of the latest quarter given
            if let Some(i) = last {
                self.out[i].commentary = self.text(h, row, "commentary");
                self.out[i].action = self.text(h, row, "action");
                self.out[i].self_rating = self.self_rating(h, row);
                self.out[i].quality = self.text(h, row, "quality");
                self.check_copied_target(h, row, i);
            }
        }
    }

    fn read_long(&mut self, h: &Header) {
        let value_cols = ["period", "value", "numerator", "denominator"].map(|k| h.col(k));
        for row in h.row + 1..self.sheet.rows.len() {
            let Some(keys) = self.row_keys(h, row, value_cols.iter().flatten().copied()) else {
                continue;
            };
            let pcol = h.col("period").expect("required");
            let period = self.cell_period(row, pcol);
            let vcol = h.col("value").expect("required");
            let value = self.number(row, Some(vcol));
            let numerator = self.number(row, h.col("numerator"));
            let denominator = self.number(row, h.col("denominator"));
            let mut derived = false;
            if !self.check_fraction(h, row, numerator, denominator) {
                continue;
            }
            let value = match (value, numerator, denominator) {
                (Ok(Some(v)), ..) => v,
                (Ok(None), Ok(Some(n)), Ok(Some(d))) if d != 0.0 => {
                    derived = true;
                    let code = keys.as_ref().map(|(i, _)| i.as_str()).unwrap_or_default();
                    let scale = self.ctx.catalogue.get(code).map_or(1.0, |i| i.unit_scale());
                    n / d * scale
                }
                (Ok(None), Ok(Some(_)), Ok(Some(_))) => {
                    self.problem(
                        row,
                        h.col("denominator").unwrap_or(vcol),
                        "the denominator is 0, so no value can be derived".into(),
                    );
                    continue;
                }
                (Ok(None), Ok(_), Ok(_)) => continue,
                _ => continue,
            };
            let (Ok(numerator), Ok(denominator), Some((indicator, area))) = (numerator, denominator, keys) else {
                continue;
            };
            if !value.is_finite() {
                let (n, d) = (h.col("numerator").unwrap_or(vcol), h.col("denominator").unwrap_or(vcol));
                self.problem(
                    row,
                    n,
                    format!(
                        "the numerator ÷ the denominator ({}) is too large to be a value: check {} and {}",
                        value,
                        sheet::a1(row, n),
                        sheet::a1(row, d)
                    ),
                );
                continue;
            }
            let Some(period) = period else { continue };
            let Some(period) = self.check_period(&indicator, period, row, pcol) else {
                continue;
            };
            let mut loc = self.loc(row, vcol);
            if derived {
                // the value is numerator ÷ denominator: name both cells
                let (n, d) = (h.col("numerator").expect("derived"), h.col("denominator").expect("derived"));
                loc.cell = format!("{}/{}", sheet::a1(row, n), sheet::a1(row, d));
            }
            let self_rating = self.self_rating(h, row);
            self.out.push(Observation {
                indicator,
                area,
                period,
                value,
                numerator,
                denominator,
                commentary: self.text(h, row, "commentary"),
                action: self.text(h, row, "action"),
                self_rating,
                quality: self.text(h, row, "quality"),
                loc,
            });
            self.check_copied_target(h, row, self.out.len() - 1);
        }
    }

    /// A numerator or denominator below zero cannot be (an error naming the cell); a denominator
    /// between 0 and 1 is a warning (a count of people or households is at least 1). `false`
    /// when the row is refused.
    fn check_fraction(
        &mut self,
        h: &Header,
        row: usize,
        numerator: Result<Option<f64>, ()>,
        denominator: Result<Option<f64>, ()>,
    ) -> bool {
        let mut ok = true;
        for (key, v) in [("numerator", numerator), ("denominator", denominator)] {
            let (Ok(Some(v)), Some(col)) = (v, h.col(key)) else { continue };
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

    /// A target the partner copied beside the value: a warning naming the cell when it is not
    /// the agreement's for that year (the header's year, else the value's).
    fn check_copied_target(&mut self, h: &Header, row: usize, obs: usize) {
        let (Some(col), Some(agreement)) = (h.col("target"), self.ctx.agreement) else { return };
        let Ok(Some(copied)) = self.sheet.cell(row, col).number() else { return };
        let o = &self.out[obs];
        let year = periods::find_year(&self.sheet.cell(h.row, col).text()).unwrap_or(o.period.year());
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

    fn number(&mut self, row: usize, col: Option<usize>) -> Result<Option<f64>, ()> {
        let Some(col) = col else { return Ok(None) };
        self.sheet.cell(row, col).number().map_err(|e| self.problem(row, col, e.to_string()))
    }

    /// The partner's own rating in a row: R/A/G, Red/Amber/Green and the like; anything else is
    /// a problem naming the cell.
    fn self_rating(&mut self, h: &Header, row: usize) -> Option<String> {
        let col = h.col("self_rating")?;
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

    fn text(&self, h: &Header, row: usize, key: &str) -> Option<String> {
        let t = self.sheet.cell(row, h.col(key)?).text();
        (!t.is_empty()).then_some(t)
    }

    /// The indicator and area of a data row: `None` when the row holds no values (blank rows,
    /// section headings, footnotes); `Some(None)` when its keys are wrong (the problems are
    /// recorded, and its values are still checked).
    fn row_keys(
        &mut self,
        h: &Header,
        row: usize,
        value_cols: impl Iterator<Item = usize>,
    ) -> Option<Option<(String, String)>> {
        let has_values = value_cols.into_iter().any(|c| !self.sheet.cell(row, c).is_empty());
        let icol = h.col("indicator").expect("required");
        let raw = self.sheet.cell(row, icol).text();
        if !has_values {
            return None;
        }
        let indicator = match normalise_code(&raw) {
            Some(code) if self.ctx.catalogue.get(&code).is_some() => Some(code),
            Some(code) => {
                self.problem(
                    row,
                    icol,
                    format!("unknown indicator {code}: not in the catalogue nor a local indicator of the agreement"),
                );
                None
            }
            None if raw.is_empty() => {
                self.problem(row, icol, "values without an indicator: the indicator cell is blank".into());
                None
            }
            None => {
                let near = crate::domain::catalogue::code_suggestions(&raw, self.ctx.catalogue);
                let hint = if near.is_empty() {
                    "expected e.g. \"NI 154\" or \"L01\"".to_string()
                } else {
                    format!("a code is read whole; did you mean {}?", near.join(" or "))
                };
                self.problem(row, icol, format!("{raw:?} is not an indicator code ({hint})"));
                None
            }
        };
        let area = match h.col("area") {
            None => Some(self.ctx.ws.county().code.clone()),
            Some(acol) => {
                let text = self.sheet.cell(row, acol).text();
                match self.ctx.ws.find_area(&text) {
                    Some(a) => Some(a.code.clone()),
                    None if text.is_empty() => Some(self.ctx.ws.county().code.clone()),
                    None => {
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
        };
        Some(indicator.zip(area))
    }

    fn cell_period(&mut self, row: usize, col: usize) -> Option<Period> {
        let cell = self.sheet.cell(row, col);
        let parsed = match cell {
            Cell::Date(d) => Ok(Period::from_date(d.date())),
            other => other.text().parse::<Period>().map_err(|e| e.to_string()),
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
        let a = &self.ctx.ws.settings.agreement;
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
