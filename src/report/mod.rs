//! The quarterly progress report: one set of figures (headline counts, RAG by theme, changes,
//! exceptions, reward risk, per-indicator panels, data sources) rendered as a self-contained
//! HTML page, an Excel workbook, a Word board paper and PNG/SVG charts.

pub mod chart;
pub mod docx;
pub mod html;
pub mod narrative;
pub mod remind;

pub mod trend;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::assess::Assessment;
use crate::assess::rating::Rating;
use crate::assess::reward::{self, Projection, Totals};
use crate::domain::periods::Period;
use crate::domain::rag::Rag;
use crate::store::JournalEntry;
use crate::workspace::Workspace;
use chart::ChartError;
mod charts;
mod text;
pub use charts::Charts;
pub use text::*;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing the board paper: {0}")]
    Docx(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Which outputs to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    Html,
    Xlsx,
    Docx,
    Charts,
}

/// Counts of effective ratings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub grey: usize,
    /// Of the reds, annual, academic-year or biennial indicators between their results.
    pub red_between_results: usize,
    /// Computed reds that an override set to amber, green or grey (each counted under its
    /// effective rating above).
    pub red_overridden: [usize; 3],
    /// Ratings computed amber, green or grey that an override set to red.
    pub overridden_to_red: usize,
}

impl Counts {
    pub fn of<'a>(ratings: impl IntoIterator<Item = &'a Rating>) -> Counts {
        let mut c = Counts::default();
        for r in ratings {
            match (r.rating, r.effective_rating) {
                (Rag::Red, Rag::Amber) => c.red_overridden[0] += 1,
                (Rag::Red, Rag::Green) => c.red_overridden[1] += 1,
                (Rag::Red, Rag::Grey) => c.red_overridden[2] += 1,
                (computed, Rag::Red) if computed != Rag::Red => c.overridden_to_red += 1,
                _ => {}
            }
            match r.effective_rating {
                Rag::Red if !r.due => {
                    c.red += 1;
                    c.red_between_results += 1;
                }
                Rag::Red => c.red += 1,
                Rag::Amber => c.amber += 1,
                Rag::Green => c.green += 1,
                Rag::Grey => c.grey += 1,
            }
        }
        c
    }

    pub fn get(&self, r: Rag) -> usize {
        match r {
            Rag::Red => self.red,
            Rag::Amber => self.amber,
            Rag::Green => self.green,
            Rag::Grey => self.grey,
        }
    }

    pub fn total(&self) -> usize {
        self.red + self.amber + self.green + self.grey
    }

    pub fn as_array(&self) -> [usize; 4] {
        [self.red, self.amber, self.green, self.grey]
    }

    /// How many ratings were computed red, before any override.
    pub fn red_computed(&self) -> usize {
        self.red + self.red_overridden.iter().sum::<usize>() - self.overridden_to_red
    }

    /// The red count as a board reads it, with overrides in plain sight: "25 red (26 computed;
    /// 1 overridden to amber)"; just "25 red" when no override touches a red.
    pub fn red_text(&self) -> String {
        let mut notes: Vec<String> = ["amber", "green", "grey"]
            .iter()
            .zip(self.red_overridden)
            .filter(|(_, n)| *n > 0)
            .map(|(to, n)| format!("{n} overridden to {to}"))
            .collect();
        if self.overridden_to_red > 0 {
            notes.push(format!("{} overridden to red", self.overridden_to_red));
        }
        if notes.is_empty() {
            format!("{} red", self.red)
        } else {
            format!("{} red ({} computed; {})", self.red, self.red_computed(), notes.join(", "))
        }
    }
}

/// One theme's line of the summary.
#[derive(Debug, Clone)]
pub struct ThemeSummary {
    pub code: String,
    pub name: String,
    pub counts: Counts,
    pub previous: Option<Counts>,
    pub reward: Totals,
}

/// A rating that changed since the previous quarter.
#[derive(Debug, Clone)]
pub struct Change {
    pub rating: Rating,
    /// The previous quarter's effective rating.
    pub before: Rag,
    /// The previous quarter's computed rating (before any override).
    pub before_computed: Rag,
}

impl Change {
    /// Whether an override, now or before, is part of the change (the narrative never calls it
    /// an improvement or a deterioration).
    pub fn by_override(&self) -> bool {
        self.rating.override_rating.is_some() || self.before != self.before_computed
    }
}

