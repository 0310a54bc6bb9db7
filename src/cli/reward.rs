//! `laa reward`: projected Performance Reward Grant per reward target, with totals.

use anyhow::Result;
use serde_json::Value;

use super::Loaded;
use crate::assess::Assessment;
use crate::assess::reward::{Assumption, Projection, totals};
use crate::cli::output::{self, Format, Table, money, num, text};
use crate::domain::numbers::readable;
use crate::workspace::AssessOn;

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
    "reward_status",
    "counted",
    "counting_rule",
    "rating",
    "trigger_value",
    "distance_to_trigger",
    "distance_to_stretch",
    "grant_recovered_at_trigger",
    "grant_recovered_at_stretch",
    "reason",
    "needed_for_trigger",
    "needed_for_stretch",
    "needed_per_quarter",
    "needed_per_quarter_for_stretch",
    "quarters_left",
    "best_quarter",
    "best_quarter_period",
    "within_reach",
    "reach_note",
    "assumed",
    "projected_grant_before",
    "projected_grant_change",
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
    "trigger_within_reach",
];

fn json_row(p: &Projection, before: Option<&Projection>, assumed: bool) -> Vec<Value> {
    let n = &p.need;
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
        text(p.status.name()),
        Value::Bool(!p.parked),
        text(crate::assess::reward::COUNTING_RULE),
        text(p.rating.name()),
        num(Some(p.trigger_value)),
        num(p.distance_to_trigger),
        num(p.distance_to_stretch),
        num(Some(p.grant_recovered_at_trigger)),
        num(Some(p.grant_recovered_at_stretch)),
        text(&p.reason),
        num(n.needed_for_trigger),
        num(n.needed_for_stretch),
        num(n.needed_per_quarter),
        num(n.needed_per_quarter_for_stretch),
        n.quarters_left.map_or(Value::Null, Value::from),
        num(n.best_quarter),
        n.best_quarter_period.map_or(Value::Null, |q| text(q.to_string())),
        n.within_reach.map_or(Value::Null, Value::Bool),
        text(&n.reach_note),
        Value::Bool(assumed),
        num(before.map(|b| b.projected_grant)),
        num(before.map(|b| p.projected_grant - b.projected_grant + 0.0)),
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
        text(if p.parked { p.status.name().to_string() } else { format!("{} {}", p.rating.letter(), p.rating.name()) }),
        text(money(p.grant_recovered_at_trigger)),
        text(match p.need.within_reach {
            Some(true) => "within reach",
            Some(false) => "not reached before",
            None => "",
        }),
    ]
}

pub fn run(
    l: &Loaded,
    period: Option<String>,
    theme: Option<String>,
    assume: &[String],
    known: crate::assess::Known,
    format: Format,
) -> Result<()> {
    let period = period.map(|p| p.parse()).transpose()?;
    let assumptions: Vec<(String, Assumption)> =
        assume.iter().map(|a| Assumption::parse(a)).collect::<Result<_, _>>().map_err(anyhow::Error::msg)?;
    for (code, _) in &assumptions {
        if !l.agreement.targets.iter().any(|t| &t.code == code && t.reward.is_some()) {
            anyhow::bail!("--assume {code}: not a reward target of the agreement");
        }
    }
    let mut a = Assessment::run(
        &l.ws,
        &l.catalogue,
        &l.agreement,
        period,
        crate::assess::Previous::None,
        known,
        crate::assess::Purpose::Reward,
    )?;
    // a scenario: the projection again with the stated outturns, beside the projection as it is
    let before: Vec<Projection> = if assumptions.is_empty() {
        Vec::new()
    } else {
        let scenario = a.rewards_assuming(&l.ws, &l.catalogue, &l.agreement, &assumptions);
        std::mem::replace(&mut a.rewards, scenario)
    };
    let assumed = |p: &Projection| assumptions.iter().any(|(c, _)| *c == p.indicator);
    let before_of = |p: &Projection| before.iter().find(|b| b.indicator == p.indicator);
    let theme = match theme {
        Some(t) => Some(l.ws.find_theme(&t).ok_or_else(|| anyhow::anyhow!("unknown theme {t:?}"))?.code.clone()),
        None => None,
    };
    let shown: Vec<&Projection> = a.rewards.iter().filter(|p| theme.as_ref().is_none_or(|t| &p.theme == t)).collect();
    let mut t = if format == Format::Table { Table::new(TABLE_FIELDS) } else { Table::new(FIELDS) };
    t.rating_columns = vec!["rating"];
    for p in &shown {
        t.push(if format == Format::Table { table_row(p) } else { json_row(p, before_of(p), assumed(p)) });
    }
    output::print(&t.render(format))?;
    if format == Format::Table {
        let mut lines = totals_text(l, a.period, &shown);
        if !assumptions.is_empty() {
            lines += &scenario_text(&shown, &before, &assumptions);
        }
        output::print(lines.as_bytes())?;
    }
    Ok(())
}

