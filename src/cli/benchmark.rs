//! `laa benchmark show`: one indicator's league table among English authorities, with the
//! partnership and its comparator group marked, and the quartiles and medians beside it.

use anyhow::{Result, bail};

use super::Loaded;
use crate::assess::benchmark::{self, Comparators};
use crate::assess::series::Series;
use crate::cli::output::{self, Format, Table, num, text};
use crate::domain::authorities::Authorities;
use crate::domain::periods::Period;

const FIELDS: &[&str] = &["rank", "code", "authority", "value", "us", "in_group"];

/// The period shown: the one asked for, which must have figures, else the latest that has.
fn period_shown(c: &Comparators, code: &str, period: Option<String>) -> Result<Period> {
    let periods = c.periods(code);
    if periods.is_empty() {
        bail!("the comparator tables hold no figures for {}", code);
    }
    Ok(match period {
        Some(p) => {
            let p: Period = p.parse()?;
            if !periods.contains(&p) {
                let have: Vec<String> = periods.iter().map(ToString::to_string).collect();
                bail!("no comparator figures for {} in {p} (there are for {})", code, have.join(", "));
            }
            p
        }
        None => *periods.last().expect("not empty"),
    })
}

/// Where the league table's partnership is: the county, or the area asked for.
fn area_shown<'a>(l: &'a Loaded, area: Option<&str>) -> Result<&'a crate::workspace::Area> {
    match area {
        None => Ok(l.ws.county()),
        Some(a) => l.ws.find_area(a).ok_or_else(|| anyhow::anyhow!("unknown area {a:?}")),
    }
}

pub fn show(l: &Loaded, indicator: &str, period: Option<String>, area: Option<String>, format: Format) -> Result<()> {
    let ind = l.catalogue.find(indicator)?;
    let Some(c) = Comparators::load(&l.ws)? else {
        bail!(
            "no comparator figures yet: put published comparator tables in {} and run `laa benchmark import`",
            l.ws.label(&l.ws.benchmarks_dir())
        );
    };
    let area = area_shown(l, area.as_deref())?;
    let Some(us) = l.ws.ons_code(&area.code) else {
        bail!(
            "{} has no ONS code: set [benchmark] authority (the county) or [benchmark.areas] in partnership.toml",
            area.name
        );
    };
    let period = period_shown(&c, &ind.code, period)?;
    let (values, _) = l.store().values()?;
    let series = Series::build(&l.ws, &l.catalogue, &values);
    let points = series.get(&ind.code, &area.code);
    let own = |p: Period| points.and_then(|s| s.get(&p)).map(|pt| pt.value);
    let reg = Authorities::shipped();
    let group = benchmark::chosen_group(&l.ws);
    let b = c.measure(reg, &ind.code, ind.polarity, &us, period, &own, group);
    let rows = c.league(reg, &ind.code, ind.polarity, &us, period, own(period), group.map_or(&[], |g| g.1));
    let unit = ind.unit.clone();
    let fmt = |v: f64| crate::domain::numbers::fmt_value(v, &unit);
    if format == Format::Json {
        let out = serde_json::json!({
            "indicator": ind.code,
            "title": ind.title,
            "period": period.to_string(),
            "area": area.code,
            "authority": us,
            "polarity": crate::domain::catalogue::enum_text(&ind.polarity),
            "measures": b,
            "rows": rows,
        });
        return Ok(output::print(format!("{}\n", serde_json::to_string_pretty(&out)?).as_bytes())?);
    }
    let mut t = Table::new(FIELDS);
    let people = format == Format::Table;
    for r in &rows {
        t.push(vec![
            r.rank.map_or(serde_json::Value::Null, serde_json::Value::from),
            text(&r.code),
            text(if r.us { format!("▶ {}", r.name) } else { r.name.clone() }),
            if people { text(fmt(r.value)) } else { num(Some(r.value)) },
            serde_json::Value::Bool(r.us),
            if people {
                text(if r.in_group { group.map_or(String::new(), |g| g.0.replace('_', " ")) } else { String::new() })
            } else {
                serde_json::Value::Bool(r.in_group)
            },
        ]);
    }
    if format == Format::Table {
        eprintln!("{} {} — {} among {}", ind.code, ind.title, period, reg.tier_of(&us).map_or("", |t| t.peers_name()));
        let mut t = t.select(&["rank", "code", "authority", "value", "in_group"]);
        t.fields[4] = "group";
        output::print(&t.render(format))?;
        if let Some(b) = &b {
            println!("{}", b.sentence(&fmt));
            if let (Some(lo), Some(hi)) = (b.lower_quartile_value, b.upper_quartile_value) {
                println!("middle half of authorities: {} to {}", fmt(lo), fmt(hi));
            }
        }
        return Ok(());
    }
    output::print(&t.render(format))?;
    Ok(())
}
