//! The append-only store: one immutable Parquet batch per import plus a journal that commits it;
//! revisions, history, an exclusive lock, and writes that are synced and renamed into place.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::{Column, DataFrame, ParquetReader, ParquetWriter, PolarsError, SerReader};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::periods::Period;
use crate::ingest::returns::Observation;
use crate::ingest::sheet::Loc;

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

    /// Every stored value in import order (later records revise earlier ones with the same key).
    pub fn records(&self) -> Result<Vec<Record>, StoreError> {
        let mut out = Vec::new();
        for entry in self.journal()? {
            if let Some(name) = &entry.batch_file {
                let path = self.dir.join(BATCHES).join(name);
                if !path.exists() {
                    return Err(StoreError::Damaged(format!(
                        "batch {} listed in the journal is missing",
                        path.display()
                    )));
                }
                out.extend(read_batch(&path)?);
            }
        }
        Ok(out)
    }

    /// The latest value of each key.
    pub fn current(&self) -> Result<BTreeMap<Key, Record>, StoreError> {
        Ok(latest(self.records()?))
    }

    /// Start an import session: take the exclusive lock and read the journal and the current
    /// values once, for any number of files.
    pub fn session(&self) -> Result<Session<'_>, StoreError> {
        let lock = self.lock()?;
        let journal = self.journal()?;
        let current = self.records()?.into_iter().map(|r| (r.key(), Latest::of(&r.obs))).collect();
        Ok(Session { store: self, _lock: lock, journal, current })
    }

    fn write_batch(&self, name: &str, records: &[Record]) -> Result<(), StoreError> {
        let dir = self.dir.join(BATCHES);
        let tmp = dir.join(format!(".{name}.tmp"));
        let path = dir.join(name);
        let mut df = to_frame(records).map_err(|source| StoreError::Parquet { path: path.clone(), source })?;
        let mut f = File::create(&tmp).map_err(io(&tmp))?;
        ParquetWriter::new(&mut f)
            .finish(&mut df)
            .map_err(|source| StoreError::Parquet { path: tmp.clone(), source })?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        failpoint("before-batch-rename")?;
        fs::rename(&tmp, &path).map_err(io(&path))?;
        sync_dir(&dir)
    }

    fn append_journal(&self, entry: &JournalEntry) -> Result<(), StoreError> {
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
        text.extend(serde_json::to_vec(entry).expect("journal entries serialise"));
        text.push(b'\n');
        let mut f = File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(&text).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        failpoint("before-journal-rename")?;
        fs::rename(&tmp, &path).map_err(io(&path))?;
        sync_dir(&self.dir)
    }
}

/// What an import compares a new value with: the latest stored value of its key.
#[derive(Debug, Clone, PartialEq)]
struct Latest {
    value: f64,
    numerator: Option<f64>,
    denominator: Option<f64>,
    commentary: Option<String>,
    action: Option<String>,
}

impl Latest {
    fn of(o: &Observation) -> Latest {
        Latest {
            value: o.value,
            numerator: o.numerator,
            denominator: o.denominator,
            commentary: o.commentary.clone(),
            action: o.action.clone(),
        }
    }
}

/// One import session: holds the lock, and keeps the journal and current values up to date as
/// each file is added.
pub struct Session<'a> {
    store: &'a Store,
    _lock: Lock,
    journal: Vec<JournalEntry>,
    current: HashMap<Key, Latest>,
}

impl Session<'_> {
    /// Import one validated return. The batch is written, synced and renamed first; the
    /// journal's atomic replacement commits it. A failure before that leaves the store as it was
    /// (an uncommitted batch file is ignored by readers).
    pub fn import(&mut self, file: &str, bytes: &[u8], observations: &[Observation]) -> Result<Outcome, StoreError> {
        let sha = sha256_hex(bytes);
        if let Some(e) = self.journal.iter().find(|e| e.sha256 == sha) {
            return Ok(Outcome::AlreadyImported(e.clone()));
        }
        let batch = self.journal.iter().map(|e| e.batch).max().unwrap_or(0) + 1;
        let imported_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let (mut new, mut revised) = (0, 0);
        let mut changed = Vec::new();
        for o in observations {
            match self.current.get(&(o.indicator.clone(), o.area.clone(), o.period)) {
                None => new += 1,
                Some(old) if same(old, o) => continue,
                Some(_) => revised += 1,
            }
            changed.push(Record { obs: o.clone(), batch, imported_at: imported_at.clone() });
        }
        let batch_file = if changed.is_empty() {
            None
        } else {
            let name = format!("{batch:06}-{}.parquet", &sha[..12]);
            self.store.write_batch(&name, &changed)?;
            Some(name)
        };
        failpoint("after-batch")?;
        let entry = JournalEntry {
            batch,
            file: file.to_string(),
            sha256: sha,
            imported_at,
            user: whoami(),
            rows: observations.len(),
            new,
            revised,
            unchanged: observations.len() - new - revised,
            batch_file,
        };
        self.store.append_journal(&entry)?;
        // committed: bring the session's view up to date
        for r in changed {
            self.current.insert(r.key(), Latest::of(&r.obs));
        }
        self.journal.push(entry.clone());
        Ok(Outcome::Imported(entry))
    }
}

