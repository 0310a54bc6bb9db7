//! A partnership's workspace: `partnership.toml` (name, areas, themes, settings) and where its
//! agreement, priorities, returns and store live.

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::periods::Period;
use crate::domain::text::norm;
mod validate;

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{0}: no partnership.toml here; is this a laa workspace? (create one with `laa init DIR`)")]
    Missing(PathBuf),
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The file that marks a directory as a workspace.
pub const SETTINGS_FILE: &str = "partnership.toml";

/// `partnership.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The partnership's name, e.g. "Leicestershire Together".
    pub name: String,
    /// The board that receives the report.
    #[serde(default)]
    pub board: String,
    /// The officer group the report comes from.
    #[serde(default)]
    pub officer_group: String,
    #[serde(default)]
    pub meeting_date: Option<String>,
    pub agreement: AgreementSettings,
    pub areas: Vec<Area>,
    pub themes: Vec<Theme>,
    #[serde(default)]
    pub rating: RatingSettings,
    #[serde(default)]
    pub reward: RewardSettings,
    #[serde(default)]
    pub limits: crate::domain::limits::Limits,
    #[serde(default)]
    pub recommendations: Vec<String>,
    #[serde(default)]
    pub benchmark: BenchmarkSettings,
    #[serde(default)]
    pub returns: ReturnsSettings,
}

/// `[benchmark]`: who the partnership is among English authorities, and whom it is compared with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BenchmarkSettings {
    /// The partnership's own authority: its county's ONS code ("E10000018"). Without it the
    /// county is found by its name in the register of authorities.
    pub authority: Option<String>,
    /// The ONS codes of the partnership's districts, by their codes here (`BLA = "E07000129"`),
    /// for districts the register does not know by name.
    pub areas: std::collections::BTreeMap<String, String>,
    /// Named comparator groups, each a list of ONS codes (CIPFA nearest neighbours, statistical
    /// neighbours).
    pub groups: std::collections::BTreeMap<String, Vec<String>>,
    /// The group shown beside each rating (the first group when not set).
    pub group: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementSettings {
    /// First financial year of the agreement, e.g. "2008/09".
    pub first_year: Period,
    /// Last financial year of the agreement, e.g. "2010/11".
    pub last_year: Period,
    /// The agreement spreadsheet, relative to the workspace.
    #[serde(default = "default_agreement")]
    pub file: String,
    /// The priorities mapping spreadsheet, relative to the workspace.
    #[serde(default = "default_priorities")]
    pub priorities: String,
    /// Manual rating overrides (optional), relative to the workspace.
    #[serde(default = "default_overrides")]
    pub overrides: String,
    /// The SCS and LAA timetable (optional), relative to the workspace.
    #[serde(default = "default_timetable")]
    pub timetable: String,
    /// The statutory education and early-years targets the agreement must hold.
    #[serde(default = "default_statutory")]
    pub statutory: Vec<String>,
}

fn default_overrides() -> String {
    "overrides.xlsx".into()
}

fn default_timetable() -> String {
    "timetable.xlsx".into()
}

fn default_statutory() -> Vec<String> {
    STATUTORY.iter().map(|s| s.to_string()).collect()
}

fn default_agreement() -> String {
    "agreement.xlsx".into()
}
fn default_priorities() -> String {
    "priorities.xlsx".into()
}

/// The county or one of its districts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub code: String,
    pub name: String,
    /// The partnership area as a whole (exactly one area has this).
    #[serde(default)]
    pub county: bool,
    /// Other spellings met in returns ("NW Leics").
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A theme partnership (and the SCS theme it leads).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub code: String,
    pub name: String,
    /// The theme partnership that sends returns for it.
    #[serde(default)]
    pub partnership: String,
    /// Who is chased for its returns: `"Name <address>"`, or a bare address.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// Working days after a quarter ends that its return is due, when not [`ReturnsSettings`]'s.
    #[serde(default)]
    pub due_working_days: Option<u32>,
}

