//! The Local Area Agreement as the partnership keeps it: one row per LAA indicator with its kind,
//! lead theme, baseline, annual targets and reward terms, read from the workspace's spreadsheet.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::domain::catalogue::{Aggregation, Catalogue, Frequency, Indicator, Measure, Polarity, normalise_code};
use crate::domain::periods::{self, Period};
use crate::sheet::{self, Cell, Field, Loc, Problem, Problems, Sheet};
use crate::workspace::Workspace;

mod check;

pub use check::{Finding, MAX_DESIGNATED, Severity, check, check_overrides};

#[derive(Debug, thiserror::Error)]
pub enum AgreementError {
    #[error(transparent)]
    Sheet(#[from] sheet::SheetError),
    #[error(
        "{file}: no header row found: expected columns such as \"Indicator\", \"Type\", \"Lead theme\", \"Baseline\", \"Target 2008/09\""
    )]
    NoHeader { file: String },
    #[error("{0}\n(the agreement has errors; fix the cells named above)")]
    Cells(Problems),
}

/// Designated (one of up to 35 improvement targets), statutory (education and early years) or local.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Designated,
    Statutory,
    Local,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        match sheet::norm(s).as_str() {
            "designated" | "d" | "improvement" | "designatedtarget" => Some(Kind::Designated),
            "statutory" | "s" | "dcsf" | "education" | "statutorytarget" => Some(Kind::Statutory),
            "local" | "l" | "localindicator" => Some(Kind::Local),
            _ => None,
        }
    }
}

/// Which outturn a reward target is assessed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Assessed {
    /// One financial (or academic) year's outturn, by the year it starts.
    Year(i32),
    /// The outturns of the agreement's years summed (a target set as a three-year total).
    Cumulative,
}

impl Assessed {
    fn parse(text: &str) -> Option<Assessed> {
        let n = sheet::norm(text);
        if n.starts_with("cumulative") || n == "total" || n.starts_with("sumof") {
            return Some(Assessed::Cumulative);
        }
        match text.parse::<Period>() {
            Ok(Period::Year { year }) | Ok(Period::Academic { year }) => Some(Assessed::Year(year)),
            _ => periods::find_year(text).map(Assessed::Year),
        }
    }
}

/// A reward (stretch) target's terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct RewardTerms {
    pub performance_without_reward: f64,
    pub stretch_target: f64,
    /// The most this target can earn; `None`: an equal share of the pot (`[reward] net_budget`).
    pub max_grant: Option<f64>,
    /// The outturn assessed, when the row names one (else the settings' year).
    pub assessed: Option<Assessed>,
    /// The agreed interim level: reached in the year before the assessed one, a share of the
    /// grant is paid a year early.
    pub interim_level: Option<f64>,
    /// Active, parked for renegotiation or withdrawn (the agreement's Status column); only an
    /// active target is counted in the totals.
    pub status: RewardStatus,
}

/// Where a reward target stands in the agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RewardStatus {
    /// Counted in the projected grant and the amount at risk.
    #[default]
    Active,
    /// Parked for renegotiation (the 2009 refresh): listed apart, not counted.
    Parked,
    /// Withdrawn from the agreement: listed apart, not counted, no grant.
    Withdrawn,
}

impl RewardStatus {
    pub fn name(self) -> &'static str {
        match self {
            RewardStatus::Active => "active",
            RewardStatus::Parked => "parked",
            RewardStatus::Withdrawn => "withdrawn",
        }
    }

    /// How a reason says it ("parked for renegotiation").
    pub fn words(self) -> &'static str {
        match self {
            RewardStatus::Active => "active",
            RewardStatus::Parked => "parked for renegotiation",
            RewardStatus::Withdrawn => "withdrawn from the agreement",
        }
    }
}

/// For which areas a return owes an indicator's value: the county's own figure, or the districts'
/// from which the county's is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OwedFor {
    #[default]
    County,
    Districts,
    /// The county's figure and every district's.
    All,
}

