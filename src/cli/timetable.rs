//! `laa timetable`: the SCS and LAA stages with their state on a date, and a Gantt chart.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::{Loaded, say};
use crate::cli::output::{self, Format, Table, text};
use crate::workspace::timetable;

pub fn run(l: &Loaded, on: Option<String>, chart: Option<PathBuf>, format: Format, quiet: bool) -> Result<()> {
    let path = l.ws.dir.join(&l.ws.settings.agreement.timetable);
    if !path.exists() {
        bail!(
            "{}: no timetable in this workspace (columns: Stage, Start, End, Description, Who is involved, Tasks)",
            path.display()
        );
    }
    let stages = timetable::read(&path, &l.ws.label(&path))?;
    let day = match on {
        Some(s) => timetable::parse_date(&crate::sheet::Cell::Text(s.clone()), false)
            .with_context(|| format!("{s:?} is not a date (e.g. 2007-11-19)"))?,
        None => chrono::Local::now().date_naive(),
    };
    // a terminal shows the stages at a glance; csv and json carry every column
    let wide = format != Format::Table;
    let fields: &[&str] = if wide {
        &["no", "stage", "start", "end", "as_published", "state", "who", "description", "tasks", "command"]
    } else {
        &["no", "stage", "as_published", "state", "command"]
    };
    let mut t =
        Table::new(&["no", "stage", "start", "end", "as_published", "state", "who", "description", "tasks", "command"]);
    let date = |d: Option<chrono::NaiveDate>| d.map_or(serde_json::Value::Null, |d| text(d.to_string()));
    for (i, s) in stages.iter().enumerate() {
        t.push(vec![
            serde_json::Value::from(i + 1),
            text(&s.stage),
            date(s.start),
            date(s.end),
            text(if s.as_published.is_empty() { s.span() } else { s.as_published.clone() }),
            text(s.state_on(day).name()),
            text(&s.who),
            text(&s.description),
            text(&s.tasks),
            text(&s.command),
        ]);
    }
    if !wide {
        t = t.select(fields);
    }
    if format == Format::Table {
        eprintln!("{} — stages and timescales on {}", l.ws.settings.name, day.format("%-d %B %Y"));
    }
    output::print(&t.render(format))?;
    if format == Format::Table {
        output::print(today(&stages, day).as_bytes())?;
    }
    if let Some(p) = chart {
        let r = crate::report::chart::gantt::gantt(&stages, day)?;
        super::priorities::write_chart(&p, &r)?;
        say(quiet, format!("wrote {}", p.display()));
    }
    Ok(())
}

/// The stages in progress on `day`, each with its tasks and the command that does its checking.
fn today(stages: &[timetable::Stage], day: chrono::NaiveDate) -> String {
    let mut out = format!("\nOn {}:\n", day.format("%-d %B %Y"));
    let current: Vec<_> =
        stages.iter().enumerate().filter(|(_, s)| s.state_on(day) == timetable::State::InProgress).collect();
    if current.is_empty() {
        out += "  no stage is in progress\n";
    }
    for (i, s) in current {
        out += &format!("  stage {} {} is in progress ({})\n", i + 1, s.stage, s.span());
        if !s.tasks.is_empty() {
            out += &format!("    tasks: {}\n", s.tasks);
        }
        if !s.command.is_empty() {
            out += &format!("    run: {}\n", s.command);
        }
    }
    out
}
