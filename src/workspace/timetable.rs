//! The stages and timescales of developing the SCS and the LAA: read from the workspace's
//! timetable sheet, each stage's state on a date, and a Gantt chart with a marker for that date.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::sheet::{self, Cell, Field, Problem, Problems};

#[derive(Debug, thiserror::Error)]
pub enum TimetableError {
    #[error(transparent)]
    Sheet(#[from] sheet::SheetError),
    #[error("{file}: no header row with columns Stage, Start and End")]
    NoHeader { file: String },
    #[error("{0}\n(the timetable has errors; fix the cells named above)")]
    Cells(Problems),
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub stage: String,
    /// `None`: under way when the timetable was written ("now").
    pub start: Option<NaiveDate>,
    /// `None`: open-ended ("onwards").
    pub end: Option<NaiveDate>,
    /// The dates as the partnership published them ("9 November 2007 onwards").
    pub as_published: String,
    pub description: String,
    pub who: String,
    pub tasks: String,
    /// The `laa` command that does the stage's checking, when the timetable names one.
    pub command: String,
}

/// Where a stage stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Done,
    InProgress,
    Upcoming,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Done => "done",
            State::InProgress => "in progress",
            State::Upcoming => "upcoming",
        }
    }
}

impl Stage {
    pub fn state_on(&self, day: NaiveDate) -> State {
        if self.end.is_some_and(|end| day > end) {
            State::Done
        } else if self.start.is_none_or(|start| day >= start) {
            State::InProgress
        } else {
            State::Upcoming
        }
    }

    /// "9 Nov 2007 onwards", "now to 28 Sep 2007", "3 Oct 2007 to 26 Oct 2007".
    pub fn span(&self) -> String {
        let d = |d: NaiveDate| d.format("%-d %b %Y").to_string();
        match (self.start, self.end) {
            (Some(a), Some(b)) => format!("{} to {}", d(a), d(b)),
            (Some(a), None) => format!("{} onwards", d(a)),
            (None, Some(b)) => format!("now to {}", d(b)),
            (None, None) => String::new(),
        }
    }
}

const FIELDS: &[Field] = &[
    Field { key: "stage", aliases: &["stage", "stages", "stage name"], required: true },
    Field { key: "start", aliases: &["start", "from", "start date", "begins"], required: true },
    Field { key: "end", aliases: &["end", "to", "end date", "finish", "ends", "by"], required: true },
    Field { key: "description", aliases: &["description", "what", "detail"], required: false },
    Field { key: "who", aliases: &["who is involved", "who", "involved", "partners"], required: false },
    Field { key: "tasks", aliases: &["tasks", "task", "actions"], required: false },
    Field { key: "as_published", aliases: &["dates as published", "as published", "timescale"], required: false },
    Field { key: "command", aliases: &["laa command", "check with", "command"], required: false },
];

/// An open end of a stage: blank, or the words a timetable uses for one.
fn open_ended(cell: &Cell) -> bool {
    matches!(sheet::norm(&cell.text()).as_str(), "" | "now" | "onwards" | "ongoing" | "tbc" | "open")
}

/// A date as officers type it: a date cell, `2007-09-01`, `01/09/2007`, `1 Sep 2007`, `Sep 2007`.
pub fn parse_date(cell: &Cell, end_of_month: bool) -> Option<NaiveDate> {
    if let Cell::Date(d) = cell {
        return Some(d.date());
    }
    let t = cell.text();
    for f in ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y", "%e %B %Y", "%e %b %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&t, f) {
            return Some(d);
        }
    }
    // a month: its first day (for a start) or last (for an end)
    for f in ["%d %B %Y", "%d %b %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&format!("1 {t}"), f) {
            return Some(if end_of_month { last_of_month(d) } else { d });
        }
    }
    None
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|n| n.pred_opt()).unwrap_or(d)
}

