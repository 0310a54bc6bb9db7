//! An import session: the store's lock and current values held while any number of files are
//! compared with them, and one batch of what is new or revised written for them all.

use polars::prelude::{Column, DataFrame, Float64Chunked, IntoColumn, NewChunkedArray, PolarsError, StringChunked};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::sync::Arc;

use super::values::{self, Dicts, NONE, Values};
use super::{JournalEntry, Lock, Outcome, Store, StoreError, failpoint};
use crate::domain::periods::Period;

/// What an import compares a new value with: the latest value of its key, stored or earlier in
/// the session.
#[derive(Debug, Clone, PartialEq)]
struct Latest {
    value: f64,
    numerator: Option<f64>,
    denominator: Option<f64>,
    commentary: u32,
    action: u32,
    self_rating: u32,
    quality: u32,
}

/// One file to import: its name in the workspace, the checksum of its bytes and the values
/// read from it.
pub struct FileIn<'a> {
    pub file: &'a str,
    /// SHA-256 of the file's bytes, in hex ([`super::sha256_hex`]).
    pub sha256: String,
    /// As columns ([`Values::from_observations`]).
    pub values: &'a Values,
    /// Cells that said there is no value (kept in the journal entry).
    pub no_values: &'a [super::NoValue],
    /// The date the return says it was completed (kept in the journal entry).
    pub completed: Option<chrono::NaiveDate>,
}

/// One import session: holds the lock and the store's current values (sorted by key, as the
/// store reads them), and commits any number of files at once: one batch of all their new and
/// revised values, then one journal entry per file.
pub struct Session<'a> {
    pub(super) store: &'a Store,
    pub(super) _lock: Lock,
    pub(super) journal: Vec<JournalEntry>,
    pub(super) dicts: Dicts,
    pub(super) current: Values,
    /// `current` lacks what an earlier import of the session stored.
    pub(super) stale: bool,
}

/// The rows to store, in key order, as (file position, row); and per file (new, revised).
type Compared = (Vec<(u32, u32)>, Vec<(usize, usize)>);

/// A file's ids in the session's dictionaries (indicators, areas, texts).
struct Remap {
    indicators: Vec<u32>,
    areas: Vec<u32>,
    texts: Vec<u32>,
}

impl Remap {
    fn text(&self, id: u32) -> u32 {
        if id == NONE { NONE } else { self.texts[id as usize] }
    }
}

