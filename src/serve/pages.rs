//! The server's pages, written with maud (which escapes everything it shows): a partner's page
//! (what the theme owes, when it is due, the form, the upload, its past returns), the pages'
//! layout and the returns table (the officers' page, [`super::officer`], uses them too), and the answer
//! to an upload.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::assess::cycle::{self, Ask, ReturnRow};
use crate::domain::periods::Period;
use crate::pipeline::Loaded;

const CSS: &str = "body{font-family:sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;color:#222}\
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
th{background:#eef1f6}td.date,td.period{white-space:nowrap}.rag{display:inline-block;white-space:nowrap;min-width:4.6em;padding:0 .35rem;border-radius:.25rem;color:#fff;font-weight:bold;text-align:center}\
.rag-red{background:#D55E00}.rag-amber{background:#E69F00;color:#000}.rag-green{background:#009E73}.rag-grey{background:#999;color:#000}.missing,.partial{color:#a00}.late{color:#a60}.received{color:#060}\
.problems li{font-family:monospace}form{margin:1rem 0;padding:.5rem;border:1px solid #ccc}";

pub(crate) async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

pub(crate) fn layout(title: &str, body: Markup) -> Html<String> {
    layout_with(title, false, body)
}

/// A page; `refresh`: it looks again in two seconds (while a report is being made).
pub(crate) fn layout_with(title: &str, refresh: bool, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en-GB" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    @if refresh { meta http-equiv="refresh" content="2"; }
                    title { (title) }
                    link rel="stylesheet" href="/style.css";
                }
                body { (body) }
            }
        }
        .into_string(),
    )
}

pub(crate) fn message(title: &str, text: &str) -> Html<String> {
    layout(title, html! { h1 { (title) } p { (text) } })
}

/// The day the returns are seen on, as the report sees them: the meeting date in
/// partnership.toml, else today.
pub(crate) fn seen(l: &Loaded) -> chrono::NaiveDate {
    crate::pipeline::report::seen_on(l.ws.settings.meeting_date.as_deref())
}

/// The quarter a partner is asked about: the latest quarter a return was reported in, else the
/// agreement's first.
pub(crate) fn current_quarter(l: &Loaded) -> Period {
    let latest =
        l.store().journal().ok().and_then(|j| {
            j.iter().filter_map(|e| e.reported_in.as_deref().and_then(|p| p.parse::<Period>().ok())).max()
        });
    latest.unwrap_or_else(|| Period::quarter(l.ws.settings.agreement.first_year.year(), 1))
}

/// Every quarter of the agreement, for the upload's choice of quarter.
pub(crate) fn quarters(l: &Loaded) -> Vec<Period> {
    l.ws.years().into_iter().flat_map(|y| (1..=4).map(move |q| Period::quarter(y, q))).collect()
}

/// What is owed, an indicator at a time with its areas (and the year, for an annual result).
fn by_indicator(owed: &[cycle::Owed]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for o in owed {
        let key = match o.period {
            Period::Quarter { .. } => o.indicator.clone(),
            other => format!("{} ({other})", o.indicator),
        };
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, areas)) => areas.push(o.area_name.clone()),
            None => out.push((key, vec![o.area_name.clone()])),
        }
    }
    out
}

pub(crate) fn returns_table(rows: &[ReturnRow], with_theme: bool) -> Markup {
    html! {
        table {
            thead { tr {
                @if with_theme { th { "Theme partnership" } }
                th { "Quarter" } th { "Due" } th { "Received" } th { "State" } th { "Days overdue" } th { "Missing" }
            } }
            tbody {
                @for r in rows {
                    tr data-theme=(r.theme) data-period=(r.period.slug()) {
                        @if with_theme { td { (r.partnership) } }
                        td class="period" { (r.period.to_string()) }
                        td class="date" { (r.due.format("%-d %b %Y").to_string()) }
                        td class="date" { (r.received.map_or("–".to_string(), |d| d.format("%-d %b %Y").to_string())) }
                        td class=(r.state.name()) { (r.state.words()) }
                        td { (r.days_overdue) }
                        td { (by_indicator(&r.missing).iter().map(|(i, areas)| format!("{i}: {}", areas.join(", "))).collect::<Vec<_>>().join("; ")) }
                    }
                }
            }
        }
    }
}

/// A partner's page: what the theme owes this quarter and when, the form, the upload and the
/// theme's returns.
pub(crate) fn home(l: &Loaded, who: &str, token: &str) -> Response {
    let all = cycle::returns(&l.ws, &l.catalogue, &l.agreement, &Ask::default(), seen(l));
    let mut rows = match all {
        Ok(r) => r,
        Err(e) => return message("Unavailable", &format!("The returns cannot be worked out: {e}")).into_response(),
    };
    rows.retain(|r| r.theme == who);
    let theme =
        l.ws.find_theme(who)
            .map_or(who.to_string(), |t| if t.partnership.is_empty() { t.name.clone() } else { t.partnership.clone() });
    let q = current_quarter(l);
    let owed = cycle::owed(&l.ws, &l.catalogue, &l.agreement, who, q);
    let due = cycle::holidays(&l.ws).ok().and_then(|h| cycle::due_date(&l.ws, &h, who, q).ok());
    let body = html! {
        h1 { (theme) }
        h2 { "This quarter: " (q.to_string()) }
        p {
            "Your return owes " (owed.len()) " value" @if owed.len() != 1 { "s" }
            @if let Some(d) = due { ", due on " (d.format("%-d %B %Y").to_string()) } "."
        }
        ul { @for (i, areas) in by_indicator(&owed) { li { strong { (i) } ": " (areas.join(", ")) } } }
        p { a href={ "/l/" (token) "/template" } { "Download the return form" } }
        form method="post" action={ "/l/" (token) "/upload" } enctype="multipart/form-data" {
            p {
                label for="period" { "The quarter it reports " }
                select id="period" name="period" {
                    @for p in quarters(l) { option value=(p.to_string()) selected[p == q] { (p.to_string()) } }
                }
            }
            p { label for="file" { "The return " } input type="file" id="file" name="file" required; }
            p { button type="submit" { "Check and send" } }
        }
        h2 { "Your returns" }
        (returns_table(&rows, false))
    };
    layout(&theme, body).into_response()
}

pub(crate) fn cycle_summary(rows: &[ReturnRow]) -> String {
    let n = |s: cycle::ReturnState| rows.iter().filter(|r| r.state == s).count();
    format!(
        "{} missing, {} partial, {} late, {} not due, {} received.",
        n(cycle::ReturnState::Missing),
        n(cycle::ReturnState::Partial),
        n(cycle::ReturnState::Late),
        n(cycle::ReturnState::NotDue),
        n(cycle::ReturnState::Received)
    )
}