impl OwedFor {
    pub fn parse(s: &str) -> Option<OwedFor> {
        match sheet::norm(s).as_str() {
            "" | "county" | "countyonly" | "partnership" => Some(OwedFor::County),
            "districts" | "district" | "districtsonly" | "eachdistrict" => Some(OwedFor::Districts),
            "all" | "both" | "countyanddistricts" | "everyarea" => Some(OwedFor::All),
            _ => None,
        }
    }
}

/// One LAA indicator with its targets.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub code: String,
    pub kind: Kind,
    /// The lead theme's code.
    pub theme: String,
    pub baseline: Option<f64>,
    pub baseline_year: Option<String>,
    /// Annual targets by financial (or academic) year start.
    pub targets: BTreeMap<i32, f64>,
    pub reward: Option<RewardTerms>,
    /// Per-indicator tolerance overriding the partnership's.
    pub tolerance: Option<f64>,
    /// For an indicator with no polarity: the band (low, high) the outturn should fall in.
    pub band: Option<(f64, f64)>,
    /// The theme whose return owes its values (the lead theme unless the agreement says
    /// otherwise); none for a nationally published result (a survey, a department's figures),
    /// which no partner is chased for.
    pub owed_by: Option<String>,
    /// The areas a return owes a value for.
    pub owed_for: OwedFor,
    #[serde(skip)]
    pub loc: Loc,
}

impl Target {
    pub fn target_for(&self, year: i32) -> Option<f64> {
        self.targets.get(&year).copied()
    }
}

/// The agreement: its targets in spreadsheet order, and the catalogue it extends with its
/// local indicators and polarity/unit overrides.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub targets: Vec<Target>,
}

impl Agreement {
    pub fn get(&self, code: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.code == code)
    }

    /// Read the workspace's agreement; indicators it defines or overrides are put in `catalogue`.
    pub fn load(ws: &Workspace, catalogue: &mut Catalogue) -> Result<Agreement, AgreementError> {
        let path = ws.agreement_path();
        let label = ws.label(&path);
        Agreement::read(&path, &label, ws, catalogue)
    }

    pub fn read(
        path: &Path,
        label: &str,
        ws: &Workspace,
        catalogue: &mut Catalogue,
    ) -> Result<Agreement, AgreementError> {
        let wb = sheet::read_workbook(path, label)?;
        let (sheet, header) = wb
            .sheets
            .iter()
            .find_map(|s| sheet::find_header(s, FIELDS).map(|h| (s, h)))
            .ok_or_else(|| AgreementError::NoHeader { file: label.into() })?;
        let target_cols = target_columns(sheet, &header);
        let mut reader = RowReader { sheet, header: &header, label, problems: Vec::new() };
        let mut targets: Vec<Target> = Vec::new();
        for r in header.row + 1..sheet.rows.len() {
            if sheet.rows[r].iter().all(Cell::is_empty) {
                continue;
            }
            if let Some(t) = reader.row(r, &target_cols, ws, catalogue) {
                if let Some(first) = targets.iter().find(|x| x.code == t.code) {
                    reader.problem(
                        r,
                        "indicator",
                        format!("{} is already in the agreement at {}", t.code, first.loc.cell),
                    );
                } else {
                    targets.push(t);
                }
            }
        }
        if reader.problems.is_empty() {
            Ok(Agreement { targets })
        } else {
            Err(AgreementError::Cells(Problems(reader.problems)))
        }
    }
}

struct RowReader<'a> {
    sheet: &'a Sheet,
    header: &'a sheet::Header,
    label: &'a str,
    problems: Vec<Problem>,
}

