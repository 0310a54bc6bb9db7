//! `laa` — Local Area Agreement indicator performance tracker.
//!
//! The folders are the stages a value passes through, lowest first: [`domain`] (periods, the
//! catalogue, the workspace) → [`ingest`] (reading spreadsheets and validating returns) →
//! [`store`] (append-only Parquet) → [`assess`] (series, ratings, reward) → [`report`] (HTML,
//! workbook, board paper, charts). [`cli`] sits on top and depends on the library, never the
//! reverse.

pub mod assess;
pub mod cli;
pub mod domain;
pub mod ingest;
pub mod report;
pub mod store;

pub use cli::run;
