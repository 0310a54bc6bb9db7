//! Charts drawn with plotters and the embedded DejaVu Sans font: an indicator's trend against
//! its target trajectory, the RAG summary by theme, and the reward-grant chart; each as PNG
//! (150 dpi) and SVG. Colours are the Okabe–Ito colour-blind-safe set, and every rating also
//! carries its letter. The timetable's Gantt chart is in [`gantt`].

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::domain::rag::Rag;
mod summary;
pub use summary::*;

pub mod gantt;

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Pixel size of PNG charts: 6.4 × 3.2 inches at 150 dpi.
pub const PNG_SIZE: (u32, u32) = (960, 480);
const DPI: u32 = 150;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing {chart}: {message}")]
    Draw { chart: String, message: String },
    #[error("encoding {chart} as PNG: {message}")]
    Png { chart: String, message: String },
}

fn draw_err(chart: &str) -> impl Fn(String) -> ChartError + '_ {
    move |message| ChartError::Draw { chart: chart.to_string(), message }
}

fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // the font is compiled in; failing to parse it is a build defect, not bad input
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// The colour of a rating.
pub fn rag_colour(r: Rag) -> RGBColor {
    match r {
        Rag::Red => RGBColor(0xD5, 0x5E, 0x00),
        Rag::Amber => RGBColor(0xE6, 0x9F, 0x00),
        Rag::Green => RGBColor(0x00, 0x9E, 0x73),
        Rag::Grey => RGBColor(0x99, 0x99, 0x99),
    }
}

/// Hex of a rating's colour, for HTML and XLSX.
pub fn rag_hex(r: Rag) -> &'static str {
    match r {
        Rag::Red => "#D55E00",
        Rag::Amber => "#E69F00",
        Rag::Green => "#009E73",
        Rag::Grey => "#999999",
    }
}

const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// A chart in both formats.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub png: Vec<u8>,
    pub svg: String,
}

/// The year-end forecast: (x, value, optional (low, high) interval).
pub type ForecastMark = (f64, f64, Option<(f64, f64)>);

type DrawSvg<'a> = &'a dyn for<'b> Fn(DrawingArea<SVGBackend<'b>, Shift>) -> Result<(), String>;

/// What an indicator's trend chart shows. x is a quarter index (year × 4 + quarter).
#[derive(Debug, Clone)]
pub struct TrendSpec {
    pub title: String,
    pub unit: String,
    /// Actual values, as segments (one per year for cumulative measures).
    pub actual: Vec<Vec<(f64, f64)>>,
    /// Target trajectory, drawn as segments (one per year for cumulative measures).
    pub trajectory: Vec<Vec<(f64, f64)>>,
    /// The tolerance band below (or above) the trajectory: (x, low, high).
    pub band: Vec<Vec<(f64, f64, f64)>>,
    /// Year-end forecast (x, value, optional (low, high) interval).
    pub forecast: Option<ForecastMark>,
    pub rating: Rag,
    pub x_range: (f64, f64),
    /// What it takes to turn green: the path from the latest value to the level (or year's
    /// total) needed by the year's last return, drawn dashed.
    pub required: Option<[(f64, f64); 2]>,
    /// Other authorities of the same tier: the middle half of their figures, (x, lower quartile,
    /// upper quartile), as segments; drawn behind everything else.
    pub others_band: Vec<Vec<(f64, f64, f64)>>,
    /// The comparator group's median (England's when there is no group), as segments.
    pub others_median: Vec<Vec<(f64, f64)>>,
    /// What the median is called in the key ("nearest neighbours median").
    pub others_median_label: String,
}

/// The colour of other authorities' band and median (Okabe–Ito sky blue: apart from the RAG
/// colours, the actuals' blue and the required path).
pub const OTHERS: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
/// The band of other authorities: [`OTHERS`] at 22% over white, drawn opaque beneath the grid (a
/// see-through shape costs resvg a layer of its own: a third more time per chart).
pub const OTHERS_BAND: RGBColor = RGBColor(0xDA, 0xEF, 0xFA);

/// The colour of the required path (Okabe–Ito reddish purple: apart from the RAG colours).
pub const REQUIRED: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

