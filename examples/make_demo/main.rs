//! Regenerates the illustrative demo partnership in `datasets/demo/`: the agreement, the SCS
//! priorities, and the quarterly returns 2008/09 Q1 – 2009/10 Q2, one workbook per theme
//! partnership per quarter, in the shapes real returns come in.
//!
//! Run: `cargo run --example make_demo` (deterministic: the same files every time).
//! The figures are invented for illustration; they are not Leicestershire's.

use std::path::Path;

use chrono::NaiveDate;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

mod indicators;
mod officers;
mod returns;
use indicators::*;
use officers::*;
use returns::*;

/// A cell to write.
#[derive(Clone)]
enum V {
    S(String),
    N(f64),
    /// A date (a date cell in a workbook, day first in a csv).
    D(chrono::NaiveDate),
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

/// What the theme partnership writes beside a value: on course, or why it is behind and what is
/// being done, in its own words for each indicator (never one text copied down the form).
fn commentary(ind: &Ind, y: usize, qn: usize) -> (String, String) {
    let off = ind.perf < 0.85;
    // a different reason and action for each indicator, picked by its code
    let pick = ind.code.bytes().map(usize::from).sum::<usize>();
    const WHY: [&str; 5] = [
        "demand rose with the recession and the service has not kept pace",
        "two vacant posts slowed delivery until they were filled in the quarter",
        "referrals fell after the service was re-commissioned",
        "the quarter's figures show no recovery yet",
        "the new scheme started later than planned",
    ];
    const ACTION: [&str; 5] = [
        "recovery plan agreed by the lead officer; monthly monitoring by the theme partnership",
        "additional capacity funded from the partnership's pooled budget for the rest of the year",
        "referral routes reviewed with partners and relaunched",
        "lead officer to report progress on the action plan to the next theme meeting",
        "delivery plan re-profiled with the provider and milestones agreed",
    ];
    let text = if off {
        format!("{} is behind the {} trajectory: {} (Q{qn}).", ind.code, year_label(y), WHY[pick % WHY.len()])
    } else {
        format!("On course for the {} target.", year_label(y))
    };
    let action = if off { laa::report::sentence_case(ACTION[(pick / 5) % ACTION.len()]) } else { String::new() };
    (text, action)
}

/// Who owns a remedial action, and when it is due: the theme's lead officer, by the end of the
/// next quarter (blank where there is no action).
fn owner_and_due(ind: &Ind, y: usize, qn: usize, action: &str) -> [V; 2] {
    if action.is_empty() {
        return [V::E, V::E];
    }
    let owner = match ind.theme {
        "communities" => "Head of Communities and Places",
        "safer" => "Community Safety Manager",
        "cyp" => "Assistant Director, Children's Services",
        "health" => "Director of Public Health",
        "economy" => "Head of Economic Development",
        _ => "Head of Environment",
    };
    let (y, next) = if qn == 4 { (y + 1, 1) } else { (y, qn + 1) };
    let (year, month, day) = match next {
        1 => (2008 + y, 6, 30),
        2 => (2008 + y, 9, 30),
        3 => (2008 + y, 12, 31),
        _ => (2009 + y, 3, 31),
    };
    [s(owner), V::D(chrono::NaiveDate::from_ymd_opt(year as i32, month, day).expect("a quarter's end"))]
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
                    V::D(d) => {
                        let when = ExcelDateTime::parse_from_str(&d.to_string()).expect("a date");
                        ws.write_datetime_with_format(r, c, &when, &Format::new().set_num_format("dd/mm/yyyy"))
                            .map(|_| ())
                    }
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
            V::D(d) => d.format("%d/%m/%Y").to_string(),
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
    header.extend([s("Commentary"), s("Remedial action"), s("Action owner"), s("Action due")]);
    g.push(header);
    for ind in inds.iter().filter(|i| i.measure != Annual) {
        let mut row = vec![s(ind.code), s(title(ind))];
        for i in 1..=qn {
            let v = quarter_value(ind, y, i);
            let is_pct = !ind.code.starts_with('L') && ind.decimals == 1 && v < 100.0;
            row.push(if as_text && is_pct { s(format!("{v}%")) } else { V::N(v) });
        }
        let (c, a) = commentary(ind, y, qn);
        let [owner, due] = owner_and_due(ind, y, qn, &a);
        row.extend([s(c), if a.is_empty() { V::E } else { s(a) }, owner, due]);
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