pub fn read(path: &Path, label: &str) -> Result<Vec<Stage>, TimetableError> {
    let wb = sheet::read_workbook(path, label)?;
    let Some((sh, h)) = wb.sheets.iter().find_map(|s| sheet::find_header(s, FIELDS).map(|h| (s, h))) else {
        return Err(TimetableError::NoHeader { file: label.into() });
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for r in h.row + 1..sh.rows.len() {
        if sh.rows[r].iter().all(Cell::is_empty) {
            continue;
        }
        let col = |k: &str| h.col(k).unwrap_or(0);
        let text = |k: &str| h.col(k).map(|c| sh.cell(r, c).text()).unwrap_or_default();
        let mut date = |k: &str, eom: bool| {
            let cell = sh.cell(r, col(k));
            if open_ended(cell) {
                return Ok(None);
            }
            let d = parse_date(cell, eom);
            if d.is_none() {
                problems.push(Problem {
                    loc: sh.loc(label, r, col(k)),
                    message: format!(
                        "{:?} is not a date (e.g. 2007-09-01 or Sep 2007; blank, \"now\" or \"onwards\" for an open end)",
                        cell.text()
                    ),
                });
                return Err(());
            }
            Ok(d)
        };
        let (Ok(start), Ok(end)) = (date("start", false), date("end", true)) else { continue };
        if start.is_none() && end.is_none() {
            problems.push(Problem {
                loc: sh.loc(label, r, col("start")),
                message: "the stage has neither a start nor an end date".into(),
            });
            continue;
        }
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            problems.push(Problem {
                loc: sh.loc(label, r, col("end")),
                message: format!("the stage ends ({end}) before it starts ({start})"),
            });
            continue;
        }
        out.push(Stage {
            stage: text("stage"),
            start,
            end,
            as_published: text("as_published"),
            description: text("description"),
            who: text("who"),
            tasks: text("tasks"),
            command: text("command"),
        });
    }
    if problems.is_empty() { Ok(out) } else { Err(TimetableError::Cells(Problems(problems))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_states() {
        let d = |s: &str| parse_date(&Cell::Text(s.into()), false).unwrap();
        assert_eq!(d("2007-09-01"), NaiveDate::from_ymd_opt(2007, 9, 1).unwrap());
        assert_eq!(d("01/09/2007"), NaiveDate::from_ymd_opt(2007, 9, 1).unwrap());
        assert_eq!(d("1 Sep 2007"), NaiveDate::from_ymd_opt(2007, 9, 1).unwrap());
        assert_eq!(d("September 2007"), NaiveDate::from_ymd_opt(2007, 9, 1).unwrap());
        assert_eq!(parse_date(&Cell::Text("Feb 2008".into()), true), NaiveDate::from_ymd_opt(2008, 2, 29));
        assert_eq!(parse_date(&Cell::Text("soon".into()), true), None);
        let s = Stage {
            stage: "x".into(),
            start: Some(d("2007-09-01")),
            end: Some(d("2007-10-31")),
            as_published: String::new(),
            description: String::new(),
            who: String::new(),
            tasks: String::new(),
            command: String::new(),
        };
        assert_eq!(s.state_on(d("2007-08-31")), State::Upcoming);
        assert_eq!(s.state_on(d("2007-09-01")), State::InProgress);
        assert_eq!(s.state_on(d("2007-10-31")), State::InProgress);
        assert_eq!(s.state_on(d("2007-11-01")), State::Done);
        // "9 November 2007 onwards" is in progress from its start for good; "now – 28 September"
        // is in progress until its end
        let onwards = Stage { start: Some(d("2007-11-09")), end: None, ..s.clone() };
        assert_eq!(onwards.state_on(d("2007-11-08")), State::Upcoming);
        assert_eq!(onwards.state_on(d("2008-06-30")), State::InProgress);
        assert_eq!(onwards.span(), "9 Nov 2007 onwards");
        let now = Stage { start: None, end: Some(d("2007-09-28")), ..s };
        assert_eq!(now.state_on(d("2007-01-01")), State::InProgress);
        assert_eq!(now.state_on(d("2007-09-29")), State::Done);
        assert!(open_ended(&Cell::Text("Onwards".into())) && open_ended(&Cell::Empty));
    }
}
