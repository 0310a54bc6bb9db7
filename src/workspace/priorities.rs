//! The Sustainable Community Strategy's priority outcomes and the indicators mapped to them:
//! reading the mapping, checking coverage against the catalogue and the agreement, and
//! suggesting indicators for weakly covered outcomes by TF-IDF similarity of their wording.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::domain::catalogue::{Catalogue, normalise_code};
use crate::sheet::{self, Field, Loc, Problem, Problems};
use crate::workspace::Workspace;
use crate::workspace::agreement::Agreement;

#[derive(Debug, thiserror::Error)]
pub enum PrioritiesError {
    #[error(transparent)]
    Sheet(#[from] sheet::SheetError),
    #[error("{file}: no header row with columns Theme, Priority outcome and Indicators")]
    NoHeader { file: String },
    #[error("{0}\n(the priorities mapping has errors; fix the cells named above)")]
    Cells(Problems),
}

/// One priority outcome of the SCS and the indicators mapped to it.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub theme: String,
    pub outcome: String,
    /// The lead theme partnership's code, when given.
    pub lead: Option<String>,
    /// Indicator codes as normalised, with the cell each came from.
    pub indicators: Vec<(String, Loc)>,
    pub loc: Loc,
}

const FIELDS: &[Field] = &[
    Field { key: "theme", aliases: &["theme", "SCS theme", "community strategy theme", "block"], required: true },
    Field {
        key: "outcome",
        aliases: &["priority outcome", "outcome", "priority", "priority outcomes"],
        required: true,
    },
    Field {
        key: "indicators",
        aliases: &["indicators", "indicator", "NI", "NIs", "national indicators", "measures"],
        required: false,
    },
    Field {
        key: "lead",
        aliases: &["lead theme partnership", "lead", "lead partnership", "lead theme"],
        required: false,
    },
];

/// Read the workspace's priorities mapping.
pub fn load(ws: &Workspace) -> Result<Vec<Outcome>, PrioritiesError> {
    let path = ws.priorities_path();
    read(&path, &ws.label(&path), ws)
}

