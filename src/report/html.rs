//! `ssog-report.html`: one self-contained page (inline CSS, SVG and one small script, nothing
//! fetched), readable on screen and printable on A4. It works fully without JavaScript; with it,
//! tables sort by column and the exceptions and indicator panels filter by theme and rating.

use std::fmt::Write;

use super::{Charts, Counts, ReportData, esc};
use crate::assess::rating::Rating;
use crate::domain::numbers::fmt_value;
use crate::domain::numbers::money;
use crate::domain::rag::Rag;
mod style;
use style::*;

/// Past this many areas an indicator's panel gives counts by rating instead of a row per area.
const HTML_AREA_ROWS: usize = 40;

fn badge(r: Rag) -> String {
    format!("<span class=\"rag rag-{}\">{} {}</span>", r.name(), r.letter(), r.name())
}

/// A reward status: its own label and an outlined badge, never the performance rating's.
fn reward_badge(r: Rag) -> String {
    format!("<span class=\"reward reward-{}\">{}</span>", r.name(), super::reward_status_words(r))
}

/// The partner's own rating and data-quality flag, said when the return gave them.
fn partner(r: &Rating) -> String {
    let own = match (r.self_rating, r.self_rating_differs()) {
        (Some(own), Some(_)) => {
            format!("The partner's own rating is {}, where laa's is {}. ", badge(own), badge(r.effective_rating))
        }
        (Some(own), None) => format!("The partner's own rating agrees: {}. ", badge(own)),
        _ => String::new(),
    };
    let quality = r.quality.as_deref().map(|q| format!("Data quality: {}.", esc(q))).unwrap_or_default();
    if own.is_empty() && quality.is_empty() {
        String::new()
    } else {
        format!("<p class=\"partner\">{own}{quality}</p>")
    }
}

fn rating_cell(r: &Rating) -> String {
    match r.override_rating {
        Some(o) => format!(
            "{} <span class=\"note\">computed</span><br>{} <span class=\"note\">override by {}: {}</span>",
            badge(r.rating),
            badge(o),
            esc(r.override_author.as_deref().unwrap_or("")),
            esc(r.override_reason.as_deref().unwrap_or(""))
        ),
        None => badge(r.rating),
    }
}

fn val(v: Option<f64>, unit: &str) -> String {
    v.map_or("–".into(), |v| esc(&fmt_value(v, unit)))
}

fn direction(r: &Rating) -> String {
    r.direction.map_or("–".into(), |d| format!("{} {}", d.arrow(), d.name()))
}

fn probability(r: &Rating) -> String {
    r.probability.map_or_else(
        || format!("<span class=\"note\">{}</span>", esc(&r.probability_note)),
        |p| format!("{:.0}%", p * 100.0),
    )
}

/// Render the page. `charts` supplies the inline SVGs.
/// Printed pages carry a running header (partnership, meeting, date) and "Page N of M", as a
/// committee paper does: CSS page-margin boxes, which Chromium prints.
fn page_margins(d: &ReportData) -> String {
    let text = d.running_header();
    // a CSS string: quotes, backslashes and line breaks escaped, markup cannot end the style
    let css: String = text
        .chars()
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            '<' => "\\3c ".chars().collect(),
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect();
    format!(
        "\n@page {{ margin: 18mm 14mm 16mm; @top-right {{ content: \"{css}\"; font: 8pt sans-serif; color: #555; }} @bottom-center {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 9pt sans-serif; }} }}\n"
    )
}

/// The policy a server shows the report under: only the report's own script runs (named by its
/// hash), its inline styles and SVG apply, and nothing is fetched, framed or sent.
pub fn content_security_policy() -> String {
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(SCRIPT.as_bytes()));
    format!(
        "default-src 'none'; script-src 'sha256-{hash}'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    )
}

pub fn render(d: &ReportData, charts: &Charts) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}{}</style>\n</head>\n<body>",
        esc(&d.title),
        page_margins(d)
    );
    header(&mut h, d);
    headline(&mut h, d);
    by_theme(&mut h, d, charts);
    changes(&mut h, d);
    exceptions(&mut h, d);
    returns(&mut h, d);
    reward(&mut h, d, charts);
    panels(&mut h, d, charts);
    appendix(&mut h, d, charts);
    let _ = writeln!(h, "<script>{SCRIPT}</script>");
    h.push_str("</body>\n</html>\n");
    h
}

