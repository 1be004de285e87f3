#!/usr/bin/env bash
# Fuzzes with libFuzzer + AddressSanitizer (LeakSanitizer included) for DURATION seconds in all (default 60),
# split evenly between the two targets, one after the other:
#   HTTPParserFuzz  the HTTP/1.1 parser (requests, responses, chunked bodies)
#   PKIInputFuzz    uploaded PKI input: SignedMessage(bytes:) + verifySignature, Certificate(bytes:), CRL(der:)
# Builds into its own scratch path (.build-fuzz) so the sanitizer flags never touch the normal .build; each target
# keeps its own corpus (.build-fuzz/corpus-http, .build-fuzz/corpus-pki) between runs.
# Exits non-zero when libFuzzer reports a finding (crash, trap, leak, timeout) in either target, or a build is not
# instrumented; both targets run even when the first one finds something.
set -euo pipefail

DURATION="${1:-60}"
cd "$(dirname "$0")/.."

SCRATCH=.build-fuzz
ARTIFACTS="$SCRATCH/artifacts"
mkdir -p "$ARTIFACTS"
PER_TARGET=$(( DURATION / 2 ))
(( PER_TARGET >= 1 )) || PER_TARGET=1

# -parse-as-library and FUZZING drop the replay main, so libFuzzer's main is the only one.
# --sanitize=fuzzer alone or with --sanitize=address often keeps only one sanitizer: pass both to swiftc as well.
build() {
  local flags=(--scratch-path "$SCRATCH" -c release --product "$1"
    --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
    -Xswiftc -parse-as-library -Xswiftc -DFUZZING -Xswiftc -use-ld=lld -Xswiftc -g)
  swift build "${flags[@]}" >&2
  echo "$(swift build "${flags[@]}" --show-bin-path)/$1"
}

# HTTP seeds: a few valid messages, written fresh each run (the corpus keeps what libFuzzer found before).
seed_http() {
  local corpus=$1
  seed() { printf '%b' "$2" > "$corpus/seed-$1"; }
  seed get 'GET /search?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n'
  seed post 'POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2'
  seed chunked 'POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;ext="v"\r\nwiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n'
  seed pipelined 'GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'
  seed absolute 'GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n'
  seed response 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'
  seed response10 'HTTP/1.0 404 Not Found\r\nContent-Length: 3\r\n\r\nnot'
  seed body '5\r\nhello\r\n6;a=b\r\n world\r\n0\r\n\r\n'
}

# PKI seeds, made with the openssl command line tool: a P-256 (and, with the gost engine, a GOST 2012) certificate,
# CMS signatures over a short text (detached, attached, without signed attributes) in DER, PEM and base64, and a CRL;
# plus the small real CRLs from ../shared/realpki when that folder is there.
seed_pki() {
  local corpus=$1 work
  work="$(mktemp -d)"
  (
    cd "$work"
    printf 'client_id=portal&state=1' > content  # PKIInputFuzz checks detached signatures against this content
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.pem -days 30 \
      -subj "/CN=fuzz seed" -addext "keyUsage=critical,digitalSignature,nonRepudiation,cRLSign,keyCertSign" 2>/dev/null
    algs=(ec)
    if openssl genpkey -engine gost -algorithm gost2012_256 -pkeyopt paramset:A -out gost.key 2>/dev/null &&
       openssl req -engine gost -x509 -new -key gost.key -md_gost12_256 -out gost.pem -days 30 -subj "/CN=fuzz gost" 2>/dev/null; then
      algs+=(gost)
    fi
    for alg in "${algs[@]}"; do
      engine=(); [[ $alg == gost ]] && engine=(-engine gost -md md_gost12_256)
      openssl x509 -in "$alg.pem" -outform DER -out "$corpus/seed-$alg-cert.der"
      cp "$alg.pem" "$corpus/seed-$alg-cert.pem"
      for shape in detached:"" attached:-nodetach noattr:-noattr; do
        name=${shape%%:*} option=${shape#*:}
        openssl cms -sign -binary -outform DER -in content -signer "$alg.pem" -inkey "$alg.key" \
          "${engine[@]}" $option -out "$corpus/seed-$alg-cms-$name.der" 2>/dev/null
      done
      openssl cms -cmsout -inform DER -in "$corpus/seed-$alg-cms-detached.der" -outform PEM -out "$corpus/seed-$alg-cms.pem" "${engine[@]}" 2>/dev/null || true
      base64 -w 0 "$corpus/seed-$alg-cms-attached.der" > "$corpus/seed-$alg-cms-attached.b64"
    done
    touch index.txt
    echo 01 > crlnumber
    printf '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 30\n' > ca.cnf
    openssl ca -config ca.cnf -gencrl -keyfile ec.key -cert ec.pem -out crl.pem 2>/dev/null &&
      openssl crl -in crl.pem -outform DER -out "$corpus/seed-ec-crl.der"
  ) || echo "warning: some PKI seeds could not be made" >&2
  rm -rf "$work"
  for crl in ../shared/realpki/crl/guc2012_root_gost2001_2017.crl ../shared/realpki/crl/skb_kontur_2017_gost2001_2017.crl; do
    [[ -f $crl ]] && cp "$crl" "$corpus/seed-real-$(basename "$crl")"
  done
  return 0
}

# Runs one target for PER_TARGET seconds; prints a summary; returns 1 on a finding or a missing instrumentation.
fuzz_target() {
  local name=$1 corpus=$2 max_len=$3 bin log status=0
  log="$SCRATCH/fuzz-$name.log"
  bin="$(build "$name")"
  echo "fuzzing $bin for ${PER_TARGET}s over $corpus"
  # The Swift runtime's own crash backtracer trips AddressSanitizer; libFuzzer prints the stack itself.
  SWIFT_BACKTRACE=enable=no "$bin" -max_total_time="$PER_TARGET" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$name-" "$corpus" > "$log" 2>&1 || status=$?

  grep -E '^INFO: Loaded [0-9]+ modules' "$log" || true
  if ! grep -qE 'INFO: Loaded 1 modules +\([0-9]+ inline 8-bit counters\)' "$log"; then
    echo "error: $name is not instrumented for coverage (see $log)" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$log" || true
  grep -E '^#[0-9]+ +DONE' "$log" | tail -n 1 || true

  local findings
  findings=$(grep -hoE "$name-(crash|leak|timeout|oom|slow-unit)-[0-9a-f]+" "$log" | sort -u || true)
  if [[ $status -ne 0 || -n "$findings" ]]; then
    echo "FINDING in $name: libFuzzer exited with status $status" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY:|Fatal error|.*fuzz invariant violated)' "$log" >&2 || true
    for f in $findings; do echo "crash file: $ARTIFACTS/$f" >&2; done
    echo "replay: swift build --product $name && .build/debug/$name <crash file>  (log: $log)" >&2
    return 1
  fi
  echo "$name: no findings"
}

mkdir -p "$SCRATCH/corpus-http" "$SCRATCH/corpus-pki"
seed_http "$SCRATCH/corpus-http"
seed_pki "$(cd "$SCRATCH/corpus-pki" && pwd)"

failed=0
fuzz_target HTTPParserFuzz "$SCRATCH/corpus-http" 4096 || failed=1
fuzz_target PKIInputFuzz "$SCRATCH/corpus-pki" 16384 || failed=1
exit $failed
