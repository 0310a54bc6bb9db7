//! Reading quarterly returns: finding the header below title rows, telling wide (a column per
//! quarter) from long (a row per indicator × area × period) layouts, and validating every cell.

use rustc_hash::FxHashMap;
use std::path::Path;

use serde::Serialize;

use crate::domain::catalogue::{Catalogue, Frequency, normalise_code};
use crate::domain::periods::{self, Period};
use crate::sheet::{self, Cell, Loc, Problem, Problems, Sheet, Workbook};
use crate::workspace::Workspace;

mod cells;
pub mod completed;
mod reader;
mod table;

pub use cells::ACTION_TAILS;
use reader::SheetReader;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Sheet(#[from] sheet::SheetError),
    #[error("{0}")]
    Problems(Problems),
}

/// One value read from a return, with the cell it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub indicator: String,
    pub area: String,
    pub period: Period,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub commentary: Option<String>,
    pub action: Option<String>,
    /// The partner's own rating of the value ("red", "amber", "green"), when the return gives one.
    pub self_rating: Option<String>,
    /// The partner's data-quality flag ("Provisional", "Final", "Estimate"), as written.
    pub quality: Option<String>,
    pub loc: Loc,
}

/// What a return held.
#[derive(Debug, Clone, Default)]
pub struct ReadReturn {
    pub observations: Vec<Observation>,
    /// Sheets skipped and other things worth saying that do not stop the import.
    pub warnings: Vec<Problem>,
    /// How each sheet was read (`laa import --explain`).
    pub explained: Vec<SheetExplanation>,
    /// Cells that say there is no value ("n/a", "[x]", "suppressed"), and why.
    pub missing: Vec<Missing>,
    /// Every number read that is not stored as a value, numerator or denominator, and what it is.
    pub accounted: Vec<Accounted>,
    /// How many numbers were stored as values, numerators or denominators.
    pub stored: usize,
    /// The date the return says it was completed, and where.
    pub completed: Option<completed::Completed>,
}

/// A cell that says there is no value: never stored, never an error, always listed.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub indicator: String,
    pub area: String,
    pub period: String,
    /// Why there is no value ("suppressed", "not yet due").
    pub reason: String,
    /// The cell's text as written.
    pub text: String,
    pub loc: Loc,
}

/// A number in a return that is not stored as a value, and what it is (a copied target, a
/// total, a code, a number no reading explains).
#[derive(Debug, Clone, Serialize)]
pub struct Accounted {
    pub loc: Loc,
    pub role: String,
}

/// How one sheet (or one table of it) was read: what an officer needs when a return is read
/// wrongly.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SheetExplanation {
    pub sheet: String,
    /// "wide (a column per quarter)", "long (a row per value)", "one quarter", or why the
    /// sheet was skipped.
    pub layout: String,
    /// The header row's number (1-based).
    pub header_row: Option<usize>,
    /// (column letter, header text, what laa does with it).
    pub columns: Vec<(String, String, String)>,
    /// Where a single-quarter form's quarter came from.
    pub period_from: Option<String>,
    /// Where each dimension lies in the reading chosen.
    pub reading: String,
    /// The next best reading, and why the chosen one won.
    pub runner_up: Option<String>,
    /// Numbers not read, each with its reason (cell, reason).
    pub ignored: Vec<(String, String)>,
    /// Rows that are not values (1-based), each with what it is: a title above the table, a
    /// total, a note or heading.
    pub rows: Vec<(usize, String)>,
}