/// Everything the report shows, computed once so every output carries the same numbers.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub partnership: String,
    pub board: String,
    pub officer_group: String,
    pub meeting_date: Option<String>,
    pub period: Period,
    pub previous_period: Option<Period>,
    pub title: String,
    /// The only place the generation time appears.
    pub generated_at: String,
    /// The county's ratings, by theme then severity.
    pub county: Vec<Rating>,
    /// District ratings.
    pub districts: Vec<Rating>,
    pub counts: Counts,
    pub previous_counts: Option<Counts>,
    pub themes: Vec<ThemeSummary>,
    pub changes: Vec<Change>,
    pub exceptions: Vec<Rating>,
    pub rewards: Vec<Projection>,
    pub reward_totals: Totals,
    pub reward_threshold: f64,
    /// What an annual indicator between results is rated on, in words.
    pub between_results: String,
    /// Which year reward is assessed on, how, and when it is paid: one paragraph.
    pub reward_basis: String,
    pub sources: Vec<JournalEntry>,
    pub warnings: Vec<String>,
    pub method: Vec<String>,
    pub recommendations: Vec<String>,
    /// Area code → name (a national picture has hundreds: looked up per value).
    pub area_names: std::collections::HashMap<String, String>,
    pub assessment: Assessment,
    /// Each theme's return for the quarter, seen on [`ReportData::returns_on`].
    pub returns: Vec<crate::assess::cycle::ReturnRow>,
    /// The date the returns are seen on: the meeting date, so the report is the same from day to day.
    pub returns_on: Option<chrono::NaiveDate>,
}

/// The two recommendations a board acts on, from what it takes: the reds that can no longer turn
/// green this year (or not at any rate achieved before), and the reward targets whose trigger is
/// still within reach with the grant it would recover.
pub fn what_it_takes_recommendations(reds: &[Rating], rewards: &[Projection]) -> Vec<String> {
    use crate::assess::needed::NeedStatus;
    let mut out = Vec::new();
    // one rule per indicator: a reward target whose trigger is within reach is in the reward
    // recommendation (which says its target is out of reach), never in both
    let saveable: Vec<&Projection> = rewards.iter().filter(|p| p.trigger_within_reach()).collect();
    let lost_reds: Vec<&Rating> = reds
        .iter()
        // the reds as they stand (an overridden red is said apart among the exceptions)
        .filter(|r| r.effective_rating == Rag::Red)
        .filter(|r| r.needed.status == NeedStatus::Impossible || r.needed.within_reach == Some(false))
        .collect();
    let lost: Vec<String> = lost_reds
        .iter()
        .filter(|r| !saveable.iter().any(|p| p.indicator == r.indicator))
        .map(|r| {
            let why = if r.needed.status == NeedStatus::Impossible {
                "no longer possible"
            } else {
                "beyond any rate achieved so far"
            };
            format!("{} {} ({why})", r.indicator, r.title)
        })
        .collect();
    if !lost.is_empty() {
        out.push(format!(
            "that the Board notes that green is out of reach this year (the year's target; the reward trigger is a separate level) for {} of the red indicators — {} — and asks the lead theme partnerships to agree revised expectations and remedial plans for them",
            lost.len(),
            lost.join("; ")
        ));
    }
    let saveable: Vec<String> = saveable
        .iter()
        .map(|p| {
            let target_lost = if lost_reds.iter().any(|r| r.indicator == p.indicator) {
                "; its target (green) is out of reach this year, the trigger is not"
            } else {
                ""
            };
            format!(
                "{} ({} recoverable at the trigger of {}{target_lost})",
                p.indicator,
                crate::domain::numbers::money(p.grant_recovered_at_trigger),
                crate::domain::numbers::readable(p.trigger_value)
            )
        })
        .collect();
    if !saveable.is_empty() {
        out.push(format!(
            "that partners give priority to the reward targets whose reward trigger is still within reach on their own record (the level at which grant starts to be paid, below the target): {}",
            saveable.join("; ")
        ));
    }
    out
}

