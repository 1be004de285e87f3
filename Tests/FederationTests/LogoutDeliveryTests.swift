import Crypto
@testable import Federation
import Foundation
import Storage
import Support
import Synchronization
import Testing

/// Answers each POST with the next scripted result (a status, or nil for no answer), 200 once the script runs out.
private final class ScriptedDelivery: LogoutDelivering {
    private let state: Mutex<(script: [Int?], posts: [(token: String, uri: String)])>
    init(_ script: [Int?] = []) { state = Mutex((script, [])) }

    func post(logoutToken: String, to uri: String) throws -> Int {
        let answer: Int?? = state.withLock { s in
            s.posts.append((logoutToken, uri))
            return s.script.isEmpty ? .some(200) : .some(s.script.removeFirst())
        }
        guard let status = answer ?? nil else { throw CocoaError(.fileReadUnknown) }
        return status
    }

    var posts: [(token: String, uri: String)] { state.withLock { $0.posts } }
}

private struct Queue {
    let p: ProviderHarness
    let worker: LogoutDeliveryWorker
    let hook: BackchannelLogout
    let delivery: ScriptedDelivery

    func deliveries() throws -> [LogoutDelivery] { try worker.deliveries() }

    /// One pass: delivered, retried, dropped.
    func pass() -> [Int] {
        let counts = worker.deliverDue()
        return [counts.delivered, counts.retried, counts.dropped]
    }
}

private func withQueue(_ script: [Int?] = [], _ body: (Queue) throws -> Void) throws {
    try withProvider { p in
        try p.h.database.migrate(LogoutDeliveryWorker.migrations)
        _ = try p.h.registry.add(draft("bc") {
            $0.redirectURIs = ["https://bc.example/cb"]
            $0.backchannelLogoutURI = "https://bc.example/logout"
        }, actor: "test")
        var settings = BackchannelSettings()
        settings.maxAttempts = 3
        let delivery = ScriptedDelivery(script)
        let logger = Logger(minimumLevel: .error, sink: MemorySink())
        let worker = LogoutDeliveryWorker(database: p.h.database, audit: p.h.audit, portals: p.h.registry, keys: p.keys,
                                          issuerURL: "https://id.example", delivering: delivery, settings: settings, clock: p.clock, logger: logger)
        let hook = BackchannelLogout(database: p.h.database, portals: p.h.registry, worker: worker, clock: p.clock, logger: logger)
        try body(Queue(p: p, worker: worker, hook: hook, delivery: delivery))
    }
}

private let ended = SessionLogout(sessionHandle: "session-1", sid: "sid-1", subject: "1000000007", portals: ["web", "bc"])

@Suite struct LogoutDeliveryTests {
    @Test func onlyPortalsWithABackchannelURIAreQueuedAndTheTokenHasTheClaims() throws {
        try withQueue { q throws in
            q.hook.sessionEnded(ended)
            let queued = try q.deliveries()
            #expect(queued.map(\.clientID) == ["bc"] && queued.first?.uri == "https://bc.example/logout")
            #expect(q.pass() == [1, 0, 0])
            let post = try #require(q.delivery.posts.first)
            #expect(post.uri == "https://bc.example/logout")
            let jws = try JWS.parse(post.token)
            let keyID = try #require(jws.keyID)
            let verifier = try #require(try q.p.keys.verifier(keyID: keyID, at: q.p.clock.now()))
            try verifier.verify(jws)
            #expect(jws.type == "logout+jwt")
            let claims = try JWT.claims(of: jws)
            #expect(claims["iss"] == "https://id.example" && claims["aud"] == "bc" && claims["sid"] == "sid-1" && claims["sub"] == "1000000007")
            #expect(claims["jti"]?.stringValue == queued.first?.jti && claims["nonce"] == nil)
            #expect(claims["events"]?["http://schemas.openid.net/event/backchannel-logout"] == .object([:]))
            #expect(try q.deliveries().first?.deliveredAt == q.p.clock.now())
            // Delivered is final: nothing is due any more.
            #expect(q.pass() == [0, 0, 0])
        }
    }

    @Test func anESIAPortalWithGOSTTokensGetsAGOSTSignedLogoutToken() throws {
        try withQueue { q throws in
            let gost = try ESIATestPKI.of(.gost256)
            _ = try q.p.h.registry.add(draft("GOSTIS01") {
                $0.dialect = "esia"; $0.signingAlgorithm = "GOST3410_2012_256"; $0.certificate = gost.portal.derBytes; $0.pinned = true
                $0.redirectURIs = ["https://is.example.gov/cb"]; $0.backchannelLogoutURI = "https://is.example.gov/logout"
            }, actor: "test")
            q.hook.sessionEnded(SessionLogout(sessionHandle: "session-2", sid: "sid-2", subject: "1000000007", portals: ["GOSTIS01"]))
            #expect(q.pass() == [1, 0, 0])
            let post = try #require(q.delivery.posts.first)
            let jws = try JWS.parse(post.token)
            #expect(jws.algorithm == .gost3410_2012_256)
            let keyID = try #require(jws.keyID)
            let verifier = try #require(try q.p.keys.verifier(keyID: keyID, at: q.p.clock.now()))
            try verifier.verify(jws)
            #expect(try JWT.claims(of: jws)["aud"] == "GOSTIS01")
        }
    }

