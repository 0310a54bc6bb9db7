//! What a value means, shared by every stage: periods (quarters, financial and academic years),
//! the National Indicator Set catalogue, the register of English authorities, ratings, and
//! numbers written as people read them.

pub mod authorities;
pub mod calendar;
pub mod catalogue;
pub mod limits;
pub mod mailbox;
pub mod messages;
pub mod numbers;
pub mod periods;
pub mod problems;
pub mod rag;
pub mod text;
pub mod variant;
