//! Hand-calculated cases: each measure type × polarity, and each edge (met, impossible, no
//! data, no target, a bounded percentage).
use super::*;
// the rating tests' hand-made indicators and series
use crate::assess::rating::tests::{ind, series};

fn q(s: &str) -> Period {
    s.parse().unwrap()
}

#[test]
fn cumulative_higher_is_better() {
    // 2009/10: 300 by Q2 of a 1,000 target: 700 in two quarters, 350 a quarter; the best
    // quarter on record is 2008/09 Q3's 400 (550 − 150), so within reach
    let i = ind(Polarity::Higher, Measure::Cumulative, Frequency::Quarterly, "number");
    let s = series(&[
        ("2008/09 Q1", 100.0),
        ("2008/09 Q2", 150.0),
        ("2008/09 Q3", 550.0),
        ("2008/09 Q4", 700.0),
        ("2009/10 Q1", 120.0),
        ("2009/10 Q2", 300.0),
    ]);
    let n = needed(&i, &s, q("2009/10 Q2"), Some(1000.0), 50.0);
    assert_eq!(n.status, NeedStatus::Needed);
    assert_eq!((n.needed_total, n.needed_per_quarter, n.needed_for_amber), (Some(700.0), Some(350.0), Some(650.0)));
    assert_eq!((n.best_quarter, n.best_quarter_period), (Some(400.0), Some(q("2008/09 Q3"))));
    // amounts 100, 50, 400, 150, 120, 180: median (120 + 150) / 2
    assert_eq!(n.median_change, Some(135.0));
    assert_eq!(n.within_reach, Some(true));
    assert_eq!(n.reach_note, "needs 350 a quarter; 2008/09 Q3 managed 400; the median quarter 135: within reach");
    // needing more than the best quarter ever: not reached at any past rate
    let n = needed(&i, &s, q("2009/10 Q2"), Some(1200.0), 60.0);
    assert_eq!((n.needed_per_quarter, n.within_reach), (Some(450.0), Some(false)));
    assert!(n.reach_note.contains("the best quarter on record was 400 (2008/09 Q3)"), "{}", n.reach_note);
    assert!(n.reach_note.ends_with("not reached at any past rate"));
    // already there: met; the year over and short: no longer possible
    assert_eq!(needed(&i, &s, q("2009/10 Q2"), Some(250.0), 10.0).status, NeedStatus::Met);
    let n = needed(&i, &s, q("2008/09 Q4"), Some(800.0), 10.0);
    assert_eq!((n.status, n.summary.as_str()), (NeedStatus::Impossible, "no longer possible this year"));
}

#[test]
fn cumulative_lower_is_better() {
    // a ceiling of 100 for the year, 70 by Q3: at most 30 in Q4; a lowest quarter of 20
    let i = ind(Polarity::Lower, Measure::Cumulative, Frequency::Quarterly, "number");
    let s = series(&[("2009/10 Q1", 20.0), ("2009/10 Q2", 45.0), ("2009/10 Q3", 70.0)]);
    let n = needed(&i, &s, q("2009/10 Q3"), Some(100.0), 5.0);
    assert_eq!((n.needed_total, n.needed_per_quarter, n.needed_for_amber), (Some(30.0), Some(30.0), Some(35.0)));
    assert_eq!(
        (n.best_quarter, n.best_quarter_period, n.within_reach),
        (Some(20.0), Some(q("2009/10 Q1")), Some(true))
    );
    assert!(n.summary.starts_with("at most 30 a quarter"), "{}", n.summary);
    // over the ceiling already: it would need a negative amount
    let n = needed(&i, &s, q("2009/10 Q3"), Some(60.0), 3.0);
    assert_eq!(n.status, NeedStatus::Impossible);
    assert!(n.reach_note.contains("already past the year's 60"), "{}", n.reach_note);
    // the year over, within the ceiling: met
    let s4 = series(&[("2009/10 Q1", 20.0), ("2009/10 Q4", 90.0)]);
    assert_eq!(needed(&i, &s4, q("2009/10 Q4"), Some(100.0), 5.0).status, NeedStatus::Met);
}

#[test]
fn snapshot_and_rolling_by_polarity() {
    // higher: 60% at Q2, target 66%: +3 points a quarter; best change +2.5 (Q1): not reached
    let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Quarterly, "%");
    let s = series(&[("2009/10 Q1", 58.5), ("2009/10 Q2", 60.0)]);
    let s = {
        let mut s = s;
        s.insert(q("2008/09 Q4"), series(&[("2008/09 Q4", 56.0)])[&q("2008/09 Q4")].clone());
        s
    };
    let n = needed(&i, &s, q("2009/10 Q2"), Some(66.0), 3.3);
    assert_eq!((n.needed_total, n.needed_per_quarter), (Some(66.0), Some(3.0)));
    assert!((n.needed_for_amber.unwrap() - 62.7).abs() < 1e-9);
    assert_eq!(
        (n.best_quarter, n.best_quarter_period, n.within_reach),
        (Some(2.5), Some(q("2009/10 Q1")), Some(false))
    );
    assert_eq!(n.summary, "66% by Q4 (+3 a quarter)");
    // a percentage above 100 cannot be reached
    assert_eq!(needed(&i, &s, q("2009/10 Q2"), Some(101.0), 1.0).status, NeedStatus::Impossible);
    // lower, rolling: 12 at Q3, target 10: a fall of 2 in the one quarter left; best −2.5
    let i = ind(Polarity::Lower, Measure::Rolling, Frequency::Quarterly, "rate per 1,000");
    let s = series(&[("2009/10 Q1", 16.0), ("2009/10 Q2", 13.5), ("2009/10 Q3", 12.0)]);
    let n = needed(&i, &s, q("2009/10 Q3"), Some(10.0), 0.5);
    assert_eq!((n.needed_total, n.needed_per_quarter, n.needed_for_amber), (Some(10.0), Some(-2.0), Some(10.5)));
    assert_eq!((n.best_quarter, n.within_reach), (Some(-2.5), Some(true)));
    assert!(n.reach_note.starts_with("needs a fall of 2 a quarter; 2009/10 Q2 managed -2.5"), "{}", n.reach_note);
    // already below the target: met, hold it
    assert_eq!(needed(&i, &s, q("2009/10 Q3"), Some(12.5), 0.5).status, NeedStatus::Met);
}

