//! `laa priorities check|suggest`: coverage of the SCS priority outcomes by indicators, and
//! suggested indicators for weakly covered outcomes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rust_xlsxwriter::{Format as XFormat, Workbook};
use serde_json::{Value, json};

use super::{Loaded, say};
use crate::cli::output::{self, Format, Table, text};
use crate::workspace::priorities::{self, Check, Index};

pub fn check(l: &Loaded, format: Format, xlsx: Option<PathBuf>, chart: Option<PathBuf>, quiet: bool) -> Result<()> {
    let outcomes = priorities::load(&l.ws).context("reading the priorities mapping")?;
    let c = priorities::check(&outcomes, &l.catalogue, &l.agreement);
    let bytes = match format {
        Format::Json => {
            let mut b = serde_json::to_vec_pretty(&as_json(&c))?;
            b.push(b'\n');
            b
        }
        Format::Csv => findings_table(&c).render(Format::Csv),
        Format::Table => report_text(l, &c, outcomes.len()).into_bytes(),
    };
    output::print(&bytes)?;
    if let Some(p) = xlsx {
        crate::workspace::template::write_atomic(&p, &workbook(&c)?)
            .with_context(|| format!("{}: cannot write", p.display()))?;
        say(quiet, format!("wrote {}", p.display()));
    }
    if let Some(p) = chart {
        let (rows, columns, cells) = priorities::heatmap(&outcomes, &l.catalogue);
        let r = crate::report::chart::heatmap(&crate::report::chart::Heatmap { rows, columns, cells })?;
        write_chart(&p, &r)?;
        say(quiet, format!("wrote {}", p.display()));
    }
    Ok(())
}

/// Write a chart as PNG or SVG by the file's extension.
pub fn write_chart(p: &Path, r: &crate::report::chart::Rendered) -> Result<()> {
    let bytes = match p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png") => r.png.clone(),
        Some("svg") => r.svg.clone().into_bytes(),
        _ => bail!("{}: the chart file must end in .png or .svg", p.display()),
    };
    crate::workspace::template::write_atomic(p, &bytes).with_context(|| format!("{}: cannot write", p.display()))
}

fn as_json(c: &Check) -> Value {
    json!({
        "matrix": c.matrix.iter().map(|(t, o, i, laa, known)| json!({"theme": t, "outcome": o, "indicator": i, "in_laa": laa, "in_catalogue": known})).collect::<Vec<_>>(),
        "outcomes_without_indicators": c.outcomes_without_indicators.iter().map(|(t, o)| json!({"theme": t, "outcome": o})).collect::<Vec<_>>(),
        "outcomes_only_outside_laa": c.outcomes_only_outside_laa.iter().map(|(t, o)| json!({"theme": t, "outcome": o})).collect::<Vec<_>>(),
        "laa_indicators_unmapped": c.laa_indicators_unmapped,
        "unknown_indicators": c.unknown,
        "themes": c.themes,
        "nis_groups": c.groups,
    })
}

fn findings_table(c: &Check) -> Table {
    let mut t = Table::new(&["finding", "theme", "outcome", "indicator", "detail"]);
    for (th, o) in &c.outcomes_without_indicators {
        t.push(vec![text("outcome_without_indicators"), text(th), text(o), Value::Null, Value::Null]);
    }
    for (th, o) in &c.outcomes_only_outside_laa {
        t.push(vec![text("outcome_only_outside_laa"), text(th), text(o), Value::Null, Value::Null]);
    }
    for i in &c.laa_indicators_unmapped {
        t.push(vec![text("laa_indicator_unmapped"), Value::Null, Value::Null, text(i), Value::Null]);
    }
    for u in &c.unknown {
        let detail =
            format!("{}{}", u.cell, u.nearest.as_ref().map(|n| format!("; did you mean {n}?")).unwrap_or_default());
        t.push(vec![text("unknown_indicator"), text(&u.theme), text(&u.outcome), text(&u.indicator), text(detail)]);
    }
    t
}

fn report_text(l: &Loaded, c: &Check, n: usize) -> String {
    let mut s = format!(
        "{} — SCS priorities check: {n} priority outcomes, {} mappings\n\n",
        l.ws.settings.name,
        c.matrix.len()
    );
    let list = |s: &mut String, title: &str, items: Vec<String>| {
        *s += &format!("{title} ({}):\n", items.len());
        if items.is_empty() {
            *s += "  none\n";
        }
        for i in items {
            *s += &format!("  {i}\n");
        }
        s.push('\n');
    };
    list(
        &mut s,
        "Priority outcomes with no indicator",
        c.outcomes_without_indicators.iter().map(|(t, o)| format!("{t}: {o}")).collect(),
    );
    list(
        &mut s,
        "Priority outcomes covered only by indicators outside the LAA",
        c.outcomes_only_outside_laa.iter().map(|(t, o)| format!("{t}: {o}")).collect(),
    );
    list(
        &mut s,
        "LAA indicators that serve no priority outcome",
        c.laa_indicators_unmapped
            .iter()
            .map(|i| format!("{i} {}", l.catalogue.get(i).map_or("", |x| x.title.as_str())))
            .collect(),
    );
    list(
        &mut s,
        "References to indicators not in the catalogue",
        c.unknown
            .iter()
            .map(|u| {
                format!(
                    "{}: {} ({}: {}){}",
                    u.cell,
                    u.indicator,
                    u.theme,
                    u.outcome,
                    u.nearest.as_ref().map(|n| format!(" — did you mean {n}?")).unwrap_or_default()
                )
            })
            .collect(),
    );
    s += &coverage_tables(c);
    s
}

