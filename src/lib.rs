//! `laa` — Local Area Agreement indicator performance tracker.
//!
//! Data flow, lowest first: [`periods`] and [`catalogue`] → [`sheet`] (reading any spreadsheet)
//! → [`workspace`] and [`agreement`] → [`ingest`] (validating returns) → [`store`] (append-only
//! Parquet) → the commands in [`commands`], which [`cli`] dispatches.

pub mod agreement;
pub mod assess;
pub mod catalogue;
pub mod chart;
pub mod cli;
pub mod commands;
pub mod ingest;
pub mod output;
pub mod overrides;
pub mod periods;
pub mod priorities;
pub mod rag;
pub mod rating;
pub mod report;
pub mod reward;
pub mod series;
pub mod sheet;
pub mod store;
pub mod template;
pub mod timetable;
pub mod workspace;

pub use cli::run;
