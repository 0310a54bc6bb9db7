//! The one report: import any new returns (and comparator tables), assess the quarter, and write
//! the HTML report, the Excel workbook, data.csv, the Word board paper, the charts and (asked for)
//! the PDF into a report folder. Every output is written into a folder beside the target that takes
//! its place only when all are written: a report that fails leaves no half-written folder.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::Loaded;
use super::import::{self, Request, Stated};
use crate::assess::Assessment;
use crate::report::{self, Charts, Part, ReportData, write_file};

/// One output to write; it returns the paths it wrote.
type Job<'a> = Box<dyn Fn() -> Result<Vec<PathBuf>> + Send + Sync + 'a>;

/// A report asked for.
pub struct Options {
    pub period: Option<crate::domain::periods::Period>,
    /// The folder to write; none: `reports/<period>/` beside the workspace's repository.
    pub out: Option<PathBuf>,
    /// The folder that holds the report folders, when `out` is not given; none: [`default_dir`].
    pub root: Option<PathBuf>,
    /// The outputs to write; none: all of them.
    pub only: Vec<Part>,
    pub meeting_date: Option<String>,
    /// Also print the HTML to PDF with headless Chromium.
    pub pdf: bool,
    /// Which values the quarter is rated on (as reported by default).
    pub known: crate::assess::Known,
}

/// How long a report waits for an import that holds the store's lock.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// What a report's caller hears as it goes.
pub struct Events<'a> {
    /// An import of new files made before the report (returns, then comparator tables), with what
    /// was read; the report stops after it when the import stored nothing.
    pub imported: &'a dyn Fn(&Stated, &import::Outcome),
    /// Charts to draw (`Start`), and each one drawn.
    pub drawing: &'a (dyn Fn(import::Progress) + Sync),
}

/// A report written.
pub struct Made {
    /// The report folder.
    pub dir: PathBuf,
    /// Every path written, in one order: charts, HTML, workbook, data.csv, board paper, PDF.
    pub written: Vec<PathBuf>,
    /// The figures the report shows.
    pub data: ReportData,
    pub charts: Option<Charts>,
    /// Things worth saying that did not stop the report (grouped by the caller).
    pub warnings: Vec<String>,
    /// `--pdf` was asked for and no Chromium is installed: every other output was written.
    pub pdf_missing: bool,
}

/// Import what is new, assess the quarter and write the report folder.
pub fn make(l: &Loaded, o: &Options, on: &Events) -> Result<Made> {
    // fail before the work: an output folder that cannot be written is said before anything is
    // imported or drawn
    let root = o.root.clone().unwrap_or_else(|| default_dir(l));
    let out_root = o.out.clone().unwrap_or_else(|| root.clone());
    check_writable(&out_root)?;
    import_new(l, &Stated::default(), on)?;
    if l.ws.benchmarks_dir().is_dir() {
        import_new(l, &Stated::benchmarks(l), on)?;
    }
    // the returns as at the meeting: the report is the same from day to day
    let seen = seen_on(o.meeting_date.as_deref().or(l.ws.settings.meeting_date.as_deref()));
    let Quarter { a, returns, seen, mut warnings } = quarter(l, o.period, o.known, seen)?;
    let sources = l.store().journal()?;
    let generated_at = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    let mut data = ReportData::build(&l.ws, a, sources, generated_at, o.meeting_date.clone());
    (data.returns, data.returns_on) = (returns, Some(seen));
    warnings.extend(report::long_texts(&data));
    let dir = o.out.clone().unwrap_or_else(|| root.join(data.period.slug()));
    let wants = |p: Part| o.only.is_empty() || o.only.contains(&p);
    let cdir = dir.join("charts");
    if wants(Part::Charts) && std::fs::symlink_metadata(&cdir).is_ok_and(|m| m.file_type().is_symlink()) {
        anyhow::bail!("{}: a symbolic link; laa does not write through links in the output folder", cdir.display());
    }
    let work = staging(&dir)?;
    let made = write_outputs(l, &work, &data, o, &wants, on);
    let (written, charts, pdf_missing) = match made {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&work);
            return Err(e);
        }
    };
    if let Err(e) = publish(&work, &dir) {
        let _ = std::fs::remove_dir_all(&work);
        return Err(e);
    }
    let written = written.into_iter().map(|p| p.strip_prefix(&work).map_or(p.clone(), |rel| dir.join(rel))).collect();
    Ok(Made { dir, written, data, charts, warnings, pdf_missing: pdf_missing.is_some() })
}

