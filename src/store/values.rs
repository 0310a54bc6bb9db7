//! The store's current values as columns: indicator, area, file, sheet, cell and text as small
//! ids into shared dictionaries, periods as compact values, provenance as ids that become
//! "file: Sheet!C5" text only where a person reads it. Batches are read in parallel, each with
//! only the columns needed, and the latest value of each key is kept by one sort.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::{DataFrame, ParquetReader, SerReader};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::StoreError;
use crate::domain::periods::Period;
use crate::ingest::returns::Observation;
use crate::ingest::sheet::Loc;

/// No id: a missing sheet name, commentary or action.
pub const NONE: u32 = u32::MAX;

/// Distinct strings, each with a small id in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct Dict {
    /// Each string once, shared by the list and the index (one allocation per new string).
    names: Vec<Arc<str>>,
    index: FxHashMap<Arc<str>, u32>,
}

impl Dict {
    /// The id of `s`, adding it when new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        let shared: Arc<str> = s.into();
        self.names.push(shared.clone());
        self.index.insert(shared, i);
        i
    }

    pub fn find(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }

    /// The string of an id (empty for [`NONE`]).
    pub fn get(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |s| s)
    }

    /// The string of an id, or `None` for [`NONE`].
    pub fn opt(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| self.get(id))
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every string, by id.
    pub fn names(&self) -> &[Arc<str>] {
        &self.names
    }

    /// The id of `s`, or of the previous string when `s` equals it (values come in runs).
    fn id_run(&mut self, s: &str, last: &mut Option<(Box<str>, u32)>) -> u32 {
        match last {
            Some((l, id)) if **l == *s => *id,
            _ => {
                let id = self.id(s);
                *last = Some((s.into(), id));
                id
            }
        }
    }

    /// Each of this dictionary's ids as an id in `to` (its strings added to `to` when new).
    pub fn remap_into(&self, to: &mut Dict) -> Vec<u32> {
        self.names.iter().map(|s| to.id(s)).collect()
    }

    /// Each id's position when the strings are sorted.
    pub fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_by(|a, b| self.names[*a as usize].cmp(&self.names[*b as usize]));
        let mut rank = vec![0; order.len()];
        for (r, id) in order.into_iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        rank
    }
}

/// The dictionaries every id column refers to.
#[derive(Debug, Clone, Default)]
pub struct Dicts {
    pub indicators: Dict,
    pub areas: Dict,
    pub files: Dict,
    pub sheets: Dict,
    pub cells: Dict,
    /// Commentary and remedial-action text.
    pub texts: Dict,
}

/// Where a value came from, as ids into [`Dicts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Src {
    pub file: u32,
    pub sheet: u32,
    pub cell: u32,
}

impl Dicts {
    /// A source as people read it.
    pub fn loc(&self, s: Src) -> Loc {
        Loc {
            file: self.files.get(s.file).into(),
            sheet: self.sheets.opt(s.sheet).map(Into::into),
            cell: self.cells.get(s.cell).to_string(),
        }
    }
}

/// Values as columns: row `i` is `indicator[i]`, `area[i]`, `period[i]`, `value[i]`, ….
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub dicts: Arc<Dicts>,
    pub indicator: Vec<u32>,
    pub area: Vec<u32>,
    pub period: Vec<Period>,
    pub value: Vec<f64>,
    pub numerator: Vec<Option<f64>>,
    pub denominator: Vec<Option<f64>>,
    pub commentary: Vec<u32>,
    pub action: Vec<u32>,
    /// The partner's own rating and data-quality flag: text ids ([`NONE`] when not given).
    pub self_rating: Vec<u32>,
    pub quality: Vec<u32>,
    pub src: Vec<Src>,
    /// The import (journal batch number) that brought the value.
    pub batch: Vec<u32>,
}

impl Values {
    /// The values by indicator, area and period, built once to compare many returns against
    /// (built per return, re-checking a national workspace was quadratic: 160 s).
    pub fn index(&self) -> ValueIndex<'_> {
        let mut map: rustc_hash::FxHashMap<(&str, &str, Period), (f64, u32)> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(self.len(), Default::default());
        for i in 0..self.len() {
            let key =
                (self.dicts.indicators.get(self.indicator[i]), self.dicts.areas.get(self.area[i]), self.period[i]);
            map.insert(key, (self.value[i], self.src[i].file));
        }
        ValueIndex { map, values: self }
    }

    pub fn len(&self) -> usize {
        self.value.len()
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Runs of rows sharing an indicator and area, in order.
    pub fn runs(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let mut start = 0;
        std::iter::from_fn(move || {
            if start >= self.len() {
                return None;
            }
            let (i, a) = (self.indicator[start], self.area[start]);
            let mut end = start + 1;
            while end < self.len() && self.indicator[end] == i && self.area[end] == a {
                end += 1;
            }
            let r = start..end;
            start = end;
            Some(r)
        })
    }
}

