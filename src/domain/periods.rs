//! Reporting periods: financial-year quarters (`2008/09 Q2`), financial years (`2008/09`) and
//! academic years (`AY 2008/09`), parsed from the many spellings found in real returns.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why a piece of text is not a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a period (expected e.g. \"2008/09 Q2\", \"Q2 2008-09\", \"Jul-Sep 08\" or \"2008/09\")")]
pub struct PeriodError {
    pub text: String,
}

/// A reporting period. Years are named by the calendar year in which they start:
/// financial year 2008 is April 2008 – March 2009 (`2008/09`); academic year 2008 is
/// September 2008 – August 2009, whose results are published in summer 2009.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// A quarter of a financial year: `q` is 1 (April–June) to 4 (January–March).
    Quarter { year: i32, q: u8 },
    /// A whole financial year (annual indicators, surveys).
    Year { year: i32 },
    /// An academic year (education results).
    Academic { year: i32 },
}

impl Period {
    /// The last day of the period (financial quarters run April–June … January–March; an
    /// academic year September–August).
    pub fn end_date(&self) -> chrono::NaiveDate {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).expect("a period's last day is a date");
        match *self {
            Period::Quarter { year, q: 1 } => d(year, 6, 30),
            Period::Quarter { year, q: 2 } => d(year, 9, 30),
            Period::Quarter { year, q: 3 } => d(year, 12, 31),
            Period::Quarter { year, .. } | Period::Year { year } => d(year + 1, 3, 31),
            Period::Academic { year } => d(year + 1, 8, 31),
        }
    }

    pub fn quarter(year: i32, q: u8) -> Period {
        debug_assert!((1..=4).contains(&q));
        Period::Quarter { year, q }
    }

    /// The start year of the period's financial (or academic) year: targets are set per year,
    /// and an academic year's results are reported against the target of the same name.
    pub fn year(&self) -> i32 {
        match *self {
            Period::Quarter { year, .. } | Period::Year { year } | Period::Academic { year } => year,
        }
    }

    /// Share of the financial year elapsed at the end of the period (Q2 → 0.5); whole years → 1.
    pub fn elapsed_share(&self) -> f64 {
        match *self {
            Period::Quarter { q, .. } => f64::from(q) / 4.0,
            _ => 1.0,
        }
    }

    /// The quarter before this one (Q1 → the previous year's Q4); `None` for years.
    pub fn previous_quarter(&self) -> Option<Period> {
        match *self {
            Period::Quarter { year, q: 1 } => Some(Period::quarter(year - 1, 4)),
            Period::Quarter { year, q } => Some(Period::quarter(year, q - 1)),
            _ => None,
        }
    }

    /// The same period a year earlier.
    pub fn year_earlier(&self) -> Period {
        match *self {
            Period::Quarter { year, q } => Period::quarter(year - 1, q),
            Period::Year { year } => Period::Year { year: year - 1 },
            Period::Academic { year } => Period::Academic { year: year - 1 },
        }
    }

    /// The quarter (financial year) containing a date.
    pub fn from_date(d: NaiveDate) -> Period {
        let m = d.month();
        let year = if m >= 4 { d.year() } else { d.year() - 1 };
        let q = match m {
            4..=6 => 1,
            7..=9 => 2,
            10..=12 => 3,
            _ => 4,
        };
        Period::quarter(year, q)
    }

    /// A file-system friendly name: `2009-10-Q2`, `2009-10`, `AY-2009-10`.
    pub fn slug(&self) -> String {
        self.to_string().replace(['/', ' '], "-")
    }

    /// Every quarter from `from` to `to` inclusive.
    pub fn quarters_between(from: Period, to: Period) -> Vec<Period> {
        let mut out = Vec::new();
        let (Period::Quarter { .. }, Period::Quarter { .. }) = (from, to) else {
            return out;
        };
        let mut p = from;
        while p <= to {
            out.push(p);
            p = p.next_quarter();
        }
        out
    }

    fn next_quarter(&self) -> Period {
        match *self {
            Period::Quarter { year, q: 4 } => Period::quarter(year + 1, 1),
            Period::Quarter { year, q } => Period::quarter(year, q + 1),
            other => other,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yy = |y: i32| (y + 1).rem_euclid(100);
        match *self {
            Period::Quarter { year, q } => write!(f, "{year}/{:02} Q{q}", yy(year)),
            Period::Year { year } => write!(f, "{year}/{:02}", yy(year)),
            Period::Academic { year } => write!(f, "AY {year}/{:02}", yy(year)),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError { text: text.to_string() };
        // a control or formatting character is refused, never read as a separator
        if text.chars().any(|c| crate::domain::text::is_hazard(c) && !matches!(c, '\t' | '\n' | '\r')) {
            return Err(err());
        }
        let tokens = tokenize(text);
        if tokens.is_empty() {
            return Err(err());
        }
        parse_tokens(&tokens).ok_or_else(err)
    }
}

/// What a header or cell may say about a period without naming its year ("Q2", "Jul-Sep").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartialPeriod {
    Full(Period),
    /// A quarter whose financial year must come from elsewhere (title rows, sheet or file name).
    QuarterOnly(u8),
}

