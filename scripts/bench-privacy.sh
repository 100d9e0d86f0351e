#!/usr/bin/env bash
# The privacy benchmark (run it as `scripts/bench privacy`).
#
# On a fresh database (SQLite, then PostgreSQL) with the demo loaded: an event of 5,000
# registrations, one participant with 100,000 rows of activity (45,000 signals, 30,000
# viewing intervals, 20,000 emails, 2,500 questions, 2,500 votes). Timed: that
# participant's export (SAMPLES times, p50/p99, and its size); their erasure while
# another writer keeps writing votes (p99 and longest wait of that writer: the stall the
# erasure caused); 1,000 votes written one by one alone and each with an audit entry
# (writes per second); the retention sweep of the 5,000 participants.
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${SAMPLES:-5}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
cargo build --release --locked -q -p roadshow-bench
BENCH=target/release/roadshow-bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "Roadshow privacy benchmark — commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
echo "| database | seeding | export p50 / p99 (size) | erasure (rows changed) | other writer during erasure p99 / longest | votes/s alone / each audited | retention sweep |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
mkdir -p "$WORK/sqlite" "$WORK/postgres"
"$BENCH" privacy --database-url "sqlite://$WORK/sqlite/privacy.db" --data "$WORK/sqlite" --samples "$SAMPLES"
if command -v psql >/dev/null; then
  name=roadshow_bench_privacy
  psql "$PG" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null 2>&1
  "$BENCH" privacy --database-url "${PG%/*}/$name" --data "$WORK/postgres" --samples "$SAMPLES"
  psql "$PG" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1
fi
