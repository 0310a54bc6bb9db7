//! The one import: find the files (the paths given, or the folder scan), read and check every one
//! (in parallel, reported in the files' order), and, when none is bad, store them all in one
//! session under the store's lock. `laa import`, `laa report` and the server call [`run`]; they
//! only print or render its [`Outcome`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::periods::Period;
use crate::ingest::returns::{self, IngestError, ReadReturn, SheetExplanation};
use crate::sheet::Problem;
use crate::store::import::{self as checks, Checked};
use crate::store::{Store, StoreError};
use crate::workspace::Workspace;
use crate::workspace::scan::{self, PassedOver};

use super::Loaded;

/// What the caller says about returns that do not say it themselves, and what is read.
#[derive(Debug, Clone, Default)]
pub struct Stated {
    /// `--period`: the quarter of a single-quarter form that names none.
    pub period: Option<Period>,
    /// `--area`: the area of a return that names none (checked against the workspace's areas).
    pub area: Option<String>,
    /// Comparator tables (`laa benchmark import`): read against the register of English
    /// authorities (this workspace of theirs) and kept in the comparator store.
    pub comparators: Option<Workspace>,
}

impl Stated {
    /// For comparator tables.
    pub fn benchmarks(l: &Loaded) -> Stated {
        Stated {
            comparators: Some(l.ws.for_comparators(crate::domain::authorities::Authorities::shipped())),
            ..Stated::default()
        }
    }

    /// What the files are checked against.
    pub fn context<'a>(&'a self, l: &'a Loaded) -> returns::Context<'a> {
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
    pub fn store(&self, l: &Loaded) -> Store {
        match &self.comparators {
            Some(_) => Store::new(&l.ws.benchmark_store_dir()),
            None => l.store(),
        }
    }

    /// What the files are called in messages.
    pub fn what(&self) -> &'static str {
        if self.comparators.is_some() { "comparator tables" } else { "returns" }
    }

    /// The folder read when no file is named.
    pub fn folder(&self, l: &Loaded) -> PathBuf {
        if self.comparators.is_some() { l.ws.benchmarks_dir() } else { l.ws.returns_dir() }
    }
}

/// One import asked for.
pub struct Request<'a> {
    /// The files (a folder stands for its scan); none: the folder of [`Stated::folder`].
    pub paths: &'a [PathBuf],
    pub stated: &'a Stated,
    /// Check only; store nothing.
    pub dry_run: bool,
    /// Only the files whose bytes the store has not imported yet (`laa report` imports first).
    pub new_only: bool,
    /// How long to wait for an import that holds the store's lock.
    pub lock_wait: Duration,
    /// Also say how each file was read (the reading `--explain` gives).
    pub explain: bool,
    /// Only this theme's indicators (a partner's upload): a file with values for another's is
    /// refused, naming them.
    pub theme: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// An import of these paths (or the folder), storing them, not waiting for the lock.
    pub fn new(paths: &'a [PathBuf], stated: &'a Stated) -> Request<'a> {
        Request {
            paths,
            stated,
            dry_run: false,
            new_only: false,
            lock_wait: Duration::ZERO,
            explain: false,
            theme: None,
        }
    }
}

/// How far the import has gone, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// This many files are about to be read.
    Start(usize),
    /// One more file was read.
    Read,
}

/// What became of one file.
#[derive(Debug)]
pub struct FileOutcome {
    pub path: PathBuf,
    /// The file's name in messages (relative to the workspace).
    pub label: String,
    pub read: FileRead,
    /// What the store made of it; none when nothing was stored (a dry run, or a bad file).
    pub stored: Option<Stored>,
    /// How each sheet was read, when asked for.
    pub explained: Option<Vec<SheetExplanation>>,
}

/// A file read and checked, or refused.
#[derive(Debug)]
pub enum FileRead {
    Checked {
        /// Values read.
        values: usize,
        /// Cells that said there is no value (n/a, suppressed, not yet due…).
        no_values: usize,
        /// Things worth saying that do not stop the import.
        warnings: Vec<Problem>,
    },
    /// Every problem, one per line, each naming its cell.
    Refused { message: String },
}

/// What the store did with a checked file.
#[derive(Debug, Clone)]
pub enum Stored {
    /// The same bytes were imported before: nothing changed.
    Already {
        batch: u64,
        imported_at: String,
    },
    Imported {
        rows: usize,
        new: usize,
        revised: usize,
        unchanged: usize,
        batch: u64,
    },
}

