//! The demo's quarterly returns, one per theme partnership per quarter, each in a shape real
//! returns come in.

use super::*;

pub(crate) fn write_return(dir: &Path, theme: &str, inds: &[&Ind], y: usize, qn: usize) {
    let tp = theme_partnership(theme);
    let period = period_label(y, qn);
    let stem = format!("{theme}-{}-q{qn}", year_label(y).replace('/', "-"));
    let annual = annual_rows(inds, y, qn);
    let completed = completed_on(theme, y, qn);
    let r = Ret { dir, tp, period, stem, inds, y, qn, annual, completed };
    match theme {
        "communities" => communities(&r),
        "safer" => safer(&r),
        "cyp" => cyp(&r),
        "health" => health(&r),
        "economy" => economy(&r),
        _ => the_rest(&r),
    }
}

/// What every return's writer is given.
struct Ret<'a> {
    dir: &'a Path,
    tp: &'static str,
    period: String,
    stem: String,
    inds: &'a [&'a Ind],
    y: usize,
    qn: usize,
    annual: Vec<(String, String, f64)>,
    /// The date the return says it was completed.
    completed: NaiveDate,
}

/// The date a theme's return says it was completed: some working days after the quarter
/// ends, before the 20 it is due in. One is planted late: the economy's 2009/10 Q2 return,
/// completed on 5 November 2009, a week after its due date (28 October).
fn completed_on(theme: &str, y: usize, qn: usize) -> NaiveDate {
    if theme == "economy" && y == 1 && qn == 2 {
        return NaiveDate::from_ymd_opt(2009, 11, 5).expect("a date");
    }
    let days = match theme {
        "communities" => 9,
        "safer" => 12,
        "cyp" => 14,
        "health" => 11,
        "economy" => 16,
        _ => 10,
    };
    let end = laa::domain::periods::Period::quarter(2008 + y as i32, qn as u8).end_date();
    laa::domain::calendar::BankHolidays::shipped()
        .working_days_after(end, days)
        .expect("2008-2010 holidays are shipped")
}

/// The grid with its "Date completed" row below it.
fn dated(mut g: Grid, r: &Ret) -> Grid {
    g.push(vec![]);
    g.push(vec![s("Date completed"), V::D(r.completed)]);
    g
}

/// csv, long, a title row, Place Survey results as annual rows
fn communities(r: &Ret) {
    let Ret { dir, tp, period, stem, inds, y, qn, .. } = r;
    let (dir, tp, period, stem, inds, y, qn) = (*dir, *tp, period.as_str(), stem.as_str(), *inds, *y, *qn);
    let annual = r.annual.clone();
    let mut g: Grid = vec![vec![s(format!("{tp}: quarterly return {period}"))], vec![]];
    g.push(vec![s("Indicator ref"), s("Indicator"), s("Period"), s("Value"), s("Comments")]);
    for ind in inds.iter().filter(|i| i.measure != Annual) {
        for i in 1..=qn {
            let c = if i == qn { commentary(ind, y, qn).0 } else { String::new() };
            g.push(vec![
                s(ind.code),
                s(title(ind)),
                s(format!("Q{i} {}", year_label(y).replace('/', "-"))),
                V::N(quarter_value(ind, y, i)),
                s(c),
            ]);
        }
    }
    for (code, p, v) in annual {
        g.push(vec![s(code), V::E, s(p), s(format!("{v}%")), s("Place Survey, autumn 2008")]);
    }
    save_csv(&dir.join(format!("{stem}.csv")), dated(g, r));
}

/// xlsx, long, districts with numerators and denominators for the crime rates
fn safer(r: &Ret) {
    let Ret { dir, tp, period, stem, inds, y, qn, .. } = r;
    let (dir, tp, period, stem, inds, y, qn) = (*dir, *tp, period.as_str(), stem.as_str(), *inds, *y, *qn);
    let mut g: Grid = vec![vec![s(tp)], vec![s(format!("Performance return for {period}"))], vec![]];
    g.push(
        [
            "NI",
            "Indicator",
            "Area",
            "Period",
            "Numerator",
            "Denominator",
            "Value",
            "Commentary",
            "Remedial action",
            "Action owner",
            "Action due",
        ]
        .map(s)
        .to_vec(),
    );
    for ind in inds {
        let (c, a) = commentary(ind, y, qn);
        let [owner, due] = owner_and_due(ind, y, qn, &a);
        let with_text = |mut row: Vec<V>| {
            row.extend([s(c.clone()), if a.is_empty() { V::E } else { s(a.clone()) }, owner.clone(), due.clone()]);
            row
        };
        let p = format!("Q{qn} {}", year_label(y).replace('/', "-"));
        if matches!(ind.code, "NI 15" | "NI 16" | "NI 20") {
            let rate = quarter_value(ind, y, qn);
            for (di, (d, pop)) in DISTRICTS.iter().enumerate() {
                let r = rate * (1.0 + 0.25 * noise(d, di, 7));
                let crimes = (r * pop / 1000.0).round();
                g.push(with_text(vec![
                    s(ind.code),
                    s(title(ind)),
                    s(*d),
                    s(p.clone()),
                    V::N(crimes),
                    V::N(*pop),
                    V::E,
                ]));
            }
        } else {
            g.push(with_text(vec![
                s(ind.code),
                s(title(ind)),
                s("Leicestershire"),
                s(p),
                V::E,
                V::E,
                V::N(quarter_value(ind, y, qn)),
            ]));
        }
    }
    save_xlsx(&dir.join(format!("{stem}.xlsx")), vec![("Data".into(), dated(g, r))]);
}

