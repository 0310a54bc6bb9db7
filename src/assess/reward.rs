//! Performance Reward Grant: per reward target, the share of the stretch the forecast reaches,
//! the grant it would earn and the grant at risk, the 60% trigger value, and totals.

use serde::Serialize;

use crate::assess::rating::Rating;
use crate::domain::rag::Rag;
use crate::domain::workspace::RewardSettings;
use crate::ingest::agreement::{Agreement, RewardTerms};

/// One reward target's projection.
#[derive(Debug, Clone, Serialize)]
pub struct Projection {
    pub indicator: String,
    pub title: String,
    pub theme: String,
    pub performance_without_reward: f64,
    pub stretch_target: f64,
    pub max_grant: f64,
    pub forecast: Option<f64>,
    /// Share of the stretch achieved, 0–1 (0 below performance without reward).
    pub achievement: f64,
    pub projected_grant: f64,
    pub grant_at_risk: f64,
    pub rating: Rag,
    /// The outturn that reaches the threshold: without + threshold × (stretch − without).
    pub trigger_value: f64,
    /// How far the forecast is short of the trigger (0 when at or beyond it), in the unit.
    pub distance_to_trigger: Option<f64>,
    /// How far the forecast is short of the stretch target (0 when at or beyond it).
    pub distance_to_stretch: Option<f64>,
    /// Grant recovered by reaching the trigger.
    pub grant_recovered_at_trigger: f64,
    /// Grant recovered by reaching the stretch target.
    pub grant_recovered_at_stretch: f64,
    pub reason: String,
}

/// Share of the stretch achieved by an outturn, before the cap: (actual − without) ÷ (stretch − without).
pub fn share_of_stretch(terms: &RewardTerms, outturn: f64) -> f64 {
    let span = terms.stretch_target - terms.performance_without_reward;
    if span == 0.0 {
        return if outturn == terms.stretch_target { 1.0 } else { 0.0 };
    }
    (outturn - terms.performance_without_reward) / span
}

/// Grant paid for an achievement under the settings.
pub fn grant_for(terms: &RewardTerms, achievement: f64, s: &RewardSettings) -> f64 {
    let eps = 1e-9;
    if achievement + eps < s.threshold {
        0.0
    } else if s.pro_rata {
        terms.max_grant * achievement.min(s.cap)
    } else if achievement + eps >= 1.0 {
        terms.max_grant * s.cap.min(1.0)
    } else {
        0.0
    }
}

/// Project every reward target from its county rating.
pub fn project(agreement: &Agreement, county_ratings: &[Rating], s: &RewardSettings) -> Vec<Projection> {
    agreement
        .targets
        .iter()
        .filter_map(|t| {
            let terms = t.reward?;
            let r = county_ratings.iter().find(|r| r.indicator == t.code);
            let title = r.map(|r| r.title.clone()).unwrap_or_default();
            Some(project_one(&t.code, &title, r.and_then(|r| r.forecast), &terms, s, &t.theme))
        })
        .collect()
}

pub fn project_one(
    code: &str,
    title: &str,
    forecast: Option<f64>,
    terms: &RewardTerms,
    s: &RewardSettings,
    theme: &str,
) -> Projection {
    let raw = forecast.map_or(0.0, |f| share_of_stretch(terms, f));
    let achievement = raw.clamp(0.0, s.cap.min(1.0)) + 0.0; // + 0.0 turns -0 into 0
    let projected = grant_for(terms, achievement, s);
    let eps = 1e-9;
    let rag = match forecast {
        None => Rag::Grey,
        Some(_) if achievement + eps < s.threshold => Rag::Red,
        Some(_) if achievement + eps < 1.0 => Rag::Amber,
        Some(_) => Rag::Green,
    };
    let span = terms.stretch_target - terms.performance_without_reward;
    let trigger = terms.performance_without_reward + s.threshold * span;
    // distance in the good direction: positive while short
    let short_of = |goal: f64| forecast.map(|f| ((goal - f) * span.signum()).max(0.0));
    let at_trigger = (terms.max_grant * if s.pro_rata { s.threshold } else { 0.0 } - projected).max(0.0);
    let at_stretch = (grant_for(terms, 1.0, s) - projected).max(0.0);
    let reason = match forecast {
        None => "no forecast: no value yet".to_string(),
        Some(f) => format!(
            "forecast {} reaches {:.0}% of the stretch from {} to {} (threshold {:.0}%)",
            crate::domain::numbers::format_number((f * 100.0).round() / 100.0),
            raw * 100.0,
            crate::domain::numbers::format_number(terms.performance_without_reward),
            crate::domain::numbers::format_number(terms.stretch_target),
            s.threshold * 100.0
        ),
    };
    Projection {
        indicator: code.to_string(),
        title: title.to_string(),
        theme: theme.to_string(),
        performance_without_reward: terms.performance_without_reward,
        stretch_target: terms.stretch_target,
        max_grant: terms.max_grant,
        forecast,
        achievement,
        projected_grant: projected,
        grant_at_risk: terms.max_grant - projected,
        rating: rag,
        trigger_value: trigger,
        distance_to_trigger: short_of(trigger),
        distance_to_stretch: short_of(terms.stretch_target),
        grant_recovered_at_trigger: at_trigger,
        grant_recovered_at_stretch: at_stretch,
        reason,
    }
}