/// Parse a period that may lack its year, e.g. a wide return's "Q2 actual" column.
pub fn parse_partial(text: &str) -> Option<PartialPeriod> {
    if let Ok(p) = text.parse() {
        return Some(PartialPeriod::Full(p));
    }
    let tokens = tokenize(text);
    let mut quarter = None;
    let mut months = Vec::new();
    for t in &tokens {
        match t {
            Tok::Quarter(q) => quarter = Some(*q),
            Tok::Month(m) => months.push(*m),
            Tok::Word(w) if PARTIAL_WORDS.contains(&w.as_str()) => {}
            _ => return None,
        }
    }
    quarter.or_else(|| quarter_of_months(&months)).map(PartialPeriod::QuarterOnly)
}

/// Words that may stand beside a quarter in a column header that holds values ("Q2 actual").
const PARTIAL_WORDS: [&str; 12] = [
    "actual",
    "actuals",
    "outturn",
    "value",
    "result",
    "results",
    "performance",
    "data",
    "ytd",
    "cumulative",
    "to",
    "position",
];

/// Find a quarter (with its financial year) stated anywhere in a piece of text: a title row
/// ("Quarter: Q3 2009/10", "LAA return Q3 2009/10", "Quarter 3 2009-10", "October to December
/// 2009", "Q3 (Oct–Dec 09)"), a sheet name ("Q3 09-10", "Oct-Dec 09") or a file name
/// ("safer-2009-10-q3.xlsx", "Q3 0910 return.xlsx"). `None` when it names none, or two that
/// disagree.
pub fn find_quarter(text: &str) -> Option<Period> {
    // "0910" in a file name is 2009/10: four digits whose halves are consecutive years
    let chars: Vec<char> = text.chars().collect();
    let mut spelled = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run == 0 {
            spelled.push(chars[i]);
            i += 1;
            continue;
        }
        let digits: String = chars[i..i + run].iter().collect();
        let (a, b) =
            if run == 4 { (digits[..2].parse::<i32>().ok(), digits[2..].parse::<i32>().ok()) } else { (None, None) };
        match (a, b) {
            (Some(a), Some(b)) if (a + 1) % 100 == b && !(19..=21).contains(&a) => {
                spelled.push_str(&format!("20{a:02}/{b:02}"))
            }
            _ => spelled.push_str(&digits),
        }
        i += run;
    }
    let tokens = tokenize(&spelled);
    let quarter = tokens.iter().find_map(|t| if let Tok::Quarter(q) = t { Some(*q) } else { None });
    let year = tokens.iter().find_map(|t| if let Tok::YearPair(y) = t { Some(*y) } else { None });
    // months with a calendar year: "October to December 2009", "Oct-Dec 09"
    let months: Vec<u32> = tokens.iter().filter_map(|t| if let Tok::Month(m) = t { Some(*m) } else { None }).collect();
    let by_months = (!months.is_empty())
        .then(|| {
            let at = tokens.iter().rposition(|t| matches!(t, Tok::Month(_)))?;
            let cal = tokens[at + 1..].iter().find_map(|t| match t {
                Tok::Num(n) => expand_year(*n),
                _ => None,
            })?;
            let q = quarter_of_months(&months)?;
            Some(Period::quarter(if q == 4 { cal - 1 } else { cal }, q))
        })
        .flatten();
    match (quarter, year, by_months) {
        (Some(q), Some(y), Some(m)) => (m == Period::quarter(y, q)).then_some(m),
        (Some(q), Some(y), None) => Some(Period::quarter(y, q)),
        (Some(q), None, Some(m)) => matches!(m, Period::Quarter { q: mq, .. } if mq == q).then_some(m),
        (None, Some(y), Some(m)) => (m.year() == y).then_some(m),
        (None, None, Some(m)) => Some(m),
        _ => None,
    }
}