/// Read a mapping: one row per outcome with its indicators in one cell ("NI 6, NI 7; L01"), or
/// one row per outcome × indicator (rows with the same theme and outcome are merged).
pub fn read(path: &Path, label: &str, ws: &Workspace) -> Result<Vec<Outcome>, PrioritiesError> {
    let wb = sheet::read_workbook(path, label)?;
    let Some((sh, h)) = wb.sheets.iter().find_map(|s| sheet::find_header(s, FIELDS).map(|h| (s, h))) else {
        return Err(PrioritiesError::NoHeader { file: label.into() });
    };
    let mut out: Vec<Outcome> = Vec::new();
    let mut problems = Vec::new();
    let mut last_theme = String::new();
    for r in h.row + 1..sh.rows.len() {
        if sh.rows[r].iter().all(sheet::Cell::is_empty) {
            continue;
        }
        let text = |k: &str| h.col(k).map(|c| sh.cell(r, c).text()).unwrap_or_default();
        let loc = |k: &str| sh.loc(label, r, h.col(k).unwrap_or(0));
        // a theme written once above its outcomes (merged cells) carries down
        let theme = match text("theme") {
            t if t.is_empty() => last_theme.clone(),
            t => t,
        };
        last_theme = theme.clone();
        let outcome = text("outcome");
        if outcome.is_empty() {
            problems
                .push(Problem { loc: loc("outcome"), message: "a row with indicators but no priority outcome".into() });
            continue;
        }
        if theme.is_empty() {
            problems.push(Problem { loc: loc("theme"), message: "no SCS theme for this outcome".into() });
        }
        let lead_text = text("lead");
        let lead = match ws.find_theme(&lead_text) {
            Some(t) => Some(t.code.clone()),
            None if lead_text.is_empty() => None,
            None => {
                problems.push(Problem {
                    loc: loc("lead"),
                    message: format!("{lead_text:?} is not a theme partnership of partnership.toml"),
                });
                None
            }
        };
        let mut inds = Vec::new();
        for token in split_codes(&text("indicators")) {
            match normalise_code(&token) {
                Some(code) => inds.push((code, loc("indicators"))),
                None => problems.push(Problem {
                    loc: loc("indicators"),
                    message: format!("{token:?} is not an indicator code (expected e.g. \"NI 154\" or \"L01\")"),
                }),
            }
        }
        match out.iter_mut().find(|o| o.theme == theme && o.outcome == outcome) {
            Some(o) => o.indicators.extend(inds),
            None => out.push(Outcome { theme, outcome, lead, indicators: inds, loc: loc("outcome") }),
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(PrioritiesError::Cells(Problems(problems))) }
}

fn split_codes(s: &str) -> Vec<String> {
    s.split([',', ';', '\n', '/', '&'])
        .flat_map(|t| t.split(" and "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// An indicator reference that is not in the catalogue, with the nearest one that is.
#[derive(Debug, Clone, Serialize)]
pub struct Unknown {
    pub indicator: String,
    pub theme: String,
    pub outcome: String,
    pub cell: String,
    pub nearest: Option<String>,
}

/// Coverage of a theme.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ThemeCount {
    pub theme: String,
    pub outcomes: usize,
    pub outcomes_covered: usize,
    pub indicators: usize,
    pub laa_indicators: usize,
}

/// How much of an NIS group the SCS touches.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupCount {
    pub group: String,
    pub indicators: usize,
    pub mapped: usize,
}

/// The findings of `laa priorities check`.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// (theme, outcome, indicator, in_laa, in_catalogue)
    pub matrix: Vec<(String, String, String, bool, bool)>,
    pub outcomes_without_indicators: Vec<(String, String)>,
    pub outcomes_only_outside_laa: Vec<(String, String)>,
    pub laa_indicators_unmapped: Vec<String>,
    pub unknown: Vec<Unknown>,
    pub themes: Vec<ThemeCount>,
    pub groups: Vec<GroupCount>,
}

/// Check the mapping against the catalogue and the agreement.
pub fn check(outcomes: &[Outcome], cat: &Catalogue, agreement: &Agreement) -> Check {
    let in_laa = |c: &str| agreement.get(c).is_some();
    let mut matrix = Vec::new();
    let mut unknown = Vec::new();
    let mut mapped: BTreeSet<String> = BTreeSet::new();
    for o in outcomes {
        for (code, loc) in &o.indicators {
            let known = cat.get(code).is_some();
            matrix.push((o.theme.clone(), o.outcome.clone(), code.clone(), in_laa(code), known));
            if known {
                mapped.insert(code.clone());
            } else {
                unknown.push(Unknown {
                    indicator: code.clone(),
                    theme: o.theme.clone(),
                    outcome: o.outcome.clone(),
                    cell: loc.to_string(),
                    nearest: nearest(code, cat),
                });
            }
        }
    }
    let outcomes_without_indicators =
        outcomes.iter().filter(|o| o.indicators.is_empty()).map(|o| (o.theme.clone(), o.outcome.clone())).collect();
    let outcomes_only_outside_laa = outcomes
        .iter()
        .filter(|o| !o.indicators.is_empty() && o.indicators.iter().all(|(c, _)| !in_laa(c)))
        .map(|o| (o.theme.clone(), o.outcome.clone()))
        .collect();
    let laa_indicators_unmapped =
        agreement.targets.iter().filter(|t| !mapped.contains(&t.code)).map(|t| t.code.clone()).collect();
    let mut theme_names: Vec<String> = Vec::new();
    for o in outcomes {
        if !theme_names.contains(&o.theme) {
            theme_names.push(o.theme.clone());
        }
    }
    let themes = theme_names
        .iter()
        .map(|t| {
            let os: Vec<&Outcome> = outcomes.iter().filter(|o| &o.theme == t).collect();
            let codes: BTreeSet<&str> = os.iter().flat_map(|o| o.indicators.iter().map(|(c, _)| c.as_str())).collect();
            ThemeCount {
                theme: t.clone(),
                outcomes: os.len(),
                outcomes_covered: os.iter().filter(|o| !o.indicators.is_empty()).count(),
                indicators: codes.len(),
                laa_indicators: codes.iter().filter(|c| in_laa(c)).count(),
            }
        })
        .collect();
    let mut groups: Vec<GroupCount> = Vec::new();
    for i in cat.iter().filter(|i| i.code.starts_with("NI ")) {
        let g = match groups.iter_mut().find(|g| g.group == i.theme) {
            Some(g) => g,
            None => {
                groups.push(GroupCount { group: i.theme.clone(), indicators: 0, mapped: 0 });
                groups.last_mut().expect("pushed")
            }
        };
        g.indicators += 1;
        g.mapped += usize::from(mapped.contains(&i.code));
    }
    Check {
        matrix,
        outcomes_without_indicators,
        outcomes_only_outside_laa,
        laa_indicators_unmapped,
        unknown,
        themes,
        groups,
    }
}

/// The catalogue code nearest to an unknown one (edit distance of the codes).
pub fn nearest(code: &str, cat: &Catalogue) -> Option<String> {
    // ties go to the code sharing the longest start with the unknown one (a stray last keystroke)
    let common = |c: &str| code.chars().zip(c.chars()).take_while(|(a, b)| a == b).count();
    cat.iter()
        .map(|i| (edit_distance(code, &i.code), i.code.clone()))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, c)| (*d, std::cmp::Reverse(common(c)), c.len()))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The share of NIS groups × outcomes: for the coverage heatmap, (outcome label, group, count).
