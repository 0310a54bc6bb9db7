//! Hostile and broken files, made here: each is answered with exit 1 and a message naming what
//! is wrong, within seconds and bounded memory, and leaves the store byte for byte as it was.

use std::io::Write;
use std::path::Path;

use crate::common::Ws;

/// A minimal xlsx package around one worksheet's xml (as any tool may write it).
fn xlsx_with_sheet(path: &Path, sheet_xml: &[u8], method: zip::CompressionMethod) {
    let file = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    let parts: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    z.write_all(sheet_xml).unwrap();
    z.finish().unwrap();
}

const HEAD: &str =
    r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const TAIL: &str = "</sheetData></worksheet>";

/// An imported demo workspace, and its store's bytes.
fn imported() -> Ws {
    let ws = Ws::demo_with_returns();
    assert!(ws.laa(&["import", "-q"]).ok());
    ws
}

#[test]
fn the_bad_input_corpus_is_refused_file_by_file() {
    let ws = imported();
    std::fs::write(ws.file("partnership.toml"), limits_toml(&ws, "zip_entries = 1000")).unwrap();
    let bad = crate::common::repo().join("tests/fixtures/bad");
    let manifest = std::fs::read_to_string(bad.join("expected.tsv")).unwrap();
    let mut n = 0;
    for line in manifest.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut parts = line.split('\t');
        let name = parts.next().unwrap();
        std::fs::copy(bad.join(name), ws.file("returns").join(name)).unwrap();
        let words: Vec<String> = parts
            .filter(|w| !w.is_empty())
            .enumerate()
            .map(|(i, w)| if i == 0 { format!("returns/{name}: {w}") } else { w.to_string() })
            .collect();
        let mut expect: Vec<&str> = words.iter().map(String::as_str).collect();
        let named = format!("returns/{name}: ");
        expect.push(&named);
        refused(&ws, name, &expect);
        n += 1;
    }
    assert!(n >= 40, "the corpus has {n} files");
    // every file in the folder is in the manifest
    let files = std::fs::read_dir(&bad).unwrap().filter(|e| {
        let n = e.as_ref().unwrap().file_name().into_string().unwrap();
        !n.ends_with(".py") && !n.ends_with(".tsv")
    });
    assert_eq!(files.count(), n, "a file in tests/fixtures/bad/ is missing from expected.tsv");
    // the zip's "../../evil.txt" was never written anywhere
    assert!(!ws.path().join("../evil.txt").exists() && !ws.path().join("evil.txt").exists());
}

/// Import `name` (in returns/): exit 1, the expected words, nothing written.
fn refused(ws: &Ws, name: &str, expect: &[&str]) {
    let before = ws.store_bytes();
    let path = ws.file("returns").join(name);
    let started = std::time::Instant::now();
    let o = ws.laa(&["import", path.to_str().unwrap()]);
    let took = started.elapsed();
    assert_eq!(o.code(), 1, "{name}: exit {} (never 101 or a signal)\n{}", o.code(), o.stderr());
    for e in expect {
        assert!(o.stderr().contains(e), "{name}: expected {e:?} in\n{}", o.stderr());
    }
    assert!(!o.stderr().contains("panicked"), "{name}: {}", o.stderr());
    // a guard against hangs, not a speed check (bench/hostile.sh measures time and memory)
    assert!(took.as_secs() < 60, "{name} took {took:?}");
    assert_eq!(ws.store_bytes(), before, "{name}: the store changed");
    std::fs::remove_file(&path).ok();
}

