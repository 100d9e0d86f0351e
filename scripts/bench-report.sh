#!/usr/bin/env bash
# The report benchmark (run it as `scripts/bench report`).
#
# On a fresh database (SQLite, then PostgreSQL) with the demo loaded, a generated event of
# the demo agency: 5,000 registrations of 2,500 companies from eight countries, the viewing
# of 1,000,000 heartbeats (200 minutes per viewer, folded into intervals), 20,000
# questions, 100,000 votes, 2,000 meeting requests and 1,000 leads. Then, SAMPLES times
# each: the report's use case in process (first call and p50/p99), and over HTTP on
# loopback the JSON (`/api/v1/events/{slug}/report`), the page (with a sign-in cookie) and
# the XLSX workbook, and the PDF in each language (its first render in the process, then
# SAMPLES warm ones); the process's peak memory (VmHWM). REPORT_BENCH_PARTS=1 also prints
# each read's time on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${SAMPLES:-30}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
cargo build --release --locked -q -p roadshow-bench
BENCH=target/release/roadshow-bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "Roadshow report benchmark — commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
echo "| database | seeding | use case, first call ms | use case p50 / p99 ms | JSON p50 / p99 ms | page p50 / p99 ms | XLSX p50 / p99 ms | PDF p50 / p99 ms per language | peak memory |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
mkdir -p "$WORK/sqlite" "$WORK/postgres"
"$BENCH" report --database-url "sqlite://$WORK/sqlite/report.db" --data "$WORK/sqlite" --samples "$SAMPLES"
if command -v psql >/dev/null; then
  name=roadshow_bench_report
  psql "$PG" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null 2>&1
  "$BENCH" report --database-url "${PG%/*}/$name" --data "$WORK/postgres" --samples "$SAMPLES"
  psql "$PG" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1
fi
