#!/usr/bin/env bash
# The reader's sweep: return forms in layouts nobody wrote down, generated from independent
# choices (tests/fixtures/layouts/make_layouts.py) and read by the release binary, every value
# checked (bench/layouts.py). CI reads the 500 committed forms; this reads thousands.
#
#   bash bench/layouts.sh                 # 5,000 forms, seed 2026
#   COUNT=500 SEED=7 bash bench/layouts.sh
#
# Needs python3 with openpyxl and XlsxWriter (installed here when missing) and LibreOffice's
# soffice (for .ods, .xls and .xlsm). Writes bench/LAYOUTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-5000}
SEED=${SEED:-2026}
dir=bench/out/layouts
python3 -c "import openpyxl, xlsxwriter" 2>/dev/null || python3 -m pip install -q openpyxl XlsxWriter
command -v soffice >/dev/null || { apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui >/dev/null; }
cargo build --release --bin laa
rm -rf "$dir" && mkdir -p "$dir"
start=$(date +%s)
python3 tests/fixtures/layouts/make_layouts.py --count "$COUNT" --seed "$SEED" --out "$dir"
made=$(( $(date +%s) - start ))
start=$(date +%s)
python3 bench/layouts.py --laa ./target/release/laa --dir "$dir" --show 30 > bench/out/layouts.txt
read_s=$(( $(date +%s) - start ))
{
  echo "# The reader's sweep"
  echo
  echo "Written by \`bash bench/layouts.sh\` (this file is generated). Commit $(git rev-parse --short HEAD)."
  echo
  echo "$COUNT return forms generated from independent choices with seed $SEED"
  echo "(\`tests/fixtures/layouts/make_layouts.py\`, ${made} s), each read by \`laa import --explain --format json\`"
  echo "and checked against what its generator wrote: every value exact (with its quality flag,"
  echo "commentary and the partner's rating), every \"no value\" cell listed with its reason, every"
  echo "number stored or accounted for, every ambiguous form refused naming both readings (${read_s} s)."
  echo
  echo '```text'
  cat bench/out/layouts.txt
  echo '```'
} > bench/LAYOUTS.md
cat bench/out/layouts.txt | head -3