/// A quarter as the report shows it: assessed (the county's previous quarter too, for what
/// changed), with its returns as seen on a day, and every stale rating whose return is owed
/// saying so.
pub struct Quarter {
    pub a: Assessment,
    pub returns: Vec<crate::assess::cycle::ReturnRow>,
    pub seen: chrono::NaiveDate,
    pub warnings: Vec<String>,
}

/// Assess `period` (none: the latest) as the report does, its returns seen on `seen`.
pub fn quarter(
    l: &Loaded,
    period: Option<crate::domain::periods::Period>,
    known: crate::assess::Known,
    seen: chrono::NaiveDate,
) -> Result<Quarter> {
    let mut a = Assessment::run(
        &l.ws,
        &l.catalogue,
        &l.agreement,
        period,
        crate::assess::Previous::County,
        known,
        crate::assess::Purpose::Report,
    )?;
    let mut warnings = a.warnings.clone();
    let ask = crate::assess::cycle::Ask { period: Some(a.period), theme: None };
    let returns = match crate::assess::cycle::returns(&l.ws, &l.catalogue, &l.agreement, &ask, seen) {
        Ok(rows) => rows,
        Err(e) => {
            warnings.push(format!("the returns this quarter are left out of the report: {e}"));
            Vec::new()
        }
    };
    say_missing_returns(&l.ws.county().code, &mut a.ratings, &returns, a.period);
    Ok(Quarter { a, returns, seen, warnings })
}

/// The date the returns are seen on: the meeting date (2009-11-30 or 30 November 2009), else today.
pub fn seen_on(meeting: Option<&str>) -> chrono::NaiveDate {
    let parse = |t: &str| {
        ["%Y-%m-%d", "%d %B %Y", "%d/%m/%Y"].iter().find_map(|f| chrono::NaiveDate::parse_from_str(t.trim(), f).ok())
    };
    meeting.and_then(parse).unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Every grey or stale rating (its value from before the quarter) whose value its return still
/// owes says so in its reason: "no return from the Safer Leicestershire Partnership; due 28 Oct
/// 2009, 33 days overdue".
fn say_missing_returns(
    county: &str,
    ratings: &mut [crate::assess::rating::Rating],
    returns: &[crate::assess::cycle::ReturnRow],
    period: crate::domain::periods::Period,
) {
    let owing: Vec<&crate::assess::cycle::ReturnRow> = returns.iter().filter(|r| r.owes()).collect();
    if owing.is_empty() {
        return;
    }
    for r in ratings.iter_mut() {
        let stale = r.rating == crate::domain::rag::Rag::Grey || r.value_period != Some(period);
        if !stale {
            continue;
        }
        // the county's value is derived from the districts' when they are what is owed
        let row = owing.iter().find(|row| {
            row.missing.iter().any(|o| o.indicator == r.indicator && (o.area == r.area || r.area == county))
        });
        if let Some(row) = row {
            r.reason = format!("{}; {}", r.reason, crate::assess::cycle::missing_note(row));
        }
    }
}

/// Import every file of the folder that its store does not hold yet; stop on any bad one.
fn import_new(l: &Loaded, stated: &Stated, on: &Events) -> Result<()> {
    let req = Request { new_only: true, lock_wait: LOCK_WAIT, ..Request::new(&[], stated) };
    let mut outcome = import::run(l, &req, &|_| {})?;
    (on.imported)(stated, &outcome);
    match outcome.failure() {
        None => Ok(()),
        Some(e @ import::ImportError::Store(_)) => {
            Err(e).with_context(|| format!("waited {} s for another import to finish", LOCK_WAIT.as_secs()))
        }
        Some(e) => Err(e.into()),
    }
}

type Written = (Vec<PathBuf>, Option<Charts>, Option<()>);

/// Write every output asked for into `dir` (the staging folder): the charts, the HTML, the
/// workbook, data.csv, the board paper and the PDF; the paths written, the charts, and whether
/// the PDF could not be printed for want of a browser.
fn write_outputs(
    l: &Loaded,
    dir: &Path,
    data: &ReportData,
    o: &Options,
    wants: &(dyn Fn(Part) -> bool + Sync),
    on: &Events,
) -> Result<Written> {
    let run_all = |jobs: &[Job]| -> Result<Vec<PathBuf>> {
        Ok(jobs.par_iter().map(|job| job()).collect::<Result<Vec<_>>>()?.into_iter().flatten().collect())
    };
    // the workbook and data.csv need no charts: they are written while the charts are drawn
    let table_jobs = table_outputs(dir, data, wants);
    let with_charts = || -> Result<(Option<Charts>, Vec<PathBuf>, Vec<PathBuf>)> {
        // charts are drawn only for the outputs that show them
        if !(o.pdf || [Part::Html, Part::Docx, Part::Charts].into_iter().any(wants)) {
            return Ok((None, Vec::new(), Vec::new()));
        }
        (on.drawing)(import::Progress::Start(Charts::count(data)));
        let charts = Charts::render(data, &l.ws, &l.catalogue, &l.agreement, &|| (on.drawing)(import::Progress::Read))?;
        let (before, after) = {
            let (before, after) = chart_outputs(dir, data, &charts, wants)?;
            rayon::join(|| run_all(&before), || run_all(&after))
        };
        Ok((Some(charts), before?, after?))
    };
    let (drawn, tables) = rayon::join(with_charts, || run_all(&table_jobs));
    drop(table_jobs);
    let (charts, before, after) = drawn?;
    // listed in one order: charts, HTML, workbook, data.csv, board paper
    let mut written: Vec<PathBuf> = before.into_iter().chain(tables?).chain(after).collect();
    let pdf_missing = if o.pdf {
        let charts = charts.as_ref().expect("drawn for the pdf");
        match print_pdf(dir, data, charts, wants(Part::Html))? {
            Some(p) => {
                written.push(p);
                None
            }
            None => Some(()),
        }
    } else {
        None
    };
    Ok((written, charts, pdf_missing))
}

/// A new, empty folder beside `dir` for the outputs to be written into.
fn staging(dir: &Path) -> Result<PathBuf> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("{}: cannot create", parent.display()))?;
    let name = dir.file_name().map_or("report".into(), |n| n.to_string_lossy().into_owned());
    let work = parent.join(format!(".{name}.laa-{}.tmp", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir(&work).with_context(|| format!("{}: cannot create", work.display()))?;
    Ok(work)
}

/// Put the finished outputs in place: the staging folder is renamed to the target when there is
/// none yet; otherwise each output is moved into it (replacing what was there, never writing
/// through a link), so that a folder with other files keeps them.
fn publish(work: &Path, dir: &Path) -> Result<()> {
    if std::fs::symlink_metadata(dir).is_err() {
        return std::fs::rename(work, dir)
            .with_context(|| format!("{}: cannot put the report in place", dir.display()));
    }
    for entry in std::fs::read_dir(work)? {
        let entry = entry?;
        let target = dir.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
                anyhow::bail!(
                    "{}: a symbolic link; laa does not write through links in the output folder",
                    target.display()
                );
            }
            std::fs::create_dir_all(&target)?;
            for inner in std::fs::read_dir(entry.path())? {
                let inner = inner?;
                std::fs::rename(inner.path(), target.join(inner.file_name()))?;
            }
        } else {
            std::fs::rename(entry.path(), &target)
                .with_context(|| format!("{}: cannot put in place", target.display()))?;
        }
    }
    let _ = std::fs::remove_dir_all(work);
    Ok(())
}

