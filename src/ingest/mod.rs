//! Reading what officers and partners write, in three stages: [`sheet`] reads any spreadsheet
//! safely (formats, guards, cells); [`returns`] interprets a return's tables (the table model,
//! the readings and their scores, cell values) and checks their values; [`workspace`] reads the
//! workspace's own files (agreement, priorities, overrides, timetable, catalogue, templates).

#[cfg(test)]
mod fuzz;
pub mod returns;
pub mod sheet;
pub mod workspace;
