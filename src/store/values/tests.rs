use super::*;
use crate::store::{FileIn, Store, sha256_hex};

/// A batch read a few rows at a time gives the same columns, ids and strings as read whole:
/// runs of one indicator and area, texts and periods crossing the slices' edges.
#[test]
fn a_batch_read_in_slices_is_the_batch_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(&dir.path().join("store"));
    let quarters = ["2008/09 Q1", "2008/09 Q2", "2008/09 Q3"];
    let obs: Vec<Observation> = (0..61)
        .map(|i| Observation {
            indicator: format!("NI {}", 1 + i % 4),
            area: ["A", "B", "C", "D", "E"][i / 12 % 5].into(),
            period: quarters[i % 3].parse().unwrap(),
            value: i as f64,
            numerator: (i % 2 == 0).then_some(i as f64),
            denominator: None,
            commentary: (i % 5 == 0).then(|| format!("note {i}")),
            action: None,
            self_rating: None,
            quality: (i % 7 == 0).then(|| "Provisional".into()),
            loc: Loc { file: "returns/x.xlsx".into(), sheet: Some("Q".into()), cell: format!("D{i}") },
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let obs: Vec<Observation> =
        obs.into_iter().filter(|o| seen.insert((o.indicator.clone(), o.area.clone(), o.period))).collect();
    let v = Values::from_observations(&obs);
    let file = FileIn { file: "returns/x.xlsx", sha256: sha256_hex(b"x"), values: &v, no_values: &[], completed: None };
    store.session().unwrap().import(&[file]).unwrap();
    let path = &store.batch_paths().unwrap()[0];
    let as_rows = |c: Chunk| {
        let (d, v) = (c.dicts, c.cols);
        (0..v.len())
            .map(|r| {
                format!(
                    "{} {} {} {} {:?} {:?} {:?} {:?} {}",
                    d.indicators.get(v.indicator[r]),
                    d.areas.get(v.area[r]),
                    v.period[r],
                    v.value[r],
                    v.numerator[r],
                    d.texts.opt(v.commentary[r]),
                    d.texts.opt(v.quality[r]),
                    d.sheets.opt(v.src[r].sheet),
                    d.cells.get(v.src[r].cell)
                )
            })
            .collect::<Vec<String>>()
    };
    let whole = as_rows(read_chunk_by(path, usize::MAX).unwrap());
    assert_eq!(whole.len(), obs.len());
    for slice in [1, 2, 7, 16, obs.len() - 1] {
        assert_eq!(as_rows(read_chunk_by(path, slice).unwrap()), whole, "{slice} rows at a time");
    }
}
