#!/usr/bin/env bash
# The live benchmark (run it as `scripts/bench live`).
#
# Fan-out: N clients (1,000, 5,000, 10,000; CLIENTS overrides) hold SSE connections to one
# event while a stream of updates goes through the API, one every 200 ms: for Roadshow,
# approvals of questions and votes alternately (each makes one public live event); for the
# baselines, POST /publish. The same Rust client (roadshow-bench, pinned to core 1) holds
# the connections for every server (pinned to core 0) and measures, per update, when the
# last client got it: from the API call returning and from it starting. Baselines in the
# same run: (a) a bare tokio/hyper SSE broadcaster with no application logic (the floor),
# (b) a broadcast server on npm's `ws` (bench/ws-broadcast). Lost messages must be 0.
#
# Write path: durable votes and questions per second through the API (64 concurrent
# clients), on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-"1000 5000 10000"}
UPDATES=${UPDATES:-40}
SECONDS_WRITES=${SECONDS_WRITES:-10}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
PORT=18211
PIN="taskset -c 0"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cargo build --release --locked -q -p roadshow -p roadshow-bench
(cd bench/ws-broadcast && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
BIN=target/release/roadshow
BENCH=target/release/roadshow-bench
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

wait_port() {
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return; sleep 0.1; done
  echo "server on $PORT did not start" >&2; exit 1
}

start_roadshow() { # $1 database url
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  ROADSHOW_DATABASE_URL="$1" ROADSHOW_LOG=warn ROADSHOW_REGISTRATIONS_PER_MINUTE=100000000 ROADSHOW_WRITES_PER_MINUTE=100000000 \
    ROADSHOW_QUESTIONS_PER_MINUTE=100000000 ROADSHOW_VOTES_PER_MINUTE=100000000 ROADSHOW_STREAMS_PER_ADDRESS=100000000 \
    $PIN "$BIN" demo --data "$WORK/data" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_port
  TOKEN=$(ROADSHOW_DATABASE_URL="$1" "$BIN" token create --data "$WORK/data" --email moderator@roadshow.example)
}
start_bare() { $PIN "$BENCH" bare --addr "127.0.0.1:$PORT" & SERVER=$!; wait_port; TOKEN=""; }
start_ws() { PORT=$PORT $PIN node bench/ws-broadcast/server.mjs & SERVER=$!; wait_port; TOKEN=""; }
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }


row() { # $1 label, $2 json
  python3 - "$1" "$2" <<'PY'
import json, sys
label, d = sys.argv[1], json.loads(sys.argv[2])
f = lambda v: f"{v:.1f}"
print(f"| {d['clients']:,} | {label} | {f(d['last_client_from_return_p50_ms'])} | {f(d['last_client_from_return_p99_ms'])} | {f(d['last_client_from_return_max_ms'])} "
      f"| {f(d['last_client_from_start_p50_ms'])} | {f(d['last_client_from_start_p99_ms'])} | {f(d['last_client_from_start_max_ms'])} "
      f"| {d['lost']} | {d['repeated']} | {d['idle_bytes_per_connection']/1024:.1f} | {d['rss_peak_kb']/1024:.0f} | {d['cpu_seconds_during_updates']:.2f} |")
PY
}

echo "Roadshow live benchmark — commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
echo "Fan-out: $UPDATES updates, one every 200 ms; latency = when the last client got an update (p50/p99/max over the updates)."
echo
echo "| clients | server | last client from call return p50 ms | p99 ms | max ms | from call start p50 ms | p99 ms | max ms | lost | repeated | idle KB/connection | peak RSS MB | server CPU s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
declare -A RESULT
for N in $CLIENTS; do
  for target in roadshow bare ws; do
    case $target in
      roadshow) start_roadshow "sqlite://$WORK/data/roadshow.db"; label="Roadshow (SQLite)" ;;
      bare) start_bare; label="bare tokio/hyper SSE (floor)" ;;
      ws) start_ws; label="Node ws $(node -p 'require("./bench/ws-broadcast/node_modules/ws/package.json").version')" ;;
    esac
    json=$(taskset -c 1 "$BENCH" fanout --target "$target" --addr "127.0.0.1:$PORT" --clients "$N" --updates "$UPDATES" \
      --interval-ms 200 --server-pid "$SERVER" --moderator "$TOKEN")
    stop_server
    RESULT[$target$N]=$json
    row "$label" "$json"
  done
done
echo
 python3 - "${RESULT[roadshow10000]:-{\}}" "${RESULT[bare10000]:-{\}}" "${RESULT[ws10000]:-{\}}" <<'PY'
import json, sys
r, b, w = (json.loads(a) for a in sys.argv[1:4])
if r and b and w:
    k = "last_client_from_start_p50_ms"
    print(f"At 10,000 clients (last client, from the call starting, p50): Roadshow / bare = {r[k]/b[k]:.2f}×; Node ws / Roadshow = {w[k]/r[k]:.2f}×.")
PY
if [ "${UNPINNED:-1}" = 1 ]; then
  echo
  echo "Supplement: 10,000 clients with nothing pinned (server and client share both cores)."
  echo
  echo "| clients | server | last client from call return p50 ms | p99 ms | max ms | from call start p50 ms | p99 ms | max ms | lost | repeated | idle KB/connection | peak RSS MB | server CPU s |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  PIN=""
  for target in roadshow bare ws; do
    case $target in
      roadshow) start_roadshow "sqlite://$WORK/data/roadshow.db"; label="Roadshow (SQLite), unpinned" ;;
      bare) start_bare; label="bare tokio/hyper SSE, unpinned" ;;
      ws) start_ws; label="Node ws, unpinned" ;;
    esac
    json=$("$BENCH" fanout --target "$target" --addr "127.0.0.1:$PORT" --clients 10000 --updates "$UPDATES" \
      --interval-ms 200 --server-pid "$SERVER" --moderator "$TOKEN")
    stop_server
    row "$label" "$json"
  done
  PIN="taskset -c 0"
fi
echo
echo "Write path: durable writes through the API, 64 concurrent clients, ${SECONDS_WRITES} s each (votes: every (participant, question) pair once)."
echo
echo "| what | database | per second | p50 ms | p99 ms | errors |"
echo "| --- | --- | --- | --- | --- | --- |"
for BACKEND in sqlite postgres; do
  if [ "$BACKEND" = sqlite ]; then URL="sqlite://$WORK/data/roadshow.db"; else
    SCHEMA="bench$RANDOM$RANDOM"
    psql "$PG" -qc "CREATE SCHEMA $SCHEMA" >/dev/null
    URL="$PG?options=-c%20search_path%3D$SCHEMA"
  fi
  for kind in votes questions; do
    start_roadshow "$URL"
    json=$(taskset -c 1 "$BENCH" writes --kind "$kind" --addr "127.0.0.1:$PORT" --seconds "$SECONDS_WRITES" --concurrency 64 \
      --participants 1000 --questions 200 --moderator "$TOKEN")
    stop_server
    python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(f\"| durable {d['kind']} | $BACKEND | {d['per_second']:,.0f} | {d['p50_ms']:.1f} | {d['p99_ms']:.1f} | {d['errors']} |\")" "$json"
  done
  if [ "$BACKEND" = postgres ]; then psql "$PG" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true; fi
done
