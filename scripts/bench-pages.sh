#!/usr/bin/env bash
# The pages benchmark (run it as `scripts/bench pages`): requests/s and latency of the public event page and GET /api/v1/events/{slug}
#          on the demo data (SQLite and PostgreSQL), durable registrations/s through
#          the API on both, and the floor: a bare hyper server sending the same bytes. Server pinned to core 0, load generator (wrk) to core 1,
#          loopback only, bounded durations. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; else echo "install wrk" >&2; exit 1; fi
fi
cargo build --release --locked -q
# ROADSHOW_BENCH_BIN measures another build the same way (e.g. one before a change).
BIN=${ROADSHOW_BENCH_BIN:-target/release/roadshow}
WORK=$(mktemp -d)
PORT=18181
DURATION=${DURATION:-10}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

cat > "$WORK/register.lua" <<'LUA'
math.randomseed(os.time())
counter = 0
request = function()
  counter = counter + 1
  local id = tostring(math.random(1, 1000000000)) .. "-" .. counter
  local body = '{"email":"bench' .. id .. '@load.example","name":"Bench ' .. id .. '","language":"de","company":{"name":"Bench ' .. id .. ' GmbH","country":"DE","industry":"machinery","size":"10-49"},"consent":true,"consents":{"cross_border":true,"contact":true}}'
  return wrk.format("POST", "/api/v1/events/two-zones-germany/registrations", {["Content-Type"]="application/json"}, body)
end
done = function(summary, latency, requests)
  local codes = 0
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d\n", summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cat > "$WORK/get.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d\n", summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

start_server() { # $1 = database url
  ROADSHOW_DATABASE_URL="$1" ROADSHOW_LOG=warn ROADSHOW_REGISTRATIONS_PER_MINUTE=100000000 ROADSHOW_WRITES_PER_MINUTE=100000000 \
    ROADSHOW_LOGIN_FAILURES=100000000 \
    taskset -c 0 "$BIN" demo --data "$WORK/data" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }
rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$SERVER/status"; }

run() { # $1 label, $2 script, $3 path, $4 connections
  local line
  line=$(taskset -c 1 wrk -t1 -c"$4" -d"${DURATION}s" -s "$WORK/$2" "http://127.0.0.1:$PORT$3" | grep '^RESULT')
  read -r _ n rps p50 p99 errors <<<"$line"
  echo "| $1 | $BACKEND | $4 | $rps | $p50 | $p99 | $errors |"
}

