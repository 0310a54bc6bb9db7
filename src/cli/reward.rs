//! `laa reward`: projected Performance Reward Grant per reward target, with totals.

use anyhow::Result;
use serde_json::Value;

use super::Loaded;
use crate::assess::Assessment;
use crate::assess::reward::{Projection, totals};
use crate::cli::output::{self, Format, Table, money, num, text};
use crate::domain::workspace::AssessOn;

const FIELDS: &[&str] = &[
    "indicator",
    "title",
    "theme",
    "performance_without_reward",
    "stretch_target",
    "max_grant",
    "max_grant_basis",
    "forecast",
    "assessed_year",
    "assessed_forecast",
    "achievement",
    "earned_grant",
    "projected_grant",
    "grant_at_risk",
    "reduction",
    "interim_level",
    "interim_reached",
    "interim_payment",
    "first_instalment",
    "second_instalment",
    "parked",
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
    "forecast_this_year",
    "assessed",
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
        text(&p.max_grant_basis),
        num(p.forecast),
        text(&p.assessed_year),
        num(p.assessed_forecast),
        num(Some(p.achievement)),
        num(Some(p.earned_grant)),
        num(Some(p.projected_grant)),
        num(Some(p.grant_at_risk)),
        num(Some(p.reduction)),
        num(p.interim_level),
        p.interim_reached.map_or(Value::Null, Value::Bool),
        num(Some(p.payment("interim"))),
        num(Some(p.payment("first instalment"))),
        num(Some(p.payment("second instalment"))),
        Value::Bool(p.parked),
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
        p.assessed_forecast.map_or(Value::Null, |v| {
            text(format!("{} {}", p.assessed_year, output::format_number((v * 100.0).round() / 100.0)))
        }),
        text(format!("{:.0}%", p.achievement * 100.0)),
        text(money(p.max_grant)),
        text(money(p.projected_grant)),
        text(money(p.grant_at_risk)),
        text(if p.parked { "parked".to_string() } else { format!("{} {}", p.rating.letter(), p.rating.name()) }),
        text(money(p.grant_recovered_at_trigger)),
    ]
}

pub fn run(l: &Loaded, period: Option<String>, theme: Option<String>, format: Format) -> Result<()> {
    let period = period.map(|p| p.parse()).transpose()?;
    let a = Assessment::run(&l.ws, &l.catalogue, &l.agreement, period, crate::assess::Previous::None)?;
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
        let assessed = match l.ws.settings.reward.assess_on {
            AssessOn::FinalYear => format!(
                "assessed on {} unless a target says otherwise, projected from the outturns to {}",
                crate::domain::periods::Period::Year { year: l.ws.settings.agreement.last_year.year() },
                a.period
            ),
            AssessOn::CurrentYear => format!("assessed on this year's forecast at {}", a.period),
        };
        let mut lines = format!("Reward grant for {} ({assessed})\n", l.ws.settings.name);
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
        if all.parked > 0 {
            lines += &format!("  {} parked for renegotiation: listed, not counted\n", all.parked);
        }
        if all.reduction > 0.0 {
            lines += &format!("  {} taken off by the reduction\n", money(all.reduction));
        }
        lines += &format!("  Paid: {}\n", all.profile_text());
        output::print(lines.as_bytes())?;
    }
    Ok(())
}
