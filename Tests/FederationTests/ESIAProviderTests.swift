import Citizens
import Crypto
@testable import Federation
import Foundation
import PKI
import Storage
import Support
import Testing

/// An ESIA provider over the OpenID provider harness, with two ESIA portals: `INSP03211` (GOST certificate, GOST tokens,
/// both flows) and `LEGACY01` (RSA certificate, RS256 tokens, legacy flow only).
struct ESIAHarness {
    let base: ProviderHarness
    let esia: ESIAProvider
    let gost: ESIATestPKI
    let rsa: ESIATestPKI

    static let redirect = "https://is.example.gov/esia/callback"
    var now: Date { base.clock.now() }
    var timestamp: String { ESIATimestamp.format(now, utcOffsetMinutes: 180) }

    /// A legacy (`/aas/oauth2/ac`) request signed with CMS; `change` may alter the fields after signing.
    func legacyAuthorization(client: String = "LEGACY01", scope: String = "openid fullname", state: String = UUID().uuidString,
                             accessType: String = "offline", change: (inout [String: String]) -> Void = { _ in }) throws -> [(name: String, value: String)] {
        let pki = client == "LEGACY01" ? rsa : gost
        var fields = ["client_id": client, "redirect_uri": Self.redirect, "scope": scope, "response_type": "code", "state": state,
                      "timestamp": timestamp, "access_type": accessType]
        let message = ESIASignedMessage.legacy(scope: scope, timestamp: timestamp, clientID: client, state: state)
        fields["client_secret"] = Base64URL.encode(try CMSSignature.sign(content: message, certificate: pki.portal, key: pki.portalKey,
                                                                          signedAttributes: false))
        change(&fields)
        return fields.map { (name: $0.key, value: $0.value) }
    }

    /// A current (`/aas/oauth2/v2/ac`) request with a raw GOST signature.
    func currentAuthorization(scope: String = "openid fullname", state: String = UUID().uuidString,
                              accessType: String = "offline") throws -> [(name: String, value: String)] {
        let message = ESIASignedMessage.currentAuthorization(clientID: "INSP03211", scope: scope, scopeOrg: "", timestamp: timestamp,
                                                             state: state, redirectURI: Self.redirect)
        return [("client_id", "INSP03211"), ("redirect_uri", Self.redirect), ("scope", scope), ("response_type", "code"), ("state", state),
                ("timestamp", timestamp), ("access_type", accessType),
                ("client_certificate_hash", try ESIACertificateHash.of(der: gost.portal.derBytes)),
                ("client_secret", Base64URL.encode(try RawSignature.sign(message, key: gost.portalKey)))].map { (name: $0.0, value: $0.1) }
    }