impl RowReader<'_> {
    fn text(&self, r: usize, key: &str) -> String {
        self.header.col(key).map(|c| self.sheet.cell(r, c).text()).unwrap_or_default()
    }

    fn problem(&mut self, r: usize, key: &str, message: String) {
        let loc = self.sheet.loc(self.label, r, self.header.col(key).unwrap_or(0));
        self.problems.push(Problem { loc, message });
    }

    fn number_at(&mut self, r: usize, c: usize, what: &str) -> Option<f64> {
        match self.sheet.cell(r, c).number() {
            Ok(v) => v,
            Err(e) => {
                let loc = self.sheet.loc(self.label, r, c);
                self.problems.push(Problem { loc, message: format!("{what}: {e}") });
                None
            }
        }
    }

    fn number(&mut self, r: usize, key: &str) -> Option<f64> {
        let c = self.header.col(key)?;
        self.number_at(r, c, key)
    }

    fn row(&mut self, r: usize, target_cols: &[(i32, usize)], ws: &Workspace, cat: &mut Catalogue) -> Option<Target> {
        let raw = self.text(r, "indicator");
        let Some(code) = normalise_code(&raw) else {
            self.problem(
                r,
                "indicator",
                format!("{raw:?} is not an indicator code (expected e.g. \"NI 154\" or a local code \"L01\")"),
            );
            return None;
        };
        let kind_text = self.text(r, "kind");
        let kind = match Kind::parse(&kind_text) {
            Some(k) => k,
            None if kind_text.is_empty() && !code.starts_with("NI ") => Kind::Local,
            None if kind_text.is_empty() => Kind::Designated,
            None => {
                self.problem(r, "kind", format!("{kind_text:?} is not a target type (designated, statutory or local)"));
                Kind::Designated
            }
        };
        let theme_text = self.text(r, "theme");
        let theme = match ws.find_theme(&theme_text) {
            Some(t) => t.code.clone(),
            None => {
                let known: Vec<_> = ws.settings.themes.iter().map(|t| t.code.as_str()).collect();
                self.problem(
                    r,
                    "theme",
                    format!("{theme_text:?} is not a theme of partnership.toml ({})", known.join(", ")),
                );
                String::new()
            }
        };
        self.define_indicator(r, &code, cat);
        let mut targets = BTreeMap::new();
        for &(year, c) in target_cols {
            if let Some(v) = self.number_at(r, c, "target") {
                targets.insert(year, v);
            }
        }
        let reward = self.reward(r);
        let owed_by = self.owed_by(r, ws, &theme);
        let owed_for_text = self.text(r, "owed_for");
        let owed_for = OwedFor::parse(&owed_for_text).unwrap_or_else(|| {
            self.problem(r, "owed_for", format!("{owed_for_text:?} is not county, districts or all"));
            OwedFor::County
        });
        Some(Target {
            code,
            kind,
            theme,
            baseline: self.number(r, "baseline"),
            baseline_year: Some(self.text(r, "baseline_year")).filter(|s| !s.is_empty()),
            targets,
            reward,
            tolerance: self.number(r, "tolerance").map(|t| if t > 1.0 { t / 100.0 } else { t }),
            band: self.band(r),
            owed_by,
            owed_for,
            loc: self.sheet.loc(self.label, r, self.header.col("indicator").unwrap_or(0)),
        })
    }

    /// The theme that owes the indicator's values: the lead theme when the cell is blank, none
    /// for a result published nationally ("national", "none").
    fn owed_by(&mut self, r: usize, ws: &Workspace, lead: &str) -> Option<String> {
        let text = self.text(r, "owed_by");
        match sheet::norm(&text).as_str() {
            "" => Some(lead.to_string()),
            "none" | "nobody" | "national" | "nationallypublished" | "published" | "government" => None,
            _ => match ws.find_theme(&text) {
                Some(t) => Some(t.code.clone()),
                None => {
                    let known: Vec<_> = ws.settings.themes.iter().map(|t| t.code.as_str()).collect();
                    self.problem(
                        r,
                        "owed_by",
                        format!("{text:?} is not a theme of partnership.toml ({}) nor \"national\"", known.join(", ")),
                    );
                    None
                }
            },
        }
    }

    fn band(&mut self, r: usize) -> Option<(f64, f64)> {
        match (self.number(r, "band_low"), self.number(r, "band_high")) {
            (None, None) => None,
            (Some(lo), Some(hi)) if lo <= hi => Some((lo, hi)),
            (Some(_), Some(_)) => {
                self.problem(r, "band_low", "the target band's low end is above its high end".into());
                None
            }
            _ => {
                self.problem(r, "band_low", "a target band needs both its low and its high end".into());
                None
            }
        }
    }

    fn reward(&mut self, r: usize) -> Option<RewardTerms> {
        let without = self.number(r, "without");
        let stretch = self.number(r, "stretch");
        let grant = self.number(r, "grant");
        let interim = self.number(r, "interim");
        let assessed_text = self.text(r, "assessed");
        let status = sheet::norm(&self.text(r, "status"));
        let (Some(w), Some(s)) = (without, stretch) else {
            if without.is_some() || stretch.is_some() || grant.is_some() {
                self.problem(
                    r,
                    "without",
                    "a reward target needs both performance without reward and the stretch target (and a maximum grant, unless [reward] net_budget shares out the pot)"
                        .into(),
                );
            }
            return None;
        };
        let assessed = if assessed_text.is_empty() {
            None
        } else {
            let a = Assessed::parse(&assessed_text);
            if a.is_none() {
                self.problem(
                    r,
                    "assessed",
                    format!("{assessed_text:?} is not a year (e.g. \"2010/11\") or \"cumulative\""),
                );
            }
            a
        };
        let status = match status.as_str() {
            "" | "active" | "live" | "no" | "agreed" => RewardStatus::Active,
            "parked" | "yes" | "renegotiation" | "parkedforrenegotiation" | "suspended" => RewardStatus::Parked,
            "withdrawn" | "dropped" | "removed" | "cancelled" | "deleted" => RewardStatus::Withdrawn,
            _ => {
                self.problem(
                    r,
                    "status",
                    format!(
                        "{:?} is not a reward status (blank or \"active\", \"parked\", \"withdrawn\")",
                        self.text(r, "status")
                    ),
                );
                RewardStatus::Active
            }
        };
        Some(RewardTerms {
            performance_without_reward: w,
            stretch_target: s,
            max_grant: grant,
            assessed,
            interim_level: interim,
            status,
        })
    }

    /// Local indicators are defined by their agreement row; an NI row may set polarity, unit,
    /// frequency or measure type where the catalogue leaves them blank or the partnership differs.
    fn define_indicator(&mut self, r: usize, code: &str, cat: &mut Catalogue) {
        let mut ind = match cat.get(code) {
            Some(i) => i.clone(),
            None if code.starts_with("NI ") => {
                self.problem(r, "indicator", format!("{code} is not in the National Indicator Set catalogue"));
                return;
            }
            None => Indicator {
                code: code.to_string(),
                title: String::new(),
                theme: "Local".into(),
                polarity: Polarity::None,
                unit: String::new(),
                frequency: Frequency::Quarterly,
                measure_type: Measure::Snapshot,
                aggregation: None,
            },
        };
        let title = self.text(r, "title");
        if !title.is_empty() && !code.starts_with("NI ") {
            ind.title = title;
        }
        if ind.title.is_empty() {
            self.problem(r, "title", format!("local indicator {code} needs a title"));
        }
        let unit = self.text(r, "unit");
        if !unit.is_empty() && unit != ind.unit {
            // a unit the partnership sets decides summing, unless it says otherwise too
            ind.unit = unit;
            ind.aggregation = None;
        }
        let mut aggregation = None;
        self.parse_into(r, "aggregation", |t| Aggregation::parse(t).map(Some), &mut aggregation);
        if let Some(a) = aggregation.filter(|a| *a != Aggregation::Unknown) {
            ind.aggregation = Some(a);
        }
        self.parse_into(r, "polarity", Polarity::parse, &mut ind.polarity);
        self.parse_into(r, "frequency", Frequency::parse, &mut ind.frequency);
        self.parse_into(r, "measure_type", Measure::parse, &mut ind.measure_type);
        cat.insert(ind);
    }

    fn parse_into<T>(&mut self, r: usize, key: &str, parse: fn(&str) -> Option<T>, into: &mut T) {
        let text = self.text(r, key);
        if text.is_empty() {
            return;
        }
        match parse(&text) {
            Some(v) => *into = v,
            None => self.problem(r, key, format!("{text:?} is not a valid {}", key.replace('_', " "))),
        }
    }
}

