import Foundation
import Storage

/// The two kinds of signed ESIA request whose `state` values are tracked separately.
public enum ESIARequestKind: String, Sendable, CaseIterable {
    /// `/aas/oauth2/ac`, `/aas/oauth2/v2/ac`.
    case authorization
    /// `/aas/oauth2/te`, `/aas/oauth2/v3/te`.
    case token
}

/// Remembers which `state` values signed ESIA requests used, so a captured request cannot be replayed.
///
/// The rule (docs/esia.md): a state is a UUID, and it may be used **once per request kind**. A token request may
/// carry the state of the authorization request whose code it exchanges — esia-connector and fr05t1k/esia send the
/// callback's state back — but not the state of any other authorization request (so refresh and client-credentials
/// requests need a fresh one, as the operator's guide asks of every token request). A repeat is ESIA-007003
/// ("duplicated parameter"), the closest code ESIA has.
///
/// A replay older than the timestamp window already fails the timestamp check (the state and timestamp are both
/// signed), so states need only outlive that window; they are kept for `retention` (default one day) and then purged.
public struct ESIAStateLedger: Sendable {
    /// How long a used state is remembered.
    public let retention: TimeInterval

    /// A ledger keeping states `retention` seconds (at least the ten minutes an authorization may take).
    public init(retention: TimeInterval = 86_400) {
        self.retention = max(retention, 600)
    }

    /// The state in its stored form (lower-case); ESIA-007014 when missing, 007003 unless it is a UUID
    /// (8-4-4-4-12 hexadecimal digits, any version).
    public static func normalise(_ state: String?) throws(ESIAError) -> String {
        guard let state, !state.isEmpty else { throw ESIAError(.missingParameter, "state is required") }
        let bytes = Array(state.utf8)
        guard bytes.count == 36 else { throw ESIAError(.invalidParameter, "state must be a UUID") }
        for (index, byte) in bytes.enumerated() {
            let isDash = byte == UInt8(ascii: "-")
            let wantDash = [8, 13, 18, 23].contains(index)
            let isHex = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
            guard wantDash ? isDash : isHex else { throw ESIAError(.invalidParameter, "state must be a UUID") }
        }
        return state.lowercased()
    }

    /// Records `state` (normalised) as used by a request of `kind` from `clientID`, inside the caller's write.
    /// Throws ESIA-007003 when a request of the same kind used it before, or when a token request reuses the state of
    /// an authorization request other than `ownAuthorizationState` (the state of the authorization request whose
    /// code is exchanged; nil for refresh and client-credentials grants).
    public func use(_ state: String, kind: ESIARequestKind, clientID: String, ownAuthorizationState: String? = nil, now: Date,
                    using db: any SQLExecutor) throws {
        if try db.queryOne("SELECT 1 FROM esia_used_states WHERE state = ? AND kind = ?", [.text(state), .text(kind.rawValue)]) != nil {
            throw ESIAError(.invalidParameter, "state was already used in another \(kind.rawValue) request; send a new UUID")
        }
        if kind == .token, state != ownAuthorizationState?.lowercased(),
           try db.queryOne("SELECT 1 FROM esia_used_states WHERE state = ? AND kind = 'authorization'", [.text(state)]) != nil {
            throw ESIAError(.invalidParameter, "state belongs to another authorization request; send a new UUID")
        }
        try db.execute("INSERT INTO esia_used_states (state, kind, client_id, used_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                       [.text(state), .text(kind.rawValue), .text(clientID), Self.millis(now), Self.millis(now.addingTimeInterval(retention))])
    }

    /// Deletes states whose retention ended before `now`; returns how many.
    @discardableResult
    public func purge(now: Date, using db: any SQLExecutor) throws -> Int {
        try db.execute("DELETE FROM esia_used_states WHERE expires_at < ?", [Self.millis(now)])
    }

    private static func millis(_ date: Date) -> SQLValue { .integer(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
}