/// Find a financial year mentioned anywhere in a piece of text ("Safer communities return 2008/09").
pub fn find_year(text: &str) -> Option<i32> {
    let tokens = tokenize(text);
    tokens.iter().enumerate().find_map(|(i, t)| match t {
        Tok::YearPair(y) => Some(*y),
        Tok::Num(n) if (1990..=2100).contains(n) => match tokens.get(i + 1) {
            Some(Tok::Num(m)) if next_year_matches(*n, *m) => Some(*n),
            _ => None,
        },
        _ => None,
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// `2008/09`, `2008-9`, `08/09`: a financial year given as a pair.
    YearPair(i32),
    Num(i32),
    Quarter(u8),
    Month(u32),
    Academic,
    Word(String),
}

fn tokenize(text: &str) -> Vec<Tok> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let first: String = chars[start..i].iter().collect();
            // a year pair: digits, '/' or '-', digits
            if i + 1 < chars.len() && matches!(chars[i], '/' | '-') && chars[i + 1].is_ascii_digit() {
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                let second: String = chars[i + 1..j].iter().collect();
                if let Some(y) = year_pair(&first, &second) {
                    out.push(Tok::YearPair(y));
                    i = j;
                    continue;
                }
            }
            out.push(Tok::Num(first.parse().unwrap_or(-1)));
            continue;
        }
        if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // "q2", "qtr2": a quarter word glued to its number
            if matches!(word.as_str(), "q" | "qtr" | "quarter") {
                let mut j = i;
                while j < chars.len() && (chars[j] == ' ' || chars[j] == '.') {
                    j += 1;
                }
                if j < chars.len()
                    && ('1'..='4').contains(&chars[j])
                    && chars.get(j + 1).is_none_or(|c| !c.is_ascii_digit())
                {
                    out.push(Tok::Quarter(chars[j] as u8 - b'0'));
                    i = j + 1;
                    continue;
                }
            }
            out.push(word_token(word));
            continue;
        }
        i += 1;
    }
    out
}

fn word_token(word: String) -> Tok {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    if matches!(word.as_str(), "ay" | "academic") {
        return Tok::Academic;
    }
    if word.len() >= 3
        && let Some(m) = MONTHS.iter().position(|m| word.starts_with(m))
        && (word.len() == 3 || full_month(&word))
    {
        return Tok::Month(m as u32 + 1);
    }
    Tok::Word(word)
}

fn full_month(word: &str) -> bool {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    FULL.contains(&word) || word == "sept"
}

fn year_pair(first: &str, second: &str) -> Option<i32> {
    let a: i32 = first.parse().ok()?;
    let b: i32 = second.parse().ok()?;
    let start = match first.len() {
        4 => a,
        2 => 2000 + a,
        _ => return None,
    };
    next_year_matches(start, b).then_some(start)
}

/// Does `b` (written with 1, 2 or 4 digits) name the year after `start`?
fn next_year_matches(start: i32, b: i32) -> bool {
    let next = start + 1;
    b == next || b == next % 100 || b == next % 10
}

fn expand_year(n: i32) -> Option<i32> {
    match n {
        1990..=2100 => Some(n),
        0..=89 => Some(2000 + n),
        _ => None,
    }
}

fn quarter_of_months(months: &[u32]) -> Option<u8> {
    // "Jul-Sep" names a quarter by its first and last month; "Sep" alone by its last month
    let last = *months.last()?;
    if months.len() >= 2 {
        let first = months[0];
        let expected_first = (last + 12 - 2 - 1) % 12 + 1;
        if first != expected_first {
            return None;
        }
    }
    Some(match last {
        4..=6 => 1,
        7..=9 => 2,
        10..=12 => 3,
        _ => 4,
    })
}

