//! `board-paper.docx`: the committee report as Office Open XML written directly — real heading,
//! numbered-paragraph and caption styles an officer can restyle in Word, A4 portrait, tables
//! whose header rows repeat across pages, and the charts embedded as PNG.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use super::narrative::{self, Facts};
use super::{Charts, ReportData, esc};
use crate::assess::rating::Rating;
use crate::domain::numbers::fmt_value;
use crate::domain::numbers::money;
use crate::domain::rag::Rag;
use crate::report::chart::{Rendered, rag_hex};
mod package;
use package::*;
mod appendix;
mod front;
#[allow(unused_imports)]
pub use appendix::*;
use front::*;

/// Text width of the page: A4 (11906 twips) less two 2 cm margins (1134 twips each).
const TEXT_TWIPS: u32 = 11906 - 2 * 1134;
const EMU_PER_TWIP: u64 = 635;

pub(crate) struct Doc {
    body: String,
    images: Vec<Vec<u8>>,
    next_id: u32,
}

fn para(style: &str, text: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>", run(text))
}

fn run(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text))
}

fn bold_run(text: &str) -> String {
    format!("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text))
}

/// A table cell's content and optional fill.
struct Cell {
    text: String,
    fill: Option<&'static str>,
    white: bool,
}

/// A table cell: a text past what a paper's cell should hold is cut with a note saying where the
/// whole text is.
fn c(text: impl Into<String>) -> Cell {
    let text: String = text.into();
    let text = match super::cut_text(&text, super::WORD_CELL_TEXT) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(cut) => cut,
    };
    Cell { text, fill: None, white: false }
}

fn rag_cell(r: Rag) -> Cell {
    Cell {
        text: format!("{} {}", r.letter(), r.name()),
        fill: Some(rag_hex(r)),
        white: matches!(r, Rag::Red | Rag::Green),
    }
}

impl Doc {
    fn p(&mut self, style: &str, text: &str) {
        self.body += &para(style, text);
    }

    /// A numbered paragraph (the committee-report style: numbering continues through the paper).
    fn numbered(&mut self, text: &str) {
        self.p("NumberedParagraph", text);
    }

