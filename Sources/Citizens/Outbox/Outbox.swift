import Foundation
import Glibc
import Storage
import Support

/// The durable queue of messages to citizens, kept in the `outbox` table.
///
/// A message is stored inside the write transaction of the change that caused it (a new contact,
/// say), so it exists exactly when that change commits. `OutboxDelivery` sends it later.
///
/// Once a message is delivered, or given up, its row stays (for metrics and support) but its body is
/// blanked, so one-time codes do not linger in the database. Times are stored as RFC 3339 UTC text
/// with milliseconds, whose text order is their time order.
public struct Outbox: Sendable {
    private let clock: any WallClock

    /// An outbox that stamps messages with `clock`.
    public init(clock: any WallClock) {
        self.clock = clock
    }

    /// Stores a message inside the caller's write transaction, so it exists exactly when the change that caused it commits.
    ///
    /// Returns the message's id. Throws `OutboxError` for a message that cannot be sent safely.
    @discardableResult
    public func enqueue(_ message: OutboxMessage, using executor: any SQLExecutor) throws -> Int64 {
        try message.validate()
        let now = SQLValue.text(Timestamp.iso8601(clock.now()))
        let row = try executor.queryOne("""
            INSERT INTO outbox (channel, recipient, subject, body, created_at, attempts, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id
            """, [.text(message.channel.rawValue), .text(message.recipient), .text(message.subject),
                  .text(message.body), now, now])
        guard let row else { throw StorageError(.other, "outbox insert returned no id") }
        return try row.int64(0)
    }

    /// Messages due now (neither delivered nor given up, next attempt not in the future), oldest first.
    public func pending(limit: Int, using executor: any SQLExecutor) throws -> [StoredMessage] {
        let rows = try executor.query("""
            SELECT id, channel, recipient, subject, body, attempts, created_at, next_attempt_at FROM outbox
            WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
            ORDER BY id LIMIT ?
            """, [.text(Timestamp.iso8601(clock.now())), SQLValue(max(0, limit))])
        return try rows.map { row in
            // The CHECK constraint keeps other channels out; a row that still has one is corrupt.
            guard let channel = MessageChannel(rawValue: try row.string("channel")) else {
                throw StorageError(.typeMismatch, "outbox row has an unknown channel")
            }
            return StoredMessage(
                id: try row.int64("id"),
                message: OutboxMessage(channel: channel, recipient: try row.string("recipient"),
                                       subject: try row.string("subject"), body: try row.string("body")),
                attempts: try row.int("attempts"),
                createdAt: try Self.date(row, "created_at"),
                nextAttemptAt: try Self.date(row, "next_attempt_at"))
        }
    }

    /// How many messages wait, were delivered and were given up; for metrics.
    public func counts(using executor: any SQLExecutor) throws -> (pending: Int, delivered: Int, failed: Int) {
        let row = try executor.queryOne("""
            SELECT COALESCE(SUM(delivered_at IS NULL AND failed_at IS NULL), 0),
                   COALESCE(SUM(delivered_at IS NOT NULL), 0),
                   COALESCE(SUM(failed_at IS NOT NULL), 0)
            FROM outbox
            """, [])
        guard let row else { return (0, 0, 0) }
        return (try row.int(0), try row.int(1), try row.int(2))
    }

    /// Records a delivery: counts the attempt, stamps `delivered_at` and blanks the body.
    public func recordDelivered(id: Int64, at time: Date, using executor: any SQLExecutor) throws {
        try executor.execute("""
            UPDATE outbox SET attempts = attempts + 1, delivered_at = ?, body = '', last_error = NULL
            WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL
            """, [.text(Timestamp.iso8601(time)), .integer(id)])
    }

    /// Records a failed attempt: retried at `retryAt`, or given up (failed_at set, body blanked) when it is nil.
    ///
    /// `error` must not contain the body.
    public func recordFailure(id: Int64, error: String, retryAt: Date?, at time: Date,
                              using executor: any SQLExecutor) throws {
        if let retryAt {
            try executor.execute("""
                UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
                WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL
                """, [.text(Timestamp.iso8601(retryAt)), .text(error), .integer(id)])
        } else {
            try executor.execute("""
                UPDATE outbox SET attempts = attempts + 1, failed_at = ?, body = '', last_error = ?
                WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL
                """, [.text(Timestamp.iso8601(time)), .text(error), .integer(id)])
        }
    }

    /// Reads a time written by `Timestamp.iso8601` (`2027-01-15T08:00:00.123Z`).
    static func date(_ row: SQLRow, _ column: String) throws -> Date {
        guard let date = parseTimestamp(try row.string(column)) else {
            throw StorageError(.typeMismatch, "outbox column '\(column)' is not an RFC 3339 UTC time")
        }
        return date
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let c = Array(text.utf8)
        guard c.count == 24, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"), c[10] == UInt8(ascii: "T"),
              c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"), c[19] == UInt8(ascii: "."),
              c[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c[i]) else { return nil }
                value = value * 10 + Int(c[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let millis = number(20..<23) else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(hour)
        fields.tm_min = Int32(minute)
        fields.tm_sec = Int32(second)
        let seconds = timegm(&fields)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
    }
}
