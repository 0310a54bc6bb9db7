//! A value cell read: a number, a number with its marker or flag, a cell that says there is no value, or text that is not a number.

use super::*;

/// Markers for no value, and why (normalised text → reason).
pub(crate) const MISSING: &[(&str, &str)] = &[
    ("[x]", "not available"),
    ("[c]", "suppressed (confidential)"),
    ("[z]", "not applicable"),
    ("..", "not available"),
    ("...", "not available"),
    (":", "not available"),
    ("-", "none given (-)"),
    ("–", "none given (-)"),
    ("—", "none given (-)"),
    ("n/a", "not applicable"),
    ("na", "not applicable"),
    ("n.a.", "not applicable"),
    ("n/k", "not known"),
    ("not applicable", "not applicable"),
    ("not available", "not available"),
    ("no data", "not available"),
    ("nd", "not available"),
    ("suppressed", "suppressed"),
    ("supp", "suppressed"),
    ("supp.", "suppressed"),
    ("*", "suppressed"),
    ("not yet due", "not yet due"),
    ("not due", "not yet due"),
    ("nyd", "not yet due"),
    ("not yet available", "not yet due"),
    ("tbc", "to be confirmed"),
    ("to follow", "to be confirmed"),
];

/// The reason a marker for no value gives, when the text is one (case aside).
pub fn missing_marker(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.len() > 20 {
        return None;
    }
    MISSING.iter().find(|(m, _)| m.eq_ignore_ascii_case(t)).map(|(_, why)| *why)
}

/// Whether text is words a partner wrote where a figure could stand ("On track", "Improving"):
/// letters and no digit, and no marker for "no value".
pub fn is_words(text: &str) -> bool {
    let t = text.trim();
    !t.bytes().any(|b| b.is_ascii_digit()) && t.chars().any(char::is_alphabetic) && missing_marker(t).is_none()
}

/// Keep `text` among the first three distinct samples of a column's words, shortened to quote.
pub fn keep_sample(samples: &mut Vec<String>, text: &str) {
    let shown = crate::domain::text::shorten(text.trim(), 30);
    if samples.len() < 3 && !samples.contains(&shown) {
        samples.push(shown);
    }
}

/// Markers that go with a number, and the data-quality flag they give.
pub(crate) const FLAGS: &[(&str, &str)] = &[
    ("[p]", "provisional"),
    ("(p)", "provisional"),
    ("[r]", "revised"),
    ("(r)", "revised"),
    ("[e]", "estimated"),
    ("(e)", "estimated"),
    ("[u]", "low reliability"),
    ("provisional", "provisional"),
    ("prov", "provisional"),
    ("prov.", "provisional"),
    ("revised", "revised"),
    ("rev", "revised"),
    ("estimated", "estimated"),
    ("estimate", "estimated"),
    ("est", "estimated"),
    ("est.", "estimated"),
    ("(est)", "estimated"),
    ("(est.)", "estimated"),
    ("(estimate)", "estimated"),
    ("(estimated)", "estimated"),
    ("p", "provisional"),
    ("r", "revised"),
    ("e", "estimated"),
];

/// Read a value cell as a person would.
pub fn value_cell(cell: &Cell) -> ValueCell {
    match cell {
        Cell::Empty => ValueCell::Blank,
        Cell::Text(t) => value_text(t),
        other => match other.number() {
            Ok(Some(v)) => ValueCell::Number(v, None),
            Ok(None) => ValueCell::Blank,
            Err(e) => ValueCell::Bad(e),
        },
    }
}

/// The common case, a plain number typed as text ("45.5"), read without an allocation.
fn plain_number(raw: &str) -> Option<f64> {
    let t = raw.trim();
    t.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+')))
}