fn parse_tokens(tokens: &[Tok]) -> Option<Period> {
    let mut academic = false;
    let mut quarter = None;
    let mut year_pair = None;
    let mut nums = Vec::new();
    let mut months = Vec::new();
    for t in tokens {
        match t {
            Tok::Academic => academic = true,
            Tok::Quarter(q) => quarter = Some(*q),
            Tok::YearPair(y) => year_pair = Some(*y),
            Tok::Num(n) => nums.push(*n),
            Tok::Month(m) => months.push(*m),
            Tok::Word(w) if matches!(w.as_str(), "fy" | "financial" | "year" | "actual" | "outturn") => {}
            Tok::Word(_) => return None,
        }
    }
    if !months.is_empty() {
        // "Jul-Sep 08", "Jan-Mar 2009", "Sep 2008": calendar months with a calendar year
        if quarter.is_some() || year_pair.is_some() || nums.len() != 1 {
            return None;
        }
        let q = quarter_of_months(&months)?;
        let cal_year = expand_year(nums[0])?;
        let year = if q == 4 { cal_year - 1 } else { cal_year };
        return Some(Period::quarter(year, q));
    }
    let year = match (year_pair, nums.as_slice()) {
        (Some(y), []) => y,
        // "2008 09" with a space, or "Q2 2008"? a lone calendar year is ambiguous for quarters
        (None, [a, b]) if expand_year(*a).is_some_and(|y| next_year_matches(y, *b)) => expand_year(*a)?,
        _ => return None,
    };
    match (quarter, academic) {
        (Some(q), false) => Some(Period::quarter(year, q)),
        (None, true) => Some(Period::Academic { year }),
        (None, false) => Some(Period::Year { year }),
        (Some(_), true) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn parses_the_variants_found_in_returns() {
        let q2 = Period::quarter(2008, 2);
        for s in [
            "2008/09 Q2",
            "Q2 2008-09",
            "2008/9 Qtr 2",
            "Jul-Sep 08",
            "Q2 08/09",
            "2008-09 Q2",
            "Quarter 2 2008/09",
            "q2 2008/2009",
            "Jul - Sep 2008",
            "July-September 2008",
            "2008/09 Q 2",
        ] {
            assert_eq!(p(s), q2, "{s}");
        }
        assert_eq!(p("Jan-Mar 09"), Period::quarter(2008, 4));
        assert_eq!(p("Jan-Mar 2010"), Period::quarter(2009, 4));
        assert_eq!(p("2008/09"), Period::Year { year: 2008 });
        assert_eq!(p("2010-11"), Period::Year { year: 2010 });
        assert_eq!(p("AY 2008/09"), Period::Academic { year: 2008 });
        assert_eq!(p("1999/00"), Period::Year { year: 1999 });
    }

    #[test]
    fn rejects_nonsense() {
        for s in ["", "Q5 2008/09", "2008/10", "Commentary", "Q2", "Jul-Oct 08", "2008/09 Q2 Q"] {
            assert!(s.parse::<Period>().is_err(), "{s}");
        }
    }

    #[test]
    fn prints_and_round_trips() {
        for s in ["2008/09 Q1", "2009/10 Q4", "2008/09", "AY 2009/10", "1999/00 Q3"] {
            assert_eq!(p(s).to_string(), s);
        }
        assert_eq!(p("2009/10 Q2").slug(), "2009-10-Q2");
    }

    #[test]
    fn orders_quarters_and_shares() {
        assert!(p("2008/09 Q4") < p("2009/10 Q1"));
        assert_eq!(p("2008/09 Q1").previous_quarter(), Some(p("2007/08 Q4")));
        assert_eq!(p("2009/10 Q3").year_earlier(), p("2008/09 Q3"));
        assert_eq!(p("2008/09 Q3").elapsed_share(), 0.75);
        assert_eq!(Period::quarters_between(p("2008/09 Q3"), p("2009/10 Q2")).len(), 4);
        let d = NaiveDate::from_ymd_opt(2009, 2, 28).unwrap();
        assert_eq!(Period::from_date(d), p("2008/09 Q4"));
    }

    #[test]
    fn quarters_stated_in_titles_sheet_and_file_names() {
        let q3 = Period::quarter(2009, 3);
        for s in [
            "Quarter: Q3 2009/10",
            "LAA return Q3 2009/10",
            "Quarter 3 2009-10",
            "October to December 2009",
            "Q3 (Oct–Dec 09)",
            "Q3 2009-10",
            "Q3 09-10",
            "Oct-Dec 09",
            "safer-2009-10-q3.xlsx",
            "Q3 0910 return.xlsx",
            "returns/Q3 actual (Oct-Dec 09)",
        ] {
            assert_eq!(find_quarter(s), Some(q3), "{s}");
        }
        assert_eq!(find_quarter("January to March 2010"), Some(Period::quarter(2009, 4)));
        for none in ["Safer Leicestershire Partnership", "2009/10", "Q3", "Q2 (Oct-Dec 09)", "Return 2010"] {
            assert_eq!(find_quarter(none), None, "{none}");
        }
    }

    #[test]
    fn partial_periods_and_years_in_titles() {
        assert_eq!(parse_partial("Q2 actual"), Some(PartialPeriod::QuarterOnly(2)));
        assert_eq!(parse_partial("Jul–Sep"), Some(PartialPeriod::QuarterOnly(2)));
        assert_eq!(parse_partial("Qtr 4"), Some(PartialPeriod::QuarterOnly(4)));
        assert_eq!(parse_partial("Target"), None);
        assert_eq!(parse_partial("Q2 target"), None);
        assert_eq!(parse_partial("Q2 RAG"), None);
        assert_eq!(find_year("Safer Leicestershire return 2008/09 (quarter 2)"), Some(2008));
        assert_eq!(find_year("safer-2009-10-q2.xlsx"), Some(2009));
        assert_eq!(find_year("Baseline"), None);
    }
}
