//! The indicator catalogue: the National Indicator Set (shipped in `datasets/nis/`) plus any
//! local indicators, with polarity, unit, frequency and measure type; and indicator codes.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::text::norm;

/// An indicator the catalogue does not have (reading the catalogue's files is
/// `workspace::catalogue`'s).
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("no indicator {0:?} in the catalogue")]
    Unknown(String),
}

/// Whether a higher or a lower value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Higher,
    Lower,
    #[default]
    None,
}

impl Polarity {
    pub fn parse(s: &str) -> Option<Polarity> {
        match norm(s).as_str() {
            "higher" | "high" | "up" | "higherisbetter" | "increase" | "h" => Some(Polarity::Higher),
            "lower" | "low" | "down" | "lowerisbetter" | "decrease" | "l" => Some(Polarity::Lower),
            "" | "none" | "n" | "neither" | "na" => Some(Polarity::None),
            _ => None,
        }
    }
}

/// How often values come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Quarterly,
    #[default]
    Annual,
    /// Biennial surveys such as the Place Survey.
    Biennial,
    /// Education results per academic year.
    Academic,
}

impl Frequency {
    pub fn parse(s: &str) -> Option<Frequency> {
        match norm(s).as_str() {
            "quarterly" | "quarter" | "q" => Some(Frequency::Quarterly),
            "annual" | "annually" | "yearly" | "" => Some(Frequency::Annual),
            "biennial" | "biennialsurvey" | "survey" | "everytwoyears" => Some(Frequency::Biennial),
            "academic" | "academicyear" => Some(Frequency::Academic),
            _ => None,
        }
    }
}

/// How a quarter's value relates to the year-end outturn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// The value at a point in time.
    #[default]
    Snapshot,
    /// Year-to-date total.
    Cumulative,
    /// Rolling twelve months.
    Rolling,
}

impl Measure {
    pub fn parse(s: &str) -> Option<Measure> {
        match norm(s).as_str() {
            "snapshot" | "" | "pointintime" => Some(Measure::Snapshot),
            "cumulative" | "ytd" | "yeartodate" | "cumulativeyeartodate" => Some(Measure::Cumulative),
            "rolling" | "rolling12months" | "rolling12month" | "rollingyear" => Some(Measure::Rolling),
            _ => None,
        }
    }
}

/// How a county value may be made from district values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    /// A count: district values add up to the county's.
    Sum,
    /// A rate, percentage or average: district numerators and denominators are summed, then
    /// divided; the values themselves are never summed or averaged.
    Ratio,
    /// A score, index, median or gap: no county value can be made from districts.
    None,
    /// The unit is not known, so nothing is summed (set the unit to say how).
    Unknown,
}

impl Aggregation {
    pub fn parse(s: &str) -> Option<Aggregation> {
        match norm(s).as_str() {
            "sum" | "count" | "add" | "summed" => Some(Aggregation::Sum),
            "ratio" | "rate" | "numeratordenominator" => Some(Aggregation::Ratio),
            "none" | "no" | "notderivable" => Some(Aggregation::None),
            "" | "unknown" => Some(Aggregation::Unknown),
            _ => None,
        }
    }

    /// What a unit says about summing: counts and money add up; percentages, rates ("per"),
    /// ratios and averages (days, minutes) do not; scores and indexes cannot be derived; an
    /// empty or unrecognised unit is unknown.
    pub fn from_unit(unit: &str) -> Aggregation {
        let u = norm(unit);
        let raw = unit.trim();
        if u.contains("per")
            || raw.contains('%')
            || ["rate", "ratio", "percent", "average", "mean", "days", "minutes", "weeks"].iter().any(|w| u.contains(w))
        {
            Aggregation::Ratio
        } else if ["score", "index", "median", "gap", "level"].iter().any(|w| u.contains(w)) {
            Aggregation::None
        } else if ["number", "count", "households", "people", "homes"].contains(&u.as_str()) || raw.starts_with('£') {
            Aggregation::Sum
        } else {
            Aggregation::Unknown
        }
    }
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// `NI 154` or a local code such as `L01`.
    pub code: String,
    pub title: String,
    pub theme: String,
    pub polarity: Polarity,
    pub unit: String,
    pub frequency: Frequency,
    pub measure_type: Measure,
    /// How a county value is made from districts, as the catalogue or agreement states it
    /// (`None`: follow the unit).
    pub aggregation: Option<Aggregation>,
}