pub fn heatmap(outcomes: &[Outcome], cat: &Catalogue) -> (Vec<String>, Vec<String>, Vec<Vec<usize>>) {
    let groups: Vec<String> = {
        let mut g: Vec<String> = Vec::new();
        for i in cat.iter().filter(|i| i.code.starts_with("NI ")) {
            if !g.contains(&i.theme) {
                g.push(i.theme.clone());
            }
        }
        g
    };
    let rows: Vec<String> = outcomes.iter().map(|o| o.outcome.clone()).collect();
    let cells = outcomes
        .iter()
        .map(|o| {
            groups
                .iter()
                .map(|g| o.indicators.iter().filter(|(c, _)| cat.get(c).is_some_and(|i| &i.theme == g)).count())
                .collect()
        })
        .collect();
    (rows, groups, cells)
}

// --- suggestions -------------------------------------------------------------------------

const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "in",
    "into",
    "is",
    "it",
    "its",
    "more",
    "of",
    "on",
    "or",
    "the",
    "their",
    "to",
    "who",
    "with",
    "within",
    "across",
    "all",
    "have",
    "has",
    "that",
    "which",
    "those",
    "than",
    "less",
    "fewer",
    "better",
    "make",
    "makes",
    "county",
    "area",
    "local",
    "number",
    "percentage",
    "proportion",
    "rate",
    "people's",
    "s",
];

/// Words that mean the same in outcomes and indicator titles.
const SYNONYMS: &[(&str, &str)] = &[
    ("carbon", "co2"),
    // "16 to 18 year olds" are young people
    ("olds", "young"),
    ("neet", "education"),
    ("homes", "home"),
    ("housing", "home"),
    ("jobs", "employment"),
    ("work", "employment"),
    ("crime", "crime"),
    ("recycling", "recycl"),
    ("teenage", "under"),
    ("pregnancy", "conception"),
    ("pregnancies", "conception"),
    ("smoking", "smok"),
];

/// Lower-case word stems: "emissions" → "emission", "reduce"/"reduction" → "reduc".
pub fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| {
            let w = SYNONYMS.iter().find(|(a, _)| *a == w).map_or(w, |(_, b)| b);
            stem(w)
        })
        .collect()
}

