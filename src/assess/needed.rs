//! What it takes: for a rating, the figure needed in the quarters left of the year to reach green
//! (and the edge of amber), by measure type and polarity; and whether the area's own record
//! (its best quarter, its median quarterly change) shows that figure within reach.

use serde::Serialize;

use crate::assess::series::Points;
use crate::domain::catalogue::{Frequency, Indicator, Measure, Polarity};
use crate::domain::numbers::readable;
use crate::domain::periods::Period;

/// Where an indicator stands against what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NeedStatus {
    /// A figure is still needed (given in the fields).
    Needed,
    /// The target is already met (a year's total reached, a level held).
    Met,
    /// The target can no longer be met this year.
    Impossible,
    /// No value yet for the year.
    #[default]
    NoData,
    /// No target for the year.
    NoTarget,
    /// No polarity: no direction to aim for.
    NoPolarity,
}

impl NeedStatus {
    pub fn words(self) -> &'static str {
        match self {
            NeedStatus::Needed => "needed",
            NeedStatus::Met => "met",
            NeedStatus::Impossible => "no longer possible this year",
            NeedStatus::NoData => "no data yet",
            NeedStatus::NoTarget => "no target",
            NeedStatus::NoPolarity => "no polarity",
        }
    }
}

/// What a rating needs to turn green.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct Needed {
    pub status: NeedStatus,
    /// Cumulative: the total still needed by the year's end (for a lower-is-better measure, the
    /// most that may still come). Snapshot and rolling: the level needed at the year's last
    /// return. Annual, academic and biennial: what the next result must be.
    pub needed_total: Option<f64>,
    /// Cumulative: the amount per remaining quarter. Snapshot and rolling: the change per quarter
    /// from the latest value. None for annual results.
    pub needed_per_quarter: Option<f64>,
    /// `needed_total` at the edge of the tolerance: what keeps the rating amber.
    pub needed_for_amber: Option<f64>,
    /// Quarters left after the latest value in the year.
    pub quarters_left: Option<u32>,
    /// The best quarter on record by the same measure as `needed_per_quarter` (a quarter's own
    /// amount for a cumulative measure, a quarter's change otherwise; a result's change from the
    /// one before for an annual one).
    pub best_quarter: Option<f64>,
    pub best_quarter_period: Option<Period>,
    /// The median of the same on record.
    pub median_change: Option<f64>,
    pub within_reach: Option<bool>,
    /// The verdict with its evidence, in words.
    pub reach_note: String,
    /// The short text of the table's "to turn green" column.
    pub summary: String,
}

