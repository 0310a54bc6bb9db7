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

/// Import `name` (made by `make`): exit 1, the expected words, nothing written.
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
    assert!(took.as_secs() < 30, "{name} took {took:?}");
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

/// The workspace's settings with a `[limits]` table.
fn limits_toml(ws: &Ws, line: &str) -> String {
    let toml = std::fs::read_to_string(crate::common::repo().join("datasets/demo/partnership.toml")).unwrap();
    let _ = ws;
    format!("{toml}\n[limits]\n{line}\n")
}

#[test]
fn broken_and_disguised_files_are_refused_by_name() {
    let ws = imported();
    let dir = ws.file("returns");
    let real = std::fs::read(crate::common::repo().join("datasets/demo/returns/economy-2009-10-q2.xlsx")).unwrap();
    std::fs::write(dir.join("truncated.xlsx"), &real[..real.len() / 2]).unwrap();
    refused(&ws, "truncated.xlsx", &["truncated.xlsx: not a readable xlsx spreadsheet"]);
    std::fs::write(dir.join("empty.xlsx"), b"").unwrap();
    refused(&ws, "empty.xlsx", &["empty.xlsx: not a readable xlsx spreadsheet"]);
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(dir.join("junk.xls"), &junk).unwrap();
    refused(&ws, "junk.xls", &["junk.xls: not a readable xls spreadsheet"]);
    std::fs::write(dir.join("csv-inside.xlsx"), b"Indicator,Area,Period,Value\nNI 154,Blaby,2009/10 Q1,3\n").unwrap();
    refused(&ws, "csv-inside.xlsx", &["csv-inside.xlsx: not a readable xlsx spreadsheet"]);
    // a huge single line, and more rows than allowed: stopped while streaming
    let mut line = b"Indicator,Area,Period,Value\n".to_vec();
    line.extend(std::iter::repeat_n(b'x', 2_000_000));
    std::fs::write(dir.join("one-line.csv"), &line).unwrap();
    refused(&ws, "one-line.csv", &["one-line.csv"]);
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
        o.stderr().contains("note: skipped returns/~$safer-2009-10-q2.xlsx: an Office lock file"),
        "{}",
        o.stderr()
    );
    assert_eq!(ws.store_bytes(), before, "nothing new: every return was already imported");
    // a dangling link is a file that cannot be read, by name
    std::os::unix::fs::symlink("gone.xlsx", dir.join("dangling.xlsx")).unwrap();
    let o = ws.laa(&["import"]);
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(o.stderr().contains("dangling.xlsx: cannot read"), "{}", o.stderr());
    assert_eq!(ws.store_bytes(), before);
}
