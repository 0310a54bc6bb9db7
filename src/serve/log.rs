//! The server's request log: one json line per request in the workspace's `log/serve.jsonl`
//! (the time, the method, the address with any link's token left out, the answer's status and
//! time, whose link it was, the file kept and the outcome). Past [`MAX_BYTES`] the log is moved
//! to `serve.1.jsonl` and begun again, so it never grows without bound.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::App;

/// The size past which the log is begun again (the previous one is kept beside it).
pub const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// What a handler adds to its response for the log, beyond the status.
#[derive(Clone, Debug, Default)]
pub(crate) struct Logged {
    /// Whose link: a theme's code, "officer", or "unknown" for a token that is none.
    pub who: String,
    /// The file an upload was kept as (relative to the workspace).
    pub file: Option<String>,
    /// What became of it, in a few words.
    pub outcome: Option<String>,
}

impl Logged {
    pub fn who(who: &str) -> Logged {
        Logged { who: who.to_string(), ..Logged::default() }
    }
}

/// The log's file in a workspace.
pub fn path(ws_dir: &Path) -> PathBuf {
    ws_dir.join("log").join("serve.jsonl")
}

/// An address as logged: a link's token is never written down.
fn redact(path: &str) -> String {
    match path.strip_prefix("/l/") {
        Some(rest) => {
            let tail = rest.split_once('/').map_or("", |(_, t)| t);
            let tail: String = tail.chars().take(80).collect();
            if tail.is_empty() { "/l/…".to_string() } else { format!("/l/…/{tail}") }
        }
        None => path.chars().take(80).collect(),
    }
}

/// The middleware: answer, then write the line.
pub(crate) async fn requests(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let address = redact(req.uri().path());
    let start = Instant::now();
    let r = next.run(req).await;
    if address == "/style.css" {
        return r;
    }
    let logged = r.extensions().get::<Logged>().cloned().unwrap_or_default();
    let line = serde_json::json!({
        "time": chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false),
        "method": method,
        "path": address,
        "status": r.status().as_u16(),
        "ms": start.elapsed().as_millis() as u64,
        "who": if logged.who.is_empty() { None } else { Some(logged.who) },
        "file": logged.file,
        "outcome": logged.outcome,
    });
    let to = path(&app.ws_dir);
    let lock = app.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Err(e) = append(&to, &line.to_string()) {
        eprintln!("laa serve: {}: cannot log the request: {e}", to.display());
    }
    drop(lock);
    r
}

fn append(to: &Path, line: &str) -> std::io::Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if std::fs::metadata(to).is_ok_and(|m| m.len() + line.len() as u64 > MAX_BYTES) {
        std::fs::rename(to, to.with_file_name("serve.1.jsonl"))?;
    }
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(to)?;
    writeln!(f, "{line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_never_logged() {
        assert_eq!(redact("/l/0123456789abcdef0123456789abcdef"), "/l/…");
        assert_eq!(redact("/l/0123456789abcdef0123456789abcdef/upload"), "/l/…/upload");
        assert_eq!(redact("/nothing"), "/nothing");
    }

    #[test]
    fn the_log_is_begun_again_past_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let to = path(dir.path());
        let line = "x".repeat(1000);
        for _ in 0..(MAX_BYTES / 1000 + 10) {
            append(&to, &line).unwrap();
        }
        let now = std::fs::metadata(&to).unwrap().len();
        let before = std::fs::metadata(to.with_file_name("serve.1.jsonl")).unwrap().len();
        assert!(now <= MAX_BYTES && before <= MAX_BYTES && now > 0, "{now} {before}");
    }
}