    @Test func failuresAreRetriedWithDoublingDelays() throws {
        try withQueue([500, nil]) { q throws in
            q.hook.sessionEnded(ended)
            #expect(q.pass() == [0, 1, 0])
            #expect(try q.deliveries().first?.lastError == "HTTP 500")
            #expect(q.pass() == [0, 0, 0])  // not due before the first delay (5 s)
            q.p.clock.advance(by: 5)
            #expect(q.pass() == [0, 1, 0])
            q.p.clock.advance(by: 9)
            #expect(q.pass() == [0, 0, 0])  // the second delay is 10 s
            q.p.clock.advance(by: 1)
            #expect(q.pass() == [1, 0, 0])
            #expect(try q.deliveries().first?.attempts == 3)
        }
    }

    @Test func theLastFailedAttemptDropsTheDeliveryAndAuditsIt() throws {
        try withQueue([503, 503, 503]) { q throws in
            q.hook.sessionEnded(ended)
            q.worker.deliverDue()
            q.p.clock.advance(by: 5)
            q.worker.deliverDue()
            q.p.clock.advance(by: 10)
            #expect(q.pass() == [0, 0, 1])
            let dropped = try #require(try q.deliveries().first)
            #expect(dropped.droppedAt != nil && dropped.attempts == 3)
            #expect(try q.p.h.auditEvents().last == "oauth.logout.dropped portal:bc")
            q.p.clock.advance(by: 3600)
            #expect(q.pass() == [0, 0, 0] && q.delivery.posts.count == 3)
        }
    }

    @Test func tooOldOrDisabledPortalsAreDroppedWithoutAPost() throws {
        try withQueue { q throws in
            q.hook.sessionEnded(ended)
            q.p.clock.advance(by: 3601)
            #expect(q.pass() == [0, 0, 1])
            #expect(try q.deliveries().first?.lastError == "too old")
            q.hook.sessionEnded(ended)
            _ = try q.p.h.registry.disable(clientID: "bc", actor: "test")
            #expect(q.pass() == [0, 0, 1])
            #expect(q.delivery.posts.isEmpty)
            // A disabled portal gets nothing queued at all.
            q.hook.sessionEnded(ended)
            #expect(try q.deliveries().count == 2)
        }
    }

    @Test func finishedDeliveriesArePurgedAfterTheRetentionInBoundedBatches() throws {
        try withQueue([500]) { q throws in
            for _ in 0..<3 { q.hook.sessionEnded(ended) }
            #expect(q.pass() == [2, 1, 0])
            q.p.clock.advance(by: 86_400)
            #expect(try q.worker.purgeFinished(limit: 1) == 1)
            #expect(try q.worker.purgeFinished(limit: 10) == 1)
            // The one still waiting for its retry stays.
            #expect(try q.deliveries().map(\.deliveredAt) == [nil])
        }
    }
}

@Suite struct PurgeTests {
    @Test func onlyExpiredCodesTokensAndGrantsGoInBoundedBatches() throws {
        try withProvider { p in
            _ = try p.exchange(try p.code())   // a used code, a live refresh token, a grant
            _ = try p.code()                    // a second code never exchanged
            #expect(try p.provider.purgeExpired() == 0)
            p.clock.advance(by: 61)            // both codes expired, the refresh token lives
            let first = try p.provider.purgeExpiredByTable(limit: 1)
            #expect(first.first { $0.table == "oauth_codes" }?.removed == 1)
            #expect(try p.count("oauth_codes") == 1 && p.count("oauth_refresh_tokens") == 1)
            #expect(try p.provider.purgeExpired() == 1)
            #expect(try p.count("oauth_codes") == 0 && p.count("oauth_refresh_tokens") == 1 && p.count("oauth_grants") >= 1)
            // Past the refresh token's lifetime and the grant retention, the rest goes too.
            p.clock.advance(by: p.provider.settings.refreshTokenLifetime + p.provider.settings.accessTokenLifetime)
            #expect(try p.provider.purgeExpired() >= 2)
            #expect(try p.count("oauth_refresh_tokens") == 0 && p.count("oauth_grants") == 0)
        }
    }

    @Test func revocationEntriesStayUntilTheTokensTheyCoverExpire() throws {
        try withProvider { p in
            let tokens = try p.exchange(try p.code())
            try p.provider.revoke([(name: "token", value: tokens.accessToken)], authorization: p.webBasic, source: nil)
            #expect(try p.count("oauth_revocations") == 1)
            #expect(try p.provider.purgeExpired() >= 0 && p.count("oauth_revocations") == 1)
            // Kept through the token's lifetime and the verification leeway, gone after.
            p.clock.advance(by: p.provider.settings.accessTokenLifetime + p.provider.settings.leeway - 1)
            _ = try p.provider.purgeExpired()
            #expect(try p.count("oauth_revocations") == 1)
            p.clock.advance(by: 2)
            _ = try p.provider.purgeExpired()
            #expect(try p.count("oauth_revocations") == 0)
        }
    }
}
