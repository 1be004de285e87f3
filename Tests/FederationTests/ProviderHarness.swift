import Audit
import Citizens
import Crypto
@testable import Federation
import Foundation
import Storage
import Support
import Testing

/// A provider over a fresh database with three portals: `web` (confidential, secret by Basic or form), `spa` (public,
/// PKCE) and `other` (confidential, a second portal for cross-client checks); Petrova as the one citizen.
struct ProviderHarness {
    let h: Harness
    let provider: OpenIDProvider
    let keys: SigningKeyStore
    let webSecret: String
    let otherSecret: String

    static let webRedirect = "https://web.example/callback"
    static let spaRedirect = "http://127.0.0.1:5000/cb"
    static let petrova = CitizenPersonData(
        citizenID: 7, publicID: "1000000007", surname: "Петрова", givenName: "Анна", patronymic: "Сергеевна", birthDate: "1990-05-17",
        gender: "female", level: .standard, contacts: [
            Contact(id: 1, kind: .phone, value: "+79161234567", confirmedAt: Date(timeIntervalSince1970: 1_700_000_000)),
            Contact(id: 2, kind: .email, value: "anna@example.org", confirmedAt: nil),
        ], snils: "11223344595", snilsVerified: true, inn: "500100732259",
        passport: PassportDetails(series: "4508", number: "123456", issueDate: "2010-06-01", issuer: "ОВД Хамовники", issuerCode: "770-001"),
        passportVerified: true,
        address: AddressData(postalCode: "119021", region: "Москва", city: "Москва", street: "улица Льва Толстого", house: "16", flat: "5"))

    var clock: FixedClock { h.clock }

    /// The login of Petrova's browser session, logged in `age` seconds ago at `level`.
    func login(age: TimeInterval = 10, level: AccountLevel = .standard, handle: String = "session-1") -> CitizenLogin {
        CitizenLogin(citizenID: 7, publicID: "1000000007", level: level, authenticatedAt: clock.now().addingTimeInterval(-age), method: "pwd",
                     sessionHandle: handle)
    }

    /// The parameters of a good authorization request of `web`, with `change` applied.
    static func webRequest(scope: String = "openid fullname", _ extra: [(String, String)] = []) -> [(name: String, value: String)] {
        ([("response_type", "code"), ("client_id", "web"), ("redirect_uri", webRedirect), ("scope", scope), ("state", "s-123"),
          ("nonce", "n-456")] + extra).map { (name: $0.0, value: $0.1) }
    }

    /// Validates, approves with consent, and returns the code from the redirect.
    func code(_ parameters: [(name: String, value: String)] = webRequest(), login: CitizenLogin? = nil) throws -> String {
        let request = try provider.validateAuthorization(parameters)
        let url = try provider.approve(request, login: login ?? self.login(), consentGiven: true, pendingID: nil, source: nil)
        return try #require(Self.query(url)["code"])
    }

    /// Basic credentials for `web`.
    var webBasic: String { "Basic " + Data("web:\(webSecret)".utf8).base64EncodedString() }

    /// A token request of `web` with Basic authentication.
    func tokenRequest(_ fields: [(String, String)], authorization: String? = nil) throws -> TokenRequest {
        try TokenRequest(form: fields.map { (name: $0.0, value: $0.1) }, authorization: authorization ?? webBasic)
    }

    /// Exchanges a code of `web`.
    func exchange(_ code: String, extra: [(String, String)] = []) throws -> TokenResponse {
        try provider.token(try tokenRequest([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.webRedirect)] + extra),
                           source: nil)
    }

    /// The query parameters of a URL.
    static func query(_ url: String) -> [String: String] {
        var result: [String: String] = [:]
        guard let query = URLComponents(string: url)?.queryItems else { return result }
        for item in query { result[item.name] = item.value }
        return result
    }

    /// The `error` code an expression throws as `OAuthError`.
    static func oauthError(_ body: () throws -> Void) -> OAuthError? {
        do { try body() } catch let error as OAuthError { return error } catch { return nil }
        return nil
    }

    func count(_ table: String) throws -> Int {
        try h.database.read { db in try db.queryOne("SELECT COUNT(*) FROM \(table)")!.int(0) }
    }
}

func withProvider(settings change: (inout ProviderSettings) -> Void = { _ in }, _ body: (ProviderHarness) throws -> Void) throws {
    try withHarness(revalidationInterval: 0) { h in
        try h.database.migrate(AuditLog.migrations + PortalRegistry.migrations + SigningKeyStore.migrations + OpenIDProvider.migrations)
        let keys = h.store()
        try keys.ensureKeys(at: h.clock.now().addingTimeInterval(-3600))
        let web = try h.registry.add(draft("web") {
            $0.redirectURIs = [ProviderHarness.webRedirect]
            $0.postLogoutRedirectURIs = ["https://web.example/bye"]
            $0.scopes = ["openid", "fullname", "birthdate", "snils", "email", "mobile", "id_doc"]
            $0.authMethods = ["client_secret_basic"]
        }, actor: "test")
        _ = try h.registry.add(draft("spa") {
            $0.redirectURIs = [ProviderHarness.spaRedirect]
            $0.authMethods = ["none"]
            $0.scopes = ["openid", "fullname"]
        }, actor: "test")
        let other = try h.registry.add(draft("other") {
            $0.redirectURIs = ["https://other.example/cb"]
            $0.authMethods = ["client_secret_post"]
            $0.minimumLevel = "confirmed"
        }, actor: "test")
        var settings = ProviderSettings()
        settings.issuer = "https://id.example"
        settings.revocationRefreshInterval = 0
        change(&settings)
        let provider = OpenIDProvider(settings: settings, database: h.database, audit: h.audit, portals: h.registry, keys: keys,
                                      tokenKey: try KeyDirectory.secret(.tokenHash, in: keysFolder), clock: h.clock,
                                      personData: { $0 == ProviderHarness.petrova.publicID ? ProviderHarness.petrova : nil })
        try body(ProviderHarness(h: h, provider: provider, keys: keys, webSecret: web.secret!, otherSecret: other.secret!))
    }
}
