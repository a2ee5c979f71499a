#!/usr/bin/env bash
# Issue 11's three benchmarks on the release build (docs/desk.md "Performance").
# Run from a clone after `cargo build --release`; needs wrk and port 18080 free. Numbers: docs/desk.md.
set -u
cd "$(dirname "$0")/.."
H=target/release/hejnal
B=/tmp/bench11; rm -rf $B; mkdir -p $B
export HEJNAL_DATABASE_URL=sqlite://$B/h.db HEJNAL_DATA_DIR=$B HEJNAL_BIND=127.0.0.1:18080
wait_up() { for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && return 0; sleep 0.5; done; echo "server did not start"; return 1; }
echo "== 1. filing without a photo"
$H serve --no-worker > $B/serve1.log 2>&1 & P=$!
wait_up
wrk -t2 -c16 -d15s --latency -s benches/desk_file.lua http://127.0.0.1:18080 2>&1 | grep -v "^unexpected" | head -30
grep -c "^unexpected" <(wrk -t1 -c1 -d1s -s benches/desk_file.lua http://127.0.0.1:18080 2>&1) || true
kill $P; wait $P 2>/dev/null
echo "== 2. phone photos"
$H bench desk-photos --count 20 2>&1 | tail -1
echo "== 3. Open311 over 1,000,000 reports"
rm -rf $B; mkdir -p $B
/usr/bin/time -f "seed took %e s" $H bench desk-seed --reports 1000000 --days 365 2>&1 | tail -5
$H serve --no-worker > $B/serve3.log 2>&1 & P=$!
wait_up
END=$(date -u +%Y-%m-%d)
S7=$(date -u -d "-37 days" +%Y-%m-%d); E7=$(date -u -d "-30 days" +%Y-%m-%d)
Y=$(date -u -d "-1 day" +%Y-%m-%dT%H:%M:%SZ)
curl -s "http://127.0.0.1:18080/open311/v2/requests.json?status=closed&start_date=$S7&end_date=$E7" | python3 -c "import json,sys; print(len(json.load(sys.stdin)), 'requests in the answer')"
for c in 1 2 4; do echo "clients $c"; wrk -t1 -c$c -d15s --latency "http://127.0.0.1:18080/open311/v2/requests.json?status=closed&start_date=$S7&end_date=$E7" 2>&1 | grep "%\\|Requests/sec\\|Non-2xx"; done
for c in 1 2 4; do echo "clients $c (open, last day)"; wrk -t1 -c$c -d15s --latency "http://127.0.0.1:18080/open311/v2/requests.json?status=open&start_date=$Y" 2>&1 | grep "%\\|Requests/sec\\|Non-2xx"; done
kill $P; wait $P 2>/dev/null
