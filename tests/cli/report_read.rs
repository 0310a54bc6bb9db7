//! The report read as its readers read it: the board paper and the workbook opened by
//! LibreOffice, the HTML printed by Chromium, and the PDFs' text.

use std::collections::HashSet;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::Ws;

use crate::report::{docx_paragraphs, rate_json, read_zip, reported};

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
            "Decisions for the Board",
            "Purpose of Report",
            "Summary",
            "Exceptions",
            "Reward target risk assessment",
            "Appendices",
            "Appendix A: Exceptions in full",
            "Appendix B: Reward targets in full",
            "Appendix C: Ratings of all indicators",
            "Appendix D: Priorities coverage",
            "Appendix E: Indicator trends",
            "Appendix F: Returns this quarter"
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
    // where a target's reward status and its performance rating differ in colour, one sentence
    // says why, naming each
    let differ: Vec<&str> = reward
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["parked"] == false)
        .filter(|p| {
            ratings.iter().any(|r| {
                r["indicator"] == p["indicator"]
                    && r["effective_rating"] != p["rating"]
                    && r["effective_rating"] != "grey"
            })
        })
        .map(|p| p["indicator"].as_str().unwrap())
        .collect();
    if !differ.is_empty() {
        let why = paras
            .iter()
            .find(|(_, s)| s.starts_with("The reward status and the performance rating differ for"))
            .expect("the sentence on reward and rating colours");
        assert!(differ.iter().all(|c| why.1.contains(c)) && why.1.contains("stretch target"), "{differ:?}: {}", why.1);
    }
    assert!(
        summary.iter().any(|s| s.contains(&format!("would earn {money} of the £5,250,000"))),
        "{money} not in {summary:?}"
    );
    every_red_in_the_paper(&paras, &ratings);
    // recommendations from partnership.toml, then the two from what it takes (#21)
    let recs: Vec<&str> = paras.iter().filter(|p| p.0 == "Recommendation").map(|p| p.1.as_str()).collect();
    assert_eq!(recs.len(), 5, "{recs:?}");
    assert!(recs[0].starts_with("that the Board notes the progress reported"), "{recs:?}");
    assert!(
        recs[3].contains("green is out of reach this year") && recs[4].contains("reward trigger is still within reach")
    );
    images_and_page(&path, &xml);
}

/// Every red is in the main report (due ones in the exceptions table, annual ones between
/// results by code) and every one in full in Appendix A; hostile text arrives as text.
fn every_red_in_the_paper(paras: &[(String, String)], ratings: &[serde_json::Value]) {
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
    // a red whose return gives no action (or the template's placeholder) is said to have none,
    // and counted: the count names the same reds as the rate's json
    let no_action: Vec<&str> = ratings
        .iter()
        .filter(|r| r["effective_rating"] == "red" && r["due"] == true)
        .filter(|r| {
            let a = r["action"].as_str().unwrap_or("").trim();
            a.is_empty() || a.contains('<') || a.to_lowercase().contains("tbc")
        })
        .map(|r| r["indicator"].as_str().unwrap())
        .collect();
    if !no_action.is_empty() {
        let line = main.iter().find(|p| p.contains("no remedial action")).expect("the count of reds without an action");
        assert!(line.starts_with(&format!("{} ", no_action.len())), "{line} vs {no_action:?}");
        assert!(no_action.iter().all(|c| line.contains(c)), "{line} vs {no_action:?}");
        assert!(main.contains(&"no action given"), "{main:?}");
        assert!(!main.iter().any(|p| p.contains("<by next quarter>")), "no placeholder reaches the board");
    }
    // a red whose partner says it is on course says so beside its reason
    for r in ratings.iter().filter(|r| r["effective_rating"] == "red" && r["due"] == true) {
        if r["commentary"].as_str().is_some_and(|c| c.to_lowercase().contains("on course")) {
            assert!(
                main.iter().any(|p| p.contains("commentary says \"on course\", but it is rated red")),
                "{} is red with 'On course' and the paper does not say so",
                r["indicator"]
            );
        }
    }
    // hostile text from a return arrives as text
    assert!(exceptions.contains(&"<script>alert(\"x\")</script> & 'quoted' \\u{7}bell"), "{exceptions:?}");
}

/// The charts are embedded and referenced, header rows repeat, the page is A4 and the styles
/// are named.
fn images_and_page(path: &Path, xml: &str) {
    let rels = read_zip(path, "word/_rels/document.xml.rels");
    let f = std::fs::File::open(path).unwrap();
    let z = zip::ZipArchive::new(f).unwrap();
    let media: Vec<String> = z
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    // a trend per indicator, the ratings by theme and the coverage (the reward chart is in the
    // HTML report and charts/, not the paper)
    assert_eq!(media.len(), 55 + 2);
    for m in &media {
        let target = m.trim_start_matches("word/");
        assert!(rels.contains(&format!("Target=\"{target}\"")), "{m} not related");
    }
    assert_eq!(xml.matches("r:embed=\"rIdImg").count(), media.len());
    assert!(xml.contains("<w:tblHeader/>"));
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "A4 portrait");
    let styles = read_zip(path, "word/styles.xml");
    for s in ["w:styleId=\"Heading1\"", "w:styleId=\"NumberedParagraph\"", "w:styleId=\"Caption\""] {
        assert!(styles.contains(s), "{s}");
    }
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
    assert_eq!(names, ["Summary", "Ratings", "Exceptions", "Reward", "Returns", "Data"]);
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
    script_sorts_and_filters(&chromium, &ws, &out);
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

/// The inline script in a real browser: a click sorts the exceptions, the rating filter leaves
/// only red panels.
fn script_sorts_and_filters(chromium: &Path, ws: &Ws, out: &Path) {
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
    let o = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", out.join("probe.html").display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&o.stdout);
    let at = dom.find("data-probe=\"").expect("the probe ran") + 12;
    let probe: serde_json::Value =
        serde_json::from_str(&dom[at..at + dom[at..].find('"').unwrap()].replace("&quot;", "\"")).unwrap();
    let ratings = rate_json(ws);
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
    let ws = Ws::whole_demo(); // comparators and overrides too, as a new user gets it
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
    // trends as small multiples: the whole paper a reader turns stays under 20 pages
    assert!(all_pages < 20, "the board paper runs to {all_pages} pages");
    // every page carries its number and the running header, in the PDF's text layer
    pages_are_numbered(&out.join("board-paper.pdf"), all_pages, "Leicestershire Together");
    // page 1 holds the decisions: the reds to decide on, the reward at risk, the recommendations
    let page1 = std::process::Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", "-layout"])
        .arg(out.join("board-paper.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let page1 = String::from_utf8_lossy(&page1.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for said in
        ["Decisions for the Board", "need the Board's decision", "Reward Grant is at risk", "The Board is recommended"]
    {
        assert!(page1.contains(said), "page 1 lacks {said:?}: {page1}");
    }
    assert!(
        page1.contains("that the Board notes the progress reported"),
        "the first recommendation on page 1: {page1}"
    );
    // and every figure of its reward table is whole, and no table heading's word is broken
    figures_whole(&out.join("board-paper.pdf"), &reward_figures(&ws, false));
    headings_whole(&out.join("board-paper.pdf"), &xml);
}
