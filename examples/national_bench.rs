//! Writes the benchmark workspace: a national picture of every English area (352 of them, plus a
//! national return) × all 198 national indicators × 12 quarters (2008/09 Q1 – 2010/11 Q4) ≈
//! 840,000 values — the scale DESIGN.md asks `laa` to handle in seconds.
//!
//! Nine returns in ten are *wide* (a row per indicator, a column per quarter) below two title
//! rows, with one value in 23 typed as text ("45.5", as partners paste them); every tenth is
//! *long* (a row per indicator × quarter). The agreement rates every indicator as a quarterly
//! snapshot percentage, and gives reward terms to every tenth higher-is-better one, so that the
//! peer pipeline in `bench/peer/` can do exactly the same job.
//!
//! Every area is given an ONS-style code of a single-tier authority (`[benchmark.areas]`,
//! E06100000 up), and the national return one of a county (E10099999), so that both are ranked. With
//! `--benchmarks`, it also writes `DIR/benchmarks/england.xlsx`: a comparator table for every
//! indicator (a sheet each) and area (a row each), a column per quarter, as published comparator
//! tables are laid out (see `bench/benchmarks.sh`).
//!
//! Run: `cargo run --release --example national_bench -- DIR [AREAS] [--benchmarks]` (see
//! `bench/run.sh`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use laa::domain::catalogue::{Catalogue, Polarity};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

fn main() -> Result<(), XlsxError> {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let benchmarks = all.iter().any(|a| a == "--benchmarks");
    let mut args = all.into_iter().filter(|a| a != "--benchmarks");
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "bench/data".into()));
    let areas: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(352);
    std::fs::create_dir_all(dir.join("returns"))?;
    let cat = Catalogue::shipped();
    let codes: Vec<(String, String, Polarity)> =
        cat.iter().map(|i| (i.code.clone(), i.title.clone(), i.polarity)).collect();

    let mut toml = String::from(
        "name = \"England (benchmark)\"\n[agreement]\nfirst_year = \"2008/09\"\nlast_year = \"2010/11\"\n\n[[areas]]\ncode = \"ENG\"\nname = \"England\"\ncounty = true\n",
    );
    for a in 0..areas {
        let _ = write!(toml, "\n[[areas]]\ncode = \"A{a:03}\"\nname = \"Area {a:03}\"\n");
    }
    toml += "\n[[themes]]\ncode = \"all\"\nname = \"All indicators\"\n";
    // the national return stands as one upper-tier authority among the areas, which stand as
    // single-tier ones: both are ranked
    toml += "\n[benchmark]\nauthority = \"E10099999\"\n\n[benchmark.areas]\n";
    for a in 0..areas {
        let _ = writeln!(toml, "A{a:03} = \"{}\"", ons(a));
    }
    std::fs::write(dir.join("partnership.toml"), toml)?;
    write_agreement(&dir, &codes)?;

    let quarters: Vec<String> =
        (2008..2011).flat_map(|y| (1..=4).map(move |q| format!("{y}/{:02} Q{q}", (y + 1) % 100))).collect();
    // the national return first, then one per area
    let mut returns: Vec<(String, String, usize)> = vec![("ENG".into(), "england".into(), 1000)];
    returns.extend((0..areas).map(|a| (format!("A{a:03}"), format!("area-{a:03}"), a)));
    for (code, file, seed) in &returns {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        if seed % 10 == 9 {
            write_long(ws, code, *seed, &codes, &quarters)?;
        } else {
            write_wide(ws, code, *seed, &codes, &quarters)?;
        }
        wb.save(dir.join("returns").join(format!("{file}.xlsx")))?;
    }
    if benchmarks {
        write_benchmarks(&dir, areas, &codes, &quarters)?;
    }
    println!(
        "{} returns × {} indicators × {} quarters = {} values in {}",
        returns.len(),
        codes.len(),
        quarters.len(),
        returns.len() * codes.len() * quarters.len(),
        dir.display()
    );
    Ok(())
}

/// An area's ONS-style code (a single-tier authority's).
fn ons(a: usize) -> String {
    format!("E06{:06}", 100_000 + a)
}

