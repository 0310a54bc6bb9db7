//! The officers' side of `laa serve`: their page (every theme's returns for the quarter, the
//! county's ratings with their badges and reasons as the report gives them, and the report's
//! state), the button that makes the report (one at a time; its progress shown while it runs,
//! then its result), and the latest report and its files, the report under a policy of its own.

use std::path::{Path as FsPath, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Local};
use maud::{Markup, html};

use super::{App, links, pages};
use crate::assess::rating::Rating;
use crate::domain::numbers::fmt_value;
use crate::pipeline::Loaded;
use crate::pipeline::import::Progress;
use crate::pipeline::report::{self as pipeline, Events, Quarter};
use crate::report::Counts;

/// The files of a report folder the officers may download, and their types. Nothing else in a
/// report folder (or anywhere) is reachable by name.
const FILES: &[(&str, &str)] = &[
    ("ssog-report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("board-paper.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("data.csv", "text/csv; charset=utf-8"),
];

/// The largest report page the server will send (a national report is a few megabytes).
const REPORT_MAX: u64 = 64 * 1024 * 1024;

/// The report the server makes: at most one at a time.
#[derive(Default)]
pub(crate) struct Job {
    running: Option<Running>,
    last: Option<Finished>,
}

struct Running {
    started: DateTime<Local>,
    step: String,
}

struct Finished {
    at: DateTime<Local>,
    result: Result<Summary, String>,
}

struct Summary {
    period: String,
    headline: String,
    files: usize,
    warnings: Vec<String>,
}

/// Where the server's reports go: the workspace's own `reports/`.
fn reports_root(l: &Loaded) -> PathBuf {
    l.ws.dir.join("reports")
}

/// The newest report folder under `reports/` that holds a report page (links are not followed).
fn latest_report(l: &Loaded) -> Option<PathBuf> {
    let entries = std::fs::read_dir(reports_root(l)).ok()?;
    entries
        .filter_map(Result::ok)
        // a report being written is in a hidden folder beside its place
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) && !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let page = e.path().join("ssog-report.html");
            let meta = std::fs::symlink_metadata(&page).ok().filter(std::fs::Metadata::is_file)?;
            Some((meta.modified().ok()?, e.path()))
        })
        .max()
        .map(|(_, dir)| dir)
}

/// The officers' page.
pub(crate) fn page(l: &Loaded, token: &str, job: &Mutex<Job>) -> Response {
    let seen = pages::seen(l);
    let quarter = pipeline::quarter(l, None, crate::assess::Known::AsReported, seen);
    let (mut returns, ratings_part) = match quarter {
        Ok(q) => {
            let part = ratings(l, &q);
            (q.returns, part)
        }
        Err(e) => {
            let ask = crate::assess::cycle::Ask { period: Some(pages::current_quarter(l)), theme: None };
            let rows = crate::assess::cycle::returns(&l.ws, &l.catalogue, &l.agreement, &ask, seen).unwrap_or_default();
            (rows, html! { p { "No ratings yet: " (format!("{e:#}")) } })
        }
    };
    crate::assess::cycle::worst_first(&mut returns);
    let (job_part, refresh) = report_part(l, token, job);
    let body = html! {
        h1 { (l.ws.settings.name) ": the quarter" }
        h2 { "The report" }
        (job_part)
        h2 { "Returns" }
        p { "Seen on " (seen.format("%-d %B %Y").to_string()) ". " (pages::cycle_summary(&returns)) }
        (pages::returns_table(&returns, true))
        h2 { "Ratings" }
        (ratings_part)
    };
    pages::layout_with("The quarter", refresh, body).into_response()
}

/// The county's ratings, as the report gives them: the headline counts, then each indicator's
/// badge and reason (one list makes both).
fn ratings(l: &Loaded, q: &Quarter) -> Markup {
    let county = &l.ws.county().code;
    let mut rows: Vec<&Rating> = q.a.ratings.iter().filter(|r| &r.area == county).collect();
    crate::assess::sort_for_reading(&l.ws, &mut rows);
    let c = Counts::of(rows.iter().copied());
    let val = |v: Option<f64>, unit: &str| v.map_or("–".to_string(), |v| fmt_value(v, unit));
    html! {
        p class="headline" {
            (l.ws.county().name) ", " (q.a.period.to_string()) ": "
            (c.green) " green, " (c.amber) " amber, " (c.red_text()) ", " (c.grey) " grey."
        }
        table class="ratings" {
            thead { tr { th { "Theme" } th { "Indicator" } th { "Actual" } th { "Target" } th { "Rating" } th { "Reason" } } }
            tbody {
                @for r in &rows {
                    tr {
                        td { (theme_name(l, &r.theme)) }
                        td { (r.indicator) " " (r.title) }
                        td { (val(r.actual, &r.unit)) }
                        td { (val(r.target, &r.unit)) }
                        td { span class={ "rag rag-" (r.effective_rating.name()) } { (r.effective_rating.letter()) " " (r.effective_rating.name()) } }
                        td { (r.reason) }
                    }
                }
            }
        }
    }
}

fn theme_name(l: &Loaded, code: &str) -> String {
    l.ws.find_theme(code).map_or(code.to_string(), |t| t.name.clone())
}

