//! Interpreting a return: [`returns`] finds a return's tables by what their cells hold (the table
//! model, the readings and their scores, cell values) and checks their values against the
//! workspace. Reading the spreadsheet itself is [`crate::sheet`]'s; the workspace's own files are
//! [`crate::workspace`]'s.

#[cfg(test)]
mod fuzz;
pub mod returns;