/// What a return is checked against.
pub struct Context<'a> {
    pub ws: &'a Workspace,
    pub catalogue: &'a Catalogue,
    /// The agreement, to check targets a partner copied into the return.
    pub agreement: Option<&'a crate::workspace::agreement::Agreement>,
    /// The quarter a return is for when it does not say (`laa import --period`); checked
    /// against any the file does say.
    pub period: Option<Period>,
    /// The area a return is for when it does not say (`laa import --area`).
    pub area: Option<String>,
    /// The catalogue's titles, normalised, built once for all the files of an import.
    pub titles: std::sync::OnceLock<FxHashMap<String, Vec<String>>>,
    /// Reading comparator tables (`laa benchmark import`): the workspace's areas are English
    /// authorities ([`Workspace::for_comparators`]), any ONS code of an authority is one, and a
    /// table must name its authorities (there is no partnership to fall back on).
    pub comparators: bool,
}

impl<'a> Context<'a> {
    /// The context of a partnership's returns.
    pub fn new(ws: &'a Workspace, catalogue: &'a Catalogue) -> Context<'a> {
        Context {
            ws,
            catalogue,
            agreement: None,
            period: None,
            area: None,
            titles: Default::default(),
            comparators: false,
        }
    }
}

/// Read and validate one return file. Every problem in the file is reported, not only the first.
pub fn read_return(path: &Path, label: &str, ctx: &Context) -> Result<ReadReturn, IngestError> {
    let (read, problems) = explain_as(path, label, ctx, false)?;
    if problems.is_empty() { Ok(read) } else { Err(IngestError::Problems(Problems(problems))) }
}

/// How each sheet of a file is read, its values as they would be stored, and its problems:
/// `laa import --explain`, which reports even a file that would be refused.
pub fn explain(path: &Path, label: &str, ctx: &Context) -> Result<(ReadReturn, Vec<Problem>), IngestError> {
    explain_as(path, label, ctx, true)
}

/// Read a file with its date completed taken out first; `thorough` as [`read_sheets_as`].
fn explain_as(
    path: &Path,
    label: &str,
    ctx: &Context,
    thorough: bool,
) -> Result<(ReadReturn, Vec<Problem>), IngestError> {
    let mut wb = sheet::read_workbook_with(path, label, &ctx.ws.settings.limits)?;
    let completed = completed::take(&mut wb);
    let (mut read, mut problems) = read_sheets_as(&wb, ctx, thorough);
    match completed {
        Ok(c) => {
            // the date's cell is taken out before the tables are read: a number, accounted for here
            if let Some(c) = c.as_ref().filter(|c| c.number) {
                read.accounted.push(Accounted { loc: c.loc.clone(), role: "the return's date completed".into() });
            }
            read.completed = c;
        }
        Err(p) => problems.insert(0, p),
    }
    Ok((read, problems))
}

pub fn read_workbook(wb: &Workbook, ctx: &Context) -> Result<ReadReturn, IngestError> {
    let (out, problems) = read_sheets(wb, ctx);
    if problems.is_empty() { Ok(out) } else { Err(IngestError::Problems(Problems(problems))) }
}

/// Every sheet read as the import judges it: the values, warnings and explanations, and the
/// problems (in sheet and cell order) that would stop the import.
fn read_sheets(wb: &Workbook, ctx: &Context) -> (ReadReturn, Vec<Problem>) {
    read_sheets_as(wb, ctx, false)
}

