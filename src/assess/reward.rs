//! Performance Reward Grant: per reward target, the outturn of the year it is assessed on
//! (projected from the actuals so far), the share of the stretch it reaches, the grant it would
//! earn and the grant at risk, the 60% trigger, the interim payment, an in-year reduction, the
//! payment profile (two instalments, capital and revenue), and totals without parked targets.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::assess::rating::{self, Rating};
use crate::assess::series::Points;
use crate::domain::catalogue::{Indicator, Measure};
use crate::domain::numbers::{pence, readable, split_pence};
use crate::domain::periods::Period;
use crate::domain::rag::Rag;
use crate::workspace::agreement::{Agreement, Assessed, RewardStatus, RewardTerms};
use crate::workspace::{AssessOn, ForecastMethod, RatingSettings, RewardSettings, Workspace};
mod totals;
pub use totals::*;

/// What a projection rests on: this year's forecast and the assessed year's outturn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outlook {
    /// This year's year-end forecast (the current-year picture).
    pub forecast: Option<f64>,
    /// The year assessed ("2010/11", or "2008/09 to 2010/11" for a cumulative target).
    pub assessed_year: String,
    pub assessed_forecast: Option<f64>,
    /// How the assessed outturn was found, in words.
    pub method: String,
    /// The interim year's name and outturn (the year before the assessed one).
    pub interim: Option<(String, f64)>,
}

/// When grant is paid: the interim payment a year early, the rest in two equal instalments in
/// the two years after the agreement ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub interim_paid: i32,
    pub instalments: [i32; 2],
}

impl Schedule {
    /// For an agreement whose last year starts in `last_year` (2010 for LAA 2008–11).
    pub fn after(last_year: i32) -> Schedule {
        Schedule { interim_paid: last_year, instalments: [last_year + 1, last_year + 2] }
    }
}

/// One payment of a target's grant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payment {
    /// The financial year it is paid in.
    pub year: Period,
    /// "interim", "first instalment" or "second instalment".
    pub what: &'static str,
    /// After any reduction.
    pub amount: f64,
    pub capital: f64,
    pub revenue: f64,
    /// What the reduction took off it.
    pub reduced_by: f64,
}

/// One reward target's projection.
#[derive(Debug, Clone, Serialize)]
pub struct Projection {
    pub indicator: String,
    pub title: String,
    pub theme: String,
    pub performance_without_reward: f64,
    pub stretch_target: f64,
    pub max_grant: f64,
    /// "agreement", or "equal share of the pot" when the row gives no maximum.
    pub max_grant_basis: String,
    /// This year's year-end forecast (the current-year picture).
    pub forecast: Option<f64>,
    pub assessed_year: String,
    /// The assessed year's outturn as projected: what the grant is computed from.
    pub assessed_forecast: Option<f64>,
    /// Share of the stretch achieved by the assessed outturn, 0–cap (0 below performance
    /// without reward).
    pub achievement: f64,
    /// Grant earned by the achievement, before any reduction.
    pub earned_grant: f64,
    /// Grant to be paid: interim and instalments, after any reduction.
    pub projected_grant: f64,
    /// Maximum less earned: what performance puts at risk.
    pub grant_at_risk: f64,
    /// What the reduction takes off the earned grant.
    pub reduction: f64,
    pub interim_level: Option<f64>,
    /// Whether the interim year's outturn reaches the interim level (None without one).
    pub interim_reached: Option<bool>,
    pub payments: Vec<Payment>,
    /// Out of the totals: parked for renegotiation or withdrawn (`status` says which).
    pub parked: bool,
    pub status: RewardStatus,
    pub rating: Rag,
    /// The outturn that reaches the threshold: without + threshold × (stretch − without).
    pub trigger_value: f64,
    /// How far the assessed outturn is short of the trigger (0 when at or beyond it), in the unit.
    pub distance_to_trigger: Option<f64>,
    /// How far the assessed outturn is short of the stretch target (0 when at or beyond it).
    pub distance_to_stretch: Option<f64>,
    /// Grant earned in addition by reaching the trigger.
    pub grant_recovered_at_trigger: f64,
    /// Grant earned in addition by reaching the stretch target.
    pub grant_recovered_at_stretch: f64,
    pub reason: String,
    /// What reaching the trigger and the stretch takes per quarter, and whether the record shows
    /// the trigger within reach.
    pub need: crate::assess::needed::RewardNeed,
}

impl Projection {
    /// Counted, below its trigger, and the trigger within reach on its own record: the grant a
    /// board can still recover.
    pub fn trigger_within_reach(&self) -> bool {
        !self.parked && self.grant_recovered_at_trigger > 0.0 && self.need.within_reach == Some(true)
    }