pub(crate) fn value_text(raw: &str) -> ValueCell {
    if let Some(v) = plain_number(raw) {
        return ValueCell::Number(v, None);
    }
    let bare = raw.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'));
    if bare.is_empty() {
        return ValueCell::Blank;
    }
    if let Some(why) = missing_marker(bare) {
        return ValueCell::Missing(why);
    }
    if !could_be_number(bare) {
        // a code, a title, a word: not a number, and said so without trying every reading
        return ValueCell::Bad(NotANumber::Text(bare.to_string()));
    }
    let t: String = bare.replace(['\u{a0}', '\u{2007}', '\u{202f}'], " ");
    let t = t.trim();
    let lower = t.to_lowercase();
    // a number with a marker before or after it: "45.2 [p]", "45.2p", "[r] 12", "12 est" (before
    // the plain reading, which takes a word after a number as its unit)
    for (marker, flag) in FLAGS {
        let stripped = lower
            .strip_suffix(marker)
            .filter(|rest| {
                // a one-letter marker follows a digit or a space, never a word ("per 1000p"?)
                marker.len() > 1 || rest.ends_with(|c: char| c.is_ascii_digit() || c == ' ' || c == '%')
            })
            .or_else(|| lower.strip_prefix(marker).filter(|_| marker.len() > 1));
        if let Some(rest) = stripped {
            let rest = rest.trim().trim_end_matches([',', ';']);
            if let Ok(Some(v)) = Cell::Text(rest.to_string()).number() {
                return ValueCell::Number(v, Some(flag));
            }
        }
    }
    if let Some(v) = approximate(&lower) {
        return ValueCell::Number(v, Some("estimated"));
    }
    match Cell::Text(t.to_string()).number() {
        Ok(Some(v)) => return ValueCell::Number(v, None),
        Ok(None) => return ValueCell::Missing("not available"),
        Err(NotANumber::ErrorCell(e)) => return ValueCell::Bad(NotANumber::ErrorCell(e)),
        Err(_) => {}
    }
    // a footnote mark after the number: "45.2*", "12†"
    let unmarked = lower.trim_end_matches(['*', '†', '‡', '¹', '²', '³']);
    if unmarked.len() < lower.len()
        && let Ok(Some(v)) = Cell::Text(unmarked.trim().to_string()).number()
    {
        return ValueCell::Number(v, None);
    }
    if two_numbers(&lower) {
        return ValueCell::Bad(NotANumber::TwoNumbers(t.to_string()));
    }
    ValueCell::Bad(NotANumber::Text(t.to_string()))
}

/// Words and signs that say a number is an estimate, before it ("c.442", "approx. 78", "~331")
/// or after it ("645 approx."), longest first so that "approx." is not read as "approx".
const APPROXIMATE_BEFORE: &[&str] =
    &["approximately", "approx.", "approx", "around", "about", "circa", "ca.", "c.", "c", "~", "≈"];
const APPROXIMATE_AFTER: &[&str] = &["(approx.)", "(approx)", "approx.", "approx", "(approximate)"];

/// An estimate written with its qualifier: the number, when the rest is one.
fn approximate(lower: &str) -> Option<f64> {
    let number = |rest: &str| match Cell::Text(rest.trim().to_string()).number() {
        Ok(Some(v)) => Some(v),
        _ => None,
    };
    for q in APPROXIMATE_BEFORE {
        if let Some(rest) = lower.strip_prefix(q) {
            // a letter qualifier is followed by a space, a point or the number, never by a word
            // ("cases 12" is no estimate)
            let word = q.ends_with(|c: char| c.is_alphabetic());
            if word && !rest.starts_with(|c: char| c == ' ' || c == '.' || c.is_ascii_digit()) {
                continue;
            }
            if let Some(v) = number(rest.trim_start_matches(['.', ' '])) {
                return Some(v);
            }
        }
    }
    APPROXIMATE_AFTER.iter().find_map(|q| lower.strip_suffix(q).and_then(number))
}