/// Is the new observation the same as the stored one? A missing commentary or action in the new
/// one (a wide return repeats earlier quarters without their commentary) does not count as a change.
fn same(old: &Latest, new: &Observation) -> bool {
    let text_same = |o: &Option<String>, n: &Option<String>| n.is_none() || o == n;
    old.value == new.value
        && old.numerator == new.numerator
        && old.denominator == new.denominator
        && text_same(&old.commentary, &new.commentary)
        && text_same(&old.action, &new.action)
}

/// The last record of each key.
pub fn latest(mut records: Vec<Record>) -> BTreeMap<Key, Record> {
    // a stable sort keeps import order within a key, so the last of each run is the latest;
    // building the map from sorted input is much cheaper than inserting one by one
    records.sort_by(|a, b| {
        (a.obs.indicator.as_str(), a.obs.area.as_str(), a.obs.period).cmp(&(
            b.obs.indicator.as_str(),
            b.obs.area.as_str(),
            b.obs.period,
        ))
    });
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    for r in records {
        match out.last_mut() {
            Some(last)
                if last.obs.indicator == r.obs.indicator
                    && last.obs.area == r.obs.area
                    && last.obs.period == r.obs.period =>
            {
                *last = r
            }
            _ => out.push(r),
        }
    }
    out.into_iter().map(|r| (r.key(), r)).collect()
}

/// Test hook: `LAA_FAILPOINT=after-batch` (or `before-batch-rename`, `before-journal-rename`)
/// makes an import fail at that point, to prove a crash there leaves the store as it was.
fn failpoint(name: &'static str) -> Result<(), StoreError> {
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

fn to_frame(records: &[Record]) -> Result<DataFrame, PolarsError> {
    let s = |f: &dyn Fn(&Record) -> String| records.iter().map(f).collect::<Vec<String>>();
    let os = |f: &dyn Fn(&Record) -> Option<String>| records.iter().map(f).collect::<Vec<Option<String>>>();
    let of = |f: &dyn Fn(&Record) -> Option<f64>| records.iter().map(f).collect::<Vec<Option<f64>>>();
    DataFrame::new_infer_height(vec![
        Column::new("indicator".into(), s(&|r| r.obs.indicator.clone())),
        Column::new("area".into(), s(&|r| r.obs.area.clone())),
        Column::new("period".into(), s(&|r| r.obs.period.to_string())),
        Column::new("value".into(), records.iter().map(|r| r.obs.value).collect::<Vec<f64>>()),
        Column::new("numerator".into(), of(&|r| r.obs.numerator)),
        Column::new("denominator".into(), of(&|r| r.obs.denominator)),
        Column::new("commentary".into(), os(&|r| r.obs.commentary.clone())),
        Column::new("action".into(), os(&|r| r.obs.action.clone())),
        Column::new("file".into(), s(&|r| r.obs.loc.file.clone())),
        Column::new("sheet".into(), os(&|r| r.obs.loc.sheet.clone())),
        Column::new("cell".into(), s(&|r| r.obs.loc.cell.clone())),
        Column::new("batch".into(), records.iter().map(|r| r.batch as i64).collect::<Vec<i64>>()),
        Column::new("imported_at".into(), s(&|r| r.imported_at.clone())),
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
            loc: Loc { file: "returns/x.xlsx".into(), sheet: Some("Q2".into()), cell: cell.into() },
        }
    }

    #[test]
    fn round_trip_idempotence_and_revisions() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(&dir.path().join("store"));
        let mut session = store.session().unwrap();
        let first = session.import("returns/x.xlsx", b"one", &[obs(10.0, "D5")]).unwrap();
        let Outcome::Imported(e) = first else { panic!() };
        assert_eq!((e.new, e.revised), (1, 0));
        assert!(matches!(
            session.import("returns/x.xlsx", b"one", &[obs(10.0, "D5")]).unwrap(),
            Outcome::AlreadyImported(_)
        ));
        let Outcome::Imported(e) = session.import("returns/y.xlsx", b"two", &[obs(10.0, "D5")]).unwrap() else {
            panic!()
        };
        assert_eq!((e.unchanged, e.batch_file), (1, None));
        let Outcome::Imported(e) = session.import("returns/z.xlsx", b"three", &[obs(12.5, "E5")]).unwrap() else {
            panic!()
        };
        assert_eq!(e.revised, 1);
        let records = store.records().unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].obs, obs(10.0, "D5"));
        let current = store.current().unwrap();
        assert_eq!(current.values().next().unwrap().obs.value, 12.5);
        assert_eq!(store.journal().unwrap().len(), 3);
    }

    #[test]
    fn second_lock_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let _held = store.lock().unwrap();
        assert!(matches!(Store::new(dir.path()).lock(), Err(StoreError::Locked(_))));
    }
}
