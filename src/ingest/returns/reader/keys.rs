//! The keys of a row and the accounting of a sheet: a row's indicator, area and period read and checked against the workspace, a partner's own rating, a copied target, and every number on the sheet given a role.

use super::*;

impl SheetReader<'_, '_> {
    /// Every number on the sheet given a role: stored, checked, a total, a key, or ignored
    /// with its reason (numbers a table holds but no reading explains are warned of).
    pub(super) fn account(
        &mut self,
        tables: &[Table],
        read: &[Reading],
        roles: &Roles,
        explained: &mut [SheetExplanation],
    ) {
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
        self.warn_unread(unread, explained);
    }

    /// One warning per reason for the numbers not read, naming their cells (the first five).
    fn warn_unread(&mut self, unread: Vec<(usize, usize, String)>, explained: &mut [SheetExplanation]) {
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
    pub(super) fn check_copied_target(&mut self, row: usize, col: usize, obs: usize) {
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
    pub(super) fn self_rating(&mut self, row: usize, col: usize) -> Option<String> {
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
    pub(super) fn row_indicator(&mut self, row: usize, icol: usize) -> Option<String> {
        let raw = self.sheet.cell(row, icol).text();
        if raw.is_empty() {
            self.problem(row, icol, "this row holds figures but its indicator cell is blank, in a column that names the indicator in the rows around it: write the code here".into());
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
    pub(super) fn row_area(&mut self, row: usize, acol: usize) -> Option<String> {
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

    pub(super) fn cell_period(&mut self, row: usize, col: usize) -> Option<Period> {
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
    pub(super) fn check_period(&mut self, indicator: &str, period: Period, row: usize, col: usize) -> Option<Period> {
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
