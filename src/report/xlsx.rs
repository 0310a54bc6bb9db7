//! `ssog-report.xlsx`: the report's tables on sheets (Summary, Ratings, Exceptions, Reward, Data)
//! with RAG-coloured cells, frozen headers, filters and number formats. Text from returns is
//! always written as text, never as a formula.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::ReportData;
use crate::assess::rating::Rating;
use crate::domain::rag::Rag;
use crate::report::chart::rag_hex;

fn hex(s: &str) -> Color {
    Color::RGB(u32::from_str_radix(s.trim_start_matches('#'), 16).unwrap_or(0))
}

fn rag_format(r: Rag) -> Format {
    let font = if matches!(r, Rag::Amber | Rag::Grey) { Color::Black } else { Color::White };
    Format::new().set_background_color(hex(rag_hex(r))).set_font_color(font).set_bold().set_align(FormatAlign::Center)
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(hex("#EEF1F6"))
        .set_text_wrap()
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin)
}

/// A sheet with a header row at `row`, frozen below it, with an autofilter over `rows` data rows.
fn table_sheet<'a>(
    wb: &'a mut Workbook,
    name: &str,
    row: u32,
    headers: &[(&str, f64)],
    rows: u32,
) -> Result<&'a mut Worksheet, XlsxError> {
    // a table from the top row is streamed to a temporary file row by row, as written, with its
    // text inline: the workbook is not built in memory (and the demo's workbook is written the
    // way a national one is)
    let ws = if row == 0 { wb.add_worksheet_with_constant_memory()? } else { wb.add_worksheet() };
    let ws = ws.set_name(name)?;
    let hf = header_format();
    for (c, (h, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &hf)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    ws.autofilter(row, 0, row + rows.max(1), headers.len() as u16 - 1)?;
    // printed as a reader expects: A4 landscape, as wide as the page, the header on every page
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(row, row)?;
    Ok(ws)
}

fn opt_num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> Result<(), XlsxError> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number_with_format(r, c, v, f)?;
    }
    Ok(())
}

/// A number in a column given its format once ([`number_columns`]): a cell written without a
/// format takes its column's. A format given with each cell is hashed whole to find its index,
/// a fifth of writing the national Ratings sheet (70,000 rows).
fn col_num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>) -> Result<(), XlsxError> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number(r, c, v)?;
    }
    Ok(())
}

fn number_columns(ws: &mut Worksheet, columns: &[(u16, &Format)]) -> Result<(), XlsxError> {
    for (c, f) in columns {
        ws.set_column_format(*c, f)?;
    }
    Ok(())
}

fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str) -> Result<(), XlsxError> {
    if !s.is_empty() {
        // write_string stores text as text: "=cmd|…" from a return stays inert; a text past
        // Excel's limit is cut with a note rather than failing the whole workbook
        ws.write_string(r, c, super::cut_text(s, super::EXCEL_TEXT))?;
    }
    Ok(())
}

/// Past this many values the Data sheet says where they are and `data.csv` holds them: a
/// national picture would pass Excel's row limit and make a workbook nobody can open quickly.
pub const DATA_SHEET_ROWS: usize = 100_000;

pub fn render(d: &ReportData) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(3);
    // a fixed creation time (the period's data, not the clock) keeps the workbook reproducible
    let stamp = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new().set_title(&d.title).set_company(&d.partnership).set_creation_datetime(&stamp),
    );
    summary(&mut wb, d)?;
    ratings(&mut wb, d)?;
    exceptions(&mut wb, d)?;
    reward(&mut wb, d)?;
    returns(&mut wb, d)?;
    data(&mut wb, d)?;
    wb.save_to_buffer()
}

