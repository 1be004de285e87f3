import Crypto
import Foundation
import Support

/// Downloads a portal's published JWK Set (`jwks_uri`); the server implements it with its HTTP client.
public protocol JWKSFetching: Sendable {
    /// The body of a 200 answer for `uri`, within the implementation's time and size limits; throws otherwise.
    func fetch(_ uri: String) throws -> [UInt8]
}

/// The key sets portals publish at their `jwks_uri`, for `private_key_jwt`, fetched when first needed and kept
/// `freshFor`; an assertion naming a `kid` the set lacks makes one early refetch (the portal rotated its key), at most
/// once per `refetchAfter` per URI, so a stream of bogus `kid`s cannot turn the server into a downloader. A failed
/// fetch keeps a set that is still fresh and otherwise leaves the portal without keys (`invalid_client`) until the
/// next attempt.
final class PortalKeySets: Sendable {
    private struct Entry: Sendable {
        var keys: [JSONWebKey]
        var fetchedAt: Date
        var attemptedAt: Date
    }

    static let freshFor: TimeInterval = 600
    static let refetchAfter: TimeInterval = 30

    private let fetcher: (any JWKSFetching)?
    private let entries = Locked<[String: Entry]>([:])
    /// One lock per URI, held while its set is fetched.
    private let gates = Locked<[String: NSLock]>([:])

    init(fetcher: (any JWKSFetching)?) {
        self.fetcher = fetcher
    }

    /// The key for `kid` (or the only key when `kid` is nil) in the set published at `uri`, fetching as needed. One
    /// fetch per URI at a time: requests that need the same set wait for it (at most the fetcher's time limit) rather
    /// than fail or fetch again.
    func key(uri: String, kid: String?, now: Date) -> PublicKey? {
        if let cached = entries.withLock({ $0[uri] }), now.timeIntervalSince(cached.fetchedAt) < Self.freshFor,
           let key = Self.choose(kid, in: cached.keys) {
            return key
        }
        let gate = gates.withLock { gates in
            if gates.count >= 10_000 { gates.removeAll() }
            if let gate = gates[uri] { return gate }
            let gate = NSLock()
            gates[uri] = gate
            return gate
        }
        gate.lock()
        defer { gate.unlock() }
        // Stale, missing, or without this kid: fetch, unless an attempt for this URI was made very recently (perhaps
        // by the request this one waited for).
        if let cached = entries.withLock({ $0[uri] }) {
            let fresh = now.timeIntervalSince(cached.fetchedAt) < Self.freshFor
            if fresh, let key = Self.choose(kid, in: cached.keys) { return key }
            if now.timeIntervalSince(cached.attemptedAt) < Self.refetchAfter { return nil }
        }
        entries.withLock { $0[uri, default: Entry(keys: [], fetchedAt: .distantPast, attemptedAt: now)].attemptedAt = now }
        guard let fetcher, let body = try? fetcher.fetch(uri), let set = try? JSONValue.parse(body),
              let list = set["keys"]?.arrayValue else {
            return nil
        }
        let keys = list.compactMap { try? JSONWebKey(json: $0) }
        entries.withLock { entries in
            if entries.count >= 10_000 { entries.removeAll() }  // portals are hundreds; this only bounds a misuse
            entries[uri] = Entry(keys: keys, fetchedAt: now, attemptedAt: now)
        }
        return Self.choose(kid, in: keys)
    }

    /// By `kid`, or the only key when the assertion names none.
    static func choose(_ kid: String?, in keys: [JSONWebKey]) -> PublicKey? {
        let chosen = kid.map { kid in keys.first { $0.keyID == kid } } ?? (keys.count == 1 ? keys.first : nil)
        return try? chosen?.publicKey()
    }
}
