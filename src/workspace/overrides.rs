//! Manual rating overrides: a sheet in the workspace (indicator, area, period, rating, reason,
//! author), kept beside the computed rating and never silently replacing it.

use std::path::Path;

use serde::Serialize;

use crate::domain::catalogue::{Catalogue, normalise_code};
use crate::domain::periods::Period;
use crate::domain::rag::Rag;
use crate::sheet::{self, Field, Problem, Problems};
use crate::workspace::Workspace;

#[derive(Debug, thiserror::Error)]
pub enum OverrideError {
    #[error(transparent)]
    Sheet(#[from] sheet::SheetError),
    #[error("{file}: no header row with columns Indicator, Area, Period, Rating, Reason, Author")]
    NoHeader { file: String },
    #[error("{0}\n(the overrides sheet has errors; fix the cells named above)")]
    Cells(Problems),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    pub indicator: String,
    pub area: String,
    pub period: Period,
    pub rating: Rag,
    pub reason: String,
    pub author: String,
    /// Where the reason is written (file!cell), for findings about it.
    #[serde(skip)]
    pub at: String,
}

const FIELDS: &[Field] = &[
    Field { key: "indicator", aliases: &["indicator", "NI", "NI ref", "code", "ref"], required: true },
    Field { key: "area", aliases: &["area", "district"], required: false },
    Field { key: "period", aliases: &["period", "quarter"], required: true },
    Field {
        key: "rating",
        aliases: &["rating", "override", "RAG", "override rating", "revised rating"],
        required: true,
    },
    Field { key: "reason", aliases: &["reason", "justification", "why"], required: true },
    Field { key: "author", aliases: &["author", "by", "officer", "agreed by"], required: true },
];

/// Read the workspace's overrides; none when the file does not exist.
pub fn load(ws: &Workspace, cat: &Catalogue) -> Result<Vec<Override>, OverrideError> {
    let path = ws.overrides_path();
    if !path.exists() {
        return Ok(Vec::new());
    }
    read(&path, &ws.label(&path), ws, cat)
}

pub fn read(path: &Path, label: &str, ws: &Workspace, cat: &Catalogue) -> Result<Vec<Override>, OverrideError> {
    let wb = sheet::read_workbook(path, label)?;
    let Some((sh, h)) = wb.sheets.iter().find_map(|s| sheet::find_header(s, FIELDS).map(|h| (s, h))) else {
        return Err(OverrideError::NoHeader { file: label.into() });
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for r in h.row + 1..sh.rows.len() {
        if sh.rows[r].iter().all(sheet::Cell::is_empty) {
            continue;
        }
        let text = |k: &str| h.col(k).map(|c| sh.cell(r, c).text()).unwrap_or_default();
        let mut bad =
            |k: &str, message: String| problems.push(Problem { loc: sh.loc(label, r, h.col(k).unwrap_or(0)), message });
        let indicator = normalise_code(&text("indicator")).filter(|c| cat.get(c).is_some());
        if indicator.is_none() {
            bad("indicator", format!("{:?} is not a known indicator", text("indicator")));
        }
        let area_text = text("area");
        let area = if area_text.is_empty() {
            Some(ws.county().code.clone())
        } else {
            ws.find_area(&area_text).map(|a| a.code.clone())
        };
        if area.is_none() {
            bad("area", format!("unknown area {area_text:?}"));
        }
        let period = text("period").parse::<Period>().map_err(|e| bad("period", e.to_string())).ok();
        let rating = Rag::parse(&text("rating"));
        if rating.is_none() {
            bad("rating", format!("{:?} is not a rating (red, amber, green or grey)", text("rating")));
        }
        for k in ["reason", "author"] {
            if text(k).is_empty() {
                bad(k, format!("an override needs its {k}"));
            }
        }
        if let (Some(indicator), Some(area), Some(period), Some(rating)) = (indicator, area, period, rating) {
            let at = sh.loc(label, r, h.col("reason").unwrap_or(0)).to_string();
            out.push(Override { indicator, area, period, rating, reason: text("reason"), author: text("author"), at });
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(OverrideError::Cells(Problems(problems))) }
}