/// Label of a quarter index: `08/09 Q2`.
pub fn quarter_label(x: f64) -> String {
    let i = x.round() as i32;
    let (year, q) = ((i - 1).div_euclid(4), (i - 1).rem_euclid(4) + 1);
    format!("{:02}/{:02} Q{q}", year.rem_euclid(100), (year + 1).rem_euclid(100))
}

/// Draw a chart once, as SVG, and rasterise that SVG to the PNG.
pub fn render(name: &str, size: (u32, u32), draw_svg: DrawSvg) -> Result<Rendered, ChartError> {
    register();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_svg(root.clone()).map_err(draw_err(name))?;
        root.present().map_err(|e| draw_err(name)(e.to_string()))?;
    }
    // plotters writes width, height and viewBox (so the SVG scales to its container); a second
    // viewBox would make the file invalid XML. Control characters from spreadsheet text
    // (plotters escapes markup but not these) would too.
    let svg: String = svg
        .replacen("<svg ", "<svg role=\"img\" ", 1)
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r'))
        .collect();
    let svg = paint_opacity(&svg);
    // the PNG is the SVG rasterised: one drawing, text shaped and kerned by resvg with the
    // embedded DejaVu Sans, so the two files match and no system font is needed
    let rgb = rasterise(name, &svg, size)?;
    Ok(Rendered { png: encode_png(name, &rgb, size)?, svg })
}

/// Each shape's `opacity` (plotters writes one on every element) as the opacity of the one paint
/// it uses: a shape with an element opacity is a group to resvg, drawn on a layer of its own and
/// blended back (a quarter of a trend chart's rasterising, for its grid lines). For a shape that
/// only fills or only strokes the two are the same picture; a shape that does both keeps its
/// opacity, and an opacity of 1 is dropped. Text content holds no `<` (plotters escapes it), so
/// every `<` opens a tag.
pub fn paint_opacity(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag_and_after = &rest[i..];
        let end = tag_and_after.find('>').map_or(tag_and_after.len(), |e| e + 1);
        out.push_str(&tag_paint_opacity(&tag_and_after[..end]));
        rest = &tag_and_after[end..];
    }
    out.push_str(rest);
    out
}

/// The elements that draw one shape with their own paints (and text, whose glyphs are filled).
const SHAPES: [&str; 8] = ["line", "polyline", "polygon", "rect", "circle", "ellipse", "path", "text"];

fn tag_paint_opacity(tag: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    const KEY: &str = " opacity=\"";
    let Some(at) = tag.find(KEY) else { return Cow::Borrowed(tag) };
    let start = at + KEY.len();
    let Some(len) = tag[start..].find('"') else { return Cow::Borrowed(tag) };
    let value = &tag[start..start + len];
    let without = format!("{}{}", &tag[..at], &tag[start + len + 1..]);
    if value.trim().parse::<f64>().is_ok_and(|v| v >= 1.0) {
        return Cow::Owned(without);
    }
    let attribute = |name: &str| {
        let key = format!(" {name}=\"");
        tag.find(&key).and_then(|p| tag[p + key.len()..].split('"').next())
    };
    let element = tag[1..].split(|c: char| c.is_whitespace() || c == '/' || c == '>').next().unwrap_or("");
    // a group's or an image's opacity is of everything it draws, not of one paint
    if !SHAPES.contains(&element) {
        return Cow::Borrowed(tag);
    }
    // SVG fills every shape but a line in black unless told otherwise
    let fills = element != "line" && attribute("fill") != Some("none");
    let strokes = attribute("stroke").is_some_and(|s| s != "none");
    let paint = match (fills, strokes) {
        (true, true) => return Cow::Borrowed(tag),
        (false, false) => return Cow::Owned(without),
        (true, false) => "fill-opacity",
        (false, true) => "stroke-opacity",
    };
    let name_end = 1 + element.len();
    Cow::Owned(format!("{} {paint}=\"{value}\"{}", &without[..name_end], &without[name_end..]))
}

