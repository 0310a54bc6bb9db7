//! Comparison with other areas: comparator tables made by other tools (XlsxWriter, LibreOffice,
//! a text editor's csv; `tests/fixtures/benchmarks/make_benchmarks.py`), ranks worked out by
//! hand, the comparator store kept apart, and the demo's report showing the comparison.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{Ws, repo};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/benchmarks").join(name)
}

fn imported_demo() -> Ws {
    let ws = Ws::demo_with_returns();
    let o = ws.laa(&["import", "-q"]);
    assert!(o.ok(), "{}", o.stderr());
    ws
}

fn with_fixtures() -> Ws {
    let ws = imported_demo();
    let (a, b) = (fixture("ni7-old-codes.xlsx"), fixture("ni4-names.ods"));
    let o = ws.laa(&["benchmark", "import", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("ni7-old-codes.xlsx: imported 17 values"), "{}", o.stderr());
    assert!(o.stderr().contains("ni4-names.ods: imported 4 values"), "{}", o.stderr());
    ws
}

fn county(ws: &Ws, code: &str) -> serde_json::Value {
    let j = ws.json(&["rate", "--format", "json"]);
    j.as_array().unwrap().iter().find(|r| r["indicator"] == code).unwrap().clone()
}

#[test]
fn ranks_quartiles_and_medians_from_tables_made_by_other_tools_match_a_hand_calculation() {
    let ws = with_fixtures();
    // NI 7, 2008/09, higher is better. The upper-tier figures, by old codes: Warwickshire 19.0,
    // Worcestershire 18.2, Staffordshire 17.0, Leicester 15.5, Nottingham 20.5, Manchester 16.0;
    // Camden "..". The county's own return says 18.2 (its published 18.0 is not used).
    // Sorted: 15.5 16.0 17.0 18.2 18.2 19.0 20.5 (n = 7).
    let r = county(&ws, "NI 7");
    assert_eq!(r["actual"], 18.2);
    assert_eq!(r["benchmark_period"], "2008/09");
    assert_eq!((r["rank"].as_u64(), r["ranked_of"].as_u64()), (Some(3), Some(7)), "tied 3rd with Worcestershire");
    // percentiles at h = 6p: 25th 1.5 → 16.5; 50th 3 → 18.2; 75th 4.5 → 18.6
    assert_eq!(r["england_median"], 18.2);
    assert_eq!(r["top_quartile"], 18.6);
    assert_eq!(r["national_quartile"], 2, "at the median, below 18.6");
    // the nearest neighbours in the table: Warwickshire 19.0, Worcestershire 18.2, Staffordshire
    // 17.0 → median 18.2, second of four; in 2007/08 the county's 17.0 was 0.5 behind their
    // median of 17.5, now level: gaining
    assert_eq!(r["comparator_group"], "nearest_neighbours");
    assert_eq!(r["comparator_median"], 18.2);
    assert_eq!(r["group_position"], 2);
    assert_eq!(r["group_direction"], "gaining on the group since 2007/08");
    // Camden ("..") and the two authorities with an NI 4 figure only have none: counted, never zero
    assert_eq!(r["comparators_missing"], 3);

    // NI 4 from the LibreOffice file, by names only: Camden 31.0, Bristol 28.5, Hull 25.5, and
    // the county's own 27.2 (higher is better). Sorted 25.5 27.2 28.5 31.0: rank 3 of 4; 25th
    // percentile 26.775, median 27.85, 75th 29.125 → third quarter
    let r = county(&ws, "NI 4");
    assert_eq!(r["actual"], 27.2);
    assert_eq!((r["rank"].as_u64(), r["ranked_of"].as_u64()), (Some(3), Some(4)));
    assert_eq!(r["england_median"], 27.85);
    assert_eq!(r["top_quartile"], 29.125);
    assert_eq!(r["national_quartile"], 3);
    assert!(r["group_position"].is_null(), "no neighbour has a figure: no position in the group");
    // an indicator without comparator figures has none of the fields
    let r = county(&ws, "NI 154");
    assert!(r["rank"].is_null() && r["national_quartile"].is_null() && r["benchmark_period"].is_null());
    // the table shows the quartile
    let t = ws.laa(&["rate"]);
    assert!(t.stdout().contains("second quarter (rank 3 of 7)"), "{}", t.stdout());
}

#[test]
fn the_league_table_marks_the_partnership_and_traces_every_figure() {
    let ws = with_fixtures();
    let j = ws.json(&["benchmark", "show", "NI 7", "--format", "json"]);
    assert_eq!(j["period"], "2008/09");
    assert_eq!(j["authority"], "E10000018");
    let rows = j["rows"].as_array().unwrap();
    let ranks: Vec<u64> = rows.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3, 3, 5, 6, 7], "best first, ties sharing a rank");
    assert_eq!(rows[0]["name"], "Nottingham");
    let us: Vec<&serde_json::Value> = rows.iter().filter(|r| r["us"] == true).collect();
    assert_eq!(us.len(), 1);
    assert_eq!((us[0]["code"].as_str(), us[0]["value"].as_f64()), (Some("E10000018"), Some(18.2)));
    assert_eq!(us[0]["source"], "our return");
    // every other figure names its cell: Warwickshire was row 7 of the XlsxWriter sheet, by its
    // old code "44"
    let warks = rows.iter().find(|r| r["code"] == "E10000031").unwrap();
    assert!(warks["source"].as_str().unwrap().ends_with("ni7-old-codes.xlsx: NI 7!D7"), "{}", warks["source"]);
    assert_eq!(warks["in_group"], true);
    assert_eq!(j["measures"]["rank"], 3);
    // the table for a person: the partnership marked, the measures beneath
    let o = ws.laa(&["benchmark", "show", "NI 7"]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stdout().contains("▶ Leicestershire"), "{}", o.stdout());
    assert!(o.stdout().contains("ranked 3 of 7 English upper-tier authorities (second quarter)"), "{}", o.stdout());
    assert!(o.stdout().contains("middle half of authorities: 16.5% to 18.6%"), "{}", o.stdout());
    // csv parses, a row per authority
    let csv = ws.laa(&["benchmark", "show", "NI 7", "--format", "csv"]).stdout();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(rdr.records().count(), 7);
    // what there is not
    let o = ws.laa(&["benchmark", "show", "NI 154"]);
    assert!(!o.ok() && o.stderr().contains("hold no figures for NI 154"), "{}", o.stderr());
    let o = ws.laa(&["benchmark", "show", "NI 7", "--period", "2006/07"]);
    assert!(!o.ok() && o.stderr().contains("there are for 2007/08, 2008/09"), "{}", o.stderr());
}

