import Foundation
import Storage

/// A logout token waiting to be sent, or one that was sent or dropped.
public struct LogoutDelivery: Sendable, Equatable {
    public let id: Int64
    /// The portal (`aud` of the token).
    public let clientID: String
    /// Its back-channel logout URI at the time of the logout.
    public let uri: String
    /// The ended session's `sid`.
    public let sid: String
    /// The citizen's `sub`, when known.
    public let subject: String?
    /// The token's `jti`, the same at every attempt.
    public let jti: String
    public let createdAt: Date
    /// Attempts made so far.
    public let attempts: Int
    /// Why the last attempt failed, or why the delivery was dropped.
    public let lastError: String?
    public let deliveredAt: Date?
    public let droppedAt: Date?
}

/// The SQL of the `logout_deliveries` table: a durable queue with retries. Every function runs inside the caller's
/// read or write.
enum LogoutQueue {
    static let columns = "id, client_id, uri, sid, subject, jti, created_at, attempts, last_error, delivered_at, dropped_at"

    /// Queues a delivery, due at once.
    static func enqueue(clientID: String, uri: String, sid: String, subject: String?, now: Date, _ db: any SQLExecutor) throws {
        let millis = OAuthTime.millis(now)
        try db.execute("""
            INSERT INTO logout_deliveries (client_id, uri, sid, subject, jti, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(clientID), .text(uri), .text(sid), SQLValue(subject), .text(TokenHasher.identifier()), .integer(millis), .integer(millis)])
    }

    /// Deliveries neither made nor dropped whose next attempt is due, oldest first.
    static func due(now: Date, limit: Int, _ db: any SQLExecutor) throws -> [LogoutDelivery] {
        try db.query("""
            SELECT \(columns) FROM logout_deliveries WHERE finished_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
            """, [.integer(OAuthTime.millis(now)), .integer(Int64(max(0, limit)))]).map(delivery)
    }

    /// Every delivery, oldest first; for tests and support.
    static func all(_ db: any SQLExecutor) throws -> [LogoutDelivery] {
        try db.query("SELECT \(columns) FROM logout_deliveries ORDER BY id", []).map(delivery)
    }

    static func recordDelivered(id: Int64, now: Date, _ db: any SQLExecutor) throws {
        let millis = OAuthTime.millis(now)
        try db.execute("""
            UPDATE logout_deliveries SET attempts = attempts + 1, delivered_at = ?, finished_at = ?, last_error = NULL
            WHERE id = ? AND finished_at IS NULL
            """, [.integer(millis), .integer(millis), .integer(id)])
    }

    /// Counts a failed attempt and sets the next one.
    static func recordFailure(id: Int64, error: String, retryAt: Date, _ db: any SQLExecutor) throws {
        try db.execute("""
            UPDATE logout_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND finished_at IS NULL
            """, [.text(error), .integer(OAuthTime.millis(retryAt)), .integer(id)])
    }

    /// Gives a delivery up; `attempted` says whether the reason is a failed attempt (counted) or a check before one.
    static func recordDropped(id: Int64, reason: String, attempted: Bool, now: Date, _ db: any SQLExecutor) throws {
        let millis = OAuthTime.millis(now)
        try db.execute("""
            UPDATE logout_deliveries SET attempts = attempts + ?, last_error = ?, dropped_at = ?, finished_at = ?
            WHERE id = ? AND finished_at IS NULL
            """, [.integer(attempted ? 1 : 0), .text(reason), .integer(millis), .integer(millis), .integer(id)])
    }

    /// Deletes at most `limit` delivered or dropped rows finished before `cutoff`; returns how many.
    static func purgeFinished(before cutoff: Date, limit: Int, _ db: any SQLExecutor) throws -> Int {
        try db.execute("""
            DELETE FROM logout_deliveries WHERE id IN
            (SELECT id FROM logout_deliveries WHERE finished_at IS NOT NULL AND finished_at <= ? LIMIT ?)
            """, [.integer(OAuthTime.millis(cutoff)), .integer(Int64(max(0, limit)))])
    }

    private static func delivery(_ row: SQLRow) throws -> LogoutDelivery {
        LogoutDelivery(id: try row.int64("id"), clientID: try row.string("client_id"), uri: try row.string("uri"), sid: try row.string("sid"),
                       subject: try row.optionalString("subject"), jti: try row.string("jti"),
                       createdAt: OAuthTime.date(try row.int64("created_at")), attempts: try row.int("attempts"),
                       lastError: try row.optionalString("last_error"),
                       deliveredAt: try row.optionalInt64("delivered_at").map(OAuthTime.date),
                       droppedAt: try row.optionalInt64("dropped_at").map(OAuthTime.date))
    }
}