/// The font with its legacy `kern` table hidden (its tag renamed, the table directory kept in
/// order). DejaVu Sans kerns by its GPOS table, which the shaper applies; the legacy table is
/// then unused, but the shaper built a cache of it for every label it set, a ninth of drawing a
/// trend chart. The pictures are the same.
pub fn without_legacy_kern(font: &[u8]) -> Vec<u8> {
    let mut out = font.to_vec();
    let tables = font.get(4..6).map_or(0, |n| usize::from(u16::from_be_bytes([n[0], n[1]])));
    for i in 0..tables {
        let at = 12 + 16 * i;
        if out.get(at..at + 4) == Some(b"kern") {
            // between `hmtx` and `loca` as before, and no table's name
            out[at..at + 4].copy_from_slice(b"kerm");
        }
    }
    out
}

/// The fonts charts are set in: DejaVu Sans alone, embedded, as every family.
fn fonts() -> std::sync::Arc<resvg::usvg::fontdb::Database> {
    static DB: std::sync::OnceLock<std::sync::Arc<resvg::usvg::fontdb::Database>> = std::sync::OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(without_legacy_kern(FONT));
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans");
        std::sync::Arc::new(db)
    })
    .clone()
}

/// An SVG drawn onto a white RGB raster of `size` with resvg.
pub fn rasterise(name: &str, svg: &str, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let err = |message: String| ChartError::Png { chart: name.to_string(), message };
    let options =
        resvg::usvg::Options { fontdb: fonts(), font_family: "DejaVu Sans".into(), ..resvg::usvg::Options::default() };
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| err(e.to_string()))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.0, size.1).ok_or_else(|| err("empty size".into()))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let scale = size.0 as f32 / tree.size().width();
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    // opaque on white: the premultiplied RGBA is the RGB (copied into a buffer of its size: a
    // flat_map collected without knowing its length was a twelfth of rasterising)
    let data = pixmap.data();
    let mut rgb = Vec::with_capacity(data.len() / 4 * 3);
    for p in data.chunks_exact(4) {
        rgb.extend_from_slice(&p[..3]);
    }
    Ok(rgb)
}

fn encode_png(name: &str, rgb: &[u8], size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let err = |e: png::EncodingError| ChartError::Png { chart: name.to_string(), message: e.to_string() };
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, size.0, size.1);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // zlib level 3 on rows filtered against the row above: charts are flat colour with
        // anti-aliased edges, so a row is mostly the one above it; trying every filter on every
        // row (adaptive) cost a tenth of the report's chart time for PNGs 4% smaller (the
        // national report's charts: 9.1 MB against 8.8 MB; fdeflate's fastest mode made 32 MB)
        enc.set_deflate_compression(png::DeflateCompression::Level(3));
        enc.set_filter(png::Filter::Up);
        let ppm = (f64::from(DPI) / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
        let mut w = enc.write_header().map_err(err)?;
        w.write_image_data(rgb).map_err(err)?;
    }
    Ok(out)
}

fn e<T: std::fmt::Debug>(x: T) -> String {
    format!("{x:?}")
}

/// A label centred on its point (letters on bars and markers).
fn centred(size: u32, colour: &RGBColor) -> TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    ("sans-serif", size).into_font().color(colour).pos(Pos::new(HPos::Center, VPos::Center))
}

