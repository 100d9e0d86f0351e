#!/usr/bin/env bash
# The eligibility benchmark (run it as `scripts/bench eligibility`): one company profile
# against POLICIES generated policies (10,000 by default) with one to five criteria each,
# ranked 300 times; the answers' mix is printed so the data is seen to test all three.
set -euo pipefail
cd "$(dirname "$0")/.."
POLICIES=${POLICIES:-10000}
cargo build --release --locked -q -p roadshow-bench
json=$(target/release/roadshow-bench eligibility --policies "$POLICIES")
echo "Roadshow eligibility benchmark — commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
python3 - "$json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
r = d["rank"]
print("| policies | criteria | rank p50 / p99 ms | eligible / nearly / not |")
print("| --- | --- | --- | --- |")
print(f"| {d['policies']:,} | {d['criteria']:,} | {r['p50_ms']:.3f} / {r['p99_ms']:.3f} | {d['eligible']} / {d['nearly_eligible']} / {d['not_eligible']} |")
PY
