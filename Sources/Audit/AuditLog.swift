import Crypto
import Foundation
import Storage
import Support

/// The append-only, hash-chained log of security-relevant events, stored in the `audit_log` table.
///
/// Each record's hash is an HMAC under the chain key over the previous record's hash and the record's
/// own canonical encoding (see `AuditChain`), so editing the database without the key is detectable by
/// `verify`. Append inside the transaction that makes the change being recorded, so both commit or neither.
public final class AuditLog: Sendable {
    /// Migrations for the audit table; versions 10–19 are the audit module's block.
    public static let migrations: [Migration] = AuditMigrations.all

    /// How many records `verify` holds in memory at a time.
    static let verificationPageSize = 10_000

    private let key: [UInt8]
    private let clock: any WallClock

    /// A log whose chain is keyed with `key` (32 bytes, from the key directory); `clock` stamps records.
    public init(key: [UInt8], clock: any WallClock) throws(AuditError) {
        guard key.count == 32 else { throw .invalidKey }
        self.key = key
        self.clock = clock
    }

    /// Appends inside the caller's write transaction, so the event commits (or rolls back) with the change it records.
    ///
    /// `executor` must be a write closure's: the last record is read and the new one inserted in the
    /// same transaction, and the single writer serialises all writes, so sequences cannot collide.
    @discardableResult
    public func append(_ event: AuditEvent, using executor: any SQLExecutor) throws -> AuditRecord {
        try event.validate()
        let last = try executor.queryOne("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1", [])
        let sequence = try (last?.int64("sequence") ?? 0) + 1
        let previousHash = try last?.blob("hash") ?? AuditChain.genesisHash
        let time = AuditChain.timeText(clock.now())
        let fields = AuditChain.Fields(sequence: sequence, time: time, kind: event.kind, actor: event.actor,
                                       subject: event.subject, sourceAddress: event.sourceAddress,
                                       details: AuditChain.canonicalJSON(event.details))
        let hash = AuditChain.hash(key: key, previousHash: previousHash, fields)
        try executor.execute("""
            INSERT INTO audit_log (sequence, time, kind, actor, subject, source_address, details, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(sequence), .text(time), .text(event.kind), .text(event.actor), SQLValue(event.subject),
             SQLValue(event.sourceAddress), .text(fields.details), .blob(previousHash), .blob(hash)])
        // Timestamp.iso8601 always yields a parseable text; the fallback only keeps this total.
        return AuditRecord(sequence: sequence, time: AuditChain.parseTime(time) ?? clock.now(), event: event,
                           previousHash: previousHash, hash: hash)
    }

    /// Convenience: appends in its own write.
    @discardableResult
    public func append(_ event: AuditEvent, to database: Database) throws -> AuditRecord {
        try event.validate() // before queueing, so a bad event does not take a turn at the writer
        return try database.write { [self] executor in try append(event, using: executor) }
    }

    /// Newest first, optionally for one subject (nil means all subjects); for account pages and staff views.
    public func records(subject: String?, limit: Int, using executor: any SQLExecutor) throws -> [AuditRecord] {
        guard limit > 0 else { return [] }
        let columns = "sequence, time, kind, actor, subject, source_address, details, previous_hash, hash"
        let rows = if let subject {
            try executor.query("SELECT \(columns) FROM audit_log WHERE subject = ? ORDER BY sequence DESC LIMIT ?",
                               [.text(subject), SQLValue(limit)])
        } else {
            try executor.query("SELECT \(columns) FROM audit_log ORDER BY sequence DESC LIMIT ?", [SQLValue(limit)])
        }
        return try rows.map(Self.record)
    }

    /// Walks the whole chain in order, in bounded memory (pages of 10,000 rows), recomputing every hash.
    ///
    /// Checks that sequences run 1, 2, 3… without gaps, that each record names its predecessor's hash,
    /// and that each hash matches the record's contents under this log's key. Records appended while it
    /// runs are not covered: it stops at the last record present when it started. Each page is its own
    /// read, which is sound because committed records never change, short of the tampering it looks for.
    public func verify(database: Database) throws -> AuditVerification {
        let end = try database.read { try $0.queryOne("SELECT MAX(sequence) FROM audit_log", [])?.optionalInt64(0) } ?? 0
        var expected: Int64 = 1
        var previousHash = AuditChain.genesisHash
        while expected <= end {
            let rows = try database.read { executor in
                try executor.query("""
                    SELECT sequence, time, kind, actor, subject, source_address, details, previous_hash, hash
                    FROM audit_log WHERE sequence >= ? AND sequence <= ? ORDER BY sequence LIMIT ?
                    """, [.integer(expected), .integer(end), SQLValue(Self.verificationPageSize)])
            }
            // MAX(sequence) was `end`, so a page cannot come back empty unless records vanished since.
            guard !rows.isEmpty else { return .broken(sequence: expected, reason: "record \(expected) is missing") }
            for row in rows {
                if let failure = check(row, expected: expected, previousHash: &previousHash) { return failure }
                expected += 1
            }
        }
        return .intact(records: end)
    }

    /// The newest record's sequence and hash, nil for an empty log. Written down somewhere the database's owner cannot
    /// reach (a log shipped elsewhere, a ticket, paper), it is the anchor `verify(database:anchor:)` needs to see that
    /// the log was not cut short: the chain alone cannot tell a log whose last records were deleted from a shorter one.
    public func head(database: Database) throws -> (sequence: Int64, hash: [UInt8])? {
        try database.read { db in
            try db.queryOne("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1", [])
                .map { (try $0.int64(0), try $0.blob(1)) }
        }
    }

    /// `verify(database:)`, and then that the record at `anchor.sequence` still exists with `anchor.hash`.
    public func verify(database: Database, anchor: (sequence: Int64, hash: [UInt8])) throws -> AuditVerification {
        let result = try verify(database: database)
        guard case .intact(let records) = result else { return result }
        guard anchor.sequence <= records else {
            return .broken(sequence: anchor.sequence, reason: "the log ends at record \(records), before the anchored record \(anchor.sequence): it was cut short")
        }
        let stored = try database.read { db in
            try db.queryOne("SELECT hash FROM audit_log WHERE sequence = ?", [.integer(anchor.sequence)]).map { try $0.blob(0) }
        }
        guard let stored, ConstantTime.equals(stored, anchor.hash) else {
            return .broken(sequence: anchor.sequence, reason: "record \(anchor.sequence) is not the anchored one: the log was rewritten from there")
        }
        return result
    }

    /// Checks one row against the chain so far; on success advances `previousHash` to its hash.
    private func check(_ row: SQLRow, expected: Int64, previousHash: inout [UInt8]) -> AuditVerification? {
        let fields: AuditChain.Fields
        let storedPrevious: [UInt8]
        let storedHash: [UInt8]
        do {
            let sequence = try row.int64("sequence")
            guard sequence == expected else {
                return .broken(sequence: expected, reason: "record \(expected) is missing; the next is \(sequence)")
            }
            fields = AuditChain.Fields(sequence: sequence, time: try row.string("time"), kind: try row.string("kind"),
                                       actor: try row.string("actor"), subject: try row.optionalString("subject"),
                                       sourceAddress: try row.optionalString("source_address"),
                                       details: try row.string("details"))
            storedPrevious = try row.blob("previous_hash")
            storedHash = try row.blob("hash")
        } catch {
            return .broken(sequence: expected, reason: "record \(expected) is unreadable: a column holds the wrong type")
        }
        guard storedPrevious == previousHash else {
            return .broken(sequence: expected, reason: expected == 1
                ? "record 1 does not start the chain (previous_hash is not the genesis value)"
                : "record \(expected) does not link to record \(expected - 1) (previous_hash differs)")
        }
        let computed = AuditChain.hash(key: key, previousHash: previousHash, fields)
        guard ConstantTime.equals(computed, storedHash) else {
            return .broken(sequence: expected, reason:
                "record \(expected) does not match its hash (a changed field or hash, or a different key)")
        }
        previousHash = storedHash
        return nil
    }

    /// Reads one row into a record; throws `.unreadableRecord` for a row the log could not have written.
    private static func record(_ row: SQLRow) throws -> AuditRecord {
        let sequence = try row.int64("sequence")
        guard let time = AuditChain.parseTime(try row.string("time")) else {
            throw AuditError.unreadableRecord(sequence: sequence, reason: "time is not RFC 3339 UTC with milliseconds")
        }
        guard let details = AuditChain.parseDetails(try row.string("details")) else {
            throw AuditError.unreadableRecord(sequence: sequence, reason: "details are not a JSON object of strings")
        }
        let event = AuditEvent(kind: try row.string("kind"), actor: try row.string("actor"),
                               subject: try row.optionalString("subject"),
                               sourceAddress: try row.optionalString("source_address"), details: details)
        return AuditRecord(sequence: sequence, time: time, event: event,
                           previousHash: try row.blob("previous_hash"), hash: try row.blob("hash"))
    }
}
