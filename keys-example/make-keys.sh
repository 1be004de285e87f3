#!/usr/bin/env bash
# Makes the public development keys in keys-example/. Run from anywhere.
# Makes only the files that are missing, so existing development data stays readable;
# `make-keys.sh --force` regenerates everything.
# These keys are committed on purpose and are NOT secret: never use them in production.
set -euo pipefail

force=no
case "${1:-}" in
    --force) force=yes ;;
    "") ;;
    *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

# True when $1 must be (re)made.
missing() { [ "$force" = yes ] || [ ! -e "$1" ]; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- TLS: EC P-256 key and a self-signed server certificate for localhost, 127.0.0.1 and ::1, valid 10 years.
mkdir -p tls
if missing tls/localhost.key || missing tls/localhost.crt; then
cat > "$work/tls.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3

[dn]
CN = localhost
O = OpenESIA development (public key, not secret)

[v3]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
CNF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$work/localhost.key"
openssl req -new -x509 -key "$work/localhost.key" -sha256 -days 3650 -config "$work/tls.cnf" -out "$work/localhost.crt"
mv "$work/localhost.key" tls/localhost.key
mv "$work/localhost.crt" tls/localhost.crt
chmod 600 tls/localhost.key
chmod 644 tls/localhost.crt
fi

# --- Data keys: AES-256-GCM keys for personal data, standard base64 of 32 random bytes, one line.
# data/current names the key new data is sealed with; OpenESIA keeps every data/<id>.key for old data.
mkdir -p data
data_id=dev-2026-01-01
if missing "data/$data_id.key"; then
    openssl rand -base64 32 > "data/$data_id.key"
    chmod 600 "data/$data_id.key"
fi
if missing data/current; then
    echo "$data_id" > data/current
    chmod 600 data/current
fi

# --- HMAC secrets: blind indexes, the audit hash chain, hashed tokens, portals' client secrets; same format.
mkdir -p secrets
for name in blind-index audit token-hash client-secret; do
    if missing "secrets/$name.key"; then
        openssl rand -base64 32 > "secrets/$name.key"
        chmod 600 "secrets/$name.key"
    fi
done

# --- The marker that makes OpenESIA warn loudly when it runs with these keys.
cat > DEVELOPMENT-ONLY <<'TXT'
The keys and certificates in this folder are PUBLIC: they are committed to the
OpenESIA repository so that development and tests work out of the box.

Anyone can read them, so anything protected by them is protected by nothing.
Never use them in production. OpenESIA logs a warning at start whenever the
configured keys folder contains this file.

Make your own keys with `openesia init --generate-keys`, or your own PKI.
TXT
chmod 644 DEVELOPMENT-ONLY

echo "keys in $here: tls/localhost.key tls/localhost.crt data/current data/$data_id.key secrets/{blind-index,audit,token-hash,client-secret}.key DEVELOPMENT-ONLY"
