//! Regenerates the illustrative demo partnership in `datasets/demo/`: the agreement, the SCS
//! priorities, and the quarterly returns 2008/09 Q1 – 2009/10 Q2, one workbook per theme
//! partnership per quarter, in the shapes real returns come in.
//!
//! Run: `cargo run --example make_demo` (deterministic: the same files every time).
//! The figures are invented for illustration; they are not Leicestershire's.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A cell to write.
#[derive(Clone)]
enum V {
    S(String),
    N(f64),
    E,
}

fn s(t: impl Into<String>) -> V {
    V::S(t.into())
}

type Grid = Vec<Vec<V>>;

/// How an indicator's values move in the demo.
struct Ind {
    code: &'static str,
    theme: &'static str,
    kind: &'static str,
    baseline: f64,
    targets: [f64; 3],
    /// Share of the planned improvement actually achieved (1 = on target; negative = worse).
    perf: f64,
    measure: Measure,
    /// Outturns of annual/biennial indicators by year index (0 = 2008/09), when reported.
    annual: &'static [(usize, f64)],
    reward: Option<(f64, f64, f64)>,
    /// Local indicators only: title, polarity, unit.
    local: Option<(&'static str, &'static str, &'static str)>,
    decimals: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Measure {
    Snapshot,
    Cumulative,
    Annual,
}

use Measure::*;

const fn q(
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

fn indicators() -> Vec<Ind> {
    let annual = |code, theme, baseline, targets, outturns: &'static [(usize, f64)]| Ind {
        annual: outturns,
        ..q(code, theme, baseline, targets, 1.0, Annual)
    };
    let mut v = vec![
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
    ];
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

const DISTRICTS: [(&str, f64); 7] = [
    ("Blaby", 93_000.0),
    ("Charnwood", 166_000.0),
    ("Harborough", 83_000.0),
    ("Hinckley & Bosworth", 105_000.0),
    ("Melton", 50_000.0),
    ("North West Leicestershire", 90_000.0),
    ("Oadby & Wigston", 57_000.0),
];

/// Deterministic noise in [-1, 1].
fn noise(seed: &str, a: usize, b: usize) -> f64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for byte in seed.bytes().chain([a as u8, b as u8]) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x100000001b3);
    }
    (h % 20001) as f64 / 10000.0 - 1.0
}

fn round(v: f64, d: usize) -> f64 {
    let f = 10f64.powi(d as i32);
    (v * f).round() / f
}

/// The value reported for a quarter (year index 0 or 1, quarter 1..=4).
fn quarter_value(ind: &Ind, y: usize, qn: usize) -> f64 {
    let prev = if y == 0 { ind.baseline } else { ind.baseline + ind.perf * (ind.targets[y - 1] - ind.baseline) };
    let outturn = ind.baseline + ind.perf * (ind.targets[y] - ind.baseline);
    let share = qn as f64 / 4.0;
    let wiggle = 1.0 + 0.015 * noise(ind.code, y, qn);
    let v = match ind.measure {
        Cumulative => outturn * share * wiggle,
        _ => (prev + (outturn - prev) * share) * wiggle,
    };
    round(v, ind.decimals)
}

fn year_label(y: usize) -> String {
    format!("{}/{:02}", 2008 + y, (2009 + y) % 100)
}

fn period_label(y: usize, qn: usize) -> String {
    format!("{} Q{qn}", year_label(y))
}

fn commentary(ind: &Ind, y: usize, qn: usize) -> (String, String) {
    let off = ind.perf < 0.85;
    let text = if off {
        format!(
            "Performance is behind the trajectory for {} & below the level needed; partners reviewed the \"recovery plan\" in Q{qn}.",
            year_label(y)
        )
    } else {
        format!("On course for the {} target.", year_label(y))
    };
    let action = if off {
        "Theme partnership to agree remedial actions <by next quarter> with the lead officer.".to_string()
    } else {
        String::new()
    };
    (text, action)
}

fn theme_partnership(theme: &str) -> &'static str {
    match theme {
        "communities" => "Stronger Communities Partnership",
        "safer" => "Safer Leicestershire Partnership",
        "cyp" => "Children and Young People's Partnership",
        "health" => "Health and Wellbeing Partnership",
        "economy" => "Leicestershire Economic Partnership",
        _ => "Environment Partnership",
    }
}