/// The record a required rate is compared with: each period's own amount (cumulative) or its
/// change from the period before, and the period it belongs to.
pub fn record(ind: &Indicator, series: &Points) -> Vec<(Period, f64)> {
    let mut out = Vec::new();
    let mut prev: Option<(Period, f64)> = None;
    for (p, pt) in series.iter() {
        let quarterly = matches!(p, Period::Quarter { .. });
        if quarterly != (ind.frequency == Frequency::Quarterly) {
            continue;
        }
        let step = match (ind.measure_type, p, prev) {
            // a year to date: Q1 is its own amount, later quarters add to the one before
            (Measure::Cumulative, Period::Quarter { q: 1, .. }, _) if quarterly => Some(pt.value),
            (Measure::Cumulative, _, Some((pp, pv))) if quarterly && p.previous_quarter() == Some(pp) => {
                Some(pt.value - pv)
            }
            (Measure::Cumulative, ..) if quarterly => None,
            // a level: its change from the quarter (or result) before
            (_, _, Some((pp, pv))) if !quarterly || p.previous_quarter() == Some(pp) => Some(pt.value - pv),
            _ => None,
        };
        if let Some(s) = step.filter(|s| s.is_finite()) {
            out.push((*p, s));
        }
        prev = Some((*p, pt.value));
    }
    out
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

/// How much tolerance a target allows, in the unit.
pub fn tolerance_amount(target: f64, tolerance: f64, relative: bool) -> f64 {
    if relative { tolerance * target.abs() } else { tolerance }
}

/// What an indicator needs to reach `target` (the target of the year of `period`, or for an
/// annual result the next result's), with `tol` the tolerance in the unit.
pub fn needed(ind: &Indicator, series: &Points, period: Period, target: Option<f64>, tol: f64) -> Needed {
    let unit = ind.unit.trim();
    let mut n = Needed::default();
    let sign = match ind.polarity {
        Polarity::Higher => 1.0,
        Polarity::Lower => -1.0,
        Polarity::None => {
            n.status = NeedStatus::NoPolarity;
            n.summary = "no polarity".into();
            n.reach_note = "no polarity: no direction to aim for".into();
            return n;
        }
    };
    let Some(target) = target else {
        n.status = NeedStatus::NoTarget;
        n.summary = "no target".into();
        return n;
    };
    let aim = Aim { sign, target, amber: target - sign * tol, unit };
    let record = record(ind, series);
    // the best on record in the direction that helps, and the median
    let best = record.iter().copied().max_by(|a, b| (sign * a.1).total_cmp(&(sign * b.1)));
    n.best_quarter = best.map(|b| b.1);
    n.best_quarter_period = best.map(|b| b.0);
    n.median_change = median(record.iter().map(|r| r.1).collect());
    let year = period.year();
    if ind.frequency != Frequency::Quarterly {
        // the next result: the year after the last one in, or this year's when none is in yet
        let last = series.iter().rfind(|(p, _)| !matches!(p, Period::Quarter { .. }) && p.year() <= year);
        let Some((lp, lpt)) = last else {
            n.status = NeedStatus::NoData;
            n.summary = "no data yet".into();
            return n;
        };
        next_result(&mut n, &aim, *lp, lpt.value);
        return n;
    }
    let Some((lp, lpt)) = series.range(Period::quarter(year, 1)..=period).next_back() else {
        n.status = NeedStatus::NoData;
        n.summary = "no data yet".into();
        return n;
    };
    let Period::Quarter { q, .. } = *lp else { return n };
    let left = u32::from(4 - q);
    n.quarters_left = Some(left);
    match ind.measure_type {
        Measure::Cumulative => cumulative(&mut n, &aim, *lp, lpt.value, left),
        Measure::Snapshot | Measure::Rolling => {
            let rolling = if ind.measure_type == Measure::Rolling { "rolling value " } else { "" };
            snapshot(&mut n, &aim, *lp, lpt.value, left, rolling);
        }
    }
    n
}

/// The level aimed at: the direction that helps (+1 higher is better, -1 lower), the target,
/// the edge of amber, and the unit the figures are written in.
struct Aim<'u> {
    sign: f64,
    target: f64,
    amber: f64,
    unit: &'u str,
}

impl Aim<'_> {
    fn fmt(&self, v: f64) -> String {
        crate::domain::numbers::fmt_value(v, self.unit)
    }

    /// A level a percentage cannot take.
    fn beyond_bounds(&self, level: f64) -> bool {
        self.unit == "%" && !(0.0..=100.0).contains(&level)
    }
}

/// An annual (or academic, survey) result: what the next result must be, after the last, `v` in `lp`.
fn next_result(n: &mut Needed, aim: &Aim, lp: Period, v: f64) {
    let (sign, target) = (aim.sign, aim.target);
    let gap = target - v;
    n.needed_total = Some(target);
    n.needed_for_amber = Some(aim.amber);
    if sign * gap <= 0.0 {
        n.status = NeedStatus::Met;
        n.summary = format!("met: the {lp} result {} already reaches {}", aim.fmt(v), aim.fmt(target));
        return;
    }
    if aim.beyond_bounds(target) {
        n.status = NeedStatus::Impossible;
        n.summary = "no longer possible this year".into();
        n.reach_note = format!("the target {} is outside 0–100%", aim.fmt(target));
        return;
    }
    n.status = NeedStatus::Needed;
    n.summary = format!("next result {}", aim.fmt(target));
    n.reach_note = reach(n, gap, sign, "a result", &|v| aim.fmt(v), &lp);
}

