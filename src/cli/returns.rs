//! `laa returns` and `laa returns remind`: who owes which return, since when, and a reminder
//! ready to send for each theme that owes anything.

use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde_json::Value;

use super::{Loaded, say};
use crate::assess::cycle::{self, Ask};
use crate::cli::output::{self, Format, Table, text};

/// The date the returns are seen on: `--on`, else today.
pub fn on_date(on: Option<&str>) -> Result<NaiveDate> {
    match on {
        Some(s) => s.trim().parse().with_context(|| format!("--on {s:?} is not a date (write it as 2009-11-30)")),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

fn ask(period: Option<&str>, theme: Option<String>) -> Result<Ask> {
    Ok(Ask { period: period.map(str::parse).transpose()?, theme })
}

/// `laa returns`: one row per theme and quarter; a table for people grouped by state, worst first.
pub fn run(l: &Loaded, on: Option<&str>, period: Option<&str>, theme: Option<String>, format: Format) -> Result<()> {
    let on = on_date(on)?;
    let mut rows = cycle::returns(&l.ws, &l.catalogue, &l.agreement, &ask(period, theme)?, on)?;
    if format == Format::Json {
        // the rows as they serialise: theme, partnership, period, due, received, state,
        // days_overdue, owed and missing ({indicator, area, area_name, period})
        return Ok(output::print(format!("{}\n", serde_json::to_string_pretty(&rows)?).as_bytes())?);
    }
    if format == Format::Table {
        cycle::worst_first(&mut rows);
    }
    let mut t = Table::new(&["theme", "period", "due", "received", "state", "days_overdue", "missing"]);
    t.rating_columns = vec!["state"];
    for r in &rows {
        let missing: Vec<String> = r.missing.iter().map(|o| format!("{} {}", o.indicator, o.area_name)).collect();
        t.push(vec![
            text(&r.theme),
            text(r.period.to_string()),
            text(r.due.to_string()),
            r.received.map_or(Value::Null, |d| text(d.to_string())),
            text(r.state.name()),
            Value::from(r.days_overdue),
            text(if format == Format::Table { summary(&missing) } else { missing.join("; ") }),
        ]);
    }
    output::print(&t.render(format))?;
    if format == Format::Table {
        let owing = rows.iter().filter(|r| r.owes()).count();
        say(
            false,
            format!(
                "returns seen on {on}; {owing} overdue and not complete (`laa returns remind --out DIR` drafts the reminders)"
            ),
        );
    }
    Ok(())
}

/// A short list for a terminal: the first four, then how many more.
fn summary(items: &[String]) -> String {
    if items.len() <= 4 {
        return items.join(", ");
    }
    format!("{} and {} more", items[..4].join(", "), items.len() - 4)
}

/// `laa returns remind --out DIR`: one .eml per theme that owes anything; nothing is sent.
pub fn remind(
    l: &Loaded,
    on: Option<&str>,
    period: Option<&str>,
    theme: Option<String>,
    out: &Path,
    quiet: bool,
) -> Result<()> {
    let on = on_date(on)?;
    let rows = cycle::returns(&l.ws, &l.catalogue, &l.agreement, &ask(period, theme)?, on)?;
    let written = crate::report::remind::write_reminders(&l.ws, &l.catalogue, &rows, on, out)?;
    if written.is_empty() {
        say(quiet, format!("no theme owes a return on {on}: no reminder written"));
    }
    for w in &written {
        if w.to.is_empty() {
            say(
                false,
                format!(
                    "warning: the {} theme has no contacts in partnership.toml: its reminder is addressed to nobody",
                    w.theme
                ),
            );
        }
        println!("{}", w.path.display());
    }
    Ok(())
}
