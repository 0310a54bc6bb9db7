//! The workspace's own files: partnership.toml ([`settings`]), the agreement, the priorities
//! mapping, overrides, the timetable, the catalogue's files, the blank templates partners fill in,
//! and the scan of `returns/`.

pub mod agreement;
pub mod catalogue;
pub mod overrides;
pub mod priorities;
pub mod scan;
pub mod settings;
pub mod template;
pub mod timetable;

pub use settings::*;
