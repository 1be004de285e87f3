#!/usr/bin/env bash
# Citizens benchmark: seed BENCH_CITIZENS synthetic citizens (default 1,000,000), then measure
#   - seed time and rate, database bytes per citizen;
#   - SNILS lookups through the blind index, in process (openesia dev measure-lookups);
#   - the scrypt reference: 2 threads hashing in a loop at the configured cost (openesia dev scrypt-reference);
#   - password logins over HTTP (POST /api/v1/sessions, wrk with a generated Lua script) beside that reference;
#   - overload: clients that wait 1 s after each answer (as Retry-After: 1 asks), enough of them to offer well over
#     2× the reference, against the default worker queue (64 jobs, 1 s queue timeout): the excess must get 503 quickly,
#     nothing may time out;
#   - a flood, for information: 512 connections that never wait, so 503s are retried at once.
# Appends a section to BENCHMARKS.md and prints it. Needs wrk, curl and python3 (make bench installs wrk).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
CITIZENS=${BENCH_CITIZENS:-1000000}
SAMPLES=${BENCH_LOOKUP_SAMPLES:-20000}
REFERENCE_SECONDS=${BENCH_SCRYPT_SECONDS:-10}
DURATION=${BENCH_SECONDS:-15}
LOGIN_CONNECTIONS=${BENCH_LOGIN_CONNECTIONS:-8}
OVERLOAD_CONNECTIONS=${BENCH_OVERLOAD_CONNECTIONS:-} # default: workers + queue + 3 × the reference hashes/s
FLOOD_CONNECTIONS=${BENCH_FLOOD_CONNECTIONS:-512}
OVERLOAD_QUEUE=${BENCH_OVERLOAD_QUEUE:-64}
PORT=${BENCH_CITIZENS_PORT:-18090}
COST=${OPENESIA_CITIZENS_PASSWORD_COST_LOG2:-15}
WORKERS=${OPENESIA_HTTP_WORKER_THREADS:-8}
PASSWORD=Seed-Password-2026
WORK=$(mktemp -d /tmp/openesia-bench-citizens.XXXXXX)
ulimit -n 65536 2>/dev/null || true

APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

swift build -c release --product openesia >/dev/null
BIN=.build/release/openesia
"$BIN" init --data "$WORK/data" >/dev/null 2>&1
CONFIG="$WORK/data/config.json"
export OPENESIA_LOG_LEVEL=warning OPENESIA_CITIZENS_PASSWORD_COST_LOG2=$COST OPENESIA_HTTP_WORKER_THREADS=$WORKERS

# 1. Seed. The process closes the database on exit, which checkpoints the WAL into the main file.
echo "Seeding $CITIZENS citizens..." >&2
started=$(now)
timeout 900 "$BIN" dev seed --config "$CONFIG" --citizens "$CITIZENS" >"$WORK/seed.txt" 2>"$WORK/seed.log" \
  || { echo "seeding failed" >&2; cat "$WORK/seed.log" >&2; exit 1; }
SEED_SECONDS=$(python3 -c "print(f'{$(now) - $started:.1f}')")
DB_BYTES=$(cat "$WORK"/data/openesia.sqlite3* | wc -c)

# 2. Lookups by SNILS, in process.
echo "Measuring $SAMPLES SNILS lookups..." >&2
# Log lines (the development-keys warning) go to stdout too: the measurement is the last line.
timeout 300 "$BIN" dev measure-lookups --config "$CONFIG" --samples "$SAMPLES" >"$WORK/lookups.txt" 2>&1 \
  || { echo "lookups failed" >&2; cat "$WORK/lookups.txt" >&2; exit 1; }
LOOKUPS=$(tail -n 1 "$WORK/lookups.txt")

# 3. The reference: two scrypt hashes computing in parallel in a loop, at the configured cost. Measured in two halves,
# just before and just after the login run, so other work on a shared machine weighs on both alike.
reference() {
  timeout 120 "$BIN" dev scrypt-reference --seconds $(((REFERENCE_SECONDS + 1) / 2)) --threads 2 --cost-log2 "$COST"
}

# 4 and 5. Logins over HTTP. The Lua script logs in random seeded citizens by SNILS and counts statuses per thread.
cat >"$WORK/login.lua" <<LUA
local citizens, password = $CITIZENS, "$PASSWORD"
local threads = {}
counts = {}
think = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + tid)
  think = tonumber(args[1] or "0")
end

-- Milliseconds a connection waits after each answer before its next request.
function delay()
  return think
end