/// A comparator table: a sheet per indicator, a row per area (its code and name), a column per
/// quarter; the figures are the areas' own with a small difference, as published ones differ.
fn write_benchmarks(
    dir: &Path,
    areas: usize,
    codes: &[(String, String, Polarity)],
    quarters: &[String],
) -> Result<(), XlsxError> {
    std::fs::create_dir_all(dir.join("benchmarks"))?;
    let mut wb = Workbook::new();
    for (i, (code, title, _)) in codes.iter().enumerate() {
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(code.replace(' ', ""))?;
        ws.write_string(0, 0, format!("{code} {title}: every English authority"))?;
        ws.write_string(2, 0, "ONS code")?;
        ws.write_string(2, 1, "Local authority")?;
        for (k, q) in quarters.iter().enumerate() {
            ws.write_string(2, 2 + k as u16, q)?;
        }
        for a in 0..areas {
            let r = 3 + a as u32;
            ws.write_string(r, 0, ons(a))?;
            ws.write_string(r, 1, format!("Area {a:03}"))?;
            for k in 0..quarters.len() {
                ws.write_number(r, 2 + k as u16, value(a, i, k) + ((a + k) % 3) as f64 * 0.1)?;
            }
        }
    }
    wb.save(dir.join("benchmarks").join("england.xlsx"))
}

/// An agreement of every indicator, so every one is rated.
fn write_agreement(dir: &Path, codes: &[(String, String, Polarity)]) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "Indicator",
        "Type",
        "Lead theme",
        "Polarity",
        "Unit",
        "Frequency",
        "Measure type",
        "Baseline",
        "Baseline year",
        "Target 2008/09",
        "Target 2009/10",
        "Target 2010/11",
        "Performance without reward",
        "Stretch target",
        "Maximum grant",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, (code, _, polarity)) in codes.iter().enumerate() {
        let r = i as u32 + 1;
        let higher = *polarity != Polarity::Lower;
        ws.write_string(r, 0, code)?;
        ws.write_string(r, 1, "designated")?;
        ws.write_string(r, 2, "all")?;
        ws.write_string(r, 3, if higher { "higher" } else { "lower" })?;
        ws.write_string(r, 4, "%")?;
        ws.write_string(r, 5, "quarterly")?;
        ws.write_string(r, 6, "snapshot")?;
        ws.write_number(r, 7, 50.0)?;
        ws.write_string(r, 8, "2007/08")?;
        let targets = if higher { [52.0, 53.0, 54.0] } else { [48.0, 47.0, 46.0] };
        for (c, v) in targets.iter().enumerate() {
            ws.write_number(r, 9 + c as u16, *v)?;
        }
        if higher && i % 10 == 0 {
            ws.write_number(r, 12, 50.0)?;
            ws.write_number(r, 13, 56.0)?;
            ws.write_number(r, 14, 250_000.0 + 10_000.0 * i as f64)?;
        }
    }
    wb.save(dir.join("agreement.xlsx"))
}

/// A value between 40 and 55, varying by area, indicator and quarter.
fn value(seed: usize, i: usize, k: usize) -> f64 {
    40.0 + ((seed * 7 + i * 13 + k * 3) % 31) as f64 * 0.5
}

fn write_value(ws: &mut Worksheet, r: u32, c: u16, v: f64, as_text: bool) -> Result<(), XlsxError> {
    if as_text {
        ws.write_string(r, c, format!("{v}"))?;
    } else {
        ws.write_number(r, c, v)?;
    }
    Ok(())
}

fn write_wide(
    ws: &mut Worksheet,
    area: &str,
    seed: usize,
    codes: &[(String, String, Polarity)],
    quarters: &[String],
) -> Result<(), XlsxError> {
    ws.write_string(0, 0, format!("{area}: Local Area Agreement quarterly return"))?;
    ws.write_string(1, 0, "Returned by the performance team; figures provisional until year end")?;
    for (c, h) in ["NI", "Indicator", "Area"].iter().enumerate() {
        ws.write_string(3, c as u16, *h)?;
    }
    for (k, q) in quarters.iter().enumerate() {
        ws.write_string(3, 3 + k as u16, q)?;
    }
    for (i, (code, title, _)) in codes.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_string(r, 0, code)?;
        ws.write_string(r, 1, title)?;
        ws.write_string(r, 2, area)?;
        for k in 0..quarters.len() {
            write_value(ws, r, 3 + k as u16, value(seed, i, k), (i * 12 + k + seed).is_multiple_of(23))?;
        }
    }
    Ok(())
}

fn write_long(
    ws: &mut Worksheet,
    area: &str,
    seed: usize,
    codes: &[(String, String, Polarity)],
    quarters: &[String],
) -> Result<(), XlsxError> {
    ws.write_string(0, 0, format!("{area}: quarterly return"))?;
    for (c, h) in ["NI", "Area", "Period", "Value"].iter().enumerate() {
        ws.write_string(2, c as u16, *h)?;
    }
    let mut r = 3;
    for (i, (code, _, _)) in codes.iter().enumerate() {
        for (k, p) in quarters.iter().enumerate() {
            ws.write_string(r, 0, code)?;
            ws.write_string(r, 1, area)?;
            ws.write_string(r, 2, p)?;
            write_value(ws, r, 3, value(seed, i, k), (i * 12 + k + seed).is_multiple_of(23))?;
            r += 1;
        }
    }
    Ok(())
}
