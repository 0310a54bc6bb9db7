//! `laa agreement check`: the agreement's designated and statutory targets, each target's
//! baseline, annual targets and their direction, and its reward terms.

use serde::Serialize;

use super::{Agreement, Kind, RewardStatus, RewardTerms, Target};
use crate::domain::catalogue::{Catalogue, Polarity};
use crate::domain::periods::Period;
use crate::workspace::overrides::Override;

/// How serious a finding of `laa agreement check` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about the agreement, at the row it concerns.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub indicator: Option<String>,
    pub location: String,
    pub message: String,
}

/// The most designated improvement targets an LAA 2008–11 may have.
pub const MAX_DESIGNATED: usize = 35;

/// Validate the agreement: the count of designated targets, the statutory set, baselines and
/// annual targets, targets moving with the indicator's polarity, and consistent reward terms.
/// `pot`: whether `[reward] net_budget` is set, so a reward target may leave its maximum to an
/// equal share of the pot.
pub fn check(
    a: &Agreement,
    cat: &Catalogue,
    years: &[i32],
    statutory: &[String],
    file: &str,
    pot: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut f = |severity, t: Option<&Target>, message: String| {
        let location = t.map_or_else(|| file.to_string(), |t| t.loc.to_string());
        out.push(Finding { severity, indicator: t.map(|t| t.code.clone()), location, message });
    };
    let designated: Vec<&Target> = a.targets.iter().filter(|t| t.kind == Kind::Designated).collect();
    if designated.len() > MAX_DESIGNATED {
        f(
            Severity::Error,
            designated.get(MAX_DESIGNATED).copied(),
            format!(
                "{} designated targets: an LAA may have at most {MAX_DESIGNATED} (this is the {}th)",
                designated.len(),
                MAX_DESIGNATED + 1
            ),
        );
    }
    for code in statutory {
        match a.get(code) {
            None => f(Severity::Error, None, format!("statutory target {code} is missing from the agreement")),
            Some(t) if t.kind != Kind::Statutory => f(
                Severity::Warning,
                Some(t),
                format!("{code} is a statutory target but is marked {:?}", t.kind).to_lowercase(),
            ),
            Some(_) => {}
        }
    }
    for t in &a.targets {
        check_target(t, cat, years, pot, &mut f);
    }
    out
}

fn fmt(v: f64) -> String {
    crate::domain::numbers::format_number(v)
}

/// Report what is wrong with one target.
type Report<'a> = dyn FnMut(Severity, Option<&Target>, String) + 'a;

/// One target: its baseline and annual targets, its polarity, the direction its targets move
/// in, and its reward terms.
fn check_target(t: &Target, cat: &Catalogue, years: &[i32], pot: bool, f: &mut Report) {
    let ind = cat.get(&t.code);
    if t.baseline.is_none() {
        f(Severity::Error, Some(t), format!("{} has no baseline", t.code));
    }
    let missing: Vec<String> =
        years.iter().filter(|y| t.target_for(**y).is_none()).map(|y| Period::Year { year: *y }.to_string()).collect();
    if !missing.is_empty() {
        f(Severity::Error, Some(t), format!("{} has no target for {}", t.code, missing.join(", ")));
    }
    let polarity = ind.map_or(Polarity::None, |i| i.polarity);
    if polarity == Polarity::None && t.band.is_none() {
        f(
            Severity::Warning,
            Some(t),
            format!(
                "{} has no polarity (higher or lower is better) and no target band, so it cannot be rated; set the Polarity column or a band",
                t.code
            ),
        );
    }
    check_direction(t, years, polarity, f);
    if let Some(r) = &t.reward {
        check_reward(t, r, polarity, pot, f);
    }
}