/// xlsx, wide, "Q1 actual" headers with the year in the title, % as text, annual sheet
fn cyp(r: &Ret) {
    let Ret { dir, tp, stem, inds, y, qn, .. } = r;
    let (dir, tp, stem, inds, y, qn) = (*dir, *tp, stem.as_str(), *inds, *y, *qn);
    let annual = r.annual.clone();
    let titles =
        vec![format!("{tp} — quarterly performance return"), format!("Financial year {}, quarter {qn}", year_label(y))];
    let g = dated(wide(inds, y, qn, &|_, i| format!("Q{i} actual"), true, titles), r);
    let mut sheets = vec![(format!("Q{qn}"), g)];
    if !annual.is_empty() {
        let mut a: Grid = vec![vec![s("Annual and academic-year results")], vec![]];
        a.push(vec![s("NI"), s("Period"), s("Value")]);
        a.extend(annual.into_iter().map(|(c, p, v)| vec![s(c), s(p), V::N(v)]));
        sheets.push(("Annual results".into(), a));
    }
    sheets.push(("Notes".into(), vec![vec![s("Figures are provisional until the year-end return.")]]));
    save_xlsx(&dir.join(format!("{stem}.xlsx")), sheets);
}

/// csv, wide, calendar-month headers ("Jul-Sep 08")
fn health(r: &Ret) {
    let Ret { dir, tp, stem, inds, y, qn, .. } = r;
    let (dir, tp, stem, inds, y, qn) = (*dir, *tp, stem.as_str(), *inds, *y, *qn);
    let annual = r.annual.clone();
    const MONTHS: [&str; 4] = ["Apr-Jun", "Jul-Sep", "Oct-Dec", "Jan-Mar"];
    let header = |y: usize, i: usize| format!("{} {:02}", MONTHS[i - 1], (2008 + y + usize::from(i == 4)) % 100);
    let mut g = wide(inds, y, qn, &header, false, vec![format!("{tp} return")]);
    // planted: NI 130's 2008/09 Q3 figure never arrives (the Q3 and Q4 returns leave it blank),
    // so the Q3 return stays partial
    if y == 0
        && qn >= 3
        && let Some(row) = g.iter_mut().find(|row| matches!(row.first(), Some(V::S(c)) if c == "NI 130"))
    {
        row[4] = V::E;
    }
    for (code, p, v) in annual {
        // the annual result goes in its own trailing column
        g[2].push(s(p));
        let row = g.iter_mut().find(|r| matches!(r.first(), Some(V::S(c)) if *c == code));
        match row {
            Some(r) => r.push(V::N(v)),
            None => {
                let mut r = vec![s(code), V::E];
                r.resize(g[2].len() - 1, V::E);
                r.push(V::N(v));
                g.push(r);
            }
        }
    }
    save_csv(&dir.join(format!("{stem}.csv")), dated(g, r));
}

/// xlsx, long, "Quarter" column in another spelling, numbers typed as text with commas
fn economy(r: &Ret) {
    let Ret { dir, tp, period, stem, inds, y, qn, .. } = r;
    let (dir, tp, period, stem, inds, y, qn) = (*dir, *tp, period.as_str(), stem.as_str(), *inds, *y, *qn);
    let annual = r.annual.clone();
    let mut g: Grid = vec![vec![s(format!("{tp} — LAA return, {period}"))], vec![]];
    g.push(["Ref", "Indicator", "Quarter", "Actual", "Comments", "Action"].map(s).to_vec());
    for ind in inds.iter().filter(|i| i.measure != Annual) {
        for i in 1..=qn {
            let v = quarter_value(ind, y, i);
            let cell = if v >= 1000.0 { s(format_thousands(v)) } else { V::N(v) };
            let (c, a) = if i == qn { commentary(ind, y, qn) } else { Default::default() };
            g.push(vec![s(ind.code), s(title(ind)), s(format!("{} Qtr {i}", year_label(y))), cell, s(c), s(a)]);
        }
    }
    for (code, p, v) in annual {
        g.push(vec![s(code), V::E, s(p), V::N(v), s("Annual figure"), V::E]);
    }
    save_xlsx(&dir.join(format!("{stem}.xlsx")), vec![(period.replace('/', "-"), dated(g, r))]);
}

/// xlsx, wide, full period headers, an annual column for last year's results
fn the_rest(r: &Ret) {
    let Ret { dir, tp, stem, inds, y, qn, .. } = r;
    let (dir, tp, stem, inds, y, qn) = (*dir, *tp, stem.as_str(), *inds, *y, *qn);
    let annual = r.annual.clone();
    let titles = vec![format!("{tp}: LAA indicators"), "Quarterly monitoring".to_string()];
    let mut g = wide(inds, y, qn, &|y, i| period_label(y, i), false, titles);
    if !annual.is_empty() {
        let hdr = g.len() - inds.iter().filter(|i| i.measure != Annual).count() - 1;
        g[hdr].push(s(annual[0].1.clone()));
        for (code, _, v) in annual {
            let mut r = vec![s(code.clone()), s(title(inds.iter().find(|i| i.code == code).expect("indicator")))];
            r.resize(g[hdr].len() - 1, V::E);
            r.push(V::N(v));
            g.push(r);
        }
    }
    save_xlsx(&dir.join(format!("{stem}.xlsx")), vec![("Return".into(), dated(g, r))]);
}
