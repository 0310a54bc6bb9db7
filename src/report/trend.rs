//! An indicator's trend chart specification: quarterly actuals, the target trajectory from the
//! baseline through the annual targets, its tolerance band, and the forecast with its interval.

use crate::assess::benchmark::{self, Comparators};
use crate::assess::rating::Rating;
use crate::assess::series::Series;
use crate::domain::authorities::Authorities;
use crate::domain::catalogue::{Frequency, Indicator, Measure, Polarity};
use crate::domain::periods::Period;
use crate::report::chart::TrendSpec;
use crate::workspace::agreement::Target;
use crate::workspace::{ToleranceKind, Workspace};

/// x of a period: year × 4 + quarter; a whole year sits at its last quarter.
pub fn x_of(p: Period) -> f64 {
    match p {
        Period::Quarter { year, q } => f64::from(year * 4 + i32::from(q)),
        other => f64::from(other.year() * 4 + 4),
    }
}

type Line = Vec<(f64, f64)>;
type Band = Vec<(f64, f64, f64)>;

pub fn spec(
    ws: &Workspace,
    ind: &Indicator,
    t: &Target,
    r: &Rating,
    series: &Series,
    others: Option<&Comparators>,
) -> TrendSpec {
    let year = r.period.year();
    let first_year = ws.settings.agreement.first_year.year();
    let empty = Default::default();
    let values = series.get(&t.code, &r.area).unwrap_or(&empty);
    let cumulative = ind.measure_type == Measure::Cumulative && ind.frequency == Frequency::Quarterly;
    let actual = actual_segments(values, year, cumulative);
    let (trajectory, band) = target_lines(ws, ind, t, year, cumulative);
    let forecast = r.forecast.filter(|_| r.due).map(|f| {
        let iv = r.forecast_sd.map(|sd| (f - 1.2816 * sd, f + 1.2816 * sd));
        (f64::from(year * 4 + 4), f, iv)
    });
    let xs = actual.iter().flatten().map(|p| p.0).chain(trajectory.iter().flatten().map(|p| p.0));
    let lo = xs.clone().fold(f64::from(first_year * 4 + 1), f64::min);
    // the path to green: from the latest value to what the year's last return must show
    let required = match (r.needed.status, r.value_period, r.actual) {
        (crate::assess::needed::NeedStatus::Needed, Some(vp @ Period::Quarter { .. }), Some(v)) => {
            r.needed.needed_total.map(|total| {
                let end = if cumulative { v + total } else { total };
                [(x_of(vp), v), (f64::from(year * 4 + 4), end)]
            })
        }
        _ => None,
    };
    let (mut others_band, mut others_median, others_median_label) = others_lines(ws, r, others, cumulative);
    // comparator years before the chart's first quarter are left off (never drawn in the margin)
    for seg in &mut others_band {
        seg.retain(|p| p.0 >= lo);
    }
    for seg in &mut others_median {
        seg.retain(|p| p.0 >= lo);
    }
    others_band.retain(|s| !s.is_empty());
    others_median.retain(|s| !s.is_empty());
    TrendSpec {
        others_band,
        others_median,
        others_median_label,
        required,
        title: format!("{} {}", r.indicator, short(&r.title, 60)),
        unit: ind.unit.clone(),
        actual,
        trajectory,
        band,
        forecast,
        rating: r.rating,
        x_range: (lo, f64::from(year * 4 + 4)),
    }
}

/// The actual values up to the year rated, as line segments: a year-to-date series restarts
/// each April, one segment per year.
fn actual_segments(values: &crate::assess::series::Points, year: i32, cumulative: bool) -> Vec<Line> {
    let mut actual: Vec<Line> = Vec::new();
    for (p, pt) in values.iter().filter(|(p, _)| p.year() <= year) {
        let new_segment = cumulative
            && actual.last().and_then(|s| s.last()).is_some_and(|(x, _)| (*x as i32 - 1).div_euclid(4) != p.year());
        if actual.is_empty() || new_segment {
            actual.push(Vec::new());
        }
        actual.last_mut().expect("pushed").push((x_of(*p), pt.value));
    }
    actual
}