fn summary(wb: &mut Workbook, d: &ReportData) -> Result<(), XlsxError> {
    let headers = [
        ("Theme", 34.0),
        ("Red", 9.0),
        ("Amber", 9.0),
        ("Green", 9.0),
        ("Grey", 9.0),
        ("Total", 9.0),
        ("Maximum grant", 16.0),
        ("Projected grant", 16.0),
        ("Grant at risk", 16.0),
    ];
    let ws = table_sheet(wb, "Summary", 3, &headers, d.themes.len() as u32 + 1)?;
    ws.write_string_with_format(0, 0, &d.title, &Format::new().set_bold().set_font_size(14))?;
    ws.write_string(1, 0, format!("{} — ratings for {}", d.partnership, d.period))?;
    for (i, r) in Rag::ALL.iter().enumerate() {
        ws.write_string_with_format(3, 1 + i as u16, format!("{} {}", r.letter(), r.name()), &rag_format(*r))?;
    }
    let money = Format::new().set_num_format("£#,##0");
    let bold = Format::new().set_bold();
    let mut row = 4;
    for t in &d.themes {
        ws.write_string(row, 0, &t.name)?;
        for (i, n) in t.counts.as_array().iter().enumerate() {
            ws.write_number(row, 1 + i as u16, *n as f64)?;
        }
        ws.write_number(row, 5, t.counts.total() as f64)?;
        ws.write_number_with_format(row, 6, t.reward.max_grant, &money)?;
        ws.write_number_with_format(row, 7, t.reward.projected_grant, &money)?;
        ws.write_number_with_format(row, 8, t.reward.grant_at_risk, &money)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Partnership", &bold)?;
    for (i, n) in d.counts.as_array().iter().enumerate() {
        ws.write_number_with_format(row, 1 + i as u16, *n as f64, &bold)?;
    }
    ws.write_number_with_format(row, 5, d.counts.total() as f64, &bold)?;
    let bm = Format::new().set_bold().set_num_format("£#,##0");
    ws.write_number_with_format(row, 6, d.reward_totals.max_grant, &bm)?;
    ws.write_number_with_format(row, 7, d.reward_totals.projected_grant, &bm)?;
    ws.write_number_with_format(row, 8, d.reward_totals.grant_at_risk, &bm)?;
    // the counts are of the effective rating (the override where there is one): said, with the
    // computed count, so that a recount of the Ratings sheet agrees
    ws.write_string(
        row + 2,
        0,
        format!(
            "Counts are of each rating as it stands after any manual override (the Ratings sheet's Override column where there is one, else its Computed rating): {}.",
            d.counts.red_text()
        ),
    )?;
    Ok(())
}

const RATING_HEADERS: [(&str, f64); 25] = [
    ("Theme", 14.0),
    ("Indicator", 10.0),
    ("Title", 44.0),
    ("Area", 18.0),
    ("Value period", 12.0),
    ("Actual", 11.0),
    ("Target", 11.0),
    ("Forecast", 11.0),
    ("Unit", 12.0),
    ("Computed rating", 10.0),
    ("Override", 10.0),
    ("Override reason and author", 30.0),
    ("Direction", 12.0),
    ("Probability", 11.0),
    ("Reason", 60.0),
    ("Commentary", 50.0),
    ("Source", 50.0),
    ("Compared for", 12.0),
    ("Rank", 8.0),
    ("Of", 8.0),
    ("National quartile", 16.0),
    ("England median", 12.0),
    ("Comparator group median", 14.0),
    ("Against other areas", 50.0),
    // the partnership's own figure or a district's, to filter on
    ("Level", 10.0),
];

/// The formats of a ratings row, made once.
struct RowFormats {
    n: Format,
    pct: Format,
    rag: [Format; 4],
}

impl RowFormats {
    fn new() -> RowFormats {
        RowFormats {
            n: Format::new().set_num_format("#,##0.0##"),
            pct: Format::new().set_num_format("0%"),
            rag: Rag::ALL.map(rag_format),
        }
    }

    /// The columns of a rating row that hold numbers, each with its format (see [`col_num`]).
    fn columns(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        number_columns(ws, &[(5, &self.n), (6, &self.n), (7, &self.n), (13, &self.pct), (21, &self.n), (22, &self.n)])
    }

    fn rag(&self, r: Rag) -> &Format {
        &self.rag[Rag::ALL.iter().position(|x| *x == r).unwrap_or(0)]
    }
}

fn rating_row(ws: &mut Worksheet, row: u32, d: &ReportData, r: &Rating, f: &RowFormats) -> Result<(), XlsxError> {
    text(ws, row, 0, d.theme_name(&r.theme))?;
    text(ws, row, 1, &r.indicator)?;
    text(ws, row, 2, &r.title)?;
    text(ws, row, 3, d.area_name(&r.area))?;
    text(ws, row, 4, &r.value_period.map(|p| p.to_string()).unwrap_or_default())?;
    col_num(ws, row, 5, r.actual)?;
    col_num(ws, row, 6, r.target)?;
    col_num(ws, row, 7, r.forecast)?;
    text(ws, row, 8, &r.unit)?;
    ws.write_string_with_format(row, 9, format!("{} {}", r.rating.letter(), r.rating.name()), f.rag(r.rating))?;
    if let Some(o) = r.override_rating {
        ws.write_string_with_format(row, 10, format!("{} {}", o.letter(), o.name()), f.rag(o))?;
        text(
            ws,
            row,
            11,
            &format!("{} ({})", r.override_reason.as_deref().unwrap_or(""), r.override_author.as_deref().unwrap_or("")),
        )?;
    }
    text(ws, row, 12, r.direction.map_or("", |x| x.name()))?;
    col_num(ws, row, 13, r.probability)?;
    text(ws, row, 14, &r.reason)?;
    text(ws, row, 15, r.commentary.as_deref().unwrap_or(""))?;
    text(ws, row, 16, &super::sources_listed(r))?;
    if let Some(b) = &r.benchmark {
        // other authorities' figures: context, never part of the rating
        text(ws, row, 17, &b.period.to_string())?;
        let count = |ws: &mut Worksheet, col: u16, v: Option<usize>| -> Result<(), XlsxError> {
            if let Some(v) = v {
                ws.write_number(row, col, v as f64)?;
            }
            Ok(())
        };
        count(ws, 18, b.rank)?;
        count(ws, 19, Some(b.ranked_of))?;
        count(ws, 20, b.national_quartile.map(usize::from))?;
        col_num(ws, row, 21, b.england_median)?;
        col_num(ws, row, 22, b.group.as_ref().and_then(|g| g.median))?;
        text(ws, row, 23, &b.sentence(&|v| crate::domain::numbers::fmt_value(v, &r.unit)))?;
    }
    text(ws, row, 24, if d.county.first().is_some_and(|c| c.area == r.area) { "county" } else { "district" })?;
    Ok(())
}

/// Excel's last row, less the header and a closing note: a sheet never passes it.
const SHEET_ROWS: usize = 1_048_576 - 2;

fn ratings(wb: &mut Workbook, d: &ReportData) -> Result<(), XlsxError> {
    let all: Vec<&Rating> = d.county.iter().chain(d.districts.iter()).collect();
    let shown = all.len().min(SHEET_ROWS);
    let ws = table_sheet(wb, "Ratings", 0, &RATING_HEADERS, shown as u32)?;
    let f = RowFormats::new();
    f.columns(ws)?;
    for (i, r) in all.iter().take(shown).enumerate() {
        rating_row(ws, i as u32 + 1, d, r, &f)?;
    }
    if shown < all.len() {
        ws.write_string(
            shown as u32 + 1,
            0,
            format!(
                "… and {} more ratings than an Excel sheet holds: `laa rate --area all --format csv` lists them all",
                all.len() - shown
            ),
        )?;
    }
    Ok(())
}

fn exceptions(wb: &mut Workbook, d: &ReportData) -> Result<(), XlsxError> {
    let mut headers = RATING_HEADERS.to_vec();
    headers.push(("Remedial action", 50.0));
    let ws = table_sheet(wb, "Exceptions", 0, &headers, d.exceptions.len() as u32)?;
    let f = RowFormats::new();
    f.columns(ws)?;
    for (i, r) in d.exceptions.iter().enumerate() {
        let row = i as u32 + 1;
        rating_row(ws, row, d, r, &f)?;
        text(ws, row, RATING_HEADERS.len() as u16, super::given_action(r).unwrap_or(""))?;
    }
    Ok(())
}

/// Each theme's return for the quarter (seen on the meeting date).
fn returns(wb: &mut Workbook, d: &ReportData) -> Result<(), XlsxError> {
    if d.returns.is_empty() {
        return Ok(());
    }
    let widths = [40.0, 14.0, 14.0, 30.0, 18.0];
    let headers: Vec<(&str, f64)> = super::RETURN_HEADERS.iter().copied().zip(widths).collect();
    let ws = table_sheet(wb, "Returns", 0, &headers, d.returns.len() as u32)?;
    for (i, r) in d.returns.iter().enumerate() {
        for (c, cell) in super::return_cells(r).iter().enumerate() {
            text(ws, i as u32 + 1, c as u16, cell)?;
        }
    }
    Ok(())
}

fn reward(wb: &mut Workbook, d: &ReportData) -> Result<(), XlsxError> {
    let headers = [
        ("Theme", 14.0),
        ("Indicator", 10.0),
        ("Title", 40.0),
        ("Performance without reward", 14.0),
        ("Trigger value", 12.0),
        ("Stretch target", 12.0),
        ("Forecast this year", 12.0),
        ("Assessed year", 12.0),
        ("Assessed outturn", 12.0),
        ("Achievement", 12.0),
        ("Maximum grant", 15.0),
        ("Projected grant", 15.0),
        ("Grant at risk", 15.0),
        ("Rating", 10.0),
        ("Recovered at trigger", 15.0),
        ("Recovered at stretch", 15.0),
        ("Reason", 60.0),
    ];
    let ws = table_sheet(wb, "Reward", 0, &headers, d.rewards.len() as u32 + 1)?;
    let n = Format::new().set_num_format("#,##0.0##");
    let money = Format::new().set_num_format("£#,##0");
    let pct = Format::new().set_num_format("0%");
    for (i, p) in d.rewards.iter().enumerate() {
        let row = i as u32 + 1;
        text(ws, row, 0, d.theme_name(&p.theme))?;
        text(ws, row, 1, &p.indicator)?;
        text(ws, row, 2, &p.title)?;
        ws.write_number_with_format(row, 3, p.performance_without_reward, &n)?;
        ws.write_number_with_format(row, 4, p.trigger_value, &n)?;
        ws.write_number_with_format(row, 5, p.stretch_target, &n)?;
        opt_num(ws, row, 6, p.forecast, &n)?;
        text(ws, row, 7, &p.assessed_year)?;
        opt_num(ws, row, 8, p.assessed_forecast, &n)?;
        ws.write_number_with_format(row, 9, p.achievement, &pct)?;
        ws.write_number_with_format(row, 10, p.max_grant, &money)?;
        ws.write_number_with_format(row, 11, p.projected_grant, &money)?;
        ws.write_number_with_format(row, 12, p.grant_at_risk, &money)?;
        let rating =
            if p.parked { p.status.name().to_string() } else { format!("{} {}", p.rating.letter(), p.rating.name()) };
        ws.write_string_with_format(row, 13, rating, &rag_format(p.rating))?;
        ws.write_number_with_format(row, 14, p.grant_recovered_at_trigger, &money)?;
        ws.write_number_with_format(row, 15, p.grant_recovered_at_stretch, &money)?;
        text(ws, row, 16, &p.reason)?;
    }
    let row = d.rewards.len() as u32 + 1;
    let bm = Format::new().set_bold().set_num_format("£#,##0");
    ws.write_string_with_format(row, 0, "Partnership", &Format::new().set_bold())?;
    ws.write_number_with_format(row, 10, d.reward_totals.max_grant, &bm)?;
    ws.write_number_with_format(row, 11, d.reward_totals.projected_grant, &bm)?;
    ws.write_number_with_format(row, 12, d.reward_totals.grant_at_risk, &bm)?;
    // the payment profile beneath: year, capital, revenue
    let mut r = row + 2;
    ws.write_string_with_format(r, 0, "Payment profile", &Format::new().set_bold())?;
    text(ws, r, 1, &d.reward_basis())?;
    for (year, capital, revenue) in &d.reward_totals.by_year {
        r += 1;
        text(ws, r, 0, &year.to_string())?;
        text(ws, r, 1, "capital")?;
        ws.write_number_with_format(r, 2, *capital, &money)?;
        text(ws, r, 3, "revenue")?;
        ws.write_number_with_format(r, 4, *revenue, &money)?;
    }
    Ok(())
}

fn data(wb: &mut Workbook, d: &ReportData) -> Result<(), XlsxError> {
    let headers = [
        ("Indicator", 10.0),
        ("Area", 18.0),
        ("Period", 12.0),
        ("Value", 12.0),
        ("Numerator", 12.0),
        ("Denominator", 12.0),
        ("File", 36.0),
        ("Sheet", 14.0),
        ("Cell", 10.0),
        ("Imported", 22.0),
        ("Commentary", 50.0),
    ];
    let v = &d.assessment.values;
    if v.len() > DATA_SHEET_ROWS {
        let ws = table_sheet(wb, "Data", 0, &headers, 1)?;
        ws.write_string(
            1,
            0,
            format!(
                "{} values: more than this workbook keeps on a sheet ({DATA_SHEET_ROWS}); every value is in data.csv beside it",
                v.len()
            ),
        )?;
        return Ok(());
    }
    let ws = table_sheet(wb, "Data", 0, &headers, v.len() as u32)?;
    let n = Format::new().set_num_format("#,##0.0###");
    number_columns(ws, &[(3, &n), (4, &n), (5, &n)])?;
    let imported = d.imported_at();
    for i in 0..v.len() {
        let row = i as u32 + 1;
        let loc = v.dicts.loc(v.src[i]);
        text(ws, row, 0, v.dicts.indicators.get(v.indicator[i]))?;
        text(ws, row, 1, d.area_name(v.dicts.areas.get(v.area[i])))?;
        text(ws, row, 2, &v.period[i].to_string())?;
        col_num(ws, row, 3, Some(v.value[i]))?;
        col_num(ws, row, 4, v.numerator[i])?;
        col_num(ws, row, 5, v.denominator[i])?;
        text(ws, row, 6, &loc.file)?;
        text(ws, row, 7, loc.sheet.as_deref().unwrap_or(""))?;
        text(ws, row, 8, &loc.cell)?;
        text(ws, row, 9, imported.get(&v.batch[i]).map_or("", String::as_str))?;
        text(ws, row, 10, v.dicts.texts.get(v.commentary[i]))?;
    }
    Ok(())
}
