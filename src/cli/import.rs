//! `laa import`: validate every file first; import nothing if any is bad; then one batch per file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Loaded, say};
use crate::ingest::returns::{self, IngestError, Observation};
use crate::store::{Outcome, Store};

/// A return read and validated, ready to store.
pub struct Checked {
    pub label: String,
    pub bytes: Vec<u8>,
    pub observations: Vec<Observation>,
}

pub fn run(l: &Loaded, paths: &[PathBuf], dry_run: bool, quiet: bool) -> Result<()> {
    let files = if paths.is_empty() { return_files(&l.ws.returns_dir())? } else { expand(paths)? };
    if files.is_empty() {
        bail!("no returns to import (looked for .xlsx, .xlsm, .xls, .ods and .csv files)");
    }
    let checked = check_all(l, &files, quiet)?;
    if dry_run {
        for c in &checked {
            say(quiet, format!("{}: {} values valid (dry run: nothing written)", c.label, c.observations.len()));
        }
        return Ok(());
    }
    store_all(l, &checked, quiet)
}

/// Read and validate every file, printing every problem; fail if any file has one.
pub fn check_all(l: &Loaded, files: &[PathBuf], quiet: bool) -> Result<Vec<Checked>> {
    let ctx = returns::Context { ws: &l.ws, catalogue: &l.catalogue };
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
    for path in files {
        bar.inc(1);
        let label = l.ws.label(path);
        let bytes = std::fs::read(path).with_context(|| format!("{label}: cannot read"))?;
        match returns::read_return(path, &label, &ctx) {
            Ok(r) => {
                for w in &r.warnings {
                    say(quiet, format!("warning: {w}"));
                }
                checked.push(Checked { label, bytes, observations: r.observations });
            }
            Err(IngestError::Problems(p)) => {
                bad += 1;
                let _ = writeln!(std::io::stderr(), "{p}");
            }
            Err(e) => {
                bad += 1;
                let _ = writeln!(std::io::stderr(), "{e}");
            }
        }
    }
    bar.finish_and_clear();
    if bad > 0 {
        let files = if bad == 1 { "1 file has".to_string() } else { format!("{bad} files have") };
        bail!("{files} errors (listed above); nothing was imported");
    }
    Ok(checked)
}

/// Store each checked file as one batch, under the store's lock.
pub fn store_all(l: &Loaded, checked: &[Checked], quiet: bool) -> Result<()> {
    let store: Store = l.store();
    let mut session = store.session()?;
    for c in checked {
        let outcome = session
            .import(&c.label, &c.bytes, &c.observations)
            .with_context(|| format!("{}: not imported; the store is as it was before this file", c.label))?;
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

/// The return files in a folder, sorted; office lock files (`~$x.xlsx`) and hidden files skipped.
pub fn return_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with("~$") || name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            out.extend(return_files(&path)?);
        } else if is_return(&path) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn is_return(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "csv")
}

fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(return_files(p)?);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            bail!("{}: no such file", p.display());
        }
    }
    Ok(out)
}
