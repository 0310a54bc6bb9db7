//! The board paper's appendices of ratings, coverage, trends and returns.

#[allow(unused_imports)]
use super::*;

pub(crate) fn appendix_ratings(doc: &mut Doc, d: &ReportData, charts: &Charts) {
    let rows = d.county.iter().map(|r| rating_row(r, d.theme_name(&r.theme))).collect();
    doc.table(
        &["Theme", "Indicator", "Actual", "Target", "Forecast", "Rating", "Direction"],
        &[12, 34, 11, 11, 11, 10, 11],
        rows,
    );
    let (w, h) = png_size(&charts.rag.png);
    doc.figure(&charts.rag, h, w, "Ratings by theme (letters show the rating as well as colour)");
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
    let (w, h) = png_size(&cov.png);
    doc.figure(cov, h, w, "SCS priority outcomes × NIS groups: how many indicators map each outcome to each group");
}

pub(crate) fn appendix_trends(doc: &mut Doc, d: &ReportData, charts: &Charts) {
    for r in &d.county {
        if let Some(chart) = charts.trend_of(&r.indicator) {
            let (w, h) = png_size(&chart.png);
            doc.figure(
                chart,
                h,
                w,
                &format!(
                    "{} {} — {} {}: {}",
                    r.indicator,
                    r.title,
                    r.effective_rating.letter(),
                    r.effective_rating.name(),
                    crate::report::short_reason(r)
                ),
            );
        }
    }
}