/// Which year reward is assessed on, how, and the payment profile, in words.
fn reward_basis(ws: &Workspace, t: &Totals) -> String {
    let r = &ws.settings.reward;
    let last = Period::Year { year: ws.settings.agreement.last_year.year() };
    let mut out = match r.assess_on {
        crate::workspace::AssessOn::FinalYear => format!(
            "Grant is assessed on the outturn of {last}, the agreement's final year (or the year a target names), projected from the outturns so far."
        ),
        crate::workspace::AssessOn::CurrentYear => {
            "Grant is shown on this year's forecast outturn (the current-year view).".to_string()
        }
    };
    out += &format!(" {}.", crate::assess::reward::COUNTING_RULE_SENTENCE);
    let apart: Vec<String> = t
        .not_counted()
        .into_iter()
        .map(|(n, what)| format!("{} {what}", plural(n, "target is", "targets are")))
        .collect();
    if !apart.is_empty() {
        out += &format!(" Here {}.", apart.join(" and "));
    }
    if t.reduction > 0.0 {
        out += &format!(
            " A {:.0}% reduction from {} takes {} off.",
            r.reduction * 100.0,
            r.reduction_from.as_deref().unwrap_or_default(),
            crate::domain::numbers::money(t.reduction)
        );
    }
    out + &format!(" Payment profile: {}.", t.profile_text())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Each theme's counts now and (when there was a previous quarter) then, and its reward totals.
fn theme_summaries(
    ws: &Workspace,
    county: &[Rating],
    previous: Option<&[&Rating]>,
    rewards: &[Projection],
) -> Vec<ThemeSummary> {
    ws.settings
        .themes
        .iter()
        .map(|t| ThemeSummary {
            code: t.code.clone(),
            name: t.name.clone(),
            counts: Counts::of(county.iter().filter(|r| r.theme == t.code)),
            previous: previous.map(|p| Counts::of(p.iter().copied().filter(|r| r.theme == t.code))),
            reward: reward::totals(rewards.iter().filter(|p| p.theme == t.code)),
        })
        .collect()
}

/// The county's ratings whose effective rating changed since the previous quarter, with the
/// rating before and the computed rating before.
fn changes_since(county: &[Rating], previous: &[Rating]) -> Vec<Change> {
    crate::assess::rating::changes(county, previous)
        .into_iter()
        .map(|(r, before)| {
            let before_computed =
                previous.iter().find(|b| b.indicator == r.indicator && b.area == r.area).map_or(before, |b| b.rating);
            Change { rating: r.clone(), before, before_computed }
        })
        .collect()
}

/// How a rating between results is judged, in words.
fn between_results_words(b: crate::workspace::BetweenResults) -> &'static str {
    match b {
        crate::workspace::BetweenResults::Forecast => "the forecast of the next result against its year's target",
        crate::workspace::BetweenResults::LastResult => "the last result against its own year's target",
    }
}

/// A return's row in the report's "Returns this quarter" table: the partnership, the due date,
/// when it arrived, its state, and what is still missing.
pub fn return_cells(r: &crate::assess::cycle::ReturnRow) -> [String; 5] {
    let long = |d: chrono::NaiveDate| d.format("%-d %b %Y").to_string();
    let missing =
        if r.missing.is_empty() { "none".to_string() } else { format!("{} of {} values", r.missing.len(), r.owed) };
    let state = match r.state {
        crate::assess::cycle::ReturnState::Received | crate::assess::cycle::ReturnState::NotDue => {
            r.state.words().to_string()
        }
        crate::assess::cycle::ReturnState::Late => format!("late by {} days", r.days_overdue),
        s => format!("{}, {} days overdue", s.words(), r.days_overdue),
    };
    [r.partnership.clone(), long(r.due), r.received.map_or("–".into(), long), state, missing]
}

/// The headers of [`return_cells`].
pub const RETURN_HEADERS: [&str; 5] = ["Theme partnership", "Due", "Received", "State", "Missing"];

impl ReportData {
    pub fn reward_basis(&self) -> String {
        self.reward_basis.clone()
    }