/// What an import did, file by file.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Files in a folder scanned that were not read, and why.
    pub passed_over: Vec<PassedOver>,
    /// Files already imported and so not read again ([`Request::new_only`]).
    pub known: usize,
    /// Every file read, in the order given (or the folder's, sorted).
    pub files: Vec<FileOutcome>,
    /// Warnings about the import as a whole (an old return sent again).
    pub resent: Vec<String>,
    /// Why the store refused the import (the lock is held, the disk is full); the store is as it
    /// was before.
    pub store_error: Option<StoreError>,
    /// The values read, kept until the caller lets them go (a command ends without freeing them).
    pub held: Vec<Checked>,
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no {what} to import in {folder} (looked for .xlsx, .xlsm, .xlsb, .xls, .ods, .csv and .txt files)")]
    NoFiles { what: &'static str, folder: String },
    #[error("{0}: no such file")]
    NoSuchFile(PathBuf),
    #[error("{folder}: cannot list: {error}")]
    CannotList { folder: String, error: std::io::Error },
    #[error("{0}: cannot read: {1}")]
    CannotRead(String, std::io::Error),
    #[error("{} errors (listed above); nothing was imported", if *.0 == 1 { "1 file has".to_string() } else { format!("{} files have", .0) })]
    Refused(usize),
    #[error("nothing was imported; the store is as it was before: {0}")]
    Store(StoreError),
}

impl Outcome {
    /// How many files were refused.
    pub fn refused(&self) -> usize {
        self.files.iter().filter(|f| matches!(f.read, FileRead::Refused { .. })).count()
    }

    /// Whether the files were stored (or found already stored).
    pub fn stored(&self) -> bool {
        self.files.iter().any(|f| f.stored.is_some())
    }

    /// The import's failure, if it had one: a bad file, or the store refusing it.
    pub fn failure(&mut self) -> Option<ImportError> {
        match self.refused() {
            0 => self.store_error.take().map(ImportError::Store),
            n => Some(ImportError::Refused(n)),
        }
    }
}

/// Import: find the files, check every one, and store them all when none is bad. An error is
/// returned when there is nothing to import; a bad file or a store that refuses is said in the
/// outcome ([`Outcome::failure`]), beside what every other file held.
pub fn run(l: &Loaded, req: &Request, progress: &(dyn Fn(Progress) + Sync)) -> Result<Outcome, ImportError> {
    let mut out = Outcome::default();
    let folder = req.stated.folder(l);
    let mut files = if req.paths.is_empty() {
        if req.new_only && !folder.is_dir() {
            return Ok(out);
        }
        scan_into(&folder, &mut out.passed_over)?
    } else {
        expand(req.paths, &mut out.passed_over)?
    };
    let store = req.stated.store(l);
    if req.new_only {
        let before = files.len();
        files = not_yet_imported(l, &store, files)?;
        out.known = before - files.len();
        if files.is_empty() {
            return Ok(out);
        }
    } else if files.is_empty() {
        return Err(ImportError::NoFiles { what: req.stated.what(), folder: l.ws.label(&folder) });
    }
    let ctx = req.stated.context(l);
    progress(Progress::Start(files.len()));
    let results = checks::check_files(&files, &|p| l.ws.label(p), &ctx, &|| progress(Progress::Read));
    for (path, r) in files.iter().zip(results) {
        let label = l.ws.label(path);
        let explained =
            if req.explain { returns::explain(path, &label, &ctx).ok().map(|(read, _)| read.explained) } else { None };
        let read = match r.and_then(|c| only_theme(l, req.theme, c)) {
            Ok(c) => {
                let read = FileRead::Checked {
                    values: c.values.len(),
                    no_values: c.no_values.len(),
                    warnings: c.warnings.clone(),
                };
                out.held.push(c);
                read
            }
            Err(refused) => FileRead::Refused { message: refused.message },
        };
        out.files.push(FileOutcome { path: path.clone(), label, read, stored: None, explained });
    }
    if req.stated.comparators.is_none() {
        out.resent = checks::resent(&l.store(), &out.held);
    }
    if out.refused() > 0 || req.dry_run {
        return Ok(out);
    }
    match checks::store_files(&store, &out.held, req.lock_wait) {
        Ok(stored) => {
            let checked = out.files.iter_mut().filter(|f| matches!(f.read, FileRead::Checked { .. }));
            for (f, s) in checked.zip(stored) {
                f.stored = Some(match s {
                    crate::store::Outcome::AlreadyImported(e) => {
                        Stored::Already { batch: e.batch, imported_at: e.imported_at }
                    }
                    crate::store::Outcome::Imported(e) => Stored::Imported {
                        rows: e.rows,
                        new: e.new,
                        revised: e.revised,
                        unchanged: e.unchanged,
                        batch: e.batch,
                    },
                });
            }
        }
        Err(e) => out.store_error = Some(e),
    }
    Ok(out)
}