/// `[returns]`: when returns are due and who sends the reminders.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReturnsSettings {
    /// Working days after a quarter ends (weekends and bank holidays skipped) that its returns
    /// are due.
    pub due_working_days: u32,
    /// The sender of the reminders, `"Name <address>"`.
    pub from: Option<String>,
    /// Quarters due on a fixed date instead: `"2009/10 Q3" = "2010-01-29"`.
    pub due: std::collections::BTreeMap<String, String>,
    /// A csv of bank holidays (date,name) beside the shipped ones (England and Wales 2007–2012),
    /// relative to the workspace.
    pub bank_holidays: Option<String>,
}

impl Default for ReturnsSettings {
    fn default() -> Self {
        ReturnsSettings { due_working_days: 20, from: None, due: Default::default(), bank_holidays: None }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum ToleranceKind {
    /// A share of the target (0.05 = 5% of the target).
    Relative,
    /// In the indicator's own unit.
    Absolute,
}

/// Which rating an annual, academic-year or biennial indicator between its results carries into
/// the headline counts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "snake_case")]
pub enum BetweenResults {
    /// The risk: the forecast of the next due result against that year's target.
    Forecast,
    /// What happened: the last result against the target of the year it belongs to (the risk to
    /// the next result is shown apart).
    #[default]
    LastResult,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum ForecastMethod {
    /// Snapshot measures: the latest value.
    Latest,
    /// Snapshot measures: the least-squares trend of the recent quarters.
    Trend,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum CumulativeForecast {
    /// Year to date × 4 ÷ quarters elapsed.
    Linear,
    /// Year to date ÷ the share of last year's total reached by the same quarter.
    Seasonal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RatingSettings {
    pub tolerance: f64,
    pub tolerance_kind: ToleranceKind,
    pub forecast: ForecastMethod,
    /// Cumulative (year-to-date) measures.
    pub cumulative_forecast: CumulativeForecast,
    /// Quarters used for a trend.
    pub trend_quarters: usize,
    /// A relative change smaller than this is "no change" in the direction of travel.
    pub no_change_threshold: f64,
    pub between_results: BetweenResults,
}

impl Default for RatingSettings {
    fn default() -> Self {
        RatingSettings {
            tolerance: 0.05,
            tolerance_kind: ToleranceKind::Relative,
            forecast: ForecastMethod::Latest,
            cumulative_forecast: CumulativeForecast::Linear,
            trend_quarters: 4,
            no_change_threshold: 0.01,
            between_results: BetweenResults::LastResult,
        }
    }
}

/// Which year's outturn reward is assessed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AssessOn {
    /// The agreement's final year (LAA 2008–11: 2010/11), projected from the actuals so far; a
    /// target's "Assessed" column in the agreement may name another year or "cumulative".
    #[default]
    FinalYear,
    /// This year's forecast, as LPSA-style trackers showed it.
    CurrentYear,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RewardSettings {
    /// Share of the stretch below which nothing is paid.
    pub threshold: f64,
    /// Pay pro rata between the threshold and the cap (else all-or-nothing at the cap).
    pub pro_rata: bool,
    /// Largest share paid.
    pub cap: f64,
    pub assess_on: AssessOn,
    /// The council's net budget requirement for the base year: with it, a target whose row gives
    /// no maximum grant gets an equal share of the pot (`pot_share` of the budget).
    pub net_budget: Option<f64>,
    pub pot_share: f64,
    /// Share of a target's grant paid a year early when its agreed interim level is reached
    /// (netted off the final figure).
    pub interim_share: f64,
    /// A cut to the whole grant (0.5 = half) for payments due in or after the financial year
    /// containing `reduction_from` (a date, e.g. "2010-06-01").
    pub reduction: f64,
    pub reduction_from: Option<String>,
    /// Share of each payment made as capital (the rest is revenue).
    pub capital_share: f64,
}

impl Default for RewardSettings {
    fn default() -> Self {
        RewardSettings {
            threshold: 0.6,
            pro_rata: true,
            cap: 1.0,
            assess_on: AssessOn::FinalYear,
            net_budget: None,
            pot_share: 0.025,
            interim_share: 0.2,
            reduction: 0.0,
            reduction_from: None,
            capital_share: 0.5,
        }
    }
}

impl RewardSettings {
    /// The first day the reduction applies, when there is one.
    pub fn reduction_date(&self) -> Option<chrono::NaiveDate> {
        self.reduction_from.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
    }
}

/// The 16 statutory education and early-years targets (the default; recalled, see
/// `datasets/reference/statutory-targets.md`).
pub const STATUTORY: [&str; 16] = [
    "NI 72", "NI 73", "NI 74", "NI 75", "NI 83", "NI 87", "NI 92", "NI 93", "NI 94", "NI 95", "NI 96", "NI 97",
    "NI 98", "NI 99", "NI 100", "NI 101",
];

/// An opened workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub dir: PathBuf,
    pub settings: Settings,
    /// Every normalised spelling of an area (code, name, aliases) → its index in `settings.areas`.
    area_index: FxHashMap<String, usize>,
    /// Spellings two areas share: they name neither.
    area_clashes: FxHashMap<String, Vec<usize>>,
    /// The same, with the council's words taken out ("Blaby District Council" → blaby).
    council_index: FxHashMap<String, usize>,
    council_clashes: FxHashMap<String, Vec<usize>>,
}

impl BenchmarkSettings {
    /// The ONS code `[benchmark]` states for an area: its `[benchmark.areas]` entry (by any
    /// spelling of its code), else `authority` for the county.
    pub fn stated_ons(&self, a: &Area) -> Option<&String> {
        let listed = self.areas.iter().find(|(k, _)| norm(k) == norm(&a.code)).map(|(_, c)| c);
        listed.or(if a.county { self.authority.as_ref() } else { None })
    }
}

/// Each spelling → the areas it names: one area, or a clash of two or more.
type Spellings = FxHashMap<String, Vec<usize>>;

fn split_clashes(spellings: Spellings) -> (FxHashMap<String, usize>, Spellings) {
    let (mut index, mut clashes) = (FxHashMap::default(), FxHashMap::default());
    for (s, v) in spellings {
        if v.len() == 1 {
            index.insert(s, v[0]);
        } else {
            clashes.insert(s, v);
        }
    }
    (index, clashes)
}

/// The words that make a name a council's ("Blaby District Council", "the Borough of …").
const COUNCIL_WORDS: &[&str] = &["district", "borough", "city", "county", "council", "the", "of"];

/// Whether a name holds one of [`COUNCIL_WORDS`]; without one, [`council_norm`] is [`norm`].
fn has_council_word(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric()).any(|w| COUNCIL_WORDS.iter().any(|c| w.eq_ignore_ascii_case(c)))
}

/// A name with the words that make it a council's taken out: "Hinckley and Bosworth Borough
/// Council" and "the Borough of Hinckley & Bosworth" are both `hinckleyandbosworth`.
pub fn council_norm(s: &str) -> String {
    let lower = s.to_lowercase().replace('&', " and ");
    lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && !COUNCIL_WORDS.contains(w)).collect()
}

impl Workspace {
    pub fn open(dir: &Path) -> Result<Workspace, WorkspaceError> {
        let path = dir.join(SETTINGS_FILE);
        if !path.exists() {
            return Err(WorkspaceError::Missing(dir.to_path_buf()));
        }
        let text =
            std::fs::read_to_string(&path).map_err(|source| WorkspaceError::Io { path: path.clone(), source })?;
        let mut settings: Settings = toml::from_str(&text)
            .map_err(|e| WorkspaceError::Invalid { path: path.clone(), message: e.to_string() })?;
        settings.benchmark.normalise();
        settings.validate().map_err(|message| WorkspaceError::Invalid { path, message })?;
        Ok(Workspace::new(dir.to_path_buf(), settings))
    }

    /// A workspace from settings already read.
    pub fn new(dir: PathBuf, settings: Settings) -> Workspace {
        let mut spellings = Spellings::default();
        let mut council = Spellings::default();
        let add = |m: &mut Spellings, key: String, i: usize| {
            if key.is_empty() {
                return;
            }
            let v = m.entry(key).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        };
        for (i, a) in settings.areas.iter().enumerate() {
            // the area's ONS code, as [benchmark] states it
            let ons = settings.benchmark.stated_ons(a);
            for name in [&a.code, &a.name].into_iter().chain(a.aliases.iter()).chain(ons) {
                add(&mut spellings, norm(name), i);
                add(&mut council, council_norm(name), i);
            }
        }
        let (mut area_index, area_clashes) = split_clashes(spellings);
        let (council_index, council_clashes) = split_clashes(council);
        if let Some(i) = settings.areas.iter().position(|a| a.county) {
            for word in ["county", "countywide", "total", "all"] {
                area_index.entry(word.to_string()).or_insert(i);
            }
        }
        Workspace { dir, settings, area_index, area_clashes, council_index, council_clashes }
    }

    /// A workspace whose areas are English authorities (the register's, by every code and name
    /// it knows), for reading comparator tables with the returns' reader: the same settings,
    /// no county.
    pub fn for_comparators(&self, register: &crate::domain::authorities::Authorities) -> Workspace {
        let mut settings = self.settings.clone();
        settings.areas = register
            .list
            .iter()
            .map(|a| Area {
                code: a.code.clone(),
                name: a.name.clone(),
                county: false,
                aliases: a.old_code.iter().chain(&a.other_codes).chain(&a.aliases).cloned().collect(),
            })
            .collect();
        Workspace::new(self.dir.clone(), settings)
    }

    /// The areas a spelling shared by two or more of them names ("Newcastle").
    pub fn area_clash(&self, text: &str) -> Vec<&Area> {
        let clash = self.area_clashes.get(&norm(text)).or_else(|| {
            if self.area_index.contains_key(&norm(text)) { None } else { self.council_clashes.get(&council_norm(text)) }
        });
        clash.map_or(Vec::new(), |v| v.iter().map(|&i| &self.settings.areas[i]).collect())
    }

    /// The folder of comparator tables (`laa benchmark import` reads every file in it).
    pub fn benchmarks_dir(&self) -> PathBuf {
        self.dir.join("benchmarks")
    }

    /// The store of comparator values, kept apart from the partnership's own.
    pub fn benchmark_store_dir(&self) -> PathBuf {
        self.store_dir().join("benchmarks")
    }

    /// An area's ONS code: `[benchmark] areas` or `authority`, else its name (or an alias) in the
    /// register of authorities, else its own code when that is an ONS code.
    pub fn ons_code(&self, area: &str) -> Option<String> {
        use crate::domain::authorities::{Authorities, Found, is_authority_code};
        let a = self.find_area(area)?;
        if let Some(c) = self.settings.benchmark.stated_ons(a) {
            return Some(c.clone());
        }
        if is_authority_code(&a.code) {
            return Some(a.code.to_ascii_uppercase());
        }
        let reg = Authorities::shipped();
        [&a.name].into_iter().chain(&a.aliases).find_map(|n| match reg.find(n) {
            Found::One(x) if x.tier.is_authority() => Some(x.code.clone()),
            _ => None,
        })
    }

    pub fn returns_dir(&self) -> PathBuf {
        self.dir.join("returns")
    }

    pub fn store_dir(&self) -> PathBuf {
        self.dir.join("store")
    }

    pub fn agreement_path(&self) -> PathBuf {
        self.dir.join(&self.settings.agreement.file)
    }

    pub fn overrides_path(&self) -> PathBuf {
        self.dir.join(&self.settings.agreement.overrides)
    }

    pub fn priorities_path(&self) -> PathBuf {
        self.dir.join(&self.settings.agreement.priorities)
    }

    /// How a file in the workspace is named in messages: relative to the workspace.
    pub fn label(&self, path: &Path) -> String {
        path.strip_prefix(&self.dir).unwrap_or(path).to_string_lossy().replace('\\', "/")
    }

    pub fn county(&self) -> &Area {
        self.settings.areas.iter().find(|a| a.county).expect("validated: one county")
    }

    /// Find an area by code, name, alias or ONS code, ignoring case, spaces, punctuation and
    /// `&`/"and", and then without the council's words ("Blaby District Council").
    /// Text holding a control or formatting character (a NUL, an escape, a bidirectional
    /// override) names no area: it is refused, never matched on the letters around it.
    pub fn find_area(&self, text: &str) -> Option<&Area> {
        if text.chars().any(|c| crate::domain::text::is_hazard(c) && !matches!(c, '\t' | '\n' | '\r')) {
            return None;
        }
        let n = norm(text);
        if self.area_clashes.contains_key(&n) {
            return None;
        }
        self.area_index
            .get(&n)
            // most text looked up is no council's name ("NI 154"): its council form is `n` itself
            .or_else(|| {
                if has_council_word(text) {
                    self.council_index.get(&council_norm(text))
                } else {
                    self.council_index.get(&n)
                }
            })
            .map(|&i| &self.settings.areas[i])
    }

    pub fn find_theme(&self, text: &str) -> Option<&Theme> {
        let n = norm(text);
        self.settings.themes.iter().find(|t| {
            norm(&t.code) == n || norm(&t.name) == n || (!t.partnership.is_empty() && norm(&t.partnership) == n)
        })
    }

    /// Is a period inside the window returns may report: the baseline year (the year before the
    /// agreement starts) to the agreement's last year?
    pub fn period_in_window(&self, p: &Period) -> bool {
        let a = &self.settings.agreement;
        (a.first_year.year() - 1..=a.last_year.year()).contains(&p.year())
    }

    pub fn years(&self) -> Vec<i32> {
        let a = &self.settings.agreement;
        (a.first_year.year()..=a.last_year.year()).collect()
    }
}

/// The `partnership.toml` that `laa init` writes.
pub const TEMPLATE_SETTINGS: &str = r#"# laa workspace settings. Edit the names, areas and themes; then fill in agreement.xlsx,
# priorities.xlsx and put quarterly returns in returns/.
name = "Example Partnership"
board = "Example Partnership Board"
officer_group = "Strategic Senior Officers' Group"
# meeting_date = "2009-11-30"
recommendations = [
  "that the Board notes the progress reported against the Local Area Agreement",
  "that theme partnerships address the red risk ratings and report remedial action to the next meeting",
]

[agreement]
first_year = "2008/09"
last_year = "2010/11"
file = "agreement.xlsx"
priorities = "priorities.xlsx"

# Exactly one area is the county (the partnership area); the others are its districts.
[[areas]]
code = "COUNTY"
name = "Example County"
county = true

[[areas]]
code = "DIST1"
name = "First District"
aliases = ["First"]

[[themes]]
code = "safer"
name = "Safer Communities"
partnership = "Community Safety Partnership"
# contacts = ["Name <name@example.org>"]   # who `laa returns remind` writes to
# due_working_days = 25                    # the theme's own, when not [returns]'s

[rating]
tolerance = 0.05             # amber within 5% of the target
tolerance_kind = "relative"  # or "absolute" (in the indicator's unit)
forecast = "latest"          # or "trend": least-squares over trend_quarters for snapshot measures
cumulative_forecast = "linear"  # or "seasonal": scale year-to-date by last year's profile
trend_quarters = 4
no_change_threshold = 0.01   # direction of travel: relative change below 1% is "no change"
between_results = "last_result" # annual indicators between results: the headline is the last result against its own year's target ("forecast": the next result's risk); the other is shown apart

[reward]
threshold = 0.6   # nothing paid below 60% of the stretch
pro_rata = true
cap = 1.0
assess_on = "final_year"   # the agreement's last year, projected from the actuals so far ("current_year": this year's forecast)
# net_budget = 132993000   # with it, a target with no maximum grant gets an equal share of pot_share × net_budget
pot_share = 0.025
interim_share = 0.2        # paid a year early when a target's interim level is reached, netted off the final figure
reduction = 0.0            # e.g. 0.5 with reduction_from = "2010-06-01": the June 2010 in-year cut
capital_share = 0.5        # each instalment: 50% capital, 50% revenue

[returns]
due_working_days = 20      # returns due 20 working days after the quarter (weekends and bank holidays skipped)
# from = "Performance Team <performance@example.org>"   # the reminders' sender
# bank_holidays = "bank-holidays.csv"                   # years beyond the shipped 2007-2012 (date,name)
"#;

#[cfg(test)]
mod tests;
