import Crypto
import Foundation
import Storage
import Support

/// Server-side login sessions, kept in the database so every node sees them.
///
/// The cookie carries a random 256-bit token; the table stores only HMAC-SHA-256(hashKey, token), so a
/// copy of the database does not let anyone log in. Lookups go through that hash as the primary key:
/// an index comparison leaks at most timing about the HMAC, never about the token.
/// Methods block on the database; call them from worker threads. Storage failures throw `StorageError`.
public final class SessionStore: Sendable {
    /// The schema for sessions and for `LoginThrottle`'s counters (versions 140–149).
    public static let migrations: [Migration] = SessionMigrations.all

    /// The most characters of a User-Agent kept; the rest is cut off.
    public static let maxUserAgentLength = 256
    /// The most characters of a source address kept (an IPv6 address with zone fits).
    public static let maxSourceAddressLength = 64

    /// The lifetimes in force.
    public let policy: SessionPolicy
    private let database: Database
    private let hashKey: [UInt8]
    private let clock: any WallClock

    /// A store over `database` (migrated with `migrations`); `hashKey` is the 32-byte HMAC key for tokens.
    public init(database: Database, hashKey: [UInt8], policy: SessionPolicy = .init(), clock: any WallClock = SystemClock()) {
        // A wrong key length is a wiring mistake the configuration should have caught; refuse to run with it.
        precondition(hashKey.count == 32, "the session hash key must be 32 bytes")
        self.database = database
        self.hashKey = hashKey
        self.policy = policy
        self.clock = clock
    }