    /// A payment's amount by its position (interim, first and second instalment), 0 when none.
    pub fn payment(&self, what: &str) -> f64 {
        self.payments.iter().filter(|p| p.what == what).map(|p| p.amount).sum::<f64>() + 0.0
    }
}

/// Share of the stretch achieved by an outturn, before the cap: (actual − without) ÷ (stretch − without).
pub fn share_of_stretch(terms: &RewardTerms, outturn: f64) -> f64 {
    let span = terms.stretch_target - terms.performance_without_reward;
    if span == 0.0 {
        return if outturn == terms.stretch_target { 1.0 } else { 0.0 };
    }
    (outturn - terms.performance_without_reward) / span
}

/// Grant paid for an achievement under the settings, out of `max_grant`.
pub fn grant_for(max_grant: f64, achievement: f64, s: &RewardSettings) -> f64 {
    let eps = 1e-9;
    if achievement + eps < s.threshold {
        0.0
    } else if s.pro_rata {
        max_grant * achievement.min(s.cap)
    } else if achievement + eps >= 1.0 {
        max_grant * s.cap.min(1.0)
    } else {
        0.0
    }
}

/// An indicator's catalogue entry and county series, by code.
pub type Lookup<'a> = dyn Fn(&str) -> Option<(&'a Indicator, &'a Points)> + 'a;

/// What a workspace's settings and data give every reward target.
pub struct Context<'a> {
    pub ws: &'a Workspace,
    pub agreement: &'a Agreement,
    /// The county's ratings for the quarter (the current-year forecasts).
    pub county_ratings: &'a [Rating],
    /// The catalogue entry and county series of an indicator.
    pub lookup: &'a Lookup<'a>,
    pub period: Period,
}

/// A stated final-year outturn for a scenario (`laa reward --assume`): a value, a change in
/// the unit, or a change in per cent of the projection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Assumption {
    Value(f64),
    Change(f64),
    Percent(f64),
}

impl Assumption {
    /// `NI 154=3100`, `NI 192=+2%`, `L01=-40`: the indicator's code and the assumption.
    pub fn parse(text: &str) -> Result<(String, Assumption), String> {
        let bad = || {
            format!("{text:?} is not an assumption (expected e.g. \"NI 154=3100\", \"NI 192=+2%\" or \"NI 39=-40\")")
        };
        let (code, what) = text.split_once('=').ok_or_else(bad)?;
        let code = crate::domain::catalogue::normalise_code(code).ok_or_else(bad)?;
        let what = what.trim();
        let number = |t: &str| t.trim().replace(',', "").parse::<f64>().ok().filter(|v| v.is_finite());
        let a = if let Some(pct) = what.strip_suffix('%') {
            if !(pct.starts_with('+') || pct.starts_with('-')) {
                return Err(format!("{text:?}: a percentage is a change (\"+2%\" or \"-2%\"); give a value without %"));
            }
            Assumption::Percent(number(pct).ok_or_else(bad)?)
        } else if what.starts_with('+') || what.starts_with('-') {
            Assumption::Change(number(what).ok_or_else(bad)?)
        } else {
            Assumption::Value(number(what).ok_or_else(bad)?)
        };
        Ok((code, a))
    }

    /// The outturn assumed in place of a projected one.
    pub fn apply(self, projected: Option<f64>) -> Option<f64> {
        match self {
            Assumption::Value(v) => Some(v),
            Assumption::Change(d) => projected.map(|p| p + d),
            Assumption::Percent(pc) => projected.map(|p| p * (1.0 + pc / 100.0)),
        }
    }

    pub fn text(self) -> String {
        match self {
            Assumption::Value(v) => format!("assumed {}", readable(v)),
            Assumption::Change(d) => {
                format!("assumed {}{} on the projection", if d >= 0.0 { "+" } else { "" }, readable(d))
            }
            Assumption::Percent(p) => {
                format!("assumed {}{}% on the projection", if p >= 0.0 { "+" } else { "" }, readable(p))
            }
        }
    }
}

/// Project every reward target.
pub fn project(cx: &Context) -> Vec<Projection> {
    project_assuming(cx, &[])
}