fn stem(w: &str) -> String {
    for suffix in ["ations", "ation", "ions", "ion", "ing", "ies", "es", "ed", "e", "s"] {
        if let Some(base) = w.strip_suffix(suffix)
            && base.len() >= 3
        {
            return base.to_string();
        }
    }
    w.to_string()
}

/// A TF-IDF index of the catalogue: each indicator's title, with its NIS group at half weight.
pub struct Index {
    docs: Vec<(String, HashMap<String, f64>)>,
    idf: HashMap<String, f64>,
}

impl Index {
    pub fn new(cat: &Catalogue) -> Index {
        let raw: Vec<(String, HashMap<String, f64>)> = cat
            .iter()
            .map(|i| {
                let mut tf: HashMap<String, f64> = HashMap::new();
                for t in tokens(&i.title) {
                    *tf.entry(t).or_default() += 1.0;
                }
                for t in tokens(&i.theme) {
                    *tf.entry(t).or_default() += 0.5;
                }
                (i.code.clone(), tf)
            })
            .collect();
        let n = raw.len() as f64;
        let mut df: HashMap<String, f64> = HashMap::new();
        for (_, tf) in &raw {
            for t in tf.keys() {
                *df.entry(t.clone()).or_default() += 1.0;
            }
        }
        let idf: HashMap<String, f64> = df.into_iter().map(|(t, d)| (t, (1.0 + n / d).ln())).collect();
        let docs = raw
            .into_iter()
            .map(|(code, tf)| {
                let mut v: HashMap<String, f64> = tf
                    .into_iter()
                    .map(|(t, f)| {
                        let w = f * idf[&t];
                        (t, w)
                    })
                    .collect();
                normalise(&mut v);
                (code, v)
            })
            .collect();
        Index { docs, idf }
    }

    /// The `n` indicators most like the text, best first, with cosine similarity scores.
    pub fn search(&self, text: &str, n: usize) -> Vec<(String, f64)> {
        let mut q: HashMap<String, f64> = HashMap::new();
        for t in tokens(text) {
            if let Some(idf) = self.idf.get(&t) {
                *q.entry(t).or_default() += idf;
            }
        }
        normalise(&mut q);
        let mut scored: Vec<(String, f64)> = self
            .docs
            .iter()
            .map(|(code, v)| (code.clone(), q.iter().map(|(t, w)| w * v.get(t).copied().unwrap_or(0.0)).sum::<f64>()))
            .filter(|(_, s)| *s > 0.0)
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        scored.truncate(n);
        scored
    }
}

fn normalise(v: &mut HashMap<String, f64>) {
    let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.values_mut().for_each(|x| *x /= norm);
    }
}

/// Outcomes that need suggestions: no indicator, or none in the LAA.
pub fn weak<'a>(outcomes: &'a [Outcome], agreement: &Agreement) -> Vec<&'a Outcome> {
    outcomes.iter().filter(|o| o.indicators.iter().all(|(c, _)| agreement.get(c).is_none())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_put_the_obvious_indicator_first() {
        let index = Index::new(&Catalogue::shipped());
        for (outcome, expected) in [
            ("Reduce carbon emissions across the county", "NI 186"),
            ("More young people in education, employment or training", "NI 117"),
            ("Fewer teenage pregnancies", "NI 112"),
            ("More household waste recycled and composted", "NI 192"),
            ("More people stop smoking", "NI 123"),
            ("Fewer people killed or seriously injured on the roads", "NI 47"),
        ] {
            let top = index.search(outcome, 5);
            assert_eq!(top.first().map(|t| t.0.as_str()), Some(expected), "{outcome}: {top:?}");
        }
    }

    #[test]
    fn nearest_codes() {
        let cat = Catalogue::shipped();
        assert_eq!(nearest("NI 1955", &cat).as_deref(), Some("NI 195"));
        assert_eq!(nearest("ZZ999", &cat), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn codes_in_one_cell() {
        assert_eq!(split_codes("NI 6, NI 7; L01\nNI 8 and NI 9"), ["NI 6", "NI 7", "L01", "NI 8", "NI 9"]);
    }
}
