//! Time series per indicator and area from the store's current values, with county values
//! derived from district numerators and denominators (never by averaging rates).

use std::collections::BTreeMap;
use std::ops::{Bound, Index, RangeBounds};
use std::sync::Arc;

use rayon::prelude::*;

use crate::domain::catalogue::{Aggregation, Catalogue, Indicator};
use crate::domain::periods::Period;
use crate::sheet::Loc;
use crate::store::values::{Dicts, NONE, Src, Values};
use crate::workspace::Workspace;

/// One value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub value: f64,
    /// The return cell behind the value (for a derived county value, the first district's).
    pub src: Src,
    /// How a county value was made from district values, and every district cell behind it.
    pub derived: Option<Box<Derived>>,
    /// Commentary and remedial action: text ids ([`NONE`] when there is none).
    pub commentary: u32,
    pub action: u32,
    /// The partner's own rating and data-quality flag: text ids ([`NONE`] when not given).
    pub self_rating: u32,
    pub quality: u32,
}

/// A value laa made from others (a county total or ratio from its districts).
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub sources: Vec<Src>,
    pub how: String,
}

impl Point {
    /// A cell's own value.
    pub fn cell(value: f64, src: Src) -> Point {
        Point { value, src, derived: None, commentary: NONE, action: NONE, self_rating: NONE, quality: NONE }
    }

    /// The return cells behind the value: one, or every district's for a derived county value.
    pub fn sources(&self) -> &[Src] {
        match &self.derived {
            Some(d) => &d.sources,
            None => std::slice::from_ref(&self.src),
        }
    }

    /// How the value was made when it is not a cell's own value.
    pub fn derivation(&self) -> Option<&str> {
        self.derived.as_ref().map(|d| d.how.as_str())
    }
}

/// One series' points in time order: a short sorted vector (a dozen quarters and a few years),
/// looked up by binary search. Reads like a `BTreeMap<Period, Point>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Points(Vec<(Period, Point)>);

/// Points in time order, as `(period, point)` pairs.
pub type Iter<'a> = std::iter::Map<std::slice::Iter<'a, (Period, Point)>, fn(&(Period, Point)) -> (&Period, &Point)>;

impl Points {
    fn find(&self, p: &Period) -> Result<usize, usize> {
        self.0.binary_search_by(|x| x.0.cmp(p))
    }

    pub fn get(&self, p: &Period) -> Option<&Point> {
        self.find(p).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, p: &Period) -> bool {
        self.find(p).is_ok()
    }