impl Indicator {
    /// How a county value may be made from district values: as stated, else from the unit.
    pub fn aggregation(&self) -> Aggregation {
        self.aggregation.unwrap_or_else(|| Aggregation::from_unit(&self.unit))
    }

    /// The factor that turns numerator/denominator into the indicator's unit (% → 100).
    pub fn unit_scale(&self) -> f64 {
        let u = norm(&self.unit);
        match u.as_str() {
            "percent" | "percentage" => 100.0,
            _ if self.unit.contains('%') => 100.0,
            _ if u.contains("per100000") => 100_000.0,
            _ if u.contains("per10000") => 10_000.0,
            _ if u.contains("per1000") => 1_000.0,
            _ => 1.0,
        }
    }
}

/// The catalogue: indicators by code, in NI order then local codes.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    indicators: BTreeMap<SortKey, Indicator>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey(u32, String);

fn sort_key(code: &str) -> SortKey {
    match code.strip_prefix("NI ").and_then(|n| n.parse::<u32>().ok()) {
        Some(n) => SortKey(n, String::new()),
        None => SortKey(u32::MAX, code.to_string()),
    }
}

/// Normalise an indicator reference: `NI154`, `ni 154`, `154`, `NI-154`, `NI 154 Net additional
/// homes`, `NI 154 (LAA)`, `NI 154*` → `NI 154`; a local code (`l01`, `L 01`) → upper case without
/// spaces (`L01`).
///
/// A code is read to its end: whatever follows the number must be a decoration (a bracketed
/// note such as "(LAA)" or "[1]", or a footnote mark) or a title after a separator, never more
/// digits ("NI 1.11", "NI 1 11", "NI 16/20") or letters glued to the number ("NI 15a"). Non-
/// breaking and zero-width spaces are normalised; any other control or formatting character
/// (a NUL, an escape, a bidirectional override) makes the text no code at all.
pub fn normalise_code(text: &str) -> Option<String> {
    let t = clean_code_text(text)?;
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    let upper = t.to_uppercase();
    let rest = upper
        .strip_prefix("NI")
        .or_else(|| upper.strip_prefix("N.I."))
        .map(|r| r.trim_start_matches([' ', '-', '_', '.', ':']));
    if let Some(rest) = rest {
        let d: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if d.is_empty() || !is_code_tail(&rest[d.len()..]) {
            return None;
        }
        let n: u32 = d.parse().ok()?;
        return (n > 0).then(|| format!("NI {n}"));
    }
    if upper.chars().all(|c| c.is_ascii_digit() || c == '.') {
        let n: f64 = upper.parse().ok()?;
        return (n.fract() == 0.0 && n > 0.0 && n < 1e6).then(|| format!("NI {}", n as u32));
    }
    // a local code: letters then digits, nothing else ("L01", "LOCAL 3" → "LOCAL3")
    let compact: String = upper.split_whitespace().collect();
    let letters = compact.chars().take_while(char::is_ascii_alphabetic).count();
    let ok = letters >= 1
        && compact.len() > letters
        && compact.len() <= 12
        && compact[letters..].chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    ok.then_some(compact)
}

/// A code cell's text with non-breaking spaces (and tabs, line breaks) as spaces and zero-width
/// marks removed; `None` when it holds any other control or formatting character.
fn clean_code_text(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    let spaces = |c: char| matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}' | '\t' | '\n' | '\r');
    let invisible = |c: char| matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}');
    if !text.chars().any(|c| spaces(c) || invisible(c) || crate::domain::text::is_hazard(c)) {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if spaces(c) {
            out.push(' ');
        } else if invisible(c) {
        } else if crate::domain::text::is_hazard(c) {
            return None;
        } else {
            out.push(c);
        }
    }
    Some(std::borrow::Cow::Owned(out))
}

