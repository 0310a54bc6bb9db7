//! Reading what officers and partners write: any spreadsheet ([`sheet`]), quarterly returns
//! ([`returns`]), the agreement, the priorities mapping, overrides and the timetable, and the
//! blank templates they are filled in from.

pub mod agreement;
#[cfg(test)]
mod fuzz;
pub mod overrides;
pub mod priorities;
pub mod returns;
pub mod scan;
pub mod sheet;
pub mod template;
pub mod timetable;
