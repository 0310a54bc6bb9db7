//! The summary charts: the priorities coverage heatmap, RAG by theme and the reward chart.

use super::*;

/// Priority outcomes × NIS groups: how many indicators map each outcome to each group.
#[derive(Debug, Clone)]
pub struct Heatmap {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<usize>>,
}

pub fn heatmap(spec: &Heatmap) -> Result<Rendered, ChartError> {
    // as wide as the other charts, so that printed at the page's width its labels are 8 pt
    let h = (200 + 30 * spec.rows.len() as u32).max(320);
    render("coverage heatmap", (PNG_SIZE.0, h), &|root| draw_heatmap(root, spec))
}

pub(crate) fn draw_heatmap<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, spec: &Heatmap) -> Result<(), String> {
    root.fill(&WHITE).map_err(e)?;
    let (nr, nc) = (spec.rows.len().max(1), spec.columns.len().max(1));
    let max = spec.cells.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
    let rows: Vec<String> = spec.rows.iter().map(|r| crate::domain::text::shorten(r, 44)).collect();
    let cols: Vec<String> =
        spec.columns.iter().map(|c| c.split_whitespace().next().unwrap_or("").to_string()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption("Coverage: priority outcomes × NIS groups", ("sans-serif", 24).into_font().color(&INK))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(420)
        .build_cartesian_2d(0.0..nc as f64, 0.0..nr as f64)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(nc * 2 + 1)
        .y_labels(nr * 2 + 1)
        .x_label_formatter(&|x| band_label(&cols, *x))
        .y_label_formatter(&|y| band_label(&rows, nr as f64 - *y))
        .label_style(("sans-serif", 17).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    for (r, row) in spec.cells.iter().enumerate() {
        for (c, &v) in row.iter().enumerate() {
            let y = nr as f64 - r as f64;
            let shade = if v == 0 {
                RGBColor(0xF4, 0xF4, 0xF4)
            } else {
                let t = 0.3 + 0.7 * (v as f64 / max);
                RGBColor(
                    (255.0 - t * 255.0) as u8,
                    (255.0 - t * (255.0 - 0x72 as f64)) as u8,
                    (255.0 - t * (255.0 - 0xB2 as f64)) as u8,
                )
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(c as f64 + 0.04, y - 0.96), (c as f64 + 0.96, y - 0.04)],
                    shade.filled(),
                )))
                .map_err(e)?;
            if v > 0 {
                let style = centred(17, &WHITE);
                chart
                    .draw_series(std::iter::once(Text::new(v.to_string(), (c as f64 + 0.5, y - 0.5), style)))
                    .map_err(e)?;
            }
        }
    }
    Ok(())
}

/// Counts of ratings per theme, drawn as stacked horizontal bars.
#[derive(Debug, Clone)]
pub struct RagByTheme {
    pub themes: Vec<(String, [usize; 4])>,
}

pub fn rag_by_theme(spec: &RagByTheme) -> Result<Rendered, ChartError> {
    let h = (140 + 56 * spec.themes.len() as u32).max(300);
    render("RAG by theme", (PNG_SIZE.0, h), &|root| draw_rag(root, spec, 250))
}

/// The same chart for the board paper, drawn at the size it prints at half the page's width
/// (3.2 inches at 150 dpi) so that its labels print at 8 pt: PNG only.
pub fn rag_by_theme_small(spec: &RagByTheme) -> Result<Vec<u8>, ChartError> {
    let h = (110 + 44 * spec.themes.len() as u32).max(240);
    Ok(render("RAG by theme", (480, h), &|root| draw_rag(root, spec, 236))?.png)
}

