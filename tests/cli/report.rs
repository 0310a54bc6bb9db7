use std::collections::HashSet;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{C::*, Ws, xlsx};

/// The demo with one return carrying hostile text, reported.
pub(crate) fn reported() -> (Ws, std::path::PathBuf) {
    let ws = Ws::demo_with_returns();
    // a correction to NI 53's Q2 2009/10 commentary with markup, an ampersand, quotes and a formula
    xlsx(
        &ws.file("returns/zz-cyp-correction.xlsx"),
        &[(
            "Q2",
            vec![
                vec![S("Children and Young People's Partnership — correction, 2009/10")],
                vec![],
                vec![S("NI ref"), S("Q2 2009/10"), S("Commentary"), S("Remedial action")],
                vec![
                    S("NI 53"),
                    N(40.3),
                    S("<script>alert(\"x\")</script> & 'quoted' \u{7}bell"),
                    S("=HYPERLINK(\"http://evil\")"),
                ],
            ],
        )],
    );
    let out = ws.path().join("out");
    let o = ws.laa(&["report", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("importing 37 new returns first"), "{}", o.stderr());
    (ws, out)
}

pub(crate) fn rate_json(ws: &Ws) -> Vec<serde_json::Value> {
    ws.json(&["rate", "--format", "json"]).as_array().unwrap().clone()
}

#[test]
fn html_report_is_complete_self_contained_and_escaped() {
    let (ws, out) = reported();
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    let ratings = rate_json(&ws);
    // every indicator of the agreement has a panel
    for r in &ratings {
        let id = format!("id=\"ind-{}\"", r["indicator"].as_str().unwrap().to_lowercase().replace(' ', "-"));
        assert!(html.contains(&id), "no panel {id}");
    }
    // every red is in the exceptions table
    let exceptions = &html[html.find("id=\"exceptions\"").unwrap()..html.find("id=\"reward\"").unwrap()];
    let reds: Vec<_> = ratings.iter().filter(|r| r["effective_rating"] == "red").collect();
    assert!(!reds.is_empty());
    for r in &reds {
        let id = format!("id=\"exc-{}\"", r["indicator"].as_str().unwrap().to_lowercase().replace(' ', "-"));
        assert!(exceptions.contains(&id), "red {} not in the exceptions", r["indicator"]);
    }
    assert_eq!(exceptions.matches("<tr id=\"exc-").count(), reds.len());
    // nothing fetched from anywhere: one inline script (sorting and filtering), no network
    for bad in [
        "<script src",
        "<link",
        "<img",
        "<iframe",
        "url(",
        "@import",
        "src=\"http",
        "href=\"http",
        "fetch(",
        "xmlhttprequest",
    ] {
        assert!(!html.to_lowercase().contains(bad), "the report contains {bad}");
    }
    assert_eq!(html.matches("<script>").count(), 1);
    // each exception links to its indicator's panel; a derived value's cells are collapsed
    for r in &reds {
        let stem = r["indicator"].as_str().unwrap().to_lowercase().replace(' ', "-");
        assert!(exceptions.contains(&format!("<a href=\"#ind-{stem}\">")), "{stem} has no link");
    }
    assert!(exceptions.contains("<details><summary>Detail</summary>"));
    // text from the return is escaped
    // a control character is shown escaped, not dropped or acted on
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; \\u{7}bell"));
    assert!(!html.contains('\u{7}'));
    // headline counts agree with laa rate
    let count = |c: &str| ratings.iter().filter(|r| r["effective_rating"] == c).count();
    let headline = &html[html.find("id=\"headline\"").unwrap()..html.find("id=\"themes\"").unwrap()];
    for c in ["red", "amber", "green", "grey"] {
        let tile = format!("rag-{c}\">{} {c}</span><span class=\"n\">{}</span>", letter(c), count(c));
        assert!(headline.contains(&tile), "headline lacks {tile}");
    }
    // the print stylesheet
    assert!(html.contains("@page { size: A4 portrait"));
    assert!(html.contains("thead { display: table-header-group; }"));
}

fn letter(c: &str) -> &'static str {
    match c {
        "red" => "R",
        "amber" => "A",
        "green" => "G",
        _ => "N",
    }
}

