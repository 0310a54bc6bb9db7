//! What one cell of a return holds: a key of a dimension (an indicator, an area, a period), a
//! header word, or a value as people write it (thousands separators, £, %, the markers official
//! statistics use for provisional or suppressed figures).

use rustc_hash::FxHashMap;

use super::Context;
use crate::domain::catalogue::normalise_code;
use crate::domain::periods::{self, PartialPeriod, Period};
use crate::sheet::{Cell, NotANumber, norm};
mod values;
pub use values::*;

/// The three dimensions of a return's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    Indicator,
    Area,
    Period,
}

impl Dim {
    pub const ALL: [Dim; 3] = [Dim::Indicator, Dim::Area, Dim::Period];

    pub fn name(self) -> &'static str {
        match self {
            Dim::Indicator => "indicator",
            Dim::Area => "area",
            Dim::Period => "period",
        }
    }
}

/// What a cell says about one dimension.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// A code as normalised; `known` when the catalogue or agreement has it.
    Indicator {
        code: String,
        known: bool,
    },
    Area(String),
    Period(Period),
    /// A quarter whose financial year is said elsewhere ("Q2", "Jul-Sep").
    Quarter(u8),
}

impl Key {
    pub fn dim(&self) -> Dim {
        match self {
            Key::Indicator { .. } => Dim::Indicator,
            Key::Area(_) => Dim::Area,
            Key::Period(_) | Key::Quarter(_) => Dim::Period,
        }
    }
}

/// What a measure cell holds for its indicator, area and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Value,
    Numerator,
    Denominator,
    /// A target the partner copied beside the value: checked, never stored.
    Target,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Value => "value",
            Measure::Numerator => "numerator",
            Measure::Denominator => "denominator",
            Measure::Target => "copied target",
        }
    }
}

/// Text kept with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    Commentary,
    Action,
    /// Who owns the remedial action ("Action owner", "Lead officer"): kept with the action.
    Owner,
    /// When the action is due ("Action due", "By when"): kept with the action.
    Due,
    SelfRating,
    Quality,
    Title,
}

/// How an action's owner and due date begin, after the action, in the text they are kept in:
/// an output that shortens the action finds them by these and keeps them whole.
pub const ACTION_TAILS: [&str; 2] = [" (owner: ", " (due "];

/// A remedial action with its owner and due date where the return gives them, kept as one text
/// so that every output that shows the action shows who and by when: "Recovery plan agreed
/// (owner: Head of Community Safety; due 31 March 2010)".
pub fn with_owner_and_date(action: String, owner: Option<String>, due: Option<String>) -> String {
    match (owner, due) {
        (None, None) => action,
        (Some(o), None) => format!("{action}{}{o})", ACTION_TAILS[0]),
        (None, Some(d)) => format!("{action}{}{d})", ACTION_TAILS[1]),
        (Some(o), Some(d)) => format!("{action}{}{o}; due {d})", ACTION_TAILS[0]),
    }
}

/// What a header cell says: each part optional ("Q2 2009/10 target" is a period and a measure).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeaderCell {
    pub key: Option<Key>,
    pub measure: Option<Measure>,
    pub note: Option<Note>,
    /// A dimension's name ("NI ref", "Area", "Quarter"): the column below holds its keys.
    pub names: Option<Dim>,
    /// "Total", "All districts": a column of sums.
    pub total: bool,
    /// The note a word beside a key names ("Q2 2009/10 Comments", "Q2 RAG"): what the column is
    /// when its cells hold words, not numbers.
    pub beside_key: Option<Note>,
    /// A word beside a key that says the column holds words ("Q2 Status", "Trend 2009/10").
    pub words_beside_key: bool,
}

