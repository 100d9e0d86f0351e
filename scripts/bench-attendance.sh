#!/usr/bin/env bash
# The attendance benchmark (run it as `scripts/bench attendance`).
#
# 20,000 registrations of one live event, on a fresh database (SQLite, then PostgreSQL).
# Every viewer's player beats once a minute, compressed in time: MINUTES minutes of beats
# go through the store call the heartbeat writer makes (groups of up to 1,000 folded into
# viewing intervals in one transaction): heartbeats/s and each group's commit time; then
# a burst of one beat per viewer; then, in the same run, a plain writer inserting each
# heartbeat in its own transaction (the baseline); then the attendance summary (the
# viewing read and folded into figures) of 20,000 viewers over 180 minutes, 30 times; and
# the database's growth per viewer-hour of beats.
set -euo pipefail
cd "$(dirname "$0")/.."
VIEWERS=${VIEWERS:-20000}
MINUTES=${MINUTES:-5}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
cargo build --release --locked -q -p roadshow-bench
BENCH=target/release/roadshow-bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "| database | load | sustained ingest | burst | baseline | summary | growth |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
"$BENCH" attendance --database-url "sqlite://$WORK/attendance.db" --viewers "$VIEWERS" --minutes "$MINUTES"
name=roadshow_bench_attendance
psql "$PG" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
"$BENCH" attendance --database-url "${PG%/*}/$name" --viewers "$VIEWERS" --minutes "$MINUTES"
psql "$PG" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
echo
echo "($(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $(date -u +%Y-%m-%d))"
