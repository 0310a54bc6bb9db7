//! The returns cycle: for each theme and quarter, what its return owes (the indicators it owes,
//! for the areas a value is owed for; an annual result in the quarter it is due), when it is due
//! (working days after the quarter, or a fixed date), when it arrived, and its state.
//!
//! A value arrived on the earlier of its import's date and the date its return says it was
//! completed; a cell that says there is no value ("n/a", "not yet due") is an answer and counts
//! as arrived. Seen on a date, only what had arrived by then counts.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::assess::rating::due_by;
use crate::domain::calendar::{BankHolidays, CalendarError};
use crate::domain::catalogue::{Catalogue, Frequency};
use crate::domain::periods::Period;
use crate::store::{Store, StoreError};
use crate::workspace::Workspace;
use crate::workspace::agreement::{Agreement, OwedFor};

#[derive(Debug, thiserror::Error)]
pub enum CycleError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}: cannot read the bank holidays: {1}")]
    Holidays(String, std::io::Error),
    #[error("unknown theme {0:?} (themes: {1})")]
    UnknownTheme(String, String),
    #[error("{0} is not a quarter of the agreement ({1} to {2})")]
    OutsideAgreement(Period, Period, Period),
}

/// Where a return stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnState {
    /// Nothing owed has arrived and the due date has passed.
    Missing,
    /// Some of what was owed is still missing after the due date.
    Partial,
    /// Everything owed arrived, after the due date.
    Late,
    /// The due date has not passed.
    NotDue,
    /// Everything owed arrived by the due date.
    Received,
}

impl ReturnState {
    pub fn name(self) -> &'static str {
        match self {
            ReturnState::Missing => "missing",
            ReturnState::Partial => "partial",
            ReturnState::Late => "late",
            ReturnState::NotDue => "not_due",
            ReturnState::Received => "received",
        }
    }

    /// As a sentence says it ("not due").
    pub fn words(self) -> &'static str {
        if self == ReturnState::NotDue { "not due" } else { self.name() }
    }
}

/// One value a return owes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Owed {
    pub indicator: String,
    /// The area's code.
    pub area: String,
    pub area_name: String,
    /// The value's period: the quarter, or for an annual result its year.
    pub period: Period,
}

/// One theme's return for one quarter.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnRow {
    pub theme: String,
    /// The theme partnership that sends it (the theme's name when none is given).
    pub partnership: String,
    pub period: Period,
    pub due: NaiveDate,
    /// When everything owed had arrived; for a partial return, when the latest part did.
    pub received: Option<NaiveDate>,
    pub state: ReturnState,
    /// Calendar days past the due date: on the date seen for a missing or partial return, on
    /// arrival for a late one; 0 otherwise.
    pub days_overdue: i64,
    /// How many values were owed.
    pub owed: usize,
    pub missing: Vec<Owed>,
}

/// Which returns to list.
#[derive(Debug, Clone, Default)]
pub struct Ask {
    /// One quarter; none: every quarter of the agreement that has ended by `on`.
    pub period: Option<Period>,
    /// One theme (a code, name or partnership); none: every theme.
    pub theme: Option<String>,
}

/// The bank holidays a workspace counts working days with: the shipped ones and its own file.
pub fn holidays(ws: &Workspace) -> Result<BankHolidays, CycleError> {
    let mut h = BankHolidays::shipped();
    if let Some(f) = &ws.settings.returns.bank_holidays {
        let path = ws.dir.join(f);
        let text = std::fs::read_to_string(&path).map_err(|e| CycleError::Holidays(ws.label(&path), e))?;
        h.add_csv(&text, &ws.label(&path))?;
    }
    Ok(h)
}

/// When a theme's return for quarter `q` is due: a fixed date for the quarter, else the theme's
/// (or the partnership's) working days after the quarter ends.
pub fn due_date(ws: &Workspace, h: &BankHolidays, theme: &str, q: Period) -> Result<NaiveDate, CycleError> {
    let r = &ws.settings.returns;
    let fixed = r.due.iter().find(|(k, _)| k.parse::<Period>().ok() == Some(q));
    if let Some(d) = fixed.and_then(|(_, d)| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
        return Ok(d);
    }
    let days = ws.find_theme(theme).and_then(|t| t.due_working_days).unwrap_or(r.due_working_days);
    Ok(h.working_days_after(q.end_date(), days)?)
}

