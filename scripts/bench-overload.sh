#!/usr/bin/env bash
# The overload benchmark (run it as `scripts/bench overload`): the demo event seeded with
# 5,000 questions (2,000 of them answered), then 64 clients reading the staff's heaviest
# read as fast as they can for OVERLOAD_SECONDS (default 60): the question list's largest
# page (`?limit=500`; before paging existed, the whole list) and, in a second round, the
# questions' CSV export. Reported per round: answers/s, 503s, other failures, `/healthz`
# and event-page p99 measured during the load, the server's RSS idle, at its peak, and
# 30 s after the load stopped. SQLite and PostgreSQL (OVERLOAD_DATABASES="sqlite" for one).
# Server pinned to core 0, load to core 1, loopback only. ROADSHOW_BENCH_BIN measures
# another build the same way.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; else echo "install wrk" >&2; exit 1; fi
fi
cargo build --release --locked -q
BIN=${ROADSHOW_BENCH_BIN:-target/release/roadshow}
WORK=$(mktemp -d)
PORT=18187
SECONDS_LOAD=${OVERLOAD_SECONDS:-60}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
SCHEMA=""
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "$SCHEMA" ] && psql "$PG" -qc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

# wrk runs `response` in its own thread state: count the statuses there and report them.
cat > "$WORK/count.lua" <<'LUA'
ok, shed, other = 0, 0, 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body)
  if status == 200 then ok = ok + 1 elseif status == 503 then shed = shed + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  local o, s, x = 0, 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); s = s + t:get("shed"); x = x + t:get("other") end
  io.write(string.format("RESULT %d %d %d %.1f %d\n", o, s, x, o / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

start_server() { # $1 database url
  ROADSHOW_DATABASE_URL="$1" ROADSHOW_LOG=error ROADSHOW_REGISTRATIONS_PER_MINUTE=100000000 \
    ROADSHOW_WRITES_PER_MINUTE=100000000 ROADSHOW_QUESTIONS_PER_MINUTE=100000000 \
    taskset -c 0 "$BIN" demo --data "$WORK/data" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$SERVER/status"; }
peak_mb() { awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$SERVER/status"; }

round() { # $1 label, $2 path
  local before line ok shed other rps errors probe
  before=$(rss_mb)
  # The probe: /healthz and the event page, one request after the other, timed.
  python3 - "$PORT" "$SECONDS_LOAD" >"$WORK/probe.out" <<'PY' &
import sys, time, urllib.request
port, seconds = int(sys.argv[1]), float(sys.argv[2])
base = f"http://127.0.0.1:{port}"
times = {"/healthz": [], "/events/two-zones-germany": []}
end = time.time() + seconds
while time.time() < end:
    for path in times:
        t = time.perf_counter()
        try:
            urllib.request.urlopen(base + path, timeout=30).read()
        except Exception:
            pass
        times[path].append((time.perf_counter() - t) * 1000)
    time.sleep(0.05)
def p99(v):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * 0.99))] if v else float("nan")
print(f"{p99(times['/healthz']):.1f} {p99(times['/events/two-zones-germany']):.1f}")
PY
  probe=$!
  line=$(taskset -c 1 wrk -t1 -c64 -d"${SECONDS_LOAD}s" --timeout 30s -H "Authorization: Bearer $TOKEN" \
    -s "$WORK/count.lua" "http://127.0.0.1:$PORT$2" | grep '^RESULT')
  wait "$probe"
  read -r _ ok shed other rps errors <<<"$line"
  read -r health page <"$WORK/probe.out"
  local peak after
  peak=$(peak_mb)
  sleep 30
  after=$(rss_mb)
  echo "| $1 | $BACKEND | $rps | $shed | $((other + errors)) | $health | $page | $before | $peak | $after |"
}

bench() { # $1 backend label, $2 database url
  BACKEND=$1
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  start_server "$2"
  TOKEN=$(ROADSHOW_DATABASE_URL="$2" "$BIN" token create --email organiser@roadshow.example --data "$WORK/data")
  python3 scripts/overload_seed.py "http://127.0.0.1:$PORT" "$TOKEN" >&2
  round "staff question list, largest page" "/api/v1/events/two-zones-germany/questions?limit=500"
  round "questions CSV export" "/api/v1/events/two-zones-germany/questions.csv"
  stop_server
}

echo "Roadshow overload — $("$BIN" --version 2>/dev/null || echo roadshow) $(git rev-parse --short HEAD), $(nproc) cores, $(date -u +%F), ${SECONDS_LOAD}s per round, 64 clients, 5,000 questions (2,000 answered)"
echo
echo "| staff read hammered | database | answers/s | 503s | other failures | /healthz p99 ms | event page p99 ms | RSS idle MB | RSS peak MB | RSS 30 s after MB |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for db in ${OVERLOAD_DATABASES:-sqlite postgres}; do
  case "$db" in
    sqlite) bench sqlite "sqlite://$WORK/data/roadshow.db" ;;
    postgres)
      SCHEMA="bench_overload_$$"
      psql "$PG" -qc "CREATE SCHEMA $SCHEMA" >/dev/null
      bench postgres "$PG?options=-c%20search_path%3D$SCHEMA" ;;
  esac
done