/// A value cell as people write it.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueCell {
    Blank,
    /// A number, with the data-quality flag its marker gave ("provisional").
    Number(f64, Option<&'static str>),
    /// A marker for no value, with its reason ("suppressed"): never stored, never an error.
    Missing(&'static str),
    Bad(NotANumber),
}

const INDICATOR_WORDS: &[&str] = &[
    "ni",
    "niref",
    "nino",
    "ninumber",
    "indicatorref",
    "indicatorcode",
    "ref",
    "code",
    "pi",
    "piref",
    "nationalindicator",
    "indicator",
    "indicatorno",
];
const AREA_WORDS: &[&str] = &[
    "area",
    "district",
    "localauthority",
    "authority",
    "la",
    "geography",
    "areaname",
    "borough",
    "council",
    "lacode",
    "areacode",
    "onscode",
];
const PERIOD_WORDS: &[&str] =
    &["period", "quarter", "reportingperiod", "timeperiod", "date", "qtr", "quarterending", "periodending", "year"];
const VALUE_WORDS: &[&str] = &[
    "value",
    "values",
    "actual",
    "actuals",
    "outturn",
    "result",
    "results",
    "performance",
    "data",
    "figure",
    "currentvalue",
    "actualvalue",
    "actualthisquarter",
    "thisquarter",
    "yeartodate",
    "ytd",
    "actualyeartodate",
    "quarteractual",
    "latestvalue",
    "cumulative",
    "score",
];
const NUMERATOR_WORDS: &[&str] = &["numerator", "num"];
const DENOMINATOR_WORDS: &[&str] = &["denominator", "denom", "den"];
const TARGET_WORDS: &[&str] = &["target", "annualtarget", "yeartarget", "targets", "laatarget"];
const TOTAL_WORDS: &[&str] =
    &["total", "totals", "grandtotal", "alldistricts", "allareas", "sum", "yeartotal", "annualtotal", "countytotal"];

/// Words that head a column of the partner's words, not figures, beside a quarter ("Q2 Status",
/// "Direction of travel 2009/10").
const WORDS_COLUMN: &[&str] =
    &["status", "trend", "direction", "travel", "dot", "progress", "tracking", "assessment", "confidence", "outlook"];

const NOTE_WORDS: &[(Note, &[&str])] = &[
    (
        Note::Commentary,
        &["commentary", "comment", "comments", "narrative", "notes", "explanation", "performancecommentary"],
    ),
    // before the actions: "Action owner" and "Action due by" begin with "action"
    (
        Note::Owner,
        &[
            "actionowner",
            "owner",
            "leadofficer",
            "responsibleofficer",
            "responsible",
            "actionlead",
            "accountableofficer",
        ],
    ),
    (Note::Due, &["actiondue", "actiondate", "duedate", "due", "bywhen", "deadline", "actiondeadline", "timescale"]),
    (
        Note::Action,
        &[
            "remedialaction",
            "action",
            "actions",
            "remedialactions",
            "correctiveaction",
            "actionplanned",
            "mitigatingaction",
            "recoveryaction",
        ],
    ),
    (
        Note::SelfRating,
        &[
            "rag",
            "ragselfassessed",
            "selfassessedrag",
            "selfassessedrating",
            "ragstatus",
            "ragrating",
            "trafficlight",
            "selfassessment",
        ],
    ),
    (Note::Quality, &["dataquality", "quality", "datastatus", "statusofdata"]),
    (Note::Title, &["title", "indicatortitle", "description", "indicatorname", "name", "indicatordescription"]),
];

/// Classifies cells against one workspace: its catalogue's codes and titles, its areas.
pub struct Lexicon<'a> {
    pub ctx: &'a Context<'a>,
    /// Build every reading, also those that cannot win (`--explain` shows the runner-up).
    pub thorough: bool,
    /// Normalised catalogue title → its codes (two indicators may share a title).
    titles: &'a FxHashMap<String, Vec<String>>,
}