    pub fn build(
        ws: &Workspace,
        a: Assessment,
        sources: Vec<JournalEntry>,
        generated_at: String,
        meeting_date: Option<String>,
    ) -> ReportData {
        let county_code = ws.county().code.clone();
        let theme_pos = |t: &str| ws.settings.themes.iter().position(|x| x.code == t).unwrap_or(usize::MAX);
        // the ratings move out of the assessment (a national picture has tens of thousands);
        // only the county's previous ratings are shown
        let mut a = a;
        // the county's taken out in place: a partition into two new vectors held the ratings
        // three times over at the peak (344 MiB at four times the national data)
        let mut districts = std::mem::take(&mut a.ratings);
        let mut county: Vec<Rating> = districts.extract_if(.., |r| r.area == county_code).collect();
        county.sort_by_key(|r| (theme_pos(&r.theme), r.effective_rating));
        a.previous.retain(|r| r.area == county_code);
        let prev_county: Vec<&Rating> = a.previous.iter().collect();
        let has_prev = !prev_county.is_empty();
        let themes = theme_summaries(ws, &county, has_prev.then_some(&prev_county[..]), &a.rewards);
        let changes = changes_since(&county, &a.previous);
        // every red, and every computed red an override set otherwise (marked as such)
        let exceptions: Vec<Rating> =
            county.iter().filter(|r| r.effective_rating == Rag::Red || r.rating == Rag::Red).cloned().collect();
        let exceptions_for_recs = exceptions.clone();
        let s = &ws.settings;
        let quarter = match a.period {
            Period::Quarter { year, q } => format!("Quarter {q} {}", Period::Year { year }),
            other => other.to_string(),
        };
        ReportData {
            partnership: s.name.clone(),
            board: s.board.clone(),
            officer_group: s.officer_group.clone(),
            meeting_date: meeting_date.or_else(|| s.meeting_date.clone()),
            period: a.period,
            previous_period: a.previous_period,
            title: format!("Local Area Agreement — {quarter} progress report and reward target risk assessment"),
            generated_at,
            counts: Counts::of(&county),
            previous_counts: has_prev.then(|| Counts::of(prev_county.iter().copied())),
            themes,
            changes,
            exceptions,
            between_results: between_results_words(s.rating.between_results).into(),
            reward_basis: reward_basis(ws, &reward::totals(&a.rewards)),
            reward_totals: reward::totals(&a.rewards),
            rewards: a.rewards.clone(),
            reward_threshold: s.reward.threshold,
            sources,
            // grouped by kind: a national picture's 198 lines of one warning are one line
            warnings: crate::domain::messages::grouped(&a.warnings, false),
            method: method(ws),
            recommendations: {
                let mut r = s.recommendations.clone();
                r.extend(what_it_takes_recommendations(&exceptions_for_recs, &a.rewards));
                r
            },
            area_names: s.areas.iter().map(|a| (a.code.clone(), a.name.clone())).collect(),
            county,
            districts,
            assessment: a,
            returns: Vec::new(),
            returns_on: None,
        }
    }

    /// Each import's time, by batch number.
    pub fn imported_at(&self) -> std::collections::HashMap<u32, String> {
        self.sources.iter().map(|e| (e.batch as u32, e.imported_at.clone())).collect()
    }

    /// Every current value as csv (streamed): what the workbook's Data sheet holds, for any
    /// number of values. Text from returns that a spreadsheet would run as a formula is
    /// prefixed with `'`.
    /// The running header of every printed page: the partnership, the board and the meeting's
    /// date, as far as they are known.
    pub fn running_header(&self) -> String {
        let date = self.meeting_date.as_deref().map(long_date).unwrap_or_default();
        [self.partnership.as_str(), self.board.as_str(), date.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    pub fn write_data_csv(&self, out: impl std::io::Write) -> std::io::Result<()> {
        let v = &self.assessment.values;
        let imported = self.imported_at();
        // one large buffer: 71 MB of rows at national scale went out in 17,000 writes of 4 KB
        let mut w = csv::WriterBuilder::new().buffer_capacity(1 << 20).from_writer(out);
        w.write_record([
            "indicator",
            "area",
            "period",
            "value",
            "numerator",
            "denominator",
            "file",
            "sheet",
            "cell",
            "imported_at",
            "commentary",
        ])?;
        let num = |buf: &mut String, x: Option<f64>| {
            buf.clear();
            if let Some(x) = x {
                let _ = std::fmt::Write::write_fmt(buf, format_args!("{x}"));
            }
        };
        let (mut value, mut numerator, mut denominator) = (String::new(), String::new(), String::new());
        let mut periods: std::collections::HashMap<Period, String> = std::collections::HashMap::new();
        // each name once, by id, made safe for a spreadsheet
        let by_id = |d: &crate::store::values::Dict| -> Vec<String> {
            (0..d.len() as u32).map(|id| csv_safe(d.get(id)).into_owned()).collect()
        };
        let areas: Vec<String> = (0..v.dicts.areas.len() as u32)
            .map(|id| csv_safe(self.area_name(v.dicts.areas.get(id))).into_owned())
            .collect();
        let (indicators, files, sheets) = (by_id(&v.dicts.indicators), by_id(&v.dicts.files), by_id(&v.dicts.sheets));
        // an id past the list is none (`values::NONE`): an empty field, as `Dict::get` gives
        fn at(names: &[String], id: u32) -> &str {
            names.get(id as usize).map_or("", String::as_str)
        }
        for i in 0..v.len() {
            let period = periods.entry(v.period[i]).or_insert_with(|| v.period[i].to_string());
            let src = v.src[i];
            num(&mut value, Some(v.value[i]));
            num(&mut numerator, v.numerator[i]);
            num(&mut denominator, v.denominator[i]);
            w.write_record([
                at(&indicators, v.indicator[i]),
                at(&areas, v.area[i]),
                period.as_str(),
                value.as_str(),
                numerator.as_str(),
                denominator.as_str(),
                at(&files, src.file),
                at(&sheets, src.sheet),
                v.dicts.cells.get(src.cell),
                imported.get(&v.batch[i]).map_or("", String::as_str),
                csv_safe(v.dicts.texts.get(v.commentary[i])).as_ref(),
            ])?;
        }
        w.flush()
    }

    pub fn area_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.area_names.get(code).map_or(code, String::as_str)
    }

    pub fn theme_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.themes.iter().find(|t| t.code == code).map_or(code, |t| t.name.as_str())
    }
}