    /// Creates a session inside the caller's write (so login audit + session commit together);
    /// returns the secret token for the cookie (base64url of 32 random bytes) and the session.
    public func create(subject: String, method: String, userAgent: String, sourceAddress: String,
                       using executor: any SQLExecutor) throws -> (token: String, session: Session) {
        guard Session.isValidSubject(subject) else { throw SessionError.invalidSubject }
        let now = Millis.from(clock.now())
        let token = SessionToken.generate()
        let handle = Base64URL.encode(SecureRandom.bytes(16))
        let row = Row(handle: handle, subject: subject, method: method, createdAt: now, lastSeenAt: now,
                      expiresAt: now + Millis.from(seconds: policy.absoluteTimeout),
                      userAgent: String(userAgent.prefix(Self.maxUserAgentLength)),
                      sourceAddress: String(sourceAddress.prefix(Self.maxSourceAddressLength)))
        // The subject's dead sessions go now, so an account that logs in often does not pile them up between purges.
        // Two statements, one per index (migration 142): each is a range delete however many sessions the subject holds.
        try executor.execute("DELETE FROM sessions WHERE subject = ? AND expires_at <= ?", [.text(subject), .integer(now)])
        try executor.execute("DELETE FROM sessions WHERE subject = ? AND last_seen_at <= ?", [.text(subject), .integer(idleCutoff(now))])
        try executor.execute("""
            INSERT INTO sessions (token_hash, handle, subject, method, created_at, last_seen_at, expires_at, user_agent, source_address)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.blob(tokenHash(token)), .text(handle), .text(subject), .text(method), .integer(now), .integer(now),
                  .integer(row.expiresAt), .text(row.userAgent), .text(row.sourceAddress)])
        return (token, row.session(policy))
    }

    /// Looks a token up, enforcing idle and absolute timeouts; records the use at most every touchInterval.
    /// Returns nil for a malformed (without touching the database), unknown, ended or expired token;
    /// an expired session's row is deleted.
    public func validate(token: String) throws -> Session? {
        guard SessionToken.isWellFormed(token) else { return nil }
        let hash = tokenHash(token)
        let now = Millis.from(clock.now())
        guard let found = try database.read({ executor in
            try executor.queryOne("SELECT \(Row.columns) FROM sessions WHERE token_hash = ?", [.blob(hash)]).map(Row.init)
        }) else { return nil }
        guard found.isAlive(at: now, idleCutoff: idleCutoff(now)) else {
            // Conditional, so a concurrent touch that revived the row (another node's clock) is respected.
            let cutoff = idleCutoff(now)
            try database.write { try $0.execute("DELETE FROM sessions WHERE token_hash = ? AND (expires_at <= ? OR last_seen_at <= ?)",
                                                [.blob(hash), .integer(now), .integer(cutoff)]) }
            return nil
        }
        var row = found
        if now - row.lastSeenAt >= Millis.from(seconds: policy.touchInterval) {
            // CASE keeps a later value another node wrote; the row count says whether the session still exists.
            let touched = try database.write {
                try $0.execute("UPDATE sessions SET last_seen_at = CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END WHERE token_hash = ?",
                               [.integer(now), .integer(now), .blob(hash)])
            }
            guard touched > 0 else { return nil } // ended between the read and the write
            row.lastSeenAt = max(row.lastSeenAt, now)
        }
        return row.session(policy)
    }

    /// Ends the session of a token (logout); unknown or malformed tokens are ignored.
    public func end(token: String) throws {
        guard SessionToken.isWellFormed(token) else { return }
        let hash = tokenHash(token)
        try database.write { try $0.execute("DELETE FROM sessions WHERE token_hash = ?", [.blob(hash)]) }
    }

    /// Ends a session by its public handle, only if it belongs to `subject` ("end this session"); true if one ended.
    public func end(handle: String, subject: String) throws -> Bool {
        try database.write {
            try $0.execute("DELETE FROM sessions WHERE handle = ? AND subject = ?", [.text(handle), .text(subject)])
        } > 0
    }

    /// Ends all of a subject's sessions but the one with handle `except` (after a password change), in the caller's write.
    public func endAll(subject: String, except handle: String?, using executor: any SQLExecutor) throws {
        if let handle {
            try executor.execute("DELETE FROM sessions WHERE subject = ? AND handle <> ?", [.text(subject), .text(handle)])
        } else {
            try executor.execute("DELETE FROM sessions WHERE subject = ?", [.text(subject)])
        }
    }

    /// A subject's active sessions, newest first.
    public func list(subject: String) throws -> [Session] {
        let now = Millis.from(clock.now())
        let cutoff = idleCutoff(now)
        let rows = try database.read { executor in
            try executor.query("""
                SELECT \(Row.columns) FROM sessions WHERE subject = ? AND expires_at > ? AND last_seen_at > ?
                ORDER BY created_at DESC, handle
                """, [.text(subject), .integer(now), .integer(cutoff)]).map(Row.init)
        }
        return rows.map { $0.session(policy) }
    }

    /// Deletes expired sessions, at most `limit` of them, and returns how many; for a periodic job.
    public func purgeExpired(limit: Int = .max) throws -> Int {
        let now = Millis.from(clock.now())
        let cutoff = idleCutoff(now)
        return try database.write {
            try $0.execute("""
                DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE expires_at <= ? OR last_seen_at <= ? LIMIT ?)
                """, [.integer(now), .integer(cutoff), .integer(Int64(max(0, limit)))])
        }
    }

    /// The token for the session's forms, bound to it: base64url(HMAC(hashKey, "csrf:" + token)).
    public func csrfToken(for token: String) -> String {
        CSRF.token(hashKey: hashKey, sessionToken: token)
    }

    /// Whether a submitted form token belongs to the session of `token`, compared in constant time.
    public func verifyCSRF(_ submitted: String, for token: String) -> Bool {
        CSRF.verify(submitted, hashKey: hashKey, sessionToken: token)
    }

    // MARK: Internals

    private func tokenHash(_ token: String) -> [UInt8] {
        HMAC.sha256(key: hashKey, message: token)
    }

    /// Sessions last seen at or before this instant are idle-expired.
    private func idleCutoff(_ now: Int64) -> Int64 {
        now - Millis.from(seconds: policy.idleTimeout)
    }

    /// A sessions row without its token hash.
    private struct Row {
        static let columns = "handle, subject, method, created_at, last_seen_at, expires_at, user_agent, source_address"

        let handle: String
        let subject: String
        let method: String
        let createdAt: Int64
        var lastSeenAt: Int64
        let expiresAt: Int64
        let userAgent: String
        let sourceAddress: String

        init(handle: String, subject: String, method: String, createdAt: Int64, lastSeenAt: Int64, expiresAt: Int64,
             userAgent: String, sourceAddress: String) {
            self.handle = handle
            self.subject = subject
            self.method = method
            self.createdAt = createdAt
            self.lastSeenAt = lastSeenAt
            self.expiresAt = expiresAt
            self.userAgent = userAgent
            self.sourceAddress = sourceAddress
        }

        init(_ row: SQLRow) throws {
            self.init(handle: try row.string("handle"), subject: try row.string("subject"), method: try row.string("method"),
                      createdAt: try row.int64("created_at"), lastSeenAt: try row.int64("last_seen_at"),
                      expiresAt: try row.int64("expires_at"), userAgent: try row.string("user_agent"),
                      sourceAddress: try row.string("source_address"))
        }

        func isAlive(at now: Int64, idleCutoff: Int64) -> Bool {
            now < expiresAt && lastSeenAt > idleCutoff
        }

        func session(_ policy: SessionPolicy) -> Session {
            let idleDeadline = lastSeenAt + Millis.from(seconds: policy.idleTimeout)
            return Session(handle: handle, subject: subject, createdAt: Millis.date(createdAt),
                           lastSeenAt: Millis.date(lastSeenAt), expiresAt: Millis.date(min(expiresAt, idleDeadline)),
                           userAgent: userAgent, sourceAddress: sourceAddress, authenticationMethod: method)
        }
    }
}
