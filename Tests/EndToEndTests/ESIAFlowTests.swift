import Citizens
import Crypto
import Federation
import Foundation
@testable import OpenESIAServer
import PKI
import Support
import TestSupport
import Testing

/// The service with two ESIA information systems, signing as ESIA client libraries do with the development keys in
/// keys-example/pki: `INSP03211` (GOST portal certificate, GOST tokens, offline access) and `LEGACY01` (RSA certificate,
/// RS256 tokens). One seeded citizen (5000000000, Иванов, standard level, phone +79000000000).
final class ESIAFixture {
    let app: TestApplication
    let browser: BrowserClient
    let backend: BrowserClient
    let gost: (certificate: Certificate, key: PrivateKey)
    let rsa: (certificate: Certificate, key: PrivateKey)

    static let redirect = "https://is.example.gov/esia/callback"
    static let bye = "https://is.example.gov/bye"
    static let oid = "5000000000"
    static let scopes = "openid fullname birthdate snils id_doc contacts mobile"

    init() throws {
        app = try TestApplication()
        let pki = URL(fileURLWithPath: TestApplication.exampleKeys).appendingPathComponent("pki")
        func load(_ family: String) throws -> (Certificate, PrivateKey) {
            let folder = pki.appendingPathComponent(family)
            return (try Certificate(pem: try String(contentsOf: folder.appendingPathComponent("portal.crt"), encoding: .utf8)),
                    try PrivateKey(pem: try String(contentsOf: folder.appendingPathComponent("portal.key"), encoding: .utf8)))
        }
        gost = try load("gost")
        rsa = try load("rsa")
        var current = PortalDraft(clientID: "INSP03211", name: "ИС ведомства", redirectURIs: [Self.redirect])
        current.dialect = "esia"
        current.signingAlgorithm = "GOST3410_2012_256"
        current.certificate = gost.certificate.derBytes
        current.pinned = true
        current.postLogoutRedirectURIs = [Self.bye]
        current.scopes = Self.scopes.split(separator: " ").map(String.init)
        _ = try app.application.portals.add(current, actor: "test")
        var legacy = PortalDraft(clientID: "LEGACY01", name: "Старая ИС", redirectURIs: [Self.redirect])
        legacy.dialect = "esia"
        legacy.certificate = rsa.certificate.derBytes
        legacy.pinned = true
        legacy.scopes = ["openid", "fullname"]
        _ = try app.application.portals.add(legacy, actor: "test")
        try app.application.citizens.service.seedSynthetic(count: 1, password: OIDCFixture.password)
        browser = BrowserClient(port: app.port)
        backend = BrowserClient(port: app.port)
    }

    deinit { app.stop() }

    static func timestamp(_ offset: TimeInterval = 0) -> String { ESIATimestamp.format(Date().addingTimeInterval(offset), utcOffsetMinutes: 180) }

    /// `/aas/oauth2/ac?…` for LEGACY01, signed with a detached CMS without attributes, base64url (as fr05t1k/ekapusta).
    func legacyAuthorizeURL(state: String, scope: String = "openid fullname", timestamp: String = timestamp(),
                            redirect: String = redirect) throws -> String {
        let message = ESIASignedMessage.legacy(scope: scope, timestamp: timestamp, clientID: "LEGACY01", state: state)
        let secret = Base64URL.encode(try CMSSignature.sign(content: message, certificate: rsa.certificate, key: rsa.key, signedAttributes: false))
        return "/aas/oauth2/ac?" + BrowserClient.urlEncoded([
            ("client_id", "LEGACY01"), ("client_secret", secret), ("redirect_uri", redirect), ("scope", scope), ("response_type", "code"),
            ("state", state), ("timestamp", timestamp), ("access_type", "online")])
    }