    /// Validates, approves for Petrova and returns the code and state from the redirect.
    func code(_ parameters: [(name: String, value: String)], flow: ESIAFlow, login: CitizenLogin? = nil) throws -> (code: String, state: String) {
        let request = try esia.validateAuthorization(parameters, flow: flow)
        let url = try esia.openID.approve(request, login: login ?? base.login(), consentGiven: true, pendingID: nil, source: nil)
        let query = ProviderHarness.query(url)
        #expect(query["iss"] == nil)
        return (try #require(query["code"]), try #require(query["state"]))
    }

    /// A legacy token request (`/aas/oauth2/te`).
    func legacyToken(client: String = "LEGACY01", grant: [(String, String)], scope: String = "openid fullname",
                     state: String = UUID().uuidString, timestamp: String? = nil) throws -> [(name: String, value: String)] {
        let pki = client == "LEGACY01" ? rsa : gost
        let timestamp = timestamp ?? self.timestamp
        let message = ESIASignedMessage.legacy(scope: scope, timestamp: timestamp, clientID: client, state: state)
        let secret = Base64URL.encode(try CMSSignature.sign(content: message, certificate: pki.portal, key: pki.portalKey))
        return ([("client_id", client), ("redirect_uri", Self.redirect), ("scope", scope), ("state", state), ("timestamp", timestamp),
                 ("token_type", "Bearer"), ("client_secret", secret)] + grant).map { (name: $0.0, value: $0.1) }
    }

    /// A current token request (`/aas/oauth2/v3/te`) for a code.
    func currentCodeToken(code: String, scope: String = "openid fullname", state: String = UUID().uuidString) throws -> [(name: String, value: String)] {
        let message = ESIASignedMessage.currentCodeExchange(clientID: "INSP03211", scope: scope, scopeOrg: "", timestamp: timestamp, state: state,
                                                            redirectURI: Self.redirect, code: code)
        return [("client_id", "INSP03211"), ("code", code), ("grant_type", "authorization_code"), ("redirect_uri", Self.redirect),
                ("scope", scope), ("state", state), ("timestamp", timestamp), ("token_type", "Bearer"),
                ("client_certificate_hash", try ESIACertificateHash.of(der: gost.portal.derBytes)),
                ("client_secret", Base64URL.encode(try RawSignature.sign(message, key: gost.portalKey)))].map { (name: $0.0, value: $0.1) }
    }

    /// A current refresh request.
    func currentRefresh(_ refreshToken: String, scope: String = "openid fullname", state: String = UUID().uuidString) throws -> [(name: String, value: String)] {
        let message = ESIASignedMessage.currentRefresh(clientID: "INSP03211", scope: scope, scopeOrg: "", timestamp: timestamp, state: state,
                                                       redirectURI: Self.redirect)
        return [("client_id", "INSP03211"), ("refresh_token", refreshToken), ("grant_type", "refresh_token"), ("redirect_uri", Self.redirect),
                ("scope", scope), ("state", state), ("timestamp", timestamp), ("token_type", "Bearer"),
                ("client_certificate_hash", try ESIACertificateHash.of(der: gost.portal.derBytes)),
                ("client_secret", Base64URL.encode(try RawSignature.sign(message, key: gost.portalKey)))].map { (name: $0.0, value: $0.1) }
    }

    /// The claims of a token the service signed.
    func claims(_ token: String) throws -> [String: JSONValue] {
        let jws = try JWS.parse(token)
        let keyID = try #require(jws.keyID)
        let verifier = try #require(try base.keys.verifier(keyID: keyID, at: now))
        try verifier.verify(jws)
        return try JWT.claims(of: jws).values
    }

    /// The ESIA error code of a failure.
    static func code(_ body: () throws -> Void) -> ESIAErrorCode? {
        do { try body() } catch let failure as ESIATokenFailure { return failure.error.code } catch let error as ESIAError { return error.code }
        catch let failure as ESIAAuthorizationFailure {
            switch failure {
            case .page(let error), .redirect(let error, _, _): return error.code
            }
        } catch { return nil }
        return nil
    }
}

func withESIA(_ body: (ESIAHarness) throws -> Void) throws {
    try withProvider { base in
        try base.h.database.migrate(ESIAProvider.migrations)
        let gost = try ESIATestPKI.of(.gost256), rsa = try ESIATestPKI.of(.rsa)
        let scopes = ["openid", "fullname", "birthdate", "gender", "snils", "id_doc", "contacts", "mobile", "addresses"]
        _ = try base.h.registry.add(draft("INSP03211") {
            $0.dialect = "esia"; $0.signingAlgorithm = "GOST3410_2012_256"; $0.certificate = gost.portal.derBytes; $0.pinned = true
            $0.redirectURIs = [ESIAHarness.redirect]; $0.postLogoutRedirectURIs = ["https://is.example.gov/bye"]; $0.scopes = scopes
        }, actor: "test")
        _ = try base.h.registry.add(draft("LEGACY01") {
            $0.dialect = "esia"; $0.certificate = rsa.portal.derBytes; $0.pinned = true
            $0.redirectURIs = [ESIAHarness.redirect]; $0.scopes = scopes
        }, actor: "test")
        var settings = ESIASettings()
        settings.issuer = "https://id.example/"
        settings.baseURL = "https://id.example"
        let esia = ESIAProvider(settings: settings, provider: base.provider, trust: nil,
                                personData: { $0 == ProviderHarness.petrova.publicID ? ProviderHarness.petrova : nil })
        try body(ESIAHarness(base: base, esia: esia, gost: gost, rsa: rsa))
    }
}

@Suite struct ESIAProviderTests {
    @Test func theLegacyFlowGivesESIAsTokenJSON() throws {
        try withESIA { e in
            let state = UUID().uuidString
            let (code, echoed) = try e.code(try e.legacyAuthorization(state: state), flow: .legacy)
            #expect(echoed == state)
            // esia-connector sends the callback's state back in the token request: accepted.
            let response = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", code)], state: state),
                                            flow: .legacy, source: nil)
            #expect(Set(response.objectValue!.keys) == ["access_token", "id_token", "refresh_token", "expires_in", "token_type", "state"])
            #expect(response["expires_in"] == 3600 && response["token_type"] == "Bearer" && response["state"] == .string(state))
            let access = try e.claims(response["access_token"]!.stringValue!)
            #expect(access["urn:esia:sbj_id"] == 1_000_000_007 && access["client_id"] == "LEGACY01" && access["iss"] == "https://id.example/")
            #expect(access["scope"] == "openid fullname?oid=1000000007")
            let id = try e.claims(response["id_token"]!.stringValue!)
            #expect(id["sub"] == 1_000_000_007 && id["aud"] == "LEGACY01" && id["amr"] == "PWD")
            #expect(id["urn:esia:sbj"]?["urn:esia:sbj:lvl"] == "P")
            #expect(try JWS.parse(response["access_token"]!.stringValue!).algorithm == .rs256)
        }
    }

