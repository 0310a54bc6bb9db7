//! `laa history`: every value stored for an indicator, oldest import first, with its source.

use anyhow::{Result, bail};
use serde_json::Value;

use super::Loaded;
use crate::cli::output::{self, Format, Table, num, text};
use crate::domain::periods::Period;

const FIELDS: &[&str] = &[
    "indicator",
    "area",
    "period",
    "value",
    "numerator",
    "denominator",
    "status",
    "file",
    "sheet",
    "cell",
    "imported_at",
    "batch",
    "quality",
    "commentary",
];

pub fn run(l: &Loaded, indicator: &str, area: Option<&str>, period: Option<&str>, format: Format) -> Result<()> {
    let code = l.catalogue.find(indicator)?.code.clone();
    let area_code = match area {
        Some(a) => match l.ws.find_area(a) {
            Some(found) => Some(found.code.clone()),
            None => bail!("unknown area {a:?}"),
        },
        None => None,
    };
    let period: Option<Period> = period.map(str::parse).transpose()?;
    // only this indicator's values are made into records, a slice of the store at a time
    let mut records = l.store().records_where(&|i, a, p| {
        i == code && area_code.as_ref().is_none_or(|x| a == x) && period.is_none_or(|q| p == q)
    })?;
    records.sort_by(|a, b| (&a.obs.area, a.obs.period, a.batch).cmp(&(&b.obs.area, b.obs.period, b.batch)));
    let mut t = Table::new(FIELDS);
    let mut prev: Option<(String, Period)> = None;
    for r in &records {
        let key = (r.obs.area.clone(), r.obs.period);
        let status = if prev.as_ref() == Some(&key) { "revision" } else { "original" };
        prev = Some(key);
        let o = &r.obs;
        t.push(vec![
            text(&o.indicator),
            text(&o.area),
            text(o.period.to_string()),
            num(Some(o.value)),
            num(o.numerator),
            num(o.denominator),
            text(status),
            text(&*o.loc.file),
            o.loc.sheet.as_deref().map_or(Value::Null, |s| Value::String(s.to_string())),
            text(&o.loc.cell),
            text(&r.imported_at),
            Value::from(r.batch),
            o.quality.clone().map_or(Value::Null, Value::String),
            o.commentary.clone().map_or(Value::Null, Value::String),
        ]);
    }
    if records.is_empty() && format == Format::Table {
        eprintln!("no values stored for {code}{}", area.map(|a| format!(" in {a}")).unwrap_or_default());
        return Ok(());
    }
    output::print(&t.render(format))?;
    Ok(())
}