/// What a theme's return for quarter `q` owes, in agreement order.
pub fn owed(ws: &Workspace, cat: &Catalogue, agreement: &Agreement, theme: &str, q: Period) -> Vec<Owed> {
    let mut out = Vec::new();
    for t in agreement.targets.iter().filter(|t| t.owed_by.as_deref() == Some(theme)) {
        let freq = cat.get(&t.code).map_or(Frequency::Quarterly, |i| i.frequency);
        let Some(period) = value_owed(ws, freq, q) else { continue };
        let areas = ws.settings.areas.iter().filter(|a| match t.owed_for {
            OwedFor::County => a.county,
            OwedFor::Districts => !a.county,
            OwedFor::All => true,
        });
        for a in areas {
            out.push(Owed { indicator: t.code.clone(), area: a.code.clone(), area_name: a.name.clone(), period });
        }
    }
    out
}

/// The period of the value an indicator of this frequency owes in quarter `q`: the quarter
/// itself, or the annual (academic, survey) result due in it, when that result's year is one of
/// the agreement's (a biennial survey every other year from the first).
fn value_owed(ws: &Workspace, freq: Frequency, q: Period) -> Option<Period> {
    if freq == Frequency::Quarterly {
        return Some(q);
    }
    let first = ws.settings.agreement.first_year.year();
    ws.years()
        .into_iter()
        .filter(|y| freq != Frequency::Biennial || (y - first) % 2 == 0)
        .map(|year| if freq == Frequency::Academic { Period::Academic { year } } else { Period::Year { year } })
        .find(|r| Period::from_date(due_by(freq, *r)) == q)
}

/// When each owed value arrived, seen on `on`: the earliest of its imports (each on the earlier
/// of its import's date and its return's date completed) that falls on or before `on`.
pub struct Arrivals {
    first: HashMap<(String, String, Period), NaiveDate>,
}

impl Arrivals {
    /// The arrivals of the values of `periods` (the values the returns asked about owe), read a
    /// batch at a time.
    pub fn read(
        ws: &Workspace,
        agreement: &Agreement,
        periods: &std::collections::HashSet<Period>,
        on: NaiveDate,
    ) -> Result<Arrivals, CycleError> {
        let store = Store::new(&ws.store_dir());
        let journal = store.journal()?;
        let when: HashMap<(u64, &str), NaiveDate> = journal
            .iter()
            .filter_map(|e| {
                let imported = e.imported_at.get(..10).and_then(|d| d.parse::<NaiveDate>().ok())?;
                let completed = e.completed.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
                let date = completed.map_or(imported, |c| c.min(imported));
                Some(((e.batch, e.file.as_str()), date))
            })
            .filter(|(_, d)| *d <= on)
            .collect();
        let owed_codes: rustc_hash::FxHashSet<&str> =
            agreement.targets.iter().filter(|t| t.owed_by.is_some()).map(|t| t.code.as_str()).collect();
        // asked of every value in the store: the few periods owed as a list, the rest by a fast hash
        let few: Vec<Period> = periods.iter().copied().collect();
        let owed_period = |p: &Period| if few.len() <= 16 { few.contains(p) } else { periods.contains(p) };
        let when: rustc_hash::FxHashMap<(u64, &str), NaiveDate> = when.into_iter().collect();
        let mut first: HashMap<(String, String, Period), NaiveDate> = HashMap::new();
        let mut arrived = |key: (String, String, Period), d: NaiveDate| {
            first.entry(key).and_modify(|e| *e = (*e).min(d)).or_insert(d);
        };
        store.each_arrival(&mut |ind, area, period, batch, file| {
            if !owed_period(&period) || !owed_codes.contains(ind) {
                return;
            }
            if let Some(d) = when.get(&(batch, file)) {
                arrived((ind.to_string(), area.to_string(), period), *d);
            }
        })?;
        // a cell that says there is no value is an answer
        for e in &journal {
            let Some(d) = when.get(&(e.batch, e.file.as_str())) else { continue };
            for n in &e.no_values {
                let (Some(area), Ok(period)) = (ws.find_area(&n.area), n.period.parse::<Period>()) else { continue };
                if periods.contains(&period) {
                    arrived((n.indicator.clone(), area.code.clone(), period), *d);
                }
            }
        }
        Ok(Arrivals { first })
    }

    /// When this value arrived.
    pub fn of(&self, o: &Owed) -> Option<NaiveDate> {
        self.first.get(&(o.indicator.clone(), o.area.clone(), o.period)).copied()
    }
}

