#!/usr/bin/env bash
# Proof that a change of structure changed no output: run two builds of laa on the same inputs and
# compare what they write, timestamps aside.
#
#   bash bench/same-outputs.sh OLD_LAA NEW_LAA [AREAS]
#
# OLD_LAA is a binary built before the change (for example `git worktree add /tmp/old <commit>`
# and `cargo build` there), NEW_LAA one built after. Compared:
#   1. the demo's report folder: ssog-report.html, the workbook's sheets (its XML parts),
#      board-paper.docx's text (word/document.xml), data.csv and every chart's SVG;
#   2. `rate --area all --format json` on the national bench data (bench/national_bench.rs, AREAS
#      areas, 352 by default), imported by each build into a store of its own.
# Exits 1 and lists the files that differ when any does.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); areas=${3:-352}
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
differ=0

# timestamps: the report's "generated" stamp and each import's time
normalise() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?/<time>/g'; }

compare() { # compare LABEL FILE_A FILE_B
  if ! cmp -s <(normalise <"$2") <(normalise <"$3"); then
    echo "differs: $1"; diff <(normalise <"$2") <(normalise <"$3") | head -5; differ=1
  fi
}

for which in old new; do
  bin=${!which}
  cp -r datasets/demo "$work/ws-$which"
  rm -rf "$work/ws-$which/store" "$work/ws-$which/benchmarks/store"
  "$bin" --workspace "$work/ws-$which" -q report --out "$work/report-$which" >/dev/null
  mkdir -p "$work/xlsx-$which" "$work/docx-$which"
  (cd "$work/xlsx-$which" && unzip -q "$work/report-$which/ssog-report.xlsx")
  (cd "$work/docx-$which" && unzip -q "$work/report-$which/board-paper.docx")
done
compare ssog-report.html "$work/report-old/ssog-report.html" "$work/report-new/ssog-report.html"
compare data.csv "$work/report-old/data.csv" "$work/report-new/data.csv"
compare board-paper.docx:word/document.xml "$work/docx-old/word/document.xml" "$work/docx-new/word/document.xml"
for part in $(cd "$work/xlsx-old" && find xl -name '*.xml' | sort); do
  [[ $part == xl/styles.xml ]] && continue
  compare "ssog-report.xlsx:$part" "$work/xlsx-old/$part" "$work/xlsx-new/$part"
done
for svg in $(cd "$work/report-old/charts" && ls *.svg); do
  compare "charts/$svg" "$work/report-old/charts/$svg" "$work/report-new/charts/$svg"
done
[ "$(cd "$work/report-old" && find . -type f | sort)" = "$(cd "$work/report-new" && find . -type f | sort)" ] \
  || { echo "differs: the files of the report folder"; differ=1; }
echo "demo report: $(cd "$work/report-old" && find . -type f | wc -l) files compared"

# national bench data, made by the new build's generator
cargo build -q --example national_bench
./target/debug/examples/national_bench "$work/national" "$areas" >/dev/null
for which in old new; do
  bin=${!which}
  cp -r "$work/national" "$work/national-$which"
  "$bin" --workspace "$work/national-$which" -q import
  "$bin" --workspace "$work/national-$which" rate --area all --format json >"$work/rate-$which.json"
done
compare "rate --area all --format json ($areas areas)" "$work/rate-old.json" "$work/rate-new.json"
echo "national ratings: $(grep -c '"indicator"' "$work/rate-old.json") ratings compared"

if [ "$differ" -ne 0 ]; then echo "the outputs differ"; exit 1; fi
echo "same outputs"
