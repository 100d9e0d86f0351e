#!/usr/bin/env bash
# The leads benchmark (run it as `scripts/bench leads`).
#
# A seeded generator (roadshow-bench leads) makes 10,000 leads from 10,000 companies'
# registrations over 20 past events, with 200,000 signals, owners, stages, scores, next
# steps and tasks, on a fresh database (SQLite, then PostgreSQL). It times, 300 times
# each, the board, a randomly filtered list and a lead's timeline: in-process (server
# time, the use case the page and the API call) and over HTTP (a request to a server on
# loopback in the same process). Then 1,000 SSE clients follow the live event while 100
# updates go through the API, once without and once with 1,000 signals a second recorded
# through the same path an action takes (stored once, the lead's score recomputed); the
# latency is when the last client got each update.
set -euo pipefail
cd "$(dirname "$0")/.."
LEADS=${LEADS:-10000}
SIGNALS=${SIGNALS:-200000}
CLIENTS=${CLIENTS:-1000}
# Updates through the live stream per run: 100, so that the 99th percentile is not the slowest one.
UPDATES=${UPDATES:-100}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cargo build --release --locked -q -p roadshow-bench
# ROADSHOW_BENCH_TOOL measures another build the same way (e.g. one before a change).
BENCH=${ROADSHOW_BENCH_TOOL:-target/release/roadshow-bench}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fresh_postgres() { # a new database on the server, so the run starts empty
  local name="roadshow_bench_leads"
  psql "$PG" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  echo "${PG%/*}/$name"
}

echo "Roadshow leads benchmark — commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
echo "$LEADS leads, $SIGNALS signals (seeded); 300 samples each; live: $CLIENTS SSE clients, $UPDATES updates."
echo
echo "| database | seeding s | board p50 / p99 ms (server) | list p50 / p99 ms (server) | timeline p50 / p99 ms (server) | board p50 / p99 ms (HTTP) | list p50 / p99 ms (HTTP) | timeline p50 / p99 ms (HTTP) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
declare -A RESULT
for db in sqlite postgres; do
  rm -rf "$WORK/$db"; mkdir -p "$WORK/$db"
  if [ "$db" = sqlite ]; then url="sqlite://$WORK/$db/roadshow.db"; else
    command -v psql >/dev/null || { echo "| postgres | (psql missing: skipped) |"; continue; }
    url=$(fresh_postgres)
  fi
  json=$("$BENCH" leads --database-url "$url" --data "$WORK/$db" --leads "$LEADS" --signals "$SIGNALS" --clients "$CLIENTS" --updates "$UPDATES")
  RESULT[$db]=$json
  python3 - "$json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
f = lambda s: f"{s['p50_ms']:.2f} / {s['p99_ms']:.2f}"
i, h = d["in_process"], d["http"]
print(f"| {d['database']} | {d['seed_seconds']:.0f} | {f(i['board'])} | {f(i['list'])} | {f(i['timeline'])} | {f(h['board'])} | {f(h['list'])} | {f(h['timeline'])} |")
PY
done
echo
echo "Live delivery while signals are recorded (same run, same process): when the last of $CLIENTS clients got each update."
echo
echo "| database | signals recorded / s | from call start p50 / p99 ms, no signals | with signals | from call return p50 / p99 ms, no signals | with signals | lost |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for db in sqlite postgres; do
  [ -n "${RESULT[$db]:-}" ] || continue
  python3 - "${RESULT[$db]}" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
q, l = d["live_without_signals"], d["live_with_signals"]
s = lambda x, k: f"{x[f'last_client_from_{k}_p50_ms']:.1f} / {x[f'last_client_from_{k}_p99_ms']:.1f}"
print(f"| {d['database']} | {d['signals_per_second']:.0f} | {s(q, 'start')} | {s(l, 'start')} | {s(q, 'return')} | {s(l, 'return')} | {q['lost'] + l['lost']} |")
PY
done
