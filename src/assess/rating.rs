//! Red/amber/green ratings: year-end forecasts by measure type, polarity-aware comparison with
//! the year's target and tolerance, direction of travel, the probability of meeting the target,
//! and manual overrides kept beside the computed rating.

use crate::domain::numbers::fmt_value;
use serde::Serialize;

use crate::assess::series::{Points, Series};
use crate::domain::catalogue::{Catalogue, Frequency, Indicator, Measure, Polarity};
use crate::domain::periods::Period;
pub use crate::domain::rag::{Direction, Rag};
use crate::workspace::agreement::{Agreement, Kind, Target};
use crate::workspace::overrides::Override;
use crate::workspace::{BetweenResults, CumulativeForecast, ForecastMethod, RatingSettings, ToleranceKind, Workspace};

mod forecast;

pub use forecast::*;

/// One indicator's rating in one area for one quarter.
#[derive(Debug, Clone, Serialize)]
pub struct Rating {
    pub indicator: String,
    pub title: String,
    /// The lead theme's code.
    pub theme: String,
    pub kind: Kind,
    pub area: String,
    /// The quarter rated.
    pub period: Period,
    /// The period of the latest value used (an annual indicator's last result).
    pub value_period: Option<Period>,
    pub actual: Option<f64>,
    pub target: Option<f64>,
    pub forecast: Option<f64>,
    pub rating: Rag,
    /// One line a person can read: why this rating.
    pub reason: String,
    /// Against the same quarter a year earlier.
    pub direction: Option<Direction>,
    /// Against the previous quarter (snapshot and rolling measures).
    pub direction_previous: Option<Direction>,
    /// Probability of meeting the year's target (normal approximation around the trend).
    pub probability: Option<f64>,
    pub probability_note: String,
    /// Standard deviation of the year-end outturn behind the probability.
    pub forecast_sd: Option<f64>,
    /// False for annual, survey and academic-year indicators between their results.
    pub due: bool,
    /// Between results: the last result judged against the target of the year it belongs to
    /// (what happened), beside the rating of the forecast of the next result (the risk).
    pub last_result: Option<Box<LastResult>>,
    /// Between results: when the next result is due ("2009/10, due by 30 September 2010").
    pub next_due: Option<String>,
    /// Between results: the risk to the next result, a separate judgement from the headline
    /// (the last result carried forward against the next result's year's target).
    pub risk: Option<Box<LastResult>>,
    /// The period whose target `target` is (a year; for an annual result between results, the
    /// year of the result the headline judges).
    pub target_period: Option<Period>,
    pub override_rating: Option<Rag>,
    pub override_reason: Option<String>,
    pub override_author: Option<String>,
    /// The override when there is one, else the computed rating (what summaries count).
    pub effective_rating: Rag,
    pub unit: String,
    pub polarity: Polarity,
    pub measure_type: Measure,
    pub commentary: Option<String>,
    pub action: Option<String>,
    /// The partner's own rating of the value, when its return gave one.
    pub self_rating: Option<Rag>,
    /// The partner's data-quality flag ("Provisional", "Final", "Estimate").
    pub quality: Option<String>,
    /// Return cells behind the actual value.
    pub sources: Vec<String>,
    pub derivation: Option<String>,
    /// What it takes to turn green: the figure needed in the quarters left, and whether the
    /// area's record shows it within reach.
    pub needed: crate::assess::needed::Needed,
    /// Where the area stands against other authorities (context only: never enters the rating).
    pub benchmark: Option<Box<crate::assess::benchmark::Benchmark>>,
}

impl Rating {
    /// What it takes to turn green, in short: nothing for a green that can hold, else the figure
    /// needed and whether the record shows it within reach ("790 a quarter (1,580 by Q4) (not
    /// reached before)", "no longer possible this year").
    pub fn to_turn_green(&self) -> String {
        use crate::assess::needed::NeedStatus;
        if self.rating == Rag::Green && self.needed.status != NeedStatus::Impossible {
            return String::new();
        }
        match (self.needed.status, self.needed.within_reach) {
            (NeedStatus::Needed, Some(true)) => format!("{} (within reach)", self.needed.summary),
            (NeedStatus::Needed, Some(false)) => format!("{} (not reached before)", self.needed.summary),
            _ => self.needed.summary.clone(),
        }
    }

