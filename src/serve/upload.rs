//! An upload: the file streamed (never past the workspace's file limit: 413), kept under a name
//! `laa` makes (theme, the quarter it reports, the time and a random suffix; the uploaded name is
//! never a path), checked and imported by the same call as `laa import` restricted to the
//! theme's own indicators, kept in `returns/` (the store's sources name it there) and moved to `rejected/` when refused
//! (422, every problem cell by cell). With `Accept: application/json` the answer is the outcome
//! as json.

use std::path::PathBuf;

use std::sync::Arc;
use tokio::io::AsyncWriteExt;

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::log::Logged;
use super::{App, links, pages};
use crate::domain::periods::Period;
use crate::pipeline::Loaded;
use crate::pipeline::import::{self, FileRead, Request, Stated, Stored};

/// The formats an upload may be.
const FORMATS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "txt"];

/// How long an upload waits for the store's lock held by another import.
const UPLOAD_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// What a partner sent: the quarter chosen, and the file, streamed into `incoming/` under a
/// name `laa` made (never held whole in memory).
struct Sent {
    period: Option<String>,
    ext: Option<String>,
}

/// The part file of an upload, removed when dropped unless it was kept.
struct Part(PathBuf);

impl Drop for Part {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub(crate) async fn upload(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let (l, who) = match super::who(&app, &token) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let whose = who.clone();
    let mut r = answer(&app, l, who, &headers, multipart).await;
    let logged = r.extensions_mut().remove::<Logged>().unwrap_or_default();
    super::tagged(r, Logged { who: whose, ..logged })
}

/// The upload read, checked and imported, and the answer.
async fn answer(app: &App, l: Loaded, who: String, headers: &HeaderMap, multipart: Multipart) -> Response {
    let json = headers.get("accept").and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"));
    let limit = l.ws.settings.limits.file_mb * 1_000_000;
    // the body is read before any answer, so that the client hears it
    let incoming = l.ws.dir.join("incoming");
    let part = Part(incoming.join(format!(".upload-{}.part", random_hex())));
    let sent = match read(multipart, limit, &part.0).await {
        Ok(s) => s,
        Err((status, why)) => return refuse(json, status, &why),
    };
    if who == links::OFFICER {
        return refuse(
            json,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the officers' link sends no returns: use a theme's link",
        );
    }
    let Some(ext) = sent.ext.filter(|e| FORMATS.contains(&e.as_str())) else {
        return refuse(
            json,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the file is not a spreadsheet laa reads (.xlsx, .xlsm, .xlsb, .xls, .ods, .csv or .txt)",
        );
    };
    let period = match sent.period.as_deref().map(str::parse::<Period>) {
        None => pages::current_quarter(&l),
        Some(Ok(p @ Period::Quarter { .. })) if pages::quarters(&l).contains(&p) => p,
        Some(_) => {
            return refuse(
                json,
                StatusCode::UNPROCESSABLE_ENTITY,
                "the quarter chosen is not a quarter of the agreement",
            );
        }
    };
    super::blocking(app, move || import_upload(&l, &who, period, &ext, part, json))
        .await
        .unwrap_or_else(|| refuse(json, StatusCode::INTERNAL_SERVER_ERROR, "the import failed"))
}

/// The multipart body: the `file` field streamed into `part` up to `limit` bytes, and the
/// `period` field.
async fn read(mut multipart: Multipart, limit: u64, part: &std::path::Path) -> Result<Sent, (StatusCode, String)> {
    let mut sent = Sent { period: None, ext: None };
    let (mut got_file, mut over, mut size) = (false, false, 0u64);
    let cannot_keep = |e: std::io::Error| {
        eprintln!("laa serve: {}: cannot keep the upload: {e}", part.display());
        (StatusCode::INTERNAL_SERVER_ERROR, "the upload could not be kept".to_string())
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) if over => break,
            Err(e) => return Err((e.status(), too_large_or(e.status(), &e.body_text(), limit))),
        };
        match field.name() {
            Some("period") => sent.period = field.text().await.ok().map(|t| t.trim().chars().take(40).collect()),
            Some("file") if !got_file => {
                got_file = true;
                // only the extension of the uploaded name is used, to choose the reader
                sent.ext = field
                    .file_name()
                    .and_then(|n| n.rsplit_once('.'))
                    .map(|(_, e)| e.to_ascii_lowercase())
                    .filter(|e| e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()));
                if let Some(dir) = part.parent() {
                    tokio::fs::create_dir_all(dir).await.map_err(cannot_keep)?;
                }
                let mut out =
                    tokio::fs::OpenOptions::new().write(true).create_new(true).open(part).await.map_err(cannot_keep)?;
                let mut field = field;
                loop {
                    match field.chunk().await {
                        // past the limit, the rest is read and dropped (up to the body limit, twice
                        // this), so that the client is still listening when it is answered
                        Ok(Some(_)) if over => {}
                        Ok(Some(chunk)) if size + chunk.len() as u64 > limit => over = true,
                        Ok(Some(chunk)) => {
                            size += chunk.len() as u64;
                            out.write_all(&chunk).await.map_err(cannot_keep)?;
                        }
                        Ok(None) => break,
                        Err(_) if over => break,
                        Err(e) => return Err((e.status(), too_large_or(e.status(), &e.body_text(), limit))),
                    }
                }
                out.sync_all().await.map_err(cannot_keep)?;
            }
            _ => {}
        }
    }
    if over {
        return Err((StatusCode::PAYLOAD_TOO_LARGE, too_large_or(StatusCode::PAYLOAD_TOO_LARGE, "", limit)));
    }
    if !got_file || size == 0 {
        return Err((StatusCode::UNPROCESSABLE_ENTITY, "no file was sent (the form's field is \"file\")".into()));
    }
    Ok(sent)
}

