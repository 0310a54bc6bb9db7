//! Property tests of every reader of untrusted input, on stable Rust under `cargo test`: arbitrary
//! text and bytes, cells drawn from the words returns really hold, and mutated real workbooks.
//! Each asserts no panic (and, for the readers `laa` owns, no caught one either) within a
//! bounded number of cases. A crash found here becomes a file in `tests/fixtures/bad/`.

use std::path::PathBuf;

use proptest::prelude::*;

use crate::domain::catalogue::{Catalogue, normalise_code};
use crate::domain::periods::{self, Period};
use crate::ingest::returns;
use crate::sheet::{self, Cell, Sheet, SheetError, Workbook};
use crate::workspace::{Settings, TEMPLATE_SETTINGS, Workspace};
use crate::workspace::{agreement, priorities};

/// 192 cases each in CI; `PROPTEST_CASES=20000 cargo test --lib fuzz` searches longer.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(192);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn demo_ws(dir: PathBuf) -> Workspace {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/demo/partnership.toml"))
        .unwrap_or_else(|_| TEMPLATE_SETTINGS.to_string());
    let settings: Settings = toml::from_str(&text).expect("demo settings");
    Workspace::new(dir, settings)
}

/// A word a return's cell might hold: codes, periods, numbers as typed, headers, junk.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("NI 154".to_string()),
        Just("NI32".to_string()),
        Just("L01".to_string()),
        Just("Indicator".to_string()),
        Just("NI ref".to_string()),
        Just("Area".to_string()),
        Just("Period".to_string()),
        Just("Value".to_string()),
        Just("Numerator".to_string()),
        Just("Denominator".to_string()),
        Just("Commentary".to_string()),
        Just("Q1 2009/10".to_string()),
        Just("Jul-Sep 09".to_string()),
        Just("2009/10 Q2".to_string()),
        Just("2008/09".to_string()),
        Just("AY 2008/09".to_string()),
        Just("Q3".to_string()),
        Just("Blaby".to_string()),
        Just("Leicestershire".to_string()),
        Just("n/a".to_string()),
        Just("#DIV/0!".to_string()),
        Just("45%".to_string()),
        Just("1,234".to_string()),
        Just("(3.2)".to_string()),
        Just("£2,500".to_string()),
        "-?[0-9]{1,7}(\\.[0-9]{1,3})?",
        "\\PC{0,12}",
    ]
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        3 => word().prop_map(Cell::Text),
        2 => any::<f64>().prop_map(Cell::Number),
        1 => Just(Cell::Empty),
        1 => any::<bool>().prop_map(Cell::Bool),
        1 => Just(Cell::Error("#N/A".into())),
    ]
}

fn grid() -> impl Strategy<Value = Vec<Vec<Cell>>> {
    prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..14)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn numbers_periods_and_codes_never_panic(text in "\\PC{0,40}") {
        let _ = Cell::Text(text.clone()).number();
        let _ = text.parse::<Period>();
        let _ = periods::parse_partial(&text);
        let _ = periods::find_year(&text);
        let _ = normalise_code(&text);
        let _ = crate::domain::catalogue::Aggregation::from_unit(&text);
    }

    #[test]
    fn csv_text_reads_or_says_why(text in "[\\PC\\n\\r,;\"\t]{0,400}") {
        // laa's own reader: no panic, and none caught either
        let r = sheet::read_csv_text(&text, "x.csv");
        let caught = matches!(r, Err(SheetError::Format { ref detail, .. }) if detail.contains("reader failed"));
        prop_assert!(!caught, "a panic in laa's own csv reader");
    }

    #[test]
    fn any_grid_is_read_as_a_return_or_refused_by_cell(rows in grid(), title in word()) {
        let ws = demo_ws(PathBuf::from("."));
        let cat = Catalogue::shipped();
        let ctx = returns::Context::new(&ws, &cat);
        let wb = Workbook { label: "r.xlsx".into(), sheets: vec![Sheet { name: Some(title), rows, hidden: false }], passed_over: Vec::new() };
        let _ = returns::read_workbook(&wb, &ctx);
    }

    #[test]
    fn arbitrary_bytes_under_any_extension_are_an_error_not_a_crash(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        ext in prop::sample::select(vec!["xlsx", "xls", "ods", "csv", "xlsm", "xlsb"]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("f.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let _ = sheet::read_workbook(&path, "f");
    }

    #[test]
    fn mutated_real_workbooks_are_an_error_not_a_crash(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        cut in any::<prop::sample::Index>(),
        which in prop::sample::select(vec![
            "datasets/demo/returns/economy-2009-10-q2.xlsx",
            "datasets/demo/agreement.xlsx",
            "tests/fixtures/safer-wide.xls",
            "tests/fixtures/economy-long.ods",
            "tests/fixtures/returns/safer-binary.xlsb",
        ]),
    ) {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(which);
        let mut bytes = std::fs::read(&src).unwrap();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if cut.index(4) == 0 {
            bytes.truncate(cut.index(bytes.len()));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(src.file_name().unwrap());
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(keep) = std::env::var("LAA_FUZZ_KEEP") {
            // the case about to run, kept where a crash leaves it (LAA_FUZZ_KEEP=/tmp/case)
            std::fs::write(format!("{keep}.{}", src.extension().unwrap().to_str().unwrap()), &bytes).unwrap();
        }
        if let Ok(wb) = sheet::read_workbook(&path, "f") {
            let ws = demo_ws(PathBuf::from("."));
            let cat = Catalogue::shipped();
            let _ = returns::read_workbook(&wb, &returns::Context::new(&ws, &cat));
        }
    }

    /// An .xlsb's sheet records mutated inside an intact zip (flips in a compressed part only
    /// reach the zip's own checks): far cells, wrong lengths and types, truncated records.
    #[test]
    fn mutated_xlsb_records_are_an_error_not_a_crash(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        use std::io::{Read, Write};
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/returns/safer-binary.xlsb");
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&src).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.xlsb");
        let mut out = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            if name.ends_with(".bin") && !bytes.is_empty() {
                for (at, b) in &flips {
                    let i = at.index(bytes.len());
                    bytes[i] = *b;
                }
                if cut.index(4) == 0 {
                    bytes.truncate(cut.index(bytes.len()));
                }
            }
            out.start_file(name, stored).unwrap();
            out.write_all(&bytes).unwrap();
        }
        out.finish().unwrap();
        if let Ok(wb) = sheet::read_workbook(&path, "f") {
            let ws = demo_ws(PathBuf::from("."));
            let cat = Catalogue::shipped();
            let _ = returns::read_workbook(&wb, &returns::Context::new(&ws, &cat));
        }
    }

    #[test]
    fn agreement_and_priorities_readers_never_panic(rows in grid()) {
        let dir = tempfile::tempdir().unwrap();
        let ws = demo_ws(dir.path().to_path_buf());
        let mut text = String::new();
        for (i, row) in rows.iter().enumerate() {
            // a header the readers recognise first, then arbitrary rows
            if i == 0 {
                text.push_str("Indicator,Lead theme,Baseline,Target 2009/10,Performance without reward,Stretch target,Maximum grant,Assessed,Outcome,Theme\n");
            }
            let cells: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.text().replace('"', "\"\""))).collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        let path = dir.path().join("a.csv");
        std::fs::write(&path, &text).unwrap();
        let mut cat = Catalogue::shipped();
        if let Ok(a) = agreement::Agreement::read(&path, "a.csv", &ws, &mut cat) {
            let _ = agreement::check(&a, &cat, &ws.years(), &[], "a.csv", false);
        }
        let _ = priorities::read(&path, "a.csv", &ws);
    }
}
