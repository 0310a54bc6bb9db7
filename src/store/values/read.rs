//! Reading a batch's Parquet columns a slice at a time into [`Values`], and merging batches into the store's current values.

use super::*;

pub(crate) const COLUMNS: [&str; 12] = [
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
pub(crate) const OPTIONAL_COLUMNS: [&str; 2] = ["self_rating", "quality"];

/// A batch's columns read a slice of rows at a time ([`SLICE_ROWS`]), so that no more than a
/// few row groups' decoded strings are held at once (the whole batch decoded at once was the
/// peak of every command: 536 MiB of strings at four times the national data).
pub(crate) struct Frames {
    path: PathBuf,
    columns: Vec<String>,
    metadata: polars::prelude::FileMetadataRef,
    rows: usize,
}

impl Frames {
    /// The columns values are read with ([`COLUMNS`], and the optional ones a batch has).
    pub(crate) fn open(path: &Path) -> Result<Frames, StoreError> {
        Frames::open_with(path, false)
    }

    /// Every column of the batch (`laa history` shows each value's import time too).
    pub(crate) fn open_all(path: &Path) -> Result<Frames, StoreError> {
        Frames::open_with(path, true)
    }

    /// Only the named columns (each must be in every batch).
    pub(crate) fn open_columns(path: &Path, names: &[&str]) -> Result<Frames, StoreError> {
        let mut f = Frames::open_with(path, false)?;
        f.columns = names.iter().map(|c| c.to_string()).collect();
        Ok(f)
    }

    pub(crate) fn open_with(path: &Path, all: bool) -> Result<Frames, StoreError> {
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
    pub(crate) fn each(
        &self,
        f: &mut dyn FnMut(&DataFrame, usize) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each_by(SLICE_ROWS, f)
    }

    /// [`Frames::each`], `slice` rows at a time.
    pub(crate) fn each_by(
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

    /// [`Frames::each_by`], the next slice decoded while `f` takes the one before (two slices
    /// held at once, not one: the walk of a slice's strings left a core idle).
    pub(crate) fn each_ahead(
        &self,
        slice: usize,
        f: &mut (dyn FnMut(&DataFrame, usize) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError> {
        let slice = slice.max(1);
        let range = |start: usize| (start < self.rows).then(|| (start, slice.min(self.rows - start)));
        let mut next = range(0).map(|(start, len)| (start, len, self.read(start, len)));
        while let Some((start, len, df)) = next.take() {
            let df = df?;
            let (done, ahead) =
                rayon::join(|| f(&df, start), || range(start + len).map(|(s, l)| (s, l, self.read(s, l))));
            done?;
            next = ahead;
        }
        Ok(())
    }

    /// Rows `start..start + len`.
    pub(crate) fn read(&self, start: usize, len: usize) -> Result<DataFrame, StoreError> {
        let pq = |source| StoreError::Parquet { path: self.path.clone(), source };
        let mut reader = ParquetReader::new(open(&self.path)?);
        reader.set_metadata(self.metadata.clone());
        reader.with_columns(Some(self.columns.clone())).with_slice(Some((start, len))).finish().map_err(pq)
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
    }
}

pub(crate) fn open(path: &Path) -> Result<File, StoreError> {
    File::open(path).map_err(|source| StoreError::Io { path: path.to_path_buf(), source })
}

/// Ids for a string column, looking each distinct run up once; appended to `out`. `first` is
/// the slice's first row in the batch (for messages).
pub(crate) fn ids(
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
pub(crate) struct IdColumns {
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

pub(crate) fn read_chunk(path: &Path) -> Result<Chunk, StoreError> {
    read_chunk_by(path, SLICE_ROWS)
}

/// [`read_chunk`], `slice` rows at a time.
pub(crate) fn read_chunk_by(path: &Path, slice: usize) -> Result<Chunk, StoreError> {
    let frames = Frames::open(path)?;
    let mut d = Dicts::default();
    let mut period_names = Dict::default();
    // every column sized once for the batch's rows (grown by doubling, each held up to twice
    // its rows)
    let n = frames.rows;
    let mut c = IdColumns::with_capacity(n);
    let mut f = FloatColumns::with_capacity(n);
    frames.each_ahead(slice, &mut |df, start| {
        let slice = Slice { df, frames: &frames, path, start };
        slice.ids_into(&mut d, &mut period_names, &mut c)?;
        slice.floats_into(&mut f)
    })?;
    let parsed: Vec<Period> = period_names
        .names
        .iter()
        .map(|p| p.parse::<Period>().map_err(|e| StoreError::Damaged(format!("{}: {e}", path.display()))))
        .collect::<Result<_, _>>()?;
    let IdColumns { indicator, area, file, sheet, cell, commentary, action, self_rating, quality, period } = c;
    let FloatColumns { value, numerator, denominator, batch } = f;
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

impl IdColumns {
    fn with_capacity(n: usize) -> IdColumns {
        let v = || Vec::with_capacity(n);
        IdColumns {
            indicator: v(),
            area: v(),
            file: v(),
            sheet: v(),
            cell: v(),
            commentary: v(),
            action: v(),
            self_rating: v(),
            quality: v(),
            period: v(),
        }
    }
}

/// One batch's number columns, filled a slice of rows at a time.
struct FloatColumns {
    value: Vec<f64>,
    numerator: Vec<Option<f64>>,
    denominator: Vec<Option<f64>>,
    batch: Vec<u32>,
}

impl FloatColumns {
    fn with_capacity(n: usize) -> FloatColumns {
        FloatColumns {
            value: Vec::with_capacity(n),
            numerator: Vec::with_capacity(n),
            denominator: Vec::with_capacity(n),
            batch: Vec::with_capacity(n),
        }
    }
}

/// A slice of a batch's rows, starting at row `start` of the batch file at `path`.
struct Slice<'a> {
    df: &'a DataFrame,
    frames: &'a Frames,
    path: &'a Path,
    start: usize,
}

impl Slice<'_> {
    /// The slice's string columns as ids into the batch's dictionaries, each dictionary's
    /// columns at the same time.
    fn ids_into(&self, d: &mut Dicts, period_names: &mut Dict, c: &mut IdColumns) -> Result<(), StoreError> {
        let (df, path, start) = (self.df, self.path, self.start);
        let optional = |name: &str, dict: &mut Dict, out: &mut Vec<u32>| {
            if self.frames.has(name) {
                ids(df, name, dict, path, false, start, out)
            } else {
                out.extend(std::iter::repeat_n(NONE, df.height()));
                Ok(())
            }
        };
        let Dicts { indicators, areas, files, sheets, cells, texts } = d;
        let IdColumns { indicator, area, file, sheet, cell, commentary, action, self_rating, quality, period } = c;
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
                        // a batch holds few distinct periods: each is parsed once, after
                        ids(df, "period", period_names, path, true, start, period)
                    },
                )
            },
        );
        for r in [r1, r2, r3, r4, r5, r6] {
            r?;
        }
        Ok(())
    }

    /// The slice's value, numerator, denominator and batch columns.
    fn floats_into(&self, f: &mut FloatColumns) -> Result<(), StoreError> {
        let pq = |source| StoreError::Parquet { path: self.path.to_path_buf(), source };
        let floats = |name: &str| self.df.column(name).and_then(|c| c.f64().cloned()).map_err(pq);
        for (i, v) in floats("value")?.iter().enumerate() {
            f.value.push(v.ok_or_else(|| {
                StoreError::Damaged(format!("{}: row {}: value is missing", self.path.display(), self.start + i + 1))
            })?);
        }
        f.numerator.extend(floats("numerator")?.iter());
        f.denominator.extend(floats("denominator")?.iter());
        let batch_ca = self.df.column("batch").and_then(|c| c.i64().cloned()).map_err(pq)?;
        f.batch.extend(batch_ca.iter().map(|b| b.unwrap_or(0) as u32));
        Ok(())
    }
}

/// The rows of a batch whose value, numerator or denominator is not a finite number (older laa
/// stored an infinite rate), described as "row 5 (NI 154 BLABY 2008/09 Q2, file: Q2!D5)"; read
/// a slice at a time.
pub(crate) fn not_finite(path: &Path) -> Result<Vec<String>, StoreError> {
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
pub(crate) fn merge(mut chunks: Vec<Chunk>) -> Values {
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
pub(crate) fn latest(all: Values) -> Values {
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
pub(crate) fn gather(all: &Values, keep: &[usize]) -> Values {
    pub(crate) fn take<T: Copy + Send + Sync>(v: &[T], keep: &[usize]) -> Vec<T> {
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

/// Each value's indicator, area, period, batch and file, a slice at a time with only those five
/// columns decoded: what the returns cycle needs to know when each value arrived (the whole
/// batch as value columns, with a dictionary of every cell address, was 455 MiB of the report's
/// peak at four times the national data).
pub(crate) fn each_arrival(path: &Path, f: &mut dyn FnMut(&str, &str, Period, u64, &str)) -> Result<(), StoreError> {
    let pq = |source| StoreError::Parquet { path: path.to_path_buf(), source };
    let damaged = |what: &str| StoreError::Damaged(format!("{}: a value's {what} is missing", path.display()));
    let mut periods = Periods::default();
    Frames::open_columns(path, &["indicator", "area", "period", "batch", "file"])?.each(&mut |df, _| {
        let strs = |name: &str| df.column(name).and_then(|c| c.str().cloned()).map_err(pq);
        let (ind, area, period, file) = (strs("indicator")?, strs("area")?, strs("period")?, strs("file")?);
        let batch = df.column("batch").and_then(|c| c.i64().cloned()).map_err(pq)?;
        // the columns walked side by side (a lookup of each row's chunk was most of the walk),
        // and a run of one period parsed once
        let mut last: Option<(&str, Period)> = None;
        let rows = ind.iter().zip(area.iter()).zip(period.iter()).zip(batch.iter()).zip(file.iter());
        for ((((ind, area), p), batch), file) in rows {
            let p = p.ok_or_else(|| damaged("period"))?;
            let period = match last {
                Some((name, parsed)) if name == p => parsed,
                _ => {
                    let parsed = periods.parse(p, path)?;
                    last = Some((p, parsed));
                    parsed
                }
            };
            f(
                ind.ok_or_else(|| damaged("indicator"))?,
                area.ok_or_else(|| damaged("area"))?,
                period,
                batch.ok_or_else(|| damaged("batch"))? as u64,
                file.ok_or_else(|| damaged("file"))?,
            );
        }
        Ok(())
    })
}

/// The periods of a batch's rows, each name parsed once (a batch holds few distinct periods).
#[derive(Default)]
pub(crate) struct Periods(rustc_hash::FxHashMap<String, Period>);

impl Periods {
    pub(crate) fn parse(&mut self, name: &str, path: &Path) -> Result<Period, StoreError> {
        if let Some(p) = self.0.get(name) {
            return Ok(*p);
        }
        let p = name.parse::<Period>().map_err(|e| StoreError::Damaged(format!("{}: {e}", path.display())))?;
        self.0.insert(name.to_string(), p);
        Ok(p)
    }
}
