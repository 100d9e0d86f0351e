#!/usr/bin/env bash
# scripts/bench schedule: the meeting scheduler on 22 seeded generated instances (small,
# medium, scarce, dense, large; SCHEDULE_SHAPES=scarce,dense runs some shapes) against
# HiGHS (exact MILP, from PyPI's highspy in a virtual environment under target/) and a
# plain greedy. Prints a Markdown table per instance and one per shape.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p roadshow
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import highspy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q highspy numpy
fi
exec "$venv/bin/python" scripts/bench_schedule.py
