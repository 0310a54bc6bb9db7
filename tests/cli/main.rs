//! Integration tests: the real `laa` binary on real spreadsheets written here or kept in
//! `tests/fixtures/`.

mod common;
mod import;
mod nis;
mod rate;
mod report;
mod store;
