#!/usr/bin/env bash
# Comparison with other areas at national scale (issue #22), side by side in one run: the national
# bench's comparator table (every indicator × every area × 12 quarters, as many figures as the
# returns hold) imported and ranked, against the national import itself; `laa rate --area all`
# and the trend charts with the comparison against the same without it.
#
#   bash bench/benchmarks.sh              # 352 areas
#   AREAS=40 RUNS=1 bash bench/benchmarks.sh
#
# Needs hyperfine (installed here when missing). Writes bench/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
AREAS=${AREAS:-352}
RUNS=${RUNS:-3}
data=bench/out/benchmarks-data
out=bench/out/benchmarks
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release --bin laa --example national_bench --example chart_bands
laa=./target/release/laa
rm -rf "$data" "$out"
mkdir -p "$out"
./target/release/examples/national_bench "$data" "$AREAS" --benchmarks
# the comparator table lives apart so that the runs without comparison see none
mv "$data/benchmarks" "$out/tables"
table="$out/tables/england.xlsx"
"$laa" --workspace "$data" -q import
"$laa" --workspace "$data" -q benchmark import "$table"
mv "$data/store/benchmarks" "$out/comparator-store"
on="rm -rf $data/store/benchmarks && cp -r $out/comparator-store $data/store/benchmarks"
off="rm -rf $data/store/benchmarks"
mem() { echo "/usr/bin/time -f %e,%M -a -o $out/mem-$1.txt"; }
hyperfine --runs "$RUNS" --export-json "$out/times.json" \
  --prepare "rm -rf $data/store/batches $data/store/journal.jsonl $data/store/benchmarks" \
  --prepare "$off" \
  --prepare "$off" \
  --prepare "$on" \
  --prepare "$off; rm -rf $out/charts-off" \
  --prepare "$on; rm -rf $out/charts-on" \
  -n national-import -n benchmark-import -n rate-without -n rate-with -n charts-without -n charts-with \
  "$(mem national-import) $laa --workspace $data -q import" \
  "$(mem benchmark-import) $laa --workspace $data -q benchmark import $table" \
  "$(mem rate-without) sh -c '$laa --workspace $data rate --area all --format json > /dev/null'" \
  "$(mem rate-with) sh -c '$laa --workspace $data rate --area all --format json > /dev/null'" \
  "$(mem charts-without) $laa --workspace $data -q report --only charts --out $out/charts-off" \
  "$(mem charts-with) $laa --workspace $data -q report --only charts --out $out/charts-on"
# the runs with comparison really drew it
grep -q "middle half of English authorities" "$out/charts-on/charts/ni-1.svg"
! grep -q "middle half of English authorities" "$out/charts-off/charts/ni-1.svg"
# the drawing alone, in one process: the same chart with and without the comparison
./target/release/examples/chart_bands 200 > "$out/chart-bands.txt"
values=$(python3 -c "import json,sys; print(sum(json.loads(l)['rows'] for l in open('$out/comparator-store/journal.jsonl')))")
python3 - "$out" "$AREAS" "$values" "$(git rev-parse --short HEAD)" > bench/BENCHMARKS.md <<'PY'
import json, sys
from pathlib import Path
out, areas, values, commit = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
res = {r["command"]: r for r in json.load(open(out / "times.json"))["results"]}
mean = lambda n: res[n]["mean"]
def peak(n):
    rows = [l.split(",") for l in (out / f"mem-{n}.txt").read_text().split() if "," in l]
    return max(int(r[1]) for r in rows) / 1024
imp, bimp = mean("national-import"), mean("benchmark-import")
rank = mean("rate-with") - mean("rate-without")
charts = mean("charts-with") / mean("charts-without")
drawing = (out / "chart-bands.txt").read_text().strip()
ratio = float(drawing.rsplit(" ", 1)[1].rstrip("×"))
print(f"""# Comparison with other areas at national scale

Written by `bash bench/benchmarks.sh` (this file is generated). Commit {commit}; {areas} areas;
the comparator table holds {values:,} figures (every indicator × area × quarter, a sheet per
indicator); mean of {res['national-import']['times'].__len__()} runs each, alternating, on one machine.

| run | time | peak memory |
|---|---|---|
""" + "\n".join(f"| {n} | {mean(n):.2f} s | {peak(n):.0f} MiB |" for n in res) + f"""

| target (issue #22) | measured | met |
|---|---|---|
| comparator import and ranking within 2× of the national import | ({bimp:.2f} s + {rank:.2f} s) / {imp:.2f} s = {(bimp + rank) / imp:.2f}× | {"yes" if (bimp + rank) / imp <= 2 else "no"} |
| a chart with bands drawn at most 20% slower than without (`bench/chart_bands.rs`: {drawing}) | {ratio:.2f}× | {"yes" if ratio <= 1.2 else "no"} |
| `laa report --only charts` with the comparison (ranking every area's ratings too) against without | {charts:.2f}× | – |
""")
PY
cat bench/BENCHMARKS.md
