//! Hand-worked cases from the published rule (datasets/reference/reward-rules.md), to the penny.
// amounts in pence are written pounds_pp (672_000_00 is £672,000.00)
#![allow(clippy::inconsistent_digit_grouping)]

use super::*;
use crate::assess::series::Point;
use crate::domain::catalogue::{Frequency, Polarity};
use crate::store::values::{NONE, Src};

fn terms() -> RewardTerms {
    RewardTerms {
        performance_without_reward: 100.0,
        stretch_target: 200.0,
        max_grant: Some(1000.0),
        ..Default::default()
    }
}

fn at(outturn: f64) -> Projection {
    at_with(outturn, &terms(), &RewardSettings::default())
}

fn at_with(outturn: f64, t: &RewardTerms, s: &RewardSettings) -> Projection {
    let o = Outlook {
        forecast: Some(outturn),
        assessed_year: "2010/11".into(),
        assessed_forecast: Some(outturn),
        method: "given".into(),
        interim: None,
    };
    project_one(
        "NI 154",
        "Net additional homes",
        "economy",
        &o,
        t,
        t.max_grant.unwrap_or(0.0),
        s,
        &Schedule::after(2010),
    )
}

fn cents(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

#[test]
fn threshold_pro_rata_and_cap() {
    assert_eq!(at(159.9).projected_grant, 0.0);
    assert_eq!(cents(at(160.0).projected_grant), 600_00);
    assert_eq!(cents(at(180.0).projected_grant), 800_00);
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
    assert_eq!(cents(p.grant_recovered_at_trigger), 600_00);
    assert_eq!(p.grant_recovered_at_stretch, 1000.0);
    assert_eq!(at(170.0).distance_to_trigger, Some(0.0));
    let o = Outlook { assessed_year: "2010/11".into(), method: "no outturn yet".into(), ..Outlook::default() };
    let none =
        project_one("NI 154", "", "economy", &o, &terms(), 1000.0, &RewardSettings::default(), &Schedule::after(2010));
    assert_eq!((none.rating, none.projected_grant), (Rag::Grey, 0.0));
}

#[test]
fn the_sixty_percent_trigger_of_published_papers() {
    // Cambridgeshire LPSA (2006): footways (lower is better) trigger 21.45 with target 19.85, and
    // bus journeys trigger 54,624 with target 56,000; without = (trigger − 0.6 × target) ÷ 0.4
    let footways = RewardTerms {
        performance_without_reward: 23.85,
        stretch_target: 19.85,
        max_grant: Some(1.0),
        ..Default::default()
    };
    assert_eq!(cents(at_with(10.96, &footways, &RewardSettings::default()).trigger_value), 21_45);
    let buses = RewardTerms {
        performance_without_reward: 52_560.0,
        stretch_target: 56_000.0,
        max_grant: Some(1.0),
        ..Default::default()
    };
    let p = at_with(53_964.0, &buses, &RewardSettings::default());
    assert_eq!(cents(p.trigger_value), 54_624_00);
    // 53,964 is 1,404 of the 3,440 enhancement: 40.8%, below the 60% floor, so nothing
    assert_eq!((cents(p.achievement * 1000.0), p.projected_grant), (408_14, 0.0));
}

#[test]
fn lower_is_better_stretch() {
    let t = RewardTerms {
        performance_without_reward: 12.0,
        stretch_target: 11.0,
        max_grant: Some(500.0),
        ..Default::default()
    };
    assert!((share_of_stretch(&t, 11.4) - 0.6).abs() < 1e-9);
    assert_eq!(share_of_stretch(&t, 12.5).clamp(0.0, 1.0), 0.0);
    let s = RewardSettings::default();
    assert_eq!(cents(grant_for(500.0, share_of_stretch(&t, 11.4), &s)), 300_00);
}

#[test]
fn all_or_nothing_when_not_pro_rata() {
    let s = RewardSettings { pro_rata: false, ..RewardSettings::default() };
    assert_eq!(grant_for(1000.0, 0.9, &s), 0.0);
    assert_eq!(grant_for(1000.0, 1.0, &s), 1000.0);
}

fn homes() -> Indicator {
    Indicator {
        code: "NI 154".into(),
        title: "Net additional homes provided".into(),
        theme: "x".into(),
        polarity: Polarity::Higher,
        unit: "number".into(),
        frequency: Frequency::Quarterly,
        measure_type: Measure::Cumulative,
        aggregation: None,
    }
}

fn series(points: &[(&str, f64)]) -> Points {
    points
        .iter()
        .map(|(p, v)| {
            let point = Point::cell(*v, Src { file: 0, sheet: NONE, cell: 0 });
            (p.parse().unwrap(), point)
        })
        .collect()
}

/// NI 154 as the demo has it: 3,020 homes in 2008/09 (Q4 year to date), 1,520 by 2009/10 Q2.
fn ni154_outlook(t: &RewardTerms, s: &RewardSettings, rs: &RatingSettings) -> Outlook {
    let data =
        series(&[("2008/09 Q2", 1_480.0), ("2008/09 Q4", 3_020.0), ("2009/10 Q1", 760.0), ("2009/10 Q2", 1_520.0)]);
    outlook(&homes(), rs, s, &data, "2009/10 Q2".parse().unwrap(), &[2008, 2009, 2010], t)
}

fn ni154_terms() -> RewardTerms {
    RewardTerms {
        performance_without_reward: 2_900.0,
        stretch_target: 3_150.0,
        max_grant: Some(800_000.0),
        ..Default::default()
    }
}

fn project_ni154(t: &RewardTerms, s: &RewardSettings) -> Projection {
    let o = ni154_outlook(t, s, &RatingSettings::default());
    project_one("NI 154", "", "economy", &o, t, t.max_grant.unwrap(), s, &Schedule::after(2010))
}

#[test]
fn reward_is_assessed_on_the_final_year_projected_from_the_outturns() {
    let s = RewardSettings::default();
    let p = project_ni154(&ni154_terms(), &s);
    // this year: 1,520 × 4/2 = 3,040; the trend through 3,020 (2008/09) and 3,040 reaches 3,060 in 2010/11
    assert_eq!(p.forecast, Some(3_040.0));
    assert_eq!(p.assessed_year, "2010/11");
    assert_eq!(cents(p.assessed_forecast.unwrap()), 3_060_00);
    // (3,060 − 2,900) ÷ (3,150 − 2,900) = 0.64 → 0.64 × £800,000 = £512,000.00
    assert_eq!(cents(p.achievement * 100.0), 64_00);
    assert_eq!(cents(p.projected_grant), 512_000_00);
    assert_eq!(cents(p.grant_at_risk), 288_000_00);
    assert!(p.reason.starts_with("assessed on 2010/11: 2010/11 projected at 3,060 by the trend of 2 yearly outturns (2008/09 3,020 outturn; 2009/10 3,040 forecast)"), "{}", p.reason);
    // paid in two equal instalments after the agreement ends, half capital and half revenue
    let pays: Vec<(String, &str, i64, i64)> =
        p.payments.iter().map(|x| (x.year.to_string(), x.what, cents(x.amount), cents(x.capital))).collect();
    assert_eq!(
        pays,
        [
            ("2011/12".to_string(), "first instalment", 256_000_00, 128_000_00),
            ("2012/13".to_string(), "second instalment", 256_000_00, 128_000_00)
        ]
    );
    // the LPSA-style current-year view: this year's forecast, 3,040 → 56% → nothing
    let now = project_ni154(&ni154_terms(), &RewardSettings { assess_on: AssessOn::CurrentYear, ..s.clone() });
    assert_eq!(
        (now.assessed_year.as_str(), now.assessed_forecast, now.projected_grant),
        ("2009/10", Some(3_040.0), 0.0)
    );
    assert_eq!(now.reason.split(':').next(), Some("assessed on 2009/10"));
    // a row naming another year; a snapshot measure under the latest-value setting carries it forward
    let y2009 = project_ni154(&RewardTerms { assessed: Some(Assessed::Year(2009)), ..ni154_terms() }, &s);
    assert_eq!((y2009.assessed_year.as_str(), y2009.assessed_forecast), ("2009/10", Some(3_040.0)));
    let snapshot = Indicator { measure_type: Measure::Snapshot, ..homes() };
    let data = series(&[("2008/09 Q4", 40.0), ("2009/10 Q2", 46.0)]);
    let o = outlook(
        &snapshot,
        &RatingSettings::default(),
        &s,
        &data,
        "2009/10 Q2".parse().unwrap(),
        &[2008, 2009, 2010],
        &ni154_terms(),
    );
    assert_eq!(o.assessed_forecast, Some(46.0));
    assert!(o.method.contains("the latest forecast (2009/10) carried forward"), "{}", o.method);
}

#[test]
fn a_cumulative_target_sums_the_three_years() {
    // 3,020 + 3,040 + 3,060 = 9,120 against a three-year stretch from 8,700 to 9,200:
    // 420 ÷ 500 = 84% of £600,000 = £504,000.00
    let t = RewardTerms {
        performance_without_reward: 8_700.0,
        stretch_target: 9_200.0,
        max_grant: Some(600_000.0),
        assessed: Some(Assessed::Cumulative),
        ..Default::default()
    };
    let p = project_ni154(&t, &RewardSettings::default());
    assert_eq!(p.assessed_year, "2008/09 to 2010/11 cumulative");
    assert_eq!(cents(p.assessed_forecast.unwrap()), 9_120_00);
    assert_eq!(cents(p.projected_grant), 504_000_00);
}

#[test]
fn interim_payment_reduction_and_parking() {
    // interim level 3,000 for 2009/10, forecast 3,040: one fifth of £800,000 = £160,000 paid in
    // 2010/11, netted off the final £512,000: £176,000 in each instalment
    let t = RewardTerms { interim_level: Some(3_000.0), ..ni154_terms() };
    let s = RewardSettings::default();
    let p = project_ni154(&t, &s);
    assert_eq!(p.interim_reached, Some(true));
    assert_eq!(
        p.payments.iter().map(|x| (x.what, cents(x.amount))).collect::<Vec<_>>(),
        [("interim", 160_000_00), ("first instalment", 176_000_00), ("second instalment", 176_000_00)]
    );
    assert_eq!(cents(p.projected_grant), 512_000_00);
    assert!(p.reason.contains("interim level 3,000 for 2009/10 reached (3,040)"), "{}", p.reason);
    // not reached at 3,050
    let missed = project_ni154(&RewardTerms { interim_level: Some(3_050.0), ..ni154_terms() }, &s);
    assert_eq!((missed.interim_reached, missed.payment("interim")), (Some(false), 0.0));
    // June 2010: reward grant cut by half in-year; every payment from 2010/11 on is halved
    let cut = RewardSettings { reduction: 0.5, reduction_from: Some("2010-06-01".into()), ..s.clone() };
    let p = project_ni154(&t, &cut);
    assert_eq!(
        p.payments.iter().map(|x| (x.what, cents(x.amount))).collect::<Vec<_>>(),
        [("interim", 80_000_00), ("first instalment", 88_000_00), ("second instalment", 88_000_00)]
    );
    assert_eq!(
        (cents(p.projected_grant), cents(p.reduction), cents(p.earned_grant)),
        (256_000_00, 256_000_00, 512_000_00)
    );
    // a cut from 2012-01-01 spares the interim (2010/11) and falls on both instalments (2011/12 ends in March 2012)
    let late = RewardSettings { reduction: 0.5, reduction_from: Some("2012-01-01".into()), ..s.clone() };
    assert_eq!(cents(project_ni154(&t, &late).projected_grant), 160_000_00 + 176_000_00);
    // parked targets are listed but not counted
    let parked = project_ni154(&RewardTerms { status: RewardStatus::Parked, ..ni154_terms() }, &s);
    assert_eq!(parked.rating, Rag::Grey);
    assert!(parked.reason.starts_with("parked for renegotiation"));
    let withdrawn = project_ni154(&RewardTerms { status: RewardStatus::Withdrawn, ..ni154_terms() }, &s);
    assert_eq!((withdrawn.rating, withdrawn.parked, withdrawn.status), (Rag::Grey, true, RewardStatus::Withdrawn));
    assert!(withdrawn.reason.starts_with("withdrawn from the agreement, so not in the totals"));
    let live = project_ni154(&ni154_terms(), &s);
    let tt = totals([&parked, &live, &withdrawn]);
    assert_eq!(
        (tt.targets, tt.parked, tt.withdrawn, cents(tt.max_grant), cents(tt.projected_grant)),
        (1, 1, 1, 800_000_00, 512_000_00)
    );
    assert_eq!(tt.by_year.len(), 2);
    assert_eq!(cents(tt.by_year[0].1), 128_000_00);
}

#[test]
fn an_equal_share_of_the_pot_without_a_maximum() {
    // Isle of Wight LPSA1: 2.5% of £132,993,000 = £3,324,825, shared by (here) 5 targets: £664,965.00 each
    let ws = {
        let mut settings: crate::workspace::Settings = toml::from_str(crate::workspace::TEMPLATE_SETTINGS).unwrap();
        settings.reward.net_budget = Some(132_993_000.0);
        Workspace::new(".".into(), settings)
    };
    let target = |i: usize| crate::workspace::agreement::Target {
        code: format!("NI {}", 150 + i),
        kind: crate::workspace::agreement::Kind::Designated,
        theme: "x".into(),
        baseline: None,
        baseline_year: None,
        targets: BTreeMap::new(),
        reward: Some(RewardTerms { max_grant: None, ..ni154_terms() }),
        tolerance: None,
        band: None,
        owed_by: None,
        owed_for: Default::default(),
        loc: crate::sheet::Loc { file: "".into(), sheet: None, cell: String::new() },
    };
    let agreement = Agreement { targets: (0..5).map(target).collect() };
    let ind = homes();
    let data = series(&[("2008/09 Q4", 3_020.0), ("2009/10 Q2", 1_520.0)]);
    let lookup = |_: &str| Some((&ind, &data));
    let cx = Context {
        ws: &ws,
        agreement: &agreement,
        county_ratings: &[],
        lookup: &lookup,
        period: "2009/10 Q2".parse().unwrap(),
    };
    let ps = project(&cx);
    assert_eq!(ps.len(), 5);
    assert!(ps.iter().all(|p| cents(p.max_grant) == 664_965_00), "{:?}", ps[0].max_grant);
    assert!(ps[0].max_grant_basis.starts_with("equal share of the pot"));
    // 64% of £664,965 = £425,577.60
    assert_eq!(cents(ps[0].projected_grant), 425_577_60);
}
