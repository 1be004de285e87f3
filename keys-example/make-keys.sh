#!/usr/bin/env bash
# Makes the public development keys in keys-example/. Run from anywhere; regenerates everything each time.
# These keys are committed on purpose and are NOT secret: never use them in production.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- TLS: EC P-256 key and a self-signed server certificate for localhost, 127.0.0.1 and ::1, valid 10 years.
mkdir -p tls
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

echo "made: tls/localhost.key tls/localhost.crt DEVELOPMENT-ONLY (in $here)"
