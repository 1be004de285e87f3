import Citizens
import Crypto
@testable import Federation
import Foundation
import Support
import Testing

@Suite struct ResourceEndpointTests {
    typealias P = ProviderHarness

    func form(_ fields: [(String, String)]) -> [(name: String, value: String)] { fields.map { (name: $0.0, value: $0.1) } }

    @Test func introspectionIsActiveOnlyForTheCallersLiveTokens() throws {
        try withProvider { p in
            let tokens = try p.exchange(try p.code())
            let active = try p.provider.introspect(form([("token", tokens.accessToken)]), authorization: p.webBasic)
            #expect(active["active"] == true && active["client_id"] == "web" && active["sub"] == "1000000007" && active["scope"] == "openid fullname")
            let refresh = try p.provider.introspect(form([("token", tokens.refreshToken!)]), authorization: p.webBasic)
            #expect(refresh["active"] == true && refresh["token_type"] == "refresh_token")
            // Another portal learns nothing about web's tokens.
            let foreign = try p.provider.introspect(form([("token", tokens.accessToken), ("client_id", "other"), ("client_secret", p.otherSecret)]),
                                                    authorization: nil)
            #expect(foreign == ["active": false])
            #expect(try p.provider.introspect(form([("token", "garbage")]), authorization: p.webBasic) == ["active": false])
            #expect(P.oauthError { _ = try p.provider.introspect(form([("token", tokens.accessToken)]), authorization: nil) }?.code == .invalidClient)
            // Expired.
            p.clock.advance(by: 3601)
            #expect(try p.provider.introspect(form([("token", tokens.accessToken)]), authorization: p.webBasic) == ["active": false])
        }
    }

    @Test func revokingAnAccessTokenOrARefreshToken() throws {
        try withProvider { p in
            let tokens = try p.exchange(try p.code())
            try p.provider.revoke(form([("token", tokens.accessToken)]), authorization: p.webBasic, source: nil)
            #expect(try p.provider.introspect(form([("token", tokens.accessToken)]), authorization: p.webBasic) == ["active": false])
            #expect(try p.provider.introspect(form([("token", tokens.refreshToken!)]), authorization: p.webBasic)["active"] == true)

            let more = try p.exchange(try p.code())
            // Another portal's revocation changes nothing.
            try p.provider.revoke(form([("token", more.refreshToken!), ("client_id", "other"), ("client_secret", p.otherSecret)]),
                                  authorization: nil, source: nil)
            #expect(try p.provider.introspect(form([("token", more.accessToken)]), authorization: p.webBasic)["active"] == true)
            try p.provider.revoke(form([("token", more.refreshToken!)]), authorization: p.webBasic, source: nil)
            #expect(try p.provider.introspect(form([("token", more.refreshToken!)]), authorization: p.webBasic) == ["active": false])
            #expect(try p.provider.introspect(form([("token", more.accessToken)]), authorization: p.webBasic) == ["active": false])
            try p.provider.revoke(form([("token", "unknown")]), authorization: p.webBasic, source: nil)
            #expect(try p.h.auditKinds().filter { $0 == "oauth.token.revoked" }.count == 2)
        }
    }

    @Test func aTokenRememberedAtIssueReadsAsAVerifiedOne() throws {
        try withProvider { p in
            let tokens = try p.exchange(try p.code())
            let remembered = try p.provider.introspect(form([("token", tokens.accessToken)]), authorization: p.webBasic)
            // Another node has not issued it, so it checks the signature and reads the claims from the token itself.
            let other = OpenIDProvider(settings: p.provider.settings, database: p.h.database, audit: p.h.audit, portals: p.h.registry,
                                       keys: p.keys, tokenKey: try KeyDirectory.secret(.tokenHash, in: keysFolder), clock: p.clock,
                                       personData: { _ in nil })
            #expect(remembered["active"] == true)
            #expect(try other.introspect(form([("token", tokens.accessToken)]), authorization: p.webBasic) == remembered)
            // A token that is one byte off is nobody's.
            let tampered = String(tokens.accessToken.dropLast()) + (tokens.accessToken.hasSuffix("A") ? "B" : "A")
            #expect(try p.provider.introspect(form([("token", tampered)]), authorization: p.webBasic) == ["active": false])
        }
    }

