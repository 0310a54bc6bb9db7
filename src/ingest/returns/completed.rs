//! The date a return says it was completed: a cell labelled "Date completed" (or "Completed on",
//! "Date returned", "Date submitted") with the date beside it or below it, or both in one cell
//! ("Date completed: 20/10/2009"), wherever it sits. The cells are taken out of the sheet before
//! its tables are read, so the date is never a value.

use chrono::{Datelike, NaiveDate};

use crate::domain::problems::{Loc, Problem};
use crate::sheet::{Cell, Sheet, Workbook};

/// The labels a date completed goes by, normalised (lower case, letters and digits only).
const LABELS: &[&str] =
    &["datecompleted", "completedon", "datereturned", "datesubmitted", "submittedon", "dateofreturn"];

/// The date a return was completed, and the cell that says it.
#[derive(Debug, Clone, PartialEq)]
pub struct Completed {
    pub date: NaiveDate,
    pub loc: Loc,
    /// Whether the cell held a number (an Excel day number), which the return's accounting of
    /// its numbers then names.
    pub number: bool,
}

/// Take the date completed out of the workbook: the first label found (sheet by sheet, row by
/// row) and its date; both cells are blanked. A label with a blank date (a template not filled
/// in) gives none; a label whose date cannot be read is a problem naming the cell.
pub fn take(wb: &mut Workbook) -> Result<Option<Completed>, Problem> {
    let label = wb.label.clone();
    for sheet in &mut wb.sheets {
        let Some((r, c, inline)) = find_label(sheet) else { continue };
        let (at, cell) = match inline {
            Some(text) => ((r, c), Cell::Text(text)),
            None => match beside_or_below(sheet, r, c) {
                Some(at) => (at, sheet.cell(at.0, at.1).clone()),
                None => {
                    blank(sheet, r, c);
                    return Ok(None);
                }
            },
        };
        let loc = sheet.loc(&label, at.0, at.1);
        let date = date_of(&cell).ok_or_else(|| Problem {
            loc: loc.clone(),
            message: format!(
                "{:?} is not a date: the return's date completed is written as 20/10/2009, 2009-10-20 or 20 October 2009",
                cell.text()
            ),
        })?;
        let number = matches!(cell.number(), Ok(Some(_)));
        blank(sheet, r, c);
        blank(sheet, at.0, at.1);
        return Ok(Some(Completed { date, loc, number }));
    }
    Ok(None)
}

/// A label cell: (row, column, the date's text when the label cell holds it too).
fn find_label(sheet: &Sheet) -> Option<(usize, usize, Option<String>)> {
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let Cell::Text(t) = cell else { continue };
            if t.len() > 60 {
                continue;
            }
            let (head, rest) = t.split_once(':').map_or((t.as_str(), ""), |(h, r)| (h, r.trim()));
            if LABELS.contains(&crate::domain::text::norm(head).as_str()) {
                return Some((r, c, Some(rest.to_string()).filter(|s| !s.is_empty())));
            }
        }
    }
    None
}

/// The cell holding the date: the first non-blank of the next three to the right, else the one
/// below; none when all are blank.
fn beside_or_below(sheet: &Sheet, r: usize, c: usize) -> Option<(usize, usize)> {
    (c + 1..c + 4).map(|cc| (r, cc)).chain([(r + 1, c)]).find(|&(rr, cc)| !sheet.cell(rr, cc).is_empty())
}

fn blank(sheet: &mut Sheet, r: usize, c: usize) {
    if let Some(cell) = sheet.rows.get_mut(r).and_then(|row| row.get_mut(c)) {
        *cell = Cell::Empty;
    }
}

/// A date as a cell holds it: a date cell, an Excel serial number, or text in the ways people
/// write a date (day first, as in England).
pub fn date_of(cell: &Cell) -> Option<NaiveDate> {
    let d = match cell {
        Cell::Date(dt) => Some(dt.date()),
        // Excel's day numbers (1900 system) from 2000 to 2100
        Cell::Number(n) if (36_526.0..73_051.0).contains(n) && n.fract() == 0.0 => {
            NaiveDate::from_ymd_opt(1899, 12, 30).and_then(|base| base.checked_add_days(chrono::Days::new(*n as u64)))
        }
        Cell::Text(t) => date_text(t),
        _ => None,
    };
    d.filter(|d| (2000..2100).contains(&d.year()))
}

fn date_text(t: &str) -> Option<NaiveDate> {
    let t = t.trim();
    // "20th October 2009" reads as "20 October 2009"
    let cleaned: String = {
        let mut words: Vec<String> = t.split_whitespace().map(str::to_string).collect();
        if let Some(first) = words.first_mut() {
            for suffix in ["st", "nd", "rd", "th"] {
                if first.len() > 2
                    && first.ends_with(suffix)
                    && first[..first.len() - 2].chars().all(|c| c.is_ascii_digit())
                {
                    first.truncate(first.len() - 2);
                }
            }
        }
        words.join(" ").replace(',', "")
    };
    const FORMATS: &[&str] =
        &["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y"];
    FORMATS.iter().find_map(|f| NaiveDate::parse_from_str(&cleaned, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: Vec<Vec<Cell>>) -> Workbook {
        Workbook {
            label: "returns/x.xlsx".into(),
            sheets: vec![Sheet { name: Some("Q2".into()), rows, hidden: false }],
            passed_over: Vec::new(),
        }
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn a_date_completed_beside_below_or_in_its_label_is_taken_out() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for (rows, want) in [
            (vec![vec![t("Date completed"), Cell::Empty, t("20/10/2009")]], "2009-10-20"),
            (vec![vec![t("Date completed:")], vec![Cell::Number(40106.0)]], "2009-10-20"),
            (vec![vec![t("Completed on: 20th October 2009")]], "2009-10-20"),
            (vec![vec![t("DATE RETURNED"), t("2009-10-20")]], "2009-10-20"),
            (vec![vec![t("Date submitted"), t("20 Oct 2009")]], "2009-10-20"),
        ] {
            let mut wb = sheet(rows);
            let got = take(&mut wb).unwrap().unwrap();
            assert_eq!(got.date, d(want));
            assert!(wb.sheets[0].is_blank(), "the label and the date are taken out");
        }
    }

    #[test]
    fn a_blank_date_is_none_and_an_unreadable_one_names_its_cell() {
        let mut blank_form = sheet(vec![vec![t("Date completed")], vec![], vec![t("NI ref")]]);
        assert_eq!(take(&mut blank_form).unwrap(), None);
        let mut bad = sheet(vec![vec![t("Return for Q2")], vec![t("Date completed"), t("next week")]]);
        let p = take(&mut bad).unwrap_err();
        assert_eq!(p.loc.cell, "B2");
        assert!(p.message.contains("\"next week\" is not a date"), "{}", p.message);
        let mut none = sheet(vec![vec![t("NI ref"), t("Completed by: J Bloggs")]]);
        assert_eq!(take(&mut none).unwrap(), None, "a name is not a date label");
    }
}