fn save_xlsx(path: &Path, sheets: Vec<(String, Grid)>) {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2009, 10, 20).expect("date");
    wb.set_properties(&DocProperties::new().set_creation_datetime(&date).set_author("laa demo generator"));
    let bold = Format::new().set_bold();
    for (name, grid) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&name).expect("sheet name");
        for (r, row) in grid.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    V::S(t) if r < 2 => ws.write_string_with_format(r, c, t, &bold).map(|_| ()),
                    V::S(t) => ws.write_string(r, c, t).map(|_| ()),
                    V::N(n) => ws.write_number(r, c, *n).map(|_| ()),
                    V::E => Ok(()),
                }
                .expect("write cell");
            }
        }
        ws.set_column_width(1, 40).expect("width");
    }
    wb.save(path).expect("save workbook");
}

fn save_csv(path: &Path, grid: Grid) {
    let mut w =
        csv::WriterBuilder::new().flexible(true).terminator(csv::Terminator::CRLF).from_path(path).expect("create csv");
    for row in grid {
        w.write_record(row.iter().map(|v| match v {
            V::S(t) => t.clone(),
            V::N(n) => n.to_string(),
            V::E => String::new(),
        }))
        .expect("write csv");
    }
    w.flush().expect("flush csv");
}

fn title(ind: &Ind) -> String {
    match ind.local {
        Some((t, ..)) => t.to_string(),
        None => laa::domain::catalogue::Catalogue::shipped().get(ind.code).map(|i| i.title.clone()).unwrap_or_default(),
    }
}

/// Wide layout: a column per quarter of the year so far, commentary for the latest.
fn wide(
    inds: &[&Ind],
    y: usize,
    qn: usize,
    header_for: &dyn Fn(usize, usize) -> String,
    as_text: bool,
    titles: Vec<String>,
) -> Grid {
    let mut g: Grid = titles.into_iter().map(|t| vec![s(t)]).collect();
    g.push(vec![]);
    let mut header = vec![s("NI ref"), s("Indicator title")];
    header.extend((1..=qn).map(|i| s(header_for(y, i))));
    header.extend([s("Commentary"), s("Remedial action")]);
    g.push(header);
    for ind in inds.iter().filter(|i| i.measure != Annual) {
        let mut row = vec![s(ind.code), s(title(ind))];
        for i in 1..=qn {
            let v = quarter_value(ind, y, i);
            let is_pct = !ind.code.starts_with('L') && ind.decimals == 1 && v < 100.0;
            row.push(if as_text && is_pct { s(format!("{v}%")) } else { V::N(v) });
        }
        let (c, a) = commentary(ind, y, qn);
        row.extend([s(c), if a.is_empty() { V::E } else { s(a) }]);
        g.push(row);
    }
    g
}

fn annual_rows(inds: &[&Ind], y: usize, qn: usize) -> Vec<(String, String, f64)> {
    // annual results for year index `yr` arrive in the Q2 return of the following year (education:
    // the 2009/10 Q2 return carries the summer 2009 results, AY 2008/09); the Place Survey in Q3
    let mut out = Vec::new();
    for ind in inds.iter().filter(|i| i.measure == Annual) {
        for &(yr, v) in ind.annual {
            let due = if ind.theme == "communities" { y == yr && qn == 3 } else { y == yr + 1 && qn == 2 };
            if due {
                let period = if ind.kind == "statutory" { format!("AY {}", year_label(yr)) } else { year_label(yr) };
                out.push((ind.code.to_string(), period, v));
            }
        }
    }
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/demo");
    let returns = root.join("returns");
    std::fs::create_dir_all(&returns).expect("create returns/");
    for entry in std::fs::read_dir(&returns).expect("list returns") {
        std::fs::remove_file(entry.expect("entry").path()).expect("clear returns/");
    }
    let all = indicators();
    write_agreement(&root, &all);
    write_priorities(&root);
    write_timetable(&root);
    write_overrides(&root);
    for y in 0..2 {
        for qn in 1..=4 {
            if y == 1 && qn > 2 {
                continue;
            }
            for theme in ["communities", "safer", "cyp", "health", "economy", "environment"] {
                let inds: Vec<&Ind> = all.iter().filter(|i| i.theme == theme).collect();
                write_return(&returns, theme, &inds, y, qn);
            }
        }
    }
    println!("demo written to {}", root.display());
}

