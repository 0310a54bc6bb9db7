//! The append-only store: one immutable Parquet batch per import session plus a journal entry
//! per file that commits it; revisions, history, an exclusive lock, writes that are synced and
//! renamed into place, and the current values read as columns ([`values`]).

pub mod import;
mod session;
pub mod values;

pub use session::{FileIn, Session};

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::{ParquetWriter, PolarsError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::periods::Period;
use crate::ingest::returns::Observation;
use crate::sheet::Loc;
use session::to_frame;
use values::Values;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Parquet { path: PathBuf, source: PolarsError },
    #[error("another laa import is running on this workspace ({0} is locked); wait for it to finish and try again")]
    Locked(PathBuf),
    #[error("the store is damaged: {0}")]
    Damaged(String),
    #[error("simulated failure at {0} (LAA_FAILPOINT)")]
    FailPoint(&'static str),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

/// One committed import.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct JournalEntry {
    pub batch: u64,
    /// The return's name relative to the workspace.
    pub file: String,
    pub sha256: String,
    /// RFC 3339, UTC.
    pub imported_at: String,
    pub user: String,
    /// Values read from the file.
    pub rows: usize,
    /// Values new to the store.
    pub new: usize,
    /// Values that replace an earlier, different value.
    pub revised: usize,
    pub unchanged: usize,
    /// The Parquet batch (under `batches/`) holding the new and revised values; none when the
    /// file added nothing.
    pub batch_file: Option<String>,
    /// SHA-256 of the batch file's bytes, checked by `laa store verify` (absent in entries
    /// written before laa recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_sha256: Option<String>,
    /// Cells of the return that said there is no value ("[x]", "suppressed", "not yet due"), with
    /// their reasons: never values, kept so that `laa status` can say why a value is missing
    /// (the first [`NO_VALUES_KEPT`] of a file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_values: Vec<NoValue>,
    /// The quarter the return reported ("2009/10 Q2"): the later of its latest quarter and the
    /// quarter its file name gives. A past quarter is rated on the values reported by then (absent in entries
    /// written before laa kept it: then worked out from the file's stored values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_in: Option<String>,
    /// The date the return says it was completed (ISO), when it says one: a return is received
    /// on the earlier of this and the import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<String>,
}

/// How many "no value" cells of one file the journal keeps (the rest are counted in `rows` of
/// nothing: the journal stays small whatever a file holds).
pub const NO_VALUES_KEPT: usize = 1000;

/// A cell that said there is no value, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoValue {
    pub indicator: String,
    pub area: String,
    pub period: String,
    pub reason: String,
    pub cell: String,
}

/// A stored value with its source and the import that brought it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    #[serde(flatten)]
    pub obs: Observation,
    pub batch: u64,
    pub imported_at: String,
}

pub type Key = (String, String, Period);

