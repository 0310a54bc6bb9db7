//! `laa rate`: every LAA indicator rated red/amber/green for a quarter, with reasons.

use anyhow::{Result, bail};
use serde_json::Value;

use super::Loaded;
use crate::assess::Assessment;
use crate::assess::rating::Rating;
use crate::cli::output::{self, Field, Format, Table, text};
use crate::domain::catalogue::enum_text;
use crate::workspace::Workspace;

/// Which ratings to show.
pub struct Filter {
    pub area: Option<String>,
    pub theme: Option<String>,
}

impl Filter {
    /// The area codes and theme code asked for (default: the county, every theme).
    fn resolve(&self, ws: &Workspace) -> Result<(Option<String>, Option<String>)> {
        let area = match self.area.as_deref() {
            None => Some(ws.county().code.clone()),
            Some(a) if a.eq_ignore_ascii_case("all") => None,
            Some(a) => match ws.find_area(a) {
                Some(found) => Some(found.code.clone()),
                None => bail!(
                    "unknown area {a:?} (areas: {}, or \"all\")",
                    ws.settings.areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            },
        };
        let theme = match self.theme.as_deref() {
            None => None,
            Some(t) => match ws.find_theme(t) {
                Some(found) => Some(found.code.clone()),
                None => bail!(
                    "unknown theme {t:?} (themes: {})",
                    ws.settings.themes.iter().map(|t| t.code.as_str()).collect::<Vec<_>>().join(", ")
                ),
            },
        };
        Ok((area, theme))
    }

    pub fn apply<'a>(&self, ws: &Workspace, ratings: &'a [Rating]) -> Result<Vec<&'a Rating>> {
        let (area, theme) = self.resolve(ws)?;
        let mut out: Vec<&Rating> = ratings
            .iter()
            .filter(|r| area.as_ref().is_none_or(|a| &r.area == a))
            .filter(|r| theme.as_ref().is_none_or(|t| &r.theme == t))
            .collect();
        crate::assess::sort_for_reading(ws, &mut out);
        Ok(out)
    }
}

const FIELDS: &[&str] = &[
    "indicator",
    "title",
    "theme",
    "area",
    "area_name",
    "period",
    "actual",
    "target",
    "forecast",
    "rating",
    "direction",
    "direction_previous",
    "probability",
    "reason",
    "value_period",
    "due",
    "next_due",
    "last_result_period",
    "last_result",
    "last_result_target",
    "last_result_rating",
    "target_period",
    "risk_period",
    "risk_target",
    "risk_rating",
    "risk_reason",
    "override_rating",
    "override_reason",
    "override_author",
    "effective_rating",
    "self_rating",
    "self_rating_differs",
    "data_quality",
    "kind",
    "unit",
    "polarity",
    "measure_type",
    "probability_note",
    "commentary",
    "action",
    "sources",
    "needed_status",
    "needed_total",
    "needed_per_quarter",
    "needed_for_amber",
    "quarters_left",
    "best_quarter",
    "best_quarter_period",
    "median_change",
    "within_reach",
    "reach_note",
    "benchmark_period",
    "rank",
    "ranked_of",
    "national_quartile",
    "england_median",
    "top_quartile",
    "comparator_group",
    "comparator_median",
    "group_position",
    "group_direction",
    "comparators_missing",
    "benchmark_note",
];

const TABLE_FIELDS: &[&str] = &[
    "theme",
    "indicator",
    "area",
    "actual",
    "target",
    "forecast",
    "rating",
    "direction",
    "probability",
    "to_turn_green",
    "quartile",
    "reason",
];

/// Each area code's name.
fn area_names(ws: &Workspace) -> rustc_hash::FxHashMap<&str, &str> {
    ws.settings.areas.iter().map(|a| (a.code.as_str(), a.name.as_str())).collect()
}

