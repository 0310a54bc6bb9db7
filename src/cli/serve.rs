//! `laa serve` and `laa serve links`: the web server on the library, and its secret links.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::say;
use crate::cli::output::{self, Format, Table, text};
use crate::serve::links;

/// `laa serve`: serve until stopped; the address is printed when the server listens.
pub fn run(ws_dir: PathBuf, bind: &str, public: bool, quiet: bool) -> Result<()> {
    let addr: SocketAddr =
        bind.parse().with_context(|| format!("--bind {bind:?} is not an address (e.g. 127.0.0.1:8080)"))?;
    // the workspace must open before anything is served
    super::Loaded::open(&ws_dir)?;
    if public && !addr.ip().is_loopback() {
        say(
            false,
            format!(
                "warning: serving on {addr}, beyond this machine: anyone who can reach it and holds a link can send returns"
            ),
        );
    }
    crate::serve::run(ws_dir, addr, public, &|at| {
        let mut out = std::io::stdout();
        let _ = writeln!(out, "listening on http://{at}");
        let _ = out.flush();
        say(quiet, "laa serve: `laa serve links` makes each theme's link; stop with Ctrl-C");
    })?;
    Ok(())
}

/// `laa serve links [--reissue WHO]`: the links made now (each shown once).
pub fn links(l: &super::Loaded, base: &str, reissue: Option<&str>, format: Format) -> Result<()> {
    let made = match reissue {
        Some(who) => vec![links::reissue(&l.ws, who)?],
        None => links::make_missing(&l.ws)?,
    };
    let base = base.trim_end_matches('/');
    let url = |m: &links::Made| format!("{base}/l/{}", m.token);
    if format == Format::Json {
        let out: Vec<serde_json::Value> =
            made.iter().map(|m| serde_json::json!({"who": m.who, "url": url(m)})).collect();
        return Ok(output::print(format!("{}\n", serde_json::to_string_pretty(&out)?).as_bytes())?);
    }
    if made.is_empty() {
        say(false, "every theme and the officers have a link already (`--reissue WHO` makes a new one)");
        return Ok(());
    }
    let mut t = Table::new(&["who", "url"]);
    for m in &made {
        t.push(vec![text(&m.who), text(url(m))]);
    }
    output::print(&t.render(format))?;
    say(false, "each link is shown once: laa keeps only its hash");
    Ok(())
}