    @Test func theCurrentFlowWithGOSTTokensAndRefresh() throws {
        try withESIA { e in
            let (code, _) = try e.code(try e.currentAuthorization(scope: "openid fullname snils"), flow: .current)
            let first = try e.esia.token(try e.currentCodeToken(code: code, scope: "openid fullname snils"), flow: .current, source: nil)
            let jws = try JWS.parse(first["id_token"]!.stringValue!)
            #expect(jws.algorithm == .gost3410_2012_256 && jws.signature.count == 64)
            #expect(jws.header["sbt"] == "id" && jws.header["ver"] == 1 && jws.header["typ"] == "JWT")
            let refresh = try #require(first["refresh_token"]?.stringValue)
            let second = try e.esia.token(try e.currentRefresh(refresh), flow: .current, source: nil)
            let next = try #require(second["refresh_token"]?.stringValue)
            #expect(next != refresh && second["access_token"] != nil && second["id_token"] != nil)
            // The old refresh token again: the family is revoked, the newest refresh token and the access tokens too.
            #expect(ESIAHarness.code { _ = try e.esia.token(try e.currentRefresh(refresh), flow: .current, source: nil) } == .invalidGrant)
            #expect(ESIAHarness.code { _ = try e.esia.token(try e.currentRefresh(next), flow: .current, source: nil) } == .invalidGrant)
            #expect(throws: ESIAInvalidToken.self) { try e.esia.verifyAccessToken(second["access_token"]!.stringValue!) }
        }
    }

    @Test func onlineAccessGetsNoRefreshToken() throws {
        try withESIA { e in
            let (code, _) = try e.code(try e.legacyAuthorization(accessType: "online"), flow: .legacy)
            let response = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", code)]), flow: .legacy, source: nil)
            #expect(response["refresh_token"] == nil && response["access_token"] != nil)
        }
    }

