use std::collections::HashSet;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{C::*, Ws, xlsx};

/// The demo with one return carrying hostile text, reported.
fn reported() -> (Ws, std::path::PathBuf) {
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

fn rate_json(ws: &Ws) -> Vec<serde_json::Value> {
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
    assert_eq!(wb.sheet_names(), ["Summary", "Ratings", "Exceptions", "Reward", "Data"]);
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
    // the formula-looking remedial action is text, not a formula
    let exc = wb.worksheet_range("Exceptions").unwrap();
    let formulas = wb.worksheet_formula("Exceptions").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formulas anywhere");
    assert!(exc.rows().any(|r| r.iter().any(|c| c == &Data::String("=HYPERLINK(\"http://evil\")".into()))));
    // reward totals are numbers
    let reward = wb.worksheet_range("Reward").unwrap();
    let total = reward.rows().find(|r| r[0] == Data::String("Partnership".into())).unwrap();
    assert_eq!(total[10], Data::Float(5_650_000.0));
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
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
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

#[test]
fn board_paper_is_a_committee_report_with_the_same_figures() {
    let (ws, out) = reported();
    let path = out.join("board-paper.docx");
    let xml = read_zip(&path, "word/document.xml");
    let paras = docx_paragraphs(&xml);
    let headings: Vec<&str> = paras.iter().filter(|p| p.0 == "Heading1").map(|p| p.1.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Purpose of Report",
            "Summary",
            "Exceptions",
            "Reward target risk assessment",
            "Recommendations",
            "Appendices",
            "Appendix A: Exceptions in full",
            "Appendix B: Reward targets in full",
            "Appendix C: Ratings of all indicators",
            "Appendix D: Priorities coverage",
            "Appendix E: Indicator trends"
        ]
    );
    assert_eq!(
        paras.iter().find(|p| p.0 == "Title").unwrap().1,
        "Local Area Agreement — Quarter 2 2009/10 progress report and reward target risk assessment"
    );
    assert!(paras.iter().any(|p| p.0 == "BoardName" && p.1 == "LEICESTERSHIRE TOGETHER BOARD"));
    assert!(paras.iter().any(|p| p.0 == "MeetingDate" && p.1 == "30 November 2009"));
    // the numbered summary carries the same counts and money as laa rate and laa reward
    let ratings = rate_json(&ws);
    let count = |c: &str| ratings.iter().filter(|r| r["effective_rating"] == c).count();
    let summary: Vec<&str> = paras.iter().filter(|p| p.0 == "NumberedParagraph").map(|p| p.1.as_str()).collect();
    let first = summary.iter().find(|s| s.starts_with("Of the ")).unwrap();
    for c in ["green", "amber", "red", "grey"] {
        let n = count(c);
        let said = [format!("{n} {c}"), format!("{n} is {c}"), format!("{n} are {c}")];
        assert!(said.iter().any(|s| first.contains(s.as_str())), "{c}: {first}");
    }
    // reds of annual indicators between their results are counted apart in the headline
    let between = ratings.iter().filter(|r| r["effective_rating"] == "red" && r["due"] == false).count();
    assert!(between > 0);
    let of_which = if between == 1 {
        "(of which 1 is an annual indicator between results".to_string()
    } else {
        format!("(of which {between} are annual indicators between results")
    };
    assert!(first.contains(&of_which), "{first}");
    assert!(
        ratings
            .iter()
            .filter(|r| r["due"] == false)
            .all(|r| r["next_due"].as_str().is_some_and(|d| d.contains("due by")))
    );
    let reward = ws.json(&["reward", "--format", "json"]);
    let projected: f64 = reward.as_array().unwrap().iter().map(|r| r["projected_grant"].as_f64().unwrap()).sum();
    let money = laa::domain::numbers::money(projected);
    // the board paper says which year reward is assessed on and when it is paid
    let basis = paras.iter().any(|(_, s)| {
        s.contains("assessed on the outturn of 2010/11") && s.contains("Payment profile:") && s.contains("in 2011/12")
    });
    assert!(basis, "the reward basis and payment profile in the board paper");
    assert!(
        summary.iter().any(|s| s.contains(&format!("would earn {money} of the £5,650,000"))),
        "{money} not in {summary:?}"
    );
    // every red is in the main report (due ones in the exceptions table, annual ones between
    // results by code) and every one in full in Appendix A
    let start = paras.iter().position(|p| p.1 == "Exceptions").unwrap();
    let end = paras.iter().position(|p| p.1 == "Reward target risk assessment").unwrap();
    let main: Vec<&str> = paras[start..end].iter().map(|p| p.1.as_str()).collect();
    let appendix_a = paras.iter().position(|p| p.1 == "Appendix A: Exceptions in full").unwrap();
    let appendix_b = paras.iter().position(|p| p.1 == "Appendix B: Reward targets in full").unwrap();
    let exceptions: Vec<&str> = paras[appendix_a..appendix_b].iter().map(|p| p.1.as_str()).collect();
    for r in ratings.iter().filter(|r| r["effective_rating"] == "red") {
        let code = r["indicator"].as_str().unwrap();
        let name = format!("{code} {}", r["title"].as_str().unwrap());
        if r["due"] == true {
            assert!(main.contains(&name.as_str()), "{name} not in the exceptions table");
        } else {
            let listed = main
                .iter()
                .filter(|p| p.contains("red between their results") || p.contains("red between its results"))
                .any(|p| {
                    let list = p.rsplit_once(": ").unwrap().1.split(". Appendix A").next().unwrap();
                    list.replace(" and ", ", ").split(", ").any(|c| c == code)
                });
            assert!(listed, "{name} not listed among the annual indicators between results");
        }
        assert!(exceptions.contains(&name.as_str()), "{name} not in Appendix A");
    }
    // hostile text from a return arrives as text
    assert!(exceptions.contains(&"<script>alert(\"x\")</script> & 'quoted' \\u{7}bell"), "{exceptions:?}");
    // recommendations from partnership.toml, then the two from what it takes (#21)
    let recs: Vec<&str> = paras.iter().filter(|p| p.0 == "Recommendation").map(|p| p.1.as_str()).collect();
    assert_eq!(recs.len(), 5, "{recs:?}");
    assert!(recs[0].starts_with("that the Board notes the progress reported"), "{recs:?}");
    assert!(
        recs[3].contains("green is out of reach this year") && recs[4].contains("reward trigger is still within reach")
    );
    // images embedded and referenced; header rows repeat
    let rels = read_zip(&path, "word/_rels/document.xml.rels");
    let f = std::fs::File::open(&path).unwrap();
    let z = zip::ZipArchive::new(f).unwrap();
    let media: Vec<String> = z
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    assert_eq!(media.len(), 55 + 3);
    for m in &media {
        let target = m.trim_start_matches("word/");
        assert!(rels.contains(&format!("Target=\"{target}\"")), "{m} not related");
    }
    assert_eq!(xml.matches("r:embed=\"rIdImg").count(), media.len());
    assert!(xml.contains("<w:tblHeader/>"));
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "A4 portrait");
    let styles = read_zip(&path, "word/styles.xml");
    for s in ["w:styleId=\"Heading1\"", "w:styleId=\"NumberedParagraph\"", "w:styleId=\"Caption\""] {
        assert!(styles.contains(s), "{s}");
    }
}