    /// Add or replace the point of a period.
    pub fn insert(&mut self, p: Period, point: Point) {
        match self.find(&p) {
            Ok(i) => self.0[i].1 = point,
            Err(i) => self.0.insert(i, (p, point)),
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> Iter<'_> {
        self.0.iter().map(|(p, x)| (p, x))
    }

    /// The points whose periods are in `r`, in time order.
    pub fn range(&self, r: impl RangeBounds<Period>) -> Iter<'_> {
        let start = match r.start_bound() {
            Bound::Included(p) => self.0.partition_point(|x| x.0 < *p),
            Bound::Excluded(p) => self.0.partition_point(|x| x.0 <= *p),
            Bound::Unbounded => 0,
        };
        let end = match r.end_bound() {
            Bound::Included(p) => self.0.partition_point(|x| x.0 <= *p),
            Bound::Excluded(p) => self.0.partition_point(|x| x.0 < *p),
            Bound::Unbounded => self.0.len(),
        };
        self.0[start..end.max(start)].iter().map(|(p, x)| (p, x))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Period> {
        self.0.iter().map(|x| &x.0)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Point> {
        self.0.iter().map(|x| &x.1)
    }

    pub fn first_key_value(&self) -> Option<(&Period, &Point)> {
        self.0.first().map(|(p, x)| (p, x))
    }

    pub fn last_key_value(&self) -> Option<(&Period, &Point)> {
        self.0.last().map(|(p, x)| (p, x))
    }
}

impl Index<&Period> for Points {
    type Output = Point;

    fn index(&self, p: &Period) -> &Point {
        self.get(p).expect("a period of the series")
    }
}

impl FromIterator<(Period, Point)> for Points {
    /// In time order; of two points for one period, the later one (as a map's insert).
    fn from_iter<I: IntoIterator<Item = (Period, Point)>>(iter: I) -> Points {
        let mut v: Vec<(Period, Point)> = iter.into_iter().collect();
        if !v.is_sorted_by(|a, b| a.0 < b.0) {
            v.reverse();
            v.sort_by_key(|x| x.0); // stable: of equal periods the later one comes first
            v.dedup_by_key(|x| x.0);
        }
        Points(v)
    }
}

impl<'a> IntoIterator for &'a Points {
    type Item = (&'a Period, &'a Point);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Every indicator × area series.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// Every series' points, found through [`Series::slots`].
    points: Vec<Points>,
    /// A table of indicator id × area id (in [`Series::dicts`]): each series' place in
    /// `points`, or [`NONE`]. A hash map of 280,000 series (four times the national data) was
    /// a fifth of building them, in cache misses.
    slots: Vec<u32>,
    /// Area ids a row of `slots` has room for.
    width: usize,
    /// Disagreements between a given county value and the one derived from districts, and
    /// county values that could not be derived.
    pub warnings: Vec<String>,
    /// What the points' ids refer to.
    pub dicts: Arc<Dicts>,
}

impl Series {
    pub fn get(&self, indicator: &str, area: &str) -> Option<&Points> {
        let (i, a) = (self.dicts.indicators.find(indicator)?, self.dicts.areas.find(area)?);
        let slot = *self.slots.get(i as usize * self.width + a as usize).filter(|_| (a as usize) < self.width)?;
        self.points.get(slot as usize)
    }

    /// The series of an indicator and area id, made empty when there is none.
    fn entry(&mut self, i: u32, a: u32) -> &mut Points {
        let at = i as usize * self.width + a as usize;
        if self.slots[at] == NONE {
            self.slots[at] = self.points.len() as u32;
            self.points.push(Points::default());
        }
        &mut self.points[self.slots[at] as usize]
    }

    /// A point's sources as people read them.
    pub fn locs(&self, p: &Point) -> Vec<Loc> {
        p.sources().iter().map(|s| self.dicts.loc(*s)).collect()
    }

    /// A text id's text.
    pub fn text(&self, id: u32) -> Option<String> {
        self.dicts.texts.opt(id).map(String::from)
    }

    /// Build from the store's current values: one contiguous run of rows per indicator × area.
    pub fn build(ws: &Workspace, cat: &Catalogue, v: &Values) -> Series {
        // room for one more area: the county's, given an id when no return held a county value
        let width = v.dicts.areas.len() + 1;
        let mut s = Series {
            dicts: v.dicts.clone(),
            slots: vec![NONE; v.dicts.indicators.len() * width],
            width,
            ..Series::default()
        };
        // each series' points made in parallel, then placed in the order of the runs
        let runs: Vec<std::ops::Range<usize>> = v.runs().collect();
        let made: Vec<Points> = runs
            .par_iter()
            .map(|run| {
                Points(
                    run.clone()
                        .map(|r| {
                            let point = Point {
                                value: v.value[r],
                                src: v.src[r],
                                derived: None,
                                commentary: v.commentary[r],
                                action: v.action[r],
                                self_rating: v.self_rating[r],
                                quality: v.quality[r],
                            };
                            (v.period[r], point)
                        })
                        .collect(),
                )
            })
            .collect();
        for (run, points) in runs.iter().zip(made) {
            // runs are sorted by period already
            *s.entry(v.indicator[run.start], v.area[run.start]) = points;
        }
        s.derive_county(ws, cat, v);
        s
    }

    fn derive_county(&mut self, ws: &Workspace, cat: &Catalogue, v: &Values) {
        let county_id = v.dicts.areas.find(&ws.county().code);
        // the county's id, given to it here when no return held a county value
        let county_key = county_id.unwrap_or_else(|| Arc::make_mut(&mut self.dicts).areas.id(&ws.county().code));
        let districts: Vec<&str> = ws.settings.areas.iter().filter(|a| !a.county).map(|a| a.code.as_str()).collect();
        // area id → position among the districts
        let mut district_of = vec![usize::MAX; v.dicts.areas.len()];
        for (i, d) in districts.iter().enumerate() {
            if let Some(id) = v.dicts.areas.find(d) {
                district_of[id as usize] = i;
            }
        }
        // each indicator's rows (contiguous) judged in parallel, the results applied in order
        let mut spans = Vec::new();
        let mut start = 0;
        while start < v.len() {
            let ind_id = v.indicator[start];
            let mut end = start;
            while end < v.len() && v.indicator[end] == ind_id {
                end += 1;
            }
            spans.push(start..end);
            start = end;
        }
        let judged: Vec<County> = spans
            .into_par_iter()
            .filter_map(|rows| {
                let ind_id = v.indicator[rows.start];
                let info = cat.get(v.dicts.indicators.get(ind_id))?;
                Some(county_of(v, info, ind_id, rows, county_id, &district_of, districts.len()))
            })
            .collect();
        // indicator → (why no county value, periods) where districts gave values that cannot be
        // summed (one warning per indicator)
        let mut underivable: BTreeMap<String, (String, Vec<Period>)> = BTreeMap::new();
        for c in judged {
            for (period, point) in c.derived {
                self.entry(c.indicator, county_key).insert(period, point);
            }
            self.warnings.extend(c.warnings);
            if let Some((why, periods)) = c.underivable {
                let ind = v.dicts.indicators.get(c.indicator).to_string();
                underivable.entry(ind).or_insert_with(|| (why, Vec::new())).1.extend(periods);
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

/// What one indicator's district values make of its county series: the points derived (by
/// period), the warnings, and why no county value can be derived, with the periods it could not.
struct County {
    indicator: u32,
    derived: Vec<(Period, Point)>,
    warnings: Vec<String>,
    underivable: Option<(String, Vec<Period>)>,
}

fn county_of(
    v: &Values,
    info: &Indicator,
    ind_id: u32,
    rows: std::ops::Range<usize>,
    county_id: Option<u32>,
    district_of: &[usize],
    districts: usize,
) -> County {
    let ind = v.dicts.indicators.get(ind_id);
    let mut c = County { indicator: ind_id, derived: Vec::new(), warnings: Vec::new(), underivable: None };
    for (period, (mut recs, given, other)) in rows_by_period(v, rows, county_id, district_of) {
        if !other {
            continue;
        }
        recs.sort_unstable();
        let recs: Vec<usize> = recs.into_iter().map(|x| x.1).collect();
        let (derived, with_ratio, is_count) = derive(v, info, &recs, districts);
        match (derived, given) {
            (Some((value, how)), None) => c.derived.push((period, derived_point(v, &recs, value, how))),
            (Some((d, how)), Some(g)) if !close(d, v.value[g]) => c.warnings.push(format!(
                "{ind} {period}: the county value given ({}, {}) differs from the {how} ({}); the given value is used",
                v.value[g],
                v.dicts.loc(v.src[g]),
                round4(d)
            )),
            (None, None) if recs.len() < districts && (with_ratio || is_count) => c.warnings.push(format!(
                "{ind} {period}: {} of {} districts reported, so no county value can be derived",
                recs.len(),
                districts
            )),
            (None, None) if !recs.is_empty() && !with_ratio && !is_count => {
                c.underivable.get_or_insert_with(|| (why_underivable(info), Vec::new())).1.push(period);
            }
            _ => {}
        }
    }
    c
}

/// Period → (district rows in the workspace's order, the given county row, whether any area but
/// the county has a value), for one indicator's rows.
type Rows = (Vec<(usize, usize)>, Option<usize>, bool);

fn rows_by_period(
    v: &Values,
    rows: std::ops::Range<usize>,
    county_id: Option<u32>,
    district_of: &[usize],
) -> BTreeMap<Period, Rows> {
    let mut by_period: BTreeMap<Period, Rows> = BTreeMap::new();
    for r in rows {
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
    by_period
}

/// A county value from every district's: a count summed, a ratio from the sums of numerators
/// and denominators; and whether the indicator is a ratio with them, or a count.
fn derive(v: &Values, info: &Indicator, recs: &[usize], districts: usize) -> (Option<(f64, String)>, bool, bool) {
    let aggregation = info.aggregation();
    let is_count = aggregation == Aggregation::Sum;
    // numerators and denominators make a ratio of anything but a count or a score
    let with_ratio = !is_count
        && aggregation != Aggregation::None
        && recs.iter().all(|&r| v.numerator[r].is_some() && v.denominator[r].is_some());
    let derived = if recs.len() < districts {
        None
    } else if with_ratio {
        let n: f64 = recs.iter().filter_map(|&r| v.numerator[r]).sum();
        let d: f64 = recs.iter().filter_map(|&r| v.denominator[r]).sum();
        (d != 0.0).then(|| {
            (n / d * info.unit_scale(), format!("sum of {} district numerators ÷ sum of denominators", recs.len()))
        })
    } else if is_count {
        Some((recs.iter().map(|&r| v.value[r]).sum(), format!("sum of {} district values", recs.len())))
    } else {
        None
    };
    (derived, with_ratio, is_count)
}

/// A county value made from the districts' rows, with every district cell behind it.
fn derived_point(v: &Values, recs: &[usize], value: f64, how: String) -> Point {
    let first = |col: &[u32]| recs.iter().map(|&r| col[r]).find(|&t| t != NONE).unwrap_or(NONE);
    let sources: Vec<Src> = recs.iter().map(|&r| v.src[r]).collect();
    Point {
        value,
        src: sources.first().copied().unwrap_or(Src { file: NONE, sheet: NONE, cell: NONE }),
        derived: Some(Box::new(Derived { sources, how })),
        commentary: first(&v.commentary),
        action: first(&v.action),
        // a county value made from districts is laa's, not a partner's
        self_rating: NONE,
        quality: NONE,
    }
}

/// Why district values cannot make a county value of this indicator.
fn why_underivable(info: &Indicator) -> String {
    match info.aggregation() {
        Aggregation::None => format!(
            "its unit ({}) is a score, index, median or gap that cannot be made from district values; the county's own value is needed",
            info.unit
        ),
        Aggregation::Unknown => format!(
            "its unit is not known ({}), so district values are not summed; set the unit in the agreement's Unit column (a count is summed, a rate needs numerators and denominators)",
            if info.unit.is_empty() { "none given".to_string() } else { format!("{:?}", info.unit) }
        ),
        _ => "the districts gave rates without numerators and denominators, and rates are never summed or averaged"
            .to_string(),
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

    fn pt(v: f64) -> Point {
        Point::cell(v, Src { file: 0, sheet: NONE, cell: 0 })
    }

    #[test]
    fn points_read_like_a_map_in_time_order() {
        let q = |s: &str| s.parse::<Period>().unwrap();
        // out of order, with one period twice: the later one wins, as a map's insert
        let mut p: Points = [("2009/10 Q3", 3.0), ("2009/10 Q1", 1.0), ("2009/10 Q3", 30.0), ("2009/10 Q2", 2.0)]
            .iter()
            .map(|(s, v)| (q(s), pt(*v)))
            .collect();
        assert_eq!(p.len(), 3);
        assert_eq!(p.values().map(|x| x.value).collect::<Vec<_>>(), [1.0, 2.0, 30.0]);
        assert_eq!(p.get(&q("2009/10 Q2")).map(|x| x.value), Some(2.0));
        assert!(p.get(&q("2009/10 Q4")).is_none());
        let r: Vec<f64> = p.range(q("2009/10 Q2")..=q("2009/10 Q4")).map(|(_, x)| x.value).collect();
        assert_eq!(r, [2.0, 30.0]);
        assert_eq!(p.range(q("2009/10 Q4")..).count(), 0);
        assert_eq!(p.range(..q("2009/10 Q2")).next_back().map(|(k, _)| *k), Some(q("2009/10 Q1")));
        p.insert(q("2009/10 Q4"), pt(4.0));
        p.insert(q("2009/10 Q1"), pt(10.0));
        assert_eq!(p.values().map(|x| x.value).collect::<Vec<_>>(), [10.0, 2.0, 30.0, 4.0]);
        assert_eq!(p.last_key_value().map(|(k, _)| *k), Some(q("2009/10 Q4")));
        assert_eq!(p[&q("2009/10 Q4")].sources().len(), 1);
        assert_eq!(p[&q("2009/10 Q4")].derivation(), None);
    }

    #[test]
    fn rounding_tolerance() {
        assert!(close(12.34, 12.3));
        assert!(close(12.349, 12.3));
        assert!(!close(12.36, 12.3));
        assert!(close(1000.4, 1000.0));
        assert!(!close(1002.0, 1000.0));
    }
}
