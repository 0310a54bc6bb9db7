//! An import session: the store's lock and current values held while any number of files are
//! compared with them, and one batch of what is new or revised written for them all.

use polars::prelude::{Column, DataFrame, Float64Chunked, IntoColumn, NewChunkedArray, PolarsError, StringChunked};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use super::values::{self, Dicts, NONE, Values};
use super::{JournalEntry, Lock, Outcome, Store, StoreError, failpoint, sha256_hex};
use crate::domain::periods::Period;

/// A row to store (file, row, batch) and its key in the session's ids.
type Changed = ((usize, usize, u64), (u32, u32, Period));

/// What an import compares a new value with: the latest stored value of its key.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Latest {
    pub(super) value: f64,
    pub(super) numerator: Option<f64>,
    pub(super) denominator: Option<f64>,
    pub(super) commentary: u32,
    pub(super) action: u32,
    pub(super) self_rating: u32,
    pub(super) quality: u32,
}

/// One file to import: its name in the workspace, its bytes and the values read from it.
pub struct FileIn<'a> {
    pub file: &'a str,
    pub bytes: &'a [u8],
    /// As columns ([`Values::from_observations`]).
    pub values: &'a Values,
    /// Cells that said there is no value (kept in the journal entry).
    pub no_values: &'a [super::NoValue],
}

/// One import session: holds the lock and the current values, and commits any number of files
/// at once: one batch of all their new and revised values, then one journal entry per file.
pub struct Session<'a> {
    pub(super) store: &'a Store,
    pub(super) _lock: Lock,
    pub(super) journal: Vec<JournalEntry>,
    pub(super) dicts: Dicts,
    pub(super) current: FxHashMap<(u32, u32, Period), Latest>,
}

