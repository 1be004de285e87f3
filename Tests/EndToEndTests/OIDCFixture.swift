import Citizens
import Crypto
import Federation
import Foundation
@testable import OpenESIAServer
import Support
import TestSupport
import Testing

/// The service with three portals and one seeded citizen, and the steps of the code flow as a browser and a portal
/// make them: `web` (confidential, client_secret_basic, ES256), `spa` (public, PKCE), `strict` (needs a confirmed account).
final class OIDCFixture {
    let app: TestApplication
    let webSecret: String
    let strictSecret: String
    let browser: BrowserClient
    /// The portal's back end: no cookies shared with the browser.
    let backend: BrowserClient

    static let password = "Long enough passphrase 2026"
    static let phone = CitizenService.syntheticPhone(0)
    static let webRedirect = "https://web.example/cb"
    static let spaRedirect = "http://127.0.0.1:5000/cb"
    static let issuer = "http://127.0.0.1:8080"

    /// - Parameter webBackchannel: the back-channel logout URI of `web`, if any.
    init(clock: any WallClock = SystemClock(), webBackchannel: String? = nil, configure: (inout Configuration) -> Void = { _ in }) throws {
        app = try TestApplication(clock: clock, configure: configure)
        let portals = app.application.portals
        var web = PortalDraft(clientID: "web", name: "Городской портал", redirectURIs: [Self.webRedirect])
        web.postLogoutRedirectURIs = ["https://web.example/bye"]
        web.backchannelLogoutURI = webBackchannel
        web.scopes = ["openid", "fullname", "birthdate", "snils", "mobile", "id_doc"]
        webSecret = try portals.add(web, actor: "test").secret!
        var spa = PortalDraft(clientID: "spa", name: "Приложение", redirectURIs: [Self.spaRedirect])
        spa.authMethods = ["none"]
        _ = try portals.add(spa, actor: "test")
        var strict = PortalDraft(clientID: "strict", name: "Налоговый портал", redirectURIs: ["https://tax.example/cb"])
        strict.minimumLevel = "confirmed"
        strictSecret = try portals.add(strict, actor: "test").secret!
        try app.application.citizens.service.seedSynthetic(count: 1, password: Self.password)
        browser = BrowserClient(port: app.port)
        backend = BrowserClient(port: app.port)
    }

    deinit { app.stop() }

    /// `/oauth2/authorize?…` for `web` with a PKCE challenge of `verifier`, and `extra` parameters.
    static func authorizeURL(client: String = "web", redirect: String = webRedirect, scope: String = "openid fullname",
                             verifier: String? = verifier, _ extra: [(String, String)] = []) -> String {
        var fields = [("response_type", "code"), ("client_id", client), ("redirect_uri", redirect), ("scope", scope), ("state", "st-1"),
                      ("nonce", "nonce-1")]
        if let verifier { fields += [("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256")] }
        return "/oauth2/authorize?" + BrowserClient.urlEncoded(fields + extra)
    }

    static let verifier = String(repeating: "verifier-", count: 6)

    /// Follows the login redirect: logs the citizen in through the login page, returns the next Location (the resume path).
    func logIn(at location: String) throws -> String {
        let page = try browser.get(location)
        #expect(page.status == 200)
        let csrf = try #require(BrowserClient.csrfField(in: page.text))
        let returnTo = try #require(BrowserClient.hiddenValue("return", in: page.text))
        let done = try browser.post("/login", [("csrf", csrf), ("return", returnTo.replacingOccurrences(of: "&amp;", with: "&")),
                                               ("login", Self.phone), ("password", Self.password)])
        #expect(done.status == 303)
        return try #require(done.header("Location"))
    }

    /// Allows (or denies) on the consent page at `location`; returns the redirect to the portal.
    func consent(at location: String, allow: Bool = true) throws -> String {
        let page = try browser.get(location)
        #expect(page.status == 200, "consent page")
        let csrf = try #require(BrowserClient.csrfField(in: page.text))
        let request = try #require(BrowserClient.hiddenValue("request", in: page.text))
        let answer = try browser.post("/oauth2/consent", [("csrf", csrf), ("request", request), ("decision", allow ? "allow" : "deny")])
        #expect(answer.status == 303)
        return try #require(answer.header("Location"))
    }

    /// The whole first visit: authorize → login → consent; returns the portal's redirect with the code.
    func firstLogin(_ url: String = authorizeURL()) throws -> String {
        let start = try browser.get(url)
        #expect(start.status == 303)
        let resume = try logIn(at: try #require(start.header("Location")))
        return try consent(at: resume)
    }

    /// The query parameters of a URL.
    static func query(_ url: String) -> [String: String] {
        var result: [String: String] = [:]
        for item in URLComponents(string: url)?.queryItems ?? [] { result[item.name] = item.value }
        return result
    }

    var webBasic: (String, String) { ("Authorization", "Basic " + Data("web:\(webSecret)".utf8).base64EncodedString()) }

    /// POSTs to the token endpoint as `web` (Basic) unless `headers` say otherwise.
    func token(_ fields: [(String, String)], headers: [(String, String)]? = nil) throws -> RawResponse {
        try backend.post("/oauth2/token", fields, headers: headers ?? [webBasic])
    }

    /// Exchanges a code of `web`.
    func exchange(_ code: String, verifier: String = verifier) throws -> RawResponse {
        try token([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.webRedirect), ("code_verifier", verifier)])
    }

    static func json(_ response: RawResponse) throws -> JSONValue { try JSONValue.parse(response.body) }

    /// "status error", e.g. "400 invalid_grant".
    static func error(_ response: RawResponse) throws -> String {
        let code = try json(response)["error"]?.stringValue ?? "-"
        return "\(response.status) \(code)"
    }

    func userinfo(_ accessToken: String) throws -> RawResponse {
        try backend.get("/oauth2/userinfo", headers: [("Authorization", "Bearer " + accessToken)])
    }
}
