#!/usr/bin/env bash
# HTTP benchmark: OpenESIA's /healthz against nginx serving the same JSON body, in one run, same machine,
# with and without access logs; plus the server's memory idle and with 1,000 keep-alive connections.
# Appends a table to BENCHMARKS.md. Needs wrk and nginx (make bench installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${BENCH_SECONDS:-15}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
PORT_APP=${BENCH_APP_PORT:-18080}
PORT_NGINX=${BENCH_NGINX_PORT:-18081}
WORK=$(mktemp -d /tmp/openesia-bench.XXXXXX)
ulimit -n 65536 2>/dev/null || true

swift build -c release --product openesia >/dev/null
BIN=.build/release/openesia
"$BIN" init --data "$WORK/data" >/dev/null

APP_PID=""; NGINX_STARTED=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [ -n "$NGINX_STARTED" ] && nginx -p "$WORK/nginx" -c nginx.conf -s stop 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_app() { # $1 = true|false access log
  OPENESIA_HTTP_PORT=$PORT_APP OPENESIA_HTTP_EVENT_LOOPS=2 OPENESIA_HTTP_ACCESS_LOG=$1 OPENESIA_LOG_LEVEL=warning \
    "$BIN" serve --config "$WORK/data/config.json" >"$WORK/app-$1.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT_APP/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server did not start" >&2; cat "$WORK/app-$1.log" >&2; exit 1
}
stop_app() { kill -TERM "$APP_PID"; wait "$APP_PID" || true; APP_PID=""; }

start_nginx() { # $1 = on|off access log
  mkdir -p "$WORK/nginx/logs"
  local log="access_log off;"
  # The same fields as OpenESIA's access line (request id, route, duration in ms, remote with port), 64 KiB buffers on both sides.
  [ "$1" = on ] && log="log_format j escape=json '{\"time\":\"\$time_iso8601\",\"level\":\"info\",\"msg\":\"request\",\"request_id\":\"\$request_id\",\"method\":\"\$request_method\",\"path\":\"\$uri\",\"route\":\"\$uri\",\"status\":\$status,\"duration_s\":\$request_time,\"remote\":\"\$remote_addr:\$remote_port\"}'; access_log $WORK/nginx/logs/access.log j buffer=64k flush=1s;"
  cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  $log
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$PORT_NGINX reuseport;
    location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
NGINX
  nginx -p "$WORK/nginx" -c nginx.conf
  NGINX_STARTED=1
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT_NGINX/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "nginx did not start" >&2; exit 1
}
stop_nginx() { nginx -p "$WORK/nginx" -c nginx.conf -s stop; NGINX_STARTED=""; sleep 0.5; }

run_wrk() { # $1 = port; prints "rps p50_ms p99_ms"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$1/healthz" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v); n = float(m.group(1))
    return n / 1000 if m.group(2) == "us" else n * 1000 if m.group(2) == "s" else n
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: sys.exit("wrk saw non-2xx responses: " + errors.group(1))
print(f"{rps:.0f} {p50:.3f} {p99:.3f}")'
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

declare -A RESULT
for mode in off on; do
  start_nginx "$mode"; RESULT[nginx_$mode]=$(run_wrk $PORT_NGINX); stop_nginx
  flag=false; [ "$mode" = on ] && flag=true
  start_app "$flag"; RESULT[app_$mode]=$(run_wrk $PORT_APP); stop_app
done

# Memory: idle after start, then with 1,000 keep-alive connections that each made one request.
start_app false
sleep 1
IDLE_KIB=$(rss_kib "$APP_PID")
HELD_KIB=$(python3 - "$PORT_APP" "$APP_PID" <<'PY'
import socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
conns = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n")
    conns.append(s)
for s in conns:
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
time.sleep(1)
rss = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]
print(rss)
for s in conns: s.close()
PY
)
stop_app

python3 - "$DURATION" "$CONNECTIONS" "$IDLE_KIB" "$HELD_KIB" "${RESULT[nginx_off]}" "${RESULT[app_off]}" "${RESULT[nginx_on]}" "${RESULT[app_on]}" <<'PY' | tee -a BENCHMARKS.md
import datetime, os, platform, sys
duration, conns, idle, held = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = [("off",) + tuple(sys.argv[5].split()) + tuple(sys.argv[6].split()),
        ("on",) + tuple(sys.argv[7].split()) + tuple(sys.argv[8].split())]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
print(f"\n## HTTP /healthz, {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC\n")
print(f"{os.cpu_count()} cores ({cpu}); wrk -t2 -c{conns} -d{duration}s, keep-alive, same run for both servers. "
      "OpenESIA: release build, 2 event loops, request ids and metrics on. nginx: 2 workers, keepalive_requests 1000000. "
      "With logs on, both write the same JSON fields per request (time, level, msg, request id, method, path, route, status, "
      "duration, remote address and port) through 64 KiB buffers.\n")
print("| access log | nginx req/s | OpenESIA req/s | ratio | nginx p50 ms | OpenESIA p50 ms | nginx p99 ms | OpenESIA p99 ms | p99 ratio |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for mode, nr, n50, n99, ar, a50, a99 in rows:
    print(f"| {mode} | {float(nr):,.0f} | {float(ar):,.0f} | {float(ar)/float(nr):.2f} | {n50} | {a50} | {n99} | {a99} | {float(a99)/float(n99):.2f} |")
print(f"\nOpenESIA RSS: idle {idle/1024:.1f} MiB; with 1,000 open keep-alive connections {held/1024:.1f} MiB.")
print("Targets: req/s ratio >= 0.90 in both modes, p99 ratio <= 1.5, RSS <= 40 MiB idle and <= 200 MiB with 1,000 connections.")
PY
