#!/usr/bin/env bash
# The server under load: `laa serve` on a copy of the demo (its returns imported), then
# bench/serve_load.py uploads the health theme's return 200 times in sequence and 20 times at once,
# each a real revision, and times upload to answer. Then a 60 MB upload, which must answer 413.
#
#   bash bench/serve.sh                      # writes bench/SERVE.md
#   SEQUENCE=50 AT_ONCE=10 bash bench/serve.sh
#
# Needs python3 (standard library only) and curl. Talks only to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
SEQUENCE=${SEQUENCE:-200}
AT_ONCE=${AT_ONCE:-20}
ws=bench/out/serve-ws
cargo build --release --bin laa
laa=./target/release/laa
rm -rf "$ws" && mkdir -p bench/out && cp -r datasets/demo "$ws"
rm -rf "$ws/store" "$ws/reports" "$ws/log" "$ws/incoming" "$ws/rejected"
"$laa" --workspace "$ws" -q import

"$laa" --workspace "$ws" -q serve --bind 127.0.0.1:0 > bench/out/serve.out 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening on" bench/out/serve.out && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' bench/out/serve.out)
health=$("$laa" --workspace "$ws" serve links --format json --base "$base" \
  | python3 -c 'import json,sys; print([l["url"] for l in json.load(sys.stdin) if l["who"]=="health"][0])')

table=$(python3 bench/serve_load.py --url "$health" --pid "$pid" --template "$ws/returns/health-2009-10-q1.csv" \
  --sequence "$SEQUENCE" --at-once "$AT_ONCE")

# past the file limit (file_mb, 50 by default): refused while it streams
head -c 62914560 /dev/zero | tr '\0' '1' > bench/out/big.csv
big=$(curl -s -o /dev/null -w '%{http_code} in %{time_total} s' -H 'Accept: application/json' \
  -F "file=@bench/out/big.csv" "$health/upload")
rm -f bench/out/big.csv
rss=$(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$pid/status")
verify=$("$laa" --workspace "$ws" store verify 2>&1 | tail -1)

{
  echo "# The server under load"
  echo
  echo "Written by \`bash bench/serve.sh\` (this file is generated). Commit $(git rev-parse --short HEAD),"
  echo "$(nproc) cores. \`laa serve\` (release build) on a copy of the demo with its returns imported; each"
  echo "upload is the health theme's 2009/10 Q1 return (CSV, 6 values) with NI 123's figure changed, so"
  echo "each is read, checked against the agreement and written to the store as a revision under the"
  echo "store's lock. Time is from the request's first byte to the answer's last, by one client"
  echo "(\`bench/serve_load.py\`, Python's http.client) on the same machine."
  echo
  echo "$table"
  echo
  echo "A 60 MB upload (the workspace's limit is 50 MB): $big (refused as the body streams, nothing kept)."
  echo "Server memory after it: $rss. \`laa store verify\` after all of them: $verify"
} > bench/SERVE.md
cat bench/SERVE.md
