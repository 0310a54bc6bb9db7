//! The cost of drawing other authorities on a trend chart, alone: the same trend chart drawn
//! (SVG, then rasterised to PNG) with and without the band and the group's median, many times,
//! in one process. `laa report --only charts` also ranks every rating; this isolates the drawing.
//!
//! Run: `cargo run --release --example chart_bands -- [N]` (see `bench/benchmarks.sh`).

use std::time::Instant;

use laa::domain::rag::Rag;
use laa::report::chart::{TrendSpec, trend};

fn spec(others: bool) -> TrendSpec {
    // twelve quarters of a snapshot measure, as the national bench's charts are
    let xs: Vec<f64> = (0..12).map(|k| f64::from(2008 * 4 + 1 + k)).collect();
    TrendSpec {
        title: "NI 1 % of people who believe people from different backgrounds get on well".into(),
        unit: "%".into(),
        actual: vec![xs.iter().enumerate().map(|(k, x)| (*x, 45.0 + (k % 5) as f64)).collect()],
        trajectory: vec![vec![(f64::from(2008 * 4), 50.0), (f64::from(2010 * 4 + 4), 54.0)]],
        band: vec![vec![(f64::from(2008 * 4 + 4), 49.4, 52.0), (f64::from(2010 * 4 + 4), 51.3, 54.0)]],
        forecast: Some((f64::from(2010 * 4 + 4), 47.0, Some((44.0, 50.0)))),
        rating: Rag::Red,
        x_range: (f64::from(2008 * 4), f64::from(2010 * 4 + 4)),
        required: Some([(f64::from(2010 * 4 + 3), 47.0), (f64::from(2010 * 4 + 4), 54.0)]),
        others_band: if others {
            vec![xs.iter().enumerate().map(|(k, x)| (*x, 43.0 + (k % 3) as f64, 51.0 + (k % 4) as f64)).collect()]
        } else {
            vec![]
        },
        others_median: if others {
            vec![xs.iter().enumerate().map(|(k, x)| (*x, 47.0 + (k % 3) as f64)).collect()]
        } else {
            vec![]
        },
        others_median_label: "nearest neighbours median".into(),
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(60);
    let mut times = [0.0; 2];
    // alternating, so that both see the same machine
    for _ in 0..n {
        for (i, others) in [false, true].into_iter().enumerate() {
            let s = spec(others);
            let t = Instant::now();
            let r = trend(&s).expect("drawn");
            times[i] += t.elapsed().as_secs_f64();
            assert!(r.png.len() > 1000);
        }
    }
    let (without, with) = (times[0] / n as f64, times[1] / n as f64);
    println!(
        "{n} charts each: without {:.1} ms, with {:.1} ms a chart: {:.2}×",
        without * 1e3,
        with * 1e3,
        with / without
    );
}