#[test]
fn xlsx_report_reads_back_with_the_ratings() {
    let (ws, out) = reported();
    let path = out.join("ssog-report.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["Summary", "Ratings", "Exceptions", "Reward", "Returns", "Data"]);
    let ratings = rate_json(&ws);
    let sheet = wb.worksheet_range("Ratings").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][1], Data::String("Indicator".into()));
    for r in &ratings {
        let row = rows
            .iter()
            .find(|row| {
                row[1] == Data::String(r["indicator"].as_str().unwrap().into())
                    && row[3] == Data::String("Leicestershire".into())
            })
            .unwrap();
        let rating = r["rating"].as_str().unwrap();
        assert_eq!(row[9], Data::String(format!("{} {rating}", letter(rating))));
        if let Some(f) = r["forecast"].as_f64() {
            // Excel keeps 15–17 significant digits
            let Data::Float(x) = row[7] else { panic!("forecast of {} is not a number: {:?}", r["indicator"], row[7]) };
            assert!((x - f).abs() <= 1e-12 * f.abs().max(1.0), "forecast of {}: {x} vs {f}", r["indicator"]);
        }
    }
    // a column to filter the county's rows from the districts'
    let level = rows[0].iter().position(|c| *c == Data::String("Level".into())).expect("a Level column");
    for row in &rows[1..] {
        let want = if row[3] == Data::String("Leicestershire".into()) { "county" } else { "district" };
        assert_eq!(row[level], Data::String(want.into()), "{row:?}");
    }
    assert!(rows.iter().any(|r| r[level] == Data::String("district".into())));
    // printed A4 landscape, fitted to the page's width, with the header row on every page
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut sheet_xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(), &mut sheet_xml).unwrap();
    assert!(
        sheet_xml.contains(r#"orientation="landscape""#) && sheet_xml.contains(r#"fitToHeight="0""#),
        "print setup"
    );
    let mut book_xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut book_xml).unwrap();
    assert!(book_xml.contains("_xlnm.Print_Titles"), "repeated header rows");
    // the formula-looking remedial action is text, not a formula
    let exc = wb.worksheet_range("Exceptions").unwrap();
    let formulas = wb.worksheet_formula("Exceptions").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formulas anywhere");
    assert!(exc.rows().any(|r| r.iter().any(|c| c == &Data::String("=HYPERLINK(\"http://evil\")".into()))));
    // reward totals are numbers
    let reward = wb.worksheet_range("Reward").unwrap();
    let total = reward.rows().find(|r| r[0] == Data::String("Partnership".into())).unwrap();
    assert_eq!(total[10], Data::Float(5_250_000.0));
    assert!(reward.rows().any(|r| r[0] == Data::String("2011/12".into())), "the payment profile by year");
    // RAG fills are in the styles
    let styles = read_zip(&path, "xl/styles.xml");
    for hex in ["FFD55E00", "FFE69F00", "FF009E73"] {
        assert!(styles.contains(hex), "fill {hex}");
    }
    let sheet2 = read_zip(&path, "xl/worksheets/sheet2.xml");
    assert!(sheet2.contains("<pane ") && sheet2.contains("state=\"frozen\""), "frozen header");
    assert!(sheet2.contains("<autoFilter"), "filter");
}

pub(crate) fn read_zip(path: &Path, name: &str) -> String {
    String::from_utf8(read_zip_bytes(path, name)).unwrap()
}

pub(crate) fn read_zip_bytes(path: &Path, name: &str) -> Vec<u8> {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = Vec::new();
    std::io::Read::read_to_end(&mut z.by_name(name).unwrap(), &mut s).unwrap();
    s
}

