//! Reward totals per theme and for the partnership, with parked and withdrawn targets listed, not counted.

use super::*;

/// The rule every reward total is given with, in every output: a parked or withdrawn target is
/// shown with its status but its grant is in no sum.
pub const COUNTING_RULE: &str = "parked and withdrawn targets are listed, not counted";
/// The rule as a sentence.
pub const COUNTING_RULE_SENTENCE: &str = "Parked and withdrawn targets are listed, not counted";

/// Totals of a set of projections; parked targets are counted apart and left out of the sums.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Totals {
    pub targets: usize,
    /// Parked for renegotiation.
    pub parked: usize,
    /// Withdrawn from the agreement.
    pub withdrawn: usize,
    pub max_grant: f64,
    pub earned_grant: f64,
    pub projected_grant: f64,
    pub grant_at_risk: f64,
    pub reduction: f64,
    /// Payments by financial year: (year, capital, revenue).
    pub by_year: Vec<(Period, f64, f64)>,
}

pub fn totals<'a>(ps: impl IntoIterator<Item = &'a Projection>) -> Totals {
    let mut years: BTreeMap<Period, (f64, f64)> = BTreeMap::new();
    let mut t = ps.into_iter().fold(Totals::default(), |mut t, p| {
        if p.parked {
            if p.status == RewardStatus::Withdrawn {
                t.withdrawn += 1;
            } else {
                t.parked += 1;
            }
            return t;
        }
        t.targets += 1;
        t.max_grant += p.max_grant;
        t.earned_grant += p.earned_grant;
        t.projected_grant += p.projected_grant;
        t.grant_at_risk += p.grant_at_risk;
        t.reduction += p.reduction;
        for pay in &p.payments {
            let e = years.entry(pay.year).or_default();
            e.0 += pay.capital;
            e.1 += pay.revenue;
        }
        t
    });
    t.by_year = years.into_iter().map(|(y, (c, r))| (y, pence(c), pence(r))).collect();
    // sums of pennies, free of a float's noise
    (t.max_grant, t.earned_grant, t.projected_grant) =
        (pence(t.max_grant), pence(t.earned_grant), pence(t.projected_grant));
    (t.grant_at_risk, t.reduction) = (pence(t.grant_at_risk), pence(t.reduction));
    t
}

impl Totals {
    /// The targets listed but not counted, each kind with how many: (n, "parked for
    /// renegotiation"), (n, "withdrawn from the agreement"); none when there are none.
    pub fn not_counted(&self) -> Vec<(usize, &'static str)> {
        [(self.parked, "parked for renegotiation"), (self.withdrawn, "withdrawn from the agreement")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .collect()
    }

    /// "£1.2m in 2011/12 and £1.2m in 2012/13 (half capital, half revenue)" style text.
    pub fn profile_text(&self) -> String {
        if self.by_year.is_empty() {
            return "nothing to pay".into();
        }
        let parts: Vec<String> = self
            .by_year
            .iter()
            .map(|(y, c, r)| {
                format!(
                    "{} in {y} ({} capital, {} revenue)",
                    crate::domain::numbers::money(c + r),
                    crate::domain::numbers::money(*c),
                    crate::domain::numbers::money(*r)
                )
            })
            .collect();
        parts.join("; ")
    }
}
