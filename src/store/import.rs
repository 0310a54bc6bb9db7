//! An import, whole or not at all: every file read and checked (in parallel, reported in the
//! files' order), then all of them stored in one session under the store's lock. The command
//! line prints what these return; `laa import` and `laa report` both import through them.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use std::sync::Arc;

use super::values::{Dicts, Values};
use super::{FileIn, NoValue, Outcome, Store, StoreError};
use crate::ingest::returns::{self, Context, IngestError};
use crate::sheet::Problem;

/// A return read and checked, ready to store.
#[derive(Debug)]
pub struct Checked {
    pub label: String,
    /// SHA-256 of the file's bytes (for the journal), taken as it was read.
    pub sha256: String,
    /// The values read, as columns (the file's observations are dropped once checked), with
    /// ids into dictionaries every file of the import shares.
    pub values: Values,
    /// Cells that said there is no value, and why (kept in the journal).
    pub no_values: Vec<NoValue>,
    /// Things worth saying that do not stop the import.
    pub warnings: Vec<Problem>,
    /// The date the return says it was completed.
    pub completed: Option<chrono::NaiveDate>,
}

/// A return that cannot be imported: every problem, one per line.
pub struct Refused {
    pub label: String,
    pub message: String,
}

/// Read and check every file (in parallel); each is checked or refused, in the files' order.
/// `label` names a file in messages; `done` is called as each file is read (a progress bar).
pub fn check_files(
    files: &[PathBuf],
    label: &(dyn Fn(&Path) -> String + Sync),
    ctx: &Context,
    done: &(dyn Fn() + Sync),
) -> Vec<Result<Checked, Refused>> {
    // one set of dictionaries for every file's strings: a file's own (a cell address per value)
    // would be kept for each file until all are stored
    let shared = std::sync::Mutex::new(Dicts::default());
    let mut out: Vec<Result<Checked, Refused>> = files
        .par_iter()
        .map(|path| {
            let label = label(path);
            let read = returns::read_return(path, &label, ctx);
            done();
            let mut r = read.map_err(|e| Refused {
                label: label.clone(),
                message: match e {
                    IngestError::Problems(p) => p.to_string(),
                    e => e.to_string(),
                },
            })?;
            let bytes = std::fs::read(path)
                .map_err(|e| Refused { label: label.clone(), message: format!("{label}: cannot read: {e}") })?;
            let sha256 = super::sha256_hex(&bytes);
            drop(bytes);
            // as columns from here on: a value's strings become small ids
            let mut values = Values::from_observations(&std::mem::take(&mut r.observations));
            values.share(&mut shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
            let no_values = r
                .missing
                .iter()
                .map(|m| NoValue {
                    indicator: m.indicator.clone(),
                    area: m.area.clone(),
                    period: m.period.clone(),
                    reason: m.reason.clone(),
                    cell: m.loc.to_string(),
                })
                .collect();
            Ok(Checked {
                label,
                sha256,
                values,
                no_values,
                warnings: r.warnings,
                completed: r.completed.map(|c| c.date),
            })
        })
        .collect();
    let shared = Arc::new(shared.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner));
    for c in out.iter_mut().flatten() {
        c.values.dicts = shared.clone();
    }
    out
}

/// Returns whose values are, for more than half of them, the store's values of the same
/// quarter a year earlier (an old return sent again): a warning for each, naming both.
pub fn resent(store: &Store, checked: &[Checked]) -> Vec<String> {
    if store.journal().map_or(true, |j| j.is_empty()) {
        return Vec::new();
    }
    let Ok((current, _)) = store.values() else { return Vec::new() };
    let index = current.index();
    let mut out = Vec::new();
    for c in checked {
        let (same, from) = index.same_as_a_year_earlier(&c.values);
        if c.values.len() >= 3 && same * 2 > c.values.len() {
            out.push(format!(
                "{}: {same} of its {} values are the same as a year earlier in {}: is it last year's return sent again?",
                c.label,
                c.values.len(),
                from.join(", ")
            ));
        }
    }
    out
}

/// Store every checked file in one session, waiting up to `wait` for an import that holds the
/// lock; an error leaves the store as it was.
pub fn store_files(store: &Store, checked: &[Checked], wait: std::time::Duration) -> Result<Vec<Outcome>, StoreError> {
    let mut session = store.session_within(wait)?;
    let files: Vec<FileIn> = checked
        .iter()
        .map(|c| FileIn {
            file: &c.label,
            sha256: c.sha256.clone(),
            values: &c.values,
            no_values: &c.no_values,
            completed: c.completed,
        })
        .collect();
    session.import(&files)
}
