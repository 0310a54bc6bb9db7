use super::*;

/// Which columns of a raster hold ink (any pixel darker than light grey), from the first
/// inked column to the last.
fn inked_columns(rgb: &[u8], size: (u32, u32)) -> Vec<bool> {
    let (w, h) = (size.0 as usize, size.1 as usize);
    let inked: Vec<bool> = (0..w).map(|x| (0..h).any(|y| rgb[(y * w + x) * 3] < 160)).collect();
    let first = inked.iter().position(|&i| i).expect("text was drawn");
    let last = inked.iter().rposition(|&i| i).expect("text was drawn");
    inked[first..=last].to_vec()
}

/// The gaps (in columns) between runs of ink.
fn ink_gaps(rgb: &[u8], size: (u32, u32)) -> Vec<usize> {
    let mut gaps = Vec::new();
    let mut run = 0;
    for i in inked_columns(rgb, size) {
        if i {
            if run > 0 {
                gaps.push(run);
            }
            run = 0;
        } else {
            run += 1;
        }
    }
    gaps
}

/// The width of a raster's ink, in pixels.
fn ink_width(rgb: &[u8], size: (u32, u32)) -> f64 {
    inked_columns(rgb, size).len() as f64
}

/// The ink width a line of text should have, worked out from DejaVu Sans itself: each glyph's
/// advance, the font's kerning between each pair, less the first glyph's left and the last
/// glyph's right side bearing, at `px` pixels to the em.
fn expected_width(text: &str, px: f64) -> f64 {
    let face = ttf_parser::Face::parse(FONT, 0).unwrap();
    let glyphs: Vec<_> = text.chars().map(|c| face.glyph_index(c).unwrap()).collect();
    let kern = |a, b| {
        face.tables().kern.map_or(0, |k| {
            k.subtables.into_iter().filter(|s| s.horizontal).find_map(|s| s.glyphs_kerning(a, b)).unwrap_or(0)
        })
    };
    let mut units: f64 = glyphs.iter().map(|g| f64::from(face.glyph_hor_advance(*g).unwrap())).sum();
    units += glyphs.windows(2).map(|w| f64::from(kern(w[0], w[1]))).sum::<f64>();
    let first = face.glyph_bounding_box(glyphs[0]).unwrap();
    let last = glyphs[glyphs.len() - 1];
    let last_box = face.glyph_bounding_box(last).unwrap();
    units -= f64::from(first.x_min);
    units -= f64::from(face.glyph_hor_advance(last).unwrap()) - f64::from(last_box.x_max);
    units * px / f64::from(face.units_per_em())
}

#[test]
fn chart_text_is_kerned_and_set_at_its_size() {
    // A and V kern tightly in DejaVu Sans; set without kerning, or at the wrong scale (as
    // the old bitmap text was: 15% narrow, its letters placed one by one), the width misses
    for (text, px) in [("AVAVAVAVAV", 40.0), ("Wave To AVAWAY", 24.0), ("acquisitive crime", 13.0)] {
        let size = ((px * 14.0) as u32, (px * 2.0) as u32);
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}"><text x="{2}" y="{3}" font-family="sans-serif" font-size="{px}">{text}</text></svg>"#,
            size.0,
            size.1,
            px / 2.0,
            px * 1.4
        );
        let got = ink_width(&rasterise("kerning", &svg, size).unwrap(), size);
        let want = expected_width(text, px);
        assert!((got - want).abs() <= 2.0, "{text:?} at {px} px: {got} px of ink, the font says {want:.1}");
    }
    // the kerning is real: alternating A and V is narrower than the same letters grouped
    assert!(expected_width("AVAVAVAVAV", 40.0) + 15.0 < expected_width("AAAAAVVVVV", 40.0));
}

