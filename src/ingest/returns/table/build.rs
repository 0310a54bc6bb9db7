//! A table's candidate readings built: what each body column holds, where each dimension lies (a column, a header row, a title, or the sheet), and every placement that explains the cells.

use super::*;

/// The column facts of a table's body (sampled).
#[derive(Debug, Clone, Default)]
pub(crate) struct ColFacts {
    pub(crate) nonempty: usize,
    pub(crate) numbers: usize,
    pub(crate) keys: [usize; 3],
    /// Keys given by code (not title) for the indicator dimension.
    pub(crate) codes: usize,
    pub(crate) labels: usize,
    /// Cells of words with no digit in them ("On track", "Improving"), and of those, ratings
    /// (R, Amber, Green).
    pub(crate) words: usize,
    pub(crate) ratings: usize,
    /// Cells that say there is no value ("n/a", "not yet due").
    pub(crate) missing: usize,
    /// The first few distinct words, to name the column by.
    pub(crate) samples: Vec<String>,
}

/// What each column's body cells hold (on the sampled rows).
pub(crate) fn body_facts(sheet: &Sheet, lex: &Lexicon, body_rows: &[usize], width: usize) -> Vec<ColFacts> {
    let mut facts = vec![ColFacts::default(); width];
    for &r in body_rows {
        for (c, f) in facts.iter_mut().enumerate() {
            let cell = sheet.cell(r, c);
            if cell.is_empty() {
                continue;
            }
            f.nonempty += 1;
            if is_numeric(cell) {
                f.numbers += 1;
                continue;
            }
            if lex.measure_label(cell).is_some() {
                f.labels += 1;
                continue;
            }
            if let Cell::Text(t) = cell {
                if super::super::cells::missing_marker(t).is_some() {
                    f.missing += 1;
                } else if super::super::cells::is_words(t) {
                    f.words += 1;
                    if crate::domain::rag::Rag::parse(t).is_some() {
                        f.ratings += 1;
                    }
                    super::super::cells::keep_sample(&mut f.samples, t);
                }
            }
            if let Some(k) = lex.body_key(cell) {
                f.keys[k.dim() as usize] += 1;
                if let (Key::Indicator { .. }, Cell::Text(t)) = (&k, cell)
                    && lex.indicator_by_title(t).is_none()
                {
                    f.codes += 1;
                }
            }
        }
    }
    facts
}

pub(crate) fn build(
    sheet: &Sheet,
    lex: &Lexicon,
    around: &Around,
    table: Table,
    body_rows: &[usize],
    facts: &[ColFacts],
) -> Result<Vec<Reading>, Refusal> {
    let heads = header_cells(sheet, lex, &table, facts.len());
    let cols = column_kinds(&heads, facts);
    let mut out = Vec::new();
    let mut err = None;
    for (mut cols, chosen_value) in variants(cols) {
        unread_both_ways(&mut cols);
        match place(sheet, lex, around, &table, &mut cols) {
            Ok(place) => {
                let mut r =
                    Reading { table: table.clone(), cols, place, score: 0, fingerprint: Vec::new(), chosen_value };
                score(sheet, &mut r, body_rows);
                out.push(r);
            }
            Err(e) => err = err.or(Some(e)),
        }
    }
    if out.is_empty() {
        return Err(err.unwrap_or((table.body.start, 0, "no values could be placed".into())));
    }
    Ok(out)
}

/// The header's cells as read, row by row; the top row's keys carried right over the blanks a
/// merged cell leaves.
fn header_cells(sheet: &Sheet, lex: &Lexicon, table: &Table, width: usize) -> Vec<Vec<HeaderCell>> {
    let mut heads: Vec<Vec<HeaderCell>> = Vec::new();
    for (i, &r) in table.header.iter().enumerate() {
        let mut row: Vec<HeaderCell> = (0..width).map(|c| lex.header(sheet.cell(r, c))).collect();
        if i == 0 && table.header.len() == 2 {
            let mut carry: Option<Key> = None;
            for (c, h) in row.iter_mut().enumerate() {
                if sheet.cell(r, c).is_empty() {
                    if let Some(k) = &carry {
                        h.key = Some(k.clone());
                    }
                } else {
                    carry = h.key.clone();
                }
            }
        }
        heads.push(row);
    }
    heads
}