#[test]
fn snapshot_lower_and_rolling_higher() {
    // snapshot, lower: 9.4 at Q1, target 8.5: a fall of 0.3 a quarter over three; the best
    // fall on record 0.4 (2008/09 Q4 from Q3): within reach; amber edge 8.5 + 0.425
    let i = ind(Polarity::Lower, Measure::Snapshot, Frequency::Quarterly, "rate per 1,000");
    let s = series(&[("2008/09 Q3", 10.0), ("2008/09 Q4", 9.6), ("2009/10 Q1", 9.4)]);
    let n = needed(&i, &s, q("2009/10 Q1"), Some(8.5), 0.425);
    assert_eq!((n.needed_total, n.needed_for_amber, n.quarters_left), (Some(8.5), Some(8.925), Some(3)));
    assert!((n.needed_per_quarter.unwrap() + 0.3).abs() < 1e-9);
    assert!((n.best_quarter.unwrap() + 0.4).abs() < 1e-9);
    assert_eq!((n.best_quarter_period, n.within_reach), (Some(q("2008/09 Q4")), Some(true)));
    // rolling, higher: 1,834 at Q2, target 1,900: +33 a quarter; best rise 20: not reached
    let i = ind(Polarity::Higher, Measure::Rolling, Frequency::Quarterly, "number");
    let s = series(&[("2009/10 Q1", 1814.0), ("2009/10 Q2", 1834.0)]);
    let n = needed(&i, &s, q("2009/10 Q2"), Some(1900.0), 95.0);
    assert_eq!((n.needed_total, n.needed_per_quarter, n.needed_for_amber), (Some(1900.0), Some(33.0), Some(1805.0)));
    assert_eq!((n.best_quarter, n.within_reach), (Some(20.0), Some(false)));
    assert_eq!(n.summary, "rolling value 1,900 by Q4 (+33 a quarter)");
}

#[test]
fn annual_lower_is_better() {
    // results 5.6 then 5.3; the next must be 5.0: a fall of 0.3, as the last one: within reach
    let i = ind(Polarity::Lower, Measure::Snapshot, Frequency::Academic, "%");
    let s = series(&[("AY 2007/08", 5.6), ("AY 2008/09", 5.3)]);
    let n = needed(&i, &s, q("2009/10 Q2"), Some(5.0), 0.25);
    assert_eq!((n.status, n.needed_total, n.needed_for_amber), (NeedStatus::Needed, Some(5.0), Some(5.25)));
    assert!((n.best_quarter.unwrap() + 0.3).abs() < 1e-9);
    assert_eq!((n.best_quarter_period, n.within_reach), (Some(q("AY 2008/09")), Some(true)));
    assert_eq!(needed(&i, &s, q("2009/10 Q2"), Some(4.5), 0.2).within_reach, Some(false));
}

#[test]
fn annual_results_need_their_next_result() {
    let i = ind(Polarity::Higher, Measure::Snapshot, Frequency::Annual, "%");
    let s = series(&[("2007/08", 70.0), ("2008/09", 73.0)]);
    let n = needed(&i, &s, q("2009/10 Q2"), Some(75.0), 3.75);
    assert_eq!((n.status, n.needed_total, n.needed_per_quarter), (NeedStatus::Needed, Some(75.0), None));
    assert_eq!((n.best_quarter, n.within_reach), (Some(3.0), Some(true)));
    assert_eq!(n.summary, "next result 75%");
    assert_eq!(needed(&i, &s, q("2009/10 Q2"), Some(72.0), 1.0).status, NeedStatus::Met);
    let n = needed(&i, &s, q("2009/10 Q2"), Some(80.0), 4.0);
    assert_eq!(n.within_reach, Some(false), "7 points where the best change was 3");
}

#[test]
fn edges_say_why_there_is_no_figure() {
    let i = ind(Polarity::Higher, Measure::Cumulative, Frequency::Quarterly, "number");
    let empty = series(&[("2008/09 Q4", 5.0)]);
    let n = needed(&i, &empty, q("2009/10 Q1"), Some(10.0), 1.0);
    assert_eq!((n.status, n.needed_total, n.within_reach), (NeedStatus::NoData, None, None));
    assert_eq!(needed(&i, &empty, q("2008/09 Q4"), None, 0.0).status, NeedStatus::NoTarget);
    let none = ind(Polarity::None, Measure::Snapshot, Frequency::Quarterly, "number");
    assert_eq!(needed(&none, &empty, q("2008/09 Q4"), Some(3.0), 0.0).status, NeedStatus::NoPolarity);
}
