//! Comparison with other areas: comparator values (kept in their own store, never in a rating)
//! ranked by the indicator's polarity among authorities of the same tier, the national quartiles
//! and median, and the position against a comparator group.
//!
//! Quartiles are percentiles by linear interpolation between the nearest ranks (Excel's
//! `PERCENTILE.INC`). A rank is 1 for the best value, with ties sharing a rank (1, 2, 2, 4). A
//! group's median is of its other members (the partnership itself left out).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::domain::authorities::{Authorities, Tier};
use crate::domain::catalogue::Polarity;
use crate::domain::periods::Period;
use crate::store::values::Values;
use crate::store::{Store, StoreError};
use crate::workspace::Workspace;

/// Where one area stands against others for one indicator and period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Benchmark {
    /// The period compared (the latest with comparator data at or before the quarter rated).
    pub period: Period,
    /// The area's ONS code.
    pub authority: String,
    /// The figure ranked, and where it came from ("our return" or "the comparator table").
    pub value: Option<f64>,
    pub value_from: String,
    /// Who the area is ranked among ("English upper-tier authorities").
    pub ranked_among: String,
    /// 1 = best by the indicator's polarity; ties share a rank. None without a polarity or figure.
    pub rank: Option<usize>,
    /// How many authorities were ranked (the area included).
    pub ranked_of: usize,
    /// 1 = top quarter … 4 = bottom quarter.
    pub national_quartile: Option<u8>,
    pub england_median: Option<f64>,
    /// The edge of the top quarter (the 75th percentile when higher is better, the 25th when lower).
    pub top_quartile: Option<f64>,
    /// The middle half of authorities, low to high (the band drawn on charts).
    pub lower_quartile_value: Option<f64>,
    pub upper_quartile_value: Option<f64>,
    /// Authorities of the tier in the comparator tables (with figures for other indicators or
    /// periods) but none for this one: counted, never taken as zero.
    pub missing: usize,
    pub group: Option<GroupPosition>,
    /// Why something is not given ("no polarity: not ranked").
    pub note: String,
}

/// The position in a comparator group.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupPosition {
    pub name: String,
    /// The median of the group's other members with a figure.
    pub median: Option<f64>,
    /// 1 = best in the group with the area itself; None without a polarity or figure.
    pub position: Option<usize>,
    pub of: usize,
    /// Members with no figure for the period.
    pub missing: usize,
    /// Against the group's median since the previous period compared: "gaining", "falling
    /// behind" or "level".
    pub direction: Option<String>,
}

impl Benchmark {
    /// "Q1 (rank 12 of 152)" and the like, for a table cell.
    pub fn short(&self) -> String {
        match (self.national_quartile, self.rank) {
            (Some(q), Some(r)) => format!("{} (rank {r} of {})", quartile_name(q), self.ranked_of),
            _ if !self.note.is_empty() => self.note.clone(),
            _ => String::new(),
        }
    }

