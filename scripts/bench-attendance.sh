#!/usr/bin/env bash
# The attendance benchmark (run it as `scripts/bench attendance`).
#
# 20,000 registrations of one live event, on a fresh database (SQLite, then PostgreSQL).
# Every viewer's player beats once a minute, compressed in time: MINUTES minutes of beats
# go through the store call the heartbeat writer makes (groups of up to 1,000 folded into
# viewing intervals in one transaction): heartbeats/s and each group's commit time; then
# a burst of one beat per viewer; then, in the same run, a plain writer inserting each
# heartbeat in its own transaction (the baseline); then the attendance summary of 20,000
# viewers over 180 minutes as the API asks for it (the use case: viewing read, folded into
# the figures with a six-session agenda, the longest viewers named), 30 times; the
# database's growth per viewer-hour of beats. Last, 1,000 SSE clients follow the demo
# event's live stream while 40 updates go through the API, once quiet and once with
# HEARTBEAT_RATE heartbeats a second going through the heartbeat use case (1,667/s is
# 100,000 viewers' steady load); the latency is when the last client got each update.
set -euo pipefail
cd "$(dirname "$0")/.."
VIEWERS=${VIEWERS:-20000}
MINUTES=${MINUTES:-5}
CLIENTS=${CLIENTS:-1000}
HEARTBEAT_RATE=${HEARTBEAT_RATE:-1667}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cargo build --release --locked -q -p roadshow-bench
BENCH=target/release/roadshow-bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
run() { # database_url data_folder
  "$BENCH" attendance --database-url "$1" --data "$2" --viewers "$VIEWERS" --minutes "$MINUTES" \
    --clients "$CLIENTS" --heartbeat-rate "$HEARTBEAT_RATE" >>"$WORK/rows"
}
mkdir -p "$WORK/sqlite" "$WORK/postgres"
run "sqlite://$WORK/sqlite/attendance.db" "$WORK/sqlite"
if command -v psql >/dev/null; then
  name=roadshow_bench_attendance
  psql "$PG" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  run "${PG%/*}/$name" "$WORK/postgres"
  psql "$PG" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
fi
echo "Roadshow attendance benchmark — commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
echo "$VIEWERS viewers, $MINUTES minutes of beats; summary of $VIEWERS × 180 min, 30 samples."
echo
echo "| database | sustained ingest | group commit p50 / p99 | burst of $VIEWERS | plain INSERT per heartbeat | summary p50 / p99 | growth per viewer-hour |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
grep '^summary' "$WORK/rows" | cut -f2
echo
echo "Live delivery to $CLIENTS followers of the demo event, 40 updates: when the last client got each update."
echo
echo "| database | followers | heartbeats/s meanwhile | from call start p50 / p99 ms, quiet | with heartbeats | from call return p50 / p99 ms, quiet | with heartbeats | lost |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
grep '^delivery' "$WORK/rows" | cut -f2