fn json_row<'a>(names: &rustc_hash::FxHashMap<&str, &'a str>, r: &'a Rating) -> Vec<Field<'a>> {
    use std::borrow::Cow::Borrowed;
    let t = |s: &'a str| Field::Text(Borrowed(s));
    let opt = |s: &'a Option<String>| s.as_deref().map_or(Field::Null, t);
    let name = |s: &'static str| Field::Text(Borrowed(s));
    // a unit-like enum's serde name, borrowed (no json value built for it)
    fn spelled<T: serde::Serialize>(v: &T) -> Field<'static> {
        match crate::domain::variant::variant_name(v) {
            Some(n) => Field::Text(std::borrow::Cow::Borrowed(n)),
            None => Field::Text(std::borrow::Cow::Owned(enum_text(v))),
        }
    }
    vec![
        t(&r.indicator),
        t(&r.title),
        t(&r.theme),
        t(&r.area),
        t(names.get(r.area.as_str()).copied().unwrap_or("")),
        Field::Shown(&r.period),
        Field::Num(r.actual),
        Field::Num(r.target),
        Field::Num(r.forecast),
        name(r.rating.name()),
        r.direction.map_or(Field::Null, |d| spelled(&d)),
        r.direction_previous.map_or(Field::Null, |d| spelled(&d)),
        Field::Num(r.probability),
        t(&r.reason),
        r.value_period.as_ref().map_or(Field::Null, |p| Field::Shown(p)),
        Field::Bool(r.due),
        opt(&r.next_due),
        r.last_result.as_ref().map_or(Field::Null, |l| Field::Shown(&l.period)),
        Field::Num(r.last_result.as_ref().map(|l| l.value)),
        Field::Num(r.last_result.as_ref().and_then(|l| l.target)),
        r.last_result.as_ref().map_or(Field::Null, |l| name(l.rating.name())),
        r.target_period.as_ref().map_or(Field::Null, |p| Field::Shown(p)),
        r.risk.as_ref().map_or(Field::Null, |x| Field::Shown(&x.period)),
        Field::Num(r.risk.as_ref().and_then(|x| x.target)),
        r.risk.as_ref().map_or(Field::Null, |x| name(x.rating.name())),
        r.risk.as_ref().map_or(Field::Null, |x| t(&x.reason)),
        r.override_rating.map_or(Field::Null, |o| name(o.name())),
        opt(&r.override_reason),
        opt(&r.override_author),
        name(r.effective_rating.name()),
        r.self_rating.map_or(Field::Null, |s| name(s.name())),
        Field::Bool(r.self_rating_differs().is_some()),
        opt(&r.quality),
        spelled(&r.kind),
        t(&r.unit),
        spelled(&r.polarity),
        spelled(&r.measure_type),
        t(&r.probability_note),
        opt(&r.commentary),
        opt(&r.action),
        Field::Texts(&r.sources),
        spelled(&r.needed.status),
        Field::Num(r.needed.needed_total),
        Field::Num(r.needed.needed_per_quarter),
        Field::Num(r.needed.needed_for_amber),
        r.needed.quarters_left.map_or(Field::Null, |q| Field::Num(Some(f64::from(q)))),
        Field::Num(r.needed.best_quarter),
        r.needed.best_quarter_period.as_ref().map_or(Field::Null, |p| Field::Shown(p)),
        Field::Num(r.needed.median_change),
        r.needed.within_reach.map_or(Field::Null, Field::Bool),
        t(&r.needed.reach_note),
        r.benchmark.as_ref().map_or(Field::Null, |b| Field::Shown(&b.period)),
        Field::Int(r.benchmark.as_ref().and_then(|b| b.rank)),
        Field::Int(r.benchmark.as_ref().map(|b| b.ranked_of)),
        Field::Int(r.benchmark.as_ref().and_then(|b| b.national_quartile.map(usize::from))),
        Field::Num(r.benchmark.as_ref().and_then(|b| b.england_median)),
        Field::Num(r.benchmark.as_ref().and_then(|b| b.top_quartile)),
        r.benchmark.as_ref().and_then(|b| b.group.as_ref()).map_or(Field::Null, |g| t(&g.name)),
        Field::Num(r.benchmark.as_ref().and_then(|b| b.group.as_ref()).and_then(|g| g.median)),
        Field::Int(r.benchmark.as_ref().and_then(|b| b.group.as_ref()).and_then(|g| g.position)),
        r.benchmark.as_ref().and_then(|b| b.group.as_ref()).and_then(|g| g.direction.as_deref()).map_or(Field::Null, t),
        Field::Int(r.benchmark.as_ref().map(|b| b.missing)),
        r.benchmark.as_ref().map_or(Field::Null, |b| t(&b.note)),
    ]
}

