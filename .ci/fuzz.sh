#!/usr/bin/env bash
# Fuzzes the HTTP/1.1 parser with libFuzzer + AddressSanitizer for DURATION seconds (default 60).
# Builds into its own scratch path (.build-fuzz) so the sanitizer flags never touch the normal .build.
# Exits non-zero when libFuzzer reports a finding (crash, trap, leak, timeout) or the build is not instrumented.
set -euo pipefail

DURATION="${1:-60}"
cd "$(dirname "$0")/.."

SCRATCH=.build-fuzz
CORPUS="$SCRATCH/corpus"
ARTIFACTS="$SCRATCH/artifacts"
LOG="$SCRATCH/fuzz.log"
mkdir -p "$CORPUS" "$ARTIFACTS"

# -parse-as-library and FUZZING drop the replay main, so libFuzzer's main is the only one.
# --sanitize=fuzzer alone or with --sanitize=address often keeps only one sanitizer: pass both to swiftc as well.
BUILD_FLAGS=(--scratch-path "$SCRATCH" -c release --product HTTPParserFuzz
  --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
  -Xswiftc -parse-as-library -Xswiftc -DFUZZING -Xswiftc -use-ld=lld -Xswiftc -g)
swift build "${BUILD_FLAGS[@]}"
BIN="$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)/HTTPParserFuzz"

# Seeds: a few valid messages, written fresh each run (the corpus keeps what libFuzzer found before).
seed() { printf '%b' "$2" > "$CORPUS/seed-$1"; }
seed get 'GET /search?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n'
seed post 'POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2'
seed chunked 'POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;ext="v"\r\nwiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n'
seed pipelined 'GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'
seed absolute 'GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n'
seed response 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'
seed response10 'HTTP/1.0 404 Not Found\r\nContent-Length: 3\r\n\r\nnot'
seed body '5\r\nhello\r\n6;a=b\r\n world\r\n0\r\n\r\n'

echo "fuzzing $BIN for ${DURATION}s over $CORPUS"
status=0
# The Swift runtime's own crash backtracer trips AddressSanitizer; libFuzzer prints the stack itself.
SWIFT_BACKTRACE=enable=no "$BIN" -max_total_time="$DURATION" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$ARTIFACTS/" "$CORPUS" > "$LOG" 2>&1 || status=$?

grep -E '^INFO: Loaded [0-9]+ modules' "$LOG" || true
if ! grep -qE 'INFO: Loaded 1 modules +\([0-9]+ inline 8-bit counters\)' "$LOG"; then
  echo "error: the fuzz target is not instrumented for coverage (see $LOG)" >&2
  tail -n 20 "$LOG" >&2
  exit 1
fi
grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$LOG" || true
grep -E '^#[0-9]+ +DONE' "$LOG" | tail -n 1 || true

findings=$(grep -hoE "(crash|leak|timeout|oom|slow-unit)-[0-9a-f]+" "$LOG" | sort -u || true)
if [[ $status -ne 0 || -n "$findings" ]]; then
  echo "FINDING: libFuzzer exited with status $status" >&2
  grep -E '^(==[0-9]+==ERROR|SUMMARY:|Fatal error|.*fuzz invariant violated)' "$LOG" >&2 || true
  for f in $findings; do echo "crash file: $ARTIFACTS/$f" >&2; done
  echo "replay: swift build --product HTTPParserFuzz && .build/debug/HTTPParserFuzz <crash file>  (log: $LOG)" >&2
  exit 1
fi
echo "no findings"
