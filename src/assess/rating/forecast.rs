//! Year-end forecasts by measure type (the trend of recent quarters, a year to date scaled up,
//! the latest value carried forward), direction of travel, and the probability of meeting the
//! year's target from the spread of recent changes.

use super::*;

/// A year-end forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub value: f64,
    /// The period of the value it rests on.
    pub value_period: Period,
    /// The year whose target it is compared with.
    pub target_year: i32,
    pub due: bool,
    pub note: String,
}

/// Forecast the year-end outturn of the financial year containing `period`.
pub fn forecast(ind: &Indicator, s: &RatingSettings, series: &Points, period: Period) -> Option<Forecast> {
    let year = period.year();
    if ind.frequency != Frequency::Quarterly {
        // annual, survey and academic-year results: the last result, against this year's target
        let (p, pt) = series
            .iter()
            .filter(|(p, _)| !matches!(p, Period::Quarter { .. }) && p.year() <= year)
            .max_by_key(|(p, _)| p.year())?;
        let due = p.year() == year;
        return Some(Forecast { value: pt.value, value_period: *p, target_year: year, due, note: String::new() });
    }
    let (p, pt) = series.range(Period::quarter(year, 1)..=period).next_back()?;
    let Period::Quarter { q, .. } = *p else {
        return None;
    };
    let stale = if *p == period { String::new() } else { format!("latest value is for {p}") };
    let join = |a: String, b: String| {
        if a.is_empty() {
            b
        } else if b.is_empty() {
            a
        } else {
            format!("{a}; {b}")
        }
    };
    let (value, how) = match ind.measure_type {
        Measure::Cumulative => cumulative_forecast(s, series, *p, pt.value, q),
        Measure::Rolling => (pt.value, String::new()),
        Measure::Snapshot if s.forecast == ForecastMethod::Trend => match trend(series, *p, s.trend_quarters) {
            Some(fit) if q < 4 => (fit.at(year_end_x(*p)), format!("trend of the last {} quarters", fit.n)),
            _ => (pt.value, String::new()),
        },
        Measure::Snapshot => (pt.value, String::new()),
    };
    Some(Forecast { value, value_period: *p, target_year: year, due: true, note: join(stale, how) })
}

pub(super) fn cumulative_forecast(s: &RatingSettings, series: &Points, p: Period, ytd: f64, q: u8) -> (f64, String) {
    if s.cumulative_forecast == CumulativeForecast::Seasonal {
        let last = p.year_earlier();
        let share = series.get(&last).zip(series.get(&Period::quarter(last.year(), 4))).map(|(a, b)| a.value / b.value);
        if let Some(share) = share.filter(|x| x.is_finite() && *x > 0.0) {
            return (ytd / share, format!("scaled by last year's profile ({:.0}% by Q{q})", share * 100.0));
        }
    }
    let share = f64::from(q) / 4.0;
    if q == 4 { (ytd, String::new()) } else { (ytd / share, format!("year to date scaled by {q}/4")) }
}

/// A least-squares line through quarterly values (x = quarter index).
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub n: usize,
    pub slope: f64,
    pub intercept: f64,
    pub x_mean: f64,
    pub sxx: f64,
    /// Residual standard deviation (n − 2 degrees of freedom).
    pub sd: f64,
}

impl Fit {
    pub fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }

    /// Standard error of a new observation predicted at x.
    pub fn prediction_se(&self, x: f64) -> f64 {
        self.sd * (1.0 + 1.0 / self.n as f64 + (x - self.x_mean).powi(2) / self.sxx).sqrt()
    }
}

pub(super) fn qindex(p: Period) -> f64 {
    match p {
        Period::Quarter { year, q } => f64::from(year * 4 + i32::from(q)),
        other => f64::from(other.year() * 4 + 4),
    }
}

/// The x of the year's last quarter.
pub(super) fn year_end_x(p: Period) -> f64 {
    f64::from(p.year() * 4 + 4)
}

/// Fit a line through up to `n` consecutive-or-not quarterly values up to and including `upto`.
pub fn trend(series: &Points, upto: Period, n: usize) -> Option<Fit> {
    let pts: Vec<(f64, f64)> = series
        .range(..=upto)
        .rev()
        .filter(|(p, _)| matches!(p, Period::Quarter { .. }))
        .take(n.max(2))
        .map(|(p, pt)| (qindex(*p), pt.value))
        .collect();
    fit_line(&pts)
}

