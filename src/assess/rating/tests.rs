//! Hand-computed cases for each measure type and polarity, at and around the tolerance.

use super::*;
use crate::assess::series::Point;
use crate::sheet::Loc;
use crate::workspace::agreement::RewardTerms;
use crate::workspace::{RewardSettings, Settings, TEMPLATE_SETTINGS};

pub(crate) fn ind(polarity: Polarity, measure: Measure, frequency: Frequency, unit: &str) -> Indicator {
    Indicator {
        code: "NI 1".into(),
        title: "t".into(),
        theme: "x".into(),
        polarity,
        unit: unit.into(),
        frequency,
        measure_type: measure,
        aggregation: None,
    }
}

fn p(s: &str) -> Period {
    s.parse().unwrap()
}

fn point(v: f64) -> Point {
    Point::cell(v, crate::store::values::Src { file: 0, sheet: crate::store::values::NONE, cell: 0 })
}

pub(crate) fn series(vals: &[(&str, f64)]) -> Points {
    vals.iter().map(|(s, v)| (p(s), point(*v))).collect()
}

fn rate(i: &Indicator, vals: &[(&str, f64)], at: &str, target: f64) -> (Rag, String, Forecast) {
    let s = RatingSettings::default();
    let f = forecast(i, &s, &series(vals), p(at)).expect("a forecast");
    let (rag, reason) = judge(i, &f, target, s.tolerance, s.tolerance_kind);
    (rag, reason, f)
}

#[test]
fn snapshot_higher_is_better_around_the_tolerance() {
    let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
    let (rag, reason, _) = rate(&i, &[("2009/10 Q2", 61.2)], "2009/10 Q2", 65.0);
    assert_eq!(rag, Rag::Red);
    assert_eq!(reason, "forecast 61.2% vs target 65%: 5.8% short, tolerance 5%");
    assert_eq!(rate(&i, &[("2009/10 Q2", 95.0)], "2009/10 Q2", 100.0).0, Rag::Amber, "exactly at the tolerance");
    assert_eq!(rate(&i, &[("2009/10 Q2", 95.01)], "2009/10 Q2", 100.0).0, Rag::Amber, "just inside");
    assert_eq!(rate(&i, &[("2009/10 Q2", 94.99)], "2009/10 Q2", 100.0).0, Rag::Red, "just outside");
    assert_eq!(rate(&i, &[("2009/10 Q2", 100.0)], "2009/10 Q2", 100.0).0, Rag::Green, "at target");
    let (rag, reason, _) = rate(&i, &[("2009/10 Q2", 96.0)], "2009/10 Q2", 100.0);
    assert_eq!((rag, reason.as_str()), (Rag::Amber, "forecast 96% vs target 100%: 4% short, within tolerance 5%"));
}

#[test]
fn snapshot_lower_is_better_around_the_tolerance() {
    let i = ind(Polarity::Lower, Measure::Snapshot, Frequency::Quarterly, "rate per 1,000");
    assert_eq!(rate(&i, &[("2009/10 Q1", 10.5)], "2009/10 Q1", 10.0).0, Rag::Amber);
    assert_eq!(rate(&i, &[("2009/10 Q1", 10.51)], "2009/10 Q1", 10.0).0, Rag::Red);
    assert_eq!(rate(&i, &[("2009/10 Q1", 10.49)], "2009/10 Q1", 10.0).0, Rag::Amber);
    let (rag, reason, _) = rate(&i, &[("2009/10 Q1", 9.0)], "2009/10 Q1", 10.0);
    assert_eq!(
        (rag, reason.as_str()),
        (Rag::Green, "forecast 9 per 1,000 vs target 10 per 1,000: on or beyond target")
    );
}

#[test]
fn absolute_tolerance() {
    let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
    let f = Forecast { value: 63.0, value_period: p("2009/10 Q2"), target_year: 2009, due: true, note: String::new() };
    assert_eq!(judge(&i, &f, 65.0, 2.0, ToleranceKind::Absolute).0, Rag::Amber);
    assert_eq!(judge(&i, &f, 65.0, 1.99, ToleranceKind::Absolute).0, Rag::Red);
    assert!(judge(&i, &f, 65.0, 2.0, ToleranceKind::Absolute).1.ends_with("within tolerance 2%"));
}

