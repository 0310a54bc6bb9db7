#!/usr/bin/env bash
# Time and peak memory of `laa import` on every file of the bad-input corpus (tests/fixtures/bad/),
# plus a few made here at full size (a million-row csv, a 600 MB zip bomb, a 60 MB file, an .xlsb
# with 2.1 million cells).
# Writes bench/HOSTILE.md. Needs /usr/bin/time (GNU time) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
laa="$PWD/target/release/laa"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp datasets/demo/{partnership.toml,agreement.xlsx,priorities.xlsx} "$work/"
printf '\n[limits]\nzip_entries = 1000\n' >> "$work/partnership.toml"
mkdir -p "$work/big"
python3 - "$work/big" <<'PY'
import sys, zipfile, os
d = sys.argv[1]
with open(os.path.join(d, "million-rows.csv"), "w") as f:
    f.write("Indicator,Area,Period,Value\n")
    for i in range(1_000_000):
        f.write(f"NI 154,Blaby,2009/10 Q1,{i}\n")
with zipfile.ZipFile(os.path.join(d, "bomb-600mb.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("xl/worksheets/sheet1.xml", "w") as w:
        for _ in range(600):
            w.write(b" " * 1_000_000)
with open(os.path.join(d, "sixty-mb.csv"), "wb") as f:
    f.write(b"x" * 60_000_000)
# an Excel binary workbook with 2.1 million number cells (past the cells limit), 1,000 a row
sys.path.insert(0, "tests/fixtures")
from xlsb_writer import write_xlsb
cells = [(0, 0, "Indicator"), (0, 1, "Period"), (0, 2, "Value")]
cells += [(r, c, float(c)) for r in range(1, 2101) for c in range(1000)]
write_xlsb(os.path.join(d, "xlsb-2m-cells.xlsb"), {"Return": cells})
# 48 MB of commas: 3,000 rows of 16,000 blank cells each (48 million cells, past the 8 million a
# file's rows may span)
with open(os.path.join(d, "commas-48mb.csv"), "w") as f:
    f.write("Indicator,Period,Value\n")
    for _ in range(3000):
        f.write("," * 16_000 + "\n")
PY
out=bench/HOSTILE.md
{
  echo "# Hostile files: time and peak memory"
  echo
  echo "\`bash bench/hostile.sh\` on $(nproc) cores, $(date -u +%Y-%m-%d). Each file imported alone with the release build;"
  echo "exit code, wall time and peak resident memory from GNU time. The limit asked for: 10 s and 1 GiB."
  echo
  echo "| file | exit | wall (s) | peak memory (MiB) |"
  echo "|---|---|---|---|"
} > "$out"
max_s=0; max_kb=0
for f in tests/fixtures/bad/* "$work"/big/*; do
  case "$f" in *.py|*.tsv) continue ;; esac
  set +e
  /usr/bin/time -f "%e %M" -o "$work/t" "$laa" --workspace "$work" import "$f" >/dev/null 2>&1
  rc=$?
  set -e
  read -r s kb < <(tail -1 "$work/t")
  echo "| $(basename "$f") | $rc | $s | $((kb / 1024)) |" >> "$out"
  max_s=$(python3 -c "print(max($max_s, $s))"); max_kb=$(( kb > max_kb ? kb : max_kb ))
done
{
  echo
  echo "Slowest: ${max_s} s. Most memory: $((max_kb / 1024)) MiB."
} >> "$out"
cat "$out" | tail -3