/// Ordinary least squares.
pub fn fit_line(pts: &[(f64, f64)]) -> Option<Fit> {
    let n = pts.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let x_mean = pts.iter().map(|p| p.0).sum::<f64>() / nf;
    let y_mean = pts.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = pts.iter().map(|p| (p.0 - x_mean).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = pts.iter().map(|p| (p.0 - x_mean) * (p.1 - y_mean)).sum();
    let slope = sxy / sxx;
    let intercept = y_mean - slope * x_mean;
    let sse: f64 = pts.iter().map(|p| (p.1 - intercept - slope * p.0).powi(2)).sum();
    let sd = if n > 2 { (sse / (nf - 2.0)).sqrt() } else { 0.0 };
    Some(Fit { n, slope, intercept, x_mean, sxx, sd })
}

pub(super) fn direction(
    ind: &Indicator,
    series: &Points,
    at: Option<Period>,
    earlier: impl Fn(Period) -> Period,
    s: &RatingSettings,
) -> Option<Direction> {
    let at = at?;
    let before = earlier(at);
    if before == at {
        return None;
    }
    let (now, then) = (series.get(&at)?.value, series.get(&before)?.value);
    let change = now - then;
    let rel = if then != 0.0 { change.abs() / then.abs() } else { change.abs() };
    if rel < s.no_change_threshold {
        return Some(Direction::NoChange);
    }
    match ind.polarity {
        Polarity::Higher => Some(if change > 0.0 { Direction::Improving } else { Direction::Worsening }),
        Polarity::Lower => Some(if change < 0.0 { Direction::Improving } else { Direction::Worsening }),
        Polarity::None => None,
    }
}

/// Probability that the year-end outturn meets the target, from a normal approximation:
/// snapshot and rolling measures around the least-squares trend's year-end value with its
/// prediction error; cumulative measures around the forecast with the spread of quarterly
/// increments over the quarters still to come.
pub(super) fn probability(
    ind: &Indicator,
    series: &Points,
    period: Period,
    f: &Forecast,
    target: f64,
    s: &RatingSettings,
) -> (Option<f64>, String, Option<f64>) {
    if ind.polarity == Polarity::None {
        return (None, "no polarity".into(), None);
    }
    if !matches!(f.value_period, Period::Quarter { .. }) {
        return (None, "annual result: no quarterly trend".into(), None);
    }
    let Period::Quarter { q, .. } = f.value_period else { unreachable!() };
    let need = 4;
    let (mean, sd, n) = match ind.measure_type {
        Measure::Cumulative => {
            let inc = increments(series, f.value_period, 8);
            if inc.len() < need {
                return (None, format!("too few quarters ({}) for a probability; {need} are needed", inc.len()), None);
            }
            let m = inc.iter().sum::<f64>() / inc.len() as f64;
            let var = inc.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (inc.len() as f64 - 1.0);
            (f.value, var.sqrt() * f64::from(4 - q).sqrt(), inc.len())
        }
        _ => {
            let Some(fit) = trend(series, f.value_period, s.trend_quarters.max(need)) else {
                return (None, "too few quarters for a probability".into(), None);
            };
            if fit.n < need {
                return (None, format!("too few quarters ({}) for a probability; {need} are needed", fit.n), None);
            }
            let x = year_end_x(period);
            (fit.at(x), fit.prediction_se(x), fit.n)
        }
    };
    let margin = match ind.polarity {
        Polarity::Higher => mean - target,
        _ => target - mean,
    };
    let p = if sd <= 1e-12 { if margin >= 0.0 { 1.0 } else { 0.0 } } else { normal_cdf(margin / sd) };
    (Some(p), format!("normal approximation from {n} quarters"), Some(sd))
}

/// Quarterly increments of a year-to-date series (Q1's increment is Q1's value).
pub(super) fn increments(series: &Points, upto: Period, n: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for (p, pt) in series.range(..=upto).rev().filter(|(p, _)| matches!(p, Period::Quarter { .. })) {
        let prev = match p {
            Period::Quarter { q: 1, .. } => Some(0.0),
            _ => p.previous_quarter().and_then(|pp| series.get(&pp)).map(|x| x.value),
        };
        if let Some(prev) = prev {
            out.push(pt.value - prev);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

/// The standard normal distribution function (Abramowitz and Stegun 7.1.26; error < 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.3275911 * x);
    let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 { 0.5 * (1.0 + erf) } else { 0.5 * (1.0 - erf) }
}
