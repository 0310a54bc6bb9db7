//! The demo's indicators: how each one's values move, its targets and its reward terms.

use super::*;

pub(crate) const fn q(
    code: &'static str,
    theme: &'static str,
    baseline: f64,
    targets: [f64; 3],
    perf: f64,
    measure: Measure,
) -> Ind {
    Ind {
        code,
        theme,
        kind: "designated",
        baseline,
        targets,
        perf,
        measure,
        annual: &[],
        reward: None,
        local: None,
        decimals: 1,
    }
}

pub(crate) fn indicators() -> Vec<Ind> {
    let mut v = communities_and_safer();
    v.extend(the_other_themes());
    // the 16 statutory education and early-years targets: results per academic year, summer 2009
    // results (AY 2008/09) arriving in the 2009/10 Q2 return
    let statutory: [(&str, f64, [f64; 3], f64); 16] = [
        ("NI 72", 49.0, [52.0, 55.0, 58.0], 50.5),
        ("NI 73", 73.0, [76.0, 78.0, 80.0], 74.0),
        ("NI 74", 70.0, [73.0, 75.0, 77.0], 71.8),
        ("NI 75", 48.5, [51.0, 54.0, 57.0], 50.1),
        ("NI 83", 74.0, [76.0, 78.0, 80.0], 77.0),
        ("NI 87", 5.8, [5.5, 5.2, 4.9], 5.3),
        ("NI 92", 33.0, [31.0, 29.0, 27.0], 31.6),
        ("NI 93", 84.0, [86.0, 88.0, 90.0], 85.6),
        ("NI 94", 80.0, [83.0, 85.0, 87.0], 79.0),
        ("NI 95", 32.0, [35.0, 38.0, 40.0], 30.1),
        ("NI 96", 36.0, [39.0, 42.0, 45.0], 37.0),
        ("NI 97", 62.0, [65.0, 68.0, 70.0], 63.2),
        ("NI 98", 29.0, [32.0, 35.0, 38.0], 30.5),
        ("NI 99", 45.0, [48.0, 50.0, 52.0], 41.0),
        ("NI 100", 42.0, [45.0, 47.0, 50.0], 46.0),
        ("NI 101", 12.0, [14.0, 16.0, 18.0], 9.0),
    ];
    for (code, baseline, targets, result) in statutory {
        let outturn: &'static [(usize, f64)] = Box::leak(Box::new([(0, result)]));
        v.push(Ind { kind: "statutory", ..annual(code, "cyp", baseline, targets, outturn) });
    }
    v
}

/// An annual (or academic-year, survey) indicator with its outturns by year index.
fn annual(
    code: &'static str,
    theme: &'static str,
    baseline: f64,
    targets: [f64; 3],
    outturns: &'static [(usize, f64)],
) -> Ind {
    Ind { annual: outturns, ..q(code, theme, baseline, targets, 1.0, Annual) }
}

/// The stronger communities and safer communities themes' indicators.
fn communities_and_safer() -> Vec<Ind> {
    vec![
        // Stronger communities: Place Survey (autumn 2008) and a local volunteering count
        annual("NI 1", "communities", 79.0, [80.0, 81.0, 82.0], &[(0, 78.1)]),
        annual("NI 4", "communities", 28.0, [30.0, 31.0, 32.0], &[(0, 27.2)]),
        annual("NI 6", "communities", 24.0, [25.0, 26.0, 27.0], &[(0, 25.8)]),
        annual("NI 7", "communities", 16.5, [18.0, 19.0, 20.0], &[(0, 18.2)]),
        annual("NI 21", "communities", 25.0, [27.0, 29.0, 31.0], &[(0, 26.4)]),
        Ind {
            kind: "local",
            local: Some(("People helped into volunteering by the CVS", "higher", "number")),
            decimals: 0,
            ..q("L01", "communities", 850.0, [900.0, 950.0, 1000.0], 1.1, Cumulative)
        },
        // Safer communities
        q("NI 15", "safer", 10.8, [10.5, 10.2, 9.9], 1.0, Cumulative),
        Ind { reward: Some((12.3, 11.2, 600_000.0)), ..q("NI 16", "safer", 13.2, [12.6, 12.0, 11.5], 0.4, Cumulative) },
        Ind { reward: Some((6.3, 5.9, 450_000.0)), ..q("NI 20", "safer", 6.4, [6.2, 6.0, 5.8], 1.2, Cumulative) },
        q("NI 32", "safer", 32.0, [30.0, 28.0, 26.0], 0.9, Snapshot),
        Ind { decimals: 0, ..q("NI 39", "safer", 1450.0, [1500.0, 1550.0, 1600.0], 0.8, Snapshot) },
        Ind {
            reward: Some((1750.0, 1900.0, 500_000.0)),
            decimals: 0,
            ..q("NI 40", "safer", 1650.0, [1750.0, 1850.0, 1950.0], 1.05, Snapshot)
        },
        Ind { decimals: 0, ..q("NI 47", "safer", 390.0, [370.0, 350.0, 330.0], 0.7, Cumulative) },
        Ind {
            kind: "local",
            local: Some(("Anti-social behaviour incidents reported to the police", "lower", "number")),
            decimals: 0,
            ..q("L02", "safer", 32000.0, [31000.0, 30000.0, 29000.0], 1.3, Cumulative)
        },
    ]
}