fn write_return(dir: &Path, theme: &str, inds: &[&Ind], y: usize, qn: usize) {
    let tp = theme_partnership(theme);
    let period = period_label(y, qn);
    let stem = format!("{theme}-{}-q{qn}", year_label(y).replace('/', "-"));
    let annual = annual_rows(inds, y, qn);
    match theme {
        // csv, long, a title row, Place Survey results as annual rows
        "communities" => {
            let mut g: Grid = vec![vec![s(format!("{tp}: quarterly return {period}"))], vec![]];
            g.push(vec![s("Indicator ref"), s("Indicator"), s("Period"), s("Value"), s("Comments")]);
            for ind in inds.iter().filter(|i| i.measure != Annual) {
                for i in 1..=qn {
                    let c = if i == qn { commentary(ind, y, qn).0 } else { String::new() };
                    g.push(vec![
                        s(ind.code),
                        s(title(ind)),
                        s(format!("Q{i} {}", year_label(y).replace('/', "-"))),
                        V::N(quarter_value(ind, y, i)),
                        s(c),
                    ]);
                }
            }
            for (code, p, v) in annual {
                g.push(vec![s(code), V::E, s(p), s(format!("{v}%")), s("Place Survey, autumn 2008")]);
            }
            save_csv(&dir.join(format!("{stem}.csv")), g);
        }
        // xlsx, long, districts with numerators and denominators for the crime rates
        "safer" => {
            let mut g: Grid = vec![vec![s(tp)], vec![s(format!("Performance return for {period}"))], vec![]];
            g.push(
                [
                    "NI",
                    "Indicator",
                    "Area",
                    "Period",
                    "Numerator",
                    "Denominator",
                    "Value",
                    "Commentary",
                    "Remedial action",
                ]
                .map(s)
                .to_vec(),
            );
            for ind in inds {
                let (c, a) = commentary(ind, y, qn);
                let with_text = |mut row: Vec<V>| {
                    row.extend([s(c.clone()), if a.is_empty() { V::E } else { s(a.clone()) }]);
                    row
                };
                let p = format!("Q{qn} {}", year_label(y).replace('/', "-"));
                if matches!(ind.code, "NI 15" | "NI 16" | "NI 20") {
                    let rate = quarter_value(ind, y, qn);
                    for (di, (d, pop)) in DISTRICTS.iter().enumerate() {
                        let r = rate * (1.0 + 0.25 * noise(d, di, 7));
                        let crimes = (r * pop / 1000.0).round();
                        g.push(with_text(vec![
                            s(ind.code),
                            s(title(ind)),
                            s(*d),
                            s(p.clone()),
                            V::N(crimes),
                            V::N(*pop),
                            V::E,
                        ]));
                    }
                } else {
                    g.push(with_text(vec![
                        s(ind.code),
                        s(title(ind)),
                        s("Leicestershire"),
                        s(p),
                        V::E,
                        V::E,
                        V::N(quarter_value(ind, y, qn)),
                    ]));
                }
            }
            save_xlsx(&dir.join(format!("{stem}.xlsx")), vec![("Data".into(), g)]);
        }
        // xlsx, wide, "Q1 actual" headers with the year in the title, % as text, annual sheet
        "cyp" => {
            let titles = vec![
                format!("{tp} — quarterly performance return"),
                format!("Financial year {}, quarter {qn}", year_label(y)),
            ];
            let g = wide(inds, y, qn, &|_, i| format!("Q{i} actual"), true, titles);
            let mut sheets = vec![(format!("Q{qn}"), g)];
            if !annual.is_empty() {
                let mut a: Grid = vec![vec![s("Annual and academic-year results")], vec![]];
                a.push(vec![s("NI"), s("Period"), s("Value")]);
                a.extend(annual.into_iter().map(|(c, p, v)| vec![s(c), s(p), V::N(v)]));
                sheets.push(("Annual results".into(), a));
            }
            sheets.push(("Notes".into(), vec![vec![s("Figures are provisional until the year-end return.")]]));
            save_xlsx(&dir.join(format!("{stem}.xlsx")), sheets);
        }
        // csv, wide, calendar-month headers ("Jul-Sep 08")
        "health" => {
            const MONTHS: [&str; 4] = ["Apr-Jun", "Jul-Sep", "Oct-Dec", "Jan-Mar"];
            let header =
                |y: usize, i: usize| format!("{} {:02}", MONTHS[i - 1], (2008 + y + usize::from(i == 4)) % 100);
            let mut g = wide(inds, y, qn, &header, false, vec![format!("{tp} return")]);
            for (code, p, v) in annual {
                // the annual result goes in its own trailing column
                g[2].push(s(p));
                let row = g.iter_mut().find(|r| matches!(r.first(), Some(V::S(c)) if *c == code));
                match row {
                    Some(r) => r.push(V::N(v)),
                    None => {
                        let mut r = vec![s(code), V::E];
                        r.resize(g[2].len() - 1, V::E);
                        r.push(V::N(v));
                        g.push(r);
                    }
                }
            }
            save_csv(&dir.join(format!("{stem}.csv")), g);
        }
        // xlsx, long, "Quarter" column in another spelling, numbers typed as text with commas
        "economy" => {
            let mut g: Grid = vec![vec![s(format!("{tp} — LAA return, {period}"))], vec![]];
            g.push(["Ref", "Indicator", "Quarter", "Actual", "Comments", "Action"].map(s).to_vec());
            for ind in inds.iter().filter(|i| i.measure != Annual) {
                for i in 1..=qn {
                    let v = quarter_value(ind, y, i);
                    let cell = if v >= 1000.0 { s(format_thousands(v)) } else { V::N(v) };
                    let (c, a) = if i == qn { commentary(ind, y, qn) } else { Default::default() };
                    g.push(vec![s(ind.code), s(title(ind)), s(format!("{} Qtr {i}", year_label(y))), cell, s(c), s(a)]);
                }
            }
            for (code, p, v) in annual {
                g.push(vec![s(code), V::E, s(p), V::N(v), s("Annual figure"), V::E]);
            }
            save_xlsx(&dir.join(format!("{stem}.xlsx")), vec![(period.replace('/', "-"), g)]);
        }
        // xlsx, wide, full period headers, an annual column for last year's results
        _ => {
            let titles = vec![format!("{tp}: LAA indicators"), "Quarterly monitoring".to_string()];
            let mut g = wide(inds, y, qn, &|y, i| period_label(y, i), false, titles);
            if !annual.is_empty() {
                let hdr = g.len() - inds.iter().filter(|i| i.measure != Annual).count() - 1;
                g[hdr].push(s(annual[0].1.clone()));
                for (code, _, v) in annual {
                    let mut r =
                        vec![s(code.clone()), s(title(inds.iter().find(|i| i.code == code).expect("indicator")))];
                    r.resize(g[hdr].len() - 1, V::E);
                    r.push(V::N(v));
                    g.push(r);
                }
            }
            save_xlsx(&dir.join(format!("{stem}.xlsx")), vec![("Return".into(), g)]);
        }
    }
}

