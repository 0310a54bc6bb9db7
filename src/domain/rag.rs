//! The vocabulary of a rating: red/amber/green/grey and the direction of travel.

use std::fmt;

use serde::Serialize;

/// A rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Red,
    Amber,
    Green,
    Grey,
}

impl Rag {
    pub const ALL: [Rag; 4] = [Rag::Red, Rag::Amber, Rag::Green, Rag::Grey];

    pub fn name(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
            Rag::Grey => "grey",
        }
    }

    /// The letter shown beside the colour, so the rating never relies on colour alone (N: not rated).
    pub fn letter(self) -> &'static str {
        match self {
            Rag::Red => "R",
            Rag::Amber => "A",
            Rag::Green => "G",
            Rag::Grey => "N",
        }
    }

    pub fn parse(s: &str) -> Option<Rag> {
        match crate::domain::text::norm(s).as_str() {
            "red" | "r" => Some(Rag::Red),
            "amber" | "a" | "yellow" => Some(Rag::Amber),
            "green" | "g" => Some(Rag::Green),
            "grey" | "gray" | "nodata" => Some(Rag::Grey),
            _ => None,
        }
    }
}

impl fmt::Display for Rag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Direction of travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improving,
    NoChange,
    Worsening,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::Improving => "improving",
            Direction::NoChange => "no change",
            Direction::Worsening => "worsening",
        }
    }

    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Improving => "▲",
            Direction::NoChange => "▶",
            Direction::Worsening => "▼",
        }
    }
}