/// Totals of a set of projections.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Totals {
    pub targets: usize,
    pub max_grant: f64,
    pub projected_grant: f64,
    pub grant_at_risk: f64,
}

pub fn totals<'a>(ps: impl IntoIterator<Item = &'a Projection>) -> Totals {
    ps.into_iter().fold(Totals::default(), |mut t, p| {
        t.targets += 1;
        t.max_grant += p.max_grant;
        t.projected_grant += p.projected_grant;
        t.grant_at_risk += p.grant_at_risk;
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> RewardTerms {
        RewardTerms { performance_without_reward: 100.0, stretch_target: 200.0, max_grant: 1000.0 }
    }

    fn at(outturn: f64) -> Projection {
        project_one("NI 154", "Net additional homes", Some(outturn), &terms(), &RewardSettings::default(), "economy")
    }

    #[test]
    fn threshold_pro_rata_and_cap() {
        assert_eq!(at(159.9).projected_grant, 0.0);
        assert!((at(160.0).projected_grant - 600.0).abs() < 1e-6);
        assert!((at(180.0).projected_grant - 800.0).abs() < 1e-6);
        assert_eq!(at(200.0).projected_grant, 1000.0);
        assert_eq!(at(250.0).projected_grant, 1000.0);
        assert_eq!(at(50.0).achievement, 0.0);
        assert_eq!(at(159.9).grant_at_risk, 1000.0);
        assert_eq!(
            (at(159.9).rating, at(160.0).rating, at(199.9).rating, at(200.0).rating),
            (Rag::Red, Rag::Amber, Rag::Amber, Rag::Green)
        );
        // the trigger and what reaching it would recover
        let p = at(150.0);
        assert_eq!(p.trigger_value, 160.0);
        assert_eq!(p.distance_to_trigger, Some(10.0));
        assert_eq!(p.distance_to_stretch, Some(50.0));
        assert!((p.grant_recovered_at_trigger - 600.0).abs() < 1e-6);
        assert_eq!(p.grant_recovered_at_stretch, 1000.0);
        assert_eq!(at(170.0).distance_to_trigger, Some(0.0));
        let none = project_one("NI 154", "", None, &terms(), &RewardSettings::default(), "economy");
        assert_eq!((none.rating, none.projected_grant), (Rag::Grey, 0.0));
    }

    #[test]
    fn lower_is_better_stretch() {
        let t = RewardTerms { performance_without_reward: 12.0, stretch_target: 11.0, max_grant: 500.0 };
        assert!((share_of_stretch(&t, 11.4) - 0.6).abs() < 1e-9);
        assert_eq!(share_of_stretch(&t, 12.5).clamp(0.0, 1.0), 0.0);
        let s = RewardSettings::default();
        assert!((grant_for(&t, share_of_stretch(&t, 11.4), &s) - 300.0).abs() < 1e-6);
    }

    #[test]
    fn all_or_nothing_when_not_pro_rata() {
        let s = RewardSettings { pro_rata: false, ..RewardSettings::default() };
        assert_eq!(grant_for(&terms(), 0.9, &s), 0.0);
        assert_eq!(grant_for(&terms(), 1.0, &s), 1000.0);
    }
}