/// Columns whose header names a year ("Target 2008/09", "2009/10 target", "2010-11").
fn target_columns(sheet: &Sheet, header: &sheet::Header) -> Vec<(i32, usize)> {
    sheet.rows[header.row]
        .iter()
        .enumerate()
        .filter(|(c, _)| !header.columns.iter().any(|(_, hc)| hc == c))
        .filter_map(|(c, cell)| {
            let text = cell.text();
            let n = sheet::norm(&text);
            let year = periods::find_year(&text).or_else(|| match text.parse::<Period>() {
                Ok(Period::Year { year }) | Ok(Period::Academic { year }) => Some(year),
                _ => None,
            })?;
            (n.contains("target") || n.chars().all(|c| c.is_ascii_digit())).then_some((year, c))
        })
        .collect()
}

const FIELDS: &[Field] = &[
    Field {
        key: "indicator",
        aliases: &["indicator", "NI", "NI ref", "code", "ref", "indicator code", "NI number"],
        required: true,
    },
    Field { key: "title", aliases: &["title", "indicator title", "description", "name"], required: false },
    Field { key: "kind", aliases: &["type", "kind", "target type", "category", "designation"], required: false },
    Field {
        key: "theme",
        aliases: &["lead theme", "theme", "lead", "lead partnership", "theme partnership", "block"],
        required: true,
    },
    Field { key: "polarity", aliases: &["polarity", "good performance", "direction"], required: false },
    Field { key: "unit", aliases: &["unit", "units"], required: false },
    Field { key: "frequency", aliases: &["frequency"], required: false },
    Field { key: "measure_type", aliases: &["measure type", "measure"], required: false },
    Field { key: "aggregation", aliases: &["county value", "aggregation"], required: false },
    Field { key: "baseline_year", aliases: &["baseline year", "baseline period", "year of baseline"], required: false },
    Field { key: "baseline", aliases: &["baseline", "baseline value"], required: false },
    Field {
        key: "without",
        aliases: &["performance without reward", "without reward", "pwr", "performance without stretch"],
        required: false,
    },
    Field { key: "stretch", aliases: &["stretch target", "stretch", "performance with reward"], required: false },
    Field {
        key: "grant",
        aliases: &["maximum grant", "max grant", "reward grant", "maximum reward", "grant"],
        required: false,
    },
    Field { key: "assessed", aliases: &["assessed", "assessed on", "assessment year", "reward year"], required: false },
    Field { key: "interim", aliases: &["interim level", "interim target", "interim"], required: false },
    Field { key: "status", aliases: &["reward status", "parked", "status"], required: false },
    Field { key: "tolerance", aliases: &["tolerance", "amber tolerance"], required: false },
    Field { key: "band_low", aliases: &["band low", "target band low", "band from", "lower bound"], required: false },
    Field { key: "band_high", aliases: &["band high", "target band high", "band to", "upper bound"], required: false },
    Field { key: "owed_by", aliases: &["owed by", "returned by", "data owner", "collected from"], required: false },
    Field { key: "owed_for", aliases: &["owed for", "areas owed", "returned for"], required: false },
];

/// Column headers of the agreement template, in order (`laa template agreement`).
pub fn template_headers(ws_years: &[i32]) -> Vec<String> {
    let mut h: Vec<String> = [
        "Indicator",
        "Title",
        "Type",
        "Lead theme",
        "Polarity",
        "Unit",
        "Frequency",
        "Measure type",
        "Baseline",
        "Baseline year",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(ws_years.iter().map(|y| format!("Target {}", Period::Year { year: *y })));
    h.extend(
        [
            "Performance without reward",
            "Stretch target",
            "Maximum grant",
            "Assessed",
            "Interim level",
            "Reward status",
            "Tolerance",
            "Band low",
            "Band high",
            "County value",
            "Owed by",
            "Owed for",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    h
}

#[cfg(test)]
mod tests;
