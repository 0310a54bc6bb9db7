//! `laa import` and `laa benchmark import`: call the library's import ([`crate::pipeline::import`])
//! and print its outcome: every problem, warning and file stored, in the files' order.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::{Loaded, say};
use crate::ingest::returns::{self, Observation, ReadReturn, SheetExplanation};
use crate::pipeline::import::{self as pipeline, FileRead, Outcome, Progress, Request, Stated, Stored};
use crate::sheet::Problem;
use crate::workspace::scan;

pub fn run(l: &Loaded, paths: &[PathBuf], dry_run: bool, stated: &Stated, quiet: bool) -> Result<()> {
    let req = Request { dry_run, ..Request::new(paths, stated) };
    let bar = Bar::new(quiet, "checking returns");
    let mut outcome = pipeline::run(l, &req, &|p| bar.on(p))?;
    bar.done();
    say_outcome(l, &outcome, stated, quiet, None);
    if let Some(e) = outcome.failure() {
        return Err(e.into());
    }
    if dry_run {
        for f in &outcome.files {
            if let FileRead::Checked { values, .. } = f.read {
                say(quiet, format!("{}: {values} values valid (dry run: nothing written)", f.label));
            }
        }
    }
    // the command ends here: every value read goes with the process
    super::exiting(std::mem::take(&mut outcome.held));
    Ok(())
}

/// A progress bar for long imports (indicatif draws only on a terminal, and only for 20 files
/// or more).
pub struct Bar(indicatif::ProgressBar, bool);

impl Bar {
    pub fn new(quiet: bool, what: &str) -> Bar {
        let bar = indicatif::ProgressBar::hidden();
        let template = format!("{what} {{bar:30}} {{pos}}/{{len}}");
        bar.set_style(indicatif::ProgressStyle::with_template(&template).expect("valid template"));
        Bar(bar, quiet)
    }

