//! The columns a return may have, each with the header texts it is known by, and the words that
//! mark a single-quarter form's value column.

use crate::ingest::sheet::Field;

pub(super) const INDICATOR: Field = Field {
    key: "indicator",
    aliases: &[
        "NI",
        "NI ref",
        "NI no",
        "NI number",
        "indicator ref",
        "indicator code",
        "ref",
        "code",
        "PI",
        "PI ref",
        "national indicator",
        "indicator",
    ],
    required: true,
};
pub(super) const AREA: Field = Field {
    key: "area",
    aliases: &[
        "area",
        "district",
        "local authority",
        "authority",
        "LA",
        "geography",
        "area name",
        "borough",
        "council",
    ],
    required: false,
};
pub(super) const COMMENTARY: Field = Field {
    key: "commentary",
    aliases: &["commentary", "comment", "comments", "narrative", "notes", "explanation", "performance commentary"],
    required: false,
};
pub(super) const ACTION: Field = Field {
    key: "action",
    aliases: &[
        "remedial action",
        "action",
        "actions",
        "remedial actions",
        "corrective action",
        "action planned",
        "mitigating action",
        "recovery action",
    ],
    required: false,
};
pub(super) const SELF_RATING: Field = Field {
    key: "self_rating",
    aliases: &[
        "RAG",
        "RAG (self-assessed)",
        "RAG self assessed",
        "self-assessed RAG",
        "self assessed rating",
        "RAG status",
        "RAG rating",
        "traffic light",
        "self assessment",
    ],
    required: false,
};
pub(super) const TARGET: Field =
    Field { key: "target", aliases: &["target", "annual target", "year target"], required: false };
pub(super) const QUALITY: Field =
    Field { key: "quality", aliases: &["data quality", "quality", "data status", "status of data"], required: false };
pub(super) const TITLE: Field = Field {
    key: "title",
    aliases: &["title", "indicator title", "description", "indicator name", "name", "indicator"],
    required: false,
};

pub(super) const LONG: &[Field] = &[
    INDICATOR,
    AREA,
    Field {
        key: "period",
        aliases: &["period", "quarter", "reporting period", "time period", "date", "qtr"],
        required: true,
    },
    Field {
        key: "value",
        aliases: &[
            "value",
            "actual",
            "outturn",
            "result",
            "performance",
            "data",
            "figure",
            "current value",
            "actual value",
        ],
        required: true,
    },
    Field { key: "numerator", aliases: &["numerator", "num"], required: false },
    Field { key: "denominator", aliases: &["denominator", "denom", "den"], required: false },
    COMMENTARY,
    ACTION,
    SELF_RATING,
    QUALITY,
    TARGET,
    TITLE,
];

pub(super) const WIDE: &[Field] = &[INDICATOR, AREA, COMMENTARY, ACTION, SELF_RATING, QUALITY, TARGET, TITLE];

/// Headers of the value column of a return for one quarter (normalised).
pub(super) const SINGLE_VALUE: &[&str] = &[
    "actual",
    "outturn",
    "value",
    "performance",
    "result",
    "actualthisquarter",
    "thisquarter",
    "yeartodate",
    "ytd",
    "actualyeartodate",
    "currentvalue",
    "actualvalue",
    "quarteractual",
    "latestvalue",
];

/// Words that mark a column as holding values (normalised).
pub(super) const VALUE_WORDS: &[&str] = &["actual", "outturn", "value", "result", "performance"];