# Sign-ins are argon2 (tens of milliseconds of CPU each): the event page while 20 of them
# run at once, against the page alone at the same load. Both load generators on core 1.
signins() {
  local jar="$WORK/cookies" token cookie
  token=$(curl -fs -c "$jar" "http://127.0.0.1:$PORT/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  cookie=$(awk '$6 == "rs_csrf" {print "rs_csrf=" $7}' "$jar")
  cat > "$WORK/login.lua" <<LUA
wrk.method = "POST"
wrk.body = "csrf=$token&email=organiser%40roadshow.example&password=roadshow-demo-2026&next=%2Fadmin"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$cookie"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d\n", summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
  run "event page alone (for the line below)" get.lua "/events/two-zones-germany" 10
  taskset -c 1 wrk -t1 -c20 -d"$((DURATION + 2))s" -s "$WORK/login.lua" "http://127.0.0.1:$PORT/login" >"$WORK/login.out" &
  local logins=$!
  sleep 1
  run "event page while 20 sign-ins run" get.lua "/events/two-zones-germany" 10
  wait "$logins"
  read -r _ n rps p50 p99 errors <<<"$(grep '^RESULT' "$WORK/login.out")"
  echo "| the 20 sign-ins POST /login (303 each) | $BACKEND | 20 | $rps | $p50 | $p99 | $errors |"
}

# The peer: pretalx (PyPI) on SQLite with its own test event, 2 gunicorn workers on core 0.
PTX="$PWD/target/bench-pretalx"
setup_pretalx() {
  mkdir -p "$PTX/data"
  [ -x "$PTX/venv/bin/gunicorn" ] || { python3 -m venv "$PTX/venv" && "$PTX/venv/bin/pip" install -q --disable-pip-version-check pretalx gunicorn Faker freezegun; }
  printf '[filesystem]\ndata = %s/data\n[site]\ndebug = False\nurl = http://127.0.0.1:8345\n[database]\nbackend = sqlite3\n' "$PTX" > "$PTX/pretalx.cfg"
  export PRETALX_CONFIG_FILE="$PTX/pretalx.cfg"
  if [ ! -f "$PTX/ready" ]; then
    "$PTX/venv/bin/python" -m pretalx migrate >/dev/null
    DJANGO_SUPERUSER_EMAIL=admin@example.org DJANGO_SUPERUSER_PASSWORD="bench-$RANDOM-$RANDOM" PRETALX_INIT_ORGANISER_NAME=Demo \
      PRETALX_INIT_ORGANISER_SLUG=demo "$PTX/venv/bin/python" -m pretalx init --noinput >/dev/null
    "$PTX/venv/bin/python" -m pretalx rebuild --npm-install >/dev/null 2>&1 || "$PTX/venv/bin/python" -m pretalx rebuild --npm-install >/dev/null
    "$PTX/venv/bin/python" -m pretalx create_test_event --stage schedule --seed 1 >/dev/null
    touch "$PTX/ready"
  fi
}

echo "Roadshow pages benchmark — commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
echo "| what | database | connections | requests/s | p50 ms | p99 ms | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for BACKEND in sqlite postgres; do
  if [ "$BACKEND" = sqlite ]; then URL="sqlite://$WORK/data/roadshow.db"; mkdir -p "$WORK/data"; else
    SCHEMA="bench$RANDOM$RANDOM"
    psql "$PG" -qc "CREATE SCHEMA $SCHEMA" >/dev/null
    URL="$PG?options=-c%20search_path%3D$SCHEMA"
  fi
  start_server "$URL"
  # The bytes an anonymous visitor gets, for the floor below.
  curl -fs "http://127.0.0.1:$PORT/events/two-zones-germany" >"$WORK/page.html"
  curl -fs "http://127.0.0.1:$PORT/api/v1/events/two-zones-germany" >"$WORK/event.json"
  run "event page GET /events/two-zones-germany" get.lua "/events/two-zones-germany" 50
  run "event JSON GET /api/v1/events/two-zones-germany" get.lua "/api/v1/events/two-zones-germany" 50
  run "durable registrations POST (201 each)" register.lua "/" 16
  if [ "$BACKEND" = sqlite ]; then signins; fi
  echo "| peak RSS of the server | $BACKEND | | $(( $(rss_kb) / 1024 )) MB | | | |"
  stop_server
  if [ "$BACKEND" = postgres ]; then psql "$PG" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1; fi
done

# The floor: a bare hyper server (crates/bench) sending the same bytes, pinned and loaded
# the same way. Roadshow's figures above are shares of these.
BACKEND="bare hyper (floor)"
start_floor() { # $1 file, $2 content type
  taskset -c 0 target/release/roadshow-bench floor --addr "127.0.0.1:$PORT" --file "$1" --content-type "$2" >"$WORK/floor.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "floor server did not start" >&2; exit 1
}
start_floor "$WORK/page.html" "text/html; charset=utf-8"
run "floor: the event page's $(wc -c <"$WORK/page.html") bytes" get.lua "/events/two-zones-germany" 50
stop_server
start_floor "$WORK/event.json" "application/json"
run "floor: the event JSON's $(wc -c <"$WORK/event.json") bytes" get.lua "/api/v1/events/two-zones-germany" 50
stop_server

# The peer (PEER=0 skips it: installing pretalx takes minutes).
if [ "${PEER:-1}" = 1 ]; then
setup_pretalx
(cd "$PTX" && taskset -c 0 "$PTX/venv/bin/gunicorn" pretalx.wsgi --bind 127.0.0.1:8345 --workers 2 >"$WORK/pretalx.log" 2>&1) &
for _ in $(seq 1 200); do curl -fs http://127.0.0.1:8345/democon/schedule/ >/dev/null 2>&1 && break; sleep 0.2; done
BACKEND="pretalx (sqlite)"
PORT=8345
run "peer: pretalx schedule page /democon/schedule/" get.lua "/democon/schedule/" 50
run "peer: pretalx schedule JSON" get.lua "/democon/schedule/export/schedule.json" 50
pkill -f "gunicorn pretalx.wsgi --bind 127.0.0.1:8345" || true
fi
