//! Writes the benchmark workspace: a national picture of every English area (352 of them) × all
//! 198 national indicators × 12 quarters (2008/09 Q1 – 2010/11 Q4) ≈ 836,000 values, one long
//! return workbook per area — the scale DESIGN.md asks `laa` to handle in seconds.
//!
//! Run: `cargo run --release --example national_bench -- DIR [AREAS]` (see `bench/run.sh`).

use std::fmt::Write as _;
use std::path::PathBuf;

use laa::domain::catalogue::Catalogue;
use rust_xlsxwriter::Workbook;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "bench/data".into()));
    let areas: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(352);
    std::fs::create_dir_all(dir.join("returns")).expect("create the workspace");
    let cat = Catalogue::shipped();
    let codes: Vec<String> = cat.iter().map(|i| i.code.clone()).collect();

    let mut toml = String::from(
        "name = \"England (benchmark)\"\n[agreement]\nfirst_year = \"2008/09\"\nlast_year = \"2010/11\"\n\n[[areas]]\ncode = \"ENG\"\nname = \"England\"\ncounty = true\n",
    );
    for a in 0..areas {
        let _ = write!(toml, "\n[[areas]]\ncode = \"A{a:03}\"\nname = \"Area {a:03}\"\n");
    }
    toml += "\n[[themes]]\ncode = \"all\"\nname = \"All indicators\"\n";
    std::fs::write(dir.join("partnership.toml"), toml).expect("write partnership.toml");

    // an agreement of every indicator, so every one is rated
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Indicator",
        "Type",
        "Lead theme",
        "Polarity",
        "Baseline",
        "Target 2008/09",
        "Target 2009/10",
        "Target 2010/11",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (r, code) in codes.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, code).expect("cell");
        ws.write_string(r, 1, "designated").expect("cell");
        ws.write_string(r, 2, "all").expect("cell");
        if cat.get(code).is_some_and(|i| i.polarity == laa::domain::catalogue::Polarity::None) {
            ws.write_string(r, 3, "higher").expect("cell");
        }
        for (c, v) in [50.0, 52.0, 54.0, 56.0].iter().enumerate() {
            ws.write_number(r, 4 + c as u16, *v).expect("cell");
        }
    }
    wb.save(dir.join("agreement.xlsx")).expect("save the agreement");

    let quarters: Vec<String> =
        (2008..2011).flat_map(|y| (1..=4).map(move |q| format!("{y}/{:02} Q{q}", (y + 1) % 100))).collect();
    for a in 0..areas {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, format!("Area {a:03}: quarterly return")).expect("title");
        for (c, h) in ["NI", "Area", "Period", "Value"].iter().enumerate() {
            ws.write_string(2, c as u16, *h).expect("header");
        }
        let mut r = 3;
        for (i, code) in codes.iter().enumerate() {
            for (k, p) in quarters.iter().enumerate() {
                ws.write_string(r, 0, code).expect("cell");
                ws.write_string(r, 1, format!("A{a:03}")).expect("cell");
                ws.write_string(r, 2, p).expect("cell");
                ws.write_number(r, 3, 40.0 + ((a * 7 + i * 13 + k * 3) % 31) as f64 * 0.5).expect("cell");
                r += 1;
            }
        }
        wb.save(dir.join("returns").join(format!("area-{a:03}.xlsx"))).expect("save a return");
    }
    println!(
        "{} areas × {} indicators × {} quarters = {} values in {}",
        areas,
        codes.len(),
        quarters.len(),
        areas * codes.len() * quarters.len(),
        dir.display()
    );
}
