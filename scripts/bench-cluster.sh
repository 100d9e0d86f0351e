#!/usr/bin/env bash
# The scale-out benchmark (run it as `scripts/bench cluster`).
#
# Three `roadshow serve` processes on one PostgreSQL database behind HAProxy (Debian's
# package), all on loopback. CLIENTS followers (9,000) open the event's live stream through
# HAProxy (round robin: 3,000 a process); UPDATES questions are approved through the first
# process, one every 200 ms; half-way the third process is killed with SIGKILL and its
# followers reconnect through HAProxy with Last-Event-ID. Reported: delivery from the
# approval's answer to each follower (p50/p99/max), messages lost and repeated, followers
# that reconnected; then wrong passwords for one account through HAProxy (so to each
# process in turn) until the limit refuses them, counted across the three.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-9000}
UPDATES=${UPDATES:-40}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
PROXY_PORT=18300
PORTS=(18301 18302 18303)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if ! command -v haproxy >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
fi
cargo build --release --locked -q -p roadshow -p roadshow-bench
BIN=target/release/roadshow
BENCH=target/release/roadshow-bench
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# A database of its own, dropped afterwards.
DB=roadshow_cluster_bench
ROOT=${PG%/*}
psql "$PG" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null 2>&1
URL="$ROOT/$DB"

wait_port() {
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done
  echo "nothing listens on $1" >&2; exit 1
}

mkdir -p "$WORK/data"
ROADSHOW_DATABASE_URL="$URL" ROADSHOW_LOG=warn "$BIN" demo --load-only --data "$WORK/data" >/dev/null
PIDS=()
for port in "${PORTS[@]}"; do
  ROADSHOW_DATABASE_URL="$URL" ROADSHOW_LOG=warn ROADSHOW_TRUSTED_PROXIES=127.0.0.1 \
    ROADSHOW_REGISTRATIONS_PER_MINUTE=100000000 ROADSHOW_WRITES_PER_MINUTE=100000000 \
    ROADSHOW_QUESTIONS_PER_MINUTE=100000000 ROADSHOW_STREAMS_PER_ADDRESS=100000000 \
    "$BIN" serve --data "$WORK/data-$port" --addr "127.0.0.1:$port" >"$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
done
for port in "${PORTS[@]}"; do wait_port "$port"; done

cat >"$WORK/haproxy.cfg" <<CFG
global
    # Two descriptors a connection; 9,700 stays under a hard limit of 20,000.
    maxconn 9700
defaults
    mode http
    timeout connect 2s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    option forwardfor
    option redispatch
    retries 3
frontend roadshow
    bind 127.0.0.1:$PROXY_PORT
    maxconn 9700
    default_backend roadshow
backend roadshow
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2 maxconn 20000
    server a 127.0.0.1:${PORTS[0]} check
    server b 127.0.0.1:${PORTS[1]} check
    server c 127.0.0.1:${PORTS[2]} check
CFG
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
wait_port "$PROXY_PORT"
sleep 1.5  # the health checks mark the three up

TOKEN=$(ROADSHOW_DATABASE_URL="$URL" "$BIN" token create --data "$WORK/data" --email moderator@roadshow.example)
RESULT=$("$BENCH" cluster --proxy "127.0.0.1:$PROXY_PORT" --writer "127.0.0.1:${PORTS[0]}" \
  --clients "$CLIENTS" --updates "$UPDATES" --victim-pid "${PIDS[2]}" --moderator "$TOKEN")
LIMIT=$("$BENCH" sign-in-limit --proxy "127.0.0.1:$PROXY_PORT" --email organiser@roadshow.example --attempts 9)

python3 - "$RESULT" "$LIMIT" <<'PY'
import json, sys
d, l = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("| followers | updates | killed at update | reconnected | deliveries | p50 ms | p99 ms | max ms | lost | repeated |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
print(f"| {d['clients']:,} | {d['updates']} | {d['killed_at_update']} | {d['reconnected_followers']:,} | {d['deliveries']:,} "
      f"| {d['delivery_from_return_p50_ms']:.1f} | {d['delivery_from_return_p99_ms']:.1f} | {d['delivery_from_return_max_ms']:.1f} | {d['lost']} | {d['repeated']} |")
print()
print("Sign-in through HAProxy, wrong password each time (status per attempt): " + " ".join(str(s) for s in l["statuses"]))
PY
kill "${PIDS[0]}" "${PIDS[1]}" 2>/dev/null || true
wait "${PIDS[0]}" "${PIDS[1]}" 2>/dev/null || true
psql "$PG" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