pub(crate) fn draw_rag<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    spec: &RagByTheme,
    names_width: u32,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(e)?;
    let max = spec.themes.iter().map(|t| t.1.iter().sum::<usize>()).max().unwrap_or(1).max(1) as f64;
    let n = spec.themes.len().max(1) as f64;
    let names: Vec<String> = spec.themes.iter().map(|t| t.0.clone()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption("Ratings by theme", ("sans-serif", 26).into_font().color(&INK))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(names_width)
        .build_cartesian_2d(0.0..max * 1.05, 0.0..n)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(spec.themes.len() * 2 + 1)
        .y_label_formatter(&|y| band_label(&names, n - *y))
        .x_desc("indicators")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .label_style(("sans-serif", 17).into_font().color(&INK))
        .axis_desc_style(("sans-serif", 17).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    for (i, (_, counts)) in spec.themes.iter().enumerate() {
        let y_top = n - i as f64 - 0.15;
        let y_bot = n - i as f64 - 0.85;
        let mut x = 0.0;
        for (k, rag) in Rag::ALL.iter().enumerate() {
            let c = counts[k] as f64;
            if c == 0.0 {
                continue;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new([(x, y_bot), (x + c, y_top)], rag_colour(*rag).filled())))
                .map_err(e)?;
            let label = format!("{}{}", rag.letter(), counts[k]);
            let ink = if matches!(rag, Rag::Amber | Rag::Grey) { BLACK } else { WHITE };
            let style = centred(16, &ink);
            chart
                .draw_series(std::iter::once(Text::new(label, (x + c / 2.0, (y_top + y_bot) / 2.0), style)))
                .map_err(e)?;
            x += c;
        }
    }
    Ok(())
}

/// Per reward target: maximum and projected grant, with the threshold marked.
#[derive(Debug, Clone)]
pub struct RewardChart {
    /// (indicator, max grant, projected grant, reward rating)
    pub targets: Vec<(String, f64, f64, Rag)>,
    pub threshold: f64,
}

pub fn reward(spec: &RewardChart) -> Result<Rendered, ChartError> {
    let h = (140 + 44 * spec.targets.len() as u32).max(300);
    render("reward grant", (PNG_SIZE.0, h), &|root| draw_reward(root, spec))
}

pub(crate) fn draw_reward<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, spec: &RewardChart) -> Result<(), String> {
    root.fill(&WHITE).map_err(e)?;
    let max = spec.targets.iter().map(|t| t.1).fold(1.0, f64::max);
    let n = spec.targets.len().max(1) as f64;
    let names: Vec<String> = spec.targets.iter().map(|t| t.0.clone()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption("Reward grant: projected against maximum", ("sans-serif", 26).into_font().color(&INK))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(110)
        .build_cartesian_2d(0.0..max * 1.3, 0.0..n)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(spec.targets.len() * 2 + 1)
        .y_label_formatter(&|y| band_label(&names, n - *y))
        .x_label_formatter(&|x| format!("£{}k", (x / 1000.0).round() + 0.0))
        .x_desc("grant")
        .label_style(("sans-serif", 16).into_font().color(&INK))
        .axis_desc_style(("sans-serif", 17).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    for (i, (_, maxg, proj, rag)) in spec.targets.iter().enumerate() {
        let (top, bot) = (n - i as f64 - 0.15, n - i as f64 - 0.85);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, bot), (*maxg, top)],
                RGBColor(0xDD, 0xDD, 0xDD).filled(),
            )))
            .map_err(e)?;
        if *proj > 0.0 {
            chart
                .draw_series(std::iter::once(Rectangle::new([(0.0, bot), (*proj, top)], rag_colour(*rag).filled())))
                .map_err(e)?;
        }
        let t = maxg * spec.threshold;
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(t, bot - 0.08), (t, top + 0.08)], INK.stroke_width(3))))
            .map_err(e)?;
        // + 0.0: a grant of nothing reads £0k, never £-0k
        let label =
            format!("{} £{}k of £{}k", rag.letter(), (proj / 1000.0).round() + 0.0, (maxg / 1000.0).round() + 0.0);
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (maxg + max * 0.01, (top + bot) / 2.0 + 0.15),
                ("sans-serif", 15).into_font().color(&INK),
            )))
            .map_err(e)?;
    }
    Ok(())
}
