//! Blank spreadsheets for officers to fill in (agreement, priorities, a quarterly return), and
//! the atomic file write every output uses.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::domain::catalogue::Catalogue;
use crate::domain::periods::Period;
use crate::workspace::Workspace;
use crate::workspace::agreement;

/// Write bytes to a temporary file beside `path`, sync, then rename over it: readers see the old
/// file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// [`write_atomic`] for output written in pieces (streamed, never held whole in memory).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    // a link (or anything) already at the temporary name is removed, never written through;
    // the rename then replaces any link at `path` itself rather than following it
    if std::fs::symlink_metadata(&tmp).is_ok() {
        std::fs::remove_file(&tmp)?;
    }
    let written = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).and_then(|mut f| {
        write(&mut f)?;
        f.sync_all()
    });
    written.and_then(|()| std::fs::rename(&tmp, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn header_format() -> Format {
    Format::new().set_bold().set_background_color("D9E1F2").set_text_wrap()
}

fn sheet_with_header(wb: &mut Workbook, name: &str, title: &str, headers: &[String]) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(name)?;
    ws.write_string_with_format(0, 0, title, &Format::new().set_bold().set_font_size(14))?;
    ws.write_string(
        1,
        0,
        "Fill in one row per line below the header. Keep the header row; extra columns are ignored.",
    )?;
    let hf = header_format();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, h, &hf)?;
        ws.set_column_width(c as u16, (h.len() as f64 + 4.0).clamp(10.0, 40.0))?;
    }
    ws.set_freeze_panes(4, 0)?;
    Ok(())
}

/// The agreement template: one row per LAA indicator.
pub fn agreement_template(ws: &Workspace) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let headers = agreement::template_headers(&ws.years());
    sheet_with_header(&mut wb, "Agreement", &format!("{} — Local Area Agreement targets", ws.settings.name), &headers)?;
    wb.save_to_buffer()
}

/// The priorities template: SCS theme → priority outcome → indicators.
pub fn priorities_template(ws: &Workspace) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let headers: Vec<String> =
        ["Theme", "Priority outcome", "Indicators", "Lead theme partnership"].iter().map(|s| s.to_string()).collect();
    sheet_with_header(
        &mut wb,
        "Priorities",
        &format!("{} — Sustainable Community Strategy priorities", ws.settings.name),
        &headers,
    )?;
    wb.save_to_buffer()
}

/// One row of a return template: an indicator, the area's name, and the period of the value owed.
pub struct TemplateRow<'a> {
    pub indicator: &'a str,
    pub area: &'a str,
    pub period: Period,
}

/// A quarterly return for one theme: a row per indicator and area owed, a column per quarter of
/// the year to date (and one per annual result owed), and a "Date completed" cell for the
/// partner to fill in.
pub fn return_template(
    ws: &Workspace,
    cat: &Catalogue,
    theme: &str,
    period: Period,
    rows: &[TemplateRow],
) -> Result<Vec<u8>, XlsxError> {
    let Period::Quarter { year, q } = period else {
        return Err(XlsxError::ParameterError(format!("{period} is not a quarter")));
    };
    let mut columns: Vec<Period> = (1..=q).map(|i| Period::quarter(year, i)).collect();
    for r in rows {
        if !columns.contains(&r.period) {
            columns.push(r.period);
        }
    }
    let mut headers: Vec<String> = ["NI ref", "Indicator title", "Area"].iter().map(|s| s.to_string()).collect();
    headers.extend(columns.iter().map(|p| match p {
        Period::Quarter { q, .. } => format!("Q{q} {}", Period::Year { year }),
        other => format!("{other} result"),
    }));
    headers.extend(["Commentary", "Remedial action", "Action owner", "Action due"].iter().map(|s| s.to_string()));
    let theme_name = ws.find_theme(theme).map_or(theme.to_string(), |t| t.partnership.clone());
    let mut wb = Workbook::new();
    sheet_with_header(&mut wb, &period.slug(), &format!("{theme_name} — quarterly return {period}"), &headers)?;
    let sheet = wb.worksheet_from_index(0)?;
    sheet.write_string_with_format(2, 0, "Date completed", &Format::new().set_bold())?;
    sheet.write_blank(2, 1, &Format::new().set_num_format("dd/mm/yyyy").set_background_color("FFF2CC"))?;
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut row = 4;
    for r in rows {
        if seen.contains(&(r.indicator, r.area)) {
            continue;
        }
        seen.push((r.indicator, r.area));
        sheet.write_string(row, 0, r.indicator)?;
        sheet.write_string(row, 1, cat.get(r.indicator).map_or("", |i| i.title.as_str()))?;
        sheet.write_string(row, 2, r.area)?;
        row += 1;
    }
    wb.save_to_buffer()
}
