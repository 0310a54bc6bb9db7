//! `laa template agreement|priorities|return`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::{Loaded, say};
use crate::domain::periods::Period;
use crate::workspace::template;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    Agreement,
    Priorities,
    Return,
}

pub fn run(
    l: &Loaded,
    kind: Kind,
    out: Option<PathBuf>,
    theme: Option<String>,
    period: Option<String>,
    quiet: bool,
) -> Result<()> {
    let (bytes, default_name) = match kind {
        Kind::Agreement => (template::agreement_template(&l.ws)?, "agreement.xlsx".to_string()),
        Kind::Priorities => (template::priorities_template(&l.ws)?, "priorities.xlsx".to_string()),
        Kind::Return => {
            let Some(theme) = theme else { bail!("a return template needs --theme (one of: {})", themes(l)) };
            let Some(t) = l.ws.find_theme(&theme) else { bail!("unknown theme {theme:?} (themes: {})", themes(l)) };
            let period: Period =
                period.context("a return template needs --period, e.g. --period \"2009/10 Q3\"")?.parse()?;
            let owed = crate::assess::cycle::owed(&l.ws, &l.catalogue, &l.agreement, &t.code, period);
            let rows: Vec<template::TemplateRow> = owed
                .iter()
                .map(|o| template::TemplateRow { indicator: &o.indicator, area: &o.area_name, period: o.period })
                .collect();
            if rows.is_empty() {
                say(quiet, format!("note: the {} theme owes nothing in {period}", t.code));
            }
            let bytes = template::return_template(&l.ws, &l.catalogue, &t.code, period, &rows)?;
            (bytes, format!("{}-{}.xlsx", t.code, period.slug()))
        }
    };
    let path = out.unwrap_or_else(|| PathBuf::from(default_name));
    template::write_atomic(&path, &bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    say(quiet, format!("wrote {}", path.display()));
    Ok(())
}

fn themes(l: &Loaded) -> String {
    l.ws.settings.themes.iter().map(|t| t.code.as_str()).collect::<Vec<_>>().join(", ")
}
