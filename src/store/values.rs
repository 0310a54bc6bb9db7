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
use crate::sheet::Loc;
mod read;
pub(crate) use read::*;

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
pub(crate) struct Chunk {
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
mod tests;