/// What each column is, from its header and what its cells hold; one column per dimension down
/// (a second, an area's code beside its name, is text).
fn column_kinds(heads: &[Vec<HeaderCell>], facts: &[ColFacts]) -> Vec<Col> {
    let head = |c: usize| -> HeaderCell {
        // the lowest header row that says something wins; keys from both rows are merged later
        let mut out = HeaderCell::default();
        for row in heads {
            let h = &row[c];
            out.names = out.names.or(h.names);
            out.note = h.note.or(out.note);
            out.total |= h.total;
            out.measure = h.measure.or(out.measure);
            out.beside_key = h.beside_key.or(out.beside_key);
            out.words_beside_key |= h.words_beside_key;
        }
        out
    };
    let any_codes = facts.iter().any(|f| f.codes > 0);
    let mut cols: Vec<Col> = facts
        .iter()
        .enumerate()
        .map(|(c, f)| {
            let keys: Vec<Key> = heads.iter().filter_map(|row| row[c].key.clone()).collect();
            column_kind(f, head(c), keys, any_codes)
        })
        .collect();
    for d in Dim::ALL {
        let mut seen = false;
        for c in cols.iter_mut() {
            if *c == Col::Key(d) {
                if seen {
                    *c = Col::Text;
                }
                seen = true;
            }
        }
    }
    cols
}

/// One column's kind: a key, a total, a note, row labels, a measure, text, or numbers unread.
fn column_kind(f: &ColFacts, h: HeaderCell, keys: Vec<Key>, any_codes: bool) -> Col {
    let text_cells = f.nonempty - f.numbers;
    let majority = |n: usize| n > 0 && n * 2 >= text_cells && f.numbers <= n;
    if let Some(d) = h.names {
        if d == Dim::Indicator && any_codes && f.codes == 0 && f.keys[0] > 0 {
            // "Indicator" above titles, with the codes in another column
            Col::Text
        } else {
            Col::Key(d)
        }
    } else if h.total {
        Col::Total
    } else if let Some(n) = h.note {
        Col::Note(n)
    } else if keys.is_empty() && h.measure.is_none() && f.labels >= 2 && f.labels * 2 >= text_cells {
        Col::Label
    } else if keys.is_empty() && h.measure.is_none() && text_cells > 0 {
        match Dim::ALL.iter().copied().max_by_key(|d| f.keys[*d as usize]) {
            Some(Dim::Indicator) if majority(f.keys[0]) && (f.codes > 0 || !any_codes) => Col::Key(Dim::Indicator),
            Some(d) if d != Dim::Indicator && majority(f.keys[d as usize]) => Col::Key(d),
            _ if f.numbers > 0 => Col::Unread("its heading does not say what its numbers are".into()),
            _ => Col::Text,
        }
    } else if !keys.is_empty()
        && h.measure.is_none()
        && f.numbers == 0
        && f.nonempty > 0
        && (h.beside_key.is_some()
            || (f.words + f.missing == f.nonempty && (h.words_beside_key || (f.words > 0 && f.ratings == f.words))))
    {
        // text where values could stand, under a heading that says what it is ("Q2 Comments",
        // "Q2 RAG"), or words under one that says they are words ("Q2 Trend") or all ratings:
        // the note its heading names, the partner's rating, or words said by --explain (a
        // heading that says values, "Q2 actual", keeps its words as errors)
        if let Some(n) = h.beside_key {
            Col::Note(n)
        } else if f.ratings * 2 > f.words {
            Col::Note(Note::SelfRating)
        } else {
            let more = if f.words > f.samples.len() { ", …" } else { "" };
            Col::Words(if f.samples.is_empty() {
                "none given".into()
            } else {
                format!("{}{more}", f.samples.join(", "))
            })
        }
    } else if !keys.is_empty() || h.measure.is_some() {
        Col::Measure(keys, h.measure.unwrap_or(Measure::Value))
    } else if f.numbers > 0 {
        Col::Unread("its heading does not say what its numbers are".into())
    } else if f.nonempty > 0 {
        Col::Text
    } else {
        Col::Empty
    }
}

/// The columns as they are, or, when no column is a measure, one variant per column of numbers
/// the header does not name (the first few), each taking the value from that column.
fn variants(cols: Vec<Col>) -> Vec<(Vec<Col>, Option<String>)> {
    let unlabelled: Vec<usize> =
        cols.iter().enumerate().filter(|(_, c)| matches!(c, Col::Unread(_))).map(|(i, _)| i).collect();
    let has_measure = cols.iter().any(|c| matches!(c, Col::Measure(_, m) if *m != Measure::Target));
    if has_measure || unlabelled.is_empty() {
        return vec![(cols, None)];
    }
    // a headerless table of many columns of numbers places one at most either way
    let mut variants = Vec::new();
    for &u in unlabelled.iter().take(4) {
        let mut v = cols.clone();
        v[u] = Col::Measure(Vec::new(), Measure::Value);
        for &o in unlabelled.iter().filter(|&&o| o != u) {
            v[o] = Col::Unread(format!("the value was taken from column {}", col_letter(u)));
        }
        let why = if unlabelled.len() == 1 {
            format!("the value from column {}, the only column of numbers", col_letter(u))
        } else {
            format!("the value from column {}", col_letter(u))
        };
        variants.push((v, Some(why)));
    }
    variants
}

