use super::*;
use crate::domain::problems::Loc;
use crate::ingest::returns::Observation;

const Y8: Period = Period::Year { year: 2008 };
const Y7: Period = Period::Year { year: 2007 };

fn obs(code: &str, period: Period, value: f64) -> Observation {
    Observation {
        indicator: "NI 1".into(),
        area: code.into(),
        period,
        value,
        numerator: None,
        denominator: None,
        commentary: None,
        action: None,
        self_rating: None,
        quality: None,
        loc: Loc { file: "benchmarks/t.csv".into(), sheet: None, cell: format!("B{}", value as i64) },
    }
}

/// A hand-worked table: the county E10000018 has 50 in 2008/09, tied with E10000006.
fn comparators() -> Comparators {
    let rows = [
        ("E10000002", Y8, 40.0),
        ("E10000003", Y8, 60.0),
        ("E10000006", Y8, 50.0),
        ("E06000001", Y8, 70.0),
        ("E08000001", Y8, 30.0),
        // a district and England: not among a county's peers
        ("E07000129", Y8, 99.0),
        ("E92000001", Y8, 55.0),
        // reports 2007/08 only: missing in 2008/09, counted, not a zero (as is the one with a
        // figure for another indicator only)
        ("E10000007", Y7, 10.0),
        ("E10000002", Y7, 44.0),
        ("E10000003", Y7, 50.0),
        // the county's published figure, which its own return's figure replaces
        ("E10000018", Y8, 48.0),
    ];
    let mut all: Vec<Observation> = rows.iter().map(|(c, p, v)| obs(c, *p, *v)).collect();
    all.push(Observation { indicator: "NI 2".into(), ..obs("E10000008", Y8, 1.0) });
    Comparators::from_values(Values::from_observations(&all))
}

fn group() -> Vec<String> {
    ["E10000002", "E10000003", "E10000007", "E10000018"].map(String::from).to_vec()
}

#[test]
fn ranks_quartiles_and_medians_match_a_hand_calculation_higher_is_better() {
    let c = comparators();
    let reg = Authorities::shipped();
    let own = |p: Period| match p {
        Y8 => Some(50.0),
        Y7 => Some(45.0),
        _ => None,
    };
    let g = group();
    let b = c.measure(reg, "NI 1", Polarity::Higher, "E10000018", Y8, &own, Some(("neighbours", &g))).unwrap();
    // peers 30, 40, 50, 60, 70 and ours 50: sorted 30 40 50 50 60 70
    assert_eq!(b.value_from, "our return");
    assert_eq!((b.rank, b.ranked_of), (Some(3), 6), "60 and 70 are better; the tie shares 3rd");
    // h = 5 × p: 25th 1.25 → 42.5; 50th 2.5 → 50; 75th 3.75 → 57.5
    assert_eq!(b.lower_quartile_value, Some(42.5));
    assert_eq!(b.england_median, Some(50.0));
    assert_eq!(b.upper_quartile_value, Some(57.5));
    assert_eq!(b.top_quartile, Some(57.5));
    assert_eq!(b.national_quartile, Some(2), "50 is at the median, below 57.5");
    assert_eq!(b.missing, 2, "E10000007 reported 2007/08 only, E10000008 another indicator");
    let gp = b.group.unwrap();
    // members other than us with a 2008/09 figure: 40 and 60 (E10000007 has none)
    assert_eq!((gp.median, gp.position, gp.of, gp.missing), (Some(50.0), Some(2), 3, 1));
    // 2007/08: ours 45, the group's median of 10, 44 and 50 is 44 (1/44 ahead); now level: behind
    assert_eq!(gp.direction.as_deref(), Some("falling behind the group since 2007/08"));
    // with 55 now we are 5/50 ahead: gaining
    let up = c.measure(
        reg,
        "NI 1",
        Polarity::Higher,
        "E10000018",
        Y8,
        &|p| Some(if p == Y8 { 55.0 } else { 45.0 }),
        Some(("n", &g)),
    );
    assert_eq!(up.unwrap().group.unwrap().direction.as_deref(), Some("gaining on the group since 2007/08"));
}

#[test]
fn lower_is_better_ranks_from_the_bottom_and_the_top_quarter_edge_is_the_25th_percentile() {
    let c = comparators();
    let reg = Authorities::shipped();
    let own = |p: Period| (p == Y8).then_some(50.0);
    let b = c.measure(reg, "NI 1", Polarity::Lower, "E10000018", Y8, &own, None).unwrap();
    assert_eq!((b.rank, b.ranked_of), (Some(3), 6), "30 and 40 are better");
    assert_eq!(b.top_quartile, Some(42.5));
    assert_eq!(b.national_quartile, Some(2));
    // 30 would be the top quarter, 70 the bottom
    let best = c.measure(reg, "NI 1", Polarity::Lower, "E10000018", Y8, &|_| Some(30.0), None).unwrap();
    assert_eq!((best.rank, best.national_quartile), (Some(1), Some(1)), "ties with E08000001 at 30");
    let worst = c.measure(reg, "NI 1", Polarity::Lower, "E10000018", Y8, &|_| Some(71.0), None).unwrap();
    assert_eq!((worst.rank, worst.national_quartile), (Some(6), Some(4)));
}

#[test]
fn no_polarity_gets_no_rank_and_says_so_and_the_table_stands_in_for_a_missing_own_figure() {
    let c = comparators();
    let reg = Authorities::shipped();
    let b = c.measure(reg, "NI 1", Polarity::None, "E10000018", Y8, &|_| None, None).unwrap();
    assert_eq!((b.rank, b.national_quartile, b.top_quartile), (None, None, None));
    assert_eq!(b.note, "no polarity: not ranked");
    assert_eq!((b.value, b.value_from.as_str()), (Some(48.0), "the comparator table"));
    // a district is ranked among districts and single-tier authorities: E07000129 is alone with
    // the unitary E06000001 and the metropolitan district E08000001
    let d = c.measure(reg, "NI 1", Polarity::Higher, "E07000130", Y8, &|_| Some(80.0), None).unwrap();
    assert_eq!((d.rank, d.ranked_of), (Some(2), 4), "99 is better; 70 and 30 are not");
    assert_eq!(d.ranked_among, "English districts and single-tier authorities");
}

#[test]
fn the_league_table_and_bands() {
    let c = comparators();
    let reg = Authorities::shipped();
    let rows = c.league(reg, "NI 1", Polarity::Higher, "E10000018", Y8, Some(50.0), &group());
    let ranks: Vec<(Option<usize>, &str)> = rows.iter().map(|r| (r.rank, r.code.as_str())).collect();
    assert_eq!(ranks[0], (Some(1), "E06000001"));
    assert!(ranks.contains(&(Some(3), "E10000018")) && ranks.contains(&(Some(3), "E10000006")));
    assert!(rows.iter().find(|r| r.us).is_some_and(|r| r.name == "Leicestershire" && r.in_group));
    let bands = c.bands("NI 1", Tier::County, "E10000018", Some(&group()));
    assert_eq!(bands.len(), 2);
    // 2008/09 over every upper-tier figure (the county's published 48 included): 30 40 48 50 60 70
    let b = bands[1];
    assert_eq!((b.period, b.median), (Y8, 49.0));
    assert_eq!(b.group_median, Some(50.0));
}

#[test]
fn percentiles_and_ordinals() {
    assert_eq!(percentile(&[1.0], 0.75), Some(1.0));
    assert_eq!(percentile(&[], 0.5), None);
    assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
    assert_eq!(ordinal(1), "1st");
    assert_eq!(ordinal(12), "12th");
    assert_eq!(ordinal(23), "23rd");
}