    pub fn on(&self, p: Progress) {
        match p {
            Progress::Start(n) if !self.1 && n >= 20 => {
                self.0.set_length(n as u64);
                self.0.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            Progress::Start(_) => {}
            Progress::Read => self.0.inc(1),
        }
    }

    pub fn done(&self) {
        self.0.finish_and_clear();
    }
}

/// Print an import's outcome: the files passed over, `intro`, each file's warnings or problems
/// (the first 50 messages of a kind, the rest counted; `--verbose` prints them all), and what was
/// stored.
pub fn say_outcome(l: &Loaded, outcome: &Outcome, stated: &Stated, quiet: bool, intro: Option<&str>) {
    say_passed_over(l, &outcome.passed_over, quiet);
    if let Some(intro) = intro {
        say(quiet, intro);
    }
    // warnings of one kind, across every file, as one line with a count and the first places
    // (a workbook of 5,000 sheets repeating one value once printed 5,000 lines)
    let warnings: Vec<&Problem> = outcome
        .files
        .iter()
        .flat_map(|f| match &f.read {
            FileRead::Checked { warnings, .. } => warnings.iter().collect(),
            FileRead::Refused { .. } => Vec::new(),
        })
        .collect();
    let texts: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    let kinds: Vec<String> = warnings.iter().map(|w| crate::domain::messages::kind(&w.message)).collect();
    for w in crate::domain::messages::grouped_by(&texts, &kinds, super::verbose()) {
        say(quiet, format!("warning: {w}"));
    }
    let mut cap = crate::domain::messages::Capped::new(if super::verbose() { usize::MAX } else { 50 });
    for f in &outcome.files {
        match &f.read {
            FileRead::Checked { no_values, .. } => {
                if *no_values > 0 {
                    say(quiet, no_values_note(&f.label, *no_values, stated));
                }
            }
            FileRead::Refused { message } => {
                for line in message.lines() {
                    if cap.pass(line) {
                        let _ = writeln!(std::io::stderr(), "{}", crate::domain::text::for_terminal(line));
                    }
                }
            }
        }
    }
    for line in cap.tail() {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
    for w in &outcome.resent {
        say(quiet, format!("warning: {w}"));
    }
    // the report's own import says what it stored in one line (`--verbose`: file by file)
    if intro.is_some() && !super::verbose() && outcome.files.len() > 3 {
        say_stored_in_one_line(outcome, quiet);
        return;
    }
    for f in &outcome.files {
        match &f.stored {
            Some(Stored::Already { batch, imported_at }) => {
                say(quiet, format!("{}: already imported (batch {batch}, {imported_at}); nothing changed", f.label))
            }
            Some(Stored::Imported { rows, new, revised, unchanged, batch }) => say(
                quiet,
                format!(
                    "{}: imported {rows} values: {new} new, {revised} revised, {unchanged} unchanged (batch {batch})",
                    f.label
                ),
            ),
            None => {}
        }
    }
}

/// What an import stored, in one line: how many files, values, new, revised and unchanged.
fn say_stored_in_one_line(outcome: &Outcome, quiet: bool) {
    let (mut files, mut rows, mut new, mut revised, mut unchanged, mut already) = (0, 0, 0, 0, 0, 0);
    for f in &outcome.files {
        match &f.stored {
            Some(Stored::Imported { rows: r, new: n, revised: v, unchanged: u, .. }) => {
                files += 1;
                (rows, new, revised, unchanged) = (rows + r, new + n, revised + v, unchanged + u);
            }
            Some(Stored::Already { .. }) => already += 1,
            None => {}
        }
    }
    let before = if already > 0 { format!("; {already} already imported") } else { String::new() };
    say(
        quiet,
        format!(
            "imported {files} file{}: {rows} values, {new} new, {revised} revised, {unchanged} unchanged{before} (--verbose: file by file)",
            if files == 1 { "" } else { "s" }
        ),
    );
}

fn no_values_note(label: &str, n: usize, stated: &Stated) -> String {
    format!(
        "{label}: {n} cell{} said there is no value (n/a, suppressed, not yet due…): listed by {}",
        if n == 1 { "" } else { "s" },
        if stated.comparators.is_some() {
            "`laa benchmark import --explain`"
        } else {
            "`laa status` and `laa import --explain`"
        }
    )
}

/// A line for each file not read: a warning when it may hold a partner's figures (printed even
/// with `--quiet`: values that never arrive must not pass unseen), a note for a lock or hidden file.
pub fn say_passed_over(l: &Loaded, passed_over: &[scan::PassedOver], quiet: bool) {
    for p in passed_over {
        let label = l.ws.label(&p.path);
        if p.may_hold_values {
            say(false, format!("warning: {label} was not read: {}", p.reason));
        } else {
            say(quiet, format!("note: {label} was not read: {}", p.reason));
        }
    }
}

/// `laa import --explain`: how each file is read, written as text; nothing is stored. Exits 1
/// when a file would be refused (its problems are listed after the explanation).
pub fn explain(l: &Loaded, paths: &[PathBuf], stated: &Stated, format: crate::cli::output::Format) -> Result<()> {
    let ex = pipeline::explain(l, paths, stated)?;
    say_passed_over(l, &ex.passed_over, false);
    if format == crate::cli::output::Format::Json {
        let out: Vec<serde_json::Value> = ex.files.iter().map(|(label, r)| explained_json(label, r)).collect();
        let text = serde_json::to_string_pretty(&out).context("writing the explanation as json")?;
        crate::cli::output::print(format!("{text}\n").as_bytes())?;
    } else {
        let mut text = String::new();
        for (label, r) in &ex.files {
            text += &format!("{label}\n");
            match r {
                Err(e) => text += &format!("  cannot be read: {e}\n"),
                Ok((read, problems)) => text += &explained_text(read, problems),
            }
        }
        crate::cli::output::print(text.as_bytes())?;
    }
    let refused = ex.refused();
    if refused > 0 {
        bail!(
            "{refused} file{} would be refused (see above); nothing was imported",
            if refused == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// One file's explanation as json: every value as it would be stored, the cells that say there
/// is no value, every other number and what it is, the readings, and the problems that would stop
/// the import.
fn explained_json(label: &str, r: &pipeline::Explained) -> serde_json::Value {
    match r {
        Err(e) => serde_json::json!({ "file": label, "error": e.to_string() }),
        Ok((read, problems)) => serde_json::json!({
            "file": label,
            "completed": read.completed.as_ref().map(|c| c.date.to_string()),
            "values": read.observations,
            "missing": read.missing,
            "stored": read.stored,
            "accounted": read.accounted,
            "sheets": read.explained,
            "warnings": read.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "problems": problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
    }
}

/// One readable file's explanation as text: each sheet, then the cells with no value, the other
/// numbers, and the problems.
fn explained_text(read: &ReadReturn, problems: &[Problem]) -> String {
    let mut text = String::new();
    if let Some(c) = &read.completed {
        text += &format!("  date completed: {} (cell {})\n", c.date, c.loc);
    }
    for e in &read.explained {
        text += &sheet_text(e, read);
    }
    for m in &read.missing {
        text += &format!(
            "  no value at {}: {:?} ({}) for {} {} {}\n",
            m.loc, m.text, m.reason, m.indicator, m.area, m.period
        );
    }
    let others: Vec<&returns::Accounted> = read.accounted.iter().filter(|a| !a.role.starts_with("ignored")).collect();
    if !others.is_empty() {
        text += &format!(
            "  {} numbers stored; {} other numbers accounted for (targets, totals, codes, titles), e.g. {}: {}\n",
            read.stored,
            others.len(),
            others[0].loc,
            others[0].role
        );
    }
    if !problems.is_empty() {
        text += &format!(
            "  {} problem{} would stop the import:\n",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        for p in problems {
            text += &format!("    {p}\n");
        }
    }
    text
}

/// How one sheet was read, and its first values as they would be stored.
fn sheet_text(e: &SheetExplanation, read: &ReadReturn) -> String {
    let mut text = format!("  sheet {:?}: {}\n", e.sheet, e.layout);
    if let Some(row) = e.header_row {
        text += &format!("    header row {row}:\n");
    }
    for (col, header, role) in &e.columns {
        text += &format!("      {col:<4} {:<36} {role}\n", format!("{header:?}"));
    }
    if let Some(from) = &e.period_from {
        text += &format!("    the quarter comes from {from}\n");
    }
    if !e.reading.is_empty() {
        text += &format!("    reading: {}\n", e.reading);
    }
    if let Some(r) = &e.runner_up {
        text += &format!("    runner-up: {r}\n");
    }
    for (row, what) in &e.rows {
        text += &format!("    row {row}: {what}\n");
    }
    for (cell, why) in &e.ignored {
        text += &format!("    ignored {cell}: {why}\n");
    }
    let rows: Vec<&Observation> =
        read.observations.iter().filter(|o| o.loc.sheet.as_deref().unwrap_or("(csv)") == e.sheet).collect();
    if !rows.is_empty() {
        text += &format!("    {} values; the first as they would be stored:\n", rows.len());
        for o in rows.iter().take(6) {
            text += &format!(
                "      {} {} {} = {} (cell {}){}\n",
                o.indicator,
                o.area,
                o.period,
                crate::domain::numbers::format_number(o.value),
                o.loc.cell,
                o.commentary.as_deref().map(|c| format!("; commentary {c:?}")).unwrap_or_default()
            );
        }
    }
    text
}