/// One batch's columns before their strings are given shared ids.
struct Chunk {
    dicts: Dicts,
    cols: Values,
}

/// Rows per Parquet row group when a batch is written.
pub const ROW_GROUP_ROWS: usize = 1 << 16;

/// Rows read from a batch at a time: four row groups, which Polars decodes in parallel (one at a
/// time was decoded on one thread: 250 ms slower at four times the national data).
const SLICE_ROWS: usize = 4 * ROW_GROUP_ROWS;

/// [`read_current`] among the rows `known` picks from every stored row (the values known at a
/// time): the latest of each key among them, and how many rows were kept.
pub fn read_known(paths: &[PathBuf], known: &dyn Fn(&Values) -> Vec<usize>) -> Result<(Values, usize), StoreError> {
    let chunks: Vec<Chunk> = paths.par_iter().map(|p| read_chunk(p)).collect::<Result<_, _>>()?;
    let all = merge(chunks);
    let keep = known(&all);
    let read = keep.len();
    Ok((latest(gather(&all, &keep)), read))
}

/// Read the listed batches (in journal order) and keep the latest value of each indicator ×
/// area × period. Returns the values and how many stored values (all revisions) were read.
pub fn read_current(paths: &[PathBuf]) -> Result<(Values, usize), StoreError> {
    // batches in parallel; `collect` keeps their order, which is import order
    let chunks: Vec<Chunk> = paths.par_iter().map(|p| read_chunk(p)).collect::<Result<_, _>>()?;
    let all = merge(chunks);
    let read = all.len();
    Ok((latest(all), read))
}

const COLUMNS: [&str; 12] = [
    "indicator",
    "area",
    "period",
    "value",
    "numerator",
    "denominator",
    "commentary",
    "action",
    "file",
    "sheet",
    "cell",
    "batch",
];

/// Columns added after the first batches were written: read when a batch has them.
const OPTIONAL_COLUMNS: [&str; 2] = ["self_rating", "quality"];

/// A batch's columns read a slice of rows at a time ([`SLICE_ROWS`]), so that no more than a
/// few row groups' decoded strings are held at once (the whole batch decoded at once was the
/// peak of every command: 536 MiB of strings at four times the national data).
pub(super) struct Frames {
    path: PathBuf,
    columns: Vec<String>,
    metadata: polars::prelude::FileMetadataRef,
    rows: usize,
}

impl Frames {
    /// The columns values are read with ([`COLUMNS`], and the optional ones a batch has).
    fn open(path: &Path) -> Result<Frames, StoreError> {
        Frames::open_with(path, false)
    }

    /// Every column of the batch (`laa history` shows each value's import time too).
    pub(super) fn open_all(path: &Path) -> Result<Frames, StoreError> {
        Frames::open_with(path, true)
    }

    fn open_with(path: &Path, all: bool) -> Result<Frames, StoreError> {
        let pq = |source| StoreError::Parquet { path: path.to_path_buf(), source };
        let mut reader = ParquetReader::new(open(path)?);
        let schema = reader.schema().map_err(pq)?;
        let columns: Vec<String> = if all {
            schema.iter().map(|(name, _)| name.to_string()).collect()
        } else {
            let mut c: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            c.extend(OPTIONAL_COLUMNS.iter().filter(|c| schema.contains(c)).map(|c| c.to_string()));
            c
        };
        let rows = reader.num_rows().map_err(pq)?;
        let metadata = reader.get_metadata().map_err(pq)?.clone();
        Ok(Frames { path: path.to_path_buf(), columns, metadata, rows })
    }

    /// Each slice of [`SLICE_ROWS`] rows in turn, with the row its first is in the batch.
    pub(super) fn each(
        &self,
        f: &mut dyn FnMut(&DataFrame, usize) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each_by(SLICE_ROWS, f)
    }