#[test]
fn chart_text_is_set_with_even_spacing() {
    // "acquisitive crime" at 40 px: the letters of a word sit close (the old bitmap text
    // drifted apart: "acquisi tive"); the one wide gap is the space between the words
    let size = (700, 80);
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}"><text x="10" y="55" font-family="sans-serif" font-size="40">acquisitive crime</text></svg>"#,
        size.0, size.1, size.0, size.1
    );
    let rgb = rasterise("kerning", &svg, size).unwrap();
    let gaps = ink_gaps(&rgb, size);
    // letters sit 0–8 px apart (a fifth of an em); the word space is 12–22 px
    let wide: Vec<usize> = gaps.iter().copied().filter(|g| *g > 8).collect();
    assert_eq!(wide.len(), 1, "one word space and no wide gap inside a word: {gaps:?}");
    assert!((12..=22).contains(&wide[0]), "a space of about a third of an em: {gaps:?}");
    assert_eq!(gaps.len(), 15, "16 separate letters ('acquisitive' and 'crime'): {gaps:?}");
    // and a chart's PNG is its SVG rasterised: a real chart has text pixels of the axis colour
    let r = render("t", (400, 200), &|root| {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        root.draw(&Text::new("Quarter 2 2009/10", (20, 90), ("sans-serif", 30).into_font())).map_err(|e| e.to_string())
    })
    .unwrap();
    assert!(r.svg.contains("Quarter 2 2009/10"));
    let decoder = png::Decoder::new(std::io::Cursor::new(&r.png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().expect("an image of a sensible size")];
    reader.next_frame(&mut buf).unwrap();
    assert!(buf.iter().filter(|b| **b < 100).count() > 300, "the PNG shows the text");
}

#[test]
fn quarter_labels() {
    assert_eq!(quarter_label(f64::from(2008 * 4 + 2)), "08/09 Q2");
    assert_eq!(quarter_label(f64::from(2009 * 4 + 4)), "09/10 Q4");
    assert_eq!(axis_number(3000.0), "3,000");
    assert_eq!(axis_number(12.5), "12.5");
    assert_eq!(axis_number(-1234567.0), "-1,234,567");
    assert_eq!(axis_number(0.25), "0.25");
}

#[test]
fn renders_png_and_svg() {
    let spec = TrendSpec {
        title: "NI 154 Net additional homes".into(),
        unit: "number".into(),
        actual: vec![vec![(8033.0, 700.0), (8034.0, 1400.0)]],
        trajectory: vec![vec![(8033.0, 775.0), (8036.0, 3100.0)]],
        band: vec![vec![(8033.0, 736.0, 775.0), (8036.0, 2945.0, 3100.0)]],
        forecast: Some((8036.0, 2800.0, Some((2600.0, 3000.0)))),
        rating: Rag::Red,
        x_range: (8033.0, 8036.0),
        required: None,
        others_band: vec![],
        others_median: vec![],
        others_median_label: String::new(),
    };
    let r = trend(&TrendSpec { title: "NI 154 <Net> & \u{7}homes".into(), ..spec }).unwrap();
    assert_eq!(&r.png[1..4], b"PNG");
    assert!(r.svg.contains("NI 154 &lt;Net&gt; &amp; homes"), "markup escaped, control characters dropped");
    assert_eq!(r.svg.matches("viewBox=\"0 0 960 480\"").count(), 1, "exactly one viewBox");
    assert!(r.svg.contains("NI 154"));
}

#[test]
fn extreme_values_draw_a_chart_rather_than_loop() {
    // an infinite county value once made plotters' axis computation spin for ever
    for (a, b) in [(f64::INFINITY, 1.0), (1e308, -1e308), (f64::NAN, 5.0), (1e300, 1e300 + 1.0), (-0.0, 0.0)] {
        let spec = TrendSpec {
            title: "NI 154".into(),
            unit: "number".into(),
            actual: vec![vec![(8033.0, a), (8034.0, b)]],
            trajectory: vec![vec![(8033.0, 775.0), (8036.0, f64::INFINITY)]],
            band: vec![vec![(8033.0, f64::NEG_INFINITY, 775.0)]],
            forecast: Some((8036.0, a, Some((f64::NAN, b)))),
            rating: Rag::Red,
            x_range: (8033.0, f64::INFINITY),
            required: Some([(8034.0, a), (8036.0, f64::INFINITY)]),
            others_band: vec![vec![(8033.0, a, b), (8034.0, f64::NAN, 1.0)]],
            others_median: vec![vec![(8033.0, b)], vec![(f64::INFINITY, a)]],
            others_median_label: "England median".into(),
        };
        let r = trend(&spec).unwrap();
        assert_eq!(&r.png[1..4], b"PNG", "{a} {b}");
        assert!(r.svg.contains("NI 154"));
    }
}