/// Baseline → targets should move the way the polarity says is better.
fn check_direction(t: &Target, years: &[i32], polarity: Polarity, f: &mut Report) {
    let mut seq: Vec<(String, f64)> = t.baseline.map(|b| ("the baseline".to_string(), b)).into_iter().collect();
    seq.extend(
        years.iter().filter_map(|y| t.target_for(*y).map(|v| (format!("the {} target", Period::Year { year: *y }), v))),
    );
    for w in seq.windows(2) {
        let ((an, av), (bn, bv)) = (&w[0], &w[1]);
        let worse = match polarity {
            Polarity::Higher => bv < av,
            Polarity::Lower => bv > av,
            Polarity::None => false,
        };
        if worse {
            f(
                Severity::Warning,
                Some(t),
                format!("{}: {bn} ({}) is worse than {an} ({}) although {}", t.code, fmt(*bv), fmt(*av), polarity),
            );
        }
    }
}

/// The stretch beyond performance without reward, in the good direction, and a grant to pay.
fn check_reward(t: &Target, r: &RewardTerms, polarity: Polarity, pot: bool, f: &mut Report) {
    let good = match polarity {
        Polarity::Higher => r.stretch_target > r.performance_without_reward,
        Polarity::Lower => r.stretch_target < r.performance_without_reward,
        Polarity::None => r.stretch_target != r.performance_without_reward,
    };
    if !good {
        f(
            Severity::Error,
            Some(t),
            format!(
                "{}: the stretch target ({}) is not beyond performance without reward ({}) in the good direction ({})",
                t.code,
                fmt(r.stretch_target),
                fmt(r.performance_without_reward),
                polarity
            ),
        );
    }
    if r.max_grant.is_some_and(|g| g <= 0.0) {
        f(Severity::Error, Some(t), format!("{}: the maximum grant must be more than 0", t.code));
    }
    if r.max_grant.is_none() && !pot {
        f(
            Severity::Error,
            Some(t),
            format!(
                "{}: a reward target needs a maximum grant, or [reward] net_budget in partnership.toml to share out 2.5% of it equally",
                t.code
            ),
        );
    }
}

/// What an override's reason says of its target's reward, when it says anything: "parked" (or
/// renegotiation, suspended) or "withdrawn" (dropped, removed).
fn reward_status_said(reason: &str) -> Option<RewardStatus> {
    let r = reason.to_lowercase();
    let says = |words: &[&str]| words.iter().any(|w| r.contains(w));
    if says(&["withdrawn", "withdraw", "dropped from the agreement", "removed from the agreement"]) {
        Some(RewardStatus::Withdrawn)
    } else if says(&["parked", "renegotiat", "suspended"]) {
        Some(RewardStatus::Parked)
    } else {
        None
    }
}

/// Overrides whose reason and the agreement's reward status disagree: an override that says its
/// target is parked or withdrawn while the agreement's row still counts it (`active`), or one that
/// says parked where the row says withdrawn. Each finding names both places.
pub fn check_overrides(a: &Agreement, overrides: &[Override]) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in overrides {
        let Some(said) = reward_status_said(&o.reason) else { continue };
        let Some(t) = a.get(&o.indicator) else { continue };
        let said_so = format!("the override of {} says its target is {} ({:?})", t.code, said.name(), o.reason);
        let found = match &t.reward {
            None => format!("{said_so}, but the agreement ({}) gives it no reward terms", t.loc),
            Some(terms) if terms.status != said => {
                let counted = if terms.status == RewardStatus::Active {
                    let grant = terms.max_grant.map_or("grant".to_string(), crate::domain::numbers::money);
                    format!(", so its {grant} is counted in the reward totals")
                } else {
                    String::new()
                };
                format!(
                    "{said_so}, but the agreement's row ({}) has reward status {}{counted}: set Reward status to {} there, or change the override",
                    t.loc,
                    terms.status.name(),
                    said.name()
                )
            }
            Some(_) => continue,
        };
        out.push(Finding {
            severity: Severity::Warning,
            indicator: Some(t.code.clone()),
            location: o.at.clone(),
            message: found,
        });
    }
    out
}
