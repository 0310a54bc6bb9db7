//! `laa import`: read and validate every file (in parallel); import nothing if any is bad; then
//! one batch for them all, with a journal entry per file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Loaded, say};
use crate::ingest::returns::{self, Observation};
use crate::ingest::workspace::scan;
use crate::store::{Outcome, import};

pub use crate::store::import::Checked;

/// What the command line says about returns that do not say it themselves, and what is read.
#[derive(Debug, Clone, Default)]
pub struct Stated {
    /// `--period`: the quarter of a single-quarter form that names none.
    pub period: Option<crate::domain::periods::Period>,
    /// `--area`: the area of a return that names none (checked against the workspace's areas).
    pub area: Option<String>,
    /// Comparator tables (`laa benchmark import`): read against the register of English
    /// authorities (this workspace of theirs) and kept in the comparator store.
    pub comparators: Option<crate::domain::workspace::Workspace>,
}

impl Stated {
    /// For comparator tables.
    pub fn benchmarks(l: &Loaded) -> Stated {
        Stated {
            comparators: Some(l.ws.for_comparators(crate::domain::authorities::Authorities::shipped())),
            ..Stated::default()
        }
    }

    fn context<'a>(&'a self, l: &'a Loaded) -> returns::Context<'a> {
        match &self.comparators {
            Some(ws) => returns::Context { comparators: true, ..returns::Context::new(ws, &l.catalogue) },
            None => returns::Context {
                agreement: Some(&l.agreement),
                period: self.period,
                area: self.area.clone(),
                ..returns::Context::new(&l.ws, &l.catalogue)
            },
        }
    }

    /// The store the files go into.
    pub fn store(&self, l: &Loaded) -> crate::store::Store {
        match &self.comparators {
            Some(_) => crate::store::Store::new(&l.ws.benchmark_store_dir()),
            None => l.store(),
        }
    }

    /// What the files are called in messages.
    fn what(&self) -> &'static str {
        if self.comparators.is_some() { "comparator tables" } else { "returns" }
    }

    /// The folder read when no file is named.
    pub fn folder(&self, l: &Loaded) -> PathBuf {
        if self.comparators.is_some() { l.ws.benchmarks_dir() } else { l.ws.returns_dir() }
    }
}

pub fn run(l: &Loaded, paths: &[PathBuf], dry_run: bool, stated: &Stated, quiet: bool) -> Result<()> {
    let files = if paths.is_empty() { scan_folder(l, &stated.folder(l), quiet)? } else { expand(l, paths, quiet)? };
    if files.is_empty() {
        bail!(
            "no {} to import in {} (looked for .xlsx, .xlsm, .xlsb, .xls, .ods, .csv and .txt files)",
            stated.what(),
            l.ws.label(&stated.folder(l))
        );
    }
    let checked = check_all(l, &files, stated, quiet)?;
    if dry_run {
        for c in &checked {
            say(quiet, format!("{}: {} values valid (dry run: nothing written)", c.label, c.values.len()));
        }
        return Ok(());
    }
    let stored = store_all_within(&stated.store(l), &checked, std::time::Duration::ZERO, quiet);
    // the command ends here: every value read goes with the process
    super::exiting(checked);
    stored
}