#[test]
fn hostile_workbooks_are_refused_before_they_cost_memory() {
    let ws = imported();
    let dir = ws.file("returns");
    // one cell at the sheet's far corner: calamine would allocate the whole used range (549 GB)
    let far = format!(
        r#"{HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>Indicator</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>{TAIL}"#
    );
    xlsx_with_sheet(&dir.join("far.xlsx"), far.as_bytes(), zip::CompressionMethod::Deflated);
    refused(&ws, "far.xlsx", &["far.xlsx: refused: cell Sheet1!XFD1048576 is past the last row allowed", "[limits]"]);
    // a column past the limit on an early row
    let wide = format!(r#"{HEAD}<row r="2"><c r="ZZZ2"><v>1</v></c></row>{TAIL}"#);
    std::fs::write(ws.file("partnership.toml"), limits_toml(&ws, "columns = 100")).unwrap();
    xlsx_with_sheet(&dir.join("wide.xlsx"), wide.as_bytes(), zip::CompressionMethod::Deflated);
    refused(&ws, "wide.xlsx", &["cell Sheet1!ZZZ2 is past the last column allowed", "`columns`"]);
    // a zip bomb: 3 MB of spaces compressed a thousandfold
    let mut bomb = HEAD.as_bytes().to_vec();
    bomb.extend(std::iter::repeat_n(b' ', 3_000_000));
    bomb.extend(TAIL.as_bytes());
    xlsx_with_sheet(&dir.join("bomb.xlsx"), &bomb, zip::CompressionMethod::Deflated);
    refused(&ws, "bomb.xlsx", &["xl/worksheets/sheet1.xml is compressed", "as a zip bomb is", "`compression_ratio`"]);
    // a workbook decompressing past the total allowed (stored, so the file itself is big)
    std::fs::write(ws.file("partnership.toml"), limits_toml(&ws, "uncompressed_mb = 1")).unwrap();
    xlsx_with_sheet(&dir.join("big.xlsx"), &bomb, zip::CompressionMethod::Stored);
    refused(&ws, "big.xlsx", &["would decompress to more than 1.0 MB", "`uncompressed_mb`"]);
    // a file past the size limit is refused before it is opened
    std::fs::write(ws.file("partnership.toml"), limits_toml(&ws, "file_mb = 1")).unwrap();
    xlsx_with_sheet(&dir.join("huge.xlsx"), &bomb, zip::CompressionMethod::Stored);
    refused(&ws, "huge.xlsx", &["huge.xlsx: refused: the file is 3.0 MB", "`file_mb`"]);
}

/// A file's cost is bounded over all its sheets, not one sheet at a time: rows of blank cells in
/// a csv, and a grid that each sheet keeps within its own limits but whose sum is past the file's
/// (the corpus holds the full-size shapes). The other files of the import are still checked.
#[test]
fn the_cells_a_file_spans_are_bounded_across_its_rows_and_sheets() {
    let ws = imported();
    let dir = ws.file("returns");
    std::fs::write(ws.file("partnership.toml"), limits_toml(&ws, "cells = 1000")).unwrap();
    // 4,000 cells may be spanned: six rows of a thousand commas pass it
    let commas = format!("Indicator,Period,Value\n{}", format!("{}\n", ",".repeat(1000)).repeat(6));
    std::fs::write(dir.join("commas.csv"), commas).unwrap();
    refused(
        &ws,
        "commas.csv",
        &["commas.csv: refused: its rows hold more than 4,000 cells (passed at row 5", "`cells`"],
    );
    // two sheets of 40 × 60 cells spanned: each alone within 4,000, together past it
    let bad = ws.file("returns/bad.csv");
    std::fs::write(&bad, "Indicator,Period,Value\nNI 999,2009/10 Q2,1\n").unwrap();
    // every row holds a cell at column BH (the 60th)
    let grid = || -> Vec<Vec<crate::common::C>> {
        (0..40)
            .map(|r| {
                let mut row = vec![crate::common::C::E; 59];
                row[0] = if r == 0 { crate::common::C::S("Indicator") } else { crate::common::C::E };
                row.push(crate::common::C::N(1.0));
                row
            })
            .collect()
    };
    crate::common::xlsx(&dir.join("two.xlsx"), &[("First", grid()), ("Second", grid())]);
    let o = ws.laa(&["import"]);
    assert_eq!(o.code(), 1);
    let err = o.stderr();
    assert!(err.contains("returns/two.xlsx: refused: sheet \"Second\" holds cells as far out as column BH"), "{err}");
    assert!(err.contains("returns/bad.csv") && err.contains("NI 999"), "the other files are still checked: {err}");
}

/// The workspace's settings with a `[limits]` table.
fn limits_toml(ws: &Ws, line: &str) -> String {
    let toml = std::fs::read_to_string(crate::common::repo().join("datasets/demo/partnership.toml")).unwrap();
    let _ = ws;
    format!("{toml}\n[limits]\n{line}\n")
}

#[test]
fn a_long_cell_and_a_folder_named_like_a_workbook() {
    let ws = imported();
    let dir = ws.file("returns");
    // a cell of a megabyte quoted in a message is cut to a line
    let mut long = b"Indicator,Area,Period,Value
NI "
    .to_vec();
    long.extend(std::iter::repeat_n(b'9', 1_000_000));
    long.extend(
        b"x,Blaby,2009/10 Q1,3
",
    );
    std::fs::write(dir.join("long-cell.csv"), &long).unwrap();
    let o = ws.laa(&["import", dir.join("long-cell.csv").to_str().unwrap()]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().len() < 2_000 && o.stderr().contains("characters in all"), "{}", o.stderr().len());
    std::fs::remove_file(dir.join("long-cell.csv")).unwrap();
    let mut rows = String::from("Indicator,Area,Period,Value\n");
    for i in 0..100_001 {
        rows.push_str(&format!("NI 154,Blaby,2009/10 Q1,{i}\n"));
    }
    std::fs::write(dir.join("many-rows.csv"), rows).unwrap();
    refused(&ws, "many-rows.csv", &["many-rows.csv: refused: row 100001 is past the last row allowed", "100,000 rows"]);
    let wide = format!("{}\n", vec!["x"; 16_385].join(","));
    std::fs::write(dir.join("wide.csv"), wide).unwrap();
    refused(&ws, "wide.csv", &["wide.csv: refused: row 1 has 16385 columns"]);
    // a folder named like a workbook, passed by name
    std::fs::create_dir(dir.join("folder.xlsx")).unwrap();
    let o = ws.laa(&["import", dir.join("folder.xlsx").to_str().unwrap()]);
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(o.stderr().contains("no returns to import"), "{}", o.stderr());
}

#[test]
#[cfg(unix)]
fn links_and_lock_files_in_the_returns_folder() {
    let ws = imported();
    let dir = ws.file("returns");
    let before = ws.store_bytes();
    // an Office lock file is skipped with a note; a link back up the tree is not followed
    std::fs::write(dir.join("~$safer-2009-10-q2.xlsx"), b"\x08owner").unwrap();
    std::os::unix::fs::symlink("..", dir.join("loop")).unwrap();
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(
        o.stderr().contains("note: returns/~$safer-2009-10-q2.xlsx was not read: an Office lock file"),
        "{}",
        o.stderr()
    );
    assert_eq!(ws.store_bytes(), before, "nothing new: every return was already imported");
    // a named pipe called like a return would block a read for ever: refused at once
    if std::process::Command::new("mkfifo").arg(dir.join("pipe.csv")).status().is_ok_and(|s| s.success()) {
        let o = ws.laa(&["import"]);
        assert_eq!(o.code(), 1, "{}", o.stderr());
        assert!(o.stderr().contains("pipe.csv: cannot read: not a regular file"), "{}", o.stderr());
        assert_eq!(ws.store_bytes(), before);
        std::fs::remove_file(dir.join("pipe.csv")).unwrap();
    }
    // a dangling link is a file that cannot be read, by name
    std::os::unix::fs::symlink("gone.xlsx", dir.join("dangling.xlsx")).unwrap();
    let o = ws.laa(&["import"]);
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(o.stderr().contains("dangling.xlsx: cannot read"), "{}", o.stderr());
    assert_eq!(ws.store_bytes(), before);
}

/// Every file in `returns/` is read or named with its reason: an .xlsb is read, an Excel 2003
/// XML file, a Numbers file and a PDF are each listed once (by `laa import`, `laa report` and
/// `laa status`) with what to save them as.
#[test]
fn the_folder_scan_names_every_file_it_does_not_read() {
    let ws = imported();
    let dir = ws.file("returns");
    let fixtures = crate::common::repo().join("tests/fixtures");
    std::fs::copy(fixtures.join("returns/safer-binary.xlsb"), dir.join("safer-binary.xlsb")).unwrap();
    std::fs::copy(fixtures.join("bad/spreadsheetml-named.xls"), dir.join("old-system-export.xml")).unwrap();
    std::fs::write(dir.join("health.numbers"), b"PK\x03\x04").unwrap();
    std::fs::write(dir.join("scan.pdf"), b"%PDF-1.4\n").unwrap();
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    let err = o.stderr();
    assert!(err.contains("returns/safer-binary.xlsb: imported 6 values"), "{err}");
    for (file, why) in [
        ("returns/old-system-export.xml", "Excel 2003 XML Spreadsheet"),
        ("returns/health.numbers", "Export To > Excel"),
        ("returns/scan.pdf", "ask the partner for the spreadsheet itself"),
    ] {
        assert_eq!(err.matches(&format!("warning: {file} was not read: ")).count(), 1, "{file} once: {err}");
        assert!(err.contains(why), "{why}: {err}");
    }
    // --quiet does not hide a file whose figures never arrive
    let o = ws.laa(&["import", "-q"]);
    assert!(o.stderr().contains("warning: returns/scan.pdf was not read"), "{}", o.stderr());
    let s = ws.json(&["status", "--format", "json"]);
    let listed: Vec<&str> =
        s["returns_not_read"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(listed, ["returns/health.numbers", "returns/old-system-export.xml", "returns/scan.pdf"]);
    let o = ws.laa(&["status"]);
    assert!(o.stdout().contains("returns/ holds 3 files an import does not read"), "{}", o.stdout());
    let o = ws.laa(&["report", "--only", "html", "--out", ws.file("out").to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("warning: returns/health.numbers was not read"), "{}", o.stderr());
}

/// Text from a return never acts on the terminal: an escape sequence that would retitle it, a
/// bidirectional override that would show text reversed, are shown escaped by `laa history`.
#[test]
fn text_from_returns_is_shown_escaped_on_a_terminal() {
    let ws = Ws::demo();
    std::fs::write(
        ws.file("odd.csv"),
        "Indicator,Period,Value,Commentary\nNI 32,2009/10 Q2,28,\"\u{1b}]0;owned\u{7}fine \u{202e}txet\"\n",
    )
    .unwrap();
    let o = ws.laa(&["import", ws.file("odd.csv").to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    let o = ws.laa(&["history", "NI 32"]);
    assert!(o.ok(), "{}", o.stderr());
    let out = o.stdout();
    assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("\\u{1b}]0;owned\\u{7}fine \\u{202e}txet"), "{out}");
    // machine output keeps the text exactly (json escapes it its own way)
    let h = ws.json(&["history", "NI 32", "--format", "json"]);
    assert_eq!(h[0]["commentary"], "\u{1b}]0;owned\u{7}fine \u{202e}txet");
}

/// `laa report --out` somewhere that cannot be written fails before it imports or draws.
#[test]
fn a_report_to_a_folder_that_cannot_be_written_fails_before_the_work() {
    let ws = Ws::demo_with_returns();
    let before = ws.store_bytes();
    let inside_a_file = ws.file("partnership.toml").join("reports");
    let o = ws.laa(&["report", "--out", inside_a_file.to_str().unwrap()]);
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(o.stderr().contains("cannot write the report there"), "{}", o.stderr());
    assert!(!o.stderr().contains("imported"), "nothing imported first: {}", o.stderr());
    assert_eq!(ws.store_bytes(), before, "the store is as it was");
}

/// The largest values an import accepts (with a warning), in every district, add up to a county
/// value past them: the report still draws every chart and finishes.
#[test]
fn the_report_finishes_after_the_most_extreme_values_an_import_accepts() {
    let ws = Ws::demo_with_returns();
    let mut csv = String::from("Indicator,Area,Period,Value\n");
    for area in [
        "Blaby",
        "Charnwood",
        "Harborough",
        "Hinckley & Bosworth",
        "Melton",
        "North West Leicestershire",
        "Oadby & Wigston",
    ] {
        csv += &format!("NI 154,{area},2009/10 Q2,999999999999\nNI 154,{area},2009/10 Q1,-999999999999\n");
    }
    std::fs::write(ws.file("returns/extreme.csv"), csv).unwrap();
    let out = ws.file("out");
    let started = std::time::Instant::now();
    let o = ws.laa(&["report", "--only", "html", "--only", "charts", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("over a thousand times what is expected"), "{}", o.stderr());
    assert!(started.elapsed().as_secs() < 120, "took {:?}", started.elapsed());
    let svg = std::fs::read_to_string(out.join("charts/ni-154.svg")).unwrap();
    assert!(roxmltree::Document::parse(&svg).is_ok());
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    assert!(html.contains("NI 154") && !html.contains("9,223,372,036,854,775,807"));
}