/// Whether text holds two numbers, a range or a choice ("40-45", "40 to 45", "12 or 13",
/// "12/13"): then it is no one value. A unit's number is not a second one ("12.5 per 1000").
fn two_numbers(lower: &str) -> bool {
    let mut t = lower.to_string();
    for unit in crate::sheet::PER_UNITS {
        t = t.replace(unit, "");
    }
    let runs: Vec<&str> = t
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .filter(|r| r.chars().any(|c| c.is_ascii_digit()))
        .collect();
    if runs.len() != 2 {
        return false;
    }
    let start = t.find(runs[0]).unwrap_or(0);
    let first = start + runs[0].len();
    let Some(second) = t[first..].find(runs[1]).map(|i| first + i) else { return false };
    let signs = [' ', '£', '$', '€', '%'];
    // before the first: nothing, a currency sign or a qualifier; between: the range's or the
    // choice's word; after: nothing, a sign or a short unit ("days"), never a sentence ("16 to
    // 18 year olds who are …" is a title)
    let before = t[..start].trim_matches(signs);
    let between = t[first..second].trim_matches(signs);
    let after = t[second + runs[1].len()..].trim_matches(signs);
    (before.is_empty() || APPROXIMATE_BEFORE.contains(&before))
        && ["-", "–", "—", "to", "or", "/", "and", "&", "~"].contains(&between)
        && after.len() <= 12
        && after.chars().all(char::is_alphabetic)
}

/// Whether a cell holds a number, as the "no number left unaccounted" rule counts them: a
/// typed number, or text a person reads as one (with or without a marker), or as two.
pub fn is_numeric(cell: &Cell) -> bool {
    match cell {
        Cell::Number(n) => n.is_finite(),
        // two numbers ("40-45") are numbers a person sees: counted, so that the cell is read
        // and refused with its reason, never passed over as a title; a period is not ("2008-09")
        Cell::Text(t) => could_be_number(t) && (plain_number(t).is_some() || text_is_numeric(t)),
        _ => false,
    }
}

/// The answer read afresh: a number, with or without its marker, or two numbers that are not a
/// period ("40-45" is; "2008-09" is not).
pub(crate) fn value_text_is_numeric(t: &str) -> bool {
    match value_text(t) {
        ValueCell::Number(..) => true,
        ValueCell::Bad(NotANumber::TwoNumbers(_)) => super::period_text(t).is_none(),
        _ => false,
    }
}

/// Texts whose answer [`text_is_numeric`] keeps, per thread, and the longest it keeps.
pub(crate) const TEXTS_KEPT: usize = 4096;
const TEXT_KEPT_LEN: usize = 200;

/// Whether text that could be a number is one. The reader asks it of a text cell in each of its
/// passes, and every return of a form repeats the form's titles ("16 to 18 year olds …", read in
/// full before they are refused): the answer is kept per thread for a few thousand short texts,
/// forgotten all at once when they are full (no file decides how much is kept).
fn text_is_numeric(t: &str) -> bool {
    if t.len() > TEXT_KEPT_LEN {
        return value_text_is_numeric(t);
    }
    thread_local! {
        static KEPT: std::cell::RefCell<FxHashMap<Box<str>, bool>> = std::cell::RefCell::default();
    }
    KEPT.with_borrow_mut(|kept| {
        if let Some(&known) = kept.get(t) {
            return known;
        }
        let known = value_text_is_numeric(t);
        if kept.len() >= TEXTS_KEPT {
            kept.clear();
        }
        kept.insert(t.into(), known);
        known
    })
}

/// A cheap refusal for text that cannot be a number (a code, a title, a commentary): it has a
/// digit, and starts as a number does (a sign, a bracket, a currency sign, a marker in brackets)
/// or with a data-quality word ("est 12").
pub(crate) fn could_be_number(t: &str) -> bool {
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let s = t.trim_start_matches([' ', '\u{a0}', '\u{2007}', '\u{202f}', '\t']);
    match s.chars().next() {
        Some(c) if c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '(' | '[' | '£' | '$' | '€' | '−') => true,
        Some(c) if c.is_alphabetic() => ["prov", "rev", "est", "c", "approx", "about", "around"]
            .iter()
            .any(|w| s.get(..w.len()).is_some_and(|head| head.eq_ignore_ascii_case(w))),
        Some('~' | '≈') => true,
        _ => false,
    }
}
