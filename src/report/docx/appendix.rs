//! The board paper's appendices of ratings, coverage, trends and returns.

#[allow(unused_imports)]
use super::*;

pub(crate) fn appendix_ratings(doc: &mut Doc, d: &ReportData, charts: &Charts) {
    // above the table at half the page's width, drawn at that size (the full-size chart shrunk to
    // it printed its labels at 4 pt; below the table's end it took a page of its own)
    doc.figure_grid(
        &[(&charts.rag_small[..], "Ratings by theme (letters show the rating as well as colour)".to_string())],
        2,
    );
    let rows = d.county.iter().map(|r| rating_row(r, d.theme_name(&r.theme))).collect();
    doc.table(
        &["Theme", "Indicator", "Actual", "Target", "Forecast", "Rating", "Direction"],
        &[12, 34, 11, 11, 11, 10, 11],
        rows,
    );
}

/// Each theme's return for the quarter: due, received, state, what is missing.
pub(crate) fn appendix_returns(doc: &mut Doc, d: &ReportData) {
    if let Some(on) = d.returns_on {
        doc.p("Normal", &format!("As at {}.", on.format("%-d %B %Y")));
    }
    let rows = d.returns.iter().map(|r| crate::report::return_cells(r).into_iter().map(c).collect()).collect();
    doc.table(&crate::report::RETURN_HEADERS, &[34, 15, 15, 20, 16], rows);
}

pub(crate) fn appendix_coverage(doc: &mut Doc, charts: &Charts) {
    let cov = charts.coverage.as_ref().expect("checked");
    doc.figure(cov, "SCS priority outcomes × NIS groups: how many indicators map each outcome to each group");
}

/// Every county indicator's trend, as small multiples by theme: three charts to a row, each with
/// its rating and short reason beneath (one chart a page made this appendix 28 pages).
pub(crate) fn appendix_trends(doc: &mut Doc, d: &ReportData, charts: &Charts) {
    let mut themes: Vec<&str> = Vec::new();
    for r in &d.county {
        if !themes.contains(&r.theme.as_str()) {
            themes.push(&r.theme);
        }
    }
    let mut said_key = false;
    for theme in themes {
        let shown: Vec<(&[u8], String)> = d
            .county
            .iter()
            .filter(|r| r.theme == theme)
            .filter_map(|r| {
                let chart = charts.small_of(&r.indicator)?;
                // a small multiple has no title: its caption names the indicator and its rating
                // its figures are in Appendix C's table, beside the others of its theme
                let caption = format!(
                    "{} {} — {} {}",
                    r.indicator,
                    crate::domain::text::shorten(&r.title, 48),
                    r.effective_rating.letter(),
                    r.effective_rating.name(),
                );
                Some((chart, caption))
            })
            .collect();
        if shown.is_empty() {
            continue;
        }
        if !said_key {
            doc.p("Normal", crate::report::chart::SMALL_KEY);
            said_key = true;
        }
        doc.p("Heading2", d.theme_name(theme));
        doc.figure_grid(&shown, 3);
    }
}