#[test]
fn cumulative_year_to_date_is_scaled_by_the_year_elapsed() {
    let i = ind(Polarity::Higher, Measure::Cumulative, Frequency::Quarterly, "number");
    let (rag, _, f) = rate(&i, &[("2009/10 Q1", 20.0), ("2009/10 Q2", 50.0)], "2009/10 Q2", 100.0);
    assert_eq!((f.value, rag), (100.0, Rag::Green));
    assert_eq!(f.note, "year to date scaled by 2/4");
    let (rag, _, f) = rate(&i, &[("2009/10 Q1", 20.0)], "2009/10 Q1", 100.0);
    assert_eq!((f.value, rag), (80.0, Rag::Red));
    let (_, _, f) = rate(&i, &[("2009/10 Q3", 72.0)], "2009/10 Q3", 100.0);
    assert_eq!(f.value, 96.0);
    let (_, _, f) = rate(&i, &[("2009/10 Q4", 99.0)], "2009/10 Q4", 100.0);
    assert_eq!(f.value, 99.0);
}

#[test]
fn cumulative_with_a_seasonal_profile() {
    let i = ind(Polarity::Higher, Measure::Cumulative, Frequency::Quarterly, "number");
    let s = RatingSettings { cumulative_forecast: CumulativeForecast::Seasonal, ..RatingSettings::default() };
    let vals = series(&[("2008/09 Q2", 40.0), ("2008/09 Q4", 100.0), ("2009/10 Q2", 44.0)]);
    let f = forecast(&i, &s, &vals, p("2009/10 Q2")).unwrap();
    assert!((f.value - 110.0).abs() < 1e-9);
    // without last year's figures it falls back to linear scaling
    let f = forecast(&i, &s, &series(&[("2009/10 Q2", 44.0)]), p("2009/10 Q2")).unwrap();
    assert_eq!(f.value, 88.0);
}

#[test]
fn rolling_uses_the_latest_value_and_trend_extrapolates() {
    let i = ind(Polarity::Lower, Measure::Rolling, Frequency::Quarterly, "%");
    let vals = [("2009/10 Q1", 9.0), ("2009/10 Q2", 8.5)];
    assert_eq!(rate(&i, &vals, "2009/10 Q2", 8.0).2.value, 8.5);
    let snap = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
    let s = RatingSettings { forecast: ForecastMethod::Trend, ..RatingSettings::default() };
    let vals = series(&[("2008/09 Q3", 10.0), ("2008/09 Q4", 12.0), ("2009/10 Q1", 14.0), ("2009/10 Q2", 16.0)]);
    let f = forecast(&snap, &s, &vals, p("2009/10 Q2")).unwrap();
    assert!((f.value - 20.0).abs() < 1e-9, "two more quarters of +2: {}", f.value);
    assert!(f.note.contains("trend of the last 4 quarters"));
}

#[test]
fn missing_quarters_and_no_data() {
    let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
    let (_, _, f) = rate(&i, &[("2009/10 Q1", 70.0)], "2009/10 Q3", 65.0);
    assert_eq!(f.value_period, p("2009/10 Q1"));
    assert_eq!(f.note, "latest value is for 2009/10 Q1");
    // last year's values do not forecast this year
    assert!(forecast(&i, &RatingSettings::default(), &series(&[("2008/09 Q4", 70.0)]), p("2009/10 Q1")).is_none());
}

