//! How much of an input file `laa` will read: the limits checked before anything large is
//! allocated, with defaults that suit real returns and a `[limits]` table to change them.

use serde::{Deserialize, Serialize};

/// How much of a file `laa` will read: generous for real returns, refusing absurd files before
/// they cost memory or time (`[limits]` in `partnership.toml` changes them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file on disk, in MB.
    pub file_mb: u64,
    /// Largest total of a workbook's zip entries once decompressed, in MB.
    pub uncompressed_mb: u64,
    /// Largest decompressed ÷ compressed size of an entry over 1 MB (real sheets: under 30).
    pub compression_ratio: u64,
    /// Most entries in a workbook's zip.
    pub zip_entries: usize,
    /// Most rows in a sheet or csv file.
    pub rows: usize,
    /// Most columns in a sheet or csv file.
    pub columns: usize,
    /// Most non-empty cells in a sheet.
    pub cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_mb: 50,
            uncompressed_mb: 200,
            compression_ratio: 100,
            zip_entries: 10_000,
            rows: 100_000,
            columns: 16_384,
            cells: 2_000_000,
        }
    }
}