local function snils(n)
  local first = string.format("%09d", 2000000 + n)
  local sum = 0
  for i = 1, 9 do sum = sum + tonumber(first:sub(i, i)) * (10 - i) end
  local check = sum % 101
  if check == 100 then check = 0 end
  return first .. string.format("%02d", check)
end

local headers = { ["Content-Type"] = "application/json" }

function request()
  local body = '{"login":"' .. snils(math.random(0, citizens - 1)) .. '","password":"' .. password .. '"}'
  return wrk.format("POST", "/api/v1/sessions", headers, body)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d %d\n", status, n)) end
end
LUA

start_app() { # extra environment as arguments
  env OPENESIA_HTTP_PORT="$PORT" OPENESIA_HTTP_EVENT_LOOPS=2 OPENESIA_HTTP_ACCESS_LOG=false "$@" \
    "$BIN" serve --config "$CONFIG" >"$WORK/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server did not start" >&2; cat "$WORK/app.log" >&2; exit 1
}
stop_app() { kill -TERM "$APP_PID"; wait "$APP_PID" || true; APP_PID=""; }

run_wrk() { # $1 = connections, $2 = milliseconds each connection waits after an answer; prints one JSON line
  timeout $((DURATION + 30)) wrk -t2 -c"$1" -d"${DURATION}s" --timeout 5s --latency -s "$WORK/login.lua" \
    "http://127.0.0.1:$PORT" -- "$2" >"$WORK/wrk-$1-$2.txt"
  python3 - "$WORK/wrk-$1-$2.txt" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v); n = float(m.group(1))
    return {"us": n / 1000, "ms": n, "s": n * 1000, "m": n * 60000}[m.group(2)]
done = re.search(r"(\d+) requests in ([\d.]+)(s|m)", text)
seconds = float(done.group(2)) * (60 if done.group(3) == "m" else 1)
errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
statuses = {int(s): int(n) for s, n in re.findall(r"^status (\d+) (\d+)$", text, re.M)}
print(json.dumps({
    "requests": int(done.group(1)), "seconds": seconds, "statuses": statuses,
    "p50_ms": ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)),
    "p99_ms": ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)),
    "max_ms": ms(re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", text, re.M).group(1)),
    "socket_errors": sum(int(x) for x in errors.groups()[:3]) if errors else 0,
    "timeouts": int(errors.group(4)) if errors else 0}))
PY
}