/// A cumulative measure, `v` so far by `lp` with `left` quarters to come: the year's total still
/// to come (a lower-is-better measure: the most that may come).
fn cumulative(n: &mut Needed, aim: &Aim, lp: Period, v: f64, left: u32) {
    let (sign, target, amber) = (aim.sign, aim.target, aim.amber);
    let remaining = target - v;
    n.needed_total = Some(remaining);
    // higher is better: nothing more needed once the amber edge is passed
    n.needed_for_amber = Some(if sign > 0.0 { (amber - v).max(0.0) } else { amber - v });
    let (met, impossible) = if sign > 0.0 { (remaining <= 0.0, left == 0) } else { (left == 0, remaining < 0.0) };
    if sign > 0.0 && met {
        n.status = NeedStatus::Met;
        n.summary = format!("met: {} by {lp} reaches {}", aim.fmt(v), aim.fmt(target));
        n.needed_total = Some(0.0);
        n.needed_per_quarter = Some(0.0);
        return;
    }
    if impossible {
        n.status = NeedStatus::Impossible;
        n.summary = "no longer possible this year".into();
        n.reach_note = if sign > 0.0 {
            format!("the year's last return is in: {} against {}", aim.fmt(v), aim.fmt(target))
        } else {
            format!("{} by {lp} is already past the year's {}", aim.fmt(v), aim.fmt(target))
        };
        return;
    }
    if met {
        // lower is better and the year is over within the target
        n.status = NeedStatus::Met;
        n.summary = format!("met: {} for the year, within {}", aim.fmt(v), aim.fmt(target));
        return;
    }
    let per = remaining / f64::from(left);
    n.needed_per_quarter = Some(per);
    n.status = NeedStatus::Needed;
    n.summary = if sign > 0.0 {
        format!("{} a quarter ({} by Q4)", readable(per), readable(remaining))
    } else {
        format!("at most {} a quarter ({} by Q4)", readable(per), readable(remaining))
    };
    n.reach_note = reach_rate(n, per, sign, &lp);
}

/// A snapshot or rolling measure, `v` at `lp` with `left` quarters to come: the level by Q4.
fn snapshot(n: &mut Needed, aim: &Aim, lp: Period, v: f64, left: u32, rolling: &str) {
    let (sign, target) = (aim.sign, aim.target);
    n.needed_total = Some(target);
    n.needed_for_amber = Some(aim.amber);
    let gap = target - v;
    if sign * gap <= 0.0 {
        n.status = NeedStatus::Met;
        n.needed_per_quarter = Some(0.0);
        n.summary = format!("met: {} at {lp}; hold it", aim.fmt(v));
        return;
    }
    if left == 0 || aim.beyond_bounds(target) {
        n.status = NeedStatus::Impossible;
        n.summary = "no longer possible this year".into();
        n.reach_note = if left == 0 {
            format!("the year's last return is in: {} against {}", aim.fmt(v), aim.fmt(target))
        } else {
            format!("the target {} is outside 0–100%", aim.fmt(target))
        };
        return;
    }
    let per = gap / f64::from(left);
    n.needed_per_quarter = Some(per);
    n.status = NeedStatus::Needed;
    let plus = if per >= 0.0 { "+" } else { "" };
    n.summary = format!("{rolling}{} by Q4 ({plus}{} a quarter)", aim.fmt(target), readable(per));
    n.reach_note = reach_rate(n, per, sign, &lp);
}

/// The verdict for a rate needed per quarter, against the best quarter on record.
/// "needs 412 a quarter", "allows at most 30 a quarter" (a ceiling on a lower-is-better amount),
/// "needs a fall of 0.8 a quarter".
fn needs_words(per: f64, sign: f64) -> String {
    if sign > 0.0 && per >= 0.0 {
        format!("needs {} a quarter", readable(per))
    } else if sign > 0.0 {
        format!("allows a fall of up to {} a quarter", readable(-per))
    } else if per >= 0.0 {
        format!("allows at most {} a quarter", readable(per))
    } else {
        format!("needs a fall of {} a quarter", readable(-per))
    }
}