/// LibreOffice must open the board paper (when it is installed; CI installs it).
#[test]
fn libreoffice_converts_the_board_paper_to_pdf() {
    let Some(soffice) = which(&["soffice", "libreoffice"]) else {
        assert!(
            std::env::var_os("LAA_REQUIRE_TOOLS").is_none(),
            "LAA_REQUIRE_TOOLS is set but LibreOffice is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let ws = Ws::demo_with_returns();
    let out = ws.path().join("out");
    assert!(ws.laa(&["report", "--only", "docx", "--out", out.to_str().unwrap()]).ok());
    let profile = ws.path().join("lo-profile");
    soffice_convert(&soffice, &profile, "pdf", &out, &out.join("board-paper.docx"));
    let pdf = std::fs::read(out.join("board-paper.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(pdf.len() > 50_000, "the PDF holds the charts ({} bytes)", pdf.len());
    // the main report alone (the paper cut before its first appendix page) is of committee
    // length: about four pages, counted in LibreOffice's PDF of it
    let paper = out.join("board-paper.docx");
    let main = out.join("main-report.docx");
    let xml = read_zip(&paper, "word/document.xml");
    let cut = xml.find("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>").expect("a page break before the appendices");
    let tail = xml.rfind("<w:sectPr").unwrap();
    let main_xml = format!("{}{}", &xml[..cut], &xml[tail..]);
    let mut src = zip::ZipArchive::new(std::fs::File::open(&paper).unwrap()).unwrap();
    let mut dst = zip::ZipWriter::new(std::fs::File::create(&main).unwrap());
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        dst.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        let part = if name == "word/document.xml" { main_xml.as_bytes() } else { &bytes };
        std::io::Write::write_all(&mut dst, part).unwrap();
    }
    dst.finish().unwrap();
    soffice_convert(&soffice, &profile, "pdf", &out, &main);
    let main_pages = count_pages(&std::fs::read(out.join("main-report.pdf")).unwrap());
    let all_pages = count_pages(&pdf);
    assert!((2..=4).contains(&main_pages), "the main report runs to {main_pages} pages");
    assert!(all_pages > main_pages + 5, "the appendices follow ({all_pages} pages in all)");
    // every page carries its number and the running header, in the PDF's text layer
    pages_are_numbered(&out.join("board-paper.pdf"), all_pages, "Leicestershire Together");
    // and every figure of its reward table is whole, and no table heading's word is broken
    figures_whole(&out.join("board-paper.pdf"), &reward_figures(&ws, false));
    headings_whole(&out.join("board-paper.pdf"), &xml);
}

/// LibreOffice Calc must open the workbook, whose tables are streamed (inline text, rows written
/// as made), and read every sheet as laa wrote it (when Calc is installed; CI installs it).
#[test]
fn libreoffice_reads_every_sheet_of_the_workbook() {
    let Some(soffice) = which(&["soffice", "libreoffice"]).filter(|_| calc_installed()) else {
        assert!(
            std::env::var_os("LAA_REQUIRE_TOOLS").is_none(),
            "LAA_REQUIRE_TOOLS is set but LibreOffice Calc is not installed"
        );
        eprintln!("skipped: LibreOffice Calc is not installed");
        return;
    };
    let ws = Ws::demo_with_returns();
    let out = ws.path().join("out");
    assert!(ws.laa(&["report", "--only", "xlsx", "--out", out.to_str().unwrap()]).ok());
    let book = out.join("ssog-report.xlsx");
    let profile = ws.path().join("lo-profile");
    // every sheet to its own csv (the last filter option, -1, asks for all sheets)
    let to = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    soffice_convert(&soffice, &profile, to, &out, &book);
    let mut wb: Xlsx<_> = open_workbook(&book).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names, ["Summary", "Ratings", "Exceptions", "Reward", "Data"]);
    for name in names {
        let range = wb.worksheet_range(&name).unwrap();
        let csv = std::fs::read_to_string(out.join(format!("ssog-report-{name}.csv"))).unwrap();
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(rows.len(), range.height(), "{name}: rows as LibreOffice read them");
        assert!(name != "Ratings" || range.height() > 10, "the ratings are there");
        // every text cell reads the same in LibreOffice as in calamine
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if let Data::String(t) = cell {
                    assert_eq!(
                        rows[r].get(c).map(String::as_str),
                        Some(t.as_str()),
                        "{name} row {} col {}",
                        r + 1,
                        c + 1
                    );
                }
            }
        }
    }
}

