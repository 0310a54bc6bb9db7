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
    let fmt = |v: f64| crate::domain::numbers::fmt_value(v, unit);
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
    let amber = target - sign * tol;
    let record = record(ind, series);
    // the best on record in the direction that helps, and the median
    let best = record.iter().copied().max_by(|a, b| (sign * a.1).total_cmp(&(sign * b.1)));
    n.best_quarter = best.map(|b| b.1);
    n.best_quarter_period = best.map(|b| b.0);
    n.median_change = median(record.iter().map(|r| r.1).collect());
    let bounded_pct = unit == "%";
    let beyond_bounds = |level: f64| bounded_pct && !(0.0..=100.0).contains(&level);
    let year = period.year();
    if ind.frequency != Frequency::Quarterly {
        // the next result: the year after the last one in, or this year's when none is in yet
        let last = series.iter().rfind(|(p, _)| !matches!(p, Period::Quarter { .. }) && p.year() <= year);
        let Some((lp, lpt)) = last else {
            n.status = NeedStatus::NoData;
            n.summary = "no data yet".into();
            return n;
        };
        let gap = target - lpt.value;
        n.needed_total = Some(target);
        n.needed_for_amber = Some(amber);
        if sign * gap <= 0.0 {
            n.status = NeedStatus::Met;
            n.summary = format!("met: the {lp} result {} already reaches {}", fmt(lpt.value), fmt(target));
            return n;
        }
        if beyond_bounds(target) {
            n.status = NeedStatus::Impossible;
            n.summary = "no longer possible this year".into();
            n.reach_note = format!("the target {} is outside 0–100%", fmt(target));
            return n;
        }
        n.status = NeedStatus::Needed;
        n.summary = format!("next result {}", fmt(target));
        n.reach_note = reach(&mut n, gap, sign, "a result", &fmt, lp);
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
    let v = lpt.value;
    match ind.measure_type {
        Measure::Cumulative => {
            // the year's total still to come (a lower-is-better measure: the most that may come)
            let remaining = target - v;
            n.needed_total = Some(remaining);
            // higher is better: nothing more needed once the amber edge is passed
            n.needed_for_amber = Some(if sign > 0.0 { (amber - v).max(0.0) } else { amber - v });
            let (met, impossible) =
                if sign > 0.0 { (remaining <= 0.0, left == 0) } else { (left == 0, remaining < 0.0) };
            if sign > 0.0 && met {
                n.status = NeedStatus::Met;
                n.summary = format!("met: {} by {lp} reaches {}", fmt(v), fmt(target));
                n.needed_total = Some(0.0);
                n.needed_per_quarter = Some(0.0);
                return n;
            }
            if impossible {
                n.status = NeedStatus::Impossible;
                n.summary = "no longer possible this year".into();
                n.reach_note = if sign > 0.0 {
                    format!("the year's last return is in: {} against {}", fmt(v), fmt(target))
                } else {
                    format!("{} by {lp} is already past the year's {}", fmt(v), fmt(target))
                };
                return n;
            }
            if met {
                // lower is better and the year is over within the target
                n.status = NeedStatus::Met;
                n.summary = format!("met: {} for the year, within {}", fmt(v), fmt(target));
                return n;
            }
            let per = remaining / f64::from(left);
            n.needed_per_quarter = Some(per);
            n.status = NeedStatus::Needed;
            n.summary = if sign > 0.0 {
                format!("{} a quarter ({} by Q4)", readable(per), readable(remaining))
            } else {
                format!("at most {} a quarter ({} by Q4)", readable(per), readable(remaining))
            };
            n.reach_note = reach_rate(&mut n, per, sign, lp);
        }
        Measure::Snapshot | Measure::Rolling => {
            n.needed_total = Some(target);
            n.needed_for_amber = Some(amber);
            let gap = target - v;
            if sign * gap <= 0.0 {
                n.status = NeedStatus::Met;
                n.needed_per_quarter = Some(0.0);
                n.summary = format!("met: {} at {lp}; hold it", fmt(v));
                return n;
            }
            if left == 0 || beyond_bounds(target) {
                n.status = NeedStatus::Impossible;
                n.summary = "no longer possible this year".into();
                n.reach_note = if left == 0 {
                    format!("the year's last return is in: {} against {}", fmt(v), fmt(target))
                } else {
                    format!("the target {} is outside 0–100%", fmt(target))
                };
                return n;
            }
            let per = gap / f64::from(left);
            n.needed_per_quarter = Some(per);
            n.status = NeedStatus::Needed;
            let rolling = if ind.measure_type == Measure::Rolling { "rolling value " } else { "" };
            let plus = if per >= 0.0 { "+" } else { "" };
            n.summary = format!("{rolling}{} by Q4 ({plus}{} a quarter)", fmt(target), readable(per));
            n.reach_note = reach_rate(&mut n, per, sign, lp);
        }
    }
    n
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
    let final_q4 = Period::quarter(final_year, 4);
    let latest = series.range(..=period).rfind(|(p, _)| matches!(p, Period::Quarter { .. }));
    let (per_trigger, per_stretch, left, latest_text) = if ind.frequency != Frequency::Quarterly {
        let last = series.iter().rfind(|(p, _)| !matches!(p, Period::Quarter { .. }) && p.year() <= period.year());
        let Some((lp, lpt)) = last else {
            n.reach_note = "no result yet".into();
            return n;
        };
        // a result's change from the last one, compared with the best change on record
        let gap = trigger - lpt.value;
        n.reach_note = match best {
            _ if sign * gap <= 0.0 => format!("the {lp} result {} already reaches the trigger", readable(lpt.value)),
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
        return n;
    } else {
        let Some((lp, lpt)) = latest else {
            n.reach_note = "no data yet".into();
            return n;
        };
        let quarters = |from: Period| Period::quarters_between(from, final_q4).len().saturating_sub(1) as u32;
        match ind.measure_type {
            Measure::Cumulative => {
                // a year's total: what is still to come in the assessed year, by its quarters left
                let (done, left, from) = if lp.year() == final_year {
                    (lpt.value, quarters(*lp), format!("{} by {lp}", readable(lpt.value)))
                } else {
                    (0.0, 4, format!("the start of {}", Period::Year { year: final_year }))
                };
                if left == 0 {
                    (None, None, 0, from)
                } else {
                    let l = f64::from(left);
                    (Some((trigger - done) / l), Some((stretch - done) / l), left, from)
                }
            }
            _ => {
                let left = quarters(*lp);
                if left == 0 {
                    (None, None, 0, format!("{} at {lp}", readable(lpt.value)))
                } else {
                    let l = f64::from(left);
                    (
                        Some((trigger - lpt.value) / l),
                        Some((stretch - lpt.value) / l),
                        left,
                        format!("{} at {lp}", readable(lpt.value)),
                    )
                }
            }
        }
    };
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

#[cfg(test)]
mod tests {
    //! Hand-calculated cases: each measure type × polarity, and each edge (met, impossible, no
    //! data, no target, a bounded percentage).
    use super::*;
    // the rating tests' hand-made indicators and series
    use crate::assess::rating::tests::{ind, series};

    fn q(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn cumulative_higher_is_better() {
        // 2009/10: 300 by Q2 of a 1,000 target: 700 in two quarters, 350 a quarter; the best
        // quarter on record is 2008/09 Q3's 400 (550 − 150), so within reach
        let i = ind(Polarity::Higher, Measure::Cumulative, Frequency::Quarterly, "number");
        let s = series(&[
            ("2008/09 Q1", 100.0),
            ("2008/09 Q2", 150.0),
            ("2008/09 Q3", 550.0),
            ("2008/09 Q4", 700.0),
            ("2009/10 Q1", 120.0),
            ("2009/10 Q2", 300.0),
        ]);
        let n = needed(&i, &s, q("2009/10 Q2"), Some(1000.0), 50.0);
        assert_eq!(n.status, NeedStatus::Needed);
        assert_eq!((n.needed_total, n.needed_per_quarter, n.needed_for_amber), (Some(700.0), Some(350.0), Some(650.0)));
        assert_eq!((n.best_quarter, n.best_quarter_period), (Some(400.0), Some(q("2008/09 Q3"))));
        // amounts 100, 50, 400, 150, 120, 180: median (120 + 150) / 2
        assert_eq!(n.median_change, Some(135.0));
        assert_eq!(n.within_reach, Some(true));
        assert_eq!(n.reach_note, "needs 350 a quarter; 2008/09 Q3 managed 400; the median quarter 135: within reach");
        // needing more than the best quarter ever: not reached at any past rate
        let n = needed(&i, &s, q("2009/10 Q2"), Some(1200.0), 60.0);
        assert_eq!((n.needed_per_quarter, n.within_reach), (Some(450.0), Some(false)));
        assert!(n.reach_note.contains("the best quarter on record was 400 (2008/09 Q3)"), "{}", n.reach_note);
        assert!(n.reach_note.ends_with("not reached at any past rate"));
        // already there: met; the year over and short: no longer possible
        assert_eq!(needed(&i, &s, q("2009/10 Q2"), Some(250.0), 10.0).status, NeedStatus::Met);
        let n = needed(&i, &s, q("2008/09 Q4"), Some(800.0), 10.0);
        assert_eq!((n.status, n.summary.as_str()), (NeedStatus::Impossible, "no longer possible this year"));
    }

    #[test]
    fn cumulative_lower_is_better() {
        // a ceiling of 100 for the year, 70 by Q3: at most 30 in Q4; a lowest quarter of 20
        let i = ind(Polarity::Lower, Measure::Cumulative, Frequency::Quarterly, "number");
        let s = series(&[("2009/10 Q1", 20.0), ("2009/10 Q2", 45.0), ("2009/10 Q3", 70.0)]);
        let n = needed(&i, &s, q("2009/10 Q3"), Some(100.0), 5.0);
        assert_eq!((n.needed_total, n.needed_per_quarter, n.needed_for_amber), (Some(30.0), Some(30.0), Some(35.0)));
        assert_eq!(
            (n.best_quarter, n.best_quarter_period, n.within_reach),
            (Some(20.0), Some(q("2009/10 Q1")), Some(true))
        );
        assert!(n.summary.starts_with("at most 30 a quarter"), "{}", n.summary);
        // over the ceiling already: it would need a negative amount
        let n = needed(&i, &s, q("2009/10 Q3"), Some(60.0), 3.0);
        assert_eq!(n.status, NeedStatus::Impossible);
        assert!(n.reach_note.contains("already past the year's 60"), "{}", n.reach_note);
        // the year over, within the ceiling: met
        let s4 = series(&[("2009/10 Q1", 20.0), ("2009/10 Q4", 90.0)]);
        assert_eq!(needed(&i, &s4, q("2009/10 Q4"), Some(100.0), 5.0).status, NeedStatus::Met);
    }

    #[test]
    fn snapshot_and_rolling_by_polarity() {
        // higher: 60% at Q2, target 66%: +3 points a quarter; best change +2.5 (Q1): not reached
        let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
        let s = series(&[("2009/10 Q1", 58.5), ("2009/10 Q2", 60.0)]);
        let s = {
            let mut s = s;
            s.insert(q("2008/09 Q4"), series(&[("2008/09 Q4", 56.0)])[&q("2008/09 Q4")].clone());
            s
        };
        let n = needed(&i, &s, q("2009/10 Q2"), Some(66.0), 3.3);
        assert_eq!((n.needed_total, n.needed_per_quarter), (Some(66.0), Some(3.0)));
        assert!((n.needed_for_amber.unwrap() - 62.7).abs() < 1e-9);
        assert_eq!(
            (n.best_quarter, n.best_quarter_period, n.within_reach),
            (Some(2.5), Some(q("2009/10 Q1")), Some(false))
        );
        assert_eq!(n.summary, "66% by Q4 (+3 a quarter)");
        // a percentage above 100 cannot be reached
        assert_eq!(needed(&i, &s, q("2009/10 Q2"), Some(101.0), 1.0).status, NeedStatus::Impossible);
        // lower, rolling: 12 at Q3, target 10: a fall of 2 in the one quarter left; best −2.5
        let i = ind(Polarity::Lower, Measure::Rolling, Frequency::Quarterly, "rate per 1,000");
        let s = series(&[("2009/10 Q1", 16.0), ("2009/10 Q2", 13.5), ("2009/10 Q3", 12.0)]);
        let n = needed(&i, &s, q("2009/10 Q3"), Some(10.0), 0.5);
        assert_eq!((n.needed_total, n.needed_per_quarter, n.needed_for_amber), (Some(10.0), Some(-2.0), Some(10.5)));
        assert_eq!((n.best_quarter, n.within_reach), (Some(-2.5), Some(true)));
        assert!(n.reach_note.starts_with("needs a fall of 2 a quarter; 2009/10 Q2 managed -2.5"), "{}", n.reach_note);
        // already below the target: met, hold it
        assert_eq!(needed(&i, &s, q("2009/10 Q3"), Some(12.5), 0.5).status, NeedStatus::Met);
    }

    #[test]
    fn snapshot_lower_and_rolling_higher() {
        // snapshot, lower: 9.4 at Q1, target 8.5: a fall of 0.3 a quarter over three; the best
        // fall on record 0.4 (2008/09 Q4 from Q3): within reach; amber edge 8.5 + 0.425
        let i = ind(Polarity::Lower, Measure::Snapshot, Frequency::Quarterly, "rate per 1,000");
        let s = series(&[("2008/09 Q3", 10.0), ("2008/09 Q4", 9.6), ("2009/10 Q1", 9.4)]);
        let n = needed(&i, &s, q("2009/10 Q1"), Some(8.5), 0.425);
        assert_eq!((n.needed_total, n.needed_for_amber, n.quarters_left), (Some(8.5), Some(8.925), Some(3)));
        assert!((n.needed_per_quarter.unwrap() + 0.3).abs() < 1e-9);
        assert!((n.best_quarter.unwrap() + 0.4).abs() < 1e-9);
        assert_eq!((n.best_quarter_period, n.within_reach), (Some(q("2008/09 Q4")), Some(true)));
        // rolling, higher: 1,834 at Q2, target 1,900: +33 a quarter; best rise 20: not reached
        let i = ind(Polarity::Higher, Measure::Rolling, Frequency::Quarterly, "number");
        let s = series(&[("2009/10 Q1", 1814.0), ("2009/10 Q2", 1834.0)]);
        let n = needed(&i, &s, q("2009/10 Q2"), Some(1900.0), 95.0);
        assert_eq!(
            (n.needed_total, n.needed_per_quarter, n.needed_for_amber),
            (Some(1900.0), Some(33.0), Some(1805.0))
        );
        assert_eq!((n.best_quarter, n.within_reach), (Some(20.0), Some(false)));
        assert_eq!(n.summary, "rolling value 1,900 by Q4 (+33 a quarter)");
    }

    #[test]
    fn annual_lower_is_better() {
        // results 5.6 then 5.3; the next must be 5.0: a fall of 0.3, as the last one: within reach
        let i = ind(Polarity::Lower, Measure::Snapshot, Frequency::Academic, "%");
        let s = series(&[("AY 2007/08", 5.6), ("AY 2008/09", 5.3)]);
        let n = needed(&i, &s, q("2009/10 Q2"), Some(5.0), 0.25);
        assert_eq!((n.status, n.needed_total, n.needed_for_amber), (NeedStatus::Needed, Some(5.0), Some(5.25)));
        assert!((n.best_quarter.unwrap() + 0.3).abs() < 1e-9);
        assert_eq!((n.best_quarter_period, n.within_reach), (Some(q("AY 2008/09")), Some(true)));
        assert_eq!(needed(&i, &s, q("2009/10 Q2"), Some(4.5), 0.2).within_reach, Some(false));
    }

    #[test]
    fn annual_results_need_their_next_result() {
        let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Annual, "%");
        let s = series(&[("2007/08", 70.0), ("2008/09", 73.0)]);
        let n = needed(&i, &s, q("2009/10 Q2"), Some(75.0), 3.75);
        assert_eq!((n.status, n.needed_total, n.needed_per_quarter), (NeedStatus::Needed, Some(75.0), None));
        assert_eq!((n.best_quarter, n.within_reach), (Some(3.0), Some(true)));
        assert_eq!(n.summary, "next result 75%");
        assert_eq!(needed(&i, &s, q("2009/10 Q2"), Some(72.0), 1.0).status, NeedStatus::Met);
        let n = needed(&i, &s, q("2009/10 Q2"), Some(80.0), 4.0);
        assert_eq!(n.within_reach, Some(false), "7 points where the best change was 3");
    }

    #[test]
    fn edges_say_why_there_is_no_figure() {
        let i = ind(Polarity::Higher, Measure::Cumulative, Frequency::Quarterly, "number");
        let empty = series(&[("2008/09 Q4", 5.0)]);
        let n = needed(&i, &empty, q("2009/10 Q1"), Some(10.0), 1.0);
        assert_eq!((n.status, n.needed_total, n.within_reach), (NeedStatus::NoData, None, None));
        assert_eq!(needed(&i, &empty, q("2008/09 Q4"), None, 0.0).status, NeedStatus::NoTarget);
        let none = ind(Polarity::None, Measure::Snapshot, Frequency::Quarterly, "number");
        assert_eq!(needed(&none, &empty, q("2008/09 Q4"), Some(3.0), 0.0).status, NeedStatus::NoPolarity);
    }
}