    /// The partner's own rating where it differs from laa's (the effective one).
    pub fn self_rating_differs(&self) -> Option<Rag> {
        self.self_rating.filter(|r| *r != self.effective_rating)
    }
}

/// An annual indicator's last result against its own year's target.
#[derive(Debug, Clone, Serialize)]
pub struct LastResult {
    pub period: Period,
    pub value: f64,
    pub target: Option<f64>,
    pub rating: Rag,
    pub reason: String,
}

/// The next result after `last` of an indicator with this frequency, and the date it is due by
/// (see [`due_by`]).
pub fn next_result(freq: Frequency, last: Period) -> (Period, chrono::NaiveDate) {
    let step = if freq == Frequency::Biennial { 2 } else { 1 };
    let year = last.year() + step;
    let next = match last {
        Period::Academic { .. } => Period::Academic { year },
        _ => Period::Year { year },
    };
    (next, due_by(freq, next))
}

/// The date by which a result is due: a financial or academic year's by the end of the following
/// September (the July–September returns); a biennial survey's (the Place Survey of autumn 2008,
/// published in June 2009) by the end of the following June (the April–June returns).
pub fn due_by(freq: Frequency, result: Period) -> chrono::NaiveDate {
    let year = result.year();
    let by = if freq == Frequency::Biennial {
        chrono::NaiveDate::from_ymd_opt(year + 1, 6, 30)
    } else {
        chrono::NaiveDate::from_ymd_opt(year + 1, 9, 30)
    };
    by.expect("a quarter's last day is a date")
}

/// What ratings are computed from.
pub struct Inputs<'a> {
    pub ws: &'a Workspace,
    pub catalogue: &'a Catalogue,
    pub agreement: &'a Agreement,
    pub series: &'a Series,
    pub overrides: &'a [Override],
}

/// Rate every agreement indicator in every area that has data (the county always) for a quarter.
pub fn rate_all(inp: &Inputs, period: Period) -> Vec<Rating> {
    rate_areas(inp, period, false)
}

/// Rate every agreement indicator for the county alone.
pub fn rate_county(inp: &Inputs, period: Period) -> Vec<Rating> {
    rate_areas(inp, period, true)
}

/// [`rate_all`] for what changed since: each rating keeps its codes and ratings and lets its
/// texts go as it is made (reason, title, sources, what it takes: a third of a national
/// picture's memory, which `laa rate --changes` held for two quarters at once).
pub fn rate_all_for_changes(inp: &Inputs, period: Period) -> Vec<Rating> {
    rate_jobs(inp, period, false, &|r| {
        r.reason = String::new();
        r.title = String::new();
        r.probability_note = String::new();
        r.sources = Vec::new();
        r.needed.summary = String::new();
        r.needed.reach_note = String::new();
        r.commentary = None;
        r.action = None;
        r.derivation = None;
        r.last_result = None;
        r.risk = None;
    })
}

fn rate_areas(inp: &Inputs, period: Period, county_only: bool) -> Vec<Rating> {
    rate_jobs(inp, period, county_only, &|_| {})
}

/// Rate every (indicator, area) asked for, each rating passed through `then` as it is made.
fn rate_jobs(inp: &Inputs, period: Period, county_only: bool, then: &(dyn Fn(&mut Rating) + Sync)) -> Vec<Rating> {
    use rayon::prelude::*;
    let county = inp.ws.county().code.as_str();
    // every (indicator, area) to rate, in the agreement's order: rated in parallel straight into
    // one vector (a vector per indicator, then flattened, held every rating twice at the peak)
    let jobs: Vec<(&Target, &Indicator, &str)> = inp
        .agreement
        .targets
        .iter()
        .filter_map(|t| Some((t, inp.catalogue.get(&t.code)?)))
        .flat_map(|(t, ind)| {
            let areas = std::iter::once(county).chain(
                inp.ws
                    .settings
                    .areas
                    .iter()
                    .filter(move |a| !county_only && !a.county && inp.series.get(&t.code, &a.code).is_some())
                    .map(|a| a.code.as_str()),
            );
            areas.map(move |area| (t, ind, area))
        })
        .collect();
    jobs.par_iter()
        .map(|(t, ind, area)| {
            let mut r = rate_one(inp, t, ind, area, period);
            then(&mut r);
            r
        })
        .collect()
}

