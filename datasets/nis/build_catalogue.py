#!/usr/bin/env python3
"""Build datasets/nis/national-indicators.csv from the reference list.

Usage: python3 datasets/nis/build_catalogue.py path/to/national-indicators-2008.csv

Adds `code`, `frequency`, `measure_type` and `aggregation`, and fills polarity and unit for the
indicators the demo partnership uses (the reference leaves 110 blank). Every filled-in value is
marked in `polarity_basis` so nobody mistakes it for the Handbook of Definitions.

`aggregation` says how a county value may be made from district values (see README.md):
`sum` for counts, `ratio` for rates, percentages and averages (numerators and denominators summed,
then divided; never the values), `none` for scores, indexes, medians and gaps, and blank where the
unit is not known (then nothing is summed and `laa` says so).
"""
import csv
import sys

# Place Survey (autumn 2008, every other year) and other biennial surveys
BIENNIAL = {1, 2, 3, 4, 5, 6, 7, 17, 21, 22, 23, 27, 37, 41, 42, 50, 69, 110, 115, 119, 138, 139, 140, 199}
# Education results by academic year
ACADEMIC = set(range(72, 109)) - {86, 88, 89, 90, 91, 103}
# Returned quarterly, and how: cumulative year-to-date counts, rolling 12 months, or a snapshot
QUARTERLY = {
    15: "cumulative", 16: "cumulative", 20: "cumulative", 28: "cumulative", 29: "cumulative",
    30: "rolling", 32: "rolling", 33: "cumulative", 38: "rolling", 39: "rolling", 40: "rolling",
    43: "rolling", 45: "snapshot", 47: "cumulative", 48: "cumulative", 49: "cumulative",
    53: "snapshot", 59: "snapshot", 60: "snapshot", 62: "snapshot", 64: "snapshot", 66: "snapshot",
    67: "snapshot", 111: "cumulative", 112: "rolling", 117: "snapshot", 123: "cumulative",
    125: "snapshot", 130: "snapshot", 131: "snapshot", 132: "snapshot", 133: "snapshot",
    135: "cumulative", 136: "snapshot", 146: "snapshot", 151: "rolling", 152: "rolling",
    153: "rolling", 154: "cumulative", 155: "cumulative", 156: "snapshot", 157: "snapshot",
    173: "rolling", 181: "snapshot", 184: "snapshot", 191: "cumulative", 192: "snapshot",
    193: "snapshot", 195: "snapshot", 196: "snapshot",
}
# polarity and unit where the reference is blank (judged from the indicator's wording)
FILL = {
    2: ("higher", "%"), 3: ("higher", "%"), 4: ("higher", "%"), 6: ("higher", "%"),
    28: ("lower", "rate per 1,000"), 29: ("lower", "rate per 1,000"), 30: ("lower", "%"),
    33: ("lower", "rate per 10,000"), 45: ("higher", "%"), 47: ("lower", "number"),
    48: ("lower", "number"), 55: ("lower", "%"), 56: ("lower", "%"),
    72: ("higher", "%"), 73: ("higher", "%"), 74: ("higher", "%"), 75: ("higher", "%"),
    79: ("higher", "%"), 80: ("higher", "%"), 83: ("higher", "%"), 87: ("lower", "%"),
    92: ("lower", "%"), 93: ("higher", "%"), 94: ("higher", "%"), 95: ("higher", "%"),
    96: ("higher", "%"), 97: ("higher", "%"), 98: ("higher", "%"), 99: ("higher", "%"),
    100: ("higher", "%"), 101: ("higher", "%"), 111: ("lower", "rate per 100,000"),
    113: ("lower", "%"), 120: ("lower", "rate per 100,000"), 123: ("higher", "rate per 100,000"),
    152: ("lower", "%"), 155: ("higher", "number"), 156: ("lower", "number"),
    163: ("higher", "%"), 171: ("higher", "rate per 10,000"), 175: ("higher", "%"),
    177: ("higher", "number"), 181: ("lower", "days"), 196: ("lower", "score"),
}

# units corrected where the reference's "number" is really a rate or an average
UNIT_FIX = {
    19: "rate per young offender",        # proven re-offences per young offender in the cohort
    38: "ratio of actual to predicted",   # drug-related offending: proven offences vs predicted
    180: "per 1,000 caseload",            # changes of circumstances per 1,000 HB/CTB caseload
    191: "kg per household",              # residual household waste per household
}
# counts of people, homes, schools, journeys, qualifications or money that add up across districts
COUNTS = {40, 47, 48, 76, 77, 78, 89, 109, 154, 155, 156, 161, 162, 177, 179}
# scores, indexes, medians, life expectancy and gaps: a county value cannot be made from districts
NOT_DERIVABLE = {35, 51, 54, 58, 81, 82, 102, 105, 137, 166, 188, 196}


def aggregation(n, unit, title):
    """How a county value may be made from district values, and the unit when the wording says it."""
    t = title.lower()
    if n in NOT_DERIVABLE:
        return "none", unit
    if n in COUNTS:
        return "sum", unit or "number"
    if not unit:
        if t.startswith("% ") or "percentage" in t or "proportion" in t:
            unit = "%"
    if not unit:
        return "", unit           # not known: never summed, and laa says so
    u = unit.lower()
    if u in ("number", "£"):
        return "sum", unit
    return "ratio", unit          # %, rates per N, days, minutes per mile, kg per household


def main(src, dst):
    rows = list(csv.DictReader(open(src, newline="", encoding="utf-8")))
    fields = ["number", "code", "title", "theme", "polarity", "unit", "frequency", "measure_type",
              "aggregation", "polarity_basis", "title_basis", "notes"]
    with open(dst, "w", newline="", encoding="utf-8") as out:
        w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            n = int(r["ni"])
            polarity, unit, basis = r["polarity"], r["unit"], "reference" if r["polarity"] else ""
            if not polarity and n in FILL:
                polarity, unit = FILL[n][0], unit or FILL[n][1]
                basis = "laa: judged from the wording"
            if not unit and n in FILL:
                unit = FILL[n][1]
            unit = UNIT_FIX.get(n, unit)
            agg, unit = aggregation(n, unit, r["title"])
            if n in QUARTERLY:
                frequency, measure = "quarterly", QUARTERLY[n]
            elif n in ACADEMIC:
                frequency, measure = "academic", "snapshot"
            elif n in BIENNIAL:
                frequency, measure = "biennial", "snapshot"
            else:
                frequency, measure = "annual", "snapshot"
            w.writerow({"number": n, "code": f"NI {n}", "title": r["title"], "theme": r["theme"],
                        "polarity": polarity, "unit": unit, "frequency": frequency,
                        "measure_type": measure, "aggregation": agg, "polarity_basis": basis,
                        "title_basis": r["title_basis"], "notes": r["notes"]})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "datasets/nis/national-indicators.csv")
