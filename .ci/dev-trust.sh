#!/usr/bin/env bash
# `make run` helper for a development data folder (made from keys-example, so keys/pki holds the development CAs and
# config.json's headca.roots names their heads): accredits each accredited CA once, from 2025-01-01 (before any of their
# certificates were issued), and at every start signs fresh CRLs with the copied CA keys and imports them: the trust
# store refuses CRLs older than headca.maxCRLAgeHours (48 h), and the committed ones are older than that.
# Usage: dev-trust.sh BIN DATA
set -euo pipefail
BIN=$1
DATA=$2
CONFIG="$DATA/config.json"
grep -q '"keys/pki/' "$CONFIG" 2>/dev/null || grep -q "$DATA/keys/pki/" "$CONFIG" 2>/dev/null || {
  echo "dev-trust: $CONFIG trusts no development head CA (made by an older openesia init?); skipped" >&2
  exit 0
}
for folder in "$DATA"/keys/pki/*/; do
  alg=$(basename "$folder")
  [ -f "$folder/head/ca.crt" ] && [ -f "$folder/accredited/ca.crt" ] || continue
  if [ ! -f "$folder/.accredited" ]; then
    "$BIN" ca accredit "$folder/accredited/ca.crt" --from 2025-01-01 --config "$CONFIG" >/dev/null
    touch "$folder/.accredited"
  fi
  for ca in head accredited; do
    "$BIN" ca crl --ca "$folder/$ca" --days 7 >/dev/null
    "$BIN" ca import-crl "$folder/$ca/crl.der" --config "$CONFIG" >/dev/null
  done
  echo "dev-trust: $alg development CAs trusted, fresh CRLs imported (valid 7 days; the trust store wants them under 48 h old)"
done