/// Project every reward target, with the assessed outturns of some stated instead (a scenario).
pub fn project_assuming(cx: &Context, assume: &[(String, Assumption)]) -> Vec<Projection> {
    let s = &cx.ws.settings.reward;
    let years = cx.ws.years();
    let schedule = Schedule::after(cx.ws.settings.agreement.last_year.year());
    let targets: Vec<_> = cx.agreement.targets.iter().filter_map(|t| Some((t, t.reward?))).collect();
    // the pot shared equally among the targets when a row gives no maximum grant
    let share = s.net_budget.map(|b| b * s.pot_share / targets.len().max(1) as f64);
    targets
        .into_iter()
        .map(|(t, terms)| {
            let r = cx.county_ratings.iter().find(|r| r.indicator == t.code);
            let title = r.map(|r| r.title.clone()).unwrap_or_default();
            let forecast = r.and_then(|r| r.forecast);
            let mut outlook = match (cx.lookup)(&t.code) {
                Some((ind, series)) => outlook(ind, &cx.ws.settings.rating, s, series, cx.period, &years, &terms),
                None => Outlook { forecast, ..Outlook::default() },
            };
            if let Some((_, a)) = assume.iter().find(|(code, _)| *code == t.code) {
                outlook.method = format!(
                    "{} ({}: {})",
                    a.text(),
                    outlook.method,
                    outlook.assessed_forecast.map_or("no projection".into(), readable)
                );
                outlook.assessed_forecast = a.apply(outlook.assessed_forecast);
            }
            let (max, basis) = match (terms.max_grant, share) {
                (Some(g), _) => (g, "agreement".to_string()),
                (None, Some(g)) => (g, format!("equal share of the pot ({:.1}% of net budget)", s.pot_share * 100.0)),
                (None, None) => (0.0, "none: the row gives no maximum grant and [reward] net_budget is not set".into()),
            };
            let mut p = project_one(&t.code, &title, &t.theme, &outlook, &terms, max, s, &schedule);
            p.max_grant_basis = basis;
            if let Some((ind, series)) = (cx.lookup)(&t.code) {
                let final_year =
                    match terms.assessed.unwrap_or(Assessed::Year(*years.last().unwrap_or(&cx.period.year()))) {
                        Assessed::Year(y) => Some(y),
                        Assessed::Cumulative => None,
                    };
                let up = terms.stretch_target >= terms.performance_without_reward;
                p.need = crate::assess::needed::reward_need(
                    ind,
                    series,
                    cx.period,
                    final_year,
                    p.trigger_value,
                    terms.stretch_target,
                    up,
                );
            }
            p
        })
        .collect()
}

/// The year-end outturn of each year up to the quarter's: the actual for past years (the last
/// quarter's value, or the year's result), this year's forecast. `true` marks an actual.
fn outturns(
    ind: &Indicator,
    rs: &RatingSettings,
    series: &Points,
    period: Period,
    years: &[i32],
) -> BTreeMap<i32, (f64, bool)> {
    let mut out = BTreeMap::new();
    for &y in years.iter().filter(|y| **y <= period.year()) {
        let at = if y == period.year() { period } else { Period::quarter(y, 4) };
        let Some(f) = rating::forecast(ind, rs, series, at) else { continue };
        if f.value_period.year() != y {
            continue;
        }
        // a past year's actual: its last quarter's value, or its annual result
        let quarterly = matches!(f.value_period, Period::Quarter { .. });
        let actual = y < period.year() && (!quarterly || f.value_period == Period::quarter(y, 4));
        out.insert(y, (f.value, actual));
    }
    out
}

fn year_text(y: i32) -> String {
    Period::Year { year: y }.to_string()
}

/// A year's outturn, known or projected, with how it was found.
fn outturn_of(
    y: i32,
    known: &BTreeMap<i32, (f64, bool)>,
    ind: &Indicator,
    rs: &RatingSettings,
) -> Option<(f64, String)> {
    if let Some(&(v, actual)) = known.get(&y) {
        let what = if actual { "outturn" } else { "forecast" };
        return Some((v, format!("the {} {what} {}", year_text(y), readable(v))));
    }
    let (&last_y, &(last, _)) = known.iter().next_back()?;
    if y < last_y {
        return None;
    }
    let latest = ind.measure_type == Measure::Snapshot && rs.forecast == ForecastMethod::Latest;
    let pts: Vec<(f64, f64)> = known.iter().map(|(y, (v, _))| (f64::from(*y), *v)).collect();
    match rating::fit_line(&pts) {
        Some(fit) if !latest => {
            let list: Vec<String> = known
                .iter()
                .map(|(y, (v, a))| {
                    format!("{} {} {}", year_text(*y), readable(*v), if *a { "outturn" } else { "forecast" })
                })
                .collect();
            let v = fit.at(f64::from(y));
            Some((
                v,
                format!(
                    "{} projected at {} by the trend of {} yearly outturns ({})",
                    year_text(y),
                    readable(v),
                    pts.len(),
                    list.join("; ")
                ),
            ))
        }
        _ => Some((
            last,
            format!(
                "{} projected at {}: the latest {} ({}) carried forward{}",
                year_text(y),
                readable(last),
                if known[&last_y].1 { "outturn" } else { "forecast" },
                year_text(last_y),
                if latest { "" } else { ", one year of results being too few for a trend" }
            ),
        )),
    }
}

