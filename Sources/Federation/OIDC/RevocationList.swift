import Foundation
import Storage
import Support

/// Revoked grants and access tokens, in memory, so checking a token costs no database read.
///
/// The table `oauth_revocations` is the truth every node shares; each node reads only the rows past the last `seq` it
/// saw, at most every `refreshInterval` (and at once after a revocation made through this process), so a revocation
/// made elsewhere reaches a node within that interval. Entries leave once every token they cover has expired.
final class RevocationList: Sendable {
    private struct State: Sendable {
        var entries: [String: Int64] = [:]
        var lastSeq: Int64 = 0
        var checkedAt: UInt64?
    }

    private let database: Database
    private let refreshNanoseconds: UInt64
    private let state = Locked(State())

    init(database: Database, refreshInterval: TimeInterval) {
        self.database = database
        refreshNanoseconds = UInt64(max(0, refreshInterval) * 1e9)
    }

    static func grantKey(_ grantID: String) -> String { "grant:" + grantID }
    static func tokenKey(_ jti: String) -> String { "jti:" + jti }

    /// Adds an entry inside the caller's write; call `refresh()` after the write commits.
    static func insert(_ key: String, expiresAt: Date, _ db: any SQLExecutor) throws {
        try db.execute("INSERT INTO oauth_revocations (revoked, expires_at) VALUES (?, ?) ON CONFLICT (revoked) DO NOTHING",
                       [.text(key), .integer(OAuthTime.millis(expiresAt))])
    }

    /// Whether any of `keys` is revoked at `now`.
    func contains(anyOf keys: [String], now: Date) throws -> Bool {
        let millis = OAuthTime.millis(now)
        let current = MonotonicTime.nanoseconds()
        let (fresh, found) = state.withLock { state -> (Bool, Bool) in
            let fresh = state.checkedAt.map { current &- $0 < refreshNanoseconds } ?? false
            return (fresh, keys.contains { key in state.entries[key].map { $0 > millis } ?? false })
        }
        if found { return true }
        if fresh { return false }
        try refresh()
        return state.withLock { state in keys.contains { key in state.entries[key].map { $0 > millis } ?? false } }
    }

    /// Reads the rows added since the last read, and drops expired entries.
    func refresh() throws {
        let since = state.withLock { $0.lastSeq }
        let rows = try database.read { db in
            try db.query("SELECT seq, revoked, expires_at FROM oauth_revocations WHERE seq > ? ORDER BY seq", [.integer(since)])
                .map { (try $0.int64(0), try $0.string(1), try $0.int64(2)) }
        }
        let checked = MonotonicTime.nanoseconds()
        let nowMillis = OAuthTime.millis(Date())
        state.withLock { state in
            for (seq, key, expiry) in rows where seq > state.lastSeq {
                state.entries[key] = expiry
                state.lastSeq = seq
            }
            // Expired entries go by wall time; a test clock far ahead only keeps entries a little longer.
            if state.entries.count > 10_000 { state.entries = state.entries.filter { $0.value > nowMillis } }
            state.checkedAt = checked
        }
    }
}