/// The target trajectory and its tolerance band from the agreement's first year to the year
/// rated (a year-to-date target builds up through each year).
fn target_lines(ws: &Workspace, ind: &Indicator, t: &Target, year: i32, cumulative: bool) -> (Vec<Line>, Vec<Band>) {
    let first_year = ws.settings.agreement.first_year.year();
    let tol = |target: f64| match ws.settings.rating.tolerance_kind {
        ToleranceKind::Relative => t.tolerance.unwrap_or(ws.settings.rating.tolerance) * target.abs(),
        ToleranceKind::Absolute => t.tolerance.unwrap_or(ws.settings.rating.tolerance),
    };
    let band_at = |x: f64, target: f64| match ind.polarity {
        Polarity::Higher => (x, target - tol(target), target),
        Polarity::Lower => (x, target, target + tol(target)),
        Polarity::None => (x, target - tol(target), target + tol(target)),
    };
    let years: Vec<i32> = (first_year..=year).collect();
    if cumulative {
        // a year-to-date target builds up through each year
        years
            .iter()
            .filter_map(|y| t.target_for(*y).map(|tg| (*y, tg)))
            .map(|(y, tg)| {
                let pts: Vec<(f64, f64)> = (1..=4).map(|q| (f64::from(y * 4 + q), tg * f64::from(q) / 4.0)).collect();
                let band = pts.iter().map(|(x, v)| band_at(*x, *v)).collect();
                (pts, band)
            })
            .unzip()
    } else {
        let mut pts = Vec::new();
        if let Some(b) = t.baseline {
            pts.push((f64::from(first_year * 4), b));
        }
        pts.extend(years.iter().filter_map(|y| t.target_for(*y).map(|tg| (f64::from(y * 4 + 4), tg))));
        let band = pts.iter().filter(|(x, _)| *x > f64::from(first_year * 4)).map(|(x, v)| band_at(*x, *v)).collect();
        (vec![pts], vec![band])
    }
}

/// Other authorities of the area's tier up to the year rated: the middle half as a band, and the
/// comparator group's median (England's without a group), split by year for year-to-date
/// measures as the actuals are.
#[allow(clippy::type_complexity)]
fn others_lines(
    ws: &Workspace,
    r: &Rating,
    others: Option<&Comparators>,
    cumulative: bool,
) -> (Vec<Vec<(f64, f64, f64)>>, Vec<Vec<(f64, f64)>>, String) {
    let none = (Vec::new(), Vec::new(), String::new());
    let Some(c) = others else { return none };
    let reg = Authorities::shipped();
    let Some(us) = ws.ons_code(&r.area) else { return none };
    let Some(tier) = reg.tier_of(&us).filter(|t| t.is_authority()) else { return none };
    let group = benchmark::chosen_group(ws);
    let bands: Vec<_> = c
        .bands(&r.indicator, tier, &us, group.map(|g| g.1))
        .into_iter()
        .filter(|b| b.period.end_date() <= r.period.end_date().max(Period::Year { year: r.period.year() }.end_date()))
        .collect();
    if bands.is_empty() {
        return none;
    }
    let mut band: Vec<Vec<(f64, f64, f64)>> = Vec::new();
    let mut median: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut last_year = None;
    for b in &bands {
        let new = last_year.is_none() || (cumulative && last_year != Some(b.period.year()));
        if new {
            band.push(Vec::new());
            median.push(Vec::new());
        }
        last_year = Some(b.period.year());
        let x = x_of(b.period);
        band.last_mut().expect("pushed").push((x, b.lower_quartile, b.upper_quartile));
        let m = if group.is_some() { b.group_median } else { Some(b.median) };
        if let Some(m) = m {
            median.last_mut().expect("pushed").push((x, m));
        }
    }
    median.retain(|s| !s.is_empty());
    let label = match group {
        Some((name, _)) => format!("{} median", name.replace('_', " ")),
        None => "England median".to_string(),
    };
    (band, median, label)
}

fn short(s: &str, n: usize) -> String {
    crate::domain::text::shorten(s, n)
}