    fn table(&mut self, headers: &[&str], widths: &[u32], rows: Vec<Vec<Cell>>) {
        let total: u32 = widths.iter().sum();
        let mut cols: Vec<u32> = widths.iter().map(|w| w * TEXT_TWIPS / total).collect();
        // no word or figure broken mid-way ("Forecas t", "£36,666." / "67"): a column is at least
        // as wide as its longest heading word (bold) and its longest figure or word, plus the
        // cell's margins; the width is taken from the widest columns first (the text columns,
        // which wrap at spaces)
        let need: Vec<u32> = (0..headers.len())
            .map(|i| {
                let head = headers[i].split_whitespace().map(|w| text_twips(w, true)).max().unwrap_or(0);
                let body = rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .flat_map(|c| c.text.split_whitespace().map(|w| text_twips(w, false)))
                    .max()
                    .unwrap_or(0);
                head.max(body) + 260
            })
            .collect();
        for (c, n) in cols.iter_mut().zip(&need) {
            *c = (*c).max(*n);
        }
        let mut over = cols.iter().sum::<u32>().saturating_sub(TEXT_TWIPS);
        while over > 0 {
            let Some(j) = (0..cols.len()).filter(|&j| cols[j] > need[j]).max_by_key(|&j| cols[j]) else {
                break;
            };
            // a step at a time, so that two wide columns share the loss
            let take = (cols[j] - need[j]).min(over).min(100);
            cols[j] -= take;
            over -= take;
        }
        let mut t = String::from(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        );
        for w in &cols {
            t += &format!("<w:gridCol w:w=\"{w}\"/>");
        }
        t += "</w:tblGrid>";
        t += &heading_row(headers, &cols);
        // a short table moves to the next page whole rather than leave a row or two behind; a
        // long one keeps at least its last two rows together
        let n = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            let keep = if i + 1 < n && (n <= 12 || i + 2 >= n) { "<w:keepNext/>" } else { "" };
            t += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
            for (cell, w) in row.iter().zip(&cols) {
                let shd = cell
                    .fill
                    .map(|f| format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{}\"/>", &f[1..]))
                    .unwrap_or_default();
                let r = if cell.white {
                    format!(
                        "<w:r><w:rPr><w:b/><w:color w:val=\"FFFFFF\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                        esc(&cell.text)
                    )
                } else if cell.fill.is_some() {
                    bold_run(&cell.text)
                } else {
                    run(&cell.text)
                };
                t += &format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>{shd}</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>{keep}</w:pPr>{r}</w:p></w:tc>"
                );
            }
            t += "</w:tr>";
        }
        t += "</w:tbl>";
        self.body += &t;
        self.p("Normal", "");
    }

    /// An image sized to the text width, with a caption below it.
    /// A chart's drawing, `cx` EMU wide, as one run (placed in a paragraph by the caller).
    fn drawing(&mut self, png: &[u8], cx: u64, descr: &str) -> String {
        self.images.push(png.to_vec());
        let n = self.images.len();
        self.next_id += 1;
        let id = self.next_id;
        let (w, h) = png_size(png);
        let cy = cx * u64::from(h) / u64::from(w.max(1));
        format!(
            "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{id}\" name=\"Chart {n}\" descr=\"{}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"chart{n}.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdImg{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
            esc(descr)
        )
    }

    /// Charts as small multiples: `columns` to a row of a borderless table, each with its
    /// caption beneath it, a row never split across pages.
    fn figure_grid(&mut self, charts: &[(&[u8], String)], columns: usize) {
        let col = TEXT_TWIPS / columns as u32;
        let cx = u64::from(col) * EMU_PER_TWIP * 94 / 100;
        let mut xml = String::from(
            "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"40\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
        );
        for _ in 0..columns {
            xml += &format!("<w:gridCol w:w=\"{col}\"/>");
        }
        xml += "</w:tblGrid>";
        for row in charts.chunks(columns) {
            xml += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
            for i in 0..columns {
                xml += &format!("<w:tc><w:tcPr><w:tcW w:w=\"{col}\" w:type=\"dxa\"/></w:tcPr>");
                match row.get(i) {
                    Some((chart, caption)) => {
                        let run = self.drawing(chart, cx, caption);
                        // no keep-with-next inside the grid: it would chain the whole table to
                        // the heading above and start every theme on a page of its own
                        xml += &format!(
                            "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/><w:keepNext w:val=\"0\"/></w:pPr>{run}</w:p>"
                        );
                        xml += &para("Caption", caption);
                    }
                    None => xml += "<w:p/>",
                }
                xml += "</w:tc>";
            }
            xml += "</w:tr>";
        }
        xml += "</w:tbl>";
        self.body += &xml;
    }

    fn figure(&mut self, chart: &Rendered, caption: &str) {
        let cx = u64::from(TEXT_TWIPS) * EMU_PER_TWIP * 95 / 100;
        let run = self.drawing(&chart.png, cx, caption);
        self.body += &format!("<w:p><w:pPr><w:pStyle w:val=\"Figure\"/><w:keepNext/></w:pPr>{run}</w:p>");
        self.p("Caption", caption);
    }
}

/// A table's heading row, repeated on each page; none for a table of labelled rows (an
/// exception in full), where an empty one took a line of every table.
fn heading_row(headers: &[&str], cols: &[u32]) -> String {
    if headers.iter().all(|h| h.is_empty()) {
        return String::new();
    }
    let mut t = String::from("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
    for (h, w) in headers.iter().zip(cols) {
        t += &format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EEF1F6\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr>{}</w:p></w:tc>",
            bold_run(h)
        );
    }
    t + "</w:tr>"
}

/// About how wide a word is in the tables' font at 8.5 pt, in twips: each character's advance as a
/// share of the em, as wide as the widest face that stands in for Arial (DejaVu Sans, where Arial
/// and its metric twin are not installed); bold a little wider.
fn text_twips(word: &str, bold: bool) -> u32 {
    let em: f64 = word
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' => 0.32,
            'f' | 't' | 'r' | 'I' | '(' | ')' | '-' | '/' => 0.40,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.95,
            c if c.is_ascii_uppercase() => 0.74,
            _ => 0.64,
        })
        .sum();
    let size = 170.0 * if bold { 1.1 } else { 1.0 };
    (em * size).ceil() as u32
}

fn png_size(png: &[u8]) -> (u32, u32) {
    // width and height are the IHDR's first fields, at bytes 16..24
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if png.len() >= 24 { (be(&png[16..20]), be(&png[20..24])) } else { (960, 480) }
}

fn rating_row(r: &Rating, theme: &str) -> Vec<Cell> {
    let v = |x: Option<f64>| x.map_or("–".into(), |x| fmt_value(x, &r.unit));
    let mut row = vec![
        c(theme),
        c(format!("{} {}", r.indicator, r.title)),
        c(v(r.actual)),
        c(v(r.target)),
        c(v(r.forecast)),
        rag_cell(r.effective_rating),
    ];
    row.push(c(r.direction.map_or(String::new(), |d| d.name().to_string())));
    row
}