/// The outlook of one reward target.
pub fn outlook(
    ind: &Indicator,
    rs: &RatingSettings,
    s: &RewardSettings,
    series: &Points,
    period: Period,
    years: &[i32],
    terms: &RewardTerms,
) -> Outlook {
    let now = period.year();
    let forecast = rating::forecast(ind, rs, series, period).filter(|f| f.due).map(|f| f.value);
    if s.assess_on == AssessOn::CurrentYear {
        return Outlook {
            forecast,
            assessed_year: year_text(now),
            assessed_forecast: forecast,
            method: format!("this year's forecast ({}; current-year view)", year_text(now)),
            interim: None,
        };
    }
    let last = years.last().copied().unwrap_or(now);
    let known = outturns(ind, rs, series, period, years);
    let (assessed_year, assessed_forecast, method, interim_year) = match terms.assessed.unwrap_or(Assessed::Year(last))
    {
        Assessed::Year(y) => {
            let o = outturn_of(y, &known, ind, rs);
            (year_text(y), o.as_ref().map(|o| o.0), o.map_or_else(|| "no outturn yet".into(), |o| o.1), y - 1)
        }
        Assessed::Cumulative => {
            let parts: Option<Vec<(f64, String)>> = years.iter().map(|y| outturn_of(*y, &known, ind, rs)).collect();
            let name = format!("{} to {} cumulative", year_text(years[0]), year_text(last));
            match parts {
                Some(parts) => {
                    let total = parts.iter().map(|p| p.0).sum();
                    let how = parts.into_iter().map(|p| p.1).collect::<Vec<_>>().join("; ");
                    (name, Some(total), format!("the sum of {how}"), last - 1)
                }
                None => (name, None, "no outturn yet for every year".into(), last - 1),
            }
        }
    };
    let interim = terms
        .interim_level
        .and_then(|_| outturn_of(interim_year, &known, ind, rs))
        .map(|(v, _)| (year_text(interim_year), v));
    Outlook { forecast, assessed_year, assessed_forecast, method, interim }
}

/// The share of a payment in financial year `year` that the reduction leaves.
fn kept(s: &RewardSettings, year: i32) -> f64 {
    let end = NaiveDate::from_ymd_opt(year + 1, 3, 31).expect("31 March is a date");
    match s.reduction_date() {
        Some(from) if from <= end => 1.0 - s.reduction,
        _ => 1.0,
    }
}

/// The interim payment and the two instalments of the final grant, each reduced when paid after
/// a reduction took effect.
fn payments(s: &RewardSettings, schedule: &Schedule, interim_gross: f64, final_gross: f64) -> Vec<Payment> {
    let mut payments = Vec::new();
    let mut pay = |year: i32, what: &'static str, gross: f64| {
        if gross > 0.0 {
            let amount = pence(gross * kept(s, year));
            // capital and revenue add up to the payment, to the penny
            let split = split_pence(amount, &[s.capital_share, 1.0 - s.capital_share]);
            payments.push(Payment {
                year: Period::Year { year },
                what,
                amount,
                capital: split[0],
                revenue: split[1],
                reduced_by: pence(gross - amount),
            });
        }
    };
    // the two instalments add up to the final grant, to the penny (largest remainder)
    let halves = split_pence(final_gross, &[0.5, 0.5]);
    pay(schedule.interim_paid, "interim", interim_gross);
    pay(schedule.instalments[0], "first instalment", halves[0]);
    pay(schedule.instalments[1], "second instalment", halves[1]);
    payments
}

