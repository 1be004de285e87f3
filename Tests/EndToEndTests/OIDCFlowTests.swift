import Crypto
import Federation
import Foundation
import HTTPServer
@testable import OpenESIAServer
import Support
import TestSupport
import Testing

/// OpenID Connect over HTTP against the real server: the browser's way (authorize, login, consent) and the portal's
/// (token, userinfo, introspection, revocation), with the negative cases of the issue.
@Suite struct OIDCFlowTests {
    typealias F = OIDCFixture

    @Test func theWholeCodeFlowWithDiscoveryAndJWKS() throws {
        let f = try F()
        let discovery = try F.json(try f.backend.get("/.well-known/openid-configuration"))
        #expect(discovery["issuer"] == .string(F.issuer))
        #expect(discovery["token_endpoint"] == .string(F.issuer + "/oauth2/token"))
        #expect(discovery["acr_values_supported"] == ["simplified", "standard", "confirmed"])
        #expect(discovery["code_challenge_methods_supported"] == ["S256"])
        let jwks = try F.json(try f.backend.get("/.well-known/jwks.json"))
        let keys = try #require(jwks["keys"]?.arrayValue)
        #expect(Set(keys.compactMap { $0["alg"]?.stringValue }) == ["ES256", "RS256"])

        let start = try f.browser.get(F.authorizeURL())
        #expect(start.status == 303)
        let loginLocation = try #require(start.header("Location"))
        #expect(loginLocation.hasPrefix("/login?return=%2Foauth2%2Fresume%3Frequest%3D"))
        #expect(start.headers.contains { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("oauth_browser=") && $0.value.contains("Path=/oauth2") })
        // The login page may post to this site and then end up at the portal: its CSP allows the portal's origin.
        let loginPage = try f.browser.get(loginLocation)
        #expect(loginPage.header("Content-Security-Policy")?.contains("form-action 'self' https://web.example") == true)

        let resume = try f.logIn(at: loginLocation)
        #expect(resume.hasPrefix("/oauth2/resume?request="))
        let consentPage = try f.browser.get(resume)
        #expect(consentPage.text.contains("Городской портал") && consentPage.text.contains("Фамилия, имя и отчество"))
        #expect(consentPage.text.contains("Ваш идентификатор в OpenESIA") && !consentPage.text.contains("СНИЛС"))
        let back = try f.consent(at: resume)
        #expect(back.hasPrefix(F.webRedirect + "?code="))
        let parameters = F.query(back)
        #expect(parameters["state"] == "st-1" && parameters["iss"] == F.issuer)

        let tokenResponse = try f.exchange(try #require(parameters["code"]))
        #expect(tokenResponse.status == 200)
        #expect(tokenResponse.header("Cache-Control") == "no-store" && tokenResponse.header("Pragma") == "no-cache")
        let tokens = try F.json(tokenResponse)
        #expect(tokens["token_type"] == "Bearer" && tokens["expires_in"] == 3600 && tokens["scope"] == "openid fullname")
        #expect(tokens["refresh_token"]?.stringValue?.count == 43)

        // The ID token verifies with a key from the JWKS, as a client that knows only discovery would check it.
        let idToken = try JWS.parse(try #require(tokens["id_token"]?.stringValue))
        let jwk = try #require(keys.first { $0["kid"]?.stringValue == idToken.keyID })
        try idToken.verify(with: try JSONWebKey(json: jwk).publicKey())
        let claims = try JWT.claims(of: idToken)
        try claims.validate(JWTValidationRules(issuer: F.issuer, audience: "web"), now: Date())
        #expect(claims["nonce"] == "nonce-1" && claims["acr"] == "standard" && claims["amr"] == ["pwd"])
        #expect(claims["sub"] == "5000000000" && claims["sid"]?.stringValue != nil && claims["auth_time"]?.integerValue != nil)

        let info = try f.userinfo(try #require(tokens["access_token"]?.stringValue))
        #expect(info.status == 200)
        let person = try F.json(info)
        #expect(person["sub"] == "5000000000" && person["family_name"] == "Иванов" && person["given_name"] == "Иван")
        #expect(person["snils"] == nil && person["birthdate"] == nil)

        // SSO: the same browser comes back from the same portal: a code at once, no login, no consent.
        let again = try f.browser.get(F.authorizeURL())
        #expect(again.status == 303 && again.header("Location")?.hasPrefix(F.webRedirect + "?code=") == true)
        // A wider request asks for consent again, for the new scopes too.
        let wider = try f.browser.get(F.authorizeURL(scope: "openid fullname snils"))
        let widerResume = try #require(wider.header("Location"))
        #expect(widerResume.hasPrefix("/oauth2/resume?request="))
        #expect(try f.browser.get(widerResume).text.contains("СНИЛС"))

        let audit = try f.app.application.database.read { db in try db.query("SELECT kind FROM audit_log").map { try $0.string(0) } }
        #expect(audit.contains("oauth.consent.granted") && audit.contains("oauth.authorized") && audit.contains("oauth.token.issued"))
    }

    @Test func aWrongRedirectURIGetsAPageNeverARedirect() throws {
        let f = try F()
        let response = try f.browser.get(F.authorizeURL(redirect: "https://evil.example/cb"))
        #expect(response.status == 400 && response.header("Location") == nil)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.text.contains("не зарегистрирован"))
        let unknown = try f.browser.get(F.authorizeURL(client: "ghost"))
        #expect(unknown.status == 400 && unknown.header("Location") == nil)
        // Other errors go back to the portal with the state.
        let badScope = try f.browser.get(F.authorizeURL(scope: "openid addresses"))
        #expect(badScope.status == 303)
        let error = F.query(try #require(badScope.header("Location")))
        #expect(error["error"] == "invalid_scope" && error["state"] == "st-1")
        let duplicate = try f.browser.get(F.authorizeURL() + "&state=again")
        #expect(F.query(try #require(duplicate.header("Location")))["error"] == "invalid_request")
    }

    @Test func aReusedCodeFailsAndRevokesTheFirstTokens() throws {
        let f = try F()
        let code = try #require(F.query(try f.firstLogin())["code"])
        let first = try F.json(try f.exchange(code))
        let access = try #require(first["access_token"]?.stringValue)
        #expect(try f.userinfo(access).status == 200)
        let replay = try f.exchange(code)
        #expect(try F.error(replay) == "400 invalid_grant")
        let after = try f.userinfo(access)
        #expect(after.status == 401 && after.header("WWW-Authenticate")?.contains("invalid_token") == true)
        let refresh = try f.token([("grant_type", "refresh_token"), ("refresh_token", try #require(first["refresh_token"]?.stringValue))])
        #expect(refresh.status == 400)
    }

    @Test func aPKCEMismatchIsRefused() throws {
        let f = try F()
        let code = try #require(F.query(try f.firstLogin())["code"])
        let wrong = try f.exchange(code, verifier: String(repeating: "x", count: 50))
        #expect(try F.error(wrong) == "400 invalid_grant")
        #expect(try f.exchange(code).status == 200)
    }

    @Test func missingOrWrongClientAuthenticationIs401() throws {
        let f = try F()
        let code = try #require(F.query(try f.firstLogin())["code"])
        let fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", F.webRedirect), ("code_verifier", F.verifier)]
        let missing = try f.token(fields, headers: [])
        #expect(try F.error(missing) == "401 invalid_client")
        #expect(missing.header("WWW-Authenticate")?.hasPrefix("Basic") == true && missing.header("Cache-Control") == "no-store")
        let wrong = try f.token(fields, headers: [("Authorization", "Basic " + Data("web:wrong".utf8).base64EncodedString())])
        #expect(wrong.status == 401 && wrong.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
        // web registered Basic only: its secret in the form is refused too.
        let posted = try f.token(fields + [("client_id", "web"), ("client_secret", f.webSecret)], headers: [])
        #expect(posted.status == 401)
        // None of that spent the code.
        #expect(try f.exchange(code).status == 200)
        let form = try f.backend.post("/oauth2/token", [], headers: [f.webBasic])
        #expect(try F.error(form) == "400 invalid_request")
    }

    @Test func codesExpireAfterTheirLifetime() throws {
        let clock = FixedClock(Date())
        let f = try F(clock: clock)
        let code = try #require(F.query(try f.firstLogin())["code"])
        clock.advance(by: 61)
        let late = try f.exchange(code)
        #expect(try F.error(late) == "400 invalid_grant")
    }

    @Test func refreshTokensRotateAndReuseKillsTheFamily() throws {
        let f = try F()
        let code = try #require(F.query(try f.firstLogin())["code"])
        let first = try F.json(try f.exchange(code))
        let firstRefresh = try #require(first["refresh_token"]?.stringValue)
        let second = try F.json(try f.token([("grant_type", "refresh_token"), ("refresh_token", firstRefresh)]))
        let secondRefresh = try #require(second["refresh_token"]?.stringValue)
        #expect(secondRefresh != firstRefresh && second["id_token"] != nil)
        let reuse = try f.token([("grant_type", "refresh_token"), ("refresh_token", firstRefresh)])
        #expect(try F.error(reuse) == "400 invalid_grant")
        #expect(try f.token([("grant_type", "refresh_token"), ("refresh_token", secondRefresh)]).status == 400)
        #expect(try f.userinfo(try #require(second["access_token"]?.stringValue)).status == 401)
    }

    @Test func refusedConsentSendsAccessDenied() throws {
        let f = try F()
        let start = try f.browser.get(F.authorizeURL())
        let resume = try f.logIn(at: try #require(start.header("Location")))
        let back = try f.consent(at: resume, allow: false)
        let parameters = F.query(back)
        #expect(back.hasPrefix(F.webRedirect) && parameters["error"] == "access_denied" && parameters["state"] == "st-1")
        #expect(parameters["code"] == nil)
        // The pending request is gone: resuming it again is a page, not a second answer.
        #expect(try f.browser.get(resume).status == 400)
    }

    @Test func aLevelTooLowGetsAPageAndTheNoticeForThePortal() throws {
        let f = try F()
        let start = try f.browser.get(F.authorizeURL(client: "strict", redirect: "https://tax.example/cb", scope: "openid", verifier: nil))
        let resume = try f.logIn(at: try #require(start.header("Location")))
        let page = try f.browser.get(resume)
        #expect(page.status == 403 && page.text.contains("Налоговый портал") && page.text.contains("Подтверждённая"))
        #expect(page.text.contains("https://tax.example/cb?error=access_denied"))
        // acr_values asking for more than the citizen has: the same, straight away now that the citizen is logged in.
        let acr = try f.browser.get(F.authorizeURL(scope: "openid", [("acr_values", "confirmed")]))
        #expect(acr.status == 403 && acr.text.contains("https://web.example/cb?error=access_denied"))
    }

    @Test func promptNoneWithoutASessionAnswersLoginRequired() throws {
        let f = try F()
        let response = try f.browser.get(F.authorizeURL([("prompt", "none")]))
        #expect(response.status == 303)
        let parameters = F.query(try #require(response.header("Location")))
        #expect(parameters["error"] == "login_required" && parameters["state"] == "st-1")
    }

    @Test func promptLoginAsksForTheLoginAgain() throws {
        let f = try F()
        _ = try f.firstLogin()
        let forced = try f.browser.get(F.authorizeURL([("prompt", "login")]))
        let location = try #require(forced.header("Location"))
        #expect(location.hasPrefix("/login?return="))
        let resume = try f.logIn(at: location)
        let done = try f.browser.get(resume)
        #expect(done.status == 303 && done.header("Location")?.hasPrefix(F.webRedirect + "?code=") == true)
    }

    @Test func logoutEndsTheSessionAndReturnsToTheRegisteredAddress() throws {
        let f = try F()
        let code = try #require(F.query(try f.firstLogin())["code"])
        let idToken = try #require(try F.json(try f.exchange(code))["id_token"]?.stringValue)
        // An unregistered address is refused with a page, and the session stays.
        let refused = try f.browser.get("/oauth2/logout?" + BrowserClient.urlEncoded([("id_token_hint", idToken),
                                                                                       ("post_logout_redirect_uri", "https://evil.example/")]))
        #expect(refused.status == 400 && refused.header("Location") == nil)
        #expect(try f.browser.get("/account").status == 200)
        // Without a hint naming the session, the citizen is asked first.
        let asked = try f.browser.get("/oauth2/logout?client_id=web&post_logout_redirect_uri=https%3A%2F%2Fweb.example%2Fbye")
        #expect(asked.status == 200 && asked.text.contains("Выйти"))
        #expect(try f.browser.get("/account").status == 200)

        let logout = try f.browser.get("/oauth2/logout?" + BrowserClient.urlEncoded([("id_token_hint", idToken),
                                                                                      ("post_logout_redirect_uri", "https://web.example/bye"),
                                                                                      ("state", "bye-1")]))
        #expect(logout.status == 303 && logout.header("Location") == "https://web.example/bye?state=bye-1")
        let account = try f.browser.get("/account")
        #expect(account.status == 303 && account.header("Location") == "/login")
        // The next authorization needs a login again.
        #expect(try f.browser.get(F.authorizeURL()).header("Location")?.hasPrefix("/login?return=") == true)
    }

    @Test func theAccountPageListsPortalsAndRevokingEndsTheirTokens() throws {
        let f = try F()
        let code = try #require(F.query(try f.firstLogin())["code"])
        let tokens = try F.json(try f.exchange(code))
        let account = try f.browser.get("/account")
        #expect(account.text.contains("Порталы с доступом к вашим данным") && account.text.contains("Городской портал"))
        let csrf = try #require(BrowserClient.csrfField(in: account.text))
        let revoked = try f.browser.post("/account/portals/revoke", [("csrf", csrf), ("client_id", "web")])
        #expect(revoked.status == 303 && revoked.header("Location") == "/account")
        #expect(try f.userinfo(try #require(tokens["access_token"]?.stringValue)).status == 401)
        let refresh = try f.token([("grant_type", "refresh_token"), ("refresh_token", try #require(tokens["refresh_token"]?.stringValue))])
        #expect(refresh.status == 400)
        #expect(try f.browser.get("/account").text.contains("Вы не давали порталам доступ"))
        // Consent is asked for again.
        #expect(try f.browser.get(F.authorizeURL()).header("Location")?.hasPrefix("/oauth2/resume?request=") == true)
    }

    @Test func privateKeyJWTWithKeysFetchedFromTheJWKSURI() throws {
        let f = try F()
        let key = try PrivateKey.generateP256()
        let set = JSONValue.object(["keys": .array([try JSONWebKey(privateKey: key, keyID: "k1", algorithm: .es256).json])]).jsonText
        var router = Router(errorResponse: { _, _ in .text("error\n", status: .internalServerError) })
        router.get("/jwks") { _ in HTTPResponse.json(bytes: Array(set.utf8)) }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        configuration.workerThreads = 1
        let keyServer = try HTTPServer.start(configuration: configuration, responder: router, logger: Logger(minimumLevel: .error, sink: MemorySink()))
        defer { keyServer.shutdown(); keyServer.waitUntilStopped() }
        var portal = PortalDraft(clientID: "jwks-portal", name: "Ключи по адресу", redirectURIs: ["https://jwks.example/cb"])
        portal.authMethods = ["private_key_jwt"]
        portal.jwksURI = "http://127.0.0.1:\(keyServer.port)/jwks"
        _ = try f.app.application.portals.add(portal, actor: "test")
        func assertion(_ signer: PrivateKey) throws -> String {
            let now = Int64(Date().timeIntervalSince1970)
            let claims: [String: JSONValue] = ["iss": "jwks-portal", "sub": "jwks-portal", "aud": .string(F.issuer + "/oauth2/token"),
                                               "iat": .integer(now), "exp": .integer(now + 60), "jti": .string(UUID().uuidString)]
            return try JWT.sign(claims: claims, with: try JWSSigner(key: signer, algorithm: .es256, keyID: "k1"))
        }
        let type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        let granted = try f.token([("grant_type", "client_credentials"), ("client_assertion_type", type), ("client_assertion", try assertion(key))],
                                  headers: [])
        #expect(granted.status == 200, "\(granted.text)")
        let refused = try f.token([("grant_type", "client_credentials"), ("client_assertion_type", type),
                                   ("client_assertion", try assertion(try PrivateKey.generateP256()))], headers: [])
        #expect(try F.error(refused) == "401 invalid_client")
    }

    @Test func aSinglePageAppAtItsRedirectOriginMayReadTheTokenAndUserinfoAnswers() throws {
        let f = try F()
        let spaOrigin = "http://127.0.0.1:5000"
        // The preflight: any enabled OIDC portal's origin; others get no CORS headers at all.
        let preflight = try f.backend.options("/oauth2/token", headers: [("Origin", spaOrigin), ("Access-Control-Request-Method", "POST"),
                                                                         ("Access-Control-Request-Headers", "content-type")])
        #expect(preflight.status == 204 && preflight.header("Access-Control-Allow-Origin") == spaOrigin)
        #expect(preflight.header("Access-Control-Allow-Methods") == "POST" && preflight.header("Access-Control-Allow-Headers")?.contains("Content-Type") == true)
        let stranger = try f.backend.options("/oauth2/token", headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")])
        #expect(stranger.header("Access-Control-Allow-Origin") == nil)

        let back = try f.firstLogin(F.authorizeURL(client: "spa", redirect: F.spaRedirect, scope: "openid"))
        let code = try #require(F.query(back)["code"])
        let fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", F.spaRedirect), ("client_id", "spa"),
                      ("code_verifier", F.verifier)]
        // Another portal's origin may not read spa's answers, errors included; spa's own may (and sees errors too).
        let foreign = try f.token(fields.map { $0.0 == "code" ? ($0.0, "wrong") : $0 }, headers: [("Origin", "https://web.example")])
        #expect(foreign.status == 400 && foreign.header("Access-Control-Allow-Origin") == nil && foreign.header("Vary") == "Origin")
        let refused = try f.token(fields.map { $0.0 == "code" ? ($0.0, "wrong") : $0 }, headers: [("Origin", spaOrigin)])
        #expect(refused.status == 400 && refused.header("Access-Control-Allow-Origin") == spaOrigin)
        let tokens = try f.token(fields, headers: [("Origin", spaOrigin)])
        #expect(tokens.status == 200 && tokens.header("Access-Control-Allow-Origin") == spaOrigin)
        let access = try #require(try F.json(tokens)["access_token"]?.stringValue)
        let info = try f.backend.get("/oauth2/userinfo", headers: [("Authorization", "Bearer " + access), ("Origin", spaOrigin)])
        #expect(info.status == 200 && info.header("Access-Control-Allow-Origin") == spaOrigin)
        // Without an Origin (a server), nothing changes.
        #expect(try f.userinfo(access).header("Access-Control-Allow-Origin") == nil)
        // Discovery and keys are public.
        #expect(try f.backend.get("/.well-known/openid-configuration").header("Access-Control-Allow-Origin") == "*")
    }

    @Test func publicClientsUsePKCEAndClientCredentialsNeedASecret() throws {
        let f = try F()
        let back = try f.firstLogin(F.authorizeURL(client: "spa", redirect: F.spaRedirect, scope: "openid"))
        let code = try #require(F.query(back)["code"])
        let tokens = try f.token([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", F.spaRedirect),
                                  ("client_id", "spa"), ("code_verifier", F.verifier)], headers: [])
        #expect(tokens.status == 200)
        #expect(try F.json(tokens)["refresh_token"] == nil)

        let cc = try f.token([("grant_type", "client_credentials"), ("scope", "fullname")])
        let ccToken = try #require(try F.json(cc)["access_token"]?.stringValue)
        let introspected = try F.json(try f.backend.post("/oauth2/introspect", [("token", ccToken)], headers: [f.webBasic]))
        #expect(introspected["active"] == true && introspected["sub"] == "web" && introspected["scope"] == "fullname")
        // Another portal learns nothing about web's token.
        let foreign = try F.json(try f.backend.post("/oauth2/introspect", [("token", ccToken)],
                                                    headers: [("Authorization", "Basic " + Data("strict:\(f.strictSecret)".utf8).base64EncodedString())]))
        #expect(foreign == ["active": false])
        #expect(try f.backend.post("/oauth2/revoke", [("token", ccToken)], headers: [f.webBasic]).status == 200)
        #expect(try F.json(try f.backend.post("/oauth2/introspect", [("token", ccToken)], headers: [f.webBasic]))["active"] == false)
    }
}
