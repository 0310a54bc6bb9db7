//! Time series per indicator and area from the store's current values, with county values
//! derived from district numerators and denominators (never by averaging rates).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::domain::catalogue::{Aggregation, Catalogue};
use crate::domain::periods::Period;
use crate::domain::workspace::Workspace;
use crate::ingest::sheet::Loc;
use crate::store::values::{Dicts, NONE, Src, Values};

/// One value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub value: f64,
    /// The return cells behind the value (one, or every district's for a derived county value),
    /// as ids into the series' dictionaries.
    pub sources: Vec<Src>,
    /// How the value was made when it is not a cell's own value.
    pub derivation: Option<String>,
    /// Commentary and remedial action: text ids ([`NONE`] when there is none).
    pub commentary: u32,
    pub action: u32,
    /// The partner's own rating and data-quality flag: text ids ([`NONE`] when not given).
    pub self_rating: u32,
    pub quality: u32,
}

/// Every indicator × area series.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub points: BTreeMap<(String, String), BTreeMap<Period, Point>>,
    /// Disagreements between a given county value and the one derived from districts, and
    /// county values that could not be derived.
    pub warnings: Vec<String>,
    /// What the points' ids refer to.
    pub dicts: Arc<Dicts>,
}

impl Series {
    pub fn get(&self, indicator: &str, area: &str) -> Option<&BTreeMap<Period, Point>> {
        self.points.get(&(indicator.to_string(), area.to_string()))
    }

    /// A point's sources as people read them.
    pub fn locs(&self, p: &Point) -> Vec<Loc> {
        p.sources.iter().map(|s| self.dicts.loc(*s)).collect()
    }

    /// A text id's text.
    pub fn text(&self, id: u32) -> Option<String> {
        self.dicts.texts.opt(id).map(String::from)
    }

    /// Build from the store's current values: one contiguous run of rows per indicator × area.
    pub fn build(ws: &Workspace, cat: &Catalogue, v: &Values) -> Series {
        let mut s = Series { dicts: v.dicts.clone(), ..Series::default() };
        for run in v.runs() {
            let (ind, area) = (v.dicts.indicators.get(v.indicator[run.start]), v.dicts.areas.get(v.area[run.start]));
            let points = run
                .map(|r| {
                    let point = Point {
                        value: v.value[r],
                        sources: vec![v.src[r]],
                        derivation: None,
                        commentary: v.commentary[r],
                        action: v.action[r],
                        self_rating: v.self_rating[r],
                        quality: v.quality[r],
                    };
                    (v.period[r], point)
                })
                .collect();
            s.points.insert((ind.to_string(), area.to_string()), points);
        }
        s.derive_county(ws, cat, v);
        s
    }