impl<'a> Lexicon<'a> {
    pub fn new(ctx: &'a Context<'a>) -> Lexicon<'a> {
        let titles = ctx.titles.get_or_init(|| {
            let mut titles: FxHashMap<String, Vec<String>> = FxHashMap::default();
            for i in ctx.catalogue.iter() {
                let t = norm(&i.title);
                if t.len() >= 8 {
                    titles.entry(t).or_default().push(i.code.clone());
                }
            }
            titles
        });
        Lexicon { ctx, titles, thorough: false }
    }

    /// An indicator named by its code in any spelling, or by its catalogue title. A bare number
    /// ("3") is a code only in a column of codes (see the reader), never in a header or title.
    pub fn indicator(&self, text: &str) -> Option<Key> {
        let t = text.trim();
        if !t.chars().any(char::is_alphabetic) {
            return None;
        }
        if let Some(code) = self.code_and_title(t) {
            return Some(Key::Indicator { code, known: true });
        }
        if let Some(code) = normalise_code(t) {
            let known = self.ctx.catalogue.get(&code).is_some();
            // "L01" is only a code the agreement knows; "NI 999" is a code either way
            if known || code.starts_with("NI ") && t.to_ascii_uppercase().trim_start().starts_with('N') {
                return Some(Key::Indicator { code, known });
            }
        }
        self.indicator_by_title(t).map(|code| Key::Indicator { code, known: true })
    }

    /// A code followed by its own catalogue title ("NI 117 - 16 to 18 year olds who are NEET"):
    /// a title may start with a number, which a code's rules alone would read as more digits.
    pub fn code_and_title(&self, text: &str) -> Option<String> {
        let t = text.trim_start();
        let upper = t.get(..2)?.to_ascii_uppercase();
        if upper != "NI" {
            return None;
        }
        let rest = t[2..].trim_start_matches([' ', '-', '_', '.', ':']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let n: u32 = digits.parse().ok()?;
        let code = format!("NI {n}");
        let title = rest[digits.len()..].trim_start_matches([' ', '-', '–', '—', ':', '.', ',']);
        let ind = self.ctx.catalogue.get(&code)?;
        (!title.is_empty() && norm(title) == norm(&ind.title)).then_some(code)
    }

    /// The one indicator whose catalogue title is this text (case, spacing and punctuation aside).
    pub fn indicator_by_title(&self, text: &str) -> Option<String> {
        match self.titles.get(&norm(text)).map(Vec::as_slice) {
            Some([one]) => Some(one.clone()),
            _ => None,
        }
    }

    /// Codes sharing one title: a title that matches two indicators equally names neither.
    pub fn title_matches(&self, text: &str) -> &[String] {
        self.titles.get(&norm(text)).map(Vec::as_slice).unwrap_or_default()
    }

    pub fn area(&self, text: &str) -> Option<Key> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        if let Some(a) = self.ctx.ws.find_area(t) {
            return Some(Key::Area(a.code.clone()));
        }
        // a comparator table may name any authority by its ONS code, known to the register or not
        (self.ctx.comparators && crate::domain::authorities::is_authority_code(t))
            .then(|| Key::Area(t.to_ascii_uppercase()))
    }

    /// A period in any way people write it: "2009/10 Q2", "Q2 2009-10", "Jul-Sep 09", "2008/09",
    /// "AY 2008/09", a quarter's start or end date; "Q2" alone as a quarter without its year.
    pub fn period(&self, cell: &Cell) -> Option<Key> {
        match cell {
            Cell::Date(d) => Some(Key::Period(Period::from_date(d.date()))),
            Cell::Text(t) => period_text(t),
            _ => None,
        }
    }

    /// A cell in the body of a table as a key: a code, an area, a period or a title.
    pub fn body_key(&self, cell: &Cell) -> Option<Key> {
        match cell {
            Cell::Date(_) => self.period(cell),
            Cell::Text(t) if !t.trim().is_empty() => {
                self.area(t).or_else(|| self.indicator(t)).or_else(|| period_text(t))
            }
            _ => None,
        }
    }

    /// What a header cell says.
    pub fn header(&self, cell: &Cell) -> HeaderCell {
        let mut h = HeaderCell::default();
        let text = match cell {
            Cell::Date(_) => {
                h.key = self.period(cell);
                return h;
            }
            Cell::Number(n) if n.fract() == 0.0 && (1990.0..=2100.0).contains(n) => {
                // a year typed as a number: the financial year it starts
                h.key = Some(Key::Period(Period::Year { year: *n as i32 }));
                return h;
            }
            Cell::Text(t) => t.trim().to_string(),
            _ => return h,
        };
        if text.is_empty() {
            return h;
        }
        // "Direction of travel", "Q2 Status": the column holds words, whatever else it says
        h.words_beside_key =
            text.split(|c: char| !c.is_alphanumeric()).any(|w| WORDS_COLUMN.contains(&norm(w).as_str()));
        let n = norm(&text);
        let starts = |words: &[&str]| words.iter().any(|w| n == *w || (w.len() >= 4 && n.starts_with(w)));
        let exact = |words: &[&str]| words.contains(&n.as_str());
        if exact(TOTAL_WORDS) {
            h.total = true;
            return h;
        }
        if let Some((note, _)) = NOTE_WORDS.iter().find(|(_, w)| exact(w)) {
            h.note = Some(*note);
            return h;
        }
        if exact(INDICATOR_WORDS) {
            h.names = Some(Dim::Indicator);
            return h;
        }
        if exact(AREA_WORDS) {
            h.names = Some(Dim::Area);
            return h;
        }
        if exact(PERIOD_WORDS) {
            h.names = Some(Dim::Period);
            return h;
        }
        // a key, perhaps with a measure word beside it: "Q2 actual", "2009/10 target", "NI 154"
        let (rest, measure) = strip_measure(&text);
        h.measure = measure;
        if let Some(k) = period_text(&rest) {
            h.key = Some(k);
            h.beside_key = text
                .split(|c: char| !c.is_alphanumeric())
                .map(norm)
                .find_map(|w| NOTE_WORDS.iter().find(|(note, ws)| *note != Note::Title && ws.contains(&w.as_str())))
                .map(|(note, _)| *note);
            return h;
        }
        if let Some(k) = self.area(&rest).or_else(|| self.indicator(&rest)) {
            h.key = Some(k);
            return h;
        }
        if h.measure.is_some() && rest.trim().is_empty() {
            return h;
        }
        // a header that starts with a known word: "Commentary (max 200 words)", "Indicator ref (NI)"
        if let Some((note, _)) = NOTE_WORDS.iter().find(|(note, w)| *note != Note::Title && starts(w)) {
            return HeaderCell { note: Some(*note), ..HeaderCell::default() };
        }
        if starts(&["indicatorref", "niref", "indicatorcode"]) {
            return HeaderCell { names: Some(Dim::Indicator), ..HeaderCell::default() };
        }
        if measure.is_some() {
            // "Actual performance", "Outturn (%)": a value column whose words are not a key
            return HeaderCell { measure, ..HeaderCell::default() };
        }
        HeaderCell { words_beside_key: h.words_beside_key, ..HeaderCell::default() }
    }

    /// A label of a row in a stacked table ("Numerator", "Denominator", "Result").
    pub fn measure_label(&self, cell: &Cell) -> Option<Measure> {
        // a label is a word or two: anything longer (a code with its title, a commentary) is not
        let Cell::Text(t) = cell else { return None };
        if t.len() > 24 || t.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        measure_word(&norm(t))
    }
}

