//! The timetable's Gantt chart: the stages of the LAA's year as bars coloured by their state on
//! a day, with that day marked.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;

use super::{ChartError, Rendered};
use crate::workspace::timetable::{Stage, State};

/// A Gantt chart of the stages with a marker on `today`.
pub fn gantt(stages: &[Stage], today: NaiveDate) -> Result<Rendered, ChartError> {
    let h = (140 + 48 * stages.len() as u32).max(320);
    super::render("timetable", (super::PNG_SIZE.0, h), &|root| draw(root, stages, today))
}

fn day(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    stages: &[Stage],
    today: NaiveDate,
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let known = || stages.iter().flat_map(|s| [s.start, s.end]).flatten();
    let first = known().min().unwrap_or(today).min(today);
    let last = known().max().unwrap_or(today).max(today);
    let n = stages.len().max(1) as f64;
    let names: Vec<String> =
        stages.iter().enumerate().map(|(i, s)| short(&format!("{}. {}", i + 1, s.stage), 34)).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Stages and timescales (green: done, amber: in progress, blue: to come)",
            ("sans-serif", 22).into_font(),
        )
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(300)
        .build_cartesian_2d(day(first) - 5.0..day(last) + 5.0, 0.0..n)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(stages.len() * 2 + 1)
        .y_label_formatter(&|y| super::band_label(&names, n - *y))
        .x_labels(10)
        .x_label_formatter(&|x| {
            NaiveDate::from_num_days_from_ce_opt(*x as i32).map_or(String::new(), |d| d.format("%b %Y").to_string())
        })
        .label_style(("sans-serif", 16).into_font())
        .draw()
        .map_err(e)?;
    for (i, s) in stages.iter().enumerate() {
        let (top, bot) = (n - i as f64 - 0.2, n - i as f64 - 0.8);
        let colour = match s.state_on(today) {
            State::Done => super::rag_colour(crate::domain::rag::Rag::Green),
            State::InProgress => super::rag_colour(crate::domain::rag::Rag::Amber),
            State::Upcoming => RGBColor(0x56, 0xB4, 0xE9),
        };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                // an open start runs from the chart's left edge, an open end to its right
                [(day(s.start.unwrap_or(first)), bot), (day(s.end.unwrap_or(last)) + 1.0, top)],
                colour.filled(),
            )))
            .map_err(e)?;
    }
    let t = day(today);
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(t, 0.0), (t, n)],
            RGBColor(0xCC, 0x00, 0x00).stroke_width(3),
        )))
        .map_err(e)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("{}", today.format("%-d %b %Y")),
            (t + 2.0, n - 0.05),
            ("sans-serif", 15).into_font().color(&RGBColor(0xCC, 0x00, 0x00)),
        )))
        .map_err(e)?;
    Ok(())
}

fn short(s: &str, n: usize) -> String {
    crate::domain::text::shorten(s, n)
}