/// [`read_sheets`]; `thorough` builds every reading, also those that cannot win, so that the
/// explanation can show the runner-up.
fn read_sheets_as(wb: &Workbook, ctx: &Context, thorough: bool) -> (ReadReturn, Vec<Problem>) {
    let mut out = ReadReturn::default();
    let mut problems = Vec::new();
    let mut unreadable = Vec::new();
    let mut lex = cells::Lexicon::new(ctx);
    lex.thorough = thorough;
    let mut read_ok = 0;
    for (name, kind) in &wb.passed_over {
        // a chart an officer added beside the return: said, never a refusal
        out.explained.push(SheetExplanation {
            sheet: name.clone(),
            layout: format!("{kind}: passed over (it holds no cells)"),
            ..SheetExplanation::default()
        });
    }
    let file: std::sync::Arc<str> = wb.label.as_str().into();
    for sheet in &wb.sheets {
        if sheet.hidden {
            pass_over_hidden(wb, sheet, &mut out);
            continue;
        }
        let mut r = SheetReader {
            wb,
            sheet,
            ctx,
            lex: &lex,
            problems: &mut problems,
            out: &mut out.observations,
            warnings: &mut out.warnings,
            missing: &mut out.missing,
            accounted: &mut out.accounted,
            stored: &mut out.stored,
            file: file.clone(),
            sheet_name: sheet.name.as_deref().map(std::sync::Arc::from),
        };
        match r.read() {
            Ok(e) => {
                read_ok += 1;
                out.explained.extend(e)
            }
            Err(p) => {
                not_read(wb, sheet, &p, &mut out);
                unreadable.push(p)
            }
        }
    }
    sheets_unread(wb, read_ok > 0, unreadable, &mut out, &mut problems);
    find_duplicates(&out.observations, &mut problems);
    impossible_values(&out.observations, ctx, &mut problems, &mut out.warnings);
    far_from_the_rest(&out.observations, ctx, &mut out.warnings);
    commentary_checks(&out.observations, &mut out.warnings);
    fractions_for_percentages(&out.observations, ctx, &mut out.warnings);
    if out.observations.is_empty() && problems.is_empty() {
        let loc = Loc { file: wb.label.as_str().into(), sheet: None, cell: "A1".into() };
        problems.push(Problem { loc, message: "the return holds no values (every value cell is blank or n/a)".into() });
    }
    problems.sort_by(|a, b| a.loc.sheet.cmp(&b.loc.sheet).then(cell_order(&a.loc.cell, &b.loc.cell)));
    (out, problems)
}

/// A hidden sheet (workings and lookups: partners hide them; a return is on a visible sheet):
/// a warning, and its numbers accounted for.
fn pass_over_hidden(wb: &Workbook, sheet: &Sheet, out: &mut ReadReturn) {
    let name = sheet.name.clone().unwrap_or_default();
    out.warnings.push(Problem {
        loc: Loc { file: wb.label.as_str().into(), sheet: sheet.name.as_deref().map(Into::into), cell: "A1".into() },
        message: format!("sheet {name:?} is hidden, so it was passed over (unhide it if it holds the return)"),
    });
    out.explained.push(SheetExplanation {
        sheet: name,
        layout: "hidden: passed over".into(),
        ..SheetExplanation::default()
    });
    account_sheet(wb, sheet, "on a hidden sheet (passed over)", out);
}

/// A sheet that could not be read: explained, and its numbers accounted for (the sheet is
/// skipped, a warning, or the file refused).
fn not_read(wb: &Workbook, sheet: &Sheet, p: &Problem, out: &mut ReadReturn) {
    out.explained.push(SheetExplanation {
        sheet: sheet.name.clone().unwrap_or_else(|| "(csv)".into()),
        layout: format!("not read: {}", p.message),
        ..SheetExplanation::default()
    });
    account_sheet(wb, sheet, &format!("sheet not read: {}", p.message), out);
}

/// Every number of a sheet given one role.
fn account_sheet(wb: &Workbook, sheet: &Sheet, role: &str, out: &mut ReadReturn) {
    for (r, cells) in sheet.rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            if cells::is_numeric(cell) {
                let loc = sheet.loc(&wb.label, r, c);
                out.accounted.push(Accounted { loc, role: role.to_string() });
            }
        }
    }
}