/// A dimension both down and across: a measure column whose header names a down dimension's key
/// is not read (an area's name in a header above a column of values is the area across; down
/// wins when both).
fn unread_both_ways(cols: &mut [Col]) {
    for d in Dim::ALL {
        if !cols.contains(&Col::Key(d)) {
            continue;
        }
        for c in cols.iter_mut() {
            if let Col::Measure(keys, m) = c
                && *m != Measure::Target
                && keys.iter().any(|k| k.dim() == d)
            {
                let said: Vec<String> = keys.iter().filter(|k| k.dim() == d).map(key_text).collect();
                *c = Col::Unread(format!(
                    "its heading names the {} {} but the rows say the {} too",
                    d.name(),
                    said.join(", "),
                    d.name()
                ));
            }
        }
    }
}

/// Place each dimension: down, across, or fixed by what the sheet says around the table.
pub(crate) fn place(
    sheet: &Sheet,
    lex: &Lexicon,
    around: &Around,
    table: &Table,
    cols: &mut [Col],
) -> Result<[Place; 3], Refusal> {
    let header_row = table.header.last().copied().unwrap_or(table.body.start);
    let mut out: Vec<Place> = Vec::new();
    for d in Dim::ALL {
        if let Some(c) = cols.iter().position(|c| *c == Col::Key(d)) {
            out.push(Place::Down(c));
            continue;
        }
        let across = cols
            .iter()
            .any(|c| matches!(c, Col::Measure(keys, m) if *m != Measure::Target && keys.iter().any(|k| k.dim() == d)));
        if across {
            out.push(Place::Across);
            continue;
        }
        let value_col = cols.iter().position(|c| matches!(c, Col::Measure(_, m) if *m != Measure::Target)).unwrap_or(0);
        out.push(match d {
            Dim::Period => {
                let (p, from) = stated_period(sheet, around, table, header_row, value_col)?;
                Place::Fixed(Key::Period(p), from)
            }
            Dim::Indicator => match stated_indicator(sheet, lex, around, table) {
                Some((k, from)) => Place::Fixed(k, from),
                None => return Err(no_header(sheet, table)),
            },
            Dim::Area => match stated_area(sheet, lex, around, table) {
                Some((k, from)) => Place::Fixed(k, from),
                None if lex.ctx.comparators => {
                    return Err((
                        table.header.first().copied().unwrap_or(table.body.start),
                        0,
                        "a comparator table must name its authorities (a column of ONS codes or names, or one named above the table)".into(),
                    ));
                }
                None => Place::Fixed(
                    Key::Area(lex.ctx.ws.county().code.clone()),
                    "no area given, so the partnership as a whole".into(),
                ),
            },
        });
    }
    if out[2] == Place::Across {
        years_for_quarters(sheet, around, header_row, cols)?;
    }
    lowest_period(cols);
    Ok([out.remove(0), out.remove(0), out.remove(0)])
}

/// Quarters across without their year take it from above, the titles, the names or --period.
fn years_for_quarters(sheet: &Sheet, around: &Around, header_row: usize, cols: &mut [Col]) -> Result<(), Refusal> {
    for (c, col) in cols.iter_mut().enumerate() {
        let Col::Measure(keys, _) = col else { continue };
        let quarter = keys.iter().find_map(|k| if let Key::Quarter(q) = k { Some(*q) } else { None });
        let Some(q) = quarter else { continue };
        let year = keys.iter().find_map(|k| match k {
            Key::Period(Period::Year { year }) => Some(*year),
            _ => None,
        });
        let year = year
            .or_else(|| header_row.checked_sub(1).and_then(|above| year_left_of(sheet, above, c)))
            .or_else(|| periods::find_year(&sheet::title_text(sheet, header_row)))
            .or_else(|| around.sheet_name.and_then(periods::find_year))
            .or_else(|| periods::find_year(around.file_name))
            .or_else(|| around.period.map(|p| p.year()));
        match year {
            Some(y) => {
                keys.retain(|k| k.dim() != Dim::Period);
                keys.push(Key::Period(Period::quarter(y, q)));
            }
            None => {
                let text = sheet.cell(header_row, c).text();
                return Err((
                    header_row,
                    c,
                    format!(
                        "column {text:?} names a quarter but no financial year: write the year in the header (\"Q{q} 2008/09\") or in a title row above it, or give it with --period \"2009/10 Q{q}\""
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Two periods in one column's header (a year above a full quarter): the lowest wins.
fn lowest_period(cols: &mut [Col]) {
    for col in cols.iter_mut() {
        if let Col::Measure(keys, _) = col {
            let periods: Vec<usize> =
                keys.iter().enumerate().filter(|(_, k)| k.dim() == Dim::Period).map(|(i, _)| i).collect();
            if periods.len() > 1 {
                let keep = keys[*periods.last().expect("two")].clone();
                keys.retain(|k| k.dim() != Dim::Period);
                keys.push(keep);
            }
        }
    }
}