/// A rating's judgement before its parts are gathered: the forecast, the headline rating and
/// its reason, the target judged against, and between results the last result and the risk to
/// the next.
struct Judged {
    f: Option<Forecast>,
    rating: Rag,
    reason: String,
    target: Option<f64>,
    target_year: i32,
    last_result: Option<LastResult>,
    risk: Option<LastResult>,
    next_due: Option<String>,
    tolerance: f64,
}

fn judge_rating(inp: &Inputs, t: &Target, ind: &Indicator, series: &Points, period: Period) -> Judged {
    let settings = &inp.ws.settings.rating;
    let mut f = forecast(ind, settings, series, period);
    // an annual, academic or survey result is judged against its own year's target: as this
    // quarter's outcome when it is due in the quarter rated (or is this year's), else as the last
    // result between results
    if let Some(f) = f.as_mut().filter(|f| !matches!(f.value_period, Period::Quarter { .. })) {
        f.due = f.due || Period::from_date(due_by(ind.frequency, f.value_period)) == period;
        f.target_year = f.value_period.year();
    }
    let next = f.as_ref().filter(|f| !f.due).map(|f| next_result(ind.frequency, f.value_period));
    let target_year = f.as_ref().map_or(period.year(), |f| f.target_year);
    let target = t.target_for(target_year);
    let tolerance = t.tolerance.unwrap_or(settings.tolerance);
    let judged = |f: &Forecast, target: Option<f64>| match target {
        None => (Rag::Grey, format!("no target for {}", year_name(ind, f.target_year))),
        Some(_) if ind.polarity == Polarity::None && t.band.is_some() => {
            judge_band(ind, f, t.band.expect("checked"), tolerance, settings.tolerance_kind)
        }
        Some(target) => judge(ind, f, target, tolerance, settings.tolerance_kind),
    };
    let (rating, reason) = match &f {
        None => (Rag::Grey, format!("no value for {}", year_name(ind, period.year()))),
        Some(f) => judged(f, target),
    };
    // between results: what happened (the last result against its own year's target) and, as a
    // separate judgement, the risk to the next result (the last carried forward against the next
    // result's year's target)
    let last_result = f.as_ref().filter(|f| !f.due).map(|f| LastResult {
        period: f.value_period,
        value: f.value,
        target,
        rating,
        reason: result_text(reason.clone()),
    });
    let risk = f.as_ref().zip(next).map(|(f, (n, _))| {
        let carried = Forecast { target_year: n.year(), ..f.clone() };
        let target = t.target_for(n.year());
        let (rating, reason) = judged(&carried, target);
        LastResult { period: n, value: f.value, target, rating, reason: result_text(reason) }
    });
    let next_due = next.map(|(n, by)| {
        let when = if by < period.end_date() { "was due by" } else { "due by" };
        format!("{n}, {when} {}", by.format("%-d %B %Y"))
    });
    let mut j = Judged { f, rating, reason, target, target_year, last_result, risk, next_due, tolerance };
    headline(&mut j, settings.between_results);
    j
}

/// A judgement's reason without the word "forecast" (a result is an outturn).
fn result_text(r: String) -> String {
    r.strip_prefix("forecast ").map_or(r.clone(), String::from)
}

/// The headline and its reason are one judgement: the last result's, or with
/// `between_results = "forecast"` the risk's; the other is shown apart, labelled.
fn headline(j: &mut Judged, between: BetweenResults) {
    match (&j.last_result, &j.risk, between) {
        (Some(l), Some(r), BetweenResults::Forecast) => {
            j.reason = format!(
                "between results: the next result ({}) forecast at the {} result: {}",
                r.period, l.period, r.reason
            );
            (j.rating, j.target, j.target_year) = (r.rating, r.target, r.period.year());
        }
        (Some(l), _, _) => {
            j.reason = format!("between results: the {} result {}", l.period, l.reason);
            (j.rating, j.target) = (l.rating, l.target);
        }
        // a result due this quarter is an outturn, not a forecast: said as one
        _ => {
            if let Some(f) = j.f.as_ref().filter(|f| !matches!(f.value_period, Period::Quarter { .. })) {
                j.reason = format!("the {} result {}", f.value_period, result_text(std::mem::take(&mut j.reason)));
            }
        }
    }
}

