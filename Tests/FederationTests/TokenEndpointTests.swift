import Citizens
import Crypto
@testable import Federation
import Foundation
import PKI
import Support
import Testing

@Suite struct TokenEndpointTests {
    typealias P = ProviderHarness

    @Test func aCodeGivesSignedTokensWithTheClaimsOfTheGrant() throws {
        try withProvider { p in
            let login = p.login(age: 120)
            let tokens = try p.exchange(try p.code(login: login))
            #expect(tokens.scope == "openid fullname" && tokens.expiresIn == 3600 && tokens.refreshToken?.count == 43)
            let jws = try JWS.parse(try #require(tokens.idToken))
            #expect(jws.algorithm == .es256 && jws.type == "JWT")
            try #require(try p.keys.verifier(keyID: jws.keyID!, at: p.clock.now())).verify(jws)
            let claims = try JWT.claims(of: jws)
            try claims.validate(JWTValidationRules(issuer: "https://id.example", audience: "web"), now: p.clock.now())
            #expect(claims["sub"] == "1000000007" && claims["nonce"] == "n-456" && claims["acr"] == "standard")
            #expect(claims["amr"] == ["pwd"] && claims["sid"] == .string(p.provider.sid(sessionHandle: "session-1")))
            #expect(claims["auth_time"] == .integer(Int64(login.authenticatedAt.timeIntervalSince1970)))
            #expect(claims["exp"]?.integerValue == claims["iat"]!.integerValue! + 3600)

            let access = try JWS.parse(tokens.accessToken)
            #expect(access.type == "at+jwt")
            let at = try JWT.claims(of: access)
            #expect(at["aud"] == "https://id.example" && at["client_id"] == "web" && at["scope"] == "openid fullname")
            #expect(at["jti"]?.stringValue?.contains(".") == true)

            let info = try p.provider.userinfo(accessToken: tokens.accessToken)
            #expect(info["sub"] == "1000000007" && info["family_name"] == "Петрова" && info["birthdate"] == nil)
            #expect(try p.h.auditKinds().suffix(2) == ["oauth.authorized", "oauth.token.issued"])
        }
    }

    @Test func anRS256PortalGetsRS256Tokens() throws {
        try withProvider { p in
            var changed = draft("web") {
                $0.redirectURIs = [P.webRedirect]; $0.signingAlgorithm = "RS256"; $0.scopes = ["openid", "fullname"]
            }
            changed.authMethods = ["client_secret_basic"]
            _ = try p.h.registry.update(clientID: "web", with: changed, actor: "test")
            let tokens = try p.exchange(try p.code())
            #expect(try JWS.parse(tokens.idToken!).algorithm == .rs256)
            #expect(try JWS.parse(tokens.accessToken).algorithm == .rs256)
            #expect(try p.provider.userinfo(accessToken: tokens.accessToken)["sub"] == "1000000007")
        }
    }

    @Test func aReusedCodeRevokesEverythingIssuedFromIt() throws {
        try withProvider { p in
            let code = try p.code()
            let first = try p.exchange(code)
            #expect(P.oauthError { _ = try p.exchange(code) }?.code == .invalidGrant)
            #expect(P.oauthError { _ = try p.provider.userinfo(accessToken: first.accessToken) }?.code == .invalidToken)
            let refresh = try p.tokenRequest([("grant_type", "refresh_token"), ("refresh_token", first.refreshToken!)])
            #expect(P.oauthError { _ = try p.provider.token(refresh, source: nil) }?.code == .invalidGrant)
            #expect(try p.h.auditKinds().last == "oauth.code.replayed")
        }
    }

    @Test func codesAreBoundToClientRedirectURIAndPKCE() throws {
        try withProvider { p in
            // Another client presenting web's code gets invalid_grant, and the code still works for web.
            let code = try p.code()
            let asOther = try TokenRequest(form: [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", P.webRedirect),
                                                  ("client_id", "other"), ("client_secret", p.otherSecret)].map { (name: $0.0, value: $0.1) },
                                           authorization: nil)
            #expect(P.oauthError { _ = try p.provider.token(asOther, source: nil) }?.code == .invalidGrant)
            let wrongRedirect = try p.tokenRequest([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "https://web.example/other")])
            #expect(P.oauthError { _ = try p.provider.token(wrongRedirect, source: nil) }?.code == .invalidGrant)
            #expect(P.oauthError { _ = try p.exchange(code, extra: [("code_verifier", String(repeating: "v", count: 43))]) }?.code == .invalidGrant)
            _ = try p.exchange(code)

            let verifier = String(repeating: "k", count: 64)
            let pkce = try p.code(P.webRequest([("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256")]))
            #expect(P.oauthError { _ = try p.exchange(pkce) }?.code == .invalidGrant)
            #expect(P.oauthError { _ = try p.exchange(pkce, extra: [("code_verifier", String(repeating: "j", count: 64))]) }?.code == .invalidGrant)
            #expect(try p.exchange(pkce, extra: [("code_verifier", verifier)]).idToken != nil)
        }
    }

