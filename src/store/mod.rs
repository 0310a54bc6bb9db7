//! The append-only store: one immutable Parquet batch per import session plus a journal entry
//! per file that commits it; revisions, history, an exclusive lock, writes that are synced and
//! renamed into place, and the current values read as columns ([`values`]).

pub mod values;

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::{Column, DataFrame, ParquetReader, ParquetWriter, PolarsError, SerReader};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::periods::Period;
use crate::ingest::returns::Observation;
use crate::ingest::sheet::Loc;
use values::{Dicts, NONE, Values};

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
        let mut out = Vec::new();
        for path in self.batch_paths()? {
            out.extend(read_batch(&path)?);
        }
        Ok(out)
    }

    /// The latest value of each key, as columns, and how many values (revisions included) the
    /// store holds.
    pub fn values(&self) -> Result<(Values, usize), StoreError> {
        values::read_current(&self.batch_paths()?)
    }

    /// Start an import session: take the exclusive lock and read the journal and the current
    /// values once, for any number of files.
    pub fn session(&self) -> Result<Session<'_>, StoreError> {
        let lock = self.lock()?;
        let journal = self.journal()?;
        let (current, _) = self.values()?;
        let dicts = (*current.dicts).clone();
        let mut latest = HashMap::with_capacity(current.len());
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

    /// Write a batch (synced, then renamed into place); returns the SHA-256 of its bytes.
    fn write_batch(
        &self,
        name: &str,
        files: &[FileIn],
        changed: &[(usize, usize, u64)],
        imported_at: &str,
    ) -> Result<String, StoreError> {
        let dir = self.dir.join(BATCHES);
        let tmp = dir.join(format!(".{name}.tmp"));
        let path = dir.join(name);
        let mut df = to_frame(files, changed, imported_at)
            .map_err(|source| StoreError::Parquet { path: path.clone(), source })?;
        let mut bytes = Vec::new();
        // row groups of a bounded size, so that other engines can read a batch a group at a time
        ParquetWriter::new(&mut bytes)
            .with_row_group_size(Some(values::ROW_GROUP_ROWS))
            .finish(&mut df)
            .map_err(|source| StoreError::Parquet { path: tmp.clone(), source })?;
        let sha = sha256_hex(&bytes);
        let mut f = File::create(&tmp).map_err(io(&tmp))?;
        failpoint("batch-created")?;
        f.write_all(&bytes).map_err(io(&tmp))?;
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
            let file = self.dir.join(BATCHES).join(name);
            let bytes = match fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    v.problems.push(format!("{}: committed by the journal but cannot be read: {e}", file.display()));
                    continue;
                }
            };
            v.batches += 1;
            match &committed[name] {
                Some(want) if *want != sha256_hex(&bytes) => v.problems.push(format!(
                    "{}: its checksum differs from the journal's: the file was changed or damaged",
                    file.display()
                )),
                Some(_) => {}
                None => v.notes.push(format!("{}: no checksum recorded (imported by an older laa)", file.display())),
            }
            if let Err(e) = read_batch(&file) {
                v.problems.push(format!("{}: does not read: {e}", file.display()));
            }
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

/// What an import compares a new value with: the latest stored value of its key.
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

/// One file to import: its name in the workspace, its bytes and the values read from it.
pub struct FileIn<'a> {
    pub file: &'a str,
    pub bytes: &'a [u8],
    pub observations: &'a [Observation],
}

/// One import session: holds the lock and the current values, and commits any number of files
/// at once: one batch of all their new and revised values, then one journal entry per file.
pub struct Session<'a> {
    store: &'a Store,
    _lock: Lock,
    journal: Vec<JournalEntry>,
    dicts: Dicts,
    current: HashMap<(u32, u32, Period), Latest>,
}