/// The report's part of the page, and whether the page should look again in a moment.
fn report_part(l: &Loaded, token: &str, job: &Mutex<Job>) -> (Markup, bool) {
    let job = job.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let latest = latest_report(l);
    let when = |t: &DateTime<Local>| t.format("%-d %B %Y %H:%M:%S").to_string();
    let part = html! {
        @if let Some(r) = &job.running {
            p class="running" { "A report is being made (started " (when(&r.started)) "): " (r.step) ". This page looks again every two seconds." }
        } @else {
            form method="post" action={ "/l/" (token) "/report" } {
                button type="submit" { "Make the report" }
                " Imports any new returns first, then writes the HTML, the workbook, data.csv, the board paper and the charts."
            }
        }
        @if let Some(f) = &job.last {
            @match &f.result {
                Ok(s) => p class="made" { "Made at " (when(&f.at)) ": the report for " (s.period) ", " (s.files) " files. " (s.headline) }
                Err(e) => p class="failed" { "The report made at " (when(&f.at)) " failed: " (e) }
            }
            @if let Ok(s) = &f.result { @if !s.warnings.is_empty() {
                ul class="warnings" { @for w in &s.warnings { li { (w) } } }
            } }
        }
        @if let Some(dir) = &latest {
            p {
                "The latest report (" (dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()) "): "
                a href={ "/l/" (token) "/report" } { "open it" }
                @for (name, _) in FILES { @if dir.join(name).is_file() { ", " a href={ "/l/" (token) "/report/" (name) } { (name) } } }
                "."
            }
        } @else {
            p { "No report has been made in this workspace yet." }
        }
    };
    (part, job.running.is_some())
}

/// The officers' token, or the 404 any other gets.
#[allow(clippy::result_large_err)] // the refusal is the response itself
fn officer(app: &App, token: &str) -> Result<Loaded, Response> {
    match super::who(app, token)? {
        (l, who) if who == links::OFFICER => Ok(l),
        (_, who) => Err(super::tagged(super::not_found_now(), super::log::Logged::who(&who))),
    }
}

/// POST `{link}/report`: start the report unless one is being made, and go back to the page.
pub(crate) async fn make(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    let l = match officer(&app, &token) {
        Ok(l) => l,
        Err(r) => return r,
    };
    {
        let mut job = app.job.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if job.running.is_some() {
            return (
                StatusCode::CONFLICT,
                pages::message("A report is being made", "One report at a time: go back to see it finish."),
            )
                .into_response();
        }
        job.running = Some(Running { started: Local::now(), step: "starting".into() });
    }
    let app2 = Arc::clone(&app);
    tokio::task::spawn_blocking(move || run_report(&l, &app2.job));
    Redirect::to(&format!("/l/{token}")).into_response()
}

/// Make the report as `laa report` does, into the workspace's `reports/`, telling `job` how far
/// it has gone and then how it ended.
fn run_report(l: &Loaded, job: &Mutex<Job>) {
    let step = |s: String| {
        if let Some(r) = job.lock().unwrap_or_else(std::sync::PoisonError::into_inner).running.as_mut() {
            r.step = s;
        }
    };
    let drawn = std::sync::atomic::AtomicUsize::new(0);
    let total = std::sync::atomic::AtomicUsize::new(0);
    let imported = |_: &crate::pipeline::import::Stated, o: &crate::pipeline::import::Outcome| {
        step(format!("read {} new file{}", o.files.len(), if o.files.len() == 1 { "" } else { "s" }));
    };
    let drawing = |p: Progress| {
        use std::sync::atomic::Ordering::Relaxed;
        match p {
            Progress::Start(n) => total.store(n, Relaxed),
            Progress::Read => {
                drawn.fetch_add(1, Relaxed);
            }
        }
        step(format!("drawing the charts, {} of {}", drawn.load(Relaxed), total.load(Relaxed)));
    };
    let options = pipeline::Options {
        period: None,
        out: None,
        root: Some(reports_root(l)),
        only: Vec::new(),
        meeting_date: None,
        pdf: false,
        known: crate::assess::Known::AsReported,
    };
    let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pipeline::make(l, &options, &Events { imported: &imported, drawing: &drawing })
    }));
    let result = match made {
        Ok(Ok(m)) => {
            let c = &m.data.counts;
            Ok(Summary {
                period: m.data.period.to_string(),
                headline: format!("{} green, {} amber, {}, {} grey.", c.green, c.amber, c.red_text(), c.grey),
                files: m.written.len(),
                warnings: m.warnings,
            })
        }
        Ok(Err(e)) => Err(format!("{e:#}")),
        Err(_) => Err("the report stopped on an internal error".into()),
    };
    if let Err(e) = &result {
        eprintln!("laa serve: the report failed: {e}");
    }
    let mut job = job.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    job.running = None;
    job.last = Some(Finished { at: Local::now(), result });
}

/// GET `{link}/report`: the latest report page, under a policy that lets only its own script
/// run (by hash) and fetches nothing.
pub(crate) async fn latest(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    let l = match officer(&app, &token) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let Some(dir) = latest_report(&l) else { return super::not_found_now() };
    let Some(bytes) = read_bounded(&dir.join("ssog-report.html")) else { return super::not_found_now() };
    let mut r = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&crate::report::html::content_security_policy()) {
        r.headers_mut().insert("content-security-policy", v);
    }
    r
}

/// GET `{link}/report/{file}`: one of the latest report's files, as a download.
pub(crate) async fn download(State(app): State<Arc<App>>, Path((token, file)): Path<(String, String)>) -> Response {
    let l = match officer(&app, &token) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let Some((name, kind)) = FILES.iter().find(|(n, _)| *n == file) else { return super::not_found_now() };
    let Some(dir) = latest_report(&l) else { return super::not_found_now() };
    let Some(bytes) = read_bounded(&dir.join(name)) else { return super::not_found_now() };
    let period: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect())
        .unwrap_or_default();
    let disposition = format!("attachment; filename=\"{period}-{name}\"");
    ([(header::CONTENT_TYPE, (*kind).to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

/// A regular file (not a link) of at most [`REPORT_MAX`] bytes.
fn read_bounded(path: &FsPath) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > REPORT_MAX {
        return None;
    }
    std::fs::read(path).ok()
}