/// The returns asked for, seen on `on`, in theme order and then quarter order.
pub fn returns(
    ws: &Workspace,
    cat: &Catalogue,
    agreement: &Agreement,
    ask: &Ask,
    on: NaiveDate,
) -> Result<Vec<ReturnRow>, CycleError> {
    let themes: Vec<&crate::workspace::Theme> = match &ask.theme {
        Some(t) => vec![ws.find_theme(t).ok_or_else(|| {
            let known: Vec<&str> = ws.settings.themes.iter().map(|t| t.code.as_str()).collect();
            CycleError::UnknownTheme(t.clone(), known.join(", "))
        })?],
        None => ws.settings.themes.iter().collect(),
    };
    let quarters = quarters(ws, ask.period, on)?;
    let h = holidays(ws)?;
    let owing: Vec<(&crate::workspace::Theme, Period, Vec<Owed>)> = themes
        .iter()
        .flat_map(|t| quarters.iter().map(move |&q| (*t, q)))
        .map(|(t, q)| (t, q, owed(ws, cat, agreement, &t.code, q)))
        .filter(|(_, _, owed)| !owed.is_empty())
        .collect();
    let periods = owing.iter().flat_map(|(_, _, o)| o.iter().map(|o| o.period)).collect();
    let arrivals = Arrivals::read(ws, agreement, &periods, on)?;
    let mut out = Vec::new();
    for (t, q, owed) in owing {
        let due = due_date(ws, &h, &t.code, q)?;
        out.push(judge(t, q, due, on, owed, &arrivals));
    }
    Ok(out)
}

/// The quarters listed: the one asked for (inside the agreement), else every quarter of the
/// agreement that has ended by `on`.
fn quarters(ws: &Workspace, asked: Option<Period>, on: NaiveDate) -> Result<Vec<Period>, CycleError> {
    let years = ws.years();
    let (first, last) = (years[0], *years.last().expect("an agreement has a year"));
    let all: Vec<Period> = (first..=last).flat_map(|y| (1..=4).map(move |q| Period::quarter(y, q))).collect();
    match asked {
        Some(p) if all.contains(&p) => Ok(vec![p]),
        Some(p) => Err(CycleError::OutsideAgreement(p, all[0], *all.last().expect("quarters"))),
        None => Ok(all.into_iter().filter(|q| q.end_date() < on).collect()),
    }
}

/// One return's state, seen on `on`.
fn judge(
    t: &crate::workspace::Theme,
    q: Period,
    due: NaiveDate,
    on: NaiveDate,
    owed: Vec<Owed>,
    arrivals: &Arrivals,
) -> ReturnRow {
    let dates: Vec<Option<NaiveDate>> = owed.iter().map(|o| arrivals.of(o)).collect();
    let latest = dates.iter().flatten().max().copied();
    let all_in = dates.iter().all(Option::is_some);
    let (state, days_overdue) = if all_in {
        let r = latest.expect("owed is not empty");
        if r <= due { (ReturnState::Received, 0) } else { (ReturnState::Late, (r - due).num_days()) }
    } else if on <= due {
        (ReturnState::NotDue, 0)
    } else if latest.is_none() {
        (ReturnState::Missing, (on - due).num_days())
    } else {
        (ReturnState::Partial, (on - due).num_days())
    };
    let n = owed.len();
    let missing = owed.into_iter().zip(&dates).filter(|(_, d)| d.is_none()).map(|(o, _)| o).collect();
    ReturnRow {
        theme: t.code.clone(),
        partnership: if t.partnership.is_empty() { t.name.clone() } else { t.partnership.clone() },
        period: q,
        due,
        received: latest,
        state,
        days_overdue,
        owed: n,
        missing,
    }
}

impl ReturnRow {
    /// Whether the return is overdue and not complete (missing or partial): what a reminder
    /// chases and a stale rating's reason names.
    pub fn owes(&self) -> bool {
        matches!(self.state, ReturnState::Missing | ReturnState::Partial)
    }
}

/// Worst first (missing, partial, late, not due, received), then the latest quarter first, then
/// the theme order.
pub fn worst_first(rows: &mut [ReturnRow]) {
    rows.sort_by(|a, b| a.state.cmp(&b.state).then(b.period.cmp(&a.period)));
}

/// What a rating's reason adds when its value's return has not arrived: "no return from the
/// Safer Leicestershire Partnership; due 28 Oct 2009, 33 days overdue".
pub fn missing_note(row: &ReturnRow) -> String {
    let what = if row.state == ReturnState::Partial { "an incomplete return" } else { "no return" };
    format!(
        "{what} from the {}; due {}, {} day{} overdue",
        row.partnership,
        row.due.format("%-d %b %Y"),
        row.days_overdue,
        if row.days_overdue == 1 { "" } else { "s" }
    )
}
