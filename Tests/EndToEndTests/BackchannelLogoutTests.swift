import Crypto
import Federation
import Foundation
import HTTPServer
@testable import OpenESIAServer
import Support
import Synchronization
import TestSupport
import Testing

/// A portal's back end on an ephemeral port: records every POST to /logout and answers with the scripted statuses
/// (200 once the script runs out).
private final class TestPortal: Sendable {
    private final class Record: Sendable {
        let mutex: Mutex<(bodies: [String], contentTypes: [String], script: [Int])>
        init(_ script: [Int]) { mutex = Mutex(([], [], script)) }
        func withLock<T>(_ body: (inout (bodies: [String], contentTypes: [String], script: [Int])) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    let server: HTTPServer
    private let state: Record

    init(answers script: [Int] = []) throws {
        let state = Record(script)
        self.state = state
        var router = Router(errorResponse: { _, _ in .text("error\n", status: .internalServerError) })
        router.post("/logout") { request in
            let status = state.withLock { s -> Int in
                s.bodies.append(String(decoding: request.body, as: UTF8.self))
                s.contentTypes.append(request.headers["Content-Type"] ?? "")
                return s.script.isEmpty ? 200 : s.script.removeFirst()
            }
            return .text("", status: HTTPStatus(code: status))
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        configuration.workerThreads = 1
        server = try HTTPServer.start(configuration: configuration, responder: router, logger: Logger(minimumLevel: .error, sink: MemorySink()))
    }

    var uri: String { "http://127.0.0.1:\(server.port)/logout" }
    var bodies: [String] { state.withLock { $0.bodies } }
    var contentTypes: [String] { state.withLock { $0.contentTypes } }

    /// Waits up to `seconds` for at least `count` POSTs.
    func waitForPosts(_ count: Int, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if bodies.count >= count { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return bodies.count >= count
    }

    func stop() {
        server.shutdown()
        server.waitUntilStopped()
    }
}

@Suite(.serialized) struct BackchannelLogoutTests {
    typealias F = OIDCFixture

    /// Logs in through the code flow as `web` and logs out at the end-session endpoint; returns the ID token.
    private func logInAndOut(_ f: F) throws -> String {
        let code = try #require(F.query(try f.firstLogin())["code"])
        let idToken = try #require(try F.json(try f.exchange(code))["id_token"]?.stringValue)
        let logout = try f.browser.get("/oauth2/logout?" + BrowserClient.urlEncoded([("id_token_hint", idToken),
                                                                                      ("post_logout_redirect_uri", "https://web.example/bye")]))
        #expect(logout.status == 303)
        return idToken
    }

    private func waitUntil(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try condition()
    }

    @Test func logoutAtTheEndSessionEndpointPostsAVerifiableLogoutToken() throws {
        let portal = try TestPortal()
        defer { portal.stop() }
        let f = try F(webBackchannel: portal.uri)
        let discovery = try F.json(try f.backend.get("/.well-known/openid-configuration"))
        #expect(discovery["backchannel_logout_supported"] == true && discovery["backchannel_logout_session_supported"] == true)

        let idToken = try logInAndOut(f)
        #expect(portal.waitForPosts(1))
        #expect(portal.contentTypes.first?.hasPrefix("application/x-www-form-urlencoded") == true)
        let body = try #require(portal.bodies.first)
        #expect(body.hasPrefix("logout_token="))
        let token = try JWS.parse(String(body.dropFirst("logout_token=".count)))
        // Verified as the portal would: with a key of the published JWKS.
        let keys = try #require(try F.json(try f.backend.get("/.well-known/jwks.json"))["keys"]?.arrayValue)
        let jwk = try #require(keys.first { $0["kid"]?.stringValue == token.keyID })
        try token.verify(with: try JSONWebKey(json: jwk).publicKey())
        #expect(token.type == "logout+jwt" && token.algorithm == .es256)
        let claims = try JWT.claims(of: token)
        try claims.validate(JWTValidationRules(issuer: F.issuer, audience: "web"), now: Date())
        let idClaims = try JWT.claims(of: try JWS.parse(idToken))
        #expect(claims["sid"] != nil && claims["sid"] == idClaims["sid"])
        #expect(claims["sub"] == idClaims["sub"])
        #expect(claims["events"] == .object(["http://schemas.openid.net/event/backchannel-logout": .object([:])]))
        #expect(claims["nonce"] == nil && claims["jti"]?.stringValue != nil)
        let iat = try #require(claims["iat"]?.integerValue), exp = try #require(claims["exp"]?.integerValue)
        #expect(exp - iat == 120)
        #expect(try waitUntil { try f.app.application.logoutDelivery.deliveries().first?.deliveredAt != nil })
    }

    @Test func aPortalThatFailsFirstGetsTheTokenOnRetry() throws {
        let portal = try TestPortal(answers: [500])
        defer { portal.stop() }
        let f = try F(webBackchannel: portal.uri) { $0.federation.backchannelLogoutRetrySeconds = 0.2 }
        _ = try logInAndOut(f)
        #expect(portal.waitForPosts(2))
        #expect(try waitUntil { try f.app.application.logoutDelivery.deliveries().first?.deliveredAt != nil })
        let delivery = try #require(try f.app.application.logoutDelivery.deliveries().first)
        #expect(delivery.attempts == 2 && delivery.droppedAt == nil)
        // The same jti at every attempt, so the portal can tell a repeat.
        let jtis = try portal.bodies.map { try JWT.claims(of: try JWS.parse(String($0.dropFirst("logout_token=".count))))["jti"] }
        #expect(jtis.count == 2 && jtis[0] == jtis[1])
    }

    @Test func anUnreachablePortalIsDroppedAfterTheLastAttemptAndAudited() throws {
        // A port nothing listens on: bind one, note it, let it go.
        let closed = try TestPortal()
        let uri = closed.uri
        closed.stop()
        let f = try F(webBackchannel: uri) {
            $0.federation.backchannelLogoutRetrySeconds = 0.1
            $0.federation.backchannelLogoutMaxAttempts = 3
        }
        _ = try logInAndOut(f)
        let deliveries = f.app.application.logoutDelivery
        #expect(try waitUntil { try deliveries.deliveries().first?.droppedAt != nil })
        let delivery = try #require(try deliveries.deliveries().first)
        #expect(delivery.attempts == 3 && delivery.deliveredAt == nil && delivery.lastError?.contains("attempt 3 of 3") == true)
        let audited = try f.app.application.database.read { db in
            try db.query("SELECT subject FROM audit_log WHERE kind = 'oauth.logout.dropped'", []).map { try $0.string(0) }
        }
        #expect(audited == ["portal:web"])
    }
}