    @Test func aReplayedCodeRevokesWhatItGave() throws {
        try withESIA { e in
            let (code, _) = try e.code(try e.legacyAuthorization(), flow: .legacy)
            let response = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", code)]), flow: .legacy, source: nil)
            let token = response["access_token"]!.stringValue!
            #expect(try e.esia.verifyAccessToken(token).oid == 1_000_000_007)
            let replay = #expect(throws: ESIATokenFailure.self) {
                _ = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", code)]), flow: .legacy, source: nil)
            }
            #expect(replay?.error.code == .invalidGrant && replay?.json["error"] == "invalid_grant")
            #expect(throws: ESIAInvalidToken.self) { try e.esia.verifyAccessToken(token) }
        }
    }

    @Test func stateRules() throws {
        try withESIA { e in
            let a = UUID().uuidString
            let (code, _) = try e.code(try e.legacyAuthorization(state: a), flow: .legacy)
            // The same state in a second authorization request: refused, redirected with the state.
            let again = #expect(throws: ESIAAuthorizationFailure.self) { _ = try e.esia.validateAuthorization(try e.legacyAuthorization(state: a), flow: .legacy) }
            guard case .redirect(let error, let uri, let state) = again else { Issue.record("not a redirect"); return }
            #expect(error.code == .invalidParameter && uri == ESIAHarness.redirect && state == a)
            // A fresh state in the token request, then the same state in another token request: refused (before the code is touched).
            let t = UUID().uuidString
            _ = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", code)], state: t), flow: .legacy, source: nil)
            let (code2, _) = try e.code(try e.legacyAuthorization(), flow: .legacy)
            let reused = #expect(throws: ESIATokenFailure.self) {
                _ = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", code2)], state: t), flow: .legacy, source: nil)
            }
            #expect(reused?.error.code == .invalidParameter && reused?.state == t)
            #expect(reused?.json == ["error": "invalid_request", "error_description": .string(reused!.error.errorDescription), "state": .string(t)])
            // Another authorization's state cannot be borrowed; the code is still good with its own.
            #expect(ESIAHarness.code {
                _ = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", code2)], state: a), flow: .legacy, source: nil)
            } == .invalidParameter)
            _ = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", code2)]), flow: .legacy, source: nil)
        }
    }

    @Test func authorizationErrors() throws {
        try withESIA { e in
            func failure(_ parameters: [(name: String, value: String)], flow: ESIAFlow = .legacy) -> ESIAAuthorizationFailure? {
                do { _ = try e.esia.validateAuthorization(parameters, flow: flow); return nil } catch { return error }
            }
            // Pages: unknown or non-ESIA client, unregistered redirect URI (never redirected).
            #expect(failure(try e.legacyAuthorization { $0["client_id"] = "web" }) == .page(ESIAError(.unknownClient, "")))
            #expect(failure(try e.legacyAuthorization { $0["client_id"] = "NOPE" }) == .page(ESIAError(.unknownClient, "")))
            #expect(failure(try e.legacyAuthorization { $0["redirect_uri"] = "https://evil.example/cb" }) == .page(ESIAError(.redirectURINotAllowed, "")))
            #expect(failure(try e.legacyAuthorization { $0["redirect_uri"] = nil }) == .page(ESIAError(.missingParameter, "")))
            // Redirects.
            func redirected(_ parameters: [(name: String, value: String)], flow: ESIAFlow = .legacy) -> ESIAErrorCode? {
                if case .redirect(let error, _, _) = failure(parameters, flow: flow) { return error.code }
                return nil
            }
            #expect(redirected(try e.legacyAuthorization { $0["response_type"] = "token" }) == .unsupportedResponseType)
            #expect(redirected(try e.legacyAuthorization(scope: "")) == .noScope)
            #expect(redirected(try e.legacyAuthorization(scope: "openid usr_org")) == .invalidScope)
            #expect(redirected(try e.legacyAuthorization(scope: "openid inn")) == .scopeNotAllowed)
            #expect(redirected(try e.legacyAuthorization(scope: "fullname")) == .invalidScope)
            #expect(redirected(try e.legacyAuthorization(state: "SOME-STATE")) == .invalidParameter)
            #expect(redirected(try e.legacyAuthorization { $0["timestamp"] = ESIATimestamp.format(e.now.addingTimeInterval(-301)) }) == .wrongTimestamp)
            #expect(redirected(try e.legacyAuthorization { $0["access_type"] = "forever" }) == .invalidParameter)
            #expect(redirected(try e.legacyAuthorization { $0["scope"] = "openid fullname birthdate" }) == .invalidClientSecret)
            #expect(redirected(try e.legacyAuthorization { $0["client_secret"] = nil }) == .missingParameter)
            // A CMS secret at the current endpoint, a legacy portal's certificate hash missing.
            #expect(redirected(try e.legacyAuthorization(client: "INSP03211"), flow: .current) == .missingParameter)
            #expect(redirected(try e.currentAuthorization().map { $0.name == "client_secret" ? (name: $0.name, value: "AAAA") : $0 }, flow: .current)
                == .invalidClientSecret)
            // A signature failure spends no state: the same state, signed right, still works.
            let state = UUID().uuidString
            #expect(redirected(try e.legacyAuthorization(state: state) { $0["scope"] = "openid fullname birthdate" }) == .invalidClientSecret)
            _ = try e.esia.validateAuthorization(try e.legacyAuthorization(state: state), flow: .legacy)
            // The redirect format.
            let url = ESIAProvider.errorRedirect(ESIAError(.wrongTimestamp, "stale"), redirectURI: ESIAHarness.redirect, state: state)
            #expect(ProviderHarness.query(url) == ["error": "invalid_request", "error_description": "ESIA-007015: stale", "state": state])
        }
    }

    @Test func tokenErrors() throws {
        try withESIA { e in
            let (code, _) = try e.code(try e.legacyAuthorization(), flow: .legacy)
            let grant = [("grant_type", "authorization_code"), ("code", code)]
            let stale = ESIATimestamp.format(e.now.addingTimeInterval(-3_600))
            #expect(ESIAHarness.code { _ = try e.esia.token(try e.legacyToken(grant: grant, timestamp: stale), flow: .legacy, source: nil) } == .wrongTimestamp)
            // Signed by the GOST portal's key but claiming to be LEGACY01.
            let forged = try e.legacyToken(client: "INSP03211", grant: grant).map { $0.name == "client_id" ? (name: $0.name, value: "LEGACY01") : $0 }
            #expect(ESIAHarness.code { _ = try e.esia.token(forged, flow: .legacy, source: nil) } == .invalidClientSecret)
            #expect(ESIAHarness.code { _ = try e.esia.token(try e.legacyToken(grant: [("grant_type", "password")]), flow: .legacy, source: nil) }
                == .unsupportedGrant)
            #expect(ESIAHarness.code { _ = try e.esia.token(try e.legacyToken(grant: [("grant_type", "client_credentials")]), flow: .legacy, source: nil) }
                == .unsupportedGrant)
            #expect(ESIAHarness.code { _ = try e.esia.token(try e.legacyToken(grant: grant + [("code", "again")]), flow: .legacy, source: nil) }
                == .invalidParameter)
            #expect(ESIAHarness.code { _ = try e.esia.token(try e.legacyToken(grant: [("grant_type", "authorization_code"), ("code", "unknown")]),
                                                           flow: .legacy, source: nil) } == .invalidGrant)
            // Nothing above spent the code.
            _ = try e.esia.token(try e.legacyToken(grant: grant), flow: .legacy, source: nil)
        }
    }

    @Test func personResourcesNeedTheSubjectsOwnLiveToken() throws {
        try withESIA { e in
            let (code, _) = try e.code(try e.currentAuthorization(scope: "openid fullname id_doc"), flow: .current)
            let response = try e.esia.token(try e.currentCodeToken(code: code, scope: "openid fullname id_doc"), flow: .current, source: nil)
            let token = response["access_token"]!.stringValue!
            let resources = try e.esia.resources(token: token, oid: "1000000007")
            #expect(resources.person()["lastName"] == "Петрова" && resources.person()["birthDate"] == nil)
            #expect(try resources.documents(embed: false)["elements"] == ["https://id.example/rs/prns/1000000007/docs/1"])
            #expect(throws: ESIAResourceError.wrongSubject) { _ = try e.esia.resources(token: token, oid: "1000000008") }
            #expect(throws: ESIAInvalidToken.self) { _ = try e.esia.resources(token: token + "x", oid: "1000000007") }
            // The OpenID provider's own access tokens are not ESIA tokens, and the other way round.
            let oidc = try e.base.exchange(try e.base.code())
            #expect(throws: ESIAInvalidToken.self) { _ = try e.esia.resources(token: oidc.accessToken, oid: "1000000007") }
            #expect(throws: OAuthError.self) { _ = try e.esia.openID.userinfo(accessToken: token) }
        }
    }

    @Test func logoutNeedsARegisteredURL() throws {
        try withESIA { e in
            let bye = try e.esia.validateLogout([(name: "client_id", value: "INSP03211"), (name: "redirect_url", value: "https://is.example.gov/bye")])
            #expect(bye == ESIALogoutRequest(clientID: "INSP03211", redirect: "https://is.example.gov/bye"))
            let back = try e.esia.validateLogout([(name: "client_id", value: "INSP03211"), (name: "redirect_url", value: ESIAHarness.redirect)])
            #expect(back.redirect == ESIAHarness.redirect)
            let plain = try e.esia.validateLogout([(name: "client_id", value: "INSP03211")])
            #expect(plain.redirect == nil)
            #expect(throws: ESIAError(.redirectURINotAllowed, "")) {
                try e.esia.validateLogout([(name: "client_id", value: "INSP03211"), (name: "redirect_url", value: "https://evil.example/")])
            }
            #expect(throws: ESIAError(.unknownClient, "")) { try e.esia.validateLogout([(name: "client_id", value: "web")]) }
        }
    }

    @Test func consentRefusedAndLevelTooLowReachThePortalAsESIAErrors() throws {
        try withESIA { e in
            let request = try e.esia.validateAuthorization(try e.legacyAuthorization(), flow: .legacy)
            let refused = try e.esia.openID.deny(request, error: OAuthError(.accessDenied, "The citizen refused."), login: e.base.login(),
                                                 pendingID: nil, source: nil)
            let query = ProviderHarness.query(refused)
            #expect(query["error"] == "access_denied" && query["error_description"]?.hasPrefix("ESIA-007004: ") == true && query["state"] == request.state)
            #expect(ESIAError(denial: OAuthError(.accessDenied, "The citizen's account level is below the level required.")).code == .levelTooLow)
        }
    }
}