    /// `/aas/oauth2/v2/ac?…` for INSP03211 with a raw GOST signature (as ilimurzin/esia 4.x).
    func currentAuthorizeURL(state: String, scope: String = scopes, timestamp: String = timestamp()) throws -> String {
        let message = ESIASignedMessage.currentAuthorization(clientID: "INSP03211", scope: scope, scopeOrg: "", timestamp: timestamp,
                                                             state: state, redirectURI: Self.redirect)
        return "/aas/oauth2/v2/ac?" + BrowserClient.urlEncoded([
            ("client_id", "INSP03211"), ("client_secret", Base64URL.encode(try RawSignature.sign(message, key: gost.key))),
            ("client_certificate_hash", try ESIACertificateHash.of(der: gost.certificate.derBytes)), ("redirect_uri", Self.redirect),
            ("scope", scope), ("response_type", "code"), ("state", state), ("timestamp", timestamp), ("access_type", "offline")])
    }

    /// POST /aas/oauth2/te for LEGACY01 (esia-connector's fields; its signed attributes kept, padding kept).
    func legacyToken(code: String, state: String, scope: String = "openid fullname", timestamp: String = timestamp()) throws -> RawResponse {
        let message = ESIASignedMessage.legacy(scope: scope, timestamp: timestamp, clientID: "LEGACY01", state: state)
        let secret = Data(try CMSSignature.sign(content: message, certificate: rsa.certificate, key: rsa.key)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return try backend.post("/aas/oauth2/te", [
            ("client_id", "LEGACY01"), ("code", code), ("grant_type", "authorization_code"), ("redirect_uri", Self.redirect),
            ("timestamp", timestamp), ("token_type", "Bearer"), ("scope", scope), ("state", state), ("client_secret", secret)])
    }

    /// POST /aas/oauth2/v3/te for INSP03211: a code (`code`) or a refresh (`refreshToken`).
    func currentToken(code: String? = nil, refreshToken: String? = nil, state: String, scope: String = scopes,
                      timestamp: String = timestamp(), tamper: Bool = false) throws -> RawResponse {
        let message = code.map {
            ESIASignedMessage.currentCodeExchange(clientID: "INSP03211", scope: scope, scopeOrg: "", timestamp: timestamp, state: state,
                                                  redirectURI: Self.redirect, code: $0)
        } ?? ESIASignedMessage.currentRefresh(clientID: "INSP03211", scope: scope, scopeOrg: "", timestamp: timestamp, state: state,
                                              redirectURI: Self.redirect)
        var signature = try RawSignature.sign(message, key: gost.key)
        if tamper { signature[10] ^= 1 }
        var fields = [("client_id", "INSP03211"), ("grant_type", code == nil ? "refresh_token" : "authorization_code"),
                      ("client_certificate_hash", try ESIACertificateHash.of(der: gost.certificate.derBytes)),
                      ("client_secret", Base64URL.encode(signature)), ("redirect_uri", Self.redirect), ("scope", scope), ("state", state),
                      ("timestamp", timestamp), ("token_type", "Bearer")]
        if let code { fields.append(("code", code)) }
        if let refreshToken { fields.append(("refresh_token", refreshToken)) }
        return try backend.post("/aas/oauth2/v3/te", fields)
    }

    /// Browser: authorize → login → consent; returns the portal's callback URL.
    func firstLogin(_ url: String) throws -> String {
        let start = try browser.get(url)
        #expect(start.status == 303, "\(start.text)")
        let login = try browser.get(try #require(start.header("Location")))
        let csrf = try #require(BrowserClient.csrfField(in: login.text))
        let returnTo = try #require(BrowserClient.hiddenValue("return", in: login.text)).replacingOccurrences(of: "&amp;", with: "&")
        let done = try browser.post("/login", [("csrf", csrf), ("return", returnTo), ("login", OIDCFixture.phone),
                                               ("password", OIDCFixture.password)])
        let consent = try browser.get(try #require(done.header("Location")))
        #expect(consent.status == 200, "consent page")
        let answer = try browser.post("/oauth2/consent", [("csrf", try #require(BrowserClient.csrfField(in: consent.text))),
                                                           ("request", try #require(BrowserClient.hiddenValue("request", in: consent.text))),
                                                           ("decision", "allow")])
        #expect(answer.status == 303)
        return try #require(answer.header("Location"))
    }

    func get(_ path: String, token: String) throws -> RawResponse {
        try backend.get(path, headers: [("Authorization", "Bearer " + token)])
    }

    /// The published certificate of the key that signed `token`, fetched as a client library is configured with it.
    func signingCertificate(of token: String) throws -> Certificate {
        let kid = try #require(try JWS.parse(token).keyID)
        let response = try backend.get("/esia/certificates/\(kid).cer")
        #expect(response.status == 200 && response.header("Content-Type") == "application/pkix-cert")
        return try Certificate(der: response.body)
    }
}

@Suite struct ESIAFlowTests {
    typealias F = ESIAFixture

    @Test func theLegacyFlowAsEsiaConnectorMakesIt() throws {
        let f = try F()
        let state = UUID().uuidString
        let callback = try f.firstLogin(try f.legacyAuthorizeURL(state: state))
        #expect(callback.hasPrefix(F.redirect + "?code="))
        let query = OIDCFixture.query(callback)
        #expect(query["state"] == state && query["iss"] == nil)

        // The token request carries the callback's state again (esia-connector, fr05t1k): accepted once.
        let response = try f.legacyToken(code: try #require(query["code"]), state: state)
        #expect(response.status == 200, "\(response.text)")
        #expect(response.header("Cache-Control") == "no-store")
        let tokens = try OIDCFixture.json(response)
        #expect(Set(tokens.objectValue?.keys ?? [:].keys) == ["access_token", "id_token", "expires_in", "token_type", "state"])
        #expect(tokens["state"] == .string(state) && tokens["expires_in"] == 3600 && tokens["token_type"] == "Bearer")

        // The ID token verifies with the published certificate, and reads as ESIA's.
        let idToken = try JWS.parse(try #require(tokens["id_token"]?.stringValue))
        #expect(idToken.algorithm == .rs256 && idToken.header["sbt"] == "id")
        #expect(RawSignature.verify(idToken.signature, message: idToken.signingInput, certificate: try f.signingCertificate(of: tokens["id_token"]!.stringValue!)))
        let claims = try JWT.claims(of: idToken)
        #expect(claims["iss"] == "http://127.0.0.1:8080/" && claims["aud"] == "LEGACY01" && claims["sub"] == 5_000_000_000)
        #expect(claims["urn:esia:sbj"]?["urn:esia:sbj:oid"] == 5_000_000_000 && claims["amr"] == "PWD")

        let person = try f.get("/rs/prns/\(F.oid)", token: try #require(tokens["access_token"]?.stringValue))
        #expect(person.status == 200)
        let body = try OIDCFixture.json(person)
        #expect(body["lastName"] == "Иванов" && body["trusted"] == false && body["snils"] == nil)
    }

    @Test func theCurrentFlowWithPersonDataAndRefresh() throws {
        let f = try F()
        let callback = try f.firstLogin(try f.currentAuthorizeURL(state: UUID().uuidString))
        let code = try #require(OIDCFixture.query(callback)["code"])
        let state = UUID().uuidString
        let response = try f.currentToken(code: code, state: state)
        #expect(response.status == 200, "\(response.text)")
        let tokens = try OIDCFixture.json(response)
        #expect(tokens["state"] == .string(state))
        let access = try #require(tokens["access_token"]?.stringValue)
        let jws = try JWS.parse(access)
        #expect(jws.algorithm == .gost3410_2012_256 && jws.signature.count == 64 && jws.header["sbt"] == "access" && jws.header["ver"] == 1)
        #expect(RawSignature.verify(jws.signature, message: jws.signingInput, certificate: try f.signingCertificate(of: access)))
        let claims = try JWT.claims(of: jws)
        #expect(claims["urn:esia:sbj_id"] == 5_000_000_000 && claims["client_id"] == "INSP03211" && claims["aud"] == nil)
        #expect(claims["scope"]?.stringValue?.contains("fullname?oid=5000000000") == true)

        // The person with everything embedded, as ekapusta/oauth2-esia asks for it.
        let person = try OIDCFixture.json(try f.get("/rs/prns/\(F.oid)?embed=(contacts.elements,addresses.elements,documents.elements)",
                                                     token: access))
        #expect(person["firstName"] == "Иван" && person["birthDate"] == "01.01.1980" && person["rIdDoc"] == 1)
        #expect(person["snils"] == .string(ESIAPersonResources.formattedSNILS(CitizenService.syntheticSNILS(0))))
        #expect(person["contacts"]?["elements"]?.arrayValue?.first?["value"] == "+7(900)0000000")
        #expect(person["documents"]?["elements"]?.arrayValue?.first?["type"] == "RF_PASSPORT")
        #expect(person["addresses"] == nil)  // no addresses scope

        let contacts = try OIDCFixture.json(try f.get("/rs/prns/\(F.oid)/ctts", token: access))
        #expect(contacts["stateFacts"] == ["hasSize"] && contacts["size"] == 1)
        let url = try #require(contacts["elements"]?.arrayValue?.first?.stringValue)
        #expect(url.hasPrefix("http://127.0.0.1:8080/rs/prns/\(F.oid)/ctts/"))
        let element = try OIDCFixture.json(try f.get(String(url.dropFirst("http://127.0.0.1:8080".count)), token: access))
        #expect(element["type"] == "MBT" && element["vrfStu"] == "VERIFIED")
        let docs = try OIDCFixture.json(try f.get("/rs/prns/\(F.oid)/docs?embed=(elements)", token: access))
        #expect(docs["elements"]?.arrayValue?.first?["issueId"] == "770001")
        // Not consented / not the subject / no token.
        let addresses = try f.get("/rs/prns/\(F.oid)/addrs", token: access)
        #expect(try addresses.status == 403 && (OIDCFixture.json(addresses))["code"] == "ESIA-005029")
        #expect(try f.get("/rs/prns/5000000001", token: access).status == 403)
        let anonymous = try f.backend.get("/rs/prns/\(F.oid)")
        #expect(anonymous.status == 401 && anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)

        // Offline access: the refresh token rotates; the old one again revokes the family.
        let refresh = try #require(tokens["refresh_token"]?.stringValue)
        let renewed = try f.currentToken(refreshToken: refresh, state: UUID().uuidString)
        #expect(renewed.status == 200, "\(renewed.text)")
        let next = try #require((try OIDCFixture.json(renewed))["refresh_token"]?.stringValue)
        #expect(next != refresh)
        let reused = try f.currentToken(refreshToken: refresh, state: UUID().uuidString)
        #expect(try reused.status == 400 && (OIDCFixture.json(reused))["error_description"]?.stringValue?.hasPrefix("ESIA-007011: ") == true)
        #expect(try f.get("/rs/prns/\(F.oid)", token: access).status == 401)

        let index = try OIDCFixture.json(try f.backend.get("/esia/certificates"))
        #expect(index["issuer"] == "http://127.0.0.1:8080/")
        #expect(Set(index["certificates"]?.arrayValue?.compactMap { $0["alg"]?.stringValue } ?? []) == ["RS256", "GOST3410_2012_256"])
    }

    @Test func aBadSignatureIs007053() throws {
        let f = try F()
        let callback = try f.firstLogin(try f.currentAuthorizeURL(state: UUID().uuidString))
        let code = try #require(OIDCFixture.query(callback)["code"])
        let state = UUID().uuidString
        let refused = try f.currentToken(code: code, state: state, tamper: true)
        #expect(refused.status == 401 && refused.header("Cache-Control") == "no-store")
        let body = try OIDCFixture.json(refused)
        #expect(body["error"] == "invalid_client" && body["state"] == .string(state))
        #expect(body["error_description"]?.stringValue?.hasPrefix("ESIA-007053: ") == true)
        // The refused request spent neither the state nor the code.
        #expect(try f.currentToken(code: code, state: state).status == 200)

        // At the authorization endpoint the error goes to the (registered) redirect URI with the state.
        var url = try f.currentAuthorizeURL(state: "11111111-2222-3333-4444-555555555555")
        url = url.replacingOccurrences(of: "client_secret=", with: "client_secret=AA")
        let redirect = try f.browser.get(url)
        #expect(redirect.status == 303)
        let query = OIDCFixture.query(redirect.header("Location") ?? "")
        #expect(query["error"] == "invalid_client" && query["error_description"]?.hasPrefix("ESIA-007053: ") == true)
        #expect(query["state"] == "11111111-2222-3333-4444-555555555555")
    }

    @Test func aStaleTimestampIs007015() throws {
        let f = try F()
        let redirect = try f.browser.get(try f.legacyAuthorizeURL(state: UUID().uuidString, timestamp: F.timestamp(-600)))
        let query = OIDCFixture.query(redirect.header("Location") ?? "")
        #expect(query["error"] == "invalid_request" && query["error_description"]?.hasPrefix("ESIA-007015: ") == true)

        let callback = try f.firstLogin(try f.legacyAuthorizeURL(state: UUID().uuidString))
        let stale = try f.legacyToken(code: try #require(OIDCFixture.query(callback)["code"]), state: UUID().uuidString, timestamp: F.timestamp(3_600))
        #expect(try stale.status == 400 && (OIDCFixture.json(stale))["error_description"]?.stringValue?.hasPrefix("ESIA-007015: ") == true)
    }

    @Test func aStateServesOneTokenRequest() throws {
        let f = try F()
        let first = try #require(OIDCFixture.query(try f.firstLogin(try f.currentAuthorizeURL(state: UUID().uuidString)))["code"])
        let state = UUID().uuidString
        #expect(try f.currentToken(code: first, state: state).status == 200)
        // SSO: a second authorization needs no login or consent; its exchange with the same token state is refused.
        let again = try f.browser.get(try f.currentAuthorizeURL(state: UUID().uuidString))
        let second = try #require(OIDCFixture.query(again.header("Location") ?? "")["code"])
        let reused = try f.currentToken(code: second, state: state)
        #expect(reused.status == 400)
        #expect((try OIDCFixture.json(reused))["error_description"]?.stringValue?.hasPrefix("ESIA-007003: ") == true)
        #expect(try f.currentToken(code: second, state: UUID().uuidString).status == 200)
        // The same state in two authorization requests: the second is refused at the redirect URI.
        let authorizationState = UUID().uuidString
        _ = try f.browser.get(try f.currentAuthorizeURL(state: authorizationState))
        let twice = try f.browser.get(try f.currentAuthorizeURL(state: authorizationState))
        #expect(OIDCFixture.query(twice.header("Location") ?? "")["error_description"]?.hasPrefix("ESIA-007003: ") == true)
    }

    @Test func anUnregisteredRedirectURIGetsAPage() throws {
        let f = try F()
        let response = try f.browser.get(try f.legacyAuthorizeURL(state: UUID().uuidString, redirect: "https://evil.example/cb"))
        #expect(response.status == 400 && response.header("Location") == nil)
        #expect(response.text.contains("ESIA-007023") && response.header("Content-Type")?.hasPrefix("text/html") == true)
    }

    @Test func logoutEndsTheSSOSession() throws {
        let f = try F()
        _ = try f.firstLogin(try f.currentAuthorizeURL(state: UUID().uuidString))
        let bad = try f.browser.get("/idp/ext/Logout?client_id=INSP03211&redirect_url=https%3A%2F%2Fevil.example%2F")
        #expect(bad.status == 400 && bad.header("Location") == nil)
        let out = try f.browser.get("/idp/ext/Logout?client_id=INSP03211&redirect_url=" + RedirectURL.encode(F.bye))
        #expect(out.status == 303 && out.header("Location") == F.bye)
        // The next authorization asks for the login again.
        let next = try f.browser.get(try f.currentAuthorizeURL(state: UUID().uuidString))
        #expect(next.header("Location")?.hasPrefix("/login?return=") == true)
        let audit = try f.app.application.database.read { db in try db.query("SELECT kind FROM audit_log").map { try $0.string(0) } }
        #expect(audit.contains("logout"))
    }
}