impl Session<'_> {
    /// The session's ids for a file's dictionaries, made once for files that share them (an
    /// import's files share one set: [`super::import::check_files`]).
    fn remaps(&mut self, files: &[&FileIn]) -> Vec<std::rc::Rc<Remap>> {
        let mut made: Vec<(*const values::Dicts, std::rc::Rc<Remap>)> = Vec::new();
        let dicts = &mut self.dicts;
        files
            .iter()
            .map(|f| {
                let key = Arc::as_ptr(&f.values.dicts);
                if let Some((_, r)) = made.iter().find(|(k, _)| *k == key) {
                    return r.clone();
                }
                let d = &f.values.dicts;
                let r = std::rc::Rc::new(Remap {
                    indicators: d.indicators.remap_into(&mut dicts.indicators),
                    areas: d.areas.remap_into(&mut dicts.areas),
                    texts: d.texts.remap_into(&mut dicts.texts),
                });
                made.push((key, r.clone()));
                r
            })
            .collect()
    }

    /// Compare the files' values with the current ones by a merge: every value of the session
    /// is put in key order (indicator, area, period; of one key in two files, the later file's
    /// last), walked beside the store's current values (in the same order), and each new or
    /// revised one kept. Returns the rows to store, in key order (file position, row), and per
    /// file how many were new and how many revised. Nothing is held per value but its place in
    /// the order: no map of every value (which was the import's peak).
    fn compare(&mut self, files: &[&FileIn]) -> Result<Compared, StoreError> {
        let remaps = self.remaps(files);
        let (ir, ar) = (self.dicts.indicators.ranks(), self.dicts.areas.ranks());
        let SessionOrder { order, periods, starts } = session_order(files, &|fi, r| {
            let (v, m) = (files[fi].values, &remaps[fi]);
            (ir[m.indicators[v.indicator[r] as usize] as usize], ar[m.areas[v.area[r] as usize] as usize], v.period[r])
        })?;
        // where a row of the session is: its file's position and its row in the file
        let at = |seq: usize| {
            let fi = starts.partition_point(|s| *s <= seq) - 1;
            (fi, seq - starts[fi])
        };
        // a current row's place in the same order (a period of the store that no file of the
        // session holds falls between the session's periods: 2 × its place, theirs 2 × place + 1)
        let cur = &self.current;
        let current_key = |c: usize| {
            let p = match periods.binary_search(&cur.period[c]) {
                Ok(x) => 2 * x + 1,
                Err(x) => 2 * x,
            };
            (ir[cur.indicator[c] as usize], ar[cur.area[c] as usize], p)
        };
        let mut counts = vec![(0usize, 0usize); files.len()];
        let mut changed: Vec<(u32, u32)> = Vec::new();
        let (mut c, mut g) = (0usize, 0usize);
        while g < order.len() {
            let key = order[g] >> 48;
            let mut end = g + 1;
            while end < order.len() && order[end] >> 48 == key {
                end += 1;
            }
            let this = ((key >> 48) as u32, (key >> 16) as u32, 2 * (key & 0xffff) as usize + 1);
            // the store's current row of this key, if any (both are in key order)
            while c < cur.len() && current_key(c) < this {
                c += 1;
            }
            let mut latest = (c < cur.len() && current_key(c) == this).then(|| Latest {
                value: cur.value[c],
                numerator: cur.numerator[c],
                denominator: cur.denominator[c],
                commentary: cur.commentary[c],
                action: cur.action[c],
                self_rating: cur.self_rating[c],
                quality: cur.quality[c],
            });
            for &o in &order[g..end] {
                let (fi, r) = at((o & ((1 << 48) - 1)) as usize);
                let (v, m) = (files[fi].values, &remaps[fi]);
                let l = Latest {
                    value: v.value[r],
                    numerator: v.numerator[r],
                    denominator: v.denominator[r],
                    commentary: m.text(v.commentary[r]),
                    action: m.text(v.action[r]),
                    self_rating: m.text(v.self_rating[r]),
                    quality: m.text(v.quality[r]),
                };
                match &latest {
                    None => counts[fi].0 += 1,
                    Some(old) if same(old, &l) => continue,
                    Some(_) => counts[fi].1 += 1,
                }
                // a missing commentary in a later file (a wide return repeating earlier
                // quarters) does not erase the stored one
                latest = Some(l);
                changed.push((fi as u32, r as u32));
            }
            g = end;
        }
        Ok((changed, counts))
    }

    /// Import validated returns, all or none. After an error the session is spent (its view of
    /// the current values may include what was not committed): drop it. The batch is written,
    /// synced and renamed first;
    /// the journal's atomic replacement commits it. A failure before that leaves the store as it
    /// was (an uncommitted batch file is ignored by readers).
    pub fn import(&mut self, files: &[FileIn]) -> Result<Vec<Outcome>, StoreError> {
        if self.stale {
            let (current, _) = self.store.values()?;
            self.dicts = (*current.dicts).clone();
            self.current = current;
            self.stale = false;
        }
        let first = self.journal.iter().map(|e| e.batch).max().unwrap_or(0) + 1;
        let imported_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut outcomes: Vec<Option<Outcome>> = vec![None; files.len()];
        let mut entry_of: Vec<usize> = Vec::new();
        let mut entries: Vec<JournalEntry> = Vec::new();
        let mut session_sha = Sha256::new();
        for (fi, f) in files.iter().enumerate() {
            if let Some(e) = self.journal.iter().chain(&entries).find(|e| e.sha256 == f.sha256) {
                outcomes[fi] = Some(Outcome::AlreadyImported(e.clone()));
                continue;
            }
            session_sha.update(f.sha256.as_bytes());
            let batch = first + entries.len() as u64;
            entry_of.push(fi);
            entries.push(JournalEntry {
                batch,
                file: f.file.to_string(),
                sha256: f.sha256.clone(),
                imported_at: imported_at.clone(),
                user: whoami(),
                rows: f.values.len(),
                new: 0,
                revised: 0,
                unchanged: 0,
                batch_file: None,
                batch_sha256: None,
                no_values: f.no_values.iter().take(super::NO_VALUES_KEPT).cloned().collect(),
                reported_in: reported_in(f).map(|p| p.to_string()),
                completed: f.completed.map(|d| d.to_string()),
            });
        }
        if entries.is_empty() {
            return Ok(outcomes.into_iter().flatten().collect());
        }
        let stored: Vec<&FileIn> = entry_of.iter().map(|&fi| &files[fi]).collect();
        let (changed, counts) = self.compare(&stored)?;
        for (e, (new, revised)) in entries.iter_mut().zip(counts) {
            (e.new, e.revised, e.unchanged) = (new, revised, e.rows - new - revised);
        }
        if !changed.is_empty() {
            let sha = format!("{:x}", session_sha.finalize());
            let name = format!("{first:06}-{}.parquet", &sha[..12]);
            let batches: Vec<u64> = entries.iter().map(|e| e.batch).collect();
            let batch_sha = self.store.write_batch(&name, &stored, &batches, &changed, &imported_at)?;
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
        // what this import stored is current now: read again if the session imports more
        // (an import command does not: reading it here cost a fifth of the import)
        self.stale |= !changed.is_empty();
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

/// Rows to store as a frame: `changed` holds (position in `files`, row), `batches` each file's
/// batch number.
pub(super) fn to_frame(
    files: &[&FileIn],
    batches: &[u64],
    changed: &[(u32, u32)],
    imported_at: &str,
) -> Result<DataFrame, PolarsError> {
    // each row to store: its file's columns and its row in them
    let rows = || changed.iter().map(|c| (files[c.0 as usize].values, c.1 as usize));
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
        Box::new(|| {
            Column::new("batch".into(), changed.iter().map(|c| batches[c.0 as usize] as i64).collect::<Vec<i64>>())
        }),
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
        Ok(Session { store: self, _lock: lock, journal, dicts, current, stale: false })
    }
}

/// The quarter a return reports: the later of its latest quarter and the quarter its file name
/// gives (a correction named for 2009/10 Q2 that revises Q1 was reported in Q2).
fn reported_in(f: &FileIn) -> Option<Period> {
    let latest = f.values.period.iter().copied().filter(|p| matches!(p, Period::Quarter { .. })).max();
    let named = crate::domain::periods::find_quarter(f.file);
    latest.max(named)
}

/// Every value of a session in key order, one integer per row that sorts as (indicator, area,
/// period, session order); the session's periods, sorted; and where each file's rows start.
struct SessionOrder {
    order: Vec<u128>,
    periods: Vec<Period>,
    starts: Vec<usize>,
}

/// The session's order, from each row's key (`key(file, row)`: the indicator's and area's ranks
/// and the period).
fn session_order(
    files: &[&FileIn],
    key: &dyn Fn(usize, usize) -> (u32, u32, Period),
) -> Result<SessionOrder, StoreError> {
    let mut periods: Vec<Period> = files.iter().flat_map(|f| f.values.period.iter().copied()).collect();
    periods.par_sort_unstable();
    periods.dedup();
    let mut starts = Vec::with_capacity(files.len() + 1);
    let mut total = 0usize;
    for f in files {
        starts.push(total);
        total += f.values.len();
    }
    starts.push(total);
    if total >= 1 << 48 || periods.len() >= 1 << 16 {
        return Err(StoreError::Damaged(format!("{total} values in one import is more than laa can order")));
    }
    let mut order: Vec<u128> = Vec::with_capacity(total);
    for (fi, f) in files.iter().enumerate() {
        for r in 0..f.values.len() {
            let (i, a, p) = key(fi, r);
            let p = periods.binary_search(&p).expect("a period of the session") as u128;
            order.push((u128::from(i) << 96) | (u128::from(a) << 64) | (p << 48) | (starts[fi] + r) as u128);
        }
    }
    order.par_sort_unstable();
    Ok(SessionOrder { order, periods, starts })
}