/// A checked file, or, when the import is for one theme, refused if it holds values of
/// indicators that theme neither leads nor owes (each named once).
fn only_theme(l: &Loaded, theme: Option<&str>, c: Checked) -> Result<Checked, checks::Refused> {
    let Some(theme) = theme else { return Ok(c) };
    // its own: the indicators it leads, and those the agreement says it owes
    let ours = |code: &str| {
        l.agreement.targets.iter().any(|t| t.code == code && (t.theme == theme || t.owed_by.as_deref() == Some(theme)))
    };
    let mut others: Vec<&str> = Vec::new();
    for &id in &c.values.indicator {
        let code = c.values.dicts.indicators.get(id);
        if !ours(code) && !others.contains(&code) {
            others.push(code);
        }
    }
    if others.is_empty() {
        return Ok(c);
    }
    let name = l.ws.find_theme(theme).map_or(theme, |t| t.name.as_str());
    Err(checks::Refused {
        label: c.label.clone(),
        message: format!(
            "{}: holds values for {} that the {name} theme neither leads nor owes: {}; send only your own theme's indicators",
            c.label,
            if others.len() == 1 { "an indicator" } else { "indicators" },
            others.join(", ")
        ),
    })
}

/// What was read of a file with the problems that would stop its import, or why it cannot be read.
pub type Explained = Result<(ReadReturn, Vec<Problem>), IngestError>;

/// How each file is read, its values as they would be stored, and its problems (`laa import
/// --explain`); nothing is stored.
pub struct Explanations {
    pub passed_over: Vec<PassedOver>,
    /// Per file: its label, and what was read with the problems that would stop the import, or
    /// why it cannot be read at all.
    pub files: Vec<(String, Explained)>,
}

impl Explanations {
    /// How many files would be refused.
    pub fn refused(&self) -> usize {
        self.files.iter().filter(|(_, r)| r.as_ref().map_or(true, |(_, p)| !p.is_empty())).count()
    }
}

/// Explain how each file (or the folder's) would be read.
pub fn explain(l: &Loaded, paths: &[PathBuf], stated: &Stated) -> Result<Explanations, ImportError> {
    let mut passed_over = Vec::new();
    let files = if paths.is_empty() {
        scan_into(&stated.folder(l), &mut passed_over)?
    } else {
        expand(paths, &mut passed_over)?
    };
    let ctx = stated.context(l);
    let files = files
        .iter()
        .map(|path| {
            let label = l.ws.label(path);
            let read = returns::explain(path, &label, &ctx);
            (label, read)
        })
        .collect();
    Ok(Explanations { passed_over, files })
}

/// The files of a folder, sorted; every other file in it goes to `passed_over` with the reason.
fn scan_into(dir: &Path, passed_over: &mut Vec<PassedOver>) -> Result<Vec<PathBuf>, ImportError> {
    let found =
        scan::scan(dir).map_err(|error| ImportError::CannotList { folder: dir.display().to_string(), error })?;
    passed_over.extend(found.passed_over);
    Ok(found.files)
}

fn expand(paths: &[PathBuf], passed_over: &mut Vec<PassedOver>) -> Result<Vec<PathBuf>, ImportError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(scan_into(p, passed_over)?);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(ImportError::NoSuchFile(p.clone()));
        }
    }
    Ok(out)
}

/// The files whose bytes the store has not imported. A file past the size limit is never read
/// whole: it is kept, and the import refuses it by name.
fn not_yet_imported(l: &Loaded, store: &Store, files: Vec<PathBuf>) -> Result<Vec<PathBuf>, ImportError> {
    let known: std::collections::HashSet<String> =
        store.journal().map_err(ImportError::Store)?.into_iter().map(|e| e.sha256).collect();
    let most = l.ws.settings.limits.file_mb * 1_000_000;
    let mut new = Vec::new();
    for f in files {
        if std::fs::metadata(&f).map(|m| m.len() > most || !m.is_file()).unwrap_or(true) {
            new.push(f);
            continue;
        }
        let bytes = std::fs::read(&f).map_err(|e| ImportError::CannotRead(f.display().to_string(), e))?;
        if !known.contains(&crate::store::sha256_hex(&bytes)) {
            new.push(f);
        }
    }
    Ok(new)
}
