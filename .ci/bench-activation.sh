#!/usr/bin/env bash
# Activation benchmark: `letters export` of N letters (time and peak RSS, from /usr/bin/time -v) and code checks/s
# in-process on 1 and 2 threads. Appends a "## Activation" table to BENCHMARKS.md.
# Targets (issue 4): export of 100,000 letters under 30 s and under 200 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
LETTERS=${BENCH_LETTERS:-100000}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/openesia-bench-activation.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

swift build -c release --product openesia >/dev/null
BIN=.build/release/openesia
CONFIG="$WORK/data/config.json"
"$BIN" init --data "$WORK/data" >/dev/null 2>&1
export OPENESIA_LOG_LEVEL=warning

seed_started=$(date +%s.%N)
"$BIN" dev seed --config "$CONFIG" --citizens "$LETTERS" >/dev/null
"$BIN" dev request-letters --config "$CONFIG" >"$WORK/request.txt"
seed_seconds=$(python3 -c "import time; print(f'{time.time() - $seed_started:.1f}')")

/usr/bin/time -v "$BIN" letters export --config "$CONFIG" --out "$WORK/print" >"$WORK/export.txt" 2>"$WORK/time.txt"
grep -q " $LETTERS letters" "$WORK/export.txt" || { echo "export did not write $LETTERS letters:" >&2; cat "$WORK/export.txt" >&2; exit 1; }
rows=$(( $(wc -l <"$WORK"/print/letters-*.csv) - 1 ))
[ "$rows" -eq "$LETTERS" ] || { echo "CSV has $rows rows, expected $LETTERS" >&2; exit 1; }
csv_mib=$(du -m "$WORK"/print/letters-*.csv | cut -f1)
html_mib=$(du -m "$WORK"/print/letters-*.html | cut -f1)

checks1=$("$BIN" dev measure-code-checks --config "$CONFIG" --seconds 3 --threads 1)
checks2=$("$BIN" dev measure-code-checks --config "$CONFIG" --seconds 3 --threads 2)

python3 - "$LETTERS" "$WORK/time.txt" "$checks1" "$checks2" "$seed_seconds" "$csv_mib" "$html_mib" "$LOAD_BEFORE" <<'PY' | tee -a BENCHMARKS.md
import datetime, os, platform, re, sys
letters, time_file, c1, c2, seed, csv_mib, html_mib, load_before = sys.argv[1:9]
text = open(time_file).read()
def field(name):
    return re.search(re.escape(name) + r":\s*(\S+)", text).group(1)
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in wall.split(":")]
seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) == 3 else 0)
rss_mib = int(field("Maximum resident set size (kbytes)")) / 1024
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rate = lambda line: int(re.search(r"(\d+)/s", line).group(1))
load_after = " ".join(open("/proc/loadavg").read().split()[:3])
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
ok = lambda good: "yes" if good else "**NO**"
print(f"\n## Activation, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC\n")
print(f"{os.cpu_count()} cores ({model}); load average {load_before} before the run, {load_after} after. Release build, SQLite WAL with "
      f"synchronous=FULL; {int(letters):,} synthetic citizens seeded and ordered in {seed} s.\n")
print("| measurement | result | target | met |")
print("|---|---:|---:|---|")
print(f"| `letters export` of {int(letters):,} letters, wall time | {seconds:.1f} s | < 30 s | {ok(seconds < 30)} |")
print(f"| same, peak RSS | {rss_mib:.0f} MiB | < 200 MiB | {ok(rss_mib < 200)} |")
print(f"| same, CPU time (user + system) | {cpu:.1f} s | | |")
print(f"| files written (CSV / HTML) | {csv_mib} MiB / {html_mib} MiB | | |")
print(f"| code checks/s, 1 thread (normalise + HMAC-SHA-256 + constant-time compare) | {rate(c1):,} | | |")
print(f"| code checks/s, 2 threads | {rate(c2):,} | | |")
print("\nCode checks are measured in-process without the database; a real entry also costs one group-committed write "
      "(attempt count, audit record, throttle counter), and entries are throttled per account and address long before either limit.")
PY
