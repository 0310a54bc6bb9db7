//! The catalogue's files: the National Indicator Set shipped in `datasets/nis/` and a workspace's
//! own `nis.csv` (written by `laa nis import`), read as spreadsheets into a [`Catalogue`].

use std::path::Path;

use crate::domain::catalogue::{
    Aggregation, Catalogue, Frequency, Indicator, Measure, Polarity, WORKSPACE_FILE, normalise_code,
};
use crate::sheet::{self, Field, Problem, Problems};

/// The catalogue shipped with `laa` (built from the reference list by `datasets/nis/build_catalogue.py`).
pub const SHIPPED_CSV: &str = include_str!("../../datasets/nis/national-indicators.csv");

/// Why a catalogue file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueFileError {
    #[error(transparent)]
    Sheet(#[from] sheet::SheetError),
    #[error("{file}: no header row with columns for the indicator code and title")]
    NoHeader { file: String },
    #[error(transparent)]
    Cells(#[from] Problems),
}

impl Catalogue {
    /// The shipped National Indicator Set.
    pub fn shipped() -> Catalogue {
        Catalogue::from_csv_text(SHIPPED_CSV, "datasets/nis/national-indicators.csv")
            .expect("the shipped catalogue is valid")
    }

    /// The catalogue of a workspace: its own `nis.csv` when present, else the shipped one.
    pub fn for_workspace(dir: &Path) -> Result<Catalogue, CatalogueFileError> {
        let own = dir.join(WORKSPACE_FILE);
        if own.exists() { Catalogue::import(&own, WORKSPACE_FILE) } else { Ok(Catalogue::shipped()) }
    }

    fn from_csv_text(text: &str, label: &str) -> Result<Catalogue, CatalogueFileError> {
        Catalogue::from_workbook(&sheet::read_csv_text(text, label)?, label)
    }

    /// Read a catalogue from a spreadsheet or csv with at least code and title columns.
    pub fn import(path: &Path, label: &str) -> Result<Catalogue, CatalogueFileError> {
        let wb = sheet::read_workbook(path, label)?;
        Catalogue::from_workbook(&wb, label)
    }

    fn from_workbook(wb: &sheet::Workbook, label: &str) -> Result<Catalogue, CatalogueFileError> {
        let (sheet, header) = wb
            .sheets
            .iter()
            .find_map(|s| sheet::find_header(s, FIELDS).map(|h| (s, h)))
            .ok_or_else(|| CatalogueFileError::NoHeader { file: label.into() })?;
        let mut cat = Catalogue::default();
        let mut errors = Vec::new();
        for r in header.row + 1..sheet.rows.len() {
            let get = |key: &str| header.col(key).map(|c| sheet.cell(r, c).text()).unwrap_or_default();
            let loc = |key: &str| sheet.loc(label, r, header.col(key).unwrap_or(0));
            let raw_code = if get("code").is_empty() { get("number") } else { get("code") };
            if raw_code.is_empty() && get("title").is_empty() {
                continue;
            }
            let Some(code) = normalise_code(&raw_code) else {
                errors.push(Problem { loc: loc("code"), message: format!("{raw_code:?} is not an indicator code") });
                continue;
            };
            let mut parse = |key: &str, ok: bool| {
                if !ok {
                    errors.push(Problem { loc: loc(key), message: format!("{:?} is not a valid {key}", get(key)) });
                }
            };
            let polarity = Polarity::parse(&get("polarity"));
            let frequency = Frequency::parse(&get("frequency"));
            let measure = Measure::parse(&get("measure_type"));
            let aggregation = Aggregation::parse(&get("aggregation"));
            parse("aggregation", aggregation.is_some());
            parse("polarity", polarity.is_some());
            parse("frequency", frequency.is_some());
            parse("measure_type", measure.is_some());
            let ind = Indicator {
                code: code.clone(),
                title: get("title"),
                theme: get("theme"),
                polarity: polarity.unwrap_or_default(),
                unit: get("unit"),
                frequency: frequency.unwrap_or_default(),
                measure_type: measure.unwrap_or_default(),
                aggregation: aggregation.filter(|a| *a != Aggregation::Unknown),
            };
            if cat.get(&code).is_some() {
                errors.push(Problem { loc: loc("code"), message: format!("{code} appears twice") });
            }
            cat.insert(ind);
        }
        if errors.is_empty() { Ok(cat) } else { Err(CatalogueFileError::Cells(Problems(errors))) }
    }
}

const FIELDS: &[Field] = &[
    Field { key: "code", aliases: &["code", "NI code", "indicator code", "ref", "NI ref"], required: false },
    Field { key: "number", aliases: &["number", "NI", "NI number", "no"], required: false },
    Field { key: "title", aliases: &["title", "indicator title", "name", "indicator", "description"], required: true },
    Field { key: "theme", aliases: &["theme", "group", "NIS group", "block"], required: false },
    Field { key: "polarity", aliases: &["polarity", "good performance", "direction"], required: false },
    Field { key: "unit", aliases: &["unit", "units", "measure"], required: false },
    Field { key: "frequency", aliases: &["frequency", "reporting frequency"], required: false },
    Field { key: "measure_type", aliases: &["measure type", "measure_type", "type"], required: false },
    Field { key: "aggregation", aliases: &["aggregation", "county value", "county"], required: false },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_csv() {
        let c = Catalogue::shipped();
        let again = Catalogue::from_csv_text(&c.to_csv(), "x.csv").unwrap();
        assert_eq!(again.len(), 198);
        assert_eq!(again.get("NI 191"), c.get("NI 191"));
    }
}
