//! `laa agreement check`: the agreement's rules, each finding at its row.

use anyhow::{Result, bail};
use serde_json::Value;

use super::Loaded;
use crate::cli::output::{self, Format, Table, text};
use crate::workspace::agreement::{Severity, check, check_overrides};

pub fn run(l: &Loaded, format: Format) -> Result<()> {
    let path = l.ws.agreement_path();
    let mut findings = check(
        &l.agreement,
        &l.catalogue,
        &l.ws.years(),
        &l.ws.settings.agreement.statutory,
        &l.ws.label(&path),
        l.ws.settings.reward.net_budget.is_some(),
    );
    // the overrides, read against the agreement's reward status
    match crate::workspace::overrides::load(&l.ws, &l.catalogue) {
        Ok(overrides) => findings.extend(check_overrides(&l.agreement, &overrides)),
        Err(e) => findings.push(crate::workspace::agreement::Finding {
            severity: Severity::Warning,
            indicator: None,
            location: l.ws.label(&l.ws.overrides_path()),
            message: format!("the overrides could not be read, so they were not checked: {e}"),
        }),
    }
    let mut t = Table::new(&["severity", "location", "indicator", "message"]);
    for f in &findings {
        t.push(vec![
            text(if f.severity == Severity::Error { "error" } else { "warning" }),
            text(&f.location),
            f.indicator.clone().map_or(Value::Null, text),
            text(&f.message),
        ]);
    }
    let designated =
        l.agreement.targets.iter().filter(|t| t.kind == crate::workspace::agreement::Kind::Designated).count();
    let statutory =
        l.agreement.targets.iter().filter(|t| t.kind == crate::workspace::agreement::Kind::Statutory).count();
    let local = l.agreement.targets.len() - designated - statutory;
    if format == Format::Table {
        eprintln!(
            "{}: {designated} designated, {statutory} statutory and {local} local indicators; {} reward targets",
            l.ws.label(&path),
            l.agreement.targets.iter().filter(|t| t.reward.is_some()).count()
        );
        if findings.is_empty() {
            eprintln!("no findings");
            return Ok(());
        }
    }
    output::print(&t.render(format))?;
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    if errors > 0 {
        bail!("the agreement has {errors} error{} (listed above)", if errors == 1 { "" } else { "s" });
    }
    Ok(())
}