    fn derive_county(&mut self, ws: &Workspace, cat: &Catalogue, v: &Values) {
        let county = ws.county().code.clone();
        let county_id = v.dicts.areas.find(&county);
        let districts: Vec<&str> = ws.settings.areas.iter().filter(|a| !a.county).map(|a| a.code.as_str()).collect();
        // area id → position among the districts
        let mut district_of = vec![usize::MAX; v.dicts.areas.len()];
        for (i, d) in districts.iter().enumerate() {
            if let Some(id) = v.dicts.areas.find(d) {
                district_of[id as usize] = i;
            }
        }
        // indicator → (why no county value, periods) where districts gave values that cannot be
        // summed (one warning per indicator)
        let mut underivable: BTreeMap<String, (String, Vec<Period>)> = BTreeMap::new();
        let mut start = 0;
        while start < v.len() {
            let ind_id = v.indicator[start];
            let mut end = start;
            while end < v.len() && v.indicator[end] == ind_id {
                end += 1;
            }
            let ind = v.dicts.indicators.get(ind_id).to_string();
            // period → (district rows in the workspace's order, the given county row, whether
            // any area but the county has a value)
            type Rows = (Vec<(usize, usize)>, Option<usize>, bool);
            let mut by_period: BTreeMap<Period, Rows> = BTreeMap::new();
            for r in start..end {
                let e = by_period.entry(v.period[r]).or_default();
                if Some(v.area[r]) == county_id {
                    e.1 = Some(r);
                    continue;
                }
                e.2 = true;
                if district_of[v.area[r] as usize] != usize::MAX {
                    e.0.push((district_of[v.area[r] as usize], r));
                }
            }
            start = end;
            let Some(info) = cat.get(&ind) else { continue };
            let aggregation = info.aggregation();
            for (period, (mut recs, given, other)) in by_period {
                if !other {
                    continue;
                }
                recs.sort_unstable();
                let recs: Vec<usize> = recs.into_iter().map(|x| x.1).collect();
                let is_count = aggregation == Aggregation::Sum;
                // numerators and denominators make a ratio of anything but a count or a score
                let with_ratio = !is_count
                    && aggregation != Aggregation::None
                    && recs.iter().all(|&r| v.numerator[r].is_some() && v.denominator[r].is_some());
                let derived = if recs.len() < districts.len() {
                    None
                } else if with_ratio {
                    let n: f64 = recs.iter().filter_map(|&r| v.numerator[r]).sum();
                    let d: f64 = recs.iter().filter_map(|&r| v.denominator[r]).sum();
                    (d != 0.0).then(|| {
                        (
                            n / d * info.unit_scale(),
                            format!("sum of {} district numerators ÷ sum of denominators", recs.len()),
                        )
                    })
                } else if is_count {
                    Some((recs.iter().map(|&r| v.value[r]).sum(), format!("sum of {} district values", recs.len())))
                } else {
                    None
                };
                match (derived, given) {
                    (Some((value, how)), None) => {
                        let first = |col: &[u32]| recs.iter().map(|&r| col[r]).find(|&t| t != NONE).unwrap_or(NONE);
                        let point = Point {
                            value,
                            sources: recs.iter().map(|&r| v.src[r]).collect(),
                            derivation: Some(how),
                            commentary: first(&v.commentary),
                            action: first(&v.action),
                            // a county value made from districts is laa's, not a partner's
                            self_rating: NONE,
                            quality: NONE,
                        };
                        self.points.entry((ind.clone(), county.clone())).or_default().insert(period, point);
                    }
                    (Some((d, how)), Some(g)) if !close(d, v.value[g]) => self.warnings.push(format!(
                        "{ind} {period}: the county value given ({}, {}) differs from the {how} ({}); the given value is used",
                        v.value[g],
                        v.dicts.loc(v.src[g]),
                        round4(d)
                    )),
                    (None, None) if recs.len() < districts.len() && (with_ratio || is_count) => {
                        self.warnings.push(format!(
                            "{ind} {period}: {} of {} districts reported, so no county value can be derived",
                            recs.len(),
                            districts.len()
                        ))
                    }
                    (None, None) if !recs.is_empty() && !with_ratio && !is_count => {
                        let why = match aggregation {
                            Aggregation::None => format!(
                                "its unit ({}) is a score, index, median or gap that cannot be made from district values; the county's own value is needed",
                                info.unit
                            ),
                            Aggregation::Unknown => format!(
                                "its unit is not known ({}), so district values are not summed; set the unit in the agreement's Unit column (a count is summed, a rate needs numerators and denominators)",
                                if info.unit.is_empty() { "none given".to_string() } else { format!("{:?}", info.unit) }
                            ),
                            _ => "the districts gave rates without numerators and denominators, and rates are never summed or averaged".to_string(),
                        };
                        underivable.entry(ind.clone()).or_insert_with(|| (why, Vec::new())).1.push(period);
                    }
                    _ => {}
                }
            }
        }
        for (ind, (why, periods)) in underivable {
            let (first, last) = (periods[0], periods[periods.len() - 1]);
            let when = if periods.len() == 1 {
                first.to_string()
            } else {
                format!("{} periods, {first} to {last}", periods.len())
            };
            self.warnings.push(format!("{ind}: no county value can be derived ({when}): {why}"));
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
