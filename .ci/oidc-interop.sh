#!/usr/bin/env bash
# The OpenID Connect interoperability client (Authlib + requests, pinned in oidc-interop-requirements.txt),
# in a venv cached under .build/interop-venv. It starts no server: EndToEndTests/OIDCInteropTests.swift does,
# and passes the issuer, client and citizen as arguments (see oidc_interop_client.py --help).
#
#   .ci/oidc-interop.sh prepare        make or check the venv only
#   .ci/oidc-interop.sh ARGUMENTS...   prepare, then run the client with ARGUMENTS
#
# Exit 77 with the reason on stderr when python3, venv, pip or the package index is not available (the test
# then skips); any other non-zero exit is a real failure of the client.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
venv=${OIDC_INTEROP_VENV:-$root/.build/interop-venv}
requirements=$here/oidc-interop-requirements.txt
skip() { echo "oidc-interop: skipped: $*" >&2; exit 77; }

python=$(command -v python3 || true)
[ -n "$python" ] || skip "no python3 on PATH"
"$python" -c 'import venv' 2>/dev/null || skip "python3 has no venv module (Debian: apt-get install python3-venv)"

# The venv is reused while it was made from the same requirements; a half-made one (no stamp) is made again.
stamp=$venv/.requirements
if ! cmp -s "$requirements" "$stamp" 2>/dev/null || [ ! -x "$venv/bin/python" ]; then
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv" >/dev/null 2>&1 || { rm -rf "$venv"; skip "python3 -m venv failed (Debian: apt-get install python3-venv)"; }
    "$venv/bin/python" -m pip --version >/dev/null 2>&1 || { rm -rf "$venv"; skip "the venv has no pip (ensurepip missing)"; }
    log=$(mktemp)
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet --timeout 15 --retries 1 \
            -r "$requirements" >"$log" 2>&1; then
        reason=$(tail -n 3 "$log" | tr '\n' ' ')
        rm -rf "$venv" "$log"
        skip "pip install from the package index failed: $reason"
    fi
    rm -f "$log"
    cp "$requirements" "$stamp"
fi

[ "${1:-}" = prepare ] && exit 0
exec "$venv/bin/python" "$here/oidc_interop_client.py" "$@"