/// Build the board paper.
pub fn render(d: &ReportData, charts: &Charts) -> Result<Vec<u8>, String> {
    let mut doc = Doc { body: String::new(), images: Vec::new(), next_id: 0 };
    front(&mut doc, d);
    exceptions(&mut doc, d);
    greens_behind_others(&mut doc, d);
    reward(&mut doc, d);
    appendices(doc, d, charts)
}

/// The reds: due this quarter in a table, between results in a sentence.
fn exceptions(doc: &mut Doc, d: &ReportData) {
    let red = |r: &&Rating| r.effective_rating == Rag::Red;
    let due: Vec<&Rating> = d.exceptions.iter().filter(red).filter(|r| r.due).collect();
    let between: Vec<&Rating> = d.exceptions.iter().filter(red).filter(|r| !r.due).collect();
    let overridden: Vec<&Rating> = d.exceptions.iter().filter(|r| r.effective_rating != Rag::Red).collect();
    doc.p("Heading1", "Exceptions");
    if d.exceptions.is_empty() {
        doc.numbered("No indicator is rated red this quarter.");
    } else {
        if !due.is_empty() {
            doc.numbered(&format!(
                "{} rated red on this quarter's results, with the theme partnership's remedial action (Appendix A gives each in full: reason, commentary, action and the return cells behind the value):",
                narrative::count(due.len(), "indicator is", "indicators are")
            ));
            let rows = due.iter().map(|r| exception_row(d, r)).collect();
            doc.table(&["Indicator", "Theme", "Reason", "Remedial action"], &[26, 13, 28, 33], rows);
            if let Some(s) = super::without_an_action_sentence(&super::reds_without_an_action(due.iter().copied())) {
                doc.p("Normal", &s);
            }
        }
        if !between.is_empty() {
            let codes: Vec<String> = between.iter().map(|r| r.indicator.clone()).collect();
            doc.numbered(&format!(
                "{} {} red between {} results (annual, academic-year or survey measures), on {}: {}. Appendix A gives each one's last result and when the next is due.",
                narrative::count(between.len(), "indicator", "indicators"),
                if between.len() == 1 { "is" } else { "are" },
                if between.len() == 1 { "its" } else { "their" },
                d.between_results,
                narrative::join_and(&codes)
            ));
        }
        let top: Vec<String> = d
            .exceptions
            .iter()
            .filter(|r| r.effective_rating == Rag::Red)
            .filter(|r| r.benchmark.as_ref().is_some_and(|b| b.national_quartile == Some(1)))
            .map(|r| r.indicator.clone())
            .collect();
        if !top.is_empty() {
            doc.numbered(&format!(
                "Against other English authorities, {} {} red against {} yet in the top quarter nationally. There the target is stretching rather than performance poor, and the remedial action should be judged with that in mind.",
                narrative::join_and(&top),
                if top.len() == 1 { "is" } else { "are" },
                if top.len() == 1 { "its target" } else { "their targets" }
            ));
        }
        overridden_reds(doc, &overridden);
    }
}

/// One red due this quarter, as a row of the exceptions table.
fn exception_row(d: &ReportData, r: &Rating) -> Vec<Cell> {
    vec![
        c(format!("{} {}", r.indicator, r.title)),
        c(d.theme_name(&r.theme)),
        c(match &r.benchmark {
            // where it stands nationally: a red in the top quarter changes the advice
            Some(b) if b.national_quartile == Some(1) => format!(
                "{}; yet top quarter of English authorities (rank {} of {})",
                super::short_reason(r),
                b.rank.unwrap_or_default(),
                b.ranked_of
            ),
            Some(b) if b.rank.is_some() => {
                format!("{}; nationally {}", super::short_reason(r), b.short())
            }
            _ => super::short_reason(r),
        } + &super::partner_disagrees(r).map_or(String::new(), |p| format!("; {p}"))),
        c(super::given_action(r).map_or(super::NO_ACTION.to_string(), |a| super::shorten_action(a, 110))),
    ]
}

/// Computed reds an override shows otherwise: an override never hides a red, so they are said
/// beside the reds they are not counted with.
fn overridden_reds(doc: &mut Doc, overridden: &[&Rating]) {
    if overridden.is_empty() {
        return;
    }
    // an override never hides a red: said here, beside the reds it is not counted with
    let each: Vec<String> = overridden
        .iter()
        .map(|r| {
            format!(
                "{} {} (computed red, set to {} by {}: {})",
                r.indicator,
                r.title,
                r.effective_rating.name(),
                r.override_author.as_deref().unwrap_or("an override"),
                r.override_reason.as_deref().unwrap_or("no reason given")
            )
        })
        .collect();
    doc.numbered(&format!(
            "{} computed red {} shown otherwise by a manual override, and so not counted as red: {}. Appendix A gives {} in full.",
            narrative::count(overridden.len(), "indicator", "indicators"),
            if overridden.len() == 1 { "is" } else { "are" },
            narrative::join_and(&each),
            if overridden.len() == 1 { "it" } else { "each" }
        ));
}