/// The label of a category axis whose categories fill bands [0, 1), [1, 2)…: the name at a band's
/// middle, nothing elsewhere. `pos` counts bands from the first category.
pub fn band_label(names: &[String], pos: f64) -> String {
    let i = (pos - 0.5).round();
    if ((pos - 0.5) - i).abs() < 0.01 && i >= 0.0 {
        names.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// An axis label: thousands separated, no needless decimals.
fn axis_number(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 100.0 {
        format!("{:.0}", v)
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let out = crate::domain::numbers::group_digits(digits);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { format!("{sign}{out}") } else { format!("{sign}{out}.{frac}") }
}

/// An indicator's trend: actuals, target trajectory with its tolerance band, and the forecast.
pub fn trend(spec: &TrendSpec) -> Result<Rendered, ChartError> {
    let spec = bounded(spec);
    render(&spec.title, PNG_SIZE, &|root| draw_trend(root, &spec, &FULL))
}

/// The largest size an axis is drawn to: a chart's scale is computed from its values, and an
/// infinite or absurd one (a county value derived from infinite rates once) made the axis
/// computation loop for ever. Values are finite and far smaller once stored; this is the guard.
pub const AXIS_LIMIT: f64 = 1e15;

/// The spec with every point finite and within ±[`AXIS_LIMIT`] (points that are not numbers are
/// left out; others are held at the limit), and a finite, ordered x range.
fn bounded(spec: &TrendSpec) -> TrendSpec {
    let y = |v: f64| v.is_finite().then(|| v.clamp(-AXIS_LIMIT, AXIS_LIMIT));
    let x_ok = |x: f64| x.is_finite() && x.abs() < 1e6;
    let mut out = spec.clone();
    out.actual = spec
        .actual
        .iter()
        .map(|seg| seg.iter().filter(|p| x_ok(p.0)).filter_map(|&(x, v)| Some((x, y(v)?))).collect())
        .collect();
    out.trajectory = spec
        .trajectory
        .iter()
        .map(|seg| seg.iter().filter(|p| x_ok(p.0)).filter_map(|&(x, v)| Some((x, y(v)?))).collect())
        .collect();
    out.band = spec
        .band
        .iter()
        .map(|seg| seg.iter().filter(|p| x_ok(p.0)).filter_map(|&(x, a, b)| Some((x, y(a)?, y(b)?))).collect())
        .collect();
    out.others_band = spec
        .others_band
        .iter()
        .map(|seg| seg.iter().filter(|p| x_ok(p.0)).filter_map(|&(x, a, b)| Some((x, y(a)?, y(b)?))).collect())
        .collect();
    out.others_median = spec
        .others_median
        .iter()
        .map(|seg| seg.iter().filter(|p| x_ok(p.0)).filter_map(|&(x, v)| Some((x, y(v)?))).collect())
        .collect();
    out.required = spec
        .required
        .and_then(|[a, b]| Some([(x_ok(a.0).then_some(a.0)?, y(a.1)?), (x_ok(b.0).then_some(b.0)?, y(b.1)?)]));
    out.forecast = spec.forecast.and_then(|(x, v, iv)| {
        let iv = iv.and_then(|(a, b)| Some((y(a)?, y(b)?)));
        x_ok(x).then_some(())?;
        Some((x, y(v)?, iv))
    });
    let (x0, x1) = spec.x_range;
    out.x_range = if x_ok(x0) && x_ok(x1) && x0 <= x1 && x1 - x0 < 400.0 { (x0, x1) } else { (0.0, 1.0) };
    out
}

fn y_bounds(spec: &TrendSpec) -> (f64, f64) {
    let mut ys: Vec<f64> = spec.actual.iter().flatten().map(|p| p.1).collect();
    ys.extend(spec.trajectory.iter().flatten().map(|p| p.1));
    ys.extend(spec.band.iter().flatten().flat_map(|b| [b.1, b.2]));
    ys.extend(spec.required.iter().flat_map(|r| [r[0].1, r[1].1]));
    ys.extend(spec.others_band.iter().flatten().flat_map(|b| [b.1, b.2]));
    ys.extend(spec.others_median.iter().flatten().map(|p| p.1));
    if let Some((_, y, iv)) = spec.forecast {
        ys.push(y);
        if let Some((lo, hi)) = iv {
            ys.extend([lo, hi]);
        }
    }
    let ys = ys.into_iter().filter(|y| y.is_finite() && y.abs() <= AXIS_LIMIT);
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.12).max(hi.abs() * 0.02).max(1e-6);
    let lo = if lo >= 0.0 && lo - pad < 0.0 { 0.0 } else { lo - pad };
    (lo, hi + pad)
}

/// How a trend chart is drawn: at full size with its title and key, or as one of the board
/// paper's small multiples, drawn at the size it is printed so that its text stays at 8 pt or
/// more (a full-size chart scaled to a third of the page printed its key at 3 pt).
pub struct Look {
    /// Title size in pixels; none on a small multiple (its caption names it).
    caption: Option<u32>,
    /// Axis labels and key, in pixels (150 dpi: 17 px is 8.2 pt).
    label: u32,
    /// Whether the key is drawn (small multiples share one, given in the text above them).
    legend: bool,
    margin: u32,
    x_area: u32,
    y_area: u32,
    /// Quarter labels along the x axis at most; a small multiple labels each year's first.
    x_labels: usize,
    line: u32,
    point: u32,
    dot: u32,
}

/// The full-size chart of `charts/` and the HTML report.
const FULL: Look = Look {
    caption: Some(26),
    label: 17,
    legend: true,
    margin: 16,
    x_area: 44,
    y_area: 80,
    x_labels: 14,
    line: 3,
    point: 5,
    dot: 9,
};
/// A small multiple, printed about 2 inches wide.
const SMALL: Look = Look {
    caption: None,
    label: 18,
    legend: false,
    margin: 8,
    x_area: 30,
    y_area: 52,
    x_labels: 4,
    line: 2,
    point: 3,
    dot: 6,
};

/// Pixel size of a small multiple: 2 × 1.2 inches at 150 dpi, about the width it is printed at
/// three to a row.
pub const SMALL_SIZE: (u32, u32) = (300, 180);

/// An indicator's trend as a small multiple for the board paper: the lines, the band and the
/// forecast without title or key, its labels at print size. PNG only.
pub fn trend_small(spec: &TrendSpec) -> Result<Vec<u8>, ChartError> {
    let spec = bounded(spec);
    Ok(render(&spec.title, SMALL_SIZE, &|root| draw_trend(root, &spec, &SMALL))?.png)
}

/// The key the small multiples share, as a sentence for the text above them.
pub const SMALL_KEY: &str = "In each chart the blue line is the actual, the dark line the target trajectory with its tolerance band shaded, the dashed purple line what is needed for green, the dot the year-end forecast in its rating's colour, and, where other authorities' figures are held, the pale blue band and line their middle half and median.";

fn draw_trend<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, spec: &TrendSpec, look: &Look) -> Result<(), String> {
    root.fill(&WHITE).map_err(e)?;
    let (y0, y1) = y_bounds(spec);
    let (x0, x1) = spec.x_range;
    let mut builder = ChartBuilder::on(&root);
    if let Some(size) = look.caption {
        builder.caption(&spec.title, ("sans-serif", size).into_font().color(&INK));
    }
    let mut chart = builder
        .margin(look.margin)
        .x_label_area_size(look.x_area)
        .y_label_area_size(look.y_area)
        .build_cartesian_2d(x0 - 0.3..x1 + 0.3, y0..y1)
        .map_err(e)?;
    // other authorities behind everything: the middle half as a band, a lone period as a bar
    draw_others_band(&mut chart, spec)?;
    let year_labels = look.x_labels < 8;
    let x_label = |x: &f64| {
        let on_quarter = (x - x.round()).abs() < 0.01;
        // a small multiple names each year at its first quarter ("08/09"), the full chart each quarter
        let first = (x.round() as i32 - 1).rem_euclid(4) == 0;
        match (on_quarter, year_labels) {
            (true, false) => quarter_label(*x),
            (true, true) if first => quarter_label(*x).split(' ').next().unwrap_or_default().to_string(),
            _ => String::new(),
        }
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(if year_labels { (x1 - x0) as usize + 1 } else { ((x1 - x0) as usize + 1).min(look.x_labels) })
        .x_label_formatter(&x_label)
        .y_labels(if year_labels { 4 } else { 10 })
        .y_label_formatter(&|y| axis_number(*y))
        .label_style(("sans-serif", look.label).into_font().color(&INK))
        .axis_desc_style(("sans-serif", look.label).into_font().color(&INK))
        .max_light_lines(0);
    if look.caption.is_some() {
        mesh.y_desc(spec.unit.as_str());
    }
    mesh.draw().map_err(e)?;
    // the comparator group's median over the grid, beneath the partnership's own lines
    draw_others_median(&mut chart, spec)?;
    let band_colour = rag_colour(Rag::Amber).mix(0.18);
    for band in &spec.band {
        for w in band.windows(2) {
            let (a, b) = (w[0], w[1]);
            chart
                .draw_series(std::iter::once(Polygon::new(
                    vec![(a.0, a.1), (b.0, b.1), (b.0, b.2), (a.0, a.2)],
                    band_colour.filled(),
                )))
                .map_err(e)?;
        }
    }
    draw_lines(&mut chart, spec, look)?;
    draw_forecast(&mut chart, spec, look)?;
    if look.legend {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(0xCC, 0xCC, 0xCC))
            .label_font(("sans-serif", look.label).into_font().color(&INK))
            .draw()
            .map_err(e)?;
    }
    Ok(())
}

/// The target trajectory, the actuals and the path needed for green, each with its key entry.
fn draw_lines<DB: DrawingBackend>(chart: &mut Trend<DB>, spec: &TrendSpec, look: &Look) -> Result<(), String> {
    for (i, seg) in spec.trajectory.iter().enumerate() {
        let s = chart.draw_series(LineSeries::new(seg.iter().copied(), INK.stroke_width(2))).map_err(e)?;
        if i == 0 {
            s.label("target trajectory")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], INK.stroke_width(2)));
        }
    }
    let line = look.line;
    for (i, seg) in spec.actual.iter().enumerate() {
        let s = chart
            .draw_series(LineSeries::new(seg.iter().copied(), BLUE.stroke_width(line)).point_size(look.point))
            .map_err(e)?;
        if i == 0 {
            s.label("actual")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE.stroke_width(line)));
        }
    }
    if let Some([a, b]) = spec.required {
        chart
            .draw_series(DashedLineSeries::new([a, b], 10, 7, REQUIRED.stroke_width(line)))
            .map_err(e)?
            .label("needed for green")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], REQUIRED.stroke_width(line)));
    }
    Ok(())
}

