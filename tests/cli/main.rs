//! Integration tests: the real `laa` binary on real spreadsheets written here or kept in
//! `tests/fixtures/`.

mod benchmark;
mod common;
mod hostile;
mod import;
mod layouts;
mod nis;
mod notes;
mod pipeline;
mod print;
mod priorities;
mod rate;
mod refusals;
mod report;
mod report_read;
mod returns;
mod serve;
mod store;
mod webdriver;