fn rate_one(inp: &Inputs, t: &Target, ind: &Indicator, area: &str, period: Period) -> Rating {
    let settings = &inp.ws.settings.rating;
    let empty = Points::default();
    let series = inp.series.get(&t.code, area).unwrap_or(&empty);
    let Judged { f, rating, reason, target, target_year, last_result, risk, next_due, tolerance } =
        judge_rating(inp, t, ind, series, period);
    let point = f.as_ref().map(|f| &series[&f.value_period]);
    let prob = f.as_ref().zip(target).map(|(f, tg)| probability(ind, series, period, f, tg, settings));
    let ov = inp.overrides.iter().find(|o| o.indicator == t.code && o.area == area && o.period == period);
    let needed = what_it_takes(t, ind, series, period, tolerance, settings.tolerance_kind);
    Rating {
        indicator: t.code.clone(),
        title: ind.title.clone(),
        theme: t.theme.clone(),
        kind: t.kind,
        area: area.to_string(),
        period,
        value_period: f.as_ref().map(|f| f.value_period),
        actual: point.map(|p| p.value),
        target,
        forecast: f.as_ref().map(|f| f.value),
        rating,
        reason: match &f {
            Some(f) if f.due && !f.note.is_empty() => format!("{reason}; {}", f.note),
            _ => reason,
        },
        direction: direction(ind, series, f.as_ref().map(|f| f.value_period), |p| p.year_earlier(), settings),
        direction_previous: match ind.measure_type {
            Measure::Cumulative => None,
            _ => direction(
                ind,
                series,
                f.as_ref().map(|f| f.value_period).filter(|p| matches!(p, Period::Quarter { .. })),
                |p| p.previous_quarter().unwrap_or(p),
                settings,
            ),
        },
        probability: prob.as_ref().and_then(|p| p.0),
        forecast_sd: prob.as_ref().and_then(|p| p.2),
        probability_note: prob.map(|p| p.1).unwrap_or_else(|| "no forecast".into()),
        due: f.as_ref().is_none_or(|f| f.due),
        last_result: last_result.map(Box::new),
        next_due,
        risk: risk.map(Box::new),
        target_period: f.as_ref().map(|_| match ind.frequency {
            Frequency::Academic => Period::Academic { year: target_year },
            _ => Period::Year { year: target_year },
        }),
        override_rating: ov.map(|o| o.rating),
        override_reason: ov.map(|o| o.reason.clone()),
        override_author: ov.map(|o| o.author.clone()),
        effective_rating: ov.map_or(rating, |o| o.rating),
        unit: ind.unit.clone(),
        polarity: ind.polarity,
        measure_type: ind.measure_type,
        commentary: point.and_then(|p| inp.series.text(p.commentary)),
        action: point.and_then(|p| inp.series.text(p.action)),
        self_rating: point.and_then(|p| inp.series.text(p.self_rating)).and_then(|t| Rag::parse(&t)),
        quality: point.and_then(|p| inp.series.text(p.quality)),
        sources: point.map(|p| inp.series.locs(p).iter().map(ToString::to_string).collect()).unwrap_or_default(),
        derivation: point.and_then(|p| p.derivation().map(String::from)),
        needed,
        benchmark: None,
    }
}

/// What an indicator needs to turn green: against the year's target for a quarterly measure,
/// and for an annual, academic or survey result against the target of the next result due.
fn what_it_takes(
    t: &Target,
    ind: &Indicator,
    series: &Points,
    period: Period,
    tolerance: f64,
    kind: ToleranceKind,
) -> crate::assess::needed::Needed {
    let year = if ind.frequency == Frequency::Quarterly {
        period.year()
    } else {
        series
            .iter()
            .rfind(|(p, _)| !matches!(p, Period::Quarter { .. }) && p.year() <= period.year())
            .map_or(period.year(), |(p, _)| next_result(ind.frequency, *p).0.year())
    };
    let target = t.target_for(year);
    let tol = target
        .map_or(0.0, |tg| crate::assess::needed::tolerance_amount(tg, tolerance, kind == ToleranceKind::Relative));
    crate::assess::needed::needed(ind, series, period, target, tol)
}