#[test]
fn annual_indicators_use_their_last_result_and_are_not_due() {
    let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Annual, "rate per 10,000");
    let vals = series(&[("2007/08", 60.0), ("2008/09", 57.0)]);
    let f = forecast(&i, &RatingSettings::default(), &vals, p("2009/10 Q2")).unwrap();
    assert_eq!((f.value, f.value_period, f.due), (57.0, p("2008/09"), false));
    let acad = ind(Polarity::Higher, Measure::Snapshot, Frequency::Academic, "%");
    let vals = series(&[("AY 2008/09", 50.1)]);
    let f = forecast(&acad, &RatingSettings::default(), &vals, p("2009/10 Q2")).unwrap();
    assert_eq!((f.value_period, f.due), (p("AY 2008/09"), false));
    let f = forecast(&acad, &RatingSettings::default(), &vals, p("2008/09 Q4")).unwrap();
    assert_eq!((f.value_period, f.due), (p("AY 2008/09"), true));
}

#[test]
fn no_polarity_is_grey_with_a_reason() {
    let i = ind(Polarity::None, Measure::Snapshot, Frequency::Quarterly, "number");
    let (rag, reason, _) = rate(&i, &[("2009/10 Q2", 430.0)], "2009/10 Q2", 450.0);
    assert_eq!(rag, Rag::Grey);
    assert!(reason.contains("no polarity"));
}

#[test]
fn no_polarity_with_a_target_band() {
    let i = ind(Polarity::None, Measure::Snapshot, Frequency::Quarterly, "number");
    let f = |v: f64| Forecast {
        value: v,
        value_period: p("2009/10 Q2"),
        target_year: 2009,
        due: true,
        note: String::new(),
    };
    let band = (400.0, 500.0);
    let judge = |v: f64| judge_band(&i, &f(v), band, 0.05, ToleranceKind::Relative);
    assert_eq!(judge(450.0), (Rag::Green, "forecast 450 vs target band 400 to 500: within the band".to_string()));
    assert_eq!(judge(400.0).0, Rag::Green);
    assert_eq!(
        judge(525.0),
        (Rag::Amber, "forecast 525 vs target band 400 to 500: 25 above the band, within tolerance 5%".to_string())
    );
    assert_eq!(judge(525.01).0, Rag::Red);
    assert_eq!(judge(380.0).0, Rag::Amber, "20 below 400 is exactly 5%");
    assert_eq!(judge(379.0).0, Rag::Red);
}

#[test]
fn direction_of_travel_is_polarity_aware() {
    let s = RatingSettings::default();
    let higher = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
    let lower = ind(Polarity::Lower, Measure::Snapshot, Frequency::Quarterly, "%");
    let vals = series(&[("2008/09 Q2", 50.0), ("2009/10 Q1", 52.0), ("2009/10 Q2", 55.0)]);
    let at = Some(p("2009/10 Q2"));
    assert_eq!(direction(&higher, &vals, at, |p| p.year_earlier(), &s), Some(Direction::Improving));
    assert_eq!(direction(&lower, &vals, at, |p| p.year_earlier(), &s), Some(Direction::Worsening));
    let flat = series(&[("2008/09 Q2", 50.0), ("2009/10 Q2", 50.4)]);
    assert_eq!(direction(&higher, &flat, at, |p| p.year_earlier(), &s), Some(Direction::NoChange));
    assert_eq!(direction(&higher, &series(&[("2009/10 Q2", 1.0)]), at, |p| p.year_earlier(), &s), None);
}

#[test]
fn probability_from_the_trend_or_too_few_points() {
    let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
    let s = RatingSettings::default();
    let vals = series(&[("2008/09 Q3", 10.0), ("2008/09 Q4", 12.5), ("2009/10 Q1", 13.5), ("2009/10 Q2", 16.0)]);
    let f = forecast(&i, &s, &vals, p("2009/10 Q2")).unwrap();
    let (prob, note, _) = probability(&i, &vals, p("2009/10 Q2"), &f, 19.0, &s);
    let prob = prob.unwrap();
    assert!(prob > 0.5 && prob < 1.0, "trend reaches ~19.75 at Q4: {prob}");
    assert!(note.contains("4 quarters"));
    let (hi, _, _) = probability(&i, &vals, p("2009/10 Q2"), &f, 10.0, &s);
    assert!(hi.unwrap() > 0.99);
    let short = series(&[("2009/10 Q1", 13.5), ("2009/10 Q2", 16.0)]);
    let (none, note, _) = probability(&i, &short, p("2009/10 Q2"), &f, 19.0, &s);
    assert_eq!(none, None);
    assert!(note.contains("too few quarters (2)"), "{note}");
    assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
    assert!((normal_cdf(1.96) - 0.975).abs() < 1e-4);
}

