//! `laa timetable`: the SCS and LAA stages with their state on a date, and a Gantt chart.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::{Loaded, say};
use crate::cli::output::{self, Format, Table, text};
use crate::ingest::timetable;

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
        Some(s) => timetable::parse_date(&crate::ingest::sheet::Cell::Text(s.clone()), false)
            .with_context(|| format!("{s:?} is not a date (e.g. 2007-11-19)"))?,
        None => chrono::Local::now().date_naive(),
    };
    let mut t = Table::new(&["stage", "start", "end", "state", "who", "description", "tasks"]);
    for s in &stages {
        t.push(vec![
            text(&s.stage),
            text(s.start.to_string()),
            text(s.end.to_string()),
            text(s.state_on(day).name()),
            text(&s.who),
            text(&s.description),
            text(&s.tasks),
        ]);
    }
    if format == Format::Table {
        eprintln!("{} — stages and timescales on {}", l.ws.settings.name, day.format("%-d %B %Y"));
    }
    output::print(&t.render(format))?;
    if let Some(p) = chart {
        let r = timetable::gantt(&stages, day)?;
        super::priorities::write_chart(&p, &r)?;
        say(quiet, format!("wrote {}", p.display()));
    }
    Ok(())
}
