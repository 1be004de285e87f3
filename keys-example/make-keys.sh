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

# --- PKI: per algorithm, a head CA, an accredited CA under it, and end-entity certificates, all made by
# openesia's own development CA (`openesia ca ...`, docs/dev-ca.md), never by the openssl command.
# Uses $OPENESIA_BIN (the Makefile passes its release build); otherwise builds openesia with `swift build`.
# A folder pki/<alg>/ is remade whole when any of its files is missing, so its parts always fit together.
# CAs start on a fixed date in the past so the expired certificate lies inside their validity; the
# certificates and CRLs last 10 years so the tests that verify them stay green. Development only: a real
# CRL lasts days, and the CRL URLs (http://127.0.0.1:8080/pki/<alg>/...) are placeholders nothing serves yet.
ca_start=2025-01-01T00:00:00Z
pki_leaves=(citizen citizen-revoked citizen-expired staff portal)

# The files pki/$1 must hold.
pki_files() {
    local ca file
    for ca in head accredited; do
        for file in ca.crt ca.key state.json crl.pem crl.der; do echo "$1/$ca/$file"; done
    done
    for file in "${pki_leaves[@]}" $( [ "$1" = gost ] && echo citizen-512 ); do echo "$1/$file.crt"; echo "$1/$file.key"; done
}

openesia_bin() {
    if [ -n "${OPENESIA_BIN:-}" ]; then echo "$OPENESIA_BIN"; return; fi
    local root; root="$(cd "$here/.." && pwd)"
    (cd "$root" && swift build --product openesia >&2)
    echo "$(cd "$root" && swift build --show-bin-path)/openesia"
}

# Makes the hierarchy for one algorithm in $2 (a fresh folder): $1 is rsa, ecdsa or gost.
make_pki() {
    local name="$1" out="$2" alg="$1" url="http://127.0.0.1:8080/pki/$1"
    [ "$name" = gost ] && alg=gost256
    "$bin" ca init-head --dir "$out/head" --algorithm "$alg" --not-before "$ca_start" --days 7300 \
        --ogrn 1027700000019 --innle 7700000016 --crl-url "$url/head.crl"
    "$bin" ca init-accredited --dir "$out/accredited" --head "$out/head" --algorithm "$alg" --not-before "$ca_start" --days 5475 \
        --ogrn 1027700000020 --innle 7700000023 --crl-url "$url/accredited.crl"
    local ca="$out/accredited"
    # Synthetic people: the SNILS of `openesia dev seed` citizens number 0, 1, 2 (Иванов, Смирнов, Кузнецов Иван)
    # and 100 (Васильев Андрей), so a seeded database has accounts to match; INNs 77000000nn with check digits.
    "$bin" ca issue --ca "$ca" --profile citizen --out "$out/citizen" --algorithm "$alg" --days 3650 \
        --cn "Иванов Иван" --surname "Иванов" --given-names "Иван" --snils 00200000014 --inn 770000000082
    "$bin" ca issue --ca "$ca" --profile citizen --out "$out/citizen-revoked" --algorithm "$alg" --days 3650 \
        --cn "Смирнов Иван" --surname "Смирнов" --given-names "Иван" --snils 00200000115 --inn 770000000156
    "$bin" ca issue --ca "$ca" --profile citizen --out "$out/citizen-expired" --algorithm "$alg" --not-before "$ca_start" --days 365 \
        --cn "Кузнецов Иван" --surname "Кузнецов" --given-names "Иван" --snils 00200000216 --inn 770000000220
    "$bin" ca issue --ca "$ca" --profile staff --out "$out/staff" --algorithm "$alg" --days 3650 \
        --cn "Васильев Андрей" --surname "Васильев" --given-names "Андрей" --snils 00200010017 --org "OpenESIA development service centre"
    "$bin" ca issue --ca "$ca" --profile portal --out "$out/portal" --algorithm "$alg" --days 3650 \
        --cn "OpenESIA development portal" --org "OpenESIA development portal" --ogrn 1027700000030 --innle 7700000030
    if [ "$name" = gost ]; then
        "$bin" ca issue --ca "$ca" --profile citizen --out "$out/citizen-512" --algorithm gost512 --days 3650 \
            --cn "Иванов Иван" --surname "Иванов" --given-names "Иван" --snils 00200000014 --inn 770000000082
    fi
    "$bin" ca revoke --ca "$ca" --cert "$out/citizen-revoked.crt" --reason keyCompromise
    "$bin" ca crl --ca "$ca" --days 3650
    "$bin" ca crl --ca "$out/head" --days 3650
}

mkdir -p pki
bin=""
for name in rsa ecdsa gost; do
    need=no
    for file in $(pki_files "$name"); do missing "pki/$file" && need=yes; done
    [ "$need" = yes ] || continue
    [ -n "$bin" ] || bin="$(openesia_bin)"
    make_pki "$name" "$work/pki-$name" > /dev/null
    rm -rf "pki/$name"
    mv "$work/pki-$name" "pki/$name"
    chmod 755 "pki/$name" "pki/$name/head" "pki/$name/accredited"
done

# --- An example trusted list (e-trust XML subset, docs/headca.md) naming the three development accredited CAs.
if missing pki/tsl-example.xml || [ -n "$bin" ]; then
    [ -n "$bin" ] || bin="$(openesia_bin)"
    "$bin" ca tsl --ca pki/rsa/accredited --ca pki/ecdsa/accredited --ca pki/gost/accredited --from 2025-01-01 \
        --out pki/tsl-example.xml > /dev/null
fi

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

echo "keys in $here: tls/localhost.key tls/localhost.crt data/current data/$data_id.key secrets/{blind-index,audit,token-hash,client-secret}.key pki/{rsa,ecdsa,gost}/ DEVELOPMENT-ONLY"
