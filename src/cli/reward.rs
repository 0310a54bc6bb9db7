//! `laa reward`: projected Performance Reward Grant per reward target, with totals.

use anyhow::Result;
use serde_json::Value;

use super::Loaded;
use crate::assess::Assessment;
use crate::assess::reward::{Projection, totals};
use crate::cli::output::{self, Format, Table, money, num, text};

const FIELDS: &[&str] = &[
    "indicator",
    "title",
    "theme",
    "performance_without_reward",
    "stretch_target",
    "max_grant",
    "forecast",
    "achievement",
    "projected_grant",
    "grant_at_risk",
    "rating",
    "trigger_value",
    "distance_to_trigger",
    "distance_to_stretch",
    "grant_recovered_at_trigger",
    "grant_recovered_at_stretch",
    "reason",
];

const TABLE_FIELDS: &[&str] = &[
    "theme",
    "indicator",
    "without",
    "stretch",
    "trigger",
    "forecast",
    "achievement",
    "max_grant",
    "projected",
    "at_risk",
    "rating",
    "recovered_at_trigger",
];

fn json_row(p: &Projection) -> Vec<Value> {
    vec![
        text(&p.indicator),
        text(&p.title),
        text(&p.theme),
        num(Some(p.performance_without_reward)),
        num(Some(p.stretch_target)),
        num(Some(p.max_grant)),
        num(p.forecast),
        num(Some(p.achievement)),
        num(Some(p.projected_grant)),
        num(Some(p.grant_at_risk)),
        text(p.rating.name()),
        num(Some(p.trigger_value)),
        num(p.distance_to_trigger),
        num(p.distance_to_stretch),
        num(Some(p.grant_recovered_at_trigger)),
        num(Some(p.grant_recovered_at_stretch)),
        text(&p.reason),
    ]
}

fn table_row(p: &Projection) -> Vec<Value> {
    let f = |v: f64| text(output::format_number((v * 100.0).round() / 100.0));
    vec![
        text(&p.theme),
        text(&p.indicator),
        f(p.performance_without_reward),
        f(p.stretch_target),
        f(p.trigger_value),
        p.forecast.map_or(Value::Null, f),
        text(format!("{:.0}%", p.achievement * 100.0)),
        text(money(p.max_grant)),
        text(money(p.projected_grant)),
        text(money(p.grant_at_risk)),
        text(format!("{} {}", p.rating.letter(), p.rating.name())),
        text(money(p.grant_recovered_at_trigger)),
    ]
}

pub fn run(l: &Loaded, period: Option<String>, theme: Option<String>, format: Format) -> Result<()> {
    let period = period.map(|p| p.parse()).transpose()?;
    let a = Assessment::run(&l.ws, &l.catalogue, &l.agreement, period)?;
    let theme = match theme {
        Some(t) => Some(l.ws.find_theme(&t).ok_or_else(|| anyhow::anyhow!("unknown theme {t:?}"))?.code.clone()),
        None => None,
    };
    let shown: Vec<&Projection> = a.rewards.iter().filter(|p| theme.as_ref().is_none_or(|t| &p.theme == t)).collect();
    let mut t = if format == Format::Table { Table::new(TABLE_FIELDS) } else { Table::new(FIELDS) };
    t.rating_columns = vec!["rating"];
    for p in &shown {
        t.push(if format == Format::Table { table_row(p) } else { json_row(p) });
    }
    output::print(&t.render(format))?;
    if format == Format::Table {
        let mut lines = format!("Reward grant for {} (forecasts at {})\n", l.ws.settings.name, a.period);
        for th in &l.ws.settings.themes {
            let tt = totals(shown.iter().copied().filter(|p| p.theme == th.code));
            if tt.targets > 0 {
                lines += &format!(
                    "  {:<26} {} of {} projected, {} at risk\n",
                    th.name,
                    money(tt.projected_grant),
                    money(tt.max_grant),
                    money(tt.grant_at_risk)
                );
            }
        }
        let all = totals(shown.iter().copied());
        lines += &format!(
            "  {:<26} {} of {} projected, {} at risk\n",
            "Partnership",
            money(all.projected_grant),
            money(all.max_grant),
            money(all.grant_at_risk)
        );
        output::print(lines.as_bytes())?;
    }
    Ok(())
}