impl Session<'_> {
    /// The rows to store sorted as the store reads them (indicator, area, period; of one key in
    /// two files, the later file's last): a store read whole from one batch is then in order
    /// already and needs no sort.
    fn in_key_order(&self, mut changed: Vec<Changed>) -> Vec<(usize, usize, u64)> {
        let (ir, ar) = (self.dicts.indicators.ranks(), self.dicts.areas.ranks());
        changed.par_sort_by_key(|(_, (i, a, p))| (ir[*i as usize], ar[*a as usize], *p));
        changed.into_iter().map(|c| c.0).collect()
    }

    /// Compare one file's values with the current ones: each new or revised value is noted in
    /// `changed` and becomes current. Returns how many were new and how many revised.
    fn compare(&mut self, fi: usize, v: &Values, batch: u64, changed: &mut Vec<Changed>) -> (usize, usize) {
        let (mut new, mut revised) = (0, 0);
        // the file's own ids → the session's
        let remap = |from: &values::Dict, to: &mut values::Dict| -> Vec<u32> {
            from.names().iter().map(|s| to.id(s)).collect()
        };
        let ind = remap(&v.dicts.indicators, &mut self.dicts.indicators);
        let area = remap(&v.dicts.areas, &mut self.dicts.areas);
        let text = remap(&v.dicts.texts, &mut self.dicts.texts);
        let t = |i: u32| if i == NONE { NONE } else { text[i as usize] };
        for r in 0..v.len() {
            let key = (ind[v.indicator[r] as usize], area[v.area[r] as usize], v.period[r]);
            let l = Latest {
                value: v.value[r],
                numerator: v.numerator[r],
                denominator: v.denominator[r],
                commentary: t(v.commentary[r]),
                action: t(v.action[r]),
                self_rating: t(v.self_rating[r]),
                quality: t(v.quality[r]),
            };
            match self.current.get(&key) {
                None => new += 1,
                Some(old) if same(old, &l) => continue,
                Some(_) => revised += 1,
            }
            // a missing commentary in a later file (a wide return repeating earlier
            // quarters) does not erase the stored one
            self.current.insert(key, l);
            changed.push(((fi, r, batch), key));
        }
        (new, revised)
    }

    /// Import validated returns, all or none. After an error the session is spent (its view of
    /// the current values may include what was not committed): drop it. The batch is written,
    /// synced and renamed first;
    /// the journal's atomic replacement commits it. A failure before that leaves the store as it
    /// was (an uncommitted batch file is ignored by readers).
    pub fn import(&mut self, files: &[FileIn]) -> Result<Vec<Outcome>, StoreError> {
        let first = self.journal.iter().map(|e| e.batch).max().unwrap_or(0) + 1;
        let imported_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut outcomes: Vec<Option<Outcome>> = vec![None; files.len()];
        let mut entry_of: Vec<usize> = Vec::new();
        let mut entries: Vec<JournalEntry> = Vec::new();
        // (file index, observation index, batch) of each value to store
        let mut changed: Vec<Changed> = Vec::new();
        let mut session_sha = Sha256::new();
        // room for every value at once: the map of current values never grows and rehashes
        let total: usize = files.iter().map(|f| f.values.len()).sum();
        self.current.reserve(total);
        changed.reserve(total);
        for (fi, f) in files.iter().enumerate() {
            let sha = sha256_hex(f.bytes);
            if let Some(e) = self.journal.iter().chain(&entries).find(|e| e.sha256 == sha) {
                outcomes[fi] = Some(Outcome::AlreadyImported(e.clone()));
                continue;
            }
            session_sha.update(sha.as_bytes());
            let batch = first + entries.len() as u64;
            let v = f.values;
            let (new, revised) = self.compare(fi, v, batch, &mut changed);
            entry_of.push(fi);
            entries.push(JournalEntry {
                batch,
                file: f.file.to_string(),
                sha256: sha,
                imported_at: imported_at.clone(),
                user: whoami(),
                rows: v.len(),
                new,
                revised,
                unchanged: v.len() - new - revised,
                batch_file: None,
                batch_sha256: None,
                no_values: f.no_values.iter().take(super::NO_VALUES_KEPT).cloned().collect(),
                reported_in: reported_in(f).map(|p| p.to_string()),
            });
        }
        if entries.is_empty() {
            return Ok(outcomes.into_iter().flatten().collect());
        }
        if !changed.is_empty() {
            let sha = format!("{:x}", session_sha.finalize());
            let name = format!("{first:06}-{}.parquet", &sha[..12]);
            let changed = self.in_key_order(changed);
            let batch_sha = self.store.write_batch(&name, files, &changed, &imported_at)?;
            for e in &mut entries {
                if e.new + e.revised > 0 {
                    e.batch_file = Some(name.clone());
                    e.batch_sha256 = Some(batch_sha.clone());
                }
            }
        }
        failpoint("after-batch")?;
        self.store.append_journal(&entries)?;
        self.journal.extend(entries.iter().cloned());
        for (fi, e) in entry_of.into_iter().zip(entries) {
            outcomes[fi] = Some(Outcome::Imported(e));
        }
        Ok(outcomes.into_iter().flatten().collect())
    }
}

/// Is the new value the same as the stored one? A missing commentary or action in the new one (a
/// wide return repeats earlier quarters without their commentary) does not count as a change.
fn same(old: &Latest, new: &Latest) -> bool {
    let text_same = |o: u32, n: u32| n == NONE || o == n;
    old.value == new.value
        && old.numerator == new.numerator
        && old.denominator == new.denominator
        && text_same(old.commentary, new.commentary)
        && text_same(old.action, new.action)
        && text_same(old.self_rating, new.self_rating)
        && text_same(old.quality, new.quality)
}