/// The children and young people, health, economy and environment themes' indicators.
fn the_other_themes() -> Vec<Ind> {
    vec![
        // Children and young people
        q("NI 53", "cyp", 38.0, [41.0, 44.0, 47.0], 0.6, Snapshot),
        annual("NI 56", "cyp", 16.8, [16.5, 16.2, 15.9], &[(0, 17.1)]),
        annual("NI 110", "cyp", 68.0, [70.0, 72.0, 74.0], &[(0, 69.5)]),
        Ind { decimals: 0, ..q("NI 111", "cyp", 1500.0, [1400.0, 1300.0, 1200.0], 1.1, Cumulative) },
        Ind { reward: Some((28.0, 24.0, 700_000.0)), ..q("NI 112", "cyp", 31.2, [28.5, 25.8, 23.1], 0.5, Snapshot) },
        Ind { reward: Some((5.6, 5.1, 550_000.0)), ..q("NI 117", "cyp", 5.8, [5.5, 5.2, 4.9], 0.8, Snapshot) },
        // Health and wellbeing
        Ind {
            reward: Some((840.0, 890.0, 650_000.0)),
            decimals: 0,
            ..q("NI 123", "health", 820.0, [850.0, 880.0, 910.0], 1.1, Cumulative)
        },
        q("NI 125", "health", 78.0, [80.0, 82.0, 84.0], 0.95, Snapshot),
        q("NI 130", "health", 95.0, [150.0, 250.0, 350.0], 0.7, Snapshot),
        q("NI 131", "health", 9.5, [9.0, 8.5, 8.0], 1.0, Snapshot),
        q("NI 135", "health", 18.0, [20.0, 22.0, 24.0], 1.0, Cumulative),
        annual("NI 119", "health", 76.0, [77.0, 78.0, 79.0], &[(0, 76.9)]),
        Ind {
            kind: "local",
            local: Some(("Visits to county leisure centres", "higher", "number")),
            decimals: 0,
            ..q("L03", "health", 1_200_000.0, [1_250_000.0, 1_300_000.0, 1_350_000.0], 0.9, Cumulative)
        },
        // Economic development
        q("NI 151", "economy", 78.5, [79.0, 79.5, 80.0], -1.0, Snapshot),
        Ind { reward: Some((8.8, 8.2, 400_000.0)), ..q("NI 152", "economy", 8.9, [8.7, 8.5, 8.3], -1.5, Snapshot) },
        Ind {
            reward: Some((2900.0, 3150.0, 800_000.0)),
            decimals: 0,
            ..q("NI 154", "economy", 2900.0, [3000.0, 3100.0, 3200.0], 0.6, Cumulative)
        },
        Ind { decimals: 0, ..q("NI 155", "economy", 550.0, [600.0, 650.0, 700.0], 0.9, Cumulative) },
        annual("NI 163", "economy", 70.0, [71.0, 72.0, 73.0], &[(0, 71.4)]),
        annual("NI 171", "economy", 62.0, [63.0, 64.0, 65.0], &[(0, 57.0)]),
        Ind {
            kind: "local",
            local: Some(("Referrals to debt advice services", "", "number")),
            decimals: 0,
            ..q("L04", "economy", 420.0, [450.0, 450.0, 450.0], 1.0, Snapshot)
        },
        // Environment
        annual("NI 186", "environment", 0.0, [3.5, 7.0, 11.0], &[(0, 4.1)]),
        annual("NI 187", "environment", 9.8, [9.5, 9.2, 8.9], &[(0, 10.6)]),
        Ind {
            reward: Some((615.0, 590.0, 500_000.0)),
            decimals: 0,
            ..q("NI 191", "environment", 640.0, [620.0, 600.0, 580.0], 1.3, Cumulative)
        },
        Ind {
            reward: Some((48.0, 50.5, 500_000.0)),
            ..q("NI 192", "environment", 47.0, [49.0, 51.0, 53.0], 1.1, Snapshot)
        },
        q("NI 195", "environment", 9.0, [8.0, 7.0, 6.0], 0.9, Snapshot),
    ]
}