fn table_row(r: &Rating) -> Vec<Value> {
    let mut rating = match r.override_rating {
        Some(o) => format!("{} {} (override: {} {})", r.rating.letter(), r.rating.name(), o.letter(), o.name()),
        None => format!("{} {}", r.rating.letter(), r.rating.name()),
    };
    if let Some(own) = r.self_rating_differs() {
        rating += &format!(" (partner: {} {})", own.letter(), own.name());
    }
    let fmt = |v: Option<f64>| v.map_or(String::new(), |v| crate::domain::numbers::fmt_value(v, &r.unit));
    vec![
        text(&r.theme),
        text(&r.indicator),
        text(&r.area),
        text(fmt(r.actual)),
        text(fmt(r.target)),
        text(fmt(r.forecast)),
        text(rating),
        text(r.direction.map_or(String::new(), |d| format!("{} {}", d.arrow(), d.name()))),
        text(r.probability.map_or(String::new(), |p| format!("{:.0}%", p * 100.0))),
        text(r.to_turn_green()),
        text(r.benchmark.as_ref().map_or(String::new(), |b| b.short())),
        text(&r.reason),
    ]
}

pub fn run(
    l: &Loaded,
    period: Option<String>,
    filter: &Filter,
    changes: bool,
    known: crate::assess::Known,
    format: Format,
) -> Result<()> {
    let period = period.map(|p| p.parse()).transpose()?;
    // the previous quarter is rated only to show what changed since
    let previous = if changes { crate::assess::Previous::All } else { crate::assess::Previous::None };
    let a = Assessment::run(&l.ws, &l.catalogue, &l.agreement, period, previous, known, crate::assess::Purpose::Rate)?;
    super::say_warnings(false, &a.warnings);
    if changes {
        return print_changes(l, &a, filter, format);
    }
    let rows = filter.apply(&l.ws, &a.ratings)?;
    if format != Format::Table {
        // each row written as it is made: a national listing is never held whole
        let names = area_names(&l.ws);
        output::print_fields_par(FIELDS, format, &rows, &|r| json_row(&names, r))?;
        drop(rows);
        super::exiting(a);
        return Ok(());
    }
    let mut t = Table::new(TABLE_FIELDS);
    t.rating_columns = vec!["rating"];
    for r in rows {
        t.push(table_row(r));
    }
    eprintln!("{} — ratings for {}", l.ws.settings.name, a.period);
    let bytes = t.render(format);
    output::print(&bytes)?;
    // the command ends here: a national picture's millions of small allocations are left to the
    // process's exit rather than freed one by one (a fifth of `rate --area all`)
    super::exiting((bytes, t, a));
    Ok(())
}

fn print_changes(l: &Loaded, a: &Assessment, filter: &Filter, format: Format) -> Result<()> {
    let Some(prev) = a.previous_period else {
        bail!("{} has no previous quarter with data to compare with", a.period);
    };
    let shown = filter.apply(&l.ws, &a.ratings)?;
    let mut t = Table::new(&[
        "indicator",
        "title",
        "theme",
        "area",
        "period",
        "previous_period",
        "previous_rating",
        "rating",
        "reason",
    ]);
    t.rating_columns = vec!["previous_rating", "rating"];
    // the ratings shown, by address (a search of them for each change was quadratic)
    let shown: std::collections::HashSet<*const Rating> = shown.into_iter().map(|r| r as *const Rating).collect();
    for (r, before) in crate::assess::rating::changes(&a.ratings, &a.previous) {
        if shown.contains(&(r as *const Rating)) {
            t.push(vec![
                text(&r.indicator),
                text(&r.title),
                text(&r.theme),
                text(&r.area),
                text(a.period.to_string()),
                text(prev.to_string()),
                text(before.name()),
                text(r.effective_rating.name()),
                text(&r.reason),
            ]);
        }
    }
    output::print(&t.render(format))?;
    Ok(())
}
