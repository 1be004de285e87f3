#!/usr/bin/env bash
# E-signature login benchmark (issue 5). For ECDSA P-256, RSA 2048 and GOST R 34.10-2012 256 (keys-example/pki):
#   - the reference, measured in the same run: the bare OpenSSL path (d2i + CMS_verify with an X509_STORE of the head
#     root and both CRLs, CRL_CHECK_ALL) on 2 threads in a loop with the same certificates (openesia dev measure-cms-verify);
#   - signature logins over HTTP against the release server (openesia dev measure-signature-logins): N challenges are
#     issued over HTTP and signed first, then submitted over keep-alive connections; each login is a CMS parse, the
#     challenge's consumption (a write), CMS verification, the trust store's chain + CRL + accreditation check, and a
#     session (a write);
# and loading a CRL of 100,000 entries (openesia dev measure-crl-load): parse time, trust-store import time and memory.
# Targets: logins >= 0.8 x the reference; the 100,000-entry CRL loaded in <= 1 s. Appends a section to BENCHMARKS.md.
# BENCH_SIGNATURE_LOGINS (default 20000 per algorithm), BENCH_SIGNATURE_CONNECTIONS (16), BENCH_REFERENCE_SECONDS (10),
# BENCH_CRL_ENTRIES (100000); BENCH_OPENESIA uses that binary instead of building a release one; BENCH_OUTPUT (BENCHMARKS.md).
# Needs curl and python3.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
LOGINS=${BENCH_SIGNATURE_LOGINS:-20000}
CONNECTIONS=${BENCH_SIGNATURE_CONNECTIONS:-16}
REFERENCE_SECONDS=${BENCH_REFERENCE_SECONDS:-10}
CRL_ENTRIES=${BENCH_CRL_ENTRIES:-100000}
PORT=${BENCH_SIGNATURES_PORT:-18091}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/openesia-bench-signatures.XXXXXX)

APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${BENCH_OPENESIA:-}" ]; then swift build -c release --product openesia >/dev/null; fi
BIN=${BENCH_OPENESIA:-.build/release/openesia}
OUTPUT=${BENCH_OUTPUT:-BENCHMARKS.md}
"$BIN" init --data "$WORK/data" >/dev/null 2>&1  # trusts the copied keys-example head roots (headca.roots)
CONFIG="$WORK/data/config.json"
PKI="$WORK/data/keys/pki"
export OPENESIA_LOG_LEVEL=warning OPENESIA_HTTP_ACCESS_LOG=false OPENESIA_HTTP_PORT=$PORT
# Every challenge comes from 127.0.0.1, and all are issued before the first is used.
export OPENESIA_HEADCA_CHALLENGES_PER_MINUTE=1000000 OPENESIA_HEADCA_CHALLENGE_LIFETIME_SECONDS=3600

for alg in ecdsa rsa gost; do
  # Fresh CRLs from the copied development CAs: the committed ones are older than headca.maxCRLAgeHours.
  "$BIN" ca crl --ca "$PKI/$alg/head" --days 7 >/dev/null
  "$BIN" ca crl --ca "$PKI/$alg/accredited" --days 7 >/dev/null
  "$BIN" ca accredit "$PKI/$alg/accredited/ca.crt" --from 2025-01-01 --config "$CONFIG" >/dev/null
  "$BIN" ca import-crl "$PKI/$alg/head/crl.der" --config "$CONFIG" >/dev/null
  "$BIN" ca import-crl "$PKI/$alg/accredited/crl.der" --config "$CONFIG" >/dev/null
done
"$BIN" dev seed --citizens 1 --config "$CONFIG" >/dev/null  # citizen 0 holds the SNILS of every citizen.crt

"$BIN" serve --config "$CONFIG" >"$WORK/server.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }

results=()
for alg in ecdsa rsa gost; do
  reference=$("$BIN" dev measure-cms-verify --pki "$PKI/$alg" --seconds "$REFERENCE_SECONDS" --threads 2)
  logins=$("$BIN" dev measure-signature-logins --port "$PORT" --key "$PKI/$alg/citizen.key" --cert "$PKI/$alg/citizen.crt" \
    --chain "$PKI/$alg/accredited/ca.crt" --count "$LOGINS" --threads "$CONNECTIONS")
  results+=("$alg" "$reference" "$logins")
done
crl=$("$BIN" dev measure-crl-load --entries "$CRL_ENTRIES")
SERVER_RSS=$(awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status" 2>/dev/null || echo 0)

BUILD=$([ -n "${BENCH_OPENESIA:-}" ] && echo "Binary $BIN" || echo "Release build")
python3 - "$LOAD_BEFORE" "$BUILD" "$LOGINS" "$CONNECTIONS" "$REFERENCE_SECONDS" "$SERVER_RSS" "$crl" "${results[@]}" <<'PY' | tee -a "$OUTPUT"
import datetime, json, os, platform, sys
load_before, build, logins, connections, ref_seconds, server_rss, crl = sys.argv[1:8]
rest = sys.argv[8:]
rows = [(rest[i], json.loads(rest[i + 1]), json.loads(rest[i + 2])) for i in range(0, len(rest), 3)]
crl = json.loads(crl)
load_after = " ".join(open("/proc/loadavg").read().split()[:3])
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
ok = lambda good: "yes" if good else "**NO**"
names = {"ecdsa": "ECDSA P-256", "rsa": "RSA 2048", "gost": "GOST R 34.10-2012 256"}
print(f"\n## Signature logins, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC\n")
print(f"{os.cpu_count()} cores ({model}); load average {load_before} before the run, {load_after} after. {build}, "
      f"SQLite WAL with synchronous=FULL and group commit. Logins: {int(logins):,} per algorithm, challenges issued over HTTP and "
      f"signed before the timed part, submitted over {connections} keep-alive connections; the server process and the load "
      f"generator share the cores. Reference: `CMS_verify` with the chain and both CRLs on 2 threads for {ref_seconds} s. "
      f"Server RSS after the run: {int(server_rss) / 1024:.0f} MiB.\n")
print("| algorithm | reference (bare CMS_verify + chain + CRL, 2 threads) | signature logins over HTTP | ratio | target ≥ 0.8 | met |")
print("|---|---:|---:|---:|---:|---|")
for alg, ref, run in rows:
    ratio = run["per_second"] / ref["per_second"] if ref["per_second"] else 0
    print(f"| {names.get(alg, alg)} | {ref['per_second']:,.0f}/s | {run['per_second']:,.0f}/s ({run['count']:,} in {run['seconds']:.1f} s) "
          f"| {ratio:.2f} | 0.8 | {ok(ratio >= 0.8 and run['failed'] == 0)} |")
print(f"\n| CRL of {crl['entries']:,} entries ({crl['der_bytes'] / 1048576:.1f} MiB DER) | result | target | met |")
print("|---|---:|---:|---|")
print(f"| parse (`CRL(der:)`) | {crl['parse_seconds']:.3f} s | | |")
print(f"| import into the trust store (parse, signature, database, new snapshot) | {crl['import_seconds']:.3f} s | ≤ 1 s | {ok(crl['import_seconds'] <= 1)} |")
print(f"| resident memory added by the import | {crl['import_rss_mib']:.1f} MiB | | |")
print(f"| one chain verification with that CRL in the store | {crl['verify_microseconds']:.0f} µs | | |")
print("\nEach login is one write (the challenge marked used, the session and its audit records together); group commit "
      "shares one fsync among the writes that arrive together, which is what lets many connections outrun the disk.")
PY