    @Test func codesExpire() throws {
        try withProvider { p in
            let code = try p.code()
            p.clock.advance(by: 61)
            #expect(P.oauthError { _ = try p.exchange(code) }?.code == .invalidGrant)
        }
    }

    @Test func refreshTokensRotateAndReuseRevokesTheFamily() throws {
        try withProvider { p in
            let first = try p.exchange(try p.code())
            func refresh(_ token: String, scope: String? = nil) throws -> TokenResponse {
                var fields = [("grant_type", "refresh_token"), ("refresh_token", token)]
                if let scope { fields.append(("scope", scope)) }
                return try p.provider.token(try p.tokenRequest(fields), source: nil)
            }
            let second = try refresh(first.refreshToken!)
            #expect(second.refreshToken != first.refreshToken && second.idToken != nil)
            let narrowed = try refresh(second.refreshToken!, scope: "openid")
            #expect(narrowed.scope == "openid")
            #expect(P.oauthError { _ = try refresh(narrowed.refreshToken!, scope: "openid snils") }?.code == .invalidScope)
            // The first token again: reuse, so the whole family dies, the newest refresh and access tokens included.
            #expect(P.oauthError { _ = try refresh(first.refreshToken!) }?.code == .invalidGrant)
            #expect(P.oauthError { _ = try refresh(narrowed.refreshToken!) }?.code == .invalidGrant)
            #expect(P.oauthError { _ = try p.provider.userinfo(accessToken: narrowed.accessToken) }?.code == .invalidToken)
            #expect(try p.h.auditKinds().last == "oauth.refresh.reused")
        }
    }