fn too_large_or(status: StatusCode, text: &str, limit: u64) -> String {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!("the file is larger than this workspace's limit of {} MB", limit / 1_000_000)
    } else {
        format!("the upload could not be read: {text}")
    }
}

/// A name `laa` makes for an upload: the theme, the quarter it reports (the store keeps the
/// quarter a return reported from its name), the time and a random suffix.
fn upload_name(theme: &str, period: Period, ext: &str) -> String {
    let suffix = random_hex();
    let slug = period.slug().to_ascii_lowercase();
    format!("{theme}-{slug}-upload-{}-{suffix}.{ext}", chrono::Utc::now().format("%Y%m%dT%H%M%S"))
}

/// Eight random hexadecimal digits, for names no one can guess or collide with.
fn random_hex() -> String {
    let mut r = [0u8; 4];
    let _ = getrandom::fill(&mut r);
    r.iter().map(|b| format!("{b:02x}")).collect()
}

/// Keep the upload in `incoming/`, import it, then move it to `returns/` (stored) or `rejected/`.
fn import_upload(l: &Loaded, theme: &str, period: Period, ext: &str, part: Part, json: bool) -> Response {
    let name = upload_name(theme, period, ext);
    // kept in returns/ under its name before the import, so that the store's sources name the
    // file where it stays (the store reads the quarter from the name); moved to rejected/ if
    // refused, removed if it cannot be imported at all
    let path = l.ws.dir.join("returns").join(&name);
    let kept = std::fs::rename(&part.0, &path);
    let path_guard = Part(path.clone());
    if let Err(e) = kept {
        eprintln!("laa serve: {}: cannot keep the upload: {e}", path.display());
        return refuse(json, StatusCode::INTERNAL_SERVER_ERROR, "the upload could not be kept");
    }
    let stated = Stated { period: Some(period), ..Stated::default() };
    let paths = [path.clone()];
    let req = Request {
        theme: Some(theme),
        explain: true,
        // uploads sent at once wait their turn at the store's lock
        lock_wait: UPLOAD_LOCK_WAIT,
        ..Request::new(&paths, &stated)
    };
    let mut outcome = match import::run(l, &req, &|_| {}) {
        Ok(o) => o,
        Err(e @ import::ImportError::Store(_)) => {
            eprintln!("laa serve: {}: {e}", path.display());
            return refuse(json, StatusCode::SERVICE_UNAVAILABLE, &format!("{e}; send it again in a minute"));
        }
        Err(e) => return refuse(json, StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    };
    // from here the file is kept: in returns/, or moved to rejected/ when refused
    std::mem::forget(path_guard);
    let failure = outcome.failure();
    let mut folder = "returns";
    if failure.is_some() {
        let to: PathBuf = l.ws.dir.join("rejected").join(&name);
        match std::fs::create_dir_all(l.ws.dir.join("rejected")).and_then(|()| std::fs::rename(&path, &to)) {
            Ok(()) => folder = "rejected",
            Err(e) => eprintln!("laa serve: {}: cannot move the upload to rejected/: {e}", path.display()),
        }
    }
    let file = outcome.files.first();
    // each problem names its cell; the file is the partner's own, under the name laa gave it
    let kept_as = format!("returns/{name}: ");
    let said: Vec<String> = match file.map(|f| &f.read) {
        Some(FileRead::Refused { message }) => vec![message.clone()],
        _ => failure.iter().map(ToString::to_string).collect(),
    };
    let problems: Vec<String> = said
        .iter()
        .flat_map(|p| p.lines())
        .map(|p| p.strip_prefix(&kept_as).map_or(p.to_string(), |rest| format!("your file: {rest}")))
        .collect();
    let stored = file.and_then(|f| f.stored.clone());
    let status =
        if problems.is_empty() && failure.is_none() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let sheets = file.and_then(|f| f.explained.clone()).unwrap_or_default();
    respond(Answer { file: format!("{folder}/{name}"), period, status, stored, problems, sheets }, json)
}

/// What an upload came to, to answer with.
struct Answer {
    /// Where it was kept, relative to the workspace.
    file: String,
    period: Period,
    status: StatusCode,
    stored: Option<Stored>,
    problems: Vec<String>,
    sheets: Vec<crate::ingest::returns::SheetExplanation>,
}

/// The answer as json or as a page, with what the request log says of it.
fn respond(a: Answer, json: bool) -> Response {
    let Answer { file, period, status, stored, problems, sheets } = a;
    let logged = Logged {
        file: Some(file.clone()),
        outcome: Some(match (&stored, problems.len()) {
            (Some(Stored::Imported { rows, .. }), _) => format!("imported, {rows} values"),
            (Some(Stored::Already { .. }), _) => "already imported".into(),
            (None, n) => format!("refused, {n} problem{}", if n == 1 { "" } else { "s" }),
        }),
        ..Logged::default()
    };
    if json {
        let (state, counts) = match &stored {
            Some(Stored::Imported { rows, new, revised, unchanged, batch }) => (
                "imported",
                serde_json::json!({"rows": rows, "new": new, "revised": revised, "unchanged": unchanged, "batch": batch}),
            ),
            Some(Stored::Already { batch, .. }) => ("already_imported", serde_json::json!({"batch": batch})),
            None => ("refused", serde_json::Value::Null),
        };
        let body = serde_json::json!({
            "file": file,
            "period": period.to_string(),
            "state": state,
            "stored": counts,
            "problems": problems,
            "sheets": sheets,
        });
        return super::tagged(json_response(status, &body), logged);
    }
    let body = html! {
        @if status == StatusCode::OK {
            h1 { "Thank you: your return is in" }
            @match &stored {
                Some(Stored::Imported { rows, new, revised, unchanged, .. }) => p { (rows) " values read: " (new) " new, " (revised) " revised, " (unchanged) " unchanged." },
                Some(Stored::Already { .. }) => p { "This file was sent before: nothing changed." },
                None => p {},
            }
            h2 { "How it was read" }
            @for s in &sheets {
                h3 { "Sheet " (s.sheet) ": " (s.layout) }
                @if !s.reading.is_empty() { p { (s.reading) } }
                @if !s.columns.is_empty() {
                    table class="reading" {
                        thead { tr { th { "Column" } th { "Heading" } th { "Read as" } } }
                        tbody { @for (col, head, what) in &s.columns { tr { td { (col) } td { (head) } td { (what) } } } }
                    }
                }
                @if !s.ignored.is_empty() {
                    p { "Numbers not read as values:" }
                    ul class="ignored" { @for (cell, why) in &s.ignored { li { (cell) ": " (why) } } }
                }
            }
        } @else {
            h1 { "Your return was not taken" }
            p { "Nothing was stored. Correct these cells and send it again:" }
            ul class="problems" { @for p in &problems { li { (p) } } }
        }
    };
    super::tagged((status, pages::layout("Your return", body)).into_response(), logged)
}

fn refuse(json: bool, status: StatusCode, why: &str) -> Response {
    let r = if json {
        json_response(status, &serde_json::json!({"state": "refused", "problems": [why]}))
    } else {
        (status, pages::message("Your return was not taken", why)).into_response()
    };
    super::tagged(r, Logged { outcome: Some(why.chars().take(200).collect()), ..Logged::default() })
}

fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    (status, [(axum::http::header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}
