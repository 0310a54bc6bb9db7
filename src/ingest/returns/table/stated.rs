//! What a table says once rather than per row: its quarter, indicator or area stated in a title above it, the sheet name or beside it, and a reading's score.

use super::*;

pub(crate) fn no_header(sheet: &Sheet, table: &Table) -> Refusal {
    let top = table.header.first().copied().unwrap_or(table.body.start);
    let title = sheet::title_text(sheet, top.max(1));
    let shown = crate::domain::text::shorten(&title, 60);
    (
        table.header.first().copied().unwrap_or(0),
        0,
        format!(
            "rows {}–{} hold figures, but no cell says which indicator they are for: no column of indicator codes beside them, none in the header, none in the title rows above{}; give each figure's indicator code beside it (NI 154), or name the indicator above the table",
            table.body.start + 1,
            table.body.end.max(table.body.start + 1),
            if shown.is_empty() { String::new() } else { format!(" (only {shown:?})") }
        ),
    )
}

/// The nearest financial year named at or to the left of `col` in `row` (a year header merged
/// across its quarters sits in its first column).
pub(crate) fn year_left_of(sheet: &Sheet, row: usize, col: usize) -> Option<i32> {
    let cells = sheet.rows.get(row)?;
    cells.iter().take(col + 1).rev().find_map(|c| match c {
        Cell::Number(n) if n.fract() == 0.0 && (1990.0..=2100.0).contains(n) => Some(*n as i32),
        _ => match c.text().parse::<Period>() {
            Ok(Period::Year { year }) => Some(year),
            _ => periods::find_year(&c.text()),
        },
    })
}

/// The one quarter a table is for: from the title rows above its header (nearest first), the
/// sheet's name, the file's name and `--period`; two that disagree, or none at all, are an
/// error naming where it looked.
pub(crate) fn stated_period(
    sheet: &Sheet,
    around: &Around,
    table: &Table,
    header_row: usize,
    value_col: usize,
) -> Result<(Period, String), Refusal> {
    let mut found: Vec<(String, Period)> = Vec::new();
    'rows: for r in table.title_rows.clone().rev().chain(table.above.iter().copied()) {
        for (c, cell) in sheet.rows.get(r).into_iter().flatten().enumerate() {
            let p = match cell {
                Cell::Date(d) => Some(Period::from_date(d.date())),
                _ => periods::find_quarter(&cell.text()),
            };
            if let Some(p) = p {
                found.push((format!("cell {}", sheet::a1(r, c)), p));
                break 'rows;
            }
        }
    }
    if let Some(p) = around.sheet_name.and_then(periods::find_quarter) {
        found.push((format!("the sheet name {:?}", around.sheet_name.unwrap_or("")), p));
    }
    if let Some(p) = periods::find_quarter(around.file_name) {
        found.push((format!("the file name {:?}", around.file_name), p));
    }
    if let Some(p) = around.period {
        found.push(("--period".into(), p));
    }
    let header_cell = sheet::a1(header_row, value_col);
    match found.as_slice() {
        [] => Err((
            header_row,
            value_col,
            format!(
                "the value column {:?} is for one quarter, but the return does not say which: no quarter in the title rows above {header_cell}, the sheet name or the file name; say it with --period \"2009/10 Q3\"",
                sheet.cell(header_row, value_col).text()
            ),
        )),
        [(_, p), rest @ ..] => match rest.iter().find(|(_, q)| q != p) {
            Some((other, q)) => Err((
                header_row,
                value_col,
                format!("the return says two quarters: {} ({p}) and {other} ({q})", found[0].0),
            )),
            None => Ok((*p, found.iter().map(|f| f.0.clone()).collect::<Vec<_>>().join(", "))),
        },
    }
}

/// The first key a title cell says, nearest the table first (its own title rows, then earlier
/// tables'), read whole or after a colon ("Area: Blaby"), with the cell it is in.
pub(crate) fn said_in_titles(sheet: &Sheet, table: &Table, key: impl Fn(&str) -> Option<Key>) -> Option<(Key, String)> {
    for r in table.title_rows.clone().rev().chain(table.above.iter().copied()) {
        for (c, cell) in sheet.rows.get(r).into_iter().flatten().enumerate() {
            let text = cell.text();
            let after_colon = text.rsplit(':').next().unwrap_or("").trim();
            if let Some(k) = key(&text).or_else(|| key(after_colon)) {
                return Some((k, format!("cell {}", sheet::a1(r, c))));
            }
        }
    }
    None
}

/// An indicator a whole table is for: a title cell ("NI 154 Net additional homes", "Indicator:
/// NI 154"), or the sheet's name.
pub(crate) fn stated_indicator(sheet: &Sheet, lex: &Lexicon, around: &Around, table: &Table) -> Option<(Key, String)> {
    let in_titles = said_in_titles(sheet, table, |t| match lex.indicator(t) {
        Some(k @ Key::Indicator { known: true, .. }) => Some(k),
        _ => None,
    });
    if in_titles.is_some() {
        return in_titles;
    }
    let name = around.sheet_name?;
    match lex.indicator(name) {
        Some(k @ Key::Indicator { known: true, .. }) => Some((k, format!("the sheet name {name:?}"))),
        _ => None,
    }
}

/// An area a whole table is for: `--area`, a title cell ("Blaby", "Area: Blaby"), the sheet's
/// name, or a word of the file's name.
pub(crate) fn stated_area(sheet: &Sheet, lex: &Lexicon, around: &Around, table: &Table) -> Option<(Key, String)> {
    if let Some(a) = around.area.and_then(|a| lex.area(a)) {
        return Some((a, "--area".into()));
    }
    if let Some(found) = said_in_titles(sheet, table, |t| lex.area(t)) {
        return Some(found);
    }
    if let Some(k) = around.sheet_name.and_then(|n| lex.area(n)) {
        return Some((k, format!("the sheet name {:?}", around.sheet_name.unwrap_or(""))));
    }
    let stem = around.file_name.rsplit_once('.').map_or(around.file_name, |(s, _)| s);
    for word in stem.split(['-', '_', ' ', '.']) {
        if word.len() >= 4
            && let Some(k) = lex.area(word)
        {
            return Some((k, format!("the file name {:?}", around.file_name)));
        }
    }
    None
}

/// How many numbers a reading explains, on the sampled rows: each number in a column it reads.
pub(crate) fn score(sheet: &Sheet, r: &mut Reading, rows: &[usize]) {
    let mut fp = Vec::new();
    for &row in rows {
        for (c, col) in r.cols.iter().enumerate() {
            if let Col::Measure(_, m) = col
                && is_numeric(sheet.cell(row, c))
            {
                fp.push((row, c, *m));
            }
        }
    }
    r.score = fp.len();
    r.fingerprint = fp;
}