impl Record {
    pub fn key(&self) -> Key {
        (self.obs.indicator.clone(), self.obs.area.clone(), self.obs.period)
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The same bytes were imported before: nothing changed.
    AlreadyImported(JournalEntry),
    Imported(JournalEntry),
}

/// The store directory of a workspace.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

const JOURNAL: &str = "journal.jsonl";
const BATCHES: &str = "batches";
const LOCK: &str = "lock";

/// The SHA-256 of some bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// What `laa store verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    pub imports: usize,
    pub batches: usize,
    /// What is wrong: a journal line that does not parse, a committed batch missing, changed or
    /// unreadable.
    pub problems: Vec<String>,
    /// Files no journal entry commits: harmless leftovers of an interrupted import.
    pub leftovers: Vec<String>,
    pub notes: Vec<String>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Holds the store's exclusive lock until dropped.
pub struct Lock {
    _file: File,
}

impl Store {
    pub fn new(dir: &Path) -> Store {
        Store { dir: dir.to_path_buf() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Take the exclusive import lock, failing at once if another process holds it.
    pub fn lock(&self) -> Result<Lock, StoreError> {
        fs::create_dir_all(self.dir.join(BATCHES)).map_err(io(&self.dir))?;
        let path = self.dir.join(LOCK);
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(StoreError::Locked(path)),
            Err(fs::TryLockError::Error(e)) => Err(StoreError::Io { path, source: e }),
        }
    }

    /// Take the exclusive import lock, waiting up to `wait` for another process to release it
    /// (checked every 100 ms), then failing as [`Store::lock`] does.
    pub fn lock_within(&self, wait: std::time::Duration) -> Result<Lock, StoreError> {
        let start = std::time::Instant::now();
        loop {
            match self.lock() {
                Err(StoreError::Locked(_)) if start.elapsed() < wait => {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => return other,
            }
        }
    }

    /// The committed imports, oldest first.
    pub fn journal(&self) -> Result<Vec<JournalEntry>, StoreError> {
        let path = self.dir.join(JOURNAL);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::Io { path, source: e }),
        };
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .map_err(|e| StoreError::Damaged(format!("{}: line {}: {e}", path.display(), i + 1)))
            })
            .collect()
    }

    /// The batch files the journal commits, in journal order (each once).
    pub fn batch_paths(&self) -> Result<Vec<PathBuf>, StoreError> {
        let mut out: Vec<PathBuf> = Vec::new();
        for entry in self.journal()? {
            if let Some(name) = &entry.batch_file {
                let path = self.dir.join(BATCHES).join(name);
                if out.last() == Some(&path) {
                    continue;
                }
                if !path.exists() {
                    return Err(StoreError::Damaged(format!(
                        "batch {} listed in the journal is missing",
                        path.display()
                    )));
                }
                out.push(path);
            }
        }
        Ok(out)
    }

    /// Every stored value in import order (later records revise earlier ones with the same key),
    /// as records with their text: for `laa history`, which shows them all.
    pub fn records(&self) -> Result<Vec<Record>, StoreError> {
        self.records_where(&|_, _, _| true)
    }

    /// [`Store::records`] of the values `keep` picks by indicator, area and period; batches are
    /// read a slice at a time and only what is kept is made into records (`laa history` of
    /// one indicator read every value of the store as text: 3 GiB at four times the national
    /// data).
    pub fn records_where(&self, keep: &dyn Fn(&str, &str, Period) -> bool) -> Result<Vec<Record>, StoreError> {
        let mut out = Vec::new();
        for path in self.batch_paths()? {
            read_batch(&path, keep, &mut out)?;
        }
        Ok(out)
    }

    /// Every value of every batch (revisions included), in journal order, as (indicator, area,
    /// period, batch, file), a slice at a time: for what needs each value's first arrival.
    pub fn each_arrival(&self, f: &mut dyn FnMut(&str, &str, Period, u64, &str)) -> Result<(), StoreError> {
        for path in self.batch_paths()? {
            values::each_arrival(&path, f)?;
        }
        Ok(())
    }

    /// The latest value of each key, as columns, and how many values (revisions included) the
    /// store holds.
    pub fn values(&self) -> Result<(Values, usize), StoreError> {
        values::read_current(&self.batch_paths()?)
    }

    /// The latest value of each key as it was known in quarter `q`: only values from returns
    /// reported in `q` or before (a journal entry's `reported_in`; for entries written before
    /// laa kept it, the latest quarter among the file's stored values, else the quarter holding
    /// the end of its latest period).
    pub fn values_known_in(&self, q: Period) -> Result<(Values, usize), StoreError> {
        let journal = self.journal()?;
        let paths = self.batch_paths()?;
        let said: HashMap<(u64, &str), Option<Period>> = journal
            .iter()
            .map(|e| ((e.batch, e.file.as_str()), e.reported_in.as_deref().and_then(|p| p.parse().ok())))
            .collect();
        let keep = |v: &Values| -> Vec<usize> {
            // each (batch, file)'s quarter: the journal's, else worked out from the file's stored
            // values (entries written before laa kept it)
            let mut worked_out: HashMap<(u32, u32), Period> = HashMap::new();
            for r in 0..v.len() {
                let p = match v.period[r] {
                    p @ Period::Quarter { .. } => p,
                    other => Period::from_date(other.end_date()),
                };
                let e = worked_out.entry((v.batch[r], v.src[r].file)).or_insert(p);
                *e = (*e).max(p);
            }
            let when: HashMap<(u32, u32), Period> = worked_out
                .into_iter()
                .map(|((batch, file), p)| {
                    let said = said.get(&(u64::from(batch), v.dicts.files.get(file))).copied().flatten();
                    ((batch, file), said.unwrap_or(p))
                })
                .collect();
            (0..v.len()).filter(|&r| when.get(&(v.batch[r], v.src[r].file)).is_none_or(|w| *w <= q)).collect()
        };
        values::read_known(&paths, &keep)
    }

    /// Write a batch (synced, then renamed into place); returns the SHA-256 of its bytes.
    fn write_batch(
        &self,
        name: &str,
        files: &[&FileIn],
        batches: &[u64],
        changed: &[(u32, u32)],
        imported_at: &str,
    ) -> Result<String, StoreError> {
        let dir = self.dir.join(BATCHES);
        let tmp = dir.join(format!(".{name}.tmp"));
        let path = dir.join(name);
        let pq = |source| StoreError::Parquet { path: tmp.clone(), source };
        let f = File::create(&tmp).map_err(io(&tmp))?;
        failpoint("batch-created")?;
        // written a row group at a time, each built from the files' columns while the one before
        // it is encoded and written (a thread of its own; no more than two wait between them),
        // and hashed on its way to the file: the batch is never whole in memory
        let mut out = Hashed { inner: std::io::BufWriter::new(f), sha: Sha256::new() };
        let mut chunks = changed.chunks(values::ROW_GROUP_ROWS.max(1));
        let first = to_frame(files, batches, chunks.next().unwrap_or(&[]), imported_at).map_err(pq)?;
        let mut writer = ParquetWriter::new(&mut out).batched(first.schema()).map_err(pq)?;
        std::thread::scope(|scope| -> Result<(), StoreError> {
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move || {
                for chunk in chunks {
                    // a send fails only when the writer has stopped (an error): stop too
                    if tx.send(to_frame(files, batches, chunk, imported_at)).is_err() {
                        break;
                    }
                }
            });
            writer.write_batch(&first).map_err(pq)?;
            drop(first);
            for df in rx {
                writer.write_batch(&df.map_err(pq)?).map_err(pq)?;
            }
            Ok(())
        })?;
        writer.finish().map_err(pq)?;
        drop(writer);
        let Hashed { inner, sha } = out;
        let f = inner.into_inner().map_err(|e| io(&tmp)(e.into_error()))?;
        let sha = format!("{:x}", sha.finalize());
        failpoint("batch-written")?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        failpoint("before-batch-rename")?;
        fs::rename(&tmp, &path).map_err(io(&path))?;
        failpoint("batch-renamed")?;
        sync_dir(&dir)?;
        Ok(sha)
    }

    /// Check the store: the journal parses line by line; every batch it commits exists, has the
    /// checksum recorded for it and reads; files it does not commit (left by an interrupted
    /// import, never read) are listed.
    pub fn verify(&self) -> Verification {
        let mut v = Verification::default();
        let path = self.dir.join(JOURNAL);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                v.problems.push(format!("{}: cannot read the journal: {e}", path.display()));
                String::new()
            }
        };
        let mut entries: Vec<JournalEntry> = Vec::new();
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            match serde_json::from_str::<JournalEntry>(line) {
                Ok(e) => entries.push(e),
                Err(e) => v.problems.push(format!("{}: line {} does not parse: {e}", path.display(), i + 1)),
            }
        }
        v.imports = entries.len();
        let mut committed: HashMap<String, Option<String>> = HashMap::new();
        for e in &entries {
            if let Some(name) = &e.batch_file {
                let sha = committed.entry(name.clone()).or_default();
                if sha.is_none() {
                    sha.clone_from(&e.batch_sha256);
                }
            }
        }
        let mut names: Vec<&String> = committed.keys().collect();
        names.sort();
        for name in names {
            self.verify_batch(name, committed[name].as_deref(), &mut v);
        }
        for dir in [self.dir.clone(), self.dir.join(BATCHES)] {
            let Ok(list) = fs::read_dir(&dir) else { continue };
            let mut found: Vec<String> = list.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
            found.sort();
            for name in found {
                let full = dir.join(&name);
                if name.ends_with(".tmp") {
                    v.leftovers.push(format!("{}: a temporary file left by an interrupted import", full.display()));
                } else if dir.ends_with(BATCHES) && !committed.contains_key(&name) {
                    v.leftovers.push(format!(
                        "{}: a batch no journal entry commits (an interrupted import's; never read)",
                        full.display()
                    ));
                }
            }
        }
        v
    }

    /// One batch the journal commits: it reads, has the checksum recorded for it (`want`), and
    /// holds only finite numbers.
    fn verify_batch(&self, name: &str, want: Option<&str>, v: &mut Verification) {
        let file = self.dir.join(BATCHES).join(name);
        let bytes = match fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                v.problems.push(format!("{}: committed by the journal but cannot be read: {e}", file.display()));
                return;
            }
        };
        v.batches += 1;
        match want {
            Some(want) if want != sha256_hex(&bytes) => v.problems.push(format!(
                "{}: its checksum differs from the journal's: the file was changed or damaged",
                file.display()
            )),
            Some(_) => {}
            None => v.notes.push(format!("{}: no checksum recorded (imported by an older laa)", file.display())),
        }
        match values::not_finite(&file) {
            Err(e) => v.problems.push(format!("{}: does not read: {e}", file.display())),
            Ok(bad) => {
                // every stored number is finite (older laa stored an infinite rate)
                if !bad.is_empty() {
                    v.problems.push(format!(
                        "{}: {} value{} not a finite number: {}{}",
                        file.display(),
                        bad.len(),
                        if bad.len() == 1 { " is" } else { "s are" },
                        bad.iter().take(5).cloned().collect::<Vec<_>>().join("; "),
                        if bad.len() > 5 { format!("; and {} more", bad.len() - 5) } else { String::new() }
                    ));
                }
            }
        }
    }

    fn append_journal(&self, entries: &[JournalEntry]) -> Result<(), StoreError> {
        let path = self.dir.join(JOURNAL);
        let tmp = self.dir.join(format!(".{JOURNAL}.tmp"));
        let mut text = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(StoreError::Io { path, source: e }),
        };
        if !text.is_empty() && !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        for entry in entries {
            text.extend(serde_json::to_vec(entry).expect("journal entries serialise"));
            text.push(b'\n');
        }
        let mut f = File::create(&tmp).map_err(io(&tmp))?;
        failpoint("journal-created")?;
        f.write_all(&text).map_err(io(&tmp))?;
        failpoint("journal-written")?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        failpoint("before-journal-rename")?;
        fs::rename(&tmp, &path).map_err(io(&path))?;
        // committed: from here a kill leaves the import done, so only a pause, never a failure
        pause();
        sync_dir(&self.dir)
    }
}

