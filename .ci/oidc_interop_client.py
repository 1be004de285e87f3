"""An ordinary OpenID Connect relying party, written with Authlib, run against a live OpenESIA.

It knows the issuer URL, its client id and secret, its redirect URI and a citizen's login and password,
nothing else: every endpoint comes from discovery. The browser part (login form, consent page) is a
requests.Session filling the server's HTML forms; the relying-party part (authorization URL with PKCE
S256, state and nonce; code exchange with client_secret_basic; ID token validation; userinfo; refresh)
is Authlib's. Prints one JSON object that EndToEndTests/OIDCInteropTests.swift asserts on; exits 1 with
a message on stderr when any step fails.
"""

import argparse
import json
import sys
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import authlib
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.oidc.core import CodeIDToken


class Forms(HTMLParser):
    """The POST forms of a page: action, hidden fields and submit buttons, in document order."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "hidden": {}, "inputs": set(), "buttons": []})
        elif self.forms and tag == "input" and a.get("name"):
            form = self.forms[-1]
            form["inputs"].add(a["name"])
            if (a.get("type") or "").lower() == "hidden":
                form["hidden"][a["name"]] = a.get("value") or ""
        elif self.forms and tag == "button" and a.get("name"):
            self.forms[-1]["buttons"].append((a["name"], a.get("value") or ""))


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


def fail(step, detail):
    print(f"oidc-interop: {step}: {detail}", file=sys.stderr)
    sys.exit(1)


def drive_browser(browser, start_url, redirect_uri, login, password):
    """Follows the authorization request through login and consent as a browser would; returns the callback URL."""
    url = start_url
    for _ in range(12):
        if url.startswith(redirect_uri):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            continue
        if response.status_code != 200:
            fail("browser", f"GET {url} answered {response.status_code}")
        forms = forms_of(response.text)
        login_form = next((f for f in forms if "password" in f["inputs"]), None)
        consent_form = next((f for f in forms if "request" in f["hidden"] and ("decision", "allow") in f["buttons"]), None)
        if login_form:
            fields = dict(login_form["hidden"], login=login, password=password)
        elif consent_form:
            fields = dict(consent_form["hidden"], decision="allow")
        else:
            fail("browser", f"no login or consent form at {url}")
        form = login_form or consent_form
        posted = browser.post(urljoin(url, form["action"]), data=fields, allow_redirects=False, timeout=10)
        if posted.status_code not in (302, 303):
            fail("browser", f"POST {form['action']} answered {posted.status_code}")
        url = urljoin(url, posted.headers["Location"])
    fail("browser", "too many steps before the redirect to the portal")


def validate_id_token(id_token, jwks, issuer, client_id, nonce, access_token):
    """Authlib's own validation: signature against the JWKS (ES256/RS256 only), iss, aud, exp, iat, nonce."""
    keys = JsonWebKey.import_key_set(jwks)
    claims = JsonWebToken(["ES256", "RS256"]).decode(
        id_token, keys, claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": client_id},
                        "exp": {"essential": True}, "nonce": {"essential": True}},
        claims_params={"nonce": nonce, "client_id": client_id, "access_token": access_token})
    claims.validate(now=int(time.time()), leeway=5)
    return claims


def main():
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--issuer", required=True)
    arguments.add_argument("--client-id", required=True)
    arguments.add_argument("--client-secret", required=True)
    arguments.add_argument("--redirect-uri", required=True)
    arguments.add_argument("--scope", default="openid fullname")
    arguments.add_argument("--login", required=True)
    arguments.add_argument("--password", required=True)
    options = arguments.parse_args()

    metadata = requests.get(options.issuer + "/.well-known/openid-configuration", timeout=10).json()
    if metadata.get("issuer") != options.issuer:
        fail("discovery", f"issuer {metadata.get('issuer')!r} is not {options.issuer!r}")
    jwks = requests.get(metadata["jwks_uri"], timeout=10).json()

    client = OAuth2Session(options.client_id, options.client_secret, token_endpoint_auth_method="client_secret_basic",
                           scope=options.scope, redirect_uri=options.redirect_uri, code_challenge_method="S256")
    code_verifier = generate_token(48)
    nonce = generate_token(20)
    authorization_url, state = client.create_authorization_url(metadata["authorization_endpoint"],
                                                               code_verifier=code_verifier, nonce=nonce)

    callback = drive_browser(requests.Session(), authorization_url, options.redirect_uri, options.login, options.password)
    returned = {k: v[0] for k, v in parse_qs(urlparse(callback).query).items()}
    if "error" in returned:
        fail("authorization", returned)
    # RFC 9207: the answer names its issuer; Authlib does not check it, a careful client does.
    if metadata.get("authorization_response_iss_parameter_supported") and returned.get("iss") != options.issuer:
        fail("authorization", f"iss {returned.get('iss')!r}")

    # Authlib compares the returned state with its own and sends the verifier.
    token = client.fetch_token(metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier)
    claims = validate_id_token(token["id_token"], jwks, options.issuer, options.client_id, nonce, token["access_token"])
    header = claims.header

    userinfo = client.get(metadata["userinfo_endpoint"], timeout=10)
    userinfo.raise_for_status()
    person = userinfo.json()
    if person.get("sub") != claims["sub"]:
        fail("userinfo", f"sub {person.get('sub')!r} is not the ID token's {claims['sub']!r}")

    refreshed = None
    if token.get("refresh_token"):
        old_refresh = token["refresh_token"]
        new = client.refresh_token(metadata["token_endpoint"], refresh_token=old_refresh)
        again = client.get(metadata["userinfo_endpoint"], timeout=10)  # with the new access token
        refreshed = {"rotated": new.get("refresh_token") not in (None, old_refresh),
                     "new_access_token": new["access_token"] != token["access_token"],
                     "userinfo_status": again.status_code, "scope": new.get("scope")}

    print(json.dumps({
        "library": "Authlib " + authlib.__version__,
        "issuer": metadata["issuer"],
        "state_returned": returned.get("state") == state,
        "alg": header.get("alg"),
        "kid_in_jwks": any(k.get("kid") == header.get("kid") for k in jwks["keys"]),
        "sub": claims["sub"], "aud": claims["aud"], "acr": claims.get("acr"), "amr": claims.get("amr"),
        "nonce": claims.get("nonce") == nonce,
        "token_type": token.get("token_type"), "scope": token.get("scope"),
        "userinfo": person,
        "refreshed": refreshed,
    }, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