/// The sheets not read: when other sheets held data, a sheet without a header that holds numbers
/// may be data laa cannot place, so it is a warning (one of text only, notes or guidance, is
/// passed over); when none did, they are the file's problems.
fn sheets_unread(
    wb: &Workbook,
    read_any: bool,
    unreadable: Vec<Problem>,
    out: &mut ReadReturn,
    problems: &mut Vec<Problem>,
) {
    if read_any {
        let has_numbers = |p: &Problem| {
            wb.sheets
                .iter()
                .find(|s| s.name.as_deref() == p.loc.sheet.as_deref())
                .is_some_and(|s| s.rows.iter().flatten().any(|c| matches!(c, Cell::Number(_))))
        };
        out.warnings.extend(
            unreadable
                .into_iter()
                .filter(has_numbers)
                .map(|p| Problem { message: format!("sheet skipped: {}", p.message), ..p }),
        );
    } else if wb.sheets.is_empty() {
        problems.push(Problem {
            loc: Loc { file: wb.label.as_str().into(), sheet: None, cell: "A1".into() },
            message: "the workbook has no sheets".into(),
        });
    } else {
        problems.extend(unreadable);
    }
}

/// Order A1 addresses by row, then column.
fn cell_order(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| {
        let letters: String = s.chars().take_while(char::is_ascii_alphabetic).collect();
        let row: usize = s[letters.len()..].parse().unwrap_or(0);
        (row, letters.len(), letters)
    };
    split(a).cmp(&split(b))
}

/// The largest size any indicator's value can have (money included): a value past it is a
/// typing or export error (1E+308 once arrived as "net additional homes").
pub const MOST_PLAUSIBLE: f64 = 1e12;

/// What an indicator's unit allows: a percentage of a whole lies in 0–100, and a count is not
/// negative. Gaps, changes and reductions may be negative (or pass 100%), and a net count
/// (net additional homes) may fall below zero: outside the usual range those are warnings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bounds {
    Percentage,
    SignedPercentage,
    Count,
    NetCount,
    Open,
}

impl Bounds {
    pub fn of(ind: &crate::domain::catalogue::Indicator) -> Bounds {
        use crate::domain::catalogue::Aggregation;
        let title = ind.title.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| title.contains(w));
        let signed = has(&["gap", "change", "reduction", "growth", "increase", "narrowing", "difference"]);
        match (ind.unit.trim() == "%", ind.aggregation() == Aggregation::Sum) {
            (true, _) if signed => Bounds::SignedPercentage,
            (true, _) => Bounds::Percentage,
            (false, true) if signed || has(&["net "]) => Bounds::NetCount,
            (false, true) => Bounds::Count,
            _ => Bounds::Open,
        }
    }
}

/// Values a unit cannot hold, each an error naming the cell: a percentage of a whole outside
/// 0–100, a negative count, anything past [`MOST_PLAUSIBLE`]. A signed percentage beyond ±100%
/// or a net count below zero is a warning (the value may still be what was meant).
fn impossible_values(obs: &[Observation], ctx: &Context, problems: &mut Vec<Problem>, warnings: &mut Vec<Problem>) {
    // values come in runs of one indicator: look its unit up once per run
    let mut last: Option<(&str, Bounds)> = None;
    for o in obs {
        let bounds = match last {
            Some((code, b)) if code == o.indicator => b,
            _ => {
                let b = ctx.catalogue.get(&o.indicator).map_or(Bounds::Open, Bounds::of);
                last = Some((&o.indicator, b));
                b
            }
        };
        // within its unit's range: nothing to say (and nothing to format)
        let fine = o.value.is_finite()
            && o.value.abs() <= MOST_PLAUSIBLE
            && match bounds {
                Bounds::Percentage => (0.0..=100.0).contains(&o.value),
                Bounds::SignedPercentage => (-100.0..=100.0).contains(&o.value),
                Bounds::Count | Bounds::NetCount => o.value >= 0.0,
                Bounds::Open => true,
            };
        if fine {
            continue;
        }
        // a number past any plausible size is shown as a person reads it (1e308, not 309 digits)
        let shown = if o.value.abs() >= 1e15 {
            format!("{:e}", o.value)
        } else {
            crate::domain::numbers::format_number(o.value)
        };
        let code = &o.indicator;
        let (error, message) = match bounds {
            _ if !o.value.is_finite() || o.value.abs() > MOST_PLAUSIBLE => {
                (true, format!("{code} is {shown}, larger than any indicator's value can be; check the cell"))
            }
            Bounds::Percentage if !(0.0..=100.0).contains(&o.value) => {
                (true, format!("{code} is {shown}%, which a percentage cannot be (0 to 100); check the cell"))
            }
            Bounds::SignedPercentage if !(-100.0..=100.0).contains(&o.value) => {
                (false, format!("{code} is {shown}%, beyond ±100%; check the cell"))
            }
            Bounds::Count if o.value < 0.0 => {
                (true, format!("{code} is a count, and {shown} is negative, which a count cannot be; check the cell"))
            }
            Bounds::NetCount if o.value < 0.0 => {
                (false, format!("{code} is a count, and {shown} is negative; check the cell"))
            }
            _ => continue,
        };
        let p = Problem { loc: o.loc.clone(), message };
        if error { problems.push(p) } else { warnings.push(p) }
    }
}

