import Crypto
@testable import Federation
import Foundation
import Support
import Synchronization
import Testing

/// Serves scripted JWK Sets in turn (the last one again once the script runs out); nil in the script is a failure.
private final class ScriptedJWKS: JWKSFetching {
    private let state: Mutex<(script: [JSONValue?], calls: Int)>
    init(_ script: [JSONValue?]) { state = Mutex((script, 0)) }

    func fetch(_ uri: String) throws -> [UInt8] {
        let set: JSONValue? = state.withLock { s in
            s.calls += 1
            return s.script.count > 1 ? s.script.removeFirst() : s.script.first ?? nil
        }
        guard let set else { throw CocoaError(.fileReadUnknown) }
        return Array(set.jsonText.utf8)
    }

    var calls: Int { state.withLock { $0.calls } }
}

private func keySet(_ keys: [(PrivateKey, String)]) throws -> JSONValue {
    ["keys": .array(try keys.map { try JSONWebKey(privateKey: $0.0, keyID: $0.1, algorithm: .es256).json })]
}

@Suite struct PortalKeySetsTests {
    @Test func keysAreFetchedOnceRefetchedForANewKidAndNotHammered() throws {
        let k1 = try PrivateKey.generateP256(), k2 = try PrivateKey.generateP256()
        let fetcher = ScriptedJWKS([try keySet([(k1, "k1")]), try keySet([(k1, "k1"), (k2, "k2")])])
        let sets = PortalKeySets(fetcher: fetcher)
        let uri = "https://portal.example/jwks", start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(sets.key(uri: uri, kid: "k1", now: start) != nil)
        #expect(sets.key(uri: uri, kid: "k1", now: start.addingTimeInterval(10)) != nil)
        #expect(fetcher.calls == 1)
        // The portal rotated: an unknown kid fetches again, at once...
        #expect(sets.key(uri: uri, kid: "k2", now: start.addingTimeInterval(40)) != nil)
        #expect(fetcher.calls == 2)
        // ...but a stream of unknown kids does not turn into a stream of downloads.
        #expect(sets.key(uri: uri, kid: "k9", now: start.addingTimeInterval(41)) == nil)
        #expect(sets.key(uri: uri, kid: "k9", now: start.addingTimeInterval(42)) == nil)
        #expect(fetcher.calls == 2)
        #expect(sets.key(uri: uri, kid: "k1", now: start.addingTimeInterval(43)) != nil)
        // A set is used for ten minutes, then fetched again.
        #expect(sets.key(uri: uri, kid: "k1", now: start.addingTimeInterval(40 + PortalKeySets.freshFor + 1)) != nil)
        #expect(fetcher.calls == 3)
    }

    @Test func aFailedFetchGivesNoKeyAndTheOnlyKeyNeedsNoKid() throws {
        let k1 = try PrivateKey.generateP256()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(PortalKeySets(fetcher: ScriptedJWKS([nil])).key(uri: "https://a.example/jwks", kid: "k1", now: start) == nil)
        #expect(PortalKeySets(fetcher: nil).key(uri: "https://a.example/jwks", kid: "k1", now: start) == nil)
        let single = PortalKeySets(fetcher: ScriptedJWKS([try keySet([(k1, "k1")])]))
        #expect(single.key(uri: "https://a.example/jwks", kid: nil, now: start) != nil)
        let two = PortalKeySets(fetcher: ScriptedJWKS([try keySet([(k1, "k1"), (try PrivateKey.generateP256(), "k2")])]))
        #expect(two.key(uri: "https://a.example/jwks", kid: nil, now: start) == nil)
    }
}

/// A key server that takes its time, so requests pile up behind the first fetch.
private final class SlowJWKS: JWKSFetching {
    let set: JSONValue
    private let count = Mutex(0)
    init(_ set: JSONValue) { self.set = set }
    func fetch(_ uri: String) throws -> [UInt8] {
        count.withLock { $0 += 1 }
        Thread.sleep(forTimeInterval: 0.2)
        return Array(set.jsonText.utf8)
    }
    var calls: Int { count.withLock { $0 } }
}

@Test func requestsArrivingDuringTheFirstFetchWaitForIt() throws {
    let k1 = try PrivateKey.generateP256()
    let fetcher = SlowJWKS(try keySet([(k1, "k1")]))
    let sets = PortalKeySets(fetcher: fetcher)
    let found = Mutex(0)
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
        if sets.key(uri: "https://slow.example/jwks", kid: "k1", now: start) != nil { found.withLock { $0 += 1 } }
    }
    #expect(found.withLock { $0 } == 8)
    #expect(fetcher.calls == 1)
}
