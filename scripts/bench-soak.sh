#!/usr/bin/env bash
# The soak test (run it as `scripts/bench soak`): the demo event at ten times the seed's
# scale — 600 participants following the live stream, asking, voting and answering polls,
# with moderators approving and officials answering — for SOAK_SECONDS (default 1200 =
# 20 minutes) at SOAK_RATE actions a second (default 40) on SQLite. Every minute: the
# server's RSS, the database's and its WAL's size, how many questions and answers there
# are, and each route's requests, p50/p99 and failures; then each route over
# the run. Server pinned to core 0, load to core 1, loopback only.
# SOAK_HEAP=1: the server is built with dhat's heap profiler (much slower: for what holds
# the memory, not for latency) and the allocation sites holding the most bytes at the
# heap's peak and at the end are listed after the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SOAK_HEAP:-0}" = 1 ]; then
  cargo build --release --locked -q -p roadshow --features dhat-heap
  mkdir -p target/heap && cp target/release/roadshow target/heap/roadshow
  cargo build --release --locked -q -p roadshow-bench
  BIN=target/heap/roadshow
else
  cargo build --release --locked -q
  BIN=target/release/roadshow
fi
BIN=$(realpath "$BIN")
WORK=$(mktemp -d)
PORT=${SOAK_PORT:-18185}
SECONDS_RUN=${SOAK_SECONDS:-1200}
RATE=${SOAK_RATE:-40}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data"
# The load comes from one address: its per-address limits are raised (each participant's
# own limits on questions and votes stay as they are).
ROADSHOW_DATABASE_URL="sqlite://$WORK/data/roadshow.db" ROADSHOW_LOG=warn \
  ROADSHOW_REGISTRATIONS_PER_MINUTE=100000 ROADSHOW_WRITES_PER_MINUTE=10000000 ROADSHOW_STREAMS_PER_ADDRESS=10000 \
  taskset -c 0 sh -c 'cd "$1" && exec "$2" demo --data "$1/data" --addr "$3"' _ "$WORK" "$BIN" "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
TOKEN=$(cd "$WORK" && ROADSHOW_DATABASE_URL="sqlite://$WORK/data/roadshow.db" "$BIN" token create --email organiser@roadshow.example --data "$WORK/data")
RESULT=$(taskset -c 1 target/release/roadshow-bench soak --addr "127.0.0.1:$PORT" --seconds "$SECONDS_RUN" \
  --rate "$RATE" --organiser "$TOKEN" --server-pid "$SERVER" \
  --db-file "$WORK/data/roadshow.db" --db-file "$WORK/data/roadshow.db-wal")
echo "Roadshow soak — commit $(git rev-parse --short HEAD), $(nproc) cores, $(date -u +%F), SQLite, ${SECONDS_RUN}s, $RATE actions/s, 600 participants streaming"
echo
echo "$RESULT" > target/soak-result.json
if [ "${SOAK_HEAP:-0}" = 1 ]; then
  # A clean stop writes the profile.
  kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true
  cp "$WORK/dhat-heap.json" target/soak-heap.json
  python3 scripts/heap_sites.py target/soak-heap.json
  echo
fi
python3 - target/soak-result.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def p99(s, route):
    v = s.get("routes", {}).get(route)
    return "{:.1f}".format(v["p99_ms"]) if v and v["requests"] else "–"
def flight(s):
    f = s.get("in_flight_max")
    return "{}/{}".format(f["staff_reads"], f["writes"]) if f else "–"
print("| minute | server RSS MB | of it heap (anon) MB | database MB | WAL MB | questions | answers | requests | failed | most in flight (staff reads/writes) | ask p99 ms | question vote p99 ms | staff latest questions p99 ms | answer p99 ms |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for s in r["samples"]:
    routes = s.get("routes", {})
    print("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
        s["minute"], s["rss_mb"], s.get("anon_mb", "–"), s["db_mb"], s["wal_mb"], s["questions"], s["answers"],
        sum(v["requests"] for v in routes.values()), sum(v["failed"] for v in routes.values()), flight(s),
        p99(s, "ask"), p99(s, "question vote"), p99(s, "staff: latest questions"), p99(s, "staff: answer")))
print()
print("| route (whole run) | requests | p50 ms | p99 ms | max ms | 2xx | 409/429 | other 4xx | failed |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for name, v in r["routes"].items():
    print("| {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(name, v["requests"], v["p50_ms"], v["p99_ms"], v["max_ms"],
        v["ok"], v["limited_409_429"], v["refused_4xx"], v["failed"]))
print()
print("Actions: {} answered 2xx, {} refused by a deliberate limit (409/429), {} other 4xx, {} failed (5xx or no answer, after a shed request's three retries); {} times the server shed a request with 503 + Retry-After and the client sent it again; {:.1f} MB streamed to the followers.".format(
    r["ok"], r["limited_409_429"], r["refused_4xx"], r["failed"], r.get("shed_503_retried", 0), r["streamed_mb"]))
PY
