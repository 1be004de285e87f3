#!/usr/bin/env bash
# OpenID Connect benchmark (issue 6): client_credentials tokens/s (ES256), introspections/s, full code flows/s
# (authorize with a live session -> token -> userinfo) and refresh grants/s on loopback, 64 keep-alive connections
# over 2 threads (oidc-load), each with p50/p99; beside them OpenSSL's ES256 sign and verify rates on one thread
# (openesia dev measure-jws) from the same run. Appends a "## OpenID Connect" table to BENCHMARKS.md.
# BENCH_OIDC_SECONDS (default 10) per phase; BENCH_OIDC_APPEND=0 prints the table without appending it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_PHASE=${BENCH_OIDC_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
SESSIONS=${BENCH_OIDC_SESSIONS:-64}
PORT=${BENCH_OIDC_PORT:-18090}
APPEND=${BENCH_OIDC_APPEND:-1}
PASSWORD="Seed-Password-2026"
REDIRECT="http://127.0.0.1:9/cb"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/openesia-bench-oidc.XXXXXX)
ulimit -n 65536 2>/dev/null || true

swift build -c release --product openesia >/dev/null
swift build -c release --product oidc-load >/dev/null
BIN=.build/release/openesia
LOAD=.build/release/oidc-load
CONFIG="$WORK/data/config.json"
export OPENESIA_LOG_LEVEL=warning OPENESIA_HTTP_PORT=$PORT OPENESIA_SERVICE_ISSUER=http://127.0.0.1:$PORT

APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" init --data "$WORK/data" >/dev/null 2>&1
"$BIN" dev seed --config "$CONFIG" --citizens "$SESSIONS" --password "$PASSWORD" >/dev/null
"$BIN" portal add --config "$CONFIG" --client-id bench --name "Benchmark portal" --redirect-uri "$REDIRECT" \
  --scopes "openid fullname" >"$WORK/portal.txt" 2>&1 || { cat "$WORK/portal.txt" >&2; exit 1; }
# The secret is printed once, alone on an indented line.
SECRET=$(grep -E '^  [A-Za-z0-9_-]{20,}$' "$WORK/portal.txt" | tr -d ' ' | head -n 1 || true)
[ -n "$SECRET" ] || { echo "no client secret in 'portal add' output:" >&2; cat "$WORK/portal.txt" >&2; exit 1; }

OPENESIA_HTTP_EVENT_LOOPS=2 OPENESIA_HTTP_ACCESS_LOG=false "$BIN" serve --config "$CONFIG" >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "server did not start" >&2; cat "$WORK/app.log" >&2; exit 1; }

echo "Logging $SESSIONS citizens in, then $SECONDS_PER_PHASE s per phase..." >&2
OIDC_LOAD_CLIENT_SECRET=$SECRET "$LOAD" --port "$PORT" --client-id bench --redirect-uri "$REDIRECT" \
  --seconds "$SECONDS_PER_PHASE" --connections "$CONNECTIONS" --threads 2 --sessions "$SESSIONS" --password "$PASSWORD" \
  >"$WORK/load.jsonl" || { echo "oidc-load failed" >&2; tail -n 20 "$WORK/app.log" >&2; exit 1; }
SERVER_RSS=$(awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status")
kill -TERM "$APP_PID"; wait "$APP_PID" || true; APP_PID=""

# The signature ceiling, measured after the load so that both do not share the cores.
"$BIN" dev measure-jws --seconds 1 2>/dev/null | grep '"ES256"' >"$WORK/jws.jsonl" || true

python3 - "$WORK/load.jsonl" "$WORK/jws.jsonl" "$LOAD_BEFORE" "$SECONDS_PER_PHASE" "$CONNECTIONS" "$SESSIONS" "$SERVER_RSS" <<'PY' >"$WORK/table.md"
import datetime, json, os, platform, sys
load_file, jws_file, load_before, seconds, connections, sessions, rss = sys.argv[1:8]
phases = {p["measure"]: p for p in map(json.loads, open(load_file).read().split("\n")[:-1])}
jws = [json.loads(line) for line in open(jws_file) if line.strip()]
load_after = " ".join(open("/proc/loadavg").read().split()[:3])
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
ok = lambda good: "yes" if good else "**NO**"
targets = {"client_credentials": 15000, "introspection": 25000, "code_flow": 1500, "refresh": None}
names = {"client_credentials": "client_credentials tokens (ES256)", "introspection": "introspections (client_credentials tokens)",
         "code_flow": "full code flows (authorize → token → userinfo)", "refresh": "refresh grants (rotating)"}
print(f"\n## OpenID Connect, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC\n")
print(f"{os.cpu_count()} cores ({model}); load average {load_before} before, {load_after} after. Release build, 2 event loops, "
      f"access log off, SQLite WAL synchronous=FULL. oidc-load: {connections} keep-alive connections over 2 threads on the same "
      f"machine, {seconds} s per phase, {sessions} logged-in citizens (logins before the phases, no scrypt inside them). "
      f"Server RSS after the run: {int(rss) / 1024:.1f} MiB.\n")
print("| measure | per second | p50 ms | p99 ms | per request p50 / p99 ms | failed | target | met |")
print("|---|---:|---:|---:|---:|---:|---|---|")
for key in ["client_credentials", "introspection", "code_flow", "refresh"]:
    p = phases.get(key)
    if not p:
        continue
    target = targets[key]
    # The p99 target is per request: at the 1,500 flows/s floor, 64 connections in a closed loop give a mean flow
    # latency of 64 / 1,500 = 43 ms (Little's law), so a flow-level p99 of 20 ms would contradict the rate target.
    p99 = p.get("request_p99_ms", p["p99_ms"])
    met = ok((target is None or p["per_second"] >= target) and p99 <= 20 and p["failed"] == 0)
    shown = (f"≥ {target:,}/s, p99 ≤ 20 ms" if target else "p99 ≤ 20 ms") + (" per request" if key == "code_flow" else "")
    per_request = f"{p.get('request_p50_ms', 0):.2f} / {p.get('request_p99_ms', 0):.2f}"
    print(f"| {names[key]} | {p['per_second']:,} | {p['p50_ms']:.2f} | {p['p99_ms']:.2f} | {per_request} | {p['failed']} | {shown} | {met} |")
for j in jws:
    print(f"| OpenSSL ES256 JWS sign, 1 thread (ceiling) | {round(j.get('sign_per_second', 0)):,} | | | | | | |")
    print(f"| OpenSSL ES256 JWS verify, 1 thread (ceiling) | {round(j.get('verify_per_second', 0)):,} | | | | | | |")
print("\nThe load generator shares the 2 cores with the server, so every figure is a lower bound of what the server alone "
      "would do. Introspection asks about the same 64 tokens over and over, which the server answers from its cache of "
      "verified tokens; a code flow is three requests (authorize: a grant and code write; token: the code spent and a "
      "refresh token written, two ES256 signatures; userinfo: the person's data read and decrypted), so its p50/p99 are "
      "those of the whole flow and the per-request column gives the single requests'. The p99 ≤ 20 ms target is checked "
      "per request: at the 1,500 flows/s floor, 64 connections in a closed loop wait 64 / 1,500 = 43 ms per flow on "
      "average (Little's law), so it cannot mean the whole flow; the flow p99 is shown beside it.")
PY
cat "$WORK/table.md"
[ "$APPEND" = 1 ] && cat "$WORK/table.md" >>BENCHMARKS.md
exit 0
