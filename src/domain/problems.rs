//! Where something is wrong in an input file, and what: a cell's address ([`Loc`]) and a
//! [`Problem`] naming it, shared by every stage that reads or reports a file.

use std::fmt;
use std::sync::Arc;

/// Where a cell is: file, sheet (none for csv) and A1 address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Loc {
    /// Shared by every cell of a file (a value's source is kept with each value read).
    #[serde(serialize_with = "as_str")]
    pub file: Arc<str>,
    #[serde(serialize_with = "as_opt_str")]
    pub sheet: Option<Arc<str>>,
    pub cell: String,
}

fn as_str<S: serde::Serializer>(s: &Arc<str>, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(s)
}

fn as_opt_str<S: serde::Serializer>(s: &Option<Arc<str>>, out: S) -> Result<S::Ok, S::Error> {
    match s {
        Some(s) => out.serialize_some(&**s),
        None => out.serialize_none(),
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(s) => write!(f, "{}: {}!{}", self.file, s, self.cell),
            None => write!(f, "{}: {}", self.file, self.cell),
        }
    }
}

/// A problem with one cell (or row) of an input file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    pub loc: Loc,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // a message quoting a cell of a hostile file stays one readable line
        const MOST: usize = 400;
        if self.message.chars().count() > MOST {
            let cut: String = self.message.chars().take(MOST).collect();
            write!(f, "{}: {cut}… ({} characters in all)", self.loc, self.message.chars().count())
        } else {
            write!(f, "{}: {}", self.loc, self.message)
        }
    }
}

/// Every problem found in a file, printed one per line.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct Problems(pub Vec<Problem>);