#[test]
fn a_name_two_authorities_share_and_a_table_without_authorities_are_refused() {
    let ws = imported_demo();
    let f = fixture("newcastle.csv");
    let o = ws.laa(&["benchmark", "import", f.to_str().unwrap()]);
    assert!(!o.ok());
    assert!(
        o.stderr().contains(
            "newcastle.csv: A3: \"Newcastle\" names Newcastle upon Tyne (E08000021) and Newcastle-under-Lyme (E07000195): give its ONS code"
        ),
        "{}",
        o.stderr()
    );
    let f = fixture("no-authorities.csv");
    let o = ws.laa(&["benchmark", "import", f.to_str().unwrap()]);
    assert!(!o.ok());
    assert!(o.stderr().contains("a comparator table must name its authorities"), "{}", o.stderr());
    // an unknown name is refused with its cell; an ONS code the register does not hold is read
    std::fs::write(
        ws.file("odd.csv"),
        "Authority,Indicator,Year,Value\nAtlantis,NI 4,2008/09,30\nE07000999,NI 4,2008/09,29\n",
    )
    .unwrap();
    let o = ws.laa(&["benchmark", "import", ws.file("odd.csv").to_str().unwrap()]);
    assert!(o.stderr().contains("odd.csv: A2: unknown authority \"Atlantis\""), "{}", o.stderr());
    assert!(!o.stderr().contains("A3"), "E07000999 is a district's code: {}", o.stderr());
    // nothing was written
    assert!(!ws.file("store/benchmarks/journal.jsonl").exists());
}

