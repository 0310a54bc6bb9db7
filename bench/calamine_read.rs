//! The floor for `laa import`: read every cell of every workbook in a folder with calamine, on
//! one thread, and do nothing with them but count. `bench/run.sh` times it beside `laa`.
//!
//! Run: `cargo run --release --example calamine_read -- DIR`.

use calamine::{Data, Reader, open_workbook_auto};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "bench/data/returns".into());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("list the folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    paths.sort();
    let (mut cells, mut numbers, mut sum) = (0usize, 0usize, 0f64);
    for p in &paths {
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
    }
    println!("{} files, {cells} cells, {numbers} numbers (sum {sum})", paths.len());
}