#[test]
fn charts_are_real_pngs_and_svgs_and_reports_are_reproducible() {
    let (ws, out) = reported();
    let charts = out.join("charts");
    let mut n = 0;
    for e in std::fs::read_dir(&charts).unwrap() {
        let p = e.unwrap().path();
        match p.extension().and_then(|x| x.to_str()) {
            Some("png") => {
                let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&p).unwrap()));
                let mut reader = decoder.read_info().unwrap();
                let mut buf = vec![0; reader.output_buffer_size().expect("an image of a sensible size")];
                let info = reader.next_frame(&mut buf).unwrap();
                assert!(info.width >= 960, "{}", p.display());
                assert!(info.height >= 300);
                let colours: HashSet<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
                assert!(colours.len() > 20, "{} looks blank ({} colours)", p.display(), colours.len());
                n += 1;
            }
            Some("svg") => {
                // a strict parser: it refuses duplicate attributes, which a browser opening the
                // file on its own also refuses
                let text = std::fs::read_to_string(&p).unwrap();
                let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                let root = doc.root_element();
                assert_eq!(root.tag_name().name(), "svg", "{}", p.display());
                assert!(root.attribute("viewBox").is_some(), "{}: no viewBox", p.display());
                assert!(doc.descendants().count() > 20, "{}: nearly empty", p.display());
            }
            _ => {}
        }
    }
    assert_eq!(
        n,
        55 + 3,
        "a trend chart per indicator, the theme summary, the reward chart and the priorities coverage"
    );
    // the same store gives the same charts and workbook
    let again = ws.path().join("again");
    assert!(ws.laa(&["report", "--out", again.to_str().unwrap()]).ok());
    assert_eq!(
        std::fs::read(charts.join("ni-154.svg")).unwrap(),
        std::fs::read(again.join("charts/ni-154.svg")).unwrap()
    );
    assert_eq!(
        std::fs::read(out.join("ssog-report.xlsx")).unwrap(),
        std::fs::read(again.join("ssog-report.xlsx")).unwrap()
    );
}

#[test]
fn a_bad_new_return_stops_the_report() {
    let ws = Ws::demo_with_returns();
    xlsx(&ws.file("returns/zz-bad.xlsx"), &[("Q2", vec![vec![S("NI"), S("Q2 2009/10")], vec![S("NI 53"), DivZero]])]);
    let out = ws.path().join("out");
    let o = ws.laa(&["report", "--out", out.to_str().unwrap()]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("returns/zz-bad.xlsx: Q2!B2"), "{}", o.stderr());
    assert!(!out.exists());
}