/// Every field of `laa rate --area all --format csv` before the comparison's.
fn ratings_without_comparison(ws: &Ws) -> Vec<Vec<String>> {
    let csv = ws.laa(&["rate", "--area", "all", "--format", "csv"]).stdout();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let first = rdr.headers().unwrap().iter().position(|h| h == "benchmark_period").unwrap();
    rdr.records().map(|r| r.unwrap().iter().take(first).map(String::from).collect()).collect()
}

#[test]
fn comparator_figures_are_kept_apart_and_never_enter_a_rating() {
    let ws = imported_demo();
    let before = ratings_without_comparison(&ws);
    let history = ws.laa(&["history", "NI 7"]).stdout();
    let main_journal = std::fs::read_to_string(ws.file("store/journal.jsonl")).unwrap();
    // a benchmarks/ folder is read by `laa benchmark import` with no file named
    std::fs::create_dir(ws.file("benchmarks")).unwrap();
    std::fs::copy(fixture("ni7-old-codes.xlsx"), ws.file("benchmarks/ni7.xlsx")).unwrap();
    let o = ws.laa(&["benchmark", "import"]);
    assert!(o.ok() && o.stderr().contains("benchmarks/ni7.xlsx: imported 17 values"), "{}", o.stderr());
    assert_eq!(ratings_without_comparison(&ws), before, "ratings, reasons, forecasts and sources unchanged");
    assert_eq!(ws.laa(&["history", "NI 7"]).stdout(), history, "no comparator figure in the partnership's values");
    assert_eq!(std::fs::read_to_string(ws.file("store/journal.jsonl")).unwrap(), main_journal);
    // the comparator store: its own journal and a Parquet batch any engine reads
    let journal = std::fs::read_to_string(ws.file("store/benchmarks/journal.jsonl")).unwrap();
    let entry: serde_json::Value = serde_json::from_str(journal.lines().next().unwrap()).unwrap();
    assert_eq!(entry["file"], "benchmarks/ni7.xlsx");
    let batch = ws.file("store/benchmarks/batches").join(entry["batch_file"].as_str().unwrap());
    let bytes = std::fs::read(&batch).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "a Parquet file");
    // laa status says what is held; laa store verify checks it with the partnership's store
    let status = ws.json(&["status", "--format", "json"]);
    assert_eq!(status["comparators"]["figures"], 17);
    assert_eq!(status["comparators"]["authority"], "E10000018");
    assert!(ws.laa(&["store", "verify"]).ok());
    // append-only: the same file again changes nothing
    let o = ws.laa(&["benchmark", "import"]);
    assert!(o.stderr().contains("already imported"), "{}", o.stderr());
    assert_eq!(std::fs::read_to_string(ws.file("store/benchmarks/journal.jsonl")).unwrap(), journal);
    // a damaged comparator batch is found by laa store verify, named
    let mut damaged = bytes.clone();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0xff;
    std::fs::write(&batch, damaged).unwrap();
    let o = ws.laa(&["store", "verify"]);
    assert!(!o.ok());
    assert!(
        o.stdout().contains("store/benchmarks/batches/") && o.stdout().contains("checksum differs"),
        "{}",
        o.stdout()
    );
}

fn read_zip(path: &Path, name: &str) -> String {
    crate::report::read_zip(path, name)
}