echo "Logins: scrypt reference, wrk -c$LOGIN_CONNECTIONS for ${DURATION}s, scrypt reference..." >&2
REFERENCE_BEFORE=$(reference)
start_app
LOGINS=$(run_wrk "$LOGIN_CONNECTIONS" 0)
stop_app
REFERENCE_AFTER=$(reference)
REFERENCE=$(python3 -c "
import json
a, b = json.loads('$REFERENCE_BEFORE'), json.loads('$REFERENCE_AFTER')
print(json.dumps({'hashes_per_second': (a['hashes'] + b['hashes']) / (a['seconds'] + b['seconds']),
                  'before': a['hashes_per_second'], 'after': b['hashes_per_second']}))")

# A fresh server for each overload run, so no run starts with a queue of the previous run's abandoned logins.
if [ -z "$OVERLOAD_CONNECTIONS" ]; then
  OVERLOAD_CONNECTIONS=$(python3 -c "import json; print($WORKERS + $OVERLOAD_QUEUE + round(3 * json.loads('$REFERENCE')['hashes_per_second']))")
fi
echo "Overload: wrk -c$OVERLOAD_CONNECTIONS waiting 1 s between requests, worker queue $OVERLOAD_QUEUE, for ${DURATION}s..." >&2
start_app OPENESIA_HTTP_WORKER_QUEUE_CAPACITY="$OVERLOAD_QUEUE"
OVERLOAD=$(run_wrk "$OVERLOAD_CONNECTIONS" 1000)
stop_app

echo "Flood: wrk -c$FLOOD_CONNECTIONS never waiting, worker queue $OVERLOAD_QUEUE, for ${DURATION}s..." >&2
start_app OPENESIA_HTTP_WORKER_QUEUE_CAPACITY="$OVERLOAD_QUEUE"
FLOOD=$(run_wrk "$FLOOD_CONNECTIONS" 0)
stop_app
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$CITIZENS" "$SEED_SECONDS" "$DB_BYTES" "$LOOKUPS" "$REFERENCE" "$LOGINS" "$OVERLOAD" "$FLOOD" "$COST" "$DURATION" \
  "$LOGIN_CONNECTIONS" "$OVERLOAD_CONNECTIONS" "$FLOOD_CONNECTIONS" "$OVERLOAD_QUEUE" "$WORKERS" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY' | tee -a BENCHMARKS.md
import datetime, json, os, platform, sys
citizens, seed_seconds, db_bytes = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
lookups, reference, logins, overload, flood = (json.loads(a) for a in sys.argv[4:9])
cost, duration, login_conns, over_conns, flood_conns, queue, workers, load_before, load_after = sys.argv[9:18]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
ref = reference["hashes_per_second"]
per_citizen = db_bytes / citizens
def count(run, status): return run["statuses"].get(str(status), 0)
def mark(good): return "yes" if good else "**no**"
ok = count(logins, 201)
login_rate, login_other = ok / logins["seconds"], logins["requests"] - ok
held = (int(workers) + int(queue)) / ref

print(f"\n## Citizens: seeding, SNILS lookups, password logins, {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC\n")
print(f"{os.cpu_count()} cores ({cpu}); load average {load_before} before, {load_after} after. Release build; "
      f"scrypt ln={cost},r=8,p=1; server with 2 event loops, access log off, {workers} worker threads. "
      f"Logins: wrk -t2 -c{login_conns} -d{duration}s --timeout 5s, random seeded citizens by SNILS, JSON API.\n")
print("| measure | value | target | met |")
print("|---|---:|---|---|")
print(f"| citizens seeded | {citizens:,} | | |")
print(f"| seed time | {seed_seconds:.1f} s ({citizens / seed_seconds:,.0f} citizens/s) | minutes | {mark(seed_seconds <= 600)} |")
print(f"| database bytes per citizen | {per_citizen:,.0f} ({db_bytes / 1048576:,.0f} MiB in all) | ≤ 2048 | {mark(per_citizen <= 2048)} |")
print(f"| SNILS lookup p50 / p99 / max ms ({lookups['samples']:,} in process, {lookups['found']:,} found) | "
      f"{lookups['p50_ms']:.3f} / {lookups['p99_ms']:.3f} / {lookups['max_ms']:.3f} | p99 ≤ 1 ms | "
      f"{mark(lookups['p99_ms'] <= 1 and lookups['found'] == lookups['samples'])} |")
print(f"| scrypt reference: 2 threads hashing in a loop, before and after the logins | {ref:.1f} hashes/s "
      f"({reference['before']:.1f} before, {reference['after']:.1f} after) | | |")
print(f"| password logins (201) | {login_rate:.1f}/s, {login_rate / ref:.2f} × the reference | ≥ 0.90 × | "
      f"{mark(login_rate / ref >= 0.9 and login_other == 0)} |")
print(f"| login latency p50 / p99 ms | {logins['p50_ms']:.0f} / {logins['p99_ms']:.0f} | | |")
print(f"| login answers other than 201, timeouts | {login_other}, {logins['timeouts']} | 0 | "
      f"{mark(login_other == 0 and logins['timeouts'] == 0)} |")
for name, run, conns, wait in (("overload", overload, over_conns, "1 s"), ("flood", flood, flood_conns, "0 s")):
    offered = run["requests"] / run["seconds"]
    other = run["requests"] - count(run, 201) - count(run, 503)
    target = name == "overload"
    print(f"| {name} (-c{conns}, wait {wait}): offered | {offered:,.0f} req/s, {offered / ref:,.1f} × the reference | "
          + (f"≥ 2 × | {mark(offered >= 2 * ref)} |" if target else "| |"))
    print(f"| {name}: 201 / 503 / other | {count(run, 201):,} ({count(run, 201) / run['seconds']:.1f}/s) / "
          f"{count(run, 503):,} / {other:,} | | |")
    print(f"| {name}: latency p50 / p99 / max ms | {run['p50_ms']:.1f} / {run['p99_ms']:.0f} / {run['max_ms']:.0f} | "
          + (f"p50 ≤ 10 (503 at once), p99 < 5000 (the timeout) | {mark(run['p50_ms'] <= 10 and run['p99_ms'] < 5000)} |"
             if target else "| |"))
    print(f"| {name}: timeouts / socket errors | {run['timeouts']} / {run['socket_errors']} | "
          + (f"0 | {mark(run['timeouts'] == 0 and run['socket_errors'] == 0 and other == 0)} |" if target else "| |"))
print(f"\nOverload: the server runs with its default queue ({queue} jobs, {workers} workers) and the default "
      "http.workerQueueTimeoutSeconds (1 s): a login that waited longer than that for a worker is answered 503 instead of "
      f"being run, so at {ref:.0f} logins/s accepted logins are answered within the 5 s client timeout and the excess gets "
      "503 when the queue is full or its wait runs out. Latencies mix 503s with 201s that waited in the queue. The flood "
      "is for information: its clients retry 503s without waiting, and wrk shares the 2 cores with the server.")
PY