/// Greens in the bottom quarter of English authorities: a target that may ask too little.
fn greens_behind_others(doc: &mut Doc, d: &ReportData) {
    let low: Vec<String> = d
        .county
        .iter()
        .filter(|r| r.effective_rating == Rag::Green)
        .filter(|r| r.benchmark.as_ref().is_some_and(|b| b.national_quartile == Some(4)))
        .map(|r| r.indicator.clone())
        .collect();
    if !low.is_empty() {
        doc.numbered(&format!(
            "{} green against {} target yet in the bottom quarter of English authorities: {}. The Board may wish to ask whether {} asks enough.",
            narrative::count(low.len(), "indicator is", "indicators are"),
            if low.len() == 1 { "its" } else { "their" },
            narrative::join_and(&low),
            if low.len() == 1 { "the target" } else { "those targets" }
        ));
    }
}

/// The reward risk: totals and a row per target.
fn reward(doc: &mut Doc, d: &ReportData) {
    doc.p("Heading1", "Reward target risk assessment");
    if d.rewards.is_empty() {
        doc.numbered("The agreement has no reward targets.");
    } else {
        let t = &d.reward_totals;
        doc.numbered(&format!(
            "Projected reward grant is {} of the {} available; {} is at risk. No grant is paid for a target below {:.0}% of its stretch. {}",
            money(t.projected_grant),
            money(t.max_grant),
            money(t.grant_at_risk),
            d.reward_threshold * 100.0,
            d.reward_basis()
        ));
        let n = |v: f64| crate::domain::numbers::readable(v);
        let mut rows: Vec<Vec<Cell>> = d
            .rewards
            .iter()
            .map(|p| {
                vec![
                    c(p.indicator.clone()),
                    c(n(p.trigger_value)),
                    c(n(p.stretch_target)),
                    c(p.assessed_forecast.map_or("–".into(), n)),
                    c(format!("{:.0}%", p.achievement * 100.0)),
                    c(money(p.projected_grant)),
                    c(money(p.grant_at_risk)),
                    // a reward status in its own words, never a performance rating's badge
                    if p.parked { c(p.status.name()) } else { c(super::reward_status_words(p.rating)) },
                ]
            })
            .collect();
        rows.push(vec![
            c("Partnership"),
            c(""),
            c(""),
            c(""),
            c(""),
            c(money(t.projected_grant)),
            c(money(t.grant_at_risk)),
            c(""),
        ]);
        doc.table(
            &["Target", "Trigger", "Stretch", "Assessed outturn", "Achieved", "Projected", "At risk", "Reward status"],
            &[11, 12, 12, 13, 11, 15, 14, 12],
            rows,
        );
        // the reward chart draws this table: it is in the HTML report and charts/, not here,
        // where it cost the paper a page
        if let Some(s) = super::reward_and_rating_differ(d) {
            doc.p("Normal", &s);
        }
    }
}

/// The table of appendices, which closes the main report, then each appendix on its own pages.
fn appendices(mut doc: Doc, d: &ReportData, charts: &Charts) -> Result<Vec<u8>, String> {
    // the table of appendices closes the main report
    let mut appendices: Vec<(&str, String)> = vec![
        ("A", "Exceptions in full".into()),
        ("B", "Reward targets in full".into()),
        ("C", "Ratings of all indicators".into()),
    ];
    if charts.coverage.is_some() {
        appendices.push(("D", "Priorities coverage".into()));
    }
    let trends_letter = if charts.coverage.is_some() { "E" } else { "D" };
    appendices.push((trends_letter, "Indicator trends".into()));
    if !d.returns.is_empty() {
        appendices.push((if charts.coverage.is_some() { "F" } else { "E" }, "Returns this quarter".into()));
    }
    // the appendices start on a new page after the report, their list at its top, then follow
    // one another (a page each began with a half-empty one: 22 pages where 17 hold them; the
    // list at the report's end took a page of its own when the report filled its last page)
    doc.body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
    doc.p("Heading1", "Appendices");
    let listed: Vec<String> = appendices.iter().map(|(l, t)| format!("{l}: {t}")).collect();
    doc.p("Normal", &format!("{}.", listed.join("; ")));
    for (letter, title) in &appendices {
        doc.p("Heading1", &format!("Appendix {letter}: {title}"));
        match *letter {
            "A" => appendix_exceptions(&mut doc, d),
            "B" => appendix_reward(&mut doc, d),
            "C" => appendix_ratings(&mut doc, d, charts),
            "D" if charts.coverage.is_some() => appendix_coverage(&mut doc, charts),
            _ if title == "Returns this quarter" => appendix_returns(&mut doc, d),
            _ => appendix_trends(&mut doc, d, charts),
        }
    }
    package(d, doc)
}

