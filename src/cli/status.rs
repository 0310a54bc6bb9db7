//! `laa status`: what the store holds and which returns are missing for the latest quarter.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde_json::{Value, json};

use super::Loaded;
use crate::cli::output::{self, Format};
use crate::domain::catalogue::Frequency;
use crate::domain::periods::Period;

pub fn run(l: &Loaded, format: Format) -> Result<()> {
    let summary = summary(l)?;
    let bytes = match format {
        Format::Json => {
            let mut b = serde_json::to_vec_pretty(&summary)?;
            b.push(b'\n');
            b
        }
        Format::Csv => {
            let mut t = output::Table::new(&["item", "value"]);
            for (k, v) in summary.as_object().expect("object") {
                t.push(vec![Value::String(k.clone()), Value::String(flat(v))]);
            }
            t.render(Format::Csv)
        }
        Format::Table => text(&summary).into_bytes(),
    };
    output::print(&bytes)?;
    Ok(())
}

fn flat(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(flat).collect::<Vec<_>>().join("; "),
        Value::Object(o) => o.iter().map(|(k, v)| format!("{k}: {}", flat(v))).collect::<Vec<_>>().join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The status as one json object (stable snake_case keys).
pub fn summary(l: &Loaded) -> Result<Value> {
    let store = l.store();
    // every file in returns/ that an import would not read, with its reason
    let not_read: Vec<Value> = crate::workspace::scan::scan(&l.ws.returns_dir())
        .map(|s| s.passed_over)
        .unwrap_or_default()
        .iter()
        .map(|p| json!({"file": l.ws.label(&p.path), "reason": p.reason}))
        .collect();
    // what `laa store verify` would say: a damaged store is said first, not met as a failure later
    let check = store.verify();
    if !check.ok() {
        return Ok(json!({
            "partnership": l.ws.settings.name,
            "workspace": l.ws.dir.display().to_string(),
            "store_problems": check.problems,
            "returns_not_read": not_read,
        }));
    }
    let journal = store.journal()?;
    let (current, n_records) = store.values()?;
    let quarters: BTreeSet<Period> =
        current.period.iter().copied().filter(|p| matches!(p, Period::Quarter { .. })).collect();
    let other_periods: BTreeSet<Period> =
        current.period.iter().copied().filter(|p| !matches!(p, Period::Quarter { .. })).collect();
    let indicators: BTreeSet<u32> = current.indicator.iter().copied().collect();
    let areas: BTreeSet<u32> = current.area.iter().copied().collect();
    let latest = quarters.iter().next_back().copied();
    let missing = missing_for(l, &current, latest);
    // cells of the returns that said there is no value for the latest quarter, with why
    let said_no_value: Vec<Value> = match latest {
        Some(q) => {
            let q = q.to_string();
            journal
                .iter()
                .flat_map(|e| e.no_values.iter())
                .filter(|n| n.period == q)
                .map(|n| json!({"indicator": n.indicator, "area": n.area, "reason": n.reason, "cell": n.cell}))
                .collect()
        }
        None => Vec::new(),
    };
    let comparators = comparators_summary(l);
    Ok(json!({
        "partnership": l.ws.settings.name,
        "workspace": l.ws.dir.display().to_string(),
        "comparators": comparators,
        "imports": journal.len(),
        "last_import": journal.last().map(|e| format!("{} ({})", e.imported_at, e.file)),
        "values": current.len(),
        "revisions": n_records - current.len(),
        "quarters": quarters.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "annual_periods": other_periods.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "latest_quarter": latest.map(|p| p.to_string()),
        "indicators_with_data": indicators.len(),
        "agreement_indicators": l.agreement.targets.len(),
        "areas_with_data": areas.len(),
        "areas": l.ws.settings.areas.len(),
        "missing_for_latest_quarter": missing,
        "said_no_value_for_latest_quarter": said_no_value,
        "store_problems": check.problems,
        "store_leftovers": check.leftovers.len(),
        "returns_not_read": not_read,
    }))
}

/// The quarterly LAA indicators of each theme with no value (county or district) for the latest
/// quarter.
fn missing_for(
    l: &Loaded,
    current: &crate::store::values::Values,
    latest: Option<Period>,
) -> BTreeMap<String, Vec<String>> {
    // (indicator, area) pairs with a value for the latest quarter
    let latest_pairs: std::collections::HashSet<(&str, &str)> = match latest {
        Some(q) => (0..current.len())
            .filter(|&r| current.period[r] == q)
            .map(|r| (current.dicts.indicators.get(current.indicator[r]), current.dicts.areas.get(current.area[r])))
            .collect(),
        None => Default::default(),
    };
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if latest.is_some() {
        for t in &l.agreement.targets {
            let quarterly = l.catalogue.get(&t.code).is_some_and(|i| i.frequency == Frequency::Quarterly);
            let any_area =
                l.ws.settings.areas.iter().any(|a| latest_pairs.contains(&(t.code.as_str(), a.code.as_str())));
            if quarterly && !any_area {
                missing.entry(t.theme.clone()).or_default().push(t.code.clone());
            }
        }
    }
    missing
}

/// Other authorities' figures, kept apart (laa benchmark import).
fn comparators_summary(l: &Loaded) -> Value {
    // other authorities' figures, kept apart (laa benchmark import)
    let bench = crate::store::Store::new(&l.ws.benchmark_store_dir());
    let bench_journal = bench.journal().unwrap_or_default();
    json!({
        "tables": bench_journal.len(),
        "figures": bench_journal.iter().map(|e| e.new).sum::<usize>(),
        "last_import": bench_journal.last().map(|e| format!("{} ({})", e.imported_at, e.file)),
        "authority": l.ws.ons_code(&l.ws.county().code),
        "group": crate::assess::benchmark::chosen_group(&l.ws).map(|g| g.0),
    })
}

fn comparators_text(c: &Value) -> String {
    let mut out = String::new();
    if c["tables"].as_u64().unwrap_or(0) > 0 {
        out += &format!(
            "  comparator figures: {} from {} table{} (last {}), kept apart; the county is {}{}\n",
            flat(&c["figures"]),
            flat(&c["tables"]),
            if c["tables"] == 1 { "" } else { "s" },
            flat(&c["last_import"]),
            if c["authority"].is_null() {
                "not named: set [benchmark] authority".to_string()
            } else {
                flat(&c["authority"])
            },
            if c["group"].is_null() { String::new() } else { format!(", its group {}", flat(&c["group"])) }
        );
    }
    out
}

fn text(s: &Value) -> String {
    let g = |k: &str| flat(&s[k]);
    let mut out = format!("{}\n  workspace: {}\n", g("partnership"), g("workspace"));
    if let Some(problems) = s["store_problems"].as_array().filter(|p| !p.is_empty()) {
        out += &format!(
            "  warning: the store is damaged ({} problem{}); `laa store verify` lists them:\n",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        for p in problems {
            out += &format!("    {}\n", flat(p));
        }
        return out;
    }
    if let Some(files) = s["returns_not_read"].as_array().filter(|f| !f.is_empty()) {
        out += &format!(
            "  returns/ holds {} file{} an import does not read:\n",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
        for f in files {
            out += &format!("    {}: {}\n", flat(&f["file"]), flat(&f["reason"]));
        }
    }
    if s["imports"] == 0 {
        out += "  the store is empty: run `laa import` to load the returns in returns/\n";
        return out;
    }
    out += &format!("  imports: {} (last {})\n", g("imports"), g("last_import"));
    out += &format!("  values: {} current, {} earlier values kept as revisions\n", g("values"), g("revisions"));
    out += &format!("  quarters: {}\n", g("quarters"));
    if !s["annual_periods"].as_array().is_none_or(Vec::is_empty) {
        out += &format!("  annual periods: {}\n", g("annual_periods"));
    }
    out += &format!(
        "  indicators with data: {} (the agreement has {})\n",
        g("indicators_with_data"),
        g("agreement_indicators")
    );
    out += &format!("  areas with data: {} of {}\n", g("areas_with_data"), g("areas"));
    let missing = s["missing_for_latest_quarter"].as_object().expect("object");
    if missing.is_empty() {
        out += &format!("  latest quarter {}: every quarterly LAA indicator has a value\n", g("latest_quarter"));
    } else {
        out += &format!("  latest quarter {}: no value yet (county or district) for\n", g("latest_quarter"));
        for (theme, codes) in missing {
            out += &format!("    {theme}: {}\n", flat(codes));
        }
    }
    out += &comparators_text(&s["comparators"]);
    let said = s["said_no_value_for_latest_quarter"].as_array().cloned().unwrap_or_default();
    if !said.is_empty() {
        out += &format!("  cells that say there is no value for {}:\n", g("latest_quarter"));
        for n in said.iter().take(50) {
            out += &format!(
                "    {} {}: {} ({})\n",
                n["indicator"].as_str().unwrap_or_default(),
                n["area"].as_str().unwrap_or_default(),
                n["reason"].as_str().unwrap_or_default(),
                crate::domain::text::for_terminal(n["cell"].as_str().unwrap_or_default())
            );
        }
        if said.len() > 50 {
            out += &format!("    … and {} more (laa status --format json lists them all)\n", said.len() - 50);
        }
    }
    out
}