/// Why a target's projection is what it is: the year and method assessed, the share of the
/// stretch reached, the interim level, any reduction, and parking.
fn reason(
    o: &Outlook,
    terms: &RewardTerms,
    s: &RewardSettings,
    raw: f64,
    interim_reached: Option<bool>,
    reduction: f64,
) -> String {
    let mut reason = match o.assessed_forecast {
        None => format!("assessed on {}: {}", o.assessed_year, o.method),
        Some(_) => format!(
            "assessed on {}: {}; that reaches {:.0}% of the stretch from {} to {} (threshold {:.0}%){}",
            o.assessed_year,
            o.method,
            (raw.clamp(0.0, 1.0) * 100.0).round() + 0.0,
            readable(terms.performance_without_reward),
            readable(terms.stretch_target),
            s.threshold * 100.0,
            // the raw position, apart: how far below performance without reward, or beyond the stretch
            if raw < 0.0 {
                format!(
                    "; its position is {:.0}% of the stretch below performance without reward",
                    (-raw * 100.0).round()
                )
            } else if raw > 1.0 {
                format!(
                    "; its position is {:.0}% of the stretch beyond the stretch target",
                    ((raw - 1.0) * 100.0).round()
                )
            } else {
                String::new()
            }
        ),
    };
    if let (Some(level), Some((year, v))) = (terms.interim_level, &o.interim) {
        reason += &format!(
            "; interim level {} for {year} {} ({})",
            readable(level),
            if interim_reached == Some(true) { "reached" } else { "not reached" },
            readable(*v)
        );
    }
    if reduction > 0.0 {
        reason += &format!(
            "; reduced by {:.0}% from {}",
            s.reduction * 100.0,
            s.reduction_from.as_deref().unwrap_or_default()
        );
    }
    if terms.status != RewardStatus::Active {
        reason = format!("{}, so not in the totals; {reason}", terms.status.words());
    }
    reason
}

#[allow(clippy::too_many_arguments)]
pub fn project_one(
    code: &str,
    title: &str,
    theme: &str,
    o: &Outlook,
    terms: &RewardTerms,
    max_grant: f64,
    s: &RewardSettings,
    schedule: &Schedule,
) -> Projection {
    let outturn = o.assessed_forecast;
    let raw = outturn.map_or(0.0, |f| share_of_stretch(terms, f));
    let achievement = raw.clamp(0.0, s.cap.min(1.0)) + 0.0; // + 0.0 turns -0 into 0
    // money to the whole penny: 0.72 of £500,000 is £360,000.00
    let earned = pence(grant_for(max_grant, achievement, s));
    let eps = 1e-9;
    let span = terms.stretch_target - terms.performance_without_reward;
    let interim_reached = terms.interim_level.map(|level| {
        o.interim.as_ref().is_some_and(|(_, v)| (v - level) * span.signum() >= -eps * level.abs().max(1.0))
    });
    // the interim payment comes a year early and is netted off the final figure (never clawed back)
    let interim_gross = if interim_reached == Some(true) { pence(s.interim_share * max_grant) } else { 0.0 };
    let final_gross = pence((earned - interim_gross).max(0.0));
    let payments = payments(s, schedule, interim_gross, final_gross);
    let projected = pence(payments.iter().map(|p| p.amount).sum());
    let reduction = pence(payments.iter().map(|p| p.reduced_by).sum());
    let rag = match outturn {
        _ if terms.status != RewardStatus::Active => Rag::Grey,
        None => Rag::Grey,
        Some(_) if achievement + eps < s.threshold => Rag::Red,
        Some(_) if achievement + eps < 1.0 => Rag::Amber,
        Some(_) => Rag::Green,
    };
    let trigger = terms.performance_without_reward + s.threshold * span;
    // distance in the good direction: positive while short
    let short_of = |goal: f64| outturn.map(|f| ((goal - f) * span.signum()).max(0.0));
    let at_trigger = pence((max_grant * if s.pro_rata { s.threshold } else { 0.0 } - earned).max(0.0));
    let at_stretch = pence((grant_for(max_grant, 1.0, s) - earned).max(0.0));
    let reason = reason(o, terms, s, raw, interim_reached, reduction);
    Projection {
        indicator: code.to_string(),
        title: title.to_string(),
        theme: theme.to_string(),
        performance_without_reward: terms.performance_without_reward,
        stretch_target: terms.stretch_target,
        max_grant,
        max_grant_basis: "agreement".into(),
        forecast: o.forecast,
        assessed_year: o.assessed_year.clone(),
        assessed_forecast: outturn,
        achievement,
        earned_grant: earned,
        projected_grant: projected,
        grant_at_risk: pence(max_grant - earned),
        reduction,
        interim_level: terms.interim_level,
        interim_reached,
        payments,
        parked: terms.status != RewardStatus::Active,
        status: terms.status,
        rating: rag,
        trigger_value: trigger,
        distance_to_trigger: short_of(trigger),
        distance_to_stretch: short_of(terms.stretch_target),
        grant_recovered_at_trigger: at_trigger,
        grant_recovered_at_stretch: at_stretch,
        reason,
        need: Default::default(),
    }
}

#[cfg(test)]
mod tests;