/// Appendix A: every red rating in full, with the cells behind its value.
fn appendix_exceptions(doc: &mut Doc, d: &ReportData) {
    if d.exceptions.is_empty() {
        doc.p("Normal", "No indicator is rated red this quarter.");
    }
    for r in &d.exceptions {
        doc.p("Heading2", &format!("{} {}", r.indicator, r.title));
        let mut rows = vec![
            vec![c("Theme"), c(d.theme_name(&r.theme))],
            vec![
                c(if r.override_rating.is_some() { "Rating (override)" } else { "Rating" }),
                rag_cell(r.effective_rating),
            ],
            vec![c("Reason"), c(r.reason.clone())],
        ];
        if let Some(a) = super::against_others(r) {
            rows.push(vec![c("Against other areas"), c(a)]);
        }
        if r.override_rating.is_some() {
            rows.insert(
                2,
                vec![
                    c("Computed rating"),
                    c(format!(
                        "{} {}, set to {} by {}: {}",
                        r.rating.letter(),
                        r.rating.name(),
                        r.effective_rating.name(),
                        r.override_author.as_deref().unwrap_or("an override"),
                        r.override_reason.as_deref().unwrap_or("no reason given")
                    )),
                ],
            );
        }
        if let Some(next) = &r.next_due {
            rows.push(vec![c("Next result"), c(next.clone())]);
        }
        if let Some(risk) = &r.risk {
            rows.push(vec![
                c("Risk to the next result"),
                c(format!("{} {}: {}", risk.rating.letter(), risk.rating.name(), risk.reason)),
            ]);
        }
        rows.push(vec![c("Commentary"), c(r.commentary.clone().unwrap_or_else(|| "–".into()))]);
        if let Some(own) = r.self_rating {
            let differs = if r.self_rating_differs().is_some() { " (differs from laa's)" } else { "" };
            rows.push(vec![c("Partner's own rating"), c(format!("{} {}{differs}", own.letter(), own.name()))]);
        }
        if let Some(q) = &r.quality {
            rows.push(vec![c("Data quality"), c(q.clone())]);
        }
        rows.push(vec![c("Remedial action"), c(super::given_action(r).unwrap_or(super::NO_ACTION).to_string())]);
        let mut source = super::sources_summary(r);
        if r.sources.len() > 1 {
            source += &format!(": {}", super::sources_listed(r));
        }
        if let Some(how) = &r.derivation {
            source += &format!(" ({how})");
        }
        rows.push(vec![c("Source"), c(source)]);
        doc.table(&["", ""], &[18, 82], rows);
    }
}

/// Appendix B: the full reward table, the chart and the basis.
fn appendix_reward(doc: &mut Doc, d: &ReportData) {
    if d.rewards.is_empty() {
        doc.p("Normal", "The agreement has no reward targets.");
        return;
    }
    doc.p("Normal", &d.reward_basis());
    let n = |v: f64| crate::domain::numbers::readable(v);
    let rows = d
        .rewards
        .iter()
        .map(|p| {
            vec![
                c(format!("{} {}", p.indicator, p.title)),
                c(n(p.performance_without_reward)),
                c(n(p.stretch_target)),
                c(p.forecast.map_or("–".into(), n)),
                c(p.assessed_forecast.map_or("–".into(), |v| format!("{} ({})", n(v), p.assessed_year))),
                c(money(p.max_grant)),
                c(money(p.projected_grant)),
            ]
        })
        .collect();
    doc.table(
        &["Target", "Without reward", "Stretch", "Forecast this year", "Assessed outturn", "Maximum", "Projected"],
        &[28, 11, 10, 11, 14, 13, 13],
        rows,
    );
    // how each projection was made, in full, a paragraph each (in a column it ran 16 lines down
    // a space two words wide)
    doc.p("Heading2", "How each projection is made");
    for p in &d.rewards {
        doc.p("TableText", &format!("{}: {}", p.indicator, super::sentence_case(&p.reason)));
    }
}