    /// [`Frames::each`], `slice` rows at a time.
    fn each_by(
        &self,
        slice: usize,
        f: &mut dyn FnMut(&DataFrame, usize) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut start = 0;
        while start < self.rows {
            let len = slice.max(1).min(self.rows - start);
            f(&self.read(start, len)?, start)?;
            start += len;
        }
        Ok(())
    }

    /// Rows `start..start + len`.
    fn read(&self, start: usize, len: usize) -> Result<DataFrame, StoreError> {
        let pq = |source| StoreError::Parquet { path: self.path.clone(), source };
        let mut reader = ParquetReader::new(open(&self.path)?);
        reader.set_metadata(self.metadata.clone());
        reader.with_columns(Some(self.columns.clone())).with_slice(Some((start, len))).finish().map_err(pq)
    }

    fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
    }
}

fn open(path: &Path) -> Result<File, StoreError> {
    File::open(path).map_err(|source| StoreError::Io { path: path.to_path_buf(), source })
}

/// Ids for a string column, looking each distinct run up once; appended to `out`. `first` is
/// the slice's first row in the batch (for messages).
fn ids(
    df: &DataFrame,
    name: &str,
    dict: &mut Dict,
    path: &Path,
    required: bool,
    first: usize,
    out: &mut Vec<u32>,
) -> Result<(), StoreError> {
    let pq = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let ca = df.column(name).and_then(|c| c.str().cloned()).map_err(pq)?;
    out.reserve(ca.len());
    let mut last: Option<(&str, u32)> = None;
    for (i, v) in ca.iter().enumerate() {
        let id = match (v, last) {
            (Some(s), Some((l, id))) if s == l => id,
            (Some(s), _) => {
                let id = dict.id(s);
                last = Some((s, id));
                id
            }
            (None, _) if required => {
                return Err(StoreError::Damaged(format!(
                    "{}: row {}: {name} is missing",
                    path.display(),
                    first + i + 1
                )));
            }
            (None, _) => NONE,
        };
        out.push(id);
    }
    Ok(())
}

/// One batch's id columns, filled a slice of rows at a time.
struct IdColumns {
    indicator: Vec<u32>,
    area: Vec<u32>,
    file: Vec<u32>,
    sheet: Vec<u32>,
    cell: Vec<u32>,
    commentary: Vec<u32>,
    action: Vec<u32>,
    self_rating: Vec<u32>,
    quality: Vec<u32>,
    period: Vec<u32>,
}

fn read_chunk(path: &Path) -> Result<Chunk, StoreError> {
    read_chunk_by(path, SLICE_ROWS)
}