fn year_name(ind: &Indicator, year: i32) -> String {
    match ind.frequency {
        Frequency::Academic => Period::Academic { year }.to_string(),
        _ => Period::Year { year }.to_string(),
    }
}

/// Compare a forecast with its target: green on or beyond, amber short by no more than the
/// tolerance, red beyond; grey without polarity.
pub fn judge(ind: &Indicator, f: &Forecast, target: f64, tolerance: f64, kind: ToleranceKind) -> (Rag, String) {
    let fmt = |v: f64| fmt_value(v, &ind.unit);
    let vs = format!("forecast {} vs target {}", fmt(f.value), fmt(target));
    let shortfall = match ind.polarity {
        Polarity::Higher => target - f.value,
        Polarity::Lower => f.value - target,
        Polarity::None => {
            return (Rag::Grey, format!("{vs}: no polarity, so above or below target cannot be judged"));
        }
    };
    let (tol, tol_text) = match kind {
        ToleranceKind::Relative => (tolerance * target.abs(), format!("{}%", trim(tolerance * 100.0))),
        ToleranceKind::Absolute => (tolerance, fmt(tolerance)),
    };
    let eps = 1e-9 * target.abs().max(1.0);
    let short_text = || {
        if target != 0.0 {
            format!(
                "{}% {}",
                trim(round1(shortfall / target.abs() * 100.0)),
                if ind.polarity == Polarity::Higher { "short" } else { "over" }
            )
        } else {
            format!("{} {}", fmt(shortfall), if ind.polarity == Polarity::Higher { "short" } else { "over" })
        }
    };
    if shortfall <= eps {
        (Rag::Green, format!("{vs}: on or beyond target"))
    } else if shortfall <= tol + eps {
        (Rag::Amber, format!("{vs}: {}, within tolerance {tol_text}", short_text()))
    } else {
        (Rag::Red, format!("{vs}: {}, tolerance {tol_text}", short_text()))
    }
}

/// For an indicator with no polarity: green inside the target band, amber outside it by no more
/// than the tolerance (of the nearer end), red beyond.
pub fn judge_band(
    ind: &Indicator,
    f: &Forecast,
    (lo, hi): (f64, f64),
    tolerance: f64,
    kind: ToleranceKind,
) -> (Rag, String) {
    let fmt = |v: f64| fmt_value(v, &ind.unit);
    let vs = format!("forecast {} vs target band {} to {}", fmt(f.value), fmt(lo), fmt(hi));
    let (outside, nearest, side) = if f.value < lo {
        (lo - f.value, lo, "below")
    } else if f.value > hi {
        (f.value - hi, hi, "above")
    } else {
        (0.0, hi, "")
    };
    let (tol, tol_text) = match kind {
        ToleranceKind::Relative => (tolerance * nearest.abs(), format!("{}%", trim(tolerance * 100.0))),
        ToleranceKind::Absolute => (tolerance, fmt(tolerance)),
    };
    let eps = 1e-9 * nearest.abs().max(1.0);
    if outside <= eps {
        (Rag::Green, format!("{vs}: within the band"))
    } else if outside <= tol + eps {
        (Rag::Amber, format!("{vs}: {} {side} the band, within tolerance {tol_text}", fmt(outside)))
    } else {
        (Rag::Red, format!("{vs}: {} {side} the band, tolerance {tol_text}", fmt(outside)))
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn trim(v: f64) -> String {
    crate::domain::numbers::format_number(v)
}

/// Ratings whose effective rating differs from the previous quarter's.
pub fn changes<'a>(now: &'a [Rating], before: &[Rating]) -> Vec<(&'a Rating, Rag)> {
    // the earlier ratings by indicator and area, looked up once each (a search of every earlier
    // rating for each rating took minutes for every area at four times the national data)
    let mut earlier: std::collections::HashMap<(&str, &str), Rag> = std::collections::HashMap::new();
    for b in before.iter().rev() {
        // of two for one indicator and area, the first (as a search from the start finds)
        earlier.insert((b.indicator.as_str(), b.area.as_str()), b.effective_rating);
    }
    now.iter()
        .filter_map(|r| {
            let b = *earlier.get(&(r.indicator.as_str(), r.area.as_str()))?;
            (b != r.effective_rating).then_some((r, b))
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
