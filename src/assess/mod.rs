//! Assessment: series built from the store ([`series`]), ratings ([`rating`]), reward
//! projections ([`reward`]) and the comparison with other authorities ([`benchmark`]); and a quarter's assessment: the store read into series, every indicator rated for the quarter and
//! the one before, and the reward targets projected — what `rate`, `reward` and `report` share.

pub mod benchmark;
pub mod compare;
pub mod cycle;
pub mod needed;
pub mod rating;
pub mod reward;
pub mod series;

use crate::assess::series::Series;
use crate::domain::catalogue::Catalogue;
use crate::domain::periods::Period;
use crate::store::values::Values;
use crate::store::{Store, StoreError};
use crate::workspace::Workspace;
use crate::workspace::agreement::Agreement;
use crate::workspace::overrides::{self, Override, OverrideError};
use rating::{Inputs, Rating};
use reward::Projection;

#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Overrides(#[from] OverrideError),
    #[error("the store holds no quarterly values yet: run `laa import` first")]
    Empty,
    #[error("{0} is not a quarter (expected e.g. \"2009/10 Q2\")")]
    NotAQuarter(Period),
    #[error("{0} is outside the agreement ({1} to {2})")]
    OutsideAgreement(Period, Period, Period),
}

/// Which of the previous quarter's ratings an assessment makes (for changes since then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// None: only the quarter's own ratings are needed.
    None,
    /// The county's (the report's changes since last quarter).
    County,
    /// Every area's, with their codes and ratings but not their texts (`laa rate --changes`).
    All,
}

/// What an assessment is for: which areas are rated, and what it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Every area rated (`laa rate`).
    Rate,
    /// The county alone (`laa reward`: rating every area was four fifths of its time at four
    /// times the national data).
    Reward,
    /// Every area, and the store's values kept for the report's data sheets.
    Report,
}

/// Which values a quarter is rated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Known {
    /// Those reported in the quarter or before: a past quarter as its report showed it.
    #[default]
    AsReported,
    /// Everything known now, later revisions and late results included.
    WithRevisions,
}

/// Everything known about one quarter.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub period: Period,
    pub previous_period: Option<Period>,
    pub ratings: Vec<Rating>,
    /// The previous quarter's ratings (for changes), as many as were asked for ([`Previous`]);
    /// empty when it has no data.
    pub previous: Vec<Rating>,
    pub rewards: Vec<Projection>,
    pub overrides: Vec<Override>,
    pub warnings: Vec<String>,
    /// The store's current values, as columns.
    pub values: Values,
    pub series: Series,
    /// Figures of other authorities (`laa benchmark import`), when there are any.
    pub comparators: Option<benchmark::Comparators>,
}

/// The quarter to assess: the one asked for, else the latest with data; inside the agreement.
fn quarter_to_assess(ws: &Workspace, now: &Values, period: Option<Period>) -> Result<Period, AssessError> {
    let latest = now.period.iter().copied().filter(|p| matches!(p, Period::Quarter { .. })).max();
    let period = match period {
        Some(p @ Period::Quarter { .. }) => p,
        Some(other) => return Err(AssessError::NotAQuarter(other)),
        None => latest.ok_or(AssessError::Empty)?,
    };
    let a = &ws.settings.agreement;
    if !ws.years().contains(&period.year()) {
        return Err(AssessError::OutsideAgreement(period, a.first_year, a.last_year));
    }
    Ok(period)
}

/// The values known in a quarter: the quarters returns were reported in (a quarter before the
/// last needs its own view).
struct AsKnown<'s> {
    store: &'s Store,
    known: Known,
    reported: Vec<Period>,
    /// A journal from before laa kept the quarter a return was reported in.
    old_journal: bool,
}