/// [`read_chunk`], `slice` rows at a time.
fn read_chunk_by(path: &Path, slice: usize) -> Result<Chunk, StoreError> {
    let pq = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let frames = Frames::open(path)?;
    let mut d = Dicts::default();
    let mut period_names = Dict::default();
    // every column sized once for the batch's rows (grown by doubling, each held up to twice
    // its rows)
    let n = frames.rows;
    let mut c = IdColumns {
        indicator: Vec::with_capacity(n),
        area: Vec::with_capacity(n),
        file: Vec::with_capacity(n),
        sheet: Vec::with_capacity(n),
        cell: Vec::with_capacity(n),
        commentary: Vec::with_capacity(n),
        action: Vec::with_capacity(n),
        self_rating: Vec::with_capacity(n),
        quality: Vec::with_capacity(n),
        period: Vec::with_capacity(n),
    };
    let (mut value, mut numerator, mut denominator, mut batch) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    frames.each_by(slice, &mut |df, start| {
        let optional = |name: &str, dict: &mut Dict, out: &mut Vec<u32>| {
            if frames.has(name) {
                ids(df, name, dict, path, false, start, out)
            } else {
                out.extend(std::iter::repeat_n(NONE, df.height()));
                Ok(())
            }
        };
        // each dictionary's columns at the same time
        let Dicts { indicators, areas, files, sheets, cells, texts } = &mut d;
        let IdColumns { indicator, area, file, sheet, cell, commentary, action, self_rating, quality, period } = &mut c;
        let (((r1, r2), (r3, r4)), (r5, r6)) = rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || ids(df, "indicator", indicators, path, true, start, indicator),
                            || ids(df, "area", areas, path, true, start, area),
                        )
                    },
                    || {
                        rayon::join(
                            || ids(df, "file", files, path, true, start, file),
                            || ids(df, "sheet", sheets, path, false, start, sheet),
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || ids(df, "cell", cells, path, true, start, cell),
                    || -> Result<(), StoreError> {
                        ids(df, "commentary", texts, path, false, start, commentary)?;
                        ids(df, "action", texts, path, false, start, action)?;
                        optional("self_rating", texts, self_rating)?;
                        optional("quality", texts, quality)?;
                        // a batch holds few distinct periods: each is parsed once, below
                        ids(df, "period", &mut period_names, path, true, start, period)
                    },
                )
            },
        );
        for r in [r1, r2, r3, r4, r5, r6] {
            r?;
        }
        let floats = |name: &str| df.column(name).and_then(|c| c.f64().cloned()).map_err(pq);
        for (i, v) in floats("value")?.iter().enumerate() {
            value.push(v.ok_or_else(|| {
                StoreError::Damaged(format!("{}: row {}: value is missing", path.display(), start + i + 1))
            })?);
        }
        numerator.extend(floats("numerator")?.iter());
        denominator.extend(floats("denominator")?.iter());
        let batch_ca = df.column("batch").and_then(|c| c.i64().cloned()).map_err(pq)?;
        batch.extend(batch_ca.iter().map(|b| b.unwrap_or(0) as u32));
        Ok(())
    })?;
    let parsed: Vec<Period> = period_names
        .names
        .iter()
        .map(|p| p.parse::<Period>().map_err(|e| StoreError::Damaged(format!("{}: {e}", path.display()))))
        .collect::<Result<_, _>>()?;
    let IdColumns { indicator, area, file, sheet, cell, commentary, action, self_rating, quality, period } = c;
    let cols = Values {
        dicts: Arc::new(Dicts::default()),
        indicator,
        area,
        period: period.into_iter().map(|i| parsed[i as usize]).collect(),
        value,
        numerator,
        denominator,
        commentary,
        action,
        self_rating,
        quality,
        src: file.into_iter().zip(sheet).zip(cell).map(|((file, sheet), cell)| Src { file, sheet, cell }).collect(),
        batch,
    };
    Ok(Chunk { dicts: d, cols })
}

/// The rows of a batch whose value, numerator or denominator is not a finite number (older laa
/// stored an infinite rate), described as "row 5 (NI 154 BLABY 2008/09 Q2, file: Q2!D5)"; read
/// a slice at a time.
pub(super) fn not_finite(path: &Path) -> Result<Vec<String>, StoreError> {
    let pq = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let mut bad = Vec::new();
    Frames::open(path)?.each(&mut |df, start| {
        let floats = |name: &str| df.column(name).and_then(|c| c.f64().cloned()).map_err(pq);
        let strs = |name: &str| df.column(name).and_then(|c| c.str().cloned()).map_err(pq);
        let (value, num, den) = (floats("value")?, floats("numerator")?, floats("denominator")?);
        let finite = |x: Option<f64>| x.is_none_or(f64::is_finite);
        let rows: Vec<usize> = (0..df.height())
            .filter(|&i| !(value.get(i).is_some_and(f64::is_finite) && finite(num.get(i)) && finite(den.get(i))))
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        let (ind, area, period) = (strs("indicator")?, strs("area")?, strs("period")?);
        let (file, sheet, cell) = (strs("file")?, strs("sheet")?, strs("cell")?);
        for i in rows {
            let loc = Loc {
                file: file.get(i).unwrap_or("").into(),
                sheet: sheet.get(i).map(Into::into),
                cell: cell.get(i).unwrap_or("").to_string(),
            };
            bad.push(format!(
                "row {} ({} {} {}, {loc})",
                start + i + 1,
                ind.get(i).unwrap_or(""),
                area.get(i).unwrap_or(""),
                period.get(i).unwrap_or("")
            ));
        }
        Ok(())
    })?;
    Ok(bad)
}

