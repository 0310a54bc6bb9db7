//! `laa` — Local Area Agreement indicator performance tracker.
//!
//! The folders are the stages a value passes through, lowest first: [`domain`] (periods, the
//! catalogue, ratings, numbers and text) → [`sheet`] (reading any spreadsheet safely) →
//! [`workspace`] (partnership.toml and the officers' own files) → [`ingest`] (interpreting a
//! return) → [`store`] (append-only Parquet) → [`assess`] (series, ratings, reward) → [`report`]
//! (HTML, workbook, board paper, charts) → [`pipeline`] (the one import and the one report that
//! every front end calls). [`cli`] sits on top and depends on the library, never the reverse.
//! ARCHITECTURE.md is the map.

pub mod assess;
pub mod cli;
pub mod domain;
pub mod ingest;
pub mod pipeline;
pub mod report;
pub mod serve;
pub mod sheet;
pub mod store;
pub mod workspace;

pub use cli::run;