fn reach_rate(n: &mut Needed, per: f64, sign: f64, latest: &Period) -> String {
    let best = n.best_quarter_period.zip(n.best_quarter);
    let none = format!("no earlier quarter to compare with (latest {latest})");
    let (ok, note) = verdict(&needs_words(per, sign), per, sign, best, n.median_change, &none);
    n.within_reach = ok;
    note
}

/// Whether the best quarter on record reaches a rate needed a quarter, and the sentence that says
/// so with its evidence (and the median quarter when given); `none` when there is no record.
fn verdict(
    needs: &str,
    per: f64,
    sign: f64,
    best: Option<(Period, f64)>,
    median: Option<f64>,
    none: &str,
) -> (Option<bool>, String) {
    let Some((bp, best)) = best else { return (None, format!("{needs}; {none}")) };
    let ok = sign * (best - per) >= -1e-9 * per.abs().max(1.0);
    let median = median.map(|m| format!("; the median quarter {}", readable(m))).unwrap_or_default();
    let note = if ok {
        format!("{needs}; {bp} managed {}{median}: within reach", readable(best))
    } else {
        format!(
            "{needs}; the best quarter on record was {} ({bp}){median}: not reached at any past rate",
            readable(best)
        )
    };
    (Some(ok), note)
}

/// The verdict for a result needed, against the best change between results on record.
fn reach(n: &mut Needed, gap: f64, sign: f64, what: &str, fmt: &dyn Fn(f64) -> String, last: &Period) -> String {
    let needs = format!("needs a change of {} from the {last} result", fmt(gap));
    match (n.best_quarter, n.best_quarter_period) {
        (Some(best), Some(bp)) => {
            let ok = sign * (best - gap) >= -1e-9 * gap.abs().max(1.0);
            n.within_reach = Some(ok);
            if ok {
                format!("{needs}; {bp} changed by {}: within reach", fmt(best))
            } else {
                format!("{needs}; the best change to {what} on record was {} ({bp}): not reached before", fmt(best))
            }
        }
        _ => format!("{needs}; no earlier result to compare with"),
    }
}

/// What a reward target needs: the final-year value for the trigger and for the stretch, and what
/// each means per quarter from the latest value to the final return of the agreement.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct RewardNeed {
    pub needed_for_trigger: Option<f64>,
    pub needed_for_stretch: Option<f64>,
    /// Per remaining quarter to the trigger: a level's change a quarter, or a year-to-date
    /// measure's amount a quarter in the assessed year. None for annual results and for
    /// targets assessed on a several-year total.
    pub needed_per_quarter: Option<f64>,
    pub needed_per_quarter_for_stretch: Option<f64>,
    /// Quarters from the latest value to the final return.
    pub quarters_left: Option<u32>,
    pub best_quarter: Option<f64>,
    pub best_quarter_period: Option<Period>,
    /// Whether the record shows the trigger within reach.
    pub within_reach: Option<bool>,
    pub reach_note: String,
}