/// A writer that hashes what passes through it.
struct Hashed<W: Write> {
    inner: W,
    sha: Sha256,
}

impl<W: Write> Write for Hashed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Test hook: `LAA_FAILPOINT=after-batch` (or `before-batch-rename`, `before-journal-rename`)
/// makes an import fail at that point, to prove a crash there leaves the store as it was.
fn pause() {
    if let Some(ms) = std::env::var("LAA_STEP_DELAY_MS").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// A test hook after each file-system step of a commit: `LAA_FAILPOINT=<name>` fails there, and
/// `LAA_STEP_DELAY_MS=<ms>` pauses there, so that a test can kill the process between any two
/// steps. Neither is set in normal use.
fn failpoint(name: &'static str) -> Result<(), StoreError> {
    pause();
    match std::env::var("LAA_FAILPOINT") {
        Ok(v) if v == name => Err(StoreError::FailPoint(name)),
        _ => Ok(()),
    }
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    // directories cannot be opened for syncing on every platform; where they can, sync
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn read_batch(path: &Path, keep: &dyn Fn(&str, &str, Period) -> bool, out: &mut Vec<Record>) -> Result<(), StoreError> {
    let pq = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let mut periods = values::Periods::default();
    values::Frames::open_all(path)?.each(&mut |df, start| {
        let strs = |name: &str| df.column(name).and_then(|c| c.str().cloned()).map_err(pq);
        let floats = |name: &str| df.column(name).and_then(|c| c.f64().cloned()).map_err(pq);
        let (ind, area, period) = (strs("indicator")?, strs("area")?, strs("period")?);
        let (value, num, den) = (floats("value")?, floats("numerator")?, floats("denominator")?);
        let (comm, action, file, sheet, cell, at) =
            (strs("commentary")?, strs("action")?, strs("file")?, strs("sheet")?, strs("cell")?, strs("imported_at")?);
        let batch = df.column("batch").and_then(|c| c.i64().cloned()).map_err(pq)?;
        // columns added after the first batches were written: absent in older ones
        let optional = |name: &str| df.column(name).ok().and_then(|c| c.str().ok().cloned());
        let (self_rating, quality) = (optional("self_rating"), optional("quality"));
        let damaged = |what: &str, i: usize| {
            StoreError::Damaged(format!("{}: row {}: {what} is missing", path.display(), start + i + 1))
        };
        for i in 0..df.height() {
            let need = |v: Option<&str>, what: &str| v.map(String::from).ok_or_else(|| damaged(what, i));
            let period = periods.parse(period.get(i).ok_or_else(|| damaged("period", i))?, path)?;
            let (i_code, a_code) =
                (ind.get(i).ok_or_else(|| damaged("indicator", i))?, area.get(i).ok_or_else(|| damaged("area", i))?);
            if !keep(i_code, a_code, period) {
                continue;
            }
            out.push(Record {
                obs: Observation {
                    indicator: i_code.to_string(),
                    area: a_code.to_string(),
                    period,
                    value: value.get(i).ok_or_else(|| damaged("value", i))?,
                    numerator: num.get(i),
                    denominator: den.get(i),
                    commentary: comm.get(i).map(String::from),
                    action: action.get(i).map(String::from),
                    self_rating: self_rating.as_ref().and_then(|c| c.get(i)).map(String::from),
                    quality: quality.as_ref().and_then(|c| c.get(i)).map(String::from),
                    loc: Loc {
                        file: need(file.get(i), "file")?.into(),
                        sheet: sheet.get(i).map(Into::into),
                        cell: need(cell.get(i), "cell")?,
                    },
                },
                batch: batch.get(i).ok_or_else(|| damaged("batch", i))? as u64,
                imported_at: need(at.get(i), "imported_at")?,
            });
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
