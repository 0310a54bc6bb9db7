//! The floor for `laa import`: read every cell of every workbook in a folder with calamine, and do
//! nothing with them but count. On one thread by default; `--all-cores` reads the files in
//! parallel on every core (rayon), as `laa import` does. `bench/run.sh` times both beside `laa`.
//!
//! Run: `cargo run --release --example calamine_read -- DIR [--all-cores]`.

use calamine::{Data, Reader, open_workbook_auto};
use rayon::prelude::*;

/// Cells, numbers and their sum in one workbook.
fn read(p: &std::path::Path) -> (usize, usize, f64) {
    let (mut cells, mut numbers, mut sum) = (0usize, 0usize, 0f64);
    let mut wb = open_workbook_auto(p).expect("open a workbook");
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("read a sheet");
        for c in range.used_cells() {
            cells += 1;
            if let Data::Float(f) = c.2 {
                numbers += 1;
                sum += f;
            }
        }
    }
    (cells, numbers, sum)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all_cores = args.iter().any(|a| a == "--all-cores");
    let dir = args.iter().find(|a| !a.starts_with("--")).cloned().unwrap_or_else(|| "bench/data/returns".into());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("list the folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    paths.sort();
    let add = |a: (usize, usize, f64), b: (usize, usize, f64)| (a.0 + b.0, a.1 + b.1, a.2 + b.2);
    let (cells, numbers, sum) = if all_cores {
        paths.par_iter().map(|p| read(p)).reduce(|| (0, 0, 0.0), add)
    } else {
        paths.iter().map(|p| read(p)).fold((0, 0, 0.0), add)
    };
    let how = if all_cores { format!("{} threads", rayon::current_num_threads()) } else { "one thread".into() };
    println!("{} files, {cells} cells, {numbers} numbers (sum {sum}), {how}", paths.len());
}