/// Whether what follows an NI number is only decoration: nothing; bracketed notes ("(LAA)",
/// "[1]"); footnote marks; or, after a separator, a title that starts with a word.
fn is_code_tail(tail: &str) -> bool {
    const MARKS: &[char] = &['*', '†', '‡', '§', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁰'];
    let mut t = tail;
    loop {
        let trimmed = t.trim_start();
        let spaced = trimmed.len() < t.len();
        if trimmed.is_empty() {
            return true;
        }
        if let Some(after) = trimmed.strip_prefix(MARKS) {
            t = after;
            continue;
        }
        // a bracketed note: short, letters, digits and spaces inside
        let close = match trimmed.chars().next() {
            Some('(') => Some(')'),
            Some('[') => Some(']'),
            _ => None,
        };
        if let Some(close) = close {
            let Some(end) = trimmed.find(close) else { return false };
            let inner = &trimmed[1..end];
            if inner.chars().count() <= 24 && inner.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-') {
                t = &trimmed[end + 1..];
                continue;
            }
            return false;
        }
        // a title after a separator: "NI 154 Net additional homes", "NI 154 - Net additional homes"
        let after_sep = trimmed.trim_start_matches(['-', '–', '—', ':', '.', ',']);
        let separated = spaced || after_sep.len() < trimmed.len();
        let after_sep = after_sep.trim_start();
        if after_sep.is_empty() {
            return separated;
        }
        let word: String = after_sep.chars().take_while(|c| c.is_alphabetic()).collect();
        let next = after_sep[word.len()..].chars().next();
        return separated && word.chars().count() >= 2 && !next.is_some_and(|c| c.is_ascii_digit());
    }
}

/// Codes of the catalogue that a text which is not a whole code may have meant: each run of
/// digits in it as an NI number, and the runs joined ("NI 1 11" → NI 1, NI 11, NI 111).
pub fn code_suggestions(text: &str, catalogue: &Catalogue) -> Vec<String> {
    let runs: Vec<String> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
        .map(|r| r.trim_start_matches('0').to_string())
        .filter(|r| !r.is_empty() && r.len() <= 4)
        .collect();
    let mut out: Vec<String> = Vec::new();
    let joined = runs.concat();
    for r in runs.iter().chain((runs.len() > 1 && joined.len() <= 4).then_some(&joined)) {
        let code = format!("NI {r}");
        if catalogue.get(&code).is_some() && !out.contains(&code) {
            out.push(code);
        }
    }
    out
}

impl Catalogue {
    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.indicators.get(&sort_key(code))
    }

    /// Look an indicator up by any spelling of its code.
    pub fn find(&self, text: &str) -> Result<&Indicator, CatalogueError> {
        normalise_code(text).and_then(|c| self.get(&c)).ok_or_else(|| CatalogueError::Unknown(text.to_string()))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators.values()
    }

    pub fn len(&self) -> usize {
        self.indicators.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty()
    }

    /// Add or replace an indicator (a partnership's local indicators).
    pub fn insert(&mut self, ind: Indicator) {
        self.indicators.insert(sort_key(&ind.code), ind);
    }

    /// Write the catalogue as csv (the format of `datasets/nis/` and a workspace's `nis.csv`).
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
        w.write_record(["code", "title", "theme", "polarity", "unit", "frequency", "measure_type", "aggregation"])
            .expect("write to memory");
        for i in self.iter() {
            w.write_record([
                &i.code,
                &i.title,
                &i.theme,
                &enum_text(&i.polarity),
                &i.unit,
                &enum_text(&i.frequency),
                &enum_text(&i.measure_type),
                &i.aggregation.map(|a| enum_text(&a)).unwrap_or_default(),
            ])
            .expect("write to memory");
        }
        String::from_utf8(w.into_inner().expect("flush to memory")).expect("csv of utf-8 is utf-8")
    }
}

/// How a unit-like enum is spelled in files (its serde name).
pub fn enum_text<T: Serialize>(v: &T) -> String {
    match super::variant::variant_name(v) {
        Some(name) => name.to_string(),
        None => serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
    }
}