/// The coverage tables: by theme, by NIS group, and the outcome × indicator matrix.
fn coverage_tables(c: &Check) -> String {
    let mut s = String::new();
    let mut t = Table::new(&["theme", "outcomes", "outcomes_covered", "indicators", "laa_indicators"]);
    for th in &c.themes {
        t.push(vec![
            text(&th.theme),
            json!(th.outcomes),
            json!(th.outcomes_covered),
            json!(th.indicators),
            json!(th.laa_indicators),
        ]);
    }
    s += "Coverage by theme:\n";
    s += &String::from_utf8_lossy(&t.render(Format::Table));
    let mut g = Table::new(&["nis_group", "indicators", "mapped_to_a_priority"]);
    for gr in &c.groups {
        g.push(vec![text(&gr.group), json!(gr.indicators), json!(gr.mapped)]);
    }
    s += "\nHow much of each NIS group the SCS touches:\n";
    s += &String::from_utf8_lossy(&g.render(Format::Table));
    let mut m = Table::new(&["theme", "priority_outcome", "indicators"]);
    let mut seen: Vec<(String, String)> = Vec::new();
    for (th, o, ..) in &c.matrix {
        if !seen.contains(&(th.clone(), o.clone())) {
            seen.push((th.clone(), o.clone()));
        }
    }
    for (th, o) in &seen {
        let inds: Vec<String> = c
            .matrix
            .iter()
            .filter(|x| &x.0 == th && &x.1 == o)
            .map(|x| {
                format!(
                    "{}{}",
                    x.2,
                    if !x.4 {
                        " (unknown)"
                    } else if x.3 {
                        " [LAA]"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        m.push(vec![text(th), text(o), text(inds.join(", "))]);
    }
    s += "\nCoverage matrix ([LAA] marks indicators in the agreement):\n";
    s += &String::from_utf8_lossy(&m.render(Format::Table));
    s
}

fn workbook(c: &Check) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = XFormat::new().set_bold();
    let sheet = wb.add_worksheet().set_name("Coverage")?;
    for (i, h) in ["Theme", "Priority outcome", "Indicator", "In LAA", "In catalogue"].iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    for (r, (th, o, ind, laa, known)) in c.matrix.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, th)?;
        sheet.write_string(r, 1, o)?;
        sheet.write_string(r, 2, ind)?;
        sheet.write_boolean(r, 3, *laa)?;
        sheet.write_boolean(r, 4, *known)?;
    }
    sheet.set_column_width(1, 50)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, c.matrix.len().max(1) as u32, 4)?;
    let f = findings_table(c);
    let sheet = wb.add_worksheet().set_name("Findings")?;
    for (i, h) in f.fields.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    for (r, row) in f.rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            if let Some(s) = v.as_str() {
                sheet.write_string(r as u32 + 1, col as u16, s)?;
            }
        }
    }
    sheet.set_column_width(2, 50)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(wb.save_to_buffer()?)
}

pub fn suggest(l: &Loaded, outcome: Option<String>, top: usize, format: Format) -> Result<()> {
    let index = Index::new(&l.catalogue);
    let outcomes = priorities::load(&l.ws).context("reading the priorities mapping")?;
    let texts: Vec<(String, String)> = match outcome {
        Some(o) => vec![(String::new(), o)],
        None => {
            priorities::weak(&outcomes, &l.agreement).iter().map(|o| (o.theme.clone(), o.outcome.clone())).collect()
        }
    };
    let mut t = Table::new(&["theme", "outcome", "rank", "indicator", "title", "score", "in_laa"]);
    for (theme, o) in &texts {
        for (rank, (code, score)) in index.search(o, top).into_iter().enumerate() {
            let title = l.catalogue.get(&code).map_or(String::new(), |i| i.title.clone());
            t.push(vec![
                text(theme),
                text(o),
                json!(rank + 1),
                text(&code),
                text(title),
                json!((score * 1000.0).round() / 1000.0),
                json!(l.agreement.get(&code).is_some()),
            ]);
        }
    }
    if format == Format::Table {
        eprintln!(
            "suggested indicators for {} weakly covered outcome{} (TF-IDF similarity of titles and NIS groups)",
            texts.len(),
            if texts.len() == 1 { "" } else { "s" }
        );
    }
    output::print(&t.render(format))?;
    Ok(())
}