/// Whether a commentary is a template's placeholder left in: "<…>", "[insert …]", "TBC".
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    let bracketed =
        |open: char, close: char| t.find(open).is_some_and(|a| t[a..].find(close).is_some_and(|b| b > 1 && b < 60));
    const WORDS: [&str; 9] = [
        "tbc",
        "tba",
        "tbd",
        "to be confirmed",
        "to follow",
        "xxx",
        "commentary",
        "insert commentary",
        "enter commentary here",
    ];
    WORDS.contains(&lower.trim_end_matches(['.', ':']))
        || bracketed('<', '>')
        || lower.contains("[insert")
        || lower.contains("[enter")
        || lower.contains("[add ")
}

/// Commentary a performance officer would query: a template's placeholder left in, or one text
/// given for several indicators (copied down the form). Warnings naming the cells.
fn commentary_checks(obs: &[Observation], warnings: &mut Vec<Problem>) {
    let mut by_text: Vec<(&str, Vec<&Observation>)> = Vec::new();
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    for o in obs {
        let Some(c) = o.commentary.as_deref().map(str::trim).filter(|c| !c.is_empty()) else { continue };
        if is_placeholder(c) {
            let shown = crate::domain::text::shorten(c, 80);
            warnings.push(Problem {
                loc: o.loc.clone(),
                message: format!(
                    "{} commentary {shown:?} is a template's placeholder; write what happened this quarter",
                    o.indicator
                ),
            });
            continue;
        }
        // a stock phrase ("On course.") may recur; a written paragraph should not
        if c.chars().count() < 40 {
            continue;
        }
        match index.get(c) {
            Some(&i) => by_text[i].1.push(o),
            None => {
                index.insert(c, by_text.len());
                by_text.push((c, vec![o]));
            }
        }
    }
    for (text, rows) in by_text {
        let mut codes: Vec<&str> = rows.iter().map(|o| o.indicator.as_str()).collect();
        codes.dedup();
        if codes.len() < 3 {
            continue;
        }
        let shown = crate::domain::text::shorten(text, 80);
        warnings.push(Problem {
            loc: rows[0].loc.clone(),
            message: format!(
                "the same commentary is given for {} indicators ({}): {shown:?}; is it copied down the form?",
                codes.len(),
                codes.join(", ")
            ),
        });
    }
}