/// A small workspace: the template's county and one district, with ratings through `rate_all`.
fn workspace() -> Workspace {
    let settings: Settings = toml::from_str(TEMPLATE_SETTINGS).unwrap();
    Workspace::new(".".into(), settings)
}

fn record(ind: &str, area: &str, period: &str, value: f64, nd: Option<(f64, f64)>) -> crate::store::Record {
    crate::store::Record {
        obs: crate::ingest::returns::Observation {
            indicator: ind.into(),
            area: area.into(),
            period: p(period),
            value,
            numerator: nd.map(|x| x.0),
            denominator: nd.map(|x| x.1),
            commentary: None,
            action: None,
            self_rating: None,
            quality: None,
            loc: Loc { file: "r.csv".into(), sheet: None, cell: format!("B{}", value as i64) },
        },
        batch: 1,
        imported_at: String::new(),
    }
}

fn two_districts() -> Workspace {
    let mut settings = workspace().settings;
    settings.areas.push(crate::workspace::Area {
        code: "DIST2".into(),
        name: "Second".into(),
        county: false,
        aliases: vec![],
    });
    Workspace::new(".".into(), settings)
}

#[test]
fn county_values_are_summed_only_for_counts() {
    let ws = two_districts();
    let cat = Catalogue::shipped();
    let build =
        |recs: &[crate::store::Record]| Series::build(&ws, &cat, &crate::store::values::Values::from_records(recs));
    let q = "2009/10 Q2";
    // NI 154 (net additional homes) is a count: 120 + 230 = 350
    let homes = build(&[record("NI 154", "DIST1", q, 120.0, None), record("NI 154", "DIST2", q, 230.0, None)]);
    let c = &homes.get("NI 154", "COUNTY").unwrap()[&p(q)];
    assert_eq!(c.value, 350.0);
    assert_eq!(c.derivation(), Some("sum of 2 district values"));
    // NI 38 (drug-related offending) is a rate the reference called a number: never summed...
    let rate = build(&[record("NI 38", "DIST1", q, 1.2, None), record("NI 38", "DIST2", q, 0.8, None)]);
    assert!(rate.get("NI 38", "COUNTY").is_none(), "1.2 + 0.8 = 2.0 would be meaningless");
    assert!(rate.warnings[0].contains("rates are never summed"), "{:?}", rate.warnings);
    // ...but numerators and denominators make it: (30 + 10) ÷ (25 + 25) = 0.8
    let nd = build(&[
        record("NI 38", "DIST1", q, 1.2, Some((30.0, 25.0))),
        record("NI 38", "DIST2", q, 0.4, Some((10.0, 25.0))),
    ]);
    assert!((nd.get("NI 38", "COUNTY").unwrap()[&p(q)].value - 0.8).abs() < 1e-12);
    // an unknown unit is said, not guessed (NI 36 has none in the catalogue)
    let unknown = build(&[record("NI 36", "DIST1", q, 3.0, None), record("NI 36", "DIST2", q, 4.0, None)]);
    assert!(unknown.get("NI 36", "COUNTY").is_none());
    assert!(unknown.warnings[0].contains("unit is not known"), "{:?}", unknown.warnings);
    // a median (NI 166, earnings) is never made from districts, even with numerators
    let median = build(&[
        record("NI 166", "DIST1", q, 400.0, Some((400.0, 1.0))),
        record("NI 166", "DIST2", q, 500.0, Some((500.0, 1.0))),
    ]);
    assert!(median.get("NI 166", "COUNTY").is_none());
    assert!(median.warnings[0].contains("cannot be made from district values"), "{:?}", median.warnings);
}