fn header(h: &mut String, d: &ReportData) {
    let _ = writeln!(h, "<header>\n<p class=\"meta\">{}</p>", esc(&d.partnership));
    if !d.board.is_empty() {
        let date = d.meeting_date.as_deref().map(|m| format!(" — {}", esc(&super::long_date(m)))).unwrap_or_default();
        let _ = writeln!(h, "<p class=\"meta\">{}{date}</p>", esc(&d.board));
    }
    let _ = writeln!(h, "<h1>{}</h1>", esc(&d.title));
    if !d.officer_group.is_empty() {
        let _ = writeln!(h, "<p class=\"meta\">Report of the {}</p>", esc(&d.officer_group));
    }
    h.push_str("</header>\n");
}

fn headline(h: &mut String, d: &ReportData) {
    let _ = writeln!(
        h,
        "<section class=\"first\" id=\"headline\">\n<h2>Headline for {}</h2>\n<div class=\"headline\">",
        d.period
    );
    for r in Rag::ALL {
        let before = d
            .previous_counts
            .map(|p| format!("<span class=\"note\">{} last quarter</span>", p.get(r)))
            .unwrap_or_default();
        let _ =
            writeln!(h, "<div class=\"tile\">{}<span class=\"n\">{}</span>{before}</div>", badge(r), d.counts.get(r));
    }
    let t = &d.reward_totals;
    let _ = writeln!(
        h,
        "<div class=\"tile\">Reward grant<span class=\"n\">{}</span><span class=\"note\">projected of {} available; {} at risk</span></div>\n</div>",
        money(t.projected_grant),
        money(t.max_grant),
        money(t.grant_at_risk)
    );
    let _ = writeln!(
        h,
        "<p>{} LAA indicators rated for the county at {}: {}.</p>\n</section>",
        d.counts.total(),
        d.period,
        esc(&d.counts.red_text())
    );
}

fn counts_cells(c: &Counts) -> String {
    Rag::ALL.iter().map(|r| format!("<td class=\"num\">{}</td>", c.get(*r))).collect()
}

fn by_theme(h: &mut String, d: &ReportData, charts: &Charts) {
    h.push_str("<section id=\"themes\">\n<h2>RAG summary by theme</h2>\n<table class=\"sortable\">\n<thead><tr><th>Theme</th><th>R red</th><th>A amber</th><th>G green</th><th>N grey</th><th>Total</th><th>Reward grant projected</th></tr></thead>\n<tbody>\n");
    for t in &d.themes {
        let _ = writeln!(
            h,
            "<tr><td>{}</td>{}<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&t.name),
            counts_cells(&t.counts),
            t.counts.total(),
            if t.reward.targets == 0 && t.reward.parked + t.reward.withdrawn == 0 {
                "no reward targets".to_string()
            } else {
                format!("{} of {}", money(t.reward.projected_grant), money(t.reward.max_grant))
            }
        );
    }
    let _ = writeln!(
        h,
        "<tr class=\"total\"><th>Partnership</th>{}<th class=\"num\">{}</th><th class=\"num\">{} of {}</th></tr>",
        counts_cells(&d.counts),
        d.counts.total(),
        money(d.reward_totals.projected_grant),
        money(d.reward_totals.max_grant)
    );
    let _ = writeln!(
        h,
        "</tbody>\n</table>\n<figure class=\"chart\">{}<figcaption>Ratings by theme (letters show the rating as well as colour).</figcaption></figure>\n</section>",
        charts.rag.svg
    );
}

