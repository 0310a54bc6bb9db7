#!/usr/bin/env python3
"""Write the demo's illustrative comparator table, benchmarks/upper-tier-comparators.xlsx.

Every English upper-tier authority of 2009 (datasets/authorities/authorities.csv, by real name and
ONS code) with an England row, one sheet per national indicator of the demo agreement, a column
per period. EVERY VALUE IS INVENTED: each indicator's figures are spread around its agreement
target (shifted by a per-indicator amount, so that the county lands in every quarter somewhere),
for the laa demo only. A second sheet layout, long (authority, indicator, period, value), holds a
few district-level figures. Made with openpyxl, so the reader is shown a workbook laa did not write.

    python3 datasets/demo/make_benchmarks.py
"""
import csv
import os
import random

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def authorities():
    with open(os.path.join(ROOT, "datasets", "authorities", "authorities.csv"), newline="") as f:
        return [r for r in csv.DictReader(f)]


def catalogue():
    with open(os.path.join(ROOT, "datasets", "nis", "national-indicators.csv"), newline="") as f:
        return {r["code"]: r for r in csv.DictReader(f)}


def agreement():
    wb = openpyxl.load_workbook(os.path.join(HERE, "agreement.xlsx"), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Indicator")
    names = rows[header]
    out = []
    for r in rows[header + 1:]:
        if not r or not r[0] or not str(r[0]).startswith("NI "):
            continue
        out.append(dict(zip(names, r)))
    return out


def periods(freq):
    if freq == "quarterly":
        return ["2008/09 Q1", "2008/09 Q2", "2008/09 Q3", "2008/09 Q4", "2009/10 Q1", "2009/10 Q2"]
    if freq == "academic":
        return ["AY 2007/08", "AY 2008/09"]
    if freq == "biennial":
        return ["2008/09"]
    return ["2007/08", "2008/09"]


def centre(row, period, measure):
    year = period.replace("AY ", "")[:7]
    target = row.get(f"Target {year}")
    base = row.get("Baseline")
    c = target if isinstance(target, (int, float)) else base
    if not isinstance(c, (int, float)):
        return None
    if measure == "cumulative" and "Q" in period:
        c = c * int(period[-1]) / 4
    return float(c)


# Where the demo's comparison makes a point, the peers are placed by hand: serious acquisitive crime
# (red against a stretching target) and the third-sector survey (red) sit in the top quarter
# nationally, the case where other areas' figures change the board's advice.
SHIFT = {"NI 16": 0.30, "NI 4": -0.22}


def main():
    rng = random.Random(2009)
    auth = authorities()
    upper = [a for a in auth if a["tier"] in ("county", "unitary", "metropolitan", "london")]
    cat = catalogue()
    districts = [a for a in auth if a["tier"] == "district"]
    district_rows = []
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for row in agreement():
        code = row["Indicator"]
        ind = cat.get(code)
        if ind is None:
            continue
        ps = periods(ind["frequency"])
        centres = [centre(row, p, ind["measure_type"]) for p in ps]
        if any(c is None for c in centres):
            continue
        # where the county lands: peers centred above or below its target by up to 12%
        shift = rng.uniform(-0.12, 0.12)
        shift = SHIFT.get(code, shift)
        spread = 0.10
        unit = ind["unit"]
        ws = wb.create_sheet(code)
        ws.append([f"{code} {ind['title']}"])
        ws.append(["Illustrative comparator figures for the laa demo: every value is invented."])
        ws.append([])
        ws.append(["ONS code", "Local authority"] + ps)
        rows = []
        for a in upper:
            # each authority keeps its place a little from one period to the next
            own = rng.gauss(0, spread)
            vals = []
            for c in centres:
                v = c * (1 + shift + own + rng.gauss(0, spread / 3))
                if unit == "%":
                    v = min(max(v, 0.0), 100.0)
                vals.append(round(v, 1) if unit != "number" else round(v))
            rows.append([a["code"], a["name"]] + vals)
        # a few authorities did not publish a figure for the latest period
        for r in rng.sample(rows, 3):
            r[-1] = ".."
        eng = []
        for i in range(len(ps)):
            col = sorted(r[2 + i] for r in rows if r[2 + i] != "..")
            eng.append(col[len(col) // 2])
        ws.append(["E92000001", "England"] + eng)
        for r in rows:
            ws.append(r)
        ws.column_dimensions["B"].width = 32
        # the crime indicators are reported by district too: ranked among districts and the
        # single-tier authorities (whose figures are the sheet's above)
        if code in ("NI 15", "NI 16", "NI 20"):
            for a in districts:
                own = rng.gauss(0, spread)
                for p, c in zip(ps, centres):
                    v = c * (1 + shift + own + rng.gauss(0, spread / 3))
                    district_rows.append([a["code"], a["name"], code, p, round(v, 2)])
    # districts: a long table (a row per value), as LG Inform exports them
    ws = wb.create_sheet("Districts")
    ws.append(["District figures (illustrative: every value is invented)"])
    ws.append([])
    ws.append(["Area code", "Area", "Indicator", "Period", "Value"])
    for r in district_rows:
        ws.append(r)
    wb.save(os.path.join(HERE, "benchmarks", "upper-tier-comparators.xlsx"))


if __name__ == "__main__":
    main()