    @Test func revocationsMadeByAnotherNodeAreSeen() throws {
        try withProvider { p in
            let tokens = try p.exchange(try p.code())
            #expect(try p.provider.userinfo(accessToken: tokens.accessToken)["sub"] == "1000000007")
            // A second provider over the same database, as another node has.
            let other = OpenIDProvider(settings: p.provider.settings, database: p.h.database, audit: p.h.audit, portals: p.h.registry,
                                       keys: p.keys, tokenKey: try KeyDirectory.secret(.tokenHash, in: keysFolder), clock: p.clock,
                                       personData: { _ in nil })
            try other.revoke(form([("token", tokens.refreshToken!)]), authorization: p.webBasic, source: nil)
            #expect(P.oauthError { _ = try p.provider.userinfo(accessToken: tokens.accessToken) }?.code == .invalidToken)
        }
    }

    @Test func userinfoGivesTheClaimsOfTheConsentedScopesOnly() throws {
        try withProvider { p in
            let all = try p.exchange(try p.code(P.webRequest(scope: "openid fullname birthdate snils email mobile id_doc")))
            let info = try p.provider.userinfo(accessToken: all.accessToken)
            #expect(info["name"] == "Петрова Анна Сергеевна" && info["middle_name"] == "Сергеевна" && info["birthdate"] == "1990-05-17")
            #expect(info["snils"] == "112-233-445 95" && info["phone_number"] == "+79161234567" && info["phone_number_verified"] == true)
            // The e-mail is not confirmed: no email claim.
            #expect(info["email"] == nil && info["email_verified"] == nil)
            #expect(info["id_doc"]?["number"] == "123456" && info["inn"] == nil && info["gender"] == nil)
            #expect(P.oauthError { _ = try p.provider.userinfo(accessToken: "x.y.z") }?.code == .invalidToken)
        }
    }

    @Test func claimsByScope() {
        var person = P.petrova
        let base = ClaimsBuilder.claims(for: person, scopes: [.openid])
        #expect(base == ["sub": "1000000007"])
        let contacts = ClaimsBuilder.claims(for: person, scopes: [.contacts, .addresses, .inn, .gender])
        #expect(contacts["contacts"]?.arrayValue?.count == 2 && contacts["contacts"]?.arrayValue?[1]["verified"] == false)
        #expect(contacts["address"]?["postal_code"] == "119021" && contacts["address"]?["country"] == "RU")
        #expect(contacts["inn"] == "500100732259" && contacts["gender"] == "female")
        // Documents the registry has not verified are not released.
        person.snilsVerified = false
        person.passportVerified = false
        person.patronymic = nil
        let unverified = ClaimsBuilder.claims(for: person, scopes: [.snils, .idDocument, .fullname])
        #expect(unverified["snils"] == nil && unverified["id_doc"] == nil && unverified["middle_name"] == nil)
        #expect(unverified["name"] == "Петрова Анна")
        person.birthDate = nil
        #expect(ClaimsBuilder.claims(for: person, scopes: [.birthdate]) == ["sub": "1000000007"])
    }

    @Test func consentIsRememberedAndRevocable() throws {
        try withProvider { p in
            let narrow = try p.provider.validateAuthorization(P.webRequest(scope: "openid fullname"))
            let wide = try p.provider.validateAuthorization(P.webRequest(scope: "openid fullname snils"))
            #expect(try p.provider.nextStep(narrow, login: p.login(), requestedAt: p.clock.now()) == .consent)
            let tokens = try p.exchange(try p.code())
            #expect(try p.provider.nextStep(narrow, login: p.login(), requestedAt: p.clock.now()) == .issueCode)
            #expect(try p.provider.nextStep(wide, login: p.login(), requestedAt: p.clock.now()) == .consent)
            let listed = try p.provider.portalsWithAccess(citizenID: 7)
            #expect(listed.map(\.clientID) == ["web"] && listed[0].scopes == [.openid, .fullname] && listed[0].name == "Городской портал")

            #expect(try p.provider.revokeConsent(citizenID: 7, clientID: "web", source: nil))
            #expect(try !p.provider.revokeConsent(citizenID: 7, clientID: "web", source: nil))
            #expect(try p.provider.portalsWithAccess(citizenID: 7).isEmpty)
            #expect(try p.provider.nextStep(narrow, login: p.login(), requestedAt: p.clock.now()) == .consent)
            #expect(P.oauthError { _ = try p.provider.userinfo(accessToken: tokens.accessToken) }?.code == .invalidToken)
            let refresh = try p.tokenRequest([("grant_type", "refresh_token"), ("refresh_token", tokens.refreshToken!)])
            #expect(P.oauthError { _ = try p.provider.token(refresh, source: nil) }?.code == .invalidGrant)
            #expect(try p.h.auditKinds().contains("oauth.consent.revoked"))
        }
    }