pub(super) fn whoami() -> String {
    ["LAA_USER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

pub(super) fn to_frame(
    files: &[FileIn],
    changed: &[(usize, usize, u64)],
    imported_at: &str,
) -> Result<DataFrame, PolarsError> {
    // each row to store: its file's columns and its row in them
    let rows = || changed.iter().map(|c| (files[c.0].values, c.1));
    // string columns straight from the files' dictionaries, with no list of the strings between
    let strs = |name: &str, get: &(dyn Fn(&Values, usize) -> &str + Sync)| {
        StringChunked::from_iter_values(name.into(), rows().map(|(v, r)| get(v, r))).into_column()
    };
    let opt_strs = |name: &str, get: &(dyn Fn(&Values, usize) -> Option<&str> + Sync)| {
        StringChunked::from_iter_options(name.into(), rows().map(|(v, r)| get(v, r))).into_column()
    };
    let floats = |name: &str, get: &(dyn Fn(&Values, usize) -> Option<f64> + Sync)| {
        Float64Chunked::from_iter_options(name.into(), rows().map(|(v, r)| get(v, r))).into_column()
    };
    // a batch holds few distinct periods: write each once
    let mut periods: Vec<(Period, String)> = Vec::new();
    for (v, r) in rows() {
        let p = v.period[r];
        if !periods.iter().any(|x| x.0 == p) {
            periods.push((p, p.to_string()));
        }
    }
    let period_text = |p: Period| periods.iter().find(|x| x.0 == p).map_or("", |x| x.1.as_str());
    fn text(v: &Values, id: u32) -> Option<&str> {
        v.dicts.texts.opt(id)
    }
    let period_column = || {
        StringChunked::from_iter_values("period".into(), rows().map(|(v, r)| period_text(v.period[r]))).into_column()
    };
    type Make<'a> = Box<dyn Fn() -> Column + Send + Sync + 'a>;
    let makes: Vec<Make> = vec![
        Box::new(|| strs("indicator", &|v, r| v.dicts.indicators.get(v.indicator[r]))),
        Box::new(|| strs("area", &|v, r| v.dicts.areas.get(v.area[r]))),
        Box::new(period_column),
        // the value column is never null
        Box::new(|| Column::new("value".into(), rows().map(|(v, r)| v.value[r]).collect::<Vec<f64>>())),
        Box::new(|| floats("numerator", &|v, r| v.numerator[r])),
        Box::new(|| floats("denominator", &|v, r| v.denominator[r])),
        Box::new(|| opt_strs("commentary", &|v, r| text(v, v.commentary[r]))),
        Box::new(|| opt_strs("action", &|v, r| text(v, v.action[r]))),
        Box::new(|| opt_strs("self_rating", &|v, r| text(v, v.self_rating[r]))),
        Box::new(|| opt_strs("quality", &|v, r| text(v, v.quality[r]))),
        Box::new(|| strs("file", &|v, r| v.dicts.files.get(v.src[r].file))),
        Box::new(|| opt_strs("sheet", &|v, r| v.dicts.sheets.opt(v.src[r].sheet))),
        Box::new(|| strs("cell", &|v, r| v.dicts.cells.get(v.src[r].cell))),
        Box::new(|| Column::new("batch".into(), changed.iter().map(|c| c.2 as i64).collect::<Vec<i64>>())),
        Box::new(|| Column::new("imported_at".into(), vec![imported_at; changed.len()])),
    ];
    // the columns are independent: made at the same time, in this order
    let columns: Vec<Column> = makes.par_iter().map(|m| m()).collect();
    DataFrame::new_infer_height(columns)
}

impl Store {
    /// Start an import session: take the exclusive lock and read the journal and the current
    /// values once, for any number of files.
    pub fn session(&self) -> Result<Session<'_>, StoreError> {
        self.session_within(std::time::Duration::ZERO)
    }

    /// [`Store::session`], waiting up to `wait` for another import to finish.
    pub fn session_within(&self, wait: std::time::Duration) -> Result<Session<'_>, StoreError> {
        let lock = self.lock_within(wait)?;
        let journal = self.journal()?;
        let (current, _) = self.values()?;
        let dicts = (*current.dicts).clone();
        let mut latest = FxHashMap::with_capacity_and_hasher(current.len(), Default::default());
        for r in 0..current.len() {
            let l = Latest {
                value: current.value[r],
                numerator: current.numerator[r],
                denominator: current.denominator[r],
                commentary: current.commentary[r],
                action: current.action[r],
                self_rating: current.self_rating[r],
                quality: current.quality[r],
            };
            latest.insert((current.indicator[r], current.area[r], current.period[r]), l);
        }
        Ok(Session { store: self, _lock: lock, journal, dicts, current: latest })
    }
}

/// The quarter a return reports: the later of its latest quarter and the quarter its file name
/// gives (a correction named for 2009/10 Q2 that revises Q1 was reported in Q2).
fn reported_in(f: &FileIn) -> Option<Period> {
    let latest = f.values.period.iter().copied().filter(|p| matches!(p, Period::Quarter { .. })).max();
    let named = crate::domain::periods::find_quarter(f.file);
    latest.max(named)
}