/// What reaching `trigger` and `stretch` in the year starting `final_year` takes, from an
/// indicator's series as known at `period`. `span_up` is whether the stretch lies above the
/// performance without reward (the direction that earns grant).
pub fn reward_need(
    ind: &Indicator,
    series: &Points,
    period: Period,
    final_year: Option<i32>,
    trigger: f64,
    stretch: f64,
    span_up: bool,
) -> RewardNeed {
    let sign = if span_up { 1.0 } else { -1.0 };
    let mut n =
        RewardNeed { needed_for_trigger: Some(trigger), needed_for_stretch: Some(stretch), ..Default::default() };
    let rec = record(ind, series);
    let best = rec.iter().copied().max_by(|a, b| (sign * a.1).total_cmp(&(sign * b.1)));
    n.best_quarter = best.map(|b| b.1);
    n.best_quarter_period = best.map(|b| b.0);
    let Some(final_year) = final_year else {
        n.reach_note = "assessed on a total over several years: no single final-year figure".into();
        return n;
    };
    let latest = series.range(..=period).rfind(|(p, _)| matches!(p, Period::Quarter { .. }));
    if ind.frequency != Frequency::Quarterly {
        let last = series.iter().rfind(|(p, _)| !matches!(p, Period::Quarter { .. }) && p.year() <= period.year());
        let Some((lp, lpt)) = last else {
            n.reach_note = "no result yet".into();
            return n;
        };
        result_reach(&mut n, sign, trigger - lpt.value, best, *lp, lpt.value);
        return n;
    }
    let Some((lp, lpt)) = latest else {
        n.reach_note = "no data yet".into();
        return n;
    };
    let (per_trigger, per_stretch, left, latest_text) =
        per_quarter(ind.measure_type, (*lp, lpt.value), final_year, trigger, stretch);
    n.quarters_left = Some(left);
    n.needed_per_quarter = per_trigger;
    n.needed_per_quarter_for_stretch = per_stretch;
    let Some(per) = per_trigger else {
        n.reach_note = format!("the final return is in ({latest_text})");
        return n;
    };
    let cumulative = ind.measure_type == Measure::Cumulative;
    if !cumulative && sign * per <= 0.0 {
        n.within_reach = Some(true);
        n.reach_note = format!("the trigger {} is already reached ({latest_text}): hold it", readable(trigger));
        return n;
    }
    let needs = format!("{} for {left} quarters from {latest_text}", needs_words(per, sign));
    (n.within_reach, n.reach_note) = verdict(&needs, per, sign, best, None, "no earlier quarter to compare with");
    n
}

/// An annual result's reach: its change from the last result `v` in `lp` (`gap` to the
/// trigger), compared with the best change on record.
fn result_reach(n: &mut RewardNeed, sign: f64, gap: f64, best: Option<(Period, f64)>, lp: Period, v: f64) {
    n.reach_note = match best {
        _ if sign * gap <= 0.0 => format!("the {lp} result {} already reaches the trigger", readable(v)),
        Some((bp, b)) => {
            let ok = sign * (b - gap) >= 0.0;
            n.within_reach = Some(ok);
            format!(
                "needs a change of {} from the {lp} result; the best change on record was {} ({bp}){}",
                readable(gap),
                readable(b),
                if ok { ": within reach" } else { ": not reached before" }
            )
        }
        None => {
            format!("needs a change of {} from the {lp} result; no earlier result to compare with", readable(gap))
        }
    };
}

/// A quarterly measure's need per quarter for the trigger and the stretch, from the latest
/// value to the final year's Q4: (for the trigger, for the stretch, quarters left, where from).
fn per_quarter(
    measure: Measure,
    (lp, v): (Period, f64),
    final_year: i32,
    trigger: f64,
    stretch: f64,
) -> (Option<f64>, Option<f64>, u32, String) {
    let final_q4 = Period::quarter(final_year, 4);
    let quarters = |from: Period| Period::quarters_between(from, final_q4).len().saturating_sub(1) as u32;
    // a year's total: what is still to come in the assessed year, by its quarters left
    let (done, left, from) = match measure {
        Measure::Cumulative if lp.year() == final_year => (v, quarters(lp), format!("{} by {lp}", readable(v))),
        Measure::Cumulative => (0.0, 4, format!("the start of {}", Period::Year { year: final_year })),
        _ => (v, quarters(lp), format!("{} at {lp}", readable(v))),
    };
    if left == 0 {
        return (None, None, 0, from);
    }
    let l = f64::from(left);
    (Some((trigger - done) / l), Some((stretch - done) / l), left, from)
}

#[cfg(test)]
mod tests;