    @Test func pendingRequestsAreBoundToTheirBrowserAndExpire() throws {
        try withProvider { p in
            let request = try p.provider.validateAuthorization(P.webRequest())
            let id = try p.provider.savePending(request, browser: "browser-a")
            #expect(try p.provider.pendingAuthorization(id: id, browser: "browser-a")?.request == request)
            #expect(try p.provider.pendingAuthorization(id: id, browser: "browser-b") == nil)
            #expect(try p.provider.pendingAuthorization(id: "x", browser: "browser-a") == nil)
            p.clock.advance(by: 601)
            #expect(try p.provider.pendingAuthorization(id: id, browser: "browser-a") == nil)
            #expect(try p.provider.purgeExpired() == 1)
        }
    }

    @Test func logoutChecksTheHintAndThePostLogoutURI() throws {
        try withProvider { p in
            let tokens = try p.exchange(try p.code())
            let hint = tokens.idToken!
            let plan = try p.provider.validateLogout(form([("id_token_hint", hint), ("post_logout_redirect_uri", "https://web.example/bye"),
                                                           ("state", "st")]))
            #expect(plan.clientID == "web" && plan.subject == "1000000007" && plan.redirect == "https://web.example/bye?state=st")
            #expect(plan.names(sid: p.provider.sid(sessionHandle: "session-1")))
            func refused(_ fields: [(String, String)]) -> LogoutPageError? {
                do { _ = try p.provider.validateLogout(form(fields)) } catch { return error }
                return nil
            }
            #expect(refused([("id_token_hint", hint), ("post_logout_redirect_uri", "https://evil.example/")]) == .unregisteredRedirectURI)
            #expect(refused([("post_logout_redirect_uri", "https://web.example/bye")]) == .unregisteredRedirectURI)
            #expect(refused([("id_token_hint", hint + "x")]) == .invalidIDTokenHint)
            #expect(refused([("id_token_hint", hint), ("client_id", "other")]) == .unknownClient)
            #expect(refused([("state", "a"), ("state", "b")]) == .duplicateParameter)
            #expect(try p.provider.validateLogout(form([("client_id", "web"), ("post_logout_redirect_uri", "https://web.example/bye")])).redirect
                == "https://web.example/bye")
            #expect(try p.provider.portalsServed(sessionHandle: "session-1") == ["web"])
        }
    }
}

/// Collects the sessions it is told about.
final class RecordingHook: LogoutHook, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [SessionLogout] = []
    var logouts: [SessionLogout] { lock.withLock { seen } }
    func sessionEnded(_ logout: SessionLogout) { lock.withLock { seen.append(logout) } }
}

@Suite struct LogoutHookTests {
    @Test func hooksHearOfEndedSessionsWithThePortalsTheyServed() throws {
        try withProvider { p in
            _ = try p.code()
            _ = try p.code(login: p.login(handle: "session-2"))
            let hook = RecordingHook()
            let provider = OpenIDProvider(settings: p.provider.settings, database: p.h.database, audit: p.h.audit, portals: p.h.registry,
                                          keys: p.keys, tokenKey: try KeyDirectory.secret(.tokenHash, in: keysFolder), clock: p.clock,
                                          personData: { _ in nil }, logoutHooks: [hook])
            provider.sessionEnded(handle: "session-1", publicID: "1000000007")
            provider.sessionEnded(handle: "never-used", publicID: nil)
            #expect(hook.logouts == [
                SessionLogout(sessionHandle: "session-1", sid: p.provider.sid(sessionHandle: "session-1"), subject: "1000000007", portals: ["web"]),
                SessionLogout(sessionHandle: "never-used", sid: p.provider.sid(sessionHandle: "never-used"), subject: nil, portals: []),
            ])
        }
    }
}