#[test]
fn the_path_needed_for_green_is_drawn_dashed() {
    let spec = |required| TrendSpec {
        title: "NI 154 Net additional homes".into(),
        unit: "number".into(),
        actual: vec![vec![(8033.0, 700.0), (8034.0, 1400.0)]],
        trajectory: vec![vec![(8033.0, 775.0), (8036.0, 3100.0)]],
        band: vec![],
        forecast: Some((8036.0, 2800.0, None)),
        rating: Rag::Red,
        x_range: (8033.0, 8036.0),
        required,
        others_band: vec![],
        others_median: vec![],
        others_median_label: String::new(),
    };
    let with = trend(&spec(Some([(8034.0, 1400.0), (8036.0, 3100.0)]))).unwrap();
    let without = trend(&spec(None)).unwrap();
    // in the SVG: dashes, each its own short line in the path's colour, and the key's entry
    let colour = format!("#{:02X}{:02X}{:02X}", REQUIRED.0, REQUIRED.1, REQUIRED.2);
    let doc = roxmltree::Document::parse(&with.svg).unwrap();
    let dashes = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") || n.has_tag_name("path") || n.has_tag_name("line"))
        .filter(|n| n.attribute("stroke").is_some_and(|c| c.eq_ignore_ascii_case(&colour)))
        .count();
    assert!(dashes >= 5, "{dashes} dashes of {colour} in the svg");
    assert!(with.svg.contains("needed for green"));
    assert!(!without.svg.to_ascii_uppercase().contains(&colour));
    // in the PNG: pixels of that colour, and none without the path
    let count = |png: &[u8]| pixels_near(png, (REQUIRED.0, REQUIRED.1, REQUIRED.2), 12);
    assert!(count(&with.png) > 200, "{} pixels of the path", count(&with.png));
    assert_eq!(count(&without.png), 0);
}

/// Pixels of a PNG within `tol` of a colour.
fn pixels_near(png: &[u8], c: (u8, u8, u8), tol: i32) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(px)
        .filter(|p| {
            (p[0] as i32 - c.0 as i32).abs() < tol
                && (p[1] as i32 - c.1 as i32).abs() < tol
                && (p[2] as i32 - c.2 as i32).abs() < tol
        })
        .count()
}

#[test]
fn other_authorities_band_and_median_are_drawn_behind_with_a_key() {
    let spec = |others: bool| TrendSpec {
        title: "NI 154 Net additional homes".into(),
        unit: "number".into(),
        actual: vec![vec![(8033.0, 700.0), (8034.0, 1400.0)]],
        trajectory: vec![vec![(8033.0, 775.0), (8036.0, 3100.0)]],
        band: vec![],
        forecast: None,
        rating: Rag::Amber,
        x_range: (8033.0, 8036.0),
        required: None,
        others_band: if others {
            vec![vec![(8033.0, 500.0, 1200.0), (8034.0, 900.0, 2000.0), (8036.0, 1500.0, 3300.0)]]
        } else {
            vec![]
        },
        others_median: if others { vec![vec![(8033.0, 850.0), (8034.0, 1450.0), (8036.0, 2400.0)]] } else { vec![] },
        others_median_label: "nearest neighbours median".into(),
    };
    let with = trend(&spec(true)).unwrap();
    let without = trend(&spec(false)).unwrap();
    let colour = format!("#{:02X}{:02X}{:02X}", OTHERS.0, OTHERS.1, OTHERS.2);
    let band = format!("#{:02X}{:02X}{:02X}", OTHERS_BAND.0, OTHERS_BAND.1, OTHERS_BAND.2);
    let doc = roxmltree::Document::parse(&with.svg).unwrap();
    let has = |n: &roxmltree::Node, attr: &str, c: &str| n.attribute(attr).is_some_and(|x| x.eq_ignore_ascii_case(c));
    // the band: one shape, filled with the colour's tint, drawn before the grid
    let fills: Vec<roxmltree::Node> =
        doc.descendants().filter(|n| n.has_tag_name("polygon") && has(n, "fill", &band)).collect();
    assert_eq!(fills.len(), 1, "one band shape of {band}");
    let first_line = doc.descendants().position(|n| n.has_tag_name("line") || n.has_tag_name("polyline")).unwrap();
    assert!(doc.descendants().position(|n| n == fills[0]).unwrap() < first_line, "the band lies beneath the grid");
    // the median: a line of the colour
    let lines = doc.descendants().filter(|n| has(n, "stroke", &colour)).count();
    assert!(lines >= 1, "{lines} lines of {colour}");
    assert!(with.svg.contains("middle half of English authorities") && with.svg.contains("nearest neighbours median"));
    assert!(!without.svg.to_ascii_uppercase().contains(&colour));
    // in the PNG: the median's own colour, and the band's tint
    let band_px = (OTHERS_BAND.0, OTHERS_BAND.1, OTHERS_BAND.2);
    assert!(pixels_near(&with.png, (OTHERS.0, OTHERS.1, OTHERS.2), 12) > 150, "median pixels");
    assert!(pixels_near(&with.png, band_px, 6) > 5000, "band pixels");
    assert_eq!(pixels_near(&without.png, (OTHERS.0, OTHERS.1, OTHERS.2), 12), 0);
    assert!(pixels_near(&without.png, band_px, 6) < 50);
}