impl<'s> AsKnown<'s> {
    fn new(store: &'s Store, known: Known) -> Result<AsKnown<'s>, StoreError> {
        let journal = store.journal()?;
        let reported = journal.iter().filter_map(|e| e.reported_in.as_deref().and_then(|p| p.parse().ok())).collect();
        let old_journal = journal.iter().any(|e| e.reported_in.is_none());
        Ok(AsKnown { store, known, reported, old_journal })
    }

    /// The values reported by the end of `q`; none when they are the store's current values.
    fn values(&self, q: Period) -> Result<Option<Values>, StoreError> {
        let later = self.old_journal || self.reported.iter().any(|r| *r > q);
        if self.known != Known::AsReported || !later {
            return Ok(None);
        }
        // nothing reported by then (a national workspace's returns all hold every quarter)
        if !self.old_journal && self.reported.iter().all(|r| *r > q) {
            return Ok(Some(Values::default()));
        }
        Ok(Some(self.store.values_known_in(q)?.0))
    }
}

/// The reward projections, from the county's ratings and series.
fn project_rewards(
    ws: &Workspace,
    cat: &Catalogue,
    agreement: &Agreement,
    series: &Series,
    ratings: &[Rating],
    period: Period,
) -> Vec<Projection> {
    let county = &ws.county().code;
    let county_ratings: Vec<Rating> = ratings.iter().filter(|r| &r.area == county).cloned().collect();
    let lookup = |code: &str| Some((cat.get(code)?, series.get(code, county)?));
    reward::project(&reward::Context { ws, agreement, county_ratings: &county_ratings, lookup: &lookup, period })
}

impl Assessment {
    /// Assess `period`, or the latest quarter with data, for `purpose` (which areas are rated
    /// and whether [`Assessment::values`] keeps the store's values). With [`Known::AsReported`] a quarter is
    /// rated on the values reported by then (a return's quarter is kept with its values), so a
    /// past report is made again exactly; [`Known::WithRevisions`] uses everything known now.
    pub fn run(
        ws: &Workspace,
        cat: &Catalogue,
        agreement: &Agreement,
        period: Option<Period>,
        want_previous: Previous,
        known: Known,
        purpose: Purpose,
    ) -> Result<Assessment, AssessError> {
        let store = Store::new(&ws.store_dir());
        let (now, _) = store.values()?;
        let period = quarter_to_assess(ws, &now, period)?;
        let as_known = AsKnown::new(&store, known)?;
        let values = as_known.values(period)?.unwrap_or(now);
        let series = Series::build(ws, cat, &values);
        let overrides = overrides::load(ws, cat)?;
        let inputs = Inputs { ws, catalogue: cat, agreement, series: &series, overrides: &overrides };
        let previous_period = period.previous_quarter();
        // the previous quarter as it was reported then (what last quarter's report said)
        let previous_values = match (previous_period, want_previous) {
            (Some(pp), Previous::All | Previous::County) => as_known.values(pp)?,
            _ => None,
        };
        let previous_series = previous_values.as_ref().map(|v| Series::build(ws, cat, v));
        let previous_inputs = previous_series.as_ref().map(|s| Inputs { series: s, ..inputs });
        let previous_inputs = previous_inputs.as_ref().unwrap_or(&inputs);
        let has_previous =
            previous_period.is_some_and(|pp| previous_values.as_ref().unwrap_or(&values).period.contains(&pp));
        // the store's columns, when the caller does not need them (only the report's data
        // sheets do), are let go before the ratings are made: the ratings then take their place
        // instead of new memory (at four times the national data, 300 MiB)
        let values = if purpose == Purpose::Report {
            values
        } else {
            let dicts = values.dicts.clone();
            drop(values);
            Values { dicts, ..Values::default() }
        };
        drop(previous_values);
        // the two quarters at the same time
        let (mut ratings, previous) = rayon::join(
            || match purpose {
                // a reward projection reads the county's ratings alone
                Purpose::Reward => rating::rate_county(&inputs, period),
                Purpose::Rate | Purpose::Report => rating::rate_all(&inputs, period),
            },
            || match (previous_period, want_previous) {
                (Some(pp), Previous::All) if has_previous => rating::rate_all_for_changes(previous_inputs, pp),
                (Some(pp), Previous::County) if has_previous => rating::rate_county(previous_inputs, pp),
                _ => Vec::new(),
            },
        );
        let comparators = benchmark::Comparators::load(ws)?;
        if let Some(c) = &comparators {
            compare::attach(ws, c, &series, &mut ratings);
        }
        let rewards = project_rewards(ws, cat, agreement, &series, &ratings, period);
        let warnings = series.warnings.clone();
        Ok(Assessment {
            period,
            previous_period: previous_period.filter(|_| has_previous),
            ratings,
            previous,
            rewards,
            overrides,
            warnings,
            values,
            series,
            comparators,
        })
    }

    /// The county's ratings (the headline figures).
    pub fn county<'a>(&'a self, ws: &'a Workspace) -> impl Iterator<Item = &'a Rating> + 'a {
        let county = ws.county().code.clone();
        self.ratings.iter().filter(move |r| r.area == county)
    }
}

impl Assessment {
    /// The reward targets projected again with some assessed outturns stated (a scenario).
    pub fn rewards_assuming(
        &self,
        ws: &Workspace,
        cat: &Catalogue,
        agreement: &Agreement,
        assume: &[(String, reward::Assumption)],
    ) -> Vec<Projection> {
        let county = &ws.county().code;
        let county_ratings: Vec<Rating> = self.ratings.iter().filter(|r| &r.area == county).cloned().collect();
        let series = &self.series;
        let lookup = |code: &str| Some((cat.get(code)?, series.get(code, county)?));
        reward::project_assuming(
            &reward::Context { ws, agreement, county_ratings: &county_ratings, lookup: &lookup, period: self.period },
            assume,
        )
    }
}

/// By theme (in partnership.toml order), reds first, then the agreement's order.
pub fn sort_for_reading(ws: &Workspace, ratings: &mut [&Rating]) {
    let theme_pos = |t: &str| ws.settings.themes.iter().position(|x| x.code == t).unwrap_or(usize::MAX);
    let area_pos: std::collections::HashMap<&str, usize> =
        ws.settings.areas.iter().enumerate().map(|(i, a)| (a.code.as_str(), i)).collect();
    // keys made and sorted on every core (a national listing's 70,000 ratings were a serial
    // pause of `rate`); the row's place breaks ties, so the order is that of a stable sort
    use rayon::prelude::*;
    let mut keys: Vec<_> = ratings
        .par_iter()
        .enumerate()
        .map(|(i, r)| (theme_pos(&r.theme), r.effective_rating, area_pos.get(r.area.as_str()).copied(), i))
        .collect();
    keys.par_sort_unstable();
    let sorted: Vec<&Rating> = keys.iter().map(|k| ratings[k.3]).collect();
    ratings.copy_from_slice(&sorted);
}