/// An agreement of one reward target: NI 16, lower is better, 7 per 1,000 in 2009/10 (9 without reward).
fn ni16_agreement() -> Agreement {
    Agreement {
        targets: vec![Target {
            code: "NI 16".into(),
            kind: Kind::Designated,
            theme: "safer".into(),
            baseline: Some(5.0),
            baseline_year: None,
            targets: [(2009, 7.0)].into_iter().collect(),
            reward: Some(RewardTerms {
                performance_without_reward: 9.0,
                stretch_target: 7.0,
                max_grant: Some(1000.0),
                ..Default::default()
            }),
            tolerance: None,
            band: None,
            owed_by: None,
            owed_for: Default::default(),
            loc: Loc { file: "".into(), sheet: None, cell: String::new() },
        }],
    }
}

#[test]
fn county_from_district_numerators_and_denominators_and_overrides() {
    let cat = Catalogue::shipped();
    // NI 16 is a rate per 1,000: the county is Σnumerators ÷ Σdenominators, never a mean of rates
    let two = two_districts();
    let recs = [
        record("NI 16", "DIST1", "2009/10 Q2", 10.0, Some((100.0, 10_000.0))),
        record("NI 16", "DIST2", "2009/10 Q2", 2.0, Some((60.0, 30_000.0))),
    ];
    let current = crate::store::values::Values::from_records(&recs);
    let series = Series::build(&two, &cat, &current);
    let county = &series.get("NI 16", "COUNTY").unwrap()[&p("2009/10 Q2")];
    assert!((county.value - 4.0).abs() < 1e-9, "160 / 40,000 × 1,000 = 4, not the mean 6: {}", county.value);
    assert_eq!(county.sources().len(), 2);
    // a county value given in the return wins; a mismatch is a warning
    let mut recs2 = recs.to_vec();
    recs2.push(record("NI 16", "COUNTY", "2009/10 Q2", 4.5, None));
    let series2 = Series::build(&two, &cat, &crate::store::values::Values::from_records(&recs2));
    assert_eq!(series2.get("NI 16", "COUNTY").unwrap()[&p("2009/10 Q2")].value, 4.5);
    assert_eq!(series2.warnings.len(), 1, "{:?}", series2.warnings);
    assert!(series2.warnings[0].contains("differs"));
    // a district missing: no county value, and a warning
    let partial = Series::build(&two, &cat, &crate::store::values::Values::from_records(&[recs[0].clone()]));
    assert!(partial.get("NI 16", "COUNTY").is_none());
    assert!(partial.warnings[0].contains("1 of 2 districts"));
    // rates without numerators and denominators are not averaged into a county value
    let rates = [record("NI 16", "DIST1", "2009/10 Q2", 10.0, None), record("NI 16", "DIST2", "2009/10 Q2", 2.0, None)];
    let no_county = Series::build(&two, &cat, &crate::store::values::Values::from_records(&rates));
    assert!(no_county.get("NI 16", "COUNTY").is_none());
    assert!(no_county.warnings[0].contains("rates without numerators and denominators"), "{:?}", no_county.warnings);
    assert!(no_county.warnings[0].contains("never summed or averaged"), "{:?}", no_county.warnings);

    // ratings with an override beside the computed one
    let agreement = ni16_agreement();
    let ov = [Override {
        indicator: "NI 16".into(),
        area: "COUNTY".into(),
        period: p("2009/10 Q2"),
        rating: Rag::Amber,
        reason: "seasonal peak".into(),
        author: "A. Officer".into(),
        at: String::new(),
    }];
    let inputs = Inputs { ws: &two, catalogue: &cat, agreement: &agreement, series: &series, overrides: &ov };
    let ratings = rate_all(&inputs, p("2009/10 Q2"));
    let c = ratings.iter().find(|r| r.area == "COUNTY").unwrap();
    // cumulative: 4 at Q2 → forecast 8 per 1,000 against a target of 7 (lower is better): 14% over → red
    assert!((c.forecast.unwrap() - 8.0).abs() < 1e-9);
    assert_eq!(c.rating, Rag::Red);
    assert!(c.reason.contains("14.3% over, tolerance 5%"), "{}", c.reason);
    assert_eq!((c.override_rating, c.effective_rating), (Some(Rag::Amber), Rag::Amber));
    assert_eq!(c.override_author.as_deref(), Some("A. Officer"));
    assert_eq!(ratings.iter().filter(|r| r.area != "COUNTY").count(), 2, "each district with data is rated too");
    let county: Vec<Rating> = ratings.iter().filter(|r| r.area == "COUNTY").cloned().collect();
    let settings = Settings {
        reward: RewardSettings { assess_on: crate::workspace::AssessOn::CurrentYear, ..RewardSettings::default() },
        ..two.settings.clone()
    };
    let current_year = Workspace::new(".".into(), settings);
    let lookup = |code: &str| Some((cat.get(code)?, series.get(code, "COUNTY")?));
    let reward = crate::assess::reward::project(&crate::assess::reward::Context {
        ws: &current_year,
        agreement: &agreement,
        county_ratings: &county,
        lookup: &lookup,
        period: p("2009/10 Q2"),
    });
    // this year's forecast, 8 per 1,000, is beyond "without" (9 → 7: 50% of the stretch), below the 60% threshold
    assert!((reward[0].achievement - 0.5).abs() < 1e-9);
    assert_eq!((reward[0].projected_grant, reward[0].rating), (0.0, Rag::Red));
}

