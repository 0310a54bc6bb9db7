//! Time series per indicator and area from the store's current values, with county values
//! derived from district numerators and denominators (never by averaging rates).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::domain::catalogue::Catalogue;
use crate::domain::periods::Period;
use crate::domain::workspace::Workspace;
use crate::ingest::sheet::Loc;
use crate::store::{Key, Record};

/// One value and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub value: f64,
    /// The return cells behind the value (one, or every district's for a derived county value).
    pub sources: Vec<Loc>,
    /// How the value was made when it is not a cell's own value.
    pub derivation: Option<String>,
    pub commentary: Option<String>,
    pub action: Option<String>,
}

/// Every indicator × area series.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub points: BTreeMap<(String, String), BTreeMap<Period, Point>>,
    /// Disagreements between a given county value and the one derived from districts, and
    /// county values that could not be derived.
    pub warnings: Vec<String>,
}

impl Series {
    pub fn get(&self, indicator: &str, area: &str) -> Option<&BTreeMap<Period, Point>> {
        self.points.get(&(indicator.to_string(), area.to_string()))
    }

    /// Build from the store's current values.
    pub fn build(ws: &Workspace, cat: &Catalogue, current: &BTreeMap<Key, Record>) -> Series {
        let mut s = Series::default();
        for r in current.values() {
            let o = &r.obs;
            s.points.entry((o.indicator.clone(), o.area.clone())).or_default().insert(
                o.period,
                Point {
                    value: o.value,
                    sources: vec![o.loc.clone()],
                    derivation: None,
                    commentary: o.commentary.clone(),
                    action: o.action.clone(),
                },
            );
        }
        s.derive_county(ws, cat, current);
        s
    }

    fn derive_county(&mut self, ws: &Workspace, cat: &Catalogue, current: &BTreeMap<Key, Record>) {
        let county = ws.county().code.clone();
        let districts: Vec<&str> = ws.settings.areas.iter().filter(|a| !a.county).map(|a| a.code.as_str()).collect();
        let keys: BTreeSet<(String, Period)> =
            current.keys().filter(|(_, a, _)| *a != county).map(|(i, _, p)| (i.clone(), *p)).collect();
        // indicator → periods where districts gave rates alone (one warning per indicator)
        let mut rates_only: BTreeMap<String, Vec<Period>> = BTreeMap::new();
        for (ind, period) in keys {
            let recs: Vec<&Record> =
                districts.iter().filter_map(|d| current.get(&(ind.clone(), d.to_string(), period))).collect();
            let Some(info) = cat.get(&ind) else { continue };
            let with_ratio = recs.iter().all(|r| r.obs.numerator.is_some() && r.obs.denominator.is_some());
            let is_count =
                crate::ingest::sheet::norm(&info.unit).starts_with("number") || info.unit.is_empty() && !with_ratio;
            let derived = if recs.len() < districts.len() {
                None
            } else if with_ratio {
                let n: f64 = recs.iter().filter_map(|r| r.obs.numerator).sum();
                let d: f64 = recs.iter().filter_map(|r| r.obs.denominator).sum();
                (d != 0.0).then(|| {
                    (
                        n / d * info.unit_scale(),
                        format!("sum of {} district numerators ÷ sum of denominators", recs.len()),
                    )
                })
            } else if is_count {
                Some((recs.iter().map(|r| r.obs.value).sum(), format!("sum of {} district values", recs.len())))
            } else {
                None
            };
            let given = current.get(&(ind.clone(), county.clone(), period));
            match (derived, given) {
                (Some((v, how)), None) => {
                    let sources = recs.iter().map(|r| r.obs.loc.clone()).collect();
                    let commentary = recs.iter().find_map(|r| r.obs.commentary.clone());
                    let action = recs.iter().find_map(|r| r.obs.action.clone());
                    let point = Point { value: v, sources, derivation: Some(how), commentary, action };
                    self.points.entry((ind.clone(), county.clone())).or_default().insert(period, point);
                }
                (Some((v, how)), Some(g)) if !close(v, g.obs.value) => self.warnings.push(format!(
                    "{ind} {period}: the county value given ({}, {}) differs from the {how} ({}); the given value is used",
                    g.obs.value,
                    g.obs.loc,
                    round4(v)
                )),
                                (None, None) if recs.len() < districts.len() && (with_ratio || is_count) => self.warnings.push(format!(
                    "{ind} {period}: {} of {} districts reported, so no county value can be derived",
                    recs.len(),
                    districts.len()
                )),
                                (None, None) if !recs.is_empty() && !with_ratio && !is_count => {
                    rates_only.entry(ind.clone()).or_default().push(period);
                }
                _ => {}
            }
        }
        for (ind, periods) in rates_only {
            let (first, last) = (periods[0], periods[periods.len() - 1]);
            let when = if periods.len() == 1 {
                first.to_string()
            } else {
                format!("{} periods, {first} to {last}", periods.len())
            };
            self.warnings.push(format!(
                "{ind}: the districts gave rates without numerators and denominators ({when}), so no county value can be derived (rates are never averaged)"
            ));
        }
    }
}

/// Equal within rounding: half a unit of the given value's last decimal place, or 0.05%.
fn close(derived: f64, given: f64) -> bool {
    let diff = (derived - given).abs();
    let decimals = {
        let s = format!("{given}");
        s.split('.').nth(1).map_or(0, str::len) as i32
    };
    diff <= 0.5 * 10f64.powi(-decimals) + 1e-9 || diff <= given.abs() * 0.0005
}

fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_tolerance() {
        assert!(close(12.34, 12.3));
        assert!(close(12.349, 12.3));
        assert!(!close(12.36, 12.3));
        assert!(close(1000.4, 1000.0));
        assert!(!close(1002.0, 1000.0));
    }
}