/// One set of dictionaries for all chunks, their columns appended in order.
fn merge(mut chunks: Vec<Chunk>) -> Values {
    if chunks.len() == 1 {
        // one batch (a store imported in one session): its ids are already the only ones
        let Chunk { dicts, mut cols } = chunks.pop().expect("one chunk");
        cols.dicts = Arc::new(dicts);
        return cols;
    }
    let mut d = Dicts::default();
    let mut out = Values::default();
    for Chunk { dicts, mut cols } in chunks {
        // the chunk's ids made ids in the one set, then its columns appended
        cols.dicts = Arc::new(dicts);
        cols.share(&mut d);
        out.indicator.extend(cols.indicator);
        out.area.extend(cols.area);
        out.period.extend(cols.period);
        out.value.extend(cols.value);
        out.numerator.extend(cols.numerator);
        out.denominator.extend(cols.denominator);
        out.commentary.extend(cols.commentary);
        out.action.extend(cols.action);
        out.self_rating.extend(cols.self_rating);
        out.quality.extend(cols.quality);
        out.src.extend(cols.src);
        out.batch.extend(cols.batch);
    }
    out.dicts = Arc::new(d);
    out
}

/// Sorted by indicator, area and period (as strings sort, periods in time order), keeping the
/// last (latest imported) value of each key.
fn latest(all: Values) -> Values {
    let (ir, ar) = (all.dicts.indicators.ranks(), all.dicts.areas.ranks());
    let key = |r: usize| (ir[all.indicator[r] as usize], ar[all.area[r] as usize], all.period[r]);
    // one batch written in key order (as imports write them) with no key twice: as it is
    if (1..all.len()).all(|r| key(r - 1) < key(r)) {
        return all;
    }
    // the few distinct periods, ranked
    let mut periods: Vec<Period> = all.period.clone();
    periods.sort_unstable();
    periods.dedup();
    let pr = |p: &Period| periods.binary_search(p).unwrap_or(0) as u128;
    // one integer per row sorts as (indicator, area, period, row); rows are in import order, so
    // the row number breaks ties in favour of the latest
    let mut order: Vec<u128> = (0..all.len())
        .into_par_iter()
        .map(|r| {
            (u128::from(ir[all.indicator[r] as usize]) << 96)
                | (u128::from(ar[all.area[r] as usize]) << 64)
                | (pr(&all.period[r]) << 32)
                | r as u128
        })
        .collect();
    order.par_sort_unstable();
    let mut keep: Vec<usize> = Vec::with_capacity(order.len());
    for &k in &order {
        let r = (k & u128::from(u32::MAX)) as usize;
        match keep.last_mut() {
            Some(last)
                if all.indicator[*last] == all.indicator[r]
                    && all.area[*last] == all.area[r]
                    && all.period[*last] == all.period[r] =>
            {
                *last = r
            }
            _ => keep.push(r),
        }
    }
    gather(&all, &keep)
}

/// The rows `keep` of some values, in that order.
fn gather(all: &Values, keep: &[usize]) -> Values {
    fn take<T: Copy + Send + Sync>(v: &[T], keep: &[usize]) -> Vec<T> {
        keep.iter().map(|&r| v[r]).collect()
    }
    // the columns gathered at the same time
    let k = keep;
    let ((indicator, area), (period, value)) = rayon::join(
        || rayon::join(|| take(&all.indicator, k), || take(&all.area, k)),
        || rayon::join(|| take(&all.period, k), || take(&all.value, k)),
    );
    let ((numerator, denominator), (commentary, action)) = rayon::join(
        || rayon::join(|| take(&all.numerator, k), || take(&all.denominator, k)),
        || rayon::join(|| take(&all.commentary, k), || take(&all.action, k)),
    );
    let ((self_rating, quality), (src, batch)) = rayon::join(
        || rayon::join(|| take(&all.self_rating, k), || take(&all.quality, k)),
        || rayon::join(|| take(&all.src, k), || take(&all.batch, k)),
    );
    Values {
        dicts: all.dicts.clone(),
        indicator,
        area,
        period,
        value,
        numerator,
        denominator,
        commentary,
        action,
        self_rating,
        quality,
        src,
        batch,
    }
}

impl Values {
    /// One file's values as columns, in the order read (no key is dropped: a return's values are
    /// checked for duplicates before it is stored). `batch` is 0 until the store gives one.
    pub fn from_observations(obs: &[Observation]) -> Values {
        Values::columns(obs.iter())
    }

