"""The peer `laa` is measured against: the same job done the way an analyst would in Python.

Reads every return in WORKSPACE/returns (wide or long layout, header found below title rows,
numbers typed as text converted), keeps the last value of each indicator × area × quarter,
rates every indicator in every area for the latest quarter (quarterly snapshot: the latest value
of the financial year against that year's target, polarity-aware, amber within 5% of the
target), projects reward grant for the national figure (60% threshold, pro rata, capped at the
stretch), draws one trend chart per indicator (national actuals against the target trajectory,
PNG at 150 dpi and SVG), and writes an Excel workbook of the ratings and reward with every
value in data.csv beside it — what `laa import && laa report` does on the benchmark workspace.

    python bench/peer/pipeline.py WORKSPACE OUT --engine openpyxl|calamine

Also writes OUT/ratings.csv (indicator, area, period, rating) for bench/run.sh to compare
with `laa rate --area all --format csv`.
"""

import argparse
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

QUARTER = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")
TOLERANCE = 0.05
THRESHOLD = 0.6


def quarter_index(label):
    m = QUARTER.match(str(label).strip())
    if not m:
        return None
    return int(m.group(1)) * 4 + int(m.group(3))


def number(v):
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip().replace(",", "").rstrip("%")
    if s in ("", "n/a", "-"):
        return None
    return float(s)


def read_return(path, engine):
    raw = pd.read_excel(path, header=None, engine=engine, dtype=object)
    header_row = next(i for i in range(min(20, len(raw))) if str(raw.iat[i, 0]).strip() == "NI")
    df = raw.iloc[header_row + 1 :].copy()
    df.columns = [str(c).strip() for c in raw.iloc[header_row]]
    df = df[df["NI"].notna()]
    if "Period" in df.columns:
        long = df[["NI", "Area", "Period", "Value"]].rename(columns={"NI": "indicator", "Area": "area"})
    else:
        quarters = [c for c in df.columns if quarter_index(c) is not None]
        long = df.melt(id_vars=["NI", "Area"], value_vars=quarters, var_name="Period", value_name="Value")
        long = long.rename(columns={"NI": "indicator", "Area": "area"})
    long["value"] = long["Value"].map(number)
    long["q"] = long["Period"].map(quarter_index)
    long["file"] = path.name
    return long[["indicator", "area", "q", "value", "file"]].dropna(subset=["value"])


def read_agreement(ws):
    raw = pd.read_excel(ws / "agreement.xlsx", engine="openpyxl")
    raw["indicator"] = raw["Indicator"].astype(str)
    return raw.set_index("indicator")


def rate(values, agreement, latest):
    """Ratings for the latest quarter, for every indicator × area with data (and the national area)."""
    year = (latest - 1) // 4
    in_year = values[(values["q"] > year * 4) & (values["q"] <= latest)]
    last = in_year.sort_values("q").groupby(["indicator", "area"], sort=False).tail(1)
    last = last.join(agreement[["Polarity", "Target %d/%02d" % (year, (year + 1) % 100)]], on="indicator")
    target = last.iloc[:, -1].astype(float)
    higher = last["Polarity"].str.lower() == "higher"
    shortfall = (target - last["value"]).where(higher, last["value"] - target)
    eps = 1e-9 * target.abs().clip(lower=1.0)
    tol = TOLERANCE * target.abs()
    rating = pd.Series("red", index=last.index)
    rating[shortfall <= tol + eps] = "amber"
    rating[shortfall <= eps] = "green"
    last = last.assign(target=target, forecast=last["value"], rating=rating)
    return last


def reward(county, agreement):
    terms = agreement.dropna(subset=["Stretch target"])
    rows = []
    for ind, t in terms.iterrows():
        f = county.loc[county["indicator"] == ind, "forecast"]
        if f.empty:
            continue
        pwr, stretch, grant = t["Performance without reward"], t["Stretch target"], t["Maximum grant"]
        achievement = min(max((f.iloc[0] - pwr) / (stretch - pwr), 0.0), 1.0)
        paid = 0.0 if achievement + 1e-9 < THRESHOLD else grant * achievement
        rows.append(dict(indicator=ind, forecast=f.iloc[0], achievement=achievement,
                         projected_grant=paid, grant_at_risk=grant - paid))
    return pd.DataFrame(rows)


def chart(out, ind, series, targets):
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=150)
    ax.plot(series["q"], series["value"], marker="o", color="#0072B2", label="actual")
    ax.plot([t[0] for t in targets], [t[1] for t in targets], linestyle="--", color="#555555", label="target")
    ax.set_title(ind)
    ax.legend(loc="best")
    stem = ind.replace(" ", "")
    fig.savefig(out / f"{stem}.png")
    fig.savefig(out / f"{stem}.svg")
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workspace", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--engine", default="openpyxl", choices=["openpyxl", "calamine"])
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "charts").mkdir(exist_ok=True)

    files = sorted((a.workspace / "returns").glob("*.xlsx"))
    values = pd.concat([read_return(p, a.engine) for p in files], ignore_index=True)
    values = values.drop_duplicates(subset=["indicator", "area", "q"], keep="last")
    agreement = read_agreement(a.workspace)
    latest = int(values["q"].max())
    ratings = rate(values, agreement, latest)
    period = "%d/%02d Q%d" % ((latest - 1) // 4, ((latest - 1) // 4 + 1) % 100, (latest - 1) % 4 + 1)
    ratings["period"] = period
    county = ratings[ratings["area"] == "ENG"]
    rewards = reward(county, agreement)

    national = values[values["area"] == "ENG"].sort_values("q")
    for ind, series in national.groupby("indicator"):
        t = agreement.loc[ind]
        targets = [(y * 4 + 4, float(t["Target %d/%02d" % (y, (y + 1) % 100)])) for y in (2008, 2009, 2010)]
        chart(a.out / "charts", ind, series, targets)

    with pd.ExcelWriter(a.out / "report.xlsx", engine="xlsxwriter") as xw:
        ratings[["indicator", "area", "period", "forecast", "target", "rating"]].to_excel(
            xw, sheet_name="Ratings", index=False)
        rewards.to_excel(xw, sheet_name="Reward", index=False)
    values.to_csv(a.out / "data.csv", index=False)
    ratings[["indicator", "area", "period", "rating"]].sort_values(["indicator", "area"]).to_csv(
        a.out / "ratings.csv", index=False)
    print(f"{len(files)} files, {len(values)} values, {len(ratings)} ratings, {len(rewards)} reward targets",
          file=sys.stderr)


if __name__ == "__main__":
    main()
