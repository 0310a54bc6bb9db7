//! Secret links: one per theme and one for the officers, each a random 128-bit token from the
//! operating system's generator. The workspace keeps only each token's SHA-256 (in
//! `store/links.json`), so a link is shown once, when it is made; reissuing one replaces it at
//! once. A presented token is compared with every kept hash in constant time.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::workspace::Workspace;

/// Who a link is for: a theme's code, or `officer`.
pub const OFFICER: &str = "officer";

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{0}: cannot read the links: {1}")]
    Read(String, String),
    #[error("{0}: cannot write the links: {1}")]
    Write(String, std::io::Error),
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
    #[error("{0:?} is neither a theme of partnership.toml ({1}) nor \"officer\"")]
    Unknown(String, String),
}

/// A link kept: whom it is for, the SHA-256 of its token, and when it was made.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Kept {
    pub who: String,
    pub sha256: String,
    pub made: String,
}

/// A link made now, with its token (shown once).
#[derive(Debug, Clone)]
pub struct Made {
    pub who: String,
    pub token: String,
}

fn path(ws: &Workspace) -> PathBuf {
    ws.store_dir().join("links.json")
}

/// The links kept (none when there is no file yet).
pub fn kept(ws: &Workspace) -> Result<Vec<Kept>, LinkError> {
    let p = path(ws);
    match std::fs::read_to_string(&p) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| LinkError::Read(ws.label(&p), e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(LinkError::Read(ws.label(&p), e.to_string())),
    }
}

fn save(ws: &Workspace, links: &[Kept]) -> Result<(), LinkError> {
    let p = path(ws);
    let text = serde_json::to_string_pretty(links).expect("links serialise");
    crate::workspace::template::write_atomic(&p, text.as_bytes()).map_err(|e| LinkError::Write(ws.label(&p), e))
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> Result<String, LinkError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| LinkError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Everyone a link may be for: each theme, then the officers.
fn everyone(ws: &Workspace) -> Vec<String> {
    let mut all: Vec<String> = ws.settings.themes.iter().map(|t| t.code.clone()).collect();
    all.push(OFFICER.into());
    all
}

/// Make a link for each theme and for the officers that has none; the links made.
pub fn make_missing(ws: &Workspace) -> Result<Vec<Made>, LinkError> {
    let mut links = kept(ws)?;
    let mut made = Vec::new();
    for who in everyone(ws) {
        if links.iter().any(|k| k.who == who) {
            continue;
        }
        let token = new_token()?;
        links.push(Kept { who: who.clone(), sha256: hash(&token), made: chrono::Utc::now().to_rfc3339() });
        made.push(Made { who, token });
    }
    save(ws, &links)?;
    Ok(made)
}

/// A new link for `who` (a theme's code, name or partnership, or `officer`); the old one stops
/// working at once.
pub fn reissue(ws: &Workspace, who: &str) -> Result<Made, LinkError> {
    let who = if who.eq_ignore_ascii_case(OFFICER) {
        OFFICER.to_string()
    } else {
        match ws.find_theme(who) {
            Some(t) => t.code.clone(),
            None => return Err(LinkError::Unknown(who.to_string(), everyone(ws).join(", "))),
        }
    };
    let mut links = kept(ws)?;
    links.retain(|k| k.who != who);
    let token = new_token()?;
    links.push(Kept { who: who.clone(), sha256: hash(&token), made: chrono::Utc::now().to_rfc3339() });
    save(ws, &links)?;
    Ok(Made { who, token })
}

/// Whom a presented token is for: its hash compared with every kept hash in constant time (no
/// early exit, the same work for a match or none).
pub fn who(ws: &Workspace, presented: &str) -> Result<Option<String>, LinkError> {
    let h = hash(presented);
    let mut found = None;
    for k in kept(ws)? {
        if constant_time_eq(h.as_bytes(), k.sha256.as_bytes()) && found.is_none() {
            found = Some(k.who);
        }
    }
    Ok(found)
}

/// Whether two byte strings are equal, taking the same time for any two of one length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_when_every_byte_is() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        let t = new_token().unwrap();
        assert_eq!(t.len(), 32, "128 bits in hex");
        assert_ne!(t, new_token().unwrap());
    }
}