fn format_thousands(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn write_agreement(root: &Path, all: &[Ind]) {
    let mut g: Grid = vec![
        vec![s("Leicestershire Together (illustrative) — Local Area Agreement 2008–11")],
        vec![s("Illustrative figures for the laa demo; not the real agreement.")],
        vec![],
    ];
    // the same columns as the template `laa template agreement` writes
    g.push(laa::workspace::agreement::template_headers(&[2008, 2009, 2010]).into_iter().map(V::S).collect());
    for ind in all {
        // local indicators are defined here; NI 119 has no polarity in the reference list, so the
        // partnership sets it
        let (t, pol, unit) = ind.local.map_or((String::new(), "", ""), |(t, p, u)| (t.to_string(), p, u));
        let pol = if ind.code == "NI 119" { "higher" } else { pol };
        let freq = if ind.local.is_some() { "quarterly" } else { "" };
        let measure =
            if ind.local.is_some() { if ind.measure == Cumulative { "cumulative" } else { "snapshot" } } else { "" };
        let by = if ind.kind == "statutory" { "AY 2007/08" } else { "2007/08" };
        let mut row = vec![
            s(ind.code),
            s(t),
            s(ind.kind),
            s(theme_partnership(ind.theme)),
            s(pol),
            s(unit),
            s(freq),
            s(measure),
            V::N(ind.baseline),
            s(by),
        ];
        row.extend(ind.targets.iter().map(|t| V::N(*t)));
        if let Some((w, st, grant)) = ind.reward {
            row.extend([V::N(w), V::N(st), V::N(grant)]);
        }
        g.push(row);
    }
    save_xlsx(&root.join("agreement.xlsx"), vec![("Agreement".into(), g)]);
}

fn write_priorities(root: &Path) {
    let outcomes: &[(&str, &str, &str)] = &[
        ("Stronger communities", "People from different backgrounds get on well together", "NI 1"),
        ("Stronger communities", "People can influence decisions that affect their area", "NI 4"),
        ("Stronger communities", "A thriving voluntary and community sector and more volunteering", "NI 6, NI 7, L01"),
        ("Stronger communities", "Better access to services in rural areas", ""),
        ("Safer communities", "Less serious and acquisitive crime", "NI 15, NI 16"),
        ("Safer communities", "Less violent crime and domestic abuse", "NI 20, NI 32"),
        ("Safer communities", "Less harm from drugs and alcohol", "NI 39, NI 40"),
        ("Safer communities", "Safer roads for children", "NI 48"),
        ("Safer communities", "Less anti-social behaviour and more confidence in how it is dealt with", "NI 21, L02"),
        ("Children and young people", "Children are healthy", "NI 53, NI 56"),
        ("Children and young people", "Young people make a positive contribution", "NI 110, NI 111"),
        ("Children and young people", "Fewer teenage conceptions", "NI 112"),
        ("Children and young people", "Young people in education, employment or training", "NI 117"),
        (
            "Children and young people",
            "Children achieve at school",
            "NI 72, NI 73, NI 74, NI 75, NI 83, NI 87, NI 92, NI 93, NI 94, NI 95, NI 96, NI 97, NI 98",
        ),
        ("Children and young people", "Looked after children achieve at school", "NI 99, NI 100, NI 101"),
        ("Health and wellbeing", "People live longer, healthier lives", "NI 119, NI 120, NI 123"),
        ("Health and wellbeing", "Older people live independently", "NI 125, NI 130, NI 131, NI 136"),
        ("Health and wellbeing", "Carers are supported", "NI 135"),
        ("Health and wellbeing", "More people are active", "NI 8, L03"),
        ("Economic development", "More people in work", "NI 151, NI 152"),
        ("Economic development", "More homes, and more affordable homes", "NI 154, NI 155"),
        ("Economic development", "A better-skilled workforce", "NI 163"),
        ("Economic development", "New and growing businesses", "NI 171, NI 172"),
        ("Environment", "Reduce carbon emissions across the county", "NI 186"),
        ("Environment", "Less waste, more recycling", "NI 191, NI 192"),
        ("Environment", "Cleaner streets", "NI 195, NI 1955"),
        ("Environment", "Affordable warmth", "NI 187"),
    ];
    let mut g: Grid = vec![
        vec![s("Leicestershire Together (illustrative) — Sustainable Community Strategy priority outcomes")],
        vec![],
    ];
    g.push(["Theme", "Priority outcome", "Indicators", "Lead theme partnership"].map(s).to_vec());
    for (theme, outcome, inds) in outcomes {
        let lead = match *theme {
            "Stronger communities" => "communities",
            "Safer communities" => "safer",
            "Children and young people" => "cyp",
            "Health and wellbeing" => "health",
            "Economic development" => "economy",
            _ => "environment",
        };
        g.push(vec![s(*theme), s(*outcome), s(*inds), s(theme_partnership(lead))]);
    }
    save_xlsx(&root.join("priorities.xlsx"), vec![("Priorities".into(), g)]);
}

/// The nine stages of an SCS year, September to June (the shape of a partnership's "Stages &
/// Timescales" table).
/// The partnership's published SCS and LAA timetable of 2007–08 (nine stages; dates as published,
/// the rest in our own words; `datasets/reference/scs-laa-timetable-2007.csv`). A blank start is
/// "now" (under way when it was written), a blank end "onwards".
fn write_timetable(root: &Path) {
    #[rustfmt::skip]
    let stages: [[&str; 8]; 9] = [
        ["Evidence base and draft priority outcomes", "", "2007-09-28", "Now - 28 September 2007",
         "The evidence base is finished and a first set of priority outcomes drafted",
         "Theme and cross-cutting partnerships; district leaders, chief executives and LSPs",
         "Brief theme and district LSP meetings on the SCS/LAA process; send draft evidence reports to theme and cross-cutting leads; gather comments", ""],
        ["Wider partner consultation", "2007-10-03", "2007-10-26", "3 October - 26 October 2007",
         "Partners consulted on the emerging and cross-cutting priorities",
         "Everyone in stage 1, with the LSP Board, the SSOG, key partners, county chief officers and members, and the partnership forum",
         "Circulate the complete evidence reports; identify cross-cutting issues and priorities", ""],
        ["First draft of the SCS", "2007-10-26", "2007-11-09", "26 October - 9 November 2007",
         "The first draft of the Sustainable Community Strategy", "LSP support team",
         "Fold in comments from the partnerships, the Board and the SSOG; finalise the evidence reports; assemble the consultation draft", ""],
        ["LAA drafting and early negotiation", "2007-11-09", "", "9 November 2007 onwards",
         "The LAA is drafted from the draft SCS priorities and early talks with Government begin",
         "LSP support team and LAA lead officers",
         "Indicator set requires checking against SCS priorities (the national set of about 200 indicators came out in October/November 2007); start the LAA from the draft SCS priorities",
         "laa priorities check"],
        ["Public consultation on the draft SCS", "2007-11-12", "2008-01-18", "12 November 2007 - 18 January 2008 (21 December where possible)",
         "The draft SCS goes out to public consultation",
         "The public; all partnerships and districts; county council staff and members",
         "Open the consultation; proof the draft for sustainability, rural and equality effects", ""],
        ["SCS and LAA redraft", "2008-01-18", "2008-02-04", "18 January - 4 February 2008",
         "Both documents redrafted from the consultation", "LSP support team and LAA lead officers",
         "Redraft the SCS and LAA priorities; send the second LAA draft with its chosen indicators to the Government Office (GOEM)",
         "laa agreement check"],
        ["Redraft circulated", "2008-02-04", "2008-02-15", "4 February - 15 February 2008",
         "The redraft goes to the theme partnerships and districts",
         "Theme partnership leads; district leaders and chief executives; LSP Board and SSOG members",
         "Last check of the priority outcomes and content; negotiate the chosen indicators", "laa priorities check"],
        ["Final SCS and LAA drafted", "2008-02-15", "2008-03-21", "15 February - 21 March 2008",
         "The final SCS and LAA are prepared", "LSP support team; theme partnership leads",
         "Prepare the final documents for approval; send the final LAA draft with indicators and target figures to GOEM",
         "laa agreement check"],
        ["Sign-off", "2008-04-02", "2008-06-30", "2 April - June 2008",
         "The SCS and the LAA are approved",
         "LSP Board; SSOG; county council cabinet; theme partnerships and other partners",
         "Take the final SCS/LAA to partnership and council meetings; the LAA is signed after the SCS while target figures are still negotiated", ""],
    ];
    let mut g: Grid = vec![vec![s("Sustainable Community Strategy and LAA: stages and timescales, 2007-08")], vec![]];
    g.push(
        ["Stage", "Start", "End", "Dates as published", "Description", "Who is involved", "Tasks", "laa command"]
            .map(s)
            .to_vec(),
    );
    for row in stages {
        g.push(row.iter().map(|c| if c.is_empty() { V::E } else { s(*c) }).collect());
    }
    save_xlsx(&root.join("timetable.xlsx"), vec![("Timetable".into(), g)]);
}

/// One manual override: a recession-hit target parked for renegotiation in the 2009 refresh.
fn write_overrides(root: &Path) {
    let mut g: Grid = vec![vec![s("Manual rating overrides")], vec![]];
    g.push(["Indicator", "Area", "Period", "Rating", "Reason", "Author"].map(s).to_vec());
    g.push(vec![
        s("NI 152"),
        s("Leicestershire"),
        s("2009/10 Q2"),
        s("Amber"),
        s("Target parked for renegotiation in the 2009 LAA refresh (recession)"),
        s("Head of Policy"),
    ]);
    save_xlsx(&root.join("overrides.xlsx"), vec![("Overrides".into(), g)]);
}