/// A trend chart's plotting area.
type Trend<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

/// Other authorities' middle half: one shape per segment, along the lower quartiles and back
/// along the upper ones; a lone period as a bar.
fn draw_others_band<DB: DrawingBackend>(chart: &mut Trend<DB>, spec: &TrendSpec) -> Result<(), String> {
    for (i, seg) in spec.others_band.iter().enumerate() {
        // one shape per segment: along the lower quartiles and back along the upper ones
        let poly: Vec<(f64, f64)> = if seg.len() == 1 {
            let (x, lo, hi) = seg[0];
            vec![(x - 0.25, lo), (x + 0.25, lo), (x + 0.25, hi), (x - 0.25, hi)]
        } else {
            seg.iter().map(|p| (p.0, p.1)).chain(seg.iter().rev().map(|p| (p.0, p.2))).collect()
        };
        let s = chart.draw_series(std::iter::once(Polygon::new(poly, OTHERS_BAND.filled()))).map_err(e)?;
        if i == 0 {
            s.label("middle half of English authorities")
                .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], OTHERS_BAND.filled()));
        }
    }
    Ok(())
}

/// The comparator group's median, a line per segment (a lone period as a short bar).
fn draw_others_median<DB: DrawingBackend>(chart: &mut Trend<DB>, spec: &TrendSpec) -> Result<(), String> {
    for (i, seg) in spec.others_median.iter().enumerate() {
        let pts: Vec<(f64, f64)> = if seg.len() == 1 {
            let (x, v) = seg[0];
            vec![(x - 0.25, v), (x + 0.25, v)]
        } else {
            seg.clone()
        };
        let s = chart.draw_series(LineSeries::new(pts, OTHERS.stroke_width(2))).map_err(e)?;
        if i == 0 {
            s.label(spec.others_median_label.as_str())
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], OTHERS.stroke_width(2)));
        }
    }
    Ok(())
}

/// The forecast: a dot in the rating's colour with its letter, and its interval.
fn draw_forecast<DB: DrawingBackend>(chart: &mut Trend<DB>, spec: &TrendSpec, look: &Look) -> Result<(), String> {
    if let Some((x, y, iv)) = spec.forecast {
        let c = rag_colour(spec.rating);
        if let Some((lo, hi)) = iv {
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(x, lo), (x, hi)], c.stroke_width(look.line))))
                .map_err(e)?;
        }
        chart
            .draw_series(std::iter::once(Circle::new((x, y), look.dot, c.filled())))
            .map_err(e)?
            .label(format!("forecast ({} {})", spec.rating.letter(), spec.rating.name()))
            .legend(move |(x, y)| Circle::new((x + 10, y), 6, c.filled()));
        if look.legend {
            // the rating's letter on the dot, where the dot is large enough to hold it
            chart
                .draw_series(std::iter::once(Text::new(spec.rating.letter().to_string(), (x, y), centred(15, &WHITE))))
                .map_err(e)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
