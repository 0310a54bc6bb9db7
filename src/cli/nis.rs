//! `laa nis list|show|import`.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::cli::output::{self, Format, Table, json_of, text};
use crate::domain::catalogue::{Catalogue, Indicator, WORKSPACE_FILE};
use crate::workspace::Workspace;

const FIELDS: &[&str] = &["indicator", "title", "theme", "polarity", "unit", "frequency", "measure_type"];

fn row(i: &Indicator) -> Vec<Value> {
    vec![
        text(&i.code),
        text(&i.title),
        text(&i.theme),
        json_of(&i.polarity),
        text(&i.unit),
        json_of(&i.frequency),
        json_of(&i.measure_type),
    ]
}

pub fn list(cat: &Catalogue, theme: Option<&str>, format: Format) -> Result<()> {
    let mut t = Table::new(FIELDS);
    let wanted = theme.map(crate::sheet::norm);
    for i in cat.iter().filter(|i| wanted.as_ref().is_none_or(|w| crate::sheet::norm(&i.theme) == *w)) {
        t.push(row(i));
    }
    if t.rows.is_empty()
        && let Some(theme) = theme
    {
        let mut themes: Vec<_> = cat.iter().map(|i| i.theme.as_str()).collect();
        themes.dedup();
        anyhow::bail!("no indicators in theme {theme:?}; themes are: {}", themes.join(", "));
    }
    output::print(&t.render(format))?;
    Ok(())
}

pub fn show(cat: &Catalogue, code: &str, format: Format) -> Result<()> {
    let i = cat.find(code)?;
    let mut t = Table::new(FIELDS);
    t.push(row(i));
    let bytes = match format {
        Format::Table => FIELDS
            .iter()
            .zip(row(i))
            .map(|(f, v)| format!("{:<13} {}\n", f.replace('_', " "), v.as_str().unwrap_or_default()))
            .collect::<String>()
            .into_bytes(),
        other => t.render(other),
    };
    output::print(&bytes)?;
    Ok(())
}

pub fn import(ws: &Workspace, file: &Path, quiet: bool) -> Result<()> {
    let label = file.display().to_string();
    let cat = Catalogue::import(file, &label).context("nothing was changed")?;
    anyhow::ensure!(!cat.is_empty(), "{label}: no indicators found; nothing was changed");
    // the agreement's indicators must still be there
    let mut missing = Vec::new();
    if ws.agreement_path().exists() {
        let agreement = crate::workspace::agreement::Agreement::load(ws, &mut Catalogue::for_workspace(&ws.dir)?)?;
        missing.extend(
            agreement
                .targets
                .iter()
                .filter(|t| t.code.starts_with("NI ") && cat.get(&t.code).is_none())
                .map(|t| t.code.clone()),
        );
    }
    anyhow::ensure!(
        missing.is_empty(),
        "{label} lacks indicators the agreement uses ({}); nothing was changed",
        missing.join(", ")
    );
    let dest = ws.dir.join(WORKSPACE_FILE);
    crate::workspace::template::write_atomic(&dest, cat.to_csv().as_bytes())?;
    super::say(
        quiet,
        format!(
            "{} indicators written to {}; this workspace now uses them instead of the shipped catalogue",
            cat.len(),
            dest.display()
        ),
    );
    Ok(())
}