/// A value over a thousand times its indicator's target (or, with no target, the indicator's other
/// values in the file): a warning naming the cell (a misplaced decimal point, pence for pounds,
/// a number pasted into the wrong row).
fn far_from_the_rest(obs: &[Observation], ctx: &Context, warnings: &mut Vec<Problem>) {
    const FAR: f64 = 1000.0;
    let mut by_indicator: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, o) in obs.iter().enumerate() {
        by_indicator.entry(&o.indicator).or_default().push(i);
    }
    let mut codes: Vec<&&str> = by_indicator.keys().collect();
    codes.sort();
    for code in codes {
        let rows = &by_indicator[*code];
        let mut sizes: Vec<f64> = rows.iter().map(|&i| obs[i].value.abs()).collect();
        sizes.sort_by(f64::total_cmp);
        let median = sizes[sizes.len() / 2];
        let target = ctx
            .agreement
            .and_then(|a| a.get(code))
            .and_then(|t| [t.target_for(2008), t.target_for(2009), t.target_for(2010)].into_iter().flatten().next())
            .map(f64::abs);
        for &i in rows {
            let v = obs[i].value.abs();
            // far from the target when there is one (a whole file in pence for pounds is far
            // from it too), else from the file's typical value when there are others to compare
            let far = match target {
                Some(t) => t > 0.0 && v > t * FAR,
                None => rows.len() >= 3 && median > 0.0 && v > median * FAR,
            };
            if far && v <= MOST_PLAUSIBLE {
                let what = match target {
                    Some(t) => format!("the target is {}", crate::domain::numbers::format_number(t)),
                    None => {
                        format!("its other values here are about {}", crate::domain::numbers::format_number(median))
                    }
                };
                warnings.push(Problem {
                    loc: obs[i].loc.clone(),
                    message: format!(
                        "{code} is {}, over a thousand times what is expected ({what}); a misplaced decimal point or a value in the wrong row?",
                        crate::domain::numbers::format_number(obs[i].value)
                    ),
                });
            }
        }
    }
}

/// A percentage indicator whose every value in a file is 1 or less while its target is above 1:
/// fractions typed (or formatted) where percentages were meant (0.453 for 45.3%), in a format
/// whose cell styles `laa` cannot read (csv, xls, ods). A warning naming the first cell.
fn fractions_for_percentages(obs: &[Observation], ctx: &Context, warnings: &mut Vec<Problem>) {
    let Some(agreement) = ctx.agreement else { return };
    // per indicator, in the order first met: its first value, and whether every value is ≤ 1
    let mut seen: FxHashMap<&str, (usize, bool)> = FxHashMap::default();
    let mut order: Vec<&str> = Vec::new();
    for (i, o) in obs.iter().enumerate() {
        let e = seen.entry(&o.indicator).or_insert_with(|| {
            order.push(&o.indicator);
            (i, true)
        });
        e.1 &= o.value.abs() <= 1.0;
    }
    for code in order {
        let (first, small) = seen[code];
        if !small || ctx.catalogue.get(code).is_none_or(|i| i.unit.trim() != "%") {
            continue;
        }
        let target = agreement.get(code).and_then(|t| t.target_for(obs[first].period.year()));
        if let Some(target) = target.filter(|t| *t > 1.0) {
            warnings.push(Problem {
                loc: obs[first].loc.clone(),
                message: format!(
                    "{code} is a percentage with a target of {target}, but every value in this file is 1 or less: fractions (0.453 for 45.3%)? Type percentages, or format the cells as percentages in an .xlsx"
                ),
            });
        }
    }
}

fn find_duplicates(obs: &[Observation], problems: &mut Vec<Problem>) {
    let mut seen: FxHashMap<(&str, &str, Period), &Loc> =
        FxHashMap::with_capacity_and_hasher(obs.len(), Default::default());
    for o in obs {
        if let Some(first) = seen.insert((&o.indicator, &o.area, o.period), &o.loc) {
            let at = if first.sheet == o.loc.sheet {
                first.cell.clone()
            } else {
                format!("{}!{}", first.sheet.as_deref().unwrap_or(""), first.cell)
            };
            problems.push(Problem {
                loc: o.loc.clone(),
                message: format!(
                    "{} {} {} is given twice in this return (also at {at})",
                    o.indicator, o.area, o.period
                ),
            });
            seen.insert((&o.indicator, &o.area, o.period), first);
        }
    }
}