    /// One sentence for a panel or the paper.
    pub fn sentence(&self, fmt: &dyn Fn(f64) -> String) -> String {
        let mut s = match (self.rank, self.national_quartile) {
            (Some(r), Some(q)) => format!(
                "{}: ranked {r} of {} {} ({}); England median {}",
                self.period,
                self.ranked_of,
                self.ranked_among,
                quartile_name(q),
                self.england_median.map_or("–".into(), fmt)
            ),
            _ => format!(
                "{}: {}; England median {}",
                self.period,
                if self.note.is_empty() { "not ranked" } else { &self.note },
                self.england_median.map_or("–".into(), fmt)
            ),
        };
        if let Some(g) = &self.group {
            s += &format!("; {} median {}", g.name.replace('_', " "), g.median.map_or("–".into(), fmt));
            if let Some(p) = g.position {
                s += &format!(", {} of {}", ordinal(p), g.of);
            }
            if let Some(d) = &g.direction {
                s += &format!(", {d}");
            }
        }
        if self.missing > 0 {
            s += &format!("; {} with no figure", plural(self.missing, "authority", "authorities"));
        }
        s
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "top quarter", "second quarter", …
pub fn quartile_name(q: u8) -> &'static str {
    match q {
        1 => "top quarter",
        2 => "second quarter",
        3 => "third quarter",
        _ => "bottom quarter",
    }
}

pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The `p`th percentile (0–1) of sorted values, interpolating between the nearest ranks.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Is `a` better than `b` by the polarity?
fn better(pol: Polarity, a: f64, b: f64) -> bool {
    match pol {
        Polarity::Higher => a > b,
        Polarity::Lower => a < b,
        Polarity::None => false,
    }
}

/// The quartile (1 = top) of `v` among sorted values.
fn quartile(pol: Polarity, sorted: &[f64], v: f64) -> Option<u8> {
    let (q1, q2, q3) = (percentile(sorted, 0.25)?, percentile(sorted, 0.5)?, percentile(sorted, 0.75)?);
    match pol {
        Polarity::Higher => Some(if v >= q3 {
            1
        } else if v >= q2 {
            2
        } else if v >= q1 {
            3
        } else {
            4
        }),
        Polarity::Lower => Some(if v <= q1 {
            1
        } else if v <= q2 {
            2
        } else if v <= q3 {
            3
        } else {
            4
        }),
        Polarity::None => None,
    }
}

/// The band drawn behind a trend chart for one period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub period: Period,
    pub lower_quartile: f64,
    pub median: f64,
    pub upper_quartile: f64,
    pub group_median: Option<f64>,
}

/// One row of a league table.
#[derive(Debug, Clone, Serialize)]
pub struct LeagueRow {
    pub rank: Option<usize>,
    pub code: String,
    pub name: String,
    pub value: f64,
    /// The partnership itself.
    pub us: bool,
    pub in_group: bool,
    /// The comparator table's cell the figure came from ("our return" for the partnership's own).
    pub source: String,
}

/// The authority being compared: its code (and id among the comparators), the indicator, its
/// polarity, the period compared, our value, and our own values by period.
struct Ours<'a> {
    us: &'a str,
    us_id: Option<u32>,
    indicator: &'a str,
    polarity: Polarity,
    period: Period,
    value: Option<f64>,
    own: &'a dyn Fn(Period) -> Option<f64>,
}

/// Comparator values, by indicator and period.
#[derive(Debug, Clone, Default)]
pub struct Comparators {
    pub(crate) values: Values,
    /// (indicator id, period) → rows of `values`.
    by_key: FxHashMap<(u32, Period), Vec<usize>>,
    /// Every authority (area id) with a figure for any indicator and period.
    reporting: FxHashSet<u32>,
    /// indicator id → periods with figures, in order.
    periods: FxHashMap<u32, Vec<Period>>,
    /// area id → its tier (the register's, else its code's).
    tiers: Vec<Option<Tier>>,
    /// How many reporting authorities a county and a district are ranked among.
    reporting_upper: usize,
    reporting_lower: usize,
}

/// An authority's figure: (area id, value).
pub type Figure = (u32, f64);

impl Comparators {
    /// The workspace's comparator store, or None when nothing has been imported into it.
    pub fn load(ws: &Workspace) -> Result<Option<Comparators>, StoreError> {
        let store = Store::new(&ws.benchmark_store_dir());
        if store.journal()?.is_empty() {
            return Ok(None);
        }
        let (values, _) = store.values()?;
        Ok(Some(Comparators::from_values(values)))
    }