#[test]
fn only_writes_a_subset() {
    let ws = Ws::demo_with_returns();
    let out = ws.path().join("out");
    let o = ws.laa(&["report", "--only", "xlsx", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(out.join("ssog-report.xlsx").exists());
    assert!(!out.join("ssog-report.html").exists());
    assert!(!out.join("charts").exists());
}

#[test]
fn pdf_without_chromium_says_so_and_writes_the_rest() {
    let ws = Ws::demo_with_returns();
    let out = ws.path().join("out");
    let o = ws.laa_env(
        &["report", "--pdf", "--only", "xlsx", "--out", out.to_str().unwrap()],
        "LAA_CHROMIUM",
        "/nonexistent/chromium",
    );
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(o.stderr().contains("--pdf needs headless Chromium, which is not installed"), "{}", o.stderr());
    assert!(o.stderr().contains("apt-get install chromium"), "{}", o.stderr());
    assert!(out.join("ssog-report.xlsx").exists() && !out.join("ssog-report.pdf").exists());
}

#[test]
#[cfg(unix)]
fn links_in_the_output_folder_are_never_written_through() {
    let ws = Ws::demo_with_returns();
    let out = ws.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = ws.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    // a link where the report goes, and one at the name of its temporary file
    std::os::unix::fs::symlink(&victim, out.join("ssog-report.html")).unwrap();
    let o = ws.laa(&["report", "--only", "html", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let meta = std::fs::symlink_metadata(out.join("ssog-report.html")).unwrap();
    assert!(meta.file_type().is_file(), "the link was replaced by the report, not followed");
    // a charts folder that is a link elsewhere is refused by name
    let elsewhere = ws.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("charts")).unwrap();
    let o = ws.laa(&["report", "--only", "charts", "--out", out.to_str().unwrap()]);
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(o.stderr().contains("charts: a symbolic link"), "{}", o.stderr());
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

/// Paragraphs of a docx body: (style, text), tables' cells included in document order.
pub(crate) fn docx_paragraphs(xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let (mut style, mut text, mut in_t) = (String::new(), String::new(), false);
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) if e.name().0 == "w:p" => {
                style.clear();
                text.clear();
            }
            Event::Empty(e) if e.name().0 == "w:pStyle" => {
                style = e.try_get_attribute("w:val").unwrap().unwrap().value.into_owned();
            }
            Event::Start(e) if e.name().0 == "w:t" => in_t = true,
            Event::End(e) if e.name().0 == "w:t" => in_t = false,
            Event::Text(t) if in_t => text += &t.xml10_content(),
            Event::GeneralRef(g) if in_t => {
                let name = g.into_inner();
                text.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" | "#39" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::End(e) if e.name().0 == "w:p" => out.push((style.clone(), text.clone())),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// `data.csv` beside the workbook holds the same values as its Data sheet, text as it was typed.
#[test]
fn data_csv_holds_every_value_of_the_data_sheet() {
    let (_ws, out) = reported();
    let mut wb: Xlsx<_> = open_workbook(out.join("ssog-report.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Data").unwrap();
    let data_rows = sheet.rows().count() - 1;
    let mut r = csv::Reader::from_path(out.join("data.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "indicator");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), data_rows);
    assert!(data_rows > 250, "{data_rows} values");
    let ni53 = rows.iter().find(|x| &x[0] == "NI 53" && &x[2] == "2009/10 Q2" && x[6].contains("correction")).unwrap();
    assert_eq!(&ni53[3], "40.3");
    assert!(ni53[10].starts_with("<script>"), "{:?}", &ni53[10]);
}

/// What it takes (#21) in the report: the exception table's "To turn green" column and each
/// red's panel say the figure and the evidence, the trend charts draw the path dashed, and the
/// board paper's recommendations name the reds out of reach and the reward triggers within it,
/// each agreeing with `laa rate` and `laa reward`.
#[test]
fn the_report_says_what_it_takes_to_turn_green() {
    let (ws, out) = reported();
    let rates = rate_json(&ws);
    let rewards = ws.json(&["reward", "--format", "json"]);
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    assert!(html.contains("<th>To turn green</th>"), "the exception table's column");
    let lost: Vec<&serde_json::Value> = rates
        .iter()
        .filter(|r| r["effective_rating"] == "red")
        .filter(|r| r["needed_status"] == "impossible" || r["within_reach"] == false)
        .collect();
    assert!(!lost.is_empty(), "the demo has reds out of reach");
    for r in rates.iter().filter(|r| r["effective_rating"] == "red") {
        let stem = r["indicator"].as_str().unwrap().to_lowercase().replace(' ', "-");
        let start = html.find(&format!("<tr id=\"exc-{stem}\"")).unwrap_or_else(|| panic!("{stem} row"));
        let row = &html[start..start + html[start..].find("</tr>").unwrap()];
        let note = r["reach_note"].as_str().unwrap().replace('&', "&amp;");
        assert!(note.is_empty() || row.contains(&note), "{stem}: {note} in {row}");
    }
    // the chart of a red that needs a figure draws the dashed path, and its key says so
    let ni53 = std::fs::read_to_string(out.join("charts/ni-53.svg")).unwrap();
    assert!(ni53.contains("needed for green"));
    assert!(ni53.matches("#CC79A7").count() >= 5, "dashes of the required path");
    // the board paper's recommendations: every red out of reach, every trigger within reach
    let paras = docx_paragraphs(&read_zip(&out.join("board-paper.docx"), "word/document.xml"));
    let recs: Vec<&str> = paras.iter().filter(|p| p.0 == "Recommendation").map(|p| p.1.as_str()).collect();
    let saveable: Vec<&str> = rewards
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["within_reach"] == true && p["grant_recovered_at_trigger"].as_f64().unwrap() > 0.0 && p["parked"] == false
        })
        .map(|p| p["indicator"].as_str().unwrap())
        .collect();
    assert!(!saveable.is_empty());
    // one rule per indicator: a red whose reward trigger is within reach is in the reward
    // recommendation only, which says its target is out of reach
    let lost_only: Vec<&&serde_json::Value> =
        lost.iter().filter(|r| !saveable.contains(&r["indicator"].as_str().unwrap())).collect();
    let out_of_reach =
        recs.iter().find(|r| r.contains("green is out of reach this year")).expect("the reds out of reach");
    for r in &lost_only {
        assert!(out_of_reach.contains(&format!("{} ", r["indicator"].as_str().unwrap())), "{out_of_reach}");
    }
    assert!(out_of_reach.contains(&format!("for {} of the red indicators", lost_only.len())), "{out_of_reach}");
    let triggers = recs.iter().find(|r| r.contains("reward trigger is still within reach")).expect("the triggers");
    for code in &saveable {
        assert!(triggers.contains(&format!("{code} (")), "{code}: {triggers}");
        assert!(!out_of_reach.contains(&format!("{code} ")), "{code} is in both recommendations");
        if lost.iter().any(|r| r["indicator"] == *code) {
            assert!(triggers.contains(&format!("{code} (")) && triggers.contains("its target (green) is out of reach"));
        }
    }
}

/// No output fails on a long text (#20): a 100,000-character commentary and a county value
/// derived from 2,000 areas go through every output: the workbook cuts the text at Excel's limit
/// with a note, the paper at its cell size, the sources collapse to a count, data.csv keeps the
/// whole text, and a warning names the indicator.
#[test]
fn a_long_commentary_and_two_thousand_sources_go_through_every_output() {
    let ws = Ws::demo_with_returns();
    let long: String = "Recovery plan agreed with partners; ".repeat(2_800)[..100_000].to_string();
    std::fs::write(ws.file("returns/zz-long.csv"), format!("NI ref,Q2 2009/10,Commentary\nNI 53,40.3,\"{long}\"\n"))
        .unwrap();
    // 1,993 more districts, each with NI 16's numerator and denominator for 2009/10 Q2
    let mut toml = std::fs::read_to_string(ws.file("partnership.toml")).unwrap();
    let mut csv = String::from("Indicator,Area,Period,Numerator,Denominator,Value\n");
    for i in 0..1993 {
        toml += &format!("\n[[areas]]\ncode = \"X{i:04}\"\nname = \"Extra district {i}\"\n");
        csv += &format!("NI 16,X{i:04},2009/10 Q2,{},{},\n", 40 + i % 17, 6000 + i % 29);
    }
    std::fs::write(ws.file("partnership.toml"), toml).unwrap();
    std::fs::write(ws.file("returns/zz-districts.csv"), csv).unwrap();
    let out = ws.path().join("out");
    let o = ws.laa(&["report", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(
        o.stderr().contains("warning: NI 53 Leicestershire 2009/10 Q2: its commentary is 100,000 characters"),
        "{}",
        o.stderr()
    );
    let ni16 = rate_json(&ws).into_iter().find(|r| r["indicator"] == "NI 16").unwrap();
    assert_eq!(ni16["sources"].as_array().unwrap().len(), 2000, "derived from 2,000 districts");
    // the workbook: the commentary cut at Excel's limit with its note, the sources a count
    let mut wb: Xlsx<_> = open_workbook(out.join("ssog-report.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Ratings").unwrap();
    let row = sheet
        .rows()
        .find(|r| r[1] == Data::String("NI 53".into()) && r[3] == Data::String("Leicestershire".into()))
        .unwrap();
    let commentary = row[15].to_string();
    assert!(commentary.encode_utf16().count() <= 32_767);
    assert!(commentary.starts_with("Recovery plan agreed"));
    assert!(
        commentary.ends_with("characters cut; the whole text is in data.csv and `laa history`)"),
        "{}",
        &commentary[commentary.len() - 120..]
    );
    let row = sheet
        .rows()
        .find(|r| r[1] == Data::String("NI 16".into()) && r[3] == Data::String("Leicestershire".into()))
        .unwrap();
    assert!(row[16].to_string().contains("and 1,995 more (every cell is in data.csv"), "{}", row[16]);
    // data.csv keeps the whole text
    let data = std::fs::read_to_string(out.join("data.csv")).unwrap();
    assert!(data.contains(&long));
    // the paper: cut at its cell size, with the note
    let paras = docx_paragraphs(&read_zip(&out.join("board-paper.docx"), "word/document.xml"));
    let cut = paras.iter().find(|p| p.1.starts_with("Recovery plan agreed")).expect("the commentary in Appendix A");
    assert!(cut.1.chars().count() <= 3_000 && cut.1.contains("characters cut"), "{}", cut.1.len());
    assert!(paras.iter().all(|p| !p.1.contains(&long)));
    // the HTML: the panel's sources collapse to a count
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    assert!(html.contains("and 1,995 more (every cell is in data.csv"));
    assert!(html.matches("returns/zz-districts.csv").count() < 50, "the sources are not listed one by one");
}

/// A report that fails leaves no half-written folder (#20): the outputs are written beside the
/// target and put in place only when all are written.
#[test]
fn a_report_that_fails_leaves_no_folder_behind() {
    let ws = Ws::demo_with_returns();
    let out = ws.path().join("out");
    // a "browser" that fails: the PDF cannot be printed after every other output was made
    let o = ws.laa_env(&["report", "--pdf", "--out", out.to_str().unwrap()], "LAA_CHROMIUM", "/bin/false");
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(!out.exists(), "no half-written report folder");
    let leftovers: Vec<String> = std::fs::read_dir(ws.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".laa-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // a folder that has other files keeps them, and gains the outputs
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = ws.laa(&["report", "--only", "html", "--only", "charts", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert!(out.join("ssog-report.html").is_file() && out.join("charts/ni-154.svg").is_file());
}

/// Overrides in plain sight (#23.4), recounted in each output's own rows: the demo's NI 152 is
/// computed red and set to amber. Every count of reds agrees with `laa rate`, says the computed
/// count beside it, lists the overridden red among the exceptions, and the paper never calls the
/// override an improvement.
#[test]
fn every_output_counts_the_same_reds_and_shows_the_override() {
    let ws = Ws::demo_with_returns();
    std::fs::copy(crate::common::repo().join("datasets/demo/overrides.xlsx"), ws.file("overrides.xlsx")).unwrap();
    let out = ws.path().join("out");
    let o = ws.laa(&["report", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    let rates: Vec<serde_json::Value> = rate_json(&ws);
    let red = rates.iter().filter(|r| r["effective_rating"] == "red").count();
    let computed = rates.iter().filter(|r| r["rating"] == "red").count();
    let ni152 = rates.iter().find(|r| r["indicator"] == "NI 152").unwrap();
    assert_eq!((ni152["rating"].as_str(), ni152["effective_rating"].as_str()), (Some("red"), Some("amber")));
    assert_eq!(computed, red + 1);
    let said = format!("{red} red ({computed} computed; 1 overridden to amber)");
    // the HTML: the headline and the exception heading say it; the table holds every computed
    // red, NI 152 among them marked, and as many rows rated red as the headline counts
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    assert!(html.contains(&format!("Exceptions: red ratings ({said})")), "the exceptions heading");
    assert!(html.contains(&format!("rated for the county at 2009/10 Q2: {said}.")), "the headline");
    let rows: Vec<&str> = html.split("<tr id=\"exc-").skip(1).collect();
    assert_eq!(rows.len(), computed);
    assert_eq!(rows.iter().filter(|r| r.contains("data-rating=\"red\"")).count(), red);
    let row152 = rows.iter().find(|r| r.starts_with("ni-152\"")).expect("NI 152 among the exceptions");
    assert!(row152.contains("computed") && row152.contains("override by"), "{row152}");
    // the workbook: the Summary's partnership row and a recount of the Ratings sheet agree
    let mut wb: Xlsx<_> = open_workbook(out.join("ssog-report.xlsx")).unwrap();
    let summary = wb.worksheet_range("Summary").unwrap();
    let total = summary.rows().find(|r| r[0] == Data::String("Partnership".into())).unwrap();
    assert_eq!(total[1], Data::Float(red as f64));
    assert!(summary.rows().any(|r| r[0].to_string().contains(&said)), "the Summary says the computed count");
    let ratings = wb.worksheet_range("Ratings").unwrap();
    let county: Vec<&[Data]> = ratings.rows().filter(|r| r[3] == Data::String("Leicestershire".into())).collect();
    let effective = |r: &&[Data]| if r[10] == Data::Empty { r[9].to_string() } else { r[10].to_string() };
    assert_eq!(county.iter().filter(|r| effective(r) == "R red").count(), red);
    assert_eq!(county.iter().filter(|r| r[9] == Data::String("R red".into())).count(), computed);
    // the paper: the summary's count, the override said among the exceptions, and NI 152 never
    // an improvement
    let paras = docx_paragraphs(&read_zip(&out.join("board-paper.docx"), "word/document.xml"));
    let text: Vec<&str> = paras.iter().map(|p| p.1.as_str()).collect();
    assert!(text.iter().any(|p| p.contains(&said)), "the paper's count");
    assert!(text.iter().any(|p| p.contains("NI 152") && p.contains("computed red, set to amber")), "the override");
    assert!(!text.iter().any(|p| p.contains("improvement") && p.contains("NI 152")), "an override is no improvement");
}

/// Text from returns shown as text (#23.9): a bidirectional override in a sheet's name and in a
/// commentary is shown escaped in the HTML, data.csv and the paper, never acted on.
#[test]
fn bidirectional_overrides_from_a_return_are_shown_escaped() {
    let ws = Ws::demo_with_returns();
    xlsx(
        &ws.file("returns/zz-bidi.xlsx"),
        &[(
            "Q2\u{202e}2pets",
            vec![
                vec![S("NI ref"), S("Q2 2009/10"), S("Commentary")],
                vec![S("NI 53"), N(40.3), S("On track \u{202e}kcart no\u{200b} \u{1b}[31m")],
            ],
        )],
    );
    let out = ws.path().join("out");
    let o = ws.laa(&["report", "--only", "html", "--only", "xlsx", "--only", "docx", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    let data = std::fs::read_to_string(out.join("data.csv")).unwrap();
    let paper = read_zip(&out.join("board-paper.docx"), "word/document.xml");
    for (what, text) in [("html", &html), ("data.csv", &data), ("paper", &paper)] {
        assert!(
            !text.contains('\u{202e}') && !text.contains('\u{1b}') && !text.contains('\u{200b}'),
            "{what} holds a raw control"
        );
    }
    assert!(html.contains("On track \\u{202e}kcart no\\u{200b} \\u{1b}[31m"), "the commentary escaped in the HTML");
    assert!(html.contains("Q2\\u{202e}2pets"), "the sheet name escaped in the HTML's sources");
    assert!(data.contains("Q2\\u{202e}2pets") && data.contains("On track \\u{202e}kcart"), "data.csv");
    assert!(paper.contains("On track \\u{202e}kcart"), "the paper");
}