/// Convert `file` with headless LibreOffice (its own profile, so runs do not share one) into
/// `outdir`, failing the test with LibreOffice's message if it cannot.
fn soffice_convert(soffice: &Path, profile: &Path, to: &str, outdir: &Path, file: &Path) {
    let o = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .arg(file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Calc's library is installed beside soffice (Debian's libreoffice-calc-nogui).
fn calc_installed() -> bool {
    ["/usr/lib/libreoffice/program/libsclo.so", "/opt/libreoffice/program/libsclo.so"]
        .iter()
        .any(|p| Path::new(p).exists())
}

/// Pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn count_pages(pdf: &[u8]) -> usize {
    let (mut n, mut i) = (0, 0);
    while let Some(at) = pdf[i..].windows(5).position(|w| w == b"/Type") {
        let mut j = i + at + 5;
        while j < pdf.len() && pdf[j] == b' ' {
            j += 1;
        }
        if pdf[j..].starts_with(b"/Page") && !pdf[j..].starts_with(b"/Pages") {
            n += 1;
        }
        i = j;
    }
    n
}

/// Headless Chromium must render the HTML report to a screenshot and a PDF (CI installs it).
#[test]
fn chromium_renders_and_prints_the_html_report() {
    let Some(chromium) = which(&["chromium", "chromium-browser", "google-chrome"]) else {
        assert!(
            std::env::var_os("LAA_REQUIRE_TOOLS").is_none(),
            "LAA_REQUIRE_TOOLS is set but Chromium is not installed"
        );
        eprintln!("skipped: Chromium is not installed");
        return;
    };
    let ws = Ws::demo_with_returns();
    let out = ws.path().join("out");
    assert!(ws.laa(&["report", "--only", "html", "--only", "charts", "--out", out.to_str().unwrap()]).ok());
    let html = format!("file://{}", out.join("ssog-report.html").display());
    let run_on = |page: &str, extra: &[String]| {
        let profile = tempfile::tempdir().unwrap();
        let o = std::process::Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(page)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let run = |extra: &[String]| run_on(&html, extra);
    let shot = out.join("screenshot.png");
    run(&[format!("--screenshot={}", shot.display()), "--window-size=1200,1600".into()]);
    let (buf, px) = screenshot_pixels(&shot);
    let colours: HashSet<&[u8]> = buf.chunks(px).collect();
    assert!(colours.len() > 50, "the screenshot looks blank ({} colours)", colours.len());
    // one chart opened on its own, as an officer does from charts/: it must draw the chart (its
    // blue actuals line), not Chromium's XML error page
    let svg_shot = out.join("svg-screenshot.png");
    let svg_page = format!("file://{}", out.join("charts/ni-154.svg").display());
    run_on(&svg_page, &[format!("--screenshot={}", svg_shot.display()), "--window-size=1000,520".into()]);
    let (buf, px) = screenshot_pixels(&svg_shot);
    let blue =
        buf.chunks(px).filter(|c| c[0] < 40 && (0x60..0x85).contains(&c[1]) && (0xA0..0xC5).contains(&c[2])).count();
    assert!(blue > 100, "the standalone SVG did not render a chart ({blue} blue pixels)");
    // the inline script in a real browser: a click sorts the exceptions, the rating filter
    // leaves only red panels
    let page = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    let probe = r#"<script>
var t = document.querySelector('table.exceptions'), th = t.tHead.rows[0].cells[0];
th.click(); th.click();
var ids = [].map.call(t.tBodies[0].rows, function (r) { return r.id; });
var s = document.querySelectorAll('.filters select');
s[1].value = 'red'; s[1].dispatchEvent(new Event('change'));
var shown = [].filter.call(document.querySelectorAll('article.panel'), function (e) { return !e.hidden; }).length;
document.body.setAttribute('data-probe', JSON.stringify({ ids: ids, shown: shown, sort: th.getAttribute('aria-sort') }));
</script></body>"#;
    std::fs::write(out.join("probe.html"), page.replace("</body>", probe)).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", out.join("probe.html").display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&o.stdout);
    let at = dom.find("data-probe=\"").expect("the probe ran") + 12;
    let probe: serde_json::Value =
        serde_json::from_str(&dom[at..at + dom[at..].find('"').unwrap()].replace("&quot;", "\"")).unwrap();
    let ratings = rate_json(&ws);
    let mut reds: Vec<(String, String)> = ratings
        .iter()
        .filter(|r| r["effective_rating"] == "red")
        .map(|r| {
            let code = r["indicator"].as_str().unwrap();
            let text = format!("{code} {}", r["title"].as_str().unwrap()).to_lowercase();
            (text, format!("exc-{}", code.to_lowercase().replace(' ', "-")))
        })
        .collect();
    assert_eq!(probe["shown"], reds.len(), "the rating filter leaves the red panels");
    assert_eq!(probe["sort"], "descending");
    // two clicks on "Indicator": descending by the cell's text
    reds.sort_by(|a, b| b.0.cmp(&a.0));
    let ids: Vec<&str> = probe["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(ids, reds.iter().map(|r| r.1.as_str()).collect::<Vec<_>>());
    // laa report --pdf prints the same page to ssog-report.pdf, A4, its sections on new pages
    let printed = ws.path().join("printed");
    let o = ws.laa_env(
        &["report", "--pdf", "--only", "xlsx", "--out", printed.to_str().unwrap()],
        "LAA_CHROMIUM",
        chromium.to_str().unwrap(),
    );
    assert!(o.ok(), "{}", o.stderr());
    let bytes = std::fs::read(printed.join("ssog-report.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF") && count_pages(&bytes) > 5, "{} pages", count_pages(&bytes));
    pages_are_numbered(&printed.join("ssog-report.pdf"), count_pages(&bytes), "Leicestershire Together");
    // every figure of the reward tables whole on an A4 page
    figures_whole(&printed.join("ssog-report.pdf"), &reward_figures(&ws, true));
    assert!(o.stdout().contains("ssog-report.pdf"));
    assert!(!printed.join("ssog-report.html").exists(), "the page printed was a temporary one");
    let leftovers: Vec<_> = std::fs::read_dir(&printed)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let pdf = out.join("report.pdf");
    run(&[format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer".into()]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 50_000, "{} bytes", bytes.len());
}

/// Every page of a PDF, read from its text layer by pdftotext, says "Page N of M" and carries the
/// running header (skipped with a message where poppler's pdftotext is not installed; CI has it).
fn pages_are_numbered(pdf: &Path, pages: usize, header: &str) {
    let Some(pdftotext) = which(&["pdftotext"]) else {
        assert!(
            std::env::var_os("LAA_REQUIRE_TOOLS").is_none(),
            "LAA_REQUIRE_TOOLS is set but pdftotext is not installed"
        );
        eprintln!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    };
    let text = pdf_text(&pdftotext, pdf);
    let texts: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(texts.len(), pages, "pages in the text layer");
    for (i, page) in texts.iter().enumerate() {
        let number = format!("Page {} of {pages}", i + 1);
        assert!(page.contains(&number), "{}: page {} lacks {number:?}", pdf.display(), i + 1);
        assert!(page.contains(header), "{}: page {} lacks the running header", pdf.display(), i + 1);
    }
}

/// A PDF's text layer, laid out as on the page (poppler's pdftotext).
fn pdf_text(pdftotext: &Path, pdf: &Path) -> String {
    let o = std::process::Command::new(pdftotext).arg("-layout").arg(pdf).arg("-").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every figure appears whole in a PDF's text layer: a table wider than the page cuts its last
/// column ("£360,000 / £60"), and a cut figure is not found (skipped without pdftotext).
fn figures_whole(pdf: &Path, figures: &[String]) {
    let Some(pdftotext) = which(&["pdftotext"]) else {
        assert!(
            std::env::var_os("LAA_REQUIRE_TOOLS").is_none(),
            "LAA_REQUIRE_TOOLS is set but pdftotext is not installed"
        );
        return;
    };
    let text = pdf_text(&pdftotext, pdf);
    for f in figures {
        assert!(text.contains(f.as_str()), "{}: {f} is not in the text layer whole", pdf.display());
    }
}

/// Every word (of four letters or more) of every table heading of a Word document appears whole
/// in the PDF's text layer: a column too narrow for its heading breaks a word ("Forecas t").
fn headings_whole(pdf: &Path, document_xml: &str) {
    let Some(pdftotext) = which(&["pdftotext"]) else { return };
    let text = pdf_text(&pdftotext, pdf);
    let tokens: HashSet<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    let mut words = Vec::new();
    let mut rest = document_xml;
    while let Some(at) = rest.find("<w:tblHeader/>") {
        let row = &rest[at + "<w:tblHeader/>".len()..];
        let end = row.find("</w:tr>").unwrap();
        let mut cells = &row[..end];
        while let Some(t) = cells.find("<w:t>").or_else(|| cells.find("<w:t xml:space")) {
            let open = t + cells[t..].find('>').unwrap() + 1;
            let close = open + cells[open..].find("</w:t>").unwrap();
            words.extend(
                cells[open..close]
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().count() >= 4)
                    .map(String::from),
            );
            cells = &cells[close..];
        }
        rest = &row[end..];
    }
    assert!(words.len() > 20, "the paper's table headings: {words:?}");
    // a broken word leaves its front as a word of its own: a front of a heading word that is not
    // itself a word anywhere in the document must not be a word of the PDF
    let mut written: HashSet<String> = HashSet::new();
    let mut rest = document_xml;
    while let Some(t) = rest.find("<w:t>").or_else(|| rest.find("<w:t xml:space")) {
        let open = t + rest[t..].find('>').unwrap() + 1;
        let close = open + rest[open..].find("</w:t>").unwrap();
        written.extend(rest[open..close].split(|c: char| !c.is_alphanumeric()).map(String::from));
        rest = &rest[close..];
    }
    for w in &words {
        assert!(tokens.contains(w.as_str()), "{}: the heading word {w:?} is not in the PDF", pdf.display());
        let chars: Vec<char> = w.chars().collect();
        for k in 3..chars.len() {
            let front: String = chars[..k].iter().collect();
            if !written.contains(&front) {
                assert!(
                    !tokens.contains(front.as_str()),
                    "{}: the heading word {w:?} is broken after {front:?}",
                    pdf.display()
                );
            }
        }
    }
}

/// The reward figures a report prints: each target's maximum, projection, amount at risk and what
/// the trigger and the stretch recover.
fn reward_figures(ws: &Ws, all: bool) -> Vec<String> {
    let money = laa::domain::numbers::money;
    let j = ws.json(&["reward", "--format", "json"]);
    let mut out = Vec::new();
    for p in j.as_array().unwrap() {
        let m = |k: &str| money(p[k].as_f64().unwrap());
        out.extend([m("projected_grant"), m("grant_at_risk")]);
        if all {
            out.extend([m("max_grant"), m("grant_recovered_at_trigger"), m("grant_recovered_at_stretch")]);
        }
    }
    out
}

/// A screenshot's pixel bytes and the bytes per pixel.
pub(crate) fn screenshot_pixels(path: &Path) -> (Vec<u8>, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().expect("an image of a sensible size")];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (buf, info.color_type.samples())
}

fn which(names: &[&str]) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| std::env::split_paths(&path).map(|d| d.join(n)).find(|p| p.is_file()))
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
    let out_of_reach =
        recs.iter().find(|r| r.contains("green is out of reach this year")).expect("the reds out of reach");
    for r in &lost {
        assert!(out_of_reach.contains(&format!("{} ", r["indicator"].as_str().unwrap())), "{out_of_reach}");
    }
    assert!(out_of_reach.contains(&format!("for {} of the red indicators", lost.len())), "{out_of_reach}");
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
    let triggers = recs.iter().find(|r| r.contains("reward trigger is still within reach")).expect("the triggers");
    for code in saveable {
        assert!(triggers.contains(&format!("{code} (")), "{code}: {triggers}");
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
