//! A rating's place among other authorities, attached to ratings already made: the comparator
//! figures of [`benchmark`] for each rating's indicator, tier and period.

use rustc_hash::FxHashMap;

use crate::assess::benchmark::{self, Comparators, Figure};
use crate::assess::rating::Rating;
use crate::assess::series::Series;
use crate::domain::authorities::{Authorities, Tier};
use crate::domain::periods::Period;
use crate::workspace::Workspace;

/// Each rating's place among other authorities: the period compared is the rating's own value's
/// when the comparator data has it, else the latest that ends by the quarter rated.
pub fn attach(ws: &Workspace, c: &Comparators, series: &Series, ratings: &mut [Rating]) {
    use rayon::prelude::*;
    let reg = Authorities::shipped();
    let group = benchmark::chosen_group(ws);
    let codes: FxHashMap<&str, (String, Tier)> = ws
        .settings
        .areas
        .iter()
        .filter_map(|a| {
            let code = ws.ons_code(&a.code)?;
            let tier = reg.tier_of(&code).filter(|t| t.is_authority())?;
            Some((a.code.as_str(), (code, tier)))
        })
        .collect();
    // each rating's period and tier, then every tier's sorted figures once (shared by every
    // area of the tier), then the measures: no lock, no figures sorted twice
    let wanted: Vec<Option<(&str, Tier, Period, u32)>> = ratings
        .par_iter()
        .map(|r| {
            let (us, tier) = codes.get(r.area.as_str())?;
            let period = c.period_for(&r.indicator, r.value_period, r.period)?;
            let ind = c.values.dicts.indicators.find(&r.indicator)?;
            Some((us.as_str(), *tier, period, ind))
        })
        .collect();
    let mut keys: Vec<(u32, Period, bool)> =
        wanted.iter().flatten().map(|&(_, tier, p, ind)| (ind, p, tier == Tier::District)).collect();
    keys.sort_unstable();
    keys.dedup();
    let figures: FxHashMap<(u32, Period, bool), Vec<Figure>> = keys
        .par_iter()
        .map(|&(ind, p, lower)| {
            let tier = if lower { Tier::District } else { Tier::County };
            ((ind, p, lower), c.tier_figures(c.values.dicts.indicators.get(ind), p, tier))
        })
        .collect();
    ratings.par_iter_mut().zip(wanted).for_each(|(r, w)| {
        let Some((us, tier, period, ind)) = w else { return };
        let Some(figures) = figures.get(&(ind, period, tier == Tier::District)) else { return };
        let points = series.get(&r.indicator, &r.area);
        let own = |p: Period| points.and_then(|s| s.get(&p)).map(|pt| pt.value);
        r.benchmark = c.measure_among(figures, tier, &r.indicator, r.polarity, us, period, &own, group).map(Box::new);
    });
}