/// The outputs made without the charts: the workbook and `data.csv`.
fn table_outputs<'a>(dir: &Path, data: &'a ReportData, wants: &(dyn Fn(Part) -> bool + Sync)) -> Vec<Job<'a>> {
    let mut table_jobs: Vec<Job> = Vec::new();
    if wants(Part::Xlsx) {
        let p = dir.join("ssog-report.xlsx");
        table_jobs.push(Box::new(move || {
            write_file(&p, &report::xlsx::render(data).context("building the workbook")?)?;
            Ok(vec![p.clone()])
        }));
        let csv = dir.join("data.csv");
        table_jobs.push(Box::new(move || {
            // streamed: a national picture is ~80 MB of csv
            report::write_file_with(&csv, |f| data.write_data_csv(f))?;
            Ok(vec![csv.clone()])
        }));
    }
    table_jobs
}

/// The outputs made from the charts: the chart files and the HTML page (listed before the
/// workbook), and the board paper (after it). Each file is complete when it appears.
fn chart_outputs<'a>(
    dir: &Path,
    data: &'a ReportData,
    charts: &'a Charts,
    wants: &dyn Fn(Part) -> bool,
) -> Result<(Vec<Job<'a>>, Vec<Job<'a>>)> {
    let (mut before, mut after): (Vec<Job>, Vec<Job>) = (Vec::new(), Vec::new());
    if wants(Part::Charts) {
        let cdir = dir.join("charts");
        if std::fs::symlink_metadata(&cdir).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!("{}: a symbolic link; laa does not write through links in the output folder", cdir.display());
        }
        before.push(Box::new(move || {
            let mut all: Vec<(String, &crate::report::chart::Rendered)> =
                charts.trends.iter().map(|(stem, _, c)| (stem.clone(), c)).collect();
            all.push(("rag-by-theme".into(), &charts.rag));
            if let Some(r) = &charts.reward {
                all.push(("reward".into(), r));
            }
            if let Some(r) = &charts.coverage {
                all.push(("priorities-coverage".into(), r));
            }
            all.par_iter().try_for_each(|(stem, c)| {
                write_file(&cdir.join(format!("{stem}.png")), &c.png)?;
                write_file(&cdir.join(format!("{stem}.svg")), c.svg.as_bytes())
            })?;
            Ok(vec![cdir.clone()])
        }));
    }
    if wants(Part::Html) {
        let p = dir.join("ssog-report.html");
        before.push(Box::new(move || {
            write_file(&p, report::html::render(data, charts).as_bytes())?;
            Ok(vec![p.clone()])
        }));
    }
    if wants(Part::Docx) {
        let p = dir.join("board-paper.docx");
        after.push(Box::new(move || {
            let bytes = report::docx::render(data, charts).map_err(report::ReportError::Docx)?;
            write_file(&p, &bytes)?;
            Ok(vec![p.clone()])
        }));
    }
    Ok((before, after))
}