    /// Observations as columns, ids given in order of first appearance.
    fn columns<'a>(obs: impl ExactSizeIterator<Item = &'a Observation>) -> Values {
        let mut d = Dicts::default();
        let n = obs.len();
        let mut v = Values {
            indicator: Vec::with_capacity(n),
            area: Vec::with_capacity(n),
            period: Vec::with_capacity(n),
            value: Vec::with_capacity(n),
            numerator: Vec::with_capacity(n),
            denominator: Vec::with_capacity(n),
            commentary: Vec::with_capacity(n),
            action: Vec::with_capacity(n),
            self_rating: Vec::with_capacity(n),
            quality: Vec::with_capacity(n),
            src: Vec::with_capacity(n),
            batch: vec![0; n],
            ..Values::default()
        };
        let (mut li, mut la, mut lf, mut ls) = (None, None, None, None);
        for o in obs {
            v.indicator.push(d.indicators.id_run(&o.indicator, &mut li));
            v.area.push(d.areas.id_run(&o.area, &mut la));
            v.period.push(o.period);
            v.value.push(o.value);
            v.numerator.push(o.numerator);
            v.denominator.push(o.denominator);
            let mut text = |t: &Option<String>| t.as_deref().map_or(NONE, |t| d.texts.id(t));
            v.commentary.push(text(&o.commentary));
            v.action.push(text(&o.action));
            v.self_rating.push(text(&o.self_rating));
            v.quality.push(text(&o.quality));
            v.src.push(Src {
                file: d.files.id_run(&o.loc.file, &mut lf),
                sheet: o.loc.sheet.as_deref().map_or(NONE, |s| d.sheets.id_run(s, &mut ls)),
                cell: d.cells.id(&o.loc.cell),
            });
        }
        v.dicts = Arc::new(d);
        v
    }

    /// Give this file's strings ids in `shared` (the dictionaries every file of an import
    /// shares) and drop its own; [`Values::dicts`] is left empty until the caller puts the
    /// shared set in.
    pub fn share(&mut self, shared: &mut Dicts) {
        let d = std::mem::take(&mut self.dicts);
        let one = |m: &[u32], i: &mut u32| {
            if *i != NONE {
                *i = m[*i as usize];
            }
        };
        let ind = d.indicators.remap_into(&mut shared.indicators);
        let area = d.areas.remap_into(&mut shared.areas);
        let file = d.files.remap_into(&mut shared.files);
        let sheet = d.sheets.remap_into(&mut shared.sheets);
        let cell = d.cells.remap_into(&mut shared.cells);
        let text = d.texts.remap_into(&mut shared.texts);
        self.indicator.iter_mut().for_each(|i| one(&ind, i));
        self.area.iter_mut().for_each(|i| one(&area, i));
        for col in [&mut self.commentary, &mut self.action, &mut self.self_rating, &mut self.quality] {
            col.iter_mut().for_each(|i| one(&text, i));
        }
        for s in &mut self.src {
            one(&file, &mut s.file);
            one(&sheet, &mut s.sheet);
            one(&cell, &mut s.cell);
        }
    }

    /// Columns from records in import order, keeping the latest of each key (for tests and
    /// small stores built in memory).
    pub fn from_records(records: &[super::Record]) -> Values {
        let mut v = Values::columns(records.iter().map(|r| &r.obs));
        v.batch = records.iter().map(|r| r.batch as u32).collect();
        latest(v)
    }
}

/// A store's current values by indicator, area and period ([`Values::index`]).
pub struct ValueIndex<'a> {
    map: rustc_hash::FxHashMap<(&'a str, &'a str, Period), (f64, u32)>,
    values: &'a Values,
}

impl ValueIndex<'_> {
    /// A return's values that equal the store's value for the same indicator and area a year
    /// earlier: (how many, the files those earlier values came from). A return that repeats more
    /// than half of its values from a year before is likely an old return sent again.
    pub fn same_as_a_year_earlier(&self, v: &Values) -> (usize, Vec<String>) {
        let (mut same, mut files) = (0, Vec::<String>::new());
        for i in 0..v.len() {
            let key =
                (v.dicts.indicators.get(v.indicator[i]), v.dicts.areas.get(v.area[i]), v.period[i].year_earlier());
            if let Some(&(x, file)) = self.map.get(&key)
                && x == v.value[i]
            {
                same += 1;
                let name = self.values.dicts.files.get(file).to_string();
                if !files.contains(&name) {
                    files.push(name);
                }
            }
        }
        (same, files)
    }
}

#[cfg(test)]
mod tests {
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
        let file = FileIn { file: "returns/x.xlsx", sha256: sha256_hex(b"x"), values: &v, no_values: &[] };
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
}