#[test]
fn an_element_opacity_becomes_its_paints_and_draws_the_same() {
    let svg = concat!(
        r##"<svg width="60" height="40" viewBox="0 0 60 40" xmlns="http://www.w3.org/2000/svg">"##,
        r##"<rect x="0" y="0" width="60" height="40" fill="#E69F00"/>"##,
        r##"<line opacity="0.2" stroke="#000000" stroke-width="3" x1="5" y1="5" x2="55" y2="35"/>"##,
        r##"<polygon opacity="0.18" fill="#0000FF" points="10,10 50,10 50,30 "/>"##,
        r##"<polyline fill="none" opacity="0.5" stroke="#FF0000" stroke-width="4" points="5,35 30,5 55,35 "/>"##,
        r##"<circle cx="30" cy="20" r="6" opacity="0.4" fill="#00FF00" stroke="#000000"/>"##,
        r##"<text x="2" y="38" opacity="1" fill="#000000">a opacity="0.3" b</text></svg>"##
    );
    let out = paint_opacity(svg);
    assert!(out.contains(r##"<line stroke-opacity="0.2" stroke="#000000""##), "{out}");
    assert!(out.contains(r##"<polygon fill-opacity="0.18" fill="#0000FF""##), "{out}");
    assert!(out.contains(r##"<polyline stroke-opacity="0.5" fill="none""##), "{out}");
    // filled and stroked: the group's opacity is not the two paints' (they overlap), kept
    assert!(out.contains(r##"<circle cx="30" cy="20" r="6" opacity="0.4""##), "{out}");
    assert!(out.contains(r##"<text x="2" y="38" fill="#000000">a opacity="0.3" b</text>"##), "{out}");
    // a group's opacity is of all it holds: kept
    let group = r##"<g opacity="0.5"><line stroke="#000000" x1="0" y1="0" x2="9" y2="9"/></g>"##;
    assert_eq!(paint_opacity(group), group);
    let (a, b) = (rasterise("t", svg, (60, 40)).unwrap(), rasterise("t", &out, (60, 40)).unwrap());
    let off = a.iter().zip(&b).filter(|(x, y)| x.abs_diff(**y) > 2).count();
    assert!(off <= a.len() / 200, "{off} of {} bytes differ", a.len());
    assert_ne!(a, rasterise("t", &svg.replace("opacity=\"0.2\"", "opacity=\"0.9\""), (60, 40)).unwrap());
}

#[test]
fn the_fonts_legacy_kern_table_is_hidden_and_its_gpos_kerning_kept() {
    let font = without_legacy_kern(FONT);
    let face = ttf_parser::Face::parse(&font, 0).expect("still a font");
    assert!(face.tables().kern.is_none(), "the legacy table is hidden");
    assert!(face.tables().gpos.is_some() && face.tables().glyf.is_some());
    assert!(ttf_parser::Face::parse(FONT, 0).unwrap().tables().kern.is_some(), "the original has one");
}