#[test]
fn the_demo_report_shows_where_the_partnership_stands() {
    let ws = Ws::demo_with_returns();
    std::fs::create_dir(ws.file("benchmarks")).unwrap();
    let demo = repo().join("datasets/demo/benchmarks/upper-tier-comparators.xlsx");
    std::fs::copy(&demo, ws.file("benchmarks/upper-tier-comparators.xlsx")).unwrap();
    let out = ws.path().join("out");
    let o = ws.laa(&["report", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("importing 1 new comparator table first"), "{}", o.stderr());
    let rates = ws.json(&["rate", "--format", "json"]);
    let rates = rates.as_array().unwrap();
    let compared: Vec<&serde_json::Value> = rates.iter().filter(|r| !r["rank"].is_null()).collect();
    assert!(compared.len() >= 40, "{} county indicators compared", compared.len());

    // the HTML: a sentence in each compared panel, saying the same rank and quartile as laa rate
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    let quarter = ["", "top quarter", "second quarter", "third quarter", "bottom quarter"];
    for r in &compared {
        let said = format!(
            "ranked {} of {} English upper-tier authorities ({})",
            r["rank"],
            r["ranked_of"],
            quarter[r["national_quartile"].as_u64().unwrap() as usize]
        );
        assert!(html.contains(&said), "{} panel: {said}", r["indicator"]);
    }
    // the demo places NI 16 (red) in the top quarter: the exception says so
    let ni16 = rates.iter().find(|r| r["indicator"] == "NI 16").unwrap();
    assert_eq!((ni16["rating"].as_str(), ni16["national_quartile"].as_u64()), (Some("red"), Some(1)));
    assert!(html.contains("Red against its target, yet in the top quarter of English upper-tier authorities"));

    // the workbook: the same quartile and rank on the Ratings sheet
    let mut wb: Xlsx<_> = open_workbook(out.join("ssog-report.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Ratings").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let col = |name: &str| rows[0].iter().position(|c| c == &Data::String(name.into())).unwrap();
    let (q, rank) = (col("National quartile"), col("Rank"));
    for r in &compared {
        let row = rows
            .iter()
            .find(|row| {
                row[1] == Data::String(r["indicator"].as_str().unwrap().into())
                    && row[3] == Data::String("Leicestershire".into())
            })
            .unwrap();
        assert_eq!(row[q], Data::Float(r["national_quartile"].as_f64().unwrap()), "{}", r["indicator"]);
        assert_eq!(row[rank], Data::Float(r["rank"].as_f64().unwrap()), "{}", r["indicator"]);
    }

    // the board paper: the red in the top quarter is named as such
    let paper = crate::report::docx_paragraphs(&read_zip(&out.join("board-paper.docx"), "word/document.xml"));
    let text: String = paper.iter().map(|p| p.1.clone() + "\n").collect();
    assert!(text.contains("yet in the top quarter nationally"), "{text}");
    assert!(text.contains("NI 16"), "{text}");

    // the trend chart: the band and the group's median, in the SVG and in the PNG
    let svg = std::fs::read_to_string(out.join("charts/ni-16.svg")).unwrap();
    assert!(svg.contains("middle half of English authorities") && svg.contains("nearest neighbours median"));
    assert!(svg.to_ascii_uppercase().contains("#DAEFFA"), "the band's colour");
    assert!(svg.to_ascii_uppercase().contains("#56B4E9"), "the median's colour");
    let (buf, px) = crate::report_read::screenshot_pixels(&out.join("charts/ni-16.png"));
    let near = |c: (i32, i32, i32), tol: i32| {
        buf.chunks(px)
            .filter(|p| {
                (p[0] as i32 - c.0).abs() < tol && (p[1] as i32 - c.1).abs() < tol && (p[2] as i32 - c.2).abs() < tol
            })
            .count()
    };
    assert!(near((0x56, 0xB4, 0xE9), 12) > 100, "the median's pixels");
    // the band's tint (the colour at 22% over white)
    assert!(near((0xDA, 0xEF, 0xFA), 4) > 2000, "the band's pixels");
}