#[test]
fn raising_a_higher_is_better_actual_never_worsens_the_rating_or_grant() {
    let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
    let terms = RewardTerms {
        performance_without_reward: 40.0,
        stretch_target: 60.0,
        max_grant: Some(1000.0),
        ..Default::default()
    };
    let severity = |r: Rag| match r {
        Rag::Red => 0,
        Rag::Amber => 1,
        Rag::Green => 2,
        Rag::Grey => unreachable!(),
    };
    for target in [10.0, 50.0, 55.5, 90.0] {
        let mut last = (0, -1.0);
        for step in 0..=1000 {
            let v = step as f64 * 0.1;
            let (rag, _, f) = rate(&i, &[("2009/10 Q2", v)], "2009/10 Q2", target);
            let outlook = crate::assess::reward::Outlook {
                forecast: Some(f.value),
                assessed_forecast: Some(f.value),
                ..Default::default()
            };
            let grant = crate::assess::reward::project_one(
                "NI 1",
                "",
                "x",
                &outlook,
                &terms,
                1000.0,
                &RewardSettings::default(),
                &crate::assess::reward::Schedule::after(2010),
            )
            .projected_grant;
            let now = (severity(rag), grant);
            assert!(now.0 >= last.0 && now.1 >= last.1, "target {target}: {v} gave {now:?} after {last:?}");
            last = now;
        }
    }
}

/// A target of theme "x" with these targets and nothing else.
fn plain_target(code: &str, targets: [(i32, f64); 3]) -> Target {
    Target {
        code: code.into(),
        kind: Kind::Designated,
        theme: "x".into(),
        baseline: None,
        baseline_year: None,
        targets: targets.into_iter().collect(),
        reward: None,
        tolerance: None,
        band: None,
        owed_by: None,
        owed_for: Default::default(),
        loc: Loc { file: "".into(), sheet: None, cell: String::new() },
    }
}

