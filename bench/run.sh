#!/usr/bin/env bash
# The national-scale benchmark: 352 areas × 198 indicators × 12 quarters from 352 workbooks.
# Needs hyperfine (Debian package `hyperfine`); results go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --example national_bench
data=bench/data
rm -rf "$data"
./target/release/examples/national_bench "$data" "${AREAS:-352}"
laa=./target/release/laa
/usr/bin/time -v "$laa" --workspace "$data" -q import 2> bench/import-time.txt
grep -E "Elapsed|Maximum resident" bench/import-time.txt
hyperfine --warmup 1 --runs 5 \
  "$laa --workspace $data status" \
  "$laa --workspace $data rate --area all --format json" \
  "$laa --workspace $data reward --format json"
/usr/bin/time -v "$laa" --workspace "$data" -q report --only xlsx --out bench/report 2> bench/report-time.txt
grep -E "Elapsed|Maximum resident" bench/report-time.txt