/// `laa import --explain`: how each file is read, written as text; nothing is stored. Exits 1
/// when a file would be refused (its problems are listed after the explanation).
pub fn explain(l: &Loaded, paths: &[PathBuf], stated: &Stated, format: crate::cli::output::Format) -> Result<()> {
    let files = if paths.is_empty() { scan_folder(l, &stated.folder(l), false)? } else { expand(l, paths, false)? };
    let ctx = stated.context(l);
    if format == crate::cli::output::Format::Json {
        return explain_json(l, &files, &ctx);
    }
    let mut text = String::new();
    let mut refused = 0;
    for path in &files {
        let label = l.ws.label(path);
        text += &format!("{label}\n");
        match returns::explain(path, &label, &ctx) {
            Err(e) => {
                refused += 1;
                text += &format!("  cannot be read: {e}\n");
            }
            Ok((read, problems)) => {
                for e in &read.explained {
                    text += &format!("  sheet {:?}: {}\n", e.sheet, e.layout);
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
                    let rows: Vec<&Observation> = read
                        .observations
                        .iter()
                        .filter(|o| o.loc.sheet.as_deref().unwrap_or("(csv)") == e.sheet)
                        .collect();
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
                }
                for m in &read.missing {
                    text += &format!(
                        "  no value at {}: {:?} ({}) for {} {} {}\n",
                        m.loc, m.text, m.reason, m.indicator, m.area, m.period
                    );
                }
                let others: Vec<&returns::Accounted> =
                    read.accounted.iter().filter(|a| !a.role.starts_with("ignored")).collect();
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
                    refused += 1;
                    text += &format!(
                        "  {} problem{} would stop the import:\n",
                        problems.len(),
                        if problems.len() == 1 { "" } else { "s" }
                    );
                    for p in &problems {
                        text += &format!("    {p}\n");
                    }
                }
            }
        }
    }
    crate::cli::output::print(text.as_bytes())?;
    if refused > 0 {
        bail!(
            "{refused} file{} would be refused (see above); nothing was imported",
            if refused == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// `laa import --explain --format json`: per file, every value as it would be stored, the
/// cells that say there is no value, every other number and what it is, the readings, and the
/// problems that would stop the import.
fn explain_json(l: &Loaded, files: &[PathBuf], ctx: &returns::Context) -> Result<()> {
    let mut out = Vec::new();
    let mut refused = 0;
    for path in files {
        let label = l.ws.label(path);
        let entry = match returns::explain(path, &label, ctx) {
            Err(e) => {
                refused += 1;
                serde_json::json!({ "file": label, "error": e.to_string() })
            }
            Ok((read, problems)) => {
                refused += usize::from(!problems.is_empty());
                serde_json::json!({
                    "file": label,
                    "values": read.observations,
                    "missing": read.missing,
                    "stored": read.stored,
                    "accounted": read.accounted,
                    "sheets": read.explained,
                    "warnings": read.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "problems": problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
                })
            }
        };
        out.push(entry);
    }
    let text = serde_json::to_string_pretty(&out).context("writing the explanation as json")?;
    crate::cli::output::print(format!("{text}\n").as_bytes())?;
    if refused > 0 {
        bail!(
            "{refused} file{} would be refused (see above); nothing was imported",
            if refused == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// Read and validate every file, printing every problem; fail if any file has one.
pub fn check_all(l: &Loaded, files: &[PathBuf], stated: &Stated, quiet: bool) -> Result<Vec<Checked>> {
    let ctx = stated.context(l);
    let mut checked = Vec::new();
    let mut bad = 0;
    // a progress bar for long imports (indicatif draws only on a terminal)
    let bar = if quiet || files.len() < 20 {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(files.len() as u64)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("checking returns {bar:30} {pos}/{len}").expect("valid template"),
    );
    // read and validate in parallel; report in the files' order, so output is deterministic
    let results = import::check_files(files, &|p| l.ws.label(p), &ctx, &|| bar.inc(1));
    // the first 50 messages of a kind are printed, the rest counted (a workbook of 5,000 sheets
    // repeating one value once printed 5,000 lines); --verbose prints them all
    let mut cap = crate::domain::messages::Capped::new(if super::verbose() { usize::MAX } else { 50 });
    for r in results {
        match r {
            Ok(c) => {
                for w in &c.warnings {
                    let w = w.to_string();
                    if cap.pass(&w) {
                        say(quiet, format!("warning: {w}"));
                    }
                }
                if !c.no_values.is_empty() {
                    say(
                        quiet,
                        format!(
                            "{}: {} cell{} said there is no value (n/a, suppressed, not yet due…): listed by {}",
                            c.label,
                            c.no_values.len(),
                            if c.no_values.len() == 1 { "" } else { "s" },
                            if stated.comparators.is_some() {
                                "`laa benchmark import --explain`"
                            } else {
                                "`laa status` and `laa import --explain`"
                            }
                        ),
                    );
                }
                checked.push(c);
            }
            Err(refused) => {
                bad += 1;
                for line in refused.message.lines() {
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
    bar.finish_and_clear();
    if stated.comparators.is_none() {
        for w in import::resent(&l.store(), &checked) {
            say(quiet, format!("warning: {w}"));
        }
    }
    if bad > 0 {
        let files = if bad == 1 { "1 file has".to_string() } else { format!("{bad} files have") };
        bail!("{files} errors (listed above); nothing was imported");
    }
    Ok(checked)
}

/// Store each checked file as one batch, under the store's lock, waiting up to `wait` for an
/// import that holds the lock to finish.
pub fn store_all_within(
    store: &crate::store::Store,
    checked: &[Checked],
    wait: std::time::Duration,
    quiet: bool,
) -> Result<()> {
    let outcomes =
        import::store_files(store, checked, wait).context("nothing was imported; the store is as it was before")?;
    for (c, outcome) in checked.iter().zip(outcomes) {
        match outcome {
            Outcome::AlreadyImported(e) => say(
                quiet,
                format!("{}: already imported (batch {}, {}); nothing changed", c.label, e.batch, e.imported_at),
            ),
            Outcome::Imported(e) => say(
                quiet,
                format!(
                    "{}: imported {} values: {} new, {} revised, {} unchanged (batch {})",
                    c.label, e.rows, e.new, e.revised, e.unchanged, e.batch
                ),
            ),
        }
    }
    Ok(())
}

/// The files of a folder (`returns/`, `benchmarks/`), sorted; every other file in it is named
/// once on stderr with the reason it is not read (see [`scan`]).
pub fn scan_folder(l: &Loaded, dir: &Path, quiet: bool) -> Result<Vec<PathBuf>> {
    let found = scan::scan(dir).with_context(|| format!("{}: cannot list", dir.display()))?;
    say_passed_over(l, &found.passed_over, quiet);
    Ok(found.files)
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

fn expand(l: &Loaded, paths: &[PathBuf], quiet: bool) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(scan_folder(l, p, quiet)?);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            bail!("{}: no such file", p.display());
        }
    }
    Ok(out)
}