    @Test func publicClientsAuthenticateWithPKCEAndGetNoRefreshToken() throws {
        try withProvider { p in
            let verifier = String(repeating: "q", count: 50)
            let parameters = [("response_type", "code"), ("client_id", "spa"), ("redirect_uri", P.spaRedirect), ("scope", "openid"),
                              ("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256")].map { (name: $0.0, value: $0.1) }
            let code = try p.code(parameters)
            let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", P.spaRedirect), ("client_id", "spa"),
                        ("code_verifier", verifier)].map { (name: $0.0, value: $0.1) }
            let tokens = try p.provider.token(try TokenRequest(form: form, authorization: nil), source: nil)
            #expect(tokens.refreshToken == nil && tokens.idToken != nil)
            let cc = [("grant_type", "client_credentials"), ("client_id", "spa")].map { (name: $0.0, value: $0.1) }
            #expect(P.oauthError { _ = try p.provider.token(try TokenRequest(form: cc, authorization: nil), source: nil) }?.code == .unauthorizedClient)
        }
    }

    @Test func clientAuthenticationTakesOneRegisteredMethod() throws {
        try withProvider { p in
            let cc = [("grant_type", "client_credentials")]
            func attempt(_ fields: [(String, String)], _ authorization: String?) -> OAuthError? {
                P.oauthError { _ = try p.provider.token(try TokenRequest(form: (cc + fields).map { (name: $0.0, value: $0.1) },
                                                                         authorization: authorization), source: nil) }
            }
            #expect(attempt([], p.webBasic) == nil)
            let wrong = attempt([], "Basic " + Data("web:nope".utf8).base64EncodedString())
            #expect(wrong?.code == .invalidClient && wrong?.triedBasic == true)
            #expect(attempt([], "Basic !!!")?.code == .invalidClient)
            #expect(attempt([], nil)?.code == .invalidClient)
            // web registered client_secret_basic only: its secret in the form is refused.
            let posted = attempt([("client_id", "web"), ("client_secret", p.webSecret)], nil)
            #expect(posted?.code == .invalidClient && posted?.triedBasic == false)
            #expect(attempt([("client_secret", p.webSecret)], p.webBasic)?.code == .invalidRequest)
            #expect(attempt([("client_id", "other")], p.webBasic)?.code == .invalidClient)
            // A confidential client cannot pass as public by leaving the secret out.
            #expect(attempt([("client_id", "web")], nil)?.code == .invalidClient)
            #expect(attempt([("client_id", "other"), ("client_secret", p.otherSecret)], nil) == nil)
            #expect(attempt([("client_id", "ghost"), ("client_secret", "x")], nil)?.code == .invalidClient)
            #expect(attempt([("client_assertion", "x.y.z"), ("client_id", "web")], nil)?.code == .invalidRequest)
            #expect(attempt([("client_assertion", "x.y.z"), ("client_assertion_type", ClientAssertionVerifier.assertionType)], nil)?
                .code == .invalidClient)
            try p.h.registry.disable(clientID: "other", actor: "test")
            #expect(attempt([("client_id", "other"), ("client_secret", p.otherSecret)], nil)?.code == .invalidClient)
        }
    }

    @Test func clientCredentialsWriteNothingAndStayWithinTheAllowedScopes() throws {
        try withProvider { p in
            let before = try p.h.auditKinds().count
            let tokens = try p.provider.token(try p.tokenRequest([("grant_type", "client_credentials"), ("scope", "fullname snils")]), source: nil)
            #expect(tokens.scope == "fullname snils" && tokens.idToken == nil && tokens.refreshToken == nil)
            let claims = try JWT.claims(of: try JWS.parse(tokens.accessToken))
            #expect(claims["sub"] == "web" && claims["client_id"] == "web")
            #expect(try p.h.auditKinds().count == before && p.count("oauth_grants") == 0)
            #expect(P.oauthError { _ = try p.provider.token(try p.tokenRequest([("grant_type", "client_credentials"), ("scope", "openid")]), source: nil) }?
                .code == .invalidScope)
            #expect(P.oauthError { _ = try p.provider.token(try p.tokenRequest([("grant_type", "client_credentials"), ("scope", "inn")]), source: nil) }?
                .code == .invalidScope)
            #expect(P.oauthError { _ = try p.provider.token(try p.tokenRequest([("grant_type", "password")]), source: nil) }?.code == .unsupportedGrantType)
            #expect(P.oauthError { _ = try p.tokenRequest([("grant_type", "client_credentials"), ("grant_type", "client_credentials")]) }?
                .code == .invalidRequest)
            // A client-credentials token is no citizen's: userinfo refuses it.
            #expect(P.oauthError { _ = try p.provider.userinfo(accessToken: tokens.accessToken) }?.code == .invalidToken)
        }
    }

    @Test func storedSecretsAreOnlyKeyedHashes() throws {
        try withProvider { p in
            let code = try p.code()
            let tokens = try p.exchange(code)
            let dump = try p.h.database.read { db in
                try ["oauth_codes", "oauth_refresh_tokens", "oauth_grants"].flatMap { table in
                    try db.query("SELECT * FROM \(table)").flatMap(\.values)
                }
            }
            for value in dump {
                if case .text(let text) = value { #expect(!text.contains(code) && !text.contains(tokens.refreshToken!)) }
                if case .blob(let bytes) = value { #expect(bytes != Array(code.utf8)) }
            }
        }
    }

    @Test func privateKeyJWTAssertionsAreCheckedAndUsedOnce() throws {
        try withProvider { p in
            let key = try PrivateKey.generateP256()
            let jwk = try JSONWebKey(privateKey: key, keyID: "k1", algorithm: .es256)
            let stranger = try PrivateKey.generateP256()
            var jwt = draft("jwt-portal") { $0.redirectURIs = ["https://jwt.example/cb"]; $0.authMethods = ["private_key_jwt"] }
            jwt.jwks = JSONValue.object(["keys": .array([jwk.json])]).jsonText
            _ = try p.h.registry.add(jwt, actor: "test")
            let now = Int64(p.clock.now().timeIntervalSince1970)
            func assertion(_ change: (inout [String: JSONValue]) -> Void = { _ in }, signer: PrivateKey? = nil, kid: String = "k1") throws -> String {
                var claims: [String: JSONValue] = ["iss": "jwt-portal", "sub": "jwt-portal", "aud": "https://id.example/oauth2/token",
                                                   "iat": .integer(now), "exp": .integer(now + 60), "jti": .string(UUID().uuidString)]
                change(&claims)
                return try JWT.sign(claims: claims, with: try JWSSigner(key: signer ?? key, algorithm: .es256, keyID: kid))
            }
            func attempt(_ token: String) -> OAuthError? {
                let form = [("grant_type", "client_credentials"), ("client_assertion_type", ClientAssertionVerifier.assertionType),
                            ("client_assertion", token)].map { (name: $0.0, value: $0.1) }
                return P.oauthError { _ = try p.provider.token(try TokenRequest(form: form, authorization: nil), source: nil) }
            }
            let good = try assertion()
            #expect(attempt(good) == nil)
            #expect(attempt(good)?.code == .invalidClient)  // the same jti again
            #expect(attempt(try assertion { $0["aud"] = "https://elsewhere.example" })?.code == .invalidClient)
            #expect(attempt(try assertion { $0["sub"] = "web" })?.code == .invalidClient)
            #expect(attempt(try assertion { $0["exp"] = .integer(now - 120) })?.code == .invalidClient)
            #expect(attempt(try assertion { $0["exp"] = .integer(now + 3600) })?.code == .invalidClient)
            #expect(attempt(try assertion { $0["jti"] = nil })?.code == .invalidClient)
            #expect(attempt(try assertion(signer: stranger))?.code == .invalidClient)
            #expect(attempt(try assertion(kid: "k2"))?.code == .invalidClient)
            #expect(attempt(try assertion { $0["aud"] = "https://id.example" }) == nil)
            // A portal without private_key_jwt cannot authenticate with an assertion.
            #expect(attempt(try assertion { $0["iss"] = "web"; $0["sub"] = "web" })?.code == .invalidClient)
        }
    }

    @Test func privateKeyJWTWithARegisteredCertificate() throws {
        try withProvider { p in
            let made = try SelfSignedCertificate.makeTLS(hostnames: ["cert.example"], ipAddresses: [], validDays: 400)
            let key = try PrivateKey(pem: made.privateKeyPEM)
            for (clientID, pinned) in [("pinned-portal", true), ("unpinned-portal", false)] {
                _ = try p.h.registry.add(draft(clientID) {
                    $0.redirectURIs = ["https://cert.example/cb"]; $0.authMethods = ["private_key_jwt"]
                    $0.certificate = Array(made.certificatePEM.utf8); $0.pinned = pinned
                }, actor: "test")
            }
            #expect(try assertionGrant(p, "pinned-portal", signer: key) == nil)
            #expect(try assertionGrant(p, "pinned-portal", signer: try PrivateKey.generateP256())?.code == .invalidClient)
            // Not pinned and no trust store that vouches for it: refused.
            #expect(try assertionGrant(p, "unpinned-portal", signer: key)?.code == .invalidClient)
            // With a trust store, its verdict decides.
            for (trust, accepted) in [(Verdict(failures: []), true), (Verdict(failures: ["revoked"]), false)] {
                let provider = try provider(p, certificateTrust: trust)
                #expect((try assertionGrant(p, "unpinned-portal", signer: key, provider: provider) == nil) == accepted)
            }
            // Past the certificate's end, a pinned one no longer counts either.
            p.clock.advance(by: 400 * 86_400)
            #expect(try assertionGrant(p, "pinned-portal", signer: key)?.code == .invalidClient)
        }
    }

    @Test func privateKeyJWTWithKeysAtAJWKSURI() throws {
        try withProvider { p in
            let key = try PrivateKey.generateP256()
            let jwks: JSONValue = ["keys": .array([try JSONWebKey(privateKey: key, keyID: "k1", algorithm: .es256).json])]
            struct Published: JWKSFetching {
                let set: JSONValue?
                func fetch(_ uri: String) throws -> [UInt8] {
                    guard uri == "https://jwks.example/keys", let set else { throw CocoaError(.fileReadUnknown) }
                    return Array(set.jsonText.utf8)
                }
            }
            _ = try p.h.registry.add(draft("uri-portal") {
                $0.redirectURIs = ["https://jwks.example/cb"]; $0.authMethods = ["private_key_jwt"]; $0.jwksURI = "https://jwks.example/keys"
            }, actor: "test")
            let published = try provider(p, jwksFetcher: Published(set: jwks))
            #expect(try assertionGrant(p, "uri-portal", signer: key, kid: "k1", provider: published) == nil)
            #expect(try assertionGrant(p, "uri-portal", signer: try PrivateKey.generateP256(), kid: "k1", provider: published)?.code == .invalidClient)
            // The portal's key server is down: invalid_client, not an error of ours.
            let down = try provider(p, jwksFetcher: Published(set: nil))
            #expect(try assertionGrant(p, "uri-portal", signer: key, kid: "k1", provider: down)?.code == .invalidClient)
        }
    }

    /// Another provider over the harness's database, with a trust store or a key fetcher.
    private func provider(_ p: ProviderHarness, certificateTrust: (any PortalCertificateTrust)? = nil,
                          jwksFetcher: (any JWKSFetching)? = nil) throws -> OpenIDProvider {
        OpenIDProvider(settings: p.provider.settings, database: p.h.database, audit: p.h.audit, portals: p.h.registry, keys: p.keys,
                       tokenKey: try KeyDirectory.secret(.tokenHash, in: keysFolder), clock: p.clock, personData: { _ in nil },
                       certificateTrust: certificateTrust, jwksFetcher: jwksFetcher)
    }

    /// A client credentials grant authenticated by an ES256 assertion of `clientID`; the error, or nil when granted.
    private func assertionGrant(_ p: ProviderHarness, _ clientID: String, signer: PrivateKey, kid: String = "cert",
                                provider: OpenIDProvider? = nil) throws -> OAuthError? {
        let now = Int64(p.clock.now().timeIntervalSince1970)
        let claims: [String: JSONValue] = ["iss": .string(clientID), "sub": .string(clientID), "aud": "https://id.example/oauth2/token",
                                           "iat": .integer(now), "exp": .integer(now + 60), "jti": .string(UUID().uuidString)]
        let token = try JWT.sign(claims: claims, with: try JWSSigner(key: signer, algorithm: .es256, keyID: kid))
        let form = [("grant_type", "client_credentials"), ("client_assertion_type", ClientAssertionVerifier.assertionType),
                    ("client_assertion", token)].map { (name: $0.0, value: $0.1) }
        return P.oauthError { _ = try (provider ?? p.provider).token(try TokenRequest(form: form, authorization: nil), source: nil) }
    }
}

/// A trust store stand-in with a fixed verdict (the real one is tested in HeadCATests).
private struct Verdict: PortalCertificateTrust {
    let failures: [String]
    func failures(of certificate: Certificate, intermediates: [Certificate], at time: Date) -> [String] { failures }
}