/// Whether a cell of a key column says "total".
pub fn is_total_label(cell: &Cell) -> bool {
    let Cell::Text(t) = cell else { return false };
    let t = t.trim();
    // every total word says "total" or "all", or is "sum": others are refused without a copy
    let has = |w: &[u8]| t.as_bytes().windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    if t.len() > 40 || !(has(b"total") || has(b"all") || t.eq_ignore_ascii_case("sum")) {
        return false;
    }
    let n = norm(t);
    TOTAL_WORDS.contains(&n.as_str()) || n.starts_with("total") || n.ends_with("total")
}

fn measure_word(n: &str) -> Option<Measure> {
    if NUMERATOR_WORDS.contains(&n) {
        Some(Measure::Numerator)
    } else if DENOMINATOR_WORDS.contains(&n) {
        Some(Measure::Denominator)
    } else if TARGET_WORDS.contains(&n) {
        Some(Measure::Target)
    } else if VALUE_WORDS.contains(&n) || n == "rate" || n == "percentage" {
        Some(Measure::Value)
    } else {
        None
    }
}

/// A header's text without its measure words, and the measure they name ("Q2 target" → "Q2",
/// target). Words in brackets ("(%)", "(Oct-Dec 09)") stay.
fn strip_measure(text: &str) -> (String, Option<Measure>) {
    let mut measure = None;
    let mut kept = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == ':' || c == ',') {
        let n = norm(word);
        match measure_word(&n) {
            Some(m) if !n.is_empty() => {
                // "Target" beats "actual" when both are said ("Actual target"? no; "Target value")
                measure = match (measure, m) {
                    (Some(Measure::Target), _) | (_, Measure::Target) => Some(Measure::Target),
                    (Some(prev), _) => Some(prev),
                    (None, m) => Some(m),
                };
            }
            _ => kept.push(word),
        }
    }
    (kept.join(" "), measure)
}

/// A period written as text, in full or as a quarter without its year.
pub fn period_text(text: &str) -> Option<Key> {
    let t = text.trim();
    if t.is_empty() || t.len() > 60 {
        return None;
    }
    match periods::parse_partial(t) {
        Some(PartialPeriod::Full(p)) => return Some(Key::Period(p)),
        Some(PartialPeriod::QuarterOnly(q)) => return Some(Key::Quarter(q)),
        None => {}
    }
    // "Q3 (Oct-Dec 09)", "Apr–Jun 2009", "Quarter ending 30 June 2009"
    if let Some(p) = periods::find_quarter(t) {
        return Some(Key::Period(p));
    }
    quarter_ending(t)
}

/// "Quarter ending June 2009", "30/06/2009", "2009-06-30": the quarter that ends (or holds) the
/// date.
fn quarter_ending(t: &str) -> Option<Key> {
    for fmt in ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(t, fmt) {
            return Some(Key::Period(Period::from_date(d)));
        }
    }
    None
}

#[cfg(test)]
mod tests;