fn changes(h: &mut String, d: &ReportData) {
    h.push_str("<section id=\"changes\">\n<h2>Changes since last quarter</h2>\n");
    match d.previous_period {
        None => h.push_str("<p>There is no previous quarter with data to compare with.</p>\n"),
        Some(_) if d.changes.is_empty() => h.push_str("<p>No rating changed since last quarter.</p>\n"),
        Some(p) => {
            let _ = writeln!(
                h,
                "<table>\n<thead><tr><th>Indicator</th><th>Theme</th><th>{p}</th><th>{}</th><th>Reason</th></tr></thead>\n<tbody>",
                d.period
            );
            for c in &d.changes {
                let r = &c.rating;
                let _ = writeln!(
                    h,
                    "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&r.indicator),
                    esc(&r.title),
                    esc(d.theme_name(&r.theme)),
                    if c.before != c.before_computed {
                        format!(
                            "{} <span class=\"note\">override; computed {}</span>",
                            badge(c.before),
                            c.before_computed.name()
                        )
                    } else {
                        badge(c.before)
                    },
                    if r.override_rating.is_some() {
                        format!(
                            "{} <span class=\"note\">override; computed {}</span>",
                            badge(r.effective_rating),
                            r.rating.name()
                        )
                    } else {
                        badge(r.effective_rating)
                    },
                    esc(&r.reason)
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
    }
    h.push_str("</section>\n");
}

fn exceptions(h: &mut String, d: &ReportData) {
    let _ = writeln!(
        h,
        "<section class=\"major\" id=\"exceptions\">\n<h2>Exceptions: red ratings ({})</h2>",
        esc(&d.counts.red_text())
    );
    if d.exceptions.is_empty() {
        h.push_str("<p>No indicator is rated red this quarter.</p>\n</section>\n");
        return;
    }
    h.push_str("<p>Theme partnerships must address every red rating. Each indicator links to its panel; \"Detail\" opens the full reason, the commentary and the return cells behind the value.</p>\n<table class=\"exceptions sortable\">\n<colgroup><col style=\"width:20%\"><col style=\"width:11%\"><col style=\"width:9%\"><col style=\"width:24%\"><col style=\"width:18%\"><col style=\"width:18%\"></colgroup>\n<thead><tr><th>Indicator</th><th>Theme</th><th>Rating</th><th>Reason</th><th>To turn green</th><th>Remedial action</th></tr></thead>\n<tbody>\n");
    for r in &d.exceptions {
        let stem = super::chart_stem(&r.indicator);
        let cells = if r.sources.len() > super::SOURCES_LISTED {
            // a value derived from thousands of areas: the first few and a count
            format!(
                "<ul>{}<li>and {} more (every cell is in data.csv and <code>laa history</code>)</li></ul>",
                r.sources[..super::SOURCES_SHOWN].iter().map(|s| format!("<li>{}</li>", esc(s))).collect::<String>(),
                crate::domain::numbers::group_digits(&(r.sources.len() - super::SOURCES_SHOWN).to_string())
            )
        } else if r.sources.len() > 1 {
            format!("<ul>{}</ul>", r.sources.iter().map(|s| format!("<li>{}</li>", esc(s))).collect::<String>())
        } else {
            String::new()
        };
        let how = r.derivation.as_deref().map(|x| format!(" ({})", esc(x))).unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr id=\"exc-{stem}\" data-theme=\"{}\" data-theme-name=\"{}\" data-rating=\"{}\"><td><a href=\"#ind-{stem}\">{} {}</a></td><td>{}</td><td data-sort=\"{}\">{}</td><td>{}<details><summary>Detail</summary><p>{}</p><p><strong>Commentary:</strong> {}</p>{}<p><strong>Source:</strong> {}{how}</p>{cells}</details></td><td>{}</td><td>{}</td></tr>",
            esc(&r.theme),
            esc(d.theme_name(&r.theme)),
            r.effective_rating.name(),
            esc(&r.indicator),
            esc(&r.title),
            esc(d.theme_name(&r.theme)),
            r.effective_rating.name(),
            rating_cell(r),
            esc(&super::short_reason(r))
                + &super::against_others(r).map_or(String::new(), |a| {
                    format!("<br><small class=\"bench\">Against other areas: {}</small>", esc(&a))
                })
                + &super::partner_disagrees(r).map_or(String::new(), |p| {
                    format!("<br><strong class=\"disagrees\">Note: {}.</strong>", esc(&p))
                }),
            esc(&r.reason),
            esc(r.commentary.as_deref().unwrap_or("–")),
            partner(r),
            esc(&super::sources_summary(r)),
            to_turn_green(r),
            esc(super::given_action(r).unwrap_or(super::NO_ACTION))
        );
    }
    h.push_str("</tbody>\n</table>\n");
    if let Some(s) = super::without_an_action_sentence(&super::reds_without_an_action(d.exceptions.iter())) {
        let _ = writeln!(h, "<p class=\"no-action\">{}</p>", esc(&s));
    }
    h.push_str("</section>\n");
}

fn reward(h: &mut String, d: &ReportData, charts: &Charts) {
    h.push_str("<section class=\"major\" id=\"reward\">\n<h2>Reward target risk assessment</h2>\n");
    if d.rewards.is_empty() {
        h.push_str("<p>The agreement has no reward targets.</p>\n</section>\n");
        return;
    }
    let t = &d.reward_totals;
    let _ = writeln!(
        h,
        "<p>Projected reward grant {} of {} available; {} at risk. Nothing is paid for a target below {:.0}% of its stretch. {}</p>",
        money(t.projected_grant),
        money(t.max_grant),
        money(t.grant_at_risk),
        d.reward_threshold * 100.0,
        esc(&d.reward_basis())
    );
    if let Some(s) = super::reward_and_rating_differ(d) {
        let _ = writeln!(h, "<p class=\"reward-vs-rating\">{}</p>", esc(&s));
    }
    // two tables, each within an A4 page's width: the targets and their outturns, then the money
    h.push_str("<table class=\"sortable\">\n<thead><tr><th>Indicator</th><th>Without reward</th><th>Trigger</th><th>Stretch</th><th>Forecast this year</th><th>Assessed outturn</th><th>Achievement</th><th>Reward status</th></tr></thead>\n<tbody>\n");
    let n = crate::domain::numbers::readable;
    for p in &d.rewards {
        let _ = writeln!(
            h,
            "<tr><td>{} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.0}%</td><td>{}</td></tr>",
            esc(&p.indicator),
            esc(&p.title),
            n(p.performance_without_reward),
            n(p.trigger_value),
            n(p.stretch_target),
            p.forecast.map_or("–".into(), n),
            p.assessed_forecast.map_or("–".into(), |v| format!("{} ({})", n(v), esc(&p.assessed_year))),
            p.achievement * 100.0,
            if p.parked { p.status.name().to_string() } else { reward_badge(p.rating) },
        );
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str("<table class=\"sortable\">\n<thead><tr><th>Indicator</th><th>Maximum</th><th>Projected</th><th>At risk</th><th>Recovered at the trigger</th><th>Recovered at the stretch</th></tr></thead>\n<tbody>\n");
    for p in &d.rewards {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&p.indicator),
            money(p.max_grant),
            money(p.projected_grant),
            money(p.grant_at_risk),
            money(p.grant_recovered_at_trigger),
            money(p.grant_recovered_at_stretch)
        );
    }
    let _ = writeln!(
        h,
        "<tr class=\"total\"><th>Partnership</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><td></td><td></td></tr>",
        money(t.max_grant),
        money(t.projected_grant),
        money(t.grant_at_risk)
    );
    h.push_str("</tbody>\n</table>\n");
    if let Some(c) = &charts.reward {
        let _ = writeln!(
            h,
            "<figure class=\"chart\">{}<figcaption>Projected against maximum grant; the black mark is the {:.0}% threshold.</figcaption></figure>",
            c.svg,
            d.reward_threshold * 100.0
        );
    }
    h.push_str("</section>\n");
}

/// The exception table's "to turn green" cell: the figure needed, and the evidence for whether it
/// is within reach.
fn to_turn_green(r: &Rating) -> String {
    let green = r.to_turn_green();
    if green.is_empty() {
        return "–".into();
    }
    if r.needed.reach_note.is_empty() {
        esc(&green)
    } else {
        format!("{}<br><small>{}</small>", esc(&green), esc(&r.needed.reach_note))
    }
}

/// Each theme's return for the quarter: due, received, state (seen on the meeting date).
fn returns(h: &mut String, d: &ReportData) {
    if d.returns.is_empty() {
        return;
    }
    let on = d.returns_on.map(|o| format!(" (as at {})", o.format("%-d %B %Y"))).unwrap_or_default();
    let _ = writeln!(h, "<section class=\"major\" id=\"returns\">\n<h2>Returns this quarter{}</h2>", esc(&on));
    h.push_str("<table class=\"returns\"><thead><tr>");
    for c in super::RETURN_HEADERS {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for r in &d.returns {
        let _ = write!(h, "<tr data-state=\"{}\">", r.state.name());
        for (i, c) in super::return_cells(r).iter().enumerate() {
            let class = if i == 1 || i == 2 { " class=\"nowrap\"" } else { "" };
            let _ = write!(h, "<td{class}>{}</td>", esc(c));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n</section>\n");
}

fn panels(h: &mut String, d: &ReportData, charts: &Charts) {
    h.push_str("<section class=\"major\" id=\"indicators\">\n<h2>Indicators</h2>\n");
    // the panels (most of the page) written on every core, then put in order
    use rayon::prelude::*;
    let written: Vec<String> = d.county.par_iter().map(|r| panel(d, charts, r)).collect();
    let mut theme = String::new();
    for (r, p) in d.county.iter().zip(written) {
        if r.theme != theme {
            theme = r.theme.clone();
            let _ = writeln!(h, "<h2 class=\"theme\">{}</h2>", esc(d.theme_name(&theme)));
        }
        h.push_str(&p);
    }
    h.push_str("</section>\n");
}

/// One indicator's panel: its figures, reason, notes, districts, trend chart and sources.
fn panel(d: &ReportData, charts: &Charts, r: &Rating) -> String {
    let mut text = String::new();
    let h = &mut text;
    let _ = writeln!(
        h,
        "<article class=\"panel\" id=\"ind-{}\" data-theme=\"{}\" data-theme-name=\"{}\" data-rating=\"{}\">\n<h3>{} {}</h3>\n{}",
        super::chart_stem(&r.indicator),
        esc(&r.theme),
        esc(d.theme_name(&r.theme)),
        r.effective_rating.name(),
        esc(&r.indicator),
        esc(&r.title),
        rating_cell(r)
    );
    let _ = writeln!(
        h,
        "<table class=\"figs\"><thead><tr><th>Actual</th><th>Period</th><th>Target</th><th>Forecast</th><th>Direction</th><th>Probability</th></tr></thead><tbody><tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr></tbody></table>",
        val(r.actual, &r.unit),
        r.value_period.map_or("–".into(), |p| p.to_string()),
        // a target always names its year
        match (r.target, r.target_period) {
            (Some(_), Some(p)) => format!("{} <span class=\"note\">{p}</span>", val(r.target, &r.unit)),
            _ => val(r.target, &r.unit),
        },
        val(r.forecast, &r.unit),
        direction(r),
        probability(r)
    );
    panel_notes(h, r);
    panel_districts(h, d, r);
    if let Some(c) = charts.trend_of(&r.indicator) {
        let _ = writeln!(h, "<figure class=\"chart\">{}</figure>", c.svg);
    }
    let how = r.derivation.as_deref().map(|x| format!(" ({})", esc(x))).unwrap_or_default();
    let _ = writeln!(
        h,
        "<p class=\"src\">Source{how}: {}</p>\n</article>",
        if r.sources.is_empty() { "no value yet".into() } else { esc(&super::sources_listed(r)) }
    );
    text
}

/// A panel's words: the reason, the risk to the next result, the place among other areas, what
/// it takes to turn green, the commentary, the partner's own rating and the remedial action.
fn panel_notes(h: &mut String, r: &Rating) {
    let _ = writeln!(h, "<p>{}</p>", esc(&r.reason));
    if let Some(risk) = &r.risk {
        // between results: the risk to the next result is its own judgement, labelled apart
        let _ = writeln!(
            h,
            "<p class=\"risk\"><strong>Risk to the next result</strong> ({}): {} {}</p>",
            esc(r.next_due.as_deref().unwrap_or(&risk.period.to_string())),
            badge(risk.rating),
            esc(&risk.reason)
        );
    }
    if let Some(a) = super::against_others(r) {
        let _ = writeln!(
            h,
            "<p class=\"bench\"><strong>Against other areas:</strong> {} <span class=\"note\">Other authorities' figures are context: they never enter the rating.</span></p>",
            esc(&a)
        );
    }
    let green = r.to_turn_green();
    if !green.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"needed\"><strong>To turn green:</strong> {}{}</p>",
            esc(&green),
            if r.needed.reach_note.is_empty() { String::new() } else { format!(". {}", esc(&r.needed.reach_note)) }
        );
    }
    if let Some(c) = &r.commentary {
        let _ = writeln!(h, "<p><strong>Commentary:</strong> {}</p>", esc(c));
    }
    h.push_str(&partner(r));
    if let Some(a) = super::given_action(r) {
        let _ = writeln!(h, "<p><strong>Remedial action:</strong> {}</p>", esc(a));
    }
}

/// A panel's districts: a table, or for a national picture the counts.
fn panel_districts(h: &mut String, d: &ReportData, r: &Rating) {
    let districts: Vec<&Rating> = d.districts.iter().filter(|x| x.indicator == r.indicator).collect();
    if districts.len() > HTML_AREA_ROWS {
        // a national picture: counts, not a table of hundreds of areas per indicator
        let counts = crate::report::Counts::of(districts.iter().copied());
        let _ = writeln!(
            h,
            "<p>{} areas: {} red, {} amber, {} green, {} not rated. Every area's figures are in the workbook's Ratings sheet.</p>",
            districts.len(),
            counts.red,
            counts.amber,
            counts.green,
            counts.grey
        );
    } else if !districts.is_empty() {
        let compared = districts.iter().any(|x| x.benchmark.is_some());
        let _ = writeln!(
            h,
            "<table><thead><tr><th>District</th><th>Actual</th><th>Forecast</th><th>Rating</th>{}</tr></thead><tbody>",
            if compared { "<th>Among English districts</th>" } else { "" }
        );
        for x in districts {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>{}</tr>",
                esc(d.area_name(&x.area)),
                val(x.actual, &x.unit),
                val(x.forecast, &x.unit),
                badge(x.effective_rating),
                if compared {
                    format!("<td>{}</td>", esc(&x.benchmark.as_ref().map_or(String::new(), |b| b.short())))
                } else {
                    String::new()
                }
            );
        }
        h.push_str("</tbody></table>\n");
    }
}

fn appendix(h: &mut String, d: &ReportData, charts: &Charts) {
    h.push_str("<section class=\"major\" id=\"sources\">\n<h2>Appendix: data sources</h2>\n<table>\n<thead><tr><th>Return</th><th>Imported</th><th>By</th><th>Values</th><th>SHA-256</th></tr></thead>\n<tbody>\n");
    for e in &d.sources {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{} ({} new, {} revised)</td><td class=\"src\">{}</td></tr>",
            esc(&e.file),
            esc(&e.imported_at),
            esc(&e.user),
            e.rows,
            e.new,
            e.revised,
            esc(&e.sha256)
        );
    }
    h.push_str("</tbody>\n</table>\n");
    if !d.warnings.is_empty() {
        h.push_str("<h3>Warnings</h3>\n<ul>\n");
        for w in &d.warnings {
            let _ = writeln!(h, "<li>{}</li>", esc(w));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
    if let Some(c) = &charts.coverage {
        let _ = writeln!(
            h,
            "<section class=\"major\" id=\"coverage\">\n<h2>Appendix: priorities coverage</h2>\n<figure class=\"chart\">{}<figcaption>How many indicators map each SCS priority outcome to each NIS group (laa priorities check lists the gaps).</figcaption></figure>\n</section>",
            c.svg
        );
    }
    h.push_str("<section id=\"method\">\n<h2>Appendix: method</h2>\n");
    for m in &d.method {
        let _ = writeln!(h, "<p>{}</p>", esc(m));
    }
    let _ = writeln!(
        h,
        "<p class=\"note\">Generated by laa {} at {}.</p>\n</section>",
        env!("CARGO_PKG_VERSION"),
        esc(&d.generated_at)
    );
}