    pub fn from_values(values: Values) -> Comparators {
        let reg = Authorities::shipped();
        let mut c = Comparators {
            tiers: values.dicts.areas.names().iter().map(|code| reg.tier_of(code)).collect(),
            ..Comparators::default()
        };
        for i in 0..values.len() {
            if !values.value[i].is_finite() {
                continue;
            }
            let (ind, area, p) = (values.indicator[i], values.area[i], values.period[i]);
            c.by_key.entry((ind, p)).or_default().push(i);
            c.reporting.insert(area);
            c.periods.entry(ind).or_default().push(p);
        }
        for ps in c.periods.values_mut() {
            ps.sort();
            ps.dedup();
        }
        let tier = |a: &u32| c.tiers.get(*a as usize).copied().flatten();
        c.reporting_upper = c.reporting.iter().filter(|a| tier(a).is_some_and(|t| Tier::County.peers(t))).count();
        c.reporting_lower = c.reporting.iter().filter(|a| tier(a).is_some_and(|t| Tier::District.peers(t))).count();
        c.values = values;
        c
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// How many comparator values are held.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// The periods with figures for an indicator.
    pub fn periods(&self, indicator: &str) -> &[Period] {
        self.values.dicts.indicators.find(indicator).and_then(|i| self.periods.get(&i)).map_or(&[], Vec::as_slice)
    }

    /// The latest period with figures for an indicator that ends by `by`; the exact period
    /// `prefer` when it has figures.
    pub fn period_for(&self, indicator: &str, prefer: Option<Period>, by: Period) -> Option<Period> {
        let ps = self.periods(indicator);
        if let Some(p) = prefer.filter(|p| ps.contains(p)) {
            return Some(p);
        }
        ps.iter().rev().find(|p| p.end_date() <= by.end_date()).copied()
    }

    fn rows(&self, indicator: &str, period: Period) -> &[usize] {
        self.values
            .dicts
            .indicators
            .find(indicator)
            .and_then(|i| self.by_key.get(&(i, period)))
            .map_or(&[], Vec::as_slice)
    }

    fn code(&self, area: u32) -> &str {
        self.values.dicts.areas.get(area)
    }

    fn area_id(&self, code: &str) -> Option<u32> {
        self.values.dicts.areas.find(code)
    }

    /// The comparator table's figure for one authority.
    pub fn value_of(&self, indicator: &str, code: &str, period: Period) -> Option<f64> {
        self.row_of(indicator, code, period).map(|r| self.values.value[r])
    }

    /// The cell a comparator figure came from.
    pub fn source_of(&self, indicator: &str, code: &str, period: Period) -> Option<String> {
        self.row_of(indicator, code, period).map(|r| self.values.dicts.loc(self.values.src[r]).to_string())
    }

    /// The row of one authority's figure.
    fn row_of(&self, indicator: &str, code: &str, period: Period) -> Option<usize> {
        let id = self.area_id(code)?;
        self.rows(indicator, period).iter().copied().find(|&r| self.values.area[r] == id)
    }

    /// The median of a group's members other than `us` with a figure in `period`.
    fn group_median(&self, indicator: &str, codes: &[String], us: &str, period: Period) -> Option<f64> {
        let mut g: Vec<f64> =
            codes.iter().filter(|c| *c != us).filter_map(|c| self.value_of(indicator, c, period)).collect();
        g.sort_by(f64::total_cmp);
        percentile(&g, 0.5)
    }

    /// Every figure of authorities a `tier` is ranked among, sorted by value.
    pub fn tier_figures(&self, indicator: &str, period: Period, tier: Tier) -> Vec<Figure> {
        let mut v: Vec<Figure> = self
            .rows(indicator, period)
            .iter()
            .map(|&r| (self.values.area[r], self.values.value[r]))
            .filter(|(a, _)| self.tiers.get(*a as usize).copied().flatten().is_some_and(|t| tier.peers(t)))
            .collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Where `us` (an ONS code) stands for `indicator` in `period`, its own figure `own` when the
    /// partnership has one (else the comparator table's), against `group` (a name and codes).
    #[allow(clippy::too_many_arguments)]
    pub fn measure(
        &self,
        reg: &Authorities,
        indicator: &str,
        polarity: Polarity,
        us: &str,
        period: Period,
        own: &dyn Fn(Period) -> Option<f64>,
        group: Option<(&str, &[String])>,
    ) -> Option<Benchmark> {
        let tier = reg.tier_of(us).filter(|t| t.is_authority())?;
        self.measure_among(
            &self.tier_figures(indicator, period, tier),
            tier,
            indicator,
            polarity,
            us,
            period,
            own,
            group,
        )
    }

    /// [`Comparators::measure`] with the tier's figures already sorted (shared by every area of
    /// one tier).
    #[allow(clippy::too_many_arguments)]
    pub fn measure_among(
        &self,
        figures: &[Figure],
        tier: Tier,
        indicator: &str,
        polarity: Polarity,
        us: &str,
        period: Period,
        own: &dyn Fn(Period) -> Option<f64>,
        group: Option<(&str, &[String])>,
    ) -> Option<Benchmark> {
        let us_id = self.area_id(us);
        // the others' figures, read in place (not copied for each rating)
        let peers = || figures.iter().filter(move |f| Some(f.0) != us_id);
        peers().next()?;
        let (value, value_from) = match own(period) {
            Some(v) => (Some(v), "our return".to_string()),
            None => match self.value_of(indicator, us, period) {
                Some(v) => (Some(v), "the comparator table".to_string()),
                None => (None, String::new()),
            },
        };
        let mut all: Vec<f64> = Vec::with_capacity(figures.len() + 1);
        all.extend(peers().map(|p| p.1));
        if let Some(v) = value {
            let at = all.partition_point(|x| *x < v);
            all.insert(at, v);
        }
        let ranked = value.filter(|_| polarity != Polarity::None);
        // authorities of the tier in the comparator tables with no figure for this one (every
        // figure is a reporting authority's, so this is a count, not a search)
        let reporting = if tier == Tier::District { self.reporting_lower } else { self.reporting_upper };
        let us_reports = us_id.is_some_and(|id| self.reporting.contains(&id));
        let us_has_figure = us_id.is_some_and(|id| figures.iter().any(|f| f.0 == id));
        let missing = reporting.saturating_sub(figures.len() + usize::from(us_reports && !us_has_figure));
        let note = match (polarity, value) {
            (Polarity::None, _) => "no polarity: not ranked".to_string(),
            (_, None) => format!("no figure of ours for {period}: not ranked"),
            _ => String::new(),
        };
        let ours = Ours { us, us_id, indicator, polarity, period, value, own };
        let group = group.map(|g| self.group_position(figures, &ours, g));
        let (low, high) = (percentile(&all, 0.25), percentile(&all, 0.75));
        Some(Benchmark {
            period,
            authority: us.to_string(),
            value,
            value_from,
            ranked_among: tier.peers_name().to_string(),
            rank: ranked.map(|v| 1 + peers().filter(|p| better(polarity, p.1, v)).count()),
            ranked_of: all.len(),
            national_quartile: ranked.and_then(|v| quartile(polarity, &all, v)),
            england_median: percentile(&all, 0.5),
            top_quartile: match polarity {
                Polarity::Higher => high,
                Polarity::Lower => low,
                Polarity::None => None,
            },
            lower_quartile_value: low,
            upper_quartile_value: high,
            missing,
            group,
            note,
        })
    }

    /// Our place in the comparator group: its median (of the others), our position, and whether
    /// we are gaining on it since the previous period compared.
    fn group_position(&self, figures: &[Figure], o: &Ours, (name, codes): (&str, &[String])) -> GroupPosition {
        let others: Vec<&String> = codes.iter().filter(|c| *c != o.us).collect();
        let members: Vec<f64> = others
            .iter()
            .filter_map(|c| self.area_id(c))
            .filter_map(|id| figures.iter().find(|p| p.0 == id && Some(p.0) != o.us_id).map(|p| p.1))
            .collect();
        let mut sorted = members.clone();
        sorted.sort_by(f64::total_cmp);
        let median = percentile(&sorted, 0.5);
        let ranked = o.value.filter(|_| o.polarity != Polarity::None);
        let position = ranked
            .filter(|_| !members.is_empty())
            .map(|v| 1 + members.iter().filter(|m| better(o.polarity, **m, v)).count());
        GroupPosition {
            name: name.to_string(),
            median,
            position,
            of: members.len() + usize::from(o.value.is_some()),
            missing: others.len() - members.len(),
            direction: self.group_direction(o, codes, median),
        }
    }

    /// Against the group since the previous period compared. The gap is a share of the median:
    /// year-to-date figures grow through the year, and a gap in their units would grow with them.
    fn group_direction(&self, o: &Ours, codes: &[String], median: Option<f64>) -> Option<String> {
        let previous = self.periods(o.indicator).iter().rev().find(|p| **p < o.period).copied();
        let gap = |v: Option<f64>, m: Option<f64>| {
            let (v, m) = (v?, m?);
            let scale = if m.abs() > 0.0 { m.abs() } else { 1.0 };
            match o.polarity {
                Polarity::Higher => Some((v - m) / scale),
                Polarity::Lower => Some((m - v) / scale),
                Polarity::None => None,
            }
        };
        previous.and_then(|pp| {
            let before = (o.own)(pp).or_else(|| self.value_of(o.indicator, o.us, pp));
            let (now, then) = (gap(o.value, median)?, gap(before, self.group_median(o.indicator, codes, o.us, pp))?);
            let eps = 1e-9 * (now.abs() + then.abs()).max(1.0);
            Some(if now > then + eps {
                format!("gaining on the group since {pp}")
            } else if now < then - eps {
                format!("falling behind the group since {pp}")
            } else {
                format!("level with the group since {pp}")
            })
        })
    }

    /// The band (inter-quartile range, median, group median) of every period with figures, for
    /// authorities a `tier` is ranked among.
    pub fn bands(&self, indicator: &str, tier: Tier, us: &str, group: Option<&[String]>) -> Vec<Band> {
        self.periods(indicator)
            .iter()
            .filter_map(|&p| {
                let all: Vec<f64> = self.tier_figures(indicator, p, tier).into_iter().map(|x| x.1).collect();
                let group_median = group.and_then(|codes| self.group_median(indicator, codes, us, p));
                Some(Band {
                    period: p,
                    lower_quartile: percentile(&all, 0.25)?,
                    median: percentile(&all, 0.5)?,
                    upper_quartile: percentile(&all, 0.75)?,
                    group_median,
                })
            })
            .collect()
    }

    /// Every authority of `us`'s tier with a figure, best first (highest first when there is
    /// no polarity); the partnership's own figure `own` in place of its published one.
    #[allow(clippy::too_many_arguments)]
    pub fn league(
        &self,
        reg: &Authorities,
        indicator: &str,
        polarity: Polarity,
        us: &str,
        period: Period,
        own: Option<f64>,
        group: &[String],
    ) -> Vec<LeagueRow> {
        let tier = reg.tier_of(us).unwrap_or(Tier::County);
        let us_id = self.area_id(us);
        let mut rows: Vec<(String, f64)> = self
            .tier_figures(indicator, period, tier)
            .into_iter()
            .filter(|f| Some(f.0) != us_id)
            .map(|(a, v)| (self.code(a).to_string(), v))
            .collect();
        if let Some(v) = own.or_else(|| self.value_of(indicator, us, period)) {
            rows.push((us.to_string(), v));
        }
        let source = |code: &str| {
            if code == us && own.is_some() {
                "our return".to_string()
            } else {
                self.source_of(indicator, code, period).unwrap_or_default()
            }
        };
        rows.sort_by(|a, b| match polarity {
            Polarity::Lower => a.1.total_cmp(&b.1),
            _ => b.1.total_cmp(&a.1),
        });
        let values: Vec<f64> = rows.iter().map(|r| r.1).collect();
        rows.iter()
            .map(|(code, v)| LeagueRow {
                rank: (polarity != Polarity::None)
                    .then(|| 1 + values.iter().filter(|x| better(polarity, **x, *v)).count()),
                name: reg.name_of(code).to_string(),
                code: code.clone(),
                value: *v,
                us: code == us,
                in_group: group.contains(code),
                source: source(code),
            })
            .collect()
    }
}

/// The comparator group a workspace shows: `[benchmark] group`, else its first group.
pub fn chosen_group(ws: &Workspace) -> Option<(&str, &[String])> {
    let b = &ws.settings.benchmark;
    match &b.group {
        Some(g) => b.groups.get_key_value(g).map(|(k, v)| (k.as_str(), v.as_slice())),
        None => b.groups.iter().next().map(|(k, v)| (k.as_str(), v.as_slice())),
    }
}

#[cfg(test)]
mod tests;