fn method(ws: &Workspace) -> Vec<String> {
    let r = &ws.settings.rating;
    let w = &ws.settings.reward;
    let tol = match r.tolerance_kind {
        crate::workspace::ToleranceKind::Relative => {
            format!("{}% of the target", crate::domain::numbers::format_number(r.tolerance * 100.0))
        }
        crate::workspace::ToleranceKind::Absolute => {
            format!("{} in the indicator's unit", crate::domain::numbers::format_number(r.tolerance))
        }
    };
    vec![
        format!("Each indicator's year-end outturn is forecast from the returns. Snapshot measures use the latest value{}; cumulative (year-to-date) measures scale the value by the share of the year elapsed{}; rolling twelve-month measures use the latest value. Annual, survey and academic-year results are rated against their own year's target: as the quarter's outcome in the quarter they are due (a year's result by the following September, a biennial survey's by the following June), and between results as the last result, with the risk to the next result shown apart.",
            if r.forecast == crate::workspace::ForecastMethod::Trend { format!(" projected along the least-squares trend of the last {} quarters", r.trend_quarters) } else { String::new() },
            if r.cumulative_forecast == crate::workspace::CumulativeForecast::Seasonal { " (by last year's seasonal profile where it is known)" } else { "" }),
        format!("Green: the forecast meets or beats the year's target. Amber: it misses by no more than the tolerance ({tol}, or the indicator's own tolerance in the agreement). Red: it misses by more. Grey: no data, no target, or no polarity. Polarity (whether higher or lower is better) is taken into account."),
        format!("Direction of travel compares the latest value with the same quarter a year earlier; a change under {}% is 'no change'.", crate::domain::numbers::format_number(r.no_change_threshold * 100.0)),
        "The probability of meeting the target is a normal approximation: for snapshot and rolling measures, around the least-squares trend's year-end value with its prediction error; for cumulative measures, around the forecast with the spread of quarterly increments over the quarters to come. It needs at least four quarters; it is a guide, not a promise.".into(),
        format!("Reward: achievement is the share of the stretch (from performance without reward to the stretch target) that the forecast reaches, 0 below performance without reward and capped at {}%. No grant is paid below {}% of the stretch; above it the grant is paid {}. The trigger value is the outturn that reaches the threshold.",
            crate::domain::numbers::format_number(w.cap.min(1.0) * 100.0), crate::domain::numbers::format_number(w.threshold * 100.0), if w.pro_rata { "pro rata" } else { "only at the full stretch" }),
        "County values are the county return's own where given; otherwise they are derived from the districts' numerators and denominators (never by averaging rates), or by summing district counts. Manual overrides are shown beside the computed rating and never replace it silently.".into(),
        "Against other areas: other authorities' figures come from published comparator tables (laa benchmark import), are kept apart and never enter a rating. The county is ranked among English upper-tier authorities in the tables, a district among districts and single-tier authorities, for the period of the indicator's latest value: rank 1 is the best by the indicator's polarity and ties share a rank; the quartiles are the 25th, 50th and 75th percentiles by linear interpolation between the nearest ranks (as Excel's PERCENTILE.INC); the comparator group's median is of its other members with a figure. Authorities with no figure are counted, never taken as zero; an indicator with no polarity is not ranked.".into(),
    ]
}

#[cfg(test)]
mod tests;
