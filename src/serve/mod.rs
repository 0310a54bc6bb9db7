//! `laa serve`: a small web server on the library, loopback by default. Each theme and the
//! officers have a secret link ([`links`]); a partner's page says what the theme owes and when,
//! offers the return form, takes an upload and answers at once, cell by cell, through the same
//! import as `laa import` ([`crate::pipeline::import`]); the officers' page shows the quarter's
//! returns. Pages work without JavaScript, escape everything they show (maud) and are served
//! under a strict content security policy.

pub mod links;
mod log;
mod officer;
mod pages;
mod upload;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::pipeline::Loaded;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0} is not a loopback address: serving beyond this machine needs --public")]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("the server stopped: {0}")]
    Stopped(std::io::Error),
}

/// What every request is served from: the workspace's folder, read afresh per request (links
/// made while the server runs work at once).
pub(crate) struct App {
    pub ws_dir: PathBuf,
    /// The report the officers' button makes, one at a time.
    pub job: std::sync::Mutex<officer::Job>,
    /// Held while a line is added to the request log.
    pub log: std::sync::Mutex<()>,
    /// A permit for each request that reads or imports (as many as the cores).
    pub work: tokio::sync::Semaphore,
}

/// Run `f` (the library's work: reading the workspace, importing) on a blocking thread once a
/// permit is free, so that requests sent at once queue rather than all run together.
pub(crate) async fn blocking<T: Send + 'static>(app: &App, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _permit = app.work.acquire().await.ok()?;
    tokio::task::spawn_blocking(f).await.ok()
}

/// A response with what the request log says of it.
pub(crate) fn tagged(mut r: Response, logged: log::Logged) -> Response {
    r.extensions_mut().insert(logged);
    r
}

/// Serve the workspace in `ws_dir` on `bind` until stopped; `ready` is told the address bound
/// (the port, when 0 was asked for).
pub fn run(ws_dir: PathBuf, bind: SocketAddr, public: bool, ready: &dyn Fn(SocketAddr)) -> Result<(), ServeError> {
    if !bind.ip().is_loopback() && !public {
        return Err(ServeError::NotLoopback(bind));
    }
    let limit = Loaded::open(&ws_dir).map_or(50, |l| l.ws.settings.limits.file_mb) as usize * 1_000_000;
    // a rayon worker that waits for a stolen job runs other requests' jobs meanwhile, nesting
    // them on its stack: the workers get room for that (touched only as used)
    let _ = rayon::ThreadPoolBuilder::new().stack_size(64 * 1024 * 1024).build_global();
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let app = Arc::new(App {
        ws_dir,
        job: std::sync::Mutex::default(),
        log: std::sync::Mutex::default(),
        work: tokio::sync::Semaphore::new(cores),
    });
    let router = Router::new()
        .route("/", get(not_found))
        .route("/style.css", get(pages::style))
        .route("/l/{token}", get(page))
        .route("/l/{token}/template", get(template))
        .route("/l/{token}/upload", post(upload::upload))
        .route("/l/{token}/report", get(officer::latest).post(officer::make))
        .route("/l/{token}/report/{file}", get(officer::download))
        .fallback(not_found)
        // twice the file limit: a file past the limit is read and dropped (the upload answers 413
        // itself); a body past this is cut off
        .layer(DefaultBodyLimit::max(2 * limit + 64 * 1024))
        .layer(axum::middleware::map_response(secure_headers))
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&app), log::requests))
        .with_state(app);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // an import runs on a blocking thread: it gets the stack a command's main thread has
        .thread_stack_size(8 * 1024 * 1024)
        .enable_all()
        .build()
        .map_err(ServeError::Stopped)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| ServeError::Bind(bind, e))?;
        ready(listener.local_addr().map_err(ServeError::Stopped)?);
        axum::serve(listener, router).await.map_err(ServeError::Stopped)
    })
}

/// Every response: a strict policy (no script, nothing from elsewhere), no sniffing, no referrer
/// (a link's token is in its address), not framed.
async fn secure_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    // the report page comes with a policy of its own (its script by hash)
    if !h.contains_key("content-security-policy") {
        set(
            h,
            "content-security-policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        );
    }
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "no-referrer");
    set(h, "x-frame-options", "DENY");
    set(h, "cache-control", "no-store");
    r
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, pages::message("Not found", "There is nothing at this address.")).into_response()
}

/// Whom a token is for, with the workspace read; a wrong or revoked token is logged and answered
/// 404, as any unknown address is.
#[allow(clippy::result_large_err)] // the refusal is the response itself, made once per request
pub(crate) fn who(app: &App, token: &str) -> Result<(Loaded, String), Response> {
    let l = Loaded::open(&app.ws_dir).map_err(|e| {
        eprintln!("laa serve: the workspace cannot be read: {e:#}");
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::message("Unavailable", "The workspace cannot be read; tell the performance team."),
        )
            .into_response()
    })?;
    let token_ok = token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit());
    match links::who(&l.ws, token) {
        Ok(Some(who)) if token_ok => Ok((l, who)),
        Ok(_) => {
            eprintln!(
                "laa serve: refused a link that is not one (…{})",
                token.chars().rev().take(4).collect::<String>()
            );
            Err(tagged(not_found_now(), log::Logged::who("unknown")))
        }
        Err(e) => {
            eprintln!("laa serve: {e}");
            Err(tagged(not_found_now(), log::Logged::who("unknown")))
        }
    }
}

pub(crate) fn not_found_now() -> Response {
    (StatusCode::NOT_FOUND, pages::message("Not found", "There is nothing at this address.")).into_response()
}

async fn page(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    let (l, who) = match who(&app, &token) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let app = Arc::clone(&app);
    let logged = log::Logged::who(&who);
    let app2 = Arc::clone(&app);
    let r = blocking(&app, move || {
        if who == links::OFFICER { officer::page(&l, &token, &app2.job) } else { pages::home(&l, &who, &token) }
    })
    .await
    .unwrap_or_else(not_found_now);
    tagged(r, logged)
}

async fn template(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    let (l, who) = match who(&app, &token) {
        Ok(x) => x,
        Err(r) => return r,
    };
    if who == links::OFFICER {
        return tagged(not_found_now(), log::Logged::who(&who));
    }
    let logged = log::Logged { outcome: Some("the form".into()), ..log::Logged::who(&who) };
    let r = blocking(&app, move || form(&l, &who)).await.unwrap_or_else(not_found_now);
    tagged(r, logged)
}

/// The theme's return form for the quarter, pre-filled with what it owes.
fn form(l: &Loaded, who: &str) -> Response {
    let period = pages::current_quarter(l);
    let owed = crate::assess::cycle::owed(&l.ws, &l.catalogue, &l.agreement, who, period);
    let rows: Vec<crate::workspace::template::TemplateRow> = owed
        .iter()
        .map(|o| crate::workspace::template::TemplateRow {
            indicator: &o.indicator,
            area: &o.area_name,
            period: o.period,
        })
        .collect();
    match crate::workspace::template::return_template(&l.ws, &l.catalogue, who, period, &rows) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{who}-{}.xlsx\"", period.slug())),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            eprintln!("laa serve: the return form: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, pages::message("Unavailable", "The form cannot be made."))
                .into_response()
        }
    }
}