#[test]
fn annual_indicators_between_results_show_what_happened_and_the_risk() {
    let cat = Catalogue::shipped();
    let target = |code: &str, targets: [(i32, f64); 3]| plain_target(code, targets);
    // NI 4 (Place Survey, biennial): the autumn 2008 survey (2008/09) was due by 30 June 2009, so
    // at 2009/10 Q2 it is between results: 27.2% against its own year's 30% → 9.3% short, red;
    // the risk to the next survey, 2010/11, is apart: 27.2% against 32% → 15% short, red.
    // NI 72 (academic year): the AY 2008/09 result is due by 30 September 2009, in the quarter
    // rated: this quarter's outcome, 50.5% against its own year's 52% → 2.9% short, amber.
    let agreement = Agreement {
        targets: vec![
            target("NI 4", [(2008, 30.0), (2009, 31.0), (2010, 32.0)]),
            target("NI 72", [(2008, 52.0), (2009, 55.0), (2010, 58.0)]),
        ],
    };
    let recs = [record("NI 4", "COUNTY", "2008/09", 27.2, None), record("NI 72", "COUNTY", "AY 2008/09", 50.5, None)];
    let values = crate::store::values::Values::from_records(&recs);
    let rate_with = |between: crate::workspace::BetweenResults| {
        let mut settings = workspace().settings;
        settings.rating.between_results = between;
        let ws = Workspace::new(".".into(), settings);
        let series = Series::build(&ws, &cat, &values);
        let inputs = Inputs { ws: &ws, catalogue: &cat, agreement: &agreement, series: &series, overrides: &[] };
        rate_all(&inputs, p("2009/10 Q2"))
    };
    let by_last = rate_with(crate::workspace::BetweenResults::LastResult);
    let ni4 = &by_last[0];
    assert!(!ni4.due);
    assert_eq!((ni4.rating, ni4.target, ni4.target_period), (Rag::Red, Some(30.0), Some(p("2008/09"))));
    assert_eq!(ni4.reason, "between results: the 2008/09 result 27.2% vs target 30%: 9.3% short, tolerance 5%");
    let last = ni4.last_result.as_ref().unwrap();
    assert_eq!((last.period, last.value, last.target, last.rating), (p("2008/09"), 27.2, Some(30.0), Rag::Red));
    let risk = ni4.risk.as_ref().unwrap();
    assert_eq!((risk.period, risk.target, risk.rating), (p("2010/11"), Some(32.0), Rag::Red));
    assert_eq!(risk.reason, "27.2% vs target 32%: 15% short, tolerance 5%");
    assert_eq!(ni4.next_due.as_deref(), Some("2010/11, due by 30 June 2011"));
    let ni72 = &by_last[1];
    assert!(ni72.due, "due in the quarter rated");
    assert_eq!((ni72.rating, ni72.target, ni72.target_period), (Rag::Amber, Some(52.0), Some(p("AY 2008/09"))));
    assert_eq!(ni72.reason, "the AY 2008/09 result 50.5% vs target 52%: 2.9% short, within tolerance 5%");
    assert!(ni72.risk.is_none() && ni72.last_result.is_none());
    // with between_results = "forecast" the headline is the risk, and its reason says so
    let by_forecast = rate_with(crate::workspace::BetweenResults::Forecast);
    assert_eq!((by_forecast[0].rating, by_forecast[0].target), (Rag::Red, Some(32.0)));
    assert!(
        by_forecast[0].reason.starts_with(
            "between results: the next result (2010/11) forecast at the 2008/09 result: 27.2% vs target 32%"
        ),
        "{}",
        by_forecast[0].reason
    );
    assert_eq!(by_forecast[1].rating, Rag::Amber, "a due result is rated as it is either way");
    let counts = crate::report::Counts::of(&by_last);
    assert_eq!((counts.red, counts.red_between_results, counts.amber), (1, 1, 1));
    // a reason never names a rating other than its own
    for r in by_last.iter().chain(&by_forecast) {
        let other = match r.rating {
            Rag::Red => ["(green)", "(amber)", "on or beyond target"].as_slice(),
            Rag::Amber => ["(green)", "(red)", "on or beyond target"].as_slice(),
            _ => &[],
        };
        assert!(other.iter().all(|w| !r.reason.contains(w)), "{} {}: {}", r.indicator, r.rating.name(), r.reason);
    }
    // the next result's due date
    assert_eq!(
        next_result(Frequency::Annual, p("2008/09")),
        (p("2009/10"), chrono::NaiveDate::from_ymd_opt(2010, 9, 30).unwrap())
    );
}