impl Session<'_> {
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
        let mut changed: Vec<(usize, usize, u64)> = Vec::new();
        let mut session_sha = Sha256::new();
        for (fi, f) in files.iter().enumerate() {
            let sha = sha256_hex(f.bytes);
            if let Some(e) = self.journal.iter().chain(&entries).find(|e| e.sha256 == sha) {
                outcomes[fi] = Some(Outcome::AlreadyImported(e.clone()));
                continue;
            }
            session_sha.update(sha.as_bytes());
            let batch = first + entries.len() as u64;
            let (mut new, mut revised) = (0, 0);
            for (oi, o) in f.observations.iter().enumerate() {
                let key = (self.dicts.indicators.id(&o.indicator), self.dicts.areas.id(&o.area), o.period);
                let l = Latest {
                    value: o.value,
                    numerator: o.numerator,
                    denominator: o.denominator,
                    commentary: o.commentary.as_deref().map_or(NONE, |t| self.dicts.texts.id(t)),
                    action: o.action.as_deref().map_or(NONE, |t| self.dicts.texts.id(t)),
                    self_rating: o.self_rating.as_deref().map_or(NONE, |t| self.dicts.texts.id(t)),
                    quality: o.quality.as_deref().map_or(NONE, |t| self.dicts.texts.id(t)),
                };
                match self.current.get(&key) {
                    None => new += 1,
                    Some(old) if same(old, &l) => continue,
                    Some(_) => revised += 1,
                }
                // a missing commentary in a later file (a wide return repeating earlier
                // quarters) does not erase the stored one
                self.current.insert(key, l);
                changed.push((fi, oi, batch));
            }
            entry_of.push(fi);
            entries.push(JournalEntry {
                batch,
                file: f.file.to_string(),
                sha256: sha,
                imported_at: imported_at.clone(),
                user: whoami(),
                rows: f.observations.len(),
                new,
                revised,
                unchanged: f.observations.len() - new - revised,
                batch_file: None,
                batch_sha256: None,
            });
        }
        if entries.is_empty() {
            return Ok(outcomes.into_iter().flatten().collect());
        }
        if !changed.is_empty() {
            let sha = format!("{:x}", session_sha.finalize());
            let name = format!("{first:06}-{}.parquet", &sha[..12]);
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

fn whoami() -> String {
    ["LAA_USER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    // directories cannot be opened for syncing on every platform; where they can, sync
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn to_frame(files: &[FileIn], changed: &[(usize, usize, u64)], imported_at: &str) -> Result<DataFrame, PolarsError> {
    let obs = |&(f, o, _): &(usize, usize, u64)| &files[f].observations[o];
    let s = |f: &dyn Fn(&Observation) -> &str| changed.iter().map(|c| f(obs(c))).collect::<Vec<&str>>();
    let os =
        |f: &dyn Fn(&Observation) -> Option<&str>| changed.iter().map(|c| f(obs(c))).collect::<Vec<Option<&str>>>();
    let of = |f: &dyn Fn(&Observation) -> Option<f64>| changed.iter().map(|c| f(obs(c))).collect::<Vec<Option<f64>>>();
    // a batch holds few distinct periods: write each once
    let mut periods: HashMap<Period, String> = HashMap::new();
    for c in changed {
        let p = obs(c).period;
        periods.entry(p).or_insert_with(|| p.to_string());
    }
    DataFrame::new_infer_height(vec![
        Column::new("indicator".into(), s(&|o| &o.indicator)),
        Column::new("area".into(), s(&|o| &o.area)),
        Column::new("period".into(), changed.iter().map(|c| periods[&obs(c).period].as_str()).collect::<Vec<&str>>()),
        Column::new("value".into(), changed.iter().map(|c| obs(c).value).collect::<Vec<f64>>()),
        Column::new("numerator".into(), of(&|o| o.numerator)),
        Column::new("denominator".into(), of(&|o| o.denominator)),
        Column::new("commentary".into(), os(&|o| o.commentary.as_deref())),
        Column::new("action".into(), os(&|o| o.action.as_deref())),
        Column::new("self_rating".into(), os(&|o| o.self_rating.as_deref())),
        Column::new("quality".into(), os(&|o| o.quality.as_deref())),
        Column::new("file".into(), s(&|o| &o.loc.file)),
        Column::new("sheet".into(), os(&|o| o.loc.sheet.as_deref())),
        Column::new("cell".into(), s(&|o| &o.loc.cell)),
        Column::new("batch".into(), changed.iter().map(|c| c.2 as i64).collect::<Vec<i64>>()),
        Column::new("imported_at".into(), vec![imported_at; changed.len()]),
    ])
}

fn read_batch(path: &Path) -> Result<Vec<Record>, StoreError> {
    let pq = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let file = File::open(path).map_err(io(path))?;
    let df = ParquetReader::new(file).finish().map_err(pq)?;
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
    let damaged =
        |what: &str, i: usize| StoreError::Damaged(format!("{}: row {}: {what} is missing", path.display(), i + 1));
    // a batch holds few distinct periods: parse each once
    let mut periods: HashMap<String, Period> = HashMap::new();
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let need = |v: Option<&str>, what: &str| v.map(String::from).ok_or_else(|| damaged(what, i));
        let p = period.get(i).ok_or_else(|| damaged("period", i))?;
        let period = match periods.get(p) {
            Some(x) => *x,
            None => {
                let x = p.parse::<Period>().map_err(|e| StoreError::Damaged(format!("{}: {e}", path.display())))?;
                periods.insert(p.to_string(), x);
                x
            }
        };
        out.push(Record {
            obs: Observation {
                indicator: need(ind.get(i), "indicator")?,
                area: need(area.get(i), "area")?,
                period,
                value: value.get(i).ok_or_else(|| damaged("value", i))?,
                numerator: num.get(i),
                denominator: den.get(i),
                commentary: comm.get(i).map(String::from),
                action: action.get(i).map(String::from),
                self_rating: self_rating.as_ref().and_then(|c| c.get(i)).map(String::from),
                quality: quality.as_ref().and_then(|c| c.get(i)).map(String::from),
                loc: Loc {
                    file: need(file.get(i), "file")?,
                    sheet: sheet.get(i).map(String::from),
                    cell: need(cell.get(i), "cell")?,
                },
            },
            batch: batch.get(i).ok_or_else(|| damaged("batch", i))? as u64,
            imported_at: need(at.get(i), "imported_at")?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(value: f64, cell: &str) -> Observation {
        Observation {
            indicator: "NI 154".into(),
            area: "BLABY".into(),
            period: "2008/09 Q2".parse().unwrap(),
            value,
            numerator: None,
            denominator: Some(3.0),
            commentary: Some("<ok> & \"fine\"".into()),
            action: None,
            self_rating: Some("amber".into()),
            quality: None,
            loc: Loc { file: "returns/x.xlsx".into(), sheet: Some("Q2".into()), cell: cell.into() },
        }
    }

    fn one(session: &mut Session, file: &str, bytes: &[u8], o: &[Observation]) -> Outcome {
        let mut out = session.import(&[FileIn { file, bytes, observations: o }]).unwrap();
        assert_eq!(out.len(), 1);
        out.remove(0)
    }

    #[test]
    fn round_trip_idempotence_and_revisions() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(&dir.path().join("store"));
        let mut session = store.session().unwrap();
        let Outcome::Imported(e) = one(&mut session, "returns/x.xlsx", b"one", &[obs(10.0, "D5")]) else { panic!() };
        assert_eq!((e.new, e.revised), (1, 0));
        assert!(matches!(one(&mut session, "returns/x.xlsx", b"one", &[obs(10.0, "D5")]), Outcome::AlreadyImported(_)));
        let Outcome::Imported(e) = one(&mut session, "returns/y.xlsx", b"two", &[obs(10.0, "D5")]) else { panic!() };
        assert_eq!((e.unchanged, e.batch_file), (1, None));
        let Outcome::Imported(e) = one(&mut session, "returns/z.xlsx", b"three", &[obs(12.5, "E5")]) else { panic!() };
        assert_eq!(e.revised, 1);
        let records = store.records().unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].obs, obs(10.0, "D5"));
        let (current, read) = store.values().unwrap();
        assert_eq!((current.len(), read), (1, 2));
        assert_eq!(current.value[0], 12.5);
        assert_eq!(current.dicts.texts.get(current.commentary[0]), "<ok> & \"fine\"");
        assert_eq!(current.dicts.loc(current.src[0]).to_string(), "returns/x.xlsx: Q2!E5");
        assert_eq!(store.journal().unwrap().len(), 3);
    }

    #[test]
    fn one_session_one_batch_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(&dir.path().join("store"));
        let mut session = store.session().unwrap();
        let (a, b) = ([obs(1.0, "D5")], [Observation { area: "HARBOROUGH".into(), ..obs(2.0, "D6") }]);
        let files = [
            FileIn { file: "returns/a.xlsx", bytes: b"a", observations: &a },
            FileIn { file: "returns/a-copy.xlsx", bytes: b"a", observations: &a },
            FileIn { file: "returns/b.xlsx", bytes: b"b", observations: &b },
        ];
        let out = session.import(&files).unwrap();
        assert!(matches!(out[1], Outcome::AlreadyImported(_)), "the same bytes twice in one session: {out:?}");
        let journal = store.journal().unwrap();
        assert_eq!(journal.len(), 2);
        assert_eq!(journal[0].batch_file, journal[1].batch_file, "one batch for the session");
        assert_eq!(std::fs::read_dir(dir.path().join("store/batches")).unwrap().count(), 1);
        let (v, _) = store.values().unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v.batch, vec![1, 2], "each value keeps its own file's journal entry");
    }

    #[test]
    fn second_lock_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let _held = store.lock().unwrap();
        assert!(matches!(Store::new(dir.path()).lock(), Err(StoreError::Locked(_))));
    }
}