/// The browser that prints the PDF: `LAA_CHROMIUM`, else the first Chromium or Chrome on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LAA_CHROMIUM").map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .find_map(|n| std::env::split_paths(&path).map(|d| d.join(n)).find(|p| p.is_file()))
}

/// Print the HTML report to `ssog-report.pdf` with headless Chromium (the print stylesheet sets
/// A4 and the page breaks). `None` when no Chromium is installed.
fn print_pdf(dir: &Path, data: &ReportData, charts: &Charts, html_written: bool) -> Result<Option<PathBuf>> {
    let Some(browser) = chromium() else { return Ok(None) };
    let html = dir.join("ssog-report.html");
    let page = if html_written {
        html
    } else {
        let p = dir.join(format!(".ssog-report.{}.print.html", std::process::id()));
        write_file(&p, report::html::render(data, charts).as_bytes())?;
        p
    };
    let out = dir.join("ssog-report.pdf");
    let tmp = dir.join(format!(".ssog-report.{}.pdf.tmp", std::process::id()));
    let profile = dir.join(format!(".chromium-profile-{}", std::process::id()));
    let page_url = format!("file://{}", std::fs::canonicalize(&page)?.display());
    let mut child = std::process::Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", tmp.display()))
        .arg(&page_url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", browser.display()))?;
    // a browser that hangs is stopped rather than waited on for ever
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break Some(s);
        }
        if started.elapsed() > std::time::Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let _ = std::fs::remove_dir_all(&profile);
    if !html_written {
        let _ = std::fs::remove_file(&page);
    }
    let printed = std::fs::read(&tmp).ok().filter(|b| b.starts_with(b"%PDF"));
    let _ = std::fs::remove_file(&tmp);
    match (status, printed) {
        (Some(s), Some(bytes)) if s.success() => {
            write_file(&out, &bytes)?;
            Ok(Some(out))
        }
        (None, _) => anyhow::bail!("{} did not finish printing the PDF within 3 minutes", browser.display()),
        _ => {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            anyhow::bail!(
                "{} could not print the PDF: {}",
                browser.display(),
                err.lines().last().unwrap_or("no message")
            )
        }
    }
}

/// `reports/` beside the workspace's repository: the current directory's when it has one, else
/// the workspace's own.
pub fn default_dir(l: &Loaded) -> PathBuf {
    let here = Path::new("reports");
    if here.is_dir() { here.to_path_buf() } else { l.ws.dir.join("reports") }
}

/// Whether files can be written in `dir` (or, when it does not exist yet, in the nearest folder
/// above it that does): a probe file is made and removed.
fn check_writable(dir: &Path) -> Result<()> {
    let existing = dir.ancestors().find(|d| d.as_os_str().is_empty() || d.exists()).unwrap_or(dir);
    let existing = if existing.as_os_str().is_empty() { Path::new(".") } else { existing };
    if !existing.is_dir() {
        anyhow::bail!("{}: cannot write the report there: {} is not a folder", dir.display(), existing.display());
    }
    let probe = existing.join(format!(".laa-write-check-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .with_context(|| format!("{}: cannot write the report there (nothing was imported or drawn)", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}