/// The totals under the table: per theme and for the partnership, with what is listed and not
/// counted, the reduction and the payment profile.
fn totals_text(l: &Loaded, period: crate::domain::periods::Period, shown: &[&Projection]) -> String {
    let assessed = match l.ws.settings.reward.assess_on {
        AssessOn::FinalYear => format!(
            "assessed on {} unless a target says otherwise, projected from the outturns to {}",
            crate::domain::periods::Period::Year { year: l.ws.settings.agreement.last_year.year() },
            period
        ),
        AssessOn::CurrentYear => format!("assessed on this year's forecast at {period}"),
    };
    let mut lines = format!("Reward grant for {} ({assessed})\n", l.ws.settings.name);
    let line = |name: &str, tt: &crate::assess::reward::Totals| {
        format!(
            "  {:<26} {} of {} projected, {} at risk\n",
            name,
            money(tt.projected_grant),
            money(tt.max_grant),
            money(tt.grant_at_risk)
        )
    };
    for th in &l.ws.settings.themes {
        let tt = totals(shown.iter().copied().filter(|p| p.theme == th.code));
        if tt.targets > 0 {
            lines += &line(&th.name, &tt);
        }
    }
    let all = totals(shown.iter().copied());
    lines += &line("Partnership", &all);
    lines += &format!("  {}", crate::assess::reward::COUNTING_RULE_SENTENCE);
    let apart: Vec<String> = all.not_counted().into_iter().map(|(n, what)| format!("{n} {what}")).collect();
    if !apart.is_empty() {
        lines += &format!(": {}", apart.join(", "));
    }
    lines += "\n";
    if all.reduction > 0.0 {
        lines += &format!("  {} taken off by the reduction\n", money(all.reduction));
    }
    lines += &format!("  Paid: {}\n", all.profile_text());
    lines
}

/// What a scenario changes: each assumed target's outturn and grant against the projection, and
/// the partnership's total.
fn scenario_text(shown: &[&Projection], before: &[Projection], assumptions: &[(String, Assumption)]) -> String {
    let signed = |v: f64| if v >= 0.0 { format!("+{}", money(v)) } else { money(v) };
    let mut out = String::from("Scenario (against the projection):\n");
    for (code, a) in assumptions {
        let (Some(now), Some(was)) =
            (shown.iter().find(|p| &p.indicator == code), before.iter().find(|p| &p.indicator == code))
        else {
            continue;
        };
        let outturn = |v: Option<f64>| v.map_or("no outturn".to_string(), readable);
        out += &format!(
            "  {code}: {} — {} {} (projected {}): grant {} (was {}), {}\n",
            a.text(),
            now.assessed_year,
            outturn(now.assessed_forecast),
            outturn(was.assessed_forecast),
            money(now.projected_grant),
            money(was.projected_grant),
            signed(now.projected_grant - was.projected_grant)
        );
    }
    let (now, was) = (
        totals(shown.iter().copied()),
        totals(before.iter().filter(|b| shown.iter().any(|p| p.indicator == b.indicator))),
    );
    out += &format!(
        "  Partnership: {} projected (was {}), {}\n",
        money(now.projected_grant),
        money(was.projected_grant),
        signed(now.projected_grant - was.projected_grant)
    );
    out
}