/// A workspace's own catalogue file (written by `laa nis import`).
pub const WORKSPACE_FILE: &str = "nis.csv";

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Polarity::Higher => "higher is better",
            Polarity::Lower => "lower is better",
            Polarity::None => "no polarity",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_has_198_indicators() {
        let c = Catalogue::shipped();
        assert_eq!(c.len(), 198);
        assert!(c.get("NI 31").is_none());
        assert!(c.get("NI 199").is_some());
        let ni154 = c.find("NI154").unwrap();
        assert_eq!(ni154.title, "Net additional homes provided");
        assert_eq!(ni154.polarity, Polarity::Higher);
        assert_eq!(ni154.measure_type, Measure::Cumulative);
        assert_eq!(c.find("154").unwrap().code, "NI 154");
        assert_eq!(c.iter().next().unwrap().code, "NI 1");
    }

    #[test]
    fn codes() {
        for (i, o) in [
            ("NI 154", "NI 154"),
            ("ni154", "NI 154"),
            ("154", "NI 154"),
            ("NI-154", "NI 154"),
            ("NI 154 Net additional homes", "NI 154"),
            ("NI 007", "NI 7"),
            ("l01", "L01"),
            ("L 01", "L01"),
            ("154.0", "NI 154"),
        ] {
            assert_eq!(normalise_code(i).as_deref(), Some(o), "{i}");
        }
        for (i, o) in [
            ("NI 154 (LAA)", "NI 154"),
            ("NI 154*", "NI 154"),
            ("NI 154 [1]", "NI 154"),
            ("NI 154 (LAA) Net additional homes", "NI 154"),
            ("NI 154 - Net additional homes", "NI 154"),
            ("NI\u{a0}154", "NI 154"),
            ("NI 1\u{200b}54", "NI 154"),
            ("NI 154.", "NI 154"),
        ] {
            assert_eq!(normalise_code(i).as_deref(), Some(o), "{i}");
        }
        for bad in [
            "",
            "NI",
            "NIX",
            "Net additional homes",
            "-",
            "NI 15a4",
            "0",
            "NI 1\u{0}11",
            "NI 1.11",
            "NI 1 11",
            "NI 16/20",
            "NI 15a",
            "NI 2\t0",
            "NI 15 a",
            "NI 154\u{202e}",
            "NI 1\u{1b}[31m",
            "NI 1,5",
            "NI 1 (x/y)",
        ] {
            assert_eq!(normalise_code(bad), None, "{bad:?}");
        }
        let c = Catalogue::shipped();
        assert_eq!(code_suggestions("NI 1 11", &c), ["NI 1", "NI 11", "NI 111"]);
        assert_eq!(code_suggestions("NI 16/20", &c), ["NI 16", "NI 20"]);
    }

    proptest::proptest! {
        /// A code followed by any text that does not continue its number is read as that code
        /// or as none: never as another code.
        #[test]
        fn a_code_with_any_suffix_is_never_another_code(n in 1u32..200, suffix in "\\PC{0,8}|[ ./,;:a-z0-9()\\t\\x00\\u{200b}\\u{a0}-]{0,6}") {
            for code in [format!("NI {n}"), format!("NI{n}"), format!("{n}")] {
                // digits after the number (past invisible marks) write another code
                let shown: String =
                    suffix.chars().filter(|c| !matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')).collect();
                if shown.starts_with(|c: char| c.is_ascii_digit()) {
                    continue;
                }
                let text = format!("{code}{suffix}");
                let read = normalise_code(&text);
                proptest::prop_assert!(
                    read.is_none() || read.as_deref() == Some(format!("NI {n}").as_str()),
                    "{text:?} read as {read:?}"
                );
            }
        }
    }

    #[test]
    fn county_values_are_summed_only_for_counts() {
        let c = Catalogue::shipped();
        let agg = |code: &str| c.get(code).unwrap().aggregation();
        // counts add up; NI 38 (a rate the reference called a number) and percentages do not
        assert_eq!(agg("NI 154"), Aggregation::Sum);
        assert_eq!(agg("NI 47"), Aggregation::Sum);
        assert_eq!(agg("NI 38"), Aggregation::Ratio);
        assert_eq!(agg("NI 19"), Aggregation::Ratio);
        assert_eq!(agg("NI 112"), Aggregation::Ratio);
        assert_eq!(agg("NI 191"), Aggregation::Ratio);
        assert_eq!(agg("NI 166"), Aggregation::None);
        assert_eq!(agg("NI 35"), Aggregation::None);
        assert_eq!(agg("NI 36"), Aggregation::Unknown);
        // every catalogue "number" is a count the catalogue says may be summed
        for i in c.iter().filter(|i| i.unit == "number") {
            assert_eq!(i.aggregation, Some(Aggregation::Sum), "{}", i.code);
        }
        for (unit, a) in [
            ("number", Aggregation::Sum),
            ("£", Aggregation::Sum),
            ("%", Aggregation::Ratio),
            ("rate per 1,000", Aggregation::Ratio),
            ("days", Aggregation::Ratio),
            ("score", Aggregation::None),
            ("", Aggregation::Unknown),
            ("widgets", Aggregation::Unknown),
        ] {
            assert_eq!(Aggregation::from_unit(unit), a, "{unit:?}");
        }
    }

    #[test]
    fn unit_scales() {
        let mut i = Catalogue::shipped().find("NI 112").unwrap().clone();
        assert_eq!(i.unit_scale(), 1000.0);
        i.unit = "%".into();
        assert_eq!(i.unit_scale(), 100.0);
        i.unit = "number".into();
        assert_eq!(i.unit_scale(), 1.0);
    }
}
